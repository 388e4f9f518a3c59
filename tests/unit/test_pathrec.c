/* SPDX-License-Identifier: MIT */
/*
 * Recording paths (issue 26): the path knowledge table (pathknow.c) is
 * sorted, unique and resolvable, and says the Landlock rights each call
 * needs; the path table (pathrec.c) normalises, deduplicates, stops at its
 * bound with "paths_unbounded"; trace.json's paths and ports round-trip,
 * and bad ones are named with the file and JSON path.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <seccomp.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include "scmpkit/filter.h"
#include "scmpkit/landlock.h"
#include "scmpkit/pathrec.h"
#include "../../lib/pathknow.h"
#include "helpers.h"

static void test_table(void **state)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64 };
	unsigned n;
	const struct sk_pathspec *t = sk_pathspec_table(&n);

	(void)state;
	assert_true(n > 20);
	for (unsigned i = 0; i < n; i++) {
		int found = 0;

		if (i)
			assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
		for (unsigned a = 0; a < 2; a++)
			found |= sk_syscall_nr(arches[a], t[i].name) >= 0;
		if (!found)
			fail_msg("%s is known to no arch", t[i].name);
		assert_true(t[i].path >= 0 && t[i].path < 6);
		assert_non_null(t[i].why);
		assert_ptr_equal(sk_pathspec_find(t[i].name), &t[i]);
	}
	assert_null(sk_pathspec_find("read"));
}

static uint64_t access_of(const char *name, int second, uint64_t flags)
{
	return sk_path_access(sk_pathspec_find(name), second, flags);
}

static void test_access(void **state)
{
	(void)state;
	assert_int_equal(access_of("openat", 0, O_RDONLY), SK_LL_FS_READ_FILE);
	assert_int_equal(access_of("openat", 0, O_RDONLY | O_DIRECTORY), SK_LL_FS_READ_DIR);
	assert_int_equal(access_of("open", 0, O_WRONLY | O_CREAT | O_TRUNC),
			 SK_LL_FS_WRITE_FILE | SK_LL_FS_MAKE_REG | SK_LL_FS_TRUNCATE);
	assert_int_equal(access_of("openat", 0, O_RDWR),
			 SK_LL_FS_READ_FILE | SK_LL_FS_WRITE_FILE);
	assert_int_equal(access_of("openat", 0, O_PATH), 0);
	assert_int_equal(access_of("execve", 0, 0), SK_LL_FS_EXECUTE);
	assert_int_equal(access_of("newfstatat", 0, 0), 0);
	assert_int_equal(access_of("unlinkat", 0, AT_REMOVEDIR), SK_LL_FS_REMOVE_DIR);
	assert_int_equal(access_of("unlinkat", 0, 0), SK_LL_FS_REMOVE_FILE);
	assert_int_equal(access_of("mknodat", 0, S_IFIFO | 0600), SK_LL_FS_MAKE_FIFO);
	assert_int_equal(access_of("renameat2", 0, 0), SK_LL_FS_REMOVE_FILE);
	assert_int_equal(access_of("renameat2", 1, 0), SK_LL_FS_MAKE_REG);
	assert_int_equal(access_of("symlinkat", 0, 0), SK_LL_FS_MAKE_SYM);
	assert_int_equal(access_of("creat", 0, 0),
			 SK_LL_FS_WRITE_FILE | SK_LL_FS_TRUNCATE | SK_LL_FS_MAKE_REG);
}

static void expect_norm(const char *in, int self, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", in);
	sk_path_normalize(buf, self);
	assert_string_equal(buf, want);
}

static void test_normalize(void **state)
{
	(void)state;
	expect_norm("/a/./b//c/", 0, "/a/b/c");
	expect_norm("/a/b/../../../etc", 0, "/etc");
	expect_norm("/", 0, "/");
	expect_norm("/tmp/x/..", 0, "/tmp");
	expect_norm("/proc/42/maps", 42, "/proc/self/maps");
	expect_norm("/proc/7", 7, "/proc/self");
	expect_norm("/proc/421/maps", 42, "/proc/421/maps");
}

static void test_table_bound(void **state)
{
	struct sk_pathrec *pr = sk_pathrec_new();
	struct sk_trace *t = sk_trace_new();
	char path[64];
	bool is_new;
	int idx;

	(void)state;
	assert_non_null(pr);
	idx = sk_pathrec_add(pr, "/etc/hosts", SK_LL_FS_READ_FILE, 0, &is_new);
	assert_true(is_new);
	sk_pathrec_kind(pr, idx, SK_PATH_FILE);
	assert_int_equal(sk_pathrec_add(pr, "/etc/hosts", SK_LL_FS_WRITE_FILE, 1, &is_new), idx);
	assert_false(is_new);
	for (int i = 1; i < SK_PATHREC_MAX; i++) {
		snprintf(path, sizeof(path), "/d/%d", i);
		assert_true(sk_pathrec_add(pr, path, 0, -1, &is_new) >= 0);
	}
	assert_int_equal(sk_pathrec_add(pr, "/one/more", 0, -1, &is_new), -ENOSPC);
	sk_pathrec_port(pr, 8080, SK_LL_NET_CONNECT_TCP);
	sk_pathrec_port(pr, 8080, SK_LL_NET_BIND_TCP);
	assert_int_equal(sk_pathrec_to_trace(pr, t), 0);
	assert_true(t->has_paths);
	assert_true(t->paths_unbounded);
	assert_int_equal(t->n_paths, SK_PATHREC_MAX);
	assert_string_equal(t->paths[t->n_paths - 1].path, "/etc/hosts");
	assert_int_equal(t->paths[t->n_paths - 1].access, SK_LL_FS_READ_FILE | SK_LL_FS_WRITE_FILE);
	assert_int_equal(t->paths[t->n_paths - 1].n_exe, 2);
	assert_int_equal(t->paths[t->n_paths - 1].count, 2);
	assert_int_equal(t->n_ports, 1);
	assert_int_equal(t->ports[0].access, SK_LL_NET_CONNECT_TCP | SK_LL_NET_BIND_TCP);
	sk_trace_free(t);
	sk_pathrec_free(pr);
}

#define HEAD "{\"format\": \"scmpkit-trace\", \"version\": 1, \"executables\": [\"/bin/x\"], " \
	     "\"syscalls\": [], "

static void expect_error(const char *json, const char *msg)
{
	struct sk_trace *t = NULL;
	struct sk_err err = { "" };

	assert_int_equal(sk_trace_parse(json, strlen(json), "t.json", &t, &err), -EINVAL);
	th_assert_msg(err.msg, msg);
}

static void test_trace_roundtrip(void **state)
{
	static const char json[] = HEAD "\"minor\": 2, \"paths\": [{\"path\": \"/usr/lib\", "
		"\"access\": [\"execute\", \"read_file\"], \"kind\": \"dir\", \"count\": 3, \"exe\": [0]},"
		" {\"path\": \"/etc/hosts\", \"access\": [], \"kind\": \"file\", \"count\": 1}],"
		" \"ports\": [{\"port\": 443, \"access\": [\"connect_tcp\"], \"count\": 2}]}";
	struct sk_trace *t = NULL, *u = NULL;
	struct sk_err err = { "" };
	char *text, *text2;

	(void)state;
	assert_int_equal(sk_trace_parse(json, strlen(json), "t.json", &t, &err), 0);
	assert_true(t->has_paths);
	assert_int_equal(t->n_paths, 2);
	assert_string_equal(t->paths[0].path, "/etc/hosts");
	assert_int_equal(t->paths[1].kind, SK_PATH_DIR);
	assert_int_equal(t->paths[1].access, SK_LL_FS_EXECUTE | SK_LL_FS_READ_FILE);
	assert_int_equal(t->ports[0].port, 443);
	text = sk_trace_to_json(t);
	assert_non_null(strstr(text, "\"minor\":2") ? text : strstr(text, "\"minor\": 2"));
	assert_int_equal(sk_trace_parse(text, strlen(text), "u.json", &u, &err), 0);
	text2 = sk_trace_to_json(u);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	sk_trace_free(u);
	sk_trace_free(t);
	expect_error(HEAD "\"paths\": [{\"path\": \"rel\"}]}",
		     "t.json: paths[0].path: missing or not an absolute path");
	expect_error(HEAD "\"paths\": [{\"path\": \"/a\", \"access\": [\"read\"]}]}",
		     "t.json: paths[0].access[0]: unknown access right \"read\"");
	expect_error(HEAD "\"paths\": [{\"path\": \"/a\", \"exe\": [1]}]}",
		     "t.json: paths[0].exe[0]: not an index into \"executables\"");
	expect_error(HEAD "\"ports\": [{\"port\": 65536}]}",
		     "t.json: ports[0].port: missing or not a port number (0 to 65535)");
}

static void test_notify_filter(void **state)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog in = { .len = 1, .filter = allow }, out;
	struct seccomp_data d = { .arch = sk_arch_native() };

	(void)state;
	assert_int_equal(sk_pathrec_notify_filter(&in, &out), 0);
	d.nr = sk_syscall_nr(d.arch, "openat");
	assert_int_equal(sk_cbpf_eval(&out, &d), SECCOMP_RET_USER_NOTIF);
	d.nr = sk_syscall_nr(d.arch, "connect");
	assert_int_equal(sk_cbpf_eval(&out, &d), SECCOMP_RET_USER_NOTIF);
	d.nr = sk_syscall_nr(d.arch, "newfstatat");   /* a look: no right */
	assert_int_equal(sk_cbpf_eval(&out, &d), SECCOMP_RET_ALLOW);
	d.nr = sk_syscall_nr(d.arch, "getpid");
	assert_int_equal(sk_cbpf_eval(&out, &d), SECCOMP_RET_ALLOW);
	d.arch = 0x12345678;            /* another arch: the profile decides */
	d.nr = sk_syscall_nr(sk_arch_native(), "openat");
	assert_int_equal(sk_cbpf_eval(&out, &d), SECCOMP_RET_ALLOW);
	free(out.filter);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_table_bound),
		cmocka_unit_test(test_trace_roundtrip),
		cmocka_unit_test(test_notify_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
