/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The validated config model (conf/model_lvs.h) in the kernel's terms: one
 * struct ipvs_service per virtual_server, or per address / fwmark a
 * virtual_server_group expands to, each carrying its real servers as
 * struct ipvs_dest. Pure: no sockets, no globals.
 *
 * The model is read after conf_validate_lvs(), so every inherited value
 * (forwarding method, a real server's port, the address family of a fwmark
 * service, the persistence timeout implied by a granularity) is already
 * resolved there. Ports are host order, tun_port network order (ipvs.h).
 *
 * Duplicate keys: conf_validate_lvs() refuses every overlap group expansion
 * can make (a range covering an address another virtual_server names, two
 * groups sharing an address, a group's fwmark entry used by a TCP and a UDP
 * virtual_server, a real server twice). Should a model still hold one, the
 * kernel cannot hold the key twice: the first in config order wins, and
 * every later copy is counted in struct ipvs_desired_drops for the caller
 * to log, never dropped silently.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/ip_vs.h>

#include "ipvs/desired.h"

/* net/netfilter/ipvs/ip_vs_mh.c: the mh scheduler reads the same two bits
 * as sh; linux/ip_vs.h names them only for sh. */
#define IPVS_SVC_F_SCHED_MH_FALLBACK IP_VS_SVC_F_SCHED1
#define IPVS_SVC_F_SCHED_MH_PORT IP_VS_SVC_F_SCHED2

struct svc_vec {
	struct ipvs_service *v;
	unsigned n, cap;
};

static void svc_vec_free(struct svc_vec *sv)
{
	for (unsigned i = 0; i < sv->n; i++)
		free(sv->v[i].dests);
	free(sv->v);
	*sv = (struct svc_vec){ 0 };
}

/* Appends svc, giving it its own copy of the n dests. */
static int svc_vec_push(struct svc_vec *sv, const struct ipvs_service *svc,
			const struct ipvs_dest *dests, unsigned n)
{
	struct ipvs_service *s;

	if (sv->n == sv->cap) {
		unsigned cap = sv->cap ? sv->cap * 2 : 16;
		struct ipvs_service *v;

		if (cap < sv->cap || cap > UINT_MAX / sizeof(*v))
			return -ENOMEM;
		v = realloc(sv->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	s = &sv->v[sv->n];
	*s = *svc;
	s->dests = NULL;
	s->n_dests = 0;
	if (n) {
		s->dests = malloc(n * sizeof(*dests));
		if (!s->dests)
			return -ENOMEM;
		memcpy(s->dests, dests, n * sizeof(*dests));
		s->n_dests = n;
	}
	sv->n++;
	return 0;
}

static uint16_t proto_number(int protocol)
{
	switch (protocol) {
	case CONF_PROTO_UDP:
		return IPPROTO_UDP;
	case CONF_PROTO_SCTP:
		return IPPROTO_SCTP;
	default:
		return IPPROTO_TCP;
	}
}

static uint32_t fwd_conn_flags(int method)
{
	switch (method) {
	case CONF_FWD_DR:
		return IP_VS_CONN_F_DROUTE;
	case CONF_FWD_TUN:
		return IP_VS_CONN_F_TUNNEL;
	default:
		return IP_VS_CONN_F_MASQ;
	}
}

static uint16_t tun_type(int t)
{
	switch (t) {
	case CONF_TUN_GUE:
		return IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	case CONF_TUN_GRE:
		return IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	default:
		return IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
	}
}

static uint16_t tun_flags(int csum)
{
	switch (csum) {
	case CONF_CSUM_CSUM:
		return IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	case CONF_CSUM_REMCSUM:
		return IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
	default: /* unset means what the kernel does by default: no checksum */
		return IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
	}
}

static void fill_dest(struct ipvs_dest *d, const struct conf_vs *vs, const struct conf_rs *rs)
{
	/* conf_validate_lvs copies the virtual server's method into an unset
	 * one; the fallback only guards a model that skipped validation. */
	const struct conf_lvs_fwd *f = rs->fwd.method ? &rs->fwd : &vs->fwd;

	memset(d, 0, sizeof(*d));
	d->af = rs->addr.family;
	d->addr = rs->addr;
	/* 0 (left out on a fwmark, group or port-less persistent service):
	 * the kernel then sends to the port the client connected to. */
	d->port = (uint16_t)rs->port;
	d->conn_flags = fwd_conn_flags(f->method);
	d->weight = (int)rs->weight;
	d->u_threshold = rs->uthreshold;
	d->l_threshold = rs->lthreshold;
	if (f->method == CONF_FWD_TUN) {
		d->tun_type = tun_type(f->tun_type);
		if (f->tun_type == CONF_TUN_GUE)
			d->tun_port = htons(f->tun_port);
		if (f->tun_type != CONF_TUN_IPIP)
			d->tun_flags = tun_flags(f->tun_csum);
	}
}

/* IPv4: the netmask in network order; IPv6: the prefix length. The kernel
 * refuses an IPv6 service whose length is not 1..128, so "none" is 128. */
static uint32_t svc_netmask(const struct conf_vs *vs, int af)
{
	unsigned len = vs->persistence_granularity;

	if (af == AF_INET6)
		return len ? len : 128;
	/* A prefix length meant for IPv6 (a group mixing both families)
	 * cannot be wider than an IPv4 address. */
	if (!len || len >= 32)
		return htonl(0xffffffffu);
	return htonl(0xffffffffu << (32 - len));
}

/* The settings every service of vs shares; af and the key are filled by the
 * caller, which then calls finish_svc. */
static void fill_svc_common(struct ipvs_service *s, const struct conf_vs *vs)
{
	const char *sched = vs->sched >= 0 ? conf_lvs_sched_names[vs->sched] : "wlc";

	memset(s, 0, sizeof(*s));
	strncpy(s->sched, sched ? sched : "wlc", IPVS_SCHED_LEN - 1);
	if (vs->flag_1)
		s->flags |= IP_VS_SVC_F_SCHED1;
	if (vs->flag_2)
		s->flags |= IP_VS_SVC_F_SCHED2;
	if (vs->flag_3)
		s->flags |= IP_VS_SVC_F_SCHED3;
	if (vs->sh_fallback)
		s->flags |= IP_VS_SVC_F_SCHED_SH_FALLBACK;
	if (vs->sh_port)
		s->flags |= IP_VS_SVC_F_SCHED_SH_PORT;
	if (vs->mh_fallback)
		s->flags |= IPVS_SVC_F_SCHED_MH_FALLBACK;
	if (vs->mh_port)
		s->flags |= IPVS_SVC_F_SCHED_MH_PORT;
	if (vs->persistence_timeout) {
		s->flags |= IP_VS_SVC_F_PERSISTENT;
		s->timeout = vs->persistence_timeout;
	}
	if (vs->persistence_engine)
		strncpy(s->pe_name, vs->persistence_engine, IPVS_PE_LEN - 1);
}

static void finish_svc(struct ipvs_service *s, const struct conf_vs *vs)
{
	s->netmask = svc_netmask(vs, s->af);
	/* One-packet scheduling only means something for UDP datagrams, which
	 * a fwmark service may carry; the kernel ignores it elsewhere, and
	 * keepalived sets it only for these. */
	if (vs->ops && (s->protocol == IPPROTO_UDP || s->fwmark))
		s->flags |= IP_VS_SVC_F_ONEPACKET;
}

static int vs_family(const struct conf_vs *vs)
{
	return vs->family == CONF_FAMILY_INET6 ? AF_INET6 : AF_INET;
}

/* a += 1 (host bits of an address of its own family). */
static void addr_next(struct conf_addr *a)
{
	if (a->family == AF_INET) {
		a->u.v4.s_addr = htonl(ntohl(a->u.v4.s_addr) + 1);
		return;
	}
	for (int i = 15; i >= 0; i--)
		if (++a->u.v6.s6_addr[i])
			break;
}

static int add_group(struct svc_vec *sv, const struct conf_vs *vs, const struct conf_vsg *g,
		     const struct ipvs_dest *dests, unsigned n)
{
	struct ipvs_service s;
	int rc;

	conf_list_for_each (const struct conf_vsg_entry, e, &g->entries) {
		fill_svc_common(&s, vs);
		if (e->is_fwmark) {
			s.af = e->family ? e->family : vs_family(vs);
			s.fwmark = e->fwmark;
			finish_svc(&s, vs);
			rc = svc_vec_push(sv, &s, dests, n);
			if (rc)
				return rc;
			continue;
		}
		struct conf_addr a = e->first;

		s.af = e->first.family;
		s.protocol = proto_number(vs->protocol);
		s.port = (uint16_t)e->port;
		finish_svc(&s, vs);
		/* n_addrs is bounded by CONF_LVS_RANGE_MAX at parse time. */
		for (uint32_t i = 0; i < e->n_addrs; i++) {
			s.addr = a;
			rc = svc_vec_push(sv, &s, dests, n);
			if (rc)
				return rc;
			addr_next(&a);
		}
	}
	return 0;
}

static void fill_sorry(struct ipvs_dest *d, const struct conf_vs *vs, int weight)
{
	const struct conf_lvs_fwd *f = vs->sorry.fwd.method ? &vs->sorry.fwd : &vs->fwd;

	memset(d, 0, sizeof(*d));
	d->af = vs->sorry.addr.family;
	d->addr = vs->sorry.addr;
	d->port = (uint16_t)(vs->sorry.port ? vs->sorry.port : vs->port);
	d->conn_flags = fwd_conn_flags(f->method);
	d->weight = weight;
	if (f->method == CONF_FWD_TUN) {
		d->tun_type = tun_type(f->tun_type);
		if (f->tun_type == CONF_TUN_GUE)
			d->tun_port = htons(f->tun_port);
		if (f->tun_type != CONF_TUN_IPIP)
			d->tun_flags = tun_flags(f->tun_csum);
	}
}

/* The dests of vs (number vi in the model) through f, in *n. */
static struct ipvs_dest *vs_dests(const struct conf_vs *vs, unsigned vi,
				  const struct ipvs_desired_filter *f, unsigned *n)
{
	struct ipvs_dest *dests = calloc((size_t)vs->real_servers.count + 1, sizeof(*dests));
	unsigned ri = 0;
	int w;

	*n = 0;
	if (!dests)
		return NULL;
	conf_list_for_each (const struct conf_rs, rs, &vs->real_servers) {
		if (ri++ >= vs->real_servers.count)
			break;
		if (f && f->rs) {
			if (!f->rs(f->ctx, vi, ri - 1, &w))
				continue;
			fill_dest(&dests[*n], vs, rs);
			dests[(*n)++].weight = w;
		} else {
			fill_dest(&dests[(*n)++], vs, rs);
		}
	}
	if (vs->sorry.set && f && f->sorry && f->sorry(f->ctx, vi, &w)) {
		struct ipvs_dest sd;
		unsigned k = 0;

		fill_sorry(&sd, vs, w);
		while (k < *n && ipvs_dest_cmp(&dests[k], &sd))
			k++;
		if (k == *n)
			dests[(*n)++] = sd;
		else if (w > 0)
			dests[k] = sd; /* the sorry server is that real server */
	}
	return dests;
}

static int add_vs(struct svc_vec *sv, const struct conf_vs *vs, unsigned vi,
		  const struct ipvs_desired_filter *f)
{
	struct ipvs_dest *dests;
	struct ipvs_service s;
	unsigned n = 0;
	int rc = 0;

	dests = vs_dests(vs, vi, f, &n);
	if (!dests)
		return -ENOMEM;

	switch (vs->kind) {
	case CONF_VS_ADDR:
		fill_svc_common(&s, vs);
		s.af = vs->addr.family;
		s.protocol = proto_number(vs->protocol);
		s.addr = vs->addr;
		s.port = (uint16_t)vs->port;
		finish_svc(&s, vs);
		rc = svc_vec_push(sv, &s, dests, n);
		break;
	case CONF_VS_FWMARK:
		fill_svc_common(&s, vs);
		s.af = vs_family(vs);
		s.fwmark = vs->fwmark;
		finish_svc(&s, vs);
		rc = svc_vec_push(sv, &s, dests, n);
		break;
	case CONF_VS_GROUP:
		/* Validation refuses a missing group; nothing to expand then. */
		if (vs->vsg)
			rc = add_group(sv, vs, vs->vsg, dests, n);
		break;
	}
	free(dests);
	return rc;
}

/* Sorting pointers lets equal keys keep their config order (the pointer
 * order), so "first wins" holds whatever qsort does with ties. */
static int svc_ptr_cmp(const void *a, const void *b)
{
	const struct ipvs_service *x = *(const struct ipvs_service *const *)a;
	const struct ipvs_service *y = *(const struct ipvs_service *const *)b;
	int c = ipvs_service_cmp(x, y);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

static int dest_ptr_cmp(const void *a, const void *b)
{
	const struct ipvs_dest *x = *(const struct ipvs_dest *const *)a;
	const struct ipvs_dest *y = *(const struct ipvs_dest *const *)b;
	int c = ipvs_dest_cmp(x, y);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* Sorts s's dests and drops later duplicates (validation already refuses
 * them; this keeps the kernel's one-dest-per-key rule whatever the model). */
static int sort_dests(struct ipvs_service *s, struct ipvs_desired_drops *drops)
{
	const struct ipvs_dest **p;
	struct ipvs_dest *v;
	unsigned n = 0;

	if (s->n_dests < 2)
		return 0;
	p = malloc(s->n_dests * sizeof(*p));
	v = malloc(s->n_dests * sizeof(*v));
	if (!p || !v) {
		free(p);
		free(v);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < s->n_dests; i++)
		p[i] = &s->dests[i];
	qsort(p, s->n_dests, sizeof(*p), dest_ptr_cmp);
	for (unsigned i = 0; i < s->n_dests; i++) {
		if (!n || ipvs_dest_cmp(&v[n - 1], p[i])) {
			v[n++] = *p[i];
			continue;
		}
		if (!drops->dests++) {
			char sv[96], d[64];

			snprintf(drops->first_dest, sizeof(drops->first_dest), "%s in %s",
				 ipvs_dest_str(p[i], d, sizeof(d)),
				 ipvs_service_str(s, sv, sizeof(sv)));
		}
	}
	free(p);
	free(s->dests);
	s->dests = v;
	s->n_dests = n;
	return 0;
}

/* Sorts the services into out, dropping later duplicates; sv is consumed. */
static int sort_unique(struct svc_vec *sv, struct ipvs_state *out, struct ipvs_desired_drops *drops)
{
	const struct ipvs_service **p;
	struct ipvs_service *v;
	unsigned n = 0;

	if (!sv->n) {
		svc_vec_free(sv);
		return 0;
	}
	p = malloc(sv->n * sizeof(*p));
	v = malloc(sv->n * sizeof(*v));
	if (!p || !v) {
		free(p);
		free(v);
		svc_vec_free(sv);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < sv->n; i++)
		p[i] = &sv->v[i];
	qsort(p, sv->n, sizeof(*p), svc_ptr_cmp);
	for (unsigned i = 0; i < sv->n; i++) {
		if (n && !ipvs_service_cmp(&v[n - 1], p[i])) {
			/* a later duplicate: dropped, counted */
			if (!drops->services++)
				ipvs_service_str(p[i], drops->first_service,
						 sizeof(drops->first_service));
			free(p[i]->dests);
			continue;
		}
		v[n++] = *p[i];
	}
	free(p);
	free(sv->v); /* the dests moved to v */
	*sv = (struct svc_vec){ 0 };
	out->svcs = v;
	out->n_svcs = n;
	for (unsigned i = 0; i < n; i++) {
		if (sort_dests(&v[i], drops)) {
			ipvs_state_free(out);
			*out = (struct ipvs_state){ 0 };
			return -ENOMEM;
		}
	}
	return 0;
}

int ipvs_desired_build(const struct conf_model *m, struct ipvs_state *out)
{
	return ipvs_desired_build_counted(m, out, NULL);
}

int ipvs_desired_build_counted(const struct conf_model *m, struct ipvs_state *out,
			       struct ipvs_desired_drops *drops)
{
	return ipvs_desired_build_filtered(m, NULL, out, drops);
}

int ipvs_desired_build_vs(const struct conf_model *m, const bool *which, unsigned n,
			  const struct ipvs_desired_filter *f, struct ipvs_state *out)
{
	struct ipvs_desired_drops drops;
	struct svc_vec sv = { 0 };
	unsigned vi = 0;
	int rc;

	memset(&drops, 0, sizeof(drops));
	*out = (struct ipvs_state){ 0 };
	if (!m || !which)
		return 0;
	conf_list_for_each (const struct conf_vs, v, &m->lvs.virtual_servers) {
		if (vi >= n)
			break;
		if (!which[vi]) {
			vi++;
			continue;
		}
		rc = add_vs(&sv, v, vi++, f);
		if (rc) {
			svc_vec_free(&sv);
			return rc;
		}
	}
	return sort_unique(&sv, out, &drops);
}

int ipvs_desired_build_filtered(const struct conf_model *m, const struct ipvs_desired_filter *f,
				struct ipvs_state *out, struct ipvs_desired_drops *drops)
{
	struct ipvs_desired_drops none;
	unsigned vi = 0;
	struct svc_vec sv = { 0 };
	int rc;

	if (!drops)
		drops = &none;
	memset(drops, 0, sizeof(*drops));
	*out = (struct ipvs_state){ 0 };
	if (!m)
		return 0;
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		rc = add_vs(&sv, vs, vi++, f);
		if (rc) {
			svc_vec_free(&sv);
			return rc;
		}
	}
	return sort_unique(&sv, out, drops);
}
