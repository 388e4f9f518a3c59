/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_ERR_H
#define SCMPKIT_ERR_H

#include <stddef.h>

/*
 * Error details for the user.  Core functions return a negative errno and,
 * when given a struct sk_err, fill msg with a sentence that names the file
 * and the place in it ("allow.json: syscalls[3].args[0].op: unknown operator
 * \"SCMP_CMP_EQQ\"").  Only main.c files print it.  Messages and warnings
 * are escaped as a whole when made (textesc.h, SK_ESC_MESSAGE): no control
 * character from a file name or a JSON string reaches the terminal.
 */
struct sk_err {
	char msg[1024];
};

/* Formats into err->msg (err may be NULL); returns -errnum for chaining. */
int sk_err_set(struct sk_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Warnings collected by readers (e.g. unknown names skipped); borrows. */
struct sk_warn {
	char **msgs;
	size_t n;
};

/* Appends a formatted warning; returns 0 or -ENOMEM. */
int sk_warn_add(struct sk_warn *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Frees the messages (not w itself); w may be NULL. */
void sk_warn_clear(struct sk_warn *w);

#endif
