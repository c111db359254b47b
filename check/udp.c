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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/sock.h"
#include "conf/model.h"

#define UDP_DEFAULT_PAYLOAD 16

struct udp {
	struct check_io io;
	bool sent;
	uint8_t rnd[UDP_DEFAULT_PAYLOAD];
	uint8_t *buf; /* the pattern's length of a reply */
	size_t buf_len;
};

static void udp_cleanup(struct check_io *io)
{
	struct udp *u = io->owner;

	free(u->buf);
	u->buf = NULL;
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
	const struct conf_check *c = u->io.a->p->cfg;
	double s = (double)u->io.a->p->connect_timeout / 1e6;

	if (!u->sent)
		check_io_finish(&u->io, CHECK_TIMEOUT, "payload could not be sent within %.1f s",
				s);
	else if (c->require_reply)
		check_io_finish(&u->io, CHECK_NO_REPLY, "no reply within %.1f s", s);
	else
		check_io_finish(&u->io, CHECK_OK, "ok: no ICMP error within %.1f s", s);
}

/* Judges one reply of real length len (u->buf holds its first bytes). */
static void udp_judge(struct udp *u, size_t len)
{
	const struct conf_check *c = u->io.a->p->cfg;
	const struct conf_hexbytes *r = &c->reply;
	size_t n = len < r->len ? len : r->len;

	if (!c->require_reply) {
		check_io_finish(&u->io, CHECK_OK, "ok: got a %zu-byte reply", len);
		return;
	}
	if (len < c->min_reply_length) {
		check_io_finish(&u->io, CHECK_UDP_REPLY,
				"reply of %zu bytes is shorter than min_reply_length %u", len,
				c->min_reply_length);
		return;
	}
	if (len > c->max_reply_length) {
		check_io_finish(&u->io, CHECK_UDP_REPLY,
				"reply of %zu bytes is longer than max_reply_length %u", len,
				c->max_reply_length);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t mask = r->mask ? r->mask[i] : 0xff;

		if ((u->buf[i] ^ r->data[i]) & mask) {
			check_io_finish(&u->io, CHECK_UDP_REPLY,
					"reply byte %zu is 0x%02x, require_reply wants 0x%02x", i,
					u->buf[i], r->data[i]);
			return;
		}
	}
	check_io_finish(&u->io, CHECK_OK, "ok: %zu-byte reply matches", len);
}

static void udp_on_io(uv_poll_t *h, int status, int events)
{
	struct udp *u = h->data;
	const struct conf_check *c = u->io.a->p->cfg;
	ssize_t n;
	int err;

	if (status < 0) {
		/* libuv reports POLLERR so: the ICMP error is in SO_ERROR */
		err = check_sock_error(u->io.fd);

		check_io_finish(&u->io, check_sock_cause(err, CHECK_IO_ERROR), "%s%s",
				strerror(err), icmp_word(err));
		return;
	}
	if (!u->sent && (events & UV_WRITABLE)) {
		const uint8_t *pl = c->payload.len ? c->payload.data : u->rnd;
		size_t pl_len = c->payload.len ? c->payload.len : sizeof(u->rnd);

		n = send(u->io.fd, pl, pl_len, 0);
		err = errno;
		if (n < 0 && (err == EAGAIN || err == EINTR))
			return;
		if (n < 0) {
			check_io_finish(&u->io, check_sock_cause(err, CHECK_IO_ERROR),
					"send failed: %s%s", strerror(err), icmp_word(err));
			return;
		}
		u->sent = true;
		uv_poll_start(u->io.poll, UV_READABLE, udp_on_io);
		return;
	}
	if (!(events & UV_READABLE))
		return;
	/* a zero-length buffer still yields the real length with MSG_TRUNC */
	n = recv(u->io.fd, u->buf, u->buf_len, MSG_TRUNC);
	err = errno;
	if (n < 0) {
		if (err == EAGAIN || err == EINTR)
			return;
		check_io_finish(&u->io, check_sock_cause(err, CHECK_IO_ERROR), "%s%s",
				strerror(err), icmp_word(err));
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
	int rc, fd;

	if (!u) {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	check_io_init(&u->io, a, u, udp_cleanup);

	u->buf_len = c->reply.len;
	u->buf = malloc(u->buf_len + 1);
	if (!u->buf) {
		check_io_finish(&u->io, CHECK_INTERNAL, "out of memory");
		return;
	}
	if (!c->payload.len && getrandom(u->rnd, sizeof(u->rnd), GRND_NONBLOCK) < 0) {
		for (size_t i = 0; i < sizeof(u->rnd); i++)
			u->rnd[i] = (uint8_t)random();
	}
	fd = check_sock_open(c, &p->addr, p->port, SOCK_DGRAM, CHECK_SOCK_IFINDEX, &what);
	if (fd < 0) {
		check_io_finish(&u->io, check_sock_open_cause(what, -fd), "%s failed: %s", what,
				strerror(-fd));
		return;
	}
	rc = check_io_poll(&u->io, fd);
	if (rc) {
		check_io_finish(&u->io, CHECK_INTERNAL, "poll on the socket failed: %s",
				uv_strerror(rc));
		return;
	}
	uv_poll_start(u->io.poll, UV_WRITABLE, udp_on_io);
	check_io_arm(&u->io, udp_on_timeout, p->connect_timeout);
}

static void udp_cancel(struct check_attempt *a)
{
	struct udp *u = a->priv;

	if (u)
		check_io_cancel(&u->io);
}

const struct check_kind check_kind_udp = {
	.name = "UDP_CHECK",
	.start = udp_start,
	.cancel = udp_cancel,
};
