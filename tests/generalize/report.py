# SPDX-License-Identifier: MIT
"""Helpers of tests/generalize/run.sh (make check-generalize).

  report.py names PROFILE          the names PROFILE allows (SCMP_ACT_ALLOW)
  report.py missing PROFILE TRACE  what a --baseline TRACE recorded beyond
                                   PROFILE, one phrase: the calls it names
                                   ("new call X") or the argument values it
                                   never allowed ("new value openat(flags)")
  report.py table ROWS             the table and the totals, from the rows
                                   run.sh wrote (tab-separated)
"""
import json
import sys


def allowed(path):
    p = json.load(open(path))
    return sorted({n for r in p.get("syscalls") or []
                   if r["action"] == "SCMP_ACT_ALLOW"
                   for n in r.get("names") or [r["name"]]})


# What a new call or value means, for the reader of the table.
MEANS = {
    "getdents64": "lists a directory",
    "getdents": "lists a directory",
    "getcwd": "asks for the working directory",
    "write": "writes output",
    "readlinkat": "reads a symbolic link",
    "readlink": "reads a symbolic link",
    "fstatfs": "asks for a file system's metadata",
    "ioctl(0x5413)": "asks for the terminal size (TIOCGWINSZ)",
    "ioctl(0x5401)": "asks whether an fd is a terminal (TCGETS)",
}


def means(what):
    m = MEANS.get(what)
    return "%s: %s" % (what, m) if m else what


def missing(profile, trace):
    names = set(allowed(profile))
    t = json.load(open(trace))
    out = []
    for s in t.get("syscalls") or []:
        n = s.get("name") or "nr %d" % s.get("nr", -1)
        if n in names:
            vals = s.get("args")
            what = "" if not isinstance(vals, list) else \
                ",".join(hex(v) for row in vals[:2] for v in row)
            out.append("new value " + means("%s(%s)" % (n, what)))
        else:
            out.append("new call " + means(n))
    return "; ".join(sorted(set(out))[:4]) or "?"


def table(rows_file):
    rows = [l.rstrip("\n").split("\t") for l in open(rows_file) if l.strip()]
    head = ("program", "--exact", "default", "grow", "in1 exact", "in1 default",
            "in2 exact", "in2 default", "what killed it (default)")
    w = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(8)]
    fmt = "  ".join("%%-%ds" % x for x in w) + "  %s"
    print(fmt % head)
    for r in rows:
        print(fmt % tuple(r[:9]))
    n = len(rows)
    ex = sum(int(r[1]) for r in rows)
    de = sum(int(r[2]) for r in rows)
    grow = sum(float(r[3].rstrip("%")) for r in rows) / n if n else 0
    passes = lambda col: sum(r[col] == "pass" for r in rows)
    print("totals: %d programs, %d inputs each way; --exact passes %d of %d, "
          "default passes %d of %d; names %d --exact, %d default, "
          "%.1f%% more on average per program" %
          (n, 2 * n, passes(4) + passes(6), 2 * n, passes(5) + passes(7),
           2 * n, ex, de, grow))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "names":
        print(len(allowed(sys.argv[2])))
    elif cmd == "missing":
        print(missing(sys.argv[2], sys.argv[3]))
    elif cmd == "table":
        table(sys.argv[2])
    else:
        sys.exit("usage: report.py names|missing|table ...")
