/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check/supervise.c: restart backoff, state carry-over by probe key,
 * validation of what a (fake) checker process sends, over the real
 * socketpair and fork, and the results counted per failure cause.
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
#include "lib/jsonread.h"
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

enum fake_mode {
	FAKE_GARBAGE,
	FAKE_WRONG_GEN,
	FAKE_BAD_COUNT,
	FAKE_NOT_MISC,
	FAKE_SILENT,
	FAKE_BAD_CAUSE, /* a RESULT whose cause is out of range */
	FAKE_NO_CAUSE,	/* a RESULT without a cause */
	FAKE_CAUSES,	/* results of several causes */
};
static enum fake_mode mode;

/* Sends the n records; bad_cause: the first one's cause on the wire is
 * replaced by it (check_batch_encode refuses such a record). */
static void fake_send_raw(int fd, uint32_t gen, const struct check_rec *r, unsigned n,
			  uint32_t bad_cause)
{
	static struct check_batch b;
	static uint8_t buf[CHECK_DGRAM_MAX];
	long len;

	memset(&b, 0, sizeof(b));
	b.gen = gen;
	memcpy(b.v, r, n * sizeof(*r));
	b.n = n;
	len = check_batch_encode(&b, buf, sizeof(buf));
	if (len < 0)
		_exit(3);
	if (bad_cause) { /* header 16 bytes, the cause at 152 of the record, little-endian */
		for (int k = 0; k < 4; k++)
			buf[16 + 152 + k] = (uint8_t)(bad_cause >> (8 * k));
	}
	if (send(fd, buf, (size_t)len, 0) != len)
		_exit(3);
}

static void fake_send(int fd, uint32_t gen, const struct check_rec *r, unsigned n)
{
	fake_send_raw(fd, gen, r, n, 0);
}

static void fake_wait_eof(int fd)
{
	char buf[CHECK_DGRAM_MAX];

	while (recv(fd, buf, sizeof(buf), 0) > 0)
		;
	_exit(0);
}

/* After probe 0's refused: probe 0 up again (ok), then timeouts; probe 1
 * ok twice. */
static void fake_results(int fd, uint32_t gen)
{
	struct check_rec v[5];

	memset(v, 0, sizeof(v));
	for (unsigned i = 0; i < 5; i++) {
		v[i].type = CHECK_REC_RESULT;
		v[i].weight = CHECK_WEIGHT_NONE;
		v[i].probe = i < 3 ? 0 : 1;
		v[i].cause = i == 0 || i >= 3 ? CHECK_OK : CHECK_TIMEOUT;
		v[i].ok = v[i].cause == CHECK_OK;
		v[i].up = i != 2;
	}
	v[0].changed = v[2].changed = true;
	check_rec_set_reason(&v[0], "connected");
	check_rec_set_reason(&v[1], "timeout after 1.0 s reading the response");
	check_rec_set_reason(&v[2], "timeout after 1.0 s reading the response");
	check_rec_set_reason(&v[3], "connected");
	check_rec_set_reason(&v[4], "connected");
	fake_send(fd, gen, v, 5);
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
	case FAKE_NOT_MISC:
	case FAKE_BAD_CAUSE:
	case FAKE_NO_CAUSE:
	case FAKE_CAUSES: {
		char buf[CHECK_DGRAM_MAX];

		/* Records of another generation are ignored, not fatal. */
		r[1] = r[0];
		r[1].type = CHECK_REC_RESULT;
		r[1].probe = 0;
		r[1].up = false;
		r[1].changed = true;
		r[1].cause = CHECK_CONNECT_REFUSED;
		check_rec_set_reason(&r[1], "stale");
		fake_send(fd, gen + 7, &r[1], 1);
		fake_send(fd, gen, r, 1);
		/* Main answers with GO (no state is known yet). */
		if (recv(fd, buf, sizeof(buf), 0) <= 0)
			_exit(4);
		if (mode == FAKE_NOT_MISC) {
			r[1].type = CHECK_REC_SPAWN;
			r[1].cause = CHECK_NONE;
			r[1].seq = 1;
			fake_send(fd, gen, &r[1], 1);
			break;
		}
		check_rec_set_reason(&r[1], "connection refused");
		r[1].latency_us = 123;
		if (mode == FAKE_BAD_CAUSE) {
			fake_send_raw(fd, gen, &r[1], 1, CHECK_CAUSE__COUNT);
			break;
		}
		if (mode == FAKE_NO_CAUSE)
			r[1].cause = CHECK_NONE;
		fake_send(fd, gen, &r[1], 1);
		if (mode == FAKE_CAUSES)
			fake_results(fd, gen);
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
	assert_non_null(strstr(text, "\"cause\":\"refused\""));
	assert_int_equal(check_sup_state(s, 0)->cause, CHECK_CONNECT_REFUSED);
	free(text);
	stop_all(&loop, s);
	conf_load_free(&l);
}

/* The "checker" status as a tree (free with jv_free). */
static struct jv *status_tree(struct check_sup *s)
{
	struct json j;
	struct jv *v;
	const char *err = NULL;
	char *text;
	size_t len = 0;

	json_init(&j, false);
	check_sup_status_json(&j, s);
	text = json_take(&j, &len);
	json_free(&j);
	assert_non_null(text);
	v = jv_parse(text, len, &err);
	if (!v)
		fail_msg("status is not JSON: %s", err);
	free(text);
	return v;
}

/* The probe of index i in the status tree. */
static const struct jv *status_probe(const struct jv *t, unsigned i)
{
	const struct jv *p = jv_get(t, "probes");

	assert_non_null(p);
	for (p = p->child; p && i; p = p->next)
		i--;
	assert_non_null(p);
	return p;
}

/* A member's count, -1 when it is absent. */
static long long count_of(const struct jv *obj, const char *key)
{
	const struct jv *v = jv_get(obj, key);

	return v && v->type == JV_NUM ? jv_int(v) : -1;
}

/* A checker sending a RESULT whose cause is out of range (or none at all)
 * is restarted: the record is dropped whole, counted under its reason, and
 * the probe keeps its state. */
static void expect_cause_dropped(enum fake_mode m, const char *why)
{
	struct conf_load l;
	uv_loop_t loop;
	struct check_sup *s;
	struct jv *t;
	const struct jv *proc;

	mode = m;
	s = start(&loop, &l, conf_a);
	assert_true(run_until(&loop, s, restarted));
	assert_true(check_sup_drops(s) >= 1);
	assert_false(check_sup_state(s, 0)->known);
	assert_int_equal(check_sup_state(s, 0)->cause, CHECK_NONE);
	assert_int_equal(n_changed, 0);
	t = status_tree(s);
	proc = jv_get(t, "process");
	assert_true(count_of(jv_get(proc, "drop_reasons"), why) >= 1);
	assert_int_equal(count_of(proc, "results"), 0);
	assert_int_equal(count_of(jv_get(proc, "results_by_cause"), "refused"), 0);
	assert_true(jv_get(status_probe(t, 0), "cause")->type == JV_NULL);
	jv_free(t);
	stop_all(&loop, s);
	conf_load_free(&l);
}

static void test_bad_cause_dropped(void **state)
{
	(void)state;
	expect_cause_dropped(FAKE_BAD_CAUSE, "cause out of range");
}

static void test_no_cause_dropped(void **state)
{
	(void)state;
	expect_cause_dropped(FAKE_NO_CAUSE, "RESULT without a cause");
}

static bool probe1_known(struct check_sup *s)
{
	return check_sup_state(s, 1)->known;
}

/* Results are counted per cause, in total and per probe, and each probe
 * shows the cause of its last result. */
static void test_cause_counts(void **state)
{
	struct conf_load l;
	uv_loop_t loop;
	struct check_sup *s;
	struct jv *t;
	const struct jv *proc, *total, *p0, *p1, *p2, *c;
	unsigned n_keys = 0;

	(void)state;
	mode = FAKE_CAUSES;
	s = start(&loop, &l, conf_a);
	assert_true(run_until(&loop, s, probe1_known));
	assert_int_equal(check_sup_restarts(s), 0);
	assert_int_equal(check_sup_drops(s), 0);
	assert_false(check_sup_state(s, 0)->up);
	assert_int_equal(check_sup_state(s, 0)->cause, CHECK_TIMEOUT);
	assert_int_equal(check_sup_state(s, 1)->cause, CHECK_OK);
	assert_int_equal(check_sup_state(s, 2)->cause, CHECK_NONE);

	t = status_tree(s);
	proc = jv_get(t, "process");
	assert_int_equal(count_of(proc, "results"), 6);
	total = jv_get(proc, "results_by_cause");
	assert_non_null(total);
	/* every cause has its key, none twice, in the table's order */
	for (c = total->child; c; c = c->next, n_keys++)
		assert_string_equal(c->key, check_causes[CHECK_OK + n_keys].name);
	assert_int_equal(n_keys, CHECK_CAUSE__COUNT - CHECK_OK);
	assert_int_equal(count_of(total, "ok"), 3);
	assert_int_equal(count_of(total, "refused"), 1);
	assert_int_equal(count_of(total, "timeout"), 2);
	assert_int_equal(count_of(total, "hung"), 0);
	assert_int_equal(count_of(total, "none"), -1);

	p0 = status_probe(t, 0);
	assert_string_equal(jv_get(p0, "cause")->str, "timeout");
	assert_string_equal(jv_get(p0, "reason")->str, "timeout after 1.0 s reading the response");
	c = jv_get(p0, "results_by_cause");
	assert_int_equal(count_of(c, "ok"), 1);
	assert_int_equal(count_of(c, "refused"), 1);
	assert_int_equal(count_of(c, "timeout"), 2);
	assert_int_equal(count_of(c, "hung"), -1); /* only causes seen */
	p1 = status_probe(t, 1);
	assert_string_equal(jv_get(p1, "cause")->str, "ok");
	c = jv_get(p1, "results_by_cause");
	assert_int_equal(count_of(c, "ok"), 2);
	assert_null(c->child->next); /* nothing but ok */
	p2 = status_probe(t, 2);
	assert_true(jv_get(p2, "cause")->type == JV_NULL);
	assert_null(jv_get(p2, "results_by_cause")->child);
	jv_free(t);
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
		cmocka_unit_test(test_bad_cause_dropped),
		cmocka_unit_test(test_no_cause_dropped),
		cmocka_unit_test(test_cause_counts),
		cmocka_unit_test(test_hung_restarts),
		cmocka_unit_test(test_no_checkers),
		cmocka_unit_test(test_checker_user_option),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
