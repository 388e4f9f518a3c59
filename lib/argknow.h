/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_ARGKNOW_H
#define SCMPKIT_ARGKNOW_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The argument knowledge table (DESIGN.md): for each (arch, syscall), which
 * argument positions hold flag or enum values a filter can compare, and how.
 * Shared by the tracer (what to record) and the generator (what rules to
 * write).  One row per name, and per-arch exceptions where the row's
 * positions hold no value (sk_argnot_find).
 */

#define SK_ARGS_MAX 3 /* filterable positions per syscall, at most */

enum sk_argkind {
	SK_ARG_ENUM = 1, /* one value out of a set: compare with EQ */
	SK_ARG_FLAGS,    /* a bit set: compare with MASKED_EQ */
};

struct sk_argpos {
	uint8_t index;       /* argument position, 0..5 */
	enum sk_argkind kind;
	uint64_t mask;       /* bits recorded and compared; the rest are ignored */
	int is32;            /* an int-typed argument: compare the low 32 bits only */
};

struct sk_argspec {
	const char *name;    /* syscall name as libseccomp spells it */
	uint8_t n;           /* number of positions in pos[] */
	struct sk_argpos pos[SK_ARGS_MAX];
	const char *why;     /* one line for --explain */
};

/*
 * The spec of name as a syscall of arch (an SCMP_ARCH_* token): NULL when
 * the table lists none of its arguments, or when on arch its positions hold
 * no value (sk_argnot_find says why).  What the tracer records and what a
 * rule may compare on that arch.
 */
const struct sk_argspec *sk_argspec_find(uint32_t arch, const char *name);

/*
 * The table's row for name whatever the arch, or NULL: its positions,
 * kinds and masks, for decoding values and reading a union of traces.
 * Whether they mean anything on a given arch is sk_argspec_find's answer.
 */
const struct sk_argspec *sk_argspec_row(const char *name);

/* The whole table, sorted by name; *n gets its length. */
const struct sk_argspec *sk_argspec_table(unsigned *n);

/*
 * Where a syscall's argument positions hold no value a filter can compare,
 * per arch (DESIGN.md, "Argument knowledge").
 */
enum sk_argnot_kind {
	/* The arguments are in memory behind a pointer, or the positions the
	 * table names hold something else on this arch: i386's old mmap. */
	SK_ARGNOT_POINTER = 1,
	/* libseccomp multiplexes the name on this arch: a rule on it is also
	 * put on socketcall (or ipc) with arg 0 replaced by the call number
	 * and the other comparisons made on the multiplexer's own arguments,
	 * a pointer to the real ones and registers it never reads. */
	SK_ARGNOT_MUX,
};

struct sk_argnot {
	enum sk_argnot_kind kind;
	const char *mux;      /* SK_ARGNOT_MUX: "socketcall" or "ipc" */
	unsigned call;        /* SK_ARGNOT_MUX: the multiplexer's arg 0 (SYS_SOCKET, SEMOP...) */
	const char *callname; /* SK_ARGNOT_MUX: "SYS_SOCKET", "SEMOP"... */
	const char *why;      /* one phrase for --explain ("the old mmap: ...") */
};

/*
 * 0 with *out filled (static strings) when name's arguments hold no
 * comparable value on arch, for any name, listed in the table or not;
 * -ENOENT when they do or the table does not know.
 */
int sk_argnot_find(uint32_t arch, const char *name, struct sk_argnot *out);

/* The tables behind sk_argnot_find, for their tests: the arches where
 * libseccomp multiplexes (sorted by name), the multiplexed names (sorted),
 * the (name, arch) pairs whose arguments are behind a pointer (sorted by
 * name, then arch token). */
struct sk_argmux {
	const char *name;
	const char *mux;
	unsigned call;
	const char *callname;
};
struct sk_argptr {
	const char *name;
	uint32_t arch;
	const char *why;
};
const uint32_t *sk_argnot_mux_arches(unsigned *n);
const struct sk_argmux *sk_argnot_mux_table(unsigned *n);
const struct sk_argptr *sk_argnot_ptr_table(unsigned *n);

/*
 * What the generator knows of a name beyond its positions (argknow.c),
 * each table sorted by name: why recorded values make no rule
 * (sk_argknow_unfiltered), why a call deserves a warning in --explain
 * (sk_argknow_risky).  A phrase, or NULL when the table does not list name.
 */
struct sk_callnote {
	const char *name;
	const char *why;
};
const char *sk_argknow_unfiltered(const char *name);
const char *sk_argknow_risky(const char *name);
const struct sk_callnote *sk_argknow_unfiltered_table(unsigned *n);
const struct sk_callnote *sk_argknow_risky_table(unsigned *n);

/* The io_uring calls (their operations bypass seccomp), sorted; *n gets
 * the count.  sk_argknow_is_io_uring: whether name is one. */
const char *const *sk_argknow_io_uring(unsigned *n);
bool sk_argknow_is_io_uring(const char *name);

/* The multiplexers (socketcall, ipc): arg 0 picks an operation whose own
 * arguments are behind a pointer.  The phrase, or NULL; the table sorted. */
const char *sk_argknow_multiplexer(const char *name);
const struct sk_callnote *sk_argknow_multiplexer_table(unsigned *n);

/* A call whose listed position is a mapping's protection (mmap, mprotect):
 * the position and the bits W^X keeps apart (PROT_WRITE, PROT_EXEC).
 * NULL when name is not one; the table sorted by name. */
struct sk_wxpos {
	const char *name;
	unsigned index;
	uint64_t write, exec;
};
const struct sk_wxpos *sk_argknow_wx(const char *name);
const struct sk_wxpos *sk_argknow_wx_table(unsigned *n);

/* The calls that set a signal's handler, the signal in arg 0, sorted. */
const char *const *sk_argknow_sighandler(unsigned *n);

/* The calls that send a signal, with the signal's position, sorted by
 * name; reraise: what a program re-raises a handled signal with even when
 * the trace never saw the call (raise() is tgkill, kill(getpid()) kill). */
struct sk_sigsend {
	const char *name;
	unsigned index;
	bool reraise;
};
const struct sk_sigsend *sk_argknow_sigsend(unsigned *n);

/* The signals a handler may re-raise to end or stop the process (default
 * action terminate, core or stop); never SIGKILL, SIGSTOP, the ignored
 * ones, glibc's internal 32 and 33, or real-time ones.  Sorted by number. */
struct sk_signote {
	unsigned sig;
	const char *name;
};
bool sk_argknow_reraise(unsigned sig);
const struct sk_signote *sk_argknow_reraise_table(unsigned *n);

/*
 * A family (DESIGN.md, "Families"): calls that do the same thing for a
 * program (read, readv, pread64...), with the reason they are one.  A
 * call is in one family at most: sk_argknow_family gives it, or NULL.
 * The table is sorted by name, each family's members too.
 */
struct sk_family {
	const char *name;
	const char *const *members;
	unsigned n;
	const char *why;
};
const struct sk_family *sk_argknow_family(const char *call);
const struct sk_family *sk_argknow_family_table(unsigned *n);

/*
 * Symbolic name for a value of an argument ("AF_INET", "TCGETS",
 * "CLONE_VM|CLONE_FS|0x100000") into buf; returns 0, or -ENOENT when the
 * table has no names for it (buf then holds the number in hex).
 */
int sk_arg_decode(const char *syscall, unsigned index, uint64_t value,
		  char *buf, unsigned len);

#endif
