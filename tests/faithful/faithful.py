#!/usr/bin/env python3
"""make check-faithful: a traced program behaves exactly as it does natively.

Runs real shell workloads natively and under each scmp-trace backend and
compares what a user sees: stdout (sorted where the workload's order is not
deterministic natively) and the exit status.  Prints one row per workload:
runs, divergences per backend, and the signal guard's restarts (notify).

  faithful.py BUILD_DIR [--quick] [--unguarded] [--only NAME]

--quick divides the run counts by 10 (for a smoke test); --unguarded adds a
column for notify --no-signal-guard, which is expected to diverge (shown,
not asserted).  The columns are tests/backends.required's (notify, ptrace,
and bpf as root): one that does not run fails the suite.  Exit 1 when a
required backend diverged once.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/root"}
TIMEOUT = 20  # a run takes under a second; a hang is a divergence
PTRACE_REF = {}  # workload -> prefix whose native run ptrace must match


def native_prefix(build, tmp, backend):
    if backend == "native":
        return []
    cmd = [os.path.join(build, "scmp-trace"), "-q", "-o", os.path.join(tmp, "t.json")]
    if backend == "unguarded":
        cmd += ["--backend", "notify", "--no-signal-guard"]
    else:
        cmd += ["--backend", backend]
    return cmd + ["--"]


def required_backends():
    """The backends tests/backends.required asks for on this machine."""
    out = []
    with open(os.path.join(SRC, "tests", "backends.required")) as f:
        for line in f:
            w = line.split()
            if len(w) >= 2 and not w[0].startswith("#") and \
                    (w[1] == "always" or (w[1] == "root" and os.geteuid() == 0)):
                out.append(w[0])
    return out


def check_backends(build, tmp, names):
    """Every required backend runs true here, or the suite fails: a column
    is never dropped.  Returns the reasons of those that did not run."""
    bad = []
    for b in names:
        p = subprocess.run([os.path.join(build, "scmp-trace"), "-q", "--backend", b,
                            "-o", os.path.join(tmp, "t.json"), "--", "true"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            bad.append("%s: %s" % (b, p.stderr.strip() or "status %d" % p.returncode))
    return bad


def restarts(tmp):
    try:
        with open(os.path.join(tmp, "t.json")) as f:
            return json.load(f).get("signal_guard", {}).get("restarts", 0)
    except (OSError, ValueError):
        return 0


def run_plain(argv, cwd):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           stdin=subprocess.DEVNULL, env=ENV, cwd=cwd,
                           timeout=TIMEOUT)
        return p.stdout, p.returncode
    except subprocess.TimeoutExpired:
        return b"<hang>", "timeout"


def run_daemon(argv, cwd):
    """Starts a daemon, reloads it with HUP twice, stops it with TERM."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, env=ENV, cwd=cwd)
    out = [p.stdout.readline()]            # "ready"
    for sig in (signal.SIGHUP, signal.SIGHUP, signal.SIGTERM):
        p.send_signal(sig)
        if sig == signal.SIGHUP:
            out.append(p.stdout.readline())  # "reload N"
    try:
        rest, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        return b"<hang>", "timeout"
    return b"".join(out) + rest, p.returncode


def workloads(build, tmp, quick):
    s = build + "/samples"
    mk = os.path.join(tmp, "mk")
    os.makedirs(mk, exist_ok=True)
    for f in ("readfile.c", "signals.c", "threads.c", "socket.c"):
        with open(os.path.join(SRC, "samples", f)) as a, open(os.path.join(mk, f), "w") as b:
            b.write(a.read())
    with open(os.path.join(mk, "Makefile"), "w") as f:
        f.write("all: readfile signals threads socket\n"
                "%: %.c\n\t@$(CC) -O0 -o $@ $< -lpthread && echo built $@\n"
                "clean:\n\t@rm -f readfile signals threads socket\n")
    asan = os.path.join(tmp, "asan-leak")
    with open(asan + ".c", "w") as f:
        f.write('#include <stdio.h>\n#include <stdlib.h>\nvoid *keep;\n'
                'int main(void) { char *p = malloc(64); p[0] = 1; p = 0; keep = 0;\n'
                '  puts("asan ok"); return 0; }\n')
    have_asan = subprocess.run(["cc", "-fsanitize=address", "-g", "-O0", "-o", asan,
                                asan + ".c"], stderr=subprocess.DEVNULL).returncode == 0
    d = 10 if quick else 1
    w = [
        ("dash, 200 background jobs", 30 // d, False, run_plain,
         ["sh", "-c", "for i in $(seq 200); do /bin/true & done; wait; echo done"]),
        ("sh -c 'echo abc | cat | cat'", 1000 // d, False, run_plain,
         ["sh", "-c", "echo abc | cat | cat"]),
        ("50 pipelines in one sh", 20 // d, False, run_plain,
         ["sh", "-c", "i=0; while [ $i -lt 50 ]; do echo $i | cat | cat; i=$((i+1)); done"]),
        ("make -j2 of samples", 5, True, run_plain,
         ["sh", "-c", "make -s -C %s clean && make -s -j2 -C %s" % (mk, mk)]),
        ("xargs -P2 pipeline", 20 // d, True, run_plain,
         ["sh", "-c", "seq 1 400 | xargs -P2 -n20 sh -c 'echo $# $(echo \"$@\" | wc -c)' sh | sort | uniq -c"]),
        ("trap USR1, signals its parent", 20 // d, False, run_plain,
         ["sh", "-c", "trap 'echo got USR1' USR1; sh -c 'kill -USR1 $PPID'; "
                      "kill -USR1 $PPID; echo parent alive"]),
        ("daemon: HUP, HUP, TERM", 5, False, run_daemon,
         ["sh", "-c", "n=0; trap 'n=$((n+1)); echo reload $n' HUP; "
                      "trap 'echo stopping; exit 3' TERM; echo ready; "
                      "while :; do sleep 0.02; done"]),
        ("nested USR1/USR2 handlers, 20000 signals", 3, False, run_plain,
         [s + "/sigstorm", "20000"]),
        ("strace -f /bin/true", 5, False, run_plain,
         ["sh", "-c", "strace -f -o /dev/null /bin/true && echo strace ok"]),
    ]
    # A task has one tracer: under the ptrace backend a tracer inside the
    # tree cannot attach, exactly as under strace -f (notify hands it over).
    PTRACE_REF[w[-1][0]] = ["strace", "-f", "-o", "/dev/null"]
    if have_asan:
        w.append(("-fsanitize=address, a leak", 5, False, run_plain, [asan]))
        # The same for LeakSanitizer's stop-the-world: it says it cannot
        # work under ptrace.
        PTRACE_REF[w[-1][0]] = ["strace", "-f", "-o", "/dev/null"]
    elif os.environ.get("CI"):
        print("check-faithful: FAILED: cc -fsanitize=address does not build here (CI installs gcc)")
        sys.exit(1)
    else:
        print("note: no AddressSanitizer here (cc -fsanitize=address failed): that row skipped")
    return w


def main(argv):
    build = os.path.abspath(argv[1])
    # Natively the harness is the program's parent: a program that signals
    # its parent must not kill it.  A handler, not SIG_IGN, which the
    # program would inherit (and a shell could then not trap).
    signal.signal(signal.SIGUSR1, lambda *a: None)
    quick = "--quick" in argv
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    tmp = tempfile.mkdtemp(prefix="faithful.")
    required = required_backends()
    bad = check_backends(build, tmp, required)
    if bad:
        print("check-faithful: FAILED: a required backend (tests/backends.required) does not run:")
        for b in bad:
            print("  " + b)
        return 1
    backends = ["native"] + required + (["unguarded"] if "--unguarded" in argv else [])
    failed = False
    print("%-42s %5s %s %s" % ("workload", "runs",
                               " ".join("%10s" % b for b in backends[1:]), "restarts"))
    for name, runs, unordered, runner, argv_w in workloads(build, tmp, quick):
        if only and only not in name:
            continue
        div = {b: 0 for b in backends[1:]}
        rst, first = 0, {}
        t0 = time.time()
        for i in range(max(runs, 1)):
            for b in backends:
                out, rc = runner(native_prefix(build, tmp, b) + argv_w, tmp)
                if unordered:
                    out = b"\n".join(sorted(out.split(b"\n")))
                if b == "native":
                    if i == 0:
                        first = (out, rc)
                    elif (out, rc) != first:
                        print("  note: %s differs between native runs: not deterministic" % name)
                    want = (out, rc)
                    continue
                if b == "notify":
                    rst += restarts(tmp)
                ref = want
                if b == "ptrace" and name in PTRACE_REF:
                    ref = runner(PTRACE_REF[name] + argv_w, tmp)
                if (out, rc) != ref:
                    div[b] += 1
                    if div[b] <= 2:
                        print("  %s: %s run %d: got %r (status %s), expected %r (status %s)" %
                              (name, b, i + 1, out[-200:], rc, ref[0][-200:], ref[1]))
        row = " ".join("%10d" % div[b] for b in backends[1:])
        print("%-42s %5d %s %8d   (%.0fs)" % (name, max(runs, 1), row, rst, time.time() - t0))
        sys.stdout.flush()
        failed |= any(div[b] > 0 for b in required)
    subprocess.run(["rm", "-rf", tmp])
    asserted = ", ".join(required)
    print("check-faithful: %s" % ("FAILED: a traced run diverged" if failed else
                                  "no divergence (%s)" % asserted))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
