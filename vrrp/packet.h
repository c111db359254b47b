/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP packets (RFC 3768 v2, RFC 5798/9568 v3), IPv4 and IPv6. Pure: bytes
 * in, a parsed packet or a drop reason out; a template in, bytes out. No
 * sockets, no clocks, no globals.
 */
#ifndef VIGIL_VRRP_PACKET_H
#define VIGIL_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/value.h"

#define VRRP_IPPROTO 112
#define VRRP_TTL 255
#define VRRP_MAX_ADDRS 255
#define VRRP_HDR_LEN 8
#define VRRP_AUTH_LEN 8	     /* v2: two words of authentication data */
#define VRRP_PKT_MAX 2048    /* a VRRP payload never exceeds this */
#define VRRP_IP4_HDR_LEN 20  /* what we send; received headers may carry options */
#define VRRP_MCAST4 "224.0.0.18"
#define VRRP_MCAST6 "ff02::12"

enum vrrp_auth { VRRP_AUTH_NONE = 0, VRRP_AUTH_PASS = 1, VRRP_AUTH_AH = 2 };

/* Why a received packet was dropped; counted per instance (or per socket
 * when no instance could be found) and shown by vigilctl. */
enum vrrp_drop {
	VRRP_OK = 0,
	VRRP_DROP_IP_HEADER,   /* IPv4 header malformed, truncated or not protocol 112 */
	VRRP_DROP_TTL,	       /* TTL / hop limit not 255 (multicast) or out of a peer's range */
	VRRP_DROP_SHORT,       /* shorter than the VRRP header */
	VRRP_DROP_LENGTH,      /* length does not match the address count */
	VRRP_DROP_VERSION,     /* version is not 2 or 3, or not the instance's */
	VRRP_DROP_TYPE,	       /* type is not 1 (Advertisement) */
	VRRP_DROP_CHECKSUM,    /* bad checksum (v3: with the pseudo-header) */
	VRRP_DROP_VRID,	       /* VRID 0, or no instance of ours has it */
	VRRP_DROP_ADDR_COUNT,  /* zero addresses, or not the count we have */
	VRRP_DROP_AUTH_TYPE,   /* v2 auth type is not the configured one */
	VRRP_DROP_AUTH,	       /* v2 PASS password differs; AH ICV, SPI or sequence wrong */
	VRRP_DROP_INTERVAL,    /* advertisement interval differs (v2), or is 0 */
	VRRP_DROP_ADDR_LIST,   /* the address list differs from ours */
	VRRP_DROP_SRC,	       /* source is ours, or not a configured unicast peer */
	VRRP_DROP_DST,	       /* destination is neither the group nor our address */
	VRRP_DROP_FAMILY,      /* IPv6 packet for an IPv4 instance or the reverse */
	VRRP_DROP_PRIO_OWNER,  /* strict: a peer claims priority 255 for our owned VRID */
	VRRP_DROP__COUNT
};

extern const char *const vrrp_drop_names[VRRP_DROP__COUNT]; /* "ttl", "checksum", ... */
/* A multicast destination (IPv4 224/4, IPv6 ff00::/8): an advert sent to a group. */
bool vrrp_addr_is_multicast(const struct conf_addr *a);

/* A parsed advertisement. Pointers point into the caller's buffer. */
struct vrrp_pkt {
	uint8_t version;     /* 2 or 3 */
	uint8_t type;	     /* 1 */
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint16_t adver_cs;   /* advert interval in centiseconds (v2: seconds * 100) */
	uint8_t auth_type;   /* v2 only */
	uint8_t auth_data[VRRP_AUTH_LEN];
	int family;	     /* AF_INET / AF_INET6 */
	const uint8_t *addrs; /* naddr addresses, 4 or 16 bytes each, network order */
	struct conf_addr src, dst;
	uint8_t ttl;	     /* TTL / hop limit as received */
	/* v3 over IPv4: the checksum holds only without the pseudo-header
	 * (keepalived 2.2.8 v3_checksum_as_v2, Cisco, Juniper); the instance
	 * decides whether it takes that (accept.c) */
	bool csum_as_v2;
	/* IPv4 with an AH header (ah.h; auth_type AH): its fields, and the
	 * whole IP packet, which the ICV covers */
	bool ah;
	uint32_t ah_spi, ah_seq; /* host order */
	const uint8_t *ip;	 /* IPv4: the IP header; NULL for IPv6 */
	size_t ip_len, ip_hlen;	 /* IP total length, IP header length */
};

/*
 * Parses a whole IPv4 packet as a raw IPPROTO_VRRP (or, for AH, IPPROTO_AH)
 * socket returns it (IP header included). An AH header must announce VRRP
 * as next header and a 96-bit ICV; its ICV is checked by the instance,
 * which has the key (vrrp_ah_icv_ok). On a drop, returns the reason and writes a human
 * explanation ("TTL is 64, must be 255") to why (if why is not NULL).
 */
enum vrrp_drop vrrp_parse_ip4(const uint8_t *buf, size_t len, struct vrrp_pkt *out, char *why,
			      size_t whylen);
/*
 * Parses the VRRP part of an IPv6 packet (a raw IPv6 socket gives no IPv6
 * header): src/dst and hop limit come from the caller (recvmsg, IPV6_PKTINFO
 * and IPV6_HOPLIMIT).
 */
enum vrrp_drop vrrp_parse_ip6(const uint8_t *buf, size_t len, const struct conf_addr *src,
			      const struct conf_addr *dst, uint8_t hoplimit, struct vrrp_pkt *out,
			      char *why, size_t whylen);

/* What to send. */
struct vrrp_pkt_tmpl {
	uint8_t version, vrid, priority;
	uint16_t adver_cs;
	uint8_t auth_type;		   /* v2: VRRP_AUTH_NONE / _PASS / _AH (IPv4) */
	char auth_pass[VRRP_AUTH_LEN + 1]; /* v2 PASS, or the AH key; NUL-padded */
	uint32_t ah_seq;		   /* AH: the sequence number */
	bool ah_zero_ttl;		   /* AH: a unicast instance (TTL not in the ICV) */
	int family;
	const struct conf_addr *addrs;	   /* the VIPs, all of family */
	unsigned naddr;
	struct conf_addr src, dst;	   /* src: needed for checksums and the IPv4 header */
	uint8_t ttl;			   /* 255 (unicast_ttl may lower it for unicast) */
	bool csum_as_v2;		   /* v3 over IPv4: checksum without the pseudo-header */
	uint16_t ip_id;			   /* IPv4 identification */
};

/*
 * Builds the packet into buf: for IPv4 the whole IP packet (header
 * included, for an IP_HDRINCL socket; with AH, the AH header and its ICV
 * too), for IPv6 the VRRP part only. Returns
 * its length, or 0 if cap is too small or the template is invalid.
 */
size_t vrrp_build(uint8_t *buf, size_t cap, const struct vrrp_pkt_tmpl *t);

/* The address list of a parsed packet equals the set addrs (any order)? */
bool vrrp_pkt_addrs_equal(const struct vrrp_pkt *p, const struct conf_addr *addrs, unsigned n);

/* RFC 1071 checksum over buf, plus an initial partial sum. */
uint16_t vrrp_csum(const void *buf, size_t len, uint32_t sum);

#endif
