/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf/: the public API. Text in, a validated model or every error out.
 */
#ifndef VIGIL_CONF_CONF_H
#define VIGIL_CONF_CONF_H

#include <stdio.h>

#include "conf/model.h"

struct json;

struct conf_options {
	const char *config_id; /* '@id' lines; default: short host name */
	unsigned flags;        /* CONF_NO_INCLUDE */
};

struct conf_load {
	struct arena *arena;
	struct conf_model *model; /* NULL when there were errors */
	struct conf_msg *msgs;    /* errors and warnings, in file order of discovery */
	unsigned n_errors, n_warnings;
};

/* 0: model is valid. -1: n_errors > 0, msgs say why. Free with conf_load_free
 * in both cases. */
int conf_load_file(const char *path, const struct conf_options *opt, struct conf_load *out);
int conf_load_string(const char *name, const char *text, unsigned long len,
		     const struct conf_options *opt, struct conf_load *out);
void conf_load_free(struct conf_load *l);

/* "file:line: error: text" per message. */
void conf_msgs_print(FILE *f, const struct conf_msg *msgs);

/* The normalised model as one JSON object. */
void conf_dump_json(const struct conf_model *m, struct json *j);

/* One line: "3 vrrp_instances, 1 vrrp_sync_group, ..." */
void conf_summary(const struct conf_model *m, char *buf, size_t len);

#endif
