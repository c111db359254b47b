/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer's variables: '$NAME=value' definitions (one line, or several
 * joined by a '\\' at the end of each), the predefined values (${_PWD},
 * ${_INSTANCE}, ${_HASH}, ${_BANG}, ${_RANDOM [MIN [MAX]]}, ${_ENV NAME}) and the
 * substitution of '$NAME' / '${NAME}' references in a line.
 */
#include "conf/lexer_int.h"

/* ---- the table of definitions ---- */

static unsigned def_hash(const char *s, size_t len)
{
	unsigned h = 5381;

	for (size_t i = 0; i < len; i++)
		h = h * 33 + (unsigned char)s[i];
	return h % DEF_BUCKETS;
}

struct def *conf_lex_def_find(struct conf_lexer *lx, const char *name, size_t len)
{
	for (struct def *d = lx->defs[def_hash(name, len)]; d; d = d->next)
		if (strlen(d->name) == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

void conf_lex_def_set(struct conf_lexer *lx, const char *name, size_t len, const char *value,
		      size_t vlen)
{
	struct def *d = conf_lex_def_find(lx, name, len);

	if (!d) {
		unsigned h = def_hash(name, len);

		d = arena_alloc(lx->ctx->arena, sizeof(*d));
		d->name = arena_strndup(lx->ctx->arena, name, len);
		d->next = lx->defs[h];
		lx->defs[h] = d;
	}
	d->value = value ? arena_strndup(lx->ctx->arena, value, vlen) : NULL;
	d->multiline = false;
}

/* ---- definition lines ---- */

/* Reads the continuation lines of a multi-line definition into val. */
static void read_continuation(struct conf_lexer *lx, struct src *src, struct sbuf *val,
			      const char *name, size_t nlen, const struct conf_loc *loc)
{
	for (;;) {
		const char *l;
		size_t ll;
		enum conf_lex_phys r = conf_lex_read_phys(lx, src, &l, &ll);
		bool more;

		if (r == PHYS_EOF) {
			conf_error(lx->ctx, loc,
				   "multi-line definition of '%.*s' ends with '\\' at the end of "
				   "the file",
				   (int)nlen, name);
			return;
		}
		if (r == PHYS_BAD || !ll)
			continue;
		more = l[ll - 1] == '\\';
		if (more) {
			ll--;
			trim(&l, &ll);
		}
		if (val->len + ll + 1 > DEF_MAX) {
			conf_error(lx->ctx, loc, "definition of '%.*s' is longer than %d bytes",
				   (int)nlen, name, DEF_MAX);
			val->len = 0;
			/* keep consuming its lines so they are not read as config */
			while (more) {
				r = conf_lex_read_phys(lx, src, &l, &ll);
				if (r == PHYS_EOF)
					return;
				more = r == PHYS_BAD || !ll || l[ll - 1] == '\\';
			}
			return;
		}
		if (val->len)
			sb_addc(val, '\n');
		sb_add(val, l, ll);
		if (!more)
			return;
	}
}

bool conf_lex_define(struct conf_lexer *lx, struct src *src, bool physical, const char *s,
		     size_t len, const struct conf_loc *loc)
{
	const char *v;
	size_t e = 1, vl;
	struct sbuf val = { 0 };
	bool multiline;

	if (s[0] != '$' || len < 2 || !is_name_start(s[1]))
		return false;
	while (e < len && is_name_char(s[e]))
		e++;
	if (e >= len || s[e] != '=')
		return false;
	v = s + e + 1;
	vl = len - e - 1;
	trim(&v, &vl);
	sb_grow(&val, vl);
	val.p[0] = '\0';
	multiline = vl && v[vl - 1] == '\\';
	if (multiline) {
		vl--;
		trim(&v, &vl);
		sb_add(&val, v, vl);
		if (physical)
			read_continuation(lx, src, &val, s + 1, e - 1, loc);
	} else {
		sb_add(&val, v, vl);
	}
	conf_lex_def_set(lx, s + 1, e - 1, val.p, val.len);
	conf_lex_def_find(lx, s + 1, e - 1)->multiline = multiline;
	sb_free(&val);
	return true;
}

/* ---- substitution ---- */

static uint64_t next_random(struct conf_lexer *lx)
{
	/* xorshift64*: ${_RANDOM} is for spreading values, not for secrets */
	lx->rnd ^= lx->rnd >> 12;
	lx->rnd ^= lx->rnd << 25;
	lx->rnd ^= lx->rnd >> 27;
	return lx->rnd * 2685821657736338717ull;
}

/* ${_RANDOM [MIN [MAX]]}: args is what follows the name. */
static bool random_value(struct conf_lexer *lx, const char *args, size_t len, struct sbuf *out,
			 const struct conf_loc *loc)
{
	unsigned long long v[2] = { 0, 32767 };
	unsigned n = 0;
	char num[24];
	size_t i = 0;

	while (i < len) {
		size_t st;

		while (i < len && is_space(args[i]))
			i++;
		if (i >= len)
			break;
		st = i;
		while (i < len && isdigit((unsigned char)args[i]))
			i++;
		if (i == st || (i < len && !is_space(args[i])) || n == 2 || i - st > 9) {
			conf_error(lx->ctx, loc,
				   "${_RANDOM} takes up to two non-negative numbers: MIN and MAX");
			return false;
		}
		v[n++] = strtoull(args + st, NULL, 10);
	}
	if (v[0] > v[1]) {
		conf_error(lx->ctx, loc, "${_RANDOM}: MIN %llu is greater than MAX %llu", v[0],
			   v[1]);
		return false;
	}
	snprintf(num, sizeof(num), "%llu", v[0] + next_random(lx) % (v[1] - v[0] + 1));
	sb_add(out, num, strlen(num));
	return true;
}

/*
 * ${_ENV NAME} (keepalived 2.4.0): the value of environment variable NAME
 * when the file is read (vigild -t: the shell's; the daemon: the environment
 * it was started with, at every reload). Unset expands to nothing, as in
 * keepalived, with a warning, since that is rarely what was meant.
 */
static bool env_value(struct conf_lexer *lx, const char *args, size_t len, struct sbuf *out,
		      const struct conf_loc *loc)
{
	char name[256];
	const char *v;

	trim(&args, &len);
	if (!valid_name(args, len) || len >= sizeof(name)) {
		conf_error(lx->ctx, loc, "${_ENV} takes one environment variable name");
		return false;
	}
	memcpy(name, args, len);
	name[len] = '\0';
	v = getenv(name);
	if (!v) {
		conf_warn(lx->ctx, loc,
			  "environment variable '%s' is not set: ${_ENV %s} expands to nothing",
			  name, name);
		return true;
	}
	sb_add(out, v, strlen(v));
	return true;
}

/* Predefined and user values; returns false if name is not defined. */
static bool lookup(struct conf_lexer *lx, const struct src *src, const char *name, size_t len,
		   struct sbuf *out)
{
	struct def *d;

	if (len == 4 && !memcmp(name, "_PWD", 4)) {
		const char *pwd = src ? src->pwd : ".";

		sb_add(out, pwd, strlen(pwd));
		return true;
	}
	if (len == 9 && !memcmp(name, "_INSTANCE", 9)) {
		const char *id = lx->ctx->config_id ? lx->ctx->config_id : "";

		sb_add(out, id, strlen(id));
		return true;
	}
	if (len == 5 && !memcmp(name, "_HASH", 5)) {
		sb_addc(out, '#');
		return true;
	}
	if (len == 5 && !memcmp(name, "_BANG", 5)) {
		sb_addc(out, '!');
		return true;
	}
	d = conf_lex_def_find(lx, name, len);
	if (!d || !d->value)
		return false;
	sb_add(out, d->value, strlen(d->value));
	return true;
}

static void undefined(struct conf_lexer *lx, const struct conf_loc *loc, const char *name,
		      size_t len, bool quoted)
{
	if (!quoted) {
		conf_error(lx->ctx, loc, "undefined variable '%.*s'", (int)len, name);
		return;
	}
	if (lx->warned_file == loc->file && lx->warned_line == loc->line)
		return;
	lx->warned_file = loc->file;
	lx->warned_line = loc->line;
	conf_warn(lx->ctx, loc, "undefined variable '%.*s' in a quoted string is left as it is",
		  (int)len, name);
}

/*
 * keepalived 2.2.7 (lib/parser.c find_definition) substitutes a multi-line
 * variable only where its reference ends the line; anywhere else it leaves
 * '$NAME' as written, which then reads as an unknown keyword or a bad value.
 * Expanding it there would give the line another meaning: an error instead.
 */
static bool multiline_mid_line(struct conf_lexer *lx, const struct conf_loc *loc, const char *name,
			       size_t nlen, const char *rest, size_t rlen)
{
	const struct def *d = conf_lex_def_find(lx, name, nlen);

	if (!d || !d->value || !d->multiline)
		return false;
	while (rlen && is_space(*rest)) {
		rest++;
		rlen--;
	}
	if (!rlen)
		return false;
	conf_error(lx->ctx, loc,
		   "variable '%.*s' holds several lines and is not last on its line: keepalived "
		   "does not expand it there (it reads '$%.*s' as written); put it at the end of "
		   "the line",
		   (int)nlen, name, (int)nlen, name);
	return true;
}

/*
 * Substitutes every reference in s[0..len) once into out. Outside quotes an
 * undefined variable is an error (and expands to nothing); inside quotes it
 * stays as written, so the '$' of shell snippets in scripts survives.
 */
int conf_lex_expand(struct conf_lexer *lx, const struct src *src, const char *s, size_t len,
		    const struct conf_loc *loc, struct sbuf *out)
{
	int ret = 0;
	char q = 0;
	size_t i = 0;

	out->len = 0;
	sb_grow(out, len);
	out->p[0] = '\0';
	while (i < len) {
		char c = s[i];

		if (out->len > EXPAND_MAX) {
			conf_error(lx->ctx, loc, "line is longer than %d bytes after substitution",
				   EXPAND_MAX);
			return ret | EXP_ERROR;
		}
		if (c == '\\' && i + 1 < len) {
			sb_add(out, s + i, 2);
			i += 2;
			continue;
		}
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		}
		if (c != '$' || i + 1 >= len) {
			sb_addc(out, c);
			i++;
			continue;
		}
		if (s[i + 1] == '{') {
			const char *n = s + i + 2;
			const char *close = memchr(n, '}', len - (i + 2));
			size_t nlen, full;

			if (!close) {
				sb_addc(out, c);
				i++;
				continue;
			}
			nlen = (size_t)(close - n);
			full = nlen + 3;
			if (nlen >= 7 && !memcmp(n, "_RANDOM", 7) &&
			    (nlen == 7 || is_space(n[7]))) {
				if (!random_value(lx, n + 7, nlen - 7, out, loc))
					ret |= EXP_ERROR;
				ret |= EXP_CHANGED;
				i += full;
				continue;
			}
			if (nlen > 4 && !memcmp(n, "_ENV", 4) && is_space(n[4])) {
				if (!env_value(lx, n + 4, nlen - 4, out, loc))
					ret |= EXP_ERROR;
				ret |= EXP_CHANGED;
				i += full;
				continue;
			}
			if (!valid_name(n, nlen)) {
				sb_addc(out, c);
				i++;
				continue;
			}
			if (multiline_mid_line(lx, loc, n, nlen, s + i + full, len - i - full)) {
				ret |= EXP_CHANGED | EXP_ERROR;
			} else if (lookup(lx, src, n, nlen, out)) {
				ret |= EXP_CHANGED;
			} else {
				undefined(lx, loc, n, nlen, q);
				if (q) {
					sb_add(out, s + i, full);
				} else {
					ret |= EXP_CHANGED | EXP_ERROR;
				}
			}
			i += full;
			continue;
		}
		if (is_name_start(s[i + 1])) {
			size_t st = i + 1, e = st;

			while (e < len && is_name_char(s[e]))
				e++;
			/* A bare $NAME is only a reference when whitespace or
			 * the end of the line follows it. */
			if (e < len && !is_space(s[e])) {
				sb_add(out, s + i, e - i);
				i = e;
				continue;
			}
			if (e - st == 7 && !memcmp(s + st, "_RANDOM", 7)) {
				if (!random_value(lx, "", 0, out, loc))
					ret |= EXP_ERROR;
				ret |= EXP_CHANGED;
			} else if (multiline_mid_line(lx, loc, s + st, e - st, s + e, len - e)) {
				ret |= EXP_CHANGED | EXP_ERROR;
			} else if (lookup(lx, src, s + st, e - st, out)) {
				ret |= EXP_CHANGED;
			} else {
				undefined(lx, loc, s + st, e - st, q);
				if (q)
					sb_add(out, s + i, e - i);
				else
					ret |= EXP_CHANGED | EXP_ERROR;
			}
			i = e;
			continue;
		}
		sb_addc(out, c);
		i++;
	}
	return ret;
}
