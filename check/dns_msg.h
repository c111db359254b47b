/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DNS_CHECK's messages (RFC 1035 4.1), pure: build one query, judge one
 * reply. No sockets, no clocks; every length is checked before a byte is
 * read.
 */
#ifndef VIGIL_CHECK_DNS_MSG_H
#define VIGIL_CHECK_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DNS_MSG_HDR 12	     /* RFC 1035 4.1.1 */
#define DNS_MSG_NAME_MAX 255 /* RFC 1035 3.1: octets of an encoded name */
#define DNS_MSG_QUERY_MAX (DNS_MSG_HDR + DNS_MSG_NAME_MAX + 4)
#define DNS_MSG_REPLY_MAX 4096 /* bytes of a reply we look at (more is cut) */

/* The QTYPE of conf_dns_type_names[i] (A, NS, CNAME, SOA, MX, TXT, AAAA), 0 if
 * i is out of range. */
uint16_t dns_msg_qtype(int conf_type);

/*
 * Writes a standard query (opcode QUERY, RD set, one question of class IN)
 * for name ("." or "" is the root; a trailing dot is optional) into buf.
 * Returns its length, or -EINVAL (empty label, label over 63 octets, name
 * over 255 octets) / -ENOSPC (len too small).
 */
int dns_msg_query(uint8_t *buf, size_t len, uint16_t id, uint16_t qtype, const char *name);

enum dns_verdict {
	DNS_REPLY_OK = 0,  /* our answer, RCODE NOERROR */
	DNS_REPLY_FOREIGN, /* not an answer to our query: ignore it, keep waiting */
	DNS_REPLY_FAILED,  /* our answer, and it says the server failed */
};

/*
 * Judges reply r against the query q we sent (as built by dns_msg_query).
 * Order: length, ID, QR, opcode, RCODE, QDCOUNT, the question echoed
 * (name compared without regard to ASCII case, type, class). *why gets a
 * static text for FOREIGN and FAILED (rcode_buf, at least 48 bytes, may be
 * used for it). keepalived 2.2.7 requires no answer record, nor do we.
 */
enum dns_verdict dns_msg_check_reply(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen,
				     const char **why, char *rcode_buf, size_t rcode_len);

/* "NOERROR", "FORMERR", ... or NULL for codes without a name. */
const char *dns_msg_rcode_name(unsigned rcode);

#endif
