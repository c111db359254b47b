/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/netlink.c: a smoke test of open/close on the real (unprivileged)
 * rtnetlink (the messages are tested by test_vrrp_netlink).
 */
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>
#include <cmocka.h>

#include "vrrp/netlink.h"

static void test_open_close(void **state)
{
	uv_loop_t loop;
	struct vrrp_nl *nl;
	struct vrrp_nl_stats st;
	const struct vrrp_iface *lo;
	unsigned idx = if_nametoindex("lo");
	int rc;

	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	rc = vrrp_nl_open(&loop, NULL, &nl);
	if (rc)
		fail_msg("vrrp_nl_open: %s", strerror(-rc));
	if (idx) {
		lo = vrrp_nl_iface_by_name(nl, "lo");
		assert_non_null(lo);
		assert_int_equal(lo->ifindex, (int)idx);
		assert_ptr_equal(vrrp_nl_iface_by_index(nl, (int)idx), lo);
	}
	assert_null(vrrp_nl_iface_by_name(nl, "no-such-if"));
	vrrp_nl_stats(nl, &st);
	assert_int_equal(st.batches, 0);
	vrrp_nl_close(nl);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
