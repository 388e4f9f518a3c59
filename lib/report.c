/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply's supervised run and its words (report.h): the judge over the
 * profile's filter, each denied call named (and, with --ask, asked about)
 * on the main thread while the run goes on, and the summaries at its end.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "scmpkit/arch.h"
#include "scmpkit/ask.h"
#include "scmpkit/cli.h"
#include "scmpkit/denial.h"
#include "scmpkit/exit_like.h"
#include "scmpkit/gen_landlock.h"
#include "scmpkit/judge.h"
#include "scmpkit/landlock.h"
#include "scmpkit/pathrec.h"
#include "scmpkit/report.h"
#include "scmpkit/textesc.h"
#include "scmpkit/tracer.h"
#include "tree_sys.h"

/* What the drain function prints and asks with, on the main thread. */
struct sk_judge_ui {
	const struct sk_profile *p;
	const struct sk_filter_opts *fo;
	scmp_filter_ctx ctx;       /* the profile's filter: the arches it covers */
	bool kill_tree;
	FILE *tty;                 /* --ask: the controlling terminal */
	struct sk_ask *ask;        /* --ask: the answers given */
	uint64_t dropped_told;
	struct said *said;         /* how often each (call, executable) was named */
	size_t n_said, cap_said;
};

/*
 * A flood of one denied call (a loop retrying it) is named SAY_FIRST times
 * per (call, executable) and then only counted: the summary at the end
 * lists every call with its count.  Past SAID_MAX distinct pairs, new
 * pairs are counted without a line.
 */
#define SAY_FIRST 3
#define SAID_MAX 4096

struct said {
	uint32_t arch;
	int nr;
	const char *exe;           /* borrowed from the run's recorder */
	uint64_t n;
};

struct sk_report {
	struct sk_report_opts o;
	struct sk_judge_ui ui;
	struct sk_judge *j;
	struct sock_fprog notify;  /* the filter the program runs under */
	struct sk_landlock *ll;    /* --landlock: the ruleset, */
	int ll_fd;                 /* built here (-1: no Landlock here) */
	bool ll_open;
	struct sk_warn ll_warn;    /* what this kernel cannot enforce of it */
};

/* The parts of a denial's line: the call, its arch, why it is denied. */
struct denial_text {
	char call[512];
	char arch[32];
	char why[1024];
	const char *exe;
};

static void denial_text(const struct sk_judge_ui *ui, const struct sk_denial *d,
			struct denial_text *t)
{
	uint32_t arch = d->arch;
	int nr = d->nr;

	sk_arch_classify(&arch, &nr);
	sk_denial_call(d->arch, d->nr, d->args, t->call, sizeof(t->call));
	sk_denial_arch(arch, t->arch, sizeof(t->arch));
	sk_denial_reason(ui->p, ui->fo, seccomp_arch_exist(ui->ctx, arch) == 0,
			 d->arch, d->nr, d->args, t->why, sizeof(t->why));
	t->exe = d->exe ? d->exe : "?";
}

static bool is_kill(const struct sk_verdict *v)
{
	return v->kind == SK_VERDICT_KILL_PROCESS || v->kind == SK_VERDICT_KILL_THREAD;
}

/* "scmp-apply: denied CALL [ARCH] by EXE (pid N): WHY; DONE" on f. */
static void say_denial(FILE *f, const struct denial_text *t, const struct sk_denial *d,
		       const char *done)
{
	sk_cli_say(f, "scmp-apply", "%s %s [%s] by %s (pid %d): %s%s%s",
		   d->verdict.kind == SK_VERDICT_CONTINUE && !d->question ? "logged" : "denied",
		   t->call, t->arch, t->exe, (int)d->pid, t->why, done ? "; " : "",
		   done ? done : "");
}

/* Whether the asking task still exists (a killed one goes with its tree). */
static bool task_exists(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return stat(path, &st) == 0;
}

/*
 * Reads one answer line from the terminal.  Signals (a window resize is
 * forwarded to the program) do not end the wait; the asking task's death
 * does.  1 with line filled, 0 at end of input or when the task is gone.
 */
static int read_answer(FILE *tty, pid_t pid, char *line, size_t len)
{
	struct pollfd p = { .fd = fileno(tty), .events = POLLIN };

	for (;;) {
		int r = poll(&p, 1, 250);
		ssize_t n;

		if (r == 0 || (r < 0 && errno == EINTR)) {
			if (!task_exists(pid))
				return 0;
			continue;
		}
		if (r < 0)
			return 0;
		n = read(p.fd, line, len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		line[n] = '\0';
		return 1;
	}
}

static const char *answer_words(enum sk_answer a)
{
	switch (a) {
	case SK_ANSWER_ONCE: return "allowed once (your answer)";
	case SK_ANSWER_ALWAYS: return "allowed for the run (your answer)";
	case SK_ANSWER_EPERM: return "failed with EPERM (your answer)";
	case SK_ANSWER_ENOSYS: return "failed with ENOSYS (your answer)";
	case SK_ANSWER_KILL: return "process killed (your answer)";
	default: return "";
	}
}

/*
 * Whether answer a for d must be refused (sk_ask_refused): "allow always"
 * is asked again, a denial is done for this call only.  Says why on the
 * terminal.
 */
static bool refuse(struct sk_judge_ui *ui, const struct sk_denial *d, enum sk_answer a,
		   bool *once)
{
	struct sk_ask_entry e = { .answer = a, .profile_ret = d->ret };
	char why[512];

	if (a == SK_ANSWER_ONCE || !sk_ask_changes(&e) ||
	    !sk_ask_refused(ui->p, d->arch, d->nr, why, sizeof(why)))
		return false;
	if (a == SK_ANSWER_ALWAYS) {
		sk_cli_say(ui->tty, "scmp-apply", "cannot allow this always: %s. Allow it once, or deny it.",
			   why);
		return true;
	}
	sk_cli_say(ui->tty, "scmp-apply", "done for this call only, not remembered nor written: %s",
		   why);
	*once = true;
	return false;
}

/* The dialogue: the answer given (SK_ANSWER_NONE: none), *once when it
 * holds for this call only. */
static enum sk_answer prompt(struct sk_judge_ui *ui, const struct sk_denial *d,
			     const struct denial_text *t, const char *done, bool *once)
{
	enum sk_answer a = SK_ANSWER_NONE;
	char line[128];

	/* Type-ahead is dropped (it answered no question of ours), and the
	 * question starts on a line of its own. */
	tcflush(fileno(ui->tty), TCIFLUSH);
	fputs("\r\033[K", ui->tty);
	sk_cli_say(ui->tty, "scmp-apply", "denied %s [%s] by %s (pid %d): %s",
		   t->call, t->arch, t->exe, (int)d->pid, t->why);
	for (;;) {
		fprintf(ui->tty, "scmp-apply: the profile: %s. Allow once (o), allow always (a), deny with EPERM (e), deny with ENOSYS (n), kill (k)? ",
			done);
		fflush(ui->tty);
		if (!read_answer(ui->tty, d->pid, line, sizeof(line))) {
			fprintf(ui->tty, "\nscmp-apply: no answer: as the profile says\n");
			fflush(ui->tty);
			return SK_ANSWER_NONE;
		}
		a = sk_ask_parse(line);
		if (a && !refuse(ui, d, a, once))
			return a;
	}
}

/*
 * --ask: a call not decided before is asked about on the terminal, with
 * the program's tree stopped meanwhile (nothing of it can draw over the
 * question); one decided before gets the same answer without a word.
 */
static void ask_about(struct sk_judge_ui *ui, struct sk_judge *j, const struct sk_denial *d)
{
	enum sk_answer a = sk_ask_find(ui->ask, d->arch, d->nr, d->args);
	pid_t keeper = sk_judge_keeper(j);
	struct sk_verdict v = d->verdict;
	struct denial_text t;
	bool once = false;
	char done[128];

	if (a) {
		sk_ask_verdict(a, &v);
		sk_judge_answer(j, d->seq, &v);
		return;
	}
	if (keeper > 0)
		sk_tree_stop(keeper, d->pid);
	denial_text(ui, d, &t);
	sk_denial_done(&d->verdict, ui->kill_tree && is_kill(&d->verdict), done, sizeof(done));
	a = prompt(ui, d, &t, done, &once);
	if (a) {
		sk_ask_verdict(a, &v);
		if (!once && sk_ask_remember(ui->ask, d->arch, d->nr, d->args, d->ret, a) == -ENOMEM)
			sk_cli_say(stderr, "scmp-apply", "warning: out of memory: the answer is not remembered");
	}
	sk_judge_answer(j, d->seq, &v);
	if (keeper > 0)
		sk_tree_continue(keeper);
	/* The log on stderr, unless the terminal already showed it. */
	if (!isatty(STDERR_FILENO)) {
		struct sk_denial shown = *d;

		shown.verdict = v;
		say_denial(stderr, &t, &shown, a ? answer_words(a) : done);
	}
}

/* The count of d's (call, executable) pair, bumped; NULL past SAID_MAX. */
static struct said *said_bump(struct sk_judge_ui *ui, const struct sk_denial *d)
{
	const char *exe = d->exe ? d->exe : "?";
	struct said *s;

	for (size_t i = 0; i < ui->n_said; i++) {
		s = &ui->said[i];
		if (s->arch == d->arch && s->nr == d->nr && !strcmp(s->exe, exe)) {
			s->n++;
			return s;
		}
	}
	if (ui->n_said == SAID_MAX)
		return NULL;
	if (ui->n_said == ui->cap_said) {
		size_t cap = ui->cap_said ? 2 * ui->cap_said : 32;

		s = realloc(ui->said, cap * sizeof(*s));
		if (!s)
			return NULL;
		ui->said = s;
		ui->cap_said = cap;
	}
	s = &ui->said[ui->n_said++];
	*s = (struct said){ .arch = d->arch, .nr = d->nr, .exe = exe, .n = 1 };
	return s;
}

/* Names a denial, the first SAY_FIRST times of its (call, executable). */
static void name_denial(struct sk_judge_ui *ui, const struct sk_denial *d)
{
	struct said *s = said_bump(ui, d);
	struct denial_text t;
	char done[128];

	if (!s || s->n > SAY_FIRST + 1)
		return;
	denial_text(ui, d, &t);
	if (s->n == SAY_FIRST + 1) {
		sk_cli_say(stderr, "scmp-apply", "%s [%s] by %s denied again: counting such calls from here on, not naming them (the summary gives the count)",
			   t.call, t.arch, t.exe);
		return;
	}
	sk_denial_done(&d->verdict, ui->kill_tree && is_kill(&d->verdict), done, sizeof(done));
	say_denial(stderr, &t, d, done);
}

/* The judge's drain: each queued call named (and, with --ask, asked about). */
static void drain(struct sk_judge_ui *ui, struct sk_judge *j)
{
	struct sk_denial d;
	uint64_t dropped;

	while (sk_judge_take(j, &d)) {
		if (d.question)
			ask_about(ui, j, &d);
		else
			name_denial(ui, &d);
	}
	/* Said once: a flood would otherwise print a line per drain. */
	dropped = sk_judge_dropped(j);
	if (dropped && !ui->dropped_told) {
		sk_cli_say(stderr, "scmp-apply", "denied calls come faster than they can be named: counting them without a line (the record and the summary hold them all)");
		ui->dropped_told = dropped;
	}
}

/* A word for a shell command line: as it is, or in single quotes. */
static void put_word(FILE *f, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-+=:,@%") == strlen(s)) {
		sk_esc_put(f, s, SK_ESC_MESSAGE);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		char c[2] = { *s, '\0' };

		if (*s == '\'')
			fputs("'\\''", f);
		else
			sk_esc_put(f, c, SK_ESC_MESSAGE);
	}
	fputc('\'', f);
}

/* One summary line per denied call: its (call, arguments) pairs and who made it. */
static void summary_line(FILE *f, const struct sk_trace *t, const struct sk_trace_sys *s)
{
	char call[512], arch[32];
	uint32_t a = s->arch;

	sk_denial_arch(a, arch, sizeof(arch));
	fprintf(f, "scmp-apply:   %s [%s]: %llu call%s", s->name ? s->name : "?", arch,
		(unsigned long long)s->count, s->count == 1 ? "" : "s");
	for (size_t i = 0; i < s->n_exe && i < 3; i++) {
		fputs(i ? ", " : " by ", f);
		sk_esc_put(f, t->executables[s->exe[i]], SK_ESC_MESSAGE);
	}
	if (s->n_exe > 3)
		fputs(", ...", f);
	for (size_t k = 0; s->name && k < s->n_tuples; k++) {
		sk_denial_tuple(s->name, s->n_argidx, s->argidx, s->tuples + k * s->n_argidx,
				call, sizeof(call));
		fprintf(f, "%s%s", k ? ", " : ", as ", call);
	}
	fprintf(f, "%s\n", s->args_unbounded ? ", and more argument values" : "");
}

/* --landlock: what this kernel could not enforce, and each path and port
 * the ruleset refused the program (its recorded paths replayed). */
static void landlock_summary(FILE *f, const struct sk_report *r, const struct sk_trace *t)
{
	if (!r->ll)
		return;
	for (size_t i = 0; i < r->ll_warn.n; i++)
		sk_cli_say(f, "scmp-apply", "warning: %s", r->ll_warn.msgs[i]);
	if (r->ll_fd >= 0 && !sk_landlock_replay(f, r->ll, t, "this run"))
		sk_cli_say(f, "scmp-apply", "report: %s refused nothing the program did",
			   r->o.landlock);
}

/* The end of a --report run: every denied (call, arguments) pair, and how to allow them. */
void sk_report_summary(FILE *f, const struct sk_report *r, const struct sk_trace *t)
{
	const char *profile = r->o.p->file, *output = r->o.output;
	uint64_t calls = 0;

	landlock_summary(f, r, t);
	for (size_t i = 0; i < t->n_sys; i++)
		calls += t->sys[i].count;
	if (!t->n_sys) {
		sk_cli_say(f, "scmp-apply", "report: %s denied nothing the program did", profile);
		return;
	}
	sk_cli_say(f, "scmp-apply", "report: %s did not allow %llu call%s (%zu syscall%s):", profile,
		   (unsigned long long)calls, calls == 1 ? "" : "s", t->n_sys, t->n_sys == 1 ? "" : "s");
	for (size_t i = 0; i < t->n_sys; i++)
		summary_line(f, t, &t->sys[i]);
	if (!output) {
		/* An --ask run has been asked already: no --ask to suggest. */
		sk_cli_say(f, "scmp-apply", "to allow them, run again with --report=FILE and merge FILE with the traces %s was made from (scmp-gen -o NEW.json TRACE.json... FILE)%s",
			   profile, r->o.ask ? "" : ", or with --ask=NEW.json to decide call by call");
		return;
	}
	sk_cli_say(f, "scmp-apply", "recorded in %s; this makes a profile that allows them too, from the traces %s was made from:",
		   output, profile);
	fputs("scmp-apply:   scmp-gen -o NEW.json TRACE.json... ", f);
	put_word(f, output);
	fputc('\n', f);
}

/* "+ allow readlink [x86_64]" for each answer that changed the profile. */
static void changes(FILE *f, const struct sk_ask *a)
{
	for (size_t i = 0; i < sk_ask_count(a); i++) {
		const struct sk_ask_entry *e = sk_ask_get(a, i);
		char call[512], arch[32];

		if (!sk_ask_changes(e))
			continue;
		sk_denial_tuple(e->name, e->n_argidx, e->argidx, e->tuple, call, sizeof(call));
		sk_denial_arch(e->arch, arch, sizeof(arch));
		sk_cli_say(f, "scmp-apply", "  + %s %s [%s]",
			   e->answer == SK_ANSWER_ALWAYS ? "allow" :
			   e->answer == SK_ANSWER_EPERM ? "errno EPERM:" :
			   e->answer == SK_ANSWER_ENOSYS ? "errno ENOSYS:" : "kill-process:",
			   call, arch);
	}
}

void sk_report_changes(FILE *f, const struct sk_report *r, int n, const char *file)
{
	if (!n) {
		sk_cli_say(f, "scmp-apply", "ask: no answer changed %s; wrote it unchanged to %s",
			   r->o.p->file, file);
		return;
	}
	sk_cli_say(f, "scmp-apply", "ask: wrote %s: %s with %d rule%s more:", file,
		   r->o.p->file, n, n == 1 ? "" : "s");
	changes(f, r->ui.ask);
}

/* The judge and the filter it supervises: the profile's, denials notified. */
static int make_judge(scmp_filter_ctx ctx, const struct sk_judge_opts *jo,
		      struct sk_judge **j, struct sock_fprog *notify,
		      struct sk_err *err)
{
	struct sock_fprog prof = { 0 };
	int ret = sk_filter_export(ctx, &prof, err);

	if (!ret)
		ret = sk_judge_filter(&prof, notify, err);
	if (!ret && !(*j = sk_judge_new(&prof, jo))) {
		free(notify->filter);
		notify->filter = NULL;
		ret = sk_err_set(err, ENOMEM, "out of memory");
	}
	free(prof.filter);
	return ret;
}

/* The complain run's summary: what the profile would have denied. */
void sk_report_complain(FILE *f, const struct sk_trace *t, const char *file)
{
	size_t shown = 0;

	if (t->has_paths) {
		fprintf(f, "scmp-apply: complain: %zu path%s and %zu TCP port%s the Landlock ruleset would have refused, recorded in ",
			t->n_paths, t->n_paths == 1 ? "" : "s", t->n_ports, t->n_ports == 1 ? "" : "s");
		sk_esc_put(f, file, SK_ESC_MESSAGE);
		fputs(" (scmp-gen --landlock merges it with the traces)\n", f);
	}
	if (!t->n_sys) {
		sk_cli_say(f, "scmp-apply", "complain: the profile allowed every call the program made (%s is empty)",
			   file);
		return;
	}
	fprintf(f, "scmp-apply: complain: %zu syscall%s the profile would have denied, recorded in ",
		t->n_sys, t->n_sys == 1 ? "" : "s");
	sk_esc_put(f, file, SK_ESC_MESSAGE);
	fputc(':', f);
	for (size_t i = 0; i < t->n_sys && shown < 20; i++, shown++)
		fprintf(f, " %s", t->sys[i].name ? t->sys[i].name : "?");
	fprintf(f, "%s\n", t->n_sys > shown ? " ..." : "");
}


bool sk_report_implicit_ok(void)
{
	struct sk_err why;

	return sk_notify_available(&why);
}

int sk_report_tty(FILE **tty, struct sk_err *err)
{
	FILE *f = fopen("/dev/tty", "r+e");

	if (!f)
		return sk_err_set(err, errno, "--ask needs a terminal to ask on: /dev/tty: %s (run it from a terminal, or use --report)",
				  strerror(errno));
	*tty = f;
	return 0;
}

/* --landlock FILE: the ruleset built for the child, read for the summary,
 * and the calls that need a right notified too, for their paths. */
static int landlock_setup(struct sk_report *r, struct sk_err *err)
{
	struct sock_fprog wrapped;
	int ret = sk_landlock_prepare_file(r->o.landlock, r->o.landlock_strict, &r->ll_fd,
					   &r->ll_warn, err);

	if (ret)
		return ret;
	r->ll_open = r->ll_fd >= 0;
	ret = sk_landlock_load(r->o.landlock, &r->ll, err);
	if (!ret && sk_pathrec_notify_filter(&r->notify, &wrapped))
		ret = sk_err_set(err, ENOMEM, "out of memory");
	if (ret)
		return ret;
	free(r->notify.filter);
	r->notify = wrapped;
	return 0;
}

int sk_report_new(const struct sk_report_opts *o, struct sk_report **out,
		  struct sk_err *err)
{
	struct sk_report *r = calloc(1, sizeof(*r));
	struct sk_judge_opts jo = {
		.mode = o->ask ? SK_JUDGE_ASK : SK_JUDGE_REPORT,
		.kill_tree = o->kill_tree, .drain = drain,
	};
	int ret;

	if (!r || (o->ask && !(r->ui.ask = sk_ask_new()))) {
		free(r);
		return sk_err_set(err, ENOMEM, "out of memory");
	}
	r->o = *o;
	r->ui = (struct sk_judge_ui){ .p = o->p, .fo = o->fo, .ctx = o->ctx,
				      .kill_tree = o->kill_tree, .tty = o->tty,
				      .ask = r->ui.ask };
	jo.ui = &r->ui;
	ret = o->complain ? 0 : make_judge(o->ctx, &jo, &r->j, &r->notify, err);
	if (!ret && o->landlock && !o->complain)
		ret = landlock_setup(r, err);
	else if (!ret && o->landlock)
		ret = sk_landlock_load(o->landlock, &r->ll, err);
	if (ret) {
		sk_report_free(r);
		return ret;
	}
	*out = r;
	return 0;
}

void sk_report_free(struct sk_report *r)
{
	if (!r)
		return;
	sk_judge_free(r->j);
	sk_ask_free(r->ui.ask);
	free(r->ui.said);
	free(r->notify.filter);
	if (r->ll_open)
		close(r->ll_fd);
	sk_landlock_free(r->ll);
	sk_warn_clear(&r->ll_warn);
	free(r);
}

/* err says which option could not run (when nothing ran), and what it needs. */
static int failed(const struct sk_report *r, bool ran, int ret, struct sk_err *err)
{
	char msg[sizeof(err->msg)];

	memcpy(msg, err->msg, sizeof(msg));
	return sk_err_set(err, -ret, "%s%s%s",
			  ran ? "" : r->o.complain ? "--complain: " : "--report: ", msg,
			  ret != -EBUSY && ret != -ENOSYS ? "" : r->o.complain ?
			  " (complain mode needs seccomp user notification)" :
			  " (--report, --ask and --kill-tree need seccomp user notification)");
}

int sk_report_run(struct sk_report *r, char *const *argv, const char *path,
		  struct sk_record_result *rr, struct sk_err *err)
{
	struct sk_record_opts ro = {
		.tool = "scmp-apply " SK_VERSION, .output = r->o.output, .argv = argv,
		.path = path, .baseline_file = r->o.p->file, .backend_label = "report",
		.backend = SK_BACKEND_NOTIFY,
		.tracer = { .quiet = r->o.quiet, .filter = &r->notify, .judge = r->j },
	};
	int ret;

	/* --complain: every call the profile would deny notified, continued. */
	if (r->o.complain) {
		ro.baseline = r->o.p;
		ro.backend_label = "complain";
		ro.tracer.filter = NULL;
		/* --landlock: every path it names, kept when refused. */
		ro.notify_paths = r->ll != NULL;
		ro.keep_refused = r->ll;
	}
	/* Paths are kept for the Landlock ruleset only. */
	ro.no_paths = !r->ll;
	ro.tracer.landlock = r->ll_open;
	ro.tracer.landlock_fd = r->ll_fd;
	while (argv[ro.argc])
		ro.argc++;
	ret = sk_record(&ro, rr, err);
	return ret ? failed(r, rr->ran, ret, err) : 0;
}

int sk_report_refine(const struct sk_report *r, struct sk_profile *p, const char *file,
		     struct sk_warn *warn, struct sk_err *err)
{
	scmp_filter_ctx ctx = NULL;
	int n = sk_ask_refine(r->ui.ask, p, warn, err), ret = 0;

	if (n >= 0 && !(ret = sk_filter_build(p, r->o.fo, &ctx, warn, err)))
		ret = sk_profile_save(p, file, err);
	seccomp_release(ctx);
	if (n < 0)
		return n;
	return ret ? ret : n;
}

/* --ask=FILE after the run: the refined profile written, what changed on f.
 * A failure is a warning: the run and its status stand. */
static int write_asked(const struct sk_report *r, struct sk_profile *p, const char *file,
		       FILE *f, struct sk_warn *warn)
{
	struct sk_err err = { "" };
	int n = sk_report_refine(r, p, file, warn, &err);

	if (n >= 0) {
		sk_report_changes(f, r, n, file);
		return 0;
	}
	if (sk_warn_add(warn, "--ask=%s: not written: %s", file, err.msg))
		return -ENOMEM;
	return 0;
}

int sk_report_session(const struct sk_report_opts *o, struct sk_profile *p,
		      char *const *argv, const char *path, const char *ask_file,
		      FILE *f, struct sk_record_result *rr, struct sk_warn *warn,
		      struct sk_err *err)
{
	struct sk_report *r = NULL;
	int ret = sk_report_new(o, &r, err);

	if (!ret)
		ret = sk_report_run(r, argv, path, rr, err);
	if (!ret && !o->quiet && o->complain)
		sk_report_complain(f, rr->trace, o->output);
	else if (!ret && !o->quiet && (!o->implicit || rr->trace->n_sys))
		sk_report_summary(f, r, rr->trace);
	/* Whatever became of the run, the answers given are written. */
	if (r && ask_file && (!ret || rr->ran) && write_asked(r, p, ask_file, f, warn))
		ret = ret ? ret : sk_err_set(err, ENOMEM, "out of memory");
	sk_report_free(r);
	return ret;
}

int sk_report_session_said(const struct sk_report_opts *o, struct sk_profile *p,
			   char *const *argv, const char *path, const char *ask_file,
			   FILE *f, struct sk_record_result *rr)
{
	struct sk_warn warn = { 0 };
	struct sk_err err = { "" };
	int ret = sk_report_session(o, p, argv, path, ask_file, f, rr, &warn, &err);

	if (rr->ran)
		sk_cli_guard_note("scmp-apply", &rr->res, o->quiet);
	sk_cli_warnings("scmp-apply", &warn, false);
	sk_warn_clear(&warn);
	if (!ret)
		return 0;
	fprintf(f, "scmp-apply: %s\n", err.msg);
	return rr->ran ? SK_EXIT_FAIL : sk_exit_of_start(ret);
}
