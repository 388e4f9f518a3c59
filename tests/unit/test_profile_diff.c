/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --diff (profile_diff.c): two profiles, or two traces, compared
 * per (arch, call, action) as sets of conditions.  The same set written
 * differently is no difference; a call going from any arguments to an
 * argument rule is narrowed, the reverse widened, values both gained and
 * lost changed; a change that is the same on several arches is told once;
 * names count on the arches libseccomp knows them on; a profile and a
 * trace are not compared; the JSON has the documented shape.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <json.h>

#include "scmpkit/profile_diff.h"
#include "helpers.h"

#define P_HEAD "{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", "

/* Compares two profiles (or traces when trace); the diff, freed by the caller. */
static struct sk_diff *diff(const char *a, const char *b, bool trace)
{
	struct sk_diff_input ia = { trace ? SK_DIFF_TRACE : SK_DIFF_PROFILE, (char *)"a.json",
				    NULL, NULL };
	struct sk_diff_input ib = { ia.kind, (char *)"b.json", NULL, NULL };
	struct sk_err err = { "" };
	struct sk_diff *d = NULL;

	if (trace) {
		ia.trace = th_trace(a, "a.json");
		ib.trace = th_trace(b, "b.json");
	} else {
		ia.profile = th_profile(a, "a.json");
		ib.profile = th_profile(b, "b.json");
	}
	if (sk_diff_compare(&ia, &ib, &d, &err))
		fail_msg("compare: %s", err.msg);
	sk_profile_free(ia.profile);
	sk_profile_free(ib.profile);
	sk_trace_free(ia.trace);
	sk_trace_free(ib.trace);
	return d;
}

static const char *text(const struct sk_diff *d, const struct sk_diff_change *c,
			const struct sk_diff_cond *cond)
{
	static char buf[1024];

	sk_diff_cond_text(d, c, cond, buf, sizeof(buf));
	return buf;
}

static void test_same_set(void **state)
{
	const char *a = P_HEAD "\"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": ["
		"{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	/* Split, reordered, a duplicate, and a rule made moot by "any". */
	const char *b = P_HEAD "\"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": ["
		"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"name\": \"read\", \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 21505, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	struct sk_diff *d = diff(a, b, false);

	(void)state;
	assert_true(sk_diff_same(d));
	assert_int_equal(d->n_changes, 0);
	assert_string_equal(d->default_a, "SCMP_ACT_KILL_PROCESS");
	sk_diff_free(d);
}

static void test_narrowed_widened(void **state)
{
	const char *any = P_HEAD "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	const char *fd0 = P_HEAD "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}";
	struct sk_diff *d = diff(any, fd0, false);
	const struct sk_diff_change *c;

	(void)state;
	assert_false(sk_diff_same(d));
	assert_int_equal(d->n_changes, 1);
	c = &d->changes[0];
	assert_int_equal(c->kind, SK_DIFF_NARROWED);
	assert_string_equal(c->name, "read");
	assert_string_equal(c->action, "SCMP_ACT_ALLOW");
	assert_int_equal(c->n_arches, 1);
	assert_int_equal(c->arches[0], sk_arch_native());
	assert_int_equal(c->n_added, 1);
	assert_int_equal(c->n_removed, 1);
	assert_int_equal(c->added[0].n_args, 1);
	assert_int_equal(c->added[0].args[0].op, SK_OP_EQ);
	assert_int_equal(c->removed[0].n_args, 0);
	assert_string_equal(text(d, c, &c->added[0]), "read when arg0 == 0");
	assert_string_equal(text(d, c, &c->removed[0]), "read, any arguments");
	sk_diff_free(d);

	d = diff(fd0, any, false);
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, SK_DIFF_WIDENED);
	sk_diff_free(d);
}

#define IOCTL(v) "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": " #v ", \"op\": \"SCMP_CMP_EQ\"}]}"

static void test_values(void **state)
{
	const char *a = P_HEAD "\"syscalls\": [" IOCTL(1) "," IOCTL(2) "]}";
	const char *b = P_HEAD "\"syscalls\": [" IOCTL(2) "," IOCTL(3) "]}";
	const char *c = P_HEAD "\"syscalls\": [" IOCTL(1) "," IOCTL(2) "," IOCTL(3) "]}";
	struct sk_diff *d = diff(a, b, false);

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(d->changes[0].kind, SK_DIFF_CHANGED);
	assert_int_equal(d->changes[0].n_added, 1);
	assert_int_equal(d->changes[0].added[0].args[0].value, 3);
	assert_int_equal(d->changes[0].n_removed, 1);
	assert_int_equal(d->changes[0].removed[0].args[0].value, 1);
	sk_diff_free(d);
	d = diff(a, c, false);
	assert_int_equal(d->changes[0].kind, SK_DIFF_WIDENED);
	sk_diff_free(d);
	d = diff(c, a, false);
	assert_int_equal(d->changes[0].kind, SK_DIFF_NARROWED);
	sk_diff_free(d);
}

/* Each action is its own set: allowing what was ENOSYS is a removal and
 * an addition; a name added or removed whole is added or removed. */
static void test_actions(void **state)
{
	const char *a = P_HEAD "\"syscalls\": [{\"names\": [\"io_uring_setup\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38},"
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	const char *b = P_HEAD "\"syscalls\": [{\"names\": [\"io_uring_setup\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	struct sk_diff *d = diff(a, b, false);

	(void)state;
	assert_int_equal(d->n_changes, 4);
	/* By name, then action. */
	assert_string_equal(d->changes[0].name, "io_uring_setup");
	assert_string_equal(d->changes[0].action, "SCMP_ACT_ALLOW");
	assert_int_equal(d->changes[0].kind, SK_DIFF_ADDED);
	assert_string_equal(d->changes[1].name, "io_uring_setup");
	assert_string_equal(d->changes[1].action, "SCMP_ACT_ERRNO(38)");
	assert_int_equal(d->changes[1].kind, SK_DIFF_REMOVED);
	assert_string_equal(d->changes[2].name, "read");
	assert_int_equal(d->changes[2].kind, SK_DIFF_REMOVED);
	assert_string_equal(d->changes[3].name, "write");
	assert_int_equal(d->changes[3].kind, SK_DIFF_ADDED);
	sk_diff_free(d);
}

/* Per arch: a change the same on two arches is told once with both; a
 * name goes only where libseccomp knows it (fork: not on aarch64), a name
 * no arch knows everywhere; an arch more is an arch added. */
static void test_arches(void **state)
{
	const char *a = P_HEAD "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_AARCH64\"], \"syscalls\": ["
		"{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	const char *b = P_HEAD "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_X86\"], \"syscalls\": ["
		"{\"names\": [\"read\", \"fork\", \"scmpkit_no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	struct sk_diff *d = diff(a, b, false);
	const struct sk_diff_change *c;

	(void)state;
	assert_int_equal(d->n_arches_added, 1);
	assert_int_equal(d->arches_added[0], SCMP_ARCH_X86);
	assert_int_equal(d->n_arches_removed, 0);
	assert_int_equal(d->n_changes, 3);
	c = &d->changes[0];
	assert_string_equal(c->name, "fork");
	assert_int_equal(c->n_arches, 2);   /* x86 and x86_64, ascending tokens */
	assert_int_equal(c->arches[0], SCMP_ARCH_X86);
	assert_int_equal(c->arches[1], SCMP_ARCH_X86_64);
	c = &d->changes[1];
	assert_string_equal(c->name, "read");
	assert_int_equal(c->n_arches, 1);
	assert_int_equal(c->arches[0], SCMP_ARCH_X86);
	c = &d->changes[2];
	assert_string_equal(c->name, "scmpkit_no_such_call");
	assert_int_equal(c->n_arches, 3);
	sk_diff_free(d);
}

/* includes/excludes are part of a condition, in words. */
static void test_when(void **state)
{
	const char *a = P_HEAD "\"syscalls\": [{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}";
	const char *b = P_HEAD "\"syscalls\": [{\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"includes\": {\"caps\": [\"CAP_BPF\"], \"minKernel\": \"5.8\"}}]}";
	struct sk_diff *d = diff(a, b, false);
	const struct sk_diff_change *c = &d->changes[0];

	(void)state;
	assert_int_equal(d->n_changes, 1);
	assert_int_equal(c->kind, SK_DIFF_CHANGED);
	assert_string_equal(c->added[0].when, "includes caps CAP_BPF; includes minKernel 5.8");
	assert_string_equal(text(d, c, &c->removed[0]), "bpf, any arguments; when includes caps CAP_SYS_ADMIN");
	sk_diff_free(d);
}

static void test_default_action(void **state)
{
	const char *a = P_HEAD "\"syscalls\": []}";
	const char *b = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"syscalls\": []}";
	struct sk_diff *d = diff(a, b, false);

	(void)state;
	assert_false(sk_diff_same(d));
	assert_int_equal(d->n_changes, 0);
	assert_string_equal(d->default_b, "SCMP_ACT_ERRNO(1)");
	sk_diff_free(d);
}

#define E(name, nr, rest) "{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": " name ", \"nr\": " #nr ", \"count\": 3" rest "}"

/* Traces: recorded tuples added and removed; "unbounded" and no values
 * recorded are "any arguments"; a number without a name keeps its nr. */
static void test_traces(void **state)
{
	const char *a = TH_TRACE_HEAD "\"syscalls\": ["
		E("\"socket\"", 41, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0], [2, 1, 0]]") ","
		E("\"ioctl\"", 16, ", \"argidx\": [1], \"args\": [[21505]]") ","
		E("null", 999, "") "]}";
	const char *b = TH_TRACE_HEAD "\"syscalls\": ["
		E("\"socket\"", 41, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0], [10, 1, 0]]") ","
		E("\"ioctl\"", 16, ", \"argidx\": [1], \"args\": \"unbounded\"") ","
		E("\"read\"", 0, "") "]}";
	struct sk_diff *d = diff(a, b, true);
	const struct sk_diff_change *c;

	(void)state;
	assert_null(d->default_a);
	assert_int_equal(d->n_changes, 4);
	c = &d->changes[0];
	assert_string_equal(c->name, "ioctl");
	assert_null(c->action);
	assert_int_equal(c->nr, 16);
	assert_int_equal(c->kind, SK_DIFF_WIDENED);
	assert_string_equal(text(d, c, &c->added[0]), "ioctl, any arguments");
	assert_string_equal(text(d, c, &c->removed[0]), "ioctl(request=TCGETS)");
	c = &d->changes[1];
	assert_string_equal(c->name, "read");
	assert_int_equal(c->kind, SK_DIFF_ADDED);
	c = &d->changes[2];
	assert_string_equal(c->name, "socket");
	assert_int_equal(c->kind, SK_DIFF_CHANGED);
	assert_string_equal(text(d, c, &c->added[0]), "socket(domain=AF_INET6, type=SOCK_STREAM, protocol=0 (default))");
	assert_string_equal(text(d, c, &c->removed[0]), "socket(domain=AF_INET, type=SOCK_STREAM, protocol=0 (default))");
	c = &d->changes[3];
	assert_null(c->name);
	assert_int_equal(c->nr, 999);
	assert_int_equal(c->kind, SK_DIFF_REMOVED);
	assert_string_equal(text(d, c, &c->removed[0]), "syscall 999, any arguments");
	sk_diff_free(d);
}

static void test_mixed_refused(void **state)
{
	struct sk_diff_input a = { SK_DIFF_PROFILE, (char *)"p.json", NULL, NULL };
	struct sk_diff_input b = { SK_DIFF_TRACE, (char *)"t.json", NULL, NULL };
	struct sk_err err = { "" };
	struct sk_diff *d = NULL;

	(void)state;
	assert_int_equal(sk_diff_compare(&a, &b, &d, &err), -EINVAL);
	assert_null(d);
	th_assert_msg_has(err.msg, "p.json is a profile and t.json a trace: --diff compares two profiles or two traces");
}

/* The inputs are told apart by "format"; a bad file is the reader's error. */
static void test_input_load(void **state)
{
	char *t = th_tmp_file("diff-t", TH_TRACE_HEAD "\"syscalls\": []}", strlen(TH_TRACE_HEAD "\"syscalls\": []}"));
	char *p = th_tmp_file("diff-p", P_HEAD "\"syscalls\": []}", strlen(P_HEAD "\"syscalls\": []}"));
	char *bad = th_tmp_file("diff-bad", "{\"defaultAction\": ", 18);
	struct sk_diff_input *in = NULL;
	struct sk_err err = { "" };

	(void)state;
	assert_int_equal(sk_diff_input_load(t, &in, NULL, &err), 0);
	assert_int_equal(in->kind, SK_DIFF_TRACE);
	assert_non_null(in->trace);
	sk_diff_input_free(in);
	assert_int_equal(sk_diff_input_load(p, &in, NULL, &err), 0);
	assert_int_equal(in->kind, SK_DIFF_PROFILE);
	assert_non_null(in->profile);
	assert_string_equal(in->file, p);
	sk_diff_input_free(in);
	in = NULL;
	assert_int_equal(sk_diff_input_load(bad, &in, NULL, &err), -EINVAL);
	assert_null(in);
	sk_diff_input_free(NULL);
	unlink(t);
	unlink(p);
	unlink(bad);
	free(t);
	free(p);
	free(bad);
}

static void test_json(void **state)
{
	const char *a = P_HEAD "\"syscalls\": [" IOCTL(1) "]}";
	const char *b = P_HEAD "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": ["
		"{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 255, \"valueTwo\": 1, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}";
	struct sk_diff_input ia = { SK_DIFF_PROFILE, (char *)"a.json", th_profile(a, "a.json"), NULL };
	struct sk_diff_input ib = { SK_DIFF_PROFILE, (char *)"b.json", th_profile(b, "b.json"), NULL };
	struct json_object *j, *v, *c, *arg;
	struct sk_err err = { "" };
	struct sk_diff *d = NULL;
	char *s;

	(void)state;
	assert_int_equal(sk_diff_compare(&ia, &ib, &d, &err), 0);
	s = sk_diff_to_json(d, &ia, &ib);
	assert_non_null(s);
	j = json_tokener_parse(s);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "format", &v));
	assert_string_equal(json_object_get_string(v), "scmpkit-diff");
	assert_true(json_object_object_get_ex(j, "version", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(j, "same", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(j, "architectures", &v));
	assert_true(json_object_object_get_ex(v, "added", &v));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "SCMP_ARCH_X86");
	assert_true(json_object_object_get_ex(j, "changes", &v));
	/* ioctl changed on x86_64 (native here) and added on x86: two changes. */
	assert_int_equal(json_object_array_length(v), 2);
	c = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(c, "nr", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(c, "added", &v));
	arg = json_object_array_get_idx(json_object_object_get(json_object_array_get_idx(v, 0), "args"), 0);
	assert_string_equal(json_object_get_string(json_object_object_get(arg, "op")), "SCMP_CMP_MASKED_EQ");
	assert_int_equal(json_object_get_int(json_object_object_get(arg, "valueTwo")), 1);
	json_object_put(j);
	free(s);
	sk_diff_free(d);
	sk_profile_free(ia.profile);
	sk_profile_free(ib.profile);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_set),
		cmocka_unit_test(test_narrowed_widened),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_arches),
		cmocka_unit_test(test_when),
		cmocka_unit_test(test_default_action),
		cmocka_unit_test(test_traces),
		cmocka_unit_test(test_mixed_refused),
		cmocka_unit_test(test_input_load),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
