#!/bin/sh
# shellcheck disable=SC2317 # cmd_*, post_*, run_* and the clients are called by name
# make check-generalize (issue 23 item 2): does a profile hold on inputs the
# trace never saw?  Real Debian programs - three servers on 127.0.0.1, a
# shell script with pipelines and a trap, a compiler, archivers, a database
# client, text tools - are each traced on one input, then run under the
# profile scmp-gen writes from that trace, --exact and by default (with
# the families the static analysis bounds), on two other inputs of the same
# kind.  An input passes when its output and exit status are the native
# run's (a server: the client's transcript, and the server not killed).
# A failing input is run again under scmp-trace --baseline to name what
# the profile lacks: a new call, or a new argument value (a capability the
# trace never showed, such as writing where it only read).
#
#   sh tests/generalize/run.sh BUILD_DIR [PROGRAM...]
#
# Prints the table and the totals; exits 1 when the default profile fails
# an input that --exact passes (families must not lose anything), or when
# a program cannot be traced or run natively; 0 otherwise: the failures
# that remain are listed for a reader to judge, not gated.
set -u
B=${1:?usage: run.sh BUILD_DIR [PROGRAM...]}
shift
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "$B" && pwd)
T=$B/scmp-trace
G=$B/scmp-gen
A=$B/scmp-apply
REPORT="python3 $SRC/tests/generalize/report.py"
W=$(mktemp -d /tmp/sk-generalize-XXXXXX)
D=$W/d
O=$W/o
SERVER=
trap 'stop_server; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
# The gallery's environment (samples/README.md): what a program calls
# depends on it.
RUNENV="env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 HOME=/root"

# ---- the inputs ----

setup() {
	mkdir -p "$D/www/sub" "$D/d1/x" "$D/d2/y/z" "$D/d2/empty" "$D/c" "$O"
	seq 1 2000 | sed 's/^/line /' >"$D/t1"
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%d %s %d\n", (i * 7919) % 1000, (i % 3 ? "beta" : "alpha"), i }' >"$D/t2"
	cp /etc/services "$D/t3" 2>/dev/null || seq 1 500 >"$D/t3"
	printf 'a:b:c\nd:e:f\nalpha:beta:gamma\n' >"$D/t4"
	cp "$D/t1" "$D/d1/x/one"
	cp "$D/t2" "$D/d2/y/two"
	cp "$D/t4" "$D/d2/y/z/three.c"
	ln -s ../y/two "$D/d2/empty/link"
	ln "$D/d2/y/two" "$D/d2/hard" 2>/dev/null || true
	head -c 200000 /usr/bin/python3 >"$D/bin1"
	echo hello >"$D/www/a.txt"
	printf '<html><body>%s</body></html>\n' "$(seq 1 300)" >"$D/www/b.html"
	seq 1 20000 >"$D/www/sub/big.txt"
	cat >"$D/c/a.c" <<'C'
int add(int a, int b) { return a + b; }
C
	cat >"$D/c/b.c" <<'C'
#include <stdio.h>
#include <string.h>
static int count(const char *s, char c) { int n = 0; for (; *s; s++) n += *s == c; return n; }
int main(int argc, char **argv) { printf("%d\n", argc > 1 ? count(argv[1], 'a') : (int)strlen("x")); return 0; }
C
	cat >"$D/c/c.c" <<'C'
#include <math.h>
#include <stdlib.h>
#include "c.h"
double f(double x) { return sqrt(fabs(x)) + C_CONST; }
void *g(size_t n) { return calloc(n, 2); }
C
	echo '#define C_CONST 3.0' >"$D/c/c.h"
	printf '{"a": 1, "b": [1, 2, 3], "c": {"d": "e"}}\n' >"$D/j1.json"
	python3 -c 'import json; print(json.dumps([{"x": i, "y": str(i) * 3} for i in range(500)]))' >"$D/j2.json"
	printf '{"k1": {"z": true}, "k2": null, "k3": [{"q": 1.5}]}\n' >"$D/j3.json"
	cat >"$D/script.sh" <<'SH'
#!/bin/sh
# A pipeline script with a trap, as shell scripts are.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; echo cleaned' EXIT
trap 'echo interrupted; exit 130' INT TERM
tr 'a-z' 'A-Z' <"$1" | sort | uniq -c | sort -rn | head -n "${2:-5}" >"$tmp/out"
n=$(wc -l <"$tmp/out")
while read -r c w rest; do echo "$w: $c"; done <"$tmp/out"
echo "$n lines"
SH
	sqlite3 "$D/db1" "create table t(a integer, b text); insert into t values (1, 'x'), (2, 'y'), (3, 'z');"
	sqlite3 "$D/db2" "create table u(k text primary key, v real); insert into u values ('p', 1.5), ('q', 2.5); create index iv on u(v);"
	git init -q "$D/repo" && (
		cd "$D/repo" && git config user.email t@e && git config user.name t &&
			cp "$D/t4" f && git add f && git commit -qm one &&
			cp "$D/t1" g && echo more >>f && git add f g && git commit -qm two
	) >/dev/null 2>&1
	cat >"$O/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log stderr;
pid $O/nginx.pid;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $O/nginx-body;
	proxy_temp_path $O/nginx-proxy;
	fastcgi_temp_path $O/nginx-fastcgi;
	uwsgi_temp_path $O/nginx-uwsgi;
	scgi_temp_path $O/nginx-scgi;
	server {
		listen 127.0.0.1:@PORT@;
		root $D/www;
		location /sub/ { autoindex on; }
	}
}
EOF
}

# ---- the programs: one command per input (0 is traced) ----

# cmd_NAME N: the command of input N, words for eval; $O/N holds files the
# command writes, whose digest (post_NAME) is compared too.
cmd_shscript() { case $1 in 0) printf '%s\n' "sh $D/script.sh $D/t4 3" ;; 1) printf '%s\n' "sh $D/script.sh $D/t2 5" ;; 2) printf '%s\n' "sh $D/script.sh $D/t3 8" ;; esac; }
cmd_gcc() { case $1 in 0) printf '%s\n' "gcc -c $D/c/a.c -o $O/$1.o" ;; 1) printf '%s\n' "gcc -O2 -Wall -c $D/c/b.c -o $O/$1.o" ;; 2) printf '%s\n' "gcc -g -I$D/c -c $D/c/c.c -o $O/$1.o" ;; esac; }
post_gcc() { size "$O/$1.o" 2>/dev/null | tail -1 | cut -f1-3; }
cmd_tar() { case $1 in 0) printf '%s\n' "tar cf - -C $D d1" ;; 1) printf '%s\n' "tar cf - -C $D d2" ;; 2) printf '%s\n' "tar cvf - -C $D d1 d2 t4" ;; esac; }
cmd_gzip() { case $1 in 0) printf '%s\n' "gzip -n -c $D/t4" ;; 1) printf '%s\n' "gzip -n -9 -c $D/t2" ;; 2) printf '%s\n' "gzip -n -1 -c $D/bin1" ;; esac; }
cmd_xz() { case $1 in 0) printf '%s\n' "xz -c $D/t4" ;; 1) printf '%s\n' "xz -c -9 $D/t2" ;; 2) printf '%s\n' "xz -c -0 $D/bin1" ;; esac; }
cmd_sqlite3() { case $1 in 0) printf '%s\n' "sqlite3 $D/db1 'select a, b from t order by a'" ;; 1) printf '%s\n' "sqlite3 $D/db2 'select k, v * 2 from u where v > 1 order by k'" ;; 2) printf '%s\n' "sqlite3 -readonly $D/db1 'select count(*), max(a), group_concat(b) from t'" ;; esac; }
cmd_jq() { case $1 in 0) printf '%s\n' "jq .a $D/j1.json" ;; 1) printf '%s\n' "jq -c '[.[] | select(.x % 50 == 0) | .y]' $D/j2.json" ;; 2) printf '%s\n' "jq -r 'keys[]' $D/j3.json" ;; esac; }
cmd_grep() { case $1 in 0) printf '%s\n' "grep -n beta $D/t4" ;; 1) printf '%s\n' "grep -c alpha $D/t2" ;; 2) printf '%s\n' "grep -rl line $D/d1 $D/d2" ;; esac; }
cmd_sed() { case $1 in 0) printf '%s\n' "sed s/a/X/g $D/t4" ;; 1) printf '%s\n' "sed -n '/^5/p' $D/t2" ;; 2) printf '%s\n' "sed -e 's/line/L/' -e '10q' $D/t1" ;; esac; }
cmd_awk() { case $1 in 0) printf '%s\n' "awk -F: '{ print \$2 }' $D/t4" ;; 1) printf '%s\n' "awk '{ s += \$1 } END { print s, NR }' $D/t2" ;; 2) printf '%s\n' "awk '\$2 == \"alpha\" { n++ } END { printf \"%d\\n\", n }' $D/t2" ;; esac; }
cmd_sort() { case $1 in 0) printf '%s\n' "sort $D/t4" ;; 1) printf '%s\n' "sort -n $D/t2" ;; 2) printf '%s\n' "sort -u -k2,2 -k1,1n $D/t2" ;; esac; }
cmd_find() { case $1 in 0) printf '%s\n' "find $D/d1 -name one" ;; 1) printf '%s\n' "find $D/d2 -type f -size +1k" ;; 2) printf '%s\n' "find $D/d2 -type l -o -name '*.c'" ;; esac; }
cmd_diff() { case $1 in 0) printf '%s\n' "diff $D/t4 $D/j1.json" ;; 1) printf '%s\n' "diff -u $D/t1 $D/t2" ;; 2) printf '%s\n' "diff -r $D/d1 $D/d2" ;; esac; }
cmd_perl() { case $1 in 0) printf '%s\n' "perl -ne 'print if /beta/' $D/t4" ;; 1) printf '%s\n' "perl -e 'my %h; while (<>) { my @f = split; \$h{\$f[1]}++ } print join(\",\", map { \"\$_=\$h{\$_}\" } sort keys %h), \"\\n\"' $D/t2" ;; 2) printf '%s\n' "perl -le 'print scalar(() = glob(\"$D/d2/*\"))'" ;; esac; }
cmd_git() { case $1 in 0) printf '%s\n' "git -C $D/repo log --oneline --format=%s" ;; 1) printf '%s\n' "git -C $D/repo show --stat --format=%s HEAD" ;; 2) printf '%s\n' "git -C $D/repo diff HEAD~1 --stat" ;; esac; }
cmd_openssl() { case $1 in 0) printf '%s\n' "openssl dgst -sha256 -r $D/t4" ;; 1) printf '%s\n' "openssl dgst -sha512 -r $D/t2" ;; 2) printf '%s\n' "openssl base64 -in $D/t4" ;; esac; }

# ---- servers: started under the prefix, a client's transcript ----

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls the port until the server answers (the event itself, with a
# bound: a server that never comes up fails the input).
wait_port() { # PORT
	for _i in $(seq 100); do
		python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2>/dev/null && return 0
		kill -0 "$SERVER" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_server() { # [SIGNAL]: the server's status in $server_status
	server_status=0
	[ -n "$SERVER" ] || return 0
	kill -s "${1:-TERM}" "$SERVER" 2>/dev/null
	# A server that ignores the signal is killed after ten seconds.
	for _i in $(seq 100); do
		kill -0 "$SERVER" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$SERVER" 2>/dev/null
	wait "$SERVER"
	server_status=$?
	SERVER=
}

# server START_CMD CLIENT_FUNC STOP_SIGNAL: prints the transcript, then
# "server: killed by SIGSYS" when it was.
server() {
	eval "exec $RUN $1" >"$O/server.log" 2>&1 &
	SERVER=$!
	if wait_port "$port"; then
		$2
	else
		echo "server did not come up"
	fi
	stop_server "$3"
	[ "$server_status" -eq 159 ] && echo "server: killed by SIGSYS"
	[ "$server_status" -eq 0 ] || [ "$server_status" -eq 143 ] || [ "$server_status" -eq 130 ] ||
		echo "server: exit $server_status"
	return 0
}

rcli() { redis-cli -p "$port" "$@" 2>&1; }
redis_client() {
	case $input in
	0) rcli set k v; rcli get k; rcli incr n; rcli del k ;;
	1) rcli lpush l a b c; rcli lrange l 0 -1; rcli llen l; rcli hset h f v; rcli hgetall h ;;
	2) rcli mset a 1 b 2; rcli mget a b; rcli expire a 100; rcli ttl a; rcli keys '*' | sort; rcli dbsize ;;
	esac
}
get() { # PATH [CURL OPTION...]
	_path=$1
	shift
	curl -s -o - -w ' %{http_code}\n' "$@" "http://127.0.0.1:$port$_path" 2>&1
}
http_client() {
	case $input in
	0) get /a.txt ;;
	1) get /b.html | md5sum; get /missing | tail -1 ;;
	2) get /sub/big.txt | md5sum; get /a.txt -I | head -1; get /sub/big.txt -r 100-199 | md5sum ;;
	esac
}
run_redis() {
	server "redis-server --port $port --bind 127.0.0.1 --save '' --appendonly no --dir $O --daemonize no" redis_client TERM
}
run_nginx() {
	sed "s/@PORT@/$port/" "$O/nginx.conf" >"$O/nginx-$port.conf"
	server "nginx -c $O/nginx-$port.conf -e stderr" http_client QUIT
}
run_httpserver() {
	server "python3 -m http.server --bind 127.0.0.1 --directory $D/www $port" http_client TERM
}

PROGRAMS="redis nginx httpserver shscript gcc tar gzip xz sqlite3 jq grep sed awk sort find diff perl git openssl"

have_program() { # NAME
	case $1 in
	redis) command -v redis-server >/dev/null && command -v redis-cli >/dev/null ;;
	httpserver) command -v python3 >/dev/null && command -v curl >/dev/null ;;
	nginx) command -v nginx >/dev/null && command -v curl >/dev/null ;;
	shscript) command -v sh >/dev/null ;;
	*) command -v "$1" >/dev/null ;;
	esac
}

# run_one NAME N: runs input N of NAME under $RUN; output on stdout, the
# status as the last line.
run_one() {
	input=$2
	case $1 in
	redis | nginx | httpserver)
		port=$(free_port)
		"run_$1"
		echo "status 0"
		;;
	*)
		eval "$RUN $(cmd_"$1" "$2")" >"$O/out" 2>/dev/null
		echo "status $?"
		# The output as a digest and a size: some of it is binary.
		echo "out $(md5sum <"$O/out" | cut -c1-32) $(wc -c <"$O/out")"
		command -v "post_$1" >/dev/null && "post_$1" "$2"
		;;
	esac
}

# An input of NAME under PROFILE: pass, or what the profile lacks.
judge() { # NAME N PROFILE
	RUN="$RUNENV $A $3 --"
	run_one "$1" "$2" >"$O/applied" 2>&1
	if cmp -s "$O/native.$2" "$O/applied"; then
		echo pass
		return
	fi
	RUN="$RUNENV $T -q --baseline $3 -o $O/new.json --"
	run_one "$1" "$2" >/dev/null 2>&1
	echo "FAIL: $($REPORT missing "$3" "$O/new.json" 2>/dev/null || echo '?')"
}

setup || { echo "check-generalize: cannot make the inputs" >&2; exit 1; }
[ $# -gt 0 ] && PROGRAMS=$*
rows=$W/rows
: >"$rows"
status=0
for p in $PROGRAMS; do
	if ! have_program "$p"; then
		echo "check-generalize: $p is not installed here (tools/deps.sh installs it)" >&2
		status=1
		continue
	fi
	bad=
	for n in 0 1 2; do
		RUN=$RUNENV
		run_one "$p" "$n" >"$O/native.$n" 2>&1
		# An input must work natively: status 0 or 1 (diff), output (or
		# a file written, post_NAME).
		{ grep -q '^status [01]$' "$O/native.$n" &&
			{ command -v "post_$p" >/dev/null || ! grep -q '^out .* 0$' "$O/native.$n"; } &&
			! grep -q "server did not come up\|^server: " "$O/native.$n"; } || bad="$bad $n"
	done
	if [ -n "$bad" ]; then
		echo "check-generalize: $p: input$bad does not work natively:" >&2
		head -5 "$O/native.${bad##* }" >&2
		status=1
		continue
	fi
	RUN="$RUNENV $T -q -o $O/$p.trace.json --"
	run_one "$p" 0 >"$O/traced" 2>&1
	if ! cmp -s "$O/native.0" "$O/traced"; then
		echo "check-generalize: $p: the traced run differs from the native one:" >&2
		diff "$O/native.0" "$O/traced" | head -5 >&2
		status=1
		continue
	fi
	if ! "$G" -q --exact -o "$O/$p.exact.json" "$O/$p.trace.json" ||
		! "$G" -q -o "$O/$p.json" "$O/$p.trace.json"; then
		status=1
		continue
	fi
	ne=$($REPORT names "$O/$p.exact.json")
	nd=$($REPORT names "$O/$p.json")
	grow=$(awk -v a="$ne" -v b="$nd" 'BEGIN { printf "%.0f%%", (b - a) * 100 / a }')
	line="$p	$ne	$nd	$grow"
	why=
	for n in 1 2; do
		ve=$(judge "$p" "$n" "$O/$p.exact.json")
		vd=$(judge "$p" "$n" "$O/$p.json")
		line="$line	${ve%%:*}	${vd%%:*}"
		case $vd in FAIL*) why="${why:+$why | }in$n: ${vd#FAIL: }" ;; esac
		if [ "$ve" = pass ] && [ "$vd" != pass ]; then
			echo "check-generalize: $p input $n passes --exact and fails by default: $vd" >&2
			status=1
		fi
	done
	printf '%s\t%s\n' "$line" "${why:--}" | sed 's/\tFAIL/\tfail/g' >>"$rows"
	echo "check-generalize: $p done" >&2
done
[ -s "$rows" ] && $REPORT table "$rows"
exit $status
