/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/accept.c: the acceptance checks of an advert against one instance,
 * one case per verdict (each with the drop counter and log text it maps
 * to, which `vigilctl status` and the log show), and adverts that pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vrrp/accept.h"

static struct conf_addr addr(const char *s)
{
	struct conf_addr a;

	assert_int_equal(conf_parse_addr(s, AF_UNSPEC, &a, NULL), 0);
	return a;
}

/* The instance: v3, IPv4, 100 ms, VIPs 198.18.0.100 and .101, source .1. */
static struct conf_addr my_addr, vips[2];
static struct conf_list no_peers;
static struct vrrp_accept_ctx ctx;

/* The advert: from 198.18.0.2, the same VIPs (in the other order). */
static uint8_t pkt_addrs[2 * 4];
static struct vrrp_pkt pkt;

static int setup(void **state)
{
	struct conf_addr a;

	(void)state;
	my_addr = addr("198.18.0.1");
	vips[0] = addr("198.18.0.100");
	vips[1] = addr("198.18.0.101");
	memset(&no_peers, 0, sizeof(no_peers));
	ctx = (struct vrrp_accept_ctx){
		.family = AF_INET,
		.version = 3,
		.adver_us = 100000,
		.auth_type = VRRP_AUTH_NONE,
		.my_addr = &my_addr,
		.vips = vips,
		.nvips = 2,
		.unicast_peers = &no_peers,
	};
	a = addr("198.18.0.101");
	memcpy(pkt_addrs, &a.u.v4, 4);
	a = addr("198.18.0.100");
	memcpy(pkt_addrs + 4, &a.u.v4, 4);
	memset(&pkt, 0, sizeof(pkt));
	pkt.version = 3;
	pkt.type = 1;
	pkt.vrid = 51;
	pkt.priority = 150;
	pkt.naddr = 2;
	pkt.adver_cs = 10;
	pkt.family = AF_INET;
	pkt.addrs = pkt_addrs;
	pkt.src = addr("198.18.0.2");
	pkt.dst = addr("224.0.0.18");
	pkt.ttl = 255;
	return 0;
}

static enum vrrp_accept verdict(bool *other_interval)
{
	bool o = true;
	enum vrrp_accept r = vrrp_accept(&ctx, &pkt, &o);

	if (other_interval)
		*other_interval = o;
	else
		assert_false(o);
	return r;
}

/* The row of a verdict: its counter and its log line. */
static void assert_row(enum vrrp_accept v, enum vrrp_drop drop, const char *log)
{
	assert_int_equal(vrrp_accept_reasons[v].drop, drop);
	if (log)
		assert_string_equal(vrrp_accept_reasons[v].log, log);
	else
		assert_null(vrrp_accept_reasons[v].log);
}

static void test_accepted(void **state)
{
	(void)state;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	assert_row(VRRP_ACCEPT_OK, VRRP_OK, NULL);
	/* Priority 0 and a master of another priority are heard alike. */
	pkt.priority = 0;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	pkt.priority = 255;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	/* No NULL out-parameter needed. */
	assert_int_equal(vrrp_accept(&ctx, &pkt, NULL), VRRP_ACCEPT_OK);
}

static void test_family(void **state)
{
	(void)state;
	pkt.family = AF_INET6;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_FAMILY);
	assert_row(VRRP_ACCEPT_FAMILY, VRRP_DROP_FAMILY, NULL);
}

static void test_own(void **state)
{
	(void)state;
	pkt.src = my_addr;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OWN);
	assert_row(VRRP_ACCEPT_OWN, VRRP_DROP_SRC, NULL);
}

static void test_version(void **state)
{
	(void)state;
	pkt.version = 2;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_VERSION);
	assert_row(VRRP_ACCEPT_VERSION, VRRP_DROP_VERSION, "VRRP version differs");
}

/* A v2 instance with PASS "secret" and 1 s adverts. */
static void v2_pass(const char *pass)
{
	ctx.version = 2;
	ctx.adver_us = 1000000;
	ctx.auth_type = VRRP_AUTH_PASS;
	ctx.auth_pass = pass;
	pkt.version = 2;
	pkt.adver_cs = 100;
	pkt.auth_type = VRRP_AUTH_PASS;
	memset(pkt.auth_data, 0, sizeof(pkt.auth_data));
	memcpy(pkt.auth_data, "secret", 6);
}

static void test_auth_type(void **state)
{
	(void)state;
	v2_pass("secret");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	pkt.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_AUTH_TYPE);
	pkt.auth_type = VRRP_AUTH_AH;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_AUTH_TYPE);
	assert_row(VRRP_ACCEPT_AUTH_TYPE, VRRP_DROP_AUTH_TYPE, "authentication type differs");
	/* No authentication on either side. */
	ctx.auth_type = VRRP_AUTH_NONE;
	pkt.auth_type = VRRP_AUTH_NONE;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

static void test_auth_pass(void **state)
{
	(void)state;
	v2_pass("secreT");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_AUTH_PASS);
	assert_row(VRRP_ACCEPT_AUTH_PASS, VRRP_DROP_AUTH, "authentication password differs");
	/* Only the first 8 bytes count, as on the wire. */
	v2_pass("secret12345");
	memcpy(pkt.auth_data, "secret12", 8);
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	memcpy(pkt.auth_data, "secret13", 8);
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_AUTH_PASS);
	/* No password configured: eight zero bytes. */
	v2_pass(NULL);
	memset(pkt.auth_data, 0, sizeof(pkt.auth_data));
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

static void test_interval_v2(void **state)
{
	(void)state;
	v2_pass("secret");
	pkt.adver_cs = 200;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_INTERVAL);
	/* v2 checks the interval of priority 0 adverts too. */
	pkt.priority = 0;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_INTERVAL);
	assert_row(VRRP_ACCEPT_INTERVAL, VRRP_DROP_INTERVAL, "advertisement interval differs");
}

static void test_interval_v3(void **state)
{
	bool other;

	(void)state;
	/* v3 learns another interval (RFC 5798 6.4.2): accepted, and told. */
	pkt.adver_cs = 20;
	assert_int_equal(verdict(&other), VRRP_ACCEPT_OK);
	assert_true(other);
	/* Told even when a later check drops the advert. */
	pkt.naddr = 1;
	assert_int_equal(verdict(&other), VRRP_ACCEPT_ADDR_COUNT);
	assert_true(other);
	pkt.naddr = 2;
	/* Priority 0 carries no interval worth telling. */
	pkt.priority = 0;
	assert_int_equal(verdict(&other), VRRP_ACCEPT_OK);
	assert_false(other);
	/* The same interval: nothing to tell. */
	pkt.priority = 150;
	pkt.adver_cs = 10;
	assert_int_equal(verdict(&other), VRRP_ACCEPT_OK);
	assert_false(other);
}

static void test_interval_strict(void **state)
{
	bool other;

	(void)state;
	ctx.strict = true;
	pkt.adver_cs = 20;
	assert_int_equal(verdict(&other), VRRP_ACCEPT_INTERVAL_STRICT);
	assert_false(other);
	assert_row(VRRP_ACCEPT_INTERVAL_STRICT, VRRP_DROP_INTERVAL,
		   "advertisement interval differs (strict_mode)");
	/* A priority 0 advert (the master leaving) still counts. */
	pkt.priority = 0;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

static void test_addr_count(void **state)
{
	(void)state;
	pkt.naddr = 1;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_ADDR_COUNT);
	assert_row(VRRP_ACCEPT_ADDR_COUNT, VRRP_DROP_ADDR_COUNT, "address list differs from ours");
}

static void test_addr_list(void **state)
{
	struct conf_addr other = addr("198.18.0.102"), last = pkt.src;

	(void)state;
	memcpy(pkt_addrs, &other.u.v4, 4);
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_ADDR_LIST);
	assert_row(VRRP_ACCEPT_ADDR_LIST, VRRP_DROP_ADDR_LIST, "address list differs from ours");
	/* skip_check_adv_addr: not checked again for the same router... */
	ctx.skip_check_adv_addr = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_ADDR_LIST); /* no advert before */
	ctx.last_src = &last;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	/* ...but for another one. */
	pkt.src = addr("198.18.0.3");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_ADDR_LIST);
	/* Without the option the previous router does not matter. */
	pkt.src = last;
	ctx.skip_check_adv_addr = false;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_ADDR_LIST);
}

/* Unicast peers 198.18.0.2 (TTL 250..255 when ttl_check) and 198.18.0.3. */
static struct conf_unicast_peer peer2, peer3;
static struct conf_list peers;

static void unicast(bool ttl_check)
{
	memset(&peers, 0, sizeof(peers));
	memset(&peer2, 0, sizeof(peer2));
	memset(&peer3, 0, sizeof(peer3));
	peer2.addr = addr("198.18.0.2");
	peer2.min_ttl = 250;
	peer2.max_ttl = 255;
	peer2.ttl_check = ttl_check;
	peer3.addr = addr("198.18.0.3");
	peer3.max_ttl = 255;
	conf_list_append(&peers, &peer2.hdr);
	conf_list_append(&peers, &peer3.hdr);
	ctx.unicast_peers = &peers;
	pkt.dst = addr("198.18.0.1");
}

static void test_not_peer(void **state)
{
	(void)state;
	unicast(false);
	pkt.src = addr("198.18.0.4");
	/* Without check_unicast_src any source is heard, as in keepalived. */
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	ctx.check_unicast_src = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_NOT_PEER);
	assert_row(VRRP_ACCEPT_NOT_PEER, VRRP_DROP_SRC,
		   "not a configured unicast peer (check_unicast_src)");
	pkt.src = addr("198.18.0.3");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	/* A peer's ttl_check turns the check on by itself. */
	unicast(true);
	ctx.check_unicast_src = false;
	pkt.src = addr("198.18.0.4");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_NOT_PEER);
}

static void test_peer_ttl(void **state)
{
	(void)state;
	unicast(true);
	pkt.ttl = 249;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_PEER_TTL);
	assert_row(VRRP_ACCEPT_PEER_TTL, VRRP_DROP_TTL, "TTL outside the peer's min_ttl..max_ttl");
	pkt.ttl = 250;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	/* A peer without ttl_check takes any TTL. */
	pkt.src = addr("198.18.0.3");
	pkt.ttl = 1;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

/* skip_check_adv_addr skips the address list only: a forged advert with
 * the master's address is still held to the peer list and TTL range. */
static void test_peer_ttl_skip_adv_addr(void **state)
{
	struct conf_addr last = addr("198.18.0.2");

	(void)state;
	unicast(true);
	ctx.skip_check_adv_addr = true;
	ctx.last_src = &last;
	pkt.ttl = 249;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_PEER_TTL);
	ctx.check_unicast_src = true;
	ctx.unicast_peers = &peers;
	memset(&peers, 0, sizeof(peers));
	peer3.hdr.next = NULL;
	conf_list_append(&peers, &peer3.hdr); /* .2 is no longer a peer */
	pkt.ttl = 255;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_NOT_PEER);
}

/* RFC 5798 7.1: a multicast instance takes TTL 255 only, whatever the
 * destination; a unicast instance takes any TTL unless a range is set. */
static void test_ttl(void **state)
{
	(void)state;
	pkt.dst = addr("198.18.0.1"); /* a unicast advert to a multicast instance */
	pkt.ttl = 254;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_TTL);
	assert_row(VRRP_ACCEPT_TTL, VRRP_DROP_TTL, "TTL is not 255 (multicast instance)");
	/* before the version check, after the family */
	pkt.version = 2;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_TTL);
	pkt.family = AF_INET6;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_FAMILY);
	pkt.family = AF_INET;
	pkt.version = 3;
	unicast(false);
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	pkt.ttl = 0;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	/* check_unicast_src alone: peers' default range 0..255 */
	ctx.check_unicast_src = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

/* keepalived 2.2.7: a unicast advert to a multicast instance, or a
 * multicast one to a unicast instance, is dropped and counted. */
static void test_dst(void **state)
{
	(void)state;
	pkt.dst = addr("198.18.0.1");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_DST);
	assert_row(VRRP_ACCEPT_DST, VRRP_DROP_DST,
		   "unicast advert to a multicast instance, or multicast to a unicast one");
	unicast(false);
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	pkt.dst = addr("224.0.0.18");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_DST);
	/* IPv6: ff02::12 is the group */
	ctx.family = pkt.family = AF_INET6;
	ctx.my_addr = NULL;
	ctx.nvips = 0;
	pkt.naddr = 0;
	pkt.src = addr("fd00:198:18::2");
	pkt.dst = addr("ff02::12");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_DST);
	ctx.unicast_peers = &no_peers;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	pkt.dst = addr("fd00:198:18::1");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_DST);
}

static void test_prio_owner(void **state)
{
	(void)state;
	ctx.owner = true;
	pkt.priority = 255;
	/* Outside strict_mode the usual tie-break decides. */
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	ctx.strict = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_PRIO_OWNER);
	assert_row(VRRP_ACCEPT_PRIO_OWNER, VRRP_DROP_PRIO_OWNER,
		   "claims priority 255 for a VRID we own");
	pkt.priority = 254;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

/* A v3 IPv4 advert whose checksum holds only without the pseudo-header
 * (packet.c marks it): taken with v3_checksum_as_v2 only; with it, an
 * RFC 5798 checksum is still taken. */
static void test_checksum_as_v2(void **state)
{
	(void)state;
	pkt.csum_as_v2 = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_CHECKSUM);
	assert_row(VRRP_ACCEPT_CHECKSUM, VRRP_DROP_CHECKSUM,
		   "VRRPv3 checksum without the IPv4 pseudo-header (the peer has "
		   "v3_checksum_as_v2, we do not)");
	ctx.v3_csum_as_v2 = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
	pkt.csum_as_v2 = false;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OK);
}

/* The checks run in order: an advert wrong in every way gets the first. */
static void test_order(void **state)
{
	(void)state;
	ctx.strict = true;
	ctx.owner = true;
	pkt.priority = 255;
	unicast(true);
	pkt.src = addr("198.18.0.4");
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_NOT_PEER);
	pkt.naddr = 1;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_ADDR_COUNT);
	pkt.adver_cs = 20;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_INTERVAL_STRICT);
	pkt.version = 2;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_VERSION);
	pkt.src = my_addr;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_OWN);
	pkt.csum_as_v2 = true;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_CHECKSUM);
	pkt.family = AF_INET6;
	assert_int_equal(verdict(NULL), VRRP_ACCEPT_FAMILY);
}

/* Every verdict has a row: a distinct name and a drop counter that
 * `vigilctl status` can name. */
static void test_names(void **state)
{
	(void)state;
	for (unsigned i = 0; i < VRRP_ACCEPT__COUNT; i++) {
		assert_non_null(vrrp_accept_reasons[i].name);
		assert_true(vrrp_accept_reasons[i].drop < VRRP_DROP__COUNT);
		assert_non_null(vrrp_drop_names[vrrp_accept_reasons[i].drop]);
		assert_true((vrrp_accept_reasons[i].drop == VRRP_OK) == (i == VRRP_ACCEPT_OK));
		for (unsigned k = 0; k < i; k++)
			assert_string_not_equal(vrrp_accept_reasons[i].name,
						vrrp_accept_reasons[k].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_accepted, setup),
		cmocka_unit_test_setup(test_family, setup),
		cmocka_unit_test_setup(test_own, setup),
		cmocka_unit_test_setup(test_version, setup),
		cmocka_unit_test_setup(test_auth_type, setup),
		cmocka_unit_test_setup(test_auth_pass, setup),
		cmocka_unit_test_setup(test_interval_v2, setup),
		cmocka_unit_test_setup(test_interval_v3, setup),
		cmocka_unit_test_setup(test_interval_strict, setup),
		cmocka_unit_test_setup(test_addr_count, setup),
		cmocka_unit_test_setup(test_addr_list, setup),
		cmocka_unit_test_setup(test_not_peer, setup),
		cmocka_unit_test_setup(test_peer_ttl, setup),
		cmocka_unit_test_setup(test_peer_ttl_skip_adv_addr, setup),
		cmocka_unit_test_setup(test_ttl, setup),
		cmocka_unit_test_setup(test_dst, setup),
		cmocka_unit_test_setup(test_prio_owner, setup),
		cmocka_unit_test_setup(test_checksum_as_v2, setup),
		cmocka_unit_test_setup(test_order, setup),
		cmocka_unit_test_setup(test_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
