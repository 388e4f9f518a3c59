/* SPDX-License-Identifier: MIT */
/*
 * The container runtimes' own calls under the container's filter
 * (scmpkit/runtime.h, DESIGN.md "Containers"), measured on this project's
 * machine kind: Debian 12, kernel 6.18.44 x86_64, hybrid cgroup v1, as
 * root, an image imported from a busybox-static rootfs running
 * `sh -c 'echo hi'`, under a profile whose default action is SCMP_ACT_LOG
 * with no rule.  Each start ran under `strace -f -ttt`, and
 * tools/runtime_calls.py listed the calls of the init's thread that loaded
 * the filter (and of any task it started), from the load's return to the
 * program's execve.  Each setup was started several times in each
 * no-new-privileges mode; a call is listed when any start made it.
 * README, Platforms, has the commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>

#include "scmpkit/runtime.h"

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

enum {
	RUN_DOCKER_RUNC,
	RUN_PODMAN_RUNC,
	RUN_RUNC_RUN,
	RUN_CRUN_RUN,
	RUN_PODMAN_CRUN,
};

#define STRACE_HOW "strace -D -f -ttt as the runtime (a wrapper script given to "

/* Indexed by the RUN_ values: a call's seen bits. */
static const struct sk_runtime_run runs[] = {
	[RUN_DOCKER_RUNC] = { .build = SK_RT_RUNC,
		.via = "docker 20.10.24+dfsg1 (containerd 1.6.20, runc create and start)",
		.how = STRACE_HOW "dockerd --add-runtime), 6 starts per mode" },
	[RUN_PODMAN_RUNC] = { .build = SK_RT_RUNC,
		.via = "podman 4.3.1 (conmon, runc create and start)",
		.how = STRACE_HOW "podman --runtime), 6 starts per mode" },
	[RUN_RUNC_RUN] = { .build = SK_RT_RUNC,
		.via = "runc run (runc spec's config)",
		.how = "strace -f -ttt runc run, 5 starts per mode" },
	[RUN_CRUN_RUN] = { .build = SK_RT_CRUN,
		.via = "crun run (runc spec's config)",
		.how = "strace -f -ttt crun run in a mount namespace without the cgroup2 hierarchy (crun 1.8.1 refuses this machine's hybrid cgroups), 4 starts per mode" },
	[RUN_PODMAN_CRUN] = { .build = SK_RT_CRUN,
		.via = "podman 4.3.1 (conmon, crun create and start)",
		.how = STRACE_HOW "podman --runtime) in the same mount namespace, 3 starts per mode" },
};

#define DOCKER (1u << RUN_DOCKER_RUNC)
#define PODMAN (1u << RUN_PODMAN_RUNC)
#define RUNC_RUN (1u << RUN_RUNC_RUN)
#define RUNC_ALL (DOCKER | PODMAN | RUNC_RUN)
#define CRUN_RUN (1u << RUN_CRUN_RUN)
#define PODMAN_CRUN (1u << RUN_PODMAN_CRUN)
#define CRUN_ALL (CRUN_RUN | PODMAN_CRUN)

#define V1(a) .values = { (a) }, .n_values = 1
#define V2(a, b) .values = { (a), (b) }, .n_values = 2
#define V3(a, b, c) .values = { (a), (b), (c) }, .n_values = 3

#define RUNC(n, privs, seen_, why_, ...) \
	{ .build = SK_RT_RUNC, .name = (n), .privs_only = (privs), \
	  .seen = (seen_), .why = (why_), __VA_ARGS__ }
#define CRUN(n, privs, seen_, why_, ...) \
	{ .build = SK_RT_CRUN, .name = (n), .privs_only = (privs), \
	  .seen = (seen_), .why = (why_), __VA_ARGS__ }

/* What a runtime drops and sets when it loads the filter before the user
 * change (without no_new_privs). */
#define CAPS_PRCTL V3(PR_SET_KEEPCAPS, PR_CAPBSET_DROP, PR_CAP_AMBIENT)

/* Sorted by build bit, then name (a unit test checks it); every name is
 * known to libseccomp, every value is at argknow's one position. */
static const struct sk_runtime_call calls[] = {
	RUNC("capget", true, RUNC_ALL, "reads its capability sets before the user change and the capset (finalizeNamespace)"),
	RUNC("capset", true, RUNC_ALL, "sets the container's capabilities (process.capabilities)"),
	RUNC("chdir", true, RUNC_ALL, "enters the container's working directory (process.cwd)"),
	RUNC("close", false, RUNC_ALL, "closes its pipes, the exec FIFO and every descriptor not passed to the container"),
	RUNC("epoll_ctl", false, RUNC_ALL, "Go's runtime adds each file it opens to its poller (/proc files: refused with EPERM, harmless)"),
	RUNC("execve", false, RUNC_ALL, "executes the program (process.args)"),
	RUNC("faccessat2", true, RUNC_ALL, "looks the program up in PATH (exec.LookPath)"),
	RUNC("fcntl", true, RUNC_ALL, "marks its descriptors close-on-exec (F_SETFD)", V1(F_SETFD)),
	RUNC("fstat", true, RUNC_ALL, "checks the standard descriptors before fixing their owner, and reads /proc/self/setgroups"),
	RUNC("fstatfs", false, RUNC_ALL, "checks that /proc/self/fd is procfs before closing the descriptors it lists"),
	RUNC("futex", false, RUNC_ALL, "Go's runtime: waking and waiting for its other threads"),
	RUNC("getcwd", true, RUNC_ALL, "reads the working directory after the user change (finalizeNamespace)"),
	RUNC("getdents64", false, RUNC_ALL, "lists /proc/self/fd to close what the container must not inherit"),
	RUNC("getpid", false, RUNC_ALL, "the container's pid for the state the StartContainer hooks get"),
	RUNC("getppid", true, RUNC_ALL, "checks that its parent did not change (parent-death signal)"),
	RUNC("newfstatat", true, RUNC_ALL, "stats /dev/null and the program while looking it up"),
	RUNC("openat", false, RUNC_ALL, "opens the exec FIFO for writing through /proc/self/fd and lists /proc/self/fd; without no_new_privs also reads /proc/self/status, /etc/passwd, /etc/group, /proc/self/setgroups", V2(O_RDONLY | O_CLOEXEC, O_WRONLY | O_CLOEXEC)),
	RUNC("prctl", true, RUNC_ALL, "drops the bounding set (PR_CAPBSET_DROP), keeps its capabilities over the user change (PR_SET_KEEPCAPS), sets the ambient set (PR_CAP_AMBIENT)", CAPS_PRCTL),
	RUNC("read", true, RUNC_ALL, "reads /proc/self/status and /proc/self/setgroups"),
	RUNC("rt_sigreturn", false, RUNC_ALL, "returns from Go's preemption signal (SIGURG) when it lands on the init's thread: some starts"),
	RUNC("setgid", true, RUNC_ALL, "the container's group (process.user.gid)"),
	RUNC("setgroups", true, RUNC_ALL, "the container's supplementary groups (process.user.additionalGids)"),
	RUNC("setuid", true, RUNC_ALL, "the container's user (process.user.uid)"),
	RUNC("write", false, RUNC_ALL, "writes to the exec FIFO: the init waits there until runc start"),
	CRUN("capset", true, CRUN_ALL, "sets the container's capabilities (process.capabilities)"),
	CRUN("close", false, CRUN_ALL, "closes its sync socket's descriptor"),
	CRUN("execve", false, CRUN_ALL, "executes the program (process.args)"),
	CRUN("prctl", true, CRUN_ALL, "drops the bounding set (PR_CAPBSET_DROP), keeps its capabilities over the user change (PR_SET_KEEPCAPS), sets the ambient set (PR_CAP_AMBIENT)", CAPS_PRCTL),
	CRUN("pselect6", true, PODMAN_CRUN, "created and started apart (crun create, then crun start): waits for the start"),
	CRUN("read", true, PODMAN_CRUN, "created and started apart: reads the start"),
	CRUN("rt_sigaction", true, CRUN_ALL, "resets every signal's handler to the default before the exec"),
	CRUN("rt_sigprocmask", true, CRUN_ALL, "unblocks the signals before the exec"),
	CRUN("setresgid", true, CRUN_ALL, "the container's group (process.user.gid)"),
	CRUN("setresuid", true, CRUN_ALL, "the container's user (process.user.uid)"),
	CRUN("write", true, CRUN_ALL, "tells its parent it is ready"),
};

static const struct word {
	const char *word;
	unsigned builds;
	const char *what;
	const char *comment;
} words[] = {
	{ "crun", SK_RT_CRUN, "crun 1.8.1",
	  "runtime: crun 1.8.1 makes it in the container's init between loading the filter and the program's execve (scmp-gen --runtime crun)" },
	{ "docker", SK_RT_RUNC, "runc 1.1.5, as docker 20.10.24 runs it",
	  "runtime: runc 1.1.5 (docker 20.10) makes it in the container's init between loading the filter and the program's execve (scmp-gen --runtime docker)" },
	{ "podman", SK_RT_RUNC | SK_RT_CRUN, "runc 1.1.5 and crun 1.8.1, either of which podman 4.3.1 runs (crun where installed)",
	  "runtime: runc 1.1.5 or crun 1.8.1 (podman 4.3) makes it in the container's init between loading the filter and the program's execve (scmp-gen --runtime podman)" },
	{ "runc", SK_RT_RUNC, "runc 1.1.5",
	  "runtime: runc 1.1.5 makes it in the container's init between loading the filter and the program's execve (scmp-gen --runtime runc)" },
};

static const char *const word_names[] = { "crun", "docker", "podman", "runc" };

int sk_runtime_parse(const char *arg, struct sk_runtime_sel *out)
{
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);

	if (colon && strcmp(colon, ":nnp"))
		return -EINVAL;
	for (size_t i = 0; i < COUNT(words); i++) {
		if (strlen(words[i].word) != len || strncmp(arg, words[i].word, len))
			continue;
		*out = (struct sk_runtime_sel){
			.builds = words[i].builds, .nnp_only = colon != NULL,
			.word = words[i].word, .comment = words[i].comment,
			.what = words[i].what,
		};
		return 0;
	}
	return -EINVAL;
}

const char *const *sk_runtime_words(unsigned *n)
{
	*n = COUNT(word_names);
	return word_names;
}

const struct sk_runtime_call *sk_runtime_calls(unsigned *n)
{
	*n = COUNT(calls);
	return calls;
}

const struct sk_runtime_run *sk_runtime_runs(unsigned *n)
{
	*n = COUNT(runs);
	return runs;
}

const char *sk_runtime_build_name(unsigned build)
{
	switch (build) {
	case SK_RT_RUNC:
		return "runc 1.1.5";
	case SK_RT_CRUN:
		return "crun 1.8.1";
	default:
		return "?";
	}
}

bool sk_runtime_selects(const struct sk_runtime_sel *sel,
			const struct sk_runtime_call *c)
{
	return (sel->builds & c->build) && !(sel->nnp_only && c->privs_only);
}
