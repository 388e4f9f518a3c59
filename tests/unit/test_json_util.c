/* SPDX-License-Identifier: MIT */
/*
 * The JSON front end shared by both readers: a key given twice in one
 * object is refused with the JSON path of the key and both places, since
 * json-c keeps only the last one; keys are compared as json-c decodes them
 * (escapes, surrogate pairs, a \u0000 that ends a json-c key).
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

#include "../../lib/json_util.h"
#include "helpers.h"

static void parse_ok(const char *json)
{
	struct json_object *o = NULL;
	struct sk_err err = { "" };

	if (sk_json_parse(json, strlen(json), "t.json", &o, &err))
		fail_msg("refused: %s\n  %s", json, err.msg);
	json_object_put(o);
}

static void expect_dup(const char *json, const char *msg)
{
	struct json_object *o = NULL;
	struct sk_err err = { "" };
	int ret = sk_json_parse(json, strlen(json), "t.json", &o, &err);

	if (ret == 0) {
		json_object_put(o);
		fail_msg("accepted: %.200s", json);
	}
	assert_int_equal(ret, -EINVAL);
	assert_null(o);
	th_assert_msg(err.msg, msg);
}

static void test_duplicates(void **state)
{
	(void)state;
	expect_dup("{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultAction\": \"SCMP_ACT_ALLOW\"}",
		   "t.json: defaultAction: duplicate key at 1:36, first at 1:2");
	expect_dup("{\"syscalls\": [{\"names\": [\"mmap\"], \"args\": [\n"
		   "  {\"index\": 2, \"value\": 4, \"value\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		   "t.json: syscalls[0].args[0].value: duplicate key at 2:28, first at 2:16");
	/* Three times: the second occurrence is reported. */
	expect_dup("{\"k\": 1, \"k\": 2, \"k\": 3}",
		   "t.json: k: duplicate key at 1:10, first at 1:2");
	/* The first duplicate in the text, wherever it nests. */
	expect_dup("{\"x\": 1, \"o\": {\"y\": 1, \"y\": 2}, \"x\": 2}",
		   "t.json: o.y: duplicate key at 1:24, first at 1:16");
	expect_dup("[1, {\"a\": [{}, {\"b\": {\"c\": 1, \"c\": 1}}]}]",
		   "t.json: [1].a[1].b.c: duplicate key at 1:31, first at 1:23");
	/* Equal once decoded, as json-c decodes them. */
	expect_dup("{\"ab\": 1, \"a\\u0062\": 2}",
		   "t.json: ab: duplicate key at 1:11, first at 1:2");
	expect_dup("{\"a\\/b\": 1, \"a/b\": 2}",
		   "t.json: [\"a/b\"]: duplicate key at 1:13, first at 1:2");
	expect_dup("{\"\\ud83d\\ude00\": 1, \"\xf0\x9f\x98\x80\": 2}",
		   "t.json: [\"\xf0\x9f\x98\x80\"]: duplicate key at 1:21, first at 1:2");
	/* json-c ends a key at \u0000, so these two would be one key to it:
	 * refused for the \u0000 first (test_nul). */
	expect_dup("{\"a\\u0000b\": 1, \"a\": 2}",
		   "t.json: (top level): a key at 1:2 holds a NUL character (\\u0000), where json-c would cut it short");
	/* A key a reader would not print as is. */
	expect_dup("{\"a \\\"b\\n\": {\"x\": 1, \"x\": 2}}",
		   "t.json: [\"a \\\"b\\u000a\"].x: duplicate key at 1:22, first at 1:14");
	expect_dup("{\"\": 1, \"\": 2}", "t.json: [\"\"]: duplicate key at 1:9, first at 1:2");
}

/* A string or key holding \u0000, which json-c's C strings would end at. */
static void test_nul(void **state)
{
	(void)state;
	expect_dup("{\"names\": [\"read\", \"close\\u0000ptrace\"]}",
		   "t.json: names[1]: the string at 1:20 holds a NUL character (\\u0000), where json-c would cut it short");
	expect_dup("{\"o\": {\"k\\u0000\": 1}}",
		   "t.json: o: a key at 1:8 holds a NUL character (\\u0000), where json-c would cut it short");
	expect_dup("\"\\u0000\"",
		   "t.json: (top level): the string at 1:1 holds a NUL character (\\u0000), where json-c would cut it short");
	/* An escaped backslash before u0000 is no NUL; \u0001 is none either. */
	parse_ok("{\"a\": \"\\\\u0000\", \"b\": \"\\u0001\", \"c\": \"u0000\"}");
}

static void test_not_duplicates(void **state)
{
	(void)state;
	parse_ok("{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}");
	parse_ok("[{\"a\": 1}, {\"a\": 2}]");
	parse_ok("{\"a\": \"a\", \"b\": \"\\\"a\\\": 1\"}");
	parse_ok("{\"a\": 1, \"A\": 2, \"a \": 3, \"\\u0061b\": 4}");
	parse_ok("{\"a\": {\"a\": {\"a\": 1}}}");
	parse_ok("{\"\\\\\": 1, \"\\\"\": 2, \"\\/\": 3, \"\\\\\\\"\": 4}");
	parse_ok("{}");
	parse_ok("\"a\"");
	parse_ok("[]");
}

/* Many keys in one object: found without a quadratic walk. */
/* "[[],[],...]": n arrays in one (n + 1 containers); allocated. */
static char *arrays(size_t n)
{
	char *text = malloc(3 * n + 2), *p = text;

	assert_non_null(text);
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '[';
		*p++ = ']';
	}
	*p++ = ']';
	*p = '\0';
	return text;
}

/* Counted before json-c builds its tree: memory bounded, not only size. */
static void test_too_many(void **state)
{
	struct json_object *o = NULL;
	struct sk_err err = { "" };
	char *text = arrays(100000);

	(void)state;
	assert_int_equal(sk_json_parse(text, strlen(text), "t.json", &o, &err), -EFBIG);
	assert_null(o);
	assert_non_null(strstr(err.msg, "t.json: more than 100000 JSON objects and arrays"));
	free(text);
	text = arrays(99999);
	parse_ok(text);
	free(text);
}

static void test_many_keys(void **state)
{
	size_t n = 200000, cap = n * 20 + 64, off = 1, first = 0;
	char *text = malloc(cap), msg[128];

	(void)state;
	assert_non_null(text);
	text[0] = '{';
	for (size_t i = 0; i < n; i++) {
		if (i == 7)
			first = off;
		off += (size_t)snprintf(text + off, cap - off, "\"k%zu\": %zu, ", i, i);
	}
	snprintf(text + off, cap - off, "\"k7\": 0}");
	snprintf(msg, sizeof(msg), "t.json: k7: duplicate key at 1:%zu, first at 1:%zu",
		 off + 1, first + 1);
	expect_dup(text, msg);
	snprintf(text + off - 2, cap - off + 2, "}");
	parse_ok(text);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_not_duplicates),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
