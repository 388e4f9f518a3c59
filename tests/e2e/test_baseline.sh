#!/bin/sh
# --baseline PROFILE records only what PROFILE does not allow; a program
# whose profile is complete leaves an empty trace; the missing call is found.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
esc="$B/samples/escape"
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- "$esc" none >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"
# Same program under its own profile: nothing new.
run_tool "$B/scmp-trace" -q --baseline "$tmp/p.json" -o "$tmp/b.json" -- "$esc" none >"$tmp/out" ||
	fail "baseline run failed"
grep -q "escaped none" "$tmp/out" || fail "the program did not complete under --baseline"
n=$(syscall_set "$tmp/b.json" | wc -l)
[ "$n" -eq 0 ] || fail "baseline of a complete profile recorded $n calls: $(syscall_set "$tmp/b.json")"
# The thread attempt makes getppid, which the profile lacks: only it is new.
run_tool "$B/scmp-trace" -q --baseline "$tmp/p.json" -o "$tmp/b2.json" -- "$esc" thread >"$tmp/out" ||
	fail "baseline run failed"
grep -q "escaped thread" "$tmp/out" || fail "a call the profile lacks was not continued under --baseline"
syscall_set "$tmp/b2.json" >"$tmp/set"
grep -qx "SCMP_ARCH_X86_64 getppid" "$tmp/set" || fail "getppid not recorded: $(cat "$tmp/set")"
[ "$(wc -l <"$tmp/set")" -eq 1 ] || fail "more than the new call recorded: $(cat "$tmp/set")"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t["backend"]=="baseline", t["backend"]' "$tmp/b2.json" ||
	fail "backend is not baseline"
# Merged, the two traces make a profile that runs the attempt under enforcement.
run_tool "$B/scmp-gen" -o "$tmp/p2.json" "$tmp/t.json" "$tmp/b2.json" || fail "merge failed"
"$B/scmp-apply" "$tmp/p2.json" -- "$esc" thread >"$tmp/out" 2>&1 || fail "refined profile does not run it: $(cat "$tmp/out")"
grep -q "escaped thread" "$tmp/out" || fail "refined profile: program did not complete"
echo "ok: baseline records only the new call"
