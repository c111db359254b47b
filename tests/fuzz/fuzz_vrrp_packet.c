/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for vrrp/packet.c. The input is tried twice:
 *  - as a whole IPv4 packet (vrrp_parse_ip4);
 *  - as IPv6: bytes 0..15 are the source, 16..31 the destination, 32 the
 *    hop limit, the rest the VRRP payload (vrrp_parse_ip6).
 * Whatever parses is rebuilt with vrrp_build from the parsed fields, and the
 * rebuilt packet must parse to the same fields; any difference aborts.
 * An input dropped only for its checksum is patched with the checksum the
 * reason string names ("expected 0x....") and tried again, so mutations
 * reach the checks after the checksum; the patched packet must get past it.
 * An advert with an AH header (auth_type AH) goes through vrrp_ah_icv_ok
 * with a fixed key, is rebuilt with an AH header of the same SPI and
 * sequence number, and the rebuilt one's ICV must check out, the unicast
 * rule (TTL left out) and the multicast one alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/ah.h"
#include "vrrp/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define FUZZ_CHECK(cond)                                                           \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                   \
		}                                                                  \
	} while (0)

static void check_why(enum vrrp_drop r, const char *why, size_t whylen)
{
	FUZZ_CHECK((unsigned)r < VRRP_DROP__COUNT);
	FUZZ_CHECK(memchr(why, '\0', whylen) != NULL);
	FUZZ_CHECK(r == VRRP_OK || why[0] != '\0');
}

static void round_trip(const struct vrrp_pkt *p, uint16_t ip_id)
{
	static struct conf_addr addrs[VRRP_MAX_ADDRS];
	static uint8_t buf[VRRP_IP4_HDR_LEN + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 +
			   VRRP_AUTH_LEN];
	size_t alen = p->family == AF_INET ? 4 : 16;
	uint8_t want_auth[VRRP_AUTH_LEN];
	struct vrrp_pkt_tmpl t;
	struct vrrp_pkt q;
	char why[256];
	enum vrrp_drop r;
	unsigned i;
	size_t len;

	static const char key_pass[] = "fuzzkey";
	uint8_t key[VRRP_AH_KEY_LEN];

	/* AH: what parsed is judged by the ICV; a packet must then not be
	 * misread by it (lengths come from the parser) */
	vrrp_ah_key(key_pass, key);
	if (p->ah) {
		FUZZ_CHECK(p->family == AF_INET && p->ip && p->ip_len >= p->ip_hlen + VRRP_AH_LEN);
		(void)vrrp_ah_icv_ok(p->ip, p->ip_len, p->ip_hlen, key, false);
		(void)vrrp_ah_icv_ok(p->ip, p->ip_len, p->ip_hlen, key, true);
	}
	/* a v2 advert says AH, or an AH header carries it: rebuilt as AH,
	 * which the builder can do for v2 only */
	if (p->ah && p->version != 2)
		return;

	memset(&t, 0, sizeof(t));
	t.version = p->version;
	t.vrid = p->vrid;
	t.priority = p->priority;
	t.adver_cs = p->adver_cs;
	t.auth_type = p->ah ? VRRP_AUTH_AH : p->auth_type;
	memcpy(t.auth_pass, p->auth_data, VRRP_AUTH_LEN);
	if (t.auth_type == VRRP_AUTH_AH) {
		memset(t.auth_pass, 0, sizeof(t.auth_pass));
		memcpy(t.auth_pass, key_pass, sizeof(key_pass) - 1);
		t.ah_seq = p->ah_seq;
		t.ah_zero_ttl = p->ttl & 1;
	}
	t.family = p->family;
	for (i = 0; i < p->naddr; i++) {
		memset(&addrs[i], 0, sizeof(addrs[i]));
		addrs[i].family = (sa_family_t)p->family;
		if (p->family == AF_INET)
			memcpy(&addrs[i].u.v4, p->addrs + i * alen, alen);
		else
			memcpy(addrs[i].u.v6.s6_addr, p->addrs + i * alen, alen);
	}
	FUZZ_CHECK(vrrp_pkt_addrs_equal(p, addrs, p->naddr));
	t.addrs = addrs;
	t.naddr = p->naddr;
	t.src = p->src;
	t.dst = p->dst;
	t.ttl = p->ttl;
	t.ip_id = ip_id;

	len = vrrp_build(buf, sizeof(buf), &t);
	FUZZ_CHECK(len > 0); /* whatever we accept, we can send */

	if (p->family == AF_INET)
		r = vrrp_parse_ip4(buf, len, &q, why, sizeof(why));
	else
		r = vrrp_parse_ip6(buf, len, &t.src, &t.dst, p->ttl, &q, why, sizeof(why));
	if (r != VRRP_OK)
		fprintf(stderr, "rebuilt packet dropped: %s\n", why);
	FUZZ_CHECK(r == VRRP_OK);
	FUZZ_CHECK(q.version == p->version);
	FUZZ_CHECK(q.type == p->type);
	FUZZ_CHECK(q.vrid == p->vrid);
	FUZZ_CHECK(q.priority == p->priority);
	FUZZ_CHECK(q.naddr == p->naddr);
	FUZZ_CHECK(q.adver_cs == p->adver_cs);
	FUZZ_CHECK(q.auth_type == t.auth_type);
	FUZZ_CHECK(q.ah == (t.auth_type == VRRP_AUTH_AH && t.version == 2));
	if (q.ah) {
		FUZZ_CHECK(q.ah_seq == t.ah_seq);
		FUZZ_CHECK(q.ah_spi == ((uint32_t)q.ip[12] << 24 | (uint32_t)q.ip[13] << 16 |
					(uint32_t)q.ip[14] << 8 | q.ip[15]));
		FUZZ_CHECK(vrrp_ah_icv_ok(q.ip, q.ip_len, q.ip_hlen, key, t.ah_zero_ttl));
	}
	FUZZ_CHECK(q.family == p->family);
	FUZZ_CHECK(q.ttl == p->ttl);
	FUZZ_CHECK(conf_addr_equal(&q.src, &p->src));
	FUZZ_CHECK(conf_addr_equal(&q.dst, &p->dst));
	FUZZ_CHECK(memcmp(q.addrs, p->addrs, p->naddr * alen) == 0);
	FUZZ_CHECK(vrrp_pkt_addrs_equal(&q, addrs, p->naddr));

	/* the password goes out as far as its first NUL; NONE sends zeros */
	memset(want_auth, 0, sizeof(want_auth));
	if (p->version == 2 && t.auth_type == VRRP_AUTH_PASS)
		memcpy(want_auth, p->auth_data, strnlen((const char *)p->auth_data, VRRP_AUTH_LEN));
	FUZZ_CHECK(memcmp(q.auth_data, want_auth, VRRP_AUTH_LEN) == 0);
}

/* Patches the VRRP checksum at byte off + 6 with the value named in why. */
static const uint8_t *fix_checksum(const uint8_t *d, size_t n, size_t off, const char *why)
{
	static uint8_t fixed[65536];
	const char *e = strstr(why, "expected 0x");
	unsigned c;

	FUZZ_CHECK(e && sscanf(e, "expected 0x%4x", &c) == 1);
	FUZZ_CHECK(n <= sizeof(fixed) && off + 8 <= n);
	memcpy(fixed, d, n);
	fixed[off + 6] = (uint8_t)(c >> 8);
	fixed[off + 7] = (uint8_t)c;
	return fixed;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct conf_addr src, dst;
	struct vrrp_pkt p;
	char why[256];
	enum vrrp_drop r;

	memset(why, 'x', sizeof(why));
	r = vrrp_parse_ip4(d, n, &p, why, sizeof(why));
	check_why(r, why, sizeof(why));
	if (r == VRRP_OK) {
		FUZZ_CHECK(p.family == AF_INET);
		FUZZ_CHECK(p.addrs >= d && p.addrs + p.naddr * 4 <= d + n);
		round_trip(&p, n >= 6 ? (uint16_t)(d[4] << 8 | d[5]) : 0);
	}
	/* the same bytes once more without a why buffer: same verdict */
	FUZZ_CHECK(vrrp_parse_ip4(d, n, &p, NULL, 0) == r);
	if (r == VRRP_DROP_CHECKSUM && n <= 65536) {
		/* the VRRP header: after the IP header, and the AH header if any */
		size_t off = (size_t)(d[0] & 0x0f) * 4 + (d[9] == VRRP_AH_PROTO ? VRRP_AH_LEN : 0);
		const uint8_t *f = fix_checksum(d, n, off, why);

		r = vrrp_parse_ip4(f, n, &p, why, sizeof(why));
		check_why(r, why, sizeof(why));
		FUZZ_CHECK(r != VRRP_DROP_CHECKSUM);
		if (r == VRRP_OK)
			round_trip(&p, (uint16_t)(f[4] << 8 | f[5]));
	}

	if (n >= 33) {
		memset(&src, 0, sizeof(src));
		memset(&dst, 0, sizeof(dst));
		src.family = dst.family = AF_INET6;
		memcpy(src.u.v6.s6_addr, d, 16);
		memcpy(dst.u.v6.s6_addr, d + 16, 16);
		memset(why, 'x', sizeof(why));
		r = vrrp_parse_ip6(d + 33, n - 33, &src, &dst, d[32], &p, why, sizeof(why));
		check_why(r, why, sizeof(why));
		if (r == VRRP_OK) {
			FUZZ_CHECK(p.family == AF_INET6 && p.version == 3);
			FUZZ_CHECK(p.addrs >= d + 33 && p.addrs + p.naddr * 16 <= d + n);
			round_trip(&p, 0);
		}
		if (r == VRRP_DROP_CHECKSUM && n <= 65536) {
			const uint8_t *f = fix_checksum(d, n, 33, why);

			r = vrrp_parse_ip6(f + 33, n - 33, &src, &dst, f[32], &p, why, sizeof(why));
			check_why(r, why, sizeof(why));
			FUZZ_CHECK(r != VRRP_DROP_CHECKSUM);
			if (r == VRRP_OK)
				round_trip(&p, 0);
		}
	}
	return 0;
}
