/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VRRP runtime's pure helpers: how a reload classifies each instance
 * (unchanged, updated in place, restarted, added, removed, vrrp/diff.c),
 * the GARP plans and pacing lanes (vrrp/garp_pace.c) and the effective
 * priority after tracking weights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conf.h"
#include "vrrp/diff.h"
#include "vrrp/garp.h"
#include "vrrp/instance.h"

static struct conf_load A, B;

static void load(struct conf_load *l, const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	conf_load_free(l);
	memset(l, 0, sizeof(*l));
	if (conf_load_string("t.conf", text, strlen(text), &o, l) != 0 || !l->model) {
		conf_msgs_print(stderr, l->msgs);
		fail_msg("config did not load");
	}
}

#define BASE_SCRIPTS "vrrp_script chk { script \"/bin/true\"\n interval 1 }\n"

static const char *inst(const char *name, const char *extra)
{
	static char buf[4][2048];
	static int k;
	char *b = buf[k++ & 3];

	snprintf(b, sizeof(buf[0]),
		 "vrrp_instance %s {\n interface eth0\n virtual_router_id %d\n priority 150\n"
		 " advert_int 1\n virtual_ipaddress {\n  198.18.0.100/24\n }\n%s}\n",
		 name, 50 + (name[strlen(name) - 1] - '0'), extra);
	return b;
}

static enum vrrp_cfg_diff diff(const char *ta, const char *tb, const char *name)
{
	load(&A, ta);
	load(&B, tb);
	return vrrp_model_diff(A.model, B.model, name);
}

static void test_unchanged(void **st)
{
	char a[4096], b[4096];

	(void)st;
	snprintf(a, sizeof(a), "%s%s", inst("VI_1", ""), inst("VI_2", ""));
	/* Order and comments do not matter. */
	snprintf(b, sizeof(b), "# reordered\n%s%s", inst("VI_2", ""), inst("VI_1", ""));
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_SAME);
	assert_int_equal(diff(a, b, "VI_2"), VRRP_CFG_SAME);
}

static void test_updated_in_place(void **st)
{
	char a[4096], b[4096];

	(void)st;
	snprintf(a, sizeof(a), BASE_SCRIPTS "%s", inst("VI_1", ""));
	snprintf(b, sizeof(b), BASE_SCRIPTS "%s", inst("VI_1", " nopreempt\n"));
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_UPDATE);
	snprintf(b, sizeof(b), BASE_SCRIPTS "%s",
		 inst("VI_1", " track_script {\n  chk weight -20\n }\n"));
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_UPDATE);
	snprintf(b, sizeof(b), BASE_SCRIPTS "%s", inst("VI_1", " notify_master /bin/true\n"));
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_UPDATE);
	/* priority 150 -> 120 and advert_int 1 -> 2 */
	snprintf(b, sizeof(b),
		 BASE_SCRIPTS "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
			      " priority 120\n advert_int 2\n virtual_ipaddress {\n"
			      "  198.18.0.100/24\n }\n}\n");
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_UPDATE);
	/* VIPs, excluded VIPs, routes and rules change on the system in place. */
	snprintf(b, sizeof(b),
		 BASE_SCRIPTS "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
			      " priority 150\n advert_int 1\n virtual_ipaddress {\n"
			      "  198.18.0.100/24\n  198.18.0.101/24\n }\n"
			      " virtual_ipaddress_excluded {\n  198.18.1.1/32\n }\n"
			      " virtual_routes {\n  198.18.2.0/24 via 198.18.0.254\n }\n"
			      " virtual_rules {\n  from 198.18.3.0/24 table 100\n }\n}\n");
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_UPDATE);
}

static void test_list_diff(void **st)
{
	const struct conf_vrrp_instance *ia, *ib;
	bool out[8];

	(void)st;
	load(&A, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		 " virtual_ipaddress {\n  198.18.0.1/24\n  198.18.0.2/24\n"
		 "  198.18.0.3/24 label eth0:x\n }\n"
		 " virtual_routes {\n  198.18.2.0/24 via 198.18.0.254\n"
		 "  198.18.4.0/24 via 198.18.0.254\n }\n}\n");
	load(&B, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		 " virtual_ipaddress {\n  198.18.0.2/24\n  198.18.0.9/24\n"
		 "  198.18.0.3/24 label eth0:y\n }\n"
		 " virtual_routes {\n  198.18.4.0/24 via 198.18.0.254\n }\n}\n");
	ia = conf_list_find(&A.model->vrrp.instances, "VI_1");
	ib = conf_list_find(&B.model->vrrp.instances, "VI_1");
	/* Removed: .1, and .3 whose label changed; .2 stays. */
	assert_int_equal(vrrp_list_diff(&conf_block_vip_list, &ia->vips, &ib->vips, out), 2);
	assert_true(out[0]);
	assert_false(out[1]);
	assert_true(out[2]);
	/* Added: .9 and the new .3. */
	assert_int_equal(vrrp_list_diff(&conf_block_vip_list, &ib->vips, &ia->vips, out), 2);
	assert_false(out[0]);
	assert_true(out[1]);
	assert_true(out[2]);
	assert_int_equal(vrrp_list_diff(&conf_block_route_list, &ia->vroutes, &ib->vroutes, out),
			 1);
	assert_true(out[0]);
	assert_false(out[1]);
	assert_int_equal(vrrp_list_diff(&conf_block_route_list, &ib->vroutes, &ia->vroutes, out),
			 0);
}

/* The reload of static entries: which entry of the new file is which of
 * the old (kept untouched, with its state), reordered or not. */
static void test_list_match_static(void **st)
{
	int m[8];

	(void)st;
	load(&A, "static_ipaddress {\n 198.18.0.1/24 dev eth0\n 198.18.0.2/24 dev eth0\n"
		 " 198.18.0.3/24 dev eth0 noprefixroute\n}\n"
		 "static_rules {\n from 198.18.1.0/24 table 100 priority 100\n}\n");
	load(&B, "static_ipaddress {\n 198.18.0.2/24 dev eth0\n 198.18.0.9/24 dev eth0\n"
		 " 198.18.0.3/24 dev eth0\n 198.18.0.1/24 dev eth0\n}\n"
		 "static_rules {\n from 198.18.1.0/24 table 100 priority 100\n}\n");
	assert_int_equal(vrrp_list_match(&conf_block_vip_list, &A.model->vrrp.static_addresses,
					 &B.model->vrrp.static_addresses, m),
			 0);
	assert_int_equal(m[0], 3);  /* .1 moved to the end */
	assert_int_equal(m[1], 0);  /* .2 */
	assert_int_equal(m[2], -1); /* .3 lost noprefixroute: a different entry */
	assert_int_equal(vrrp_list_match(&conf_block_vip_list, &B.model->vrrp.static_addresses,
					 &A.model->vrrp.static_addresses, m),
			 0);
	assert_int_equal(m[0], 1);
	assert_int_equal(m[1], -1); /* .9 is new */
	assert_int_equal(m[2], -1);
	assert_int_equal(m[3], 0);
	assert_int_equal(vrrp_list_match(&conf_block_rule_list, &A.model->vrrp.static_rules,
					 &B.model->vrrp.static_rules, m),
			 0);
	assert_int_equal(m[0], 0);
}

static void test_garp_plan(void **st)
{
	struct conf_vrrp_instance *vi;
	struct vrrp_garp_plan p;
	struct vrrp_garp_lane l = { .interval_ns = 100 };
	struct vrrp_garp_msg m[3] = { 0 };

	(void)st;
	/* Defaults: 5 now and 5 more 5 s later; lower priority the same. */
	load(&A, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		 " virtual_ipaddress {\n  198.18.0.1/24\n }\n}\n");
	vi = conf_list_find(&A.model->vrrp.instances, "VI_1");
	vrrp_garp_plan(vi, VRRP_GARP_TAKEOVER, &p);
	assert_int_equal(p.now, 5);
	assert_int_equal(p.later, 5);
	assert_int_equal(p.later_ms, 5000);
	vrrp_garp_plan(vi, VRRP_GARP_LOWER_PRIO, &p);
	assert_int_equal(p.now, 5);
	assert_int_equal(p.later, 5);
	vrrp_garp_plan(vi, VRRP_GARP_REFRESH, &p);
	assert_int_equal(p.now, 1);
	/* vrrp_min_garp: one, nothing later. */
	load(&A, "global_defs {\n vrrp_min_garp\n}\n"
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		 " virtual_ipaddress {\n  198.18.0.1/24\n }\n}\n");
	vi = conf_list_find(&A.model->vrrp.instances, "VI_1");
	vrrp_garp_plan(vi, VRRP_GARP_TAKEOVER, &p);
	assert_int_equal(p.now, 1);
	assert_int_equal(p.later, 0);
	vrrp_garp_plan(vi, VRRP_GARP_LOWER_PRIO, &p);
	assert_int_equal(p.now, 1);
	assert_int_equal(p.later, 0);
	/* and no refresh messages (garp_master_refresh_repeat 0), as keepalived */
	vrrp_garp_plan(vi, VRRP_GARP_REFRESH, &p);
	assert_int_equal(p.now, 0);
	/* Per instance settings. */
	load(&A, "global_defs {\n vrrp_garp_lower_prio_repeat 0\n}\n"
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		 " garp_master_delay 2\n garp_master_repeat 3\n garp_master_refresh 60\n"
		 " garp_master_refresh_repeat 2\n"
		 " virtual_ipaddress {\n  198.18.0.1/24\n }\n}\n");
	vi = conf_list_find(&A.model->vrrp.instances, "VI_1");
	vrrp_garp_plan(vi, VRRP_GARP_TAKEOVER, &p);
	assert_int_equal(p.now, 3);
	assert_int_equal(p.later, 3);
	assert_int_equal(p.later_ms, 2000);
	vrrp_garp_plan(vi, VRRP_GARP_LOWER_PRIO, &p);
	assert_int_equal(p.now, 0);
	assert_int_equal(p.later, 0);
	vrrp_garp_plan(vi, VRRP_GARP_REFRESH, &p);
	assert_int_equal(p.now, 2);
	/* Pacing: messages leave in order, each at least the interval after
	 * the previous send, counted from when it really went. */
	assert_true(vrrp_garp_lane_open(&l, 1000));
	vrrp_garp_lane_sent(&l, 1000);
	assert_false(vrrp_garp_lane_open(&l, 1099));
	vrrp_garp_lane_append(&l, &m[0]);
	vrrp_garp_lane_append(&l, &m[1]);
	assert_false(vrrp_garp_lane_open(&l, 5000)); /* others wait first */
	assert_null(vrrp_garp_lane_take(&l, 1099));
	/* A late wake-up (28 past the turn) moves the next turn with it. */
	assert_ptr_equal(vrrp_garp_lane_take(&l, 1128), &m[0]);
	vrrp_garp_lane_sent(&l, 1128);
	assert_null(vrrp_garp_lane_take(&l, 1200));
	assert_null(vrrp_garp_lane_take(&l, 1227));
	assert_ptr_equal(vrrp_garp_lane_take(&l, 1228), &m[1]);
	vrrp_garp_lane_sent(&l, 1228);
	assert_null(l.head);
	assert_null(l.tail);
	assert_null(vrrp_garp_lane_take(&l, 9000));
	assert_false(vrrp_garp_lane_open(&l, 1327));
	assert_true(vrrp_garp_lane_open(&l, 1328));
	/* Appending after the lane emptied works from a clean tail. */
	vrrp_garp_lane_append(&l, &m[2]);
	assert_ptr_equal(l.head, &m[2]);
	assert_ptr_equal(vrrp_garp_lane_take(&l, 2000), &m[2]);
}

static void test_restarted(void **st)
{
	char a[4096], b[4096];

	(void)st;
	snprintf(a, sizeof(a), "%s", inst("VI_1", ""));
	/* another VRID */
	snprintf(b, sizeof(b),
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 52\n priority 150\n"
		 " advert_int 1\n virtual_ipaddress {\n  198.18.0.100/24\n }\n}\n");
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_RESTART);
	/* another interface */
	snprintf(b, sizeof(b),
		 "vrrp_instance VI_1 {\n interface eth1\n virtual_router_id 51\n priority 150\n"
		 " advert_int 1\n virtual_ipaddress {\n  198.18.0.100/24\n }\n}\n");
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_RESTART);
	/* VIPs of another family */
	snprintf(b, sizeof(b),
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 150\n"
		 " advert_int 1\n virtual_ipaddress {\n  fd00:198:18::1/64\n }\n}\n");
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_RESTART);
	/* becoming the address owner */
	snprintf(b, sizeof(b),
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 255\n"
		 " advert_int 1\n virtual_ipaddress {\n  198.18.0.100/24\n }\n}\n");
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_RESTART);
	/* unicast peers */
	snprintf(b, sizeof(b), "%s",
		 inst("VI_1", " unicast_src_ip 198.18.0.1\n unicast_peer {\n  198.18.0.2\n }\n"));
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_RESTART);
}

static void test_added_removed(void **st)
{
	char a[4096], b[4096];

	(void)st;
	snprintf(a, sizeof(a), "%s%s", inst("VI_1", ""), inst("VI_2", ""));
	snprintf(b, sizeof(b), "%s%s", inst("VI_1", ""), inst("VI_3", ""));
	assert_int_equal(diff(a, b, "VI_1"), VRRP_CFG_SAME);
	assert_int_equal(diff(a, b, "VI_2"), VRRP_CFG_REMOVED);
	assert_int_equal(diff(a, b, "VI_3"), VRRP_CFG_ADDED);
}

static void test_effective_priority(void **st)
{
	(void)st;
	assert_int_equal(vrrp_effective_priority(100, 0), 100);
	assert_int_equal(vrrp_effective_priority(100, 50), 150);
	assert_int_equal(vrrp_effective_priority(100, 200), 254);
	assert_int_equal(vrrp_effective_priority(100, -99), 1);
	assert_int_equal(vrrp_effective_priority(100, -500), 1);
	assert_int_equal(vrrp_effective_priority(254, 1), 254);
	assert_int_equal(vrrp_effective_priority(1, 0), 1);
	/* The address owner stays 255 whatever is tracked. */
	assert_int_equal(vrrp_effective_priority(255, -100), 255);
	assert_int_equal(vrrp_effective_priority(255, 10), 255);
}

static int teardown(void **st)
{
	(void)st;
	conf_load_free(&A);
	conf_load_free(&B);
	memset(&A, 0, sizeof(A));
	memset(&B, 0, sizeof(B));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_unchanged, teardown),
		cmocka_unit_test_teardown(test_updated_in_place, teardown),
		cmocka_unit_test_teardown(test_restarted, teardown),
		cmocka_unit_test_teardown(test_added_removed, teardown),
		cmocka_unit_test(test_effective_priority),
		cmocka_unit_test_teardown(test_list_diff, teardown),
		cmocka_unit_test_teardown(test_list_match_static, teardown),
		cmocka_unit_test_teardown(test_garp_plan, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
