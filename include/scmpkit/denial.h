/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_DENIAL_H
#define SCMPKIT_DENIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/filter.h"
#include "scmpkit/judge.h"
#include "scmpkit/profile.h"

/*
 * The words for a denied call, as scmp-apply --report prints them:
 *
 *   denied clone(flags=CLONE_VM|CLONE_FS|...) [x86_64] by /usr/bin/redis-server
 *   (pid 812): not in allow.json; process killed (kill-process)
 *
 * The call with the flag and enum arguments the knowledge table lists,
 * decoded (AF_INET, O_WRONLY|O_CREAT), why the profile does not allow it
 * (not listed, the rule that came closest, a rule that denies it, an
 * architecture it does not cover) and what was done.  Pure: every function
 * writes into buf (always NUL-terminated, cut when too small); strings
 * from input (the profile's name) are raw, for the printer to escape.
 */

/*
 * "clone(flags=CLONE_VM|SIGCHLD)", or the name alone when the table lists
 * none of its arguments on that arch, or "syscall 451" when libseccomp
 * does not know the number.  arch and nr as the kernel reported them.
 */
void sk_denial_call(uint32_t arch, int nr, const uint64_t args[6], char *buf,
		    size_t len);

/*
 * The same for one tuple of a trace entry: the (masked) values at the
 * positions argidx.
 */
void sk_denial_tuple(const char *name, unsigned n_argidx, const unsigned *argidx,
		     const uint64_t *tuple, char *buf, size_t len);

/*
 * One comparison of a rule, in the words of sk_denial_reason: "flags & 0x643
 * == O_RDONLY", "domain == AF_INET", "arg3 > 0x10" (values decoded as the
 * knowledge table names them for syscall name).
 */
void sk_denial_cond(const char *name, const struct sk_rule_arg *a, char *buf,
		    size_t len);

/* "x86_64" for SCMP_ARCH_X86_64, "x32" for SCMP_ARCH_X32 (sk_arch_classify's). */
void sk_denial_arch(uint32_t arch, char *buf, size_t len);

/*
 * Why p (whose filter covers the call's arch when arch_covered) does not
 * simply allow the call: "the architecture x86 is not in allow.json",
 * "not in allow.json", "allow.json syscalls[3] allows openat only when
 * flags & 0x643 == O_RDONLY; here flags=O_WRONLY|O_CREAT" (the rule that
 * came closest: most of its conditions hold), "allow.json syscalls[5]
 * denies it (SCMP_ACT_ERRNO)", "allow.json syscalls[2] logs it".  The
 * rules are read as sk_filter_build orders them (the first listed wins).
 */
void sk_denial_reason(const struct sk_profile *p, const struct sk_filter_opts *fo,
		      bool arch_covered, uint32_t arch, int nr,
		      const uint64_t args[6], char *buf, size_t len);

/*
 * What was done: "process killed (kill-process)" ("process tree killed"
 * when tree), "failed with EPERM (errno)", "SIGSYS sent (trap)",
 * "continued (log)".
 */
void sk_denial_done(const struct sk_verdict *v, bool tree, char *buf, size_t len);

/* The name of a knowledge-table argument ("flags" for clone's arg 0), or NULL. */
const char *sk_denial_argname(const char *syscall, unsigned index);

/* The table behind sk_denial_argname, sorted by syscall then index, for its test. */
struct sk_argname {
	const char *syscall;
	unsigned index;
	const char *name;
};
const struct sk_argname *sk_denial_argnames(size_t *n);

#endif
