#!/bin/sh
# The man pages: each renders without a warning (man-db, else groff), has
# the sections a reader looks for, a SYNOPSIS that matches the tool's
# usage(), and an OPTIONS list equal to what `--help` lists: the same long
# options with the same short forms, none missing on either side.
. "$SRC/tests/e2e/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
M=$SRC/man

if command -v man >/dev/null 2>&1 && man --help 2>&1 | grep -q -- '--local-file'; then
	renderer="man-db"
	# Prints the page as plain text on stdout, warnings on stderr.
	# Into a pipe, man-db strips bold and underlining itself (col -b).
	render() { MANWIDTH=${2:-80} MAN_KEEP_FORMATTING= man --warnings=all -E ascii -l "$1"; }
elif command -v groff >/dev/null 2>&1; then
	renderer="groff"
	render() { groff -man -Tascii -ww -rLL="${2:-80}n" -P-cbou "$1"; }
else
	skip "neither man-db (man) nor groff is installed (.ci/run should install man-db)"
fi
note "rendering with $renderer"

# Sections in the order man-pages(7) gives them.
sections_1="NAME SYNOPSIS DESCRIPTION OPTIONS EXIT_STATUS EXAMPLES SEE_ALSO"
sections_5="NAME SYNOPSIS DESCRIPTION EXAMPLES SEE_ALSO"

# Prints the ".SH" headings of a page's source, blanks as _.
headings() { sed -n 's/^\.SH *//p' "$1" | tr -d '"' | tr ' ' _; }

check_render() { # PAGE
	render "$1" >"$tmp/out" 2>"$tmp/err" || fail "$1: rendering failed: $(cat "$tmp/err")"
	[ -s "$tmp/err" ] && fail "$1: warnings while rendering with $renderer:
$(cat "$tmp/err")"
	[ -s "$tmp/out" ] || fail "$1: rendered to nothing"
	return 0
}

check_sections() { # PAGE WANTED...
	page=$1
	shift
	have=$(headings "$page" | tr '\n' ' ')
	for s in "$@"; do
		case " $have " in *" $s "*) ;; *) fail "$page: no $s section (has: $have)" ;; esac
	done
	# In the wanted order.
	want_order=$(for s in "$@"; do echo "$s"; done)
	got_order=$(headings "$page" | grep -Fx "$(printf '%s\n' "$@")")
	[ "$want_order" = "$got_order" ] ||
		fail "$page: sections out of order: $(echo $got_order), want $(echo $want_order)"
}

# "S long" per option from --help ("- long" without a short form).  Option
# lines start with at most six spaces and a dash; wrapped help text is
# indented further.
help_options() { # TOOL
	"$B/$1" --help | grep -E '^ {1,6}-' |
		sed -E 's/^ +//; s/^-([A-Za-z0-9]), --([a-z][a-z0-9-]*).*/\1 \2/; s/^--([a-z][a-z0-9-]*).*/- \1/' |
		sort
}

# The same from the page: the tag line after each .TP in the OPTIONS section.
man_options() { # PAGE
	awk '/^\.SH /{ in_opts = ($0 ~ /^\.SH "?OPTIONS"?$/) } in_opts && tp { print; tp = 0 } in_opts && /^\.TP/ { tp = 1 }' "$1" |
		sed -E 's/\\f[BIRP]//g; s/\\-/-/g; s/^\.[A-Z]+ //' |
		sed -E 's/^-([A-Za-z0-9]), --([a-z][a-z0-9-]*).*/\1 \2/; s/^--([a-z][a-z0-9-]*).*/- \1/' |
		sort
}

# The synopsis lines of usage() and of the rendered page, one per line,
# blanks squeezed.
help_synopsis() { # TOOL
	"$B/$1" --help | awk '/^Usage: /{ on = 1; sub(/^Usage: /, "") } on && /^$/ { exit }
		on && !/^       / && !/^scmp-/ { exit } on { sub(/^ +/, ""); print }' | tr -s ' '
}
man_synopsis() { # PAGE
	render "$1" 250 2>/dev/null | awk '/^SYNOPSIS/{ on = 1; next } on && /^[A-Z]/ { exit } on && NF { sub(/^ +/, ""); print }' | tr -s ' '
}

for tool in scmp-trace scmp-gen scmp-apply; do
	page=$M/$tool.1
	[ -f "$page" ] || fail "$page is missing"
	[ -x "$B/$tool" ] || fail "$B/$tool is not built"
	check_render "$page"
	# shellcheck disable=SC2086
	check_sections "$page" $sections_1
	help_options "$tool" >"$tmp/help.opts"
	man_options "$page" >"$tmp/man.opts"
	[ -s "$tmp/help.opts" ] || fail "$tool --help lists no options"
	if ! cmp -s "$tmp/help.opts" "$tmp/man.opts"; then
		echo "$tool: options differ (< --help, > $page OPTIONS; \"- name\" has no short form):"
		diff "$tmp/help.opts" "$tmp/man.opts" | grep '^[<>]'
		fail "$tool: the man page's OPTIONS do not match --help"
	fi
	help_synopsis "$tool" >"$tmp/help.syn"
	man_synopsis "$page" >"$tmp/man.syn"
	if ! cmp -s "$tmp/help.syn" "$tmp/man.syn"; then
		diff "$tmp/help.syn" "$tmp/man.syn"
		fail "$tool: the man page's SYNOPSIS does not match usage() (< --help, > page)"
	fi
	# The page's NAME line names the tool.
	grep -q "^$(echo "$tool" | sed 's/-/\\\\-/') \\\\- " "$page" || fail "$page: NAME does not start with \"$tool \\-\""
	echo "ok: $tool.1: renders cleanly; $(wc -l <"$tmp/help.opts") options and the synopsis match --help"
done

page=$M/scmpkit-formats.5
[ -f "$page" ] || fail "$page is missing"
check_render "$page"
# shellcheck disable=SC2086
check_sections "$page" $sections_5
# Every profile field scmp-apply reads and every trace.json field is described.
for field in defaultAction defaultErrnoRet architectures archMap subArchitectures flags \
	syscalls names name action errnoRet args index value valueTwo op comment \
	includes excludes caps arches minKernel \
	format version tool backend command started duration_ms kernel exit complete \
	incomplete_reason executables processes threads arch nr count exe argidx errors; do
	grep -Eq "^\.(B|TP|TQ|BR) $field( |$)|^\.B $field\$" "$page" ||
		fail "$page: the field \"$field\" is not described (no .B $field tag)"
done
# trace.json 1.2: the paths and ports (issue 26).
for field in minor paths paths_unbounded ports; do
	grep -Eq "^\.(B|TP|TQ|BR) $field( |$)|^\.B $field\$" "$page" ||
		fail "$page: the field \"$field\" is not described (no .B $field tag)"
done
echo "ok: scmpkit-formats.5 renders cleanly and describes every field"

# Cross references resolve to pages that exist here or are standard.
for p in "$M"/*.[15]; do
	for ref in $(sed -n 's/^\.BR \(scmp[a-z\\-]*\) (\([15]\)).*/\1.\2/p' "$p" | sed 's/\\-/-/g' | sort -u); do
		[ -f "$M/$ref" ] || fail "$p refers to $ref, which is not in man/"
	done
done
echo "ok: cross references between the pages resolve"
