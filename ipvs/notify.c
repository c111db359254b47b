/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Real-server and virtual-server notifications (notify.h). */
#include "config.h"

#include "ipvs/notify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "ipvs/health.h"
#include "lib/fifo.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/script.h"
#include "lib/spawn.h"

struct ipvs_notify {
	uv_loop_t *loop;
	char *script_user, *script_group;
	bool security;
	struct script_table admitted; /* the model's scripts that may run */
	/* lvs_notify_fifo, notify_fifo and their scripts, as configured (for
	 * ipvs_notify_same) */
	char *fifo_cfg[3], *fscript_cfg[3], *nfifo_cfg[3], *nfscript_cfg[3];
	struct fifo_writer *fifo;  /* lvs_notify_fifo, NULL: none usable */
	struct fifo_writer *nfifo; /* notify_fifo (shared with VRRP's), NULL: none */
	bool closing;
	unsigned refs; /* running scripts + 1 until closed */
	uint64_t scripts_run, scripts_failed;
};

/* A running notify script: counts its failure when it ends. */
struct notify_run {
	struct ipvs_notify *n; /* holds a reference */
	char label[64];
};

/* n outlives its close while scripts it started still run. */
static void notify_unref(struct ipvs_notify *n)
{
	if (--n->refs || !n->closing)
		return;
	free(n);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static struct script_policy policy(const struct ipvs_notify *n)
{
	return (struct script_policy){ n->script_user, n->script_group, n->security };
}

static void script_exited(const struct spawn_result *res, void *data)
{
	struct notify_run *r = data;

	if (res->timed_out || res->term_signal || res->exit_status) {
		r->n->scripts_failed++;
		log_warn("%s: script %s %lld", r->label,
			 res->timed_out	    ? "timed out, killed; status"
			 : res->term_signal ? "killed by signal"
					    : "exited with",
			 res->term_signal ? (long long)res->term_signal
					  : (long long)res->exit_status);
	}
	notify_unref(r->n);
	free(r);
}

static void run_script(struct ipvs_notify *n, const struct conf_lvs_script *sc, const char *label)
{
	struct spawn_opts o = { 0 };
	const struct script_ident *id;
	struct notify_run *r;
	int rc;

	if (!sc->cmd || !sc->cmd[0])
		return;
	id = script_table_find(&n->admitted, sc);
	if (!id) {
		log_debug("%s: not run: refused at load", label);
		return;
	}
	o.id = *id;
	o.timeout_ms = SCRIPT_NOTIFY_TIMEOUT_MS;
	r = calloc(1, sizeof(*r));
	if (!r) {
		n->scripts_failed++;
		return;
	}
	r->n = n;
	snprintf(r->label, sizeof(r->label), "%s", label);
	o.capture_output = true;
	o.name = r->label;
	rc = spawn_command(n->loop, sc->cmd, &o, script_exited, r, NULL);
	if (rc < 0) {
		n->scripts_failed++;
		log_error("%s: cannot run '%s': %s", label, sc->cmd, strerror(-rc));
		free(r);
		return;
	}
	n->scripts_run++;
	n->refs++;
}

static struct fifo_writer *fifo_open(struct ipvs_notify *n, const char *what,
				     const struct conf_script *fifo, const struct conf_script *sc)
{
	struct fifo_writer_opts o = { .what = what, .path = fifo->cmd };
	struct fifo_writer *f = NULL;
	char why[128], label[64];

	if (!o.path || !o.path[0])
		return NULL;
	if (fifo->user &&
	    script_ident_lookup(fifo->user, fifo->group, 0, &o.owner, why, sizeof(why)) < 0)
		log_warn("%s %s: %s; the FIFO keeps its owner", what, o.path, why);
	if (sc->cmd) {
		struct script_policy pol = policy(n);

		snprintf(label, sizeof(label), "%s_script", what);
		if (script_vet(label, "it will not run", sc->cmd, sc->user, sc->group, &pol,
			       &o.script_id) == 0)
			o.script = sc->cmd;
	}
	if (fifo_writer_open(n->loop, &o, &f) < 0)
		return NULL;
	return f;
}

static void cfg_keep(char *cfg[3], const struct conf_script *sc)
{
	cfg[0] = dup_or_null(sc->cmd);
	cfg[1] = dup_or_null(sc->user);
	cfg[2] = dup_or_null(sc->group);
}

static bool cfg_same(char *const cfg[3], const struct conf_script *sc)
{
	return str_eq(cfg[0], sc->cmd) && str_eq(cfg[1], sc->user) && str_eq(cfg[2], sc->group);
}

int ipvs_notify_open(uv_loop_t *loop, const struct conf_global *g, struct ipvs_notify **out)
{
	struct ipvs_notify *n = calloc(1, sizeof(*n));

	*out = NULL;
	if (!n)
		return -ENOMEM;
	n->loop = loop;
	n->refs = 1;
	n->script_user = dup_or_null(g->script_user);
	n->script_group = dup_or_null(g->script_group);
	n->security = g->enable_script_security;
	cfg_keep(n->fifo_cfg, &g->lvs_notify_fifo);
	cfg_keep(n->fscript_cfg, &g->lvs_notify_fifo_script);
	cfg_keep(n->nfifo_cfg, &g->notify_fifo);
	cfg_keep(n->nfscript_cfg, &g->notify_fifo_script);
	n->fifo = fifo_open(n, "lvs_notify_fifo", &g->lvs_notify_fifo, &g->lvs_notify_fifo_script);
	if (g->notify_fifo.cmd && g->lvs_notify_fifo.cmd &&
	    !strcmp(g->notify_fifo.cmd, g->lvs_notify_fifo.cmd))
		log_warn("notify_fifo %s is also lvs_notify_fifo; its lines are written once",
			 g->notify_fifo.cmd);
	else
		n->nfifo = fifo_open(n, "notify_fifo", &g->notify_fifo, &g->notify_fifo_script);
	*out = n;
	return 0;
}

bool ipvs_notify_same(const struct ipvs_notify *n, const struct conf_global *g)
{
	return n && n->security == g->enable_script_security &&
	       str_eq(n->script_user, g->script_user) &&
	       str_eq(n->script_group, g->script_group) &&
	       cfg_same(n->fifo_cfg, &g->lvs_notify_fifo) &&
	       cfg_same(n->fscript_cfg, &g->lvs_notify_fifo_script) &&
	       cfg_same(n->nfifo_cfg, &g->notify_fifo) &&
	       cfg_same(n->nfscript_cfg, &g->notify_fifo_script);
}

static int admit(struct ipvs_notify *n, const char *vs, const char *rs, const char *what,
		 const struct conf_lvs_script *sc)
{
	struct script_policy pol = policy(n);
	char label[192];

	if (rs)
		snprintf(label, sizeof(label), "virtual_server %s real_server %s %s", vs, rs, what);
	else
		snprintf(label, sizeof(label), "virtual_server %s %s", vs, what);
	return script_table_vet(&n->admitted, sc, label, "it will not run", sc->cmd, sc->user,
				sc->group, &pol) == -ENOMEM
		       ? -ENOMEM
		       : 0;
}

int ipvs_notify_admit_model(struct ipvs_notify *n, const struct conf_model *m)
{
	if (!n)
		return 0;
	script_table_free(&n->admitted);
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		const char *v = vs->hdr.name ? vs->hdr.name : "";

		if (admit(n, v, NULL, "quorum_up", &vs->quorum_up) ||
		    admit(n, v, NULL, "quorum_down", &vs->quorum_down))
			return -ENOMEM;
		conf_list_for_each (const struct conf_rs, rs, &vs->real_servers) {
			const char *r = rs->hdr.name ? rs->hdr.name : "";

			if (admit(n, v, r, "notify_up", &rs->notify_up) ||
			    admit(n, v, r, "notify_down", &rs->notify_down))
				return -ENOMEM;
		}
	}
	return 0;
}

void ipvs_notify_close(struct ipvs_notify *n)
{
	if (!n)
		return;
	n->closing = true;
	fifo_writer_close(n->fifo);
	fifo_writer_close(n->nfifo);
	n->fifo = n->nfifo = NULL;
	for (unsigned i = 0; i < 3; i++) {
		free(n->fifo_cfg[i]);
		free(n->fscript_cfg[i]);
		free(n->nfifo_cfg[i]);
		free(n->nfscript_cfg[i]);
		n->fifo_cfg[i] = n->fscript_cfg[i] = n->nfifo_cfg[i] = n->nfscript_cfg[i] = NULL;
	}
	free(n->script_user);
	free(n->script_group);
	n->script_user = n->script_group = NULL;
	script_table_free(&n->admitted);
	notify_unref(n); /* freed now, or when the last script ends */
}

void ipvs_notify_on_event(const struct event *ev, void *data)
{
	struct ipvs_notify *n = data;
	const struct event_lvs *e = &ev->lvs;
	char line[320], label[64];
	size_t len;

	if (!n || n->closing)
		return;
	switch (ev->kind) {
	case EVENT_RS_UP:
	case EVENT_RS_DOWN:
		if (!e->rs)
			return;
		snprintf(label, sizeof(label), "%s %s",
			 ev->kind == EVENT_RS_UP ? "notify_up" : "notify_down",
			 e->rs->hdr.name ? e->rs->hdr.name : "");
		run_script(n, ev->kind == EVENT_RS_UP ? &e->rs->notify_up : &e->rs->notify_down,
			   label);
		break;
	case EVENT_QUORUM_UP:
	case EVENT_QUORUM_DOWN:
		snprintf(label, sizeof(label), "%s %s",
			 ev->kind == EVENT_QUORUM_UP ? "quorum_up" : "quorum_down",
			 e->vs->hdr.name ? e->vs->hdr.name : "");
		run_script(n, ev->kind == EVENT_QUORUM_UP ? &e->vs->quorum_up : &e->vs->quorum_down,
			   label);
		break;
	default:
		return;
	}
	/* keepalived writes the same line to notify_fifo and lvs_notify_fifo. */
	len = ipvs_fifo_line(ev->kind, e->vs_name, e->rs_name, line, sizeof(line));
	if (len) {
		fifo_writer_line(n->fifo, line, len);
		if (n->nfifo != n->fifo)
			fifo_writer_line(n->nfifo, line, len);
	}
}

void ipvs_notify_status_json(const struct ipvs_notify *n, struct json *j)
{
	struct fifo_writer_stats st;

	fifo_writer_stats(n ? n->fifo : NULL, &st);
	json_obj_begin(j);
	json_kuint(j, "scripts_run", n ? n->scripts_run : 0);
	json_kuint(j, "scripts_failed", n ? n->scripts_failed : 0);
	json_kstr(j, "fifo", n ? fifo_writer_path(n->fifo) : NULL);
	json_kuint(j, "fifo_lines", st.lines);
	json_kuint(j, "fifo_dropped", st.dropped);
	json_obj_end(j);
}
