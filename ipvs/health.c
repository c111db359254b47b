/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real-server and virtual-server health (health.h). Pure: everything is
 * derived from the probe states the caller hands in; what changed is told
 * as events (ipvs/notify.c runs the scripts and writes the FIFO).
 */
#include "config.h"

#include "ipvs/health.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/event.h"

/* ---- events ---- */

static struct ipvs_health_event *ev_push(struct ipvs_health_events *ev,
					 enum ipvs_health_ev_kind kind, unsigned vs)
{
	struct ipvs_health_event *e;

	if (!ev)
		return NULL;
	if (ev->n == ev->cap) {
		unsigned cap = ev->cap ? ev->cap * 2 : 16;
		struct ipvs_health_event *v;

		if (cap < ev->cap || cap > UINT_MAX / sizeof(*v) ||
		    !(v = realloc(ev->v, cap * sizeof(*v)))) {
			ev->dropped++;
			return NULL;
		}
		ev->v = v;
		ev->cap = cap;
	}
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->vs = vs;
	return e;
}

void ipvs_health_events_reset(struct ipvs_health_events *ev)
{
	if (ev) {
		ev->n = 0;
		ev->dropped = 0;
	}
}

void ipvs_health_events_free(struct ipvs_health_events *ev)
{
	if (!ev)
		return;
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

/* ---- build ---- */

void ipvs_health_free(struct ipvs_health *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < h->n_rs; i++)
		free(h->rs[i].probes);
	free(h->rs);
	free(h->vs);
	free(h->probe_rs_first);
	free(h->probe_rs);
	free(h);
}

static int build_probe_index(struct ipvs_health *h, const struct check_list *l)
{
	unsigned total = 0, *fill;

	h->n_probes = l ? l->n : 0;
	h->probe_rs_first = calloc((size_t)h->n_probes + 1, sizeof(unsigned));
	if (!h->probe_rs_first)
		return -ENOMEM;
	/* count users per rs and per probe */
	for (unsigned p = 0; p < h->n_probes; p++) {
		const struct check_probe *pr = &l->v[p];

		for (unsigned u = 0; u < pr->n_users; u++) {
			const struct check_user *us = &pr->users[u];

			if (us->vs >= h->n_vs || us->rs >= h->vs[us->vs].n_rs)
				continue;
			h->rs[h->vs[us->vs].rs_first + us->rs].n_probes++;
			total++;
		}
		h->probe_rs_first[p + 1] = total;
	}
	h->probe_rs = calloc(total ? total : 1, sizeof(unsigned));
	fill = calloc(h->n_rs ? h->n_rs : 1, sizeof(unsigned));
	if (!h->probe_rs || !fill) {
		free(fill);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < h->n_rs; i++) {
		if (!h->rs[i].n_probes)
			continue;
		h->rs[i].probes = calloc(h->rs[i].n_probes, sizeof(unsigned));
		if (!h->rs[i].probes) {
			free(fill);
			return -ENOMEM;
		}
	}
	total = 0;
	for (unsigned p = 0; p < h->n_probes; p++) {
		const struct check_probe *pr = &l->v[p];

		for (unsigned u = 0; u < pr->n_users; u++) {
			const struct check_user *us = &pr->users[u];
			unsigned r;

			if (us->vs >= h->n_vs || us->rs >= h->vs[us->vs].n_rs)
				continue;
			r = h->vs[us->vs].rs_first + us->rs;
			h->probe_rs[total++] = r;
			/* a probe listed twice for one rs counts once */
			bool dup = false;

			for (unsigned k = 0; k < fill[r]; k++)
				dup |= h->rs[r].probes[k] == p;
			if (!dup)
				h->rs[r].probes[fill[r]++] = p;
		}
	}
	for (unsigned i = 0; i < h->n_rs; i++)
		h->rs[i].n_probes = fill[i];
	free(fill);
	return 0;
}

int ipvs_health_build(const struct conf_model *m, const struct check_list *l,
		      struct ipvs_health **out)
{
	struct ipvs_health *h = calloc(1, sizeof(*h));
	unsigned nvs = 0, nrs = 0, i = 0, r = 0;

	*out = NULL;
	if (!h)
		return -ENOMEM;
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		nvs++;
		nrs += vs->real_servers.count;
	}
	h->vs = calloc(nvs ? nvs : 1, sizeof(*h->vs));
	h->rs = calloc(nrs ? nrs : 1, sizeof(*h->rs));
	if (!h->vs || !h->rs) {
		ipvs_health_free(h);
		return -ENOMEM;
	}
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		struct ipvs_health_vs *hv = &h->vs[i];

		hv->cfg = vs;
		hv->rs_first = r;
		conf_list_for_each (const struct conf_rs, rs, &vs->real_servers) {
			if (r >= nrs)
				break;
			h->rs[r].cfg = rs;
			h->rs[r].vs = i;
			h->rs[r].inhibit = rs->inhibit_on_failure > 0 ||
					   (rs->inhibit_on_failure < 0 && vs->inhibit_on_failure);
			h->rs[r].weight = rs->weight > IPVS_HEALTH_WEIGHT_MAX
						  ? IPVS_HEALTH_WEIGHT_MAX
						  : (int)rs->weight;
			hv->n_rs++;
			r++;
		}
		i++;
	}
	h->n_vs = nvs;
	h->n_rs = r;
	h->rs_init_notifies = m->global.rs_init_notifies;
	if (build_probe_index(h, l) < 0) {
		ipvs_health_free(h);
		return -ENOMEM;
	}
	*out = h;
	return 0;
}

/* ---- evaluation ---- */

static const struct check_probe_state *probe_state(ipvs_health_state_fn state, void *ctx,
						   unsigned p)
{
	return state ? state(ctx, p) : NULL;
}

/* alive, effective weight, reason and cause (NULL: not wanted) of rs from
 * its probes */
static void rs_eval(const struct ipvs_health_rs *r, ipvs_health_state_fn state, void *ctx,
		    bool *alive, int *weight, char *reason, size_t rlen, enum check_cause *cause)
{
	long long w = r->cfg->weight;

	*alive = true;
	if (rlen)
		reason[0] = 0;
	if (cause)
		*cause = CHECK_NONE;
	for (unsigned k = 0; k < r->n_probes; k++) {
		const struct check_probe_state *st = probe_state(state, ctx, r->probes[k]);

		if (!st)
			continue;
		if (!st->up && *alive) {
			*alive = false;
			if (rlen)
				snprintf(reason, rlen, "%s", st->reason[0] ? st->reason : "down");
			if (cause)
				*cause = st->cause;
		}
		if (st->weight != CHECK_WEIGHT_NONE)
			w += (long long)st->weight - (long long)r->cfg->weight;
	}
	if (w < 0)
		w = 0;
	if (w > IPVS_HEALTH_WEIGHT_MAX)
		w = IPVS_HEALTH_WEIGHT_MAX;
	*weight = (int)w;
}

static long live_weight(const struct ipvs_health *h, unsigned v)
{
	const struct ipvs_health_vs *hv = &h->vs[v];
	long sum = 0;

	for (unsigned i = 0; i < hv->n_rs; i++)
		if (h->rs[hv->rs_first + i].alive)
			sum += h->rs[hv->rs_first + i].weight;
	return sum;
}

static bool has_sorry(const struct ipvs_health *h, unsigned v)
{
	return h->vs[v].cfg->sorry.set;
}

static void set_sorry(struct ipvs_health *h, unsigned v, bool on, bool init,
		      struct ipvs_health_events *ev)
{
	struct ipvs_health_event *e;

	if (!has_sorry(h, v) || h->vs[v].sorry_active == on)
		return;
	h->vs[v].sorry_active = on;
	e = ev_push(ev, on ? IPVS_HEV_SORRY_IN : IPVS_HEV_SORRY_OUT, v);
	if (e)
		e->init = init;
}

/* keepalived's update_quorum_state: one step, from the current sum. */
static void quorum_update(struct ipvs_health *h, unsigned v, bool init,
			  struct ipvs_health_events *ev)
{
	struct ipvs_health_vs *hv = &h->vs[v];
	long q = hv->cfg->quorum, hy = hv->cfg->hysteresis;
	long sum = live_weight(h, v);
	long threshold = hv->quorum_up ? q - hy : q + hy;
	struct ipvs_health_event *e;
	bool up;

	hv->live_weight = sum;
	if (!hv->quorum_up && sum >= threshold)
		up = true;
	else if ((hv->quorum_up && (!sum || sum < threshold)) ||
		 (init && !hv->quorum_up && has_sorry(h, v) && !hv->sorry_active))
		up = false;
	else
		return;
	hv->quorum_up = up;
	e = ev_push(ev, up ? IPVS_HEV_QUORUM_UP : IPVS_HEV_QUORUM_DOWN, v);
	if (e) {
		e->init = init;
		e->live_weight = sum;
		e->threshold = threshold;
	}
	set_sorry(h, v, !up, init, ev);
}

/* Re-evaluates real server r; true when its alive state or weight changed. */
static bool rs_update(struct ipvs_health *h, unsigned r, ipvs_health_state_fn state, void *ctx,
		      struct ipvs_health_events *ev)
{
	struct ipvs_health_rs *hr = &h->rs[r];
	char reason[sizeof(hr->reason)];
	struct ipvs_health_event *e;
	enum check_cause cause;
	bool alive;
	int w;

	rs_eval(hr, state, ctx, &alive, &w, reason, sizeof(reason), &cause);
	if (alive == hr->alive && w == hr->weight) {
		if (!alive)
			memcpy(hr->reason, reason, sizeof(reason));
		return false;
	}
	if (alive != hr->alive) {
		e = ev_push(ev, alive ? IPVS_HEV_RS_UP : IPVS_HEV_RS_DOWN, hr->vs);
		if (e) {
			e->rs = r;
			snprintf(e->reason, sizeof(e->reason), "%s", alive ? "" : reason);
			e->cause = alive ? CHECK_NONE : cause;
			e->old_weight = hr->weight;
			e->weight = w;
		}
	} else {
		e = ev_push(ev, IPVS_HEV_RS_WEIGHT, hr->vs);
		if (e) {
			e->rs = r;
			e->old_weight = hr->weight;
			e->weight = w;
		}
	}
	hr->alive = alive;
	hr->weight = w;
	memcpy(hr->reason, alive ? "" : reason, alive ? 1 : sizeof(reason));
	return true;
}

static const struct ipvs_health_vs *prev_vs(const struct ipvs_health *prev,
					    const struct conf_vs *vs, unsigned hint)
{
	const char *name = vs->hdr.name;

	if (!prev || !name)
		return NULL;
	if (hint < prev->n_vs && prev->vs[hint].cfg->hdr.name &&
	    !strcmp(prev->vs[hint].cfg->hdr.name, name))
		return &prev->vs[hint];
	for (unsigned i = 0; i < prev->n_vs; i++)
		if (prev->vs[i].cfg->hdr.name && !strcmp(prev->vs[i].cfg->hdr.name, name))
			return &prev->vs[i];
	return NULL;
}

static const struct ipvs_health_rs *prev_rs(const struct ipvs_health *prev,
					    const struct ipvs_health_vs *pv,
					    const struct conf_rs *rs, unsigned hint)
{
	const char *name = rs->hdr.name;

	if (!name)
		return NULL;
	if (hint < pv->n_rs && prev->rs[pv->rs_first + hint].cfg->hdr.name &&
	    !strcmp(prev->rs[pv->rs_first + hint].cfg->hdr.name, name))
		return &prev->rs[pv->rs_first + hint];
	for (unsigned i = 0; i < pv->n_rs; i++) {
		const struct ipvs_health_rs *p = &prev->rs[pv->rs_first + i];

		if (p->cfg->hdr.name && !strcmp(p->cfg->hdr.name, name))
			return p;
	}
	return NULL;
}

void ipvs_health_init(struct ipvs_health *h, const struct ipvs_health *prev,
		      ipvs_health_state_fn state, void *ctx, struct ipvs_health_events *ev)
{
	for (unsigned v = 0; v < h->n_vs; v++) {
		struct ipvs_health_vs *hv = &h->vs[v];
		const struct ipvs_health_vs *pv = prev_vs(prev, hv->cfg, v);

		for (unsigned i = 0; i < hv->n_rs; i++) {
			unsigned r = hv->rs_first + i;
			struct ipvs_health_rs *hr = &h->rs[r];
			const struct ipvs_health_rs *pr = pv ? prev_rs(prev, pv, hr->cfg, i) : NULL;

			if (pr) {
				/* known before: only real transitions are events */
				hr->alive = pr->alive;
				hr->weight = pr->weight;
				memcpy(hr->reason, pr->reason, sizeof(hr->reason));
				rs_update(h, r, state, ctx, ev);
				continue;
			}
			rs_eval(hr, state, ctx, &hr->alive, &hr->weight, hr->reason,
				sizeof(hr->reason), NULL);
			if (hr->alive && h->rs_init_notifies) {
				struct ipvs_health_event *e = ev_push(ev, IPVS_HEV_RS_UP, v);

				if (e) {
					e->rs = r;
					e->init = true;
					e->weight = hr->weight;
				}
			}
		}
		if (pv) {
			hv->quorum_up = pv->quorum_up;
			/* a sorry server that is still configured stays in */
			hv->sorry_active = pv->sorry_active && has_sorry(h, v);
			if (!hv->quorum_up && has_sorry(h, v) && !hv->sorry_active)
				set_sorry(h, v, true, false, ev);
			quorum_update(h, v, false, ev);
			hv->live_weight = live_weight(h, v);
			continue;
		}
		hv->live_weight = live_weight(h, v);
		hv->quorum_up = hv->live_weight >= (long)hv->cfg->quorum + (long)hv->cfg->hysteresis;
		quorum_update(h, v, true, ev);
	}
}

void ipvs_health_probe_changed(struct ipvs_health *h, unsigned probe, ipvs_health_state_fn state,
			       void *ctx, struct ipvs_health_events *ev)
{
	if (!h || probe >= h->n_probes)
		return;
	for (unsigned k = h->probe_rs_first[probe]; k < h->probe_rs_first[probe + 1]; k++) {
		unsigned r = h->probe_rs[k];

		if (r < h->n_rs && rs_update(h, r, state, ctx, ev))
			quorum_update(h, h->rs[r].vs, false, ev);
	}
}

void ipvs_health_stop(const struct ipvs_health *h, struct ipvs_health_events *ev)
{
	for (unsigned v = 0; h && v < h->n_vs; v++) {
		const struct ipvs_health_vs *hv = &h->vs[v];
		struct ipvs_health_event *e;
		long q = hv->cfg->quorum, hy = hv->cfg->hysteresis;

		if (!hv->cfg->omega)
			continue;
		for (unsigned i = 0; i < hv->n_rs; i++) {
			if (!h->rs[hv->rs_first + i].alive)
				continue;
			e = ev_push(ev, IPVS_HEV_RS_DOWN, v);
			if (e) {
				e->rs = hv->rs_first + i;
				e->stopping = true;
				snprintf(e->reason, sizeof(e->reason), "shutting down");
			}
		}
		e = ev_push(ev, IPVS_HEV_QUORUM_DOWN, v);
		if (e) {
			e->stopping = true;
			e->live_weight = hv->live_weight;
			e->threshold = q - hy;
		}
	}
}

/* ---- what goes into IPVS ---- */

bool ipvs_health_rs_dest(const struct ipvs_health *h, unsigned r, int *weight)
{
	const struct ipvs_health_rs *hr;

	*weight = 0;
	if (!h || r >= h->n_rs)
		return false;
	hr = &h->rs[r];
	if (h->vs[hr->vs].sorry_active)
		return hr->inhibit; /* the sorry server replaces the pool */
	if (hr->alive) {
		*weight = hr->weight;
		return true;
	}
	return hr->inhibit;
}

bool ipvs_health_sorry_dest(const struct ipvs_health *h, unsigned v, int *weight)
{
	const struct conf_vs *vs;

	*weight = 0;
	if (!h || v >= h->n_vs)
		return false;
	vs = h->vs[v].cfg;
	if (!vs->sorry.set)
		return false;
	if (h->vs[v].sorry_active) {
		*weight = IPVS_HEALTH_SORRY_WEIGHT;
		return true;
	}
	return vs->sorry.inhibit;
}

/* ---- names and FIFO lines ---- */

static const char *proto_name(int p)
{
	switch (p) {
	case CONF_PROTO_UDP:
		return "udp";
	case CONF_PROTO_SCTP:
		return "sctp";
	default:
		return "tcp";
	}
}

static const char *trio(const struct conf_addr *a, int proto, unsigned port, char *buf,
			size_t len)
{
	char ab[CONF_ADDRSTRLEN];

	snprintf(buf, len, "[%s]:%s:%u", conf_addr_str(a, ab), proto_name(proto), port);
	return buf;
}

const char *ipvs_health_vs_str(const struct conf_vs *vs, char *buf, size_t len)
{
	switch (vs->kind) {
	case CONF_VS_FWMARK:
		snprintf(buf, len, "FWM %u", vs->fwmark);
		return buf;
	case CONF_VS_GROUP:
		snprintf(buf, len, "[%s]:%u", vs->group ? vs->group : "", vs->port);
		return buf;
	default:
		return trio(&vs->addr, vs->protocol, vs->port, buf, len);
	}
}

const char *ipvs_health_rs_str(const struct conf_vs *vs, const struct conf_rs *rs, char *buf,
			       size_t len)
{
	return trio(&rs->addr, vs->protocol, rs->port, buf, len);
}

size_t ipvs_fifo_line(enum event_kind kind, const char *vs_name, const char *rs_name, char *buf,
		      size_t len)
{
	int n;

	if (!len)
		return 0;
	buf[0] = 0;
	switch (kind) {
	case EVENT_RS_UP:
	case EVENT_RS_DOWN:
		n = snprintf(buf, len, "RS %s %s %s\n", rs_name, vs_name,
			     kind == EVENT_RS_UP ? "UP" : "DOWN");
		break;
	case EVENT_QUORUM_UP:
	case EVENT_QUORUM_DOWN:
		n = snprintf(buf, len, "VS %s %s\n", vs_name, kind == EVENT_QUORUM_UP ? "UP" : "DOWN");
		break;
	default:
		return 0;
	}
	if (n < 0)
		return 0;
	return (size_t)n >= len ? len - 1 : (size_t)n;
}

static const enum event_kind hev_kinds[] = {
	[IPVS_HEV_RS_UP] = EVENT_RS_UP,		[IPVS_HEV_RS_DOWN] = EVENT_RS_DOWN,
	[IPVS_HEV_RS_WEIGHT] = EVENT_RS_WEIGHT, [IPVS_HEV_QUORUM_UP] = EVENT_QUORUM_UP,
	[IPVS_HEV_QUORUM_DOWN] = EVENT_QUORUM_DOWN, [IPVS_HEV_SORRY_IN] = EVENT_SORRY_IN,
	[IPVS_HEV_SORRY_OUT] = EVENT_SORRY_OUT,
};

size_t ipvs_health_fifo_line(const struct ipvs_health *h, const struct ipvs_health_event *e,
			     char *buf, size_t len)
{
	char vsb[160], rsb[96] = "";
	const struct conf_vs *vs;

	if (len)
		buf[0] = 0;
	if (!h || e->vs >= h->n_vs || (unsigned)e->kind >= sizeof(hev_kinds) / sizeof(hev_kinds[0]))
		return 0;
	vs = h->vs[e->vs].cfg;
	if (e->kind == IPVS_HEV_RS_UP || e->kind == IPVS_HEV_RS_DOWN) {
		if (e->rs >= h->n_rs)
			return 0;
		ipvs_health_rs_str(vs, h->rs[e->rs].cfg, rsb, sizeof(rsb));
	}
	return ipvs_fifo_line(hev_kinds[e->kind], ipvs_health_vs_str(vs, vsb, sizeof(vsb)), rsb,
			      buf, len);
}

void ipvs_health_publish(const struct ipvs_health *h, const struct ipvs_health_events *ev,
			 struct event_bus *bus)
{
	char vsb[160], rsb[96];

	if (!h || !ev)
		return;
	for (unsigned i = 0; i < ev->n; i++) {
		const struct ipvs_health_event *e = &ev->v[i];
		const struct ipvs_health_rs *r = NULL;
		const struct conf_vs *vs;
		struct event out = { 0 };

		if (e->vs >= h->n_vs || (unsigned)e->kind >= sizeof(hev_kinds) / sizeof(hev_kinds[0]))
			continue;
		vs = h->vs[e->vs].cfg;
		rsb[0] = '\0';
		if (e->kind == IPVS_HEV_RS_UP || e->kind == IPVS_HEV_RS_DOWN ||
		    e->kind == IPVS_HEV_RS_WEIGHT) {
			if (e->rs >= h->n_rs)
				continue;
			r = &h->rs[e->rs];
			ipvs_health_rs_str(vs, r->cfg, rsb, sizeof(rsb));
		} else if (e->kind == IPVS_HEV_SORRY_IN || e->kind == IPVS_HEV_SORRY_OUT) {
			char ab[CONF_ADDRSTRLEN];

			snprintf(rsb, sizeof(rsb), "[%s]:%u", conf_addr_str(&vs->sorry.addr, ab),
				 vs->sorry.port ? vs->sorry.port : vs->port);
		}
		out.kind = hev_kinds[e->kind];
		out.lvs = (struct event_lvs){
			.vs_name = ipvs_health_vs_str(vs, vsb, sizeof(vsb)),
			.rs_name = rsb,
			.init = e->init,
			.stopping = e->stopping,
			.inhibit = r ? r->inhibit : vs->sorry.inhibit,
			.alive = r ? r->alive : false,
			.reason = e->reason,
			.cause = (int)e->cause,
			.old_weight = e->old_weight,
			.weight = e->weight,
			.live_weight = e->live_weight,
			.threshold = e->threshold,
			.quorum = vs->quorum,
			.hysteresis = vs->hysteresis,
			.vs = vs,
			.rs = r ? r->cfg : NULL,
		};
		event_publish(bus, &out);
	}
}
