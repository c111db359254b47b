/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small streaming JSON writer into a growable buffer. Used for
 * --dump-config and every `--json` reply of the control socket. Commas and
 * nesting are tracked here so callers just emit keys and values.
 */
#ifndef VIGIL_LIB_JSON_H
#define VIGIL_LIB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

struct json {
	char *buf;
	size_t len, cap;
	unsigned depth;
	bool pretty;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, bool pretty);
void json_free(struct json *j);
/* Takes the NUL-terminated text; the caller frees it with free(). */
char *json_take(struct json *j, size_t *len);

void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);

void json_str(struct json *j, const char *s); /* NULL prints null */
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key + value shorthands */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kuint(struct json *j, const char *key, unsigned long long v);
void json_kbool(struct json *j, const char *key, bool v);
void json_kdouble(struct json *j, const char *key, double v);

#endif
