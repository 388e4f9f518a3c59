# Shared by test_ctr_apps_docker.sh and test_ctr_apps_podman.sh (sourced
# after lib.sh and containers.sh): issue 22's "What it must show".  Three
# images built from host files - busybox running a shell pipeline, nginx
# serving files on 127.0.0.1 (--network host, a free port) and reloaded
# with SIGHUP, python3 with threads and a subprocess - each RECORDED AS
# THE CONTAINER RUNS with scmp-trace --containers, its profile generated
# from that trace (scmp-gen's defaults: kill-process), and the container
# started under its profile on ANOTHER input, with and without
# no-new-privileges: the same output and exit status as unconfined.
# ENGINE is the client command, ENGINE_RUN the options every run needs,
# tmp the test's directory.
# shellcheck shell=sh disable=SC2034,SC2154,SC2015,SC2086 # set by the tests; option lists are words

# ca_rootfs_nginx DIR PORT: nginx (Debian's nginx-light or nginx) with what
# ldd lists, a configuration listening on 127.0.0.1:PORT, the users it
# switches its workers to, and the files it serves.
ca_rootfs_nginx() {
	_ngx=$(command -v nginx || echo /usr/sbin/nginx)
	mkdir -p "$1/usr/sbin" "$1/etc/nginx" "$1/var/lib/nginx" "$1/var/log/nginx" \
		"$1/run" "$1/tmp" "$1/dev" "$1/proc" "$1/sys" "$1/srv/sub" || return 1
	cp "$_ngx" "$1/usr/sbin/nginx" || return 1
	for _l in $(ldd "$_ngx" | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
		cp -L --parents "$_l" "$1" || return 1
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$1/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
	cat >"$1/etc/nginx/nginx.conf" <<EOF
user nobody nogroup;
worker_processes 1;
error_log stderr notice;
events { worker_connections 64; }
http {
	access_log off;
	default_type text/plain;
	server {
		listen 127.0.0.1:$2;
		root /srv;
		location /sub/ { autoindex on; }
	}
}
EOF
	echo "index of scmpkit's nginx image" >"$1/srv/index.html"
	echo "another file, never fetched while recording" >"$1/srv/other.txt"
	seq 1 2000 >"$1/srv/sub/numbers.txt"
}

# ca_free_port: a TCP port on 127.0.0.1 nobody listens on now.
ca_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The nginx driver: ENGINE, ENGINE_RUN, PORT from the environment;
# ngx.sh NAME IMAGE SECURITY-OPTS PATHS...: starts the container, fetches
# PATHS (status and body, a line per path), reloads it with SIGHUP, waits
# for the new worker, fetches PATHS again, stops it; prints the responses
# and the container's exit status.
ca_write_driver() {
	cat >"$tmp/fetch.py" <<'PY'
import sys, urllib.error, urllib.request
port = sys.argv[1]
for p in sys.argv[2:]:
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, p), timeout=20) as r:
            body = r.read()
            code = r.status
    except urllib.error.HTTPError as e:
        body, code = b"", e.code
    print(p, code, len(body), body[:80])
PY
	cat >"$tmp/ngx.sh" <<'SH'
name=$1 image=$2 sec=$3
shift 3
$ENGINE run -d --network host $ENGINE_RUN $sec --name "$name" "$image" \
	/usr/sbin/nginx -g 'daemon off;' >/dev/null || exit 125
up() { python3 "$tmp/fetch.py" "$PORT" / >/dev/null 2>&1; }
i=0
until up; do
	[ $i -ge 300 ] && { $ENGINE logs "$name" >&2; $ENGINE rm -f "$name" >/dev/null; exit 124; }
	sleep 0.1
	i=$((i + 1))
done
python3 "$tmp/fetch.py" "$PORT" "$@"
$ENGINE kill -s HUP "$name" >/dev/null
# The reload is done when the old worker has exited (nginx says so).
i=0
until $ENGINE logs "$name" 2>&1 | grep -q 'exited with code'; do
	[ $i -ge 300 ] && { echo "no reload"; break; }
	sleep 0.1
	i=$((i + 1))
done
python3 "$tmp/fetch.py" "$PORT" "$@"
$ENGINE stop -t 20 "$name" >/dev/null
echo "exit $($ENGINE inspect -f '{{.State.ExitCode}}' "$name")"
$ENGINE rm -f "$name" >/dev/null
SH
}

# ca_gen NAME: the profile generated from NAME's trace in $tmp/rec, into
# $tmp/NAME.json, after checking that the trace is the container's.
ca_gen() {
	_t=$(ls "$tmp/rec/$1"-*.json 2>/dev/null | head -1)
	[ -n "$_t" ] || fail "$1: no trace was written: $(ls "$tmp/rec")"
	python3 - "$_t" "$1" <<'PY' || fail "$1: not the container's trace: $(head -c 600 "$_t")"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["container"]
assert c["name"] == sys.argv[2] and c["start"] == "filter" and d["complete"], c
assert any(s.get("origin") == "runtime" for s in d["syscalls"]), "no runtime calls"
assert c.get("files"), "no copies of its executables"
PY
	run_tool "$B/scmp-gen" -q -o "$tmp/$1.json" "$_t" || fail "scmp-gen on $1's trace failed"
	grep -q '"defaultAction": "SCMP_ACT_KILL_PROCESS"' "$tmp/$1.json" ||
		fail "$1: the profile's default action is not kill-process"
}

# ca_same_stdin LABEL PROFILE NNP INPUT IMAGE CMD...: as ct_same.
ca_same_stdin() {
	ct_same "$@" || fail "$1 under the profile from its --containers trace ($3): not as unconfined"
}

# ca_same_ngx LABEL PROFILE NNP IMAGE PATHS...: the nginx driver under
# PROFILE and unconfined, compared.
ca_same_ngx() {
	_l=$1 _p=$2 _n='' _img=$4
	[ "$3" = nnp ] && _n="--security-opt no-new-privileges"
	shift 4
	sh "$tmp/ngx.sh" "sk-ngx-ref-$$" "$_img" "$_n --security-opt seccomp=unconfined" "$@" \
		>"$tmp/ngx.ref" 2>"$tmp/ngx.ref.err"
	_ref=$?
	sh "$tmp/ngx.sh" "sk-ngx-got-$$" "$_img" "$_n --security-opt seccomp=$_p" "$@" \
		>"$tmp/ngx.got" 2>"$tmp/ngx.got.err"
	_got=$?
	[ $_ref = 0 ] && grep -q "^exit 0" "$tmp/ngx.ref" ||
		fail "$_l ($3): nginx did not run unconfined ($_ref): $(cat "$tmp/ngx.ref" "$tmp/ngx.ref.err")"
	grep -q "no reload" "$tmp/ngx.ref" && fail "$_l ($3): nginx did not reload unconfined"
	[ $_got = $_ref ] && cmp -s "$tmp/ngx.ref" "$tmp/ngx.got" ||
		fail "$_l ($3): under its profile, not as unconfined: $(diff "$tmp/ngx.ref" "$tmp/ngx.got"; cat "$tmp/ngx.got.err")"
}

# ca_all PREFIX: the three images, recorded, generated, compared.
ca_all() {
	_pre=$1
	ct_rootfs_bb "$tmp/bb" || fail "cannot build the busybox rootfs"
	ct_rootfs_py "$tmp/py" || fail "cannot build the python3 rootfs"
	PORT=$(ca_free_port) || fail "no free port on 127.0.0.1"
	ca_rootfs_nginx "$tmp/ngx" "$PORT" || fail "cannot build the nginx rootfs"
	ca_write_driver
	export ENGINE ENGINE_RUN PORT tmp
	for _i in bb py ngx; do
		ct_import "$_pre-$_i" "$tmp/$_i" || fail "cannot import $tmp/$_i"
	done
	echo 4 >"$tmp/in-rec"
	echo 9 >"$tmp/in-run"
	mkdir -p "$tmp/rec"
	# Recorded as the containers run: one command, three containers
	# one after another, nginx reloaded while recorded.
	"$B/scmp-trace" -q --containers -o "$tmp/rec" -- $ENGINE run --rm -i --network none \
		$ENGINE_RUN --name "$_pre-bb-rec" "$_pre-bb" /bin/sh -c "$CT_SH" \
		<"$tmp/in-rec" >"$tmp/bb.out" 2>"$tmp/err"
	_rc=$?
	[ $_rc = 4 ] || fail "busybox recorded: exit $_rc (want 4): $(cat "$tmp/err")"
	"$B/scmp-trace" -q --containers -o "$tmp/rec" -- $ENGINE run --rm -i --network none \
		$ENGINE_RUN --name "$_pre-py-rec" "$_pre-py" /usr/bin/python3 -I -S -c "$CT_PY" \
		<"$tmp/in-rec" >"$tmp/py.out" 2>"$tmp/err"
	_rc=$?
	[ $_rc = 4 ] || fail "python3 recorded: exit $_rc (want 4): $(cat "$tmp/err")"
	"$B/scmp-trace" -q --containers -o "$tmp/rec" -- sh "$tmp/ngx.sh" "$_pre-ngx-rec" \
		"$_pre-ngx" "" / /index.html /missing >"$tmp/ngx.out" 2>"$tmp/err" ||
		fail "nginx recorded: $(cat "$tmp/ngx.out" "$tmp/err")"
	grep -q "^exit 0" "$tmp/ngx.out" && ! grep -q "no reload" "$tmp/ngx.out" ||
		fail "nginx recorded: $(cat "$tmp/ngx.out")"
	for _i in bb py ngx; do
		ca_gen "$_pre-$_i-rec"
	done
	for _m in privs nnp; do
		ca_same_stdin busybox "$tmp/$_pre-bb-rec.json" $_m "$tmp/in-run" "$_pre-bb" /bin/sh -c "$CT_SH"
		ca_same_stdin python3 "$tmp/$_pre-py-rec.json" $_m "$tmp/in-run" "$_pre-py" \
			/usr/bin/python3 -I -S -c "$CT_PY"
		ca_same_ngx nginx "$tmp/$_pre-ngx-rec.json" $_m "$_pre-ngx" /other.txt /sub/ \
			/sub/numbers.txt /nope
	done
	note "busybox, python3, nginx (reloaded): recorded with --containers; under their profiles, with and without no-new-privileges, on other inputs: the same output and exit status as unconfined"
}
