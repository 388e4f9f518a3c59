/* SPDX-License-Identifier: MIT */
/*
 * Escaping strings from input for text outputs: each mode on control
 * characters, bytes that are not UTF-8, C1 and bidirectional controls, and
 * what ends its place ("*" "/" in a C comment, a quote in a C string, a
 * backslash that would join a systemd line to the next); cutting to a
 * buffer; and messages made by sk_err_set / sk_warn_add.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmpkit/err.h"
#include "scmpkit/textesc.h"

static void expect(const char *in, enum sk_esc how, const char *want)
{
	char *got = sk_esc_dup(in, how);
	char buf[512];

	assert_non_null(got);
	if (strcmp(got, want))
		fail_msg("mode %d\n  got:  %s\n  want: %s", how, got, want);
	free(got);
	/* The buffer form agrees when it fits. */
	assert_string_equal(sk_esc_buf(buf, sizeof(buf), in, how), want);
}

static void test_text(void **state)
{
	(void)state;
	expect("plain /usr/bin/ls", SK_ESC_TEXT, "plain /usr/bin/ls");
	/* The file name of issue 13: no live line in a drop-in. */
	expect("x\n[Service]\nExecStartPre=touch INJ\n#.json", SK_ESC_TEXT,
	       "x\\n[Service]\\nExecStartPre=touch INJ\\n#.json");
	expect("a\tb\rc\\", SK_ESC_TEXT, "a\\tb\\rc\\\\");
	expect("\x1b[31mred\x7f\x01", SK_ESC_TEXT, "\\x1b[31mred\\x7f\\x01");
	/* Valid UTF-8 stays; broken, overlong and surrogate forms do not. */
	expect("caf\xc3\xa9 \xe2\x82\xac", SK_ESC_TEXT, "caf\xc3\xa9 \xe2\x82\xac");
	expect("\xff\xc3(\xc0\xaf\xed\xa0\x80", SK_ESC_TEXT,
	       "\\xff\\xc3(\\xc0\\xaf\\xed\\xa0\\x80");
	expect("\xe2\x82", SK_ESC_TEXT, "\\xe2\\x82");
	/* C1 (CSI as U+009B) and the bidirectional controls of Trojan Source. */
	expect("\xc2\x9b" "31m \xe2\x80\xae" "abc\xe2\x81\xa6 \xe2\x80\xa8", SK_ESC_TEXT,
	       "\\u009b31m \\u202eabc\\u2066 \\u2028");
	/* Quotes, slashes and question marks are nothing special in text. */
	expect("\"*/?\?/", SK_ESC_TEXT, "\"*/?\?/");
	expect("", SK_ESC_TEXT, "");
}

static void test_c(void **state)
{
	(void)state;
	/* A comment never ends early. */
	expect("a */ int evil; /* b", SK_ESC_C_COMMENT, "a *\\/ int evil; /* b");
	expect("**/ */*/", SK_ESC_C_COMMENT, "**\\/ *\\/*\\/");
	expect("x\ny \\", SK_ESC_C_COMMENT, "x\\ny \\\\");
	/* A string literal never ends early and holds no trigraph. */
	expect("a\"); system(\"x", SK_ESC_C_STRING, "a\\\"); system(\\\"x");
	expect("?\?/ ?\? ?", SK_ESC_C_STRING, "?\\?/ ?\\? ?");
	/* Octal: "\x01" followed by "a" would read as \x01a. */
	expect("\x01" "a\n\xff" "b", SK_ESC_C_STRING, "\\001a\\n\\377b");
	expect("\xc2\x85", SK_ESC_C_STRING, "\\302\\205");
	expect("*/", SK_ESC_C_STRING, "*/");
}

static void test_message(void **state)
{
	(void)state;
	/* A message's backslashes are its parts' own quoting: kept. */
	expect("p.json: [\"a\\u000a\"]: x\n\x1b", SK_ESC_MESSAGE,
	       "p.json: [\"a\\u000a\"]: x\\n\\x1b");
}

static void test_cut(void **state)
{
	char buf[12];

	(void)state;
	assert_string_equal(sk_esc_buf(buf, sizeof(buf), "abcdefghijklmnop", SK_ESC_TEXT),
			    "abcdefgh...");
	/* Never half an escape, nor half a UTF-8 character. */
	assert_string_equal(sk_esc_buf(buf, sizeof(buf), "abcdef\n\n\nxyz", SK_ESC_TEXT),
			    "abcdef\\n...");
	assert_string_equal(sk_esc_buf(buf, sizeof(buf), "abcdefg\xe2\x82\xac\xe2\x82\xac", SK_ESC_TEXT),
			    "abcdefg...");
	assert_string_equal(sk_esc_buf(buf, sizeof(buf), "abcdefghijk", SK_ESC_TEXT),
			    "abcdefghijk");
	assert_string_equal(sk_esc_buf(buf, 3, "abcdef", SK_ESC_TEXT), "");
	assert_string_equal(sk_esc_buf(buf, 3, "ab", SK_ESC_TEXT), "ab");
	assert_string_equal(sk_esc_buf(buf, 1, "abcdef", SK_ESC_TEXT), "");
}

/* Messages are escaped when made, whatever their parts. */
static void test_err_and_warn(void **state)
{
	struct sk_err err = { "" };
	struct sk_warn warn = { 0 };

	(void)state;
	assert_int_equal(sk_err_set(&err, EINVAL, "%s: unknown action \"%s\"",
				    "p\n.json", "SCMP_\x1b]0;x\x07"), -EINVAL);
	assert_string_equal(err.msg, "p\\n.json: unknown action \"SCMP_\\x1b]0;x\\x07\"");
	assert_int_equal(sk_warn_add(&warn, "%s: skipped", "a\rb"), 0);
	assert_string_equal(warn.msgs[0], "a\\rb: skipped");
	sk_warn_clear(&warn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_c),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_err_and_warn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
