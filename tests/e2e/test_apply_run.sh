#!/bin/sh
# scmp-apply runs programs under real profiles: docker's and podman's
# defaults give the same output as no filter; a profile that leaves out
# uname stops it (SIGSYS with a kill default, the errno with an errno
# default); the program's own exit status comes through.
. "$SRC/tests/e2e/lib.sh"
F=tests/data/profiles/fixtures
A="$B/scmp-apply"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The kernel is asked whether filters load here (not scmp-apply): when
# they do, scmp-apply failing to run true is a failure.
need_seccomp
"$A" -q "$F/docker-default.json" -- true 2>"$tmp/probe" ||
	fail "docker-default.json does not run true: $(cat "$tmp/probe")"

want=$(sh -c 'echo hi; echo "$((6 * 7))"')
for p in docker-default podman-default containers-example moby-default-old-format; do
	if [ "$p" = podman-default ] && [ "$(id -u)" != 0 ]; then
		# Without capabilities podman's profile lists setns as allowed and
		# denied (rules 1 and 16); scmp-apply refuses such a conflict.
		echo "note: podman-default needs root here (setns conflict without CAP_SYS_ADMIN)"
		continue
	fi
	got=$("$A" -q "$F/$p.json" -- sh -c 'echo hi; echo "$((6 * 7))"') ||
		fail "$p.json: sh -c exited with $?"
	[ "$got" = "$want" ] || fail "$p.json: output '$got', want '$want'"
done

# The program's own exit status.
"$A" -q "$F/docker-default.json" -- sh -c 'exit 7'
[ $? -eq 7 ] || fail "exit status of the program not passed through"

# Docker's profile without uname: the errno default (EPERM) reaches uname(1).
sed -e '/^\t\t\t\t"uname",$/d' "$F/docker-default.json" >"$tmp/nouname.json"
! grep -q '"uname"' "$tmp/nouname.json" || fail "could not remove uname from the profile"
"$A" -q "$F/docker-default.json" -- uname -s >/dev/null || fail "uname fails under the full profile"
"$A" -q "$tmp/nouname.json" -- uname -s >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 1 ] || fail "uname without uname: status $st, want 1"
grep -q "Operation not permitted" "$tmp/err" || fail "uname: no EPERM: $(cat "$tmp/err")"
"$A" -q --default-action errno:EACCES "$tmp/nouname.json" -- uname -s 2>"$tmp/err"
grep -q "Permission denied" "$tmp/err" || fail "--default-action errno:EACCES: $(cat "$tmp/err")"

# With a kill-process default the call is fatal: SIGSYS, 159 in a shell.
sed -e 's/"defaultAction": "SCMP_ACT_ERRNO"/"defaultAction": "SCMP_ACT_KILL_PROCESS"/' \
	-e '/"defaultErrnoRet": 1,/d' "$tmp/nouname.json" >"$tmp/kill.json"
"$A" -q "$tmp/kill.json" -- uname -s 2>/dev/null
st=$?
[ $st -eq 159 ] || fail "uname under kill-process: status $st, want 159"
# ...while a shell that does not call it is unaffected, and sees its child die.
out=$("$A" -q "$tmp/kill.json" -- sh -c 'echo before; uname -s; echo "st=$?"' 2>/dev/null)
[ "$out" = "$(printf 'before\nst=159')" ] || fail "sh under kill-process: '$out'"
# --default-action overrides the profile's own.
"$A" -q --default-action kill "$tmp/nouname.json" -- uname -s 2>/dev/null
[ $? -eq 159 ] || fail "--default-action kill did not kill"
echo "ok: programs run under docker/podman profiles; a missing call is stopped"
