#!/bin/sh
# Profiles widen nothing they need not (issue 23, items 3 and 4), on
# samples/escape.c, whose baseline run makes a thread (clone3 in glibc),
# sets a SIGSEGV handler and, with IA32 emulation, makes one i386 call:
#  - clone3 gets ENOSYS: a user namespace through clone3 fails with ENOSYS,
#    and the baseline's thread still runs (glibc falls back to clone);
#  - kill(other, 33) and tgkill(other, other, SIGABRT) get SIGSYS, and the
#    other process lives on; a profile from a trace that sent them allows
#    them;
#  - a profile covering i386 keeps x86_64's W^X rule on mmap;
#  - scmp-apply --check of the profile against its own trace exits 0.
. "$SRC/tests/e2e/lib.sh"
need_notify
tmp=$(mktemp -d)
target=
trap '[ -n "$target" ] && kill "$target" 2>/dev/null; rm -rf "$tmp"' EXIT
esc=$B/samples/escape

run_tool "$B/scmp-trace" -q -o "$tmp/t.json" -- "$esc" none >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q --explain -o "$tmp/p.json" "$tmp/t.json" 2>"$tmp/explain" ||
	fail "gen failed: $(cat "$tmp/explain")"

# The CI gate on the profile's own trace.
run_tool "$B/scmp-apply" --check "$tmp/p.json" --trace "$tmp/t.json" >"$tmp/check" 2>&1 ||
	fail "--check of the profile against its own trace exits $?: $(cat "$tmp/check")"
grep -q "answered ENOSYS" "$tmp/check" ||
	fail "--check does not say that clone3's ENOSYS is an answer on purpose: $(cat "$tmp/check")"

# clone3 with CLONE_NEWUSER: ENOSYS under the profile, and the threads run.
"$esc" clone3user >"$tmp/free" 2>&1
grep -q "escaped clone3user: [1-9]" "$tmp/free" ||
	fail "clone3 of a user namespace does not work without a filter: $(cat "$tmp/free")"
"$B/scmp-apply" "$tmp/p.json" -- "$esc" clone3user >"$tmp/out" 2>&1 ||
	fail "clone3user under the profile exits $?: $(cat "$tmp/out")"
grep -q "escaped clone3user: -1 (Function not implemented)" "$tmp/out" ||
	fail "clone3 of a user namespace is not ENOSYS under the profile: $(cat "$tmp/out")"
grep -q "clone3: .*\|action: ENOSYS in every profile" "$tmp/explain" ||
	fail "--explain does not say why clone3 gets ENOSYS"
note "clone3(CLONE_NEWUSER): ENOSYS under the profile, and the baseline's thread ran (through clone)"

# Signals to another process: SIGSYS, and the target lives on.
# A process for kill33 and abrt to hit, once it has set their default
# actions itself (a parent may have left 32 and 33 ignored); its pid in $!.
start_target() {
	rm -f "$tmp/ready"
	"$esc" target >"$tmp/ready" &
	wait_for grep -q ready "$tmp/ready" || fail "escape target did not start"
}
start_target
target=$!
for a in kill33 abrt; do
	"$B/scmp-apply" "$tmp/p.json" -- "$esc" "$a" "$target" >"$tmp/out" 2>&1
	st=$?
	[ $st -eq 159 ] || fail "$a under the profile: status $st, want 159 (SIGSYS): $(cat "$tmp/out")"
	grep -q "attempt $a" "$tmp/out" || fail "$a: the program died before the attempt: $(cat "$tmp/out")"
	kill -0 "$target" 2>/dev/null || fail "$a: the other process was signalled under the profile"
	echo "ok: $a stopped (SIGSYS), the other process lives"
done
grep -q "tgkill.*SIGABRT\|SIGABRT (needed" "$tmp/explain" &&
	fail "--explain shows tgkill SIGABRT added although the program never aborted"

# ... unless a trace saw the program send them.
for a in kill33 abrt; do
	start_target
	other=$!
	run_tool "$B/scmp-trace" -q -o "$tmp/$a.json" -- "$esc" "$a" "$other" >"$tmp/out" 2>&1 ||
		fail "trace of $a failed: $(cat "$tmp/out")"
	grep -q "escaped $a: 0 (ok)" "$tmp/out" || fail "traced, $a did not send its signal: $(cat "$tmp/out")"
	# The signal ends the sleep: waited for (bounded), never a hang.
	wait_for ended "$other" || { kill "$other"; fail "traced, $a sent its signal and pid $other lives on"; }
	wait "$other" 2>/dev/null
	run_tool "$B/scmp-gen" -q -o "$tmp/$a-p.json" "$tmp/$a.json" || fail "gen of $a failed"
	start_target
	other=$!
	if ! "$B/scmp-apply" "$tmp/$a-p.json" -- "$esc" "$a" "$other" >"$tmp/out" 2>&1; then
		st=$?
		"$B/scmp-trace" -q --baseline "$tmp/$a-p.json" -o "$tmp/new.json" -- "$esc" "$a" "$other" >/dev/null 2>&1
		fail "$a under the profile of a trace that sent it: status $st: $(cat "$tmp/out"); calls beyond the profile: $(syscall_set "$tmp/new.json" | tr '\n' ' ')"
	fi
	wait_for ended "$other" || { kill "$other"; fail "$a under its profile: pid $other lives on"; }
	wait "$other" 2>/dev/null
	echo "ok: $a allowed when the trace sent it"
done

# i386 in the profile: x86_64 mmap(PROT_WRITE|PROT_EXEC) is still stopped.
if grep -q '"SCMP_ARCH_X86"' "$tmp/p.json"; then
	grep -q "old mmap" "$tmp/explain" || fail "--explain does not warn about i386's old mmap"
	"$esc" mmapwx >"$tmp/free" 2>&1
	grep -q "escaped mmapwx: 0" "$tmp/free" || fail "mmapwx does not run without a filter: $(cat "$tmp/free")"
	"$B/scmp-apply" "$tmp/p.json" -- "$esc" mmapwx >"$tmp/out" 2>&1
	st=$?
	[ $st -eq 159 ] || fail "mmapwx under an i386-covering profile: status $st, want 159: $(cat "$tmp/out")"
	note "a profile covering i386 stops x86_64 mmap(PROT_WRITE|PROT_EXEC)"
else
	have ia32 && fail "IA32 emulation is on, but the trace of escape holds no i386 call"
	skip_part no-ia32 "mmapwx: the trace covers no i386 call without IA32 emulation"
fi
