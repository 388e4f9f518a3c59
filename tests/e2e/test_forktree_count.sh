#!/bin/sh
# The process count of a deterministic 200-process fork tree is exact, run
# after run, with every backend: a task counted twice (the ptrace backend
# once counted a leaf seen by its own stop and gone before its parent's
# fork event again at that event, 1 run in 50) or not at all shows here.
# FORKTREE_RUNS runs per backend: 10 in make check, 500 in make check-stress.
# The backends of tests/backends.required (notify, ptrace, bpf as root).  A backend that fails
# to run fails the test.
. "$SRC/tests/e2e/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=${FORKTREE_RUNS:-10}
bad=
backends=$(required_backends)
for be in $backends; do need_backend "$be"; done

for be in $backends; do
	i=0 wrong=0 seen=
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		"$B/scmp-trace" -q --backend "$be" -o "$tmp/f.json" -- \
			"$B/samples/forktree" 200 >"$tmp/out" 2>"$tmp/err" ||
			fail "$be: run $i failed: $(cat "$tmp/err")"
		[ "$(cat "$tmp/out")" = "200 processes" ] ||
			fail "$be: run $i: forktree says $(cat "$tmp/out")"
		grep -q "\"backend\": \"$be\"" "$tmp/f.json" ||
			fail "$be: run $i: the trace does not name the $be backend"
		n=$(grep -o '"processes": [0-9]*' "$tmp/f.json" | grep -o '[0-9]*$')
		if [ "$n" != 200 ]; then
			wrong=$((wrong + 1))
			seen="$seen $n"
		fi
	done
	if [ $wrong -eq 0 ]; then
		note "$be: 200 processes recorded in each of $runs runs"
	else
		echo "$be: $wrong of $runs runs recorded a wrong process count (want 200):$seen"
		bad="$bad $be"
	fi
done
[ -z "$bad" ] || fail "wrong process counts with:$bad"
echo "ok: fork tree counts"
