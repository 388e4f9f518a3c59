#!/bin/sh
# sets.py's reading of strace output, on strace 6.1 output captured where
# int 0x80 works (tests/data/strace/), so it runs on every machine: strace
# writes no "runs in 32 bit mode" line into an -o log, so only the 32-bit
# table of the -c/-C summary tells the i386 calls of samples/int80 apart.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
D=$SRC/tests/data/strace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exe=build/samples/int80

# Everything int80 calls natively, plus the i386 getpid and getuid32.
native="access arch_prctl brk close execve exit_group getpid getrandom getuid
ioctl mmap mprotect munmap newfstatat openat pread64 prlimit64 read rseq
rt_sigaction rt_sigprocmask set_robust_list set_tid_address write"
{
	echo "SCMP_ARCH_X86 getpid"
	echo "SCMP_ARCH_X86 getuid32"
	for n in $native; do echo "SCMP_ARCH_X86_64 $n"; done
} | sort >"$tmp/want"

same() { # NAME FILE: FILE holds exactly the set in $tmp/want
	$SETS diff "$tmp/want" "$2" >"$tmp/diff" || fail "$1: not the expected set:
$(cat "$tmp/diff")"
	echo "ok: $1"
}

# The log and the summary of strace -c in separate files.
$SETS strace "$D/int80.qq.log" "$exe" --summary "$D/int80.c.txt" >"$tmp/got" ||
	fail "log + --summary: sets.py failed"
same "-qq log + -c summary" "$tmp/got"
$SETS strace "$D/int80.log" "$exe" --summary "$D/int80.c.txt" >"$tmp/got" ||
	fail "log without -qq + --summary: sets.py failed"
same "log without -qq + -c summary" "$tmp/got"
$SETS strace "$D/int80.qq.log" --summary "$D/int80.c.txt" >"$tmp/got" ||
	fail "log + --summary, no EXE: sets.py failed"
same "-qq log + -c summary, whole log" "$tmp/got"

# strace -C -o: the log lines, then the tables, in one file.
cat "$D/int80.qq.log" "$D/int80.c.txt" >"$tmp/C.log"
$SETS strace "$tmp/C.log" "$exe" >"$tmp/got" || fail "-C log: sets.py failed"
same "one -C file (log, then summary)" "$tmp/got"

# Without the summary the log alone cannot tell: getuid32 looks native and
# the i386 getpid is merged into the x86_64 one.
$SETS strace "$D/int80.qq.log" "$exe" >"$tmp/got" || fail "log alone: sets.py failed"
grep -qx "SCMP_ARCH_X86_64 getuid32" "$tmp/got" ||
	fail "log alone: getuid32 not shown as native: $(grep getuid32 "$tmp/got")"
! grep -q "^SCMP_ARCH_X86 " "$tmp/got" || fail "log alone: an i386 call without the summary"
echo "ok: the log alone shows getuid32 as native (why the summary is needed)"

# As many i386 getpid calls in the summary as getpid lines in the log: all
# are i386, none native.  No getuid32 in the 32-bit table: it is native.
cat >"$tmp/c2.txt" <<'TXT'
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
100.00    0.000010           1        10         1 mmap
------ ----------- ----------- --------- --------- ----------------
100.00    0.000010           1        10         1 total
System call usage summary for 32 bit mode:
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
100.00    0.000006           3         2           getpid
------ ----------- ----------- --------- --------- ----------------
100.00    0.000006           3         2           total
TXT
$SETS strace "$D/int80.qq.log" "$exe" --summary "$tmp/c2.txt" >"$tmp/got" ||
	fail "count rule: sets.py failed"
grep -x "SCMP_ARCH_X86 getpid" "$tmp/got" >/dev/null &&
	! grep -x "SCMP_ARCH_X86_64 getpid" "$tmp/got" >/dev/null &&
	grep -x "SCMP_ARCH_X86_64 getuid32" "$tmp/got" >/dev/null &&
	! grep -x "SCMP_ARCH_X86 getuid32" "$tmp/got" >/dev/null ||
	fail "count rule: want only i386 getpid and only native getuid32, got:
$(grep 'getpid\|getuid32' "$tmp/got")"
echo "ok: L(N) <= c(N) gives only the i386 call, c(N) = 0 only the native one"

# Other strace versions announce the mode in the log: still read, alone or
# with a summary (the calls it attributes are not counted twice).
awk '/getpid\(\)/ && !done { print $1 "  [ Process PID=" $1 " runs in 32 bit mode. ]" }
	{ print }
	/getuid32\(\)/ { print $1 "  [ Process PID=" $1 " runs in 64 bit mode. ]"; done = 1 }' \
	"$D/int80.qq.log" >"$tmp/mode.log"
[ "$(grep -c 'bit mode' "$tmp/mode.log")" = 2 ] || fail "mode lines not inserted"
$SETS strace "$tmp/mode.log" "$exe" >"$tmp/got" || fail "mode lines: sets.py failed"
same "32/64 bit mode lines in the log" "$tmp/got"
$SETS strace "$tmp/mode.log" "$exe" --summary "$D/int80.c.txt" >"$tmp/got" ||
	fail "mode lines + summary: sets.py failed"
same "32/64 bit mode lines in the log + -c summary" "$tmp/got"

# A --summary without a table is an error, not a silently native set.
if $SETS strace "$D/int80.qq.log" "$exe" --summary "$D/int80.qq.log" >/dev/null 2>"$tmp/err"; then
	fail "a --summary file without a table was accepted"
fi
echo "ok: a --summary without a table is refused: $(cat "$tmp/err")"
