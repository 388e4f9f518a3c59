#!/bin/sh
# The gallery (samples/README.md): real programs hardened with scmpkit.
# For each one, regenerates the profile on this machine exactly as the
# README says (scmp-trace -q, then scmp-gen -q) and compares what it allows
# - the set of (name, action, argument rule) - with the checked-in
# samples/profiles/NAME.json, failing with the difference when that is
# stale; checks the checked-in profile against the trace with scmp-apply
# --check (exit 0); runs the program under the checked-in profile (same
# output, same status); and runs the forbidden action the README names, which must be
# stopped without touching the file system.
#
# GALLERY_UPDATE=1 sh tests/run-e2e.sh build test_gallery.sh
# writes the regenerated profiles to samples/profiles/ instead of failing.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
P=$SRC/samples/profiles
README=$SRC/samples/README.md
[ -f "$README" ] || fail "$README is missing"

# NAME|COMMAND, as samples/README.md shows them; build/ is the build dir.
gallery() {
	cat <<'EOF'
ls|ls -la /usr
tar|sh -c 'tar cf - -C /usr/include linux | wc -c'
python3|/usr/bin/python3 -c 'import json; print(json.dumps({"a": [1, 2]}, sort_keys=True))'
sort|sort -t: -k3,3n /etc/passwd
gzip|gzip -9 -n -c /etc/passwd
sh|sh -c 'n=0; for f in /etc/*.conf; do n=$((n + 1)); done; echo "$n files"; ls /etc | wc -l'
make|sh -c 'printf "all:\n\t@echo built\n" | make -s -f -'
readfile|build/samples/readfile /etc/hostname
EOF
}

# NAME|STATUS|COMMAND: what each profile stops (README "Stopped"); $D is
# a scratch directory holding passwd (a copy of /etc/passwd), a.tar and x/.
stops() {
	cat <<'EOF'
tar|159|tar xf $D/a.tar -C $D/x
python3|159|/usr/bin/python3 -c 'import os; os.system("id")'
sort|159|sort -o $D/sorted /etc/passwd
gzip|159|gzip -f $D/passwd
sh|159|sh -c 'echo hacked > $D/file'
make|2|sh -c 'printf "all:\n\ttouch $D/made\n" | make -s -f -'
readfile|159|build/samples/readfile /etc/hostname --uname
EOF
}

# What a profile allows, one "name action [argument rule]" per line.
cat >"$tmp/rules.py" <<'EOF'
import json, sys

def rules(path):
    p = json.load(open(path))
    out = set()
    for r in p.get("syscalls") or []:
        act = r["action"]
        if "errnoRet" in r:
            act += "(%d)" % r["errnoRet"]
        args = sorted((a["index"], a["op"], a["value"], a.get("valueTwo", 0))
                      for a in r.get("args") or [])
        cond = " && ".join("arg%d %s %#x %#x" % (i, op[9:], v, v2)
                           for i, op, v, v2 in args)
        for n in r.get("names") or [r["name"]]:
            out.add(("%s %s %s" % (n, act, cond)).rstrip())
    return out

def allowed(path):
    p = json.load(open(path))
    return {n for r in p["syscalls"] if r["action"] == "SCMP_ACT_ALLOW"
            for n in r.get("names") or [r["name"]]}

def readme_count(readme, name):
    """The number in the "Allowed" column of NAME's row of the table."""
    for line in open(readme):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 2 and cells[0] == name:
            return cells[1]
    return "no row"

cmd = sys.argv[1]
if cmd == "check":
    # check NAME CHECKED_IN GENERATED README: the difference, one line per
    # rule, then "count ALLOWED README_COUNT"; exit 1 when the sets differ.
    name, old, new, readme = sys.argv[2:6]
    a, b = rules(old), rules(new)
    for x in sorted(a - b):
        print("  only in the checked-in profile: %s" % x)
    for x in sorted(b - a):
        print("  only in the one generated here: %s" % x)
    print("count %d %s" % (len(allowed(old)), readme_count(readme, name)))
    sys.exit(a != b)
elif cmd == "docker":
    print(len({n for r in json.load(open(sys.argv[2]))["syscalls"]
               for n in r.get("names") or [r["name"]]}))
EOF
RULES="python3 $tmp/rules.py"
update=${GALLERY_UPDATE:-0}
[ "$update" = 1 ] && refuse_update GALLERY_UPDATE

# A README that disagrees fails the test, except while regenerating.
readme_fail() {
	[ "$update" = 1 ] && { note "README: $*"; return 0; }
	fail "$*"
}

# Commands are shell words: split them as the README's reader's shell would.
# shellcheck disable=SC2016
expand() { printf '%s\n' "$1" | sed -e "s|^build/|$B/|" -e "s|[$]D|$tmp/s|g"; }

# The gallery's fixed environment (samples/README.md says it): what a
# program calls depends on it - LANG=C.UTF-8 makes ls take a futex while
# loading the locale, an unset HOME makes python3 ask the name service, over
# an AF_UNIX socket to nscd, for the home directory.  Sanitizer options pass.
genv() {
	for _v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
		eval "_x=\${$_v-}"
		[ -n "$_x" ] && set -- "$_v=$_x" "$@"
	done
	env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/root "$@"
}
grep -qF 'env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/root' "$README" ||
	readme_fail "samples/README.md does not give the gallery's environment"

have_prereqs() { # NAME
	case $1 in
	ls | sort | sh) return 0 ;;
	tar) command -v tar >/dev/null && [ -d /usr/include/linux ] ;;
	python3) [ -x /usr/bin/python3 ] ;;
	gzip) command -v gzip >/dev/null ;;
	make) command -v make >/dev/null ;;
	readfile) [ -x "$B/samples/readfile" ] ;;
	esac
}

docker_n=$($RULES docker "$SRC/tests/data/profiles/fixtures/docker-default.json") ||
	fail "cannot count Docker's default profile"
grep -q "$docker_n" "$README" ||
	readme_fail "samples/README.md does not give Docker's count, $docker_n names in tests/data/profiles/fixtures/docker-default.json"

stale= n=0 total=0
gallery >"$tmp/gallery"
while IFS='|' read -r name cmd; do
	grep -qF -- "-- $cmd" "$README" ||
		readme_fail "samples/README.md does not show the command for $name: -- $cmd"
	grep -qF "profiles/$name.json" "$README" ||
		readme_fail "samples/README.md does not link profiles/$name.json"
	total=$((total + 1))
	if ! have_prereqs "$name"; then
		skip_part not-installed "$name: what it runs is not installed here"
		continue
	fi
	eval "set -- $(expand "$cmd")"
	genv "$B/scmp-trace" -q -o "$tmp/$name.trace.json" -- "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc_traced=$?
	run_tool "$B/scmp-gen" -q -o "$tmp/$name.json" "$tmp/$name.trace.json" 2>"$tmp/err" ||
		fail "$name: scmp-gen failed: $(cat "$tmp/err")"
	if [ "$update" = 1 ]; then
		mkdir -p "$P" && cp "$tmp/$name.json" "$P/$name.json" || fail "cannot write $P/$name.json"
		note "$name: wrote samples/profiles/$name.json"
	fi
	[ -f "$P/$name.json" ] || fail "samples/profiles/$name.json is missing (GALLERY_UPDATE=1 writes it)"
	if ! $RULES check "$name" "$P/$name.json" "$tmp/$name.json" "$README" >"$tmp/check"; then
		stale="$stale $name"
		echo "STALE: samples/profiles/$name.json differs from the profile generated here for: $cmd"
		grep -v '^count ' "$tmp/check"
		continue
	fi
	# The README's count is the checked-in profile's.
	read -r _ want got <<EOF
$(grep '^count ' "$tmp/check")
EOF
	[ "$got" = "$want" ] ||
		readme_fail "samples/README.md gives $name $got allowed syscalls; samples/profiles/$name.json allows $want"
	# The CI gate on the profile's own trace (issue 23): every call the
	# trace recorded passes, or gets the ENOSYS scmp-gen chose on purpose.
	"$B/scmp-apply" --check "$P/$name.json" --trace "$tmp/$name.trace.json" >"$tmp/err" 2>&1 ||
		fail "$name: scmp-apply --check samples/profiles/$name.json --trace (its own trace) exits $?: $(grep -v '^ ' "$tmp/err" | head -5)"
	# The program under its checked-in profile: same output, same status.
	genv "$B/scmp-apply" "$P/$name.json" -- "$@" </dev/null >"$tmp/$name.applied" 2>"$tmp/err"
	rc=$?
	[ $rc -eq $rc_traced ] ||
		fail "$name: exit status $rc under samples/profiles/$name.json, $rc_traced traced: $(head -c 300 "$tmp/err")"
	cmp -s "$tmp/$name.out" "$tmp/$name.applied" ||
		fail "$name: output under samples/profiles/$name.json differs: $(diff "$tmp/$name.out" "$tmp/$name.applied" | head -5)"
	n=$((n + 1))
	echo "ok: $name: runs under samples/profiles/$name.json ($want syscalls allowed, Docker's default lists $docker_n)"
done <"$tmp/gallery"

[ -z "$stale" ] || fail "stale gallery profiles:$stale; regenerate with
  GALLERY_UPDATE=1 sh tests/run-e2e.sh build test_gallery.sh
and update the counts in samples/README.md"
[ $total -eq 8 ] || fail "samples/README.md lists $total gallery programs, want 8"
[ $n -eq $total ] || note "only $n of the $total gallery programs could run here"

# What each profile stops: the forbidden action fails, nothing is written.
stops >"$tmp/stops"
while IFS='|' read -r name status cmd; do
	grep -qF -- "-- $cmd" "$README" ||
		readme_fail "samples/README.md does not show what $name's profile stops: -- $cmd"
	have_prereqs "$name" || continue
	rm -rf "$tmp/s" && mkdir -p "$tmp/s/x" && cp /etc/passwd "$tmp/s/passwd" || fail "cannot set up $tmp/s"
	if [ "$name" = tar ]; then
		tar cf "$tmp/s/a.tar" -C /usr/include linux/types.h || fail "cannot make a tar file"
	fi
	find "$tmp/s" | sort >"$tmp/before"
	eval "set -- $(expand "$cmd")"
	# In a subshell, so that its stderr takes the shell's "Bad system call".
	(genv "$B/scmp-apply" "$P/$name.json" -- "$@"; echo $? >"$tmp/rc") </dev/null >"$tmp/out" 2>&1
	rc=$(cat "$tmp/rc")
	[ "$rc" = "$status" ] ||
		fail "$name: under its profile, $cmd: status $rc, want $status: $(head -c 300 "$tmp/out")"
	find "$tmp/s" | sort >"$tmp/after"
	cmp -s "$tmp/before" "$tmp/after" ||
		fail "$name: $cmd changed the file system under its profile: $(diff "$tmp/before" "$tmp/after")"
	echo "ok: $name: stopped (status $rc, nothing written): $cmd"
done <"$tmp/stops"
