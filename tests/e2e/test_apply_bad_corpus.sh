#!/bin/sh
# The corpus of bad profiles (tests/data/profiles/bad/): each is refused with
# status 125 and exactly the message in expected.tsv (FILE stands for the
# path), and the program never runs.  Plus two made here: a 12 MB profile
# (refused quickly, naming the place) and a filter over BPF_MAXINSNS.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=tests/data/profiles/bad
n=0
check() { # FILE WANT_MESSAGE
	rm -f "$tmp/ran"
	run_tool "$B/scmp-apply" -q "$1" -- touch "$tmp/ran" 2>"$tmp/err"
	st=$?
	[ $st -eq 125 ] || fail "$1: status $st, want 125 ($(cat "$tmp/err"))"
	[ ! -e "$tmp/ran" ] || fail "$1: the program ran"
	[ "$(cat "$tmp/err")" = "$2" ] || fail "$1: message
  got:  $(cat "$tmp/err")
  want: $2"
	n=$((n + 1))
}
for f in "$D"/*.json; do
	name=$(basename "$f" .json)
	want=$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' "$D/expected.tsv" | sed "s|FILE|$f|g")
	[ -n "$want" ] || fail "$f has no line in expected.tsv"
	check "$f" "$want"
done
[ "$(wc -l <"$D/expected.tsv")" -eq "$n" ] || fail "expected.tsv names files that are gone"

python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
# Under the 1,000,000 JSON values read at most (json_util.c's memory cap;
# test_outputs.sh checks the cap itself).
names = ["execve"] + ["x%07d" % i for i in range(999000)]
json.dump({"defaultAction": "SCMP_ACT_ERRNO",
           "syscalls": [{"names": names, "action": "SCMP_ACT_NOPE"}]}, open(d + "/huge.json", "w"))
rules = [{"names": ["execve"], "action": "SCMP_ACT_ALLOW"}]
rules += [{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW",
           "args": [{"index": 1, "value": i, "op": "SCMP_CMP_EQ"}]} for i in range(5000)]
json.dump({"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": rules}, open(d + "/toobig.json", "w"))
PY
start=$(date +%s)
check "$tmp/huge.json" "scmp-apply: $tmp/huge.json: syscalls[0].action: unknown action \"SCMP_ACT_NOPE\""
[ $(($(date +%s) - start)) -lt 30 ] || fail "a 12 MB profile took more than 30 s"
check "$tmp/toobig.json" "scmp-apply: $tmp/toobig.json: the filter is 5033 BPF instructions; the kernel accepts at most 4096"
echo "ok: $n bad profiles refused with their exact messages, nothing ran"
