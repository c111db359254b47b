/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Instance timers (timer.h): the wheel of advert timers, the timerfd of
 * the last stretch of master-down timers, and the rules that move a
 * deadline without a wake-up (a backup hears an advert every interval).
 */
#include "config.h"

#include "vrrp/timer.h"

#include <errno.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"

#define ADVERT_GRID_MS 4      /* advert timers of many masters fire together on this grid */
#define PRECISE_NS 2000000ull /* the last 2 ms before a master-down deadline: timerfd */
#define EARLY_NS 20000ull     /* "due" when this close: below the clock's granularity */

static void on_timer(uv_timer_t *h);
static void down_due(struct vrrp_timer *t);

/* A master-down timer woken before its (moved) deadline sleeps the rest. */
static void sleep_rest(struct vrrp_timer *t, uint64_t now)
{
	uint64_t due = t->due_ns;

	t->armed = false;
	vrrp_timer_arm(t, 0, (due - now) / 1000, true);
}

/* ---------------------------------------------------------------- timerfd */

/*
 * libuv's timers count whole milliseconds, which would make a takeover up
 * to 2 ms late. A master-down timer is therefore armed in libuv to fire a
 * little early, and the rest is waited on ONE timerfd (nanoseconds, the
 * same CLOCK_MONOTONIC as uv_hrtime) shared by every instance close to its
 * deadline.
 */
static void precise_rearm(struct vrrp_timers *ts, uint64_t due_ns)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (due_ns) {
		its.it_value.tv_sec = (time_t)(due_ns / 1000000000ull);
		its.it_value.tv_nsec = (long)(due_ns % 1000000000ull);
	}
	ts->tfd_due = due_ns;
	if (timerfd_settime(ts->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		log_debug("vrrp: timerfd_settime: %s", strerror(errno));
}

static void on_precise(uv_poll_t *h, int status, int events)
{
	struct vrrp_timers *ts = h->data;
	struct vrrp_timer *due = NULL, **pp, *t;
	uint64_t ticks, now, min = 0;

	(void)status;
	(void)events;
	if (read(ts->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		log_debug("vrrp: timerfd read: %s", strerror(errno));
	now = uv_hrtime();
	for (pp = &ts->precise; (t = *pp);) {
		/* Due now, or moved far away by adverts (back to libuv then). */
		if (t->due_ns <= now + EARLY_NS || t->due_ns > now + PRECISE_NS) {
			*pp = t->precise_next;
			t->in_precise = false;
			t->precise_next = due;
			due = t;
			continue;
		}
		if (!min || t->due_ns < min)
			min = t->due_ns;
		pp = &t->precise_next;
	}
	precise_rearm(ts, min);
	while ((t = due)) {
		due = t->precise_next;
		t->precise_next = NULL;
		if (t->due_ns > now + PRECISE_NS) {
			sleep_rest(t, now);
			continue;
		}
		down_due(t);
	}
}

static bool precise_open(struct vrrp_timers *ts)
{
	if (ts->tfd_open)
		return true;
	if (ts->tfd_failed)
		return false;
	ts->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ts->tfd < 0 || uv_poll_init(ts->loop, &ts->tfd_poll, ts->tfd) < 0) {
		log_warn("vrrp: timerfd: %s: master-down timers have millisecond resolution",
			 strerror(errno));
		if (ts->tfd >= 0)
			close(ts->tfd);
		ts->tfd = -1;
		ts->tfd_failed = true;
		return false;
	}
	ts->tfd_poll.data = ts;
	uv_poll_start(&ts->tfd_poll, UV_READABLE, on_precise);
	ts->tfd_open = true;
	return true;
}

static void on_tfd_closed(uv_handle_t *h)
{
	struct vrrp_timers *ts = h->data;

	close(ts->tfd);
	ts->tfd = -1;
}

static void precise_remove(struct vrrp_timer *t)
{
	struct vrrp_timer **pp;

	if (!t->in_precise)
		return;
	for (pp = &t->set->precise; *pp; pp = &(*pp)->precise_next) {
		if (*pp == t) {
			*pp = t->precise_next;
			break;
		}
	}
	t->precise_next = NULL;
	t->in_precise = false;
	/* The timerfd may wake once for nothing: it re-arms for the rest. */
}

/* Waits the last stretch before t->due_ns precisely. */
static void precise_add(struct vrrp_timer *t)
{
	struct vrrp_timers *ts = t->set;

	if (!precise_open(ts)) {
		uint64_t now = uv_hrtime();
		uint64_t rest = t->due_ns > now ? t->due_ns - now : 0;

		uv_timer_start(&t->uv, on_timer, (rest + 999999) / 1000000, 0);
		return;
	}
	if (!t->in_precise) {
		t->precise_next = ts->precise;
		ts->precise = t;
		t->in_precise = true;
	}
	if (!ts->tfd_due || t->due_ns < ts->tfd_due)
		precise_rearm(ts, t->due_ns);
}

/* ---------------------------------------------------------------- wheel */

/*
 * Advert timers of masters. A thousand masters each re-arming a libuv timer
 * ten times a second spend most of the daemon's user time in libuv's timer
 * heap; their deadlines sit on the ADVERT_GRID_MS grid anyway, so they live
 * in a wheel instead: one slot per grid point (VRRP_WHEEL_SLOTS of them, so
 * deadlines up to about a second ahead) and ONE libuv timer for the
 * earliest non-empty slot. Longer intervals keep their own libuv timer.
 */
#define WHEEL_SPAN_MS ((uint64_t)VRRP_WHEEL_SLOTS * ADVERT_GRID_MS)

static void timer_fired(struct vrrp_timer *t);
static void on_wheel(uv_timer_t *h);

/* Master-down timers in the wheel run a grid step or two before the point
 * where the libuv timer would wake (1 to 2 ms before the deadline). */
#define DOWN_WHEEL_MIN_NS (4 * ADVERT_GRID_MS * 1000000ull)

static uint64_t down_wheel_ms(uint64_t due_ns)
{
	return (due_ns - PRECISE_NS / 2) / 1000000 - ADVERT_GRID_MS;
}

static void wheel_remove(struct vrrp_timer *t)
{
	if (!t->wheel_pprev)
		return;
	*t->wheel_pprev = t->wheel_next;
	if (t->wheel_next)
		t->wheel_next->wheel_pprev = t->wheel_pprev;
	t->wheel_next = NULL;
	t->wheel_pprev = NULL;
	t->set->wheel_n--;
}

static void wheel_arm(struct vrrp_timers *ts, uint64_t at_ms)
{
	uint64_t now = uv_now(ts->loop);

	if (ts->wheel_due && ts->wheel_due <= at_ms)
		return;
	ts->wheel_due = at_ms;
	uv_timer_start(&ts->wheel_timer, on_wheel, at_ms > now ? at_ms - now : 0, 0);
}

/* Runs the due timers of one slot; one firing may cancel others. */
static void wheel_run_slot(struct vrrp_timers *ts, unsigned slot, uint64_t now)
{
	struct vrrp_timer *t;

again:
	for (t = ts->wheel[slot]; t; t = t->wheel_next) {
		if (t->wheel_at_ms <= now) {
			wheel_remove(t);
			timer_fired(t);
			goto again;
		}
	}
}

static void on_wheel(uv_timer_t *h)
{
	struct vrrp_timers *ts = h->data;
	uint64_t now = uv_now(ts->loop), now_g = now / ADVERT_GRID_MS, g;
	unsigned i;

	ts->wheel_due = 0;
	g = ts->wheel_pos;
	if (now_g >= VRRP_WHEEL_SLOTS && g < now_g - (VRRP_WHEEL_SLOTS - 1))
		g = now_g - (VRRP_WHEEL_SLOTS - 1); /* every slot once */
	for (; g <= now_g && ts->wheel_n; g++) {
		ts->wheel_pos = g + 1;
		wheel_run_slot(ts, (unsigned)(g % VRRP_WHEEL_SLOTS), now);
	}
	if (ts->wheel_pos <= now_g)
		ts->wheel_pos = now_g + 1;
	if (!ts->wheel_n) {
		uv_timer_stop(&ts->wheel_timer);
		ts->wheel_due = 0;
		return;
	}
	/* The earliest non-empty slot from here on. */
	for (i = 0; i < VRRP_WHEEL_SLOTS; i++)
		if (ts->wheel[(ts->wheel_pos + i) % VRRP_WHEEL_SLOTS])
			break;
	ts->wheel_due = 0;
	wheel_arm(ts, (ts->wheel_pos + i) * ADVERT_GRID_MS);
}

static bool wheel_open(struct vrrp_timers *ts)
{
	if (ts->wheel_open)
		return true;
	if (ts->stopping || uv_timer_init(ts->loop, &ts->wheel_timer) < 0)
		return false;
	ts->wheel_timer.data = ts;
	ts->wheel_open = true;
	return true;
}

/* t runs at loop time at_ms (less than WHEEL_SPAN_MS ahead): at the grid
 * point at or after it (advert timers), or at or before it (early: the
 * first wake-up of a master-down timer). */
static bool wheel_add(struct vrrp_timer *t, uint64_t at_ms, bool early)
{
	struct vrrp_timers *ts = t->set;
	uint64_t g = (at_ms + (early ? 0 : ADVERT_GRID_MS - 1)) / ADVERT_GRID_MS;
	struct vrrp_timer **head;

	if (!wheel_open(ts))
		return false;
	wheel_remove(t);
	t->wheel_at_ms = g * ADVERT_GRID_MS;
	if (!ts->wheel_n || g < ts->wheel_pos)
		ts->wheel_pos = g;
	head = &ts->wheel[g % VRRP_WHEEL_SLOTS];
	t->wheel_next = *head;
	if (*head)
		(*head)->wheel_pprev = &t->wheel_next;
	*head = t;
	t->wheel_pprev = head;
	ts->wheel_n++;
	wheel_arm(ts, g * ADVERT_GRID_MS);
	return true;
}

/* ---------------------------------------------------------------- timers */

void vrrp_timers_init(struct vrrp_timers *ts, uv_loop_t *loop, const struct vrrp_timer_ops *ops)
{
	memset(ts, 0, sizeof(*ts));
	ts->loop = loop;
	ts->ops = ops;
	ts->tfd = -1;
}

void vrrp_timers_stop(struct vrrp_timers *ts)
{
	ts->stopping = true;
}

void vrrp_timers_close(struct vrrp_timers *ts)
{
	if (ts->wheel_open) {
		ts->wheel_open = false;
		uv_timer_stop(&ts->wheel_timer);
		uv_close((uv_handle_t *)&ts->wheel_timer, NULL);
	}
	if (!ts->tfd_open)
		return;
	ts->tfd_open = false;
	uv_poll_stop(&ts->tfd_poll);
	uv_close((uv_handle_t *)&ts->tfd_poll, on_tfd_closed);
}

void vrrp_timer_init(struct vrrp_timers *ts, struct vrrp_timer *t)
{
	t->set = ts;
	uv_timer_init(ts->loop, &t->uv);
	t->uv.data = t;
}

void vrrp_timer_cancel(struct vrrp_timer *t)
{
	uv_timer_stop(&t->uv);
	precise_remove(t);
	wheel_remove(t);
	t->armed = false;
}

void vrrp_timer_close(struct vrrp_timer *t, uv_close_cb cb)
{
	precise_remove(t);
	wheel_remove(t);
	uv_close((uv_handle_t *)&t->uv, cb);
}

/* A master-down timer: into the timerfd when the deadline is close, the
 * wheel when it is far enough ahead, else its own libuv timer 1 to 2 ms
 * early (on_timer sleeps the rest in a libuv timer, then the timerfd). */
static void arm_down(struct vrrp_timer *t, uint64_t now_ns, uint64_t due_ns)
{
	uint64_t due_ms, ms;

	if (due_ns - now_ns <= PRECISE_NS) {
		precise_add(t);
		return;
	}
	if (due_ns - now_ns > DOWN_WHEEL_MIN_NS && due_ns - now_ns < WHEEL_SPAN_MS * 1000000 / 2 &&
	    wheel_add(t, down_wheel_ms(due_ns), true))
		return;
	due_ms = (due_ns - PRECISE_NS / 2) / 1000000;
	now_ns /= 1000000;
	ms = due_ms > now_ns ? due_ms - now_ns : 0;
	uv_timer_start(&t->uv, on_timer, ms, 0);
}

void vrrp_timer_arm(struct vrrp_timer *t, uint64_t base_ns, uint64_t us, bool down)
{
	uint64_t now_ns, due_ns, loop_ms, due_ms, ms;

	now_ns = uv_hrtime();
	if (!down || !base_ns || base_ns > now_ns)
		base_ns = now_ns;
	due_ns = base_ns + us * 1000;
	if (due_ns < now_ns)
		due_ns = now_ns;
	if (down && t->armed && t->due_ns <= due_ns &&
	    (!t->wheel_pprev || due_ns - now_ns < WHEEL_SPAN_MS * 1000000 / 2)) {
		/* A backup hears an advert every interval: only move the deadline;
		 * a libuv timer fires at the old one and waits the rest then, a
		 * wheel entry moves to its new slot (no wake-up until it is due). */
		t->due_ms += (due_ns - t->due_ns) / 1000000;
		t->due_ns = due_ns;
		if (t->wheel_pprev)
			wheel_add(t, down_wheel_ms(due_ns), true);
		return;
	}
	vrrp_timer_cancel(t);
	uv_update_time(t->set->loop);
	loop_ms = uv_now(t->set->loop);
	t->armed = true;
	t->due_ns = due_ns;
	if (down) {
		t->due_ms = loop_ms + (due_ns - now_ns) / 1000000;
		arm_down(t, now_ns, due_ns);
		return;
	}
	due_ms = (due_ns + 999999) / 1000000;
	if (us >= 10 * ADVERT_GRID_MS * 1000) {
		/* Adverts: the nearest grid point, so that a thousand masters
		 * wake up a few times per interval and send in one sendmmsg. */
		due_ms = (due_ms + ADVERT_GRID_MS / 2) / ADVERT_GRID_MS * ADVERT_GRID_MS;
		t->due_ns = due_ms * 1000000;
	}
	ms = due_ms > loop_ms ? due_ms - loop_ms : 0;
	t->due_ms = loop_ms + ms;
	if (us >= 10 * ADVERT_GRID_MS * 1000 && ms + ADVERT_GRID_MS < WHEEL_SPAN_MS &&
	    wheel_add(t, t->due_ms, false))
		return;
	uv_timer_start(&t->uv, on_timer, ms, 0);
}

/* ---------------------------------------------------------------- expiry */

/* The master-down deadline may have come: let waiting adverts speak first. */
static void down_due(struct vrrp_timer *t)
{
	const struct vrrp_timer_ops *ops = t->set->ops;
	uint64_t now;

	if (ops->role(t) != VRRP_TIMER_DOWN || !t->armed)
		return;
	/* libuv runs timers before it polls for I/O: an advert already
	 * waiting in the socket must win over the master-down timer. While
	 * draining, an advert only moves the deadline. */
	ops->drain(t);
	if (ops->role(t) != VRRP_TIMER_DOWN || !t->armed || t->in_precise)
		return;
	now = uv_hrtime();
	if (now + EARLY_NS < t->due_ns) {
		/* The deadline moved (an advert came), or we are early. */
		sleep_rest(t, now);
		return;
	}
	t->armed = false;
	ops->expired(t, VRRP_TIMER_DOWN);
}

static void on_timer(uv_timer_t *h)
{
	timer_fired(h->data);
}

static void timer_fired(struct vrrp_timer *t)
{
	const struct vrrp_timer_ops *ops = t->set->ops;
	enum vrrp_timer_role role = ops->role(t);
	uint64_t now;

	if (role == VRRP_TIMER_ADVERT) {
		t->armed = false;
		ops->expired(t, role);
		return;
	}
	if (role != VRRP_TIMER_DOWN) {
		t->armed = false;
		return;
	}
	now = uv_hrtime();
	if (now + PRECISE_NS < t->due_ns) {
		/* The deadline moved on while we slept: sleep again. */
		sleep_rest(t, now);
		return;
	}
	if (now + EARLY_NS < t->due_ns) {
		precise_add(t);
		return;
	}
	down_due(t);
}
