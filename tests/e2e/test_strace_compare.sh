#!/bin/sh
# The notify backend records exactly the (arch, syscall) set strace -f sees,
# on real programs.  strace watches scmp-trace itself, so both look at the
# same run: sets.py keeps the traced program's process tree from its execve
# on, which is where scmp-trace's recording starts too.
. "$SRC/tests/e2e/lib.sh"
need_cmd strace python3 make cc tar
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A small make project: make -j2 runs cc, which runs cc1, as, collect2, ld.
mkdir "$tmp/mk"
cp "$SRC/samples/readfile.c" "$SRC/samples/signals.c" "$tmp/mk/"
printf 'all: readfile signals\n%%: %%.c\n\t$(CC) -O0 -o $@ $<\n' >"$tmp/mk/Makefile"

n=0
compare() { # NAME PROGRAM ARGS...
	name=$1
	shift
	exe=$(command -v "$1") || fail "$1 not found"
	shift
	rm -f "$tmp/t.json"
	# LeakSanitizer cannot run under ptrace (make check SAN=...).  -C: the
	# -c summary after the log lines, whose 32-bit table is all that marks
	# i386 calls (int80) when strace writes no mode lines; scmp-trace makes
	# none itself, so they are all the program's.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -C -o "$tmp/strace.log" \
		"$B/scmp-trace" -q --backend notify -o "$tmp/t.json" -- "$exe" "$@" \
		>"$tmp/out" 2>"$tmp/err" || fail "$name: traced run failed: $(cat "$tmp/err")"
	$SETS strace "$tmp/strace.log" "$exe" >"$tmp/want" || fail "$name: strace log unreadable"
	syscall_set "$tmp/t.json" >"$tmp/got"
	$SETS diff "$tmp/want" "$tmp/got" >"$tmp/diff" ||
		fail "$name: notify and strace -f disagree (want = strace):
$(cat "$tmp/diff")"
	[ -s "$tmp/got" ] || fail "$name: empty set"
	echo "ok: $name: $(wc -l <"$tmp/got") (arch, syscall) pairs, same as strace -f"
	n=$((n + 1))
}

compare pipeline sh -c 'ls /usr | sort | head -3'
compare ls ls -la /usr
compare tar sh -c 'tar cf - /usr/include/linux | wc -c'
compare python3 python3 -c 'import json, sqlite3; print(json.dumps([1]))'
compare make make -s -j2 -C "$tmp/mk"
compare threads16 "$B/samples/threads" 16 50
compare forkexec "$B/samples/forkexec"
compare signals "$B/samples/signals"
compare socket "$B/samples/socket"
compare script sh -c 'for p in true false date id uname; do $p >/dev/null; done; exec cat /etc/hostname'
if "$B/samples/int80" >/dev/null 2>&1; then
	compare int80 "$B/samples/int80"
	grep -qx "SCMP_ARCH_X86 getpid" "$tmp/got" || fail "int80: i386 getpid not recorded as SCMP_ARCH_X86"
	grep -qx "SCMP_ARCH_X86 getuid32" "$tmp/want" ||
		fail "int80: strace's summary did not mark getuid32 as i386"
else
	note "int80 skipped: this kernel has no IA32 emulation (int 0x80 faults)"
fi
echo "ok: $n workloads"
