/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/reload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/event.h"
#include "lib/json.h"
#include "conf/schema.h"
#include "lib/log.h"
#include "daemon/sdnotify.h"

int reload_init(struct reload_state *rs, const char *path, const char *config_id)
{
	memset(rs, 0, sizeof(*rs));
	rs->path = strdup(path);
	rs->config_id = config_id ? strdup(config_id) : NULL;
	if (!rs->path || (config_id && !rs->config_id)) {
		free(rs->path);
		free(rs->config_id);
		return -ENOMEM;
	}
	return 0;
}

static void clear_last_errors(struct reload_state *rs)
{
	unsigned i;

	for (i = 0; i < rs->n_last_errors; i++)
		free(rs->last_errors[i]);
	free(rs->last_errors);
	rs->last_errors = NULL;
	rs->n_last_errors = 0;
}

void reload_adopt(struct reload_state *rs, struct conf_load *l)
{
	if (rs->cur.model || rs->cur.arena)
		conf_load_free(&rs->cur);
	rs->cur = *l;
	memset(l, 0, sizeof(*l));
	rs->generation++;
	rs->loaded_at = time(NULL);
}

char *reload_format_msg(const struct conf_msg *m)
{
	char *s = NULL;

	if (asprintf(&s, "%s:%u: %s: %s", m->loc.file ? m->loc.file : "?", m->loc.line,
		     m->is_error ? "error" : "warning", m->text ? m->text : "") < 0)
		return NULL;
	return s;
}

static void keep_errors(struct reload_state *rs, const struct conf_load *l)
{
	const struct conf_msg *m;
	unsigned n = 0;

	clear_last_errors(rs);
	for (m = l->msgs; m; m = m->next)
		if (m->is_error)
			n++;
	if (n == 0)
		n = 1; /* a load can fail without a message only through a bug; say so */
	rs->last_errors = calloc(n, sizeof(*rs->last_errors));
	if (!rs->last_errors)
		return;
	for (m = l->msgs; m && rs->n_last_errors < n; m = m->next) {
		char *s;

		if (!m->is_error)
			continue;
		s = reload_format_msg(m);
		if (s)
			rs->last_errors[rs->n_last_errors++] = s;
	}
	if (rs->n_last_errors == 0) {
		char *s = NULL;

		if (asprintf(&s, "%s: configuration rejected without a message", rs->path) >= 0)
			rs->last_errors[rs->n_last_errors++] = s;
	}
}

static void publish(const struct reload_state *rs, bool ok, unsigned errors, const char *why)
{
	struct event ev = { .kind = EVENT_RELOAD };

	ev.reload = (struct event_reload){
		.ok = ok, .generation = rs->generation, .errors = errors, .why = why
	};
	event_publish(rs->bus, &ev);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* keepalived 2.2.7 (reload_config) keeps its running configuration when a
 * reload changes these: they name the namespaces the process works in and
 * its run files, which only a restart changes. */
static const char *unchangeable(const struct conf_global *a, const struct conf_global *b)
{
	if (!same_str(a->net_namespace, b->net_namespace))
		return "net_namespace";
	if (!same_str(a->net_namespace_ipvs, b->net_namespace_ipvs))
		return "net_namespace_ipvs";
	if (!same_str(a->instance, b->instance))
		return "instance";
	return NULL;
}

int reload_run(struct reload_state *rs, const char *why)
{
	const char *fixed;
	struct conf_options opt = { .config_id = rs->config_id, .flags = 0 };
	struct conf_load l;
	const struct conf_msg *m;
	char summary[256];
	int r;

	sdnotify_reloading();
	log_info("reloading configuration from %s", rs->path);
	memset(&l, 0, sizeof(l));
	r = conf_load_file(rs->path, &opt, &l);
	rs->have_last = true;
	rs->last_at = time(NULL);
	for (m = l.msgs; m; m = m->next) {
		char *s = reload_format_msg(m);

		if (!s)
			continue;
		if (m->is_error)
			log_error("%s", s);
		else
			log_warn("%s", s);
		free(s);
	}
	if (r != 0 || !l.model) {
		keep_errors(rs, &l);
		rs->last_ok = false;
		rs->n_failed++;
		log_error("reload rejected: %u error(s) in %s; keeping generation %llu", l.n_errors,
			  rs->path, (unsigned long long)rs->generation);
		publish(rs, false, l.n_errors, why);
		conf_load_free(&l);
		sdnotify_ready(NULL);
		sdnotify_status("reload rejected (%u errors); running generation %llu",
				rs->n_last_errors, (unsigned long long)rs->generation);
		return -1;
	}
	fixed = rs->cur.model ? unchangeable(&rs->cur.model->global, &l.model->global) : NULL;
	if (fixed) {
		clear_last_errors(rs);
		rs->last_ok = false;
		rs->n_failed++;
		log_error("reload rejected: %s cannot change at a reload, restart vigild; keeping "
			  "generation %llu",
			  fixed, (unsigned long long)rs->generation);
		publish(rs, false, 0, why);
		conf_load_free(&l);
		sdnotify_ready(NULL);
		sdnotify_status("reload rejected (%s changed); running generation %llu", fixed,
				(unsigned long long)rs->generation);
		return -1;
	}
	clear_last_errors(rs);
	rs->last_ok = true;
	rs->n_ok++;
	if (rs->on_swap)
		rs->on_swap(rs->cur.model, l.model, rs->on_swap_data);
	reload_adopt(rs, &l);
	conf_summary(rs->cur.model, summary, sizeof(summary));
	log_info("configuration generation %llu loaded: %s", (unsigned long long)rs->generation,
		 summary);
	publish(rs, true, 0, why);
	sdnotify_ready(NULL);
	sdnotify_status("running generation %llu: %s", (unsigned long long)rs->generation, summary);
	return 0;
}

void reload_free(struct reload_state *rs)
{
	if (rs->cur.model || rs->cur.arena)
		conf_load_free(&rs->cur);
	clear_last_errors(rs);
	free(rs->path);
	free(rs->config_id);
	memset(rs, 0, sizeof(*rs));
}

void reload_format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

void reload_config_json(const struct reload_state *rs, struct json *j)
{
	char ts[40];
	char summary[256];

	json_obj_begin(j);
	json_kstr(j, "file", rs->path);
	json_kuint(j, "generation", rs->generation);
	reload_format_time(rs->loaded_at, ts, sizeof(ts));
	json_kstr(j, "loaded_at", ts);
	summary[0] = '\0';
	if (rs->cur.model)
		conf_summary(rs->cur.model, summary, sizeof(summary));
	json_kstr(j, "summary", summary);
	json_obj_end(j);
}

void reload_history_json(const struct reload_state *rs, struct json *j)
{
	char ts[40];
	unsigned i;

	json_obj_begin(j);
	json_kuint(j, "ok", rs->n_ok);
	json_kuint(j, "failed", rs->n_failed);
	json_key(j, "last");
	if (!rs->have_last) {
		json_null(j);
	} else {
		json_obj_begin(j);
		reload_format_time(rs->last_at, ts, sizeof(ts));
		json_kstr(j, "at", ts);
		json_kbool(j, "ok", rs->last_ok);
		json_key(j, "errors");
		json_arr_begin(j);
		for (i = 0; i < rs->n_last_errors; i++)
			json_str(j, rs->last_errors[i]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
}
