/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_ARCH_H
#define SCMPKIT_ARCH_H

#include <stddef.h>
#include <stdint.h>

/*
 * Architectures and syscall names, all through libseccomp.  An arch is its
 * SCMP_ARCH_* token (equal to the AUDIT_ARCH_* value the kernel reports in
 * seccomp_data.arch and PTRACE_GET_SYSCALL_INFO), except x32, which the
 * kernel reports as x86_64 with __X32_SYSCALL_BIT set in the number:
 * sk_arch_classify() turns that into SCMP_ARCH_X32.
 */

#define SK_X32_SYSCALL_BIT 0x40000000

/* "SCMP_ARCH_X86_64" for a token, NULL if unknown; static string. */
const char *sk_arch_name(uint32_t arch);

/* The value of ENOSYS in arch's ABI: 38 (asm-generic) except on MIPS (89)
 * and PA-RISC (251); a filter's errno answer is that arch's number. */
int sk_arch_enosys(uint32_t arch);

/*
 * Parses "SCMP_ARCH_X86_64" (also "x86_64", "x86", "i386", "x32", "aarch64"
 * and the other short names libseccomp knows); 0 or -EINVAL.
 */
int sk_arch_parse(const char *name, uint32_t *arch);

/* The arch this program runs as (libseccomp's native arch). */
uint32_t sk_arch_native(void);

/*
 * The arches a process on this host can make syscalls as, native first
 * (x86_64 host: X86_64, X86, X32).  Returns the count, fills at most max.
 */
size_t sk_arch_host(uint32_t *arches, size_t max);

/* Adjusts (arch, nr) as the kernel reported it: x86_64 + X32 bit -> X32. */
void sk_arch_classify(uint32_t *arch, int *nr);

/*
 * Syscall number of name on arch, or a negative value when this
 * libseccomp does not know it there (libseccomp's pseudo numbers for
 * multiplexed calls count as unknown).
 */
int sk_syscall_nr(uint32_t arch, const char *name);

/* Name of nr on arch into buf; 0, or -ENOENT when unknown. */
int sk_syscall_name(uint32_t arch, int nr, char *buf, size_t len);

/* True when some arch libseccomp knows has a syscall of this name. */
int sk_syscall_known_anywhere(const char *name);

/* errno name <-> value: "ENOENT" <-> 2; sk_errno_name returns NULL and
 * sk_errno_parse -EINVAL for a name it does not know. */
const char *sk_errno_name(int e);
int sk_errno_parse(const char *name);

#endif
