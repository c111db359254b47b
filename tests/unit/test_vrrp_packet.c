/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/packet.c: golden byte vectors written by hand from the RFC 3768 /
 * RFC 5798 layouts, build -> exact bytes, parse -> fields, round trips,
 * every drop reason, and adverts captured from keepalived 2.2.7.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vrrp/ah.h"
#include "vrrp/packet.h"

static struct conf_addr addr(const char *s)
{
	struct conf_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.u.v6) == 1)
		a.family = AF_INET6;
	return a;
}

static uint32_t ip4_bytes(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

/* ---- golden vectors ---- */

/* VRRPv2, IPv4, auth none: VRID 1, prio 100, 1 s, VIP 198.18.1.100,
 * 198.18.1.1 -> 224.0.0.18, IP id 1. */
static const uint8_t gold_v2_none[] = {
	0x45,			/* IPv4, IHL 5 */
	0xc0,			/* TOS: CS6 */
	0x00, 0x28,		/* total length 40 = 20 + 8 + 4 + 8 */
	0x00, 0x01,		/* identification 1 */
	0x00, 0x00,		/* no flags, fragment offset 0 */
	0xff,			/* TTL 255 */
	0x70,			/* protocol 112 */
	0x13, 0x7f,		/* IPv4 header checksum */
	0xc6, 0x12, 0x01, 0x01, /* src 198.18.1.1 */
	0xe0, 0x00, 0x00, 0x12, /* dst 224.0.0.18 */
	0x21,			/* version 2, type 1 */
	0x01,			/* VRID 1 */
	0x64,			/* priority 100 */
	0x01,			/* count IP addrs 1 */
	0x00,			/* auth type 0 */
	0x01,			/* adver int 1 s */
	0xb3, 0x85,		/* checksum over the VRRP message */
	0xc6, 0x12, 0x01, 0x64, /* 198.18.1.100 */
	0x00, 0x00, 0x00, 0x00, /* authentication data (1) */
	0x00, 0x00, 0x00, 0x00, /* authentication data (2) */
};

/* VRRPv2, IPv4, simple password "s3cret": VRID 7, prio 200, 3 s, two VIPs,
 * 198.18.1.2 -> 224.0.0.18, IP id 0x1234. */
static const uint8_t gold_v2_pass[] = {
	0x45, 0xc0,		/* IPv4, IHL 5, TOS CS6 */
	0x00, 0x2c,		/* total length 44 = 20 + 8 + 8 + 8 */
	0x12, 0x34,		/* identification */
	0x00, 0x00,		/* flags / offset */
	0xff, 0x70,		/* TTL 255, protocol 112 */
	0x01, 0x47,		/* IPv4 header checksum */
	0xc6, 0x12, 0x01, 0x02, /* src 198.18.1.2 */
	0xe0, 0x00, 0x00, 0x12, /* dst 224.0.0.18 */
	0x21,			/* version 2, type 1 */
	0x07,			/* VRID 7 */
	0xc8,			/* priority 200 */
	0x02,			/* count 2 */
	0x01,			/* auth type 1: simple text password */
	0x03,			/* adver int 3 s */
	0x4b, 0x9e,		/* checksum */
	0xc6, 0x12, 0x01, 0x0a, /* 198.18.1.10 */
	0xc6, 0x12, 0x01, 0x0b, /* 198.18.1.11 */
	's',  '3',  'c',  'r',	/* password, NUL padded to 8 bytes */
	'e',  't',  0x00, 0x00,
};

/* VRRPv3, IPv4, one address: VRID 51, prio 150, 100 cs, VIP 198.18.1.51,
 * 198.18.1.3 -> 224.0.0.18, IP id 2. */
static const uint8_t gold_v3_one[] = {
	0x45, 0xc0,		/* IPv4, IHL 5, TOS CS6 */
	0x00, 0x20,		/* total length 32 = 20 + 8 + 4 */
	0x00, 0x02,		/* identification */
	0x00, 0x00,		/* flags / offset */
	0xff, 0x70,		/* TTL 255, protocol 112 */
	0x13, 0x84,		/* IPv4 header checksum */
	0xc6, 0x12, 0x01, 0x03, /* src 198.18.1.3 */
	0xe0, 0x00, 0x00, 0x12, /* dst 224.0.0.18 */
	0x31,			/* version 3, type 1 */
	0x33,			/* VRID 51 */
	0x96,			/* priority 150 */
	0x01,			/* count IPvX addr 1 */
	0x00, 0x64,		/* rsvd 0, max adver int 100 cs */
	0xc9, 0x7c,		/* checksum incl. IPv4 pseudo-header */
	0xc6, 0x12, 0x01, 0x33, /* 198.18.1.51 */
};

/* VRRPv3, IPv4, three addresses: VRID 52, prio 255, 50 cs,
 * 198.18.1.4 -> 224.0.0.18, IP id 0xbeef. */
static const uint8_t gold_v3_three[] = {
	0x45, 0xc0,		/* IPv4, IHL 5, TOS CS6 */
	0x00, 0x28,		/* total length 40 = 20 + 8 + 12 */
	0xbe, 0xef,		/* identification */
	0x00, 0x00,		/* flags / offset */
	0xff, 0x70,		/* TTL 255, protocol 112 */
	0x54, 0x8d,		/* IPv4 header checksum */
	0xc6, 0x12, 0x01, 0x04, /* src 198.18.1.4 */
	0xe0, 0x00, 0x00, 0x12, /* dst 224.0.0.18 */
	0x31,			/* version 3, type 1 */
	0x34,			/* VRID 52 */
	0xff,			/* priority 255 (owner) */
	0x03,			/* count 3 */
	0x00, 0x32,		/* max adver int 50 cs */
	0xcf, 0xa9,		/* checksum incl. pseudo-header */
	0xc6, 0x12, 0x02, 0x01, /* 198.18.2.1 */
	0xc6, 0x12, 0x02, 0x02, /* 198.18.2.2 */
	0xc6, 0x12, 0x02, 0x03, /* 198.18.2.3 */
};

/* VRRPv3, IPv6 (VRRP part only): VRID 53, prio 120, 200 cs,
 * fd00:198:18::100 and ::101, fe80::1 -> ff02::12. */
static const uint8_t gold_v3_ip6[] = {
	0x31,						/* version 3, type 1 */
	0x35,						/* VRID 53 */
	0x78,						/* priority 120 */
	0x02,						/* count 2 */
	0x00, 0xc8,					/* max adver int 200 cs */
	0x58, 0x6e,					/* checksum incl. IPv6 pseudo-header */
	0xfd, 0x00, 0x01, 0x98, 0x00, 0x18, 0x00, 0x00, /* fd00:198:18::100 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0xfd, 0x00, 0x01, 0x98, 0x00, 0x18, 0x00, 0x00, /* fd00:198:18::101 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01,
};

/* ---- captured from keepalived 2.2.7 (tcpdump -w on a veth, namespace) ---- */

/* captured from keepalived 2.2.7: v2, VRID 51, prio 150, PASS "secret1",
 * 1 s, 198.18.7.100 and .101, 198.18.7.1 -> 224.0.0.18 */
static const uint8_t cap_v2_pass[] = {
	0x45, 0xc0, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x0d, 0x7b, 0xc6, 0x12, 0x07,
	0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x96, 0x02, 0x01, 0x01, 0x3f, 0x8e, 0xc6, 0x12,
	0x07, 0x64, 0xc6, 0x12, 0x07, 0x65, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x31, 0x00,
};

/* captured from keepalived 2.2.7: v2, VRID 52, prio 100, no auth, 2 s,
 * 198.18.7.102 */
static const uint8_t cap_v2_none[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x0d, 0x7f, 0xc6, 0x12,
	0x07, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x34, 0x64, 0x01, 0x00, 0x02, 0xad, 0x4f,
	0xc6, 0x12, 0x07, 0x66, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* captured from keepalived 2.2.7: v3, VRID 53, prio 200, 50 cs,
 * 198.18.7.110, .111, .112 */
static const uint8_t cap_v3[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x0d, 0x7f, 0xc6, 0x12,
	0x07, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x31, 0x35, 0xc8, 0x03, 0x00, 0x32, 0xf0, 0x64,
	0xc6, 0x12, 0x07, 0x6e, 0xc6, 0x12, 0x07, 0x6f, 0xc6, 0x12, 0x07, 0x70,
};

/* captured from keepalived 2.2.7: v3 IPv6 (VRRP part after the 40-byte
 * IPv6 header), VRID 54, prio 120, 100 cs, fd00:198:18:7::100,
 * fe80::3091:27ff:fe3c:2b52 -> ff02::12, hop limit 255 */
static const uint8_t cap_v3_ip6[] = {
	0x31, 0x36, 0x78, 0x01, 0x00, 0x64, 0xd6, 0x6e, 0xfd, 0x00, 0x01, 0x98,
	0x00, 0x18, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
};

/* ---- templates matching the golden vectors ---- */

static struct conf_addr g_addrs[8];

static struct vrrp_pkt_tmpl tmpl_v2_none(void)
{
	struct vrrp_pkt_tmpl t = { .version = 2, .vrid = 1, .priority = 100, .adver_cs = 100 };

	t.family = AF_INET;
	g_addrs[0] = addr("198.18.1.100");
	t.addrs = g_addrs;
	t.naddr = 1;
	t.src = addr("198.18.1.1");
	t.dst = addr(VRRP_MCAST4);
	t.ttl = 255;
	t.ip_id = 1;
	return t;
}

static struct vrrp_pkt_tmpl tmpl_v2_pass(void)
{
	struct vrrp_pkt_tmpl t = { .version = 2, .vrid = 7, .priority = 200, .adver_cs = 300 };

	t.family = AF_INET;
	t.auth_type = VRRP_AUTH_PASS;
	strcpy(t.auth_pass, "s3cret");
	g_addrs[0] = addr("198.18.1.10");
	g_addrs[1] = addr("198.18.1.11");
	t.addrs = g_addrs;
	t.naddr = 2;
	t.src = addr("198.18.1.2");
	t.dst = addr(VRRP_MCAST4);
	t.ttl = 255;
	t.ip_id = 0x1234;
	return t;
}

static struct vrrp_pkt_tmpl tmpl_v3_one(void)
{
	struct vrrp_pkt_tmpl t = { .version = 3, .vrid = 51, .priority = 150, .adver_cs = 100 };

	t.family = AF_INET;
	g_addrs[0] = addr("198.18.1.51");
	t.addrs = g_addrs;
	t.naddr = 1;
	t.src = addr("198.18.1.3");
	t.dst = addr(VRRP_MCAST4);
	t.ttl = 255;
	t.ip_id = 2;
	return t;
}

static struct vrrp_pkt_tmpl tmpl_v3_three(void)
{
	struct vrrp_pkt_tmpl t = { .version = 3, .vrid = 52, .priority = 255, .adver_cs = 50 };

	t.family = AF_INET;
	g_addrs[0] = addr("198.18.2.1");
	g_addrs[1] = addr("198.18.2.2");
	g_addrs[2] = addr("198.18.2.3");
	t.addrs = g_addrs;
	t.naddr = 3;
	t.src = addr("198.18.1.4");
	t.dst = addr(VRRP_MCAST4);
	t.ttl = 255;
	t.ip_id = 0xbeef;
	return t;
}

static struct vrrp_pkt_tmpl tmpl_v3_ip6(void)
{
	struct vrrp_pkt_tmpl t = { .version = 3, .vrid = 53, .priority = 120, .adver_cs = 200 };

	t.family = AF_INET6;
	g_addrs[0] = addr("fd00:198:18::100");
	g_addrs[1] = addr("fd00:198:18::101");
	t.addrs = g_addrs;
	t.naddr = 2;
	t.src = addr("fe80::1");
	t.dst = addr(VRRP_MCAST6);
	t.ttl = 255;
	return t;
}

static void check_build(struct vrrp_pkt_tmpl t, const uint8_t *gold, size_t len)
{
	uint8_t buf[VRRP_PKT_MAX + 64];
	size_t n;

	memset(buf, 0xaa, sizeof(buf));
	n = vrrp_build(buf, sizeof(buf), &t);
	assert_int_equal(n, len);
	assert_memory_equal(buf, gold, len);
	/* exactly the size fits, one byte less does not */
	assert_int_equal(vrrp_build(buf, len, &t), len);
	assert_int_equal(vrrp_build(buf, len - 1, &t), 0);
}

static void test_build_golden(void **state)
{
	(void)state;
	check_build(tmpl_v2_none(), gold_v2_none, sizeof(gold_v2_none));
	check_build(tmpl_v2_pass(), gold_v2_pass, sizeof(gold_v2_pass));
	check_build(tmpl_v3_one(), gold_v3_one, sizeof(gold_v3_one));
	check_build(tmpl_v3_three(), gold_v3_three, sizeof(gold_v3_three));
	check_build(tmpl_v3_ip6(), gold_v3_ip6, sizeof(gold_v3_ip6));
}

/* v3_checksum_as_v2 (keepalived 2.2.8): the IPv4 checksum covers the VRRP
 * message only; IPv6 keeps its pseudo-header (the kernel checks it). */
static void test_build_csum_as_v2(void **state)
{
	struct vrrp_pkt_tmpl t = tmpl_v3_one();
	uint8_t buf[VRRP_PKT_MAX];
	struct vrrp_pkt p;
	size_t n;

	(void)state;
	t.csum_as_v2 = true;
	n = vrrp_build(buf, sizeof(buf), &t);
	assert_int_equal(n, sizeof(gold_v3_one));
	/* the same bytes as the RFC 5798 packet but for the checksum */
	assert_memory_equal(buf, gold_v3_one, 26);
	assert_memory_equal(buf + 28, gold_v3_one + 28, n - 28);
	assert_int_equal(vrrp_csum(buf + 20, n - 20, 0), 0);
	assert_int_equal(vrrp_parse_ip4(buf, n, &p, NULL, 0), VRRP_OK);
	assert_true(p.csum_as_v2);

	t = tmpl_v3_ip6();
	t.csum_as_v2 = true;
	check_build(t, gold_v3_ip6, sizeof(gold_v3_ip6));
}

static void test_parse_v2_none(void **state)
{
	struct vrrp_pkt p;
	char why[128];

	(void)state;
	assert_int_equal(vrrp_parse_ip4(gold_v2_none, sizeof(gold_v2_none), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.type, 1);
	assert_int_equal(p.vrid, 1);
	assert_int_equal(p.priority, 100);
	assert_int_equal(p.naddr, 1);
	assert_int_equal(p.adver_cs, 100);
	assert_int_equal(p.auth_type, VRRP_AUTH_NONE);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.ttl, 255);
	assert_ptr_equal(p.addrs, gold_v2_none + 28);
	assert_int_equal(p.src.family, AF_INET);
	assert_int_equal(p.src.u.v4.s_addr, ip4_bytes("198.18.1.1"));
	assert_int_equal(p.dst.u.v4.s_addr, ip4_bytes("224.0.0.18"));
	g_addrs[0] = addr("198.18.1.100");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 1));
}

static void test_parse_v2_pass(void **state)
{
	struct vrrp_pkt p;

	(void)state;
	assert_int_equal(vrrp_parse_ip4(gold_v2_pass, sizeof(gold_v2_pass), &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.vrid, 7);
	assert_int_equal(p.priority, 200);
	assert_int_equal(p.naddr, 2);
	assert_int_equal(p.adver_cs, 300);
	assert_int_equal(p.auth_type, VRRP_AUTH_PASS);
	assert_memory_equal(p.auth_data, "s3cret\0\0", 8);
	g_addrs[0] = addr("198.18.1.11");
	g_addrs[1] = addr("198.18.1.10");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 2));
}

static void test_parse_v3(void **state)
{
	struct vrrp_pkt p;
	char why[128];

	(void)state;
	assert_int_equal(vrrp_parse_ip4(gold_v3_one, sizeof(gold_v3_one), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.version, 3);
	assert_int_equal(p.vrid, 51);
	assert_int_equal(p.priority, 150);
	assert_int_equal(p.naddr, 1);
	assert_int_equal(p.adver_cs, 100);
	assert_int_equal(p.auth_type, 0);
	assert_int_equal(p.src.u.v4.s_addr, ip4_bytes("198.18.1.3"));

	assert_int_equal(vrrp_parse_ip4(gold_v3_three, sizeof(gold_v3_three), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.vrid, 52);
	assert_int_equal(p.priority, 255);
	assert_int_equal(p.naddr, 3);
	assert_int_equal(p.adver_cs, 50);
	g_addrs[0] = addr("198.18.2.3");
	g_addrs[1] = addr("198.18.2.1");
	g_addrs[2] = addr("198.18.2.2");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 3));
	assert_false(vrrp_pkt_addrs_equal(&p, g_addrs, 2));
	g_addrs[2] = addr("198.18.2.4");
	assert_false(vrrp_pkt_addrs_equal(&p, g_addrs, 3));
	g_addrs[2] = addr("198.18.2.1"); /* duplicate instead of .2 */
	assert_false(vrrp_pkt_addrs_equal(&p, g_addrs, 3));
}

static void test_parse_v3_ip6(void **state)
{
	struct conf_addr src = addr("fe80::1"), dst = addr(VRRP_MCAST6);
	struct vrrp_pkt p;
	char why[128];

	(void)state;
	assert_int_equal(vrrp_parse_ip6(gold_v3_ip6, sizeof(gold_v3_ip6), &src, &dst, 255, &p, why,
					sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.version, 3);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.vrid, 53);
	assert_int_equal(p.priority, 120);
	assert_int_equal(p.naddr, 2);
	assert_int_equal(p.adver_cs, 200);
	assert_int_equal(p.ttl, 255);
	assert_true(conf_addr_equal(&p.src, &src));
	assert_true(conf_addr_equal(&p.dst, &dst));
	g_addrs[0] = addr("fd00:198:18::101");
	g_addrs[1] = addr("fd00:198:18::100");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 2));
	g_addrs[1] = addr("198.18.1.1"); /* wrong family */
	assert_false(vrrp_pkt_addrs_equal(&p, g_addrs, 2));
}

static void test_captured_keepalived(void **state)
{
	struct conf_addr src = addr("fe80::3091:27ff:fe3c:2b52"), dst = addr(VRRP_MCAST6);
	struct vrrp_pkt p;
	char why[128] = "";

	(void)state;
	assert_int_equal(vrrp_parse_ip4(cap_v2_pass, sizeof(cap_v2_pass), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.vrid, 51);
	assert_int_equal(p.priority, 150);
	assert_int_equal(p.adver_cs, 100);
	assert_int_equal(p.auth_type, VRRP_AUTH_PASS);
	assert_memory_equal(p.auth_data, "secret1\0", 8);
	g_addrs[0] = addr("198.18.7.101");
	g_addrs[1] = addr("198.18.7.100");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 2));

	assert_int_equal(vrrp_parse_ip4(cap_v2_none, sizeof(cap_v2_none), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.vrid, 52);
	assert_int_equal(p.adver_cs, 200);
	assert_int_equal(p.auth_type, VRRP_AUTH_NONE);

	assert_int_equal(vrrp_parse_ip4(cap_v3, sizeof(cap_v3), &p, why, sizeof(why)), VRRP_OK);
	assert_int_equal(p.version, 3);
	assert_int_equal(p.vrid, 53);
	assert_int_equal(p.priority, 200);
	assert_int_equal(p.naddr, 3);
	assert_int_equal(p.adver_cs, 50);

	assert_int_equal(vrrp_parse_ip6(cap_v3_ip6, sizeof(cap_v3_ip6), &src, &dst, 255, &p, why,
					sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.vrid, 54);
	assert_int_equal(p.adver_cs, 100);
	g_addrs[0] = addr("fd00:198:18:7::100");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 1));
}

/* Rebuilding what keepalived sent gives keepalived's bytes exactly. */
static void test_build_like_keepalived(void **state)
{
	struct vrrp_pkt_tmpl t = { .version = 2, .vrid = 51, .priority = 150, .adver_cs = 100 };
	uint8_t buf[256];

	(void)state;
	t.family = AF_INET;
	t.auth_type = VRRP_AUTH_PASS;
	strcpy(t.auth_pass, "secret1");
	g_addrs[0] = addr("198.18.7.100");
	g_addrs[1] = addr("198.18.7.101");
	t.addrs = g_addrs;
	t.naddr = 2;
	t.src = addr("198.18.7.1");
	t.dst = addr(VRRP_MCAST4);
	t.ttl = 255;
	t.ip_id = 1;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), sizeof(cap_v2_pass));
	assert_memory_equal(buf, cap_v2_pass, sizeof(cap_v2_pass));

	t.version = 3;
	t.vrid = 53;
	t.priority = 200;
	t.adver_cs = 50;
	t.auth_type = 0;
	g_addrs[0] = addr("198.18.7.110");
	g_addrs[1] = addr("198.18.7.111");
	g_addrs[2] = addr("198.18.7.112");
	t.naddr = 3;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), sizeof(cap_v3));
	assert_memory_equal(buf, cap_v3, sizeof(cap_v3));

	t.family = AF_INET6;
	t.vrid = 54;
	t.priority = 120;
	t.adver_cs = 100;
	g_addrs[0] = addr("fd00:198:18:7::100");
	t.naddr = 1;
	t.src = addr("fe80::3091:27ff:fe3c:2b52");
	t.dst = addr(VRRP_MCAST6);
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), sizeof(cap_v3_ip6));
	assert_memory_equal(buf, cap_v3_ip6, sizeof(cap_v3_ip6));
}

/* ---- drops: mutate a golden packet ---- */

/* Recomputes the VRRP checksum after a mutation (IPv4: VRRP at ihl). */
static void fix_csum4(uint8_t *b, size_t len)
{
	size_t ihl = (size_t)(b[0] & 0x0f) * 4;
	size_t tot = (size_t)(b[2] << 8 | b[3]);
	uint8_t *v = b + ihl;
	size_t vlen = tot - ihl;
	uint32_t ps = 0;
	uint16_t c;

	assert_true(tot <= len);
	if (v[0] >> 4 == 3) {
		uint8_t ph[12];

		memcpy(ph, b + 12, 8);
		ph[8] = 0;
		ph[9] = VRRP_IPPROTO;
		ph[10] = (uint8_t)(vlen >> 8);
		ph[11] = (uint8_t)vlen;
		ps = (uint16_t)~vrrp_csum(ph, sizeof(ph), 0);
	}
	v[6] = v[7] = 0;
	c = vrrp_csum(v, vlen, ps);
	v[6] = (uint8_t)(c >> 8);
	v[7] = (uint8_t)c;
}

static void fix_csum6(uint8_t *v, size_t vlen, const struct conf_addr *src,
		      const struct conf_addr *dst)
{
	uint8_t ph[40];
	uint32_t ps;
	uint16_t c;

	memcpy(ph, src->u.v6.s6_addr, 16);
	memcpy(ph + 16, dst->u.v6.s6_addr, 16);
	ph[32] = ph[33] = 0;
	ph[34] = (uint8_t)(vlen >> 8);
	ph[35] = (uint8_t)vlen;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = VRRP_IPPROTO;
	ps = (uint16_t)~vrrp_csum(ph, sizeof(ph), 0);
	v[6] = v[7] = 0;
	c = vrrp_csum(v, vlen, ps);
	v[6] = (uint8_t)(c >> 8);
	v[7] = (uint8_t)c;
}

static uint8_t m[VRRP_PKT_MAX];

static void expect4(size_t len, enum vrrp_drop want, const char *why_part)
{
	struct vrrp_pkt p;
	char why[160];
	enum vrrp_drop got;

	why[0] = 'X';
	got = vrrp_parse_ip4(m, len, &p, why, sizeof(why));
	if (got != want || (why_part && !strstr(why, why_part)))
		print_error("got %s (%s), want %s (%s)\n", vrrp_drop_names[got], why,
			    vrrp_drop_names[want], why_part ? why_part : "");
	assert_int_equal(got, want);
	if (why_part)
		assert_non_null(strstr(why, why_part));
	/* the same answer without a why buffer */
	assert_int_equal(vrrp_parse_ip4(m, len, &p, NULL, 0), want);
}

#define FROM(g) (memcpy(m, (g), sizeof(g)), sizeof(g))

static void test_drop_ip_header(void **state)
{
	size_t n;

	(void)state;
	n = FROM(gold_v3_one);
	expect4(n - 1, VRRP_DROP_IP_HEADER, "IPv4 total length 32 but only 31 bytes received");
	expect4(19, VRRP_DROP_IP_HEADER, "19 bytes, shorter than an IPv4 header");
	expect4(0, VRRP_DROP_IP_HEADER, NULL);
	m[0] = 0x65;
	expect4(n, VRRP_DROP_IP_HEADER, "IP version 6 is not 4");
	m[0] = 0x44;
	expect4(n, VRRP_DROP_IP_HEADER, "IPv4 header length 16 is below 20");
	m[0] = 0x4f;
	expect4(n, VRRP_DROP_IP_HEADER, "IPv4 header length 60 exceeds the 32 bytes received");
	n = FROM(gold_v3_one);
	m[2] = 0;
	m[3] = 19;
	expect4(n, VRRP_DROP_IP_HEADER, "IPv4 total length 19 is below the header length 20");
	n = FROM(gold_v3_one);
	m[9] = 17;
	expect4(n, VRRP_DROP_IP_HEADER, "IP protocol 17 is not 112 (VRRP)");
	n = FROM(gold_v3_one);
	m[6] = 0x20; /* MF */
	expect4(n, VRRP_DROP_IP_HEADER, "IPv4 fragment (offset 0, more fragments set) refused");
	m[6] = 0x00;
	m[7] = 0x03; /* offset 24 */
	expect4(n, VRRP_DROP_IP_HEADER, "IPv4 fragment (offset 24, more fragments clear) refused");
	m[6] = 0x40; /* DF alone is fine */
	m[7] = 0x00;
	expect4(n, VRRP_OK, NULL);
}

static void test_padding_and_options(void **state)
{
	struct vrrp_pkt p;
	size_t n;

	(void)state;
	/* trailing link-layer padding after total length is ignored */
	n = FROM(gold_v3_one);
	memset(m + n, 0, 14);
	expect4(n + 14, VRRP_OK, NULL);
	n = FROM(gold_v2_none);
	memset(m + n, 0xee, 6);
	expect4(n + 6, VRRP_OK, NULL);

	/* IHL 6 with a Router Alert option: VRRP starts at byte 24 */
	memcpy(m, gold_v3_three, 20);
	m[0] = 0x46;
	m[3] = (uint8_t)(sizeof(gold_v3_three) + 4);
	m[20] = 0x94; /* router alert, length 4, value 0 */
	m[21] = 0x04;
	m[22] = m[23] = 0;
	memcpy(m + 24, gold_v3_three + 20, sizeof(gold_v3_three) - 20);
	assert_int_equal(vrrp_parse_ip4(m, sizeof(gold_v3_three) + 4, &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.vrid, 52);
	assert_int_equal(p.naddr, 3);
	assert_ptr_equal(p.addrs, m + 32);
	g_addrs[0] = addr("198.18.2.1");
	g_addrs[1] = addr("198.18.2.2");
	g_addrs[2] = addr("198.18.2.3");
	assert_true(vrrp_pkt_addrs_equal(&p, g_addrs, 3));
}

/* TTL / hop limit 255 is the rule for adverts to a group; a unicast
 * advert may have crossed routers, so its TTL is passed up for the
 * instance (accept.c) to judge. */
static void test_ttl_unicast(void **state)
{
	struct vrrp_pkt_tmpl t = tmpl_v3_one();
	uint8_t b[VRRP_PKT_MAX];
	struct vrrp_pkt p;
	char why[160];
	size_t n;

	(void)state;
	t.dst = addr("198.18.1.9");
	t.ttl = 64;
	n = vrrp_build(b, sizeof(b), &t);
	assert_true(n > 0);
	assert_int_equal(vrrp_parse_ip4(b, n, &p, why, sizeof(why)), VRRP_OK);
	assert_int_equal(p.ttl, 64);
	t.ttl = 0;
	n = vrrp_build(b, sizeof(b), &t);
	assert_int_equal(vrrp_parse_ip4(b, n, &p, why, sizeof(why)), VRRP_OK);
	assert_int_equal(p.ttl, 0);
	/* the same to the group: dropped */
	t.dst = addr(VRRP_MCAST4);
	n = vrrp_build(b, sizeof(b), &t);
	assert_int_equal(vrrp_parse_ip4(b, n, &p, why, sizeof(why)), VRRP_DROP_TTL);
	assert_string_equal(why, "TTL is 0, must be 255");
	/* any multicast group, not only 224.0.0.18 */
	t.dst = addr("239.1.2.3");
	n = vrrp_build(b, sizeof(b), &t);
	assert_int_equal(vrrp_parse_ip4(b, n, &p, why, sizeof(why)), VRRP_DROP_TTL);

	t = tmpl_v3_ip6();
	t.dst = addr("fe80::2");
	n = vrrp_build(b, sizeof(b), &t);
	assert_int_equal(vrrp_parse_ip6(b, n, &t.src, &t.dst, 63, &p, why, sizeof(why)), VRRP_OK);
	assert_int_equal(p.ttl, 63);
	t.dst = addr("ff05::12");
	n = vrrp_build(b, sizeof(b), &t);
	assert_int_equal(vrrp_parse_ip6(b, n, &t.src, &t.dst, 63, &p, why, sizeof(why)),
			 VRRP_DROP_TTL);
}

static void test_drop_vrrp(void **state)
{
	size_t n;

	(void)state;
	n = FROM(gold_v2_none);
	m[8] = 64;
	expect4(n, VRRP_DROP_TTL, "TTL is 64, must be 255");

	n = FROM(gold_v3_one);
	m[3] = 20 + 7; /* VRRP part 7 bytes */
	expect4(n, VRRP_DROP_SHORT, "7 bytes, shorter than the 8-byte VRRP header");

	n = FROM(gold_v3_one);
	m[20] = 0x41;
	expect4(n, VRRP_DROP_VERSION, "VRRP version 4 is not 2 or 3");
	m[20] = 0x11;
	expect4(n, VRRP_DROP_VERSION, "VRRP version 1 is not 2 or 3");

	n = FROM(gold_v3_one);
	m[20] = 0x32;
	expect4(n, VRRP_DROP_TYPE, "VRRP type 2 is not 1 (Advertisement)");

	n = FROM(gold_v3_one);
	m[27] ^= 0x01;
	expect4(n, VRRP_DROP_CHECKSUM,
		"checksum 0xc97d is wrong (expected 0xc97c, with pseudo-header)");
	n = FROM(gold_v2_none);
	m[26] = 0x12;
	m[27] = 0x34;
	expect4(n, VRRP_DROP_CHECKSUM, "checksum 0x1234 is wrong (expected 0xb385)");
	/* a v3 checksum computed v2-style (no pseudo-header) is passed up
	 * marked, for the instance to decide (v3_checksum_as_v2) */
	n = FROM(gold_v3_one);
	m[26] = m[27] = 0;
	{
		uint16_t c = vrrp_csum(m + 20, n - 20, 0);
		struct vrrp_pkt p;

		m[26] = (uint8_t)(c >> 8);
		m[27] = (uint8_t)c;
		assert_int_equal(vrrp_parse_ip4(m, n, &p, NULL, 0), VRRP_OK);
		assert_true(p.csum_as_v2);
		/* one bit off: neither checksum holds */
		m[27] ^= 0x01;
		expect4(n, VRRP_DROP_CHECKSUM, "expected 0xc97c");
	}
	/* a v2 packet is never marked; its checksum has no pseudo-header */
	n = FROM(gold_v2_none);
	{
		struct vrrp_pkt p;

		assert_int_equal(vrrp_parse_ip4(m, n, &p, NULL, 0), VRRP_OK);
		assert_false(p.csum_as_v2);
		n = FROM(gold_v3_one);
		assert_int_equal(vrrp_parse_ip4(m, n, &p, NULL, 0), VRRP_OK);
		assert_false(p.csum_as_v2);
	}
	/* the pseudo-header covers the addresses: another source breaks it */
	n = FROM(gold_v3_one);
	m[15] = 9;
	expect4(n, VRRP_DROP_CHECKSUM, NULL);

	n = FROM(gold_v3_one);
	m[21] = 0;
	fix_csum4(m, n);
	expect4(n, VRRP_DROP_VRID, "VRID 0 is not valid");

	/* count 0 with a matching length (8-byte VRRP part) is passed up, as
	 * keepalived sends it (no_virtual_ipaddress, or a v2 instance without
	 * addresses); the instance decides (accept.c: addr_count) */
	n = FROM(gold_v3_one);
	m[3] = 28;
	m[23] = 0;
	fix_csum4(m, 28);
	expect4(28, VRRP_OK, NULL);
	n = FROM(gold_v2_none);
	m[3] = 36;
	m[23] = 0;
	memset(m + 28, 0, 8);
	fix_csum4(m, 36);
	expect4(36, VRRP_OK, NULL);

	n = FROM(gold_v3_one);
	m[23] = 2;
	expect4(n, VRRP_DROP_LENGTH, "2 IPv4 addresses announced but 4 bytes of addresses");
	n = FROM(gold_v3_three);
	m[3] = 36; /* drop the last address */
	expect4(36, VRRP_DROP_LENGTH, "3 IPv4 addresses announced but 8 bytes of addresses");
	n = FROM(gold_v2_none);
	m[3] = 20 + 12; /* VRRPv2 without room for auth data */
	expect4(n, VRRP_DROP_LENGTH, "no room for the 8 bytes of authentication data");
	n = FROM(gold_v2_pass);
	m[23] = 3;
	expect4(n, VRRP_DROP_LENGTH, "3 IPv4 addresses announced but 8 bytes of addresses");

	n = FROM(gold_v2_none);
	m[24] = 3;
	fix_csum4(m, n);
	expect4(n, VRRP_DROP_AUTH_TYPE, "authentication type 3 is unknown");
	m[24] = 2; /* AH is passed up */
	fix_csum4(m, n);
	expect4(n, VRRP_OK, NULL);

	n = FROM(gold_v2_none);
	m[25] = 0;
	fix_csum4(m, n);
	expect4(n, VRRP_DROP_INTERVAL, "advertisement interval is 0 s");
	n = FROM(gold_v3_one);
	m[24] = 0xf0; /* reserved bits set, interval 0 */
	m[25] = 0;
	fix_csum4(m, n);
	expect4(n, VRRP_DROP_INTERVAL, "maximum advertisement interval is 0 cs");
}

static void test_v3_reserved_ignored(void **state)
{
	struct vrrp_pkt p;
	size_t n;

	(void)state;
	n = FROM(gold_v3_one);
	m[24] |= 0xf0;
	fix_csum4(m, n);
	assert_int_equal(vrrp_parse_ip4(m, n, &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.adver_cs, 100);
	/* largest v3 interval */
	m[24] = 0x0f;
	m[25] = 0xff;
	fix_csum4(m, n);
	assert_int_equal(vrrp_parse_ip4(m, n, &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.adver_cs, 4095);
	/* largest v2 interval: 255 s */
	n = FROM(gold_v2_none);
	m[25] = 255;
	fix_csum4(m, n);
	assert_int_equal(vrrp_parse_ip4(m, n, &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.adver_cs, 25500);
}

static void test_drop_ip6(void **state)
{
	struct conf_addr src = addr("fe80::1"), dst = addr(VRRP_MCAST6), v4 = addr("198.18.1.1");
	uint8_t b[sizeof(gold_v3_ip6) + 16];
	struct vrrp_pkt p;
	char why[160];

	(void)state;
	memcpy(b, gold_v3_ip6, sizeof(gold_v3_ip6));
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6), &src, &dst, 64, &p, why, sizeof(why)),
		VRRP_DROP_TTL);
	assert_string_equal(why, "hop limit is 64, must be 255");
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6), &v4, &dst, 255, &p, why, sizeof(why)),
		VRRP_DROP_FAMILY);
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6), &src, &v4, 255, &p, why, sizeof(why)),
		VRRP_DROP_FAMILY);
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6), NULL, &dst, 255, &p, why, sizeof(why)),
		VRRP_DROP_FAMILY);
	assert_int_equal(vrrp_parse_ip6(b, 7, &src, &dst, 255, &p, why, sizeof(why)),
			 VRRP_DROP_SHORT);
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6) - 16, &src, &dst, 255, &p, why, sizeof(why)),
		VRRP_DROP_LENGTH);
	assert_string_equal(why, "2 IPv6 addresses announced but 16 bytes of addresses");
	/* a different destination changes the pseudo-header */
	dst = addr("ff02::1");
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6), &src, &dst, 255, &p, why, sizeof(why)),
		VRRP_DROP_CHECKSUM);
	dst = addr(VRRP_MCAST6);

	/* v2 is IPv4 only, even with a correct checksum */
	b[0] = 0x21;
	fix_csum6(b, sizeof(gold_v3_ip6), &src, &dst);
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6), &src, &dst, 255, &p, why, sizeof(why)),
		VRRP_DROP_VERSION);
	assert_string_equal(why, "VRRP version 2 over IPv6 (v2 is IPv4 only)");

	/* padding is not allowed here: the caller gives the exact payload */
	memcpy(b, gold_v3_ip6, sizeof(gold_v3_ip6));
	memset(b + sizeof(gold_v3_ip6), 0, 16);
	assert_int_equal(
		vrrp_parse_ip6(b, sizeof(gold_v3_ip6) + 16, &src, &dst, 255, &p, why, sizeof(why)),
		VRRP_DROP_LENGTH);
}

/* An instance without addresses (no_virtual_ipaddress) advertises count 0,
 * both versions, and reads its own packet back. */
static void test_build_no_addresses(void **state)
{
	struct vrrp_pkt_tmpl t = tmpl_v3_one();
	uint8_t buf[VRRP_PKT_MAX];
	struct vrrp_pkt p;
	size_t n;

	(void)state;
	t.naddr = 0;
	t.addrs = NULL;
	n = vrrp_build(buf, sizeof(buf), &t);
	assert_int_equal(n, 20 + 8);
	assert_int_equal(buf[23], 0);
	assert_int_equal(vrrp_parse_ip4(buf, n, &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.naddr, 0);
	assert_true(vrrp_pkt_addrs_equal(&p, NULL, 0));
	t = tmpl_v2_none();
	t.naddr = 0;
	n = vrrp_build(buf, sizeof(buf), &t);
	assert_int_equal(n, 20 + 8 + 8);
	assert_int_equal(vrrp_parse_ip4(buf, n, &p, NULL, 0), VRRP_OK);
	assert_int_equal(p.naddr, 0);
	/* a count without its addresses is still refused */
	t = tmpl_v3_one();
	t.addrs = NULL;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
}

static void test_build_refuses(void **state)
{
	struct vrrp_pkt_tmpl t;
	uint8_t buf[8192];
	static struct conf_addr many[256];
	unsigned i;

	(void)state;
	t = tmpl_v3_one();
	assert_int_equal(vrrp_build(buf, 0, &t), 0);
	assert_int_equal(vrrp_build(buf, sizeof(buf), NULL), 0);
	t.vrid = 0;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t = tmpl_v3_one();
	t.adver_cs = 0;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t.adver_cs = 4096;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t.adver_cs = 4095;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 32);
	t.version = 4;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	/* mixed families */
	t = tmpl_v3_one();
	t.dst = addr(VRRP_MCAST6);
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t = tmpl_v3_one();
	t.src = addr("fe80::1");
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t = tmpl_v3_ip6();
	g_addrs[1] = addr("198.18.1.1");
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t.family = AF_UNIX;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	/* v2 over IPv6 */
	t = tmpl_v3_ip6();
	t.version = 2;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	/* v2 intervals are whole seconds, 1..255 */
	t = tmpl_v2_none();
	t.adver_cs = 150;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t.adver_cs = 25600;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t.adver_cs = 25500;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 40);
	/* AH: the AH header too (ah.h) */
	t.auth_type = VRRP_AUTH_AH;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 40 + 24);
	t.auth_type = 3;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	/* 255 addresses fit, 256 do not */
	for (i = 0; i < 256; i++) {
		many[i].family = AF_INET;
		many[i].u.v4.s_addr = htonl(0xc6120000u + i);
	}
	t = tmpl_v3_one();
	t.addrs = many;
	t.naddr = 256;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 0);
	t.naddr = 255;
	assert_int_equal(vrrp_build(buf, sizeof(buf), &t), 20 + 8 + 255 * 4);
}

static void test_pass_8_chars(void **state)
{
	struct vrrp_pkt_tmpl t = tmpl_v2_pass();
	struct vrrp_pkt p;
	uint8_t buf[128];
	size_t n;

	(void)state;
	memcpy(t.auth_pass, "12345678", 9);
	n = vrrp_build(buf, sizeof(buf), &t);
	assert_int_equal(n, sizeof(gold_v2_pass));
	assert_memory_equal(buf + n - 8, "12345678", 8);
	assert_int_equal(vrrp_parse_ip4(buf, n, &p, NULL, 0), VRRP_OK);
	assert_memory_equal(p.auth_data, "12345678", 8);
	/* NONE sends zeros whatever auth_pass holds */
	t.auth_type = VRRP_AUTH_NONE;
	n = vrrp_build(buf, sizeof(buf), &t);
	assert_memory_equal(buf + n - 8, "\0\0\0\0\0\0\0\0", 8);
}

/* Pseudo-random templates: build, parse, same fields, same addresses. */
static void test_round_trip(void **state)
{
	static struct conf_addr vips[VRRP_MAX_ADDRS], shuffled[VRRP_MAX_ADDRS];
	uint32_t seed = 12345;
	uint8_t buf[VRRP_IP4_HDR_LEN + 8 + 255 * 16 + 8];
	int round;

	(void)state;
	for (round = 0; round < 2000; round++) {
		struct vrrp_pkt_tmpl t;
		struct vrrp_pkt p;
		char why[160];
		unsigned i, j;
		size_t n;
		enum vrrp_drop r;

#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
		memset(&t, 0, sizeof(t));
		t.version = RND() % 2 ? 3 : 2;
		t.family = t.version == 2 || RND() % 2 ? AF_INET : AF_INET6;
		t.vrid = (uint8_t)(1 + RND() % 255);
		t.priority = (uint8_t)(RND() % 256);
		t.naddr = 1 + (round % 17 == 0 ? RND() % 255 : RND() % 8);
		t.ttl = 255;
		t.ip_id = (uint16_t)RND();
		if (t.version == 2) {
			t.adver_cs = (uint16_t)(100 * (1 + RND() % 255));
			t.auth_type = (uint8_t)(RND() % 3); /* none, PASS, AH */
			t.ah_seq = (uint32_t)RND();
			t.ah_zero_ttl = RND() % 2;
			for (i = 0; i < RND() % 9; i++)
				t.auth_pass[i] = (char)('a' + RND() % 26);
		} else {
			t.adver_cs = (uint16_t)(1 + RND() % 4095);
		}
		for (i = 0; i < t.naddr; i++) {
			memset(&vips[i], 0, sizeof(vips[i]));
			vips[i].family = (sa_family_t)t.family;
			if (t.family == AF_INET) {
				vips[i].u.v4.s_addr = htonl(0xc6120000u | (RND() & 0x1ffff));
			} else {
				vips[i].u.v6 = addr("fd00:198:18::").u.v6;
				vips[i].u.v6.s6_addr[14] = (uint8_t)RND();
				vips[i].u.v6.s6_addr[15] = (uint8_t)RND();
			}
		}
		t.addrs = vips;
		if (t.family == AF_INET) {
			t.src = addr("198.18.0.1");
			t.src.u.v4.s_addr = htonl(0xc6120000u | (RND() & 0x1ffff));
			t.dst = addr(RND() % 2 ? VRRP_MCAST4 : "198.19.0.2");
		} else {
			t.src = addr("fe80::1");
			t.src.u.v6.s6_addr[15] = (uint8_t)RND();
			t.dst = addr(VRRP_MCAST6);
		}
		n = vrrp_build(buf, sizeof(buf), &t);
		assert_true(n > 0);
		if (t.family == AF_INET)
			r = vrrp_parse_ip4(buf, n, &p, why, sizeof(why));
		else
			r = vrrp_parse_ip6(buf, n, &t.src, &t.dst, 255, &p, why, sizeof(why));
		if (r != VRRP_OK)
			print_error("round %d: %s\n", round, why);
		assert_int_equal(r, VRRP_OK);
		assert_int_equal(p.version, t.version);
		assert_int_equal(p.family, t.family);
		assert_int_equal(p.vrid, t.vrid);
		assert_int_equal(p.priority, t.priority);
		assert_int_equal(p.naddr, t.naddr);
		assert_int_equal(p.adver_cs, t.adver_cs);
		assert_true(conf_addr_equal(&p.src, &t.src));
		assert_true(conf_addr_equal(&p.dst, &t.dst));
		if (t.version == 2) {
			assert_int_equal(p.auth_type, t.auth_type);
			if (t.auth_type == VRRP_AUTH_PASS)
				assert_memory_equal(p.auth_data, t.auth_pass, 8);
			assert_int_equal(p.ah, t.auth_type == VRRP_AUTH_AH);
			if (p.ah) {
				uint8_t key[VRRP_AH_KEY_LEN];

				assert_int_equal(p.ah_seq, t.ah_seq);
				assert_int_equal(p.ah_spi, ntohl(t.src.u.v4.s_addr));
				vrrp_ah_key(t.auth_pass, key);
				assert_true(vrrp_ah_icv_ok(p.ip, p.ip_len, p.ip_hlen, key,
							   t.ah_zero_ttl));
			}
		}
		/* reversed order still equal */
		for (i = 0, j = t.naddr; i < t.naddr; i++)
			shuffled[i] = vips[--j];
		assert_true(vrrp_pkt_addrs_equal(&p, shuffled, t.naddr));
		shuffled[0].u.v4.s_addr ^= htonl(0x00010000);
		shuffled[0].u.v6.s6_addr[0] ^= 0x80;
		assert_false(vrrp_pkt_addrs_equal(&p, shuffled, t.naddr));
	}
#undef RND
}

static void test_csum(void **state)
{
	/* RFC 1071 3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 */
	static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };

	(void)state;
	assert_int_equal(vrrp_csum(ex, sizeof(ex), 0), 0xffff & ~0xddf2);
	/* an initial partial sum adds in, with end-around carry */
	assert_int_equal(vrrp_csum(ex, sizeof(ex), 0x0001), 0xffff & ~0xddf3);
	assert_int_equal(vrrp_csum(ex, sizeof(ex), 0xffffffffu), 0xffff & ~0xddf2);
	/* odd tail is padded with a zero byte: 0x0102 + 0x0300 */
	assert_int_equal(vrrp_csum(odd, sizeof(odd), 0), 0xffff & ~0x0402);
	assert_int_equal(vrrp_csum(ex, 0, 0), 0xffff);
	/* a whole golden message sums to zero */
	assert_int_equal(vrrp_csum(gold_v2_none, 20, 0), 0);
	assert_int_equal(vrrp_csum(gold_v2_none + 20, 20, 0), 0);
}

static void test_names(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(vrrp_drop_names[VRRP_OK], "ok");
	assert_string_equal(vrrp_drop_names[VRRP_DROP_IP_HEADER], "ip_header");
	assert_string_equal(vrrp_drop_names[VRRP_DROP_TTL], "ttl");
	assert_string_equal(vrrp_drop_names[VRRP_DROP_CHECKSUM], "checksum");
	assert_string_equal(vrrp_drop_names[VRRP_DROP_ADDR_COUNT], "addr_count");
	assert_string_equal(vrrp_drop_names[VRRP_DROP_PRIO_OWNER], "prio_owner");
	for (i = 0; i < VRRP_DROP__COUNT; i++) {
		assert_non_null(vrrp_drop_names[i]);
		for (j = 0; vrrp_drop_names[i][j]; j++)
			assert_true(
				(vrrp_drop_names[i][j] >= 'a' && vrrp_drop_names[i][j] <= 'z') ||
				vrrp_drop_names[i][j] == '_');
		for (j = 0; j < i; j++)
			assert_string_not_equal(vrrp_drop_names[i], vrrp_drop_names[j]);
	}
}

/* A tiny why buffer is truncated, never overrun. */
static void test_why_small(void **state)
{
	struct vrrp_pkt p;
	char why[8];
	size_t n;

	(void)state;
	n = FROM(gold_v2_none);
	m[8] = 64;
	memset(why, 'X', sizeof(why));
	assert_int_equal(vrrp_parse_ip4(m, n, &p, why, 4), VRRP_DROP_TTL);
	assert_string_equal(why, "TTL");
	assert_int_equal(why[4], 'X');
	assert_int_equal(vrrp_parse_ip4(m, n, &p, why, 0), VRRP_DROP_TTL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_golden),
		cmocka_unit_test(test_build_csum_as_v2),
		cmocka_unit_test(test_build_no_addresses),
		cmocka_unit_test(test_parse_v2_none),
		cmocka_unit_test(test_parse_v2_pass),
		cmocka_unit_test(test_parse_v3),
		cmocka_unit_test(test_parse_v3_ip6),
		cmocka_unit_test(test_captured_keepalived),
		cmocka_unit_test(test_build_like_keepalived),
		cmocka_unit_test(test_drop_ip_header),
		cmocka_unit_test(test_padding_and_options),
		cmocka_unit_test(test_ttl_unicast),
		cmocka_unit_test(test_drop_vrrp),
		cmocka_unit_test(test_v3_reserved_ignored),
		cmocka_unit_test(test_drop_ip6),
		cmocka_unit_test(test_build_refuses),
		cmocka_unit_test(test_pass_8_chars),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_csum),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_why_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
