/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DNS_CHECK: one query (type and name from the config, random ID, RD set)
 * over a connected UDP socket to the target (port 53 unless set), as
 * keepalived 2.2.7 sends it; the attempt succeeds on the first reply that
 * answers our query with RCODE NOERROR and fails on one with another
 * RCODE. Datagrams that are not an answer to our query (other ID, not a
 * reply, another question) are ignored, as keepalived ignores a wrong ID;
 * the reason of the last one is kept for the timeout message. An ICMP port
 * unreachable fails the attempt at once. Everything must happen within
 * connect_timeout.
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

#include "check/dns_msg.h"
#include "check/engine.h"
#include "conf/model.h"

#define DNS_IGNORED_MAX 64 /* foreign datagrams per attempt before we give up */

struct dns {
	struct check_attempt *a; /* NULL once done or cancelled */
	uv_poll_t *poll;
	uv_timer_t timer;
	int fd;
	bool sent;
	unsigned ignored;
	const char *last_ignored;
	uint8_t query[DNS_MSG_QUERY_MAX];
	size_t qlen;
};

static void dns_poll_closed(uv_handle_t *h)
{
	free(h);
}

static void dns_timer_closed(uv_handle_t *h)
{
	free(h->data);
}

static void dns_free(struct dns *d)
{
	d->a = NULL;
	if (d->poll) {
		uv_poll_stop(d->poll);
		uv_close((uv_handle_t *)d->poll, dns_poll_closed);
		d->poll = NULL;
	}
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	uv_timer_stop(&d->timer);
	uv_close((uv_handle_t *)&d->timer, dns_timer_closed);
}

static void dns_finish(struct dns *d, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void dns_finish(struct dns *d, bool ok, const char *fmt, ...)
{
	struct check_attempt *a = d->a;
	char why[CHECK_REASON_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	a->priv = NULL;
	dns_free(d);
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
static int dns_socket(const struct conf_check *c, const struct conf_addr *dst, unsigned port,
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

static void dns_on_timeout(uv_timer_t *t)
{
	struct dns *d = t->data;
	double s = (double)d->a->p->connect_timeout / 1e6;

	if (!d->sent)
		dns_finish(d, false, "query could not be sent within %.1f s", s);
	else if (d->last_ignored)
		dns_finish(d, false, "no valid reply within %.1f s (last ignored: %s)", s,
			   d->last_ignored);
	else
		dns_finish(d, false, "no reply within %.1f s", s);
}

static void dns_on_io(uv_poll_t *h, int status, int events)
{
	struct dns *d = h->data;
	uint8_t buf[DNS_MSG_REPLY_MAX];
	char rbuf[64];
	const char *why;
	ssize_t n;

	if (status < 0) {
		/* libuv reports POLLERR so: the ICMP error is in SO_ERROR */
		int err = 0;
		socklen_t el = sizeof(err);

		if (getsockopt(d->fd, SOL_SOCKET, SO_ERROR, &err, &el) || !err)
			err = EIO;
		dns_finish(d, false, "%s%s", strerror(err),
			   err == ECONNREFUSED ? " (ICMP port unreachable)" : "");
		return;
	}
	if (!d->sent && (events & UV_WRITABLE)) {
		n = send(d->fd, d->query, d->qlen, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			dns_finish(d, false, "send failed: %s%s", strerror(errno),
				   errno == ECONNREFUSED ? " (ICMP port unreachable)" : "");
			return;
		}
		if ((size_t)n != d->qlen) {
			dns_finish(d, false, "query sent short (%zd of %zu bytes)", n, d->qlen);
			return;
		}
		d->sent = true;
		uv_poll_start(d->poll, UV_READABLE, dns_on_io);
		return;
	}
	if (!(events & UV_READABLE))
		return;
	for (;;) {
		n = recv(d->fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			dns_finish(d, false, "receive failed: %s%s", strerror(errno),
				   errno == ECONNREFUSED ? " (ICMP port unreachable)" : "");
			return;
		}
		/* MSG_TRUNC: n is the datagram's real length; we judge what fits */
		switch (dns_msg_check_reply(d->query, d->qlen, buf,
					    (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf), &why,
					    rbuf, sizeof(rbuf))) {
		case DNS_REPLY_OK:
			dns_finish(d, true, "ok");
			return;
		case DNS_REPLY_FAILED:
			dns_finish(d, false, "%s", why);
			return;
		case DNS_REPLY_FOREIGN:
			d->last_ignored = why;
			if (++d->ignored >= DNS_IGNORED_MAX) {
				dns_finish(d, false,
					   "%u datagrams that are not our answer (last: %s)",
					   d->ignored, why);
				return;
			}
			break;
		}
	}
}

static void dns_start(struct check_attempt *a)
{
	const struct check_probe *p = a->p;
	const struct conf_check *c = p->cfg;
	struct dns *d = calloc(1, sizeof(*d));
	uint16_t id, qtype;
	const char *what;
	uint64_t ms;
	int rc, fd;

	if (!d) {
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	d->a = a;
	d->fd = -1;
	uv_timer_init(check_engine_loop(a->e), &d->timer);
	d->timer.data = d;
	a->priv = d;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(random() ^ (long)uv_hrtime());
	qtype = dns_msg_qtype(c->dns_type);
	rc = qtype ? dns_msg_query(d->query, sizeof(d->query), id, qtype, c->dns_name) : -EINVAL;
	if (rc < 0) {
		dns_finish(d, false, "cannot build a query for name '%.60s'",
			   c->dns_name ? c->dns_name : "");
		return;
	}
	d->qlen = (size_t)rc;

	fd = dns_socket(c, &p->addr, p->port, &what);
	if (fd < 0) {
		dns_finish(d, false, "%s failed: %s", what, strerror(-fd));
		return;
	}
	d->fd = fd;
	d->poll = malloc(sizeof(*d->poll));
	rc = d->poll ? uv_poll_init_socket(check_engine_loop(a->e), d->poll, fd) : UV_ENOMEM;
	if (rc) {
		free(d->poll);
		d->poll = NULL;
		dns_finish(d, false, "poll on the socket failed: %s", uv_strerror(rc));
		return;
	}
	d->poll->data = d;
	uv_poll_start(d->poll, UV_WRITABLE | UV_READABLE, dns_on_io);
	ms = (p->connect_timeout + 999) / 1000;
	uv_update_time(check_engine_loop(a->e)); /* the loop's cached time may be stale */
	uv_timer_start(&d->timer, dns_on_timeout, ms ? ms : 1, 0);
}

static void dns_cancel(struct check_attempt *a)
{
	struct dns *d = a->priv;

	if (!d)
		return;
	a->priv = NULL;
	dns_free(d);
}

const struct check_kind check_kind_dns = {
	.name = "DNS_CHECK",
	.start = dns_start,
	.cancel = dns_cancel,
};
