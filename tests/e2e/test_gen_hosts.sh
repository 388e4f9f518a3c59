#!/bin/sh
# Traces from several hosts: each trace says its host ("machine"), and a
# call seen in some hosts' traces only is allowed on those hosts only
# (includes.arches, compared with the native arch as Docker does); calls
# seen everywhere and the always-needed ones have no includes.  Traces that
# do not say their host give rules for every host.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
native=$(python3 -c 'import platform; print(platform.machine())')
[ "$native" = x86_64 ] || skip "the test's second host is aarch64 and expects an x86_64 one (this is $native)"
"$B/scmp-trace" -q -o amd.json -- ls / >/dev/null 2>err || fail "scmp-trace cannot trace ls: $(cat err)"
python3 - amd.json <<'PY' || fail "the trace does not say its host"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["machine"] == "SCMP_ARCH_X86_64", t.get("machine")
PY
# A trace from an arm64 host: read and openat as on amd64, plus renameat2.
cat >arm.json <<'J'
{"format": "scmpkit-trace", "version": 1, "machine": "SCMP_ARCH_AARCH64", "complete": true,
 "syscalls": [
  {"arch": "SCMP_ARCH_AARCH64", "name": "read", "nr": 63, "count": 5},
  {"arch": "SCMP_ARCH_AARCH64", "name": "openat", "nr": 56, "count": 3},
  {"arch": "SCMP_ARCH_AARCH64", "name": "renameat2", "nr": 276, "count": 1}]}
J
run_tool "$B/scmp-gen" -q --explain -o both.json amd.json arm.json 2>explain.txt ||
	fail "scmp-gen on two hosts' traces failed"
python3 - both.json <<'PY' || fail "per-host rules are wrong"
import json, sys
p = json.load(open(sys.argv[1]))
where = {}
for r in p["syscalls"]:
    for n in r["names"]:
        where.setdefault(n, []).append(r.get("includes", {}).get("arches"))
def only(n, want):
    assert n in where, n + " has no rule"
    assert all(a == want for a in where[n]), (n, where[n], want)
only("renameat2", ["arm64"])
only("getdents64", ["amd64"])
only("read", None)
only("openat", None)
only("exit_group", None)      # always needed
only("rt_sigreturn", None)
assert set(p["architectures"]) >= {"SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"}, p["architectures"]
PY
grep -q '^hosts: arm64 amd64 ' explain.txt || fail "--explain does not list the hosts: $(head -5 explain.txt)"
grep -q 'hosts: seen only in traces from arm64 (of 2 hosts): includes.arches' explain.txt ||
	fail "--explain does not say why renameat2 is for arm64 only"
# On this (amd64) host the amd64 rules apply: ls runs; the arm64-only
# renameat2 is not in the filter here.
"$B/scmp-apply" both.json -- ls / >/dev/null 2>err || fail "ls under the two-host profile: $(cat err)"
"$B/scmp-apply" --export pfc -o both.pfc both.json || fail "--export pfc failed"
grep -q getdents64 both.pfc || fail "the amd64-only getdents64 is missing from the filter on amd64"
grep -q renameat2 both.pfc && fail "the arm64-only renameat2 is in the filter on amd64"
echo "ok: a call seen on one host only is allowed there only"

# One host only, or a trace that does not say its host: no includes.
run_tool "$B/scmp-gen" -q -o one.json amd.json || fail "scmp-gen on one trace failed"
grep -q '"includes"' one.json && fail "includes in a one-host profile"
python3 -c 'import json; t = json.load(open("arm.json")); del t["machine"]; json.dump(t, open("nohost.json", "w"))'
run_tool "$B/scmp-gen" -q --explain -o nohost.out.json amd.json nohost.json 2>explain2.txt ||
	fail "scmp-gen with a trace without its host failed"
grep -q '"includes"' nohost.out.json && fail "includes although a trace does not say its host"
echo "ok: without several known hosts every rule is for every host"

# A trace with a bad machine is refused with the place named.
sed 's/SCMP_ARCH_AARCH64", "complete"/SCMP_ARCH_VAX", "complete"/' arm.json >badhost.json
"$B/scmp-gen" -o bad.out.json badhost.json 2>err
[ $? -eq 1 ] || fail "a bad machine: want exit 1"
grep -qF 'badhost.json: machine: unknown architecture "SCMP_ARCH_VAX"' err || fail "bad machine message: $(cat err)"
echo "ok: a bad machine is refused"
