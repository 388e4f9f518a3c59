#!/bin/sh
# Runs every tests/e2e/test_*.sh with B (build directory) and SRC (source
# tree) in the environment, from the source tree.  Exit 77 from a test is a
# skip and prints its reason; any other non-zero exit is a failure.  Each
# test gets E2E_TIMEOUT seconds (600).
# Usage: sh tests/run-e2e.sh [BUILD_DIR] [TEST_NAME...]
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-build}
case $B in /*) ;; *) B=$SRC/$B ;; esac
shift 2>/dev/null || true
export SRC B
cd "$SRC" || exit 1
pass=0 failed=0 skipped=0 failures=
tests=${*:-$(ls tests/e2e/test_*.sh)}
for t in $tests; do
	case $t in */*) ;; *) t=tests/e2e/$t ;; esac
	name=$(basename "$t" .sh)
	log=$(mktemp)
	start=$(date +%s)
	timeout -k 10 "${E2E_TIMEOUT:-600}" sh "$t" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${secs}s)"; grep '^note:' "$log" | sed 's/^/     /' ;;
	77) skipped=$((skipped + 1)); echo "SKIP $name: $(grep -i '^skip' "$log" | tail -1)" ;;
	*) failed=$((failed + 1)); failures="$failures $name"
	   echo "FAIL $name (exit $rc, ${secs}s)"; sed 's/^/     | /' "$log" | tail -40 ;;
	esac
	rm -f "$log"
done
echo "e2e: $pass passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || { echo "failed:$failures"; exit 1; }
