/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
/*
 * vrrp/garp: golden GARP and NA frames byte for byte (two of them captured
 * from keepalived 2.2.7 on a veth pair), the NA checksum recomputed here
 * independently, argument checks, and, when the test may open an AF_PACKET
 * socket (root), the queue flushed on the loopback interface.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vrrp/garp.h"

static const uint8_t mac1[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void addr4(struct conf_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &a->u.v4), 1);
}

static void addr6(struct conf_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, s, &a->u.v6), 1);
}

static void test_garp_golden(void **state)
{
	static const uint8_t want[VRRP_GARP_FRAME_LEN] = {
		/* Ethernet */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* dst: broadcast */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* src: our mac */
		0x08, 0x06,			    /* ethertype ARP */
		/* ARP */
		0x00, 0x01,			    /* htype Ethernet */
		0x08, 0x00,			    /* ptype IPv4 */
		0x06,				    /* hlen */
		0x04,				    /* plen */
		0x00, 0x01,			    /* op request */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* sender mac */
		198, 18, 0, 10,			    /* sender ip */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* target mac: broadcast, as keepalived */
		198, 18, 0, 10,			    /* target ip = sender ip */
	};
	uint8_t buf[64];
	struct conf_addr a;

	(void)state;
	addr4(&a, "198.18.0.10");
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac1, &a.u.v4), VRRP_GARP_FRAME_LEN);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[VRRP_GARP_FRAME_LEN], 0xaa); /* nothing written past the frame */
}

/* tcpdump -XX of keepalived 2.2.7 announcing 198.18.0.100 from 8a:c2:74:84:c5:42. */
static void test_garp_matches_keepalived(void **state)
{
	static const uint8_t keepalived[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x8a, 0xc2, 0x74, 0x84, 0xc5, 0x42, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x8a, 0xc2, 0x74, 0x84, 0xc5, 0x42,
		0xc6, 0x12, 0x00, 0x64, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc6, 0x12, 0x00, 0x64,
	};
	static const uint8_t mac[6] = { 0x8a, 0xc2, 0x74, 0x84, 0xc5, 0x42 };
	uint8_t buf[VRRP_GARP_FRAME_LEN];
	struct conf_addr a;

	(void)state;
	addr4(&a, "198.18.0.100");
	assert_int_equal(sizeof(keepalived), VRRP_GARP_FRAME_LEN);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac, &a.u.v4), VRRP_GARP_FRAME_LEN);
	assert_memory_equal(buf, keepalived, sizeof(keepalived));
}

static void test_garp_short_buffer(void **state)
{
	uint8_t buf[VRRP_GARP_FRAME_LEN];
	struct conf_addr a;

	(void)state;
	addr4(&a, "198.18.0.10");
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf) - 1, mac1, &a.u.v4), 0);
	assert_int_equal(vrrp_garp_build(NULL, sizeof(buf), mac1, &a.u.v4), 0);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), NULL, &a.u.v4), 0);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac1, NULL), 0);
}

/* The checksum recomputed from scratch: pseudo-header (src, dst, upper
 * length as 32 bits, 3 zero bytes, next header 58) then the ICMPv6 bytes as
 * they are on the wire, checksum field included; a correct frame sums to
 * 0xffff. */
static void verify_icmp6_sum(const uint8_t *frame)
{
	const uint8_t *ip6 = frame + 14;
	unsigned len = (unsigned)(ip6[4] << 8 | ip6[5]);
	uint32_t sum = 0;
	unsigned i;

	for (i = 8; i < 40; i += 2) /* src and dst addresses */
		sum += (uint32_t)(ip6[i] << 8 | ip6[i + 1]);
	sum += len;
	sum += 58;
	for (i = 0; i < len; i += 2)
		sum += (uint32_t)(ip6[40 + i] << 8 | ip6[40 + i + 1]);
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(sum, 0xffff);
}

static void test_na_golden(void **state)
{
	static const uint8_t want[VRRP_NA_FRAME_LEN] = {
		/* Ethernet */
		0x33, 0x33, 0x00, 0x00, 0x00, 0x01, /* dst: all-nodes multicast MAC */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* src: our mac */
		0x86, 0xdd,			    /* ethertype IPv6 */
		/* IPv6 */
		0x60, 0x00, 0x00, 0x00, /* version 6, traffic class 0, flow 0 */
		0x00, 0x20,		/* payload length 32 */
		0x3a,			/* next header ICMPv6 */
		0xff,			/* hop limit 255 */
		/* src fe80::5054:ff:fe12:3456 */
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56,
		/* dst ff02::1 */
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		/* ICMPv6 NA */
		0x88,		  /* type 136 */
		0x00,		  /* code 0 */
		0x4e, 0xe5,	  /* checksum */
		0x20,		  /* flags: O; R and S clear */
		0x00, 0x00, 0x00, /* reserved */
		/* target fd00:198:18::10 */
		0xfd, 0x00, 0x01, 0x98, 0x00, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
		0x02,				    /* option: target link-layer address */
		0x01,				    /* length 1 (8 bytes) */
		0x52, 0x54, 0x00, 0x12, 0x34, 0x56, /* our mac */
	};
	uint8_t buf[VRRP_NA_FRAME_LEN + 8];
	struct conf_addr src, tgt;

	(void)state;
	addr6(&src, "fe80::5054:ff:fe12:3456");
	addr6(&tgt, "fd00:198:18::10");
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac1, &src.u.v6, &tgt.u.v6, false),
			 VRRP_NA_FRAME_LEN);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[VRRP_NA_FRAME_LEN], 0xaa);
	verify_icmp6_sum(buf);
}

static void test_na_router_flag(void **state)
{
	uint8_t buf[VRRP_NA_FRAME_LEN];
	struct conf_addr src, tgt;

	(void)state;
	addr6(&src, "fe80::5054:ff:fe12:3456");
	addr6(&tgt, "fd00:198:18::10");
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac1, &src.u.v6, &tgt.u.v6, true),
			 VRRP_NA_FRAME_LEN);
	assert_int_equal(buf[14 + 40 + 4], 0xa0); /* R | O, S clear */
	assert_int_equal(buf[14 + 40 + 2], 0xce); /* checksum 0xcee4 */
	assert_int_equal(buf[14 + 40 + 3], 0xe4);
	verify_icmp6_sum(buf);
}

/* tcpdump -XX of keepalived 2.2.7 announcing fd00:198:18::100 (it uses the
 * VIP itself as the source; the source is the caller's choice here). */
static void test_na_matches_keepalived(void **state)
{
	static const uint8_t keepalived[] = {
		0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x8a, 0xc2, 0x74, 0x84, 0xc5, 0x42, 0x86,
		0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, 0xfd, 0x00, 0x01, 0x98,
		0x00, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x88, 0x00, 0x92, 0xb4, 0x20, 0x00, 0x00, 0x00, 0xfd, 0x00, 0x01,
		0x98, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x02, 0x01, 0x8a, 0xc2, 0x74, 0x84, 0xc5, 0x42,
	};
	static const uint8_t mac[6] = { 0x8a, 0xc2, 0x74, 0x84, 0xc5, 0x42 };
	uint8_t buf[VRRP_NA_FRAME_LEN];
	struct conf_addr vip;

	(void)state;
	addr6(&vip, "fd00:198:18::100");
	assert_int_equal(sizeof(keepalived), VRRP_NA_FRAME_LEN);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &vip.u.v6, &vip.u.v6, false),
			 VRRP_NA_FRAME_LEN);
	assert_memory_equal(buf, keepalived, sizeof(keepalived));
}

static void test_na_short_buffer(void **state)
{
	uint8_t buf[VRRP_NA_FRAME_LEN];
	struct conf_addr a;

	(void)state;
	addr6(&a, "fd00:198:18::10");
	assert_int_equal(vrrp_na_build(buf, sizeof(buf) - 1, mac1, &a.u.v6, &a.u.v6, false), 0);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac1, NULL, &a.u.v6, false), 0);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac1, &a.u.v6, NULL, false), 0);
}

/* Sending needs CAP_NET_RAW; without it the test only checks that open
 * fails cleanly. On lo every frame is accepted by the kernel. */
static uv_timer_t announce_timer;
static struct vrrp_garp *timer_garp;
static struct conf_addr timer_addrs[3], timer_src6;

static void on_announce_timer(uv_timer_t *t)
{
	(void)t;
	vrrp_garp_announce(timer_garp, (int)if_nametoindex("lo"), mac1, timer_addrs, 3, &timer_src6,
			   false);
}

static void test_send_on_lo(void **state)
{
	struct vrrp_garp_stats st;
	struct conf_addr bad[2];
	uv_loop_t loop;
	int rc;

	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	rc = vrrp_garp_open(&loop, &timer_garp);
	if (rc < 0)
		fail_msg("vrrp_garp_open: %s (a packet socket needs CAP_NET_RAW: make check "
			 "runs as root)",
			 strerror(-rc));
	addr4(&timer_addrs[0], "198.18.0.10");
	addr4(&timer_addrs[1], "198.18.0.11");
	addr6(&timer_addrs[2], "fd00:198:18::10");
	addr6(&timer_src6, "fe80::1");

	/* Queued from a timer: must go out without any other event waking
	 * the loop (the idle handle keeps the poll phase from blocking). */
	uv_timer_init(&loop, &announce_timer);
	uv_timer_start(&announce_timer, on_announce_timer, 1, 0);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	vrrp_garp_stats(timer_garp, &st);
	assert_int_equal(st.arp_sent, 2);
	assert_int_equal(st.na_sent, 1);
	assert_int_equal(st.errors, 0);

	/* An NA without a source, an unset address, and a frame for an
	 * interface that does not exist: errors, not crashes. */
	memset(&bad[0], 0, sizeof(bad[0]));
	addr6(&bad[1], "fd00:198:18::11");
	vrrp_garp_announce(timer_garp, (int)if_nametoindex("lo"), mac1, bad, 2, NULL, false);
	vrrp_garp_announce(timer_garp, 0x7ffffff0, mac1, timer_addrs, 1, NULL, false);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	vrrp_garp_stats(timer_garp, &st);
	assert_int_equal(st.arp_sent, 2);
	assert_int_equal(st.errors, 3);

	/* Many at once: more than one sendmmsg batch. */
	{
		static struct conf_addr many[2500];
		unsigned i;

		for (i = 0; i < 2500; i++) {
			many[i].family = AF_INET;
			many[i].u.v4.s_addr = htonl(0xc6120000u + i); /* 198.18.x.y */
		}
		vrrp_garp_announce(timer_garp, (int)if_nametoindex("lo"), mac1, many, 2500, NULL,
				   false);
		vrrp_garp_flush(timer_garp);
		/* Whatever met a full send buffer goes once it is writable. */
		assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
		vrrp_garp_stats(timer_garp, &st);
		assert_int_equal(st.arp_sent + st.errors, 2 + 3 + 2500);
	}

	uv_close((uv_handle_t *)&announce_timer, NULL);
	vrrp_garp_close(timer_garp);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void test_null_safe(void **state)
{
	struct vrrp_garp_stats st = { 1, 1, 1 };

	(void)state;
	vrrp_garp_stats(NULL, &st);
	assert_int_equal(st.arp_sent + st.na_sent + st.errors, 0);
	vrrp_garp_flush(NULL);
	vrrp_garp_close(NULL);
	assert_int_equal(vrrp_garp_open(NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp_golden),
		cmocka_unit_test(test_garp_matches_keepalived),
		cmocka_unit_test(test_garp_short_buffer),
		cmocka_unit_test(test_na_golden),
		cmocka_unit_test(test_na_router_flag),
		cmocka_unit_test(test_na_matches_keepalived),
		cmocka_unit_test(test_na_short_buffer),
		cmocka_unit_test(test_send_on_lo),
		cmocka_unit_test(test_null_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
