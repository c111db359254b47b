/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvs_reconcile: hand-made cases for each rule, then random tables applied
 * to a simulated kernel (the result must equal desired on managed services,
 * leave foreign ones alone, count as many ops as a naive oracle, and
 * reconcile to zero ops), and the time for 10,000 services x 10 dests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/ip_vs.h>
#include <cmocka.h>

#include "ipvs/ipvs.h"

/* ---- building tables ---- */

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

static struct ipvs_service svc_addr(uint16_t proto, const char *a, uint16_t port)
{
	struct ipvs_service s;

	memset(&s, 0, sizeof(s));
	s.addr = addr(a);
	s.af = s.addr.family;
	s.protocol = proto;
	s.port = port;
	strcpy(s.sched, "wlc");
	s.netmask = s.af == AF_INET ? 0xffffffffu : 128;
	return s;
}

static struct ipvs_service svc_fwm(int af, uint32_t mark)
{
	struct ipvs_service s;

	memset(&s, 0, sizeof(s));
	s.af = af;
	s.fwmark = mark;
	strcpy(s.sched, "rr");
	s.netmask = af == AF_INET ? 0xffffffffu : 128;
	return s;
}

static void add_dest(struct ipvs_service *s, const char *a, uint16_t port, int weight)
{
	struct ipvs_dest *d;

	s->dests = realloc(s->dests, (s->n_dests + 1) * sizeof(*s->dests));
	assert_non_null(s->dests);
	d = &s->dests[s->n_dests++];
	memset(d, 0, sizeof(*d));
	d->addr = addr(a);
	d->af = d->addr.family;
	d->port = port;
	d->conn_flags = IP_VS_CONN_F_MASQ;
	d->weight = weight;
}

static void state_add(struct ipvs_state *st, const struct ipvs_service *s)
{
	st->svcs = realloc(st->svcs, (st->n_svcs + 1) * sizeof(*st->svcs));
	assert_non_null(st->svcs);
	st->svcs[st->n_svcs++] = *s; /* takes s's dests */
}

static struct ipvs_service svc_copy(const struct ipvs_service *s)
{
	struct ipvs_service c = *s;

	c.dests = NULL;
	if (s->n_dests) {
		c.dests = malloc(s->n_dests * sizeof(*c.dests));
		assert_non_null(c.dests);
		memcpy(c.dests, s->dests, s->n_dests * sizeof(*c.dests));
	}
	return c;
}

static struct ipvs_state state_copy(const struct ipvs_state *s)
{
	struct ipvs_state c = { 0 };

	for (unsigned i = 0; i < s->n_svcs; i++) {
		struct ipvs_service x = svc_copy(&s->svcs[i]);

		state_add(&c, &x);
	}
	return c;
}

/* What a kernel dump looks like: every service hashed. */
static struct ipvs_state as_kernel(const struct ipvs_state *s)
{
	struct ipvs_state c = state_copy(s);

	for (unsigned i = 0; i < c.n_svcs; i++)
		c.svcs[i].flags |= IP_VS_SVC_F_HASHED;
	return c;
}

static struct ipvs_service *find_svc(const struct ipvs_state *st, const struct ipvs_service *key)
{
	for (unsigned i = 0; i < st->n_svcs; i++)
		if (!ipvs_service_cmp(&st->svcs[i], key))
			return &st->svcs[i];
	return NULL;
}

static struct ipvs_dest *find_dest(const struct ipvs_service *s, const struct ipvs_dest *key)
{
	for (unsigned i = 0; i < s->n_dests; i++)
		if (!ipvs_dest_cmp(&s->dests[i], key))
			return &s->dests[i];
	return NULL;
}

/* ---- a simulated kernel: refuses what the real one refuses ---- */

static void sim_apply(struct ipvs_state *k, const struct ipvs_ops *ops)
{
	char b[128];

	for (unsigned o = 0; o < ops->n; o++) {
		const struct ipvs_op *op = &ops->v[o];
		struct ipvs_service *s = find_svc(k, op->svc);

		switch (op->kind) {
		case IPVS_OP_ADD_SVC: {
			if (s)
				fail_msg("ADD_SVC %s: exists", ipvs_service_str(op->svc, b, 128));
			struct ipvs_service n = *op->svc;

			assert_null(op->dest);
			n.dests = NULL;
			n.n_dests = 0;
			n.flags |= IP_VS_SVC_F_HASHED;
			state_add(k, &n);
			break;
		}
		case IPVS_OP_EDIT_SVC: {
			if (!s)
				fail_msg("EDIT_SVC %s: missing", ipvs_service_str(op->svc, b, 128));
			struct ipvs_dest *dests = s->dests;
			unsigned nd = s->n_dests;

			*s = *op->svc;
			s->dests = dests;
			s->n_dests = nd;
			s->flags |= IP_VS_SVC_F_HASHED;
			break;
		}
		case IPVS_OP_DEL_SVC:
			if (!s)
				fail_msg("DEL_SVC %s: missing", ipvs_service_str(op->svc, b, 128));
			free(s->dests);
			*s = k->svcs[--k->n_svcs];
			break;
		case IPVS_OP_ADD_DEST:
		case IPVS_OP_EDIT_DEST:
		case IPVS_OP_DEL_DEST: {
			if (!s)
				fail_msg("dest op on missing service %s",
					 ipvs_service_str(op->svc, b, 128));
			assert_non_null(op->dest);
			struct ipvs_dest *d = find_dest(s, op->dest);

			if (op->kind == IPVS_OP_ADD_DEST) {
				if (d)
					fail_msg("ADD_DEST %s: exists",
						 ipvs_dest_str(op->dest, b, 128));
				s->dests = realloc(s->dests, (s->n_dests + 1) * sizeof(*d));
				assert_non_null(s->dests);
				s->dests[s->n_dests++] = *op->dest;
			} else if (!d) {
				fail_msg("EDIT/DEL_DEST %s: missing",
					 ipvs_dest_str(op->dest, b, 128));
			} else if (op->kind == IPVS_OP_EDIT_DEST) {
				*d = *op->dest;
			} else {
				*d = s->dests[--s->n_dests];
			}
			break;
		}
		}
	}
	ipvs_state_sort(k);
}

/* Ops may point into k itself: apply them to a copy, then swap. */
static void apply(struct ipvs_state *k, const struct ipvs_ops *ops)
{
	struct ipvs_state c = state_copy(k);

	sim_apply(&c, ops);
	ipvs_state_free(k);
	*k = c;
}

/* ---- comparing ---- */

static bool svc_attrs_equal(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return !strcmp(a->sched, b->sched) &&
	       (a->flags & ~IP_VS_SVC_F_HASHED) == (b->flags & ~IP_VS_SVC_F_HASHED) &&
	       a->timeout == b->timeout && a->netmask == b->netmask &&
	       !strcmp(a->pe_name, b->pe_name);
}

static bool dest_attrs_equal(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	uint32_t fa = a->conn_flags & IP_VS_CONN_F_FWD_MASK;

	if (fa != (b->conn_flags & IP_VS_CONN_F_FWD_MASK) || a->weight != b->weight ||
	    a->u_threshold != b->u_threshold || a->l_threshold != b->l_threshold)
		return false;
	return fa != IP_VS_CONN_F_TUNNEL ||
	       (a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
		a->tun_flags == b->tun_flags);
}

/* Same services, attributes and dests (exactly, modulo HASHED). */
static bool svc_equal(const struct ipvs_service *a, const struct ipvs_service *b)
{
	if (ipvs_service_cmp(a, b) || !svc_attrs_equal(a, b) || a->n_dests != b->n_dests)
		return false;
	for (unsigned i = 0; i < a->n_dests; i++) {
		const struct ipvs_dest *d = find_dest(b, &a->dests[i]);

		if (!d || !dest_attrs_equal(&a->dests[i], d))
			return false;
	}
	return true;
}

static unsigned run(const struct ipvs_state *d, const struct ipvs_state *o,
		    const struct ipvs_state *k, struct ipvs_ops *ops)
{
	assert_int_equal(ipvs_reconcile(d, o, k, ops), 0);
	return ops->n;
}

/* ---- hand-made cases ---- */

static void test_empty(void **st)
{
	struct ipvs_state e = { 0 };
	struct ipvs_ops ops = { 0 };

	(void)st;
	assert_int_equal(run(&e, &e, &e, &ops), 0);
	assert_int_equal(run(NULL, NULL, NULL, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_ops_free(&ops); /* twice is fine */
	ipvs_ops_free(NULL);
}

/* Two services with dests, one fwmark: the standard fixture. */
static struct ipvs_state fixture(void)
{
	struct ipvs_state d = { 0 };
	struct ipvs_service s;

	s = svc_addr(IPPROTO_TCP, "198.18.0.1", 80);
	add_dest(&s, "198.18.1.2", 80, 1);
	add_dest(&s, "198.18.1.1", 80, 2);
	add_dest(&s, "198.18.1.3", 8080, 3);
	state_add(&d, &s);
	s = svc_fwm(AF_INET, 7);
	add_dest(&s, "198.18.1.1", 0, 1);
	state_add(&d, &s);
	s = svc_addr(IPPROTO_UDP, "198.18.0.1", 53);
	state_add(&d, &s);
	ipvs_state_sort(&d);
	return d;
}

static void test_cold_start(void **st)
{
	struct ipvs_state d = fixture(), e = { 0 };
	struct ipvs_ops ops = { 0 };

	(void)st;
	assert_int_equal(run(&d, &e, &e, &ops), 3 + 4);
	/* ADD_SVC, then its ADD_DESTs, for each service in key order. */
	unsigned o = 0;
	for (unsigned i = 0; i < d.n_svcs; i++) {
		assert_int_equal(ops.v[o].kind, IPVS_OP_ADD_SVC);
		assert_ptr_equal(ops.v[o].svc, &d.svcs[i]);
		assert_null(ops.v[o].dest);
		o++;
		for (unsigned j = 0; j < d.svcs[i].n_dests; j++, o++) {
			assert_int_equal(ops.v[o].kind, IPVS_OP_ADD_DEST);
			assert_ptr_equal(ops.v[o].svc, &d.svcs[i]);
			assert_ptr_equal(ops.v[o].dest, &d.svcs[i].dests[j]);
		}
	}
	assert_int_equal(o, ops.n);
	/* owned does not matter for adds */
	assert_int_equal(run(&d, &d, &e, &ops), 7);

	struct ipvs_state k = { 0 };
	apply(&k, &ops);
	for (unsigned i = 0; i < d.n_svcs; i++)
		assert_true(svc_equal(&d.svcs[i], &k.svcs[i]));
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_noop(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };

	(void)st;
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	assert_int_equal(run(&d, NULL, &k, &ops), 0);
	/* identical tables without HASHED too */
	assert_int_equal(run(&d, &d, &d, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_weight_change(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };
	struct ipvs_service *s = &d.svcs[0];

	(void)st;
	/* whichever service sorts first with its dests; pick one that has dests */
	for (unsigned i = 0; i < d.n_svcs && !s->n_dests; i++)
		s = &d.svcs[i];
	assert_true(s->n_dests > 0);
	s->dests[0].weight = 100;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_DEST);
	assert_ptr_equal(ops.v[0].svc, s);
	assert_ptr_equal(ops.v[0].dest, &s->dests[0]);

	/* each other dest attribute is one EDIT_DEST too */
	ipvs_state_free(&k);
	k = as_kernel(&d);
	s->dests[0].u_threshold = 10;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	s->dests[0].u_threshold = 0;
	s->dests[0].l_threshold = 3;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	s->dests[0].l_threshold = 0;
	s->dests[0].conn_flags = IP_VS_CONN_F_DROUTE;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_DEST);
	s->dests[0].conn_flags = IP_VS_CONN_F_MASQ;
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_tunnel_fields(void **st)
{
	struct ipvs_state d = fixture(), k;
	struct ipvs_ops ops = { 0 };
	struct ipvs_dest *dd = &d.svcs[0].dests[0];

	(void)st;
	/* Tunnel settings count only for TUN dests. */
	dd->tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	dd->tun_port = htons(6080);
	k = as_kernel(&d);
	k.svcs[0].dests[0].tun_type = 0;
	k.svcs[0].dests[0].tun_port = 0;
	assert_int_equal(run(&d, &d, &k, &ops), 0);

	dd->conn_flags = IP_VS_CONN_F_TUNNEL;
	k.svcs[0].dests[0].conn_flags = IP_VS_CONN_F_TUNNEL;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_DEST);
	k.svcs[0].dests[0] = *dd;
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	k.svcs[0].dests[0].tun_port = htons(6081);
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	k.svcs[0].dests[0].tun_port = dd->tun_port;
	k.svcs[0].dests[0].tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	k.svcs[0].dests[0].tun_flags = 0;
	k.svcs[0].dests[0].tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	/* bits beyond the forwarding method in a dump do not count */
	k.svcs[0].dests[0] = *dd;
	k.svcs[0].dests[0].conn_flags |= IP_VS_CONN_F_NOOUTPUT;
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_dest_removed(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };
	struct ipvs_service *s = NULL;

	(void)st;
	for (unsigned i = 0; i < d.n_svcs; i++)
		if (d.svcs[i].n_dests == 3)
			s = &d.svcs[i];
	assert_non_null(s);
	struct ipvs_dest gone = s->dests[1];
	s->dests[1] = s->dests[2];
	s->n_dests = 2;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_DEL_DEST);
	assert_ptr_equal(ops.v[0].svc, s);
	assert_int_equal(ipvs_dest_cmp(ops.v[0].dest, &gone), 0);
	/* the kernel's dest, not a desired one */
	assert_true(ops.v[0].dest >= find_svc(&k, s)->dests &&
		    ops.v[0].dest < find_svc(&k, s)->dests + 3);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

/* The kernel's extra dests go first, then edits and adds in key order. */
static void test_dest_mix_order(void **st)
{
	struct ipvs_state d = { 0 }, k = { 0 };
	struct ipvs_ops ops = { 0 };
	struct ipvs_service s = svc_addr(IPPROTO_TCP, "198.18.0.1", 80), t;

	(void)st;
	t = svc_copy(&s);
	add_dest(&s, "198.18.1.1", 80, 1); /* add */
	add_dest(&s, "198.18.1.3", 80, 5); /* edit */
	add_dest(&s, "198.18.1.5", 80, 1); /* add */
	add_dest(&t, "198.18.1.2", 80, 1); /* del */
	add_dest(&t, "198.18.1.3", 80, 1);
	add_dest(&t, "198.18.1.4", 80, 1); /* del */
	add_dest(&t, "198.18.1.6", 80, 1); /* del */
	state_add(&d, &s);
	state_add(&k, &t);
	ipvs_state_sort(&d);
	ipvs_state_sort(&k);
	assert_int_equal(run(&d, &d, &k, &ops), 6);
	const enum ipvs_op_kind want[] = { IPVS_OP_DEL_DEST, IPVS_OP_DEL_DEST,	IPVS_OP_DEL_DEST,
					   IPVS_OP_ADD_DEST, IPVS_OP_EDIT_DEST, IPVS_OP_ADD_DEST };
	const char *const who[] = { "198.18.1.2", "198.18.1.4", "198.18.1.6",
				    "198.18.1.1", "198.18.1.3", "198.18.1.5" };
	for (unsigned i = 0; i < 6; i++) {
		struct conf_addr a = addr(who[i]);

		assert_int_equal(ops.v[i].kind, want[i]);
		assert_memory_equal(&ops.v[i].dest->addr.u.v4, &a.u.v4, 4);
	}
	apply(&k, &ops);
	assert_true(svc_equal(&d.svcs[0], &k.svcs[0]));
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_sched_change(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };

	(void)st;
	strcpy(d.svcs[0].sched, "sh");
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_SVC);
	assert_ptr_equal(ops.v[0].svc, &d.svcs[0]);
	assert_null(ops.v[0].dest);
	strcpy(d.svcs[0].sched, k.svcs[0].sched);

	/* each other service attribute is one EDIT_SVC */
	d.svcs[0].flags |= IP_VS_SVC_F_PERSISTENT;
	d.svcs[0].timeout = 360;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	d.svcs[0].flags &= ~(uint32_t)IP_VS_SVC_F_PERSISTENT;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	d.svcs[0].timeout = 0;
	d.svcs[0].netmask = htonl(0xffffff00u);
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	d.svcs[0].netmask = k.svcs[0].netmask;
	strcpy(d.svcs[0].pe_name, "sip");
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	d.svcs[0].pe_name[0] = '\0';
	d.svcs[0].flags |= IP_VS_SVC_F_SCHED2;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	d.svcs[0].flags = 0;
	d.svcs[0].flags |= IP_VS_SVC_F_ONEPACKET;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_SVC);
	d.svcs[0].flags = 0;
	/* a service edit and a dest edit together: EDIT_SVC first */
	strcpy(d.svcs[0].sched, "mh");
	d.svcs[0].dests[d.svcs[0].n_dests - 1].weight = 9;
	assert_int_equal(run(&d, &d, &k, &ops), 2);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_SVC);
	assert_int_equal(ops.v[1].kind, IPVS_OP_EDIT_DEST);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_hashed_masked(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };

	(void)st;
	for (unsigned i = 0; i < k.n_svcs; i++)
		assert_true(k.svcs[i].flags & IP_VS_SVC_F_HASHED);
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	/* HASHED with real flags: only the real ones count */
	d.svcs[1].flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1;
	k.svcs[1].flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_HASHED;
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	k.svcs[1].flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_SVC);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_svc_removed_owned(void **st)
{
	struct ipvs_state d = fixture(), owned = state_copy(&d), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };

	(void)st;
	/* drop the service with 3 dests from desired */
	unsigned victim = 0;
	for (unsigned i = 0; i < d.n_svcs; i++)
		if (d.svcs[i].n_dests == 3)
			victim = i;
	free(d.svcs[victim].dests);
	memmove(&d.svcs[victim], &d.svcs[victim + 1], (d.n_svcs - victim - 1) * sizeof(*d.svcs));
	d.n_svcs--;
	assert_int_equal(run(&d, &owned, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_DEL_SVC);
	assert_ptr_equal(ops.v[0].svc, &k.svcs[victim]); /* the kernel's */
	assert_null(ops.v[0].dest);

	/* applied, it converges: owned but gone from the kernel is nothing */
	apply(&k, &ops);
	assert_int_equal(k.n_svcs, 2);
	assert_int_equal(run(&d, &owned, &k, &ops), 0);
	/* not owned: left alone */
	ipvs_state_free(&k);
	k = as_kernel(&owned);
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	assert_int_equal(run(&d, NULL, &k, &ops), 0);
	/* everything removed from the config */
	ipvs_state_free(&k);
	k = as_kernel(&owned);
	assert_int_equal(run(NULL, &owned, &k, &ops), 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(ops.v[i].kind, IPVS_OP_DEL_SVC);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&owned);
	ipvs_state_free(&k);
}

static void test_foreign_untouched(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };
	struct ipvs_service f = svc_addr(IPPROTO_TCP, "198.18.9.9", 443);
	struct ipvs_service g = svc_fwm(AF_INET6, 99);

	(void)st;
	add_dest(&f, "198.18.1.1", 443, 1);
	state_add(&k, &f);
	state_add(&k, &g);
	ipvs_state_sort(&k);
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	/* even when everything we own goes */
	assert_int_equal(run(NULL, &d, &k, &ops), 3);
	for (unsigned i = 0; i < ops.n; i++)
		assert_null(
			find_svc(&(struct ipvs_state){ .svcs = &f, .n_svcs = 1 }, ops.v[i].svc));
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_kernel_extra_dests(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };

	(void)st;
	/* somebody (ipvsadm) added two dests to a service we manage */
	add_dest(&k.svcs[0], "198.18.7.7", 80, 1);
	add_dest(&k.svcs[0], "fd00:198:18::7", 80, 1); /* a TUN dest of the other family */
	k.svcs[0].dests[k.svcs[0].n_dests - 1].conn_flags = IP_VS_CONN_F_TUNNEL;
	ipvs_state_sort(&k);
	assert_int_equal(run(&d, &d, &k, &ops), 2);
	assert_int_equal(ops.v[0].kind, IPVS_OP_DEL_DEST);
	assert_int_equal(ops.v[1].kind, IPVS_OP_DEL_DEST);
	apply(&k, &ops);
	assert_true(svc_equal(&d.svcs[0], &k.svcs[0]));
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

/* fwmark and address services with colliding numbers stay apart, in both
 * families, and the walk follows ipvs_service_cmp's order. */
static void test_fwmark_vs_addr_order(void **st)
{
	struct ipvs_state d = { 0 }, k = { 0 };
	struct ipvs_ops ops = { 0 };
	struct ipvs_service s;

	(void)st;
	s = svc_fwm(AF_INET, 80);
	state_add(&d, &s);
	s = svc_addr(IPPROTO_TCP, "198.18.0.80", 80);
	state_add(&d, &s);
	s = svc_fwm(AF_INET6, 80);
	state_add(&d, &s);
	s = svc_addr(IPPROTO_TCP, "fd00:198:18::80", 80);
	state_add(&d, &s);
	s = svc_fwm(AF_INET, 1);
	state_add(&k, &s); /* foreign */
	s = svc_addr(IPPROTO_SCTP, "198.18.0.80", 80);
	state_add(&k, &s); /* foreign */
	s = svc_fwm(AF_INET6, 80);
	state_add(&k, &s); /* ours, differs */
	strcpy(k.svcs[k.n_svcs - 1].sched, "wrr");
	ipvs_state_sort(&d);
	ipvs_state_sort(&k);
	assert_int_equal(run(&d, &d, &k, &ops), 4);
	unsigned adds = 0, edits = 0;
	for (unsigned i = 0; i < ops.n; i++) {
		adds += ops.v[i].kind == IPVS_OP_ADD_SVC;
		edits += ops.v[i].kind == IPVS_OP_EDIT_SVC;
		if (i)
			assert_true(ipvs_service_cmp(ops.v[i - 1].svc, ops.v[i].svc) < 0);
	}
	assert_int_equal(adds, 3);
	assert_int_equal(edits, 1);
	apply(&k, &ops);
	assert_int_equal(k.n_svcs, 6);
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

static void test_ipv6(void **st)
{
	struct ipvs_state d = { 0 }, k = { 0 };
	struct ipvs_ops ops = { 0 };
	struct ipvs_service s = svc_addr(IPPROTO_UDP, "fd00:198:18::1", 53), t;

	(void)st;
	add_dest(&s, "fd00:198:18:1::1", 53, 1);
	add_dest(&s, "fd00:198:18:1::2", 53, 1);
	add_dest(&s, "198.18.1.1", 53, 1); /* TUN dest of the other family */
	s.dests[2].conn_flags = IP_VS_CONN_F_TUNNEL;
	s.netmask = 64;
	s.flags = IP_VS_SVC_F_PERSISTENT;
	s.timeout = 60;
	t = svc_copy(&s);
	t.flags |= IP_VS_SVC_F_HASHED;
	t.dests[1].weight = 7; /* fd00:198:18:1::2 */
	/* same bytes in the v4 part as the v6 dest would have: still different */
	state_add(&d, &s);
	state_add(&k, &t);
	ipvs_state_sort(&d);
	ipvs_state_sort(&k);
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_DEST);
	assert_int_equal(ops.v[0].dest->af, AF_INET6);
	k.svcs[0].netmask = 128;
	assert_int_equal(run(&d, &d, &k, &ops), 2);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_SVC);
	apply(&k, &ops);
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

/* A kernel sched / pe name without its NUL (hostile dump) is compared in
 * bounds. */
static void test_unterminated_names(void **st)
{
	struct ipvs_state d = fixture(), k = as_kernel(&d);
	struct ipvs_ops ops = { 0 };

	(void)st;
	memset(k.svcs[0].sched, 'x', IPVS_SCHED_LEN);
	memset(k.svcs[0].pe_name, 'y', IPVS_PE_LEN);
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	assert_int_equal(ops.v[0].kind, IPVS_OP_EDIT_SVC);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

/* The ops buffer is reused: a second call starts from zero. */
static void test_ops_reused(void **st)
{
	struct ipvs_state d = fixture(), e = { 0 };
	struct ipvs_ops ops = { 0 };

	(void)st;
	assert_int_equal(run(&d, NULL, &e, &ops), 7);
	assert_int_equal(run(&d, NULL, &d, &ops), 0);
	assert_int_equal(run(&d, NULL, &e, &ops), 7);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
}

/* ---- random tables against the simulator and a naive oracle ---- */

static unsigned rnd(unsigned n)
{
	return (unsigned)rand() % n;
}

static const char *const v4_pool[] = { "198.18.0.1", "198.18.0.2", "198.18.0.3" };
static const char *const v6_pool[] = { "fd00:198:18::1", "fd00:198:18::2" };
static const char *const d4_pool[] = { "198.18.1.1", "198.18.1.2", "198.18.1.3", "198.18.1.4" };
static const char *const d6_pool[] = { "fd00:198:18:1::1", "fd00:198:18:1::2" };
static const char *const scheds[] = { "rr", "wlc", "sh", "mh" };

static struct ipvs_service random_key(void)
{
	static const uint16_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };
	bool v6 = rnd(3) == 0;

	if (rnd(4) == 0)
		return svc_fwm(v6 ? AF_INET6 : AF_INET, 1 + rnd(3));
	return svc_addr(protos[rnd(3)], v6 ? v6_pool[rnd(2)] : v4_pool[rnd(3)],
			(uint16_t)(rnd(2) ? 80 : 443));
}

static void random_attrs(struct ipvs_service *s)
{
	strcpy(s->sched, scheds[rnd(4)]);
	s->flags = rnd(2) ? IP_VS_SVC_F_PERSISTENT : 0;
	s->timeout = s->flags ? 300 : 0;
	if (rnd(4) == 0)
		s->flags |= IP_VS_SVC_F_SCHED1;
	if (rnd(5) == 0)
		s->netmask = s->af == AF_INET ? htonl(0xffffff00u) : 64;
	if (rnd(6) == 0)
		strcpy(s->pe_name, "sip");
}

static void random_dest(struct ipvs_dest *d, int svc_af)
{
	bool other = rnd(5) == 0; /* a dest of the other family, which must be TUN */
	bool v6 = (svc_af == AF_INET6) != other;

	memset(d, 0, sizeof(*d));
	d->addr = addr(v6 ? d6_pool[rnd(2)] : d4_pool[rnd(4)]);
	d->af = d->addr.family;
	d->port = (uint16_t)(rnd(3) ? 80 : 8080);
	d->conn_flags = other ? IP_VS_CONN_F_TUNNEL : (uint32_t)(rnd(3) == 0 ? 3 : rnd(3));
	if (d->conn_flags == 1) /* LOCALNODE: not something we ask for */
		d->conn_flags = IP_VS_CONN_F_MASQ;
	d->weight = (int)rnd(3);
	if (rnd(6) == 0)
		d->u_threshold = 100;
	if (rnd(6) == 0)
		d->l_threshold = 10;
	if (d->conn_flags == IP_VS_CONN_F_TUNNEL && rnd(2)) {
		d->tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
		d->tun_port = htons((uint16_t)(6080 + rnd(2)));
		d->tun_flags = (uint16_t)rnd(3);
	}
}

static void random_dests(struct ipvs_service *s)
{
	unsigned n = rnd(5);

	s->dests = NULL;
	s->n_dests = 0;
	for (unsigned i = 0; i < n; i++) {
		struct ipvs_dest d;

		random_dest(&d, s->af);
		if (find_dest(s, &d))
			continue;
		s->dests = realloc(s->dests, (s->n_dests + 1) * sizeof(d));
		assert_non_null(s->dests);
		s->dests[s->n_dests++] = d;
	}
}

/* A random table with unique keys. */
static struct ipvs_state random_state(unsigned max)
{
	struct ipvs_state st = { 0 };
	unsigned n = rnd(max + 1);

	for (unsigned i = 0; i < n; i++) {
		struct ipvs_service s = random_key();

		if (find_svc(&st, &s))
			continue;
		random_attrs(&s);
		random_dests(&s);
		state_add(&st, &s);
	}
	ipvs_state_sort(&st);
	return st;
}

/* A kernel near desired: some services copied (some changed), some random. */
static struct ipvs_state random_kernel(const struct ipvs_state *d)
{
	struct ipvs_state k = random_state(6);

	for (unsigned i = 0; i < d->n_svcs; i++) {
		if (find_svc(&k, &d->svcs[i]) || rnd(3) == 0)
			continue;
		struct ipvs_service c = svc_copy(&d->svcs[i]);

		if (rnd(3) == 0)
			random_attrs(&c);
		for (unsigned j = 0; j < c.n_dests; j++) {
			if (rnd(4))
				continue;
			/* same key, random attributes */
			random_dest(&c.dests[j], c.af);
			c.dests[j].addr = d->svcs[i].dests[j].addr;
			c.dests[j].af = d->svcs[i].dests[j].af;
			c.dests[j].port = d->svcs[i].dests[j].port;
			if (c.dests[j].af != c.af)
				c.dests[j].conn_flags = IP_VS_CONN_F_TUNNEL;
		}
		if (c.n_dests && rnd(3) == 0)
			c.n_dests--; /* lose one (memory stays owned by c.dests) */
		if (rnd(3) == 0) {
			struct ipvs_dest x;

			random_dest(&x, c.af);
			if (!find_dest(&c, &x)) {
				c.dests = realloc(c.dests, (c.n_dests + 1) * sizeof(x));
				assert_non_null(c.dests);
				c.dests[c.n_dests++] = x;
			}
		}
		state_add(&k, &c);
	}
	for (unsigned i = 0; i < k.n_svcs; i++)
		if (rnd(2))
			k.svcs[i].flags |= IP_VS_SVC_F_HASHED;
	ipvs_state_sort(&k);
	return k;
}

/* The expected number of ops, found the slow way. */
static unsigned oracle(const struct ipvs_state *d, const struct ipvs_state *o,
		       const struct ipvs_state *k)
{
	unsigned n = 0;

	for (unsigned i = 0; i < d->n_svcs; i++) {
		const struct ipvs_service *ds = &d->svcs[i], *ks = find_svc(k, ds);

		if (!ks) {
			n += 1 + ds->n_dests;
			continue;
		}
		n += !svc_attrs_equal(ds, ks);
		for (unsigned j = 0; j < ds->n_dests; j++) {
			const struct ipvs_dest *kd = find_dest(ks, &ds->dests[j]);

			n += !kd || !dest_attrs_equal(&ds->dests[j], kd);
		}
		for (unsigned j = 0; j < ks->n_dests; j++)
			n += !find_dest(ds, &ks->dests[j]);
	}
	for (unsigned i = 0; i < k->n_svcs; i++)
		n += !find_svc(d, &k->svcs[i]) && find_svc(o, &k->svcs[i]);
	return n;
}

static void test_random(void **st)
{
	unsigned seed = 20261121, rounds = 3000, kinds[6] = { 0 };
	const char *env = getenv("IPVS_RECONCILE_SEED");
	struct ipvs_ops ops = { 0 };

	(void)st;
	if (env)
		seed = (unsigned)strtoul(env, NULL, 10);
	printf("# random reconcile: seed %u (IPVS_RECONCILE_SEED=%u to repeat), %u rounds\n", seed,
	       seed, rounds);
	srand(seed);
	for (unsigned r = 0; r < rounds; r++) {
		struct ipvs_state d = random_state(10), o = random_state(6), k = random_kernel(&d);
		struct ipvs_state k0 = state_copy(&k);

		/* owned is usually what we declared last time: mostly desired */
		if (rnd(2)) {
			for (unsigned i = 0; i < k.n_svcs; i++)
				if (!find_svc(&o, &k.svcs[i]) && rnd(2)) {
					struct ipvs_service c = svc_copy(&k.svcs[i]);

					state_add(&o, &c);
				}
			ipvs_state_sort(&o);
		}
		unsigned want = oracle(&d, &o, &k);

		assert_int_equal(ipvs_reconcile(&d, &o, &k, &ops), 0);
		if (ops.n != want)
			fail_msg("round %u: %u ops, oracle says %u", r, ops.n, want);
		for (unsigned i = 0; i < ops.n; i++)
			kinds[ops.v[i].kind]++;
		struct ipvs_ops copy = ops; /* pointers into k: apply to a copy */
		struct ipvs_state sim = state_copy(&k);

		sim_apply(&sim, &copy);
		/* managed services: exactly desired */
		for (unsigned i = 0; i < d.n_svcs; i++) {
			const struct ipvs_service *s = find_svc(&sim, &d.svcs[i]);

			if (!s || !svc_equal(&d.svcs[i], s))
				fail_msg("round %u: service %u not as desired", r, i);
		}
		/* owned and not desired: gone; foreign: unchanged */
		for (unsigned i = 0; i < k0.n_svcs; i++) {
			const struct ipvs_service *ks = &k0.svcs[i];

			if (find_svc(&d, ks))
				continue;
			if (find_svc(&o, ks))
				assert_null(find_svc(&sim, ks));
			else
				assert_true(svc_equal(ks, find_svc(&sim, ks)) &&
					    find_svc(&sim, ks)->flags == ks->flags);
		}
		/* nothing else appeared */
		for (unsigned i = 0; i < sim.n_svcs; i++)
			assert_true(find_svc(&d, &sim.svcs[i]) || find_svc(&k0, &sim.svcs[i]));
		/* converged */
		assert_int_equal(ipvs_reconcile(&d, &o, &sim, &ops), 0);
		if (ops.n)
			fail_msg("round %u: %u ops after applying", r, ops.n);
		ipvs_state_free(&d);
		ipvs_state_free(&o);
		ipvs_state_free(&k);
		ipvs_state_free(&k0);
		ipvs_state_free(&sim);
	}
	printf("# ops seen: %u ADD_SVC, %u EDIT_SVC, %u DEL_SVC, %u ADD_DEST, %u EDIT_DEST, "
	       "%u DEL_DEST\n",
	       kinds[IPVS_OP_ADD_SVC], kinds[IPVS_OP_EDIT_SVC], kinds[IPVS_OP_DEL_SVC],
	       kinds[IPVS_OP_ADD_DEST], kinds[IPVS_OP_EDIT_DEST], kinds[IPVS_OP_DEL_DEST]);
	for (unsigned i = 0; i < 6; i++)
		assert_true(kinds[i] > 0);
	ipvs_ops_free(&ops);
}

/* ---- speed ---- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct ipvs_state big_state(unsigned n_svcs, unsigned n_dests)
{
	struct ipvs_state st = { 0 };

	st.svcs = calloc(n_svcs, sizeof(*st.svcs));
	assert_non_null(st.svcs);
	for (unsigned i = 0; i < n_svcs; i++) {
		struct ipvs_service *s = &st.svcs[i];
		char a[32];

		snprintf(a, sizeof(a), "198.18.%u.%u", (i / 250) % 256, 1 + i % 250);
		*s = svc_addr(i % 2 ? IPPROTO_UDP : IPPROTO_TCP, a, (uint16_t)(80 + i / 64000));
		for (unsigned j = 0; j < n_dests; j++) {
			snprintf(a, sizeof(a), "198.19.%u.%u", j, 1 + i % 250);
			add_dest(s, a, (uint16_t)(8000 + i / 250), 1);
		}
	}
	st.n_svcs = n_svcs;
	ipvs_state_sort(&st);
	return st;
}

static void test_speed(void **st)
{
	struct ipvs_state d = big_state(10000, 10), k = as_kernel(&d), e = { 0 };
	struct ipvs_ops ops = { 0 };
	double t0, t1, t2, t3;

	(void)st;
	/* the keys are unique */
	for (unsigned i = 1; i < d.n_svcs; i++)
		assert_true(ipvs_service_cmp(&d.svcs[i - 1], &d.svcs[i]) < 0);
	t0 = now_ms();
	assert_int_equal(run(&d, &d, &k, &ops), 0);
	t1 = now_ms();
	assert_int_equal(run(&d, &d, &e, &ops), 10000 + 100000);
	t2 = now_ms();
	k.svcs[5000].dests[3].weight = 50;
	assert_int_equal(run(&d, &d, &k, &ops), 1);
	t3 = now_ms();
	printf("# reconcile 10000 services x 10 dests: no-op %.2f ms, cold start %.2f ms "
	       "(110000 ops), one change %.2f ms\n",
	       t1 - t0, t2 - t1, t3 - t2);
	ipvs_ops_free(&ops);
	ipvs_state_free(&d);
	ipvs_state_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cold_start),
		cmocka_unit_test(test_noop),
		cmocka_unit_test(test_weight_change),
		cmocka_unit_test(test_tunnel_fields),
		cmocka_unit_test(test_dest_removed),
		cmocka_unit_test(test_dest_mix_order),
		cmocka_unit_test(test_sched_change),
		cmocka_unit_test(test_hashed_masked),
		cmocka_unit_test(test_svc_removed_owned),
		cmocka_unit_test(test_foreign_untouched),
		cmocka_unit_test(test_kernel_extra_dests),
		cmocka_unit_test(test_fwmark_vs_addr_order),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_unterminated_names),
		cmocka_unit_test(test_ops_reused),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
