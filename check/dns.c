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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/dns_msg.h"
#include "check/engine.h"
#include "check/sock.h"
#include "conf/model.h"

#define DNS_IGNORED_MAX 64 /* foreign datagrams per attempt before we give up */

struct dns {
	struct check_io io;
	bool sent;
	unsigned ignored;
	const char *last_ignored;
	uint8_t query[DNS_MSG_QUERY_MAX];
	size_t qlen;
};

static void dns_on_timeout(uv_timer_t *t)
{
	struct dns *d = t->data;
	double s = (double)d->io.a->p->connect_timeout / 1e6;

	if (!d->sent)
		check_io_finish(&d->io, CHECK_TIMEOUT, "query could not be sent within %.1f s", s);
	else if (d->last_ignored)
		check_io_finish(&d->io, CHECK_NO_REPLY,
				"no valid reply within %.1f s (last ignored: %s)", s,
				d->last_ignored);
	else
		check_io_finish(&d->io, CHECK_NO_REPLY, "no reply within %.1f s", s);
}

static void dns_on_io(uv_poll_t *h, int status, int events)
{
	struct dns *d = h->data;
	uint8_t buf[DNS_MSG_REPLY_MAX];
	char rbuf[64];
	const char *why;
	ssize_t n;
	int err;

	if (status < 0) {
		/* libuv reports POLLERR so: the ICMP error is in SO_ERROR */
		err = check_sock_error(d->io.fd);

		check_io_finish(&d->io, check_sock_cause(err, CHECK_IO_ERROR), "%s%s",
				strerror(err),
				err == ECONNREFUSED ? " (ICMP port unreachable)" : "");
		return;
	}
	if (!d->sent && (events & UV_WRITABLE)) {
		n = send(d->io.fd, d->query, d->qlen, 0);
		err = errno;
		if (n < 0 && (err == EAGAIN || err == EINTR))
			return;
		if (n < 0) {
			check_io_finish(&d->io, check_sock_cause(err, CHECK_IO_ERROR),
					"send failed: %s%s", strerror(err),
					err == ECONNREFUSED ? " (ICMP port unreachable)" : "");
			return;
		}
		if ((size_t)n != d->qlen) {
			check_io_finish(&d->io, CHECK_IO_ERROR,
					"query sent short (%zd of %zu bytes)", n, d->qlen);
			return;
		}
		d->sent = true;
		uv_poll_start(d->io.poll, UV_READABLE, dns_on_io);
		return;
	}
	if (!(events & UV_READABLE))
		return;
	for (;;) {
		n = recv(d->io.fd, buf, sizeof(buf), MSG_TRUNC);
		err = errno;
		if (n < 0) {
			if (err == EAGAIN || err == EINTR)
				return;
			check_io_finish(&d->io, check_sock_cause(err, CHECK_IO_ERROR),
					"receive failed: %s%s", strerror(err),
					err == ECONNREFUSED ? " (ICMP port unreachable)" : "");
			return;
		}
		/* MSG_TRUNC: n is the datagram's real length; we judge what fits */
		switch (dns_msg_check_reply(d->query, d->qlen, buf,
					    (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf), &why,
					    rbuf, sizeof(rbuf))) {
		case DNS_REPLY_OK:
			check_io_finish(&d->io, CHECK_OK, "ok");
			return;
		case DNS_REPLY_FAILED:
			check_io_finish(&d->io, CHECK_DNS_RCODE, "%s", why);
			return;
		case DNS_REPLY_FOREIGN:
			d->last_ignored = why;
			if (++d->ignored >= DNS_IGNORED_MAX) {
				check_io_finish(&d->io, CHECK_BAD_RESPONSE,
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
	int rc, fd;

	if (!d) {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	check_io_init(&d->io, a, d, NULL);

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(random() ^ (long)uv_hrtime());
	qtype = dns_msg_qtype(c->dns_type);
	rc = qtype ? dns_msg_query(d->query, sizeof(d->query), id, qtype, c->dns_name) : -EINVAL;
	if (rc < 0) {
		check_io_finish(&d->io, CHECK_CONFIG, "cannot build a query for name '%.60s'",
				c->dns_name ? c->dns_name : "");
		return;
	}
	d->qlen = (size_t)rc;

	fd = check_sock_open(c, &p->addr, p->port, SOCK_DGRAM, CHECK_SOCK_IFINDEX, &what);
	if (fd < 0) {
		check_io_finish(&d->io, check_sock_open_cause(what, -fd), "%s failed: %s", what,
				strerror(-fd));
		return;
	}
	rc = check_io_poll(&d->io, fd);
	if (rc) {
		check_io_finish(&d->io, CHECK_INTERNAL, "poll on the socket failed: %s",
				uv_strerror(rc));
		return;
	}
	uv_poll_start(d->io.poll, UV_WRITABLE | UV_READABLE, dns_on_io);
	check_io_arm(&d->io, dns_on_timeout, p->connect_timeout);
}

static void dns_cancel(struct check_attempt *a)
{
	struct dns *d = a->priv;

	if (d)
		check_io_cancel(&d->io);
}

const struct check_kind check_kind_dns = {
	.name = "DNS_CHECK",
	.start = dns_start,
	.cancel = dns_cancel,
};
