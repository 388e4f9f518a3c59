#!/bin/sh
# The other formats of a profile made from two hosts' traces, where a call
# seen on one host only is allowed there only (includes.arches): the C
# file builds, on this host, the filter scmp-apply builds (the same PFC),
# from its table for this native arch; systemd and minijail, which cannot
# depend on the host, refuse with the rule named and write nothing.
. "$SRC/tests/e2e/lib.sh"
need_cmd cc pkg-config
need_seccomp
[ "$(uname -m)" = x86_64 ] || skip "the traces are from amd64 and arm64 hosts and this test needs the amd64 one (this is $(uname -m))"
pkg-config --exists libseccomp || skip "libseccomp's pkg-config file is missing"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
amd=$SRC/tests/data/gen/traces/ls.json
# A trace from an arm64 host: read and openat as on amd64, plus renameat2.
cat >arm.json <<'J'
{"format": "scmpkit-trace", "version": 1, "machine": "SCMP_ARCH_AARCH64", "complete": true,
 "syscalls": [
  {"arch": "SCMP_ARCH_AARCH64", "name": "read", "nr": 63, "count": 5},
  {"arch": "SCMP_ARCH_AARCH64", "name": "openat", "nr": 56, "count": 3},
  {"arch": "SCMP_ARCH_AARCH64", "name": "renameat2", "nr": 276, "count": 1}]}
J
run_tool "$B/scmp-gen" -q -o both.json "$amd" arm.json || fail "scmp-gen on two hosts' traces failed"
grep -q '"includes"' both.json || fail "no per-host rule in the two-host profile"

run_tool "$B/scmp-gen" -q -f c -o both.c "$amd" arm.json || fail "scmp-gen -f c failed"
grep -q 'For native SCMP_ARCH_AARCH64' both.c || fail "the C file has no table for the arm64 host"
cc -std=gnu11 -Wall -Wextra -Werror -DSCMPKIT_MAIN -o bothc both.c $(pkg-config --cflags --libs libseccomp) 2>err ||
	fail "the C file does not build: $(head -5 err)"
./bothc >c.pfc || fail "the C file's main failed"
"$B/scmp-apply" -q --export pfc -o oci.pfc both.json || fail "scmp-apply --export pfc failed"
cmp -s c.pfc oci.pfc || fail "the C file builds another filter than scmp-apply: $(diff c.pfc oci.pfc | head -5)"
grep -q renameat2 c.pfc && fail "the arm64-only renameat2 is in the C file's filter on amd64"
echo "ok: the C file honours per-host rules and builds scmp-apply's filter"

for f in systemd minijail; do
	"$B/scmp-gen" -q -f $f -o out.$f "$amd" arm.json 2>err
	[ $? -eq 1 ] || fail "-f $f of a two-host profile: want exit 1"
	grep -q "^scmp-gen: -f $f: .*syscalls\[[0-9]*\] (\".*) applies on some hosts only (includes.arches: amd64)" err ||
		fail "-f $f: the message does not name the rule: $(cat err)"
	[ -e out.$f ] && fail "-f $f wrote a file although it refused"
done
echo "ok: systemd and minijail refuse per-host rules, naming them"
