/* SPDX-License-Identifier: MIT */
/* Baseline / complain filters: allow in the kernel, notify the rest (baseline.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/baseline.h"
#include "scmpkit/filter.h"

static int allows(enum sk_action a)
{
	return a == SK_ACT_ALLOW || a == SK_ACT_LOG;
}

/* Reads the BPF libseccomp exports for ctx into an allocated program. */
static int export_prog(scmp_filter_ctx ctx, struct sock_fprog *out,
		       struct sk_err *err)
{
	int fd = memfd_create("scmpkit-bpf", MFD_CLOEXEC), ret;
	struct stat st;
	void *buf;

	if (fd < 0)
		return sk_err_set(err, errno, "memfd_create: %s", strerror(errno));
	ret = seccomp_export_bpf(ctx, fd);
	if (ret < 0 || fstat(fd, &st) < 0 || st.st_size == 0 ||
	    st.st_size % sizeof(struct sock_filter)) {
		close(fd);
		return sk_err_set(err, ret < 0 ? -ret : EIO,
				  "exporting the baseline filter failed");
	}
	buf = malloc(st.st_size);
	if (!buf || pread(fd, buf, st.st_size, 0) != st.st_size) {
		free(buf);
		close(fd);
		return sk_err_set(err, EIO, "reading the baseline filter back failed");
	}
	close(fd);
	out->len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	out->filter = buf;
	return 0;
}

int sk_baseline_build(const struct sk_profile *p, struct sock_fprog *out,
		      struct sk_warn *warn, struct sk_err *err)
{
	struct sk_filter_opts opts;
	struct sk_profile view = *p;
	scmp_filter_ctx ctx = NULL;
	int ret;

	/* A view of p with its allow rules only; the rules are borrowed. */
	view.rules = calloc(p->n_rules + 1, sizeof(*view.rules));
	if (!view.rules)
		return sk_err_set(err, ENOMEM, "out of memory");
	view.n_rules = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		if (allows(p->rules[i].action))
			view.rules[view.n_rules++] = p->rules[i];
	/* An allow-everything profile is no baseline: nothing would be new. */
	view.default_action = SK_ACT_NOTIFY;
	view.has_default_errno = false;

	sk_filter_opts_from_host(&opts);
	opts.notify_default = true;
	ret = sk_filter_build(&view, &opts, &ctx, warn, err);
	free(view.rules);
	if (ret)
		return ret;
	/* Calls of arches the profile does not cover are new, not fatal. */
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY);
	if (ret == 0)
		ret = export_prog(ctx, out, err);
	else
		ret = sk_err_set(err, -ret, "cannot notify calls of other arches");
	seccomp_release(ctx);
	return ret;
}

void sk_baseline_free(struct sock_fprog *prog)
{
	if (!prog)
		return;
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}
