/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRPv2 auth_type AH (vrrp/ah.c, vrrp_build, vrrp_parse_ip4 and the
 * instance checks in vrrp/accept.c). The golden packets were computed
 * independently with Python's hmac and hashlib modules from the layout
 * keepalived 2.2.7 sends (ah.h): IPv4, AH (next header 112, length 4,
 * SPI = source, sequence, ICV = HMAC-MD5-96 keyed with auth_pass padded to
 * 8 octets, over the IP header with TOS, fragment field, checksum (and,
 * unicast, TTL) zeroed, the AH header with a zero ICV, and VRRP).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vrrp/accept.h"
#include "vrrp/ah.h"
#include "vrrp/packet.h"

/* v2, VRID 51, priority 150, 1 s, VIP 198.18.0.100, 198.18.0.1 ->
 * 224.0.0.18, TTL 255, IP ID 1, sequence 1, auth_pass "secret". */
static const uint8_t gold_mcast[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0x14, 0xa4, 0xc6,
	0x12, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00, 0xc6, 0x12,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7c, 0xf9, 0x39, 0x7c, 0x84, 0xf5, 0xa9,
	0x99, 0x70, 0x2f, 0x41, 0x1b, 0x21, 0x33, 0x96, 0x01, 0x02, 0x01, 0x80, 0x53,
	0xc6, 0x12, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* The same to 198.18.0.2 (unicast), TTL 200, IP ID 2, sequence 7: the ICV
 * leaves the TTL out. */
static const uint8_t gold_ucast[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x02, 0x00, 0x00, 0xc8, 0x33, 0x65, 0xa1, 0xc6,
	0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x70, 0x04, 0x00, 0x00, 0xc6, 0x12,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x43, 0xf9, 0x25, 0x04, 0x78, 0x7e, 0x70,
	0x43, 0x6b, 0xcc, 0xcb, 0x20, 0x21, 0x33, 0x96, 0x01, 0x02, 0x01, 0x80, 0x53,
	0xc6, 0x12, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* What keepalived 2.2.7 itself sent (captured by t-vrrp-interop-v2-ah):
 * VRID 51, priority 150, 198.18.0.1 -> 224.0.0.18, IP ID 2, sequence 2,
 * auth_pass "vt-secr". */
static const uint8_t cap_keepalived[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x02, 0x00, 0x00, 0xff, 0x33, 0x14, 0xa3, 0xc6,
	0x12, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00, 0xc6, 0x12,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0xfe, 0x4b, 0x56, 0x48, 0xcf, 0xe8, 0x3f,
	0x00, 0x20, 0xec, 0x3c, 0x63, 0x21, 0x33, 0x96, 0x01, 0x02, 0x01, 0x80, 0x53,
	0xc6, 0x12, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static struct conf_addr addr(const char *s)
{
	struct conf_addr a;

	assert_int_equal(conf_parse_addr(s, AF_UNSPEC, &a, NULL), 0);
	return a;
}

static struct conf_addr vip;

static struct vrrp_pkt_tmpl tmpl(bool unicast)
{
	struct vrrp_pkt_tmpl t = { .version = 2, .vrid = 51, .priority = 150, .adver_cs = 100 };

	vip = addr("198.18.0.100");
	t.family = AF_INET;
	t.auth_type = VRRP_AUTH_AH;
	strcpy(t.auth_pass, "secret");
	t.addrs = &vip;
	t.naddr = 1;
	t.src = addr("198.18.0.1");
	t.dst = addr(unicast ? "198.18.0.2" : VRRP_MCAST4);
	t.ttl = unicast ? 200 : 255;
	t.ip_id = unicast ? 2 : 1;
	t.ah_seq = unicast ? 7 : 1;
	t.ah_zero_ttl = unicast;
	return t;
}

static void test_build_golden(void **state)
{
	struct vrrp_pkt_tmpl t = tmpl(false);
	uint8_t b[VRRP_PKT_MAX];

	(void)state;
	assert_int_equal(vrrp_build(b, sizeof(b), &t), sizeof(gold_mcast));
	assert_memory_equal(b, gold_mcast, sizeof(gold_mcast));
	t = tmpl(true);
	assert_int_equal(vrrp_build(b, sizeof(b), &t), sizeof(gold_ucast));
	assert_memory_equal(b, gold_ucast, sizeof(gold_ucast));
	/* too small a buffer */
	assert_int_equal(vrrp_build(b, sizeof(gold_ucast) - 1, &t), 0);
}

static void test_parse(void **state)
{
	struct vrrp_pkt p;
	char why[160];
	uint8_t key[VRRP_AH_KEY_LEN];

	(void)state;
	assert_int_equal(vrrp_parse_ip4(gold_mcast, sizeof(gold_mcast), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_true(p.ah);
	assert_int_equal(p.ah_seq, 1);
	assert_int_equal(p.ah_spi, 0xc6120001u);
	assert_int_equal(p.auth_type, VRRP_AUTH_AH);
	assert_int_equal(p.vrid, 51);
	assert_int_equal(p.naddr, 1);
	assert_int_equal(p.ip_hlen, 20);
	assert_int_equal(p.ip_len, sizeof(gold_mcast));
	vrrp_ah_key("secret", key);
	assert_true(vrrp_ah_icv_ok(p.ip, p.ip_len, p.ip_hlen, key, false));
	/* the multicast ICV covers the TTL: the unicast rule does not match */
	assert_false(vrrp_ah_icv_ok(p.ip, p.ip_len, p.ip_hlen, key, true));
	assert_int_equal(vrrp_parse_ip4(gold_ucast, sizeof(gold_ucast), &p, why, sizeof(why)),
			 VRRP_OK);
	assert_int_equal(p.ah_seq, 7);
	assert_int_equal(p.ttl, 200);
	assert_true(vrrp_ah_icv_ok(p.ip, p.ip_len, p.ip_hlen, key, true));
}

/* keepalived's own packet checks out, and we build the same bytes. */
static void test_keepalived_capture(void **state)
{
	struct vrrp_pkt_tmpl t = tmpl(false);
	uint8_t key[VRRP_AH_KEY_LEN], b[VRRP_PKT_MAX];
	struct vrrp_pkt p;

	(void)state;
	assert_int_equal(vrrp_parse_ip4(cap_keepalived, sizeof(cap_keepalived), &p, NULL, 0),
			 VRRP_OK);
	vrrp_ah_key("vt-secr", key);
	assert_true(vrrp_ah_icv_ok(p.ip, p.ip_len, p.ip_hlen, key, false));
	strcpy(t.auth_pass, "vt-secr");
	t.ip_id = 2;
	t.ah_seq = 2;
	assert_int_equal(vrrp_build(b, sizeof(b), &t), sizeof(cap_keepalived));
	assert_memory_equal(b, cap_keepalived, sizeof(cap_keepalived));
}

/* Mutable fields may change on the way; everything else breaks the ICV. */
static void test_tamper(void **state)
{
	uint8_t b[sizeof(gold_ucast)], key[VRRP_AH_KEY_LEN], other[VRRP_AH_KEY_LEN];
	size_t i;

	(void)state;
	vrrp_ah_key("secret", key);
	vrrp_ah_key("secreT", other);
	memcpy(b, gold_ucast, sizeof(b));
	assert_false(vrrp_ah_icv_ok(b, sizeof(b), 20, other, true));
	/* a router lowers the TTL and rewrites the checksum; TOS may change */
	b[8] = 17;
	b[10] ^= 0x55;
	b[1] = 0;
	assert_true(vrrp_ah_icv_ok(b, sizeof(b), 20, key, true));
	/* any other byte, ICV included, is covered */
	for (i = 0; i < sizeof(b); i++) {
		if (i == 1 || i == 8 || i == 10 || i == 11 || i == 6 || i == 7)
			continue;
		memcpy(b, gold_ucast, sizeof(b));
		b[i] ^= 0x01;
		if (vrrp_ah_icv_ok(b, sizeof(b), 20, key, true))
			fail_msg("byte %zu changed and the ICV still matches", i);
	}
	/* too short for the headers */
	assert_false(vrrp_ah_icv_ok(gold_ucast, 43, 20, key, true));
	assert_false(vrrp_ah_icv_ok(gold_ucast, sizeof(gold_ucast), 16, key, true));
}

static void test_parse_refuses(void **state)
{
	uint8_t b[sizeof(gold_mcast)];
	struct vrrp_pkt p;
	char why[160];

	(void)state;
	memcpy(b, gold_mcast, sizeof(b));
	b[20] = 6; /* AH for TCP */
	assert_int_equal(vrrp_parse_ip4(b, sizeof(b), &p, why, sizeof(why)), VRRP_DROP_IP_HEADER);
	assert_string_equal(why, "AH header for protocol 6, not 112 (VRRP)");
	memcpy(b, gold_mcast, sizeof(b));
	b[21] = 5; /* a 128-bit ICV */
	assert_int_equal(vrrp_parse_ip4(b, sizeof(b), &p, why, sizeof(why)), VRRP_DROP_IP_HEADER);
	assert_string_equal(why, "AH payload length 5 is not 4 (a 96-bit ICV)");
	/* truncated inside the AH header */
	memcpy(b, gold_mcast, sizeof(b));
	b[3] = 40;
	assert_int_equal(vrrp_parse_ip4(b, 40, &p, why, sizeof(why)), VRRP_DROP_IP_HEADER);
}

/* The instance's checks: type, ICV, SPI, sequence number. */
static struct conf_list no_peers;

static enum vrrp_accept verdict(const uint8_t *pkt, size_t len, const char *pass, uint32_t seq,
				uint8_t auth_type)
{
	static struct conf_addr my, vips[1];
	struct vrrp_accept_ctx c;
	struct vrrp_pkt p;
	char why[160];

	my = addr("198.18.0.9");
	vips[0] = addr("198.18.0.100");
	memset(&no_peers, 0, sizeof(no_peers));
	c = (struct vrrp_accept_ctx){ .family = AF_INET,
				      .version = 2,
				      .adver_us = 1000000,
				      .auth_type = auth_type,
				      .auth_pass = pass,
				      .ah_seq = seq,
				      .my_addr = &my,
				      .vips = vips,
				      .nvips = 1,
				      .unicast_peers = &no_peers };
	assert_int_equal(vrrp_parse_ip4(pkt, len, &p, why, sizeof(why)), VRRP_OK);
	return vrrp_accept(&c, &p, NULL);
}

static void test_accept(void **state)
{
	uint8_t b[sizeof(gold_mcast)];

	(void)state;
	assert_int_equal(verdict(gold_mcast, sizeof(gold_mcast), "secret", 0, VRRP_AUTH_AH),
			 VRRP_ACCEPT_OK);
	/* keepalived uses 8 octets of auth_pass, NUL-padded */
	{
		uint8_t key[VRRP_AH_KEY_LEN];

		vrrp_ah_key("abcdefghij", key);
		assert_memory_equal(key, "abcdefgh", 8);
		vrrp_ah_key("ab", key);
		assert_memory_equal(key, "ab\0\0\0\0\0\0", 8);
		vrrp_ah_key(NULL, key);
		assert_memory_equal(key, "\0\0\0\0\0\0\0\0", 8);
	}
	assert_int_equal(verdict(gold_mcast, sizeof(gold_mcast), "wrong", 0, VRRP_AUTH_AH),
			 VRRP_ACCEPT_AH_ICV);
	assert_int_equal(vrrp_accept_reasons[VRRP_ACCEPT_AH_ICV].drop, VRRP_DROP_AUTH);
	/* sequence 1 again, or lower: a replay */
	assert_int_equal(verdict(gold_mcast, sizeof(gold_mcast), "secret", 1, VRRP_AUTH_AH),
			 VRRP_ACCEPT_AH_SEQ);
	assert_int_equal(vrrp_accept_reasons[VRRP_ACCEPT_AH_SEQ].drop, VRRP_DROP_AUTH);
	/* an AH packet for a PASS or no-auth instance, and the reverse */
	assert_int_equal(verdict(gold_mcast, sizeof(gold_mcast), "secret", 0, VRRP_AUTH_PASS),
			 VRRP_ACCEPT_AUTH_TYPE);
	assert_int_equal(verdict(gold_mcast, sizeof(gold_mcast), "secret", 0, VRRP_AUTH_NONE),
			 VRRP_ACCEPT_AUTH_TYPE);
	/* an SPI that is not the source (ICV recomputed, so only the SPI is wrong) */
	memcpy(b, gold_mcast, sizeof(b));
	b[27] = 0x02;
	{
		uint8_t key[VRRP_AH_KEY_LEN];

		vrrp_ah_key("secret", key);
		vrrp_ah_icv(b, sizeof(b), 20, key, false, b + 32);
	}
	assert_int_equal(verdict(b, sizeof(b), "secret", 0, VRRP_AUTH_AH), VRRP_ACCEPT_AH_SPI);
	assert_int_equal(vrrp_accept_reasons[VRRP_ACCEPT_AH_SPI].drop, VRRP_DROP_AUTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_golden), cmocka_unit_test(test_parse),
		cmocka_unit_test(test_tamper),	     cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_accept),	     cmocka_unit_test(test_keepalived_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
