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
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/sock.h"
#include "conf/model.h"

#define SMTP_LINE_MAX 512   /* RFC 5321 4.5.3.1.5: a reply line with its CRLF */
#define SMTP_REPLY_MAX 4096 /* every line of one reply */
#define SMTP_HELO_MAX 255

enum smtp_step { SMTP_CONNECT, SMTP_GREETING, SMTP_HELO, SMTP_QUIT };

static const char *const step_names[] = { "connection", "greeting", "reply to HELO",
					  "reply to QUIT" };
static const unsigned step_codes[] = { 0, 220, 250, 221 };

struct smtp {
	struct check_io io; /* io.a: NULL once cancelled or done (s lives until closed) */
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

/* ---- the dialogue ---- */

static void smtp_on_io(uv_poll_t *h, int status, int events);
static void smtp_next_host(struct smtp *s);

static void smtp_arm_timer(struct smtp *s);

static void smtp_fail(struct smtp *s, enum check_cause cause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void smtp_fail(struct smtp *s, enum check_cause cause, const char *fmt, ...)
{
	char why[CHECK_REASON_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (s->n_hosts > 1)
		check_io_finish(&s->io, cause, "host %s: %s", s->target, why);
	else
		check_io_finish(&s->io, cause, "%s", why);
}

static void smtp_on_timeout(uv_timer_t *t)
{
	struct smtp *s = t->data;

	smtp_fail(s, s->step == SMTP_CONNECT ? CHECK_CONNECT_TIMEOUT : CHECK_TIMEOUT,
		  "timeout waiting for the %s (%.1f s into the dialogue)", step_names[s->step],
		  (double)(uv_hrtime() - s->io.a->started_ns) / 1e9);
}

/* Each step gets connect_timeout (keepalived's rule), but the whole
 * dialogue ends SMTP_GRACE_US after connect_timeout at the latest, before
 * the engine's watchdog (connect_timeout + 5 s) would call it hung. */
#define SMTP_GRACE_US 4000000ULL

static void smtp_arm_timer(struct smtp *s)
{
	const struct check_attempt *a = s->io.a;
	uint64_t step_us = a->p->connect_timeout;
	uint64_t spent_us = (uv_hrtime() - a->started_ns) / 1000;
	uint64_t left_us = a->p->connect_timeout + SMTP_GRACE_US;
	uint64_t us;

	left_us = spent_us < left_us ? left_us - spent_us : 0;
	us = step_us < left_us ? step_us : left_us;
	check_io_arm(&s->io, smtp_on_timeout, us);
}

/* Queues one command (helo is at most SMTP_HELO_MAX bytes, so it fits). */
static void smtp_send(struct smtp *s, const char *verb, const char *arg)
{
	int n = snprintf(s->out, sizeof(s->out), "%s%s%s\r\n", verb, arg ? " " : "",
			 arg ? arg : "");

	s->out_len = (size_t)n;
	s->out_off = 0;
	uv_poll_start(s->io.poll, UV_WRITABLE | UV_READABLE, smtp_on_io);
}

/* One complete reply with code `code` arrived for the current step. */
static void smtp_reply_done(struct smtp *s, int code)
{
	if (code != (int)step_codes[s->step]) {
		smtp_fail(s, CHECK_SMTP_REPLY, "%s: expected %u, got %.60s", step_names[s->step],
			  step_codes[s->step], s->line);
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
		check_io_close_conn(&s->io);
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
		smtp_fail(s, CHECK_BAD_RESPONSE, "malformed reply line during the %s: %.60s",
			  step_names[s->step], l);
		return false;
	}
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	if (s->reply_code >= 0 && code != s->reply_code) {
		smtp_fail(s, CHECK_BAD_RESPONSE, "multi-line reply changes code from %d to %d",
			  s->reply_code, code);
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

	n = recv(s->io.fd, buf, sizeof(buf), 0);
	if (n < 0) {
		int err = errno;

		if (err == EAGAIN || err == EINTR)
			return;
		smtp_fail(s, check_sock_cause(err, CHECK_IO_ERROR),
			  "receive failed during the %s: %s", step_names[s->step], strerror(err));
		return;
	}
	if (n == 0) {
		smtp_fail(s, CHECK_CLOSED, "connection closed by the server before the %s",
			  step_names[s->step]);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		char c = buf[i];

		if (++s->reply_bytes > SMTP_REPLY_MAX) {
			smtp_fail(s, CHECK_RESPONSE_TOO_LARGE,
				  "reply longer than %d bytes during the %s", SMTP_REPLY_MAX,
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
			smtp_fail(s, CHECK_BAD_RESPONSE, "NUL byte in a reply during the %s",
				  step_names[s->step]);
			return;
		}
		if (s->line_len >= SMTP_LINE_MAX) {
			smtp_fail(s, CHECK_RESPONSE_TOO_LARGE,
				  "reply line longer than %d bytes during the %s", SMTP_LINE_MAX,
				  step_names[s->step]);
			return;
		}
		s->line[s->line_len++] = c;
	}
}

static void smtp_write(struct smtp *s)
{
	ssize_t n = send(s->io.fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);

	if (n < 0) {
		int err = errno;

		if (err == EAGAIN || err == EINTR)
			return;
		smtp_fail(s, check_sock_cause(err, CHECK_IO_ERROR), "send failed during the %s: %s",
			  step_names[s->step], strerror(err));
		return;
	}
	s->out_off += (size_t)n;
	if (s->out_off == s->out_len)
		uv_poll_start(s->io.poll, UV_READABLE, smtp_on_io);
}

static void smtp_on_io(uv_poll_t *h, int status, int events)
{
	struct smtp *s = h->data;

	if (status < 0) {
		/* libuv reports POLLERR so: the cause is in SO_ERROR */
		int err = check_sock_error(s->io.fd);

		if (s->step == SMTP_CONNECT)
			smtp_fail(s, check_sock_cause(err, CHECK_CONNECT_ERROR),
				  "connect to %s failed: %s", s->target, strerror(err));
		else
			smtp_fail(s, check_sock_cause(err, CHECK_IO_ERROR),
				  "socket error during the %s: %s", step_names[s->step],
				  strerror(err));
		return;
	}
	if (s->step == SMTP_CONNECT) {
		int err = 0;
		socklen_t el = sizeof(err);

		if (getsockopt(s->io.fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err) {
			smtp_fail(s, check_sock_cause(err, CHECK_CONNECT_ERROR),
				  "connect to %s failed: %s", s->target, strerror(err));
			return;
		}
		s->step = SMTP_GREETING;
		s->reply_code = -1;
		s->reply_bytes = 0;
		s->line_len = 0;
		uv_poll_start(s->io.poll, UV_READABLE, smtp_on_io);
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
		if (!s->io.a || s->host_no != host || s->step != step)
			return;
	}
	if ((events & UV_WRITABLE) && s->out_off < s->out_len)
		smtp_write(s);
}

/* Starts the connection to host s->host_no, or finishes with success. */
static void smtp_next_host(struct smtp *s)
{
	const struct check_probe *p = s->io.a->p;
	const struct conf_check *c = p->cfg;
	const struct conf_addr *dst = &p->addr;
	unsigned port = p->port;
	const char *what;
	char ab[INET6_ADDRSTRLEN];
	int fd, rc;

	if (s->host_no >= s->n_hosts) {
		if (s->n_hosts > 1)
			check_io_finish(&s->io, CHECK_OK, "ok: %u hosts answered HELO", s->n_hosts);
		else
			check_io_finish(&s->io, CHECK_OK, "ok");
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

	fd = check_sock_open(c, dst, port, SOCK_STREAM, CHECK_SOCK_IFINDEX, &what);
	if (fd < 0) {
		smtp_fail(s, check_sock_open_cause(what, -fd), "%s for %s failed: %s", what,
			  s->target, strerror(-fd));
		return;
	}
	rc = check_io_poll(&s->io, fd);
	if (rc) {
		smtp_fail(s, CHECK_INTERNAL, "poll on the socket failed: %s", uv_strerror(rc));
		return;
	}
	uv_poll_start(s->io.poll, UV_WRITABLE, smtp_on_io);
	smtp_arm_timer(s);
}

/* The HELO name: the checker's helo_name, else global_defs smtp_helo_name,
 * else this host's name (keepalived's order). */
static int smtp_helo_name(struct smtp *s)
{
	const struct conf_model *m = check_engine_model(s->io.a->e);
	const char *n = s->io.a->p->cfg->helo_name;

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
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	check_io_init(&s->io, a, s, NULL);
	s->n_hosts = a->p->cfg->hosts.count ? a->p->cfg->hosts.count : 1;
	if (smtp_helo_name(s)) {
		check_io_finish(&s->io, CHECK_CONFIG,
				"HELO name is empty, too long or not printable ASCII");
		return;
	}
	smtp_next_host(s);
}

static void smtp_cancel(struct check_attempt *a)
{
	struct smtp *s = a->priv;

	if (s)
		check_io_cancel(&s->io);
}

const struct check_kind check_kind_smtp = {
	.name = "SMTP_CHECK",
	.start = smtp_start,
	.cancel = smtp_cancel,
};
