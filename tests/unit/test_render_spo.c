/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen -f spo (render_spo.c): the SeccompProfile resource from a
 * profile given as JSON (exact text), what SPO cannot hold refused with a
 * message, clone's 64-bit mask written without bit 63 and a warning, the
 * resource names; the schema check is tests/e2e/test_spo.sh.
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

#include "scmpkit/gen_format.h"
#include "scmpkit/profile.h"
#include "helpers.h"

#define HEAD "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\"," \
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": ["

/* Renders json as resource "r"; returns the text (0) or the message. */
static char *render(const char *json, int want_ret, struct sk_warn *warn)
{
	struct sk_profile *p = th_profile(json, "p.json");
	struct sk_err err = { "" };
	char *text = NULL;
	int ret = sk_gen_spo(p, "r", "hdr \"q\"\n", &text, warn, &err);

	sk_profile_free(p);
	assert_int_equal(ret, want_ret);
	if (ret) {
		assert_null(text);
		return strdup(err.msg);
	}
	return text;
}

static void expect_refused(const char *json, const char *part)
{
	char *msg = render(json, -EINVAL, NULL);

	th_assert_msg_has(msg, part);
	free(msg);
}

/* Every field SPO has; comments and the header's newline do not break out
 * of their strings; EPERM as the default errno is no field. */
static void test_text(void **state)
{
	char *text;

	(void)state;
	text = render("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
		      " \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		      " \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"syscalls\": ["
		      "{\"names\": [\"read\", \"write\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"x\"},"
		      "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]},"
		      "{\"names\": [\"openat\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 2, \"value\": 579, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
		      "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}",
		      0, NULL);
	if (strcmp(text,
		   "{\n"
		   "  \"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\",\n"
		   "  \"kind\": \"SeccompProfile\",\n"
		   "  \"metadata\": {\n"
		   "    \"name\": \"r\",\n"
		   "    \"annotations\": {\n"
		   "      \"description\": \"hdr \\\"q\\\"\\\\n\"\n"
		   "    }\n"
		   "  },\n"
		   "  \"spec\": {\n"
		   "    \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		   "    \"architectures\": [\n"
		   "      \"SCMP_ARCH_X86_64\"\n"
		   "    ],\n"
		   "    \"flags\": [\n"
		   "      \"SECCOMP_FILTER_FLAG_LOG\"\n"
		   "    ],\n"
		   "    \"syscalls\": [\n"
		   "      {\n"
		   "        \"names\": [\n"
		   "          \"read\",\n"
		   "          \"write\"\n"
		   "        ],\n"
		   "        \"action\": \"SCMP_ACT_ALLOW\"\n"
		   "      },\n"
		   "      {\n"
		   "        \"names\": [\n"
		   "          \"ioctl\"\n"
		   "        ],\n"
		   "        \"action\": \"SCMP_ACT_ALLOW\",\n"
		   "        \"args\": [\n"
		   "          {\n"
		   "            \"index\": 1,\n"
		   "            \"value\": 21505,\n"
		   "            \"op\": \"SCMP_CMP_EQ\"\n"
		   "          }\n"
		   "        ]\n"
		   "      },\n"
		   "      {\n"
		   "        \"names\": [\n"
		   "          \"openat\"\n"
		   "        ],\n"
		   "        \"action\": \"SCMP_ACT_LOG\",\n"
		   "        \"args\": [\n"
		   "          {\n"
		   "            \"index\": 2,\n"
		   "            \"value\": 579,\n"
		   "            \"valueTwo\": 0,\n"
		   "            \"op\": \"SCMP_CMP_MASKED_EQ\"\n"
		   "          }\n"
		   "        ]\n"
		   "      },\n"
		   "      {\n"
		   "        \"names\": [\n"
		   "          \"clone3\"\n"
		   "        ],\n"
		   "        \"action\": \"SCMP_ACT_ERRNO\",\n"
		   "        \"errnoRet\": 38\n"
		   "      }\n"
		   "    ]\n"
		   "  }\n"
		   "}\n"))
		fail_msg("got:\n%s", text);
	free(text);
}

/* A mask with bit 63 (clone's "no other bit" rule) loses that bit, and a
 * warning says so; on 32-bit arches libseccomp compares the low half only,
 * so nothing changes there. */
static void test_mask_bit63(void **state)
{
	struct sk_warn warn = { 0 };
	char *text;

	(void)state;
	text = render(HEAD "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
		      " \"value\": 18446744073688756462, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		      0, &warn);
	assert_non_null(strstr(text, "\"value\": 9223372036833980654,"));
	assert_int_equal(warn.n, 1);
	th_assert_msg(warn.msgs[0], "syscalls[0] (clone): the mask 0xfffffffffec2b0ee of argument 0 has bit 63, past the int64 SPO stores: written as 0x7ffffffffec2b0ee, so the rule no longer checks bit 63 of that argument");
	sk_warn_clear(&warn);
	free(text);
	/* No warning without bit 63. */
	text = render(HEAD "{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0,"
		      " \"value\": 9223372036854775807, \"valueTwo\": 17, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		      0, &warn);
	assert_int_equal(warn.n, 0);
	free(text);
}

/* What SPO cannot hold, each with its message. */
static void test_refused(void **state)
{
	(void)state;
	expect_refused(HEAD "{\"names\": [\"renameat2\"], \"action\": \"SCMP_ACT_ALLOW\","
		       " \"includes\": {\"arches\": [\"arm64\"]}}]}",
		       "syscalls[0] (renameat2): SPO has no includes or excludes, so a rule for some hosts only would hold on every host or on none; generate one profile per host, from that host's traces");
	expect_refused(HEAD "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		       "{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\","
		       " \"excludes\": {\"caps\": [\"CAP_SYS_PTRACE\"]}}]}",
		       "syscalls[1] (ptrace): SPO has no includes");
	expect_refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, \"syscalls\": []}",
		       "defaultErrnoRet 38: SPO has no defaultErrnoRet, and runc and crun answer SCMP_ACT_ERRNO without one with EPERM; use -d errno (EPERM) or another action");
	expect_refused(HEAD "{\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 0}]}",
		       "syscalls[0] (clone3): errnoRet 0: SPO takes 1 to 2^31-1");
	expect_refused(HEAD "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1,"
		       " \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		       "syscalls[0] (ioctl): argument 1 compares with 0xffffffffffffffff, past the int64 SPO stores (0 to 2^63-1), and libseccomp takes one comparison per argument, so it cannot be split");
	/* A datum with bit 63: the mask cannot lose it. */
	expect_refused(HEAD "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1,"
		       " \"value\": 18446744073709551615, \"valueTwo\": 9223372036854775808, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		       "compares with 0xffffffffffffffff, past the int64");
	expect_refused(HEAD "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1,"
		       " \"value\": 1, \"valueTwo\": 9223372036854775808, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
		       "compares with 0x8000000000000000, past the int64");
	expect_refused("{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"archMap\": [{\"architecture\":"
		       " \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]}], \"syscalls\": []}",
		       "archMap: SPO has no archMap");
}

static void test_names(void **state)
{
	static const struct {
		const char *path, *want;
	} from[] = {
		{ "allow-spo.json", "allow-spo" },
		{ "out/My_App v2.json", "my-app-v2" },
		{ "/x/redis.profile.json", "redis-profile" },
		{ "--x--.json", "x" },
		{ ".json", "json" },
		{ "dir/", "scmp-gen-profile" },
		{ "___", "scmp-gen-profile" },
		{ "t\xc3\xa9st", "t-st" },
	};
	char buf[64], big[200];

	(void)state;
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		sk_spo_name_from(from[i].path, buf, sizeof(buf));
		if (strcmp(buf, from[i].want))
			fail_msg("%s: got %s, want %s", from[i].path, buf, from[i].want);
		assert_true(sk_spo_name_valid(buf));
	}
	memset(big, 'a', sizeof(big) - 6);
	strcpy(big + sizeof(big) - 6, ".json");
	sk_spo_name_from(big, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 63);
	assert_true(sk_spo_name_valid("a"));
	assert_true(sk_spo_name_valid("web.prod-1"));
	assert_false(sk_spo_name_valid(""));
	assert_false(sk_spo_name_valid("Web"));
	assert_false(sk_spo_name_valid("-a"));
	assert_false(sk_spo_name_valid("a-"));
	assert_false(sk_spo_name_valid("a..b"));
	assert_false(sk_spo_name_valid("a.-b"));
	assert_false(sk_spo_name_valid(".a"));
	assert_false(sk_spo_name_valid("a_b"));
	assert_false(sk_spo_name_valid(NULL));
}

static void test_tables(void **state)
{
	(void)state;
	assert_int_equal(sk_spo_tables_check(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_mask_bit63),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
