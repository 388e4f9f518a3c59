#!/bin/sh
# scmp-trace without root: both backends trace a real program as nobody, and
# a setuid program gets a warning that it ran without its privileges (the
# notify filter needs no_new_privs; exec under ptrace drops them), while
# root tracing it gets none.
. "$SRC/tests/e2e/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to make a setuid program and switch to nobody"
need_cmd setpriv
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir "$tmp/out"
chown 65534:65534 "$tmp/out"
cp /bin/true "$tmp/suid-true"
chmod 4755 "$tmp/suid-true"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
as_nobody test -x "$B/scmp-trace" ||
	skip "nobody cannot run $B/scmp-trace (a parent directory is not world-searchable)"
want="is setuid: traced without root it runs without those privileges"
ran=
for be in notify ptrace; do
	if ! as_nobody "$B/scmp-trace" -q --backend $be -o "$tmp/out/p.json" -- true 2>"$tmp/err"; then
		note "$be backend refused to nobody here: $(cat "$tmp/err")"
		continue
	fi
	as_nobody "$B/scmp-trace" --backend $be -o "$tmp/out/ls.json" -- ls / >/dev/null 2>"$tmp/err" ||
		fail "$be: nobody tracing ls failed: $(cat "$tmp/err")"
	grep -q "warning" "$tmp/err" && fail "$be: a warning for ls: $(cat "$tmp/err")"
	syscall_set "$tmp/out/ls.json" | grep -q ' getdents64$' ||
		fail "$be: nobody's trace of ls has no getdents64"
	as_nobody "$B/scmp-trace" --backend $be -o "$tmp/out/s.json" -- "$tmp/suid-true" 2>"$tmp/err" ||
		fail "$be: tracing the setuid program failed: $(cat "$tmp/err")"
	grep -qF "scmp-trace: warning: $tmp/suid-true $want" "$tmp/err" ||
		fail "$be: no setuid warning for nobody: $(cat "$tmp/err")"
	"$B/scmp-trace" --backend $be -o "$tmp/out/r.json" -- "$tmp/suid-true" 2>"$tmp/err" ||
		fail "$be: root tracing the setuid program failed: $(cat "$tmp/err")"
	grep -q "warning" "$tmp/err" && fail "$be: root got a warning: $(cat "$tmp/err")"
	ran="$ran $be"
done
[ -n "$ran" ] || skip "neither backend works for nobody here"
echo "ok: unprivileged tracing and the setuid warning:$ran"
