/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvs/health.c: real-server and virtual-server health from probe states
 * (keepalived 2.2.7 semantics: inhibit_on_failure, dynamic weights, quorum
 * with hysteresis, sorry server, alpha, omega).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <uv.h>

#include "check/probe.h"
#include "check/proto.h"
#include "check/supervise.h"
#include "conf/conf.h"
#include "lib/json.h"
#include "ipvs/desired.h"
#include "ipvs/health.h"
#include "ipvs/notify.h"

static struct conf_load L;
static struct check_list CL;
static struct check_probe_state *ST;
static struct ipvs_health *H;
static struct ipvs_health_events EV;

static const struct check_probe_state *get_state(void *ctx, unsigned p)
{
	(void)ctx;
	return p < CL.n ? &ST[p] : NULL;
}

static void reset(void)
{
	ipvs_health_free(H);
	H = NULL;
	ipvs_health_events_free(&EV);
	free(ST);
	ST = NULL;
	check_list_free(&CL);
	memset(&CL, 0, sizeof(CL));
	conf_load_free(&L);
	memset(&L, 0, sizeof(L));
}

static int teardown(void **st)
{
	(void)st;
	reset();
	return 0;
}

/* Loads text, builds the probe list (probes in their start state: alpha
 * down, else up) and the health, and runs the initial evaluation. */
static void load(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	reset();
	if (conf_load_string("t.conf", text, strlen(text), &o, &L) || L.n_errors) {
		conf_msgs_print(stderr, L.msgs);
		fail_msg("config should load");
	}
	assert_int_equal(check_list_build(L.model, &CL), 0);
	ST = calloc(CL.n ? CL.n : 1, sizeof(*ST));
	assert_non_null(ST);
	for (unsigned i = 0; i < CL.n; i++) {
		ST[i].up = !CL.v[i].alpha;
		ST[i].weight = CHECK_WEIGHT_NONE;
	}
	assert_int_equal(ipvs_health_build(L.model, &CL, &H), 0);
	ipvs_health_init(H, NULL, get_state, NULL, &EV);
}

/* Sets probe p and runs the change. */
static void set_probe(unsigned p, bool up, int32_t weight, const char *reason)
{
	assert_true(p < CL.n);
	ST[p].up = up;
	ST[p].weight = weight;
	snprintf(ST[p].reason, sizeof(ST[p].reason), "%s", reason ? reason : "");
	ipvs_health_events_reset(&EV);
	ipvs_health_probe_changed(H, p, get_state, NULL, &EV);
}

static unsigned count(enum ipvs_health_ev_kind k)
{
	unsigned n = 0;

	for (unsigned i = 0; i < EV.n; i++)
		n += EV.v[i].kind == k;
	return n;
}

static const struct ipvs_health_event *find(enum ipvs_health_ev_kind k)
{
	for (unsigned i = 0; i < EV.n; i++)
		if (EV.v[i].kind == k)
			return &EV.v[i];
	return NULL;
}

/* -1: not a dest, else its weight */
static int dest(unsigned rs)
{
	int w;

	return ipvs_health_rs_dest(H, rs, &w) ? w : -1;
}

static int sorry(unsigned vs)
{
	int w;

	return ipvs_health_sorry_dest(H, vs, &w) ? w : -1;
}

#define VS_HEAD "virtual_server 198.18.0.1 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
#define TCP(port) "    TCP_CHECK {\n      connect_port " #port "\n    }\n"

static void test_no_checkers(void **st)
{
	(void)st;
	load(VS_HEAD "  real_server 198.18.1.1 80 {\n    weight 3\n  }\n}\n");
	assert_int_equal(H->n_vs, 1);
	assert_int_equal(H->n_rs, 1);
	assert_true(H->rs[0].alive);
	assert_int_equal(dest(0), 3);
	assert_true(H->vs[0].quorum_up);
	assert_int_equal(H->vs[0].live_weight, 3);
	assert_int_equal(EV.n, 0); /* no rs_init_notifies */
	assert_int_equal(sorry(0), -1);
}

static void test_inhibit_vs_remove(void **st)
{
	const struct ipvs_health_event *e;

	(void)st;
	load(VS_HEAD "  real_server 198.18.1.1 80 {\n    weight 2\n" TCP(81) "  }\n"
		     "  real_server 198.18.1.2 80 {\n    weight 5\n    inhibit_on_failure\n" TCP(82)
		     "  }\n}\n");
	assert_int_equal(CL.n, 2);
	assert_int_equal(dest(0), 2);
	assert_int_equal(dest(1), 5);

	set_probe(0, false, CHECK_WEIGHT_NONE, "connection refused");
	assert_int_equal(count(IPVS_HEV_RS_DOWN), 1);
	e = find(IPVS_HEV_RS_DOWN);
	assert_int_equal(e->rs, 0);
	assert_string_equal(e->reason, "connection refused");
	assert_int_equal(dest(0), -1); /* removed */
	assert_false(H->rs[0].alive);
	assert_string_equal(H->rs[0].reason, "connection refused");

	set_probe(1, false, CHECK_WEIGHT_NONE, "timeout");
	assert_int_equal(dest(1), 0); /* inhibited: kept with weight 0 */
	assert_int_equal(count(IPVS_HEV_RS_DOWN), 1);
	/* quorum 1 lost at 0 */
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 1);
	assert_false(H->vs[0].quorum_up);

	set_probe(1, true, CHECK_WEIGHT_NONE, "ok");
	assert_int_equal(dest(1), 5);
	assert_int_equal(count(IPVS_HEV_RS_UP), 1);
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 1);

	set_probe(0, true, CHECK_WEIGHT_NONE, "ok");
	assert_int_equal(dest(0), 2);
	assert_int_equal(H->vs[0].live_weight, 7);

	/* a result that changes nothing gives no event */
	set_probe(0, true, CHECK_WEIGHT_NONE, "ok");
	assert_int_equal(EV.n, 0);
}

static struct event_lvs seen; /* the last RS_DOWN / RS_UP published */
static char seen_reason[128];

static void on_rs_event(const struct event *ev, void *data)
{
	(void)data;
	seen = ev->lvs;
	snprintf(seen_reason, sizeof(seen_reason), "%s", ev->lvs.reason ? ev->lvs.reason : "");
	seen.reason = seen_reason;
}

/* RS_DOWN carries the first down probe's failure cause beside its reason,
 * to the event stream too; RS_UP none. */
static void test_down_cause(void **st)
{
	const struct ipvs_health_event *e;
	struct event_bus *bus = event_bus_new();

	(void)st;
	assert_non_null(bus);
	assert_true(event_subscribe(bus, EVENT_BIT(EVENT_RS_DOWN) | EVENT_BIT(EVENT_RS_UP),
				    on_rs_event, NULL) >= 0);
	load(VS_HEAD "  real_server 198.18.1.1 80 {\n" TCP(81) TCP(82) "  }\n}\n");
	assert_int_equal(CL.n, 2);
	ST[1].cause = CHECK_CONNECT_TIMEOUT;
	set_probe(1, false, CHECK_WEIGHT_NONE, "connect timeout after 3.0 s");
	e = find(IPVS_HEV_RS_DOWN);
	assert_non_null(e);
	assert_int_equal(e->cause, CHECK_CONNECT_TIMEOUT);
	ipvs_health_publish(H, &EV, bus);
	assert_int_equal(seen.cause, CHECK_CONNECT_TIMEOUT);
	assert_string_equal(seen.reason, "connect timeout after 3.0 s");
	/* the first down probe names the cause */
	ST[0].cause = CHECK_CONNECT_REFUSED;
	set_probe(0, false, CHECK_WEIGHT_NONE, "connect: Connection refused");
	assert_int_equal(EV.n, 0); /* already down */
	ST[0].cause = ST[1].cause = CHECK_OK;
	set_probe(0, true, CHECK_WEIGHT_NONE, "connected");
	set_probe(1, true, CHECK_WEIGHT_NONE, "connected");
	e = find(IPVS_HEV_RS_UP);
	assert_non_null(e);
	assert_int_equal(e->cause, CHECK_NONE);
	ipvs_health_publish(H, &EV, bus);
	assert_int_equal(seen.cause, CHECK_NONE);
	ST[0].cause = CHECK_HTTP_STATUS;
	ST[1].cause = CHECK_CONNECT_REFUSED;
	ST[1].up = false;
	set_probe(0, false, CHECK_WEIGHT_NONE, "GET /: status 500 not expected");
	e = find(IPVS_HEV_RS_DOWN);
	assert_non_null(e);
	assert_int_equal(e->cause, CHECK_HTTP_STATUS);
	assert_string_equal(e->reason, "GET /: status 500 not expected");
	event_bus_free(bus);
}

static void test_inhibit_inherited(void **st)
{
	(void)st;
	load(VS_HEAD "  inhibit_on_failure\n  real_server 198.18.1.1 80 {\n" TCP(81)
		     "  }\n  real_server 198.18.1.2 80 {\n    inhibit_on_failure off\n" TCP(82)
		     "  }\n}\n");
	set_probe(0, false, CHECK_WEIGHT_NONE, "x");
	set_probe(1, false, CHECK_WEIGHT_NONE, "x");
	assert_int_equal(dest(0), 0);
	assert_int_equal(dest(1), -1);
}

static void test_all_probes_must_be_up(void **st)
{
	(void)st;
	load(VS_HEAD "  real_server 198.18.1.1 80 {\n" TCP(81) TCP(82) "  }\n}\n");
	assert_int_equal(H->rs[0].n_probes, 2);
	set_probe(0, false, CHECK_WEIGHT_NONE, "a");
	assert_false(H->rs[0].alive);
	set_probe(1, false, CHECK_WEIGHT_NONE, "b");
	assert_int_equal(EV.n, 0); /* already down */
	set_probe(0, true, CHECK_WEIGHT_NONE, "ok");
	assert_false(H->rs[0].alive);
	assert_int_equal(EV.n, 0);
	set_probe(1, true, CHECK_WEIGHT_NONE, "ok");
	assert_true(H->rs[0].alive);
	assert_int_equal(count(IPVS_HEV_RS_UP), 1);
}

static void test_dynamic_weight(void **st)
{
	const struct ipvs_health_event *e;

	(void)st;
	load(VS_HEAD "  quorum 10\n  real_server 198.18.1.1 80 {\n    weight 4\n"
		     "    MISC_CHECK {\n      misc_path /bin/true\n      misc_dynamic\n    }\n"
		     TCP(81) "  }\n"
		     "  real_server 198.18.1.2 80 {\n    weight 6\n  }\n}\n");
	assert_int_equal(dest(0), 4);
	assert_true(H->vs[0].quorum_up); /* 10 >= 10 */
	/* MISC probe index: the first probe of rs 0 in config order */
	unsigned misc = CL.v[0].kind == CONF_CHECK_MISC ? 0 : 1;

	set_probe(misc, true, 10, "exit 12");
	assert_int_equal(dest(0), 10);
	assert_int_equal(count(IPVS_HEV_RS_WEIGHT), 1);
	e = find(IPVS_HEV_RS_WEIGHT);
	assert_int_equal(e->old_weight, 4);
	assert_int_equal(e->weight, 10);
	assert_int_equal(H->vs[0].live_weight, 16);

	set_probe(misc, true, 0, "exit 2");
	assert_int_equal(dest(0), 0);
	assert_int_equal(H->vs[0].live_weight, 6);
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 1); /* 6 < 10 */

	set_probe(misc, true, 100000, "huge");
	assert_int_equal(dest(0), IPVS_HEALTH_WEIGHT_MAX); /* clamped */

	set_probe(misc, true, CHECK_WEIGHT_NONE, "exit 0");
	assert_int_equal(dest(0), 4);
}

static void test_two_dynamic_probes_sum(void **st)
{
	(void)st;
	load(VS_HEAD "  real_server 198.18.1.1 80 {\n    weight 5\n"
		     "    MISC_CHECK {\n      misc_path /bin/true\n      misc_dynamic\n    }\n"
		     "    MISC_CHECK {\n      misc_path /bin/false\n      misc_dynamic\n    }\n"
		     "  }\n}\n");
	assert_int_equal(CL.n, 2);
	set_probe(0, true, 8, "");
	set_probe(1, true, 7, "");
	/* 5 + (8 - 5) + (7 - 5) */
	assert_int_equal(dest(0), 10);
	set_probe(1, true, 0, "");
	assert_int_equal(dest(0), 3);
	set_probe(0, true, 0, "");
	assert_int_equal(dest(0), 0); /* clamped at 0 */
}

/* quorum 5, hysteresis 2: up at >= 7, down below 3 (or at 0). */
#define QUORUM_CONF                                                                             \
	VS_HEAD "  quorum 5\n  hysteresis 2\n"                                                  \
		"  real_server 198.18.1.1 80 {\n    weight 1\n" TCP(81) "  }\n"                     \
		"  real_server 198.18.1.2 80 {\n    weight 2\n" TCP(82) "  }\n"                     \
		"  real_server 198.18.1.3 80 {\n    weight 3\n" TCP(83) "  }\n"                     \
		"  real_server 198.18.1.4 80 {\n    weight 4\n" TCP(84) "  }\n}\n"

static void test_quorum_hysteresis(void **st)
{
	const struct ipvs_health_event *e;

	(void)st;
	load(QUORUM_CONF);
	assert_int_equal(CL.n, 4);
	assert_true(H->vs[0].quorum_up);
	assert_int_equal(H->vs[0].live_weight, 10);

	set_probe(3, false, CHECK_WEIGHT_NONE, "x"); /* 6 */
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 0);
	set_probe(2, false, CHECK_WEIGHT_NONE, "x"); /* 3: not < 3 */
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 0);
	assert_true(H->vs[0].quorum_up);
	set_probe(1, false, CHECK_WEIGHT_NONE, "x"); /* 1 < 3 */
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 1);
	e = find(IPVS_HEV_QUORUM_DOWN);
	assert_int_equal(e->live_weight, 1);
	assert_int_equal(e->threshold, 3);
	assert_false(e->init);
	assert_false(H->vs[0].quorum_up);

	set_probe(1, true, CHECK_WEIGHT_NONE, "ok"); /* 3 */
	set_probe(2, true, CHECK_WEIGHT_NONE, "ok"); /* 6 < 7 */
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 0);
	assert_false(H->vs[0].quorum_up);
	set_probe(0, false, CHECK_WEIGHT_NONE, "x"); /* 5 */
	set_probe(3, true, CHECK_WEIGHT_NONE, "ok"); /* 9 >= 7 */
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 1);
	e = find(IPVS_HEV_QUORUM_UP);
	assert_int_equal(e->live_weight, 9);
	assert_int_equal(e->threshold, 7);
	assert_true(H->vs[0].quorum_up);
}

static void test_quorum_exact_gain(void **st)
{
	(void)st;
	load(QUORUM_CONF);
	set_probe(3, false, CHECK_WEIGHT_NONE, "x"); /* 6 */
	set_probe(2, false, CHECK_WEIGHT_NONE, "x"); /* 3 */
	set_probe(1, false, CHECK_WEIGHT_NONE, "x"); /* 1: lost */
	set_probe(3, true, CHECK_WEIGHT_NONE, "ok"); /* 5 */
	assert_false(H->vs[0].quorum_up);
	set_probe(1, true, CHECK_WEIGHT_NONE, "ok"); /* 7 = quorum + hysteresis */
	assert_true(H->vs[0].quorum_up);
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 1);
}

static void test_quorum_start_down(void **st)
{
	(void)st;
	/* quorum 8 + hysteresis 0; 10 alive at start, but a start below:
	 * alpha probes start down, so only 1 is alive. */
	load(VS_HEAD "  quorum 3\n  alpha\n"
		     "  real_server 198.18.1.1 80 {\n    weight 1\n    alpha off\n" TCP(81) "  }\n"
		     "  real_server 198.18.1.2 80 {\n    weight 4\n" TCP(82) "  }\n}\n");
	assert_false(H->vs[0].quorum_up);
	/* without a sorry server keepalived says nothing at start */
	assert_int_equal(EV.n, 0);
	assert_int_equal(dest(0), 1);
	assert_int_equal(dest(1), -1); /* alpha: not added at start */
	set_probe(1, true, CHECK_WEIGHT_NONE, "ok");
	assert_int_equal(count(IPVS_HEV_RS_UP), 1);
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 1);
	assert_int_equal(dest(1), 4);
}

#define SORRY_CONF(extra, rsextra)                                                              \
	VS_HEAD "  quorum 3\n  sorry_server 198.18.2.1 8080\n" extra                             \
		"  real_server 198.18.1.1 80 {\n    weight 2\n" rsextra TCP(81) "  }\n"               \
		"  real_server 198.18.1.2 80 {\n    weight 2\n" TCP(82) "  }\n}\n"

static void test_sorry_server(void **st)
{
	(void)st;
	load(SORRY_CONF("", ""));
	assert_true(H->vs[0].quorum_up);
	assert_int_equal(sorry(0), -1);
	set_probe(0, false, CHECK_WEIGHT_NONE, "x"); /* 2 < 3 */
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 1);
	assert_int_equal(count(IPVS_HEV_SORRY_IN), 1);
	assert_int_equal(sorry(0), IPVS_HEALTH_SORRY_WEIGHT);
	/* every real server out, alive or not */
	assert_int_equal(dest(0), -1);
	assert_int_equal(dest(1), -1);
	assert_true(H->rs[1].alive);

	set_probe(0, true, CHECK_WEIGHT_NONE, "ok"); /* 4 >= 3 */
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 1);
	assert_int_equal(count(IPVS_HEV_SORRY_OUT), 1);
	assert_int_equal(sorry(0), -1);
	assert_int_equal(dest(0), 2);
	assert_int_equal(dest(1), 2);
}

static void test_sorry_server_inhibit(void **st)
{
	(void)st;
	load(SORRY_CONF("  sorry_server_inhibit\n", "    inhibit_on_failure\n"));
	/* with sorry_server_inhibit it is always in, at weight 0 while up */
	assert_int_equal(sorry(0), 0);
	set_probe(1, false, CHECK_WEIGHT_NONE, "x");
	assert_int_equal(sorry(0), 1);
	/* rs 0 (inhibit, alive) stays at weight 0, rs 1 out */
	assert_int_equal(dest(0), 0);
	assert_int_equal(dest(1), -1);
	set_probe(1, true, CHECK_WEIGHT_NONE, "ok");
	assert_int_equal(sorry(0), 0);
	assert_int_equal(dest(0), 2);
}

static void test_sorry_at_start(void **st)
{
	(void)st;
	load(VS_HEAD "  quorum 2\n  sorry_server 198.18.2.1 8080\n"
		     "  real_server 198.18.1.1 80 {\n    weight 2\n    alpha\n" TCP(81)
		     "  }\n}\n");
	assert_false(H->vs[0].quorum_up);
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 1);
	assert_true(find(IPVS_HEV_QUORUM_DOWN)->init);
	assert_int_equal(count(IPVS_HEV_SORRY_IN), 1);
	assert_int_equal(sorry(0), 1);
	assert_int_equal(dest(0), -1);
	set_probe(0, true, CHECK_WEIGHT_NONE, "ok");
	assert_int_equal(sorry(0), -1);
	assert_int_equal(dest(0), 2);
}

static void test_rs_init_notifies(void **st)
{
	(void)st;
	load("global_defs {\n  rs_init_notifies\n}\n" VS_HEAD
	     "  real_server 198.18.1.1 80 {\n" TCP(81) "  }\n"
	     "  real_server 198.18.1.2 80 {\n    alpha\n" TCP(82) "  }\n}\n");
	assert_int_equal(count(IPVS_HEV_RS_UP), 1);
	assert_int_equal(find(IPVS_HEV_RS_UP)->rs, 0);
	assert_true(find(IPVS_HEV_RS_UP)->init);
}

static void test_omega(void **st)
{
	(void)st;
	load("virtual_server 198.18.0.1 80 { protocol TCP\n  omega\n"
	     "  real_server 198.18.1.1 80 {\n" TCP(81) "  }\n"
	     "  real_server 198.18.1.2 80 {\n" TCP(82) "  }\n}\n"
	     "virtual_server 198.18.0.2 80 { protocol TCP\n"
	     "  real_server 198.18.1.1 80 {\n" TCP(81) "  }\n}\n");
	set_probe(1, false, CHECK_WEIGHT_NONE, "x");
	ipvs_health_events_reset(&EV);
	ipvs_health_stop(H, &EV);
	/* only the omega vs: rs 0 (alive) down, then its quorum down */
	assert_int_equal(EV.n, 2);
	assert_int_equal(EV.v[0].kind, IPVS_HEV_RS_DOWN);
	assert_int_equal(EV.v[0].rs, 0);
	assert_true(EV.v[0].stopping);
	assert_int_equal(EV.v[1].kind, IPVS_HEV_QUORUM_DOWN);
	assert_int_equal(EV.v[1].vs, 0);
	assert_true(EV.v[1].stopping);
}

static void test_shared_probe(void **st)
{
	(void)st;
	/* the same checker of the same real server under two virtual servers
	 * is one probe with two users */
	load("virtual_server 198.18.0.1 80 { protocol TCP\n"
	     "  real_server 198.18.1.1 80 {\n" TCP(81) "  }\n}\n"
	     "virtual_server 198.18.0.2 80 { protocol TCP\n"
	     "  real_server 198.18.1.1 80 {\n" TCP(81) "  }\n}\n");
	assert_int_equal(CL.n, 1);
	set_probe(0, false, CHECK_WEIGHT_NONE, "x");
	assert_int_equal(count(IPVS_HEV_RS_DOWN), 2);
	assert_int_equal(count(IPVS_HEV_QUORUM_DOWN), 2);
	assert_int_equal(dest(0), -1);
	assert_int_equal(dest(1), -1);
}

static void test_group(void **st)
{
	(void)st;
	load("virtual_server_group G {\n  198.18.0.1-3 80\n  fwmark 7\n}\n"
	     "virtual_server group G { protocol TCP\n  lb_kind DR\n"
	     "  real_server 198.18.1.1 80 {\n" TCP(81) "  }\n}\n");
	/* one health per virtual_server, whatever the group expands to */
	assert_int_equal(H->n_vs, 1);
	assert_int_equal(H->n_rs, 1);
	set_probe(0, false, CHECK_WEIGHT_NONE, "x");
	assert_int_equal(count(IPVS_HEV_RS_DOWN), 1);
	assert_int_equal(dest(0), -1);
}

static void test_reload_keeps_state(void **st)
{
	struct ipvs_health *old, *nh;

	(void)st;
	load(SORRY_CONF("", ""));
	set_probe(0, false, CHECK_WEIGHT_NONE, "x");
	assert_int_equal(sorry(0), 1);
	/* same model, same states: nothing happens */
	old = H;
	assert_int_equal(ipvs_health_build(L.model, &CL, &nh), 0);
	ipvs_health_events_reset(&EV);
	ipvs_health_init(nh, old, get_state, NULL, &EV);
	assert_int_equal(EV.n, 0);
	assert_false(nh->vs[0].quorum_up);
	assert_true(nh->vs[0].sorry_active);
	assert_false(nh->rs[0].alive);
	assert_true(nh->rs[1].alive);
	ipvs_health_free(old);
	H = nh;
	assert_int_equal(sorry(0), 1);
	/* a probe that changed while the model was replaced is one event */
	ST[0].up = true;
	assert_int_equal(ipvs_health_build(L.model, &CL, &nh), 0);
	ipvs_health_events_reset(&EV);
	ipvs_health_init(nh, H, get_state, NULL, &EV);
	assert_int_equal(count(IPVS_HEV_RS_UP), 1);
	assert_int_equal(count(IPVS_HEV_QUORUM_UP), 1);
	ipvs_health_free(H);
	H = nh;
	assert_int_equal(sorry(0), -1);
}

static void test_fifo_lines(void **st)
{
	char buf[256];
	struct ipvs_health_event e = { 0 };

	(void)st;
	load(VS_HEAD "  real_server 198.18.1.1 8080 {\n" TCP(81) "  }\n}\n"
		     "virtual_server fwmark 5 {\n  real_server 198.18.1.2 80 {\n  }\n}\n");
	e.kind = IPVS_HEV_RS_DOWN;
	e.vs = 0;
	e.rs = 0;
	assert_int_equal(ipvs_health_fifo_line(H, &e, buf, sizeof(buf)),
			 strlen("RS [198.18.1.1]:tcp:8080 [198.18.0.1]:tcp:80 DOWN\n"));
	assert_string_equal(buf, "RS [198.18.1.1]:tcp:8080 [198.18.0.1]:tcp:80 DOWN\n");
	e.kind = IPVS_HEV_QUORUM_UP;
	ipvs_health_fifo_line(H, &e, buf, sizeof(buf));
	assert_string_equal(buf, "VS [198.18.0.1]:tcp:80 UP\n");
	e.vs = 1;
	e.kind = IPVS_HEV_QUORUM_DOWN;
	ipvs_health_fifo_line(H, &e, buf, sizeof(buf));
	assert_string_equal(buf, "VS FWM 5 DOWN\n");
	e.kind = IPVS_HEV_RS_WEIGHT;
	assert_int_equal(ipvs_health_fifo_line(H, &e, buf, sizeof(buf)), 0);
	/* truncation stays terminated */
	e.kind = IPVS_HEV_QUORUM_DOWN;
	assert_int_equal(ipvs_health_fifo_line(H, &e, buf, 5), 4);
	assert_string_equal(buf, "VS F");
	/* out of range indexes are refused */
	e.vs = 9;
	assert_int_equal(ipvs_health_fifo_line(H, &e, buf, sizeof(buf)), 0);
	/* out of range probe: nothing */
	ipvs_health_events_reset(&EV);
	ipvs_health_probe_changed(H, 1000, get_state, NULL, &EV);
	assert_int_equal(EV.n, 0);
}

static bool file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* The notifier: scripts run (without blocking), FIFO lines in keepalived's
 * format, lost lines counted when nobody reads. */
static void test_notifier(void **st)
{
	char dir[] = "/tmp/vigil-health-XXXXXX", conf[2048], fifo[128], nfifo[128], up[128];
	char qd[128], buf[512] = "", nbuf[512] = "";
	struct ipvs_notify *n;
	struct event_bus *bus = event_bus_new();
	uv_loop_t loop;
	int rfd, nfd;
	ssize_t r;

	(void)st;
	signal(SIGPIPE, SIG_IGN); /* as vigild does (daemon/main.c) */
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(nfifo, sizeof(nfifo), "%s/nfifo", dir);
	snprintf(up, sizeof(up), "%s/up", dir);
	snprintf(qd, sizeof(qd), "%s/qd", dir);
	snprintf(conf, sizeof(conf),
		 "global_defs {\n  lvs_notify_fifo %s\n  notify_fifo %s\n}\n" VS_HEAD
		 "  quorum_down \"/bin/touch %s\"\n"
		 "  real_server 198.18.1.1 80 {\n    notify_up \"/bin/touch %s\"\n" TCP(81)
		 "  }\n}\n",
		 fifo, nfifo, qd, up);
	load(conf);
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(ipvs_notify_open(&loop, &L.model->global, &n), 0);
	assert_int_equal(ipvs_notify_admit_model(n, L.model), 0);
	assert_true(ipvs_notify_same(n, &L.model->global));
	assert_non_null(bus);
	assert_true(event_subscribe(bus, IPVS_NOTIFY_EVENTS, ipvs_notify_on_event, n) >= 0);
	rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	nfd = open(nfifo, O_RDONLY | O_NONBLOCK);
	assert_true(nfd >= 0);

	set_probe(0, false, CHECK_WEIGHT_NONE, "refused");
	ipvs_health_publish(H, &EV, bus);
	set_probe(0, true, CHECK_WEIGHT_NONE, "ok");
	ipvs_health_publish(H, &EV, bus);
	for (int i = 0; i < 500 && (!file_exists(up) || !file_exists(qd)); i++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
	assert_true(file_exists(up));
	assert_true(file_exists(qd));
	r = read(rfd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = 0;
	assert_string_equal(buf, "RS [198.18.1.1]:tcp:80 [198.18.0.1]:tcp:80 DOWN\n"
				 "VS [198.18.0.1]:tcp:80 DOWN\n"
				 "RS [198.18.1.1]:tcp:80 [198.18.0.1]:tcp:80 UP\n"
				 "VS [198.18.0.1]:tcp:80 UP\n");
	/* notify_fifo gets the same lines, as keepalived writes them to both. */
	r = read(nfd, nbuf, sizeof(nbuf) - 1);
	assert_true(r > 0);
	nbuf[r] = 0;
	assert_string_equal(nbuf, buf);
	close(nfd);
	/* no reader: lines are dropped and counted, nothing blocks */
	close(rfd);
	set_probe(0, false, CHECK_WEIGHT_NONE, "refused");
	ipvs_health_publish(H, &EV, bus);
	{
		struct json j;

		json_init(&j, false);
		ipvs_notify_status_json(n, &j);
		char *t = json_take(&j, NULL);

		assert_non_null(t);
		assert_non_null(strstr(t, "\"fifo_lines\":4"));
		assert_non_null(strstr(t, "\"fifo_dropped\":2"));
		assert_non_null(strstr(t, "\"scripts_run\":3"));
		free(t);
		json_free(&j);
	}
	ipvs_notify_close(n);
	event_bus_free(bus);
	/* let the last script end (it holds the notifier) */
	for (int i = 0; i < 300 && uv_run(&loop, UV_RUN_NOWAIT); i++)
		usleep(10000);
	uv_walk(&loop, NULL, NULL);
	uv_loop_close(&loop);
	unlink(fifo);
	unlink(nfifo);
	unlink(up);
	unlink(qd);
	rmdir(dir);
}

static bool f_rs(void *ctx, unsigned vs, unsigned rs, int *w)
{
	const struct ipvs_health *h = ctx;

	return ipvs_health_rs_dest(h, h->vs[vs].rs_first + rs, w);
}

static bool f_sorry(void *ctx, unsigned vs, int *w)
{
	return ipvs_health_sorry_dest(ctx, vs, w);
}

static const struct ipvs_dest *find_dest(const struct ipvs_service *s, const char *a,
					 unsigned port)
{
	char b[CONF_ADDRSTRLEN];

	for (unsigned i = 0; i < s->n_dests; i++)
		if (s->dests[i].port == port && !strcmp(conf_addr_str(&s->dests[i].addr, b), a))
			return &s->dests[i];
	return NULL;
}

/* The desired table through the health: every service a group expands to
 * gets the same dests; the sorry server comes in with its own method. */
static void test_desired_filtered_group(void **st)
{
	struct ipvs_desired_filter f = { f_rs, f_sorry, NULL };
	struct ipvs_state s;
	const struct ipvs_dest *d;

	(void)st;
	load("virtual_server_group G {\n  198.18.0.1-3 80\n  fwmark 7\n}\n"
	     "virtual_server group G { protocol TCP\n  lb_kind NAT\n  quorum 2\n"
	     "  sorry_server 198.18.2.1 8080\n  sorry_server_lvs_method DR\n"
	     "  real_server 198.18.1.1 80 {\n    weight 2\n    inhibit_on_failure\n" TCP(81) "  }\n"
	     "  real_server 198.18.1.2 80 {\n    weight 3\n" TCP(82) "  }\n}\n"
	     "virtual_server 198.18.0.9 80 { protocol TCP\n"
	     "  real_server 198.18.1.9 80 {\n  }\n}\n");
	f.ctx = H;
	assert_int_equal(ipvs_desired_build_filtered(L.model, &f, &s, NULL), 0);
	assert_int_equal(s.n_svcs, 5);
	for (unsigned i = 0; i < s.n_svcs; i++)
		if (s.svcs[i].port == 80 && s.svcs[i].addr.u.v4.s_addr != htonl(0xc6120009))
			assert_int_equal(s.svcs[i].n_dests, 2);
	ipvs_state_free(&s);

	set_probe(1, false, CHECK_WEIGHT_NONE, "x"); /* 2 alive: quorum kept */
	set_probe(0, false, CHECK_WEIGHT_NONE, "x"); /* 0: lost, sorry in */
	bool which[3] = { true, false, false };

	assert_int_equal(ipvs_desired_build_vs(L.model, which, 2, &f, &s), 0);
	assert_int_equal(s.n_svcs, 4); /* only the group's */
	for (unsigned i = 0; i < s.n_svcs; i++) {
		assert_int_equal(s.svcs[i].n_dests, 2);
		d = find_dest(&s.svcs[i], "198.18.1.1", 80);
		assert_non_null(d);
		assert_int_equal(d->weight, 0); /* inhibited */
		assert_null(find_dest(&s.svcs[i], "198.18.1.2", 80));
		d = find_dest(&s.svcs[i], "198.18.2.1", 8080);
		assert_non_null(d);
		assert_int_equal(d->weight, 1);
		assert_int_equal(d->conn_flags & IP_VS_CONN_F_FWD_MASK, IP_VS_CONN_F_DROUTE);
	}
	ipvs_state_free(&s);
	which[0] = false;
	which[1] = true;
	assert_int_equal(ipvs_desired_build_vs(L.model, which, 2, &f, &s), 0);
	assert_int_equal(s.n_svcs, 1);
	assert_int_equal(s.svcs[0].n_dests, 1);
	ipvs_state_free(&s);
	which[0] = true;
	assert_int_equal(ipvs_desired_build_vs(L.model, which, 2, &f, &s), 0);
	assert_int_equal(s.n_svcs, 5); /* both, one pass */
	ipvs_state_free(&s);
	assert_int_equal(ipvs_desired_build_vs(L.model, which, 0, &f, &s), 0);
	assert_int_equal(s.n_svcs, 0);
}

/* A sorry server with the key of a real server takes its dest while in. */
static void test_desired_sorry_is_rs(void **st)
{
	struct ipvs_desired_filter f = { f_rs, f_sorry, NULL };
	struct ipvs_state s;

	(void)st;
	load(VS_HEAD "  quorum 2\n  alpha\n  sorry_server 198.18.1.1 80\n"
		     "  real_server 198.18.1.1 80 {\n    weight 2\n    inhibit_on_failure\n" TCP(81)
		     "  }\n}\n");
	f.ctx = H;
	assert_true(H->vs[0].sorry_active); /* alpha: 0 < 2 from the start */
	assert_int_equal(ipvs_desired_build_filtered(L.model, &f, &s, NULL), 0);
	assert_int_equal(s.svcs[0].n_dests, 1);
	assert_int_equal(s.svcs[0].dests[0].weight, 1);
	ipvs_state_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_checkers, teardown),
		cmocka_unit_test_teardown(test_inhibit_vs_remove, teardown),
		cmocka_unit_test_teardown(test_inhibit_inherited, teardown),
		cmocka_unit_test_teardown(test_down_cause, teardown),
		cmocka_unit_test_teardown(test_all_probes_must_be_up, teardown),
		cmocka_unit_test_teardown(test_dynamic_weight, teardown),
		cmocka_unit_test_teardown(test_two_dynamic_probes_sum, teardown),
		cmocka_unit_test_teardown(test_quorum_hysteresis, teardown),
		cmocka_unit_test_teardown(test_quorum_exact_gain, teardown),
		cmocka_unit_test_teardown(test_quorum_start_down, teardown),
		cmocka_unit_test_teardown(test_sorry_server, teardown),
		cmocka_unit_test_teardown(test_sorry_server_inhibit, teardown),
		cmocka_unit_test_teardown(test_sorry_at_start, teardown),
		cmocka_unit_test_teardown(test_rs_init_notifies, teardown),
		cmocka_unit_test_teardown(test_omega, teardown),
		cmocka_unit_test_teardown(test_shared_probe, teardown),
		cmocka_unit_test_teardown(test_group, teardown),
		cmocka_unit_test_teardown(test_reload_keeps_state, teardown),
		cmocka_unit_test_teardown(test_fifo_lines, teardown),
		cmocka_unit_test_teardown(test_notifier, teardown),
		cmocka_unit_test_teardown(test_desired_filtered_group, teardown),
		cmocka_unit_test_teardown(test_desired_sorry_is_rs, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
