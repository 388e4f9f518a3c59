/* SPDX-License-Identifier: MIT */
/*
 * The tracer backend a recording runs with (backend.h): the one asked
 * for, or auto's chain bpf > notify > ptrace, probed here and said in
 * notes.  The probes and the runs are the backends' own (*_sys.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scmpkit/backend.h"

static const char *const names[] = {
	[SK_BACKEND_AUTO] = "auto",
	[SK_BACKEND_BPF] = "bpf",
	[SK_BACKEND_NOTIFY] = "notify",
	[SK_BACKEND_PTRACE] = "ptrace",
};

int sk_backend_parse(const char *s, enum sk_backend *b)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*b = (enum sk_backend)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *sk_backend_name(enum sk_backend b)
{
	return (size_t)b < sizeof(names) / sizeof(names[0]) ? names[b] : "?";
}

/* Its parts are escaped messages (err.h) and words of ours: as they are. */
__attribute__((format(printf, 2, 3)))
static void note(struct sk_backend_notes *n, const char *fmt, ...)
{
	va_list ap;

	if (n->n >= sizeof(n->msg) / sizeof(n->msg[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(n->msg[n->n++], sizeof(n->msg[0]), fmt, ap);
	va_end(ap);
}

/*
 * The bpf backend, asked for or tried first by auto (root, and the kernel
 * passed its start-up check).  1 when auto should go on to the others
 * (*why says why bpf was not used), else the run's result.
 */
static int try_bpf(bool asked, const struct sk_tracer_opts *o,
		   struct sk_tracer_result *res, struct sk_backend_notes *notes,
		   struct sk_err *err, struct sk_err *why)
{
	int ret;

	if (!asked && !sk_ebpf_available(why))
		return 1;
	ret = sk_ebpf_run(o, res, asked ? err : why);
	if (ret == -EOPNOTSUPP && !asked)
		return 1;
	if (ret && !asked)
		*err = *why;
	if (!ret && !asked)
		note(notes, "used the bpf backend (auto: root, and the kernel passed the start-up check)");
	return ret;
}

/* auto without bpf: notify when it works here, else ptrace (saying why). */
static enum sk_backend pick(const struct sk_tracer_opts *o, const char *bpf_why,
			    struct sk_backend_notes *notes)
{
	struct sk_err why = { "" };

	if (o->n_pids || o->errors) {
		note(notes, "using the ptrace backend (%s; %s)",
		     o->n_pids ? "attaching to a running process" :
		     "--errors needs return values", bpf_why);
		return SK_BACKEND_PTRACE;
	}
	if (sk_notify_available(&why))
		return SK_BACKEND_NOTIFY;
	note(notes, "using the ptrace backend (%s; %s)", bpf_why, why.msg);
	return SK_BACKEND_PTRACE;
}

/*
 * notify; 1 when auto should fall back to ptrace (a listener is already
 * active up the filter chain), else the run's result.
 */
static int try_notify(bool asked, const char *bpf_why, const struct sk_tracer_opts *o,
		      struct sk_tracer_result *res, struct sk_backend_notes *notes,
		      struct sk_err *err)
{
	int ret = sk_notify_run(o, res, err);

	if (ret != -EBUSY || o->filter || asked) {
		if (!ret && !asked)
			note(notes, "used the notify backend (auto; %s)", bpf_why);
		return ret;
	}
	note(notes, "%s: a seccomp notify listener is already active for this process; falling back to the ptrace backend",
	     err->msg);
	return 1;
}

int sk_backend_run(enum sk_backend want, const struct sk_tracer_opts *o,
		   struct sk_tracer_result *res, enum sk_backend *used,
		   struct sk_backend_notes *notes, struct sk_err *err)
{
	struct sk_err bpf_why = { "" };
	bool asked = want != SK_BACKEND_AUTO;
	enum sk_backend b = want;
	int ret = 1;

	notes->n = 0;
	if (want == SK_BACKEND_BPF || (!asked && !o->filter)) {
		b = SK_BACKEND_BPF;
		ret = try_bpf(asked, o, res, notes, err, &bpf_why);
	}
	if (ret == 1 && !asked)
		b = pick(o, bpf_why.msg, notes);
	if (ret == 1 && b == SK_BACKEND_NOTIFY)
		ret = try_notify(asked, bpf_why.msg, o, res, notes, err);
	if (ret == 1) {
		b = SK_BACKEND_PTRACE;
		ret = sk_ptrace_run(o, res, err);
	}
	if (!ret)
		*used = b;
	return ret;
}
