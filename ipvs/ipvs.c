/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plain helpers over the IPVS table structs: key order, sorting, freeing and
 * text for logs. Ports in struct ipvs_service / ipvs_dest are host order
 * (the netlink code converts); tun_port stays network order as the header
 * says.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/ipvs.h"

static int cmp_num(long long a, long long b)
{
	return (a > b) - (a < b);
}

/* Compares the address bytes that matter for af (4 or 16). */
static int cmp_addr(int af, const struct conf_addr *a, const struct conf_addr *b)
{
	if (af == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return memcmp(&a->u.v4, &b->u.v4, sizeof(a->u.v4));
}

/*
 * Total order: address family first, then fwmark services (fwmark != 0)
 * before address services; fwmark services by mark; address services by
 * protocol, address bytes (network order, so numeric order), port.
 */
int ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int r;

	r = cmp_num(a->af, b->af);
	if (r)
		return r;
	r = cmp_num(a->fwmark == 0, b->fwmark == 0);
	if (r)
		return r;
	if (a->fwmark)
		return cmp_num(a->fwmark, b->fwmark);
	r = cmp_num(a->protocol, b->protocol);
	if (r)
		return r;
	r = cmp_addr(a->af, &a->addr, &b->addr);
	if (r)
		return r < 0 ? -1 : 1;
	return cmp_num(a->port, b->port);
}

int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int r;

	r = cmp_num(a->af, b->af);
	if (r)
		return r;
	r = cmp_addr(a->af, &a->addr, &b->addr);
	if (r)
		return r < 0 ? -1 : 1;
	return cmp_num(a->port, b->port);
}

static int svc_qcmp(const void *a, const void *b)
{
	return ipvs_service_cmp(a, b);
}

static int dest_qcmp(const void *a, const void *b)
{
	return ipvs_dest_cmp(a, b);
}

void ipvs_state_sort(struct ipvs_state *s)
{
	if (s->n_svcs > 1)
		qsort(s->svcs, s->n_svcs, sizeof(*s->svcs), svc_qcmp);
	for (unsigned i = 0; i < s->n_svcs; i++) {
		struct ipvs_service *svc = &s->svcs[i];

		if (svc->n_dests > 1)
			qsort(svc->dests, svc->n_dests, sizeof(*svc->dests), dest_qcmp);
	}
}

void ipvs_state_free(struct ipvs_state *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n_svcs; i++)
		free(s->svcs[i].dests);
	free(s->svcs);
	s->svcs = NULL;
	s->n_svcs = 0;
}

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	default:
		return NULL;
	}
}

/* "198.18.0.1:80" or "[fd00:198:18::1]:80"; the address printed for af. */
static void addr_port_str(int af, const struct conf_addr *a, uint16_t port, char *buf, size_t len)
{
	char ab[CONF_ADDRSTRLEN];
	struct conf_addr tmp = *a;

	tmp.family = af == AF_INET6 ? AF_INET6 : AF_INET;
	conf_addr_str(&tmp, ab);
	if (af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ab, port);
	else
		snprintf(buf, len, "%s:%u", ab, port);
}

const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len)
{
	char ap[CONF_ADDRSTRLEN + 8];
	const char *pn;

	if (!buf || !len)
		return "";
	if (s->fwmark) {
		snprintf(buf, len, "FWM %u%s", s->fwmark, s->af == AF_INET6 ? " (IPv6)" : "");
		return buf;
	}
	addr_port_str(s->af, &s->addr, s->port, ap, sizeof(ap));
	pn = proto_name(s->protocol);
	if (pn)
		snprintf(buf, len, "%s %s", pn, ap);
	else
		snprintf(buf, len, "proto-%u %s", s->protocol, ap);
	return buf;
}

const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len)
{
	if (!buf || !len)
		return "";
	addr_port_str(d->af, &d->addr, d->port, buf, len);
	return buf;
}
