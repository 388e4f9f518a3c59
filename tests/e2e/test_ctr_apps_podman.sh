#!/bin/sh
# Issue 22's "What it must show" with podman (its own store and run
# directories in the test's directory, cgroupfs): as test_ctr_apps_docker,
# busybox, nginx reloaded with podman kill -s HUP and python3, each
# recorded as the container runs with scmp-trace --containers, its profile
# generated from that trace and run on another input with and without
# no-new-privileges: the same output and exit status as unconfined
# (tests/e2e/ctr_apps.sh).  This machine kind cannot raise rlimits, so
# every run sets them (--ulimit).  Skips only where podman cannot run a
# container, and as need_backend says (root, the kernel's bpf).
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/containers.sh"
. "$SRC/tests/e2e/ctr_apps.sh"
need_backend bpf
need_cmd podman busybox python3 ldd chroot timeout
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ||
	fail "nginx is not installed (package nginx-light; .ci/run installs it)"
tmp=$(mktemp -d /tmp/scp.XXXXXX)
D=$tmp/p
mkdir -p "$D/tmp"
ENGINE="podman --root $D/root --runroot $D/run --tmpdir $D/tmp --cgroup-manager cgroupfs --events-backend file"
ENGINE_RUN="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
cleanup() {
	$ENGINE rm -a -f >/dev/null 2>&1
	$ENGINE system reset -f >/dev/null 2>&1
	rm -rf "$tmp" 2>/dev/null
}
trap cleanup EXIT

ct_rootfs_bb "$tmp/probe" || fail "cannot build the busybox rootfs"
ct_import "ca$$-probe" "$tmp/probe" 2>"$tmp/err" || skip "podman cannot import an image here: $(tail -3 "$tmp/err")"
timeout 120 $ENGINE run --rm --network none $ENGINE_RUN "ca$$-probe" true 2>"$tmp/err" ||
	skip "podman cannot run a container here: $(tail -3 "$tmp/err")"
note "$(podman --version), $($ENGINE info --format 'runtime {{.Host.OCIRuntime.Name}}, cgroup {{.Host.CgroupsVersion}} ({{.Host.CgroupManager}})' 2>/dev/null | head -1), $(nginx -v 2>&1)"
ca_all "ca$$"
