#!/bin/sh
# Delivery to podman, for real (issue 22, README "Platforms"): as
# test_docker.sh, with podman and its own storage in the test's directory;
# scmp-gen --runtime podman (the calls of runc and crun, either of which
# podman runs).  This machine kind cannot raise rlimits, so every run
# sets them (--ulimit).  Skips only when podman cannot run a container
# here.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/containers.sh"
[ "$(id -u)" = 0 ] || skip "podman runs rootful here"
need_cmd podman busybox python3 ldd chroot timeout
need_seccomp
tmp=$(mktemp -d /tmp/scp.XXXXXX)
D=$tmp/p
mkdir -p "$D/tmp"
ENGINE="podman --root $D/root --runroot $D/run --tmpdir $D/tmp --storage-driver vfs --events-backend file"
ENGINE_RUN="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
RT=podman
cleanup() {
	$ENGINE rm -a -f >/dev/null 2>&1
	$ENGINE rmi -a -f >/dev/null 2>&1
	rm -rf "$tmp" 2>/dev/null
}
trap cleanup EXIT

ct_rootfs_bb "$tmp/bb" || fail "cannot build the busybox rootfs"
ct_import scmpkit-probe-$$ "$tmp/bb" 2>"$tmp/err" || skip "podman cannot import an image here: $(tail -3 "$tmp/err")"
# shellcheck disable=SC2086
timeout 120 $ENGINE run --rm --network none $ENGINE_RUN scmpkit-probe-$$ true 2>"$tmp/err" ||
	skip "podman cannot run a container here: $(tail -3 "$tmp/err")"
note "$(podman --version), $($ENGINE info --format 'runtime {{.Host.OCIRuntime.Name}}, cgroup {{.Host.CgroupsVersion}} ({{.Host.CgroupManager}})' 2>/dev/null | head -1)"

ct_rootfs_py "$tmp/py" || fail "cannot build the python3 rootfs"
echo 4 >"$tmp/in-trace"
echo 9 >"$tmp/in-run"
ct_check scmpkit-bb-$$ "$tmp/bb" "$tmp/in-trace" "$tmp/in-run" /bin/busybox sh -c "$CT_SH"
ct_check scmpkit-py-$$ "$tmp/py" "$tmp/in-trace" "$tmp/in-run" /usr/bin/python3 -I -S -c "$CT_PY"
