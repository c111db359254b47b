/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRPv2 AH authentication (ah.h): the ICV over a copy of the headers with
 * the mutable fields zeroed, as keepalived 2.2.7 computes it, so that both
 * interoperate. HMAC-MD5 comes from libcrypto (OpenSSL's one-shot HMAC(), over a copy of at most
 * VRRP_AH_PKT_MAX bytes).
 */
#include "config.h"

#include "vrrp/ah.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define IP4_HDR_MAX 60

void vrrp_ah_key(const char *pass, uint8_t key[VRRP_AH_KEY_LEN])
{
	size_t n = pass ? strnlen(pass, VRRP_AH_KEY_LEN) : 0;

	memset(key, 0, VRRP_AH_KEY_LEN);
	if (n)
		memcpy(key, pass, n);
}

void vrrp_ah_icv(const uint8_t *ip, size_t len, size_t ihl, const uint8_t key[VRRP_AH_KEY_LEN],
		 bool zero_ttl, uint8_t icv[VRRP_AH_ICV_LEN])
{
	uint8_t pkt[VRRP_AH_PKT_MAX], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	memset(icv, 0, VRRP_AH_ICV_LEN);
	if (ihl < 20 || ihl > IP4_HDR_MAX || len < ihl + VRRP_AH_LEN || len > sizeof(pkt))
		return;
	/* RFC 2402 3.3.3.1.1.1: mutable IPv4 fields count as zero */
	memcpy(pkt, ip, len);
	pkt[1] = 0;	       /* TOS */
	pkt[6] = pkt[7] = 0;   /* flags, fragment offset */
	pkt[10] = pkt[11] = 0; /* header checksum */
	if (zero_ttl)
		pkt[8] = 0; /* unicast adverts may cross routers */
	memset(pkt + ihl + 12, 0, VRRP_AH_ICV_LEN);
	if (HMAC(EVP_md5(), key, VRRP_AH_KEY_LEN, pkt, len, md, &mdlen) && mdlen >= VRRP_AH_ICV_LEN)
		memcpy(icv, md, VRRP_AH_ICV_LEN);
}

bool vrrp_ah_icv_ok(const uint8_t *ip, size_t len, size_t ihl, const uint8_t key[VRRP_AH_KEY_LEN],
		    bool zero_ttl)
{
	uint8_t icv[VRRP_AH_ICV_LEN];

	if (ihl < 20 || ihl > IP4_HDR_MAX || len < ihl + VRRP_AH_LEN)
		return false;
	vrrp_ah_icv(ip, len, ihl, key, zero_ttl, icv);
	return CRYPTO_memcmp(icv, ip + ihl + 12, VRRP_AH_ICV_LEN) == 0;
}
