#!/bin/bash
# `make test`: install what is missing, build, install, then run every pg_regress test and every
# pgTAP suite in a throwaway cluster, then the sharded test (test/shards). Ends with "N passed, N failed".
cd "$(dirname "$0")/../.."
. test/harness/common.sh
ensure_packages
build_and_install
in_throwaway_cluster test/harness/run-suites.sh
