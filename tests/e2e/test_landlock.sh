#!/bin/sh
# Files and ports (issue 26): scmp-trace records the paths and TCP ports
# (notify and ptrace), scmp-gen --landlock makes the ruleset, and
# scmp-apply --landlock runs real programs under seccomp + Landlock:
# cat of the traced file passes and of another fails with "Permission
# denied" (EACCES, not SIGSYS); a traced TCP port on 127.0.0.1 connects and
# another is refused; tar and python3 run on another input; a kernel
# without Landlock (simulated) gets a clear message and the seccomp profile
# alone, and --landlock-strict refuses to run.
. "$SRC/tests/e2e/lib.sh"
need_kernel seccomp landlock
need_cmd python3 tar gzip
tmp=$(mktemp -d)
lpid=
trap '[ -n "$lpid" ] && kill "$lpid" 2>/dev/null; rm -rf "$tmp"' EXIT
PY=$(command -v python3)
PY=$(readlink -f "$PY")
case $PY in /root/.pyenv/*|*/shims/*) PY=/usr/bin/python3 ;; esac
[ -x "$PY" ] || skip "no python3 binary outside a shim"
echo "traced file" >"$tmp/ok.txt"
echo "secret" >"$tmp/other.txt"

# cat: the traced file, and a missing one (the error path's calls).
for be in notify ptrace; do
	need_backend $be
	# Into a file, as the runs below (cat copies to a file with
	# copy_file_range, to a pipe with write).
	run_tool "$B/scmp-trace" -q --backend $be -o "$tmp/cat-$be.json" -- cat "$tmp/ok.txt" >"$tmp/out" ||
		fail "$be: trace of cat failed"
	run_tool "$B/scmp-trace" -q --backend $be -o "$tmp/cat2-$be.json" -- cat "$tmp/missing" 2>/dev/null
	grep -q "\"$tmp/ok.txt\"" "$tmp/cat-$be.json" || fail "$be: the trace does not name $tmp/ok.txt"
	run_tool "$B/scmp-gen" -q -o "$tmp/cat-a.json" --landlock "$tmp/cat-l.json" \
		"$tmp/cat-$be.json" "$tmp/cat2-$be.json" || fail "$be: scmp-gen --landlock failed"
	"$B/scmp-apply" --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- cat "$tmp/ok.txt" >"$tmp/out" 2>&1 ||
		fail "$be: cat of the traced file failed under Landlock: $(cat "$tmp/out")"
	[ "$(cat "$tmp/out")" = "traced file" ] || fail "$be: cat printed '$(cat "$tmp/out")'"
	sh -c '"$@"' sh "$B/scmp-apply" --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- \
		cat "$tmp/other.txt" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || fail "$be: cat of an untouched file: status $rc, want 1 (159 would be SIGSYS): $(cat "$tmp/err")"
	grep -q "other.txt: Permission denied" "$tmp/err" || fail "$be: no 'Permission denied': $(cat "$tmp/err")"
	grep -q secret "$tmp/out" && fail "$be: the untouched file was read"
	note "$be: $(grep -c '"path"' "$tmp/cat-l.json") file rules for cat"
done
echo "ok: cat reads the traced file and gets Permission denied on another (notify, ptrace)"

# A new trace checked against the ruleset names what it would refuse; merged,
# the ruleset allows it.
run_tool "$B/scmp-trace" -q --backend ptrace -o "$tmp/cat3.json" -- cat "$tmp/other.txt" >"$tmp/out" ||
	fail "trace of cat other.txt failed"
"$B/scmp-apply" --check --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" --trace "$tmp/cat3.json" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "--check --landlock --trace: status $rc, want 1: $(cat "$tmp/out")"
grep -q "landlock refuses: $tmp/other.txt: read_file (by cat) in $tmp/cat3.json" "$tmp/out" ||
	fail "--check does not name the refused path: $(cat "$tmp/out")"
run_tool "$B/scmp-gen" -q -o "$tmp/cat-a.json" --landlock "$tmp/cat-l.json" \
	"$tmp/cat-ptrace.json" "$tmp/cat2-ptrace.json" "$tmp/cat3.json" || fail "merge failed"
"$B/scmp-apply" --check --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" --trace "$tmp/cat3.json" >"$tmp/out" 2>&1 ||
	fail "the merged ruleset still refuses: $(cat "$tmp/out")"
"$B/scmp-apply" --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- cat "$tmp/other.txt" >"$tmp/out" 2>&1 ||
	fail "the merged ruleset does not let cat read other.txt: $(cat "$tmp/out")"
echo "ok: --check --landlock names the path a new trace needs; merged, the ruleset allows it"

# --report runs the program under both and names what Landlock refused.
run_tool "$B/scmp-gen" -q -o "$tmp/cat-a.json" --landlock "$tmp/cat-l.json" \
	"$tmp/cat-ptrace.json" "$tmp/cat2-ptrace.json" || fail "gen failed"
sh -c '"$@"' sh "$B/scmp-apply" --report --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- \
	cat "$tmp/other.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "--report --landlock: status $rc, want 1: $(cat "$tmp/err")"
grep -q "other.txt: Permission denied" "$tmp/err" || fail "--report: cat was not refused: $(cat "$tmp/err")"
grep -q "landlock refuses: $tmp/other.txt: read_file (by cat) in this run" "$tmp/err" ||
	fail "--report does not name the refused path: $(cat "$tmp/err")"
grep -q secret "$tmp/out" && fail "--report: the untouched file was read"
"$B/scmp-apply" --report --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- cat "$tmp/ok.txt" >"$tmp/out" 2>"$tmp/err" ||
	fail "--report --landlock: the traced file: $(cat "$tmp/err")"
grep -q "cat-l.json refused nothing the program did" "$tmp/err" || fail "--report: $(cat "$tmp/err")"
echo "ok: --report --landlock names the path Landlock refused (path, right, executable)"

# --complain --landlock enforces nothing and records what the ruleset would
# refuse; merged, the ruleset allows it.
"$B/scmp-apply" --complain "$tmp/c.json" --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- \
	cat "$tmp/other.txt" >"$tmp/out" 2>"$tmp/err" || fail "--complain --landlock failed: $(cat "$tmp/err")"
grep -q secret "$tmp/out" || fail "--complain --landlock enforced the ruleset"
grep -q "complain: 1 path and 0 TCP ports the Landlock ruleset would have refused" "$tmp/err" ||
	fail "--complain --landlock summary: $(cat "$tmp/err")"
python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))
assert [p["path"] for p in t["paths"]] == [sys.argv[2]], t["paths"]
assert t["executables"][t["paths"][0]["exe"][0]].endswith("/cat"), t' "$tmp/c.json" "$tmp/other.txt" ||
	fail "the complain trace does not hold just the refused path"
run_tool "$B/scmp-gen" -q -o "$tmp/cat-a2.json" --landlock "$tmp/cat-l2.json" \
	"$tmp/cat-ptrace.json" "$tmp/cat2-ptrace.json" "$tmp/c.json" || fail "merge of the complain trace failed"
"$B/scmp-apply" --landlock "$tmp/cat-l2.json" "$tmp/cat-a2.json" -- cat "$tmp/other.txt" >"$tmp/out" 2>&1 ||
	fail "the refined ruleset does not let cat read other.txt: $(cat "$tmp/out")"
echo "ok: --complain --landlock records the refused path; merged, the ruleset allows it"

# No Landlock (simulated): a clear message, and the seccomp profile alone.
SCMPKIT_LANDLOCK_FAULT=absent "$B/scmp-apply" --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- \
	cat "$tmp/other.txt" >"$tmp/out" 2>"$tmp/err" || fail "without Landlock the run failed: $(cat "$tmp/err")"
grep -q "this kernel has no Landlock" "$tmp/err" || fail "no message without Landlock: $(cat "$tmp/err")"
grep -q "the seccomp profile alone applies" "$tmp/err" || fail "the message does not say the profile applies: $(cat "$tmp/err")"
grep -q secret "$tmp/out" || fail "without Landlock cat did not run under the profile alone"
SCMPKIT_LANDLOCK_FAULT=absent "$B/scmp-apply" --landlock-strict "$tmp/cat-l.json" "$tmp/cat-a.json" -- \
	cat "$tmp/ok.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 125 ] || fail "--landlock-strict without Landlock: status $rc, want 125"
grep -q "landlock-strict: not running without it" "$tmp/err" || fail "strict message: $(cat "$tmp/err")"
SCMPKIT_LANDLOCK_FAULT=abi:3 "$B/scmp-apply" --landlock "$tmp/cat-l.json" "$tmp/cat-a.json" -- \
	cat "$tmp/ok.txt" >/dev/null 2>"$tmp/err" || fail "ABI 3 run failed: $(cat "$tmp/err")"
grep -q "ABI 3) cannot enforce ioctl_dev (ABI 5); TCP bind and connect (ABI 4)" "$tmp/err" ||
	fail "ABI 3 does not name what it cannot enforce: $(cat "$tmp/err")"
echo "ok: without Landlock a message and the profile alone; strict refuses; an old ABI names what it lacks"

# tar: traced on one tree, run on a changed tree; /etc is refused.
mkdir -p "$tmp/src/sub" "$tmp/arch"
for i in 1 2 3 4; do echo "file $i" >"$tmp/src/f$i"; done
echo deep >"$tmp/src/sub/d"
run_tool "$B/scmp-trace" -q --backend ptrace -o "$tmp/tar.json" -- \
	tar -czf "$tmp/arch/a.tgz" -C "$tmp/src" . || fail "trace of tar failed"
run_tool "$B/scmp-trace" -q --backend ptrace -o "$tmp/tar2.json" -- \
	tar -czf "$tmp/arch/x.tgz" -C "$tmp/nothere" . 2>/dev/null
run_tool "$B/scmp-gen" -q -o "$tmp/tar-a.json" --landlock "$tmp/tar-l.json" "$tmp/tar.json" "$tmp/tar2.json" ||
	fail "gen for tar failed"
echo new >"$tmp/src/f5"
mkdir "$tmp/src/sub2" && echo y >"$tmp/src/sub2/y"
"$B/scmp-apply" --landlock "$tmp/tar-l.json" "$tmp/tar-a.json" -- \
	tar -czf "$tmp/arch/b.tgz" -C "$tmp/src" . 2>"$tmp/err" || fail "tar on another input failed: $(cat "$tmp/err")"
tar -tzf "$tmp/arch/b.tgz" | grep -q "sub2/y" || fail "tar's archive lacks the new file"
sh -c '"$@"' sh "$B/scmp-apply" --landlock "$tmp/tar-l.json" "$tmp/tar-a.json" -- \
	tar -czf "$tmp/arch/c.tgz" -C /etc . 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "tar of /etc: status $rc, want 2: $(cat "$tmp/err")"
grep -q "Permission denied" "$tmp/err" || fail "tar of /etc: no Permission denied: $(cat "$tmp/err")"
note "tar: $(grep -c '"path"' "$tmp/tar-l.json") file rules"
# -f systemd: the drop-in systemd reads without a complaint.
run_tool "$B/scmp-gen" -q -f systemd -o "$tmp/tar.conf" --landlock "$tmp/tar-l.conf" "$tmp/tar.json" ||
	fail "scmp-gen -f systemd --landlock failed"
grep -q "^ReadWritePaths=-$tmp/arch$" "$tmp/tar-l.conf" || fail "no ReadWritePaths= for tar's output: $(cat "$tmp/tar-l.conf")"
grep -q "^ExecPaths=-/usr/bin/tar$" "$tmp/tar-l.conf" || fail "no ExecPaths= for tar: $(cat "$tmp/tar-l.conf")"
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$tmp/sd/ll.service.d"
	printf '[Unit]\nDescription=scmpkit test\n[Service]\nExecStart=/bin/true\n' >"$tmp/sd/ll.service"
	cp "$tmp/tar-l.conf" "$tmp/sd/ll.service.d/landlock.conf"
	(cd "$tmp/sd" && systemd-analyze verify --man=no ll.service) >"$tmp/out" 2>&1 ||
		fail "systemd-analyze verify failed: $(head -5 "$tmp/out")"
	[ -s "$tmp/out" ] && fail "systemd-analyze complains about the drop-in: $(head -5 "$tmp/out")"
else
	note "systemd-analyze is not installed: the drop-in was not verified"
fi
echo "ok: tar archives a changed tree under seccomp + Landlock and cannot read /etc"

# python3: reads a directory's files; run on a new file there.
mkdir "$tmp/data"
for i in 1 2 3; do echo "{\"k$i\": $i}" >"$tmp/data/in$i.json"; done
cat >"$tmp/count.py" <<'EOF'
import collections, json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    data = json.load(open(os.path.join(d, name)))
    print(name, len(data), sorted(collections.Counter(type(v).__name__ for v in data.values())))
EOF
run_tool "$B/scmp-trace" -q --backend notify -o "$tmp/py.json" -- "$PY" "$tmp/count.py" "$tmp/data" >/dev/null ||
	fail "trace of python3 failed"
run_tool "$B/scmp-trace" -q --backend notify -o "$tmp/py2.json" -- "$PY" "$tmp/count.py" "$tmp/nothere" 2>/dev/null
run_tool "$B/scmp-gen" -q -o "$tmp/py-a.json" --landlock "$tmp/py-l.json" "$tmp/py.json" "$tmp/py2.json" ||
	fail "gen for python3 failed"
echo '{"z": {"q": 1}, "y": 2.5}' >"$tmp/data/in4.json"
"$B/scmp-apply" --landlock "$tmp/py-l.json" "$tmp/py-a.json" -- "$PY" "$tmp/count.py" "$tmp/data" \
	>"$tmp/out" 2>"$tmp/err" || fail "python3 on another input failed: $(cat "$tmp/err")"
grep -q "in4.json 2" "$tmp/out" || fail "python3 did not read the new file: $(cat "$tmp/out")"
sh -c '"$@"' sh "$B/scmp-apply" --landlock "$tmp/py-l.json" "$tmp/py-a.json" -- \
	"$PY" "$tmp/count.py" /etc/ssl >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "python3 on /etc/ssl: status $rc, want 1: $(cat "$tmp/err")"
grep -q "PermissionError" "$tmp/err" || fail "python3 on /etc/ssl: no PermissionError: $(cat "$tmp/err")"
note "python3: $(grep -c '"path"' "$tmp/py-l.json") file rules"
echo "ok: python3 reads a new file of the traced directory and cannot list /etc/ssl"

# TCP: a port connected to while traced connects; another is refused.
if ! have landlock-net; then
	skip_part no-landlock-net "Landlock ABI below 4: no TCP port rules"
	exit 0
fi
cat >"$tmp/listen.py" <<'EOF'
import socket, sys
socks = []
for path in sys.argv[1:]:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    socks.append(s)
    open(path + ".tmp", "w").write(str(s.getsockname()[1]))
    __import__("os").rename(path + ".tmp", path)
import select
while True:
    r, _, _ = select.select(socks, [], [])
    for s in r:
        s.accept()[0].close()
EOF
cat >"$tmp/client.py" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
    print("connected")
except OSError as e:
    print("refused:", e)
    sys.exit(1)
EOF
"$PY" "$tmp/listen.py" "$tmp/portA" "$tmp/portB" &
lpid=$!
wait_for test -s "$tmp/portB" || fail "the listener did not start"
pa=$(cat "$tmp/portA")
pb=$(cat "$tmp/portB")
run_tool "$B/scmp-trace" -q --backend notify -o "$tmp/net.json" -- "$PY" "$tmp/client.py" "$pa" >/dev/null ||
	fail "trace of the client failed"
run_tool "$B/scmp-trace" -q --backend notify -o "$tmp/net2.json" -- "$PY" "$tmp/client.py" 1 >/dev/null 2>&1
grep -q "\"port\": *$pa" "$tmp/net.json" || fail "the trace does not hold port $pa"
run_tool "$B/scmp-gen" -q -o "$tmp/net-a.json" --landlock "$tmp/net-l.json" "$tmp/net.json" "$tmp/net2.json" ||
	fail "gen for the client failed"
out=$("$B/scmp-apply" --landlock "$tmp/net-l.json" "$tmp/net-a.json" -- "$PY" "$tmp/client.py" "$pa" 2>&1) ||
	fail "the traced port did not connect: $out"
[ "$out" = connected ] || fail "traced port: $out"
sh -c '"$@"' sh "$B/scmp-apply" --landlock "$tmp/net-l.json" "$tmp/net-a.json" -- \
	"$PY" "$tmp/client.py" "$pb" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "another port: status $rc, want 1: $(cat "$tmp/out")"
grep -q "Permission denied" "$tmp/out" || fail "another port was not refused by Landlock: $(cat "$tmp/out")"
echo "ok: the traced TCP port connects, another is refused (Permission denied)"
