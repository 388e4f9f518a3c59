#!/usr/bin/env python3
"""Drives scmp-apply --ask on a pseudo-terminal (test_ask_edges.sh).

askpty.py DIR ANSWERS [--still SECONDS] -- CMD...

Runs CMD with its stdin, stdout and stderr on DIR/in, DIR/out, DIR/err, and
the pty as its controlling terminal (what --ask asks on).  ANSWERS is a
comma-separated list of CALL=KEY pairs, taken in order: each question on
the terminal must name "denied CALL [" and gets KEY.  With --still, after
each question the terminal must stay silent for SECONDS before the answer
(the program's tree is stopped while a question is up).  Writes the
transcript to DIR/tty and exits with CMD's exit status (or 99 on a
failure of the dialogue, with the reason on stderr).
"""
import os, pty, select, sys, time

def main():
    d, answers = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    still = 0.0
    if rest[:1] == ["--still"]:
        still, rest = float(rest[1]), rest[2:]
    assert rest[0] == "--"
    cmd = rest[1:]
    todo = [a.split("=", 1) for a in answers.split(",") if a]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("sh", ["sh", "-c", 'exec "$@" <"$0/in" >"$0/out" 2>"$0/err"', d] + cmd)
    seen, buf, status, question = b"", b"", None, ""
    deadline = time.time() + 60
    prompt = b"kill (k)? "
    def read(timeout):
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return None
        try:
            return os.read(fd, 65536)
        except OSError:
            return b""
    while time.time() < deadline and status is None:
        data = read(0.1)
        if not data:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
            elif data == b"":
                time.sleep(0.05)
            continue
        seen += data
        buf += data
        at = buf.find(prompt)
        if at < 0:
            continue
        if still and buf[at + len(prompt):]:
            fail(pid, seen, "output after the question: %r" % buf[at + len(prompt):][:200])
        if b"scmp-apply: denied " in buf[:at]:
            question = buf[buf.rfind(b"scmp-apply: denied ", 0, at):at].decode(errors="replace")
        if not todo:
            fail(pid, seen, "a question not expected: %r" % question)
        call, key = todo.pop(0)
        if "denied " + call + " [" not in question:
            fail(pid, seen, "the question is not about %s: %r" % (call, question))
        if still:
            end = time.time() + still
            while time.time() < end:
                more = read(end - time.time())
                if more:
                    seen += more
                    fail(pid, seen, "the terminal did not stay still under the question: %r" % more[:200])
        os.write(fd, (key + "\n").encode())
        buf = b""
    open(os.path.join(d, "tty"), "wb").write(seen)
    if status is None:
        fail(pid, seen, "scmp-apply --ask did not end")
    if todo:
        fail(pid, seen, "questions not asked: %s" % todo)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))

def fail(pid, seen, why):
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    sys.stderr.write("askpty: %s\n--- terminal ---\n%s\n" % (why, seen.decode(errors="replace")[-3000:]))
    sys.exit(99)

main()
