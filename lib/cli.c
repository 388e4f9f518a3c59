/* SPDX-License-Identifier: MIT */
/* --help and getopt tables from one option table (cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"
#include "scmpkit/cli.h"
#include "scmpkit/textesc.h"
#include "scmpkit/tracer.h"

void sk_cli_print_options(FILE *f, const struct sk_opt_doc *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *h = d[i].help;
		char left[64], sh[8] = "    ";
		int col = 0;

		if (d[i].opt.val < SK_OPT_LONG_ONLY)
			snprintf(sh, sizeof(sh), "-%c, ", d[i].opt.val);
		/* An optional argument is written "--report[=FILE]". */
		snprintf(left, sizeof(left), "%s--%s%s%s", sh, d[i].opt.name,
			 d[i].arg && d[i].arg[0] != '[' ? " " : "",
			 d[i].arg ? d[i].arg : "");
		if (strlen(left) > 28)
			fprintf(f, "  %s\n%30s", left, "");
		else
			fprintf(f, "  %-28s", left);
		/* Word-wrapped at 80 columns, continued under the help column. */
		while (*h) {
			size_t w = strcspn(h, " ");

			if (col && col + 1 + (int)w > 49) {
				fprintf(f, "\n%30s", "");
				col = 0;
			}
			fprintf(f, " %.*s", (int)w, h);
			col += 1 + (int)w;
			h += w;
			h += strspn(h, " ");
		}
		fputc('\n', f);
	}
}

void sk_cli_getopt_tables(const struct sk_opt_doc *d, size_t n,
			  const char *prefix, struct option *longs,
			  char *shorts)
{
	size_t k = strlen(prefix);

	memcpy(shorts, prefix, k);
	for (size_t i = 0; i < n; i++) {
		longs[i] = d[i].opt;
		if (d[i].opt.val >= SK_OPT_LONG_ONLY)
			continue;
		shorts[k++] = (char)d[i].opt.val;
		if (d[i].opt.has_arg == required_argument)
			shorts[k++] = ':';
	}
	shorts[k] = '\0';
	memset(&longs[n], 0, sizeof(longs[n]));
}

/* ":N" (up to 4094, what libseccomp takes) or ":NAME" after errno. */
static int parse_errno(const char *s, unsigned *e)
{
	char *end;
	unsigned long v;
	int n;

	if (*s >= '0' && *s <= '9') {
		v = strtoul(s, &end, 10);
		if (*end || v > 4094)
			return -EINVAL;
		*e = (unsigned)v;
		return 0;
	}
	n = sk_errno_parse(s);
	if (n < 0)
		return -EINVAL;
	*e = (unsigned)n;
	return 0;
}

int sk_cli_default_action(const char *s, bool allow_ok, enum sk_action *act,
			  bool *has_errno, unsigned *errno_ret)
{
	static const struct {
		const char *name;
		enum sk_action a;
	} names[] = {
		{ "kill", SK_ACT_KILL_PROCESS },
		{ "kill-process", SK_ACT_KILL_PROCESS },
		{ "kill-thread", SK_ACT_KILL_THREAD },
		{ "trap", SK_ACT_TRAP },
		{ "log", SK_ACT_LOG },
		{ "allow", SK_ACT_ALLOW },
		{ "errno", SK_ACT_ERRNO },
	};
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		unsigned e = EPERM;

		if (strlen(names[i].name) != len || strncmp(s, names[i].name, len))
			continue;
		if (names[i].a == SK_ACT_ALLOW && !allow_ok)
			return -EINVAL;
		if (colon && (names[i].a != SK_ACT_ERRNO || parse_errno(colon + 1, &e)))
			return -EINVAL;
		/* Out-parameters only on success. */
		*act = names[i].a;
		*has_errno = colon != NULL;
		*errno_ret = e;
		return 0;
	}
	return -EINVAL;
}

void sk_cli_say(FILE *f, const char *tool, const char *fmt, ...)
{
	/* Escaped, a byte takes at most 4 ("\xNN"): the line is made whole
	 * and written at once, so that on an unbuffered stderr it does not
	 * interleave with what the running program writes there. */
	char msg[2048], line[4 * sizeof(msg) + 128];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (tool)
		n = (size_t)snprintf(line, 96, "%s: ", tool);
	if (n >= 96)
		n = 95;
	sk_esc_buf(line + n, sizeof(line) - n - 1, msg, SK_ESC_MESSAGE);
	n += strlen(line + n);
	line[n++] = '\n';
	fwrite(line, 1, n, f);
}

int sk_cli_bad_usage(const char *tool, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The message quotes the command line: escaped as every message is. */
	fprintf(stderr, "%s: ", tool);
	sk_esc_put(stderr, msg, SK_ESC_MESSAGE);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", tool);
	return code;
}

void sk_cli_guard_note(const char *tool, const struct sk_tracer_result *res,
		       bool quiet)
{
	if (quiet)
		return;
	if (!res->guard && res->guard_note[0])
		fprintf(stderr, "%s: warning: signal guard off: %s\n", tool, res->guard_note);
	else if (res->guard && (res->restarts || res->handovers))
		fprintf(stderr, "%s: signal guard: %llu call%s restarted after a signal, %llu task%s handed to another tracer\n",
			tool, (unsigned long long)res->restarts, res->restarts == 1 ? "" : "s",
			(unsigned long long)res->handovers, res->handovers == 1 ? "" : "s");
}

void sk_cli_warnings(const char *tool, const struct sk_warn *w, bool quiet)
{
	for (size_t i = 0; !quiet && i < w->n; i++)
		fprintf(stderr, "%s: warning: %s\n", tool, w->msgs[i]);
}

int sk_cli_parse(const char *tool, int code, const char *prefix, int argc,
		 char **argv, const struct sk_opt_doc *d, size_t n,
		 int (*one)(void *ctx, int c), void *ctx)
{
	struct option longs[SK_CLI_MAX_OPTS + 1];
	char shorts[3 * SK_CLI_MAX_OPTS + 2];
	int c, ret;

	if (n > SK_CLI_MAX_OPTS)
		return sk_cli_bad_usage(tool, code, "%s", "too many options (SK_CLI_MAX_OPTS)");
	sk_cli_getopt_tables(d, n, prefix, longs, shorts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?') {
			if (optopt && optopt < SK_OPT_LONG_ONLY)
				return sk_cli_bad_usage(tool, code,
							"invalid option or missing argument: '-%c'",
							optopt);
			return sk_cli_bad_usage(tool, code,
						"invalid option or missing argument: '%s'",
						argv[optind - 1]);
		}
		ret = one(ctx, c);
		if (ret >= 0)
			return ret;
	}
	return -1;
}

int sk_cli_parse_rest(const char *tool, int code, int argc, char **argv,
		      const struct sk_opt_doc *d, size_t n,
		      int (*one)(void *ctx, int c), void *ctx)
{
	bool plain = false;   /* after "--": operands only */
	int ret;

	while (optind < argc) {
		if (!plain && !strcmp(argv[optind], "--")) {
			plain = true;
			optind++;
			continue;
		}
		if (!plain) {
			int at = optind;

			ret = sk_cli_parse(tool, code, "+", argc, argv, d, n, one, ctx);
			if (ret >= 0)
				return ret;
			plain = optind > at && !strcmp(argv[optind - 1], "--");
			if (optind >= argc)
				break;
		}
		optarg = argv[optind++];
		ret = one(ctx, SK_OPT_OPERAND);
		if (ret >= 0)
			return ret;
	}
	return -1;
}
