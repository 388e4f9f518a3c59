#!/bin/sh
# scmp-gen's output, byte for byte, on fixed traces: the gallery's programs
# (tests/data/gen/traces, recorded with scmp-trace -q as samples/README.md
# runs them) and a hand-made trace with i386 calls.  Every format, every
# --args mode, three default actions, and --explain, are compared with
# tests/data/gen/golden/NAME.txt; a refactor of the generator must leave
# them unchanged, and a change of behaviour shows here line by line.
#
# GOLDEN_UPDATE=1 sh tests/run-e2e.sh build test_gen_golden.sh
# rewrites the golden files instead of failing (review the diff).
. "$SRC/tests/e2e/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=tests/data/gen

# One variant per line: the options given to scmp-gen.
variants() {
	cat <<'V'
--explain
--explain -a none -d errno
--explain -a tuples -m 2 -d log
-a tuples -d errno:38
-a none -d log
-f systemd
-f minijail
-f c
-f spo
V
}

golden() { # NAME TRACE...
	_name=$1
	shift
	variants | while read -r opts; do
		echo "=== scmp-gen $opts $*"
		# --static none: the default static check reads this machine's
		# binaries, so its line would differ from one host to the next
		# (test_gen_static.sh tests it); the golden files do not show it.
		# shellcheck disable=SC2086 # opts are words
		run_tool "$B/scmp-gen" --static none -o - $opts "$@" 2>&1
		echo "=== exit $?"
	done
}

n=0 stale=
for t in "$D"/traces/*.json; do
	name=$(basename "$t" .json)
	golden "$name" "$t" >"$tmp/$name.txt"
	n=$((n + 1))
done
golden all "$D"/traces/*.json >"$tmp/all.txt"
# Two hosts: rules for some hosts only (includes.arches), which systemd,
# minijail and spo refuse.
golden hosts "$D"/traces/readfile.json "$D"/hosts/arm64host.json >"$tmp/hosts.txt"
for f in "$tmp"/*.txt; do
	name=$(basename "$f")
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		refuse_update GOLDEN_UPDATE
		cp "$f" "$D/golden/$name"
	elif ! cmp -s "$f" "$D/golden/$name"; then
		diff -u "$D/golden/$name" "$f" | head -40
		stale="$stale $name"
	fi
done
[ -z "$stale" ] || fail "scmp-gen output differs from the golden files:$stale
  (a change of behaviour: GOLDEN_UPDATE=1 sh tests/run-e2e.sh build test_gen_golden.sh, and review the diff)"
note "$n traces, their union and a two-host pair, $(variants | wc -l) variants each: byte-identical"
