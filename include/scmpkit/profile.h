/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_PROFILE_H
#define SCMPKIT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"

/*
 * An OCI / Docker seccomp profile as a plain data model: everything runc,
 * docker and podman read.  The profile owns every pointer in it.
 */

enum sk_action {
	SK_ACT_KILL_PROCESS = 1,
	SK_ACT_KILL_THREAD, /* also "SCMP_ACT_KILL", as runc reads it */
	SK_ACT_TRAP,
	SK_ACT_ERRNO,
	SK_ACT_TRACE,
	SK_ACT_ALLOW,
	SK_ACT_LOG,
	SK_ACT_NOTIFY,
	SK_ACT_KILL,        /* spelled SCMP_ACT_KILL: kill-thread semantics */
};

enum sk_op {
	SK_OP_NE = 1,
	SK_OP_LT,
	SK_OP_LE,
	SK_OP_EQ,
	SK_OP_GE,
	SK_OP_GT,
	SK_OP_MASKED_EQ,
};

struct sk_rule_arg {
	unsigned index;      /* 0..5 */
	uint64_t value;
	uint64_t value_two;  /* MASKED_EQ: value is the mask, value_two the datum */
	enum sk_op op;
};

struct sk_cond {              /* includes / excludes */
	char **caps;          /* "CAP_SYS_ADMIN" */
	size_t n_caps;
	uint32_t *arches;     /* SCMP_ARCH_* tokens */
	size_t n_arches;
	char *min_kernel;     /* "4.8", NULL when absent */
};

/* Why the generator put a rule in a profile: renderers read this, never
 * the comment's text.  A profile read from a file has SK_ORIGIN_FILE. */
enum sk_origin {
	SK_ORIGIN_FILE = 0,   /* read from a profile: not known */
	SK_ORIGIN_OBSERVED,   /* a trace saw the call */
	SK_ORIGIN_NEEDED,     /* every program needs it (exit, sigreturn, ...) */
	SK_ORIGIN_SIGNAL,     /* re-raising a signal the program handles */
	SK_ORIGIN_STATIC,     /* --static: reachable, not observed */
	SK_ORIGIN_IO_URING,   /* not observed: ENOSYS so libraries fall back */
	SK_ORIGIN_MUX,        /* not observed: a multiplexed call denied */
	SK_ORIGIN_RUNTIME,    /* the container runtime's, under the filter
	                       * before the program's execve (--runtime, or
	                       * marked so in a trace) */
	SK_ORIGIN_FAMILY,     /* not observed: a member of a traced call's
	                       * family the executables reach */
};

struct sk_rule {
	char **names;
	size_t n_names;
	enum sk_action action;
	bool has_errno;
	unsigned errno_ret;   /* ERRNO: the errno; TRACE: the message */
	size_t n_args;
	struct sk_rule_arg *args;
	char *comment;
	struct sk_cond includes;
	struct sk_cond excludes;
	char *where;          /* "syscalls[3]" for messages */
	enum sk_origin origin;
};

/* One archMap entry: the filter covers arch and its subArchitectures when
 * arch is the native one (as Docker reads archMap). */
struct sk_arch_map {
	uint32_t arch;
	uint32_t *subs;
	size_t n_subs;
};

struct sk_profile {
	char *file;           /* the name used in messages */
	enum sk_action default_action;
	bool has_default_errno;
	unsigned default_errno_ret;
	size_t n_arches;      /* architectures + archMap (with subArchitectures) */
	uint32_t *arches;
	size_t n_flags;
	char **flags;         /* "SECCOMP_FILTER_FLAG_LOG", ... */
	size_t n_rules;
	struct sk_rule *rules;
	size_t n_arch_map;    /* archMap as written; 0 when "architectures" is used */
	struct sk_arch_map *arch_map;
};

struct sk_profile *sk_profile_new(void);
void sk_profile_free(struct sk_profile *p);
/* Frees what r owns and zeroes it (r itself is the caller's). */
void sk_rule_clear(struct sk_rule *r);

/* "SCMP_ACT_ALLOW" -> SK_ACT_ALLOW; 0 if unknown.  And back (static string). */
enum sk_action sk_action_parse(const char *s);
const char *sk_action_name(enum sk_action a);
/* "SCMP_CMP_EQ" -> SK_OP_EQ; 0 if unknown.  And back. */
enum sk_op sk_op_parse(const char *s);
const char *sk_op_name(enum sk_op op);

/*
 * Parses and validates profile JSON.  file names the input in messages;
 * syntax errors give line and column, other errors the JSON path.  Unknown
 * syscall names are not checked here (see filter.h).  0 with *out set, or
 * a negative errno with err filled: -ENOEXEC when the text is no JSON at
 * all (a program given where the profile goes).
 */
int sk_profile_parse(const char *text, size_t len, const char *file,
		     struct sk_profile **out, struct sk_err *err);
int sk_profile_load(const char *path, struct sk_profile **out,
		    struct sk_err *err);

/*
 * As above, and warnings (unknown keys, which are otherwise ignored as runc
 * does) are appended to warn (may be NULL).
 */
int sk_profile_parse_warn(const char *text, size_t len, const char *file,
			  struct sk_profile **out, struct sk_warn *warn,
			  struct sk_err *err);
int sk_profile_load_warn(const char *path, struct sk_profile **out,
			 struct sk_warn *warn, struct sk_err *err);

/*
 * The spelling includes/excludes use for an arch ("amd64", "arm64", "x86",
 * as in Docker's profile), NULL if unknown; and back (also SCMP_ARCH_*).
 */
const char *sk_cond_arch_name(uint32_t arch);
int sk_cond_arch_parse(const char *name, uint32_t *arch);

/* Serialises (OCI field names, two-space indent); allocated, or NULL. */
char *sk_profile_to_json(const struct sk_profile *p);

/* Atomic write, as sk_write_atomic. */
int sk_profile_save(const struct sk_profile *p, const char *path,
		    struct sk_err *err);

#endif
