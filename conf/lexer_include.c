/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer's files: reading a config file whole, the include lines
 * (include, includer, includem, includew, includeb, includea) with their
 * csh-style {a,b} alternatives and glob patterns, and include_check, which
 * sets how strictly a missing or unreadable file is an error. Includes are
 * bounded in depth, refuse cycles and executable files, and every included
 * line counts against the lexer's work budget.
 */
#include "conf/lexer_int.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <unistd.h>

/* include_check levels */
#define IC_READABLE 0x1u
#define IC_MATCH 0x2u
#define IC_WILDCARD 0x4u
#define IC_BRACE 0x8u
#define IC_ALL (IC_READABLE | IC_MATCH | IC_WILDCARD | IC_BRACE)

char *conf_lex_read_file(struct conf_lexer *lx, const char *path, size_t *len, struct stat *st,
			 const char **why)
{
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, st) < 0) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st->st_mode)) {
		*why = "not a regular file";
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st->st_size > FILE_MAX) {
		*why = "file is larger than 64 MiB";
		close(fd);
		return NULL;
	}
	buf = arena_alloc(lx->ctx->arena, (size_t)st->st_size + 1);
	while (got < (size_t)st->st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st->st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*why = strerror(errno);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

struct strvec {
	char **v;
	size_t n;
	bool overflow;
};

static void sv_push(struct strvec *sv, const char *s, size_t len)
{
	char **v;
	char *c;

	if (sv->n >= BRACE_ALTS_MAX) {
		sv->overflow = true;
		return;
	}
	v = realloc(sv->v, (sv->n + 1) * sizeof(*v));
	c = malloc(len + 1);
	if (!v || !c) {
		fputs("vigil: out of memory\n", stderr);
		abort();
	}
	memcpy(c, s, len);
	c[len] = '\0';
	sv->v = v;
	sv->v[sv->n++] = c;
}

static void sv_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

/* csh-style {a,b} expansion, nested, in order; literal braces stay. */
static void brace_expand(const char *s, struct strvec *out, unsigned depth)
{
	size_t len = strlen(s);

	if (depth > 64) {
		out->overflow = true;
		return;
	}
	for (size_t i = 0; i < len; i++) {
		size_t j, lvl = 0;
		bool comma = false;

		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] != '{')
			continue;
		for (j = i; j < len; j++) {
			if (s[j] == '\\') {
				j++;
				continue;
			}
			if (s[j] == '{')
				lvl++;
			else if (s[j] == '}' && --lvl == 0)
				break;
			else if (s[j] == ',' && lvl == 1)
				comma = true;
		}
		if (j >= len || !comma)
			continue;
		/* alternatives between i and j at level 1 */
		for (size_t a = i + 1, k = i + 1; k <= j && !out->overflow; k++) {
			if (s[k] == '\\') {
				k++;
				continue;
			}
			if (s[k] == '{')
				lvl++;
			else if (s[k] == '}' && lvl > 0 && k != j)
				lvl--;
			if ((s[k] == ',' && lvl == 0) || k == j) {
				struct sbuf b = { 0 };

				sb_add(&b, s, i);
				sb_add(&b, s + a, k - a);
				sb_add(&b, s + j + 1, len - j - 1);
				brace_expand(b.p, out, depth + 1);
				sb_free(&b);
				a = k + 1;
			}
		}
		return;
	}
	sv_push(out, s, len);
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void include_one(struct conf_lexer *lx, struct src *src, const char *path, unsigned check,
			const struct conf_loc *loc)
{
	const char *why = NULL;
	struct stat st;
	size_t len = 0;
	char *text;
	struct src *ns;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return; /* a wildcard may match directories */
	text = conf_lex_read_file(lx, path, &len, &st, &why);
	if (text && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		why = "executable files are not read as configuration";
	if (!text || why) {
		if (check & IC_READABLE)
			conf_error(lx->ctx, loc, "cannot include '%s': %s", path, why);
		else
			conf_warn(lx->ctx, loc, "skipping include of '%s': %s", path, why);
		return;
	}
	for (struct src *p = src; p; p = p->parent) {
		if (p->has_id && p->dev == st.st_dev && p->ino == st.st_ino) {
			conf_error(lx->ctx, loc, "include cycle: '%s' is already being read", path);
			return;
		}
	}
	ns = conf_lex_src_new(lx, src, path, text, len);
	ns->has_id = true;
	ns->dev = st.st_dev;
	ns->ino = st.st_ino;
	conf_lex_process_source(lx, ns);
}

static void do_include(struct conf_lexer *lx, struct src *src, unsigned check, const char *pat,
		       const struct conf_loc *loc)
{
	struct strvec alts = { 0 };
	struct sbuf full = { 0 };
	unsigned matched = 0;

	if (lx->ctx->flags & CONF_NO_INCLUDE) {
		conf_error(lx->ctx, loc, "include is not allowed here");
		return;
	}
	if (!src) {
		conf_error(lx->ctx, loc, "include outside of a file");
		return;
	}
	if (src->depth + 1 > INCLUDE_DEPTH_MAX) {
		conf_error(lx->ctx, loc, "includes nested more than %d deep", INCLUDE_DEPTH_MAX);
		return;
	}
	if (strlen(pat) > PATH_MAX) {
		conf_error(lx->ctx, loc, "include file name is too long");
		return;
	}
	if (pat[0] != '/')
		sb_add(&full, src->dir, strlen(src->dir));
	sb_add(&full, pat, strlen(pat));
	brace_expand(full.p, &alts, 0);
	if (alts.overflow) {
		conf_error(lx->ctx, loc, "include '%s': more than %d brace alternatives", pat,
			   BRACE_ALTS_MAX);
		goto out;
	}
	for (size_t i = 0; i < alts.n && !lx->stop; i++) {
		glob_t g;
		int r = glob(alts.v[i], 0, NULL, &g);

		if (r == GLOB_NOMATCH) {
			if ((check & IC_BRACE) && alts.n > 1)
				conf_error(lx->ctx, loc,
					   "include '%s': no file matches '%s' of its braces", pat,
					   alts.v[i]);
			continue;
		}
		if (r != 0) {
			conf_error(lx->ctx, loc, "include '%s': cannot expand '%s'", pat,
				   alts.v[i]);
			continue;
		}
		for (size_t k = 0; k < g.gl_pathc && !lx->stop; k++) {
			matched++;
			include_one(lx, src, g.gl_pathv[k], check, loc);
		}
		globfree(&g);
	}
	if (!matched) {
		if ((check & IC_WILDCARD) || ((check & IC_MATCH) && !has_wildcard(pat)))
			conf_error(lx->ctx, loc, "include '%s': no file matches", pat);
		else
			conf_warn(lx->ctx, loc, "include '%s': no file matches", pat);
	}
out:
	sv_free(&alts);
	sb_free(&full);
}

void conf_lex_include_check(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
			    const struct conf_loc *loc)
{
	static const struct {
		const char *name;
		unsigned bits;
	} opts[] = {
		{ "readable", IC_READABLE },
		{ "match", IC_MATCH | IC_READABLE },
		{ "wildcard_match", IC_WILDCARD | IC_READABLE },
		{ "brace_match", IC_BRACE | IC_READABLE },
	};
	unsigned level = 0;
	bool any = false, plain = false;
	size_t i = 0;

	if (!src)
		return;
	level = src->check;
	while (i < len) {
		size_t st;
		char sign = 0;
		unsigned k, n = sizeof(opts) / sizeof(opts[0]);

		while (i < len && is_space(s[i]))
			i++;
		if (i >= len)
			break;
		if (s[i] == '+' || s[i] == '-')
			sign = s[i++];
		st = i;
		while (i < len && !is_space(s[i]))
			i++;
		for (k = 0; k < n; k++)
			if (strlen(opts[k].name) == i - st && !memcmp(opts[k].name, s + st, i - st))
				break;
		if (k == n) {
			conf_error(lx->ctx, loc, "include_check: unknown option '%.*s'",
				   (int)(i - st), s + st);
			continue;
		}
		any = true;
		if (!sign && !plain) {
			level = 0;
			plain = true;
		}
		if (sign == '-')
			level &= ~(opts[k].bits & ~(k ? IC_READABLE : 0u));
		else
			level |= opts[k].bits;
	}
	src->check = any ? level : IC_ALL;
}

static const struct {
	const char *kw;
	unsigned check;
} include_kws[] = {
	{ "include", 0 },
	{ "includer", IC_READABLE },
	{ "includem", IC_MATCH | IC_READABLE },
	{ "includew", IC_WILDCARD | IC_READABLE },
	{ "includeb", IC_BRACE | IC_READABLE },
	{ "includea", IC_ALL },
};

bool conf_lex_include(struct conf_lexer *lx, struct src *src, const char *s, size_t len, size_t w,
		      const struct conf_loc *loc)
{
	/* Every include keyword is 7 or 8 letters from "include". */
	if ((w != 7 && w != 8) || memcmp(s, "include", 7))
		return false;
	for (size_t k = 0; k < sizeof(include_kws) / sizeof(include_kws[0]); k++) {
		const char *p = s + w;
		size_t pl = len - w;
		char *pat;

		if (strlen(include_kws[k].kw) != w || memcmp(s, include_kws[k].kw, w))
			continue;
		trim(&p, &pl);
		if (pl >= 2 && (p[0] == '"' || p[0] == '\'') && p[pl - 1] == p[0]) {
			p++;
			pl -= 2;
		} else {
			for (size_t i = 0; i < pl; i++) {
				if (is_space(p[i])) {
					conf_error(lx->ctx, loc,
						   "%s takes one file name (quote it if it has "
						   "spaces)",
						   include_kws[k].kw);
					return true;
				}
			}
		}
		if (!pl) {
			conf_error(lx->ctx, loc, "%s needs a file name", include_kws[k].kw);
			return true;
		}
		if (memchr(p, '\0', pl))
			return true;
		pat = strndup(p, pl);
		if (!pat) {
			fputs("vigil: out of memory\n", stderr);
			abort();
		}
		do_include(lx, src, (src ? src->check : 0) | include_kws[k].check, pat, loc);
		free(pat);
		return true;
	}
	return false;
}
