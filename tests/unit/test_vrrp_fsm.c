/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine: every state x event cell against an expectation
 * table written here independently of vrrp/fsm.c, the RFC 5798 6.4 edge
 * cases, and a small discrete-event simulator driving two routers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vrrp/fsm.h"

#define MS 1000ull
#define SEC 1000000ull

#define A_STOP VRRP_ACT_STOP_TIMER
#define A_DROP VRRP_ACT_DROP_VIPS
#define A_PRIO0 VRRP_ACT_SEND_PRIO0
#define A_TAKE VRRP_ACT_TAKE_VIPS
#define A_SEND VRRP_ACT_SEND_ADVERT
#define A_ADV VRRP_ACT_ADVER_TIMER
#define A_DOWN VRRP_ACT_DOWN_TIMER
#define A_GARP VRRP_ACT_GARP_LOWER
#define A_STATE VRRP_ACT_STATE

static struct conf_addr addr(const char *s)
{
	struct conf_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.u.v4) == 1) {
		a.family = AF_INET;
	} else {
		assert_int_equal(inet_pton(AF_INET6, s, &a.u.v6), 1);
		a.family = AF_INET6;
	}
	return a;
}

/* The fixture of the matrix: v3, priority 100, 100 ms, 198.18.0.1. */
static void fixture(struct vrrp_fsm *f)
{
	vrrp_fsm_init(f);
	f->version = 3;
	f->priority = 100;
	f->adver_us = 100 * MS;
	f->master_adver_us = 100 * MS;
	f->down_timer_adverts = 3;
	f->preempt = true;
	f->my_addr = addr("198.18.0.1");
}

static struct vrrp_fsm_rx rx_of(uint8_t prio, uint16_t cs, const char *src)
{
	struct vrrp_fsm_rx rx;

	memset(&rx, 0, sizeof(rx));
	rx.priority = prio;
	rx.adver_cs = cs;
	rx.src = addr(src);
	return rx;
}

/* Priority 100 at 100 ms: 3 * 100 ms + (156 * 100 ms) / 256 = 360.9375 ms. */
#define DOWN_100MS 360937ull
#define SKEW_100MS 60937ull
/* Priority 100 at 200 ms (learned from the matrix's advertisement). */
#define DOWN_200MS (600000ull + 121875ull)

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < VRRP_STATE__COUNT; s++) {
		assert_non_null(vrrp_state_names[s]);
		for (int t = 0; t < s; t++)
			assert_string_not_equal(vrrp_state_names[s], vrrp_state_names[t]);
	}
	for (int e = 0; e < VRRP_EV__COUNT; e++) {
		assert_non_null(vrrp_event_names[e]);
		for (int t = 0; t < e; t++)
			assert_string_not_equal(vrrp_event_names[e], vrrp_event_names[t]);
	}
	assert_string_equal(vrrp_state_names[VRRP_STATE_MASTER], "MASTER");
	assert_string_equal(vrrp_state_names[VRRP_STATE_FAULT], "FAULT");
	assert_string_equal(vrrp_event_names[VRRP_EV_STARTUP], "startup");
}

static void test_timer_maths(void **state)
{
	struct vrrp_fsm f;

	(void)state;
	fixture(&f);
	/* The takeover figure of the docs: prio 100 at 100 ms -> 360.9375 ms. */
	assert_int_equal(vrrp_fsm_skew_us(&f), SKEW_100MS);
	assert_int_equal(vrrp_fsm_master_down_us(&f), DOWN_100MS);
	f.priority = 255;
	f.master_adver_us = SEC;
	assert_int_equal(vrrp_fsm_skew_us(&f), 3906);
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3003906);
	f.priority = 1;
	assert_int_equal(vrrp_fsm_skew_us(&f), 996093);
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3996093);
	/* v2 (whole seconds) uses the same formulas. */
	f.version = 2;
	f.priority = 100;
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3609375);
	/* The configurable multiplier; 0 falls back to the RFC's 3. */
	f.down_timer_adverts = 5;
	assert_int_equal(vrrp_fsm_master_down_us(&f), 5609375);
	f.down_timer_adverts = 0;
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3609375);
	/* Largest v3 interval (4095 cs) does not overflow. */
	f.master_adver_us = 4095ull * 10000;
	f.down_timer_adverts = 3;
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3 * 40950000ull + 156 * 40950000ull / 256);
}

static void test_init_defaults(void **state)
{
	struct vrrp_fsm f;

	(void)state;
	memset(&f, 0xa5, sizeof(f));
	vrrp_fsm_init(&f);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_true(f.version == 2 || f.version == 3);
	assert_true(f.priority >= 1);
	assert_true(f.adver_us > 0);
	assert_true(f.master_adver_us > 0);
	assert_int_equal(f.down_timer_adverts, 3);
	assert_true(f.preempt);
	assert_int_equal(f.preempt_delay_us, 0);
	assert_false(f.owner);
	assert_int_equal(f.master_priority, 0);
}

/* ---- The matrix ---- */

struct cell_expect {
	bool allowed;
	enum vrrp_state to;
	uint32_t actions;
	uint64_t timer_us;
};

/* clang-format off */
#define NO { false, 0, 0, 0 }
#define TO(st, act, t) { true, VRRP_STATE_##st, (act), (t) }
/* clang-format on */

static const struct cell_expect expect[VRRP_STATE__COUNT][VRRP_EV__COUNT] = {
	[VRRP_STATE_INIT] = {
		[VRRP_EV_STARTUP] = TO(BACKUP, A_DOWN | A_STATE, DOWN_100MS),
		[VRRP_EV_SHUTDOWN] = TO(INIT, 0, 0),
		[VRRP_EV_MASTER_DOWN] = NO,
		[VRRP_EV_ADVER_TIMER] = NO,
		[VRRP_EV_ADVERT] = TO(INIT, 0, 0),
		[VRRP_EV_FAULT] = TO(FAULT, A_STATE, 0),
		[VRRP_EV_FAULT_CLEAR] = TO(INIT, 0, 0),
		[VRRP_EV_PRIORITY] = TO(INIT, 0, 0),
		[VRRP_EV_FORCE_MASTER] = TO(INIT, 0, 0),
		[VRRP_EV_FORCE_BACKUP] = TO(INIT, 0, 0),
		[VRRP_EV_FORCE_FAULT] = TO(FAULT, A_STATE, 0),
	},
	[VRRP_STATE_BACKUP] = {
		[VRRP_EV_STARTUP] = NO,
		[VRRP_EV_SHUTDOWN] = TO(INIT, A_STOP | A_STATE, 0),
		[VRRP_EV_MASTER_DOWN] = TO(MASTER, A_SEND | A_TAKE | A_ADV | A_STATE, 100 * MS),
		[VRRP_EV_ADVER_TIMER] = NO,
		[VRRP_EV_ADVERT] = TO(BACKUP, A_DOWN, DOWN_200MS),
		[VRRP_EV_FAULT] = TO(FAULT, A_STOP | A_STATE, 0),
		[VRRP_EV_FAULT_CLEAR] = TO(BACKUP, 0, 0),
		[VRRP_EV_PRIORITY] = TO(BACKUP, 0, 0),
		[VRRP_EV_FORCE_MASTER] = TO(MASTER, A_SEND | A_TAKE | A_ADV | A_STATE, 100 * MS),
		[VRRP_EV_FORCE_BACKUP] = TO(BACKUP, 0, 0),
		[VRRP_EV_FORCE_FAULT] = TO(FAULT, A_STOP | A_STATE, 0),
	},
	[VRRP_STATE_MASTER] = {
		[VRRP_EV_STARTUP] = NO,
		[VRRP_EV_SHUTDOWN] = TO(INIT, A_STOP | A_DROP | A_PRIO0 | A_STATE, 0),
		[VRRP_EV_MASTER_DOWN] = NO,
		[VRRP_EV_ADVER_TIMER] = TO(MASTER, A_SEND | A_ADV, 100 * MS),
		[VRRP_EV_ADVERT] = TO(BACKUP, A_DROP | A_DOWN | A_STATE, DOWN_200MS),
		[VRRP_EV_FAULT] = TO(FAULT, A_STOP | A_DROP | A_PRIO0 | A_STATE, 0),
		[VRRP_EV_FAULT_CLEAR] = TO(MASTER, 0, 0),
		[VRRP_EV_PRIORITY] = TO(MASTER, A_SEND | A_ADV, 100 * MS),
		[VRRP_EV_FORCE_MASTER] = TO(MASTER, 0, 0),
		[VRRP_EV_FORCE_BACKUP] = TO(BACKUP, A_DROP | A_DOWN | A_STATE, DOWN_100MS),
		[VRRP_EV_FORCE_FAULT] = TO(FAULT, A_STOP | A_DROP | A_PRIO0 | A_STATE, 0),
	},
	[VRRP_STATE_FAULT] = {
		[VRRP_EV_STARTUP] = TO(FAULT, 0, 0),
		[VRRP_EV_SHUTDOWN] = TO(INIT, A_STOP | A_STATE, 0),
		[VRRP_EV_MASTER_DOWN] = NO,
		[VRRP_EV_ADVER_TIMER] = NO,
		[VRRP_EV_ADVERT] = TO(FAULT, 0, 0),
		[VRRP_EV_FAULT] = TO(FAULT, 0, 0),
		[VRRP_EV_FAULT_CLEAR] = TO(BACKUP, A_DOWN | A_STATE, DOWN_100MS),
		[VRRP_EV_PRIORITY] = TO(FAULT, 0, 0),
		[VRRP_EV_FORCE_MASTER] = TO(FAULT, 0, 0),
		[VRRP_EV_FORCE_BACKUP] = TO(FAULT, 0, 0),
		[VRRP_EV_FORCE_FAULT] = TO(FAULT, 0, 0),
	},
};

static void test_matrix(void **state)
{
	/* The matrix advertisement: priority 150 at 200 ms from a higher address. */
	const struct vrrp_fsm_rx rx = rx_of(150, 20, "198.18.0.2");
	unsigned allowed = 0, refused = 0;

	(void)state;
	for (int s = 0; s < VRRP_STATE__COUNT; s++) {
		for (int e = 0; e < VRRP_EV__COUNT; e++) {
			const struct cell_expect *x = &expect[s][e];
			struct vrrp_fsm f, before;
			struct vrrp_fsm_out out;
			int ret;

			fixture(&f);
			f.state = (enum vrrp_state)s;
			before = f;
			memset(&out, 0x5a, sizeof(out));
			ret = vrrp_fsm_step(&f, (enum vrrp_event)e, &rx, 7 * SEC, &out);
			print_message("%-6s + %-18s -> %d %s actions 0x%03x timer %llu (%s)\n",
				      vrrp_state_names[s], vrrp_event_names[e], ret,
				      ret ? "-" : vrrp_state_names[out.to], out.actions,
				      (unsigned long long)out.timer_us, out.reason);
			assert_non_null(out.reason);
			assert_int_equal(out.from, s);
			if (!x->allowed) {
				refused++;
				assert_int_equal(ret, -1);
				assert_int_equal(out.to, s);
				assert_int_equal(out.actions, 0);
				assert_int_equal(f.state, s);
				assert_memory_equal(&f, &before, sizeof(f));
				/* "advert timer in BACKUP": names the state. */
				assert_non_null(strstr(out.reason, vrrp_state_names[s]));
				continue;
			}
			allowed++;
			assert_int_equal(ret, 0);
			assert_int_equal(out.to, x->to);
			assert_int_equal(f.state, x->to);
			assert_int_equal(out.actions, x->actions);
			if (x->actions & (A_ADV | A_DOWN))
				assert_int_equal(out.timer_us, x->timer_us);
			else
				assert_int_equal(out.timer_us, 0);
			/* STATE is set exactly when the state changed. */
			assert_int_equal(!!(out.actions & A_STATE), out.to != out.from);
			/* A no-op changes nothing at all. */
			if (x->actions == 0)
				assert_memory_equal(&f, &before, sizeof(f));
		}
	}
	assert_int_equal(allowed + refused, VRRP_STATE__COUNT * VRRP_EV__COUNT);
	assert_int_equal(refused, 8);
}

static void step_ok(struct vrrp_fsm *f, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
		    uint64_t now, struct vrrp_fsm_out *out)
{
	assert_int_equal(vrrp_fsm_step(f, ev, rx, now, out), 0);
}

static void test_bad_input(void **state)
{
	struct vrrp_fsm f, before;
	struct vrrp_fsm_out out;
	int bad = -1;

	(void)state;
	fixture(&f);
	f.state = VRRP_STATE_BACKUP;
	before = f;
	/* An advertisement event without the advertisement. */
	assert_int_equal(vrrp_fsm_step(&f, VRRP_EV_ADVERT, NULL, 0, &out), -1);
	assert_non_null(out.reason);
	assert_memory_equal(&f, &before, sizeof(f));
	assert_int_equal(vrrp_fsm_step(&f, VRRP_EV__COUNT, NULL, 0, &out), -1);
	assert_int_equal(vrrp_fsm_step(&f, (enum vrrp_event)bad, NULL, 0, &out), -1);
	assert_memory_equal(&f, &before, sizeof(f));
	f.state = VRRP_STATE__COUNT;
	assert_int_equal(vrrp_fsm_step(&f, VRRP_EV_STARTUP, NULL, 0, &out), -1);
	assert_int_equal(f.state, VRRP_STATE__COUNT);
	/* Events that never look at rx accept NULL. */
	fixture(&f);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

/* ---- Startup and owner ---- */

static void test_startup(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;

	(void)state;
	fixture(&f);
	/* Leftovers of an earlier life are forgotten. */
	f.master_adver_us = 5 * SEC;
	f.master_priority = 77;
	step_ok(&f, VRRP_EV_STARTUP, NULL, 3 * SEC, &out);
	assert_int_equal(out.to, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_adver_us, 100 * MS);
	assert_int_equal(f.master_priority, 0);
	assert_int_equal(f.backup_since_us, 3 * SEC);
	assert_int_equal(out.timer_us, DOWN_100MS);
	assert_string_equal(vrrp_state_names[out.from], "INIT");

	fixture(&f);
	f.owner = true;
	f.priority = 255;
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	assert_int_equal(out.to, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_SEND | A_TAKE | A_ADV | A_STATE);
	assert_int_equal(out.timer_us, 100 * MS);
	assert_string_equal(out.reason, "address owner starts as master");

	/* `state MASTER` starts as master too (keepalived), and a higher
	 * priority peer's first advertisement sends it back to BACKUP. */
	fixture(&f);
	f.start_master = true;
	f.priority = 150;
	f.my_addr = addr("198.18.0.5");
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	assert_int_equal(out.to, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_SEND | A_TAKE | A_ADV | A_STATE);
	assert_string_equal(out.reason, "configured state MASTER");
	{
		struct vrrp_fsm_rx hi = rx_of(200, 10, "198.18.0.9");

		step_ok(&f, VRRP_EV_ADVERT, &hi, 50 * MS, &out);
		assert_int_equal(out.to, VRRP_STATE_BACKUP);
	}
	/* After a fault only the owner goes straight to MASTER (RFC 5798). */
	fixture(&f);
	f.start_master = true;
	step_ok(&f, VRRP_EV_FAULT, NULL, 0, &out);
	step_ok(&f, VRRP_EV_FAULT_CLEAR, NULL, 1 * SEC, &out);
	assert_int_equal(out.to, VRRP_STATE_BACKUP);
}

static void test_owner(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx;

	(void)state;
	fixture(&f);
	f.owner = true;
	f.priority = 255;
	f.my_addr = addr("198.18.0.5");
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	/* Nobody is higher than 255: a 254 is a lower priority. */
	rx = rx_of(254, 10, "198.18.0.9");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 1 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_GARP | A_SEND | A_ADV);
	/* Priority changes do not touch the owner. */
	step_ok(&f, VRRP_EV_PRIORITY, NULL, 1 * SEC, &out);
	assert_int_equal(out.actions, 0);
	/* Two owners (a misconfiguration): the address decides. Lower: stay. */
	rx = rx_of(255, 10, "198.18.0.4");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 2 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_GARP | A_SEND | A_ADV);
	/* Higher: yield. */
	rx = rx_of(255, 10, "198.18.0.6");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 3 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.actions, A_DROP | A_DOWN | A_STATE);
	/* 3 * 100 ms + (1 * 100 ms) / 256 */
	assert_int_equal(out.timer_us, 300000 + 390);
	assert_int_equal(f.master_priority, 255);
	/* As backup, the other owner's adverts are followed. */
	step_ok(&f, VRRP_EV_ADVERT, &rx, 3100 * MS, &out);
	assert_int_equal(out.actions, A_DOWN);
	/* FAULT_CLEAR of an owner: straight to MASTER. */
	step_ok(&f, VRRP_EV_FAULT, NULL, 4 * SEC, &out);
	step_ok(&f, VRRP_EV_FAULT_CLEAR, NULL, 5 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_SEND | A_TAKE | A_ADV | A_STATE);
	assert_string_equal(out.reason, "tracking recovered");
}

/* ---- RFC 5798 6.4.3 tie-break ---- */

static void tie(const char *mine, const char *theirs, bool they_win)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx = rx_of(100, 10, theirs);

	fixture(&f);
	f.my_addr = addr(mine);
	f.state = VRRP_STATE_MASTER;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 0, &out);
	if (they_win) {
		assert_int_equal(f.state, VRRP_STATE_BACKUP);
		assert_int_equal(out.actions, A_DROP | A_DOWN | A_STATE);
		assert_string_equal(out.reason, "equal priority, higher address");
	} else {
		assert_int_equal(f.state, VRRP_STATE_MASTER);
		assert_int_equal(out.actions, A_GARP | A_SEND | A_ADV);
	}
}

static void test_tie_ipv4(void **state)
{
	(void)state;
	tie("198.18.0.1", "198.18.0.2", true);
	tie("198.18.0.2", "198.18.0.1", false);
	/* Big-endian byte order, not host order: .1.0 is above .0.255. */
	tie("198.18.0.255", "198.18.1.0", true);
	tie("198.18.1.0", "198.18.0.255", false);
	tie("198.18.255.1", "198.19.0.0", true);
	/* Unsigned bytes: 198.19.128.0 is above 198.19.127.255. */
	tie("198.19.127.255", "198.19.128.0", true);
	tie("198.19.128.0", "198.19.127.255", false);
}

static void test_tie_ipv6(void **state)
{
	(void)state;
	tie("fd00:198:18::1", "fd00:198:18::2", true);
	tie("fd00:198:18::2", "fd00:198:18::1", false);
	tie("fd00:198:18::ff", "fd00:198:18::1:0", true);
	tie("fd00:198:18:1::", "fd00:198:18:0:ffff:ffff:ffff:ffff", false);
	tie("fd00:198:18::7fff", "fd00:198:18::8000", true);
	tie("fd00:198:18::8000", "fd00:198:18::7fff", false);
}

static void test_own_advert_looped(void **state)
{
	struct vrrp_fsm f, before;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx = rx_of(100, 10, "198.18.0.1");

	(void)state;
	fixture(&f);
	f.state = VRRP_STATE_MASTER;
	before = f;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 0, &out);
	assert_int_equal(out.actions, 0);
	assert_memory_equal(&f, &before, sizeof(f));
}

static void test_master_higher_priority(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	/* Higher priority from a LOWER address still wins. */
	struct vrrp_fsm_rx rx = rx_of(101, 50, "198.18.0.0");

	(void)state;
	fixture(&f);
	f.my_addr = addr("198.18.0.200");
	f.state = VRRP_STATE_MASTER;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 9 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.actions, A_DROP | A_DOWN | A_STATE);
	assert_string_equal(out.reason, "higher priority advertisement");
	/* v3: the learned 500 ms: 1.5 s + (156 * 500 ms) / 256. */
	assert_int_equal(f.master_adver_us, 500 * MS);
	assert_int_equal(out.timer_us, 1500000 + 304687);
	assert_int_equal(f.backup_since_us, 9 * SEC);
	assert_int_equal(f.master_priority, 101);
	assert_true(f.master_addr.family == AF_INET &&
		    memcmp(&f.master_addr.u.v4, &rx.src.u.v4, 4) == 0);
	/* Our own advertisements keep the configured interval. */
	step_ok(&f, VRRP_EV_MASTER_DOWN, NULL, 11 * SEC, &out);
	assert_int_equal(out.timer_us, 100 * MS);
}

static void test_master_lower_priority(void **state)
{
	struct vrrp_fsm f, before;
	struct vrrp_fsm_out out;
	/* Lower priority from a higher address: still lower. */
	struct vrrp_fsm_rx rx = rx_of(99, 10, "198.18.0.250");

	(void)state;
	fixture(&f);
	f.state = VRRP_STATE_MASTER;
	before = f;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 0, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_SEND | A_ADV | A_GARP);
	assert_int_equal(out.timer_us, 100 * MS);
	assert_string_equal(out.reason, "lower priority advertisement");
	assert_memory_equal(&f, &before, sizeof(f));
	/* lower_prio_no_advert: only re-announce the addresses. */
	f.lower_prio_no_advert = true;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 0, &out);
	assert_int_equal(out.actions, A_GARP);
	assert_int_equal(out.timer_us, 0);
}

/* ---- Priority 0 (RFC 5798 6.4.2 / 6.4.3) ---- */

static void test_priority0(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx;

	(void)state;
	/* Backup: take over after Skew_Time. */
	fixture(&f);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	rx = rx_of(0, 10, "198.18.0.2");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 1 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.actions, A_DOWN);
	assert_int_equal(out.timer_us, SKEW_100MS);
	assert_string_equal(out.reason, "priority 0 from master (it is stopping)");
	/* Skew is of the learned interval: after following a 1 s master. */
	rx = rx_of(200, 100, "198.18.0.2");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 2 * SEC, &out);
	rx = rx_of(0, 100, "198.18.0.2");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 3 * SEC, &out);
	assert_int_equal(out.timer_us, 609375);
	/* Priority 0 is not a lower priority to preempt: even without
	 * preemption and during preempt_delay it shortens the wait. */
	fixture(&f);
	f.preempt = false;
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	rx = rx_of(0, 10, "198.18.0.2");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 1, &out);
	assert_int_equal(out.actions, A_DOWN);
	assert_int_equal(out.timer_us, SKEW_100MS);
	assert_int_equal(f.master_priority, 0);

	/* Master: answer at once, stay master. */
	fixture(&f);
	f.state = VRRP_STATE_MASTER;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 0, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_SEND | A_ADV);
	assert_int_equal(out.timer_us, 100 * MS);
	/* Even with lower_prio_no_advert (priority 0 is not "lower"). */
	f.lower_prio_no_advert = true;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 0, &out);
	assert_int_equal(out.actions, A_SEND | A_ADV);
}

/* ---- Interval learning ---- */

static void test_learning_v3_v2(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx = rx_of(150, 100, "198.18.0.2"); /* 1 s */

	(void)state;
	fixture(&f);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	step_ok(&f, VRRP_EV_ADVERT, &rx, 1, &out);
	assert_int_equal(f.master_adver_us, SEC);
	assert_int_equal(out.timer_us, 3609375);
	assert_int_equal(vrrp_fsm_master_down_us(&f), 3609375);
	/* A zero interval cannot pass packet checks; it is not learned. */
	rx.adver_cs = 0;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 2, &out);
	assert_int_equal(f.master_adver_us, SEC);
	assert_int_equal(out.timer_us, 3609375);
	/* Taking over: we advertise at our own interval. */
	step_ok(&f, VRRP_EV_MASTER_DOWN, NULL, 5 * SEC, &out);
	assert_int_equal(out.timer_us, 100 * MS);
	/* Restart relearns from the configured interval. */
	step_ok(&f, VRRP_EV_SHUTDOWN, NULL, 6 * SEC, &out);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 7 * SEC, &out);
	assert_int_equal(f.master_adver_us, 100 * MS);
	assert_int_equal(out.timer_us, DOWN_100MS);

	/* v2 does not learn: RFC 3768 uses the configured interval. */
	fixture(&f);
	f.version = 2;
	f.adver_us = SEC;
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	assert_int_equal(out.timer_us, 3609375);
	rx = rx_of(150, 300, "198.18.0.2");
	step_ok(&f, VRRP_EV_ADVERT, &rx, 1, &out);
	assert_int_equal(f.master_adver_us, SEC);
	assert_int_equal(out.timer_us, 3609375);
	/* v2 master yielding keeps the configured interval too. */
	f.state = VRRP_STATE_MASTER;
	step_ok(&f, VRRP_EV_ADVERT, &rx, 2, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.timer_us, 3609375);
}

/* ---- Preemption ---- */

static void test_preempt(void **state)
{
	struct vrrp_fsm f, before;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx lower = rx_of(50, 10, "198.18.0.2");
	struct vrrp_fsm_rx equal = rx_of(100, 10, "198.18.0.0");
	struct vrrp_fsm_rx higher = rx_of(101, 10, "198.18.0.2");

	(void)state;
	fixture(&f);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	before = f;
	/* preempt: a lower priority master is discarded (its timer runs out). */
	step_ok(&f, VRRP_EV_ADVERT, &lower, 1 * SEC, &out);
	assert_int_equal(out.actions, 0);
	assert_string_equal(out.reason, "preempting lower priority master");
	assert_memory_equal(&f, &before, sizeof(f));
	/* An equal priority is followed (RFC: "greater than or equal"), even
	 * from a lower address: the backup never preempts on a tie. */
	step_ok(&f, VRRP_EV_ADVERT, &equal, 1 * SEC, &out);
	assert_int_equal(out.actions, A_DOWN);
	assert_int_equal(f.master_priority, 100);

	/* nopreempt: a lower priority master is followed. */
	fixture(&f);
	f.preempt = false;
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	step_ok(&f, VRRP_EV_ADVERT, &lower, 1 * SEC, &out);
	assert_int_equal(out.actions, A_DOWN);
	assert_int_equal(out.timer_us, DOWN_100MS);
	assert_int_equal(f.master_priority, 50);
	/* ... but nopreempt does not stop a master yielding to a higher one. */
	f.state = VRRP_STATE_MASTER;
	step_ok(&f, VRRP_EV_ADVERT, &higher, 2 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_preempt_delay(void **state)
{
	struct vrrp_fsm f, before;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx lower = rx_of(50, 10, "198.18.0.2");
	struct vrrp_fsm_rx higher = rx_of(200, 10, "198.18.0.3");

	(void)state;
	fixture(&f);
	f.preempt_delay_us = 5 * SEC;
	step_ok(&f, VRRP_EV_STARTUP, NULL, 10 * SEC, &out);
	assert_int_equal(f.backup_since_us, 10 * SEC);
	/* Inside the window: followed like a valid master. */
	step_ok(&f, VRRP_EV_ADVERT, &lower, 10 * SEC, &out);
	assert_int_equal(out.actions, A_DOWN);
	assert_int_equal(out.timer_us, DOWN_100MS);
	assert_string_equal(out.reason, "lower priority master kept during preempt_delay");
	step_ok(&f, VRRP_EV_ADVERT, &lower, 15 * SEC - 1, &out);
	assert_int_equal(out.actions, A_DOWN);
	assert_int_equal(f.master_priority, 50);
	/* At and after the end of the window: discarded, we preempt. */
	before = f;
	step_ok(&f, VRRP_EV_ADVERT, &lower, 15 * SEC, &out);
	assert_int_equal(out.actions, 0);
	assert_memory_equal(&f, &before, sizeof(f));
	step_ok(&f, VRRP_EV_ADVERT, &lower, 60 * SEC, &out);
	assert_int_equal(out.actions, 0);
	/* A clock before backup_since (cannot happen with a monotonic clock)
	 * counts as zero time in BACKUP, not as a huge one. */
	step_ok(&f, VRRP_EV_ADVERT, &lower, 9 * SEC, &out);
	assert_int_equal(out.actions, A_DOWN);
	/* The window restarts whenever BACKUP is entered again: master ->
	 * backup on a higher priority at 100 s. */
	f.state = VRRP_STATE_MASTER;
	step_ok(&f, VRRP_EV_ADVERT, &higher, 100 * SEC, &out);
	assert_int_equal(f.backup_since_us, 100 * SEC);
	step_ok(&f, VRRP_EV_ADVERT, &lower, 101 * SEC, &out);
	assert_int_equal(out.actions, A_DOWN);
	/* preempt_delay has no meaning with nopreempt: always followed. */
	f.preempt = false;
	step_ok(&f, VRRP_EV_ADVERT, &lower, 200 * SEC, &out);
	assert_int_equal(out.actions, A_DOWN);
}

/* ---- FAULT ---- */

static void test_fault_cycle(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx = rx_of(200, 10, "198.18.0.2");

	(void)state;
	/* INIT -> FAULT -> (startup waits) -> BACKUP on recovery. */
	fixture(&f);
	step_ok(&f, VRRP_EV_FAULT, NULL, 0, &out);
	assert_int_equal(out.actions, A_STATE);
	assert_string_equal(out.reason, "tracking fault");
	step_ok(&f, VRRP_EV_STARTUP, NULL, 1, &out);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	step_ok(&f, VRRP_EV_ADVERT, &rx, 2, &out);
	assert_int_equal(out.actions, 0);
	step_ok(&f, VRRP_EV_FAULT_CLEAR, NULL, 3 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.actions, A_DOWN | A_STATE);
	assert_int_equal(f.backup_since_us, 3 * SEC);
	assert_string_equal(out.reason, "tracking recovered");
	/* BACKUP -> FAULT -> BACKUP. */
	step_ok(&f, VRRP_EV_FAULT, NULL, 4 * SEC, &out);
	assert_int_equal(out.actions, A_STOP | A_STATE);
	step_ok(&f, VRRP_EV_FAULT_CLEAR, NULL, 5 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	/* MASTER -> FAULT: give up the addresses and tell the backups. */
	step_ok(&f, VRRP_EV_MASTER_DOWN, NULL, 6 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	step_ok(&f, VRRP_EV_FAULT, NULL, 7 * SEC, &out);
	assert_int_equal(out.actions, A_STOP | A_DROP | A_PRIO0 | A_STATE);
	assert_int_equal(out.from, VRRP_STATE_MASTER);
	assert_int_equal(out.to, VRRP_STATE_FAULT);
	/* Recovery never jumps straight back to MASTER (not an owner). */
	step_ok(&f, VRRP_EV_FAULT_CLEAR, NULL, 8 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	/* Shutdown from FAULT. */
	step_ok(&f, VRRP_EV_FAULT, NULL, 9 * SEC, &out);
	step_ok(&f, VRRP_EV_SHUTDOWN, NULL, 10 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(out.actions, A_STOP | A_STATE);
	assert_string_equal(out.reason, "shutdown");
}

static void test_priority_event(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;
	struct vrrp_fsm_rx rx = rx_of(60, 10, "198.18.0.0");

	(void)state;
	fixture(&f);
	f.state = VRRP_STATE_MASTER;
	f.priority = 50; /* tracking lowered it */
	step_ok(&f, VRRP_EV_PRIORITY, NULL, 0, &out);
	assert_int_equal(out.actions, A_SEND | A_ADV);
	assert_int_equal(out.timer_us, 100 * MS);
	/* The lowered priority now loses to a 60. */
	step_ok(&f, VRRP_EV_ADVERT, &rx, 1, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	/* In BACKUP the next advertisement decides. */
	f.priority = 100;
	step_ok(&f, VRRP_EV_PRIORITY, NULL, 2, &out);
	assert_int_equal(out.actions, 0);
	step_ok(&f, VRRP_EV_ADVERT, &rx, 3, &out);
	assert_int_equal(out.actions, 0); /* 60 < 100: preempt */
}

/* ---- Sync groups ---- */

static void test_sync_group(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;

	(void)state;
	fixture(&f);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	step_ok(&f, VRRP_EV_FORCE_MASTER, NULL, 1 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(out.actions, A_SEND | A_TAKE | A_ADV | A_STATE);
	assert_string_equal(out.reason, "sync group: member became master");
	step_ok(&f, VRRP_EV_FORCE_MASTER, NULL, 1 * SEC, &out);
	assert_int_equal(out.actions, 0);
	step_ok(&f, VRRP_EV_FORCE_BACKUP, NULL, 2 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(out.actions, A_DROP | A_DOWN | A_STATE);
	assert_int_equal(out.timer_us, DOWN_100MS);
	assert_int_equal(f.backup_since_us, 2 * SEC);
	step_ok(&f, VRRP_EV_FORCE_BACKUP, NULL, 3 * SEC, &out);
	assert_int_equal(out.actions, 0);
	step_ok(&f, VRRP_EV_FORCE_FAULT, NULL, 4 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(out.actions, A_STOP | A_STATE);
	/* FAULT holds against sync forcing; only recovery leaves it. */
	step_ok(&f, VRRP_EV_FORCE_MASTER, NULL, 5 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(out.actions, 0);
	step_ok(&f, VRRP_EV_FAULT_CLEAR, NULL, 6 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	/* A master forced to FAULT. */
	step_ok(&f, VRRP_EV_FORCE_MASTER, NULL, 7 * SEC, &out);
	step_ok(&f, VRRP_EV_FORCE_FAULT, NULL, 8 * SEC, &out);
	assert_int_equal(out.actions, A_STOP | A_DROP | A_PRIO0 | A_STATE);
}

static void test_shutdown(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_out out;

	(void)state;
	fixture(&f);
	step_ok(&f, VRRP_EV_SHUTDOWN, NULL, 0, &out);
	assert_int_equal(out.actions, 0);
	step_ok(&f, VRRP_EV_STARTUP, NULL, 0, &out);
	step_ok(&f, VRRP_EV_MASTER_DOWN, NULL, DOWN_100MS, &out);
	assert_string_equal(out.reason, "master-down timer expired");
	step_ok(&f, VRRP_EV_SHUTDOWN, NULL, SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(out.actions, A_STOP | A_DROP | A_PRIO0 | A_STATE);
	/* Timer events after shutdown are the caller's bug: refused. */
	assert_int_equal(vrrp_fsm_step(&f, VRRP_EV_ADVER_TIMER, NULL, SEC, &out), -1);
	assert_string_equal(out.reason, "advert timer in INIT");
	/* Startup again works. */
	step_ok(&f, VRRP_EV_STARTUP, NULL, 2 * SEC, &out);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(vrrp_fsm_step(&f, VRRP_EV_ADVER_TIMER, NULL, SEC, &out), -1);
	assert_string_equal(out.reason, "advert timer in BACKUP");
}

/* ---- Two routers over time ---- */

#define NEVER UINT64_MAX
#define NROUTERS 2
#define MAXPKT 64

struct router {
	struct vrrp_fsm f;
	bool up;	   /* process alive, link up */
	uint64_t deadline; /* the one timer */
	bool vips;
	uint64_t master_since;
	unsigned to_master, to_backup;
};

struct packet {
	uint64_t at;
	int to;
	struct vrrp_fsm_rx rx;
};

struct sim {
	struct router r[NROUTERS];
	struct packet q[MAXPKT];
	int nq;
	uint64_t now;
	uint64_t latency;
	uint64_t both_vips_us; /* time both routers held the addresses */
};

static void sim_router(struct sim *s, int i, uint8_t prio, const char *a, bool preempt)
{
	struct router *r = &s->r[i];

	memset(r, 0, sizeof(*r));
	fixture(&r->f);
	r->f.priority = prio;
	r->f.my_addr = addr(a);
	r->f.preempt = preempt;
	r->deadline = NEVER;
}

static void sim_send(struct sim *s, int from, uint8_t prio)
{
	const struct router *r = &s->r[from];

	if (!r->up)
		return;
	for (int to = 0; to < NROUTERS; to++) {
		if (to == from)
			continue;
		assert_true(s->nq < MAXPKT);
		s->q[s->nq].at = s->now + s->latency;
		s->q[s->nq].to = to;
		s->q[s->nq].rx.priority = prio;
		s->q[s->nq].rx.adver_cs = (uint16_t)(r->f.adver_us / 10000);
		s->q[s->nq].rx.src = r->f.my_addr;
		s->nq++;
	}
}

static void sim_event(struct sim *s, int i, enum vrrp_event ev, const struct vrrp_fsm_rx *rx)
{
	struct router *r = &s->r[i];
	struct vrrp_fsm_out out;
	uint32_t a;

	assert_int_equal(vrrp_fsm_step(&r->f, ev, rx, s->now, &out), 0);
	a = out.actions;
	/* In the documented order. */
	if (a & A_STOP)
		r->deadline = NEVER;
	if (a & A_DROP)
		r->vips = false;
	if (a & A_PRIO0)
		sim_send(s, i, 0);
	if (a & A_TAKE)
		r->vips = true;
	if (a & A_SEND)
		sim_send(s, i, r->f.priority);
	if (a & (A_ADV | A_DOWN))
		r->deadline = s->now + out.timer_us;
	if (a & A_STATE) {
		if (out.to == VRRP_STATE_MASTER) {
			r->to_master++;
			r->master_since = s->now;
		} else if (out.to == VRRP_STATE_BACKUP) {
			r->to_backup++;
		}
	}
}

/* Runs events in time order up to t; packets before timers at one instant. */
static void sim_run(struct sim *s, uint64_t t)
{
	for (unsigned guard = 0; guard < 1000000; guard++) {
		uint64_t next = NEVER;
		int pkt = -1, tmr = -1;
		struct router *r;

		for (int k = 0; k < s->nq; k++) {
			if (s->q[k].at < next) {
				next = s->q[k].at;
				pkt = k;
			}
		}
		for (int i = 0; i < NROUTERS; i++) {
			if (s->r[i].up && s->r[i].deadline < next) {
				next = s->r[i].deadline;
				tmr = i;
				pkt = -1;
			}
		}
		if (next > t)
			break;
		if (s->r[0].vips && s->r[1].vips)
			s->both_vips_us += next - s->now;
		s->now = next;
		if (pkt >= 0) {
			struct packet p = s->q[pkt];

			s->q[pkt] = s->q[--s->nq];
			if (s->r[p.to].up)
				sim_event(s, p.to, VRRP_EV_ADVERT, &p.rx);
			continue;
		}
		r = &s->r[tmr];
		r->deadline = NEVER;
		sim_event(s, tmr,
			  r->f.state == VRRP_STATE_MASTER ? VRRP_EV_ADVER_TIMER
							  : VRRP_EV_MASTER_DOWN,
			  NULL);
	}
	if (s->r[0].vips && s->r[1].vips)
		s->both_vips_us += t - s->now;
	s->now = t;
}

static void sim_start(struct sim *s, int i)
{
	s->r[i].up = true;
	s->r[i].f.state = VRRP_STATE_INIT;
	sim_event(s, i, VRRP_EV_STARTUP, NULL);
}

/* A crash: no priority 0, no timer, addresses gone with the box. */
static void sim_kill(struct sim *s, int i)
{
	s->r[i].up = false;
	s->r[i].deadline = NEVER;
	s->r[i].vips = false;
}

static void assert_roles(const struct sim *s, int master, int backup)
{
	assert_int_equal(s->r[master].f.state, VRRP_STATE_MASTER);
	assert_true(s->r[master].vips);
	assert_int_equal(s->r[backup].f.state, VRRP_STATE_BACKUP);
	assert_false(s->r[backup].vips);
}

static void test_sim_failover_and_preempt(void **state)
{
	static struct sim s;
	uint64_t last_advert;

	(void)state;
	memset(&s, 0, sizeof(s));
	sim_router(&s, 0, 200, "198.18.0.1", true);
	sim_router(&s, 1, 100, "198.18.0.2", true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, 10 * SEC);
	/* The higher priority wins after its own (shorter) master-down time:
	 * 300 ms + (56 * 100 ms) / 256 = 321.875 ms. */
	assert_roles(&s, 0, 1);
	assert_int_equal(s.r[0].master_since, 321875);
	assert_int_equal(s.r[1].to_master, 0);
	assert_int_equal(s.both_vips_us, 0);

	/* The master dies: the backup takes over one master-down interval
	 * (360.9375 ms for priority 100 at 100 ms) after the last advert. */
	last_advert = s.r[1].deadline - DOWN_100MS;
	sim_kill(&s, 0);
	sim_run(&s, 20 * SEC);
	assert_int_equal(s.r[1].f.state, VRRP_STATE_MASTER);
	assert_true(s.r[1].vips);
	assert_int_equal(s.r[1].master_since, last_advert + DOWN_100MS);
	assert_true(s.r[1].master_since > 10 * SEC && s.r[1].master_since <= 10 * SEC + DOWN_100MS);

	/* The higher priority returns and preempts once its master-down time
	 * has passed without hearing a priority at least its own. */
	sim_start(&s, 0);
	sim_run(&s, 30 * SEC);
	assert_roles(&s, 0, 1);
	assert_int_equal(s.r[0].master_since, 20 * SEC + 321875);
	assert_int_equal(s.r[1].to_backup, 2); /* startup, then preempted */
	assert_int_equal(s.both_vips_us, 0);
}

static void test_sim_nopreempt(void **state)
{
	static struct sim s;

	(void)state;
	memset(&s, 0, sizeof(s));
	sim_router(&s, 0, 200, "198.18.0.1", false);
	sim_router(&s, 1, 100, "198.18.0.2", true);
	sim_start(&s, 1);
	sim_run(&s, 5 * SEC);
	assert_int_equal(s.r[1].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.r[1].master_since, DOWN_100MS);
	/* The higher priority router with nopreempt joins and stays backup. */
	sim_start(&s, 0);
	sim_run(&s, 60 * SEC);
	assert_roles(&s, 1, 0);
	assert_int_equal(s.r[0].to_master, 0);
	assert_int_equal(s.r[0].f.master_priority, 100);
	/* ... until the master goes away. */
	sim_kill(&s, 1);
	sim_run(&s, 61 * SEC);
	assert_int_equal(s.r[0].f.state, VRRP_STATE_MASTER);
	/* 300 ms + (56 * 100 ms) / 256 after the last advert, so within 61 s. */
	assert_true(s.r[0].master_since > 60 * SEC && s.r[0].master_since <= 60 * SEC + 321875);
}

static void test_sim_preempt_delay(void **state)
{
	static struct sim s;

	(void)state;
	memset(&s, 0, sizeof(s));
	sim_router(&s, 0, 200, "198.18.0.1", true);
	sim_router(&s, 1, 100, "198.18.0.2", true);
	s.r[0].f.preempt_delay_us = 2 * SEC;
	sim_start(&s, 1);
	sim_run(&s, 5 * SEC);
	sim_start(&s, 0);
	sim_run(&s, 7 * SEC);
	/* Inside the delay the lower priority master is kept. */
	assert_roles(&s, 1, 0);
	sim_run(&s, 10 * SEC);
	assert_roles(&s, 0, 1);
	/* B advertises at 360.937 ms + k * 100 ms. The last one followed is
	 * 6.960937 s (1.960937 s after A started: inside the 2 s); from
	 * 7.060937 s they are discarded, so A takes over at 6.960937 s +
	 * 321.875 ms. */
	assert_int_equal(s.r[0].master_since, 6960937 + 321875);
	assert_int_equal(s.both_vips_us, 0);
}

static void test_sim_graceful_shutdown(void **state)
{
	static struct sim s;

	(void)state;
	memset(&s, 0, sizeof(s));
	sim_router(&s, 0, 200, "198.18.0.1", true);
	sim_router(&s, 1, 100, "198.18.0.2", true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, 10 * SEC);
	assert_roles(&s, 0, 1);
	/* Shutdown sends priority 0: the backup takes over after its skew. */
	sim_event(&s, 0, VRRP_EV_SHUTDOWN, NULL);
	assert_false(s.r[0].vips);
	sim_run(&s, 11 * SEC);
	assert_int_equal(s.r[1].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.r[1].master_since, 10 * SEC + SKEW_100MS);
	assert_int_equal(s.r[0].f.state, VRRP_STATE_INIT);
}

static void test_sim_tie_with_latency(void **state)
{
	static struct sim s;

	(void)state;
	/* Equal priorities started together: both time out at the same
	 * instant, both become master; with 1 ms on the wire each hears the
	 * other, and the higher address keeps the role (RFC 5798 6.4.3). */
	memset(&s, 0, sizeof(s));
	s.latency = 1 * MS;
	sim_router(&s, 0, 100, "198.18.0.9", true);
	sim_router(&s, 1, 100, "198.18.0.10", true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, 10 * SEC);
	assert_roles(&s, 1, 0);
	assert_int_equal(s.r[0].to_master, 1);
	assert_int_equal(s.r[0].to_backup, 2);
	/* Both held the addresses only for the 1 ms on the wire. */
	assert_int_equal(s.both_vips_us, 1 * MS);

	/* IPv6 the same way. */
	memset(&s, 0, sizeof(s));
	s.latency = 1 * MS;
	sim_router(&s, 0, 100, "fd00:198:18::1:0", true);
	sim_router(&s, 1, 100, "fd00:198:18::ff", true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, 10 * SEC);
	assert_roles(&s, 0, 1);
}

static void test_sim_fault_handover(void **state)
{
	static struct sim s;

	(void)state;
	memset(&s, 0, sizeof(s));
	sim_router(&s, 0, 200, "198.18.0.1", true);
	sim_router(&s, 1, 100, "198.18.0.2", true);
	sim_start(&s, 0);
	sim_start(&s, 1);
	sim_run(&s, 10 * SEC);
	/* Tracking fails on the master: priority 0 makes the backup take
	 * over after its skew, not a full master-down time. */
	sim_event(&s, 0, VRRP_EV_FAULT, NULL);
	sim_run(&s, 20 * SEC);
	assert_int_equal(s.r[0].f.state, VRRP_STATE_FAULT);
	assert_int_equal(s.r[1].f.state, VRRP_STATE_MASTER);
	assert_int_equal(s.r[1].master_since, 10 * SEC + SKEW_100MS);
	/* Recovery: backup first, then preemption by priority. */
	sim_event(&s, 0, VRRP_EV_FAULT_CLEAR, NULL);
	assert_int_equal(s.r[0].f.state, VRRP_STATE_BACKUP);
	sim_run(&s, 30 * SEC);
	assert_roles(&s, 0, 1);
	assert_int_equal(s.r[0].master_since, 20 * SEC + 321875);
	assert_int_equal(s.both_vips_us, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_timer_maths),
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_startup),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_tie_ipv4),
		cmocka_unit_test(test_tie_ipv6),
		cmocka_unit_test(test_own_advert_looped),
		cmocka_unit_test(test_master_higher_priority),
		cmocka_unit_test(test_master_lower_priority),
		cmocka_unit_test(test_priority0),
		cmocka_unit_test(test_learning_v3_v2),
		cmocka_unit_test(test_preempt),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_fault_cycle),
		cmocka_unit_test(test_priority_event),
		cmocka_unit_test(test_sync_group),
		cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_sim_failover_and_preempt),
		cmocka_unit_test(test_sim_nopreempt),
		cmocka_unit_test(test_sim_preempt_delay),
		cmocka_unit_test(test_sim_graceful_shutdown),
		cmocka_unit_test(test_sim_tie_with_latency),
		cmocka_unit_test(test_sim_fault_handover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
