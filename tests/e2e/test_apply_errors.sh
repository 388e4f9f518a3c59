#!/bin/sh
# scmp-apply refuses bad profiles, bad usage and missing programs before
# anything runs: 125 with the exact message, 127 not found, 126 not
# executable.  "Nothing ran" is proven with a command that would create a file.
set -u
F=tests/data/profiles/fixtures
A="$B/scmp-apply"
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# expect STATUS MESSAGE PROFILE [ARGS...]: runs PROFILE -- touch, checks
# the status, stderr and that touch never ran.
expect() {
	want_st=$1 want_msg=$2 prof=$3
	shift 3
	rm -f "$tmp/ran"
	"$A" -q "$@" "$prof" -- touch "$tmp/ran" 2>"$tmp/err"
	st=$?
	[ $st -eq "$want_st" ] || fail "$prof: status $st, want $want_st ($(cat "$tmp/err"))"
	[ "$(cat "$tmp/err")" = "$want_msg" ] ||
		fail "$prof: message '$(cat "$tmp/err")', want '$want_msg'"
	[ ! -e "$tmp/ran" ] || fail "$prof: the program ran"
}

cat >"$tmp/op.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["a"], "action": "SCMP_ACT_LOG"}, {"names": ["b"], "action": "SCMP_ACT_LOG"},
 {"names": ["c"], "action": "SCMP_ACT_LOG"},
 {"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQQ"}]}]}
JSON
expect 125 "scmp-apply: $tmp/op.json: syscalls[3].args[0].op: unknown operator \"SCMP_CMP_EQQ\"" "$tmp/op.json"

printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [}\n' >"$tmp/syntax.json"
expect 125 "scmp-apply: $tmp/syntax.json:2:15: JSON syntax error: unexpected character" "$tmp/syntax.json"

cat >"$tmp/conflict.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}, {"names": ["rmdir", "mkdir"], "action": "SCMP_ACT_KILL"}]}
JSON
expect 125 "scmp-apply: $tmp/conflict.json: syscalls[1]: \"mkdir\" conflicts with syscalls[0] (SCMP_ACT_KILL vs SCMP_ACT_ERRNO)" "$tmp/conflict.json"

cat >"$tmp/unknown.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}
JSON
ver=$("$A" --check "$tmp/unknown.json" 2>&1 | sed -n 's/.*unknown to \(libseccomp [0-9.]*\);.*/\1/p')
[ -n "$ver" ] || fail "no libseccomp version in the unknown-name message"
expect 125 "scmp-apply: $tmp/unknown.json: syscalls[0]: \"no_such_call\" is unknown to $ver; a rule that denies cannot skip it" "$tmp/unknown.json"

# A profile that does not allow execve is refused before loading.
[ "$(uname -m)" = x86_64 ] && expect 125 "scmp-apply: $F/parse-only/moby-conditional_include.json: the profile does not allow execve (SCMP_ACT_ERRNO(1)) or execveat (SCMP_ACT_ERRNO(1)) on SCMP_ARCH_X86_64, so the program could not be started under it; add \"execve\" to a rule that allows" \
	"$F/parse-only/moby-conditional_include.json"

expect 125 "scmp-apply: $tmp/missing.json: No such file or directory" "$tmp/missing.json"
expect 125 "scmp-apply: --default-action: invalid action 'errno:ENOTREAL'
Try 'scmp-apply --help' for more information." "$F/docker-default.json" --default-action errno:ENOTREAL

# Program lookup: 127 not found, 126 not executable (as env(1)).
"$A" -q "$F/docker-default.json" -- "$tmp/nope" 2>"$tmp/err"
[ $? -eq 127 ] || fail "missing program: not 127"
[ "$(cat "$tmp/err")" = "scmp-apply: $tmp/nope: No such file or directory" ] || fail "127 message: $(cat "$tmp/err")"
# (A PATH of readable directories: an unreadable one makes it 126, as execvp.)
PATH=/usr/bin:/bin "$A" -q "$F/docker-default.json" -- scmpkit-no-such-program-$$ 2>/dev/null
[ $? -eq 127 ] || fail "program not in PATH: not 127"
printf '#!/bin/sh\ntouch "%s/ran"\n' "$tmp" >"$tmp/noexec"
chmod 644 "$tmp/noexec"
"$A" -q "$F/docker-default.json" -- "$tmp/noexec" 2>"$tmp/err"
[ $? -eq 126 ] || fail "non-executable program: not 126"
[ "$(cat "$tmp/err")" = "scmp-apply: $tmp/noexec: Permission denied" ] || fail "126 message: $(cat "$tmp/err")"
[ ! -e "$tmp/ran" ] || fail "the non-executable program ran"

# Usage.
"$A" >/dev/null 2>&1; [ $? -eq 125 ] || fail "no arguments: not 125"
"$A" "$F/docker-default.json" 2>/dev/null; [ $? -eq 125 ] || fail "no program: not 125"
"$A" --bogus 2>/dev/null; [ $? -eq 125 ] || fail "unknown option: not 125"
"$A" --check --export bpf "$F/docker-default.json" 2>/dev/null; [ $? -eq 125 ] || fail "--check --export: not 125"
"$A" --help | grep -q '^Usage: scmp-apply \[OPTIONS\] PROFILE.json \[--\] PROG \[ARGS...\]$' || fail "--help"
[ "$("$A" --version)" = "scmp-apply $(sed -n 's/^VERSION *:= *//p' GNUmakefile)" ] || fail "--version: $("$A" --version)"

# The order (issue 24 item 8): PROG given before PROFILE is found out from
# the profile, not from a lookup of the profile as a program.
cp "$F/docker-default.json" "$tmp/allow.json"
(cd "$tmp" && "$A" /bin/ls allow.json) >/dev/null 2>"$tmp/err"
st=$?
[ $st -eq 125 ] || fail "PROG PROFILE: status $st, want 125 ($(cat "$tmp/err"))"
[ "$(cat "$tmp/err")" = "scmp-apply: /bin/ls is not a seccomp profile (not JSON text)
Usage: scmp-apply [OPTIONS] PROFILE.json [--] PROG [ARGS...]" ] || fail "PROG PROFILE: $(cat "$tmp/err")"
# A script where the profile goes is no profile either; JSON that is no
# object keeps its JSON message (tests/data/profiles/bad).
printf '#!/bin/sh\ntrue\n' >"$tmp/s.sh"
"$A" "$tmp/s.sh" -- true 2>"$tmp/err"
[ $? -eq 125 ] && grep -q "s.sh is not a seccomp profile" "$tmp/err" || fail "a script as PROFILE: $(cat "$tmp/err")"
# The profile is read before PROG is looked up.
"$A" "$tmp/nope.json" -- no-such-program-xyz 2>"$tmp/err"
st=$?
[ $st -eq 125 ] && grep -q "nope.json" "$tmp/err" || fail "a missing profile and program: status $st, $(cat "$tmp/err")"
# Options after PROFILE, before PROG or "--", are scmp-apply's.
"$A" "$tmp/allow.json" -q -- touch "$tmp/ran" 2>"$tmp/err" || fail "PROFILE -q -- PROG: $(cat "$tmp/err")"
[ -e "$tmp/ran" ] || fail "PROFILE -q -- PROG did not run PROG"
"$A" "$tmp/allow.json" --bogus -- true 2>"$tmp/err"
[ $? -eq 125 ] && grep -q "invalid option or missing argument: '--bogus'" "$tmp/err" ||
	fail "an unknown option after PROFILE: $(cat "$tmp/err")"
"$A" "$tmp/allow.json" --check -- true 2>"$tmp/err"
[ $? -eq 125 ] || fail "--check after PROFILE with a PROG was accepted: $(cat "$tmp/err")"
"$A" "$tmp/allow.json" --export bpf -o "$tmp/f.bpf" 2>"$tmp/err" && [ -s "$tmp/f.bpf" ] ||
	fail "--export after PROFILE: $(cat "$tmp/err")"
if "$B/tests/probe" notify >/dev/null 2>&1; then
	"$A" "$tmp/allow.json" --report -- true 2>"$tmp/err" || fail "PROFILE --report -- PROG: $(cat "$tmp/err")"
	grep -q "report: .*allow.json denied nothing" "$tmp/err" || fail "--report after PROFILE did not report: $(cat "$tmp/err")"
fi
echo "ok: bad profiles, usage and programs are refused before anything runs; PROG PROFILE named; options after PROFILE"
