/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS runtime (lvs.h): the shell around desired.c, reconcile.c and
 * genl.c. Everything that talks to the kernel is synchronous except the
 * application of a large list of operations, which is cut into chunks of
 * IPVS_LVS_CHUNK run from the loop, so that VRRP adverts are never held up
 * for long.
 */
#include "config.h"

#include "ipvs/lvs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/log.h"
#include "ipvs/desired.h"
#include "ipvs/genl.h"
#include "ipvs/health.h"
#include "ipvs/notify.h"
#include "lib/event.h"

#define SYNC_MASTER_BIT 1u
#define SYNC_BACKUP_BIT 2u
#define MAX_OP_ERRORS_LOGGED 10

static const char *const op_kind_names[] = {
	[IPVS_OP_ADD_SVC] = "add_service",   [IPVS_OP_EDIT_SVC] = "edit_service",
	[IPVS_OP_DEL_SVC] = "del_service",   [IPVS_OP_ADD_DEST] = "add_dest",
	[IPVS_OP_EDIT_DEST] = "edit_dest",   [IPVS_OP_DEL_DEST] = "del_dest",
};

/* What we keep of lvs_sync_daemon: the model is freed on reload. */
struct sync_conf {
	bool configured;
	char *instance;
	bool master_and_backup;
	struct ipvs_sync_cfg cfg;
};

struct lvs_run {
	const char *why; /* "start" / "reload" */
	uint64_t started_ns, duration_ns;
	/* Where the time went: building the desired table (from the model),
	 * the kernel dump, the reconcile, and sending (all chunks). */
	uint64_t build_ns, dump_ns, reconcile_ns, apply_ns;
	unsigned chunks;
	unsigned counts[IPVS_OP_DEL_DEST + 1];
	unsigned n_ops, n_done, errors;
	unsigned n_svcs, n_dests;
	char last_error[256];
	bool set;
};

struct ipvs_lvs {
	uv_loop_t *loop;
	struct ipvs_genl *g;
	bool available;
	int open_err;
	unsigned vs_declared; /* virtual_server blocks in the model */

	/* What vigil declared last: the owned set of the next reconcile. */
	struct ipvs_state owned;

	/* An apply in progress (chunks from the loop). */
	struct ipvs_state kernel; /* the dump the ops point into */
	struct ipvs_state pending_desired;
	struct ipvs_ops ops;
	unsigned next_op;
	bool applying;
	uv_timer_t chunk_timer;
	bool timer_init;

	struct lvs_run run, last;

	/* sync daemon */
	struct sync_conf sync;
	unsigned sync_running; /* roles we started */
	bool instance_master;
	unsigned sync_errors;

	/* health checks (ipvs/health.h) */
	const struct conf_model *model; /* the running model (health points into it) */
	struct ipvs_probe_src src;
	bool has_src;
	struct ipvs_health *h;
	struct ipvs_health_events ev;
	struct event_bus *bus; /* health events are published here */
	struct ipvs_notify *notify;
	int notify_sub; /* its subscription, -1: none */
	bool *dirty; /* per virtual server: its dests must be recomputed */
	unsigned n_dirty;
	bool any_dirty;
	uv_timer_t flush_timer;
	bool flush_init;
	uint64_t probe_changes, health_ops, health_errors, health_flushes;
	char health_last_error[256];

	bool stopped; /* no sync daemon starts any more */
	bool timeouts_set;
	struct conf_lvs_timeouts timeouts;
	int flush_on_stop;
};

bool ipvs_lvs_wanted(const struct conf_model *m)
{
	return m && (m->lvs.virtual_servers.count || m->global.lvs_sync_daemon.interface);
}

void ipvs_ops_count(const struct ipvs_ops *ops, unsigned counts[IPVS_OP_DEL_DEST + 1])
{
	memset(counts, 0, sizeof(unsigned) * (IPVS_OP_DEL_DEST + 1));
	for (unsigned i = 0; ops && i < ops->n; i++)
		if ((unsigned)ops->v[i].kind <= IPVS_OP_DEL_DEST)
			counts[ops->v[i].kind]++;
}

unsigned ipvs_sync_roles(bool configured, bool has_instance, bool master_and_backup,
			 bool instance_master)
{
	if (!configured)
		return 0;
	if (!has_instance || master_and_backup)
		return SYNC_MASTER_BIT | SYNC_BACKUP_BIT;
	return instance_master ? SYNC_MASTER_BIT : SYNC_BACKUP_BIT;
}

/* ---- sync daemon ---- */

static void sync_conf_free(struct sync_conf *s)
{
	free(s->instance);
	memset(s, 0, sizeof(*s));
}

static int sync_conf_from(const struct conf_model *m, struct sync_conf *out)
{
	const struct conf_lvs_sync_daemon *sd = &m->global.lvs_sync_daemon;

	memset(out, 0, sizeof(*out));
	if (!sd->interface)
		return 0;
	out->configured = true;
	out->master_and_backup = sd->master_and_backup;
	if (sd->instance) {
		out->instance = strdup(sd->instance);
		if (!out->instance)
			return -ENOMEM;
	}
	snprintf(out->cfg.ifname, sizeof(out->cfg.ifname), "%s", sd->interface);
	out->cfg.syncid = sd->syncid > 255 ? 0 : sd->syncid;
	out->cfg.maxlen = (uint16_t)sd->maxlen;
	out->cfg.port = sd->port;
	out->cfg.ttl = (uint8_t)sd->ttl;
	out->cfg.group = sd->group;
	return 0;
}

static bool sync_conf_equal(const struct sync_conf *a, const struct sync_conf *b)
{
	if (a->configured != b->configured || a->master_and_backup != b->master_and_backup)
		return false;
	if (!a->instance != !b->instance || (a->instance && strcmp(a->instance, b->instance)))
		return false;
	return !memcmp(&a->cfg, &b->cfg, sizeof(a->cfg));
}

static const char *role_name(unsigned bit)
{
	return bit == SYNC_MASTER_BIT ? "master" : "backup";
}

/* Makes the running roles match what the configuration and the instance want. */
static void sync_update(struct ipvs_lvs *l)
{
	unsigned want = ipvs_sync_roles(l->sync.configured, l->sync.instance != NULL,
					l->sync.master_and_backup, l->instance_master);
	int r;

	if (!l->available)
		return;
	if (l->stopped)
		want = 0;
	/* Stop first: the kernel refuses a role's second daemon, and a
	 * director moving to master must not keep receiving as backup. */
	for (unsigned bit = SYNC_MASTER_BIT; bit <= SYNC_BACKUP_BIT; bit <<= 1) {
		if (!(l->sync_running & bit) || (want & bit))
			continue;
		r = ipvs_genl_sync_stop(l->g, bit == SYNC_MASTER_BIT ? IPVS_SYNC_MASTER
								    : IPVS_SYNC_BACKUP);
		if (r < 0 && r != -ESRCH) {
			l->sync_errors++;
			log_error("ipvs: stopping the %s sync daemon failed: %s", role_name(bit),
				  strerror(-r));
		} else {
			log_info("ipvs: %s sync daemon stopped", role_name(bit));
		}
		l->sync_running &= ~bit;
	}
	for (unsigned bit = SYNC_MASTER_BIT; bit <= SYNC_BACKUP_BIT; bit <<= 1) {
		if ((l->sync_running & bit) || !(want & bit))
			continue;
		r = ipvs_genl_sync_start(l->g,
					 bit == SYNC_MASTER_BIT ? IPVS_SYNC_MASTER : IPVS_SYNC_BACKUP,
					 &l->sync.cfg);
		if (r < 0 && r != -EEXIST) {
			l->sync_errors++;
			log_error("ipvs: starting the %s sync daemon on %s (syncid %u) failed: %s",
				  role_name(bit), l->sync.cfg.ifname, l->sync.cfg.syncid,
				  strerror(-r));
			continue;
		}
		log_info("ipvs: %s sync daemon started on %s (syncid %u)", role_name(bit),
			 l->sync.cfg.ifname, l->sync.cfg.syncid);
		l->sync_running |= bit;
	}
}

static void sync_stop_all(struct ipvs_lvs *l)
{
	struct sync_conf none = { 0 };
	struct sync_conf keep = l->sync;

	l->sync = none;
	sync_update(l);
	l->sync = keep;
}

void ipvs_lvs_follow(struct ipvs_lvs *l, const char *instance, bool master)
{
	if (!l || !instance || !l->sync.instance || strcmp(l->sync.instance, instance))
		return;
	if (l->instance_master == master)
		return;
	l->instance_master = master;
	log_debug("ipvs: %s is %s: sync daemon follows", instance, master ? "master" : "not master");
	sync_update(l);
}

/* ---- health ---- */

static const struct check_probe_state *src_state(void *ctx, unsigned probe)
{
	struct ipvs_lvs *l = ctx;

	if (!l->has_src || !l->h || probe >= l->h->n_probes)
		return NULL;
	return l->src.state(l->src.ctx, probe);
}

static bool filter_rs(void *ctx, unsigned vs, unsigned rs, int *weight)
{
	const struct ipvs_health *h = ctx;

	*weight = 0;
	if (vs >= h->n_vs || rs >= h->vs[vs].n_rs)
		return false;
	return ipvs_health_rs_dest(h, h->vs[vs].rs_first + rs, weight);
}

static bool filter_sorry(void *ctx, unsigned vs, int *weight)
{
	return ipvs_health_sorry_dest(ctx, vs, weight);
}

static struct ipvs_desired_filter health_filter(const struct ipvs_lvs *l)
{
	struct ipvs_desired_filter f = { filter_rs, filter_sorry, l->h };

	if (!l->h) {
		f.rs = NULL;
		f.sorry = NULL;
	}
	return f;
}

/* What health says changed, told to the event stream. */
static void publish(struct ipvs_lvs *l)
{
	if (l->ev.dropped)
		log_error("ipvs: %u health events lost (out of memory)", l->ev.dropped);
	ipvs_health_publish(l->h, &l->ev, l->bus);
}

/* The health of m from the current probe states, replacing l->h (whose
 * states carry over); its events are notified. */
static int health_rebuild(struct ipvs_lvs *l, const struct conf_model *m)
{
	const struct check_list *list = l->has_src ? l->src.list(l->src.ctx) : NULL;
	struct ipvs_health *nh, *old = l->h;
	bool *dirty;
	int r;

	r = ipvs_health_build(m, list, &nh);
	if (r < 0)
		return r;
	dirty = calloc(nh->n_vs ? nh->n_vs : 1, sizeof(*dirty));
	if (!dirty) {
		ipvs_health_free(nh);
		return -ENOMEM;
	}
	ipvs_health_events_reset(&l->ev);
	l->h = nh; /* src_state checks probe indexes against the new list */
	ipvs_health_init(nh, old, src_state, l, &l->ev);
	ipvs_health_free(old);
	free(l->dirty);
	l->dirty = dirty;
	l->n_dirty = nh->n_vs;
	l->any_dirty = false;
	l->model = m;
	publish(l);
	return 0;
}

static void flush_health(struct ipvs_lvs *l);

static void on_flush(uv_timer_t *t)
{
	flush_health(t->data);
}

/* Dests to recompute go out at the end of this loop turn, together. */
static void flush_schedule(struct ipvs_lvs *l)
{
	if (l->flush_init && l->any_dirty && l->available && !l->stopped &&
	    !uv_is_active((uv_handle_t *)&l->flush_timer))
		uv_timer_start(&l->flush_timer, on_flush, 0, 0);
}

static void apply_ops_now(struct ipvs_lvs *l, struct ipvs_ops *ops)
{
	unsigned next = 0;

	while (next < ops->n) {
		struct ipvs_ops part = { .v = ops->v + next, .n = ops->n - next, .cap = ops->n - next };
		unsigned done = 0;
		char err[256] = "";
		int r = ipvs_genl_apply(l->g, &part, &done, err, sizeof(err));

		if (done > part.n)
			done = part.n;
		next += done;
		l->health_ops += done;
		if (r >= 0)
			continue;
		l->health_errors++;
		snprintf(l->health_last_error, sizeof(l->health_last_error), "%s",
			 err[0] ? err : strerror(-r));
		if (l->health_errors <= MAX_OP_ERRORS_LOGGED)
			log_error("ipvs: health: %s", l->health_last_error);
		next++;
	}
}

static int svc_cmp_q(const void *a, const void *b)
{
	return ipvs_service_cmp(a, b);
}

/*
 * The dests of every dirty virtual server, recomputed and sent: the new
 * dests of its services against what vigil declared (owned), which the
 * kernel holds unless someone changed it behind our back. Only dests
 * differ (same model), so the operations are dest adds, edits and deletes.
 */
static void flush_health(struct ipvs_lvs *l)
{
	struct ipvs_desired_filter f = health_filter(l);
	struct ipvs_state want = { 0 }, have = { 0 };
	struct ipvs_service **slot = NULL;
	struct ipvs_ops ops = { 0 };
	unsigned k = 0;

	if (!l->any_dirty || !l->available || l->stopped || l->applying)
		return; /* an apply in progress reschedules us when it ends */
	l->health_flushes++;
	if (ipvs_desired_build_vs(l->model, l->dirty, l->n_dirty, &f, &want) < 0)
		goto nomem;
	if (!want.n_svcs)
		goto done;
	have.svcs = calloc(want.n_svcs, sizeof(*have.svcs));
	slot = calloc(want.n_svcs, sizeof(*slot));
	if (!have.svcs || !slot)
		goto nomem;
	/* only services vigil declared */
	for (unsigned i = 0; i < want.n_svcs; i++) {
		struct ipvs_service *o = bsearch(&want.svcs[i], l->owned.svcs, l->owned.n_svcs,
						 sizeof(*l->owned.svcs), svc_cmp_q);

		if (!o) {
			free(want.svcs[i].dests);
			continue;
		}
		want.svcs[k] = want.svcs[i];
		have.svcs[k] = *o; /* shallow: its dests stay owned's */
		slot[k++] = o;
	}
	want.n_svcs = have.n_svcs = k;
	if (ipvs_reconcile(&want, &have, &have, &ops) < 0)
		goto nomem;
	if (ops.n)
		log_debug("ipvs: health: %u operation(s) in %u service(s)", ops.n, want.n_svcs);
	apply_ops_now(l, &ops);
	ipvs_ops_free(&ops);
	/* what vigil declared now */
	for (unsigned i = 0; i < want.n_svcs; i++) {
		free(slot[i]->dests);
		slot[i]->dests = want.svcs[i].dests;
		slot[i]->n_dests = want.svcs[i].n_dests;
		want.svcs[i].dests = NULL;
	}
done:
	for (unsigned v = 0; v < l->n_dirty; v++)
		l->dirty[v] = false;
	l->any_dirty = false;
	free(want.svcs);
	free(have.svcs);
	free(slot);
	return;
nomem:
	/* the dirty marks stay: the next change retries */
	log_error("ipvs: health: out of memory; IPVS follows at the next change");
	ipvs_ops_free(&ops);
	ipvs_state_free(&want);
	free(have.svcs);
	free(slot);
}

void ipvs_lvs_probe_changed(struct ipvs_lvs *l, unsigned probe)
{
	const struct check_list *list;

	if (!l || !l->h || !l->has_src || l->stopped)
		return;
	list = l->src.list(l->src.ctx);
	if (!list || list->n != l->h->n_probes) {
		/* the list was replaced and ipvs_lvs_reload has not run yet:
		 * the reload takes every current state */
		log_debug("ipvs: probe %u changed before the reload; left to it", probe);
		return;
	}
	l->probe_changes++;
	ipvs_health_events_reset(&l->ev);
	ipvs_health_probe_changed(l->h, probe, src_state, l, &l->ev);
	for (unsigned i = 0; i < l->ev.n; i++) {
		if (l->ev.v[i].vs < l->n_dirty) {
			l->dirty[l->ev.v[i].vs] = true;
			l->any_dirty = true;
		}
	}
	publish(l);
	flush_schedule(l);
}

/* ---- applying operations ---- */

static void count_table(const struct ipvs_state *s, unsigned *svcs, unsigned *dests)
{
	*svcs = s->n_svcs;
	*dests = 0;
	for (unsigned i = 0; i < s->n_svcs; i++)
		*dests += s->svcs[i].n_dests;
}

/* Applies up to max operations from next_op; a failed operation is logged,
 * counted and skipped. */
static void apply_some(struct ipvs_lvs *l, unsigned max)
{
	unsigned end = l->ops.n - l->next_op > max ? l->next_op + max : l->ops.n;
	uint64_t t0 = uv_hrtime();

	l->run.chunks++;

	while (l->next_op < end) {
		struct ipvs_ops part = {
			.v = l->ops.v + l->next_op,
			.n = end - l->next_op,
			.cap = end - l->next_op,
		};
		unsigned done = 0;
		char err[256] = "";
		int r;

		r = ipvs_genl_apply(l->g, &part, &done, err, sizeof(err));
		if (done > part.n)
			done = part.n;
		l->next_op += done;
		l->run.n_done += done;
		if (r >= 0)
			continue;
		/* The failed one is skipped; the rest still go out. */
		l->run.errors++;
		snprintf(l->run.last_error, sizeof(l->run.last_error), "%s",
			 err[0] ? err : strerror(-r));
		if (l->run.errors <= MAX_OP_ERRORS_LOGGED)
			log_error("ipvs: %s", l->run.last_error);
		else if (l->run.errors == MAX_OP_ERRORS_LOGGED + 1)
			log_error("ipvs: more operations failed; see `vigilctl status`");
		l->next_op++;
	}
	l->run.apply_ns += uv_hrtime() - t0;
}

static void apply_finish(struct ipvs_lvs *l)
{
	l->run.duration_ns = uv_hrtime() - l->run.started_ns;
	l->run.set = true;
	if (!strcmp(l->run.why, "stop")) {
		log_info("ipvs: lvs_flush_on_stop VS: %u of our services deleted in %llu ms",
			 l->run.counts[IPVS_OP_DEL_SVC],
			 (unsigned long long)(l->run.duration_ns / 1000000));
	} else if (l->run.n_ops == 0) {
		log_info("ipvs: no change (%u services, %u dests)", l->run.n_svcs, l->run.n_dests);
	} else {
		char failed[48] = "";

		if (l->run.errors)
			snprintf(failed, sizeof(failed), " (%u failed)", l->run.errors);
		log_info("ipvs: %u services, %u dests: %u operations in %llu ms%s", l->run.n_svcs,
			 l->run.n_dests, l->run.n_ops,
			 (unsigned long long)(l->run.duration_ns / 1000000), failed);
	}
	log_debug("ipvs: %s: build %.1f ms, dump %.1f ms, reconcile %.1f ms, apply %.1f ms in "
		  "%u chunk(s), %.1f ms from the build to the last ACK",
		  l->run.why, (double)l->run.build_ns / 1e6, (double)l->run.dump_ns / 1e6,
		  (double)l->run.reconcile_ns / 1e6, (double)l->run.apply_ns / 1e6, l->run.chunks,
		  (double)(l->run.build_ns + l->run.duration_ns) / 1e6);
	l->last = l->run;
	ipvs_ops_free(&l->ops);
	ipvs_state_free(&l->kernel);
	/* What vigil declared is now owned, applied or not: a later reconcile
	 * must still be allowed to remove it. */
	ipvs_state_free(&l->owned);
	l->owned = l->pending_desired;
	memset(&l->pending_desired, 0, sizeof(l->pending_desired));
	l->applying = false;
	l->next_op = 0;
	flush_schedule(l);
}

static void on_chunk(uv_timer_t *t)
{
	struct ipvs_lvs *l = t->data;

	if (!l->applying)
		return;
	apply_some(l, IPVS_LVS_CHUNK);
	if (l->next_op >= l->ops.n)
		apply_finish(l);
	else
		uv_timer_start(&l->chunk_timer, on_chunk, 0, 0);
}

/* Finishes an apply in progress now (a reload or stop arrived). */
static void apply_drain(struct ipvs_lvs *l)
{
	if (!l->applying)
		return;
	uv_timer_stop(&l->chunk_timer);
	apply_some(l, l->ops.n);
	apply_finish(l);
}

/*
 * One reconcile: desired (taken over) against a fresh dump, with owned
 * what vigil declared before. The first chunk goes out now.
 */
static int reconcile_and_apply(struct ipvs_lvs *l, struct ipvs_state *desired, const char *why,
			       uint64_t build_ns)
{
	uint64_t t;
	int r;

	memset(&l->run, 0, sizeof(l->run));
	l->run.why = why;
	l->run.build_ns = build_ns;
	l->run.started_ns = uv_hrtime();
	count_table(desired, &l->run.n_svcs, &l->run.n_dests);
	r = ipvs_genl_dump(l->g, &l->kernel);
	t = uv_hrtime();
	l->run.dump_ns = t - l->run.started_ns;
	if (r < 0) {
		log_error("ipvs: reading the kernel's table failed: %s; nothing changed",
			  strerror(-r));
		ipvs_state_free(desired);
		l->run.errors = 1;
		snprintf(l->run.last_error, sizeof(l->run.last_error), "dump: %s", strerror(-r));
		l->last = l->run;
		l->last.set = true;
		return r;
	}
	l->pending_desired = *desired;
	memset(desired, 0, sizeof(*desired));
	memset(&l->ops, 0, sizeof(l->ops));
	r = ipvs_reconcile(&l->pending_desired, &l->owned, &l->kernel, &l->ops);
	l->run.reconcile_ns = uv_hrtime() - t;
	if (r < 0) {
		log_error("ipvs: reconcile failed: %s", strerror(-r));
		ipvs_ops_free(&l->ops);
		ipvs_state_free(&l->kernel);
		ipvs_state_free(&l->pending_desired);
		return r;
	}
	ipvs_ops_count(&l->ops, l->run.counts);
	l->run.n_ops = l->ops.n;
	l->applying = true;
	l->next_op = 0;
	apply_some(l, IPVS_LVS_CHUNK);
	if (l->next_op >= l->ops.n)
		apply_finish(l);
	else
		uv_timer_start(&l->chunk_timer, on_chunk, 0, 0);
	return 0;
}

static void set_timeouts(struct ipvs_lvs *l, const struct conf_lvs_timeouts *t)
{
	int r;

	if (!t->set)
		return;
	r = ipvs_genl_set_timeouts(l->g, t->tcp, t->tcpfin, t->udp);
	if (r < 0)
		log_error("ipvs: lvs_timeouts (tcp %u, tcpfin %u, udp %u) failed: %s", t->tcp,
			  t->tcpfin, t->udp, strerror(-r));
	else
		log_info("ipvs: timeouts set (tcp %u, tcpfin %u, udp %u; 0 = unchanged)", t->tcp,
			 t->tcpfin, t->udp);
}

/* A deep copy (the owned set must not share memory with the desired one). */
static int state_copy(const struct ipvs_state *from, struct ipvs_state *to)
{
	memset(to, 0, sizeof(*to));
	if (!from->n_svcs)
		return 0;
	to->svcs = calloc(from->n_svcs, sizeof(*to->svcs));
	if (!to->svcs)
		return -ENOMEM;
	for (unsigned i = 0; i < from->n_svcs; i++) {
		const struct ipvs_service *f = &from->svcs[i];
		struct ipvs_service *t = &to->svcs[to->n_svcs];

		*t = *f;
		t->dests = NULL;
		t->n_dests = 0;
		to->n_svcs++;
		if (!f->n_dests)
			continue;
		t->dests = malloc(f->n_dests * sizeof(*t->dests));
		if (!t->dests) {
			ipvs_state_free(to);
			return -ENOMEM;
		}
		memcpy(t->dests, f->dests, f->n_dests * sizeof(*t->dests));
		t->n_dests = f->n_dests;
	}
	return 0;
}

/* The desired table of m; what the build had to drop (a model that
 * skipped validation) is logged, never dropped silently. */
static int build_desired(struct ipvs_lvs *l, const struct conf_model *m, struct ipvs_state *out)
{
	struct ipvs_desired_filter f = health_filter(l);
	struct ipvs_desired_drops dr;
	int r = ipvs_desired_build_filtered(m, &f, out, &dr);

	if (r < 0)
		return r;
	if (dr.services)
		log_error("ipvs: %u service(s) declared more than once: the first declaration "
			  "is kept, the others dropped (first dropped: %s)",
			  dr.services, dr.first_service);
	if (dr.dests)
		log_error("ipvs: %u real server(s) declared more than once in one service: the "
			  "first is kept, the others dropped (first dropped: %s)",
			  dr.dests, dr.first_dest);
	return 0;
}

/* ---- start, reload, stop ---- */

/* The model's notify scripts and FIFO, subscribed to our health events. */
static int notify_open(struct ipvs_lvs *l, const struct conf_model *m)
{
	int r = ipvs_notify_open(l->loop, &m->global, &l->notify);

	if (r < 0)
		return r;
	if (ipvs_notify_admit_model(l->notify, m) < 0)
		log_error("ipvs: notify: out of memory; no notify script will run");
	l->notify_sub = event_subscribe(l->bus, IPVS_NOTIFY_EVENTS, ipvs_notify_on_event,
					l->notify);
	if (l->notify_sub < 0 && l->bus)
		log_error("ipvs: notify: %s: no notify script will run", strerror(-l->notify_sub));
	return 0;
}

static void notify_close(struct ipvs_lvs *l)
{
	event_unsubscribe(l->bus, l->notify_sub);
	l->notify_sub = -1;
	ipvs_notify_close(l->notify);
	l->notify = NULL;
}

int ipvs_lvs_start(uv_loop_t *loop, const struct conf_model *m, const struct ipvs_probe_src *src,
		   struct event_bus *bus, struct ipvs_lvs **out)
{
	struct ipvs_lvs *l = calloc(1, sizeof(*l));
	struct ipvs_state desired = { 0 };
	uint64_t t0;
	int r;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->loop = loop;
	l->bus = bus;
	l->notify_sub = -1;
	l->vs_declared = m->lvs.virtual_servers.count;
	l->flush_on_stop = m->global.lvs_flush_on_stop;
	l->timeouts = m->global.lvs_timeouts;
	if (sync_conf_from(m, &l->sync) < 0) {
		free(l);
		return -ENOMEM;
	}
	uv_timer_init(loop, &l->chunk_timer);
	l->chunk_timer.data = l;
	l->timer_init = true;
	uv_timer_init(loop, &l->flush_timer);
	l->flush_timer.data = l;
	l->flush_init = true;
	*out = l;
	if (src && src->list && src->state) {
		l->src = *src;
		l->has_src = true;
	}
	/* Health first: it decides which dests the table has, and notifies
	 * (scripts, FIFO) whether the kernel has IPVS or not. */
	if (notify_open(l, m) < 0 || health_rebuild(l, m) < 0) {
		log_error("ipvs: out of memory for the health of the real servers");
		return -ENOMEM;
	}

	r = ipvs_genl_open(&l->g);
	if (r < 0) {
		l->open_err = r;
		if (r == -ENOENT)
			log_error("IPVS is not available in this kernel (module ip_vs not found): "
				  "%u virtual servers are not programmed%s; VRRP keeps working",
				  l->vs_declared,
				  l->sync.configured ? " and the sync daemon does not run" : "");
		else
			log_error("IPVS could not be opened (%s): %u virtual servers are not "
				  "programmed; VRRP keeps working",
				  strerror(-r), l->vs_declared);
		return 0;
	}
	l->available = true;
	set_timeouts(l, &l->timeouts);
	l->timeouts_set = l->timeouts.set;
	if (m->global.lvs_flush) {
		r = ipvs_genl_flush(l->g);
		if (r < 0)
			log_error("ipvs: lvs_flush failed: %s", strerror(-r));
		else
			log_info("ipvs: lvs_flush: every service removed");
	}
	t0 = uv_hrtime();
	r = build_desired(l, m, &desired);
	if (r < 0) {
		log_error("ipvs: building the table failed: %s", strerror(-r));
		return r;
	}
	/* At start vigil owns every service its configuration declares (so a
	 * leftover from a previous run is edited into shape); services it does
	 * not declare are someone else's and stay untouched. */
	r = state_copy(&desired, &l->owned);
	if (r < 0) {
		ipvs_state_free(&desired);
		return r;
	}
	reconcile_and_apply(l, &desired, "start", uv_hrtime() - t0);
	if (l->sync.configured) {
		unsigned roles = 0;

		/* A daemon left by a previous run (killed) is adopted, so that
		 * the role the instance does not want is stopped. */
		if (ipvs_genl_sync_running(l->g, &roles) == 0 && roles)
			log_info("ipvs: sync daemon already running (%s%s%s): adopted",
				 roles & SYNC_MASTER_BIT ? "master" : "",
				 roles == (SYNC_MASTER_BIT | SYNC_BACKUP_BIT) ? ", " : "",
				 roles & SYNC_BACKUP_BIT ? "backup" : "");
		l->sync_running = roles & (SYNC_MASTER_BIT | SYNC_BACKUP_BIT);
	}
	sync_update(l);
	return 0;
}

void ipvs_lvs_reload(struct ipvs_lvs *l, const struct conf_model *m)
{
	struct ipvs_state desired = { 0 };
	struct sync_conf sc;
	uint64_t t0;
	int r;

	if (!l)
		return;
	l->vs_declared = m->lvs.virtual_servers.count;
	l->flush_on_stop = m->global.lvs_flush_on_stop;
	if (l->available)
		apply_drain(l);
	if (!ipvs_notify_same(l->notify, &m->global)) {
		notify_close(l);
		if (notify_open(l, m) < 0)
			log_error("ipvs: reload: out of memory; no notifications");
	} else if (ipvs_notify_admit_model(l->notify, m) < 0) {
		log_error("ipvs: reload: out of memory; no notify script will run");
	}
	if (health_rebuild(l, m) < 0) {
		/* l->h still points into the old model, which is going away */
		log_error("ipvs: reload: out of memory; every real server taken as alive");
		ipvs_health_free(l->h);
		l->h = NULL;
		free(l->dirty);
		l->dirty = NULL;
		l->n_dirty = 0;
		l->any_dirty = false;
	}
	l->model = m;
	if (!l->available) {
		log_debug("ipvs: reload: IPVS is not available, nothing to program");
		return;
	}
	if (m->global.lvs_timeouts.set &&
	    (!l->timeouts_set || memcmp(&l->timeouts, &m->global.lvs_timeouts, sizeof(l->timeouts))))
		set_timeouts(l, &m->global.lvs_timeouts);
	l->timeouts = m->global.lvs_timeouts;
	l->timeouts_set = l->timeouts.set;

	t0 = uv_hrtime();
	r = build_desired(l, m, &desired);
	if (r < 0) {
		log_error("ipvs: reload: building the table failed: %s; nothing changed",
			  strerror(-r));
		return;
	}
	reconcile_and_apply(l, &desired, "reload", uv_hrtime() - t0);

	if (sync_conf_from(m, &sc) < 0) {
		log_error("ipvs: reload: out of memory; the sync daemon is left as it is");
		return;
	}
	if (sync_conf_equal(&sc, &l->sync)) {
		sync_conf_free(&sc);
		return;
	}
	/* A different daemon: stop what runs, start the new one (the caller
	 * tells the state of a newly named instance with ipvs_lvs_follow). */
	sync_stop_all(l);
	if (!sc.instance || !l->sync.instance || strcmp(sc.instance, l->sync.instance))
		l->instance_master = false;
	sync_conf_free(&l->sync);
	l->sync = sc;
	sync_update(l);
}

void ipvs_lvs_stop(struct ipvs_lvs *l)
{
	struct ipvs_state none = { 0 };
	int r;

	if (!l)
		return;
	if (l->h && !l->stopped) {
		ipvs_health_events_reset(&l->ev);
		ipvs_health_stop(l->h, &l->ev);
		publish(l);
	}
	l->stopped = true;
	if (l->flush_init) {
		uv_close((uv_handle_t *)&l->flush_timer, NULL);
		l->flush_init = false;
	}
	if (!l->available) {
		if (l->timer_init)
			uv_close((uv_handle_t *)&l->chunk_timer, NULL);
		l->timer_init = false;
		return;
	}
	apply_drain(l);
	sync_stop_all(l);
	switch (l->flush_on_stop) {
	case CONF_LVS_FLUSH_STOP_ALL:
		r = ipvs_genl_flush(l->g);
		if (r < 0)
			log_error("ipvs: lvs_flush_on_stop failed: %s", strerror(-r));
		else
			log_info("ipvs: lvs_flush_on_stop: every service removed");
		break;
	case CONF_LVS_FLUSH_STOP_VS:
		/* Desired is empty: reconcile deletes exactly our services (their
		 * dests go with them). */
		if (reconcile_and_apply(l, &none, "stop", 0) == 0)
			apply_drain(l);
		break;
	default:
		log_info("ipvs: the kernel's table is left as it is");
		break;
	}
	if (l->timer_init) {
		uv_close((uv_handle_t *)&l->chunk_timer, NULL);
		l->timer_init = false;
	}
}

void ipvs_lvs_free(struct ipvs_lvs *l)
{
	if (!l)
		return;
	ipvs_ops_free(&l->ops);
	ipvs_state_free(&l->kernel);
	ipvs_state_free(&l->pending_desired);
	ipvs_state_free(&l->owned);
	sync_conf_free(&l->sync);
	ipvs_health_free(l->h);
	ipvs_health_events_free(&l->ev);
	notify_close(l);
	free(l->dirty);
	if (l->g)
		ipvs_genl_close(l->g);
	/* The chunk timer was closed with every other handle of the loop
	 * (ipvs_lvs_stop or the daemon's final walk) before this. */
	free(l);
}

/* ---- status ---- */

static void probe_json(struct json *j, const struct ipvs_lvs *l, const struct check_list *list,
		       unsigned p, uint64_t now)
{
	const struct check_probe_state *st = src_state((void *)l, p);

	json_obj_begin(j);
	json_kstr(j, "kind", list && p < list->n && list->v[p].kind >= 0 &&
				     list->v[p].kind <= CONF_CHECK_SMTP_HOST
			     ? conf_check_kind_names[list->v[p].kind]
			     : NULL);
	json_kuint(j, "probe", p);
	if (st) {
		json_kbool(j, "up", st->up);
		json_kbool(j, "known", st->known);
		json_kstr(j, "reason", st->reason);
		json_kstr(j, "cause",
			  st->cause != CHECK_NONE && (unsigned)st->cause < CHECK_CAUSE__COUNT
				  ? check_causes[st->cause].name
				  : NULL);
		json_kuint(j, "latency_us", st->latency_us);
		json_key(j, "last_result_ago_ms");
		if (st->last_ms && now >= st->last_ms)
			json_uint(j, now - st->last_ms);
		else
			json_null(j);
		json_kuint(j, "changes", st->changes);
		json_key(j, "weight");
		if (st->weight != CHECK_WEIGHT_NONE)
			json_int(j, st->weight);
		else
			json_null(j);
	}
	json_obj_end(j);
}

/* "health": counters, and every virtual server with its real servers. */
static void health_json(struct json *j, const struct ipvs_lvs *l)
{
	const struct ipvs_health *h = l->h;
	const struct check_list *list = l->has_src ? l->src.list(l->src.ctx) : NULL;
	uint64_t now = l->loop ? uv_now(l->loop) : 0;
	char b[192];
	int w;

	json_key(j, "health");
	json_obj_begin(j);
	json_kbool(j, "checked", l->has_src);
	json_kuint(j, "probe_changes", l->probe_changes);
	json_kuint(j, "operations", l->health_ops);
	json_kuint(j, "errors", l->health_errors);
	json_kstr(j, "last_error", l->health_last_error[0] ? l->health_last_error : NULL);
	json_key(j, "notify");
	ipvs_notify_status_json(l->notify, j);
	json_obj_end(j);
	if (list && h && list->n != h->n_probes)
		list = NULL; /* between the checker's reload and ours */
	json_key(j, "virtual_servers");
	json_arr_begin(j);
	for (unsigned v = 0; h && v < h->n_vs; v++) {
		const struct ipvs_health_vs *hv = &h->vs[v];
		const struct conf_vs *vs = hv->cfg;

		json_obj_begin(j);
		json_kstr(j, "name", ipvs_health_vs_str(vs, b, sizeof(b)));
		json_kbool(j, "quorum_up", hv->quorum_up);
		json_kint(j, "live_weight", hv->live_weight);
		json_kuint(j, "quorum", vs->quorum);
		json_kuint(j, "hysteresis", vs->hysteresis);
		json_key(j, "sorry_server");
		if (vs->sorry.set) {
			char a[CONF_ADDRSTRLEN];

			json_obj_begin(j);
			json_kstr(j, "address", conf_addr_str(&vs->sorry.addr, a));
			json_kuint(j, "port", vs->sorry.port ? vs->sorry.port : vs->port);
			json_kbool(j, "active", hv->sorry_active);
			json_kbool(j, "in_ipvs",
				   l->available && ipvs_health_sorry_dest(h, v, &w));
			json_kint(j, "ipvs_weight", ipvs_health_sorry_dest(h, v, &w) ? w : 0);
			json_obj_end(j);
		} else {
			json_null(j);
		}
		json_key(j, "real_servers");
		json_arr_begin(j);
		for (unsigned i = 0; i < hv->n_rs; i++) {
			unsigned r = hv->rs_first + i;
			const struct ipvs_health_rs *hr = &h->rs[r];
			bool in = ipvs_health_rs_dest(h, r, &w);

			json_obj_begin(j);
			json_kstr(j, "name", ipvs_health_rs_str(vs, hr->cfg, b, sizeof(b)));
			json_kbool(j, "alive", hr->alive);
			json_kint(j, "weight", hr->weight);
			json_kuint(j, "configured_weight", hr->cfg->weight);
			json_kbool(j, "inhibit_on_failure", hr->inhibit);
			json_kbool(j, "in_ipvs", l->available && in);
			json_kint(j, "ipvs_weight", in ? w : 0);
			json_kstr(j, "reason", hr->alive ? NULL : hr->reason);
			json_key(j, "checkers");
			json_arr_begin(j);
			for (unsigned k = 0; list && k < hr->n_probes; k++)
				probe_json(j, l, list, hr->probes[k], now);
			json_arr_end(j);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void run_json(struct json *j, const struct lvs_run *r)
{
	json_obj_begin(j);
	json_kstr(j, "why", r->why);
	json_kuint(j, "services", r->n_svcs);
	json_kuint(j, "dests", r->n_dests);
	json_kuint(j, "operations", r->n_ops);
	json_kuint(j, "applied", r->n_done);
	json_key(j, "by_kind");
	json_obj_begin(j);
	for (unsigned k = 0; k <= IPVS_OP_DEL_DEST; k++)
		json_kuint(j, op_kind_names[k], r->counts[k]);
	json_obj_end(j);
	json_kdouble(j, "duration_ms", (double)r->duration_ns / 1e6);
	json_kuint(j, "errors", r->errors);
	json_kstr(j, "last_error", r->last_error[0] ? r->last_error : NULL);
	json_obj_end(j);
}

void ipvs_lvs_status_json(struct json *j, void *data)
{
	struct ipvs_lvs *l = data;
	unsigned svcs = 0, dests = 0;

	json_obj_begin(j);
	if (!l) {
		json_kbool(j, "available", false);
		json_obj_end(j);
		return;
	}
	json_kbool(j, "available", l->available);
	if (!l->available)
		json_kstr(j, "reason", l->open_err == -ENOENT ? "module ip_vs not found"
							       : strerror(-l->open_err));
	json_kuint(j, "virtual_servers_declared", l->vs_declared);
	count_table(l->applying ? &l->pending_desired : &l->owned, &svcs, &dests);
	json_kuint(j, "services", svcs);
	json_kuint(j, "dests", dests);
	json_kbool(j, "applying", l->applying);
	json_key(j, "last_reconcile");
	if (l->last.set)
		run_json(j, &l->last);
	else
		json_null(j);
	health_json(j, l);
	json_key(j, "sync_daemon");
	if (!l->sync.configured) {
		json_null(j);
	} else {
		json_obj_begin(j);
		json_kstr(j, "interface", l->sync.cfg.ifname);
		json_kstr(j, "instance", l->sync.instance);
		json_kuint(j, "syncid", l->sync.cfg.syncid);
		json_kbool(j, "master_and_backup", l->sync.master_and_backup);
		json_kbool(j, "master", (l->sync_running & SYNC_MASTER_BIT) != 0);
		json_kbool(j, "backup", (l->sync_running & SYNC_BACKUP_BIT) != 0);
		json_kuint(j, "errors", l->sync_errors);
		json_obj_end(j);
	}
	json_obj_end(j);
}
