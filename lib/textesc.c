/* SPDX-License-Identifier: MIT */
/* Escaping strings from input for text outputs (textesc.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/textesc.h"

/* Length of the valid UTF-8 sequence at s (2-4) with its code point, or 0. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80) /* the NUL terminator stops here too */
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* C1 controls and the characters that reorder or break lines of text. */
static bool hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Appends the bytes of s[0..n) as escapes to out (at least 4 * n + 1). */
static void bytes_esc(char *out, const unsigned char *s, size_t n,
		      enum sk_esc how)
{
	size_t off = strlen(out);

	for (size_t k = 0; k < n; k++)
		off += (size_t)sprintf(out + off, how == SK_ESC_C_STRING ?
				       "\\%03o" : "\\x%02x", s[k]);
}

/*
 * The piece of output for the character at s: written to out (NUL-
 * terminated, at most 24 bytes); returns how many input bytes it stands
 * for.  prev is the last byte written before it.
 */
static size_t piece(const unsigned char *s, char prev, enum sk_esc how,
		    char out[24])
{
	uint32_t cp = 0;
	size_t n;

	out[0] = '\0';
	switch (s[0]) {
	case '\\':
		strcpy(out, how == SK_ESC_MESSAGE ? "\\" : "\\\\");
		return 1;
	case '\n':
		strcpy(out, "\\n");
		return 1;
	case '\t':
		strcpy(out, "\\t");
		return 1;
	case '\r':
		strcpy(out, "\\r");
		return 1;
	case '"':
		strcpy(out, how == SK_ESC_C_STRING ? "\\\"" : "\"");
		return 1;
	case '?':
		strcpy(out, how == SK_ESC_C_STRING && prev == '?' ? "\\?" : "?");
		return 1;
	case '/':
		strcpy(out, how == SK_ESC_C_COMMENT && prev == '*' ? "\\/" : "/");
		return 1;
	}
	if (s[0] < 0x20 || s[0] == 0x7f) {
		bytes_esc(out, s, 1, how);
		return 1;
	}
	if (s[0] < 0x80) {
		out[0] = (char)s[0];
		out[1] = '\0';
		return 1;
	}
	n = utf8_seq(s, &cp);
	if (!n) {
		bytes_esc(out, s, 1, how);
		return 1;
	}
	if (!hidden(cp)) {
		memcpy(out, s, n);
		out[n] = '\0';
	} else if (how == SK_ESC_C_STRING) {
		/* \u0085 is no valid universal character name in C. */
		bytes_esc(out, s, n, how);
	} else {
		sprintf(out, "\\u%04x", (unsigned)cp);
	}
	return n;
}

int sk_esc_put(FILE *f, const char *s, enum sk_esc how)
{
	const unsigned char *p = (const unsigned char *)s;
	char out[24], prev = '\0';

	while (*p) {
		size_t len;

		p += piece(p, prev, how, out);
		len = strlen(out);
		if (fwrite(out, 1, len, f) != len)
			return EOF;
		prev = out[len - 1];
	}
	return 0;
}

/* The length of s escaped. */
static size_t esc_len(const char *s, enum sk_esc how)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	char out[24], prev = '\0';

	while (*p) {
		p += piece(p, prev, how, out);
		n += strlen(out);
		prev = out[strlen(out) - 1];
	}
	return n;
}

char *sk_esc_buf(char *buf, size_t size, const char *s, enum sk_esc how)
{
	const unsigned char *p = (const unsigned char *)s;
	bool fits = esc_len(s, how) < size;
	size_t off = 0;
	char out[24], prev = '\0';

	buf[0] = '\0';
	while (*p) {
		size_t len, used = piece(p, prev, how, out);

		len = strlen(out);
		/*
		 * When it is cut: room for this piece, and for "..." if more
		 * follows; so when a piece does not fit, "..." does (each
		 * earlier piece kept room for it), unless buf is smaller.
		 */
		if (!fits && off + len + (p[used] ? 3 : 0) >= size) {
			if (off + 3 < size)
				memcpy(buf + off, "...", 4);
			return buf;
		}
		memcpy(buf + off, out, len);
		off += len;
		buf[off] = '\0';
		prev = out[len - 1];
		p += used;
	}
	return buf;
}

char *sk_esc_dup(const char *s, enum sk_esc how)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (sk_esc_put(f, s, how)) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

void sk_text_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}
