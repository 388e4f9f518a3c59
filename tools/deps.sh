#!/bin/sh
# The packages scmpkit builds and tests with, on Debian.
#   deps.sh check PKG...   exit 0 when pkg-config knows every PKG; else say
#                          the one command that installs them, exit 1
#   deps.sh install        install them (as root), what `make deps` runs
# A plain `make` only checks: building never changes the system.
set -u
# libbpf-dev, clang and bpftool build the bpf backend; without them the rest builds
# and `scmp-trace --backend bpf` says what was missing.  python3-jsonschema
# validates `scmp-gen -f spo` against the operator's schema (test_spo); runc
# runs generated profiles in a container (test_runc), docker.io and podman
# start containers under them from images built of busybox-static and
# python3 (test_docker, test_podman) and record them
# (test_containers), nginx-light with them (test_ctr_apps_docker,
# test_ctr_apps_podman); systemd brings systemd-analyze, which
# checks scmp-gen's drop-ins (test_gen_systemd).
PACKAGES="make gcc pkg-config libseccomp-dev libelf-dev libjson-c-dev libcmocka-dev strace python3 python3-jsonschema runc docker.io podman busybox-static nginx-light libbpf-dev clang bpftool systemd"
cmd="apt-get update && apt-get install -y $PACKAGES"

case ${1:-} in
check)
	shift
	command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$@" && exit 0
	echo "scmpkit: missing build dependencies ($*); install them with" >&2
	echo "  make deps      (as root; it runs: $cmd)" >&2
	exit 1
	;;
install)
	if [ "$(id -u)" != 0 ]; then
		echo "scmpkit: make deps installs packages: run it as root, or run: $cmd" >&2
		exit 1
	fi
	echo "scmpkit: $cmd"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get update && apt-get install -y $PACKAGES
	;;
*)
	echo "usage: deps.sh check PKG... | deps.sh install" >&2
	exit 2
	;;
esac
