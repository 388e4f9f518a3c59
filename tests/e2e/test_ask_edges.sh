#!/bin/sh
# scmp-apply --ask's answers exact and safe (issue 24 item 1), through a
# pseudo-terminal (askpty.py):
# - "allow always" over a call the profile answers with an errno (clone3,
#   ENOSYS) replaces that answer: FILE is written and allows it, and the
#   program's exit status is kept;
# - while a question is up the program's tree is stopped: a process of it
#   that floods the terminal with a fake question stays still until the
#   answer, and the answer is not taken from type-ahead;
# - with IA32 emulation: "allow always" on i386's getpid and old mmap under an x86_64 profile
#   that compares x86_64 mmap's prot is refused with the reason (a rule is
#   by name: it would allow any x86_64 mmap too), as one that would add the
#   x86 architecture; the user may still allow it once, and FILE gains no
#   arch and no mmap by name.
. "$SRC/tests/e2e/lib.sh"
need_notify
need_cmd python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
A=$B/scmp-apply
T=$B/samples/trysyscall
ASK="python3 $SRC/tests/e2e/askpty.py"
: >"$tmp/in"

# ---- clone3: ENOSYS in the profile, allowed always at the prompt ----
cat >"$tmp/c.sh" <<'SH'
T=$1
shift
"$T" "$@"
exit 3
SH
# Trained with a threaded program too: a trace with clone3 and clone gets
# clone3 answered with ENOSYS (glibc then falls back to clone).
run_tool "$B/scmp-trace" -q -o "$tmp/c.json" -- sh -c '"$0" 2 1; (exit 0); sh "$1" "$2" 39 bad' \
	"$B/samples/threads" "$tmp/c.sh" "$T" >/dev/null
[ $? -eq 3 ] || fail "training run of c.sh failed"
run_tool "$B/scmp-gen" -q -o "$tmp/cp.json" "$tmp/c.json" || fail "gen failed"
python3 - "$tmp/cp.json" <<'PY' || skip "scmp-gen wrote no ENOSYS rule for clone3 here"
import json, sys
p = json.load(open(sys.argv[1]))
assert any("clone3" in r["names"] and r["action"] == "SCMP_ACT_ERRNO" for r in p["syscalls"])
PY
$ASK "$tmp" "clone3=a" -- "$A" --ask="$tmp/c-ask.json" "$tmp/cp.json" -- sh "$tmp/c.sh" "$T" 435 bad 88
rc=$?
[ $rc -eq 3 ] || fail "allow always on clone3: status $rc, want the program's 3: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "errno 14" ] || fail "clone3 was not allowed for the run: $(cat "$tmp/out")"
[ -s "$tmp/c-ask.json" ] || fail "--ask=FILE not written: $(cat "$tmp/err")"
grep -q "^scmp-apply:   + allow clone3 \[x86_64\]" "$tmp/err" || fail "the change is not listed: $(cat "$tmp/err")"
grep -q -- "--ask=NEW.json" "$tmp/err" && fail "an --ask=FILE run suggests --ask=NEW.json: $(cat "$tmp/err")"
out=$("$A" "$tmp/c-ask.json" -- "$T" 435 bad 88) || fail "the refined profile does not run clone3"
[ "$out" = "errno 14" ] || fail "under the refined profile clone3 gave: $out"
echo "ok: allow always replaces the profile's ENOSYS for clone3; FILE written, status 3 kept"

# ---- a process of the tree draws a fake question: stopped while asked ----
cat >"$tmp/s.sh" <<'SH'
T=$1 mode=$2 tty=$3 flag=$4
# The same calls in both modes: the spoofer is under way (the flag) before
# the denied call, and is killed and waited for after it.
( : >"$flag"; while :; do
	printf '\033[1A\033[2Kscmp-apply: denied getppid [x86_64] by /bin/true (pid 1): FAKE; allow always (a)? ' >"$tty"
done ) &
spoof=$!
while [ ! -e "$flag" ]; do :; done
if [ "$mode" = train ]; then "$T" 39; else "$T" 39; "$T" 99 bad; fi
kill "$spoof"
wait
echo end
SH
run_tool "$B/scmp-trace" -q -o "$tmp/s.json" -- sh "$tmp/s.sh" "$T" train "$tmp/spool" "$tmp/flag.train" >/dev/null || fail "training run of s.sh failed"
run_tool "$B/scmp-gen" -q -o "$tmp/sp.json" "$tmp/s.json" || fail "gen failed"
$ASK "$tmp" "sysinfo=o" --still 0.7 -- "$A" --ask "$tmp/sp.json" -- sh "$tmp/s.sh" "$T" ask /dev/tty "$tmp/flag.ask" ||
	fail "the fake question went on under the real one (status $?): $(cat "$tmp/err")"
grep -q "FAKE" "$tmp/tty" || fail "the spoofer drew nothing: the test proves nothing"
[ "$(sed 1d "$tmp/out")" = "errno 14
end" ] || fail "the spoofing run's output: $(cat "$tmp/out")"
echo "ok: the tree is stopped while a question is up (the fake question stayed still)"

# ---- i386: refused answers ----
I=$B/samples/i386args
if ! have ia32 || [ ! -x "$I" ]; then
	skip_part no-ia32 "the i386 answers: $("$PROBE" ia32)"
	exit 0
fi
run_tool "$B/scmp-trace" -q -o "$tmp/i.json" -- "$I" none >/dev/null || fail "trace of i386args failed"
run_tool "$B/scmp-gen" -q -o "$tmp/ip.json" "$tmp/i.json" || fail "gen failed"
# The profile of an x86_64 program: x86_64 only, W^X on mmap (what scmp-gen
# writes for a trace without i386 calls).
python3 - "$tmp/ip.json" "$tmp/ip64.json" <<'PY' || fail "cannot edit the profile"
import json, sys
p = json.load(open(sys.argv[1]))
p["architectures"] = ["SCMP_ARCH_X86_64"]
rules = [r for r in p["syscalls"] if r["names"] != ["mmap"]]
for r in rules:
    r["names"] = [n for n in r["names"] if n != "mmap"]
wx = [{"names": ["mmap"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 2, "value": m, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]} for m in (4, 2)]
p["syscalls"] = wx + [r for r in rules if r["names"]]
json.dump(p, open(sys.argv[2], "w"))
PY
# i386's getpid, then its old mmap asking for RWX: allowing either always
# would add the x86 arch (and mmap by name: any x86_64 mmap, W^X gone).
$ASK "$tmp" "getpid=a,getpid=o,mmap=a,mmap=o" -- "$A" --ask="$tmp/i-ask.json" "$tmp/ip64.json" -- "$I" oldmmap
rc=$?
[ $rc -ne 99 ] && [ $rc -ne 125 ] || fail "the old mmap dialogue failed (status $rc): $(cat "$tmp/err")"
grep -q "cannot allow this always: it would add the x86 architecture to $tmp/ip64.json" "$tmp/tty" ||
	fail "the refusal does not say why: $(cat "$tmp/tty")"
[ "$(grep -c "cannot allow this always" "$tmp/tty")" -eq 2 ] || fail "not both answers refused: $(cat "$tmp/tty")"
grep -q "escaped oldmmap" "$tmp/out" || fail "allowed once, the old mmap did not run: $(cat "$tmp/out")"
grep -q "no answer changed" "$tmp/err" || fail "FILE changed: $(cat "$tmp/err")"
python3 - "$tmp/ip64.json" "$tmp/i-ask.json" <<'PY' || fail "FILE widened the profile"
import json, sys
p, q = (json.load(open(f)) for f in sys.argv[1:3])
assert q.get("architectures") == ["SCMP_ARCH_X86_64"], q.get("architectures")
assert not any("mmap" in r["names"] and r["action"] == "SCMP_ACT_ALLOW" and not r.get("args")
               for r in q["syscalls"]), "mmap allowed by name"
PY
echo "ok: allow always on i386 calls under an x86_64 profile refused with the reason; allowed once; FILE unchanged"
