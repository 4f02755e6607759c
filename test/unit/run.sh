#!/bin/bash
# C unit tests of the pure numeric code (no PostgreSQL headers, no server).
#
# The rule: every test/unit/test_<name>.c tests src/<name>.c and is compiled with it, so a new
# module joins by adding its test_<name>.c here (its src/<name>.h must not include PostgreSQL
# headers). A module that calls other pure modules names them in its test, on one line of the
# form
#     /* unit-depends: src/a.c src/b.c */
# and they are compiled in too: the pure code is split by concern, not glued into one file. Each program prints TAP through test/unit/unit.h: "ok N - ..." / "not ok N - ...",
# "# " diagnostics, the plan "1..N" last.
#
# Builds into a temporary directory, never into the tree. Prints every program's TAP output and
# exits non-zero when a program does not compile, fails an assertion, dies, or ends without a
# plan that counts its assertions; each of those is also printed as a "not ok" line.
set -uo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
for test in test/unit/test_*.c; do
    [ -e "$test" ] || continue
    name=$(basename "$test" .c)
    name=${name#test_}
    depends=$(sed -n 's|^/\* unit-depends: \(.*\) \*/$|\1|p' "$test")
    echo "# $test with src/$name.c${depends:+ $depends}"
    # CC, PG_CFLAGS (CI sets -Werror) and depends may hold several words: split on purpose.
    # shellcheck disable=SC2086
    ${CC:-cc} -std=gnu99 -O2 -Wall -Wextra ${PG_CFLAGS:-} -Isrc "$test" "src/$name.c" $depends -lm \
        -o "$tmp/$name" >"$tmp/cc.log" 2>&1
    cc_status=$?
    sed 's/^/# /' "$tmp/cc.log"     # warnings too, as TAP comments
    if [ "$cc_status" -ne 0 ]; then
        echo "not ok 1 - $test compiles"
        echo "1..1"
        status=1
        continue
    fi

    timeout 600 "$tmp/$name" >"$tmp/out" 2>&1
    run_status=$?
    cat "$tmp/out"
    # A program that dies mid-line: end the line, so the "not ok" below starts its own.
    [ -z "$(tail -c 1 "$tmp/out")" ] || echo
    count=$(grep -cE '^(not )?ok [0-9]+' "$tmp/out")
    plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$tmp/out" | tail -n 1)
    if [ "$run_status" -ne 0 ] || grep -qE '^not ok [0-9]+' "$tmp/out"; then
        status=1
    fi
    if [ "$plan" != "$count" ] || [ "$count" -eq 0 ]; then
        echo "not ok $((count + 1)) - $test ends with a plan of its $count assertions (exit status $run_status)"
        status=1
    fi
done
exit "$status"
