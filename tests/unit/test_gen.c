/* SPDX-License-Identifier: MIT */
/*
 * scmp-gen's core (gen.h, argnames.c): the union of traces, argument rules,
 * always-needed calls, ENOSYS rules, determinism, and the filters the
 * profiles build, checked by running the compiled BPF on sample calls.
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
#include <sys/socket.h>
#include <cmocka.h>
#include <seccomp.h>
#include <linux/net.h>

#include "scmpkit/arch.h"
#include "../../lib/argknow.h"
#include "scmpkit/filter.h"
#include "scmpkit/gen.h"
#include "scmpkit/gen_format.h"
#include "scmpkit/gen_rules.h"

#define HEAD "{\"format\": \"scmpkit-trace\", \"version\": 1, \"executables\": [\"/bin/a\", \"/bin/b\"], "

static struct sk_trace *parse_ok(const char *json)
{
	struct sk_trace *t = NULL;
	struct sk_err err = { "" };

	if (sk_trace_parse(json, strlen(json), "t.json", &t, &err))
		fail_msg("unexpected error: %s", err.msg);
	return t;
}

/* One x86_64 entry as JSON; extra is spliced in ("" or ", \"argidx\"..."). */
static char *entry(const char *arch, const char *name, uint64_t count,
		   const char *extra)
{
	uint32_t a = 0;
	char *s = NULL;

	assert_int_equal(sk_arch_parse(arch, &a), 0);
	assert_true(asprintf(&s, "{\"arch\": \"%s\", \"name\": \"%s\", \"nr\": %d, \"count\": %llu, \"exe\": [0]%s}",
			     arch, name, sk_syscall_nr(a, name),
			     (unsigned long long)count, extra) > 0);
	return s;
}

static struct sk_gen *gen_of(const char *const *jsons, size_t n)
{
	struct sk_gen *g = sk_gen_new();
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };

	assert_non_null(g);
	for (size_t i = 0; i < n; i++) {
		struct sk_trace *t = parse_ok(jsons[i]);

		if (sk_gen_add_trace(g, t, "t.json", &warn, &err))
			fail_msg("%s", err.msg);
		sk_trace_free(t);
	}
	sk_warn_clear(&warn);
	return g;
}

/* A trace from entries (each allocated by entry(), freed here). */
static char *trace_of(char **entries, size_t n)
{
	size_t len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);

	fputs(HEAD "\"syscalls\": [", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s", i ? ", " : "", entries[i]);
		free(entries[i]);
	}
	fputs("]}", f);
	fclose(f);
	return s;
}

static struct sk_profile *profile_of(struct sk_gen *g,
				     const struct sk_gen_opts *o)
{
	struct sk_profile *p = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	char *explain = NULL;

	if (sk_gen_profile(g, o, &p, &explain, &warn, &err))
		fail_msg("%s", err.msg);
	assert_non_null(explain);
	free(explain);
	sk_warn_clear(&warn);
	return p;
}

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

/* What the profile's filter does with one call (SECCOMP_RET_ACTION_FULL). */
static uint32_t run(const struct sk_profile *p, uint32_t arch,
		    const char *name, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct sk_filter_opts fo;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	scmp_filter_ctx ctx = NULL;
	struct sock_fprog prog;
	uint64_t args[6] = { a0, a1, a2 };
	uint32_t ret = 0;

	memset(&fo, 0, sizeof(fo));
	if (sk_filter_build(p, &fo, &ctx, &warn, &err))
		fail_msg("build: %s", err.msg);
	sk_warn_clear(&warn);
	assert_int_equal(sk_filter_export(ctx, &prog, &err), 0);
	assert_int_equal(sk_filter_eval(&prog, arch, name, args, &ret, &err), 0);
	free(prog.filter);
	seccomp_release(ctx);
	return ret & SECCOMP_RET_ACTION_FULL;
}

static void test_union(void **state)
{
	char *e1[] = {
		entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505]]"),
		entry("SCMP_ARCH_X86_64", "read", 10, ""),
	};
	char *e2[] = {
		entry("SCMP_ARCH_X86_64", "ioctl", 2, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		entry("SCMP_ARCH_X86_64", "write", 1, ""),
	};
	char *t1 = trace_of(e1, 2), *t2 = trace_of(e2, 2);
	const char *ts[] = { t1, t2 };
	struct sk_gen *g = gen_of(ts, 2);
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
	const char *t = HEAD "\"syscalls\": [{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": null, \"nr\": 999, \"count\": 2},"
		"{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"read\", \"nr\": 0, \"count\": 1}]}";
	struct sk_trace *tr = parse_ok(t);
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
		entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		entry("SCMP_ARCH_X86_64", "openat", 9, ", \"argidx\": [2], \"args\": [[0]]"),
		entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3]]"),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *t = trace_of(e, 4);
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const struct sk_rule *r;
	size_t n;
	const uint32_t x64 = SCMP_ARCH_X86_64;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_of(g, &o);
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
	p = profile_of(g, &o);
	assert_int_equal(rule_for(p, "ioctl", &n)->n_args, 0);
	assert_int_equal(run(p, x64, "ioctl", 1, 0x5402, 0), SECCOMP_RET_ALLOW);
	sk_profile_free(p);

	/* --max-values 1: ioctl's two values are too many. */
	o.args = SK_GEN_ARGS_VALUES;
	o.max_values = 1;
	p = profile_of(g, &o);
	assert_int_equal(rule_for(p, "ioctl", &n)->n_args, 0);
	assert_int_equal(n, 1);
	sk_profile_free(p);

	/* --args tuples: exact flag values. */
	o.args = SK_GEN_ARGS_TUPLES;
	o.max_values = 16;
	p = profile_of(g, &o);
	rule_for(p, "mmap", &n);
	assert_int_equal(n, 2);
	assert_int_equal(run(p, x64, "mmap", 0, 0, 1), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "mmap", 0, 0, 2), SECCOMP_RET_KILL_PROCESS);
	sk_profile_free(p);
	sk_gen_free(g);
	free(t);
}

static void test_socket_tuples(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[2, 1, 0]]"),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *t = trace_of(e, 2);
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const uint32_t x64 = SCMP_ARCH_X86_64;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_of(g, &o);
	assert_int_equal(run(p, x64, "socket", AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "socket", AF_UNIX, SOCK_STREAM, 0),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "socket", AF_INET, SOCK_DGRAM, 0),
			 SECCOMP_RET_KILL_PROCESS);
	sk_profile_free(p);
	sk_gen_free(g);
	free(t);
}

static void test_enosys_and_clone3(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_X86_64", "clone", 2, ", \"argidx\": [0], \"args\": [[18874385]]"),
		entry("SCMP_ARCH_X86_64", "clone3", 4, ""),
		entry("SCMP_ARCH_X86_64", "rt_sigaction", 4, ""),
		entry("SCMP_ARCH_X86_64", "landlock_create_ruleset", 1, ", \"errors\": {\"ENOSYS\": 1}"),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *t = trace_of(e, 5);
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_profile *p;
	const uint32_t x64 = SCMP_ARCH_X86_64;
	const uint64_t thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
				CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_of(g, &o);
	assert_int_equal(run(p, x64, "clone3", 0, 0, 0), SECCOMP_RET_ERRNO);
	assert_int_equal(run(p, x64, "landlock_create_ruleset", 0, 0, 0), SECCOMP_RET_ERRNO);
	/* glibc's fallback from clone3 gets through; namespaces do not. */
	assert_int_equal(run(p, x64, "clone", thread, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "clone", 18874385, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "clone", CLONE_NEWUSER | SIGCHLD, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	/* abort(): rt_sigaction was seen, so the abort path is allowed. */
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGABRT), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "tgkill", 1, 1, SIGKILL), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run(p, x64, "rt_sigprocmask", 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(run(p, x64, "getpid", 0, 0, 0), SECCOMP_RET_ALLOW);
	/* io_uring nobody used: ENOSYS. */
	assert_int_equal(run(p, x64, "io_uring_setup", 0, 0, 0), SECCOMP_RET_ERRNO);
	sk_profile_free(p);
	sk_gen_free(g);
	free(t);
}

static void test_i386(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		entry("SCMP_ARCH_X86", "socketcall", 1, ", \"argidx\": [0], \"args\": [[1]]"),
		entry("SCMP_ARCH_X86", "clock_gettime", 3, ""),
	};
	char *t = trace_of(e, 3);
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_of(g, &o);
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
	free(t);
}

/* i386's direct call of a name libseccomp knows there only by a pseudo
 * number (socket, 359 since Linux 4.3): found through the number's name. */
static int x86_direct(const char *name)
{
	char buf[64];

	for (int nr = 0; nr < 1024; nr++)
		if (!sk_syscall_name(SCMP_ARCH_X86, nr, buf, sizeof(buf)) &&
		    !strcmp(buf, name))
			return nr;
	fail_msg("no i386 number is named %s", name);
	return -1;
}

/* What the profile's filter does with one call given by number. */
static uint32_t run_nr(const struct sk_profile *p, uint32_t arch, int nr,
		       uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data d = { .nr = nr, .arch = arch, .args = { a0, a1, a2 } };
	struct sk_filter_opts fo;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	scmp_filter_ctx ctx = NULL;
	struct sock_fprog prog;
	uint32_t ret;

	memset(&fo, 0, sizeof(fo));
	if (sk_filter_build(p, &fo, &ctx, &warn, &err))
		fail_msg("build: %s", err.msg);
	sk_warn_clear(&warn);
	assert_int_equal(sk_filter_export(ctx, &prog, &err), 0);
	ret = sk_bpf_run(&prog, &d);
	free(prog.filter);
	seccomp_release(ctx);
	return ret & SECCOMP_RET_ACTION_FULL;
}

/* As profile_of, keeping --explain's text and the warnings. */
static struct sk_profile *profile_explained(struct sk_gen *g,
					    const struct sk_gen_opts *o,
					    char **explain, struct sk_warn *warn)
{
	struct sk_profile *p = NULL;
	struct sk_err err = { "" };

	if (sk_gen_profile(g, o, &p, explain, warn, &err))
		fail_msg("%s", err.msg);
	return p;
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
		entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3], [5]]"),
		entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]"),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		entry("SCMP_ARCH_X86", "mmap", 1, ", \"argidx\": [2], \"args\": [[1]]"),
		NULL,
	};
	char *t, *explain = NULL;
	const char *ts[1];
	struct sk_gen *g;
	struct sk_gen_opts o;
	struct sk_warn warn = { 0 };
	struct sk_profile *p;
	const struct sk_rule *r;
	size_t n;

	(void)state;
	assert_true(asprintf(&e[4], "{\"arch\": \"SCMP_ARCH_X86\", \"name\": \"socket\", \"nr\": %d, \"count\": 1, \"exe\": [0], "
			     "\"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]}", x86_direct("socket")) > 0);
	t = trace_of(e, 5);
	ts[0] = t;
	g = gen_of(ts, 1);
	sk_gen_opts_init(&o);
	p = profile_explained(g, &o, &explain, &warn);
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
	free(t);
}

/*
 * The profile covers i386 (one int 0x80 getpid), the argument rules come
 * from x86_64 calls.  socket keeps its rule, which holds on x86_64 and on
 * i386's direct socket; libseccomp's copy on socketcall(SYS_SOCKET) would
 * compare the type with socketcall's pointer (0x80801 passes) and the
 * protocol with edx, so that call is denied by a rule listed first.  mmap
 * goes by name alone: an OCI profile cannot deny it on i386 only.
 */
static void test_i386_not_called(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_X86_64", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3], [5]]"),
		entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]"),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		entry("SCMP_ARCH_X86", "getpid", 1, ""),
	};
	char *t = trace_of(e, 4), *explain = NULL, *mj;
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_warn warn = { 0 };
	struct sk_profile *p;
	const struct sk_rule *r;
	const uint32_t x86 = SCMP_ARCH_X86, x64 = SCMP_ARCH_X86_64;
	int direct = x86_direct("socket");
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_explained(g, &o, &explain, &warn);
	r = rule_for(p, "mmap", &n);
	assert_int_equal(n, 1);
	assert_int_equal(r->n_args, 0);
	assert_int_equal(warn.n, 1);
	assert_non_null(strstr(warn.msgs[0], "cannot deny a call on one arch only"));
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
	mj = sk_gen_minijail(p, "h");
	assert_null(strstr(mj, "socketcall"));
	free(mj);
	sk_warn_clear(&warn);
	free(explain);
	sk_profile_free(p);

	/* A default errno of EPERM: the denial needs another action. */
	o.default_action = SK_ACT_ERRNO;
	p = profile_of(g, &o);
	r = mux_deny(p, SYS_SOCKET);
	assert_non_null(r);
	assert_int_equal(r->errno_ret, EACCES);
	assert_int_equal(run(p, x86, "socketcall", SYS_SOCKET, 0x80801, 0), SECCOMP_RET_ERRNO);
	sk_profile_free(p);

	/* Nothing is denied under a log default; nothing compared under
	 * --args none. */
	o.default_action = SK_ACT_LOG;
	p = profile_of(g, &o);
	assert_null(mux_deny(p, SYS_SOCKET));
	sk_profile_free(p);
	o.default_action = SK_ACT_KILL_PROCESS;
	o.args = SK_GEN_ARGS_NONE;
	p = profile_of(g, &o);
	assert_null(mux_deny(p, SYS_SOCKET));
	assert_int_equal(rule_for(p, "socket", &n)->n_args, 0);
	sk_profile_free(p);
	sk_gen_free(g);
	free(t);
}

/* socketcall(SYS_SOCKET) observed as i386: its own rule decides that call,
 * no denial; socket's rule stays for x86_64. */
static void test_i386_socketcall_observed(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_X86_64", "socket", 1, ", \"argidx\": [0, 1, 2], \"args\": [[1, 1, 0]]"),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
		entry("SCMP_ARCH_X86", "socketcall", 1, ", \"argidx\": [0], \"args\": [[1]]"),
	};
	char *t = trace_of(e, 3), *explain = NULL;
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_warn warn = { 0 };
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_explained(g, &o, &explain, &warn);
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
	free(t);
}

/* s390x: mmap is the old mmap and clone takes the stack first. */
static void test_s390x_pointer_args(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_S390X", "mmap", 9, ", \"argidx\": [2], \"args\": [[1], [3]]"),
		entry("SCMP_ARCH_S390X", "clone", 2, ", \"argidx\": [0], \"args\": [[4096]]"),
		entry("SCMP_ARCH_S390X", "execve", 1, ""),
	};
	char *t = trace_of(e, 3);
	const char *ts[] = { t };
	struct sk_gen *g = gen_of(ts, 1);
	struct sk_gen_opts o;
	struct sk_profile *p;
	size_t n;

	(void)state;
	sk_gen_opts_init(&o);
	p = profile_of(g, &o);
	assert_int_equal(rule_for(p, "mmap", &n)->n_args, 0);
	assert_int_equal(rule_for(p, "clone", &n)->n_args, 0);
	assert_int_equal(n, 1);
	sk_profile_free(p);
	sk_gen_free(g);
	free(t);
}

/* Same input, same bytes; a trace merged with itself, same profile. */
static void test_deterministic(void **state)
{
	char *e[] = {
		entry("SCMP_ARCH_X86_64", "ioctl", 3, ", \"argidx\": [1], \"args\": [[21505], [21523]]"),
		entry("SCMP_ARCH_X86_64", "read", 100, ""),
		entry("SCMP_ARCH_X86_64", "write", 7, ""),
		entry("SCMP_ARCH_X86_64", "close", 7, ""),
		entry("SCMP_ARCH_X86_64", "execve", 1, ""),
	};
	char *t = trace_of(e, 5);
	const char *one[] = { t }, *two[] = { t, t };
	struct sk_gen *g1 = gen_of(one, 1), *g2 = gen_of(two, 2), *g3 = gen_of(one, 1);
	struct sk_gen_opts o;
	struct sk_profile *p1, *p2, *p3;
	char *j1, *j2, *j3, *c, *sd, *mj;

	(void)state;
	sk_gen_opts_init(&o);
	p1 = profile_of(g1, &o);
	p2 = profile_of(g2, &o);
	p3 = profile_of(g3, &o);
	j1 = sk_profile_to_json(p1);
	j2 = sk_profile_to_json(p2);
	j3 = sk_profile_to_json(p3);
	assert_string_equal(j1, j2);
	assert_string_equal(j1, j3);
	/* Hottest first: read's rule comes before everything else. */
	assert_string_equal(p1->rules[0].names[0], "read");

	c = sk_gen_c(p1, "test");
	assert_non_null(strstr(c, "int scmpkit_harden(void)"));
	assert_non_null(strstr(c, "#ifdef SCMPKIT_MAIN"));
	sd = sk_gen_systemd(p1, "test");
	assert_non_null(strstr(sd, "SystemCallArchitectures=x86-64\n"));
	assert_non_null(strstr(sd, "SystemCallFilter="));
	assert_null(strstr(sd, "io_uring"));
	mj = sk_gen_minijail(p1, "test");
	assert_non_null(strstr(mj, "\nread: 1\n"));
	assert_non_null(strstr(mj, "\nioctl: arg1 == 0x5401 || arg1 == 0x5413\n"));
	assert_non_null(strstr(mj, "\nio_uring_setup: return 38\n"));
	free(c);
	free(sd);
	free(mj);
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

/* The lines of text that start with prefix, counted. */
static size_t lines_starting(const char *text, const char *prefix)
{
	size_t n = 0;

	for (const char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

/*
 * Strings from input in text outputs (issue 13): a header naming a file
 * "x\n[Service]\nExecStartPre=...", an executable path with a newline and
 * an escape, a comment with "*" "/", a name with a quote never make a line
 * of their own, end a comment or a string.
 */
static void test_hostile_strings(void **state)
{
	static const char header[] =
		"generated by scmp-gen from x\n[Service]\nExecStartPre=touch INJ\n# */ \\";
	static const char trace[] =
		"{\"format\": \"scmpkit-trace\", \"version\": 1,"
		" \"executables\": [\"/bin/a\\nWARNING: fake\\u001b[2J*/\"], \"syscalls\": ["
		"{\"arch\": \"SCMP_ARCH_X86_64\", \"name\": \"read\", \"nr\": 0, \"count\": 1, \"exe\": [0]}]}";
	const char *one[] = { trace };
	struct sk_gen *g = gen_of(one, 1);
	struct sk_profile *p = NULL;
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	struct sk_gen_opts o;
	char *explain = NULL, *sd, *mj, *c, *name;

	(void)state;
	sk_gen_opts_init(&o);
	if (sk_gen_profile(g, &o, &p, &explain, &warn, &err))
		fail_msg("%s", err.msg);
	sk_warn_clear(&warn);
	assert_non_null(strstr(explain, "by /bin/a\\nWARNING: fake\\x1b[2J*/\n"));
	assert_int_equal(lines_starting(explain, "WARNING"), 0);
	/* As a name and a comment could be, in a profile built another way. */
	free(p->rules[0].comment);
	p->rules[0].comment = strdup("static: through f in /x*/ int evil; /*");
	name = p->rules[0].names[0];
	p->rules[0].names[0] = strdup("re\"ad");
	free(name);

	sd = sk_gen_systemd(p, header);
	assert_int_equal(lines_starting(sd, "ExecStartPre"), 0);
	assert_int_equal(lines_starting(sd, "[Service]"), 1);
	/* A "\" at the end would join the next line to the comment. */
	assert_non_null(strstr(sd, "# generated by scmp-gen from x\\n[Service]\\nExecStartPre=touch INJ\\n# */ \\\\\n"));
	mj = sk_gen_minijail(p, header);
	assert_int_equal(lines_starting(mj, "ExecStartPre"), 0);
	c = sk_gen_c(p, header);
	assert_non_null(strstr(c, "/* generated by scmp-gen from x\\n[Service]\\nExecStartPre=touch INJ\\n# *\\/ \\\\\n"));
	assert_non_null(strstr(c, "\t/* static: through f in /x*\\/ int evil; /* */\n"));
	assert_non_null(strstr(c, "{ \"re\\\"ad\","));
	free(c);
	free(mj);
	free(sd);
	free(explain);
	sk_profile_free(p);
	sk_gen_free(g);
}

static void expect_decode(const char *sys, unsigned idx, uint64_t v,
			  int want_ret, const char *want)
{
	char buf[256];
	int ret = sk_arg_decode(sys, idx, v, buf, sizeof(buf));

	if (ret != want_ret || strcmp(buf, want))
		fail_msg("%s arg%u %#llx: got %d \"%s\", want %d \"%s\"", sys, idx,
			 (unsigned long long)v, ret, buf, want_ret, want);
}

static void test_decode(void **state)
{
	(void)state;
	expect_decode("socket", 0, AF_INET, 0, "AF_INET");
	expect_decode("socket", 1, SOCK_STREAM | SOCK_CLOEXEC, 0, "SOCK_STREAM|SOCK_CLOEXEC");
	expect_decode("ioctl", 1, 0x5401, 0, "TCGETS");
	expect_decode("ioctl", 1, 0x5413, 0, "TIOCGWINSZ");
	expect_decode("fcntl", 1, F_SETFD, 0, "F_SETFD");
	expect_decode("openat", 2, O_WRONLY | O_CREAT | O_TRUNC, 0, "O_WRONLY|O_CREAT|O_TRUNC");
	expect_decode("openat", 2, 0, 0, "O_RDONLY");
	expect_decode("clone", 0, CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0,
		      "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	expect_decode("unshare", 0, CLONE_NEWUSER | CLONE_NEWNS, 0, "CLONE_NEWNS|CLONE_NEWUSER");
	expect_decode("mprotect", 2, 5, 0, "PROT_READ|PROT_EXEC");
	expect_decode("mmap", 2, 0, 0, "PROT_NONE");
	expect_decode("futex", 1, 0x80, 0, "FUTEX_WAIT|FUTEX_PRIVATE_FLAG");
	expect_decode("tgkill", 2, SIGABRT, 0, "SIGABRT");
	expect_decode("prctl", 0, 38, 0, "PR_SET_NO_NEW_PRIVS");
	expect_decode("arch_prctl", 0, 0x1002, 0, "ARCH_SET_FS");
	expect_decode("madvise", 2, 4, 0, "MADV_DONTNEED");
	expect_decode("seccomp", 0, 1, 0, "SECCOMP_SET_MODE_FILTER");
	expect_decode("personality", 0, 0xffffffff, 0, "0xffffffff (query)");
	expect_decode("socketcall", 0, 1, 0, "SYS_SOCKET");
	expect_decode("ioctl", 1, 0x12345678, -ENOENT, "0x12345678");
	expect_decode("read", 0, 3, -ENOENT, "0x3");
}

/* Every syscall in the knowledge table has a decoder for each position
 * (but getsockopt/setsockopt optnames, which depend on the level). */
static void test_decode_covers_table(void **state)
{
	unsigned n;
	const struct sk_argspec *t = sk_argspec_table(&n);

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < t[i].n; k++) {
			char buf[64];
			bool ok = false;

			if (strstr(t[i].name, "sockopt") && k == 1)
				continue;
			/* Some value in 0..0x5500 has a name. */
			for (uint64_t v = 0; v < 0x5500 && !ok; v++)
				ok = !sk_arg_decode(t[i].name, t[i].pos[k].index, v, buf, sizeof(buf));
			if (!ok)
				fail_msg("%s arg%u: no names", t[i].name, t[i].pos[k].index);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_unknown_name_skipped),
		cmocka_unit_test(test_enum_and_flags),
		cmocka_unit_test(test_socket_tuples),
		cmocka_unit_test(test_enosys_and_clone3),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_i386_pointer_args),
		cmocka_unit_test(test_i386_not_called),
		cmocka_unit_test(test_i386_socketcall_observed),
		cmocka_unit_test(test_s390x_pointer_args),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_hostile_strings),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_covers_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
