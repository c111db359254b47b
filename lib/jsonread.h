/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small JSON reader for vigilctl: parses a reply into a tree that can be
 * queried and written again (pretty) with lib/json.h.
 */
#ifndef VIGIL_LIB_JSONREAD_H
#define VIGIL_LIB_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>

struct json;

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	char *key; /* member name inside an object, else NULL */
	char *str; /* JV_STR: the text (NUL-free check not done); JV_NUM: the literal */
	bool b;
	struct jv *child; /* first element / member */
	struct jv *next;
};

#define JV_MAX_DEPTH 60

/* NULL on error with *err static. */
struct jv *jv_parse(const char *text, size_t len, const char **err);
void jv_free(struct jv *v);
const struct jv *jv_get(const struct jv *obj, const char *key);
/* Number as long long (0 if not a number). */
long long jv_int(const struct jv *v);
/* Emit v through the writer. */
void jv_write(const struct jv *v, struct json *j);

#endif
