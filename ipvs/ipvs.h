/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPVS state as plain structs: what the config wants (desired) and what the
 * kernel has (one dump), in the kernel's own terms. Shared by the generic
 * netlink client (genl.c), the translation from the config model
 * (desired.c) and reconcile (reconcile.c).
 */
#ifndef VIGIL_IPVS_IPVS_H
#define VIGIL_IPVS_IPVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/value.h"

#define IPVS_SCHED_LEN 16 /* IP_VS_SCHEDNAME_MAXLEN */
#define IPVS_PE_LEN 32	  /* IP_VS_PENAME_MAXLEN */

/* A virtual service. Key: (af, protocol, addr, port) or (af, fwmark). */
struct ipvs_service {
	int af;		   /* AF_INET / AF_INET6 */
	uint16_t protocol; /* IPPROTO_TCP / UDP / SCTP; 0 for fwmark services */
	struct conf_addr addr;
	uint16_t port;
	uint32_t fwmark; /* 0: not a fwmark service */
	char sched[IPVS_SCHED_LEN];
	uint32_t flags;	  /* IP_VS_SVC_F_* (persistent, hashed, sh/mh flags, ONEPACKET) */
	uint32_t timeout; /* persistence timeout, seconds */
	uint32_t netmask; /* persistence granularity: IPv4 netmask (network order) or v6 prefix len */
	char pe_name[IPVS_PE_LEN]; /* persistence engine ("sip") or "" */
	struct ipvs_dest *dests;   /* sorted by ipvs_dest_cmp */
	unsigned n_dests;
};

/* A real server of a service. Key: (af, addr, port). */
struct ipvs_dest {
	int af;
	struct conf_addr addr;
	uint16_t port;
	uint32_t conn_flags; /* IP_VS_CONN_F_MASQ / DROUTE / TUNNEL / ... */
	int weight;
	uint32_t u_threshold, l_threshold;
	uint16_t tun_type; /* IP_VS_CONN_F_TUNNEL_TYPE_IPIP / GUE / GRE */
	uint16_t tun_port; /* GUE port, network order */
	uint16_t tun_flags;
};

/* A whole table: services sorted by ipvs_service_cmp. */
struct ipvs_state {
	struct ipvs_service *svcs;
	unsigned n_svcs;
};

int ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b); /* by key */
int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);	   /* by key */
/* Sorts services and each service's dests (in place). */
void ipvs_state_sort(struct ipvs_state *s);
void ipvs_state_free(struct ipvs_state *s); /* frees svcs, dests (malloc'ed) */

/* "TCP 198.18.0.1:80", "FWM 5 (IPv6)", "198.18.1.1:80" into buf (>= 96 bytes). */
const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len);
const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len);

/* ---- reconcile (reconcile.c, pure) ---- */

enum ipvs_op_kind {
	IPVS_OP_ADD_SVC,
	IPVS_OP_EDIT_SVC,
	IPVS_OP_DEL_SVC,
	IPVS_OP_ADD_DEST,
	IPVS_OP_EDIT_DEST,
	IPVS_OP_DEL_DEST,
};

struct ipvs_op {
	enum ipvs_op_kind kind;
	const struct ipvs_service *svc; /* the desired service (the kernel's for DEL_SVC) */
	const struct ipvs_dest *dest;	/* *_DEST: the desired dest (the kernel's for DEL_DEST) */
};

struct ipvs_ops {
	struct ipvs_op *v;
	unsigned n, cap;
};

/*
 * The minimal list of operations that makes the kernel's table match
 * desired for the services vigil manages: services in desired are added or
 * edited (only if an attribute differs) and their dests added, edited or
 * deleted; services in owned (what vigil declared before: the previous
 * desired state) that are no longer desired are deleted if the kernel still
 * has them; every other kernel service is left alone. Operations are
 * ordered so that they can be applied in sequence (deletes of dests before
 * adds within a service, a service before its dests). Pointers point into
 * desired / kernel. Returns 0 or -ENOMEM.
 */
int ipvs_reconcile(const struct ipvs_state *desired, const struct ipvs_state *owned,
		   const struct ipvs_state *kernel, struct ipvs_ops *out);
void ipvs_ops_free(struct ipvs_ops *ops);

#endif
