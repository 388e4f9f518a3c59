/* SPDX-License-Identifier: MIT */
/* scmp-apply --export: the compiled filter as raw BPF or libseccomp PFC. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "scmpkit/filter.h"
#include "scmpkit/trace_format.h"

/* PFC text of ctx, allocated; NULL after printing why. */
static char *pfc_text(scmp_filter_ctx ctx, size_t *len)
{
	int fd = memfd_create("scmpkit-pfc", MFD_CLOEXEC), ret;
	struct stat st;
	char *buf = NULL;

	if (fd < 0) {
		fprintf(stderr, "scmp-apply: memfd_create: %s\n", strerror(errno));
		return NULL;
	}
	ret = seccomp_export_pfc(ctx, fd);
	if (ret < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "scmp-apply: cannot export PFC: %s\n",
			strerror(ret < 0 ? -ret : errno));
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		fprintf(stderr, "scmp-apply: cannot read the PFC text back\n");
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

int apply_export(scmp_filter_ctx ctx, const char *format, const char *path)
{
	struct sk_err err = { "" };
	struct sock_fprog prog;
	char *text;
	size_t len;
	int ret;

	if (!strcmp(format, "bpf")) {
		if (sk_filter_export(ctx, &prog, &err)) {
			fprintf(stderr, "scmp-apply: %s\n", err.msg);
			return -1;
		}
		text = (char *)prog.filter;
		len = prog.len * sizeof(struct sock_filter);
	} else {
		text = pfc_text(ctx, &len);
		if (!text)
			return -1;
	}
	ret = sk_write_atomic(path, text, len, &err);
	free(text);
	if (ret) {
		fprintf(stderr, "scmp-apply: %s\n", err.msg);
		return -1;
	}
	return 0;
}
