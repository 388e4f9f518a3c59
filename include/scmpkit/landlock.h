/* SPDX-License-Identifier: MIT */
#ifndef SCMPKIT_LANDLOCK_H
#define SCMPKIT_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scmpkit/err.h"

/*
 * A Landlock ruleset ("format": "scmpkit-landlock", version 1; README,
 * Formats): the files and TCP ports a program may use, as scmp-gen
 * --landlock writes it and scmp-apply --landlock loads it.  Parsing,
 * validation and the choice of what an ABI can enforce are pure
 * (landlock.c); the kernel calls are in landlock_sys.c.
 */

#define SK_LANDLOCK_FORMAT "scmpkit-landlock"
#define SK_LANDLOCK_VERSION 1

/* Access rights: the kernel's LANDLOCK_ACCESS_FS_* and _NET_* bits (the
 * values are its ABI), named here because libc headers lag behind. */
#define SK_LL_FS_EXECUTE     (1ULL << 0)
#define SK_LL_FS_WRITE_FILE  (1ULL << 1)
#define SK_LL_FS_READ_FILE   (1ULL << 2)
#define SK_LL_FS_READ_DIR    (1ULL << 3)
#define SK_LL_FS_REMOVE_DIR  (1ULL << 4)
#define SK_LL_FS_REMOVE_FILE (1ULL << 5)
#define SK_LL_FS_MAKE_CHAR   (1ULL << 6)
#define SK_LL_FS_MAKE_DIR    (1ULL << 7)
#define SK_LL_FS_MAKE_REG    (1ULL << 8)
#define SK_LL_FS_MAKE_SOCK   (1ULL << 9)
#define SK_LL_FS_MAKE_FIFO   (1ULL << 10)
#define SK_LL_FS_MAKE_BLOCK  (1ULL << 11)
#define SK_LL_FS_MAKE_SYM    (1ULL << 12)
#define SK_LL_FS_REFER       (1ULL << 13)   /* ABI 2 */
#define SK_LL_FS_TRUNCATE    (1ULL << 14)   /* ABI 3 */
#define SK_LL_FS_IOCTL_DEV   (1ULL << 15)   /* ABI 5 */
#define SK_LL_NET_BIND_TCP    (1ULL << 0)   /* ABI 4 */
#define SK_LL_NET_CONNECT_TCP (1ULL << 1)   /* ABI 4 */

/* The rights a rule on a file (not a directory) can hold. */
#define SK_LL_FS_FILE (SK_LL_FS_EXECUTE | SK_LL_FS_WRITE_FILE | SK_LL_FS_READ_FILE | \
		       SK_LL_FS_TRUNCATE | SK_LL_FS_IOCTL_DEV)
/* The rights checked on the directory an entry is made in or removed from. */
#define SK_LL_FS_PARENT (SK_LL_FS_REMOVE_DIR | SK_LL_FS_REMOVE_FILE | SK_LL_FS_MAKE_CHAR | \
			 SK_LL_FS_MAKE_DIR | SK_LL_FS_MAKE_REG | SK_LL_FS_MAKE_SOCK | \
			 SK_LL_FS_MAKE_FIFO | SK_LL_FS_MAKE_BLOCK | SK_LL_FS_MAKE_SYM | \
			 SK_LL_FS_REFER)

#define SK_LL_ABI_MAX 7       /* the newest ABI this code knows */

struct sk_ll_path {
	char *path;          /* absolute */
	uint64_t access;     /* SK_LL_FS_* */
	char *reason;        /* why the rule is there (scmp-gen), or NULL */
};

struct sk_ll_port {
	uint16_t port;
	uint64_t access;     /* SK_LL_NET_* */
	char *reason;
};

/* A ruleset; owns every pointer in it (sk_landlock_free). */
struct sk_landlock {
	uint64_t handled_fs;  /* what the ruleset restricts: all it names by */
	uint64_t handled_net; /* default ("handled" in the file) */
	size_t n_paths;
	struct sk_ll_path *paths;
	size_t n_ports;
	struct sk_ll_port *ports;
};

/* A zeroed ruleset handling every right this code knows, or NULL. */
struct sk_landlock *sk_landlock_new(void);
void sk_landlock_free(struct sk_landlock *ll);

/*
 * Appends a rule, copying path and reason (NULL allowed); a path already
 * there gets the rights added and keeps its first reason.  0 or -ENOMEM.
 */
int sk_landlock_add_path(struct sk_landlock *ll, const char *path,
			 uint64_t access, const char *reason);
int sk_landlock_add_port(struct sk_landlock *ll, uint16_t port,
			 uint64_t access, const char *reason);

/* The directory above absolute PATH ("/" for "/x") into out (len bytes,
 * cut to fit). */
void sk_landlock_parent(const char *path, char *out, size_t len);

/*
 * Parses the JSON text of a ruleset; file names it in messages ("r.json:
 * fs[2].access[0]: unknown access right \"read\"").  0 with *out set, or
 * -EINVAL (-ENOMEM) with err filled.
 */
int sk_landlock_parse(const char *text, size_t len, const char *file,
		      struct sk_landlock **out, struct sk_err *err);

/* Reads and parses a file.  As sk_landlock_parse, or the read's errno. */
int sk_landlock_load(const char *path, struct sk_landlock **out,
		     struct sk_err *err);

/* Sorts the rules by path and by port. */
void sk_landlock_sort(struct sk_landlock *ll);

/* Serialises a ruleset (rules in their order); allocated, or NULL. */
char *sk_landlock_to_json(const struct sk_landlock *ll, const char *tool);

/*
 * The name of a single right ("read_file", "connect_tcp"), or NULL; net
 * selects the network rights.  sk_ll_access_parse is the reverse: 0 with
 * *bit set, -ENOENT for an unknown name.
 */
const char *sk_ll_access_name(uint64_t bit, bool net);
int sk_ll_access_parse(const char *name, bool net, uint64_t *bit);

/* The i-th name of the rights table (sorted), NULL past its end: tests. */
const char *sk_ll_right_at(size_t i);

/* The rights an ABI version enforces (0 for abi < 1). */
uint64_t sk_ll_abi_fs(int abi);
uint64_t sk_ll_abi_net(int abi);

/* The first ABI that enforces every right in fs (net: in net); 0: none. */
int sk_ll_abi_needed(uint64_t fs, uint64_t net);

/* What one kernel will enforce of a ruleset. */
struct sk_ll_plan {
	int abi;              /* the kernel's; <= 0 when it has no Landlock */
	uint64_t handled_fs;  /* the ruleset's, as far as abi knows them */
	uint64_t handled_net;
	bool enforce;         /* false: nothing to do (no Landlock, non-strict) */
};

/*
 * Decides what a kernel with Landlock ABI abi (<= 0: none, -abi the errno
 * why) can enforce of ll, read from file: every right the ABI lacks is a
 * warning saying so, or, with strict, an error (-EOPNOTSUPP).  Pure.
 */
int sk_landlock_plan(const struct sk_landlock *ll, const char *file, int abi,
		     bool strict, struct sk_ll_plan *plan, struct sk_warn *warn,
		     struct sk_err *err);

/*
 * The kernel's Landlock ABI version (1 and up), or a negative errno:
 * -EOPNOTSUPP (built in but disabled at boot), -ENOSYS (not built).  The
 * environment variable SCMPKIT_LANDLOCK_FAULT=absent makes it -ENOSYS,
 * =abi:N makes it N (tests of older kernels).  landlock_sys.c.
 */
int sk_landlock_abi(void);

/*
 * Loads the ruleset in file and restricts the calling thread (and what it
 * execs) to it, at the best ABI the kernel has: what cannot be enforced,
 * and rules on paths that do not exist, are warnings (errors with strict).
 * Sets no_new_privs when the kernel asks for it.  0, or a negative errno
 * with err filled (nothing restricted then).  landlock_sys.c.
 */
int sk_landlock_enforce_file(const char *file, bool strict,
			     struct sk_warn *warn, struct sk_err *err);

/*
 * The two halves of sk_landlock_enforce_file, for a supervisor whose
 * child restricts itself: the ruleset of file built (*rfd, or -1 when
 * there is nothing to enforce: no Landlock here), and, in the child,
 * the calling thread restricted to it (0 or -errno).  landlock_sys.c.
 */
int sk_landlock_prepare_file(const char *file, bool strict, int *rfd,
			     struct sk_warn *warn, struct sk_err *err);
int sk_landlock_restrict_fd(int rfd);

#endif
