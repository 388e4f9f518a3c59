/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_CLI_H
#define SCMPKIT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scmpkit/profile.h"

/*
 * One table per tool documents its options where they are declared; both
 * --help and getopt_long read it, so they cannot drift apart.
 */
/* opt.val from here on: an option without a short form. */
#define SK_OPT_LONG_ONLY 256

struct sk_opt_doc {
	struct option opt;   /* opt.val is the short option, or SK_OPT_LONG_ONLY + n */
	const char *arg;     /* "FILE", "[=FILE]" for an optional one, or NULL */
	const char *help;    /* one paragraph; wrapped at 80 columns */
};

/* Prints "  -o, --output FILE   help..." lines, help wrapped at 80 columns. */
void sk_cli_print_options(FILE *f, const struct sk_opt_doc *d, size_t n);

/*
 * Fills longs (n + 1 entries, zero-terminated) and shorts (at least
 * 3 * n + 2 bytes, starting with prefix, e.g. "+" to stop at the first
 * operand) for getopt_long.
 */
void sk_cli_getopt_tables(const struct sk_opt_doc *d, size_t n,
			  const char *prefix, struct option *longs,
			  char *shorts);

#define SK_CLI_MAX_OPTS 32

/*
 * The getopt_long loop of every main: each option is handed to
 * one(ctx, c), which returns -1 to go on or an exit status to stop with; an
 * unknown option or a missing argument is bad usage (code).  prefix as for
 * getopt ("+": stop at the first operand, the program's own options
 * follow).  Returns -1 when every option was taken, else the status to
 * exit with.
 */
int sk_cli_parse(const char *tool, int code, const char *prefix, int argc,
		 char **argv, const struct sk_opt_doc *d, size_t n,
		 int (*one)(void *ctx, int c), void *ctx);

/* one's c for an operand (optarg points at it) in sk_cli_parse_rest. */
#define SK_OPT_OPERAND 1

/*
 * For what follows the operand that ends a tool's own options when that
 * operand runs nothing (scmp-apply --check PROFILE ...): options and
 * operands in any order, each handed to one in the order given (an operand
 * as SK_OPT_OPERAND with optarg set), and after "--" operands only.
 * Returns as sk_cli_parse.
 */
int sk_cli_parse_rest(const char *tool, int code, int argc, char **argv,
		      const struct sk_opt_doc *d, size_t n,
		      int (*one)(void *ctx, int c), void *ctx);

/*
 * A --default-action value: kill (= kill-process), kill-process,
 * kill-thread, trap, log, errno[:NAME or :N] (N up to 4094, what libseccomp
 * takes), and allow when allow_ok.  0 with *act set, *has_errno telling
 * whether an errno was given and *errno_ret the errno (EPERM if none);
 * -EINVAL when s is none of these.
 */
int sk_cli_default_action(const char *s, bool allow_ok, enum sk_action *act,
			  bool *has_errno, unsigned *errno_ret);

/*
 * Prints "TOOL: MESSAGE" and a newline to f (no "TOOL: " when tool is
 * NULL), the message escaped as err.h's are: for what main.c prints itself
 * that quotes a file name or a string from input.
 */
void sk_cli_say(FILE *f, const char *tool, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prints "TOOL: MESSAGE" and the --help hint to stderr; returns code, the
 * tool's exit status for bad usage.
 */
int sk_cli_bad_usage(const char *tool, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints each warning as "TOOL: warning: MESSAGE" (they are escaped when
 * made, err.h), unless quiet. */
void sk_cli_warnings(const char *tool, const struct sk_warn *w, bool quiet);

struct sk_tracer_result;

/*
 * Says on stderr (unless quiet) when the signal guard could not hold the
 * tree, and how many calls it restarted or tasks it handed over.
 */
void sk_cli_guard_note(const char *tool, const struct sk_tracer_result *res,
		       bool quiet);

#endif
