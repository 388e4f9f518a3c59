#!/bin/sh
# The tracer under faults, with each backend: the target killed or
# crashing, a 200-process tree, 64 threads, a daemon that outlives its
# parent, a target that ignores SIGINT; then outputs that cannot be
# written, and a run interrupted by kill -9 leaving the old trace intact.
# the backends of tests/backends.required (notify, ptrace, bpf as root): a backend that fails
# to run fails the test (test_forktree_count runs the tree many times).
. "$SRC/tests/e2e/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }


backends=$(required_backends)
for be in $backends; do need_backend "$be"; done

for be in $backends; do
	T="$B/scmp-trace -q --backend $be"
	# Killed by SIGKILL mid-run: we die the same way, the trace says so.
	sh -c "$T -o '$tmp/k.json' -- sh -c 'kill -9 \$\$'" 2>/dev/null
	rc=$?
	[ $rc -eq 137 ] || fail "$be: target killed by SIGKILL: status $rc, want 137"
	[ "$(field "$tmp/k.json" 't["exit"]')" = "{'signal': 9}" ] || fail "$be: exit not recorded as signal 9"
	# Crashing (SIGSEGV).
	sh -c "$T -o '$tmp/c.json' -- sh -c 'kill -SEGV \$\$'" 2>/dev/null
	rc=$?
	[ $rc -eq 139 ] || fail "$be: crashing target: status $rc, want 139"
	[ "$(field "$tmp/c.json" 't["exit"]["signal"]')" = 11 ] || fail "$be: crash not recorded"
	# A 200-process tree: every process counted.
	$T -o "$tmp/f.json" -- "$B/samples/forktree" 200 >/dev/null || fail "$be: forktree failed"
	[ "$(field "$tmp/f.json" 't["processes"]')" = 200 ] ||
		fail "$be: forktree: $(field "$tmp/f.json" 't["processes"]') processes recorded, want 200"
	# 64 threads making syscalls at once.
	$T -o "$tmp/t.json" -- "$B/samples/threads" 64 50 >/dev/null || fail "$be: threads failed"
	[ "$(field "$tmp/t.json" 't["threads"]')" = 65 ] ||
		fail "$be: 64 threads: $(field "$tmp/t.json" 't["threads"]') tasks recorded, want 65"
	[ "$(field "$tmp/t.json" 't["processes"]')" = 1 ] ||
		fail "$be: 64 threads: $(field "$tmp/t.json" 't["processes"]') processes recorded, want 1"
	grep -q '"gettid"' "$tmp/t.json" || fail "$be: the threads' gettid calls are missing"
	# A daemon whose parent exits first: the tracer waits for it.
	rm -f "$tmp/daemon"
	$T -o "$tmp/d.json" -- sh -c "(sleep 1; echo done >'$tmp/daemon') & exit 0" || fail "$be: daemon run failed"
	[ -s "$tmp/daemon" ] || fail "$be: the tracer returned before the daemon finished"
	grep -q '"/usr/bin/sleep"' "$tmp/d.json" || fail "$be: the daemon's calls were not recorded"
	# A target that survives SIGINT: the first ^C goes to it, the second
	# ends the run, and the trace is still written.  Each step waits for
	# its event: the target's trap set, the first SIGINT handed to it (so
	# the tracer took it: two pending ones would be one), the run's end.
	rm -f "$tmp/i.json" "$tmp/trapped" "$tmp/got-int"
	$T -o "$tmp/i.json" -- sh -c "trap ': >$tmp/got-int' INT; trap '' TERM;
		: >$tmp/trapped; while :; do sleep 0.05; done" &
	pid=$!
	wait_for test -e "$tmp/trapped" || fail "$be: the SIGINT target did not start"
	kill -INT $pid
	wait_for test -e "$tmp/got-int" || fail "$be: the first SIGINT did not reach the target"
	ended $pid && fail "$be: the first SIGINT ended the run"
	kill -INT $pid
	wait_for ended $pid || { kill -9 $pid; fail "$be: a second SIGINT did not end the run"; }
	wait $pid
	[ -s "$tmp/i.json" ] || fail "$be: no trace written after SIGINT"
	grep -q '"nanosleep"\|"clock_nanosleep"' "$tmp/i.json" || fail "$be: the interrupted run's calls are missing"
	note "$be: killed, crashed, 200 processes, 64 threads, daemon, SIGINT twice: ok"
done

# exec from a thread that is not the leader: the new program's calls are
# attributed to it (it runs as the leader's tid), with the notify backend.
if command -v cc >/dev/null; then
	cat >"$tmp/thexec.c" <<'C'
#include <pthread.h>
#include <unistd.h>
static void *run(void *a) { (void)a; usleep(10000); execl("/bin/sh", "sh", "-c", "exit 7", (char *)0); return 0; }
int main(void) { pthread_t t[4]; for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, run, 0); for (;;) pause(); }
C
	cc -o "$tmp/thexec" "$tmp/thexec.c" -lpthread || fail "cannot build thexec"
	"$B/scmp-trace" -q --backend notify -o "$tmp/x.json" -- "$tmp/thexec"
	[ $? -eq 7 ] || fail "exec from a thread: status, want 7"
	[ "$(field "$tmp/x.json" '[s["exe"] for s in t["syscalls"] if s["name"] == "exit_group"]')" = "[[1]]" ] ||
		fail "exec from a thread: exit_group not attributed to the shell only: $(field "$tmp/x.json" 't["executables"]')"
fi

# scmp-trace under scmp-trace (notify): the inner one finds a listener
# already there and falls back to ptrace with a message (auto, with bpf
# off: it would not care), or fails (--backend notify).
"$B/scmp-trace" -q --backend notify -o "$tmp/outer.json" -- \
	env SCMPKIT_BPF_FAULT=off "$B/scmp-trace" -o "$tmp/inner.json" -- true 2>"$tmp/err" ||
	fail "nested scmp-trace failed: $(cat "$tmp/err")"
grep -q "falling back to the ptrace backend" "$tmp/err" || fail "nested: no fallback message: $(cat "$tmp/err")"
[ "$(field "$tmp/inner.json" 't["backend"]')" = ptrace ] || fail "nested: inner backend is not ptrace"
"$B/scmp-trace" -q --backend notify -o "$tmp/outer.json" -- "$B/scmp-trace" --backend notify -o "$tmp/inner2.json" -- true 2>/dev/null
[ $? -eq 125 ] || fail "nested with --backend notify did not fail with 125"

# Outputs that cannot be written: a clear error, non-zero, nothing half-written.
"$B/scmp-trace" -q -o /dev/full -- true 2>"$tmp/err" && fail "/dev/full: exit 0"
grep -q "No space left on device" "$tmp/err" || fail "/dev/full: message: $(cat "$tmp/err")"
[ -c /dev/full ] || fail "/dev/full is no longer a device"
rm -f "$tmp/ran"
"$B/scmp-trace" -q -o "$tmp/missing/t.json" -- touch "$tmp/ran" 2>"$tmp/err"
rc=$?
[ $rc -eq 125 ] || fail "missing directory: status $rc, want 125"
grep -q "does not exist" "$tmp/err" || fail "missing directory: message: $(cat "$tmp/err")"
[ ! -e "$tmp/ran" ] || fail "the program ran although the output could not be written"

# kill -9 of the tracer mid-run: the previous trace.json is left intact.
echo '{"old": true}' >"$tmp/old.json"
rm -f "$tmp/started"
"$B/scmp-trace" -q -o "$tmp/old.json" -- sh -c ": >'$tmp/started'; sleep 30" &
pid=$!
wait_for test -e "$tmp/started" || fail "kill -9: the traced program did not start"
kill -9 $pid
wait $pid 2>/dev/null
[ "$(cat "$tmp/old.json")" = '{"old": true}' ] || fail "an interrupted run damaged the old trace"
ls "$tmp" | grep -q 'old.json.tmp' && fail "an interrupted run left a temp file"
echo "ok: tracer faults"
