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

# What the kernel can do, asked of the kernel by tests/e2e/probe.c and never
# of the tool under test: a part that the kernel supports and the tool fails
# is a failure.  have FEATURE... is true when all are there.
PROBE="$B/tests/probe"
have() { "$PROBE" "$@" >/dev/null 2>&1; }

# Skips, naming the condition: the runner accepts it under CI only when the
# (test, condition) pair is in tests/skips.allowed and the condition holds
# (tests/skipcheck.sh checks it itself).  A plain skip has no condition.
skip_on() { _c=$1; shift; echo "SKIP [$_c]: $*"; exit 77; }
# Skips a part of a test and goes on: the runner lists it with the skips.
skip_part() {
	_c=$1; shift
	echo "note: part skipped [$_c]: $*"
	[ -n "${SK_PARTS:-}" ] && echo "$(basename "$0" .sh) $_c $*" >>"$SK_PARTS"
	return 0
}
# Skips with the probe's reason unless every FEATURE is there.
need_kernel() {
	for _f in "$@"; do
		_why=$("$PROBE" "$_f" 2>&1) || skip_on "no-$_f" "$_why"
	done
}

# The scmp-trace backend NAME must work here when the kernel supports it:
# skips (naming the kernel's reason) only when the kernel lacks it, fails
# when the tool cannot run a trivial program with it.
need_backend() {
	case $1 in
	notify) need_kernel seccomp notify ;;
	ptrace) need_kernel ptrace ;;
	bpf)
		need_kernel root bpf
		[ -e "$B/lib/bpf/enabled" ] ||
			skip_on bpf-not-built "scmp-trace was built without the bpf backend (clang, libbpf-dev, bpftool)"
		;;
	*) fail "need_backend: unknown backend $1" ;;
	esac
	_p=$(mktemp -d)
	if ! "$B/scmp-trace" -q --backend "$1" -o "$_p/t.json" -- true 2>"$_p/err"; then
		_why=$(cat "$_p/err")
		rm -rf "$_p"
		fail "the kernel supports the $1 backend and scmp-trace --backend $1 -- true fails: $_why"
	fi
	rm -rf "$_p"
}
need_notify() { need_backend notify; }
need_ptrace() { need_backend ptrace; }

# The backends every tracer test must run here (tests/backends.required:
# notify and ptrace always, bpf as root).  Prints them; a test loops over
# them with need_backend and never drops one silently.
required_backends() {
	awk -v root="$(id -u)" '/^#/ || NF < 2 { next }
		$2 == "always" || ($2 == "root" && root == 0) { printf "%s ", $1 }' \
		"$SRC/tests/backends.required"
}

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
# Process PID (a child of the test) has exited: gone, or a zombie.
ended() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' /proc/"$1"/status 2>/dev/null; }
gone() { ! pgrep -f "$1" >/dev/null; }

# An update mode (GOLDEN_UPDATE, GALLERY_UPDATE) rewrites the expected files
# and passes whatever the output: never under CI.  Usage: refuse_update VAR
refuse_update() {
	[ -z "${CI:-}" ] || fail "$1=1 rewrites the expected files and would pass anything: refused under CI"
}

need_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip "$_c is not installed"
	done
}

# Skips unless seccomp filters can be loaded here (asked of the kernel).
need_seccomp() { need_kernel seccomp; }

# Prints a trace's (arch, syscall) set, one "ARCH name" per line, sorted.
syscall_set() { $SETS trace "$1"; }
