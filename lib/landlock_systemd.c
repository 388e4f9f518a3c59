/* SPDX-License-Identifier: MIT */
/*
 * A Landlock ruleset as a systemd drop-in (scmp-gen -f systemd --landlock,
 * gen_landlock.h), as far as systemd.exec(5) can say it.  Landlock is an
 * allow-list; of systemd's path settings only two pairs are: ReadOnlyPaths=/
 * with ReadWritePaths= (write, make and remove only where a rule grants
 * it), NoExecPaths=/ with ExecPaths= (execute only what a rule grants).
 * Reads have no such pair (InaccessiblePaths= lists what to hide, never
 * what to keep), and IPAddressAllow= has no ports: what cannot be said is
 * said in a comment, never approximated.  TCP bind is SocketBindAllow= and
 * SocketBindDeny=any.
 */
#include <stdio.h>
#include <string.h>

#include "scmpkit/gen_landlock.h"

#define WRITE_RIGHTS (SK_LL_FS_WRITE_FILE | SK_LL_FS_TRUNCATE | SK_LL_FS_PARENT)

/* A path as systemd reads it: quoted when it holds a space, a quote or a
 * backslash, those escaped; "-" first: a path not there is ignored. */
static void put_path(FILE *f, const char *key, const char *path)
{
	fprintf(f, "%s=", key);
	if (!strpbrk(path, " \t\"\\'")) {
		fprintf(f, "-%s\n", path);
		return;
	}
	fputs("\"-", f);
	for (const char *p = path; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputs("\"\n", f);
}

static void put_paths(FILE *f, const struct sk_landlock *ll, const char *key,
		      uint64_t rights)
{
	for (size_t i = 0; i < ll->n_paths; i++)
		if (ll->paths[i].access & rights)
			put_path(f, key, ll->paths[i].path);
}

static void put_net(FILE *f, const struct sk_landlock *ll)
{
	size_t connects = 0;

	if (ll->handled_net & SK_LL_NET_BIND_TCP) {
		fputs("# TCP: bind only the ports it bound\n", f);
		for (size_t i = 0; i < ll->n_ports; i++)
			if (ll->ports[i].access & SK_LL_NET_BIND_TCP)
				fprintf(f, "SocketBindAllow=tcp:%u\n", ll->ports[i].port);
		fputs("SocketBindDeny=any\n", f);
	}
	for (size_t i = 0; i < ll->n_ports; i++)
		connects += !!(ll->ports[i].access & SK_LL_NET_CONNECT_TCP);
	if (ll->handled_net & SK_LL_NET_CONNECT_TCP)
		fprintf(f, "# Not said: TCP connect only to %zu port%s (IPAddressAllow= has no ports);\n"
			"# scmp-apply --landlock enforces it\n", connects, connects == 1 ? "" : "s");
}

int sk_landlock_systemd(FILE *f, const struct sk_landlock *ll)
{
	fputs("# The Landlock ruleset as systemd can say it (systemd.exec(5)), from scmp-gen --landlock.\n"
	      "[Service]\n", f);
	if (ll->handled_fs & WRITE_RIGHTS) {
		fputs("# Write, make and remove only where it did\nReadOnlyPaths=/\n", f);
		put_paths(f, ll, "ReadWritePaths", WRITE_RIGHTS);
	}
	if (ll->handled_fs & SK_LL_FS_EXECUTE) {
		fputs("# Execute (and map as code) only what it executed and its libraries\nNoExecPaths=/\n", f);
		put_paths(f, ll, "ExecPaths", SK_LL_FS_EXECUTE);
	}
	put_net(f, ll);
	if (ll->handled_fs & (SK_LL_FS_READ_FILE | SK_LL_FS_READ_DIR))
		fprintf(f, "# Not said: reads only beneath the %zu paths of the ruleset (systemd has no\n"
			"# allow-list of reads; InaccessiblePaths= hides what it lists); scmp-apply --landlock enforces it\n",
			ll->n_paths);
	return ferror(f) ? -1 : 0;
}
