/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check/supervise.c: restart backoff, state carry-over by probe key, and
 * validation of what a (fake) checker process sends, over the real
 * socketpair and fork.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>
#include <uv.h>

#include "check/probe.h"
#include "check/proto.h"
#include "check/supervise.h"
#include "check/supervise_test.h"
#include "conf/conf.h"
#include "lib/json.h"
#include "daemon/options.h"

static struct conf_model *load(struct conf_load *l, const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	memset(l, 0, sizeof(*l));
	if (conf_load_string("t.conf", text, strlen(text), &o, l) != 0 || l->n_errors) {
		conf_msgs_print(stderr, l->msgs);
		fail_msg("config did not load");
	}
	return l->model;
}

#define VS_HEAD "virtual_server 198.18.0.1 80 {\n delay_loop 1\n lb_kind NAT\n protocol TCP\n"

static const char conf_a[] = VS_HEAD " real_server 198.18.1.1 80 { TCP_CHECK { } }\n"
				     " real_server 198.18.1.2 80 { TCP_CHECK { } }\n"
				     " real_server 198.18.1.3 80 { TCP_CHECK { } }\n}\n";
/* .2 dropped, .3 now has connect_timeout changed, .4 added, .1 unchanged */
static const char conf_b[] =
	VS_HEAD " real_server 198.18.1.4 80 { TCP_CHECK { } }\n"
		" real_server 198.18.1.3 80 { TCP_CHECK { connect_timeout 7 } }\n"
		" real_server 198.18.1.1 80 { TCP_CHECK { } }\n}\n";

static void test_backoff(void **state)
{
	uint64_t b = 0;
	const uint64_t want[] = { 100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000 };

	(void)state;
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		b = check_sup_backoff_ms(b, 50);
		assert_int_equal(b, want[i]);
	}
	/* A checker that lived 60 s starts the backoff over. */
	assert_int_equal(check_sup_backoff_ms(10000, 60000), 100);
	assert_int_equal(check_sup_backoff_ms(10000, 59999), 10000);
}

static void test_carry(void **state)
{
	struct conf_load la, lb;
	struct check_list a, b;
	struct check_probe_state sa[3], sb[3];
	int i1, i3;

	(void)state;
	assert_int_equal(check_list_build(load(&la, conf_a), &a), 0);
	assert_int_equal(check_list_build(load(&lb, conf_b), &b), 0);
	assert_int_equal(a.n, 3);
	assert_int_equal(b.n, 3);
	check_sup_initial_states(&a, sa);
	check_sup_initial_states(&b, sb);
	for (unsigned i = 0; i < 3; i++) {
		assert_true(sa[i].up); /* no alpha: starts up */
		assert_false(sa[i].known);
		assert_int_equal(sa[i].weight, CHECK_WEIGHT_NONE);
		sa[i].up = false;
		sa[i].known = true;
		sa[i].changes = 10 + i;
		snprintf(sa[i].reason, sizeof(sa[i].reason), "old %u", i);
	}
	/* Only .1 has the same key in both lists. */
	assert_int_equal(check_sup_carry(&a, sa, &b, sb), 1);
	i1 = check_list_find(&b, a.v[0].key);
	assert_int_equal(i1, 2);
	assert_false(sb[2].up);
	assert_true(sb[2].known);
	assert_int_equal(sb[2].changes, 10);
	assert_string_equal(sb[2].reason, "old 0");
	/* Changed settings: a new probe, back to its initial state. */
	i3 = check_list_find(&b, a.v[2].key);
	assert_int_equal(i3, -1);
	assert_true(sb[1].up);
	assert_false(sb[1].known);
	assert_true(sb[0].up);
	assert_false(sb[0].known);
	check_list_free(&a);
	check_list_free(&b);
	conf_load_free(&la);
	conf_load_free(&lb);
}

/* ---- a fake checker process ---- */

enum fake_mode { FAKE_GARBAGE, FAKE_WRONG_GEN, FAKE_BAD_COUNT, FAKE_NOT_MISC, FAKE_SILENT };
static enum fake_mode mode;

static void fake_send(int fd, uint32_t gen, const struct check_rec *r, unsigned n)
{
	static struct check_batch b;
	static uint8_t buf[CHECK_DGRAM_MAX];
	long len;

	memset(&b, 0, sizeof(b));
	b.gen = gen;
	memcpy(b.v, r, n * sizeof(*r));
	b.n = n;
	len = check_batch_encode(&b, buf, sizeof(buf));
	if (len < 0 || send(fd, buf, (size_t)len, 0) != len)
		_exit(3);
}

static void fake_wait_eof(int fd)
{
	char buf[CHECK_DGRAM_MAX];

	while (recv(fd, buf, sizeof(buf), 0) > 0)
		;
	_exit(0);
}

static void fake_main(const struct conf_model *m, uint32_t gen, int fd, const char *user)
{
	struct check_rec r[2];
	struct check_list l;

	(void)user;
	memset(r, 0, sizeof(r));
	if (check_list_build(m, &l) < 0)
		_exit(2);
	r[0].type = CHECK_REC_HELLO;
	r[0].probe = l.n;
	r[0].weight = CHECK_WEIGHT_NONE;
	switch (mode) {
	case FAKE_GARBAGE:
		if (send(fd, "\x01\x02garbage", 9, 0) != 9)
			_exit(3);
		break;
	case FAKE_SILENT:
		fake_send(fd, gen, r, 1); /* then nothing: hung */
		break;
	case FAKE_BAD_COUNT:
		r[0].probe = l.n + 1;
		fake_send(fd, gen, r, 1);
		break;
	case FAKE_WRONG_GEN:
	case FAKE_NOT_MISC: {
		char buf[CHECK_DGRAM_MAX];

		/* Records of another generation are ignored, not fatal. */
		r[1] = r[0];
		r[1].type = CHECK_REC_RESULT;
		r[1].probe = 0;
		r[1].up = false;
		r[1].changed = true;
		check_rec_set_reason(&r[1], "stale");
		fake_send(fd, gen + 7, &r[1], 1);
		fake_send(fd, gen, r, 1);
		/* Main answers with GO (no state is known yet). */
		if (recv(fd, buf, sizeof(buf), 0) <= 0)
			_exit(4);
		if (mode == FAKE_NOT_MISC) {
			r[1].type = CHECK_REC_SPAWN;
			r[1].seq = 1;
			fake_send(fd, gen, &r[1], 1);
			break;
		}
		check_rec_set_reason(&r[1], "connection refused");
		r[1].latency_us = 123;
		fake_send(fd, gen, &r[1], 1);
		break;
	}
	}
	fake_wait_eof(fd);
}

static unsigned n_changed;
static bool last_up;

static void on_changed(void *ctx, const struct check_list *l, unsigned probe,
		       const struct check_probe_state *st)
{
	(void)ctx;
	(void)l;
	(void)probe;
	n_changed++;
	last_up = st->up;
}

static bool run_until(uv_loop_t *loop, struct check_sup *s, bool (*done)(struct check_sup *))
{
	for (int i = 0; i < 300; i++) {
		if (done(s))
			return true;
		uv_run(loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
	return done(s);
}

static bool restarted(struct check_sup *s)
{
	return check_sup_restarts(s) >= 1 && check_sup_pid(s) > 0;
}

static bool got_result(struct check_sup *s)
{
	return check_sup_state(s, 0)->known;
}

static void stop_all(uv_loop_t *loop, struct check_sup *s)
{
	check_sup_stop(s);
	for (int i = 0; i < 500 && uv_loop_alive(loop); i++) {
		uv_run(loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
	assert_false(uv_loop_alive(loop));
	check_sup_free(s);
	assert_int_equal(uv_loop_close(loop), 0);
}

static struct check_sup *start(uv_loop_t *loop, struct conf_load *l, const char *text)
{
	struct check_sup_ops ops = { .changed = on_changed };
	struct check_sup_opts o = { .user = "nobody" };
	struct check_sup *s = NULL;

	check_sup_child_main = fake_main;
	n_changed = 0;
	assert_int_equal(uv_loop_init(loop), 0);
	assert_int_equal(check_sup_start(loop, load(l, text), &o, &ops, &s), 0);
	assert_non_null(s);
	assert_true(check_sup_pid(s) > 0);
	return s;
}

static void expect_restart_conf(enum fake_mode m, const char *conf)
{
	struct conf_load l;
	uv_loop_t loop;
	struct check_sup *s;
	pid_t first;

	mode = m;
	s = start(&loop, &l, conf);
	first = check_sup_pid(s);
	assert_true(run_until(&loop, s, restarted));
	assert_int_not_equal(check_sup_pid(s), first);
	if (m == FAKE_SILENT)
		assert_int_equal(check_sup_drops(s), 0); /* a hang is no invalid message */
	else
		assert_true(check_sup_drops(s) >= 1);
	assert_int_equal(n_changed, 0);
	stop_all(&loop, s);
	conf_load_free(&l);
}

static void expect_restart(enum fake_mode m)
{
	expect_restart_conf(m, conf_a);
}

/* A checker that says hello and then nothing for 3 x (delay_loop +
 * connect_timeout + delay_before_retry) is restarted. */
static void test_hung_restarts(void **state)
{
	static const char fast[] = "virtual_server 198.18.0.1 80 {\n delay_loop 0.1\n"
				   " lb_kind NAT\n protocol TCP\n"
				   " real_server 198.18.1.1 80 { TCP_CHECK { connect_timeout 0.1\n"
				   " delay_before_retry 0.1 } }\n}\n";

	(void)state;
	check_sup_hung_min_ms = 100;
	expect_restart_conf(FAKE_SILENT, fast);
	check_sup_hung_min_ms = 30000;
}

static void test_garbage_restarts(void **state)
{
	(void)state;
	expect_restart(FAKE_GARBAGE);
}

static void test_bad_hello_restarts(void **state)
{
	(void)state;
	expect_restart(FAKE_BAD_COUNT);
}

static void test_spawn_not_misc_restarts(void **state)
{
	(void)state;
	expect_restart(FAKE_NOT_MISC);
}

static void test_wrong_gen_ignored(void **state)
{
	struct conf_load l;
	uv_loop_t loop;
	struct check_sup *s;
	struct json j;
	char *text;

	(void)state;
	mode = FAKE_WRONG_GEN;
	s = start(&loop, &l, conf_a);
	assert_true(run_until(&loop, s, got_result));
	/* The stale record did nothing; the real one took the probe down. */
	assert_int_equal(check_sup_restarts(s), 0);
	assert_int_equal(check_sup_drops(s), 0);
	assert_int_equal(n_changed, 1);
	assert_false(last_up);
	assert_false(check_sup_state(s, 0)->up);
	assert_int_equal(check_sup_state(s, 0)->changes, 1);
	assert_int_equal(check_sup_state(s, 0)->latency_us, 123);
	assert_string_equal(check_sup_state(s, 0)->reason, "connection refused");
	assert_false(check_sup_state(s, 1)->known);

	json_init(&j, false);
	check_sup_status_json(&j, s);
	text = json_take(&j, NULL);
	json_free(&j);
	assert_non_null(strstr(text, "\"old_generation_ignored\":1"));
	assert_non_null(strstr(text, "\"probes_total\":3"));
	assert_non_null(strstr(text, "\"probes_up\":2"));
	assert_non_null(strstr(text, "\"reason\":\"connection refused\""));
	free(text);
	stop_all(&loop, s);
	conf_load_free(&l);
}

/* A model without checkers: no process, no supervisor. */
static void test_no_checkers(void **state)
{
	struct conf_load l;
	uv_loop_t loop;
	struct check_sup *s = (void *)1;
	struct check_sup_opts o = { .user = NULL };

	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(
		check_sup_start(&loop, load(&l, "global_defs { router_id x }\n"), &o, NULL, &s), 0);
	assert_null(s);
	assert_int_equal(uv_loop_close(&loop), 0);
	conf_load_free(&l);
}

static void test_checker_user_option(void **state)
{
	struct vigild_options o;
	char err[256];
	char *a1[] = { "vigild", NULL };
	char *a2[] = { "vigild", "--checker-user", "daemon", NULL };
	char *a3[] = { "vigild", "--checker-user", "", NULL };

	(void)state;
	assert_int_equal(vigild_parse_options(1, a1, &o, err, sizeof(err)), 0);
	assert_string_equal(o.checker_user, "nobody");
	assert_int_equal(vigild_parse_options(3, a2, &o, err, sizeof(err)), 0);
	assert_string_equal(o.checker_user, "daemon");
	assert_int_equal(vigild_parse_options(3, a3, &o, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_carry),
		cmocka_unit_test(test_garbage_restarts),
		cmocka_unit_test(test_bad_hello_restarts),
		cmocka_unit_test(test_spawn_not_misc_restarts),
		cmocka_unit_test(test_wrong_gen_ignored),
		cmocka_unit_test(test_hung_restarts),
		cmocka_unit_test(test_no_checkers),
		cmocka_unit_test(test_checker_user_option),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
