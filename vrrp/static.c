/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static addresses, routes and rules (static.h says what keepalived 2.2.7
 * does with them). Each entry of the model has a slot here with what the
 * last change of it gave; a change's result comes back through a ticket,
 * which names the slot by generation and index, because a reload replaces
 * the slots while answers may still be on their way.
 */
#include "config.h"

#include "vrrp/static.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/log.h"
#include "vrrp/diff.h"
#include "vrrp/instance.h"
#include "vrrp/netlink.h"

enum st_kind { ST_ADDR, ST_ROUTE, ST_RULE };

static const char *const st_kind_names[] = { "address", "route", "rule" };

struct st_ent {
	enum st_kind kind;
	const void *cfg; /* struct conf_vip, conf_route or conf_rule of the running model */
	bool set;	 /* the last add succeeded and nothing removed it since */
	bool dev_up;	 /* its interface was up when last seen */
	int err;	 /* the last add's failure (-errno), 0 */
	unsigned restores;
};

struct st_ticket {
	struct st_ticket *next;
	struct vrrp_static *s;
	unsigned gen, idx;
	bool add;
};

struct vrrp_static {
	struct st_ent *e;
	unsigned n, gen;
	struct st_ticket *tickets; /* answers still to come */
};

static const struct conf_list *kind_list(const struct conf_model *m, enum st_kind k)
{
	return k == ST_ADDR    ? &m->vrrp.static_addresses
	       : k == ST_ROUTE ? &m->vrrp.static_routes
			       : &m->vrrp.static_rules;
}

static const struct conf_block *kind_block(enum st_kind k)
{
	return k == ST_ADDR    ? &conf_block_vip_list
	       : k == ST_ROUTE ? &conf_block_route_list
			       : &conf_block_rule_list;
}

/* The interface an entry lives on or is tracked through: an address's dev
 * (default_interface without one), a route's dev, a rule's iif. */
static const char *ent_dev(const struct conf_model *m, const struct st_ent *e)
{
	switch (e->kind) {
	case ST_ADDR: {
		const struct conf_vip *a = e->cfg;

		return a->dev ? a->dev : m->global.default_interface;
	}
	case ST_ROUTE:
		return ((const struct conf_route *)e->cfg)->dev;
	default:
		return ((const struct conf_rule *)e->cfg)->iif;
	}
}

static bool ent_no_track(const struct st_ent *e)
{
	return e->kind == ST_ADDR    ? ((const struct conf_vip *)e->cfg)->no_track
	       : e->kind == ST_ROUTE ? ((const struct conf_route *)e->cfg)->no_track
				     : ((const struct conf_rule *)e->cfg)->no_track;
}

static const char *ent_group(const struct st_ent *e)
{
	return e->kind == ST_ADDR    ? ((const struct conf_vip *)e->cfg)->track_group
	       : e->kind == ST_ROUTE ? ((const struct conf_route *)e->cfg)->track_group
				     : ((const struct conf_rule *)e->cfg)->track_group;
}

static void ent_what(const struct conf_model *m, const struct st_ent *e, char *out, size_t size)
{
	if (e->kind == ST_ADDR)
		vrrp_nlmsg_addr_what(out, size, true, ent_dev(m, e), e->cfg);
	else if (e->kind == ST_ROUTE)
		vrrp_nlmsg_route_what(out, size, true, e->cfg);
	else
		vrrp_nlmsg_rule_what(out, size, true, e->cfg);
	/* "add [route |rule ]..." -> what the entry is */
	for (const char *w = "add route rule ", *sp; (sp = strchr(w, ' ')); w = sp + 1) {
		size_t l = (size_t)(sp - w) + 1;

		if (!strncmp(out, w, l))
			memmove(out, out + l, strlen(out + l) + 1);
	}
}

static void on_done(int err, const char *what, void *data)
{
	struct st_ticket *t = data, **pp;
	struct vrrp_static *s = t->s;

	for (pp = &s->tickets; *pp && *pp != t; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = t->next;
	if (t->add && t->gen == s->gen && t->idx < s->n) {
		struct st_ent *e = &s->e[t->idx];

		e->set = err == 0;
		e->err = err;
		if (err)
			log_warn("vrrp: static %s: %s: %s", st_kind_names[e->kind], what,
				 strerror(-err));
	}
	free(t);
}

static struct st_ticket *ticket(struct vrrp_static *s, unsigned idx, bool add)
{
	struct st_ticket *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->s = s;
	t->gen = s->gen;
	t->idx = idx;
	t->add = add;
	t->next = s->tickets;
	s->tickets = t;
	return t;
}

/* Queues the change of one entry (cfg, of kind k; idx its slot for adds). */
static void change(struct vrrp *v, enum st_kind k, const void *cfg, bool add, unsigned idx)
{
	struct vrrp_static *s = v->statics;
	struct st_ticket *t = add ? ticket(s, idx, true) : NULL;
	vrrp_nl_done_fn fn = t ? on_done : NULL;

	if (k == ST_ADDR) {
		struct st_ent tmp = { .kind = k, .cfg = cfg };
		const char *dev = ent_dev(v->m, &tmp);
		const struct vrrp_iface *ifc = vrrp_nl_iface_by_name(v->nl, dev);

		if (!ifc) {
			char b[CONF_ADDRSTRLEN];

			log_warn("vrrp: static address %s: interface %s not found",
				 conf_prefix_str(&((const struct conf_vip *)cfg)->addr, b), dev);
			if (t)
				on_done(-ENODEV, "", t);
			return;
		}
		vrrp_nl_addr(v->nl, add, ifc->ifindex, cfg, fn, t);
	} else if (k == ST_ROUTE) {
		vrrp_nl_route(v->nl, add, cfg, fn, t);
	} else {
		vrrp_nl_rule(v->nl, add, cfg, fn, t);
	}
}

static bool dev_is_up(const struct vrrp *v, const char *dev)
{
	const struct vrrp_iface *ifc = dev ? vrrp_nl_iface_by_name(v->nl, dev) : NULL;

	return ifc && ifc->oper_up;
}

static bool rt_watched(const struct conf_model *m, bool rule, int family);

/* Slots for the entries of v->m, in kind order. */
static int build(struct vrrp *v, struct st_ent **out, unsigned *n)
{
	for (int f = 0; f < 4; f++)
		if (rt_watched(v->m, f & 1, f & 2 ? AF_INET6 : AF_INET)) {
			vrrp_nl_watch_routes(v->nl); /* logged on failure: no restore then */
			break;
		}
	unsigned total = 0, i = 0;
	struct st_ent *e;

	for (int k = ST_ADDR; k <= ST_RULE; k++)
		total += kind_list(v->m, k)->count;
	*out = NULL;
	*n = 0;
	if (!total)
		return 0;
	e = calloc(total, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (int k = ST_ADDR; k <= ST_RULE; k++) {
		conf_list_for_each (const struct conf_item, it, kind_list(v->m, k)) {
			e[i].kind = k;
			e[i].cfg = it;
			e[i].dev_up = dev_is_up(v, ent_dev(v->m, &e[i]));
			i++;
		}
	}
	*out = e;
	*n = total;
	return 0;
}

int vrrp_static_start(struct vrrp *v)
{
	struct vrrp_static *s = calloc(1, sizeof(*s));
	unsigned i;

	if (!s)
		return -ENOMEM;
	v->statics = s;
	if (build(v, &s->e, &s->n) < 0)
		return -ENOMEM;
	/* keepalived clears leftover rules first: a rule added twice is two rules.
	 * An address or route already there is simply kept. */
	for (i = 0; i < s->n; i++)
		if (s->e[i].kind == ST_RULE)
			change(v, ST_RULE, s->e[i].cfg, false, i);
	for (i = 0; i < s->n; i++)
		change(v, s->e[i].kind, s->e[i].cfg, true, i);
	if (s->n)
		log_info("vrrp: %u static address(es), route(s) and rule(s) set", s->n);
	return 0;
}

/* The slot of e (new model, index i within its kind) in the old slots. */
static const struct st_ent *old_slot(const struct st_ent *old, unsigned n_old, enum st_kind k,
				     int old_idx)
{
	int j = 0;

	for (unsigned i = 0; i < n_old; i++)
		if (old[i].kind == k && j++ == old_idx)
			return &old[i];
	return NULL;
}

void vrrp_static_reload(struct vrrp *v, const struct conf_model *old)
{
	struct vrrp_static *s = v->statics;
	struct st_ent *ne, *oe;
	unsigned nn, on, i, base = 0, n_kept = 0, n_add = 0, n_del = 0;

	if (!s || build(v, &ne, &nn) < 0) {
		log_error("vrrp: static entries: out of memory: not reloaded");
		return;
	}
	oe = s->e;
	on = s->n;
	for (int k = ST_ADDR; k <= ST_RULE; k++) {
		const struct conf_list *ol = kind_list(old, k), *nl = kind_list(v->m, k);
		unsigned cnt = ol->count > nl->count ? ol->count : nl->count;
		int *m = calloc(cnt ? cnt : 1, sizeof(*m));

		if (!m)
			continue; /* left as they were: safe */
		/* Gone: removed first, as keepalived's clear_diff_static_*. */
		vrrp_list_match(kind_block(k), ol, nl, m);
		i = 0;
		conf_list_for_each (const struct conf_item, it, ol) {
			if (m[i++] < 0) {
				change(v, k, it, false, 0);
				n_del++;
			}
		}
		/* Kept entries keep their state and are not touched; new ones are set. */
		vrrp_list_match(kind_block(k), nl, ol, m);
		for (i = 0; i < nl->count; i++) {
			const struct st_ent *o = m[i] >= 0 ? old_slot(oe, on, k, m[i]) : NULL;
			struct st_ent *e = &ne[base + i];

			if (o) {
				e->set = o->set;
				e->err = o->err;
				e->restores = o->restores;
				n_kept++;
			} else {
				e->set = false;
			}
		}
		free(m);
		base += nl->count;
	}
	s->e = ne;
	s->n = nn;
	s->gen++;
	free(oe);
	for (i = 0; i < nn; i++) {
		/* A kept entry that could not be set is tried again, as keepalived's
		 * netlink_*list(ADD) does for every entry not set. */
		if (!ne[i].set) {
			change(v, ne[i].kind, ne[i].cfg, true, i);
			n_add++;
		}
	}
	log_info("vrrp: reload: static entries: %u unchanged, %u removed, %u set", n_kept, n_del,
		 n_add);
}

void vrrp_static_stop(struct vrrp *v)
{
	struct vrrp_static *s = v->statics;
	unsigned i;

	if (!s || !v->nl)
		return;
	/* keepalived removes rules, then routes, then addresses. */
	for (int k = ST_RULE; k >= ST_ADDR; k--)
		for (i = 0; i < s->n; i++)
			if (s->e[i].kind == (enum st_kind)k)
				change(v, k, s->e[i].cfg, false, 0);
	if (s->n)
		log_info("vrrp: %u static address(es), route(s) and rule(s) removed", s->n);
	s->n = 0;
	s->gen++;
}

void vrrp_static_free(struct vrrp_static *s)
{
	struct st_ticket *t, *next;

	if (!s)
		return;
	for (t = s->tickets; t; t = next) {
		next = t->next;
		free(t);
	}
	free(s->e);
	free(s);
}

/* A prefix of the configuration (family 0: unset, any) and one of the kernel. */
static bool same_prefix(const struct conf_prefix *c, const struct conf_prefix *k)
{
	if (!c->addr.family)
		return k->len == 0;
	return c->len == k->len && (k->len == 0 || conf_addr_equal(&c->addr, &k->addr));
}

static uint32_t table_id(const char *t)
{
	uint32_t id = RT_TABLE_MAIN;

	if (t && vrrp_nl_table_id(t, NULL, &id))
		return RT_TABLE_MAIN; /* checked at load: cannot happen */
	return id;
}

/*
 * keepalived 2.2.7 listens to route (rule) changes of a family only when a
 * vrrp_instance has a tracked virtual route (rule) of that family or a
 * static route (rule) of it has a track_group (vrrp.c, process_static_entries);
 * then any static route (rule) of the family deleted by hand is put back,
 * otherwise none is.
 */
static bool rt_watched(const struct conf_model *m, bool rule, int family)
{
	conf_list_for_each (const struct conf_vrrp_instance, vi, &m->vrrp.instances) {
		if (rule) {
			conf_list_for_each (const struct conf_rule, r, &vi->vrules)
				if (!r->no_track && r->family == family)
					return true;
		} else {
			conf_list_for_each (const struct conf_route, r, &vi->vroutes)
				if (!r->no_track && r->family == family)
					return true;
		}
	}
	if (rule) {
		conf_list_for_each (const struct conf_rule, r, &m->vrrp.static_rules)
			if (r->track_group && r->family == family)
				return true;
	} else {
		conf_list_for_each (const struct conf_route, r, &m->vrrp.static_routes)
			if (r->track_group && r->family == family)
				return true;
	}
	return false;
}

bool vrrp_route_is(const struct conf_route *r, const struct vrrp_nl_rtmsg *rt)
{
	return !rt->is_rule && r->family == rt->family && same_prefix(&r->dst, &rt->dst) &&
	       table_id(r->table) == rt->table && r->tos == rt->tos;
}

bool vrrp_rule_is(const struct conf_rule *r, const struct vrrp_nl_rtmsg *rt)
{
	return rt->is_rule && r->family == rt->family && same_prefix(&r->from, &rt->src) &&
	       same_prefix(&r->to, &rt->dst) && (!r->has_preference || r->preference == rt->prio) &&
	       (r->action != 0 || table_id(r->table) == rt->table);
}

/* Is the deleted route or rule this entry? */
static bool rt_is(const struct st_ent *e, const struct vrrp_nl_rtmsg *rt)
{
	if (e->kind == ST_ROUTE)
		return vrrp_route_is(e->cfg, rt);
	if (e->kind == ST_RULE)
		return vrrp_rule_is(e->cfg, rt);
	return false;
}

static void restore(struct vrrp *v, unsigned i, const char *why)
{
	struct st_ent *e = &v->statics->e[i];
	char w[256];

	ent_what(v->m, e, w, sizeof(w));
	log_warn("vrrp: static %s %s %s: restoring it", st_kind_names[e->kind], w, why);
	e->set = false;
	e->restores++;
	change(v, e->kind, e->cfg, true, i);
}

void vrrp_static_nl_event(struct vrrp *v, const struct vrrp_nl_msg *m)
{
	struct vrrp_static *s = v->statics;
	unsigned i;

	if (!s || v->stopping)
		return;
	for (i = 0; i < s->n; i++) {
		struct st_ent *e = &s->e[i];
		const char *dev = ent_dev(v->m, e);

		switch (m->ev) {
		case VRRP_NL_ADDR_DEL: {
			const struct conf_vip *a = e->cfg;
			const struct vrrp_iface *ifc;

			if (e->kind != ST_ADDR || a->no_track ||
			    !conf_addr_equal(&a->addr.addr, &m->addr.addr))
				break;
			ifc = vrrp_nl_iface_by_index(v->nl, m->ifindex);
			if (ifc && !strcmp(ifc->name, dev))
				restore(v, i, "was removed");
			else if (!ifc)
				e->set = false; /* its interface is gone */
			break;
		}
		case VRRP_NL_RT_DEL:
			/* keepalived's netlink_route_filter / netlink_rule_filter. */
			if (!ent_no_track(e) && rt_is(e, m->rt) &&
			    rt_watched(v->m, m->rt->is_rule, m->rt->family))
				restore(v, i, "was deleted");
			break;
		case VRRP_NL_LINK:
		case VRRP_NL_LINK_GONE:
		case VRRP_NL_RESYNC: {
			bool up;

			if (!dev || (m->ev != VRRP_NL_RESYNC && strcmp(m->iface->name, dev)))
				break;
			up = m->ev != VRRP_NL_LINK_GONE && dev_is_up(v, dev);
			/* keepalived's interface_up(): addresses and routes of the
			 * interface are put back (rules are not deleted with it). */
			if (up && !e->dev_up && e->kind != ST_RULE && !ent_no_track(e))
				restore(v, i, "has its interface back up");
			e->dev_up = up;
			break;
		}
		default:
			break;
		}
	}
}

static bool group_has(const struct conf_model *m, const char *group, const char *iname)
{
	conf_list_for_each (const struct conf_track_group, g, &m->vrrp.track_groups) {
		if (strcmp(g->hdr.name, group))
			continue;
		conf_list_for_each (const struct conf_name, n, &g->members)
			if (!strcmp(n->hdr.name, iname))
				return true;
	}
	return false;
}

const char *vrrp_static_dev_down(const struct vrrp *v, const char *iname, const char *name,
				 char *what, size_t wlen)
{
	const struct vrrp_static *s = v->statics;

	if (!s)
		return NULL;
	for (unsigned i = 0; i < s->n; i++) {
		const struct st_ent *e = &s->e[i];
		const char *dev = ent_dev(v->m, e), *g = ent_group(e);
		/* keepalived: track_group with no_track tracks nothing. */
		if (!g || !dev || ent_no_track(e) || !group_has(v->m, g, iname))
			continue;
		if (name ? strcmp(dev, name) : dev_is_up(v, dev))
			continue;
		snprintf(what, wlen, "static %s of track_group %s", st_kind_names[e->kind], g);
		return dev;
	}
	return NULL;
}

void vrrp_static_status_json(const struct vrrp *v, struct json *j)
{
	const struct vrrp_static *s = v->statics;

	json_arr_begin(j);
	for (unsigned i = 0; s && i < s->n; i++) {
		const struct st_ent *e = &s->e[i];
		char w[256];

		ent_what(v->m, e, w, sizeof(w));
		json_obj_begin(j);
		json_kstr(j, "kind", st_kind_names[e->kind]);
		json_kstr(j, "entry", w);
		json_kstr(j, "state", e->set ? "set" : e->err ? "failed" : "pending");
		json_kstr(j, "error", e->err ? strerror(-e->err) : NULL);
		json_kstr(j, "track_group", ent_group(e));
		json_kuint(j, "restores", e->restores);
		json_obj_end(j);
	}
	json_arr_end(j);
}
