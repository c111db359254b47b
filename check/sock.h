/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the socket-based checker kinds share: opening a socket with the
 * checker's bindto / bind_port / bind_if (SO_BINDTODEVICE) / fwmark
 * (SO_MARK) and starting its connect; reading how a connect or an ICMP
 * error ended (SO_ERROR) and which failure cause that is; and one attempt's libuv bookkeeping (a
 * poll on its socket, a timer, the reason text, freeing once the handles have closed).
 */
#ifndef VIGIL_CHECK_SOCK_H
#define VIGIL_CHECK_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "check/engine.h"
#include "conf/model.h"

/*
 * The sockaddr of a:port in ss, its length returned. scope is the
 * sin6_scope_id given to a link-local IPv6 address (0: none).
 */
socklen_t check_sock_addr(struct sockaddr_storage *ss, const struct conf_addr *a, unsigned port,
			  unsigned scope);

/*
 * check_sock_open flags. CHECK_SOCK_IFINDEX: bind_if must name an existing
 * interface (ENODEV otherwise), its index scopes link-local addresses, the
 * step is called "bind_if" and comes after SO_MARK, and bindto must be of
 * the target's family (EAFNOSUPPORT). Without it the step is called
 * "SO_BINDTODEVICE" and comes before SO_MARK, and a target of no known
 * family is taken as IPv4 (TCP_CHECK, HTTP_GET).
 */
#define CHECK_SOCK_IFINDEX 0x1

/*
 * A non-blocking socket of type (SOCK_STREAM, SOCK_DGRAM) with c's bind_if,
 * fwmark, bindto and bind_port, its connect to dst:port started (a stream's
 * connect may still be in progress). Returns the fd, or -errno with *what
 * naming the step that failed ("socket", "SO_MARK", "bind_if" or
 * "SO_BINDTODEVICE", "bind", "connect").
 */
int check_sock_open(const struct conf_check *c, const struct conf_addr *dst, unsigned port,
		    int type, unsigned flags, const char **what);

/*
 * After a poll event (status: libuv's, < 0 for POLLERR) on a socket whose
 * connect was in progress: 0 when connected, -1 while still connecting,
 * else the errno that failed it.
 */
int check_sock_connected(int fd, int status);

/*
 * The same from an epoll event of a check_watch waiting for EPOLLOUT: 0 when
 * connected (writable, no error: SO_ERROR is not read), -1 while still
 * connecting, else the errno that failed it.
 */
int check_sock_event_error(int fd, uint32_t events);

/* The socket's pending error (an ICMP error on a connected UDP socket, a
 * failed connect), EIO when it has none or it cannot be read. */
int check_sock_error(int fd);

/* The cause of errno err met on a socket: refused, net or host unreachable
 * (a connect's error, or an ICMP error on a connected UDP socket), else
 * other (CHECK_CONNECT_ERROR while connecting, CHECK_IO_ERROR after). */
enum check_cause check_sock_cause(int err, enum check_cause other);

/* The cause of check_sock_open failing at step what with errno err: the
 * connect's (check_sock_cause), or CHECK_SOCKET for the steps before it. */
enum check_cause check_sock_open_cause(const char *what, int err);

/*
 * One attempt's I/O, embedded in the kind's state (the owner, which must be
 * the start of a malloc'd block: it is freed when the timer has closed).
 * The timer's and the poll's data point to the owner.
 */
struct check_io {
	struct check_attempt *a; /* NULL once done or cancelled */
	void *owner;
	uv_poll_t *poll; /* one per connection; freed by its close callback */
	uv_timer_t timer;
	int fd;
	void (*cleanup)(struct check_io *io); /* optional, when the attempt ends */
};

/* Sets up io for attempt a (no socket yet) and makes owner a->priv. */
void check_io_init(struct check_io *io, struct check_attempt *a, void *owner,
		   void (*cleanup)(struct check_io *io));

/* Takes fd as io's socket and a poll on it: 0 or a libuv error (the fd is
 * kept and closed with io). */
int check_io_poll(struct check_io *io, int fd);

/* Closes the connection (poll and socket) but keeps the attempt. */
void check_io_close_conn(struct check_io *io);

/* (Re)starts the timer: cb after us microseconds, rounded up to a
 * millisecond, at least 1 ms from now. */
void check_io_arm(struct check_io *io, uv_timer_cb cb, uint64_t us);

/* Finishes the attempt with cause and the printf-style reason and frees
 * io's owner. */
void check_io_finish(struct check_io *io, enum check_cause cause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The kind's cancel(): frees the attempt's state without finishing it. */
void check_io_cancel(struct check_io *io);

#endif
