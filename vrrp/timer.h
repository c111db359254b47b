/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The timer of a VRRP instance: the advertisement timer while MASTER, the
 * master-down timer while BACKUP. A thousand masters re-arming libuv
 * timers ten times a second would spend the daemon's time in libuv's
 * timer heap, so advert timers live in a wheel (one libuv timer for all);
 * libuv counts whole milliseconds, so the last stretch of a master-down
 * timer is waited on one shared timerfd (nanoseconds). The owner says
 * through vrrp_timer_ops what its timer is for when it expires, reads its
 * socket before a master-down deadline is final, and handles the expiry.
 */
#ifndef VIGIL_VRRP_TIMER_H
#define VIGIL_VRRP_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#define VRRP_WHEEL_SLOTS 256

struct vrrp_timer;

/* What the owner's timer is for now. */
enum vrrp_timer_role {
	VRRP_TIMER_IDLE = 0, /* nothing: an expiry only disarms it */
	VRRP_TIMER_ADVERT,   /* the advertisement timer (MASTER) */
	VRRP_TIMER_DOWN,     /* the master-down timer (BACKUP) */
};

struct vrrp_timer_ops {
	/* The role of t's owner now; asked whenever t fires. */
	enum vrrp_timer_role (*role)(const struct vrrp_timer *t);
	/* A master-down deadline has come: what is already received goes
	 * first (an advert that arrived in time must win; it may re-arm t). */
	void (*drain)(struct vrrp_timer *t);
	/* t expired in role (ADVERT or DOWN); it is disarmed. */
	void (*expired)(struct vrrp_timer *t, enum vrrp_timer_role role);
};

/* What the timers of one runtime share: the wheel and the timerfd. */
struct vrrp_timers {
	uv_loop_t *loop;
	const struct vrrp_timer_ops *ops;
	bool stopping; /* the runtime stops: no wheel is opened any more */
	/* the precise last stretch of master-down timers */
	int tfd;
	uv_poll_t tfd_poll;
	bool tfd_open, tfd_failed;
	uint64_t tfd_due;
	struct vrrp_timer *precise;
	/* advert timers of masters: one slot per grid point */
	uv_timer_t wheel_timer;
	bool wheel_open;
	unsigned wheel_n;   /* timers in the wheel */
	uint64_t wheel_pos; /* the next grid point to run */
	uint64_t wheel_due; /* loop ms wheel_timer is armed for, 0: stopped */
	struct vrrp_timer *wheel[VRRP_WHEEL_SLOTS];
};

/* One instance's timer (embedded in its owner). */
struct vrrp_timer {
	struct vrrp_timers *set;
	uv_timer_t uv; /* its own libuv timer (data: this timer) */
	bool armed;
	uint64_t due_ms;		 /* loop time */
	uint64_t due_ns;		 /* uv_hrtime */
	struct vrrp_timer *precise_next; /* in set->precise */
	bool in_precise;
	struct vrrp_timer *wheel_next;	 /* in a slot of set->wheel */
	struct vrrp_timer **wheel_pprev; /* NULL: not in the wheel */
	uint64_t wheel_at_ms;		 /* loop ms its slot runs it */
};

void vrrp_timers_init(struct vrrp_timers *ts, uv_loop_t *loop, const struct vrrp_timer_ops *ops);
/* The runtime is stopping: timers armed from now on do not open the wheel. */
void vrrp_timers_stop(struct vrrp_timers *ts);
/* Closes the wheel's timer and the timerfd. */
void vrrp_timers_close(struct vrrp_timers *ts);

void vrrp_timer_init(struct vrrp_timers *ts, struct vrrp_timer *t);
/*
 * Arms t to expire us after base_ns (uv_hrtime clock; 0: now). A
 * master-down timer (down) counts from the arrival of the advert that
 * started it (base_ns), which may be a little before it was read; a
 * deadline already past expires at once. An advert timer ignores base_ns.
 */
void vrrp_timer_arm(struct vrrp_timer *t, uint64_t base_ns, uint64_t us, bool down);
void vrrp_timer_cancel(struct vrrp_timer *t);
/* Takes t out of the wheel and the timerfd list and closes its handle;
 * cb gets the handle, whose data is t. */
void vrrp_timer_close(struct vrrp_timer *t, uv_close_cb cb);

#endif
