/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/netlink: golden bytes of the messages we build (addresses, routes,
 * rules), parsing of kernel link/address messages and of extended ACKs,
 * table/protocol names and refusals of what we do not implement: the pure
 * vrrp/netlink_msg.c alone (test_vrrp_nl_open tests the sockets).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "vrrp/netlink_msg.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

static _Alignas(struct nlmsghdr) uint8_t buf[VRRP_NLMSG_MAX];
static char err[256];

static void init_vip(struct conf_vip *v, const char *addr, unsigned len)
{
	memset(v, 0, sizeof(*v));
	v->scope = -1;
	v->preferred_lft = CONF_LFT_UNSET;
	if (strchr(addr, ':')) {
		v->addr.addr.family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, &v->addr.addr.u.v6), 1);
	} else {
		v->addr.addr.family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, &v->addr.addr.u.v4), 1);
	}
	v->addr.len = (uint8_t)len;
	v->addr.has_len = true;
}

static void set_addr(struct conf_addr *a, const char *s)
{
	a->family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a->family, s, &a->u), 1);
}

static void expect_bytes(const uint8_t *want, size_t wlen, int got_len)
{
	size_t i;

	if (got_len != (int)wlen || memcmp(buf, want, wlen)) {
		fprintf(stderr, "got %d bytes:", got_len);
		for (i = 0; got_len > 0 && i < (size_t)got_len; i++)
			fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", buf[i]);
		fprintf(stderr, "\n");
	}
	assert_int_equal(got_len, (int)wlen);
	assert_memory_equal(buf, want, wlen);
}

/* ---- golden messages ---- */

static void test_addr_v4_brd_label_scope(void **state)
{
	static const uint8_t want[] = {
		0x3c, 0x00, 0x00, 0x00,
		0x14, 0x00, 0x05, 0x05, /* len 60, RTM_NEWADDR, REQ|ACK|CREATE|REPLACE */
		0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, /* seq 1, pid 0 */
		0x02, 0x18, 0x00, 0xfd,
		0x02, 0x00, 0x00, 0x00, /* AF_INET /24 flags 0 scope link, index 2 */
		0x08, 0x00, 0x02, 0x00,
		0xc6, 0x12, 0x00, 0x0a, /* IFA_LOCAL 198.18.0.10 */
		0x08, 0x00, 0x01, 0x00,
		0xc6, 0x12, 0x00, 0x0a, /* IFA_ADDRESS 198.18.0.10 */
		0x08, 0x00, 0x04, 0x00,
		0xc6, 0x12, 0x00, 0xff, /* IFA_BROADCAST 198.18.0.255 */
		0x0b, 0x00, 0x03, 0x00,
		'd',  '0',  ':',  'v', /* IFA_LABEL "d0:vip" */
		'i',  'p',  0x00, 0x00,
	};
	struct conf_vip v;

	(void)state;
	init_vip(&v, "198.18.0.10", 24);
	v.brd_mode = CONF_BRD_SET;
	v.label = "d0:vip";
	v.scope = 2; /* "link" in conf_scope_names */
	expect_bytes(want, sizeof(want),
		     vrrp_nlmsg_addr(buf, sizeof(buf), 1, true, 2, &v, err, sizeof(err)));
}

static void test_addr_v6_nodad(void **state)
{
	static const uint8_t want[] = {
		0x48, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x05, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00,			/* len 72, RTM_NEWADDR, seq 2 */
		0x0a, 0x40, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, /* AF_INET6 /64 NODAD, index 3 */
		0x14, 0x00, 0x02, 0x00, 0xfd, 0x00, 0x01, 0x98, 0x00, 0x18, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, /* IFA_LOCAL fd00:198:18::10
								       */
		0x14, 0x00, 0x01, 0x00, 0xfd, 0x00, 0x01, 0x98, 0x00, 0x18, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, /* IFA_ADDRESS */
		0x08, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00,	      /* IFA_FLAGS NODAD */
	};
	struct conf_vip v;

	(void)state;
	init_vip(&v, "fd00:198:18::10", 64);
	v.nodad = true;
	expect_bytes(want, sizeof(want),
		     vrrp_nlmsg_addr(buf, sizeof(buf), 2, true, 3, &v, err, sizeof(err)));
}

static void test_addr_del_and_brd_modes(void **state)
{
	struct conf_vip v;
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a;
	int n;

	(void)state;
	init_vip(&v, "198.18.0.10", 24);
	v.brd_mode = CONF_BRD_CLEAR;
	v.label = "d0:x";
	n = vrrp_nlmsg_addr(buf, sizeof(buf), 9, false, 2, &v, err, sizeof(err));
	assert_true(n > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELADDR);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	/* Delete matches on the address only: no label, no broadcast. */
	mnl_attr_for_each(a, nlh, sizeof(struct ifaddrmsg))
	{
		assert_int_not_equal(mnl_attr_get_type(a), IFA_LABEL);
		assert_int_not_equal(mnl_attr_get_type(a), IFA_BROADCAST);
	}

	/* brd - clears the host bits; an explicit brd is used as given. */
	n = vrrp_nlmsg_addr(buf, sizeof(buf), 9, true, 2, &v, err, sizeof(err));
	assert_true(n > 0);
	mnl_attr_for_each(a, nlh, sizeof(struct ifaddrmsg))
	{
		if (mnl_attr_get_type(a) == IFA_BROADCAST)
			assert_int_equal(ntohl(mnl_attr_get_u32(a)), 0xc6120000u);
	}
	v.brd_mode = CONF_BRD_ADDR;
	set_addr(&v.brd, "198.18.0.7");
	n = vrrp_nlmsg_addr(buf, sizeof(buf), 9, true, 2, &v, err, sizeof(err));
	assert_true(n > 0);
	mnl_attr_for_each(a, nlh, sizeof(struct ifaddrmsg))
	{
		if (mnl_attr_get_type(a) == IFA_BROADCAST)
			assert_int_equal(ntohl(mnl_attr_get_u32(a)), 0xc6120007u);
	}

	/* preferred_lft 0: deprecated at once, valid forever. */
	init_vip(&v, "fd00:198:18::1", 64);
	v.preferred_lft = 0;
	n = vrrp_nlmsg_addr(buf, sizeof(buf), 9, true, 2, &v, err, sizeof(err));
	assert_true(n > 0);
	{
		bool seen = false;

		mnl_attr_for_each(a, nlh, sizeof(struct ifaddrmsg))
		{
			if (mnl_attr_get_type(a) == IFA_CACHEINFO) {
				const struct ifa_cacheinfo *ci = mnl_attr_get_payload(a);

				assert_int_equal(ci->ifa_prefered, 0);
				assert_int_equal(ci->ifa_valid, 0xffffffffu);
				seen = true;
			}
		}
		assert_true(seen);
	}

	/* A broadcast on IPv6 is refused with a reason. */
	v.brd_mode = CONF_BRD_SET;
	assert_int_equal(vrrp_nlmsg_addr(buf, sizeof(buf), 9, true, 2, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "brd"));
	/* No room: an error, never an overflow. */
	init_vip(&v, "fd00:198:18::1", 64);
	v.nodad = true;
	v.preferred_lft = CONF_LFT_FOREVER; /* 92 bytes in all */
	assert_int_equal(vrrp_nlmsg_addr(buf, 80, 9, true, 2, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not fit"));
}

static int fake_ifindex(const void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "d0") ? 5 : 0;
}

static void init_route(struct conf_route *r)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_INET;
	r->scope = -1;
	set_addr(&r->dst.addr, "198.19.200.0");
	r->dst.len = 24;
	set_addr(&r->via, "198.18.0.254");
	r->dev = "d0";
	r->table = "100";
	r->metric = 5;
	r->has_metric = true;
}

static void test_route_gw_table_metric(void **state)
{
	static const uint8_t want[] = {
		0x3c, 0x00, 0x00, 0x00, 0x18,
		0x00, 0x05, 0x05, /* len 60, RTM_NEWROUTE, REQ|ACK|CREATE|REPLACE */
		0x03, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, /* seq 3 */
		0x02, 0x18, 0x00, 0x00, 0x64,
		0x12, 0x00, 0x01, /* AF_INET /24, table 100, proto keepalived, universe, unicast */
		0x00, 0x00, 0x00, 0x00, /* rtm_flags */
		0x08, 0x00, 0x01, 0x00, 0xc6,
		0x13, 0xc8, 0x00, /* RTA_DST 198.19.200.0 */
		0x08, 0x00, 0x05, 0x00, 0xc6,
		0x12, 0x00, 0xfe, /* RTA_GATEWAY 198.18.0.254 */
		0x08, 0x00, 0x04, 0x00, 0x05,
		0x00, 0x00, 0x00, /* RTA_OIF 5 */
		0x08, 0x00, 0x06, 0x00, 0x05,
		0x00, 0x00, 0x00, /* RTA_PRIORITY 5 */
	};
	struct vrrp_nlmsg_env env = { .ifindex = fake_ifindex };
	struct conf_route r;

	(void)state;
	init_route(&r);
	expect_bytes(want, sizeof(want),
		     vrrp_nlmsg_route(buf, sizeof(buf), 3, true, &r, &env, err, sizeof(err)));
}

static void test_route_more(void **state)
{
	struct vrrp_nlmsg_env env = { .ifindex = fake_ifindex };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct conf_route r;
	struct conf_nexthop nh[2];
	char *opts_ok[] = { "mtu", "lock", "1400", "initcwnd", "10" };
	char *opts_bad[] = { "bogus", "10" };
	struct nlattr *a;
	bool table_attr = false, metrics = false, mp = false;

	(void)state;
	/* A table above 255 goes in RTA_TABLE; metrics nest; multipath. */
	init_route(&r);
	r.table = "1000";
	r.opts.v = opts_ok;
	r.opts.n = 5;
	memset(nh, 0, sizeof(nh));
	set_addr(&nh[0].via, "198.18.0.1");
	nh[0].weight = 2;
	set_addr(&nh[1].via, "198.18.0.2");
	nh[1].dev = "d0";
	nh[1].onlink = true;
	r.nexthops = nh;
	r.n_nexthops = 2;
	memset(&r.via, 0, sizeof(r.via));
	assert_true(vrrp_nlmsg_route(buf, sizeof(buf), 3, true, &r, &env, err, sizeof(err)) > 0);
	assert_int_equal(rtm->rtm_table, RT_TABLE_UNSPEC);
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
	{
		if (mnl_attr_get_type(a) == RTA_TABLE) {
			assert_int_equal(mnl_attr_get_u32(a), 1000);
			table_attr = true;
		}
		if (mnl_attr_get_type(a) == RTA_METRICS) {
			struct nlattr *m;
			unsigned seen = 0;

			mnl_attr_for_each_nested(m, a)
			{
				if (mnl_attr_get_type(m) == RTAX_MTU)
					assert_int_equal(mnl_attr_get_u32(m), 1400), seen++;
				if (mnl_attr_get_type(m) == RTAX_INITCWND)
					assert_int_equal(mnl_attr_get_u32(m), 10), seen++;
				if (mnl_attr_get_type(m) == RTAX_LOCK)
					assert_int_equal(mnl_attr_get_u32(m), 1u << RTAX_MTU),
						seen++;
			}
			assert_int_equal(seen, 3);
			metrics = true;
		}
		if (mnl_attr_get_type(a) == RTA_MULTIPATH) {
			const struct rtnexthop *h = mnl_attr_get_payload(a);

			assert_int_equal(h->rtnh_hops, 1);
			assert_int_equal(h->rtnh_len, 16); /* rtnexthop 8 + RTA_GATEWAY 8 */
			h = (const struct rtnexthop *)((const char *)h + RTNH_ALIGN(h->rtnh_len));
			assert_int_equal(h->rtnh_ifindex, 5);
			assert_int_equal(h->rtnh_flags, RTNH_F_ONLINK);
			assert_int_equal(mnl_attr_get_payload_len(a), 32);
			mp = true;
		}
	}
	assert_true(table_attr && metrics && mp);

	/* Delete: any protocol, scope nowhere unless given. */
	init_route(&r);
	assert_true(vrrp_nlmsg_route(buf, sizeof(buf), 4, false, &r, &env, err, sizeof(err)) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	assert_int_equal(rtm->rtm_protocol, RTPROT_UNSPEC);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_NOWHERE);

	/* Gateway-less unicast defaults to link scope (as ip-route). */
	memset(&r.via, 0, sizeof(r.via));
	assert_true(vrrp_nlmsg_route(buf, sizeof(buf), 4, true, &r, &env, err, sizeof(err)) > 0);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_LINK);

	/* Refusals name what is refused. */
	init_route(&r);
	r.opts.v = opts_bad;
	r.opts.n = 2;
	assert_int_equal(vrrp_nlmsg_route(buf, sizeof(buf), 4, true, &r, &env, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "'bogus'"));
	init_route(&r);
	r.dev = "nosuch0";
	assert_int_equal(vrrp_nlmsg_route(buf, sizeof(buf), 4, true, &r, &env, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "nosuch0"));
	init_route(&r);
	r.table = "no-such-table-name";
	assert_int_equal(vrrp_nlmsg_route(buf, sizeof(buf), 4, true, &r, &env, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "no-such-table-name"));
	init_route(&r);
	set_addr(&r.or_via, "198.18.0.3");
	assert_int_equal(vrrp_nlmsg_route(buf, sizeof(buf), 4, true, &r, &env, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "'or'"));
}

/* The deletion of a static route or rule, as the kernel echoes it to
 * listeners, parses back into what static.c matches entries by. */
static void test_parse_rtdel(void **state)
{
	struct vrrp_nlmsg_env env = { .ifindex = fake_ifindex };
	struct conf_options o = { .flags = CONF_NO_INCLUDE };
	struct conf_load l = { 0 };
	const char *text = "static_routes {\n 198.18.72.0/24 via 198.18.0.254 dev d0 table 100 "
			   "tos 8\n}\nstatic_rules {\n from fd00:198:18:73::/64 to fd00:198:18::/48 "
			   "table 100 priority 1001\n}\n";
	struct vrrp_nl_rtmsg rt;
	char b[CONF_ADDRSTRLEN];
	int n;

	(void)state;
	assert_int_equal(conf_load_string("t.conf", text, strlen(text), &o, &l), 0);
	n = vrrp_nlmsg_route(buf, sizeof(buf), 1, false,
			     (const struct conf_route *)(void *)l.model->vrrp.static_routes.head,
			     &env, err, sizeof(err));
	assert_true(n > 0);
	assert_int_equal(vrrp_nlmsg_parse_rtdel((struct nlmsghdr *)buf, &rt), 0);
	assert_false(rt.is_rule);
	assert_int_equal(rt.family, AF_INET);
	assert_string_equal(conf_prefix_str(&rt.dst, b), "198.18.72.0/24");
	assert_int_equal(rt.src.len, 0);
	assert_int_equal(rt.table, 100);
	assert_int_equal(rt.tos, 8);
	n = vrrp_nlmsg_rule(buf, sizeof(buf), 2, false,
			    (const struct conf_rule *)(void *)l.model->vrrp.static_rules.head, &env,
			    err, sizeof(err));
	assert_true(n > 0);
	assert_int_equal(vrrp_nlmsg_parse_rtdel((struct nlmsghdr *)buf, &rt), 0);
	assert_true(rt.is_rule);
	assert_int_equal(rt.family, AF_INET6);
	assert_string_equal(conf_prefix_str(&rt.src, b), "fd00:198:18:73::/64");
	assert_string_equal(conf_prefix_str(&rt.dst, b), "fd00:198:18::/48");
	assert_int_equal(rt.table, 100);
	assert_true(rt.has_prio);
	assert_int_equal(rt.prio, 1001);
	/* An add is not a deletion; a truncated message is refused. */
	n = vrrp_nlmsg_rule(buf, sizeof(buf), 3, true,
			    (const struct conf_rule *)(void *)l.model->vrrp.static_rules.head, &env,
			    err, sizeof(err));
	assert_true(n > 0);
	assert_int_equal(vrrp_nlmsg_parse_rtdel((struct nlmsghdr *)buf, &rt), -EINVAL);
	((struct nlmsghdr *)buf)->nlmsg_type = RTM_DELRULE;
	((struct nlmsghdr *)buf)->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(vrrp_nlmsg_parse_rtdel((struct nlmsghdr *)buf, &rt), -EINVAL);
	conf_load_free(&l);
}

/* The attributes of the route loaded from `line` (static_routes), built. */
struct route_attrs {
	uint32_t top[RTA_MAX + 1];
	bool has_top[RTA_MAX + 1];
	uint32_t metric[RTAX_MAX + 1];
	bool has_metric[RTAX_MAX + 1];
	char cc[16];
};

static void build_line(const char *line, struct route_attrs *ra)
{
	struct vrrp_nlmsg_env env = { .ifindex = fake_ifindex };
	struct conf_options o = { .flags = CONF_NO_INCLUDE };
	struct conf_load l = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	char text[300];
	struct nlattr *a, *m;
	int n;

	memset(ra, 0, sizeof(*ra));
	snprintf(text, sizeof(text), "static_routes {\n %s\n}\n", line);
	if (conf_load_string("t.conf", text, strlen(text), &o, &l) || !l.model) {
		conf_msgs_print(stderr, l.msgs);
		fail_msg("'%s' does not load", line);
	}
	n = vrrp_nlmsg_route(buf, sizeof(buf), 1, true,
			     (const struct conf_route *)(void *)l.model->vrrp.static_routes.head,
			     &env, err, sizeof(err));
	conf_load_free(&l);
	if (n <= 0)
		fail_msg("'%s' does not build: %s", line, err);
	assert_int_equal(mnl_nlmsg_ok(nlh, n), 1);
	mnl_attr_for_each(a, nlh, sizeof(struct rtmsg))
	{
		uint16_t t = mnl_attr_get_type(a);

		assert_true(t <= RTA_MAX);
		assert_false(ra->has_top[t]); /* each attribute once */
		ra->has_top[t] = true;
		if (mnl_attr_get_payload_len(a) == 1)
			ra->top[t] = mnl_attr_get_u8(a);
		else if (mnl_attr_get_payload_len(a) == 4)
			ra->top[t] = mnl_attr_get_u32(a);
		if (t != RTA_METRICS)
			continue;
		mnl_attr_for_each_nested(m, a)
		{
			uint16_t k = mnl_attr_get_type(m);

			assert_true(k <= RTAX_MAX);
			assert_false(ra->has_metric[k]);
			ra->has_metric[k] = true;
			if (k == RTAX_CC_ALGO) {
				assert_int_equal(mnl_attr_validate(m, MNL_TYPE_NUL_STRING), 0);
				snprintf(ra->cc, sizeof(ra->cc), "%s", mnl_attr_get_str(m));
			} else {
				assert_int_equal(mnl_attr_validate(m, MNL_TYPE_U32), 0);
				ra->metric[k] = mnl_attr_get_u32(m);
			}
		}
	}
}

/* The options keepalived 2.2.7 programs beyond the plain metrics, with its
 * units: rtt in 1/8 ms, rttvar 1/4 ms, rto_min ms; FROM/TO realms. */
static void test_route_kept_options(void **state)
{
	struct route_attrs ra;

	(void)state;
	build_line("198.18.6.0/24 dev d0 rtt lock 300ms rttvar 10 rto_min 1.5s quickack 1 "
		   "features ecn congctl lock reno fastopen_no_cookie 1 realms 2/3 "
		   "ttl-propagate enabled",
		   &ra);
	assert_true(ra.has_top[RTA_METRICS]);
	assert_true(ra.has_metric[RTAX_RTT]);
	assert_int_equal(ra.metric[RTAX_RTT], 300 * 8);
	assert_int_equal(ra.metric[RTAX_RTTVAR], 200 * 4); /* clamped up, as keepalived */
	assert_int_equal(ra.metric[RTAX_RTO_MIN], 1500);
	assert_true(ra.has_metric[RTAX_QUICKACK]);
	assert_int_equal(ra.metric[RTAX_QUICKACK], 1);
	assert_int_equal(ra.metric[RTAX_FEATURES], RTAX_FEATURE_ECN);
	assert_int_equal(ra.metric[RTAX_FASTOPEN_NO_COOKIE], 1);
	assert_string_equal(ra.cc, "reno");
	assert_int_equal(ra.metric[RTAX_LOCK], (1u << RTAX_RTT) | (1u << RTAX_CC_ALGO));
	assert_true(ra.has_top[RTA_FLOW]);
	assert_int_equal(ra.top[RTA_FLOW], 2u << 16 | 3);
	assert_true(ra.has_top[RTA_TTL_PROPAGATE]);
	assert_int_equal(ra.top[RTA_TTL_PROPAGATE], 1);

	build_line("fd00:198:18:7::/64 dev d0 pref high expires 300 rtt 2s rto_min 250", &ra);
	assert_true(ra.has_top[RTA_PREF]);
	assert_int_equal(ra.top[RTA_PREF], 1); /* ICMPV6_ROUTER_PREF_HIGH */
	assert_true(ra.has_top[RTA_EXPIRES]);
	assert_int_equal(ra.top[RTA_EXPIRES], 300);
	assert_int_equal(ra.metric[RTAX_RTT], 16000);
	assert_int_equal(ra.metric[RTAX_RTO_MIN], 250); /* bare: kernel units */
	assert_false(ra.has_metric[RTAX_LOCK]);
	assert_false(ra.has_top[RTA_FLOW]);

	build_line("fd00:198:18:7::/64 dev d0 pref low ttl-propagate disabled", &ra);
	assert_int_equal(ra.top[RTA_PREF], 3); /* ICMPV6_ROUTER_PREF_LOW */
	assert_true(ra.has_top[RTA_TTL_PROPAGATE]);
	assert_int_equal(ra.top[RTA_TTL_PROPAGATE], 0);
	assert_false(ra.has_top[RTA_METRICS]);
	build_line("fd00:198:18:7::/64 dev d0 pref medium rttvar 1.25s", &ra);
	assert_int_equal(ra.top[RTA_PREF], 0);
	assert_int_equal(ra.metric[RTAX_RTTVAR], 5000);
	build_line("198.18.6.0/24 dev d0 realms 7 rtt 200s", &ra);
	assert_int_equal(ra.top[RTA_FLOW], 7);
	assert_int_equal(ra.metric[RTAX_RTT], 120000 * 8); /* clamped down */
}

static void init_rule(struct conf_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_INET;
	r->table = "100";
	r->preference = 1000;
	r->has_preference = true;
	r->fwmark = 7;
	r->fwmask = 0xff;
	r->has_fwmark = true;
}

static void test_rule_fwmark_table_prio(void **state)
{
	static const uint8_t want[] = {
		0x34, 0x00, 0x00, 0x00,
		0x20, 0x00, 0x05, 0x06, /* len 52, RTM_NEWRULE, REQ|ACK|CREATE|EXCL */
		0x04, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, /* seq 4 */
		0x02, 0x00, 0x00, 0x00,
		0x64, 0x00, 0x00, 0x01, /* AF_INET, table 100, FR_ACT_TO_TBL */
		0x00, 0x00, 0x00, 0x00, /* flags */
		0x08, 0x00, 0x06, 0x00,
		0xe8, 0x03, 0x00, 0x00, /* FRA_PRIORITY 1000 */
		0x08, 0x00, 0x0a, 0x00,
		0x07, 0x00, 0x00, 0x00, /* FRA_FWMARK 7 */
		0x08, 0x00, 0x10, 0x00,
		0xff, 0x00, 0x00, 0x00, /* FRA_FWMASK 0xff */
	};
	struct conf_rule r;

	(void)state;
	init_rule(&r);
	expect_bytes(want, sizeof(want),
		     vrrp_nlmsg_rule(buf, sizeof(buf), 4, true, &r, NULL, err, sizeof(err)));
}

static void test_rule_more(void **state)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct conf_rule r;
	char *opts[] = { "sport", "1000-2000", "ip_proto", "tcp", "uidrange", "10-20" };
	char *bad[] = { "realms", "cosmos" };
	struct nlattr *a;
	unsigned seen = 0;

	(void)state;
	init_rule(&r);
	r.not_ = true;
	r.iif = "d0";
	r.opts.v = opts;
	r.opts.n = 6;
	r.table = "5000";
	assert_true(vrrp_nlmsg_rule(buf, sizeof(buf), 4, true, &r, NULL, err, sizeof(err)) > 0);
	assert_int_equal(frh->flags, FIB_RULE_INVERT);
	assert_int_equal(frh->table, RT_TABLE_UNSPEC);
	mnl_attr_for_each(a, nlh, sizeof(*frh))
	{
		switch (mnl_attr_get_type(a)) {
		case FRA_TABLE:
			assert_int_equal(mnl_attr_get_u32(a), 5000);
			seen++;
			break;
		case FRA_IFNAME:
			assert_string_equal(mnl_attr_get_str(a), "d0");
			seen++;
			break;
		case FRA_SPORT_RANGE: {
			const struct fib_rule_port_range *p = mnl_attr_get_payload(a);

			assert_int_equal(p->start, 1000);
			assert_int_equal(p->end, 2000);
			seen++;
			break;
		}
		case FRA_IP_PROTO:
			assert_int_equal(mnl_attr_get_u8(a), 6);
			seen++;
			break;
		case FRA_UID_RANGE:
			seen++;
			break;
		}
	}
	assert_int_equal(seen, 5);
	init_rule(&r);
	r.opts.v = bad;
	r.opts.n = 2;
	assert_int_equal(vrrp_nlmsg_rule(buf, sizeof(buf), 4, true, &r, NULL, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "realms"));
	/* goto and blackhole actions */
	init_rule(&r);
	r.table = NULL;
	r.action = 1;
	r.goto_target = 2000;
	assert_true(vrrp_nlmsg_rule(buf, sizeof(buf), 4, true, &r, NULL, err, sizeof(err)) > 0);
	assert_int_equal(frh->action, FR_ACT_GOTO);
	r.action = 3;
	assert_true(vrrp_nlmsg_rule(buf, sizeof(buf), 4, false, &r, NULL, err, sizeof(err)) > 0);
	assert_int_equal(frh->action, FR_ACT_BLACKHOLE);
	assert_int_equal(nlh->nlmsg_type, RTM_DELRULE);
}

static void test_vmac_and_link_del(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a, *b, *c;
	unsigned seen = 0;

	(void)state;
	assert_true(vrrp_nlmsg_vmac(buf, sizeof(buf), 5, "vrrp.51", 2, mac, err, sizeof(err)) > 0);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(ifi->ifi_flags & IFF_UP, IFF_UP);
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			assert_string_equal(mnl_attr_get_str(a), "vrrp.51");
			seen++;
			break;
		case IFLA_LINK:
			assert_int_equal(mnl_attr_get_u32(a), 2);
			seen++;
			break;
		case IFLA_ADDRESS:
			assert_memory_equal(mnl_attr_get_payload(a), mac, 6);
			seen++;
			break;
		case IFLA_LINKINFO:
			mnl_attr_for_each_nested(b, a)
			{
				if (mnl_attr_get_type(b) == IFLA_INFO_KIND) {
					assert_string_equal(mnl_attr_get_str(b), "macvlan");
					seen++;
				}
				if (mnl_attr_get_type(b) == IFLA_INFO_DATA) {
					mnl_attr_for_each_nested(c, b)
					{
						assert_int_equal(mnl_attr_get_type(c),
								 IFLA_MACVLAN_MODE);
						assert_int_equal(mnl_attr_get_u32(c),
								 MACVLAN_MODE_PRIVATE);
						seen++;
					}
				}
			}
			break;
		}
	}
	assert_int_equal(seen, 5);
	assert_int_equal(vrrp_nlmsg_vmac(buf, sizeof(buf), 5, "a-name-far-too-long", 2, mac, err,
					 sizeof(err)),
			 -1);
	assert_int_equal(vrrp_nlmsg_link_del(buf, sizeof(buf), 6, 9), 32);
	assert_int_equal(nlh->nlmsg_type, RTM_DELLINK);
	assert_int_equal(ifi->ifi_index, 9);
}

/* ---- parsing ---- */

static struct nlmsghdr *link_msg(unsigned flags, const char *name)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *li;
	static const uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33 };

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	ifi->ifi_flags = flags;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u32(nlh, IFLA_LINK, 2);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
	mnl_attr_nest_end(nlh, li);
	return nlh;
}

static void test_parse_link(void **state)
{
	struct vrrp_iface f;
	struct nlmsghdr *nlh;
	struct nlattr *a;

	(void)state;
	nlh = link_msg(IFF_UP | IFF_RUNNING | IFF_LOWER_UP, "vrrp.51");
	assert_int_equal(vrrp_nlmsg_parse_link(nlh, &f), 0);
	assert_int_equal(f.ifindex, 7);
	assert_string_equal(f.name, "vrrp.51");
	assert_true(f.admin_up && f.oper_up && f.is_macvlan);
	assert_int_equal(f.mtu, 1500);
	assert_int_equal(f.link_ifindex, 2);
	assert_int_equal(f.mac[5], 0x33);

	/* Up but no carrier. */
	nlh = link_msg(IFF_UP, "d0");
	assert_int_equal(vrrp_nlmsg_parse_link(nlh, &f), 0);
	assert_true(f.admin_up && !f.oper_up);

	/* Hostile: a name without its NUL, too long, a short message. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)))->ifi_index =
		3;
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "abcd");
	assert_int_equal(vrrp_nlmsg_parse_link(nlh, &f), -EINVAL);
	nlh = link_msg(IFF_UP, "sixteen-chars-xx");
	assert_int_equal(vrrp_nlmsg_parse_link(nlh, &f), -EINVAL);
	nlh = link_msg(IFF_UP, "d0");
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(vrrp_nlmsg_parse_link(nlh, &f), -EINVAL);
	/* An attribute claiming more than the message holds stops the walk. */
	nlh = link_msg(IFF_UP, "d0");
	a = (struct nlattr *)((char *)nlh + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
	a->nla_len = 0x7fff;
	assert_int_not_equal(vrrp_nlmsg_parse_link(nlh, &f), 1);
	/* A bad MTU length. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)))->ifi_index =
		3;
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	assert_int_equal(vrrp_nlmsg_parse_link(nlh, &f), -EINVAL);
}

static struct nlmsghdr *addr_msg(int family, unsigned plen, const char *local, const char *address,
				 uint32_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct conf_addr a;

	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_index = 4;
	ifa->ifa_flags = (uint8_t)flags;
	if (local) {
		set_addr(&a, local);
		mnl_attr_put(nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, &a.u);
	}
	if (address) {
		set_addr(&a, address);
		mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, &a.u);
	}
	if (flags > 0xff)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	return nlh;
}

static void test_parse_addr(void **state)
{
	struct vrrp_nl_addrmsg m;
	struct nlmsghdr *nlh;
	char s[CONF_ADDRSTRLEN];

	(void)state;
	/* IPv4 point-to-point: IFA_LOCAL is ours, IFA_ADDRESS the peer. */
	nlh = addr_msg(AF_INET, 32, "198.18.0.1", "198.18.0.2", IFA_F_SECONDARY);
	assert_int_equal(vrrp_nlmsg_parse_addr(nlh, &m), 0);
	assert_int_equal(m.ifindex, 4);
	assert_string_equal(conf_prefix_str(&m.addr, s), "198.18.0.1/32");
	assert_int_equal(m.flags, IFA_F_SECONDARY);

	/* IPv6: IFA_ADDRESS only; IFA_FLAGS wins over ifa_flags. */
	nlh = addr_msg(AF_INET6, 64, NULL, "fe80::1", IFA_F_NOPREFIXROUTE | IFA_F_NODAD);
	assert_int_equal(vrrp_nlmsg_parse_addr(nlh, &m), 0);
	assert_string_equal(conf_prefix_str(&m.addr, s), "fe80::1/64");
	assert_int_equal(m.flags, IFA_F_NOPREFIXROUTE | IFA_F_NODAD);

	/* Hostile: prefix too long, no address, a 4-byte address for IPv6,
	 * an unknown family. */
	nlh = addr_msg(AF_INET, 33, "198.18.0.1", NULL, 0);
	assert_int_equal(vrrp_nlmsg_parse_addr(nlh, &m), -EINVAL);
	nlh = addr_msg(AF_INET, 24, NULL, NULL, 0);
	assert_int_equal(vrrp_nlmsg_parse_addr(nlh, &m), -EINVAL);
	nlh = addr_msg(AF_INET6, 64, NULL, NULL, 0);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, 1);
	assert_int_equal(vrrp_nlmsg_parse_addr(nlh, &m), -EINVAL);
	nlh = addr_msg(AF_INET, 24, "198.18.0.1", NULL, 0);
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family = AF_PACKET;
	assert_int_equal(vrrp_nlmsg_parse_addr(nlh, &m), -EINVAL);
}

static void test_extack(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	(void)state;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | NLM_F_CAPPED;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -EINVAL;
	e->msg.nlmsg_len = 60;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Invalid prefix for given prefix length");
	assert_string_equal(vrrp_nlmsg_extack(nlh), "Invalid prefix for given prefix length");

	/* Not capped: the request (here 20 bytes) sits before the TLVs. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) + 4);
	e->error = -EEXIST;
	e->msg.nlmsg_len = 20;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "exists");
	assert_string_equal(vrrp_nlmsg_extack(nlh), "exists");
	/* A request length pointing past the end. */
	e->msg.nlmsg_len = 4000;
	assert_null(vrrp_nlmsg_extack(nlh));
	nlh->nlmsg_flags = 0;
	assert_null(vrrp_nlmsg_extack(nlh));
}

static void test_names(void **state)
{
	char path[] = "/tmp/vigil-rt_tables.XXXXXX";
	unsigned long long g;
	unsigned f, to;
	uint32_t t;
	uint8_t p;
	int fd;

	(void)state;
	assert_int_equal(vrrp_nl_table_id("100", "/nonexistent", &t), 0);
	assert_int_equal(t, 100);
	assert_int_equal(vrrp_nl_table_id("4294967295", "/nonexistent", &t), 0);
	assert_int_equal(t, 4294967295u);
	assert_int_equal(vrrp_nl_table_id("4294967296", "/nonexistent", &t), -1);
	assert_int_equal(vrrp_nl_table_id("main", "/nonexistent", &t), 0);
	assert_int_equal(t, RT_TABLE_MAIN);
	assert_int_equal(vrrp_nl_table_id("12x", "/nonexistent", &t), -1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, "# comment\n255\tlocal\n  200 vrrp_net\n0x10 hexed\n", 46) == 46);
	close(fd);
	assert_int_equal(vrrp_nl_table_id("vrrp_net", path, &t), 0);
	assert_int_equal(t, 200);
	assert_int_equal(vrrp_nl_table_id("hexed", path, &t), 0);
	assert_int_equal(t, 16);
	assert_int_equal(vrrp_nl_table_id("vrrp", path, &t), -1);
	/* The same file read as rt_realms (0..255) and group. */
	assert_int_equal(conf_realms("vrrp_net/hexed", path, &f, &to), 0);
	assert_int_equal(f, 200);
	assert_int_equal(to, 16);
	assert_int_equal(conf_realms("9", path, &f, &to), 0);
	assert_int_equal(f, 0);
	assert_int_equal(to, 9);
	assert_int_equal(conf_realms("vrrp_net/nosuch", path, &f, &to), -1);
	assert_int_equal(conf_realms("256", path, &f, &to), -1);
	assert_int_equal(conf_iproute2_id("local", path, "group", 0x7fffffff, &g), 0);
	assert_int_equal(g, 255);
	assert_int_equal(conf_iproute2_id("nosuch", path, "group", 0x7fffffff, &g), -1);
	unlink(path);

	assert_int_equal(vrrp_nl_proto_id("keepalived", "/nonexistent", &p), 0);
	assert_int_equal(p, 18);
	assert_int_equal(vrrp_nl_proto_id("99", "/nonexistent", &p), 0);
	assert_int_equal(p, 99);
	assert_int_equal(vrrp_nl_proto_id("256", "/nonexistent", &p), -1);
	assert_int_equal(vrrp_nl_scope(-1, 7), 7);
	assert_int_equal(vrrp_nl_scope(3, 0), RT_SCOPE_HOST);
	assert_int_equal(vrrp_nl_scope(99, 0), 0);
}

static void test_what(void **state)
{
	struct conf_vip v;
	char w[128];

	(void)state;
	init_vip(&v, "198.18.0.10", 24);
	vrrp_nlmsg_addr_what(w, sizeof(w), true, "veth0", &v);
	assert_string_equal(w, "add 198.18.0.10/24 dev veth0");
}

/* The log text of a route or rule names what the kernel was asked to do. */
static void test_route_rule_what(void **state)
{
	struct conf_route r;
	struct conf_rule u;
	char w[192];

	(void)state;
	init_route(&r);
	vrrp_nlmsg_route_what(w, sizeof(w), true, &r);
	assert_string_equal(w, "add route 198.19.200.0/24 via 198.18.0.254 dev d0 table 100");
	r.dst.len = 0;
	memset(&r.via, 0, sizeof(r.via));
	r.dev = NULL;
	r.table = NULL;
	vrrp_nlmsg_route_what(w, sizeof(w), false, &r);
	assert_string_equal(w, "delete route default");

	init_rule(&u);
	vrrp_nlmsg_rule_what(w, sizeof(w), true, &u);
	assert_string_equal(w, "add rule from all to all table 100");
	u.family = AF_INET6;
	u.not_ = true;
	set_addr(&u.to.addr, "fd00:198:18::");
	u.to.len = 48;
	u.table = NULL;
	vrrp_nlmsg_rule_what(w, sizeof(w), false, &u);
	assert_string_equal(w, "delete rule not inet6 from all to fd00:198:18::/48");
}

/*
 * vigild -t must never say valid for a route or rule the daemon then refuses
 * to install: for every option row of the route and rule tables, a line the
 * configuration accepts must build. Options the builder cannot program are
 * refused by conf/kw_static.c instead.
 */
struct opt_tally {
	unsigned built, refused;
	char failed[256];
};

/* Interfaces exist or not at run time, not in the file: every name does here. */
static int any_ifindex(const void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return 7;
}

static void try_line(const char *block, const char *line, bool is_route, struct opt_tally *t)
{
	struct vrrp_nlmsg_env env = { .ifindex = any_ifindex };
	struct conf_options o = { .flags = CONF_NO_INCLUDE };
	struct conf_load l = { 0 };
	char text[256], why[160];
	uint8_t msg[VRRP_NLMSG_MAX];
	int n;

	snprintf(text, sizeof(text), "%s {\n %s\n}\n", block, line);
	if (conf_load_string("t.conf", text, strlen(text), &o, &l) || !l.model) {
		t->refused++;
		conf_load_free(&l);
		return;
	}
	if (is_route)
		n = vrrp_nlmsg_route(msg, sizeof(msg), 1, true,
				     (const struct conf_route *)(void *)l.model->vrrp.static_routes.head,
				     &env, why, sizeof(why));
	else
		n = vrrp_nlmsg_rule(msg, sizeof(msg), 1, true,
				    (const struct conf_rule *)(void *)l.model->vrrp.static_rules.head,
				    &env, why, sizeof(why));
	if (n > 0)
		t->built++;
	else if (!t->failed[0])
		snprintf(t->failed, sizeof(t->failed), "'%s' passes -t but does not build: %s", line,
			 why);
	conf_load_free(&l);
}

static void test_accepted_options_build(void **state)
{
	/* Every option row with every kind of value, names included: table and
	 * protocol names (known or not) are looked up at load, so a line that
	 * loads builds. The other words are the value forms of the kept route
	 * options. */
	static const char *const values[] = { "5",	 "lock 5", "inet 198.18.0.1",
					      "0",	 "300ms",  "1.5s",
					      "lock 2s", "ecn",	   "high",
					      "enabled", "reno",   "cosmos/2",
					      "main",	 "bird",   "no-such-name-here" };
	static const char *const dsts[] = { "198.18.5.0/24", "fd00:198:18:5::/64" };
	struct opt_tally t = { 0 };
	char line[160];

	(void)state;
	for (const struct conf_entry_opt *o = conf_route_opts; o->name; o++)
		for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]); v++)
			for (unsigned d = 0; d < 2; d++) {
				snprintf(line, sizeof(line), "%s dev d0 %s %s", dsts[d], o->name,
					 values[v]);
				try_line("static_routes", line, true, &t);
			}
	for (const struct conf_entry_opt *o = conf_rule_opts; o->name; o++)
		for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			snprintf(line, sizeof(line), "from 198.18.5.0/24 table 9 %s %s", o->name,
				 values[v]);
			try_line("static_rules", line, false, &t);
		}
	try_line("static_rules", "from 198.18.5.0/24 table 9 ip_proto tcp", false, &t);
	try_line("static_rules", "from 198.18.5.0/24 table 9 ip_proto no-such-proto", false, &t);
	try_line("static_rules", "from 198.18.5.0/24 table 9 realms 1/2", false, &t);
	try_line("static_rules", "from 198.18.5.0/24 table 9 realms x/2", false, &t);
	try_line("static_rules", "from 198.18.5.0/24 table 9 suppress_ifgroup default", false, &t);
	if (t.failed[0])
		fail_msg("%s", t.failed);
	/* Both sides are exercised: lines that build and lines refused. */
	assert_true(t.built >= 25);
	assert_true(t.refused >= 25);
	print_message("%u option lines built, %u refused at load\n", t.built, t.refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_options_build),
		cmocka_unit_test(test_addr_v4_brd_label_scope),
		cmocka_unit_test(test_addr_v6_nodad),
		cmocka_unit_test(test_addr_del_and_brd_modes),
		cmocka_unit_test(test_route_gw_table_metric),
		cmocka_unit_test(test_route_more),
		cmocka_unit_test(test_route_kept_options),
		cmocka_unit_test(test_rule_fwmark_table_prio),
		cmocka_unit_test(test_rule_more),
		cmocka_unit_test(test_vmac_and_link_del),
		cmocka_unit_test(test_parse_link),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_extack),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_what),
		cmocka_unit_test(test_route_rule_what),
		cmocka_unit_test(test_parse_rtdel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
