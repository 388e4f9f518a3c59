/* SPDX-License-Identifier: MIT */
/* One recording run, for scmp-trace and scmp-apply --complain (record.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/baseline.h"
#include "scmpkit/fileio.h"
#include "scmpkit/gen_landlock.h"
#include "scmpkit/pathrec.h"
#include "scmpkit/recorder.h"
#include "scmpkit/record.h"
#include "scmpkit/session.h"

/* The output can be written, and is not the baseline profile. */
static int check_output(const struct sk_record_opts *o, struct sk_err *err)
{
	int ret;

	if (!o->output)
		return 0;
	ret = sk_session_check_output(o->output, err);

	if (!ret && o->baseline_file)
		ret = sk_output_not_input(o->output, (char *const[]){ (char *)o->baseline_file },
					  1, err);
	return ret < 0 ? ret : 0;
}

static int run_and_save(const struct sk_record_opts *o, struct sk_tracer_opts *to,
			struct sk_record_result *out, struct sk_err *err)
{
	enum sk_backend used;
	uint64_t t0;
	int ret;

	out->trace = sk_trace_new();
	to->rec = sk_rec_new();
	to->paths = o->no_paths ? NULL : sk_pathrec_new();
	if (!out->trace || !to->rec || (!o->no_paths && !to->paths)) {
		ret = sk_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	ret = sk_session_signals();
	if (ret) {
		sk_err_set(err, -ret, "cannot set up signal forwarding: %s", strerror(-ret));
		goto out;
	}
	t0 = sk_session_now_ms();
	ret = sk_backend_run(o->backend, to, &out->res, &used, &out->notes, err);
	if (ret)
		goto out;
	out->ran = true;
	out->used = sk_backend_name(used);
	ret = sk_session_trace(out->trace, o->tool,
			       o->backend_label ? o->backend_label : out->used,
			       o->argv, o->argc, o->pids, o->n_pids, to->rec,
			       &out->res, sk_session_now_ms() - t0);
	if (!ret && to->paths && strcmp(out->used, "bpf"))
		ret = sk_pathrec_to_trace(to->paths, out->trace);
	if (!ret && o->keep_refused)
		sk_landlock_keep_refused(o->keep_refused, out->trace);
	if (ret) {
		sk_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (o->output)
		ret = sk_trace_save(out->trace, o->output, err);
out:
	sk_rec_free(to->rec);
	to->rec = NULL;
	sk_pathrec_free(to->paths);
	to->paths = NULL;
	return ret;
}

int sk_record(const struct sk_record_opts *o, struct sk_record_result *out,
	      struct sk_err *err)
{
	struct sk_tracer_opts to = o->tracer;
	struct sock_fprog prog = { 0 }, wrapped = { 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = check_output(o, err);
	if (ret)
		return ret;
	if (o->baseline) {
		ret = sk_baseline_build(o->baseline, &prog, &out->warn, err);
		if (ret)
			return ret;
		to.filter = &prog;
	}
	if (o->baseline && o->notify_paths) {
		ret = sk_pathrec_notify_filter(&prog, &wrapped);
		if (ret) {
			sk_baseline_free(&prog);
			return sk_err_set(err, -ret, "out of memory");
		}
		to.filter = &wrapped;
		to.paths_only = &prog;
	}
	to.argv = o->argv;
	to.path = o->path;
	to.pids = o->pids;
	to.n_pids = o->n_pids;
	ret = run_and_save(o, &to, out, err);
	free(wrapped.filter);
	sk_baseline_free(&prog);
	return ret;
}

void sk_record_done(struct sk_record_result *out)
{
	sk_trace_free(out->trace);
	out->trace = NULL;
	sk_warn_clear(&out->warn);
}
