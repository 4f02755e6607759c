#!/bin/bash
# `make fuzz`: random and mutated text and binary inputs for every summary type, through the
# real protocol, in a throwaway cluster; then the server log is checked for crashes.
#
#   test/harness/fuzz.sh              install what is missing, build, install, then FUZZ_INPUTS
#                                     (default 1000000) inputs per type and mode, seed FUZZ_SEED
#                                     (default 42), in a throwaway cluster
#   test/harness/fuzz.sh --here N     the same with N inputs, in the cluster that PGHOST/PGPORT
#                                     name (run-suites.sh: the short run of `make test`)
# FUZZ_TYPE=<type> runs one type file only; FUZZ_ARGS is passed on to the client, e.g. to try one
# failing input again: make fuzz FUZZ_TYPE=purchase_history FUZZ_ARGS='--mode text --only 64'.
#
# The rule: a type joins by adding ONE file, test/fuzz/types/<type>.conf (its name, alphabet,
# valid literals from the sample warehouse, accessors, documented SQLSTATEs); test/fuzz/README.md
# describes it. The client, test/fuzz/fuzz.c, is compiled into a temporary directory, never into
# the tree.
#
# Prints TAP: one line per type and mode ("ok N - purchase_history text: 10000 inputs, A accepted,
# R rejected, 0 failures ..."), failures as "# " lines with the input as a literal and in hex,
# then one line for the server log; exits non-zero when any line is "not ok".
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" != "--here" ]; then
    . test/harness/common.sh
    ensure_packages
    build_and_install
    in_throwaway_cluster test/harness/fuzz.sh --here "${FUZZ_INPUTS:-1000000}"
    exit
fi
inputs=${2:?"usage: fuzz.sh --here INPUTS"}
seed=${FUZZ_SEED:-42}
pg_config=${PG_CONFIG:-pg_config}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; dropdb --if-exists profiling_fuzz 2>/dev/null' EXIT
n=0
failed=0
result() {  # result ok|not ok DESCRIPTION
    n=$((n + 1))
    echo "$1 $n - $2"
    [ "$1" = ok ] || failed=1
}

# CC and PG_CFLAGS (CI sets -Werror) may hold several words: split on purpose.
# shellcheck disable=SC2086
if ! ${CC:-cc} -std=gnu99 -O2 -Wall -Wextra ${PG_CFLAGS:-} -I"$("$pg_config" --includedir)" \
        test/fuzz/*.c -L"$("$pg_config" --libdir)" -lpq -o "$tmp/fuzz" >"$tmp/cc.log" 2>&1; then
    sed 's/^/# /' "$tmp/cc.log"
    result "not ok" "the fuzz client (test/fuzz/fuzz.c) compiles"
    echo "1..$n"
    exit 1
fi
sed 's/^/# /' "$tmp/cc.log"

# The valid literals come from the small sample warehouse (schema shop).
export PGDATABASE=profiling_fuzz
createdb "$PGDATABASE"
if ! psql -X -q -v ON_ERROR_STOP=1 -f test/warehouse/generate.sql \
        -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION profiling' \
        -c "CALL sample_warehouse.build('shop', 'small', 42)" >"$tmp/setup.log" 2>&1; then
    sed 's/^/# /' "$tmp/setup.log"
    result "not ok" "the fuzz database and the sample warehouse load"
    echo "1..$n"
    exit 1
fi

# The server log, read from where it stands now: crashes and TRAPs of this run only.
logfile=$(pg_lsclusters -h 2>/dev/null | awk -v port="${PGPORT:-5432}" '$3 == port { print $7 }')
log_start=$(( $(stat -c %s "$logfile" 2>/dev/null || echo 0) + 1 ))

shopt -s lastpipe
for conf in test/fuzz/types/${FUZZ_TYPE:-*}.conf; do
    [ -e "$conf" ] || continue
    type=$(basename "$conf" .conf)
    lines=0
    # FUZZ_ARGS may hold several options: split on purpose.
    # shellcheck disable=SC2086
    "$tmp/fuzz" --type "$conf" --inputs "$inputs" --seed "$seed" ${FUZZ_ARGS:-} 2>&1 |
    while IFS= read -r line; do
        case "$line" in
            "ok - "*)     result "ok" "${line#ok - }"; lines=$((lines + 1)) ;;
            "not ok - "*) result "not ok" "${line#not ok - }"; lines=$((lines + 1)) ;;
            *)            echo "$line" ;;
        esac
    done
    status=${PIPESTATUS[0]}
    # a client that bails out or dies fails even without "not ok"
    if [ "$status" -ne 0 ] || [ "$lines" -eq 0 ]; then
        result "not ok" "$type: the fuzz client ended early (exit status $status)"
    fi
done

if [ ! -r "$logfile" ]; then
    result "not ok" "server log found (pg_lsclusters, port ${PGPORT:-5432})"
else
    tail -c +"$log_start" "$logfile" |
        grep -E 'terminated by signal|was terminated|exited with exit code|TRAP:|PANIC|out of memory|terminating any other active server' \
        >"$tmp/log.bad" || true
    if [ -s "$tmp/log.bad" ]; then
        head -n 20 "$tmp/log.bad" | sed 's/^/# /'
        result "not ok" "server log: a backend crashed, trapped or ran out of memory ($logfile)"
    else
        result "ok" "server log: no backend terminated by a signal, no TRAP, no out of memory"
    fi
fi
echo "1..$n"
[ "$failed" -eq 0 ]
