/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMTP_CHECK: for each host in turn (the host { } blocks, or the checker's
 * own target when it has none), connect, read the 220 greeting, send
 * "HELO name", expect 250, send QUIT, expect 221 (RFC 5321 4.2, 4.3.2), as
 * keepalived 2.2.7 does. The attempt succeeds when every host did and
 * fails on the first host that does not, naming it.
 *
 * Replies are untrusted: a line is at most SMTP_LINE_MAX bytes, one reply
 * at most SMTP_REPLY_MAX bytes (multi-line "250-..." replies included),
 * every line of a multi-line reply must carry the same code, and each step
 * (connect, each reply) must finish within connect_timeout.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "conf/model.h"

#define SMTP_LINE_MAX 512   /* RFC 5321 4.5.3.1.5: a reply line with its CRLF */
#define SMTP_REPLY_MAX 4096 /* every line of one reply */
#define SMTP_HELO_MAX 255

enum smtp_step { SMTP_CONNECT, SMTP_GREETING, SMTP_HELO, SMTP_QUIT };

static const char *const step_names[] = { "connection", "greeting", "reply to HELO",
					  "reply to QUIT" };
static const unsigned step_codes[] = { 0, 220, 250, 221 };

struct smtp {
	struct check_attempt *a; /* NULL once cancelled or done (s lives until closed) */
	uv_poll_t *poll;	 /* one per connection; freed by its close callback */
	uv_timer_t timer;
	int fd;
	unsigned host_no, n_hosts;
	enum smtp_step step;
	char helo[SMTP_HELO_MAX + 1];
	char out[SMTP_HELO_MAX + 16];
	size_t out_len, out_off;
	char line[SMTP_LINE_MAX + 1];
	size_t line_len;
	size_t reply_bytes;
	int reply_code; /* of the first line of the reply being read, -1: none yet */
	char target[INET6_ADDRSTRLEN + 16];
};

static void smtp_poll_closed(uv_handle_t *h)
{
	free(h);
}

static void smtp_timer_closed(uv_handle_t *h)
{
	free(h->data);
}

static void smtp_close_conn(struct smtp *s)
{
	if (s->poll) {
		uv_poll_stop(s->poll);
		uv_close((uv_handle_t *)s->poll, smtp_poll_closed);
		s->poll = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
}

/* Frees everything; the struct itself goes when its timer has closed. */
static void smtp_free(struct smtp *s)
{
	s->a = NULL;
	smtp_close_conn(s);
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, smtp_timer_closed);
}

static void smtp_finish(struct smtp *s, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void smtp_finish(struct smtp *s, bool ok, const char *fmt, ...)
{
	struct check_attempt *a = s->a;
	char why[CHECK_REASON_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	a->priv = NULL;
	smtp_free(s);
	check_attempt_done(a, ok, CHECK_WEIGHT_NONE, "%s", why);
}

/* ---- the socket: connect_ip/port, bindto, bind_port, bind_if, fwmark ---- */

static socklen_t fill_sa(struct sockaddr_storage *ss, const struct conf_addr *a, unsigned port,
			 unsigned scope)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->u.v6;
		s6->sin6_port = htons((uint16_t)port);
		if (IN6_IS_ADDR_LINKLOCAL(&a->u.v6))
			s6->sin6_scope_id = scope;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_addr = a->u.v4;
	s4->sin_port = htons((uint16_t)port);
	return sizeof(*s4);
}

/* A non-blocking TCP socket connecting to dst:port with c's options, or
 * -errno with *what naming the step that failed. */
static int smtp_connect(const struct conf_check *c, const struct conf_addr *dst, unsigned port,
			const char **what)
{
	struct sockaddr_storage ss;
	unsigned scope = 0;
	socklen_t sl;
	int fd, err;

	*what = "socket";
	fd = socket(dst->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	if (c->fwmark) {
		*what = "SO_MARK";
		if (setsockopt(fd, SOL_SOCKET, SO_MARK, &c->fwmark, sizeof(c->fwmark)))
			goto fail;
	}
	if (c->bind_if) {
		*what = "bind_if";
		scope = if_nametoindex(c->bind_if);
		if (!scope || setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if,
					 (socklen_t)strlen(c->bind_if) + 1)) {
			if (!scope)
				errno = ENODEV;
			goto fail;
		}
	}
	if (c->bindto.family || c->bind_port) {
		struct conf_addr any = { .family = dst->family };
		const struct conf_addr *src = c->bindto.family ? &c->bindto : &any;

		*what = "bind";
		if (src->family != dst->family) {
			errno = EAFNOSUPPORT;
			goto fail;
		}
		sl = fill_sa(&ss, src, c->bind_port, scope);
		if (bind(fd, (struct sockaddr *)&ss, sl))
			goto fail;
	}
	*what = "connect";
	sl = fill_sa(&ss, dst, port, scope);
	if (connect(fd, (struct sockaddr *)&ss, sl) && errno != EINPROGRESS)
		goto fail;
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

/* ---- the dialogue ---- */

static void smtp_on_io(uv_poll_t *h, int status, int events);
static void smtp_next_host(struct smtp *s);

static void smtp_arm_timer(struct smtp *s);

static void smtp_fail(struct smtp *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void smtp_fail(struct smtp *s, const char *fmt, ...)
{
	char why[CHECK_REASON_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (s->n_hosts > 1)
		smtp_finish(s, false, "host %s: %s", s->target, why);
	else
		smtp_finish(s, false, "%s", why);
}

static void smtp_on_timeout(uv_timer_t *t)
{
	struct smtp *s = t->data;

	smtp_fail(s, "timeout waiting for the %s (%.1f s into the dialogue)", step_names[s->step],
		  (double)(uv_hrtime() - s->a->started_ns) / 1e9);
}

/* Each step gets connect_timeout (keepalived's rule), but the whole
 * dialogue ends SMTP_GRACE_US after connect_timeout at the latest, before
 * the engine's watchdog (connect_timeout + 5 s) would call it hung. */
#define SMTP_GRACE_US 4000000ULL

static void smtp_arm_timer(struct smtp *s)
{
	const struct check_attempt *a = s->a;
	uint64_t step_us = a->p->connect_timeout;
	uint64_t spent_us = (uv_hrtime() - a->started_ns) / 1000;
	uint64_t left_us = a->p->connect_timeout + SMTP_GRACE_US;
	uint64_t us;

	left_us = spent_us < left_us ? left_us - spent_us : 0;
	us = step_us < left_us ? step_us : left_us;
	uv_update_time(check_engine_loop(s->a->e)); /* the loop's cached time may be stale */
	uv_timer_start(&s->timer, smtp_on_timeout, us / 1000 ? (us + 999) / 1000 : 1, 0);
}

/* Queues one command (helo is at most SMTP_HELO_MAX bytes, so it fits). */
static void smtp_send(struct smtp *s, const char *verb, const char *arg)
{
	int n = snprintf(s->out, sizeof(s->out), "%s%s%s\r\n", verb, arg ? " " : "",
			 arg ? arg : "");

	s->out_len = (size_t)n;
	s->out_off = 0;
	uv_poll_start(s->poll, UV_WRITABLE | UV_READABLE, smtp_on_io);
}

/* One complete reply with code `code` arrived for the current step. */
static void smtp_reply_done(struct smtp *s, int code)
{
	if (code != (int)step_codes[s->step]) {
		smtp_fail(s, "%s: expected %u, got %.60s", step_names[s->step], step_codes[s->step],
			  s->line);
		return;
	}
	s->reply_code = -1;
	s->reply_bytes = 0;
	s->line_len = 0;
	switch (s->step) {
	case SMTP_GREETING:
		s->step = SMTP_HELO;
		smtp_send(s, "HELO", s->helo);
		break;
	case SMTP_HELO:
		s->step = SMTP_QUIT;
		smtp_send(s, "QUIT", NULL);
		break;
	case SMTP_QUIT:
		smtp_close_conn(s);
		s->host_no++;
		smtp_next_host(s);
		return;
	default:
		break;
	}
	smtp_arm_timer(s);
}

/* One line (CRLF removed, NUL-terminated in s->line). Returns false when
 * the attempt ended. */
static bool smtp_line(struct smtp *s)
{
	const char *l = s->line;
	int code;

	if (s->line_len < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' || l[2] < '0' ||
	    l[2] > '9' || (s->line_len > 3 && l[3] != ' ' && l[3] != '-')) {
		smtp_fail(s, "malformed reply line during the %s: %.60s", step_names[s->step], l);
		return false;
	}
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	if (s->reply_code >= 0 && code != s->reply_code) {
		smtp_fail(s, "multi-line reply changes code from %d to %d", s->reply_code, code);
		return false;
	}
	s->reply_code = code;
	if (s->line_len > 3 && l[3] == '-')
		return true; /* more lines follow */
	smtp_reply_done(s, code);
	return false; /* the buffer is stale now (next step or end) */
}

static void smtp_read(struct smtp *s)
{
	char buf[1024];
	ssize_t n;

	n = recv(s->fd, buf, sizeof(buf), 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		smtp_fail(s, "receive failed during the %s: %s", step_names[s->step],
			  strerror(errno));
		return;
	}
	if (n == 0) {
		smtp_fail(s, "connection closed by the server before the %s", step_names[s->step]);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		char c = buf[i];

		if (++s->reply_bytes > SMTP_REPLY_MAX) {
			smtp_fail(s, "reply longer than %d bytes during the %s", SMTP_REPLY_MAX,
				  step_names[s->step]);
			return;
		}
		if (c == '\n') {
			if (s->line_len && s->line[s->line_len - 1] == '\r')
				s->line_len--;
			s->line[s->line_len] = '\0';
			if (!smtp_line(s))
				return; /* finished, or the step changed: drop the rest */
			s->line_len = 0;
			continue;
		}
		if (c == '\0') {
			smtp_fail(s, "NUL byte in a reply during the %s", step_names[s->step]);
			return;
		}
		if (s->line_len >= SMTP_LINE_MAX) {
			smtp_fail(s, "reply line longer than %d bytes during the %s", SMTP_LINE_MAX,
				  step_names[s->step]);
			return;
		}
		s->line[s->line_len++] = c;
	}
}

static void smtp_write(struct smtp *s)
{
	ssize_t n = send(s->fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		smtp_fail(s, "send failed during the %s: %s", step_names[s->step], strerror(errno));
		return;
	}
	s->out_off += (size_t)n;
	if (s->out_off == s->out_len)
		uv_poll_start(s->poll, UV_READABLE, smtp_on_io);
}

static void smtp_on_io(uv_poll_t *h, int status, int events)
{
	struct smtp *s = h->data;

	if (status < 0) {
		/* libuv reports POLLERR so: the cause is in SO_ERROR */
		int err = 0;
		socklen_t el = sizeof(err);

		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el) || !err)
			err = EIO;
		if (s->step == SMTP_CONNECT)
			smtp_fail(s, "connect to %s failed: %s", s->target, strerror(err));
		else
			smtp_fail(s, "socket error during the %s: %s", step_names[s->step],
				  strerror(err));
		return;
	}
	if (s->step == SMTP_CONNECT) {
		int err = 0;
		socklen_t el = sizeof(err);

		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err) {
			smtp_fail(s, "connect to %s failed: %s", s->target, strerror(err));
			return;
		}
		s->step = SMTP_GREETING;
		s->reply_code = -1;
		s->reply_bytes = 0;
		s->line_len = 0;
		uv_poll_start(s->poll, UV_READABLE, smtp_on_io);
		smtp_arm_timer(s);
		return;
	}
	if (events & UV_READABLE) {
		unsigned host = s->host_no;
		enum smtp_step step = s->step;

		smtp_read(s);
		/* smtp_read may have finished the attempt (s stays allocated
		 * until its timer closes) or moved on: write only if we are
		 * still in the same place */
		if (!s->a || s->host_no != host || s->step != step)
			return;
	}
	if ((events & UV_WRITABLE) && s->out_off < s->out_len)
		smtp_write(s);
}

/* Starts the connection to host s->host_no, or finishes with success. */
static void smtp_next_host(struct smtp *s)
{
	const struct check_probe *p = s->a->p;
	const struct conf_check *c = p->cfg;
	const struct conf_addr *dst = &p->addr;
	unsigned port = p->port;
	const char *what;
	char ab[INET6_ADDRSTRLEN];
	int fd, rc;

	if (s->host_no >= s->n_hosts) {
		if (s->n_hosts > 1)
			smtp_finish(s, true, "ok: %u hosts answered HELO", s->n_hosts);
		else
			smtp_finish(s, true, "ok");
		return;
	}
	if (c->hosts.count) {
		unsigned i = 0;

		conf_list_for_each (struct conf_check, h, &c->hosts) {
			if (i++ == s->host_no) {
				c = h;
				break;
			}
		}
		dst = &c->connect_ip;
		port = c->connect_port;
	}
	snprintf(s->target, sizeof(s->target), dst->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 conf_addr_str(dst, ab), port);
	s->step = SMTP_CONNECT;
	s->out_len = s->out_off = 0;
	s->line_len = 0;
	s->reply_code = -1;
	s->reply_bytes = 0;

	fd = smtp_connect(c, dst, port, &what);
	if (fd < 0) {
		smtp_fail(s, "%s for %s failed: %s", what, s->target, strerror(-fd));
		return;
	}
	s->fd = fd;
	s->poll = malloc(sizeof(*s->poll));
	rc = s->poll ? uv_poll_init_socket(check_engine_loop(s->a->e), s->poll, fd) : UV_ENOMEM;
	if (rc) {
		free(s->poll);
		s->poll = NULL;
		smtp_fail(s, "poll on the socket failed: %s", uv_strerror(rc));
		return;
	}
	s->poll->data = s;
	uv_poll_start(s->poll, UV_WRITABLE, smtp_on_io);
	smtp_arm_timer(s);
}

/* The HELO name: the checker's helo_name, else global_defs smtp_helo_name,
 * else this host's name (keepalived's order). */
static int smtp_helo_name(struct smtp *s)
{
	const struct conf_model *m = check_engine_model(s->a->e);
	const char *n = s->a->p->cfg->helo_name;

	if (!n && m)
		n = m->global.smtp_helo_name;
	if (n) {
		if (strlen(n) > SMTP_HELO_MAX)
			return -1;
		strcpy(s->helo, n);
	} else {
		if (gethostname(s->helo, sizeof(s->helo)))
			strcpy(s->helo, "localhost");
		s->helo[SMTP_HELO_MAX] = '\0';
	}
	for (const char *c = s->helo; *c; c++)
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
			return -1;
	return s->helo[0] ? 0 : -1;
}

static void smtp_start(struct check_attempt *a)
{
	struct smtp *s = calloc(1, sizeof(*s));

	if (!s) {
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	s->a = a;
	s->fd = -1;
	s->n_hosts = a->p->cfg->hosts.count ? a->p->cfg->hosts.count : 1;
	uv_timer_init(check_engine_loop(a->e), &s->timer);
	s->timer.data = s;
	a->priv = s;
	if (smtp_helo_name(s)) {
		smtp_finish(s, false, "HELO name is empty, too long or not printable ASCII");
		return;
	}
	smtp_next_host(s);
}

static void smtp_cancel(struct check_attempt *a)
{
	struct smtp *s = a->priv;

	if (!s)
		return;
	a->priv = NULL;
	smtp_free(s);
}

const struct check_kind check_kind_smtp = {
	.name = "SMTP_CHECK",
	.start = smtp_start,
	.cancel = smtp_cancel,
};
