#!/bin/sh
# Plain scmp-apply on a terminal (issue 24 item 10): a program killed by the
# profile is named in one step.  When standard error is a terminal,
# scmp-apply runs as with --report (it stays the parent; the profile's own
# filter with its denials notified, measured in README's Speed at the cost
# of plain scmp-apply), so "Bad system call" comes with the call, the
# executable and why, and the status is still 159; a run that denies
# nothing says nothing more.  --exec, or a standard error that is no
# terminal (scripts, services), keeps the plain exec.
. "$SRC/tests/e2e/lib.sh"
need_notify
need_cmd python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
A=$B/scmp-apply
rf=$B/samples/readfile
run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- "$rf" /etc/hostname >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"

# on_tty OUT CMD...: CMD with stdin, stdout and stderr on a pty; what it
# wrote in OUT; its status (as a shell reports it).
on_tty() {
	python3 - "$@" <<'PY'
import os, pty, sys
out, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
data = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, st = os.waitpid(pid, 0)
open(out, "wb").write(data)
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
PY
}

on_tty "$tmp/tty1" "$A" "$tmp/p.json" -- "$rf" /etc/hostname --uname
rc=$?
[ $rc -eq 159 ] || fail "killed on a terminal: status $rc, want 159: $(cat "$tmp/tty1")"
grep -q "scmp-apply: denied uname \[x86_64\] by .*readfile (pid [0-9]*): not in $tmp/p.json; process killed (kill-process)" "$tmp/tty1" ||
	fail "the kill is not named on the terminal: $(cat "$tmp/tty1")"
grep -q "scmp-apply: report: .* did not allow 1 call" "$tmp/tty1" || fail "no summary of the denial: $(cat "$tmp/tty1")"
echo "ok: killed on a terminal, the call is named (status 159)"

on_tty "$tmp/tty2" "$A" "$tmp/p.json" -- "$rf" /etc/hostname
rc=$?
[ $rc -eq 0 ] || fail "a clean run on a terminal: status $rc: $(cat "$tmp/tty2")"
grep -q "scmp-apply" "$tmp/tty2" && fail "a run that denied nothing said something: $(cat "$tmp/tty2")"
echo "ok: a run that denies nothing says nothing"

on_tty "$tmp/tty3" "$A" --exec "$tmp/p.json" -- "$rf" /etc/hostname --uname
rc=$?
[ $rc -eq 159 ] || fail "--exec: status $rc, want 159"
grep -q "scmp-apply: denied" "$tmp/tty3" && fail "--exec did not exec: $(cat "$tmp/tty3")"
# Not a terminal: the plain exec (the program is scmp-apply's own pid).
rc=$(python3 -c '
import subprocess, sys
r = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[1], "w"))
print(128 - r.returncode if r.returncode < 0 else r.returncode)' "$tmp/err" "$A" "$tmp/p.json" -- "$rf" /etc/hostname --uname)
[ $rc -eq 159 ] || fail "stderr a file: status $rc"
[ -s "$tmp/err" ] && fail "stderr a file: scmp-apply said something: $(cat "$tmp/err")"
"$A" --exec --report "$tmp/p.json" -- true 2>"$tmp/err"
[ $? -eq 125 ] && grep -q -- "--exec is plain scmp-apply" "$tmp/err" || fail "--exec --report: $(cat "$tmp/err")"
echo "ok: --exec and a stderr that is no terminal exec the program"
