/* SPDX-License-Identifier: MIT */
/*
 * Program lookup before anything runs (resolve.c), as env(1) and execvp
 * find a program: a name with a slash as is, else the first executable in
 * $PATH; -ENOENT when nothing is there, -EACCES when something is but
 * cannot run (no execute bit, a directory), with the messages the tools
 * print.
 */
#include <errno.h>
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

#include "scmpkit/resolve.h"
#include "helpers.h"

/* A directory with bin/prog (executable), bin/data (not), bin/sub/ (a
 * directory), other/prog (executable) and other/data (executable). */
static void make_tree(struct th_dir *d)
{
	th_dir_make(d, "resolve");
	assert_int_equal(mkdir(th_at(d, "bin"), 0755), 0);
	assert_int_equal(mkdir(th_at(d, "bin/sub"), 0755), 0);
	assert_int_equal(mkdir(th_at(d, "other"), 0755), 0);
	th_put(th_at(d, "bin/prog"), "#!/bin/sh\n");
	th_put(th_at(d, "bin/data"), "x\n");
	th_put(th_at(d, "other/prog"), "#!/bin/sh\n");
	th_put(th_at(d, "other/data"), "#!/bin/sh\n");
	assert_int_equal(chmod(th_at(d, "bin/prog"), 0755), 0);
	assert_int_equal(chmod(th_at(d, "bin/data"), 0644), 0);
	assert_int_equal(chmod(th_at(d, "other/prog"), 0755), 0);
	assert_int_equal(chmod(th_at(d, "other/data"), 0755), 0);
}

/* Resolves name with PATH set to path (NULL: unset); the return value,
 * *out the result or "(unchanged)", err its message. */
static int resolve(const char *path, const char *name, char **out,
		   struct sk_err *err)
{
	static char unchanged[] = "(unchanged)";
	char *saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	int ret;

	if (path)
		assert_int_equal(setenv("PATH", path, 1), 0);
	else
		assert_int_equal(unsetenv("PATH"), 0);
	*out = unchanged;
	err->msg[0] = '\0';
	ret = sk_resolve_program(name, out, err);
	if (saved)
		assert_int_equal(setenv("PATH", saved, 1), 0);
	free(saved);
	return ret;
}

static void expect_found(const char *path, const char *name, const char *want)
{
	struct sk_err err;
	char *got;
	int ret = resolve(path, name, &got, &err);

	if (ret)
		fail_msg("%s: %d, %s", name, ret, err.msg);
	assert_string_equal(got, want);
	free(got);
}

static void expect_error(const char *path, const char *name, int want,
			 const char *msg)
{
	struct sk_err err;
	char *got;

	assert_int_equal(resolve(path, name, &got, &err), want);
	/* Out-parameters are set only on success. */
	assert_string_equal(got, "(unchanged)");
	th_assert_msg(err.msg, msg);
}

static void test_slash(void **state)
{
	struct th_dir d;
	char msg[256];

	(void)state;
	make_tree(&d);
	/* Taken as is, PATH not consulted. */
	expect_found("/nonexistent", th_at(&d, "bin/prog"), th_at(&d, "bin/prog"));
	expect_found(NULL, th_at(&d, "other/../bin/prog"), th_at(&d, "other/../bin/prog"));
	snprintf(msg, sizeof(msg), "%s: No such file or directory", th_at(&d, "bin/nope"));
	expect_error(NULL, th_at(&d, "bin/nope"), -ENOENT, msg);
	snprintf(msg, sizeof(msg), "%s: Permission denied", th_at(&d, "bin/data"));
	expect_error(NULL, th_at(&d, "bin/data"), -EACCES, msg);
	snprintf(msg, sizeof(msg), "%s: Is a directory", th_at(&d, "bin/sub"));
	expect_error(NULL, th_at(&d, "bin/sub"), -EACCES, msg);
	/* A path through a file: ENOTDIR, something there that cannot run. */
	snprintf(msg, sizeof(msg), "%s: Not a directory", th_at(&d, "bin/prog/x"));
	expect_error(NULL, th_at(&d, "bin/prog/x"), -EACCES, msg);
	th_dir_remove(&d);
}

static void test_path_search(void **state)
{
	struct th_dir d;
	char path[512];

	(void)state;
	make_tree(&d);
	/* The first directory that has it executable wins. */
	snprintf(path, sizeof(path), "%s:%s", th_at(&d, "bin"), th_at(&d, "other"));
	expect_found(path, "prog", th_at(&d, "bin/prog"));
	/* Not executable, or a directory, in an earlier entry: passed over. */
	expect_found(path, "data", th_at(&d, "other/data"));
	snprintf(path, sizeof(path), "%s:%s", th_at(&d, "other"), th_at(&d, "bin"));
	expect_found(path, "prog", th_at(&d, "other/prog"));
	/* Entries that do not exist or are files are passed over. */
	snprintf(path, sizeof(path), "%s:%s:%s", th_at(&d, "none"), th_at(&d, "bin/prog"),
		 th_at(&d, "other"));
	expect_found(path, "prog", th_at(&d, "other/prog"));
	/* An empty entry is the current directory, as execvp(3) takes it. */
	{
		char cwd[512];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(th_at(&d, "other")), 0);
		snprintf(path, sizeof(path), "%s:", th_at(&d, "none"));
		expect_found(path, "prog", "./prog");
		assert_int_equal(chdir(cwd), 0);
	}
	th_dir_remove(&d);
}

static void test_path_errors(void **state)
{
	struct th_dir d;
	char path[512];

	(void)state;
	make_tree(&d);
	snprintf(path, sizeof(path), "%s:%s", th_at(&d, "bin"), th_at(&d, "other"));
	expect_error(path, "nope", -ENOENT, "nope: No such file or directory");
	/* Found only where it cannot run: EACCES (126), not ENOENT (127). */
	snprintf(path, sizeof(path), "%s:%s", th_at(&d, "none"), th_at(&d, "bin"));
	expect_error(path, "data", -EACCES, "data: Permission denied");
	expect_error(path, "sub", -EACCES, "sub: Permission denied");
	expect_error(path, "", -ENOENT, "'': No such file or directory");
	th_dir_remove(&d);
}

/* No PATH, or an empty one: /usr/local/bin:/usr/bin:/bin, as env(1). */
static void test_default_path(void **state)
{
	struct sk_err err;
	char *a, *b;

	(void)state;
	assert_int_equal(resolve(NULL, "sh", &a, &err), 0);
	assert_int_equal(resolve("", "sh", &b, &err), 0);
	assert_string_equal(a, b);
	assert_true(!strcmp(a, "/usr/local/bin/sh") || !strcmp(a, "/usr/bin/sh") ||
		    !strcmp(a, "/bin/sh"));
	free(a);
	free(b);
	expect_error("", "sk-no-such-program", -ENOENT,
		     "sk-no-such-program: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slash),
		cmocka_unit_test(test_path_search),
		cmocka_unit_test(test_path_errors),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
