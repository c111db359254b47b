/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Gratuitous ARP (IPv4) and unsolicited Neighbour Advertisements (IPv6),
 * sent on an AF_PACKET socket. Frame building is pure and tested with
 * golden bytes; sending is queued and flushed with sendmmsg at the end of
 * the loop iteration, so announcing a thousand VIPs is a few syscalls.
 * garp_pace.c decides how many rounds an event sends and when (the plan),
 * and spaces successive messages on one interface (the pacer:
 * vrrp_garp_interval / vrrp_gna_interval, or a garp_group's).
 */
#ifndef VIGIL_VRRP_GARP_H
#define VIGIL_VRRP_GARP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "conf/model.h"
#include "conf/value.h"

#define VRRP_GARP_FRAME_LEN 42 /* Ethernet + ARP */
#define VRRP_NA_FRAME_LEN 86   /* Ethernet + IPv6 + ICMPv6 NA + target link-layer option */

/* Ethernet broadcast ARP request, sender = target = ip, sender mac = mac. */
size_t vrrp_garp_build(uint8_t *buf, size_t cap, const uint8_t mac[6], const struct in_addr *ip);
/* Ethernet to 33:33:00:00:00:01, IPv6 from src (link-local) to ff02::1, hop
 * limit 255, NA with Override (and Router when router is true) for target,
 * target link-layer address option = mac; checksum filled. */
size_t vrrp_na_build(uint8_t *buf, size_t cap, const uint8_t mac[6], const struct in6_addr *src,
		     const struct in6_addr *target, bool router);

struct vrrp_garp;

int vrrp_garp_open(uv_loop_t *loop, struct vrrp_garp **out);
void vrrp_garp_close(struct vrrp_garp *g);
/* Queue one announcement of each address from ifindex with mac; src6 is
 * the link-local source for NAs (may be unset: then :: is not allowed, the
 * NA is skipped and counted as an error). */
void vrrp_garp_announce(struct vrrp_garp *g, int ifindex, const uint8_t mac[6],
			const struct conf_addr *addrs, unsigned n, const struct conf_addr *src6,
			bool router);
void vrrp_garp_flush(struct vrrp_garp *g);

struct vrrp_garp_stats {
	uint64_t arp_sent, na_sent, errors;
};
void vrrp_garp_stats(const struct vrrp_garp *g, struct vrrp_garp_stats *s);

/* ---- garp_pace.c ---- */

/* How many GARP/NA rounds an event sends now, and how many later_ms later. */
enum vrrp_garp_event { VRRP_GARP_TAKEOVER, VRRP_GARP_LOWER_PRIO, VRRP_GARP_REFRESH };
struct vrrp_garp_plan {
	unsigned now, later;
	uint64_t later_ms;
};
void vrrp_garp_plan(const struct conf_vrrp_instance *c, enum vrrp_garp_event ev,
		    struct vrrp_garp_plan *p);

/* One GARP / NA waiting for its turn (vrrp_garp_interval / gna_interval). */
struct vrrp_garp_msg {
	struct vrrp_garp_msg *next;
	const void *owner; /* who asked for it (vrrp_garp_pace_cancel) */
	int ifindex;
	uint8_t mac[6];
	struct conf_addr addr;
};

/* The messages of one kind (ARP or NA) on one pacing key, in order. next
 * is counted from the last message actually sent, so a late timer delays
 * the ones behind it rather than bunching them up. */
struct vrrp_garp_lane {
	struct vrrp_garp_msg *head, *tail;
	uint64_t next; /* uv_hrtime: the earliest next send */
	uint64_t interval_ns;
};

/* Pacing lanes (pure). open: nothing waits and the interval since the
 * last send has passed, so a message may go now. take unlinks the head
 * when its turn has come at now. After either, sent records when the
 * message really went: the next turn counts from there. */
bool vrrp_garp_lane_open(const struct vrrp_garp_lane *l, uint64_t now);
void vrrp_garp_lane_append(struct vrrp_garp_lane *l, struct vrrp_garp_msg *m);
struct vrrp_garp_msg *vrrp_garp_lane_take(struct vrrp_garp_lane *l, uint64_t now);
void vrrp_garp_lane_sent(struct vrrp_garp_lane *l, uint64_t now);

/* The pacing of one interface (or of a garp_group's interfaces together). */
struct vrrp_garp_pace {
	int key;		       /* ifindex, or -(group index + 1) */
	struct vrrp_garp_lane lane[2]; /* [0] ARP, [1] NA */
};

/* Every pacing key of the runtime and the one timer that sends what waits. */
struct vrrp_garp_pacer {
	struct vrrp_garp *garp; /* where messages go (opened and closed by the
				 * owner of the pacer; NULL: nowhere) */
	uv_timer_t timer;
	struct vrrp_garp_pace *paces;
	unsigned npaces;
	uint64_t paced, cancelled;
};

void vrrp_garp_pace_init(struct vrrp_garp_pacer *p, uv_loop_t *loop);
/* Drops what waits and closes the timer (p->garp is left alone). */
void vrrp_garp_pace_close(struct vrrp_garp_pacer *p);
/*
 * One GARP (IPv4) or NA (IPv6) for a, from the interface ifindex called
 * ifname with its mac: at once, or queued behind the earlier messages of
 * its pacing key when m's intervals for that interface say so. owner is
 * whom vrrp_garp_pace_cancel() drops it for.
 */
void vrrp_garp_pace_announce(struct vrrp_garp_pacer *p, const struct conf_model *m,
			     const void *owner, int ifindex, const char *ifname,
			     const uint8_t mac[6], const struct conf_addr *a);
/* The messages of owner still waiting are not sent (it left MASTER, or stops). */
void vrrp_garp_pace_cancel(struct vrrp_garp_pacer *p, const void *owner);

#endif
