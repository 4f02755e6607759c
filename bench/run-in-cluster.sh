#!/bin/bash
# Runs inside the throwaway cluster started by bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/harness/common.sh
psql_bench() { psql -X -q -v ON_ERROR_STOP=1 -P footer=off "$@"; }

# The settings every figure is measured with (quoted in the README).
psql_bench -c "ALTER SYSTEM SET work_mem = '256MB'" -c "ALTER SYSTEM SET shared_buffers = '2GB'" \
           -c "ALTER SYSTEM SET max_parallel_workers_per_gather = 2" -c "ALTER SYSTEM SET jit = off"
pg_ctlcluster "$PG_MAJOR" regress restart 2>/dev/null || true

echo "== building the $BENCH_SCALE sample warehouse (schema bench_shop)"
start=$(date +%s)
psql_bench -f test/warehouse/generate.sql -c "CREATE EXTENSION IF NOT EXISTS profiling" \
           -c "CALL sample_warehouse.build('bench_shop', '$BENCH_SCALE', 42)" \
           -c "VACUUM ANALYZE bench_shop.orders" -f bench/lib.sql
echo "   built in $(( $(date +%s) - start )) s"
psql_bench -c "SELECT scale, customers, orders, pg_size_pretty(pg_total_relation_size('bench_shop.orders')) AS orders_size,
                      current_setting('work_mem') AS work_mem, current_setting('shared_buffers') AS shared_buffers,
                      current_setting('jit') AS jit FROM bench_shop.warehouse_info"
# BENCH_ONLY="room ..." runs only those rooms' benchmarks (the warehouse is built all the same).
for capability in ${BENCH_ONLY:-$(capabilities)}; do
    if [ -f "bench/$capability.sql" ]; then
        echo "== $capability"
        psql_bench -f "bench/$capability.sql"
    fi
done
