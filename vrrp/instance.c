/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One running vrrp_instance: feeds events to its pure state machine
 * (fsm.c) and carries out the actions it returns, in order: timer (armed
 * in timer.c), VIPs, adverts, GARP/NA rounds (paced by garp_pace.c),
 * transitions (published: log, notify, sync group; filter). It takes its
 * packets from its socket's callbacks once accept.c has accepted them, and
 * follows its interfaces and addresses through netlink events. Start,
 * shutdown, reload in place (what changed, from diff.c) and status.
 */
#include "config.h"

#include "vrrp/instance.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/event.h"
#include "lib/log.h"
#include "vrrp/accept.h"
#include "vrrp/ah.h"
#include "vrrp/diff.h"
#include "vrrp/filter.h"
#include "vrrp/garp.h"
#include "vrrp/netlink.h"
#include "vrrp/static.h"
#include "vrrp/track.h"

#define MISCONF_LOG_MS 10000 /* rate limit of per-packet complaints */

/* ---------------------------------------------------------------- pure helpers */

int vrrp_effective_priority(unsigned configured, int delta)
{
	long p;

	/* RFC 5798 5.2.4: the address owner always advertises 255. */
	if (configured >= 255)
		return 255;
	p = (long)configured + delta;
	if (p < 1)
		return 1;
	if (p > 254)
		return 254;
	return (int)p;
}

static unsigned count_true(const bool *b, unsigned n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		k += b[i];
	return k;
}

/* ---------------------------------------------------------------- small helpers */

static const char *iname(const struct vrrp_inst *vi)
{
	return vi->cfg->hdr.name;
}

static uint64_t now_us(void)
{
	return uv_hrtime() / 1000;
}

static const struct vrrp_iface *base_iface(const struct vrrp_inst *vi)
{
	return vi->ifindex ? vrrp_nl_iface_by_index(vi->v->nl, vi->ifindex) : NULL;
}

/* Where VIPs go and adverts are sent from: the VMAC when there is one. */
static int vip_ifindex(const struct vrrp_inst *vi)
{
	return vi->vmac_ifindex ? vi->vmac_ifindex : vi->ifindex;
}

static int xmit_ifindex(const struct vrrp_inst *vi)
{
	if (vi->vmac_ifindex && !vi->cfg->vmac_xmit_base)
		return vi->vmac_ifindex;
	return vi->ifindex;
}

static bool is_unicast(const struct vrrp_inst *vi)
{
	return vi->cfg->unicast_peers.count > 0;
}

/* auth_type AH: VRRPv2 over IPv4 only (conf/ refuses the rest). */
static bool uses_ah(const struct conf_vrrp_instance *c)
{
	return c->auth.type == CONF_AUTH_AH && c->family == AF_INET && c->version != 3;
}

/* Our source address: configured, or the interface's primary / link-local. */
static void source_addr(const struct vrrp_inst *vi, struct conf_addr *out)
{
	const struct vrrp_iface *ifc;

	memset(out, 0, sizeof(*out));
	if (vi->cfg->src_ip.family == vi->cfg->family) {
		*out = vi->cfg->src_ip;
		return;
	}
	ifc = vrrp_nl_iface_by_index(vi->v->nl, xmit_ifindex(vi));
	if (vi->cfg->family == AF_INET) {
		/* The base interface's primary address: a VMAC only carries VIPs. */
		ifc = base_iface(vi);
		if (ifc && ifc->addr4.family == AF_INET)
			*out = ifc->addr4;
	} else {
		if (!ifc || ifc->addr6_ll.family != AF_INET6)
			ifc = base_iface(vi);
		if (ifc && ifc->addr6_ll.family == AF_INET6)
			*out = ifc->addr6_ll;
	}
}

static unsigned cfg_or(unsigned v, unsigned global)
{
	return v == CONF_UNSET ? global : v;
}

/* ---------------------------------------------------------------- adverts */

/* hoplimit: IPv6 only (IPv4 carries t->ttl in the header we build); -1:
 * the kernel's default. */
static void send_one(struct vrrp_inst *vi, struct vrrp_pkt_tmpl *t, int hoplimit)
{
	uint8_t buf[VRRP_PKT_MAX];
	size_t len = vrrp_build(buf, sizeof(buf), t);

	if (!len) {
		vi->c.send_errors++;
		return;
	}
	vrrp_sock_queue(vi->sock, buf, (unsigned)len, &t->src, &t->dst, hoplimit);
}

static void send_advert(struct vrrp_inst *vi, uint8_t prio)
{
	const struct conf_vrrp_instance *c = vi->cfg;
	struct vrrp_pkt_tmpl t;

	if (!vi->sock)
		return;
	memset(&t, 0, sizeof(t));
	t.version = vi->fsm.version;
	t.vrid = (uint8_t)c->vrid;
	t.priority = prio;
	t.adver_cs = (uint16_t)(vi->fsm.adver_us / 10000);
	if (t.version == 2 && c->auth.type != CONF_AUTH_NONE) {
		t.auth_type = c->auth.type == CONF_AUTH_AH ? VRRP_AUTH_AH : VRRP_AUTH_PASS;
		snprintf(t.auth_pass, sizeof(t.auth_pass), "%s", c->auth.pass ? c->auth.pass : "");
		/* keepalived: one number per advert (all peers), stuck below
		 * 0xfffffffe: at one advert a second that is 136 years */
		if (t.auth_type == VRRP_AUTH_AH && vi->ah_seq < 0xfffffffeu)
			vi->ah_seq++;
		t.ah_seq = vi->ah_seq;
		t.ah_zero_ttl = is_unicast(vi);
	}
	t.family = c->family;
	t.csum_as_v2 = c->v3_checksum_as_v2 == 1;
	t.addrs = vi->vips;
	t.naddr = vi->nvips;
	source_addr(vi, &t.src);
	if (conf_addr_is_unset(&t.src)) {
		vi->c.send_errors++;
		if (uv_now(vi->v->loop) - vi->last_misconf_log_ms >= MISCONF_LOG_MS ||
		    !vi->last_misconf_log_ms) {
			vi->last_misconf_log_ms = uv_now(vi->v->loop);
			log_warn("%s: no source address on %s: cannot advertise", iname(vi),
				 c->interface);
		}
		return;
	}
	/* not 0: the kernel would fill one in, after the AH ICV covered it */
	if (!++vi->ip_id)
		vi->ip_id = 1;
	t.ip_id = vi->ip_id;
	if (is_unicast(vi)) {
		/* unicast_ttl as given, 0 included (keepalived sends it as is);
		 * unset: 255 for IPv4, the kernel's default hop limit for IPv6,
		 * as keepalived. */
		int hl = c->unicast_ttl == CONF_UNSET ? -1 : (int)c->unicast_ttl;

		t.ttl = (uint8_t)(hl < 0 ? VRRP_TTL : hl);
		conf_list_for_each (const struct conf_unicast_peer, p, &c->unicast_peers) {
			if (p->addr.family != c->family)
				continue;
			t.dst = p->addr;
			send_one(vi, &t, hl);
		}
	} else {
		t.ttl = VRRP_TTL;
		t.dst = vi->group;
		send_one(vi, &t, VRRP_TTL);
	}
	vi->c.adverts_sent++;
	if (prio == 0)
		vi->c.prio0_sent++;
}

/* ---------------------------------------------------------------- VIPs */

static int vip_dev_ifindex(const struct vrrp_inst *vi, const struct conf_vip *vip)
{
	if (vip->dev) {
		const struct vrrp_iface *ifc = vrrp_nl_iface_by_name(vi->v->nl, vip->dev);

		return ifc ? ifc->ifindex : 0;
	}
	return vip_ifindex(vi);
}

static void vips_apply(struct vrrp_inst *vi, bool add)
{
	const struct conf_list *lists[2] = { &vi->cfg->vips, &vi->cfg->evips };
	unsigned i;

	for (i = 0; i < 2; i++) {
		conf_list_for_each (const struct conf_vip, vip, lists[i]) {
			int ifx = vip_dev_ifindex(vi, vip);

			if (!ifx) {
				log_warn("%s: VIP %s: interface %s not found", iname(vi),
					 vip->hdr.name ? vip->hdr.name : "?",
					 vip->dev ? vip->dev : vi->cfg->interface);
				continue;
			}
			vrrp_nl_addr(vi->v->nl, add, ifx, vip, NULL, NULL);
		}
	}
	conf_list_for_each (const struct conf_route, r, &vi->cfg->vroutes)
		vrrp_nl_route(vi->v->nl, add, r, NULL, NULL);
	conf_list_for_each (const struct conf_rule, r, &vi->cfg->vrules)
		vrrp_nl_rule(vi->v->nl, add, r, NULL, NULL);
}

/*
 * GARP / NA. Each message goes out on the interface of its address (the
 * VMAC, or the VIP's dev) with that interface's MAC. An NA's IPv6 source is
 * the VIP itself, as keepalived sends it (RFC 4861 7.2.6 only asks for an
 * address of the sending interface, which the VIP now is; switches and
 * hosts that learn from it see the same frames as from keepalived).
 * The pacer (garp_pace.c) spaces successive messages on one interface.
 */

/* One message: now, or queued behind the previous ones of its interface. */
static void announce(struct vrrp_inst *vi, const struct vrrp_iface *ifc, const struct conf_addr *a)
{
	vrrp_garp_pace_announce(&vi->v->pace, vi->v->m, vi, ifc->ifindex, ifc->name, ifc->mac, a);
}

/* dev is tracked and matches: with name, it is that interface; without,
 * that interface is down or gone. */
static bool dev_hit(const struct vrrp_inst *vi, const char *dev, const char *name)
{
	const struct vrrp_iface *ifc;

	if (!dev)
		return false;
	if (name)
		return !strcmp(dev, name);
	ifc = vrrp_nl_iface_by_name(vi->v->nl, dev);
	return !ifc || !ifc->oper_up;
}

/*
 * keepalived tracks the interface of each VIP or eVIP that lives on another
 * interface than the instance's (its dev), of each virtual route (its dev)
 * and of each virtual rule (iif and oif), unless the entry says no_track:
 * that interface down puts the instance in FAULT. Returns the first such
 * interface that is down or gone (NULL: none), and in what, what tracks
 * it; with name, returns name if anything tracks that interface.
 */
static const char *tracked_dev_down(const struct vrrp_inst *vi, const char *name, char *what,
				    size_t wlen)
{
	const struct conf_list *lists[2] = { &vi->cfg->vips, &vi->cfg->evips };

	for (unsigned i = 0; i < 2; i++) {
		conf_list_for_each (const struct conf_vip, vip, lists[i]) {
			if (vip->no_track || !vip->dev || !strcmp(vip->dev, vi->cfg->interface) ||
			    !dev_hit(vi, vip->dev, name))
				continue;
			snprintf(what, wlen, "VIP %s", vip->hdr.name ? vip->hdr.name : "?");
			return vip->dev;
		}
	}
	conf_list_for_each (const struct conf_route, r, &vi->cfg->vroutes) {
		if (r->no_track || !dev_hit(vi, r->dev, name))
			continue;
		snprintf(what, wlen, "a virtual route");
		return r->dev;
	}
	conf_list_for_each (const struct conf_rule, r, &vi->cfg->vrules) {
		const char *dev = dev_hit(vi, r->iif, name) ? r->iif
				  : dev_hit(vi, r->oif, name) ? r->oif
							      : NULL;

		if (r->no_track || !dev)
			continue;
		snprintf(what, wlen, "a virtual rule");
		return dev;
	}
	return vrrp_static_dev_down(vi->v, iname(vi), name, what, wlen);
}

/* The interface a VIP lives on (NULL: not there). */
static const struct vrrp_iface *vip_iface(const struct vrrp_inst *vi, const struct conf_vip *vip)
{
	if (vip->dev)
		return vrrp_nl_iface_by_name(vi->v->nl, vip->dev);
	return vrrp_nl_iface_by_index(vi->v->nl, vip_ifindex(vi));
}

/* One GARP / NA round for the VIPs of both lists (marked ones only, when
 * mark is given: it runs over vips then evips). */
static void garp_round_marked(struct vrrp_inst *vi, const bool *mark)
{
	const struct conf_list *lists[2] = { &vi->cfg->vips, &vi->cfg->evips };
	unsigned i, k = 0;

	if (!vi->v->pace.garp)
		return;
	for (i = 0; i < 2; i++) {
		conf_list_for_each (const struct conf_vip, vip, lists[i]) {
			const struct vrrp_iface *ifc;

			if (mark && !mark[k++])
				continue;
			ifc = vip_iface(vi, vip);
			if (ifc)
				announce(vi, ifc, &vip->addr.addr);
		}
	}
}

static void garp_rounds(struct vrrp_inst *vi, unsigned rounds)
{
	for (unsigned i = 0; i < rounds; i++)
		garp_round_marked(vi, NULL);
}

static void on_garp_timer(uv_timer_t *t)
{
	struct vrrp_inst *vi = t->data;

	if (vi->fsm.state == VRRP_STATE_MASTER)
		garp_rounds(vi, vi->garp_later);
	vi->garp_later = 0;
}

static void on_refresh_timer(uv_timer_t *t)
{
	struct vrrp_inst *vi = t->data;
	struct vrrp_garp_plan p;

	if (vi->fsm.state != VRRP_STATE_MASTER)
		return;
	vrrp_garp_plan(vi->cfg, VRRP_GARP_REFRESH, &p);
	garp_rounds(vi, p.now);
}

static void garp_event(struct vrrp_inst *vi, enum vrrp_garp_event ev)
{
	uint64_t refresh = (uint64_t)vi->cfg->garp_master_refresh * 1000;
	struct vrrp_garp_plan p;

	vrrp_garp_plan(vi->cfg, ev, &p);
	garp_rounds(vi, p.now);
	if (p.later) {
		/* A later set replaces one still waiting. */
		vi->garp_later = p.later;
		uv_timer_start(&vi->garp_timer, on_garp_timer, p.later_ms, 0);
	}
	if (ev == VRRP_GARP_TAKEOVER && refresh)
		uv_timer_start(&vi->refresh_timer, on_refresh_timer, refresh, refresh);
}

static void garp_stop(struct vrrp_inst *vi)
{
	uv_timer_stop(&vi->garp_timer);
	uv_timer_stop(&vi->refresh_timer);
	vi->garp_later = 0;
	vrrp_garp_pace_cancel(&vi->v->pace, vi);
}

/* ---------------------------------------------------------------- timer */

#define inst_of(ptr, member) \
	((struct vrrp_inst *)(void *)((char *)(ptr)-offsetof(struct vrrp_inst, member)))

/* MASTER: advertisement timer; BACKUP: master-down timer (timer.h). */
static enum vrrp_timer_role timer_role(const struct vrrp_timer *t)
{
	const struct vrrp_inst *vi = inst_of(t, timer);

	if (vi->fsm.state == VRRP_STATE_MASTER)
		return VRRP_TIMER_ADVERT;
	if (vi->fsm.state == VRRP_STATE_BACKUP)
		return VRRP_TIMER_DOWN;
	return VRRP_TIMER_IDLE;
}

static void timer_drain(struct vrrp_timer *t)
{
	struct vrrp_inst *vi = inst_of(t, timer);

	if (vi->sock)
		vrrp_sock_drain(vi->sock);
}

static void timer_expired(struct vrrp_timer *t, enum vrrp_timer_role role)
{
	vrrp_inst_event(inst_of(t, timer),
			role == VRRP_TIMER_ADVERT ? VRRP_EV_ADVER_TIMER : VRRP_EV_MASTER_DOWN, NULL,
			NULL);
}

const struct vrrp_timer_ops vrrp_inst_timer_ops = {
	.role = timer_role,
	.drain = timer_drain,
	.expired = timer_expired,
};

/* ---------------------------------------------------------------- executor */

static bool needs_filter(const struct vrrp_inst *vi)
{
	int8_t acc = vi->cfg->accept;

	if (vi->fsm.owner)
		return false;
	if (acc == CONF_TRI_UNSET)
		return vi->cfg->strict_mode == 1;
	return acc == 0;
}

void vrrp_filter_update(struct vrrp *v)
{
	struct conf_addr *a;
	unsigned n = 0, cap = 0;
	bool any = false;

	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next) {
		if (!needs_filter(vi))
			continue;
		any = true;
		if (vi->fsm.state == VRRP_STATE_MASTER)
			cap += vi->cfg->vips.count + vi->cfg->evips.count;
	}
	if (!any || v->filter_failed)
		return;
	if (!v->filter) {
		int r = vrrp_filter_open(&v->m->global, &v->filter);

		if (r < 0) {
			v->filter_failed = true;
			v->filter_err = r;
			v->filter = NULL;
			log_error("vrrp: cannot open the no_accept filter (%s): VIPs of no_accept "
				  "masters are not filtered",
				  strerror(-r));
			return;
		}
	}
	a = calloc(cap ? cap : 1, sizeof(*a));
	if (!a)
		return;
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next) {
		const struct conf_list *lists[2] = { &vi->cfg->vips, &vi->cfg->evips };

		if (!needs_filter(vi) || vi->fsm.state != VRRP_STATE_MASTER)
			continue;
		for (unsigned i = 0; i < 2; i++)
			conf_list_for_each (const struct conf_vip, vip, lists[i])
				if (n < cap)
					a[n++] = vip->addr.addr;
	}
	if (vrrp_filter_set(v->filter, a, n) < 0)
		log_warn("vrrp: updating the no_accept filter failed");
	free(a);
}

/* One event of this instance on the bus. */
static void publish(struct vrrp_inst *vi, enum event_kind kind, enum vrrp_state from,
		    enum vrrp_state to, unsigned old_priority, unsigned priority, const char *reason)
{
	struct event ev = { .kind = kind };

	ev.vrrp = (struct event_vrrp){
		.name = iname(vi),
		.from = (int)from,
		.to = (int)to,
		.from_name = vrrp_state_names[from],
		.to_name = vrrp_state_names[to],
		.old_priority = old_priority,
		.priority = priority,
		.reason = reason ? reason : "",
		.instance = vi->cfg,
	};
	event_publish(vi->v->bus, &ev);
}

static void transition(struct vrrp_inst *vi, enum vrrp_state from, enum vrrp_state to,
		       const char *reason)
{
	vi->c.transitions[to]++;
	vi->last.set = true;
	vi->last.at = time(NULL);
	vi->last.from = from;
	vi->last.to = to;
	snprintf(vi->last.reason, sizeof(vi->last.reason), "%s", reason ? reason : "");
	vi->state_since_ms = uv_now(vi->v->loop);
	vrrp_sock_window_stale(vi->sock); /* the intervals it hears may change */
	if (from == VRRP_STATE_MASTER)
		garp_stop(vi);
	/* The log line, the notify scripts and FIFOs and the IPVS sync
	 * daemon's role: all subscribers, in this order of events. */
	publish(vi, EVENT_VRRP_STATE, from, to, vi->fsm.priority, vi->fsm.priority, reason);
	if (needs_filter(vi) && (from == VRRP_STATE_MASTER || to == VRRP_STATE_MASTER))
		vrrp_filter_update(vi->v);
	vrrp_sync_member_changed(vi, from, to);
}

/* Carries out o; timers count from at_ns (0: now). */
static void execute(struct vrrp_inst *vi, const struct vrrp_fsm_out *o, const char *why,
		    uint64_t at_ns)
{
	uint32_t a = o->actions;

	if (a & VRRP_ACT_STOP_TIMER)
		vrrp_timer_cancel(&vi->timer);
	if (a & VRRP_ACT_DROP_VIPS) {
		garp_stop(vi);
		vips_apply(vi, false);
	}
	if (a & VRRP_ACT_SEND_PRIO0)
		send_advert(vi, 0);
	if (a & VRRP_ACT_TAKE_VIPS) {
		vips_apply(vi, true);
		garp_event(vi, VRRP_GARP_TAKEOVER);
	}
	if (a & VRRP_ACT_SEND_ADVERT)
		send_advert(vi, vi->fsm.priority);
	if (a & (VRRP_ACT_ADVER_TIMER | VRRP_ACT_DOWN_TIMER))
		vrrp_timer_arm(&vi->timer, at_ns, o->timer_us, (a & VRRP_ACT_DOWN_TIMER) != 0);
	if (a & VRRP_ACT_GARP_LOWER) {
		garp_event(vi, VRRP_GARP_LOWER_PRIO);
		publish(vi, EVENT_VRRP_RX_LOWER_PRI, vi->fsm.state, vi->fsm.state,
			vi->fsm.priority, vi->fsm.priority, "a lower priority advert");
	}
	if ((a & VRRP_ACT_STATE) && o->from != o->to)
		transition(vi, o->from, o->to, why ? why : o->reason);
}

void vrrp_inst_event(struct vrrp_inst *vi, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
		     const char *why)
{
	struct vrrp_fsm_out out;

	memset(&out, 0, sizeof(out));
	if (vrrp_fsm_step(&vi->fsm, ev, rx, now_us(), &out) < 0) {
		log_error("%s: event %s refused in state %s: %s", iname(vi), vrrp_event_names[ev],
			  vrrp_state_names[vi->fsm.state], out.reason ? out.reason : "?");
		return;
	}
	execute(vi, &out, why, 0);
}

/* ---------------------------------------------------------------- receive */

static bool inst_wants_src(const struct vrrp_sock_rcv *r, const struct conf_addr *src)
{
	const struct vrrp_inst *vi = inst_of(r, rcv);

	if (!is_unicast(vi))
		return true;
	conf_list_for_each (const struct conf_unicast_peer, p, &vi->cfg->unicast_peers)
		if (conf_addr_equal(&p->addr, src))
			return true;
	return false;
}

static void drop(struct vrrp_inst *vi, enum vrrp_drop r, const struct vrrp_pkt *p, const char *what)
{
	uint64_t now = uv_now(vi->v->loop);

	vi->c.drops[r]++;
	if (!what)
		return;
	if (vi->last_misconf_log_ms && now - vi->last_misconf_log_ms < MISCONF_LOG_MS)
		return;
	vi->last_misconf_log_ms = now;
	{
		char b[CONF_ADDRSTRLEN];

		log_warn("%s: misconfigured peer %s: %s", iname(vi), conf_addr_str(&p->src, b),
			 what);
	}
}

/* Would rx win over us as master (RFC 5798 6.4.3)? */
static bool rx_wins(const struct vrrp_inst *vi, const struct vrrp_pkt *p)
{
	const struct conf_addr *a = &p->src, *b = &vi->fsm.my_addr;

	if (p->priority != vi->fsm.priority)
		return p->priority > vi->fsm.priority;
	if (a->family != b->family)
		return false;
	return a->family == AF_INET ? memcmp(&a->u.v4, &b->u.v4, 4) > 0
				    : memcmp(&a->u.v6, &b->u.v6, 16) > 0;
}

static uint64_t inst_rx_interval_us(const struct vrrp_sock_rcv *r)
{
	const struct vrrp_fsm *f = &inst_of(r, rcv)->fsm;

	if (f->state == VRRP_STATE_BACKUP)
		return f->master_adver_us < f->adver_us ? f->master_adver_us : f->adver_us;
	if (f->state == VRRP_STATE_MASTER)
		return f->adver_us;
	return 0;
}

/* The instance's side of the acceptance checks (accept.h). */
static void accept_ctx(const struct vrrp_inst *vi, struct vrrp_accept_ctx *a)
{
	const struct conf_vrrp_instance *c = vi->cfg;

	*a = (struct vrrp_accept_ctx){
		.family = c->family,
		.version = vi->fsm.version,
		.adver_us = vi->fsm.adver_us,
		.owner = vi->fsm.owner,
		.strict = c->strict_mode == 1,
		.auth_type = c->auth.type == CONF_AUTH_PASS ? VRRP_AUTH_PASS
			     : c->auth.type == CONF_AUTH_AH ? VRRP_AUTH_AH
							    : VRRP_AUTH_NONE,
		.auth_pass = c->auth.pass,
		.ah_seq = vi->ah_seq,
		.my_addr = &vi->fsm.my_addr,
		.vips = vi->vips,
		.nvips = vi->nvips,
		.skip_check_adv_addr = c->skip_check_adv_addr == 1,
		/* keepalived compares with the master's address in BACKUP only */
		.last_src = vi->have_last_adv && vi->fsm.state == VRRP_STATE_BACKUP
				    ? &vi->last_adv_src
				    : NULL,
		.unicast_peers = &c->unicast_peers,
		.check_unicast_src =
			c->check_unicast_src || vi->v->m->global.vrrp_check_unicast_src,
		.v3_csum_as_v2 = c->v3_checksum_as_v2 == 1,
	};
}

/* A v3 peer advertises at another interval, which we learn: say so (at
 * most every MISCONF_LOG_MS, with the misconfigured-peer lines). */
static void tell_other_interval(struct vrrp_inst *vi, const struct vrrp_pkt *p)
{
	uint64_t now = uv_now(vi->v->loop);
	char b[CONF_ADDRSTRLEN];

	if (vi->last_misconf_log_ms && now - vi->last_misconf_log_ms < MISCONF_LOG_MS)
		return;
	vi->last_misconf_log_ms = now;
	log_info("%s: %s advertises every %u0 ms, we use %llu ms", iname(vi),
		 conf_addr_str(&p->src, b), p->adver_cs,
		 (unsigned long long)(vi->fsm.adver_us / 1000));
}

static void inst_rx(struct vrrp_sock_rcv *r, const struct vrrp_pkt *p, uint64_t arrival_ns)
{
	struct vrrp_inst *vi = inst_of(r, rcv);
	const struct conf_vrrp_instance *c = vi->cfg;
	struct vrrp_accept_ctx ac;
	struct vrrp_fsm_rx rx;
	struct vrrp_fsm_out out;
	enum vrrp_accept verdict;
	bool other_interval;
	uint64_t learned;
	char why[128], b[CONF_ADDRSTRLEN];

	accept_ctx(vi, &ac);
	verdict = vrrp_accept(&ac, p, &other_interval);
	if (other_interval)
		tell_other_interval(vi, p);
	if (verdict != VRRP_ACCEPT_OK) {
		drop(vi, vrrp_accept_reasons[verdict].drop, p, vrrp_accept_reasons[verdict].log);
		return;
	}
	vi->have_last_adv = true;
	vi->last_adv_src = p->src;
	if (p->ah) {
		/* keepalived 2.2.7: the counter follows what we take; a master
		 * hearing a lower priority one continues above its number, so
		 * that a peer which took that number hears us again. */
		vi->ah_seq = p->ah_seq;
		if (vi->fsm.state == VRRP_STATE_MASTER && p->priority != 0 && !rx_wins(vi, p) &&
		    p->ah_seq < 0xfffffffeu)
			vi->ah_seq = p->ah_seq + 1;
	}
	vi->c.adverts_received++;
	if (p->priority == 0)
		vi->c.prio0_received++;
	if (vi->fsm.state != VRRP_STATE_BACKUP && vi->fsm.state != VRRP_STATE_MASTER)
		return;
	/* higher_prio_send_advert: a master about to yield sends one more advert
	 * (lower than the winner's) so that the winner, if it has
	 * garp_lower_prio_repeat, announces the addresses again. */
	if (vi->fsm.state == VRRP_STATE_MASTER && c->higher_prio_send_advert == 1 &&
	    p->priority != 0 && rx_wins(vi, p))
		send_advert(vi, vi->fsm.priority);
	rx.priority = p->priority;
	rx.adver_cs = p->adver_cs;
	rx.src = p->src;
	memset(&out, 0, sizeof(out));
	/* The state machine sees the advert at its arrival (see socket.h). */
	learned = vi->fsm.master_adver_us;
	if (vrrp_fsm_step(&vi->fsm, VRRP_EV_ADVERT, &rx, arrival_ns ? arrival_ns / 1000 : now_us(),
			  &out) < 0) {
		log_error("%s: advert refused in state %s: %s", iname(vi),
			  vrrp_state_names[vi->fsm.state], out.reason ? out.reason : "?");
		return;
	}
	if (vi->fsm.master_adver_us < learned)
		vrrp_sock_window_stale(vi->sock); /* a shorter interval: a shorter window */
	/* The reason text is built only for a transition: this is the hot path. */
	if ((out.actions & VRRP_ACT_STATE) && out.from != out.to)
		snprintf(why, sizeof(why), "priority %u from %s", p->priority,
			 conf_addr_str(&p->src, b));
	else
		why[0] = '\0';
	execute(vi, &out, why[0] ? why : NULL, arrival_ns);
}

/* How the socket hands packets to an instance (socket.h). */
static const struct vrrp_sock_rcv_ops inst_rcv_ops = {
	.wants_src = inst_wants_src,
	.rx = inst_rx,
	.rx_interval_us = inst_rx_interval_us,
};

/* ---------------------------------------------------------------- life cycle */

static void collect_vips(struct vrrp_inst *vi)
{
	unsigned n = 0;

	free(vi->vips);
	vi->vips = calloc(vi->cfg->vips.count ? vi->cfg->vips.count : 1, sizeof(*vi->vips));
	if (!vi->vips) {
		vi->nvips = 0;
		return;
	}
	conf_list_for_each (const struct conf_vip, vip, &vi->cfg->vips)
		if (vip->addr.addr.family == vi->cfg->family && n < VRRP_MAX_ADDRS)
			vi->vips[n++] = vip->addr.addr;
	vi->nvips = n;
}

static void configure_fsm(struct vrrp_inst *vi)
{
	const struct conf_vrrp_instance *c = vi->cfg;
	const struct conf_global *g = &vi->v->m->global;
	struct vrrp_fsm *f = &vi->fsm;

	f->version =
		(uint8_t)(c->version ? c->version : (c->family == AF_INET6 ? 3 : g->vrrp_version));
	f->owner = c->priority >= 255;
	f->start_master = c->state == CONF_STATE_MASTER;
	vi->configured_prio = (int)c->priority;
	f->priority = (uint8_t)vrrp_effective_priority(c->priority, vi->track_delta);
	f->preempt = !c->nopreempt;
	f->preempt_delay_us = c->preempt_delay;
	f->adver_us = c->advert_int;
	if (f->master_adver_us == 0 || f->state != VRRP_STATE_BACKUP)
		f->master_adver_us = c->advert_int;
	vrrp_sock_window_stale(vi->sock);
	f->down_timer_adverts = cfg_or(c->down_timer_adverts, g->vrrp_down_timer_adverts);
	if (!f->down_timer_adverts)
		f->down_timer_adverts = 3;
	f->lower_prio_no_advert = c->lower_prio_no_advert == CONF_TRI_UNSET
					  ? g->vrrp_lower_prio_no_advert
					  : c->lower_prio_no_advert == 1;
	source_addr(vi, &f->my_addr);
}

struct vrrp_inst *vrrp_inst_new(struct vrrp *v, const struct conf_vrrp_instance *cfg)
{
	struct vrrp_inst *vi = calloc(1, sizeof(*vi));

	if (!vi)
		return NULL;
	vi->v = v;
	vi->cfg = cfg;
	vrrp_fsm_init(&vi->fsm);
	vrrp_timer_init(&v->timers, &vi->timer);
	uv_timer_init(v->loop, &vi->garp_timer);
	uv_timer_init(v->loop, &vi->refresh_timer);
	vi->rcv.ops = &inst_rcv_ops;
	vi->garp_timer.data = vi;
	vi->refresh_timer.data = vi;
	vi->last_notified_prio = -1;
	collect_vips(vi);
	if (cfg->mcast_dst_ip.family == cfg->family)
		vi->group = cfg->mcast_dst_ip;
	else if (cfg->family == AF_INET && v->m->global.vrrp_mcast_group4.family == AF_INET)
		vi->group = v->m->global.vrrp_mcast_group4;
	else if (cfg->family == AF_INET6 && v->m->global.vrrp_mcast_group6.family == AF_INET6)
		vi->group = v->m->global.vrrp_mcast_group6;
	else
		conf_parse_addr(cfg->family == AF_INET ? VRRP_MCAST4 : VRRP_MCAST6, cfg->family,
				&vi->group, NULL);
	return vi;
}

/*
 * Reload with changed virtual_ipaddress(_excluded) / virtual_routes /
 * virtual_rules: a MASTER removes what went away and adds (and announces)
 * what is new, without a state change or a gap in its adverts; any other
 * state has nothing of them on the system.
 */
static void vips_update(struct vrrp_inst *vi, const struct conf_vrrp_instance *old,
			const struct conf_vrrp_instance *new)
{
	unsigned nold = old->vips.count + old->evips.count;
	unsigned nnew = new->vips.count + new->evips.count;
	bool *gone = calloc(nold + 1, sizeof(bool)), *added = calloc(nnew + 1, sizeof(bool));
	bool *rt_gone = calloc(old->vroutes.count + 1, sizeof(bool));
	bool *rt_new = calloc(new->vroutes.count + 1, sizeof(bool));
	bool *ru_gone = calloc(old->vrules.count + 1, sizeof(bool));
	bool *ru_new = calloc(new->vrules.count + 1, sizeof(bool));
	const struct conf_vip **va = NULL;
	unsigned n = 0, i = 0, nadded = 0;

	if (!gone || !added || !rt_gone || !rt_new || !ru_gone || !ru_new)
		goto out;
	vrrp_vips_diff(old, new, gone);
	vrrp_vips_diff(new, old, added);
	for (i = 0; i < nnew; i++)
		nadded += added[i];
	vrrp_list_diff(&conf_block_route_list, &old->vroutes, &new->vroutes, rt_gone);
	vrrp_list_diff(&conf_block_route_list, &new->vroutes, &old->vroutes, rt_new);
	vrrp_list_diff(&conf_block_rule_list, &old->vrules, &new->vrules, ru_gone);
	vrrp_list_diff(&conf_block_rule_list, &new->vrules, &old->vrules, ru_new);
	/* Rules and routes first out, last in: they may refer to the addresses. */
	i = 0;
	conf_list_for_each (const struct conf_rule, r, &old->vrules)
		if (ru_gone[i++])
			vrrp_nl_rule(vi->v->nl, false, r, NULL, NULL);
	i = 0;
	conf_list_for_each (const struct conf_route, r, &old->vroutes)
		if (rt_gone[i++])
			vrrp_nl_route(vi->v->nl, false, r, NULL, NULL);
	va = vrrp_vip_array(old, &n);
	for (i = 0; va && i < n; i++) {
		int ifx = gone[i] ? vip_dev_ifindex(vi, va[i]) : 0;

		if (ifx)
			vrrp_nl_addr(vi->v->nl, false, ifx, va[i], NULL, NULL);
	}
	free(va);
	va = vrrp_vip_array(new, &n);
	for (i = 0; va && i < n; i++) {
		int ifx;

		if (!added[i])
			continue;
		ifx = vip_dev_ifindex(vi, va[i]);
		if (!ifx) {
			log_warn("%s: VIP %s: interface %s not found", iname(vi),
				 va[i]->hdr.name ? va[i]->hdr.name : "?",
				 va[i]->dev ? va[i]->dev : new->interface);
			continue;
		}
		vrrp_nl_addr(vi->v->nl, true, ifx, va[i], NULL, NULL);
	}
	free(va);
	i = 0;
	conf_list_for_each (const struct conf_route, r, &new->vroutes)
		if (rt_new[i++])
			vrrp_nl_route(vi->v->nl, true, r, NULL, NULL);
	i = 0;
	conf_list_for_each (const struct conf_rule, r, &new->vrules)
		if (ru_new[i++])
			vrrp_nl_rule(vi->v->nl, true, r, NULL, NULL);
	vrrp_nl_flush(vi->v->nl);
	if (nadded) {
		struct vrrp_garp_plan p;

		/* One burst (garp_master_repeat rounds) for the new addresses. */
		vrrp_garp_plan(new, VRRP_GARP_TAKEOVER, &p);
		for (i = 0; i < p.now; i++)
			garp_round_marked(vi, added);
	}
	if (nadded || count_true(gone, nold))
		log_info("%s: reload: %u address(es) removed, %u added in place", iname(vi),
			 count_true(gone, nold), nadded);
out:
	free(gone);
	free(added);
	free(rt_gone);
	free(rt_new);
	free(ru_gone);
	free(ru_new);
}

void vrrp_inst_rebind(struct vrrp_inst *vi, const struct conf_vrrp_instance *cfg)
{
	const struct conf_vrrp_instance *old = vi->cfg;

	/* vi->cfg is still the old model's here (it is freed after reload). */
	if (vi->started && !vi->stopping && vi->fsm.state == VRRP_STATE_MASTER && old != cfg) {
		vi->cfg = cfg; /* the added VIPs are announced with the new lists */
		vips_update(vi, old, cfg);
	}
	vi->cfg = cfg;
	collect_vips(vi);
	if (vi->started)
		configure_fsm(vi);
}

/* Removes copies of our VIPs left on the host: we start as BACKUP. */
static void remove_stale_vips(struct vrrp_inst *vi)
{
	const struct conf_list *lists[2] = { &vi->cfg->vips, &vi->cfg->evips };

	for (unsigned i = 0; i < 2; i++) {
		conf_list_for_each (const struct conf_vip, vip, lists[i]) {
			int ifx = vip_dev_ifindex(vi, vip);

			if (ifx && vrrp_nl_has_addr(vi->v->nl, ifx, &vip->addr)) {
				char b[CONF_ADDRSTRLEN];

				log_info("%s: removing stale VIP %s", iname(vi),
					 conf_prefix_str(&vip->addr, b));
				vrrp_nl_addr(vi->v->nl, false, ifx, vip, NULL, NULL);
			}
		}
	}
}

static void vmac_name(const struct vrrp_inst *vi, char *buf, size_t len)
{
	const char *pfx = vi->v->m->global.vmac_prefix ? vi->v->m->global.vmac_prefix : "vrrp";

	if (vi->cfg->vmac_name)
		snprintf(buf, len, "%s", vi->cfg->vmac_name);
	else
		snprintf(buf, len, "%.10s.%u", pfx, vi->cfg->vrid);
}

/* The VMAC, if configured: 0 when ready (or none), 1 while it is being created. */
static int vmac_prepare(struct vrrp_inst *vi)
{
	const struct vrrp_iface *ifc;
	uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0 };

	if (!vi->cfg->use_vmac)
		return 0;
	vmac_name(vi, vi->vmac_name, sizeof(vi->vmac_name));
	ifc = vrrp_nl_iface_by_name(vi->v->nl, vi->vmac_name);
	if (ifc && ifc->oper_up) {
		vi->vmac_ifindex = ifc->ifindex;
		return 0;
	}
	if (ifc)
		return 1; /* there, not up yet: wait for its LINK event */
	if (vi->vmac_requested)
		return 1;
	if (vi->cfg->family == AF_INET6)
		mac[4] = 0x02;
	mac[5] = (uint8_t)vi->cfg->vrid;
	if (vi->cfg->has_vmac_mac) {
		memcpy(mac, vi->cfg->vmac_mac, 6);
		if (vi->cfg->vmac_mac_short)
			mac[5] = (uint8_t)vi->cfg->vrid;
	}
	vi->vmac_requested = true;
	log_info("%s: creating VMAC %s on %s", iname(vi), vi->vmac_name, vi->cfg->interface);
	vrrp_nl_vmac_add(vi->v->nl, vi->vmac_name, vi->ifindex, mac, NULL, NULL);
	return 1;
}

/* track_src_ip: is the configured source address on our interface? */
static bool src_present(const struct vrrp_inst *vi)
{
	const struct conf_addr *a = &vi->cfg->src_ip;
	int ifx[2] = { vi->ifindex, vi->vmac_ifindex };
	struct conf_prefix p;
	unsigned max = a->family == AF_INET ? 32 : 128;

	memset(&p, 0, sizeof(p));
	p.addr = *a;
	for (unsigned i = 0; i < 2; i++) {
		if (!ifx[i])
			continue;
		for (unsigned len = 0; len <= max; len++) {
			p.len = (uint8_t)len;
			if (vrrp_nl_has_addr(vi->v->nl, ifx[i], &p))
				return true;
		}
	}
	return false;
}

/* unicast_fault_no_peer: unicast was asked for, but no peer of our family. */
static bool no_usable_peer(const struct vrrp_inst *vi)
{
	conf_list_for_each (const struct conf_unicast_peer, u, &vi->cfg->unicast_peers)
		if (u->addr.family == vi->cfg->family)
			return false;
	return true;
}

void vrrp_inst_reeval(struct vrrp_inst *vi)
{
	const struct conf_vrrp_instance *c = vi->cfg;
	const char *vdown;
	char vwhat[64];
	int delta = 0, prio;
	bool fault = false, own;
	char why[128] = "";

	if (!vi->started || vi->stopping)
		return;
	if (vi->v->track)
		vrrp_track_eval(vi->v->track, &c->track_interfaces, &c->track_scripts,
				&c->track_files, &c->track_processes, &delta, &fault, why,
				sizeof(why));
	if (vi->sync) {
		delta += vi->sync->track_delta;
		if (vi->sync->track_fault && !fault) {
			fault = true;
			snprintf(why, sizeof(why), "sync group %s tracking failed",
				 vi->sync->cfg->hdr.name);
		}
	}
	vi->track_delta = delta;
	vi->track_fault = fault;
	vi->no_peer_fault = c->unicast_fault_no_peer && no_usable_peer(vi);
	vi->src_fault = c->track_src_ip && c->src_ip.family == c->family && !src_present(vi);
	vdown = tracked_dev_down(vi, NULL, vwhat, sizeof(vwhat));
	vi->vip_if_fault = vdown != NULL;
	if (fault) {
		snprintf(vi->fault_reason, sizeof(vi->fault_reason), "%s", why);
	} else if (vi->if_fault) {
		snprintf(vi->fault_reason, sizeof(vi->fault_reason), "interface %s is down",
			 c->interface);
	} else if (vi->vip_if_fault) {
		snprintf(vi->fault_reason, sizeof(vi->fault_reason),
			 "interface %s of %s is down", vdown, vwhat);
	} else if (vi->no_peer_fault) {
		snprintf(vi->fault_reason, sizeof(vi->fault_reason),
			 "no unicast peer (unicast_fault_no_peer)");
	} else if (vi->src_fault) {
		char b[CONF_ADDRSTRLEN];

		snprintf(vi->fault_reason, sizeof(vi->fault_reason),
			 "source address %s is not on %s (track_src_ip)",
			 conf_addr_str(&c->src_ip, b), c->interface);
	} else {
		vi->fault_reason[0] = '\0';
	}
	own = vi->track_fault || vi->if_fault || vi->vip_if_fault || vi->no_peer_fault ||
	      vi->src_fault;
	prio = vrrp_effective_priority(c->priority, delta);
	if (own && vi->fsm.state != VRRP_STATE_FAULT) {
		vi->fsm.priority = (uint8_t)prio;
		vrrp_inst_event(vi, VRRP_EV_FAULT, NULL, vi->fault_reason);
		return;
	}
	if (!own && vi->fsm.state == VRRP_STATE_FAULT) {
		if (vrrp_sync_fault(vi))
			return; /* another member still holds the group in FAULT */
		vi->fsm.priority = (uint8_t)prio;
		vrrp_inst_event(vi, VRRP_EV_FAULT_CLEAR, NULL, "fault cleared");
		return;
	}
	if (prio != vi->fsm.priority) {
		unsigned old = vi->fsm.priority;

		vi->fsm.priority = (uint8_t)prio;
		publish(vi, EVENT_VRRP_PRIORITY, vi->fsm.state, vi->fsm.state, old, (unsigned)prio,
			"tracking");
		if (vi->fsm.state == VRRP_STATE_MASTER || vi->fsm.state == VRRP_STATE_BACKUP)
			vrrp_inst_event(vi, VRRP_EV_PRIORITY, NULL, "priority changed");
	}
}

/*
 * The instance's share of its socket's receive buffer: kernel_rx_buf_size,
 * else by vrrp_rx_bufs_policy: MTU (the interface MTU) or ADVERT (the size
 * of our advert with its IP header), times vrrp_rx_bufs_multiplier. 0: no
 * share (policy default or a fixed size).
 */
static unsigned rx_share(const struct vrrp_inst *vi, const struct vrrp_iface *ifc)
{
	const struct conf_vrrp_instance *c = vi->cfg;
	const struct conf_global *g = &vi->v->m->global;
	unsigned mult = g->vrrp_rx_bufs_multiplier ? g->vrrp_rx_bufs_multiplier : 3, unit;

	if (c->kernel_rx_buf_size)
		return c->kernel_rx_buf_size;
	switch (g->vrrp_rx_bufs_policy) {
	case CONF_RXBUFS_MTU:
		unit = ifc && ifc->mtu ? ifc->mtu : 1500;
		break;
	case CONF_RXBUFS_ADVERT:
		unit = (c->family == AF_INET ? 20 + 8 + 4 * vi->nvips : 40 + 8 + 16 * vi->nvips) +
		       ((c->version ? c->version : g->vrrp_version) == 2 && c->family == AF_INET
				? VRRP_AUTH_LEN
				: 0);
		break;
	default:
		return 0;
	}
	return unit > UINT32_MAX / mult ? UINT32_MAX : unit * mult;
}

void vrrp_inst_start(struct vrrp_inst *vi)
{
	const struct conf_vrrp_instance *c = vi->cfg;
	const struct vrrp_iface *ifc;
	struct vrrp_sock *s;
	unsigned rcvbuf, fixed;
	const struct conf_global *g = &vi->v->m->global;

	if (vi->started || vi->stopping || vi->v->startup_waiting)
		return;
	if (!c->interface) { /* conf/ refuses it; never guess one */
		log_error("%s: no interface: instance not started", iname(vi));
		return;
	}
	ifc = vrrp_nl_iface_by_name(vi->v->nl, c->interface);
	if (!ifc) {
		log_warn("%s: interface %s not found: waiting for it", iname(vi), c->interface);
		return;
	}
	vi->ifindex = ifc->ifindex;
	if (!vi->stale_checked) {
		vi->stale_checked = true;
		remove_stale_vips(vi);
	}
	if (vmac_prepare(vi) > 0)
		return;
	ifc = vrrp_nl_iface_by_index(vi->v->nl, xmit_ifindex(vi));
	rcvbuf = rx_share(vi, ifc);
	/* Without a policy vigil picks a buffer that holds 1000 instances'
	 * adverts at 100 ms, not the system default (keepalived's default). */
	if (g->vrrp_rx_bufs_policy == CONF_RXBUFS_SIZE)
		fixed = g->vrrp_rx_bufs_size;
	else
		fixed = rcvbuf ? 0 : 4u << 20;
	s = vrrp_sock_get(&vi->v->socks, vi->v->loop, xmit_ifindex(vi),
			  ifc ? ifc->name : c->interface, c->family,
			  uses_ah(c) ? VRRP_AH_PROTO : VRRP_IPPROTO,
			  is_unicast(vi) ? NULL : &vi->group, fixed, g->log_unknown_vrids);
	if (!s) {
		log_error("%s: no VRRP socket on %s: instance not started", iname(vi),
			  c->interface);
		return;
	}
	vi->sock = s;
	vrrp_sock_rcvbuf_add(s, rcvbuf);
	vrrp_sock_attach(s, &vi->rcv, (uint8_t)c->vrid);
	vi->started = true;
	configure_fsm(vi);
	ifc = base_iface(vi);
	vi->if_fault = !c->dont_track_primary && ifc && !ifc->oper_up;
	/* A fault known now (init_fail, a tracked interface down) goes from
	 * INIT to FAULT directly, without a BACKUP blip first. */
	vrrp_inst_reeval(vi);
	/* A sync group member already in FAULT holds the group there: one that
	 * starts later joins it instead of electing on its own (a transition
	 * to FAULT only pulls the members started by then). */
	if (vi->fsm.state == VRRP_STATE_INIT && vrrp_sync_fault(vi)) {
		vi->sync_fault = true;
		vrrp_inst_event(vi, VRRP_EV_FORCE_FAULT, NULL, "sync group: a member is in FAULT");
	}
	if (vi->fsm.state == VRRP_STATE_INIT)
		vrrp_inst_event(vi, VRRP_EV_STARTUP, NULL, "startup");
	vrrp_inst_reeval(vi);
}

void vrrp_inst_shutdown(struct vrrp_inst *vi)
{
	if (vi->stopping)
		return;
	if (vi->started && vi->fsm.state != VRRP_STATE_INIT)
		vrrp_inst_event(vi, VRRP_EV_SHUTDOWN, NULL, "shutdown");
	vi->stopping = true;
	vrrp_timer_cancel(&vi->timer);
	garp_stop(vi);
	if (vi->sock) {
		vrrp_sock_flush(vi->sock);
		vrrp_sock_detach(vi->sock, &vi->rcv, (uint8_t)vi->cfg->vrid);
		vrrp_sock_put(&vi->v->socks, vi->sock);
		vi->sock = NULL;
	}
	if (vi->vmac_requested && vi->vmac_ifindex)
		vrrp_nl_link_del(vi->v->nl, vi->vmac_ifindex, NULL, NULL);
	vi->started = false;
}

static void inst_closed(struct vrrp_inst *vi)
{
	if (++vi->closed == 3) {
		free(vi->vips);
		free(vi);
	}
}

static void on_inst_closed(uv_handle_t *h)
{
	inst_closed(h->data);
}

static void on_timer_closed(uv_handle_t *h)
{
	inst_closed(inst_of(h->data, timer));
}

void vrrp_inst_free(struct vrrp_inst *vi)
{
	if (!vi)
		return;
	vrrp_timer_close(&vi->timer, on_timer_closed);
	vrrp_garp_pace_cancel(&vi->v->pace, vi);
	uv_close((uv_handle_t *)&vi->garp_timer, on_inst_closed);
	uv_close((uv_handle_t *)&vi->refresh_timer, on_inst_closed);
}

/* ---------------------------------------------------------------- netlink */

static bool is_our_vip(const struct vrrp_inst *vi, int ifindex, const struct conf_prefix *p,
		       const struct conf_vip **out)
{
	const struct conf_list *lists[2] = { &vi->cfg->vips, &vi->cfg->evips };

	for (unsigned i = 0; i < 2; i++) {
		conf_list_for_each (const struct conf_vip, vip, lists[i]) {
			if (conf_addr_equal(&vip->addr.addr, &p->addr) &&
			    vip_dev_ifindex(vi, vip) == ifindex) {
				*out = vip;
				return true;
			}
		}
	}
	return false;
}

/* A virtual route or rule of a MASTER deleted by someone else: put back,
 * as a removed VIP is (keepalived 2.2.7 drops to BACKUP instead, and the
 * election that follows puts it back; see vigil.conf(5), DIFFERENCES). */
static void vroute_deleted(struct vrrp_inst *vi, const struct vrrp_nl_rtmsg *rt)
{
	conf_list_for_each (const struct conf_route, r, &vi->cfg->vroutes) {
		if (r->no_track || !vrrp_route_is(r, rt))
			continue;
		log_warn("%s: a virtual route was deleted by someone else: adding it back",
			 iname(vi));
		vrrp_nl_route(vi->v->nl, true, r, NULL, NULL);
	}
	conf_list_for_each (const struct conf_rule, r, &vi->cfg->vrules) {
		if (r->no_track || !vrrp_rule_is(r, rt))
			continue;
		log_warn("%s: a virtual rule was deleted by someone else: adding it back",
			 iname(vi));
		vrrp_nl_rule(vi->v->nl, true, r, NULL, NULL);
	}
}

void vrrp_inst_nl_event(struct vrrp_inst *vi, int ev, const void *msg)
{
	const struct vrrp_nl_msg *m = msg;
	const struct conf_vip *vip;
	char what[64];

	if (vi->stopping)
		return;
	switch (ev) {
	case VRRP_NL_LINK:
		if (!vi->started) {
			if ((vi->cfg->interface && !strcmp(m->iface->name, vi->cfg->interface)) ||
			    (vi->vmac_name[0] && !strcmp(m->iface->name, vi->vmac_name)))
				vrrp_inst_start(vi);
			return;
		}
		if (m->iface->ifindex == vi->ifindex && !vi->cfg->dont_track_primary) {
			bool down = !m->iface->oper_up;

			if (down != vi->if_fault) {
				vi->if_fault = down;
				vrrp_inst_reeval(vi);
			}
		}
		/* Addresses come and go (an IPv6 link-local leaves DAD late). */
		if (m->iface->ifindex == xmit_ifindex(vi) || m->iface->ifindex == vi->ifindex)
			source_addr(vi, &vi->fsm.my_addr);
		if (vi->cfg->track_interfaces.count ||
		    tracked_dev_down(vi, m->iface->name, what, sizeof(what)))
			vrrp_inst_reeval(vi);
		break;
	case VRRP_NL_LINK_GONE:
		if (m->iface->ifindex == vi->ifindex || m->iface->ifindex == vi->vmac_ifindex) {
			vi->if_fault = true;
			vrrp_inst_reeval(vi);
		} else if (tracked_dev_down(vi, m->iface->name, what, sizeof(what))) {
			vrrp_inst_reeval(vi);
		}
		break;
	case VRRP_NL_ADDR_ADD:
		if (vi->cfg->track_src_ip && conf_addr_equal(&m->addr.addr, &vi->cfg->src_ip))
			vrrp_inst_reeval(vi);
		break;
	case VRRP_NL_ADDR_DEL:
		if (vi->cfg->track_src_ip && conf_addr_equal(&m->addr.addr, &vi->cfg->src_ip))
			vrrp_inst_reeval(vi);
		if (vi->fsm.state == VRRP_STATE_MASTER &&
		    is_our_vip(vi, m->ifindex, &m->addr, &vip)) {
			char b[CONF_ADDRSTRLEN];

			/* keepalived: a no_track address is not put back before the
			 * next transition to MASTER. */
			if (vip->no_track) {
				log_info("%s: VIP %s was removed by someone else; no_track: it "
					 "stays out until the next MASTER transition",
					 iname(vi), conf_prefix_str(&vip->addr, b));
				break;
			}
			log_warn("%s: VIP %s was removed by someone else: adding it back",
				 iname(vi), conf_prefix_str(&vip->addr, b));
			vrrp_nl_addr(vi->v->nl, true, m->ifindex, vip, NULL, NULL);
		}
		break;
	case VRRP_NL_RT_DEL:
		if (vi->fsm.state == VRRP_STATE_MASTER)
			vroute_deleted(vi, m->rt);
		break;
	case VRRP_NL_RESYNC: {
		const struct vrrp_iface *ifc = base_iface(vi);

		if (vi->fsm.state == VRRP_STATE_MASTER)
			vips_apply(vi, true);
		if (!vi->cfg->dont_track_primary)
			vi->if_fault = !ifc || !ifc->oper_up;
		vrrp_inst_reeval(vi);
		break;
	}
	default:
		break;
	}
}

/* ---------------------------------------------------------------- status */

void vrrp_inst_status_json(const struct vrrp_inst *vi, struct json *j, uint64_t now_ms)
{
	const struct conf_vrrp_instance *c = vi->cfg;
	char b[CONF_ADDRSTRLEN];
	int i;

	json_obj_begin(j);
	json_kstr(j, "name", iname(vi));
	json_kstr(j, "state", vrrp_state_names[vi->fsm.state]);
	json_key(j, "priority");
	json_obj_begin(j);
	json_kuint(j, "effective", vi->fsm.priority);
	json_kuint(j, "configured", c->priority);
	json_obj_end(j);
	json_kuint(j, "vrid", c->vrid);
	json_kstr(j, "interface", c->interface);
	if (vi->vmac_name[0])
		json_kstr(j, "vmac", vi->vmac_name);
	json_kstr(j, "family", c->family == AF_INET6 ? "inet6" : "inet");
	json_kuint(j, "version", vi->fsm.version);
	json_key(j, "master");
	json_obj_begin(j);
	if (vi->fsm.state == VRRP_STATE_MASTER) {
		json_kstr(j, "address",
			  conf_addr_is_unset(&vi->fsm.my_addr)
				  ? NULL
				  : conf_addr_str(&vi->fsm.my_addr, b));
		json_kuint(j, "priority", vi->fsm.priority);
	} else if (!conf_addr_is_unset(&vi->fsm.master_addr)) {
		json_kstr(j, "address", conf_addr_str(&vi->fsm.master_addr, b));
		json_kuint(j, "priority", vi->fsm.master_priority);
	}
	json_obj_end(j);
	json_kuint(j, "advert_int_ms", vi->fsm.adver_us / 1000);
	json_kdouble(j, "master_down_ms", (double)vrrp_fsm_master_down_us(&vi->fsm) / 1000.0);
	if (vi->timer.armed)
		json_kuint(j, "timer_remaining_ms",
			   vi->timer.due_ms > now_ms ? vi->timer.due_ms - now_ms : 0);
	else
		json_kstr(j, "timer_remaining_ms", NULL);
	json_kuint(j, "vips", c->vips.count + c->evips.count);
	json_kuint(j, "since_ms", vi->last.set ? now_ms - vi->state_since_ms : 0);
	json_key(j, "counters");
	json_obj_begin(j);
	json_kuint(j, "adverts_sent", vi->c.adverts_sent);
	json_kuint(j, "adverts_received", vi->c.adverts_received);
	json_kuint(j, "prio0_sent", vi->c.prio0_sent);
	json_kuint(j, "prio0_received", vi->c.prio0_received);
	json_kuint(j, "send_errors", vi->c.send_errors);
	json_key(j, "transitions");
	json_obj_begin(j);
	for (i = VRRP_STATE_BACKUP; i < VRRP_STATE__COUNT; i++)
		json_kuint(j, vrrp_state_names[i], vi->c.transitions[i]);
	json_obj_end(j);
	json_key(j, "drops");
	json_obj_begin(j);
	for (i = 1; i < VRRP_DROP__COUNT; i++)
		if (vi->c.drops[i])
			json_kuint(j, vrrp_drop_names[i] ? vrrp_drop_names[i] : "?",
				   vi->c.drops[i]);
	json_obj_end(j);
	json_obj_end(j);
	json_key(j, "last_transition");
	if (vi->last.set) {
		char t[40];
		struct tm tm;

		gmtime_r(&vi->last.at, &tm);
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_obj_begin(j);
		json_kstr(j, "at", t);
		json_kstr(j, "from", vrrp_state_names[vi->last.from]);
		json_kstr(j, "to", vrrp_state_names[vi->last.to]);
		json_kstr(j, "reason", vi->last.reason);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_kstr(j, "fault_reason", vi->fault_reason[0] ? vi->fault_reason : NULL);
	json_obj_end(j);
}
