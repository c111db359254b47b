/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived 2.2.7's meaning of keywords whose meaning is easy to get wrong:
 * on/off keywords with an argument, old spellings, the deprecated
 * lvs_sync_daemon_interface. Facts from keepalived 2.2.7's parsers (which
 * handler reads a <BOOL> with check_true_false(), which ignores its words).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "conf/schema.h"
#include "lib/arena.h"
#include "lib/json.h"

#include "tests/unit/conf_fixture.h"

/*
 * The on/off keywords whose keepalived 2.2.7 handler reads an optional
 * <BOOL> (check_true_false): "kw off" turns them off. Every other on/off
 * keyword ignores its argument there ("nopreempt false" is nopreempt).
 * tls_compliant and dynamic are from keepalived 2.2.8, which reads a <BOOL>.
 */
static const char *const reads_bool[] = {
	"fast_recovery",
	"enable_sni",
	"tls_compliant",
	"dynamic",
	"checker_log_all_failures",
	"rs_init_notifies",
	"no_checker_emails",
	"smtp_alert",
	"smtp_alert_vrrp",
	"smtp_alert_checker",
	"vrrp_min_garp",
	"vrrp_lower_prio_no_advert",
	"vrrp_higher_prio_send_advert",
	"vrrp_notify_priority_changes",
	"vrrp_netlink_cmd_rcv_bufs_force",
	"vrrp_netlink_monitor_rcv_bufs_force",
	"lvs_netlink_cmd_rcv_bufs_force",
	"lvs_netlink_monitor_rcv_bufs_force",
	"process_monitor_rcv_bufs_force",
	NULL,
};

/* Keywords whose keepalived 2.2.7 handler ignores its words (a sample that
 * must be CV_SWITCH; the walk below checks the rest are one or the other). */
static const char *const ignores_args[] = {
	"nopreempt", "alpha", "omega", "enable_script_security", "vrrp_strict",
	"ha_suspend", "lvs_flush", "promote_secondaries", "dont_track_primary",
	"init_fail", "sync_group_tracking_weight", "regex_no_match", "misc_dynamic",
	NULL,
};

static bool in(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

/* The top level's keywords have offsets into the model itself. */
static size_t blk_size(const struct conf_block *blk)
{
	return blk == &conf_block_top ? sizeof(struct conf_model) : blk->size;
}

struct flag_walk {
	unsigned n_switch, n_flag, n_checked;
	const char *wrong; /* first keyword with the wrong kind */
	const char *failed;
	char why[256];
};

/* Parses "kw ARG" into a fresh object of blk, returns the stored bool and
 * the messages; dumps the object and checks that the dump says the same. */
static bool apply_one(const struct conf_block *blk, const struct conf_kw *kw, const char *arg,
		      unsigned *n_err, bool *warned_still, bool *warned_any, bool *dump_ok)
{
	struct arena *a = arena_new();
	struct conf_ctx ctx;
	char text[256], key[128];
	struct conf_stmt *st;
	struct json j;
	char *out;
	void *obj;
	bool v;

	conf_ctx_init(&ctx, a);
	ctx.flags = CONF_NO_INCLUDE;
	snprintf(text, sizeof(text), "%s%s%s\n", kw->name, arg ? " " : "", arg ? arg : "");
	st = conf_tree_parse_string(&ctx, "t.conf", text, strlen(text));
	obj = arena_alloc(a, blk_size(blk));
	conf_schema_init(blk, obj);
	conf_schema_apply(&ctx, blk, st, obj);
	v = *(bool *)(void *)((char *)obj + kw->off);
	*n_err = ctx.n_errors;
	*warned_still = *warned_any = false;
	for (const struct conf_msg *m = ctx.msgs; m; m = m->next) {
		if (m->is_error)
			continue;
		if (strstr(m->text, "still turns"))
			*warned_still = true;
		if (strstr(m->text, "argument"))
			*warned_any = true;
	}
	/* The dump (what --dump-config prints) under the keyword's own name,
	 * or its canonical one for an alias (same field, entry before it; the
	 * top-level aliases of global_defs keywords are dumped there). */
	json_init(&j, false);
	conf_schema_dump(&j, blk, obj);
	out = json_take(&j, NULL);
	{
		const struct conf_kw *c = kw;

		while ((c->flags & KW_ALIAS) && c[-1].off == kw->off)
			c--;
		snprintf(key, sizeof(key), "\"%s\":%s", c->name, v ? "true" : "false");
	}
	*dump_ok = strstr(out, key) != NULL;
	free(out);
	arena_free(a);
	return v;
}

static void check_flag_kw(const struct conf_block *blk, const struct conf_kw *kw, void *arg)
{
	struct flag_walk *w = arg;
	unsigned ne;
	bool still, any, dump_ok, v;

	if (kw->type != CV_SWITCH && kw->type != CV_FLAG)
		return;
	if (w->failed)
		return;
	if (!blk_size(blk)) {
		w->failed = kw->name;
		snprintf(w->why, sizeof(w->why), "block %s has no size", blk->name);
		return;
	}
	if ((kw->type == CV_FLAG) != in(reads_bool, kw->name) ||
	    (in(ignores_args, kw->name) && kw->type != CV_SWITCH)) {
		if (!w->wrong)
			w->wrong = kw->name;
		return;
	}
	w->n_checked++;
	/* Alone: on, no warning, in both kinds. */
	v = apply_one(blk, kw, NULL, &ne, &still, &any, &dump_ok);
	if (!v || ne || any || !dump_ok) {
		w->failed = kw->name;
		snprintf(w->why, sizeof(w->why), "%s alone: value %d errors %u dump_ok %d", blk->name,
			 v, ne, dump_ok);
		return;
	}
	if (kw->type == CV_SWITCH) {
		w->n_switch++;
		v = apply_one(blk, kw, "off", &ne, &still, &any, &dump_ok);
		if (!v || ne || !still || !dump_ok) {
			w->failed = kw->name;
			snprintf(w->why, sizeof(w->why),
				 "%s 'off': value %d errors %u still-warning %d dump_ok %d",
				 blk->name, v, ne, still, dump_ok);
			return;
		}
		v = apply_one(blk, kw, "1", &ne, &still, &any, &dump_ok);
		if (!v || ne || any || !dump_ok) {
			w->failed = kw->name;
			snprintf(w->why, sizeof(w->why), "%s '1': value %d errors %u warned %d",
				 blk->name, v, ne, any);
			return;
		}
		v = apply_one(blk, kw, "whatever", &ne, &still, &any, &dump_ok);
		if (!v || ne || !any || !dump_ok) {
			w->failed = kw->name;
			snprintf(w->why, sizeof(w->why), "%s 'whatever': value %d warned %d",
				 blk->name, v, any);
		}
		return;
	}
	w->n_flag++;
	v = apply_one(blk, kw, "off", &ne, &still, &any, &dump_ok);
	if (v || ne || still || !dump_ok) {
		w->failed = kw->name;
		snprintf(w->why, sizeof(w->why), "%s 'off': value %d errors %u dump_ok %d", blk->name,
			 v, ne, dump_ok);
		return;
	}
	v = apply_one(blk, kw, "yes", &ne, &still, &any, &dump_ok);
	if (!v || ne || !dump_ok) {
		w->failed = kw->name;
		snprintf(w->why, sizeof(w->why), "%s 'yes': value %d", blk->name, v);
		return;
	}
	/* keepalived: "Invalid ... parameter 1", a configuration error. */
	apply_one(blk, kw, "1", &ne, &still, &any, &dump_ok);
	if (ne != 1) {
		w->failed = kw->name;
		snprintf(w->why, sizeof(w->why), "%s '1': %u errors, want 1", blk->name, ne);
	}
}

static void test_every_flag_keyword(void **state)
{
	struct flag_walk w = { 0 };

	(void)state;
	conf_schema_walk(check_flag_kw, &w);
	if (w.wrong)
		fail_msg("'%s': its kind (reads a BOOL or ignores its argument) is not "
			 "keepalived 2.2.7's",
			 w.wrong);
	if (w.failed)
		fail_msg("'%s': %s", w.failed, w.why);
	/* Sanity: the walk saw the keywords (a walk that sees none passes). */
	assert_true(w.n_switch >= 45);
	assert_true(w.n_flag >= 15);
	assert_int_equal(w.n_checked, w.n_switch + w.n_flag);
	print_message("%u switch and %u flag keywords checked\n", w.n_switch, w.n_flag);
}

/* The whole path: a real file through conf_load and the --dump-config JSON. */
static char *dump_of(const char *text)
{
	struct json j;

	if (load(text) || !L.model) {
		show();
		fail_msg("expected the text to load");
	}
	json_init(&j, false);
	conf_dump_json(L.model, &j);
	return json_take(&j, NULL);
}

#define VI_HEAD                                                                              \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n priority 100\n"      \
	" virtual_ipaddress {\n  198.18.0.1/32\n }\n"

static void test_dump_of_flag_arguments(void **state)
{
	char *d;

	(void)state;
	d = dump_of("global_defs {\n enable_script_security off\n smtp_alert\n"
		    " smtp_alert_vrrp\n smtp_alert_checker no\n}\n" VI_HEAD " nopreempt false\n"
		    "}\n"
		    "virtual_server 198.18.0.10 80 {\n protocol TCP\n alpha no\n omega off\n"
		    " real_server 198.18.0.20 80 {\n  weight 1\n }\n}\n");
	assert_non_null(strstr(d, "\"enable_script_security\":true"));
	assert_non_null(strstr(d, "\"smtp_alert\":true"));
	assert_non_null(strstr(d, "\"smtp_alert_vrrp\":true"));
	assert_non_null(strstr(d, "\"smtp_alert_checker\":false"));
	assert_non_null(strstr(d, "\"nopreempt\":true"));
	assert_non_null(strstr(d, "\"alpha\":true"));
	assert_non_null(strstr(d, "\"omega\":true"));
	assert_true(has_msg(false, 2, "'enable_script_security off' still turns"));
	assert_true(has_msg(false, 14, "'nopreempt false' still turns nopreempt on"));
	assert_true(has_msg(false, 18, "'alpha no' still turns alpha on"));
	assert_true(has_msg(false, 19, "'omega off' still turns omega on"));
	free(d);

	/* accept / no_accept / preempt ignore their words in keepalived too. */
	ok(VI_HEAD " accept off\n preempt no\n}\n");
	assert_int_equal(((struct conf_vrrp_instance *)L.model->vrrp.instances.head)->accept, 1);
	assert_true(has_msg(false, 8, "'accept off' still turns accept on"));
	assert_true(has_msg(false, 9, "'preempt no' still cancels nopreempt"));
	ok(VI_HEAD " nopreempt 1\n}\n");
	assert_int_equal(L.n_warnings, 0);
}

static void test_old_spellings(void **state)
{
	char *d;

	(void)state;
	d = dump_of("global_defs {\n lvs_flush_onstop VS\n lvs_process_name lvsx\n"
		    " vrrp_rlimit_rtime 5000\n checker_rlimit_rtime 6000\n"
		    " vrrp_vmac_garp_intvl 10 all\n}\n" VI_HEAD " vmac_garp_intvl all 7\n}\n");
	assert_non_null(strstr(d, "\"lvs_flush_on_stop\":\"VS\""));
	assert_non_null(strstr(d, "\"checker_process_name\":\"lvsx\""));
	assert_non_null(strstr(d, "\"vrrp_rlimit_rttime\":5000"));
	assert_non_null(strstr(d, "\"checker_rlimit_rttime\":6000"));
	assert_non_null(strstr(d, "\"vrrp_garp_extra_if\":{\"interval\":10,\"all\":true}"));
	assert_non_null(strstr(d, "\"garp_extra_if\":{\"interval\":7,\"all\":true}"));
	assert_true(has_msg(false, 2, "old spelling of 'lvs_flush_on_stop'"));
	assert_true(has_msg(false, 15, "old spelling of 'garp_extra_if'"));
	free(d);
	err1("global_defs {\n bfd_rlimit_rtime 5\n}\n", 2, "vigil does not implement BFD");
	/* keepalived reads every number as the delay: the last one wins */
	warn1("global_defs {\n vrrp_garp_extra_if 5 6\n}\n", 2, "the delay is given twice");
}

static void test_lvs_sync_daemon_interface(void **state)
{
	const struct conf_lvs_sync_daemon *sd;

	(void)state;
	warn1(VI_HEAD " lvs_sync_daemon_interface eth1\n}\n", 8, "deprecated");
	sd = &L.model->global.lvs_sync_daemon;
	assert_non_null(sd->interface);
	assert_non_null(sd->instance);
	assert_string_equal(sd->interface, "eth1");
	assert_string_equal(sd->instance, "VI_1");
	assert_int_equal(sd->syncid, 5); /* the instance's VRID, as keepalived */
	assert_int_equal(sd->port, 8848);

	/* The first sync daemon in the file wins, as in keepalived. */
	warn1("global_defs {\n lvs_sync_daemon eth2 VI_1 id 9\n}\n" VI_HEAD
	      " lvs_sync_daemon_interface eth1\n}\n",
	      11, "already given as 'eth2 VI_1'");
	sd = &L.model->global.lvs_sync_daemon;
	assert_string_equal(sd->interface, "eth2");
	assert_int_equal(sd->syncid, 9);
	warn1(VI_HEAD " lvs_sync_daemon_interface eth1\n}\n"
		      "global_defs {\n lvs_sync_daemon eth2 VI_1 id 9\n}\n",
	      11, "first one wins");
	sd = &L.model->global.lvs_sync_daemon;
	assert_string_equal(sd->interface, "eth1");
	assert_int_equal(sd->syncid, 5);
}

#define FIRST(type, list) ((type *)(void *)(list).head)

static const struct conf_vs *vs0(void)
{
	return FIRST(const struct conf_vs, L.model->lvs.virtual_servers);
}

static const struct conf_rs *rs0(void)
{
	return FIRST(const struct conf_rs, vs0()->real_servers);
}

/* keepalived 2.2.7's rules for ports and protocol (check_data.c). */
static void test_ports_and_protocol(void **state)
{
	(void)state;
	/* fwmark, DR: the real server's port is cleared, with a warning; its
	 * checker still connects to the port written, as keepalived's does. */
	warn1("virtual_server fwmark 7 {\n lvs_method DR\n"
	      " real_server 198.18.0.20 80 {\n  TCP_CHECK {\n  }\n }\n}\n",
	      3, "the port is cleared");
	assert_int_equal(rs0()->port, 0);
	assert_int_equal(FIRST(const struct conf_check, rs0()->tcp_checks)->connect_port, 80);
	/* fwmark, NAT, port 0: kept */
	ok("virtual_server fwmark 7 {\n real_server 198.18.0.20 0 {\n }\n}\n");
	assert_int_equal(rs0()->port, 0);
	/* DR/TUN by address: port 0 or none is the virtual server's; another
	 * port is reset to it */
	ok("virtual_server 198.18.0.10 80 {\n protocol TCP\n lvs_method TUN\n"
	   " real_server 198.18.0.20 0 {\n }\n}\n");
	assert_int_equal(rs0()->port, 80);
	assert_int_equal(L.n_warnings, 0);
	warn1("virtual_server 198.18.0.10 80 {\n protocol TCP\n lvs_method DR\n"
	      " real_server 198.18.0.20 8080 {\n }\n}\n",
	      4, "port 8080 differs from virtual_server 198.18.0.10 80");
	assert_int_equal(rs0()->port, 80);
	/* NAT keeps a different port */
	ok("virtual_server 198.18.0.10 80 {\n protocol TCP\n"
	   " real_server 198.18.0.20 8080 {\n }\n}\n");
	assert_int_equal(rs0()->port, 8080);
	assert_int_equal(L.n_warnings, 0);
	/* port 0 on the virtual server: made persistent */
	warn1("virtual_server 198.18.0.10 0 {\n protocol TCP\n}\n", 1, "made persistent");
	assert_int_equal(vs0()->persistence_timeout, CONF_LVS_PERSIST_DEFAULT);
	/* no protocol: UDP, warned; on a fwmark service, protocol is ignored */
	warn1("virtual_server 198.18.0.10 53 {\n}\n", 1, "no protocol given; UDP");
	assert_int_equal(vs0()->protocol, CONF_PROTO_UDP);
	warn1("virtual_server fwmark 7 {\n protocol UDP\n}\n", 1, "protocol is ignored");
	ok("virtual_server fwmark 7 {\n}\n");
	assert_int_equal(L.n_warnings, 0);
}

/* Words keepalived 2.2.7 reads in routes and rules. */
static void test_route_rule_words(void **state)
{
	const struct conf_route *r;
	const struct conf_rule *u;

	(void)state;
	ok("static_routes {\n 198.18.5.0/24 via inet 198.18.0.1\n"
	   " fd00:198:18:5::/64 via inet6 fd00:198:18::1\n"
	   " 198.18.8.0/24 nexthop via inet 198.18.0.1 nexthop via 198.18.0.2\n"
	   " any dev eth0 table 7\n}\n"
	   "static_rules {\n from default to 198.18.0.0/24 table 5\n from all to any table 6\n}\n");
	r = FIRST(const struct conf_route, L.model->vrrp.static_routes);
	assert_int_equal(r->via.family, AF_INET);
	r = (const struct conf_route *)(const void *)r->hdr.next;
	assert_int_equal(r->via.family, AF_INET6);
	r = (const struct conf_route *)(const void *)r->hdr.next;
	assert_int_equal(r->n_nexthops, 2);
	r = (const struct conf_route *)(const void *)r->hdr.next;
	assert_int_equal(r->dst.len, 0);
	u = FIRST(const struct conf_rule, L.model->vrrp.static_rules);
	assert_int_equal(u->from.addr.family, 0);
	assert_int_equal(u->to.len, 24);
	err1("static_routes {\n 198.18.5.0/24 via inet fd00:198:18::1\n}\n", 2,
	     "inet fd00:198:18::1 is IPv6 but the entry is IPv4");
	err1("static_routes {\n fd00:198:18:5::/64 via inet 198.18.0.1\n}\n", 2,
	     "is IPv4 but the entry is IPv6");
	/* vrf needs the interface at load: refused, saying what to write. */
	err1("static_routes {\n 198.18.5.0/24 dev eth0 vrf blue\n}\n", 2,
	     "'vrf blue' is not supported by vigil: the VRF's table is known only");
	/* A realm or group name that cannot be resolved fails -t. */
	err1("static_rules {\n from 198.18.5.0/24 table 5 realms no_such_realm\n}\n", 2,
	     "realms 'no_such_realm' is not a number or a name in /etc/iproute2/rt_realms");
	err1("static_rules {\n from 198.18.5.0/24 table 5 suppress_ifgroup no_such_group\n}\n", 2,
	     "suppress_ifgroup 'no_such_group' is not a number or a name in");
	/* Accepted with no effect: said so. */
	warn1("global_defs {\n vrrp_ipsets a a6 a_if6 igmp mld\n}\n", 2,
	      "names after the second (a_if6 ...) have no effect");
	warn1("virtual_server fwmark 7 {\n real_server 198.18.0.20 0 {\n  PING_CHECK {\n"
	      "   connect_port 80\n  }\n }\n}\n",
	      4, "PING_CHECK: connect_port has no effect");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_flag_keyword),
		cmocka_unit_test(test_dump_of_flag_arguments),
		cmocka_unit_test(test_old_spellings),
		cmocka_unit_test(test_lvs_sync_daemon_interface),
		cmocka_unit_test(test_ports_and_protocol),
		cmocka_unit_test(test_route_rule_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
