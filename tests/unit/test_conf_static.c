/* SPDX-License-Identifier: GPL-2.0-or-later */
/* static_ipaddress, static_routes, static_rules, track_group and
 * interface_up_down_delays; the address/route/rule entry syntax shared with
 * virtual_ipaddress, virtual_routes and virtual_rules. */
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

static char buf[4096];

/* "<kw> {\n<entry>\n}\n": the entry is on line 2. */
static const char *blk(const char *kw, const char *entry)
{
	snprintf(buf, sizeof(buf), "%s {\n%s\n}\n", kw, entry);
	return buf;
}

static const char *addr(const char *e)
{
	return blk("static_ipaddress", e);
}

static const char *route(const char *e)
{
	return blk("static_routes", e);
}

static const char *rule(const char *e)
{
	return blk("static_rules", e);
}

static void test_addresses(void **state)
{
	struct conf_model *m;
	const struct conf_vip *v;
	char a[CONF_ADDRSTRLEN];

	(void)state;
	m = ok("track_group TG {\n group { VI_1 }\n}\n"
	       "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n"
	       "static_ipaddress {\n"
	       "  198.18.0.1/24 brd 198.18.0.255 dev eth1 scope link label eth1:a "
	       "noprefixroute autojoin track_group TG\n"
	       "  198.18.0.2/24 brd + dev eth1\n"
	       "  fd00:198:18::1/64 dev eth1 home -nodad mngtmpaddr preferred_lft forever\n"
	       "  fd00:198:18::2 peer fd00:198:18::3/128 preferred_lft 30\n"
	       "}\n");
	assert_int_equal(m->vrrp.static_addresses.count, 4);
	v = (const void *)m->vrrp.static_addresses.head;
	assert_string_equal(conf_prefix_str(&v->addr, a), "198.18.0.1/24");
	assert_int_equal(v->brd_mode, CONF_BRD_ADDR);
	assert_string_equal(conf_addr_str(&v->brd, a), "198.18.0.255");
	assert_string_equal(v->dev, "eth1");
	assert_string_equal(conf_scope_names[v->scope], "link");
	assert_string_equal(v->label, "eth1:a");
	assert_true(v->noprefixroute);
	assert_true(v->autojoin);
	assert_string_equal(v->track_group, "TG");
	assert_int_equal(v->preferred_lft, CONF_LFT_UNSET);
	v = (const void *)v->hdr.next;
	assert_int_equal(v->brd_mode, CONF_BRD_SET);
	v = (const void *)v->hdr.next;
	assert_true(v->home && v->nodad && v->mngtmpaddr);
	assert_int_equal(v->preferred_lft, CONF_LFT_FOREVER);
	v = (const void *)v->hdr.next;
	assert_string_equal(conf_prefix_str(&v->peer, a), "fd00:198:18::3/128");
	assert_int_equal(v->preferred_lft, 30);
}

static void test_address_errors(void **state)
{
	(void)state;
	err1(addr("198.18.0.300"), 2, "198.18.0.300");
	err1(addr("198.18.0.1/33"), 2, "198.18.0.1/33");
	err1(addr("198.18.0.1 brd fd00::1 dev eth0"), 2,
	     "brd fd00::1 is IPv6 but the entry is IPv4");
	err1(addr("fd00:198:18::1 brd +"), 2, "IPv6 addresses have no broadcast address");
	err1(addr("198.18.0.1 dev"), 2, "'dev' needs a value");
	err1(addr("198.18.0.1 dev toolonginterfacename"), 2, "dev 'toolonginterfacename'");
	err1(addr("198.18.0.1 scope galaxy"), 2,
	     "'galaxy' is not one of global|site|link|host|nowhere");
	err1(addr("198.18.0.1 dev eth0 label eth0:0123456789abc"), 2, "1 to 15 characters");
	err1(addr("fd00::1 label x"), 2, "labels exist only for IPv4");
	err1(addr("198.18.0.1 home"), 2, "'home' applies only to IPv6");
	err1(addr("198.18.0.1 peer fd00::2"), 2, "peer fd00::2 is IPv6");
	err1(addr("198.18.0.1 preferred_lft soon"), 2, "preferred_lft 'soon'");
	err1(addr("198.18.0.1 use_vmac"), 2, "use_vmac applies only");
	assert_true(((const struct conf_vip *)ok(addr("198.18.0.1 dev eth0 no_track"))
			     ->vrrp.static_addresses.head)
			    ->no_track);
	err1(addr("198.18.0.1 dve eth0"), 2, "unknown option 'dve'; did you mean 'dev'?");
	err1(addr("198.18.0.1 track_group NOPE"), 2, "refers to track_group 'NOPE'");
	err1(addr("198.18.0.1 dev eth0 label eth1:x"), 2,
	     "label 'eth1:x' must begin with the interface name 'eth0'");
	/* default_interface names the device when dev is not given */
	err1(addr("198.18.0.1 label foo:1"), 2, "must begin with the interface name 'eth0'");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " virtual_ipaddress {\n  198.18.0.1 track_group TG\n }\n}\n",
	     5, "track_group applies only to static_ipaddress entries");
	err1("static_ipaddress {\n 198.18.0.1 {\n }\n}\n", 2, "unexpected block");
	err1("static_ipaddress 198.18.0.1\n", 1, "needs a { ... } block");
}

static void test_vip_options(void **state)
{
	const struct conf_vrrp_instance *v;
	const struct conf_vip *e;

	(void)state;
	v = (const void *)ok(
		    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
		    " virtual_ipaddress {\n  198.18.0.1/32 dev eth2 use_vmac no_track\n }\n"
		    "}\n")
		    ->vrrp.instances.head;
	e = (const void *)v->vips.head;
	assert_true(e->use_vmac);
	assert_true(e->no_track);
	assert_string_equal(e->dev, "eth2");
	warn1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	      " virtual_ipaddress {\n  198.18.0.1\n  198.18.0.1/24\n }\n}\n",
	      6, "already listed at line 5");
}

static void test_routes(void **state)
{
	struct conf_model *m;
	const struct conf_route *r;
	char a[CONF_ADDRSTRLEN];

	(void)state;
	m = ok("track_group G1 {\n group { VI_1 }\n}\n"
	       "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n"
	       "static_routes {\n"
	       "  198.18.2.0/24 via 198.18.1.100 dev eth0 track_group G1\n"
	       "  src 198.18.1.1 198.18.9.0/24 via 198.18.1.254 or 198.18.1.253 dev eth1 "
	       "table 100 metric 5 scope link tos 0x04 protocol bird onlink\n"
	       "  198.18.100.0/24 table 6909 nexthop via 198.18.101.1 dev wlan0 onlink weight 1 "
	       "nexthop via 198.18.101.2 dev wlan0 weight 2\n"
	       "  198.18.200.0/24 dev p33p1.2 mtu lock 1000 advmss 101 window 7\n"
	       "  blackhole 198.18.114.0/24\n"
	       "  fd00:198:18::/64 via fd00:198:18:1::1 dev eth0 append\n"
	       "  default via 198.18.0.1 table main\n"
	       "  to unreachable 198.18.3.0/24\n"
	       "}\n");
	assert_int_equal(m->vrrp.static_routes.count, 8);
	r = (const void *)m->vrrp.static_routes.head;
	assert_string_equal(conf_prefix_str(&r->dst, a), "198.18.2.0/24");
	assert_string_equal(conf_addr_str(&r->via, a), "198.18.1.100");
	assert_string_equal(r->track_group, "G1");
	assert_false(r->no_track);
	r = (const void *)r->hdr.next;
	assert_string_equal(conf_addr_str(&r->src, a), "198.18.1.1");
	assert_string_equal(conf_prefix_str(&r->dst, a), "198.18.9.0/24");
	/* "via A or B" is the multipath route A, B (keepalived 2.2.7) */
	assert_int_equal(r->via.family, 0);
	assert_int_equal(r->n_nexthops, 2);
	assert_string_equal(conf_addr_str(&r->nexthops[0].via, a), "198.18.1.254");
	assert_string_equal(conf_addr_str(&r->nexthops[1].via, a), "198.18.1.253");
	assert_string_equal(r->table, "100");
	assert_true(r->has_metric);
	assert_int_equal(r->metric, 5);
	assert_int_equal(r->tos, 4);
	assert_string_equal(r->protocol, "bird");
	assert_true(r->onlink);
	r = (const void *)r->hdr.next;
	assert_int_equal(r->n_nexthops, 2);
	assert_int_equal(r->nexthops[1].weight, 2);
	assert_true(r->nexthops[0].onlink);
	r = (const void *)r->hdr.next;
	assert_int_equal(r->opts.n, 7);
	assert_string_equal(r->opts.v[0], "mtu");
	assert_string_equal(r->opts.v[1], "lock");
	assert_string_equal(r->opts.v[2], "1000");
	r = (const void *)r->hdr.next;
	assert_string_equal(conf_route_type_names[r->type], "blackhole");
	r = (const void *)r->hdr.next;
	assert_int_equal(r->family, AF_INET6);
	assert_true(r->append);
	r = (const void *)r->hdr.next;
	assert_int_equal(r->dst.len, 0);
	r = (const void *)r->hdr.next;
	assert_string_equal(conf_route_type_names[r->type], "unreachable");
	/* keepalived: a route without dev cannot be tracked; warned, no_track */
	warn1(route("blackhole 198.18.114.0/24"), 2, "a route without dev cannot be tracked");
	assert_true(((const struct conf_route *)L.model->vrrp.static_routes.head)->no_track);
}

static void test_route_errors(void **state)
{
	(void)state;
	err1(route("via 198.18.0.1"), 2, "the route has no destination");
	err1(route("198.18.0.0/24 via fd00::1"), 2, "via fd00::1 is IPv6 but the entry is IPv4");
	err1(route("src fd00::9 198.18.0.0/24 dev eth0"), 2, "mix IPv4 and IPv6");
	err1(route("198.18.0.0/24 or 198.18.1.1 dev eth0"), 2, "'or' needs a 'via'");
	err1(route("blackhole 198.18.0.0/24 via 198.18.1.1"), 2, "cannot have a gateway");
	err1(route("198.18.0.0/24 metric -1 dev eth0"), 2, "metric '-1'");
	err1(route("198.18.0.0/24 tos 256 dev eth0"), 2, "tos '256'");
	err1(route("198.18.0.0/24 dev eth0 mtu big"), 2, "mtu 'big' is not a number");
	err1(route("198.18.0.0/24 dev eth0 mtu"), 2, "needs a value after 'mtu'");
	err1(route("198.18.0.0/24 dev eth0 rtt 1m"), 2, "rtt '1m' is not a time");
	err1(route("198.18.0.0/24 dev eth0 rto_min 1.5ms"), 2, "rto_min '1.5ms' is not a time");
	err1(route("198.18.0.0/24 dev eth0 rtt 960001"), 2, "rtt '960001' is not a time");
	err1(route("198.18.0.0/24 dev eth0 features sack"), 2, "features 'sack' is not 'ecn'");
	err1(route("198.18.0.0/24 dev eth0 quickack 2"), 2, "quickack '2' is not 0 or 1");
	err1(route("198.18.0.0/24 dev eth0 quickack lock 1"), 2, "'quickack' has no 'lock' form");
	err1(route("198.18.0.0/24 dev eth0 pref high"), 2, "'pref' is only valid for IPv6");
	err1(route("198.18.0.0/24 dev eth0 expires 5"), 2, "'expires' is only valid for IPv6");
	err1(route("fd00::/64 dev eth0 realms 5"), 2, "'realms' is only valid for IPv4");
	err1(route("fd00::/64 dev eth0 pref urgent"), 2, "pref 'urgent' is not low, medium");
	err1(route("198.18.0.0/24 dev eth0 realms 1/no_such_realm"), 2,
	     "realms '1/no_such_realm' is not [FROM/]TO");
	err1(route("198.18.0.0/24 dev eth0 ttl-propagate on"), 2, "is not enabled or disabled");
	err1(route("198.18.0.0/24 dev eth0 congctl a_name_far_too_long"), 2,
	     "is not a congestion control name");
	warn1(route("198.18.0.0/24 dev eth0 rttvar 10"), 2,
	      "rttvar 10 is outside 200ms-120s; 800 is used");
	err1(route("198.18.0.0/24 table 99999999999 dev eth0"), 2, "table '99999999999'");
	/* Names the daemon would fail to resolve are refused at load (-t). */
	err1(route("198.18.0.0/24 table no_such_table dev eth0"), 2,
	     "table 'no_such_table' is not a table number or a name in /etc/iproute2/rt_tables");
	err1(route("198.18.0.0/24 protocol no_such_proto dev eth0"), 2,
	     "protocol 'no_such_proto' is not a number 0-255 or a name in");
	err1(route("198.18.0.0/24 protocol 256 dev eth0"), 2, "protocol '256'");
	/* keepalived 2.2.7 reads no lock for these four. */
	err1(route("198.18.0.0/24 dev eth0 window lock 5"), 2, "'window' has no 'lock' form");
	err1(route("198.18.0.0/24 dev eth0 initcwnd lock 5"), 2, "'initcwnd' has no 'lock' form");
	err1(route("198.18.0.0/24 dev eth0 initrwnd lock 5"), 2, "'initrwnd' has no 'lock' form");
	err1(route("198.18.0.0/24 dev eth0 hoplimit lock 5"), 2, "'hoplimit' has no 'lock' form");
	warn1(route("198.18.0.0/24 dev eth0 congctl nosuchcc"), 2,
	      "congctl 'nosuchcc' is not in /proc/sys/net/ipv4/tcp_available_congestion_control");
	err1(route("198.18.0.0/24 nexthop weight 3"), 2, "nexthop needs 'via ADDRESS' or 'dev");
	err1(route("198.18.0.0/24 nexthop via 198.18.1.1 weight 300"), 2, "weight '300'");
	err1(route("198.18.0.0/24 via 198.18.1.1 dve eth0"), 2, "did you mean 'dev'?");
	err1(route("198.18.0.0/24 198.18.1.0/24"), 2, "unknown option '198.18.1.0/24'");
	err1(route("198.18.0.0/24 inet6 dev eth0"), 2, "is IPv4 but 'inet6' is given");
	/* keepalived reads no_track on static entries too: not put back. */
	assert_true(((const struct conf_route *)ok(route("198.18.0.0/24 dev eth0 no_track"))
			     ->vrrp.static_routes.head)
			    ->no_track);
	err1(route("198.18.0.0/24 dev eth0 track_group X"), 2, "refers to track_group 'X'");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " virtual_routes {\n  198.18.0.0/24 dev eth0 track_group X\n }\n}\n",
	     5, "track_group applies only to static_routes entries");
}

static void test_rules(void **state)
{
	struct conf_model *m;
	const struct conf_rule *r;
	char a[CONF_ADDRSTRLEN];

	(void)state;
	m = ok("static_rules {\n"
	       "  from 198.18.2.0/24 table 1\n"
	       "  from 198.18.28.0/24 to 198.18.29.0/26 table local iif p33p1 oif wlan0 tos 22 "
	       "fwmark 24/12 preference 39 realms 30/20\n"
	       "  to fd00:1::/112 from fd00:2::/96 table 6908 uidrange 10000-19999\n"
	       "  to fd00:1::/112 from fd00:3::/96 l3mdev protocol 12 ip_proto UDP sport 10-20 "
	       "dport 20-30\n"
	       "  not from all goto 40 priority 10\n"
	       "  from 198.18.0.0/16 blackhole\n"
	       "  inet6 from all lookup 5 suppress_prefixlength 0\n"
	       "}\n");
	assert_int_equal(m->vrrp.static_rules.count, 7);
	r = (const void *)m->vrrp.static_rules.head;
	assert_string_equal(conf_prefix_str(&r->from, a), "198.18.2.0/24");
	assert_string_equal(r->table, "1");
	assert_int_equal(r->family, AF_INET);
	r = (const void *)r->hdr.next;
	assert_string_equal(r->iif, "p33p1");
	assert_string_equal(r->oif, "wlan0");
	assert_int_equal(r->tos, 22);
	assert_true(r->has_fwmark);
	assert_int_equal(r->fwmark, 24);
	assert_int_equal(r->fwmask, 12);
	assert_int_equal(r->preference, 39);
	r = (const void *)r->hdr.next;
	assert_int_equal(r->family, AF_INET6);
	r = (const void *)r->hdr.next;
	assert_true(r->l3mdev);
	r = (const void *)r->hdr.next;
	assert_true(r->not_);
	assert_int_equal(r->goto_target, 40);
	assert_string_equal(conf_rule_action_names[r->action], "goto");
	r = (const void *)r->hdr.next;
	assert_string_equal(conf_rule_action_names[r->action], "blackhole");
	r = (const void *)r->hdr.next;
	assert_int_equal(r->family, AF_INET6);
}

static void test_rule_errors(void **state)
{
	(void)state;
	err1(rule("from 198.18.0.0/24"), 2, "the rule has no action");
	err1(rule("from 198.18.0.0/24 to fd00::/64 table 1"), 2,
	     "to fd00::/64 is IPv6 but the entry is IPv4");
	err1(rule("inet6 from 198.18.0.0/24 table 1"), 2, "is IPv4 but the entry is IPv6");
	err1(rule("from 198.18.0.0/24 table 1 fwmark 1/x"), 2, "fwmark '1/x'");
	err1(rule("from 198.18.0.0/24 table no_such_table"), 2,
	     "table 'no_such_table' is not a table number or a name");
	err1(rule("from 198.18.0.0/24 lookup no_such_table"), 2, "lookup 'no_such_table'");
	err1(rule("from 198.18.0.0/24 table 1 protocol no_such_proto"), 2,
	     "protocol 'no_such_proto' is not a number 0-255 or a name in");
	err1(rule("from 198.18.0.0/24 table 1 ip_proto no_such_proto"), 2,
	     "ip_proto 'no_such_proto' is not a number 0-255 or a protocol name");
	err1(rule("from 198.18.0.0/24 table 1 ip_proto 256"), 2, "ip_proto '256'");
	err1(rule("from fd00::/64 table 1 realms 5"), 2, "realms is only valid for IPv4 rules");
	err1(rule("table 1 realms 5 to fd00::/64"), 2, "realms is only valid for IPv4 rules");
	err1(rule("from 198.18.0.0/24 table 1 sport 20-10"), 2, "sport '20-10'");
	err1(rule("from 198.18.0.0/24 table 1 dport 70000"), 2, "dport '70000'");
	err1(rule("from 198.18.0.0/24 table 1 uidrange 5-x"), 2, "uidrange '5-x'");
	err1(rule("from 198.18.0.0/24 table 1 preference x"), 2, "preference 'x'");
	err1(rule("from 198.18.0.0/24 table 1 suppress_prefixlength 200"), 2,
	     "suppress_prefixlength '200'");
	err1(rule("from 198.18.0.0/24 table 1 iif eth0/1"), 2, "iif 'eth0/1'");
	err1(rule("from 198.18.0.0/24 tabel 1"), 2, "did you mean 'table'?");
	warn1(rule("from 198.18.0.0/24 table 1 track_group G"), 2, "track_group needs iif");
	assert_null(((const struct conf_rule *)L.model->vrrp.static_rules.head)->track_group);
	assert_true(((const struct conf_rule *)ok(rule("from 198.18.0.0/24 table 1 no_track"))
			     ->vrrp.static_rules.head)
			    ->no_track);
	err1(rule("from 198.18.0.0/24 table"), 2, "'table' needs a value");
	err1("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	     " virtual_rules {\n  from 198.18.0.0/24 table 1 track_group G\n }\n}\n",
	     5, "track_group applies only to static_rules entries");
}

static void test_track_group(void **state)
{
	struct conf_model *m;
	const struct conf_track_group *tg;

	(void)state;
	m = ok("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n"
	       "track_group G {\n group {\n  VI_1\n }\n}\n");
	tg = (const void *)m->vrrp.track_groups.head;
	assert_string_equal(tg->hdr.name, "G");
	assert_int_equal(tg->members.count, 1);
	err1("track_group G {\n group {\n  VI_2\n }\n}\n", 3, "refers to vrrp_instance 'VI_2'");
	err1("track_group G {\n members { x }\n}\n", 2, "unknown keyword 'members'");
	err1("track_group G {\n group x\n}\n", 2, "needs a { ... } block of names");
	err1("track_group G {\n}\ntrack_group G {\n}\n", 3, "is already defined");
	/* no keepalived release has 'static_track_group' */
	err1("static_track_group G {\n group {\n  x\n }\n}\n", 1,
	     "unknown keyword 'static_track_group'");
}

static void test_if_delays(void **state)
{
	struct conf_model *m;
	const struct conf_if_delay *d;

	(void)state;
	m = ok("interface_up_down_delays {\n eth0 0.5\n eth1 1 2.25\n}\n");
	d = (const void *)m->vrrp.if_delays.head;
	assert_string_equal(d->hdr.name, "eth0");
	assert_int_equal(d->down_us, 500000);
	assert_int_equal(d->up_us, 500000);
	d = (const void *)d->hdr.next;
	assert_int_equal(d->up_us, 2250000);
	err1(blk("interface_up_down_delays", "eth0 256"), 2, "'256'");
	err1(blk("interface_up_down_delays", "eth0"), 2, "IFNAME DOWN_DELAY [UP_DELAY]");
	err1(blk("interface_up_down_delays", "eth0 1 2 3"), 2, "IFNAME DOWN_DELAY [UP_DELAY]");
	err1(blk("interface_up_down_delays", "eth/0 1"), 2, "eth/0");
	err1("interface_up_down_delays {\n eth0 1\n eth0 2\n}\n", 3,
	     "eth0 already has delays at line 2");
	warn1("interface_up_down_delays {\n eth0 2\n}\n"
	      "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n}\n",
	      2, "is not below 2 advert intervals");
}

static void test_dump(void **state)
{
	struct json j;
	char *s;

	(void)state;
	ok("static_ipaddress {\n 198.18.0.1/24 dev eth0 scope host\n}\n"
	   "static_routes {\n 198.18.1.0/24 via 198.18.0.254 nexthop via 198.18.0.253\n}\n"
	   "static_rules {\n from 198.18.0.0/24 table 7\n}\n");
	json_init(&j, false);
	conf_dump_json(L.model, &j);
	s = json_take(&j, NULL);
	assert_non_null(strstr(s, "\"address\":\"198.18.0.1/24\""));
	assert_non_null(strstr(s, "\"scope\":\"host\""));
	assert_non_null(strstr(s, "\"via\":\"198.18.0.253\""));
	assert_non_null(strstr(s, "\"table\":\"7\""));
	free(s);
}

static void test_all_errors_in_one_run(void **state)
{
	(void)state;
	load("static_ipaddress {\n"
	     "  198.18.0.1 scope nowhere\n"
	     "  198.18.0.x\n"
	     "  198.18.0.2 dev\n"
	     "}\n"
	     "static_routes {\n"
	     "  198.18.0.0/24 via x\n"
	     "}\n"
	     "static_rules {\n"
	     "  from 198.18.0.0/24\n"
	     "}\n");
	assert_int_equal(L.n_errors, 4);
	assert_true(has_msg(true, 3, "198.18.0.x"));
	assert_true(has_msg(true, 4, "'dev' needs a value"));
	assert_true(has_msg(true, 7, "via 'x'"));
	assert_true(has_msg(true, 10, "no action"));
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
		cmocka_unit_test_teardown(test_addresses, teardown),
		cmocka_unit_test_teardown(test_address_errors, teardown),
		cmocka_unit_test_teardown(test_vip_options, teardown),
		cmocka_unit_test_teardown(test_routes, teardown),
		cmocka_unit_test_teardown(test_route_errors, teardown),
		cmocka_unit_test_teardown(test_rules, teardown),
		cmocka_unit_test_teardown(test_rule_errors, teardown),
		cmocka_unit_test_teardown(test_track_group, teardown),
		cmocka_unit_test_teardown(test_if_delays, teardown),
		cmocka_unit_test_teardown(test_dump, teardown),
		cmocka_unit_test_teardown(test_all_errors_in_one_run, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
