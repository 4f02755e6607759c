#!/bin/bash
# `make bench`: build, install, and in a throwaway cluster build the large sample warehouse
# (BENCH_SCALE=small for a quick try) and run bench/<capability>.sql for every capability.
# Not part of the tests: timings belong here, never in a test.
cd "$(dirname "$0")/.."
. test/harness/common.sh
ensure_packages
# bench/btyd.sql compares its fits with scipy: Debian's python3-scipy, for the benchmark only
# (make test never needs it). Installed here when missing; the comparison says it is skipped if
# that fails.
if ! dpkg-query -W -f='${Status}' python3-scipy 2>/dev/null | grep -q 'ok installed'; then
    echo "== installing python3-scipy (for bench/btyd.sql)"
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy >/dev/null; } ||
        echo "   python3-scipy could not be installed: the scipy comparison will be skipped"
fi
build_and_install
export BENCH_SCALE=${BENCH_SCALE:-large}
in_throwaway_cluster bench/run-in-cluster.sh
