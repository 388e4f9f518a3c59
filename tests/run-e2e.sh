#!/bin/sh
# Runs every tests/e2e/test_*.sh with B (build directory) and SRC (source
# tree) in the environment, from the source tree.  Exit 77 from a test is a
# skip and prints its reason; any other non-zero exit is a failure.  Under
# CI (CI set to anything) a skip, or a part of a test skipped with
# skip_part, fails the run unless tests/skips.allowed lists it and its
# condition holds here (tests/skipcheck.sh).  The summary names every skip.
# Each test gets E2E_TIMEOUT seconds (600).
# Usage: sh tests/run-e2e.sh [BUILD_DIR] [TEST_NAME...]
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-build}
case $B in /*) ;; *) B=$SRC/$B ;; esac
shift 2>/dev/null || true
export SRC B
cd "$SRC" || exit 1
[ -x "$B/tests/probe" ] || { echo "run-e2e: $B/tests/probe is missing (make builds it)"; exit 1; }
pass=0 failed=0 skipped=0 failures= skips=
SK_PARTS=$(mktemp)
export SK_PARTS
trap 'rm -f "$SK_PARTS"' EXIT

# Accepts or refuses one skip of TEST on CONDITION; prints a line for the log.
judge_skip() { # TEST CONDITION REASON
	skips="$skips $1${2:+ [$2]}"
	[ -n "${CI:-}" ] || return 0
	if _why=$(sh "$SRC/tests/skipcheck.sh" "$B" "$1" "${2:-none}"); then
		echo "     allowed under CI: condition ${2} holds here"
		return 0
	fi
	failed=$((failed + 1)); failures="$failures $1(skip)"
	echo "     FAIL under CI: this skip is not allowed: $_why"
}

tests=${*:-$(ls tests/e2e/test_*.sh)}
for t in $tests; do
	case $t in */*) ;; *) t=tests/e2e/$t ;; esac
	name=$(basename "$t" .sh)
	log=$(mktemp)
	: >"$SK_PARTS"
	start=$(date +%s)
	timeout -k 10 "${E2E_TIMEOUT:-600}" sh "$t" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${secs}s)"; grep '^note:' "$log" | sed 's/^/     /' ;;
	77) skipped=$((skipped + 1))
	    line=$(grep -i '^skip' "$log" | tail -1)
	    echo "SKIP $name: $line"
	    cond=$(echo "$line" | sed -n 's/^SKIP \[\([^]]*\)\]:.*/\1/p')
	    judge_skip "$name" "$cond" ;;
	*) failed=$((failed + 1)); failures="$failures $name"
	   echo "FAIL $name (exit $rc, ${secs}s)"; sed 's/^/     | /' "$log" | tail -40 ;;
	esac
	while read -r pname pcond preason; do
		echo "     part of $name skipped [$pcond]: $preason"
		judge_skip "$pname" "$pcond"
	done <"$SK_PARTS"
	rm -f "$log"
done
echo "e2e: $pass passed, $failed failed, $skipped skipped"
[ -z "$skips" ] || echo "skipped (whole or part):$skips"
[ $failed -eq 0 ] || { echo "failed:$failures"; exit 1; }
