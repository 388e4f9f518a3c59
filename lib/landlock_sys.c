/* SPDX-License-Identifier: MIT */
/*
 * Landlock's kernel calls (landlock.h): the ABI probe, the ruleset, its
 * rules and the restriction of the calling thread.  What to enforce is
 * decided by sk_landlock_plan (landlock.c, pure).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scmpkit/landlock.h"

/* The kernel's structures (include/uapi/linux/landlock.h), declared here
 * because libc's headers may predate the network rules. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
#define LL_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1) /* ABI 7 */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

int sk_landlock_abi(void)
{
	const char *fault = getenv("SCMPKIT_LANDLOCK_FAULT");
	long abi;

	if (fault && !strcmp(fault, "absent"))
		return -ENOSYS;
	if (fault && !strncmp(fault, "abi:", 4))
		return atoi(fault + 4);
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 0)
		return errno == EOPNOTSUPP ? -EOPNOTSUPP : -ENOSYS;
	return (int)abi;
}

/* A path's rule; a path that is not there (no rule: the program cannot
 * use it), or a file given directory rights, is a warning.  0 or -errno. */
static int add_path(int rfd, const struct sk_ll_path *p, const char *file,
		    const struct sk_ll_plan *plan, struct sk_warn *warn,
		    struct sk_err *err)
{
	struct ll_path_beneath_attr a = { .allowed_access = p->access & plan->handled_fs };
	struct stat st;
	int ret = 0;

	a.parent_fd = open(p->path, O_PATH | O_CLOEXEC);
	if (a.parent_fd < 0 || fstat(a.parent_fd, &st)) {
		ret = -errno;
		if (a.parent_fd >= 0)
			close(a.parent_fd);
		return sk_warn_add(warn, "%s: %s: %s: no rule for it, the program cannot use it",
				   file, p->path, strerror(-ret)) ? -ENOMEM : 0;
	}
	if (!S_ISDIR(st.st_mode) && (a.allowed_access & ~SK_LL_FS_FILE)) {
		a.allowed_access &= SK_LL_FS_FILE;
		ret = sk_warn_add(warn, "%s: %s is not a directory: only its file rights apply",
				  file, p->path) ? -ENOMEM : 0;
	}
	if (!ret && a.allowed_access &&
	    syscall(SYS_landlock_add_rule, rfd, LL_RULE_PATH_BENEATH, &a, 0))
		ret = sk_err_set(err, errno, "%s: %s: cannot add the rule: %s",
				 file, p->path, strerror(errno));
	close(a.parent_fd);
	return ret;
}

static int add_port(int rfd, const struct sk_ll_port *p, const char *file,
		    const struct sk_ll_plan *plan, struct sk_err *err)
{
	struct ll_net_port_attr a = { .allowed_access = p->access & plan->handled_net,
				      .port = p->port };

	if (!a.allowed_access ||
	    !syscall(SYS_landlock_add_rule, rfd, LL_RULE_NET_PORT, &a, 0))
		return 0;
	return sk_err_set(err, errno, "%s: port %u: cannot add the rule: %s",
			  file, p->port, strerror(errno));
}

/* Restricts the thread; without CAP_SYS_ADMIN the kernel wants
 * no_new_privs first (the seccomp load sets it anyway). */
static int restrict_self(int rfd, int abi)
{
	unsigned flags = abi >= 7 ? LL_RESTRICT_SELF_LOG_NEW_EXEC_ON : 0;

	if (!syscall(SYS_landlock_restrict_self, rfd, flags))
		return 0;
	if (errno != EPERM || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return syscall(SYS_landlock_restrict_self, rfd, flags) ? -errno : 0;
}

/* The ruleset of the plan with ll's rules: its fd, or -errno. */
static int build(const struct sk_landlock *ll, const char *file,
		 const struct sk_ll_plan *plan, struct sk_warn *warn,
		 struct sk_err *err)
{
	struct ll_ruleset_attr attr = { .handled_access_fs = plan->handled_fs,
					.handled_access_net = plan->handled_net };
	size_t size = plan->abi >= 6 ? sizeof(attr) : plan->abi >= 4 ?
		      offsetof(struct ll_ruleset_attr, scoped) :
		      offsetof(struct ll_ruleset_attr, handled_access_net);
	int rfd, ret = 0;

	rfd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rfd < 0)
		return sk_err_set(err, errno, "%s: cannot create the Landlock ruleset: %s",
				  file, strerror(errno));
	for (size_t i = 0; !ret && i < ll->n_paths; i++)
		ret = add_path(rfd, &ll->paths[i], file, plan, warn, err);
	for (size_t i = 0; !ret && plan->handled_net && i < ll->n_ports; i++)
		ret = add_port(rfd, &ll->ports[i], file, plan, err);
	if (ret) {
		close(rfd);
		return ret;
	}
	return rfd;
}

int sk_landlock_prepare_file(const char *file, bool strict, int *rfd,
			     struct sk_warn *warn, struct sk_err *err)
{
	struct sk_landlock *ll = NULL;
	struct sk_ll_plan plan;
	int ret = sk_landlock_load(file, &ll, err);

	*rfd = -1;
	if (!ret)
		ret = sk_landlock_plan(ll, file, sk_landlock_abi(), strict, &plan, warn, err);
	if (!ret && plan.enforce) {
		ret = build(ll, file, &plan, warn, err);
		if (ret >= 0) {
			*rfd = ret;
			ret = 0;
		}
	}
	sk_landlock_free(ll);
	return ret;
}

int sk_landlock_restrict_fd(int rfd)
{
	return restrict_self(rfd, sk_landlock_abi());
}

int sk_landlock_enforce_file(const char *file, bool strict,
			     struct sk_warn *warn, struct sk_err *err)
{
	int rfd, ret = sk_landlock_prepare_file(file, strict, &rfd, warn, err);

	if (ret || rfd < 0)
		return ret;
	ret = sk_landlock_restrict_fd(rfd);
	if (ret)
		sk_err_set(err, -ret, "%s: cannot restrict to the Landlock ruleset: %s",
			   file, strerror(-ret));
	close(rfd);
	return ret;
}
