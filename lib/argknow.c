/* SPDX-License-Identifier: MIT */
/*
 * The argument knowledge table (argknow.h, DESIGN.md).  Pointers, lengths,
 * fds and addresses are never listed: only flags, commands and enums whose
 * values a BPF filter can compare usefully.
 */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "scmpkit/argknow.h"

#define ALL ~0ULL
/* Low bits of socket types that vary from call to call and say nothing. */
#define SOCK_TYPE_MASK (0xffffffffULL & ~(unsigned long long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
/* What open flags say about writing: access mode, create, truncate, append. */
#define OPEN_MASK (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)

#define ENUM32(i) { .index = (i), .kind = SK_ARG_ENUM, .mask = 0xffffffffULL, .is32 = 1 }
#define ENUM64(i) { .index = (i), .kind = SK_ARG_ENUM, .mask = ALL, .is32 = 0 }
#define FLAGS32(i, m) { .index = (i), .kind = SK_ARG_FLAGS, .mask = (m), .is32 = 1 }
#define FLAGS64(i, m) { .index = (i), .kind = SK_ARG_FLAGS, .mask = (m), .is32 = 0 }

/* Sorted by name (a unit test checks it); every name is known to libseccomp. */
static const struct sk_argspec table[] = {
	{ .name = "arch_prctl", .n = 1, .pos = { ENUM32(0) }, .why = "code" },
	{ .name = "bpf", .n = 1, .pos = { ENUM32(0) }, .why = "cmd" },
	/* clone's flags come first on x86 and arm; s390 swaps the first two. */
	{ .name = "clone", .n = 1, .pos = { FLAGS64(0, ALL) }, .why = "flags" },
	{ .name = "fcntl", .n = 1, .pos = { ENUM32(1) }, .why = "cmd" },
	{ .name = "fcntl64", .n = 1, .pos = { ENUM32(1) }, .why = "cmd" },
	{ .name = "futex", .n = 1, .pos = { ENUM32(1) }, .why = "op" },
	{ .name = "getsockopt", .n = 2, .pos = { ENUM32(1), ENUM32(2) }, .why = "level, optname" },
	{ .name = "ioctl", .n = 1, .pos = { ENUM32(1) }, .why = "request" },
	{ .name = "keyctl", .n = 1, .pos = { ENUM32(0) }, .why = "operation" },
	{ .name = "kill", .n = 1, .pos = { ENUM32(1) }, .why = "signal" },
	{ .name = "madvise", .n = 1, .pos = { ENUM32(2) }, .why = "advice" },
	{ .name = "mmap", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "mmap2", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "mprotect", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "open", .n = 1, .pos = { FLAGS32(1, OPEN_MASK) }, .why = "access mode and O_CREAT/O_TRUNC/O_APPEND" },
	{ .name = "openat", .n = 1, .pos = { FLAGS32(2, OPEN_MASK) }, .why = "access mode and O_CREAT/O_TRUNC/O_APPEND" },
	{ .name = "personality", .n = 1, .pos = { ENUM32(0) }, .why = "persona" },
	{ .name = "pkey_mprotect", .n = 1, .pos = { FLAGS32(2, 0x7) }, .why = "prot (W^X)" },
	{ .name = "prctl", .n = 1, .pos = { ENUM32(0) }, .why = "option" },
	{ .name = "ptrace", .n = 1, .pos = { ENUM32(0) }, .why = "request" },
	{ .name = "seccomp", .n = 1, .pos = { ENUM32(0) }, .why = "operation" },
	{ .name = "setns", .n = 1, .pos = { FLAGS32(1, 0xffffffffULL) }, .why = "namespace type" },
	{ .name = "setsockopt", .n = 2, .pos = { ENUM32(1), ENUM32(2) }, .why = "level, optname" },
	{ .name = "socket", .n = 3, .pos = { ENUM32(0), { .index = 1, .kind = SK_ARG_ENUM, .mask = SOCK_TYPE_MASK, .is32 = 1 }, ENUM32(2) }, .why = "domain, type, protocol" },
	{ .name = "socketcall", .n = 1, .pos = { ENUM32(0) }, .why = "call" },
	{ .name = "socketpair", .n = 2, .pos = { ENUM32(0), { .index = 1, .kind = SK_ARG_ENUM, .mask = SOCK_TYPE_MASK, .is32 = 1 } }, .why = "domain, type" },
	{ .name = "tgkill", .n = 1, .pos = { ENUM32(2) }, .why = "signal" },
	{ .name = "tkill", .n = 1, .pos = { ENUM32(1) }, .why = "signal" },
	{ .name = "unshare", .n = 1, .pos = { FLAGS32(0, 0xffffffffULL) }, .why = "namespace flags" },
};

#define N_TABLE (sizeof(table) / sizeof(table[0]))

const struct sk_argspec *sk_argspec_find(const char *name)
{
	size_t lo = 0, hi = N_TABLE;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, table[mid].name);

		if (!c)
			return &table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct sk_argspec *sk_argspec_table(unsigned *n)
{
	*n = N_TABLE;
	return table;
}
