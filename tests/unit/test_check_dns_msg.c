/* SPDX-License-Identifier: GPL-2.0-or-later */
/* DNS_CHECK's pure message code: golden queries, every malformed reply. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/dns_msg.h"

/* example.com A, ID 0x1234, RD (RFC 1035 4.1.1, 4.1.2) */
static const uint8_t q_example_a[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 7,    'e',  'x',
	'a',  'm',  'p',  'l',	'e',  3,    'c',  'o',	'm',  0,    0x00, 0x01, 0x00, 0x01,
};

/* the root, SOA, ID 0xbeef */
static const uint8_t q_root_soa[] = {
	0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0,	0x00, 0x06, 0x00, 0x01,
};

static void test_qtypes(void **state)
{
	(void)state;
	/* conf_dns_type_names order: A NS CNAME SOA MX TXT AAAA */
	assert_int_equal(dns_msg_qtype(0), 1);
	assert_int_equal(dns_msg_qtype(1), 2);
	assert_int_equal(dns_msg_qtype(2), 5);
	assert_int_equal(dns_msg_qtype(3), 6);
	assert_int_equal(dns_msg_qtype(4), 15);
	assert_int_equal(dns_msg_qtype(5), 16);
	assert_int_equal(dns_msg_qtype(6), 28);
	assert_int_equal(dns_msg_qtype(7), 0);
	assert_int_equal(dns_msg_qtype(-1), 0);
}

static void test_query_golden(void **state)
{
	uint8_t b[DNS_MSG_QUERY_MAX];
	int n;

	(void)state;
	n = dns_msg_query(b, sizeof(b), 0x1234, 1, "example.com");
	assert_int_equal(n, sizeof(q_example_a));
	assert_memory_equal(b, q_example_a, sizeof(q_example_a));
	/* a trailing dot is the same name */
	n = dns_msg_query(b, sizeof(b), 0x1234, 1, "example.com.");
	assert_int_equal(n, sizeof(q_example_a));
	assert_memory_equal(b, q_example_a, sizeof(q_example_a));
	n = dns_msg_query(b, sizeof(b), 0xbeef, 6, ".");
	assert_int_equal(n, sizeof(q_root_soa));
	assert_memory_equal(b, q_root_soa, sizeof(q_root_soa));
	n = dns_msg_query(b, sizeof(b), 0xbeef, 6, "");
	assert_int_equal(n, sizeof(q_root_soa));
	assert_memory_equal(b, q_root_soa, sizeof(q_root_soa));
}

static void test_query_bad_names(void **state)
{
	uint8_t b[DNS_MSG_QUERY_MAX];
	char name[400];

	(void)state;
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, "a..b"), -EINVAL);
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, ".a"), -EINVAL);
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, "a.."), -EINVAL);
	memset(name, 'a', 64);
	name[64] = '\0';
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, name), -EINVAL);
	name[63] = '\0';
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, name), 12 + 1 + 63 + 1 + 4);
	/* 4 labels of 63: 4 * 64 + 1 = 257 octets > 255 */
	for (int i = 0; i < 4; i++) {
		memset(name + i * 64, 'b', 63);
		name[i * 64 + 63] = '.';
	}
	name[4 * 64 - 1] = '\0';
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, name), -EINVAL);
	/* 3 x 63 + 61: 3 * 64 + 62 + 1 = 255 octets: the longest name */
	name[3 * 64 + 61] = '\0';
	assert_int_equal(dns_msg_query(b, sizeof(b), 1, 1, name), 12 + 255 + 4);
	/* a buffer too small */
	assert_int_equal(dns_msg_query(b, 20, 1, 1, "example.com"), -ENOSPC);
}

/* A reply to q_example_a: header flags 0x8180 (QR RD RA), one answer. */
static size_t make_reply(uint8_t *r)
{
	static const uint8_t ans[] = { 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
				       0x0e, 0x10, 0x00, 0x04, 198,  18,   0,	 1 };
	size_t n = sizeof(q_example_a);

	memcpy(r, q_example_a, n);
	r[2] = 0x81;
	r[3] = 0x80;
	r[7] = 1; /* ANCOUNT */
	memcpy(r + n, ans, sizeof(ans));
	return n + sizeof(ans);
}

static enum dns_verdict judge(const uint8_t *r, size_t n, const char **why)
{
	static char rb[64];

	return dns_msg_check_reply(q_example_a, sizeof(q_example_a), r, n, why, rb, sizeof(rb));
}

static void test_reply_ok(void **state)
{
	uint8_t r[128];
	size_t n = make_reply(r);
	const char *why;

	(void)state;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_OK);
	/* no answer record: keepalived accepts it, so do we */
	r[7] = 0;
	assert_int_equal(judge(r, sizeof(q_example_a), &why), DNS_REPLY_OK);
	/* the name echoed in another case (0x20 mixing) */
	n = make_reply(r);
	r[13] = 'E';
	r[21] = 'C';
	assert_int_equal(judge(r, n, &why), DNS_REPLY_OK);
	/* TC set: still an answer */
	n = make_reply(r);
	r[2] |= 0x02;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_OK);
}

static void test_reply_foreign(void **state)
{
	uint8_t r[128];
	size_t n;
	const char *why;

	(void)state;
	n = make_reply(r);
	for (size_t k = 0; k < DNS_MSG_HDR; k++) {
		assert_int_equal(judge(r, k, &why), DNS_REPLY_FOREIGN);
		assert_string_equal(why, "reply shorter than a DNS header");
	}
	n = make_reply(r);
	r[1] ^= 1;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "reply ID does not match the query's");

	n = make_reply(r);
	r[2] &= 0x7f;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "QR bit not set (a query, not a reply)");

	n = make_reply(r);
	r[2] |= 2 << 3; /* STATUS */
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "reply opcode is not QUERY");

	n = make_reply(r);
	r[5] = 0;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "reply QDCOUNT is not 1");
	r[5] = 2;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	r[4] = 1;
	r[5] = 1;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);

	/* cut inside the question */
	n = make_reply(r);
	for (size_t k = DNS_MSG_HDR; k < sizeof(q_example_a); k++) {
		assert_int_equal(judge(r, k, &why), DNS_REPLY_FOREIGN);
		assert_string_equal(why, "reply too short to hold our question");
	}

	n = make_reply(r);
	r[14] = 'y';
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "reply question name differs from the query's");
	n = make_reply(r);
	r[12] = 6; /* another label length */
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);

	n = make_reply(r);
	r[sizeof(q_example_a) - 3] = 28;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "reply question type differs from the query's");

	n = make_reply(r);
	r[sizeof(q_example_a) - 1] = 3; /* CH */
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FOREIGN);
	assert_string_equal(why, "reply question class differs from the query's");

	/* no query to compare with */
	assert_int_equal(dns_msg_check_reply(q_example_a, 12, r, n, &why, NULL, 0),
			 DNS_REPLY_FOREIGN);
}

static void test_reply_rcode(void **state)
{
	uint8_t r[128];
	size_t n;
	const char *why;
	char rb[64];

	(void)state;
	n = make_reply(r);
	r[3] = 0x83; /* NXDOMAIN */
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FAILED);
	assert_string_equal(why, "server answered RCODE 3 (NXDOMAIN)");
	r[3] = 0x82;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FAILED);
	assert_string_equal(why, "server answered RCODE 2 (SERVFAIL)");
	r[3] = 0x8f;
	assert_int_equal(judge(r, n, &why), DNS_REPLY_FAILED);
	assert_string_equal(why, "server answered RCODE 15");
	/* FORMERR with only a header: still our failed answer */
	r[3] = 0x81;
	r[5] = 0;
	assert_int_equal(
		dns_msg_check_reply(q_example_a, sizeof(q_example_a), r, 12, &why, rb, sizeof(rb)),
		DNS_REPLY_FAILED);
	assert_string_equal(why, "server answered RCODE 1 (FORMERR)");
	/* without a buffer for the text */
	assert_int_equal(
		dns_msg_check_reply(q_example_a, sizeof(q_example_a), r, 12, &why, NULL, 0),
		DNS_REPLY_FAILED);
	assert_string_equal(why, "server answered an error RCODE");
	assert_null(dns_msg_rcode_name(11));
	assert_string_equal(dns_msg_rcode_name(5), "REFUSED");
}

/* Every single-byte corruption and every length of a reply: never a crash,
 * OK only when the header's free bits or the answer section changed. */
static void test_reply_exhaustive(void **state)
{
	uint8_t r[128], good[128];
	size_t n = make_reply(good);
	const char *why;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (unsigned v = 0; v < 256; v++) {
			enum dns_verdict d;

			memcpy(r, good, n);
			r[i] = (uint8_t)v;
			d = judge(r, n, &why);
			assert_non_null(why);
			if (d == DNS_REPLY_OK && i < sizeof(q_example_a) && v != good[i]) {
				/* allowed: flags other than QR/opcode/rcode, ANCOUNT..ARCOUNT,
				 * letter case of the name */
				bool flags =
					(i == 2 && (v & 0xf8) == 0x80) || (i == 3 && !(v & 0xf));
				bool counts = i >= 6 && i < 12;
				bool name_case = i > 12 && i < sizeof(q_example_a) - 5 &&
						 (v | 0x20) == (good[i] | 0x20);

				assert_true(flags || counts || name_case);
			}
		}
	}
	for (size_t k = 0; k <= n; k++)
		(void)judge(good, k, &why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qtypes),		 cmocka_unit_test(test_query_golden),
		cmocka_unit_test(test_query_bad_names),	 cmocka_unit_test(test_reply_ok),
		cmocka_unit_test(test_reply_foreign),	 cmocka_unit_test(test_reply_rcode),
		cmocka_unit_test(test_reply_exhaustive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
