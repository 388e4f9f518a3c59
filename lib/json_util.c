/* SPDX-License-Identifier: MIT */
/* json-c helpers: exact integers and positioned syntax errors (json_util.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/json_util.h"

static void line_col(const char *text, size_t off, unsigned *line,
		     unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Offset of the first integer literal that overflows 64 bits, or -1. */
static long find_overflow(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		char c = text[i];

		if (c == '"') {
			for (i++; i < len && text[i] != '"'; i++)
				if (text[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (c != '-' && !isdigit((unsigned char)c)) {
			i++;
			continue;
		}
		size_t start = i, digits = 0;
		int neg = c == '-', frac = 0;
		uint64_t v = 0, limit;
		int over = 0;

		if (neg)
			i++;
		limit = neg ? (uint64_t)INT64_MAX + 1 : UINT64_MAX;
		for (; i < len && isdigit((unsigned char)text[i]); i++) {
			unsigned d = text[i] - '0';

			digits++;
			if (v > (limit - d) / 10)
				over = 1;
			else
				v = v * 10 + d;
		}
		while (i < len && (text[i] == '.' || text[i] == 'e' ||
				   text[i] == 'E' || text[i] == '+' ||
				   text[i] == '-' || isdigit((unsigned char)text[i]))) {
			frac = 1;
			i++;
		}
		if (over && digits && !frac)
			return (long)start;
	}
	return -1;
}

/* Offset of the first byte that is not valid UTF-8, or -1. */
static long bad_utf8(const unsigned char *t, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = t[i], n, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return (long)i;
		for (unsigned k = 1; k <= n; k++) {
			if (i + k >= len || (t[i + k] & 0xc0) != 0x80)
				return (long)i;
			cp = cp << 6 | (t[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return (long)i;
		i += n + 1;
	}
	return -1;
}

int sk_json_parse(const char *text, size_t len, const char *file,
		  struct json_object **out, struct sk_err *err)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error jerr;
	unsigned line, col;
	size_t end;
	long over;

	if (memchr(text, '\0', len)) {
		end = (const char *)memchr(text, '\0', len) - text;
		line_col(text, end, &line, &col);
		return sk_err_set(err, EINVAL, "%s:%u:%u: NUL byte in JSON text",
				  file, line, col);
	}
	over = bad_utf8((const unsigned char *)text, len);
	if (over >= 0) {
		line_col(text, (size_t)over, &line, &col);
		return sk_err_set(err, EINVAL, "%s:%u:%u: invalid UTF-8", file,
				  line, col);
	}
	over = find_overflow(text, len);
	if (over >= 0) {
		line_col(text, over, &line, &col);
		return sk_err_set(err, EINVAL,
				  "%s:%u:%u: integer does not fit in 64 bits",
				  file, line, col);
	}
	tok = json_tokener_new_ex(64);
	if (!tok)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		line_col(text, len, &line, &col);
		json_tokener_free(tok);
		json_object_put(o);
		return sk_err_set(err, EINVAL, "%s:%u:%u: unexpected end of JSON text",
				  file, line, col);
	}
	if (jerr != json_tokener_success || !o) {
		line_col(text, end, &line, &col);
		json_tokener_free(tok);
		json_object_put(o);
		return sk_err_set(err, EINVAL, "%s:%u:%u: JSON syntax error: %s",
				  file, line, col,
				  jerr != json_tokener_success ?
				  json_tokener_error_desc(jerr) : "empty document");
	}
	for (; end < len; end++) {
		if (!isspace((unsigned char)text[end])) {
			line_col(text, end, &line, &col);
			json_tokener_free(tok);
			json_object_put(o);
			return sk_err_set(err, EINVAL,
					  "%s:%u:%u: trailing data after the JSON value",
					  file, line, col);
		}
	}
	json_tokener_free(tok);
	*out = o;
	return 0;
}

int sk_json_u64(struct json_object *o, uint64_t *v)
{
	if (!json_object_is_type(o, json_type_int))
		return -EINVAL;
	if (json_object_get_int64(o) < 0)
		return -ERANGE;
	*v = json_object_get_uint64(o);
	return 0;
}

const char *sk_json_type_name(struct json_object *o)
{
	return o ? json_type_to_name(json_object_get_type(o)) : "null";
}

char *sk_json_dump(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s);
	char *copy = malloc(n + 2);

	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\n';
	copy[n + 1] = '\0';
	return copy;
}
