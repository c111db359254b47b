/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Does an instance take a parsed advertisement? packet.c has checked what
 * holds for every receiver (RFC 5798 7.1: header, TTL, checksum...); these
 * are the checks against one instance's configuration, in the order the
 * runtime has always made them: family, a v3 IPv4 checksum made without the
 * pseudo-header (taken only with v3_checksum_as_v2), TTL / hop limit 255 for a
 * multicast instance (RFC 5798 7.1; a unicast instance takes any, as in
 * keepalived), our own adverts looped back, version, v2 authentication and
 * interval (RFC 3768 7.1; with AH: its ICV, SPI and sequence number, as
 * keepalived 2.2.7 checks them), the v3 interval in strict_mode, the address
 * list (unless skip_check_adv_addr and the same master as last time),
 * unicast peers and their TTL range (check_unicast_src, or a peer's
 * min_ttl/max_ttl), and a peer claiming priority 255 for a VRID we own
 * (strict_mode). Pure: settings
 * and packet in, a verdict out. The caller counts a drop and logs it as
 * vrrp_accept_reasons[] says.
 */
#ifndef VIGIL_VRRP_ACCEPT_H
#define VIGIL_VRRP_ACCEPT_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/model.h"
#include "vrrp/packet.h"

enum vrrp_accept {
	VRRP_ACCEPT_OK = 0,
	VRRP_ACCEPT_FAMILY,	     /* an IPv6 advert for an IPv4 instance or the reverse */
	VRRP_ACCEPT_TTL,	     /* multicast instance: TTL / hop limit is not 255 */
	VRRP_ACCEPT_DST,	     /* unicast advert to a multicast instance, or the reverse */
	VRRP_ACCEPT_OWN,	     /* our own advert (another socket looped it back) */
	VRRP_ACCEPT_VERSION,	     /* not the instance's VRRP version */
	VRRP_ACCEPT_AUTH_TYPE,	     /* v2: not the configured authentication type */
	VRRP_ACCEPT_AUTH_PASS,	     /* v2 PASS: another password */
	VRRP_ACCEPT_AH_ICV,	     /* v2 AH: the ICV does not match (another auth_pass) */
	VRRP_ACCEPT_AH_SPI,	     /* v2 AH: the SPI is not the source address */
	VRRP_ACCEPT_AH_SEQ,	     /* v2 AH: a sequence number already seen (replay) */
	VRRP_ACCEPT_INTERVAL,	     /* v2: another interval (RFC 3768 7.1) */
	VRRP_ACCEPT_INTERVAL_STRICT, /* v3, strict_mode: another interval */
	VRRP_ACCEPT_ADDR_COUNT,	     /* another number of addresses */
	VRRP_ACCEPT_ADDR_LIST,	     /* the same number, other addresses */
	VRRP_ACCEPT_NOT_PEER,	     /* not a configured unicast peer (check_unicast_src) */
	VRRP_ACCEPT_PEER_TTL,	     /* a peer's TTL outside its min_ttl..max_ttl */
	VRRP_ACCEPT_PRIO_OWNER,	     /* strict_mode: priority 255 for a VRID we own */
	VRRP_ACCEPT_CHECKSUM,	     /* v3 IPv4 checksum without the pseudo-header, and the
				      * instance has no v3_checksum_as_v2 */
	VRRP_ACCEPT__COUNT
};

/* One row per verdict: its name, the drop counter it adds to (packet.h,
 * shown by `vigilctl status`) and the text of the rate-limited
 * "misconfigured peer" log line (NULL: counted only). */
struct vrrp_accept_reason {
	const char *name;
	enum vrrp_drop drop;
	const char *log;
};

extern const struct vrrp_accept_reason vrrp_accept_reasons[VRRP_ACCEPT__COUNT];

/* What the checks need to know of the instance. */
struct vrrp_accept_ctx {
	int family;			 /* AF_INET / AF_INET6 */
	uint8_t version;		 /* 2 or 3 */
	uint64_t adver_us;		 /* our advertisement interval */
	bool owner;			 /* we own the addresses (priority 255) */
	bool strict;			 /* strict_mode */
	uint8_t auth_type;		 /* v2: VRRP_AUTH_NONE / _PASS / _AH */
	const char *auth_pass;		 /* v2 PASS, or the AH key (NULL: empty) */
	uint32_t ah_seq;		 /* AH: the last sequence number sent or taken */
	const struct conf_addr *my_addr; /* the source of our own adverts */
	const struct conf_addr *vips;	 /* the addresses we advertise */
	unsigned nvips;
	bool skip_check_adv_addr;	       /* check the list only on a change of master */
	const struct conf_addr *last_src;      /* BACKUP: the master's source, or NULL */
	const struct conf_list *unicast_peers; /* struct conf_unicast_peer; empty: multicast */
	bool check_unicast_src;		       /* the instance's or the global option */
	bool v3_csum_as_v2; /* also take v3 IPv4 checksums without the pseudo-header */
};

/*
 * The verdict on p for the instance c describes. *other_interval (when
 * other_interval is not NULL) tells whether a v3 advert with a priority
 * above 0 announced another interval than ours outside strict_mode (RFC
 * 5798 6.4.2 lets a backup learn it; the caller tells the operator); it
 * is decided before the address checks, so it may be true for a packet
 * dropped by them.
 */
enum vrrp_accept vrrp_accept(const struct vrrp_accept_ctx *c, const struct vrrp_pkt *p,
			     bool *other_interval);

#endif
