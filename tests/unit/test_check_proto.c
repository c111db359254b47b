/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The main <-> checker batch format: golden bytes, round trips and every
 * refusal of check_batch_decode. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "check/proto.h"

#define HDR 16
#define REC 156
#define CAUSE 152 /* the cause's offset in a record */

static struct check_batch in, out;
static uint8_t buf[CHECK_DGRAM_MAX];

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static long one_result(void)
{
	memset(&in, 0, sizeof(in));
	in.gen = 7;
	in.n = 1;
	in.v[0] = (struct check_rec){ .type = CHECK_REC_RESULT,
				      .probe = 3,
				      .up = true,
				      .changed = true,
				      .weight = CHECK_WEIGHT_NONE,
				      .latency_us = 1234 };
	check_rec_set_reason(&in.v[0], "connect: Connection refused");
	return check_batch_encode(&in, buf, sizeof(buf));
}

static void test_golden(void **state)
{
	(void)state;
	long len = one_result();

	assert_int_equal(len, HDR + REC);
	static const uint8_t hdr[] = { 0x31, 0x6b, 0x63, 0x76, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t rec[] = { CHECK_REC_RESULT,
				       1,
				       1,
				       0,
				       3,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0x80,
				       0xd2,
				       0x04,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0,
				       0 };
	assert_memory_equal(buf, hdr, sizeof(hdr));
	assert_memory_equal(buf + HDR, rec, sizeof(rec));
	assert_string_equal((char *)buf + HDR + 24, "connect: Connection refused");
	/* the reason field is zero to its end, then the cause (CHECK_NONE) */
	for (unsigned k = 24 + 28; k < CAUSE; k++)
		assert_int_equal(buf[HDR + k], 0);
	static const uint8_t none[] = { 0, 0, 0, 0 };

	assert_memory_equal(buf + HDR + CAUSE, none, 4);
	/* a refused connect */
	in.v[0].cause = CHECK_CONNECT_REFUSED;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), HDR + REC);
	static const uint8_t refused[] = { CHECK_CONNECT_REFUSED, 0, 0, 0 };

	assert_memory_equal(buf + HDR + CAUSE, refused, 4);
}

static void test_roundtrip(void **state)
{
	const char *why = "x";

	(void)state;
	memset(&in, 0, sizeof(in));
	in.gen = 0xdeadbeef;
	for (unsigned i = 0; i < CHECK_BATCH_MAX; i++) {
		struct check_rec *r = &in.v[in.n++];

		r->type = (i % 3 == 0)	 ? CHECK_REC_HELLO
			  : (i % 3 == 1) ? CHECK_REC_RESULT
					 : CHECK_REC_SPAWN;
		r->probe = i;
		r->up = i & 1;
		r->changed = (i >> 1) & 1;
		r->weight = (i % 5 == 0) ? CHECK_WEIGHT_NONE : (int32_t)(i * 200 % 65536);
		r->latency_us = i * 1000003u;
		r->seq = ~i;
		r->status = (int32_t)(i % 256);
		r->cause = (enum check_cause)(i % CHECK_CAUSE__COUNT);
		r->ok = r->type == CHECK_REC_RESULT && r->cause == CHECK_OK;
		check_rec_set_reason(r, i % 7 ? "a reason" : "");
	}
	long len = check_batch_encode(&in, buf, sizeof(buf));

	assert_int_equal(len, HDR + CHECK_BATCH_MAX * REC);
	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_MAIN, CHECK_BATCH_MAX,
					    &out, &why),
			 0);
	assert_null(why);
	assert_int_equal(out.gen, in.gen);
	assert_int_equal(out.n, in.n);
	for (unsigned i = 0; i < in.n; i++) {
		assert_int_equal(out.v[i].type, in.v[i].type);
		assert_int_equal(out.v[i].probe, in.v[i].probe);
		assert_int_equal(out.v[i].up, in.v[i].up);
		assert_int_equal(out.v[i].changed, in.v[i].changed);
		assert_int_equal(out.v[i].weight, in.v[i].weight);
		assert_int_equal(out.v[i].latency_us, in.v[i].latency_us);
		assert_int_equal(out.v[i].seq, in.v[i].seq);
		assert_int_equal(out.v[i].status, in.v[i].status);
		assert_int_equal(out.v[i].cause, in.v[i].cause);
		assert_int_equal(out.v[i].ok, in.v[i].ok);
		assert_string_equal(out.v[i].reason, in.v[i].reason);
	}
	/* main -> checker records */
	memset(&in, 0, sizeof(in));
	in.n = 3;
	in.v[0] = (struct check_rec){ .type = CHECK_REC_STATE, .probe = 1, .up = 1, .weight = 9 };
	in.v[1] = (struct check_rec){
		.type = CHECK_REC_EXITED, .probe = 1, .seq = 5, .status = CHECK_EXIT_TIMEOUT
	};
	in.v[2] = (struct check_rec){ .type = CHECK_REC_GO };
	len = check_batch_encode(&in, buf, sizeof(buf));
	assert_int_equal(len, HDR + 3 * REC);
	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_CHECKER, 2, &out, &why),
			 0);
	assert_int_equal(out.v[1].status, CHECK_EXIT_TIMEOUT);
	assert_int_equal(out.v[0].weight, 9);
	/* ... are refused the other way */
	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_MAIN, 2, &out, &why),
			 -EBADMSG);
	assert_string_equal(why, "record type not allowed in this direction");
	assert_int_equal(out.n, 0);
}

static void test_set_reason(void **state)
{
	struct check_rec r;
	char big[400];

	(void)state;
	memset(&r, 'x', sizeof(r));
	check_rec_set_reason(&r, "a\tb\x01\xff"
				 "c");
	assert_string_equal(r.reason, "a?b??c");
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	check_rec_set_reason(&r, big);
	assert_int_equal(strlen(r.reason), CHECK_REASON_MAX);
	check_rec_set_reason(&r, NULL);
	assert_string_equal(r.reason, "");
}

static void test_encode_refusals(void **state)
{
	(void)state;
	one_result();
	assert_int_equal(check_batch_encode(&in, buf, HDR + REC - 1), -EMSGSIZE);
	in.n = 0;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	in.n = CHECK_BATCH_MAX + 1;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].weight = CHECK_WEIGHT_MAX + 1;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].type = 99;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].reason[2] = '\n';
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	memset(in.v[0].reason, 'z', sizeof(in.v[0].reason));
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].cause = CHECK_CAUSE__COUNT;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].cause = CHECK_OK; /* and ok false */
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].ok = true; /* and a failure's cause (CHECK_NONE) */
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), -EINVAL);
	one_result();
	in.v[0].ok = true;
	in.v[0].cause = CHECK_OK;
	assert_int_equal(check_batch_encode(&in, buf, sizeof(buf)), HDR + REC);
}

/* Encodes one RESULT, lets mutate() spoil it, expects the refusal why. */
static void refused(void (*mutate)(uint8_t *b, size_t *len), const char *expect)
{
	const char *why = NULL;
	size_t len = (size_t)one_result();

	assert_int_equal(check_batch_decode(buf, len, CHECK_DIR_TO_MAIN, 4, &out, &why), 0);
	mutate(buf, &len);
	assert_int_equal(check_batch_decode(buf, len, CHECK_DIR_TO_MAIN, 4, &out, &why), -EBADMSG);
	assert_non_null(why);
	if (strcmp(why, expect))
		fail_msg("refused for \"%s\", expected \"%s\"", why, expect);
	assert_int_equal(out.n, 0);
}

static void m_short(uint8_t *b, size_t *len)
{
	(void)b;
	*len = HDR - 1;
}
static void m_magic(uint8_t *b, size_t *len)
{
	(void)len;
	b[0] ^= 1;
}
static void m_reserved_hdr(uint8_t *b, size_t *len)
{
	(void)len;
	b[13] = 1;
}
static void m_empty(uint8_t *b, size_t *len)
{
	put32(b + 8, 0);
	*len = HDR;
}
static void m_too_many(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + 8, CHECK_BATCH_MAX + 1);
}
static void m_len_long(uint8_t *b, size_t *len)
{
	(void)b;
	*len += 1;
}
static void m_len_short(uint8_t *b, size_t *len)
{
	(void)b;
	*len -= 1;
}
static void m_count_two(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + 8, 2);
}
static void m_type(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR] = 0;
}
static void m_type_hi(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR] = 7;
}
static void m_dir(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR] = CHECK_REC_STATE;
}
static void m_probe(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + 4, 4);
}
static void m_up(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + 1] = 2;
}
static void m_changed(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + 2] = 0xff;
}
static void m_ok_rec(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + 3] = 2;
}
static void m_weight_neg(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + 8, (uint32_t)-1);
}
static void m_weight_big(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + 8, CHECK_WEIGHT_MAX + 1);
}
static void m_status(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + 20, 256);
}
static void m_status_neg(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + 20, (uint32_t)-65);
}
static void m_reason_unterminated(uint8_t *b, size_t *len)
{
	(void)len;
	memset(b + HDR + 24, 'a', CHECK_REASON_MAX + 1);
}
static void m_reason_ctl(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + 24 + 3] = '\n';
}
static void m_reason_high(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + 24] = 0x80;
}
static void m_reason_trailing(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + CAUSE - 1] = 'x'; /* the reason field's last byte */
}
static void m_cause(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + CAUSE, CHECK_CAUSE__COUNT);
}
static void m_cause_high(uint8_t *b, size_t *len)
{
	(void)len;
	/* would be a valid cause if read as a byte */
	put32(b + HDR + CAUSE, 0x100 | CHECK_CONNECT_REFUSED);
}
static void m_cause_ok(uint8_t *b, size_t *len)
{
	(void)len;
	put32(b + HDR + CAUSE, CHECK_OK); /* ok is 0 */
}
static void m_ok_not_cause(uint8_t *b, size_t *len)
{
	(void)len;
	b[HDR + 3] = 1; /* the cause is CHECK_NONE */
}

static void test_decode_refusals(void **state)
{
	(void)state;
	refused(m_short, "datagram shorter than a header");
	refused(m_magic, "bad magic");
	refused(m_reserved_hdr, "reserved header field not zero");
	refused(m_empty, "empty batch");
	refused(m_too_many, "too many records");
	refused(m_len_long, "datagram length does not match its record count");
	refused(m_len_short, "datagram length does not match its record count");
	refused(m_count_two, "datagram length does not match its record count");
	refused(m_type, "unknown record type");
	refused(m_type_hi, "unknown record type");
	refused(m_dir, "record type not allowed in this direction");
	refused(m_probe, "probe index out of range");
	refused(m_up, "up is not 0 or 1");
	refused(m_changed, "changed is not 0 or 1");
	refused(m_ok_rec, "ok is not 0 or 1");
	refused(m_weight_neg, "weight out of range");
	refused(m_weight_big, "weight out of range");
	refused(m_status, "exit status out of range");
	refused(m_status_neg, "exit status out of range");
	refused(m_reason_unterminated, "reason not NUL-terminated");
	refused(m_reason_ctl, "reason has a non-printable byte");
	refused(m_reason_high, "reason has a non-printable byte");
	refused(m_reason_trailing, "bytes after the reason's NUL");
	refused(m_cause, "cause out of range");
	refused(m_cause_high, "cause out of range");
	refused(m_cause_ok, "ok disagrees with the cause");
	refused(m_ok_not_cause, "ok disagrees with the cause");
}

static void test_hello_go_exempt(void **state)
{
	const char *why;

	(void)state;
	memset(&in, 0, sizeof(in));
	in.n = 1;
	in.v[0] = (struct check_rec){ .type = CHECK_REC_HELLO, .probe = 100000 };
	long len = check_batch_encode(&in, buf, sizeof(buf));

	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_MAIN, 0, &out, &why), 0);
	assert_int_equal(out.v[0].probe, 100000);
	in.v[0] = (struct check_rec){ .type = CHECK_REC_GO };
	len = check_batch_encode(&in, buf, sizeof(buf));
	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_CHECKER, 0, &out, &why),
			 0);
	put32(buf + HDR + 4, 1);
	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_CHECKER, 5, &out, &why),
			 -EBADMSG);
	assert_string_equal(why, "GO record with a probe index");
	/* a RESULT with probe 0 and no probes at all */
	in.v[0] = (struct check_rec){ .type = CHECK_REC_RESULT };
	len = check_batch_encode(&in, buf, sizeof(buf));
	assert_int_equal(check_batch_decode(buf, (size_t)len, CHECK_DIR_TO_MAIN, 0, &out, &why),
			 -EBADMSG);
	assert_string_equal(why, "probe index out of range");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_set_reason),	cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_decode_refusals), cmocka_unit_test(test_hello_go_exempt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
