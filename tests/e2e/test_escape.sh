#!/bin/sh
# Escape attempts (samples/escape.c): under the profile generated from a run
# that made none, each way around it is stopped - the process dies of SIGSYS
# (159), it never gets to print "escaped".  Also each attempt runs without a
# filter, so a "stopped" result cannot come from the attempt failing anyway.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
esc=$B/samples/escape
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- "$esc" none >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"
"$B/scmp-apply" "$tmp/p.json" -- "$esc" none >"$tmp/out" 2>&1 || fail "the traced run fails under its profile: $(cat "$tmp/out")"
grep -q "escaped none" "$tmp/out" || fail "the traced run did not complete"
for a in x32 int80 bignr thread newuser wx inet6; do
	"$esc" "$a" >"$tmp/free" 2>&1
	st=$?
	if [ $st -eq 77 ]; then
		[ "$a" = int80 ] && ! have ia32 || fail "$a: the attempt says it cannot run: $(tail -1 "$tmp/free")"
		skip_part no-ia32 "$a: $(tail -1 "$tmp/free")"
		continue
	fi
	grep -q "escaped $a" "$tmp/free" || fail "$a does not even run without a filter: $(cat "$tmp/free")"
	sh -c '"$@"' sh "$B/scmp-apply" "$tmp/p.json" -- "$esc" "$a" >"$tmp/out" 2>&1
	st=$?
	grep -q "escaped $a" "$tmp/out" && fail "$a escaped the profile: $(cat "$tmp/out")"
	grep -q "attempt $a" "$tmp/out" || fail "$a: the program died before the attempt: $(cat "$tmp/out")"
	[ $st -eq 159 ] || fail "$a: status $st, want 159 (SIGSYS)"
	echo "ok: $a stopped (SIGSYS)"
done
# A thread's forbidden call kills the whole process, not just the thread:
# the main thread never prints "escaped thread" (checked above), and no task
# of it is left.
sh -c '"$@"' sh "$B/scmp-apply" "$tmp/p.json" -- "$esc" thread >/dev/null 2>&1 &
pid=$!
wait $pid
st=$?
[ $st -eq 159 ] || fail "thread: status $st, want 159 (SIGSYS)"
left=$(pgrep -f "$esc thread")
[ -z "$left" ] || fail "thread: tasks of the killed process are left: $left"
[ ! -e /proc/$pid/task ] || fail "thread: /proc/$pid/task still exists after the kill"
echo "ok: the thread's forbidden call killed the whole process, no task left"
