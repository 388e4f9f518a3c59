/* SPDX-License-Identifier: MIT */
/*
 * The compiled filter, as the kernel sees it (filter.h): export to BPF,
 * count instructions, and run the program on one call.  Running the very
 * program that would be loaded is how scmp-apply checks that the profile
 * lets it execve, and how tests check a filter without loading it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/arch.h"
#include "scmpkit/filter.h"

/* Exports ctx as BPF into a fresh memfd; the fd, or a negative errno. */
static int export_fd(scmp_filter_ctx ctx)
{
	int fd = memfd_create("scmpkit-bpf", MFD_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = seccomp_export_bpf(ctx, fd);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

long sk_filter_insns(scmp_filter_ctx ctx)
{
	struct stat st;
	int fd = export_fd(ctx);
	long n;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return (long)(st.st_size / (off_t)sizeof(struct sock_filter));
}

int sk_filter_export(scmp_filter_ctx ctx, struct sock_fprog *prog,
		     struct sk_err *err)
{
	struct stat st;
	void *buf;
	int fd = export_fd(ctx);

	if (fd < 0)
		return sk_err_set(err, -fd, "cannot export the filter: %s",
				  strerror(-fd));
	if (fstat(fd, &st) < 0 || st.st_size == 0 ||
	    st.st_size % (off_t)sizeof(struct sock_filter) ||
	    st.st_size / (off_t)sizeof(struct sock_filter) > 65535) {
		close(fd);
		return sk_err_set(err, EIO, "the exported filter has a bad size");
	}
	buf = malloc((size_t)st.st_size);
	if (!buf || pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		free(buf);
		close(fd);
		return sk_err_set(err, EIO, "cannot read the exported filter back");
	}
	close(fd);
	prog->len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
	prog->filter = buf;
	return 0;
}

/* ALU operation op on a with operand v; false on division by zero. */
static bool alu(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: *a += v; break;
	case BPF_SUB: *a -= v; break;
	case BPF_MUL: *a *= v; break;
	case BPF_DIV: if (!v) return false; *a /= v; break;
	case BPF_MOD: if (!v) return false; *a %= v; break;
	case BPF_AND: *a &= v; break;
	case BPF_OR: *a |= v; break;
	case BPF_XOR: *a ^= v; break;
	case BPF_LSH: *a = v < 32 ? *a << v : 0; break;
	case BPF_RSH: *a = v < 32 ? *a >> v : 0; break;
	case BPF_NEG: *a = -*a; break;
	default: return false;
	}
	return true;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_JEQ: return a == v;
	case BPF_JGT: return a > v;
	case BPF_JGE: return a >= v;
	case BPF_JSET: return (a & v) != 0;
	}
	return false;
}

uint32_t sk_bpf_run(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, word;
	const unsigned char *data = (const unsigned char *)d;

	for (size_t pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		uint16_t cls = BPF_CLASS(f->code);
		uint32_t v = BPF_SRC(f->code) == BPF_X ? x : f->k;

		switch (cls) {
		case BPF_LD:
		case BPF_LDX:
			if (BPF_MODE(f->code) == BPF_ABS && BPF_SIZE(f->code) == BPF_W) {
				if (f->k % 4 || f->k > sizeof(*d) - 4)
					return SECCOMP_RET_KILL_PROCESS;
				memcpy(&word, data + f->k, 4);
			} else if (BPF_MODE(f->code) == BPF_IMM) {
				word = f->k;
			} else if (BPF_MODE(f->code) == BPF_MEM) {
				if (f->k >= BPF_MEMWORDS)
					return SECCOMP_RET_KILL_PROCESS;
				word = mem[f->k];
			} else if (BPF_MODE(f->code) == BPF_LEN) {
				word = sizeof(*d);
			} else {
				return SECCOMP_RET_KILL_PROCESS;
			}
			if (cls == BPF_LD)
				a = word;
			else
				x = word;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return SECCOMP_RET_KILL_PROCESS;
			mem[f->k] = cls == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			if (!alu(BPF_OP(f->code), &a, v))
				return SECCOMP_RET_KILL_PROCESS;
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += f->k;
			else
				pc += jump_taken(BPF_OP(f->code), a, v) ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return SECCOMP_RET_KILL_PROCESS;
		}
	}
	return SECCOMP_RET_KILL_PROCESS;
}

int sk_filter_eval(const struct sock_fprog *prog, uint32_t arch,
		   const char *name, const uint64_t *args, uint32_t *ret,
		   struct sk_err *err)
{
	struct seccomp_data d = { .arch = arch };
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	if (nr < 0)
		return sk_err_set(err, ENOENT, "\"%s\" is not a syscall on %s",
				  name, sk_arch_name(arch) ? sk_arch_name(arch) : "this arch");
	/* The kernel reports x32 as x86_64 with the x32 bit in the number. */
	if (arch == SCMP_ARCH_X32) {
		d.arch = SCMP_ARCH_X86_64;
		nr |= SK_X32_SYSCALL_BIT;
	}
	d.nr = nr;
	for (int i = 0; args && i < 6; i++)
		d.args[i] = args[i];
	*ret = sk_bpf_run(prog, &d);
	return 0;
}
