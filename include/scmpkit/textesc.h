/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_TEXTESC_H
#define SCMPKIT_TEXTESC_H

#include <stddef.h>
#include <stdio.h>

/*
 * Strings from input (file names, executable paths from a trace, JSON
 * strings) written into text: a generated systemd drop-in, minijail policy
 * or C file, --explain, messages.  A newline in a file name must not start
 * a live "ExecStartPre=" line, a "*" "/" must not end a C comment, an escape
 * sequence must not reach the terminal.  One escaping, C-style, everywhere
 * (SECURITY.md):
 *
 *   \\  \n  \t  \r        backslash, newline, tab, carriage return
 *   \xNN                  any other control byte (< 0x20, 0x7f) and every
 *                         byte that is not part of valid UTF-8
 *   \uXXXX                C1 controls (U+0080-U+009F) and the characters
 *                         that reorder or break text (bidirectional
 *                         controls, U+2028/U+2029: "Trojan Source")
 *
 * Everything else, valid UTF-8 included, is written as it is.
 */
enum sk_esc {
	SK_ESC_TEXT,       /* a line of text or a "#" comment */
	SK_ESC_C_COMMENT,  /* as TEXT, and "*" "/" as "*\/" */
	SK_ESC_C_STRING,   /* inside "...": also \" and \? after "?" (no
			    * trigraph); escapes as octal \NNN, which never
			    * swallow the next character as \xNN would */
	SK_ESC_MESSAGE,    /* a whole message made of parts: as TEXT but a
			    * backslash stays one (parts such as JSON paths
			    * are already quoted their own way) */
};

/* Writes s to f, escaped as how says; 0, or EOF on a write error. */
int sk_esc_put(FILE *f, const char *s, enum sk_esc how);

/*
 * s escaped into buf (size > 0), always NUL-terminated; when it does not
 * fit it is cut between two escapes and ends with "...".  Returns buf.
 */
char *sk_esc_buf(char *buf, size_t size, const char *s, enum sk_esc how);

/* s escaped, allocated (free it); NULL when out of memory. */
char *sk_esc_dup(const char *s, enum sk_esc how);

/* Appends printf-style text to buf (size len), always NUL-terminated, cut
 * at len: for messages built in parts.  Nothing is escaped. */
void sk_text_append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
