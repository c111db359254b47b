/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP_CHECK through the engine against loopback in this process: a
 * listener (up, closed with a reset by default or a FIN with checker_tcp_close
 * fin, bindto honoured), a closed port (refused),
 * fwmark, and a listener with a full accept queue (SYNs dropped: the
 * connect timeout).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "check/engine.h"
#include "check/sock.h"
#include "conf/model.h"

#define MS 1000ULL

static struct conf_check CFG;
static struct check_probe PV[4];
static struct check_list LIST;
static uv_loop_t LOOP;
static int fds[2];
static struct check_engine *E;
static struct check_rec R[64];
static unsigned n_rec;
static struct check_batch B;
static uint8_t BUF[CHECK_DGRAM_MAX];

static int listener(const char *ip, uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	inet_pton(AF_INET, ip, &sa.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void probe_at(unsigned i, const char *ip, uint16_t port)
{
	PV[i] = (struct check_probe){ .kind = CONF_CHECK_TCP,
				      .cfg = &CFG,
				      .port = port,
				      .delay_loop = 10000 * MS,
				      .warmup = 1 * MS,
				      .retry = 0,
				      .delay_before_retry = 10 * MS,
				      .connect_timeout = 2000 * MS,
				      .alpha = true };
	PV[i].addr.family = AF_INET;
	inet_pton(AF_INET, ip, &PV[i].addr.u.v4);
}

static void on_deadline(uv_timer_t *t)
{
	*(bool *)t->data = true;
}

static void drain(void)
{
	const char *why;

	for (;;) {
		ssize_t n = recv(fds[1], BUF, sizeof(BUF), MSG_DONTWAIT);

		if (n <= 0)
			return;
		if (check_batch_decode(BUF, (size_t)n, CHECK_DIR_TO_MAIN, LIST.n, &B, &why))
			fail_msg("bad batch: %s", why);
		for (unsigned i = 0; i < B.n && n_rec < 64; i++)
			if (B.v[i].type == CHECK_REC_RESULT)
				R[n_rec++] = B.v[i];
	}
}

/* Runs the engine on LIST until every probe has a result (or 3 s). */
static void run(void)
{
	struct check_rec go = { .type = CHECK_REC_GO };
	uv_timer_t t;
	bool done = false;
	long len;

	n_rec = 0;
	assert_int_equal(uv_loop_init(&LOOP), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), 0);
	assert_int_equal(check_engine_new(&LOOP, &LIST, 1, fds[0], &E), 0);
	assert_int_equal(check_engine_init_kinds(E), 0);
	B.gen = 1;
	B.n = 1;
	B.v[0] = go;
	len = check_batch_encode(&B, BUF, sizeof(BUF));
	assert_int_equal(send(fds[1], BUF, (size_t)len, 0), len);
	uv_timer_init(&LOOP, &t);
	t.data = &done;
	/* Repeats: a one-shot deadline due when uv_run(UV_RUN_ONCE) starts
	 * fires before the poll (libuv 1.44) and leaves it blocked for ever. */
	uv_timer_start(&t, on_deadline, 3000, 1);
	while (!done && n_rec < LIST.n) {
		uv_run(&LOOP, UV_RUN_ONCE);
		drain();
	}
	uv_close((uv_handle_t *)&t, NULL);
	check_engine_free(E);
	close(fds[1]);
	uv_run(&LOOP, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&LOOP), 0);
	close(fds[0]);
	assert_int_equal(n_rec, LIST.n);
}

static const struct check_rec *result(unsigned probe)
{
	for (unsigned i = 0; i < n_rec; i++)
		if (R[i].probe == probe)
			return &R[i];
	fail_msg("no result for probe %u", probe);
	return NULL;
}

static void test_up_refused(void **state)
{
	uint16_t port, closed;
	int lfd, dead, c;
	char byte;

	(void)state;
	memset(&CFG, 0, sizeof(CFG));
	lfd = listener("127.0.0.1", &port);
	dead = listener("127.0.0.1", &closed);
	close(dead);
	probe_at(0, "127.0.0.1", port);
	probe_at(1, "127.0.0.1", closed);
	LIST = (struct check_list){ .v = PV, .n = 2 };
	run();
	assert_true(result(0)->up);
	assert_true(result(0)->changed);
	assert_string_equal(result(0)->reason, "connected");
	assert_int_equal(result(0)->cause, CHECK_OK);
	assert_false(result(1)->up);
	assert_string_equal(result(1)->reason, "connect: Connection refused");
	assert_int_equal(result(1)->cause, CHECK_CONNECT_REFUSED);
	assert_true(result(1)->latency_us < 1000000);
	/* by default the check's connection ended with a reset, not a FIN */
	c = accept(lfd, NULL, NULL);
	assert_true(c >= 0);
	errno = 0;
	assert_int_equal(recv(c, &byte, 1, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	close(c);
	close(lfd);
}

static void test_close_fin(void **state)
{
	static struct conf_model m;
	uint16_t port;
	int lfd, c;
	char byte;

	(void)state;
	memset(&CFG, 0, sizeof(CFG));
	m.global.checker_tcp_close = CONF_TCP_CLOSE_FIN;
	lfd = listener("127.0.0.1", &port);
	probe_at(0, "127.0.0.1", port);
	LIST = (struct check_list){ .v = PV, .n = 1, .m = &m };
	run();
	assert_true(result(0)->up);
	assert_string_equal(result(0)->reason, "connected");
	/* checker_tcp_close fin: an orderly close, the peer reads end-of-file */
	c = accept(lfd, NULL, NULL);
	assert_true(c >= 0);
	assert_int_equal(recv(c, &byte, 1, 0), 0);
	close(c);
	close(lfd);
}

static void test_bindto(void **state)
{
	struct sockaddr_in peer;
	socklen_t sl = sizeof(peer);
	uint16_t port;
	int lfd, c;

	(void)state;
	memset(&CFG, 0, sizeof(CFG));
	CFG.bindto.family = AF_INET;
	inet_pton(AF_INET, "127.0.0.2", &CFG.bindto.u.v4);
	lfd = listener("127.0.0.1", &port);
	probe_at(0, "127.0.0.1", port);
	LIST = (struct check_list){ .v = PV, .n = 1 };
	run();
	assert_true(result(0)->up);
	c = accept(lfd, (struct sockaddr *)&peer, &sl);
	assert_true(c >= 0);
	char t[INET_ADDRSTRLEN];

	assert_string_equal(inet_ntop(AF_INET, &peer.sin_addr, t, sizeof(t)), "127.0.0.2");
	close(c);
	close(lfd);
	memset(&CFG, 0, sizeof(CFG));
}

static void test_fwmark(void **state)
{
	uint16_t port;
	int lfd;

	(void)state;
	memset(&CFG, 0, sizeof(CFG));
	CFG.fwmark = 7;
	lfd = listener("127.0.0.1", &port);
	probe_at(0, "127.0.0.1", port);
	LIST = (struct check_list){ .v = PV, .n = 1 };
	run();
	/* SO_MARK needs CAP_NET_ADMIN: as root it works, otherwise a clear reason */
	if (geteuid() == 0) {
		assert_true(result(0)->up);
	} else {
		assert_false(result(0)->up);
		assert_string_equal(result(0)->reason, "SO_MARK: Operation not permitted");
		assert_int_equal(result(0)->cause, CHECK_SOCKET);
	}
	close(lfd);
	memset(&CFG, 0, sizeof(CFG));
}

/* A listener whose accept queue is full drops SYNs: the connect times out. */
static void test_timeout(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint16_t port;
	int lfd, fill[4], n_fill = 0;

	(void)state;
	memset(&CFG, 0, sizeof(CFG));
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 0), 0);
	socklen_t sl = sizeof(sa);

	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	port = ntohs(sa.sin_port);
	/* fill the queue: connections that complete and are never accepted */
	for (int i = 0; i < 4; i++) {
		fill[n_fill] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		assert_true(fill[n_fill] >= 0);
		connect(fill[n_fill], (struct sockaddr *)&sa, sizeof(sa));
		n_fill++;
		usleep(20000);
	}
	probe_at(0, "127.0.0.1", port);
	PV[0].connect_timeout = 300 * MS;
	LIST = (struct check_list){ .v = PV, .n = 1 };
	run();
	assert_false(result(0)->up);
	assert_string_equal(result(0)->reason, "connect timeout after 0.3 s");
	assert_int_equal(result(0)->cause, CHECK_CONNECT_TIMEOUT);
	assert_true(result(0)->latency_us >= 290000);
	for (int i = 0; i < n_fill; i++)
		close(fill[i]);
	close(lfd);
}

/* Which errno is which failure cause, for every socket-based kind. */
static void test_errno_causes(void **state)
{
	(void)state;
	assert_int_equal(check_sock_cause(ECONNREFUSED, CHECK_IO_ERROR), CHECK_CONNECT_REFUSED);
	assert_int_equal(check_sock_cause(ENETUNREACH, CHECK_IO_ERROR), CHECK_NET_UNREACHABLE);
	assert_int_equal(check_sock_cause(EHOSTUNREACH, CHECK_CONNECT_ERROR),
			 CHECK_HOST_UNREACHABLE);
	assert_int_equal(check_sock_cause(ECONNRESET, CHECK_IO_ERROR), CHECK_IO_ERROR);
	assert_int_equal(check_sock_cause(EPERM, CHECK_CONNECT_ERROR), CHECK_CONNECT_ERROR);
	/* check_sock_open's steps: only the connect's errno says more */
	assert_int_equal(check_sock_open_cause("connect", ENETUNREACH), CHECK_NET_UNREACHABLE);
	assert_int_equal(check_sock_open_cause("connect", EADDRNOTAVAIL), CHECK_CONNECT_ERROR);
	assert_int_equal(check_sock_open_cause("socket", EMFILE), CHECK_SOCKET);
	assert_int_equal(check_sock_open_cause("SO_MARK", EPERM), CHECK_SOCKET);
	assert_int_equal(check_sock_open_cause("bind_if", ENODEV), CHECK_SOCKET);
	assert_int_equal(check_sock_open_cause("bind", ECONNREFUSED), CHECK_SOCKET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_refused), cmocka_unit_test(test_close_fin),
		cmocka_unit_test(test_bindto),	   cmocka_unit_test(test_fwmark),
		cmocka_unit_test(test_timeout),	   cmocka_unit_test(test_errno_causes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
