/* SPDX-License-Identifier: MIT */
/* The tools' exit statuses for a run that could not start (exit_like.h). */
#include <errno.h>

#include "scmpkit/exit_like.h"

int sk_exit_of_start(int err)
{
	if (err == -ENOENT)
		return SK_EXIT_NOTFOUND;
	if (err == -EACCES || err == -ENOEXEC)
		return SK_EXIT_CANNOT_EXEC;
	return SK_EXIT_FAIL;
}

int sk_exit_of_exec(int err)
{
	return err == -ENOENT ? SK_EXIT_NOTFOUND : SK_EXIT_CANNOT_EXEC;
}
