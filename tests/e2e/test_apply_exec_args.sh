#!/bin/sh
# "Would the exec be denied" is asked of the exec scmp-apply will make
# (issue 13 item 5): running, the filter is run on execve(path, argv, envp)
# with the real pointers and zeros in the unused registers, the very values
# apply/exec_sys.c passes; --check, which knows no pointers, refuses a
# profile whose exec gets through only for some argument values.
#   envp-null: execve allowed only with args[2] == 0 (all-zero arguments,
#     which the old check tried, pass; a real envp does not): refused with
#     125 before loading, never SIGSYS (159) at the exec.
#   envp-set: execve allowed only with args[2] != 0: runs (the old check,
#     on zeros, refused it).
#   spare-zero: execve killed unless args[3..5] are 0: runs, since those
#     registers are zero, not what libc's execve left in them.
. "$SRC/tests/e2e/lib.sh"
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
A="$B/scmp-apply"
[ "$(uname -m)" = x86_64 ] || skip "the messages name SCMP_ARCH_X86_64"

cat >"$tmp/envp-null.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["execve", "execveat"], "action": "SCMP_ACT_KILL_PROCESS",
  "args": [{"index": 2, "value": 0, "op": "SCMP_CMP_NE"}]}]}
EOF
cat >"$tmp/envp-set.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["execve"], "action": "SCMP_ACT_ERRNO",
  "args": [{"index": 2, "value": 0, "op": "SCMP_CMP_EQ"}]},
 {"names": ["execveat"], "action": "SCMP_ACT_ERRNO"}]}
EOF
cat >"$tmp/spare-zero.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["execve"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 3, "value": 0, "op": "SCMP_CMP_NE"}]},
 {"names": ["execve"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 4, "value": 0, "op": "SCMP_CMP_NE"}]},
 {"names": ["execve"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 5, "value": 0, "op": "SCMP_CMP_NE"}]},
 {"names": ["execveat"], "action": "SCMP_ACT_KILL_PROCESS"}]}
EOF

# Running: refused before the load, with 125 and why; nothing ran.
"$A" -q "$tmp/envp-null.json" -- touch "$tmp/ran" 2>"$tmp/err"
st=$?
[ $st -eq 125 ] || fail "envp-null: status $st, want 125 ($(cat "$tmp/err"))"
[ ! -e "$tmp/ran" ] || fail "envp-null: the program ran"
[ "$(cat "$tmp/err")" = "scmp-apply: $tmp/envp-null.json: the profile's rules for the exec compare its arguments and stop the one that would start the program: execve(path, argv, envp) gets SCMP_ACT_KILL_PROCESS and execveat(AT_FDCWD, path, argv, envp, 0) gets SCMP_ACT_KILL_PROCESS on SCMP_ARCH_X86_64 with the pointers scmp-apply passes; allow execve without argument rules" ] ||
	fail "envp-null message: $(cat "$tmp/err")"
# Even with an empty environment: envp is a pointer to an empty list.
env -i "$A" -q "$tmp/envp-null.json" -- /bin/true 2>/dev/null
[ $? -eq 125 ] || fail "envp-null under env -i: not 125"

"$A" -q "$tmp/envp-set.json" -- sh -c 'exit 7'
st=$?
[ $st -eq 7 ] || fail "envp-set: status $st, want the program's 7"
for i in 1 2 3 4 5; do
	"$A" -q "$tmp/spare-zero.json" -- sh -c 'exit 7'
	st=$?
	[ $st -eq 7 ] || fail "spare-zero: status $st, want the program's 7 (run $i)"
done

# --check: the same profiles without a program.
"$A" -q --check "$tmp/envp-null.json" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 125 ] || fail "--check envp-null: status $st, want 125"
[ ! -s "$tmp/out" ] || fail "--check envp-null printed a summary"
[ "$(cat "$tmp/err")" = "scmp-apply: $tmp/envp-null.json: the profile allows execve only for some argument values (others get SCMP_ACT_KILL_PROCESS) and allows execveat only for some argument values (others get SCMP_ACT_KILL_PROCESS) on SCMP_ARCH_X86_64: whether a program can be started under it depends on the exec's pointers, which --check cannot know; allow execve without argument rules" ] ||
	fail "--check envp-null message: $(cat "$tmp/err")"
"$A" -q --check "$tmp/envp-set.json" >/dev/null 2>"$tmp/err"
[ $? -eq 125 ] || fail "--check envp-set: not 125"
grep -q "allows execve only for some argument values (others get SCMP_ACT_ERRNO(1)) and does not allow execveat (SCMP_ACT_ERRNO(1))" "$tmp/err" ||
	fail "--check envp-set message: $(cat "$tmp/err")"
# execveat without a rule gets through whatever the arguments: fine.
"$A" -q --check "$tmp/spare-zero.json" >/dev/null || fail "--check spare-zero refused"
echo "ok: the exec check runs on the exec's real arguments, --check on all of them"
