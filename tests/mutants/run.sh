#!/bin/sh
# make check-mutants: each tests/mutants/NAME.patch breaks one production
# line on purpose; every test its "# catch:" line names must FAIL on the
# mutated tree (CI=1, so a skip is no escape).  A mutant that a named test
# lets through survives, and the run fails.  Works on a copy of the tree
# (tracked and untracked files, build output left out) in a temp dir, built
# once and rebuilt incrementally per mutant; the tree itself is never
# touched.  The copy builds without -Werror (CI= WERROR=): a mutant may
# leave a parameter unused; its tests still run with CI=1.
# Usage: sh tests/mutants/run.sh [NAME...]  (HACKING.md: adding one)
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/scmpkit-mutants.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$SRC" || exit 1
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -C "$work" -xf - || exit 1
cd "$work" || exit 1
names=${*:-$(ls "$SRC"/tests/mutants/*.patch | sed 's|.*/||; s|\.patch$||')}
units=$(cat "$SRC"/tests/mutants/*.patch | sed -n 's/^# catch: //p' | tr ' ' '\n' |
	sed -n 's/^unit:\(.*\)/build\/tests\/\1/p' | sort -u)
echo "== building the unmutated copy"
make -s -j2 CI= WERROR= all $units >build.log 2>&1 || { tail -20 build.log; echo "check-mutants: the unmutated tree does not build"; exit 1; }
survived= killed=0
for n in $names; do
	p=$SRC/tests/mutants/$n.patch
	[ -f "$p" ] || { echo "check-mutants: no $p"; exit 1; }
	catch=$(sed -n 's/^# catch: //p' "$p")
	[ -n "$catch" ] || { echo "check-mutants: $n.patch names no test (# catch:)"; exit 1; }
	patch -s -p1 <"$p" || { echo "check-mutants: $n.patch no longer applies: update it"; exit 1; }
	if ! make -s -j2 CI= WERROR= all $units >build.log 2>&1; then
		tail -20 build.log
		echo "check-mutants: $n does not build"
		patch -s -R -p1 <"$p"
		exit 1
	fi
	caught= missed=
	for t in $catch; do
		case $t in
		unit:*) CI=1 "build/tests/${t#unit:}" >test.log 2>&1 ;;
		*) CI=1 timeout -k 10 600 sh tests/run-e2e.sh build "$t" >test.log 2>&1 ;;
		esac
		if [ $? -ne 0 ]; then caught="$caught $t"; else missed="$missed $t"; fi
	done
	patch -s -R -p1 <"$p" || { echo "check-mutants: cannot undo $n"; exit 1; }
	if [ -n "$missed" ]; then
		echo "SURVIVED $n: passed$missed${caught:+ (caught by$caught)}"
		survived="$survived $n"
	else
		echo "KILLED $n: by$caught"
		killed=$((killed + 1))
	fi
done
echo "check-mutants: $killed killed, $(echo $survived | wc -w) survived"
[ -z "$survived" ] || { echo "survived:$survived"; exit 1; }
