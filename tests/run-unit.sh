#!/bin/sh
# Runs the cmocka unit tests given as arguments.  A cmocka skip passes
# outside CI; under CI (CI set to anything) it fails unless
# tests/skips.allowed lists unit:BINARY:FUNCTION (or unit:BINARY:*) with a
# condition that holds here (tests/skipcheck.sh).  The summary names every
# skip.  Counts are of test programs, except skips (single tests).
# Usage: sh tests/run-unit.sh BUILD_DIR TEST_BINARY...
set -u
B=$1
shift
src=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 skipped=0 failures= skips=
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	bin=$(basename "$t")
	echo "== $t"
	"$t" >"$log" 2>&1
	rc=$?
	cat "$log"
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failures="$failures $bin"
	fi
	# cmocka lists each skipped test twice (as it runs and in the summary).
	for f in $(sed -n 's/^\[  SKIPPED \] \([A-Za-z0-9_]*\)$/\1/p' "$log" | sort -u); do
		skipped=$((skipped + 1))
		skips="$skips $bin:$f"
		[ -n "${CI:-}" ] || continue
		cond=$(awk -v b="unit:$bin:" 'index($1, b) == 1 { print $2; exit }' "$src/tests/skips.allowed")
		if ! why=$(sh "$src/tests/skipcheck.sh" "$B" "unit:$bin:$f" "${cond:-none}"); then
			echo "FAIL under CI: $bin: $f skipped: $why"
			failed=$((failed + 1)); failures="$failures $bin:$f(skip)"
		fi
	done
done
echo "unit: $passed passed, $failed failed, $skipped skipped"
[ -z "$skips" ] || echo "skipped:$skips"
[ $failed -eq 0 ] || { echo "unit tests FAILED:$failures"; exit 1; }
