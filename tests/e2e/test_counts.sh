#!/bin/sh
# One count everywhere (issue 24 item 9): scmp-trace ends with a one-line
# summary (backend, distinct syscalls, calls, processes, executables,
# complete) unless -q, and -c prints a table like strace -c's; scmp-gen and
# scmp-apply --check count a profile as the distinct syscall names its
# allow rules hold, the number the trace's readers compute from the JSON;
# --explain names an argument as the man page does (mmap's prot, not
# "arg2 (flags)"); --static report does not call a call the profile holds
# "already in the profile" among the calls never traced.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rf=$B/samples/readfile

for be in $(required_backends); do
	need_backend "$be"
	"$B/scmp-trace" --backend "$be" -o "$tmp/t.json" -- sh -c "$rf /etc/hostname; true" >/dev/null 2>"$tmp/err" ||
		fail "$be: trace failed: $(cat "$tmp/err")"
	want=$(python3 - "$tmp/t.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
n = len(t["syscalls"]); c = sum(s["count"] for s in t["syscalls"])
p = t["processes"]; e = len(t["executables"])
print("scmp-trace: recorded %d distinct syscall%s (%d call%s) from %d process%s, %d executable%s, backend %s; %s" % (
    n, "" if n == 1 else "s", c, "" if c == 1 else "s", p, "" if p == 1 else "es",
    e, "" if e == 1 else "s", t["backend"], "complete" if t["complete"] else "incomplete"))
PY
)
	grep -qxF "$want" "$tmp/err" || fail "$be: the summary line is not what the trace holds: want '$want', stderr: $(cat "$tmp/err")"
	[ "$(tail -1 "$tmp/err")" = "$want" ] || fail "$be: the summary is not the last line: $(cat "$tmp/err")"
	"$B/scmp-trace" -q --backend "$be" -o "$tmp/q.json" -- "$rf" /etc/hostname >/dev/null 2>"$tmp/err" || fail "$be: -q trace failed"
	[ ! -s "$tmp/err" ] || fail "$be: -q still printed: $(cat "$tmp/err")"
	echo "ok: $be: $want"
done

# -c: a row per (arch, syscall), most called first, calls as the trace
# counts them, and a total.
"$B/scmp-trace" -q -c -o "$tmp/c.json" -- "$rf" /etc/hostname >/dev/null 2>"$tmp/table" || fail "-c failed"
python3 - "$tmp/c.json" "$tmp/table" <<'PY' || fail "-c's table does not match the trace: $(cat "$tmp/table")"
import json, sys
t = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
assert lines[0].split() == ["calls", "syscall"], lines[0]
rows = [l.split() for l in lines[2:-2]]
got = {r[1]: int(r[0]) for r in rows}
want = {s["name"]: s["count"] for s in t["syscalls"]}
assert got == want, (got, want)
counts = [int(r[0]) for r in rows]
assert counts == sorted(counts, reverse=True), counts
assert lines[-1].split() == [str(sum(want.values())), "total"], lines[-1]
PY
echo "ok: -c prints a table of $(($(wc -l <"$tmp/table") - 4)) syscalls"

# A profile's count: distinct names of its allow rules (a name in several
# rules, one per argument value, once), the same in scmp-gen and --check.
"$B/scmp-gen" -o "$tmp/p.json" "$tmp/t.json" 2>"$tmp/gen.err" || fail "gen failed: $(cat "$tmp/gen.err")"
n=$(python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
print(len({n for r in p["syscalls"] if r["action"] == "SCMP_ACT_ALLOW" for n in r["names"]}))' "$tmp/p.json")
rules=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["syscalls"]))' "$tmp/p.json")
grep -q "^scmp-gen: $tmp/p.json: allows $n distinct syscalls ($rules rules, [0-9]* BPF instructions)$" "$tmp/gen.err" ||
	fail "scmp-gen's count is not the $n distinct allowed names: $(cat "$tmp/gen.err")"
"$B/scmp-apply" --check "$tmp/p.json" >"$tmp/check" || fail "--check failed"
grep -qx "allows $n distinct syscalls; rules: $rules ($rules active here)" "$tmp/check" ||
	fail "--check's count is not the $n distinct allowed names: $(cat "$tmp/check")"
echo "ok: scmp-gen and --check both count $n distinct allowed syscalls ($rules rules)"

# --explain: mmap's argument 2 is prot.
"$B/scmp-gen" -q --explain -o "$tmp/e.json" "$tmp/t.json" 2>"$tmp/explain" || fail "--explain failed"
grep -q "^    prot (arg2, flag bits): " "$tmp/explain" ||
	fail "--explain does not call mmap's argument 2 prot: $(grep -A3 '^mmap\|  mmap' "$tmp/explain" | head)"
grep -q "arg2 (flags)" "$tmp/explain" && fail "--explain still says 'arg2 (flags)'"
# --static report: a call the profile allows anyway is not "already in the profile".
"$B/scmp-gen" --static report -o "$tmp/s.json" "$tmp/t.json" 2>"$tmp/static" || fail "--static report failed"
grep -q "already in the profile" "$tmp/static" && fail "--static report still says 'already in the profile'"
echo "ok: --explain says prot; --static report's wording"
