/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notify scripts and FIFOs for VRRP state changes: a subscriber of the
 * event stream (vrrp.c subscribes it while the model's settings are open).
 *
 * Semantics decided here:
 * - Scripts: for an instance, MASTER runs notify_master, BACKUP notify_backup,
 *   FAULT notify_fault and STOP (INIT) notify_stop, then the generic `notify`
 *   with INSTANCE NAME STATE PRIORITY appended to its own arguments. A sync
 *   group does the same with GROUP NAME STATE 0; for a group STOP only its
 *   notify_stop runs (keepalived's notify arguments and FIFO lines know STOP
 *   for instances only).
 * - Order: each instance (and group) has its own queue, keyed by kind and
 *   name; a script starts when the previous one of that queue has exited or
 *   was killed. Each script gets SCRIPT_NOTIFY_TIMEOUT_MS (lib/script.h),
 *   then SIGTERM, then SIGKILL (lib/spawn.h). A queue holds at most
 *   NOTIFY_QUEUE_MAX waiting scripts; more are dropped and counted. Queues
 *   outlive vrrp_notify_close(): what is queued still runs while the loop
 *   runs (a notify_stop queued at shutdown is not lost).
 * - Identity and security: every script passes script_vet() (its own
 *   user/group, else script_user / script_group, else keepalived_script,
 *   else ours; enable_script_security) when the model is admitted, at load
 *   and at each reload, as keepalived checks its scripts. A refused script
 *   is logged then and never runs.
 * - FIFOs (notify_fifo and vrrp_notify_fifo both get the VRRP lines;
 *   notify_fifo gets the checker lines too, from ipvs/notify.c): a
 *   missing FIFO is created with mode 0600 (chowned to its user/group when
 *   given and we may); a path that exists but is not a FIFO is refused at
 *   open (logged) and that FIFO is not used. notify_fifo_script /
 *   vrrp_notify_fifo_script is started at open with the FIFO path appended
 *   as its last argument, without a timeout, and gets SIGTERM at close. The
 *   FIFO is opened O_WRONLY|O_NONBLOCK: with no reader (ENXIO) the line is
 *   dropped and counted and the open is retried at the next line; a full
 *   pipe (EAGAIN) drops the line; a reader that went away (EPIPE, SIGPIPE
 *   blocked around the write) closes our end and drops the line. Lines are
 *   shorter than PIPE_BUF, so each is written whole or not at all.
 */
#include "config.h"

#include "vrrp/notify.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/event.h"
#include "lib/fifo.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/script.h"
#include "lib/spawn.h"

#define NOTIFY_QUEUE_MAX 64
#define NOTIFY_FIFO_MAX 2

struct notify_counters {
	uint64_t scripts_run, scripts_failed, scripts_dropped, scripts_refused;
};

struct notify_item {
	struct notify_item *next;
	char **argv;
	char *label; /* "VI_1 notify_master", the log prefix */
	struct script_ident id;
};

struct notify_queue {
	struct notify_queue *next;
	struct vrrp_notify *n; /* NULL once vrrp_notify_close() ran */
	uv_loop_t *loop;
	bool group;
	char *name;
	struct notify_item *head, **tail;
	unsigned len; /* items waiting, the running one included */
	bool running;
	bool overflow_logged;
};

struct vrrp_notify {
	uv_loop_t *loop;
	char *script_user, *script_group;
	bool security;
	struct script_table admitted; /* the model's scripts that may run */
	struct fifo_writer *fifos[NOTIFY_FIFO_MAX];
	unsigned n_fifos;
	struct notify_queue *queues;
	struct notify_counters c;
};

static const char *state_word(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_FAULT:
		return "FAULT";
	case VRRP_STATE_INIT:
		return "STOP";
	default:
		return NULL;
	}
}

static struct script_policy policy(const struct vrrp_notify *n)
{
	return (struct script_policy){ n->script_user, n->script_group, n->security };
}

/* ---- script queues ---- */

static void item_free(struct notify_item *it)
{
	if (!it)
		return;
	spawn_argv_free(it->argv);
	free(it->label);
	free(it);
}

static void queue_free(struct notify_queue *q)
{
	while (q->head) {
		struct notify_item *it = q->head;

		q->head = it->next;
		item_free(it);
	}
	free(q->name);
	free(q);
}

/* An idle empty queue goes away (unlinked from n when n still exists). */
static void queue_maybe_free(struct notify_queue *q)
{
	struct notify_queue **pp;

	if (q->running || q->head)
		return;
	if (q->n) {
		for (pp = &q->n->queues; *pp; pp = &(*pp)->next) {
			if (*pp == q) {
				*pp = q->next;
				break;
			}
		}
	}
	queue_free(q);
}

static void queue_run(struct notify_queue *q);

static void item_exited(const struct spawn_result *res, void *data)
{
	struct notify_queue *q = data;
	struct notify_item *it = q->head;
	bool ok = !res->timed_out && !res->term_signal && res->exit_status == 0;

	if (q->n && !ok)
		q->n->c.scripts_failed++;
	if (!ok)
		log_warn("%s: %s %lld", it->label,
			 res->timed_out	    ? "timed out, killed; status"
			 : res->term_signal ? "killed by signal"
					    : "exit status",
			 res->term_signal ? (long long)res->term_signal
					  : (long long)res->exit_status);
	q->head = it->next;
	if (!q->head)
		q->tail = &q->head;
	q->len--;
	item_free(it);
	q->running = false;
	queue_run(q);
}

/* Starts the head of the queue unless one runs; frees the queue when done. */
static void queue_run(struct notify_queue *q)
{
	while (q->head && !q->running) {
		struct notify_item *it = q->head;
		struct spawn_opts o = { 0 };
		int r;

		o.argv = (const char *const *)it->argv;
		o.id = it->id;
		o.timeout_ms = SCRIPT_NOTIFY_TIMEOUT_MS;
		o.capture_output = true;
		o.name = it->label;
		r = spawn_script(q->loop, &o, item_exited, q, NULL);
		if (r == 0) {
			q->running = true;
			if (q->n)
				q->n->c.scripts_run++;
			return;
		}
		log_error("%s: cannot start: %s", it->label, uv_strerror(r));
		if (q->n)
			q->n->c.scripts_failed++;
		q->head = it->next;
		if (!q->head)
			q->tail = &q->head;
		q->len--;
		item_free(it);
	}
	queue_maybe_free(q);
}

static struct notify_queue *queue_get(struct vrrp_notify *n, bool group, const char *name)
{
	struct notify_queue *q;

	for (q = n->queues; q; q = q->next)
		if (q->group == group && !strcmp(q->name, name))
			return q;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->name = strdup(name);
	if (!q->name) {
		free(q);
		return NULL;
	}
	q->n = n;
	q->loop = n->loop;
	q->group = group;
	q->tail = &q->head;
	q->next = n->queues;
	n->queues = q;
	return q;
}

/*
 * Queues one script: its command split into words, plus extra (may be NULL)
 * appended. The item is built fully before it is linked.
 */
static void queue_script(struct vrrp_notify *n, struct notify_queue *q, const char *objname,
			 const char *what, const struct conf_script *sc, const char *const *extra)
{
	const struct script_ident *id;
	struct notify_item *it;
	const char *err = NULL;
	char label[160];
	char **argv = NULL;
	size_t argc = 0, i;

	if (!sc->cmd)
		return;
	snprintf(label, sizeof(label), "%s %s", objname, what);
	id = script_table_find(&n->admitted, sc);
	if (!id) {
		/* Refused (logged) when the configuration was loaded. */
		log_debug("%s: not run: refused at load", label);
		return;
	}
	if (q->len >= NOTIFY_QUEUE_MAX) {
		n->c.scripts_dropped++;
		if (!q->overflow_logged)
			log_warn("%s: %u scripts already waiting; dropped", label, q->len);
		q->overflow_logged = true;
		return;
	}
	q->overflow_logged = false;
	if (spawn_split_command(sc->cmd, &argv, &err) < 0) {
		log_error("%s: '%.64s': %s", label, sc->cmd, err);
		n->c.scripts_failed++;
		return;
	}
	while (argv[argc])
		argc++;
	if (extra) {
		size_t ne = 0;
		char **grown;

		while (extra[ne])
			ne++;
		grown = realloc(argv, (argc + ne + 1) * sizeof(*argv));
		if (!grown)
			goto nomem;
		argv = grown;
		for (i = 0; i < ne; i++) {
			argv[argc] = strdup(extra[i]);
			if (!argv[argc])
				goto nomem;
			argv[++argc] = NULL;
		}
	}
	it = calloc(1, sizeof(*it));
	if (!it)
		goto nomem;
	it->argv = argv;
	it->label = strdup(label);
	if (!it->label) {
		free(it);
		goto nomem;
	}
	it->id = *id;
	*q->tail = it;
	q->tail = &it->next;
	q->len++;
	return;
nomem:
	log_error("%s: out of memory", label);
	n->c.scripts_failed++;
	spawn_argv_free(argv);
}

/* ---- FIFOs ---- */

static void fifo_line(struct vrrp_notify *n, bool group, const char *name, const char *state,
		      unsigned prio)
{
	char line[FIFO_LINE_MAX];
	unsigned i;
	int len;

	len = snprintf(line, sizeof(line), "%s \"%s\" %s %u\n", group ? "GROUP" : "INSTANCE", name,
		       state, prio);
	if (len < 0)
		len = FIFO_LINE_MAX; /* counted as dropped */
	for (i = 0; i < n->n_fifos; i++)
		fifo_writer_line(n->fifos[i], line, (size_t)len);
}

static void fifo_add(struct vrrp_notify *n, const char *what, const struct conf_script *fifo,
		     const struct conf_script *script)
{
	struct fifo_writer_opts o = { .what = what, .path = fifo->cmd };
	char why[128];
	unsigned i;

	if (!fifo->cmd || !fifo->cmd[0])
		return;
	for (i = 0; i < n->n_fifos; i++) {
		if (!strcmp(fifo_writer_path(n->fifos[i]), fifo->cmd)) {
			log_warn("%s %s is already used as %s; lines are written once", what,
				 fifo->cmd, fifo_writer_what(n->fifos[i]));
			return;
		}
	}
	if (fifo->user && script_ident_lookup(fifo->user, fifo->group, 0, &o.owner, why,
					      sizeof(why)) < 0)
		log_warn("%s %s: %s; the FIFO keeps its owner", what, fifo->cmd, why);
	if (script->cmd) {
		struct script_policy pol = policy(n);
		char label[64];

		snprintf(label, sizeof(label), "%s_script", what);
		if (script_vet(label, "it will not run", script->cmd, script->user, script->group,
			       &pol, &o.script_id) == 0)
			o.script = script->cmd;
	}
	if (fifo_writer_open(n->loop, &o, &n->fifos[n->n_fifos]) == 0)
		n->n_fifos++;
}

/* ---- public ---- */

int vrrp_notify_open(uv_loop_t *loop, const struct conf_global *g, struct vrrp_notify **out)
{
	struct vrrp_notify *n;

	*out = NULL;
	if (!loop || !g)
		return -EINVAL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->loop = loop;
	n->security = g->enable_script_security;
	if ((g->script_user && !(n->script_user = strdup(g->script_user))) ||
	    (g->script_group && !(n->script_group = strdup(g->script_group)))) {
		vrrp_notify_close(n);
		return -ENOMEM;
	}
	fifo_add(n, "notify_fifo", &g->notify_fifo, &g->notify_fifo_script);
	fifo_add(n, "vrrp_notify_fifo", &g->vrrp_notify_fifo, &g->vrrp_notify_fifo_script);
	*out = n;
	return 0;
}

void vrrp_notify_close(struct vrrp_notify *n)
{
	struct notify_queue *q;
	unsigned i;

	if (!n)
		return;
	for (i = 0; i < n->n_fifos; i++)
		fifo_writer_close(n->fifos[i]);
	/* Queues finish on their own; the running ones keep the loop. */
	for (q = n->queues; q;) {
		struct notify_queue *next = q->next;

		q->n = NULL;
		q->next = NULL;
		if (!q->running)
			queue_free(q); /* nothing running: nothing can start it again */
		q = next;
	}
	script_table_free(&n->admitted);
	free(n->script_user);
	free(n->script_group);
	free(n);
}

/* One script of an object: admitted, refused (logged), or not configured. */
static int admit(struct vrrp_notify *n, const char *obj, const char *what,
		 const struct conf_script *sc)
{
	struct script_policy pol = policy(n);
	char label[160];
	int r;

	snprintf(label, sizeof(label), "%s %s", obj, what);
	r = script_table_vet(&n->admitted, sc, label, "it will not run", sc->cmd, sc->user,
			     sc->group, &pol);
	if (r == -1)
		n->c.scripts_refused++;
	return r == -ENOMEM ? -ENOMEM : 0;
}

int vrrp_notify_admit_instance(struct vrrp_notify *n, const struct conf_vrrp_instance *vi)
{
	const char *o = vi->hdr.name;

	if (admit(n, o, "notify_master", &vi->notify_master) ||
	    admit(n, o, "notify_backup", &vi->notify_backup) ||
	    admit(n, o, "notify_fault", &vi->notify_fault) ||
	    admit(n, o, "notify_stop", &vi->notify_stop) || admit(n, o, "notify", &vi->notify) ||
	    admit(n, o, "notify_master_rx_lower_pri", &vi->notify_master_rx_lower_pri))
		return -ENOMEM;
	return 0;
}

int vrrp_notify_admit_group(struct vrrp_notify *n, const struct conf_vrrp_sync_group *sg)
{
	const char *o = sg->hdr.name;

	if (admit(n, o, "notify_master", &sg->notify_master) ||
	    admit(n, o, "notify_backup", &sg->notify_backup) ||
	    admit(n, o, "notify_fault", &sg->notify_fault) ||
	    admit(n, o, "notify_stop", &sg->notify_stop) || admit(n, o, "notify", &sg->notify))
		return -ENOMEM;
	return 0;
}

int vrrp_notify_admit_model(struct vrrp_notify *n, const struct conf_model *m)
{
	conf_list_for_each (const struct conf_vrrp_instance, vi, &m->vrrp.instances)
		if (vrrp_notify_admit_instance(n, vi))
			return -ENOMEM;
	conf_list_for_each (const struct conf_vrrp_sync_group, sg, &m->vrrp.sync_groups)
		if (vrrp_notify_admit_group(n, sg))
			return -ENOMEM;
	return 0;
}

static void notify_common(struct vrrp_notify *n, bool group, const char *name,
			  const struct conf_script *specific, const char *specific_what,
			  const struct conf_script *generic, const char *state, unsigned prio,
			  bool generic_and_fifo)
{
	struct notify_queue *q = queue_get(n, group, name);
	char prio_s[16];

	if (!q) {
		log_error("%s %s: out of memory, notifications of %s lost",
			  group ? "vrrp_sync_group" : "vrrp_instance", name, state);
		n->c.scripts_dropped++;
		return;
	}
	snprintf(prio_s, sizeof(prio_s), "%u", prio);
	if (specific)
		queue_script(n, q, name, specific_what, specific, NULL);
	if (generic_and_fifo) {
		const char *extra[] = { group ? "GROUP" : "INSTANCE", name, state, prio_s, NULL };

		queue_script(n, q, name, "notify", generic, extra);
		fifo_line(n, group, name, state, prio);
	}
	queue_run(q);
}

static const struct conf_script *pick(enum vrrp_state to, const struct conf_script *m,
				      const struct conf_script *b, const struct conf_script *f,
				      const struct conf_script *s, const char **what)
{
	switch (to) {
	case VRRP_STATE_MASTER:
		*what = "notify_master";
		return m;
	case VRRP_STATE_BACKUP:
		*what = "notify_backup";
		return b;
	case VRRP_STATE_FAULT:
		*what = "notify_fault";
		return f;
	case VRRP_STATE_INIT:
		*what = "notify_stop";
		return s;
	default:
		*what = NULL;
		return NULL;
	}
}

void vrrp_notify_instance(struct vrrp_notify *n, const struct conf_vrrp_instance *vi,
			  enum vrrp_state to, unsigned priority)
{
	const struct conf_script *sc;
	const char *what, *state = state_word(to);

	if (!n || !vi || !state)
		return;
	sc = pick(to, &vi->notify_master, &vi->notify_backup, &vi->notify_fault, &vi->notify_stop,
		  &what);
	notify_common(n, false, vi->hdr.name, sc, what, &vi->notify, state, priority, true);
}

void vrrp_notify_group(struct vrrp_notify *n, const struct conf_vrrp_sync_group *sg,
		       enum vrrp_state to)
{
	const struct conf_script *sc;
	const char *what, *state = state_word(to);

	if (!n || !sg || !state)
		return;
	sc = pick(to, &sg->notify_master, &sg->notify_backup, &sg->notify_fault, &sg->notify_stop,
		  &what);
	notify_common(n, true, sg->hdr.name, sc, what, &sg->notify, state, 0,
		      to != VRRP_STATE_INIT);
}

void vrrp_notify_rx_lower_pri(struct vrrp_notify *n, const struct conf_vrrp_instance *vi,
			      unsigned priority)
{
	struct notify_queue *q;

	if (!n || !vi)
		return;
	if (vi->notify_master_rx_lower_pri.cmd) {
		q = queue_get(n, false, vi->hdr.name);
		if (!q) {
			n->c.scripts_dropped++;
		} else {
			queue_script(n, q, vi->hdr.name, "notify_master_rx_lower_pri",
				     &vi->notify_master_rx_lower_pri, NULL);
			queue_run(q);
		}
	}
	fifo_line(n, false, vi->hdr.name, "MASTER_RX_LOWER_PRI", priority);
}

void vrrp_notify_priority(struct vrrp_notify *n, const struct conf_vrrp_instance *vi,
			  enum vrrp_state state, unsigned priority)
{
	if (!n || !vi || vi->notify_priority_changes != 1)
		return;
	if (state == VRRP_STATE_MASTER)
		fifo_line(n, false, vi->hdr.name, "MASTER_PRIORITY", priority);
	else if (state == VRRP_STATE_BACKUP)
		fifo_line(n, false, vi->hdr.name, "BACKUP_PRIORITY", priority);
}

void vrrp_notify_status_json(const struct vrrp_notify *n, struct json *j)
{
	uint64_t lines = 0, dropped = 0;
	unsigned i, waiting = 0;
	const struct notify_queue *q;

	for (i = 0; n && i < n->n_fifos; i++) {
		struct fifo_writer_stats st;

		fifo_writer_stats(n->fifos[i], &st);
		lines += st.lines;
		dropped += st.dropped;
	}
	for (q = n ? n->queues : NULL; q; q = q->next)
		waiting += q->len;
	json_obj_begin(j);
	json_kuint(j, "scripts_run", n ? n->c.scripts_run : 0);
	json_kuint(j, "scripts_failed", n ? n->c.scripts_failed : 0);
	json_kuint(j, "scripts_dropped", n ? n->c.scripts_dropped : 0);
	json_kuint(j, "scripts_refused", n ? n->c.scripts_refused : 0);
	json_kuint(j, "scripts_queued", waiting);
	json_kuint(j, "fifo_lines", lines);
	json_kuint(j, "fifo_dropped", dropped);
	json_key(j, "fifos");
	json_arr_begin(j);
	for (i = 0; n && i < n->n_fifos; i++) {
		const struct fifo_writer *f = n->fifos[i];
		struct fifo_writer_stats st;

		fifo_writer_stats(f, &st);
		json_obj_begin(j);
		json_kstr(j, "kind", fifo_writer_what(f));
		json_kstr(j, "path", fifo_writer_path(f));
		json_kbool(j, "open", st.open);
		json_kbool(j, "script_running", st.script_running);
		json_kuint(j, "lines", st.lines);
		json_kuint(j, "dropped", st.dropped);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void vrrp_notify_on_event(const struct event *ev, void *data)
{
	struct vrrp_notify *n = data;
	const struct event_vrrp *e = &ev->vrrp;

	switch (ev->kind) {
	case EVENT_VRRP_STATE:
		vrrp_notify_instance(n, e->instance, (enum vrrp_state)e->to, e->priority);
		break;
	case EVENT_VRRP_GROUP_STATE:
		vrrp_notify_group(n, e->group, (enum vrrp_state)e->to);
		break;
	case EVENT_VRRP_RX_LOWER_PRI:
		vrrp_notify_rx_lower_pri(n, e->instance, e->priority);
		break;
	case EVENT_VRRP_PRIORITY:
		vrrp_notify_priority(n, e->instance, (enum vrrp_state)e->to, e->priority);
		break;
	default:
		break;
	}
}
