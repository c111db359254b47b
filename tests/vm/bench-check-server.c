/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real servers of the health-check benchmark (tests/bench/check-bench.sh,
 * tests/vm/scenarios/bench-check.sh): one process, one thread, epoll, no
 * fork per connection, so that the servers cost far less CPU than the
 * checkers being measured.
 *
 *   bench-check-server TCP_PORT HTTP_PORT
 *
 * Listens on 0.0.0.0:TCP_PORT (accepts and closes: what a TCP_CHECK needs)
 * and on 0.0.0.0:HTTP_PORT (reads a request up to its blank line, answers
 * "200 OK" with a 3-byte body and closes). Bound to the wildcard address,
 * the listeners answer on every address the namespace treats as local (the
 * scenario makes a whole /16 local with one route). SIGUSR1 prints the
 * counters as one line on stdout: "counters tcp=N http=N http_bad=N".
 *
 * Built on the host by tests/bench/check-bench.sh and copied into the VM
 * with VIGIL_VM_EXTRA_BINS; not part of the vigil build.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536
#define MAX_REQUEST 8192

static const char response[] = "HTTP/1.1 200 OK\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 3\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "ok\n";

/* Per HTTP connection: the last 4 bytes seen and the bytes read so far. */
static uint32_t tail4[MAX_FDS];
static uint32_t nread[MAX_FDS];
static volatile sig_atomic_t want_counters;
static unsigned long long n_tcp, n_http, n_http_bad;

static void on_usr1(int sig)
{
	(void)sig;
	want_counters = 1;
}

static int listener(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 65535) < 0) {
		fprintf(stderr, "bench-check-server: port %d: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

static void conn_close(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
}

/* Read what the client sent; answer once the header block is complete. */
static void http_readable(int ep, int fd)
{
	char buf[2048];
	ssize_t n, i;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			n_http_bad++;
			conn_close(ep, fd);
			return;
		}
		nread[fd] += (uint32_t)n;
		for (i = 0; i < n; i++) {
			tail4[fd] = (tail4[fd] << 8) | (unsigned char)buf[i];
			if (tail4[fd] == 0x0d0a0d0a) {
				/* Fits in any socket buffer: one write. */
				if (write(fd, response, sizeof(response) - 1) ==
				    (ssize_t)sizeof(response) - 1)
					n_http++;
				else
					n_http_bad++;
				conn_close(ep, fd);
				return;
			}
		}
		if (nread[fd] > MAX_REQUEST) {
			n_http_bad++;
			conn_close(ep, fd);
			return;
		}
	}
}

int main(int argc, char **argv)
{
	struct epoll_event ev, evs[256];
	struct rlimit rl = { MAX_FDS, MAX_FDS };
	struct sigaction sa;
	int ep, ltcp, lhttp, i, n, fd;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-check-server TCP_PORT HTTP_PORT\n");
		return 2;
	}
	setrlimit(RLIMIT_NOFILE, &rl);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ltcp = listener(atoi(argv[1]));
	lhttp = listener(atoi(argv[2]));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return 1;
	ev.events = EPOLLIN;
	ev.data.fd = ltcp;
	epoll_ctl(ep, EPOLL_CTL_ADD, ltcp, &ev);
	ev.data.fd = lhttp;
	epoll_ctl(ep, EPOLL_CTL_ADD, lhttp, &ev);
	printf("listening tcp=%s http=%s\n", argv[1], argv[2]);
	fflush(stdout);

	for (;;) {
		if (want_counters) {
			want_counters = 0;
			printf("counters tcp=%llu http=%llu http_bad=%llu\n", n_tcp, n_http,
			       n_http_bad);
			fflush(stdout);
		}
		n = epoll_wait(ep, evs, 256, 1000);
		if (n < 0 && errno != EINTR)
			return 1;
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == ltcp) {
				while ((fd = accept4(ltcp, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
					n_tcp++;
					close(fd);
				}
			} else if (fd == lhttp) {
				while ((fd = accept4(lhttp, NULL, NULL,
						     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
					if (fd >= MAX_FDS) {
						n_http_bad++;
						close(fd);
						continue;
					}
					tail4[fd] = 0;
					nread[fd] = 0;
					ev.events = EPOLLIN | EPOLLRDHUP;
					ev.data.fd = fd;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
						n_http_bad++;
						close(fd);
					}
				}
			} else {
				http_readable(ep, fd);
			}
		}
	}
}
