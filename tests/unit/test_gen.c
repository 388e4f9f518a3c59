/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's core (gen.h, gen_run.h): the union of traces, argument
 * rules, always-needed calls, ENOSYS rules, determinism, and the filters the
 * profiles build, checked by running the compiled BPF on sample calls.  The
 * other formats are in test_gen_format.c, argument names in test_argnames.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <seccomp.h>
#include <linux/net.h>

#include "scmpkit/arch.h"
#include "scmpkit/filter.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/gen_run.h"
#include "scmpkit/gen_static.h"
#include "helpers.h"

/* The first rule that names name (and has args when want_args). */
static const struct sk_rule *rule_for(const struct sk_profile *p,
				      const char *name, size_t *count)
{
	const struct sk_rule *first = NULL;

	*count = 0;
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t k = 0; k < p->rules[i].n_names; k++)
			if (!strcmp(p->rules[i].names[k], name)) {
				if (!first)
					first = &p->rules[i];
				(*count)++;
			}
	return first;
}

/* What the profile's filter does with one call (SECCOMP_RET_ACTION_FULL),
 * by name, or by number when name is NULL. */
static uint32_t run_call(const struct sk_profile *p, uint32_t arch,
			 const char *name, int nr, uint64_t a0, uint64_t a1,
			 uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2 };
	struct th_filter b;
	uint32_t ret;

	th_filter_of(&b, p, NULL);
	if (b.ret)
		fail_msg("build: %s", b.err.msg);
	ret = name ? th_eval_args(&b, arch, name, args) : th_eval_nr(&b, arch, nr, args);
	th_filter_free(&b);
	return ret & SECCOMP_RET_ACTION_FULL;
}

#define run(p, arch, name, a0, a1, a2) run_call(p, arch, name, -1, a0, a1, a2)
#define run_nr(p, arch, nr, a0, a1, a2) run_call(p, arch, NULL, nr, a0, a1, a2)

static void test_union(void **state)
{
	char *e1[] = {
		th_entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505]]"),
		th_entry("SCMP_ARCH_X86_64", "read", 10, ""),
	};
	char *e2[] = {
		th_entry("SCMP_ARCH_X86_64", "ioctl", 2, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		th_entry("SCMP_ARCH_X86_64", "write", 1, ""),
	};
	char *t1 = th_trace_of(e1, 2), *t2 = th_trace_of(e2, 2);
	const char *ts[] = { t1, t2 };
	struct sk_gen *g = th_gen(ts, 2);
	const struct sk_gen_sys *s;

	(void)state;
	assert_int_equal(g->n_sys, 3);
	s = sk_gen_find(g, "ioctl");
	assert_non_null(s);
	assert_int_equal(s->count, 5);
	assert_int_equal(s->n_tuples, 2);
	assert_int_equal(s->tuples[0], 21505);
	assert_int_equal(s->tuples[1], 21523);
	assert_int_equal(s->n_traces, 2);
	assert_int_equal(s->n_exes, 1);
	assert_string_equal(s->exes[0], "/bin/a");
	assert_int_equal(sk_gen_find(g, "read")->count, 10);
	assert_int_equal(g->n_arches, 1);
	assert_int_equal(g->arches[0], SCMP_ARCH_X86_64);
	sk_gen_free(g);
	free(t1);
	free(t2);
}

static void test_unknown_name_skipped(void **state)
{
	const char *t = TH_TRACE_HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": null, \"nr\": 999, \"count\": 2},"
		"{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"read\", \"nr\": 0, \"count\": 1}]}";
	struct sk_trace *tr = th_trace(t, "t.json");
	struct sk_gen *g = sk_gen_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	(void)state;
	assert_int_equal(sk_gen_add_trace(g, tr, "t.json", &warn, &err), 0);
	assert_int_equal(g->n_sys, 1);
	assert_int_equal(warn.n, 1);
	assert_string_equal(warn.msgs[0],
			    "t.json: SCMP_ARCH_X86_64 syscall 999 has no name in this libseccomp; skipped (2 calls)");
	assert_non_null(strstr(warn.msgs[0], "999"));
	sk_warn_clear(&warn);
	sk_trace_free(tr);
	sk_gen_free(g);
}

static void test_enum_and_flags(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		th_entry("SCMP_ARCH_X86_64", "openat", 9, ", \"argidx\": [2], \"args\": [[0]]"),
		th_entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 4);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const struct sk_rule *r;
	size_t n;
	const uint32_t x64 = SCMP_ARCH_X86_64;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	r = rule_for(p, "ioctl", &n);
	assert_int_equal(n, 2);
	assert_int_equal(r->n_args, 1);
	assert_int_equal(r->args[0].op, SK_OP_MASKED_EQ);
	assert_int_equal(r->args[0].value, 0xffffffffULL);
	r = rule_for(p, "openat", &n);
	assert_int_equal(n, 1);
	assert_int_equal(r->args[0].index, 2);
	assert_int_equal(r->args[0].op, SK_OP_MASKED_EQ);
	assert_int_equal(r->args[0].value, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND);
	assert_int_equal(r->args[0].value_two, 0);

	/* The filter: observed values pass, others hit the default action. */
	assert_int_equal(run(p, x64, "ioctl", 1, 21505, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "ioctl", 1, 0xffffffff00005401ULL, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "ioctl", 1, 0x5402, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "openat", 0, 0, O_RDONLY | O_CLOEXEC), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "openat", 0, 0, O_WRONLY), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "openat", 0, 0, O_RDONLY | O_CREAT), SECCOMP_RET_KILL_PROCESS);
	/* W^X: read-write and read-exec were seen, never write+exec. */
	assert_int_equal(run(p, x64, "mmap", 0, 0, 3), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "mmap", 0, 0, 5), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "mmap", 0, 0, 0), SECCOMP_RET_ALLOW);
	/* Always needed, never observed. */
	assert_int_equal(run(p, x64, "rt_sigreturn", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "exit", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "restart_syscall", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "exit_group", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "uname", 0, 0, 0), SECCOMP_RET_KILL_PROCESS);
	assert_non_null(rule_for(p, "exit", &n)->comment);
	sk_profile_free(p);

	/* --args none: names only. */
	o.args = SK_GEN_ARGS_NONE;
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(rule_for(p, "ioctl", &n)->n_args, 0);
	assert_int_equal(run(p, x64, "ioctl", 1, 0x5402, 0), SECCOMP_RET_ALLOW);
	sk_profile_free(p);

	/* --max-values 1: ioctl's two values are too many. */
	o.args = SK_GEN_ARGS_VALUES;
	o.max_values = 1;
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(rule_for(p, "ioctl", &n)->n_args, 0);
	assert_int_equal(n, 1);
	sk_profile_free(p);

	/* --args tuples: exact flag values. */
	o.args = SK_GEN_ARGS_TUPLES;
	o.max_values = 16;
	p = th_gen_profile(g, &o, NULL, NULL);
	rule_for(p, "mmap", &n);
	assert_int_equal(n, 2);
	assert_int_equal(run(p, x64, "mmap", 0, 0, 1), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "mmap", 0, 0, 2), SECCOMP_RET_KILL_PROCESS);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* A handler set for SIGINT and SIGTERM (and SIGKILL asked for, which has
 * none, and glibc's 32 and 33): kill and tgkill, what a program re-raises
 * with, may send those two, with the signal origin; tkill and
 * rt_sigqueueinfo, never seen, get nothing; the observed SIGPIPE of tgkill
 * stays; SIGABRT, neither handled nor seen, is not added for abort(). */
static void test_signal_reraise(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "rt_sigaction", 4, ", \"argidx\": [0], \"args\": [[2], [9], [15], [32], [33], [40]]"),
		th_entry("SCMP_ARCH_X86_64", "tgkill", 1, ", \"argidx\": [2], \"args\": [[13]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const uint32_t x64 = SCMP_ARCH_X86_64;
	char *explain = NULL;
	size_t n_signal = 0;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, NULL);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGINT), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGTERM), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGPIPE), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGABRT), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGKILL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGUSR1), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, 32), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, 33), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, 40), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "kill", 1, SIGINT, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "kill", 1, SIGKILL, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "kill", 1, SIGPIPE, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "kill", 1, 33, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tkill", 1, SIGINT, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "rt_sigqueueinfo", 1, SIGINT, 0), SECCOMP_RET_KILL_PROCESS);
	/* rt_sigaction's signals are recorded, never compared. */
	assert_int_equal(run(p, x64, "rt_sigaction", SIGUSR2, 0, 0), SECCOMP_RET_ALLOW);
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (r->origin == SK_ORIGIN_SIGNAL) {
			n_signal++;
			assert_non_null(strstr(r->comment, "re-raise"));
		}
		/* The observed SIGPIPE rule carries no comment. */
		if (!strcmp(r->names[0], "tgkill") && r->n_args &&
		    r->args[0].value_two == SIGPIPE)
			assert_null(r->comment);
	}
	assert_int_equal(n_signal, 4); /* SIGINT, SIGTERM x kill, tgkill */
	assert_non_null(strstr(explain, "added, not observed: SIGINT, SIGTERM (signal:"));
	assert_non_null(strstr(explain, "not only to itself"));
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* tkill seen: it gets the re-raise too; many handled signals are one
 * rule each, not the name alone past --max-values. */
static void test_signal_reraise_many(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "rt_sigaction", 64, ", \"argidx\": [0], \"args\": [[1], [2], [3], [4], [5], [6], [7], [8], [10], [11], [12], [13], [14], [15], [16], [17], [20], [21], [22], [24], [25], [26], [27], [29], [30], [31], [32], [33], [34], [35]]"),
		th_entry("SCMP_ARCH_X86_64", "tkill", 1, ", \"argidx\": [1], \"args\": [[10]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const uint32_t x64 = SCMP_ARCH_X86_64;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(run(p, x64, "tkill", 1, SIGINT, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "kill", 1, SIGHUP, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "kill", 1, SIGSYS, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "kill", 1, SIGKILL, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "kill", 1, SIGCHLD, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "kill", 1, 33, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "kill", 1, 34, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, 32), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "rt_sigqueueinfo", 1, SIGINT, 0), SECCOMP_RET_KILL_PROCESS);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* A profile covering i386 (one i386 call) keeps x86_64's W^X on mmap, and
 * warns that i386's old mmap, never called, is not held to it. */
static void test_i386_wx_kept(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3], [5]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		th_entry("SCMP_ARCH_X86", "getpid", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_warn w = { 0 };
	struct sk_gen_opts o;
	struct sk_profile *p;
	char *explain = NULL;
	const uint32_t x64 = SCMP_ARCH_X86_64;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, &w);
	assert_int_equal(run(p, x64, "mmap", 0, 0, PROT_READ | PROT_WRITE), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "mmap", 0, 0, PROT_READ | PROT_EXEC), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "mmap", 0, 0, PROT_READ | PROT_WRITE | PROT_EXEC),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msgs[0], "mmap: its rules on the prot (W^X) hold on the other architectures; on SCMP_ARCH_X86, mmap is the old mmap"));
	assert_non_null(strstr(explain, "WARNING: mmap: its rules"));
	sk_warn_clear(&w);
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

static void test_socket_tuples(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[2, 1, 0]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 2);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const uint32_t x64 = SCMP_ARCH_X86_64;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(run(p, x64, "socket", AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "socket", AF_UNIX, SOCK_STREAM, 0),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "socket", AF_INET, SOCK_DGRAM, 0),
			 SECCOMP_RET_KILL_PROCESS);
	sk_profile_free(p);
	sk_gen_free(g);
}

static void test_enosys_and_clone3(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "clone", 2, ", \"argidx\": [0], \"args\": [[18874385]]"),
		th_entry("SCMP_ARCH_X86_64", "clone3", 4, ""),
		th_entry("SCMP_ARCH_X86_64", "rt_sigaction", 4, ""),
		th_entry("SCMP_ARCH_X86_64", "landlock_create_ruleset", 1, ", \"errors\": {\"ENOSYS\": 1}"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 5);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const uint32_t x64 = SCMP_ARCH_X86_64;
	const uint64_t thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
				CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(run(p, x64, "clone3", 0, 0, 0), SECCOMP_RET_ERRNO);
	assert_int_equal(run(p, x64, "landlock_create_ruleset", 0, 0, 0), SECCOMP_RET_ERRNO);
	/* glibc's fallback from clone3 gets through; namespaces do not. */
	assert_int_equal(run(p, x64, "clone", thread, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "clone", 18874385, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "clone", CLONE_NEWUSER | SIGCHLD, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	/* abort(): rt_sigaction was seen, so the abort path up to its raise
	 * is allowed; the raise, never seen, is not. */
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGABRT), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGKILL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "rt_sigprocmask", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "getpid", 0, 0, 0), SECCOMP_RET_ALLOW);
	/* io_uring nobody used: ENOSYS. */
	assert_int_equal(run(p, x64, "io_uring_setup", 0, 0, 0), SECCOMP_RET_ERRNO);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* A container's trace recorded from its filter load under a filter that
 * answered clone3 with ENOSYS (Docker's and podman's defaults) holds only
 * the clone fallback: the profile answers clone3 with ENOSYS as that
 * filter did, never kill; a trace recorded outside does not get it. */
static void test_clone3_under_container_filter(void **state)
{
	static const char entries[] = "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"clone\", \"nr\": 56, \"count\": 4, \"exe\": [0]},"
		" {\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"execve\", \"nr\": 59, \"count\": 1, \"exe\": [0]}]}";
	const uint32_t x64 = SCMP_ARCH_X86_64;
	char json[1024];

	(void)state;
	for (int in = 0; in < 3; in++) {
		struct sk_gen *g;
		struct sk_gen_opts o;
		struct sk_profile *p;

		snprintf(json, sizeof(json), "%s%s%s", TH_TRACE_HEAD,
			 in == 0 ? "\"container\": {\"name\": \"a\", \"start\": \"filter\"}, " :
			 in == 1 ? "\"container\": {\"name\": \"a\", \"start\": \"exec\"}, " : "",
			 entries);
		g = th_gen((const char *const[]){ json }, 1);
		sk_gen_opts_init(&o);
		p = th_gen_profile(g, &o, NULL, NULL);
		/* ENOSYS whether or not the trace was recorded under a
		 * container's filter (which hid clone3): every profile. */
		assert_int_equal(run(p, x64, "clone3", 0, 0, 0), SECCOMP_RET_ERRNO);
		sk_profile_free(p);
		sk_gen_free(g);
	}
}

static void test_i386(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		th_entry("SCMP_ARCH_X86", "socketcall", 1, ", \"argidx\": [0], \"args\": [[1]]"),
		th_entry("SCMP_ARCH_X86", "clock_gettime", 3, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_gen_opts o;
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(p->n_arches, 2);
	assert_int_equal(p->arches[0], SCMP_ARCH_X86);
	assert_int_equal(p->arches[1], SCMP_ARCH_X86_64);
	assert_non_null(rule_for(p, "sigreturn", &n));
	assert_non_null(rule_for(p, "gettimeofday", &n));
	assert_non_null(rule_for(p, "clock_gettime64", &n));
	assert_int_equal(run(p, SCMP_ARCH_X86, "sigreturn", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, SCMP_ARCH_X86, "socketcall", 1, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, SCMP_ARCH_X86, "socketcall", 2, 0, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, SCMP_ARCH_X86, "time", 0, 0, 0), SECCOMP_RET_ALLOW);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* The socketcall rule denying call at arg0, or NULL. */
static const struct sk_rule *mux_deny(const struct sk_profile *p,
				      unsigned call)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sk_rule *r = &p->rules[i];

		if (r->n_names == 1 && !strcmp(r->names[0], "socketcall") &&
		    r->action != SK_ACT_ALLOW && r->n_args == 1 &&
		    r->args[0].index == 0 && r->args[0].op == SK_OP_EQ &&
		    r->args[0].value == call)
			return r;
	}
	return NULL;
}

/*
 * i386 entries with values where the positions hold none (issue 13 item 2):
 * old mmap's prot and socket's arguments, as if they had been read.  The
 * i386 part of a filter would compare edx (old mmap reads one pointer) and
 * socketcall's pointer to socket's arguments, and an OCI rule covers every
 * arch the profile lists: no argument rule on either name, --explain and a
 * warning say why.
 */
static void test_i386_pointer_args(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3], [5]]"),
		th_entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		th_entry("SCMP_ARCH_X86", "mmap", 1, ", \"argidx\": [2], \"args\": [[1]]"),
		NULL,
	};
	char *explain = NULL;
	struct sk_gen *g;
	struct sk_gen_opts o;
	struct sk_warn warn = { 0 };
	struct sk_profile *p;
	const struct sk_rule *r;
	size_t n;

	(void)state;
	assert_true(asprintf(&e[4], "{\"arch\": \"SCMP_ARCH_X86\", \"name\": \"socket\", \"nr\": %d, \"count\": 1, \"exe\": [0], "
			     "\"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]}", th_x86_nr("socket")) > 0);
	g = th_gen_entries(e, 5);
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, &warn);
	r = rule_for(p, "mmap", &n);
	assert_int_equal(n, 1);
	assert_int_equal(r->n_args, 0);
	r = rule_for(p, "socket", &n);
	assert_int_equal(n, 1);
	assert_int_equal(r->n_args, 0);
	/* Called as i386: nothing to deny there. */
	assert_null(mux_deny(p, SYS_SOCKET));
	assert_non_null(strstr(explain, "on X86, mmap is the old mmap"));
	assert_non_null(strstr(explain, "socket was called as X86, where libseccomp also puts its rules on socketcall(SYS_SOCKET)"));
	assert_int_equal(warn.n, 2);
	assert_non_null(strstr(warn.msgs[0], "mmap: allowed by name alone"));
	assert_non_null(strstr(warn.msgs[1], "socket: allowed by name alone"));
	/* What the profile says: allowed by name, whatever edx holds. */
	assert_int_equal(run(p, SCMP_ARCH_X86, "mmap", 0x10000, 0, 7), SECCOMP_RET_ALLOW);
	sk_warn_clear(&warn);
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

/*
 * The profile covers i386 (one int 0x80 getpid), the argument rules come
 * from x86_64 calls.  socket keeps its rule, which holds on x86_64 and on
 * i386's direct socket; libseccomp's copy on socketcall(SYS_SOCKET) would
 * compare the type with socketcall's pointer (0x80801 passes) and the
 * protocol with edx, so that call is denied by a rule listed first.  mmap
 * keeps x86_64's W^X rules (issue 23): on i386, where it is the old mmap
 * and was not called, they compare a register it never reads, which is
 * warned about.
 */
static void test_i386_not_called(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3], [5]]"),
		th_entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		th_entry("SCMP_ARCH_X86", "getpid", 1, ""),
	};
	char *explain = NULL, *mj;
	struct sk_gen *g = th_gen_entries(e, 4);
	struct sk_gen_opts o;
	struct sk_warn warn = { 0 };
	struct sk_profile *p;
	const struct sk_rule *r;
	const uint32_t x86 = SCMP_ARCH_X86, x64 = SCMP_ARCH_X86_64;
	int direct = th_x86_nr("socket");
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, &warn);
	r = rule_for(p, "mmap", &n);
	assert_int_equal(n, 2);
	assert_int_equal(r->n_args, 1);
	assert_int_equal(warn.n, 1);
	assert_non_null(strstr(warn.msgs[0], "on SCMP_ARCH_X86, mmap is the old mmap"));
	r = rule_for(p, "socket", &n);
	assert_int_equal(r->n_args, 3);
	r = mux_deny(p, SYS_SOCKET);
	assert_ptr_equal(r, &p->rules[0]);
	assert_int_equal(r->action, SK_ACT_ERRNO);
	assert_int_equal(r->errno_ret, EPERM);
	assert_non_null(r->comment);
	assert_non_null(strstr(explain, "a rule listed first denies socketcall(SYS_SOCKET) there"));
	/* The pointer that passes libseccomp's copy of the type comparison. */
	assert_int_equal(run(p, x86, "socketcall", SYS_SOCKET, 0x80801, 0), SECCOMP_RET_ERRNO);
	assert_int_equal(run(p, x86, "socketcall", SYS_SOCKET, 0x1, 0), SECCOMP_RET_ERRNO);
	assert_int_equal(run(p, x86, "socketcall", SYS_CONNECT, 0, 0), SECCOMP_RET_KILL_PROCESS);
	/* The comparisons hold where the arguments are registers. */
	assert_int_equal(run(p, x64, "socket", AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "socket", AF_INET, SOCK_STREAM, 0), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run_nr(p, x86, direct, AF_UNIX, SOCK_STREAM, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run_nr(p, x86, direct, AF_INET, SOCK_STREAM, 0), SECCOMP_RET_KILL_PROCESS);
	/* minijail resolves names per arch and never multiplexes. */
	assert_int_equal(sk_gen_minijail(p, "h", &mj, NULL), 0);
	assert_null(strstr(mj, "socketcall"));
	free(mj);
	sk_warn_clear(&warn);
	free(explain);
	sk_profile_free(p);

	/* A default errno of EPERM: the denial needs another action. */
	o.default_action = SK_ACT_ERRNO;
	p = th_gen_profile(g, &o, NULL, NULL);
	r = mux_deny(p, SYS_SOCKET);
	assert_non_null(r);
	assert_int_equal(r->errno_ret, EACCES);
	assert_int_equal(run(p, x86, "socketcall", SYS_SOCKET, 0x80801, 0), SECCOMP_RET_ERRNO);
	sk_profile_free(p);

	/* Nothing is denied under a log default; nothing compared under
	 * --args none. */
	o.default_action = SK_ACT_LOG;
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_null(mux_deny(p, SYS_SOCKET));
	sk_profile_free(p);
	o.default_action = SK_ACT_KILL_PROCESS;
	o.args = SK_GEN_ARGS_NONE;
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_null(mux_deny(p, SYS_SOCKET));
	assert_int_equal(rule_for(p, "socket", &n)->n_args, 0);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* socketcall(SYS_SOCKET) observed as i386: its own rule decides that call,
 * no denial; socket's rule stays for x86_64. */
static void test_i386_socketcall_observed(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		th_entry("SCMP_ARCH_X86", "socketcall", 1, ", \"argidx\": [0], \"args\": [[1]]"),
	};
	char *explain = NULL;
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_gen_opts o;
	struct sk_warn warn = { 0 };
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, &warn);
	assert_null(mux_deny(p, SYS_SOCKET));
	assert_int_equal(rule_for(p, "socket", &n)->n_args, 3);
	assert_int_equal(run(p, SCMP_ARCH_X86, "socketcall", SYS_SOCKET, 0x1234, 9), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, SCMP_ARCH_X86_64, "socket", AF_INET, SOCK_STREAM, 0), SECCOMP_RET_KILL_PROCESS);
	assert_non_null(strstr(explain, "the multiplexer's own rule decides that call there"));
	assert_non_null(strstr(explain, "its own arguments are behind a pointer and never compared"));
	assert_int_equal(warn.n, 0);
	sk_warn_clear(&warn);
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* s390x: mmap is the old mmap and clone takes the stack first. */
static void test_s390x_pointer_args(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_S390X", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3]]"),
		th_entry("SCMP_ARCH_S390X", "clone", 2, ", \"argidx\": [0], \"args\": [[4096]]"),
		th_entry("SCMP_ARCH_S390X", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_gen_opts o;
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(rule_for(p, "mmap", &n)->n_args, 0);
	assert_int_equal(rule_for(p, "clone", &n)->n_args, 0);
	assert_int_equal(n, 1);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* clone3 gets ENOSYS in every profile: a threads-only trace (clone3, no
 * clone) gets clone with pthread_create's flags only, never namespaces;
 * a trace without clone3 still gets the ENOSYS rule; --allow clone3
 * allows it by name, with a warning. */
static void test_clone3_always(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "clone3", 4, ""),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *x[] = { th_entry("SCMP_ARCH_X86_64", "execve", 1, "") };
	char *t = th_trace_of(e, 2), *threads = NULL;
	size_t head = strlen(TH_TRACE_HEAD);
	const char *one[1];
	struct sk_gen *g;
	struct sk_warn w = { 0 };
	struct sk_gen_opts o;
	struct sk_profile *p;
	size_t n;
	const uint32_t x64 = SCMP_ARCH_X86_64;
	const uint64_t thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
				CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

	(void)state;
	/* The trace counts one process with five tasks: threads only. */
	assert_true(asprintf(&threads, "%.*s\"processes\": 1, \"threads\": 5, %s",
			     (int)head, t, t + head) > 0);
	one[0] = threads;
	g = th_gen(one, 1);
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(run(p, x64, "clone3", 0, 0, 0), SECCOMP_RET_ERRNO);
	assert_int_equal(run(p, x64, "clone", thread, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "clone", CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "clone", CLONE_NEWUSER | SIGCHLD, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	sk_profile_free(p);
	o.allow_clone3 = true;
	p = th_gen_profile(g, &o, NULL, &w);
	assert_int_equal(run(p, x64, "clone3", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_null(rule_for(p, "clone", &n));
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msgs[0], "clone3 is allowed (--allow clone3)"));
	sk_warn_clear(&w);
	sk_profile_free(p);
	sk_gen_free(g);
	/* No clone3 in the trace: the rule is there all the same. */
	g = th_gen_entries(x, 1);
	o.allow_clone3 = false;
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(rule_for(p, "clone3", &n)->errno_ret, 38);
	assert_int_equal(rule_for(p, "clone3", &n)->origin, SK_ORIGIN_NEEDED);
	assert_null(rule_for(p, "clone", &n));
	sk_profile_free(p);
	sk_gen_free(g);
	free(threads);
	free(t);
}

/* Families: a reachable member of a traced call's family is added (origin
 * family, the comment naming the traced call), with the traced member's
 * values where the positions mean the same (open's flags -> openat's); a
 * member not reachable, or of no traced family, is not; none without the
 * analysis. */
static void test_families(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "read", 40, ""),
		th_entry("SCMP_ARCH_X86_64", "open", 3, ", \"argidx\": [1], \"args\": [[0], [524288]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	static char names[][16] = { "openat", "pread64", "socket" };
	static char func[] = "f", lib[] = "/lib/libc.so.6", exe[] = "/bin/a";
	static struct sk_static_reach reach[] = {
		{ .syscall = names[0], .func = func, .object = lib, .exe = exe },
		{ .syscall = names[1], .func = func, .object = lib, .exe = exe },
		{ .syscall = names[2], .func = func, .object = lib, .exe = exe },
	};
	struct sk_static st = { .reach = reach, .n_reach = 3 };
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const struct sk_rule *r;
	char *explain = NULL;
	const uint32_t x64 = SCMP_ARCH_X86_64;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	o.families = &st;
	p = th_gen_profile(g, &o, &explain, NULL);
	r = rule_for(p, "pread64", &n);
	assert_non_null(r);
	assert_int_equal(r->origin, SK_ORIGIN_FAMILY);
	assert_non_null(strstr(r->comment, "family read: read was traced"));
	assert_non_null(strstr(explain, "pread64: not observed"));
	assert_null(rule_for(p, "readv", &n));  /* not reachable */
	assert_null(rule_for(p, "socket", &n)); /* no traced family */
	assert_int_equal(run(p, x64, "openat", AT_FDCWD, 0, O_RDONLY), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "openat", AT_FDCWD, 0, O_RDONLY | O_CLOEXEC), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "openat", AT_FDCWD, 0, O_WRONLY | O_CREAT), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(rule_for(p, "openat", &n)->origin, SK_ORIGIN_FAMILY);
	free(explain);
	sk_profile_free(p);
	o.families = NULL;
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_null(rule_for(p, "pread64", &n));
	assert_null(rule_for(p, "openat", &n));
	sk_profile_free(p);
	sk_gen_free(g);
}

/* ENOSYS is the profile's arch's number (MIPS: 89), with a warning when
 * its arches disagree. */
static void test_enosys_per_arch(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_MIPSEL", "clone", 2, ", \"argidx\": [0], \"args\": [[18874385]]"),
		th_entry("SCMP_ARCH_MIPSEL", "clone3", 4, ""),
		th_entry("SCMP_ARCH_MIPSEL", "execve", 1, ""),
	};
	char *x[] = {
		th_entry("SCMP_ARCH_MIPSEL", "execve", 1, ""),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	struct sk_warn w = { 0 };
	struct sk_gen_opts o;
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, &w);
	assert_int_equal(rule_for(p, "clone3", &n)->errno_ret, 89);
	assert_int_equal(rule_for(p, "io_uring_setup", &n)->errno_ret, 89);
	assert_int_equal(w.n, 0);
	sk_profile_free(p);
	sk_gen_free(g);
	g = th_gen_entries(x, 2);
	p = th_gen_profile(g, &o, NULL, &w);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msgs[0], "ENOSYS is 89 on SCMP_ARCH_MIPSEL and 38 on SCMP_ARCH_X86_64"));
	sk_warn_clear(&w);
	sk_profile_free(p);
	sk_gen_free(g);
}

/* The driver plans on its own copy of the union: the caller's is the same
 * before and after, and a second profile from it is the first. */
static void test_union_untouched(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "clone", 2, ", \"argidx\": [0], \"args\": [[18874385]]"),
		th_entry("SCMP_ARCH_X86_64", "clone3", 4, ""),
		th_entry("SCMP_ARCH_X86_64", "rt_sigaction", 4, ", \"argidx\": [0], \"args\": [[2]]"),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 4), *d = sk_gen_dup(g);
	struct sk_gen_opts o;
	struct sk_profile *p, *q;
	char *j1, *j2;

	(void)state;
	assert_non_null(d);
	assert_int_equal(d->n_sys, g->n_sys);
	assert_ptr_not_equal(d->sys, g->sys);
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, NULL, NULL);
	assert_int_equal(g->n_sys, 4);
	assert_null(sk_gen_find(g, "exit_group"));
	assert_null(sk_gen_find(g, "tgkill"));
	assert_int_equal(sk_gen_find(g, "clone")->n_tuples, 1);
	q = th_gen_profile(d, &o, NULL, NULL);
	j1 = sk_profile_to_json(p);
	j2 = sk_profile_to_json(q);
	assert_non_null(j1);
	assert_non_null(j2);
	assert_string_equal(j1, j2);
	free(j1);
	free(j2);
	sk_profile_free(p);
	sk_profile_free(q);
	sk_gen_free(d);
	sk_gen_free(g);
}

/* Same input, same bytes; a trace merged with itself, same profile. */
/* --runtime docker: runc's calls under the filter join the program's,
 * origin runtime, with runc's values added to the names the program
 * called with others (prctl, fcntl); :nnp adds only what runc makes with
 * no_new_privs set. */
static void test_runtime(void **state)
{
	const uint32_t x64 = SCMP_ARCH_X86_64;
	struct sk_runtime_sel sel;
	bool nnp;

	(void)state;
	for (int k = 0; k < 2; k++) {
		char *e[] = {
			th_entry("SCMP_ARCH_X86_64", "prctl", 1, ", \"argidx\": [0], \"args\": [[16]]"),
			th_entry("SCMP_ARCH_X86_64", "fcntl", 2, ", \"argidx\": [1], \"args\": [[3]]"),
			th_entry("SCMP_ARCH_X86_64", "openat", 9, ", \"argidx\": [2], \"args\": [[0]]"),
			th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		};
		struct sk_gen *g = th_gen_entries(e, 4);
		struct sk_gen_opts o;
		struct sk_profile *p;
		char *explain = NULL;
		size_t n;
		const struct sk_rule *r;

		nnp = k == 1;
		assert_int_equal(sk_runtime_parse(nnp ? "docker:nnp" : "docker", &sel), 0);
		sk_gen_opts_init(&o);
		o.runtime = &sel;
		p = th_gen_profile(g, &o, &explain, NULL);
		/* The program's own value, and runc's (without nnp only). */
		assert_int_equal(run(p, x64, "prctl", 16, 0, 0), SECCOMP_RET_ALLOW);
		assert_int_equal(run(p, x64, "prctl", PR_CAPBSET_DROP, 0, 0),
				 nnp ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ALLOW);
		assert_int_equal(run(p, x64, "prctl", PR_SET_SECCOMP, 0, 0), SECCOMP_RET_KILL_PROCESS);
		assert_int_equal(run(p, x64, "fcntl", 0, F_SETFD, 0),
				 nnp ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ALLOW);
		assert_int_equal(run(p, x64, "fcntl", 0, F_SETFL, 0), SECCOMP_RET_KILL_PROCESS);
		assert_int_equal(run(p, x64, "capset", 0, 0, 0),
				 nnp ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ALLOW);
		/* The exec FIFO, opened for writing, in both modes. */
		assert_int_equal(run(p, x64, "openat", 0, 0, O_WRONLY | O_CLOEXEC), SECCOMP_RET_ALLOW);
		assert_int_equal(run(p, x64, "openat", 0, 0, O_RDWR), SECCOMP_RET_KILL_PROCESS);
		assert_int_equal(run(p, x64, "getdents64", 0, 0, 0), SECCOMP_RET_ALLOW);
		assert_int_equal(run(p, x64, "ptrace", 0, 0, 0), SECCOMP_RET_KILL_PROCESS);
		r = rule_for(p, "getdents64", &n);
		assert_int_equal(r->origin, SK_ORIGIN_RUNTIME);
		assert_non_null(strstr(r->comment, "runtime: runc 1.1.5 (docker 20.10)"));
		r = rule_for(p, "execve", &n);
		assert_int_equal(r->origin, SK_ORIGIN_OBSERVED);
		assert_non_null(strstr(explain, nnp ? "(--runtime docker:nnp)" : "(--runtime docker)"));
		assert_non_null(strstr(explain, "  getdents64: not observed (X86_64)\n    why: runtime: "));
		assert_non_null(strstr(explain, "    runtime: runc 1.1.5 makes it after loading the filter: lists /proc/self/fd"));
		assert_non_null(strstr(explain, "(measured: docker 20.10.24+dfsg1"));
		assert_true(!strstr(explain, "capset") == nnp);
		free(explain);
		sk_profile_free(p);
		sk_gen_free(g);
	}
}

/* Entries a container trace marks "origin": "runtime" are the runtime's:
 * allowed with origin runtime, not counted as the program's. */
static void test_runtime_traced(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "capset", 1, ", \"origin\": \"runtime\""),
		th_entry("SCMP_ARCH_X86_64", "write", 2, ""),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	struct sk_gen *g = th_gen_entries(e, 3);
	const struct sk_gen_sys *s = sk_gen_find(g, "capset");
	struct sk_gen_opts o;
	struct sk_profile *p;
	char *explain = NULL;
	const struct sk_rule *r;
	size_t n;

	(void)state;
	assert_int_equal(s->count, 0);
	assert_int_equal(s->n_runtime, 1);
	sk_gen_opts_init(&o);
	p = th_gen_profile(g, &o, &explain, NULL);
	r = rule_for(p, "capset", &n);
	assert_int_equal(r->origin, SK_ORIGIN_RUNTIME);
	assert_non_null(strstr(r->comment, "the trace marks it as the container runtime's"));
	assert_non_null(strstr(explain, "  capset: 1 call by the container runtime (X86_64)"));
	assert_int_equal(rule_for(p, "write", &n)->origin, SK_ORIGIN_OBSERVED);
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

static void test_deterministic(void **state)
{
	char *e[] = {
		th_entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		th_entry("SCMP_ARCH_X86_64", "read", 100, ""),
		th_entry("SCMP_ARCH_X86_64", "write", 7, ""),
		th_entry("SCMP_ARCH_X86_64", "close", 7, ""),
		th_entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *t = th_trace_of(e, 5);
	const char *one[] = { t }, *two[] = { t, t };
	struct sk_gen *g1 = th_gen(one, 1), *g2 = th_gen(two, 2), *g3 = th_gen(one, 1);
	struct sk_gen_opts o;
	struct sk_profile *p1, *p2, *p3;
	char *j1, *j2, *j3;

	(void)state;
	sk_gen_opts_init(&o);
	p1 = th_gen_profile(g1, &o, NULL, NULL);
	p2 = th_gen_profile(g2, &o, NULL, NULL);
	p3 = th_gen_profile(g3, &o, NULL, NULL);
	j1 = sk_profile_to_json(p1);
	j2 = sk_profile_to_json(p2);
	j3 = sk_profile_to_json(p3);
	assert_string_equal(j1, j2);
	assert_string_equal(j1, j3);
	/* Hottest first: read's rule comes before everything else. */
	assert_string_equal(p1->rules[0].names[0], "read");
	free(j1);
	free(j2);
	free(j3);
	sk_profile_free(p1);
	sk_profile_free(p2);
	sk_profile_free(p3);
	sk_gen_free(g1);
	sk_gen_free(g2);
	sk_gen_free(g3);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_unknown_name_skipped),
		cmocka_unit_test(test_enum_and_flags),
		cmocka_unit_test(test_socket_tuples),
		cmocka_unit_test(test_signal_reraise),
		cmocka_unit_test(test_signal_reraise_many),
		cmocka_unit_test(test_i386_wx_kept),
		cmocka_unit_test(test_clone3_always),
		cmocka_unit_test(test_enosys_and_clone3),
		cmocka_unit_test(test_clone3_under_container_filter),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_i386_pointer_args),
		cmocka_unit_test(test_i386_not_called),
		cmocka_unit_test(test_i386_socketcall_observed),
		cmocka_unit_test(test_s390x_pointer_args),
		cmocka_unit_test(test_runtime),
		cmocka_unit_test(test_runtime_traced),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_enosys_per_arch),
		cmocka_unit_test(test_union_untouched),
		cmocka_unit_test(test_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
