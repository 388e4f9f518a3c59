#!/bin/sh
# scmp-apply --complain FILE: under a profile that lacks one call the
# program needs, the program completes, FILE names the missing call (and
# only it), and the profile regenerated from both traces then runs the
# program under enforcement.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rf=$B/samples/readfile
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- "$rf" /etc/hostname >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"
# Enforced, --uname is killed (the profile lacks uname).
sh -c '"$@"' sh "$B/scmp-apply" "$tmp/p.json" -- "$rf" /etc/hostname --uname >/dev/null 2>&1
rc=$?
[ $rc -eq 159 ] || fail "under enforcement the missing call was not stopped (status $rc)"
# Complain mode: it completes and the missing call is recorded.
run_tool "$B/scmp-apply" --complain "$tmp/c.json" "$tmp/p.json" -- "$rf" /etc/hostname --uname \
	>"$tmp/out" 2>"$tmp/err" || fail "complain run failed: $(cat "$tmp/err")"
grep -q "^kernel: " "$tmp/out" || fail "the program did not complete under --complain"
grep -q "uname" "$tmp/err" || fail "--complain did not report uname: $(cat "$tmp/err")"
syscall_set "$tmp/c.json" >"$tmp/set"
[ "$(cat "$tmp/set")" = "SCMP_ARCH_X86_64 uname" ] || fail "complain trace holds more or less than uname: $(cat "$tmp/set")"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t["backend"]=="complain", t["backend"]' "$tmp/c.json" ||
	fail "backend is not complain"
# Merged and regenerated, the profile runs it under enforcement.
run_tool "$B/scmp-gen" -q -o "$tmp/p2.json" "$tmp/t.json" "$tmp/c.json" || fail "merge failed"
"$B/scmp-apply" "$tmp/p2.json" -- "$rf" /etc/hostname --uname >"$tmp/out" 2>&1 ||
	fail "the refined profile does not run the program: $(cat "$tmp/out")"
grep -q "^kernel: " "$tmp/out" || fail "refined profile: no uname output"
# The complain file must not be written when the profile is bad.
echo '{"defaultAction": "SCMP_ACT_NOPE"}' >"$tmp/bad.json"
"$B/scmp-apply" --complain "$tmp/c2.json" "$tmp/bad.json" -- true 2>"$tmp/err"
rc=$?
[ $rc -eq 125 ] || fail "bad profile under --complain: status $rc, want 125"
[ ! -e "$tmp/c2.json" ] || fail "a complain file was written for a bad profile"
echo "ok: complain mode records the missing call; the refined profile enforces"
