#!/bin/sh
# scmp-apply --kill-tree (issue 15): the kernel's kill-process ends one
# thread group, so a service whose worker is killed keeps its other
# processes running (nginx's orphan workers kept serving the port).  With
# --kill-tree a kill denial anywhere in the program's tree ends all of it:
# no process of the tree survives, daemonized ones included, and the status
# is the SIGSYS of the kill.  Plain --report shows the hazard.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; pkill -9 -f "sleep 4242" 2>/dev/null; rm -rf "$tmp"' EXIT
A=$B/scmp-apply
# The service: a worker in the background, a daemon of its own session,
# and a child that makes a call the profile lacks (uname).
svc='sleep 4242.1 & setsid sleep 4242.2 & sleep 0.3; uname >/dev/null; wait'
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- sh -c 'sleep 0.1 & setsid sleep 0.1 & sleep 0.1; true >/dev/null; wait' ||
	fail "trace failed"
grep -q '"uname"' "$tmp/t.json" && skip "sh or sleep calls uname(2) here"
run_tool "$B/scmp-gen" -q -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"

# --kill-tree: the denial in the child ends the whole tree.
sh -c '"$@"' sh timeout -s KILL 20 "$A" --kill-tree "$tmp/p.json" -- sh -c "$svc" 2>"$tmp/err"
rc=$?
[ $rc -eq 137 ] && fail "--kill-tree: the tree kept running until the timeout: $(cat "$tmp/err")"
[ $rc -eq 159 ] || fail "--kill-tree: status $rc, want 159: $(cat "$tmp/err")"
grep -q "scmp-apply: denied .* by .*uname (pid [0-9]*): .*; process tree killed (kill-process)\$" "$tmp/err" ||
	fail "--kill-tree: no line naming the denial and the tree kill: $(cat "$tmp/err")"
wait_for gone "sleep 4242" || fail "--kill-tree: a process of the tree survived: $(pgrep -af 'sleep 4242')"

# Plain --report: only the denied process dies; the rest of the tree lives on.
"$A" --report "$tmp/p.json" -- sh -c "$svc" 2>"$tmp/err2" &
pids=$!
wait_for grep -q "scmp-apply: denied" "$tmp/err2" || fail "--report: no denial named: $(cat "$tmp/err2")"
grep -q "; process killed (kill-process)\$" "$tmp/err2" || fail "--report: the line: $(cat "$tmp/err2")"
# Once the denied process is gone, the kill is over: the rest still runs.
denied=$(sed -n 's/^scmp-apply: denied .*(pid \([0-9]*\)).*/\1/p' "$tmp/err2" | head -1)
[ -n "$denied" ] || fail "--report: no pid in the line: $(cat "$tmp/err2")"
pid_gone() { [ ! -d /proc/"$1" ] || grep -q '^State:[[:space:]]*Z' /proc/"$1"/status 2>/dev/null; }
wait_for pid_gone "$denied" || fail "--report: the denied process $denied was not killed"
running "sleep 4242.1" || fail "--report without --kill-tree ended the whole tree"
kill -TERM $pids
kill -TERM $pids
wait $pids
wait_for gone "sleep 4242" || fail "the tree outlived scmp-apply"

# The program itself killed, its worker left (issue 24 item 10): --report
# waits on the worker and says that --kill-tree would have ended it.
"$A" --report "$tmp/p.json" -- sh -c 'sleep 4242.3 & exec uname' >/dev/null 2>"$tmp/err3" &
pids=$!
wait_for grep -q "waiting for its descendants" "$tmp/err3" || fail "--report: no word of the lingering worker: $(cat "$tmp/err3")"
grep -q "with --kill-tree a kill by the profile ends them too" "$tmp/err3" ||
	fail "--report waits on the worker without saying --kill-tree exists: $(cat "$tmp/err3")"
kill -TERM $pids
kill -TERM $pids
wait $pids
wait_for gone "sleep 4242" || fail "the worker outlived scmp-apply"
echo "ok: --kill-tree ends the whole tree at a kill denial (status 159); --report alone kills one process, and says --kill-tree exists"
