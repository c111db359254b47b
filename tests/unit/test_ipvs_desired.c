/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvs_desired_build: keepalived.conf text in, the exact IPVS table out, for
 * every kind of virtual server, group entry, scheduler, flag, persistence
 * setting and forwarding method.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/ip_vs.h>
#include <cmocka.h>

#include "conf/conf.h"
#include "ipvs/desired.h"

static struct conf_load L;
static struct ipvs_state S;

static void reset(void)
{
	conf_load_free(&L);
	memset(&L, 0, sizeof(L));
	ipvs_state_free(&S);
}

static int teardown(void **st)
{
	(void)st;
	reset();
	return 0;
}

/* Loads text (it must be valid) and builds S from it; checks the invariants
 * every table has: sorted, unique keys, sorted unique dests. */
static void build(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	reset();
	if (conf_load_string("t.conf", text, strlen(text), &o, &L) || L.n_errors) {
		conf_msgs_print(stderr, L.msgs);
		fail_msg("config should load");
	}
	assert_int_equal(ipvs_desired_build(L.model, &S), 0);
	for (unsigned i = 0; i < S.n_svcs; i++) {
		const struct ipvs_service *s = &S.svcs[i];

		if (i)
			assert_true(ipvs_service_cmp(&S.svcs[i - 1], s) < 0);
		for (unsigned j = 1; j < s->n_dests; j++)
			assert_true(ipvs_dest_cmp(&s->dests[j - 1], &s->dests[j]) < 0);
		assert_true(s->sched[0] != '\0');
		assert_int_equal(s->flags & IP_VS_SVC_F_HASHED, 0);
	}
}

/* Loads text that validation may refuse; 0 when it loaded and S is built. */
static int try_build(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	reset();
	if (conf_load_string("t.conf", text, strlen(text), &o, &L) || L.n_errors)
		return -1;
	assert_int_equal(ipvs_desired_build(L.model, &S), 0);
	return 0;
}

static struct conf_addr addr(const char *s)
{
	struct conf_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.u.v6) == 1)
		a.family = AF_INET6;
	else
		fail_msg("bad address %s", s);
	return a;
}

static const struct ipvs_service *svc(uint16_t proto, const char *a, uint16_t port)
{
	struct ipvs_service k;
	char b[128];

	memset(&k, 0, sizeof(k));
	k.addr = addr(a);
	k.af = k.addr.family;
	k.protocol = proto;
	k.port = port;
	for (unsigned i = 0; i < S.n_svcs; i++)
		if (!ipvs_service_cmp(&S.svcs[i], &k))
			return &S.svcs[i];
	fail_msg("no service %s", ipvs_service_str(&k, b, sizeof(b)));
	return NULL;
}

static const struct ipvs_service *fwm(int af, uint32_t mark)
{
	struct ipvs_service k;

	memset(&k, 0, sizeof(k));
	k.af = af;
	k.fwmark = mark;
	for (unsigned i = 0; i < S.n_svcs; i++)
		if (!ipvs_service_cmp(&S.svcs[i], &k))
			return &S.svcs[i];
	fail_msg("no service FWM %u af %d", mark, af);
	return NULL;
}

static const struct ipvs_dest *dest(const struct ipvs_service *s, const char *a, uint16_t port)
{
	struct ipvs_dest k;

	memset(&k, 0, sizeof(k));
	k.addr = addr(a);
	k.af = k.addr.family;
	k.port = port;
	for (unsigned i = 0; i < s->n_dests; i++)
		if (!ipvs_dest_cmp(&s->dests[i], &k))
			return &s->dests[i];
	fail_msg("no dest %s:%u", a, port);
	return NULL;
}

#define V4MASK(len) htonl((uint32_t)(0xffffffffull << (32 - (len))))

/* ---- the cases ---- */

static void test_empty(void **st)
{
	(void)st;
	build("global_defs {\n}\n");
	assert_int_equal(S.n_svcs, 0);
	assert_null(S.svcs);
	assert_int_equal(ipvs_desired_build(NULL, &S), 0);
	assert_int_equal(S.n_svcs, 0);
}

static void test_addr_defaults(void **st)
{
	const struct ipvs_service *s;
	const struct ipvs_dest *d;

	(void)st;
	/* No protocol: UDP, as keepalived 2.2.7 (and the kernel) take it. */
	build("virtual_server 198.18.0.1 80 {\n"
	      "  real_server 198.18.1.2 8080 {\n    weight 3\n  }\n"
	      "  real_server 198.18.1.1 {\n  }\n"
	      "}\n");
	assert_int_equal(S.n_svcs, 1);
	s = svc(IPPROTO_UDP, "198.18.0.1", 80);
	assert_int_equal(s->af, AF_INET);
	assert_int_equal(s->fwmark, 0);
	assert_string_equal(s->sched, "wlc");
	assert_int_equal(s->flags, 0);
	assert_int_equal(s->timeout, 0);
	assert_int_equal(s->netmask, 0xffffffffu);
	assert_string_equal(s->pe_name, "");
	assert_int_equal(s->n_dests, 2);
	d = dest(s, "198.18.1.2", 8080);
	assert_int_equal(d->af, AF_INET);
	assert_int_equal(d->conn_flags, IP_VS_CONN_F_MASQ);
	assert_int_equal(d->weight, 3);
	assert_int_equal(d->u_threshold, 0);
	assert_int_equal(d->l_threshold, 0);
	assert_int_equal(d->tun_type, 0);
	assert_int_equal(d->tun_port, 0);
	assert_int_equal(d->tun_flags, 0);
	d = dest(s, "198.18.1.1", 80); /* the virtual server's port */
	assert_int_equal(d->weight, 1);
	/* sorted: .1 before .2 */
	assert_ptr_equal(&s->dests[0], d);
}

static void test_protocols(void **st)
{
	(void)st;
	build("virtual_server 198.18.0.1 53 {\n  protocol UDP\n"
	      "  real_server 198.18.1.1 53 {\n  }\n}\n"
	      "virtual_server 198.18.0.1 53 {\n  protocol TCP\n"
	      "  real_server 198.18.1.1 53 {\n  }\n}\n"
	      "virtual_server 198.18.0.1 2905 {\n  protocol SCTP\n"
	      "  real_server 198.18.1.1 2905 {\n  }\n}\n");
	assert_int_equal(S.n_svcs, 3);
	assert_int_equal(svc(IPPROTO_UDP, "198.18.0.1", 53)->n_dests, 1);
	assert_int_equal(svc(IPPROTO_TCP, "198.18.0.1", 53)->n_dests, 1);
	assert_int_equal(svc(IPPROTO_SCTP, "198.18.0.1", 2905)->n_dests, 1);
}

static void test_fwmark(void **st)
{
	const struct ipvs_service *s;

	(void)st;
	build("virtual_server fwmark 5 {\n  lvs_sched rr\n"
	      "  real_server 198.18.1.1 {\n  }\n"
	      "  real_server 198.18.1.2 443 {\n  }\n}\n"
	      "virtual_server fwmark 5 {\n  ip_family inet6\n"
	      "  real_server fd00:198:18:1::1 {\n  }\n}\n"
	      "virtual_server fwmark 6 {\n  lvs_method TUN\n"
	      "  real_server fd00:198:18:1::1 {\n  }\n}\n");
	assert_int_equal(S.n_svcs, 3);
	s = fwm(AF_INET, 5);
	assert_int_equal(s->protocol, 0);
	assert_int_equal(s->port, 0);
	assert_string_equal(s->sched, "rr");
	assert_int_equal(s->netmask, 0xffffffffu);
	assert_int_equal(s->n_dests, 2);
	assert_int_equal(dest(s, "198.18.1.1", 0)->conn_flags, IP_VS_CONN_F_MASQ);
	dest(s, "198.18.1.2", 443);
	s = fwm(AF_INET6, 5);
	assert_int_equal(s->netmask, 128);
	assert_int_equal(dest(s, "fd00:198:18:1::1", 0)->af, AF_INET6);
	/* all real servers tunnelled IPv6: the service is IPv6 */
	s = fwm(AF_INET6, 6);
	assert_int_equal(dest(s, "fd00:198:18:1::1", 0)->conn_flags, IP_VS_CONN_F_TUNNEL);
}

static void test_group(void **st)
{
	const struct ipvs_service *s;
	char a[32];

	(void)st;
	build("virtual_server_group G {\n"
	      "  198.18.0.1-10 80\n"
	      "  198.18.0.250-198.18.1.2 80\n"
	      "  198.18.2.8/30 443\n"
	      "  198.18.3.1 8080\n"
	      "  fwmark 9\n"
	      "}\n"
	      "virtual_server group G {\n  protocol UDP\n  lvs_sched sh\n  sh-port\n"
	      "  lvs_method DR\n"
	      "  real_server 198.18.9.1 {\n    weight 2\n  }\n"
	      "  real_server 198.18.9.2 {\n  }\n}\n");
	assert_int_equal(S.n_svcs, 10 + 9 + 4 + 1 + 1);
	for (unsigned i = 1; i <= 10; i++) {
		snprintf(a, sizeof(a), "198.18.0.%u", i);
		s = svc(IPPROTO_UDP, a, 80);
		assert_string_equal(s->sched, "sh");
		assert_int_equal(s->flags, IP_VS_SVC_F_SCHED_SH_PORT);
		assert_int_equal(s->n_dests, 2);
		/* no port on the real servers: the packet's port (0) */
		assert_int_equal(dest(s, "198.18.9.1", 0)->weight, 2);
		assert_int_equal(dest(s, "198.18.9.1", 0)->conn_flags, IP_VS_CONN_F_DROUTE);
		assert_int_equal(dest(s, "198.18.9.2", 0)->weight, 1);
	}
	svc(IPPROTO_UDP, "198.18.0.250", 80);
	svc(IPPROTO_UDP, "198.18.0.255", 80);
	svc(IPPROTO_UDP, "198.18.1.0", 80);
	svc(IPPROTO_UDP, "198.18.1.2", 80);
	for (unsigned i = 8; i < 12; i++) {
		snprintf(a, sizeof(a), "198.18.2.%u", i);
		svc(IPPROTO_UDP, a, 443);
	}
	svc(IPPROTO_UDP, "198.18.3.1", 8080);
	s = fwm(AF_INET, 9);
	assert_int_equal(s->protocol, 0);
	assert_int_equal(s->n_dests, 2);
	assert_int_equal(s->flags, IP_VS_SVC_F_SCHED_SH_PORT);
	/* each service owns its dests */
	for (unsigned i = 1; i < S.n_svcs; i++)
		assert_ptr_not_equal(S.svcs[i - 1].dests, S.svcs[i].dests);
}

static void test_group_ipv6_and_mixed(void **st)
{
	const struct ipvs_service *s;

	(void)st;
	/* an IPv6 range across a byte boundary (ffff -> 1:0) */
	build("virtual_server_group G6 {\n"
	      "  fd00:198:18::fffe-fd00:198:18::1:1 80\n"
	      "  fd00:198:18::10-12 80\n"
	      "}\n"
	      "virtual_server group G6 { protocol TCP\n"
	      "  real_server fd00:198:18:1::1 80 {\n  }\n}\n");
	assert_int_equal(S.n_svcs, 4 + 3);
	svc(IPPROTO_TCP, "fd00:198:18::fffe", 80);
	svc(IPPROTO_TCP, "fd00:198:18::ffff", 80);
	svc(IPPROTO_TCP, "fd00:198:18::1:0", 80);
	s = svc(IPPROTO_TCP, "fd00:198:18::1:1", 80);
	assert_int_equal(s->netmask, 128);
	assert_int_equal(dest(s, "fd00:198:18:1::1", 80)->af, AF_INET6);
	svc(IPPROTO_TCP, "fd00:198:18::10", 80);
	svc(IPPROTO_TCP, "fd00:198:18::12", 80);

	/* both families and fwmarks with theirs: every real server tunnelled */
	build("virtual_server_group M {\n"
	      "  198.18.0.1 80\n"
	      "  fd00:198:18::1 80\n"
	      "  fwmark 3 inet6\n"
	      "  fwmark 4 inet\n"
	      "  fwmark 5\n"
	      "}\n"
	      "virtual_server group M { protocol TCP\n  lvs_method TUN type gre csum\n"
	      "  real_server 198.18.9.1 80 {\n  }\n"
	      "  real_server fd00:198:18:9::1 80 {\n  }\n}\n");
	assert_int_equal(S.n_svcs, 5);
	s = svc(IPPROTO_TCP, "198.18.0.1", 80);
	assert_int_equal(s->af, AF_INET);
	assert_int_equal(s->n_dests, 2);
	s = svc(IPPROTO_TCP, "fd00:198:18::1", 80);
	assert_int_equal(s->af, AF_INET6);
	assert_int_equal(s->netmask, 128);
	const struct ipvs_dest *d = dest(s, "198.18.9.1", 80);
	assert_int_equal(d->af, AF_INET); /* a dest of the other family */
	assert_int_equal(d->conn_flags, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	assert_int_equal(fwm(AF_INET6, 3)->netmask, 128);
	assert_int_equal(fwm(AF_INET, 4)->netmask, 0xffffffffu);
	fwm(AF_INET, 5); /* no family: the virtual server's (IPv4 by default) */
}

static void test_schedulers(void **st)
{
	static const char *const names[] = { "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
					     "sh", "sed", "nq", "fo",  "ovf",  "mh",	"twos" };
	char text[256];

	(void)st;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (int alias = 0; alias < 2; alias++) {
			snprintf(text, sizeof(text),
				 "virtual_server 198.18.0.1 80 { protocol TCP\n  %s %s\n"
				 "  real_server 198.18.1.1 80 {\n  }\n}\n",
				 alias ? "lb_algo" : "lvs_sched", names[i]);
			build(text);
			assert_int_equal(S.n_svcs, 1);
			assert_string_equal(S.svcs[0].sched, names[i]);
			assert_int_equal(S.svcs[0].flags, 0);
		}
	}
}

static void test_sched_flags(void **st)
{
	static const struct {
		const char *sched, *kw;
		uint32_t flags;
	} c[] = {
		{ "sh", "sh-port", IP_VS_SVC_F_SCHED_SH_PORT },
		{ "sh", "sh-fallback", IP_VS_SVC_F_SCHED_SH_FALLBACK },
		{ "sh", "sh-port\n  sh-fallback", IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 },
		/* ip_vs_mh.c reads the same bits as sh: SCHED1 fallback, SCHED2 port */
		{ "mh", "mh-port", IP_VS_SVC_F_SCHED2 },
		{ "mh", "mh-fallback", IP_VS_SVC_F_SCHED1 },
		{ "mh", "mh-fallback\n  mh-port", IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 },
		{ "rr", "flag-1", IP_VS_SVC_F_SCHED1 },
		{ "rr", "flag-2", IP_VS_SVC_F_SCHED2 },
		{ "rr", "flag-3", IP_VS_SVC_F_SCHED3 },
		{ "wlc", "flag-1\n  flag-2\n  flag-3",
		  IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3 },
	};
	char text[256];

	(void)st;
	assert_int_equal(IP_VS_SVC_F_SCHED_SH_FALLBACK, IP_VS_SVC_F_SCHED1);
	assert_int_equal(IP_VS_SVC_F_SCHED_SH_PORT, IP_VS_SVC_F_SCHED2);
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(text, sizeof(text),
			 "virtual_server 198.18.0.1 80 { protocol TCP\n  lvs_sched %s\n  %s\n"
			 "  real_server 198.18.1.1 80 {\n  }\n}\n",
			 c[i].sched, c[i].kw);
		build(text);
		assert_string_equal(S.svcs[0].sched, c[i].sched);
		assert_int_equal(S.svcs[0].flags, c[i].flags);
	}
}

static void test_persistence(void **st)
{
	const struct ipvs_service *s;

	(void)st;
	build("virtual_server 198.18.0.1 80 { protocol TCP\n  persistence_timeout 600\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      /* without a value: keepalived's 6 minutes */
	      "virtual_server 198.18.0.2 80 { protocol TCP\n  persistence_timeout\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      "virtual_server 198.18.0.3 80 { protocol TCP\n  persistence_timeout 30\n"
	      "  persistence_granularity 255.255.255.0\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      /* a granularity alone makes it persistent */
	      "virtual_server 198.18.0.4 80 { protocol TCP\n  persistence_granularity 255.255.0.0\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      "virtual_server 198.18.0.5 80 { protocol TCP\n  persistence_granularity 28\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      "virtual_server fd00:198:18::1 80 { protocol TCP\n  persistence_timeout 100\n"
	      "  persistence_granularity 64\n"
	      "  real_server fd00:198:18:1::1 80 {\n  }\n}\n"
	      "virtual_server fd00:198:18::2 80 { protocol TCP\n  persistence_timeout 100\n"
	      "  real_server fd00:198:18:1::1 80 {\n  }\n}\n"
	      /* a port-less persistent service; its real server gets port 0 */
	      "virtual_server 198.18.0.6 { protocol TCP\n  persistence_timeout 50\n"
	      "  real_server 198.18.1.1 {\n  }\n}\n"
	      "virtual_server 198.18.0.7 5060 {\n  protocol UDP\n  persistence_engine sip\n"
	      "  persistence_timeout 60\n"
	      "  real_server 198.18.1.1 5060 {\n  }\n}\n");
	s = svc(IPPROTO_TCP, "198.18.0.1", 80);
	assert_int_equal(s->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s->timeout, 600);
	assert_int_equal(s->netmask, 0xffffffffu);
	s = svc(IPPROTO_TCP, "198.18.0.2", 80);
	assert_int_equal(s->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s->timeout, CONF_LVS_PERSIST_DEFAULT);
	assert_int_equal(s->timeout, 360);
	s = svc(IPPROTO_TCP, "198.18.0.3", 80);
	assert_int_equal(s->timeout, 30);
	assert_int_equal(s->netmask, V4MASK(24));
	assert_int_equal(ntohl(s->netmask), 0xffffff00u);
	s = svc(IPPROTO_TCP, "198.18.0.4", 80);
	assert_int_equal(s->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s->timeout, 360);
	assert_int_equal(s->netmask, V4MASK(16));
	s = svc(IPPROTO_TCP, "198.18.0.5", 80);
	assert_int_equal(s->netmask, V4MASK(28));
	s = svc(IPPROTO_TCP, "fd00:198:18::1", 80);
	assert_int_equal(s->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s->timeout, 100);
	assert_int_equal(s->netmask, 64);
	s = svc(IPPROTO_TCP, "fd00:198:18::2", 80);
	assert_int_equal(s->netmask, 128);
	s = svc(IPPROTO_TCP, "198.18.0.6", 0);
	assert_int_equal(s->timeout, 50);
	dest(s, "198.18.1.1", 0);
	s = svc(IPPROTO_UDP, "198.18.0.7", 5060);
	assert_string_equal(s->pe_name, "sip");
	assert_int_equal(s->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s->timeout, 60);
	assert_int_equal(S.n_svcs, 9);
}

static void test_granularity_v4_fwmark_group(void **st)
{
	(void)st;
	build("virtual_server fwmark 1 {\n  persistence_granularity 255.255.255.128\n"
	      "  real_server 198.18.1.1 {\n  }\n}\n"
	      "virtual_server fwmark 2 {\n  persistence_granularity 48\n"
	      "  real_server fd00:198:18:1::1 {\n  }\n}\n");
	assert_int_equal(fwm(AF_INET, 1)->netmask, V4MASK(25));
	assert_int_equal(fwm(AF_INET, 1)->timeout, 360);
	assert_int_equal(fwm(AF_INET6, 2)->netmask, 48);
	assert_int_equal(fwm(AF_INET6, 2)->flags, IP_VS_SVC_F_PERSISTENT);
}

static void test_ops(void **st)
{
	(void)st;
	build("virtual_server 198.18.0.1 53 {\n  protocol UDP\n  ops\n"
	      "  real_server 198.18.1.1 53 {\n  }\n}\n"
	      "virtual_server fwmark 3 {\n  ops\n"
	      "  real_server 198.18.1.1 {\n  }\n}\n"
	      "virtual_server 198.18.0.1 80 { protocol TCP\n  ops\n" /* TCP: warned, no flag */
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      "virtual_server_group G {\n  198.18.0.9 53\n  fwmark 4\n}\n"
	      "virtual_server group G {\n  protocol TCP\n  ops\n"
	      "  real_server 198.18.1.1 53 {\n  }\n}\n");
	assert_int_equal(svc(IPPROTO_UDP, "198.18.0.1", 53)->flags, IP_VS_SVC_F_ONEPACKET);
	assert_int_equal(fwm(AF_INET, 3)->flags, IP_VS_SVC_F_ONEPACKET);
	assert_int_equal(svc(IPPROTO_TCP, "198.18.0.1", 80)->flags, 0);
	assert_int_equal(svc(IPPROTO_TCP, "198.18.0.9", 53)->flags, 0);
	assert_int_equal(fwm(AF_INET, 4)->flags, IP_VS_SVC_F_ONEPACKET);
	/* with persistence the flags combine */
	build("virtual_server 198.18.0.1 53 {\n  protocol UDP\n  ops\n  persistence_timeout 9\n"
	      "  lvs_sched sh\n  sh-fallback\n"
	      "  real_server 198.18.1.1 53 {\n  }\n}\n");
	assert_int_equal(S.svcs[0].flags, IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_PERSISTENT |
						  IP_VS_SVC_F_SCHED_SH_FALLBACK);
}

static void test_forwarding(void **st)
{
	const struct ipvs_service *s;
	const struct ipvs_dest *d;

	(void)st;
	build("virtual_server 198.18.0.1 80 { protocol TCP\n  lvs_method DR\n"
	      "  real_server 198.18.1.1 80 {\n  }\n"			 /* DR */
	      "  real_server 198.18.1.2 80 {\n    lvs_method NAT\n  }\n" /* NAT */
	      "  real_server 198.18.1.3 80 {\n    lb_kind TUN\n  }\n"	 /* ipip */
	      "  real_server 198.18.1.4 80 {\n    lvs_method TUN type ipip\n  }\n"
	      "  real_server 198.18.1.5 80 {\n    lvs_method TUN type gue port 6080\n  }\n"
	      "  real_server 198.18.1.6 80 {\n"
	      "    lvs_method TUN type gue port 6081 remcsum\n  }\n"
	      "  real_server 198.18.1.7 80 {\n    lvs_method TUN type gre nocsum\n  }\n"
	      "  real_server 198.18.1.8 80 {\n    lvs_method TUN type gue port 1 csum\n  }\n"
	      "  real_server fd00:198:18:1::9 80 {\n    lvs_method TUN type gre\n  }\n"
	      "}\n"
	      "virtual_server 198.18.0.2 80 { protocol TCP\n  lvs_method TUN type gue port 7000 csum\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n");
	s = svc(IPPROTO_TCP, "198.18.0.1", 80);
	assert_int_equal(s->n_dests, 9);
	d = dest(s, "198.18.1.1", 80);
	assert_int_equal(d->conn_flags, IP_VS_CONN_F_DROUTE);
	assert_int_equal(d->tun_type + d->tun_port + d->tun_flags, 0);
	assert_int_equal(dest(s, "198.18.1.2", 80)->conn_flags, IP_VS_CONN_F_MASQ);
	for (unsigned i = 3; i <= 4; i++) {
		char a[32];

		snprintf(a, sizeof(a), "198.18.1.%u", i);
		d = dest(s, a, 80);
		assert_int_equal(d->conn_flags, IP_VS_CONN_F_TUNNEL);
		assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_IPIP);
		assert_int_equal(d->tun_port, 0);
		assert_int_equal(d->tun_flags, 0);
	}
	d = dest(s, "198.18.1.5", 80);
	assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(d->tun_port, htons(6080));
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM);
	d = dest(s, "198.18.1.6", 80);
	assert_int_equal(d->tun_port, htons(6081));
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
	d = dest(s, "198.18.1.7", 80);
	assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(d->tun_port, 0);
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM);
	d = dest(s, "198.18.1.8", 80);
	assert_int_equal(d->tun_port, htons(1));
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	d = dest(s, "fd00:198:18:1::9", 80);
	assert_int_equal(d->af, AF_INET6);
	assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	/* the virtual server's tunnel settings are inherited whole */
	d = dest(svc(IPPROTO_TCP, "198.18.0.2", 80), "198.18.1.1", 80);
	assert_int_equal(d->conn_flags, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(d->tun_port, htons(7000));
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
}

static void test_weights_thresholds(void **st)
{
	const struct ipvs_service *s;

	(void)st;
	build("virtual_server 198.18.0.1 80 { protocol TCP\n"
	      "  real_server 198.18.1.1 80 {\n    weight 0\n  }\n"
	      "  real_server 198.18.1.2 80 {\n    weight 65535\n    uthreshold 1000\n"
	      "    lthreshold 200\n  }\n"
	      "  real_server 198.18.1.3 80 {\n    uthreshold 4294967295\n  }\n"
	      "  real_server 198.18.1.4 80 {\n    inhibit_on_failure\n    weight 5\n"
	      "    TCP_CHECK {\n    }\n  }\n"
	      "}\n");
	s = svc(IPPROTO_TCP, "198.18.0.1", 80);
	assert_int_equal(dest(s, "198.18.1.1", 80)->weight, 0);
	assert_int_equal(dest(s, "198.18.1.2", 80)->weight, 65535);
	assert_int_equal(dest(s, "198.18.1.2", 80)->u_threshold, 1000);
	assert_int_equal(dest(s, "198.18.1.2", 80)->l_threshold, 200);
	assert_int_equal(dest(s, "198.18.1.3", 80)->u_threshold, 4294967295u);
	assert_int_equal(dest(s, "198.18.1.3", 80)->l_threshold, 0);
	/* checks decide later; here the configured weight */
	assert_int_equal(dest(s, "198.18.1.4", 80)->weight, 5);
}

static void test_sorry_server_absent(void **st)
{
	(void)st;
	build("virtual_server 198.18.0.1 80 { protocol TCP\n  sorry_server 198.18.1.99 80\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      "virtual_server 198.18.0.2 80 { protocol TCP\n  sorry_server 198.18.1.99 80\n}\n");
	assert_int_equal(svc(IPPROTO_TCP, "198.18.0.1", 80)->n_dests, 1);
	assert_int_equal(svc(IPPROTO_TCP, "198.18.0.2", 80)->n_dests, 0);
	assert_null(svc(IPPROTO_TCP, "198.18.0.2", 80)->dests);
}

/* Overlaps that group expansion makes: the kernel can hold each key once,
 * so the first virtual server in config order wins. Validation may refuse
 * some of these one day; then the check is that it does. */
/* Every overlap below is refused by validation now (conf_validate_lvs);
 * the blocks under each try_build show what the build would do with it. */
static void test_overlap_first_wins(void **st)
{
	(void)st;
	/* a range covering an address another virtual_server names */
	if (try_build("virtual_server_group G {\n  198.18.0.1-3 80\n}\n"
		      "virtual_server group G { protocol TCP\n  lvs_sched rr\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n"
		      "virtual_server 198.18.0.2 80 { protocol TCP\n  lvs_sched sh\n"
		      "  real_server 198.18.1.2 80 {\n  }\n}\n") == 0) {
		fail_msg("validation accepted an overlap");
		assert_int_equal(S.n_svcs, 3);
		const struct ipvs_service *s = svc(IPPROTO_TCP, "198.18.0.2", 80);
		assert_string_equal(s->sched, "rr");
		assert_int_equal(s->n_dests, 1);
		dest(s, "198.18.1.1", 80);
		printf("# validation lets a group range overlap a virtual_server\n");
	}
	/* the other way round: the plain virtual_server comes first */
	if (try_build("virtual_server 198.18.0.2 80 { protocol TCP\n  lvs_sched sh\n"
		      "  real_server 198.18.1.2 80 {\n  }\n}\n"
		      "virtual_server_group G {\n  198.18.0.1-3 80\n  198.18.0.2 80\n}\n"
		      "virtual_server group G { protocol TCP\n  lvs_sched rr\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n") == 0) {
		fail_msg("validation accepted an overlap");
		assert_int_equal(S.n_svcs, 3);
		assert_string_equal(svc(IPPROTO_TCP, "198.18.0.2", 80)->sched, "sh");
		assert_string_equal(svc(IPPROTO_TCP, "198.18.0.1", 80)->sched, "rr");
		printf("# validation lets a group entry overlap another entry of its group\n");
	}
	/* a group's fwmark used by a TCP and a UDP virtual_server: one service */
	if (try_build("virtual_server_group G {\n  198.18.0.1 80\n  fwmark 7\n}\n"
		      "virtual_server group G {\n  protocol TCP\n  lvs_sched rr\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n"
		      "virtual_server group G {\n  protocol UDP\n  lvs_sched lc\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n") == 0) {
		fail_msg("validation accepted an overlap");
		assert_int_equal(S.n_svcs, 3);
		assert_string_equal(fwm(AF_INET, 7)->sched, "rr");
		printf("# validation lets TCP and UDP virtual_servers share a group's fwmark\n");
	}
	/* two groups sharing an address, and a fwmark shared with a fwmark vs */
	if (try_build("virtual_server_group A {\n  198.18.0.1-2 80\n  fwmark 8\n}\n"
		      "virtual_server_group B {\n  198.18.0.2-4 80\n}\n"
		      "virtual_server group A { protocol TCP\n  lvs_sched rr\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n"
		      "virtual_server group B { protocol TCP\n  lvs_sched lc\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n"
		      "virtual_server fwmark 8 {\n  lvs_sched dh\n"
		      "  real_server 198.18.1.1 80 {\n  }\n}\n") == 0) {
		fail_msg("validation accepted an overlap");
		assert_int_equal(S.n_svcs, 5);
		assert_string_equal(svc(IPPROTO_TCP, "198.18.0.2", 80)->sched, "rr");
		assert_string_equal(svc(IPPROTO_TCP, "198.18.0.3", 80)->sched, "lc");
		assert_string_equal(fwm(AF_INET, 8)->sched, "rr");
		printf("# validation lets two groups (or a group and a fwmark) overlap\n");
	}
	/* a mixed group used by an inet and an inet6 virtual_server (TUN) */
	if (try_build("virtual_server_group M {\n  198.18.0.1 80\n  fd00:198:18::1 80\n}\n"
		      "virtual_server group M { protocol TCP\n  ip_family inet\n  lvs_method TUN\n"
		      "  lvs_sched rr\n  real_server 198.18.9.1 80 {\n  }\n}\n"
		      "virtual_server group M { protocol TCP\n  ip_family inet6\n  lvs_method TUN\n"
		      "  lvs_sched lc\n  real_server 198.18.9.2 80 {\n  }\n}\n") == 0) {
		fail_msg("validation accepted an overlap");
		assert_int_equal(S.n_svcs, 2);
		assert_string_equal(svc(IPPROTO_TCP, "fd00:198:18::1", 80)->sched, "rr");
		dest(svc(IPPROTO_TCP, "198.18.0.1", 80), "198.18.9.1", 80);
		printf("# validation lets an inet and an inet6 virtual_server share a mixed "
		       "group\n");
	}
	/* a group's "fwmark 5 inet6" and "virtual_server fwmark 5" in IPv6 */
	if (try_build("virtual_server_group G {\n  fwmark 5 inet6\n}\n"
		      "virtual_server group G { protocol TCP\n  lvs_sched rr\n"
		      "  real_server fd00:198:18:1::1 80 {\n  }\n}\n"
		      "virtual_server fwmark 5 {\n  ip_family inet6\n  lvs_sched lc\n"
		      "  real_server fd00:198:18:1::1 80 {\n  }\n}\n") == 0) {
		fail_msg("validation accepted an overlap");
		assert_int_equal(S.n_svcs, 1);
		assert_string_equal(fwm(AF_INET6, 5)->sched, "rr");
		printf("# validation lets a group fwmark entry repeat a fwmark virtual_server\n");
	}
}

static struct conf_vs *nth_vs(unsigned n)
{
	struct conf_item *it = L.model->lvs.virtual_servers.head;

	while (it && n--)
		it = it->next;
	assert_non_null(it);
	return (struct conf_vs *)(void *)it;
}

/* A model that skipped validation (edited after it) may still hold a key
 * twice: the first in config order is kept, every later copy counted. */
static void test_drops_counted(void **st)
{
	struct ipvs_desired_drops dr;
	struct conf_rs *rs2;

	(void)st;
	build("virtual_server 198.18.0.1 80 { protocol TCP\n  lvs_sched rr\n"
	      "  real_server 198.18.1.1 80 {\n  }\n  real_server 198.18.1.2 80 {\n  }\n}\n"
	      "virtual_server 198.18.0.2 80 { protocol TCP\n  lvs_sched lc\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n"
	      "virtual_server 198.18.0.3 80 { protocol TCP\n  lvs_sched sh\n"
	      "  real_server 198.18.1.1 80 {\n  }\n}\n");
	ipvs_state_free(&S);
	assert_int_equal(ipvs_desired_build_counted(L.model, &S, &dr), 0);
	assert_int_equal(dr.services, 0);
	assert_int_equal(dr.dests, 0);
	assert_int_equal(S.n_svcs, 3);
	ipvs_state_free(&S);

	/* the 2nd and 3rd virtual_server now say 198.18.0.1, and the first
	 * one's second real server repeats its first */
	nth_vs(1)->addr = nth_vs(0)->addr;
	nth_vs(2)->addr = nth_vs(0)->addr;
	rs2 = (struct conf_rs *)(void *)nth_vs(0)->real_servers.head->next;
	rs2->addr = ((struct conf_rs *)(void *)nth_vs(0)->real_servers.head)->addr;
	rs2->weight = 7;
	assert_int_equal(ipvs_desired_build_counted(L.model, &S, &dr), 0);
	assert_int_equal(S.n_svcs, 1);
	assert_int_equal(dr.services, 2);
	assert_int_equal(dr.dests, 1);
	assert_string_equal(S.svcs[0].sched, "rr");
	assert_int_equal(S.svcs[0].n_dests, 1);
	assert_int_equal(S.svcs[0].dests[0].weight, 1);
	assert_non_null(strstr(dr.first_service, "198.18.0.1"));
	assert_non_null(strstr(dr.first_dest, "198.18.1.1"));
	ipvs_state_free(&S);
	/* the old entry point drops the same way, without the counts */
	assert_int_equal(ipvs_desired_build(L.model, &S), 0);
	assert_int_equal(S.n_svcs, 1);
}

/* A /16 group: 65,536 services from one line, each with its dests. */
static void test_large_group(void **st)
{
	(void)st;
	build("virtual_server_group BIG {\n  198.18.0.0/16 80\n}\n"
	      "virtual_server group BIG { protocol TCP\n"
	      "  real_server 198.19.0.1 80 {\n  }\n"
	      "  real_server 198.19.0.2 80 {\n  }\n}\n");
	assert_int_equal(S.n_svcs, 65536);
	svc(IPPROTO_TCP, "198.18.0.0", 80);
	svc(IPPROTO_TCP, "198.18.255.255", 80);
	for (unsigned i = 0; i < S.n_svcs; i++)
		assert_int_equal(S.svcs[i].n_dests, 2);
}

/* keepalived's own sample files that load here translate to sorted tables. */
static void test_samples(void **st)
{
	static const char dir[] = "/usr/share/doc/keepalived/samples";
	struct conf_options o = { .flags = CONF_NO_INCLUDE };
	unsigned tried = 0, svcs = 0;
	struct dirent *e;
	DIR *d;

	(void)st;
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		char path[512];

		if (strncmp(e->d_name, "keepalived.conf", 15))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		reset();
		if (conf_load_file(path, &o, &L) || !L.model)
			continue;
		tried++;
		assert_int_equal(ipvs_desired_build(L.model, &S), 0);
		for (unsigned j = 1; j < S.n_svcs; j++)
			assert_true(ipvs_service_cmp(&S.svcs[j - 1], &S.svcs[j]) < 0);
		svcs += S.n_svcs;
	}
	if (d)
		closedir(d);
	printf("# %u keepalived sample files translated: %u services in all\n", tried, svcs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_empty, teardown),
		cmocka_unit_test_teardown(test_addr_defaults, teardown),
		cmocka_unit_test_teardown(test_protocols, teardown),
		cmocka_unit_test_teardown(test_fwmark, teardown),
		cmocka_unit_test_teardown(test_group, teardown),
		cmocka_unit_test_teardown(test_group_ipv6_and_mixed, teardown),
		cmocka_unit_test_teardown(test_schedulers, teardown),
		cmocka_unit_test_teardown(test_sched_flags, teardown),
		cmocka_unit_test_teardown(test_persistence, teardown),
		cmocka_unit_test_teardown(test_granularity_v4_fwmark_group, teardown),
		cmocka_unit_test_teardown(test_ops, teardown),
		cmocka_unit_test_teardown(test_forwarding, teardown),
		cmocka_unit_test_teardown(test_weights_thresholds, teardown),
		cmocka_unit_test_teardown(test_sorry_server_absent, teardown),
		cmocka_unit_test_teardown(test_overlap_first_wins, teardown),
		cmocka_unit_test_teardown(test_drops_counted, teardown),
		cmocka_unit_test_teardown(test_large_group, teardown),
		cmocka_unit_test_teardown(test_samples, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
