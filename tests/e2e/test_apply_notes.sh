#!/bin/sh
# The program's stderr is its own (issue 16 item 6): scmp-apply running a
# program says nothing about the profile there (names this libseccomp does
# not know, archMap entries it cannot use) unless -v; --check and --export
# always say them (-q silences them); errors always print.  --complain says
# each note once.
. "$SRC/tests/e2e/lib.sh"
need_seccomp
A="$B/scmp-apply"
F="$SRC/tests/data/profiles/fixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$A" -q "$F/docker-default.json" -- true 2>"$tmp/probe" ||
	fail "docker-default.json does not run true: $(cat "$tmp/probe")"

# A profile with a note whatever the libseccomp: a name no arch has.
sed 's/"uname",/"uname", "scmpkit_no_such_call",/' "$F/docker-default.json" >"$tmp/p.json"
grep -q scmpkit_no_such_call "$tmp/p.json" || fail "could not add a name to the profile"
note_re='^scmp-apply: warning: .*skipping [0-9]* names\{0,1\} unknown to libseccomp [0-9.]*: .*scmpkit_no_such_call'

# Under Docker's default profile and the one made here, PROG's stderr holds
# what PROG wrote and nothing else.
for p in "$F/docker-default.json" "$tmp/p.json"; do
	out=$("$A" "$p" -- sh -c 'echo to-stdout; echo to-stderr >&2' 2>"$tmp/err")
	st=$?
	[ $st -eq 0 ] || fail "$p: status $st: $(cat "$tmp/err")"
	[ "$out" = to-stdout ] || fail "$p: stdout '$out'"
	[ "$(cat "$tmp/err")" = to-stderr ] || fail "$p: the program's stderr holds more than its own:
$(cat "$tmp/err")"
done

# -v says the notes, before the program's own output.
"$A" -v "$tmp/p.json" -- sh -c 'echo to-stderr >&2' 2>"$tmp/err" || fail "-v: status $?"
grep -q "$note_re" "$tmp/err" || fail "-v: no note: $(cat "$tmp/err")"
[ "$(tail -n 1 "$tmp/err")" = to-stderr ] || fail "-v: the notes do not come first: $(cat "$tmp/err")"
"$A" --verbose -q "$tmp/p.json" -- true 2>"$tmp/err" || fail "-v -q: status $?"
[ -s "$tmp/err" ] && fail "-q -v printed: $(cat "$tmp/err")"

# --check and --export say them without -v; -q silences them.
"$A" --check "$tmp/p.json" >/dev/null 2>"$tmp/err" || fail "--check: status $?"
grep -q "$note_re" "$tmp/err" || fail "--check: no note: $(cat "$tmp/err")"
"$A" --export pfc -o /dev/null "$tmp/p.json" 2>"$tmp/err" || fail "--export: status $?"
grep -q "$note_re" "$tmp/err" || fail "--export: no note: $(cat "$tmp/err")"
"$A" -q --check "$tmp/p.json" >/dev/null 2>"$tmp/err" || fail "-q --check: status $?"
[ -s "$tmp/err" ] && fail "-q --check printed: $(cat "$tmp/err")"

# Errors always print, -q or not, in every mode.
printf '{"defaultAction": "SCMP_ACT_NOPE"}' >"$tmp/bad.json"
for q in "" -q; do
	"$A" $q "$tmp/bad.json" -- true 2>"$tmp/err"
	st=$?
	[ $st -eq 125 ] || fail "bad profile ($q): status $st"
	grep -q 'defaultAction: unknown action "SCMP_ACT_NOPE"' "$tmp/err" ||
		fail "bad profile ($q): no error: $(cat "$tmp/err")"
done

# --complain: silent without -v; with -v each note once (the baseline
# filter is built from the same rules).
if "$A" -q --complain "$tmp/c.json" "$tmp/p.json" -- true 2>/dev/null; then
	"$A" --complain "$tmp/c.json" "$tmp/p.json" -- true 2>"$tmp/err" || fail "--complain: status $?"
	grep -q "warning" "$tmp/err" && fail "--complain without -v: $(cat "$tmp/err")"
	"$A" -v --complain "$tmp/c.json" "$tmp/p.json" -- true 2>"$tmp/err" || fail "-v --complain: status $?"
	n=$(grep -c "$note_re" "$tmp/err")
	[ "$n" -eq 1 ] || fail "-v --complain: the note $n times: $(cat "$tmp/err")"
else
	note "--complain does not run here (no seccomp user notification): not tested"
fi
echo "ok: notes about the profile only with -v when running, always with --check and --export, errors always"
