/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floor of the health-check benchmark (tests/bench/check-bench.sh,
 * tests/vm/scenarios/bench-check.sh): the simplest prober that does the
 * work of the benchmark's checks, to show what a real connection per probe
 * costs by itself. Not a checker: no configuration, no IPVS, no logging, no
 * allocation after start-up. One process, one thread, epoll.
 *
 *   bench-check-floor [-r] NTCP NHTTP
 *
 * Probes the addresses the scenario's generated configuration uses: TCP real
 * server k at 198.19.(k/250).(k%250+1):9000 (a nonblocking connect, closed
 * as soon as it completes; -r: closed with a RST, SO_LINGER {1, 0}, instead
 * of a FIN), HTTP real server k at 198.19.(100+k/250).(k%250+1):8080
 * (connect, send "GET / HTTP/1.0", read until EOF, pass when the status
 * line says 200). Each probe starts once a second, the NTCP + NHTTP starts
 * spread evenly over the second; a probe still in flight at its next start
 * is skipped, and failed once it is 3 s old (the connect_timeout).
 *
 * SIGUSR1 prints the counters as one line on stdout ("floor probes=N up=N
 * ok_tcp=N ..."; up: probes whose last result passed); SIGTERM prints them
 * and exits 0.
 *
 * Built on the host by tests/bench/check-bench.sh and copied into the VM
 * with VIGIL_VM_EXTRA_BINS; not part of the vigil build.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
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
#include <time.h>
#include <unistd.h>

#define MAX_PROBES 50000
#define NSEC 1000000000LL
#define TIMEOUT_NS (3 * NSEC)
#define TCP_PORT 9000
#define HTTP_PORT 8080
#define MAX_STARTS 64 /* probe starts between two epoll_wait calls */

enum { IDLE, CONNECTING, READING };

struct probe {
	int64_t started;
	int fd;
	uint8_t phase;
	uint8_t http;
	uint8_t up;
	uint8_t nhead;
	char head[12]; /* "HTTP/1.x 200" */
};

static struct probe probes[MAX_PROBES];
static volatile sig_atomic_t want_counters, want_exit;
static unsigned long long ok_tcp, fail_tcp, ok_http, fail_http, timeouts, skipped, nup;
static int ep, rst;

static const char request[] = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_counters = 1;
	else
		want_exit = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static void print_counters(unsigned int n)
{
	printf("floor probes=%u up=%llu ok_tcp=%llu fail_tcp=%llu ok_http=%llu fail_http=%llu "
	       "timeouts=%llu skipped=%llu\n",
	       n, nup, ok_tcp, fail_tcp, ok_http, fail_http, timeouts, skipped);
	fflush(stdout);
}

/* The probe is over: close its socket (which leaves epoll) and count. */
static void finish(struct probe *p, int ok)
{
	static const struct linger lg = { 1, 0 };

	if (rst && !p->http)
		setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(p->fd);
	p->fd = -1;
	p->phase = IDLE;
	if (p->http && ok)
		ok_http++;
	else if (p->http)
		fail_http++;
	else if (ok)
		ok_tcp++;
	else
		fail_tcp++;
	if (ok && !p->up)
		nup++;
	else if (!ok && p->up)
		nup--;
	p->up = (uint8_t)ok;
}

static void http_read(struct probe *p)
{
	char buf[4096];
	ssize_t n;
	size_t c;

	for (;;) {
		n = read(p->fd, buf, sizeof(buf));
		if (n > 0) {
			c = sizeof(p->head) - p->nhead;
			if (c > (size_t)n)
				c = (size_t)n;
			memcpy(p->head + p->nhead, buf, c);
			p->nhead = (uint8_t)(p->nhead + c);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		finish(p, n == 0 && p->nhead == sizeof(p->head) &&
				  !memcmp(p->head, "HTTP/1.", 7) && !memcmp(p->head + 9, "200", 3));
		return;
	}
}

/* The connect completed (or failed). */
static void connected(struct probe *p, uint32_t ev)
{
	if (!p->http) {
		finish(p, (ev & EPOLLOUT) && !(ev & (EPOLLERR | EPOLLHUP)));
		return;
	}
	if (write(p->fd, request, sizeof(request) - 1) != (ssize_t)sizeof(request) - 1) {
		finish(p, 0);
		return;
	}
	p->phase = READING;
	p->nhead = 0;
	if (ev & (EPOLLIN | EPOLLRDHUP))
		http_read(p);
}

static void event(struct probe *p, uint32_t ev)
{
	if (p->phase == CONNECTING) {
		if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			connected(p, ev);
	} else if (p->phase == READING) {
		if (ev & EPOLLERR)
			finish(p, 0);
		else if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
			http_read(p);
	}
}

static void start(struct probe *p, unsigned int k, unsigned int ntcp, int64_t now)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev;
	unsigned int j;
	int fd;

	if (p->phase != IDLE) {
		if (now - p->started < TIMEOUT_NS) {
			skipped++;
			return;
		}
		timeouts++;
		finish(p, 0);
	}
	p->http = k >= ntcp;
	j = p->http ? k - ntcp : k;
	sin.sin_port = htons(p->http ? HTTP_PORT : TCP_PORT);
	sin.sin_addr.s_addr = htonl(0xc6130000u | ((p->http ? 100 : 0) + j / 250) << 8 |
				    (j % 250 + 1));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		if (p->http)
			fail_http++;
		else
			fail_tcp++;
		return;
	}
	p->fd = fd;
	p->started = now;
	p->phase = CONNECTING;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS) {
		finish(p, 0);
		return;
	}
	ev.events = p->http ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET : EPOLLOUT;
	ev.data.u32 = k;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		finish(p, 0);
}

static int number(const char *s, unsigned int *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || end == s || *end || x > MAX_PROBES)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

int main(int argc, char **argv)
{
	struct epoll_event evs[256];
	struct rlimit rl = { 65536, 65536 };
	struct sigaction sa;
	unsigned int ntcp, nhttp, n, k = 0, i;
	int64_t t0, round = 0, due, now;
	int m, timeout, a = 1;

	if (argc > 1 && !strcmp(argv[1], "-r")) {
		rst = 1;
		a = 2;
	}
	if (argc - a != 2 || number(argv[a], &ntcp) || number(argv[a + 1], &nhttp) ||
	    !(n = ntcp + nhttp) || n > MAX_PROBES) {
		fprintf(stderr, "usage: bench-check-floor [-r] NTCP NHTTP (1..%d probes)\n",
			MAX_PROBES);
		return 2;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++)
		probes[i].fd = -1;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return 1;
	printf("floor started tcp=%u http=%u rst=%d\n", ntcp, nhttp, rst);
	fflush(stdout);

	t0 = now_ns();
	while (!want_exit) {
		if (want_counters) {
			want_counters = 0;
			print_counters(n);
		}
		/* Start the probes whose time has come (k-th of round `round`). */
		now = now_ns();
		for (i = 0; i < MAX_STARTS; i++) {
			due = t0 + round * NSEC + (int64_t)k * NSEC / n;
			if (due > now)
				break;
			start(&probes[k], k, ntcp, now);
			if (++k == n) {
				k = 0;
				round++;
			}
		}
		due = t0 + round * NSEC + (int64_t)k * NSEC / n;
		timeout = due > now ? (int)((due - now + 999999) / 1000000) : 0;
		m = epoll_wait(ep, evs, 256, timeout);
		if (m < 0 && errno != EINTR)
			return 1;
		for (i = 0; m > 0 && i < (unsigned int)m; i++)
			event(&probes[evs[i].data.u32], evs[i].events);
	}
	print_counters(n);
	return 0;
}
