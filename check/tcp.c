/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK: up when a TCP connection to the target completes within
 * connect_timeout. The socket is our own (not uv_tcp) so bindto, bind_port,
 * bind_if (SO_BINDTODEVICE) and fwmark (SO_MARK) can be applied before
 * connect(). Being the most numerous kind, an attempt is kept cheap: the
 * socket waits in the engine's watch set (one epoll_ctl, no uv_poll) and
 * connect_timeout is the engine's deadline for the attempt (no timer of
 * its own); SO_ERROR is read only when the event says something failed.
 *
 * Once established the connection is reset (SO_LINGER 0), unless
 * global_defs says checker_tcp_close fin: no FIN exchange, and no TIME-WAIT
 * socket left on the director per check (at thousands of checks a second
 * an orderly close keeps more of them than tcp_max_tw_buckets allows).
 * HAProxy's health checks close the same way.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "check/engine.h"
#include "check/sock.h"
#include "conf/model.h"

struct tcp_att {
	struct check_attempt *a;
	struct check_watch w;
};

static void tcp_free(struct tcp_att *t)
{
	t->a->priv = NULL;
	check_watch_close(t->a->e, &t->w);
	free(t);
}

/* Ends the attempt: the socket is closed before the result is reported. */
static void tcp_end(struct tcp_att *t, enum check_cause cause, const char *why)
{
	struct check_attempt *a = t->a;

	tcp_free(t);
	check_attempt_done(a, cause, CHECK_WEIGHT_NONE, "%s", why);
}

static void tcp_on_event(struct check_watch *w, uint32_t events)
{
	struct tcp_att *t = (struct tcp_att *)(void *)((char *)w - offsetof(struct tcp_att, w));
	int err = check_sock_event_error(w->fd, events);

	if (err < 0)
		return;
	if (err) {
		char why[CHECK_REASON_MAX + 1];

		snprintf(why, sizeof(why), "connect: %s", strerror(err));
		tcp_end(t, check_sock_cause(err, CHECK_CONNECT_ERROR), why);
		return;
	}
	const struct conf_model *m = check_engine_model(t->a->e);

	if (!m || m->global.checker_tcp_close == CONF_TCP_CLOSE_RST) {
		static const struct linger rst = { .l_onoff = 1, .l_linger = 0 };

		/* On failure the close is orderly: the check has passed anyway. */
		(void)setsockopt(w->fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
	}
	tcp_end(t, CHECK_OK, "connected");
}

static void tcp_expired(struct check_attempt *a)
{
	struct tcp_att *t = a->priv;
	uint64_t ct = a->p->connect_timeout;
	char why[CHECK_REASON_MAX + 1];

	if (!t)
		return;
	/* A saturated loop may reach the deadline before the socket's event:
	 * what the socket says now wins over the clock. */
	if (t->w.fd >= 0) {
		struct pollfd pfd = { .fd = t->w.fd, .events = POLLOUT };

		if (poll(&pfd, 1, 0) == 1 && pfd.revents) {
			tcp_on_event(&t->w, (uint32_t)pfd.revents);
			if (!a->priv)
				return; /* finished: connected, or refused */
		}
	}
	snprintf(why, sizeof(why), "connect timeout after %llu.%llu s",
		 (unsigned long long)(ct / 1000000), (unsigned long long)(ct % 1000000 / 100000));
	tcp_end(t, CHECK_CONNECT_TIMEOUT, why);
}

static void tcp_start(struct check_attempt *a)
{
	const struct check_probe *p = a->p;
	struct tcp_att *t = malloc(sizeof(*t));
	const char *step;
	int fd, rc;

	if (!t) {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	fd = check_sock_open(p->cfg, &p->addr, p->port, SOCK_STREAM, 0, &step);
	if (fd < 0) {
		free(t);
		check_attempt_done(a, check_sock_open_cause(step, -fd), CHECK_WEIGHT_NONE, "%s: %s",
				   step, strerror(-fd));
		return;
	}
	t->a = a;
	a->priv = t;
	check_watch_init(&t->w, fd, tcp_on_event);
	rc = check_watch_set(a->e, &t->w, EPOLLOUT);
	if (rc) {
		tcp_end(t, CHECK_INTERNAL, "cannot poll the socket");
		return;
	}
	if (p->connect_timeout)
		check_attempt_deadline(a, p->connect_timeout, tcp_expired);
}

static void tcp_cancel(struct check_attempt *a)
{
	struct tcp_att *t = a->priv;

	if (t)
		tcp_free(t);
}

const struct check_kind check_kind_tcp = {
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = tcp_cancel,
};
