#!/bin/sh
# make demo: the main job on a sample, end to end.
#   1. scmp-trace records samples/readfile reading a file
#   2. scmp-gen turns the recording into a minimal OCI profile
#   3. scmp-apply runs the same command under that profile: same output
#   4. the same program, asked to call uname(2) as well (a call the trace
#      never saw), is killed by SIGSYS under the profile (status 159), and
#      scmp-apply --report says which call it was and records it
#   5. the profile regenerated with that record runs it
# Output goes to BUILD/demo/.  Exit 0 only when every step behaved.
set -u
B=${1:-build}
D=$B/demo
mkdir -p "$D" || exit 1
prog=$B/samples/readfile
file=/etc/os-release
step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }
die() { echo "demo: $*" >&2; exit 1; }

step "1. trace" "$B/scmp-trace -o $D/trace.json -- $prog $file"
"$B/scmp-trace" -o "$D/trace.json" -- "$prog" "$file" || die "tracing failed"

step "2. generate" "$B/scmp-gen -o $D/allow.json $D/trace.json"
"$B/scmp-gen" -o "$D/allow.json" "$D/trace.json" || die "generating failed"
echo "(Docker's default profile allows 360+ syscalls)"

step "3. apply" "$B/scmp-apply $D/allow.json -- $prog $file"
want=$("$prog" "$file") || die "the program fails even without a filter"
got=$("$B/scmp-apply" "$D/allow.json" -- "$prog" "$file")
rc=$?
echo "$got"
[ $rc -eq 0 ] || die "under its own profile the program exited $rc"
[ "$got" = "$want" ] || die "output under the profile differs from the unfiltered run"
echo "same output as without the filter, exit status 0"

step "4. a call the trace never saw" "$B/scmp-apply --report=$D/denied.json $D/allow.json -- $prog $file --uname"
sh -c '"$@"' sh "$B/scmp-apply" --report="$D/denied.json" "$D/allow.json" -- "$prog" "$file" --uname 2>"$D/report.txt"
rc=$?
cat "$D/report.txt"
[ $rc -eq 159 ] || die "expected the forbidden call to be stopped (exit status 159), got $rc"
grep -q "^scmp-apply: denied uname " "$D/report.txt" || die "scmp-apply --report did not name uname(2)"
echo "killed by SIGSYS (exit status $rc), as without --report; the line above is scmp-apply's own diagnosis"

step "5. refine" "$B/scmp-gen -o $D/allow2.json $D/trace.json $D/denied.json && $B/scmp-apply $D/allow2.json -- $prog $file --uname"
"$B/scmp-gen" -q -o "$D/allow2.json" "$D/trace.json" "$D/denied.json" || die "regenerating failed"
"$B/scmp-apply" "$D/allow2.json" -- "$prog" "$file" --uname || die "the refined profile does not run the program"
printf '\ndemo: all five steps behaved; files in %s/\n' "$D"
