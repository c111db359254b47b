/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP subsystem: brings instances up from the model, applies a new
 * model on reload (unchanged instances are not touched), shuts everything
 * down on stop, and reports status.
 */
#include "config.h"

#include "vrrp/vrrp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/event.h"
#include "lib/json.h"
#include "lib/log.h"
#include "vrrp/diff.h"
#include "vrrp/filter.h"
#include "vrrp/garp.h"
#include "vrrp/instance.h"
#include "vrrp/netlink.h"
#include "vrrp/notify.h"
#include "vrrp/static.h"
#include "vrrp/track.h"

static void on_track_changed(void *data)
{
	struct vrrp *v = data;

	if (v->stopping)
		return;
	vrrp_sync_reeval_all(v);
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		vrrp_inst_reeval(vi);
}

static void on_nl(const struct vrrp_nl_msg *m, void *data)
{
	struct vrrp *v = data;
	struct vrrp_inst *vi, *next;

	if (v->stopping)
		return;
	vrrp_static_nl_event(v, m);
	for (vi = v->instances; vi; vi = next) {
		next = vi->next;
		vrrp_inst_nl_event(vi, (int)m->ev, m);
	}
	if (m->ev == VRRP_NL_LINK || m->ev == VRRP_NL_LINK_GONE || m->ev == VRRP_NL_RESYNC)
		on_track_changed(v); /* track_interface states follow links */
}

/* netlink, GARP and notify: opened once, when the first instance appears. */
static int open_base(struct vrrp *v)
{
	const struct conf_global *g = &v->m->global;
	struct vrrp_nl_opts o = {
		.cmd_rcvbuf = g->vrrp_netlink_cmd_rcv_bufs,
		.monitor_rcvbuf = g->vrrp_netlink_monitor_rcv_bufs,
	};
	int r;

	if (v->nl)
		return 0;
	r = vrrp_nl_open(v->loop, &o, &v->nl);
	if (r < 0) {
		log_error("vrrp: rtnetlink: %s", strerror(-r));
		v->nl = NULL;
		return r;
	}
	v->nl_sub = vrrp_nl_subscribe(v->nl, on_nl, v);
	r = vrrp_garp_open(v->loop, &v->pace.garp);
	if (r < 0) {
		log_error("vrrp: GARP/NA socket: %s: VIPs will not be announced", strerror(-r));
		v->pace.garp = NULL;
	}
	return 0;
}

/* The model's notify scripts and FIFOs, subscribed to our transitions. */
static void notify_open(struct vrrp *v, const struct conf_model *m)
{
	int r = vrrp_notify_open(v->loop, &m->global, &v->notify);

	if (r == 0 && vrrp_notify_admit_model(v->notify, m) < 0) {
		vrrp_notify_close(v->notify);
		r = -ENOMEM;
	}
	if (r < 0) {
		log_error("vrrp: notify: %s", strerror(-r));
		v->notify = NULL;
		return;
	}
	v->notify_sub = event_subscribe(v->bus, VRRP_NOTIFY_EVENTS, vrrp_notify_on_event, v->notify);
	if (v->notify_sub < 0)
		log_error("vrrp: notify: %s: no notify script will run", strerror(-v->notify_sub));
}

static void notify_close(struct vrrp *v)
{
	event_unsubscribe(v->bus, v->notify_sub);
	v->notify_sub = -1;
	if (v->notify)
		vrrp_notify_close(v->notify);
	v->notify = NULL;
}

static void open_model_parts(struct vrrp *v)
{
	int r;

	notify_open(v, v->m);
	r = vrrp_track_open(v->loop, v->m, v->nl, on_track_changed, v, &v->track);
	if (r < 0) {
		log_error("vrrp: tracking: %s", strerror(-r));
		v->track = NULL;
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_strlist(const struct conf_strlist *a, const struct conf_strlist *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (!same_str(a->v[i], b->v[i]))
			return false;
	return true;
}

/* Does the no_accept filter of a still fit b (table, priority, ipsets)? */
static bool filter_conf_same(const struct conf_global *a, const struct conf_global *b)
{
	return same_str(a->nftables, b->nftables) && a->nftables_priority == b->nftables_priority &&
	       a->nftables_counters == b->nftables_counters &&
	       a->nftables_ifindex == b->nftables_ifindex && a->vrrp_ipsets == b->vrrp_ipsets &&
	       same_strlist(&a->vrrp_ipsets_names, &b->vrrp_ipsets_names);
}

static void close_model_parts(struct vrrp *v)
{
	if (v->track)
		vrrp_track_close(v->track);
	v->track = NULL;
	notify_close(v);
}

/* keepalived runs its VRRP side for instances and for static entries alike. */
static bool wants_vrrp(const struct conf_model *m)
{
	return m->vrrp.instances.count || m->vrrp.static_addresses.count ||
	       m->vrrp.static_routes.count || m->vrrp.static_rules.count;
}

static void add_instance(struct vrrp *v, const struct conf_vrrp_instance *c,
			 struct vrrp_inst ***tail)
{
	struct vrrp_inst *vi = vrrp_inst_new(v, c);

	if (!vi) {
		log_error("vrrp: %s: out of memory", c->hdr.name);
		return;
	}
	**tail = vi;
	*tail = &vi->next;
}

/* Time since boot in us (CLOCK_BOOTTIME, suspend included, as keepalived's
 * /proc/uptime). Unknown: vrrp_delay_after_boot is ignored, with a warning,
 * as keepalived ignores it when /proc/uptime cannot be read. */
static uint64_t uptime_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts)) {
		log_warn("vrrp: cannot read CLOCK_BOOTTIME: %s; vrrp_delay_after_boot ignored",
			 strerror(errno));
		return UINT64_MAX;
	}
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* vrrp_startup_delay (or vrrp_delay_after_boot) is over: the instances start now. */
static void on_startup_timer(uv_timer_t *t)
{
	struct vrrp *v = t->data;

	v->startup_waiting = false;
	if (v->stopping)
		return;
	log_info("vrrp: start delay over: starting the instances");
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		if (!vi->started)
			vrrp_inst_start(vi);
}

int vrrp_start(uv_loop_t *loop, const struct conf_model *m, struct event_bus *bus,
	       struct vrrp **out)
{
	struct vrrp *v = calloc(1, sizeof(*v));
	struct vrrp_inst **tail;
	uint64_t delay;
	int r;

	*out = NULL;
	if (!v)
		return -ENOMEM;
	v->loop = loop;
	v->m = m;
	v->bus = bus;
	v->nl_sub = -1;
	v->notify_sub = -1;
	vrrp_timers_init(&v->timers, loop, &vrrp_inst_timer_ops);
	uv_timer_init(loop, &v->stop_timer);
	v->stop_timer.data = v;
	uv_timer_init(loop, &v->startup_timer);
	v->startup_timer.data = v;
	vrrp_garp_pace_init(&v->pace, loop);
	*out = v;
	if (!wants_vrrp(m))
		return 0;
	r = open_base(v);
	if (r < 0)
		return r;
	/* Static entries are set before any instance starts, as keepalived. */
	if (vrrp_static_start(v) < 0)
		log_error("vrrp: static entries: out of memory: not set");
	open_model_parts(v);
	tail = &v->instances;
	conf_list_for_each (const struct conf_vrrp_instance, c, &m->vrrp.instances)
		add_instance(v, c, &tail);
	vrrp_sync_build(v);
	delay = vrrp_start_delay_us(m->global.vrrp_startup_delay, m->global.vrrp_delay_after_boot,
				    uptime_us());
	if (delay) {
		uint64_t ms = (delay + 999) / 1000;

		/* Nothing is sent or configured before then: not even the
		 * netlink or tracking events start an instance. */
		v->startup_waiting = true;
		uv_timer_start(&v->startup_timer, on_startup_timer, ms, 0);
		log_info("vrrp: %u instance(s) start in %llu ms (%s)", m->vrrp.instances.count,
			 (unsigned long long)ms,
			 delay > m->global.vrrp_startup_delay ? "vrrp_delay_after_boot"
							      : "vrrp_startup_delay");
		return 0;
	}
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		vrrp_inst_start(vi);
	log_info("vrrp: %u instance(s) started", m->vrrp.instances.count);
	return 0;
}

static const struct conf_vrrp_instance *find_cfg(const struct conf_model *m, const char *name)
{
	conf_list_for_each (const struct conf_vrrp_instance, c, &m->vrrp.instances)
		if (!strcmp(c->hdr.name, name))
			return c;
	return NULL;
}

void vrrp_reload(struct vrrp *v, const struct conf_model *nm)
{
	struct vrrp_inst **pp, *vi, **tail;
	const struct conf_model *old = v ? v->m : NULL;
	unsigned n_same = 0, n_upd = 0, n_restart = 0, n_removed = 0, n_added = 0;

	if (!v || v->stopping)
		return;
	/* 1. Removed and restarted instances shut down under the old model. */
	for (pp = &v->instances; (vi = *pp);) {
		const struct conf_vrrp_instance *c = find_cfg(nm, vi->cfg->hdr.name);
		enum vrrp_cfg_diff d = c ? vrrp_cfg_compare(vi->cfg, c) : VRRP_CFG_RESTART;

		if (c && d != VRRP_CFG_RESTART) {
			pp = &vi->next;
			continue;
		}
		*pp = vi->next;
		log_info("vrrp: %s %s", vi->cfg->hdr.name,
			 c ? "changed: restarting" : "removed: shutting down");
		vrrp_inst_shutdown(vi);
		vrrp_inst_free(vi);
		if (c)
			n_restart++;
		else
			n_removed++;
	}
	/* 2. Everything that refers to the old model is rebound or reopened.
	 * Tracked objects whose configuration did not change keep running with
	 * their state; the no_accept table stays when its settings did not
	 * change (only its contents are set again below). */
	notify_close(v);
	vrrp_sync_free_all(v);
	if (!filter_conf_same(&v->m->global, &nm->global)) {
		if (v->filter)
			vrrp_filter_close(v->filter);
		v->filter = NULL;
		v->filter_failed = false;
	}
	v->m = nm;
	if (wants_vrrp(nm) && open_base(v) < 0) {
		close_model_parts(v);
		log_error("vrrp: reload: no rtnetlink: new instances not started");
		return;
	}
	if (v->nl && !v->statics && vrrp_static_start(v) < 0)
		log_error("vrrp: static entries: out of memory: not set");
	else if (v->nl)
		vrrp_static_reload(v, old);
	if (v->nl) {
		struct vrrp_track *old_track = v->track;
		int r;

		v->track = NULL;
		notify_open(v, nm);
		/* Both models are alive here: the tracker compares them. */
		r = vrrp_track_reopen(v->loop, nm, v->nl, on_track_changed, v, old_track,
				      &v->track);
		if (r < 0) {
			log_error("vrrp: tracking: %s", strerror(-r));
			v->track = NULL;
		}
	} else {
		close_model_parts(v);
	}
	for (vi = v->instances; vi; vi = vi->next) {
		const struct conf_vrrp_instance *c = find_cfg(nm, vi->cfg->hdr.name);

		if (vrrp_cfg_compare(vi->cfg, c) == VRRP_CFG_SAME) {
			n_same++;
			vrrp_inst_rebind(vi, c);
		} else {
			/* A MASTER advertises the new interval from its next advert on. */
			n_upd++;
			vrrp_inst_rebind(vi, c);
			log_info("vrrp: %s updated in place", c->hdr.name);
		}
	}
	/* 3. New (and restarted) instances, in configuration order at the end. */
	for (tail = &v->instances; *tail; tail = &(*tail)->next)
		;
	conf_list_for_each (const struct conf_vrrp_instance, c, &nm->vrrp.instances) {
		bool found = false;

		for (vi = v->instances; vi; vi = vi->next)
			if (vi->cfg == c)
				found = true;
		if (found)
			continue;
		add_instance(v, c, &tail);
		n_added++;
	}
	vrrp_sync_build(v);
	for (vi = v->instances; vi; vi = vi->next) {
		if (!vi->started)
			vrrp_inst_start(vi);
		else
			vrrp_inst_reeval(vi);
	}
	vrrp_filter_update(v);
	n_added -= n_restart < n_added ? n_restart : n_added;
	log_info("vrrp: reload: %u unchanged, %u updated, %u restarted, %u removed, %u added",
		 n_same, n_upd, n_restart, n_removed, n_added);
}

static void finish_stop(struct vrrp *v)
{
	struct vrrp_inst *vi, *next;
	void (*done)(void *) = v->done;

	for (vi = v->instances; vi; vi = next) {
		next = vi->next;
		vrrp_inst_free(vi);
	}
	v->instances = NULL;
	vrrp_timers_close(&v->timers);
	vrrp_sync_free_all(v);
	close_model_parts(v);
	if (v->filter)
		vrrp_filter_close(v->filter);
	v->filter = NULL;
	if (v->pace.garp) {
		vrrp_garp_flush(v->pace.garp);
		vrrp_garp_close(v->pace.garp);
	}
	v->pace.garp = NULL;
	if (v->nl) {
		if (v->nl_sub >= 0)
			vrrp_nl_unsubscribe(v->nl, v->nl_sub);
		vrrp_nl_flush(v->nl);
		vrrp_nl_close(v->nl);
	}
	v->nl = NULL;
	vrrp_garp_pace_close(&v->pace);
	uv_close((uv_handle_t *)&v->startup_timer, NULL);
	uv_close((uv_handle_t *)&v->stop_timer, NULL);
	v->done = NULL;
	if (done)
		done(v->done_data);
}

static void on_stop_timer(uv_timer_t *t)
{
	finish_stop(t->data);
}

void vrrp_stop(struct vrrp *v, void (*done)(void *data), void *data)
{
	unsigned n = 0;

	if (!v || v->stopping) {
		if (done)
			done(data);
		return;
	}
	v->stopping = true;
	vrrp_timers_stop(&v->timers);
	v->startup_waiting = false;
	uv_timer_stop(&v->startup_timer);
	v->done = done;
	v->done_data = data;
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next) {
		vrrp_inst_shutdown(vi);
		n++;
	}
	vrrp_static_stop(v);
	/* Priority-0 adverts left in vrrp_inst_shutdown; VIP removals go now.
	 * rtnetlink applies a batch inside sendmsg, so once flushed they are done. */
	if (v->pace.garp)
		vrrp_garp_flush(v->pace.garp);
	if (v->nl)
		vrrp_nl_flush(v->nl);
	if (n)
		log_info("vrrp: %u instance(s) stopped", n);
	/* One more loop turn lets the ACKs and our handles settle. */
	uv_timer_start(&v->stop_timer, on_stop_timer, 20, 0);
}

int vrrp_instance_state(const struct vrrp *v, const char *name)
{
	if (!v || !name)
		return -ENOENT;
	for (const struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		if (!strcmp(vi->cfg->hdr.name, name))
			return (int)vi->fsm.state;
	return -ENOENT;
}

void vrrp_free(struct vrrp *v)
{
	if (v)
		vrrp_static_free(v->statics);
	free(v);
}

void vrrp_status_json(struct json *j, void *data)
{
	struct vrrp *v = data;
	uint64_t now;

	json_obj_begin(j);
	if (!v) {
		json_obj_end(j);
		return;
	}
	now = uv_now(v->loop);
	json_key(j, "instances");
	json_arr_begin(j);
	for (const struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		vrrp_inst_status_json(vi, j, now);
	json_arr_end(j);
	json_key(j, "static");
	vrrp_static_status_json(v, j);
	json_key(j, "sync_groups");
	vrrp_sync_status_json(v, j);
	json_key(j, "sockets");
	json_arr_begin(j);
	for (const struct vrrp_sock *s = v->socks; s; s = s->next)
		vrrp_sock_status_json(s, j);
	json_arr_end(j);
	if (v->nl) {
		struct vrrp_nl_stats st;

		vrrp_nl_stats(v->nl, &st);
		json_key(j, "netlink");
		json_obj_begin(j);
		json_kuint(j, "batches", st.batches);
		json_kuint(j, "msgs", st.msgs);
		json_kuint(j, "errors", st.errors);
		json_kuint(j, "resyncs", st.resyncs);
		json_kuint(j, "events", st.events);
		json_obj_end(j);
	}
	if (v->pace.garp) {
		struct vrrp_garp_stats st;

		vrrp_garp_stats(v->pace.garp, &st);
		json_key(j, "garp");
		json_obj_begin(j);
		json_kuint(j, "arp_sent", st.arp_sent);
		json_kuint(j, "na_sent", st.na_sent);
		json_kuint(j, "errors", st.errors);
		json_obj_end(j);
	}
	if (v->track) {
		json_key(j, "track");
		vrrp_track_status_json(v->track, j);
	}
	if (v->notify) {
		json_key(j, "notify");
		vrrp_notify_status_json(v->notify, j);
	}
	json_key(j, "filter");
	json_obj_begin(j);
	json_kbool(j, "open", v->filter != NULL);
	json_kstr(j, "error", v->filter_failed ? strerror(-v->filter_err) : NULL);
	json_obj_end(j);
	json_obj_end(j);
}
