#!/bin/sh
# kill -9 of scmp-trace (notify backend): nothing of the traced tree keeps
# running under the dead listener, and nothing hangs.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
marker="scmpkit-keeper-test-$$"
"$B/scmp-trace" -q --backend notify -o "$tmp/t.json" -- \
	sh -c "sleep 300 & sleep 301; echo $marker" >/dev/null 2>&1 &
tracer=$!
# Wait for both sleeps to be running under the tracer.
i=0
while [ "$(pgrep -c -f '^sleep 30[01]$')" -lt 2 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ "$(pgrep -c -f '^sleep 30[01]$')" -ge 2 ] || fail "the traced sleeps did not start"
kill -9 "$tracer"
wait "$tracer" 2>/dev/null
i=0
while pgrep -f '^sleep 30[01]$' >/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
if pgrep -f '^sleep 30[01]$' >/dev/null; then
	pkill -9 -f '^sleep 30[01]$'
	fail "traced processes kept running after the tracer was killed"
fi
[ ! -e "$tmp/t.json" ] || fail "a killed tracer left a trace.json behind"
ls "$tmp" | grep -q 'tmp' && fail "a killed tracer left a temp file: $(ls "$tmp")"
echo "ok: the keeper killed the traced tree"

# kill -9 of the tracer and its keeper at once (pkill -f matching the
# command line kills both): the program, the keeper's child, dies with it.
"$B/scmp-trace" -q --backend notify -o "$tmp/t2.json" -- sleep 303 >/dev/null 2>&1 &
tracer=$!
i=0
while ! pgrep -f '^sleep 303$' >/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
keeper=$(pgrep -P "$tracer")
[ -n "$keeper" ] && pgrep -f '^sleep 303$' >/dev/null || fail "the traced sleep did not start"
kill -9 "$tracer" $keeper
wait "$tracer" 2>/dev/null
i=0
while pgrep -f '^sleep 303$' >/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
if pgrep -f '^sleep 303$' >/dev/null; then
	pkill -9 -f '^sleep 303$'
	fail "the program kept running after the tracer and its keeper were killed"
fi
echo "ok: the program dies with a killed keeper"
