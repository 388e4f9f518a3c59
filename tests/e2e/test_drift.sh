#!/bin/sh
# The drift gates (issue 16 item 3), on the fixed traces of
# tests/data/gen/traces and the real profiles of tests/data/profiles:
# scmp-gen --diff on pairs that differ and pairs that do not (profiles and
# traces; exit 0 same, 1 differ, 2 bad input or usage; the text and the
# JSON shape), and scmp-apply --check --trace on traces a profile allows,
# denies, may deny (an argument the trace does not record, bits it masks
# off) and of an arch it does not cover (exit 0, 1, 125; text and JSON).
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
G="$B/scmp-gen"
A="$B/scmp-apply"
T="$SRC/tests/data/gen/traces"
F="$SRC/tests/data/profiles/fixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# Runs CMD..., expecting status WANT; stdout in out, stderr in err.
expect() { # WANT CMD...
	_want=$1
	shift
	run_tool "$@" >out 2>err
	_st=$?
	[ $_st -eq "$_want" ] || fail "$*: status $_st, want $_want
stdout: $(head -20 out)
stderr: $(cat err)"
}
has() { grep -qxF -- "$1" out || fail "no line '$1' in:
$(cat out)"; }
# Asserts a Python expression over the JSON in out (j).
json_ok() { # EXPR
	python3 -c 'import json, sys
j = json.load(open("out"))
if not eval(sys.argv[1]):
    sys.exit("JSON fails %s:\n%s" % (sys.argv[1], json.dumps(j, indent=1)[:3000]))' "$1" ||
		fail "JSON check"
}

"$G" -q --exact -o ls.json "$T/ls.json" || fail "scmp-gen ls"
"$G" -q --exact -o gzip.json "$T/gzip.json" || fail "scmp-gen gzip"
# ls.json's profile edited: read only on fd 0 (narrowed), an arch more, a
# socket rule on the whole type (bits the trace masks off), rules split and
# reordered (the same set), an errno default.
python3 - <<'EOF' || fail "could not edit the profiles"
import json
p = json.load(open("ls.json"))
def edit(name, f):
    q = json.loads(json.dumps(p))
    f(q)
    json.dump(q, open(name, "w"), indent=1)
def narrow_read(q):
    for r in q["syscalls"]:
        if "read" in r["names"]:
            r["names"].remove("read")
    q["syscalls"].append({"names": ["read"], "action": "SCMP_ACT_ALLOW",
                          "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]})
def add_x86(q):
    q["architectures"] = q["architectures"] + ["SCMP_ARCH_X86"]
def whole_type(q):
    for r in q["syscalls"]:
        if r["names"] == ["socket"]:
            r["args"] = [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
                         {"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]
def split(q):
    rules = []
    for r in q["syscalls"]:
        for n in r["names"]:
            s = dict(r)
            s["names"] = [n]
            s.pop("comment", None)
            rules.append(s)
    q["syscalls"] = list(reversed(rules))
def errno_default(q):
    q["defaultAction"] = "SCMP_ACT_ERRNO"
    q["defaultErrnoRet"] = 1
edit("narrow.json", narrow_read)
edit("x86.json", add_x86)
edit("type.json", whole_type)
edit("split.json", split)
edit("errno.json", errno_default)
EOF

# ---- scmp-gen --diff ----

# The same: a profile with itself, a profile with its rules split and
# reordered, a trace with itself, Docker's profile with itself.
for pair in "ls.json ls.json" "ls.json split.json" "$T/ls.json $T/ls.json" \
	"$F/docker-default.json $F/docker-default.json"; do
	# shellcheck disable=SC2086
	expect 0 "$G" --diff $pair
	has "no difference"
	# shellcheck disable=SC2086
	expect 0 "$G" --diff --json $pair
	json_ok 'j["format"] == "scmpkit-diff" and j["version"] == 1 and j["same"] is True and j["changes"] == [] and j["architectures"] == {"added": [], "removed": []}'
done
json_ok 'j["a"]["kind"] == "profile" and j["default_action"] == {"a": "SCMP_ACT_ERRNO(1)", "b": "SCMP_ACT_ERRNO(1)"}'
echo "ok: --diff: same profiles (rules split and reordered too) and same traces exit 0"

# Two traces that differ: calls only one recorded, with their values.
expect 1 "$G" --diff "$T/ls.json" "$T/gzip.json"
has "--- $T/ls.json (trace)"
has "+++ $T/gzip.json (trace)"
has "- connect [x86_64]"
has "+ rt_sigaction [x86_64]"
has "- socket [x86_64]"
has "    - socket(domain=AF_UNIX, type=SOCK_STREAM, protocol=0 (default))"
expect 1 "$G" --diff --json "$T/ls.json" "$T/gzip.json"
json_ok 'j["same"] is False and j["a"] == {"file": "'"$T"'/ls.json", "kind": "trace"} and j["default_action"] is None'
json_ok '[c for c in j["changes"] if c["name"] == "socket"] == [{"name": "socket", "nr": 41, "action": None, "arches": ["SCMP_ARCH_X86_64"], "change": "removed", "added": [], "removed": [{"args": [{"index": 0, "value": 1}, {"index": 1, "value": 1}, {"index": 2, "value": 0}], "text": "socket(domain=AF_UNIX, type=SOCK_STREAM, protocol=0 (default))"}]}]'
json_ok 'any(c["name"] == "rt_sigaction" and c["change"] == "added" for c in j["changes"])'
echo "ok: --diff of two traces: calls and values added and removed, exit 1"

# Profiles: a call narrowed to an argument rule, and back (widened).
expect 1 "$G" --diff ls.json narrow.json
has "~ read [x86_64]: narrowed"
has "    + read when arg0 == 0"
has "    - read, any arguments"
has "1 change: 0 added, 0 removed, 1 narrowed, 0 widened, 0 changed"
expect 1 "$G" --diff --json ls.json narrow.json
json_ok 'j["changes"] == [{"name": "read", "nr": None, "action": "SCMP_ACT_ALLOW", "arches": ["SCMP_ARCH_X86_64"], "change": "narrowed", "added": [{"args": [{"index": 0, "op": "SCMP_CMP_EQ", "value": 0}], "text": "read when arg0 == 0"}], "removed": [{"args": [], "text": "read, any arguments"}]}]'
expect 1 "$G" --diff narrow.json ls.json
has "~ read [x86_64]: widened"
# A comparison changed: masked values, both sides listed.
expect 1 "$G" --diff --json ls.json type.json
json_ok '[c["change"] for c in j["changes"]] == ["changed"] and j["changes"][0]["added"][0]["args"][1] == {"index": 1, "op": "SCMP_CMP_EQ", "value": 1} and j["changes"][0]["removed"][0]["args"][1]["op"] == "SCMP_CMP_MASKED_EQ" and "valueTwo" in j["changes"][0]["removed"][0]["args"][1]'
# An architecture more: every call added there, said once per call.
expect 1 "$G" --diff ls.json x86.json
has "+ architecture SCMP_ARCH_X86"
has "+ read [x86]"
expect 1 "$G" --diff --json ls.json x86.json
json_ok 'j["architectures"] == {"added": ["SCMP_ARCH_X86"], "removed": []} and all(c["arches"] == ["SCMP_ARCH_X86"] and c["change"] == "added" for c in j["changes"])'
# The default action alone.
expect 1 "$G" --diff ls.json errno.json
has "default action: SCMP_ACT_KILL_PROCESS -> SCMP_ACT_ERRNO(1)"
has "0 changes: 0 added, 0 removed, 0 narrowed, 0 widened, 0 changed"
# Real profiles: podman's default is not Docker's.
expect 1 "$G" -q --diff "$F/docker-default.json" "$F/podman-default.json"
has "default action: SCMP_ACT_ERRNO(1) -> SCMP_ACT_ERRNO(38)"
echo "ok: --diff of two profiles: narrowed, widened, changed, an arch and a default action, exit 1"

# Trouble is 2, never 1: a profile and a trace, a file missing or broken,
# bad usage.
expect 2 "$G" --diff ls.json "$T/ls.json"
grep -q "ls.json is a profile and $T/ls.json a trace: --diff compares two profiles or two traces" err ||
	fail "profile and trace: $(cat err)"
[ -s out ] && fail "profile and trace: output: $(cat out)"
expect 2 "$G" --diff ls.json nonexistent.json
printf '{"defaultAction": ' >broken.json
expect 2 "$G" --diff broken.json ls.json
grep -q "^scmp-gen: broken.json:1:" err || fail "broken.json: $(cat err)"
expect 2 "$G" --diff ls.json
expect 2 "$G" --diff ls.json gzip.json narrow.json
expect 2 "$G" --json ls.json
expect 2 "$G" --diff -o x.json ls.json gzip.json
grep -q -- "--diff generates nothing: not with --output" err || fail "-o with --diff: $(cat err)"
[ ! -e x.json ] || fail "--diff -o wrote a file"
echo "ok: --diff: bad input and bad usage exit 2"

# ---- scmp-apply --check --trace ----

# Allowed: the profile made from the trace, and Docker's on every trace.
# A recorded call is one (arch, name, argument values) of the trace:
# counted here from the fixture itself (31 for ls.json).
ncalls=$(python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))
print(sum(len(s["args"]) if isinstance(s.get("args"), list) and s["args"] else 1 for s in t["syscalls"]))' "$T/ls.json")
[ "$ncalls" = 31 ] || fail "tests/data/gen/traces/ls.json changed: $ncalls recorded calls, the test expects 31"
expect 0 "$A" --check ls.json --trace "$T/ls.json"
has "ls.json: ok"
grep -q "^$T/ls.json: ls.json allows all $ncalls recorded calls$" out || fail "no allow line: $(cat out)"
expect 0 "$A" --check --json ls.json --trace "$T/ls.json"
json_ok 'j["format"] == "scmpkit-check" and j["version"] == 1 and j["allowed"] is True and j["findings"] == [] and j["denied"] == 0 and j["depends"] == 0 and len(j["traces"]) == 1 and j["traces"][0]["calls"] == '"$ncalls"' and j["traces"][0]["complete"] is True'
for t in "$T"/*.json; do
	expect 0 "$A" -q --check "$F/docker-default.json" --trace "$t"
done
echo "ok: --check --trace: allowed traces exit 0"
# A trace from an arm64 host: its calls are denied on this one.
H=$SRC/tests/data/gen/hosts/arm64host.json
expect 1 "$A" -q --check "$F/docker-default.json" --trace "$H"
has "denied: read [aarch64] in $H: SCMP_ACT_KILL_PROCESS; the architecture aarch64 is not in $F/docker-default.json"

# Denied: the gzip profile does not allow what ls did.
expect 1 "$A" --check gzip.json --trace "$T/ls.json"
has "denied: connect [x86_64] in $T/ls.json: SCMP_ACT_KILL_PROCESS; not in gzip.json"
has "denied: socket(domain=AF_UNIX, type=SOCK_STREAM, protocol=0 (default)) [x86_64] in $T/ls.json: SCMP_ACT_KILL_PROCESS; not in gzip.json"
# The 11: ls's calls (with their values) that gzip.json does not allow.
ls_not_gzip="['connect', 'futex', 'getdents64', 'getrandom', 'getxattr', 'ioctl', 'lgetxattr', 'lseek', 'socket', 'statfs', 'statx']"
expect 1 "$A" --check --json gzip.json --trace "$T/ls.json"
json_ok 'j["allowed"] is False and j["depends"] == 0 and j["denied"] == len(j["findings"]) == j["traces"][0]["denied"] == 11 and sorted(f["name"] for f in j["findings"]) == '"$ls_not_gzip"
json_ok '[f for f in j["findings"] if f["name"] == "socket"] == [{"trace": "'"$T"'/ls.json", "arch": "SCMP_ARCH_X86_64", "name": "socket", "nr": 41, "args": [{"index": 0, "name": "domain", "value": 1, "text": "AF_UNIX"}, {"index": 1, "name": "type", "value": 1, "text": "SOCK_STREAM"}, {"index": 2, "name": "protocol", "value": 0, "text": "0 (default)"}], "all_values": False, "call": "socket(domain=AF_UNIX, type=SOCK_STREAM, protocol=0 (default))", "verdict": "denied", "actions": ["SCMP_ACT_KILL_PROCESS"], "why": "not in gzip.json", "count": 4}]'
# An errno default is the action named.
expect 1 "$A" --check --json errno.json --trace "$T/gzip.json"
json_ok 'j["findings"] and all(f["actions"] == ["SCMP_ACT_ERRNO(EPERM)"] for f in j["findings"])'
echo "ok: --check --trace: denials listed with action and why, exit 1"

# May be denied: read allowed only on fd 0, which the trace does not
# record; socket's whole type, of which the trace keeps some bits.
expect 1 "$A" --check narrow.json --trace "$T/ls.json"
has "may be denied: read [x86_64] in $T/ls.json: SCMP_ACT_KILL_PROCESS or SCMP_ACT_ALLOW, depending on arguments the trace does not record; narrow.json syscalls[18] compares arg0, which the trace does not record"
expect 1 "$A" --check --json narrow.json --trace "$T/ls.json"
json_ok 'j["denied"] == 0 and j["depends"] == 1 and j["findings"][0]["verdict"] == "depends" and j["findings"][0]["actions"] == ["SCMP_ACT_KILL_PROCESS", "SCMP_ACT_ALLOW"] and j["findings"][0]["args"] == [] and j["findings"][0]["all_values"] is True'
expect 1 "$A" --check type.json --trace "$T/ls.json"
grep -q "^may be denied: socket(domain=AF_UNIX, type=SOCK_STREAM, protocol=0 (default)) \[x86_64\] .* compares type (arg1), which the trace records only in part" out ||
	fail "socket's masked type: $(cat out)"
echo "ok: --check --trace: a verdict that depends on what the trace does not hold is said, exit 1"

# A trace of an arch the profile does not cover: denied, as the filter kills it.
expect 1 "$A" --check ls.json --trace "$T/i386args.json"
grep -q "^denied: [a-z_0-9]* \[x86\] in $T/i386args.json: SCMP_ACT_KILL_PROCESS; the architecture x86 is not in ls.json$" out ||
	fail "foreign arch: $(cat out)"
# Several traces: as operands after --trace, and --trace before PROFILE.
# (i386args also made x86_64 calls ls never made.)
expect 1 "$A" --check --json ls.json --trace "$T/ls.json" "$T/i386args.json"
json_ok '[t["file"].split("/")[-1] for t in j["traces"]] == ["ls.json", "i386args.json"] and j["traces"][0]["denied"] == 0 and j["traces"][1]["denied"] > 0 and all(f["trace"].endswith("i386args.json") for f in j["findings"]) and all(f["arch"] == "SCMP_ARCH_X86" or f["name"] in ("setsockopt", "unshare", "landlock_create_ruleset") for f in j["findings"])'
expect 0 "$A" --check --trace "$T/ls.json" --json ls.json
json_ok 'j["allowed"] is True'
echo "ok: --check --trace: a foreign arch is denied; several traces"

# Errors stay 125: a bad trace, --trace without --check, --json without
# --trace, an operand after PROFILE without --trace.
expect 125 "$A" --check ls.json --trace broken.json
grep -q "^scmp-apply: broken.json:1:" err || fail "broken trace: $(cat err)"
expect 125 "$A" --check ls.json --trace ls.json
expect 125 "$A" --trace "$T/ls.json" ls.json -- true
expect 125 "$A" --check --json ls.json
expect 125 "$A" --check ls.json "$T/ls.json"
grep -q "unexpected '$T/ls.json': --check runs nothing (the traces it replays follow --trace)" err ||
	fail "operand without --trace: $(cat err)"
echo "ok: --check --trace: bad traces and bad usage exit 125"
