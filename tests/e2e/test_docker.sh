#!/bin/sh
# Delivery to Docker, for real (issue 22, README "Platforms"): a private
# dockerd, images imported from host files (busybox-static running a shell
# pipeline; python3 with threads and a subprocess), each program traced
# outside the container on the image's files, its profile generated with
# scmp-gen --runtime docker (kill-process by default), and run by
# `docker run --security-opt seccomp=...` with and without
# no-new-privileges on another input: the same output and exit status as
# unconfined (tests/e2e/containers.sh).  Skips only when dockerd cannot
# start here.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/containers.sh"
[ "$(id -u)" = 0 ] || skip "dockerd needs root"
DOCKERD=/usr/sbin/dockerd
DOCKER=/usr/bin/docker # Debian's client (docker.io), whatever else is in PATH
{ [ -x $DOCKERD ] && [ -x $DOCKER ]; } || skip "dockerd or the docker client is not installed (package docker.io)"
need_cmd busybox python3 ldd chroot timeout
need_seccomp
# Short: the daemon's sockets live under it (108 bytes at most).
tmp=$(mktemp -d /tmp/scd.XXXXXX)
D=$tmp/d
mkdir "$D"
cleanup() {
	if [ -s "$D/pid" ]; then
		pid=$(cat "$D/pid")
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -rf "$tmp" 2>/dev/null
}
trap cleanup EXIT
$DOCKERD --data-root "$D/root" --exec-root "$D/exec" -H "unix://$D/docker.sock" \
	--pidfile "$D/pid" --iptables=false --bridge=none >"$D/log" 2>&1 &
ENGINE="$DOCKER -H unix://$D/docker.sock"
ENGINE_RUN=
RT=docker
i=0
until $ENGINE info >/dev/null 2>&1; do
	[ $i -ge 300 ] && skip "dockerd did not start in 30 s: $(tail -3 "$D/log")"
	kill -0 $! 2>/dev/null || skip "dockerd cannot start here: $(tail -3 "$D/log")"
	sleep 0.1
	i=$((i + 1))
done
note "$($DOCKER --version), $($ENGINE info --format 'runtime {{.DefaultRuntime}}, cgroup v{{.CgroupVersion}} ({{.CgroupDriver}})' 2>/dev/null), $(runc --version 2>/dev/null | head -1)"

ct_rootfs_bb "$tmp/bb" || fail "cannot build the busybox rootfs"
ct_rootfs_py "$tmp/py" || fail "cannot build the python3 rootfs"
echo 4 >"$tmp/in-trace"
echo 9 >"$tmp/in-run"
ct_check scmpkit-bb-$$ "$tmp/bb" "$tmp/in-trace" "$tmp/in-run" /bin/busybox sh -c "$CT_SH"
ct_check scmpkit-py-$$ "$tmp/py" "$tmp/in-trace" "$tmp/in-run" /usr/bin/python3 -I -S -c "$CT_PY"
