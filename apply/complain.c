/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply --complain FILE: the profile's allow rules run in the kernel,
 * everything it would deny goes to the notify supervisor, is continued and
 * recorded.  The same mechanism as scmp-trace --baseline (lib/baseline.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "scmpkit/baseline.h"
#include "scmpkit/cli.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/profile.h"
#include "scmpkit/session.h"
#include "scmpkit/textesc.h"

static void report(const struct sk_trace *t, const char *file)
{
	size_t shown = 0;

	if (!t->n_sys) {
		sk_cli_say(stderr, "scmp-apply", "complain: the profile allowed every call the program made (%s is empty)",
			   file);
		return;
	}
	fprintf(stderr, "scmp-apply: complain: %zu syscall%s the profile would have denied, recorded in ",
		t->n_sys, t->n_sys == 1 ? "" : "s");
	sk_esc_put(stderr, file, SK_ESC_MESSAGE);
	fputc(':', stderr);
	for (size_t i = 0; i < t->n_sys && shown < 20; i++, shown++)
		fprintf(stderr, " %s", t->sys[i].name ? t->sys[i].name : "?");
	fprintf(stderr, "%s\n", t->n_sys > shown ? " ..." : "");
}

int apply_complain(const struct sk_profile *p, const char *path, char **argv,
		   const char *file, bool quiet)
{
	struct sk_tracer_opts o = { .argv = argv, .path = path, .quiet = quiet };
	struct sock_fprog prog = { 0 };
	struct sk_tracer_result res = { 0 };
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_trace *t = NULL;
	uint64_t t0;
	int ret, argc = 0;

	while (argv[argc])
		argc++;
	ret = sk_session_check_output(file, &err);
	if (!ret)
		ret = sk_baseline_build(p, &prog, &warn, &err);
	for (size_t i = 0; !quiet && i < warn.n; i++)
		fprintf(stderr, "scmp-apply: warning: %s\n", warn.msgs[i]);
	sk_warn_clear(&warn);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		return APPLY_EXIT_FAIL;
	}
	o.filter = &prog;
	o.rec = sk_rec_new();
	t = sk_trace_new();
	if (!o.rec || !t) {
		fprintf(stderr, "scmp-apply: out of memory\n");
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	if (sk_session_signals()) {
		fprintf(stderr, "scmp-apply: cannot set up signal forwarding: %s\n", strerror(errno));
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	t0 = sk_session_now_ms();
	ret = sk_notify_run(&o, &res, &err);
	if (ret) {
		fprintf(stderr, "scmp-apply: --complain: %s%s\n", err.msg,
			ret == -EBUSY || ret == -ENOSYS ?
			" (complain mode needs seccomp user notification)" : "");
		ret = ret == -ENOENT ? APPLY_EXIT_NOTFOUND :
		      ret == -EACCES || ret == -ENOEXEC ? APPLY_EXIT_CANNOT_EXEC :
		      APPLY_EXIT_FAIL;
		goto out;
	}
	sk_session_guard_note("scmp-apply", &res, quiet);
	if (sk_session_trace(t, "scmp-apply " SK_VERSION, "complain", argv, argc,
			     NULL, 0, o.rec, &res, sk_session_now_ms() - t0)) {
		fprintf(stderr, "scmp-apply: out of memory\n");
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	if (sk_trace_save(t, file, &err)) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		ret = APPLY_EXIT_FAIL;
		goto out;
	}
	if (!quiet)
		report(t, file);
	ret = res.has_exit ? res.exit_code : APPLY_EXIT_FAIL;
out:
	sk_trace_free(t);
	sk_rec_free(o.rec);
	sk_baseline_free(&prog);
	if (ret == 0 && res.exit_signal)
		sk_die_of(res.exit_signal);
	return ret;
}
