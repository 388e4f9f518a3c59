#!/bin/sh
# scmp-gen --static: on a traced `sh -c true`, report names syscalls the
# shell's imported libc functions can make that the run did not, add puts
# them in the profile (which still runs the shell under scmp-apply), and
# architectures, missing, script and garbage executables are handled.
# Without --static, one line after the profile counts them and names the
# first (a note for executables not on this machine, never a failure and
# never another profile); -q silences it and the report; --static none
# turns it off.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

gen() { run_tool "$B/scmp-gen" "$@"; }
# What scmp-gen wrote to FILE, without valgrind's own notes (VALGRIND=1).
ours() { grep -v '^--[0-9]*-- ' "$1"; }

"$B/scmp-gen" -h | grep -q -- "--static none|report|add" || fail "--help does not list --static"
"$B/scmp-gen" --static bogus x.json >/dev/null 2>err
[ $? -eq 2 ] || fail "--static bogus: want exit 2"
grep -q "none, report or add" err || fail "--static bogus: $(cat err)"
echo "ok: --static in --help, bad modes exit 2"

"$B/scmp-trace" -q -o sh.json -- sh -c true >/dev/null 2>trace.err ||
	fail "scmp-trace cannot trace sh: $(cat trace.err)"

# report: names reachable, unobserved calls; the profile is unchanged.
gen -q -o plain.json sh.json || fail "scmp-gen sh.json failed"
gen --static report -o rep.json sh.json 2>rep.err || fail "--static report failed: $(cat rep.err)"
cmp -s plain.json rep.json || fail "--static report changed the profile"
grep -Eq "ELF(32|64) [a-z0-9_]+, dynamically linked" rep.err ||
	fail "no ELF class and machine in the report: $(head -5 rep.err)"
python3 - sh.json rep.err >reached.txt <<'EOF' || fail "report check failed"
import json, re, sys
t = json.load(open(sys.argv[1]))
seen = {s["name"] for s in t["syscalls"] if s.get("name")}
exes = set(t["executables"])
reach = {}
for line in open(sys.argv[2]):
    m = re.match(r"    ([a-z0-9_]+): through ([A-Za-z0-9_]+) in (\S+)", line)
    if m:
        reach[m.group(1)] = (m.group(2), m.group(3), "[unknown" in line)
if len(reach) < 5:
    sys.exit("only %d reachable syscalls reported: %s" % (len(reach), sorted(reach)))
observed = sorted(set(reach) & seen)
if observed:
    sys.exit("observed calls reported as not observed: %s" % observed)
if "wait4" not in reach:
    sys.exit("a shell's wait (wait4) is not reported: %s" % sorted(reach))
for name, (func, obj, unknown) in sorted(reach.items()):
    if not unknown:
        print(name)
EOF
echo "ok: --static report names $(wc -l <reached.txt) syscalls the shell can reach but did not make ($(head -4 reached.txt | tr '\n' ' ')...)"

# add: every reported call is allowed, with the comment; the shell runs.
gen --static add -o add.json sh.json 2>add.err || fail "--static add failed: $(cat add.err)"
python3 - add.json reached.txt <<'EOF' || fail "added profile check failed"
import json, sys
p = json.load(open(sys.argv[1]))
want = set(open(sys.argv[2]).read().split())
names = set()
static = 0
for r in p["syscalls"]:
    names.update(r["names"])
    c = r.get("comment", "")
    if c.startswith("static: reachable through "):
        static += 1
        if r["action"] != "SCMP_ACT_ALLOW" or not c.endswith(", not observed"):
            sys.exit("bad static rule: %s" % r)
missing = sorted(want - names)
if missing:
    sys.exit("reported but not in the profile: %s" % missing)
if not static:
    sys.exit("no rule has the static comment")
EOF
"$B/scmp-apply" add.json -- sh -c true || fail "sh -c true dies under the --static add profile"
echo "ok: --static add allows them (commented) and sh -c true runs under it"

# The default: one line after the profile, with the count --static add adds
# and the first names; the profile is the one --static none writes, and
# the families the analysis bounds (each rule commented "family ..."):
# --exact leaves them out.
gen -o def.json sh.json 2>def.err || fail "scmp-gen without --static failed: $(cat def.err)"
gen --static none -o none.json sh.json 2>none.err || fail "--static none failed: $(cat none.err)"
gen --exact -o exact.json sh.json 2>exact.err || fail "--exact failed: $(cat exact.err)"
cmp -s exact.json none.json || fail "--exact does not give the profile --static none writes"
python3 - def.json none.json <<'EOF2' || fail "the default profile is not --exact's and families"
import json, sys
d, n = (json.load(open(f))["syscalls"] for f in sys.argv[1:3])
extra = [r for r in d if r not in n]
if [r for r in n if r not in d]:
    sys.exit("a rule of --exact's profile is missing")
bad = [r for r in extra if not r.get("comment", "").startswith("family ")]
if bad:
    sys.exit("rules beyond --exact's that are not families: %s" % bad)
EOF2
grep -q "families added" def.err || fail "the summary does not say what families added: $(cat def.err)"
cmp -s def.json plain.json || fail "-q changed the profile"
grep -q "never traced\|static check" none.err && fail "--static none still printed the line: $(cat none.err)"
[ "$(grep -c "never traced" def.err)" = 1 ] || fail "not one summary line: $(cat def.err)"
python3 - def.json add.json def.err <<'EOF' || fail "summary line check failed: $(cat def.err)"
import json, re, sys
def names(f):
    return {n for r in json.load(open(f))["syscalls"] for n in r["names"]}
added = names(sys.argv[2]) - names(sys.argv[1])
line = [l for l in open(sys.argv[3]) if "never traced" in l][0].rstrip("\n")
m = re.fullmatch(r"scmp-gen: (\d+) calls? the executables? can reach (?:was|were) never traced"
                 r"(?: and left out \(no traced call of their family\))?"
                 r"(?: \(\d+ of \d+ executables read\))?: ([a-z0-9_, ]+?)(\.\.\.)?; "
                 r"--static report lists them, --static add allows them", line)
if not m:
    sys.exit("bad summary line: %r" % line)
n, shown = int(m.group(1)), m.group(2).split(", ")
if n != len(added):
    sys.exit("the line counts %d calls, --static add adds %d" % (n, len(added)))
if shown != sorted(added)[:len(shown)]:
    sys.exit("the names shown %s are not the first of %s" % (shown, sorted(added)))
if (m.group(3) is not None) != (n > len(shown)):
    sys.exit("'...' does not match the count: %r" % line)
EOF
echo "ok: by default: $(grep "never traced" def.err)"
gen -q -o q.json sh.json 2>q.err || fail "scmp-gen -q failed"
[ -z "$(ours q.err)" ] || fail "-q printed: $(ours q.err)"
gen -q --static report -o qr.json sh.json 2>q.err || fail "scmp-gen -q --static report failed"
[ -z "$(ours q.err)" ] || fail "-q --static report printed: $(ours q.err | head -3)"
cmp -s qr.json plain.json || fail "-q --static report changed the profile"
gen -q --static add -o qa.json sh.json 2>q.err || fail "scmp-gen -q --static add failed"
[ -z "$(ours q.err)" ] || fail "-q --static add printed: $(ours q.err | head -3)"
cmp -s qa.json add.json || fail "-q --static add wrote another profile than --static add"
echo "ok: -q silences the line and --static report's list; --static none turns the line off"
if grep -qx umask reached.txt; then
	"$B/scmp-apply" plain.json -- sh -c umask >/dev/null 2>&1 &&
		fail "umask ran under the traced-only profile"
	"$B/scmp-apply" add.json -- sh -c umask >/dev/null ||
		fail "umask dies under the --static add profile"
	echo "ok: the shell's umask, never traced, dies without --static add and runs with it"
fi

# Architectures: a trace of calls no named executable can make is refused.
python3 - sh.json <<'EOF' || fail "making the arch traces failed"
import json, sys
t = json.load(open(sys.argv[1]))
def variant(out, arch):
    v = dict(t)
    # read and close are 3 and 6 on both i386 and ppc64le
    nrs = {"read": 3, "close": 6}
    v["syscalls"] = [dict(s, arch=arch, nr=nrs[s["name"]]) for s in t["syscalls"] if s.get("name") in nrs]
    json.dump(v, open(out, "w"))
variant("foreign.json", "SCMP_ARCH_PPC64LE")
variant("i386.json", "SCMP_ARCH_X86")
EOF
gen --static report -o foreign.out foreign.json 2>err
[ $? -eq 1 ] || fail "a trace of PPC64LE calls from $(uname -m) executables was accepted"
grep -q "refusing" err && grep -q "SCMP_ARCH_PPC64LE" err || fail "arch refusal message: $(cat err)"
[ ! -e foreign.out ] || fail "a profile was written for a foreign arch"
echo "ok: a profile for an arch no executable can use is refused: $(cat err)"
# Without --static the same trace is no failure: a note, the same profile.
gen -o foreign.out foreign.json 2>err || fail "the default static check failed a foreign trace: $(cat err)"
gen -q --static none -o foreign.none foreign.json || fail "--static none on a foreign trace failed"
cmp -s foreign.out foreign.none || fail "the default static check changed a foreign trace's profile"
grep -q "^scmp-gen: static check skipped: .*(a trace from another machine?)$" err ||
	fail "no note for a foreign trace: $(cat err)"
grep -q "never traced" err && fail "a summary for executables of another arch: $(cat err)"
echo "ok: without --static, a foreign trace gets a note: $(grep "static check" err)"
if [ "$(uname -m)" = x86_64 ]; then
	gen -q --static report -o i386.out i386.json 2>err || fail "int 0x80 calls from an x86_64 executable refused: $(cat err)"
	echo "ok: SCMP_ARCH_X86 calls from an x86_64 executable are accepted (int 0x80)"
fi

# Missing, script and garbage executables are warnings.
printf '#!/bin/sh\ntrue\n' >script.sh
head -c 3000 /dev/urandom >garbage.bin
printf '\177ELF\002\001\001' >truncated.elf
python3 - sh.json "$tmp" <<'EOF' || fail "making the odd trace failed"
import json, sys
t = json.load(open(sys.argv[1]))
d = sys.argv[2]
t["executables"] = ["/nonexistent/prog", d + "/script.sh", d + "/garbage.bin", d + "/truncated.elf"]
for s in t["syscalls"]:
    s["exe"] = [0]
json.dump(t, open("odd.json", "w"))
EOF
gen --static add -o odd.out odd.json 2>err || fail "odd executables made --static fail: $(cat err)"
grep -q "warning: /nonexistent/prog: No such file" err || fail "no warning for a missing executable: $(cat err)"
grep -q "script.sh: a script: reading its interpreter /bin/sh" err || fail "no warning for a script: $(cat err)"
grep -q "garbage.bin: not an ELF file" err || fail "no warning for garbage: $(cat err)"
grep -q "truncated.elf: not an ELF file" err || fail "no warning for a truncated ELF: $(cat err)"
grep -q "script.sh: a script run by /bin/sh, ELF" err || fail "the script's interpreter was not read: $(cat err)"
echo "ok: missing, script, garbage and truncated executables are warnings; scripts are read through \"#!\""

# A trace naming only executables this machine does not have: exit 0, the
# same profile as --static none, one short note and no warnings.
python3 - sh.json <<'EOF' || fail "making the missing trace failed"
import json, sys
t = json.load(open(sys.argv[1]))
t["executables"] = ["/nonexistent/elsewhere/prog"]
for s in t["syscalls"]:
    s["exe"] = [0]
json.dump(t, open("missing.json", "w"))
EOF
gen -o missing.out missing.json 2>err || fail "a trace of a missing executable failed: $(cat err)"
gen -q --static none -o missing.none missing.json || fail "--static none on it failed"
cmp -s missing.out missing.none || fail "the default static check changed the profile of a missing executable"
[ "$(grep -c "static check\|never traced" err)" = 1 ] || fail "want one note: $(cat err)"
grep -q "warning" err && fail "the default check printed warnings: $(cat err)"
grep -q "^scmp-gen: static check skipped: the traced executables are not on this machine or not ELF" err ||
	fail "no note for a missing executable: $(cat err)"
echo "ok: a trace of a missing executable: exit 0, the same profile, $(grep "static check" err)"

# Libraries: DT_RUNPATH with $ORIGIN, imports of a library counted.
if command -v "${CC:-cc}" >/dev/null 2>&1; then
	mkdir -p rp/lib
	printf '#include <sys/socket.h>\nint mylib_open(void) { return socket(AF_INET, SOCK_DGRAM, 0); }\n' >rp/l.c
	printf 'int mylib_open(void);\nint main(void) { return mylib_open() < 0; }\n' >rp/m.c
	"${CC:-cc}" -shared -fPIC -o rp/lib/libmy.so rp/l.c &&
		"${CC:-cc}" -o rp/prog rp/m.c -Lrp/lib -lmy -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib' ||
		fail "building the RUNPATH test program failed"
	python3 - sh.json "$tmp/rp/prog" <<'PY' || fail "making the library trace failed"
import json, sys
t = json.load(open(sys.argv[1]))
t["executables"] = [sys.argv[2]]
t["syscalls"] = [s for s in t["syscalls"] if s.get("name") != "socket"]
for s in t["syscalls"]:
    s["exe"] = [0]
json.dump(t, open("rp.json", "w"))
PY
	gen --static add -o rp.out rp.json 2>err || fail "--static on a RUNPATH program failed: $(cat err)"
	grep -q "socket: through socket in $tmp/rp/lib/libmy.so (loaded by $tmp/rp/prog)" err ||
		fail "the library's socket import was not found through \$ORIGIN: $(cat err)"
	grep -q "static: reachable through socket in $tmp/rp/lib/libmy.so (loaded by $tmp/rp/prog), not observed" rp.out ||
		fail "no static rule for the library's socket"
	echo "ok: DT_RUNPATH \$ORIGIN libraries are read and their imports counted"
fi
