/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_LIBC_SYSCALLS_H
#define SCMPKIT_LIBC_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The glibc function -> syscalls table behind scmp-gen --static
 * (lib-private; libc_syscalls.c, used by gen_static.c).
 */

/* One glibc function and the x86_64 syscalls it may make. */
struct sk_libc_func {
	const char *name;           /* "fopen" */
	const char *syscalls;       /* "openat": names, space-separated */
};

/* The whole table, sorted by name; *n gets its length.  Static storage. */
const struct sk_libc_func *sk_libc_table(size_t *n);

/* The entry for func ("fopen", or "fopen@GLIBC_2.2.5"), or NULL. */
const struct sk_libc_func *sk_libc_find(const char *func);

/* True when f's list names syscall. */
bool sk_libc_reaches(const struct sk_libc_func *f, const char *syscall);

#endif
