/* SPDX-License-Identifier: MIT */
/*
 * Copies of what a container executed (ctr_files.h): the executables, a
 * script's interpreter, each ELF file's loader and the libraries it needs,
 * found as gen_static.c finds them on the host but inside the container's
 * tree, so that the generator's static analysis reads the same files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/fileio.h"
#include "ctr_files.h"
#include "elf_read.h"

#define MAX_SCRIPT_DEPTH 4   /* "#!" levels followed, as the kernel does */

struct cp {
	int root;
	const char *dest;
	struct sk_ctr_files_stats *st;
	struct sk_warn *warn;
	char **done;         /* container paths copied (or kept) in this run */
	size_t n_done;
};

static bool done(const struct cp *c, const char *norm)
{
	for (size_t i = 0; i < c->n_done; i++)
		if (!strcmp(c->done[i], norm))
			return true;
	return false;
}

static int add_done(struct cp *c, const char *norm)
{
	char **grown = realloc(c->done, (c->n_done + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	c->done = grown;
	grown[c->n_done] = strdup(norm);
	return grown[c->n_done++] ? 0 : -ENOMEM;
}

/* The directories above path that are below its first base bytes. */
static int make_parents(char *path, size_t base)
{
	for (char *p = strchr(path + base + 1, '/'); p; p = strchr(p + 1, '/')) {
		int ret = 0;

		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			ret = -errno;
		*p = '/';
		if (ret)
			return ret;
	}
	return 0;
}

static int copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (ssize_t off = 0, w; off < n; off += w) {
			w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR)
				return -errno;
			if (w < 0)
				w = 0;
		}
	}
	return 0;
}

/* The regular file in at dst (a temporary file renamed over it). */
static int write_copy(int in, const struct stat *st, const char *dst, size_t base)
{
	char tmp[PATH_MAX + 8], *d = strdup(dst);
	int out, ret;

	if (!d)
		return -ENOMEM;
	ret = make_parents(d, base);
	free(d);
	if (ret)
		return ret;
	snprintf(tmp, sizeof(tmp), "%s.part", dst);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		   st->st_mode & 0755);
	if (out < 0)
		return -errno;
	ret = copy_fd(in, out);
	if (close(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, dst))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/*
 * Copies the file at cpath in the container to its place under dest (dst,
 * of len bytes): 1 when it is there (copied now or before), 0 when the
 * container has no such file, or a negative errno.
 */
static int copy_one(struct cp *c, const char *cpath, char *dst, size_t len)
{
	char norm[PATH_MAX];
	struct stat st;
	int in, ret;

	if (sk_path_under(NULL, cpath, norm, sizeof(norm)) ||
	    sk_path_under(c->dest, cpath, dst, len))
		return -ENAMETOOLONG;
	if (done(c, norm))
		return 1;
	if (c->n_done >= SK_CTR_FILES_MAX)
		return -E2BIG;
	if (!lstat(dst, &st) && S_ISREG(st.st_mode)) {
		c->st->kept++;
		return add_done(c, norm) ? -ENOMEM : 1;
	}
	in = sk_open_in_root(c->root, norm, O_RDONLY | O_NONBLOCK);
	if (in < 0)
		return in == -ENOENT || in == -ENOTDIR ? 0 : in;
	if (fstat(in, &st) || !S_ISREG(st.st_mode))
		ret = -EINVAL;
	else if (st.st_size > SK_CTR_FILE_MAX)
		ret = -EFBIG;
	else
		ret = write_copy(in, &st, dst, strlen(c->dest));
	close(in);
	if (ret)
		return ret;
	c->st->copied++;
	return add_done(c, norm) ? -ENOMEM : 1;
}

/* A file that could not be copied: a warning, and counted. */
static int cannot(struct cp *c, const char *cpath, int why, const char *what)
{
	c->st->failed++;
	if (sk_warn_add(c->warn, "%s: %s %s: %s; scmp-gen will not read it",
			c->dest, what, cpath,
			why == 0 ? "not in the container" :
			why == -EINVAL ? "not a regular file" :
			why == -E2BIG ? "too many files to copy" : strerror(-why)))
		return -ENOMEM;
	return 0;
}

/* The ELF objects of one executable still to look into, breadth first. */
struct queue {
	struct sk_elf *x[64];
	char *cpath[64];
	size_t n;
};

static bool queued(const struct queue *q, const char *cpath)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->cpath[i], cpath))
			return true;
	return false;
}

/*
 * The first candidate for library name of q's object i that the container
 * has, of the executable's machine and class, copied and queued.  0, or
 * -ENOMEM.
 */
static int find_lib(struct cp *c, struct queue *q, size_t i, const char *name)
{
	char **cand = NULL, dst[PATH_MAX];
	size_t n = 0, k;
	int ret = sk_elf_lib_paths(name, q->x[i], q->cpath[i], q->x[0], &cand, &n);

	for (k = 0; k < n && !ret; k++) {
		struct sk_elf *x = NULL;
		struct sk_err err;
		int r = copy_one(c, cand[k], dst, sizeof(dst));

		if (r < 0 && r != -ENOMEM)
			ret = cannot(c, cand[k], r, "library");
		if (r <= 0) {
			ret = r == -ENOMEM ? r : ret;
			continue;
		}
		if (sk_elf_read(dst, &x, &err) || x->machine != q->x[0]->machine ||
		    x->elfclass != q->x[0]->elfclass) {
			sk_elf_free(x);
			continue;
		}
		if (queued(q, cand[k]) || q->n == 64) {
			sk_elf_free(x);
		} else {
			q->x[q->n] = x;
			q->cpath[q->n++] = cand[k];
			cand[k] = NULL;
		}
		break;
	}
	if (!ret && k == n)
		ret = cannot(c, name, 0, "library");
	sk_elf_paths_free(cand, n);
	return ret;
}

/* Copies exe, following "#!" to the interpreter; *x NULL when no ELF. */
static int copy_exe(struct cp *c, const char *exe, struct sk_elf **x, char **cpath)
{
	char dst[PATH_MAX], *cur = strdup(exe);
	struct sk_err err;
	int ret = 0;

	*x = NULL;
	for (int depth = 0; cur && depth <= MAX_SCRIPT_DEPTH; depth++) {
		char *interp;
		int r = copy_one(c, cur, dst, sizeof(dst));

		if (r <= 0) {
			ret = r == -ENOMEM ? r : cannot(c, cur, r, "executable");
			break;
		}
		ret = sk_elf_read(dst, x, &err);
		if (ret != -ENOEXEC)
			break;
		ret = 0;
		interp = sk_elf_script_interp(dst);
		free(cur);
		cur = interp;
	}
	if (*x)
		*cpath = cur;
	else
		free(cur);
	return ret == -ENOMEM ? ret : 0;
}

/* One executable, its loader and its libraries. */
static int walk(struct cp *c, const char *exe)
{
	struct queue q = { .n = 0 };
	char dst[PATH_MAX];
	int ret = copy_exe(c, exe, &q.x[0], &q.cpath[0]);

	if (ret || !q.x[0])
		return ret;
	q.n = 1;
	if (q.x[0]->interp) {
		int r = copy_one(c, q.x[0]->interp, dst, sizeof(dst));

		if (r <= 0)
			ret = r == -ENOMEM ? r : cannot(c, q.x[0]->interp, r, "loader");
	}
	for (size_t i = 0; i < q.n && !ret; i++)
		for (size_t k = 0; k < q.x[i]->n_needed && !ret; k++)
			ret = find_lib(c, &q, i, q.x[i]->needed[k]);
	for (size_t i = 0; i < q.n; i++) {
		sk_elf_free(q.x[i]);
		free(q.cpath[i]);
	}
	return ret;
}

int sk_ctr_copy_files(int root_fd, char *const *exes, size_t n, const char *dest,
		      struct sk_ctr_files_stats *st, struct sk_warn *warn, struct sk_err *err)
{
	struct cp c = { .root = root_fd, .dest = dest, .st = st, .warn = warn };
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (mkdir(dest, 0755) && errno != EEXIST)
		return sk_err_set(err, errno, "%s: %s", dest, strerror(errno));
	for (size_t i = 0; i < n && !ret; i++)
		ret = walk(&c, exes[i]);
	for (size_t i = 0; i < c.n_done; i++)
		free(c.done[i]);
	free(c.done);
	if (ret)
		return sk_err_set(err, -ret, "%s: %s", dest, strerror(-ret));
	return 0;
}
