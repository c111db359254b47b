/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP response parser and body sink (check/http_parse.c). Golden
 * digests were computed independently with md5sum(1); the chunked ones are
 * what keepalived 2.2.7's genhash printed for the same bytes.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>

#include <arpa/inet.h>
#include <time.h>

#include "check/http_parse.h"
#include "check/http_regex.h"
#include "conf/model.h"

struct run {
	int rc;
	unsigned status;
	int framing;
	const char *error;
	enum check_cause cause;
	char md5[33];
	uint64_t body_bytes;
};

/* Feeds s in pieces: split 0 = whole, split k > 0 = first k bytes then the
 * rest, split -1 = one byte at a time. eof: call http_parser_eof when the
 * feeds did not finish. */
static struct run run_split(const char *s, size_t len, long split, bool eof, uint64_t body_max)
{
	struct http_parser *p = malloc(sizeof(*p));
	struct http_sink sink;
	struct run r = { 0 };
	size_t off = 0;

	assert_non_null(p);
	assert_int_equal(http_sink_init(&sink, true, 0, 0), 0);
	http_parser_init(p, http_sink_feed, &sink);
	p->body_max = body_max;
	r.rc = HTTP_PARSE_MORE;
	while (off < len && r.rc == HTTP_PARSE_MORE) {
		size_t n = len - off, used = 0;

		if (split == -1)
			n = 1;
		else if (split > 0 && off == 0 && (size_t)split < len)
			n = (size_t)split;
		r.rc = http_parser_feed(p, s + off, n, &used);
		assert_true(used <= n);
		if (r.rc == HTTP_PARSE_MORE)
			assert_int_equal(used, n);
		off += n;
	}
	if (r.rc == HTTP_PARSE_MORE && eof)
		r.rc = http_parser_eof(p);
	r.status = p->status;
	r.framing = p->framing;
	r.error = p->error;
	r.cause = p->cause;
	/* a failure always has a class, and only a failure */
	assert_int_equal(r.rc == HTTP_PARSE_ERROR, r.cause != CHECK_NONE);
	r.body_bytes = p->body_bytes;
	if (r.rc == HTTP_PARSE_DONE) {
		uint8_t md[16];

		assert_int_equal(http_sink_md5(&sink, md), 0);
		http_md5_hex(md, r.md5);
	}
	http_sink_free(&sink);
	free(p);
	return r;
}

/* Every way of splitting s gives the same result. */
static struct run run_all(const char *s, size_t len, bool eof)
{
	struct run r0 = run_split(s, len, 0, eof, 0);
	struct run r;

	for (long k = -1; k <= (long)len; k++) {
		if (k == 0)
			continue;
		r = run_split(s, len, k, eof, 0);
		assert_int_equal(r.rc, r0.rc);
		assert_int_equal(r.status, r0.status);
		assert_string_equal(r.md5, r0.md5);
		assert_int_equal(r.cause, r0.cause);
		if (r0.error)
			assert_string_equal(r.error, r0.error);
		else
			assert_null(r.error);
	}
	return r0;
}

#define RUN(lit, eof) run_all(lit, sizeof(lit) - 1, eof)

static void expect_ok(struct run r, unsigned status, const char *md5)
{
	if (r.rc != HTTP_PARSE_DONE)
		fail_msg("parse failed: %s", r.error ? r.error : "(needs more)");
	assert_int_equal(r.status, status);
	assert_string_equal(r.md5, md5);
}

static void expect_err(struct run r, const char *why)
{
	assert_int_equal(r.rc, HTTP_PARSE_ERROR);
	assert_non_null(r.error);
	assert_string_equal(r.error, why);
}

/* The failure's cause (check/result.h) is c. */
static void expect_cause(struct run r, enum check_cause c)
{
	assert_int_equal(r.rc, HTTP_PARSE_ERROR);
	if (r.cause != c)
		fail_msg("'%s' has cause %d, expected %s", r.error, (int)r.cause,
			 check_causes[c].name);
}

#define MD5_HELLO_WORLD "6f5902ac237024bdd0c176cb93063dc4" /* "hello world\n" */
#define MD5_HELLO "5d41402abc4b2a76b9719d911017c592"	   /* "hello" */
#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"

static void test_content_length(void **state)
{
	(void)state;
	struct run r = RUN("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
			   "hello world\n",
			   false);

	expect_ok(r, 200, MD5_HELLO_WORLD);
	assert_int_equal(r.framing, HTTP_FRAME_LENGTH);
	assert_int_equal(r.body_bytes, 12);
	/* Cut at Content-Length, the rest ignored (as keepalived does). */
	expect_ok(RUN("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello world\n", false), 200,
		  MD5_HELLO);
	/* Zero length: done at the blank line. */
	expect_ok(RUN("HTTP/1.1 404 Not Found\r\nContent-length:0\r\n\r\n", false), 404, MD5_EMPTY);
	/* Repeated identical Content-Length is fine. */
	expect_ok(RUN("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5 \r\n\r\nhello",
		      false),
		  200, MD5_HELLO);
	/* Bare LF line ends and no reason phrase. */
	expect_ok(RUN("HTTP/1.0 503\nContent-Length: 5\n\nhello", false), 503, MD5_HELLO);
}

static void test_until_close(void **state)
{
	(void)state;
	struct run r = RUN("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nhello world\n", true);

	expect_ok(r, 200, MD5_HELLO_WORLD);
	assert_int_equal(r.framing, HTTP_FRAME_CLOSE);
	/* Without eof it is not finished. */
	r = RUN("HTTP/1.0 200 OK\r\n\r\nhello world\n", false);
	assert_int_equal(r.rc, HTTP_PARSE_MORE);
	/* Transfer-Encoding other than chunked: until close, Content-Length ignored. */
	expect_ok(
		RUN("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nhello",
		    true),
		200, MD5_HELLO);
	expect_ok(RUN("HTTP/1.0 200 OK\r\n\r\n", true), 200, MD5_EMPTY);
}

static void test_chunked(void **state)
{
	(void)state;
	/* keepalived's genhash printed 6a21bf6b... for exactly this response. */
	struct run r = RUN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
			   "\r\n6\r\nhello \r\n6\r\nworld\n\r\n0\r\n\r\n",
			   false);

	expect_ok(r, 200, "6a21bf6b71bc0e7d193aacbcda31e7d2");
	assert_int_equal(r.framing, HTTP_FRAME_CHUNKED);
	/* Extensions, trailers, upper-case hex, Content-Length ignored. */
	expect_ok(RUN("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: Chunked\r\n\r\n"
		      "5;ext=1\r\nabcde\r\n0\r\nX-T: 1\r\n\r\n",
		      false),
		  200, "d99d97129fae66ed01643a5f19dd7f98");
	/* Bare LFs. */
	expect_ok(RUN("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", false), 200,
		  "5f5ffcd40f362bae6da34dd51c7fc028");
	/* Chunked as the last coding only, over two header lines. */
	r = RUN("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
		"0\r\n\r\n",
		false);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	assert_int_equal(r.framing, HTTP_FRAME_CHUNKED);
	r = RUN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", true);
	assert_int_equal(r.framing, HTTP_FRAME_CLOSE);
	/* Big hex size with leading zeros is fine. */
	expect_ok(RUN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		      "00000000000000000000005\r\nhello\r\n0\r\n\r\n",
		      false),
		  200, "2e8661f8def2895ba5b0cb7894b4ac30");
}

static void test_no_body(void **state)
{
	(void)state;
	struct run r = RUN("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false);

	expect_ok(r, 204, MD5_EMPTY);
	assert_int_equal(r.framing, HTTP_FRAME_NONE);
	expect_ok(RUN("HTTP/1.1 304 Not Modified\r\n\r\n", false), 304, MD5_EMPTY);
	expect_ok(RUN("HTTP/1.1 100 Continue\r\n\r\n", false), 100, MD5_EMPTY);
}

static void test_status_errors(void **state)
{
	(void)state;
	expect_err(RUN("garbage\r\n", false), "malformed status line");
	expect_err(RUN("HTTP/2 200 OK\r\n\r\n", false), "malformed status line");
	expect_err(RUN("HTTP/1.1 20x OK\r\n", false), "malformed status line: bad status code");
	expect_err(RUN("HTTP/1.1 2000 OK\r\n", false), "malformed status line: bad status code");
	expect_err(RUN("HTTP/1.1 099 OK\r\n", false), "malformed status line: bad status code");
	expect_err(RUN("HTTP/1.1  200 OK\r\n", false), "malformed status line: bad status code");
	expect_err(RUN("\r\nHTTP/1.1 200 OK\r\n", false), "malformed status line");
	expect_err(RUN("HTTP/1.1 200 O\rK\r\n", false), "malformed status line: CR or NUL inside");
	expect_err(RUN("HTTP/1.1 200 O\0K\r\n", false), "malformed status line: CR or NUL inside");
	expect_err(RUN("", true), "connection closed before any response");
	expect_err(RUN("HTTP/1.1 2", true), "connection closed inside the status line");
}

static void test_header_errors(void **state)
{
	(void)state;
	expect_err(RUN("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", false),
		   "malformed header: no name and colon");
	expect_err(RUN("HTTP/1.1 200 OK\r\n: v\r\n\r\n", false),
		   "malformed header: no name and colon");
	expect_err(RUN("HTTP/1.1 200 OK\r\nBad Name: v\r\n\r\n", false),
		   "malformed header: bad character in the name");
	expect_err(RUN("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", false),
		   "malformed header: obsolete line folding");
	expect_err(RUN("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", false),
		   "malformed header: CR or NUL inside");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", false),
		   "bad Content-Length");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false),
		   "bad Content-Length");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", false), "bad Content-Length");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n", false),
		   "bad Content-Length");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false),
		   "conflicting Content-Length headers");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n", false),
		   "Content-Length above the body size limit");
	expect_err(RUN("HTTP/1.1 200 OK\r\nA: b\r\n", true),
		   "connection closed inside the headers");
	expect_err(RUN("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello", true),
		   "connection closed before Content-Length body bytes came");
}

static void test_chunk_errors(void **state)
{
	(void)state;
#define CH "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	expect_err(RUN(CH "x\r\n", false), "bad chunk size");
	expect_err(RUN(CH "\r\n", false), "bad chunk size");
	expect_err(RUN(CH "5x\r\n", false), "bad chunk size");
	expect_err(RUN(CH "-5\r\n", false), "bad chunk size");
	expect_err(RUN(CH "5\r\nhelloX", false), "bad chunk: no CRLF after the chunk data");
	expect_err(RUN(CH "5\r\nhello\rX", false), "bad chunk: no CRLF after the chunk data");
	expect_err(RUN(CH "1000000000000000\r\n", false), "chunk size too large");
	expect_err(RUN(CH "5\r\nhel", true), "connection closed inside the chunked body");
	expect_err(RUN(CH "0\r\n", true), "connection closed inside the chunked body");
	expect_err(RUN(CH "0\r\nnocolon\r\n\r\n", false), "malformed trailer");
	expect_err(RUN(CH "5 ;x\r\nhel\0o\r\n0\r\nA: \0\r\n\r\n", false),
		   "malformed trailer: CR or NUL inside");
}

static char *repeat(const char *head, char c, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + n + tl + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	memset(s + hl, c, n);
	memcpy(s + hl + n, tail, tl + 1);
	*len = hl + n + tl;
	return s;
}

static void test_limits(void **state)
{
	(void)state;
	size_t len;
	char *s;
	struct run r;

	/* Exactly 16 KiB of headers passes; one more byte does not. */
	const char *t = "\r\nContent-Length: 0\r\n\r\n";
	/* A header line is at most HTTP_LINE_MAX: spread the fill over lines. */
	char *buf = malloc(HTTP_HEADERS_MAX_BYTES + 2);
	size_t o = 0;

	assert_non_null(buf);
	o += (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\n");
	while (HTTP_HEADERS_MAX_BYTES - o - strlen(t) > 4000) {
		memcpy(buf + o, "X: ", 3);
		memset(buf + o + 3, 'a', 3995);
		memcpy(buf + o + 3998, "\r\n", 2);
		o += 4000;
	}
	size_t rest = HTTP_HEADERS_MAX_BYTES - o - strlen("\r\nContent-Length: 0\r\n\r\n");
	memcpy(buf + o, "Y: ", 3);
	memset(buf + o + 3, 'b', rest - 3);
	o += rest;
	strcpy(buf + o, "\r\nContent-Length: 0\r\n\r\n");
	len = strlen(buf);
	assert_int_equal(len, HTTP_HEADERS_MAX_BYTES);
	r = run_split(buf, len, 0, false, 0);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	r = run_split(buf, len, -1, false, 0);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	/* One more byte in the last line. */
	memmove(buf + o - rest + 4, buf + o - rest + 3, len - (o - rest + 3) + 1);
	r = run_split(buf, len + 1, 0, false, 0);
	expect_err(r, "headers too large");
	free(buf);

	/* One header line over HTTP_LINE_MAX. */
	s = repeat("HTTP/1.1 200 OK\r\nX: ", 'a', HTTP_LINE_MAX, "\r\n\r\n", &len);
	expect_err(run_split(s, len, 0, false, 0), "header line too long");
	free(s);
	s = repeat("HTTP/1.1 200 ", 'a', HTTP_LINE_MAX, "\r\n\r\n", &len);
	expect_err(run_split(s, len, 0, false, 0), "malformed status line: too long");
	free(s);

	/* Too many header lines. */
	buf = malloc(4096);
	assert_non_null(buf);
	o = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < HTTP_HEADERS_MAX_COUNT; i++)
		o += (size_t)sprintf(buf + o, "A:%d\r\n", i % 10);
	strcpy(buf + o, "\r\n");
	r = run_split(buf, strlen(buf), 0, true, 0);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	strcpy(buf + o, "B:1\r\n\r\n");
	expect_err(run_split(buf, strlen(buf), 0, true, 0), "too many header lines");
	free(buf);

	/* Chunk-size line too long. */
	s = repeat(CH "5;", 'e', HTTP_CHUNK_LINE_MAX, "\r\nhello\r\n0\r\n\r\n", &len);
	expect_err(run_split(s, len, 0, false, 0), "chunk size line too long");
	free(s);
	/* Trailers too large. */
	s = repeat(CH "0\r\nT: ", 't', HTTP_LINE_MAX + 10, "\r\n\r\n", &len);
	expect_err(run_split(s, len, 0, false, 0), "trailer line too long");
	free(s);

	/* The body limit: until close, chunked, Content-Length. */
	s = repeat("HTTP/1.0 200 OK\r\n\r\n", 'z', 1000, "", &len);
	r = run_split(s, len, 0, true, 1000);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	r = run_split(s, len - 1, -1, true, 999);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	expect_err(run_split(s, len, 0, true, 999), "body larger than the body size limit");
	expect_err(run_split(s, len, -1, true, 999), "body larger than the body size limit");
	free(s);
	expect_err(run_split(CH "5\r\nhello\r\n0\r\n\r\n", strlen(CH "5\r\nhello\r\n0\r\n\r\n"), -1,
			     false, 12),
		   "body larger than the body size limit");
	r = run_split(CH "5\r\nhello\r\n0\r\n\r\n", strlen(CH "5\r\nhello\r\n0\r\n\r\n"), -1, false,
		      15);
	assert_int_equal(r.rc, HTTP_PARSE_DONE);
	expect_err(run_split("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello!", 43, 0, false, 5),
		   "Content-Length above the body size limit");
}

/* Each error is a broken rule, a limit of ours, or an early close. */
static void test_error_causes(void **state)
{
	const enum check_cause B = CHECK_BAD_RESPONSE, L = CHECK_RESPONSE_TOO_LARGE,
			       C = CHECK_CLOSED;
	struct run r;
	size_t len;
	char *s;

	(void)state;
	expect_cause(RUN("garbage\r\n", false), B);
	expect_cause(RUN("HTTP/1.1 20x OK\r\n", false), B);
	expect_cause(RUN("HTTP/1.1 200 O\rK\r\n", false), B);
	expect_cause(RUN("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", false), B);
	expect_cause(RUN("HTTP/1.1 200 OK\r\nBad Name: v\r\n\r\n", false), B);
	expect_cause(RUN("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", false), B);
	expect_cause(RUN("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", false), B);
	expect_cause(
		RUN("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false), B);
	expect_cause(RUN(CH "x\r\n", false), B);
	expect_cause(RUN(CH "5\r\nhelloX", false), B);
	expect_cause(RUN(CH "0\r\nnocolon\r\n\r\n", false), B);

	expect_cause(RUN("HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n", false), L);
	expect_cause(RUN(CH "1000000000000000\r\n", false), L);
	s = repeat("HTTP/1.1 200 OK\r\nX: ", 'a', HTTP_LINE_MAX, "\r\n\r\n", &len);
	expect_cause(run_split(s, len, 0, false, 0), L);
	free(s);
	s = repeat("HTTP/1.1 200 ", 'a', HTTP_LINE_MAX, "\r\n\r\n", &len);
	expect_cause(run_split(s, len, 0, false, 0), L);
	free(s);
	s = repeat("HTTP/1.1 200 OK\r\n", 'a', HTTP_HEADERS_MAX_BYTES, "", &len);
	for (size_t i = 17; i + 4000 <= len; i += 4000) { /* lines of 4000 bytes */
		memcpy(s + i, "h:", 2);
		memcpy(s + i + 3998, "\r\n", 2);
	}
	r = run_split(s, len, 0, false, 0);
	expect_cause(r, L);
	assert_string_equal(r.error, "headers too large");
	free(s);
	s = repeat(CH "5;", 'e', HTTP_CHUNK_LINE_MAX, "\r\nhello\r\n0\r\n\r\n", &len);
	expect_cause(run_split(s, len, 0, false, 0), L);
	free(s);
	s = repeat("HTTP/1.0 200 OK\r\n\r\n", 'z', 1000, "", &len);
	expect_cause(run_split(s, len, 0, true, 999), L);
	free(s);

	expect_cause(RUN("", true), C);
	expect_cause(RUN("HTTP/1.1 2", true), C);
	expect_cause(RUN("HTTP/1.1 200 OK\r\nA: b\r\n", true), C);
	expect_cause(RUN("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello", true), C);
	expect_cause(RUN(CH "5\r\nhel", true), C);
}

/* After DONE or ERROR, feeding more changes nothing. */
static void test_sticky(void **state)
{
	(void)state;
	struct http_parser p;
	size_t used;
	const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabEXTRA";

	http_parser_init(&p, NULL, NULL);
	assert_int_equal(http_parser_feed(&p, ok, strlen(ok), &used), HTTP_PARSE_DONE);
	assert_int_equal(used, strlen(ok) - 5);
	assert_int_equal(http_parser_feed(&p, "x", 1, &used), HTTP_PARSE_DONE);
	assert_int_equal(used, 0);
	assert_int_equal(http_parser_eof(&p), HTTP_PARSE_DONE);
	http_parser_init(&p, NULL, NULL);
	assert_int_equal(http_parser_feed(&p, "XTTP", 4, NULL), HTTP_PARSE_MORE);
	assert_int_equal(http_parser_feed(&p, "\n", 1, NULL), HTTP_PARSE_ERROR);
	assert_int_equal(http_parser_feed(&p, "HTTP/1.1 200 OK\r\n", 17, NULL), HTTP_PARSE_ERROR);
	assert_int_equal(http_parser_eof(&p), HTTP_PARSE_ERROR);
	assert_string_equal(p.error, "malformed status line");
}

static void test_sink_window(void **state)
{
	(void)state;
	struct http_sink s;

	assert_int_equal(http_sink_init(&s, false, 3, 4), 0);
	http_sink_feed(&s, (const uint8_t *)"ab", 2);
	assert_int_equal(s.win_len, 0);
	http_sink_feed(&s, (const uint8_t *)"cdef", 4);
	assert_int_equal(s.win_len, 3);
	assert_string_equal(s.win, "def");
	http_sink_feed(&s, (const uint8_t *)"ghij", 4);
	assert_int_equal(s.win_len, 4);
	assert_string_equal(s.win, "defg");
	uint8_t md[16];

	assert_int_equal(http_sink_md5(&s, md), -EIO); /* no digest asked for */
	http_sink_free(&s);
	char hex[33];
	const uint8_t z[16] = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xa, 0xff };

	http_md5_hex(z, hex);
	assert_string_equal(hex, "deadbeef000102030405060708090aff");
}

static void test_request(void **state)
{
	(void)state;
	char buf[HTTP_REQUEST_MAX], host[80];
	struct in_addr a4;
	struct in6_addr a6;
	int n;

	inet_pton(AF_INET, "198.18.0.2", &a4);
	inet_pton(AF_INET6, "fd00:198:18::2", &a6);
	http_host_of(host, sizeof(host), AF_INET, &a4, 8080, false);
	assert_string_equal(host, "198.18.0.2:8080");
	http_host_of(host, sizeof(host), AF_INET, &a4, 80, false);
	assert_string_equal(host, "198.18.0.2");
	http_host_of(host, sizeof(host), AF_INET, &a4, 443, false);
	assert_string_equal(host, "198.18.0.2:443");
	http_host_of(host, sizeof(host), AF_INET6, &a6, 443, true);
	assert_string_equal(host, "[fd00:198:18::2]");
	http_host_of(host, sizeof(host), AF_INET6, &a6, 8443, true);
	assert_string_equal(host, "[fd00:198:18::2]:8443");

	n = http_request_format(buf, sizeof(buf), "/x", "h", CONF_HTTP_10);
	assert_string_equal(buf,
			    "GET /x HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: h\r\n\r\n");
	assert_int_equal(n, (int)strlen(buf));
	http_request_format(buf, sizeof(buf), "/x", "h", CONF_HTTP_10C);
	assert_string_equal(buf, "GET /x HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
				 "Connection: close\r\nHost: h\r\n\r\n");
	http_request_format(buf, sizeof(buf), "/x?a=1", "h:81", CONF_HTTP_11);
	assert_string_equal(buf, "GET /x?a=1 HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
				 "Connection: close\r\nHost: h:81\r\n\r\n");
	assert_int_equal(http_request_format(buf, sizeof(buf), "/x\r\nEvil: 1", "h", 0), -EINVAL);
	assert_int_equal(http_request_format(buf, sizeof(buf), "/a b", "h", 0), -EINVAL);
	assert_int_equal(http_request_format(buf, sizeof(buf), "/x", "h\n", 0), -EINVAL);
	assert_int_equal(http_request_format(buf, sizeof(buf), "", "h", 0), -EINVAL);
	assert_int_equal(http_request_format(buf, 20, "/x", "h", 0), -ENAMETOOLONG);
}

/* ---- url regex (check/http_regex.c): PCRE2, as keepalived ---- */

/* A url with pattern pat and the regex_options in opts (space separated). */
static struct conf_http_url *rx_url(const char *pat, const char *opts)
{
	struct conf_http_url *u = calloc(1, sizeof(*u));
	char *o = strdup(opts ? opts : "");

	assert_non_null(u);
	assert_non_null(o);
	u->regex = strdup(pat);
	u->regex_options.v = calloc(8, sizeof(char *));
	for (char *w = strtok(o, " "); w; w = strtok(NULL, " ")) {
		assert_true(u->regex_options.n < 8);
		u->regex_options.v[u->regex_options.n++] = strdup(w);
	}
	free(o);
	return u;
}

static void rx_free(struct conf_http_url *u)
{
	for (unsigned i = 0; i < u->regex_options.n; i++)
		free(u->regex_options.v[i]);
	free(u->regex_options.v);
	free(u->regex);
	free(u);
}

static char rx_why[200];
static enum check_cause rx_cause; /* of the last rx_pass */

/* Does body pass u (through cache c)? */
static bool rx_pass(struct http_regex_cache *c, const struct conf_http_url *u, const char *body)
{
	rx_why[0] = '\0';
	rx_cause = http_regex_check(c, u, body, strlen(body), rx_why, sizeof(rx_why));
	return rx_cause == CHECK_OK;
}

/* One pattern, one body, a fresh cache and none: the same answer. */
static bool rx1(const char *pat, const char *opts, const char *body)
{
	struct conf_http_url *u = rx_url(pat, opts);
	struct http_regex_cache *c = http_regex_cache_new();
	bool a = rx_pass(c, u, body), b;
	char why[sizeof(rx_why)];

	snprintf(why, sizeof(why), "%s", rx_why);
	b = rx_pass(NULL, u, body);
	assert_int_equal(a, b);
	assert_string_equal(why, rx_why);
	http_regex_cache_free(c);
	rx_free(u);
	return a;
}

static void test_regex_pcre_syntax(void **state)
{
	(void)state;
	/* What POSIX ERE reads differently or refuses. */
	assert_true(rx1("\\d+", NULL, "status 200"));
	assert_false(rx1("\\d+", NULL, "no digits here"));
	assert_string_equal(rx_why, "regex did not match");
	assert_int_equal(rx_cause, CHECK_HTTP_REGEX);
	assert_true(rx1("ok\\s+done", NULL, "ok \t done"));
	assert_false(rx1("ok\\s+done", NULL, "okdone"));
	assert_true(rx1("(?i)hello", NULL, "say HeLLo"));
	assert_false(rx1("hello", NULL, "say HeLLo"));
	assert_true(rx1("<b>.*?</b>x", NULL, "<b>1</b><b>2</b>x"));
	assert_true(rx1("foo(?=bar)", NULL, "foobar"));
	assert_false(rx1("foo(?=bar)", NULL, "foobaz"));
	assert_true(rx1("^(?!error)\\w+$", NULL, "healthy"));
	assert_false(rx1("^(?!error)\\w+$", NULL, "errors"));
	/* The body may hold NULs: the window's length counts, not strlen. */
	{
		struct conf_http_url *u = rx_url("b\\x00c", NULL);

		assert_true(http_regex_check(NULL, u, "ab\0cd", 5, rx_why, sizeof(rx_why)) ==
			    CHECK_OK);
		assert_false(http_regex_check(NULL, u, "ab\0cd", 2, rx_why, sizeof(rx_why)) ==
			     CHECK_OK);
		rx_free(u);
	}
}

static void test_regex_options(void **state)
{
	(void)state;
	assert_true(rx1("hello", "caseless", "HELLO"));
	assert_false(rx1("^two$", NULL, "one\ntwo\nthree"));
	assert_true(rx1("^two$", "multiline", "one\ntwo\nthree"));
	assert_false(rx1("a.b", NULL, "a\nb"));
	assert_true(rx1("a.b", "dotall", "a\nb"));
	assert_true(rx1("a b c # comment", "extended", "abc"));
	assert_false(rx1("a b c", NULL, "abc"));
	assert_true(rx1("<.+>", "ungreedy caseless", "<A>"));
	/* Options keepalived lists but that are not PCRE2 compile options of
	 * that name do not exist: every listed name maps to one. */
	assert_true(rx1("x", "use_offset_limit no_start_optimize auto_callout", "x"));
	/* A body that is not UTF-8 under utf: a match error, not a crash. */
	assert_false(rx1("a", "utf", "\xff\xfe a"));
	assert_non_null(strstr(rx_why, "regex: match failed: "));
}

static void test_regex_no_match_and_offsets(void **state)
{
	(void)state;
	struct conf_http_url *u = rx_url("vigil", NULL);
	struct http_regex_cache *c = http_regex_cache_new();

	assert_true(rx_pass(c, u, "xxxxxvigil"));
	u->regex_no_match = true;
	http_regex_cache_free(c); /* the cache is per model: a new url state */
	c = http_regex_cache_new();
	assert_false(rx_pass(c, u, "xxxxxvigil"));
	assert_string_equal(rx_why, "regex matched (regex_no_match)");
	assert_int_equal(rx_cause, CHECK_HTTP_REGEX);
	assert_true(rx_pass(c, u, "xxxxx"));
	rx_free(u);

	/* The window starts at regex_min_offset (2): the match starts at 3 in
	 * it, at 5 in the body; regex_max_offset bounds that body offset. */
	u = rx_url("vigil", NULL);
	u->regex_min_offset = 2;
	u->regex_max_offset = 5;
	http_regex_cache_free(c);
	c = http_regex_cache_new();
	assert_true(rx_pass(c, u, "xxxvigil"));
	assert_true(rx_pass(NULL, u, "xxxvigil"));
	assert_false(rx_pass(c, u, "xxxxvigil"));
	assert_string_equal(rx_why, "regex did not match");
	assert_false(rx_pass(NULL, u, "xxxxvigil"));
	rx_free(u);
	u = rx_url("vigil", NULL);
	u->regex_min_offset = 2;
	u->regex_max_offset = 4;
	http_regex_cache_free(c);
	c = http_regex_cache_new();
	assert_false(rx_pass(c, u, "xxxvigil"));
	u->regex_no_match = true; /* (same url, same compiled pattern) */
	assert_true(rx_pass(c, u, "xxxvigil"));
	http_regex_cache_free(c);
	rx_free(u);
}

static void test_regex_cache(void **state)
{
	(void)state;
	struct http_regex_cache *c = http_regex_cache_new();
	struct conf_http_url *u[100];
	char pat[32], body[32];

	/* Many urls (the table grows), each keeps its own pattern. */
	for (int i = 0; i < 100; i++) {
		snprintf(pat, sizeof(pat), "^n%d$", i);
		u[i] = rx_url(pat, i % 2 ? "caseless" : NULL);
	}
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++) {
			snprintf(body, sizeof(body), "%s%d", i % 2 ? "N" : "n", i);
			assert_true(rx_pass(c, u[i], body));
			snprintf(body, sizeof(body), "n%d", (i + 1) % 100);
			assert_false(rx_pass(c, u[i], body));
		}
	}
	/* A pattern PCRE2 refuses (the config check normally stops it): the
	 * check fails with PCRE2's message and offset. */
	struct conf_http_url *bad = rx_url("a(b", NULL);

	assert_false(rx_pass(c, bad, "ab"));
	assert_string_equal(rx_why,
			    "regex does not compile: missing closing parenthesis at offset 3");
	assert_int_equal(rx_cause, CHECK_CONFIG);
	assert_false(rx_pass(c, bad, "ab"));
	http_regex_cache_free(c);
	rx_free(bad);
	for (int i = 0; i < 100; i++)
		rx_free(u[i]);
	http_regex_cache_free(NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_regex_limits(void **state)
{
	(void)state;
	size_t n = HTTP_REGEX_WINDOW;
	char *body = malloc(n + 1);
	struct conf_http_url *u = rx_url("(a+)+$", NULL);
	struct http_regex_cache *c = http_regex_cache_new();
	double t0;

	assert_non_null(body);
	memset(body, 'a', n);
	body[n - 1] = 'b';
	body[n] = '\0';
	/* Catastrophic backtracking: PCRE2's match limit stops it. */
	t0 = now_s();
	assert_false(rx_pass(c, u, body));
	assert_true(now_s() - t0 < 10.0);
	assert_string_equal(rx_why, "regex: match limit exceeded (too much backtracking)");
	assert_int_equal(rx_cause, CHECK_HTTP_REGEX);
	u->regex_no_match = true; /* an error is a failure either way */
	assert_false(rx_pass(c, u, body));
	assert_string_equal(rx_why, "regex: match limit exceeded (too much backtracking)");
	/* (the cache is keyed by url: a freed url's address may come back) */
	http_regex_cache_free(c);
	rx_free(u);

	/* regex_stack MAX is the heap limit of the backtracking frames: one
	 * frame per group repeat over 64 KiB needs megabytes. */
	u = rx_url("(a|b)+$", NULL);
	assert_true(rx_pass(NULL, u, body));
	rx_free(u);
	u = rx_url("(a|b)+$", NULL);
	u->regex_stack_start = 1024;
	u->regex_stack_max = 2048;
	c = http_regex_cache_new();
	assert_false(rx_pass(c, u, body));
	assert_string_equal(rx_why, "regex: heap limit exceeded (regex_stack max 2048 bytes)");
	assert_true(rx_pass(c, u, "abab")); /* small bodies still fit */
	http_regex_cache_free(c);
	rx_free(u);
	u = rx_url("(a|b)+$", NULL);
	u->regex_stack_start = 1024;
	u->regex_stack_max = 256u << 20;
	assert_true(rx_pass(NULL, u, body));
	rx_free(u);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_until_close),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_no_body),
		cmocka_unit_test(test_status_errors),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_chunk_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_error_causes),
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_sink_window),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_regex_pcre_syntax),
		cmocka_unit_test(test_regex_options),
		cmocka_unit_test(test_regex_no_match_and_offsets),
		cmocka_unit_test(test_regex_cache),
		cmocka_unit_test(test_regex_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
