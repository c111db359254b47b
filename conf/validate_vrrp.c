/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks of the VRRP side that need more than one statement: references by
 * name, address families, ranges that depend on the VRRP version, duplicate
 * virtual routers, strict mode. Also resolves the per-instance settings
 * whose defaults come from global_defs, so the rest of vigil reads final
 * values. Every message carries the file:line of the statement at fault.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf/model.h"

#define MAX_CANDS 256


/* keepalived 2.2.7 (vrrp.c): an instance's or sync group's smtp_alert
 * defaults to smtp_alert_vrrp, else smtp_alert, else off; the globals are
 * tri-state (unset is not "on"). */
static int vrrp_alert_default(const struct conf_global *g)
{
	if (g->smtp_alert_vrrp != CONF_TRI_UNSET)
		return g->smtp_alert_vrrp;
	return g->smtp_alert != CONF_TRI_UNSET ? g->smtp_alert : 0;
}
static const char *fam_str(int f)
{
	return f == AF_INET6 ? "IPv6" : "IPv4";
}

/* "unknown NAME" with the closest defined name, if one is close. */
static void ref_error(struct conf_ctx *ctx, const struct conf_loc *loc, const char *what,
		      const char *name, const struct conf_list *l, const char *user)
{
	const char *cands[MAX_CANDS], *near;
	unsigned n = 0;

	conf_list_for_each (struct conf_item, it, l)
		if (n < MAX_CANDS && it->name)
			cands[n++] = it->name;
	near = conf_suggest(name, cands, n);
	if (near)
		conf_error(ctx, loc,
			   "%s refers to %s '%s', which is not defined; did you mean '%s'?", user,
			   what, name, near);
	else if (!l->count)
		conf_error(ctx, loc, "%s refers to %s '%s', but no %s is defined", user, what, name,
			   what);
	else
		conf_error(ctx, loc, "%s refers to %s '%s', which is not defined", user, what,
			   name);
}

static const struct conf_loc *loc_or(const struct conf_loc *a, const struct conf_loc *b)
{
	return a->line ? a : b;
}

/* ---- global_defs ---- */

static void resolve_global(struct conf_global *g)
{
	/* vrrp_min_garp (keepalived 2.2.7): one GARP/NA, no second burst, no
	 * refresh messages; only what the file does not set itself. */
	bool min = g->vrrp_min_garp;

	if (g->vrrp_garp_master_delay == CONF_UNSET)
		g->vrrp_garp_master_delay = min ? 0 : 5;
	if (g->vrrp_garp_master_repeat == CONF_UNSET)
		g->vrrp_garp_master_repeat = min ? 1 : 5;
	if (g->vrrp_garp_master_refresh_repeat == CONF_UNSET)
		g->vrrp_garp_master_refresh_repeat = min ? 0 : 1;
	if (g->vrrp_garp_lower_prio_delay == CONF_UNSET)
		g->vrrp_garp_lower_prio_delay = g->vrrp_garp_master_delay;
	if (g->vrrp_garp_lower_prio_repeat == CONF_UNSET)
		g->vrrp_garp_lower_prio_repeat = g->vrrp_garp_master_repeat;
	if (!g->vmac_addr_prefix)
		g->vmac_addr_prefix = g->vmac_prefix;
}

/* ---- instances ---- */

static void check_tracks(struct conf_ctx *ctx, struct conf_list *l, const struct conf_list *defs,
			 const char *what, const char *user, bool owner)
{
	conf_list_for_each (struct conf_track, t, l) {
		const struct conf_item *def = defs ? conf_list_find(defs, t->hdr.name) : NULL;

		if (defs && !def) {
			ref_error(ctx, &t->hdr.loc, what, t->hdr.name, defs, user);
			continue;
		}
		if (!t->has_weight && def) {
			/* The default weight is the one given on the tracked object. */
			if (defs && !strcmp(what, "vrrp_script"))
				t->weight = ((const struct conf_vrrp_script *)def)->weight;
			else if (!strcmp(what, "track_file"))
				t->weight = ((const struct conf_track_file *)def)->weight;
			else if (!strcmp(what, "vrrp_track_process"))
				t->weight = ((const struct conf_track_process *)def)->weight;
		}
		if (owner && t->weight) {
			conf_warn(ctx, &t->hdr.loc,
				  "%s has priority 255 (address owner), which tracking cannot "
				  "change; "
				  "the weight %d of '%s' is ignored",
				  user, t->weight, t->hdr.name);
			t->weight = 0;
		}
	}
}

static int vip_family_check(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	const struct conf_vip *first = NULL;
	char buf[CONF_ADDRSTRLEN];

	conf_list_for_each (struct conf_vip, v, &vi->vips) {
		if (!first) {
			first = v;
			continue;
		}
		if (v->addr.addr.family != first->addr.addr.family)
			conf_error(ctx, &v->hdr.loc,
				   "vrrp_instance %s: virtual_ipaddress %s is %s but the first one "
				   "(%s, line %u) is %s; one instance carries one family (put the "
				   "other family in virtual_ipaddress_excluded or in another "
				   "instance)",
				   vi->hdr.name, v->hdr.name, fam_str(v->addr.addr.family),
				   conf_addr_str(&first->addr.addr, buf), first->hdr.loc.line,
				   fam_str(first->addr.addr.family));
	}
	return first ? first->addr.addr.family : 0;
}

/*
 * use_vmac on an address (keepalived 2.2.7, vrrp.c): with the instance's
 * own use_vmac and the instance's family, on the instance's interface, the
 * address is on the VMAC already (keepalived warns); anywhere else
 * keepalived adds a VMAC (macvlan) interface on the address's interface
 * for it, which vigil does not: warned, the address goes on that
 * interface itself, with its own MAC.
 */
static void check_vip_vmac(struct conf_ctx *ctx, const struct conf_vrrp_instance *vi)
{
	const struct conf_list *lists[2] = { &vi->vips, &vi->evips };

	for (unsigned i = 0; i < 2; i++) {
		conf_list_for_each (const struct conf_vip, v, lists[i]) {
			bool own_if = !v->dev || (vi->interface && !strcmp(v->dev, vi->interface));

			if (!v->use_vmac)
				continue;
			if (vi->use_vmac && own_if && v->addr.addr.family == vi->family)
				conf_warn(ctx, &v->hdr.loc,
					  "(%s) use_vmac specified for VIP/eVIP %s and vrrp instance: "
					  "the address is on the instance's VMAC interface",
					  vi->hdr.name, v->hdr.name);
			else
				conf_warn(ctx, &v->hdr.loc,
					  "vrrp_instance %s: use_vmac on address %s has no effect in "
					  "vigil: keepalived would add a VMAC (macvlan) interface on %s "
					  "for it; vigil puts the address on %s itself, with that "
					  "interface's MAC",
					  vi->hdr.name, v->hdr.name,
					  v->dev ? v->dev : vi->interface ? vi->interface : "?",
					  v->dev ? v->dev : vi->interface ? vi->interface : "?");
		}
	}
}

static void check_dup_vips(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	struct conf_list *lists[2] = { &vi->vips, &vi->evips };
	unsigned a, b;

	for (a = 0; a < 2; a++) {
		conf_list_for_each (struct conf_vip, v, lists[a]) {
			bool done = false;

			for (b = 0; b <= a && !done; b++) {
				conf_list_for_each (struct conf_vip, w, lists[b]) {
					if (w == v)
						break;
					if (conf_addr_equal(&w->addr.addr, &v->addr.addr)) {
						conf_warn(ctx, &v->hdr.loc,
							  "vrrp_instance %s: address %s is already "
							  "listed at line %u",
							  vi->hdr.name, v->hdr.name,
							  w->hdr.loc.line);
						done = true;
						break;
					}
				}
			}
		}
	}
}

static void check_labels(struct conf_ctx *ctx, const struct conf_list *l, const char *dflt_dev)
{
	conf_list_for_each (struct conf_vip, v, l) {
		const char *dev = v->dev ? v->dev : dflt_dev;

		/* The kernel refuses a label that does not begin with the device name. */
		if (v->label && dev && strncmp(v->label, dev, strlen(dev)))
			conf_error(ctx, &v->hdr.loc,
				   "address %s: label '%s' must begin with the interface name '%s' "
				   "(for example '%s:1')",
				   v->hdr.name, v->label, dev, dev);
	}
}

static bool is_link_local6(const struct conf_addr *a)
{
	return a->family == AF_INET6 && a->u.v6.s6_addr[0] == 0xfe &&
	       (a->u.v6.s6_addr[1] & 0xc0) == 0x80;
}

/* Family: the VIPs decide, then the source address, then the peers. */
static int instance_family(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	int fam = vip_family_check(ctx, vi);

	if (!fam && vi->src_ip.family)
		fam = vi->src_ip.family;
	if (!fam && vi->unicast_peers.head)
		fam = ((struct conf_unicast_peer *)(void *)vi->unicast_peers.head)->addr.family;
	if (!fam)
		fam = vi->native_ipv6 ? AF_INET6 : AF_INET;
	if (vi->native_ipv6 && fam != AF_INET6)
		conf_error(ctx, &vi->hdr.loc,
			   "vrrp_instance %s: native_ipv6 is set but its addresses are IPv4",
			   vi->hdr.name);
	return fam;
}

/* The version, and the advert_int it allows. */
static void check_version(struct conf_ctx *ctx, const struct conf_global *g,
			  struct conf_vrrp_instance *vi)
{
	const struct conf_loc *iloc = &vi->hdr.loc;
	const char *name = vi->hdr.name;

	/* Version: IPv6 exists only in VRRPv3 (RFC 5798). */
	if (!vi->version)
		vi->version = vi->family == AF_INET6 ? 3 : g->vrrp_version;
	else if (vi->version == 2 && vi->family == AF_INET6)
		conf_error(ctx, loc_or(&vi->version_loc, iloc),
			   "vrrp_instance %s: VRRPv2 carries IPv4 only, but its addresses are IPv6 "
			   "(use version 3)",
			   name);

	/* RFC 3768 5.3.7: whole seconds; RFC 5798 5.2.7: 12 bits of centiseconds. */
	if (vi->version == 2) {
		if (vi->advert_int % US_PER_SEC || vi->advert_int < US_PER_SEC)
			conf_error(ctx, loc_or(&vi->advert_int_loc, iloc),
				   "vrrp_instance %s: advert_int %.6g is not a whole number of "
				   "seconds from 1 to 255, as VRRPv2 requires (use version 3 for "
				   "shorter intervals)",
				   name, (double)vi->advert_int / 1e6);
	} else {
		if (vi->advert_int % 10000 || vi->advert_int < 10000 || vi->advert_int > 40950000)
			conf_error(ctx, loc_or(&vi->advert_int_loc, iloc),
				   "vrrp_instance %s: advert_int %.6g is not a multiple of 0.01 "
				   "seconds from 0.01 to 40.95, as VRRPv3 requires",
				   name, (double)vi->advert_int / 1e6);
	}
}

/* The source, multicast group and unicast peers: of the instance's family. */
static void check_peers(struct conf_ctx *ctx, const struct conf_global *g,
			struct conf_vrrp_instance *vi)
{
	const struct conf_loc *iloc = &vi->hdr.loc;
	const char *name = vi->hdr.name;
	int fam = vi->family;

	if (vi->src_ip.family && vi->src_ip.family != fam)
		conf_error(ctx, loc_or(&vi->src_ip_loc, iloc),
			   "vrrp_instance %s: source address is %s but the instance is %s", name,
			   fam_str(vi->src_ip.family), fam_str(fam));
	if (vi->mcast_dst_ip.family && vi->mcast_dst_ip.family != fam)
		conf_error(ctx, loc_or(&vi->mcast_dst_loc, iloc),
			   "vrrp_instance %s: mcast_dst_ip is %s but the instance is %s", name,
			   fam_str(vi->mcast_dst_ip.family), fam_str(fam));
	conf_list_for_each (struct conf_unicast_peer, p, &vi->unicast_peers) {
		if (p->addr.family != fam)
			conf_error(
				ctx, &p->hdr.loc,
				"vrrp_instance %s: unicast_peer %s is %s but the instance%s is %s",
				name, p->hdr.name, fam_str(p->addr.family),
				vi->src_ip.family ? "'s source address" : "", fam_str(fam));
		if (p->ttl_check)
			vi->check_unicast_src = true;
	}
	/* keepalived 2.2.7 reports this as a configuration error too */
	if (vi->unicast_ttl != CONF_UNSET && !vi->unicast_peers.count)
		conf_error(ctx, iloc,
			   "vrrp_instance %s: unicast_ttl needs unicast_peer (multicast adverts "
			   "always carry TTL 255)",
			   name);
	if (vi->unicast_peers.count && g->vrrp_check_unicast_src)
		vi->check_unicast_src = true;
	if (vi->use_vmac && vi->unicast_peers.count && !vi->vmac_xmit_base)
		conf_error(ctx, iloc,
			   "vrrp_instance %s: use_vmac with unicast_peer needs vmac_xmit_base",
			   name);
}

/*
 * An instance without virtual addresses sends adverts that announce none.
 * As keepalived 2.2.7: an error for VRRPv3 (RFC 5798 5.2.5: at least one),
 * a warning for VRRPv2; keepalived 2.2.8's no_virtual_ipaddress says it is
 * meant and allows it in both, but not in strict mode (which needs one:
 * apply_strict).
 */
static void check_no_vips(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	const char *name = vi->hdr.name;

	if (vi->no_vips && vi->strict_mode == 1) {
		conf_warn(ctx, &vi->hdr.loc,
			  "vrrp_instance %s: no_virtual_ipaddress is cleared: strict mode needs an "
			  "address, as keepalived says",
			  name);
		vi->no_vips = false;
	}
	if (vi->vips.count || vi->no_vips || vi->strict_mode == 1)
		return;
	if (vi->version == 3)
		conf_error(ctx, &vi->hdr.loc,
			   "vrrp_instance %s: no virtual_ipaddress: VRRPv3 needs at least one (RFC "
			   "5798 5.2.5); write no_virtual_ipaddress if none is meant",
			   name);
	else
		conf_warn(ctx, &vi->hdr.loc,
			  "vrrp_instance %s: no virtual_ipaddress: its adverts announce no address "
			  "(write no_virtual_ipaddress if that is meant)",
			  name);
}

/*
 * Strict mode: what RFC 5798 allows. keepalived 2.2.7 runs a strict
 * configuration that asks for more (its own stock keepalived.conf has
 * state MASTER at priority 100 and PASS authentication) by overriding each
 * setting strict mode forbids, with a warning; vigil does the same, one
 * warning per override. Only what keepalived refuses stays an error.
 */
#define STRICT_WARN(loc, ...) conf_warn(ctx, loc, __VA_ARGS__)

static void apply_strict(struct conf_ctx *ctx, struct conf_vrrp_instance *vi, bool owner)
{
	const struct conf_loc *iloc = &vi->hdr.loc;
	const char *name = vi->hdr.name;

	if (!vi->vips.count)
		conf_error(ctx, iloc,
			   "vrrp_instance %s: strict mode needs at least one "
			   "virtual_ipaddress",
			   name);
	if (vi->unicast_peers.count)
		conf_error(ctx, iloc, "vrrp_instance %s: strict mode does not allow unicast_peer",
			   name);
	if (vi->auth.type != CONF_AUTH_NONE) {
		STRICT_WARN(loc_or(&vi->auth.loc, iloc),
			    "vrrp_instance %s: strict mode does not allow authentication; it is "
			    "ignored, as keepalived does",
			    name);
		vi->auth.type = CONF_AUTH_NONE;
	}
	if ((vi->state == CONF_STATE_MASTER) != owner) {
		STRICT_WARN(iloc,
			    "vrrp_instance %s: strict mode allows state MASTER only with priority "
			    "255; the initial state is %s, as keepalived sets it",
			    name, owner ? "MASTER" : "BACKUP");
		vi->state = owner ? CONF_STATE_MASTER : CONF_STATE_BACKUP;
	}
	if (vi->preempt_delay) {
		STRICT_WARN(loc_or(&vi->preempt_delay_loc, iloc),
			    "vrrp_instance %s: strict mode does not allow preempt_delay; reset to 0, "
			    "as keepalived does",
			    name);
		vi->preempt_delay = 0;
	}
	if (vi->vmac_xmit_base) {
		STRICT_WARN(iloc,
			    "vrrp_instance %s: strict mode does not allow vmac_xmit_base; cleared, "
			    "as keepalived does",
			    name);
		vi->vmac_xmit_base = false;
	}
	if (vi->has_vmac_mac) {
		STRICT_WARN(iloc,
			    "vrrp_instance %s: strict mode does not allow a use_vmac MAC address; "
			    "cleared, as keepalived does",
			    name);
		vi->has_vmac_mac = false;
	}
	if (vi->accept == 1 && vi->version == 2 && !owner) {
		STRICT_WARN(iloc,
			    "vrrp_instance %s: strict mode does not allow accept with VRRPv2 "
			    "(RFC 3768); no_accept, as keepalived sets it",
			    name);
		vi->accept = 0;
	}
	if (vi->family == AF_INET6 && vi->vips.head &&
	    !is_link_local6(&((struct conf_vip *)(void *)vi->vips.head)->addr.addr))
		STRICT_WARN(&vi->vips.head->loc,
			    "vrrp_instance %s: strict mode wants the first IPv6 virtual_ipaddress "
			    "to be link-local (RFC 5798 5.2.9)",
			    name);
}

/* Settings strict mode fixes whatever the file says (keepalived's
 * vrrp_complete_instance): those of the instance itself, before the globals
 * are inherited, since an unset one is strict mode's value, not the global. */
static void apply_strict_values(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	/* The instance's own setting (unset: strict mode's value, silently). */
	static const struct {
		const char *kw;
		size_t off;
		bool tri; /* int8_t tri-state, else unsigned with CONF_UNSET */
		int value;
	} fixes[] = {
		{ "garp_lower_prio_repeat", offsetof(struct conf_vrrp_instance, garp_lower_prio_repeat),
		  false, 0 },
		{ "garp_lower_prio_delay", offsetof(struct conf_vrrp_instance, garp_lower_prio_delay),
		  false, 0 },
		{ "lower_prio_no_advert", offsetof(struct conf_vrrp_instance, lower_prio_no_advert),
		  true, 1 },
		{ "higher_prio_send_advert",
		  offsetof(struct conf_vrrp_instance, higher_prio_send_advert), true, 0 },
	};

	for (unsigned i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
		char *f = (char *)vi + fixes[i].off;
		long have = fixes[i].tri ? *(int8_t *)f : (long)*(unsigned *)(void *)f;
		bool unset = fixes[i].tri ? have == CONF_TRI_UNSET : have == (long)CONF_UNSET;

		if (!unset && have != fixes[i].value)
			STRICT_WARN(&vi->hdr.loc,
				    "vrrp_instance %s: strict mode needs %s %s; set so, as keepalived "
				    "does",
				    vi->hdr.name, fixes[i].kw,
				    fixes[i].tri ? (fixes[i].value ? "on" : "off") : "0");
		if (fixes[i].tri)
			*(int8_t *)f = (int8_t)fixes[i].value;
		else
			*(unsigned *)(void *)f = (unsigned)fixes[i].value;
	}
}

/* After the globals are inherited (the global value counts too). */
static void apply_strict_defaults(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	if (vi->down_timer_adverts != 3) {
		STRICT_WARN(&vi->hdr.loc,
			    "vrrp_instance %s: strict mode needs down_timer_adverts 3; reset, as "
			    "keepalived does",
			    vi->hdr.name);
		vi->down_timer_adverts = 3;
	}
}

/* What the instance leaves unset comes from global_defs (strict mode
 * changes some of those defaults). */
static void inherit_globals(const struct conf_global *g, struct conf_vrrp_instance *vi, bool strict,
			    bool owner)
{
	if (vi->accept == CONF_TRI_UNSET)
		vi->accept = strict ? owner : 1;
	if (vi->lower_prio_no_advert == CONF_TRI_UNSET)
		vi->lower_prio_no_advert = strict || g->vrrp_lower_prio_no_advert;
	if (vi->higher_prio_send_advert == CONF_TRI_UNSET)
		vi->higher_prio_send_advert = !strict && g->vrrp_higher_prio_send_advert;
	if (vi->skip_check_adv_addr == CONF_TRI_UNSET)
		vi->skip_check_adv_addr = g->vrrp_skip_check_adv_addr;
	if (vi->v3_checksum_as_v2 == CONF_TRI_UNSET)
		vi->v3_checksum_as_v2 = g->v3_checksum_as_v2;
	if (vi->notify_priority_changes == CONF_TRI_UNSET)
		vi->notify_priority_changes = g->vrrp_notify_priority_changes;
	if (vi->smtp_alert == CONF_TRI_UNSET)
		vi->smtp_alert = vrrp_alert_default(g);
	if (vi->garp_master_delay == CONF_UNSET)
		vi->garp_master_delay = g->vrrp_garp_master_delay;
	if (vi->garp_master_repeat == CONF_UNSET)
		vi->garp_master_repeat = g->vrrp_garp_master_repeat;
	if (vi->garp_lower_prio_delay == CONF_UNSET)
		vi->garp_lower_prio_delay = g->vrrp_garp_lower_prio_delay;
	if (vi->garp_lower_prio_repeat == CONF_UNSET)
		vi->garp_lower_prio_repeat = g->vrrp_garp_lower_prio_repeat;
	if (vi->garp_master_refresh == CONF_UNSET)
		vi->garp_master_refresh = g->vrrp_garp_master_refresh;
	if (vi->garp_master_refresh_repeat == CONF_UNSET)
		vi->garp_master_refresh_repeat = g->vrrp_garp_master_refresh_repeat;
	if (vi->garp_extra_if == CONF_UNSET) {
		vi->garp_extra_if = g->vrrp_garp_extra_if;
		vi->garp_extra_if_all = g->vrrp_garp_extra_if_all;
	}
	if (vi->down_timer_adverts == CONF_UNSET)
		vi->down_timer_adverts = g->vrrp_down_timer_adverts;
}

static void resolve_instance(struct conf_ctx *ctx, struct conf_model *m,
			     struct conf_vrrp_instance *vi)
{
	const struct conf_global *g = &m->global;
	const struct conf_loc *iloc = &vi->hdr.loc;
	const char *name = vi->hdr.name;
	char user[160];
	bool owner = vi->priority == 255;

	snprintf(user, sizeof(user), "vrrp_instance %s", name);
	vi->family = instance_family(ctx, vi);
	if (vi->strict_mode == CONF_TRI_UNSET)
		vi->strict_mode = g->vrrp_strict;
	if (vi->strict_mode && vi->family == AF_INET6 && vi->version == 2) {
		conf_warn(ctx, loc_or(&vi->version_loc, iloc),
			  "vrrp_instance %s: strict mode: VRRPv2 carries IPv4 only; version 3, as "
			  "keepalived sets it",
			  name);
		vi->version = 3;
	}

	if (!vi->vrid)
		conf_error(ctx, iloc, "vrrp_instance %s has no virtual_router_id (1-255)", name);
	/* keepalived.conf(5) lets a unicast instance omit it, but keepalived
	 * 2.2.7 refuses that too ("Unknown interface!"): which interface
	 * would carry the adverts, the VIPs and their GARPs? */
	if (!vi->interface)
		conf_error(ctx, iloc,
			   "vrrp_instance %s has no interface (keepalived 2.2.7 needs one too, "
			   "unicast_peer or not)",
			   name);
	check_version(ctx, g, vi);
	check_peers(ctx, g, vi);

	check_dup_vips(ctx, vi);
	check_vip_vmac(ctx, vi);
	check_labels(ctx, &vi->vips, vi->interface);
	check_labels(ctx, &vi->evips, vi->interface);

	check_tracks(ctx, &vi->track_interfaces, NULL, "interface", user, owner);
	check_tracks(ctx, &vi->track_scripts, &m->vrrp.scripts, "vrrp_script", user, owner);
	check_tracks(ctx, &vi->track_files, &m->vrrp.track_files, "track_file", user, owner);
	check_tracks(ctx, &vi->track_processes, &m->vrrp.track_processes, "vrrp_track_process",
		     user, owner);

	if (vi->auth.type == CONF_AUTH_AH && vi->version == 3)
		/* keepalived 2.2.7 reports it as an error (-t fails) and drops
		 * the authentication; AH is VRRPv2 over IPv4 only */
		conf_error(ctx, loc_or(&vi->auth.loc, iloc),
			   "vrrp_instance %s: auth_type AH needs VRRPv2 over IPv4 (this instance "
			   "is VRRPv3%s)",
			   name, vi->family == AF_INET6 ? " over IPv6" : "");
	else if (vi->auth.type != CONF_AUTH_NONE && vi->version == 3)
		conf_warn(ctx, loc_or(&vi->auth.loc, iloc),
			  "vrrp_instance %s: VRRPv3 has no authentication; this block is ignored",
			  name);
	/* keepalived (vrrp_complete_instance) clears nopreempt on the address
	 * owner, which always preempts, before anything else reads it. */
	if (owner && vi->nopreempt) {
		conf_warn(ctx, loc_or(&vi->nopreempt_loc, iloc),
			  "vrrp_instance %s: nopreempt is incompatible with priority 255 (the "
			  "address owner preempts), as keepalived says; it is cleared",
			  name);
		vi->nopreempt = false;
	}
	if (vi->auth.type == CONF_AUTH_AH && vi->state == CONF_STATE_MASTER && !owner) {
		/* keepalived 2.2.7: a new master must first learn the AH sequence
		 * number from the current one, so it clears the initial MASTER */
		conf_warn(ctx, loc_or(&vi->auth.loc, iloc),
			  "vrrp_instance %s: state MASTER is incompatible with auth_type AH "
			  "(priority below 255): the instance starts as BACKUP, as in keepalived",
			  name);
		vi->state = CONF_STATE_BACKUP;
	}
	if (vi->state == CONF_STATE_MASTER && vi->nopreempt)
		conf_warn(ctx, loc_or(&vi->nopreempt_loc, iloc),
			  "vrrp_instance %s: nopreempt has no effect with state MASTER", name);
	if (vi->state == CONF_STATE_MASTER && vi->preempt_delay)
		conf_warn(ctx, loc_or(&vi->preempt_delay_loc, iloc),
			  "vrrp_instance %s: preempt_delay has no effect with state MASTER", name);
	/* keepalived (vrrp.c, vrrp_complete_instance) zeroes preempt_delay
	 * under nopreempt with a warning; the dump and reload diff must show
	 * the value the instance runs with. The MASTER case is warned above. */
	if (vi->nopreempt && vi->preempt_delay && vi->state != CONF_STATE_MASTER) {
		conf_warn(ctx, loc_or(&vi->preempt_delay_loc, iloc),
			  "vrrp_instance %s: preempt_delay is incompatible with nopreempt, as in "
			  "keepalived; using 0",
			  name);
		vi->preempt_delay = 0;
	}

	check_no_vips(ctx, vi);
	if (vi->strict_mode) {
		apply_strict(ctx, vi, owner);
		apply_strict_values(ctx, vi);
	}
	inherit_globals(g, vi, vi->strict_mode, owner);
	if (vi->strict_mode)
		apply_strict_defaults(ctx, vi);
	if (vi->garp_master_refresh && !vi->garp_master_refresh_repeat)
		conf_warn(ctx, iloc,
			  "vrrp_instance %s: garp_master_refresh has no effect: vrrp_min_garp sets "
			  "garp_master_refresh_repeat to 0, as in keepalived (set "
			  "garp_master_refresh_repeat to send some)",
			  name);
}

/* Two instances share a virtual router if VRID, interface and family match,
 * unless unicast peers are disjoint or the multicast groups differ. */
static bool peers_overlap(const struct conf_vrrp_instance *a, const struct conf_vrrp_instance *b)
{
	if (!a->unicast_peers.count || !b->unicast_peers.count)
		return a->unicast_peers.count == b->unicast_peers.count;
	conf_list_for_each (struct conf_unicast_peer, p, &a->unicast_peers)
		conf_list_for_each (struct conf_unicast_peer, q, &b->unicast_peers)
			if (conf_addr_equal(&p->addr, &q->addr))
				return true;
	return false;
}

static void check_dup_vrid(struct conf_ctx *ctx, struct conf_model *m)
{
	conf_list_for_each (struct conf_vrrp_instance, b, &m->vrrp.instances) {
		conf_list_for_each (struct conf_vrrp_instance, a, &m->vrrp.instances) {
			const char *ia, *ib;

			if (a == b)
				break;
			if (!a->vrid || a->vrid != b->vrid || a->family != b->family)
				continue;
			ia = a->interface ? a->interface : "";
			ib = b->interface ? b->interface : "";
			if (strcmp(ia, ib) || !peers_overlap(a, b))
				continue;
			if (!conf_addr_equal(&a->mcast_dst_ip, &b->mcast_dst_ip))
				continue;
			conf_error(
				ctx, loc_or(&b->vrid_loc, &b->hdr.loc),
				"vrrp_instance %s: virtual_router_id %u is already used for %s on "
				"%s by vrrp_instance %s (%s:%u)",
				b->hdr.name, b->vrid, fam_str(b->family),
				*ib ? ib : "the same interface", a->hdr.name, a->hdr.loc.file,
				a->hdr.loc.line);
			break;
		}
	}
}

/* ---- sync groups ---- */

/*
 * keepalived 2.2.7 (vrrp.c, vrrp_complete_instance): a member of a sync
 * group without sync_group_tracking_weight keeps no weighted tracking,
 * each kind its own way, with these warnings: a weighted interface gets
 * weight 0 (down FAULTs the instance, and so the group); a weighted script
 * is not tracked at all; a track_file with the default weight 1 gets weight
 * 0, one with another weight is not tracked; vrrp_track_process is left
 * as it is.
 */
static void sync_member_weights(struct conf_ctx *ctx, struct conf_vrrp_instance *vi)
{
	struct conf_item *it, *next;

	conf_list_for_each (struct conf_track, t, &vi->track_interfaces) {
		if (!t->weight)
			continue;
		conf_warn(ctx, &t->hdr.loc,
			  "(%s) ignoring %s tracked interface weight due to SYNC group "
			  "(sync_group_tracking_weight keeps it): down puts it in FAULT",
			  vi->hdr.name, t->hdr.name);
		t->weight = 0;
	}
	for (it = vi->track_scripts.head; it; it = next) {
		struct conf_track *t = (struct conf_track *)it;

		next = it->next;
		if (!t->weight)
			continue;
		conf_warn(ctx, &t->hdr.loc,
			  "(%s) ignoring tracked script %s with weights due to SYNC group "
			  "(sync_group_tracking_weight keeps it): it is not tracked",
			  vi->hdr.name, t->hdr.name);
		conf_list_remove(&vi->track_scripts, it);
	}
	for (it = vi->track_files.head; it; it = next) {
		struct conf_track *t = (struct conf_track *)it;

		next = it->next;
		if (t->weight == 1) {
			conf_warn(ctx, &t->hdr.loc,
				  "(%s) ignoring weight from tracked file %s due to SYNC group. "
				  "specify weight 0 (sync_group_tracking_weight keeps it)",
				  vi->hdr.name, t->hdr.name);
			t->weight = 0;
		} else if (t->weight) {
			conf_warn(ctx, &t->hdr.loc,
				  "(%s) ignoring tracked file %s with weight %d due to SYNC group "
				  "(sync_group_tracking_weight keeps it): it is not tracked",
				  vi->hdr.name, t->hdr.name, t->weight);
			conf_list_remove(&vi->track_files, it);
		}
	}
}

static void check_sync_groups(struct conf_ctx *ctx, struct conf_model *m)
{
	conf_list_for_each (struct conf_vrrp_sync_group, sg, &m->vrrp.sync_groups) {
		char user[160];

		snprintf(user, sizeof(user), "vrrp_sync_group %s", sg->hdr.name);
		conf_list_for_each (struct conf_name, n, &sg->members) {
			struct conf_vrrp_instance *vi =
				conf_list_find(&m->vrrp.instances, n->hdr.name);

			if (!vi) {
				ref_error(ctx, &n->hdr.loc, "vrrp_instance", n->hdr.name,
					  &m->vrrp.instances, user);
				continue;
			}
			if (vi->sync_group) {
				conf_error(ctx, &n->hdr.loc,
					   "vrrp_instance %s is already a member of "
					   "vrrp_sync_group %s "
					   "(%s:%u); an instance can be in one group only",
					   vi->hdr.name, vi->sync_group->hdr.name,
					   vi->sync_group->hdr.loc.file,
					   vi->sync_group->hdr.loc.line);
				continue;
			}
			vi->sync_group = sg;
			if (sg->sync_group_tracking_weight)
				continue;
			sync_member_weights(ctx, vi);
		}
		if (sg->members.count == 1)
			conf_warn(ctx, &sg->hdr.loc,
				  "vrrp_sync_group %s has a single member, so it synchronises "
				  "nothing",
				  sg->hdr.name);
		check_tracks(ctx, &sg->track_interfaces, NULL, "interface", user, false);
		check_tracks(ctx, &sg->track_scripts, &m->vrrp.scripts, "vrrp_script", user, false);
		check_tracks(ctx, &sg->track_files, &m->vrrp.track_files, "track_file", user,
			     false);
		check_tracks(ctx, &sg->track_processes, &m->vrrp.track_processes,
			     "vrrp_track_process", user, false);
		if (sg->notify_priority_changes == CONF_TRI_UNSET)
			sg->notify_priority_changes = m->global.vrrp_notify_priority_changes;
		if (sg->smtp_alert == CONF_TRI_UNSET)
			sg->smtp_alert = vrrp_alert_default(&m->global);
	}
}

/* ---- static objects, track groups, garp groups, delays ---- */

static void check_track_group_ref(struct conf_ctx *ctx, struct conf_model *m,
				  const struct conf_item *it, const char *group, const char *what)
{
	char user[160];

	if (!group || conf_list_find(&m->vrrp.track_groups, group))
		return;
	snprintf(user, sizeof(user), "%s %s", what, it->name);
	ref_error(ctx, &it->loc, "track_group", group, &m->vrrp.track_groups, user);
}

static void check_statics(struct conf_ctx *ctx, struct conf_model *m)
{
	conf_list_for_each (struct conf_track_group, tg, &m->vrrp.track_groups) {
		char user[160];

		snprintf(user, sizeof(user), "track_group %s", tg->hdr.name);
		conf_list_for_each (struct conf_name, n, &tg->members)
			if (!conf_list_find(&m->vrrp.instances, n->hdr.name))
				ref_error(ctx, &n->hdr.loc, "vrrp_instance", n->hdr.name,
					  &m->vrrp.instances, user);
	}
	conf_list_for_each (struct conf_vip, v, &m->vrrp.static_addresses)
		check_track_group_ref(ctx, m, &v->hdr, v->track_group, "static address");
	conf_list_for_each (struct conf_route, r, &m->vrrp.static_routes)
		check_track_group_ref(ctx, m, &r->hdr, r->track_group, "static route");
	conf_list_for_each (struct conf_rule, r, &m->vrrp.static_rules)
		check_track_group_ref(ctx, m, &r->hdr, r->track_group, "static rule");
	check_labels(ctx, &m->vrrp.static_addresses, m->global.default_interface);
}

static bool garp_group_has(const struct conf_garp_group *g, const char *ifname)
{
	if (g->interface && !strcmp(g->interface, ifname))
		return true;
	return conf_list_find(&g->interfaces, ifname) != NULL;
}

static void garp_check_name(struct conf_ctx *ctx, struct conf_model *m,
			    const struct conf_garp_group *b, const char *ifname,
			    const struct conf_loc *loc)
{
	/* An interface's GARP pacing can come from one group only. */
	conf_list_for_each (struct conf_garp_group, a, &m->vrrp.garp_groups) {
		if (a == b)
			break;
		if (garp_group_has(a, ifname)) {
			conf_error(
				ctx, loc,
				"garp_group: interface %s is already in the garp_group at line %u",
				ifname, a->hdr.loc.line);
			return;
		}
	}
}

static void check_garp_groups(struct conf_ctx *ctx, struct conf_model *m)
{
	conf_list_for_each (struct conf_garp_group, g, &m->vrrp.garp_groups) {
		if (g->interface)
			garp_check_name(ctx, m, g, g->interface, &g->hdr.loc);
		conf_list_for_each (struct conf_name, n, &g->interfaces) {
			const char *why;

			if (conf_check_ifname(n->hdr.name, &why))
				conf_error(ctx, &n->hdr.loc, "garp_group interfaces: '%s' %s",
					   n->hdr.name, why);
			else
				garp_check_name(ctx, m, g, n->hdr.name, &n->hdr.loc);
		}
	}
}

static void check_if_delays(struct conf_ctx *ctx, struct conf_model *m)
{
	conf_list_for_each (struct conf_if_delay, d, &m->vrrp.if_delays) {
		conf_list_for_each (struct conf_if_delay, e, &m->vrrp.if_delays) {
			if (e == d)
				break;
			if (!strcmp(e->hdr.name, d->hdr.name)) {
				conf_error(ctx, &d->hdr.loc,
					   "interface_up_down_delays: %s already has delays at "
					   "line %u",
					   d->hdr.name, e->hdr.loc.line);
				break;
			}
		}
		/* A backup would time out before this one went to FAULT. */
		conf_list_for_each (struct conf_vrrp_instance, vi, &m->vrrp.instances) {
			uint64_t lim;

			if (!vi->interface || strcmp(vi->interface, d->hdr.name) ||
			    vi->down_timer_adverts < 2)
				continue;
			lim = (uint64_t)(vi->down_timer_adverts - 1) * vi->advert_int;
			if (d->down_us >= lim)
				conf_warn(ctx, &d->hdr.loc,
					  "interface_up_down_delays: the down delay of %s (%.6g s) "
					  "is not "
					  "below %u advert intervals of vrrp_instance %s (%.6g s)",
					  d->hdr.name, (double)d->down_us / 1e6,
					  vi->down_timer_adverts - 1, vi->hdr.name,
					  (double)lim / 1e6);
		}
	}
}

/* Does a come before b in the configuration? Only known within one file. */
static bool loc_before(const struct conf_loc *a, const struct conf_loc *b)
{
	return a->file && b->file && !strcmp(a->file, b->file) && a->line < b->line;
}

/*
 * The deprecated vrrp_instance lvs_sync_daemon_interface: as in keepalived
 * 2.2.7, the first sync daemon given in the file wins (global lvs_sync_daemon
 * or an instance's), and the others are ignored with a warning.
 */
static void apply_instance_syncd(struct conf_ctx *ctx, struct conf_model *m)
{
	struct conf_lvs_sync_daemon *sd = &m->global.lvs_sync_daemon;

	conf_list_for_each (struct conf_vrrp_instance, vi, &m->vrrp.instances) {
		const struct conf_loc *at = &vi->lvs_sync_daemon_interface_loc;

		if (!vi->lvs_sync_daemon_interface)
			continue;
		if (sd->interface && !loc_before(at, &sd->loc)) {
			conf_warn(ctx, at,
				  "lvs_sync_daemon_interface: the sync daemon is already given as "
				  "'%s%s%s' at %s:%u; ignored",
				  sd->interface, sd->instance ? " " : "",
				  sd->instance ? sd->instance : "", sd->loc.file, sd->loc.line);
			continue;
		}
		if (sd->interface)
			conf_warn(ctx, &sd->loc,
				  "lvs_sync_daemon: the sync daemon is already given by "
				  "lvs_sync_daemon_interface at %s:%u (first one wins, as in "
				  "keepalived); ignored",
				  at->file, at->line);
		memset(sd, 0, sizeof(*sd));
		sd->interface = vi->lvs_sync_daemon_interface;
		sd->instance = (char *)vi->hdr.name;
		sd->loc = *at;
		sd->syncid = CONF_UNSET;
		sd->port = 8848;
	}
}

static void check_sync_daemon(struct conf_ctx *ctx, struct conf_model *m)
{
	struct conf_lvs_sync_daemon *sd = &m->global.lvs_sync_daemon;
	struct conf_vrrp_instance *vi;

	apply_instance_syncd(ctx, m);
	if (!sd->interface)
		return;
	if (!sd->instance) {
		if (sd->syncid == CONF_UNSET)
			sd->syncid = 0;
		return;
	}
	vi = conf_list_find(&m->vrrp.instances, sd->instance);
	if (!vi) {
		ref_error(ctx, &sd->loc, "vrrp_instance", sd->instance, &m->vrrp.instances,
			  "lvs_sync_daemon");
		return;
	}
	if (sd->syncid == CONF_UNSET)
		sd->syncid = vi->vrid;
}

unsigned conf_validate_vrrp(struct conf_ctx *ctx, struct conf_model *m)
{
	unsigned before = ctx->n_errors;

	resolve_global(&m->global);
	conf_list_for_each (struct conf_vrrp_script, s, &m->vrrp.scripts)
		if (s->timeout == CONF_UNSET_TIMER)
			s->timeout = s->interval;
	conf_list_for_each (struct conf_vrrp_instance, vi, &m->vrrp.instances)
		resolve_instance(ctx, m, vi);
	check_dup_vrid(ctx, m);
	check_sync_groups(ctx, m);
	check_statics(ctx, m);
	check_garp_groups(ctx, m);
	check_if_delays(ctx, m);
	check_sync_daemon(ctx, m);
	return ctx->n_errors - before;
}
