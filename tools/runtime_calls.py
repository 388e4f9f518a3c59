#!/usr/bin/env python3
"""The calls a container runtime makes under the container's filter.

Reads an `strace -f -ttt` log (one file, every pid) of a runtime starting a
container - `strace -f -ttt -o LOG runc run ID`, or a wrapper runtime that
runs `strace -D -f -ttt -o LOG /usr/sbin/runc "$@"` for docker and podman -
and prints, sorted, the names of the calls made under the container's filter
before the program's execve: from the return of the init's
prctl(PR_SET_SECCOMP) or seccomp(SECCOMP_SET_MODE_FILTER) with a program, by
that thread and every task it starts afterwards (they inherit the filter),
up to and including the program's execve.  With -c, the count of each;
with -l, the calls themselves.
This is how lib/runtime.c's rows were measured (README, Platforms).
"""
import re
import sys

LINE = re.compile(r"^(\d+)\s+([\d.]+)\s+(.*)$")
START = re.compile(r"^([a-z_0-9]+)\(")
RESUMED = re.compile(r"^<\.\.\. ([a-z_0-9]+) resumed>")
LOAD = re.compile(r"^(prctl\(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, \{|"
                  r"seccomp\(SECCOMP_SET_MODE_FILTER, [^,]*, \{)")
RET = re.compile(r"= (\d+|\?)")
LINES = None  # -l: the calls as strace wrote them


def parse(path):
    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\n"))
        if m:
            yield int(m.group(1)), m.group(3)


def measure(path):
    """Counts by name, or None when no filter was loaded."""
    filtered = set()
    pending = {}  # pid -> name of a call started under the filter
    counts = {}
    done = set()
    for pid, rest in parse(path):
        if pid in done:
            continue
        s = START.match(rest)
        r = RESUMED.match(rest)
        name = s.group(1) if s else r.group(1) if r else None
        if not filtered and s and LOAD.match(rest):
            filtered.add(pid)
            continue
        if pid not in filtered or not name:
            continue
        if s:
            counts[name] = counts.get(name, 0) + 1
            pending[pid] = name
            if LINES is not None:
                LINES.append(rest)
        final = rest if ("<unfinished" not in rest) else None
        if final is None:
            continue
        if name in ("clone", "clone3", "fork", "vfork"):
            m = RET.search(final)
            if m and m.group(1) != "?":
                filtered.add(int(m.group(1)))
        if name == "execve" and re.search(r"= 0$", final):
            done.update(filtered)
    return counts if filtered else None


def main():
    args = sys.argv[1:]
    global LINES
    with_counts = "-c" in args
    if "-l" in args:
        LINES = []
    args = [a for a in args if a not in ("-c", "-l")]
    if len(args) != 1:
        print("usage: runtime_calls.py [-c|-l] STRACE_LOG", file=sys.stderr)
        return 2
    counts = measure(args[0])
    if counts is None:
        print("runtime_calls.py: no filter loaded in %s" % args[0], file=sys.stderr)
        return 1
    if LINES is not None:
        print("\n".join(LINES))
        return 0
    for name in sorted(counts):
        print("%s %d" % (name, counts[name]) if with_counts else name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
