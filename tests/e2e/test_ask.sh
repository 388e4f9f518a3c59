#!/bin/sh
# scmp-apply --ask[=FILE] (issue 15), driven through a pseudo-terminal: each
# denied call not decided before is asked about on /dev/tty (never the
# program's stdin or stdout) and the answer is done: allow once, allow
# always (not asked again), deny with EPERM, kill.  The refined profile it
# writes runs the program under plain scmp-apply.  Without a terminal it
# refuses to start.
. "$SRC/tests/e2e/lib.sh"
need_notify
need_cmd python3 setsid
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
A=$B/scmp-apply
T=$B/samples/trysyscall
# The program: raw calls a profile made from its training run lacks.
cat >"$tmp/prog.sh" <<'SH'
T=$1 mode=$2
call() { if [ "$mode" = train ]; then "$T" 39; else "$T" "$@"; fi; }
[ "$mode" = short ] || call 24             # sched_yield: allow once
call 99 bad                                # sysinfo: allow always (EFAULT when it runs)
call 99 bad                                # the same call: not asked again
call 100 bad                               # times: deny with EPERM
[ "$mode" = short ] || call 98 0 bad        # getrusage: kill
echo end
SH
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- sh "$tmp/prog.sh" "$T" train >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"
for n in sched_yield sysinfo times getrusage; do
	grep -q "\"$n\"" "$tmp/p.json" && skip "the profile of sh and trysyscall allows $n here"
done

# No terminal: refused before anything runs.
setsid "$A" --ask "$tmp/p.json" -- sh "$tmp/prog.sh" "$T" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 125 ] || fail "--ask without a terminal: status $rc, want 125"
grep -q "^scmp-apply: --ask needs a terminal to ask on: /dev/tty: " "$tmp/err" ||
	fail "--ask without a terminal: message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "--ask without a terminal ran the program"

# On a pseudo-terminal; the program's streams are files.
: >"$tmp/in"
python3 - "$tmp" "$A" "$T" <<'PY' || fail "the terminal session failed"
import os, pty, select, sys, time
tmp, A, T = sys.argv[1:4]
answers = {"sched_yield": "o", "sysinfo": "a", "times": "e", "getrusage": "k"}
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", "-c", 'exec "$@" <"$0/in" >"$0/out" 2>"$0/err"', tmp,
                     A, "--ask=" + tmp + "/refined.json", tmp + "/p.json", "--",
                     "sh", tmp + "/prog.sh", T])
seen, buf, asked = b"", b"", []
deadline = time.time() + 30
status = None
while time.time() < deadline and status is None:
    r, _, _ = select.select([fd], [], [], 0.1)
    try:
        data = os.read(fd, 4096) if r else b""
    except OSError:
        # EIO: no process holds the terminal open now (the shell moved
        # every stream to a file; scmp-apply opens /dev/tty later).
        data = b""
    if not data:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
        elif r:
            time.sleep(0.05)
        continue
    seen += data
    buf += data
    if buf.rstrip().endswith(b"?"):
        text = buf.decode()
        call = [n for n in answers if "denied " + n + " [" in text]
        if len(call) != 1:
            sys.exit("a prompt naming no call we expect: %r" % text)
        asked.append(call[0])
        os.write(fd, (answers[call[0]] + "\n").encode())
        buf = b""
if status is None:
    os.kill(pid, 9)
    sys.exit("scmp-apply --ask did not end: %r" % seen.decode())
open(tmp + "/tty", "wb").write(seen)
if asked != ["sched_yield", "sysinfo", "times", "getrusage"]:
    sys.exit("asked about %s, want each call once, sysinfo once: %r" % (asked, seen.decode()))
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    sys.exit("status %r: %s" % (status, open(tmp + "/err").read()))
PY
# What the program printed: each answer done; nothing of the dialogue.
printf 'ok 0\nerrno 14\nerrno 14\nerrno 1\nend\n' >"$tmp/want"
cmp -s "$tmp/want" "$tmp/out" || fail "the program's output under --ask: $(cat "$tmp/out")"
grep -q "allow once" "$tmp/out" "$tmp/err" 2>/dev/null && fail "the prompt went to the program's streams"
grep -q "allow always (a)" "$tmp/tty" || fail "no prompt on the terminal: $(cat "$tmp/tty")"
# stderr is no terminal: it logs the answers.
grep -q "scmp-apply: denied sysinfo .*; allowed for the run (your answer)\$" "$tmp/err" ||
	fail "no log line for sysinfo: $(cat "$tmp/err")"
grep -q "scmp-apply: denied getrusage .*; process killed (your answer)\$" "$tmp/err" ||
	fail "no log line for getrusage: $(cat "$tmp/err")"
# What changed: sysinfo allowed, times denied with EPERM; once and kill (the
# profile's own action) change nothing.
grep -q "^scmp-apply: ask: wrote $tmp/refined.json: $tmp/p.json with 2 rules more:" "$tmp/err" ||
	fail "no summary of the refinement: $(cat "$tmp/err")"
grep -q "^scmp-apply:   + allow sysinfo \[x86_64\]" "$tmp/err" || fail "sysinfo not listed as allowed: $(cat "$tmp/err")"
grep -q "^scmp-apply:   + errno EPERM: times \[x86_64\]" "$tmp/err" || fail "times not listed as EPERM: $(cat "$tmp/err")"
grep "^scmp-apply:   +" "$tmp/err" | grep -q "sched_yield\|getrusage" && fail "a change listed for once or kill"

# The refined profile runs the program (its calls the answers allowed or
# denied with an errno) under plain scmp-apply; the original kills it.
"$A" "$tmp/refined.json" -- sh "$tmp/prog.sh" "$T" short >"$tmp/out2" 2>"$tmp/err2" ||
	fail "the refined profile does not run the program: $(cat "$tmp/err2")"
printf 'errno 14\nerrno 14\nerrno 1\nend\n' >"$tmp/want2"
cmp -s "$tmp/want2" "$tmp/out2" || fail "under the refined profile: $(cat "$tmp/out2")"
"$A" "$tmp/p.json" -- sh "$tmp/prog.sh" "$T" short >"$tmp/out3" 2>/dev/null
cmp -s "$tmp/want2" "$tmp/out3" && fail "the original profile ran the program too: the refinement proves nothing"
echo "ok: --ask asks on the terminal, remembers, does each answer; the refined profile runs the program"
