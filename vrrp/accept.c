/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The acceptance checks of an advertisement against one instance
 * (accept.h): one check per rule, each with its verdict; the names, drop
 * counters and log texts in one table.
 */
#include "config.h"

#include "vrrp/accept.h"

#include <arpa/inet.h>
#include <string.h>

#include "vrrp/ah.h"

const struct vrrp_accept_reason vrrp_accept_reasons[VRRP_ACCEPT__COUNT] = {
	[VRRP_ACCEPT_OK] = { "ok", VRRP_OK, NULL },
	[VRRP_ACCEPT_FAMILY] = { "family", VRRP_DROP_FAMILY, NULL },
	[VRRP_ACCEPT_TTL] = { "ttl", VRRP_DROP_TTL, "TTL is not 255 (multicast instance)" },
	[VRRP_ACCEPT_DST] = { "dst", VRRP_DROP_DST,
			      "unicast advert to a multicast instance, or multicast to a unicast "
			      "one" },
	[VRRP_ACCEPT_OWN] = { "own", VRRP_DROP_SRC, NULL },
	[VRRP_ACCEPT_VERSION] = { "version", VRRP_DROP_VERSION, "VRRP version differs" },
	[VRRP_ACCEPT_AUTH_TYPE] = { "auth_type", VRRP_DROP_AUTH_TYPE,
				    "authentication type differs" },
	[VRRP_ACCEPT_AUTH_PASS] = { "auth_pass", VRRP_DROP_AUTH,
				    "authentication password differs" },
	[VRRP_ACCEPT_AH_ICV] = { "ah_icv", VRRP_DROP_AUTH,
				 "AH ICV does not match (another auth_pass?)" },
	[VRRP_ACCEPT_AH_SPI] = { "ah_spi", VRRP_DROP_AUTH, "AH SPI is not its source address" },
	[VRRP_ACCEPT_AH_SEQ] = { "ah_seq", VRRP_DROP_AUTH,
				 "AH sequence number already seen (replayed or restarted peer)" },
	[VRRP_ACCEPT_INTERVAL] = { "interval", VRRP_DROP_INTERVAL,
				   "advertisement interval differs" },
	[VRRP_ACCEPT_INTERVAL_STRICT] = { "interval_strict", VRRP_DROP_INTERVAL,
					  "advertisement interval differs (strict_mode)" },
	[VRRP_ACCEPT_ADDR_COUNT] = { "addr_count", VRRP_DROP_ADDR_COUNT,
				     "address list differs from ours" },
	[VRRP_ACCEPT_ADDR_LIST] = { "addr_list", VRRP_DROP_ADDR_LIST,
				    "address list differs from ours" },
	[VRRP_ACCEPT_NOT_PEER] = { "not_peer", VRRP_DROP_SRC,
				   "not a configured unicast peer (check_unicast_src)" },
	[VRRP_ACCEPT_PEER_TTL] = { "peer_ttl", VRRP_DROP_TTL,
				   "TTL outside the peer's min_ttl..max_ttl" },
	[VRRP_ACCEPT_CHECKSUM] = { "checksum_as_v2", VRRP_DROP_CHECKSUM,
				   "VRRPv3 checksum without the IPv4 pseudo-header (the peer has "
				   "v3_checksum_as_v2, we do not)" },
	[VRRP_ACCEPT_PRIO_OWNER] = { "prio_owner", VRRP_DROP_PRIO_OWNER,
				     "claims priority 255 for a VRID we own" },
};

static bool is_unicast(const struct vrrp_accept_ctx *c)
{
	return c->unicast_peers && c->unicast_peers->count;
}

/* v2 AH, in keepalived 2.2.7's order: the ICV first (nothing else in the
 * packet can be trusted before), then SPI = source, then a sequence
 * number above the last one sent or taken. */
static enum vrrp_accept check_ah(const struct vrrp_accept_ctx *c, const struct vrrp_pkt *p)
{
	uint8_t key[VRRP_AH_KEY_LEN];

	vrrp_ah_key(c->auth_pass, key);
	if (!p->ip || !vrrp_ah_icv_ok(p->ip, p->ip_len, p->ip_hlen, key, is_unicast(c)))
		return VRRP_ACCEPT_AH_ICV;
	if (p->src.family != AF_INET || p->ah_spi != ntohl(p->src.u.v4.s_addr))
		return VRRP_ACCEPT_AH_SPI;
	if (p->ah_seq <= c->ah_seq)
		return VRRP_ACCEPT_AH_SEQ;
	return VRRP_ACCEPT_OK;
}

/* v2: the authentication type and (PASS) password or (AH) ICV must be
 * ours. An AH header and auth type 2 go together (keepalived counts
 * either alone as a type mismatch). */
static enum vrrp_accept check_auth(const struct vrrp_accept_ctx *c, const struct vrrp_pkt *p)
{
	char pass[VRRP_AUTH_LEN] = { 0 };
	size_t pl;

	if (p->auth_type != c->auth_type || p->ah != (c->auth_type == VRRP_AUTH_AH))
		return VRRP_ACCEPT_AUTH_TYPE;
	if (c->auth_type == VRRP_AUTH_AH)
		return check_ah(c, p);
	if (c->auth_type != VRRP_AUTH_PASS)
		return VRRP_ACCEPT_OK;
	/* Passwords longer than 8 bytes are cut, as on the wire. */
	pl = c->auth_pass ? strlen(c->auth_pass) : 0;
	memcpy(pass, c->auth_pass ? c->auth_pass : "", pl < sizeof(pass) ? pl : sizeof(pass));
	return memcmp(pass, p->auth_data, VRRP_AUTH_LEN) ? VRRP_ACCEPT_AUTH_PASS : VRRP_ACCEPT_OK;
}

/* check_unicast_src (or a peer's min_ttl / max_ttl): the source must be one
 * of our peers, within its TTL range. Without it any source is heard, as
 * in keepalived. */
static enum vrrp_accept check_unicast_src(const struct vrrp_accept_ctx *c, const struct vrrp_pkt *p)
{
	const struct conf_unicast_peer *peer = NULL;
	bool check = c->check_unicast_src;

	if (!is_unicast(c))
		return VRRP_ACCEPT_OK;
	conf_list_for_each (const struct conf_unicast_peer, u, c->unicast_peers) {
		if (u->ttl_check)
			check = true;
		if (!peer && conf_addr_equal(&u->addr, &p->src))
			peer = u;
	}
	if (!check)
		return VRRP_ACCEPT_OK;
	if (!peer)
		return VRRP_ACCEPT_NOT_PEER;
	if (peer->ttl_check && (p->ttl < peer->min_ttl || p->ttl > peer->max_ttl))
		return VRRP_ACCEPT_PEER_TTL;
	return VRRP_ACCEPT_OK;
}

enum vrrp_accept vrrp_accept(const struct vrrp_accept_ctx *c, const struct vrrp_pkt *p,
			     bool *other_interval)
{
	bool same_interval = (uint64_t)p->adver_cs * 10000 == c->adver_us;
	enum vrrp_accept r;

	if (other_interval)
		*other_interval = false;
	if (p->family != c->family)
		return VRRP_ACCEPT_FAMILY;
	/* keepalived 2.2.8 with v3_checksum_as_v2 checks no v3 IPv4 checksum at
	 * all; vigil takes either correct one, without it only the RFC 5798 one */
	if (p->csum_as_v2 && !c->v3_csum_as_v2)
		return VRRP_ACCEPT_CHECKSUM;
	/* RFC 5798 7.1 / RFC 3768 7.1. packet.c checked adverts sent to a
	 * group; a multicast instance hears only routers on its link, so a
	 * unicast advert to it must carry 255 too. A unicast instance takes
	 * any TTL (its peers may be routers away: unicast_ttl), as keepalived
	 * does; check_unicast_src and min_ttl/max_ttl narrow it below. */
	if (!is_unicast(c) && p->ttl != VRRP_TTL)
		return VRRP_ACCEPT_TTL;
	/* keepalived 2.2.7 (vrrp_check_packet): a multicast instance takes
	 * only adverts sent to the group, a unicast one only adverts sent to
	 * it; the other kind is a misconfigured peer, counted and dropped. */
	if (vrrp_addr_is_multicast(&p->dst) == is_unicast(c))
		return VRRP_ACCEPT_DST;
	if (c->my_addr && conf_addr_equal(&p->src, c->my_addr))
		return VRRP_ACCEPT_OWN;
	if (p->version != c->version)
		return VRRP_ACCEPT_VERSION;
	if (p->version == 2) {
		r = check_auth(c, p);
		if (r != VRRP_ACCEPT_OK)
			return r;
		/* RFC 3768 7.1: the interval must be ours. */
		if (!same_interval)
			return VRRP_ACCEPT_INTERVAL;
	} else if (p->ah) {
		return VRRP_ACCEPT_AUTH_TYPE; /* v3 has no authentication */
	} else if (!same_interval && p->priority != 0) {
		/* strict_mode: RFC 5798 6.4.2 lets a v3 backup learn another
		 * interval; keepalived's strict mode drops it as misconfigured. */
		if (c->strict)
			return VRRP_ACCEPT_INTERVAL_STRICT;
		if (other_interval)
			*other_interval = true;
	}
	/* skip_check_adv_addr: the address list is checked only when the
	 * advert comes from another master than the previous one. keepalived
	 * skips the unicast source and TTL range checks then too; we do not:
	 * they cost nothing, and a forged advert carrying the master's
	 * address would pass the TTL range the operator set to stop it. */
	if (!c->skip_check_adv_addr || !c->last_src || !conf_addr_equal(&p->src, c->last_src)) {
		if (!vrrp_pkt_addrs_equal(p, c->vips, c->nvips))
			return p->naddr != c->nvips ? VRRP_ACCEPT_ADDR_COUNT
						    : VRRP_ACCEPT_ADDR_LIST;
	}
	r = check_unicast_src(c, p);
	if (r != VRRP_ACCEPT_OK)
		return r;
	/* strict_mode: we own the addresses (priority 255); another router
	 * claiming 255 for them is misconfigured: its adverts do not count. */
	if (c->strict && c->owner && p->priority == 255)
		return VRRP_ACCEPT_PRIO_OWNER;
	return VRRP_ACCEPT_OK;
}
