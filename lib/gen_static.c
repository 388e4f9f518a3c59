/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --static (gen.h): a trace covers only the paths that ran, so
 * read the executables it names and the libraries they load, map the libc
 * functions they import to the syscalls those can make (libc_syscalls.c)
 * and list what the traces never saw.  The files are read by elf_read.c;
 * one that cannot be read is a warning, never a failure.
 */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/arch.h"
#include "scmpkit/fileio.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_static.h"
#include "scmpkit/textesc.h"
#include "elf_read.h"
#include "libc_syscalls.h"

#define MAX_OBJECTS 4096     /* ELF files read in one run */
#define MAX_SCRIPT_DEPTH 4   /* "#!" levels followed, as the kernel does */

/* String vectors. */

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Inserts s into a sorted vector unless present; 0 or -ENOMEM. */
static int strv_add_sorted(char ***v, size_t *n, const char *s)
{
	size_t lo = 0, hi = *n;
	char **grown, *copy;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s, (*v)[mid]);

		if (!c)
			return 0;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	grown = realloc(*v, (*n + 1) * sizeof(**v));
	if (!grown)
		return -ENOMEM;
	*v = grown;
	if (!(copy = strdup(s)))
		return -ENOMEM;
	memmove(&grown[lo + 1], &grown[lo], (*n - lo) * sizeof(*grown));
	grown[lo] = copy;
	(*n)++;
	return 0;
}

/* The analysis. */

struct sk_static *sk_static_new(void)
{
	return calloc(1, sizeof(struct sk_static));
}

void sk_static_free(struct sk_static *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_exes; i++) {
		free(s->exes[i].path);
		free(s->exes[i].root);
		free(s->exes[i].elf);
		strv_free(s->exes[i].libs, s->exes[i].n_libs);
	}
	free(s->exes);
	for (size_t i = 0; i < s->n_reach; i++) {
		struct sk_static_reach *r = &s->reach[i];

		free(r->syscall);
		free(r->func);
		free(r->object);
		free(r->exe);
		strv_free(r->funcs, r->n_funcs);
	}
	free(s->reach);
	strv_free(s->raw_syscall, s->n_raw_syscall);
	free(s);
}

static bool same_root(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int sk_static_add_exe_in(struct sk_static *s, const char *path, const char *root)
{
	struct sk_static_exe *grown, *e;

	for (size_t i = 0; i < s->n_exes; i++)
		if (!strcmp(s->exes[i].path, path) && same_root(s->exes[i].root, root))
			return 0;
	grown = realloc(s->exes, (s->n_exes + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	s->exes = grown;
	e = memset(&grown[s->n_exes], 0, sizeof(*grown));
	if (!(e->path = strdup(path)) || (root && !(e->root = strdup(root)))) {
		free(e->path);
		return -ENOMEM;
	}
	s->n_exes++;
	return 0;
}

int sk_static_add_exe(struct sk_static *s, const char *path)
{
	return sk_static_add_exe_in(s, path, NULL);
}

/* An ELF file already read in this run. */
struct seen_obj {
	char *path;
	unsigned machine, elfclass;
};

struct run {
	struct sk_static *s;
	const struct sk_gen *g;
	struct sk_warn *warn;
	struct sk_err *err;
	struct seen_obj *seen;
	size_t n_seen;
	bool oom;
	const char *root;            /* the executable's copies, NULL: the host */
};

/* Where the file at path (as the trace and the ELF files name it) is read:
 * under the run's root when it has one.  0, or -ENAMETOOLONG. */
static int file_at(const struct run *r, const char *path, char out[PATH_MAX])
{
	if (!r->root)
		return snprintf(out, PATH_MAX, "%s", path) < PATH_MAX ? 0 : -ENAMETOOLONG;
	return sk_path_under(r->root, path, out, PATH_MAX);
}

static int warn(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int warn(struct run *r, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0 || sk_warn_add(r->warn, "%s", msg)) {
		free(msg);
		return -ENOMEM;
	}
	free(msg);
	return 0;
}

/* ELF files read are keyed by where they were read (file_at). */
static const struct seen_obj *seen_find(const struct run *r, const char *path)
{
	char at[PATH_MAX];

	if (file_at(r, path, at))
		return NULL;
	for (size_t i = 0; i < r->n_seen; i++)
		if (!strcmp(r->seen[i].path, at))
			return &r->seen[i];
	return NULL;
}

static int seen_add(struct run *r, const char *path, const struct sk_elf *x)
{
	struct seen_obj *grown = realloc(r->seen, (r->n_seen + 1) * sizeof(*grown));
	char at[PATH_MAX];

	if (file_at(r, path, at))
		snprintf(at, sizeof(at), "%s", path);
	if (!grown)
		return -ENOMEM;
	r->seen = grown;
	grown[r->n_seen] = (struct seen_obj){ .machine = x->machine,
					       .elfclass = x->elfclass };
	if (!(grown[r->n_seen].path = strdup(at)))
		return -ENOMEM;
	r->n_seen++;
	r->s->n_objects++;
	return 0;
}

static bool observed(const struct sk_gen *g, const char *name)
{
	const struct sk_gen_sys *x = g ? sk_gen_find(g, name) : NULL;

	return x && x->count > 0;
}

static struct sk_static_reach *reach_get(struct sk_static *s, const char *name,
					 bool *fresh)
{
	size_t lo = 0, hi = s->n_reach;
	struct sk_static_reach *grown;

	*fresh = false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, s->reach[mid].syscall);

		if (!c)
			return &s->reach[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	grown = realloc(s->reach, (s->n_reach + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	s->reach = grown;
	memmove(&grown[lo + 1], &grown[lo], (s->n_reach - lo) * sizeof(*grown));
	memset(&grown[lo], 0, sizeof(*grown));
	s->n_reach++;
	if (!(grown[lo].syscall = strdup(name)))
		return NULL;
	*fresh = true;
	return &grown[lo];
}

static int reach_add(struct run *r, const char *sys, const char *func,
		     const char *object, const char *exe)
{
	bool fresh;
	struct sk_static_reach *x = reach_get(r->s, sys, &fresh);

	if (!x)
		return -ENOMEM;
	if (fresh && (!(x->func = strdup(func)) || !(x->object = strdup(object)) ||
		      !(x->exe = strdup(exe))))
		return -ENOMEM;
	return strv_add_sorted(&x->funcs, &x->n_funcs, func);
}

/* Maps one object's imports through the table. */
static int scan_imports(struct run *r, const struct sk_elf *x,
			const char *object, const char *exe)
{
	char sys[64];
	int ret;

	for (size_t i = 0; i < x->n_imports; i++) {
		const struct sk_libc_func *f = sk_libc_find(x->imports[i]);

		if (!strcmp(x->imports[i], "syscall") &&
		    (ret = strv_add_sorted(&r->s->raw_syscall, &r->s->n_raw_syscall, object)))
			return ret;
		if (!f)
			continue;
		for (const char *p = f->syscalls; *p;) {
			size_t w = strcspn(p, " ");

			if (w && w < sizeof(sys)) {
				memcpy(sys, p, w);
				sys[w] = '\0';
				if (!observed(r->g, sys) &&
				    (ret = reach_add(r, sys, f->name, object, exe)))
					return ret;
			}
			p += w;
			p += strspn(p, " ");
		}
	}
	return 0;
}

/*
 * Tries one candidate file c (taken over): 1 with *path and *lib set (*lib
 * NULL when read before), 0 when absent or of another machine, or -ENOMEM.
 */
static int try_file(struct run *r, char *c, const char *name,
		    const struct sk_elf *exe, char **path, struct sk_elf **lib)
{
	const struct seen_obj *o = seen_find(r, c);
	struct sk_elf *x = NULL;
	char at[PATH_MAX];
	struct sk_err err;
	int ret;

	if (o && o->machine == exe->machine && o->elfclass == exe->elfclass) {
		*path = c;
		*lib = NULL;
		return 1;
	}
	if (o || file_at(r, c, at) || access(at, F_OK)) {
		free(c);
		return 0;
	}
	ret = sk_elf_read(at, &x, &err);
	if (!ret && x->machine == exe->machine && x->elfclass == exe->elfclass) {
		*path = c;
		*lib = x;
		return 1;
	}
	sk_elf_free(x);
	if (ret == -ENOEXEC)
		ret = warn(r, "%s: skipped while looking for %s", err.msg, name);
	else if (ret != -ENOMEM)
		ret = 0;
	free(c);
	return ret;
}

/* Finds a DT_NEEDED library of obj where ld.so would (elf_read.h), as
 * try_file. */
static int resolve(struct run *r, const char *name, const struct sk_elf *obj,
		   const char *obj_path, const struct sk_elf *exe,
		   char **path, struct sk_elf **lib)
{
	char **cand = NULL;
	size_t n = 0;
	int ret = sk_elf_lib_paths(name, obj, obj_path, exe, &cand, &n);

	for (size_t i = 0; i < n && !ret; i++) {
		ret = try_file(r, cand[i], name, exe, path, lib);
		cand[i] = NULL;
	}
	sk_elf_paths_free(cand, n);
	return ret;
}

/* Reads path, following "#!" to the interpreter; *x NULL when not read. */
static int read_exe(struct run *r, struct sk_static_exe *e, struct sk_elf **x)
{
	char *cur = strdup(e->path), at[PATH_MAX];
	struct sk_err err;
	int ret;

	*x = NULL;
	if (!cur)
		return -ENOMEM;
	for (int depth = 0;; depth++) {
		char *interp;

		if (file_at(r, cur, at)) {
			ret = warn(r, "%s: its path under %s is too long; its imports are not counted",
				   cur, r->root);
			goto out;
		}
		ret = sk_elf_read(at, x, &err);
		if (!ret)
			break;
		if (ret == -ENOMEM)
			goto out;
		if (ret != -ENOEXEC) {
			ret = warn(r, "%s; its imports are not counted", err.msg);
			goto out;
		}
		interp = sk_elf_script_interp(at);
		if (!interp || depth == MAX_SCRIPT_DEPTH) {
			free(interp);
			ret = warn(r, "%s; nor a \"#!\" script: its imports are not counted",
				   err.msg);
			goto out;
		}
		if ((ret = warn(r, "%s: a script: reading its interpreter %s instead",
				cur, interp))) {
			free(interp);
			goto out;
		}
		free(cur);
		cur = interp;
	}
	e->elf = cur;
	e->machine = (*x)->machine;
	e->elfclass = (*x)->elfclass;
	e->is_static = !(*x)->interp && !(*x)->n_needed;
	return 0;
out:
	free(cur);
	return ret;
}

/* The ELF files of one executable still to scan, breadth first. */
struct queue {
	struct sk_elf **objs;
	char **paths;
	size_t n, cap;
};

/* Takes x and path over on success; 0 or -ENOMEM. */
static int queue_push(struct queue *q, struct sk_elf *x, char *path)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 8;
		struct sk_elf **objs = realloc(q->objs, cap * sizeof(*objs));
		char **paths;

		if (!objs)
			return -ENOMEM;
		q->objs = objs;
		if (!(paths = realloc(q->paths, cap * sizeof(*paths))))
			return -ENOMEM;
		q->paths = paths;
		q->cap = cap;
	}
	q->objs[q->n] = x;
	q->paths[q->n++] = path;
	return 0;
}

static void queue_free(struct queue *q)
{
	for (size_t i = 0; i < q->n; i++) {
		sk_elf_free(q->objs[i]);
		free(q->paths[i]);
	}
	free(q->objs);
	free(q->paths);
}

/* Finds and queues the DT_NEEDED libraries of q's object i. */
static int queue_needed(struct run *r, struct sk_static_exe *e,
			struct queue *q, size_t i)
{
	int ret = 0;

	for (size_t k = 0; !ret && k < q->objs[i]->n_needed; k++) {
		const char *name = q->objs[i]->needed[k];
		struct sk_elf *lib = NULL;
		char *path = NULL;

		ret = resolve(r, name, q->objs[i], q->paths[i], q->objs[0], &path, &lib);
		if (ret == 0) {
			ret = warn(r, "%s: library %s (needed by %s) not found; its imports are not counted",
				   e->path, name, q->paths[i]);
			continue;
		}
		if (ret < 0)
			break;
		ret = strv_add_sorted(&e->libs, &e->n_libs, path);
		if (!ret && lib && r->n_seen >= MAX_OBJECTS) {
			ret = warn(r, "%s: more than %d ELF files; %s not read",
				   e->path, MAX_OBJECTS, path);
		} else if (!ret && lib && !(ret = seen_add(r, path, lib)) &&
			   !(ret = queue_push(q, lib, path))) {
			lib = NULL;
			path = NULL;
		}
		sk_elf_free(lib);
		free(path);
	}
	return ret;
}

/* One executable and its libraries, breadth first. */
static int run_exe(struct run *r, struct sk_static_exe *e)
{
	struct queue q = { 0 };
	struct sk_elf *exe = NULL;
	char *path = NULL;
	int ret;

	r->root = e->root;
	if (e->root && !e->root[0])
		return warn(r, "%s: a container's executable and the trace keeps no copy of it (scmp-trace --containers takes one); not read, the host's file at that path is another",
			    e->path);
	if ((ret = read_exe(r, e, &exe)) || !exe)
		return ret;
	/* Read before: an interpreter also named by the trace. */
	if (seen_find(r, e->elf)) {
		sk_elf_free(exe);
		return 0;
	}
	if ((ret = seen_add(r, e->elf, exe)) || !(path = strdup(e->elf)) ||
	    (ret = queue_push(&q, exe, path))) {
		sk_elf_free(exe);
		free(path);
		return ret ? ret : -ENOMEM;
	}
	for (size_t i = 0; i < q.n && !ret; i++) {
		ret = scan_imports(r, q.objs[i], q.paths[i], e->elf);
		if (!ret)
			ret = queue_needed(r, e, &q, i);
	}
	queue_free(&q);
	return ret;
}

int sk_static_run(struct sk_static *s, const struct sk_gen *g,
		  struct sk_warn *warn_out, struct sk_err *err)
{
	struct run r = { .s = s, .g = g, .warn = warn_out, .err = err };
	int ret = 0;

	for (size_t i = 0; i < s->n_exes && !ret; i++)
		ret = run_exe(&r, &s->exes[i]);
	for (size_t i = 0; i < r.n_seen; i++)
		free(r.seen[i].path);
	free(r.seen);
	if (ret)
		return sk_err_set(err, -ret, "--static: out of memory");
	return 0;
}

int sk_static_check_arches(const struct sk_static *s, const uint32_t *arches,
			   size_t n, struct sk_err *err)
{
	for (size_t a = 0; a < n; a++) {
		char list[512] = "";
		size_t len = 0;
		bool any = false, read = false;

		for (size_t i = 0; i < s->n_exes; i++) {
			const struct sk_static_exe *e = &s->exes[i];

			if (!e->elf)
				continue;
			read = true;
			any |= sk_elf_machine_can(e->machine, arches[a]);
			if (len < sizeof(list))
				len += (size_t)snprintf(list + len, sizeof(list) - len,
							"%s%s is ELF%u %s", len ? ", " : "",
							e->elf, e->elfclass == ELFCLASS64 ? 64 : 32,
							sk_elf_machine_name(e->machine));
		}
		if (!read)
			return 0;
		if (!any) {
			const char *an = sk_arch_name(arches[a]);

			return sk_err_set(err, EINVAL,
					  "--static: the traces have %s calls, but no executable they name can make them (%s); refusing to write a profile for an architecture the executables cannot use",
					  an ? an : "unknown-arch", list);
		}
	}
	return 0;
}

/* Whether p names name; with_static: counting --static add's rules. */
static bool profile_names(const struct sk_profile *p, const char *name,
			  bool with_static)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		if (!with_static && p->rules[i].origin == SK_ORIGIN_STATIC)
			continue;
		for (size_t k = 0; k < p->rules[i].n_names; k++)
			if (!strcmp(p->rules[i].names[k], name))
				return true;
	}
	return false;
}

static bool resolves(const struct sk_profile *p, const char *name)
{
	if (!p->n_arches)
		return sk_syscall_nr(sk_arch_native(), name) >= 0;
	for (size_t i = 0; i < p->n_arches; i++)
		if (sk_syscall_nr(p->arches[i], name) >= 0)
			return true;
	return false;
}

char *sk_static_comment(const struct sk_static_reach *x)
{
	char *c = NULL;
	int n;

	if (!strcmp(x->object, x->exe))
		n = asprintf(&c, "static: reachable through %s in %s, not observed",
			     x->func, x->exe);
	else
		n = asprintf(&c, "static: reachable through %s in %s (loaded by %s), not observed",
			     x->func, x->object, x->exe);
	return n < 0 ? NULL : c;
}

/* Paths come from traces, "#!" lines and DT_NEEDED: escaped (textesc.h). */
static void put_path(FILE *f, const char *before, const char *path,
		     const char *after)
{
	fputs(before, f);
	sk_esc_put(f, path, SK_ESC_TEXT);
	fputs(after, f);
}

static void report_exe(FILE *f, const struct sk_static_exe *e)
{
	put_path(f, "  ", e->path, ": ");
	if (!e->elf) {
		fputs("not read (see the warnings)\n", f);
		return;
	}
	if (strcmp(e->elf, e->path))
		put_path(f, "a script run by ", e->elf, ", ");
	fprintf(f, "ELF%u %s, %s", e->elfclass == ELFCLASS64 ? 64 : 32,
		sk_elf_machine_name(e->machine),
		e->is_static ? "statically linked: no imports to read, --static cannot tell what it reaches"
			     : "dynamically linked");
	if (e->n_libs) {
		fprintf(f, "; %zu librar%s:", e->n_libs, e->n_libs == 1 ? "y" : "ies");
		for (size_t i = 0; i < e->n_libs; i++)
			put_path(f, " ", e->libs[i], "");
	}
	if (e->root)
		put_path(f, "; the container's, read in ", e->root, "");
	fputc('\n', f);
}

char *sk_static_report(const struct sk_static *s, const struct sk_profile *p,
		       bool added)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "static analysis (--static %s): %zu executable%s, %zu ELF file%s read\n",
		added ? "add" : "report", s->n_exes, s->n_exes == 1 ? "" : "s",
		s->n_objects, s->n_objects == 1 ? "" : "s");
	for (size_t i = 0; i < s->n_exes; i++)
		report_exe(f, &s->exes[i]);
	fprintf(f, "  %zu syscall%s reachable through imported libc functions but not observed%s\n",
		s->n_reach, s->n_reach == 1 ? "" : "s",
		!s->n_reach ? "" : added ? "; added to the profile unless marked:" :
				       "; not added (--static add adds them):");
	for (size_t i = 0; i < s->n_reach; i++) {
		const struct sk_static_reach *x = &s->reach[i];
		bool in = profile_names(p, x->syscall, false);

		fprintf(f, "    %s: through ", x->syscall);
		put_path(f, "", x->func, " in ");
		put_path(f, "", x->object, "");
		if (strcmp(x->object, x->exe))
			put_path(f, " (loaded by ", x->exe, ")");
		if (x->n_funcs > 1) {
			size_t shown = 0;

			fputs("; also", f);
			for (size_t k = 0; k < x->n_funcs && shown < 6; k++) {
				if (!strcmp(x->funcs[k], x->func))
					continue;
				put_path(f, shown ? ", " : " ", x->funcs[k], "");
				shown++;
			}
			if (x->n_funcs - 1 > shown)
				fprintf(f, " and %zu more", x->n_funcs - 1 - shown);
		}
		if (!resolves(p, x->syscall))
			fputs(" [unknown on the profile's architectures: not added]", f);
		else if (in)
			fputs(" [not traced, but the profile allows it anyway]", f);
		fputc('\n', f);
	}
	for (size_t i = 0; i < s->n_raw_syscall; i++)
		put_path(f, "  WARNING: ", s->raw_syscall[i],
			 " imports syscall(): it can make any system call, which no table can tell\n");
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

void sk_static_summarize(const struct sk_static *s, const struct sk_profile *p,
			 const uint32_t *arches, size_t n_arches,
			 struct sk_static_summary *sum)
{
	struct sk_err err;

	memset(sum, 0, sizeof(*sum));
	sum->n_exes = s->n_exes;
	for (size_t i = 0; i < s->n_exes; i++) {
		sum->n_read += s->exes[i].elf != NULL;
		sum->n_dynamic += s->exes[i].elf && !s->exes[i].is_static;
	}
	sum->foreign = sum->n_read &&
		       sk_static_check_arches(s, arches, n_arches, &err) < 0;
	/* The names the families added, in rule order. */
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t k = 0; p->rules[i].origin == SK_ORIGIN_FAMILY &&
				   k < p->rules[i].n_names; k++) {
			if (sum->n_family_names < SK_STATIC_SUMMARY_NAMES)
				sum->family[sum->n_family_names++] = p->rules[i].names[k];
			sum->n_family++;
		}
	/* The names --static add would add. */
	for (size_t i = 0; i < s->n_reach; i++) {
		const char *name = s->reach[i].syscall;

		if (profile_names(p, name, true) || !resolves(p, name))
			continue;
		if (sum->n_names < SK_STATIC_SUMMARY_NAMES)
			sum->names[sum->n_names++] = name;
		sum->n_missing++;
	}
}

void sk_static_summary_put(FILE *f, const struct sk_static *s, const struct sk_profile *p,
			   const uint32_t *arches, size_t n_arches)
{
	struct sk_static_summary sum;
	const char *who;

	sk_static_summarize(s, p, arches, n_arches, &sum);
	who = sum.n_read == 1 ? "executable" : "executables";
	if (!sum.n_exes)
		return;
	if (!sum.n_read || sum.foreign) {
		fprintf(f, "scmp-gen: static check skipped: %s (a trace from another machine?)\n",
			!sum.n_read ? "the traced executables are not on this machine or not ELF"
				    : "the traced executables found here cannot make the traced calls");
		return;
	}
	if (!sum.n_dynamic) {
		fprintf(f, "scmp-gen: static check: the %s %s statically linked, without imports to read\n",
			who, sum.n_read == 1 ? "is" : "are");
		return;
	}
	if (sum.n_family) {
		fprintf(f, "scmp-gen: families added %zu call%s the %s can reach", sum.n_family,
			sum.n_family == 1 ? "" : "s", who);
		for (size_t i = 0; i < sum.n_family_names; i++)
			fprintf(f, "%s%s", i ? ", " : " (", sum.family[i]);
		fprintf(f, "%s; --exact leaves them out)\n",
			sum.n_family > sum.n_family_names ? "..." : "");
	}
	if (!sum.n_missing)
		fprintf(f, "scmp-gen: static check: the profile allows every call the %s can reach through libc",
			who);
	else
		fprintf(f, "scmp-gen: %zu call%s the %s can reach %s never traced%s",
			sum.n_missing, sum.n_missing == 1 ? "" : "s", who,
			sum.n_missing == 1 ? "was" : "were",
			sum.n_family ? " and left out (no traced call of their family)" : "");
	if (sum.n_read < sum.n_exes)
		fprintf(f, " (%zu of %zu executables read)", sum.n_read, sum.n_exes);
	for (size_t i = 0; i < sum.n_names; i++)
		fprintf(f, "%s%s", i ? ", " : ": ", sum.names[i]);
	if (sum.n_missing)
		fprintf(f, "%s; --static report lists them, --static add allows them",
			sum.n_missing > sum.n_names ? "..." : "");
	fputc('\n', f);
}

int sk_static_add_trace(struct sk_static *s, const struct sk_trace *t)
{
	for (size_t k = 0; k < t->n_executables; k++) {
		if (sk_static_add_exe(s, t->executables[k]))
			return -ENOMEM;
	}
	return 0;
}

/* Where a container's trace keeps its copies: "" when it keeps none. */
static int copies_of(const struct sk_trace *t, const char *file, char out[PATH_MAX],
		     struct sk_warn *warn)
{
	const struct sk_trace_container *c = t->container;
	const char *who = c->name ? c->name : c->id ? c->id : "(unnamed)";
	const char *slash = strrchr(file, '/');
	struct stat st;
	int dir = slash && strcmp(file, "-") ? (int)(slash - file + 1) : 0;

	out[0] = '\0';
	if (!c->files)
		return sk_warn_add(warn, "%s: container %s: the trace keeps no copy of what it executed (\"container\".\"files\"); the static analysis does not read its executables (the host's files at the same paths are others)",
				   file, who);
	if (c->files[0] == '/')
		dir = 0;
	if (snprintf(out, PATH_MAX, "%.*s%s", dir, file, c->files) >= PATH_MAX)
		out[0] = '\0';
	if (out[0] && !stat(out, &st) && S_ISDIR(st.st_mode))
		return 0;
	return sk_warn_add(warn, "%s: container %s: the copies of what it executed, %s, cannot be read (%s); the static analysis does not read its executables",
			   file, who, out[0] ? out : c->files,
			   !out[0] ? strerror(ENAMETOOLONG) : errno ? strerror(errno) : "not a directory");
}

int sk_static_add_trace_file(struct sk_static *s, const struct sk_trace *t,
			     const char *file, struct sk_warn *warn)
{
	char root[PATH_MAX];

	if (!t->container)
		return sk_static_add_trace(s, t);
	errno = 0;
	if (copies_of(t, file, root, warn))
		return -ENOMEM;
	for (size_t k = 0; k < t->n_executables; k++)
		if (sk_static_add_exe_in(s, t->executables[k], root))
			return -ENOMEM;
	return 0;
}

int sk_static_read(struct sk_static *s, const struct sk_gen *g, struct sk_warn *warn,
		   struct sk_err *err)
{
	bool any = false;
	int ret = sk_static_run(s, g, warn, err);

	if (ret)
		return ret;
	for (size_t i = 0; i < s->n_exes; i++)
		any |= s->exes[i].elf != NULL;
	if (!any && sk_warn_add(warn, "--static: no executable named by the traces could be read; nothing to analyse and no architecture check"))
		return sk_err_set(err, ENOMEM, "out of memory");
	return sk_static_check_arches(s, g->arches, g->n_arches, err);
}
