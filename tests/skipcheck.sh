#!/bin/sh
# Is a skip allowed under CI?  Usage: sh tests/skipcheck.sh B TEST CONDITION
# Exit 0 when (TEST, CONDITION) is in tests/skips.allowed (a unit test
# unit:BIN:FUNC also matches unit:BIN:*) and the condition holds on this
# machine, checked here; otherwise exit 1 saying why.  B: the build
# directory (for $B/tests/probe).
set -u
B=$1 test=$2 cond=$3
list=$(dirname "$0")/skips.allowed
listed=$(awk -v t="$test" -v c="$cond" '
	/^#/ || NF < 2 { next }
	{ star = $1; sub(/:[^:]*$/, ":*", star) }
	($1 == t || (t ~ /^unit:/ && $1 == star)) && $2 == c { found = 1 }
	END { print found + 0 }' "$list")
[ "$listed" = 1 ] || { echo "not in tests/skips.allowed"; exit 1; }
case $cond in
no-*)
	if "$B/tests/probe" "${cond#no-}" >/dev/null 2>&1; then
		echo "the condition $cond does not hold: probe ${cond#no-} succeeds here"
		exit 1
	fi ;;
not-x86_64)
	[ "$(uname -m)" != x86_64 ] || { echo "the condition $cond does not hold: this is x86_64"; exit 1; } ;;
not-root)
	[ "$(id -u)" != 0 ] || { echo "the condition $cond does not hold: running as root"; exit 1; } ;;
klog-dropped)
	dmesg 2>/dev/null | grep -q "kauditd_printk_skb: [0-9]* callbacks suppressed" ||
		{ echo "the condition $cond does not hold: the kernel log shows no dropped records"; exit 1; } ;;
*)
	echo "unknown condition $cond in tests/skips.allowed"; exit 1 ;;
esac
exit 0
