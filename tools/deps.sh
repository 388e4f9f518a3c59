#!/bin/sh
# Checks the build's pkg-config packages; installs the Debian -dev packages
# when something is missing and we are root, else prints the command.
set -u
missing=0
command -v pkg-config >/dev/null 2>&1 || missing=1
if [ $missing = 0 ]; then
	for p in "$@"; do
		pkg-config --exists "$p" || { missing=1; break; }
	done
fi
[ $missing = 0 ] && exit 0
cmd="apt-get update && apt-get install -y libseccomp-dev libelf-dev libjson-c-dev libcmocka-dev pkg-config"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "scmpkit: installing build dependencies: $cmd"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update && apt-get install -y libseccomp-dev libelf-dev \
		libjson-c-dev libcmocka-dev pkg-config && exit 0
	echo "scmpkit: installing dependencies failed" >&2
	exit 1
fi
echo "scmpkit: missing build dependencies; as root run:" >&2
echo "  $cmd" >&2
exit 1
