#!/bin/sh
# make install into a temporary DESTDIR, then use what was installed: the
# demo flow (trace -> gen -> apply) with the installed tools, the man pages
# where man finds them, the sample profiles, the bash completion.  Then
# make uninstall leaves no file behind.
. "$SRC/tests/e2e/lib.sh"
need_cmd make
need_seccomp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root
prefix=/usr
root=$dest$prefix

# The suite's own make, on the suite's build directory; -o keeps make from
# rebuilding the tools (what is installed is what the other tests ran).
mk() { # TARGET
	make -C "$SRC" B="$B" -o "$B/scmp-trace" -o "$B/scmp-gen" -o "$B/scmp-apply" \
		DESTDIR="$dest" PREFIX="$prefix" "$1" >"$tmp/make.log" 2>&1 ||
		fail "make $1 failed:
$(tail -20 "$tmp/make.log")"
	! grep -E '^(cc|gcc|clang|\$\(CC\)) |-c -o ' "$tmp/make.log" ||
		fail "make $1 compiled something; it must install the suite's build ($B)"
}

mk install

# What is installed where.
for t in scmp-trace scmp-gen scmp-apply; do
	[ -x "$root/bin/$t" ] || fail "make install did not install $prefix/bin/$t"
	cmp -s "$root/bin/$t" "$B/$t" || fail "$prefix/bin/$t is not $B/$t"
	v=$("$root/bin/$t" --version) || fail "installed $t --version failed"
	case $v in "$t "[0-9]*) ;; *) fail "installed $t --version printed \"$v\"" ;; esac
done
for p in "$SRC"/man/*.1; do
	[ -f "$root/share/man/man1/${p##*/}" ] || fail "man page ${p##*/} not installed in $prefix/share/man/man1"
done
for p in "$SRC"/man/*.5; do
	[ -f "$root/share/man/man5/${p##*/}" ] || fail "man page ${p##*/} not installed in $prefix/share/man/man5"
done
n_man=$(find "$root/share/man" -type f | wc -l)
[ "$n_man" -ge 4 ] || fail "only $n_man man pages installed, want scmp-trace.1 scmp-gen.1 scmp-apply.1 scmpkit-formats.5"
n_src=$(ls "$SRC"/samples/profiles/*.json 2>/dev/null | wc -l)
n_inst=$(ls "$root"/share/scmpkit/profiles/*.json 2>/dev/null | wc -l)
[ "$n_src" -eq "$n_inst" ] || fail "$n_inst sample profiles installed, samples/profiles has $n_src"
for p in "$root"/share/scmpkit/profiles/*.json; do
	[ -f "$p" ] || continue
	"$root/bin/scmp-apply" -q --check "$p" >/dev/null 2>"$tmp/err" ||
		fail "installed profile ${p##*/} does not load: $(cat "$tmp/err")"
done
comp=$root/share/bash-completion/completions
for t in scmp-trace scmp-gen scmp-apply; do
	[ -e "$comp/$t" ] || fail "bash completion for $t not installed in $prefix/share/bash-completion/completions"
done
echo "ok: installed 3 tools, $n_man man pages, $n_inst sample profiles, the bash completion"

# The demo flow with the installed tools, from a directory of our own.
prog=$B/samples/readfile
[ -x "$prog" ] || fail "$prog is not built"
want=$("$prog" /etc/hostname) || fail "$prog fails without a filter"
(cd "$tmp" && "$root/bin/scmp-trace" -q -o t.json -- "$prog" /etc/hostname >traced.out) ||
	fail "installed scmp-trace failed"
[ "$(cat "$tmp/traced.out")" = "$want" ] || fail "output differs under installed scmp-trace"
(cd "$tmp" && "$root/bin/scmp-gen" -q -o allow.json t.json) || fail "installed scmp-gen failed"
got=$(cd "$tmp" && "$root/bin/scmp-apply" allow.json -- "$prog" /etc/hostname) ||
	fail "installed scmp-apply: readfile exited $? under its profile"
[ "$got" = "$want" ] || fail "output under installed scmp-apply: \"$got\", want \"$want\""
# In a subshell that reports the signal death to its own, silenced stderr.
(cd "$tmp" && "$root/bin/scmp-apply" allow.json -- "$prog" /etc/hostname --uname; echo $? >"$tmp/rc") >/dev/null 2>&1
rc=$(cat "$tmp/rc")
[ $rc -eq 159 ] || fail "readfile --uname under the installed tools: status $rc, want 159 (SIGSYS)"
echo "ok: trace -> gen -> apply with the installed tools; the untraced uname(2) is killed (159)"

# man finds the installed pages by name.
if command -v man >/dev/null 2>&1 && man --help 2>&1 | grep -q -- '--local-file'; then
	for page in scmp-trace scmp-gen scmp-apply 5:scmpkit-formats; do
		sec=
		case $page in *:*) sec=${page%%:*} page=${page#*:} ;; esac
		# shellcheck disable=SC2086
		where=$(MANPATH=$root/share/man man -w $sec "$page" 2>&1) ||
			fail "man -w $page with MANPATH=$prefix/share/man: $where"
		case $where in "$root"/share/man/*) ;; *) fail "man found $page at $where, not under $root" ;; esac
		# shellcheck disable=SC2086
		MANPATH=$root/share/man MANWIDTH=80 man $sec "$page" 2>"$tmp/err" | grep -q "^NAME" ||
			fail "man $page shows no NAME section: $(cat "$tmp/err")"
	done
	echo "ok: man finds and shows the installed pages"
else
	note "man-db is not installed: the installed pages were not opened with man"
fi

# The installed completion, in a bash of its own.
if command -v bash >/dev/null 2>&1; then
	bash --norc --noprofile -c '
		PATH=$1:$PATH
		. "$2/scmp-trace" || exit 1
		complete -p scmp-trace scmp-gen scmp-apply || exit 1
		c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _scmp_complete; echo "${COMPREPLY[*]}"; }
		[ "$(c scmp-trace --back)" = "--backend" ] || { echo "--back -> $(c scmp-trace --back)"; exit 1; }
		[ "$(c scmp-trace --backend "")" = "auto bpf notify ptrace" ] || { echo "--backend -> $(c scmp-trace --backend "")"; exit 1; }
		[ "$(c scmp-gen --format "")" = "oci systemd minijail c spo" ] || { echo "--format -> $(c scmp-gen --format "")"; exit 1; }
		[ "$(c scmp-gen --args t)" = "tuples" ] || { echo "--args t -> $(c scmp-gen --args t)"; exit 1; }
		[ "$(c scmp-gen --static "")" = "none report add" ] || { echo "--static -> $(c scmp-gen --static "")"; exit 1; }
		[ "$(c scmp-apply --export "")" = "bpf pfc" ] || { echo "--export -> $(c scmp-apply --export "")"; exit 1; }
		case " $(c scmp-apply -d "") " in *" errno "*) ;; *) echo "-d -> $(c scmp-apply -d "")"; exit 1 ;; esac
		[ "$(c scmp-gen -d errno : EPE)" = "EPERM" ] || { echo "-d errno:EPE -> $(c scmp-gen -d errno : EPE)"; exit 1; }
		[ "$(c scmp-apply --che)" = "--check" ] || { echo "--che -> $(c scmp-apply --che)"; exit 1; }
		[ "$(c scmp-apply --tra)" = "--trace" ] || { echo "--tra -> $(c scmp-apply --tra)"; exit 1; }
		[ "$(c scmp-gen --dif)" = "--diff" ] || { echo "--dif -> $(c scmp-gen --dif)"; exit 1; }
		# --check runs nothing: the words after PROFILE are traces, not a command.
		case " $(c scmp-apply --check p.json sh) " in *" sh "*) echo "--check p.json sh -> a command"; exit 1 ;; esac
		# After -- and after the program: the command and its own words.
		case " $(c scmp-trace -q -- sh) " in *" sh "*) ;; *) echo "-- sh -> $(c scmp-trace -q -- sh)"; exit 1 ;; esac
		case " $(c scmp-apply p.json -- sh) " in *" sh "*) ;; *) echo "apply p.json -- sh -> $(c scmp-apply p.json -- sh)"; exit 1 ;; esac
		# Options of the program after PROG are not scmp-trace options.
		[ -z "$(c scmp-trace ls --back)" ] || { echo "ls --back -> $(c scmp-trace ls --back)"; exit 1; }
		# Every option --help lists completes.
		for t in scmp-trace scmp-gen scmp-apply; do
			for o in $("$t" --help | grep -E "^ {1,6}-" | sed -E "s/^ +//; s/  .*//" | grep -oE -- "--[a-z][a-z-]*"); do
				case " $(c "$t" --) " in *" $o "*) ;; *) echo "$t: $o does not complete"; exit 1 ;; esac
			done
		done
	' sh "$root/bin" "$comp" >"$tmp/comp.out" 2>&1 ||
		fail "bash completion: $(cat "$tmp/comp.out")"
	echo "ok: the installed bash completion completes options, values and commands"
else
	note "bash is not installed: completion not tested"
fi

mk uninstall
left=$(find "$dest" ! -type d)
[ -z "$left" ] || fail "make uninstall left files behind:
$left"
echo "ok: make uninstall removed every installed file"
