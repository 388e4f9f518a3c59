#!/usr/bin/env python3
"""make bench: each workload natively and under every tracer/filter mode.

Runs are alternated (mode by mode, round by round) so drift on a noisy
machine hits every mode alike; each cell is the median of BENCH_RUNS runs.
Ratios are to native and to strace -f measured in this same run.  A last
table measures what a trace costs the rest of the host: an untraced getppid
loop alone, and beside a loop that runs natively or traced (the bpf
backend's tracepoint runs for every task), as ratios of its CPU time to
the loop alone and to the loop beside the native one.
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

B = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ONLY = os.environ.get("BENCH_ONLY", "")
DOCKER = os.path.join(SRC, "tests/data/profiles/fixtures/docker-default.json")
if not os.path.exists(DOCKER):
    DOCKER = os.path.join(os.path.dirname(SRC), "shared/fixtures/profiles/docker-default.json")
TMP = tempfile.mkdtemp(prefix="scmpkit-bench.")


def make_tree():
    d = os.path.join(TMP, "make")
    os.makedirs(d)
    for s in sorted(os.listdir(os.path.join(SRC, "samples"))):
        if s.endswith(".c"):
            shutil.copy(os.path.join(SRC, "samples", s), d)
    with open(os.path.join(d, "Makefile"), "w") as f:
        f.write("SRCS := $(wildcard *.c)\nall: $(SRCS:.c=)\n"
                "%: %.c\n\t$(CC) -O1 -D_GNU_SOURCE -o $@ $< -lpthread\n"
                "clean:\n\trm -f $(SRCS:.c=)\n")
    return d


MAKEDIR = make_tree()
WORKLOADS = [
    ("getppid x1e6", [f"{B}/bench/getppid_loop", "1000000"]),
    ("find /usr -xdev", ["sh", "-c", "find /usr -xdev >/dev/null"]),
    ("tar cf - /usr/include", ["sh", "-c", "tar cf - /usr/include >/dev/null"]),
    ("python3 imports", ["python3", "-c", "import json, sqlite3, email.parser, http.client, decimal"]),
    ("make -j2 samples", ["sh", "-c", f"make -s -C {MAKEDIR} clean && make -s -j2 -C {MAKEDIR}"]),
    ("8 threads x 1e5 getppid", [f"{B}/bench/threads_loop", "8", "100000"]),
    ("fork+exec x200", ["sh", "-c", "i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done"]),
    ("signals x1e5", [f"{B}/bench/signal_loop", "100000"]),
]
# The signal guard's cost: with and without it, one or two supervisors.
GUARD_WORKLOADS = {"getppid x1e6", "signals x1e5", "fork+exec x200"}
# What keeping paths costs (issue 26): these also run with --no-paths.
PATH_WORKLOADS = {"find /usr -xdev", "tar cf - /usr/include", "python3 imports"}
# The untraced workloads measured beside a (traced) getppid loop.
NEIGHBOURS = [
    ("untraced getppid x1e6", ["__B__/bench/getppid_loop", "1000000"]),
    ("untraced find /usr -xdev", ["sh", "-c", "find /usr -xdev >/dev/null"]),
]


def bpf_works():
    """None when scmp-trace --backend bpf runs here, else why not."""
    r = subprocess.run([f"{B}/scmp-trace", "-q", "--backend", "bpf", "-o",
                        os.path.join(TMP, "probe.json"), "--", "true"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return None if r.returncode == 0 else (r.stderr.strip() or "status %d" % r.returncode)


BPF_WHY = bpf_works()


def profile_for(name, cmd):
    """Traces the workload once and generates its profile."""
    t = os.path.join(TMP, name.replace(" ", "_").replace("/", "_") + ".trace.json")
    p = t.replace(".trace.json", ".allow.json")
    r = subprocess.run([f"{B}/scmp-trace", "-q", "-o", t, "--"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        return None
    r = subprocess.run([f"{B}/scmp-gen", "-o", p, t],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p if r.returncode == 0 else None


def modes(name, prof):
    out = os.path.join(TMP, "out.json")
    notify = [f"{B}/scmp-trace", "-q", "--backend", "notify", "-o", out]
    m = [
        ("native", []),
        ("strace -f", ["strace", "-f", "-qq", "-o", "/dev/null"]),
        ("trace notify", notify + ["--"]),
    ]
    if BPF_WHY is None:
        bpf = [f"{B}/scmp-trace", "-q", "--backend", "bpf", "-o", out]
        m.append(("trace bpf", bpf + ["--"]))
        if name == "getppid x1e6":
            m.append(("trace bpf --errors", bpf + ["--errors", "--"]))
    if name in GUARD_WORKLOADS:
        m.append(("notify, 2 supervisors", notify + ["--supervisors", "2", "--"]))
        m.append(("notify, no guard, 1 sup.", notify + ["--no-signal-guard", "--supervisors", "1", "--"]))
        m.append(("notify, no guard, 2 sup.", notify + ["--no-signal-guard", "--supervisors", "2", "--"]))
    m.append(("trace ptrace", [f"{B}/scmp-trace", "-q", "--backend", "ptrace", "-o", out, "--"]))
    if name in PATH_WORKLOADS:
        m.append(("notify --no-paths", notify + ["--no-paths", "--"]))
        m.append(("ptrace --no-paths", [f"{B}/scmp-trace", "-q", "--backend", "ptrace", "--no-paths",
                                        "-o", out, "--"]))
    if prof:
        m.append(("trace --baseline", [f"{B}/scmp-trace", "-q", "--baseline", prof, "-o", out, "--"]))
        m.append(("apply generated", [f"{B}/scmp-apply", "-q", prof, "--"]))
        # Stays the parent and supervises denials: the calls the profile
        # allows (all of them here) run in the kernel, nothing is notified.
        m.append(("apply --report", [f"{B}/scmp-apply", "-q", "--report", prof, "--"]))
    m.append(("apply docker-default", [f"{B}/scmp-apply", "-q", DOCKER, "--"]))
    return m


def measure(cmd):
    r = subprocess.run([f"{B}/bench/measure"] + cmd, capture_output=True, text=True)
    try:
        wall, cpu, rss, status = r.stdout.split()
        return float(wall), float(cpu), int(rss), int(status)
    except ValueError:
        return None


def neighbour_modes():
    """What runs beside the untraced loop: a getppid loop, natively or
    traced.  bpf's tracepoint runs for every task on the host, so the
    neighbour pays for it too; notify's and ptrace's cost stays with the
    traced tree (but their tracer takes CPU time of its own)."""
    out = os.path.join(TMP, "bg.json")
    m = [("alone", None), ("beside a native loop", [])]
    if BPF_WHY is None:
        m.append(("beside a bpf-traced loop",
                  [f"{B}/scmp-trace", "-q", "--backend", "bpf", "-o", out, "--"]))
    m.append(("beside a notify-traced loop",
              [f"{B}/scmp-trace", "-q", "--backend", "notify", "-o", out, "--"]))
    return m


def measure_beside(pre, cmd):
    """Measures cmd, untraced, while pre + a long getppid loop runs
    (started first, stopped after with SIGINT, which scmp-trace forwards
    to the program); pre None: cmd alone."""
    if pre is None:
        return measure([c.replace("__B__", B) for c in cmd])
    bg = subprocess.Popen(pre + [f"{B}/bench/getppid_loop", "1000000000"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # loaded, attached, looping
    try:
        return measure([c.replace("__B__", B) for c in cmd])
    finally:
        bg.send_signal(signal.SIGINT)
        try:
            bg.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bg.kill()
            bg.wait()


def neighbour(name, cmd):
    """The system-wide cost of a trace: cmd, untraced, alone and beside a
    loop that runs natively or traced; ratios to cmd alone (a node that
    records one pod: what every other pod pays), and, in the last column,
    to cmd beside the native loop (the same contention, no trace); CPU
    time, which the neighbours' share of the CPUs does not change."""
    ms = neighbour_modes()
    res = {mn: [] for mn, _ in ms}
    for _ in range(RUNS):
        for mn, pre in ms:
            r = measure_beside(pre, cmd)
            if r is not None and r[3] == 0:
                res[mn].append(r)
    med = {mn: tuple(statistics.median(x[i] for x in res[mn]) for i in range(3))
           for mn, _ in ms if res[mn]}
    # CPU time: what the untraced workload itself pays (the tracepoint runs
    # in its syscalls), whatever the neighbours take of the wall clock.
    alone = med.get("alone", (0, 0))[1]
    beside = med.get("beside a native loop", (0, 0))[1]
    for mn, _ in ms:
        if mn not in med:
            print(f"| {name} | {mn} | failed | | | | |")
            continue
        w, c, rss = med[mn]
        print(f"| {name} | {mn} | {w:.3f} | {c:.3f} | {rss / 1024:.1f} | "
              f"{fmt_ratio(c, alone)} | {fmt_ratio(c, beside) if mn != 'alone' else '-'} |")
    sys.stdout.flush()


def fmt_ratio(x, base):
    return f"{x / base:.1f}x" if base and x else "-"


def main():
    print(f"scmpkit bench: {RUNS} runs per cell, medians; machine: "
          f"{os.cpu_count()} CPUs, kernel {os.uname().release}\n")
    if BPF_WHY is not None:
        print(f"(no bpf rows: {BPF_WHY})\n")
    print("| workload | mode | wall s | CPU s | peak RSS MB | vs native | vs strace -f |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, cmd in WORKLOADS:
        if ONLY and ONLY not in name:
            continue
        prof = profile_for(name, cmd)
        ms = modes(name, prof)
        res = {mn: [] for mn, _ in ms}
        bad = {}
        for _ in range(RUNS):
            for mn, pre in ms:
                r = measure(pre + cmd)
                if r is None or r[3] != 0:
                    bad[mn] = f"failed (status {r[3] if r else '?'})"
                else:
                    res[mn].append(r)
        med = {}
        for mn, _ in ms:
            if res[mn] and mn not in bad:
                med[mn] = tuple(statistics.median(x[i] for x in res[mn]) for i in range(3))
        nat = med.get("native", (0, 0, 0))[0]
        st = med.get("strace -f", (0, 0, 0))[0]
        for mn, _ in ms:
            if mn in bad:
                print(f"| {name} | {mn} | {bad[mn]} | | | | |")
                continue
            w, c, rss = med[mn]
            print(f"| {name} | {mn} | {w:.3f} | {c:.3f} | {rss / 1024:.1f} | "
                  f"{fmt_ratio(w, nat)} | {fmt_ratio(w, st)} |")
        sys.stdout.flush()
    hood = [(n, c) for n, c in NEIGHBOURS if not ONLY or ONLY in n]
    if hood:
        print("\nWhat a recording costs the processes it does not record:\n")
        print("| untraced workload | mode | wall s | CPU s | peak RSS MB | CPU vs alone | CPU vs beside a native loop |")
        print("|---|---|---:|---:|---:|---:|---:|")
    for name, cmd in hood:
        neighbour(name, cmd)
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
