/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP_CHECK (keepalived 2.2.7): send the payload (16 random bytes when none
 * is configured) on a connected UDP socket to the target.
 * - require_reply: a datagram must come back within connect_timeout; its
 *   length must lie in [min_reply_length, max_reply_length] and, when
 *   require_reply has a hex string, its first min(length, pattern length)
 *   bytes must match the pattern (x nibbles match anything).
 * - otherwise the attempt succeeds unless an ICMP error (port, host or net
 *   unreachable: the connected socket reports ECONNREFUSED, EHOSTUNREACH,
 *   ENETUNREACH) arrives within connect_timeout; a reply ends it early.
 * Only the pattern's length of a reply is kept (MSG_TRUNC gives the real
 * length), so memory per attempt is bounded by the config.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "conf/model.h"

#define UDP_DEFAULT_PAYLOAD 16

struct udp {
	struct check_attempt *a; /* NULL once done or cancelled */
	uv_poll_t *poll;
	uv_timer_t timer;
	int fd;
	bool sent;
	uint8_t rnd[UDP_DEFAULT_PAYLOAD];
	uint8_t *buf; /* the pattern's length of a reply */
	size_t buf_len;
};

static void udp_poll_closed(uv_handle_t *h)
{
	free(h);
}

static void udp_timer_closed(uv_handle_t *h)
{
	struct udp *u = h->data;

	free(u->buf);
	free(u);
}

static void udp_free(struct udp *u)
{
	u->a = NULL;
	if (u->poll) {
		uv_poll_stop(u->poll);
		uv_close((uv_handle_t *)u->poll, udp_poll_closed);
		u->poll = NULL;
	}
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	uv_timer_stop(&u->timer);
	uv_close((uv_handle_t *)&u->timer, udp_timer_closed);
}

static void udp_finish(struct udp *u, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void udp_finish(struct udp *u, bool ok, const char *fmt, ...)
{
	struct check_attempt *a = u->a;
	char why[CHECK_REASON_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	a->priv = NULL;
	udp_free(u);
	check_attempt_done(a, ok, CHECK_WEIGHT_NONE, "%s", why);
}

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

/* A non-blocking UDP socket connected to dst:port with c's options, or
 * -errno with *what naming the step that failed. */
static int udp_socket(const struct conf_check *c, const struct conf_addr *dst, unsigned port,
		      const char **what)
{
	struct sockaddr_storage ss;
	unsigned scope = 0;
	socklen_t sl;
	int fd, err;

	*what = "socket";
	fd = socket(dst->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
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
	if (connect(fd, (struct sockaddr *)&ss, sl))
		goto fail;
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

static const char *icmp_word(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return " (ICMP port unreachable)";
	case EHOSTUNREACH:
		return " (ICMP host unreachable)";
	case ENETUNREACH:
		return " (ICMP net unreachable)";
	default:
		return "";
	}
}

static void udp_on_timeout(uv_timer_t *t)
{
	struct udp *u = t->data;
	const struct conf_check *c = u->a->p->cfg;
	double s = (double)u->a->p->connect_timeout / 1e6;

	if (!u->sent)
		udp_finish(u, false, "payload could not be sent within %.1f s", s);
	else if (c->require_reply)
		udp_finish(u, false, "no reply within %.1f s", s);
	else
		udp_finish(u, true, "ok: no ICMP error within %.1f s", s);
}

/* Judges one reply of real length len (u->buf holds its first bytes). */
static void udp_judge(struct udp *u, size_t len)
{
	const struct conf_check *c = u->a->p->cfg;
	const struct conf_hexbytes *r = &c->reply;
	size_t n = len < r->len ? len : r->len;

	if (!c->require_reply) {
		udp_finish(u, true, "ok: got a %zu-byte reply", len);
		return;
	}
	if (len < c->min_reply_length) {
		udp_finish(u, false, "reply of %zu bytes is shorter than min_reply_length %u", len,
			   c->min_reply_length);
		return;
	}
	if (len > c->max_reply_length) {
		udp_finish(u, false, "reply of %zu bytes is longer than max_reply_length %u", len,
			   c->max_reply_length);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t mask = r->mask ? r->mask[i] : 0xff;

		if ((u->buf[i] ^ r->data[i]) & mask) {
			udp_finish(u, false, "reply byte %zu is 0x%02x, require_reply wants 0x%02x",
				   i, u->buf[i], r->data[i]);
			return;
		}
	}
	udp_finish(u, true, "ok: %zu-byte reply matches", len);
}

static void udp_on_io(uv_poll_t *h, int status, int events)
{
	struct udp *u = h->data;
	const struct conf_check *c = u->a->p->cfg;
	ssize_t n;

	if (status < 0) {
		/* libuv reports POLLERR so: the ICMP error is in SO_ERROR */
		int err = 0;
		socklen_t el = sizeof(err);

		if (getsockopt(u->fd, SOL_SOCKET, SO_ERROR, &err, &el) || !err)
			err = EIO;
		udp_finish(u, false, "%s%s", strerror(err), icmp_word(err));
		return;
	}
	if (!u->sent && (events & UV_WRITABLE)) {
		const uint8_t *pl = c->payload.len ? c->payload.data : u->rnd;
		size_t pl_len = c->payload.len ? c->payload.len : sizeof(u->rnd);

		n = send(u->fd, pl, pl_len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			udp_finish(u, false, "send failed: %s%s", strerror(errno),
				   icmp_word(errno));
			return;
		}
		u->sent = true;
		uv_poll_start(u->poll, UV_READABLE, udp_on_io);
		return;
	}
	if (!(events & UV_READABLE))
		return;
	/* a zero-length buffer still yields the real length with MSG_TRUNC */
	n = recv(u->fd, u->buf, u->buf_len, MSG_TRUNC);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		udp_finish(u, false, "%s%s", strerror(errno), icmp_word(errno));
		return;
	}
	udp_judge(u, (size_t)n);
}

static void udp_start(struct check_attempt *a)
{
	const struct check_probe *p = a->p;
	const struct conf_check *c = p->cfg;
	struct udp *u = calloc(1, sizeof(*u));
	const char *what;
	uint64_t ms;
	int rc, fd;

	if (!u) {
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	u->a = a;
	u->fd = -1;
	uv_timer_init(check_engine_loop(a->e), &u->timer);
	u->timer.data = u;
	a->priv = u;

	u->buf_len = c->reply.len;
	u->buf = malloc(u->buf_len + 1);
	if (!u->buf) {
		udp_finish(u, false, "out of memory");
		return;
	}
	if (!c->payload.len && getrandom(u->rnd, sizeof(u->rnd), GRND_NONBLOCK) < 0) {
		for (size_t i = 0; i < sizeof(u->rnd); i++)
			u->rnd[i] = (uint8_t)random();
	}
	fd = udp_socket(c, &p->addr, p->port, &what);
	if (fd < 0) {
		udp_finish(u, false, "%s failed: %s", what, strerror(-fd));
		return;
	}
	u->fd = fd;
	u->poll = malloc(sizeof(*u->poll));
	rc = u->poll ? uv_poll_init_socket(check_engine_loop(a->e), u->poll, fd) : UV_ENOMEM;
	if (rc) {
		free(u->poll);
		u->poll = NULL;
		udp_finish(u, false, "poll on the socket failed: %s", uv_strerror(rc));
		return;
	}
	u->poll->data = u;
	uv_poll_start(u->poll, UV_WRITABLE, udp_on_io);
	ms = (p->connect_timeout + 999) / 1000;
	uv_update_time(check_engine_loop(a->e)); /* the loop's cached time may be stale */
	uv_timer_start(&u->timer, udp_on_timeout, ms ? ms : 1, 0);
}

static void udp_cancel(struct check_attempt *a)
{
	struct udp *u = a->priv;

	if (!u)
		return;
	a->priv = NULL;
	udp_free(u);
}

const struct check_kind check_kind_udp = {
	.name = "UDP_CHECK",
	.start = udp_start,
	.cancel = udp_cancel,
};
