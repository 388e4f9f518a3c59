/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_JSON_UTIL_H
#define SCMPKIT_JSON_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <json.h>

#include "scmpkit/err.h"

/*
 * json-c helpers shared by the trace and profile readers: syntax errors
 * with line and column, integers read exactly (never through a double).
 */

/*
 * Parses text (len bytes; NUL bytes inside are an error).  Integers that do
 * not fit in 64 bits are rejected here, since json-c would clamp them.
 * 0 with *out set (json_object_put it), or -EINVAL with
 * "FILE:LINE:COL: MESSAGE" in err.
 */
int sk_json_parse(const char *text, size_t len, const char *file,
		  struct json_object **out, struct sk_err *err);

/*
 * Reads an unsigned integer exactly.  Returns 0, -EINVAL when o is not an
 * integer (a double such as 1.5 or 1e3 included), -ERANGE when negative.
 */
int sk_json_u64(struct json_object *o, uint64_t *v);

/* The JSON type's name for messages: "string", "array", ... */
const char *sk_json_type_name(struct json_object *o);

/* Serialises with two-space indentation and a final newline; allocated. */
char *sk_json_dump(struct json_object *o);

#endif
