#!/usr/bin/env python3
"""(arch, syscall) sets for the e2e tests.

  sets.py trace FILE            the set a trace.json records
  sets.py strace LOG [EXE] [--summary SUMMARY]
                                the set an `strace -f -qq -o LOG` log shows;
                                with EXE, only the process that first execs
                                EXE successfully (from that execve on) and
                                all its descendants; SUMMARY is the output
                                of `strace -c` on the same run (see below)
  sets.py diff A B              prints what only A and only B hold; exit 1
                                when they differ
Lines are "ARCH name", sorted.

strace prints no arch per line, so a call is native (SCMP_ARCH_X86_64)
unless strace said otherwise, in one of two ways:

- a "[ Process PID=N runs in 32 bit mode. ]" line in the log (some strace
  versions): that process's calls are SCMP_ARCH_X86 until it runs in 64 bit
  mode again;
- the summary of strace -c or -C (strace 6.1 writes no such line into an -o
  file), which has one table per mode, e.g. "System call usage summary for
  32 bit mode:" (SCMP_ARCH_X86) and "... for x32 mode:" (SCMP_ARCH_X32).
  These tables give per-name call counts c(N) but no process, so they are
  matched by count: for each name N that the (EXE-filtered) log shows L(N)
  times (besides calls a mode line already attributed), N is
  "SCMP_ARCH_X86 N" when c(N) > 0 and "SCMP_ARCH_X86_64 N" when L(N) > c(N):
  both when the log holds more N calls than the 32-bit table, only the
  32-bit one when it holds no more.  This counts every compat call in the
  summary as the EXE subtree's, so the program around it (scmp-trace when
  strace watches the tool too) must make none itself.  -c leaves out calls
  that never return (an i386 exit): those would look native.

The summary is read from SUMMARY, or, without --summary, from the end of
LOG itself: `strace -C -o LOG` writes the log lines and then the tables into
LOG, so one run gives both.
"""
import collections
import json
import re
import sys

NATIVE = "SCMP_ARCH_X86_64"
CALL = re.compile(r'^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()')
RESULT = re.compile(r'\)\s+=\s+(-?\d+)')
MODE = re.compile(r'\[ Process PID=(\d+) runs in (32|64) bit mode\. \]')
FORKS = {"clone", "clone3", "fork", "vfork"}
# strace -c: the tables' header, the line before each compat mode's table,
# and the arch of each mode strace names there (x86_64 personalities).
TABLE = re.compile(r'^% time\s')
TABLE_COLUMNS = "% time seconds usecs/call calls errors syscall".split()
MODE_TABLE = re.compile(r'^System call usage summary for (.+) mode:\s*$')
MODE_ARCH = {"32 bit": "SCMP_ARCH_X86", "x32": "SCMP_ARCH_X32"}


def trace_set(path):
    with open(path) as f:
        t = json.load(f)
    return {"%s %s" % (s["arch"], s["name"] or "#%d" % s["nr"])
            for s in t["syscalls"]}


def is_summary_start(line):
    return bool(TABLE.match(line) or MODE_TABLE.match(line))


def summary_counts(path, lines):
    """{arch: Counter(name: calls)} of the compat tables of strace -c
    output; None when the lines hold no table at all."""
    counts = {}
    arch = None         # the table being read; NATIVE for the first one
    pending = NATIVE    # the arch of the next table
    seen = False
    for line in lines:
        m = MODE_TABLE.match(line)
        if m:
            pending = MODE_ARCH.get(m.group(1))
            if pending is None:
                sys.exit("sets.py: %s: strace summary for an unknown mode: %s"
                         % (path, m.group(1)))
            arch = None
            continue
        if TABLE.match(line):
            if line.split() != TABLE_COLUMNS:
                sys.exit("sets.py: %s: strace summary with other columns "
                         "than the default ones: %s" % (path, line.strip()))
            arch, pending, seen = pending, NATIVE, True
            counts.setdefault(arch, collections.Counter())
            continue
        f = line.split()
        if not f or set(line.strip()) <= set("- "):
            continue
        if arch is None or len(f) not in (5, 6) or not f[3].isdigit():
            sys.exit("sets.py: %s: unreadable strace summary line: %s"
                     % (path, line.rstrip("\n")))
        if f[-1] != "total":
            counts[arch][f[-1]] += int(f[3])
    if not seen:
        return None
    counts.pop(NATIVE, None)
    return counts


def strace_set(path, exe=None, summary=None):
    calls = []          # (pid, name, resumed, arch, line)
    mode = {}
    tail = []           # strace -C: the summary after the log lines
    with open(path, errors="replace") as f:
        for line in f:
            if tail or is_summary_start(line):
                tail.append(line)
                continue
            m = MODE.search(line)
            if m:
                mode[m.group(1)] = "SCMP_ARCH_X86" if m.group(2) == "32" else NATIVE
                continue
            m = CALL.match(line)
            if not m:
                continue
            pid = m.group(1)
            calls.append((pid, m.group(3) or m.group(2), bool(m.group(2)),
                          mode.get(pid, NATIVE), line))
    if summary is not None:
        with open(summary, errors="replace") as f:
            compat = summary_counts(summary, f)
        if compat is None:
            sys.exit("sets.py: %s: no strace -c summary table" % summary)
    else:
        compat = summary_counts(path, tail) or {}
    keep = None
    if exe:
        keep, start = set(), None
        for i, (pid, name, resumed, arch, line) in enumerate(calls):
            if name == "execve" and ('execve("%s",' % exe) in line and not resumed:
                # Find its result, on this line or a resumed one.
                ok = RESULT.search(line)
                if not ok and "<unfinished" in line:
                    for c in calls[i + 1:]:
                        if c[0] == pid and c[1] == "execve" and c[2]:
                            ok = RESULT.search(c[4])
                            break
                if ok and ok.group(1) == "0":
                    start = i
                    keep.add(pid)
                    break
        if start is None:
            sys.exit("sets.py: %s: no successful execve of %s" % (path, exe))
        calls = calls[start:]
    if keep is not None:
        # Children may print before their parent's clone returns, so find
        # the whole tree first.
        parent = {}
        for pid, name, resumed, arch, line in calls:
            if name in FORKS:
                r = RESULT.search(line)
                if r and int(r.group(1)) > 0:
                    parent[r.group(1)] = pid
        changed = True
        while changed:
            changed = False
            for child, par in parent.items():
                if par in keep and child not in keep:
                    keep.add(child)
                    changed = True
    out = set()
    unknown = collections.Counter()     # calls that look native, by name
    known = collections.Counter()       # (arch, name) from mode lines
    for pid, name, resumed, arch, line in calls:
        if keep is not None and pid not in keep:
            continue
        if resumed:
            continue
        if arch == NATIVE:
            unknown[name] += 1
        else:
            out.add("%s %s" % (arch, name))
            known[(arch, name)] += 1
    for name, n in unknown.items():
        # The summary's compat calls not yet attributed by mode lines.
        left = {a: c[name] - known[(a, name)] for a, c in compat.items()}
        left = {a: k for a, k in left.items() if k > 0}
        for a in left:
            out.add("%s %s" % (a, name))
        if n > sum(left.values()):
            out.add("%s %s" % (NATIVE, name))
    return out


def main(argv):
    if len(argv) >= 3 and argv[1] == "trace":
        s = trace_set(argv[2])
    elif len(argv) >= 3 and argv[1] == "strace":
        args, summary = argv[2:], None
        if "--summary" in args:
            i = args.index("--summary")
            if i + 1 >= len(args):
                sys.exit(__doc__)
            summary = args[i + 1]
            del args[i:i + 2]
        if not 1 <= len(args) <= 2:
            sys.exit(__doc__)
        s = strace_set(args[0], args[1] if len(args) > 1 else None, summary)
    elif len(argv) == 4 and argv[1] == "diff":
        a = set(open(argv[2]).read().split("\n")) - {""}
        b = set(open(argv[3]).read().split("\n")) - {""}
        for x in sorted(a - b):
            print("only in %s: %s" % (argv[2], x))
        for x in sorted(b - a):
            print("only in %s: %s" % (argv[3], x))
        return 1 if a != b else 0
    else:
        sys.exit(__doc__)
    for x in sorted(s):
        print(x)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
