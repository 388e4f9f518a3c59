# Shared by test_docker.sh and test_podman.sh (sourced after lib.sh): a
# program traced outside a container, on the files of the image it runs
# in, generated with scmp-gen --runtime, and run in that image under the
# profile (default action kill-process) with and without
# no-new-privileges, on an input the trace never saw: the same output and
# exit status as unconfined.  ENGINE is the client command (docker -H ...,
# podman --root ...), ENGINE_RUN the options its run needs, RT the
# --runtime word, tmp the test's directory.
# shellcheck shell=sh disable=SC2034,SC2154,SC2015 # CT_SH and CT_PY are for the tests; tmp is theirs; A && B || fail

# The environment a container's process gets from docker and podman
# (process.env), and its working directory: the trace runs with the same,
# or the program makes other calls there.  busybox sh calls getcwd when
# its environment has no PWD, as in a container and not in a shell.
CT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The busybox script: a pipeline, reading its input, exit status from it.
# shellcheck disable=SC2016 # expanded by the container's shell
CT_SH='read -r n; i=0; while [ $i -lt $n ]; do echo "line $i"; i=$((i + 1)); done | sort -r | head -3 | tr a-z A-Z; ls / | wc -l; exit $((n % 7))'
# python3: threads, a subprocess, output and exit status from its input.
CT_PY='
import subprocess, sys, threading
n = int(sys.stdin.readline())
res = [0] * n
def work(i):
    res[i] = sum(range(i * 1000))
ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
for t in ts:
    t.start()
for t in ts:
    t.join()
r = subprocess.run([sys.executable, "-I", "-S", "-c", "import sys; print(int(sys.argv[1]) * 2)", str(sum(res))],
                   capture_output=True, text=True, check=True)
print(n, r.stdout.strip())
sys.exit(n % 5)
'

# ct_rootfs_bb DIR: busybox-static with its applets as links.
ct_rootfs_bb() {
	mkdir -p "$1/bin" "$1/dev" "$1/proc" "$1/sys" "$1/tmp" "$1/etc" || return 1
	cp "$(command -v busybox)" "$1/bin/busybox" || return 1
	chroot "$1" /bin/busybox --install -s /bin
}

# ct_rootfs_py DIR: the host's python3, what ldd lists, its standard library.
ct_rootfs_py() {
	_py=$(readlink -f /usr/bin/python3)
	_ver=$(basename "$_py")
	mkdir -p "$1/usr/bin" "$1/dev" "$1/proc" "$1/sys" "$1/tmp" "$1/etc" || return 1
	cp "$_py" "$1/usr/bin/python3" || return 1
	for _l in $(ldd "$_py" | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
		cp -L --parents "$_l" "$1" || return 1
	done
	tar -C / --exclude test --exclude __pycache__ --exclude dist-packages \
		--exclude site-packages -c "usr/lib/$_ver" | tar -C "$1" -x
}

# ct_import NAME DIR
ct_import() {
	tar -C "$2" -c . | $ENGINE import - "$1" >/dev/null
}

# ct_trace OUT CMD...: CMD traced as the container runs it (environment,
# working directory), standard input passed on.
ct_trace() {
	_out=$1
	shift
	(cd / && env -i PATH=$CT_PATH HOME=/ HOSTNAME=scmpkit \
		"$B/scmp-trace" -q -o "$_out" -- "$@") >/dev/null
}

# ct_run INPUT OUT SECURITY-OPTS IMAGE CMD...: runs CMD in IMAGE with
# INPUT on standard input; OUT gets its output, the exit status is
# returned.
ct_run() {
	_in=$1 _o=$2 _sec=$3
	shift 3
	# shellcheck disable=SC2086 # option lists are words
	timeout 120 $ENGINE run --rm -i --network none $ENGINE_RUN $_sec "$@" \
		<"$_in" >"$_o" 2>"$_o.err"
}

# ct_same LABEL PROFILE NNP INPUT IMAGE CMD...: CMD under PROFILE, with
# no-new-privileges when NNP is nnp, prints and exits as unconfined.
ct_same() {
	_label=$1 _prof=$2 _nnp='' _in=$4
	[ "$3" = nnp ] && _nnp="--security-opt no-new-privileges"
	shift 4
	ct_run "$_in" "$tmp/ref" "$_nnp --security-opt seccomp=unconfined" "$@"
	_ref=$?
	ct_run "$_in" "$tmp/got" "$_nnp --security-opt seccomp=$_prof" "$@"
	_got=$?
	[ -s "$tmp/ref" ] && [ $_ref -lt 125 ] ||
		fail "$_label ($3): did not run unconfined (exit $_ref): $(cat "$tmp/ref.err")"
	[ $_got = $_ref ] && cmp -s "$tmp/ref" "$tmp/got" && return 0
	echo "$_label ($3): unconfined exit $_ref, output:"
	cat "$tmp/ref"
	echo "under $_prof exit $_got, output:"
	cat "$tmp/got" "$tmp/got.err"
	return 1
}

# ct_check NAME DIR TRACE-INPUT RUN-INPUT CMD...: builds the image NAME
# from DIR, traces CMD (a path inside DIR) outside the container, and
# checks the profile with --runtime RT and with RT:nnp.
ct_check() {
	_name=$1 _dir=$2 _tin=$3 _rin=$4
	shift 4
	ct_import "$_name" "$_dir" || fail "cannot import $_dir as $_name"
	_cmd=$1
	shift
	ct_trace "$tmp/$_name.json" "$_dir$_cmd" "$@" <"$_tin"
	_rc=$?
	# The program's exit status is scmp-trace's; 125 and up its own.
	[ $_rc -lt 125 ] && [ -s "$tmp/$_name.json" ] || fail "scmp-trace $_cmd failed ($_rc)"
	run_tool "$B/scmp-gen" -q --runtime "$RT" -o "$tmp/$_name-rt.json" \
		"$tmp/$_name.json" || fail "scmp-gen --runtime $RT failed"
	run_tool "$B/scmp-gen" -q --runtime "$RT:nnp" -o "$tmp/$_name-nnp.json" \
		"$tmp/$_name.json" || fail "scmp-gen --runtime $RT:nnp failed"
	for _m in privs nnp; do
		ct_same "$_name" "$tmp/$_name-rt.json" $_m "$_rin" "$_name" "$_cmd" "$@" ||
			fail "$_name: the profile made with --runtime $RT does not run as unconfined"
	done
	ct_same "$_name" "$tmp/$_name-nnp.json" nnp "$_rin" "$_name" "$_cmd" "$@" ||
		fail "$_name: the profile made with --runtime $RT:nnp does not run as unconfined with no-new-privileges"
	ct_run "$_rin" "$tmp/got" "--security-opt seccomp=$tmp/$_name-nnp.json" "$_name" "$_cmd" "$@" &&
		fail "$_name: the --runtime $RT:nnp profile started without no-new-privileges: runc needs nothing more there?"
	note "$_name: --runtime $RT: same output and exit status as unconfined, with and without no-new-privileges; $RT:nnp with it (and the container killed without it)"
}
