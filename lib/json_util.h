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
 * not fit in 64 bits, keys given twice in one object and strings holding
 * \u0000 are rejected here, since json-c would clamp the first, keep the
 * last of the second and cut the third short.
 * 0 with *out set (json_object_put it), or -EINVAL with
 * "FILE:LINE:COL: MESSAGE" (or sk_json_check_keys's message) in err.
 */
int sk_json_parse(const char *text, size_t len, const char *file,
		  struct json_object **out, struct sk_err *err);

/*
 * Refuses an object with the same key twice (equal as json-c decodes keys),
 * and a string or key holding \u0000, which json-c's C strings would end
 * at ("close\u0000ptrace" would read as "close").  text must be JSON that
 * json-c accepted.  0, -EINVAL with "FILE: PATH: duplicate key at LINE:COL,
 * first at LINE:COL" or "FILE: PATH: the string at LINE:COL holds a NUL
 * character..." in err, or -ENOMEM.
 */
int sk_json_check_keys(const char *text, size_t len, const char *file,
		       struct sk_err *err);

/*
 * Reads an unsigned integer exactly.  Returns 0, -EINVAL when o is not an
 * integer (a double such as 1.5 or 1e3 included), -ERANGE when negative.
 */
int sk_json_u64(struct json_object *o, uint64_t *v);

/*
 * Why a number json-c read as a double is no integer, for messages: "a
 * fraction" (0.5), "beyond 64 bits" (1e308), "not a number, and not JSON"
 * (NaN, which json-c accepts), "not a finite number, and not JSON"
 * (Infinity), or that an integer is written without a decimal point or an
 * exponent (1e3, 1.0).  NULL when o is not a double.
 */
const char *sk_json_double_why(struct json_object *o);

/*
 * The one wording of a type error: "FILE: PATH: expected WANT, not TYPE
 * VALUE (why)", e.g. "p.json: names: expected an array, not string \"x\"".
 * Returns -EINVAL with err filled.
 */
int sk_json_type_error(struct sk_err *err, const char *file, const char *path,
		       const char *want, struct json_object *o);

/* The JSON type's name for messages: "string", "array", ... */
const char *sk_json_type_name(struct json_object *o);

/* Serialises with two-space indentation and a final newline; allocated. */
char *sk_json_dump(struct json_object *o);

/*
 * Offset of the first byte of s that is not valid UTF-8, or -1: what
 * sk_json_parse refuses, for a writer that must not emit it.
 */
long sk_json_bad_utf8(const char *s, size_t len);

#endif
