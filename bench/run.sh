#!/bin/bash
# `make bench`: build, install, and in a throwaway cluster build the large sample warehouse
# (BENCH_SCALE=small for a quick try) and run bench/<capability>.sql for every capability.
# Not part of the tests: timings belong here, never in a test.
cd "$(dirname "$0")/.."
. test/harness/common.sh
ensure_packages
build_and_install
export BENCH_SCALE=${BENCH_SCALE:-large}
in_throwaway_cluster bench/run-in-cluster.sh
