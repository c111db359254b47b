/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental HTTP/1.x response parser (see http_parse.h).
 *
 * What keepalived 2.2.7 hashes, measured (not read from its code): its
 * genhash binary (which shares the HTTP_GET code of the daemon) was run in
 * a network namespace against a server sending fixed bytes:
 *   - "Content-Length: 12" + "hello world\n"      -> md5("hello world\n")
 *   - no Content-Length, HTTP/1.0, same 12 bytes   -> the same digest
 *   - "Content-Length: 5" + "hello world\n"       -> md5("hello"): cut at
 *     Content-Length, the rest ignored
 *   - "Transfer-Encoding: chunked" +
 *     "6\r\nhello \r\n6\r\nworld\n\r\n0\r\n\r\n"    -> md5 of those raw
 *     bytes, chunk-size lines and CRLFs included: the chunked framing is
 *     NOT decoded.
 * So the body callback receives every byte after the header's blank line
 * as sent, up to Content-Length or, for chunked, up to the CRLF that ends
 * the trailers (which a server closing the connection sends last). A
 * digest from keepalived's genhash therefore matches ours.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/evp.h>

#include "check/http_parse.h"
#include "conf/model.h"

enum {
	ST_STATUS,
	ST_HEADER,
	ST_BODY_LEN,
	ST_BODY_CLOSE,
	ST_CHUNK_SIZE,
	ST_CHUNK_DATA,
	ST_CHUNK_CR, /* after chunk data: CR LF (or a bare LF) */
	ST_CHUNK_LF,
	ST_TRAILER,
	ST_DONE,
	ST_ERROR,
};

#define CHUNK_HEX_MAX 15 /* significant hex digits: below 2^60 */

void http_parser_init(struct http_parser *p, http_body_cb body, void *ctx)
{
	memset(p, 0, offsetof(struct http_parser, line));
	p->body = body;
	p->ctx = ctx;
	p->content_length = -1;
	p->state = ST_STATUS;
}

static int fail_as(struct http_parser *p, enum check_cause cause, const char *why)
{
	p->state = ST_ERROR;
	p->error = why;
	p->cause = cause;
	return HTTP_PARSE_ERROR;
}

/* A rule of the protocol broken. */
static int fail(struct http_parser *p, const char *why)
{
	return fail_as(p, CHECK_BAD_RESPONSE, why);
}

/* A limit of ours exceeded. */
static int fail_limit(struct http_parser *p, const char *why)
{
	return fail_as(p, CHECK_RESPONSE_TOO_LARGE, why);
}

/* The connection closed before the response was complete. */
static int fail_closed(struct http_parser *p, const char *why)
{
	return fail_as(p, CHECK_CLOSED, why);
}

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Drops the CR before the LF; refuses other CRs and NULs. */
static int line_clean(struct http_parser *p, const char *what_cr)
{
	if (p->line_len && p->line[p->line_len - 1] == '\r')
		p->line_len--;
	if (memchr(p->line, '\r', p->line_len) || memchr(p->line, '\0', p->line_len))
		return fail(p, what_cr);
	p->line[p->line_len] = '\0';
	return 0;
}

static int status_line(struct http_parser *p)
{
	const char *l = p->line;

	if (line_clean(p, "malformed status line: CR or NUL inside"))
		return HTTP_PARSE_ERROR;
	if (p->line_len < 12 || memcmp(l, "HTTP/1.", 7) || l[7] < '0' || l[7] > '9' || l[8] != ' ')
		return fail(p, "malformed status line");
	for (int i = 9; i < 12; i++)
		if (l[i] < '0' || l[i] > '9')
			return fail(p, "malformed status line: bad status code");
	if (l[9] == '0' || (l[12] != '\0' && l[12] != ' '))
		return fail(p, "malformed status line: bad status code");
	p->version_minor = l[7] - '0';
	p->status = (unsigned)((l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0'));
	p->state = ST_HEADER;
	return 0;
}

static bool ieq(const char *a, size_t alen, const char *b)
{
	return alen == strlen(b) && !strncasecmp(a, b, alen);
}

static int content_length(struct http_parser *p, const char *v, size_t n)
{
	int64_t cl = 0;

	if (!n || n > 18)
		return fail(p, "bad Content-Length");
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return fail(p, "bad Content-Length");
		cl = cl * 10 + (v[i] - '0');
	}
	if (p->saw_cl && cl != p->content_length)
		return fail(p, "conflicting Content-Length headers");
	p->saw_cl = true;
	p->content_length = cl;
	return 0;
}

/* Transfer-Encoding: chunked counts only as the last coding (a list may be
 * spread over several header lines). */
static void transfer_encoding(struct http_parser *p, const char *v, size_t n)
{
	size_t e = n, s;

	p->saw_te = true;
	while (e && (v[e - 1] == ' ' || v[e - 1] == '\t' || v[e - 1] == ','))
		e--;
	s = e;
	while (s && v[s - 1] != ',' && v[s - 1] != ' ' && v[s - 1] != '\t')
		s--;
	if (e == s)
		return; /* an empty list element changes nothing */
	p->te_chunked = ieq(v + s, e - s, "chunked");
}

static int headers_end(struct http_parser *p)
{
	uint64_t max = p->body_max ? p->body_max : HTTP_BODY_MAX_DEFAULT;

	p->headers_done = true;
	if (p->status < 200 || p->status == 204 || p->status == 304) {
		p->framing = HTTP_FRAME_NONE;
	} else if (p->saw_te) {
		/* A response whose last coding is not chunked runs until close. */
		p->framing = p->te_chunked ? HTTP_FRAME_CHUNKED : HTTP_FRAME_CLOSE;
		if (p->te_chunked) {
			p->content_length = -1;
			p->header_bytes = p->n_lines = 0;
			p->state = ST_CHUNK_SIZE;
			return 0;
		}
	} else if (p->saw_cl) {
		if ((uint64_t)p->content_length > max)
			return fail_limit(p, "Content-Length above the body size limit");
		p->framing = HTTP_FRAME_LENGTH;
		p->left = (uint64_t)p->content_length;
	} else {
		p->framing = HTTP_FRAME_CLOSE;
	}
	switch (p->framing) {
	case HTTP_FRAME_NONE:
		p->state = ST_DONE;
		break;
	case HTTP_FRAME_LENGTH:
		p->state = p->left ? ST_BODY_LEN : ST_DONE;
		break;
	default:
		p->state = ST_BODY_CLOSE;
	}
	return 0;
}

static int header_line(struct http_parser *p)
{
	const char *l = p->line, *colon, *v;
	size_t n, vn;

	if (line_clean(p, "malformed header: CR or NUL inside"))
		return HTTP_PARSE_ERROR;
	if (!p->line_len)
		return headers_end(p);
	if (++p->n_lines > HTTP_HEADERS_MAX_COUNT)
		return fail_limit(p, "too many header lines");
	if (l[0] == ' ' || l[0] == '\t')
		return fail(p, "malformed header: obsolete line folding");
	colon = memchr(l, ':', p->line_len);
	if (!colon || colon == l)
		return fail(p, "malformed header: no name and colon");
	n = (size_t)(colon - l);
	for (size_t i = 0; i < n; i++)
		if (!is_tchar((unsigned char)l[i]))
			return fail(p, "malformed header: bad character in the name");
	v = colon + 1;
	vn = p->line_len - n - 1;
	while (vn && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (ieq(l, n, "Content-Length"))
		return content_length(p, v, vn);
	if (ieq(l, n, "Transfer-Encoding"))
		transfer_encoding(p, v, vn);
	return 0;
}

static int chunk_size_line(struct http_parser *p)
{
	const char *l = p->line;
	uint64_t size = 0;
	unsigned digits = 0;
	size_t i = 0;
	int h;

	if (line_clean(p, "bad chunk size: CR or NUL inside"))
		return HTTP_PARSE_ERROR;
	for (; i < p->line_len && (h = hexval((unsigned char)l[i])) >= 0; i++) {
		if (size || h)
			digits++;
		if (digits > CHUNK_HEX_MAX)
			return fail_limit(p, "chunk size too large");
		size = size << 4 | (unsigned)h;
	}
	if (!i)
		return fail(p, "bad chunk size");
	while (i < p->line_len && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < p->line_len && l[i] != ';')
		return fail(p, "bad chunk size");
	if (size) {
		p->left = size;
		p->state = ST_CHUNK_DATA;
	} else {
		p->state = ST_TRAILER;
	}
	return 0;
}

static int trailer_line(struct http_parser *p)
{
	if (line_clean(p, "malformed trailer: CR or NUL inside"))
		return HTTP_PARSE_ERROR;
	if (!p->line_len) {
		p->state = ST_DONE;
		return 0;
	}
	if (++p->n_lines > HTTP_HEADERS_MAX_COUNT)
		return fail_limit(p, "too many trailer lines");
	if (!memchr(p->line, ':', p->line_len) || p->line[0] == ':' || p->line[0] == ' ' ||
	    p->line[0] == '\t')
		return fail(p, "malformed trailer");
	return 0;
}

static bool in_body(int st)
{
	return st >= ST_BODY_LEN && st <= ST_TRAILER;
}

/* One byte of a line-based state; returns 0 or HTTP_PARSE_ERROR. */
static int line_byte(struct http_parser *p, unsigned char c)
{
	uint32_t max = p->state == ST_CHUNK_SIZE ? HTTP_CHUNK_LINE_MAX : HTTP_LINE_MAX;

	if (p->state != ST_CHUNK_SIZE && ++p->header_bytes > HTTP_HEADERS_MAX_BYTES)
		return fail_limit(p, p->state == ST_TRAILER ? "trailers too large"
							    : "headers too large");
	if (c != '\n') {
		if (p->line_len >= max) {
			switch (p->state) {
			case ST_STATUS:
				return fail_limit(p, "malformed status line: too long");
			case ST_HEADER:
				return fail_limit(p, "header line too long");
			case ST_CHUNK_SIZE:
				return fail_limit(p, "chunk size line too long");
			default:
				return fail_limit(p, "trailer line too long");
			}
		}
		p->line[p->line_len++] = (char)c;
		return 0;
	}
	int st = p->state, rc;

	if (st == ST_STATUS)
		rc = status_line(p);
	else if (st == ST_HEADER)
		rc = header_line(p);
	else if (st == ST_CHUNK_SIZE)
		rc = chunk_size_line(p);
	else
		rc = trailer_line(p);
	p->line_len = 0;
	return rc;
}

int http_parser_feed(struct http_parser *p, const void *data, size_t len, size_t *used)
{
	const unsigned char *b = data;
	uint64_t max = p->body_max ? p->body_max : HTTP_BODY_MAX_DEFAULT;
	size_t i = 0, bs = in_body(p->state) ? 0 : SIZE_MAX, n;
	int rc = 0;

	while (i < len && p->state < ST_DONE && !rc) {
		switch (p->state) {
		case ST_STATUS:
		case ST_HEADER:
			rc = line_byte(p, b[i++]);
			if (!rc && in_body(p->state))
				bs = i;
			continue;
		case ST_BODY_LEN:
			n = len - i < p->left ? len - i : (size_t)p->left;
			p->left -= n;
			i += n;
			if (!p->left)
				p->state = ST_DONE;
			continue;
		case ST_BODY_CLOSE:
			n = len - i;
			if (n > max - (p->body_bytes + (i - bs))) {
				rc = fail_limit(p, "body larger than the body size limit");
				continue;
			}
			i = len;
			continue;
		case ST_CHUNK_DATA:
			n = len - i < p->left ? len - i : (size_t)p->left;
			p->left -= n;
			i += n;
			if (!p->left)
				p->state = ST_CHUNK_CR;
			break;
		case ST_CHUNK_CR:
			if (b[i] == '\r')
				p->state = ST_CHUNK_LF;
			else if (b[i] == '\n')
				p->state = ST_CHUNK_SIZE;
			else
				rc = fail(p, "bad chunk: no CRLF after the chunk data");
			i++;
			break;
		case ST_CHUNK_LF:
			if (b[i++] == '\n')
				p->state = ST_CHUNK_SIZE;
			else
				rc = fail(p, "bad chunk: no CRLF after the chunk data");
			break;
		default: /* ST_CHUNK_SIZE, ST_TRAILER */
			rc = line_byte(p, b[i++]);
			break;
		}
		/* Chunked bodies count their framing against the limit. */
		if (!rc && p->body_bytes + (i - bs) > max)
			rc = fail_limit(p, "body larger than the body size limit");
	}
	if (bs != SIZE_MAX && i > bs && p->state != ST_ERROR) {
		p->body_bytes += i - bs;
		if (p->body)
			p->body(p->ctx, b + bs, i - bs);
	}
	if (used)
		*used = i;
	if (p->state == ST_ERROR)
		return HTTP_PARSE_ERROR;
	return p->state == ST_DONE ? HTTP_PARSE_DONE : HTTP_PARSE_MORE;
}

int http_parser_eof(struct http_parser *p)
{
	switch (p->state) {
	case ST_DONE:
		return HTTP_PARSE_DONE;
	case ST_ERROR:
		return HTTP_PARSE_ERROR;
	case ST_BODY_CLOSE:
		p->state = ST_DONE;
		return HTTP_PARSE_DONE;
	case ST_STATUS:
		return fail_closed(p, p->header_bytes ? "connection closed inside the status line"
						      : "connection closed before any response");
	case ST_HEADER:
		return fail_closed(p, "connection closed inside the headers");
	case ST_BODY_LEN:
		return fail_closed(p, "connection closed before Content-Length body bytes came");
	default:
		return fail_closed(p, "connection closed inside the chunked body");
	}
}

/* ---- body sink ---- */

int http_sink_init(struct http_sink *s, bool want_md5, uint64_t win_from, size_t regex_window)
{
	memset(s, 0, sizeof(*s));
	s->win_from = win_from;
	if (want_md5) {
		EVP_MD_CTX *md = EVP_MD_CTX_new();

		if (!md)
			return -ENOMEM;
		if (EVP_DigestInit_ex(md, EVP_md5(), NULL) != 1) {
			EVP_MD_CTX_free(md);
			return -EIO;
		}
		s->md = md;
	}
	if (regex_window) {
		s->win = malloc(regex_window + 1);
		if (!s->win) {
			http_sink_free(s);
			return -ENOMEM;
		}
		s->win_cap = regex_window;
		s->win[0] = '\0';
	}
	return 0;
}

void http_sink_feed(void *sink, const uint8_t *data, size_t len)
{
	struct http_sink *s = sink;
	uint64_t off = s->off;

	s->off += len;
	if (s->md)
		EVP_DigestUpdate(s->md, data, len);
	if (!s->win || s->win_len == s->win_cap || s->off <= s->win_from)
		return;
	if (off < s->win_from) {
		data += s->win_from - off;
		len -= (size_t)(s->win_from - off);
	}
	if (len > s->win_cap - s->win_len)
		len = s->win_cap - s->win_len;
	memcpy(s->win + s->win_len, data, len);
	s->win_len += len;
	s->win[s->win_len] = '\0';
}

int http_sink_md5(struct http_sink *s, uint8_t out[16])
{
	unsigned n = 0;

	if (!s->md || EVP_DigestFinal_ex(s->md, out, &n) != 1 || n != 16)
		return -EIO;
	return 0;
}

void http_sink_free(struct http_sink *s)
{
	EVP_MD_CTX_free(s->md);
	free(s->win);
	s->md = NULL;
	s->win = NULL;
}

void http_md5_hex(const uint8_t md[16], char out[33])
{
	static const char hx[] = "0123456789abcdef";

	for (int i = 0; i < 16; i++) {
		out[2 * i] = hx[md[i] >> 4];
		out[2 * i + 1] = hx[md[i] & 15];
	}
	out[32] = '\0';
}

/* ---- the request ---- */

void http_host_of(char *buf, size_t len, int family, const void *addr, unsigned port, bool tls)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (port == (tls ? 443u : 80u) || !port)
		snprintf(buf, len, family == AF_INET6 ? "[%s]" : "%s", a);
	else
		snprintf(buf, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

static bool clean_text(const char *s, bool no_space)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || (no_space && *s == ' '))
			return false;
	return true;
}

int http_request_format(char *buf, size_t len, const char *path, const char *host, int proto)
{
	int n;

	if (!clean_text(path, true) || !clean_text(host, true))
		return -EINVAL;
	n = snprintf(buf, len, "GET %s HTTP/1.%d\r\nUser-Agent: %s\r\n%sHost: %s\r\n\r\n", path,
		     proto == CONF_HTTP_11 ? 1 : 0, HTTP_USER_AGENT,
		     proto != CONF_HTTP_10 ? "Connection: close\r\n" : "", host);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return n;
}
