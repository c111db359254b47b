/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvs/genl_msg.c without a kernel: every request is built and parsed
 * back, and replies are built by hand (good and hostile) and decoded
 * (test_ipvs_genl_open opens the family).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <cmocka.h>

#include "ipvs/genl.h"
#include "ipvs/genl_msg.h"

#define FAM 0x1c

static struct ipvs_service svc4(uint16_t proto, const char *addr, uint16_t port)
{
	struct ipvs_service s = { .af = AF_INET, .protocol = proto, .port = port };

	s.addr.family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, addr, &s.addr.u.v4), 1);
	strcpy(s.sched, "wlc");
	return s;
}

static struct ipvs_dest dst(int af, const char *addr, uint16_t port)
{
	struct ipvs_dest d = { .af = af, .port = port, .weight = 3 };

	d.addr.family = (sa_family_t)af;
	assert_int_equal(inet_pton(af, addr, &d.addr.u), 1);
	return d;
}

/* ------------------------------------------------------ parse-back help */

struct parsed {
	struct genlmsghdr *gh;
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *svc[IPVS_SVC_ATTR_MAX + 1];
	struct nlattr *dest[IPVS_DEST_ATTR_MAX + 1];
	struct nlattr *dmn[IPVS_DAEMON_ATTR_MAX + 1];
};

static void parse_back(struct nl_msg *m, struct parsed *p)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	memset(p, 0, sizeof(*p));
	assert_true(h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN);
	assert_int_equal(h->nlmsg_type, FAM);
	assert_true(h->nlmsg_flags & NLM_F_REQUEST);
	p->gh = nlmsg_data(h);
	assert_int_equal(p->gh->version, IPVS_GENL_VERSION);
	assert_int_equal(genlmsg_parse(h, 0, p->top, IPVS_CMD_ATTR_MAX, NULL), 0);
	if (p->top[IPVS_CMD_ATTR_SERVICE])
		assert_int_equal(nla_parse_nested(p->svc, IPVS_SVC_ATTR_MAX,
						  p->top[IPVS_CMD_ATTR_SERVICE], NULL),
				 0);
	if (p->top[IPVS_CMD_ATTR_DEST])
		assert_int_equal(nla_parse_nested(p->dest, IPVS_DEST_ATTR_MAX,
						  p->top[IPVS_CMD_ATTR_DEST], NULL),
				 0);
	if (p->top[IPVS_CMD_ATTR_DAEMON])
		assert_int_equal(nla_parse_nested(p->dmn, IPVS_DAEMON_ATTR_MAX,
						  p->top[IPVS_CMD_ATTR_DAEMON], NULL),
				 0);
}

static unsigned count_attrs(struct nlattr **tb, int max)
{
	unsigned n = 0;

	for (int i = 0; i <= max; i++)
		n += tb[i] != NULL;
	return n;
}

static struct nl_msg *build_op(enum ipvs_op_kind k, const struct ipvs_service *s,
			       const struct ipvs_dest *d)
{
	struct ipvs_op op = { .kind = k, .svc = s, .dest = d };
	struct nl_msg *m = nlmsg_alloc();

	assert_non_null(m);
	assert_int_equal(ipvs_msg_op(m, FAM, &op), 0);
	return m;
}

/* ---------------------------------------------------------------- encode */

static void test_encode_add_service_full(void **state)
{
	struct ipvs_service s = svc4(IPPROTO_TCP, "198.18.0.1", 80);
	struct ip_vs_flags fl;
	struct parsed p;
	struct nl_msg *m;
	const unsigned char *a;

	(void)state;
	s.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED;
	s.timeout = 300;
	s.netmask = htonl(0xffffff00);
	strcpy(s.pe_name, "sip");
	m = build_op(IPVS_OP_ADD_SVC, &s, NULL);
	parse_back(m, &p);
	assert_int_equal(nlmsg_hdr(m)->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(p.gh->cmd, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(count_attrs(p.top, IPVS_CMD_ATTR_MAX), 1);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_PROTOCOL]), IPPROTO_TCP);
	assert_int_equal(nla_len(p.svc[IPVS_SVC_ATTR_ADDR]), 16);
	a = nla_data(p.svc[IPVS_SVC_ATTR_ADDR]);
	assert_memory_equal(a, "\xc6\x12\x00\x01\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	/* Port in network order on the wire. */
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_PORT]), htons(80));
	assert_null(p.svc[IPVS_SVC_ATTR_FWMARK]);
	assert_string_equal(nla_get_string(p.svc[IPVS_SVC_ATTR_SCHED_NAME]), "wlc");
	assert_int_equal(nla_len(p.svc[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
	memcpy(&fl, nla_data(p.svc[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
	assert_int_equal(fl.flags, IP_VS_SVC_F_PERSISTENT); /* HASHED is the kernel's */
	assert_int_equal(fl.mask, 0xffffffff);
	assert_int_equal(nla_get_u32(p.svc[IPVS_SVC_ATTR_TIMEOUT]), 300);
	assert_int_equal(nla_get_u32(p.svc[IPVS_SVC_ATTR_NETMASK]), htonl(0xffffff00));
	assert_string_equal(nla_get_string(p.svc[IPVS_SVC_ATTR_PE_NAME]), "sip");
	nlmsg_free(m);

	/* Edit: the same attributes under SET_SERVICE; no pe_name when empty. */
	s.pe_name[0] = '\0';
	m = build_op(IPVS_OP_EDIT_SVC, &s, NULL);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_SET_SERVICE);
	assert_int_equal(count_attrs(p.svc, IPVS_SVC_ATTR_MAX), 8);
	assert_null(p.svc[IPVS_SVC_ATTR_PE_NAME]);
	nlmsg_free(m);
}

static void test_encode_service_v6_fwmark(void **state)
{
	struct ipvs_service s = { .af = AF_INET6, .fwmark = 42, .sched = "rr" };
	struct ipvs_service v6 = s;
	struct parsed p;
	struct nl_msg *m;

	(void)state;
	m = build_op(IPVS_OP_ADD_SVC, &s, NULL);
	parse_back(m, &p);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET6);
	assert_int_equal(nla_get_u32(p.svc[IPVS_SVC_ATTR_FWMARK]), 42);
	assert_null(p.svc[IPVS_SVC_ATTR_ADDR]);
	assert_null(p.svc[IPVS_SVC_ATTR_PORT]);
	assert_null(p.svc[IPVS_SVC_ATTR_PROTOCOL]);
	nlmsg_free(m);

	v6.fwmark = 0;
	v6.protocol = IPPROTO_UDP;
	v6.port = 5060;
	v6.addr.family = AF_INET6;
	inet_pton(AF_INET6, "fd00:198:18::1", &v6.addr.u.v6);
	m = build_op(IPVS_OP_ADD_SVC, &v6, NULL);
	parse_back(m, &p);
	assert_memory_equal(nla_data(p.svc[IPVS_SVC_ATTR_ADDR]), &v6.addr.u.v6, 16);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_PORT]), htons(5060));
	nlmsg_free(m);
}

/* DEL_SERVICE of a fwmark service, byte for byte. */
static void test_encode_del_service_golden(void **state)
{
	struct ipvs_service s = { .af = AF_INET, .fwmark = 0x01020304 };
	struct nl_msg *m;
	struct nlmsghdr *h;
	const unsigned char want[] = {
		/* nlmsghdr: len 40, type FAM, flags REQUEST|ACK, seq 0, pid 0 */
		40,
		0,
		0,
		0,
		FAM,
		0,
		0x05,
		0x00,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		/* genl: cmd DEL_SERVICE, version 1 */
		IPVS_CMD_DEL_SERVICE,
		1,
		0,
		0,
		/* nest SERVICE, 20 bytes */
		20,
		0,
		IPVS_CMD_ATTR_SERVICE,
		0x00,
		/* AF = 2 (u16, padded) */
		6,
		0,
		IPVS_SVC_ATTR_AF,
		0,
		2,
		0,
		0,
		0,
		/* FWMARK (u32, host order) */
		8,
		0,
		IPVS_SVC_ATTR_FWMARK,
		0,
		0x04,
		0x03,
		0x02,
		0x01,
	};
	unsigned char got[sizeof(want)];

	(void)state;
	m = build_op(IPVS_OP_DEL_SVC, &s, NULL);
	h = nlmsg_hdr(m);
	assert_int_equal(h->nlmsg_len, sizeof(want));
	memcpy(got, h, sizeof(got));
	got[23] &= 0x7f; /* NLA_F_NESTED (libnl 3.7 sets it; older ones do not) */
	assert_memory_equal(got, want, sizeof(want));
	nlmsg_free(m);
}

static void test_encode_dest_ops(void **state)
{
	struct ipvs_service s = svc4(IPPROTO_TCP, "198.18.0.1", 80);
	struct ipvs_dest d = dst(AF_INET, "198.18.1.1", 8080);
	struct parsed p;
	struct nl_msg *m;

	(void)state;
	s.timeout = 77;
	d.conn_flags = IP_VS_CONN_F_DROUTE | IP_VS_CONN_F_ONE_PACKET;
	d.u_threshold = 100;
	d.l_threshold = 10;
	m = build_op(IPVS_OP_ADD_DEST, &s, &d);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_NEW_DEST);
	/* The service is named by its key only. */
	assert_int_equal(count_attrs(p.svc, IPVS_SVC_ATTR_MAX), 4);
	assert_null(p.svc[IPVS_SVC_ATTR_TIMEOUT]);
	assert_memory_equal(nla_data(p.dest[IPVS_DEST_ATTR_ADDR]), "\xc6\x12\x01\x01", 4);
	assert_int_equal(nla_len(p.dest[IPVS_DEST_ATTR_ADDR]), 16);
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_PORT]), htons(8080));
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_FWD_METHOD]), IP_VS_CONN_F_DROUTE);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_WEIGHT]), 3);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_U_THRESH]), 100);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_L_THRESH]), 10);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_TYPE]);
	nlmsg_free(m);

	m = build_op(IPVS_OP_EDIT_DEST, &s, &d);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_SET_DEST);
	assert_int_equal(count_attrs(p.dest, IPVS_DEST_ATTR_MAX), 7);
	nlmsg_free(m);

	m = build_op(IPVS_OP_DEL_DEST, &s, &d);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_DEL_DEST);
	assert_int_equal(count_attrs(p.dest, IPVS_DEST_ATTR_MAX), 3);
	assert_null(p.dest[IPVS_DEST_ATTR_WEIGHT]);
	nlmsg_free(m);

	/* Tunnel (GUE) over IPv6: tunnel attributes go along. */
	d = dst(AF_INET6, "fd00:198:18::20", 80);
	d.conn_flags = IP_VS_CONN_F_TUNNEL;
	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d.tun_port = htons(6080);
	d.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	m = build_op(IPVS_OP_ADD_DEST, &s, &d);
	parse_back(m, &p);
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET6);
	assert_memory_equal(nla_data(p.dest[IPVS_DEST_ATTR_ADDR]), &d.addr.u.v6, 16);
	assert_int_equal(nla_get_u8(p.dest[IPVS_DEST_ATTR_TUN_TYPE]), IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_TUN_PORT]), htons(6080));
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_TUN_FLAGS]),
			 IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	nlmsg_free(m);
}

static void test_encode_bad_ops(void **state)
{
	struct ipvs_service s = svc4(IPPROTO_TCP, "198.18.0.1", 80);
	struct ipvs_op op = { .kind = IPVS_OP_ADD_DEST, .svc = &s, .dest = NULL };
	struct nl_msg *m = nlmsg_alloc();

	(void)state;
	assert_int_equal(ipvs_msg_op(m, FAM, &op), -EINVAL); /* dest op without dest */
	nlmsg_free(m);
	m = nlmsg_alloc();
	op.kind = (enum ipvs_op_kind)42;
	assert_int_equal(ipvs_msg_op(m, FAM, &op), -EINVAL);
	nlmsg_free(m);
	m = nlmsg_alloc();
	op.kind = IPVS_OP_ADD_SVC;
	s.af = 99;
	assert_int_equal(ipvs_msg_op(m, FAM, &op), -EINVAL);
	nlmsg_free(m);
	m = nlmsg_alloc();
	op.svc = NULL;
	assert_int_equal(ipvs_msg_op(m, FAM, &op), -EINVAL);
	nlmsg_free(m);
}

static void test_encode_dumps_flush_timeouts(void **state)
{
	struct ipvs_service s = svc4(IPPROTO_TCP, "198.18.0.1", 80);
	struct parsed p;
	struct nl_msg *m;

	(void)state;
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_get_services(m, FAM), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_GET_SERVICE);
	assert_true(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP);
	assert_int_equal(count_attrs(p.top, IPVS_CMD_ATTR_MAX), 0);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_get_dests(m, FAM, &s), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_GET_DEST);
	assert_true((nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
	assert_int_equal(count_attrs(p.svc, IPVS_SVC_ATTR_MAX), 4);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_flush(m, FAM), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_FLUSH);
	assert_true(nlmsg_hdr(m)->nlmsg_flags & NLM_F_ACK);
	assert_int_equal(count_attrs(p.top, IPVS_CMD_ATTR_MAX), 0);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_timeouts(m, FAM, 900, 0, 300), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_SET_CONFIG);
	assert_int_equal(nla_get_u32(p.top[IPVS_CMD_ATTR_TIMEOUT_TCP]), 900);
	assert_null(p.top[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]); /* 0: left as it is */
	assert_int_equal(nla_get_u32(p.top[IPVS_CMD_ATTR_TIMEOUT_UDP]), 300);
	nlmsg_free(m);
}

static void test_encode_daemon(void **state)
{
	struct ipvs_sync_cfg c = { .ifname = "eth1", .syncid = 7 };
	struct parsed p;
	struct nl_msg *m;

	(void)state;
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_MASTER, &c), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_NEW_DAEMON);
	assert_int_equal(nla_get_u32(p.dmn[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_MASTER);
	assert_string_equal(nla_get_string(p.dmn[IPVS_DAEMON_ATTR_MCAST_IFN]), "eth1");
	assert_int_equal(nla_get_u32(p.dmn[IPVS_DAEMON_ATTR_SYNC_ID]), 7);
	assert_int_equal(count_attrs(p.dmn, IPVS_DAEMON_ATTR_MAX), 3); /* defaults omitted */
	nlmsg_free(m);

	c.maxlen = 1400;
	c.port = 8849;
	c.ttl = 2;
	c.group.family = AF_INET;
	inet_pton(AF_INET, "239.1.2.3", &c.group.u.v4);
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_BACKUP, &c), 0);
	parse_back(m, &p);
	assert_int_equal(nla_get_u32(p.dmn[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_BACKUP);
	assert_int_equal(nla_get_u16(p.dmn[IPVS_DAEMON_ATTR_SYNC_MAXLEN]), 1400);
	assert_int_equal(nla_get_u16(p.dmn[IPVS_DAEMON_ATTR_MCAST_PORT]), 8849);
	assert_int_equal(nla_get_u8(p.dmn[IPVS_DAEMON_ATTR_MCAST_TTL]), 2);
	assert_memory_equal(nla_data(p.dmn[IPVS_DAEMON_ATTR_MCAST_GROUP]), "\xef\x01\x02\x03", 4);
	assert_null(p.dmn[IPVS_DAEMON_ATTR_MCAST_GROUP6]);
	nlmsg_free(m);

	c.group.family = AF_INET6;
	inet_pton(AF_INET6, "ff02::81", &c.group.u.v6);
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_BACKUP, &c), 0);
	parse_back(m, &p);
	assert_int_equal(nla_len(p.dmn[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	assert_null(p.dmn[IPVS_DAEMON_ATTR_MCAST_GROUP]);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_del(m, FAM, IPVS_SYNC_BACKUP), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_DEL_DAEMON);
	assert_int_equal(nla_get_u32(p.dmn[IPVS_DAEMON_ATTR_STATE]), IP_VS_STATE_BACKUP);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_get(m, FAM), 0);
	parse_back(m, &p);
	assert_int_equal(p.gh->cmd, IPVS_CMD_GET_DAEMON);
	nlmsg_free(m);

	/* Refused before anything is sent. */
	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_del(m, FAM, (enum ipvs_sync_state)3), -EINVAL);
	c.syncid = 256;
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_MASTER, &c), -EINVAL);
	c.syncid = 1;
	c.ifname[0] = '\0';
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_MASTER, &c), -EINVAL);
	memset(c.ifname, 'x', sizeof(c.ifname)); /* 16 bytes, no NUL */
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_MASTER, &c), -EINVAL);
	nlmsg_free(m);
}

/* ---------------------------------------------------------------- decode */

/* A kernel-like service reply; skip is an attribute to leave out (0: none). */
static struct nl_msg *svc_reply(int af, int fwmark, int skip)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *n, *st;
	unsigned char addr[16] = { 0 };
	struct ip_vs_flags fl = { IP_VS_SVC_F_HASHED | IP_VS_SVC_F_PERSISTENT, ~0u };

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 9, FAM, 0, NLM_F_MULTI, IPVS_CMD_NEW_SERVICE, 1));
	n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	if (af == AF_INET6)
		inet_pton(AF_INET6, "fd00:198:18::1", addr);
	else
		inet_pton(AF_INET, "198.18.0.1", addr);
	if (skip != IPVS_SVC_ATTR_AF)
		nla_put_u16(m, IPVS_SVC_ATTR_AF, (uint16_t)af);
	if (fwmark) {
		nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, (uint32_t)fwmark);
	} else {
		if (skip != IPVS_SVC_ATTR_PROTOCOL)
			nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
		if (skip != IPVS_SVC_ATTR_ADDR)
			nla_put(m, IPVS_SVC_ATTR_ADDR, 16, addr);
		if (skip != IPVS_SVC_ATTR_PORT)
			nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(443));
	}
	if (skip != IPVS_SVC_ATTR_SCHED_NAME)
		nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, "sh");
	if (skip != IPVS_SVC_ATTR_FLAGS)
		nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
	if (skip != IPVS_SVC_ATTR_TIMEOUT)
		nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, 360);
	if (skip != IPVS_SVC_ATTR_NETMASK)
		nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, af == AF_INET6 ? 64 : htonl(0xffffff00));
	st = nla_nest_start(m, IPVS_SVC_ATTR_STATS);
	nla_put_u32(m, IPVS_STATS_ATTR_CONNS, 12345);
	nla_nest_end(m, st);
	nla_put_u32(m, 200, 1); /* an attribute from a future kernel: ignored */
	nla_nest_end(m, n);
	return m;
}

static void test_decode_service_v4_v6(void **state)
{
	struct ipvs_service s;
	const char *why = NULL;
	struct nl_msg *m;
	char buf[96];

	(void)state;
	m = svc_reply(AF_INET, 0, 0);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), 0);
	assert_int_equal(s.af, AF_INET);
	assert_int_equal(s.protocol, IPPROTO_TCP);
	assert_int_equal(s.port, 443); /* host order in the struct */
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "TCP 198.18.0.1:443");
	assert_string_equal(s.sched, "sh");
	assert_int_equal(s.flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s.timeout, 360);
	assert_int_equal(s.netmask, htonl(0xffffff00));
	assert_string_equal(s.pe_name, "");
	assert_int_equal(s.fwmark, 0);
	assert_null(s.dests);
	nlmsg_free(m);

	m = svc_reply(AF_INET6, 0, 0);
	nla_put_string(m, 0, ""); /* harmless trailing top-level attr of type 0 */
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), 0);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "TCP [fd00:198:18::1]:443");
	assert_int_equal(s.netmask, 64);
	nlmsg_free(m);

	m = svc_reply(AF_INET, 17, 0);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), 0);
	assert_int_equal(s.fwmark, 17);
	assert_int_equal(s.protocol, 0);
	assert_int_equal(s.port, 0);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "FWM 17");
	nlmsg_free(m);
}

static void test_decode_service_round_trip(void **state)
{
	struct ipvs_service s = svc4(IPPROTO_UDP, "198.18.3.4", 53), back;
	struct nl_msg *m;
	struct nlmsghdr *h;
	struct genlmsghdr *gh;
	const char *why;

	(void)state;
	s.flags = IP_VS_SVC_F_ONEPACKET;
	s.timeout = 1;
	s.netmask = 0xffffffff;
	strcpy(s.pe_name, "sip");
	/* A request and a reply differ only by the command number. */
	m = build_op(IPVS_OP_ADD_SVC, &s, NULL);
	h = nlmsg_hdr(m);
	gh = nlmsg_data(h);
	gh->cmd = IPVS_CMD_NEW_SERVICE;
	assert_int_equal(ipvs_msg_parse_service(h, &back, &why), 0);
	s.addr.family = AF_INET;
	assert_int_equal(ipvs_service_cmp(&s, &back), 0);
	assert_string_equal(back.sched, "wlc");
	assert_string_equal(back.pe_name, "sip");
	assert_int_equal(back.flags, s.flags);
	assert_int_equal(back.timeout, 1);
	assert_int_equal(back.netmask, 0xffffffff);
	/* The wrong command is refused. */
	gh->cmd = IPVS_CMD_NEW_DEST;
	assert_int_equal(ipvs_msg_parse_service(h, &back, &why), -EINVAL);
	nlmsg_free(m);
}

static void test_decode_service_missing(void **state)
{
	static const int mandatory[] = {
		IPVS_SVC_ATTR_AF,      IPVS_SVC_ATTR_PROTOCOL,	 IPVS_SVC_ATTR_ADDR,
		IPVS_SVC_ATTR_PORT,    IPVS_SVC_ATTR_SCHED_NAME, IPVS_SVC_ATTR_FLAGS,
		IPVS_SVC_ATTR_TIMEOUT, IPVS_SVC_ATTR_NETMASK,
	};
	struct ipvs_service s;
	struct nl_msg *m;

	(void)state;
	for (size_t i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++) {
		const char *why = NULL;

		m = svc_reply(AF_INET, 0, mandatory[i]);
		assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), -EINVAL);
		assert_non_null(why);
		nlmsg_free(m);
	}
}

/* Builds a service message with one odd attribute in the service nest. */
static struct nl_msg *svc_with(int type, const void *data, int len)
{
	struct nl_msg *m = svc_reply(AF_INET, 0, type);
	struct nlmsghdr *h = nlmsg_hdr(m);
	struct nlattr *n = (struct nlattr *)((char *)nlmsg_data(h) + GENL_HDRLEN);

	/* Append inside the service nest (it is the last top-level attr). */
	nla_put(m, type, len, data);
	n->nla_len = (uint16_t)((char *)nlmsg_tail(h) - (char *)n);
	return m;
}

static void test_decode_service_wrong_sizes(void **state)
{
	struct ipvs_service s;
	const char *why;
	struct nl_msg *m;
	uint32_t big = 2;
	uint8_t one = 2;
	char nonul[4] = { 'w', 'l', 'c', 'x' };
	char longname[40];
	struct {
		int type;
		const void *data;
		int len;
	} cases[] = {
		{ IPVS_SVC_ATTR_AF, &one, 1 },
		{ IPVS_SVC_ATTR_AF, &big, 4 },
		{ IPVS_SVC_ATTR_PORT, &big, 4 },
		{ IPVS_SVC_ATTR_ADDR, &big, 2 },
		{ IPVS_SVC_ATTR_FLAGS, &big, 4 },
		{ IPVS_SVC_ATTR_SCHED_NAME, nonul, 4 },
		{ IPVS_SVC_ATTR_SCHED_NAME, longname, sizeof(longname) },
		{ IPVS_SVC_ATTR_TIMEOUT, &one, 1 },
	};

	(void)state;
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		m = svc_with(cases[i].type, cases[i].data, cases[i].len);
		assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), -EINVAL);
		assert_non_null(why);
		nlmsg_free(m);
	}
	/* AF 7 is neither IPv4 nor IPv6. */
	big = 0;
	one = 7;
	m = svc_with(IPVS_SVC_ATTR_AF, (uint16_t[]){ 7 }, 2);
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), -EINVAL);
	nlmsg_free(m);
	/* An IPv6 service with a 4-byte address. */
	m = svc_reply(AF_INET6, 0, IPVS_SVC_ATTR_ADDR);
	nlmsg_free(m);
	m = nlmsg_alloc();
	{
		struct nlattr *n;

		genlmsg_put(m, 0, 9, FAM, 0, 0, IPVS_CMD_NEW_SERVICE, 1);
		n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
		nla_put_u16(m, IPVS_SVC_ATTR_AF, AF_INET6);
		nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
		nla_put(m, IPVS_SVC_ATTR_ADDR, 4, "\1\2\3\4");
		nla_put_u16(m, IPVS_SVC_ATTR_PORT, 1);
		nla_nest_end(m, n);
	}
	assert_int_equal(ipvs_msg_parse_service(nlmsg_hdr(m), &s, &why), -EINVAL);
	assert_string_equal(why, "IPv6 address is not 16 bytes");
	nlmsg_free(m);
}

static void test_decode_truncated(void **state)
{
	struct ipvs_service s;
	const char *why;
	struct nl_msg *m;
	struct nlmsghdr *h;
	struct nlattr *n, *first;

	(void)state;
	/* An attribute inside the nest claims more than the nest holds. */
	m = svc_reply(AF_INET, 0, 0);
	h = nlmsg_hdr(m);
	n = (struct nlattr *)((char *)nlmsg_data(h) + GENL_HDRLEN);
	first = nla_data(n);
	first->nla_len = 200;
	why = NULL;
	assert_int_equal(ipvs_msg_parse_service(h, &s, &why), -EINVAL);
	assert_string_equal(why, "truncated attribute");
	nlmsg_free(m);

	/* The nest itself runs past the message. */
	m = svc_reply(AF_INET, 0, 0);
	h = nlmsg_hdr(m);
	n = (struct nlattr *)((char *)nlmsg_data(h) + GENL_HDRLEN);
	n->nla_len = (uint16_t)(n->nla_len + 64);
	assert_int_equal(ipvs_msg_parse_service(h, &s, &why), -EINVAL);
	nlmsg_free(m);

	/* The message ends inside the genl header. */
	m = svc_reply(AF_INET, 0, 0);
	h = nlmsg_hdr(m);
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(ipvs_msg_parse_service(h, &s, &why), -EINVAL);
	/* Only the genl header: no service attribute. */
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	assert_int_equal(ipvs_msg_parse_service(h, &s, &why), -EINVAL);
	assert_string_equal(why, "no service attribute");
	/* Three stray bytes after the last attribute. */
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + 3;
	assert_int_equal(ipvs_msg_parse_service(h, &s, &why), -EINVAL);
	nlmsg_free(m);
}

static struct nl_msg *dest_reply(int af, int with_af, int skip, uint32_t weight)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *n;
	unsigned char addr[16] = { 0 };

	assert_non_null(m);
	genlmsg_put(m, 0, 9, FAM, 0, NLM_F_MULTI, IPVS_CMD_NEW_DEST, 1);
	n = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	if (af == AF_INET6)
		inet_pton(AF_INET6, "fd00:198:18::21", addr);
	else
		inet_pton(AF_INET, "198.18.1.21", addr);
	if (skip != IPVS_DEST_ATTR_ADDR)
		nla_put(m, IPVS_DEST_ATTR_ADDR, 16, addr);
	if (skip != IPVS_DEST_ATTR_PORT)
		nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(8443));
	if (skip != IPVS_DEST_ATTR_FWD_METHOD)
		nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_TUNNEL);
	if (skip != IPVS_DEST_ATTR_WEIGHT)
		nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, weight);
	nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(0));
	nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
	nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, 1000);
	nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, 500);
	nla_put_u32(m, IPVS_DEST_ATTR_ACTIVE_CONNS, 3);
	nla_put_u32(m, IPVS_DEST_ATTR_INACT_CONNS, 4);
	nla_put_u32(m, IPVS_DEST_ATTR_PERSIST_CONNS, 5);
	if (with_af)
		nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)af);
	nla_nest_end(m, n);
	return m;
}

static void test_decode_dest(void **state)
{
	struct ipvs_dest d;
	const char *why = NULL;
	struct nl_msg *m;
	char buf[96];

	(void)state;
	m = dest_reply(AF_INET, 1, 0, 5);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET6, &d, &why), 0);
	assert_int_equal(d.af, AF_INET); /* the dest's own family wins */
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "198.18.1.21:8443");
	assert_int_equal(d.conn_flags, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(d.weight, 5);
	assert_int_equal(d.u_threshold, 1000);
	assert_int_equal(d.l_threshold, 500);
	assert_int_equal(d.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(d.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
	nlmsg_free(m);

	/* An older kernel without ADDR_FAMILY: the service's family. */
	m = dest_reply(AF_INET6, 0, 0, 0);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET6, &d, &why), 0);
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "[fd00:198:18::21]:8443");
	assert_int_equal(d.weight, 0);
	nlmsg_free(m);

	/* Missing mandatory attributes, a negative weight, a bad family. */
	{
		static const int mandatory[] = { IPVS_DEST_ATTR_ADDR, IPVS_DEST_ATTR_PORT,
						 IPVS_DEST_ATTR_FWD_METHOD, IPVS_DEST_ATTR_WEIGHT };

		for (size_t i = 0; i < 4; i++) {
			m = dest_reply(AF_INET, 1, mandatory[i], 1);
			assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET, &d, &why),
					 -EINVAL);
			nlmsg_free(m);
		}
	}
	m = dest_reply(AF_INET, 1, 0, 0x80000000u);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET, &d, &why), -EINVAL);
	assert_string_equal(why, "negative weight");
	nlmsg_free(m);
	m = dest_reply(AF_INET, 0, 0, 1);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), 0, &d, &why), -EINVAL);
	nlmsg_free(m);
	/* A service reply is not a dest. */
	m = svc_reply(AF_INET, 0, 0);
	assert_int_equal(ipvs_msg_parse_dest(nlmsg_hdr(m), AF_INET, &d, &why), -EINVAL);
	nlmsg_free(m);
}

static void test_decode_daemon(void **state)
{
	struct ipvs_sync_cfg c = {
		.ifname = "eth9", .syncid = 200, .port = 9000, .ttl = 3, .maxlen = 1200
	};
	enum ipvs_sync_state st;
	struct ipvs_sync_cfg back;
	const char *why;
	struct nl_msg *m = nlmsg_alloc();
	struct genlmsghdr *gh;

	(void)state;
	c.group.family = AF_INET6;
	inet_pton(AF_INET6, "ff02::81", &c.group.u.v6);
	assert_int_equal(ipvs_msg_daemon_new(m, FAM, IPVS_SYNC_BACKUP, &c), 0);
	assert_int_equal(ipvs_msg_parse_daemon(nlmsg_hdr(m), &st, &back, &why), 0);
	assert_int_equal(st, IPVS_SYNC_BACKUP);
	assert_string_equal(back.ifname, "eth9");
	assert_int_equal(back.syncid, 200);
	assert_int_equal(back.port, 9000);
	assert_int_equal(back.ttl, 3);
	assert_int_equal(back.maxlen, 1200);
	assert_true(conf_addr_equal(&back.group, &c.group));
	gh = nlmsg_data(nlmsg_hdr(m));
	gh->cmd = IPVS_CMD_GET_DAEMON;
	assert_int_equal(ipvs_msg_parse_daemon(nlmsg_hdr(m), &st, &back, &why), -EINVAL);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(ipvs_msg_daemon_del(m, FAM, IPVS_SYNC_MASTER), 0);
	gh = nlmsg_data(nlmsg_hdr(m));
	gh->cmd = IPVS_CMD_NEW_DAEMON; /* state only: no interface, no id */
	assert_int_equal(ipvs_msg_parse_daemon(nlmsg_hdr(m), &st, &back, &why), -EINVAL);
	nlmsg_free(m);
}

static void test_decode_ack(void **state)
{
	unsigned char buf[256] = { 0 };
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = (struct nlmsgerr *)(buf + NLMSG_HDRLEN);
	struct nlattr *a = (struct nlattr *)(buf + NLMSG_HDRLEN + sizeof(*e));
	char msg[64];
	int err = 1;

	(void)state;
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(*e);
	e->error = 0;
	assert_int_equal(ipvs_msg_parse_ack(h, &err, msg, sizeof(msg)), 0);
	assert_int_equal(err, 0);
	assert_string_equal(msg, "");

	/* Capped error with an extended ack text. */
	e->error = -EEXIST;
	h->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = NLA_HDRLEN + 12;
	memcpy((char *)a + NLA_HDRLEN, "dest exists", 12);
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(*e) + NLA_ALIGN(a->nla_len);
	assert_int_equal(ipvs_msg_parse_ack(h, &err, msg, sizeof(msg)), 0);
	assert_int_equal(err, -EEXIST);
	assert_string_equal(msg, "dest exists");
	/* The same text without its NUL, cut by the message end: bounded. */
	a->nla_len = NLA_HDRLEN + 4;
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(*e) + NLA_HDRLEN + 4;
	assert_int_equal(ipvs_msg_parse_ack(h, &err, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "dest");
	/* An attribute longer than the message is ignored. */
	a->nla_len = 200;
	assert_int_equal(ipvs_msg_parse_ack(h, &err, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
	/* Uncapped: the echoed request claims more than there is. */
	h->nlmsg_flags = NLM_F_ACK_TLVS;
	e->msg.nlmsg_len = 5000;
	assert_int_equal(ipvs_msg_parse_ack(h, &err, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
	/* Too short for struct nlmsgerr. */
	h->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(ipvs_msg_parse_ack(h, &err, msg, sizeof(msg)), -EINVAL);
}

static void test_op_what(void **state)
{
	struct ipvs_service s = svc4(IPPROTO_TCP, "198.18.0.1", 80);
	struct ipvs_dest d = dst(AF_INET, "198.18.1.1", 80);
	struct ipvs_op op = { .kind = IPVS_OP_ADD_DEST, .svc = &s, .dest = &d };
	char buf[200];

	(void)state;
	ipvs_op_what(&op, buf, sizeof(buf));
	assert_string_equal(buf, "add dest 198.18.1.1:80 to TCP 198.18.0.1:80");
	op.kind = IPVS_OP_DEL_DEST;
	ipvs_op_what(&op, buf, sizeof(buf));
	assert_string_equal(buf, "delete dest 198.18.1.1:80 from TCP 198.18.0.1:80");
	op.kind = IPVS_OP_EDIT_DEST;
	ipvs_op_what(&op, buf, sizeof(buf));
	assert_string_equal(buf, "edit dest 198.18.1.1:80 in TCP 198.18.0.1:80");
	op.kind = IPVS_OP_EDIT_SVC;
	ipvs_op_what(&op, buf, sizeof(buf));
	assert_string_equal(buf, "edit service TCP 198.18.0.1:80");
	op.kind = IPVS_OP_DEL_SVC;
	ipvs_op_what(&op, buf, sizeof(buf));
	assert_string_equal(buf, "delete service TCP 198.18.0.1:80");
}

/* Every byte of good replies mutated: decoders answer 0 or -EINVAL. */
static void test_decode_mutations(void **state)
{
	struct nl_msg *src[] = { svc_reply(AF_INET, 0, 0), svc_reply(AF_INET6, 0, 0),
				 svc_reply(AF_INET, 5, 0), dest_reply(AF_INET6, 1, 0, 1) };
	uint32_t rnd = 12345;

	(void)state;
	for (size_t k = 0; k < sizeof(src) / sizeof(src[0]); k++) {
		struct nlmsghdr *h0 = nlmsg_hdr(src[k]);
		size_t len = h0->nlmsg_len;

		for (int iter = 0; iter < 4000; iter++) {
			unsigned char *b = malloc(len);
			struct nlmsghdr *h = (struct nlmsghdr *)b;
			struct ipvs_service s;
			struct ipvs_dest d;
			enum ipvs_sync_state st;
			struct ipvs_sync_cfg c;
			const char *why;
			int rc;

			assert_non_null(b);
			memcpy(b, h0, len);
			for (int j = 0; j < 1 + iter % 4; j++) {
				rnd = rnd * 1103515245u + 12345u;
				b[NLMSG_HDRLEN + (rnd >> 8) % (len - NLMSG_HDRLEN)] =
					(uint8_t)(rnd >> 24);
			}
			rnd = rnd * 1103515245u + 12345u;
			h->nlmsg_len =
				(uint32_t)(NLMSG_HDRLEN + (rnd >> 8) % (len - NLMSG_HDRLEN + 1));
			if (iter % 3)
				h->nlmsg_len = (uint32_t)len;
			rc = ipvs_msg_parse_service(h, &s, &why);
			assert_true(rc == 0 || rc == -EINVAL);
			rc = ipvs_msg_parse_dest(h, AF_INET, &d, &why);
			assert_true(rc == 0 || rc == -EINVAL);
			rc = ipvs_msg_parse_daemon(h, &st, &c, &why);
			assert_true(rc == 0 || rc == -EINVAL);
			free(b);
		}
		nlmsg_free(src[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_add_service_full),
		cmocka_unit_test(test_encode_service_v6_fwmark),
		cmocka_unit_test(test_encode_del_service_golden),
		cmocka_unit_test(test_encode_dest_ops),
		cmocka_unit_test(test_encode_bad_ops),
		cmocka_unit_test(test_encode_dumps_flush_timeouts),
		cmocka_unit_test(test_encode_daemon),
		cmocka_unit_test(test_decode_service_v4_v6),
		cmocka_unit_test(test_decode_service_round_trip),
		cmocka_unit_test(test_decode_service_missing),
		cmocka_unit_test(test_decode_service_wrong_sizes),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_dest),
		cmocka_unit_test(test_decode_daemon),
		cmocka_unit_test(test_decode_ack),
		cmocka_unit_test(test_op_what),
		cmocka_unit_test(test_decode_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
