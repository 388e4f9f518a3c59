#!/bin/sh
# scmp-apply --check and --export: the summary, raw BPF of 8 bytes per
# instruction (the count --check reports), PFC text; nothing runs.
set -u
F=tests/data/profiles/fixtures
A="$B/scmp-apply"
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

"$A" -q --check "$F/docker-default.json" >"$tmp/check" || fail "--check failed"
head -1 "$tmp/check" | grep -qx "$F/docker-default.json: ok" || fail "--check: $(cat "$tmp/check")"
grep -qx "default action: SCMP_ACT_ERRNO(1)" "$tmp/check" || fail "--check default: $(cat "$tmp/check")"
grep -qx "allows [0-9]* distinct syscalls; rules: 33 ([0-9]* active here)" "$tmp/check" || fail "--check rules: $(cat "$tmp/check")"
if [ "$(uname -m)" = x86_64 ]; then
	grep -qx "architectures: SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32" "$tmp/check" ||
		fail "--check arches: $(cat "$tmp/check")"
fi
n=$(sed -n 's/^BPF instructions: \([0-9]*\) .*/\1/p' "$tmp/check")
[ -n "$n" ] && [ "$n" -gt 100 ] && [ "$n" -le 4096 ] || fail "--check BPF count '$n'"

"$A" -q --export bpf "$F/docker-default.json" >"$tmp/bpf" || fail "--export bpf failed"
size=$(wc -c <"$tmp/bpf")
[ "$size" -eq $((8 * n)) ] || fail "--export bpf: $size bytes, want 8 * $n"
"$A" -q --export bpf -o "$tmp/bpf2" "$F/docker-default.json" || fail "--export bpf -o failed"
cmp -s "$tmp/bpf" "$tmp/bpf2" || fail "--export -o differs from stdout"
"$A" -q --export pfc -o "$tmp/pfc" "$F/docker-default.json" || fail "--export pfc failed"
grep -q "^# pseudo filter code start" "$tmp/pfc" || fail "--export pfc: no PFC header"
grep -q "action ERRNO(1);" "$tmp/pfc" || fail "--export pfc: no default action"

# Warnings go to stderr unless -q; --strict turns unknown names into errors.
"$A" --check "$F/docker-default.json" 2>"$tmp/warn" >/dev/null || fail "--check without -q failed"
grep -q "^scmp-apply: warning: $F/docker-default.json: syscalls\[0\]: skipping [0-9]* names unknown to libseccomp" "$tmp/warn" ||
	fail "no warning for unknown names: $(cat "$tmp/warn")"
"$A" -q --strict --check "$F/docker-default.json" >/dev/null 2>"$tmp/err"
[ $? -eq 125 ] || fail "--strict did not refuse unknown names"
grep -q "(--strict)" "$tmp/err" || fail "--strict message: $(cat "$tmp/err")"
# A bad profile under --check: 125 and no summary.
printf '{"defaultAction": "SCMP_ACT_NOPE"}' >"$tmp/bad.json"
"$A" --check "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 125 ] || fail "--check of a bad profile: not 125"
[ ! -s "$tmp/out" ] || fail "--check printed a summary for a bad profile"
[ "$(cat "$tmp/err")" = "scmp-apply: $tmp/bad.json: defaultAction: unknown action \"SCMP_ACT_NOPE\"" ] ||
	fail "--check message: $(cat "$tmp/err")"
"$A" --check "$F/docker-default.json" -- true 2>/dev/null
[ $? -eq 125 ] || fail "--check with a program: not 125"
# Profiles that only have to load (fixtures/parse-only/): --check passes and
# warns that no program could be started under them.
for f in "$F"/parse-only/*.json; do
	"$A" --check "$f" >"$tmp/out" 2>"$tmp/err" || fail "--check $f: $(cat "$tmp/err")"
	grep -q "^$f: ok$" "$tmp/out" || fail "--check $f: no summary"
	grep -q "warning: $f: the profile does not allow execve" "$tmp/err" || fail "--check $f: no execve warning: $(cat "$tmp/err")"
done
grep -q "syscalls\[3\].errnoRet: 12345 is beyond" "$tmp/err" || fail "moby-example: no warning for errnoRet 12345"
echo "ok: --check and --export"
