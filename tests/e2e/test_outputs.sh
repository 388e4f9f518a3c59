#!/bin/sh
# What the tools write and read, when the names are hostile (SECURITY.md,
# "The tools themselves"):
# - a symbolic link another user planted in a sticky world-writable
#   directory, as the output or as a directory on the way to it, is
#   refused by all four writers (scmp-gen -o, scmp-trace -o,
#   scmp-apply --export -o, scmp-apply --complain) and the file it points to
#   is left alone; a link the caller owns is replaced, never written through;
# - a FIFO as the output is refused instead of hanging;
# - an output that is one of the inputs is refused;
# - inputs are read up to 256 MiB: /dev/zero and a bigger file are refused;
#   JSON up to 100,000 objects and arrays and 1,000,000 values (memory).
# Planting a link as another user needs root; the rest runs as anyone.
. "$SRC/tests/e2e/lib.sh"
need_cmd timeout mkfifo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
P=tests/data/profiles/fixtures/docker-default.json
T=$tmp/t.json
cat >"$T" <<'EOF'
{"format": "scmpkit-trace", "version": 1, "machine": "SCMP_ARCH_X86_64",
 "executables": [], "syscalls": [
  {"arch": "SCMP_ARCH_X86_64", "name": "read", "nr": 0, "count": 3},
  {"arch": "SCMP_ARCH_X86_64", "name": "exit_group", "nr": 231, "count": 1}]}
EOF
cp "$T" "$tmp/t.orig"
cp "$P" "$tmp/p.json"

# Runs one writer (bounded by timeout, so a hang fails instead of hanging)
# and checks its status, that its message is "TOOL: FILE: ...WHY...", and
# that the program it was given did not run.
# expect WANT_STATUS FILE WHY WHAT CMD...
expect() {
	_want=$1 _file=$2 _why=$3 _what=$4
	shift 4
	rm -f "$tmp/ran"
	timeout 20 "$@" >"$tmp/stdout" 2>"$tmp/err"
	_st=$?
	[ $_st -ne 124 ] || fail "$_what: hung (killed after 20 s)"
	[ $_st -eq "$_want" ] || fail "$_what: status $_st, want $_want ($(cat "$tmp/err"))"
	grep -qF ": $_file: " "$tmp/err" && grep -qF "$_why" "$tmp/err" ||
		fail "$_what: the message does not say '$_file: ...$_why...': $(cat "$tmp/err")"
	[ ! -e "$tmp/ran" ] || fail "$_what: the program ran"
}

# The four writers, each told to write OUT: expect_all OUT WHY WHAT
expect_all() {
	expect 1 "$1" "$2" "$3: scmp-gen -o" "$B/scmp-gen" -q -o "$1" "$T"
	expect 125 "$1" "$2" "$3: scmp-trace -o" "$B/scmp-trace" -q -o "$1" -- touch "$tmp/ran"
	expect 125 "$1" "$2" "$3: scmp-apply --export -o" "$B/scmp-apply" -q --export bpf -o "$1" "$P"
	expect 125 "$1" "$2" "$3: scmp-apply --complain" \
		"$B/scmp-apply" -q --complain "$1" "$P" -- touch "$tmp/ran"
}

# A FIFO (nobody reads it): refused, no hang.
mkfifo "$tmp/fifo"
expect_all "$tmp/fifo" "is a FIFO, not a regular file" "FIFO as output"
[ -p "$tmp/fifo" ] || fail "the FIFO was replaced"

# An output that is one of the inputs: the input is kept.
in="is also an input"
expect 1 "$T" "$in ($T)" "scmp-gen -o INPUT" "$B/scmp-gen" -q -o "$T" "$T"
ln "$T" "$tmp/hard.json"
expect 1 "$tmp/hard.json" "$in ($T)" "scmp-gen -o HARDLINK-TO-INPUT" \
	"$B/scmp-gen" -q -o "$tmp/hard.json" "$tmp/t.orig" "$T"
expect 1 "$T" "$in (<stdin>)" "scmp-gen -o INPUT - <INPUT" \
	sh -c '"$1" -q -o "$2" - <"$2"' sh "$B/scmp-gen" "$T"
cmp -s "$T" "$tmp/t.orig" || fail "scmp-gen overwrote its input"
expect 125 "$tmp/p.json" "$in" "scmp-apply --export -o PROFILE" \
	"$B/scmp-apply" -q --export pfc -o "$tmp/p.json" "$tmp/p.json"
expect 125 "$tmp/p.json" "$in" "scmp-apply --complain PROFILE" \
	"$B/scmp-apply" -q --complain "$tmp/p.json" "$tmp/p.json" -- touch "$tmp/ran"
cmp -s "$tmp/p.json" "$P" || fail "scmp-apply overwrote its profile"

# What still works: "-" and /dev/stdout are standard output, /dev/null a sink,
# and a link the caller owns (outside a shared directory) is replaced by the
# file; the file it pointed to is not written.
"$B/scmp-gen" -q -o - "$T" >"$tmp/stdout" && grep -q defaultAction "$tmp/stdout" ||
	fail "scmp-gen -o - failed"
"$B/scmp-gen" -q -o /dev/stdout "$T" | grep -q defaultAction || fail "scmp-gen -o /dev/stdout failed"
[ -L /dev/stdout ] || fail "/dev/stdout is no longer a link"
"$B/scmp-gen" -q -o /dev/null "$T" || fail "scmp-gen -o /dev/null failed"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
echo precious >"$tmp/mine"
ln -s "$tmp/mine" "$tmp/own-link.json"
"$B/scmp-gen" -q -o "$tmp/own-link.json" "$T" || fail "scmp-gen -o OWN-LINK failed"
[ ! -L "$tmp/own-link.json" ] && grep -q defaultAction "$tmp/own-link.json" ||
	fail "an own link was not replaced by the profile"
[ "$(cat "$tmp/mine")" = precious ] || fail "the file behind an own link was written"

# Inputs: at most 256 MiB, from anything (/dev/zero never ends).
big="larger than 256 MiB"
expect 1 /dev/zero "$big" "scmp-gen /dev/zero" "$B/scmp-gen" -q -o "$tmp/z.json" /dev/zero
expect 125 /dev/zero "$big" "scmp-apply --check /dev/zero" "$B/scmp-apply" -q --check /dev/zero
expect 1 "<stdin>" "$big" "scmp-gen - </dev/zero" \
	sh -c '"$1" -q -o "$2" - </dev/zero' sh "$B/scmp-gen" "$tmp/z.json"
truncate -s 300M "$tmp/big.json"
expect 125 "$tmp/big.json" "$big" "scmp-apply --check BIG" "$B/scmp-apply" -q --check "$tmp/big.json"
# Memory bounded, not only size (issue 24 item 7): 10 MB of empty objects
# would take 2.7 GB in json-c's tree; refused by its count, under a 512 MB
# address-space limit, by both readers.
python3 -c '
import sys
open(sys.argv[1], "w").write("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"x\": [" + ",".join(["{}"] * 3500000) + "]}")
open(sys.argv[2], "w").write("[" + ",".join(["0"] * 5000000) + "]")' "$tmp/objs.json" "$tmp/nums.json"
many="JSON objects and arrays, the most scmpkit reads"
# An AddressSanitizer build maps terabytes of shadow at start, which no
# address-space limit lets through: there the same 512 MB bound is on the
# peak resident memory, measured after the run.
cat >"$tmp/bounded.py" <<'PY'
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if kb > 524288:
    sys.stderr.write("peak resident memory %d KB, over the 524288 KB bound\n" % kb)
    sys.exit(99)
sys.exit(rc)
PY
if ldd "$B/scmp-gen" 2>/dev/null | grep -q libasan; then
	set -- python3 "$tmp/bounded.py"
else
	set -- sh -c 'ulimit -v 524288; exec "$@"' sh
fi
expect 125 "$tmp/objs.json" "$many" "scmp-apply --check OBJECTS" \
	"$@" "$B/scmp-apply" -q --check "$tmp/objs.json"
expect 1 "$tmp/objs.json" "$many" "scmp-gen OBJECTS" \
	"$@" "$B/scmp-gen" -q -o "$tmp/o.json" "$tmp/objs.json"
expect 1 "$tmp/nums.json" "JSON values, the most scmpkit reads" "scmp-gen NUMBERS" \
	"$@" "$B/scmp-gen" -q -o "$tmp/o.json" "$tmp/nums.json"

# A link planted by nobody in a sticky world-writable directory, pointing at
# a file of ours: every writer refuses it, the victim and the link stay.
[ "$(id -u)" = 0 ] || skip "planting a link as another user needs root (the other checks passed)"
need_cmd setpriv
shared=$tmp/shared
mkdir -m 1777 "$shared"
echo precious >"$tmp/victim"
setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$tmp/victim" "$shared/allow.json" ||
	fail "cannot plant a link as nobody"
planted="a symbolic link owned by another user (uid 65534) in a sticky world-writable directory"
expect_all "$shared/allow.json" "$planted" "planted link"
[ "$(cat "$tmp/victim")" = precious ] || fail "the victim was overwritten"
[ -L "$shared/allow.json" ] || fail "the planted link was replaced"
# A dangling one too: no file is created where it points.
setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$tmp/created" "$shared/dangling.json" ||
	fail "cannot plant a link as nobody"
expect_all "$shared/dangling.json" "$planted" "planted dangling link"
[ ! -e "$tmp/created" ] || fail "a file was created through a planted dangling link"
# The caller's own link in the same directory is replaced, not followed.
ln -s "$tmp/victim" "$shared/own.json"
"$B/scmp-gen" -q -o "$shared/own.json" "$T" || fail "scmp-gen -o OWN-LINK-IN-STICKY failed: $?"
[ ! -L "$shared/own.json" ] || fail "the own link in the sticky directory was not replaced"
[ "$(cat "$tmp/victim")" = precious ] || fail "the victim was overwritten through an own link"
# A planted *directory* link on the way (issue 24 item 2): /shared/d ->
# a victim directory, owned by nobody; the output shared/d/allow.json is
# refused by every writer, whatever fs.protected_symlinks says, and
# nothing appears in the victim directory.
mkdir "$tmp/victimdir"
setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$tmp/victimdir" "$shared/d" ||
	fail "cannot plant a directory link as nobody"
planted_dir="d is a symbolic link owned by another user (uid 65534) in a sticky world-writable directory; not following it"
expect_all "$shared/d/allow.json" "$planted_dir" "planted directory link"
[ -z "$(ls -A "$tmp/victimdir")" ] || fail "a file was written through a planted directory link: $(ls -A "$tmp/victimdir")"
# ...also when it is reached through a link of the caller's own.
ln -s "$shared" "$tmp/via"
expect 1 "$tmp/via/d/x.json" "$planted_dir" "planted directory link through an own link" \
	"$B/scmp-gen" -q -o "$tmp/via/d/x.json" "$T"
# The caller's own directory link there is followed.
mkdir "$tmp/mydir"
ln -s "$tmp/mydir" "$shared/mydir"
"$B/scmp-gen" -q -o "$shared/mydir/p.json" "$T" 2>"$tmp/err" || fail "scmp-gen -o through an own directory link failed: $(cat "$tmp/err")"
[ -s "$tmp/mydir/p.json" ] || fail "the own directory link was not followed"
echo "ok: planted links (files and directories), FIFOs and inputs as outputs refused by every writer; oversized inputs refused"
