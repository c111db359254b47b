/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks on the LVS side that need more than one block: virtual_server group
 * references, address families of virtual, real and sorry servers,
 * duplicates, and the inheritance of settings from virtual server to real
 * server to checker (after this, every inherited field holds its effective
 * value).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/model.h"

static const char *fam_name(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

static uint64_t pick_timer(uint64_t a, uint64_t b)
{
	return a != CONF_LVS_UNSET_TIMER ? a : b;
}

static unsigned pick_uint(unsigned a, unsigned b)
{
	return a != CONF_LVS_UNSET_UINT ? a : b;
}

static int8_t pick_tri(int8_t a, int8_t b)
{
	return a != CONF_TRI_UNSET ? a : b;
}

/* keepalived's defaults per checker kind when nothing above sets them. */
static unsigned default_retry(int kind)
{
	switch (kind) {
	case CONF_CHECK_DNS:
		return 3;
	case CONF_CHECK_MISC:
		return 0;
	default:
		return 1;
	}
}

static uint64_t default_delay_before_retry(int kind, uint64_t delay_loop)
{
	switch (kind) {
	case CONF_CHECK_HTTP:
	case CONF_CHECK_SSL:
		return 3 * US_PER_SEC;
	case CONF_CHECK_DNS:
		return delay_loop;
	default:
		return 1 * US_PER_SEC;
	}
}

/* Inherit from `up` (a real server view or the SMTP_CHECK a host sits in). */
struct inherit {
	uint64_t connect_timeout, delay_before_retry, warmup, delay_loop;
	unsigned retry;
	int8_t alpha, log_all_failures;
	struct conf_addr addr;
	unsigned port;
	int kind; /* for the per-kind defaults */
};

static unsigned resolve_check(struct conf_ctx *ctx, struct conf_check *c, const struct inherit *up,
			      const struct conf_rs *rs)
{
	int kind = c->kind == CONF_CHECK_SMTP_HOST ? CONF_CHECK_SMTP : c->kind;

	c->delay_loop = pick_timer(c->delay_loop, up->delay_loop);
	c->connect_timeout = pick_timer(c->connect_timeout, up->connect_timeout);
	c->retry = pick_uint(c->retry, pick_uint(up->retry, default_retry(kind)));
	c->delay_before_retry = pick_timer(
		c->delay_before_retry, pick_timer(up->delay_before_retry,
						  default_delay_before_retry(kind, c->delay_loop)));
	c->warmup = pick_timer(c->warmup, pick_timer(up->warmup, c->delay_loop));
	c->alpha = pick_tri(c->alpha, up->alpha);
	c->log_all_failures = pick_tri(c->log_all_failures, up->log_all_failures);
	if (c->kind == CONF_CHECK_MISC)
		c->misc_timeout = pick_timer(c->misc_timeout, c->delay_loop);

	if (kind == CONF_CHECK_MISC || kind == CONF_CHECK_FILE)
		return 0;
	/* An explicit connect_ip was compared with bindto in the block's finish. */
	bool inherited_ip = !c->connect_ip.family;

	if (inherited_ip)
		c->connect_ip = up->addr;
	if (inherited_ip && c->bindto.family && c->bindto.family != c->connect_ip.family) {
		conf_error(ctx, &c->hdr.loc,
			   "%s on real_server %s: bindto is %s but the checked address is %s",
			   conf_check_kind_names[c->kind], rs->hdr.name, fam_name(c->bindto.family),
			   fam_name(c->connect_ip.family));
		return 1;
	}
	if (!c->connect_port)
		c->connect_port = up->port;
	if (!c->connect_port && kind == CONF_CHECK_SMTP)
		c->connect_port = 25;
	if (!c->connect_port && kind == CONF_CHECK_DNS)
		c->connect_port = 53;
	if (!c->connect_port && kind != CONF_CHECK_PING) {
		conf_error(ctx, &c->hdr.loc,
			   "%s on real_server %s: no port to connect to; set connect_port",
			   conf_check_kind_names[c->kind], rs->hdr.name);
		return 1;
	}
	return 0;
}

static unsigned resolve_checks(struct conf_ctx *ctx, struct conf_list *l, const struct inherit *up,
			       const struct conf_rs *rs)
{
	unsigned n = 0;

	conf_list_for_each (struct conf_check, c, l) {
		n += resolve_check(ctx, c, up, rs);
		if (c->kind == CONF_CHECK_SMTP) {
			struct inherit h = {
				.connect_timeout = c->connect_timeout,
				.delay_before_retry = c->delay_before_retry,
				.warmup = c->warmup,
				.delay_loop = c->delay_loop,
				.retry = c->retry,
				.alpha = c->alpha,
				.log_all_failures = c->log_all_failures,
				.addr = c->connect_ip,
				.port = c->connect_port,
			};
			n += resolve_checks(ctx, &c->hosts, &h, rs);
		}
	}
	return n;
}

/*
 * A real or sorry server's port, as keepalived 2.2.7 sets it: NAT keeps the
 * port written (none: the virtual server's, unless by fwmark). DR and TUN
 * cannot change the port, so keepalived takes the virtual server's, clearing
 * it for a fwmark service and resetting one that differs, with a warning; in
 * a virtual_server_group it only warns.
 */
static void resolve_port(struct conf_ctx *ctx, const struct conf_vs *vs, const struct conf_loc *loc,
			 const char *what, int method, unsigned *port)
{
	if (method == CONF_FWD_NAT) {
		if (!*port && vs->kind == CONF_VS_ADDR)
			*port = vs->port;
		return;
	}
	if (vs->kind == CONF_VS_GROUP) {
		bool warned = false;

		if (!*port || !vs->vsg)
			return;
		conf_list_for_each (const struct conf_vsg_entry, e, &vs->vsg->entries) {
			if (warned || (!e->is_fwmark && e->port == *port))
				continue;
			conf_warn(ctx, loc,
				  "%s: port %u %s with lvs_method %s (the kernel uses the port the "
				  "client connected to)",
				  what, *port,
				  e->is_fwmark ? "is ignored for the fwmark entries of the group"
					       : "differs from a port of the group",
				  method == CONF_FWD_DR ? "DR" : "TUN");
			warned = true;
		}
		return;
	}
	if (vs->kind == CONF_VS_FWMARK) {
		if (*port)
			conf_warn(ctx, loc,
				  "%s: the port is cleared, as in keepalived: a fwmark service with "
				  "lvs_method %s sends to the port the client connected to",
				  what, method == CONF_FWD_DR ? "DR" : "TUN");
		*port = 0;
		return;
	}
	if (*port && *port != vs->port)
		conf_warn(ctx, loc,
			  "%s: port %u differs from virtual_server %s; with lvs_method %s the port "
			  "cannot change, so it is %u, as in keepalived",
			  what, *port, vs->hdr.name, method == CONF_FWD_DR ? "DR" : "TUN", vs->port);
	*port = vs->port;
}

static unsigned resolve_rs(struct conf_ctx *ctx, struct conf_vs *vs, struct conf_rs *rs)
{
	struct inherit up;
	unsigned n = 0;
	char what[CONF_ADDRSTRLEN + 32];

	if (!rs->fwd.method)
		rs->fwd = vs->fwd;
	/* Checkers connect to the port as written, as keepalived's do (they copy
	 * the address before the port is changed below); none: the resolved one. */
	unsigned written = rs->port;

	snprintf(what, sizeof(what), "real_server %s", rs->hdr.name);
	resolve_port(ctx, vs, &rs->hdr.loc, what, rs->fwd.method, &rs->port);
	rs->delay_loop = pick_timer(rs->delay_loop, vs->delay_loop);
	rs->connect_timeout = pick_timer(rs->connect_timeout, vs->connect_timeout);
	rs->delay_before_retry = pick_timer(rs->delay_before_retry, vs->delay_before_retry);
	rs->warmup = pick_timer(rs->warmup, vs->warmup);
	rs->retry = pick_uint(rs->retry, vs->retry);
	rs->alpha = pick_tri(rs->alpha, vs->alpha);
	rs->inhibit_on_failure = pick_tri(rs->inhibit_on_failure, vs->inhibit_on_failure);
	if (!rs->virtualhost)
		rs->virtualhost = vs->virtualhost;

	up = (struct inherit){
		.connect_timeout = rs->connect_timeout,
		.delay_before_retry = rs->delay_before_retry,
		.warmup = rs->warmup,
		.delay_loop = rs->delay_loop,
		.retry = rs->retry,
		.alpha = rs->alpha,
		.log_all_failures = CONF_TRI_UNSET,
		.addr = rs->addr,
		.port = written ? written : rs->port,
	};
	struct conf_list *lists[] = { &rs->tcp_checks,	&rs->http_checks, &rs->ssl_checks,
				      &rs->smtp_checks, &rs->dns_checks,  &rs->misc_checks,
				      &rs->udp_checks,	&rs->ping_checks, &rs->file_checks };
	for (unsigned i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		n += resolve_checks(ctx, lists[i], &up, rs);
	return n;
}

/* The address family of vs, or AF_UNSPEC when it has none of its own
 * (fwmark, fwmark-only group, or a group mixing IPv4 and IPv6). */
static int vs_own_family(const struct conf_vs *vs, bool *mixed)
{
	*mixed = false;
	if (vs->kind == CONF_VS_ADDR)
		return vs->addr.family;
	if (vs->kind == CONF_VS_GROUP && vs->vsg) {
		if (vs->vsg->has_v4 && vs->vsg->has_v6) {
			*mixed = true;
			return AF_UNSPEC;
		}
		if (vs->vsg->has_v4)
			return AF_INET;
		if (vs->vsg->has_v6)
			return AF_INET6;
		conf_list_for_each (const struct conf_vsg_entry, e, &vs->vsg->entries)
			if (e->family)
				return e->family;
	}
	return AF_UNSPEC;
}

static unsigned check_families(struct conf_ctx *ctx, struct conf_vs *vs)
{
	bool mixed;
	int fam = vs_own_family(vs, &mixed), tun_fam = AF_UNSPEC;
	bool tun_same = true;
	unsigned n = 0;

	if (vs->family >= 0) {
		int want = vs->family == CONF_FAMILY_INET6 ? AF_INET6 : AF_INET;

		if (fam && fam != want) {
			conf_error(ctx, &vs->hdr.loc,
				   "virtual_server %s: ip_family says %s but its addresses are %s",
				   vs->hdr.name, fam_name(want), fam_name(fam));
			n++;
		}
		if (!mixed)
			fam = want;
	}

	conf_list_for_each (struct conf_rs, rs, &vs->real_servers) {
		int af = rs->addr.family;
		int method = rs->fwd.method ? rs->fwd.method : vs->fwd.method;

		if (method == CONF_FWD_TUN) {
			if (tun_fam && tun_fam != af)
				tun_same = false;
			tun_fam = af;
			continue;
		}
		if (mixed) {
			conf_error(ctx, &rs->hdr.loc,
				   "real_server %s: virtual_server_group %s mixes IPv4 and IPv6, "
				   "so every real server must use lvs_method TUN",
				   rs->hdr.name, vs->group);
			n++;
		} else if (!fam) {
			fam = af;
		} else if (af != fam) {
			conf_error(ctx, &rs->hdr.loc,
				   "real_server %s: is %s but virtual_server %s is %s (only TUN "
				   "real servers may differ)",
				   rs->hdr.name, fam_name(af), vs->hdr.name, fam_name(fam));
			n++;
		}
	}
	if (vs->sorry.set) {
		const struct conf_lvs_fwd *f = vs->sorry.fwd.method ? &vs->sorry.fwd : &vs->fwd;
		int af = vs->sorry.addr.family;

		if (f->method == CONF_FWD_TUN) {
			if (tun_fam && tun_fam != af)
				tun_same = false;
			tun_fam = af;
		} else if (mixed) {
			conf_error(ctx, &vs->sorry.loc,
				   "sorry_server: virtual_server_group %s mixes IPv4 and IPv6, so "
				   "the sorry server must use TUN",
				   vs->group);
			n++;
		} else if (!fam) {
			fam = af;
		} else if (af != fam) {
			conf_error(ctx, &vs->sorry.loc,
				   "sorry_server: is %s but virtual_server %s is %s (only a TUN "
				   "sorry server may differ)",
				   fam_name(af), vs->hdr.name, fam_name(fam));
			n++;
		}
	}
	if (!fam && !mixed)
		fam = vs->persistence_granularity ? vs->pgran_family
		      : tun_fam && tun_same	  ? tun_fam
						  : AF_INET;
	if (vs->persistence_granularity && !mixed && vs->pgran_family != fam) {
		conf_error(ctx, &vs->hdr.loc,
			   "virtual_server %s: persistence_granularity is an %s mask but the "
			   "service is %s",
			   vs->hdr.name, fam_name(vs->pgran_family), fam_name(fam));
		n++;
	}
	if (mixed && vs->family < 0)
		fam = AF_INET;
	if (mixed && vs->family >= 0)
		fam = vs->family == CONF_FAMILY_INET6 ? AF_INET6 : AF_INET;
	vs->family = fam == AF_INET6 ? CONF_FAMILY_INET6 : CONF_FAMILY_INET;
	return n;
}

/* ---- duplicates: what the kernel can hold only once ---- */

/* Orders addresses by family, then numerically (network order bytes). */
static int addr_cmp(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET)
		return memcmp(&a->u.v4, &b->u.v4, sizeof(a->u.v4));
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return 0;
}

static int cmp_uint(unsigned long long a, unsigned long long b)
{
	return a < b ? -1 : a > b;
}

struct rs_ref {
	const struct conf_rs *rs;
	unsigned order;
};

/* A real server's key in the kernel is its address and port (the port is
 * resolved by now); equal keys keep their config order. */
static int rs_ref_cmp(const void *pa, const void *pb)
{
	const struct rs_ref *a = pa, *b = pb;
	int c = addr_cmp(&a->rs->addr, &b->rs->addr);

	if (!c)
		c = cmp_uint(a->rs->port, b->rs->port);
	return c ? c : cmp_uint(a->order, b->order);
}

static unsigned oom(struct conf_ctx *ctx, const struct conf_loc *loc, const char *what)
{
	conf_error(ctx, loc, "out of memory checking %s for duplicates", what);
	return 1;
}

/* The same real server twice in one virtual_server: sorted, so that a
 * virtual_server with thousands of them costs n log n. */
static unsigned check_rs_dups(struct conf_ctx *ctx, const struct conf_vs *vs)
{
	unsigned cnt = vs->real_servers.count, i = 0, n = 0;
	struct rs_ref *v;

	if (cnt < 2)
		return 0;
	v = calloc(cnt, sizeof(*v));
	if (!v)
		return oom(ctx, &vs->hdr.loc, "real servers");
	conf_list_for_each (const struct conf_rs, rs, &vs->real_servers) {
		if (i == cnt)
			break;
		v[i].rs = rs;
		v[i].order = i;
		i++;
	}
	qsort(v, i, sizeof(*v), rs_ref_cmp);
	for (unsigned k = 1, first = 0; k < i; k++) {
		if (addr_cmp(&v[k].rs->addr, &v[first].rs->addr) ||
		    v[k].rs->port != v[first].rs->port) {
			first = k;
			continue;
		}
		conf_error(ctx, &v[k].rs->hdr.loc,
			   "real_server %s: duplicate in virtual_server %s (first at line %u): "
			   "the kernel holds one real server per address and port",
			   v[k].rs->hdr.name, vs->hdr.name, v[first].rs->hdr.loc.line);
		n++;
	}
	free(v);
	return n;
}

/*
 * One kernel service key, or a range of them, that a virtual_server
 * declares: its own address or fwmark (e NULL), or one entry of its group.
 * Address keys are af + protocol + port + lo..hi; fwmark keys af + fwmark.
 */
struct svc_key {
	const struct conf_vs *vs;
	const struct conf_vsg_entry *e;
	unsigned vs_index, order;
	int af;
	bool fw;
	uint32_t fwmark;
	unsigned proto, port;
	struct conf_addr lo, hi;
};

static int key_class_cmp(const struct svc_key *a, const struct svc_key *b)
{
	int c = cmp_uint(a->fw, b->fw);

	if (!c)
		c = cmp_uint((unsigned)a->af, (unsigned)b->af);
	if (!c && a->fw)
		return cmp_uint(a->fwmark, b->fwmark);
	if (!c)
		c = cmp_uint(a->proto, b->proto);
	if (!c)
		c = cmp_uint(a->port, b->port);
	return c;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct svc_key *a = pa, *b = pb;
	int c = key_class_cmp(a, b);

	if (!c)
		c = addr_cmp(&a->lo, &b->lo);
	return c ? c : cmp_uint(a->order, b->order);
}

static int vs_af(const struct conf_vs *vs)
{
	return vs->family == CONF_FAMILY_INET6 ? AF_INET6 : AF_INET;
}

static const char *proto_name(unsigned p)
{
	return p == CONF_PROTO_UDP ? "UDP" : p == CONF_PROTO_SCTP ? "SCTP" : "TCP";
}

/* "virtual_server NAME" or "virtual_server_group G entry TEXT (used by
 * virtual_server group G, PROTO, at line N)". */
static void key_place(const struct svc_key *k, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN], b[CONF_ADDRSTRLEN], port[16] = "";
	const struct conf_vsg_entry *e = k->e;

	if (!e) {
		snprintf(buf, len, "virtual_server %s", k->vs->hdr.name);
		return;
	}
	if (e->is_fwmark) {
		snprintf(buf, len,
			 "virtual_server_group %s entry fwmark %u (used by virtual_server group %s "
			 "at line %u)",
			 k->vs->group, e->fwmark, k->vs->group, k->vs->hdr.loc.line);
		return;
	}
	if (e->port)
		snprintf(port, sizeof(port), " %u", e->port);
	conf_addr_str(&e->first, a);
	conf_addr_str(&e->last, b);
	snprintf(buf, len,
		 "virtual_server_group %s entry %s%s%s%s (used by virtual_server group %s, %s, at "
		 "line %u)",
		 k->vs->group, a, e->n_addrs > 1 ? "-" : "", e->n_addrs > 1 ? b : "", port,
		 k->vs->group, proto_name(k->proto), k->vs->hdr.loc.line);
}

static bool entries_equal(const struct conf_vsg_entry *a, const struct conf_vsg_entry *b)
{
	if (a->is_fwmark || b->is_fwmark)
		return a->is_fwmark == b->is_fwmark && a->fwmark == b->fwmark &&
		       a->family == b->family;
	return a->port == b->port && a->n_addrs == b->n_addrs &&
	       conf_addr_equal(&a->first, &b->first);
}

/* a and b declare at least the service at `at` (b's first address). The
 * later one in config order is the error. reported[] (one per
 * virtual_server) keeps a group used twice to one error. */
static unsigned report_overlap(struct conf_ctx *ctx, const struct svc_key *a,
			       const struct svc_key *b, bool *reported)
{
	const struct svc_key *first = a->order < b->order ? a : b;
	const struct svc_key *later = first == a ? b : a;
	char p1[512], p2[512], svc[96], addr[CONF_ADDRSTRLEN];

	if (reported[later->vs_index])
		return 0;
	/* Two equal entries of one group: the parser reported it already. */
	if (later->e && first->e && later->e != first->e && later->vs->vsg == first->vs->vsg &&
	    entries_equal(later->e, first->e))
		return 0;
	/* The same declaration twice: one message per virtual_server. */
	if (later->e == first->e) {
		reported[later->vs_index] = true;
		conf_error(ctx, &later->vs->hdr.loc,
			   "virtual_server %s: defined twice (first at %s:%u): the kernel holds "
			   "each service once",
			   later->vs->hdr.name, first->vs->hdr.loc.file, first->vs->hdr.loc.line);
		return 1;
	}
	if (b->fw)
		snprintf(svc, sizeof(svc), "fwmark %u (%s)", b->fwmark, fam_name(b->af));
	else
		snprintf(svc, sizeof(svc), "%s %s port %u", proto_name(b->proto),
			 conf_addr_str(&b->lo, addr), b->port);
	key_place(later, p1, sizeof(p1));
	key_place(first, p2, sizeof(p2));
	conf_error(ctx, later->e ? &later->e->hdr.loc : &later->vs->hdr.loc,
		   "%s: the service %s is already declared by %s at %s:%u; the kernel holds "
		   "each service once",
		   p1, svc, p2, first->e ? first->e->hdr.loc.file : first->vs->hdr.loc.file,
		   first->e ? first->e->hdr.loc.line : first->vs->hdr.loc.line);
	return 1;
}

static void key_of_vs(struct svc_key *k, const struct conf_vs *vs)
{
	memset(k, 0, sizeof(*k));
	k->vs = vs;
	if (vs->kind == CONF_VS_FWMARK) {
		k->fw = true;
		k->af = vs_af(vs);
		k->fwmark = vs->fwmark;
		return;
	}
	k->af = vs->addr.family;
	k->proto = (unsigned)vs->protocol;
	k->port = vs->port;
	k->lo = k->hi = vs->addr;
}

static void key_of_entry(struct svc_key *k, const struct conf_vs *vs,
			 const struct conf_vsg_entry *e)
{
	memset(k, 0, sizeof(*k));
	k->vs = vs;
	k->e = e;
	if (e->is_fwmark) {
		k->fw = true;
		k->af = e->family ? e->family : vs_af(vs);
		k->fwmark = e->fwmark;
		return;
	}
	k->af = e->first.family;
	k->proto = (unsigned)vs->protocol;
	k->port = e->port;
	k->lo = e->first;
	k->hi = e->last;
}

/*
 * Two declarations of one kernel service: the same virtual_server twice, a
 * group entry (or range) covering another virtual_server's address or an
 * entry of another (or the same) group, a fwmark declared twice, a group's
 * fwmark entry used by two virtual_servers. Sorted by key and swept once,
 * so a config with 10,000 services costs n log n, not n^2.
 */
static unsigned check_overlaps(struct conf_ctx *ctx, struct conf_model *m)
{
	unsigned cnt = 0, i = 0, vi = 0, order = 0, n = 0;
	const struct svc_key *best = NULL;
	struct svc_key *v;
	bool *reported;

	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers)
		cnt += vs->kind == CONF_VS_GROUP ? (vs->vsg ? vs->vsg->entries.count : 0) : 1;
	if (cnt < 2)
		return 0;
	v = calloc(cnt, sizeof(*v));
	reported = calloc(m->lvs.virtual_servers.count, sizeof(*reported));
	if (!v || !reported) {
		free(v);
		free(reported);
		return oom(ctx, &m->lvs.virtual_servers.head->loc, "virtual servers");
	}
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		if (vs->kind != CONF_VS_GROUP) {
			if (i < cnt) {
				key_of_vs(&v[i], vs);
				v[i].vs_index = vi;
				v[i++].order = order++;
			}
		} else if (vs->vsg) {
			conf_list_for_each (const struct conf_vsg_entry, e, &vs->vsg->entries) {
				if (i == cnt)
					break;
				key_of_entry(&v[i], vs, e);
				v[i].vs_index = vi;
				v[i++].order = order++;
			}
		}
		if (vi + 1 < m->lvs.virtual_servers.count)
			vi++;
	}
	qsort(v, i, sizeof(*v), key_cmp);
	/* best: the key of this class reaching furthest so far. */
	for (unsigned k = 0; k < i; k++) {
		const struct svc_key *x = &v[k];
		bool same = best && !key_class_cmp(best, x);

		if (same && addr_cmp(&x->lo, &best->hi) <= 0)
			n += report_overlap(ctx, best, x, reported);
		if (!same || addr_cmp(&x->hi, &best->hi) > 0)
			best = x;
	}
	free(v);
	free(reported);
	return n;
}
static unsigned check_vs(struct conf_ctx *ctx, struct conf_model *m, struct conf_vs *vs)
{
	unsigned n = 0;
	unsigned long long total = 0;
	bool persistent = vs->persistence_timeout != 0;
	bool by_addr = vs->kind == CONF_VS_ADDR;

	if (vs->kind == CONF_VS_GROUP) {
		vs->vsg = conf_list_find(&m->lvs.groups, vs->group);
		if (!vs->vsg) {
			conf_error(ctx, &vs->hdr.loc,
				   "virtual_server group %s: there is no virtual_server_group "
				   "named '%s'",
				   vs->group, vs->group);
			n++;
		} else if (!vs->vsg->entries.count) {
			conf_error(ctx, &vs->hdr.loc,
				   "virtual_server group %s: the group has no entries", vs->group);
			n++;
		} else {
			conf_list_for_each (const struct conf_vsg_entry, e, &vs->vsg->entries) {
				by_addr |= !e->is_fwmark;
				if (e->is_fwmark || e->port || persistent)
					continue;
				conf_warn(ctx, &e->hdr.loc,
					  "virtual_server_group %s: entry has no port, so virtual_server "
					  "group %s (line %u) is made persistent (%u s), as in "
					  "keepalived",
					  vs->group, vs->group, vs->hdr.loc.line,
					  CONF_LVS_PERSIST_DEFAULT);
				vs->persistence_timeout = CONF_LVS_PERSIST_DEFAULT;
				persistent = true;
			}
		}
	}
	/* keepalived 2.2.7: a service without a port is only valid persistent,
	 * so it makes it persistent. */
	if (vs->kind == CONF_VS_ADDR && !vs->port && !persistent) {
		conf_warn(ctx, &vs->hdr.loc,
			  "virtual_server %s: no port is only valid for a persistent service; made "
			  "persistent (persistence_timeout %u), as in keepalived",
			  vs->hdr.name, CONF_LVS_PERSIST_DEFAULT);
		vs->persistence_timeout = CONF_LVS_PERSIST_DEFAULT;
	}
	/* keepalived 2.2.7 (and the kernel, given protocol 0) use UDP. */
	if (vs->protocol == CONF_PROTO_UNSET) {
		if (by_addr)
			conf_warn(ctx, &vs->hdr.loc,
				  "virtual_server %s: no protocol given; UDP, as in keepalived "
				  "(write 'protocol TCP' for a TCP service)",
				  vs->hdr.name);
		vs->protocol = by_addr ? CONF_PROTO_UDP : CONF_PROTO_TCP;
	} else if (!by_addr && (vs->kind == CONF_VS_FWMARK || vs->vsg)) {
		conf_warn(ctx, &vs->hdr.loc,
			  "virtual_server %s: protocol is ignored for a fwmark service", vs->hdr.name);
	}

	n += check_families(ctx, vs);

	conf_list_for_each (struct conf_rs, rs, &vs->real_servers) {
		n += resolve_rs(ctx, vs, rs);
		total += rs->weight;
	}
	n += check_rs_dups(ctx, vs);
	if (vs->sorry.set && !vs->sorry.fwd.method)
		vs->sorry.fwd = vs->fwd;
	if (vs->sorry.set)
		resolve_port(ctx, vs, &vs->sorry.loc, "sorry_server", vs->sorry.fwd.method,
			     &vs->sorry.port);
	/* keepalived 2.2.7 lowers an unreachable quorum to the total weight (a
	 * total of 0 would make the service flap: it stays as written). */
	if (vs->real_servers.count && vs->quorum > total) {
		if (total)
			conf_warn(ctx, &vs->hdr.loc,
				  "virtual_server %s: quorum %u is above the total weight %llu of "
				  "its real servers; lowered to %llu, as in keepalived",
				  vs->hdr.name, vs->quorum, total, total);
		else
			conf_warn(ctx, &vs->hdr.loc,
				  "virtual_server %s: the real servers' total weight is 0, so quorum "
				  "%u is never reached",
				  vs->hdr.name, vs->quorum);
		if (total)
			vs->quorum = (unsigned)total;
	}
	if (vs->hysteresis && vs->hysteresis >= vs->quorum) {
		conf_warn(ctx, &vs->hdr.loc,
			  "virtual_server %s: hysteresis %u is not below quorum %u; set to %u, as "
			  "in keepalived",
			  vs->hdr.name, vs->hysteresis, vs->quorum, vs->quorum ? vs->quorum - 1 : 0);
		vs->hysteresis = vs->quorum ? vs->quorum - 1 : 0;
	}
	return n;
}

unsigned conf_validate_lvs(struct conf_ctx *ctx, struct conf_model *m)
{
	unsigned n = 0;

	conf_list_for_each (struct conf_vs, vs, &m->lvs.virtual_servers)
		n += check_vs(ctx, m, vs);
	/* After check_vs: the families and groups are resolved. */
	return n + check_overlaps(ctx, m);
}
