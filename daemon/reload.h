/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running configuration and its reloads. A reload parses and validates
 * the whole new file first; a file with errors changes nothing, and the
 * failure (time, every message) is kept for `vigilctl status`.
 */
#ifndef VIGIL_DAEMON_RELOAD_H
#define VIGIL_DAEMON_RELOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conf/conf.h"

struct event_bus;
struct json;

/* Called after a new model is accepted, before the old one is freed. */
typedef void (*reload_swap_fn)(const struct conf_model *old_model,
			       const struct conf_model *new_model, void *data);

struct reload_state {
	char *path;
	char *config_id;
	struct conf_load cur; /* cur.model is the running model (NULL before the first load) */
	uint64_t generation;  /* 1 after the first load, +1 per accepted reload */
	time_t loaded_at;     /* wall clock, for display only */
	unsigned n_ok, n_failed;
	bool have_last; /* a reload (not the first load) has been tried */
	time_t last_at;
	bool last_ok;
	char **last_errors; /* "file:line: error: text" */
	unsigned n_last_errors;
	reload_swap_fn on_swap;
	void *on_swap_data;
	struct event_bus *bus; /* EVENT_RELOAD is published here (may be NULL) */
};

/* Returns 0 or -ENOMEM. Nothing is loaded yet. */
int reload_init(struct reload_state *rs, const char *path, const char *config_id);
/* Adopt a valid load as generation 1 (start-up). Takes ownership of *l. */
void reload_adopt(struct reload_state *rs, struct conf_load *l);
/* Load and validate the file; 0: swapped in, -1: rejected (every error
 * logged and kept in last_errors). why ("SIGHUP", "vigilctl reload") goes
 * into the EVENT_RELOAD it publishes either way. */
int reload_run(struct reload_state *rs, const char *why);
void reload_free(struct reload_state *rs);

/* "file:line: error: text" for one message, malloc'ed. */
char *reload_format_msg(const struct conf_msg *m);

/* Status pieces: the values of the "config" and "reload" keys. */
void reload_config_json(const struct reload_state *rs, struct json *j);
void reload_history_json(const struct reload_state *rs, struct json *j);
/* ISO 8601 UTC, e.g. 2026-11-21T20:41:08Z */
void reload_format_time(time_t t, char *buf, size_t len);

#endif
