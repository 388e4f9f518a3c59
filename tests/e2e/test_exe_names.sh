#!/bin/sh
# An executable has one name in every backend (issue 24 item 6):
# - a path of 71 components (more than the 64 the bpf walk used to take)
#   is recorded whole by each backend;
# - one longer than PATH_MAX (run from a deep working directory), which
#   /proc/PID/exe cannot say either, makes every backend's trace
#   incomplete, with the reason;
# - one exec'd after it was deleted (fexecve of an unlinked file) is
#   "PATH (deleted)" everywhere, as /proc/PID/exe says it (notify used to
#   miss execveat and leave the calls to the executable before it).
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
T=$B/samples/trysyscall
PY=$(command -v python3)

deep=$tmp/deep
for i in $(seq 0 70); do deep=$deep/d$i; done
mkdir -p "$deep" && cp "$T" "$deep/prog" || fail "cannot make a 71-component path"
cat >"$tmp/fx.py" <<'EOF2'
import os, shutil, sys
shutil.copy(sys.argv[1], sys.argv[2])
fd = os.open(sys.argv[2], os.O_RDONLY)
os.unlink(sys.argv[2])
os.execve(fd, ["gone", "39"], {})
EOF2
# A working directory whose path is longer than PATH_MAX (built relatively).
long=$(cd "$tmp" && mkdir L && cd L && for i in $(seq 10 80); do
	n=$(printf '%070d' "$i"); mkdir "$n" && cd -P "$n" || exit 1; done && cp "$T" ./prog && echo ok)
[ "$long" = ok ] || fail "cannot make a path longer than PATH_MAX"

for be in $(required_backends); do
	need_backend "$be"
	"$B/scmp-trace" -q --backend "$be" -o "$tmp/d.json" -- "$deep/prog" 39 >/dev/null ||
		fail "$be: the deep program did not run"
	"$B/scmp-trace" -q --backend "$be" -o "$tmp/x.json" -- "$PY" "$tmp/fx.py" "$T" "$tmp/gone" >/dev/null ||
		fail "$be: the deleted program did not run"
	(cd "$tmp/L" && for i in $(seq 10 80); do cd -P "$(printf '%070d' "$i")"; done &&
	 "$B/scmp-trace" -q --backend "$be" -o "$tmp/l.json" -- ./prog 39 >/dev/null) ||
		fail "$be: the program past PATH_MAX did not run"
	"$PY" - "$be" "$deep/prog" "$tmp/gone (deleted)" "$tmp/d.json" "$tmp/x.json" "$tmp/l.json" <<'EOF2' || fail "$be: executables named wrongly"
import json, sys
be, deep, gone = sys.argv[1:4]
d, x, l = (json.load(open(f)) for f in sys.argv[4:7])
def by(t, name):
    ex = t["executables"]
    return {ex[i] for s in t["syscalls"] if s["name"] == name for i in s.get("exe", [])}
assert deep in d["executables"], "%s: the 71-component path is missing: %s" % (be, d["executables"])
assert d["complete"], d.get("incomplete_reason")
assert gone in by(x, "getpid"), "%s: getpid not by %r: %s" % (be, gone, by(x, "getpid"))
assert not l["complete"], "%s: a path past PATH_MAX left the trace complete" % be
assert "could not be named" in l["incomplete_reason"], l["incomplete_reason"]
EOF2
	echo "ok: $be: a 71-component path recorded, a deleted one named \"(deleted)\", one past PATH_MAX makes the trace incomplete"
done
