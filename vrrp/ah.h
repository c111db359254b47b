/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRPv2 "auth_type AH" as keepalived 2.2.7 puts it on the wire: an IPsec
 * AH header (RFC 2402) between the IPv4 header and the VRRP message,
 * protocol 51, next header 112, payload length 4 (24 bytes), SPI = the
 * sender's IPv4 address, a sequence number, and a 96-bit ICV: HMAC-MD5
 * (RFC 2403) keyed with the 8 octets of auth_pass (NUL-padded) over the IP
 * header with its mutable fields zeroed (TOS, fragment offset, header
 * checksum; the TTL too for a unicast instance, whose adverts may cross
 * routers), the AH header with a zero ICV, and the VRRP message. IPv4 and
 * VRRPv2 only. Pure: bytes in, bytes out; libcrypto's HMAC does the hash.
 */
#ifndef VIGIL_VRRP_AH_H
#define VIGIL_VRRP_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_AH_PROTO 51
#define VRRP_AH_LEN 24	     /* next, length, reserved, SPI, sequence, ICV */
#define VRRP_AH_PLEN 4	     /* RFC 2402 2.2: length in 32-bit words, minus 2 */
#define VRRP_AH_ICV_LEN 12   /* HMAC-MD5-96 (RFC 2403) */
#define VRRP_AH_KEY_LEN 8    /* the VRRPv2 authentication data: auth_pass */
#define VRRP_AH_PKT_MAX 2048 /* the longest packet whose ICV is computed */

/*
 * The ICV of the IPv4 packet ip (len bytes, header of ihl bytes, then the
 * AH header, then VRRP) under key; zero_ttl for a unicast instance. The
 * packet's own ICV field is not read.
 */
void vrrp_ah_icv(const uint8_t *ip, size_t len, size_t ihl, const uint8_t key[VRRP_AH_KEY_LEN],
		 bool zero_ttl, uint8_t icv[VRRP_AH_ICV_LEN]);

/* Does the packet's ICV match (compared in constant time)? */
bool vrrp_ah_icv_ok(const uint8_t *ip, size_t len, size_t ihl, const uint8_t key[VRRP_AH_KEY_LEN],
		    bool zero_ttl);

/* auth_pass as the 8-octet key: cut at 8, NUL-padded (NULL: all zero). */
void vrrp_ah_key(const char *pass, uint8_t key[VRRP_AH_KEY_LEN]);

#endif
