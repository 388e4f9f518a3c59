#!/bin/sh
# Inputs that looked fine and were not (issue 13 item 7):
#  - "close\u0000ptrace": json-c cuts a string at \u0000; refused in traces
#    and profiles with the JSON path (the bad-profile corpus has more);
#  - NaN, Infinity, 1e308 where a number is wanted: refused with why, not
#    as "a fraction";
#  - an SCMP_ACT_NOTIFY rule: refused by --check as running refuses it;
#  - errno 0 as the default action (scmp-gen -d errno:0, scmp-apply -d,
#    defaultErrnoRet 0): allowed, as Docker allows it, with a warning that
#    denied calls then look successful;
#  - a trace given to scmp-apply: one sentence, status 125.
. "$SRC/tests/e2e/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
G="$B/scmp-gen"
A="$B/scmp-apply"
D="$SRC/tests/data/profiles/bad"

trace() { # FILE NAME COUNT
	printf '{"format": "scmpkit-trace", "version": 1, "executables": [], "syscalls": [{"arch": "SCMP_ARCH_X86_64", "name": "%s", "nr": 3, "count": %s}]}\n' "$2" "$3" >"$1"
}

# A NUL inside a name: refused, never read as "close".
trace nul.json 'close\u0000ptrace' 1
run_tool "$G" -q -o out.json nul.json 2>err
[ $? -eq 1 ] || fail "scmp-gen: a name with \\u0000 was accepted"
[ "$(cat err)" = 'scmp-gen: nul.json: syscalls[0].name: the string at 1:112 holds a NUL character (\u0000), where json-c would cut it short' ] ||
	fail "scmp-gen NUL message: $(cat err)"
[ ! -e out.json ] || fail "a profile was written"

# Numbers that are no integers.
for v in NaN:'not a number, and not JSON' Infinity:'not a finite number, and not JSON' \
	1e308:'beyond 64 bits' 2.5:'a fraction'; do
	trace num.json close "${v%%:*}"
	run_tool "$G" -q -o out.json num.json 2>err
	[ $? -eq 1 ] || fail "count ${v%%:*} accepted"
	[ "$(cat err)" = "scmp-gen: num.json: syscalls[0].count: expected a non-negative integer, not double ${v%%:*} (${v#*:})" ] ||
		fail "count ${v%%:*}: $(cat err)"
done

# NOTIFY: --check refuses it as running does, -q or not.  (Not under
# valgrind, which has no seccomp(2): libseccomp would refuse NOTIFY first.)
"$A" -q --check "$D/notify-rule.json" >out 2>err
st=$?
[ $st -eq 125 ] || fail "--check of a NOTIFY rule: status $st, want 125"
[ ! -s out ] || fail "--check of a NOTIFY rule printed a summary"
[ "$(cat err)" = "scmp-apply: $D/notify-rule.json: syscalls[0]: SCMP_ACT_NOTIFY needs a supervisor, and scmp-apply runs none (scmp-trace --baseline does)" ] ||
	fail "--check NOTIFY message: $(cat err)"
"$A" --check "$D/notify-default.json" >/dev/null 2>&1
[ $? -eq 125 ] || fail "--check of a NOTIFY default: not 125"

# errno 0: a warning from both tools, silenced by -q; the profile is made.
trace ok.json close 1
run_tool "$G" -d errno:0 -o ok-profile.json ok.json 2>err || fail "scmp-gen -d errno:0 refused: $(cat err)"
grep -qx 'scmp-gen: warning: --default-action: errno 0: every call the profile does not allow returns 0 without running, so the program sees it succeed; EPERM or ENOSYS deny it' err ||
	fail "scmp-gen -d errno:0: no warning: $(cat err)"
grep -q '"defaultErrnoRet": 0' ok-profile.json || fail "errno 0 not in the profile"
run_tool "$G" -q -d errno:0 -o /dev/null ok.json 2>err || fail "scmp-gen -q -d errno:0 failed"
# (valgrind's own "--N--" lines aside, under make check-valgrind)
! grep -v '^--[0-9]*--' err | grep -q . || fail "-q printed: $(cat err)"
run_tool "$G" -d errno:EPERM -o /dev/null ok.json 2>err || fail "scmp-gen -d errno:EPERM failed"
grep -q 'errno 0' err && fail "errno:EPERM warned about errno 0"
run_tool "$A" --check ok-profile.json >/dev/null 2>err
grep -qx "scmp-apply: warning: ok-profile.json: defaultErrnoRet: errno 0: every call the profile does not allow returns 0 without running, so the program sees it succeed; EPERM or ENOSYS deny it" err ||
	fail "scmp-apply: no warning for defaultErrnoRet 0: $(cat err)"
run_tool "$A" -d errno:0 --check "$SRC/tests/data/profiles/fixtures/docker-default.json" >/dev/null 2>err
grep -q "^scmp-apply: warning: --default-action: errno 0: " err || fail "scmp-apply -d errno:0: no warning"

# A trace given to scmp-apply: one line, not a warning per key.
run_tool "$A" --check "$D/trace-file.json" >out 2>err
[ $? -eq 125 ] || fail "a trace as a profile: not 125"
[ "$(cat err)" = "scmp-apply: $D/trace-file.json: this is a trace (\"format\": \"scmpkit-trace\"), not a seccomp profile: run scmp-gen on it first" ] ||
	fail "a trace as a profile:
$(cat err)"
# And the other way round.
run_tool "$G" -o /dev/null "$SRC/tests/data/profiles/fixtures/docker-default.json" 2>err
[ $? -eq 1 ] || fail "a profile as a trace: not 1"
grep -q "this is a seccomp profile" err || fail "a profile as a trace: $(cat err)"
echo "ok: NUL in strings, NaN and friends, NOTIFY under --check, errno 0, a trace for a profile"
