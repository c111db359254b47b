/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP advertisements: parse and build, v2 (RFC 3768) and v3 (RFC 5798,
 * updated by RFC 9568), IPv4 and IPv6. Pure functions over byte buffers.
 *
 * Decisions worth knowing:
 * - Checks run in the order of RFC 5798 7.1 / RFC 3768 7.1, one check per
 *   rule, each with a reason written to `why`: IPv4 header, TTL / hop limit,
 *   VRRP header present, version, type, complete packet (count vs length),
 *   checksum, VRID, count >= 1, v2 auth type, interval.
 * - TTL / hop limit 255 is checked here only for a packet sent to a
 *   multicast group: every receiver of those is a multicast instance.
 *   A packet sent to one of our addresses may be a unicast advert, which
 *   keepalived lets cross routers (unicast_ttl, min_ttl/max_ttl): its TTL
 *   is passed up, and accept.c checks it against the instance (255 for a
 *   multicast instance, the peer's range for a unicast one).
 * - Count IPvX Addr 0 is passed up (RFC 5798 5.2.5 states a minimum of 1,
 *   but keepalived sends 0 for an instance without addresses, VRRPv2 or
 *   with no_virtual_ipaddress): an instance with addresses drops it as
 *   addr_count (accept.c), one without takes it; vrrp_build makes one.
 * - An advertisement interval of 0 is dropped (VRRP_DROP_INTERVAL): it would
 *   make a backup's Master_Down_Interval almost nil (RFC 5798 6.1) and a
 *   router cannot send at that rate anyway.
 * - v2 authentication types 0, 1 and 2 are passed up for the instance to
 *   compare; any other value is VRRP_DROP_AUTH_TYPE (RFC 3768 5.3.6 defines
 *   no other).
 * - v3 checksums cover a pseudo-header for both families (RFC 5798 5.2.8):
 *   the IPv6 one of RFC 8200 8.1, and for IPv4 the RFC 768 style one (src,
 *   dst, zero, protocol 112, VRRP length), which is what keepalived 2.2.7
 *   sends (checked against its captured adverts in the unit test). Some
 *   routers (and keepalived 2.2.8's v3_checksum_as_v2) leave the IPv4
 *   pseudo-header out; such a packet is passed up marked csum_as_v2, and
 *   the instance takes it only with v3_checksum_as_v2 (accept.c). v2
 *   checksums cover the VRRP message only (RFC 3768 5.3.8). keepalived's
 *   pre-1.3.6 unicast v3 variant (old_unicast_checksum) is not recognised.
 * - The IPv4 header checksum is not verified: the kernel has already dropped
 *   any packet whose header checksum is wrong before a raw socket sees it.
 * - What we send over IPv4 looks like what keepalived 2.2.7 sends: TOS 0xc0
 *   (CS6, network control), no DF, fragment offset 0, TTL from the template.
 *
 * Checksums: vrrp_csum() sums big-endian 16-bit words, so its result is the
 * value to store big-endian; a buffer that contains its correct checksum
 * sums to 0.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "vrrp/packet.h"
#include "vrrp/ah.h"

const char *const vrrp_drop_names[VRRP_DROP__COUNT] = {
	[VRRP_OK] = "ok",
	[VRRP_DROP_IP_HEADER] = "ip_header",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_SHORT] = "short",
	[VRRP_DROP_LENGTH] = "length",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_ADDR_COUNT] = "addr_count",
	[VRRP_DROP_AUTH_TYPE] = "auth_type",
	[VRRP_DROP_AUTH] = "auth",
	[VRRP_DROP_INTERVAL] = "interval",
	[VRRP_DROP_ADDR_LIST] = "addr_list",
	[VRRP_DROP_SRC] = "src",
	[VRRP_DROP_DST] = "dst",
	[VRRP_DROP_FAMILY] = "family",
	[VRRP_DROP_PRIO_OWNER] = "prio_owner",
};

#define VRRP_TYPE_ADVERT 1
#define VRRP_V3_ADVER_MAX 4095	/* 12 bits of centiseconds */
#define VRRP_V2_ADVER_MAX 25500 /* 8 bits of seconds */
#define IP4_FLAG_MF 0x2000
#define IP4_FRAG_OFFSET 0x1fff
#define IP4_TOS_CS6 0xc0

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Adds buf to a running sum of big-endian 16-bit words (odd tail padded). */
static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint64_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t vrrp_csum(const void *buf, size_t len, uint32_t sum)
{
	return csum_fold(csum_add(sum, buf, len));
}

/* Partial sum of the pseudo-header: RFC 768 style for IPv4, RFC 8200 8.1
 * for IPv6; next header / protocol 112, length of the VRRP message. */
static uint32_t pseudo_sum(const struct conf_addr *src, const struct conf_addr *dst,
			   size_t vrrp_len)
{
	uint64_t sum = 0;

	if (src->family == AF_INET) {
		sum = csum_add(sum, (const uint8_t *)&src->u.v4, 4);
		sum = csum_add(sum, (const uint8_t *)&dst->u.v4, 4);
	} else {
		sum = csum_add(sum, src->u.v6.s6_addr, 16);
		sum = csum_add(sum, dst->u.v6.s6_addr, 16);
	}
	sum += VRRP_IPPROTO;
	sum += (uint32_t)vrrp_len;
	/* fold to 32 bits without losing carries: at most a few thousand */
	while (sum >> 32)
		sum = (sum & 0xffffffff) + (sum >> 32);
	return (uint32_t)sum;
}

__attribute__((format(printf, 4, 5))) static enum vrrp_drop
drop(char *why, size_t whylen, enum vrrp_drop code, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* One line per rule: the condition that must hold, the counter, the reason. */
#define PKT_CHECK(cond, code, ...)                                     \
	do {                                                           \
		if (!(cond))                                           \
			return drop(why, whylen, (code), __VA_ARGS__); \
	} while (0)

bool vrrp_addr_is_multicast(const struct conf_addr *a)
{
	if (a->family == AF_INET)
		return IN_MULTICAST(ntohl(a->u.v4.s_addr));
	return a->family == AF_INET6 && IN6_IS_ADDR_MULTICAST(&a->u.v6);
}

/*
 * The VRRP message itself, for both families. out->family, src, dst and ttl
 * are already set.
 */
static enum vrrp_drop parse_vrrp(const uint8_t *v, size_t len, struct vrrp_pkt *out, char *why,
				 size_t whylen)
{
	size_t alen = out->family == AF_INET ? 4 : 16;
	const char *fam = out->family == AF_INET ? "IPv4" : "IPv6";
	size_t want, got;
	uint16_t sum;
	uint32_t psum;

	/* RFC 5798 7.1 / RFC 3768 7.1: TTL or hop limit 255 first (multicast;
	 * unicast: accept.c) */
	PKT_CHECK(!vrrp_addr_is_multicast(&out->dst) || out->ttl == VRRP_TTL, VRRP_DROP_TTL,
		  "%s is %u, must be 255", out->family == AF_INET ? "TTL" : "hop limit", out->ttl);
	PKT_CHECK(len >= VRRP_HDR_LEN, VRRP_DROP_SHORT,
		  "%zu bytes, shorter than the 8-byte VRRP header", len);

	out->version = v[0] >> 4;
	out->type = v[0] & 0x0f;
	out->vrid = v[1];
	out->priority = v[2];
	out->naddr = v[3];
	out->addrs = v + VRRP_HDR_LEN;

	PKT_CHECK(out->version == 2 || out->version == 3, VRRP_DROP_VERSION,
		  "VRRP version %u is not 2 or 3", out->version);
	/* RFC 3768 defines v2 for IPv4 only; IPv6 is v3 (RFC 5798) */
	PKT_CHECK(out->version == 3 || out->family == AF_INET, VRRP_DROP_VERSION,
		  "VRRP version 2 over IPv6 (v2 is IPv4 only)");
	PKT_CHECK(out->type == VRRP_TYPE_ADVERT, VRRP_DROP_TYPE,
		  "VRRP type %u is not 1 (Advertisement)", out->type);

	/* the complete packet: fixed fields, addresses and (v2) auth data */
	PKT_CHECK(len >= VRRP_HDR_LEN + (out->version == 2 ? VRRP_AUTH_LEN : 0), VRRP_DROP_LENGTH,
		  "VRRPv2 message of %zu bytes has no room for the 8 bytes of authentication data",
		  len);
	want = VRRP_HDR_LEN + (size_t)out->naddr * alen + (out->version == 2 ? VRRP_AUTH_LEN : 0);
	got = len - VRRP_HDR_LEN - (out->version == 2 ? VRRP_AUTH_LEN : 0);
	PKT_CHECK(len == want, VRRP_DROP_LENGTH,
		  "%u %s addresses announced but %zu bytes of addresses", out->naddr, fam, got);

	/* RFC 3768 5.3.8: v2 over the VRRP message; RFC 5798 5.2.8: v3 with the pseudo-header */
	psum = out->version == 3 ? pseudo_sum(&out->src, &out->dst, len) : 0;
	sum = vrrp_csum(v, len, psum);
	out->csum_as_v2 = sum != 0 && out->version == 3 && out->family == AF_INET &&
			  vrrp_csum(v, len, 0) == 0;
	if (sum != 0 && !out->csum_as_v2) {
		/* what the checksum field should have held */
		uint8_t hdr[VRRP_HDR_LEN];
		uint64_t s;

		memcpy(hdr, v, sizeof(hdr));
		hdr[6] = hdr[7] = 0;
		s = csum_add(psum, hdr, sizeof(hdr));
		s = csum_add(s, v + VRRP_HDR_LEN, len - VRRP_HDR_LEN);
		return drop(why, whylen, VRRP_DROP_CHECKSUM,
			    "checksum 0x%04x is wrong (expected 0x%04x%s)", get16(v + 6),
			    csum_fold(s), out->version == 3 ? ", with pseudo-header" : "");
	}

	PKT_CHECK(out->vrid != 0, VRRP_DROP_VRID, "VRID 0 is not valid (1-255)");

	if (out->version == 2) {
		out->auth_type = v[4];
		out->adver_cs = (uint16_t)(v[5] * 100);
		memcpy(out->auth_data, v + len - VRRP_AUTH_LEN, VRRP_AUTH_LEN);
		PKT_CHECK(out->auth_type <= VRRP_AUTH_AH, VRRP_DROP_AUTH_TYPE,
			  "authentication type %u is unknown (0, 1 or 2)", out->auth_type);
		PKT_CHECK(out->adver_cs != 0, VRRP_DROP_INTERVAL, "advertisement interval is 0 s");
	} else {
		/* RFC 5798 5.2.6: 4 reserved bits, ignored on receive */
		out->adver_cs = get16(v + 4) & VRRP_V3_ADVER_MAX;
		out->auth_type = VRRP_AUTH_NONE;
		memset(out->auth_data, 0, sizeof(out->auth_data));
		PKT_CHECK(out->adver_cs != 0, VRRP_DROP_INTERVAL,
			  "maximum advertisement interval is 0 cs");
	}
	return VRRP_OK;
}

enum vrrp_drop vrrp_parse_ip4(const uint8_t *buf, size_t len, struct vrrp_pkt *out, char *why,
			      size_t whylen)
{
	size_t ihl, tot;
	uint16_t frag;

	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	if (why && whylen)
		why[0] = '\0';

	PKT_CHECK(len >= VRRP_IP4_HDR_LEN, VRRP_DROP_IP_HEADER,
		  "%zu bytes, shorter than an IPv4 header", len);
	PKT_CHECK(buf[0] >> 4 == 4, VRRP_DROP_IP_HEADER, "IP version %u is not 4", buf[0] >> 4);
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	PKT_CHECK(ihl >= VRRP_IP4_HDR_LEN, VRRP_DROP_IP_HEADER,
		  "IPv4 header length %zu is below 20", ihl);
	PKT_CHECK(ihl <= len, VRRP_DROP_IP_HEADER,
		  "IPv4 header length %zu exceeds the %zu bytes received", ihl, len);
	tot = get16(buf + 2);
	PKT_CHECK(tot >= ihl, VRRP_DROP_IP_HEADER,
		  "IPv4 total length %zu is below the header length %zu", tot, ihl);
	/* trailing link-layer padding is harmless; a truncated packet is not */
	PKT_CHECK(tot <= len, VRRP_DROP_IP_HEADER,
		  "IPv4 total length %zu but only %zu bytes received (truncated)", tot, len);
	frag = get16(buf + 6);
	PKT_CHECK(!(frag & (IP4_FLAG_MF | IP4_FRAG_OFFSET)), VRRP_DROP_IP_HEADER,
		  "IPv4 fragment (offset %u, more fragments %s) refused",
		  (frag & IP4_FRAG_OFFSET) * 8, frag & IP4_FLAG_MF ? "set" : "clear");
	PKT_CHECK(buf[9] == VRRP_IPPROTO || buf[9] == VRRP_AH_PROTO, VRRP_DROP_IP_HEADER,
		  "IP protocol %u is not 112 (VRRP) or 51 (AH)", buf[9]);

	out->ttl = buf[8];
	out->src.family = AF_INET;
	memcpy(&out->src.u.v4, buf + 12, 4);
	out->dst.family = AF_INET;
	memcpy(&out->dst.u.v4, buf + 16, 4);
	out->ip = buf;
	out->ip_len = tot;
	out->ip_hlen = ihl;

	if (buf[9] == VRRP_AH_PROTO) {
		const uint8_t *ah = buf + ihl;

		/* keepalived's AH (ah.h): 24 bytes, then VRRP */
		PKT_CHECK(tot - ihl >= VRRP_AH_LEN, VRRP_DROP_IP_HEADER,
			  "%zu bytes after the IPv4 header, shorter than a 24-byte AH header",
			  tot - ihl);
		PKT_CHECK(ah[0] == VRRP_IPPROTO, VRRP_DROP_IP_HEADER,
			  "AH header for protocol %u, not 112 (VRRP)", ah[0]);
		PKT_CHECK(ah[1] == VRRP_AH_PLEN, VRRP_DROP_IP_HEADER,
			  "AH payload length %u is not 4 (a 96-bit ICV)", ah[1]);
		out->ah = true;
		out->ah_spi = (uint32_t)get16(ah + 4) << 16 | get16(ah + 6);
		out->ah_seq = (uint32_t)get16(ah + 8) << 16 | get16(ah + 10);
		ihl += VRRP_AH_LEN;
	}
	return parse_vrrp(buf + ihl, tot - ihl, out, why, whylen);
}

enum vrrp_drop vrrp_parse_ip6(const uint8_t *buf, size_t len, const struct conf_addr *src,
			      const struct conf_addr *dst, uint8_t hoplimit, struct vrrp_pkt *out,
			      char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	out->family = AF_INET6;
	if (why && whylen)
		why[0] = '\0';

	PKT_CHECK(src && src->family == AF_INET6, VRRP_DROP_FAMILY,
		  "source address of an IPv6 packet is not IPv6");
	PKT_CHECK(dst && dst->family == AF_INET6, VRRP_DROP_FAMILY,
		  "destination address of an IPv6 packet is not IPv6");
	out->src = *src;
	out->dst = *dst;
	out->ttl = hoplimit;
	return parse_vrrp(buf, len, out, why, whylen);
}

/* ---- building ---- */

static bool tmpl_valid(const struct vrrp_pkt_tmpl *t)
{
	unsigned i;

	if (t->version != 2 && t->version != 3)
		return false;
	if (t->family != AF_INET && t->family != AF_INET6)
		return false;
	if (t->version == 2 && t->family != AF_INET)
		return false;
	if (t->vrid == 0 || t->naddr > VRRP_MAX_ADDRS || (t->naddr && !t->addrs))
		return false;
	if (t->src.family != t->family || t->dst.family != t->family)
		return false;
	for (i = 0; i < t->naddr; i++)
		if (t->addrs[i].family != t->family)
			return false;
	if (t->adver_cs == 0)
		return false;
	if (t->version == 3 && t->adver_cs > VRRP_V3_ADVER_MAX)
		return false;
	if (t->version == 2) {
		if (t->adver_cs % 100 || t->adver_cs > VRRP_V2_ADVER_MAX)
			return false;
		if (t->auth_type > VRRP_AUTH_AH)
			return false;
	}
	return true;
}

size_t vrrp_build(uint8_t *buf, size_t cap, const struct vrrp_pkt_tmpl *t)
{
	size_t alen, iplen, vlen, i;
	bool ah;
	uint8_t *v;
	uint32_t psum = 0;

	if (!buf || !t || !tmpl_valid(t))
		return 0;
	ah = t->version == 2 && t->auth_type == VRRP_AUTH_AH;
	alen = t->family == AF_INET ? 4 : 16;
	iplen = t->family == AF_INET ? VRRP_IP4_HDR_LEN + (ah ? VRRP_AH_LEN : 0) : 0;
	vlen = VRRP_HDR_LEN + t->naddr * alen + (t->version == 2 ? VRRP_AUTH_LEN : 0);
	if (cap < iplen + vlen || (ah && iplen + vlen > VRRP_AH_PKT_MAX))
		return 0;
	memset(buf, 0, iplen + vlen);

	if (t->family == AF_INET) {
		buf[0] = 0x45; /* version 4, IHL 5: no options */
		buf[1] = IP4_TOS_CS6;
		put16(buf + 2, (uint16_t)(iplen + vlen));
		put16(buf + 4, t->ip_id);
		/* buf[6..7]: no DF, offset 0 (what keepalived sends; never fragmented) */
		buf[8] = t->ttl;
		buf[9] = ah ? VRRP_AH_PROTO : VRRP_IPPROTO;
		memcpy(buf + 12, &t->src.u.v4, 4);
		memcpy(buf + 16, &t->dst.u.v4, 4);
		put16(buf + 10, vrrp_csum(buf, VRRP_IP4_HDR_LEN, 0));
	}
	if (ah) {
		/* ah.h: SPI = our address, as keepalived; the ICV once VRRP is there */
		uint8_t *h = buf + VRRP_IP4_HDR_LEN;

		h[0] = VRRP_IPPROTO;
		h[1] = VRRP_AH_PLEN;
		memcpy(h + 4, &t->src.u.v4, 4);
		put16(h + 8, (uint16_t)(t->ah_seq >> 16));
		put16(h + 10, (uint16_t)t->ah_seq);
	}

	v = buf + iplen;
	v[0] = (uint8_t)(t->version << 4 | VRRP_TYPE_ADVERT);
	v[1] = t->vrid;
	v[2] = t->priority;
	v[3] = (uint8_t)t->naddr;
	if (t->version == 2) {
		v[4] = t->auth_type;
		v[5] = (uint8_t)(t->adver_cs / 100);
	} else {
		/* RFC 5798 5.2.6: reserved bits zero on send */
		put16(v + 4, t->adver_cs);
	}
	for (i = 0; i < t->naddr; i++) {
		if (t->family == AF_INET)
			memcpy(v + VRRP_HDR_LEN + i * 4, &t->addrs[i].u.v4, 4);
		else
			memcpy(v + VRRP_HDR_LEN + i * 16, t->addrs[i].u.v6.s6_addr, 16);
	}
	if (t->version == 2 && t->auth_type == VRRP_AUTH_PASS) /* AH: zeros (RFC 3768 5.3.10) */
		memcpy(v + vlen - VRRP_AUTH_LEN, t->auth_pass,
		       strnlen(t->auth_pass, VRRP_AUTH_LEN));
	if (t->version == 3 && !(t->family == AF_INET && t->csum_as_v2))
		psum = pseudo_sum(&t->src, &t->dst, vlen);
	put16(v + 6, vrrp_csum(v, vlen, psum));
	if (ah) {
		uint8_t key[VRRP_AH_KEY_LEN];

		vrrp_ah_key(t->auth_pass, key);
		vrrp_ah_icv(buf, iplen + vlen, VRRP_IP4_HDR_LEN, key, t->ah_zero_ttl,
			    buf + VRRP_IP4_HDR_LEN + 12);
	}
	return iplen + vlen;
}

static bool addr_bytes_equal(const struct vrrp_pkt *p, unsigned i, const struct conf_addr *a)
{
	if (p->family == AF_INET)
		return memcmp(p->addrs + (size_t)i * 4, &a->u.v4, 4) == 0;
	return memcmp(p->addrs + (size_t)i * 16, a->u.v6.s6_addr, 16) == 0;
}

bool vrrp_pkt_addrs_equal(const struct vrrp_pkt *p, const struct conf_addr *addrs, unsigned n)
{
	bool used[VRRP_MAX_ADDRS] = { false };
	unsigned i, j;

	if (!p || p->naddr != n || (n && !addrs) || n > VRRP_MAX_ADDRS)
		return false;
	/* multiset equality, O(n^2) with n <= 255 */
	for (i = 0; i < n; i++) {
		if (addrs[i].family != p->family)
			return false;
		for (j = 0; j < n; j++)
			if (!used[j] && addr_bytes_equal(p, j, &addrs[i]))
				break;
		if (j == n)
			return false;
		used[j] = true;
	}
	return true;
}
