#!/bin/sh
# scmp-apply --report does what the profile says after naming the call
# (issue 15): an errno default makes the call fail with that errno, which
# the program sees and handles; a log default lets it run; a listed call
# whose flags the profile does not allow is named with its flags decoded
# and the rule that came closest; a trap sends SIGSYS.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
A=$B/scmp-apply
ln -s target "$tmp/link"

# A profile for `ls -la` of a plain file: it lacks readlink, which a link
# needs (--exact: by default readlink comes with the stat family).
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- ls -la /etc/hostname >/dev/null || fail "trace failed"
grep -q '"readlink"' "$tmp/t.json" && skip "ls reads a link for a plain file here"
run_tool "$B/scmp-gen" -q --exact -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"
with_default() { # ACTION [ERRNO] > profile
	python3 - "$tmp/p.json" "$@" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["defaultAction"] = sys.argv[2]
if len(sys.argv) > 3:
    p["defaultErrnoRet"] = int(sys.argv[3])
print(json.dumps(p))
PY
}
with_default SCMP_ACT_ERRNO 13 >"$tmp/errno.json"
with_default SCMP_ACT_LOG >"$tmp/log.json"
with_default SCMP_ACT_TRAP >"$tmp/trap.json"

# The program writes to the same stderr, a message in several writes (dash:
# "sh: 1: " then the rest): a line of ours, written at once, may land inside
# one of its, so the lines are not looked for at the start of a line.

# errno: ls gets EACCES from readlink, says so and goes on.
"$A" --report "$tmp/errno.json" -- ls -la "$tmp/link" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -ne 159 ] && [ $rc -ne 0 ] || fail "errno default: status $rc, want ls's own failure: $(cat "$tmp/err")"
grep -q "scmp-apply: denied readlink \[x86_64\] by .*/ls (pid [0-9]*): not in $tmp/errno.json; failed with EACCES (errno)\$" "$tmp/err" ||
	fail "errno default: no line for readlink: $(cat "$tmp/err")"
grep -q "Permission denied" "$tmp/err" || fail "ls did not see EACCES: $(cat "$tmp/err")"
grep -q "link" "$tmp/out" || fail "ls did not go on after the errno: $(cat "$tmp/out")"
grep -q -- "->" "$tmp/out" && fail "ls read the link under an errno default: $(cat "$tmp/out")"

# log: readlink runs, ls prints the target, status 0, the call is named.
"$A" --report "$tmp/log.json" -- ls -la "$tmp/link" >"$tmp/out" 2>"$tmp/err" ||
	fail "log default: status $?: $(cat "$tmp/err")"
grep -q -- "link -> target" "$tmp/out" || fail "log default: readlink did not run: $(cat "$tmp/out")"
grep -q "scmp-apply: logged readlink \[x86_64\] by .*/ls (pid [0-9]*): not in $tmp/log.json; continued (log)\$" "$tmp/err" ||
	fail "log default: no line for readlink: $(cat "$tmp/err")"

# trap: SIGSYS, which ls does not catch.
sh -c '"$@"' sh "$A" --report "$tmp/trap.json" -- ls -la "$tmp/link" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 159 ] || fail "trap default: status $rc, want 159: $(cat "$tmp/err")"
grep -q "scmp-apply: denied readlink .*; SIGSYS sent (trap)\$" "$tmp/err" || fail "trap: no line: $(cat "$tmp/err")"

# A listed call with flags the profile does not allow: decoded, and the
# rule that came closest.  The profile of `cat` opens read-only.
run_tool "$B/scmp-trace" -q -o "$tmp/c.json" -- sh -c 'cat /etc/hostname' >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q -o "$tmp/c.prof" "$tmp/c.json" || fail "gen failed"
"$A" --report --default-action errno "$tmp/c.prof" -- sh -c "echo hi >$tmp/new" 2>"$tmp/err"
grep -q "scmp-apply: denied openat(flags=O_WRONLY|O_CREAT|O_TRUNC) \[x86_64\] by .*sh (pid [0-9]*): $tmp/c.prof syscalls\[[0-9]*\] allows openat only when flags & 0x[0-9a-f]* == O_RDONLY; here flags=O_WRONLY|O_CREAT|O_TRUNC; failed with EPERM (errno)\$" "$tmp/err" ||
	fail "openat for writing: no decoded line with the closest rule: $(cat "$tmp/err")"
[ ! -e "$tmp/new" ] || fail "the denied openat created the file"
echo "ok: --report returns the profile's errno, lets log run, traps with SIGSYS, decodes flags and names the closest rule"
