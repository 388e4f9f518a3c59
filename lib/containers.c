/* SPDX-License-Identifier: MIT */
/*
 * Recording containers (containers.h): the driver.  lib/bpf_sys.c keeps
 * the kernel side (bpf_ctr.h); here each container is named from /proc
 * while its init lives (cgroup, mounts, the runtime's processes), its
 * trace assembled from the two recorders (the program's, the runtime's)
 * and written, once at its end, and with --checkpoint every N seconds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_ctr.h"
#include "ctr_files.h"
#include "procfs.h"
#include "scmpkit/containers.h"
#include "scmpkit/recorder.h"
#include "scmpkit/session.h"
#include "scmpkit/trace_format.h"

#define MOUNTINFO_MAX (256 * 1024)

struct slot {
	bool active;                  /* started, not written yet */
	struct sk_ctr_ident ident;
	pid_t init;
	uint64_t t0;
	int root;                     /* the init's root directory (O_PATH), -1 */
};

struct drv {
	const struct sk_containers_opts *o;
	struct sk_containers_result *res;
	struct sk_err *err;
	struct sk_ebpf_ctrs *c;
	struct slot slots[SK_CTR_MAX];
	bool cmd_alive, stop;
	pid_t attach_init;            /* --container */
};

/* docker: /etc/hostname is bound from <data-root>/containers/<id>/, beside config.v2.json. */
static void docker_name(pid_t pid, struct sk_ctr_ident *id)
{
	char *mi = malloc(MOUNTINFO_MAX), *self = malloc(MOUNTINFO_MAX), *json = malloc(65536);
	char path[PATH_MAX], dev[32], root[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	if (!mi || !self || !json || sk_proc_read(path, mi, MOUNTINFO_MAX) <= 0 ||
	    sk_proc_read("/proc/self/mountinfo", self, MOUNTINFO_MAX) <= 0 ||
	    sk_ctr_mount_source(mi, "/etc/hostname", dev, sizeof(dev), root, sizeof(root)) ||
	    sk_ctr_host_path(self, dev, root, path, sizeof(path) - 16))
		goto out;
	slash = strrchr(path, '/');
	if (!slash)
		goto out;
	strcpy(slash + 1, "config.v2.json");
	if (sk_proc_read(path, json, 65536) > 0)
		sk_ctr_docker_name(json, id->name, sizeof(id->name));
out:
	free(mi);
	free(self);
	free(json);
}

/*
 * docker, when the init is gone already: config.v2.json under the data
 * root of a running dockerd (its --data-root, else /var/lib/docker).
 */
static void docker_name_late(struct sk_ctr_ident *id)
{
	char path[PATH_MAX], *cmd = malloc(16384), *json = malloc(65536), root[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir("/proc");
	ssize_t n;

	while (d && cmd && json && !id->name[0] && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		n = sk_proc_read(path, cmd, 16384);
		if (n <= 0 || !strstr(cmd, "dockerd"))
			continue;
		if (sk_ctr_cmdline_arg(cmd, (size_t)n, "--data-root", root, sizeof(root)))
			strcpy(root, "/var/lib/docker");
		snprintf(path, sizeof(path), "%.3000s/containers/%s/config.v2.json", root, id->id);
		if (sk_proc_read(path, json, 65536) > 0)
			sk_ctr_docker_name(json, id->name, sizeof(id->name));
	}
	if (d)
		closedir(d);
	free(cmd);
	free(json);
}

/* podman: the container's conmon runs with "-c <id> ... -n <name>". */
static void podman_name(struct sk_ctr_ident *id)
{
	char path[300], *cmd = malloc(16384), val[128];
	struct dirent *de;
	DIR *d = opendir("/proc");
	ssize_t n;

	while (d && cmd && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		n = sk_proc_read(path, cmd, 16384);
		if (n <= 0 || !strstr(cmd, "conmon") ||
		    sk_ctr_cmdline_arg(cmd, (size_t)n, "-c", val, sizeof(val)) ||
		    strcmp(val, id->id))
			continue;
		sk_ctr_cmdline_arg(cmd, (size_t)n, "-n", id->name, sizeof(id->name));
		break;
	}
	if (d)
		closedir(d);
	free(cmd);
}

/* Names container by its init pid (while it lives), else by the cgroup the kernel kept. */
static void identify(pid_t pid, const char *kernel_cg, struct sk_ctr_ident *id)
{
	char path[64], buf[4096];

	memset(id, 0, sizeof(*id));
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (pid <= 0 || sk_proc_read(path, buf, sizeof(buf)) <= 0 ||
	    sk_ctr_cgroup_path(buf, id->cgroup, sizeof(id->cgroup)))
		snprintf(id->cgroup, sizeof(id->cgroup), "%s", kernel_cg ? kernel_cg : "");
	if (id->cgroup[0] && strcmp(id->cgroup, "/"))
		sk_ctr_from_cgroup(id->cgroup, id);
	if (!strcmp(id->runtime, "docker"))
		docker_name(pid, id);
	if (!strcmp(id->runtime, "docker") && !id->name[0])
		docker_name_late(id);
	else if (!strcmp(id->runtime, "podman"))
		podman_name(id);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static int add_container(struct sk_trace *t, const struct sk_ctr_ident *id, const char *start)
{
	t->container = calloc(1, sizeof(*t->container));
	if (!t->container)
		return -ENOMEM;
	t->container->id = dup_or_null(id->id);
	t->container->name = dup_or_null(id->name);
	t->container->runtime = dup_or_null(id->runtime);
	t->container->cgroup = dup_or_null(id->cgroup);
	t->container->start = strdup(start);
	return t->container->start ? 0 : -ENOMEM;
}

/* How a trace is written: at the container's end, cut short, or a checkpoint. */
enum when { AT_END, CUT, CHECKPOINT };

/* Why a container's trace misses calls, or NULL. */
static const char *gap(const struct sk_ctr_info *info, enum when w)
{
	if (w == CHECKPOINT)
		return "a checkpoint: the recording went on after it";
	if (w == CUT)
		return "the recording was ended (a signal) while the container ran";
	if (info->lost_tasks)
		return "tasks could not be followed (no memory for their kernel record)";
	if (!info->started)
		return "the container's program never started (no exec after the filter load)";
	return NULL;
}

/* The trace of container n so far, from the kernel's maps.  0 or -ENOMEM. */
static int build(struct drv *d, unsigned n, enum when w, struct sk_trace **out)
{
	struct sk_rec *prog = sk_rec_new(), *rt = sk_rec_new();
	struct sk_trace *t = sk_trace_new(), *rtt = sk_trace_new();
	struct sk_tracer_result res = { .complete = true };
	struct sk_ctr_info info;
	const char *why;
	int ret = -ENOMEM;

	if (!prog || !rt || !t || !rtt)
		goto out;
	ret = sk_ebpf_ctrs_collect(d->c, n, prog, rt, &info);
	if (ret)
		goto out;
	why = gap(&info, w);
	if (why) {
		res.complete = false;
		snprintf(res.reason, sizeof(res.reason), "%s", why);
	}
	ret = sk_session_trace(t, d->o->tool, "bpf", d->o->argv, d->o->argc,
			       &d->attach_init, d->attach_init ? 1 : 0, prog, &res,
			       sk_session_now_ms() - d->slots[n].t0);
	if (!ret)
		ret = sk_rec_to_trace(rt, rtt);
	if (!ret)
		ret = sk_trace_take_runtime(t, rtt);
	if (!ret)
		ret = add_container(t, &d->slots[n].ident,
				    d->attach_init ? "attach" : info.filter ? "filter" : "exec");
	sk_trace_prune_executables(t);
	sk_trace_sort(t);
out:
	sk_rec_free(prog);
	sk_rec_free(rt);
	sk_trace_free(rtt);
	if (ret)
		sk_trace_free(t);
	else
		*out = t;
	return ret;
}

/* Where container n's trace goes: --container's file, else a name in DIR of its own. */
static int file_of(struct drv *d, unsigned n, char *path, size_t len)
{
	char name[256];

	if (d->o->output)
		return snprintf(path, len, "%s", d->o->output) < (int)len ? 0 : -ENAMETOOLONG;
	sk_ctr_file_name(&d->slots[n].ident, n, name, sizeof(name));
	for (size_t i = 0; i < d->res->n_written; i++)
		if (!strcmp(strrchr(d->res->written[i].file, '/') + 1, name)) {
			char *dot = strrchr(name, '.');

			snprintf(dot, sizeof(name) - (size_t)(dot - name), "-%u.json", n);
			break;
		}
	return snprintf(path, len, "%s/%s", d->o->dir, name) < (int)len ? 0 : -ENAMETOOLONG;
}

/*
 * Copies what container n executed, as t names it, from its root into
 * "<trace without .json>.files" beside the trace at path, and names that
 * directory in t.  0, or a negative errno with d->err filled.
 */
static int copy_files(struct drv *d, unsigned n, struct sk_trace *t, const char *path,
		      struct sk_ctr_files_stats *st)
{
	char dir[PATH_MAX];
	size_t len = strlen(path);
	struct sk_err err;
	const char *base;
	int ret;

	memset(st, 0, sizeof(*st));
	if (d->slots[n].root < 0 || !t->n_executables)
		return 0;
	if (len > 5 && !strcmp(path + len - 5, ".json"))
		len -= 5;
	if (snprintf(dir, sizeof(dir), "%.*s.files", (int)len, path) >= (int)sizeof(dir))
		return sk_warn_add(&d->res->warn, "%s: no copies of what the container executed: the name is too long",
				   path) ? sk_err_set(d->err, ENOMEM, "out of memory") : 0;
	ret = sk_ctr_copy_files(d->slots[n].root, t->executables, t->n_executables, dir,
				st, &d->res->warn, &err);
	/* No copies loses the static analysis, never the trace. */
	if (ret && ret != -ENOMEM)
		return sk_warn_add(&d->res->warn, "%s; the trace names no copies", err.msg) ?
		       sk_err_set(d->err, ENOMEM, "out of memory") : 0;
	base = strrchr(dir, '/');
	if (!ret && !(t->container->files = strdup(base ? base + 1 : dir)))
		ret = -ENOMEM;
	return ret ? sk_err_set(d->err, ENOMEM, "out of memory") : 0;
}

/* Writes container n's trace; a final one (not a checkpoint) is listed in res. */
static int write_ctr(struct drv *d, unsigned n, enum when w)
{
	bool final = w != CHECKPOINT;
	struct sk_ctr_written *wr, *grown;
	struct sk_ctr_files_stats st;
	struct sk_trace *t = NULL;
	char path[PATH_MAX];
	int ret = file_of(d, n, path, sizeof(path));

	if (!ret)
		ret = build(d, n, w, &t);
	if (!ret)
		ret = copy_files(d, n, t, path, &st);
	if (!ret)
		ret = sk_trace_save(t, path, d->err);
	else if (!d->err->msg[0])
		sk_err_set(d->err, -ret, "container %u: %s", n, strerror(-ret));
	if (!ret && final) {
		grown = realloc(d->res->written, (d->res->n_written + 1) * sizeof(*grown));
		ret = grown ? 0 : -ENOMEM;
		if (grown) {
			d->res->written = grown;
			wr = &grown[d->res->n_written++];
			*wr = (struct sk_ctr_written){ .file = strdup(path), .ident = d->slots[n].ident,
						       .complete = t->complete, .n_sys = t->n_sys,
						       .n_copied = st.copied + st.kept,
						       .n_not_copied = st.failed };
			if (t->container->files)
				wr->files = strdup(t->container->files);
			for (size_t i = 0; i < t->n_sys; i++)
				wr->n_runtime += t->sys[i].runtime;
			ret = wr->file ? 0 : -ENOMEM;
		}
		d->slots[n].active = false;
		if (d->slots[n].root >= 0)
			close(d->slots[n].root);
		d->slots[n].root = -1;
	}
	sk_trace_free(t);
	return ret;
}

/*
 * The root directory of pid (a container's init, after its pivot_root),
 * held so that what the container executed can be copied from it once the
 * container is gone: -1 when it cannot be had.
 */
static int root_of(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/root", pid);
	return pid > 0 ? open(path, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
}

/* One event; 0, or a negative errno when a trace could not be written. */
static int on_event(struct drv *d, const struct sk_ctr_ev *ev)
{
	int ret = 0;

	struct sk_ctr_info info;

	if (ev->type == SK_CTR_CMD_EXITED) {
		d->cmd_alive = false;
		d->res->cmd.has_exit = ev->status >= 0;
		if (ev->status >= 0 && WIFSIGNALED(ev->status))
			d->res->cmd.exit_signal = WTERMSIG(ev->status);
		else if (ev->status >= 0)
			d->res->cmd.exit_code = WEXITSTATUS(ev->status);
		return 0;
	}
	if (ev->ctr >= SK_CTR_MAX)
		return 0;
	if (ev->type == SK_CTR_STARTED) {
		struct slot *s = &d->slots[ev->ctr];

		/* First, while the init is sure to live (identify reads much). */
		s->root = root_of(ev->pid);
		/* The cgroup the kernel kept, should the init be gone already. */
		identify(ev->pid, sk_ebpf_ctrs_info(d->c, ev->ctr, &info) ? NULL : info.cgroup,
			 &s->ident);
		s->active = true;
		s->init = ev->pid;
		s->t0 = sk_session_now_ms();
	} else if (d->slots[ev->ctr].active) {
		ret = write_ctr(d, ev->ctr, AT_END);
		if (!ret && !d->attach_init)
			sk_ebpf_ctrs_release(d->c, ev->ctr);
	}
	return ret;
}

/* A signal to the tool: --containers passes it on to CMD (the second
 * INT or TERM ends the run), --container ends on INT, TERM or HUP. */
static void on_signals(struct drv *d, int *ends)
{
	struct sk_sig sig;

	while (sk_signal_take(&sig)) {
		if (d->attach_init) {
			if (sig.sig == SIGINT || sig.sig == SIGTERM || sig.sig == SIGHUP)
				d->stop = true;
			continue;
		}
		switch (sk_signal_action(&sig, d->cmd_alive, ends)) {
		case SK_SIG_FORWARD:
			sk_ebpf_ctrs_signal(d->c, sig.sig);
			break;
		case SK_SIG_END:
			sk_ebpf_ctrs_signal(d->c, SIGKILL);
			d->stop = true;
			break;
		case SK_SIG_IGNORE:
			break;
		}
	}
}

static bool any_active(const struct drv *d)
{
	for (unsigned i = 0; i < SK_CTR_MAX; i++)
		if (d->slots[i].active)
			return true;
	return false;
}

/* --checkpoint: every container recording now, its trace so far. */
static int checkpoint(struct drv *d)
{
	int ret = 0;

	for (unsigned i = 0; i < SK_CTR_MAX && !ret; i++)
		if (d->slots[i].active)
			ret = write_ctr(d, i, CHECKPOINT);
	d->res->checkpoints++;
	return ret;
}

/*
 * The run was ended by a signal while CMD lived: its tree was killed, and
 * CMD's status comes from the keeper (events until it does, 5 s at most),
 * so that scmp-trace dies of CMD's signal as the other backends' runs do.
 */
static int await_cmd(struct drv *d)
{
	struct sk_ctr_ev ev;
	int ret = 0;

	for (int i = 0; i < 10 && d->cmd_alive && !ret; i++)
		while (!ret && d->cmd_alive && sk_ebpf_ctrs_next(d->c, 500, &ev) > 0)
			ret = on_event(d, &ev);
	return ret;
}

/*
 * Until CMD has exited and every container it started has ended
 * (--containers), or the container ends, a signal or --duration
 * (--container); checkpoints meanwhile.
 */
static int loop(struct drv *d)
{
	uint64_t t0 = sk_session_now_ms(), next_cp = t0 + d->o->checkpoint_s * 1000ULL;
	struct sk_ctr_ev ev;
	int ends = 0, ret = 0;

	while (!d->stop && !ret) {
		if (!d->attach_init && !d->cmd_alive && !any_active(d))
			break;
		if (d->attach_init && !d->slots[0].active)
			break;
		while (!ret && sk_ebpf_ctrs_next(d->c, 500, &ev) > 0)
			ret = on_event(d, &ev);
		on_signals(d, &ends);
		if (d->o->duration_s && sk_session_now_ms() - t0 >= d->o->duration_s * 1000ULL)
			d->stop = true;
		if (d->o->checkpoint_s && sk_session_now_ms() >= next_cp) {
			if (any_active(d) && !d->stop)
				ret = checkpoint(d);
			next_cp = sk_session_now_ms() + d->o->checkpoint_s * 1000ULL;
		}
	}
	if (!ret && !d->attach_init && d->cmd_alive)
		ret = await_cmd(d);
	/* Ended by a signal or --duration: what ran so far, complete for
	 * --container (its recording ends there by design), else cut short. */
	for (unsigned i = 0; i < SK_CTR_MAX && !ret; i++)
		if (d->slots[i].active)
			ret = write_ctr(d, i, d->attach_init ? AT_END : CUT);
	return ret;
}

/* The number in its own pid namespace of process pid, from NSpid; -1. */
static long ns_pid(pid_t pid)
{
	char path[64], buf[2048], *p, *end;
	long last = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (sk_proc_read(path, buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "\nNSpid:")))
		return -1;
	p += 7;
	for (long v; (v = strtol(p, &end, 10)), end != p; p = end)
		last = v;
	return last;
}

/* --container ID|NAME: the init of a running container, by id (or a
 * prefix of it) or name.  0 with *init, or -ESRCH. */
static int find_container(const char *want, pid_t *init, struct sk_ctr_ident *out)
{
	char self[64] = "", path[64];
	struct dirent *de;
	DIR *dir = opendir("/proc");
	ssize_t n = readlink("/proc/self/ns/pid", self, sizeof(self) - 1);
	int ret = -ESRCH;

	while (dir && n > 0 && ret && (de = readdir(dir))) {
		pid_t pid = atoi(de->d_name);
		struct sk_ctr_ident id;
		char ns[64];
		ssize_t k;

		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
		if (pid <= 0 || (k = readlink(path, ns, sizeof(ns) - 1)) <= 0 ||
		    (k == n && !memcmp(ns, self, (size_t)n)) || ns_pid(pid) != 1)
			continue;
		identify(pid, NULL, &id);
		if (!strcmp(id.name, want) ||
		    (id.id[0] && !strncmp(id.id, want, strlen(want)) && strlen(want) >= 4)) {
			*init = pid;
			*out = id;
			ret = 0;
		}
	}
	if (dir)
		closedir(dir);
	return ret;
}

static int start(struct drv *d)
{
	struct sk_ctr_run_opts ro = { .argv = d->o->argv, .path = d->o->path,
				      .errors = d->o->errors };
	struct sk_ctr_ident id;
	int ret;

	if (d->o->container) {
		if (find_container(d->o->container, &d->attach_init, &id))
			return sk_err_set(d->err, ESRCH, "--container %s: no running container has that id or name (a container is the init of a pid namespace of its own)",
					  d->o->container);
		ro.attach_init = d->attach_init;
		ro.argv = NULL;
	} else if (mkdir(d->o->dir, 0755) && errno != EEXIST) {
		return sk_err_set(d->err, errno, "%s: %s", d->o->dir, strerror(errno));
	}
	ret = sk_session_signals();
	if (ret)
		return sk_err_set(d->err, -ret, "cannot set up signal forwarding: %s", strerror(-ret));
	ret = sk_ebpf_ctrs_start(&ro, &d->c, d->err);
	if (ret)
		return ret;
	if (d->attach_init)
		d->slots[0] = (struct slot){ .active = true, .ident = id, .init = d->attach_init,
					     .t0 = sk_session_now_ms(),
					     .root = root_of(d->attach_init) };
	d->cmd_alive = !d->attach_init;
	return 0;
}

int sk_record_containers(const struct sk_containers_opts *o,
			 struct sk_containers_result *res, struct sk_err *err)
{
	struct drv d = { .o = o, .res = res, .err = err };
	struct sk_ctr_info info;
	int ret;

	memset(res, 0, sizeof(*res));
	for (unsigned i = 0; i < SK_CTR_MAX; i++)
		d.slots[i].root = -1;
	if (o->output) {
		ret = sk_session_check_output(o->output, err);
		if (ret)
			return ret;
	}
	ret = start(&d);
	if (!ret)
		ret = loop(&d);
	if (d.c && !sk_ebpf_ctrs_info(d.c, 0, &info))
		res->lost = info.lost_ctrs;
	sk_ebpf_ctrs_free(d.c);
	for (unsigned i = 0; i < SK_CTR_MAX; i++)
		if (d.slots[i].root >= 0)
			close(d.slots[i].root);
	return ret;
}

void sk_containers_result_free(struct sk_containers_result *res)
{
	for (size_t i = 0; i < res->n_written; i++) {
		free(res->written[i].file);
		free(res->written[i].files);
	}
	sk_warn_clear(&res->warn);
	free(res->written);
	res->written = NULL;
	res->n_written = 0;
}
