#!/bin/sh
# Issue 22's "What it must show", with a real dockerd the test starts (its
# own data root, exec root and socket; no iptables, no bridge): busybox
# with a pipeline, nginx serving files on 127.0.0.1 (--network host) and
# reloaded with SIGHUP (docker kill -s HUP), python3 with threads and a
# subprocess, each recorded as the container runs with scmp-trace
# --containers, its profile generated from that trace, and the container
# run under it on another input, with and without no-new-privileges: the
# same output and exit status as unconfined (tests/e2e/ctr_apps.sh).
# Skips only where dockerd cannot start, and as need_backend says (root,
# the kernel's bpf).
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/containers.sh"
. "$SRC/tests/e2e/ctr_apps.sh"
need_backend bpf
DOCKERD=/usr/sbin/dockerd
DOCKER=/usr/bin/docker # Debian's client (docker.io), whatever else is in PATH
{ [ -x $DOCKERD ] && [ -x $DOCKER ]; } || skip "dockerd or the docker client is not installed (package docker.io)"
need_cmd busybox python3 ldd chroot timeout
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ||
	fail "nginx is not installed (package nginx-light; .ci/run installs it)"
# Short: the daemon's sockets live under it (108 bytes at most).
tmp=$(mktemp -d /tmp/sca.XXXXXX)
D=$tmp/d
mkdir "$D"
ENGINE="$DOCKER -H unix://$D/docker.sock"
ENGINE_RUN=
cleanup() {
	$ENGINE rm -f "sk-ngx-ref-$$" "sk-ngx-got-$$" "ca$$-ngx-rec" >/dev/null 2>&1
	if [ -s "$D/pid" ]; then
		pid=$(cat "$D/pid")
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	# dockerd leaves its network namespace's mount behind.
	umount "$D/exec/netns/default" 2>/dev/null
	rm -rf "$tmp" 2>/dev/null
}
trap cleanup EXIT
nice $DOCKERD --data-root "$D/root" --exec-root "$D/exec" -H "unix://$D/docker.sock" \
	--pidfile "$D/pid" --iptables=false --bridge=none >"$D/log" 2>&1 &
i=0
until $ENGINE info >/dev/null 2>&1; do
	[ $i -ge 300 ] && skip "dockerd did not start in 30 s: $(tail -3 "$D/log")"
	kill -0 $! 2>/dev/null || skip "dockerd cannot start here: $(tail -3 "$D/log")"
	sleep 0.1
	i=$((i + 1))
done
note "$($DOCKER --version), $(runc --version 2>/dev/null | head -1), $(nginx -v 2>&1)"
ca_all "ca$$"
