/* SPDX-License-Identifier: MIT */
/*
 * The mains' shared option handling (cli.c): --help text from the option
 * table (wrapped under its column), getopt tables from the same table,
 * options and operands in any order after a tool's own operand,
 * --default-action values, and the printers for what a main says itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scmpkit/cli.h"
#include "scmpkit/tracer.h"
#include "helpers.h"

#define N_OPTS(t) (sizeof(t) / sizeof((t)[0]))

static const char long_help[] =
	"Read the profile from FILE, or from standard input when FILE is -; a "
	"profile that does not parse is an error, and so is one whose rules "
	"conflict.";

static const struct sk_opt_doc opts[] = {
	{ { "output", required_argument, NULL, 'o' }, "FILE", "Write to FILE." },
	{ { "quiet", no_argument, NULL, 'q' }, NULL, "Say nothing." },
	{ { "profile", required_argument, NULL, 'p' }, "FILE", long_help },
	{ { "strict", no_argument, NULL, SK_OPT_LONG_ONLY }, NULL, "Refuse unknown names." },
	{ { "default-errno-for-everything", required_argument, NULL, SK_OPT_LONG_ONLY + 1 },
	  "ERRNO", "Long." },
};

/* What f received, as a string (allocated); f is closed. */
static char *text_of(FILE *f, char **buf)
{
	assert_int_equal(fclose(f), 0);
	return *buf;
}

static void test_print_options(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	sk_cli_print_options(f, opts, 2);
	assert_string_equal(text_of(f, &buf),
			    "  -o, --output FILE            Write to FILE.\n"
			    "  -q, --quiet                  Say nothing.\n");
	free(buf);
	/* Without a short form: the column stays; a left part wider than 28
	 * columns has the help on the next line. */
	f = open_memstream(&buf, &len);
	sk_cli_print_options(f, opts + 3, 2);
	assert_string_equal(text_of(f, &buf),
			    "      --strict                 Refuse unknown names.\n"
			    "      --default-errno-for-everything ERRNO\n"
			    "                               Long.\n");
	free(buf);
}

/* A long help wraps at 80 columns under the help column, word by word. */
static void test_print_options_wrapped(void **state)
{
	char *buf = NULL, *joined = calloc(1, sizeof(long_help) + 1);
	size_t len = 0, lines = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_non_null(joined);
	sk_cli_print_options(f, opts + 2, 1);
	text_of(f, &buf);
	assert_int_equal(strncmp(buf, "  -p, --profile FILE           Read ", 36), 0);
	for (char *l = buf; *l; l += strcspn(l, "\n") + 1) {
		size_t w = strcspn(l, "\n");

		if (w >= 80)
			fail_msg("line %zu is %zu columns: %.*s", lines, w, (int)w, l);
		/* Each line: 30 columns of option (or blanks), then " word...". */
		if (lines && strspn(l, " ") != 31)
			fail_msg("line %zu is not under the help column: %.*s", lines, (int)w, l);
		strncat(joined, l + 31, w - 31);
		if (l[w + 1])
			strcat(joined, " ");
		lines++;
	}
	assert_true(lines >= 3);
	assert_string_equal(joined, long_help);
	free(joined);
	free(buf);
}

static void test_getopt_tables(void **state)
{
	struct option longs[N_OPTS(opts) + 1];
	char shorts[3 * N_OPTS(opts) + 2];
	static const char *const words[] = {
		"prog", "-o", "out.json", "--strict", "-q",
		"--default-errno-for-everything", "EIO", "cmd", "-q",
	};
	char *argv[N_OPTS(words) + 1] = { NULL };
	int argc = (int)N_OPTS(words), c, seen = 0;

	(void)state;
	for (int i = 0; i < argc; i++)
		assert_non_null(argv[i] = strdup(words[i]));
	memset(longs, 0xff, sizeof(longs));
	sk_cli_getopt_tables(opts, N_OPTS(opts), "+", longs, shorts);
	/* Long-only options have no short letter; the table ends in zeros. */
	assert_string_equal(shorts, "+o:qp:");
	for (size_t i = 0; i < N_OPTS(opts); i++) {
		assert_string_equal(longs[i].name, opts[i].opt.name);
		assert_int_equal(longs[i].has_arg, opts[i].opt.has_arg);
		assert_int_equal(longs[i].val, opts[i].opt.val);
	}
	assert_null(longs[N_OPTS(opts)].name);
	assert_int_equal(longs[N_OPTS(opts)].val, 0);
	/* What getopt_long makes of them: "+" stops at the first operand. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		switch (c) {
		case 'o':
			assert_string_equal(optarg, "out.json");
			seen |= 1;
			break;
		case 'q':
			seen |= 2;
			break;
		case SK_OPT_LONG_ONLY:
			seen |= 4;
			break;
		case SK_OPT_LONG_ONLY + 1:
			assert_string_equal(optarg, "EIO");
			seen |= 8;
			break;
		default:
			fail_msg("unexpected option %d", c);
		}
	}
	assert_int_equal(seen, 15);
	assert_int_equal(optind, 7);
	assert_string_equal(argv[optind], "cmd");
	optind = 0;
	sk_cli_getopt_tables(opts, 1, "", longs, shorts);
	assert_string_equal(shorts, "o:");
	assert_null(longs[1].name);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

/* What sk_cli_parse_rest handed over, in order: "o:VALUE", "q", "=OPERAND". */
struct rest_seen {
	char log[256];
};

static int rest_one(void *ctx, int c)
{
	struct rest_seen *r = ctx;
	size_t n = strlen(r->log);

	if (c == SK_OPT_OPERAND)
		snprintf(r->log + n, sizeof(r->log) - n, " =%s", optarg);
	else if (c == 'o')
		snprintf(r->log + n, sizeof(r->log) - n, " o:%s", optarg);
	else if (c == 'q')
		snprintf(r->log + n, sizeof(r->log) - n, " q");
	else
		return 9;
	return -1;
}

static void test_parse_rest(void **state)
{
	static const char *const words[] = {
		"prog", "-q", "PROFILE", "a.json", "-o", "x", "b.json", "-q",
		"--", "-o", "--",
	};
	char *argv[N_OPTS(words) + 1] = { NULL };
	int argc = (int)N_OPTS(words);
	struct rest_seen seen = { "" };

	(void)state;
	for (int i = 0; i < argc; i++)
		assert_non_null(argv[i] = strdup(words[i]));
	/* The tool's own options up to its operand, PROFILE. */
	optind = 0;
	assert_int_equal(sk_cli_parse("t", 2, "+", argc, argv, opts, N_OPTS(opts),
				      rest_one, &seen), -1);
	assert_int_equal(optind, 2);
	optind++;
	/* Then both, in the order given; after "--" operands only. */
	assert_int_equal(sk_cli_parse_rest("t", 2, argc, argv, opts, N_OPTS(opts),
					   rest_one, &seen), -1);
	assert_string_equal(seen.log, " q =a.json o:x =b.json q =-o =--");
	assert_int_equal(optind, argc);
	optind = 0;
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

static void expect_action(const char *s, bool allow_ok, enum sk_action act,
			  bool has_errno, unsigned errno_ret)
{
	enum sk_action a = SK_ACT_TRACE;
	bool h = !has_errno;
	unsigned e = 9999;

	if (sk_cli_default_action(s, allow_ok, &a, &h, &e))
		fail_msg("\"%s\" refused", s);
	assert_int_equal(a, act);
	assert_int_equal(h, has_errno);
	assert_int_equal(e, errno_ret);
}

static void test_default_action(void **state)
{
	static const char *const bad[] = {
		"", "Kill", "kill-", "kill:1", "log:EPERM", "errno:", "errno:4095",
		"errno:13x", "errno:-1", "errno:ENOPE", "errno:eperm", "notify",
		"allow:1", " kill",
	};

	(void)state;
	expect_action("kill", false, SK_ACT_KILL_PROCESS, false, EPERM);
	expect_action("kill-process", false, SK_ACT_KILL_PROCESS, false, EPERM);
	expect_action("kill-thread", false, SK_ACT_KILL_THREAD, false, EPERM);
	expect_action("trap", false, SK_ACT_TRAP, false, EPERM);
	expect_action("log", false, SK_ACT_LOG, false, EPERM);
	expect_action("errno", false, SK_ACT_ERRNO, false, EPERM);
	expect_action("errno:13", false, SK_ACT_ERRNO, true, 13);
	expect_action("errno:EACCES", false, SK_ACT_ERRNO, true, EACCES);
	expect_action("errno:ENOSYS", true, SK_ACT_ERRNO, true, ENOSYS);
	expect_action("errno:0", false, SK_ACT_ERRNO, true, 0);
	expect_action("errno:4094", false, SK_ACT_ERRNO, true, 4094);
	expect_action("allow", true, SK_ACT_ALLOW, false, EPERM);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum sk_action a;
		bool h;
		unsigned e;

		if (sk_cli_default_action(bad[i], true, &a, &h, &e) >= 0)
			fail_msg("\"%s\" accepted", bad[i]);
	}
	/* allow only where the tool takes it (scmp-gen has no use for it). */
	{
		enum sk_action a;
		bool h;
		unsigned e;

		assert_true(sk_cli_default_action("allow", false, &a, &h, &e) < 0);
		/* Out-parameters are set only on success. */
		a = SK_ACT_TRAP;
		h = true;
		e = 7;
		assert_true(sk_cli_default_action("log:1", true, &a, &h, &e) < 0);
		assert_int_equal(a, SK_ACT_TRAP);
		assert_true(h);
		assert_int_equal(e, 7);
	}
}

/*
 * Runs fn with stderr going to a file; what it wrote, allocated.  The
 * printers for usage errors and notes write to stderr only.
 */
static char *stderr_of(void (*fn)(void *), void *arg)
{
	struct th_dir d;
	char *text;
	int saved, fd;

	th_dir_make(&d, "cli");
	fd = open(th_at(&d, "err"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
	fn(arg);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	text = th_read(th_at(&d, "err"), NULL);
	th_dir_remove(&d);
	return text;
}

static void bad_usage(void *arg)
{
	*(int *)arg = sk_cli_bad_usage("scmp-gen", 2, "unknown option '%s'", "--x\n\x1b[2J");
}

static void guard_note(void *arg)
{
	const struct sk_tracer_result *res = arg;

	sk_cli_guard_note("scmp-trace", res, false);
	sk_cli_guard_note("scmp-trace", res, true);
}

static void test_printers(void **state)
{
	struct sk_tracer_result res;
	char *buf = NULL, *text;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int code = 0;

	(void)state;
	assert_non_null(f);
	/* Escaped as a message: a name from input makes no line of its own. */
	sk_cli_say(f, "scmp-apply", "%s: cannot run", "a\nb\x1b");
	sk_cli_say(f, NULL, "plain %d", 1);
	assert_string_equal(text_of(f, &buf), "scmp-apply: a\\nb\\x1b: cannot run\nplain 1\n");
	free(buf);

	text = stderr_of(bad_usage, &code);
	assert_int_equal(code, 2);
	assert_string_equal(text, "scmp-gen: unknown option '--x\\n\\x1b[2J'\n"
			    "Try 'scmp-gen --help' for more information.\n");
	free(text);

	/* The guard's note: once (never when quiet), and only with news. */
	memset(&res, 0, sizeof(res));
	snprintf(res.guard_note, sizeof(res.guard_note), "no notify support");
	text = stderr_of(guard_note, &res);
	assert_string_equal(text, "scmp-trace: warning: signal guard off: no notify support\n");
	free(text);
	res.guard = 1;
	res.restarts = 1;
	res.handovers = 2;
	text = stderr_of(guard_note, &res);
	assert_string_equal(text, "scmp-trace: signal guard: 1 call restarted after a signal, 2 tasks handed to another tracer\n");
	free(text);
	res.restarts = res.handovers = 0;
	text = stderr_of(guard_note, &res);
	assert_string_equal(text, "");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_options),
		cmocka_unit_test(test_print_options_wrapped),
		cmocka_unit_test(test_getopt_tables),
		cmocka_unit_test(test_parse_rest),
		cmocka_unit_test(test_default_action),
		cmocka_unit_test(test_printers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
