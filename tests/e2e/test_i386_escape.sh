#!/bin/sh
# i386 argument rules that compared the wrong thing (issue 13 item 2), with
# samples/i386args.c.  A profile traced from a run that made one int 0x80
# covers i386, and its argument rules apply there too:
#  - socketcall: libseccomp copies the rule on "socket" onto
#    socketcall(SYS_SOCKET), comparing the type with socketcall's pointer and
#    the protocol with edx; an args buffer at 0x80801 passed it and gave an
#    AF_INET socket.  Now socketcall(SYS_SOCKET) is denied on i386 (it was
#    not called), and the socket rule still holds on x86_64.
#  - oldmmap: i386's mmap is the old mmap, whose prot is in memory; the W^X
#    rule compares edx there.  An OCI rule cannot be limited to one arch;
#    since issue 23 mmap keeps x86_64's W^X rules (dropping them opened
#    x86_64 instead), and scmp-gen warns that i386's old mmap, which glibc
#    never calls and the trace did not, is the hole; nothing claims
#    otherwise.
# Then a run that does make those i386 calls: they go by name alone, as
# --explain says.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
need_notify
prog=$B/samples/i386args
have ia32 || skip_on no-ia32 "$("$PROBE" ia32)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$prog" none >none.out 2>&1 || fail "the kernel runs int 0x80 and $prog none fails: $(cat none.out)"

# The argument rules on a name in a profile: "none" when it has a rule
# without, else each rule's indices ("0,1,2"); nothing when not named.
args_of() { # PROFILE NAME
	python3 - "$1" "$2" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
for r in p["syscalls"]:
    if sys.argv[2] in r["names"]:
        a = r.get("args") or []
        print(",".join(str(x["index"]) for x in a) or "none", r["action"])
EOF
}

"$B/scmp-trace" -q -o t.json -- "$prog" none >/dev/null 2>trace.err || fail "trace failed: $(cat trace.err)"
grep -q '"SCMP_ARCH_X86"' t.json || fail "the int 0x80 getpid was not recorded as i386"
run_tool "$B/scmp-gen" -e -o p.json t.json 2>explain.txt || fail "gen failed: $(cat explain.txt)"
"$B/scmp-apply" p.json -- "$prog" none >out 2>&1 || fail "the traced run fails under its profile: $(cat out)"

# socketcall: stopped, where the socket rule stays for x86_64.
"$prog" socketcall >free 2>&1
grep -q "escaped socketcall: ok" free || fail "the attempt does not even work without a filter: $(cat free)"
sh -c '"$@"' sh "$B/scmp-apply" p.json -- "$prog" socketcall >out 2>&1
st=$?
grep -q "attempt socketcall" out || fail "socketcall: the program died before the attempt: $(cat out)"
grep -q "escaped socketcall: ok" out && fail "socketcall: an AF_INET socket through socketcall escaped the profile: $(cat out)"
if [ $st -eq 159 ]; then
	echo "ok: socketcall(SYS_SOCKET, AF_INET) with its pointer at 0x80801 stopped (SIGSYS)"
else
	grep -q "escaped socketcall: Operation not permitted" out || fail "socketcall: status $st, $(cat out)"
	echo "ok: socketcall(SYS_SOCKET, AF_INET) with its pointer at 0x80801 stopped (EPERM)"
fi
args_of p.json socket | grep -q "^0,1,2 SCMP_ACT_ALLOW" || fail "socket lost its x86_64 rule: $(args_of p.json socket)"
args_of p.json socketcall | grep -q "^0 SCMP_ACT_ERRNO" || fail "no denial of socketcall(SYS_SOCKET): $(args_of p.json socketcall)"
grep -q "a rule listed first denies socketcall(SYS_SOCKET) there" explain.txt || fail "--explain does not say why socketcall is denied"
"$B/scmp-apply" p.json -- "$prog" inet >out 2>&1
[ $? -eq 159 ] || fail "socket(AF_INET) on x86_64 not stopped: $(cat out)"
echo "ok: socket(AF_INET) on x86_64 still stopped (SIGSYS)"

# oldmmap: mmap keeps x86_64's W^X rules, and scmp-gen says where they do
# not hold.
args_of p.json mmap | grep -q "^2 SCMP_ACT_ALLOW" || fail "mmap lost its W^X rules: $(args_of p.json mmap)"
grep -q "warning: mmap: its rules on the prot (W^X) hold on the other architectures; on SCMP_ARCH_X86, mmap is the old mmap" explain.txt ||
	fail "no warning that i386's old mmap is not held to W^X: $(head -3 explain.txt)"
grep -q "WARNING: mmap: its rules" explain.txt || fail "--explain does not say where mmap's rules do not hold"
"$prog" oldmmap >free 2>&1
grep -q "wrote and ran code" free || fail "the old mmap does not even give RWX without a filter: $(cat free)"
sh -c '"$@"' sh "$B/scmp-apply" p.json -- "$prog" oldmmap >out 2>&1
note "oldmmap under the profile (the rule compares edx there, as scmp-gen warns; an OCI profile cannot deny mmap on i386 only): $(grep -E '^(oldmmap|escaped)' out | tr '\n' ' ')"
echo "ok: mmap keeps W^X for x86_64, with the warning for i386's old mmap"

# A run that makes the i386 calls itself: both go by name alone there.
"$B/scmp-trace" -q -o t386.json -- "$prog" i386 >/dev/null 2>trace.err || fail "trace of the i386 run failed: $(cat trace.err)"
run_tool "$B/scmp-gen" -e -o p386.json t386.json 2>explain386.txt || fail "gen failed: $(cat explain386.txt)"
[ "$(args_of p386.json mmap)" = "none SCMP_ACT_ALLOW" ] || fail "i386 run: mmap has argument rules: $(args_of p386.json mmap)"
args_of p386.json socketcall | grep -q "^0 SCMP_ACT_ALLOW" || fail "i386 run: socketcall(SYS_SOCKET) not allowed: $(args_of p386.json socketcall)"
args_of p386.json socketcall | grep -q ERRNO && fail "i386 run: socketcall(SYS_SOCKET) denied although called"
grep -q "mmap is the old mmap" explain386.txt || fail "i386 run: --explain does not say why mmap goes by name alone"
grep -q "its own arguments are behind a pointer and never compared" explain386.txt || fail "i386 run: --explain does not say what socketcall's rule cannot see"
"$B/scmp-apply" p386.json -- "$prog" i386 >out 2>&1 || fail "the i386 run fails under its profile: $(cat out)"
echo "ok: a run making the i386 calls gets them by name alone, explained"
