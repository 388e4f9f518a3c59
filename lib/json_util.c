/* SPDX-License-Identifier: MIT */
/* json-c helpers: exact integers and positioned syntax errors (json_util.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

/* Nesting json-c accepts; the duplicate-key scan relies on it. */
#define JSON_DEPTH 64

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
/*
 * json-c's tree costs far more than the text (an empty object preallocates
 * a hash table: about 800 bytes for "{}"; a number about 70 bytes for
 * "0,"), so the text's size alone does not bound memory: the containers and
 * the values are counted before parsing and refused past these caps (about
 * 200 MiB of tree at the worst, measured with json-c 0.16: 80 MiB for
 * 100,000 empty objects, 107 MiB for 1,000,000 short strings, 130 MiB for
 * 98,000 objects of ten members; README, "The tools themselves").
 */
#define JSON_MAX_CONTAINERS 100000
#define JSON_MAX_VALUES 1000000

/* Counts what the tree would hold: 0, or the offset where a cap is passed
 * (*what says which). */
static long count_values(const char *text, size_t len, const char **what)
{
	size_t containers = 0, values = 1;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == '"') {
			for (i++; i < len && text[i] != '"'; i++)
				if (text[i] == '\\')
					i++;
			continue;
		}
		if (c == '{' || c == '[')
			containers++;
		else if (c == ',')
			values++;
		if (containers > JSON_MAX_CONTAINERS) {
			*what = "objects and arrays";
			return (long)i;
		}
		if (values > JSON_MAX_VALUES) {
			*what = "values";
			return (long)i;
		}
	}
	return -1;
}

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

long sk_json_bad_utf8(const char *s, size_t len)
{
	return bad_utf8((const unsigned char *)s, len);
}

/*
 * Duplicate keys.  json-c keeps the last of two equal keys in an object, so
 * a profile saying "defaultAction" twice would load as whichever came last
 * and a reviewer reading the first one would be misled.  After json-c has
 * accepted the text (so it is valid JSON) it is scanned once more and the
 * keys of each object are sorted and compared.  A key with escapes is
 * decoded by json-c itself, so "equal" is exactly what json-c would merge:
 * "a\u0062" is "ab", and a key ends at \u0000 as json-c's keys do.
 */

/* A key of the object being scanned: in the text, or decoded and owned. */
struct key {
	const char *s;
	size_t len;
	size_t at; /* offset of its opening quote */
	char *owned;
};

/* One step of the path to the value being scanned: a key or an index. */
struct step {
	const char *key; /* NULL for an array element */
	size_t len, idx;
};

struct keyscan {
	const char *text;
	size_t len, pos;
	struct json_tokener *tok; /* decodes keys with escapes */
	struct step path[JSON_DEPTH + 1];
	unsigned depth;
	size_t dup_at, first_at; /* earliest second occurrence, or SIZE_MAX */
	char where[512];	 /* the JSON path of that key */
	size_t nul_at;		 /* first string holding \u0000, or SIZE_MAX */
	bool nul_in_key;
	char nul_where[512];	 /* the JSON path of that string */
};

static char peek(const struct keyscan *k)
{
	return k->pos < k->len ? k->text[k->pos] : '\0';
}

static void skip_ws(struct keyscan *k)
{
	while (k->pos < k->len && strchr(" \t\r\n", k->text[k->pos]))
		k->pos++;
}

#define STR_ESCAPED 1 /* holds an escape */
#define STR_NUL 2     /* holds \u0000, where json-c's C strings end */

/* Steps over the string at pos: STR_* bits; -EINVAL when it does not end
 * (never in text json-c accepted). */
static int skip_string(struct keyscan *k)
{
	int bits = 0;

	for (k->pos++; k->pos < k->len && k->text[k->pos] != '"'; k->pos++) {
		if (k->text[k->pos] == '\\') {
			bits |= STR_ESCAPED;
			if (k->len - k->pos > 5 &&
			    !memcmp(k->text + k->pos + 1, "u0000", 5))
				bits |= STR_NUL;
			k->pos++;
		}
	}
	if (k->pos >= k->len)
		return -EINVAL;
	k->pos++;
	return bits;
}

static void put_step(char *buf, size_t size, size_t *off, const char *key,
		     size_t len, size_t idx);

/* Keeps the first string holding \u0000: the value at the current path,
 * or a key of the object there. */
static void note_nul(struct keyscan *k, size_t at, bool in_key)
{
	size_t off = 0;

	if (k->nul_at != SIZE_MAX)
		return;
	k->nul_at = at;
	k->nul_in_key = in_key;
	k->nul_where[0] = '\0';
	for (unsigned d = 0; d < k->depth; d++)
		put_step(k->nul_where, sizeof(k->nul_where), &off,
			 k->path[d].key, k->path[d].len, k->path[d].idx);
}

/* Reads the key at pos into *key, decoding it when it has escapes. */
static int read_key(struct keyscan *k, struct key *key)
{
	size_t start = k->pos;
	struct json_object *o;
	int bits = skip_string(k);

	if (bits < 0)
		return bits;
	if (bits & STR_NUL)
		note_nul(k, start, true);
	key->at = start;
	key->owned = NULL;
	if (!(bits & STR_ESCAPED)) {
		key->s = k->text + start + 1;
		key->len = k->pos - start - 2;
		return 0;
	}
	if (!k->tok && !(k->tok = json_tokener_new()))
		return -ENOMEM;
	json_tokener_reset(k->tok);
	json_tokener_set_flags(k->tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(k->tok, k->text + start,
				  (int)(k->pos - start));
	if (!o || !json_object_is_type(o, json_type_string)) {
		json_object_put(o);
		return -EINVAL;
	}
	/* strdup, not the string's length: json-c keys are C strings. */
	key->owned = strdup(json_object_get_string(o));
	json_object_put(o);
	if (!key->owned)
		return -ENOMEM;
	key->s = key->owned;
	key->len = strlen(key->owned);
	return 0;
}

static int key_cmp_bytes(const struct key *x, const struct key *y)
{
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* By bytes, then by place: equal keys sort in the order they appear. */
static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = key_cmp_bytes(x, y);

	if (c)
		return c;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Appends to buf, keeping it NUL-terminated when it is full. */
__attribute__((format(printf, 4, 5)))
static void append(char *buf, size_t size, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, size - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off = *off + (size_t)n < size ? *off + (size_t)n : size - 1;
}

static bool plain_name(const char *s, size_t len)
{
	if (!len || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Appends one step as the readers print paths: a.b[2]["c d"]. */
static void put_step(char *buf, size_t size, size_t *off, const char *key,
		     size_t len, size_t idx)
{
	if (!key) {
		append(buf, size, off, "[%zu]", idx);
		return;
	}
	if (plain_name(key, len)) {
		append(buf, size, off, "%s%.*s", *off ? "." : "", (int)len,
		       key);
		return;
	}
	append(buf, size, off, "[\"");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];

		if (c == '"' || c == '\\')
			append(buf, size, off, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			append(buf, size, off, "\\u%04x", c);
		else
			append(buf, size, off, "%c", c);
	}
	append(buf, size, off, "\"]");
}

/* Keeps the duplicate among keys whose second occurrence comes first. */
static void note_dups(struct keyscan *k, struct key *keys, size_t n)
{
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; i + 1 < n; i++) {
		size_t off = 0;

		if (key_cmp_bytes(&keys[i], &keys[i + 1]) ||
		    keys[i + 1].at >= k->dup_at)
			continue;
		k->dup_at = keys[i + 1].at;
		k->first_at = keys[i].at;
		k->where[0] = '\0';
		for (unsigned d = 0; d < k->depth; d++)
			put_step(k->where, sizeof(k->where), &off,
				 k->path[d].key, k->path[d].len,
				 k->path[d].idx);
		put_step(k->where, sizeof(k->where), &off, keys[i].s,
			 keys[i].len, 0);
	}
}

static int scan_value(struct keyscan *k);

/* Scans the value at pos as the step (key, len, idx) of the path. */
static int scan_child(struct keyscan *k, const char *key, size_t len,
		      size_t idx)
{
	int ret;

	if (k->depth >= JSON_DEPTH + 1)
		return -EINVAL;
	k->path[k->depth++] = (struct step){ key, len, idx };
	ret = scan_value(k);
	k->depth--;
	return ret;
}

/* After a member or element: 0 at the closing bracket, 1 after a comma. */
static int next_member(struct keyscan *k, char close)
{
	char c;

	skip_ws(k);
	c = peek(k);
	k->pos++;
	if (c == close)
		return 0;
	return c == ',' ? 1 : -EINVAL;
}

static int scan_array(struct keyscan *k)
{
	int ret;

	k->pos++;
	skip_ws(k);
	if (peek(k) == ']') {
		k->pos++;
		return 0;
	}
	for (size_t idx = 0;; idx++) {
		ret = scan_child(k, NULL, 0, idx);
		if (!ret)
			ret = next_member(k, ']');
		if (ret <= 0)
			return ret;
	}
}

/* Adds the key at pos to *keys, growing it; 0 or -errno. */
static int add_key(struct keyscan *k, struct key **keys, size_t *n,
		   size_t *cap)
{
	int ret;

	if (*n == *cap) {
		size_t grow = *cap ? *cap * 2 : 16;
		struct key *g = realloc(*keys, grow * sizeof(*g));

		if (!g)
			return -ENOMEM;
		*keys = g;
		*cap = grow;
	}
	skip_ws(k);
	if (peek(k) != '"')
		return -EINVAL;
	ret = read_key(k, &(*keys)[*n]);
	if (ret)
		return ret;
	(*n)++;
	skip_ws(k);
	if (peek(k) != ':')
		return -EINVAL;
	k->pos++;
	return 0;
}

static int scan_object(struct keyscan *k)
{
	struct key *keys = NULL;
	size_t n = 0, cap = 0;
	int ret = 1;

	k->pos++;
	skip_ws(k);
	if (peek(k) == '}') {
		k->pos++;
		return 0;
	}
	while (ret > 0) {
		ret = add_key(k, &keys, &n, &cap);
		if (!ret)
			ret = scan_child(k, keys[n - 1].s, keys[n - 1].len, 0);
		if (!ret)
			ret = next_member(k, '}');
	}
	if (!ret)
		note_dups(k, keys, n);
	for (size_t i = 0; i < n; i++)
		free(keys[i].owned);
	free(keys);
	return ret;
}

static int scan_value(struct keyscan *k)
{
	skip_ws(k);
	switch (peek(k)) {
	case '{':
		return scan_object(k);
	case '[':
		return scan_array(k);
	case '"': {
		size_t start = k->pos;
		int bits = skip_string(k);

		if (bits < 0)
			return -EINVAL;
		if (bits & STR_NUL)
			note_nul(k, start, false);
		return 0;
	}
	case '\0':
		return -EINVAL;
	default: /* a number, true, false or null */
		while (k->pos < k->len &&
		       !strchr(",]} \t\r\n", k->text[k->pos]))
			k->pos++;
		return 0;
	}
}

int sk_json_check_keys(const char *text, size_t len, const char *file,
		       struct sk_err *err)
{
	struct keyscan k = { .text = text, .len = len, .dup_at = SIZE_MAX,
			     .nul_at = SIZE_MAX };
	unsigned l1, c1, l2, c2;
	int ret = scan_value(&k);

	if (k.tok) /* json-c 0.16's json_tokener_free(NULL) crashes */
		json_tokener_free(k.tok);
	if (ret == -ENOMEM)
		return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	if (ret)
		return sk_err_set(err, EINVAL, "%s: cannot scan the JSON text for duplicate keys",
				  file);
	if (k.nul_at != SIZE_MAX) {
		line_col(text, k.nul_at, &l1, &c1);
		return sk_err_set(err, EINVAL,
				  "%s: %s: %s at %u:%u holds a NUL character (\\u0000), where json-c would cut it short",
				  file, k.nul_where[0] ? k.nul_where : "(top level)",
				  k.nul_in_key ? "a key" : "the string", l1, c1);
	}
	if (k.dup_at == SIZE_MAX)
		return 0;
	line_col(text, k.first_at, &l1, &c1);
	line_col(text, k.dup_at, &l2, &c2);
	return sk_err_set(err, EINVAL, "%s: %s: duplicate key at %u:%u, first at %u:%u",
			  file, k.where, l2, c2, l1, c1);
}

int sk_json_parse(const char *text, size_t len, const char *file,
		  struct json_object **out, struct sk_err *err)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error jerr;
	const char *what = "";
	unsigned line, col;
	size_t end;
	long over;
	int ret;

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
	over = count_values(text, len, &what);
	if (over >= 0) {
		line_col(text, (size_t)over, &line, &col);
		return sk_err_set(err, EFBIG,
				  "%s: more than %d JSON %s, the most scmpkit reads (their tree would take too much memory; passed at %u:%u)",
				  file, !strcmp(what, "values") ? JSON_MAX_VALUES :
				  JSON_MAX_CONTAINERS, what, line, col);
	}
	over = find_overflow(text, len);
	if (over >= 0) {
		line_col(text, over, &line, &col);
		return sk_err_set(err, EINVAL,
				  "%s:%u:%u: integer does not fit in 64 bits",
				  file, line, col);
	}
	tok = json_tokener_new_ex(JSON_DEPTH);
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
	ret = sk_json_check_keys(text, len, file, err);
	if (ret) {
		json_object_put(o);
		return ret;
	}
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

const char *sk_json_double_why(struct json_object *o)
{
	double d;

	if (!json_object_is_type(o, json_type_double))
		return NULL;
	d = json_object_get_double(o);
	if (isnan(d))
		return "not a number, and not JSON";
	if (isinf(d))
		return "not a finite number, and not JSON";
	if (d >= 18446744073709551616.0 || d < -9223372036854775808.0)
		return "beyond 64 bits";
	/* Every double of 2^63 or more is whole. */
	if (d < 9223372036854775808.0 && (double)(int64_t)d != d)
		return "a fraction";
	return "an integer is written without a decimal point or an exponent";
}

int sk_json_type_error(struct sk_err *err, const char *file, const char *path,
		       const char *want, struct json_object *o)
{
	const char *text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "null";
	const char *why = sk_json_double_why(o);

	/* A long value is not repeated: its type says enough. */
	if (strlen(text) > 40 || !o)
		text = "";
	return sk_err_set(err, EINVAL, "%s: %s: expected %s, not %s%s%s%s%s%s",
			  file, path, want, sk_json_type_name(o), *text ? " " : "", text,
			  why ? " (" : "", why ? why : "", why ? ")" : "");
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
