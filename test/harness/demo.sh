#!/bin/bash
# `make demo`: install what is missing, build, install, start a throwaway cluster, load the
# small sample warehouse and print an overview of its customers, one section per capability
# (test/demo/<capability>.sql, in the Makefile's CAPABILITIES order).
cd "$(dirname "$0")/../.."
. test/harness/common.sh
ensure_packages
build_and_install
in_throwaway_cluster test/harness/run-demo.sh
