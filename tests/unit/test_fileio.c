/* SPDX-License-Identifier: MIT */
/*
 * Inputs and outputs: reads stop at their bound (files, pipes, devices that
 * never end), outputs refuse FIFOs, directories, an input, and a link
 * another user planted in a sticky directory; a link of our own is replaced,
 * never written through; /dev/null and the stream names are written in place.
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
#include <unistd.h>
#include <cmocka.h>

#include "scmpkit/fileio.h"
#include "helpers.h"

/* The file's text, compared with want. */
static void expect_text(const char *path, const char *want)
{
	char *text = th_read(path, NULL);

	assert_string_equal(text, want);
	free(text);
}

static void expect_err(int ret, int want, const struct sk_err *err,
		       const char *msg)
{
	assert_int_equal(ret, want);
	th_assert_msg_has(err->msg, msg);
}

static void test_read_bounded(void **state)
{
	struct sk_err err = { "" };
	char *text = NULL, name[64], hundred[101];
	struct th_dir d;
	size_t len = 0;
	int p[2];

	(void)state;
	th_dir_make(&d, "fileio");
	memset(hundred, 'x', 100);
	hundred[100] = '\0';
	th_put(th_at(&d, "f"), hundred);
	assert_int_equal(sk_read_file_max(th_at(&d, "f"), 100, &text, &len, &err), 0);
	assert_int_equal(len, 100);
	free(text);
	expect_err(sk_read_file_max(th_at(&d, "f"), 99, &text, &len, &err), -EFBIG,
		   &err, "/f: larger than 99 bytes, the most scmpkit reads");
	/* A pipe has no size to look at: the bound holds while reading. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], hundred, 100), 100);
	close(p[1]);
	snprintf(name, sizeof(name), "/proc/self/fd/%d", p[0]);
	expect_err(sk_read_file_max(name, 99, &text, &len, &err), -EFBIG, &err,
		   "larger than 99 bytes");
	close(p[0]);
	/* A device that never ends. */
	expect_err(sk_read_file_max("/dev/zero", 1 << 20, &text, &len, &err),
		   -EFBIG, &err, "/dev/zero: larger than 1 MiB, the most scmpkit reads");
	/* A file known to be too big is refused before it is read. */
	assert_int_equal(truncate(th_at(&d, "f"), (off_t)SK_READ_MAX + 1), 0);
	expect_err(sk_read_file(th_at(&d, "f"), &text, &len, &err), -EFBIG, &err,
		   "larger than 256 MiB, the most scmpkit reads");
	th_dir_remove(&d);
}

static void test_output_kinds(void **state)
{
	struct sk_err err = { "" };
	struct stat st;
	struct th_dir d;

	(void)state;
	th_dir_make(&d, "fileio");
	assert_int_equal(sk_output_check(th_at(&d, "new.json"), &err), 0);
	th_put(th_at(&d, "old.json"), "old");
	assert_int_equal(sk_output_check(th_at(&d, "old.json"), &err), 0);
	assert_int_equal(sk_output_check("-", &err), 1);
	assert_int_equal(sk_output_check("/dev/stdout", &err), 1);
	assert_int_equal(sk_output_check("/dev/null", &err), 1);
	expect_err(sk_output_check(th_at(&d, "no/x.json"), &err), -ENOENT, &err,
		   "/no/x.json: directory ");
	expect_err(sk_output_check(d.path, &err), -EISDIR, &err, "is a directory");
	assert_int_equal(mkfifo(th_at(&d, "fifo"), 0600), 0);
	expect_err(sk_output_check(th_at(&d, "fifo"), &err), -EINVAL, &err,
		   "/fifo: is a FIFO, not a regular file; not writing to it");
	/* Writing it does not wait for a reader: it is refused at once. */
	expect_err(sk_write_atomic(th_at(&d, "fifo"), "x", 1, &err), -EINVAL, &err,
		   "is a FIFO");
	assert_int_equal(lstat(th_at(&d, "fifo"), &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(sk_write_atomic("/dev/null", "x", 1, &err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	expect_err(sk_write_atomic("/dev/full", "x", 1, &err), -ENOSPC, &err,
		   "/dev/full: No space left on device");
	th_dir_remove(&d);
}

/* Our own link: replaced by the new file; what it named is not written. */
static void test_own_link_replaced(void **state)
{
	struct sk_err err = { "" };
	struct stat st;
	struct th_dir d;

	(void)state;
	th_dir_make(&d, "fileio");
	th_put(th_at(&d, "target"), "precious");
	assert_int_equal(symlink(th_at(&d, "target"), th_at(&d, "link")), 0);
	assert_int_equal(sk_write_atomic(th_at(&d, "link"), "new", 3, &err), 0);
	assert_int_equal(lstat(th_at(&d, "link"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	expect_text(th_at(&d, "link"), "new");
	expect_text(th_at(&d, "target"), "precious");
	/* A dangling one: no file appears where it pointed. */
	assert_int_equal(symlink(th_at(&d, "nowhere"), th_at(&d, "dangling")), 0);
	assert_int_equal(sk_write_atomic(th_at(&d, "dangling"), "new", 3, &err), 0);
	assert_int_equal(lstat(th_at(&d, "nowhere"), &st), -1);
	expect_text(th_at(&d, "dangling"), "new");
	th_dir_remove(&d);
}

/* The kernel's protected_symlinks rule, for a link nobody (65534) planted. */
static void test_planted_link(void **state)
{
	struct sk_err err = { "" };
	char shared[128];
	struct stat st;
	struct th_dir d;

	(void)state;
	if (geteuid() != 0)
		skip(); /* planting a link as another user needs root */
	th_dir_make(&d, "fileio");
	snprintf(shared, sizeof(shared), "%s", th_at(&d, "shared"));
	assert_int_equal(mkdir(shared, 0777), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	th_put(th_at(&d, "victim"), "precious");
	assert_int_equal(symlink(th_at(&d, "victim"), th_at(&d, "shared/p.json")), 0);
	assert_int_equal(lchown(th_at(&d, "shared/p.json"), 65534, 65534), 0);
	expect_err(sk_output_check(th_at(&d, "shared/p.json"), &err), -EACCES, &err,
		   "/shared/p.json: a symbolic link owned by another user (uid 65534) in a sticky world-writable directory");
	expect_err(sk_write_atomic(th_at(&d, "shared/p.json"), "x", 1, &err), -EACCES,
		   &err, "symbolic link");
	expect_text(th_at(&d, "victim"), "precious");
	assert_int_equal(lstat(th_at(&d, "shared/p.json"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* Not sticky: the link is ours to replace (rename never follows it). */
	assert_int_equal(chmod(shared, 0777), 0);
	assert_int_equal(sk_write_atomic(th_at(&d, "shared/p.json"), "x", 1, &err), 0);
	expect_text(th_at(&d, "victim"), "precious");
	/* Sticky, but the link's owner owns the directory: as the kernel says. */
	assert_int_equal(chmod(shared, 01777), 0);
	assert_int_equal(chown(shared, 65534, 65534), 0);
	assert_int_equal(symlink(th_at(&d, "victim"), th_at(&d, "shared/q.json")), 0);
	assert_int_equal(lchown(th_at(&d, "shared/q.json"), 65534, 65534), 0);
	assert_int_equal(sk_output_check(th_at(&d, "shared/q.json"), &err), 0);
	th_dir_remove(&d);
}

static void test_not_input(void **state)
{
	struct sk_err err = { "" };
	char in[128], other[128];
	char *inputs[2] = { other, in };
	struct th_dir d;

	(void)state;
	th_dir_make(&d, "fileio");
	snprintf(in, sizeof(in), "%s", th_at(&d, "in.json"));
	snprintf(other, sizeof(other), "%s", th_at(&d, "other.json"));
	th_put(in, "{}");
	th_put(other, "{}");
	assert_int_equal(sk_output_not_input(th_at(&d, "out.json"), inputs, 2, &err), 0);
	expect_err(sk_output_not_input(in, inputs, 2, &err), -EINVAL, &err,
		   "/in.json: is also an input (");
	assert_int_equal(link(in, th_at(&d, "hard.json")), 0);
	expect_err(sk_output_not_input(th_at(&d, "hard.json"), inputs, 2, &err),
		   -EINVAL, &err, "/hard.json: is also an input (");
	/* A link to an input is replaced, so the input survives: allowed. */
	assert_int_equal(symlink(in, th_at(&d, "soft.json")), 0);
	assert_int_equal(sk_output_not_input(th_at(&d, "soft.json"), inputs, 2, &err), 0);
	assert_int_equal(sk_output_not_input("/dev/null", inputs, 2, &err), 0);
	assert_int_equal(sk_output_not_input("-", inputs, 2, &err), 0);
	th_dir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_bounded),
		cmocka_unit_test(test_output_kinds),
		cmocka_unit_test(test_own_link_replaced),
		cmocka_unit_test(test_planted_link),
		cmocka_unit_test(test_not_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
