/* SPDX-License-Identifier: MIT */
/*
 * What a Landlock ruleset refuses of a trace (gen_landlock.h,
 * sk_landlock_replay): each recorded path and port against the rules as
 * the kernel matches them - a rule grants its rights on its path and
 * everything beneath; make, remove and refer are checked on the entry's
 * directory.  Pure: paths are compared as strings, so a symbolic link or
 * a bind mount the kernel would follow is not.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/cli.h"
#include "scmpkit/gen_landlock.h"
#include "trace_paths.h"

/* The rights ll grants on path (rules on it and on its ancestors). */
static uint64_t granted(const struct sk_landlock *ll, const char *path)
{
	uint64_t g = 0;

	for (size_t i = 0; i < ll->n_paths; i++) {
		const char *r = ll->paths[i].path;
		size_t n = strlen(r);

		if (!strcmp(r, path) || (n == 1 && path[0] == '/') ||
		    (!strncmp(path, r, n) && path[n] == '/'))
			g |= ll->paths[i].access;
	}
	return g;
}

/* Appends to buf (len bytes, *off used) as snprintf would. */
static void add(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

static void add_rights(char *buf, size_t len, size_t *off, uint64_t a, bool net)
{
	const char *sep = "";

	for (unsigned b = 0; b < 64; b++)
		if ((a & (1ULL << b)) && sk_ll_access_name(1ULL << b, net)) {
			add(buf, len, off, "%s%s", sep, sk_ll_access_name(1ULL << b, net));
			sep = ",";
		}
}

/* "landlock refuses: PATH: RIGHTS (by cat, sh) in TRACE" on f. */
static void say_path(FILE *f, const struct sk_trace *t, const struct sk_trace_path *p,
		     uint64_t refused, const char *trace_file)
{
	char line[8192];
	size_t off = 0;

	add(line, sizeof(line), &off, "landlock refuses: %s: ", p->path);
	add_rights(line, sizeof(line), &off, refused, false);
	for (size_t i = 0; i < p->n_exe; i++) {
		const char *e = t->executables[p->exe[i]], *b = strrchr(e, '/');

		add(line, sizeof(line), &off, "%s%s", i ? ", " : " (by ", b ? b + 1 : e);
	}
	add(line, sizeof(line), &off, "%s in %s", p->n_exe ? ")" : "", trace_file);
	sk_cli_say(f, NULL, "%s", line);
}

/* The rights of p that ll refuses. */
static uint64_t refused_of(const struct sk_landlock *ll, const struct sk_trace_path *p)
{
	char dir[4096];
	uint64_t par, own = sk_ll_entry_rights(p, &par);

	sk_landlock_parent(p->path, dir, sizeof(dir));
	return (own & ll->handled_fs & ~granted(ll, p->path)) |
	       (par & ll->handled_fs & ~granted(ll, dir));
}

static uint64_t port_refused(const struct sk_landlock *ll, const struct sk_trace_port *p)
{
	uint64_t refused = p->access & ll->handled_net;

	for (size_t k = 0; k < ll->n_ports; k++)
		if (ll->ports[k].port == p->port)
			refused &= ~ll->ports[k].access;
	return refused;
}

static void say_port(FILE *f, unsigned port, uint64_t refused, const char *trace_file)
{
	char line[512];
	size_t off = 0;

	add(line, sizeof(line), &off, "landlock refuses: TCP port %u: ", port);
	add_rights(line, sizeof(line), &off, refused, true);
	add(line, sizeof(line), &off, " in %s", trace_file);
	sk_cli_say(f, NULL, "%s", line);
}

int sk_landlock_replay(FILE *f, const struct sk_landlock *ll,
		       const struct sk_trace *t, const char *trace_file)
{
	int n = 0;

	for (size_t i = 0; i < t->n_paths; i++) {
		const struct sk_trace_path *p = &t->paths[i];
		uint64_t refused = refused_of(ll, p);

		if (!refused)
			continue;
		say_path(f, t, p, refused, trace_file);
		n++;
	}
	for (size_t i = 0; i < t->n_ports; i++) {
		uint64_t refused = port_refused(ll, &t->ports[i]);

		if (!refused)
			continue;
		say_port(f, t->ports[i].port, refused, trace_file);
		n++;
	}
	return n;
}
void sk_landlock_keep_refused(const struct sk_landlock *ll, struct sk_trace *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_paths; i++) {
		if (refused_of(ll, &t->paths[i])) {
			t->paths[n++] = t->paths[i];
			continue;
		}
		free(t->paths[i].path);
		free(t->paths[i].exe);
	}
	t->n_paths = n;
	n = 0;
	for (size_t i = 0; i < t->n_ports; i++)
		if (port_refused(ll, &t->ports[i]))
			t->ports[n++] = t->ports[i];
	t->n_ports = n;
}
