#!/bin/sh
# Every systemd drop-in scmp-gen writes is one systemd reads without a
# complaint: the gallery's traces (tests/data/gen/traces) and their union,
# with each default action scmp-gen takes (-d log gives SystemCallLog=~ and
# SystemCallFilter=~NAME:ERRNO), each put in a unit's drop-in directory
# and checked with systemd-analyze verify, which prints what it ignores (an
# unknown key, a call it cannot parse, a bad errno) but exits 0: any
# output fails.  A drop-in with a bad line shows that the check can fail.
# CI installs systemd (.ci/run); elsewhere the test skips without
# systemd-analyze.
. "$SRC/tests/e2e/lib.sh"
if ! command -v systemd-analyze >/dev/null 2>&1; then
	[ "${CI:-}" = 1 ] && fail "systemd-analyze is missing, and CI must run this test (.ci/run installs systemd)"
	skip "systemd-analyze is not installed (Debian package systemd)"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=$SRC/tests/data/gen/traces

# unit NAME: a service with a drop-in directory; the drop-in is NAME.conf.
unit() {
	printf '[Unit]\nDescription=scmpkit test\n[Service]\nExecStart=/bin/true\n' >"$tmp/$1.service"
	mkdir -p "$tmp/$1.service.d"
}

n=0
for t in "$D"/*.json all; do
	[ "$t" = all ] && set -- "$D"/*.json || set -- "$t"
	for d in kill errno errno:38 log trap kill-thread; do
		n=$((n + 1))
		unit "u$n"
		run_tool "$B/scmp-gen" -q -f systemd -d "$d" -o "$tmp/u$n.service.d/scmpkit.conf" "$@" ||
			fail "scmp-gen -f systemd -d $d $* failed"
	done
done
grep -l '^SystemCallLog=~' "$tmp"/u*.service.d/scmpkit.conf >/dev/null || fail "no -d log drop-in has SystemCallLog=~"
grep -l '^SystemCallFilter=~.*:ENOSYS' "$tmp"/u*.service.d/scmpkit.conf >/dev/null ||
	fail "no -d log drop-in denies with an errno (SystemCallFilter=~NAME:ENOSYS)"
grep -h '^SystemCallArchitectures=$' "$tmp"/u*.service.d/scmpkit.conf && fail "an empty SystemCallArchitectures= line"
(cd "$tmp" && systemd-analyze verify --man=no u*.service) >"$tmp/out" 2>&1 ||
	fail "systemd-analyze verify failed: $(head -5 "$tmp/out")"
[ -s "$tmp/out" ] && fail "systemd-analyze verify complains about scmp-gen's drop-ins:
$(head -10 "$tmp/out")"
note "$n drop-ins verified"

# The check can fail: a line systemd ignores is reported.
unit bad
cp "$tmp/u1.service.d/scmpkit.conf" "$tmp/bad.service.d/scmpkit.conf"
echo 'SystemCallFilter=~scmpkit_no_such_call:ENOSYS' >>"$tmp/bad.service.d/scmpkit.conf"
(cd "$tmp" && systemd-analyze verify --man=no bad.service) >"$tmp/out" 2>&1
grep -q 'scmpkit_no_such_call' "$tmp/out" || fail "systemd-analyze verify does not report a bad drop-in line: $(cat "$tmp/out")"
echo "ok: scmp-gen's systemd drop-ins pass systemd-analyze verify"
