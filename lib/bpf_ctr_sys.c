/* SPDX-License-Identifier: MIT */
/*
 * The bpf backend's container mode (bpf_ctr.h, driven by containers.c):
 * the same kernel program as lib/bpf_sys.c's, with nothing launched into a
 * tree; the kernel side finds each container's init at its filter load (or
 * exec) and counts its calls in sets of their own; the ring buffer says
 * when one starts and ends, and its sets are read then, or at each
 * checkpoint.  --container attaches to a running one through its init.
 */
#include <errno.h>
#include <fcntl.h>
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
#include <poll.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bpf_feed.h"
#include "bpf_sys.h"
#include "launch.h"
#include "procfs.h"

#define CTR_QUEUE (SK_CTR_MAX * 2 + 8)

struct sk_ebpf_ctrs {
	struct bpft t;
	struct sk_tracer_opts to;
	struct sk_tracer_result res;
	struct skb_event q[CTR_QUEUE];  /* events read, not yet taken */
	unsigned qn;
	bool cmd_alive;
	int init_pidfd;                 /* attaching: the container's init */
	uint64_t attached;              /* attaching: processes found running */
};

/* The ring buffer's records, queued for sk_ebpf_ctrs_next. */
static int on_ctr_event(void *ctx, void *data, size_t size)
{
	struct sk_ebpf_ctrs *c = ctx;
	const struct skb_event *ev = data;

	if (size < sizeof(*ev) || c->qn == CTR_QUEUE)
		return 0;
	/* Attached, the end is the init's: a count of the tasks forked
	 * since says nothing of those that ran before. */
	if (c->t.ctr_mode == SKB_CTR_JOIN && ev->type == SKB_EV_CTR_END)
		return 0;
	c->q[c->qn++] = *ev;
	return 0;
}

static void child_exec(void *arg)
{
	const struct child_args *ca = arg;

	execv(ca->o->path ? ca->o->path : ca->o->argv[0], ca->o->argv);
	sk_child_fail(ca->err_fd, SK_STAGE_EXEC, errno);
}

/* CMD runs under the keeper, untraced: its containers are found by the kernel. */
static int launch_untraced(struct sk_ebpf_ctrs *c)
{
	struct child_args ca = { .o = &c->to };
	int ep[2], ret;

	if (pipe2(ep, O_CLOEXEC) < 0)
		return sk_err_set(c->t.err, errno, "pipe: %s", strerror(errno));
	ca.err_fd = ep[1];
	ret = sk_launch_start(&c->t.run, child_exec, &ca, 0, c->t.err);
	close(ep[1]);
	if (ret) {
		close(ep[0]);
		return ret;
	}
	c->t.launched = true;
	c->t.err_rd = ep[0];
	c->cmd_alive = true;
	return 0;
}

static unsigned long pidns_ino(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	return stat(path, &st) ? 0 : (unsigned long)st.st_ino;
}

/* Gives process pid of the container a record (exe id i when i < n). */
static void attach_one(struct sk_ebpf_ctrs *c, pid_t pid, size_t n)
{
	struct bpft *t = &c->t;
	struct skb_task v = { .state = SKB_RUNNING, .exe = SKB_EXE_NONE, .flags = SKB_T_ROOT };
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	char path[64], exe[PATH_MAX];
	ssize_t len;

	if (fd < 0)
		return;
	if (t->n_attach < n) {
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		len = readlink(path, exe, sizeof(exe) - 1);
		if (len > 0) {
			exe[len] = '\0';
			v.exe = (uint32_t)t->n_attach;
			t->attach_exe[t->n_attach++] = strdup(exe);
		}
	}
	if (!bpf_map_update_elem(t->fd_tasks, &fd, &v, BPF_NOEXIST))
		c->attached++;
	close(fd);
}

/*
 * --container: the init's pid namespace becomes container 0 and every
 * process in it gets a record; twice, for those forked meanwhile (a fork
 * after the first pass inherits its parent's).  Nothing is stopped.
 */
static int attach_ctr(struct sk_ebpf_ctrs *c, pid_t init)
{
	struct bpft *t = &c->t;
	struct skb_ctr ctr = { .init_tgid = (uint32_t)init, .started = 1 };
	size_t n = SKB_EXE_MAX / 2;
	__u32 zero = 0, ns = (__u32)pidns_ino(init);

	c->init_pidfd = (int)syscall(SYS_pidfd_open, init, 0);
	t->attach_exe = calloc(n, sizeof(char *));
	if (c->init_pidfd < 0 || !ns)
		return sk_err_set(t->err, ESRCH, "the container's init (%d) is gone", init);
	if (!t->attach_exe)
		return sk_err_set(t->err, ENOMEM, "out of memory");
	ctr.pidns = ns;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.ctrs), &zero, &ctr, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(t->skel->maps.ctr_ns), &ns, &zero, BPF_ANY))
		return sk_err_set(t->err, errno, "bpf backend: %s", strerror(errno));
	t->st->n_exe = (uint32_t)n; /* ids 0 .. n - 1: the processes found */
	for (int pass = 0; pass < 2; pass++) {
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d)
			return sk_err_set(t->err, errno, "/proc: %s", strerror(errno));
		while ((de = readdir(d)))
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
			    pidns_ino(atoi(de->d_name)) == ns)
				attach_one(c, atoi(de->d_name), n);
		closedir(d);
	}
	return 0;
}

/* As many containers as 64 MiB of per-CPU counters hold, 1 to SK_CTR_MAX. */
static unsigned ctr_budget(int ncpu)
{
	size_t per = (size_t)ncpu * SKB_SLOTS * 2 * sizeof(struct skb_slot);
	size_t n = ((size_t)64 << 20) / (per ? per : 1);

	return n < 1 ? 1 : n > SK_CTR_MAX ? SK_CTR_MAX : (unsigned)n;
}

static int ctrs_load(struct sk_ebpf_ctrs *c, const struct sk_ctr_run_opts *o)
{
	struct bpft *t = &c->t;
	uint64_t nonce = 0;
	bool ia32 = false;
	int ret;

	if (!sk_ebpf_available(t->err))
		return -EOPNOTSUPP;
	if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce) || !nonce)
		return sk_err_set(t->err, EOPNOTSUPP, "bpf backend: no random nonce");
	t->ncpu = libbpf_num_possible_cpus();
	t->specs = calloc(SKB_SLOTS, sizeof(*t->specs));
	if (t->ncpu <= 0 || !t->specs)
		return sk_err_set(t->err, ENOMEM, "out of memory");
	t->ctr_mode = o->attach_init ? SKB_CTR_JOIN : SKB_CTR_DISCOVER;
	t->ctr_max = o->attach_init ? 1 : ctr_budget(t->ncpu);
	t->sets = 2 * t->ctr_max;
	ret = sk_ebpf_load(t, nonce, on_ctr_event, c);
	if (!ret)
		ret = sk_ebpf_probe(t, nonce, &ia32);
	for (__u32 n = 0; !ret && !o->attach_init && n < t->ctr_max; n++)
		if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.ctr_free), NULL, &n, BPF_ANY))
			ret = sk_err_set(t->err, errno, "bpf backend: %s", strerror(errno));
	return ret;
}

int sk_ebpf_ctrs_start(const struct sk_ctr_run_opts *o, struct sk_ebpf_ctrs **out,
		       struct sk_err *err)
{
	struct sk_ebpf_ctrs *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return sk_err_set(err, ENOMEM, "out of memory");
	c->to.argv = o->argv;
	c->to.path = o->path;
	c->to.errors = o->errors;
	c->t = (struct bpft){ .o = &c->to, .res = &c->res, .err = err, .err_rd = -1 };
	c->init_pidfd = -1;
	ret = ctrs_load(c, o);
	if (!ret)
		ret = o->attach_init ? attach_ctr(c, o->attach_init) : launch_untraced(c);
	if (ret) {
		sk_ebpf_ctrs_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

static bool take(struct sk_ebpf_ctrs *c, struct sk_ctr_ev *ev)
{
	const struct skb_event *e = &c->q[0];

	if (!c->qn)
		return false;
	*ev = (struct sk_ctr_ev){ .ctr = e->ctr, .pid = (pid_t)e->pid,
				  .type = e->type == SKB_EV_CTR_START ? SK_CTR_STARTED : SK_CTR_ENDED };
	memmove(c->q, c->q + 1, --c->qn * sizeof(c->q[0]));
	return true;
}

int sk_ebpf_ctrs_next(struct sk_ebpf_ctrs *c, int timeout_ms, struct sk_ctr_ev *ev)
{
	struct pollfd p[3] = {
		{ .fd = sk_signal_fd(), .events = POLLIN },
		{ .fd = ring_buffer__epoll_fd(c->t.rb), .events = POLLIN },
		{ .fd = c->cmd_alive ? c->t.run.status_fd : c->init_pidfd, .events = POLLIN },
	};
	int st = -1, r;

	if (take(c, ev))
		return 1;
	poll(p, p[2].fd >= 0 ? 3 : 2, timeout_ms);
	ring_buffer__consume(c->t.rb);
	if (c->cmd_alive && p[2].revents) {
		r = sk_launch_status(&c->t.run, &st);
		if (r != 0) {
			c->cmd_alive = false;
			*ev = (struct sk_ctr_ev){ .type = SK_CTR_CMD_EXITED, .status = r > 0 ? st : -1 };
			return 1;
		}
	} else if (!c->cmd_alive && c->init_pidfd >= 0 && p[2].revents) {
		close(c->init_pidfd);
		c->init_pidfd = -1;
		*ev = (struct sk_ctr_ev){ .type = SK_CTR_ENDED, .ctr = 0 };
		return 1;
	}
	return take(c, ev) ? 1 : 0;
}

int sk_ebpf_ctrs_info(struct sk_ebpf_ctrs *c, unsigned ctr, struct sk_ctr_info *info)
{
	struct bpft *t = &c->t;
	struct skb_ctr k;
	__u32 key = ctr;

	memset(info, 0, sizeof(*info));
	info->lost_ctrs = t->st->ctr_lost;
	if (ctr >= t->ctr_max ||
	    bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.ctrs), &key, &k))
		return -ENOENT;
	info->processes = k.processes + c->attached;
	info->threads = k.threads + c->attached;
	info->filter = k.filter;
	info->started = k.started;
	k.cgroup[sizeof(k.cgroup) - 1] = '\0';
	k.cgroup_parent[sizeof(k.cgroup_parent) - 1] = '\0';
	if (k.cgroup[0]) {
		bool up = k.cgroup_parent[0] && strcmp(k.cgroup_parent, "/");

		snprintf(info->cgroup, sizeof(info->cgroup), "/%s%s%s",
			 up ? k.cgroup_parent : "", up ? "/" : "", k.cgroup);
	}
	info->lost_tasks = t->st->lost_tasks;
	return 0;
}

int sk_ebpf_ctrs_collect(struct sk_ebpf_ctrs *c, unsigned ctr, struct sk_rec *prog,
			 struct sk_rec *runtime, struct sk_ctr_info *info)
{
	int ret = sk_ebpf_ctrs_info(c, ctr, info);

	if (ret)
		return ret;
	if (sk_ebpf_collect_set(&c->t, 2 * ctr, prog, true) ||
	    sk_ebpf_collect_set(&c->t, 2 * ctr + SKB_SET_RUNTIME, runtime, false))
		return -ENOMEM;
	sk_ebpf_count_tasks(prog, info->processes, info->threads);
	return 0;
}

/* Deletes the keys of a hash map for which match (on k_) holds. */
#define DELETE_SET(fd, type, match)                                           \
	do {                                                                  \
		type k_, *p_ = NULL;                                          \
		while (!bpf_map_get_next_key(fd, p_, &k_)) {                  \
			p_ = &k_;                                             \
			if ((match) && !bpf_map_delete_elem(fd, &k_))         \
				p_ = NULL; /* from the start again */        \
		}                                                             \
	} while (0)

int sk_ebpf_ctrs_release(struct sk_ebpf_ctrs *c, unsigned ctr)
{
	struct bpft *t = &c->t;
	struct skb_slot *zero = calloc((size_t)t->ncpu, sizeof(*zero));
	struct skb_ctr none = { 0 };
	__u32 key = ctr, z = 0, first = 2 * ctr * SKB_SLOTS, end = first + 2 * SKB_SLOTS;
	int fd_tcount = bpf_map__fd(t->skel->maps.tcount);

	if (!zero || ctr >= t->ctr_max || t->ctr_mode != SKB_CTR_DISCOVER) {
		free(zero);
		return zero ? -EINVAL : -ENOMEM;
	}
	for (__u32 k = first; k < end; k++) {
		bpf_map_update_elem(t->fd_slots, &k, zero, BPF_ANY);
		bpf_map_update_elem(fd_tcount, &k, &z, BPF_ANY);
	}
	free(zero);
	DELETE_SET(t->fd_tuples, struct skb_tuple_key, k_.slot / SKB_SLOTS / 2 == ctr);
	DELETE_SET(t->fd_others, struct skb_other_key, k_.set / 2 == ctr);
	DELETE_SET(t->fd_errs, struct skb_err_key, k_.set / 2 == ctr);
	bpf_map_update_elem(bpf_map__fd(t->skel->maps.ctrs), &key, &none, BPF_ANY);
	return bpf_map_update_elem(bpf_map__fd(t->skel->maps.ctr_free), NULL, &key, BPF_ANY) ?
	       -errno : 0;
}

void sk_ebpf_ctrs_signal(struct sk_ebpf_ctrs *c, int sig)
{
	if (!c->cmd_alive)
		return;
	if (sig == SIGKILL)
		sk_launch_kill(&c->t.run);
	else
		kill(c->t.run.child, sig);
}

void sk_ebpf_ctrs_free(struct sk_ebpf_ctrs *c)
{
	if (!c)
		return;
	sk_ebpf_detach(&c->t);
	if (c->init_pidfd >= 0)
		close(c->init_pidfd);
	sk_ebpf_cleanup(&c->t);
	free(c);
}

#else /* no libbpf, no clang, or not x86_64 at build time: bpf_sys.c says why */

int sk_ebpf_ctrs_start(const struct sk_ctr_run_opts *o, struct sk_ebpf_ctrs **out,
		       struct sk_err *err)
{
	(void)o;
	(void)out;
	sk_ebpf_available(err);
	return -EOPNOTSUPP;
}

int sk_ebpf_ctrs_next(struct sk_ebpf_ctrs *c, int timeout_ms, struct sk_ctr_ev *ev)
{
	(void)c;
	(void)timeout_ms;
	(void)ev;
	return 0;
}

int sk_ebpf_ctrs_info(struct sk_ebpf_ctrs *c, unsigned ctr, struct sk_ctr_info *info)
{
	(void)c;
	(void)ctr;
	(void)info;
	return -ENOENT;
}

int sk_ebpf_ctrs_collect(struct sk_ebpf_ctrs *c, unsigned ctr, struct sk_rec *prog,
			 struct sk_rec *runtime, struct sk_ctr_info *info)
{
	(void)c;
	(void)ctr;
	(void)prog;
	(void)runtime;
	(void)info;
	return -ENOENT;
}

int sk_ebpf_ctrs_release(struct sk_ebpf_ctrs *c, unsigned ctr)
{
	(void)c;
	(void)ctr;
	return -EINVAL;
}

void sk_ebpf_ctrs_signal(struct sk_ebpf_ctrs *c, int sig)
{
	(void)c;
	(void)sig;
}

void sk_ebpf_ctrs_free(struct sk_ebpf_ctrs *c)
{
	(void)c;
}

#endif
