/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK: up when a TCP connection to the target completes within
 * connect_timeout. The socket is our own (not uv_tcp) so bindto, bind_port,
 * bind_if (SO_BINDTODEVICE) and fwmark (SO_MARK) can be applied before
 * connect(); a uv_poll waits for it to become writable. The connection is
 * closed normally (FIN, no RST) right after it is established.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "conf/model.h"

struct tcp_att {
	struct check_attempt *a;
	int fd;
	uv_poll_t poll;
	uv_timer_t timer;
	int open; /* handles not yet closed */
};

static void tcp_on_close(uv_handle_t *h)
{
	struct tcp_att *t = h->data;

	if (--t->open == 0)
		free(t);
}

/* Releases everything; the attempt is finished (or cancelled) already. */
static void tcp_release(struct tcp_att *t)
{
	uv_poll_stop(&t->poll);
	uv_timer_stop(&t->timer);
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->a->priv = NULL;
	uv_close((uv_handle_t *)&t->poll, tcp_on_close);
	uv_close((uv_handle_t *)&t->timer, tcp_on_close);
}

static void tcp_finish(struct tcp_att *t, bool ok, const char *what, int err)
{
	struct check_attempt *a = t->a;

	tcp_release(t);
	if (ok)
		check_attempt_done(a, true, CHECK_WEIGHT_NONE, "connected");
	else
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "%s: %s", what, strerror(err));
}

static void tcp_on_poll(uv_poll_t *h, int status, int events)
{
	struct tcp_att *t = h->data;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)events;
	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	/* libuv reports POLLERR as UV_EBADF: the socket's error says why. */
	if (status < 0 && !err)
		err = -status;
	if (err == EINPROGRESS && status >= 0)
		return;
	tcp_finish(t, !err, "connect", err);
}

static void tcp_on_timeout(uv_timer_t *h)
{
	struct tcp_att *t = h->data;
	struct check_attempt *a = t->a;
	uint64_t ct = a->p->connect_timeout;

	tcp_release(t);
	check_attempt_done(a, false, CHECK_WEIGHT_NONE, "connect timeout after %llu.%llu s",
			   (unsigned long long)(ct / 1000000),
			   (unsigned long long)(ct % 1000000 / 100000));
}

static socklen_t make_sa(const struct conf_addr *addr, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (addr->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = addr->u.v6;
		s6->sin6_port = htons((uint16_t)port);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_addr = addr->u.v4;
	s4->sin_port = htons((uint16_t)port);
	return sizeof(*s4);
}

/* Applies the checker's binding options to fd; 0 or the failing step. */
static const char *tcp_prepare(int fd, const struct check_probe *p, int *err)
{
	const struct conf_check *c = p->cfg;
	struct sockaddr_storage ss;

	if (c->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if,
				     (socklen_t)strlen(c->bind_if) + 1) < 0) {
		*err = errno;
		return "SO_BINDTODEVICE";
	}
	if (c->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &c->fwmark, sizeof(c->fwmark)) < 0) {
		*err = errno;
		return "SO_MARK";
	}
	if (c->bindto.family || c->bind_port) {
		struct conf_addr any = { .family = p->addr.family };
		const struct conf_addr *b = c->bindto.family ? &c->bindto : &any;
		socklen_t sl = make_sa(b, c->bind_port, &ss);

		if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
			*err = errno;
			return "bind";
		}
	}
	return NULL;
}

static void tcp_start(struct check_attempt *a)
{
	const struct check_probe *p = a->p;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct tcp_att *t;
	const char *step;
	int fd, err = 0;

	fd = socket(p->addr.family == AF_INET6 ? AF_INET6 : AF_INET,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "socket: %s", strerror(errno));
		return;
	}
	step = tcp_prepare(fd, p, &err);
	if (step) {
		close(fd);
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "%s: %s", step, strerror(err));
		return;
	}
	sl = make_sa(&p->addr, p->port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		err = errno;
		close(fd);
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "connect: %s", strerror(err));
		return;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		close(fd);
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	t->a = a;
	t->fd = fd;
	uv_loop_t *loop = check_engine_loop(a->e);

	if (uv_poll_init_socket(loop, &t->poll, fd) < 0) {
		close(fd);
		free(t);
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "cannot poll the socket");
		return;
	}
	t->poll.data = t;
	uv_timer_init(loop, &t->timer);
	t->timer.data = t;
	t->open = 2;
	a->priv = t;
	uv_poll_start(&t->poll, UV_WRITABLE, tcp_on_poll);
	if (p->connect_timeout)
		uv_timer_start(&t->timer, tcp_on_timeout, (p->connect_timeout + 999) / 1000, 0);
}

static void tcp_cancel(struct check_attempt *a)
{
	struct tcp_att *t = a->priv;

	if (t)
		tcp_release(t);
}

const struct check_kind check_kind_tcp = {
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = tcp_cancel,
};
