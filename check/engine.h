/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check engine: runs in the checker process (unprivileged, see
 * supervise.h). It schedules every probe of a check_list, runs one attempt
 * at a time per probe through the probe's kind (struct check_kind below), applies
 * retry / delay_before_retry, delay_loop, warmup and alpha, and reports
 * each finished attempt to main as a RESULT record, batched per loop turn.
 *
 * Timing (keepalived's semantics):
 * - first attempt at a random point in [0, warmup) when warmup is set, else
 *   in [0, delay_loop), so thousands of probes never fire together; every
 *   later attempt delay_loop after the previous one ended, jittered by up
 *   to 1/16 of delay_loop either way (never below 10 ms);
 * - a probe that is up and fails is retried `retry` times, each
 *   delay_before_retry after the last failure; it goes down when all have
 *   failed (retry + 1 consecutive failures); any success resets the count;
 * - a probe that is down goes up on its first success;
 * - alpha: the probe starts down; without alpha it starts up. A STATE
 *   record from main (a carried-over state) overrides the start state.
 * - a weight from misc_dynamic or FILE_CHECK dynamic rides on the result.
 */
#ifndef VIGIL_CHECK_ENGINE_H
#define VIGIL_CHECK_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "check/probe.h"
#include "check/proto.h"

struct check_engine;

/* One running attempt of one probe; kinds keep their own state behind
 * priv. */
struct check_attempt {
	struct check_engine *e;
	unsigned probe;
	const struct check_probe *p;
	uint64_t started_ns; /* monotonic */
	void *priv;
};

/*
 * A checker kind (one file each: tcp.c, http.c, smtp.c, dns.c, udp.c,
 * ping.c, file.c, misc.c). start() begins an attempt on the engine's loop
 * and later calls check_attempt_done() exactly once (possibly from inside
 * start() for an immediate failure); cancel() stops a running attempt
 * without calling done (engine stop, reload); it must free everything.
 * Every kind enforces connect_timeout itself and bounds the memory one
 * attempt may use. init() (optional) runs once per engine before any
 * attempt, as root before privileges are dropped (e.g. opening the raw
 * ICMP sockets); it returns 0 or a negative errno.
 */
struct check_kind {
	const char *name; /* "TCP_CHECK", ... */
	int (*init)(struct check_engine *e);
	void (*start)(struct check_attempt *a);
	void (*cancel)(struct check_attempt *a);
	void (*fini)(struct check_engine *e); /* optional */
};

extern const struct check_kind check_kind_tcp, check_kind_http, check_kind_ssl, check_kind_smtp,
	check_kind_dns, check_kind_misc, check_kind_udp, check_kind_ping, check_kind_file;

/* The kind of enum conf_check_kind k (CONF_CHECK_SMTP_HOST: NULL). */
const struct check_kind *check_kind_of(int k);

/*
 * Finishes the attempt: cause is CHECK_OK or why it failed (check/result.h;
 * CHECK_NONE or a value out of range is reported as CHECK_INTERNAL); the
 * reason (printf-style) is the detail operators read in the log and in
 * `vigilctl status`. weight: CHECK_WEIGHT_NONE unless the kind sets one.
 */
void check_attempt_done(struct check_attempt *a, enum check_cause cause, int32_t weight,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Replaces the engine's watchdog of the running attempt a (connect_timeout
 * plus a grace) with the kind's own deadline: expired(a) runs us
 * microseconds from now (from when start() returns, if called inside it)
 * and must finish the attempt; if it does not, the engine finishes it as
 * hung. Saves a kind its own timer per attempt. Call it again to move it.
 */
void check_attempt_deadline(struct check_attempt *a, uint64_t us,
			    void (*expired)(struct check_attempt *a));

/*
 * A socket in the engine's own epoll set: one uv_poll on that set stands for
 * every watched socket, so an attempt costs one epoll_ctl instead of a
 * uv_poll's init, start, stop and close (six epoll_ctl and an ioctl).
 * cb(w, EPOLL* events) runs from the loop; it may close any watch.
 */
struct check_watch {
	int fd;
	uint32_t events; /* registered EPOLL* events, 0: not in the set */
	void (*cb)(struct check_watch *w, uint32_t events);
};

/* Takes fd into w (not yet watched). */
void check_watch_init(struct check_watch *w, int fd,
		      void (*cb)(struct check_watch *w, uint32_t events));
/* Watches w for events (EPOLLIN, EPOLLOUT; EPOLLERR and EPOLLHUP always):
 * 0 or -errno. */
int check_watch_set(struct check_engine *e, struct check_watch *w, uint32_t events);
/*
 * Closes w's socket, which takes it out of the set (the checker neither
 * forks nor duplicates its sockets, so the close is the last reference),
 * and drops its events not yet delivered. No-op when w has no socket.
 */
void check_watch_close(struct check_engine *e, struct check_watch *w);

uv_loop_t *check_engine_loop(struct check_engine *e);
/* How far the clock is past the loop's cached time (ms): add it to a timer's
 * delay to count from now (never uv_update_time from a timer callback). */
uint64_t check_engine_lag_ms(struct check_engine *e);
/* The model the probes were built from (global settings: smtp_helo_name,
 * track_file blocks). */
const struct conf_model *check_engine_model(struct check_engine *e);
/* Per-kind engine-wide state (e.g. the ICMP sockets), set by init(). */
void *check_engine_kind_data(struct check_engine *e, int kind);
void check_engine_set_kind_data(struct check_engine *e, int kind, void *data);

/* MISC_CHECK: ask main to run the probe's script; cb runs with the EXITED
 * status (exit code, -signal or CHECK_EXIT_TIMEOUT). Returns 0 or -errno. */
typedef void (*check_spawn_cb)(struct check_attempt *a, int32_t status);
int check_engine_spawn(struct check_attempt *a, check_spawn_cb cb);

/*
 * The checker process: builds nothing itself, runs the probes of l on loop,
 * talks to main on fd (SOCK_SEQPACKET), model generation gen. Sends HELLO,
 * waits for STATE... GO, then checks until main closes fd (every handle is
 * then closed, so uv_run returns) or the process is told to stop
 * (check_engine_free once, then run the loop to let the handles close).
 */
int check_engine_new(uv_loop_t *loop, const struct check_list *l, uint32_t gen, int fd,
		     struct check_engine **out);
/* Runs every kind's init() (before privileges are dropped). */
int check_engine_init_kinds(struct check_engine *e);
void check_engine_free(struct check_engine *e);

/* The checker process's main: never returns (exit status 0 when main
 * closed the socket, 1 on a fatal error). Called in the forked child. */
void check_process_main(const struct conf_model *m, uint32_t gen, int fd, const char *user)
	__attribute__((noreturn));

#endif
