#!/bin/sh
# What the container runtime needs from a profile (README, Platforms): runc
# loads the filter in the container's init and makes calls of its own
# before it execs the program.  A static program traced with scmp-trace and
# generated with -f spo: the resource's spec (the OCI profile SPO installs)
# run by runc with kill-process as the default, with noNewPrivileges set
# and not.  The program's profile alone kills the container; generated
# with --runtime runc it runs in both modes, with --runtime runc:nnp with
# noNewPrivileges only.  Needs root and runc (measured with Debian 12's
# runc 1.1.5, lib/runtime.c; other versions may make other calls, and this
# test says which version it ran).
. "$SRC/tests/e2e/lib.sh"
need_kernel root seccomp
need_cmd runc cc
runc --version >/dev/null 2>&1 || skip "runc --version fails: runc is not usable here"
tmp=$(mktemp -d)
ids=
cleanup() {
	for id in $ids; do runc delete -f "$id" >/dev/null 2>&1; done
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
mkdir rootfs
printf '#include <unistd.h>\nint main(void) { return write(1, "hi\\n", 3) != 3; }\n' >hello.c
cc -static -O1 -o rootfs/hello hello.c 2>err || fail "no static libc to build the container's program: $(head -3 err)"
runc spec || fail "runc spec failed"
"$B/scmp-trace" -q -o t.json -- rootfs/hello >/dev/null 2>err || fail "scmp-trace cannot trace the program: $(cat err)"
run_tool "$B/scmp-gen" -q -f spo -o app.json t.json || fail "scmp-gen -f spo failed"
run_tool "$B/scmp-gen" -q -f spo --runtime runc -o app-runc.json t.json ||
	fail "scmp-gen -f spo --runtime runc failed"
run_tool "$B/scmp-gen" -q -f spo --runtime runc:nnp -o app-nnp.json t.json ||
	fail "scmp-gen -f spo --runtime runc:nnp failed"

# run ID nnp|privs SPO: runs /hello in a container whose profile is SPO's
# spec; its stdout, or fails the run.
run() {
	_id=scmpkit-$$-$1
	ids="$ids $_id"
	/usr/bin/python3 - "$2" "$3" <<'PY' || fail "cannot write config.json"
import json, sys
mode, spo = sys.argv[1], sys.argv[2]
c = json.load(open("config.json"))
c["process"]["terminal"] = False
c["process"]["args"] = ["/hello"]
c["process"]["noNewPrivileges"] = mode == "nnp"
if mode == "unconfined":
    c["linux"].pop("seccomp", None)
else:
    c["linux"]["seccomp"] = json.load(open(spo))["spec"]
json.dump(c, open("config.json", "w"), indent=1)
PY
	timeout 60 runc run "$_id" 2>runc.err
}

# runc itself, without any profile of ours: if it cannot run the program,
# the environment cannot run containers; anything after that is our fault.
if ! run probe unconfined none >out || [ "$(cat out)" != hi ]; then
	skip "runc does not run a trivial container here (no seccomp profile): $(cat runc.err)"
fi
version=$(runc --version | head -1)
for mode in nnp privs; do
	out=$(run "bare-$mode" $mode app.json)
	[ "$out" = hi ] && fail "$version ran the container ($mode) with the program's profile alone: the runtime needs nothing?"
done
out=$(run "privs" privs app-runc.json) || true
[ "$out" = hi ] || fail "$version, without noNewPrivileges: the profile made with --runtime runc does not run the container: $(cat runc.err)"
out=$(run "nnp" nnp app-runc.json) || true
[ "$out" = hi ] || fail "$version, noNewPrivileges: the profile made with --runtime runc does not run the container: $(cat runc.err)"
out=$(run "nnp-only" nnp app-nnp.json) || true
[ "$out" = hi ] || fail "$version, noNewPrivileges: the profile made with --runtime runc:nnp does not run the container: $(cat runc.err)"
out=$(run "nnp-privs" privs app-nnp.json) || true
[ "$out" = hi ] && fail "$version ran the container without noNewPrivileges under the --runtime runc:nnp profile: runc needs nothing more there?"
note "$version: the program's profile alone kills the container; with --runtime runc it runs (noNewPrivileges and not), with --runtime runc:nnp with noNewPrivileges only (-f spo's spec)"
