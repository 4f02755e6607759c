#!/bin/bash
# Runs inside the throwaway cluster started by demo.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/harness/common.sh

export PGOPTIONS="-c client_min_messages=warning"
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -P footer=off "$@"; }

echo "== loading the small sample warehouse (schema shop)"
psql_demo -f test/warehouse/generate.sql \
          -c "CREATE EXTENSION IF NOT EXISTS profiling" \
          -c "CALL sample_warehouse.build('shop', 'small', 42)"
for capability in $(capabilities); do
    [ -f "test/demo/$capability.sql" ] && psql_demo -f "test/demo/$capability.sql"
done
