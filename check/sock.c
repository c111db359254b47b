/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket and attempt helpers of the checker kinds (see check/sock.h).
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "check/sock.h"

socklen_t check_sock_addr(struct sockaddr_storage *ss, const struct conf_addr *a, unsigned port,
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

static int set_mark(int fd, const struct conf_check *c, const char **what)
{
	*what = "SO_MARK";
	return c->fwmark ? setsockopt(fd, SOL_SOCKET, SO_MARK, &c->fwmark, sizeof(c->fwmark)) : 0;
}

int check_sock_open(const struct conf_check *c, const struct conf_addr *dst, unsigned port,
		    int type, unsigned flags, const char **what)
{
	bool ifindex = flags & CHECK_SOCK_IFINDEX;
	struct sockaddr_storage ss;
	unsigned scope = 0;
	socklen_t sl;
	int fd, err;

	*what = "socket";
	fd = socket(ifindex || dst->family == AF_INET6 ? dst->family : AF_INET,
		    type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ifindex && set_mark(fd, c, what))
		goto fail;
	if (c->bind_if) {
		*what = ifindex ? "bind_if" : "SO_BINDTODEVICE";
		if (ifindex) {
			scope = if_nametoindex(c->bind_if);
			if (!scope) {
				errno = ENODEV;
				goto fail;
			}
		}
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if,
			       (socklen_t)strlen(c->bind_if) + 1))
			goto fail;
	}
	if (!ifindex && set_mark(fd, c, what))
		goto fail;
	if (c->bindto.family || c->bind_port) {
		struct conf_addr any = { .family = dst->family };
		const struct conf_addr *src = c->bindto.family ? &c->bindto : &any;

		*what = "bind";
		if (ifindex && src->family != dst->family) {
			errno = EAFNOSUPPORT;
			goto fail;
		}
		sl = check_sock_addr(&ss, src, c->bind_port, scope);
		if (bind(fd, (struct sockaddr *)&ss, sl))
			goto fail;
	}
	*what = "connect";
	sl = check_sock_addr(&ss, dst, port, scope);
	if (connect(fd, (struct sockaddr *)&ss, sl) && errno != EINPROGRESS)
		goto fail;
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

int check_sock_connected(int fd, int status)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	/* libuv reports POLLERR as UV_EBADF: the socket's error says why. */
	if (status < 0 && !err)
		err = -status;
	if (err == EINPROGRESS && status >= 0)
		return -1;
	return err;
}

int check_sock_event_error(int fd, uint32_t events)
{
	int err = 0;
	socklen_t len = sizeof(err);

	/* A TCP socket is writable only once the handshake is done (tcp_poll). */
	if (!(events & (EPOLLERR | EPOLLHUP)))
		return events & EPOLLOUT ? 0 : -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	/* As check_sock_connected: POLLERR with no pending error is EBADF. */
	if (!err && (events & EPOLLERR))
		err = EBADF;
	return err == EINPROGRESS ? -1 : err;
}

int check_sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || !err)
		err = EIO;
	return err;
}

enum check_cause check_sock_cause(int err, enum check_cause other)
{
	switch (err) {
	case ECONNREFUSED:
		return CHECK_CONNECT_REFUSED;
	case ENETUNREACH:
		return CHECK_NET_UNREACHABLE;
	case EHOSTUNREACH:
		return CHECK_HOST_UNREACHABLE;
	default:
		return other;
	}
}

enum check_cause check_sock_open_cause(const char *what, int err)
{
	return strcmp(what, "connect") ? CHECK_SOCKET : check_sock_cause(err, CHECK_CONNECT_ERROR);
}

/* ---- one attempt's handles ---- */

static void poll_closed(uv_handle_t *h)
{
	free(h);
}

static void timer_closed(uv_handle_t *h)
{
	free(h->data);
}

void check_io_init(struct check_io *io, struct check_attempt *a, void *owner,
		   void (*cleanup)(struct check_io *io))
{
	io->a = a;
	io->owner = owner;
	io->poll = NULL;
	io->fd = -1;
	io->cleanup = cleanup;
	uv_timer_init(check_engine_loop(a->e), &io->timer);
	io->timer.data = owner;
	a->priv = owner;
}

int check_io_poll(struct check_io *io, int fd)
{
	int rc;

	io->fd = fd;
	io->poll = malloc(sizeof(*io->poll));
	rc = io->poll ? uv_poll_init_socket(check_engine_loop(io->a->e), io->poll, fd) : UV_ENOMEM;
	if (rc) {
		free(io->poll);
		io->poll = NULL;
		return rc;
	}
	io->poll->data = io->owner;
	return 0;
}

void check_io_close_conn(struct check_io *io)
{
	if (io->poll) {
		uv_poll_stop(io->poll);
		uv_close((uv_handle_t *)io->poll, poll_closed);
		io->poll = NULL;
	}
	if (io->fd >= 0) {
		close(io->fd);
		io->fd = -1;
	}
}

void check_io_arm(struct check_io *io, uv_timer_cb cb, uint64_t us)
{
	uint64_t ms = (us + 999) / 1000;

	/* From now, not from the loop turn's cached time (see check_engine_lag_ms). */
	uv_timer_start(&io->timer, cb, (ms ? ms : 1) + check_engine_lag_ms(io->a->e), 0);
}

/* Frees everything; the owner goes when its timer has closed. */
static void io_free(struct check_io *io)
{
	io->a->priv = NULL;
	io->a = NULL;
	if (io->cleanup)
		io->cleanup(io);
	check_io_close_conn(io);
	uv_timer_stop(&io->timer);
	uv_close((uv_handle_t *)&io->timer, timer_closed);
}

void check_io_finish(struct check_io *io, enum check_cause cause, const char *fmt, ...)
{
	struct check_attempt *a = io->a;
	char why[CHECK_REASON_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	io_free(io);
	check_attempt_done(a, cause, CHECK_WEIGHT_NONE, "%s", why);
}

void check_io_cancel(struct check_io *io)
{
	io_free(io);
}
