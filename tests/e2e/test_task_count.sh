#!/bin/sh
# The task table never forgets a live task: a background task that lives
# across thousands of short-lived processes is counted once, so the trace
# reports the true process count (a cache that evicted it counted it again
# at each later call: 20049 processes for 20004 in the run).
. "$SRC/tests/e2e/lib.sh"
need_cmd bash
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
N=${TASK_COUNT_N:-5000}
# bash, seq, the subshell, its sleep and first true (it execs the last), N trues.
want=$((N + 5))
for backend in $(required_backends); do
	need_backend $backend
	"$B/scmp-trace" -q --backend $backend -o "$tmp/t.json" -- bash -c \
		"(sleep 2; /bin/true; /bin/true) & for i in \$(seq $N); do /bin/true; done; wait" ||
		fail "$backend: traced run failed"
	got=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["processes"])' "$tmp/t.json")
	[ "$got" = "$want" ] || fail "$backend: $got processes recorded, $want ran"
	echo "ok: $backend: $got processes"
done
