/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen --landlock (gen_landlock.h): the traces' paths and ports into a
 * Landlock ruleset, generalised as a careful person would:
 *
 *   - a path only looked at (stat, access, readlink) needs no right, and
 *     one that was not there when read (ENOENT) gets none;
 *   - make, remove (and refer) are granted on the directory the entry was
 *     made in or removed from, with write on what is made there: write and
 *     make only where the program wrote or made;
 *   - a file read stays a file rule; a directory listed, or with
 *     SK_GEN_LL_DIR_MIN distinct files or ruled subdirectories read, is
 *     ruled whole (read only: written files never widen a rule);
 *   - the executables, their ELF interpreters and the libraries (*.so*)
 *     read and execute;
 *   - devices (/dev/null, /dev/tty) as what they are: file rules, with
 *     ioctl_dev; /proc/self as itself; another process's /proc/PID, whose
 *     number changes from run to run, gets no rule;
 *   - never /, /home, a user's home or /root wholesale, and system roots
 *     (/etc, /usr, /tmp...) are never widened to a hierarchy rule.
 *
 * Pure but for reading the executables' ELF headers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/fileio.h"
#include "scmpkit/gen_landlock.h"
#include "elf_read.h"

struct cand {
	char *path;
	uint64_t access;
	enum sk_path_kind kind;
	bool tree;           /* ruled whole: a listed or generalised directory */
	bool dead;
	char why[240];
};

struct gl {
	struct cand *c;
	size_t n, cap;
	struct sk_warn *notes;
};

/*
 * Directories never widened into a hierarchy rule (sorted): the system's
 * roots, where reading a few files says nothing about the rest.  "never"
 * ones get no rule at all, not even for what was recorded on them.
 */
static const struct root {
	const char *path;
	bool never;
} roots[] = {
	{ "/", true },		{ "/bin", false },	{ "/boot", false },
	{ "/dev", false },	{ "/etc", false },	{ "/home", true },
	{ "/lib", false },	{ "/lib32", false },	{ "/lib64", false },
	{ "/libx32", false },	{ "/media", false },	{ "/mnt", false },
	{ "/opt", false },	{ "/proc", false },	{ "/root", true },
	{ "/run", false },	{ "/sbin", false },	{ "/srv", false },
	{ "/sys", false },	{ "/tmp", false },	{ "/usr", false },
	{ "/usr/bin", false },	{ "/usr/lib", false },	{ "/usr/lib32", false },
	{ "/usr/lib64", false }, { "/usr/libexec", false }, { "/usr/local", false },
	{ "/usr/local/bin", false }, { "/usr/local/lib", false }, { "/usr/sbin", false },
	{ "/usr/share", false }, { "/var", false },	{ "/var/lib", false },
	{ "/var/log", false },	{ "/var/tmp", false },
};

const char *sk_gen_ll_root_at(size_t i)
{
	return i < sizeof(roots) / sizeof(roots[0]) ? roots[i].path : NULL;
}

/* 1: a system root, 2: never granted wholesale, 0: neither. */
static int root_kind(const char *path)
{
	const char *home = "/home/";

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (!strcmp(roots[i].path, path))
			return roots[i].never ? 2 : 1;
	/* A user's home: /home/NAME. */
	if (!strncmp(path, home, 6) && path[6] && !strchr(path + 6, '/'))
		return 2;
	return 0;
}

/* /proc/NUMBER or beneath: another process's, whose number changes. */
static bool other_proc(const char *path)
{
	const char *p = path + 6;

	if (strncmp(path, "/proc/", 6) || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return !*p || *p == '/';
}

/* A shared library by its name: NAME.so or NAME.so.VERSION (not
 * ld.so.cache). */
static bool is_lib(const char *path)
{
	const char *base = strrchr(path, '/'), *so = strstr(base ? base : path, ".so");

	return so && (!so[3] || (so[3] == '.' && so[4] >= '0' && so[4] <= '9'));
}

static bool beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1)
		return path[0] == '/' && path[1];
	return !strncmp(path, dir, n) && path[n] == '/';
}

static struct cand *cand_get(struct gl *g, const char *path, enum sk_path_kind kind)
{
	struct cand *c;

	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->c[i].path, path)) {
			if (g->c[i].kind == SK_PATH_UNKNOWN || g->c[i].kind == SK_PATH_MISSING)
				g->c[i].kind = kind;
			return &g->c[i];
		}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;

		c = realloc(g->c, cap * sizeof(*c));
		if (!c)
			return NULL;
		g->c = c;
		g->cap = cap;
	}
	c = &g->c[g->n];
	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	if (!c->path)
		return NULL;
	c->kind = kind;
	g->n++;
	return c;
}

static void why(struct cand *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets the reason once: the first one found says the most. */
static void why(struct cand *c, const char *fmt, ...)
{
	va_list ap;

	if (c->why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static int note(struct gl *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int note(struct gl *g, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return sk_warn_add(g->notes, "%s", buf);
}

static const char *exe_of(const struct sk_trace *t, const struct sk_trace_path *p)
{
	const char *e = p->n_exe ? t->executables[p->exe[0]] : NULL;
	const char *base = e ? strrchr(e, '/') : NULL;

	return base ? base + 1 : e ? e : "the program";
}

/* An entry made or removed: its directory gets the rights, with what
 * was done to the entry itself (written, truncated). */
static int made_in_parent(struct gl *g, const struct sk_trace_path *p, uint64_t par,
			  uint64_t own, const char *exe)
{
	char dir[4096];
	struct cand *c;

	sk_landlock_parent(p->path, dir, sizeof(dir));
	c = cand_get(g, dir, SK_PATH_DIR);
	if (!c)
		return -ENOMEM;
	c->access |= par | (own & (SK_LL_FS_WRITE_FILE | SK_LL_FS_READ_FILE | SK_LL_FS_TRUNCATE));
	c->tree = true;
	why(c, "%s %s entries here (%s)", exe,
	    par & (SK_LL_FS_REMOVE_FILE | SK_LL_FS_REMOVE_DIR) ?
	    (par & ~(SK_LL_FS_REMOVE_FILE | SK_LL_FS_REMOVE_DIR) ? "made and removed" : "removed") : "made",
	    p->path);
	return 0;
}

uint64_t sk_ll_entry_rights(const struct sk_trace_path *p, uint64_t *par)
{
	uint64_t own = p->access & ~SK_LL_FS_PARENT;

	*par = p->access & SK_LL_FS_PARENT;
	/* O_CREAT or mkdir on what was there made nothing: no make right. */
	if (p->kind != SK_PATH_MISSING && p->kind != SK_PATH_UNKNOWN)
		*par &= SK_LL_FS_REMOVE_FILE | SK_LL_FS_REMOVE_DIR | SK_LL_FS_REFER;
	if (p->kind == SK_PATH_DIR) {
		if (own & SK_LL_FS_READ_FILE)
			own = (own & ~SK_LL_FS_READ_FILE) | SK_LL_FS_READ_DIR;
		if (*par & SK_LL_FS_REMOVE_FILE)
			*par = (*par & ~SK_LL_FS_REMOVE_FILE) | SK_LL_FS_REMOVE_DIR;
	}
	if (p->kind == SK_PATH_DEVICE && (own & (SK_LL_FS_READ_FILE | SK_LL_FS_WRITE_FILE)))
		own |= SK_LL_FS_IOCTL_DEV;
	/* A read of what was not there failed before Landlock looked. */
	if (p->kind == SK_PATH_MISSING)
		own = 0;
	return own;
}

static int add_entry(struct gl *g, const struct sk_trace *t, const struct sk_trace_path *p)
{
	const char *exe = exe_of(t, p);
	uint64_t par, own = sk_ll_entry_rights(p, &par);
	struct cand *c;

	if (!p->access)
		return 0;       /* looked at only: no right needed */
	if (other_proc(p->path))
		return note(g, "%s: another process's /proc entry (its number changes from run to run): no rule",
			    p->path);
	if (par && made_in_parent(g, p, par, p->access & ~SK_LL_FS_PARENT, exe))
		return -ENOMEM;
	if (p->kind == SK_PATH_MISSING)
		return par ? 0 : note(g, "%s: not there when %s named it (the call failed): no rule",
				      p->path, exe);
	if (!own)
		return 0;
	c = cand_get(g, p->path, p->kind);
	if (!c)
		return -ENOMEM;
	c->access |= own;
	c->tree |= p->kind == SK_PATH_DIR && (own & SK_LL_FS_READ_DIR);
	why(c, "%s by %s", p->kind == SK_PATH_DEVICE ? "device used" :
	    (own & SK_LL_FS_READ_DIR) ? "listed" : (own & SK_LL_FS_WRITE_FILE) ? "written" :
	    (own & SK_LL_FS_EXECUTE) ? "executed" : "read", exe);
	return 0;
}

/* The executable and its ELF interpreter: read and execute. */
static int add_exe(struct gl *g, const char *exe)
{
	struct sk_elf *e = NULL;
	struct cand *c = cand_get(g, exe, SK_PATH_FILE);

	if (!c)
		return -ENOMEM;
	c->access |= SK_LL_FS_EXECUTE | SK_LL_FS_READ_FILE;
	why(c, "executable");
	if (sk_elf_read(exe, &e, NULL) || !e->interp) {
		sk_elf_free(e);
		return 0;
	}
	c = cand_get(g, e->interp, SK_PATH_FILE);
	if (c) {
		c->access |= SK_LL_FS_EXECUTE | SK_LL_FS_READ_FILE;
		why(c, "ELF interpreter of %s (the kernel executes it)", exe);
	}
	sk_elf_free(e);
	return c ? 0 : -ENOMEM;
}

static int add_trace(struct gl *g, const struct sk_trace *t)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < t->n_paths; i++)
		ret = add_entry(g, t, &t->paths[i]);
	for (size_t i = 0; !ret && i < t->n_executables; i++)
		ret = add_exe(g, t->executables[i]);
	return ret;
}

/* Libraries read: read and execute, as ld.so maps them. */
static void mark_libs(struct gl *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct cand *c = &g->c[i];

		if (c->kind == SK_PATH_FILE && (c->access & SK_LL_FS_READ_FILE) &&
		    !(c->access & SK_LL_FS_EXECUTE) && is_lib(c->path)) {
			c->access |= SK_LL_FS_EXECUTE;
			snprintf(c->why, sizeof(c->why), "library (read and mapped)");
		}
	}
}

#define READ_RIGHTS (SK_LL_FS_READ_FILE | SK_LL_FS_READ_DIR | SK_LL_FS_EXECUTE)

/* Whether c is a read-only child that a rule on its directory may take. */
static bool read_child(const struct cand *c, const char *dir)
{
	char par[4096];

	if (c->dead || (c->access & ~READ_RIGHTS) || (c->kind != SK_PATH_FILE && !c->tree))
		return false;
	sk_landlock_parent(c->path, par, sizeof(par));
	return !strcmp(par, dir);
}

/* Rules dir whole when SK_GEN_LL_DIR_MIN of its children were read; 1
 * when it did, 0 when not, -ENOMEM. */
static int widen(struct gl *g, const char *dir)
{
	uint64_t rights = 0;
	size_t n = 0;
	struct cand *d;
	char first[3][80] = { "", "", "" };

	if (root_kind(dir))
		return 0;
	for (size_t i = 0; i < g->n; i++)
		if (read_child(&g->c[i], dir)) {
			const char *base = strrchr(g->c[i].path, '/') + 1;

			if (n < 3)
				snprintf(first[n], sizeof(first[n]), "%s", base);
			rights |= g->c[i].access;
			n++;
		}
	if (n < SK_GEN_LL_DIR_MIN)
		return 0;
	d = cand_get(g, dir, SK_PATH_DIR);
	if (!d)
		return -ENOMEM;
	if (d->tree && !(rights & ~d->access))
		return 0;
	d->access |= (rights & ~SK_LL_FS_READ_DIR) ? rights | SK_LL_FS_READ_FILE : rights;
	d->tree = true;
	snprintf(d->why, sizeof(d->why), "%zu entries read beneath it (%s, %s, %s%s)", n,
		 first[0], first[1], first[2], n > 3 ? ", ..." : "");
	return 1;
}

/* Widens directories bottom-up until nothing changes. */
static int generalize(struct gl *g)
{
	char dir[4096];
	int changed = 1, ret;

	while (changed) {
		changed = 0;
		for (size_t i = 0; i < g->n; i++) {
			if (g->c[i].dead)
				continue;
			sk_landlock_parent(g->c[i].path, dir, sizeof(dir));
			ret = widen(g, dir);
			if (ret < 0)
				return ret;
			changed |= ret;
		}
	}
	return 0;
}

/* Drops what a hierarchy rule above already grants, and what must never
 * be granted wholesale. */
static int prune(struct gl *g)
{
	for (size_t i = 0; i < g->n; i++) {
		struct cand *c = &g->c[i];

		if (root_kind(c->path) == 2) {
			c->dead = true;
			if (note(g, "%s: never granted wholesale (%s): no rule", c->path, c->why))
				return -ENOMEM;
			continue;
		}
		for (size_t j = 0; j < g->n && !c->dead; j++) {
			const struct cand *d = &g->c[j];

			if (j != i && !d->dead && d->tree && root_kind(d->path) != 2 &&
			    beneath(c->path, d->path) && !(c->access & ~d->access))
				c->dead = true;
		}
	}
	return 0;
}

static int to_ruleset(struct gl *g, struct sk_landlock *ll)
{
	for (size_t i = 0; i < g->n; i++) {
		struct cand *c = &g->c[i];
		uint64_t a = c->access;

		if (c->dead || !a)
			continue;
		if (c->kind != SK_PATH_DIR)
			a &= SK_LL_FS_FILE;
		if (sk_landlock_add_path(ll, c->path, a, c->why[0] ? c->why : NULL))
			return -ENOMEM;
	}
	return 0;
}

static int add_ports(struct sk_landlock *ll, const struct sk_trace *t)
{
	char why_buf[96];

	for (size_t i = 0; i < t->n_ports; i++) {
		const struct sk_trace_port *p = &t->ports[i];

		snprintf(why_buf, sizeof(why_buf), "%s %llu time%s",
			 p->access & SK_LL_NET_BIND_TCP ? "bound" : "connected to",
			 (unsigned long long)p->count, p->count == 1 ? "" : "s");
		if (sk_landlock_add_port(ll, p->port, p->access, why_buf))
			return -ENOMEM;
	}
	return 0;
}

static void gl_free(struct gl *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->c[i].path);
	free(g->c);
}

/* Which traces hold paths: warnings for the others; -EINVAL if none. */
static int check_traces(struct sk_trace *const *t, size_t n, char *const *files,
			struct sk_warn *warn, struct sk_err *err)
{
	size_t with = 0;

	for (size_t i = 0; i < n; i++) {
		if (!t[i]->has_paths &&
		    sk_warn_add(warn, "%s: no paths recorded (backend %s): its files and ports are not in the ruleset",
				files[i], t[i]->backend ? t[i]->backend : "unknown"))
			return -ENOMEM;
		if (t[i]->paths_unbounded &&
		    sk_warn_add(warn, "%s: the path table was full (\"paths_unbounded\"): paths are missing, the ruleset will deny them",
				files[i]))
			return -ENOMEM;
		with += t[i]->has_paths;
	}
	if (!with)
		return sk_err_set(err, EINVAL, "%s: no trace holds paths: record with scmp-trace --backend notify or ptrace (bpf keeps none yet)",
				  files[0]);
	return 0;
}

int sk_gen_landlock(struct sk_trace *const *t, size_t n, char *const *files,
		    struct sk_landlock **out, struct sk_warn *notes,
		    struct sk_warn *warn, struct sk_err *err)
{
	struct gl g = { .notes = notes };
	struct sk_landlock *ll = NULL;
	int ret = check_traces(t, n, files, warn, err);

	if (ret)
		return ret;
	for (size_t i = 0; !ret && i < n; i++)
		ret = add_trace(&g, t[i]);
	if (!ret) {
		mark_libs(&g);
		ret = generalize(&g);
	}
	if (!ret)
		ret = prune(&g);
	if (!ret && !(ll = sk_landlock_new()))
		ret = -ENOMEM;
	if (!ret)
		ret = to_ruleset(&g, ll);
	for (size_t i = 0; !ret && i < n; i++)
		ret = add_ports(ll, t[i]);
	gl_free(&g);
	if (!ret)
		sk_landlock_sort(ll);
	if (ret) {
		sk_landlock_free(ll);
		return ret == -ENOMEM ? sk_err_set(err, ENOMEM, "out of memory") : ret;
	}
	*out = ll;
	return 0;
}

static void put_rights(FILE *f, uint64_t a, bool net)
{
	const char *sep = "";

	for (unsigned b = 0; b < 64; b++)
		if ((a & (1ULL << b)) && sk_ll_access_name(1ULL << b, net)) {
			fprintf(f, "%s%s", sep, sk_ll_access_name(1ULL << b, net));
			sep = ",";
		}
}

void sk_gen_landlock_explain(FILE *f, const struct sk_landlock *ll,
			     const struct sk_warn *notes)
{
	fprintf(f, "landlock: %zu file rules, %zu port rules (abi %d needed for all of it)\n",
		ll->n_paths, ll->n_ports, sk_ll_abi_needed(ll->handled_fs, ll->handled_net));
	for (size_t i = 0; i < ll->n_paths; i++) {
		fprintf(f, "  %s  ", ll->paths[i].path);
		put_rights(f, ll->paths[i].access, false);
		fprintf(f, "  # %s\n", ll->paths[i].reason ? ll->paths[i].reason : "");
	}
	for (size_t i = 0; i < ll->n_ports; i++) {
		fprintf(f, "  tcp port %u  ", ll->ports[i].port);
		put_rights(f, ll->ports[i].access, true);
		fprintf(f, "  # %s\n", ll->ports[i].reason ? ll->ports[i].reason : "");
	}
	if (!ll->n_ports)
		fprintf(f, "  no TCP port: every bind and connect is refused\n");
	for (size_t i = 0; notes && i < notes->n; i++)
		fprintf(f, "  not granted: %s\n", notes->msgs[i]);
}

static void traces_free(struct sk_trace **t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sk_trace_free(t[i]);
	free(t);
}

/* The ruleset's text: JSON, or the systemd drop-in; allocated or NULL. */
static char *render(const struct sk_landlock *ll, bool systemd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!systemd)
		return sk_landlock_to_json(ll, "scmp-gen " SK_VERSION);
	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	if (sk_landlock_systemd(f, ll) | fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

int sk_gen_landlock_files(char *const *files, size_t n, const char *output,
			  bool systemd, FILE *explain, struct sk_warn *warn,
			  struct sk_err *err)
{
	struct sk_trace **t = calloc(n + 1, sizeof(*t));
	struct sk_landlock *ll = NULL;
	struct sk_warn notes = { 0 };
	char *text = NULL;
	int ret = t ? 0 : sk_err_set(err, ENOMEM, "out of memory");

	for (size_t i = 0; !ret && i < n; i++)
		ret = sk_trace_load(files[i], &t[i], err);
	if (!ret)
		ret = sk_gen_landlock(t, n, files, &ll, &notes, warn, err);
	if (!ret) {
		text = render(ll, systemd);
		ret = text ? sk_write_atomic(output, text, strlen(text), err) :
		      sk_err_set(err, ENOMEM, "out of memory");
	}
	if (!ret && explain)
		sk_gen_landlock_explain(explain, ll, &notes);
	if (!ret)
		ret = (int)(ll->n_paths + ll->n_ports);
	free(text);
	sk_warn_clear(&notes);
	sk_landlock_free(ll);
	if (t)
		traces_free(t, n);
	return ret;
}
