#!/bin/sh
# The bpf backend records what the others record: on the workloads of
# test_strace_compare and test_ptrace its (arch, syscall) set equals
# strace -f's and the notify backend's (int 0x80 included), its argument
# tuples and executables equal notify's where the workload is
# deterministic, --errors gives strace's errno counts; a program that is
# itself a ptrace tracer or a notify supervisor is traced completely; -p
# watches a process without ever stopping it; the start-up probe refuses a
# kernel program that misreads the compat status; auto prefers bpf.
# Separate runs (strace would see the probe's int 0x80 and x32 calls).
. "$SRC/tests/e2e/lib.sh"
need_cmd strace python3 make cc tar
need_backend bpf
need_notify
tmp=$(mktemp -d)
loop=
trap '[ -n "$loop" ] && kill $loop 2>/dev/null; rm -rf "$tmp"' EXIT
field() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
T="$B/scmp-trace -q --backend bpf"

mkdir "$tmp/mk"
cp "$SRC/samples/readfile.c" "$SRC/samples/signals.c" "$tmp/mk/"
printf 'all: readfile signals\n%%: %%.c\n\t$(CC) -O0 -o $@ $<\n' >"$tmp/mk/Makefile"

# Argument tuples and executables per (arch, name), for the notify comparison.
detail() {
	python3 - "$1" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
exes = t["executables"]
for s in sorted(t["syscalls"], key=lambda s: (s["arch"], s["name"] or "", s["nr"])):
    print(s["arch"], s["name"] or "#%d" % s["nr"], "args", json.dumps(s.get("args")),
          "exe", sorted(exes[i] for i in s["exe"]))
EOF
}

# NAME TUPLES PROGRAM ARGS...: TUPLES=tuples also compares arguments,
# executables and task counts with notify's; not for make (the first run
# builds what the next one's linker unlinks) nor threads16 (which futex
# operations run depends on timing).
compare() {
	name=$1 tuples=$2
	shift 2
	exe=$(command -v "$1") || fail "$1 not found"
	shift
	$T -o "$tmp/b.json" -- "$exe" "$@" >"$tmp/out" 2>"$tmp/err" ||
		fail "$name: traced run failed: $(cat "$tmp/err")"
	[ "$(field "$tmp/b.json" 't["complete"]')" = True ] || fail "$name: trace marked incomplete"
	[ "$(field "$tmp/b.json" 't["backend"]')" = bpf ] || fail "$name: backend is not bpf"
	"$B/scmp-trace" -q --backend notify -o "$tmp/n.json" -- "$exe" "$@" >"$tmp/out" 2>/dev/null ||
		fail "$name: notify run failed"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -C -o "$tmp/strace.log" "$exe" "$@" >"$tmp/out" 2>/dev/null
	$SETS strace "$tmp/strace.log" "$exe" >"$tmp/want" || fail "$name: strace log unreadable"
	syscall_set "$tmp/b.json" >"$tmp/got"
	syscall_set "$tmp/n.json" >"$tmp/notify"
	[ -s "$tmp/got" ] || fail "$name: empty set"
	[ -n "${NO_STRACE:-}" ] || $SETS diff "$tmp/want" "$tmp/got" >"$tmp/diff" ||
		fail "$name: bpf and strace -f disagree (want = strace):
$(cat "$tmp/diff")"
	$SETS diff "$tmp/notify" "$tmp/got" >"$tmp/diff" ||
		fail "$name: bpf and notify disagree (want = notify):
$(cat "$tmp/diff")"
	if [ "$tuples" = tuples ]; then
		detail "$tmp/n.json" >"$tmp/nd"
		detail "$tmp/b.json" >"$tmp/bd"
		diff "$tmp/nd" "$tmp/bd" >"$tmp/diff" ||
			fail "$name: argument tuples or executables differ from notify's (< notify, > bpf):
$(cat "$tmp/diff")"
		[ "$(field "$tmp/b.json" '(t["processes"], t["threads"])')" = \
		  "$(field "$tmp/n.json" '(t["processes"], t["threads"])')" ] ||
			fail "$name: task counts differ from notify's"
	fi
	what="strace -f and notify"
	[ -z "${NO_STRACE:-}" ] || what=notify
	echo "ok: $name: $(wc -l <"$tmp/got") (arch, syscall) pairs, same as $what${tuples:+, same $tuples}"
}

compare pipeline tuples sh -c 'ls /usr | sort | head -3'
compare ls tuples ls -la /usr
compare tar tuples sh -c 'tar cf - /usr/include/linux | wc -c'
compare python3 tuples python3 -c 'import json, sqlite3; print(json.dumps([1]))'
compare make "" make -B -s -j2 -C "$tmp/mk"
compare threads16 "" "$B/samples/threads" 16 50
compare forkexec tuples "$B/samples/forkexec"
compare signals tuples "$B/samples/signals"
compare socket tuples "$B/samples/socket"
compare script tuples sh -c 'for p in true false date id uname; do $p >/dev/null; done; exec cat /etc/hostname'
if have ia32; then
	compare int80 tuples "$B/samples/int80"
	grep -qx "SCMP_ARCH_X86 getpid" "$tmp/got" || fail "int80: i386 getpid not recorded as SCMP_ARCH_X86"
	grep -qx "SCMP_ARCH_X86 getuid32" "$tmp/want" ||
		fail "int80: strace's summary did not mark getuid32 as i386"
	# A kernel program that misreads the compat status is refused, before
	# anything runs, and auto says why and falls back.
	SCMPKIT_BPF_FAULT=compat "$B/scmp-trace" --backend bpf -o "$tmp/f.json" -- true 2>"$tmp/err"
	rc=$?
	[ $rc -eq 125 ] || fail "a wrong arch answer: status $rc, want 125"
	grep -q "int 0x80 getpid was seen as x86_64" "$tmp/err" || fail "a wrong arch answer not explained: $(cat "$tmp/err")"
	[ ! -e "$tmp/f.json" ] || fail "a refused backend wrote a trace"
	SCMPKIT_BPF_FAULT=compat "$B/scmp-trace" -o "$tmp/f.json" -- true 2>"$tmp/err" ||
		fail "auto did not fall back: $(cat "$tmp/err")"
	[ "$(field "$tmp/f.json" 't["backend"]')" = notify ] || fail "auto did not fall back to notify"
	grep -q "used the notify backend (auto; bpf backend: the start-up check failed" "$tmp/err" ||
		fail "auto did not say why bpf was not used: $(cat "$tmp/err")"
	echo "ok: a misread compat status is refused; auto falls back to notify and says why"
	# i386 calls with arguments (old mmap, socketcall): the same tuples as
	# notify (strace names socketcall(SYS_SOCKET) "socket": not compared).
	if [ -x "$B/samples/i386args" ]; then
		NO_STRACE=1 compare i386args tuples "$B/samples/i386args" i386
	fi
else
	skip_part no-ia32 "int80: $("$PROBE" ia32)"
fi

# auto prefers bpf as root, and says so.
"$B/scmp-trace" -o "$tmp/a.json" -- true 2>"$tmp/err" || fail "auto run failed"
[ "$(field "$tmp/a.json" 't["backend"]')" = bpf ] || fail "auto did not pick bpf as root"
grep -q "used the bpf backend (auto" "$tmp/err" || fail "auto did not say it used bpf: $(cat "$tmp/err")"
echo "ok: auto picks bpf as root"

# A tracer inside the tree: strace (ptrace) and scmp-trace (a notify
# listener) work under bpf, and their programs' calls are all there.
$T -o "$tmp/s.json" -- strace -f -qq -o "$tmp/inner.log" ls /usr >/dev/null ||
	fail "strace under bpf failed"
[ "$(field "$tmp/s.json" 't["complete"]')" = True ] || fail "strace under bpf: trace incomplete"
python3 - "$tmp/s.json" "$tmp/inner.log" <<'EOF' || fail "strace under bpf: calls missing"
import json, re, sys
t = json.load(open(sys.argv[1]))
exes = t["executables"]
by = {}
for s in t["syscalls"]:
    for i in s["exe"]:
        by.setdefault(exes[i].rsplit("/", 1)[-1], set()).add(s["name"])
want = {m.group(1) for m in (re.match(r'^\d+\s+(\w+)\(', l) for l in open(sys.argv[2])) if m}
want.discard("execve")  # strace's own exec of ls: recorded under strace
missing = want - by.get("ls", set())
assert "ptrace" in by.get("strace", set()), "strace's ptrace calls"
assert not missing, "ls's calls seen by the inner strace, missing from the trace: %s" % sorted(missing)
print("ok: strace under bpf: %d calls of ls, as the inner strace saw them" % len(want))
EOF
$T -o "$tmp/s.json" -- "$B/scmp-trace" -q --backend notify -o "$tmp/inner.json" -- ls /usr >/dev/null ||
	fail "scmp-trace --backend notify under bpf failed"
[ "$(field "$tmp/s.json" 't["complete"]')" = True ] || fail "notify under bpf: trace incomplete"
syscall_set "$tmp/inner.json" | grep -v "execve$" >"$tmp/inner"
python3 - "$tmp/s.json" "$tmp/inner" <<'EOF' || fail "notify under bpf: calls missing"
import json, sys
t = json.load(open(sys.argv[1]))
exes = t["executables"]
ls = {"%s %s" % (s["arch"], s["name"]) for s in t["syscalls"]
      if any(exes[i].endswith("/ls") for i in s["exe"])}
want = set(open(sys.argv[2]).read().split("\n")) - {""}
assert want <= ls, "missing: %s" % sorted(want - ls)
tool = {s["name"] for s in t["syscalls"] if any(exes[i].endswith("scmp-trace") for i in s["exe"])}
assert "seccomp" in tool and "ioctl" in tool, "the supervisor's own calls"
print("ok: scmp-trace (notify) under bpf: every call its inner trace saw")
EOF

# --errors: the same (syscall, errno) counts as strace.
cmd='ls /nonexistent /usr; cat /etc/hostname /nonexistent; true'
$T --errors -o "$tmp/e.json" -- sh -c "$cmd" >/dev/null 2>&1
strace -f -qq -o "$tmp/e.log" sh -c "$cmd" >/dev/null 2>&1
python3 - "$tmp/e.json" "$tmp/e.log" <<'EOF' || fail "--errors: errno counts differ from strace"
import collections, json, re, sys
t = json.load(open(sys.argv[1]))
assert all("errors" in s for s in t["syscalls"]), "a syscall without its errors"
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
$T --errors -o "$tmp/n.json" -- "$B/samples/escape" bignr >/dev/null 2>&1 || fail "--errors bignr run failed"
[ "$(field "$tmp/n.json" '[s.get("errors") for s in t["syscalls"] if s["nr"] == 0x3fff]')" = "[{'ENOSYS': 1}]" ] ||
	fail "--errors: syscall 0x3fff not recorded with ENOSYS"
if "$B/samples/escape" x32 | grep -q "Function not implemented"; then
	$T --errors -o "$tmp/x.json" -- "$B/samples/escape" x32 >/dev/null 2>&1 || fail "--errors x32 run failed"
	[ "$(field "$tmp/x.json" '[s.get("errors") for s in t["syscalls"] if s["arch"] == "SCMP_ARCH_X32"]')" = "[{'ENOSYS': 1}]" ] ||
		fail "--errors: the x32 call was not recorded as SCMP_ARCH_X32 with ENOSYS"
fi
echo "ok: --errors records ENOSYS for calls the kernel lacks, x32 by its bit"

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

# -p: watch a running loop without stopping it (never traced, never in a
# stop), SIGINT ends the watch, the loop keeps running.  Each step waits
# for its event: the loop's count file, the tracer holding a pidfd of the
# loop (its task map entry follows), two more rounds of the loop watched.
sh -c "i=0; while :; do i=\$((i + 1)); echo \$i >'$tmp/count'; sleep 0.05; done" &
loop=$!
# The count, read when the loop is not halfway through writing it.
count_read() { c=$(cat "$tmp/count" 2>/dev/null); [ -n "$c" ]; }
count_past() { count_read && [ "$c" -gt "$1" ]; }
watching() { grep -qs "^Pid:[[:space:]]*$loop\$" /proc/$pid/fdinfo/*; }
untouched_past() {
	grep -q '^TracerPid:[[:space:]]*0$' /proc/$loop/status || fail "-p: the process got a tracer"
	grep -q '^State:[[:space:]]*[tT]' /proc/$loop/status && fail "-p: the process was stopped"
	count_past "$1"
}
wait_for count_read || fail "-p: the loop did not start"
$T -o "$tmp/a.json" -p $loop &
pid=$!
wait_for watching || fail "-p: the tracer holds no pidfd of the loop"
wait_for count_read && wait_for untouched_past $((c + 2)) ||
	fail "-p: the loop made no progress while watched"
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "-p: status $rc after SIGINT, want 0"
wait_for count_read && wait_for count_past $((c + 2)) ||
	fail "-p: the process stopped making progress"
[ "$(field "$tmp/a.json" '"exit" in t')" = False ] || fail "-p: an exit status was recorded"
[ "$(field "$tmp/a.json" 't.get("attached")')" = True ] || fail "-p: the trace does not say attached"
grep -q '"clock_nanosleep"\|"nanosleep"' "$tmp/a.json" || fail "-p: the sleeps were not recorded"
grep -q '"wait4"' "$tmp/a.json" || fail "-p: the shell's wait4 was not recorded"
grep -q '"/usr/bin/sleep"\|"/bin/sleep"' "$tmp/a.json" || fail "-p: the children's executable is missing"
kill $loop
loop=
echo "ok: -p watches without stopping, SIGINT ends the watch"

# kill -9 of the tracer: the keeper takes the launched tree with it.
marker="scmpkit-bpf-kill-$$"
$T -o "$tmp/k9.json" -- sh -c "sleep 304; echo $marker" >/dev/null 2>&1 &
tracer=$!
wait_for running '^sleep 304$' || fail "kill -9: the traced sleep did not start"
kill -9 $tracer
wait $tracer 2>/dev/null
if ! wait_for gone '^sleep 304$'; then
	pkill -9 -f '^sleep 304$'
	fail "kill -9 of the bpf tracer left the program running"
fi
echo "ok: kill -9 of the tracer takes the program with it"
echo "ok: bpf backend"
