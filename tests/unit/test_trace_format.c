/* SPDX-License-Identifier: MIT */
/*
 * trace.json: a trace round-trips through the writer and reader unchanged,
 * output is deterministic, and every kind of bad input is refused with a
 * message naming the file and the JSON path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <seccomp.h>

#include "scmpkit/trace_format.h"
#include "helpers.h"

#define HEAD "{\"format\": \"scmpkit-trace\", \"version\": 1, "

static void expect_error(const char *json, const char *msg)
{
	struct sk_trace *t = NULL;
	struct sk_err err = { "" };
	int ret = sk_trace_parse(json, strlen(json), "t.json", &t, &err);

	assert_int_equal(ret, -EINVAL);
	assert_null(t);
	th_assert_msg(err.msg, msg);
}

static struct sk_trace *sample(void)
{
	struct sk_trace *t = sk_trace_new();
	struct sk_trace_sys *s;

	assert_non_null(t);
	t->tool = strdup("scmp-trace 0.1.0");
	t->backend = strdup("ptrace");
	t->n_command = 2;
	t->command = calloc(3, sizeof(char *));
	t->command[0] = strdup("sh");
	t->command[1] = strdup("-c \"x\"\n");
	t->has_exit = true;
	t->exit_signal = 9;
	t->complete = false;
	t->incomplete_reason = strdup("detached");
	t->n_executables = 2;
	t->executables = calloc(3, sizeof(char *));
	t->executables[0] = strdup("/usr/bin/dash");
	t->executables[1] = strdup("/usr/bin/ls");
	t->processes = 2;
	t->threads = 3;
	t->machine = SCMP_ARCH_AARCH64;
	s = sk_trace_add_sys(t, SCMP_ARCH_X86_64, 257, "openat");
	s->count = UINT64_MAX;
	s->n_exe = 2;
	s->exe = calloc(2, sizeof(unsigned));
	s->exe[0] = 0;
	s->exe[1] = 1;
	s->n_argidx = 1;
	s->argidx[0] = 2;
	s->n_tuples = 2;
	s->tuples = calloc(2, sizeof(uint64_t));
	s->tuples[0] = 0x80000;
	s->tuples[1] = 0xffffffffffffffffULL;
	s->has_errors = true;
	s->n_errors = 1;
	s->errors = calloc(1, sizeof(*s->errors));
	s->errors[0].name = strdup("ENOENT");
	s->errors[0].count = 31;
	s = sk_trace_add_sys(t, SCMP_ARCH_X86, 20, "getpid");
	s->count = 1;
	s->runtime = true;
	s = sk_trace_add_sys(t, SCMP_ARCH_X86_64, 999, NULL);
	s->count = 2;
	s = sk_trace_add_sys(t, SCMP_ARCH_X86_64, 41, "socket");
	s->count = 4;
	s->n_argidx = 2;
	s->argidx[0] = 0;
	s->argidx[1] = 1;
	s->args_unbounded = true;
	t->container = calloc(1, sizeof(*t->container));
	t->container->id = strdup("0123abcd");
	t->container->name = strdup("web");
	t->container->runtime = strdup("docker");
	t->container->start = strdup("filter");
	t->container->files = strdup("web-0123abcd.files");
	sk_trace_sort(t);
	return t;
}

static void test_roundtrip(void **state)
{
	struct sk_trace *t = sample(), *u;
	char *a, *b;

	(void)state;
	/* Sorted: x86 before x86_64, named before unnamed. */
	assert_int_equal(t->sys[0].arch, SCMP_ARCH_X86);
	assert_string_equal(t->sys[1].name, "openat");
	assert_string_equal(t->sys[2].name, "socket");
	assert_null(t->sys[3].name);
	a = sk_trace_to_json(t);
	assert_non_null(a);
	u = th_trace(a, "t.json");
	b = sk_trace_to_json(u);
	assert_string_equal(a, b);
	/* Every entry survives, the one libseccomp cannot name too (a writer
	 * that dropped it would still write the same text twice). */
	assert_int_equal(u->n_sys, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(u->sys[i].arch, t->sys[i].arch);
		assert_int_equal(u->sys[i].nr, t->sys[i].nr);
		assert_true(u->sys[i].count == t->sys[i].count);
	}
	assert_null(u->sys[3].name);
	assert_int_equal(u->sys[3].nr, 999);
	assert_int_equal(u->sys[3].count, 2);
	assert_int_equal(u->exit_signal, 9);
	assert_int_equal(u->machine, SCMP_ARCH_AARCH64);
	assert_false(u->complete);
	assert_string_equal(u->command[1], "-c \"x\"\n");
	assert_true(u->sys[1].count == UINT64_MAX);
	assert_true(u->sys[1].tuples[1] == 0xffffffffffffffffULL);
	assert_true(u->sys[1].has_errors);
	assert_int_equal(u->sys[1].errors[0].count, 31);
	assert_true(u->sys[2].args_unbounded);
	assert_false(u->sys[0].has_errors);
	assert_true(u->sys[0].runtime);
	assert_false(u->sys[1].runtime);
	assert_non_null(strstr(a, "\"origin\": \"runtime\""));
	/* The container, read back: where the copies of its files are. */
	assert_non_null(u->container);
	assert_string_equal(u->container->name, "web");
	assert_string_equal(u->container->files, "web-0123abcd.files");
	assert_null(u->container->cgroup);
	free(a);
	free(b);
	sk_trace_free(t);
	sk_trace_free(u);
}

/* A container's trace keeps only the executables its entries name. */
static void test_prune_executables(void **state)
{
	struct sk_trace *t = th_trace(HEAD "\"executables\": [\"/other\", \"/bin/sh\", \"/gone\", \"/bin/ls\"], "
				      "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 1, \"exe\": [1, 3]},"
				      " {\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": 1, \"exe\": [3]},"
				      " {\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 2, \"count\": 1}]}", "t.json");

	(void)state;
	sk_trace_prune_executables(t);
	assert_int_equal(t->n_executables, 2);
	assert_string_equal(t->executables[0], "/bin/sh");
	assert_string_equal(t->executables[1], "/bin/ls");
	assert_int_equal(t->sys[0].n_exe, 2);
	assert_int_equal(t->sys[0].exe[0], 0);
	assert_int_equal(t->sys[0].exe[1], 1);
	assert_int_equal(t->sys[1].exe[0], 1);
	sk_trace_free(t);
}

static void test_tuples_sorted_unique(void **state)
{
	struct sk_trace *t;

	(void)state;
	t = th_trace(HEAD "\"executables\": [], \"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\","
		     " \"name\": \"socket\", \"nr\": 41, \"count\": 3, \"argidx\": [0, 1],"
		     " \"args\": [[10, 2], [1, 1], [10, 2], [1, 0]]}]}", "t.json");
	assert_int_equal(t->sys[0].n_tuples, 3);
	assert_int_equal(t->sys[0].tuples[0], 1);
	assert_int_equal(t->sys[0].tuples[1], 0);
	assert_int_equal(t->sys[0].tuples[4], 10);
	assert_true(t->complete);
	sk_trace_free(t);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{", "t.json:1:2: unexpected end of JSON text");
	expect_error("[]", "t.json: (top level): expected an object, not array []");
	expect_error("{\"format\": \"x\"}",
		     "t.json: format: not a scmpkit trace (expected \"format\": \"scmpkit-trace\")");
	expect_error("{\"format\": \"scmpkit-trace\", \"version\": 2}",
		     "t.json: version: unsupported version (this reader knows 1)");
	expect_error(HEAD "\"executables\": []}", "t.json: (top level): missing \"syscalls\"");
	expect_error(HEAD "\"machine\": \"vax\", \"syscalls\": []}",
		     "t.json: machine: unknown architecture \"vax\"");
	expect_error(HEAD "\"machine\": 62, \"syscalls\": []}",
		     "t.json: machine: expected a string, not int 62");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": 1, \"origin\": \"program\"}]}",
		     "t.json: syscalls[0].origin: unknown origin (the one value is \"runtime\")");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": 1, \"origin\": true}]}",
		     "t.json: syscalls[0].origin: expected a string, not boolean true");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_VAX\", \"nr\": 1, \"count\": 1}]}",
		     "t.json: syscalls[0].arch: unknown architecture \"SCMP_ARCH_VAX\"");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": -1, \"count\": 1}]}",
		     "t.json: syscalls[0].nr: must not be negative");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": 1.5}]}",
		     "t.json: syscalls[0].count: expected a non-negative integer, not double 1.5 (a fraction)");
	/* json-c takes NaN and Infinity, which are not JSON, as doubles. */
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": NaN}]}",
		     "t.json: syscalls[0].count: expected a non-negative integer, not double NaN (not a number, and not JSON)");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": Infinity}]}",
		     "t.json: syscalls[0].count: expected a non-negative integer, not double Infinity (not a finite number, and not JSON)");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": 1e308}]}",
		     "t.json: syscalls[0].count: expected a non-negative integer, not double 1e308 (beyond 64 bits)");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 1, \"count\": 2E3}]}",
		     "t.json: syscalls[0].count: expected a non-negative integer, not double 2E3 (an integer is written without a decimal point or an exponent)");
	/* A name json-c would cut at \u0000, and one that is no name. */
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"close\\u0000ptrace\", \"nr\": 3, \"count\": 1}]}",
		     "t.json: syscalls[0].name: the string at 1:93 holds a NUL character (\\u0000), where json-c would cut it short");
	expect_error(HEAD "\"executables\": [\"/bin/a\\u0000b\"], \"syscalls\": []}",
		     "t.json: executables[0]: the string at 1:59 holds a NUL character (\\u0000), where json-c would cut it short");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"x\\nExecStartPre=y\", \"nr\": 999, \"count\": 1}]}",
		     "t.json: syscalls[0].name: \"x\\nExecStartPre=y\" is not a syscall name (letters, digits and _, at most 64)");
	/* A profile given instead of a trace. */
	expect_error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": []}",
		     "t.json: format: missing: this is a seccomp profile (it has \"defaultAction\"), not a trace; scmp-gen reads what scmp-trace records");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"read\", \"nr\": 1, \"count\": 1}]}",
		     "t.json: syscalls[0].name: \"read\" is number 0 on SCMP_ARCH_X86_64, not 1");
	expect_error(HEAD "\"executables\": [\"/a\"], \"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 1, \"exe\": [1]}]}",
		     "t.json: syscalls[0].exe[0]: index 1 but \"executables\" has 1 entries");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 41, \"count\": 1, \"argidx\": [0, 6], \"args\": []}]}",
		     "t.json: syscalls[0].argidx[1]: argument index 6 (0 to 5)");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 41, \"count\": 1, \"argidx\": [1, 0], \"args\": []}]}",
		     "t.json: syscalls[0].argidx[1]: positions must be ascending and distinct");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 41, \"count\": 1, \"argidx\": [0, 1], \"args\": [[1]]}]}",
		     "t.json: syscalls[0].args[0]: tuple has 1 values, \"argidx\" names 2 positions");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 41, \"count\": 1, \"argidx\": [0], \"args\": \"many\"}]}",
		     "t.json: syscalls[0].args: expected an array of tuples or \"unbounded\", not string \"many\"");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 41, \"count\": 1, \"argidx\": [0], \"args\": [[18446744073709551616]]}]}",
		     "t.json:1:132: integer does not fit in 64 bits");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 1},"
		     " {\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 2}]}",
		     "t.json: syscalls: entries [0] and [1] are both number 0 on SCMP_ARCH_X86_64");
	expect_error(HEAD "\"exit\": {\"code\": 256}, \"syscalls\": []}",
		     "t.json: exit.code: exit status 256 (0 to 255)");
	expect_error(HEAD "\"container\": [], \"syscalls\": []}",
		     "t.json: container: expected an object, not array []");
	expect_error(HEAD "\"container\": {\"files\": 1}, \"syscalls\": []}",
		     "t.json: container.files: expected a string, not int 1");
	expect_error(HEAD "\"complete\": 1, \"syscalls\": []}",
		     "t.json: complete: expected true or false, not int 1");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 1, \"errors\": {\"nope\": 1}}]}",
		     "t.json: syscalls[0].errors.nope: not an errno name (\"ENOENT\", or \"E123\")");
	/* A key given twice: json-c would keep the last one silently. */
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 1, \"count\": 2}]}",
		     "t.json: syscalls[0].count: duplicate key at 1:106, first at 1:94");
	expect_error(HEAD "\"complete\": false, \"complete\": true, \"syscalls\": []}",
		     "t.json: complete: duplicate key at 1:62, first at 1:43");
	expect_error(HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"nr\": 0, \"count\": 1, \"errors\": {\"EIO\": 1, \"E\\u0049O\": 2}}]}",
		     "t.json: syscalls[0].errors.EIO: duplicate key at 1:127, first at 1:117");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_prune_executables),
		cmocka_unit_test(test_tuples_sorted_unique),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
