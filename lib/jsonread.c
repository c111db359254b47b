/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "lib/jsonread.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

struct rd {
	const char *p, *end;
	const char *err;
};

static void ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static struct jv *new_jv(enum jv_type t)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

static int hex4(struct rd *r, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (r->end - r->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* At the opening quote. The decoded text is never longer than the source. */
static char *parse_string(struct rd *r)
{
	const char *start = ++r->p, *q = start;
	char *out, *o;

	/* Size the buffer by the string's own extent (to the closing quote,
	 * escapes skipped), not by the rest of the document: a large reply
	 * has thousands of strings. */
	while (q < r->end && *q != '"')
		q += (*q == '\\' && q + 1 < r->end) ? 2 : 1;
	out = malloc((size_t)(q - start) + 1);
	if (!out) {
		r->err = "out of memory";
		return NULL;
	}
	o = out;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;
		unsigned cp, lo;

		if (c < 0x20 || c == 0) {
			r->err = "control character in string";
			goto fail;
		}
		if (c != '\\') {
			*o++ = (char)c;
			continue;
		}
		if (r->p >= r->end)
			break;
		c = (unsigned char)*r->p++;
		switch (c) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (hex4(r, &cp) < 0) {
				r->err = "bad \\u escape";
				goto fail;
			}
			if (cp >= 0xd800 && cp < 0xdc00 && r->end - r->p >= 6 && r->p[0] == '\\' &&
			    r->p[1] == 'u') {
				r->p += 2;
				if (hex4(r, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff) {
					r->err = "bad surrogate pair";
					goto fail;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 0xfffd;
			o += put_utf8(o, cp);
			break;
		default:
			r->err = "bad escape in string";
			goto fail;
		}
	}
	if (r->p >= r->end) {
		r->err = "unterminated string";
		goto fail;
	}
	r->p++;
	*o = '\0';
	return out;
fail:
	free(out);
	if (!r->err)
		r->err = "unterminated string";
	return NULL;
}

static struct jv *parse_value(struct rd *r, unsigned depth);

static struct jv *parse_container(struct rd *r, unsigned depth, bool obj)
{
	struct jv *v = new_jv(obj ? JV_OBJ : JV_ARR);
	struct jv **tail;
	char close = obj ? '}' : ']';

	if (!v) {
		r->err = "out of memory";
		return NULL;
	}
	tail = &v->child;
	r->p++;
	ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jv *m;

		ws(r);
		if (obj) {
			if (r->p >= r->end || *r->p != '"') {
				r->err = "expected a member name";
				goto fail;
			}
			key = parse_string(r);
			if (!key)
				goto fail;
			ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				r->err = "expected ':'";
				goto fail;
			}
			r->p++;
		}
		m = parse_value(r, depth + 1);
		if (!m) {
			free(key);
			goto fail;
		}
		m->key = key;
		*tail = m;
		tail = &m->next;
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return v;
		}
		r->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
		goto fail;
	}
fail:
	jv_free(v);
	return NULL;
}

static struct jv *parse_value(struct rd *r, unsigned depth)
{
	struct jv *v;
	const char *s;

	if (depth > JV_MAX_DEPTH) {
		r->err = "nested too deeply";
		return NULL;
	}
	ws(r);
	if (r->p >= r->end) {
		r->err = "unexpected end of input";
		return NULL;
	}
	switch (*r->p) {
	case '{':
		return parse_container(r, depth, true);
	case '[':
		return parse_container(r, depth, false);
	case '"':
		v = new_jv(JV_STR);
		if (!v) {
			r->err = "out of memory";
			return NULL;
		}
		v->str = parse_string(r);
		if (!v->str) {
			free(v);
			return NULL;
		}
		return v;
	}
	if ((size_t)(r->end - r->p) >= 4 && !memcmp(r->p, "true", 4)) {
		r->p += 4;
		v = new_jv(JV_BOOL);
		if (v)
			v->b = true;
		return v;
	}
	if ((size_t)(r->end - r->p) >= 5 && !memcmp(r->p, "false", 5)) {
		r->p += 5;
		return new_jv(JV_BOOL);
	}
	if ((size_t)(r->end - r->p) >= 4 && !memcmp(r->p, "null", 4)) {
		r->p += 4;
		return new_jv(JV_NULL);
	}
	s = r->p;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	while (r->p < r->end && ((*r->p >= '0' && *r->p <= '9') || *r->p == '.' || *r->p == 'e' ||
				 *r->p == 'E' || *r->p == '+' || *r->p == '-'))
		r->p++;
	if (r->p == s || (r->p == s + 1 && *s == '-') || r->p - s > 64) {
		r->err = "unexpected character";
		return NULL;
	}
	v = new_jv(JV_NUM);
	if (!v || !(v->str = strndup(s, (size_t)(r->p - s)))) {
		free(v);
		r->err = "out of memory";
		return NULL;
	}
	return v;
}

struct jv *jv_parse(const char *text, size_t len, const char **err)
{
	struct rd r = { .p = text, .end = text + len, .err = NULL };
	struct jv *v = parse_value(&r, 0);

	if (v) {
		ws(&r);
		if (r.p != r.end) {
			jv_free(v);
			v = NULL;
			r.err = "trailing data after the JSON value";
		}
	}
	if (!v)
		*err = r.err ? r.err : "out of memory";
	return v;
}

void jv_free(struct jv *v)
{
	while (v) {
		struct jv *next = v->next;

		jv_free(v->child);
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	const struct jv *m;

	if (!obj || obj->type != JV_OBJ)
		return NULL;
	for (m = obj->child; m; m = m->next)
		if (m->key && strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

long long jv_int(const struct jv *v)
{
	if (!v || v->type != JV_NUM)
		return 0;
	return strtoll(v->str, NULL, 10);
}

void jv_write(const struct jv *v, struct json *j)
{
	const struct jv *m;
	char *end;

	switch (v->type) {
	case JV_NULL:
		json_null(j);
		return;
	case JV_BOOL:
		json_bool(j, v->b);
		return;
	case JV_STR:
		json_str(j, v->str);
		return;
	case JV_NUM:
		if (!strpbrk(v->str, ".eE")) {
			long long ll;

			errno = 0;
			ll = strtoll(v->str, &end, 10);
			if (!errno && !*end) {
				json_int(j, ll);
				return;
			}
			if (v->str[0] != '-') {
				unsigned long long ull;

				errno = 0;
				ull = strtoull(v->str, &end, 10);
				if (!errno && !*end) {
					json_uint(j, ull);
					return;
				}
			}
		}
		json_double(j, strtod(v->str, NULL));
		return;
	case JV_ARR:
		json_arr_begin(j);
		for (m = v->child; m; m = m->next)
			jv_write(m, j);
		json_arr_end(j);
		return;
	case JV_OBJ:
		json_obj_begin(j);
		for (m = v->child; m; m = m->next) {
			json_key(j, m->key);
			jv_write(m, j);
		}
		json_obj_end(j);
		return;
	}
}
