#!/bin/bash
# Runs inside the throwaway cluster (PGHOST/PGPORT/PGUSER set by pg_virtualenv): the C unit tests
# (test/unit/run.sh, no server needed), pg_regress via `make installcheck`, pg_prove over
# test/pgtap/*.sql, then a short fuzz run (test/harness/fuzz.sh, 10,000 inputs per type and mode),
# then the sharded test (test/shards/run.sh: three shard clusters of its own, this cluster as the
# coordinator). Counts unit assertions, regression tests, pgTAP assertions, fuzz checks and
# sharded assertions; prints the
# regression diffs when a test fails; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests (test/unit)"
test/unit/run.sh >"$log" 2>&1
status=$?
grep -vE '^ok [0-9]+' "$log"     # show failures, diagnostics and plans, not every passing line
unit_passed=$(grep -cE '^ok [0-9]+' "$log" || true)
unit_failed=$(grep -cE '^not ok [0-9]+' "$log" || true)
# A program that does not compile, dies or misses its plan fails even if no assertion said
# "not ok"; so does a run without any plan (no unit test found).
if { [ "$status" -ne 0 ] || ! grep -qE '^1\.\.[0-9]+$' "$log"; } && [ "$unit_failed" -eq 0 ]; then
    unit_failed=1
fi

echo "== regression tests (pg_regress)"
make -s installcheck PG_CONFIG="${PG_CONFIG:-pg_config}" 2>&1 | tee "$log"
make_status=${PIPESTATUS[0]}
reg_passed=$(grep -cE '\.\.\. ok( |$)' "$log" || true)
reg_failed=$(grep -cE '\.\.\. (FAILED|failed)' "$log" || true)
# pg_regress that could not run at all fails too.
if [ "$make_status" -ne 0 ] && [ "$reg_failed" -eq 0 ]; then reg_failed=1; fi
if [ "$reg_failed" -gt 0 ] && [ -f regression.diffs ]; then
    echo "== regression.diffs"
    cat regression.diffs
fi

echo "== pgTAP suites (pg_prove)"
tap_passed=0
tap_failed=0
db=profiling_tap
createdb "$db"
psql -q -d "$db" -c 'CREATE EXTENSION pgtap'
for suite in test/pgtap/*.sql; do
    [ -e "$suite" ] || continue
    pg_prove -v -d "$db" "$suite" >"$log" 2>&1
    status=$?
    grep -vE '^ok [0-9]+' "$log"     # show failures and summaries, not every passing line
    ok=$(grep -cE '^ok [0-9]+' "$log" || true)
    bad=$(grep -cE '^not ok [0-9]+' "$log" || true)
    # A suite that dies or misses its plan fails even if no assertion said "not ok".
    if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
    tap_passed=$((tap_passed + ok))
    tap_failed=$((tap_failed + bad))
done

echo "== fuzz, short run (test/harness/fuzz.sh)"
test/harness/fuzz.sh --here 10000 >"$log" 2>&1
status=$?
cat "$log"
fuzz_passed=$(grep -cE '^ok [0-9]+' "$log" || true)
fuzz_failed=$(grep -cE '^not ok [0-9]+' "$log" || true)
# A harness that could not run fails even if no check said "not ok".
if [ "$status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then fuzz_failed=1; fi

echo "== sharded, three postgres_fdw shards (test/shards/run.sh)"
test/shards/run.sh --here >"$log" 2>&1
status=$?
grep -vE '^ok [0-9]+' "$log"     # show failures and summaries, not every passing line
shard_passed=$(grep -cE '^ok [0-9]+' "$log" || true)
shard_failed=$(grep -cE '^not ok( [0-9]+)?' "$log" || true)
# A harness or suite that could not run fails even if no assertion said "not ok".
if [ "$status" -ne 0 ] && [ "$shard_failed" -eq 0 ]; then shard_failed=1; fi

passed=$((unit_passed + reg_passed + tap_passed + fuzz_passed + shard_passed))
failed=$((unit_failed + reg_failed + tap_failed + fuzz_failed + shard_failed))
echo "unit assertions: $unit_passed passed, $unit_failed failed; regression tests: $reg_passed passed, $reg_failed failed; pgTAP assertions: $tap_passed passed, $tap_failed failed; fuzz checks: $fuzz_passed passed, $fuzz_failed failed; sharded assertions: $shard_passed passed, $shard_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
