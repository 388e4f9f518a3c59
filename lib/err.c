/* SPDX-License-Identifier: MIT */
/*
 * Error and warning messages for the user (err.h).  A message quotes its
 * input (file names, keys, names), so it is escaped as a whole here, once:
 * no message can hold a newline that fakes a line of its own or an escape
 * sequence for the terminal, whichever reader forgot to escape a part.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "scmpkit/err.h"
#include "scmpkit/textesc.h"

int sk_err_set(struct sk_err *err, int errnum, const char *fmt, ...)
{
	char raw[sizeof(err->msg)];
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		sk_esc_buf(err->msg, sizeof(err->msg), raw, SK_ESC_MESSAGE);
	}
	return -errnum;
}

int sk_warn_add(struct sk_warn *w, const char *fmt, ...)
{
	va_list ap;
	char *raw, *msg, **grown;
	int n;

	if (!w)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	msg = sk_esc_dup(raw, SK_ESC_MESSAGE);
	free(raw);
	if (!msg)
		return -ENOMEM;
	grown = realloc(w->msgs, (w->n + 1) * sizeof(*grown));
	if (!grown) {
		free(msg);
		return -ENOMEM;
	}
	grown[w->n++] = msg;
	w->msgs = grown;
	return 0;
}

void sk_warn_clear(struct sk_warn *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		free(w->msgs[i]);
	free(w->msgs);
	w->msgs = NULL;
	w->n = 0;
}
