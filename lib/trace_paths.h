/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TRACE_PATHS_H
#define SCMPKIT_TRACE_PATHS_H

#include <json.h>

#include "scmpkit/err.h"
#include "scmpkit/trace_format.h"

/*
 * trace.json's "paths", "paths_unbounded" and "ports" (version 1.2, issue
 * 26), read and written for trace_format.c.  A reader of 1.0 or 1.1
 * ignores them.
 */

/* The trace's minor version when it holds paths (1.1 added "container"). */
#define SK_TRACE_MINOR_PATHS 2

/*
 * Reads the sections from root into t (after "executables", which "exe"
 * indexes).  0, or -EINVAL / -ENOMEM with err naming file and JSON path.
 */
int sk_trace_paths_parse(struct json_object *root, struct sk_trace *t,
			 const char *file, struct sk_err *err);

/* Adds the sections to o when t has paths.  0 or -ENOMEM. */
int sk_trace_paths_json(struct json_object *o, const struct sk_trace *t);

/* Frees t's paths and ports. */
void sk_trace_paths_free(struct sk_trace *t);

/* The kind's name ("file", "dir"...), and back: 0 or -ENOENT. */
const char *sk_path_kind_name(enum sk_path_kind k);
int sk_path_kind_parse(const char *name, enum sk_path_kind *k);

/* Sorts t's paths by path and ports by port. */
void sk_trace_paths_sort(struct sk_trace *t);

#endif
