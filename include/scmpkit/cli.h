/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_CLI_H
#define SCMPKIT_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/*
 * One table per tool documents its options where they are declared; both
 * --help and getopt_long read it, so they cannot drift apart.
 */
struct sk_opt_doc {
	struct option opt;   /* opt.val is the short option */
	const char *arg;     /* "FILE", or NULL */
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

#endif
