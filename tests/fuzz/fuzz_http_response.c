/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP response parser on hostile bytes: the first 4 bytes of the input
 * choose the chunk sizes (a small PRNG seed) and the body limit; the rest
 * is the response, fed in those chunks, then EOF. Checks the parser's own
 * invariants: it consumes what it is given until it finishes, never
 * reports more body than the limit, and gives a reason and a failure cause
 * (a broken rule, a limit, an early close) on every error and on nothing
 * else.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct count {
	struct http_sink sink;
	uint64_t n;
};

static void count_body(void *ctx, const uint8_t *d, size_t len)
{
	struct count *c = ctx;

	c->n += len;
	http_sink_feed(&c->sink, d, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_parser p;
	struct count c = { .n = 0 };
	uint32_t seed;
	size_t off = 4;
	int rc = HTTP_PARSE_MORE;

	if (size < 4)
		return 0;
	memcpy(&seed, data, 4);
	if (http_sink_init(&c.sink, true, seed & 63, (seed >> 6) & 1 ? 128 : 0) < 0)
		return 0;
	http_parser_init(&p, count_body, &c);
	p.body_max = (seed >> 7) & 1 ? (seed >> 8) & 0xfff : 0;
	while (off < size && rc == HTTP_PARSE_MORE) {
		size_t n, used = 0;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % 64;
		if (n > size - off)
			n = size - off;
		rc = http_parser_feed(&p, data + off, n, &used);
		if (used > n || (rc == HTTP_PARSE_MORE && used != n))
			abort();
		off += n;
	}
	if (rc == HTTP_PARSE_MORE)
		rc = http_parser_eof(&p);
	if (rc == HTTP_PARSE_ERROR && !p.error)
		abort();
	if (rc == HTTP_PARSE_ERROR
		    ? p.cause != CHECK_BAD_RESPONSE && p.cause != CHECK_RESPONSE_TOO_LARGE &&
			      p.cause != CHECK_CLOSED
		    : p.cause != CHECK_NONE)
		abort();
	if (c.n != p.body_bytes || p.body_bytes > (p.body_max ? p.body_max : HTTP_BODY_MAX_DEFAULT))
		abort();
	if (c.sink.win && c.sink.win_len > c.sink.win_cap)
		abort();
	if (rc == HTTP_PARSE_DONE) {
		uint8_t md[16];

		if (http_sink_md5(&c.sink, md) < 0)
			abort();
	}
	http_sink_free(&c.sink);
	return 0;
}
