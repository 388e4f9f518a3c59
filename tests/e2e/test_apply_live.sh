#!/bin/sh
# Live tests in the style of bubblewrap's try-syscall: under a profile, each
# allowed call gets through (EFAULT on a bad pointer, so it does nothing),
# each denied call gets the profile's errno, or SIGSYS for kill and trap;
# argument rules decide by value.  Then the same filter exported as raw BPF
# holds under bubblewrap's --seccomp.
. "$SRC/tests/e2e/lib.sh"
need_seccomp
need_cmd cc python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
try=$B/samples/trysyscall
nr() { printf '#include <sys/syscall.h>\nSYS_%s\n' "$1" | cc -E -P - | tail -1; }
EFAULT=14 EACCES=13 ENOSYS=38 EPERM=1
cat >"$tmp/p.json" <<JSON
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": $EACCES},
 {"names": ["getcwd"], "action": "SCMP_ACT_KILL_PROCESS"},
 {"names": ["getppid"], "action": "SCMP_ACT_TRAP"},
 {"names": ["getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": $ENOSYS},
 {"names": ["umask"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 18, "op": "SCMP_CMP_EQ"}]},
 {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]}
]}
JSON
expect() { # WANT NAME ARGS...  (WANT: "ok", "errno N" or a status like 159)
	want=$1 name=$2
	shift 2
	out=$("$B/scmp-apply" -q "$tmp/p.json" -- "$try" "$(nr "$name")" "$@" 2>/dev/null)
	st=$?
	case $want in
	[0-9]*) [ $st -eq "$want" ] || fail "$name $*: status $st ($out), want $want" ;;
	ok) [ $st -eq 0 ] && [ "${out%% *}" = ok ] || fail "$name $*: '$out' status $st, want ok" ;;
	*) [ $st -eq 0 ] && [ "$out" = "$want" ] || fail "$name $*: '$out' status $st, want '$want'" ;;
	esac
}
expect "errno $EFAULT" gettimeofday bad 0     # allowed: gets through to EFAULT
expect "errno $EFAULT" sysinfo bad
expect "errno $EACCES" uname bad              # the profile's errno, before EFAULT
expect "errno $ENOSYS" getpgid 0
expect 159 getcwd bad 10                      # kill-process: SIGSYS
expect 159 getppid                            # trap: SIGSYS with no handler
expect "errno $EPERM" umask 18                # argument rule: this value denied...
expect ok umask 0077                      # ...others allowed
expect "errno $EPERM" personality 0x0008      # MASKED_EQ: (arg & 255) == 8
expect "errno $EPERM" personality 0x1008
expect ok personality 0xffffffff              # query only
echo "ok: allowed calls get through, denied ones get the profile's answer"

# The same filter under bubblewrap's --seccomp (raw BPF from --export).
if command -v bwrap >/dev/null && bwrap --dev-bind / / true 2>/dev/null; then
	"$B/scmp-apply" -q --export bpf -o "$tmp/f.bpf" "$tmp/p.json" || fail "--export bpf failed"
	out=$(bwrap --dev-bind / / --seccomp 9 "$try" "$(nr uname)" bad 9<"$tmp/f.bpf")
	[ "$out" = "errno $EACCES" ] || fail "bwrap: uname gave '$out'"
	sh -c 'bwrap --dev-bind / / --seccomp 9 "$@" 9<"$0"' "$tmp/f.bpf" "$try" "$(nr getcwd)" bad 10 >/dev/null 2>&1
	st=$?
	[ $st -eq 159 ] || fail "bwrap: getcwd not killed (status $st)"
	out=$(bwrap --dev-bind / / --seccomp 9 "$try" "$(nr sysinfo)" bad 9<"$tmp/f.bpf")
	[ "$out" = "errno $EFAULT" ] || fail "bwrap: sysinfo gave '$out'"
	echo "ok: bubblewrap --seccomp with scmp-apply --export bpf holds"
else
	skip "bubblewrap (bwrap) is not installed or cannot run here"
fi
