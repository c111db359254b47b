/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tracked objects for VRRP: vrrp_script, track_file and interfaces here,
 * vrrp_track_process in track_proc.c; opening and closing the tracker
 * (with the hand-over on reload), the fold of their states into a priority
 * delta and a fault flag (vrrp_track_eval), status and the test hooks.
 *
 * Semantics decided here (keepalived's where its man page says so):
 * - Only objects some vrrp_instance or vrrp_sync_group tracks are run, read
 *   or scanned, as keepalived does.
 * - vrrp_script: starts in INIT (or FAILED with init_fail). The first result
 *   of a script in INIT sets its state at once; after that, rise consecutive
 *   successes make a FAILED script OK and fall consecutive failures make an
 *   OK script FAILED (the counters are bounded by rise and fall). Until a
 *   script has reported (INIT) it counts as OK for every tracker, weighted
 *   or not, as keepalived does: an instance does not go through FAULT
 *   while its scripts run for the first time. With init_fail it starts
 *   FAILED and needs rise successes. Exit 0 is success; a signal, a
 *   timeout (timeout, or interval when not given) or a failure to start is
 *   a failure. A tick that finds the previous run still going is skipped
 *   and counted. First runs are spread evenly over min(interval, 1 s) so
 *   many scripts do not start on one tick. A script that script_vet()
 *   refuses at open (an identity that does not resolve, a missing or
 *   non-executable program, enable_script_security) is logged and FAILED
 *   for good: it never runs. keepalived removes such a script from
 *   tracking instead; a refused health check counting as failed is safer.
 * - track_file: the first number in the file (decimal, optional sign,
 *   surrounded by blanks). A missing or unreadable file, or text that is
 *   not a number, reads as 0, as keepalived does; the reason is logged once
 *   per change and shown in the status. The directory is watched with
 *   inotify (uv_fs_event) so a write, create or rename is seen at once; if
 *   the directory cannot be watched the file is polled every second.
 * - track_process: see track_proc.c, which scans for them.
 * - interfaces: up when the interface exists, is admin up and has carrier.
 * - weights: the weight of a track entry is the effective one left by
 *   conf_validate_vrrp() (the object's when the entry gives none). reverse is
 *   the entry's when it gives a weight, else the entry's or the object's.
 *   Weight 0: failing is a fault (reverse: OK is a fault). Weight > 0: OK
 *   adds it (reverse: subtracts it). Weight < 0: failing subtracts |weight|
 *   (reverse: adds it). Files add value * weight (reverse: subtract); with
 *   weight 0 a non-zero value is a fault (reverse: zero is); a result below
 *   -253 is a fault, one above 254 counts as 254.
 */
#include "config.h"

#include "vrrp/track.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/spawn.h"
#include "vrrp/track_int.h"

#define TRACK_FILE_POLL_MS 1000
#define TRACK_SPREAD_MAX_MS 1000 /* first script runs spread over at most this */
#define TRACK_FILE_MAX_READ 64	 /* a number needs far fewer bytes */
#define TRACK_DELTA_LIMIT 100000 /* keeps sums of many weights inside int */

const char *const vrrp_track_state_names[] = {
	[VRRP_TRACK_INIT] = "init",
	[VRRP_TRACK_OK] = "ok",
	[VRRP_TRACK_FAILED] = "failed",
};

struct track_script;

/* Outlives the script when vrrp_track_close() runs while a child is alive. */
struct script_run {
	struct track_script *s; /* NULL once the tracker is closed */
	struct spawn_job *job;
};

struct track_script {
	struct vrrp_track *t;
	const struct conf_vrrp_script *conf;
	char *name, *cmd;
	uv_timer_t timer;
	bool have_timer;
	uint64_t interval_ms, timeout_ms;
	unsigned rise, fall;
	struct script_ident id;
	bool bad_identity; /* refused by script_vet(): never runs */
	bool carried;	   /* taken over from the tracker of the previous model */
	uint64_t first_ms; /* carried: when the next run is due */
	struct script_run *run;
	enum vrrp_track_state state;
	unsigned ok_run, fail_run; /* consecutive results, bounded by rise / fall */
	/* last result */
	bool have_result;
	struct spawn_result last;
	bool last_spawn_failed;
	uint64_t runs, failures, skipped, timeouts;
};

enum file_err { FILE_OK = 0, FILE_MISSING, FILE_UNREADABLE, FILE_NOT_NUMBER };

static const char *const file_err_names[] = {
	[FILE_OK] = NULL,
	[FILE_MISSING] = "missing",
	[FILE_UNREADABLE] = "unreadable",
	[FILE_NOT_NUMBER] = "not a number",
};

struct track_file {
	struct vrrp_track *t;
	const struct conf_track_file *conf;
	char *name, *path, *dir, *base;
	uv_fs_event_t ev;
	uv_timer_t poll;
	bool have_ev, have_poll;
	long long value;
	enum file_err err;
	uint64_t reads, changes;
	bool carried;
};

struct track_iface {
	char *name;
	bool up;
};

/* ---- helpers ---- */

void vrrp_track_notify_changed(struct vrrp_track *t)
{
	if (t->changed && !t->closing && !t->opening)
		t->changed(t->data);
}

static const struct conf_list *kind_list_vi(const struct conf_vrrp_instance *vi, enum track_kind k)
{
	switch (k) {
	case TK_IFACE:
		return &vi->track_interfaces;
	case TK_SCRIPT:
		return &vi->track_scripts;
	case TK_FILE:
		return &vi->track_files;
	case TK_PROC:
		return &vi->track_processes;
	}
	return NULL;
}

static const struct conf_list *kind_list_sg(const struct conf_vrrp_sync_group *sg,
					    enum track_kind k)
{
	switch (k) {
	case TK_IFACE:
		return &sg->track_interfaces;
	case TK_SCRIPT:
		return &sg->track_scripts;
	case TK_FILE:
		return &sg->track_files;
	case TK_PROC:
		return &sg->track_processes;
	}
	return NULL;
}

bool vrrp_track_is_tracked(const struct conf_model *m, enum track_kind k, const char *name)
{
	conf_list_for_each (const struct conf_vrrp_instance, vi, &m->vrrp.instances)
		if (conf_list_find(kind_list_vi(vi, k), name))
			return true;
	conf_list_for_each (const struct conf_vrrp_sync_group, sg, &m->vrrp.sync_groups)
		if (conf_list_find(kind_list_sg(sg, k), name))
			return true;
	return false;
}

/* Frees t when the last reference (an open handle, or close itself) goes. */
static void track_unref(struct vrrp_track *t)
{
	if (--t->open_handles == 0) {
		unsigned i;

		for (i = 0; i < t->n_scripts; i++) {
			free(t->scripts[i].name);
			free(t->scripts[i].cmd);
		}
		for (i = 0; i < t->n_files; i++) {
			free(t->files[i].name);
			free(t->files[i].path);
			free(t->files[i].dir);
			free(t->files[i].base);
		}
		for (i = 0; i < t->n_procs; i++)
			free(t->procs[i].name);
		for (i = 0; i < t->n_ifaces; i++)
			free(t->ifaces[i].name);
		free(t->scripts);
		free(t->files);
		free(t->procs);
		free(t->ifaces);
		free(t);
	}
}

static void handle_closed(uv_handle_t *h)
{
	track_unref(h->data);
}

static void close_handle(struct vrrp_track *t, uv_handle_t *h)
{
	h->data = t;
	uv_close(h, handle_closed);
}

static struct track_script *find_script(const struct vrrp_track *t, const char *name);
static struct track_file *find_file(const struct vrrp_track *t, const char *name);

/* Do a and b (objects of blk) read the same? Compared through the dump, so
 * every field the configuration can set counts. */
bool vrrp_track_same_conf(const struct conf_block *blk, const void *a, const void *b)
{
	struct json ja, jb;
	char *da, *db;
	bool same;

	json_init(&ja, false);
	json_init(&jb, false);
	conf_schema_dump(&ja, blk, a);
	conf_schema_dump(&jb, blk, b);
	da = json_take(&ja, NULL);
	db = json_take(&jb, NULL);
	json_free(&ja);
	json_free(&jb);
	same = da && db && !strcmp(da, db);
	free(da);
	free(db);
	return same;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* ---- vrrp_script ---- */

static void script_set_state(struct track_script *s, enum vrrp_track_state to, const char *why)
{
	if (s->state == to)
		return;
	log_info("vrrp_script %s: %s -> %s (%s)", s->name, vrrp_track_state_names[s->state],
		 vrrp_track_state_names[to], why);
	s->state = to;
	vrrp_track_notify_changed(s->t);
}

/* One result: the bounded rise/fall counters, then the state. */
static void script_result(struct track_script *s, bool ok, const char *why)
{
	s->runs++;
	if (ok) {
		s->fail_run = 0;
		if (s->ok_run < s->rise)
			s->ok_run++;
	} else {
		s->failures++;
		s->ok_run = 0;
		if (s->fail_run < s->fall)
			s->fail_run++;
	}
	if (s->state == VRRP_TRACK_INIT)
		script_set_state(s, ok ? VRRP_TRACK_OK : VRRP_TRACK_FAILED, why);
	else if (ok && s->state == VRRP_TRACK_FAILED && s->ok_run >= s->rise)
		script_set_state(s, VRRP_TRACK_OK, why);
	else if (!ok && s->state == VRRP_TRACK_OK && s->fail_run >= s->fall)
		script_set_state(s, VRRP_TRACK_FAILED, why);
}

static void script_output(const char *line, void *data)
{
	struct script_run *run = data;

	if (run->s)
		log_debug("vrrp_script %s: %s", run->s->name, line);
}

static void script_exited(const struct spawn_result *res, void *data)
{
	struct script_run *run = data;
	struct track_script *s = run->s;
	char why[64];
	bool ok;

	free(run);
	if (!s)
		return; /* the tracker was closed meanwhile */
	s->run = NULL;
	s->have_result = true;
	s->last = *res;
	s->last_spawn_failed = false;
	ok = !res->timed_out && res->term_signal == 0 && res->exit_status == 0;
	if (res->timed_out) {
		s->timeouts++;
		snprintf(why, sizeof(why), "timed out after %llu ms",
			 (unsigned long long)s->timeout_ms);
	} else if (res->term_signal) {
		snprintf(why, sizeof(why), "killed by signal %d", res->term_signal);
	} else {
		snprintf(why, sizeof(why), "exit status %lld", (long long)res->exit_status);
	}
	log_debug("vrrp_script %s: %s", s->name, why);
	script_result(s, ok, why);
}

static void script_tick(uv_timer_t *tm)
{
	struct track_script *s = tm->data;
	struct spawn_opts o = { 0 };
	struct script_run *run;
	int r;

	if (s->run) {
		/* Never two instances of one script: skip this tick. */
		s->skipped++;
		log_debug("vrrp_script %s: still running, tick skipped", s->name);
		return;
	}
	run = calloc(1, sizeof(*run));
	if (!run) {
		script_result(s, false, "out of memory");
		return;
	}
	run->s = s;
	o.id = s->id;
	o.timeout_ms = s->timeout_ms;
	o.name = s->name;
	if (log_debug_enabled()) {
		o.capture_output = true;
		o.output_fn = script_output;
	}
	s->run = run;
	r = spawn_command(s->t->loop, s->cmd, &o, script_exited, run, &run->job);
	if (r < 0) {
		char why[96];

		s->run = NULL;
		free(run);
		s->have_result = true;
		s->last_spawn_failed = true;
		memset(&s->last, 0, sizeof(s->last));
		snprintf(why, sizeof(why), "cannot start: %s", uv_strerror(r));
		log_warn("vrrp_script %s: %s", s->name, why);
		script_result(s, false, why);
	}
}

/* Identity and enable_script_security (lib/script.h), at open: a refused
 * script never runs and counts as failed. */
static void script_vet_open(struct track_script *s, const struct conf_global *g)
{
	const struct script_policy pol = { g->script_user, g->script_group,
					   g->enable_script_security };
	char label[160];

	snprintf(label, sizeof(label), "vrrp_script %s", s->name);
	if (script_vet(label, "it will not run and counts as failed", s->cmd, s->conf->user,
		       s->conf->group, &pol, &s->id) < 0)
		s->bad_identity = true;
}

/*
 * Reload: a script whose configuration (and the identity it runs as) did
 * not change keeps its state, counters, running child and schedule.
 */
static void script_take_over(struct vrrp_track *t, struct track_script *s)
{
	const struct conf_global *og, *ng = &t->m->global;
	struct track_script *o;

	if (!t->old)
		return;
	o = find_script(t->old, s->name);
	if (!o || !o->have_timer || o->bad_identity)
		return;
	og = &t->old->m->global;
	if (!vrrp_track_same_conf(&conf_block_vrrp_script, o->conf, s->conf))
		return;
	if (!s->conf->user && (!same_str(og->script_user, ng->script_user) ||
			       !same_str(og->script_group, ng->script_group)))
		return;
	s->carried = true;
	s->state = o->state;
	s->ok_run = o->ok_run;
	s->fail_run = o->fail_run;
	s->have_result = o->have_result;
	s->last = o->last;
	s->last_spawn_failed = o->last_spawn_failed;
	s->runs = o->runs;
	s->failures = o->failures;
	s->skipped = o->skipped;
	s->timeouts = o->timeouts;
	if (o->run) {
		/* The child keeps running and reports to the new object. */
		s->run = o->run;
		s->run->s = s;
		o->run = NULL;
	}
	s->first_ms = uv_timer_get_due_in(&o->timer);
	if (!s->first_ms)
		s->first_ms = 1;
}

static int scripts_open(struct vrrp_track *t, const struct conf_model *m)
{
	unsigned n = 0, i = 0;
	uint64_t spread;

	conf_list_for_each (const struct conf_vrrp_script, c, &m->vrrp.scripts)
		if (vrrp_track_is_tracked(m, TK_SCRIPT, c->hdr.name))
			n++;
	if (!n)
		return 0;
	t->scripts = calloc(n, sizeof(*t->scripts));
	if (!t->scripts)
		return -ENOMEM;
	conf_list_for_each (const struct conf_vrrp_script, c, &m->vrrp.scripts) {
		struct track_script *s;

		if (!vrrp_track_is_tracked(m, TK_SCRIPT, c->hdr.name))
			continue;
		s = &t->scripts[t->n_scripts++];
		s->t = t;
		s->conf = c;
		s->name = strdup(c->hdr.name);
		s->cmd = strdup(c->script ? c->script : "");
		if (!s->name || !s->cmd)
			return -ENOMEM;
		s->interval_ms = vrrp_track_us_to_ms_up(c->interval);
		s->timeout_ms = vrrp_track_us_to_ms_up(c->timeout == CONF_UNSET_TIMER ? c->interval
										      : c->timeout);
		s->rise = c->rise ? c->rise : 1;
		s->fall = c->fall ? c->fall : 1;
		s->state = c->init_fail ? VRRP_TRACK_FAILED : VRRP_TRACK_INIT;
		script_vet_open(s, &m->global);
		if (s->bad_identity) {
			s->state = VRRP_TRACK_FAILED;
			continue;
		}
		uv_timer_init(t->loop, &s->timer);
		s->timer.data = s;
		s->have_timer = true;
		t->open_handles++;
		script_take_over(t, s);
	}
	/* Spread the first runs evenly; each then repeats every interval. */
	for (i = 0; i < t->n_scripts; i++) {
		struct track_script *s = &t->scripts[i];

		if (!s->have_timer)
			continue;
		if (s->carried) {
			uv_timer_start(&s->timer, script_tick, s->first_ms, s->interval_ms);
			continue;
		}
		spread =
			s->interval_ms < TRACK_SPREAD_MAX_MS ? s->interval_ms : TRACK_SPREAD_MAX_MS;
		uv_timer_start(&s->timer, script_tick, spread * i / t->n_scripts, s->interval_ms);
	}
	return 0;
}

/* ---- track_file ---- */

/* The number in buf, or an error; pure. */
static enum file_err parse_file_value(const char *buf, size_t len, long long *out)
{
	char tmp[TRACK_FILE_MAX_READ + 1];
	char *p, *end;
	long long v;

	*out = 0;
	if (len > TRACK_FILE_MAX_READ)
		len = TRACK_FILE_MAX_READ;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (strlen(tmp) != len)
		return FILE_NOT_NUMBER; /* a NUL inside */
	p = tmp;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return FILE_NOT_NUMBER;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (end == p || errno == ERANGE)
		return FILE_NOT_NUMBER;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return FILE_NOT_NUMBER;
	*out = v;
	return FILE_OK;
}

/* Reads the value; calls changed when it differs, unless this is the first read. */
static void file_read(struct track_file *f, bool notify)
{
	char buf[TRACK_FILE_MAX_READ + 1];
	enum file_err err = FILE_OK;
	long long v = 0;
	ssize_t n = 0;
	int fd;

	f->reads++;
	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		err = errno == ENOENT || errno == ENOTDIR ? FILE_MISSING : FILE_UNREADABLE;
	} else {
		do
			n = read(fd, buf, sizeof(buf));
		while (n < 0 && errno == EINTR);
		close(fd);
		if (n < 0)
			err = FILE_UNREADABLE;
		else if (n > TRACK_FILE_MAX_READ)
			err = FILE_NOT_NUMBER; /* longer than any number */
		else
			err = parse_file_value(buf, (size_t)n, &v);
	}
	if (err != f->err) {
		if (err)
			log_warn("track_file %s: %s is %s; its value counts as 0", f->name, f->path,
				 file_err_names[err]);
		else
			log_info("track_file %s: %s is readable again", f->name, f->path);
		f->err = err;
	}
	if (!notify) {
		log_info("track_file %s: value %lld", f->name, v);
		f->value = v;
	} else if (v != f->value) {
		log_info("track_file %s: value %lld -> %lld", f->name, f->value, v);
		f->value = v;
		f->changes++;
		vrrp_track_notify_changed(f->t);
	}
}

static void file_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct track_file *f = h->data;

	(void)events;
	if (status < 0) {
		log_warn("track_file %s: watch error: %s", f->name, uv_strerror(status));
		return;
	}
	if (filename && strcmp(filename, f->base))
		return;
	file_read(f, true);
}

static void file_poll(uv_timer_t *tm)
{
	file_read(tm->data, true);
}

static void file_init_value(struct track_file *f)
{
	const struct conf_track_file *c = f->conf;
	char buf[32];
	int fd, len;

	if (!c->init_file)
		return;
	if (!c->init_overwrite && access(f->path, F_OK) == 0)
		return;
	fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		log_error("track_file %s: cannot create %s: %s", f->name, f->path, strerror(errno));
		return;
	}
	len = snprintf(buf, sizeof(buf), "%lld\n", c->init_value);
	if (write(fd, buf, (size_t)len) != len)
		log_error("track_file %s: cannot write %s: %s", f->name, f->path, strerror(errno));
	close(fd);
}

static int file_split_path(struct track_file *f)
{
	const char *slash = strrchr(f->path, '/');

	if (!slash) {
		f->dir = strdup(".");
		f->base = strdup(f->path);
	} else {
		f->dir = slash == f->path ? strdup("/")
					  : strndup(f->path, (size_t)(slash - f->path));
		f->base = strdup(slash + 1);
	}
	return f->dir && f->base ? 0 : -ENOMEM;
}

static int files_open(struct vrrp_track *t, const struct conf_model *m)
{
	unsigned n = 0;

	conf_list_for_each (const struct conf_track_file, c, &m->vrrp.track_files)
		if (vrrp_track_is_tracked(m, TK_FILE, c->hdr.name))
			n++;
	if (!n)
		return 0;
	t->files = calloc(n, sizeof(*t->files));
	if (!t->files)
		return -ENOMEM;
	conf_list_for_each (const struct conf_track_file, c, &m->vrrp.track_files) {
		struct track_file *f;
		int r;

		if (!vrrp_track_is_tracked(m, TK_FILE, c->hdr.name))
			continue;
		f = &t->files[t->n_files++];
		f->t = t;
		f->conf = c;
		f->name = strdup(c->hdr.name);
		f->path = strdup(c->file ? c->file : "");
		if (!f->name || !f->path || file_split_path(f))
			return -ENOMEM;
		if (t->old) {
			const struct track_file *o = find_file(t->old, f->name);

			if (o && vrrp_track_same_conf(&conf_block_track_file, o->conf, c)) {
				f->carried = true;
				f->value = o->value;
				f->err = o->err;
				f->reads = o->reads;
				f->changes = o->changes;
			}
		}
		if (!f->carried)
			file_init_value(f);
		uv_fs_event_init(t->loop, &f->ev);
		f->ev.data = f;
		f->have_ev = true;
		t->open_handles++;
		r = uv_fs_event_start(&f->ev, file_event, f->dir, 0);
		if (r < 0) {
			log_warn("track_file %s: cannot watch %s (%s); polling every %d ms",
				 f->name, f->dir, uv_strerror(r), TRACK_FILE_POLL_MS);
			uv_timer_init(t->loop, &f->poll);
			f->poll.data = f;
			f->have_poll = true;
			t->open_handles++;
			uv_timer_start(&f->poll, file_poll, TRACK_FILE_POLL_MS, TRACK_FILE_POLL_MS);
		}
		/* The first value is known before open returns; no change call. A
		 * carried file is read as a running one (changes are counted). */
		file_read(f, f->carried);
	}
	return 0;
}

/* ---- interfaces ---- */

static bool nl_iface_up(const struct vrrp_track *t, const char *name)
{
	const struct vrrp_iface *ifp = t->nl ? vrrp_nl_iface_by_name(t->nl, name) : NULL;

	return ifp && ifp->admin_up && ifp->oper_up;
}

static void iface_event(const struct vrrp_nl_msg *msg, void *data)
{
	struct vrrp_track *t = data;
	bool any = false;
	unsigned i;

	if (msg->ev != VRRP_NL_LINK && msg->ev != VRRP_NL_LINK_GONE && msg->ev != VRRP_NL_RESYNC)
		return;
	for (i = 0; i < t->n_ifaces; i++) {
		struct track_iface *ti = &t->ifaces[i];
		bool up;

		/* A deleted interface may still be in the table during the call. */
		if (msg->ev == VRRP_NL_LINK_GONE && msg->iface &&
		    !strcmp(msg->iface->name, ti->name))
			up = false;
		else
			up = nl_iface_up(t, ti->name);
		if (up == ti->up)
			continue;
		log_info("track_interface %s: %s", ti->name, up ? "up" : "down");
		ti->up = up;
		any = true;
	}
	if (any)
		vrrp_track_notify_changed(t);
}

static int iface_add(struct vrrp_track *t, const char *name, unsigned *cap)
{
	unsigned i;

	for (i = 0; i < t->n_ifaces; i++)
		if (!strcmp(t->ifaces[i].name, name))
			return 0;
	if (t->n_ifaces == *cap) {
		unsigned ncap = *cap ? *cap * 2 : 8;
		struct track_iface *n = realloc(t->ifaces, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->ifaces = n;
		*cap = ncap;
	}
	t->ifaces[t->n_ifaces].name = strdup(name);
	if (!t->ifaces[t->n_ifaces].name)
		return -ENOMEM;
	t->ifaces[t->n_ifaces].up = nl_iface_up(t, name);
	t->n_ifaces++;
	return 0;
}

static int ifaces_open(struct vrrp_track *t, const struct conf_model *m)
{
	unsigned cap = 0;

	conf_list_for_each (const struct conf_vrrp_instance, vi, &m->vrrp.instances)
		conf_list_for_each (const struct conf_track, e, &vi->track_interfaces)
			if (iface_add(t, e->hdr.name, &cap))
				return -ENOMEM;
	conf_list_for_each (const struct conf_vrrp_sync_group, sg, &m->vrrp.sync_groups)
		conf_list_for_each (const struct conf_track, e, &sg->track_interfaces)
			if (iface_add(t, e->hdr.name, &cap))
				return -ENOMEM;
	if (t->n_ifaces && t->nl) {
		t->nl_handle = vrrp_nl_subscribe(t->nl, iface_event, t);
		if (t->nl_handle < 0) {
			log_error("%s: cannot follow interface changes: %s", __func__,
				  strerror(-t->nl_handle));
			return t->nl_handle;
		}
	}
	return 0;
}

/* ---- open / close ---- */

int vrrp_track_reopen(uv_loop_t *loop, const struct conf_model *m, struct vrrp_nl *nl,
		      vrrp_track_changed_fn changed, void *data, struct vrrp_track *old,
		      struct vrrp_track **out)
{
	struct vrrp_track *t;
	int r;

	*out = NULL;
	if (!loop || !m) {
		vrrp_track_close(old);
		return -EINVAL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		vrrp_track_close(old);
		return -ENOMEM;
	}
	t->loop = loop;
	t->nl = nl;
	t->nl_handle = -1;
	t->changed = changed;
	t->data = data;
	t->m = m;
	t->old = old;
	t->opening = true;
	r = scripts_open(t, m);
	if (!r)
		r = files_open(t, m);
	if (!r)
		r = vrrp_track_procs_open(t, m);
	if (!r)
		r = ifaces_open(t, m);
	t->opening = false;
	t->old = NULL;
	/* What was not taken over stops now (its running children are killed). */
	vrrp_track_close(old);
	if (r) {
		log_error("%s: %s", __func__, strerror(-r));
		vrrp_track_close(t);
		return r;
	}
	*out = t;
	return 0;
}

int vrrp_track_open(uv_loop_t *loop, const struct conf_model *m, struct vrrp_nl *nl,
		    vrrp_track_changed_fn changed, void *data, struct vrrp_track **out)
{
	return vrrp_track_reopen(loop, m, nl, changed, data, NULL, out);
}

void vrrp_track_close(struct vrrp_track *t)
{
	unsigned i;

	if (!t)
		return;
	t->closing = true;
	if (t->nl && t->nl_handle >= 0)
		vrrp_nl_unsubscribe(t->nl, t->nl_handle);
	/* One extra count so nothing frees t before every close is queued. */
	t->open_handles++;
	for (i = 0; i < t->n_scripts; i++) {
		struct track_script *s = &t->scripts[i];

		if (s->run) {
			spawn_kill(s->run->job, SIGKILL);
			s->run->s = NULL;
			s->run = NULL;
		}
		if (s->have_timer)
			close_handle(t, (uv_handle_t *)&s->timer);
	}
	for (i = 0; i < t->n_files; i++) {
		if (t->files[i].have_ev)
			close_handle(t, (uv_handle_t *)&t->files[i].ev);
		if (t->files[i].have_poll)
			close_handle(t, (uv_handle_t *)&t->files[i].poll);
	}
	for (i = 0; i < t->n_procs; i++)
		if (t->procs[i].have_delay)
			close_handle(t, (uv_handle_t *)&t->procs[i].delay);
	if (t->have_scan)
		close_handle(t, (uv_handle_t *)&t->scan);
	track_unref(t); /* frees t now if no handle was open */
}

/* ---- evaluation ---- */

static struct track_script *find_script(const struct vrrp_track *t, const char *name)
{
	unsigned i;

	for (i = 0; t && i < t->n_scripts; i++)
		if (!strcmp(t->scripts[i].name, name))
			return &t->scripts[i];
	return NULL;
}

static struct track_file *find_file(const struct vrrp_track *t, const char *name)
{
	unsigned i;

	for (i = 0; t && i < t->n_files; i++)
		if (!strcmp(t->files[i].name, name))
			return &t->files[i];
	return NULL;
}

struct track_proc *vrrp_track_find_proc(const struct vrrp_track *t, const char *name)
{
	unsigned i;

	for (i = 0; t && i < t->n_procs; i++)
		if (!strcmp(t->procs[i].name, name))
			return &t->procs[i];
	return NULL;
}

static const struct track_iface *find_iface(const struct vrrp_track *t, const char *name)
{
	unsigned i;

	for (i = 0; t && i < t->n_ifaces; i++)
		if (!strcmp(t->ifaces[i].name, name))
			return &t->ifaces[i];
	return NULL;
}

struct eval {
	long long delta;
	bool fault;
	char *why;
	size_t whylen;
};

static void eval_fault(struct eval *ev, const char *kind, const char *name, const char *what)
{
	if (!ev->fault && ev->why && ev->whylen)
		snprintf(ev->why, ev->whylen, "%s %s %s", kind, name, what);
	ev->fault = true;
}

/* The adjustment of an OK / failing object with a non-zero weight. */
static long long weighted(int weight, bool reverse, bool ok)
{
	long long w = weight;

	if (weight > 0)
		return ok ? (reverse ? -w : w) : 0;
	return ok ? 0 : (reverse ? -w : w);
}

/* Weight 0, or weight != 0: the common rule for interfaces, scripts, processes. */
static void eval_bool(struct eval *ev, const char *kind, const char *name, int weight, bool reverse,
		      bool ok, const char *down_word)
{
	if (weight == 0) {
		if (ok == reverse)
			eval_fault(ev, kind, name, ok ? "is up (reverse)" : down_word);
		return;
	}
	ev->delta += weighted(weight, reverse, ok);
}

static bool entry_reverse(const struct conf_track *e, bool obj_reverse)
{
	return e->has_weight ? e->reverse : (e->reverse || obj_reverse);
}

void vrrp_track_eval(const struct vrrp_track *t, const struct conf_list *ifaces,
		     const struct conf_list *scripts, const struct conf_list *files,
		     const struct conf_list *processes, int *delta, bool *fault, char *why,
		     size_t whylen)
{
	struct eval ev = { .why = why, .whylen = whylen };

	if (why && whylen)
		why[0] = '\0';
	if (ifaces) {
		conf_list_for_each (const struct conf_track, e, ifaces) {
			const struct track_iface *ti = find_iface(t, e->hdr.name);
			bool up = ti ? ti->up : (t && nl_iface_up(t, e->hdr.name));

			eval_bool(&ev, "interface", e->hdr.name, e->weight, e->reverse, up,
				  "is down");
		}
	}
	if (scripts) {
		conf_list_for_each (const struct conf_track, e, scripts) {
			const struct track_script *s = find_script(t, e->hdr.name);
			bool rev;

			if (!s) {
				eval_fault(&ev, "track_script", e->hdr.name, "is not running");
				continue;
			}
			rev = entry_reverse(e, s->conf->reverse);
			/* Not reported yet (INIT) counts as OK, as in keepalived:
			 * an instance must not blip into FAULT at start-up. init_fail
			 * scripts start FAILED instead. */
			eval_bool(&ev, "track_script", e->hdr.name, e->weight, rev,
				  s->state != VRRP_TRACK_FAILED, "failed");
		}
	}
	if (files) {
		conf_list_for_each (const struct conf_track, e, files) {
			const struct track_file *f = find_file(t, e->hdr.name);
			long long v, r;
			char what[96];
			bool rev;

			if (!f) {
				eval_fault(&ev, "track_file", e->hdr.name, "is not watched");
				continue;
			}
			rev = entry_reverse(e, f->conf->reverse);
			v = f->value;
			if (e->weight == 0) {
				if (rev ? v == 0 : v != 0) {
					snprintf(what, sizeof(what), "has value %lld%s", v,
						 rev ? " (reverse)" : "");
					eval_fault(&ev, "track_file", e->hdr.name, what);
				}
				continue;
			}
			if (__builtin_mul_overflow(v, (long long)e->weight, &r))
				r = (v < 0) != (e->weight < 0) ? LLONG_MIN : LLONG_MAX;
			if (rev)
				r = r == LLONG_MIN ? LLONG_MAX : -r;
			if (r < -253) {
				snprintf(what, sizeof(what), "value %lld * weight %d is below -253",
					 v, rev ? -e->weight : e->weight);
				eval_fault(&ev, "track_file", e->hdr.name, what);
				continue;
			}
			ev.delta += r > 254 ? 254 : r;
		}
	}
	if (processes) {
		conf_list_for_each (const struct conf_track, e, processes) {
			const struct track_proc *p = vrrp_track_find_proc(t, e->hdr.name);

			if (!p) {
				eval_fault(&ev, "track_process", e->hdr.name, "is not watched");
				continue;
			}
			eval_bool(&ev, "track_process", e->hdr.name, e->weight,
				  entry_reverse(e, p->conf->reverse), p->state == VRRP_TRACK_OK,
				  "is not running (quorum lost)");
		}
	}
	if (ev.delta > TRACK_DELTA_LIMIT)
		ev.delta = TRACK_DELTA_LIMIT;
	if (ev.delta < -TRACK_DELTA_LIMIT)
		ev.delta = -TRACK_DELTA_LIMIT;
	if (delta)
		*delta = (int)ev.delta;
	if (fault)
		*fault = ev.fault;
}

/* ---- status ---- */

void vrrp_track_status_json(const struct vrrp_track *t, struct json *j)
{
	unsigned i;

	json_obj_begin(j);
	json_key(j, "scripts");
	json_arr_begin(j);
	for (i = 0; t && i < t->n_scripts; i++) {
		const struct track_script *s = &t->scripts[i];

		json_obj_begin(j);
		json_kstr(j, "name", s->name);
		json_kstr(j, "state", vrrp_track_state_names[s->state]);
		json_kbool(j, "running", s->run != NULL);
		if (s->bad_identity)
			json_kstr(j, "error",
				  "refused at load: identity, program or "
				  "enable_script_security (see the log)");
		if (s->have_result && s->last_spawn_failed) {
			json_kstr(j, "last", "cannot start");
		} else if (s->have_result) {
			if (s->last.term_signal)
				json_kint(j, "last_signal", s->last.term_signal);
			else
				json_kint(j, "last_exit", s->last.exit_status);
			json_kbool(j, "last_timed_out", s->last.timed_out);
		}
		json_kuint(j, "runs", s->runs);
		json_kuint(j, "failures", s->failures);
		json_kuint(j, "timeouts", s->timeouts);
		json_kuint(j, "skipped_overlaps", s->skipped);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "files");
	json_arr_begin(j);
	for (i = 0; t && i < t->n_files; i++) {
		const struct track_file *f = &t->files[i];

		json_obj_begin(j);
		json_kstr(j, "name", f->name);
		json_kstr(j, "file", f->path);
		json_kint(j, "value", f->value);
		json_kstr(j, "error", file_err_names[f->err]);
		json_kuint(j, "reads", f->reads);
		json_kuint(j, "changes", f->changes);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "processes");
	json_arr_begin(j);
	for (i = 0; t && i < t->n_procs; i++) {
		const struct track_proc *p = &t->procs[i];

		json_obj_begin(j);
		json_kstr(j, "name", p->name);
		json_kstr(j, "state", vrrp_track_state_names[p->state]);
		json_kuint(j, "count", p->count);
		json_kbool(j, "change_pending", p->pending);
		json_kuint(j, "changes", p->changes);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "interfaces");
	json_arr_begin(j);
	for (i = 0; t && i < t->n_ifaces; i++) {
		json_obj_begin(j);
		json_kstr(j, "name", t->ifaces[i].name);
		json_kstr(j, "state", t->ifaces[i].up ? "up" : "down");
		json_obj_end(j);
	}
	json_arr_end(j);
	if (t)
		json_kuint(j, "process_scans", t->scans);
	json_obj_end(j);
}

/* ---- test hooks (vrrp/track_test.h) ---- */

int vrrp_track_test_set_script(struct vrrp_track *t, const char *name, enum vrrp_track_state s)
{
	struct track_script *sc = find_script(t, name);

	if (!sc)
		return -ENOENT;
	sc->state = s;
	return 0;
}

int vrrp_track_test_set_file(struct vrrp_track *t, const char *name, long long value)
{
	struct track_file *f = find_file(t, name);

	if (!f)
		return -ENOENT;
	f->value = value;
	return 0;
}

int vrrp_track_test_set_process(struct vrrp_track *t, const char *name, bool ok)
{
	struct track_proc *p = vrrp_track_find_proc(t, name);

	if (!p)
		return -ENOENT;
	p->state = ok ? VRRP_TRACK_OK : VRRP_TRACK_FAILED;
	return 0;
}

int vrrp_track_test_script_state(const struct vrrp_track *t, const char *name)
{
	const struct track_script *s = find_script(t, name);

	return s ? (int)s->state : -1;
}

uint64_t vrrp_track_test_script_runs(const struct vrrp_track *t, const char *name)
{
	const struct track_script *s = find_script(t, name);

	return s ? s->runs : 0;
}

long long vrrp_track_test_file_value(const struct vrrp_track *t, const char *name)
{
	const struct track_file *f = find_file(t, name);

	return f ? f->value : -1;
}

int vrrp_track_test_process_count(const struct vrrp_track *t, const char *name)
{
	const struct track_proc *p = vrrp_track_find_proc(t, name);

	return p ? (int)p->count : -1;
}

int vrrp_track_test_process_state(const struct vrrp_track *t, const char *name)
{
	const struct track_proc *p = vrrp_track_find_proc(t, name);

	return p ? (int)p->state : -1;
}
