/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's side of the checker process (see supervise.h).
 *
 * One checker process runs at a time. Each one gets its own socketpair, so
 * a record can only come from the process it was sent to; a checker being
 * replaced (restart, reload) is sent SIGTERM, its socket is closed at once
 * and it is reaped by pid (SIGKILL after 2 s). We never wait for any pid
 * but our own: libuv reaps the children of uv_spawn (scripts) itself.
 */
#include "config.h"

#include "check/supervise.h"
#include "check/supervise_test.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/proto.h"
#include "lib/json.h"
#include "conf/value.h"
#include "lib/event.h"
#include "lib/log.h"
#include "lib/script.h"
#include "lib/spawn.h"

#define SUP_BACKOFF_MIN_MS 100
#define SUP_BACKOFF_MAX_MS 10000
#define SUP_GOOD_LIFE_MS 60000 /* a checker that lived this long resets the backoff */
#define SUP_KILL_GRACE_MS 2000
#define SUP_SOCKBUF (4 << 20)
#define SUP_MAX_DYING 8
#define SUP_MAX_REASONS 24
#define SUP_LOG_INTERVAL_MS 10000 /* bad datagrams: one log line per interval */

void (*check_sup_child_main)(const struct conf_model *m, uint32_t gen, int fd,
			     const char *user) = check_process_main;
uint64_t check_sup_hung_min_ms = 30000;

/* check/process.c: what vigild holds, for the child to close (no header:
 * only this file forks the checker). */
void check_process_prefork(void);

/* How a MISC_CHECK script of a probe runs (resolved when the list is built). */
struct misc_ident {
	bool refused; /* by script_vet() */
	struct script_ident id;
};

struct checker;

struct misc_job {
	struct check_sup *s;
	struct checker *c; /* NULL once that checker is gone: the reply is dropped */
	uint32_t seq;
	struct spawn_job *job;
	struct misc_job *next;
};

struct checker {
	struct check_sup *s;
	pid_t pid;
	int fd;
	uint32_t gen;
	uv_poll_t poll;
	bool hello, go;
	bool reaped; /* pid waited for: never signal it again */
	uint64_t started_ms, last_rx_ms;
	unsigned n_jobs;
};

struct dying {
	pid_t pid;
	uint64_t kill_at_ms;
};

struct drop_reason {
	const char *why; /* static text from check_batch_decode or ours */
	uint64_t n;
};

/*
 * One probe's results per cause. Most probes never fail, so the counter of
 * every cause is allocated at a probe's first failure (12,000 probes would
 * otherwise carry CHECK_CAUSE__COUNT counters each); until then its
 * successes are counted in ok.
 */
struct probe_counts {
	uint64_t ok;
	uint64_t *by_cause; /* CHECK_CAUSE__COUNT counters, or NULL */
};

struct check_sup {
	uv_loop_t *loop;
	const struct conf_model *m;
	char *user;
	struct event_bus *bus;
	struct check_sup_ops ops;
	struct check_list list;
	struct check_probe_state *st;
	struct probe_counts *counts; /* per probe, beside st */
	struct misc_ident *misc;
	uint32_t gen;
	struct checker *c; /* the running checker, NULL between restarts */
	struct dying dying[SUP_MAX_DYING];
	unsigned n_dying;
	struct misc_job *jobs;
	uv_signal_t sigchld;
	uv_timer_t tick;    /* 1 s: hung checker, SIGKILL of dying ones */
	uv_timer_t restart; /* backoff */
	bool restart_pending, stopping, handles_open;
	uint64_t backoff_ms;
	uint64_t restarts, results, drops, gen_ignored, scripts_run, hangs;
	uint64_t by_cause[CHECK_CAUSE__COUNT]; /* results per cause, every probe */
	struct drop_reason reasons[SUP_MAX_REASONS];
	uint64_t drops_other;
	uint64_t last_log_ms, suppressed_logs;
	char last_exit[64];
	uint8_t buf[CHECK_DGRAM_MAX];
};

/* ---- pure parts ---- */

uint64_t check_sup_backoff_ms(uint64_t prev_ms, uint64_t lived_ms)
{
	if (lived_ms >= SUP_GOOD_LIFE_MS || prev_ms == 0)
		return SUP_BACKOFF_MIN_MS;
	if (prev_ms >= SUP_BACKOFF_MAX_MS / 2)
		return SUP_BACKOFF_MAX_MS;
	return prev_ms * 2;
}

void check_sup_initial_states(const struct check_list *l, struct check_probe_state *st)
{
	for (unsigned i = 0; i < l->n; i++) {
		memset(&st[i], 0, sizeof(st[i]));
		st[i].up = !l->v[i].alpha;
		st[i].weight = CHECK_WEIGHT_NONE;
	}
}

/* States (and, when oc is given, counters) of probes whose key is in both
 * lists move to the new list. Keys are unique in a list, so each old
 * probe's counters go to one new probe at most. */
static unsigned carry(const struct check_list *ol, const struct check_probe_state *ost,
		      struct probe_counts *oc, const struct check_list *nl,
		      struct check_probe_state *nst, struct probe_counts *nc)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nl->n; i++) {
		int o = check_list_find(ol, nl->v[i].key);

		if (o < 0 || (unsigned)o >= ol->n)
			continue;
		nst[i] = ost[o];
		if (oc && nc) {
			nc[i] = oc[o];
			oc[o] = (struct probe_counts){ 0 };
		}
		n++;
	}
	return n;
}

unsigned check_sup_carry(const struct check_list *ol, const struct check_probe_state *ost,
			 const struct check_list *nl, struct check_probe_state *nst)
{
	return carry(ol, ost, NULL, nl, nst, NULL);
}

static void counts_free(struct probe_counts *c, unsigned n)
{
	for (unsigned i = 0; c && i < n; i++)
		free(c[i].by_cause);
	free(c);
}

/* One more result of probe with cause c (in range: decoded). */
static void count_result(struct check_sup *s, unsigned probe, enum check_cause c)
{
	struct probe_counts *pc = &s->counts[probe];

	s->by_cause[c]++;
	if (!pc->by_cause && c != CHECK_OK) {
		pc->by_cause = calloc(CHECK_CAUSE__COUNT, sizeof(*pc->by_cause));
		if (pc->by_cause)
			pc->by_cause[CHECK_OK] = pc->ok;
	}
	if (pc->by_cause)
		pc->by_cause[c]++;
	else if (c == CHECK_OK)
		pc->ok++;
	/* else out of memory: the total above has it, this probe's view not */
}

/* ---- logging and counters ---- */

static void sup_log_bad(struct check_sup *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sup_log_bad(struct check_sup *s, const char *fmt, ...)
{
	uint64_t now = uv_now(s->loop);
	char line[256];
	va_list ap;

	if (s->last_log_ms && now - s->last_log_ms < SUP_LOG_INTERVAL_MS) {
		s->suppressed_logs++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (s->suppressed_logs)
		log_error("checker: %s (%llu similar messages suppressed)", line,
			  (unsigned long long)s->suppressed_logs);
	else
		log_error("checker: %s", line);
	s->suppressed_logs = 0;
	s->last_log_ms = now;
}

static void count_drop(struct check_sup *s, const char *why)
{
	s->drops++;
	for (unsigned i = 0; i < SUP_MAX_REASONS; i++) {
		if (!s->reasons[i].why) {
			s->reasons[i].why = why;
			s->reasons[i].n = 1;
			return;
		}
		if (s->reasons[i].why == why || !strcmp(s->reasons[i].why, why)) {
			s->reasons[i].n++;
			return;
		}
	}
	s->drops_other++;
}

/* ---- processes ---- */

static void dying_add(struct check_sup *s, pid_t pid)
{
	if (pid <= 0)
		return;
	if (s->n_dying == SUP_MAX_DYING) {
		/* Never lose a child: kill and reap the oldest now. */
		kill(s->dying[0].pid, SIGKILL);
		while (waitpid(s->dying[0].pid, NULL, 0) < 0 && errno == EINTR)
			;
		memmove(&s->dying[0], &s->dying[1], sizeof(s->dying[0]) * (SUP_MAX_DYING - 1));
		s->n_dying--;
	}
	s->dying[s->n_dying].pid = pid;
	s->dying[s->n_dying].kill_at_ms = uv_now(s->loop) + SUP_KILL_GRACE_MS;
	s->n_dying++;
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status %#x", (unsigned)status);
}

static void schedule_restart(struct check_sup *s);

static void poll_closed(uv_handle_t *h)
{
	free(h->data);
}

/* Detaches the current checker: SIGTERM, socket closed, reaped later. */
static void checker_drop(struct check_sup *s)
{
	struct checker *c = s->c;

	if (!c)
		return;
	s->c = NULL;
	for (struct misc_job *j = s->jobs; j; j = j->next)
		if (j->c == c)
			j->c = NULL;
	if (c->pid > 0 && !c->reaped) {
		kill(c->pid, SIGTERM);
		dying_add(s, c->pid);
	}
	uv_poll_stop(&c->poll);
	close(c->fd);
	c->poll.data = c;
	uv_close((uv_handle_t *)&c->poll, poll_closed);
}

/* The checker misbehaved or died: replace it after the backoff. */
static void checker_fail(struct check_sup *s, const char *why)
{
	struct event ev = { .kind = EVENT_CHECKER_RESTART };
	uint64_t lived;

	if (!s->c)
		return;
	lived = uv_now(s->loop) - s->c->started_ms;
	ev.checker = (struct event_checker){
		.pid = s->c->pid, .why = why, .restarts = s->restarts + 1
	};
	event_publish(s->bus, &ev); /* the log line among others */
	checker_drop(s);
	s->backoff_ms = check_sup_backoff_ms(s->backoff_ms, lived);
	schedule_restart(s);
}

static void reap(struct check_sup *s)
{
	char how[48];
	int status;
	pid_t r;

	for (unsigned i = 0; i < s->n_dying;) {
		r = waitpid(s->dying[i].pid, &status, WNOHANG);
		if (r == s->dying[i].pid || (r < 0 && errno == ECHILD)) {
			if (r > 0) {
				describe_status(status, how, sizeof(how));
				snprintf(s->last_exit, sizeof(s->last_exit), "%s", how);
				log_debug("checker (pid %ld) ended: %s", (long)s->dying[i].pid,
					  how);
			}
			s->dying[i] = s->dying[--s->n_dying];
			continue;
		}
		i++;
	}
	if (s->c && s->c->pid > 0 && !s->c->reaped) {
		r = waitpid(s->c->pid, &status, WNOHANG);
		if (r == s->c->pid) {
			describe_status(status, how, sizeof(how));
			snprintf(s->last_exit, sizeof(s->last_exit), "%s", how);
			s->c->reaped = true;
			if (!s->stopping) {
				char why[80];

				snprintf(why, sizeof(why), "ended (%s)", how);
				checker_fail(s, why);
			}
		}
	}
}

static void on_sigchld(uv_signal_t *h, int signum)
{
	(void)signum;
	reap(h->data);
}

static void close_handles(struct check_sup *s)
{
	if (!s->handles_open)
		return;
	s->handles_open = false;
	uv_signal_stop(&s->sigchld);
	uv_timer_stop(&s->tick);
	uv_timer_stop(&s->restart);
	uv_close((uv_handle_t *)&s->sigchld, NULL);
	uv_close((uv_handle_t *)&s->tick, NULL);
	uv_close((uv_handle_t *)&s->restart, NULL);
}

/*
 * Silence that means a hung checker: three times the longest a probe may
 * go without a result (its delay_loop, plus one attempt's timeout and the
 * delay before a retry), at least 30 s.
 */
static uint64_t hung_after_ms(const struct check_sup *s)
{
	uint64_t longest = 0;

	for (unsigned i = 0; i < s->list.n; i++) {
		const struct check_probe *p = &s->list.v[i];
		uint64_t t = p->connect_timeout;

		if (p->kind == CONF_CHECK_MISC) {
			t = p->cfg->misc_timeout;
			if (t == CONF_LVS_UNSET_TIMER || t == 0)
				t = p->delay_loop;
		}
		t += p->delay_loop + p->delay_before_retry;
		if (t > longest)
			longest = t;
	}
	longest = longest / 1000 * 3;
	return longest > check_sup_hung_min_ms ? longest : check_sup_hung_min_ms;
}

static void on_tick(uv_timer_t *t)
{
	struct check_sup *s = t->data;
	uint64_t now = uv_now(s->loop);

	reap(s);
	for (unsigned i = 0; i < s->n_dying; i++)
		if (now >= s->dying[i].kill_at_ms) {
			kill(s->dying[i].pid, SIGKILL);
			s->dying[i].kill_at_ms = UINT64_MAX;
		}
	if (s->c && s->list.n && now - s->c->last_rx_ms > hung_after_ms(s)) {
		s->hangs++;
		checker_fail(s, "sent nothing for too long (hung)");
	}
	if (s->stopping && !s->c && !s->n_dying)
		close_handles(s);
}

/* ---- sending ---- */

static int send_batch(struct check_sup *s, struct checker *c, struct check_batch *b)
{
	long len;
	ssize_t n;

	b->gen = c->gen;
	len = check_batch_encode(b, s->buf, sizeof(s->buf));
	b->n = 0;
	if (len < 0)
		return (int)len;
	for (int tries = 0; tries < 10; tries++) {
		n = send(c->fd, s->buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == len)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* The checker reads as it goes; give it a moment (bounded). */
			struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };

			poll(&pfd, 1, 100);
			continue;
		}
		return n < 0 ? -errno : -EMSGSIZE;
	}
	return -EAGAIN;
}

static struct check_batch *batch_new(void)
{
	return calloc(1, sizeof(struct check_batch));
}

/* HELLO received: every known state, then GO. */
static int send_states(struct check_sup *s, struct checker *c)
{
	struct check_batch *b = batch_new();
	int r = 0;

	if (!b)
		return -ENOMEM;
	for (unsigned i = 0; i < s->list.n && r == 0; i++) {
		struct check_rec *rec;

		if (!s->st[i].known)
			continue;
		rec = &b->v[b->n++];
		memset(rec, 0, sizeof(*rec));
		rec->type = CHECK_REC_STATE;
		rec->probe = i;
		rec->up = s->st[i].up;
		rec->weight = s->st[i].weight;
		if (b->n == CHECK_BATCH_MAX)
			r = send_batch(s, c, b);
	}
	if (r == 0) {
		if (b->n == CHECK_BATCH_MAX)
			r = send_batch(s, c, b);
		if (r == 0) {
			memset(&b->v[b->n], 0, sizeof(b->v[0]));
			b->v[b->n++].type = CHECK_REC_GO;
			r = send_batch(s, c, b);
		}
	}
	free(b);
	return r;
}

static void send_exited(struct check_sup *s, struct checker *c, uint32_t seq, int32_t status)
{
	struct check_batch *b = batch_new();
	int r;

	if (!b)
		return;
	b->v[0].type = CHECK_REC_EXITED;
	b->v[0].seq = seq;
	b->v[0].status = status;
	b->v[0].weight = CHECK_WEIGHT_NONE;
	b->n = 1;
	r = send_batch(s, c, b);
	free(b);
	if (r < 0)
		checker_fail(s, "cannot send a script's exit status");
}

/* ---- MISC_CHECK scripts ---- */

static void misc_resolve(struct check_sup *s)
{
	const struct conf_global *g = &s->m->global;
	const struct script_policy pol = { g->script_user, g->script_group,
					   g->enable_script_security };

	for (unsigned i = 0; i < s->list.n; i++) {
		const struct check_probe *p = &s->list.v[i];
		struct misc_ident *mi = &s->misc[i];
		char label[PATH_MAX + 16];

		memset(mi, 0, sizeof(*mi));
		if (p->kind != CONF_CHECK_MISC || !p->cfg->misc_path)
			continue;
		snprintf(label, sizeof(label), "MISC_CHECK %s", p->cfg->misc_path);
		if (script_vet(label, "it will not run and the check fails", p->cfg->misc_path,
			       p->cfg->user, p->cfg->group, &pol, &mi->id) < 0)
			mi->refused = true;
	}
}

static void misc_exited(const struct spawn_result *res, void *data)
{
	struct misc_job *j = data, **pp;
	struct check_sup *s = j->s;
	int32_t status;

	if (res->timed_out)
		status = CHECK_EXIT_TIMEOUT;
	else if (res->term_signal)
		status = -res->term_signal;
	else
		status = res->exit_status < 0 || res->exit_status > 255 ? 1
									: (int32_t)res->exit_status;
	for (pp = &s->jobs; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	if (j->c && j->c == s->c) {
		j->c->n_jobs--;
		send_exited(s, j->c, j->seq, status);
	}
	free(j);
	if (s->stopping && !s->c && !s->n_dying && !s->jobs)
		close_handles(s);
}

/* SPAWN from the checker: the probe names a MISC_CHECK of OUR list. */
static int misc_spawn(struct check_sup *s, struct checker *c, const struct check_rec *rec)
{
	const struct check_probe *p = &s->list.v[rec->probe];
	const struct misc_ident *mi = &s->misc[rec->probe];
	struct spawn_opts o;
	struct misc_job *j;
	uint64_t timeout;
	int r;

	if (p->kind != CONF_CHECK_MISC || !p->cfg->misc_path)
		return -EINVAL;
	if (c->n_jobs >= s->list.n)
		return -E2BIG;
	if (mi->refused) {
		send_exited(s, c, rec->seq, 1);
		return 0;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->s = s;
	j->c = c;
	j->seq = rec->seq;
	timeout = p->cfg->misc_timeout;
	if (timeout == CONF_LVS_UNSET_TIMER || timeout == 0)
		timeout = p->delay_loop;
	memset(&o, 0, sizeof(o));
	o.id = mi->id;
	o.timeout_ms = timeout / 1000 ? timeout / 1000 : 1;
	o.capture_output = true;
	o.name = "MISC_CHECK";
	r = spawn_command(s->loop, p->cfg->misc_path, &o, misc_exited, j, &j->job);
	if (r < 0) {
		log_warn("MISC_CHECK %s: cannot run it: %s", p->cfg->misc_path, strerror(-r));
		free(j);
		send_exited(s, c, rec->seq, 1);
		return 0;
	}
	s->scripts_run++;
	c->n_jobs++;
	j->next = s->jobs;
	s->jobs = j;
	return 0;
}

/* ---- receiving ---- */

/* "TCP_CHECK 198.18.0.3:80" for log lines. */
static const char *probe_name(const struct check_probe *p, char *buf, size_t len)
{
	char a[CONF_ADDRSTRLEN];

	if (p->kind == CONF_CHECK_MISC)
		snprintf(buf, len, "MISC_CHECK %.40s", p->cfg->misc_path);
	else if (p->kind == CONF_CHECK_FILE)
		snprintf(buf, len, "FILE_CHECK %.40s", p->cfg->track_file);
	else if (p->port)
		snprintf(buf, len, "%s %s%s%s:%u", conf_check_kind_names[p->kind],
			 p->addr.family == AF_INET6 ? "[" : "", conf_addr_str(&p->addr, a),
			 p->addr.family == AF_INET6 ? "]" : "", p->port);
	else
		snprintf(buf, len, "%s %s", conf_check_kind_names[p->kind],
			 conf_addr_str(&p->addr, a));
	return buf;
}

/* log_all_failures of the checker, else global checker_log_all_failures. */
static bool log_all_failures(const struct check_sup *s, const struct check_probe *p)
{
	if (p->cfg->log_all_failures != CONF_TRI_UNSET)
		return p->cfg->log_all_failures;
	return s->list.m && s->list.m->global.checker_log_all_failures;
}

/* snprintf(dst, len, "%s", src) without the formatting machinery. */
static void copy_reason(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void on_result(struct check_sup *s, const struct check_rec *rec)
{
	struct check_probe_state *st = &s->st[rec->probe];
	bool was_up = st->up;
	int32_t was_weight = st->weight;

	s->results++;
	st->known = true;
	st->up = rec->up;
	st->weight = rec->weight;
	st->latency_us = rec->latency_us;
	st->cause = rec->cause;
	count_result(s, rec->probe, rec->cause);
	st->last_ms = uv_now(s->loop);
	if (!st->last_ms)
		st->last_ms = 1;
	copy_reason(st->reason, sizeof(st->reason), rec->reason);
	if (was_up != st->up) {
		char name[CONF_ADDRSTRLEN + 64];

		st->changes++;
		log_info("checker: %s: %s -> %s (%s)",
			 probe_name(&s->list.v[rec->probe], name, sizeof(name)),
			 was_up ? "up" : "down", st->up ? "up" : "down", st->reason);
	}
	else if (!rec->ok && log_all_failures(s, &s->list.v[rec->probe])) {
		char name[CONF_ADDRSTRLEN + 64];

		log_info("checker: %s: attempt failed (%s)",
			 probe_name(&s->list.v[rec->probe], name, sizeof(name)), st->reason);
	}
	if ((was_up != st->up || was_weight != st->weight) && s->ops.changed)
		s->ops.changed(s->ops.ctx, &s->list, rec->probe, st);
}

/* One decoded batch from checker c; false: c was replaced. */
static bool handle_batch(struct check_sup *s, struct checker *c, const struct check_batch *b)
{
	if (b->gen != c->gen) {
		s->gen_ignored++;
		return true;
	}
	for (unsigned i = 0; i < b->n; i++) {
		const struct check_rec *rec = &b->v[i];
		const char *bad = NULL;

		switch (rec->type) {
		case CHECK_REC_HELLO:
			if (c->hello)
				bad = "second HELLO";
			else if (rec->probe != s->list.n)
				bad = "HELLO with the wrong probe count";
			else {
				c->hello = true;
				if (send_states(s, c) < 0) {
					checker_fail(s, "cannot send it the probe states");
					return false;
				}
				c->go = true;
			}
			break;
		case CHECK_REC_RESULT:
			if (!c->go)
				bad = "RESULT before GO";
			else if (rec->cause == CHECK_NONE)
				bad = "RESULT without a cause";
			else
				on_result(s, rec);
			break;
		case CHECK_REC_SPAWN:
			if (!c->go)
				bad = "SPAWN before GO";
			else if (misc_spawn(s, c, rec) < 0)
				bad = "SPAWN for a probe that is not a MISC_CHECK (or too many)";
			break;
		default:
			bad = "record type not allowed to main";
			break;
		}
		if (bad) {
			count_drop(s, bad);
			sup_log_bad(s, "pid %ld: %s", (long)c->pid, bad);
			checker_fail(s, bad);
			return false;
		}
		if (s->c != c)
			return false;
	}
	return true;
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct checker *c = h->data;
	struct check_sup *s = c->s;
	struct check_batch *b;

	(void)events;
	if (status < 0) {
		checker_fail(s, "socket error");
		return;
	}
	/* Not zeroed: decoding sets every field of the records it returns
	 * (a 40 KB memset per wake-up was a tenth of main's time). */
	b = malloc(sizeof(*b));
	if (!b)
		return;
	b->n = 0;
	for (int turns = 0; turns < 64 && s->c == c; turns++) {
		struct iovec iov = { .iov_base = s->buf, .iov_len = sizeof(s->buf) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		const char *why = NULL;
		ssize_t n = recvmsg(c->fd, &msg, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			checker_fail(s, strerror(errno));
			break;
		}
		if (n == 0) {
			/* A dead checker's socket closes just before it can be
			 * reaped: wait a moment (bounded) to log how it ended. */
			for (int w = 0; w < 20 && s->c == c && !c->reaped; w++) {
				reap(s);
				if (s->c == c)
					usleep(5000);
			}
			if (s->c == c)
				checker_fail(s, "closed its socket");
			break;
		}
		c->last_rx_ms = uv_now(s->loop);
		if (msg.msg_flags & MSG_TRUNC)
			why = "datagram larger than the maximum";
		else if (check_batch_decode(s->buf, (size_t)n, CHECK_DIR_TO_MAIN, s->list.n, b,
					    &why) < 0 &&
			 !why)
			why = "invalid datagram";
		if (why) {
			count_drop(s, why);
			sup_log_bad(s, "pid %ld sent an invalid datagram (%zd bytes): %s",
				    (long)c->pid, n, why);
			checker_fail(s, why);
			break;
		}
		if (!handle_batch(s, c, b))
			break;
	}
	free(b);
}

/* ---- starting the checker ---- */

static int checker_spawn(struct check_sup *s)
{
	struct checker *c;
	int sv[2], size = SUP_SOCKBUF;
	pid_t pid;
	int r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	for (int i = 0; i < 2; i++) {
		if (setsockopt(sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
			setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
		if (setsockopt(sv[i], SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
			setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(sv[0]);
		close(sv[1]);
		return -ENOMEM;
	}
	fflush(NULL); /* nothing buffered may be written twice */
	check_process_prefork();
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		free(c);
		return r;
	}
	if (pid == 0) {
		close(sv[0]);
		check_sup_child_main(s->m, s->gen, sv[1], s->user);
		_exit(1);
	}
	close(sv[1]);
	c->s = s;
	c->pid = pid;
	c->fd = sv[0];
	c->gen = s->gen;
	c->started_ms = c->last_rx_ms = uv_now(s->loop);
	r = uv_poll_init(s->loop, &c->poll, c->fd);
	if (r < 0) {
		kill(pid, SIGKILL);
		dying_add(s, pid);
		close(c->fd);
		free(c);
		return r;
	}
	c->poll.data = c;
	uv_poll_start(&c->poll, UV_READABLE, on_readable);
	s->c = c;
	log_info("checker started (pid %ld, %u probe(s), generation %u)", (long)pid, s->list.n,
		 s->gen);
	return 0;
}

static void on_restart(uv_timer_t *t)
{
	struct check_sup *s = t->data;
	int r;

	s->restart_pending = false;
	if (s->stopping || s->c || !s->list.n)
		return;
	s->restarts++;
	r = checker_spawn(s);
	if (r < 0) {
		log_error("checker: cannot start it: %s", strerror(-r));
		s->backoff_ms = check_sup_backoff_ms(s->backoff_ms, 0);
		schedule_restart(s);
	}
}

static void schedule_restart(struct check_sup *s)
{
	if (s->stopping || s->restart_pending)
		return;
	s->restart_pending = true;
	uv_timer_start(&s->restart, on_restart, s->backoff_ms, 0);
}

static int list_make(const struct conf_model *m, struct check_list *l,
		     struct check_probe_state **st, struct probe_counts **counts,
		     struct misc_ident **misc)
{
	int r = check_list_build(m, l);

	if (r < 0)
		return r;
	*st = calloc(l->n ? l->n : 1, sizeof(**st));
	*counts = calloc(l->n ? l->n : 1, sizeof(**counts));
	*misc = calloc(l->n ? l->n : 1, sizeof(**misc));
	if (!*st || !*counts || !*misc) {
		free(*st);
		free(*counts);
		free(*misc);
		check_list_free(l);
		return -ENOMEM;
	}
	check_sup_initial_states(l, *st);
	return 0;
}

int check_sup_start(uv_loop_t *loop, const struct conf_model *m, const struct check_sup_opts *o,
		    const struct check_sup_ops *ops, struct check_sup **out)
{
	struct check_sup *s;
	int r;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	r = list_make(m, &s->list, &s->st, &s->counts, &s->misc);
	if (r < 0) {
		free(s);
		return r;
	}
	if (!s->list.n) {
		check_list_free(&s->list);
		free(s->st);
		free(s->counts);
		free(s->misc);
		free(s);
		return 0;
	}
	s->user = strdup(o && o->user ? o->user : "nobody");
	s->bus = o ? o->bus : NULL;
	if (!s->user) {
		check_sup_free(s);
		return -ENOMEM;
	}
	s->loop = loop;
	s->m = m;
	s->gen = 1;
	if (ops)
		s->ops = *ops;
	misc_resolve(s);
	uv_signal_init(loop, &s->sigchld);
	uv_timer_init(loop, &s->tick);
	uv_timer_init(loop, &s->restart);
	s->sigchld.data = s->tick.data = s->restart.data = s;
	s->handles_open = true;
	uv_signal_start(&s->sigchld, on_sigchld, SIGCHLD);
	uv_timer_start(&s->tick, on_tick, 1000, 1000);
	r = checker_spawn(s);
	if (r < 0) {
		log_error("checker: cannot start it: %s; retrying", strerror(-r));
		s->backoff_ms = check_sup_backoff_ms(0, 0);
		schedule_restart(s);
	}
	*out = s;
	return 0;
}

int check_sup_reload(struct check_sup *s, const struct conf_model *new_model)
{
	struct check_list nl;
	struct check_probe_state *nst;
	struct probe_counts *ncounts;
	struct misc_ident *nmisc;
	unsigned kept;
	int r;

	if (!s || s->stopping)
		return 0;
	r = list_make(new_model, &nl, &nst, &ncounts, &nmisc);
	if (r < 0) {
		log_error("checker: reload: %s; the checks of the old configuration go on",
			  strerror(-r));
		return r;
	}
	kept = carry(&s->list, s->st, s->counts, &nl, nst, ncounts);
	/* The old checker's records refer to the old list: stop it first. */
	checker_drop(s);
	counts_free(s->counts, s->list.n);
	check_list_free(&s->list);
	free(s->st);
	free(s->misc);
	s->list = nl;
	s->st = nst;
	s->counts = ncounts;
	s->misc = nmisc;
	s->m = new_model;
	s->gen++;
	misc_resolve(s);
	log_info("checker: reload: %u probe(s), %u kept their state", s->list.n, kept);
	s->backoff_ms = 0;
	if (s->restart_pending) {
		uv_timer_stop(&s->restart);
		s->restart_pending = false;
	}
	if (!s->list.n)
		return 0;
	r = checker_spawn(s);
	if (r < 0) {
		log_error("checker: cannot start it: %s; retrying", strerror(-r));
		s->backoff_ms = check_sup_backoff_ms(0, 0);
		schedule_restart(s);
	}
	return 0;
}

void check_sup_stop(struct check_sup *s)
{
	if (!s || s->stopping)
		return;
	s->stopping = true;
	checker_drop(s);
	/* Scripts still running would hold the loop up to misc_timeout. */
	for (struct misc_job *j = s->jobs; j; j = j->next) {
		j->c = NULL;
		spawn_kill(j->job, SIGKILL);
	}
	if (s->restart_pending) {
		uv_timer_stop(&s->restart);
		s->restart_pending = false;
	}
	reap(s);
	if (!s->n_dying && !s->jobs)
		close_handles(s);
	else
		uv_timer_start(&s->tick, on_tick, 100, 100);
}

void check_sup_free(struct check_sup *s)
{
	if (!s)
		return;
	/* Whatever is still alive by now is killed and reaped. */
	for (unsigned i = 0; i < s->n_dying; i++) {
		kill(s->dying[i].pid, SIGKILL);
		while (waitpid(s->dying[i].pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	while (s->jobs) {
		struct misc_job *j = s->jobs;

		s->jobs = j->next;
		free(j); /* its spawn job was closed with the loop */
	}
	counts_free(s->counts, s->list.n);
	check_list_free(&s->list);
	free(s->st);
	free(s->misc);
	free(s->user);
	free(s);
}

const struct check_list *check_sup_list(const struct check_sup *s)
{
	return s ? &s->list : NULL;
}

const struct check_probe_state *check_sup_state(const struct check_sup *s, unsigned probe)
{
	return s && probe < s->list.n ? &s->st[probe] : NULL;
}

pid_t check_sup_pid(const struct check_sup *s)
{
	return s && s->c && !s->c->reaped ? s->c->pid : -1;
}

uint64_t check_sup_restarts(const struct check_sup *s)
{
	return s->restarts;
}

uint64_t check_sup_drops(const struct check_sup *s)
{
	return s->drops;
}

/* ---- status ---- */

static void probe_json(const struct check_sup *s, struct json *j, unsigned i)
{
	const struct check_probe *p = &s->list.v[i];
	const struct check_probe_state *st = &s->st[i];
	const struct probe_counts *pc = &s->counts[i];
	char addr[CONF_ADDRSTRLEN];
	uint64_t now = uv_now(s->loop);

	json_obj_begin(j);
	json_kuint(j, "index", i);
	json_kstr(j, "kind", conf_check_kind_names[p->kind]);
	if (p->kind == CONF_CHECK_MISC) {
		json_kstr(j, "script", p->cfg->misc_path);
	} else if (p->kind == CONF_CHECK_FILE) {
		json_kstr(j, "file", p->cfg->track_file);
	} else {
		json_kstr(j, "address", conf_addr_str(&p->addr, addr));
		if (p->port)
			json_kuint(j, "port", p->port);
	}
	json_key(j, "users");
	json_arr_begin(j);
	for (unsigned u = 0; u < p->n_users; u++) {
		json_obj_begin(j);
		json_kstr(j, "virtual_server", p->users[u].vsp->hdr.name);
		json_kstr(j, "real_server", p->users[u].rsp->hdr.name);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kstr(j, "state", st->up ? "up" : "down");
	json_kbool(j, "known", st->known);
	json_kstr(j, "reason", st->known ? st->reason : NULL);
	json_kstr(j, "cause", st->cause != CHECK_NONE ? check_causes[st->cause].name : NULL);
	if (st->last_ms) {
		json_kuint(j, "latency_us", st->latency_us);
		json_kuint(j, "last_result_ago_ms", now >= st->last_ms ? now - st->last_ms : 0);
	}
	if (st->weight != CHECK_WEIGHT_NONE)
		json_kint(j, "weight", st->weight);
	else
		json_kstr(j, "weight", NULL);
	json_kuint(j, "changes", st->changes);
	json_key(j, "results_by_cause");
	json_obj_begin(j);
	for (unsigned c = CHECK_OK; c < CHECK_CAUSE__COUNT; c++) {
		uint64_t n = pc->by_cause ? pc->by_cause[c] : c == CHECK_OK ? pc->ok : 0;

		if (n)
			json_kuint(j, check_causes[c].name, n);
	}
	json_obj_end(j);
	json_obj_end(j);
}

void check_sup_status_json(struct json *j, void *data)
{
	const struct check_sup *s = data;
	unsigned up = 0;

	json_obj_begin(j);
	if (!s) {
		json_obj_end(j);
		return;
	}
	json_key(j, "process");
	json_obj_begin(j);
	if (s->c && !s->c->reaped)
		json_kint(j, "pid", s->c->pid);
	else
		json_kstr(j, "pid", NULL);
	json_kstr(j, "user", s->user);
	json_kbool(j, "running", s->c && s->c->go);
	json_kuint(j, "generation", s->gen);
	json_kuint(j, "restarts", s->restarts);
	json_kuint(j, "hangs", s->hangs);
	json_kuint(j, "uptime_ms", s->c ? uv_now(s->loop) - s->c->started_ms : 0);
	json_kstr(j, "last_exit", s->last_exit[0] ? s->last_exit : NULL);
	json_kuint(j, "results", s->results);
	json_key(j, "results_by_cause");
	json_obj_begin(j);
	for (unsigned c = CHECK_OK; c < CHECK_CAUSE__COUNT; c++)
		json_kuint(j, check_causes[c].name, s->by_cause[c]);
	json_obj_end(j);
	json_kuint(j, "scripts_run", s->scripts_run);
	json_kuint(j, "old_generation_ignored", s->gen_ignored);
	json_kuint(j, "drops", s->drops);
	json_key(j, "drop_reasons");
	json_obj_begin(j);
	for (unsigned i = 0; i < SUP_MAX_REASONS && s->reasons[i].why; i++)
		json_kuint(j, s->reasons[i].why, s->reasons[i].n);
	if (s->drops_other)
		json_kuint(j, "other", s->drops_other);
	json_obj_end(j);
	json_obj_end(j);
	for (unsigned i = 0; i < s->list.n; i++)
		up += s->st[i].up;
	json_kuint(j, "probes_total", s->list.n);
	json_kuint(j, "probes_up", up);
	json_key(j, "probes");
	json_arr_begin(j);
	for (unsigned i = 0; i < s->list.n; i++)
		probe_json(s, j, i);
	json_arr_end(j);
	json_obj_end(j);
}
