/* SPDX-License-Identifier: MIT */
/*
 * scmp-apply --check --trace (replay.h): each recorded (arch, call, values)
 * run through the exported filter with the arguments the trace does not
 * hold left unknown (sk_filter_eval_all follows every value of them), and
 * the bits it masked off tried both clear and set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>

#include "argknow.h"
#include "json_util.h"
#include "scmpkit/arch.h"
#include "scmpkit/denial.h"
#include "scmpkit/replay.h"

struct sk_replay {
	struct sock_fprog prog;
	scmp_filter_ctx ctx;
	const struct sk_profile *p;
	const struct sk_filter_opts *fo;
	struct sk_replay_result res;
	size_t cap_f;
};

/* The outcomes of one recorded call over the values it leaves unknown. */
struct judged {
	size_t n;
	uint32_t rets[SK_EVAL_RETS_MAX];
	bool incomplete;
};

int sk_replay_new(scmp_filter_ctx ctx, const struct sk_profile *p,
		  const struct sk_filter_opts *fo, struct sk_replay **out,
		  struct sk_err *err)
{
	struct sk_replay *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return sk_err_set(err, ENOMEM, "out of memory");
	ret = sk_filter_export(ctx, &r->prog, err);
	if (ret) {
		free(r);
		return ret;
	}
	r->ctx = ctx;
	r->p = p;
	r->fo = fo;
	*out = r;
	return 0;
}

void sk_replay_free(struct sk_replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->res.n; i++) {
		free(r->res.f[i].name);
		free(r->res.f[i].call);
		free(r->res.f[i].why);
	}
	for (size_t i = 0; i < r->res.n_traces; i++)
		free(r->res.traces[i].file);
	free(r->res.f);
	free(r->res.traces);
	free(r->prog.filter);
	free(r);
}

const struct sk_replay_result *sk_replay_result(const struct sk_replay *r)
{
	return &r->res;
}

bool sk_replay_allows(uint32_t ret)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	return act == SECCOMP_RET_ALLOW || act == SECCOMP_RET_LOG;
}

void sk_replay_action(uint32_t ret, char *buf, size_t len)
{
	const char *name = sk_filter_action_name(ret);
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;
	const char *e = sk_errno_name((int)data);

	if (!len)
		return;
	if (act == SECCOMP_RET_ERRNO && e)
		snprintf(buf, len, "%s(%s)", name, e);
	else if (act == SECCOMP_RET_ERRNO || act == SECCOMP_RET_TRACE)
		snprintf(buf, len, "%s(%u)", name, data);
	else
		snprintf(buf, len, "%s", name);
}

/* Runs the filter on e with args (known: bit i for args[i]), adding the
 * outcomes to j. */
static void run(const struct sk_replay *r, const struct sk_trace_sys *e,
		const uint64_t *args, unsigned known, struct judged *j)
{
	struct sk_eval_all o;

	if (!e->name || sk_filter_eval_all(&r->prog, e->arch, e->name, args, known, &o, NULL))
		sk_filter_eval_all_nr(&r->prog, e->arch, e->nr, args, known, &o);
	j->incomplete |= o.incomplete;
	for (size_t i = 0; i < o.n; i++) {
		size_t k = 0;

		while (k < j->n && j->rets[k] != o.rets[i])
			k++;
		if (k == j->n && j->n < SK_EVAL_RETS_MAX)
			j->rets[j->n++] = o.rets[i];
		else if (k == j->n)
			j->incomplete = true;
	}
}

/*
 * Every outcome of e with tuple's values (NULL: all unknown).  A position
 * whose recorded value is masked (socket's type without SOCK_CLOEXEC) is
 * run with the bits the trace dropped clear and then set.
 */
static void judge(const struct sk_replay *r, const struct sk_trace_sys *e,
		  const uint64_t *tuple, uint64_t args[6], struct judged *j)
{
	const struct sk_argspec *spec = e->name && tuple ? sk_argspec_find(e->arch, e->name) : NULL;
	uint64_t high[6];
	unsigned known = 0;
	bool masked = false;

	memset(j, 0, sizeof(*j));
	memset(args, 0, 6 * sizeof(*args));
	for (unsigned i = 0; tuple && i < e->n_argidx; i++) {
		args[e->argidx[i]] = tuple[i];
		known |= 1U << e->argidx[i];
	}
	memcpy(high, args, sizeof(high));
	for (unsigned i = 0; spec && i < spec->n; i++) {
		const struct sk_argpos *pos = &spec->pos[i];
		uint64_t width = pos->is32 ? 0xffffffffULL : ~0ULL;

		if (!(known & (1U << pos->index)) || (pos->mask & width) == width)
			continue;
		high[pos->index] |= width & ~pos->mask;
		masked = true;
	}
	run(r, e, args, known, j);
	if (masked)
		run(r, e, high, known, j);
}

static bool lists(const struct sk_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_names; i++)
		if (!strcmp(r->names[i], name))
			return true;
	return false;
}

/*
 * Whether ret is an answer the profile gives e on purpose: ENOSYS (as e's
 * arch numbers it) from an active rule naming the call, as scmp-gen
 * writes for clone3 and for calls that only ever failed with ENOSYS.  The
 * program then takes the fallback it has for a kernel without the call;
 * it is not a denial of the trace.
 */
static bool answered(const struct sk_replay *r, const struct sk_trace_sys *e,
		     uint32_t ret)
{
	uint32_t data = ret & SECCOMP_RET_DATA;

	if ((ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ERRNO || !e->name ||
	    data != (uint32_t)sk_arch_enosys(e->arch))
		return false;
	for (size_t i = 0; i < r->p->n_rules; i++) {
		const struct sk_rule *rule = &r->p->rules[i];

		if (rule->action == SK_ACT_ERRNO && rule->has_errno &&
		    rule->errno_ret == data && lists(rule, e->name) &&
		    sk_filter_rule_active(rule, r->fo))
			return true;
	}
	return false;
}

/* 0 when every outcome allows (or is answered on purpose: *on_purpose
 * set), else the verdict; orders j's outcomes denials first. */
static int verdict(const struct sk_replay *r, const struct sk_trace_sys *e,
		   struct judged *j, bool *on_purpose)
{
	uint32_t sorted[SK_EVAL_RETS_MAX];
	size_t k = 0, allows = 0, purpose = 0;

	for (size_t i = 0; i < j->n; i++)
		purpose += answered(r, e, j->rets[i]);
	for (size_t i = 0; i < j->n; i++)
		if (!sk_replay_allows(j->rets[i]))
			sorted[k++] = j->rets[i];
	for (size_t i = 0; i < j->n; i++)
		if (sk_replay_allows(j->rets[i])) {
			sorted[k++] = j->rets[i];
			allows++;
		}
	memcpy(j->rets, sorted, j->n * sizeof(*sorted));
	if (allows + purpose == j->n && !j->incomplete) {
		*on_purpose |= purpose > 0;
		return 0;
	}
	if (!allows && j->n && !j->incomplete)
		return SK_REPLAY_DENIED;
	return SK_REPLAY_DEPENDS;
}

/* Whether the trace holds every bit of argument index of f that a rule
 * may compare. */
static bool recorded_whole(const struct sk_replay_finding *f, unsigned index)
{
	const struct sk_argspec *spec = sk_argspec_find(f->arch, f->name);

	for (unsigned i = 0; !f->all_values && i < f->n_argidx; i++) {
		if (f->argidx[i] != index)
			continue;
		for (unsigned k = 0; spec && k < spec->n; k++) {
			uint64_t width = spec->pos[k].is32 ? 0xffffffffULL : ~0ULL;

			if (spec->pos[k].index == index)
				return (spec->pos[k].mask & width) == width;
		}
		return true;
	}
	return false;
}

/*
 * Why a call may be denied: "allow.json syscalls[3] compares fd (arg0),
 * which the trace does not record" for the first active rule of the call
 * that compares an argument (or bits of one) the trace does not hold; 0,
 * or -ENOENT when no rule does (then sk_denial_reason says it).
 */
static int depends_why(const struct sk_replay *r, const struct sk_replay_finding *f,
		       char *buf, size_t len)
{
	for (size_t i = 0; f->name && i < r->p->n_rules; i++) {
		const struct sk_rule *rule = &r->p->rules[i];

		if (!lists(rule, f->name) || !sk_filter_rule_active(rule, r->fo))
			continue;
		for (size_t k = 0; k < rule->n_args; k++) {
			unsigned idx = rule->args[k].index;
			const char *an = sk_denial_argname(f->name, idx);
			bool part = !f->all_values && idx < 6 && !recorded_whole(f, idx);
			bool some = false;

			for (unsigned a = 0; !f->all_values && a < f->n_argidx; a++)
				some |= f->argidx[a] == idx;
			if (some && !part)
				continue;
			snprintf(buf, len, "%s %s compares %s%sarg%u%s, which the trace %s",
				 r->p->file, rule->where ? rule->where : "a rule",
				 an ? an : "", an ? " (" : "", idx, an ? ")" : "",
				 some ? "records only in part (the bits it keeps)" :
				 f->all_values && f->n_argidx ? "does not keep past its cap" :
				 "does not record");
			return 0;
		}
	}
	return -ENOENT;
}

/* The finding's words: the call as recorded, and why the profile denies it. */
static int describe(const struct sk_replay *r, struct sk_replay_finding *f,
		    const uint64_t args[6])
{
	char call[512], why[1024];

	if (!f->name)
		snprintf(call, sizeof(call), "syscall %d", f->nr & ~SK_X32_SYSCALL_BIT);
	else if (f->all_values && f->n_argidx && f->arch_covered)
		snprintf(call, sizeof(call), "%s(any values)", f->name);
	else
		sk_denial_tuple(f->name, f->all_values ? 0 : f->n_argidx, f->argidx,
				f->tuple, call, sizeof(call));
	if (f->verdict != SK_REPLAY_DEPENDS || depends_why(r, f, why, sizeof(why)))
		sk_denial_reason(r->p, r->fo, f->arch_covered, f->arch, f->nr, args,
				 why, sizeof(why));
	f->call = strdup(call);
	f->why = strdup(why);
	return f->call && f->why ? 0 : -ENOMEM;
}

static int add_finding(struct sk_replay *r, struct sk_replay_trace *st,
		       const struct sk_trace_sys *e, const uint64_t *tuple,
		       const uint64_t args[6], const struct judged *j, int v)
{
	struct sk_replay_finding *f;

	if (r->res.n == r->cap_f) {
		size_t cap = r->cap_f ? 2 * r->cap_f : 16;
		struct sk_replay_finding *bigger = realloc(r->res.f, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		r->res.f = bigger;
		r->cap_f = cap;
	}
	f = &r->res.f[r->res.n];
	*f = (struct sk_replay_finding){
		.trace = st->file, .arch = e->arch, .nr = e->nr, .n_argidx = e->n_argidx,
		.all_values = !tuple, .verdict = (enum sk_replay_verdict)v,
		.arch_covered = seccomp_arch_exist(r->ctx, e->arch) == 0,
		.n_rets = j->n, .count = e->count,
	};
	memcpy(f->argidx, e->argidx, sizeof(f->argidx));
	memcpy(f->rets, j->rets, j->n * sizeof(*j->rets));
	for (unsigned i = 0; tuple && i < e->n_argidx; i++)
		f->tuple[i] = tuple[i];
	if ((e->name && !(f->name = strdup(e->name))) || describe(r, f, args)) {
		free(f->name);
		free(f->call);
		free(f->why);
		return -ENOMEM;
	}
	r->res.n++;
	if (v == SK_REPLAY_DENIED)
		st->n_denied++, r->res.n_denied++;
	else
		st->n_depends++, r->res.n_depends++;
	return 0;
}

/*
 * One recorded call: each tuple, or (no tuple, values past the cap, or an
 * arch the filter does not cover) every value at once.
 */
static int replay_sys(struct sk_replay *r, struct sk_replay_trace *st,
		      const struct sk_trace_sys *e)
{
	bool covered = seccomp_arch_exist(r->ctx, e->arch) == 0;
	bool tuples = covered && e->n_argidx && e->n_tuples;
	bool found = false, purpose = false;
	uint64_t args[6];
	struct judged j;
	int v, ret = 0;

	for (size_t k = 0; tuples && !ret && k < e->n_tuples; k++) {
		const uint64_t *t = e->tuples + k * e->n_argidx;

		judge(r, e, t, args, &j);
		st->n_calls++;
		if ((v = verdict(r, e, &j, &purpose))) {
			found = true;
			ret = add_finding(r, st, e, t, args, &j, v);
		}
	}
	if (ret || (tuples && !e->args_unbounded) || found) {
		st->n_answered += purpose && !found;
		return ret;
	}
	judge(r, e, NULL, args, &j);
	st->n_calls += !tuples;
	v = verdict(r, e, &j, &purpose);
	st->n_answered += purpose && !v;
	/* Past the cap: the recorded tuples all passed, others may not. */
	if (v && tuples)
		v = SK_REPLAY_DEPENDS;
	return v ? add_finding(r, st, e, NULL, args, &j, v) : 0;
}

int sk_replay_add(struct sk_replay *r, const struct sk_trace *t,
		  const char *file, struct sk_err *err)
{
	struct sk_replay_trace *bigger, *st;

	bigger = realloc(r->res.traces, (r->res.n_traces + 1) * sizeof(*bigger));
	if (!bigger)
		return sk_err_set(err, ENOMEM, "out of memory");
	r->res.traces = bigger;
	st = &bigger[r->res.n_traces];
	*st = (struct sk_replay_trace){ .file = strdup(file), .complete = t->complete };
	if (!st->file)
		return sk_err_set(err, ENOMEM, "out of memory");
	r->res.n_traces++;
	for (size_t i = 0; i < t->n_sys; i++)
		if (replay_sys(r, st, &t->sys[i]))
			return sk_err_set(err, ENOMEM, "%s: out of memory", file);
	return 0;
}

/* ---- JSON ---- */

struct out {
	bool ok;
};

static struct json_object *add(struct out *o, struct json_object *obj,
			       const char *key, struct json_object *v)
{
	if (!obj || !v || json_object_object_add(obj, key, v)) {
		o->ok = false;
		json_object_put(v);
		return NULL;
	}
	return v;
}

static void push(struct out *o, struct json_object *arr, struct json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		o->ok = false;
		json_object_put(v);
	}
}

/* [{"index": 0, "name": "domain", "value": 16, "text": "AF_NETLINK"}] */
static struct json_object *args_json(struct out *o, const struct sk_replay_finding *f)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned i = 0; arr && !f->all_values && i < f->n_argidx; i++) {
		struct json_object *a = json_object_new_object();
		const char *an = f->name ? sk_denial_argname(f->name, f->argidx[i]) : NULL;
		char text[256];

		add(o, a, "index", json_object_new_int((int)f->argidx[i]));
		if (an)
			add(o, a, "name", json_object_new_string(an));
		add(o, a, "value", json_object_new_uint64(f->tuple[i]));
		if (f->name && !sk_arg_decode(f->name, f->argidx[i], f->tuple[i], text, sizeof(text)))
			add(o, a, "text", json_object_new_string(text));
		push(o, arr, a);
	}
	return arr;
}

/* ["SCMP_ACT_ERRNO(EPERM)", "SCMP_ACT_ALLOW"] */
static struct json_object *actions_json(const struct sk_replay_finding *f, struct out *o)
{
	struct json_object *arr = json_object_new_array();
	char act[64];

	for (size_t i = 0; arr && i < f->n_rets; i++) {
		sk_replay_action(f->rets[i], act, sizeof(act));
		push(o, arr, json_object_new_string(act));
	}
	return arr;
}

static struct json_object *finding_json(struct out *o, const struct sk_replay_finding *f)
{
	struct json_object *obj = json_object_new_object();
	const char *arch = sk_arch_name(f->arch);

	add(o, obj, "trace", json_object_new_string(f->trace));
	add(o, obj, "arch", arch ? json_object_new_string(arch) : json_object_new_int64(f->arch));
	if (json_object_object_add(obj, "name", f->name ? json_object_new_string(f->name) : NULL))
		o->ok = false;
	add(o, obj, "nr", json_object_new_int(f->nr));
	add(o, obj, "args", args_json(o, f));
	add(o, obj, "all_values", json_object_new_boolean(f->all_values));
	add(o, obj, "call", json_object_new_string(f->call));
	add(o, obj, "verdict", json_object_new_string(f->verdict == SK_REPLAY_DENIED ? "denied" : "depends"));
	add(o, obj, "actions", actions_json(f, o));
	add(o, obj, "why", json_object_new_string(f->why));
	add(o, obj, "count", json_object_new_uint64(f->count));
	return obj;
}

static struct json_object *trace_json(struct out *o, const struct sk_replay_trace *t)
{
	struct json_object *obj = json_object_new_object();

	add(o, obj, "file", json_object_new_string(t->file));
	add(o, obj, "complete", json_object_new_boolean(t->complete));
	add(o, obj, "calls", json_object_new_uint64(t->n_calls));
	add(o, obj, "denied", json_object_new_uint64(t->n_denied));
	add(o, obj, "depends", json_object_new_uint64(t->n_depends));
	add(o, obj, "answered", json_object_new_uint64(t->n_answered));
	return obj;
}

char *sk_replay_to_json(const struct sk_replay *r)
{
	struct out o = { true };
	struct json_object *root = json_object_new_object(), *arr;
	char *text = NULL;

	add(&o, root, "format", json_object_new_string("scmpkit-check"));
	add(&o, root, "version", json_object_new_int(1));
	add(&o, root, "profile", json_object_new_string(r->p->file ? r->p->file : ""));
	add(&o, root, "allowed", json_object_new_boolean(!r->res.n));
	add(&o, root, "denied", json_object_new_uint64(r->res.n_denied));
	add(&o, root, "depends", json_object_new_uint64(r->res.n_depends));
	arr = add(&o, root, "traces", json_object_new_array());
	for (size_t i = 0; arr && i < r->res.n_traces; i++)
		push(&o, arr, trace_json(&o, &r->res.traces[i]));
	arr = add(&o, root, "findings", json_object_new_array());
	for (size_t i = 0; arr && i < r->res.n; i++)
		push(&o, arr, finding_json(&o, &r->res.f[i]));
	if (o.ok && root)
		text = sk_json_dump(root);
	json_object_put(root);
	return text;
}
