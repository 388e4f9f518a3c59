/* SPDX-License-Identifier: MIT */
/*
 * The bpf backend (tracer.h): the program runs untouched while an eBPF
 * program on the raw syscall-entry tracepoint (lib/bpf/trace.bpf.c,
 * embedded in this file at build time through the skeleton bpftool
 * generates from it) counts its calls in the kernel.
 *
 * Start: the object is loaded with the argument specs and a secret nonce,
 * its programs attached, and a probe child checks the kernel's arch answer
 * (native, x32, int 0x80); a wrong answer refuses the backend before
 * anything runs.  Launching: the keeper (launch.h, without the guard)
 * forks the child, which makes the handshake call (the kernel program
 * takes it into the tree there and then) and waits on a pipe until we have
 * seen the handshake; then it execs.  Attaching (-p): the process's task
 * storage is set through a pidfd; nothing is stopped.  The end: the last
 * traced task's exit wakes us through a ring buffer; the maps are read
 * once and handed to the recorder (bpf_feed.c), so the trace has the same
 * form as the other backends'.  Nothing crosses to user space per call.
 *
 * Containers are recorded with the same program by lib/bpf_ctr_sys.c;
 * what both files share is in bpf_sys.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scmpkit/tracer.h"
#include "bpf_ctr.h"

#if defined(SK_HAVE_BPF) && defined(__x86_64__)

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "bpf_feed.h"
#include "procfs.h"
#include "scmpkit/arch.h"
#include "launch.h"
#include "bpf_sys.h"


/* libbpf's first complaint during load, for the error message. */
static char libbpf_msg[256];

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[sizeof(libbpf_msg) + 8], *nl, *p;
	size_t n;

	if (level != LIBBPF_WARN || libbpf_msg[0])
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (strstr(buf, "LOAD LOG"))
		return 0; /* a verifier log: the message after it says which */
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	p = strncmp(buf, "libbpf: ", 8) ? buf : buf + 8;
	n = strnlen(p, sizeof(libbpf_msg) - 1);
	memcpy(libbpf_msg, p, n);
	libbpf_msg[n] = '\0';
	return 0;
}

/* The effective capability set, from /proc/self/status. */
static uint64_t cap_eff(void)
{
	char buf[4096], *p;

	if (sk_proc_read("/proc/self/status", buf, sizeof(buf)) <= 0)
		return 0;
	p = strstr(buf, "\nCapEff:");
	return p ? strtoull(p + 8, NULL, 16) : 0;
}

bool sk_ebpf_available(struct sk_err *why)
{
	uint64_t caps = cap_eff();
	bool bpf = (caps >> CAP_BPF_) & 1, perfmon = (caps >> CAP_PERFMON_) & 1,
	     admin = (caps >> CAP_SYS_ADMIN_) & 1;

	const char *fault = getenv("SCMPKIT_BPF_FAULT");

	/* Test hook (tests/e2e): as on a host where bpf cannot run. */
	if (fault && !strcmp(fault, "off")) {
		sk_err_set(why, EPERM, "the bpf backend is turned off (SCMPKIT_BPF_FAULT=off)");
		return false;
	}
	if (!((bpf || admin) && (perfmon || admin))) {
		sk_err_set(why, EPERM, "the bpf backend needs root (CAP_BPF and CAP_PERFMON)");
		return false;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		sk_err_set(why, ENOSYS, "the bpf backend needs the kernel's BTF (/sys/kernel/btf/vmlinux: %s)",
			   strerror(errno));
		return false;
	}
	return true;
}

/* Why nothing could run: the caller may fall back to another backend. */
static int unusable(struct bpft *t, const char *what)
{
	return sk_err_set(t->err, EOPNOTSUPP, "bpf backend: %s%s%s", what,
			  libbpf_msg[0] ? ": " : "", libbpf_msg);
}

/* The level of our pid namespace: how many NSpid numbers we have, less one. */
static unsigned pid_level(void)
{
	char buf[4096], *p, *end;
	unsigned n = 0;

	if (sk_proc_read("/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    !(p = strstr(buf, "\nNSpid:")))
		return 0;
	for (p += 7; strtol(p, &end, 10), end != p; p = end)
		n++;
	return n ? n - 1 : 0;
}

/* Opens the embedded object and sets what it reads from .rodata. */
static int open_object(struct bpft *t, uint64_t nonce)
{
	struct stat ns;
	unsigned used;

	t->skel = trace_bpf__open();
	if (!t->skel)
		return unusable(t, "opening the embedded BPF object failed");
	t->cfg = &t->skel->rodata->cfg; /* writable until load */
	t->cfg->nonce = nonce;
	if (stat("/proc/self/ns/pid", &ns) == 0) {
		t->cfg->pidns_dev = ns.st_dev;
		t->cfg->pidns_ino = ns.st_ino;
	}
	t->cfg->attach = t->o->n_pids > 0;
	t->cfg->ts_compat = TS_COMPAT_;
	/* Test hook (tests/e2e/test_bpf.sh): a program that misreads the
	 * compat status must be refused by the start-up probe. */
	if (getenv("SCMPKIT_BPF_FAULT") && !strcmp(getenv("SCMPKIT_BPF_FAULT"), "compat"))
		t->cfg->ts_compat = 0;
	t->cfg->errors = t->o->errors;
	t->cfg->containers = t->ctr_mode;
	t->cfg->ctr_max = t->ctr_max;
	t->cfg->pid_level = pid_level();
	used = sk_ebpf_specs(t->specs);
	if (bpf_map__set_max_entries(t->skel->maps.tuples,
				     (used ? used : 1) * SKB_TUPLE_CAP * 2 * t->sets) ||
	    bpf_map__set_max_entries(t->skel->maps.slots, SKB_SLOTS * t->sets) ||
	    bpf_map__set_max_entries(t->skel->maps.tcount, SKB_SLOTS * t->sets))
		return unusable(t, "sizing the maps failed");
	if (!t->o->errors)
		bpf_map__set_max_entries(t->skel->maps.errs, 1);
	/* Containers are found at the return of their filter load. */
	if (!t->o->errors && !t->ctr_mode)
		bpf_program__set_autoload(t->skel->progs.sk_sys_exit, false);
	return 0;
}

/* The ring buffer only wakes us (the last task exited); the counters say it. */
static int on_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

/* Loads the object, fills the specs, attaches every program; ev gets
 * the ring buffer's records, with ctx. */
int sk_ebpf_load(struct bpft *t, uint64_t nonce, ring_buffer_sample_fn ev, void *ctx)
{
	libbpf_print_fn_t old = libbpf_set_print(capture_print);
	int ret;

	libbpf_msg[0] = '\0';
	ret = open_object(t, nonce);
	if (!ret && trace_bpf__load(t->skel))
		ret = unusable(t, "loading the kernel program failed");
	if (ret)
		goto out;
	t->st = &t->skel->bss->state;
	t->fd_tasks = bpf_map__fd(t->skel->maps.tasks);
	t->fd_slots = bpf_map__fd(t->skel->maps.slots);
	t->fd_specs = bpf_map__fd(t->skel->maps.specs);
	t->fd_tuples = bpf_map__fd(t->skel->maps.tuples);
	t->fd_others = bpf_map__fd(t->skel->maps.others);
	t->fd_errs = bpf_map__fd(t->skel->maps.errs);
	t->fd_exes = bpf_map__fd(t->skel->maps.exes);
	for (__u32 k = 0; k < SKB_SLOTS && !ret; k++)
		if (t->specs[k].n && bpf_map_update_elem(t->fd_specs, &k, &t->specs[k], BPF_ANY))
			ret = unusable(t, "filling the argument specs failed");
	if (!ret) {
		t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), ev, ctx, NULL);
		if (!t->rb)
			ret = unusable(t, "the ring buffer cannot be opened");
	}
	/* Every program left to load (not sk_sys_exit without --errors). */
	if (!ret && trace_bpf__attach(t->skel))
		ret = unusable(t, "attaching to the tracepoints failed");
out:
	libbpf_set_print(old);
	return ret;
}

void sk_ebpf_detach(struct bpft *t)
{
	if (t->skel)
		trace_bpf__detach(t->skel);
}

static void unload(struct bpft *t)
{
	ring_buffer__free(t->rb);
	t->rb = NULL;
	trace_bpf__destroy(t->skel); /* detaches, unmaps, closes */
	t->skel = NULL;
	t->st = NULL;
}

static long int80(long nr)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory", "r8", "r9", "r10", "r11");
	return r;
}

/* In the probe child: the calls whose arch the kernel program must tell. */
static void probe_child(uint64_t nonce, const int nrs[3])
{
	prctl(PR_SET_DUMPABLE, 0); /* no core file if int 0x80 faults */
	signal(SIGSEGV, SIG_DFL);
	syscall(SKB_HANDSHAKE_NR, nonce, SKB_KIND_PROBE);
	syscall(nrs[0]);
	syscall(nrs[1] | SK_X32_SYSCALL_BIT); /* ENOSYS where x32 is off */
	int80(nrs[2]);
	_exit(0);
}

/*
 * Checks, on a child of our own, that the kernel program tells native,
 * x32 and int 0x80 calls apart as the kernel runs them; *ia32 says
 * whether int 0x80 works here at all.  0, or -EOPNOTSUPP with err set.
 */
int sk_ebpf_probe(struct bpft *t, uint64_t nonce, bool *ia32)
{
	int nrs[3] = {
		sk_syscall_nr(SCMP_ARCH_X86_64, "getppid"),
		sk_syscall_nr(SCMP_ARCH_X32, "getpid") & ~SK_X32_SYSCALL_BIT,
		sk_syscall_nr(SCMP_ARCH_X86, "getpid"),
	};
	struct skb_probe_call calls[SKB_PROBE_MAX];
	char why[160];
	unsigned n;
	int st;
	pid_t pid = fork();

	if (pid == 0)
		probe_child(nonce, nrs);
	if (pid < 0)
		return sk_err_set(t->err, errno, "fork: %s", strerror(errno));
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* int 0x80 faults without IA32 emulation (SIGSEGV), or is stopped
	 * by a filter we run under (SIGSYS): no program here makes one. */
	*ia32 = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	if (!*ia32 && !(WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGSYS)))
		return sk_err_set(t->err, EOPNOTSUPP, "bpf backend: the start-up probe failed (status 0x%x)", st);
	n = t->st->n_probe > SKB_PROBE_MAX ? SKB_PROBE_MAX : t->st->n_probe;
	for (unsigned i = 0; i < n; i++) {
		calls[i].arch = t->st->probe[i].arch;
		calls[i].nr = t->st->probe[i].nr;
	}
	t->st->hs_count = 0; /* the program's handshake comes next */
	if (sk_ebpf_probe_check(calls, n, *ia32, why, sizeof(why)))
		return sk_err_set(t->err, EOPNOTSUPP,
				  "bpf backend: the start-up check failed (%s): it would record calls under the wrong architecture",
				  why);
	return 0;
}

/* In the program's child: join the tree, wait until that was seen, exec. */
static void child_run(void *arg)
{
	const struct child_args *ca = arg;
	char c;

	syscall(SKB_HANDSHAKE_NR, ca->nonce, SKB_KIND_PROGRAM);
	if (read(ca->go_fd, &c, 1) != 1)
		_exit(125); /* the tool could not confirm the handshake */
	execv(ca->o->path ? ca->o->path : ca->o->argv[0], ca->o->argv);
	sk_child_fail(ca->err_fd, SK_STAGE_EXEC, errno);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits (up to 10 s) for the child's handshake to reach the kernel program. */
static int await_handshake(struct bpft *t)
{
	uint64_t t0 = now_ms();
	int st;

	for (int i = 0;; i++) {
		struct timespec ts = { 0, i < 100 ? 20 * 1000 : 1000 * 1000 };

		if (t->st->hs_count && (pid_t)t->st->hs_tgid == t->run.child)
			return 0;
		if (t->st->hs_count)
			return sk_err_set(t->err, EPROTO, "bpf backend: an unexpected task (%u) made the handshake",
					  t->st->hs_tgid);
		if (sk_launch_status(&t->run, &st) != 0)
			return sk_err_set(t->err, ECHILD, "the traced child died before exec");
		if (now_ms() - t0 > 10000)
			return sk_err_set(t->err, ETIMEDOUT, "bpf backend: the child's handshake never reached the kernel program");
		nanosleep(&ts, NULL);
	}
}

static int launch(struct bpft *t, uint64_t nonce)
{
	struct child_args ca = { .o = t->o, .nonce = nonce };
	int go[2], ep[2], ret;

	if (pipe2(go, O_CLOEXEC) < 0)
		return sk_err_set(t->err, errno, "pipe: %s", strerror(errno));
	if (pipe2(ep, O_CLOEXEC) < 0) {
		ret = errno;
		close(go[0]);
		close(go[1]);
		return sk_err_set(t->err, ret, "pipe: %s", strerror(ret));
	}
	ca.go_fd = go[0];
	ca.err_fd = ep[1];
	ret = sk_launch_start(&t->run, child_run, &ca, 0, t->err);
	close(go[0]);
	close(ep[1]);
	if (ret) {
		close(go[1]);
		close(ep[0]);
		return ret;
	}
	t->launched = true;
	t->err_rd = ep[0];
	ret = await_handshake(t);
	if (!ret && write(go[1], "", 1) != 1)
		ret = sk_err_set(t->err, errno, "starting the traced child: %s", strerror(errno));
	close(go[1]);
	return ret;
}

/* The process a -p PID names: its thread group's leader. */
static pid_t leader_of(pid_t pid)
{
	long tgid = sk_proc_status(pid, "Tgid");

	return tgid > 0 ? (pid_t)tgid : pid;
}

/* Counts the threads of pid as tasks of the trace. */
static void count_threads(struct bpft *t, pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			sk_rec_count_task(t->o->rec, atoi(de->d_name) != pid);
	closedir(d);
}

/* -p: every process is given a root record; its threads inherit it. */
static int attach(struct bpft *t)
{
	size_t n = t->o->n_pids;

	t->pidfds = calloc(n, sizeof(int));
	t->attach_exe = calloc(n, sizeof(char *));
	if (!t->pidfds || !t->attach_exe)
		return sk_err_set(t->err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		t->pidfds[i] = -1;
	t->n_attach = n;
	t->st->n_exe = (uint32_t)n; /* ids 0 .. n - 1 are the attached exes */
	for (size_t i = 0; i < n; i++) {
		pid_t pid = leader_of(t->o->pids[i]);
		struct skb_task v = { .state = SKB_RUNNING, .exe = (uint32_t)i,
				      .flags = SKB_T_ROOT };
		char path[64], exe[PATH_MAX];
		ssize_t len;

		t->pidfds[i] = (int)syscall(SYS_pidfd_open, pid, 0);
		if (t->pidfds[i] < 0)
			return sk_err_set(t->err, errno == EINVAL ? ESRCH : errno, "-p %d: %s",
					  t->o->pids[i], strerror(errno == EINVAL ? ESRCH : errno));
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		len = readlink(path, exe, sizeof(exe) - 1);
		if (len > 0) {
			exe[len] = '\0';
			t->attach_exe[i] = strdup(exe);
		}
		if (bpf_map_update_elem(t->fd_tasks, &t->pidfds[i], &v, BPF_NOEXIST) &&
		    errno != EEXIST)
			return sk_err_set(t->err, errno, "-p %d: %s", t->o->pids[i], strerror(errno));
		count_threads(t, pid);
	}
	return 0;
}

/* A signal the tool received while launching: forwarded, or the run ends. */
static void on_signal(struct bpft *t, const struct sk_sig *sig, bool alive, int *ends)
{
	switch (sk_signal_action(sig, alive, ends)) {
	case SK_SIG_FORWARD:
		kill(t->run.child, sig->sig);
		break;
	case SK_SIG_END:
		if (!t->o->quiet)
			fprintf(stderr, "%s: %s: ending the run, killing the traced processes\n",
				program_invocation_short_name, strsignal(sig->sig));
		sk_launch_kill(&t->run);
		break;
	case SK_SIG_IGNORE:
		break;
	}
}

/*
 * Launching: waits for the program's status (the keeper reports it) and
 * for the last traced task to exit (the ring buffer wakes us; the count is
 * read from the mapped counters), forwarding signals meanwhile.
 */
static void wait_launched(struct bpft *t)
{
	struct pollfd p[3] = {
		{ .fd = sk_signal_fd(), .events = POLLIN },
		{ .fd = ring_buffer__epoll_fd(t->rb), .events = POLLIN },
		{ .fd = t->run.status_fd, .events = POLLIN },
	};
	bool alive = true, told = false;
	uint64_t gone_ms = 0;
	int ends = 0, st, r;
	struct sk_sig sig;

	for (;;) {
		if (!alive && t->st->live <= 0)
			return;
		r = poll(p, alive ? 3 : 2, 1000);
		ring_buffer__consume(t->rb);
		while (sk_signal_take(&sig))
			on_signal(t, &sig, alive, &ends);
		if (r > 0 && alive && p[2].revents) {
			r = sk_launch_status(&t->run, &st);
			if (r < 0) {
				t->res->complete = false;
				snprintf(t->res->reason, sizeof(t->res->reason),
					 "the keeper process died; the program's status is unknown");
				alive = false;
			} else if (r > 0) {
				alive = false;
				t->res->has_exit = true;
				if (WIFSIGNALED(st))
					t->res->exit_signal = WTERMSIG(st);
				else
					t->res->exit_code = WEXITSTATUS(st);
			}
			if (!alive)
				gone_ms = now_ms();
		}
		if (!alive && !told && !t->o->quiet && t->st->live > 0 &&
		    now_ms() - gone_ms >= 1000) {
			fprintf(stderr, "%s: the program exited; waiting for its descendants still running, as strace -f does (Ctrl-C ends the run and kills them)\n",
				program_invocation_short_name);
			told = true;
		}
	}
}

/*
 * Attached: until every attached process and every task traced since has
 * exited, or INT, TERM or HUP lets go (nothing to undo: nothing stopped).
 */
static void wait_attached(struct bpft *t)
{
	size_t n = t->o->n_pids;
	struct pollfd *p = calloc(n + 2, sizeof(*p));
	struct sk_sig sig;

	if (!p)
		return;
	p[0] = (struct pollfd){ .fd = sk_signal_fd(), .events = POLLIN };
	p[1] = (struct pollfd){ .fd = ring_buffer__epoll_fd(t->rb), .events = POLLIN };
	for (size_t i = 0; i < n; i++)
		p[i + 2] = (struct pollfd){ .fd = t->pidfds[i], .events = POLLIN };
	for (;;) {
		size_t left = 0;

		for (size_t i = 0; i < n; i++)
			if (p[i + 2].fd >= 0)
				left++;
		if (!left && t->st->live <= 0)
			break;
		poll(p, n + 2, 1000);
		ring_buffer__consume(t->rb);
		for (size_t i = 0; i < n; i++)
			if (p[i + 2].revents & (POLLIN | POLLHUP | POLLERR))
				p[i + 2].fd = -1; /* the process has exited */
		while (sk_signal_take(&sig))
			if (sig.sig == SIGINT || sig.sig == SIGTERM || sig.sig == SIGHUP)
				goto out;
	}
out:
	free(p);
}

/* Registers the executables the kernel walked in r; exe_idx[id] = its index. */
static void read_exes(struct bpft *t, struct sk_rec *r, int *exe_idx, unsigned n)
{
	struct skb_exe *e = malloc(sizeof(*e));
	char path[PATH_MAX];

	for (unsigned id = 0; id < n; id++) {
		const char *p = NULL;

		exe_idx[id] = -1;
		if (id < t->n_attach) {
			p = t->attach_exe ? t->attach_exe[id] : NULL;
		} else if (e && !bpf_map_lookup_elem(t->fd_exes, &id, e)) {
			if (!sk_ebpf_exe_path(e, path, sizeof(path))) {
				p = path;
			} else if (e->tgid) {
				/* The walk did not reach the root: ask /proc while
				 * the process lives. */
				char link[64];
				ssize_t len;

				snprintf(link, sizeof(link), "/proc/%u/exe", e->tgid);
				len = readlink(link, path, sizeof(path) - 1);
				if (len > 0) {
					path[len] = '\0';
					p = path;
				}
			}
		}
		if (p)
			exe_idx[id] = sk_rec_exe(r, p);
		else if (id >= t->n_attach)
			t->unnamed++;
	}
	free(e);
}

#define BATCH 128 /* slots read per syscall */

/* Feeds set's slots to r, BATCH slots per lookup.  0 or -ENOMEM. */
static int read_slots(struct bpft *t, unsigned set, struct sk_rec *r,
		      const int *exe_idx, unsigned n_exe)
{
	struct skb_slot *pc = calloc((size_t)t->ncpu * BATCH, sizeof(*pc)), sum;
	__u32 base = set * SKB_SLOTS, keys[BATCH], next = base - 1, *in = base ? &next : NULL;
	bool batch = true;

	if (!pc)
		return -ENOMEM;
	for (__u32 k = base; k < base + SKB_SLOTS;) {
		__u32 n = BATCH;
		int ret = -1;

		if (batch) {
			ret = bpf_map_lookup_batch(t->fd_slots, in, &next, keys, pc, &n, NULL);
			if (ret && errno != ENOENT) {
				batch = false; /* not on this kernel: one by one */
				continue;
			}
			in = &next;
		} else {
			keys[0] = k;
			n = bpf_map_lookup_elem(t->fd_slots, &k, pc) ? 0 : 1;
			k++;
		}
		for (__u32 i = 0; i < n && keys[i] < base + SKB_SLOTS; i++) {
			uint32_t arch;
			int nr;

			sk_ebpf_slot_sum(&sum, pc + (size_t)i * t->ncpu, (unsigned)t->ncpu);
			arch = sk_ebpf_slot_call((keys[i] - base) / SKB_NR_MAX,
						 (int)(keys[i] % SKB_NR_MAX), &nr);
			sk_ebpf_feed_slot(r, arch, nr, &sum, exe_idx, n_exe);
		}
		if (batch) {
			k += n;
			if (ret || !n)
				break; /* ENOENT: the last batch */
		}
	}
	free(pc);
	return 0;
}

/* Feeds r what set holds in the other, tuple and errno maps. */
static void read_hashes(struct bpft *t, unsigned set, struct sk_rec *r,
			const int *exe_idx, unsigned n_exe, struct skb_slot *pc, uint64_t *pv)
{
	struct skb_other_key ok, *okp = NULL;
	struct skb_tuple_key tk, *tkp = NULL;
	struct skb_err_key ek, *ekp = NULL;
	struct skb_slot sum;

	while (!bpf_map_get_next_key(t->fd_others, okp, &ok)) {
		okp = &ok;
		if (ok.set != set || bpf_map_lookup_elem(t->fd_others, &ok, pc))
			continue;
		sk_ebpf_slot_sum(&sum, pc, (unsigned)t->ncpu);
		sk_ebpf_feed_slot(r, sk_ebpf_arch_token(ok.arch), ok.nr, &sum, exe_idx, n_exe);
	}
	while (!bpf_map_get_next_key(t->fd_tuples, tkp, &tk)) {
		struct skb_tuple_key k = tk;

		tkp = &tk;
		if (k.slot / SKB_SLOTS != set)
			continue;
		k.slot %= SKB_SLOTS;
		sk_ebpf_feed_tuple(r, &k, t->specs);
	}
	if (!t->o->errors)
		return;
	sk_rec_add_result(r, sk_arch_native(), 0, 0, 0); /* results were seen */
	while (!bpf_map_get_next_key(t->fd_errs, ekp, &ek)) {
		uint64_t total = 0;

		ekp = &ek;
		if (ek.set != set || bpf_map_lookup_elem(t->fd_errs, &ek, pv))
			continue;
		for (int c = 0; c < t->ncpu; c++)
			total += pv[c];
		sk_ebpf_feed_error(r, &ek, total);
	}
}

/*
 * Reads the maps' counters of set into r; with exes, registers the
 * executables there first (a runtime's set has none).  0 or -ENOMEM.
 */
int sk_ebpf_collect_set(struct bpft *t, unsigned set, struct sk_rec *r, bool exes)
{
	unsigned n_exe = t->st->n_exe > SKB_EXE_MAX ? SKB_EXE_MAX : t->st->n_exe;
	struct skb_slot *pc = calloc((size_t)t->ncpu, sizeof(*pc));
	uint64_t *pv = calloc((size_t)t->ncpu, sizeof(*pv));
	int exe_idx[SKB_EXE_MAX], ret = -ENOMEM;

	if (!pc || !pv)
		goto out;
	if (exes)
		read_exes(t, r, exe_idx, n_exe);
	else
		n_exe = 0;
	if (read_slots(t, set, r, exe_idx, n_exe))
		goto out;
	read_hashes(t, set, r, exe_idx, n_exe, pc, pv);
	ret = 0;
out:
	free(pc);
	free(pv);
	return ret;
}

void sk_ebpf_count_tasks(struct sk_rec *r, uint64_t processes, uint64_t threads)
{
	for (uint64_t i = 0; i < processes; i++)
		sk_rec_count_task(r, 0);
	for (uint64_t i = processes; i < threads; i++)
		sk_rec_count_task(r, 1);
}

/* Reads every map once and feeds the recorder.  0 or -ENOMEM. */
static int collect(struct bpft *t)
{
	if (sk_ebpf_collect_set(t, 0, t->o->rec, true))
		return -ENOMEM;
	sk_ebpf_count_tasks(t->o->rec, t->st->processes, t->st->threads);
	return 0;
}

/* What the kernel side could not keep: the trace says so. */
static void finish_result(struct bpft *t)
{
	struct sk_tracer_result *res = t->res;

	if (t->st->lost_tasks) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason),
			 "%llu tasks could not be followed (no memory for their kernel record): their calls were not recorded",
			 (unsigned long long)t->st->lost_tasks);
	} else if (t->st->other_lost) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason),
			 "%llu calls of more than %d distinct unusual syscall numbers were not recorded",
			 (unsigned long long)t->st->other_lost, SKB_OTHER_MAX);
	} else if (t->st->errors_lost) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason),
			 "%llu return values beyond %d distinct (syscall, errno) pairs were not recorded",
			 (unsigned long long)t->st->errors_lost, SKB_ERR_MAX);
	} else if (t->unnamed) {
		res->complete = false;
		snprintf(res->reason, sizeof(res->reason), SK_UNNAMED_EXES, t->unnamed,
			 t->unnamed == 1 ? "" : "s", t->unnamed == 1 ? "its" : "their");
	}
}

/*
 * The program never exec'd: a failed execve ends the child with 126 or
 * 127 (its report names the errno), which stays the program's status as
 * with the other backends; the trace is incomplete.
 */
static void exec_failure(struct bpft *t)
{
	struct sk_tracer_result *res = t->res;
	struct pollfd p = { .fd = t->err_rd, .events = POLLIN };
	int msg[2];

	res->complete = false;
	if (t->err_rd >= 0 && poll(&p, 1, 0) > 0 && read(t->err_rd, msg, sizeof(msg)) == sizeof(msg))
		snprintf(res->reason, sizeof(res->reason), "executing %s: %s",
			 t->o->path ? t->o->path : t->o->argv[0], strerror(msg[1]));
	else if (res->exit_signal)
		snprintf(res->reason, sizeof(res->reason),
			 "the program was killed by signal %d before it started", res->exit_signal);
	else
		snprintf(res->reason, sizeof(res->reason), "the program never started");
}

void sk_ebpf_cleanup(struct bpft *t)
{
	if (t->launched)
		sk_launch_finish(&t->run);
	if (t->err_rd >= 0)
		close(t->err_rd);
	for (size_t i = 0; t->pidfds && i < t->n_attach; i++)
		if (t->pidfds[i] >= 0)
			close(t->pidfds[i]);
	for (size_t i = 0; t->attach_exe && i < t->n_attach; i++)
		free(t->attach_exe[i]);
	free(t->pidfds);
	free(t->attach_exe);
	unload(t);
	free(t->specs);
}

int sk_ebpf_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		struct sk_err *err)
{
	struct bpft t = { .o = o, .res = res, .err = err, .err_rd = -1 };
	uint64_t nonce = 0;
	bool ia32 = false;
	int ret;

	memset(res, 0, sizeof(*res));
	res->complete = true;
	if (o->filter)
		return sk_err_set(err, EINVAL, "the bpf backend has no baseline filter (use notify)");
	if (!sk_ebpf_available(err))
		return -EOPNOTSUPP;
	if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce) || !nonce)
		return sk_err_set(err, EOPNOTSUPP, "bpf backend: no random nonce (getrandom: %s)", strerror(errno));
	t.ncpu = libbpf_num_possible_cpus();
	t.specs = calloc(SKB_SLOTS, sizeof(*t.specs));
	t.sets = 1;
	if (t.ncpu <= 0 || !t.specs) {
		free(t.specs);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	ret = sk_ebpf_load(&t, nonce, on_event, NULL);
	if (!ret)
		ret = sk_ebpf_probe(&t, nonce, &ia32);
	if (ret) {
		sk_ebpf_cleanup(&t);
		return ret;
	}
	if (!ia32)
		snprintf(res->backend_note, sizeof(res->backend_note),
			 "int 0x80 faults here (no IA32 emulation): the i386 check was skipped");
	ret = o->n_pids ? attach(&t) : launch(&t, nonce);
	if (ret) {
		if (t.launched) {
			kill(t.run.child, SIGKILL);
			sk_launch_kill(&t.run);
		}
		sk_ebpf_cleanup(&t);
		return ret;
	}
	if (o->n_pids)
		wait_attached(&t);
	else
		wait_launched(&t);
	sk_ebpf_detach(&t);
	if (collect(&t)) {
		sk_ebpf_cleanup(&t);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	finish_result(&t);
	if (!o->n_pids && !t.st->started)
		exec_failure(&t);
	sk_ebpf_cleanup(&t);
	return 0;
}

#else /* no libbpf, no clang, or not x86_64 at build time */

#ifndef SK_BPF_MISSING
#define SK_BPF_MISSING "libbpf-dev and clang"
#endif

bool sk_ebpf_available(struct sk_err *why)
{
#ifdef __x86_64__
	sk_err_set(why, ENOSYS, "this scmp-trace was built without the bpf backend (missing at build time: %s; install, then rebuild)",
		   SK_BPF_MISSING);
#else
	sk_err_set(why, ENOSYS, "the bpf backend is only built for x86_64 hosts");
#endif
	return false;
}

int sk_ebpf_run(const struct sk_tracer_opts *o, struct sk_tracer_result *res,
		struct sk_err *err)
{
	(void)o;
	memset(res, 0, sizeof(*res));
	sk_ebpf_available(err);
	return -EOPNOTSUPP;
}

#endif
