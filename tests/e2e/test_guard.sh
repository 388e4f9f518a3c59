#!/bin/sh
# Faithful runs under the notify backend: the signal guard, signals like a
# service manager, a tracer inside the tree, ptrace under a notify filter,
# an unknown status.  (make check-faithful runs the long versions.)
. "$SRC/tests/e2e/lib.sh"
need_cmd strace python3
need_notify
T="$B/scmp-trace"
# The guard is the notify backend's: ask for it (auto may pick bpf).
N="--backend notify"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
field() { # FILE EXPR: a value from the trace, e.g. 'signal_guard.active'
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
print(json.dumps(v))' "$1" "$2"
}

# dash's SIGCHLD handler has no SA_RESTART: fork used to fail with EINTR.
for i in 1 2 3; do
	out=$("$T" $N -q -o "$tmp/t.json" -- sh -c 'for i in $(seq 200); do /bin/true & done; wait; echo done' 2>&1) ||
		fail "dash background loop: status $?: $out"
	[ "$out" = done ] || fail "dash background loop printed: $out"
done
[ "$(field "$tmp/t.json" signal_guard.active)" = true ] || fail "the guard was not active"
echo "ok: dash with 200 background jobs, 3 runs"

# Nested handlers without SA_RESTART under 20000 signals: no EINTR from
# calls that never fail so, no SIGSEGV from an interrupted rt_sigreturn.
"$T" $N -q -o "$tmp/t.json" -- "$B/samples/sigstorm" 20000 >"$tmp/out" 2>&1 ||
	fail "sigstorm: status $?: $(cat "$tmp/out")"
# How many calls a signal caught in the seccomp wait depends on timing.
note "sigstorm: $(field "$tmp/t.json" signal_guard.restarts) calls restarted"
echo "ok: sigstorm"

# strace inside the tree: the keeper hands the tasks over.
"$T" $N -q -o "$tmp/t.json" -- strace -f -o "$tmp/inner.log" /bin/true ||
	fail "strace inside the traced tree failed"
grep -q 'execve("/bin/true"' "$tmp/inner.log" || fail "the inner strace saw nothing"
[ "$(field "$tmp/t.json" signal_guard.handovers)" -ge 1 ] || fail "no handover counted"
echo "ok: strace -f inside the tree"

# A program that signals its parent (the keeper) runs on; signals sent to
# scmp-trace reach the program, HUP twice does not end the run.
out=$("$T" $N -q -o "$tmp/t.json" -- sh -c 'kill -USR1 $PPID; sleep 0.1; echo alive') ||
	fail "kill -USR1 \$PPID: status $?"
[ "$out" = alive ] || fail "kill -USR1 \$PPID: printed '$out'"
"$T" $N -q -o "$tmp/t.json" -- sh -c 'trap "echo hup" HUP; trap "echo usr1" USR1;
	echo ready; i=0; while [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; echo end' >"$tmp/out" &
pid=$!
wait_for grep -q ready "$tmp/out" || fail "the daemon did not start"
# Each signal once the one before has reached the program: their order
# is the program's, with no time window.
printed() { [ "$(grep -c "^$1\$" "$tmp/out")" -ge "$2" ]; }
kill -HUP $pid
wait_for printed hup 1 || fail "the first HUP did not reach the program"
kill -USR1 $pid
wait_for printed usr1 1 || fail "USR1 did not reach the program"
kill -HUP $pid
wait_for printed hup 2 || fail "the second HUP did not reach the program"
wait $pid || fail "the run ended with status $? after HUP, USR1, HUP"
[ "$(tr '\n' ' ' <"$tmp/out")" = "ready hup usr1 hup end " ] ||
	fail "signals forwarded: $(tr '\n' ' ' <"$tmp/out")"
echo "ok: signals forwarded like a service manager"

# Under a debugger the guard cannot attach: said on stderr and in the trace.
# (LeakSanitizer cannot run under ptrace: make check SAN=...)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
strace -f -o /dev/null "$T" $N -o "$tmp/t.json" -- /bin/true 2>"$tmp/err" ||
	fail "scmp-trace under strace failed: $(cat "$tmp/err")"
grep -q "signal guard off" "$tmp/err" || fail "no warning: $(cat "$tmp/err")"
[ "$(field "$tmp/t.json" signal_guard.active)" = false ] || fail "the trace says the guard was active"
echo "ok: no guard under strace, said so"

# The keeper killed: the program dies (EXITKILL), its status is unknown: 125.
"$T" $N -q -o "$tmp/t.json" -- sleep 30 &
pid=$!
wait_for pgrep -P $pid >/dev/null || fail "no keeper"
kill -9 "$(pgrep -P $pid)"
wait $pid
rc=$?
[ $rc = 125 ] || fail "status $rc with the keeper killed (want 125)"
echo "ok: unknown status exits 125"

# ptrace under another's notify filter records the same set as alone.
"$T" $N -q -o /dev/null -- "$T" -q --backend ptrace -o "$tmp/in.json" -- /bin/echo hi >/dev/null ||
	fail "nested ptrace run failed"
"$T" -q --backend ptrace -o "$tmp/alone.json" -- /bin/echo hi >/dev/null
syscall_set "$tmp/in.json" >"$tmp/a"
syscall_set "$tmp/alone.json" >"$tmp/b"
$SETS diff "$tmp/b" "$tmp/a" >"$tmp/diff" || fail "ptrace under notify: $(cat "$tmp/diff")"
[ -s "$tmp/a" ] || fail "ptrace under notify recorded nothing"
echo "ok: ptrace under a notify filter, $(wc -l <"$tmp/a") pairs as alone"
