/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink messages for VRRP, pure (vrrp/netlink_msg.h): the builders
 * write one request (addresses, routes, rules, macvlan VMACs, link
 * deletion) from the config model into a caller's buffer; the parsers turn
 * one kernel message (RTM_NEWLINK/DELLINK, RTM_NEWADDR/DELADDR, an
 * NLMSG_ERROR's extended ack) into a plain struct. libmnl is used only for
 * its buffer and attribute helpers: no sockets, no loop, no globals. The
 * one outside read is a table or protocol NAME looked up in the iproute2
 * files (a number never reads anything). vrrp/netlink.c owns the sockets.
 *
 * Builders refuse what they cannot express (an unknown option, a name that
 * is too long, a message that would not fit) with a reason naming the
 * option; nothing is silently dropped.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vrrp/netlink_msg.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* linux/if.h; net/if.h lacks it */
#endif
#ifndef RTPROT_KEEPALIVED
#define RTPROT_KEEPALIVED 18
#endif

#define NL_INFINITY_LIFE_TIME 0xffffffffu /* "forever" in IFA_CACHEINFO */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	nlh->nlmsg_seq = seq;
	return nlh;
}

/* Every attribute goes through these: a full buffer is an error, never an
 * overflow and never a silently shortened message. */
struct mb {
	struct nlmsghdr *nlh;
	size_t size;
	bool full;
};

static void put(struct mb *m, uint16_t type, size_t len, const void *data)
{
	if (!m->full && !mnl_attr_put_check(m->nlh, m->size, type, len, data))
		m->full = true;
}

static void put_u8(struct mb *m, uint16_t type, uint8_t v)
{
	put(m, type, sizeof(v), &v);
}

static void put_u32(struct mb *m, uint16_t type, uint32_t v)
{
	put(m, type, sizeof(v), &v);
}

static void put_str(struct mb *m, uint16_t type, const char *s)
{
	put(m, type, strlen(s) + 1, s);
}

static void put_addr(struct mb *m, uint16_t type, const struct conf_addr *a)
{
	put(m, type, vrrp_nl_family_len(a->family), vrrp_nl_addr_bytes(a));
}

static struct nlattr *nest_start(struct mb *m, uint16_t type)
{
	struct nlattr *n = NULL;

	if (!m->full && !(n = mnl_attr_nest_start_check(m->nlh, m->size, type)))
		m->full = true;
	return n;
}

static void nest_end(struct mb *m, struct nlattr *n)
{
	if (!m->full && n)
		mnl_attr_nest_end(m->nlh, n);
}

static int mb_end(struct mb *m, char *err, size_t errlen)
{
	if (m->full)
		return fail(err, errlen, "the message does not fit in %zu bytes", m->size);
	return (int)m->nlh->nlmsg_len;
}

uint8_t vrrp_nl_scope(int conf_scope, uint8_t def)
{
	/* The order of conf_scope_names: global site link host nowhere. */
	static const uint8_t map[] = { RT_SCOPE_UNIVERSE, RT_SCOPE_SITE, RT_SCOPE_LINK,
				       RT_SCOPE_HOST, RT_SCOPE_NOWHERE };

	if (conf_scope < 0 || conf_scope >= (int)(sizeof(map) / sizeof(map[0])))
		return def;
	return map[conf_scope];
}

int vrrp_nl_table_id(const char *s, const char *path, uint32_t *out)
{
	unsigned long long v;

	if (conf_table_id(s, path, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int vrrp_nl_proto_id(const char *s, const char *path, uint8_t *out)
{
	unsigned long long v;

	if (conf_proto_id(s, path, &v))
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static uint32_t vip_ifa_flags(const struct conf_vip *v)
{
	uint32_t f = 0;

	if (v->nodad)
		f |= IFA_F_NODAD;
	if (v->home)
		f |= IFA_F_HOMEADDRESS;
	if (v->mngtmpaddr)
		f |= IFA_F_MANAGETEMPADDR;
	if (v->noprefixroute)
		f |= IFA_F_NOPREFIXROUTE;
	if (v->autojoin)
		f |= IFA_F_MCAUTOJOIN;
	return f;
}

int vrrp_nlmsg_addr(void *buf, size_t size, uint32_t seq, bool add, int ifindex,
		    const struct conf_vip *vip, char *err, size_t errlen)
{
	struct mb m = { .size = size };
	struct ifaddrmsg *ifa;
	const struct conf_prefix *a = &vip->addr;
	bool peer = vip->peer.addr.family != 0;
	uint32_t flags = vip_ifa_flags(vip);

	if (size < 64)
		return fail(err, errlen, "buffer too small");
	if (a->addr.family != AF_INET && a->addr.family != AF_INET6)
		return fail(err, errlen, "the address has no family");
	if (ifindex <= 0)
		return fail(err, errlen, "no interface");
	if (peer && vip->peer.addr.family != a->addr.family)
		return fail(err, errlen, "peer: the family differs from the address");
	if (vip->brd_mode != CONF_BRD_NONE && a->addr.family != AF_INET)
		return fail(err, errlen, "brd: IPv6 addresses have no broadcast address");
	if (vip->brd_mode == CONF_BRD_ADDR && vip->brd.family != AF_INET)
		return fail(err, errlen, "brd: not an IPv4 address");

	m.nlh = msg_start(buf, add ? RTM_NEWADDR : RTM_DELADDR,
			  add ? NLM_F_CREATE | NLM_F_REPLACE : 0, seq);
	ifa = mnl_nlmsg_put_extra_header(m.nlh, sizeof(*ifa));
	ifa->ifa_family = a->addr.family;
	ifa->ifa_prefixlen = peer ? vip->peer.len : a->len;
	ifa->ifa_flags = (uint8_t)(flags & 0xff);
	ifa->ifa_scope = vrrp_nl_scope(vip->scope, RT_SCOPE_UNIVERSE);
	ifa->ifa_index = (uint32_t)ifindex;

	put_addr(&m, IFA_LOCAL, &a->addr);
	put_addr(&m, IFA_ADDRESS, peer ? &vip->peer.addr : &a->addr);
	if (add && vip->brd_mode != CONF_BRD_NONE) {
		struct conf_addr b = { .family = AF_INET };
		uint32_t host = ntohl(a->addr.u.v4.s_addr);
		uint32_t mask = a->len >= 32 ? 0xffffffffu : a->len ? ~(0xffffffffu >> a->len) : 0;

		if (vip->brd_mode == CONF_BRD_ADDR)
			b = vip->brd;
		else if (vip->brd_mode == CONF_BRD_SET)
			b.u.v4.s_addr = htonl(a->len >= 31 ? host : host | ~mask);
		else
			b.u.v4.s_addr = htonl(host & mask);
		put_addr(&m, IFA_BROADCAST, &b);
	}
	if (add && vip->label) {
		if (!vip->label[0] || strlen(vip->label) >= IF_NAMESIZE)
			return fail(err, errlen, "label '%s' must be 1 to 15 characters",
				    vip->label);
		put_str(&m, IFA_LABEL, vip->label);
	}
	if (add && flags)
		put_u32(&m, IFA_FLAGS, flags);
	if (add && vip->preferred_lft != CONF_LFT_UNSET) {
		struct ifa_cacheinfo ci = { .ifa_valid = NL_INFINITY_LIFE_TIME };

		if (vip->preferred_lft == CONF_LFT_FOREVER)
			ci.ifa_prefered = NL_INFINITY_LIFE_TIME;
		else if (vip->preferred_lft >= 0 && vip->preferred_lft < NL_INFINITY_LIFE_TIME)
			ci.ifa_prefered = (uint32_t)vip->preferred_lft;
		else
			return fail(err, errlen, "preferred_lft %lld is out of range",
				    vip->preferred_lft);
		put(&m, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	return mb_end(&m, err, errlen);
}

void vrrp_nlmsg_addr_what(char *out, size_t size, bool add, const char *ifname,
			  const struct conf_vip *vip)
{
	char a[CONF_ADDRSTRLEN];
	struct conf_prefix p = vip->addr;

	p.has_len = true;
	conf_prefix_str(&p, a);
	snprintf(out, size, "%s %s dev %s", add ? "add" : "delete", a, ifname ? ifname : "?");
}

void vrrp_nlmsg_route_what(char *out, size_t size, bool add, const struct conf_route *r)
{
	char d[CONF_ADDRSTRLEN], v[CONF_ADDRSTRLEN];
	struct conf_prefix p = r->dst;

	p.has_len = true;
	if (!r->dst.len)
		snprintf(d, sizeof(d), "default");
	else
		conf_prefix_str(&p, d);
	snprintf(out, size, "%s route %s%s%s%s%s%s%s", add ? "add" : "delete", d,
		 r->via.family ? " via " : "", r->via.family ? conf_addr_str(&r->via, v) : "",
		 r->dev ? " dev " : "", r->dev ? r->dev : "", r->table ? " table " : "",
		 r->table ? r->table : "");
}

void vrrp_nlmsg_rule_what(char *out, size_t size, bool add, const struct conf_rule *r)
{
	char f[CONF_ADDRSTRLEN], t[CONF_ADDRSTRLEN];
	struct conf_prefix pf = r->from, pt = r->to;

	pf.has_len = pt.has_len = true;
	snprintf(out, size, "%s rule%s%s from %s to %s%s%s", add ? "add" : "delete",
		 r->not_ ? " not" : "", r->family == AF_INET6 ? " inet6" : "",
		 r->from.addr.family ? conf_prefix_str(&pf, f) : "all",
		 r->to.addr.family ? conf_prefix_str(&pt, t) : "all", r->table ? " table " : "",
		 r->table ? r->table : "");
}

static const uint8_t route_type_map[] = { RTN_UNICAST,	 RTN_BLACKHOLE, RTN_UNREACHABLE,
					  RTN_PROHIBIT,	 RTN_THROW,	RTN_LOCAL,
					  RTN_BROADCAST, RTN_ANYCAST,	RTN_MULTICAST };

static int resolve_dev(const struct vrrp_nlmsg_env *env, const char *name)
{
	return env && env->ifindex ? env->ifindex(env->ctx, name) : 0;
}

/* "FROM/TO" or "TO", numbers (conf resolved the names): from << 16 | to. */
static int parse_flow(const char *v, uint32_t *out)
{
	const char *slash = strchr(v, '/');
	unsigned long long f = 0, t;
	char buf[24];

	if (slash) {
		if ((size_t)(slash - v) >= sizeof(buf))
			return -1;
		memcpy(buf, v, (size_t)(slash - v));
		buf[slash - v] = '\0';
	}
	if ((slash && conf_iproute2_num(buf, 0xffff, &f)) ||
	    conf_iproute2_num(slash ? slash + 1 : v, 0xffff, &t))
		return -1;
	*out = (uint32_t)(f << 16 | t);
	return 0;
}

/*
 * The ip-route options kept as words in conf_route.opts ("NAME [lock] V"),
 * values as conf/route_opts.c left them: numbers (a time in kernel units),
 * a congestion control name, realms "F/T". metric: an RTA_METRICS member;
 * else an attribute of the message, of its size.
 */
enum { RO_METRIC, RO_METRIC_STR, RO_ATTR32, RO_ATTR8, RO_FLOW };

static const struct {
	const char *name;
	uint8_t kind;
	uint16_t type; /* RTAX_* or RTA_* */
	unsigned long long max;
	int family; /* 0: any */
} route_kept_opts[] = {
	{ "mtu", RO_METRIC, RTAX_MTU, 0xffffffffULL, 0 },
	{ "advmss", RO_METRIC, RTAX_ADVMSS, 0xffffffffULL, 0 },
	{ "reordering", RO_METRIC, RTAX_REORDERING, 0xffffffffULL, 0 },
	{ "window", RO_METRIC, RTAX_WINDOW, 0xffffffffULL, 0 },
	{ "cwnd", RO_METRIC, RTAX_CWND, 0xffffffffULL, 0 },
	{ "ssthresh", RO_METRIC, RTAX_SSTHRESH, 0xffffffffULL, 0 },
	{ "initcwnd", RO_METRIC, RTAX_INITCWND, 0xffffffffULL, 0 },
	{ "initrwnd", RO_METRIC, RTAX_INITRWND, 0xffffffffULL, 0 },
	{ "hoplimit", RO_METRIC, RTAX_HOPLIMIT, 255, 0 },
	{ "rtt", RO_METRIC, RTAX_RTT, 960000, 0 },
	{ "rttvar", RO_METRIC, RTAX_RTTVAR, 480000, 0 },
	{ "rto_min", RO_METRIC, RTAX_RTO_MIN, 120000, 0 },
	{ "features", RO_METRIC, RTAX_FEATURES, RTAX_FEATURE_ECN, 0 },
	{ "quickack", RO_METRIC, RTAX_QUICKACK, 1, 0 },
	{ "fastopen_no_cookie", RO_METRIC, RTAX_FASTOPEN_NO_COOKIE, 1, 0 },
	{ "congctl", RO_METRIC_STR, RTAX_CC_ALGO, 15, 0 },
	{ "expires", RO_ATTR32, RTA_EXPIRES, 0xffffffffULL, AF_INET6 },
	{ "pref", RO_ATTR8, RTA_PREF, 255, AF_INET6 },
	{ "ttl-propagate", RO_ATTR8, RTA_TTL_PROPAGATE, 1, 0 },
	{ "realms", RO_FLOW, RTA_FLOW, 0, AF_INET },
};

/* One kept option: its value written, at pass 0 the message's own
 * attributes, at pass 1 the metrics (inside the nest). */
static int route_kept_opt(struct mb *m, unsigned k, const char *v, int family, int pass, char *err,
			  size_t errlen)
{
	const char *o = route_kept_opts[k].name;
	uint8_t kind = route_kept_opts[k].kind;
	unsigned long long n = 0;
	uint32_t flow;

	if ((kind == RO_METRIC || kind == RO_METRIC_STR) != (pass == 1))
		return 0;
	if (route_kept_opts[k].family && route_kept_opts[k].family != family)
		return fail(err, errlen, "route option '%s' is not valid for this family", o);
	if (kind == RO_METRIC_STR) {
		if (!v[0] || strlen(v) > route_kept_opts[k].max)
			return fail(err, errlen, "route option '%s' needs a name", o);
		put_str(m, route_kept_opts[k].type, v);
		return 0;
	}
	if (kind == RO_FLOW) {
		if (parse_flow(v, &flow))
			return fail(err, errlen, "realms '%s' is not FROM/TO in numbers", v);
		put_u32(m, RTA_FLOW, flow);
		return 0;
	}
	if (conf_iproute2_num(v, route_kept_opts[k].max, &n))
		return fail(err, errlen, "route option '%s' needs a number 0-%llu", o,
			    route_kept_opts[k].max);
	if (kind == RO_ATTR8)
		put_u8(m, route_kept_opts[k].type, (uint8_t)n);
	else
		put_u32(m, route_kept_opts[k].type, (uint32_t)n);
	return 0;
}

static int route_opts(struct mb *m, const struct conf_route *r, char *err, size_t errlen)
{
	const unsigned n_opts = sizeof(route_kept_opts) / sizeof(route_kept_opts[0]);
	struct nlattr *nest = NULL;
	uint32_t lock = 0;
	unsigned i, k;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < r->opts.n; i++) {
			const char *o = r->opts.v[i];
			bool locked = false;

			for (k = 0; k < n_opts && strcmp(o, route_kept_opts[k].name); k++)
				;
			if (k == n_opts)
				return fail(err, errlen, "route option '%s' is not supported", o);
			if (i + 1 < r->opts.n && !strcmp(r->opts.v[i + 1], "lock")) {
				locked = true;
				i++;
			}
			if (++i >= r->opts.n)
				return fail(err, errlen, "route option '%s' needs a value", o);
			if (pass == 1 && !nest && route_kept_opts[k].kind <= RO_METRIC_STR)
				nest = nest_start(m, RTA_METRICS);
			if (route_kept_opt(m, k, r->opts.v[i], r->family, pass, err, errlen))
				return -1;
			if (locked && route_kept_opts[k].kind > RO_METRIC_STR)
				return fail(err, errlen, "route option '%s' has no lock form", o);
			if (locked)
				lock |= 1u << route_kept_opts[k].type;
		}
	}
	if (lock)
		put_u32(m, RTAX_LOCK, lock);
	if (nest)
		nest_end(m, nest);
	return 0;
}

static int route_nexthops(struct mb *m, const struct conf_route *r,
			  const struct vrrp_nlmsg_env *env, char *err, size_t errlen)
{
	struct nlattr *mp = nest_start(m, RTA_MULTIPATH);
	unsigned i;

	for (i = 0; i < r->n_nexthops && !m->full; i++) {
		const struct conf_nexthop *nh = &r->nexthops[i];
		struct rtnexthop *rtnh;
		int idx = 0;

		if (nh->dev && (idx = resolve_dev(env, nh->dev)) <= 0)
			return fail(err, errlen, "nexthop dev %s: no such interface", nh->dev);
		if (nh->via.family && nh->via.family != r->family)
			return fail(err, errlen, "nexthop via: the family differs from the route");
		if (m->nlh->nlmsg_len + RTNH_ALIGN(sizeof(*rtnh)) > m->size) {
			m->full = true;
			break;
		}
		rtnh = mnl_nlmsg_get_payload_tail(m->nlh);
		memset(rtnh, 0, RTNH_ALIGN(sizeof(*rtnh)));
		m->nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		rtnh->rtnh_flags = nh->onlink ? RTNH_F_ONLINK : 0;
		rtnh->rtnh_hops = (uint8_t)(nh->weight ? nh->weight - 1 : 0);
		rtnh->rtnh_ifindex = idx;
		if (nh->via.family)
			put_addr(m, RTA_GATEWAY, &nh->via);
		rtnh->rtnh_len =
			(unsigned short)((char *)mnl_nlmsg_get_payload_tail(m->nlh) - (char *)rtnh);
	}
	nest_end(m, mp);
	return 0;
}

int vrrp_nlmsg_route(void *buf, size_t size, uint32_t seq, bool add, const struct conf_route *r,
		     const struct vrrp_nlmsg_env *env, char *err, size_t errlen)
{
	struct mb m = { .size = size };
	struct rtmsg *rtm;
	uint32_t table = RT_TABLE_MAIN;
	uint8_t proto = RTPROT_KEEPALIVED;
	uint8_t type;
	int oif = 0;

	if (size < 64)
		return fail(err, errlen, "buffer too small");
	if (r->family != AF_INET && r->family != AF_INET6)
		return fail(err, errlen, "the route has no family");
	if (r->dst.addr.family && r->dst.addr.family != r->family)
		return fail(err, errlen, "to: the family differs from the route");
	if (r->type < 0 || r->type >= (int)sizeof(route_type_map))
		return fail(err, errlen, "type %d is unknown", r->type);
	if (r->or_via.family)
		return fail(err, errlen, "route option 'or' is not supported");
	if (r->table && vrrp_nl_table_id(r->table, env ? env->rt_tables : NULL, &table))
		return fail(err, errlen, "table '%s' is not a number or a known table name",
			    r->table);
	if (r->protocol && vrrp_nl_proto_id(r->protocol, env ? env->rt_protos : NULL, &proto))
		return fail(err, errlen, "protocol '%s' is not a number or a known protocol name",
			    r->protocol);
	if (r->dev && (oif = resolve_dev(env, r->dev)) <= 0)
		return fail(err, errlen, "dev %s: no such interface", r->dev);
	if ((r->via.family && r->via.family != r->family) ||
	    (r->src.family && r->src.family != r->family) ||
	    (r->from.addr.family && r->from.addr.family != r->family))
		return fail(err, errlen, "the route's addresses mix IPv4 and IPv6");
	type = route_type_map[r->type];

	m.nlh = msg_start(buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
			  add ? NLM_F_CREATE | (r->append ? NLM_F_APPEND : NLM_F_REPLACE) : 0, seq);
	rtm = mnl_nlmsg_put_extra_header(m.nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->dst.len;
	rtm->rtm_src_len = r->from.addr.family ? r->from.len : 0;
	rtm->rtm_tos = (uint8_t)r->tos;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	if (add) {
		/* As ip-route: local routes are host scope, broadcast/anycast/
		 * multicast and gateway-less unicast routes link scope. */
		uint8_t def = RT_SCOPE_UNIVERSE;

		if (type == RTN_LOCAL)
			def = RT_SCOPE_HOST;
		else if (type == RTN_BROADCAST || type == RTN_MULTICAST || type == RTN_ANYCAST)
			def = RT_SCOPE_LINK;
		else if (type == RTN_UNICAST && !r->via.family && !r->n_nexthops)
			def = RT_SCOPE_LINK;
		rtm->rtm_protocol = proto;
		rtm->rtm_scope = vrrp_nl_scope(r->scope, def);
		rtm->rtm_type = type;
	} else {
		/* Delete matches any protocol/scope/type unless given. */
		rtm->rtm_protocol = r->protocol ? proto : RTPROT_UNSPEC;
		rtm->rtm_scope = vrrp_nl_scope(r->scope, RT_SCOPE_NOWHERE);
		rtm->rtm_type = r->type ? type : RTN_UNSPEC;
	}
	if (r->onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;

	if (r->dst.len)
		put_addr(&m, RTA_DST, &r->dst.addr);
	if (r->from.addr.family && r->from.len)
		put_addr(&m, RTA_SRC, &r->from.addr);
	if (r->src.family)
		put_addr(&m, RTA_PREFSRC, &r->src);
	if (r->via.family)
		put_addr(&m, RTA_GATEWAY, &r->via);
	if (oif)
		put_u32(&m, RTA_OIF, (uint32_t)oif);
	if (r->has_metric)
		put_u32(&m, RTA_PRIORITY, r->metric);
	if (table >= 256)
		put_u32(&m, RTA_TABLE, table);
	if (route_opts(&m, r, err, errlen))
		return -1;
	if (r->n_nexthops && route_nexthops(&m, r, env, err, errlen))
		return -1;
	return mb_end(&m, err, errlen);
}

static const uint8_t rule_action_map[] = { FR_ACT_TO_TBL,    FR_ACT_GOTO,	 FR_ACT_NOP,
					   FR_ACT_BLACKHOLE, FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT };

/* "LOW-HIGH" or "N". */
static int parse_range(const char *s, unsigned long long max, uint32_t *lo, uint32_t *hi)
{
	char buf[48];
	const char *dash = strchr(s, '-');
	unsigned long long a, b;

	if (!dash)
		dash = s + strlen(s);
	if ((size_t)(dash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (conf_iproute2_num(buf, max, &a))
		return -1;
	b = a;
	if (*dash && conf_iproute2_num(dash + 1, max, &b))
		return -1;
	if (a > b)
		return -1;
	*lo = (uint32_t)a;
	*hi = (uint32_t)b;
	return 0;
}

static int rule_ipproto(const char *s, uint8_t *out)
{
	unsigned long long v;

	if (conf_ipproto_id(s, &v))
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static int rule_opts(struct mb *m, const struct conf_rule *r, const struct vrrp_nlmsg_env *env,
		     char *err, size_t errlen)
{
	unsigned i;

	for (i = 0; i < r->opts.n; i += 2) {
		const char *o = r->opts.v[i];
		const char *v = i + 1 < r->opts.n ? r->opts.v[i + 1] : NULL;
		unsigned long long n;
		uint32_t lo, hi;
		uint8_t u8;

		if (!v)
			return fail(err, errlen, "rule option '%s' needs a value", o);
		if (!strcmp(o, "suppress_prefixlength")) {
			if (conf_iproute2_num(v, 128, &n))
				return fail(err, errlen, "suppress_prefixlength '%s' is not 0-128",
					    v);
			put_u32(m, FRA_SUPPRESS_PREFIXLEN, (uint32_t)n);
		} else if (!strcmp(o, "suppress_ifgroup")) {
			if (conf_iproute2_num(v, 0xffffffffULL, &n))
				return fail(err, errlen,
					    "suppress_ifgroup '%s' is not a group number", v);
			put_u32(m, FRA_SUPPRESS_IFGROUP, (uint32_t)n);
		} else if (!strcmp(o, "uidrange")) {
			struct fib_rule_uid_range ur;

			if (parse_range(v, 0xffffffffULL, &lo, &hi))
				return fail(err, errlen, "uidrange '%s' is not LOW-HIGH", v);
			ur.start = lo;
			ur.end = hi;
			put(m, FRA_UID_RANGE, sizeof(ur), &ur);
		} else if (!strcmp(o, "sport") || !strcmp(o, "dport")) {
			struct fib_rule_port_range pr;

			if (parse_range(v, 65535, &lo, &hi))
				return fail(err, errlen, "%s '%s' is not a port or LOW-HIGH", o, v);
			pr.start = (uint16_t)lo;
			pr.end = (uint16_t)hi;
			put(m, o[0] == 's' ? FRA_SPORT_RANGE : FRA_DPORT_RANGE, sizeof(pr), &pr);
		} else if (!strcmp(o, "ip_proto")) {
			if (rule_ipproto(v, &u8))
				return fail(err, errlen, "ip_proto '%s' is not a known protocol",
					    v);
			put_u8(m, FRA_IP_PROTO, u8);
		} else if (!strcmp(o, "protocol")) {
			if (vrrp_nl_proto_id(v, env ? env->rt_protos : NULL, &u8))
				return fail(err, errlen, "protocol '%s' is not a known protocol",
					    v);
			put_u8(m, FRA_PROTOCOL, u8);
		} else if (!strcmp(o, "realms")) {
			/* FROM/TO or TO, numbers (conf resolved the names). */
			if (parse_flow(v, &lo))
				return fail(err, errlen, "realms '%s' is not FROM/TO in numbers",
					    v);
			put_u32(m, FRA_FLOW, lo);
		} else {
			return fail(err, errlen, "rule option '%s' is not supported", o);
		}
	}
	return 0;
}

int vrrp_nlmsg_rule(void *buf, size_t size, uint32_t seq, bool add, const struct conf_rule *r,
		    const struct vrrp_nlmsg_env *env, char *err, size_t errlen)
{
	struct mb m = { .size = size };
	struct fib_rule_hdr *frh;
	uint32_t table = 0;
	bool has_table = false;

	if (size < 64)
		return fail(err, errlen, "buffer too small");
	if (r->family != AF_INET && r->family != AF_INET6)
		return fail(err, errlen, "the rule has no family");
	if (r->action < 0 || r->action >= (int)sizeof(rule_action_map))
		return fail(err, errlen, "action %d is unknown", r->action);
	if ((r->from.addr.family && r->from.addr.family != r->family) ||
	    (r->to.addr.family && r->to.addr.family != r->family))
		return fail(err, errlen, "the rule's addresses mix IPv4 and IPv6");
	if (r->table) {
		if (vrrp_nl_table_id(r->table, env ? env->rt_tables : NULL, &table))
			return fail(err, errlen, "table '%s' is not a number or a known table name",
				    r->table);
		has_table = true;
	} else if (r->action == 0 && !r->l3mdev && add) {
		table = RT_TABLE_MAIN; /* as ip-rule */
		has_table = true;
	}
	if (r->iif && strlen(r->iif) >= IF_NAMESIZE)
		return fail(err, errlen, "iif '%s' is too long", r->iif);
	if (r->oif && strlen(r->oif) >= IF_NAMESIZE)
		return fail(err, errlen, "oif '%s' is too long", r->oif);

	m.nlh = msg_start(buf, add ? RTM_NEWRULE : RTM_DELRULE, add ? NLM_F_CREATE | NLM_F_EXCL : 0,
			  seq);
	frh = mnl_nlmsg_put_extra_header(m.nlh, sizeof(*frh));
	frh->family = (uint8_t)r->family;
	frh->src_len = r->from.addr.family ? r->from.len : 0;
	frh->dst_len = r->to.addr.family ? r->to.len : 0;
	frh->tos = (uint8_t)r->tos;
	frh->table = has_table && table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	frh->action = rule_action_map[r->action];
	if (r->not_)
		frh->flags |= FIB_RULE_INVERT;

	if (frh->src_len)
		put_addr(&m, FRA_SRC, &r->from.addr);
	if (frh->dst_len)
		put_addr(&m, FRA_DST, &r->to.addr);
	if (r->has_preference)
		put_u32(&m, FRA_PRIORITY, r->preference);
	if (has_table && table >= 256)
		put_u32(&m, FRA_TABLE, table);
	if (r->has_fwmark) {
		put_u32(&m, FRA_FWMARK, r->fwmark);
		if (r->fwmask != 0xffffffffu)
			put_u32(&m, FRA_FWMASK, r->fwmask);
	}
	if (r->iif)
		put_str(&m, FRA_IFNAME, r->iif);
	if (r->oif)
		put_str(&m, FRA_OIFNAME, r->oif);
	if (r->action == 1)
		put_u32(&m, FRA_GOTO, r->goto_target);
	if (r->l3mdev)
		put_u8(&m, FRA_L3MDEV, 1);
	if (rule_opts(&m, r, env, err, errlen))
		return -1;
	return mb_end(&m, err, errlen);
}

int vrrp_nlmsg_vmac(void *buf, size_t size, uint32_t seq, const char *name, int parent_ifindex,
		    const uint8_t mac[6], char *err, size_t errlen)
{
	struct mb m = { .size = size };
	struct ifinfomsg *ifi;
	struct nlattr *li, *data;

	if (size < 128)
		return fail(err, errlen, "buffer too small");
	if (!name || !name[0] || strlen(name) >= IF_NAMESIZE)
		return fail(err, errlen, "interface name '%s' must be 1 to 15 characters",
			    name ? name : "");
	if (parent_ifindex <= 0)
		return fail(err, errlen, "no parent interface");
	m.nlh = msg_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, seq);
	ifi = mnl_nlmsg_put_extra_header(m.nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	put_str(&m, IFLA_IFNAME, name);
	put_u32(&m, IFLA_LINK, (uint32_t)parent_ifindex);
	put(&m, IFLA_ADDRESS, 6, mac);
	li = nest_start(&m, IFLA_LINKINFO);
	put_str(&m, IFLA_INFO_KIND, "macvlan");
	data = nest_start(&m, IFLA_INFO_DATA);
	/* Private, as keepalived: the VMAC does not talk to other macvlans on
	 * the same parent, only to the wire. */
	put_u32(&m, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
	nest_end(&m, data);
	nest_end(&m, li);
	return mb_end(&m, err, errlen);
}

int vrrp_nlmsg_link_del(void *buf, size_t size, uint32_t seq, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (size < NLMSG_SPACE(sizeof(*ifi)) || ifindex <= 0)
		return -1;
	nlh = msg_start(buf, RTM_DELLINK, 0, seq);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	return (int)nlh->nlmsg_len;
}

/* ---- parsers ---- */

struct link_parse {
	struct vrrp_iface *out;
	bool bad;
};

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct link_parse *lp = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND) {
		if (mnl_attr_validate(a, MNL_TYPE_STRING) < 0) {
			lp->bad = true;
			return MNL_CB_OK;
		}
		lp->out->is_macvlan =
			strnlen(mnl_attr_get_str(a), mnl_attr_get_payload_len(a)) == 7 &&
			!memcmp(mnl_attr_get_str(a), "macvlan", 7);
	}
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct link_parse *lp = data;
	struct vrrp_iface *o = lp->out;
	uint16_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME: {
		const char *s = mnl_attr_get_payload(a);
		size_t n = strnlen(s, len);

		/* Must be NUL-terminated inside the attribute and fit IF_NAMESIZE. */
		if (n == len || n == 0 || n >= IF_NAMESIZE) {
			lp->bad = true;
			break;
		}
		memcpy(o->name, s, n);
		o->name[n] = '\0';
		break;
	}
	case IFLA_ADDRESS:
		/* Only Ethernet-like 6-byte addresses are kept. */
		if (len == 6)
			memcpy(o->mac, mnl_attr_get_payload(a), 6);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			lp->bad = true;
		else
			o->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_LINK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			lp->bad = true;
		else
			o->link_ifindex = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
		    mnl_attr_parse_nested(a, linkinfo_cb, lp) < 0)
			lp->bad = true;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

int vrrp_nlmsg_parse_link(const struct nlmsghdr *nlh, struct vrrp_iface *out)
{
	const struct ifinfomsg *ifi;
	struct link_parse lp = { .out = out };

	memset(out, 0, sizeof(*out));
	if (!nlh || nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*ifi))
		return -EINVAL;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -EINVAL;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index <= 0)
		return -EINVAL;
	out->ifindex = ifi->ifi_index;
	out->admin_up = ifi->ifi_flags & IFF_UP;
	out->oper_up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING) &&
		       (ifi->ifi_flags & IFF_LOWER_UP);
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, &lp) < 0 || lp.bad)
		return -EINVAL;
	return 0;
}

struct addr_parse {
	const struct nlattr *local, *address, *flags;
	bool bad;
};

static int addr_attr_cb(const struct nlattr *a, void *data)
{
	struct addr_parse *ap = data;

	switch (mnl_attr_get_type(a)) {
	case IFA_LOCAL:
		ap->local = a;
		break;
	case IFA_ADDRESS:
		ap->address = a;
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			ap->bad = true;
		else
			ap->flags = a;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

int vrrp_nlmsg_parse_addr(const struct nlmsghdr *nlh, struct vrrp_nl_addrmsg *out)
{
	const struct ifaddrmsg *ifa;
	struct addr_parse ap = { 0 };
	const struct nlattr *a;
	size_t alen;

	memset(out, 0, sizeof(*out));
	if (!nlh || nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*ifa))
		return -EINVAL;
	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR)
		return -EINVAL;
	ifa = mnl_nlmsg_get_payload(nlh);
	alen = vrrp_nl_family_len(ifa->ifa_family);
	if (!alen || ifa->ifa_index == 0 || ifa->ifa_index > INT32_MAX ||
	    ifa->ifa_prefixlen > alen * 8)
		return -EINVAL;
	if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &ap) < 0 || ap.bad)
		return -EINVAL;
	/* IPv4 puts the local address in IFA_LOCAL (IFA_ADDRESS is the peer on
	 * point-to-point links); IPv6 has only IFA_ADDRESS unless a peer is set. */
	a = ap.local ? ap.local : ap.address;
	if (!a || mnl_attr_get_payload_len(a) != alen)
		return -EINVAL;
	out->ifindex = (int)ifa->ifa_index;
	out->addr.addr.family = ifa->ifa_family;
	memcpy(ifa->ifa_family == AF_INET ? (void *)&out->addr.addr.u.v4
					  : (void *)&out->addr.addr.u.v6,
	       mnl_attr_get_payload(a), alen);
	out->addr.len = ifa->ifa_prefixlen;
	out->addr.has_len = true;
	out->flags = ap.flags ? mnl_attr_get_u32(ap.flags) : ifa->ifa_flags;
	out->scope = ifa->ifa_scope;
	return 0;
}

/* RTM_*ROUTE and RTM_*RULE attributes a deletion is matched by; both
 * families put the table, the priority and the prefixes at the same types
 * (RTA_DST = FRA_DST, RTA_SRC = FRA_SRC, RTA_PRIORITY = FRA_PRIORITY,
 * RTA_TABLE = FRA_TABLE). */
struct rt_parse {
	const struct nlattr *dst, *src, *table, *prio, *oif;
	bool bad;
};

static int rt_attr_cb(const struct nlattr *a, void *data)
{
	struct rt_parse *rp = data;
	uint16_t t = mnl_attr_get_type(a);

	if (t == RTA_DST) {
		rp->dst = a;
	} else if (t == RTA_SRC) {
		rp->src = a;
	} else if (t == RTA_TABLE || t == RTA_PRIORITY || t == RTA_OIF) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			rp->bad = true;
		else if (t == RTA_TABLE)
			rp->table = a;
		else if (t == RTA_PRIORITY)
			rp->prio = a;
		else
			rp->oif = a;
	}
	return MNL_CB_OK;
}

static int rt_prefix(const struct nlattr *a, int family, unsigned len, struct conf_prefix *out)
{
	size_t alen = vrrp_nl_family_len(family);

	out->addr.family = family;
	out->len = len;
	out->has_len = true;
	if (!a)
		return len == 0 ? 0 : -EINVAL;
	if (mnl_attr_get_payload_len(a) != alen)
		return -EINVAL;
	memcpy(family == AF_INET ? (void *)&out->addr.u.v4 : (void *)&out->addr.u.v6,
	       mnl_attr_get_payload(a), alen);
	return 0;
}

int vrrp_nlmsg_parse_rtdel(const struct nlmsghdr *nlh, struct vrrp_nl_rtmsg *out)
{
	struct rt_parse rp = { 0 };
	unsigned dlen, slen, table;
	int family;

	memset(out, 0, sizeof(*out));
	if (!nlh || (nlh->nlmsg_type != RTM_DELROUTE && nlh->nlmsg_type != RTM_DELRULE))
		return -EINVAL;
	/* struct rtmsg and struct fib_rule_hdr: the same size, family first,
	 * then dst_len, src_len, tos, table. */
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct rtmsg))
		return -EINVAL;
	{
		const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

		family = rtm->rtm_family;
		dlen = rtm->rtm_dst_len;
		slen = rtm->rtm_src_len;
		table = rtm->rtm_table;
		out->is_rule = nlh->nlmsg_type == RTM_DELRULE;
		if (out->is_rule) {
			const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);

			out->rule_action = frh->action;
		} else {
			out->route_type = rtm->rtm_type;
			out->tos = rtm->rtm_tos;
		}
	}
	if (!vrrp_nl_family_len(family) || dlen > vrrp_nl_family_len(family) * 8 ||
	    slen > vrrp_nl_family_len(family) * 8)
		return -EINVAL;
	if (mnl_attr_parse(nlh, sizeof(struct rtmsg), rt_attr_cb, &rp) < 0 || rp.bad)
		return -EINVAL;
	out->family = family;
	if (rt_prefix(rp.dst, family, dlen, &out->dst) ||
	    rt_prefix(rp.src, family, slen, &out->src))
		return -EINVAL;
	out->table = rp.table ? mnl_attr_get_u32(rp.table) : table;
	out->has_prio = rp.prio != NULL;
	out->prio = rp.prio ? mnl_attr_get_u32(rp.prio) : 0;
	out->oif = rp.oif ? (int)mnl_attr_get_u32(rp.oif) : 0;
	return 0;
}

static int extack_cb(const struct nlattr *a, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

const char *vrrp_nlmsg_extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t off;
	const char *msg = NULL;

	if (!nlh || nlh->nlmsg_type != NLMSG_ERROR || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return NULL;
	e = mnl_nlmsg_get_payload(nlh);
	off = sizeof(*e);
	/* Without NLM_F_CAPPED the whole request follows the error header. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return NULL;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (off > nlh->nlmsg_len - NLMSG_HDRLEN)
		return NULL;
	if (mnl_attr_parse(nlh, (unsigned)off, extack_cb, &msg) < 0)
		return msg;
	return msg;
}
