/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_ARGKNOW_H
#define SCMPKIT_ARGKNOW_H

#include <stdint.h>

/*
 * The argument knowledge table (DESIGN.md): for each syscall, which argument
 * positions hold flag or enum values a filter can compare, and how.  Shared
 * by the tracer (what to record) and the generator (what rules to write).
 */

#define SK_ARGS_MAX 3 /* filterable positions per syscall, at most */

enum sk_argkind {
	SK_ARG_ENUM = 1, /* one value out of a set: compare with EQ */
	SK_ARG_FLAGS,    /* a bit set: compare with MASKED_EQ */
};

struct sk_argpos {
	uint8_t index;       /* argument position, 0..5 */
	enum sk_argkind kind;
	uint64_t mask;       /* bits recorded and compared; the rest are ignored */
	int is32;            /* an int-typed argument: compare the low 32 bits only */
};

struct sk_argspec {
	const char *name;    /* syscall name as libseccomp spells it */
	uint8_t n;           /* number of positions in pos[] */
	struct sk_argpos pos[SK_ARGS_MAX];
	const char *why;     /* one line for --explain */
};

/* The spec for a syscall name, or NULL when none of its arguments is recorded. */
const struct sk_argspec *sk_argspec_find(const char *name);

/* The whole table, sorted by name; *n gets its length. */
const struct sk_argspec *sk_argspec_table(unsigned *n);

/*
 * Symbolic name for a value of an argument ("AF_INET", "TCGETS",
 * "CLONE_VM|CLONE_FS|0x100000") into buf; returns 0, or -ENOENT when the
 * table has no names for it (buf then holds the number in hex).
 */
int sk_arg_decode(const char *syscall, unsigned index, uint64_t value,
		  char *buf, unsigned len);

#endif
