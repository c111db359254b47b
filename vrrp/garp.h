/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Gratuitous ARP (IPv4) and unsolicited Neighbour Advertisements (IPv6),
 * sent on an AF_PACKET socket. Frame building is pure and tested with
 * golden bytes; sending is queued and flushed with sendmmsg at the end of
 * the loop iteration, so announcing a thousand VIPs is a few syscalls.
 */
#ifndef VIGIL_VRRP_GARP_H
#define VIGIL_VRRP_GARP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

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

#endif
