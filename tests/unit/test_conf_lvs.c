/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtual_server_group, virtual_server, real_server, SSL: typed values,
 * defaults, every validation rule, and keepalived's own sample files. */
#include <errno.h>
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

static struct conf_vs *vs_n(struct conf_model *m, unsigned n)
{
	struct conf_item *it = m->lvs.virtual_servers.head;

	while (it && n--)
		it = it->next;
	assert_non_null(it);
	return (struct conf_vs *)(void *)it;
}

static struct conf_rs *rs_n(struct conf_vs *vs, unsigned n)
{
	struct conf_item *it = vs->real_servers.head;

	while (it && n--)
		it = it->next;
	assert_non_null(it);
	return (struct conf_rs *)(void *)it;
}

static const char *astr(const struct conf_addr *a)
{
	static char buf[CONF_ADDRSTRLEN];

	return conf_addr_str(a, buf);
}

/* ---- virtual_server_group ---- */

static void test_vsg_entries(void **state)
{
	(void)state;
	struct conf_model *m = ok("virtual_server_group G {\n"
				  "  10.0.0.1 80\n"
				  "  10.0.0.2-10 443\n"
				  "  10.0.1.250-10.0.2.5 8080\n"
				  "  10.0.3.8/29 80\n"
				  "  fwmark 7\n"
				  "  fwmark 8 inet\n"
				  "}\n"
				  "virtual_server group G { protocol TCP\n"
				  "  real_server 10.1.0.1 80 {\n"
				  "  }\n"
				  "}\n");
	const struct conf_vsg *g = (const struct conf_vsg *)(void *)m->lvs.groups.head;

	assert_non_null(g);
	assert_string_equal(g->hdr.name, "G");
	assert_int_equal(g->entries.count, 6);
	const struct conf_vsg_entry *e = (const struct conf_vsg_entry *)(void *)g->entries.head;
	assert_string_equal(astr(&e->first), "10.0.0.1");
	assert_int_equal(e->port, 80);
	assert_int_equal(e->n_addrs, 1);
	e = (const struct conf_vsg_entry *)(void *)e->hdr.next;
	assert_string_equal(astr(&e->last), "10.0.0.10");
	assert_int_equal(e->n_addrs, 9);
	e = (const struct conf_vsg_entry *)(void *)e->hdr.next;
	assert_string_equal(astr(&e->last), "10.0.2.5");
	assert_int_equal(e->n_addrs, 12);
	e = (const struct conf_vsg_entry *)(void *)e->hdr.next;
	assert_string_equal(astr(&e->first), "10.0.3.8");
	assert_string_equal(astr(&e->last), "10.0.3.15");
	e = (const struct conf_vsg_entry *)(void *)e->hdr.next;
	assert_true(e->is_fwmark);
	assert_int_equal(e->fwmark, 7);
	assert_int_equal(e->family, AF_UNSPEC);
	e = (const struct conf_vsg_entry *)(void *)e->hdr.next;
	assert_int_equal(e->family, AF_INET);
	assert_true(g->has_v4);
	assert_false(g->has_v6);
	assert_ptr_equal(vs_n(m, 0)->vsg, g);
	assert_int_equal(vs_n(m, 0)->family, CONF_FAMILY_INET);
}

static void test_vsg_v6(void **state)
{
	(void)state;
	struct conf_model *m = ok("virtual_server_group G6 {\n"
				  "  fd00:198:18::1-ff 80\n"
				  "  fd00:198:18::100/120 80\n"
				  "}\n"
				  "virtual_server group G6 { protocol TCP\n"
				  "  real_server fd00:198:18:1::1 80 {\n"
				  "  }\n"
				  "}\n");
	const struct conf_vsg *g = (const struct conf_vsg *)(void *)m->lvs.groups.head;
	const struct conf_vsg_entry *e = (const struct conf_vsg_entry *)(void *)g->entries.head;

	assert_int_equal(e->n_addrs, 255);
	assert_string_equal(astr(&e->last), "fd00:198:18::ff");
	e = (const struct conf_vsg_entry *)(void *)e->hdr.next;
	assert_int_equal(e->n_addrs, 256);
	assert_int_equal(vs_n(m, 0)->family, CONF_FAMILY_INET6);
}

static void test_vsg_errors(void **state)
{
	(void)state;
	err1("virtual_server_group G {\n  10.0.0.10-2 80\n}\n", 2, "ends before it starts");
	err1("virtual_server_group G {\n  10.0.0.0/8 80\n}\n", 2, "expands to more than");
	err1("virtual_server_group G {\n  10.0.0.0-10.2.0.0 80\n}\n", 2, "expands to more than");
	err1("virtual_server_group G {\n  10.0.0.1-300 80\n}\n", 2, "neither an address nor");
	err1("virtual_server_group G {\n  10.0.0.x 80\n}\n", 2, "is not an IP address");
	err1("virtual_server_group G {\n  10.0.0.1 65536\n}\n", 2, "out of range");
	err1("virtual_server_group G {\n  10.0.0.1 80 90\n}\n", 2, "'90' is extra");
	err1("virtual_server_group G {\n  fwmark 0\n}\n", 2, "out of range");
	err1("virtual_server_group G {\n  fwmark 1 inet4\n}\n", 2, "not inet or inet6");
	err1("virtual_server_group G {\n  10.0.0.1 80\n  10.0.0.1 80\n}\n", 3, "duplicate entry");
	err1("virtual_server_group G {\n  10.0.0.1 80\n}\nvirtual_server_group G {\n  10.0.0.2 "
	     "80\n}\n",
	     4, "already defined at t.conf:1");
	err1("virtual_server_group G H {\n}\n", 1, "exactly one name");
	err1("virtual_server_group G {\n  fd00::1-10000 80\n}\n", 2, "neither an address nor");
	warn1("virtual_server_group G {\n  10.0.0.9/29 80\n}\n", 2, "host bits");
	warn1("virtual_server_group EMPTY {\n}\n", 1, "has no entries");
}

static void test_vsg_references(void **state)
{
	(void)state;
	err1("virtual_server group NOPE { protocol TCP\n}\n", 1, "no virtual_server_group named 'NOPE'");
	err1("virtual_server_group E {\n}\nvirtual_server group E { protocol TCP\n}\n", 3, "has no entries");
	/* a port-less entry makes the service persistent, as in keepalived */
	warn1("virtual_server_group G {\n  10.0.0.1\n}\nvirtual_server group G { protocol TCP\n}\n", 2,
	      "is made persistent (360 s)");
	assert_int_equal(vs_n(L.model, 0)->persistence_timeout, CONF_LVS_PERSIST_DEFAULT);
	warn1("virtual_server_group G {\n  10.0.0.1 0\n}\nvirtual_server group G { protocol TCP\n}\n", 2,
	      "is made persistent (360 s)");
	ok("virtual_server_group G {\n  10.0.0.1\n}\nvirtual_server group G { protocol TCP\n"
	   "  persistence_timeout\n}\n");
	/* a mixed group needs tunnelled real servers */
	err1("virtual_server_group M {\n  10.0.0.1 80\n  fd00::1 80\n}\n"
	     "virtual_server group M { protocol TCP\n  real_server 10.1.0.1 80 {\n  }\n}\n",
	     6, "must use lvs_method TUN");
	ok("virtual_server_group M {\n  10.0.0.1 80\n  fd00::1 80\n}\n"
	   "virtual_server group M {\n  lvs_method TUN\n  real_server 10.1.0.1 80 {\n  }\n"
	   "  real_server fd00:1::1 80 {\n  }\n}\n");
	/* same group, same protocol twice */
	err1("virtual_server_group G {\n  10.0.0.1 80\n}\nvirtual_server group G { protocol TCP\n}\n"
	     "virtual_server group G { protocol TCP\n}\n",
	     6, "defined twice");
	ok("virtual_server_group G {\n  10.0.0.1 80\n}\nvirtual_server group G { protocol TCP\n}\n"
	   "virtual_server group G {\n  protocol UDP\n}\n");
}

/* ---- virtual_server ---- */

static const char *full_vs = "virtual_server 198.18.0.10 80 {\n"	    /* 1 */
			     "  lvs_sched sh\n"				    /* 2 */
			     "  sh-port\n"				    /* 3 */
			     "  sh-fallback\n"				    /* 4 */
			     "  flag-1\n"				    /* 5 */
			     "  flag-3\n"				    /* 6 */
			     "  lvs_method TUN type gue port 6080 csum\n"   /* 7 */
			     "  persistence_engine sip\n"		    /* 8 */
			     "  persistence_timeout 600\n"		    /* 9 */
			     "  persistence_granularity 255.255.255.0\n"    /* 10 */
			     "  protocol udp\n"				    /* 11 */
			     "  ops\n"					    /* 12 */
			     "  ha_suspend\n"				    /* 13 */
			     "  smtp_alert no\n"			    /* 14 */
			     "  virtualhost www.example.org\n"		    /* 15 */
			     "  snmp_name web\n"			    /* 16 */
			     "  alpha\n"				    /* 17 */
			     "  omega\n"				    /* 18 */
			     "  quorum 3\n"				    /* 19 */
			     "  hysteresis 1\n"				    /* 20 */
			     "  quorum_up \"/bin/up arg\" nobody nogroup\n" /* 21 */
			     "  quorum_down /bin/down\n"		    /* 22 */
			     "  ip_family inet\n"			    /* 23 */
			     "  sorry_server 198.18.1.1 8080\n"		    /* 24 */
			     "  sorry_server_inhibit\n"			    /* 25 */
			     "  sorry_server_lvs_method DR\n"		    /* 26 */
			     "  connect_timeout 2.5\n"			    /* 27 */
			     "  retry 4\n"				    /* 28 */
			     "  delay_before_retry 2\n"			    /* 29 */
			     "  warmup 0\n"				    /* 30 */
			     "  delay_loop 10\n"			    /* 31 */
			     "  inhibit_on_failure\n"			    /* 32 */
			     "  real_server 198.18.2.1 80 {\n"		    /* 33 */
			     "    weight 3\n"				    /* 34 */
			     "  }\n"
			     "}\n";

static void test_vs_full(void **state)
{
	(void)state;
	struct conf_model *m = ok(full_vs);
	struct conf_vs *vs = vs_n(m, 0);

	assert_int_equal(vs->kind, CONF_VS_ADDR);
	assert_string_equal(astr(&vs->addr), "198.18.0.10");
	assert_int_equal(vs->port, 80);
	assert_string_equal(conf_lvs_sched_names[vs->sched], "sh");
	assert_true(vs->sh_port && vs->sh_fallback && vs->flag_1 && vs->flag_3);
	assert_false(vs->flag_2);
	assert_int_equal(vs->fwd.method, CONF_FWD_TUN);
	assert_int_equal(vs->fwd.tun_type, CONF_TUN_GUE);
	assert_int_equal(vs->fwd.tun_port, 6080);
	assert_int_equal(vs->fwd.tun_csum, CONF_CSUM_CSUM);
	assert_string_equal(vs->persistence_engine, "sip");
	assert_int_equal(vs->persistence_timeout, 600);
	assert_int_equal(vs->persistence_granularity, 24);
	assert_int_equal(vs->pgran_family, AF_INET);
	assert_int_equal(vs->protocol, CONF_PROTO_UDP);
	assert_true(vs->ops && vs->ha_suspend && vs->alpha && vs->omega);
	assert_int_equal(vs->smtp_alert, 0);
	assert_string_equal(vs->virtualhost, "www.example.org");
	assert_string_equal(vs->snmp_name, "web");
	assert_int_equal(vs->quorum, 3);
	assert_int_equal(vs->hysteresis, 1);
	assert_string_equal(vs->quorum_up.cmd, "/bin/up arg");
	assert_string_equal(vs->quorum_up.user, "nobody");
	assert_string_equal(vs->quorum_up.group, "nogroup");
	assert_string_equal(vs->quorum_down.cmd, "/bin/down");
	assert_null(vs->quorum_down.user);
	assert_int_equal(vs->family, CONF_FAMILY_INET);
	assert_true(vs->sorry.set && vs->sorry.inhibit);
	/* DR cannot change the port: keepalived resets it, with a warning */
	assert_int_equal(vs->sorry.port, 80);
	assert_true(has_msg(false, 24, "sorry_server: port 8080 differs"));
	assert_int_equal(vs->sorry.fwd.method, CONF_FWD_DR);
	assert_int_equal(vs->connect_timeout, 2500000);
	assert_int_equal(vs->retry, 4);
	assert_int_equal(vs->delay_before_retry, 2 * US_PER_SEC);
	assert_int_equal(vs->warmup, 0);
	assert_int_equal(vs->delay_loop, 10 * US_PER_SEC);
	assert_true(vs->inhibit_on_failure);

	struct conf_rs *rs = rs_n(vs, 0);
	assert_int_equal(rs->weight, 3);
	/* inherited */
	assert_int_equal(rs->fwd.method, CONF_FWD_TUN);
	assert_int_equal(rs->delay_loop, 10 * US_PER_SEC);
	assert_int_equal(rs->connect_timeout, 2500000);
	assert_int_equal(rs->retry, 4);
	assert_int_equal(rs->alpha, 1);
	assert_int_equal(rs->inhibit_on_failure, 1);
	assert_string_equal(rs->virtualhost, "www.example.org");

	/* the dump runs over the whole model without trouble */
	struct json j;
	json_init(&j, false);
	conf_dump_json(m, &j);
	char *s = json_take(&j, NULL);
	assert_non_null(strstr(s, "\"lvs_method\":\"TUN type gue port 6080 csum\""));
	assert_non_null(strstr(s, "\"lvs_sched\":\"sh\""));
	free(s);
}

static void test_vs_defaults(void **state)
{
	(void)state;
	struct conf_model *m = ok("virtual_server 198.18.0.10 80 {\n"
				  "  real_server 198.18.2.1 {\n"
				  "  }\n"
				  "}\n");
	struct conf_vs *vs = vs_n(m, 0);
	struct conf_rs *rs = rs_n(vs, 0);

	assert_string_equal(conf_lvs_sched_names[vs->sched], "wlc");
	assert_int_equal(vs->fwd.method, CONF_FWD_NAT);
	/* keepalived 2.2.7: no protocol is UDP, with a warning */
	assert_int_equal(vs->protocol, CONF_PROTO_UDP);
	assert_true(has_msg(false, 1, "no protocol given; UDP"));
	assert_int_equal(vs->delay_loop, 60 * US_PER_SEC);
	assert_int_equal(vs->connect_timeout, 5 * US_PER_SEC);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(vs->persistence_timeout, 0);
	assert_int_equal(vs->smtp_alert, CONF_TRI_UNSET);
	assert_int_equal(rs->weight, 1);
	assert_int_equal(rs->port, 80); /* the virtual server's */
	assert_int_equal(rs->fwd.method, CONF_FWD_NAT);
	assert_int_equal(rs->alpha, 0);
	assert_int_equal(rs->inhibit_on_failure, 0);
}

static void test_vs_heads(void **state)
{
	(void)state;
	struct conf_model *m = ok("virtual_server fwmark 12 {\n"
				  "  real_server 198.18.2.1 80 {\n  }\n}\n"
				  "virtual_server fd00:198:18::10 443 {\n  protocol SCTP\n}\n"
				  "virtual_server 198.18.0.20 {\n  persistence_timeout\n}\n");

	assert_int_equal(vs_n(m, 0)->kind, CONF_VS_FWMARK);
	assert_int_equal(vs_n(m, 0)->fwmark, 12);
	assert_int_equal(vs_n(m, 0)->family, CONF_FAMILY_INET);
	assert_int_equal(vs_n(m, 1)->family, CONF_FAMILY_INET6);
	assert_int_equal(vs_n(m, 1)->protocol, CONF_PROTO_SCTP);
	assert_int_equal(vs_n(m, 2)->port, 0);
	assert_int_equal(vs_n(m, 2)->persistence_timeout, CONF_LVS_PERSIST_DEFAULT);

	err1("virtual_server fwmark 0 {\n}\n", 1, "out of range");
	err1("virtual_server fwmark 4294967296 {\n}\n", 1, "out of range");
	err1("virtual_server fwmark {\n}\n", 1, "needs exactly one mark");
	err1("virtual_server group {\n}\n", 1, "needs exactly one group name");
	err1("virtual_server 10.0.0.1 80 90 {\n}\n", 1, "ADDRESS [PORT]");
	err1("virtual_server 10.0.0.300 80 { protocol TCP\n}\n", 1, "is not an IP address");
	err1("virtual_server 10.0.0.1 65536 { protocol TCP\n}\n", 1, "out of range");
	/* keepalived 2.2.7 makes a port-less (or port 0) service persistent */
	warn1("virtual_server 10.0.0.1 { protocol TCP\n}\n", 1, "made persistent");
	assert_int_equal(vs_n(L.model, 0)->persistence_timeout, CONF_LVS_PERSIST_DEFAULT);
	warn1("virtual_server 10.0.0.1 0 { protocol TCP\n}\n", 1, "made persistent");
	assert_int_equal(vs_n(L.model, 0)->port, 0);
}

static void test_vs_aliases(void **state)
{
	(void)state;
	struct conf_model *m = ok("virtual_server 198.18.0.10 80 { protocol TCP\n"
				  "  lb_algo rr\n"
				  "  lb_kind DR\n"
				  "  real_server 198.18.2.1 80 {\n    lb_kind TUN\n  }\n"
				  "}\n");
	assert_string_equal(conf_lvs_sched_names[vs_n(m, 0)->sched], "rr");
	assert_int_equal(vs_n(m, 0)->fwd.method, CONF_FWD_DR);
	assert_int_equal(rs_n(vs_n(m, 0), 0)->fwd.method, CONF_FWD_TUN);
	assert_int_equal(rs_n(vs_n(m, 0), 0)->fwd.tun_type, CONF_TUN_IPIP);
}

#define VS_WRAP(body) "virtual_server 198.18.0.10 80 { protocol TCP\n" body "}\n"

static void test_vs_value_errors(void **state)
{
	(void)state;
	err1(VS_WRAP("  lvs_sched foo\n"), 2, "is not one of");
	err1(VS_WRAP("  lvs_method XYZ\n"), 2, "not a forwarding method");
	err1(VS_WRAP("  lvs_method NAT type ipip\n"), 2, "only TUN has a tunnel type");
	err1(VS_WRAP("  lvs_method TUN type gue\n"), 2, "gue needs 'port N'");
	err1(VS_WRAP("  lvs_method TUN type gue port 0\n"), 2, "out of range");
	err1(VS_WRAP("  lvs_method TUN type vxlan\n"), 2, "not a tunnel type");
	err1(VS_WRAP("  lvs_method TUN type ipip csum\n"), 2, "needs tunnel type gue or gre");
	err1(VS_WRAP("  lvs_method TUN type gre remcsum\n"), 2, "remcsum is not available");
	err1(VS_WRAP("  lvs_method TUN type gre nocsum extra\n"), 2, "unexpected 'extra'");
	err1(VS_WRAP("  persistence_timeout 0\n"), 2, "out of range");
	err1(VS_WRAP("  persistence_timeout 99999999\n"), 2, "out of range");
	err1(VS_WRAP("  persistence_granularity 255.0.255.0\n"), 2, "not contiguous");
	err1(VS_WRAP("  persistence_granularity 33\n"), 2, "prefix length 1-32");
	err1(VS_WRAP("  persistence_granularity 255.255.0.0.1\n"), 2, "not an IPv4 netmask");
	err1(VS_WRAP("  protocol ICMP\n"), 2, "is not one of");
	err1(VS_WRAP("  quorum 0\n"), 2, "out of range");
	err1(VS_WRAP("  ip_family ipx\n"), 2, "is not one of");
	err1(VS_WRAP("  delay_loop 0\n"), 2, "out of range");
	err1(VS_WRAP("  connect_timeout -1\n"), 2, "connect_timeout");
	err1(VS_WRAP("  smtp_alert maybe\n"), 2, "not a boolean");
	err1(VS_WRAP("  quorum_up\n"), 2, "needs a script");
	err1(VS_WRAP("  sorry_server 10.0.0.1 80 90\n"), 2, "address and optionally a port");
	err1(VS_WRAP("  persistence_engine ftp\n"), 2, "only sip");
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    weight 65536\n  }\n"), 3, "out of range");
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    weight -1\n  }\n"), 3, "weight");
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    uthreshold x\n  }\n"), 3, "uthreshold");
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    alpha perhaps\n  }\n"), 3,
	     "not a boolean");
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    notify_up a b c d\n  }\n"), 3,
	     "needs a script");
	err1(VS_WRAP("  real_server 198.18.2.1 80 81 {\n  }\n"), 2, "address and optionally");
	err1(VS_WRAP("  real_servr 198.18.2.1 80 {\n  }\n"), 2, "did you mean 'real_server'");
}

static void test_vs_block_rules(void **state)
{
	(void)state;
	err1(VS_WRAP("  sh-port\n"), 2, "sh-port needs lvs_sched sh, not wlc");
	err1(VS_WRAP("  lvs_sched rr\n  mh-fallback\n"), 3, "mh-fallback needs lvs_sched mh");
	ok(VS_WRAP("  lvs_sched mh\n  mh-port\n  mh-fallback\n"));
	err1(VS_WRAP("  sorry_server_inhibit\n"), 2, "without a sorry_server");
	err1(VS_WRAP("  sorry_server_lvs_method DR\n"), 2, "without a sorry_server");
	warn1(VS_WRAP("  ops\n"), 2, "only affects UDP");
	/* keepalived 2.2.7 lowers hysteresis below quorum, and quorum to the
	 * total weight */
	warn1(VS_WRAP("  quorum 2\n  hysteresis 2\n"), 1, "hysteresis 2 is not below quorum 2; set to 1");
	assert_int_equal(vs_n(L.model, 0)->hysteresis, 1);
	warn1(VS_WRAP("  quorum 5\n  real_server 198.18.2.1 80 {\n    weight 2\n  }\n"), 1,
	      "lowered to 2");
	assert_int_equal(vs_n(L.model, 0)->quorum, 2);
	warn1(VS_WRAP("  quorum 5\n  real_server 198.18.2.1 80 {\n    weight 0\n  }\n"), 1,
	      "never reached");
	assert_int_equal(vs_n(L.model, 0)->quorum, 5);
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    uthreshold 10\n    lthreshold 20\n  }\n"),
	     4, "lthreshold 20 is above uthreshold 10");
	warn1(VS_WRAP("  hashed\n"), 2, "obsolete");
	/* persistence_granularity alone makes the service persistent */
	struct conf_model *m = ok(VS_WRAP("  persistence_granularity 24\n"));
	assert_int_equal(vs_n(m, 0)->persistence_timeout, CONF_LVS_PERSIST_DEFAULT);
}

static void test_vs_families(void **state)
{
	(void)state;
	err1(VS_WRAP("  real_server fd00::1 80 {\n  }\n"), 2, "is IPv6 but virtual_server");
	ok(VS_WRAP("  real_server fd00::1 80 {\n    lvs_method TUN\n  }\n"));
	err1(VS_WRAP("  sorry_server fd00::1 80\n"), 2, "sorry_server: is IPv6");
	ok(VS_WRAP("  sorry_server fd00::1 80\n  sorry_server_lvs_method TUN\n"));
	err1(VS_WRAP("  ip_family inet6\n"), 1, "ip_family says IPv6");
	err1("virtual_server fd00::10 80 { protocol TCP\n  persistence_granularity 255.255.255.0\n}\n", 1,
	     "persistence_granularity is an IPv4 mask but the service is IPv6");
	err1("virtual_server fd00::10 80 { protocol TCP\n  persistence_granularity 129\n}\n", 2,
	     "prefix length 1-128");
	struct conf_model *m6 =
		ok("virtual_server fd00::10 80 { protocol TCP\n  persistence_granularity 64\n}\n");
	assert_int_equal(vs_n(m6, 0)->persistence_granularity, 64);
	assert_int_equal(vs_n(m6, 0)->pgran_family, AF_INET6);
	/* fwmark: family from the real servers, or ip_family */
	struct conf_model *m = ok("virtual_server fwmark 1 {\n"
				  "  real_server fd00::1 80 {\n  }\n}\n");
	assert_int_equal(vs_n(m, 0)->family, CONF_FAMILY_INET6);
	m = ok("virtual_server fwmark 1 {\n  lvs_method TUN\n  ip_family inet6\n"
	       "  real_server 10.0.0.1 80 {\n  }\n}\n");
	assert_int_equal(vs_n(m, 0)->family, CONF_FAMILY_INET6);
	m = ok("virtual_server fwmark 1 {\n  lvs_method TUN\n"
	       "  real_server 10.0.0.1 80 {\n  }\n  real_server fd00::1 80 {\n  }\n}\n");
	assert_int_equal(vs_n(m, 0)->family, CONF_FAMILY_INET);
	err1("virtual_server fwmark 1 {\n  real_server 10.0.0.1 80 {\n  }\n"
	     "  real_server fd00::1 80 {\n  }\n}\n",
	     4, "is IPv6 but virtual_server fwmark 1 is IPv4");
}

static void test_duplicates(void **state)
{
	(void)state;
	err1(VS_WRAP("") VS_WRAP(""), 3, "defined twice (first at t.conf:1)");
	ok(VS_WRAP("") VS_WRAP("  protocol UDP\n"));
	err1("virtual_server fwmark 3 {\n}\nvirtual_server fwmark 3 {\n}\n", 3, "defined twice");
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n  }\n  real_server 198.18.2.1 80 {\n  }\n"), 4,
	     "duplicate in virtual_server");
	/* omitted port = the virtual server's port */
	err1(VS_WRAP("  real_server 198.18.2.1 {\n  }\n  real_server 198.18.2.1 80 {\n  }\n"), 4,
	     "duplicate");
	ok(VS_WRAP("  real_server 198.18.2.1 80 {\n  }\n  real_server 198.18.2.1 81 {\n  }\n"));
}

/* Overlaps only group expansion shows: every one is a service the kernel
 * would hold once, so each is an error naming both declarations. */
#define GA "virtual_server_group A {\n  10.0.0.1-10 80\n}\n" /* 1-3 */
#define GB(e) "virtual_server_group B {\n  " e "\n}\n"	     /* 4-6 */
#define USE_A "virtual_server group A { protocol TCP\n}\n"
#define USE_B "virtual_server group B { protocol TCP\n}\n"

static void test_overlaps(void **state)
{
	(void)state;
	/* two groups with the same address, both used */
	err1(GA GB("10.0.0.3 80") USE_A USE_B, 5,
	     "virtual_server_group B entry 10.0.0.3 80 (used by virtual_server group B, TCP, at "
	     "line 9): the service TCP 10.0.0.3 port 80 is already declared by "
	     "virtual_server_group A entry 10.0.0.1-10.0.0.10 80 (used by virtual_server group A, "
	     "TCP, at line 7) at t.conf:2");
	/* ... but another protocol, port, an unused group, or past the range: fine */
	ok(GA GB("10.0.0.3 80") USE_A "virtual_server group B {\n  protocol UDP\n}\n");
	ok(GA GB("10.0.0.3 81") USE_A USE_B);
	ok(GA GB("10.0.0.3 80") USE_A);
	ok(GA GB("10.0.0.11 80") USE_A USE_B);
	/* both ends of a range count */
	err1(GA GB("10.0.0.10 80") USE_A USE_B, 5, "TCP 10.0.0.10 port 80");
	err1(GA GB("10.0.0.1 80") USE_A USE_B, 5, "TCP 10.0.0.1 port 80");
	/* a range over a range: one error, at the first shared address */
	err1(GA GB("10.0.0.8-20 80") USE_A USE_B, 5,
	     "entry 10.0.0.8-10.0.0.20 80 (used by virtual_server group B, TCP, at line 9): the "
	     "service TCP 10.0.0.8 port 80 is already declared by virtual_server_group A");
	/* the group declared later than the plain virtual_server: the entry is the error */
	err1("virtual_server 10.0.0.5 80 { protocol TCP\n}\n" GB("10.0.0.1-9 80") USE_B, 4,
	     "service TCP 10.0.0.5 port 80 is already declared by virtual_server 10.0.0.5 80 at "
	     "t.conf:1");
	/* a range covering a plain virtual_server's address */
	err1(GA USE_A "virtual_server 10.0.0.5 80 { protocol TCP\n}\n", 6,
	     "virtual_server 10.0.0.5 80: the service TCP 10.0.0.5 port 80 is already declared "
	     "by virtual_server_group A entry 10.0.0.1-10.0.0.10 80");
	ok(GA USE_A "virtual_server 10.0.0.5 80 {\n  protocol UDP\n}\n");
	/* inside one group: a range and an address in it */
	err1("virtual_server_group A {\n  10.0.0.1-10 80\n  10.0.0.5 80\n}\n" USE_A, 3,
	     "entry 10.0.0.5 80 (used by virtual_server group A, TCP, at line 5): the service "
	     "TCP 10.0.0.5 port 80 is already declared by virtual_server_group A entry "
	     "10.0.0.1-10.0.0.10 80");
	/* the same entry twice in a group: the parser's one error, not two */
	err1("virtual_server_group A {\n  10.0.0.1 80\n  10.0.0.1 80\n}\n" USE_A, 3,
	     "duplicate entry");
	/* one group used twice (same protocol): one error however many entries */
	err1("virtual_server_group A {\n  10.0.0.1 80\n  10.0.0.2 80\n  fwmark 4\n}\n" USE_A USE_A,
	     8, "virtual_server group A: defined twice (first at t.conf:6)");
	/* a group's fwmark entry used by a TCP and a UDP virtual_server */
	err1("virtual_server_group A {\n  fwmark 5\n}\n" USE_A
	     "virtual_server group A {\n  protocol UDP\n}\n",
	     6, "defined twice (first at t.conf:4)");
	/* a fwmark in a group and as a virtual_server */
	err1("virtual_server_group A {\n  fwmark 5\n}\n" USE_A "virtual_server fwmark 5 {\n}\n", 6,
	     "virtual_server fwmark 5: the service fwmark 5 (IPv4) is already declared by "
	     "virtual_server_group A entry fwmark 5 (used by virtual_server group A at line 4) at "
	     "t.conf:2");
	/* ... of another family: two services */
	ok("virtual_server_group A {\n  fwmark 5 inet6\n}\n" USE_A
	   "virtual_server fwmark 5 {\n}\n");
	/* IPv6 ranges (the last 16 bits) */
	err1("virtual_server_group A {\n  fd00::1-ff 80\n}\n" USE_A
	     "virtual_server fd00::80 80 { protocol TCP\n}\n",
	     6, "TCP fd00::80 port 80 is already declared");
	ok("virtual_server_group A {\n  fd00::1-ff 80\n}\n" USE_A
	   "virtual_server fd00::100 80 { protocol TCP\n}\n");
}

/* 10,000 virtual_servers x 4 real servers: the duplicate checks must not
 * be quadratic (they were; this took seconds). */
static void test_many_services(void **state)
{
	size_t cap = 10000 * 200 + 64, len = 0;
	char *t = malloc(cap);

	(void)state;
	assert_non_null(t);
	for (unsigned i = 0; i < 10000; i++) {
		len += (size_t)snprintf(t + len, cap - len, "virtual_server 10.%u.%u.1 80 { protocol TCP\n",
					i / 250, i % 250);
		for (unsigned r = 1; r <= 4; r++)
			len += (size_t)snprintf(t + len, cap - len,
						"  real_server 10.255.0.%u 80 {\n  }\n", r);
		len += (size_t)snprintf(t + len, cap - len, "}\n");
	}
	/* the last one repeats the first */
	len += (size_t)snprintf(t + len, cap - len, "virtual_server 10.0.0.1 80 { protocol TCP\n}\n");
	assert_true(len < cap);
	err1(t, 10000 * 10 + 1, "defined twice (first at t.conf:1)");
	free(t);
}

static void test_rs_full(void **state)
{
	(void)state;
	struct conf_model *m = ok(VS_WRAP("  real_server 198.18.2.1 8080 {\n"
					  "    weight 0\n"
					  "    lvs_method TUN type gre nocsum\n"
					  "    notify_up /bin/up\n"
					  "    notify_down \"/bin/down x\" root\n"
					  "    uthreshold 100\n"
					  "    lthreshold 10\n"
					  "    smtp_alert\n"
					  "    virtualhost rs.example\n"
					  "    snmp_name rs1\n"
					  "    alpha false\n"
					  "    connect_timeout 1\n"
					  "    retry 0\n"
					  "    delay_before_retry 0.5\n"
					  "    warmup 3\n"
					  "    delay_loop 7\n"
					  "    inhibit_on_failure yes\n"
					  "  }\n"));
	struct conf_rs *rs = rs_n(vs_n(m, 0), 0);

	/* TUN cannot change the port: keepalived resets it, with a warning */
	assert_int_equal(rs->port, 80);
	assert_true(has_msg(false, 2, "port 8080 differs from virtual_server"));
	assert_int_equal(rs->weight, 0);
	assert_int_equal(rs->fwd.method, CONF_FWD_TUN);
	assert_int_equal(rs->fwd.tun_type, CONF_TUN_GRE);
	assert_int_equal(rs->fwd.tun_csum, CONF_CSUM_NONE);
	assert_string_equal(rs->notify_up.cmd, "/bin/up");
	assert_string_equal(rs->notify_down.cmd, "/bin/down x");
	assert_string_equal(rs->notify_down.user, "root");
	assert_int_equal(rs->uthreshold, 100);
	assert_int_equal(rs->lthreshold, 10);
	assert_int_equal(rs->smtp_alert, 1);
	assert_string_equal(rs->virtualhost, "rs.example");
	assert_string_equal(rs->snmp_name, "rs1");
	assert_int_equal(rs->alpha, 0);
	assert_int_equal(rs->connect_timeout, US_PER_SEC);
	assert_int_equal(rs->retry, 0);
	assert_int_equal(rs->delay_before_retry, 500000);
	assert_int_equal(rs->warmup, 3 * US_PER_SEC);
	assert_int_equal(rs->delay_loop, 7 * US_PER_SEC);
	assert_int_equal(rs->inhibit_on_failure, 1);
}

static void test_unsupported(void **state)
{
	(void)state;
	err1(VS_WRAP("  real_server 198.18.2.1 80 {\n    BFD_CHECK {\n      name b1\n    }\n  }\n"),
	     3, "recognised but not supported by vigil");
}

static void test_ssl_block(void **state)
{
	(void)state;
	struct conf_model *m = ok("SSL {\n  password secret\n  ca /etc/ca.pem\n"
				  "  certificate /etc/c.pem\n  key /etc/k.pem\n}\n");

	assert_true(m->lvs.ssl.configured);
	assert_string_equal(m->lvs.ssl.password, "secret");
	assert_string_equal(m->lvs.ssl.ca, "/etc/ca.pem");
	assert_string_equal(m->lvs.ssl.certificate, "/etc/c.pem");
	assert_string_equal(m->lvs.ssl.key, "/etc/k.pem");
	m = ok("! nothing\n");
	assert_false(m->lvs.ssl.configured);
	err1("SSL {\n  cert /x\n}\n", 2, "unknown keyword 'cert'");
}

/* ---- keepalived's samples ---- */

#define SAMPLES "/usr/share/doc/keepalived/samples/"

/* Marks the lines of a file that belong to a top-level virtual_server,
 * virtual_server_group or SSL block (the part of the language tested here;
 * global_defs and vrrp_* are other tests' business). */
static void lvs_lines(const char *path, bool *in, unsigned max)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned n = 0;
	int depth = 0;
	bool lvs = false;

	memset(in, 0, max * sizeof(*in));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && ++n < max) {
		char *p = line, word[64] = "";

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '!' || *p == '#')
			continue;
		if (depth == 0 && sscanf(p, "%63s", word) == 1)
			lvs = !strcmp(word, "virtual_server") ||
			      !strcmp(word, "virtual_server_group") || !strcmp(word, "SSL");
		in[n] = lvs;
		for (; *p && *p != '!' && *p != '#'; p++)
			depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
	}
	fclose(f);
}

static void test_samples(void **state)
{
	static const char *const files[] = {
		"keepalived.conf.HTTP_GET.port", "keepalived.conf.IPv6",
		"keepalived.conf.PING_CHECK",	 "keepalived.conf.SMTP_CHECK",
		"keepalived.conf.SSL_GET",	 "keepalived.conf.UDP_CHECK",
		"keepalived.conf.fwmark",	 "keepalived.conf.inhibit",
		"keepalived.conf.misc_check",	 "keepalived.conf.misc_check_arg",
		"keepalived.conf.quorum",	 "keepalived.conf.sample",
		"keepalived.conf.status_code",	 "keepalived.conf.virtual_server_group",
		"keepalived.conf.virtualhost",	 "keepalived.conf.vrrp.lvs_syncd",
	};
	static bool in[4096];

	(void)state;
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct conf_options o = { .flags = CONF_NO_INCLUDE };
		char path[256];
		FILE *f;

		snprintf(path, sizeof(path), SAMPLES "%s", files[i]);
		/* The keepalived package is one of scripts/install-deps': a
		 * missing sample is a machine set up wrong, not a skip. */
		f = fopen(path, "r");
		if (!f)
			fail_msg("%s: %s (install keepalived: scripts/install-deps)", path,
				 strerror(errno));
		fclose(f);
		conf_load_free(&L);
		conf_load_file(path, &o, &L);
		lvs_lines(path, in, sizeof(in) / sizeof(in[0]));
		for (const struct conf_msg *m = L.msgs; m; m = m->next) {
			if (!m->is_error)
				continue;
			if (m->loc.line >= sizeof(in) / sizeof(in[0]) || !in[m->loc.line])
				continue;
			/* Only refusals of what vigil does not do are acceptable. */
			if (strstr(m->text, "not supported by vigil"))
				continue;
			fprintf(stderr, "%s:%u: %s\n", m->loc.file, m->loc.line, m->text);
			fail_msg("sample %s gives an unexpected error", files[i]);
		}
	}
}

/* The header's inline sample (the one from keepalived.conf.sample), for
 * machines without the keepalived package. */
static void test_inline_sample(void **state)
{
	(void)state;
	struct conf_model *m = ok("virtual_server 10.10.10.2 1358 {\n"
				  "    delay_loop 6\n"
				  "    lb_algo rr \n"
				  "    lb_kind NAT\n"
				  "    persistence_timeout 50\n"
				  "    protocol TCP\n"
				  "    sorry_server 192.168.200.200 1358\n"
				  "    real_server 192.168.200.2 1358 {\n"
				  "        weight 1\n"
				  "        HTTP_GET {\n"
				  "            url { \n"
				  "              path /testurl/test.jsp\n"
				  "              digest 640205b7b0fc66c1ea91c463fac6334d\n"
				  "            }\n"
				  "            url { \n"
				  "              path /testurl2/test.jsp\n"
				  "              digest 640205b7b0fc66c1ea91c463fac6334d\n"
				  "            }\n"
				  "            connect_timeout 3\n"
				  "            retry 3\n"
				  "            delay_before_retry 3\n"
				  "        }\n"
				  "    }\n"
				  "}\n");
	assert_int_equal(vs_n(m, 0)->real_servers.count, 1);
}

static int teardown(void **state)
{
	(void)state;
	conf_load_free(&L);
	memset(&L, 0, sizeof(L));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vsg_entries, teardown),
		cmocka_unit_test_teardown(test_vsg_v6, teardown),
		cmocka_unit_test_teardown(test_vsg_errors, teardown),
		cmocka_unit_test_teardown(test_vsg_references, teardown),
		cmocka_unit_test_teardown(test_vs_full, teardown),
		cmocka_unit_test_teardown(test_vs_defaults, teardown),
		cmocka_unit_test_teardown(test_vs_heads, teardown),
		cmocka_unit_test_teardown(test_vs_aliases, teardown),
		cmocka_unit_test_teardown(test_vs_value_errors, teardown),
		cmocka_unit_test_teardown(test_vs_block_rules, teardown),
		cmocka_unit_test_teardown(test_vs_families, teardown),
		cmocka_unit_test_teardown(test_duplicates, teardown),
		cmocka_unit_test_teardown(test_overlaps, teardown),
		cmocka_unit_test_teardown(test_many_services, teardown),
		cmocka_unit_test_teardown(test_rs_full, teardown),
		cmocka_unit_test_teardown(test_unsupported, teardown),
		cmocka_unit_test_teardown(test_ssl_block, teardown),
		cmocka_unit_test_teardown(test_samples, teardown),
		cmocka_unit_test_teardown(test_inline_sample, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
