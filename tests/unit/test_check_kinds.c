/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK and MISC_CHECK on
 * a fake engine (this file defines the engine functions the kinds call, so
 * check/engine.o is not linked), against servers run in a thread on
 * 127.0.0.1: well-behaved ones and hostile ones.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
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
#include <uv.h>

#include "check/dns_msg.h"
#include "check/engine.h"
#include "conf/model.h"

/* ---- the fake engine ---- */

struct check_engine {
	uv_loop_t *loop;
	void *kd[CONF_CHECK_SMTP_HOST + 1];
	const struct conf_model *m;
	check_spawn_cb spawn_cb;
	int spawn_rc;
};

static struct {
	int done;
	bool ok;
	enum check_cause cause;
	int32_t weight;
	char reason[CHECK_REASON_MAX + 1];
} res;

void check_attempt_done(struct check_attempt *a, enum check_cause cause, int32_t weight,
			const char *fmt, ...)
{
	va_list ap;

	(void)a;
	res.done++;
	res.ok = cause == CHECK_OK;
	res.cause = cause;
	res.weight = weight;
	va_start(ap, fmt);
	vsnprintf(res.reason, sizeof(res.reason), fmt, ap);
	va_end(ap);
}

uv_loop_t *check_engine_loop(struct check_engine *e)
{
	return e->loop;
}

uint64_t check_engine_lag_ms(struct check_engine *e)
{
	uint64_t now = uv_hrtime() / 1000000, cached = uv_now(e->loop);

	return now > cached ? now - cached : 0;
}

void *check_engine_kind_data(struct check_engine *e, int kind)
{
	return e->kd[kind];
}

void check_engine_set_kind_data(struct check_engine *e, int kind, void *data)
{
	e->kd[kind] = data;
}

int check_engine_spawn(struct check_attempt *a, check_spawn_cb cb)
{
	(void)a;
	if (a->e->spawn_rc)
		return a->e->spawn_rc;
	a->e->spawn_cb = cb;
	return 0;
}

const struct conf_model *check_engine_model(struct check_engine *e);
const struct conf_model *check_engine_model(struct check_engine *e)
{
	return e->m;
}

static uv_loop_t loop;
static struct check_engine eng;

/* The last attempt ended with cause want. */
static void expect_cause(enum check_cause want)
{
	if (res.cause != want)
		fail_msg("cause %s (%d), expected %s; reason '%s'",
			 (unsigned)res.cause < CHECK_CAUSE__COUNT ? check_causes[res.cause].name
								  : "?",
			 (int)res.cause, check_causes[want].name, res.reason);
}

static void set_addr(struct conf_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		a->family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, s, &a->u.v6), 1);
	} else {
		a->family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, s, &a->u.v4), 1);
	}
}

/* Runs one attempt to its end (or until the loop has nothing left); the
 * attempt must end exactly once, then every handle must close. */
static void run(const struct check_kind *k, struct check_probe *p)
{
	struct check_attempt a = { .e = &eng, .probe = 0, .p = p, .started_ns = uv_hrtime() };

	memset(&res, 0, sizeof(res));
	k->start(&a);
	while (!res.done && uv_run(&loop, UV_RUN_ONCE))
		;
	assert_int_equal(res.done, 1);
	assert_null(a.priv);
	uv_run(&loop, UV_RUN_NOWAIT);
	uv_run(&loop, UV_RUN_NOWAIT);
}

static void init_probe(struct check_probe *p, struct conf_check *c, struct conf_rs *rs, int kind,
		       const char *addr, unsigned port)
{
	memset(p, 0, sizeof(*p));
	memset(c, 0, sizeof(*c));
	memset(rs, 0, sizeof(*rs));
	c->kind = kind;
	p->kind = kind;
	p->cfg = c;
	p->rs = rs;
	rs->weight = 10;
	if (addr)
		set_addr(&p->addr, addr);
	c->connect_ip = p->addr;
	p->port = port;
	c->connect_port = port;
	p->connect_timeout = 1500000; /* 1.5 s: generous on a loaded machine */
	c->connect_timeout = p->connect_timeout;
}

/* ---- a scripted TCP server: one connection, one script ---- */

enum { S_SEND, S_EXPECT, S_SLEEP, S_CLOSE };
struct step {
	int op;
	const char *s; /* S_SEND: bytes; S_EXPECT: prefix of the next line */
	size_t len;    /* S_SEND: 0 = strlen */
};

struct tcp_srv {
	int lfd;
	unsigned port;
	const struct step *script;
	pthread_t th;
	bool failed; /* an S_EXPECT did not match */
	char got[256];
};

static void *tcp_srv_main(void *arg)
{
	struct tcp_srv *s = arg;
	int fd = accept(s->lfd, NULL, NULL);
	char line[1024];

	if (fd < 0)
		return NULL;
	for (const struct step *st = s->script; st && st->op != S_CLOSE; st++) {
		if (st->op == S_SEND) {
			size_t len = st->len ? st->len : strlen(st->s);

			if (send(fd, st->s, len, MSG_NOSIGNAL) < 0)
				break;
		} else if (st->op == S_SLEEP) {
			usleep(2000000);
		} else {
			size_t n = 0;
			char c;

			while (n < sizeof(line) - 1 && recv(fd, &c, 1, 0) == 1 && c != '\n')
				line[n++] = c;
			line[n] = '\0';
			snprintf(s->got, sizeof(s->got), "%.200s", line);
			if (strncmp(line, st->s, strlen(st->s))) {
				s->failed = true;
				break;
			}
		}
	}
	/* let the client read what we sent before the close */
	usleep(20000);
	close(fd);
	return NULL;
}

static void tcp_srv_start(struct tcp_srv *s, const struct step *script)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->script = script;
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->lfd >= 0);
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(s->lfd, 4), 0);
	getsockname(s->lfd, (struct sockaddr *)&sin, &sl);
	s->port = ntohs(sin.sin_port);
	assert_int_equal(pthread_create(&s->th, NULL, tcp_srv_main, s), 0);
}

static void tcp_srv_stop(struct tcp_srv *s)
{
	shutdown(s->lfd, SHUT_RDWR);
	pthread_join(s->th, NULL);
	close(s->lfd);
}

/* A port nobody listens on (bound, then closed). */
static unsigned dead_port(int type)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(fd, (struct sockaddr *)&sin, &sl);
	close(fd);
	return ntohs(sin.sin_port);
}

/* ---- SMTP_CHECK ---- */

static const struct step smtp_good[] = {
	{ .op = S_SEND, .s = "220 mx.test ESMTP ready\r\n" },
	{ .op = S_EXPECT, .s = "HELO vigil.test" },
	{ .op = S_SEND, .s = "250 mx.test\r\n" },
	{ .op = S_EXPECT, .s = "QUIT" },
	{ .op = S_SEND, .s = "221 bye\r\n" },
	{ .op = S_CLOSE },
};

static void smtp_case(const struct step *script, bool want_ok, const char *want_reason)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	struct tcp_srv s;

	tcp_srv_start(&s, script);
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", s.port);
	c.helo_name = "vigil.test";
	run(&check_kind_smtp, &p);
	tcp_srv_stop(&s);
	if (want_ok != res.ok || (want_reason && !strstr(res.reason, want_reason)))
		fail_msg("ok %d reason '%s' (server got '%s')", res.ok, res.reason, s.got);
	assert_false(s.failed);
}

static void test_smtp_good(void **state)
{
	static const struct step multi[] = {
		{ .op = S_SEND, .s = "220-mx.test ESMTP\r\n220-more text\r\n220 ready\r\n" },
		{ .op = S_EXPECT, .s = "HELO vigil.test" },
		{ .op = S_SEND, .s = "250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n" },
		{ .op = S_EXPECT, .s = "QUIT" },
		{ .op = S_SEND, .s = "221 bye\r\n" },
		{ .op = S_CLOSE },
	};
	static const struct step bare_lf[] = {
		{ .op = S_SEND, .s = "220 ok\n" }, { .op = S_EXPECT, .s = "HELO" },
		{ .op = S_SEND, .s = "250\n" },	   { .op = S_EXPECT, .s = "QUIT" },
		{ .op = S_SEND, .s = "221\n" },	   { .op = S_CLOSE },
	};
	static const struct step dribble[] = {
		{ .op = S_SEND, .s = "2" },
		{ .op = S_SEND, .s = "20 slow" },
		{ .op = S_SEND, .s = " banner\r" },
		{ .op = S_SEND, .s = "\n" },
		{ .op = S_EXPECT, .s = "HELO" },
		{ .op = S_SEND, .s = "250 ok\r\n" },
		{ .op = S_EXPECT, .s = "QUIT" },
		{ .op = S_SEND, .s = "221 ok\r\n" },
		{ .op = S_CLOSE },
	};

	(void)state;
	smtp_case(smtp_good, true, "ok");
	expect_cause(CHECK_OK);
	smtp_case(multi, true, "ok");
	smtp_case(bare_lf, true, "ok");
	smtp_case(dribble, true, "ok");
}

static void test_smtp_bad(void **state)
{
	static const struct step busy[] = { { .op = S_SEND, .s = "554 go away\r\n" },
					    { .op = S_CLOSE } };
	static const struct step helo_refused[] = {
		{ .op = S_SEND, .s = "220 hi\r\n" },
		{ .op = S_EXPECT, .s = "HELO" },
		{ .op = S_SEND, .s = "501 bad helo\r\n" },
		{ .op = S_CLOSE },
	};
	static const struct step quit_wrong[] = {
		{ .op = S_SEND, .s = "220 hi\r\n" },   { .op = S_EXPECT, .s = "HELO" },
		{ .op = S_SEND, .s = "250 ok\r\n" },   { .op = S_EXPECT, .s = "QUIT" },
		{ .op = S_SEND, .s = "250 what\r\n" }, { .op = S_CLOSE },
	};
	static const struct step garbage[] = { { .op = S_SEND, .s = "HTTP/1.1 400 Bad\r\n" },
					       { .op = S_CLOSE } };
	static const struct step short_code[] = { { .op = S_SEND, .s = "22\r\n" },
						  { .op = S_CLOSE } };
	static const struct step bad_sep[] = { { .op = S_SEND, .s = "220xready\r\n" },
					       { .op = S_CLOSE } };
	static const struct step mixed[] = { { .op = S_SEND, .s = "220-a\r\n250 b\r\n" },
					     { .op = S_CLOSE } };
	static const struct step nul[] = { { .op = S_SEND, .s = "220 a\0b\r\n", .len = 9 },
					   { .op = S_CLOSE } };
	static const struct step closed[] = { { .op = S_CLOSE } };
	static const struct step closed_mid[] = { { .op = S_SEND, .s = "220-first line\r\n" },
						  { .op = S_CLOSE } };
	static const struct step silent[] = { { .op = S_SLEEP }, { .op = S_CLOSE } };
	static char long_line[700], huge[6000];
	static struct step too_long[] = { { .op = S_SEND, .s = long_line }, { .op = S_CLOSE } };
	static struct step too_big[] = { { .op = S_SEND, .s = huge }, { .op = S_CLOSE } };

	(void)state;
	memset(long_line, 'x', sizeof(long_line) - 1);
	memcpy(long_line, "220 ", 4);
	for (size_t i = 0; i + 8 < sizeof(huge); i += 8)
		memcpy(huge + i, "220-xx\r\n", 8);

	smtp_case(busy, false, "greeting: expected 220, got 554 go away");
	expect_cause(CHECK_SMTP_REPLY);
	smtp_case(helo_refused, false, "reply to HELO: expected 250, got 501 bad helo");
	expect_cause(CHECK_SMTP_REPLY);
	smtp_case(quit_wrong, false, "reply to QUIT: expected 221, got 250 what");
	expect_cause(CHECK_SMTP_REPLY);
	smtp_case(garbage, false, "malformed reply line during the greeting");
	expect_cause(CHECK_BAD_RESPONSE);
	smtp_case(short_code, false, "malformed reply line");
	expect_cause(CHECK_BAD_RESPONSE);
	smtp_case(bad_sep, false, "malformed reply line");
	expect_cause(CHECK_BAD_RESPONSE);
	smtp_case(mixed, false, "multi-line reply changes code from 220 to 250");
	expect_cause(CHECK_BAD_RESPONSE);
	smtp_case(nul, false, "NUL byte");
	expect_cause(CHECK_BAD_RESPONSE);
	smtp_case(closed, false, "connection closed by the server before the greeting");
	expect_cause(CHECK_CLOSED);
	smtp_case(closed_mid, false, "connection closed by the server before the greeting");
	expect_cause(CHECK_CLOSED);
	smtp_case(silent, false, "timeout waiting for the greeting (");
	expect_cause(CHECK_TIMEOUT);
	smtp_case(too_long, false, "reply line longer than 512 bytes");
	expect_cause(CHECK_RESPONSE_TOO_LARGE);
	smtp_case(too_big, false, "reply longer than 4096 bytes");
	expect_cause(CHECK_RESPONSE_TOO_LARGE);
}

static void test_smtp_refused(void **state)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;

	(void)state;
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", dead_port(SOCK_STREAM));
	c.helo_name = "x";
	run(&check_kind_smtp, &p);
	assert_false(res.ok);
	assert_non_null(strstr(res.reason, "failed: Connection refused"));
	expect_cause(CHECK_CONNECT_REFUSED);
	/* a HELO name that would inject a command */
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", dead_port(SOCK_STREAM));
	c.helo_name = "a\r\nRCPT TO:<x>";
	run(&check_kind_smtp, &p);
	assert_false(res.ok);
	assert_non_null(strstr(res.reason, "HELO name"));
	expect_cause(CHECK_CONFIG);
	/* bind_if that does not exist */
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", dead_port(SOCK_STREAM));
	c.bind_if = "nosuchif0";
	run(&check_kind_smtp, &p);
	assert_false(res.ok);
	assert_non_null(strstr(res.reason, "bind_if"));
	expect_cause(CHECK_SOCKET);
}

static void test_smtp_helo_default(void **state)
{
	static const struct step global[] = {
		{ .op = S_SEND, .s = "220 hi\r\n" }, { .op = S_EXPECT, .s = "HELO global.test" },
		{ .op = S_SEND, .s = "250 ok\r\n" }, { .op = S_EXPECT, .s = "QUIT" },
		{ .op = S_SEND, .s = "221 ok\r\n" }, { .op = S_CLOSE },
	};
	static char want[300];
	static struct step host[] = {
		{ .op = S_SEND, .s = "220 hi\r\n" }, { .op = S_EXPECT, .s = want },
		{ .op = S_SEND, .s = "250 ok\r\n" }, { .op = S_EXPECT, .s = "QUIT" },
		{ .op = S_SEND, .s = "221 ok\r\n" }, { .op = S_CLOSE },
	};
	static struct conf_model m;
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	struct tcp_srv s;
	char hn[256] = "";

	(void)state;
	m.global.smtp_helo_name = "global.test";
	eng.m = &m;
	tcp_srv_start(&s, global);
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", s.port);
	run(&check_kind_smtp, &p);
	tcp_srv_stop(&s);
	assert_true(res.ok);
	assert_false(s.failed);

	m.global.smtp_helo_name = NULL;
	gethostname(hn, sizeof(hn) - 1);
	snprintf(want, sizeof(want), "HELO %s", hn);
	tcp_srv_start(&s, host);
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", s.port);
	run(&check_kind_smtp, &p);
	tcp_srv_stop(&s);
	assert_true(res.ok);
	assert_false(s.failed);
	eng.m = NULL;
}

static void test_smtp_hosts(void **state)
{
	struct check_probe p;
	struct conf_check c, h1, h2;
	struct conf_rs rs;
	struct tcp_srv s1, s2;
	static const struct step bad[] = { { .op = S_SEND, .s = "421 closing\r\n" },
					   { .op = S_CLOSE } };

	(void)state;
	/* both good: up */
	tcp_srv_start(&s1, smtp_good);
	tcp_srv_start(&s2, smtp_good);
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", dead_port(SOCK_STREAM));
	c.helo_name = "vigil.test";
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	h1.kind = h2.kind = CONF_CHECK_SMTP_HOST;
	set_addr(&h1.connect_ip, "127.0.0.1");
	set_addr(&h2.connect_ip, "127.0.0.1");
	h1.connect_port = s1.port;
	h2.connect_port = s2.port;
	conf_list_append(&c.hosts, &h1.hdr);
	conf_list_append(&c.hosts, &h2.hdr);
	run(&check_kind_smtp, &p);
	tcp_srv_stop(&s1);
	tcp_srv_stop(&s2);
	assert_true(res.ok);
	assert_string_equal(res.reason, "ok: 2 hosts answered HELO");

	/* the second bad: down, naming it */
	tcp_srv_start(&s1, smtp_good);
	tcp_srv_start(&s2, bad);
	h1.connect_port = s1.port;
	h2.connect_port = s2.port;
	run(&check_kind_smtp, &p);
	tcp_srv_stop(&s1);
	tcp_srv_stop(&s2);
	assert_false(res.ok);
	char want[128];

	snprintf(want, sizeof(want), "host 127.0.0.1:%u: greeting: expected 220, got 421 closing",
		 s2.port);
	assert_string_equal(res.reason, want);
	expect_cause(CHECK_SMTP_REPLY);
}

static void test_smtp_cancel(void **state)
{
	static const struct step silent[] = { { .op = S_SLEEP }, { .op = S_CLOSE } };
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	struct tcp_srv s;
	struct check_attempt a = { .e = &eng, .p = &p, .started_ns = uv_hrtime() };

	(void)state;
	tcp_srv_start(&s, silent);
	init_probe(&p, &c, &rs, CONF_CHECK_SMTP, "127.0.0.1", s.port);
	memset(&res, 0, sizeof(res));
	check_kind_smtp.start(&a);
	uv_run(&loop, UV_RUN_NOWAIT);
	check_kind_smtp.cancel(&a);
	assert_null(a.priv);
	while (uv_run(&loop, UV_RUN_NOWAIT))
		;
	assert_int_equal(res.done, 0);
	tcp_srv_stop(&s);
}

/* ---- a UDP server thread ---- */

enum udp_mode {
	U_ECHO,
	U_DNS_OK,
	U_DNS_NX,
	U_DNS_FOREIGN_THEN_OK,
	U_DNS_WRONG_Q,
	U_SILENT,
	U_FIXED
};

struct udp_srv {
	int fd;
	unsigned port;
	enum udp_mode mode;
	const uint8_t *fixed;
	size_t fixed_len;
	pthread_t th;
};

static void *udp_srv_main(void *arg)
{
	struct udp_srv *s = arg;
	uint8_t b[2048];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(s->fd, b, sizeof(b), 0, (struct sockaddr *)&from, &fl);

	if (n < 0)
		return NULL;
	switch (s->mode) {
	case U_ECHO:
		break;
	case U_FIXED:
		memcpy(b, s->fixed, s->fixed_len);
		n = (ssize_t)s->fixed_len;
		break;
	case U_DNS_OK:
		b[2] |= 0x80;
		break;
	case U_DNS_NX:
		b[2] |= 0x80;
		b[3] = 3;
		break;
	case U_DNS_WRONG_Q:
		b[2] |= 0x80;
		b[n - 1] = 3;
		break;
	case U_DNS_FOREIGN_THEN_OK: {
		uint8_t f[64];

		memcpy(f, b, 12);
		f[0] ^= 0xff; /* another ID */
		f[2] |= 0x80;
		sendto(s->fd, f, 12, 0, (struct sockaddr *)&from, fl);
		sendto(s->fd, b, 5, 0, (struct sockaddr *)&from, fl); /* a runt */
		b[2] |= 0x80;
		break;
	}
	case U_SILENT:
		return NULL;
	}
	sendto(s->fd, b, (size_t)n, 0, (struct sockaddr *)&from, fl);
	return NULL;
}

static void udp_srv_start(struct udp_srv *s, enum udp_mode mode)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);

	s->mode = mode;
	s->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(s->fd, (struct sockaddr *)&sin, &sl);
	s->port = ntohs(sin.sin_port);
	assert_int_equal(pthread_create(&s->th, NULL, udp_srv_main, s), 0);
}

static void udp_srv_stop(struct udp_srv *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->th, NULL);
	close(s->fd);
}

/* ---- DNS_CHECK ---- */

static void dns_case(enum udp_mode mode, int type, const char *name, bool want_ok,
		     const char *want_reason)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	struct udp_srv s = { 0 };

	udp_srv_start(&s, mode);
	init_probe(&p, &c, &rs, CONF_CHECK_DNS, "127.0.0.1", s.port);
	c.dns_type = type;
	c.dns_name = (char *)name;
	run(&check_kind_dns, &p);
	udp_srv_stop(&s);
	if (want_ok != res.ok || !strstr(res.reason, want_reason))
		fail_msg("ok %d reason '%s'", res.ok, res.reason);
}

static void test_dns(void **state)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;

	(void)state;
	dns_case(U_DNS_OK, 3, ".", true, "ok");
	expect_cause(CHECK_OK);
	dns_case(U_DNS_OK, 0, "test.example", true, "ok");
	dns_case(U_DNS_NX, 0, "test.example", false, "server answered RCODE 3 (NXDOMAIN)");
	expect_cause(CHECK_DNS_RCODE);
	dns_case(U_DNS_FOREIGN_THEN_OK, 6, "test.example", true, "ok");
	dns_case(U_DNS_WRONG_Q, 0, "test.example", false,
		 "no valid reply within 1.5 s (last ignored: reply question class differs");
	expect_cause(CHECK_NO_REPLY);
	dns_case(U_ECHO, 0, "test.example", false,
		 "(last ignored: QR bit not set (a query, not a reply))");
	dns_case(U_SILENT, 0, "test.example", false, "no reply within 1.5 s");
	expect_cause(CHECK_NO_REPLY);
	dns_case(U_SILENT, 0, "a..b", false, "cannot build a query");
	expect_cause(CHECK_CONFIG);

	init_probe(&p, &c, &rs, CONF_CHECK_DNS, "127.0.0.1", dead_port(SOCK_DGRAM));
	c.dns_name = ".";
	c.dns_type = 3;
	run(&check_kind_dns, &p);
	assert_false(res.ok);
	assert_non_null(strstr(res.reason, "ICMP port unreachable"));
	expect_cause(CHECK_CONNECT_REFUSED);
}

/* ---- UDP_CHECK ---- */

static uint8_t pat[4] = { 0xab, 0x12, 0x00, 0x05 }, patmask[4] = { 0xff, 0xff, 0x0f, 0xff };

static void udp_case(enum udp_mode mode, const uint8_t *fixed, size_t fixed_len,
		     void (*setup)(struct conf_check *c), bool want_ok, const char *want_reason)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	struct udp_srv s = { .fixed = fixed, .fixed_len = fixed_len };

	udp_srv_start(&s, mode);
	init_probe(&p, &c, &rs, CONF_CHECK_UDP, "127.0.0.1", s.port);
	c.max_reply_length = 255;
	if (setup)
		setup(&c);
	run(&check_kind_udp, &p);
	udp_srv_stop(&s);
	if (want_ok != res.ok || !strstr(res.reason, want_reason))
		fail_msg("ok %d reason '%s'", res.ok, res.reason);
}

static void set_require(struct conf_check *c)
{
	c->require_reply = true;
}

static void set_pattern(struct conf_check *c)
{
	c->require_reply = true;
	c->reply.data = pat;
	c->reply.mask = patmask;
	c->reply.len = 4;
	c->payload.data = pat;
	c->payload.len = 4;
}

static void set_lengths(struct conf_check *c)
{
	c->require_reply = true;
	c->min_reply_length = 3;
	c->max_reply_length = 5;
}

static void test_udp(void **state)
{
	static const uint8_t x_ok[] = { 0xab, 0x12, 0x70, 0x05, 0x99 }; /* x nibble differs */
	static const uint8_t x_bad[] = { 0xab, 0x13, 0x00, 0x05 };
	static const uint8_t x_short[] = { 0xab }; /* matches its 1 byte */
	static const uint8_t two[] = { 1, 2 }, six[] = { 1, 2, 3, 4, 5, 6 },
			     four[] = { 1, 2, 3, 4 };
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;

	(void)state;
	udp_case(U_ECHO, NULL, 0, NULL, true, "ok: got a 16-byte reply");
	udp_case(U_SILENT, NULL, 0, NULL, true, "ok: no ICMP error within 1.5 s");
	expect_cause(CHECK_OK);
	udp_case(U_ECHO, NULL, 0, set_require, true, "ok: 16-byte reply matches");
	udp_case(U_SILENT, NULL, 0, set_require, false, "no reply within 1.5 s");
	expect_cause(CHECK_NO_REPLY);
	udp_case(U_ECHO, NULL, 0, set_pattern, true, "ok: 4-byte reply matches");
	udp_case(U_FIXED, x_ok, sizeof(x_ok), set_pattern, true, "ok: 5-byte reply matches");
	udp_case(U_FIXED, x_short, sizeof(x_short), set_pattern, true, "ok: 1-byte reply");
	udp_case(U_FIXED, x_bad, sizeof(x_bad), set_pattern, false,
		 "reply byte 1 is 0x13, require_reply wants 0x12");
	expect_cause(CHECK_UDP_REPLY);
	udp_case(U_FIXED, two, sizeof(two), set_lengths, false,
		 "reply of 2 bytes is shorter than min_reply_length 3");
	expect_cause(CHECK_UDP_REPLY);
	udp_case(U_FIXED, six, sizeof(six), set_lengths, false,
		 "reply of 6 bytes is longer than max_reply_length 5");
	expect_cause(CHECK_UDP_REPLY);
	udp_case(U_FIXED, four, sizeof(four), set_lengths, true, "ok: 4-byte reply matches");
	/* a 2000-byte reply to a check with max 255: refused, only 4 bytes kept */
	static uint8_t big[2000];
	udp_case(U_FIXED, big, sizeof(big), set_require, false,
		 "reply of 2000 bytes is longer than max_reply_length 255");

	init_probe(&p, &c, &rs, CONF_CHECK_UDP, "127.0.0.1", dead_port(SOCK_DGRAM));
	c.max_reply_length = 255;
	run(&check_kind_udp, &p);
	assert_false(res.ok);
	assert_string_equal(res.reason, "Connection refused (ICMP port unreachable)");
	expect_cause(CHECK_CONNECT_REFUSED);
}

/* ---- PING_CHECK ---- */

static void test_ping(void **state)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;

	(void)state;
	assert_int_equal(check_kind_ping.init(&eng), 0);
	init_probe(&p, &c, &rs, CONF_CHECK_PING, "127.0.0.1", 0);
	/* Root (as make check runs) has raw ICMP sockets; without them a
	 * ping socket needs net.ipv4.ping_group_range to include our group. */
	for (int i = 0; i < 3; i++) {
		run(&check_kind_ping, &p);
		if (!res.ok)
			fail_msg("ping 127.0.0.1: %s", res.reason);
		assert_string_equal(res.reason, "ok");
		expect_cause(CHECK_OK);
	}
	init_probe(&p, &c, &rs, CONF_CHECK_PING, "::1", 0);
	run(&check_kind_ping, &p);
	if (!res.ok)
		fail_msg("ping ::1: %s", res.reason);
	assert_string_equal(res.reason, "ok");
	/* bind_if that does not exist */
	init_probe(&p, &c, &rs, CONF_CHECK_PING, "127.0.0.1", 0);
	c.bind_if = "nosuchif0";
	run(&check_kind_ping, &p);
	assert_false(res.ok);
	assert_non_null(strstr(res.reason, "sending the echo request failed"));
	expect_cause(CHECK_SOCKET);
	check_kind_ping.fini(&eng);
	assert_null(eng.kd[CONF_CHECK_PING]);
	while (uv_run(&loop, UV_RUN_NOWAIT))
		;
}

/* ---- FILE_CHECK ---- */

static char tf_path[64];
static struct conf_model fm;
static struct conf_track_file tf;

static void put_file(const char *text)
{
	FILE *f = fopen(tf_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void file_case(const char *text, long long cw, bool crev, int tw, bool trev, bool want_ok,
		      int32_t want_w, const char *want_reason)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;

	if (text)
		put_file(text);
	else
		unlink(tf_path);
	tf.weight = tw;
	tf.reverse = trev;
	init_probe(&p, &c, &rs, CONF_CHECK_FILE, NULL, 0);
	c.track_file = "tf1";
	c.file_weight = cw;
	c.file_weight_reverse = crev;
	run(&check_kind_file, &p);
	if (want_ok != res.ok || want_w != res.weight || !strstr(res.reason, want_reason))
		fail_msg("'%s': ok %d weight %d reason '%s'", text ? text : "(none)", res.ok,
			 res.weight, res.reason);
}

static void test_file(void **state)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	const int32_t N = CHECK_WEIGHT_NONE;

	(void)state;
	snprintf(tf_path, sizeof(tf_path), "/tmp/vigil-test-tf.%d", (int)getpid());
	tf.hdr.name = "tf1";
	tf.file = tf_path;
	memset(&fm, 0, sizeof(fm));
	conf_list_append(&fm.vrrp.track_files, &tf.hdr);
	eng.m = &fm;

	/* weight 0: zero is up, anything else down; reverse swaps */
	file_case("0\n", 0, false, 0, false, true, N, "ok: value 0 with weight 0");
	expect_cause(CHECK_OK);
	file_case("  7 \n", 0, false, 0, false, false, N, "value 7 with weight 0");
	expect_cause(CHECK_FILE_VALUE);
	file_case("-1", 0, false, 0, false, false, N, "value -1 with weight 0");
	file_case("0", 0, false, 0, true, false, N, "value 0 with weight 0 reverse");
	expect_cause(CHECK_FILE_VALUE);
	file_case("3", 0, false, 0, true, true, N, "ok: value 3 with weight 0 reverse");
	/* missing, garbage, too long, a NUL: value 0, said so */
	file_case(NULL, 0, false, 0, false, true, N, "(file missing, counts as 0)");
	file_case("abc", 0, false, 0, false, true, N, "(file not a number, counts as 0)");
	file_case("12abc", 0, false, 0, false, true, N, "not a number");
	file_case("", 0, false, 0, false, true, N, "not a number");
	file_case("0000000000000000000000000000000000000000000000000000000000000000000001", 0,
		  false, 0, false, true, N, "not a number");
	/* weight from the track_file block (rs weight 10) */
	file_case("3", 0, false, 5, false, true, 25, "ok: value 3 x weight 5: weight 25");
	expect_cause(CHECK_OK);
	file_case("3", 0, false, 5, true, true, 0, "ok: value 3 x weight 5 reverse: weight 0");
	file_case("-2", 0, false, 5, false, true, 0, "weight 0");
	/* the checker's own weight wins, with its own reverse */
	file_case("2", 100, false, 5, true, true, 210, "value 2 x weight 100: weight 210");
	file_case("2", -1, true, 5, false, true, 12, "value 2 x weight -1 reverse: weight 12");
	/* huge values: limited, then fault at -65535 */
	file_case("100000", 0, false, 1, false, true, 65535, "weight 65535");
	file_case("-65535", 0, false, 1, false, false, N, "is -65535 or less (fault)");
	expect_cause(CHECK_FILE_VALUE);
	file_case("-2147483648", 0, false, -2147483647, false, true, 65535, "weight 65535");
	file_case("99999999999999999999", 0, false, 1, false, true, 10, "not a number");

	/* an undefined track_file, and no model at all */
	init_probe(&p, &c, &rs, CONF_CHECK_FILE, NULL, 0);
	c.track_file = "nope";
	run(&check_kind_file, &p);
	assert_false(res.ok);
	assert_string_equal(res.reason, "track_file nope is not defined");
	expect_cause(CHECK_CONFIG);
	eng.m = NULL;
	c.track_file = "tf1";
	run(&check_kind_file, &p);
	assert_false(res.ok);
	expect_cause(CHECK_CONFIG);
	unlink(tf_path);
}

/* ---- MISC_CHECK ---- */

static void misc_case(struct check_probe *p, int32_t status, bool want_ok, int32_t want_w,
		      const char *want_reason)
{
	struct check_attempt a = { .e = &eng, .probe = 3, .p = p };

	memset(&res, 0, sizeof(res));
	eng.spawn_cb = NULL;
	check_kind_misc.start(&a);
	assert_int_equal(res.done, 0);
	assert_non_null(eng.spawn_cb);
	eng.spawn_cb(&a, status);
	assert_int_equal(res.done, 1);
	if (want_ok != res.ok || want_w != res.weight || strcmp(res.reason, want_reason))
		fail_msg("status %d: ok %d weight %d reason '%s'", status, res.ok, res.weight,
			 res.reason);
}

static void test_misc(void **state)
{
	struct check_probe p;
	struct conf_check c;
	struct conf_rs rs;
	struct check_attempt a = { .e = &eng, .p = &p };
	const int32_t N = CHECK_WEIGHT_NONE;

	(void)state;
	init_probe(&p, &c, &rs, CONF_CHECK_MISC, NULL, 0);
	c.misc_timeout = 3000000;
	misc_case(&p, 0, true, N, "ok: exit status 0");
	expect_cause(CHECK_OK);
	misc_case(&p, 1, false, N, "script exit status 1");
	expect_cause(CHECK_SCRIPT_EXIT);
	misc_case(&p, 7, false, N, "script exit status 7");
	expect_cause(CHECK_SCRIPT_EXIT);
	misc_case(&p, CHECK_EXIT_TIMEOUT, false, N, "script killed at misc_timeout (3.0 s)");
	expect_cause(CHECK_SCRIPT_TIMEOUT);
	misc_case(&p, -9, false, N, "script killed by signal 9 (Killed)");
	expect_cause(CHECK_SCRIPT_SIGNAL);

	c.misc_dynamic = true;
	misc_case(&p, 0, true, N, "ok: exit status 0");
	misc_case(&p, 12, true, 10, "ok: exit status 12 sets weight 10");
	expect_cause(CHECK_OK);
	misc_case(&p, 0, true, 10, "ok: exit status 0"); /* the weight stays */
	misc_case(&p, 2, true, 0, "ok: exit status 2 sets weight 0");
	misc_case(&p, 255, true, 253, "ok: exit status 255 sets weight 253");
	misc_case(&p, 1, false, N, "script exit status 1");
	misc_case(&p, 0, true, 253, "ok: exit status 0");
	misc_case(&p, 256, false, N, "impossible exit status 256");
	expect_cause(CHECK_INTERNAL);

	/* main cannot be asked */
	eng.spawn_rc = -EBUSY;
	memset(&res, 0, sizeof(res));
	check_kind_misc.start(&a);
	assert_int_equal(res.done, 1);
	assert_false(res.ok);
	assert_non_null(strstr(res.reason, "cannot ask vigild to run the script"));
	expect_cause(CHECK_INTERNAL);
	eng.spawn_rc = 0;
	check_kind_misc.fini(&eng);
	assert_null(eng.kd[CONF_CHECK_MISC]);
}

static int setup(void **state)
{
	(void)state;
	uv_loop_init(&loop);
	eng.loop = &loop;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (uv_run(&loop, UV_RUN_NOWAIT))
		;
	return uv_loop_close(&loop) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smtp_good),    cmocka_unit_test(test_smtp_bad),
		cmocka_unit_test(test_smtp_refused), cmocka_unit_test(test_smtp_helo_default),
		cmocka_unit_test(test_smtp_hosts),   cmocka_unit_test(test_smtp_cancel),
		cmocka_unit_test(test_dns),	     cmocka_unit_test(test_udp),
		cmocka_unit_test(test_ping),	     cmocka_unit_test(test_file),
		cmocka_unit_test(test_misc),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
