# Shared by the README's two commands (test/harness/demo.sh, test/harness/test.sh) and
# bench/run.sh: make sure the build and test dependencies are there, build, install.
# Safe to repeat: it installs only what is missing and never touches an existing cluster
# (every command that needs a server runs in a throwaway pg_virtualenv cluster).
set -euo pipefail

PG_MAJOR=15
if [ -z "${PG_CONFIG:-}" ]; then
    PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
fi
export PG_CONFIG

# initdb refuses root, so servers run under pg_virtualenv; installing needs root (or sudo).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local pkg missing=()
    for pkg in postgresql-common postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR \
               postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl libpq-dev; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

build_and_install() {
    echo "== building profiling"
    make -s PG_CONFIG="$PG_CONFIG"
    as_root make -s install PG_CONFIG="$PG_CONFIG" >/dev/null
}

# Run a command against a throwaway cluster that vanishes when it ends.
in_throwaway_cluster() {
    # -t: a private temporary cluster directory even as root, so no existing cluster (not even one
    # named "regress") is touched and two runs never collide.
    pg_virtualenv -t -v "$PG_MAJOR" "$@"
}

# The capabilities in install order, read from the Makefile's one line.
capabilities() {
    sed -n 's/^CAPABILITIES *= *//p' Makefile
}
