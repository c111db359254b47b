/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * url regex matching (http_regex.h). The cache is an open-addressing hash
 * of url pointers; each entry holds the compiled code and, when the url
 * sets limits, a match context:
 * - regex_max_offset: PCRE2's offset limit (the match must start at or
 *   before it), so a long body is not scanned past it;
 * - regex_stack START MAX: MAX bytes become PCRE2's heap limit for the
 *   backtracking frames (rounded up to KiB). vigil does not use the JIT,
 *   whose growable stack START sizes in keepalived, so START changes
 *   nothing. Without regex_stack, PCRE2's built-in limits apply.
 * One match data block is shared: the checker matches one body at a time.
 */
#include "check/http_regex.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/model.h"
#include "conf/regex.h"

struct regex_entry {
	const struct conf_http_url *u; /* NULL: free slot */
	pcre2_code *code;	       /* NULL: does not compile, err says why */
	pcre2_match_context *mctx;     /* NULL: PCRE2's defaults */
	char *err;
};

struct http_regex_cache {
	struct regex_entry *v;
	size_t cap, n; /* cap: 0 or a power of two */
	pcre2_match_data *md;
};

struct http_regex_cache *http_regex_cache_new(void)
{
	return calloc(1, sizeof(struct http_regex_cache));
}

static void entry_free(struct regex_entry *en)
{
	pcre2_code_free(en->code);
	pcre2_match_context_free(en->mctx);
	free(en->err);
	memset(en, 0, sizeof(*en));
}

void http_regex_cache_free(struct http_regex_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->v[i].u)
			entry_free(&c->v[i]);
	free(c->v);
	pcre2_match_data_free(c->md);
	free(c);
}

static size_t slot_of(const struct http_regex_cache *c, const struct conf_http_url *u)
{
	uint64_t h = (uint64_t)(uintptr_t)u * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & (c->cap - 1);

	while (c->v[i].u && c->v[i].u != u)
		i = (i + 1) & (c->cap - 1);
	return i;
}

static int grow(struct http_regex_cache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 16;
	struct regex_entry *old = c->v;
	size_t old_cap = c->cap;

	c->v = calloc(cap, sizeof(*c->v));
	if (!c->v) {
		c->v = old;
		return -1;
	}
	c->cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].u)
			c->v[slot_of(c, old[i].u)] = old[i];
	free(old);
	return 0;
}

/* Fills en for u: compiled code or the error, and the match context. */
static int entry_build(struct regex_entry *en, const struct conf_http_url *u)
{
	char why[200];

	en->u = u;
	en->code = conf_regex_compile(u, why, sizeof(why));
	if (!en->code) {
		en->err = strdup(why);
		return en->err ? 0 : -1;
	}
	if (!u->regex_max_offset && !u->regex_stack_max)
		return 0;
	en->mctx = pcre2_match_context_create(NULL);
	if (!en->mctx)
		return -1;
	if (u->regex_max_offset)
		pcre2_set_offset_limit(en->mctx, u->regex_max_offset > u->regex_min_offset
							 ? u->regex_max_offset - u->regex_min_offset
							 : 0);
	if (u->regex_stack_max)
		pcre2_set_heap_limit(en->mctx, (u->regex_stack_max + 1023u) / 1024u);
	return 0;
}

/* u's entry, made on first use; NULL when out of memory. */
static struct regex_entry *lookup(struct http_regex_cache *c, const struct conf_http_url *u)
{
	struct regex_entry *en;

	if ((c->n + 1) * 2 > c->cap && grow(c) < 0)
		return NULL;
	en = &c->v[slot_of(c, u)];
	if (en->u)
		return en;
	if (entry_build(en, u) < 0) {
		entry_free(en);
		return NULL;
	}
	c->n++;
	return en;
}

static void match_error(int rc, const struct conf_http_url *u, char *why, size_t wlen)
{
	PCRE2_UCHAR msg[120];

	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
		snprintf(why, wlen, "regex: match limit exceeded (too much backtracking)");
		return;
	case PCRE2_ERROR_HEAPLIMIT:
		if (u->regex_stack_max)
			snprintf(why, wlen, "regex: heap limit exceeded (regex_stack max %u bytes)",
				 u->regex_stack_max);
		else
			snprintf(why, wlen, "regex: heap limit exceeded");
		return;
	case PCRE2_ERROR_DEPTHLIMIT:
		snprintf(why, wlen, "regex: depth limit exceeded");
		return;
	default:
		if (pcre2_get_error_message(rc, msg, sizeof(msg)) == PCRE2_ERROR_BADDATA)
			snprintf((char *)msg, sizeof(msg), "error %d", rc);
		snprintf(why, wlen, "regex: match failed: %s", (const char *)msg);
	}
}

static enum check_cause judge(struct regex_entry *en, pcre2_match_data *md, const char *win,
			      size_t len, char *why, size_t wlen)
{
	const struct conf_http_url *u = en->u;
	bool match;
	int rc;

	if (!en->code) {
		snprintf(why, wlen, "regex does not compile: %s", en->err);
		return CHECK_CONFIG;
	}
	rc = pcre2_match(en->code, (PCRE2_SPTR)(win ? win : ""), len, 0, 0, md, en->mctx);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		match_error(rc, u, why, wlen);
		return CHECK_HTTP_REGEX;
	}
	/* rc 0: a match, with more groups than md has room for. */
	match = rc >= 0;
	if (match && u->regex_max_offset &&
	    (uint64_t)u->regex_min_offset + pcre2_get_ovector_pointer(md)[0] > u->regex_max_offset)
		match = false;
	if (match == u->regex_no_match) {
		snprintf(why, wlen,
			 u->regex_no_match ? "regex matched (regex_no_match)"
					   : "regex did not match");
		return CHECK_HTTP_REGEX;
	}
	return CHECK_OK;
}

enum check_cause http_regex_check(struct http_regex_cache *c, const struct conf_http_url *u,
				  const char *win, size_t len, char *why, size_t wlen)
{
	struct regex_entry *en, one = { 0 };
	pcre2_match_data *md;
	enum check_cause cause;

	if (c) {
		if (!c->md)
			c->md = pcre2_match_data_create(1, NULL);
		en = c->md ? lookup(c, u) : NULL;
		if (!en) {
			snprintf(why, wlen, "regex: out of memory");
			return CHECK_INTERNAL;
		}
		return judge(en, c->md, win, len, why, wlen);
	}
	md = pcre2_match_data_create(1, NULL);
	if (!md || entry_build(&one, u) < 0) {
		pcre2_match_data_free(md);
		entry_free(&one);
		snprintf(why, wlen, "regex: out of memory");
		return CHECK_INTERNAL;
	}
	cause = judge(&one, md, win, len, why, wlen);
	pcre2_match_data_free(md);
	entry_free(&one);
	return cause;
}
