/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conf/value.h"

static void test_bool(void **state)
{
	const char *why;
	bool b;

	(void)state;
	assert_int_equal(conf_parse_bool("on", &b, &why), 0);
	assert_true(b);
	assert_int_equal(conf_parse_bool("YES", &b, &why), 0);
	assert_true(b);
	assert_int_equal(conf_parse_bool("false", &b, &why), 0);
	assert_false(b);
	assert_int_equal(conf_parse_bool("maybe", &b, &why), -1);
	assert_non_null(strstr(why, "boolean"));
}

static void test_int(void **state)
{
	const char *why;
	long long v;

	(void)state;
	assert_int_equal(conf_parse_int("255", 1, 255, &v, &why), 0);
	assert_int_equal(v, 255);
	assert_int_equal(conf_parse_int("010", 0, 100, &v, &why), 0);
	assert_int_equal(v, 10); /* decimal, never octal */
	assert_int_equal(conf_parse_int("0x1f", 0, 100, &v, &why), 0);
	assert_int_equal(v, 31);
	assert_int_equal(conf_parse_int("-5", -10, 10, &v, &why), 0);
	assert_int_equal(v, -5);
	assert_int_equal(conf_parse_int("256", 1, 255, &v, &why), -1);
	assert_string_equal(why, "is out of range");
	assert_int_equal(conf_parse_int("0", 1, 255, &v, &why), -1);
	assert_int_equal(conf_parse_int("12a", 1, 255, &v, &why), -1);
	assert_int_equal(conf_parse_int("", 1, 255, &v, &why), -1);
	assert_int_equal(conf_parse_int(" 1", 1, 255, &v, &why), -1);
	assert_int_equal(conf_parse_int("99999999999999999999999", 0, 1, &v, &why), -1);
	assert_int_equal(conf_parse_int("09", 0, 100, &v, &why), 0);
	assert_int_equal(v, 9);
}

static void test_timer(void **state)
{
	const char *why;
	uint64_t us;

	(void)state;
	assert_int_equal(conf_parse_timer("1", 0, UINT64_MAX, &us, &why), 0);
	assert_int_equal(us, 1000000);
	assert_int_equal(conf_parse_timer("0.01", 0, UINT64_MAX, &us, &why), 0);
	assert_int_equal(us, 10000);
	assert_int_equal(conf_parse_timer("2.71828", 0, UINT64_MAX, &us, &why), 0);
	assert_int_equal(us, 2718280);
	assert_int_equal(conf_parse_timer(".5", 0, UINT64_MAX, &us, &why), 0);
	assert_int_equal(us, 500000);
	assert_int_equal(conf_parse_timer("1.0000001", 0, UINT64_MAX, &us, &why), -1);
	assert_int_equal(conf_parse_timer("1.0000000", 0, UINT64_MAX, &us, &why), 0);
	assert_int_equal(conf_parse_timer("abc", 0, UINT64_MAX, &us, &why), -1);
	assert_int_equal(conf_parse_timer("1s", 0, UINT64_MAX, &us, &why), -1);
	assert_int_equal(conf_parse_timer(".", 0, UINT64_MAX, &us, &why), -1);
	assert_int_equal(conf_parse_timer("-1", 0, UINT64_MAX, &us, &why), -1);
	assert_int_equal(conf_parse_timer("41", 10000, 40950000, &us, &why), -1);
	assert_string_equal(why, "is out of range");
	assert_int_equal(conf_parse_timer("99999999999999999999", 0, UINT64_MAX, &us, &why), -1);
}

static void test_addr(void **state)
{
	struct conf_addr a;
	struct conf_prefix p;
	char buf[CONF_ADDRSTRLEN];
	const char *why;

	(void)state;
	assert_int_equal(conf_parse_addr("198.18.0.1", AF_UNSPEC, &a, &why), 0);
	assert_int_equal(a.family, AF_INET);
	assert_string_equal(conf_addr_str(&a, buf), "198.18.0.1");
	assert_int_equal(conf_parse_addr("fd00:198:18::1", AF_UNSPEC, &a, &why), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_string_equal(conf_addr_str(&a, buf), "fd00:198:18::1");
	assert_int_equal(conf_parse_addr("fd00::1", AF_INET, &a, &why), -1);
	assert_string_equal(why, "is not an IPv4 address");
	assert_int_equal(conf_parse_addr("1.2.3.4", AF_INET6, &a, &why), -1);
	assert_int_equal(conf_parse_addr("1.2.3", AF_UNSPEC, &a, &why), -1);
	assert_int_equal(conf_parse_addr("host.example", AF_UNSPEC, &a, &why), -1);

	assert_int_equal(conf_parse_prefix("198.18.0.1/24", AF_UNSPEC, &p, &why), 0);
	assert_int_equal(p.len, 24);
	assert_true(p.has_len);
	assert_string_equal(conf_prefix_str(&p, buf), "198.18.0.1/24");
	assert_int_equal(conf_parse_prefix("198.18.0.1", AF_UNSPEC, &p, &why), 0);
	assert_int_equal(p.len, 32);
	assert_false(p.has_len);
	assert_int_equal(conf_parse_prefix("fd00::/48", AF_UNSPEC, &p, &why), 0);
	assert_int_equal(p.len, 48);
	assert_int_equal(conf_parse_prefix("198.18.0.1/33", AF_UNSPEC, &p, &why), -1);
	assert_int_equal(conf_parse_prefix("198.18.0.1/", AF_UNSPEC, &p, &why), -1);
	assert_int_equal(conf_parse_prefix("fd00::/129", AF_UNSPEC, &p, &why), -1);
	assert_int_equal(conf_parse_prefix("x/24", AF_UNSPEC, &p, &why), -1);
}

static void test_port_mac_ifname(void **state)
{
	uint16_t port;
	uint8_t mac[6];
	const char *why;

	(void)state;
	assert_int_equal(conf_parse_port("80", &port, &why), 0);
	assert_int_equal(port, 80);
	assert_int_equal(conf_parse_port("65536", &port, &why), -1);
	assert_int_equal(conf_parse_port("http", &port, &why), -1);
	assert_int_equal(conf_parse_mac("00:00:5e:00:01:0a", mac, &why), 0);
	assert_int_equal(mac[5], 0x0a);
	assert_int_equal(conf_parse_mac("00:00:5e:00:01", mac, &why), -1);
	assert_int_equal(conf_parse_mac("00:00:5e:00:01:0g", mac, &why), -1);
	assert_int_equal(conf_parse_mac("00:00:5e:00:01:0a:", mac, &why), -1);
	assert_int_equal(conf_check_ifname("eth0", &why), 0);
	assert_int_equal(conf_check_ifname("vrrp.10@eth0", &why), 0);
	assert_int_equal(conf_check_ifname("averyveryverylongname", &why), -1);
	assert_int_equal(conf_check_ifname("a/b", &why), -1);
	assert_int_equal(conf_check_ifname("", &why), -1);
	assert_int_equal(conf_check_ifname("..", &why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool),  cmocka_unit_test(test_int),
		cmocka_unit_test(test_timer), cmocka_unit_test(test_addr),
		cmocka_unit_test(test_port_mac_ifname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
