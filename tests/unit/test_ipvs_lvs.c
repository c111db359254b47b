/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pure parts of the IPVS runtime (ipvs/lvs.c): which sync daemon roles
 * run, counting operations by kind, when the runtime is wanted, and the
 * lvs_sync_daemon extension word master_and_backup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "conf/model.h"
#include "ipvs/lvs.h"

#define M 1u /* master role */
#define B 2u /* backup role */

static struct conf_load L;

static int load(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	conf_load_free(&L);
	memset(&L, 0, sizeof(L));
	return conf_load_string("t.conf", text, strlen(text), &o, &L);
}

static void test_sync_roles(void **state)
{
	(void)state;
	/* not configured: nothing */
	assert_int_equal(ipvs_sync_roles(false, true, true, true), 0);
	/* no instance: both all the time (keepalived does the same) */
	assert_int_equal(ipvs_sync_roles(true, false, false, false), M | B);
	assert_int_equal(ipvs_sync_roles(true, false, false, true), M | B);
	/* following an instance: one role, by its state */
	assert_int_equal(ipvs_sync_roles(true, true, false, true), M);
	assert_int_equal(ipvs_sync_roles(true, true, false, false), B);
	/* master_and_backup: both whatever the state */
	assert_int_equal(ipvs_sync_roles(true, true, true, false), M | B);
	assert_int_equal(ipvs_sync_roles(true, true, true, true), M | B);
}

static void test_ops_count(void **state)
{
	struct ipvs_op v[] = {
		{ .kind = IPVS_OP_ADD_SVC },  { .kind = IPVS_OP_ADD_DEST }, { .kind = IPVS_OP_ADD_DEST },
		{ .kind = IPVS_OP_EDIT_DEST }, { .kind = IPVS_OP_DEL_SVC },  { .kind = IPVS_OP_DEL_DEST },
		{ .kind = IPVS_OP_EDIT_SVC },
	};
	struct ipvs_ops ops = { .v = v, .n = 7, .cap = 7 };
	unsigned c[IPVS_OP_DEL_DEST + 1];

	(void)state;
	ipvs_ops_count(&ops, c);
	assert_int_equal(c[IPVS_OP_ADD_SVC], 1);
	assert_int_equal(c[IPVS_OP_EDIT_SVC], 1);
	assert_int_equal(c[IPVS_OP_DEL_SVC], 1);
	assert_int_equal(c[IPVS_OP_ADD_DEST], 2);
	assert_int_equal(c[IPVS_OP_EDIT_DEST], 1);
	assert_int_equal(c[IPVS_OP_DEL_DEST], 1);
	ipvs_ops_count(NULL, c);
	for (unsigned k = 0; k <= IPVS_OP_DEL_DEST; k++)
		assert_int_equal(c[k], 0);
}

static const char vrrp_part[] = "vrrp_instance VI_1 {\n"
				"  interface eth0\n"
				"  virtual_router_id 51\n"
				"  priority 100\n"
				"  virtual_ipaddress {\n"
				"    198.18.0.100/32\n"
				"  }\n"
				"}\n";

static void test_wanted(void **state)
{
	char text[1024];

	(void)state;
	assert_false(ipvs_lvs_wanted(NULL));
	assert_int_equal(load(vrrp_part), 0);
	assert_false(ipvs_lvs_wanted(L.model));

	snprintf(text, sizeof(text), "global_defs {\n  lvs_sync_daemon eth0 VI_1\n}\n%s", vrrp_part);
	assert_int_equal(load(text), 0);
	assert_true(ipvs_lvs_wanted(L.model));

	assert_int_equal(load("virtual_server 198.18.0.1 80 { protocol TCP\n"
			      "  real_server 198.18.1.1 80 {\n  }\n"
			      "}\n"),
			 0);
	assert_true(ipvs_lvs_wanted(L.model));
}

static void test_master_and_backup(void **state)
{
	char text[1024];
	const struct conf_lvs_sync_daemon *sd;

	(void)state;
	/* after the options */
	snprintf(text, sizeof(text),
		 "global_defs {\n  lvs_sync_daemon eth0 VI_1 id 7 master_and_backup\n}\n%s",
		 vrrp_part);
	assert_int_equal(load(text), 0);
	sd = &L.model->global.lvs_sync_daemon;
	assert_string_equal(sd->instance, "VI_1");
	assert_int_equal(sd->syncid, 7);
	assert_true(sd->master_and_backup);

	/* right after an instance given without "inst" */
	snprintf(text, sizeof(text),
		 "global_defs {\n  lvs_sync_daemon eth0 VI_1 master_and_backup port 9000\n}\n%s",
		 vrrp_part);
	assert_int_equal(load(text), 0);
	sd = &L.model->global.lvs_sync_daemon;
	assert_string_equal(sd->instance, "VI_1");
	assert_true(sd->master_and_backup);
	assert_int_equal(sd->port, 9000);
	assert_int_equal(sd->syncid, 51); /* the instance's VRID */

	/* not given: off */
	snprintf(text, sizeof(text), "global_defs {\n  lvs_sync_daemon eth0 inst VI_1\n}\n%s",
		 vrrp_part);
	assert_int_equal(load(text), 0);
	assert_false(L.model->global.lvs_sync_daemon.master_and_backup);

	/* an unknown word still names the valid ones */
	snprintf(text, sizeof(text),
		 "global_defs {\n  lvs_sync_daemon eth0 VI_1 master_only\n}\n%s", vrrp_part);
	assert_int_not_equal(load(text), 0);
	assert_non_null(L.msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_roles),
		cmocka_unit_test(test_ops_count),
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_master_and_backup),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	conf_load_free(&L);
	return r;
}
