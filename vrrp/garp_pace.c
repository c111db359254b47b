/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * When GARPs and unsolicited NAs go out (garp.h): the plan of rounds for a
 * takeover, a lower priority advert or a refresh, and the pacer that
 * spaces successive messages on one interface. vrrp_garp_interval /
 * vrrp_gna_interval (or the garp_group of the interface, whose interfaces
 * then share one pace) space them; with 0 they all leave in one sendmmsg
 * at the end of the loop iteration (vrrp_garp_announce).
 */
#include "config.h"

#include "vrrp/garp.h"

#include <stdlib.h>
#include <string.h>

void vrrp_garp_plan(const struct conf_vrrp_instance *c, enum vrrp_garp_event ev,
		    struct vrrp_garp_plan *p)
{
	memset(p, 0, sizeof(*p));
	switch (ev) {
	case VRRP_GARP_TAKEOVER:
		/* garp_master_repeat now; the same again garp_master_delay later
		 * (vrrp_min_garp made these 1 and 0). At least one: a new master
		 * that does not announce itself is never useful. */
		p->now = c->garp_master_repeat ? c->garp_master_repeat : 1;
		if (c->garp_master_delay && c->garp_master_repeat) {
			p->later = c->garp_master_repeat;
			p->later_ms = (uint64_t)c->garp_master_delay * 1000;
		}
		break;
	case VRRP_GARP_LOWER_PRIO:
		/* A lower priority master is about: garp_lower_prio_repeat now and
		 * again garp_lower_prio_delay later; repeat 0 turns it off. */
		p->now = c->garp_lower_prio_repeat;
		if (c->garp_lower_prio_repeat && c->garp_lower_prio_delay) {
			p->later = c->garp_lower_prio_repeat;
			p->later_ms = (uint64_t)c->garp_lower_prio_delay * 1000;
		}
		break;
	case VRRP_GARP_REFRESH:
		/* 0 only from vrrp_min_garp: no refresh messages, as keepalived */
		p->now = c->garp_master_refresh_repeat;
		break;
	}
	if (p->now > 255)
		p->now = 255;
	if (p->later > 255)
		p->later = 255;
}

bool vrrp_garp_lane_open(const struct vrrp_garp_lane *l, uint64_t now)
{
	return !l->head && now >= l->next;
}

void vrrp_garp_lane_append(struct vrrp_garp_lane *l, struct vrrp_garp_msg *m)
{
	m->next = NULL;
	if (l->tail)
		l->tail->next = m;
	else
		l->head = m;
	l->tail = m;
}

struct vrrp_garp_msg *vrrp_garp_lane_take(struct vrrp_garp_lane *l, uint64_t now)
{
	struct vrrp_garp_msg *m = l->head;

	if (!m || now < l->next)
		return NULL;
	l->head = m->next;
	if (!l->head)
		l->tail = NULL;
	return m;
}

void vrrp_garp_lane_sent(struct vrrp_garp_lane *l, uint64_t now)
{
	l->next = now + l->interval_ns;
}

/* The pacing key of the interface ifindex called ifname, and its intervals. */
static void pace_intervals(const struct conf_model *m, int ifindex, const char *ifname, int *key,
			   uint64_t *arp_us, uint64_t *na_us)
{
	const struct conf_global *g = &m->global;
	int idx = 0;

	*key = ifindex;
	*arp_us = g->vrrp_garp_interval;
	*na_us = g->vrrp_gna_interval;
	conf_list_for_each (const struct conf_garp_group, gg, &m->vrrp.garp_groups) {
		bool mine = gg->interface && !strcmp(gg->interface, ifname);

		if (!mine && conf_list_find(&gg->interfaces, ifname)) {
			/* Delays aggregated across the group's interfaces. */
			mine = true;
			*key = -(idx + 1);
		}
		if (mine) {
			if (gg->garp_interval != CONF_UNSET_TIMER)
				*arp_us = gg->garp_interval;
			if (gg->gna_interval != CONF_UNSET_TIMER)
				*na_us = gg->gna_interval;
			return;
		}
		idx++;
	}
}

static struct vrrp_garp_pace *pace_get(struct vrrp_garp_pacer *p, int key)
{
	struct vrrp_garp_pace *n;

	for (unsigned i = 0; i < p->npaces; i++)
		if (p->paces[i].key == key)
			return &p->paces[i];
	n = realloc(p->paces, (p->npaces + 1) * sizeof(*n));
	if (!n)
		return NULL;
	p->paces = n;
	n = &p->paces[p->npaces++];
	memset(n, 0, sizeof(*n));
	n->key = key;
	return n;
}

static void announce_now(struct vrrp_garp *g, int ifindex, const uint8_t mac[6],
			 const struct conf_addr *a)
{
	vrrp_garp_announce(g, ifindex, mac, a, 1, a->family == AF_INET6 ? a : NULL, true);
}

static void pace_arm(struct vrrp_garp_pacer *p);

/* Each lane sends its head when its turn has come; the next turn counts
 * from that send (the clock is read again after it), so a late wake-up
 * never brings two messages closer than the interval. */
static void on_pace(uv_timer_t *t)
{
	struct vrrp_garp_pacer *p = t->data;

	for (unsigned i = 0; i < p->npaces; i++) {
		for (unsigned k = 0; k < 2; k++) {
			struct vrrp_garp_lane *l = &p->paces[i].lane[k];
			/* Half the timer's resolution: it may fire that early. */
			struct vrrp_garp_msg *m = vrrp_garp_lane_take(l, uv_hrtime() + 500000);

			if (!m)
				continue;
			if (p->garp)
				announce_now(p->garp, m->ifindex, m->mac, &m->addr);
			vrrp_garp_lane_sent(l, uv_hrtime());
			free(m);
		}
	}
	pace_arm(p);
}

static void pace_arm(struct vrrp_garp_pacer *p)
{
	uint64_t min = UINT64_MAX, now;

	for (unsigned i = 0; i < p->npaces; i++)
		for (unsigned k = 0; k < 2; k++) {
			const struct vrrp_garp_lane *l = &p->paces[i].lane[k];

			if (l->head && l->next < min)
				min = l->next;
		}
	if (min == UINT64_MAX) {
		uv_timer_stop(&p->timer);
		return;
	}
	now = uv_hrtime();
	uv_timer_start(&p->timer, on_pace, min > now ? (min - now + 999999) / 1000000 : 0, 0);
}

void vrrp_garp_pace_init(struct vrrp_garp_pacer *p, uv_loop_t *loop)
{
	uv_timer_init(loop, &p->timer);
	p->timer.data = p;
}

/* Drops the messages of owner (NULL: all, uncounted) from l. */
static void lane_drop(struct vrrp_garp_pacer *p, struct vrrp_garp_lane *l, const void *owner)
{
	struct vrrp_garp_msg **pp = &l->head, *m, *last = NULL;

	while ((m = *pp)) {
		if (owner && m->owner != owner) {
			last = m;
			pp = &m->next;
			continue;
		}
		*pp = m->next;
		if (owner)
			p->cancelled++;
		free(m);
	}
	l->tail = last;
}

void vrrp_garp_pace_close(struct vrrp_garp_pacer *p)
{
	for (unsigned i = 0; i < p->npaces; i++)
		for (unsigned k = 0; k < 2; k++)
			lane_drop(p, &p->paces[i].lane[k], NULL);
	free(p->paces);
	p->paces = NULL;
	p->npaces = 0;
	uv_close((uv_handle_t *)&p->timer, NULL);
}

void vrrp_garp_pace_cancel(struct vrrp_garp_pacer *p, const void *owner)
{
	for (unsigned i = 0; i < p->npaces; i++)
		for (unsigned k = 0; k < 2; k++)
			lane_drop(p, &p->paces[i].lane[k], owner);
}

void vrrp_garp_pace_announce(struct vrrp_garp_pacer *p, const struct conf_model *cm,
			     const void *owner, int ifindex, const char *ifname,
			     const uint8_t mac[6], const struct conf_addr *a)
{
	struct vrrp_garp_pace *pc;
	struct vrrp_garp_lane *l;
	struct vrrp_garp_msg *m;
	uint64_t arp_us, na_us, iv;
	int key;

	if (a->family != AF_INET && a->family != AF_INET6)
		return;
	pace_intervals(cm, ifindex, ifname, &key, &arp_us, &na_us);
	iv = (a->family == AF_INET ? arp_us : na_us) * 1000;
	pc = iv ? pace_get(p, key) : NULL;
	if (!pc) {
		announce_now(p->garp, ifindex, mac, a);
		return;
	}
	l = &pc->lane[a->family == AF_INET6];
	l->interval_ns = iv;
	if (vrrp_garp_lane_open(l, uv_hrtime())) {
		announce_now(p->garp, ifindex, mac, a);
		vrrp_garp_lane_sent(l, uv_hrtime());
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		/* Out of memory: late is better than never, and sooner than
		 * lost; the pacing of this one message is what gives. */
		announce_now(p->garp, ifindex, mac, a);
		return;
	}
	m->owner = owner;
	m->ifindex = ifindex;
	memcpy(m->mac, mac, 6);
	m->addr = *a;
	vrrp_garp_lane_append(l, m);
	p->paced++;
	pace_arm(p);
}
