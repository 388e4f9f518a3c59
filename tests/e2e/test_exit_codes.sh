#!/bin/sh
# One exit-code rule (issue 13 item 8), written once in README.md's "Exit
# status" table and said the same way everywhere: for each tool, the codes
# of that row for bad input, bad usage and (for the two tools that run a
# program) a program not found or not executable are the codes the tool
# exits with, the codes its man page's EXIT STATUS gives for "bad input"
# and "bad usage", and codes its --help lists.
. "$SRC/tests/e2e/lib.sh"
need_cmd python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "TOOL INPUT USAGE NOTFOUND NOTEXEC" per row of the README table.
python3 - "$SRC/README.md" >"$tmp/rows" <<'PY' || fail "README.md: no Exit status table"
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^## Exit status\n(.*?)(?=^## )", text, re.S | re.M)
if not m:
    sys.exit("no '## Exit status' section")
rows = 0
for line in m.group(1).splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 5 or not cells[0].startswith("scmp-"):
        continue
    nf = cells[4].replace(" ", "").split("/")
    nf = nf if len(nf) == 2 else ["-", "-"]
    print(cells[0], cells[2], cells[3], *nf)
    rows += 1
if rows != 3:
    sys.exit("%d tool rows, want 3" % rows)
PY

# The man page's EXIT STATUS: "CODE text" per .TP entry, one line each.
man_codes() { # PAGE
	python3 - "$1" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
sec = re.search(r"^\.SH EXIT STATUS\n(.*?)(?=^\.SH )", src, re.S | re.M).group(1)
for entry in sec.split(".TP\n")[1:]:
    lines = entry.strip().splitlines()
    code = re.sub(r"^\.B\s+", "", lines[0]).strip()
    body = " ".join(l for l in lines[1:])
    body = re.sub(r"\\f[BIRP]|\\-|\\&|\\e", lambda m: "-" if m.group(0) == "\\-" else "", body)
    body = re.sub(r"^\.\w+\s+", "", body)
    print(code, " ".join(re.sub(r"^\.\w+\s*", "", w) for w in body.split()).lower())
PY
}

# One file of each kind of bad input, and programs that cannot run.
printf '{"defaultAction": "SCMP_ACT_NOPE"}' >"$tmp/bad-profile.json"
printf '{"format": "scmpkit-trace", "version": 1, "syscalls": [{"arch": "SCMP_ARCH_VAX", "nr": 1, "count": 1}]}' >"$tmp/bad-trace.json"
printf '#!/bin/sh\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"

status() { "$@" >/dev/null 2>&1 </dev/null; echo $?; }

while read -r tool input usage notfound notexec; do
	bin="$B/$tool"
	# What the tool does.
	case $tool in
	scmp-gen) got_input=$(status "$bin" -o "$tmp/out.json" "$tmp/bad-trace.json") ;;
	scmp-apply) got_input=$(status "$bin" "$tmp/bad-profile.json" -- true) ;;
	scmp-trace) got_input=$(status "$bin" -q -o "$tmp/t.json" --baseline "$tmp/bad-profile.json" -- true) ;;
	*) fail "README names an unknown tool $tool" ;;
	esac
	[ "$got_input" = "$input" ] || fail "$tool: bad input exits $got_input, README says $input"
	got_usage=$(status "$bin" --no-such-option x)
	[ "$got_usage" = "$usage" ] || fail "$tool: bad usage exits $got_usage, README says $usage"
	got_usage=$(status "$bin")
	[ "$got_usage" = "$usage" ] || fail "$tool: no arguments exits $got_usage, README says $usage"
	if [ "$notfound" != - ]; then
		case $tool in
		scmp-apply) pre="$SRC/tests/data/profiles/fixtures/docker-default.json --" ;;
		*) pre="-q -o $tmp/t.json --" ;;
		esac
		# shellcheck disable=SC2086
		got=$(status "$bin" $pre "$tmp/no-such-program")
		[ "$got" = "$notfound" ] || fail "$tool: a missing program exits $got, README says $notfound"
		# shellcheck disable=SC2086
		got=$(status "$bin" $pre "$tmp/noexec")
		[ "$got" = "$notexec" ] || fail "$tool: a program that cannot run exits $got, README says $notexec"
	fi

	# What the man page says.
	man_codes "$SRC/man/$tool.1" >"$tmp/man" || fail "man/$tool.1: no EXIT STATUS entries"
	grep -q "^$input .*bad input" "$tmp/man" ||
		fail "man/$tool.1: EXIT STATUS does not give $input for bad input:
$(cat "$tmp/man")"
	grep -q "^$usage .*bad usage" "$tmp/man" ||
		fail "man/$tool.1: EXIT STATUS does not give $usage for bad usage:
$(cat "$tmp/man")"
	for c in $notfound $notexec; do
		[ "$c" = - ] || grep -q "^$c " "$tmp/man" || fail "man/$tool.1: EXIT STATUS lacks $c"
	done
	for c in $(awk '{ print $1 }' "$tmp/man"); do
		case " $input $usage $notfound $notexec 0 " in *" $c "*) ;;
		*) fail "man/$tool.1: EXIT STATUS gives $c, which README's table does not" ;;
		esac
	done

	# What --help says.
	"$bin" --help | sed -n '/^Exit status/,$p' | tr '\n' ' ' >"$tmp/help"
	for c in $input $usage $notfound $notexec; do
		[ "$c" = - ] || grep -q "[^0-9]$c[^0-9]" "$tmp/help" || fail "$tool --help: Exit status lacks $c: $(cat "$tmp/help")"
	done
	n=$((n + 1))
done <"$tmp/rows"
echo "ok: README, man pages, --help and the tools agree on the exit codes"
