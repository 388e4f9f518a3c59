/* SPDX-License-Identifier: MIT */
/* Arches, syscall names and errno names, through libseccomp (arch.h). */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmpkit/arch.h"

struct arch_name {
	const char *token; /* OCI spelling */
	const char *shortname;
	uint32_t arch;
	int enosys; /* ENOSYS there, when not asm-generic's 38 */
};

#define ENOSYS_GENERIC 38 /* include/uapi/asm-generic/errno.h */

/* Every arch libseccomp 2.5 knows, in OCI spelling; ENOSYS is 89 on MIPS
 * (arch/mips/include/uapi/asm/errno.h) and 251 on PA-RISC
 * (arch/parisc/include/uapi/asm/errno.h). */
static const struct arch_name arches[] = {
	{ "SCMP_ARCH_X86", "x86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", "x86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", "x32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", "arm", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", "aarch64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", "mips", SCMP_ARCH_MIPS, 89 },
	{ "SCMP_ARCH_MIPS64", "mips64", SCMP_ARCH_MIPS64, 89 },
	{ "SCMP_ARCH_MIPS64N32", "mips64n32", SCMP_ARCH_MIPS64N32, 89 },
	{ "SCMP_ARCH_MIPSEL", "mipsel", SCMP_ARCH_MIPSEL, 89 },
	{ "SCMP_ARCH_MIPSEL64", "mipsel64", SCMP_ARCH_MIPSEL64, 89 },
	{ "SCMP_ARCH_MIPSEL64N32", "mipsel64n32", SCMP_ARCH_MIPSEL64N32, 89 },
	{ "SCMP_ARCH_PPC", "ppc", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", "ppc64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", "ppc64le", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", "s390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", "s390x", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", "parisc", SCMP_ARCH_PARISC, 251 },
	{ "SCMP_ARCH_PARISC64", "parisc64", SCMP_ARCH_PARISC64, 251 },
	{ "SCMP_ARCH_RISCV64", "riscv64", SCMP_ARCH_RISCV64 },
};

#define N_ARCHES (sizeof(arches) / sizeof(arches[0]))

const char *sk_arch_name(uint32_t arch)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (arches[i].arch == arch)
			return arches[i].token;
	return NULL;
}

int sk_arch_enosys(uint32_t arch)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (arches[i].arch == arch && arches[i].enosys)
			return arches[i].enosys;
	return ENOSYS_GENERIC;
}

int sk_arch_parse(const char *name, uint32_t *arch)
{
	if (!name)
		return -EINVAL;
	for (size_t i = 0; i < N_ARCHES; i++) {
		if (!strcmp(name, arches[i].token) ||
		    !strcmp(name, arches[i].shortname)) {
			*arch = arches[i].arch;
			return 0;
		}
	}
	if (!strcmp(name, "i386") || !strcmp(name, "i686")) {
		*arch = SCMP_ARCH_X86;
		return 0;
	}
	if (!strcmp(name, "amd64")) {
		*arch = SCMP_ARCH_X86_64;
		return 0;
	}
	return -EINVAL;
}

uint32_t sk_arch_native(void)
{
	return seccomp_arch_native();
}

size_t sk_arch_host(uint32_t *out, size_t max)
{
	uint32_t list[4];
	size_t n = 0;

	list[n++] = seccomp_arch_native();
	switch (list[0]) {
	case SCMP_ARCH_X86_64:
		list[n++] = SCMP_ARCH_X86;
		list[n++] = SCMP_ARCH_X32;
		break;
	case SCMP_ARCH_AARCH64:
		list[n++] = SCMP_ARCH_ARM;
		break;
	case SCMP_ARCH_S390X:
		list[n++] = SCMP_ARCH_S390;
		break;
	case SCMP_ARCH_PPC64:
		list[n++] = SCMP_ARCH_PPC;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = list[i];
	return n;
}

void sk_arch_classify(uint32_t *arch, int *nr)
{
	if (*arch == SCMP_ARCH_X86_64 && (*nr & SK_X32_SYSCALL_BIT))
		*arch = SCMP_ARCH_X32;
}

int sk_syscall_nr(uint32_t arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	return nr < 0 ? -1 : nr;
}

int sk_syscall_name(uint32_t arch, int nr, char *buf, size_t len)
{
	char *name;

	if (nr < 0)
		return -ENOENT;
	name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (!name)
		return -ENOENT;
	snprintf(buf, len, "%s", name);
	free(name);
	return 0;
}

int sk_syscall_known_anywhere(const char *name)
{
	for (size_t i = 0; i < N_ARCHES; i++)
		if (seccomp_syscall_resolve_name_arch(arches[i].arch, name) !=
		    __NR_SCMP_ERROR)
			return 1;
	return 0;
}

const char *sk_errno_name(int e)
{
	return e > 0 ? strerrorname_np(e) : NULL;
}

int sk_errno_parse(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, name))
			return e;
	}
	return -EINVAL;
}
