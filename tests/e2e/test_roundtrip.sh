#!/bin/sh
# Round trip on real programs: trace, generate, apply; under its own profile
# each program prints the same thing and exits the same way.  Then a call
# the trace never saw is killed by SIGSYS (status 159).
. "$SRC/tests/e2e/lib.sh"
need_cmd python3 make cc tar
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/mk"
cp "$SRC/samples/readfile.c" "$tmp/mk/"
printf 'readfile: readfile.c\n\t$(CC) -O0 -o $@ readfile.c\n' >"$tmp/mk/Makefile"

roundtrip() { # NAME CMD...
	name=$1
	shift
	run_tool "$B/scmp-trace" -q -o "$tmp/$name.json" -- "$@" >"$tmp/traced.out" 2>"$tmp/err"
	rc_traced=$?
	run_tool "$B/scmp-gen" -q -o "$tmp/$name.allow.json" "$tmp/$name.json" 2>"$tmp/err" ||
		fail "$name: scmp-gen failed: $(cat "$tmp/err")"
	"$B/scmp-apply" "$tmp/$name.allow.json" -- "$@" >"$tmp/applied.out" 2>"$tmp/err"
	rc_applied=$?
	[ $rc_applied -eq $rc_traced ] ||
		fail "$name: exit status $rc_traced traced, $rc_applied under the profile: $(cat "$tmp/err")"
	cmp -s "$tmp/traced.out" "$tmp/applied.out" ||
		fail "$name: stdout differs under the profile: $(diff "$tmp/traced.out" "$tmp/applied.out" | head -5)"
	n=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(len({n for r in p["syscalls"] if r["action"]=="SCMP_ACT_ALLOW" for n in r["names"]}))' "$tmp/$name.allow.json")
	echo "ok: $name: same output and status ($rc_applied) under a profile allowing $n syscalls"
}

roundtrip ls ls -la /usr
roundtrip tar sh -c 'tar cf - /usr/include 2>/dev/null | wc -c'
roundtrip pipeline sh -c 'ls /usr/bin | sort -r | head -5; echo done'
roundtrip python3 python3 -c 'import json, sqlite3; print(json.dumps({"v": sqlite3.sqlite_version_info[0]}))'
roundtrip make sh -c "make -s -B -C '$tmp/mk' && '$tmp/mk/readfile' /etc/hostname >/dev/null && echo built"
roundtrip threads "$B/samples/threads" 8 20
roundtrip signals "$B/samples/signals"
roundtrip socket "$B/samples/socket"
roundtrip forkexec "$B/samples/forkexec"
roundtrip exit3 sh -c 'echo out; exit 3'

# A call the trace never saw: killed by SIGSYS, the shell sees 159.
run_tool "$B/scmp-trace" -q -o "$tmp/rf.json" -- "$B/samples/readfile" /etc/hostname >/dev/null ||
	fail "tracing readfile failed"
run_tool "$B/scmp-gen" -q -o "$tmp/rf.allow.json" "$tmp/rf.json" || fail "scmp-gen failed"
sh -c '"$@"' sh "$B/scmp-apply" "$tmp/rf.allow.json" -- "$B/samples/readfile" /etc/hostname --uname \
	>"$tmp/out" 2>&1
rc=$?
[ $rc -eq 159 ] || fail "readfile --uname under its profile: exit status $rc, want 159 (SIGSYS): $(cat "$tmp/out")"
grep -q "bytes" "$tmp/out" || fail "readfile did not run up to the forbidden call"
! grep -q "kernel:" "$tmp/out" || fail "uname ran under a profile without it"
echo "ok: the untraced uname(2) is killed by SIGSYS (159)"
