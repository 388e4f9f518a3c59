#!/usr/bin/env python3
"""(arch, syscall) sets for the e2e tests.

  sets.py trace FILE            the set a trace.json records
  sets.py strace LOG [EXE]      the set an `strace -f -qq -o LOG` log shows;
                                with EXE, only the process that first execs
                                EXE successfully (from that execve on) and
                                all its descendants
  sets.py diff A B              prints what only A and only B hold; exit 1
                                when they differ
Lines are "ARCH name", sorted.  strace prints no arch per line, so calls are
native (SCMP_ARCH_X86_64) unless strace announced a 32-bit personality.
"""
import json
import re
import sys

NATIVE = "SCMP_ARCH_X86_64"
CALL = re.compile(r'^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()')
RESULT = re.compile(r'\)\s+=\s+(-?\d+)')
MODE = re.compile(r'\[ Process PID=(\d+) runs in (32|64) bit mode\. \]')
FORKS = {"clone", "clone3", "fork", "vfork"}


def trace_set(path):
    with open(path) as f:
        t = json.load(f)
    return {"%s %s" % (s["arch"], s["name"] or "#%d" % s["nr"])
            for s in t["syscalls"]}


def strace_set(path, exe=None):
    calls = []          # (pid, name, arch, line)
    mode = {}
    with open(path, errors="replace") as f:
        for line in f:
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
    for pid, name, resumed, arch, line in calls:
        if keep is not None and pid not in keep:
            continue
        if not resumed:
            out.add("%s %s" % (arch, name))
    return out


def main(argv):
    if len(argv) >= 3 and argv[1] == "trace":
        s = trace_set(argv[2])
    elif len(argv) >= 3 and argv[1] == "strace":
        s = strace_set(argv[2], argv[3] if len(argv) > 3 else None)
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
