#!/bin/sh
# make fuzz: runs each libFuzzer target for SECONDS (default 60) with clang,
# ASan and UBSan, starting from the corpus (tests/fuzz/corpus/<target>/ and
# the fixtures tests/fuzz/corpus/<target>.list names); new crashes land in
# tests/fuzz/crashes/<target>/ so that `make check` replays them forever.
set -eu
secs=${1:-60}
cd "$(dirname "$0")/../.."
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
command -v clang >/dev/null || { echo "make fuzz: clang is needed (apt-get install -y clang)" >&2; exit 1; }
out=build/fuzz-libfuzzer
mkdir -p "$out"
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	corpus=tests/fuzz/corpus/${name#fuzz_}
	crashes=tests/fuzz/crashes/${name#fuzz_}
	fixtures=$out/$name-fixtures
	mkdir -p "$crashes" "$out/$name-corpus"
	# libFuzzer reads directories: the listed fixtures are copied into one.
	rm -rf "$fixtures"
	mkdir -p "$fixtures"
	if [ -f "$corpus.list" ]; then
		i=0
		grep -v '^#' "$corpus.list" | while read -r f; do
			[ -n "$f" ] || continue
			i=$((i + 1))
			cp "$f" "$fixtures/$i-$(basename "$f")"
		done
	fi
	set -- "$out/$name-corpus" "$fixtures"
	[ ! -d "$corpus" ] || set -- "$@" "$corpus"
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -D_GNU_SOURCE \
		$(pkg-config --cflags libseccomp json-c) -o "$out/$name" "$src" lib/*.c \
		$(pkg-config --libs libseccomp libelf json-c) -lpthread
	echo "== $name for ${secs}s"
	"$out/$name" -max_total_time="$secs" -max_len=65536 \
		-artifact_prefix="$crashes/" "$@" || {
		echo "make fuzz: $name found a crash, saved in $crashes/" >&2
		exit 1
	}
done
