/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main <-> checker batch format. Pure: bytes in, records out.
 *
 * Layout (every integer little-endian, no implicit padding):
 *
 *   header, 16 bytes
 *     0  u32 magic     CHECK_PROTO_MAGIC
 *     4  u32 gen       model generation of the sender
 *     8  u32 count     records that follow, 1..CHECK_BATCH_MAX
 *    12  u32 reserved  0
 *   record, CHECK_REC_SIZE (156) bytes each
 *     0  u8  type      enum check_rec_type
 *     1  u8  up        0 or 1
 *     2  u8  changed   0 or 1
 *     3  u8  ok        0 or 1 (RESULT: this attempt succeeded)
 *     4  u32 probe     probe index (HELLO: probe count; GO: 0)
 *     8  i32 weight    CHECK_WEIGHT_NONE or 0..CHECK_WEIGHT_MAX
 *    12  u32 latency_us
 *    16  u32 seq
 *    20  i32 status    0..255, -1..-64 (signal) or CHECK_EXIT_TIMEOUT
 *    24  char reason[128]: printable ASCII, NUL-terminated within the first
 *        CHECK_REASON_MAX + 1 bytes, zero after the NUL
 *   152  u32 cause     enum check_cause, below CHECK_CAUSE__COUNT (RESULT:
 *                      CHECK_OK exactly when ok is 1)
 *
 * The datagram's length must be exactly 16 + count * 156. Every field is
 * checked whatever the type, so one encoding is the only encoding.
 */
#include <errno.h>
#include <string.h>

#include "check/proto.h"

#define CHECK_HDR_SIZE 16u
#define CHECK_REASON_FIELD 128u
#define CHECK_CAUSE_OFF (24u + CHECK_REASON_FIELD)
#define CHECK_REC_SIZE (CHECK_CAUSE_OFF + 4u)
#define CHECK_SIG_MAX 64

_Static_assert(CHECK_REASON_MAX + 1 <= CHECK_REASON_FIELD, "reason field too small");
_Static_assert(CHECK_HDR_SIZE + CHECK_BATCH_MAX * CHECK_REC_SIZE <= CHECK_DGRAM_MAX,
	       "a full batch must fit a datagram");

static bool printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

void check_rec_set_reason(struct check_rec *r, const char *reason)
{
	size_t i = 0;

	if (reason)
		for (; i < CHECK_REASON_MAX && reason[i]; i++)
			r->reason[i] = printable((unsigned char)reason[i]) ? reason[i] : '?';
	memset(r->reason + i, 0, sizeof(r->reason) - i);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int dir_of(unsigned type)
{
	switch (type) {
	case CHECK_REC_HELLO:
	case CHECK_REC_RESULT:
	case CHECK_REC_SPAWN:
		return CHECK_DIR_TO_MAIN;
	case CHECK_REC_STATE:
	case CHECK_REC_GO:
	case CHECK_REC_EXITED:
		return CHECK_DIR_TO_CHECKER;
	default:
		return 0;
	}
}

static bool weight_ok(int32_t w)
{
	return w == CHECK_WEIGHT_NONE || (w >= 0 && w <= CHECK_WEIGHT_MAX);
}

static bool status_ok(int32_t s)
{
	return (s >= -CHECK_SIG_MAX && s <= 255) || s == CHECK_EXIT_TIMEOUT;
}

/* The checks shared by encode and decode; NULL or why r is refused. */
static const char *rec_check(const struct check_rec *r, int dir, uint32_t n_probes, bool check_dir)
{
	int d = dir_of(r->type);

	if (!d)
		return "unknown record type";
	if (check_dir && d != dir)
		return "record type not allowed in this direction";
	if (r->type == CHECK_REC_GO && r->probe != 0)
		return "GO record with a probe index";
	if (check_dir && r->type != CHECK_REC_HELLO && r->type != CHECK_REC_GO &&
	    r->probe >= n_probes)
		return "probe index out of range";
	if (!weight_ok(r->weight))
		return "weight out of range";
	if (!status_ok(r->status))
		return "exit status out of range";
	if ((unsigned)r->cause >= CHECK_CAUSE__COUNT)
		return "cause out of range";
	if (r->type == CHECK_REC_RESULT && r->ok != (r->cause == CHECK_OK))
		return "ok disagrees with the cause";
	return NULL;
}

long check_batch_encode(const struct check_batch *b, uint8_t *buf, size_t len)
{
	size_t need;

	if (b->n == 0 || b->n > CHECK_BATCH_MAX)
		return -EINVAL;
	need = CHECK_HDR_SIZE + (size_t)b->n * CHECK_REC_SIZE;
	if (need > len)
		return -EMSGSIZE;
	memset(buf, 0, need);
	put32(buf, CHECK_PROTO_MAGIC);
	put32(buf + 4, b->gen);
	put32(buf + 8, b->n);
	for (unsigned i = 0; i < b->n; i++) {
		const struct check_rec *r = &b->v[i];
		uint8_t *p = buf + CHECK_HDR_SIZE + (size_t)i * CHECK_REC_SIZE;
		size_t rl = strnlen(r->reason, sizeof(r->reason));

		if (rec_check(r, 0, 0, false) || rl > CHECK_REASON_MAX)
			return -EINVAL;
		for (size_t k = 0; k < rl; k++)
			if (!printable((unsigned char)r->reason[k]))
				return -EINVAL;
		p[0] = r->type;
		p[1] = r->up;
		p[2] = r->changed;
		p[3] = r->ok;
		put32(p + 4, r->probe);
		put32(p + 8, (uint32_t)r->weight);
		put32(p + 12, r->latency_us);
		put32(p + 16, r->seq);
		put32(p + 20, (uint32_t)r->status);
		memcpy(p + 24, r->reason, rl);
		put32(p + CHECK_CAUSE_OFF, (uint32_t)r->cause);
	}
	return (long)need;
}

#define BAD(cond, msg)                   \
	do {                             \
		if (!(cond)) {           \
			*why = (msg);    \
			return -EBADMSG; \
		}                        \
	} while (0)

int check_batch_decode(const uint8_t *buf, size_t len, int dir, uint32_t n_probes,
		       struct check_batch *out, const char **why)
{
	const char *dummy;
	uint32_t count;

	if (!why)
		why = &dummy;
	*why = NULL;
	out->n = 0;
	BAD(len >= CHECK_HDR_SIZE, "datagram shorter than a header");
	BAD(get32(buf) == CHECK_PROTO_MAGIC, "bad magic");
	count = get32(buf + 8);
	BAD(get32(buf + 12) == 0, "reserved header field not zero");
	BAD(count >= 1, "empty batch");
	BAD(count <= CHECK_BATCH_MAX, "too many records");
	BAD(len == CHECK_HDR_SIZE + (size_t)count * CHECK_REC_SIZE,
	    "datagram length does not match its record count");
	out->gen = get32(buf + 4);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *p = buf + CHECK_HDR_SIZE + (size_t)i * CHECK_REC_SIZE;
		const uint8_t *reason = p + 24;
		struct check_rec *r = &out->v[i];
		const char *bad;
		uint32_t cause;
		size_t rl;

		BAD(p[1] <= 1, "up is not 0 or 1");
		BAD(p[2] <= 1, "changed is not 0 or 1");
		BAD(p[3] <= 1, "ok is not 0 or 1");
		r->type = p[0];
		r->up = p[1];
		r->changed = p[2];
		r->ok = p[3];
		r->probe = get32(p + 4);
		r->weight = (int32_t)get32(p + 8);
		r->latency_us = get32(p + 12);
		r->seq = get32(p + 16);
		r->status = (int32_t)get32(p + 20);
		cause = get32(p + CHECK_CAUSE_OFF);
		r->cause =
			cause < CHECK_CAUSE__COUNT ? (enum check_cause)cause : CHECK_CAUSE__COUNT;
		bad = rec_check(r, dir, n_probes, true);
		if (bad) {
			out->n = 0;
			*why = bad;
			return -EBADMSG;
		}
		rl = strnlen((const char *)reason, CHECK_REASON_MAX + 1);
		if (rl > CHECK_REASON_MAX) {
			out->n = 0;
			*why = "reason not NUL-terminated";
			return -EBADMSG;
		}
		for (size_t k = 0; k < rl; k++)
			if (!printable(reason[k])) {
				out->n = 0;
				*why = "reason has a non-printable byte";
				return -EBADMSG;
			}
		for (size_t k = rl; k < CHECK_REASON_FIELD; k++)
			if (reason[k]) {
				out->n = 0;
				*why = "bytes after the reason's NUL";
				return -EBADMSG;
			}
		memcpy(r->reason, reason, rl);
		memset(r->reason + rl, 0, sizeof(r->reason) - rl);
	}
	out->n = count;
	return 0;
}
