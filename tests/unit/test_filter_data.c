/* SPDX-License-Identifier: MIT */
/*
 * The data-driven filter tier (libseccomp's NN-sim .tests): every
 * .tests file in tests/data/filter/ is one test, each of its rows a call
 * (profile, arch, syscall, six arguments) and the action the profile's
 * exported filter must return for it.  The format is in
 * tests/data/filter/README.md; a new case is a row, not C.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/arch.h"
#include "scmpkit/filter.h"
#include "helpers.h"

#define DATA_DIR "tests/data/filter"
#define MAX_PROFILES 32

/* The profiles one .tests file names, each built once. */
struct cache {
	char *paths[MAX_PROFILES];
	struct th_filter filters[MAX_PROFILES];
	size_t n;
};

static const struct {
	const char *name;
	uint32_t ret;
	int has_data;
} actions[] = {
	{ "ALLOW", SECCOMP_RET_ALLOW, 0 },
	{ "LOG", SECCOMP_RET_LOG, 0 },
	{ "TRAP", SECCOMP_RET_TRAP, 0 },
	{ "KILL_THREAD", SECCOMP_RET_KILL_THREAD, 0 },
	{ "KILL_PROCESS", SECCOMP_RET_KILL_PROCESS, 0 },
	{ "NOTIFY", SECCOMP_RET_USER_NOTIF, 0 },
	{ "ERRNO", SECCOMP_RET_ERRNO, 1 },
	{ "TRACE", SECCOMP_RET_TRACE, 1 },
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* "ERRNO(13)", "ERRNO(EACCES)", "ALLOW" -> a SECCOMP_RET_* value; 0 or -1. */
static int parse_action(const char *s, uint32_t *ret)
{
	for (size_t i = 0; i < N_ACTIONS; i++) {
		size_t n = strlen(actions[i].name);
		char data[32], *end;
		unsigned long v;

		if (strncmp(s, actions[i].name, n))
			continue;
		if (!actions[i].has_data) {
			if (s[n])
				return -1;
			*ret = actions[i].ret;
			return 0;
		}
		if (s[n] != '(' || strlen(s + n) < 3 || s[strlen(s) - 1] != ')' ||
		    strlen(s + n) - 2 >= sizeof(data))
			return -1;
		snprintf(data, sizeof(data), "%.*s", (int)(strlen(s + n) - 2), s + n + 1);
		v = strtoul(data, &end, 0);
		if (*end || end == data) {
			int e = sk_errno_parse(data);

			if (e < 0)
				return -1;
			v = (unsigned long)e;
		}
		if (v > SECCOMP_RET_DATA)
			return -1;
		*ret = actions[i].ret | (uint32_t)v;
		return 0;
	}
	return -1;
}

/* The row spelling of a SECCOMP_RET_* value, for messages. */
static const char *action_text(uint32_t ret, char *buf, size_t len)
{
	for (size_t i = 0; i < N_ACTIONS; i++) {
		if ((ret & SECCOMP_RET_ACTION_FULL) != actions[i].ret)
			continue;
		if (actions[i].has_data)
			snprintf(buf, len, "%s(%u)", actions[i].name, ret & SECCOMP_RET_DATA);
		else if (ret & SECCOMP_RET_DATA)
			snprintf(buf, len, "%s with data %u", actions[i].name,
				 ret & SECCOMP_RET_DATA);
		else
			snprintf(buf, len, "%s", actions[i].name);
		return buf;
	}
	snprintf(buf, len, "%#x", ret);
	return buf;
}

/* The filter of profile (relative to the data directory), built on first use. */
static const struct th_filter *filter_for(struct cache *c, const char *profile)
{
	struct sk_filter_opts o = th_opts_host_like();
	char *path = NULL;

	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->paths[i], profile))
			return &c->filters[i];
	if (c->n == MAX_PROFILES)
		fail_msg("more than %d profiles in one .tests file", MAX_PROFILES);
	assert_true(asprintf(&path, DATA_DIR "/%s", profile) > 0);
	th_filter_build_file(&c->filters[c->n], path, NULL, &o);
	free(path);
	if (c->filters[c->n].ret)
		fail_msg("%s: %s", profile, c->filters[c->n].err.msg);
	c->paths[c->n] = strdup(profile);
	assert_non_null(c->paths[c->n]);
	return &c->filters[c->n++];
}

static void cache_free(struct cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		th_filter_free(&c->filters[i]);
		free(c->paths[i]);
	}
}

/*
 * One row: 0 when the filter returns the action, 1 when it does not or the
 * row is malformed (said on stderr as FILE:LINE).
 */
static int run_row(struct cache *c, const char *file, unsigned line,
		   char **f)
{
	const struct th_filter *b;
	uint64_t args[6];
	uint32_t arch, want, got;
	char *end, gs[48], ws[48];
	long nr;

	if (sk_arch_parse(f[1], &arch)) {
		print_error("%s:%u: unknown arch \"%s\"\n", file, line, f[1]);
		return 1;
	}
	for (int i = 0; i < 6; i++) {
		errno = 0;
		args[i] = strtoull(f[3 + i], &end, 0);
		if (errno || *end || end == f[3 + i] || f[3 + i][0] == '-') {
			print_error("%s:%u: arg%d \"%s\" is not a 64-bit number\n",
				    file, line, i, f[3 + i]);
			return 1;
		}
	}
	if (parse_action(f[9], &want)) {
		print_error("%s:%u: unknown action \"%s\"\n", file, line, f[9]);
		return 1;
	}
	b = filter_for(c, f[0]);
	nr = strtol(f[2], &end, 0);
	if (!*end && end != f[2]) {
		got = th_eval_nr(b, arch, (int)nr, args);
	} else {
		struct sk_err err = { "" };

		if (sk_filter_eval(&b->prog, arch, f[2], args, &got, &err)) {
			print_error("%s:%u: %s\n", file, line, err.msg);
			return 1;
		}
	}
	if (got == want)
		return 0;
	print_error("%s:%u: %s %s %s: got %s, want %s\n", file, line, f[0], f[1],
		    f[2], action_text(got, gs, sizeof(gs)),
		    action_text(want, ws, sizeof(ws)));
	return 1;
}

/* Every row of one .tests file (the test's state is its path). */
static void test_rows(void **state)
{
	const char *file = *state;
	char *text, *l, *nl;
	struct cache c = { .n = 0 };
	unsigned line = 0, rows = 0, failed = 0;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		skip(); /* the rows are written for an x86_64 host (README.md) */
	text = th_read(file, NULL);
	for (l = text; l; l = nl ? nl + 1 : NULL) {
		char *f[11], *save = NULL, *hash;
		int n = 0;

		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		line++;
		hash = strchr(l, '#');
		if (hash)
			*hash = '\0';
		for (char *w = strtok_r(l, " \t\r", &save); w && n < 11;
		     w = strtok_r(NULL, " \t\r", &save))
			f[n++] = w;
		if (!n)
			continue;
		rows++;
		if (n != 10) {
			print_error("%s:%u: %s fields, want 10 (profile arch syscall arg0..arg5 action)\n",
				    file, line, n > 10 ? "more than 10" : "fewer than 10");
			failed++;
			continue;
		}
		failed += (unsigned)run_row(&c, file, line, f);
	}
	cache_free(&c);
	free(text);
	if (!rows)
		fail_msg("%s: no rows", file);
	if (failed)
		fail_msg("%s: %u of %u rows failed", file, failed, rows);
}

int main(void)
{
	struct CMUnitTest *tests;
	glob_t g;
	int ret;

	if (glob(DATA_DIR "/*.tests", 0, NULL, &g) || !g.gl_pathc) {
		fprintf(stderr, "test_filter_data: no %s/*.tests (run from the top of the tree)\n",
			DATA_DIR);
		return 1;
	}
	tests = calloc(g.gl_pathc, sizeof(*tests));
	if (!tests)
		return 1;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		tests[i].name = g.gl_pathv[i];
		tests[i].test_func = test_rows;
		tests[i].initial_state = g.gl_pathv[i];
	}
	ret = _cmocka_run_group_tests("test_filter_data", tests, g.gl_pathc,
				      NULL, NULL);
	free(tests);
	globfree(&g);
	return ret;
}
