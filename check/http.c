/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP_GET and SSL_GET: each url { } of the checker is fetched in turn on
 * its own connection (all must pass): non-blocking connect with the
 * checker's bindto / bind_port / bind_if / fwmark, for SSL_GET a TLS
 * handshake (SNI when enable_sni), "GET path" with Host (the url's, the
 * checker's / real server's / virtual server's virtualhost, else the
 * address), then the response through check/http_parse.c: status_code,
 * digest (MD5 of the body as keepalived computes it) and regex.
 *
 * connect_timeout bounds each URL's whole exchange (connect, handshake,
 * request, response): a slow or endless server fails with "timeout". One
 * attempt holds one 16 KiB read buffer, one parser (one line, 8 KiB), the
 * MD5 state and, with a regex, a window of HTTP_REGEX_WINDOW body bytes;
 * the body itself is never stored and is cut at HTTP_BODY_MAX_DEFAULT.
 *
 * regex: PCRE2, as keepalived (check/http_regex.c: compiled once per url
 * and engine, kept in the kind's engine data), matched once the body is
 * complete against the HTTP_REGEX_WINDOW bytes of body from
 * regex_min_offset on; regex_max_offset bounds where the match may start.
 *
 * fast_recovery: every attempt checks every URL, which is keepalived's
 * behaviour with fast_recovery set; without it keepalived checks one URL
 * per delay_loop while recovering.
 *
 * TLS: certificates are verified only when the SSL block names a ca; the
 * SSL block's certificate and key (with password) are the client's. A
 * server closing without close_notify ends the response normally (as
 * keepalived). tls_compliant (the checker's or the url's, keepalived 2.2.8)
 * makes vigil send its own close_notify before it closes the connection;
 * without it the connection is closed quietly, as keepalived does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "check/engine.h"
#include "check/genhash.h"
#include "check/http_parse.h"
#include "check/http_regex.h"
#include "check/sock.h"
#include "conf/model.h"

#define RBUF_SIZE 16384
#define DEFAULT_TIMEOUT_US (5 * 1000000ULL)

enum phase { PH_CONNECT, PH_HANDSHAKE, PH_SEND, PH_RECV };
static const char *const phase_names[] = { "connecting", "in the TLS handshake",
					   "sending the request", "reading the response" };

struct http_att;

/* One connection's poll handle (a new fd needs a new handle). */
struct http_conn {
	uv_poll_t poll;
	struct http_att *t;
};

struct http_att {
	struct check_attempt *a;
	bool tls;
	const struct conf_http_url *url;
	unsigned n_url;
	int phase;
	int fd;
	SSL *ssl;
	struct http_conn *conn;
	uv_timer_t timer;
	int open;      /* handles not yet closed */
	bool finished; /* done or cancelled: free when open reaches 0 */
	char req[HTTP_REQUEST_MAX];
	size_t req_len, req_off;
	struct http_sink sink;
	struct http_parser parser;
	uint8_t rbuf[RBUF_SIZE];
};

static const struct conf_lvs_ssl *ssl_conf;

void check_http_set_ssl(const struct conf_lvs_ssl *ssl)
{
	ssl_conf = ssl;
}

/* ---- lifetime ---- */

static void att_maybe_free(struct http_att *t)
{
	if (t->finished && t->open == 0) {
		http_sink_free(&t->sink);
		free(t);
	}
}

static void on_handle_closed(uv_handle_t *h)
{
	struct http_att *t;

	if (h->type == UV_POLL) {
		struct http_conn *c = h->data;

		t = c->t;
		free(c);
	} else {
		t = h->data;
	}
	t->open--;
	att_maybe_free(t);
}

static void conn_close(struct http_att *t)
{
	if (t->ssl) {
		/* One non-blocking try: close_notify goes out if the socket
		 * takes it; the peer's answer is not waited for. */
		if ((t->a->p->cfg->tls_compliant || (t->url && t->url->tls_compliant)) &&
		    SSL_is_init_finished(t->ssl))
			(void)SSL_shutdown(t->ssl);
		ERR_clear_error();
		SSL_free(t->ssl);
		t->ssl = NULL;
	}
	if (t->conn) {
		uv_poll_stop(&t->conn->poll);
		uv_close((uv_handle_t *)&t->conn->poll, on_handle_closed);
		t->conn = NULL;
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	http_sink_free(&t->sink);
}

static void att_release(struct http_att *t)
{
	conn_close(t);
	uv_timer_stop(&t->timer);
	uv_close((uv_handle_t *)&t->timer, on_handle_closed);
	t->a->priv = NULL;
	t->finished = true;
	att_maybe_free(t);
}

static void finish(struct http_att *t, enum check_cause cause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void finish(struct http_att *t, enum check_cause cause, const char *fmt, ...)
{
	struct check_attempt *a = t->a;
	char why[CHECK_REASON_MAX + 1], pre[48] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (cause != CHECK_OK && t->url && t->a->p->cfg->urls.count > 1)
		snprintf(pre, sizeof(pre), "url %u: ", t->n_url + 1);
	att_release(t);
	check_attempt_done(a, cause, CHECK_WEIGHT_NONE, "%s%s", pre, why);
}

/* Why the last TLS call failed: OpenSSL's error queue, else errno. */
static const char *tls_why(char *buf, size_t len, int err)
{
	unsigned long e = ERR_get_error();

	if (e) {
		ERR_error_string_n(e, buf, len);
		ERR_clear_error();
	} else if (err) {
		snprintf(buf, len, "%s", strerror(err));
	} else {
		snprintf(buf, len, "connection closed by the server");
	}
	return buf;
}

/* ---- the TLS context (one per process) ---- */

static int pw_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	size_t n = pw ? strlen(pw) : 0;

	(void)rwflag;
	if (n > (size_t)size)
		n = (size_t)size;
	memcpy(buf, pw ? pw : "", n);
	return (int)n;
}

void *check_http_ssl_ctx_new(const struct conf_lvs_ssl *c, char *err, size_t len)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char e[160];

	if (!ctx) {
		snprintf(err, len, "TLS context: %s", tls_why(e, sizeof(e), 0));
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (c && c->configured) {
		if (c->password) {
			SSL_CTX_set_default_passwd_cb(ctx, pw_cb);
			SSL_CTX_set_default_passwd_cb_userdata(ctx, c->password);
		}
		if (c->ca && SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1) {
			snprintf(err, len, "SSL ca %s: %s", c->ca, tls_why(e, sizeof(e), 0));
			goto fail;
		}
		if (c->ca)
			SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		if (c->certificate &&
		    SSL_CTX_use_certificate_chain_file(ctx, c->certificate) != 1) {
			snprintf(err, len, "SSL certificate %s: %s", c->certificate,
				 tls_why(e, sizeof(e), 0));
			goto fail;
		}
		if (c->key && SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1) {
			snprintf(err, len, "SSL key %s: %s", c->key, tls_why(e, sizeof(e), 0));
			goto fail;
		}
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct ssl_data {
	SSL_CTX *ctx; /* NULL: failed, why says why */
	struct http_regex_cache *re;
	char why[CHECK_REASON_MAX + 1];
};

static int ssl_init(struct check_engine *e)
{
	struct ssl_data *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->ctx = check_http_ssl_ctx_new(ssl_conf, d->why, sizeof(d->why));
	d->re = http_regex_cache_new();
	check_engine_set_kind_data(e, CONF_CHECK_SSL, d);
	if (!d->re)
		return -ENOMEM;
	return d->ctx ? 0 : -EINVAL;
}

static void ssl_fini(struct check_engine *e)
{
	struct ssl_data *d = check_engine_kind_data(e, CONF_CHECK_SSL);

	if (!d)
		return;
	SSL_CTX_free(d->ctx);
	http_regex_cache_free(d->re);
	free(d);
	check_engine_set_kind_data(e, CONF_CHECK_SSL, NULL);
}

/* HTTP_GET's engine data: the regex cache alone. */
static int http_init(struct check_engine *e)
{
	struct http_regex_cache *c = http_regex_cache_new();

	if (!c)
		return -ENOMEM;
	check_engine_set_kind_data(e, CONF_CHECK_HTTP, c);
	return 0;
}

static void http_fini(struct check_engine *e)
{
	http_regex_cache_free(check_engine_kind_data(e, CONF_CHECK_HTTP));
	check_engine_set_kind_data(e, CONF_CHECK_HTTP, NULL);
}

/* ---- the exchange ---- */

static void on_poll(uv_poll_t *h, int status, int events);
static void url_start(struct http_att *t);

static void want(struct http_att *t, int events)
{
	uv_poll_start(&t->conn->poll, events, on_poll);
}

/* The engine's regex cache for t's kind (NULL when the kind's init did not
 * run: http_regex_check then compiles for the one call). */
static struct http_regex_cache *regex_cache(struct http_att *t)
{
	if (t->tls) {
		struct ssl_data *d = check_engine_kind_data(t->a->e, CONF_CHECK_SSL);

		return d ? d->re : NULL;
	}
	return check_engine_kind_data(t->a->e, CONF_CHECK_HTTP);
}

/* The response is complete: judge it. */
static void response_done(struct http_att *t)
{
	const struct conf_http_url *u = t->url;
	unsigned st = t->parser.status;
	char why[CHECK_REASON_MAX + 1];
	enum check_cause rx;

	if (!conf_http_status_has(&u->status, st) || st < CONF_HTTP_STATUS_MIN) {
		finish(t, CHECK_HTTP_STATUS, "GET %.40s: status %u not expected", u->path, st);
		return;
	}
	if (u->has_digest) {
		uint8_t md[16];
		char hex[33];

		if (http_sink_md5(&t->sink, md) < 0) {
			finish(t, CHECK_INTERNAL, "GET %.40s: MD5 failed", u->path);
			return;
		}
		if (memcmp(md, u->digest, 16)) {
			http_md5_hex(md, hex);
			finish(t, CHECK_HTTP_DIGEST, "GET %.40s: digest %s differs", u->path, hex);
			return;
		}
	}
	rx = u->regex ? http_regex_check(regex_cache(t), u, t->sink.win, t->sink.win_len, why,
					 sizeof(why))
		      : CHECK_OK;
	if (rx != CHECK_OK) {
		finish(t, rx, "GET %.40s: %s", u->path, why);
		return;
	}
	conn_close(t);
	if (t->url->hdr.next) {
		t->url = (const struct conf_http_url *)(const void *)t->url->hdr.next;
		t->n_url++;
		url_start(t);
		return;
	}
	finish(t, CHECK_OK, "HTTP %u, %u url%s ok", st, t->n_url + 1, t->n_url ? "s" : "");
}

static void parse_failed(struct http_att *t)
{
	const char *e = t->parser.error ? t->parser.error : "bad response";
	enum check_cause c = t->parser.cause != CHECK_NONE ? t->parser.cause : CHECK_BAD_RESPONSE;

	if (t->parser.framing == HTTP_FRAME_LENGTH && c == CHECK_CLOSED)
		finish(t, c, "GET %.40s: %s (%llu of %lld)", t->url->path, e,
		       (unsigned long long)t->parser.body_bytes,
		       (long long)t->parser.content_length);
	else
		finish(t, c, "GET %.40s: %s", t->url->path, e);
}

static void do_recv(struct http_att *t)
{
	for (int turns = 0; turns < 16; turns++) {
		ssize_t n;
		int rc;

		if (t->ssl) {
			int r = SSL_read(t->ssl, t->rbuf, sizeof(t->rbuf)), se;
			char e[160];

			if (r > 0) {
				n = r;
			} else {
				se = SSL_get_error(t->ssl, r);
				if (se == SSL_ERROR_WANT_READ) {
					want(t, UV_READABLE);
					return;
				}
				if (se == SSL_ERROR_WANT_WRITE) {
					want(t, UV_WRITABLE);
					return;
				}
				if (se != SSL_ERROR_ZERO_RETURN) {
					finish(t, CHECK_TLS, "GET %.40s: TLS read: %s",
					       t->url->path, tls_why(e, sizeof(e), errno));
					return;
				}
				n = 0;
			}
		} else {
			n = recv(t->fd, t->rbuf, sizeof(t->rbuf), 0);
			if (n < 0) {
				int err = errno;

				if (err == EAGAIN || err == EINTR)
					return;
				finish(t, check_sock_cause(err, CHECK_IO_ERROR),
				       "GET %.40s: recv: %s", t->url->path, strerror(err));
				return;
			}
		}
		if (n == 0)
			rc = http_parser_eof(&t->parser);
		else
			rc = http_parser_feed(&t->parser, t->rbuf, (size_t)n, NULL);
		if (rc == HTTP_PARSE_DONE) {
			response_done(t);
			return;
		}
		if (rc == HTTP_PARSE_ERROR) {
			parse_failed(t);
			return;
		}
	}
	/* Yield to the loop; level-triggered poll brings us back. */
}

static void do_send(struct http_att *t)
{
	while (t->req_off < t->req_len) {
		ssize_t n;

		if (t->ssl) {
			int r = SSL_write(t->ssl, t->req + t->req_off,
					  (int)(t->req_len - t->req_off));
			char e[160];

			if (r <= 0) {
				int se = SSL_get_error(t->ssl, r);

				if (se == SSL_ERROR_WANT_WRITE || se == SSL_ERROR_WANT_READ) {
					want(t,
					     se == SSL_ERROR_WANT_READ ? UV_READABLE : UV_WRITABLE);
					return;
				}
				finish(t, CHECK_TLS, "TLS write: %s", tls_why(e, sizeof(e), errno));
				return;
			}
			n = r;
		} else {
			n = send(t->fd, t->req + t->req_off, t->req_len - t->req_off, MSG_NOSIGNAL);
			if (n < 0) {
				int err = errno;

				if (err == EAGAIN || err == EINTR) {
					want(t, UV_WRITABLE);
					return;
				}
				finish(t, check_sock_cause(err, CHECK_IO_ERROR), "send: %s",
				       strerror(err));
				return;
			}
		}
		t->req_off += (size_t)n;
	}
	t->phase = PH_RECV;
	want(t, UV_READABLE);
	do_recv(t);
}

static void do_handshake(struct http_att *t)
{
	int r = SSL_connect(t->ssl), se;
	char e[160];

	if (r == 1) {
		t->phase = PH_SEND;
		do_send(t);
		return;
	}
	se = SSL_get_error(t->ssl, r);
	if (se == SSL_ERROR_WANT_READ) {
		want(t, UV_READABLE);
		return;
	}
	if (se == SSL_ERROR_WANT_WRITE) {
		want(t, UV_WRITABLE);
		return;
	}
	long v = SSL_get_verify_result(t->ssl);

	if (v != X509_V_OK)
		finish(t, CHECK_TLS_HANDSHAKE, "TLS handshake: certificate: %s",
		       X509_verify_cert_error_string(v));
	else
		finish(t, CHECK_TLS_HANDSHAKE, "TLS handshake: %s", tls_why(e, sizeof(e), errno));
}

static void connected(struct http_att *t)
{
	const struct check_probe *p = t->a->p;

	if (!t->tls) {
		t->phase = PH_SEND;
		do_send(t);
		return;
	}
	struct ssl_data *d = check_engine_kind_data(t->a->e, CONF_CHECK_SSL);
	char e[160];

	if (!d || !d->ctx) {
		finish(t, CHECK_CONFIG, "%s", d ? d->why : "no TLS context");
		return;
	}
	t->ssl = SSL_new(d->ctx);
	if (!t->ssl || SSL_set_fd(t->ssl, t->fd) != 1) {
		finish(t, CHECK_INTERNAL, "TLS: %s", tls_why(e, sizeof(e), 0));
		return;
	}
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	SSL_set_options(t->ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	const char *vh = t->url->virtualhost ? t->url->virtualhost : p->virtualhost;

	if (p->cfg->enable_sni && vh && SSL_set_tlsext_host_name(t->ssl, vh) != 1) {
		finish(t, CHECK_CONFIG, "TLS SNI: %s", tls_why(e, sizeof(e), 0));
		return;
	}
	t->phase = PH_HANDSHAKE;
	do_handshake(t);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct http_conn *c = h->data;
	struct http_att *t = c->t;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)events;
	switch (t->phase) {
	case PH_CONNECT:
		err = check_sock_connected(t->fd, status);
		if (err < 0)
			return;
		if (err) {
			finish(t, check_sock_cause(err, CHECK_CONNECT_ERROR), "connect: %s",
			       strerror(err));
			return;
		}
		connected(t);
		return;
	case PH_HANDSHAKE:
		do_handshake(t);
		return;
	case PH_SEND:
		do_send(t);
		return;
	default:
		if (status < 0 && !t->ssl) {
			if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || !err)
				err = -status;
			finish(t, check_sock_cause(err, CHECK_IO_ERROR), "GET %.40s: %s",
			       t->url->path, strerror(err));
			return;
		}
		do_recv(t);
	}
}

static void on_timeout(uv_timer_t *h)
{
	struct http_att *t = h->data;
	uint64_t ct = t->a->p->connect_timeout ? t->a->p->connect_timeout : DEFAULT_TIMEOUT_US;

	finish(t, t->phase == PH_CONNECT ? CHECK_CONNECT_TIMEOUT : CHECK_TIMEOUT,
	       "timeout after %llu.%llu s %s", (unsigned long long)(ct / 1000000),
	       (unsigned long long)(ct % 1000000 / 100000), phase_names[t->phase]);
}

/* Starts fetching t->url on a new connection. */
static void url_start(struct http_att *t)
{
	const struct check_probe *p = t->a->p;
	const struct conf_http_url *u = t->url;
	const char *host = u->virtualhost ? u->virtualhost : p->virtualhost, *step;
	uint64_t ct = p->connect_timeout ? p->connect_timeout : DEFAULT_TIMEOUT_US;
	char hbuf[80];
	int r;

	if (!host) {
		http_host_of(hbuf, sizeof(hbuf), p->addr.family, &p->addr.u, p->port, t->tls);
		host = hbuf;
	}
	r = http_request_format(t->req, sizeof(t->req), u->path, host, p->cfg->http_protocol);
	if (r < 0) {
		finish(t, CHECK_CONFIG, "GET %.40s: %s", u->path,
		       r == -EINVAL ? "path or Host has a control character" : "request too long");
		return;
	}
	t->req_len = (size_t)r;
	t->req_off = 0;
	http_parser_init(&t->parser, http_sink_feed, &t->sink);
	if (http_sink_init(&t->sink, u->has_digest, u->regex_min_offset,
			   u->regex ? HTTP_REGEX_WINDOW : 0) < 0) {
		finish(t, CHECK_INTERNAL, "out of memory");
		return;
	}
	r = check_sock_open(p->cfg, &p->addr, p->port, SOCK_STREAM, 0, &step);
	if (r < 0) {
		finish(t, check_sock_open_cause(step, -r), "%s: %s", step, strerror(-r));
		return;
	}
	t->fd = r;
	t->conn = calloc(1, sizeof(*t->conn));
	if (!t->conn) {
		finish(t, CHECK_INTERNAL, "out of memory");
		return;
	}
	if (uv_poll_init_socket(check_engine_loop(t->a->e), &t->conn->poll, t->fd) < 0) {
		free(t->conn);
		t->conn = NULL;
		finish(t, CHECK_INTERNAL, "cannot poll the socket");
		return;
	}
	t->conn->t = t;
	t->conn->poll.data = t->conn;
	t->open++;
	t->phase = PH_CONNECT;
	want(t, UV_WRITABLE);
	uv_timer_start(&t->timer, on_timeout, (ct + 999) / 1000, 0);
}

static void http_start_common(struct check_attempt *a, bool tls)
{
	const struct conf_check *c = a->p->cfg;
	struct http_att *t;

	if (!c->urls.head) {
		check_attempt_done(a, CHECK_CONFIG, CHECK_WEIGHT_NONE, "no url to check");
		return;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	t->a = a;
	t->tls = tls;
	t->fd = -1;
	t->url = (const struct conf_http_url *)(const void *)c->urls.head;
	uv_timer_init(check_engine_loop(a->e), &t->timer);
	t->timer.data = t;
	t->open = 1;
	a->priv = t;
	url_start(t);
}

static void http_start(struct check_attempt *a)
{
	http_start_common(a, false);
}

static void ssl_start(struct check_attempt *a)
{
	http_start_common(a, true);
}

static void http_cancel(struct check_attempt *a)
{
	struct http_att *t = a->priv;

	if (t)
		att_release(t);
}

const struct check_kind check_kind_http = {
	.name = "HTTP_GET",
	.init = http_init,
	.start = http_start,
	.cancel = http_cancel,
	.fini = http_fini,
};

const struct check_kind check_kind_ssl = {
	.name = "SSL_GET",
	.init = ssl_init,
	.start = ssl_start,
	.cancel = http_cancel,
	.fini = ssl_fini,
};
