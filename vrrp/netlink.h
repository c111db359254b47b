/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink for VRRP (libmnl): the interface table kept current by a
 * monitor socket, and batched changes (addresses, routes, rules, macvlan
 * VMACs) on a request socket.
 *
 * One socket for requests, one for events. Changes are queued and sent as
 * ONE batch (many nlmsgs in one sendmsg, each with NLM_F_ACK) when the loop
 * iteration ends, so a thousand VIPs cost one round trip, not a thousand.
 * On ENOBUFS on the event socket (or an interrupted dump) the table is
 * rebuilt from a full dump and every subscriber is told (resync).
 */
#ifndef VIGIL_VRRP_NETLINK_H
#define VIGIL_VRRP_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf/model.h"
#include "vrrp/netlink_msg.h" /* struct vrrp_iface */

/* vrrp_nl_subscribe() callbacks. */
enum vrrp_nl_event {
	VRRP_NL_LINK,	   /* an interface appeared or changed (flags, mac, addresses) */
	VRRP_NL_LINK_GONE, /* an interface was deleted */
	VRRP_NL_ADDR_ADD,  /* an address was added to ifindex */
	VRRP_NL_ADDR_DEL,  /* an address was removed from ifindex */
	VRRP_NL_RESYNC,	   /* the table was rebuilt from a dump: re-check everything */
	VRRP_NL_RT_DEL,	   /* a route or rule was deleted (after vrrp_nl_watch_routes) */
};

struct vrrp_nl_msg {
	enum vrrp_nl_event ev;
	const struct vrrp_iface *iface; /* LINK / LINK_GONE (still readable during the call) */
	int ifindex;			/* ADDR_* */
	struct conf_prefix addr;	/* ADDR_* */
	const struct vrrp_nl_rtmsg *rt; /* RT_DEL */
};

typedef void (*vrrp_nl_fn)(const struct vrrp_nl_msg *m, void *data);

/* The outcome of one queued change, reported when its ACK (or error) arrives. */
typedef void (*vrrp_nl_done_fn)(int err /* 0 or -errno */, const char *what, void *data);

struct vrrp_nl;

struct vrrp_nl_opts {
	unsigned cmd_rcvbuf;	 /* 0: default */
	unsigned monitor_rcvbuf; /* 0: default (large: 4 MiB) */
};

/* Opens both sockets, dumps links and addresses synchronously (the table is
 * complete on return) and starts monitoring. 0 or -errno. */
int vrrp_nl_open(uv_loop_t *loop, const struct vrrp_nl_opts *o, struct vrrp_nl **out);
void vrrp_nl_close(struct vrrp_nl *nl); /* after the last batch was sent */

/* Route and rule deletions are reported too (VRRP_NL_RT_DEL) from now on:
 * only for who needs them, as every route change of the host then wakes
 * us. 0 or -errno. */
int vrrp_nl_watch_routes(struct vrrp_nl *nl);

/* Several subscribers may register; returns a handle for unsubscribe. */
int vrrp_nl_subscribe(struct vrrp_nl *nl, vrrp_nl_fn fn, void *data);
void vrrp_nl_unsubscribe(struct vrrp_nl *nl, int handle);

const struct vrrp_iface *vrrp_nl_iface_by_name(const struct vrrp_nl *nl, const char *name);
const struct vrrp_iface *vrrp_nl_iface_by_index(const struct vrrp_nl *nl, int ifindex);
/* Is this exact address (with its prefix length) on ifindex now? O(1). */
bool vrrp_nl_has_addr(const struct vrrp_nl *nl, int ifindex, const struct conf_prefix *p);

/*
 * Queued changes. add=true adds (NLM_F_CREATE|NLM_F_REPLACE for addresses, so
 * an address already there is not an error), add=false deletes (ENOENT /
 * EADDRNOTAVAIL on delete are not errors). done may be NULL: failures are then
 * logged with what failed. Everything queued in one loop iteration goes out
 * in one batch.
 */
void vrrp_nl_addr(struct vrrp_nl *nl, bool add, int ifindex, const struct conf_vip *vip,
		  vrrp_nl_done_fn done, void *data);
void vrrp_nl_route(struct vrrp_nl *nl, bool add, const struct conf_route *r, vrrp_nl_done_fn done,
		   void *data);
void vrrp_nl_rule(struct vrrp_nl *nl, bool add, const struct conf_rule *r, vrrp_nl_done_fn done,
		  void *data);
/* A macvlan (mode private... as keepalived: bridge) named name on parent with
 * mac, brought up. The result arrives as a LINK event and through done. */
void vrrp_nl_vmac_add(struct vrrp_nl *nl, const char *name, int parent_ifindex,
		      const uint8_t mac[6], vrrp_nl_done_fn done, void *data);
void vrrp_nl_link_del(struct vrrp_nl *nl, int ifindex, vrrp_nl_done_fn done, void *data);
/* Sends what is queued now (the loop does it by itself at the end of the
 * iteration; a caller about to exit uses this, then runs the loop once). */
void vrrp_nl_flush(struct vrrp_nl *nl);

/* Counters for vigilctl: batches sent, messages sent, errors, resyncs. */
struct vrrp_nl_stats {
	uint64_t batches, msgs, errors, resyncs, events;
};
void vrrp_nl_stats(const struct vrrp_nl *nl, struct vrrp_nl_stats *s);

#endif
