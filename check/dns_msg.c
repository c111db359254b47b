/* SPDX-License-Identifier: GPL-2.0-or-later */
/* DNS_CHECK's query and reply (see dns_msg.h). */
#include "check/dns_msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const uint16_t qtypes[] = { 1 /* A */,	2 /* NS */,  5 /* CNAME */,
				   6 /* SOA */, 15 /* MX */, 16 /* TXT */,
				   28 /* AAAA */ };

uint16_t dns_msg_qtype(int conf_type)
{
	if (conf_type < 0 || (size_t)conf_type >= sizeof(qtypes) / sizeof(qtypes[0]))
		return 0;
	return qtypes[conf_type];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int dns_msg_query(uint8_t *buf, size_t len, uint16_t id, uint16_t qtype, const char *name)
{
	uint8_t tmp[DNS_MSG_QUERY_MAX];
	size_t o = DNS_MSG_HDR, nlen = 0;
	const char *s = name ? name : "";

	memset(tmp, 0, DNS_MSG_HDR);
	put16(tmp, id);
	tmp[2] = 0x01; /* QR 0, opcode QUERY, RD 1 (RFC 1035 4.1.1) */
	put16(tmp + 4, 1);

	if (!strcmp(s, "."))
		s = "";
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);

		if (l == 0 || l > 63)
			return -EINVAL;
		if (nlen + 1 + l + 1 > DNS_MSG_NAME_MAX)
			return -EINVAL;
		tmp[o++] = (uint8_t)l;
		memcpy(tmp + o, s, l);
		o += l;
		nlen += 1 + l;
		s += l;
		if (*s == '.')
			s++;
	}
	tmp[o++] = 0; /* the root label */
	put16(tmp + o, qtype);
	put16(tmp + o + 2, 1); /* class IN */
	o += 4;
	if (o > len)
		return -ENOSPC;
	memcpy(buf, tmp, o);
	return (int)o;
}

static const char *const rcode_names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					   "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
					   "NXRRSET", "NOTAUTH", "NOTZONE" };

const char *dns_msg_rcode_name(unsigned rcode)
{
	return rcode < sizeof(rcode_names) / sizeof(rcode_names[0]) ? rcode_names[rcode] : NULL;
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

#define VERDICT(cond, v, text)         \
	do {                           \
		if (!(cond)) {         \
			*why = (text); \
			return (v);    \
		}                      \
	} while (0)

enum dns_verdict dns_msg_check_reply(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen,
				     const char **why, char *rcode_buf, size_t rcode_len)
{
	unsigned rcode;
	size_t i;

	*why = "ok";
	/* A query we built always has a header and one question. */
	VERDICT(qlen > DNS_MSG_HDR + 4, DNS_REPLY_FOREIGN, "no query to compare with");
	VERDICT(rlen >= DNS_MSG_HDR, DNS_REPLY_FOREIGN, "reply shorter than a DNS header");
	VERDICT(get16(r) == get16(q), DNS_REPLY_FOREIGN, "reply ID does not match the query's");
	VERDICT(r[2] & 0x80, DNS_REPLY_FOREIGN, "QR bit not set (a query, not a reply)");
	VERDICT(((r[2] >> 3) & 0xf) == 0, DNS_REPLY_FOREIGN, "reply opcode is not QUERY");

	rcode = r[3] & 0xf;
	if (rcode) {
		const char *n = dns_msg_rcode_name(rcode);

		if (rcode_buf && rcode_len) {
			if (n)
				snprintf(rcode_buf, rcode_len, "server answered RCODE %u (%s)",
					 rcode, n);
			else
				snprintf(rcode_buf, rcode_len, "server answered RCODE %u", rcode);
			*why = rcode_buf;
		} else {
			*why = "server answered an error RCODE";
		}
		return DNS_REPLY_FAILED;
	}

	VERDICT(get16(r + 4) == 1, DNS_REPLY_FOREIGN, "reply QDCOUNT is not 1");
	VERDICT(rlen >= qlen, DNS_REPLY_FOREIGN, "reply too short to hold our question");
	/* The question as we sent it: labels and root (the name compared
	 * case-insensitively), then type and class exactly. */
	for (i = DNS_MSG_HDR; i < qlen - 4; i++) {
		VERDICT(ascii_lower(r[i]) == ascii_lower(q[i]), DNS_REPLY_FOREIGN,
			"reply question name differs from the query's");
	}
	VERDICT(!memcmp(r + qlen - 4, q + qlen - 4, 2), DNS_REPLY_FOREIGN,
		"reply question type differs from the query's");
	VERDICT(!memcmp(r + qlen - 2, q + qlen - 2, 2), DNS_REPLY_FOREIGN,
		"reply question class differs from the query's");
	return DNS_REPLY_OK;
}
