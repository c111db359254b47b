/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK: up when a TCP connection to the target completes within
 * connect_timeout. The socket is our own (not uv_tcp) so bindto, bind_port,
 * bind_if (SO_BINDTODEVICE) and fwmark (SO_MARK) can be applied before
 * connect(); a uv_poll waits for it to become writable. The connection is
 * closed normally (FIN, no RST) right after it is established.
 */
#include <stdlib.h>
#include <string.h>

#include "check/engine.h"
#include "check/sock.h"

static void tcp_on_poll(uv_poll_t *h, int status, int events)
{
	struct check_io *io = h->data;
	int err = check_sock_connected(io->fd, status);

	(void)events;
	if (err < 0)
		return;
	if (!err)
		check_io_finish(io, true, "connected");
	else
		check_io_finish(io, false, "connect: %s", strerror(err));
}

static void tcp_on_timeout(uv_timer_t *h)
{
	struct check_io *io = h->data;
	uint64_t ct = io->a->p->connect_timeout;

	check_io_finish(io, false, "connect timeout after %llu.%llu s",
			(unsigned long long)(ct / 1000000),
			(unsigned long long)(ct % 1000000 / 100000));
}

static void tcp_start(struct check_attempt *a)
{
	const struct check_probe *p = a->p;
	struct check_io *io = calloc(1, sizeof(*io));
	const char *step;
	int fd;

	if (!io) {
		check_attempt_done(a, false, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	check_io_init(io, a, io, NULL);
	fd = check_sock_open(p->cfg, &p->addr, p->port, SOCK_STREAM, 0, &step);
	if (fd < 0) {
		check_io_finish(io, false, "%s: %s", step, strerror(-fd));
		return;
	}
	if (check_io_poll(io, fd)) {
		check_io_finish(io, false, "cannot poll the socket");
		return;
	}
	uv_poll_start(io->poll, UV_WRITABLE, tcp_on_poll);
	if (p->connect_timeout)
		uv_timer_start(&io->timer, tcp_on_timeout, (p->connect_timeout + 999) / 1000, 0);
}

static void tcp_cancel(struct check_attempt *a)
{
	struct check_io *io = a->priv;

	if (io)
		check_io_cancel(io);
}

const struct check_kind check_kind_tcp = {
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = tcp_cancel,
};
