/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs/ipvs.c: key order of services and dests, sorting, text for logs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "ipvs/ipvs.h"

static struct ipvs_service svc4(uint16_t proto, const char *addr, uint16_t port)
{
	struct ipvs_service s = { .af = AF_INET, .protocol = proto, .port = port };

	s.addr.family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, addr, &s.addr.u.v4), 1);
	return s;
}

static struct ipvs_service svc6(uint16_t proto, const char *addr, uint16_t port)
{
	struct ipvs_service s = { .af = AF_INET6, .protocol = proto, .port = port };

	s.addr.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, addr, &s.addr.u.v6), 1);
	return s;
}

static struct ipvs_service fwm(int af, uint32_t mark)
{
	struct ipvs_service s = { .af = af, .fwmark = mark };

	return s;
}

static struct ipvs_dest dst(int af, const char *addr, uint16_t port)
{
	struct ipvs_dest d = { .af = af, .port = port, .weight = 1 };

	d.addr.family = (sa_family_t)af;
	assert_int_equal(inet_pton(af, addr, &d.addr.u), 1);
	return d;
}

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

static void test_service_cmp_order(void **state)
{
	(void)state;
	/* Ascending by the documented order. */
	struct ipvs_service v[] = {
		fwm(AF_INET, 1),
		fwm(AF_INET, 7),
		svc4(IPPROTO_TCP, "198.18.0.1", 80),
		svc4(IPPROTO_TCP, "198.18.0.1", 443),
		svc4(IPPROTO_TCP, "198.18.0.2", 1),
		svc4(IPPROTO_TCP, "198.18.1.0", 1),
		svc4(IPPROTO_UDP, "198.18.0.1", 53),
		svc4(IPPROTO_SCTP, "198.18.0.1", 53),
		fwm(AF_INET6, 1),
		svc6(IPPROTO_TCP, "fd00:198:18::1", 80),
		svc6(IPPROTO_TCP, "fd00:198:18::2", 80),
	};
	size_t n = sizeof(v) / sizeof(v[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int want = sgn((int)i - (int)j);

			assert_int_equal(sgn(ipvs_service_cmp(&v[i], &v[j])), want);
		}
}

static void test_service_cmp_ignores_non_key(void **state)
{
	struct ipvs_service a = svc4(IPPROTO_TCP, "198.18.0.1", 80), b = a;
	struct ipvs_service f1 = fwm(AF_INET, 5), f2 = f1;

	(void)state;
	strcpy(b.sched, "rr");
	b.flags = 1;
	b.timeout = 300;
	assert_int_equal(ipvs_service_cmp(&a, &b), 0);
	/* A fwmark service's key is (af, mark): leftover addr bytes do not count. */
	f2.addr.u.v4.s_addr = 0x01020304;
	f2.port = 99;
	assert_int_equal(ipvs_service_cmp(&f1, &f2), 0);
	/* An IPv4 service compares only 4 address bytes. */
	b = a;
	memset(((unsigned char *)&b.addr.u) + 4, 0xff, 12);
	assert_int_equal(ipvs_service_cmp(&a, &b), 0);
}

static void test_dest_cmp(void **state)
{
	struct ipvs_dest v[] = {
		dst(AF_INET, "198.18.1.1", 80),
		dst(AF_INET, "198.18.1.1", 8080),
		dst(AF_INET, "198.18.1.2", 1),
		dst(AF_INET6, "fd00:198:18::1", 80),
	};
	struct ipvs_dest w = v[0];

	(void)state;
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 4; j++)
			assert_int_equal(sgn(ipvs_dest_cmp(&v[i], &v[j])), sgn((int)i - (int)j));
	w.weight = 7;
	w.conn_flags = 3;
	assert_int_equal(ipvs_dest_cmp(&v[0], &w), 0);
}

static void test_sort_and_free(void **state)
{
	struct ipvs_state s = { 0 };
	unsigned n = 200;

	(void)state;
	s.svcs = calloc(n, sizeof(*s.svcs));
	assert_non_null(s.svcs);
	s.n_svcs = n;
	for (unsigned i = 0; i < n; i++) {
		char a[32];
		unsigned k = (i * 7919u) % n; /* a permutation */

		snprintf(a, sizeof(a), "198.18.%u.%u", k / 250, k % 250 + 1);
		s.svcs[i] = svc4(IPPROTO_TCP, a, 80);
		s.svcs[i].n_dests = 5;
		s.svcs[i].dests = calloc(5, sizeof(struct ipvs_dest));
		assert_non_null(s.svcs[i].dests);
		for (unsigned j = 0; j < 5; j++)
			s.svcs[i].dests[j] = dst(AF_INET, "198.18.2.1", (uint16_t)(100 - j));
	}
	ipvs_state_sort(&s);
	for (unsigned i = 1; i < n; i++)
		assert_true(ipvs_service_cmp(&s.svcs[i - 1], &s.svcs[i]) < 0);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 1; j < 5; j++)
			assert_true(s.svcs[i].dests[j - 1].port < s.svcs[i].dests[j].port);
	ipvs_state_free(&s);
	assert_null(s.svcs);
	assert_int_equal(s.n_svcs, 0);
	ipvs_state_free(&s); /* twice is harmless */
	ipvs_state_free(NULL);
}

static void test_strings(void **state)
{
	char buf[96];
	struct ipvs_service s = svc4(IPPROTO_TCP, "198.18.0.1", 80);
	struct ipvs_dest d = dst(AF_INET, "198.18.1.1", 80);
	struct ipvs_dest d6 = dst(AF_INET6, "fd00:198:18::10", 8080);

	(void)state;
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "TCP 198.18.0.1:80");
	s = svc4(IPPROTO_UDP, "198.18.0.1", 53);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "UDP 198.18.0.1:53");
	s = svc4(IPPROTO_SCTP, "198.18.0.1", 9);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "SCTP 198.18.0.1:9");
	s = svc6(IPPROTO_TCP, "fd00:198:18::1", 443);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "TCP [fd00:198:18::1]:443");
	s = fwm(AF_INET, 5);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "FWM 5");
	s = fwm(AF_INET6, 5);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "FWM 5 (IPv6)");
	s = svc4(99, "198.18.0.1", 1);
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "proto-99 198.18.0.1:1");
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "198.18.1.1:80");
	assert_string_equal(ipvs_dest_str(&d6, buf, sizeof(buf)), "[fd00:198:18::10]:8080");
	/* A short buffer truncates, never overflows. */
	assert_string_equal(ipvs_dest_str(&d, buf, 5), "198.");
	/* An address whose family field was never set still prints by af. */
	d.addr.family = 0;
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "198.18.1.1:80");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_cmp_order),
		cmocka_unit_test(test_service_cmp_ignores_non_key),
		cmocka_unit_test(test_dest_cmp),
		cmocka_unit_test(test_sort_and_free),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
