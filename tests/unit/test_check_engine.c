/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check engine with a fake kind, talking to the test (playing vigild)
 * over a SOCK_SEQPACKET socketpair: HELLO first, nothing before GO, start
 * spread, jitter, retry before down, rise on the first success, alpha,
 * STATE, batching, SPAWN/EXITED, the watchdog, the double-done guard, a
 * full socket, and stopping when vigild goes away.
 */
#include <errno.h>
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
#include "check/kinds_test.h"
#include "conf/model.h"

#define MS 1000ULL
#define MAXP 256
#define MAXR 20000

/* ---- the fake kind ---- */

enum fake_mode { FAKE_OK, FAKE_FAIL, FAKE_FLIP, FAKE_HANG, FAKE_TWICE, FAKE_SPAWN, FAKE_NO_CAUSE };

static struct {
	enum fake_mode mode;
	unsigned starts[MAXP], cancels[MAXP];
	uint64_t first_ms[MAXP], last_ms[MAXP];
	uint64_t times[64];	/* start times of probe 0 */
	int64_t next_due[MAXP]; /* after the last attempt ended: ms to the next */
	int64_t dues[64];	/* the same for each failure of probe 0 */
	int32_t spawn_status;
	int spawn_rc;
	uv_loop_t *loop;
} F;

static void fake_spawned(struct check_attempt *a, int32_t status)
{
	F.spawn_status = status;
	check_attempt_done(a, status == 0 ? CHECK_OK : CHECK_SCRIPT_EXIT,
			   status == 0 ? 42 : CHECK_WEIGHT_NONE, "exit %d", (int)status);
}

static void fake_start(struct check_attempt *a)
{
	unsigned i = a->probe;
	uint64_t now = uv_now(F.loop);

	if (!F.starts[i])
		F.first_ms[i] = now;
	if (i == 0 && F.starts[0] < 64)
		F.times[F.starts[0]] = now;
	F.last_ms[i] = now;
	F.starts[i]++;
	switch (F.mode) {
	case FAKE_OK:
		check_attempt_done(a, CHECK_OK, CHECK_WEIGHT_NONE, "ok");
		F.next_due[i] = check_engine_due_in(a->e, i);
		break;
	case FAKE_FAIL:
		check_attempt_done(a, CHECK_CONNECT_REFUSED, CHECK_WEIGHT_NONE, "connect: refused");
		if (i == 0 && F.starts[0] <= 64)
			F.dues[F.starts[0] - 1] = check_engine_due_in(a->e, 0);
		break;
	case FAKE_FLIP:
		check_attempt_done(a, F.starts[i] % 2 == 0 ? CHECK_OK : CHECK_TIMEOUT,
				   CHECK_WEIGHT_NONE, "flip");
		break;
	case FAKE_HANG:
		break;
	case FAKE_TWICE:
		check_attempt_done(a, CHECK_OK, CHECK_WEIGHT_NONE, "first");
		check_attempt_done(a, CHECK_IO_ERROR, CHECK_WEIGHT_NONE, "second");
		break;
	case FAKE_NO_CAUSE:
		/* a kind's bug: no cause, or one out of range */
		check_attempt_done(a,
				   i == 0 ? CHECK_NONE : (enum check_cause)(CHECK_CAUSE__COUNT + 3),
				   CHECK_WEIGHT_NONE, "no cause");
		break;
	case FAKE_SPAWN:
		F.spawn_rc = check_engine_spawn(a, fake_spawned);
		if (F.spawn_rc)
			check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "spawn failed");
		else
			assert_int_equal(check_engine_spawn(a, fake_spawned), -EBUSY);
		break;
	}
}

static void fake_cancel(struct check_attempt *a)
{
	F.cancels[a->probe]++;
}

static const struct check_kind fake = { .name = "FAKE",
					.start = fake_start,
					.cancel = fake_cancel };

/* ---- the test's side ---- */

static struct conf_check CFG;
static struct check_probe PV[MAXP];
static struct check_list LIST;
static uv_loop_t LOOP;
static int fds[2]; /* [0] engine, [1] the test as vigild */
static struct check_engine *E;
static struct check_rec R[MAXR];
static unsigned n_rec, n_dgrams;
static struct check_batch B;
static uint8_t BUF[CHECK_DGRAM_MAX];

static void probes(unsigned n, int kind, uint64_t delay_loop, uint64_t warmup, unsigned retry,
		   uint64_t dbr, bool alpha)
{
	memset(PV, 0, sizeof(PV));
	for (unsigned i = 0; i < n; i++)
		PV[i] = (struct check_probe){ .kind = kind,
					      .cfg = &CFG,
					      .delay_loop = delay_loop,
					      .warmup = warmup,
					      .retry = retry,
					      .delay_before_retry = dbr,
					      .connect_timeout = 1000 * MS,
					      .alpha = alpha };
	LIST = (struct check_list){ .v = PV, .n = n };
}

static void start_engine(void)
{
	memset(&F, 0, sizeof(F));
	F.loop = &LOOP;
	n_rec = n_dgrams = 0;
	check_kind_override(CONF_CHECK_TCP, &fake);
	check_kind_override(CONF_CHECK_MISC, &fake);
	assert_int_equal(uv_loop_init(&LOOP), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), 0);
	assert_int_equal(check_engine_new(&LOOP, &LIST, 5, fds[0], &E), 0);
	assert_int_equal(check_engine_init_kinds(E), 0);
}

static void drain(void)
{
	const char *why;

	for (;;) {
		ssize_t n = recv(fds[1], BUF, sizeof(BUF), MSG_DONTWAIT);

		if (n <= 0)
			return;
		n_dgrams++;
		if (check_batch_decode(BUF, (size_t)n, CHECK_DIR_TO_MAIN, LIST.n, &B, &why))
			fail_msg("engine sent a bad batch: %s", why);
		assert_int_equal(B.gen, 5);
		for (unsigned i = 0; i < B.n && n_rec < MAXR; i++)
			R[n_rec++] = B.v[i];
	}
}

static void on_deadline(uv_timer_t *t)
{
	*(bool *)t->data = true;
}

/* Runs the loop for ms milliseconds (reading what the engine sends), or
 * until until() holds. The deadline timer repeats: libuv 1.44 runs timers
 * before it polls, so a one-shot deadline that is already due when
 * uv_run(UV_RUN_ONCE) starts (a loaded machine) fires there and leaves the
 * poll with no timer, blocked for ever (nothing the engine sends wakes
 * this loop: the test reads its socket outside it). */
static void run_for(uint64_t ms, bool (*until)(void))
{
	uv_timer_t t;
	bool done = false;

	uv_timer_init(&LOOP, &t);
	t.data = &done;
	/*
	 * Repeating: a timer that is already due when uv_run(UV_RUN_ONCE)
	 * starts (a loaded machine) fires in that turn's timer phase, and
	 * libuv 1.44 then polls with no timeout left; before GO the engine
	 * has no timer of its own, so the poll would wait forever.
	 */
	uv_timer_start(&t, on_deadline, ms, 10);
	while (!done && !(until && until())) {
		uv_run(&LOOP, UV_RUN_ONCE);
		drain();
	}
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&LOOP, UV_RUN_NOWAIT);
}

static unsigned want;

static bool enough(void)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n_rec; i++)
		k += R[i].type == CHECK_REC_RESULT;
	return k >= want;
}

/* Runs until n results arrived (at most 3 s: a loaded machine is slow). */
static void run_until(unsigned n)
{
	want = n;
	run_for(3000, enough);
}

static void send_recs(const struct check_rec *v, unsigned n, uint32_t gen)
{
	B.gen = gen;
	B.n = n;
	memcpy(B.v, v, n * sizeof(*v));
	long len = check_batch_encode(&B, BUF, sizeof(BUF));

	assert_true(len > 0);
	assert_int_equal(send(fds[1], BUF, (size_t)len, 0), len);
}

static void send_go(void)
{
	struct check_rec go = { .type = CHECK_REC_GO };

	send_recs(&go, 1, 5);
}

static void stop_engine(void)
{
	check_engine_free(E);
	E = NULL;
	close(fds[1]);
	uv_run(&LOOP, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&LOOP), 0);
	close(fds[0]);
	check_kind_override(CONF_CHECK_TCP, NULL);
	check_kind_override(CONF_CHECK_MISC, NULL);
}

static unsigned results_of(unsigned probe, struct check_rec **out, unsigned max)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n_rec; i++)
		if (R[i].type == CHECK_REC_RESULT && R[i].probe == probe && k < max)
			out[k++] = &R[i];
	return k;
}

/* ---- tests ---- */

static bool all_started(void);
static bool two_spawns(void);

static void test_hello_then_go(void **state)
{
	(void)state;
	probes(3, CONF_CHECK_TCP, 50 * MS, 1 * MS, 1, 10 * MS, false);
	start_engine();
	F.mode = FAKE_OK;
	run_for(150, NULL);
	assert_int_equal(n_rec, 1);
	assert_int_equal(R[0].type, CHECK_REC_HELLO);
	assert_int_equal(R[0].probe, 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(F.starts[i], 0); /* nothing before GO */
	send_go();
	run_until(3);
	for (unsigned i = 0; i < 3; i++) {
		assert_true(F.starts[i] >= 1);
		assert_true(F.starts[i] <= 3);
	}
	struct check_rec *r[8];

	assert_true(results_of(1, r, 8) >= 1);
	assert_true(r[0]->up);
	assert_false(r[0]->changed);
	assert_string_equal(r[0]->reason, "ok");
	assert_true(r[0]->ok);
	assert_int_equal(r[0]->cause, CHECK_OK);
	stop_engine();
}

static void test_warmup_spread(void **state)
{
	int64_t lo = INT64_MAX, hi = -1;

	(void)state;
	/* the scheduled first attempts (not the wall clock: a loaded machine
	 * only makes timers late) lie in [0, warmup) and spread over it */
	probes(200, CONF_CHECK_TCP, 10000 * MS, 100 * MS, 1, 10 * MS, false);
	start_engine();
	F.mode = FAKE_OK;
	run_for(20, NULL);
	send_go();
	while (check_engine_due_in(E, 199) < 0)
		uv_run(&LOOP, UV_RUN_ONCE);
	for (unsigned i = 0; i < 200; i++) {
		int64_t d = F.starts[i] ? 0 : check_engine_due_in(E, i);

		assert_true(d >= 0 && d <= 100);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	assert_true(lo < 20);
	assert_true(hi > 80);
	run_until(200);
	struct check_engine_stats st;

	check_engine_get_stats(E, &st);
	assert_int_equal(st.results, 200);
	stop_engine();
}

static void test_first_attempt_without_warmup(void **state)
{
	int64_t lo = INT64_MAX, hi = -1;

	(void)state;
	/* warmup 0: spread over delay_loop */
	probes(100, CONF_CHECK_TCP, 100 * MS, 0, 1, 10 * MS, false);
	start_engine();
	F.mode = FAKE_HANG;
	send_go();
	while (check_engine_due_in(E, 99) < 0)
		uv_run(&LOOP, UV_RUN_ONCE);
	for (unsigned i = 0; i < 100; i++) {
		int64_t d = F.starts[i] ? 0 : check_engine_due_in(E, i);

		assert_true(d >= 0 && d <= 100);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	assert_true(lo < 30);
	assert_true(hi > 70);
	stop_engine();
}

static void test_jitter(void **state)
{
	bool varied = false;

	(void)state;
	/* the next attempt is delay_loop after the end of the last, +- 1/16 */
	probes(200, CONF_CHECK_TCP, 160 * MS, 1 * MS, 1, 10 * MS, false);
	start_engine();
	F.mode = FAKE_OK;
	send_go();
	run_until(200);
	for (unsigned i = 0; i < 200; i++) {
		assert_true(F.starts[i] >= 1);
		if (F.next_due[i] < 150 || F.next_due[i] > 170)
			fail_msg("next attempt in %lld ms", (long long)F.next_due[i]);
		varied |= F.next_due[i] != F.next_due[0];
	}
	assert_true(varied);
	stop_engine();

	/* a short delay_loop never goes below 10 ms */
	probes(50, CONF_CHECK_TCP, 10 * MS, 1 * MS, 1, 10 * MS, false);
	start_engine();
	F.mode = FAKE_OK;
	send_go();
	run_until(50);
	for (unsigned i = 0; i < 50; i++) {
		assert_true(F.starts[i] >= 1);
		assert_true(F.next_due[i] >= 10 && F.next_due[i] <= 11);
	}
	stop_engine();
}

static void test_retry_then_down(void **state)
{
	struct check_rec *r[16];

	(void)state;
	probes(1, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 2, 30 * MS, false);
	start_engine();
	F.mode = FAKE_FAIL;
	send_go();
	run_until(3);
	run_for(50, NULL);
	/* up, fails: retried twice delay_before_retry apart, down on the 3rd */
	assert_int_equal(F.starts[0], 3);
	assert_int_equal(results_of(0, r, 16), 3);
	assert_true(r[0]->up && !r[0]->changed);
	assert_true(r[1]->up && !r[1]->changed);
	assert_true(!r[2]->up && r[2]->changed);
	assert_string_equal(r[2]->reason, "connect: refused");
	for (int k = 0; k < 3; k++) {
		assert_false(r[k]->ok);
		assert_int_equal(r[k]->cause, CHECK_CONNECT_REFUSED);
	}
	for (int k = 1; k < 3; k++)
		assert_true(F.times[k] - F.times[k - 1] >= 30);
	/* as scheduled: delay_before_retry twice, then delay_loop (jittered) */
	assert_int_equal(F.dues[0], 30);
	assert_int_equal(F.dues[1], 30);
	assert_true(F.dues[2] >= 9375 && F.dues[2] <= 10625);
	stop_engine();
}

static void test_success_resets_retries(void **state)
{
	struct check_rec *r[32];
	unsigned n;

	(void)state;
	/* ok, fail, ok, fail ...: with retry 1 it never goes down */
	probes(1, CONF_CHECK_TCP, 20 * MS, 1 * MS, 1, 10 * MS, false);
	start_engine();
	F.mode = FAKE_FLIP;
	send_go();
	run_until(6);
	n = results_of(0, r, 32);
	assert_true(n >= 6);
	for (unsigned k = 0; k < n; k++)
		assert_true(r[k]->up && !r[k]->changed);
	stop_engine();
}

static void test_alpha(void **state)
{
	struct check_rec *r[16];

	(void)state;
	/* alpha: starts down; a failure is no change and is not retried */
	probes(1, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 3, 10 * MS, true);
	start_engine();
	F.mode = FAKE_FAIL;
	send_go();
	run_until(LIST.n);
	assert_int_equal(F.starts[0], 1);
	assert_int_equal(results_of(0, r, 16), 1);
	assert_true(!r[0]->up && !r[0]->changed);
	stop_engine();

	/* alpha, then the first success: up at once */
	probes(1, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 3, 10 * MS, true);
	start_engine();
	F.mode = FAKE_OK;
	send_go();
	run_until(LIST.n);
	assert_int_equal(results_of(0, r, 16), 1);
	assert_true(r[0]->up && r[0]->changed);
	stop_engine();
}

static void test_state_override(void **state)
{
	struct check_rec *r[16];
	struct check_rec st[2] = {
		{ .type = CHECK_REC_STATE, .probe = 0, .up = true, .weight = CHECK_WEIGHT_NONE },
		{ .type = CHECK_REC_STATE, .probe = 1, .up = false, .weight = 3 },
	};

	(void)state;
	/* probe 0 alpha but carried up; probe 1 not alpha but carried down */
	probes(2, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	PV[0].alpha = true;
	start_engine();
	F.mode = FAKE_FAIL;
	send_recs(st, 2, 5);
	send_go();
	run_until(LIST.n);
	assert_int_equal(results_of(0, r, 16), 1);
	assert_true(!r[0]->up && r[0]->changed); /* retry 0: down on the first failure */
	assert_int_equal(results_of(1, r, 16), 1);
	assert_true(!r[0]->up && !r[0]->changed);
	stop_engine();

	/* a STATE of another generation is dropped */
	probes(1, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, true);
	start_engine();
	F.mode = FAKE_FAIL;
	send_recs(st, 1, 6);
	send_go();
	run_until(LIST.n);
	assert_int_equal(results_of(0, r, 16), 1);
	assert_true(!r[0]->up && !r[0]->changed);
	struct check_engine_stats s;

	check_engine_get_stats(E, &s);
	assert_int_equal(s.bad_batches, 1);
	stop_engine();
}

static void test_batching(void **state)
{
	(void)state;
	probes(250, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	start_engine();
	F.mode = FAKE_OK;
	run_for(20, NULL);
	assert_int_equal(n_dgrams, 1); /* HELLO */
	send_go();
	run_until(250);
	assert_int_equal(n_rec, 251);
	/* every first attempt is due within 1 ms: a few loop turns, a few datagrams */
	assert_true(n_dgrams - 1 <= 5);
	stop_engine();
}

static void test_spawn_exited(void **state)
{
	struct check_rec *r[8];
	struct check_rec ex = { .type = CHECK_REC_EXITED, .probe = 0, .status = 0 };
	uint32_t seq = 0;

	(void)state;
	probes(2, CONF_CHECK_MISC, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	start_engine();
	F.mode = FAKE_SPAWN;
	send_go();
	run_for(3000, two_spawns);
	assert_int_equal(F.spawn_rc, 0);
	for (unsigned i = 0; i < n_rec; i++)
		if (R[i].type == CHECK_REC_SPAWN && R[i].probe == 1)
			seq = R[i].seq;
	assert_int_not_equal(seq, 0);
	/* an unknown seq is ignored and counted */
	ex.seq = seq + 1000;
	send_recs(&ex, 1, 5);
	/* the right seq, even with the wrong probe index, reaches probe 1 */
	ex.seq = seq;
	ex.status = 0;
	send_recs(&ex, 1, 5);
	run_until(1);
	assert_int_equal(results_of(1, r, 8), 1);
	assert_true(r[0]->up);
	assert_int_equal(r[0]->weight, 42);
	assert_string_equal(r[0]->reason, "exit 0");
	assert_int_equal(r[0]->cause, CHECK_OK);
	assert_int_equal(results_of(0, r, 8), 0);
	/* the same seq again: unknown now */
	send_recs(&ex, 1, 5);
	run_for(30, NULL);
	struct check_engine_stats s;

	check_engine_get_stats(E, &s);
	assert_int_equal(s.exited_unknown, 2);
	stop_engine();
}

static void test_watchdog(void **state)
{
	struct check_rec *r[8];

	(void)state;
	/* connect_timeout 0.1 s: the watchdog fires at 5.1 s */
	probes(1, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	PV[0].connect_timeout = 100 * MS;
	start_engine();
	F.mode = FAKE_HANG;
	send_go();
	run_for(4900, NULL);
	assert_int_equal(results_of(0, r, 8), 0);
	run_until(1);
	assert_int_equal(results_of(0, r, 8), 1);
	assert_string_equal(r[0]->reason, "attempt hung");
	assert_int_equal(r[0]->cause, CHECK_HUNG);
	assert_true(!r[0]->up && r[0]->changed);
	assert_int_equal(F.cancels[0], 1);
	assert_true(r[0]->latency_us >= 5000000);
	stop_engine();
}

static void test_done_twice(void **state)
{
	struct check_rec *r[8];
	struct check_engine_stats s;

	(void)state;
	probes(1, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	start_engine();
	F.mode = FAKE_TWICE;
	send_go();
	run_until(1);
	run_for(20, NULL);
	assert_int_equal(results_of(0, r, 8), 1);
	assert_string_equal(r[0]->reason, "first");
	assert_int_equal(r[0]->cause, CHECK_OK);
	check_engine_get_stats(E, &s);
	assert_int_equal(s.done_twice, 1);
	stop_engine();
}

/* A kind that reports no cause (or one out of range) must not make the
 * engine send a record main refuses: it goes out as CHECK_INTERNAL. */
static void test_no_cause_is_internal(void **state)
{
	struct check_rec *r[8];

	(void)state;
	probes(2, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	start_engine();
	F.mode = FAKE_NO_CAUSE;
	send_go();
	run_until(2); /* drain() fails on a batch that does not decode */
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(results_of(i, r, 8), 1);
		assert_false(r[0]->ok);
		assert_int_equal(r[0]->cause, CHECK_INTERNAL);
		assert_string_equal(r[0]->reason, "no cause");
	}
	stop_engine();
}

static bool all_started(void)
{
	for (unsigned i = 0; i < LIST.n; i++)
		if (!F.starts[i])
			return false;
	return true;
}

static bool two_spawns(void)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n_rec; i++)
		k += R[i].type == CHECK_REC_SPAWN;
	return k >= 2;
}

static void test_main_goes_away(void **state)
{
	uv_timer_t guard;
	bool fired = false;

	(void)state;
	probes(4, CONF_CHECK_TCP, 10000 * MS, 1 * MS, 0, 10 * MS, false);
	start_engine();
	F.mode = FAKE_HANG;
	send_go();
	run_for(3000, all_started);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(F.starts[i], 1);
	close(fds[1]);
	/* uv_run returns by itself: the unref'd guard only bounds a failure */
	uv_timer_init(&LOOP, &guard);
	guard.data = &fired;
	uv_timer_start(&guard, on_deadline, 3000, 0);
	uv_unref((uv_handle_t *)&guard);
	uv_run(&LOOP, UV_RUN_DEFAULT);
	assert_false(fired);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(F.cancels[i], 1);
	uv_close((uv_handle_t *)&guard, NULL);
	check_engine_free(E);
	uv_run(&LOOP, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&LOOP), 0);
	close(fds[0]);
	check_kind_override(CONF_CHECK_TCP, NULL);
	check_kind_override(CONF_CHECK_MISC, NULL);
}

static void test_full_socket(void **state)
{
	int sz = 16384;
	bool st[MAXP];
	struct check_engine_stats s;

	(void)state;
	/* 40 probes flapping every 10 ms while the test does not read */
	probes(40, CONF_CHECK_TCP, 10 * MS, 1 * MS, 0, 10 * MS, false);
	start_engine();
	assert_int_equal(setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)), 0);
	F.mode = FAKE_FLIP;
	send_go();
	{
		uv_timer_t t;
		bool done = false;

		uv_timer_init(&LOOP, &t);
		t.data = &done;
		uv_timer_start(&t, on_deadline, 600, 1); /* repeats: see run_for() */
		while (!done)
			uv_run(&LOOP, UV_RUN_ONCE);
		uv_close((uv_handle_t *)&t, NULL);
	}
	check_engine_get_stats(E, &s);
	assert_true(s.send_blocked > 0);
	assert_true(s.flaps_coalesced > 0);
	/* read everything: main's view must be consistent record by record */
	run_for(300, NULL);
	F.mode = FAKE_HANG;
	run_for(100, NULL);
	for (unsigned i = 0; i < 40; i++)
		st[i] = true;
	unsigned n_results = 0;

	for (unsigned i = 0; i < n_rec; i++) {
		if (R[i].type != CHECK_REC_RESULT)
			continue;
		n_results++;
		if (R[i].changed != (R[i].up != st[R[i].probe]))
			fail_msg("record %u of probe %u: changed=%d up=%d, main had %d", i,
				 R[i].probe, R[i].changed, R[i].up, st[R[i].probe]);
		st[R[i].probe] = R[i].up;
	}
	check_engine_get_stats(E, &s);
	assert_true(n_results < s.results); /* some were coalesced */
	stop_engine();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_then_go),
		cmocka_unit_test(test_warmup_spread),
		cmocka_unit_test(test_first_attempt_without_warmup),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_retry_then_down),
		cmocka_unit_test(test_success_resets_retries),
		cmocka_unit_test(test_alpha),
		cmocka_unit_test(test_state_override),
		cmocka_unit_test(test_batching),
		cmocka_unit_test(test_spawn_exited),
		cmocka_unit_test(test_done_twice),
		cmocka_unit_test(test_no_cause_is_internal),
		cmocka_unit_test(test_main_goes_away),
		cmocka_unit_test(test_full_socket),
		cmocka_unit_test(test_watchdog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
