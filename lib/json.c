/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lib/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(struct json *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 256;
		char *nb;

		while (j->len + n + 1 > cap)
			cap *= 2;
		nb = realloc(j->buf, cap);
		if (!nb) {
			fputs("vigil: out of memory\n", stderr);
			abort();
		}
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void puts_(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline(struct json *j)
{
	unsigned i;

	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Called before every value or key: emits the separating comma. */
static void before_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth < JSON_MAX_DEPTH && j->need_comma[j->depth])
		put(j, ",", 1);
	if (j->depth > 0)
		newline(j);
	if (j->depth < JSON_MAX_DEPTH)
		j->need_comma[j->depth] = true;
}

void json_init(struct json *j, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->pretty = pretty;
}

void json_free(struct json *j)
{
	free(j->buf);
	memset(j, 0, sizeof(*j));
}

char *json_take(struct json *j, size_t *len)
{
	char *b;

	if (!j->buf)
		put(j, "", 0);
	if (j->pretty)
		put(j, "\n", 1);
	b = j->buf;
	if (len)
		*len = j->len;
	j->buf = NULL;
	j->len = j->cap = 0;
	return b;
}

static void open_(struct json *j, char c)
{
	before_value(j);
	put(j, &c, 1);
	j->depth++;
	if (j->depth < JSON_MAX_DEPTH)
		j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	bool had = j->depth < JSON_MAX_DEPTH && j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had)
		newline(j);
	put(j, &c, 1);
}

void json_obj_begin(struct json *j)
{
	open_(j, '{');
}

void json_obj_end(struct json *j)
{
	close_(j, '}');
}

void json_arr_begin(struct json *j)
{
	open_(j, '[');
}

void json_arr_end(struct json *j)
{
	close_(j, ']');
}

static void put_string(struct json *j, const char *s)
{
	const unsigned char *p;
	char esc[8];

	put(j, "\"", 1);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			puts_(j, "\\\"");
			break;
		case '\\':
			puts_(j, "\\\\");
			break;
		case '\n':
			puts_(j, "\\n");
			break;
		case '\t':
			puts_(j, "\\t");
			break;
		case '\r':
			puts_(j, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(esc, sizeof(esc), "\\u%04x", *p);
				puts_(j, esc);
			} else {
				put(j, (const char *)p, 1);
			}
		}
	}
	put(j, "\"", 1);
}

void json_key(struct json *j, const char *key)
{
	before_value(j);
	put_string(j, key);
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	before_value(j);
	if (s)
		put_string(j, s);
	else
		puts_(j, "null");
}

void json_int(struct json *j, long long v)
{
	char b[32];

	before_value(j);
	snprintf(b, sizeof(b), "%lld", v);
	puts_(j, b);
}

void json_uint(struct json *j, unsigned long long v)
{
	char b[32];

	before_value(j);
	snprintf(b, sizeof(b), "%llu", v);
	puts_(j, b);
}

void json_double(struct json *j, double v)
{
	char b[64];

	before_value(j);
	if (!isfinite(v)) {
		puts_(j, "null");
		return;
	}
	snprintf(b, sizeof(b), "%.6g", v);
	puts_(j, b);
}

void json_bool(struct json *j, bool v)
{
	before_value(j);
	puts_(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
	before_value(j);
	puts_(j, "null");
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kint(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kuint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kdouble(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v);
}
