#!/bin/sh
# scmp-gen on real traces: deterministic output, a trace merged with itself
# gives the same profile, argument rules that hold under scmp-apply (a
# socket domain never traced dies of SIGSYS), small profiles for small
# programs, the C output builds the same filter, and the CLI's exit codes.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

gen() { run_tool "$B/scmp-gen" "$@"; }

# The CLI first: it needs no tracer.
"$B/scmp-gen" -h >help.txt || fail "scmp-gen -h failed"
for o in output args max-values default-action format explain allow-incomplete quiet help version; do
	grep -q -- "--$o" help.txt || fail "--help does not list --$o"
done
[ "$("$B/scmp-gen" -V)" = "scmp-gen 0.1.0" ] || fail "scmp-gen -V: $("$B/scmp-gen" -V)"
"$B/scmp-gen" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no trace: want exit 2"
"$B/scmp-gen" --args bogus x.json >/dev/null 2>&1
[ $? -eq 2 ] || fail "--args bogus: want exit 2"
"$B/scmp-gen" --default-action errno:NOPE x.json >/dev/null 2>&1
[ $? -eq 2 ] || fail "--default-action errno:NOPE: want exit 2"
printf '{"format": "scmpkit-trace", "version": 1, "syscalls": [{"arch": "SCMP_ARCH_VAX", "nr": 1, "count": 1}]}' >bad.json
"$B/scmp-gen" -o out.json bad.json 2>err
[ $? -eq 1 ] || fail "bad arch: want exit 1"
grep -q "bad.json: syscalls\[0\].arch" err || fail "bad arch: message does not name the place: $(cat err)"
[ ! -e out.json ] || fail "a profile was written from a bad trace"
echo "ok: usage and bad input exit 2 and 1 with the place named"

run_trace() { # OUT CMD...
	out=$1
	shift
	"$B/scmp-trace" -q -o "$out" -- "$@" >/dev/null 2>trace.err
}
run_trace true.json true || fail "scmp-trace cannot trace true: $(cat trace.err)"

# Incomplete traces are refused unless told.
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); t["complete"]=False; t["incomplete_reason"]="test"; json.dump(t, open(sys.argv[2], "w"))' \
	true.json inc.json
"$B/scmp-gen" -o inc.allow.json inc.json 2>err
[ $? -eq 1 ] || fail "an incomplete trace was accepted"
grep -q "inc.json" err || fail "incomplete: message does not name the file: $(cat err)"
gen -q --allow-incomplete -o inc.allow.json inc.json || fail "--allow-incomplete refused"
echo "ok: incomplete traces need --allow-incomplete"

# ls: small, deterministic, merge with itself is identical, no writes.
run_trace ls.json ls -la /usr || fail "tracing ls failed: $(cat trace.err)"
gen -q -o ls1.json ls.json || fail "scmp-gen ls failed"
gen -q -o ls2.json ls.json || fail "scmp-gen ls failed"
cmp -s ls1.json ls2.json || fail "two runs differ: $(diff ls1.json ls2.json | head -5)"
gen -q -o ls3.json ls.json ls.json || fail "scmp-gen ls ls failed"
cmp -s ls1.json ls3.json || fail "a trace merged with itself differs: $(diff ls1.json ls3.json | head -5)"
echo "ok: byte-identical across runs and when merged with itself"
python3 - ls1.json <<'EOF' || fail "ls profile check failed"
import json, sys
p = json.load(open(sys.argv[1]))
allowed = {n for r in p["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" for n in r["names"]}
if len(allowed) > 40:
    sys.exit("ls -la allows %d syscalls, want <= 40: %s" % (len(allowed), sorted(allowed)))
O_WRONLY, O_RDWR = 1, 2
for r in p["syscalls"]:
    if "openat" not in r["names"] or r["action"] != "SCMP_ACT_ALLOW":
        continue
    ok = any(a["index"] == 2 and a["op"] == "SCMP_CMP_MASKED_EQ"
             and a["value"] & O_WRONLY and a["value"] & O_RDWR
             and not a["valueTwo"] & (O_WRONLY | O_RDWR)
             for a in r.get("args", []))
    if not ok:
        sys.exit("an openat rule allows writing: %s" % r)
print("ok: ls -la allows %d syscalls; openat is read-only" % len(allowed))
EOF
"$B/scmp-apply" ls1.json -- ls -la /usr >/dev/null 2>err || fail "ls under its profile failed: $(cat err)"

# The C output builds the same filter as the OCI profile.
if command -v cc >/dev/null 2>&1 && pkg-config --exists libseccomp 2>/dev/null; then
	gen -q -f c -o ls.c ls.json || fail "scmp-gen -f c failed"
	cc -std=gnu11 -Wall -Wextra -Werror -DSCMPKIT_MAIN -o lsc ls.c $(pkg-config --cflags --libs libseccomp) 2>err ||
		fail "the generated C does not build: $(head -5 err)"
	./lsc >c.pfc || fail "the generated C failed to build its filter"
	"$B/scmp-apply" --export pfc -o oci.pfc ls1.json || fail "scmp-apply --export pfc failed"
	cmp -s c.pfc oci.pfc || fail "PFC of the C output differs from the OCI profile's: $(diff c.pfc oci.pfc | head -5)"
	echo "ok: the C output's filter is the OCI profile's (same PFC)"
else
	note "no cc or libseccomp pkg-config: C output not compiled"
fi
gen -q -f systemd -o ls.conf ls.json || fail "scmp-gen -f systemd failed"
grep -q '^SystemCallFilter=.*\bgetdents64\b' ls.conf || fail "systemd output lacks getdents64: $(cat ls.conf)"
grep -q '^SystemCallArchitectures=' ls.conf || fail "systemd output lacks SystemCallArchitectures="
gen -q -f minijail -o ls.policy ls.json || fail "scmp-gen -f minijail failed"
grep -q '^openat: arg2 in ' ls.policy || fail "minijail output lacks the openat flags rule: $(grep openat ls.policy)"
gen -q -o - ls.json | cmp -s - ls1.json || fail "-o - differs from the file"
echo "ok: systemd, minijail and stdout outputs"

# python3: AF_INET traced and allowed; AF_INET6 never traced, killed.  (Not
# AF_UNIX: without HOME, glibc's name service probes nscd over AF_UNIX while
# python3 starts, so the trace can legitimately contain it.)
inet='import socket; socket.socket(socket.AF_INET)'
inet6='import socket; socket.socket(socket.AF_INET6)'
run_trace py.json python3 -c "$inet" || fail "tracing python3 failed: $(cat trace.err)"
gen -q -o py.allow.json py.json || fail "scmp-gen python3 failed"
gen -o /dev/null --explain py.json 2>explain.txt || fail "scmp-gen --explain failed"
grep -q 'AF_INET' explain.txt || fail "--explain does not decode AF_INET: $(grep socket explain.txt)"
grep -q 'BPF instructions' explain.txt || fail "no BPF instruction count on stderr"
"$B/scmp-apply" py.allow.json -- python3 -c "$inet" 2>err ||
	fail "python3 AF_INET under its own profile failed: $(cat err)"
sh -c '"$@"' sh "$B/scmp-apply" py.allow.json -- python3 -c "$inet6" >/dev/null 2>&1
rc=$?
[ $rc -eq 159 ] || fail "python3 AF_INET6 under the AF_INET profile: exit $rc, want 159 (SIGSYS)"
echo "ok: socket(AF_INET) allowed, socket(AF_INET6) killed by SIGSYS"

# --args none widens socket to every domain.
gen -q --args none -o py.none.json py.json || fail "--args none failed"
"$B/scmp-apply" py.none.json -- python3 -c "$inet6" 2>err ||
	fail "python3 AF_INET6 under --args none failed: $(cat err)"
echo "ok: --args none allows any socket domain"
