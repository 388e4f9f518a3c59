/* SPDX-License-Identifier: MIT */
/*
 * Copies of what a container executed (ctr_files.c) and the two file
 * helpers under them (fileio.c): paths joined under a root lexically,
 * opens that stay inside a tree, and the walk from an executable to its
 * interpreter and libraries, all read in a fake container's tree, none
 * on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scmpkit/fileio.h"
#include "../../lib/ctr_files.h"
#include "../../lib/elf_read.h"
#include "helpers.h"

static void expect_under(const char *root, const char *path, const char *want)
{
	char out[PATH_MAX];

	assert_int_equal(sk_path_under(root, path, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_path_under(void **state)
{
	char small[8];

	(void)state;
	expect_under("/c", "/bin/sh", "/c/bin/sh");
	expect_under("/c/", "//bin/./sh", "/c/bin/sh");
	expect_under("/c", "/usr/bin/../lib/x.so", "/c/usr/lib/x.so");
	/* Never above the root, however many "..". */
	expect_under("/c", "/../../etc/passwd", "/c/etc/passwd");
	expect_under("/c", "/lib/../../..", "/c/");
	expect_under(NULL, "/a/../../b", "/b");
	expect_under("", "a/b/", "/a/b");
	expect_under("/", "/bin/sh", "/bin/sh");
	assert_int_equal(sk_path_under("/c", "/bin/sh", small, sizeof(small)), -ENAMETOOLONG);
}

/* The file at path under d, read whole, or NULL. */
static char *read_at(const struct th_dir *d, const char *name)
{
	return th_read(th_at(d, name), NULL);
}

static void copy_host(const char *from, const char *to)
{
	char cmd[PATH_MAX * 3 + 64];

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && cp '%s' '%s'", to, from, to);
	assert_int_equal(system(cmd), 0);
}

/* Where ld.so finds libc for /bin/true on this host (the first candidate
 * that is there), or "" when /bin/true needs none by that name. */
static void host_lib(const char *name, char *out, size_t len)
{
	struct sk_elf *x = NULL;
	struct sk_err err;
	char **cand = NULL;
	size_t n = 0;

	out[0] = '\0';
	assert_int_equal(sk_elf_read("/bin/true", &x, &err), 0);
	assert_int_equal(sk_elf_lib_paths(name, x, "/bin/true", x, &cand, &n), 0);
	for (size_t i = 0; i < n && !out[0]; i++)
		if (!access(cand[i], F_OK))
			snprintf(out, len, "%s", cand[i]);
	sk_elf_paths_free(cand, n);
	sk_elf_free(x);
}

static void test_open_in_root(void **state)
{
	struct th_dir d;
	int root, fd;

	(void)state;
	th_dir_make(&d, "ctr_files");
	assert_int_equal(mkdir(th_at(&d, "etc"), 0755), 0);
	th_put(th_at(&d, "etc/hostname"), "inside\n");
	assert_int_equal(symlink("/etc/hostname", th_at(&d, "abs")), 0);
	assert_int_equal(symlink("../../../../etc/hostname", th_at(&d, "up")), 0);
	root = open(d.path, O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	/* Absolute links and ".." resolve inside the tree: its file, never the host's. */
	for (int i = 0; i < 3; i++) {
		char buf[16] = "";

		fd = sk_open_in_root(root, i == 0 ? "/abs" : i == 1 ? "/up" : "/../etc/hostname",
				     O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(read(fd, buf, sizeof(buf) - 1), 7);
		assert_string_equal(buf, "inside\n");
		close(fd);
	}
	assert_int_equal(sk_open_in_root(root, "/nope", O_RDONLY), -ENOENT);
	close(root);
	th_dir_remove(&d);
}

static void test_copy(void **state)
{
	char libc[PATH_MAX], lib_at[PATH_MAX + 64];
	char e0[] = "/bin/sh", e1[] = "/bin/link", e2[] = "/bin/escape", e3[] = "/bin/absent";
	char *exes[] = { e0, e1, e2, e3 };
	struct sk_ctr_files_stats st;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct th_dir d;
	bool absent_warned = false, escape_warned = false;
	char *a, *b;
	int root;

	(void)state;
	host_lib("libc.so.6", libc, sizeof(libc));
	if (!libc[0])
		skip();
	th_dir_make(&d, "ctr_files");
	/* The container: /bin/sh a script run by /bin/interp (the host's
	 * /bin/true), its libc where ld.so looks, links in and out. */
	assert_int_equal(mkdir(th_at(&d, "root"), 0755), 0);
	assert_int_equal(mkdir(th_at(&d, "root/bin"), 0755), 0);
	th_put(th_at(&d, "root/bin/sh"), "#!/bin/interp -x\n");
	copy_host("/bin/true", th_at(&d, "root/bin/interp"));
	snprintf(lib_at, sizeof(lib_at), "%s/root%s", d.path, libc);
	copy_host(libc, lib_at);
	assert_int_equal(symlink("/bin/interp", th_at(&d, "root/bin/link")), 0);
	assert_int_equal(symlink("/etc/hostname", th_at(&d, "root/bin/escape")), 0);
	root = open(th_at(&d, "root"), O_PATH | O_DIRECTORY);
	assert_true(root >= 0);
	if (sk_ctr_copy_files(root, exes, 4, th_at(&d, "copy"), &st, &warn, &err))
		fail_msg("%s", err.msg);
	/* sh, interp, libc (link is interp again, by its own path). */
	assert_int_equal(st.kept, 0);
	assert_true(st.copied >= 4);
	a = read_at(&d, "copy/bin/sh");
	assert_string_equal(a, "#!/bin/interp -x\n");
	free(a);
	a = read_at(&d, "copy/bin/link");
	b = read_at(&d, "copy/bin/interp");
	assert_non_null(a);
	assert_non_null(b);
	free(a);
	free(b);
	snprintf(lib_at, sizeof(lib_at), "%s/copy%s", d.path, libc);
	assert_int_equal(access(lib_at, F_OK), 0);
	/* The link out of the tree found no file in it: the host's was not taken. */
	assert_int_not_equal(access(th_at(&d, "copy/etc/hostname"), F_OK), 0);
	assert_int_not_equal(access(th_at(&d, "copy/bin/escape"), F_OK), 0);
	for (size_t i = 0; i < warn.n; i++) {
		absent_warned |= strstr(warn.msgs[i], "/bin/absent: not in the container") != NULL;
		escape_warned |= strstr(warn.msgs[i], "/bin/escape: not in the container") != NULL;
	}
	assert_true(absent_warned);
	assert_true(escape_warned);
	assert_true(st.failed >= 2);
	sk_warn_clear(&warn);
	/* Again (a checkpoint): what is there is kept. */
	assert_int_equal(sk_ctr_copy_files(root, exes, 2, th_at(&d, "copy"), &st, &warn, &err), 0);
	assert_int_equal(st.copied, 0);
	assert_true(st.kept >= 3);
	sk_warn_clear(&warn);
	close(root);
	th_dir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_under),
		cmocka_unit_test(test_open_in_root),
		cmocka_unit_test(test_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
