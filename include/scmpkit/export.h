/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_EXPORT_H
#define SCMPKIT_EXPORT_H

#include <seccomp.h>

#include "scmpkit/err.h"

/*
 * Writes the filter as "bpf" (raw sock_filter array, as bwrap --seccomp FD
 * reads it) or "pfc" (libseccomp's text form) to path ("-" = stdout),
 * atomically.  0, or -errno with err filled.
 */
int sk_export(scmp_filter_ctx ctx, const char *format, const char *path,
	      struct sk_err *err);

#endif
