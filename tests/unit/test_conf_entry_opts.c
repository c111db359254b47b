/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The option tables of address, route and rule lines (conf_vip_opts,
 * conf_route_opts, conf_rule_opts): every row is walked, so a row added with
 * a wrong argument count or a name the loop cannot find fails here; then
 * unknown, missing and repeated options of each kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "conf/conf.h"

#include "tests/unit/conf_fixture.h"

static char buf[4096];

/* "<list> {\n<prefix> <opt>\n}\n": the entry is on line 2. */
static const char *line(const char *list, const char *prefix, const char *opt)
{
	snprintf(buf, sizeof(buf), "%s {\n%s %s\n}\n", list, prefix, opt);
	return buf;
}

static bool any_msg(const char *sub)
{
	for (const struct conf_msg *m = L.msgs; m; m = m->next)
		if (strstr(m->text, sub))
			return true;
	return false;
}

struct kind {
	const char *list;   /* the static_* keyword */
	const char *prefix; /* a valid line the option is appended to */
	const struct conf_entry_opt *opts;
};

static const struct kind kinds[] = {
	{ "static_ipaddress", "198.18.0.1/24", conf_vip_opts },
	{ "static_routes", "198.18.0.0/24 dev eth0", conf_route_opts },
	{ "static_rules", "from 198.18.0.0/24 table 1", conf_rule_opts },
};

/* An option that needs a value, given last: one error, naming it. */
static void test_every_row_needs_its_value(void **state)
{
	char sub[96];
	unsigned rows = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (const struct conf_entry_opt *o = kinds[k].opts; o->name; o++) {
			if (!o->args)
				continue;
			/* After a route's destination, 'to' is not an option (below). */
			if (kinds[k].opts == conf_route_opts && !strcmp(o->name, "to"))
				continue;
			if (o->flags & CONF_EO_VALUE_AFTER)
				snprintf(sub, sizeof(sub), "needs a value after '%s'", o->name);
			else
				snprintf(sub, sizeof(sub), "'%s' needs a value", o->name);
			err1(line(kinds[k].list, kinds[k].prefix, o->name), 2, sub);
			rows++;
		}
	}
	assert_true(rows > 60);
	err1(line("static_routes", "", "to"), 2, "'to' needs a value");
}

/* An option that takes no value, given last: recognised (it may still be
 * refused where it does not apply, as no_track in static_*). */
static void test_every_flag_row_is_known(void **state)
{
	unsigned rows = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (const struct conf_entry_opt *o = kinds[k].opts; o->name; o++) {
			if (o->args)
				continue;
			load(line(kinds[k].list, kinds[k].prefix, o->name));
			if (any_msg("unknown option") || any_msg("needs a value")) {
				show();
				fail_msg("%s: '%s' is not taken as an option on its own",
					 kinds[k].list, o->name);
			}
			rows++;
		}
	}
	assert_true(rows > 15);
}

static void test_unknown_options(void **state)
{
	(void)state;
	err1(line("static_ipaddress", "198.18.0.1", "bogus"), 2,
	     "static_ipaddress 198.18.0.1: unknown option 'bogus'");
	err1(line("static_ipaddress", "198.18.0.1", "lable eth0:1"), 2,
	     "unknown option 'lable'; did you mean 'label'?");
	err1(line("static_routes", "198.18.0.0/24 dev eth0", "bogus"), 2,
	     "static_routes: unknown option 'bogus'");
	err1(line("static_routes", "198.18.0.0/24 dev eth0", "mut 1400"), 2,
	     "unknown option 'mut'; did you mean 'mtu'?");
	/* One destination per route: a second one, bare or with 'to', is refused. */
	err1(line("static_routes", "198.18.0.0/24", "to 198.18.1.0/24"), 2, "unknown option 'to'");
	err1(line("static_rules", "from 198.18.0.0/24 table 1", "bogus"), 2,
	     "static_rules: unknown option 'bogus'");
	err1(line("static_rules", "from 198.18.0.0/24 table 1", "fwmrak 1"), 2,
	     "did you mean 'fwmark'?");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " virtual_rules {\n  from 198.18.0.0/24 table 1 bogus\n }\n}\n",
	     5, "virtual_rules: unknown option 'bogus'");
}

static void test_missing_values(void **state)
{
	(void)state;
	err1(line("static_routes", "198.18.0.0/24", "mtu lock"), 2,
	     "'static_routes' needs a value after 'mtu'");
	/* A value missing after via, dev, ... still lets the whole route be
	 * checked; after protocol, track_group, ... the line is given up. */
	load(line("static_routes", "198.18.0.0/24 or 198.18.1.1", "dev"));
	assert_int_equal(L.n_errors, 2);
	assert_true(has_msg(true, 2, "'dev' needs a value"));
	assert_true(has_msg(true, 2, "'or' needs a 'via'"));
	err1(line("static_routes", "198.18.0.0/24 or 198.18.1.1", "protocol"), 2,
	     "'protocol' needs a value");
	load(line("static_routes", "", "via"));
	assert_int_equal(L.n_errors, 2);
	assert_true(has_msg(true, 2, "'via' needs a value"));
	assert_true(has_msg(true, 2, "the route has no destination"));
	err1(line("static_routes", "198.18.0.0/24", "nexthop"), 2,
	     "nexthop needs 'via ADDRESS' or 'dev IFNAME'");
	err1(line("static_routes", "198.18.0.0/24", "nexthop via"), 2, "'via' needs a value");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " virtual_ipaddress {\n  198.18.0.1 label\n }\n}\n",
	     5, "virtual_ipaddress 198.18.0.1: 'label' needs a value");
}

/* A repeated option: the last value wins; nexthop and the kept ip-route and
 * ip-rule options add up. */
static void test_repeated_options(void **state)
{
	const struct conf_vip *v;
	const struct conf_route *r;
	const struct conf_rule *u;

	(void)state;
	v = (const void *)ok(line("static_ipaddress", "198.18.0.1/24 dev eth0 scope host",
				  "dev eth1 scope link"))
		    ->vrrp.static_addresses.head;
	assert_string_equal(v->dev, "eth1");
	assert_string_equal(conf_scope_names[v->scope], "link");
	r = (const void *)ok(line("static_routes", "198.18.0.0/24 dev eth0 metric 5 mtu 1000",
				  "metric 7 dev eth1 mtu lock 1400"))
		    ->vrrp.static_routes.head;
	assert_int_equal(r->metric, 7);
	assert_string_equal(r->dev, "eth1");
	assert_int_equal(r->opts.n, 5);
	assert_string_equal(r->opts.v[0], "mtu");
	assert_string_equal(r->opts.v[1], "1000");
	assert_string_equal(r->opts.v[3], "lock");
	assert_string_equal(r->opts.v[4], "1400");
	u = (const void *)ok(line("static_rules", "from 198.18.0.0/24 table 1 not",
				  "table 2 not sport 1 sport 2"))
		    ->vrrp.static_rules.head;
	assert_string_equal(u->table, "2");
	assert_true(u->not_);
	assert_int_equal(u->opts.n, 4);
	/* A rule's type given twice: the last one is its action. */
	u = (const void *)ok(line("static_rules", "from 198.18.0.0/24 blackhole", "table 5"))
		    ->vrrp.static_rules.head;
	assert_string_equal(conf_rule_action_names[u->action], "table");
	/* A repeated option is checked each time. */
	err1(line("static_routes", "198.18.0.0/24 dev eth0", "dev eth/1"), 2, "dev 'eth/1'");
}

static int teardown(void **state)
{
	(void)state;
	conf_load_free(&L);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_every_row_needs_its_value, teardown),
		cmocka_unit_test_teardown(test_every_flag_row_is_known, teardown),
		cmocka_unit_test_teardown(test_unknown_options, teardown),
		cmocka_unit_test_teardown(test_missing_values, teardown),
		cmocka_unit_test_teardown(test_repeated_options, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
