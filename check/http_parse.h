/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An incremental HTTP/1.0 and HTTP/1.1 response parser for HTTP_GET,
 * SSL_GET and `vigild genhash`. It is pure (no I/O, no allocation): feed it
 * the bytes a server sent in chunks of any size, in order; it keeps at most
 * one line (status line, header line, chunk-size line or trailer line) and
 * counts everything else. Every byte is hostile: each limit broken or rule
 * violated ends the parse with a static reason in p->error and its failure
 * cause in p->cause.
 *
 * Body framing: none for 1xx, 204 and 304; chunked when the last coding of
 * Transfer-Encoding is "chunked" (Content-Length is then ignored, RFC 9112
 * 6.3); Content-Length; otherwise until the server closes the connection.
 *
 * What the body callback receives (and so what the digest covers) is what
 * keepalived 2.2.7 hashes, found by running its genhash against a test
 * server (see the comment at the top of http_parse.c): every byte after the
 * blank line that ends the headers, as sent, with chunked framing NOT
 * removed; cut at Content-Length when there is one. Bytes after the end of
 * the response (past Content-Length or the end of a chunked body) are
 * ignored, as keepalived ignores them.
 */
#ifndef VIGIL_CHECK_HTTP_PARSE_H
#define VIGIL_CHECK_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/result.h"

#define HTTP_HEADERS_MAX_BYTES 16384	  /* status line + header lines + blank line */
#define HTTP_LINE_MAX 8192		  /* one header line (also one trailer line) */
#define HTTP_HEADERS_MAX_COUNT 100	  /* header lines; also trailer lines */
#define HTTP_CHUNK_LINE_MAX 1024	  /* one chunk-size line with its extensions */
#define HTTP_BODY_MAX_DEFAULT (16u << 20) /* raw body bytes an attempt reads */

enum http_parse_rc {
	HTTP_PARSE_MORE = 0,   /* needs more bytes */
	HTTP_PARSE_DONE = 1,   /* the response is complete */
	HTTP_PARSE_ERROR = -1, /* p->error says why */
};

enum http_framing {
	HTTP_FRAME_NONE = 0, /* no body (1xx, 204, 304) */
	HTTP_FRAME_LENGTH,   /* Content-Length */
	HTTP_FRAME_CHUNKED,  /* Transfer-Encoding: chunked */
	HTTP_FRAME_CLOSE,    /* until the connection closes */
};

/* Raw body bytes, in order (see above for which bytes). */
typedef void (*http_body_cb)(void *ctx, const uint8_t *data, size_t len);

struct http_parser {
	/* settings (http_parser_init; may be changed before the first feed) */
	uint64_t body_max; /* raw body bytes allowed; 0: HTTP_BODY_MAX_DEFAULT */
	http_body_cb body;
	void *ctx;

	/* results, valid once the headers are complete (headers_done) */
	bool headers_done;
	int version_minor;	/* HTTP/1.<minor> */
	unsigned status;	/* 100..999 */
	int framing;		/* enum http_framing */
	int64_t content_length; /* -1: none */
	uint64_t body_bytes;	/* raw body bytes passed to body() */
	const char *error;	/* static text once HTTP_PARSE_ERROR was returned */
	enum check_cause cause; /* and its class: CHECK_BAD_RESPONSE (a rule broken),
				 * CHECK_RESPONSE_TOO_LARGE (a limit) or CHECK_CLOSED
				 * (EOF too early); CHECK_NONE before */

	/* private */
	int state;
	uint32_t header_bytes, n_lines;
	uint64_t left; /* Content-Length or chunk bytes still to come */
	bool saw_te, te_chunked, saw_cl;
	uint32_t line_len;
	char line[HTTP_LINE_MAX + 1];
};

void http_parser_init(struct http_parser *p, http_body_cb body, void *ctx);

/* Parses the next len bytes. After DONE or ERROR, further calls return the
 * same thing and look at nothing. *used (optional): bytes consumed. */
int http_parser_feed(struct http_parser *p, const void *data, size_t len, size_t *used);

/* The server closed the connection: DONE when that ends the response
 * (framing "until close"), else ERROR with the reason. */
int http_parser_eof(struct http_parser *p);

/* ---- the body sink: MD5 of the raw body and a bounded regex window ---- */

#define HTTP_REGEX_WINDOW (64u << 10) /* body bytes a regex is matched against */

struct http_sink {
	void *md;	   /* EVP_MD_CTX *; NULL: no digest wanted */
	uint64_t off;	   /* body bytes seen */
	uint64_t win_from; /* body offset where the regex window starts */
	char *win;	   /* NULL: no regex */
	size_t win_len, win_cap;
};

/* want_md5: compute the digest; regex_window: keep up to that many body
 * bytes from offset win_from for a regex (0: none). 0 or -ENOMEM. */
int http_sink_init(struct http_sink *s, bool want_md5, uint64_t win_from, size_t regex_window);
void http_sink_feed(void *sink, const uint8_t *data, size_t len); /* an http_body_cb */
/* The MD5 of everything fed (once, at the end). 0 or -EIO. */
int http_sink_md5(struct http_sink *s, uint8_t out[16]);
void http_sink_free(struct http_sink *s);

/* Lower-case hex of a digest into out (33 bytes). */
void http_md5_hex(const uint8_t md[16], char out[33]);

/* ---- the request ---- */

#define HTTP_USER_AGENT "KeepAliveClient" /* what keepalived sends: log filters match it */
#define HTTP_REQUEST_MAX 2048

/*
 * The Host header's value when no virtualhost is set: the address, in
 * brackets for IPv6, with ":port" unless it is the scheme's default (80, or
 * 443 when tls). buf holds at least 64 bytes.
 */
void http_host_of(char *buf, size_t len, int family, const void *addr, unsigned port, bool tls);

/*
 * "GET path HTTP/1.x" with User-Agent, Connection: close (http_protocol
 * 1.0C and 1.1; enum conf_http_proto) and Host. Bytes written (without the
 * NUL), or -EINVAL when path or host holds a control character, space
 * (path) or is empty, or -ENAMETOOLONG when it does not fit.
 */
int http_request_format(char *buf, size_t len, const char *path, const char *host, int proto);

#endif
