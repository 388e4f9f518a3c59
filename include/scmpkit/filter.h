/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_FILTER_H
#define SCMPKIT_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <seccomp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "scmpkit/err.h"
#include "scmpkit/profile.h"

/*
 * Building a libseccomp filter from a profile.  Pure: nothing is loaded
 * here, so tests can export the result as PFC and compare.
 */

struct sk_filter_opts {
	bool override_default;     /* use default_action below instead of the profile's */
	enum sk_action default_action;
	unsigned default_errno;
	bool strict;               /* any unknown syscall name is an error */
	bool log;                  /* SECCOMP_FILTER_FLAG_LOG */
	bool notify_default;       /* baseline/complain: default action NOTIFY */
	uint64_t caps_effective;   /* bit n = capability n, for includes/excludes */
	unsigned kernel_major, kernel_minor; /* for minKernel; 0.0 = unknown */
};

/* Fills opts from the running process (capabilities, uname). */
void sk_filter_opts_from_host(struct sk_filter_opts *opts);

/*
 * Builds the filter: arches first, then rules in priority order (first rule
 * highest), bad-arch action kill-process, binary-tree optimisation where the
 * library has it.  Warnings (names skipped) go to warn.  0 with *out set (free
 * with seccomp_release), or a negative errno with err filled.
 */
int sk_filter_build(const struct sk_profile *p,
		    const struct sk_filter_opts *opts, scmp_filter_ctx *out,
		    struct sk_warn *warn, struct sk_err *err);

/*
 * The one count of a profile every tool prints: distinct syscall names in
 * its allow rules (those active here with fo, every rule with fo NULL);
 * a name in several rules (one per argument value) counts once.
 * 0 with *n set, or -ENOMEM.
 */
int sk_filter_allowed_names(const struct sk_profile *p, const struct sk_filter_opts *fo,
			    size_t *n);

/*
 * Whether rule r applies here: its includes/excludes (caps, arches against
 * the native arch, minKernel) read as Docker reads them.
 */
bool sk_filter_rule_active(const struct sk_rule *r,
			   const struct sk_filter_opts *opts);

/* Number of BPF instructions the filter compiles to, or a negative errno. */
long sk_filter_insns(scmp_filter_ctx ctx);

/* "SCMP_ACT_ERRNO" for a libseccomp action value (its data ignored). */
const char *sk_filter_action_name(uint32_t action);

/*
 * Compiles ctx to the BPF program the kernel would get.  0 with
 * prog->filter allocated (free() it), or a negative errno with err filled.
 */
int sk_filter_export(scmp_filter_ctx ctx, struct sock_fprog *prog,
		     struct sk_err *err);

/*
 * Runs a seccomp BPF program on one call as the kernel does and returns its
 * SECCOMP_RET_* value (action and data); an invalid program (a jump out of
 * range, a load past seccomp_data, no return) returns SECCOMP_RET_KILL_PROCESS.
 */
uint32_t sk_cbpf_eval(const struct sock_fprog *prog, const struct seccomp_data *d);

/*
 * What the filter does with syscall name on arch with these arguments
 * (NULL = all zero): the SECCOMP_RET_* value, via sk_cbpf_eval on the
 * exported program.  0 with *ret set, -ENOENT if name is unknown on arch,
 * or another negative errno with err filled.
 */
int sk_filter_eval(const struct sock_fprog *prog, uint32_t arch,
		   const char *name, const uint64_t *args, uint32_t *ret,
		   struct sk_err *err);

/* What a filter does with one call over every value of its arguments. */
#define SK_EVAL_RETS_MAX 16
struct sk_eval_all {
	uint32_t rets[SK_EVAL_RETS_MAX]; /* the SECCOMP_RET_* values some
					  * arguments reach, in the order found */
	size_t n;
	bool reads_args;  /* some path compares an argument */
	bool incomplete;  /* too many paths, or a computed result: any
			   * outcome is possible, rets are only some */
};

/*
 * Runs the program for syscall name on arch with the arguments unknown,
 * except args[i] for each bit i of known (args may be NULL: none known):
 * every outcome that some values of the others reach (an over-approximation
 * only where the filter computes on an argument, e.g. a masked compare).
 * For scmp-apply, which knows an exec's flags but, under --check, not its
 * pointers.  0 with *out filled, or -ENOENT if name is unknown on arch.
 */
int sk_filter_eval_all(const struct sock_fprog *prog, uint32_t arch,
		       const char *name, const uint64_t *args, unsigned known,
		       struct sk_eval_all *out, struct sk_err *err);

/*
 * As sk_filter_eval_all for syscall number nr on arch as libseccomp (and a
 * trace) numbers it, for a call whose name this libseccomp does not know.
 */
void sk_filter_eval_all_nr(const struct sock_fprog *prog, uint32_t arch, int nr,
			   const uint64_t *args, unsigned known,
			   struct sk_eval_all *out);

#endif
