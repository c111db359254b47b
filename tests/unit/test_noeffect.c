/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keywords accepted without effect: one warning per (block, keyword) per
 * load, none from inside a no-effect block, and a table that names only
 * keywords the schema really has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conf.h"
#include "conf/noeffect.h"

static struct conf_load L;

static int load(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	conf_load_free(&L);
	return conf_load_string("t.conf", text, strlen(text), &o, &L);
}

static void show(void)
{
	conf_msgs_print(stderr, L.msgs);
}

static void ok(const char *text)
{
	if (load(text) != 0 || L.n_errors || !L.model) {
		show();
		fail_msg("expected no errors");
	}
}

static unsigned count_warnings(const char *sub)
{
	unsigned n = 0;

	for (const struct conf_msg *m = L.msgs; m; m = m->next)
		if (!m->is_error && strstr(m->text, sub))
			n++;
	return n;
}

static bool has_warning(unsigned line, const char *text)
{
	for (const struct conf_msg *m = L.msgs; m; m = m->next)
		if (!m->is_error && m->loc.line == line && !strcmp(m->text, text))
			return true;
	return false;
}

static void test_once_per_keyword(void **state)
{
	(void)state;
	ok("global_defs {\n"				 /* 1 */
	   "  vrrp_no_swap\n"				 /* 2 */
	   "  router_id r1\n"				 /* 3 */
	   "}\n"					 /* 4 */
	   "virtual_server 10.0.0.1 80 { protocol TCP\n" /* 5 */
	   "  ha_suspend\n"				 /* 6 */
	   "  real_server 10.1.0.1 80 {\n"		 /* 7 */
	   "    weight 2\n"				 /* 8 */
	   "    TCP_CHECK {\n"				 /* 9 */
	   "      connect_timeout 3\n"			 /* 10 */
	   "    }\n"					 /* 11 */
	   "  }\n"					 /* 12 */
	   "  real_server 10.1.0.2 80 {\n"		 /* 13 */
	   "  }\n"					 /* 14 */
	   "}\n"					 /* 15 */
	   "virtual_server 10.0.0.2 80 { protocol TCP\n" /* 16 */
	   "  ha_suspend\n"				 /* 17: the same pair again */
	   "  real_server 10.1.0.3 80 {\n"		 /* 18 */
	   "  }\n"					 /* 19 */
	   "}\n");					 /* 20 */
	if (L.n_warnings != 2 || count_warnings("has no effect") != 2) {
		show();
		fail_msg("expected exactly 2 warnings, got %u", L.n_warnings);
	}
	assert_true(has_warning(2, "'vrrp_no_swap' is accepted but has no effect in this "
				   "version of vigil: process scheduling and memory settings are "
				   "not implemented"));
	assert_true(has_warning(6, "'ha_suspend' is accepted but has no effect in this "
				   "version of vigil: vigil does not suspend health checks while "
				   "the virtual address is absent"));
}

/* Every load starts afresh: the same keyword warns again in a new load. */
static void test_per_load(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		ok("global_defs {\n  vrrp_process_name vr1\n}\n");
		assert_int_equal(
			count_warnings("'vrrp_process_name' is accepted but has no effect"), 1);
	}
}

/* The same keyword in different blocks is a different pair. */
static void test_pairs_are_per_block(void **state)
{
	(void)state;
	ok("virtual_server 10.0.0.1 80 {\n" /* 1 */
	   "  protocol TCP\n"		    /* 2 */
	   "  snmp_name vs1\n"		    /* 3 */
	   "  real_server 10.1.0.1 80 {\n"  /* 4 */
	   "    snmp_name rs1\n"	    /* 5 */
	   "  }\n"			    /* 6 */
	   "  real_server 10.1.0.2 80 {\n"  /* 7 */
	   "    snmp_name rs2\n"	    /* 8 */
	   "  }\n"
	   "}\n");
	assert_int_equal(count_warnings("'snmp_name' is accepted but has no effect"), 2);
	assert_true(has_warning(3, "'snmp_name' is accepted but has no effect in this version "
				   "of vigil: SNMP is not implemented"));
	assert_true(has_warning(5, "'snmp_name' is accepted but has no effect in this version "
				   "of vigil: SNMP is not implemented"));
}

static void test_effective_keyword_is_quiet(void **state)
{
	(void)state;
	ok("global_defs {\n"
	   "  vrrp_version 3\n"
	   "  script_user root\n"
	   "}\n"
	   "vrrp_instance A {\n"
	   "  interface eth0\n"
	   "  virtual_router_id 1\n"
	   "  priority 100\n"
	   "  advert_int 1\n"
	   "  garp_master_delay 5\n"
	   "  virtual_ipaddress {\n"
	   "    192.0.2.1/24\n"
	   "  }\n"
	   "}\n");
	if (count_warnings("has no effect")) {
		show();
		fail_msg("an effective keyword warned");
	}
}

/* keepalived 2.2.7 does not know FILE_CHECK's dynamic (its parser says
 * "Unknown keyword"): the weight alone decides, so dynamic is warned. */
static void test_file_check_dynamic(void **state)
{
	(void)state;
	ok("track_file tf {\n"
	   "  file /tmp/x\n"
	   "  weight 5\n"
	   "}\n"
	   "virtual_server 198.18.0.1 80 {\n"
	   "  protocol TCP\n"
	   "  real_server 198.18.0.2 80 {\n"
	   "    FILE_CHECK {\n"
	   "      track_file tf\n"
	   "      dynamic\n"
	   "    }\n"
	   "  }\n"
	   "}\n");
	assert_int_equal(count_warnings("'dynamic' is accepted but has no effect in this version "
					"of vigil: keepalived 2.2.7 does not know it either"),
			 1);
}

/* A statement with an error is reported as such, not as without effect. */
static void test_error_does_not_warn(void **state)
{
	(void)state;
	load("global_defs {\n  smtp_connect_timeout 0\n}\n");
	assert_true(L.n_errors > 0);
	assert_int_equal(count_warnings("has no effect"), 0);
}

/* ---- the table against the schema ---- */

struct found {
	bool *hit;
};

static void mark(const struct conf_block *blk, const struct conf_kw *kw, void *arg)
{
	struct found *f = arg;
	const char *bname = blk == &conf_block_top ? "-" : blk->name;

	for (unsigned i = 0; i < conf_noeffect_count; i++)
		if (!strcmp(conf_noeffect_table[i].block, bname) &&
		    !strcmp(conf_noeffect_table[i].kw, kw->name)) {
			/* Refused and obsolete keywords have their own messages. */
			assert_int_not_equal(kw->type, CV_UNSUPPORTED);
			assert_int_not_equal(kw->type, CV_OBSOLETE);
			f->hit[i] = true;
		}
}

static void test_table_names_real_keywords(void **state)
{
	bool hit[512] = { false };
	struct found f = { .hit = hit };
	unsigned missing = 0;

	(void)state;
	assert_true(conf_noeffect_count > 0 && conf_noeffect_count <= 512);
	conf_schema_walk(mark, &f);
	for (unsigned i = 0; i < conf_noeffect_count; i++) {
		const struct conf_noeffect *e = &conf_noeffect_table[i];

		assert_non_null(e->why);
		assert_true(e->why[0] != '\0');
		if (!hit[i]) {
			fprintf(stderr, "no keyword '%s' in block '%s'\n", e->kw, e->block);
			missing++;
		}
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(conf_noeffect_table[j].block, e->block) &&
			    !strcmp(conf_noeffect_table[j].kw, e->kw))
				fail_msg("'%s %s' is listed twice", e->block, e->kw);
	}
	assert_int_equal(missing, 0);
}

static void test_reason_lookup(void **state)
{
	(void)state;
	assert_string_equal(conf_noeffect_reason(&conf_block_top, "interface_up_down_delays"),
			    "interface up/down delays are not implemented");
	assert_null(conf_noeffect_reason(&conf_block_top, "static_routes"));
	assert_null(conf_noeffect_reason(&conf_block_top, "virtual_server"));
	assert_null(conf_noeffect_reason(&conf_block_top, "vrrp_instance"));
	assert_true(conf_noeffect_find(&conf_block_top, "smtp_server") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once_per_keyword),
		cmocka_unit_test(test_per_load),
		cmocka_unit_test(test_pairs_are_per_block),
		cmocka_unit_test(test_effective_keyword_is_quiet),
		cmocka_unit_test(test_error_does_not_warn),
		cmocka_unit_test(test_file_check_dynamic),
		cmocka_unit_test(test_table_names_real_keywords),
		cmocka_unit_test(test_reason_lookup),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	conf_load_free(&L);
	return r;
}
