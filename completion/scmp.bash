# bash completion for scmp-trace, scmp-gen and scmp-apply (scmpkit).
# SPDX-License-Identifier: MIT
#
# Source it (`. completion/scmp.bash`) or install it where bash-completion
# looks (`make install` puts it in $(PREFIX)/share/bash-completion/completions
# under each tool's name).  Works without the bash-completion package; with
# it, the program after `--` (or after scmp-trace's options and
# scmp-apply's PROFILE) gets its own completion.
#
# Options come from the tool's own --help, so new options complete without
# an edit here; the lists below are used when --help cannot be run.

_scmp_fallback_trace='-o --output --backend -p --pid --errors --baseline --from-log --containers --container --duration --checkpoint --supervisors -q --quiet -h --help -V --version'
_scmp_fallback_gen='-o --output -a --args -m --max-values -d --default-action -f --format -n --name -e --explain -i --allow-incomplete -s --static --runtime --diff --json -q --quiet -h --help -V --version'
_scmp_fallback_apply='-c --check --trace --json -e --export -o --output -d --default-action -C --complain --report --kill-tree --ask -l --log -s --strict -v --verbose -q --quiet -h --help -V --version'

# Options that take a value, per tool (the word after them is not PROG).
_scmp_argopts_trace=' -o --output --backend -p --pid --baseline --from-log --container --duration --checkpoint --supervisors '
_scmp_argopts_gen=' -o --output -a --args -m --max-values -d --default-action -f --format -n --name -s --static --runtime '
_scmp_argopts_apply=' --trace -e --export -o --output -d --default-action -C --complain '

_scmp_errnos='EPERM EACCES ENOSYS EINVAL ENOENT EAGAIN EBADF EFAULT ENOMEM ENOTSUP EOPNOTSUPP EROFS'

declare -gA _scmp_opts_cache 2>/dev/null || declare -A _scmp_opts_cache

# Prints the options TOOL's --help lists ("-o --output ..."), cached.
_scmp_options() { # CMD KIND
	local cmd=$1 kind=$2 out
	if [[ -n ${_scmp_opts_cache[$cmd]+set} ]]; then
		printf '%s\n' "${_scmp_opts_cache[$cmd]}"
		return
	fi
	# Option lines start with at most six spaces and a dash; the options
	# end where two spaces start the help text.
	out=$(LC_ALL=C "$cmd" --help 2>/dev/null |
		command grep -E '^ {1,6}-' | command sed -E 's/^ +//; s/  .*//' |
		command grep -oE -- '--?[A-Za-z0-9][A-Za-z0-9-]*' |
		command tr '\n' ' ')
	if [[ -z $out ]]; then
		local v=_scmp_fallback_$kind
		out=${!v}
	fi
	_scmp_opts_cache[$cmd]=$out
	printf '%s\n' "$out"
}

# COMPREPLY from a word list, for the current word.
_scmp_words() { # WORDS CUR
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

# COMPREPLY with files (and directories), optionally only *.EXT.
_scmp_files() { # CUR [EXT]
	local IFS=$'\n'
	if [[ -n ${2-} ]]; then
		COMPREPLY=($(compgen -f -X "!*.$2" -- "$1") $(compgen -d -- "$1"))
	else
		COMPREPLY=($(compgen -f -- "$1"))
	fi
	# Sort and drop the duplicate a directory matching both would give.
	COMPREPLY=($(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort -u))
	compopt -o filenames 2>/dev/null
}

# Completes the program and its arguments starting at word OFFSET.
_scmp_command() { # OFFSET CUR
	local offset=$1 cur=$2
	if declare -F _command_offset >/dev/null; then
		_command_offset "$offset"
	elif ((COMP_CWORD == offset)); then
		local IFS=$'\n'
		COMPREPLY=($(compgen -c -- "$cur" | LC_ALL=C sort -u))
		[[ $cur == */* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	else
		_scmp_files "$cur"
	fi
}

_scmp_pids() { # CUR
	local IFS=$' \t\n' p pids=
	for p in /proc/[0-9]*; do pids+=" ${p#/proc/}"; done
	COMPREPLY=($(compgen -W "$pids" -- "$1"))
}

# Completes the value of OPT; returns 1 when OPT takes no value.
_scmp_value() { # KIND OPT CUR
	local kind=$1 opt=$2 cur=$3
	case $kind:$opt in
	*:-o | *:--output | apply:-C | apply:--complain | trace:--from-log)
		_scmp_files "$cur" ;;
	trace:--backend)
		_scmp_words 'auto bpf notify ptrace' "$cur" ;;
	trace:-p | trace:--pid)
		_scmp_pids "$cur" ;;
	trace:--baseline | apply:--trace)
		_scmp_files "$cur" json ;;
	trace:--supervisors)
		_scmp_words '1 2 3 4 5 6 7 8' "$cur" ;;
	gen:-a | gen:--args)
		_scmp_words 'none values tuples' "$cur" ;;
	gen:-m | gen:--max-values)
		_scmp_words '4 8 16 32 64' "$cur" ;;
	gen:-f | gen:--format)
		_scmp_words 'oci systemd minijail c spo' "$cur" ;;
	gen:-s | gen:--static)
		_scmp_words 'none report add' "$cur" ;;
	gen:--runtime)
		_scmp_words 'runc crun docker podman runc:nnp crun:nnp docker:nnp podman:nnp' "$cur" ;;
	gen:-d | gen:--default-action)
		_scmp_words 'kill-process kill kill-thread trap log errno' "$cur" ;;
	apply:-d | apply:--default-action)
		_scmp_words 'kill-process kill kill-thread trap log allow errno' "$cur" ;;
	apply:-e | apply:--export)
		_scmp_words 'bpf pfc' "$cur" ;;
	*)
		return 1 ;;
	esac
	return 0
}

# One function for the three tools: KIND is trace, gen or apply.
_scmp_complete() {
	local cmd=${COMP_WORDS[0]} kind cur prev i w argopts positional=0 first_pos=-1 checking=0
	case ${cmd##*/} in
	scmp-trace) kind=trace ;;
	scmp-gen) kind=gen ;;
	scmp-apply) kind=apply ;;
	*) return 0 ;;
	esac
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local v=_scmp_argopts_$kind
	argopts=${!v}

	# scmp-apply --check runs nothing: the words after PROFILE are traces.
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == --check || ${COMP_WORDS[i]} == -c ]] && checking=1
	done

	# Where the program starts: after `--`, or at the first word that is
	# neither an option nor an option's value (scmp-apply: the second one,
	# after PROFILE).  scmp-gen takes no program.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == -- ]]; then
			[[ $kind == trace || ($kind == apply && $checking == 0) ]] &&
				{ _scmp_command $((i + 1)) "$cur"; return 0; }
			positional=1
			continue
		fi
		if [[ $w == = || ${COMP_WORDS[i - 1]} == = ]]; then
			continue # --opt=value, split by COMP_WORDBREAKS
		fi
		if ((!positional)) && [[ $w == -* ]]; then
			[[ $argopts == *" $w "* && ${COMP_WORDS[i + 1]-} != = ]] && ((i++))
			continue
		fi
		if [[ $w == : || ${COMP_WORDS[i - 1]} == : ]]; then
			continue # errno:EPERM, split at the colon
		fi
		if ((first_pos < 0)); then
			first_pos=$i
		fi
		if [[ $kind == trace ]] || [[ $kind == apply && $first_pos != "$i" && $checking == 0 ]]; then
			_scmp_command "$i" "$cur"
			return 0
		fi
	done

	# The value of an option, as `--opt value`, `--opt=value` or errno:NAME.
	if [[ $prev == : && $COMP_CWORD -ge 3 && ${COMP_WORDS[COMP_CWORD - 2]} == errno ]] ||
		[[ $cur == : && ${COMP_WORDS[COMP_CWORD - 1]} == errno ]]; then
		[[ $cur == : ]] && cur=
		_scmp_words "$_scmp_errnos" "$cur"
		return 0
	fi
	if [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		_scmp_value "$kind" "${COMP_WORDS[COMP_CWORD - 2]}" "$cur" && return 0
	elif [[ $cur == = ]]; then
		_scmp_value "$kind" "$prev" "" && return 0
	elif [[ $argopts == *" $prev "* ]]; then
		_scmp_value "$kind" "$prev" "$cur" || COMPREPLY=()
		return 0
	fi

	if [[ $cur == -* ]]; then
		_scmp_words "$(_scmp_options "$cmd" "$kind")" "$cur"
		return 0
	fi
	case $kind in
	trace) _scmp_command "$COMP_CWORD" "$cur" ;;
	gen) _scmp_files "$cur" json ;;
	apply)
		if ((first_pos < 0 || checking)); then
			_scmp_files "$cur" json # PROFILE, or --check's traces
		else
			_scmp_command "$COMP_CWORD" "$cur"
		fi
		;;
	esac
	return 0
}

complete -F _scmp_complete scmp-trace scmp-gen scmp-apply
