/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check engine (see engine.h for the timing rules).
 *
 * Each probe owns one uv timer: it fires the next attempt, and while an
 * attempt runs it is that attempt's watchdog (libuv keeps timers in a heap,
 * so 10,000 probes cost 10,000 heap entries, nothing per tick).
 *
 * Results are queued per probe and flushed to main once per loop turn, from
 * a prepare handle (results of timer callbacks, before the loop blocks) and
 * a check handle (results of I/O callbacks). While main does not read (the
 * socket is full) a probe holds at most two records: the oldest unsent
 * state change and the latest result, so memory stays bounded and main
 * always learns the state it has to act on; a flap that happens entirely
 * while blocked (down then up again behind an unsent change) is merged and
 * counted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/kinds_test.h"
#include "conf/model.h"
#include "lib/log.h"

#define N_KINDS (CONF_CHECK_SMTP_HOST + 1)
#define MIN_DELAY_US 10000ULL		   /* jittered delay_loop floor */
#define WATCHDOG_GRACE_US (5 * 1000000ULL) /* beyond connect_timeout / misc_timeout */
#define READS_PER_WAKEUP 64
#define EP_BATCH 128 /* events taken from the watch set per epoll_wait */
#define EP_ROUNDS 64 /* epoll_waits per wakeup at most */
#define TURN_STARTS 256 /* attempts started per loop turn at most */
#define DL_LISTS 8   /* distinct deadline lengths kept in lists */

struct prt {
	struct check_engine *e;
	uv_timer_t timer; /* next attempt, or the running attempt's watchdog */
	struct check_attempt att;
	const struct check_kind *kind;
	bool up, running, queued;
	bool pending;				  /* waiting in the engine's start queue */
	struct prt *pend_next;
	bool starting;				  /* inside kind->start() */
	uint64_t deadline_us;			  /* the timer to arm once start() returns */
	void (*expired)(struct check_attempt *a); /* the kind's deadline, or NULL */
	struct dl_list *dl;			  /* the deadline list it is in, or NULL */
	struct prt *dl_prev, *dl_next;
	uint64_t dl_due; /* loop time (ms) its deadline falls due */
	unsigned fails;	 /* consecutive failures while up */
	uint32_t spawn_seq;
	check_spawn_cb spawn_cb;
	uint8_t npend;
	struct check_rec pend[2];
};

/*
 * Running attempts whose deadlines have the same length, in the order they
 * fall due (loop time only grows): adding one or taking it out is O(1), and
 * one timer per list stands for all of them, where a timer each would cost
 * two operations on libuv's timer heap per attempt (the heap of 10,000
 * probes' timers is what perf showed first in the checker's own time). The
 * list's timer is left armed for the head it had; when it fires, it ends
 * what is due and is armed again for the head then.
 */
struct dl_list {
	struct check_engine *e;
	uint64_t us; /* the deadline length */
	struct prt *head, *tail;
	uv_timer_t timer;
};

struct check_engine {
	uv_loop_t *loop;
	unsigned turn_starts; /* attempts started in this loop turn */
	const struct check_list *l;
	uint32_t gen;
	int fd;
	struct prt *p;
	uv_poll_t poll;
	uv_prepare_t prep;
	uv_idle_t idle;			     /* runs the start queue */
	struct prt *pend_head, *pend_tail; /* attempts due but not started yet */
	uv_check_t chk;
	bool go, stopped, freed, dirty, blocked;
	unsigned open_handles;
	unsigned *q; /* probes with pending records, a ring of l->n */
	unsigned q_head, q_len;
	struct check_rec *ctl; /* HELLO and SPAWN records, a ring of ctl_cap */
	unsigned ctl_head, ctl_len, ctl_cap;
	uint32_t next_seq;
	uint64_t rng;
	void *kind_data[N_KINDS];
	bool kind_inited[N_KINDS];
	uint8_t *buf;
	struct check_batch *batch;
	struct check_engine_stats st;
	/* the watch set (check_watch_*): opened on first use */
	int ep;
	bool ep_open;
	uv_poll_t ep_poll;
	int ep_n, ep_i; /* events being delivered, the one being delivered */
	struct epoll_event ep_ev[EP_BATCH];
	struct dl_list dl[DL_LISTS];
	unsigned n_dl;
};

static void engine_stop(struct check_engine *e);

static struct prt *prt_of(struct check_attempt *a)
{
	return (struct prt *)(void *)((char *)a - offsetof(struct prt, att));
}

static uint64_t rnd(struct check_engine *e)
{
	/* xorshift64*: spreading start times needs no more. */
	e->rng ^= e->rng >> 12;
	e->rng ^= e->rng << 25;
	e->rng ^= e->rng >> 27;
	return e->rng * 2685821657736338717ULL;
}

static uint64_t rnd_below(struct check_engine *e, uint64_t n)
{
	return n ? rnd(e) % n : 0;
}

static uint64_t jittered(struct check_engine *e, uint64_t d)
{
	uint64_t j = d / 16, v = d - j + rnd_below(e, 2 * j + 1);

	return v < MIN_DELAY_US ? MIN_DELAY_US : v;
}

/*
 * libuv counts a timer from the loop's cached time, taken when the loop
 * turn began; a turn of a saturated checker can last long enough that the
 * next attempt or a deadline would fall due early. So the delay is
 * lengthened by how far the clock is past the cached time. (Not with
 * uv_update_time: called from a timer callback it lets the loop's timer
 * phase run the timers falling due meanwhile, and a saturated checker
 * never leaves it.)
 */
static uint64_t loop_lag_ms(uv_loop_t *loop)
{
	uint64_t now = uv_hrtime() / 1000000, cached = uv_now(loop);

	return now > cached ? now - cached : 0;
}

uint64_t check_engine_lag_ms(struct check_engine *e)
{
	return loop_lag_ms(e->loop);
}

static void arm(struct prt *pr, uint64_t us, uv_timer_cb cb)
{
	uv_timer_start(&pr->timer, cb, (us + 999) / 1000 + loop_lag_ms(pr->e->loop), 0);
}

/* ---- handles and lifetime ---- */

static void free_mem(struct check_engine *e)
{
	if (e->ep >= 0)
		close(e->ep);
	free(e->p);
	free(e->q);
	free(e->ctl);
	free(e->buf);
	free(e->batch);
	free(e);
}

static void handle_closed(struct check_engine *e)
{
	if (--e->open_handles == 0 && e->freed)
		free_mem(e);
}

static void on_close(uv_handle_t *h)
{
	handle_closed(h->data);
}

static void on_timer_close(uv_handle_t *h)
{
	handle_closed(((struct prt *)h->data)->e);
}

static void on_dl_close(uv_handle_t *h)
{
	handle_closed(((struct dl_list *)h->data)->e);
}

static void close_handle(uv_handle_t *h, uv_close_cb cb)
{
	if (!uv_is_closing(h))
		uv_close(h, cb);
}

/* ---- results ---- */

static void queue_probe(struct check_engine *e, unsigned i)
{
	if (e->p[i].queued)
		return;
	e->p[i].queued = true;
	e->q[(e->q_head + e->q_len) % e->l->n] = i;
	e->q_len++;
}

static void queue_result(struct check_engine *e, unsigned i, const struct check_rec *r)
{
	struct prt *pr = &e->p[i];

	if (pr->npend == 0 || (pr->npend == 1 && !pr->pend[0].changed)) {
		pr->pend[0] = *r;
		pr->npend = 1;
	} else {
		struct check_rec n = *r;

		/* Main will have pend[0]'s state when it reads the record. */
		n.changed = n.up != pr->pend[0].up;
		if (pr->npend == 2 && pr->pend[1].changed && !n.changed)
			e->st.flaps_coalesced++;
		pr->pend[1] = n;
		pr->npend = 2;
	}
	queue_probe(e, i);
	e->dirty = true;
}

static int queue_ctl(struct check_engine *e, const struct check_rec *r)
{
	if (e->ctl_len == e->ctl_cap)
		return -ENOBUFS;
	e->ctl[(e->ctl_head + e->ctl_len) % e->ctl_cap] = *r;
	e->ctl_len++;
	e->dirty = true;
	return 0;
}

static void set_poll(struct check_engine *e);

/* Sends what is queued; stops at EAGAIN (and polls for writable). */
static void flush(struct check_engine *e)
{
	while (!e->stopped && e->dirty && !e->blocked) {
		struct check_batch *b = e->batch;
		unsigned n_ctl = 0, n_probes = 0;

		b->gen = e->gen;
		b->n = 0;
		while (n_ctl < e->ctl_len && b->n < CHECK_BATCH_MAX)
			b->v[b->n++] = e->ctl[(e->ctl_head + n_ctl++) % e->ctl_cap];
		while (n_probes < e->q_len) {
			struct prt *pr = &e->p[e->q[(e->q_head + n_probes) % e->l->n]];

			if (b->n + pr->npend > CHECK_BATCH_MAX)
				break;
			for (unsigned k = 0; k < pr->npend; k++)
				b->v[b->n++] = pr->pend[k];
			n_probes++;
		}
		if (!b->n) {
			e->dirty = false;
			return;
		}
		long len = check_batch_encode(b, e->buf, CHECK_DGRAM_MAX);

		if (len > 0) {
			ssize_t w = send(e->fd, e->buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);

			if (w < 0 &&
			    (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
				e->blocked = true;
				e->st.send_blocked++;
				set_poll(e);
				return;
			}
			if (w < 0) {
				log_error("checker: sending to vigild: %s", strerror(errno));
				engine_stop(e);
				return;
			}
			e->st.batches_sent++;
			e->st.records_sent += b->n;
		} else {
			/* Cannot happen with records built here; never loop on it. */
			log_error("checker: cannot encode a batch (%ld); %u records dropped", len,
				  b->n);
		}
		e->ctl_head = (e->ctl_head + n_ctl) % e->ctl_cap;
		e->ctl_len -= n_ctl;
		for (unsigned k = 0; k < n_probes; k++) {
			struct prt *pr = &e->p[e->q[e->q_head]];

			pr->npend = 0;
			pr->queued = false;
			e->q_head = (e->q_head + 1) % e->l->n;
			e->q_len--;
		}
	}
}

static void on_prepare(uv_prepare_t *h)
{
	flush(h->data);
}

static void on_check(uv_check_t *h)
{
	struct check_engine *e = h->data;

	e->turn_starts = 0; /* a new loop turn begins */
	flush(e);
}

/* ---- attempts ---- */

static void on_timer(uv_timer_t *t);
static void attempt_expired(struct prt *pr);

static void dl_del(struct prt *pr)
{
	struct dl_list *l = pr->dl;

	if (!l)
		return;
	if (pr->dl_prev)
		pr->dl_prev->dl_next = pr->dl_next;
	else
		l->head = pr->dl_next;
	if (pr->dl_next)
		pr->dl_next->dl_prev = pr->dl_prev;
	else
		l->tail = pr->dl_prev;
	pr->dl = NULL;
	pr->dl_prev = pr->dl_next = NULL;
}

static void on_dl(uv_timer_t *t)
{
	struct dl_list *l = t->data;
	struct check_engine *e = l->e;
	uint64_t now = uv_now(e->loop);

	while (!e->stopped && l->head && l->head->dl_due <= now) {
		struct prt *pr = l->head;

		dl_del(pr);
		attempt_expired(pr);
	}
	if (!e->stopped && l->head)
		uv_timer_start(&l->timer, on_dl, l->head->dl_due - now, 0);
}

/* Puts the running attempt's deadline us from now in a list: false when
 * there is no list for that length and no room for one. */
static bool dl_add(struct prt *pr, uint64_t us)
{
	struct check_engine *e = pr->e;
	struct dl_list *l = NULL;

	for (unsigned i = 0; i < e->n_dl && !l; i++)
		if (e->dl[i].us == us)
			l = &e->dl[i];
	if (!l) {
		if (e->n_dl == DL_LISTS)
			return false;
		l = &e->dl[e->n_dl++];
		l->e = e;
		l->us = us;
		uv_timer_init(e->loop, &l->timer);
		l->timer.data = l;
		e->open_handles++;
	}
	pr->dl = l;
	pr->dl_due = uv_now(e->loop) + (us + 999) / 1000 + loop_lag_ms(e->loop); /* see arm() */
	pr->dl_next = NULL;
	pr->dl_prev = l->tail;
	if (l->tail)
		l->tail->dl_next = pr;
	else
		l->head = pr;
	l->tail = pr;
	/* Armed for an earlier head, it fires first and re-arms for this one. */
	if (!uv_is_active((uv_handle_t *)&l->timer))
		uv_timer_start(&l->timer, on_dl, pr->dl_due - uv_now(e->loop), 0);
	return true;
}

/* The running attempt's deadline: in a list, or else its probe's timer. */
static void set_deadline(struct prt *pr, uint64_t us)
{
	dl_del(pr);
	if (!dl_add(pr, us))
		arm(pr, us, on_timer);
}

static void finish(struct prt *pr, enum check_cause cause, int32_t weight, const char *reason)
{
	struct check_engine *e = pr->e;
	const struct check_probe *p = pr->att.p;
	uint64_t lat = (uv_hrtime() - pr->att.started_ns) / 1000, next;
	bool before = pr->up;
	struct check_rec r = { .type = CHECK_REC_RESULT, .probe = pr->att.probe };
	bool ok;

	/* A record main would refuse must never leave: it would restart us. */
	if (cause == CHECK_NONE || (unsigned)cause >= CHECK_CAUSE__COUNT)
		cause = CHECK_INTERNAL;
	ok = cause == CHECK_OK;

	if (ok) {
		pr->fails = 0;
		pr->up = true;
		next = jittered(e, p->delay_loop);
	} else if (pr->up && ++pr->fails <= p->retry) {
		next = p->delay_before_retry;
	} else {
		pr->fails = 0;
		pr->up = false;
		next = jittered(e, p->delay_loop);
	}
	if (weight != CHECK_WEIGHT_NONE && weight < 0)
		weight = 0;
	if (weight > CHECK_WEIGHT_MAX)
		weight = CHECK_WEIGHT_MAX;
	r.up = pr->up;
	r.ok = ok;
	r.cause = cause;
	r.changed = pr->up != before;
	r.weight = weight;
	r.latency_us = lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
	check_rec_set_reason(&r, reason);
	if (r.changed)
		log_debug("checker: probe %u %s: %s -> %s (%s)", pr->att.probe, p->key,
			  before ? "up" : "down", pr->up ? "up" : "down", r.reason);
	e->st.results++;
	queue_result(e, pr->att.probe, &r);
	arm(pr, next, on_timer);
}

void check_attempt_done(struct check_attempt *a, enum check_cause cause, int32_t weight,
			const char *fmt, ...)
{
	struct prt *pr = prt_of(a);
	char reason[CHECK_REASON_MAX + 1];
	va_list ap;

	if (!pr->running || pr->e->stopped) {
		pr->e->st.done_twice++;
		return;
	}
	pr->running = false;
	pr->expired = NULL;
	dl_del(pr);
	pr->spawn_cb = NULL;
	pr->spawn_seq = 0;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	finish(pr, cause, weight, reason);
}

static void start_attempt(struct prt *pr)
{
	struct check_engine *e = pr->e;
	const struct check_probe *p = pr->att.p;
	uint64_t limit = p->kind == CONF_CHECK_MISC ? p->cfg->misc_timeout : p->connect_timeout;

	pr->running = true;
	pr->att.started_ns = uv_hrtime();
	pr->att.priv = NULL;
	pr->expired = NULL;
	e->st.attempts++;
	if (!pr->kind || !pr->kind->start) {
		check_attempt_done(&pr->att, CHECK_INTERNAL, CHECK_WEIGHT_NONE,
				   "no such checker kind");
		return;
	}
	/*
	 * The timer is armed once start() returns, with the watchdog or the
	 * kind's deadline: one timer operation per attempt instead of two.
	 * If start() finished the attempt, finish() has armed the next one.
	 */
	pr->deadline_us = limit + WATCHDOG_GRACE_US;
	pr->starting = true;
	pr->kind->start(&pr->att);
	pr->starting = false;
	if (pr->running && !e->stopped)
		set_deadline(pr, pr->deadline_us);
}

void check_attempt_deadline(struct check_attempt *a, uint64_t us,
			    void (*expired)(struct check_attempt *a))
{
	struct prt *pr = prt_of(a);

	if (!pr->running || pr->e->stopped)
		return;
	pr->expired = expired;
	if (pr->starting)
		pr->deadline_us = us;
	else
		set_deadline(pr, us);
}

static void on_idle(uv_idle_t *h)
{
	struct check_engine *e = h->data;

	while (!e->stopped && e->pend_head && e->turn_starts < TURN_STARTS) {
		struct prt *pr = e->pend_head;

		e->pend_head = pr->pend_next;
		if (!e->pend_head)
			e->pend_tail = NULL;
		pr->pend_next = NULL;
		pr->pending = false;
		if (pr->running)
			continue;
		e->turn_starts++;
		start_attempt(pr);
	}
	if (e->stopped || !e->pend_head)
		uv_idle_stop(&e->idle);
}

static void pend_push(struct prt *pr)
{
	struct check_engine *e = pr->e;

	if (pr->pending)
		return;
	pr->pending = true;
	pr->pend_next = NULL;
	if (e->pend_tail)
		e->pend_tail->pend_next = pr;
	else
		e->pend_head = pr;
	e->pend_tail = pr;
	if (!uv_is_active((uv_handle_t *)&e->idle))
		uv_idle_start(&e->idle, on_idle);
}

static void on_timer(uv_timer_t *t)
{
	struct prt *pr = t->data;

	if (pr->e->stopped)
		return;
	if (!pr->running) {
		/*
		 * At most TURN_STARTS attempts a loop turn: the timer phase of a
		 * saturated checker would otherwise start thousands, and the
		 * sockets of running attempts would wait past their deadlines
		 * for the I/O phase. The rest wait in a queue, in the order
		 * they fell due, and start TURN_STARTS a turn from the idle
		 * handle (which also keeps the loop from sleeping meanwhile).
		 */
		struct check_engine *e = pr->e;

		if (e->pend_head || e->turn_starts >= TURN_STARTS) {
			pend_push(pr);
			return;
		}
		e->turn_starts++;
		start_attempt(pr);
		return;
	}
	attempt_expired(pr);
}

/* The attempt's deadline (the kind's, or the watchdog) has passed. */
static void attempt_expired(struct prt *pr)
{
	if (!pr->running || pr->e->stopped)
		return;
	if (pr->expired) {
		void (*expired)(struct check_attempt * a) = pr->expired;

		/* The kind's own deadline: it finishes the attempt. */
		pr->expired = NULL;
		expired(&pr->att);
		if (!pr->running || pr->e->stopped)
			return;
	}
	/* The watchdog: the kind did not finish in time. */
	pr->running = false;
	dl_del(pr);
	pr->spawn_cb = NULL;
	pr->spawn_seq = 0;
	pr->e->st.hung++;
	if (pr->kind && pr->kind->cancel)
		pr->kind->cancel(&pr->att);
	finish(pr, CHECK_HUNG, CHECK_WEIGHT_NONE, "attempt hung");
}

static void go(struct check_engine *e)
{
	if (e->go)
		return;
	e->go = true;
	for (unsigned i = 0; i < e->l->n; i++) {
		const struct check_probe *p = &e->l->v[i];
		uint64_t span = p->warmup ? p->warmup : p->delay_loop;

		arm(&e->p[i], rnd_below(e, span), on_timer);
	}
}

/* ---- MISC_CHECK scripts through main ---- */

int check_engine_spawn(struct check_attempt *a, check_spawn_cb cb)
{
	struct prt *pr = prt_of(a);
	struct check_engine *e = pr->e;
	struct check_rec r = { .type = CHECK_REC_SPAWN, .probe = a->probe, .weight = 0 };
	int rc;

	if (e->stopped)
		return -ESHUTDOWN;
	if (!pr->running || !cb)
		return -EINVAL;
	if (pr->spawn_cb)
		return -EBUSY;
	if (++e->next_seq == 0)
		e->next_seq = 1;
	r.seq = e->next_seq;
	rc = queue_ctl(e, &r);
	if (rc)
		return rc;
	pr->spawn_seq = r.seq;
	pr->spawn_cb = cb;
	return 0;
}

static void exited(struct check_engine *e, const struct check_rec *r)
{
	struct prt *pr = &e->p[r->probe];

	if (!(pr->spawn_cb && pr->spawn_seq == r->seq)) {
		pr = NULL;
		for (unsigned i = 0; i < e->l->n && !pr; i++)
			if (e->p[i].spawn_cb && e->p[i].spawn_seq == r->seq)
				pr = &e->p[i];
	}
	if (!pr) {
		e->st.exited_unknown++;
		return;
	}
	check_spawn_cb cb = pr->spawn_cb;

	pr->spawn_cb = NULL;
	pr->spawn_seq = 0;
	cb(&pr->att, r->status);
}

/* ---- reading main ---- */

static void handle_batch(struct check_engine *e, const uint8_t *buf, size_t len)
{
	struct check_batch *b = e->batch;
	const char *why;

	/* e->batch is free here: flush() fills and sends it in one go. */
	if (check_batch_decode(buf, len, CHECK_DIR_TO_CHECKER, e->l->n, b, &why)) {
		e->st.bad_batches++;
		log_warn("checker: dropped a batch from vigild: %s", why);
		return;
	}
	if (b->gen != e->gen) {
		e->st.bad_batches++;
		log_warn("checker: dropped a batch of generation %u (mine: %u)", b->gen, e->gen);
		return;
	}
	for (unsigned i = 0; i < b->n && !e->stopped; i++) {
		const struct check_rec *r = &b->v[i];

		switch (r->type) {
		case CHECK_REC_STATE:
			e->p[r->probe].up = r->up;
			e->p[r->probe].fails = 0;
			break;
		case CHECK_REC_GO:
			go(e);
			break;
		case CHECK_REC_EXITED:
			exited(e, r);
			break;
		default:
			break;
		}
	}
}

static void read_main(struct check_engine *e)
{
	uint8_t *buf = malloc(CHECK_DGRAM_MAX);

	if (!buf) {
		log_error("checker: out of memory reading from vigild");
		engine_stop(e);
		return;
	}
	for (int k = 0; k < READS_PER_WAKEUP && !e->stopped; k++) {
		struct iovec iov = { .iov_base = buf, .iov_len = CHECK_DGRAM_MAX };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(e->fd, &mh, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			break;
		if (n <= 0) {
			if (n < 0)
				log_error("checker: reading from vigild: %s", strerror(errno));
			engine_stop(e);
			break;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			e->st.bad_batches++;
			log_warn("checker: dropped an oversized batch from vigild");
			continue;
		}
		handle_batch(e, buf, (size_t)n);
	}
	free(buf);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct check_engine *e = h->data;

	if (status < 0) {
		log_error("checker: polling the vigild socket: %s", uv_strerror(status));
		engine_stop(e);
		return;
	}
	if (events & UV_WRITABLE) {
		e->blocked = false;
		set_poll(e);
		flush(e);
	}
	if ((events & (UV_READABLE | UV_DISCONNECT)) && !e->stopped)
		read_main(e);
}

static void set_poll(struct check_engine *e)
{
	if (e->stopped)
		return;
	uv_poll_start(&e->poll, UV_READABLE | UV_DISCONNECT | (e->blocked ? UV_WRITABLE : 0),
		      on_poll);
}

/* ---- the watch set ---- */

static void on_ep(uv_poll_t *h, int status, int events)
{
	struct check_engine *e = h->data;
	int n;

	(void)events;
	if (status < 0 || e->stopped)
		return;
	/*
	 * Drain the set (up to EP_ROUNDS batches): the loop runs its timers
	 * before it polls again, so a ready socket left here for the next turn
	 * could see its attempt's deadline expire first when the checker is
	 * saturated (under TCG, 128 events a turn timed most attempts out).
	 */
	for (int round = 0; round < EP_ROUNDS && !e->stopped; round++) {
		n = epoll_wait(e->ep, e->ep_ev, EP_BATCH, 0);
		if (n <= 0)
			break;
		e->ep_n = n;
		for (e->ep_i = 0; e->ep_i < n && !e->stopped; e->ep_i++) {
			struct check_watch *w = e->ep_ev[e->ep_i].data.ptr;

			if (w)
				w->cb(w, e->ep_ev[e->ep_i].events);
		}
		e->ep_n = 0;
		e->ep_i = 0;
		if (n < EP_BATCH)
			break;
	}
}

static int ep_open(struct check_engine *e)
{
	int rc;

	if (e->ep_open)
		return 0;
	if (e->stopped)
		return -ESHUTDOWN;
	if (e->ep < 0) {
		e->ep = epoll_create1(EPOLL_CLOEXEC);
		if (e->ep < 0)
			return -errno;
	}
	rc = uv_poll_init(e->loop, &e->ep_poll, e->ep);
	if (rc)
		return rc;
	e->ep_poll.data = e;
	e->ep_open = true;
	e->open_handles++;
	uv_poll_start(&e->ep_poll, UV_READABLE, on_ep);
	return 0;
}

void check_watch_init(struct check_watch *w, int fd,
		      void (*cb)(struct check_watch *w, uint32_t events))
{
	w->fd = fd;
	w->events = 0;
	w->cb = cb;
}

int check_watch_set(struct check_engine *e, struct check_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	int rc = ep_open(e);

	if (rc)
		return rc;
	if (w->fd < 0)
		return -EBADF;
	if (w->events == events)
		return 0;
	if (epoll_ctl(e->ep, w->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, w->fd, &ev))
		return -errno;
	w->events = events;
	return 0;
}

void check_watch_close(struct check_engine *e, struct check_watch *w)
{
	/* Events already taken for w must not reach it once it is gone. */
	for (int i = e->ep_i + 1; i < e->ep_n; i++)
		if (e->ep_ev[i].data.ptr == w)
			e->ep_ev[i].data.ptr = NULL;
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->events = 0;
}

/* ---- the engine ---- */

static void engine_stop(struct check_engine *e)
{
	if (e->stopped)
		return;
	e->stopped = true;
	for (unsigned i = 0; i < e->l->n; i++) {
		struct prt *pr = &e->p[i];

		if (pr->running) {
			pr->running = false;
			pr->expired = NULL;
			dl_del(pr);
			pr->spawn_cb = NULL;
			if (pr->kind && pr->kind->cancel)
				pr->kind->cancel(&pr->att);
		}
		close_handle((uv_handle_t *)&pr->timer, on_timer_close);
	}
	for (unsigned i = 0; i < e->n_dl; i++)
		close_handle((uv_handle_t *)&e->dl[i].timer, on_dl_close);
	if (e->ep_open)
		close_handle((uv_handle_t *)&e->ep_poll, on_close);
	close_handle((uv_handle_t *)&e->poll, on_close);
	close_handle((uv_handle_t *)&e->prep, on_close);
	close_handle((uv_handle_t *)&e->idle, on_close);
	close_handle((uv_handle_t *)&e->chk, on_close);
}

int check_engine_new(uv_loop_t *loop, const struct check_list *l, uint32_t gen, int fd,
		     struct check_engine **out)
{
	struct check_engine *e = calloc(1, sizeof(*e));
	struct check_rec hello = { .type = CHECK_REC_HELLO, .probe = l->n };
	int rc;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	e->ep = -1;
	e->loop = loop;
	e->l = l;
	e->gen = gen;
	e->fd = fd;
	e->ctl_cap = l->n + 2;
	e->p = calloc(l->n ? l->n : 1, sizeof(*e->p));
	e->q = calloc(l->n ? l->n : 1, sizeof(*e->q));
	e->ctl = calloc(e->ctl_cap, sizeof(*e->ctl));
	e->buf = malloc(CHECK_DGRAM_MAX);
	e->batch = malloc(sizeof(*e->batch));
	if (!e->p || !e->q || !e->ctl || !e->buf || !e->batch) {
		free_mem(e);
		return -ENOMEM;
	}
	e->rng = uv_hrtime() ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)e;
	if (!e->rng)
		e->rng = 1;
	rc = uv_poll_init_socket(loop, &e->poll, fd);
	if (rc) {
		free_mem(e);
		return rc;
	}
	e->poll.data = e;
	e->open_handles++;
	uv_prepare_init(loop, &e->prep);
	e->prep.data = e;
	e->open_handles++;
	uv_idle_init(loop, &e->idle);
	e->idle.data = e;
	e->open_handles++;
	uv_check_init(loop, &e->chk);
	e->chk.data = e;
	e->open_handles++;
	for (unsigned i = 0; i < l->n; i++) {
		struct prt *pr = &e->p[i];

		pr->e = e;
		pr->kind = check_kind_of(l->v[i].kind);
		pr->up = !l->v[i].alpha;
		pr->att = (struct check_attempt){ .e = e, .probe = i, .p = &l->v[i] };
		uv_timer_init(loop, &pr->timer);
		pr->timer.data = pr;
		e->open_handles++;
	}
	set_poll(e);
	uv_prepare_start(&e->prep, on_prepare);
	uv_check_start(&e->chk, on_check);
	queue_ctl(e, &hello);
	*out = e;
	return 0;
}

int check_engine_init_kinds(struct check_engine *e)
{
	for (unsigned i = 0; i < e->l->n; i++) {
		int k = e->l->v[i].kind;
		const struct check_kind *kind = e->p[i].kind;

		if (k < 0 || k >= N_KINDS || e->kind_inited[k] || !kind)
			continue;
		e->kind_inited[k] = true;
		if (kind->init) {
			int rc = kind->init(e);

			if (rc < 0) {
				log_error("checker: %s: %s", kind->name, strerror(-rc));
				return rc;
			}
		}
	}
	return 0;
}

void check_engine_free(struct check_engine *e)
{
	if (!e)
		return;
	flush(e);
	engine_stop(e);
	for (int k = 0; k < N_KINDS; k++) {
		const struct check_kind *kind = check_kind_of(k);

		if (e->kind_inited[k] && kind && kind->fini)
			kind->fini(e);
	}
	e->freed = true;
	if (!e->open_handles)
		free_mem(e);
}

uv_loop_t *check_engine_loop(struct check_engine *e)
{
	return e->loop;
}

const struct conf_model *check_engine_model(struct check_engine *e)
{
	return e->l->m;
}

void *check_engine_kind_data(struct check_engine *e, int kind)
{
	return kind >= 0 && kind < N_KINDS ? e->kind_data[kind] : NULL;
}

void check_engine_set_kind_data(struct check_engine *e, int kind, void *data)
{
	if (kind >= 0 && kind < N_KINDS)
		e->kind_data[kind] = data;
}

void check_engine_get_stats(const struct check_engine *e, struct check_engine_stats *out)
{
	*out = e->st;
}

int64_t check_engine_due_in(const struct check_engine *e, unsigned probe)
{
	if (probe >= e->l->n)
		return -1;
	const struct prt *pr = &e->p[probe];
	const uv_timer_t *t = &pr->timer;
	/* From now, as arm() counts: the loop's cached time may be behind. */
	uint64_t now = uv_now(e->loop) + loop_lag_ms(e->loop);

	if (pr->dl)
		return pr->dl_due > now ? (int64_t)(pr->dl_due - now) : 0;
	if (!uv_is_active((const uv_handle_t *)t))
		return -1;
	now -= uv_now(e->loop);
	return uv_timer_get_due_in(t) > now ? (int64_t)(uv_timer_get_due_in(t) - now) : 0;
}
