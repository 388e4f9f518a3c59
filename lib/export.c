/* SPDX-License-Identifier: MIT */
/* scmp-apply --export: the compiled filter as raw BPF or libseccomp PFC (export.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/export.h"
#include "scmpkit/fileio.h"
#include "scmpkit/filter.h"

/* PFC text of ctx: 0 with *out allocated, or -errno with err filled. */
static int pfc_text(scmp_filter_ctx ctx, char **out, size_t *len,
		    struct sk_err *err)
{
	int fd = memfd_create("scmpkit-pfc", MFD_CLOEXEC), ret;
	struct stat st;
	char *buf = NULL;

	if (fd < 0)
		return sk_err_set(err, errno, "memfd_create: %s", strerror(errno));
	ret = seccomp_export_pfc(ctx, fd);
	if (ret >= 0 && fstat(fd, &st) < 0)
		ret = -errno;
	if (ret < 0) {
		close(fd);
		return sk_err_set(err, -ret, "cannot export PFC: %s", strerror(-ret));
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		free(buf);
		close(fd);
		return sk_err_set(err, EIO, "cannot read the PFC text back");
	}
	close(fd);
	*out = buf;
	*len = (size_t)st.st_size;
	return 0;
}

int sk_export(scmp_filter_ctx ctx, const char *format, const char *path,
	      struct sk_err *err)
{
	struct sock_fprog prog;
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (!strcmp(format, "bpf")) {
		ret = sk_filter_export(ctx, &prog, err);
		text = ret ? NULL : (char *)prog.filter;
		len = ret ? 0 : prog.len * sizeof(struct sock_filter);
	} else {
		ret = pfc_text(ctx, &text, &len, err);
	}
	if (ret)
		return ret;
	ret = sk_write_atomic(path, text, len, err);
	free(text);
	return ret;
}
