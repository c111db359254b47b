/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_instance, vrrp_script, track_file, vrrp_track_process,
 * vrrp_sync_group, garp_group and BFD: typed values, defaults, every
 * validation rule with its line, and the refused keywords. */
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
#include "lib/json.h"

#include "tests/unit/conf_fixture.h"

static char buf[8192];

/* A minimal valid instance with `extra` as lines 5.. (line 1 is vrrp_instance). */
static const char *vi(const char *extra)
{
	snprintf(buf, sizeof(buf),
		 "vrrp_instance VI_1 {\n"
		 "  interface eth0\n"
		 "  virtual_router_id 51\n"
		 "  virtual_ipaddress { 198.18.0.1 }\n"
		 "%s\n"
		 "}\n",
		 extra);
	return buf;
}

static const struct conf_vrrp_instance *first_vi(const struct conf_model *m)
{
	return (const void *)m->vrrp.instances.head;
}

static const char good[] = "vrrp_script chk {\n"			   /* 1 */
			   "  script \"/bin/check -x\"\n"		   /* 2 */
			   "  interval 2\n"				   /* 3 */
			   "  weight -20 reverse\n"			   /* 4 */
			   "  rise 3\n"					   /* 5 */
			   "  fall 2\n"					   /* 6 */
			   "  user nobody nogroup\n"			   /* 7 */
			   "  init_fail\n"				   /* 8 */
			   "}\n"					   /* 9 */
			   "track_file tf {\n"				   /* 10 */
			   "  file /run/prio\n"				   /* 11 */
			   "  weight 5\n"				   /* 12 */
			   "  init_file 7 overwrite\n"			   /* 13 */
			   "}\n"					   /* 14 */
			   "vrrp_track_process haproxy {\n"		   /* 15 */
			   "  process haproxy -f /etc/h.cfg\n"		   /* 16 */
			   "  param_match partial\n"			   /* 17 */
			   "  weight 10\n"				   /* 18 */
			   "  quorum 2\n"				   /* 19 */
			   "  quorum_max 4\n"				   /* 20 */
			   "  delay 0.5\n"				   /* 21 */
			   "  full_command\n"				   /* 22 */
			   "}\n"					   /* 23 */
			   "vrrp_sync_group G1 {\n"			   /* 24 */
			   "  group {\n"				   /* 25 */
			   "    VI_1 VI_2\n"				   /* 26 */
			   "  }\n"					   /* 27 */
			   "  notify_master \"/bin/n master\" root\n"	   /* 28 */
			   "  smtp_alert on\n"				   /* 29 */
			   "  sync_group_tracking_weight\n"		   /* 30 */
			   "}\n"					   /* 31 */
			   "garp_group {\n"				   /* 32 */
			   "  garp_interval 0.01\n"			   /* 33 */
			   "  interfaces { eth0 eth1 }\n"		   /* 34 */
			   "}\n"					   /* 35 */
			   "vrrp_instance VI_1 {\n"			   /* 36 */
			   "  state MASTER\n"				   /* 37 */
			   "  interface eth0\n"				   /* 38 */
			   "  use_vmac vrrp51 00:00:5e:00:01\n"		   /* 39 */
			   "  vmac_xmit_base\n"				   /* 40 */
			   "  dont_track_primary\n"			   /* 41 */
			   "  track_interface {\n"			   /* 42 */
			   "    eth1\n"					   /* 43 */
			   "    eth2 weight -10 reverse\n"		   /* 44 */
			   "  }\n"					   /* 45 */
			   "  track_script {\n"				   /* 46 */
			   "    chk\n"					   /* 47 */
			   "  }\n"					   /* 48 */
			   "  track_file { tf weight 3 }\n"		   /* 49 */
			   "  track_process { haproxy }\n"		   /* 50 */
			   "  unicast_src_ip 198.18.0.2\n"		   /* 51 */
			   "  unicast_peer {\n"				   /* 52 */
			   "    198.18.0.3\n"				   /* 53 */
			   "    198.18.0.4 min_ttl 250 max_ttl 255\n"	   /* 54 */
			   "  }\n"					   /* 55 */
			   "  unicast_ttl 10\n"				   /* 56 */
			   "  virtual_router_id 51\n"			   /* 57 */
			   "  priority 150\n"				   /* 58 */
			   "  advert_int 0.5\n"				   /* 59 */
			   "  version 3\n"				   /* 60 */
			   "  garp_master_delay 1\n"			   /* 61 */
			   "  garp_extra_if all 30\n"			   /* 62 */
			   "  down_timer_adverts 5\n"			   /* 63 */
			   "  lower_prio_no_advert false\n"		   /* 64 */
			   "  virtual_ipaddress {\n"			   /* 65 */
			   "    198.18.1.1/24 dev eth0 label eth0:1\n"	   /* 66 */
			   "    198.18.1.2\n"				   /* 67 */
			   "  }\n"					   /* 68 */
			   "  virtual_ipaddress_excluded {\n"		   /* 69 */
			   "    fd00:198:18::1/64 dev eth0\n"		   /* 70 */
			   "  }\n"					   /* 71 */
			   "  virtual_routes {\n"			   /* 72 */
			   "    198.18.8.0/24 via 198.18.1.254 dev eth0\n" /* 73 */
			   "  }\n"					   /* 74 */
			   "  virtual_rules {\n"			   /* 75 */
			   "    from 198.18.1.0/24 table 100\n"		   /* 76 */
			   "  }\n"					   /* 77 */
			   "  no_accept\n"				   /* 78 */
			   "  preempt_delay 4.12\n"			   /* 79 */
			   "  strict_mode off\n"			   /* 80 */
			   "  notify_backup /bin/backup.sh\n"		   /* 81 */
			   "  notify /bin/all.sh vigil vigil\n"		   /* 82 */
			   "  notify_master_rx_lower_pri /bin/lower.sh\n"  /* 83 */
			   "  smtp_alert\n"				   /* 84 */
			   "  kernel_rx_buf_size 262144\n"		   /* 85 */
			   "}\n"					   /* 86 */
			   "vrrp_instance VI_2 {\n"			   /* 87 */
			   "  interface eth1\n"				   /* 88 */
			   "  virtual_router_id 52\n"			   /* 89 */
			   "  nopreempt\n"				   /* 90 */
			   "  authentication {\n"			   /* 91 */
			   "    auth_type PASS\n"			   /* 92 */
			   "    auth_pass secret\n"			   /* 93 */
			   "  }\n"					   /* 94 */
			   "  virtual_ipaddress {\n"			   /* 95 */
			   "    198.18.2.1\n"				   /* 96 */
			   "  }\n"					   /* 97 */
			   "}\n";					   /* 98 */

static void test_good_values(void **state)
{
	struct conf_model *m = ok(good);
	const struct conf_vrrp_script *s = (const void *)m->vrrp.scripts.head;
	const struct conf_track_file *tf = (const void *)m->vrrp.track_files.head;
	const struct conf_track_process *tp = (const void *)m->vrrp.track_processes.head;
	const struct conf_vrrp_sync_group *sg = (const void *)m->vrrp.sync_groups.head;
	const struct conf_garp_group *gg = (const void *)m->vrrp.garp_groups.head;
	const struct conf_vrrp_instance *v1 = first_vi(m), *v2;
	const struct conf_track *t;
	const struct conf_unicast_peer *p;
	const struct conf_vip *vip;
	char a[CONF_ADDRSTRLEN];

	(void)state;
	assert_string_equal(s->hdr.name, "chk");
	assert_string_equal(s->script, "/bin/check -x");
	assert_int_equal(s->interval, 2000000);
	assert_int_equal(s->timeout, 2000000); /* defaults to the interval */
	assert_int_equal(s->weight, -20);
	assert_true(s->reverse);
	assert_int_equal(s->rise, 3);
	assert_int_equal(s->fall, 2);
	assert_string_equal(s->user, "nobody");
	assert_string_equal(s->group, "nogroup");
	assert_true(s->init_fail);

	assert_string_equal(tf->file, "/run/prio");
	assert_int_equal(tf->weight, 5);
	assert_true(tf->init_file);
	assert_true(tf->init_overwrite);
	assert_int_equal(tf->init_value, 7);

	assert_int_equal(tp->process.n, 3);
	assert_string_equal(tp->process.v[0], "haproxy");
	assert_int_equal(tp->param_match, CONF_PARAM_MATCH_PARTIAL);
	assert_int_equal(tp->weight, 10);
	assert_int_equal(tp->quorum, 2);
	assert_int_equal(tp->quorum_max, 4);
	assert_int_equal(tp->fork_delay, 500000);
	assert_int_equal(tp->terminate_delay, 500000);
	assert_true(tp->full_command);

	assert_int_equal(sg->members.count, 2);
	assert_string_equal(sg->members.head->next->name, "VI_2");
	assert_int_equal(sg->members.head->loc.line, 26);
	assert_string_equal(sg->notify_master.cmd, "/bin/n master");
	assert_string_equal(sg->notify_master.user, "root");
	assert_int_equal(sg->smtp_alert, 1);
	assert_true(sg->sync_group_tracking_weight);

	assert_int_equal(gg->garp_interval, 10000);
	assert_int_equal(gg->gna_interval, CONF_UNSET_TIMER);
	assert_int_equal(gg->interfaces.count, 2);

	assert_int_equal(v1->state, CONF_STATE_MASTER);
	assert_string_equal(v1->interface, "eth0");
	assert_true(v1->use_vmac);
	assert_string_equal(v1->vmac_name, "vrrp51");
	assert_true(v1->has_vmac_mac);
	assert_true(v1->vmac_mac_short);
	assert_int_equal(v1->vmac_mac[4], 1);
	assert_true(v1->vmac_xmit_base);
	assert_true(v1->dont_track_primary);
	assert_int_equal(v1->track_interfaces.count, 2);
	t = (const void *)v1->track_interfaces.head->next;
	assert_string_equal(t->hdr.name, "eth2");
	assert_int_equal(t->weight, -10);
	assert_true(t->reverse);
	t = (const void *)v1->track_scripts.head;
	assert_int_equal(t->weight, -20); /* the script's own weight */
	t = (const void *)v1->track_files.head;
	assert_int_equal(t->weight, 3);
	t = (const void *)v1->track_processes.head;
	assert_int_equal(t->weight, 10);
	assert_string_equal(conf_addr_str(&v1->src_ip, a), "198.18.0.2");
	assert_int_equal(v1->unicast_peers.count, 2);
	p = (const void *)v1->unicast_peers.head->next;
	assert_int_equal(p->min_ttl, 250);
	assert_int_equal(p->max_ttl, 255);
	assert_true(v1->check_unicast_src); /* min_ttl turns it on */
	assert_int_equal(v1->unicast_ttl, 10);
	assert_int_equal(v1->vrid, 51);
	assert_int_equal(v1->priority, 150);
	assert_int_equal(v1->advert_int, 500000);
	assert_int_equal(v1->version, 3);
	assert_int_equal(v1->family, AF_INET);
	assert_int_equal(v1->garp_master_delay, 1);
	assert_int_equal(v1->garp_master_repeat, 5); /* global default */
	assert_int_equal(v1->garp_extra_if, 30);
	assert_true(v1->garp_extra_if_all);
	assert_int_equal(v1->down_timer_adverts, 5);
	assert_int_equal(v1->lower_prio_no_advert, 0);
	assert_int_equal(v1->vips.count, 2);
	vip = (const void *)v1->vips.head;
	assert_string_equal(conf_prefix_str(&vip->addr, a), "198.18.1.1/24");
	assert_string_equal(vip->dev, "eth0");
	assert_string_equal(vip->label, "eth0:1");
	assert_int_equal(v1->evips.count, 1);
	assert_int_equal(v1->vroutes.count, 1);
	assert_int_equal(v1->vrules.count, 1);
	assert_int_equal(v1->accept, 0);
	assert_int_equal(v1->preempt_delay, 4120000);
	assert_int_equal(v1->strict_mode, 0);
	assert_string_equal(v1->notify_backup.cmd, "/bin/backup.sh");
	assert_string_equal(v1->notify.group, "vigil");
	assert_string_equal(v1->notify_master_rx_lower_pri.cmd, "/bin/lower.sh");
	assert_int_equal(v1->smtp_alert, 1);
	assert_int_equal(v1->kernel_rx_buf_size, 262144);
	assert_ptr_equal(v1->sync_group, sg);

	v2 = (const void *)v1->hdr.next;
	assert_true(v2->nopreempt);
	assert_int_equal(v2->auth.type, CONF_AUTH_PASS);
	assert_string_equal(v2->auth.pass, "secret");
	assert_int_equal(v2->version, 2);
	assert_int_equal(v2->priority, 100);
	assert_int_equal(v2->accept, 1);
}

static void test_instance_defaults(void **state)
{
	const struct conf_vrrp_instance *v = first_vi(ok(vi("")));
	char t[512];

	(void)state;
	assert_int_equal(v->state, CONF_STATE_BACKUP);
	assert_int_equal(v->priority, 100);
	assert_int_equal(v->advert_int, 1000000);
	assert_int_equal(v->version, 2);
	assert_int_equal(v->unicast_ttl, CONF_UNSET);
	assert_int_equal(v->garp_master_delay, 5);
	assert_int_equal(v->garp_lower_prio_repeat, 5);
	assert_int_equal(v->down_timer_adverts, 3);
	assert_int_equal(v->accept, 1);
	assert_int_equal(v->strict_mode, 0);
	assert_int_equal(v->lower_prio_no_advert, 0);
	assert_int_equal(v->auth.type, CONF_AUTH_NONE);
	assert_false(v->nopreempt);
	assert_null(v->sync_group);
	/* keepalived 2.2.7: smtp_alert_vrrp, else smtp_alert, else off (the
	 * unset globals were once read as on). */
	assert_int_equal(v->smtp_alert, 0);
	snprintf(t, sizeof(t), "global_defs {\n smtp_alert\n}\n%s", vi(""));
	assert_int_equal(first_vi(ok(t))->smtp_alert, 1);
	snprintf(t, sizeof(t), "global_defs {\n smtp_alert\n smtp_alert_vrrp off\n}\n%s", vi(""));
	assert_int_equal(first_vi(ok(t))->smtp_alert, 0);
}

static void test_ipv6_instance(void **state)
{
	const struct conf_vrrp_instance *v =
		first_vi(ok("vrrp_instance V6 {\n interface eth0\n virtual_router_id 1\n"
			    " advert_int 0.25\n virtual_ipaddress {\n  fe80::1\n"
			    "  fd00:198:18::1/64\n }\n}\n"));

	(void)state;
	assert_int_equal(v->family, AF_INET6);
	assert_int_equal(v->version, 3); /* IPv6 is always VRRPv3 */
	assert_int_equal(v->advert_int, 250000);
}

static void test_dump(void **state)
{
	struct conf_model *m = ok(good);
	struct json j;
	char *s;

	(void)state;
	json_init(&j, false);
	conf_dump_json(m, &j);
	s = json_take(&j, NULL);
	assert_non_null(strstr(s, "\"name\":\"VI_1\""));
	assert_non_null(strstr(s, "\"virtual_router_id\":51"));
	assert_non_null(strstr(s, "\"state\":\"MASTER\""));
	assert_non_null(strstr(s, "\"address\":\"198.18.1.1/24\""));
	assert_non_null(strstr(s, "\"auth_type\":\"PASS\""));
	assert_non_null(strstr(s, "\"group\":[\"VI_1\",\"VI_2\"]"));
	free(s);
}

static void test_instance_ranges(void **state)
{
	(void)state;
	err1(vi("  virtual_router_id 0"), 5, "virtual_router_id");
	err1(vi("  virtual_router_id 256"), 5, "virtual_router_id");
	err1(vi("  priority 0"), 5, "priority");
	err1(vi("  priority 256"), 5, "priority");
	err1(vi("  state EQUAL"), 5, "'EQUAL' is not one of BACKUP|MASTER");
	err1(vi("  state MASTR"), 5, "did you mean 'MASTER'");
	err1(vi("  version 1"), 5, "version");
	err1(vi("  interface eth0/1"), 5, "interface");
	err1(vi("  unicast_ttl 256"), 5, "unicast_ttl");
	/* keepalived 2.2.7 -t refuses it too */
	err1(vi("  unicast_ttl 10"), 1, "unicast_ttl needs unicast_peer");
	err1(vi("  down_timer_adverts 0"), 5, "down_timer_adverts");
	err1(vi("  garp_master_repeat 300"), 5, "garp_master_repeat");
	/* keepalived 2.2.7 reports 0 as an error too (and would use 1) */
	err1(vi("  garp_master_repeat 0"), 5, "'0' is out of range (valid: 1-255)");
	err1(vi("  garp_master_refresh_repeat 0"), 5, "'0' is out of range (valid: 1-255)");
	/* vrrp_min_garp leaves refresh messages at 0, as keepalived: said */
	warn1("global_defs {\n vrrp_min_garp\n}\n"
	      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
	      " garp_master_refresh 30\n virtual_ipaddress { 198.18.0.1 }\n}\n",
	      4, "garp_master_refresh has no effect: vrrp_min_garp sets");
	err1(vi("  garp_extra_if few 3"), 5, "'few' is neither 'all' nor a delay in seconds");
	/* any order; 0 turns it off for the instance (keepalived: 0-86400) */
	assert_int_equal(first_vi(ok(vi("  garp_extra_if 30 all")))->garp_extra_if, 30);
	assert_true(first_vi(L.model)->garp_extra_if_all);
	assert_int_equal(
		first_vi(ok("global_defs {\n vrrp_garp_extra_if 20\n}\n"
			    "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
			    " garp_extra_if 0\n}\n"))
			->garp_extra_if,
		0);
	err1(vi("  garp_extra_if all"), 5, "garp_extra_if: no delay in seconds (0-86400)");
	err1(vi("  preempt_delay 1001"), 5, "preempt_delay");
	err1(vi("  debug 5"), 5, "debug");
	err1(vi("  strict_mode maybe"), 5, "maybe");
	err1(vi("  mcast_src_ip 198.18.0.999"), 5, "mcast_src_ip");
	err1(vi("  mcast_dst_ip 198.18.0.9"), 5, "not an IPv4 multicast address");
	err1(vi("  mcast_dst_ip ff05::1"), 5, "mcast_dst_ip");
	err1(vi("  use_vmac 00:11:22:33:44:zz"), 5, "use_vmac");
	err1(vi("  use_vmac a b c"), 5, "use_vmac");
	err1(vi("  notify_master"), 5, "notify_master");
	err1(vi("  kernel_rx_buf_size 0"), 5, "kernel_rx_buf_size");
	err1(vi("  advert_int 0"), 5, "advert_int");
	err1(vi("  advert_int 256"), 5, "advert_int");
	err1(vi("  virtual_routerid 5"), 5, "did you mean 'virtual_router_id'");
	err1(vi("  auth_type PASS"), 5, "authentication");
}

static void test_advert_int_by_version(void **state)
{
	(void)state;
	/* VRRPv2: whole seconds */
	err1(vi("  advert_int 0.5"), 5, "advert_int 0.5 is not a whole number of seconds");
	err1(vi("  version 2\n  advert_int 1.5"), 6, "VRRPv2");
	ok(vi("  advert_int 255"));
	/* VRRPv3: centiseconds up to 40.95 */
	ok(vi("  version 3\n  advert_int 40.95"));
	ok(vi("  version 3\n  advert_int 0.01"));
	err1(vi("  version 3\n  advert_int 41"), 6, "0.01 to 40.95");
	err1(vi("  version 3\n  advert_int 0.015"), 6, "not a multiple of 0.01");
	/* the global default version decides too */
	ok("global_defs {\n vrrp_version 3\n}\n"
	   "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 0.1\n"
	   " virtual_ipaddress { 198.18.0.1 }\n}\n");
	err1("global_defs {\n vrrp_version 3\n}\n"
	     "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 0.1\n"
	     " version 2\n virtual_ipaddress { 198.18.0.1 }\n}\n",
	     7, "whole number of seconds");
}

static void test_families(void **state)
{
	(void)state;
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " virtual_ipaddress {\n  198.18.0.1\n  fd00:198:18::1\n }\n}\n",
	     6, "is IPv6 but the first one (198.18.0.1, line 5) is IPv4");
	/* excluded addresses may mix families */
	ok("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	   " virtual_ipaddress { 198.18.0.1 }\n"
	   " virtual_ipaddress_excluded {\n  fd00:198:18::1\n  198.18.0.2\n }\n}\n");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 2\n"
	     " virtual_ipaddress { fd00:198:18::1 }\n}\n",
	     4, "VRRPv2 carries IPv4 only");
	err1(vi("  mcast_src_ip fd00:198:18::2"), 5,
	     "source address is IPv6 but the instance is IPv4");
	err1(vi("  mcast_dst_ip ff02::99"), 5, "mcast_dst_ip is IPv6 but the instance is IPv4");
	err1(vi("  unicast_peer {\n    fd00:198:18::9\n  }"), 6,
	     "unicast_peer fd00:198:18::9 is IPv6 but the instance is IPv4");
	err1(vi("  unicast_src_ip 198.18.0.2\n  unicast_peer {\n    fd00:198:18::9\n  }"), 7,
	     "the instance's source address is IPv4");
	err1(vi("  native_ipv6"), 1, "native_ipv6 is set but its addresses are IPv4");
}

static void test_unicast_peer(void **state)
{
	(void)state;
	err1(vi("  unicast_peer {\n    198.18.0.9 min_ttl 300\n  }"), 6, "min_ttl");
	err1(vi("  unicast_peer {\n    198.18.0.9 min_ttl 20 max_ttl 10\n  }"), 6,
	     "min_ttl 20 is above max_ttl 10");
	err1(vi("  unicast_peer {\n    198.18.0.9 ttl 3\n  }"), 6, "unexpected 'ttl'");
	err1(vi("  unicast_peer {\n    198.18.0\n  }"), 6, "198.18.0");
	err1(vi("  use_vmac\n  unicast_peer {\n    198.18.0.9\n  }"), 1,
	     "use_vmac with unicast_peer needs vmac_xmit_base");
	/* keepalived.conf(5) lets a unicast instance omit the interface, but
	 * keepalived 2.2.7 refuses it ("Unknown interface!"), and so do we:
	 * the runtime had no interface to run it on. */
	err1("vrrp_instance U {\n virtual_router_id 1\n unicast_peer { 198.18.0.9 }\n"
	     " virtual_ipaddress { 198.18.0.1 dev eth0 }\n}\n",
	     1, "vrrp_instance U has no interface (keepalived 2.2.7 needs one too");
	err1("vrrp_instance U {\n virtual_router_id 1\n unicast_peer {\n  fe80::9\n }\n"
	     " virtual_ipaddress { fd00:198:18::1 dev eth0 }\n}\n",
	     1, "has no interface");
}

static void test_required(void **state)
{
	(void)state;
	err1("vrrp_instance A {\n interface eth0\n}\n", 1, "has no virtual_router_id");
	err1("vrrp_instance A {\n virtual_router_id 3\n}\n", 1, "has no interface");
	err1("vrrp_instance {\n}\n", 1, "needs a name");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 3\n}\n"
	     "vrrp_instance A {\n interface eth1\n virtual_router_id 4\n}\n",
	     5, "is already defined at t.conf:1");
}

static void test_dup_vrid(void **state)
{
	static const char two[] = "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n"
				  " virtual_ipaddress { 198.18.0.1 }\n}\n"
				  "vrrp_instance B {\n interface %s\n virtual_router_id 7\n"
				  " virtual_ipaddress { %s }\n%s}\n";
	char t[1024];

	(void)state;
	snprintf(t, sizeof(t), two, "eth0", "198.18.0.2", "");
	err1(t, 8,
	     "virtual_router_id 7 is already used for IPv4 on eth0 by vrrp_instance A (t.conf:1)");
	/* another interface, another family, or another group is another router */
	snprintf(t, sizeof(t), two, "eth1", "198.18.0.2", "");
	ok(t);
	snprintf(t, sizeof(t), two, "eth0", "fd00:198:18::2", "");
	ok(t);
	snprintf(t, sizeof(t), two, "eth0", "198.18.0.2", " mcast_dst_ip 224.0.0.100\n");
	ok(t);
}

static void test_references(void **state)
{
	(void)state;
	err1(vi("  track_script {\n    chk_hapoxy\n  }"), 6,
	     "refers to vrrp_script 'chk_hapoxy', but no vrrp_script is defined");
	err1("vrrp_script chk_haproxy {\n script /bin/true\n}\n"
	     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
	     " track_script {\n  chk_hapoxy\n }\n}\n",
	     8, "did you mean 'chk_haproxy'?");
	err1(vi("  track_file {\n    nofile\n  }"), 6, "refers to track_file 'nofile'");
	err1(vi("  track_process {\n    noproc\n  }"), 6, "refers to vrrp_track_process 'noproc'");
	err1("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n"
	     "vrrp_sync_group G {\n group {\n  VI_1\n  VI_9\n }\n}\n",
	     8, "vrrp_sync_group G refers to vrrp_instance 'VI_9'");
}

/* VI_1 tracks s (weight 10), VI_2 nothing: a sync group is appended. */
static const char *const weighted =
	"vrrp_script s {\n script /bin/true\n weight 10\n}\n"
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
	" track_script {\n  s\n }\n virtual_ipaddress { 198.18.0.1 }\n}\n"
	"vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n"
	" virtual_ipaddress { 198.18.0.2 }\n}\n";

static void test_sync_groups(void **state)
{
	static const char base[] = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
				   " virtual_ipaddress { 198.18.0.1 }\n}\n"
				   "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n"
				   " virtual_ipaddress { 198.18.0.2 }\n}\n";
	char t[2048];

	(void)state;
	snprintf(t, sizeof(t), "%s%s", base,
		 "vrrp_sync_group G1 {\n group {\n  VI_1 VI_2\n }\n}\n"
		 "vrrp_sync_group G2 {\n group {\n  VI_3\n  VI_1\n }\n}\n");
	load(t);
	assert_int_equal(L.n_errors, 2);
	assert_true(has_msg(true, 18, "refers to vrrp_instance 'VI_3'"));
	assert_true(
		has_msg(true, 19, "VI_1 is already a member of vrrp_sync_group G1 (t.conf:11)"));

	snprintf(t, sizeof(t), "%s%s", base, "vrrp_sync_group G1 {\n group {\n  VI_1\n }\n}\n");
	warn1(t, 11, "has a single member");
	err1("vrrp_sync_group G1 {\n notify_master /bin/x\n}\n", 1, "has no 'group");
	snprintf(t, sizeof(t), "%s%s", base,
		 "vrrp_sync_group G1 {\n group { VI_1 VI_2 }\n"
		 " track_script {\n  nope\n }\n}\n");
	err1(t, 14, "vrrp_sync_group G1 refers to vrrp_script 'nope'");
	/* members' weighted tracking goes unless the group keeps it */
	snprintf(t, sizeof(t), "%s%s", weighted, "vrrp_sync_group G1 {\n group { VI_1 VI_2 }\n}\n");
	warn1(t, 9, "(VI_1) ignoring tracked script s with weights due to SYNC group");
	/* keepalived drops a weighted script from the member altogether */
	assert_null(first_vi(L.model)->track_scripts.head);
	assert_int_equal(first_vi(L.model)->track_scripts.count, 0);
	/* a weighted interface keeps tracking with weight 0; a track_file with
	 * the default weight 1 gets 0, with another weight it is dropped */
	snprintf(t, sizeof(t), "%s%s",
		 "track_file f {\n file /tmp/x\n}\n"
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		 " track_interface {\n  eth1 weight 10\n }\n"
		 " track_file {\n  f\n }\n virtual_ipaddress { 198.18.0.1 }\n}\n"
		 "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n"
		 " track_file {\n  f weight 3\n }\n virtual_ipaddress { 198.18.0.2 }\n}\n",
		 "vrrp_sync_group G1 {\n group { VI_1 VI_2 }\n}\n");
	load(t);
	assert_int_equal(L.n_errors, 0);
	assert_true(has_msg(false, 8, "(VI_1) ignoring eth1 tracked interface weight"));
	assert_true(has_msg(false, 11, "(VI_1) ignoring weight from tracked file f"));
	assert_true(has_msg(false, 19, "(VI_2) ignoring tracked file f with weight 3"));
	assert_int_equal(
		((const struct conf_track *)(const void *)first_vi(L.model)->track_interfaces.head)
			->weight,
		0);
	assert_int_equal(
		((const struct conf_track *)(const void *)first_vi(L.model)->track_files.head)
			->weight,
		0);
	/* with sync_group_tracking_weight everything stays */
	snprintf(t, sizeof(t), "%s%s", weighted,
		 "vrrp_sync_group G1 {\n group { VI_1 VI_2 }\n sync_group_tracking_weight\n}\n");
	load(t);
	assert_int_equal(L.n_errors, 0);
	assert_int_equal(
		((const struct conf_track *)(const void *)first_vi(L.model)->track_scripts.head)
			->weight,
		10);
	err1("vrrp_sync_group G {\n group { VI_1 }\n track_bfd { b }\n}\n"
	     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n",
	     3, "is recognised but not supported by vigil");
	warn1(vi("}\nvrrp_sync_group G {\n group { VI_1 }\n global_tracking"), 8,
	      "is obsolete and has no effect");
}

static void test_script_block(void **state)
{
	(void)state;
	err1("vrrp_script s {\n interval 1\n}\n", 1, "has no 'script' to run");
	err1("vrrp_script s {\n script /bin/x\n weight 254\n}\n", 3, "weight");
	err1("vrrp_script s {\n script /bin/x\n weight 10 sideways\n}\n", 3,
	     "'sideways' is not 'reverse' or 'noreverse'");
	err1("vrrp_script s {\n script /bin/x\n rise 0\n}\n", 3, "rise");
	err1("vrrp_script s {\n script /bin/x\n fall 0\n}\n", 3, "fall");
	err1("vrrp_script s {\n script /bin/x\n interval 0\n}\n", 3, "interval");
	err1("vrrp_script s {\n script /bin/x\n timeout x\n}\n", 3, "timeout");
	err1("vrrp_script s {\n script /bin/x\n user\n}\n", 3, "user");
	err1("vrrp_script s {\n script /bin/x\n scirpt /bin/y\n}\n", 3, "did you mean 'script'");
	assert_int_equal(((const struct conf_vrrp_script *)(const void *)ok(
				  "vrrp_script s {\n script /bin/x\n timeout 3\n}\n")
				  ->vrrp.scripts.head)
				 ->timeout,
			 3000000);
}

static void test_track_file_block(void **state)
{
	struct conf_model *m;

	(void)state;
	err1("track_file f {\n weight 1\n}\n", 1, "has no 'file' to watch");
	err1("track_file f {\n file /x\n init_file 1 2\n}\n", 3, "'2' is not 'overwrite'");
	err1("track_file f {\n file /x\n weight 2147483648\n}\n", 3, "weight");
	m = ok("vrrp_track_file f {\n file /x\n init_file\n}\n");
	assert_int_equal(
		((const struct conf_track_file *)(const void *)m->vrrp.track_files.head)->weight,
		1);
	err1(vi("  track_file {\n    f weight 255\n  }\n}\ntrack_file f {\n file /x\n"), 6,
	     "weight");
}

static void test_track_process_block(void **state)
{
	(void)state;
	err1("vrrp_track_process p {\n quorum 1\n}\n", 1, "has no 'process' to watch");
	err1("vrrp_track_process p {\n process x\n quorum 3\n quorum_max 2\n}\n", 1,
	     "quorum_max 2 is below quorum 3");
	err1("vrrp_track_process p {\n process x\n param_match full\n}\n", 3,
	     "'full' is not 'initial' or 'partial'");
	err1("vrrp_track_process p {\n process x\n weight -255\n}\n", 3, "weight");
	err1("vrrp_track_process p {\n process x\n delay -1\n}\n", 3, "delay");
	assert_int_equal(((const struct conf_track_process *)(const void *)ok(
				  "vrrp_track_process p {\n process x\n param_match\n}\n")
				  ->vrrp.track_processes.head)
				 ->param_match,
			 CONF_PARAM_MATCH_EXACT);
}

static void test_track_lists(void **state)
{
	(void)state;
	err1(vi("  track_interface {\n    eth1 weight 254\n  }"), 6, "weight");
	err1(vi("  track_interface {\n    eth1/2\n  }"), 6, "track_interface");
	err1(vi("  track_interface {\n    eth1 wieght 3\n  }"), 6, "unexpected 'wieght'");
	ok(vi("  track_interface {\n    eth1 weight -253 noreverse\n  }"));
	warn1(vi("  priority 255\n  track_interface {\n    eth1 weight 10\n  }"), 7,
	      "priority 255 (address owner)");
}

static void test_authentication(void **state)
{
	(void)state;
	err1(vi("  authentication {\n    auth_type MD5\n    auth_pass x\n  }"), 6,
	     "'MD5' is not one of PASS|AH");
	err1(vi("  authentication {\n    auth_pass x\n  }"), 5, "'auth_type PASS|AH' is missing");
	err1(vi("  authentication {\n    auth_type AH\n  }"), 5, "'auth_pass' is missing");
	warn1(vi("  authentication {\n    auth_type PASS\n    auth_pass 123456789\n  }"), 7,
	      "only '12345678' is used");
	warn1(vi("  version 3\n  authentication {\n    auth_type PASS\n    auth_pass x\n  }"), 6,
	      "VRRPv3 has no authentication");
	/* AH: VRRPv2 over IPv4 only; keepalived 2.2.7 -t refuses the rest */
	err1(vi("  version 3\n  authentication {\n    auth_type AH\n    auth_pass x\n  }"), 6,
	     "auth_type AH needs VRRPv2 over IPv4 (this instance is VRRPv3)");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " authentication {\n  auth_type AH\n  auth_pass x\n }\n"
	     " virtual_ipaddress {\n  fd00:198:18::1\n }\n}\n",
	     4, "(this instance is VRRPv3 over IPv6)");
	/* AH and state MASTER: keepalived starts it as BACKUP (unless owner) */
	{
		const struct conf_vrrp_instance *v;

		warn1(vi("  state MASTER\n  authentication {\n    auth_type AH\n    auth_pass x\n  }"),
		      6, "state MASTER is incompatible with auth_type AH");
		v = first_vi(L.model);
		assert_int_equal(v->state, CONF_STATE_BACKUP);
		v = first_vi(ok(vi("  state MASTER\n  priority 255\n  authentication {\n"
				   "    auth_type AH\n    auth_pass x\n  }")));
		assert_int_equal(v->state, CONF_STATE_MASTER);
	}
}

static void test_strict_mode(void **state)
{
	(void)state;
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n strict_mode\n}\n", 1,
	     "strict mode needs at least one virtual_ipaddress");
	/* What keepalived 2.2.7 overrides in strict mode is overridden here too,
	 * one warning each; unicast peers stay an error, as there. */
	err1(vi("  strict_mode\n  unicast_peer {\n    198.18.0.9\n  }"), 1,
	     "strict mode does not allow unicast_peer");
	{
		const struct conf_vrrp_instance *v;

		v = first_vi(ok(vi("  strict_mode\n  state MASTER")));
		assert_int_equal(v->state, CONF_STATE_BACKUP);
		assert_true(has_msg(false, 1, "the initial state is BACKUP"));
		v = first_vi(ok(vi("  strict_mode\n  preempt_delay 3")));
		assert_int_equal(v->preempt_delay, 0);
		assert_true(has_msg(false, 6, "preempt_delay; reset to 0"));
		v = first_vi(ok(vi("  strict_mode\n  vmac_xmit_base")));
		assert_false(v->vmac_xmit_base);
		assert_true(has_msg(false, 1, "vmac_xmit_base; cleared"));
		v = first_vi(ok(vi("  strict_mode\n  accept")));
		assert_int_equal(v->accept, 0);
		assert_true(has_msg(false, 1, "accept with VRRPv2"));
		v = first_vi(ok(vi("  strict_mode\n  authentication {\n    auth_type PASS\n"
				   "    auth_pass x\n  }")));
		assert_int_equal(v->auth.type, CONF_AUTH_NONE);
		assert_true(has_msg(false, 6, "authentication; it is ignored"));
		v = first_vi(ok(vi("  strict_mode\n  lower_prio_no_advert off\n"
				   "  higher_prio_send_advert\n  garp_lower_prio_repeat 2")));
		assert_int_equal(v->lower_prio_no_advert, 1);
		assert_int_equal(v->higher_prio_send_advert, 0);
		assert_int_equal(v->garp_lower_prio_repeat, 0);
		assert_int_equal(L.n_warnings, 3);
		v = first_vi(ok("global_defs {\n vrrp_strict\n}\n"
				"vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
				" virtual_ipaddress {\n  fd00:198:18::1\n }\n}\n"));
		assert_true(has_msg(false, 8, "link-local"));
	}
	/* keepalived's own keepalived.conf (installed with it): it runs, so
	 * vigil runs it, with a warning per override. */
	{
		struct conf_options o = { .flags = CONF_NO_INCLUDE };
		const struct conf_vrrp_instance *v;

		conf_load_free(&L);
		if (conf_load_file("/etc/keepalived/keepalived.conf.sample", &o, &L) != 0) {
			show();
			fail_msg("keepalived's keepalived.conf.sample does not load (is keepalived "
				 "installed? scripts/install-deps)");
		}
		v = first_vi(L.model);
		assert_int_equal(v->state, CONF_STATE_BACKUP);
		assert_int_equal(v->auth.type, CONF_AUTH_NONE);
		assert_true(has_msg(false, 19, "the initial state is BACKUP"));
		assert_true(has_msg(false, 25, "authentication; it is ignored"));
	}
	/* strict defaults: no_accept unless owner, lower_prio_no_advert on */
	{
		const struct conf_vrrp_instance *v = first_vi(ok(vi("  strict_mode on")));

		assert_int_equal(v->accept, 0);
		assert_int_equal(v->lower_prio_no_advert, 1);
		v = first_vi(ok(vi("  strict_mode on\n  state MASTER\n  priority 255")));
		assert_int_equal(v->accept, 1);
	}
}

static void test_preempt_warnings(void **state)
{
	(void)state;
	warn1(vi("  state MASTER\n  nopreempt"), 6, "nopreempt has no effect with state MASTER");
	warn1(vi("  state MASTER\n  preempt_delay 2"), 6, "preempt_delay has no effect");
	/* keepalived zeroes preempt_delay under nopreempt, with a warning */
	warn1(vi("  nopreempt\n  preempt_delay 30"), 6,
	      "preempt_delay is incompatible with nopreempt, as in keepalived; using 0");
	assert_int_equal(first_vi(L.model)->preempt_delay, 0);
	assert_true(first_vi(L.model)->nopreempt);
	assert_int_equal(first_vi(ok(vi("  preempt_delay 30")))->preempt_delay, 30000000);
	/* ... and clears nopreempt on the address owner first (which keeps
	 * its preempt_delay) */
	warn1(vi("  priority 255\n  nopreempt\n  preempt_delay 5"), 6,
	      "nopreempt is incompatible with priority 255 (the address owner preempts)");
	assert_false(first_vi(L.model)->nopreempt);
	assert_int_equal(first_vi(L.model)->preempt_delay, 5000000);
	assert_false(first_vi(ok(vi("  nopreempt\n  preempt")))->nopreempt);
	/* no keepalived release reads 'no_preempt' (it reports it and the
	 * instance preempts): an error here, never a silent nopreempt */
	err1(vi("  no_preempt"), 5, "did you mean 'nopreempt'");
}

static void test_garp_group(void **state)
{
	(void)state;
	err1("garp_group {\n garp_interval 1\n}\n", 1, "no 'interface' or 'interfaces'");
	err1("garp_group {\n interface eth0\n interfaces { eth1 }\n}\n", 1, "not both");
	err1("garp_group {\n interface eth0\n garp_interval 1\n}\n"
	     "garp_group {\n interfaces {\n  eth1\n  eth0\n }\n garp_interval 1\n}\n",
	     8, "interface eth0 is already in the garp_group at line 1");
	warn1("garp_group {\n interface eth0\n}\n", 1, "has no effect");
	/* keepalived's range: 0 to INT_MAX microseconds */
	ok("garp_group {\n interface eth0\n garp_interval 0\n gna_interval 2147.483647\n}\n");
	err1("garp_group {\n interface eth0\n gna_interval 2147.483648\n}\n", 3,
	     "(valid: 0-2147.483647 seconds)");
	err1("garp_group x {\n interface eth0\n}\n", 1, "garp_group");
}

static void test_unsupported(void **state)
{
	(void)state;
	err1(vi("  track_bfd {\n    b1\n  }"), 5,
	     "is recognised but not supported by vigil: vigil does not implement BFD");
	err1(vi("  use_ipvlan ipv1 198.18.0.5"), 5, "is recognised but not supported by vigil");
	err1(vi("  old_unicast_checksum"), 5, "is recognised but not supported by vigil");
	err1(vi("  linkbeat_use_polling"), 5, "is recognised but not supported by vigil");
	err1("bfd_instance b1 {\n neighbor_ip 198.18.0.1\n}\n", 1,
	     "'bfd_instance' is recognised but not supported by vigil");
	err1("linkbeat_interfaces {\n eth0\n}\n", 1, "is recognised but not supported by vigil");
}

/* v3_checksum_as_v2 (keepalived 2.2.8): the instance's word, else the
 * global keyword (which, as in keepalived, reads no argument). */
static int csum_as_v2(const char *global, const char *inst)
{
	static char text[sizeof(buf) + 512];

	snprintf(text, sizeof(text), "global_defs {\n%s\n}\n%s", global, vi(inst));
	return first_vi(ok(text))->v3_checksum_as_v2;
}

static void test_v3_checksum_as_v2(void **state)
{
	(void)state;
	assert_int_equal(csum_as_v2("", ""), 0);
	assert_int_equal(csum_as_v2("", "  v3_checksum_as_v2"), 1);
	assert_int_equal(csum_as_v2("", "  v3_checksum_as_v2 off"), 0);
	assert_int_equal(csum_as_v2("  v3_checksum_as_v2", ""), 1);
	assert_int_equal(csum_as_v2("  v3_checksum_as_v2", "  v3_checksum_as_v2 no"), 0);
	err1(vi("  v3_checksum_as_v2 maybe"), 5, "v3_checksum_as_v2");
}

/* No virtual_ipaddress: as keepalived 2.2.7 an error for VRRPv3, a warning
 * for VRRPv2; no_virtual_ipaddress (2.2.8) allows it silently, except in
 * strict mode, where it is cleared with a warning (and strict mode's own
 * error stays). */
static void test_no_virtual_ipaddress(void **state)
{
	static const char head[] = "vrrp_instance VI_1 {\n  interface eth0\n"
				   "  virtual_router_id 51\n";
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "%s  version 3\n}\n", head);
	err1(text, 1, "no virtual_ipaddress: VRRPv3 needs at least one");
	snprintf(text, sizeof(text), "%s  version 2\n}\n", head);
	warn1(text, 1, "no virtual_ipaddress: its adverts announce no address");
	snprintf(text, sizeof(text), "%s  version 3\n  no_virtual_ipaddress\n}\n", head);
	assert_true(first_vi(ok(text))->no_vips);
	assert_int_equal(L.n_warnings, 0);
	snprintf(text, sizeof(text), "%s  no_virtual_ipaddress\n}\n", head);
	ok(text);
	assert_int_equal(L.n_warnings, 0);
	snprintf(text, sizeof(text), "%s  no_virtual_ipaddress\n  strict_mode\n}\n", head);
	load(text);
	assert_true(
		has_msg(false, 1, "no_virtual_ipaddress is cleared: strict mode needs an address"));
	assert_true(has_msg(true, 1, "strict mode needs at least one virtual_ipaddress"));
}

/* use_vmac's words of keepalived 2.3.0: 'name' before a name that reads as
 * a word (or as a MAC address); group and netlink_notify_msg refused. */
static void test_use_vmac_words(void **state)
{
	const struct conf_vrrp_instance *v;

	(void)state;
	v = first_vi(ok(vi("  use_vmac name group 02:00:5e:00:01")));
	assert_string_equal(v->vmac_name, "group");
	assert_true(v->has_vmac_mac);
	assert_true(v->vmac_mac_short);
	v = first_vi(ok(vi("  use_vmac 02:00:5e:00:01:07 name vm1")));
	assert_string_equal(v->vmac_name, "vm1");
	assert_false(v->vmac_mac_short);
	err1(vi("  use_vmac vm1 group 5"), 5,
	     "use_vmac: 'group' (keepalived 2.3.0) is recognised but not supported by vigil");
	err1(vi("  use_vmac netlink_notify_msg"), 5,
	     "use_vmac: 'netlink_notify_msg' (keepalived 2.3.0) is recognised but not supported");
	err1(vi("  use_vmac name vm1 vm2"), 5, "use_vmac: 'vm2' is not a MAC address");
}

/* Instance keywords of keepalived 2.2.8 to 2.4.3: refused with the release
 * and the reason, never "unknown keyword". */
static void test_newer_keepalived(void **state)
{
	static const char *const refused[][2] = {
		{ "timer_expired_backup 200", "2.2.8: going back to BACKUP" },
		{ "thread_timer_expired", "2.2.8: going back to BACKUP" },
		{ "owner_ignore_adverts", "2.3.3: an address owner" },
	};
	char line[64], want[160];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(line, sizeof(line), "  %s", refused[i][0]);
		snprintf(want, sizeof(want),
			 "'%.*s' is recognised but not supported by vigil: "
			 "keepalived %s",
			 (int)strcspn(refused[i][0], " "), refused[i][0], refused[i][1]);
		err1(vi(line), 5, want);
	}
	/* the block is refused whole: its own keywords are not "unknown" */
	load(vi("  auth_hmac {\n    key 1 file:/k\n    active_key 1\n    mode enforce\n  }"));
	assert_int_equal(L.n_errors, 1);
	assert_true(has_msg(true, 5,
			    "'auth_hmac' is recognised but not supported by vigil: "
			    "keepalived 2.4.0"));
}

static void test_all_errors_in_one_run(void **state)
{
	(void)state;
	load("vrrp_instance A {\n"	      /* 1 */
	     "  interface eth0\n"	      /* 2 */
	     "  virtual_router_id 300\n"      /* 3 */
	     "  priority -1\n"		      /* 4 */
	     "  track_bfd { x }\n"	      /* 5 */
	     "  track_script {\n    s\n  }\n" /* 6-8 */
	     "  virtual_ipaddress {\n"	      /* 9 */
	     "    198.18.0.1 scope galaxy\n"  /* 10 */
	     "  }\n"			      /* 11 */
	     "}\n");
	assert_true(has_msg(true, 3, "virtual_router_id"));
	assert_true(has_msg(true, 4, "priority"));
	assert_true(has_msg(true, 5, "not supported"));
	assert_true(has_msg(true, 7, "vrrp_script 's'"));
	assert_true(has_msg(true, 10, "galaxy"));
	assert_true(has_msg(true, 1, "has no virtual_router_id"));
	assert_int_equal(L.n_errors, 6);
}

static void test_samples(void **state)
{
	static const char *const files[] = {
		"/usr/share/doc/keepalived/samples/keepalived.conf.vrrp.sync",
		"/usr/share/doc/keepalived/samples/keepalived.conf.vrrp.scripts",
		"/usr/share/doc/keepalived/samples/keepalived.conf.vrrp.routes",
		"/usr/share/doc/keepalived/samples/keepalived.conf.vrrp.static_ipaddress",
		"/usr/share/doc/keepalived/samples/keepalived.conf.track_interface",
	};
	struct conf_options o = { .flags = CONF_NO_INCLUDE };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		conf_load_free(&L);
		if (conf_load_file(files[i], &o, &L) != 0) {
			if (!L.msgs && !L.n_errors)
				continue; /* samples not installed */
			show();
			fail_msg("%s does not load", files[i]);
		}
	}
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
		cmocka_unit_test_teardown(test_good_values, teardown),
		cmocka_unit_test_teardown(test_instance_defaults, teardown),
		cmocka_unit_test_teardown(test_ipv6_instance, teardown),
		cmocka_unit_test_teardown(test_dump, teardown),
		cmocka_unit_test_teardown(test_instance_ranges, teardown),
		cmocka_unit_test_teardown(test_advert_int_by_version, teardown),
		cmocka_unit_test_teardown(test_families, teardown),
		cmocka_unit_test_teardown(test_unicast_peer, teardown),
		cmocka_unit_test_teardown(test_required, teardown),
		cmocka_unit_test_teardown(test_dup_vrid, teardown),
		cmocka_unit_test_teardown(test_references, teardown),
		cmocka_unit_test_teardown(test_sync_groups, teardown),
		cmocka_unit_test_teardown(test_script_block, teardown),
		cmocka_unit_test_teardown(test_track_file_block, teardown),
		cmocka_unit_test_teardown(test_track_process_block, teardown),
		cmocka_unit_test_teardown(test_track_lists, teardown),
		cmocka_unit_test_teardown(test_authentication, teardown),
		cmocka_unit_test_teardown(test_strict_mode, teardown),
		cmocka_unit_test_teardown(test_preempt_warnings, teardown),
		cmocka_unit_test_teardown(test_garp_group, teardown),
		cmocka_unit_test_teardown(test_unsupported, teardown),
		cmocka_unit_test_teardown(test_v3_checksum_as_v2, teardown),
		cmocka_unit_test_teardown(test_no_virtual_ipaddress, teardown),
		cmocka_unit_test_teardown(test_use_vmac_words, teardown),
		cmocka_unit_test_teardown(test_newer_keepalived, teardown),
		cmocka_unit_test_teardown(test_all_errors_in_one_run, teardown),
		cmocka_unit_test_teardown(test_samples, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
