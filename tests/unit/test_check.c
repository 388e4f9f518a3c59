/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply --check's words (check.c): the summary of a filter, what
 * running would refuse, and --trace's replay as text (a finding per call
 * the profile denies, a line per trace) with its 0/1 answer.
 */
#include <errno.h>

#include "scmpkit/check.h"
#include "helpers.h"

static const char *const allow_getpid =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
	" \"syscalls\": [{\"names\": [\"getpid\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";

#define TRACE(name, nr) TH_TRACE_HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", " \
	"\"name\": \"" name "\", \"nr\": " #nr ", \"count\": 1, \"exe\": [0]}]}"

/* Runs prepare and print with o on b's filter; the text, allocated. */
static char *check_text(struct th_filter *b, struct sk_check_opts *o, int *ret)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct sk_replay *r = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	o->p = b->p;
	o->fo = &fo;
	o->ctx = b->ctx;
	o->file = "p.json";
	*ret = sk_check_prepare(o, &r, &warn, &err);
	if (!*ret)
		*ret = sk_check_print(f, o, r, &err);
	sk_replay_free(r);
	sk_warn_clear(&warn);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void summary_only(void **state)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct sk_check_opts o = { 0 };
	struct th_filter b;
	char *text;
	int ret;

	(void)state;
	th_filter_build(&b, allow_getpid, &fo);
	assert_int_equal(b.ret, 0);
	text = check_text(&b, &o, &ret);
	assert_int_equal(ret, 0);
	th_assert_msg_has(text, "p.json: ok\n");
	th_assert_msg_has(text, "allows 2 distinct syscalls; rules: 1 (1 active here)\n");
	th_assert_msg_has(text, "architectures: SCMP_ARCH_X86_64\n");
	free(text);
	th_filter_free(&b);
}

static void replay_finds_denials(void **state)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct th_dir d;
	char t1[128], t2[128];
	char *traces[2] = { t1, t2 };
	struct sk_check_opts o = { .traces = traces, .n_traces = 2 };
	struct th_filter b;
	char *text;
	int ret;

	(void)state;
	th_dir_make(&d, "check");
	snprintf(t1, sizeof(t1), "%s", th_at(&d, "ok.json"));
	snprintf(t2, sizeof(t2), "%s", th_at(&d, "bad.json"));
	th_put(t1, TRACE("getpid", 39));
	th_put(t2, TRACE("getppid", 110));
	th_filter_build(&b, allow_getpid, &fo);
	text = check_text(&b, &o, &ret);
	assert_int_equal(ret, 1);
	th_assert_msg_has(text, "denied: getppid [x86_64] in ");
	th_assert_msg_has(text, "ok.json: p.json allows all 1 recorded calls\n");
	th_assert_msg_has(text, "bad.json: 1 recorded calls, p.json denies 1 and may deny 0\n");
	free(text);
	o.n_traces = 1;
	text = check_text(&b, &o, &ret);
	assert_int_equal(ret, 0);
	free(text);
	th_filter_free(&b);
	th_dir_remove(&d);
}

static void refuses_notify(void **state)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct sk_check_opts o = { 0 };
	struct th_filter b;
	char *text;
	int ret;

	(void)state;
	th_filter_build(&b, "{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"syscalls\": []}", &fo);
	assert_int_equal(b.ret, 0);
	text = check_text(&b, &o, &ret);
	assert_true(ret < 0);
	assert_string_equal(text, "");
	free(text);
	th_filter_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_only),
		cmocka_unit_test(replay_finds_denials),
		cmocka_unit_test(refuses_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
