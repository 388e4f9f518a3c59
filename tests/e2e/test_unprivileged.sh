#!/bin/sh
# scmp-trace without root: both backends trace a real program as nobody, and
# a setuid program gets a warning that it ran without its privileges (the
# notify filter needs no_new_privs; exec under ptrace drops them), while
# root tracing it gets none.
. "$SRC/tests/e2e/lib.sh"
need_kernel root seccomp
need_cmd setpriv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir "$tmp/out"
chown 65534:65534 "$tmp/out"
cp /bin/true "$tmp/suid-true"
chmod 4755 "$tmp/suid-true"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# The build may sit where nobody cannot search (/root/...): a copy can run.
cp "$B/scmp-trace" "$B/tests/probe" "$tmp/"
T=$tmp/scmp-trace
as_nobody test -x "$T" || fail "nobody cannot run $T"
want="is setuid: traced without root it runs without those privileges"
ran=
for be in notify ptrace; do
	# The kernel is asked, as nobody, whether the backend can work.
	if ! why=$(as_nobody "$tmp/probe" $(case $be in notify) echo seccomp notify ;; *) echo ptrace ;; esac)); then
		skip_part "nobody-no-$be" "$be: the kernel refuses it to nobody: $why"
		continue
	fi
	as_nobody "$T" -q --backend $be -o "$tmp/out/p.json" -- true 2>"$tmp/err" ||
		fail "$be: the kernel lets nobody use it and scmp-trace fails: $(cat "$tmp/err")"
	as_nobody "$T" --backend $be -o "$tmp/out/ls.json" -- ls / >/dev/null 2>"$tmp/err" ||
		fail "$be: nobody tracing ls failed: $(cat "$tmp/err")"
	grep -q "warning" "$tmp/err" && fail "$be: a warning for ls: $(cat "$tmp/err")"
	syscall_set "$tmp/out/ls.json" | grep -q ' getdents64$' ||
		fail "$be: nobody's trace of ls has no getdents64"
	as_nobody "$T" --backend $be -o "$tmp/out/s.json" -- "$tmp/suid-true" 2>"$tmp/err" ||
		fail "$be: tracing the setuid program failed: $(cat "$tmp/err")"
	grep -qF "scmp-trace: warning: $tmp/suid-true $want" "$tmp/err" ||
		fail "$be: no setuid warning for nobody: $(cat "$tmp/err")"
	"$B/scmp-trace" --backend $be -o "$tmp/out/r.json" -- "$tmp/suid-true" 2>"$tmp/err" ||
		fail "$be: root tracing the setuid program failed: $(cat "$tmp/err")"
	grep -q "warning" "$tmp/err" && fail "$be: root got a warning: $(cat "$tmp/err")"
	ran="$ran $be"
done
[ -n "$ran" ] || fail "neither backend ran for nobody"
echo "ok: unprivileged tracing and the setuid warning:$ran"
