#!/bin/sh
# Signals a program handles can be re-raised under its profile (issue 16):
# sort sets handlers for SIGINT and others and, after cleaning up, raises
# the signal again (tgkill) to die of it.  A profile from a trace of a
# pipeline that was never interrupted must still let Ctrl-C end it as it
# ends natively: status 130, not 159 (SIGSYS on the re-raise).
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
need_cmd sort
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CTRLC="python3 $SRC/tests/e2e/ctrlc.py"

printf 'b\na\n' | "$B/scmp-trace" -q -o "$tmp/t.json" -- sh -c 'cat | sort' >"$tmp/out" ||
	fail "the trace failed"
[ "$(cat "$tmp/out")" = "a
b" ] || fail "traced output differs: $(cat "$tmp/out")"
run_tool "$B/scmp-gen" -q --explain -o "$tmp/allow.json" "$tmp/t.json" 2>"$tmp/explain" ||
	fail "scmp-gen failed: $(cat "$tmp/explain")"
grep -q 'added, not observed: .*SIGINT.*(signal: the program sets a handler' "$tmp/explain" ||
	fail "--explain does not say why SIGINT may be re-raised: $(grep -A3 '^  tgkill' "$tmp/explain")"

native=$($CTRLC sh -c 'cat | sort')
[ "$native" = 130 ] || fail "natively, Ctrl-C ended the pipeline with $native, not 130"
for i in 1 2 3 4; do
	st=$($CTRLC "$B/scmp-apply" "$tmp/allow.json" -- sh -c 'cat | sort' 2>"$tmp/err")
	[ "$st" = "$native" ] || fail "run $i: Ctrl-C under the profile gave $st, natively $native: $(cat "$tmp/err")"
done
note "Ctrl-C on 'cat | sort' under its generated profile: 130 in 4 of 4 runs, as native"

# A program that sets no handler gets no signal-sending rule for it.
"$B/scmp-trace" -q -o "$tmp/c.json" -- cat /etc/hostname >/dev/null || fail "trace of cat failed"
run_tool "$B/scmp-gen" -q -o "$tmp/c-allow.json" "$tmp/c.json" || fail "scmp-gen on cat failed"
python3 - "$tmp/c-allow.json" <<'PY' || fail "a profile of cat allows sending signals it never handled"
import json, sys
p = json.load(open(sys.argv[1]))
for r in p["syscalls"]:
    if set(r["names"]) & {"kill", "tkill", "rt_sigqueueinfo"}:
        sys.exit(1)
PY
