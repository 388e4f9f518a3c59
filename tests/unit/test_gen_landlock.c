/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --landlock (gen_landlock.c): a directory several files of which
 * were read, or that was listed, is ruled whole; a lone file stays a file
 * rule; make and write go to the directory written in; system roots are
 * never widened and /, /home and a home never granted; devices get
 * ioctl_dev, libraries execute, another process's /proc nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/gen_landlock.h"
#include "helpers.h"

#define HEAD "{\"format\": \"scmpkit-trace\", \"version\": 1, \"minor\": 2, " \
	     "\"executables\": [\"/nonexistent/bin/prog\"], \"syscalls\": [], "

static struct sk_trace *trace_of(const char *json)
{
	struct sk_trace *t = NULL;
	struct sk_err err = { "" };

	if (sk_trace_parse(json, strlen(json), "t.json", &t, &err))
		fail_msg("refused: %s", err.msg);
	return t;
}

/* The rule on path, or NULL. */
static const struct sk_ll_path *rule(const struct sk_landlock *ll, const char *path)
{
	for (size_t i = 0; i < ll->n_paths; i++)
		if (!strcmp(ll->paths[i].path, path))
			return &ll->paths[i];
	return NULL;
}

static bool noted(const struct sk_warn *w, const char *part)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->msgs[i], part))
			return true;
	return false;
}

#define R(p, a, k) "{\"path\": \"" p "\", \"access\": [" a "], \"kind\": \"" k "\", \"count\": 1, \"exe\": [0]}"

static void test_generalize(void **state)
{
	static const char json[] = HEAD "\"paths\": ["
		R("/data/x/a", "\"read_file\"", "file") ", " R("/data/x/b", "\"read_file\"", "file") ", "
		R("/data/x/c", "\"read_file\"", "file") ", " R("/data/y/one", "\"read_file\"", "file") ", "
		R("/data/z", "\"read_dir\"", "dir") ", "
		R("/etc/a", "\"read_file\"", "file") ", " R("/etc/b", "\"read_file\"", "file") ", "
		R("/etc/c", "\"read_file\"", "file") ", " R("/home/u", "\"read_dir\"", "dir") ", "
		R("/", "\"read_dir\"", "dir") ", "
		R("/w/out.tgz", "\"write_file\", \"make_reg\"", "missing") ", "
		R("/proc/123/stat", "\"read_file\"", "file") ", " R("/proc/self/maps", "\"read_file\"", "file") ", "
		R("/dev/null", "\"write_file\"", "device") ", " R("/lib/libz.so.1", "\"read_file\"", "file") ", "
		R("/etc/ld.so.cache", "\"read_file\"", "file") ", "
		R("/gone", "\"read_file\"", "missing") ", " R("/data/y/st", "", "file") "],"
		" \"ports\": [{\"port\": 8080, \"access\": [\"connect_tcp\"], \"count\": 2}]}";
	struct sk_trace *t = trace_of(json);
	struct sk_landlock *ll = NULL;
	struct sk_warn notes = { 0 }, warn = { 0 };
	struct sk_err err = { "" };
	char *files[] = { (char *)"t.json" };

	(void)state;
	assert_int_equal(sk_gen_landlock(&t, 1, files, &ll, &notes, &warn, &err), 0);
	assert_int_equal(warn.n, 0);
	assert_non_null(rule(ll, "/data/x"));
	assert_int_equal(rule(ll, "/data/x")->access, SK_LL_FS_READ_FILE);
	assert_null(rule(ll, "/data/x/a"));
	assert_int_equal(rule(ll, "/data/y/one")->access, SK_LL_FS_READ_FILE);
	assert_null(rule(ll, "/data/y"));
	assert_null(rule(ll, "/data/y/st"));
	assert_int_equal(rule(ll, "/data/z")->access, SK_LL_FS_READ_DIR);
	assert_null(rule(ll, "/etc"));
	assert_non_null(rule(ll, "/etc/a"));
	assert_null(rule(ll, "/home/u"));
	assert_true(noted(&notes, "/home/u: never granted wholesale"));
	assert_null(rule(ll, "/"));
	assert_int_equal(rule(ll, "/w")->access, SK_LL_FS_MAKE_REG | SK_LL_FS_WRITE_FILE);
	assert_null(rule(ll, "/w/out.tgz"));
	assert_null(rule(ll, "/proc/123/stat"));
	assert_true(noted(&notes, "/proc/123/stat: another process's"));
	assert_non_null(rule(ll, "/proc/self/maps"));
	assert_int_equal(rule(ll, "/dev/null")->access, SK_LL_FS_WRITE_FILE | SK_LL_FS_IOCTL_DEV);
	assert_int_equal(rule(ll, "/lib/libz.so.1")->access, SK_LL_FS_READ_FILE | SK_LL_FS_EXECUTE);
	assert_int_equal(rule(ll, "/etc/ld.so.cache")->access, SK_LL_FS_READ_FILE);
	assert_null(rule(ll, "/gone"));
	assert_true(noted(&notes, "/gone: not there"));
	assert_int_equal(rule(ll, "/nonexistent/bin/prog")->access,
			 SK_LL_FS_READ_FILE | SK_LL_FS_EXECUTE);
	assert_int_equal(ll->n_ports, 1);
	assert_int_equal(ll->ports[0].port, 8080);
	assert_string_equal(ll->ports[0].reason, "connected to 2 times");
	assert_non_null(rule(ll, "/data/x")->reason);
	sk_warn_clear(&notes);
	sk_landlock_free(ll);
	sk_trace_free(t);
}

static void test_nested(void **state)
{
	/* Three subdirectories ruled whole make their parent whole. */
	static const char json[] = HEAD "\"paths\": ["
		R("/p/a", "\"read_dir\"", "dir") ", " R("/p/b", "\"read_dir\"", "dir") ", "
		R("/p/c/1", "\"read_file\"", "file") ", " R("/p/c/2", "\"read_file\"", "file") ", "
		R("/p/c/3", "\"read_file\"", "file") "]}";
	struct sk_trace *t = trace_of(json);
	struct sk_landlock *ll = NULL;
	struct sk_warn notes = { 0 }, warn = { 0 };
	struct sk_err err = { "" };
	char *files[] = { (char *)"t.json" };

	(void)state;
	assert_int_equal(sk_gen_landlock(&t, 1, files, &ll, &notes, &warn, &err), 0);
	assert_int_equal(rule(ll, "/p")->access, SK_LL_FS_READ_FILE | SK_LL_FS_READ_DIR);
	assert_null(rule(ll, "/p/a"));
	assert_null(rule(ll, "/p/c"));
	sk_warn_clear(&notes);
	sk_landlock_free(ll);
	sk_trace_free(t);
}

static void test_no_paths(void **state)
{
	struct sk_trace *t = trace_of("{\"format\": \"scmpkit-trace\", \"version\": 1, "
				      "\"backend\": \"bpf\", \"syscalls\": []}");
	struct sk_landlock *ll = NULL;
	struct sk_warn notes = { 0 }, warn = { 0 };
	struct sk_err err = { "" };
	char *files[] = { (char *)"b.json" };
	const char *prev = NULL, *r;

	(void)state;
	assert_int_equal(sk_gen_landlock(&t, 1, files, &ll, &notes, &warn, &err), -EINVAL);
	th_assert_msg(err.msg, "b.json: no trace holds paths: record with scmp-trace --backend notify or ptrace (bpf keeps none yet)");
	th_assert_msg(warn.msgs[0], "b.json: no paths recorded (backend bpf): its files and ports are not in the ruleset");
	sk_warn_clear(&warn);
	sk_trace_free(t);
	for (size_t i = 0; (r = sk_gen_ll_root_at(i)); i++) {
		if (prev)
			assert_true(strcmp(prev, r) < 0);
		prev = r;
	}
}

static void test_replay(void **state)
{
	static const char json[] = HEAD "\"paths\": ["
		R("/data/x/a", "\"read_file\"", "file") ", " R("/etc/shadow", "\"read_file\"", "file") ", "
		R("/w/new", "\"write_file\", \"make_reg\"", "missing") ", "
		R("/gone", "\"read_file\"", "missing") ", " R("/data/x", "\"read_file\"", "dir") "],"
		" \"ports\": [{\"port\": 80, \"access\": [\"connect_tcp\"], \"count\": 1},"
		" {\"port\": 443, \"access\": [\"connect_tcp\"], \"count\": 1}]}";
	static const char rules[] = "{\"format\": \"scmpkit-landlock\", \"version\": 1, \"fs\": ["
		"{\"path\": \"/data\", \"access\": [\"read_file\"]}],"
		" \"net\": [{\"port\": 443, \"access\": [\"connect_tcp\"]}]}";
	struct sk_trace *t = trace_of(json);
	struct sk_landlock *ll = NULL;
	struct sk_err err = { "" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(sk_landlock_parse(rules, strlen(rules), "r.json", &ll, &err), 0);
	assert_int_equal(sk_landlock_replay(f, ll, t, "t.json"), 4);
	fclose(f);
	assert_string_equal(buf,
		"landlock refuses: /data/x: read_dir (by prog) in t.json\n"
		"landlock refuses: /etc/shadow: read_file (by prog) in t.json\n"
		"landlock refuses: /w/new: make_reg (by prog) in t.json\n"
		"landlock refuses: TCP port 80: connect_tcp in t.json\n");
	free(buf);
	sk_landlock_keep_refused(ll, t);
	assert_int_equal(t->n_paths, 3);
	assert_string_equal(t->paths[0].path, "/data/x");
	assert_string_equal(t->paths[1].path, "/etc/shadow");
	assert_string_equal(t->paths[2].path, "/w/new");
	assert_int_equal(t->n_ports, 1);
	assert_int_equal(t->ports[0].port, 80);
	sk_landlock_free(ll);
	sk_trace_free(t);
}

static void test_systemd(void **state)
{
	static const char rules[] = "{\"format\": \"scmpkit-landlock\", \"version\": 1, \"fs\": ["
		"{\"path\": \"/out dir\", \"access\": [\"make_reg\", \"write_file\"]},"
		" {\"path\": \"/usr/bin/tar\", \"access\": [\"execute\", \"read_file\"]},"
		" {\"path\": \"/data\", \"access\": [\"read_file\"]}],"
		" \"net\": [{\"port\": 8080, \"access\": [\"bind_tcp\"]}]}";
	struct sk_landlock *ll = NULL;
	struct sk_err err = { "" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(sk_landlock_parse(rules, strlen(rules), "r.json", &ll, &err), 0);
	assert_int_equal(sk_landlock_systemd(f, ll), 0);
	fclose(f);
	assert_non_null(strstr(buf, "ReadOnlyPaths=/\nReadWritePaths=\"-/out dir\"\n"));
	assert_non_null(strstr(buf, "NoExecPaths=/\nExecPaths=-/usr/bin/tar\n"));
	assert_non_null(strstr(buf, "SocketBindAllow=tcp:8080\nSocketBindDeny=any\n"));
	assert_non_null(strstr(buf, "# Not said: TCP connect only to 0 ports"));
	assert_non_null(strstr(buf, "# Not said: reads only beneath the 3 paths"));
	assert_null(strstr(buf, "ExecPaths=-/data"));
	free(buf);
	sk_landlock_free(ll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generalize),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_no_paths),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_systemd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
