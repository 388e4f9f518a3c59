/* SPDX-License-Identifier: MIT */
/* Error and warning messages for the user (err.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "scmpkit/err.h"

int sk_err_set(struct sk_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

int sk_warn_add(struct sk_warn *w, const char *fmt, ...)
{
	va_list ap;
	char *msg, **grown;
	int n;

	if (!w)
		return 0;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
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
