/* SPDX-License-Identifier: MIT */
/*
 * The profile reader and writer: every real-world fixture parses and
 * round-trips, every invalid input is refused with its exact message, the
 * writer's output is deterministic, and the atomic file helpers clean up.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/profile.h"
#include "scmpkit/trace_format.h"
#include "helpers.h"

#define FIX "tests/data/profiles/fixtures/"

static void expect_error(const char *json, const char *msg)
{
	struct sk_profile *p = NULL;
	struct sk_err err = { "" };
	int ret = sk_profile_parse(json, strlen(json), "t.json", &p, &err);

	if (ret == 0) {
		sk_profile_free(p);
		fail_msg("accepted: %s", json);
	}
	assert_true(ret < 0);
	assert_null(p);
	assert_string_equal(err.msg, msg);
}

static struct sk_profile *load_fixture(const char *name)
{
	struct sk_profile *p = NULL;
	struct sk_err err = { "" };
	char path[256];

	snprintf(path, sizeof(path), FIX "%s", name);
	if (sk_profile_load(path, &p, &err))
		fail_msg("%s: %s", name, err.msg);
	return p;
}

/* to_json(parse(x)) reads back to the same model and the same text. */
static void assert_round_trip(const struct sk_profile *p)
{
	char *j1 = sk_profile_to_json(p), *j2;
	struct sk_profile *again;

	assert_non_null(j1);
	again = th_profile(j1, "t.json");
	j2 = sk_profile_to_json(again);
	assert_non_null(j2);
	assert_string_equal(j1, j2);
	assert_int_equal(again->n_rules, p->n_rules);
	assert_int_equal(again->n_arches, p->n_arches);
	free(j1);
	free(j2);
	sk_profile_free(again);
}

static const struct sk_rule *find_rule(const struct sk_profile *p,
				       const char *name, enum sk_op op)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			if (!strcmp(p->rules[i].names[j], name) &&
			    (!op || (p->rules[i].n_args && p->rules[i].args[0].op == op)))
				return &p->rules[i];
	return NULL;
}

static bool has_arch(const struct sk_profile *p, uint32_t arch)
{
	for (size_t i = 0; i < p->n_arches; i++)
		if (p->arches[i] == arch)
			return true;
	return false;
}

static void test_docker_default(void **state)
{
	struct sk_profile *p = load_fixture("docker-default.json");
	const struct sk_rule *r;

	(void)state;
	assert_int_equal(p->default_action, SK_ACT_ERRNO);
	assert_true(p->has_default_errno);
	assert_int_equal(p->default_errno_ret, 1);
	/* archMap kept as written (less LOONGARCH64, unknown to 2.5.4). */
	assert_int_equal(p->n_arch_map, 8);
	assert_int_equal(p->arch_map[0].arch, SCMP_ARCH_X86_64);
	assert_int_equal(p->arch_map[0].n_subs, 2);
	assert_true(has_arch(p, SCMP_ARCH_X32));
	assert_true(has_arch(p, SCMP_ARCH_S390));
	/* MASKED_EQ without valueTwo means datum 0. */
	r = find_rule(p, "clone", SK_OP_MASKED_EQ);
	assert_non_null(r);
	assert_int_equal(r->args[0].value, 2114060288);
	assert_int_equal(r->args[0].value_two, 0);
	assert_int_equal(r->excludes.n_caps, 1);
	assert_string_equal(r->excludes.caps[0], "CAP_SYS_ADMIN");
	assert_int_equal(r->excludes.n_arches, 2);
	assert_int_equal(r->excludes.arches[0], SCMP_ARCH_S390);
	r = find_rule(p, "ptrace", 0);
	assert_non_null(r);
	assert_string_equal(r->includes.min_kernel, "4.8");
	r = find_rule(p, "clone3", 0);
	assert_non_null(r);
	while (r->action != SK_ACT_ERRNO)
		r++;
	assert_true(r->has_errno);
	assert_int_equal(r->errno_ret, 38);
	assert_string_equal(p->rules[3].where, "syscalls[3]");
	assert_round_trip(p);
	sk_profile_free(p);
}

static void test_podman_default(void **state)
{
	struct sk_profile *p = load_fixture("podman-default.json");

	(void)state;
	/* "defaultErrno": "ENOSYS" agrees with defaultErrnoRet 38. */
	assert_int_equal(p->default_errno_ret, 38);
	assert_int_equal(p->rules[0].action, SK_ACT_ERRNO);
	assert_int_equal(p->rules[0].errno_ret, 1);
	assert_round_trip(p);
	sk_profile_free(p);
}

static void test_other_fixtures(void **state)
{
	static const char *const names[] = {
		"containers-example.json", "moby-default-old-format.json",
		"parse-only/moby-example.json",
		"parse-only/moby-conditional_include.json",
	};
	struct sk_profile *p;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = load_fixture(names[i]);
		assert_true(p->n_rules > 0);
		assert_round_trip(p);
		sk_profile_free(p);
	}
	/* The old single "name" field. */
	p = load_fixture("moby-default-old-format.json");
	assert_int_equal(p->rules[0].n_names, 1);
	assert_int_equal(p->n_arches, 3);
	assert_int_equal(p->n_arch_map, 0);
	sk_profile_free(p);
	p = load_fixture("parse-only/moby-example.json");
	assert_int_equal(p->rules[3].errno_ret, 12345);
	assert_int_equal(p->rules[0].args[0].op, SK_OP_MASKED_EQ);
	sk_profile_free(p);
}

static void test_names_tables(void **state)
{
	(void)state;
	for (int a = SK_ACT_KILL_PROCESS; a <= SK_ACT_KILL; a++)
		assert_int_equal(sk_action_parse(sk_action_name(a)), a);
	for (int o = SK_OP_NE; o <= SK_OP_MASKED_EQ; o++)
		assert_int_equal(sk_op_parse(sk_op_name(o)), o);
	assert_int_equal(sk_action_parse("SCMP_ACT_KILL"), SK_ACT_KILL);
	assert_int_equal(sk_action_parse("SCMP_ACT_ALLOWED"), 0);
	assert_int_equal(sk_op_parse("SCMP_CMP_EQQ"), 0);
	assert_int_equal(sk_op_parse(NULL), 0);
}

static void test_all_fields(void **state)
{
	struct sk_profile *p = th_profile(
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
		" \"architectures\": [\"SCMP_ARCH_X86_64\", \"x86\"],"
		" \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],"
		" \"syscalls\": ["
		"  {\"names\": [\"read\", \"write\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\","
		"   \"args\": null, \"comment\": \"io\", \"includes\": {}, \"excludes\": null},"
		"  {\"name\": \"openat\", \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7},"
		"  {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"EACCES\","
		"   \"args\": [{\"index\": 1, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"},"
		"            {\"index\": 5, \"value\": 3, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\"}],"
		"   \"includes\": {\"caps\": [\"CAP_KILL\"], \"arches\": [\"amd64\", \"arm64\"], \"minKernel\": \"5.10\"},"
		"   \"excludes\": {\"arches\": [\"SCMP_ARCH_S390X\"]}}]}", "t.json");

	(void)state;
	assert_int_equal(p->default_action, SK_ACT_KILL_PROCESS);
	assert_false(p->has_default_errno);
	assert_int_equal(p->n_arches, 2);
	assert_int_equal(p->arches[1], SCMP_ARCH_X86);
	assert_int_equal(p->n_flags, 2);
	assert_int_equal(p->n_rules, 3);
	assert_int_equal(p->rules[0].n_names, 2); /* "read" twice merged */
	assert_string_equal(p->rules[0].comment, "io");
	assert_int_equal(p->rules[1].action, SK_ACT_TRACE);
	assert_int_equal(p->rules[1].errno_ret, 7);
	assert_int_equal(p->rules[2].errno_ret, EACCES);
	assert_int_equal(p->rules[2].args[0].value, UINT64_MAX);
	assert_int_equal(p->rules[2].args[1].index, 5);
	assert_int_equal(p->rules[2].args[1].value_two, 1);
	assert_int_equal(p->rules[2].includes.arches[1], SCMP_ARCH_AARCH64);
	assert_int_equal(p->rules[2].excludes.arches[0], SCMP_ARCH_S390X);
	assert_string_equal(p->rules[2].includes.min_kernel, "5.10");
	assert_round_trip(p);
	sk_profile_free(p);
}

/* The writer: fixed field order, two-space indent, Go arch names in
 * conditions, SCMP_ARCH_* at the top. */
static void test_writer_exact(void **state)
{
	static const char *const want =
		"{\n"
		"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		"  \"defaultErrnoRet\": 38,\n"
		"  \"architectures\": [\n"
		"    \"SCMP_ARCH_X86_64\"\n"
		"  ],\n"
		"  \"syscalls\": [\n"
		"    {\n"
		"      \"names\": [\n"
		"        \"socket\"\n"
		"      ],\n"
		"      \"action\": \"SCMP_ACT_ALLOW\",\n"
		"      \"args\": [\n"
		"        {\n"
		"          \"index\": 0,\n"
		"          \"value\": 2,\n"
		"          \"valueTwo\": 0,\n"
		"          \"op\": \"SCMP_CMP_EQ\"\n"
		"        }\n"
		"      ],\n"
		"      \"comment\": \"inet\",\n"
		"      \"includes\": {\n"
		"        \"arches\": [\n"
		"          \"amd64\"\n"
		"        ]\n"
		"      }\n"
		"    }\n"
		"  ]\n"
		"}\n";
	struct sk_profile *p = th_profile(
		"{\"syscalls\": [{\"comment\": \"inet\", \"includes\": {\"arches\": [\"SCMP_ARCH_X86_64\"]},"
		" \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"op\": \"SCMP_CMP_EQ\", \"value\": 2, \"index\": 0}],"
		" \"names\": [\"socket\"]}], \"architectures\": [\"x86_64\"],"
		" \"defaultErrnoRet\": 38, \"defaultAction\": \"SCMP_ACT_ERRNO\"}", "t.json");
	char *j = sk_profile_to_json(p);

	(void)state;
	assert_string_equal(j, want);
	free(j);
	sk_profile_free(p);
}

struct bad_case {
	const char *json;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [}",
	  "t.json:2:15: JSON syntax error: unexpected character" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\"",
	  "t.json:1:35: unexpected end of JSON text" },
	{ "[]", "t.json: expected a JSON object at the top, not array" },
	{ "{}", "t.json: defaultAction: missing" },
	{ "{\"defaultAction\": 1}",
	  "t.json: defaultAction: expected an action string, not int 1" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOWED\"}",
	  "t.json: defaultAction: unknown action \"SCMP_ACT_ALLOWED\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}",
	  "t.json: defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value, not SCMP_ACT_ALLOW" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}",
	  "t.json: defaultErrnoRet: expected an unsigned integer, not int -1" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 65536}",
	  "t.json: defaultErrnoRet: 65536 is out of range (0-65535)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5}",
	  "t.json: defaultErrnoRet: expected an unsigned integer, not double 1.5 (a fraction)" },
	/* Numbers json-c reads as doubles: each with why it is no integer. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": NaN}",
	  "t.json: defaultErrnoRet: expected an unsigned integer, not double NaN (not a number, and not JSON)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -Infinity}",
	  "t.json: defaultErrnoRet: expected an unsigned integer, not double -Infinity (not a finite number, and not JSON)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1e308}",
	  "t.json: defaultErrnoRet: expected an unsigned integer, not double 1e308 (beyond 64 bits)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.0}",
	  "t.json: defaultErrnoRet: expected an unsigned integer, not double 1.0 (an integer is written without a decimal point or an exponent)" },
	/* json-c would cut a string at \u0000: "close" for this name. */
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\", \"close\\u0000ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0].names[1]: the string at 1:69 holds a NUL character (\\u0000), where json-c would cut it short" },
	{ "{\"defaultAction\\u0000x\": \"SCMP_ACT_ALLOW\"}",
	  "t.json: (top level): a key at 1:2 holds a NUL character (\\u0000), where json-c would cut it short" },
	/* A trace given instead of a profile: one sentence. */
	{ "{\"format\": \"scmpkit-trace\", \"version\": 1, \"syscalls\": []}",
	  "t.json: this is a trace (\"format\": \"scmpkit-trace\"), not a seccomp profile: run scmp-gen on it first" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrno\": \"ENOTANERRNO\"}",
	  "t.json: defaultErrno: unknown errno \"ENOTANERRNO\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"defaultErrno\": \"ENOSYS\"}",
	  "t.json: defaultErrno: \"ENOSYS\" (38) disagrees with defaultErrnoRet 1" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_65\"]}",
	  "t.json: architectures[0]: unknown architecture \"SCMP_ARCH_X86_65\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": \"x86_64\"}",
	  "t.json: architectures: expected an array, not string \"x86_64\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"x86_64\"],"
	  " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}",
	  "t.json: both \"architectures\" and \"archMap\" are given; use one" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [{\"subArchitectures\": []}]}",
	  "t.json: archMap[0].architecture: missing" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
	  "t.json: flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/agent.sock\"}",
	  "t.json: listenerPath: seccomp agents (SCMP_ACT_NOTIFY to an outside listener) are not supported" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}",
	  "t.json: syscalls: expected an array, not object {}" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [3]}",
	  "t.json: syscalls[0]: expected an object, not int 3" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0]: neither \"names\" nor \"name\" is given" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0]: both \"name\" and \"names\" are given; use one" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0].names: empty" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\", \"\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0].names[1]: empty string" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\", 5], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0].names[1]: expected a string, not int 5" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"\", \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json: syscalls[0].name: empty string" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"]}]}",
	  "t.json: syscalls[0].action: missing" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_DENY\"}]}",
	  "t.json: syscalls[0].action: unknown action \"SCMP_ACT_DENY\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 1}]}",
	  "t.json: syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value, not SCMP_ACT_KILL" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 70000}]}",
	  "t.json: syscalls[0].errnoRet: 70000 is out of range (0-65535)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"1\"}]}",
	  "t.json: syscalls[0].errnoRet: expected an unsigned integer, not string \"1\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": {}}]}",
	  "t.json: syscalls[0].args: expected an array, not object {}" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{}, {}, {}, {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQQ\"}]}]}",
	  "t.json: syscalls[0]: neither \"names\" nor \"name\" is given" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"a\", \"action\": \"SCMP_ACT_LOG\"}, {\"name\": \"b\", \"action\": \"SCMP_ACT_LOG\"},"
	  " {\"name\": \"c\", \"action\": \"SCMP_ACT_LOG\"}, {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQQ\"}]}]}",
	  "t.json: syscalls[3].args[0].op: unknown operator \"SCMP_CMP_EQQ\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].index: 6 is out of range (0-5)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].index: missing" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].value: missing" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": 1}]}]}",
	  "t.json: syscalls[0].args[0].op: missing" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": -3, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].value: expected an unsigned integer, not int -3" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": 2.5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].value: expected an unsigned integer, not double 2.5 (a fraction)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": 1, \"valueTwo\": true, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].valueTwo: expected an unsigned integer, not boolean true" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json:1:129: integer does not fit in 64 bits" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": {\"arches\": [\"loong64\"]}}]}",
	  "t.json: syscalls[0].includes.arches[0]: unknown architecture \"loong64\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"excludes\": {\"caps\": \"CAP_SYS_ADMIN\"}}]}",
	  "t.json: syscalls[0].excludes.caps: expected an array of strings, not string \"CAP_SYS_ADMIN\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": {\"minKernel\": \"4\"}}]}",
	  "t.json: syscalls[0].includes.minKernel: invalid kernel version \"4\" (expected MAJOR.MINOR)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": {\"minKernel\": \"4.x\"}}]}",
	  "t.json: syscalls[0].includes.minKernel: invalid kernel version \"4.x\" (expected MAJOR.MINOR)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": []}]}",
	  "t.json: syscalls[0].includes: expected an object, not array []" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"comment\": 7}]}",
	  "t.json: syscalls[0].comment: expected a string, not int 7" },
	/* Keys given twice: json-c would keep the last, turning a deny into allow. */
	{ "{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultAction\": \"SCMP_ACT_ALLOW\"}",
	  "t.json: defaultAction: duplicate key at 1:36, first at 1:2" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 2, \"value\": 4, \"value\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
	  "t.json: syscalls[0].args[0].value: duplicate key at 1:132, first at 1:120" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\","
	  " \"\\u0061rchitecture\": \"SCMP_ARCH_AARCH64\"}]}",
	  "t.json: archMap[0].architecture: duplicate key at 1:86, first at 1:50" },
};

static void test_bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		expect_error(bad_cases[i].json, bad_cases[i].msg);
}

/* Unknown keys are ignored as runc ignores them, with a warning. */
static void test_unknown_keys_warn(void **state)
{
	static const char json[] =
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultActon\": \"x\","
		" \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"arg\": []}]}";
	struct sk_warn warn = { 0 };
	struct sk_profile *p = NULL;
	struct sk_err err = { "" };

	(void)state;
	assert_int_equal(sk_profile_parse_warn(json, strlen(json), "t.json", &p,
					       &warn, &err), 0);
	assert_int_equal(warn.n, 2);
	assert_string_equal(warn.msgs[0], "t.json: \"defaultActon\": unknown key ignored");
	assert_string_equal(warn.msgs[1], "t.json: syscalls[0]: \"arg\": unknown key ignored");
	sk_warn_clear(&warn);
	sk_profile_free(p);
}

static void test_cond_arch_names(void **state)
{
	uint32_t a;

	(void)state;
	assert_int_equal(sk_cond_arch_parse("arm64", &a), 0);
	assert_int_equal(a, SCMP_ARCH_AARCH64);
	assert_string_equal(sk_cond_arch_name(SCMP_ARCH_AARCH64), "arm64");
	assert_int_equal(sk_cond_arch_parse("SCMP_ARCH_PPC64LE", &a), 0);
	assert_string_equal(sk_cond_arch_name(a), "ppc64le");
	assert_int_equal(sk_cond_arch_parse("mips64le", &a), 0);
	assert_int_equal(a, SCMP_ARCH_MIPSEL64);
	assert_int_equal(sk_cond_arch_parse("sparc", &a), -EINVAL);
}

static void test_save_and_read(void **state)
{
	char dir[] = "/tmp/sk-test-profile-XXXXXX", path[128], *text = NULL;
	struct sk_profile *p = th_profile("{\"defaultAction\": \"SCMP_ACT_LOG\"}", "t.json");
	struct sk_err err = { "" };
	size_t len = 0;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.json", dir);
	assert_int_equal(sk_profile_save(p, path, &err), 0);
	assert_int_equal(sk_read_file(path, &text, &len, &err), 0);
	/* json-c prints an empty array over two lines. */
	assert_string_equal(text, "{\n  \"defaultAction\": \"SCMP_ACT_LOG\",\n  \"syscalls\": [\n  ]\n}\n");
	assert_int_equal(len, strlen(text));
	free(text);
	/* A directory that does not exist: the error names the path, no temp left. */
	snprintf(path, sizeof(path), "%s/no/p.json", dir);
	assert_int_equal(sk_profile_save(p, path, &err), -ENOENT);
	assert_non_null(strstr(err.msg, path));
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(sk_read_file(path, &text, &len, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "missing.json: No such file or directory"));
	/* Only p.json is in the directory: the temp file was renamed away. */
	snprintf(path, sizeof(path), "%s/p.json", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(stat(dir, &st), -1);
	sk_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_default),
		cmocka_unit_test(test_podman_default),
		cmocka_unit_test(test_other_fixtures),
		cmocka_unit_test(test_names_tables),
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_writer_exact),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_unknown_keys_warn),
		cmocka_unit_test(test_cond_arch_names),
		cmocka_unit_test(test_save_and_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
