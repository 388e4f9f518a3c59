/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply's supervised runs' words after the run (report.c): the
 * --report summary of every denied call with the scmp-gen command that
 * allows them (the file quoted for a shell), and --complain's summary.
 * The run itself is tested end to end (test_report.sh, test_ask.sh,
 * test_complain.sh).
 */
#include <errno.h>

#include "scmpkit/report.h"
#include "helpers.h"

static const char *const allow_getpid =
	"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
	" \"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";

static const char *const denied_trace = TH_TRACE_HEAD "\"syscalls\": ["
	"{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"getppid\", \"nr\": 110, \"count\": 3, \"exe\": [0]}]}";

static const char *const empty_trace = TH_TRACE_HEAD "\"syscalls\": []}";

/* What sk_report_summary writes for trace, the report over b writing output. */
static char *summary_text(struct th_filter *b, const char *output, const char *trace)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct sk_report_opts o = { .p = b->p, .fo = &fo, .ctx = b->ctx, .output = output };
	struct sk_trace *t = th_trace(trace, "t.json");
	struct sk_report *r = NULL;
	struct sk_err err = { "" };
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(sk_report_new(&o, &r, &err), 0);
	sk_report_summary(f, r, t);
	assert_int_equal(fclose(f), 0);
	sk_report_free(r);
	sk_trace_free(t);
	return text;
}

static void summary_names_denials(void **state)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct th_filter b;
	char *text;

	(void)state;
	th_filter_build(&b, allow_getpid, &fo);
	assert_int_equal(b.ret, 0);
	text = summary_text(&b, NULL, denied_trace);
	th_assert_msg_has(text, "scmp-apply: report: p.json did not allow 3 calls (1 syscall):\n");
	th_assert_msg_has(text, "scmp-apply:   getppid [x86_64]: 3 calls by /bin/a\n");
	th_assert_msg_has(text, "run again with --report=FILE");
	free(text);
	text = summary_text(&b, "my denials.json", denied_trace);
	th_assert_msg_has(text, "scmp-apply:   scmp-gen -o NEW.json TRACE.json... 'my denials.json'\n");
	free(text);
	text = summary_text(&b, NULL, empty_trace);
	assert_string_equal(text, "scmp-apply: report: p.json denied nothing the program did\n");
	free(text);
	th_filter_free(&b);
}

static void complain_summary(void **state)
{
	struct sk_trace *t = th_trace(denied_trace, "t.json");
	struct sk_trace *none = th_trace(empty_trace, "t.json");
	size_t len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	sk_report_complain(f, t, "c.json");
	sk_report_complain(f, none, "c.json");
	assert_int_equal(fclose(f), 0);
	assert_string_equal(text,
			    "scmp-apply: complain: 1 syscall the profile would have denied, recorded in c.json: getppid\n"
			    "scmp-apply: complain: the profile allowed every call the program made (c.json is empty)\n");
	free(text);
	sk_trace_free(t);
	sk_trace_free(none);
}

static void complain_needs_no_judge(void **state)
{
	struct sk_filter_opts fo = th_opts_host_like();
	struct sk_report_opts o = { .fo = &fo, .complain = true };
	struct sk_report *r = NULL;
	struct sk_err err = { "" };
	struct th_filter b;

	(void)state;
	th_filter_build(&b, allow_getpid, &fo);
	o.p = b.p;
	o.ctx = b.ctx;
	assert_int_equal(sk_report_new(&o, &r, &err), 0);
	sk_report_free(r);
	sk_report_free(NULL);
	th_filter_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_names_denials),
		cmocka_unit_test(complain_summary),
		cmocka_unit_test(complain_needs_no_judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
