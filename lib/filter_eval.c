/* SPDX-License-Identifier: MIT */
/*
 * The compiled filter, as the kernel sees it (filter.h): export to BPF,
 * count instructions, and run the program on one call.  Running the very
 * program that would be loaded is how scmp-apply checks that the profile
 * lets it execve, and how tests check a filter without loading it.
 */
#include <errno.h>
#include <stdbool.h>
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

/* What a load (LD, LDX) of f reads into *out: a word of d, the constant,
 * scratch memory or d's length; false for a load the kernel refuses. */
static bool cbpf_load(const struct sock_filter *f, const struct seccomp_data *d,
		      const uint32_t *mem, uint32_t *out)
{
	switch (BPF_MODE(f->code)) {
	case BPF_ABS:
		if (BPF_SIZE(f->code) != BPF_W || f->k % 4 || f->k > sizeof(*d) - 4)
			return false;
		memcpy(out, (const unsigned char *)d + f->k, 4);
		return true;
	case BPF_IMM:
		*out = f->k;
		return true;
	case BPF_MEM:
		if (f->k >= BPF_MEMWORDS)
			return false;
		*out = mem[f->k];
		return true;
	case BPF_LEN:
		*out = sizeof(*d);
		return true;
	}
	return false;
}

uint32_t sk_cbpf_eval(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, word;

	for (size_t pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		uint16_t cls = BPF_CLASS(f->code);
		uint32_t v = BPF_SRC(f->code) == BPF_X ? x : f->k;

		switch (cls) {
		case BPF_LD:
		case BPF_LDX:
			if (!cbpf_load(f, d, mem, &word))
				return SECCOMP_RET_KILL_PROCESS;
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

/* The seccomp_data of syscall nr on arch (as libseccomp numbers it),
 * arguments zero. */
static void nr_data(uint32_t arch, int nr, struct seccomp_data *d)
{
	memset(d, 0, sizeof(*d));
	d->arch = arch;
	/* The kernel reports x32 as x86_64 with the x32 bit in the number. */
	if (arch == SCMP_ARCH_X32) {
		d->arch = SCMP_ARCH_X86_64;
		nr |= SK_X32_SYSCALL_BIT;
	}
	d->nr = nr;
}

/* The seccomp_data of syscall name on arch, arguments zero; 0 or -ENOENT. */
static int call_data(uint32_t arch, const char *name, struct seccomp_data *d,
		     struct sk_err *err)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	if (nr < 0)
		return sk_err_set(err, ENOENT, "\"%s\" is not a syscall on %s",
				  name, sk_arch_name(arch) ? sk_arch_name(arch) : "this arch");
	nr_data(arch, nr, d);
	return 0;
}

int sk_filter_eval(const struct sock_fprog *prog, uint32_t arch,
		   const char *name, const uint64_t *args, uint32_t *ret,
		   struct sk_err *err)
{
	struct seccomp_data d;
	int r = call_data(arch, name, &d, err);

	if (r)
		return r;
	for (int i = 0; args && i < 6; i++)
		d.args[i] = args[i];
	*ret = sk_cbpf_eval(prog, &d);
	return 0;
}

/*
 * Every argument value at once.  The program is run on registers that hold
 * a constant, a raw 32-bit argument word (as the kernel's loads read them)
 * or anything; a jump on an argument word follows both ways, each way only
 * while the comparisons that path made on that word still leave it some
 * value (equal to, not equal to, within bounds).  libseccomp compares each
 * argument as words against constants, so what a path allows is tracked
 * exactly there; anything else (a masked compare, a computed value) follows
 * both ways, which can only add outcomes, never hide one.
 */

#define N_WORDS 12  /* args[6], two 32-bit words each */
#define N_NE 8
#define MAX_BRANCHES 64
#define MAX_STEPS 200000UL

struct word_facts {
	bool has_eq;
	uint32_t eq, lo, hi;
	uint32_t ne[N_NE]; /* past N_NE, forgotten: more paths, never fewer */
	unsigned n_ne;
};

struct aval {
	enum { AV_CONST, AV_WORD, AV_ANY } kind;
	uint32_t v; /* the constant, or the word's index */
};

struct astate {
	size_t pc;
	struct aval a, x, mem[BPF_MEMWORDS];
	struct word_facts w[N_WORDS];
};

struct explore {
	const struct sock_fprog *prog;
	const struct seccomp_data *d; /* nr, arch and the known arguments */
	unsigned known;               /* bit i: args[i] is d->args[i] */
	struct sk_eval_all *out;
	unsigned long steps;
	unsigned depth;
};

static void outcome(struct sk_eval_all *out, uint32_t ret)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->rets[i] == ret)
			return;
	if (out->n == SK_EVAL_RETS_MAX)
		out->incomplete = true;
	else
		out->rets[out->n++] = ret;
}

/* Whether some value satisfies every fact. */
static bool facts_ok(const struct word_facts *f)
{
	if (f->lo > f->hi)
		return false;
	if (f->has_eq && (f->eq < f->lo || f->eq > f->hi))
		return false;
	for (unsigned i = 0; i < f->n_ne; i++)
		if ((f->has_eq && f->ne[i] == f->eq) ||
		    (f->lo == f->hi && f->ne[i] == f->lo))
			return false;
	return true;
}

/* Adds "word OP k" (or its negation when !taken); false if nothing is left. */
static bool narrow(struct word_facts *f, uint16_t op, uint32_t k, bool taken)
{
	switch (op) {
	case BPF_JEQ:
		if (taken) {
			if (f->has_eq && f->eq != k)
				return false;
			f->has_eq = true;
			f->eq = k;
		} else if (f->n_ne < N_NE) {
			f->ne[f->n_ne++] = k;
		}
		break;
	case BPF_JGT:
		if (taken && k == UINT32_MAX)
			return false;
		if (taken && f->lo < k + 1)
			f->lo = k + 1;
		if (!taken && f->hi > k)
			f->hi = k;
		break;
	case BPF_JGE:
		if (!taken && !k)
			return false;
		if (taken && f->lo < k)
			f->lo = k;
		if (!taken && f->hi > k - 1)
			f->hi = k - 1;
		break;
	case BPF_JSET:
		if (f->has_eq)
			return ((f->eq & k) != 0) == taken;
		if (taken && !k)
			return false;
		break;
	}
	return facts_ok(f);
}

/* A 32-bit load from seccomp_data at off; false when the kernel refuses it. */
static bool load_word(struct explore *e, uint32_t off, struct aval *v)
{
	if (off % 4 || off > sizeof(struct seccomp_data) - 4)
		return false;
	if (off == offsetof(struct seccomp_data, nr)) {
		*v = (struct aval){ AV_CONST, (uint32_t)e->d->nr };
	} else if (off == offsetof(struct seccomp_data, arch)) {
		*v = (struct aval){ AV_CONST, e->d->arch };
	} else if (off >= offsetof(struct seccomp_data, args)) {
		uint32_t word = (off - offsetof(struct seccomp_data, args)) / 4;

		if (e->known & (1U << (word / 2))) {
			memcpy(&v->v, (const char *)e->d + off, 4);
			v->kind = AV_CONST;
		} else {
			*v = (struct aval){ AV_WORD, word };
			e->out->reads_args = true;
		}
	} else {
		*v = (struct aval){ AV_ANY, 0 }; /* instruction_pointer */
	}
	return true;
}

static void explore(struct explore *e, struct astate *st);

/* A conditional jump at st->pc: follows each way that some value takes. */
static bool jump(struct explore *e, struct astate *st,
		 const struct sock_filter *f)
{
	uint16_t op = BPF_OP(f->code);
	struct aval v = BPF_SRC(f->code) == BPF_X ? st->x :
			(struct aval){ AV_CONST, f->k };
	size_t base = st->pc + 1;
	struct astate t;

	if (st->a.kind == AV_CONST && v.kind == AV_CONST) {
		st->pc = base + (jump_taken(op, st->a.v, v.v) ? f->jt : f->jf) - 1;
		return true;
	}
	t = *st;
	t.pc = base + f->jt;
	if (st->a.kind == AV_WORD && v.kind == AV_CONST) {
		if (narrow(&t.w[st->a.v], op, v.v, true))
			explore(e, &t);
		if (!narrow(&st->w[st->a.v], op, v.v, false))
			return false;
	} else {
		explore(e, &t);
	}
	st->pc = base + f->jf - 1;
	return true;
}

/* What a load (LD, LDX) of f reads into *w, as cbpf_load does with values
 * that may be unknown; false for a load the kernel refuses. */
static bool aload(struct explore *e, const struct astate *st,
		  const struct sock_filter *f, struct aval *w)
{
	switch (BPF_MODE(f->code)) {
	case BPF_ABS:
		return BPF_SIZE(f->code) == BPF_W && load_word(e, f->k, w);
	case BPF_IMM:
		*w = (struct aval){ AV_CONST, f->k };
		return true;
	case BPF_MEM:
		if (f->k >= BPF_MEMWORDS)
			return false;
		*w = st->mem[f->k];
		return true;
	case BPF_LEN:
		*w = (struct aval){ AV_CONST, sizeof(struct seccomp_data) };
		return true;
	}
	return false;
}

/* One instruction; false when the path ends (a return, or a fault). */
static bool astep(struct explore *e, struct astate *st)
{
	const struct sock_filter *f = &e->prog->filter[st->pc];
	uint16_t cls = BPF_CLASS(f->code);
	struct aval w;

	switch (cls) {
	case BPF_LD:
	case BPF_LDX:
		if (!aload(e, st, f, &w))
			break;
		*(cls == BPF_LD ? &st->a : &st->x) = w;
		return true;
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPF_MEMWORDS)
			break;
		st->mem[f->k] = cls == BPF_ST ? st->a : st->x;
		return true;
	case BPF_ALU: {
		struct aval v = BPF_SRC(f->code) == BPF_X ? st->x :
				(struct aval){ AV_CONST, f->k };

		if (st->a.kind == AV_CONST && v.kind == AV_CONST) {
			if (!alu(BPF_OP(f->code), &st->a.v, v.v))
				break;
		} else {
			st->a = (struct aval){ AV_ANY, 0 };
		}
		return true;
	}
	case BPF_JMP:
		if (BPF_OP(f->code) == BPF_JA) {
			st->pc += f->k;
			return true;
		}
		return jump(e, st, f);
	case BPF_RET:
		if (BPF_RVAL(f->code) != BPF_A)
			outcome(e->out, f->k);
		else if (st->a.kind == AV_CONST)
			outcome(e->out, st->a.v);
		else
			e->out->incomplete = true;
		return false;
	case BPF_MISC:
		if (BPF_MISCOP(f->code) == BPF_TAX)
			st->x = st->a;
		else
			st->a = st->x;
		return true;
	}
	outcome(e->out, SECCOMP_RET_KILL_PROCESS);
	return false;
}

static void explore(struct explore *e, struct astate *st)
{
	if (++e->depth > MAX_BRANCHES) {
		e->out->incomplete = true;
		e->depth--;
		return;
	}
	for (;;) {
		if (st->pc >= e->prog->len) {
			outcome(e->out, SECCOMP_RET_KILL_PROCESS);
			break;
		}
		if (++e->steps > MAX_STEPS) {
			e->out->incomplete = true;
			break;
		}
		if (!astep(e, st))
			break;
		st->pc++;
	}
	e->depth--;
}

/* Explores the program on d, whose args[i] are known for each bit i of known. */
static void eval_all(const struct sock_fprog *prog, struct seccomp_data *d,
		     const uint64_t *args, unsigned known, struct sk_eval_all *out)
{
	struct explore e = { .prog = prog, .d = d, .out = out,
			     .known = args ? known : 0 };
	struct astate st;

	for (int i = 0; args && i < 6; i++)
		d->args[i] = args[i];
	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < N_WORDS; i++)
		st.w[i].hi = UINT32_MAX;
	explore(&e, &st);
}

void sk_filter_eval_all_nr(const struct sock_fprog *prog, uint32_t arch, int nr,
			   const uint64_t *args, unsigned known,
			   struct sk_eval_all *out)
{
	struct seccomp_data d;

	nr_data(arch, nr, &d);
	eval_all(prog, &d, args, known, out);
}

int sk_filter_eval_all(const struct sock_fprog *prog, uint32_t arch,
		       const char *name, const uint64_t *args, unsigned known,
		       struct sk_eval_all *out, struct sk_err *err)
{
	struct seccomp_data d;
	int r = call_data(arch, name, &d, err);

	if (r)
		return r;
	eval_all(prog, &d, args, known, out);
	return 0;
}
