/* SPDX-License-Identifier: MIT */
/*
 * The path and port table of a recording (pathrec.h): everything sized in
 * sk_pathrec_new, open addressing on a hash of the path, the text in one
 * arena.  Pure.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "scmpkit/arch.h"
#include "scmpkit/landlock.h"
#include "scmpkit/pathrec.h"
#include "scmpkit/recorder.h"
#include "pathknow.h"
#include "trace_paths.h"

#define ARCH_MAX 4
#define SLOTS (SK_PATHREC_MAX * 2)   /* a power of two, half full at most */
#define EXE_WORDS (SK_REC_EXE_MAX / 64)

struct pentry {
	uint32_t off;          /* into the arena */
	uint32_t len;
	uint8_t kind;          /* enum sk_path_kind */
	uint64_t access;
	uint64_t count;
	uint64_t exe[EXE_WORDS];
};

struct pport {
	uint16_t port;
	uint64_t access;
	uint64_t count;
};

struct sk_pathrec {
	size_t n_arch;
	uint32_t arch[ARCH_MAX];
	const struct sk_pathspec **spec; /* n_arch * SK_REC_NR_MAX */
	int32_t slot[SLOTS];   /* entry index + 1; 0: free */
	size_t n;
	struct pentry e[SK_PATHREC_MAX];
	bool unbounded;
	char *arena;
	size_t used;
	size_t n_ports;
	struct pport ports[SK_PATHREC_PORTS];
	bool ports_unbounded;
};

struct sk_pathrec *sk_pathrec_new(void)
{
	struct sk_pathrec *pr = calloc(1, sizeof(*pr));
	const struct sk_pathspec *tab;
	unsigned n_tab;

	if (!pr)
		return NULL;
	pr->n_arch = sk_arch_host(pr->arch, ARCH_MAX);
	if (pr->n_arch > ARCH_MAX)
		pr->n_arch = ARCH_MAX;
	pr->spec = calloc(pr->n_arch * SK_REC_NR_MAX, sizeof(*pr->spec));
	pr->arena = malloc(SK_PATHREC_ARENA);
	if (!pr->spec || !pr->arena) {
		sk_pathrec_free(pr);
		return NULL;
	}
	tab = sk_pathspec_table(&n_tab);
	for (size_t a = 0; a < pr->n_arch; a++)
		for (unsigned i = 0; i < n_tab; i++) {
			int nr = sk_syscall_nr(pr->arch[a], tab[i].name);

			/* i386's socketcall multiplexes bind and connect: not
			 * a number of their own there, so not recorded. */
			if (nr >= 0 && (nr & ~SK_X32_SYSCALL_BIT) < SK_REC_NR_MAX)
				pr->spec[a * SK_REC_NR_MAX + (nr & ~SK_X32_SYSCALL_BIT)] = &tab[i];
		}
	return pr;
}

void sk_pathrec_free(struct sk_pathrec *pr)
{
	if (!pr)
		return;
	free(pr->spec);
	free(pr->arena);
	free(pr);
}

const struct sk_pathspec *sk_pathrec_spec(const struct sk_pathrec *pr,
					  uint32_t arch, int nr)
{
	if (arch == SCMP_ARCH_X86_64 && (nr & SK_X32_SYSCALL_BIT))
		return NULL;    /* x32: its own numbers, not recorded */
	for (size_t a = 0; a < pr->n_arch; a++)
		if (pr->arch[a] == arch && nr >= 0 && nr < SK_REC_NR_MAX)
			return pr->spec[a * SK_REC_NR_MAX + nr];
	return NULL;
}

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

int sk_pathrec_add(struct sk_pathrec *pr, const char *path, uint64_t access,
		   int exe, bool *is_new)
{
	size_t len = strlen(path);
	uint32_t i = hash(path, len) & (SLOTS - 1);
	struct pentry *e;

	*is_new = false;
	for (; pr->slot[i]; i = (i + 1) & (SLOTS - 1)) {
		e = &pr->e[pr->slot[i] - 1];
		if (e->len == len && !memcmp(pr->arena + e->off, path, len))
			goto found;
	}
	if (pr->n == SK_PATHREC_MAX || pr->used + len + 1 > SK_PATHREC_ARENA) {
		pr->unbounded = true;
		return -ENOSPC;
	}
	e = &pr->e[pr->n];
	e->off = (uint32_t)pr->used;
	e->len = (uint32_t)len;
	memcpy(pr->arena + pr->used, path, len + 1);
	pr->used += len + 1;
	pr->slot[i] = (int32_t)++pr->n;
	*is_new = true;
found:
	e->access |= access;
	e->count++;
	if (exe >= 0 && exe < SK_REC_EXE_MAX)
		e->exe[exe / 64] |= 1ULL << (exe % 64);
	return (int)(e - pr->e);
}

void sk_pathrec_kind(struct sk_pathrec *pr, int idx, enum sk_path_kind kind)
{
	if (idx >= 0 && (size_t)idx < pr->n)
		pr->e[idx].kind = (uint8_t)kind;
}

void sk_pathrec_port(struct sk_pathrec *pr, uint16_t port, uint64_t access)
{
	size_t i;

	for (i = 0; i < pr->n_ports && pr->ports[i].port != port; i++)
		;
	if (i == SK_PATHREC_PORTS) {
		pr->ports_unbounded = true;
		return;
	}
	if (i == pr->n_ports)
		pr->ports[pr->n_ports++].port = port;
	pr->ports[i].access |= access;
	pr->ports[i].count++;
}

/* Drops the last component of out[0..*len) (for ".."). */
static void pop(char *out, size_t *len)
{
	while (*len > 1 && out[*len - 1] != '/')
		(*len)--;
	if (*len > 1)
		(*len)--;
}

void sk_path_normalize(char *path, pid_t self)
{
	char pid[24];
	size_t len = 1, n;
	const char *p = path;

	/* Written over path itself: the output never outgrows the input. */
	while (*p) {
		while (*p == '/')
			p++;
		for (n = 0; p[n] && p[n] != '/'; n++)
			;
		if (!n || (n == 1 && p[0] == '.')) {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			pop(path, &len);
			p += n;
			continue;
		}
		if (len > 1)
			path[len++] = '/';
		memmove(path + len, p, n);
		len += n;
		p += n;
	}
	path[0] = '/';
	path[len] = 0;
	n = (size_t)snprintf(pid, sizeof(pid), "/proc/%d", (int)self);
	if (self > 0 && !strncmp(path, pid, n) && (!path[n] || path[n] == '/')) {
		memmove(path + 10, path + n, strlen(path + n) + 1);
		memcpy(path, "/proc/self", 10);
	}
}

static int fill_exe(struct sk_trace_path *tp, const struct pentry *e)
{
	size_t n = 0;

	for (unsigned i = 0; i < SK_REC_EXE_MAX; i++)
		n += !!(e->exe[i / 64] & (1ULL << (i % 64)));
	tp->exe = calloc(n + 1, sizeof(*tp->exe));
	if (!tp->exe)
		return -ENOMEM;
	for (unsigned i = 0; i < SK_REC_EXE_MAX; i++)
		if (e->exe[i / 64] & (1ULL << (i % 64)))
			tp->exe[tp->n_exe++] = i;
	return 0;
}

int sk_pathrec_to_trace(const struct sk_pathrec *pr, struct sk_trace *t)
{
	t->paths = calloc(pr->n + 1, sizeof(*t->paths));
	t->ports = calloc(pr->n_ports + 1, sizeof(*t->ports));
	if (!t->paths || !t->ports)
		return -ENOMEM;
	t->has_paths = true;
	t->paths_unbounded = pr->unbounded || pr->ports_unbounded;
	for (size_t i = 0; i < pr->n; i++) {
		struct sk_trace_path *tp = &t->paths[t->n_paths];

		tp->path = strndup(pr->arena + pr->e[i].off, pr->e[i].len);
		if (!tp->path)
			return -ENOMEM;
		t->n_paths++;
		tp->access = pr->e[i].access;
		tp->kind = (enum sk_path_kind)pr->e[i].kind;
		tp->count = pr->e[i].count;
		if (fill_exe(tp, &pr->e[i]))
			return -ENOMEM;
	}
	for (size_t i = 0; i < pr->n_ports; i++) {
		t->ports[i].port = pr->ports[i].port;
		t->ports[i].access = pr->ports[i].access;
		t->ports[i].count = pr->ports[i].count;
	}
	t->n_ports = pr->n_ports;
	sk_trace_paths_sort(t);
	return 0;
}

int sk_pathrec_notify_filter(const struct sock_fprog *in, struct sock_fprog *out)
{
	uint32_t arch = sk_arch_native();
	const struct sk_pathspec *tab;
	unsigned n_tab, n = 0;
	struct sock_filter *f;
	int nrs[64];

	tab = sk_pathspec_table(&n_tab);
	for (unsigned i = 0; i < n_tab && n < 64; i++) {
		int nr = sk_syscall_nr(arch, tab[i].name);

		/* Looks need no Landlock right: not worth a notification. */
		if (nr >= 0 && tab[i].op != SK_PO_LOOK)
			nrs[n++] = nr;
	}
	f = calloc(n + 5 + in->len, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, arch));
	f[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, n + 3);
	f[2] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < n; i++)
		f[3 + i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							(uint32_t)nrs[i], n - i, 0);
	f[n + 3] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 1);
	f[n + 4] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	memcpy(f + n + 5, in->filter, in->len * sizeof(*f));
	out->filter = f;
	out->len = (unsigned short)(n + 5 + in->len);
	return 0;
}
