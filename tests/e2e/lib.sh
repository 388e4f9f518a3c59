# Shared helpers for the e2e tests (sourced; B and SRC come from run-e2e.sh).
set -u
: "${B:?B (build directory) must be set}" "${SRC:?SRC must be set}"
SETS="python3 $SRC/tests/e2e/sets.py"

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
note() { echo "note: $*"; }

# Runs one of our tools, under valgrind when VALGRIND=1 (make check-valgrind):
# any error or definite leak fails the test.  valgrind does not emulate
# seccomp(2), so only what never loads a filter runs under it: scmp-gen and
# scmp-apply --check/--export; scmp-trace and running modes run natively.
run_tool() {
	_vg=0
	if [ "${VALGRIND:-0}" = 1 ]; then
		case "$1" in
		*/scmp-gen) _vg=1 ;;
		*/scmp-apply) case " $* " in *" --check "* | *" -c "* | *" --export "* | *" -e "*) _vg=1 ;; esac ;;
		esac
	fi
	if [ $_vg = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$@"
	else
		"$@"
	fi
}

# Skips unless the given scmp-trace backend (notify, ptrace) works here.
need_backend() {
	_p=$(mktemp -d)
	if ! "$B/scmp-trace" -q --backend "$1" -o "$_p/t.json" -- true 2>"$_p/err"; then
		_why=$(cat "$_p/err")
		rm -rf "$_p"
		skip "the $1 backend does not work here: $_why"
	fi
	rm -rf "$_p"
}
need_notify() { need_backend notify; }
need_ptrace() { need_backend ptrace; }

# Runs CMD ARGS every 50 ms until it succeeds, for at most 5 s; fails after.
wait_for() {
	_w=0
	until "$@"; do
		[ $_w -ge 100 ] && return 1
		sleep 0.05
		_w=$((_w + 1))
	done
}
running() { pgrep -f "$1" >/dev/null; }
gone() { ! pgrep -f "$1" >/dev/null; }

need_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip "$_c is not installed"
	done
}

# Skips unless seccomp filters can be loaded here.
need_seccomp() {
	grep -q '^Seccomp:' /proc/self/status || skip "this kernel has no seccomp"
}

# Prints a trace's (arch, syscall) set, one "ARCH name" per line, sorted.
syscall_set() { $SETS trace "$1"; }
