#!/bin/bash
# The sharded test: the summaries on postgres_fdw shards. A coordinator and three shard clusters
# on loopback, the small sample warehouse partitioned by hash of customer_id across foreign
# tables, and pgTAP assertions for every aggregate listed in test/shards/entries.sql.
#
#   test/shards/run.sh           install what is missing, build, install, then the test in a
#                                throwaway coordinator cluster (pg_virtualenv)
#   test/shards/run.sh --here    the same with the cluster that PGHOST/PGPORT name as the
#                                coordinator (run-suites.sh: part of `make test`)
#
# The three shards are throwaway clusters of their own: initdb into a private temporary directory
# (run as the postgres user when we are root: initdb refuses root), free ports on 127.0.0.1 only,
# a random password (scram-sha-256), each with another TimeZone, DateStyle and IntervalStyle.
# They are stopped and removed on exit, also on failure or interruption.
#
# Prints the TAP of test/shards/summaries.sql (pg_prove -v), then "1..N"; exits non-zero when an
# assertion fails or the harness cannot run (a harness failure prints "not ok" lines, so that a
# count of "ok"/"not ok" lines is honest either way).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

if [ "${1:-}" != "--here" ]; then
    # shellcheck source=test/harness/common.sh
    . test/harness/common.sh
    ensure_packages
    build_and_install
    in_throwaway_cluster test/shards/run.sh --here
    exit
fi

pg_config=${PG_CONFIG:-pg_config}
bindir=$("$pg_config" --bindir)
shards=3
db=profiling_shards

# Every server runs as the postgres user when we are root (initdb refuses root), as us otherwise.
if [ "$(id -u)" -eq 0 ]; then
    as_server() { runuser -u postgres -- "$@"; }
else
    as_server() { "$@"; }
fi

tmp=$(mktemp -d -t profiling-shards.XXXXXX)
chmod 700 "$tmp"
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp"
started=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local dir
    for dir in "${started[@]}"; do
        as_server "$bindir/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1
    done
    rm -rf "$tmp"
    dropdb --if-exists "$db" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

n=0
harness_fails() {  # harness_fails DESCRIPTION LOGFILE: a "not ok" line and the log as diagnostics
    n=$((n + 1))
    echo "not ok $n - $1"
    [ -f "$2" ] && sed 's/^/# /' "$2" | tail -n 40
    echo "1..$n"
    exit 1
}

# A port that nothing listens on; a start that loses a race for it tries another.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 20000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# Each shard shows its values differently: postgres_fdw sets its own TimeZone, DateStyle and
# IntervalStyle in the sessions it opens, and the summaries must not depend on the server's.
settings=("TimeZone=America/New_York DateStyle=SQL,DMY IntervalStyle=sql_standard"
          "TimeZone=Asia/Kathmandu DateStyle=German IntervalStyle=iso_8601"
          "TimeZone=Pacific/Chatham DateStyle=Postgres,MDY IntervalStyle=postgres_verbose")
# One password for the three shards, readable by the servers' user only, gone with $tmp.
password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
(umask 077; echo "$password" >"$tmp/pwfile")
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp/pwfile"
ports=()
for i in $(seq 1 $shards); do
    dir=$tmp/shard$i
    as_server "$bindir/initdb" -D "$dir" -U postgres -A scram-sha-256 --pwfile="$tmp/pwfile" -E UTF8 --locale=C --no-sync \
        >"$tmp/initdb$i.log" 2>&1 || harness_fails "shard $i: initdb" "$tmp/initdb$i.log"
    started+=("$dir")   # stopped on exit even if its start times out while it runs
    opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$tmp -c fsync=off"
    opts="$opts -c shared_buffers=32MB -c max_connections=20"
    for s in ${settings[$((i - 1))]}; do opts="$opts -c ${s%%=*}=${s#*=}"; done
    ok=0
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        if as_server "$bindir/pg_ctl" -D "$dir" -l "$tmp/shard$i.log" -w -t 60 \
                -o "$opts -c port=$port" start >"$tmp/start$i.log" 2>&1; then
            ok=1
            break
        fi
    done
    [ "$ok" -eq 1 ] || harness_fails "shard $i: the server starts" "$tmp/shard$i.log"
    ports+=("$port")
done

shard_psql() {  # shard_psql I ARGS...: psql on shard I, database postgres
    local i=$1
    shift
    PGPASSWORD=$password psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${ports[$((i - 1))]}" -U postgres -d postgres "$@"
}
export PGOPTIONS="-c client_min_messages=warning"

# The shards: the extension and the tables the coordinator's foreign tables read (their DDL is
# generated on the coordinator from test/shards/entries.sql, below).
for i in $(seq 1 $shards); do
    shard_psql "$i" -c 'CREATE EXTENSION profiling' -c 'CREATE SCHEMA shard' >"$tmp/shard_setup$i.log" 2>&1 ||
        harness_fails "shard $i: CREATE EXTENSION profiling" "$tmp/shard_setup$i.log"
done

# The coordinator: the one-server copy (schema one), the entries, the foreign servers.
dropdb --if-exists "$db" 2>/dev/null
createdb "$db" || harness_fails "the coordinator's database" /dev/null
coord_psql() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
if ! coord_psql -f test/warehouse/generate.sql -f test/shards/setup.sql \
        >"$tmp/setup.log" 2>&1; then
    harness_fails "the coordinator: the small warehouse, the one-server tables (test/shards/setup.sql)" "$tmp/setup.log"
fi
# The shards' tables, created from the coordinator's own definitions.
for i in $(seq 1 $shards); do
    coord_psql -At -c 'SELECT shards.shard_ddl()' | shard_psql "$i" >"$tmp/ddl$i.log" 2>&1 ||
        harness_fails "shard $i: its tables (shards.shard_ddl())" "$tmp/ddl$i.log"
done
if ! coord_psql -v shard_ports="${ports[*]}" -v shard_password="$password" -f test/shards/distribute.sql >"$tmp/distribute.log" 2>&1; then
    harness_fails "the coordinator: foreign servers, partitioned tables, orders sent to the shards (test/shards/distribute.sql)" "$tmp/distribute.log"
fi
# Stored summaries, computed by each shard on its own rows in its own TimeZone, DateStyle and
# IntervalStyle, and its statistics.
for i in $(seq 1 $shards); do
    { coord_psql -At -c 'SELECT shards.stored_ddl()'; echo 'ANALYZE;'; } | shard_psql "$i" >"$tmp/stored$i.log" 2>&1 ||
        harness_fails "shard $i: stored summaries (shards.stored_ddl())" "$tmp/stored$i.log"
done
coord_psql -c 'SELECT shards.link_stored()' -c 'ANALYZE' >"$tmp/link.log" 2>&1 ||
    harness_fails "the coordinator: the stored summaries' partitioned tables (shards.link_stored())" "$tmp/link.log"

# SHARDS_PSQL=file.sql runs that file on the coordinator instead of the suite (to try a query
# or measure one by hand on the same setup).
if [ -n "${SHARDS_PSQL:-}" ]; then
    coord_psql -f "$SHARDS_PSQL"
    exit
fi

pg_prove -v -d "$db" test/shards/summaries.sql >"$tmp/prove.log" 2>&1
status=$?
cat "$tmp/prove.log"
# pg_prove prints the suite's own plan and numbers; a suite that died still fails here.
if [ "$status" -ne 0 ] && ! grep -qE '^not ok [0-9]+' "$tmp/prove.log"; then
    echo "not ok - test/shards/summaries.sql ran to its end (pg_prove exit status $status)"
fi
exit "$status"
