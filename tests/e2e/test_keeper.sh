#!/bin/sh
# kill -9 of scmp-trace (notify backend): nothing of the traced tree keeps
# running under the dead listener, and nothing hangs.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
marker="scmpkit-keeper-test-$$"
# The sleeps carry this run's pid (sleep 300.PID): pgrep and pkill see
# every process on the host, other runs of this test included.
u=$$
"$B/scmp-trace" -q --backend notify -o "$tmp/t.json" -- \
	sh -c "sleep 300.$u & sleep 301.$u; echo $marker" >/dev/null 2>&1 &
tracer=$!
# Wait for both sleeps to be running under the tracer.
both_sleeps() { [ "$(pgrep -c -f "^sleep 30[01]\\.$u\$")" -ge 2 ]; }
wait_for both_sleeps || fail "the traced sleeps did not start"
kill -9 "$tracer"
wait "$tracer" 2>/dev/null
if ! wait_for gone "^sleep 30[01]\\.$u\$"; then
	pkill -9 -f "^sleep 30[01]\\.$u\$"
	fail "traced processes kept running after the tracer was killed"
fi
[ ! -e "$tmp/t.json" ] || fail "a killed tracer left a trace.json behind"
ls "$tmp" | grep -q 'tmp' && fail "a killed tracer left a temp file: $(ls "$tmp")"
echo "ok: the keeper killed the traced tree"

# kill -9 of the tracer and its keeper at once (pkill -f matching the
# command line kills both): the program, the keeper's child, dies with it.
"$B/scmp-trace" -q --backend notify -o "$tmp/t2.json" -- sleep 303.$u >/dev/null 2>&1 &
tracer=$!
wait_for running "^sleep 303\\.$u\$" || fail "the traced sleep did not start"
keeper=$(pgrep -P "$tracer")
[ -n "$keeper" ] || fail "the keeper of the traced sleep was not found"
kill -9 "$tracer" $keeper
wait "$tracer" 2>/dev/null
if ! wait_for gone "^sleep 303\\.$u\$"; then
	pkill -9 -f "^sleep 303\\.$u\$"
	fail "the program kept running after the tracer and its keeper were killed"
fi
echo "ok: the program dies with a killed keeper"

# The same with grandchildren, which PDEATHSIG does not reach: the signal
# guard's PTRACE_O_EXITKILL has the kernel kill every traced task at once
# (before it, they ran on for seconds with every call failing ENOSYS).
"$B/scmp-trace" -q --backend notify -o "$tmp/t3.json" -- \
	sh -c "sh -c 'sleep 304.$u & sleep 305.$u; wait'; wait" >/dev/null 2>&1 &
tracer=$!
two_sleeps() { [ "$(pgrep -c -f "^sleep 30[45]\\.$u\$")" -ge 2 ]; }
wait_for two_sleeps || fail "the traced grandchildren did not start"
keeper=$(pgrep -P "$tracer")
kill -9 "$tracer" $keeper
wait "$tracer" 2>/dev/null
# The kernel kills them as the tracer goes (EXITKILL): wait for that.
if ! wait_for gone "^sleep 30[45]\\.$u\$"; then
	pkill -9 -f "^sleep 30[45]\\.$u\$"
	fail "grandchildren kept running after the tracer and its keeper were killed"
fi
echo "ok: grandchildren die with a killed keeper"

# The tracer and its keeper (under ptrace: the tracer and the program)
# killed at once, the grandchildren die too, with notify and ptrace.  NOT
# the bpf backend: it leaves them running, reparented to pid 1 (issue 24
# item 3 is open for bpf - holding the tree with ptrace made strace inside
# skip PTRACE_LISTEN in 4 of 10 traced runs, so that change was reverted).
for be in notify ptrace; do
	need_backend "$be"
	"$B/scmp-trace" -q --backend "$be" -o "$tmp/t4.json" -- \
		sh -c "sh -c 'sleep 306.$u & sleep 307.$u; wait'; wait" >/dev/null 2>&1 &
	tracer=$!
	two() { [ "$(pgrep -c -f "^sleep 30[67]\\.$u\$")" -ge 2 ]; }
	wait_for two || fail "$be: the traced grandchildren did not start"
	keeper=$(pgrep -P "$tracer")
	kill -9 "$tracer" $keeper
	wait "$tracer" 2>/dev/null
	if ! wait_for gone "^sleep 30[67]\\.$u\$"; then
		pkill -9 -f "^sleep 30[67]\\.$u\$"
		fail "$be: grandchildren kept running after the tracer and its keeper were killed"
	fi
	echo "ok: $be: grandchildren die with the tracer and its keeper"
done
