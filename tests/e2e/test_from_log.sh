#!/bin/sh
# scmp-trace --from-log (issue 15, item 4): learning from production logs.
# First the command line on captured-looking lines: what it takes with it,
# skipped lines counted, hex exe decoded, a malformed record refused with
# its line.  Then a real run: a profile of readfile applied with a log
# default to `readfile --uname` runs to the end while the kernel writes a
# type=1326 record for uname; those records, taken from the kernel log,
# become a trace that scmp-gen merges, and the refined profile runs the
# program under enforcement.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
T=$B/scmp-trace
rf=$B/samples/readfile

status() { "$@" >/dev/null 2>"$tmp/usage.err"; echo $?; }

# ---- the command line ----
task='auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=812 comm="ls"'
{
	echo "[ 3700.932462] audit: type=1326 audit(1700000000.123:456): $task exe=\"/usr/bin/ls\" sig=0 arch=c000003e syscall=89 compat=0 ip=0x7f3c1b2d4e5b code=0x7ffc0000"
	echo "[ 3700.932500] usb 1-1: new high-speed USB device number 2 using xhci_hcd"
	echo "type=SYSCALL msg=audit(1700000000.100:455): arch=c000003e syscall=59 success=yes exit=0 pid=812 comm=\"ls\" exe=\"/usr/bin/ls\""
	echo "type=SECCOMP msg=audit(1700000001.000:457): $task exe=2F7573722F62696E2F6D792070726F67 sig=31 arch=c000003e syscall=63 compat=0 ip=0x1 code=0x80000000"
	echo "Nov 14 22:13:20 host audit[812]: SECCOMP $task exe=\"/usr/bin/ls\" sig=0 arch=40000003 syscall=64 compat=1 ip=0x1 code=0x7ffc0000"
	echo "Nov 14 22:13:21 host kernel: Linux version 6.1.0"
} >"$tmp/k.log"

for args in "-- true" "-p 1" "--backend ptrace" "--errors" "--baseline $tmp/k.log" "--supervisors 2"; do
	# shellcheck disable=SC2086
	rc=$(status "$T" -o "$tmp/x.json" --from-log "$tmp/k.log" $args)
	[ "$rc" = 125 ] || fail "--from-log with $args: status $rc, want 125 (bad usage)"
	grep -q -- "--from-log" "$tmp/usage.err" || fail "--from-log with $args: the message does not say why: $(cat "$tmp/usage.err")"
done
rc=$(status "$T" --from-log)
[ "$rc" = 125 ] || fail "--from-log without FILE: status $rc, want 125"
[ ! -e "$tmp/x.json" ] || fail "a trace was written despite bad usage"

"$T" --from-log "$tmp/k.log" -o "$tmp/k.json" 2>"$tmp/err" || fail "--from-log failed: $(cat "$tmp/err")"
grep -q "k.log: 3 seccomp records: 3 distinct calls from 2 executables; 3 other lines skipped" "$tmp/err" ||
	fail "the summary on stderr is not what was read: $(cat "$tmp/err")"
syscall_set "$tmp/k.json" >"$tmp/set"
[ "$(cat "$tmp/set")" = "SCMP_ARCH_X86 getppid
SCMP_ARCH_X86_64 readlink
SCMP_ARCH_X86_64 uname" ] || fail "the log's trace holds: $(cat "$tmp/set")"
python3 - "$tmp/k.json" <<'PY' || fail "the log's trace is not what the records say"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["backend"] == "audit-log", t["backend"]
assert t["executables"] == ["/usr/bin/ls", "/usr/bin/my prog"], t["executables"]
assert all("args" not in s and "argidx" not in s for s in t["syscalls"]), t["syscalls"]
PY
# From stdin, quietly, to stdout.
"$T" -q --from-log - -o - <"$tmp/k.log" >"$tmp/k2.json" 2>"$tmp/err" || fail "--from-log - failed: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "-q still printed: $(cat "$tmp/err")"
[ "$(syscall_set "$tmp/k2.json")" = "$(cat "$tmp/set")" ] || fail "stdin gave another trace"
# A malformed record: its line, status 125, nothing written.
cp "$tmp/k.log" "$tmp/bad.log"
echo "audit: type=1326 audit(1700000002.000:458): $task exe=2F7 arch=c000003e syscall=89" >>"$tmp/bad.log"
"$T" --from-log "$tmp/bad.log" -o "$tmp/bad.json" 2>"$tmp/err"
rc=$?
[ $rc -eq 125 ] || fail "a malformed record: status $rc, want 125"
grep -q "bad.log:7: exe=2F7: an odd number of hex digits" "$tmp/err" || fail "the message does not name the line: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.json" ] || fail "a trace was written for a malformed log"
# The log is never replaced by its trace.
"$T" -q --from-log "$tmp/k.log" -o "$tmp/k.log" 2>"$tmp/err"
[ $? -eq 125 ] || fail "-o naming the log itself was not refused"
grep -q "also an input" "$tmp/err" || fail "-o naming the log: $(cat "$tmp/err")"
# scmp-gen takes it like any other trace.
run_tool "$B/scmp-gen" -q -o "$tmp/kp.json" "$tmp/k.json" || fail "scmp-gen refused the log's trace"
# The kernel dropped records (printk's rate limit): the trace says it is
# incomplete and why, and scmp-gen warns about it.
cp "$tmp/k.log" "$tmp/lost.log"
echo "[ 3701.000000] kauditd_printk_skb: 17 callbacks suppressed" >>"$tmp/lost.log"
"$T" -q --from-log "$tmp/lost.log" -o "$tmp/lost.json" 2>"$tmp/err" || fail "--from-log with a dropped-records line failed: $(cat "$tmp/err")"
python3 - "$tmp/lost.json" "$tmp/k.json" <<'PY' || fail "a log with dropped records left the trace complete"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["complete"] is False, t.get("complete")
assert "lost.log:7" in t["incomplete_reason"] and "dropped" in t["incomplete_reason"], t["incomplete_reason"]
assert json.load(open(sys.argv[2]))["complete"] is True
PY
echo "ok: --from-log's command line, summary, hex exe, stdin, malformed record, dropped records"

# ---- a real run, through the kernel log ----
need_seccomp
[ "$(uname -m)" = x86_64 ] || skip_on not-x86_64 "the live part expects x86_64 records (this is $(uname -m))"
logged=/proc/sys/kernel/seccomp/actions_logged
need_kernel seclog

# The kernel log, from the first place that can be read here.
if dmesg >/dev/null 2>"$tmp/dmesg.err"; then
	klog() { dmesg; }
	src=dmesg
elif journalctl -k -q -b -n 1 --no-pager 2>/dev/null | grep -q .; then
	klog() { journalctl -k -q -b --no-pager; }
	src="journalctl -k"
elif [ -r /var/log/audit/audit.log ]; then
	klog() { cat /var/log/audit/audit.log; }
	src=/var/log/audit/audit.log
else
	skip_on no-kmsg "cannot read the kernel log: dmesg says \"$(head -1 "$tmp/dmesg.err")\", journalctl -k shows nothing, no readable audit.log (run as root, or sysctl kernel.dmesg_restrict=0)"
fi
# With auditd running, the records go to its log, not the kernel's.
if pgrep -x auditd >/dev/null 2>&1; then
	[ -r /var/log/audit/audit.log ] || skip "auditd is running, and /var/log/audit/audit.log cannot be read"
	klog() { cat /var/log/audit/audit.log; }
	src=/var/log/audit/audit.log
fi
note "reading the kernel's records from $src"

need_notify
run_tool "$T" -q -o "$tmp/t.json" -- "$rf" /etc/hostname >/dev/null || fail "trace failed"
run_tool "$B/scmp-gen" -q -o "$tmp/p.json" "$tmp/t.json" || fail "gen failed"
# Enforced, --uname is killed (the profile lacks uname).
sh -c '"$@"' sh "$B/scmp-apply" "$tmp/p.json" -- "$rf" /etc/hostname --uname >/dev/null 2>&1
rc=$?
[ $rc -eq 159 ] || fail "under enforcement the missing call was not stopped (status $rc)"

# This run's records: its pid (scmp-apply execs the program), stamped
# since it started (a pid is reused; the log holds other runs).
records() { # PID SINCE
	klog 2>/dev/null | grep -aE 'type=1326 audit\(|type=SECCOMP msg=audit\(' | grep -aF " pid=$1 " |
		awk -v since="$2" '{ if (match($0, /audit\([0-9]+\./)) {
			s = substr($0, RSTART + 6, RLENGTH - 7); if (s + 0 >= since) print } }'
}
got_records() { records "$pid" "$since" >"$tmp/prod.log" && [ -s "$tmp/prod.log" ]; }

# printk lets 10 records through every 5 s by default (what it drops shows
# as "kauditd_printk_skb: N callbacks suppressed"), and other programs on
# the host share that budget: try three runs.
try=1
while :; do
	since=$(($(date +%s) - 1))
	"$B/scmp-apply" -d log "$tmp/p.json" -- "$rf" /etc/hostname --uname >"$tmp/out" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	[ $rc -eq 0 ] || fail "under -d log the program did not run to the end (status $rc): $(cat "$tmp/out")"
	grep -q "^kernel: " "$tmp/out" || fail "under -d log uname did not run: $(cat "$tmp/out")"
	wait_for got_records && break
	if [ $try -ge 3 ]; then
		klog 2>/dev/null | grep -q "kauditd_printk_skb: [0-9]* callbacks suppressed" &&
			skip_on klog-dropped "no type=1326 record of pid $pid in $src after 3 runs, and the kernel says it dropped records (printk's rate limit)"
		fail "no type=1326 record of pid $pid in $src after 3 runs, and the kernel says it dropped none"
	fi
	try=$((try + 1))
	sleep 5
done
note "the kernel logged $(wc -l <"$tmp/prod.log") record(s) for pid $pid"

"$T" --from-log - -o "$tmp/prod.json" <"$tmp/prod.log" 2>"$tmp/err" || fail "--from-log failed: $(cat "$tmp/err")"
grep -q "seccomp record" "$tmp/err" || fail "no summary on stderr: $(cat "$tmp/err")"
syscall_set "$tmp/prod.json" >"$tmp/set"
grep -qx "SCMP_ARCH_X86_64 uname" "$tmp/set" || fail "the logged trace lacks uname: $(cat "$tmp/set")
records:
$(cat "$tmp/prod.log")"
python3 - "$tmp/prod.json" "$(readlink -f "$rf")" <<'PY' || fail "the logged trace does not name readfile"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["backend"] == "audit-log", t["backend"]
assert t["executables"] == [sys.argv[2]], t["executables"]
PY
# Merged, the refined profile runs the program under enforcement.
run_tool "$B/scmp-gen" -q -o "$tmp/p2.json" "$tmp/t.json" "$tmp/prod.json" || fail "merge failed"
"$B/scmp-apply" "$tmp/p2.json" -- "$rf" /etc/hostname --uname >"$tmp/out" 2>&1 ||
	fail "the refined profile does not run the program: $(cat "$tmp/out")"
grep -q "^kernel: " "$tmp/out" || fail "refined profile: no uname output"
echo "ok: a log-default run's kernel records ($src) became a trace; merged, the program passes"
