#!/bin/sh
# The ptrace backend: the (arch, syscall) sets strace -f sees on real
# programs (separate runs: a task has one tracer), --errors against
# strace's errno counts, job control, an exec from a non-leader thread, an
# exec failure, and -p: attach, record, and on SIGINT detach while the
# process keeps running.
. "$SRC/tests/e2e/lib.sh"
need_cmd strace python3 cc make
need_ptrace
tmp=$(mktemp -d)
loop=
trap '[ -n "$loop" ] && kill $loop 2>/dev/null; rm -rf "$tmp"' EXIT
field() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
T="$B/scmp-trace -q --backend ptrace"

mkdir "$tmp/mk"
cp "$SRC/samples/readfile.c" "$SRC/samples/signals.c" "$tmp/mk/"
printf 'all: readfile signals\n%%: %%.c\n\t$(CC) -O0 -o $@ $<\n' >"$tmp/mk/Makefile"

compare() { # NAME PROGRAM ARGS...
	name=$1
	shift
	exe=$(command -v "$1") || fail "$1 not found"
	shift
	$T -o "$tmp/t.json" -- "$exe" "$@" >"$tmp/out" 2>"$tmp/err" ||
		fail "$name: traced run failed: $(cat "$tmp/err")"
	# The same stdout for both: stdio probes a terminal only on some files.
	# -C: the -c summary after the log lines, whose 32-bit table is all
	# that marks i386 calls (int80) when strace writes no mode lines.
	strace -f -qq -C -o "$tmp/strace.log" "$exe" "$@" >"$tmp/out" 2>/dev/null
	$SETS strace "$tmp/strace.log" "$exe" >"$tmp/want" || fail "$name: strace log unreadable"
	syscall_set "$tmp/t.json" >"$tmp/got"
	$SETS diff "$tmp/want" "$tmp/got" >"$tmp/diff" ||
		fail "$name: ptrace and strace -f disagree (want = strace):
$(cat "$tmp/diff")"
	[ "$(field "$tmp/t.json" 't["complete"]')" = True ] || fail "$name: trace marked incomplete"
	echo "ok: $name: $(wc -l <"$tmp/got") (arch, syscall) pairs, same as strace -f"
}

compare pipeline sh -c 'ls /usr | sort | head -3'
compare ls ls -la /usr
compare make make -B -s -j2 -C "$tmp/mk"
compare threads16 "$B/samples/threads" 16 50
compare forkexec "$B/samples/forkexec"
compare signals "$B/samples/signals"
compare tar sh -c 'tar cf - /usr/include/linux | wc -c'
compare python3 python3 -c 'import json, sqlite3; print(json.dumps([1]))'
compare socket "$B/samples/socket"
if have ia32; then
	compare int80 "$B/samples/int80"
	grep -qx "SCMP_ARCH_X86 getuid32" "$tmp/want" ||
		fail "int80: strace's summary did not mark getuid32 as i386"
else
	skip_part no-ia32 "int80: $("$PROBE" ia32)"
fi
compare script sh -c 'for p in true false date id uname; do $p >/dev/null; done; exec cat /etc/hostname'

# --errors: the same (syscall, errno) counts as strace.
cmd='ls /nonexistent /usr; cat /etc/hostname /nonexistent; true'
$T --errors -o "$tmp/e.json" -- sh -c "$cmd" >/dev/null 2>&1
strace -f -qq -o "$tmp/e.log" sh -c "$cmd" >/dev/null 2>&1
python3 - "$tmp/e.json" "$tmp/e.log" <<'EOF' || fail "--errors: errno counts differ from strace"
import collections, json, re, sys
t = json.load(open(sys.argv[1]))
got = collections.Counter()
for s in t["syscalls"]:
    for e, n in s.get("errors", {}).items():
        got[(s["name"], e)] += n
want = collections.Counter()
for line in open(sys.argv[2]):
    m = re.match(r'^\d+\s+(\w+)\(.*= -1 (E[A-Z0-9]+)', line)
    if m:
        want[(m.group(1), m.group(2))] += 1
if got != want:
    print("want (strace):", sorted(want.items()))
    print("got:          ", sorted(got.items()))
    sys.exit(1)
print("ok: --errors: %d (syscall, errno) pairs, same counts as strace" % len(got))
EOF

# Job control: a traced shell stops itself and is continued from outside.
$T -o "$tmp/j.json" -- sh -c 'kill -STOP $$; exit 3' &
pid=$!
i=0
while [ $i -lt 100 ]; do
	child=$(pgrep -P $pid)
	[ -n "$child" ] && grep -q '^State:.*t' /proc/"$child"/status 2>/dev/null && break
	sleep 0.05
	i=$((i + 1))
done
[ -n "$child" ] || fail "job control: no traced child"
kill -CONT "$child"
wait $pid
rc=$?
[ $rc -eq 3 ] || fail "job control: status $rc, want 3"
echo "ok: stop and continue"

# An exec from a thread other than the leader.
cat >"$tmp/thexec.c" <<'EOF'
#include <pthread.h>
#include <unistd.h>
static void *run(void *a) { (void)a; usleep(10000); execl("/bin/sh", "sh", "-c", "exit 7", (char *)0); return 0; }
int main(void) { pthread_t t[4]; for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, run, 0); for (;;) pause(); }
EOF
cc -o "$tmp/thexec" "$tmp/thexec.c" -lpthread || fail "cannot build thexec"
$T -o "$tmp/x.json" -- "$tmp/thexec"
rc=$?
[ $rc -eq 7 ] || fail "exec from a thread: status $rc, want 7"
[ "$(field "$tmp/x.json" 't["threads"]')" = 5 ] || fail "exec from a thread: task count"
grep -q '"/usr/bin/dash"\|"/bin/dash"\|"/usr/bin/sh"\|"/bin/sh"\|"/usr/bin/bash"' "$tmp/x.json" ||
	fail "exec from a thread: the shell's calls are not attributed to it"
echo "ok: exec from a non-leader thread"

# A program that cannot be executed: exits 126 like env(1), trace incomplete.
printf '\177ELF garbage' >"$tmp/bad"
chmod +x "$tmp/bad"
$T -o "$tmp/b.json" -- "$tmp/bad" 2>/dev/null
rc=$?
[ $rc -eq 126 ] || fail "exec failure: status $rc, want 126"
[ "$(field "$tmp/b.json" 't["complete"]')" = False ] || fail "exec failure: trace not marked incomplete"
echo "ok: exec failure"

# -p: attach to a running loop, SIGINT detaches, the loop keeps running.
# Each step waits for its event: the loop's count file, the tracer in the
# loop's TracerPid, two more rounds of the loop while traced, TracerPid 0.
sh -c "i=0; while :; do i=\$((i + 1)); echo \$i >'$tmp/count'; sleep 0.05; done" &
loop=$!
# The count, read when the loop is not halfway through writing it.
count_read() { c=$(cat "$tmp/count" 2>/dev/null); [ -n "$c" ]; }
count_past() { count_read && [ "$c" -gt "$1" ]; }
tracer_is() { grep -q "^TracerPid:[[:space:]]*$1\$" /proc/$loop/status; }
wait_for count_read || fail "-p: the loop did not start"
$T -o "$tmp/a.json" -p $loop &
pid=$!
wait_for tracer_is $pid ||
	fail "-p: not attached: $(grep TracerPid /proc/$loop/status), tracer $pid"
wait_for count_read && wait_for count_past $((c + 2)) ||
	fail "-p: the loop made no progress while traced"
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "-p: status $rc after SIGINT, want 0"
tracer_is 0 || fail "-p: still traced after SIGINT: $(grep TracerPid /proc/$loop/status)"
wait_for count_read && wait_for count_past $((c + 2)) ||
	fail "-p: the process stopped making progress after the detach"
[ "$(field "$tmp/a.json" '"exit" in t')" = False ] || fail "-p: an exit status was recorded"
[ "$(field "$tmp/a.json" 't["backend"]')" = ptrace ] || fail "-p: the trace does not say ptrace"
grep -q '"clock_nanosleep"\|"nanosleep"' "$tmp/a.json" || fail "-p: the sleeps were not recorded"
grep -q '"wait4"' "$tmp/a.json" || fail "-p: the shell's wait4 was not recorded"
# It misses the start-up: the trace says so, and scmp-gen warns.
[ "$(field "$tmp/a.json" 't.get("attached")')" = True ] || fail "-p: the trace does not say attached"
"$B/scmp-gen" -o "$tmp/a-allow.json" "$tmp/a.json" 2>"$tmp/gen.err" || fail "-p: scmp-gen failed"
grep -q "recorded by attaching" "$tmp/gen.err" || fail "-p: scmp-gen did not warn: $(cat "$tmp/gen.err")"
# The notify backend cannot attach (a filter cannot be added to a running
# process): refused, the process left alone.  bpf -p is in test_bpf.
"$B/scmp-trace" -q --backend notify -o "$tmp/n.json" -p $loop 2>"$tmp/err"
rc=$?
[ $rc -eq 125 ] || fail "--backend notify -p: status $rc, want 125"
grep -q -- "-p needs the bpf or ptrace backend" "$tmp/err" ||
	fail "--backend notify -p: message: $(cat "$tmp/err")"
[ ! -e "$tmp/n.json" ] || fail "--backend notify -p wrote a trace"
tracer_is 0 || fail "--backend notify -p: the process got a tracer"
kill $loop
loop=
echo "ok: -p attach and detach on SIGINT"

# --errors sees ENOSYS where the kernel lacks a call: an x32 call on a kernel
# without x32, or a number beyond every known one.
$T --errors -o "$tmp/n.json" -- "$B/samples/escape" bignr >/dev/null 2>&1 || fail "--errors bignr run failed"
[ "$(field "$tmp/n.json" '[s.get("errors") for s in t["syscalls"] if s["nr"] == 0x3fff]')" = "[{'ENOSYS': 1}]" ] ||
	fail "--errors: syscall 0x3fff not recorded with ENOSYS"
if "$B/samples/escape" x32 | grep -q "Function not implemented"; then
	$T --errors -o "$tmp/x.json" -- "$B/samples/escape" x32 >/dev/null 2>&1 || fail "--errors x32 run failed"
	[ "$(field "$tmp/x.json" '[s.get("errors") for s in t["syscalls"] if s["arch"] == "SCMP_ARCH_X32"]')" = "[{'ENOSYS': 1}]" ] ||
		fail "--errors: the x32 call was not recorded as SCMP_ARCH_X32 with ENOSYS"
fi
echo "ok: --errors records ENOSYS for calls the kernel lacks"

# kill -9 of the ptrace tracer: EXITKILL takes the launched tree with it.
marker="scmpkit-ptrace-kill-$$"
$T -o "$tmp/k9.json" -- sh -c "sleep 302; echo $marker" >/dev/null 2>&1 &
tracer=$!
wait_for running '^sleep 302$' || fail "kill -9: the traced sleep did not start"
kill -9 $tracer
wait $tracer 2>/dev/null
if ! wait_for gone '^sleep 302$'; then
	pkill -9 -f '^sleep 302$'
	fail "kill -9 of the ptrace tracer left the tracee running"
fi
echo "ok: kill -9 of the tracer takes the tracee with it"
echo "ok: ptrace backend"
