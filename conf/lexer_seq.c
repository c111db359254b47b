/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer's line replication: '~SEQ(VAR, [START, [STEP,]] END) LINE' (and
 * '~SEQx' in hexadecimal) and '~LST(VAR, VALUE, ...) LINE' or
 * '~LST({VAR, ...}, {VALUE, ...}, ...) LINE' process LINE once per value with
 * the variables set, then restore them. Counts are bounded by SEQ_MAX and
 * LST_VARS_MAX, and every line produced counts against the work budget.
 */
#include "conf/lexer_int.h"

#include <errno.h>

static bool parse_num(const char *s, size_t len, long long *out)
{
	char buf[32], *end;
	long long v;

	trim(&s, &len);
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 0);
	if (errno || *end || v > INT32_MAX || v < INT32_MIN)
		return false;
	*out = v;
	return true;
}

/* Splits s at top-level commas (outside {}); pieces trimmed. */
static unsigned split_commas(const char *s, size_t len, const char **pv, size_t *lv, unsigned max,
			     bool *too_many)
{
	unsigned n = 0;
	size_t st = 0, lvl = 0;

	*too_many = false;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] == '{')
			lvl++;
		else if (i < len && s[i] == '}' && lvl)
			lvl--;
		if (i == len || (s[i] == ',' && lvl == 0)) {
			if (n == max) {
				*too_many = true;
				return n;
			}
			pv[n] = s + st;
			lv[n] = i - st;
			trim(&pv[n], &lv[n]);
			n++;
			st = i + 1;
		}
	}
	return n;
}

struct saved_def {
	const char *name;
	size_t len;
	const char *old; /* NULL: was undefined */
	bool old_multiline;
};

/* The rest of the line, once per value, one level deeper. */
static void run_body(struct conf_lexer *lx, struct src *src, const char *rest, size_t rlen,
		     const struct conf_loc *loc, unsigned depth)
{
	conf_lex_process_line(lx, src, false, rest, rlen, loc, depth + 1);
}

static void do_seq(struct conf_lexer *lx, struct src *src, bool hex, const char *args, size_t alen,
		   const char *rest, size_t rlen, const struct conf_loc *loc, unsigned depth)
{
	const char *pv[5];
	size_t lv[5];
	long long num[3], start, step, end, count;
	bool too_many;
	unsigned n = split_commas(args, alen, pv, lv, 4, &too_many);
	struct def *d;
	const char *old;
	bool old_multiline;

	if (too_many || n < 2 || !valid_name(pv[0], lv[0])) {
		conf_error(lx->ctx, loc, "~SEQ needs (VAR, [START, [STEP,]] END)");
		return;
	}
	for (unsigned i = 1; i < n; i++) {
		if (!parse_num(pv[i], lv[i], &num[i - 1])) {
			conf_error(lx->ctx, loc, "~SEQ: '%.*s' is not a number", (int)lv[i], pv[i]);
			return;
		}
	}
	if (n == 2) {
		end = num[0];
		start = end < 0 ? -1 : 1;
		step = end < 1 ? -1 : 1;
	} else if (n == 3) {
		start = num[0];
		end = num[1];
		step = start <= end ? 1 : -1;
	} else {
		start = num[0];
		step = num[1];
		end = num[2];
		if (!step || (start < end && step < 0) || (start > end && step > 0)) {
			conf_error(lx->ctx, loc, "~SEQ: step %lld never gets from %lld to %lld",
				   step, start, end);
			return;
		}
	}
	count = (end - start) / step + 1;
	if (count > SEQ_MAX) {
		conf_error(lx->ctx, loc, "~SEQ gives %lld lines, more than %d", count, SEQ_MAX);
		return;
	}
	d = conf_lex_def_find(lx, pv[0], lv[0]);
	old = d ? d->value : NULL;
	old_multiline = d && d->multiline;
	for (long long i = 0, v = start; i < count && !lx->stop && !lx->abort_line;
	     i++, v += step) {
		char buf[32];

		if (hex)
			snprintf(buf, sizeof(buf), "%s%llx", v < 0 ? "-" : "",
				 (unsigned long long)(v < 0 ? -v : v));
		else
			snprintf(buf, sizeof(buf), "%lld", v);
		conf_lex_def_set(lx, pv[0], lv[0], buf, strlen(buf));
		run_body(lx, src, rest, rlen, loc, depth);
	}
	d = conf_lex_def_find(lx, pv[0], lv[0]);
	if (d) {
		d->value = old;
		d->multiline = old_multiline;
	}
}

/* Strips one pair of outer braces: "{a, b}" -> "a, b". */
static bool unbrace(const char **s, size_t *len)
{
	if (*len >= 2 && (*s)[0] == '{' && (*s)[*len - 1] == '}') {
		(*s)++;
		*len -= 2;
		trim(s, len);
		return true;
	}
	return false;
}

static void do_lst(struct conf_lexer *lx, struct src *src, const char *args, size_t alen,
		   const char *rest, size_t rlen, const struct conf_loc *loc, unsigned depth)
{
	const char **items = NULL;
	size_t *ilen = NULL;
	const char *vars[LST_VARS_MAX], *vals[LST_VARS_MAX];
	size_t vlen[LST_VARS_MAX], xlen[LST_VARS_MAX];
	struct saved_def saved[LST_VARS_MAX];
	unsigned n, nvars;
	bool too_many, grouped;
	const char *vs;
	size_t vsl;

	size_t cap = 2;

	for (size_t i = 0; i < alen && cap <= SEQ_MAX + 1; i++)
		cap += args[i] == ',';
	items = malloc(cap * sizeof(*items));
	ilen = malloc(cap * sizeof(*ilen));
	if (!items || !ilen) {
		fputs("vigil: out of memory\n", stderr);
		abort();
	}
	n = split_commas(args, alen, items, ilen, SEQ_MAX + 1, &too_many);
	if (too_many) {
		conf_error(lx->ctx, loc, "~LST has more than %d values", SEQ_MAX);
		goto out;
	}
	if (n < 2) {
		conf_error(lx->ctx, loc,
			   "~LST needs (VAR, VALUE, ...) or ({VAR, ...}, {VALUE, ...}, ...)");
		goto out;
	}
	vs = items[0];
	vsl = ilen[0];
	grouped = unbrace(&vs, &vsl);
	nvars = split_commas(vs, vsl, vars, vlen, LST_VARS_MAX, &too_many);
	if (too_many) {
		conf_error(lx->ctx, loc, "~LST has more than %d variables", LST_VARS_MAX);
		goto out;
	}
	for (unsigned k = 0; k < nvars; k++) {
		if (!valid_name(vars[k], vlen[k])) {
			conf_error(lx->ctx, loc, "~LST: '%.*s' is not a variable name",
				   (int)vlen[k], vars[k]);
			goto out;
		}
	}
	if (!grouped && nvars != 1) {
		conf_error(lx->ctx, loc, "~LST: several variables must be grouped in {...}");
		goto out;
	}
	for (unsigned k = 0; k < nvars; k++) {
		struct def *d = conf_lex_def_find(lx, vars[k], vlen[k]);

		saved[k].name = vars[k];
		saved[k].len = vlen[k];
		saved[k].old = d ? d->value : NULL;
		saved[k].old_multiline = d && d->multiline;
	}
	for (unsigned i = 1; i < n && !lx->stop && !lx->abort_line; i++) {
		const char *it = items[i];
		size_t il = ilen[i];
		unsigned nv;

		if (grouped) {
			if (!unbrace(&it, &il)) {
				conf_error(lx->ctx, loc, "~LST: value '%.*s' must be a {...} group",
					   (int)ilen[i], items[i]);
				break;
			}
			nv = split_commas(it, il, vals, xlen, LST_VARS_MAX, &too_many);
			if (too_many || nv != nvars) {
				conf_error(lx->ctx, loc,
					   "~LST: group '%.*s' does not have %u values",
					   (int)ilen[i], items[i], nvars);
				break;
			}
		} else {
			vals[0] = it;
			xlen[0] = il;
		}
		for (unsigned k = 0; k < nvars; k++)
			conf_lex_def_set(lx, vars[k], vlen[k], vals[k], xlen[k]);
		run_body(lx, src, rest, rlen, loc, depth);
	}
	for (unsigned k = 0; k < nvars; k++) {
		struct def *d = conf_lex_def_find(lx, saved[k].name, saved[k].len);

		if (d) {
			d->value = saved[k].old;
			d->multiline = saved[k].old_multiline;
		}
	}
out:
	free(items);
	free(ilen);
}

bool conf_lex_try_seq(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
		      const struct conf_loc *loc, unsigned depth)
{
	struct sbuf args = { 0 };
	size_t i, open, close, lvl = 0;
	bool lst = false, hex = false;
	const char *a, *rest;
	size_t al, rl;
	int r;

	if (len >= 5 && !memcmp(s, "~SEQx", 5)) {
		hex = true;
		i = 5;
	} else if (len >= 4 && !memcmp(s, "~SEQ", 4)) {
		i = 4;
	} else if (len >= 4 && !memcmp(s, "~LST", 4)) {
		lst = true;
		i = 4;
	} else {
		return false;
	}
	while (i < len && is_space(s[i]))
		i++;
	if (i >= len || s[i] != '(')
		return false;
	open = i;
	for (close = open + 1; close < len; close++) {
		if (s[close] == '{')
			lvl++;
		else if (s[close] == '}' && lvl)
			lvl--;
		else if (s[close] == ')' && !lvl)
			break;
	}
	if (close >= len) {
		conf_error(lx->ctx, loc, "%s: missing ')'", lst ? "~LST" : "~SEQ");
		return true;
	}
	a = s + open + 1;
	al = close - open - 1;
	rest = s + close + 1;
	rl = len - close - 1;
	trim(&rest, &rl);
	/* The numbers and values may themselves be variables. */
	r = conf_lex_expand(lx, src, a, al, loc, &args);
	if (!(r & EXP_ERROR)) {
		if (lst)
			do_lst(lx, src, args.p, args.len, rest, rl, loc, depth);
		else
			do_seq(lx, src, hex, args.p, args.len, rest, rl, loc, depth);
	}
	sb_free(&args);
	return true;
}
