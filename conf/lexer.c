/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The keepalived.conf lexer and preprocessor: sources, lines and tokens.
 *
 * The root file is read a physical line at a time as conf_lexer_next() asks
 * for tokens. Every line goes through conf_lex_process_line(), which
 * handles, in order, '@id' / '@^id' conditionals (here), '$NAME=value'
 * definitions (lexer_vars.c), '~SEQ' / '~LST' replication (lexer_seq.c) and
 * '$NAME' / '${NAME}' substitution (lexer_vars.c; a substituted line is
 * processed again, so values may carry conditionals, definitions and
 * further references), and finally include lines (lexer_include.c, which
 * feeds the included file's lines through here too) or tokenising. Tokens
 * land in an arena-backed queue that conf_lexer_next() hands out one by one.
 *
 * Hostile input is bounded everywhere (lexer_int.h): physical and expanded
 * line lengths, expansion depth, sequence counts, include depth and cycles;
 * and one work budget of lines and bytes processed (below), after which the
 * stream ends with an error. Scratch buffers are malloc'd and freed before
 * returning; everything that outlives a call is in the arena.
 */
#include "conf/lexer_int.h"

#include <limits.h>
#include <time.h>
#include <unistd.h>

#ifdef VIGIL_FUZZING
/* Under the fuzzer's instrumentation a million generated lines took 27 s,
 * past its 10 s timeout: the same checks with a twentieth of the room. */
#define BUDGET_LINES 50000ull
#define BUDGET_BYTES (8ull * 1024 * 1024)
#else
#define BUDGET_LINES 1000000ull /* lines processed in one parse */
#define BUDGET_BYTES (128ull * 1024 * 1024)
#endif

/* ---- comments ---- */

/* Length of s[0..len) without its comment ('#' or '!' outside quotes). */
static size_t strip_comment(const char *s, size_t len)
{
	char q = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\') {
			i++;
			continue;
		}
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '#' || c == '!') {
			return i;
		}
	}
	return len;
}

/* ---- tokens ---- */

static void emit(struct conf_lexer *lx, enum conf_tok_type type, const struct conf_loc *loc,
		 const char *text)
{
	struct tok_chunk *c = lx->tail;
	struct conf_token *t;

	if (!c || c->n == TOK_CHUNK) {
		if (lx->spare) {
			c = lx->spare;
			lx->spare = c->next;
			c->next = NULL;
			c->n = 0;
		} else {
			c = arena_alloc(lx->ctx->arena, sizeof(*c));
		}
		if (lx->tail)
			lx->tail->next = c;
		else
			lx->head = c;
		lx->tail = c;
	}
	t = &c->t[c->n++];
	t->type = type;
	t->loc = *loc;
	t->text = text;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (tolower((unsigned char)c) - 'a') + 10;
}

/*
 * One escape sequence after a backslash at s[*i]; returns the byte, or -1
 * when it would be a NUL byte. *i is left on the last character used.
 */
static int unescape(const char *s, size_t len, size_t *i)
{
	size_t j = *i;
	unsigned v;
	char c = s[j];

	switch (c) {
	case 'a':
		return '\a';
	case 'b':
		return '\b';
	case 'E':
		return 0x1b;
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'v':
		return '\v';
	case 'x':
		if (j + 1 < len && isxdigit((unsigned char)s[j + 1])) {
			v = 0;
			while (j + 1 < len && isxdigit((unsigned char)s[j + 1]))
				v = ((v << 4) | (unsigned)hexval(s[++j])) & 0xff;
			*i = j;
			return v ? (int)v : -1;
		}
		return 'x';
	case 'c':
		if (j + 1 < len) {
			*i = j + 1;
			v = (unsigned char)s[j + 1] & 0x1f;
			return v ? (int)v : -1;
		}
		return 'c';
	default:
		break;
	}
	if (c >= '0' && c <= '7') {
		v = (unsigned)(c - '0');
		for (int k = 0; k < 2 && j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '7'; k++)
			v = (v << 3) | (unsigned)(s[++j] - '0');
		*i = j;
		v &= 0xff;
		return v ? (int)v : -1;
	}
	return (unsigned char)c;
}

/* Splits one final line into words and braces, then an end of line. */
static void tokenize(struct conf_lexer *lx, const char *s, size_t len, const struct conf_loc *loc)
{
	struct sbuf w = { 0 };
	bool any = false;
	size_t i = 0;

	while (i < len) {
		char q = 0;
		bool nul_reported = false;

		if (is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '{' || s[i] == '}') {
			emit(lx, s[i] == '{' ? CONF_TOK_LBRACE : CONF_TOK_RBRACE, loc, NULL);
			any = true;
			i++;
			continue;
		}
		{
			/* The common word: no quotes, no escapes, copied as is. */
			size_t j = i;

			while (j < len && !is_space(s[j]) && s[j] != '{' && s[j] != '}' &&
			       s[j] != '"' && s[j] != '\'' && s[j] != '\\')
				j++;
			if (j == len || is_space(s[j]) || s[j] == '{' || s[j] == '}') {
				emit(lx, CONF_TOK_WORD, loc,
				     arena_strndup(lx->ctx->arena, s + i, j - i));
				any = true;
				i = j;
				continue;
			}
		}
		w.len = 0;
		sb_grow(&w, 0);
		w.p[0] = '\0';
		for (; i < len; i++) {
			char c = s[i];

			if (!q && (is_space(c) || c == '{' || c == '}'))
				break;
			if (c == '\\' && i + 1 < len) {
				int b;

				i++;
				b = unescape(s, len, &i);
				if (b < 0) {
					if (!nul_reported)
						conf_error(lx->ctx, loc,
							   "escape sequence gives a NUL byte");
					nul_reported = true;
					continue;
				}
				sb_addc(&w, (char)b);
				continue;
			}
			if (q) {
				if (c == q)
					q = 0;
				else
					sb_addc(&w, c);
			} else if (c == '"' || c == '\'') {
				q = c;
			} else {
				sb_addc(&w, c);
			}
		}
		if (q)
			conf_error(lx->ctx, loc, "unterminated quoted string (missing %c)", q);
		emit(lx, CONF_TOK_WORD, loc, arena_strndup(lx->ctx->arena, w.p, w.len));
		any = true;
	}
	if (any)
		emit(lx, CONF_TOK_EOL, loc, NULL);
	sb_free(&w);
}

/* ---- sources ---- */

static bool budget(struct conf_lexer *lx, size_t len, const struct conf_loc *loc)
{
	if (lx->stop)
		return false;
	lx->lines++;
	lx->bytes += len;
	if (lx->lines > BUDGET_LINES || lx->bytes > BUDGET_BYTES) {
		conf_error(lx->ctx, loc,
			   "configuration expands to more than %llu lines or %llu MiB: giving up",
			   BUDGET_LINES, BUDGET_BYTES >> 20);
		lx->stop = true;
		return false;
	}
	return true;
}

enum conf_lex_phys conf_lex_read_phys(struct conf_lexer *lx, struct src *src, const char **line,
				      size_t *len)
{
	const char *nl;
	size_t n;
	struct conf_loc loc;

	if (src->p >= src->end)
		return PHYS_EOF;
	nl = memchr(src->p, '\n', (size_t)(src->end - src->p));
	n = nl ? (size_t)(nl - src->p) : (size_t)(src->end - src->p);
	*line = src->p;
	src->p += n + (nl ? 1 : 0);
	src->line++;
	loc.file = src->name;
	loc.line = src->line;
	if (memchr(*line, '\0', n)) {
		conf_error(lx->ctx, &loc, "NUL byte in line: line ignored");
		return PHYS_BAD;
	}
	if (n > LINE_MAX_LEN) {
		conf_error(lx->ctx, &loc, "line is longer than %d bytes: line ignored",
			   LINE_MAX_LEN);
		return PHYS_BAD;
	}
	*len = strip_comment(*line, n);
	trim(line, len);
	return PHYS_OK;
}

static char *path_dir(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? arena_strndup(a, path, (size_t)(slash - path + 1)) : arena_strdup(a, "");
}

struct src *conf_lex_src_new(struct conf_lexer *lx, struct src *parent, const char *name,
			     const char *text, size_t len)
{
	struct arena *a = lx->ctx->arena;
	struct src *s = arena_alloc(a, sizeof(*s));
	char cwd[PATH_MAX];

	s->parent = parent;
	s->name = arena_strdup(a, name);
	s->dir = path_dir(a, name);
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, ".");
	if (s->dir[0] == '/') {
		size_t dl = strlen(s->dir);

		s->pwd = arena_strndup(a, s->dir, dl > 1 ? dl - 1 : dl);
	} else if (s->dir[0]) {
		s->pwd = arena_printf(a, "%s/%.*s", cwd, (int)strlen(s->dir) - 1, s->dir);
	} else {
		s->pwd = arena_strdup(a, cwd);
	}
	s->p = text;
	s->end = text + len;
	s->check = parent ? parent->check : 0;
	s->depth = parent ? parent->depth + 1 : 0;
	return s;
}

/* ---- lines ---- */

/* Skips the continuation lines of a multi-line line dropped by '@'. */
static void skip_continuation(struct conf_lexer *lx, struct src *src)
{
	for (;;) {
		const char *l;
		size_t ll;
		enum conf_lex_phys r = conf_lex_read_phys(lx, src, &l, &ll);

		if (r == PHYS_EOF)
			return;
		if (r == PHYS_BAD || !ll)
			continue;
		if (l[ll - 1] != '\\')
			return;
	}
}

/* A final line: an include, or words for the tree. */
static void final_line(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
		       const struct conf_loc *loc)
{
	size_t w = 0;

	while (w < len && !is_space(s[w]))
		w++;
	if (conf_lex_include(lx, src, s, len, w, loc))
		return;
	if (w == 13 && !memcmp(s, "include_check", 13))
		conf_lex_include_check(lx, src, s + w, len - w, loc);
	tokenize(lx, s, len, loc);
}

void conf_lex_process_line(struct conf_lexer *lx, struct src *src, bool physical, const char *s,
			   size_t len, const struct conf_loc *loc, unsigned depth)
{
	struct sbuf out = { 0 };
	int r;

	trim(&s, &len);
	if (lx->abort_line || !budget(lx, len, loc) || !len)
		return;
	if (depth > DEPTH_MAX) {
		/* Drop the whole line: a recursive value would otherwise
		 * grow as a tree of depth DEPTH_MAX. */
		conf_error(lx->ctx, loc,
			   "substitutions nested more than %d deep (a recursive definition?)",
			   DEPTH_MAX);
		lx->abort_line = true;
		return;
	}
	if (len > LINE_MAX_LEN) {
		conf_error(lx->ctx, loc, "line is longer than %d bytes after substitution",
			   LINE_MAX_LEN);
		return;
	}

	/* '@id' and '@^id' select lines by config id, repeatedly. */
	while (len && s[0] == '@') {
		bool neg = len > 1 && s[1] == '^';
		const char *id = s + 1 + neg;
		size_t il = 0;
		const char *cid = lx->ctx->config_id;
		bool match;

		while (id + il < s + len && !is_space(id[il]))
			il++;
		if (!il) {
			conf_error(lx->ctx, loc, "'%s' must be followed by a config id",
				   neg ? "@^" : "@");
			return;
		}
		match = cid && strlen(cid) == il && !memcmp(cid, id, il);
		if (match == neg) {
			if (physical && s[len - 1] == '\\')
				skip_continuation(lx, src);
			return;
		}
		len -= (size_t)(id + il - s);
		s = id + il;
		trim(&s, &len);
	}
	if (!len)
		return;

	/* $NAME=value, possibly continued on the next lines with '\' */
	if (conf_lex_define(lx, src, physical, s, len, loc))
		return;

	if (s[0] == '~' && conf_lex_try_seq(lx, src, s, len, loc, depth))
		return;

	if (!memchr(s, '$', len)) {
		final_line(lx, src, s, len, loc);
		return;
	}
	r = conf_lex_expand(lx, src, s, len, loc, &out);
	if ((r & EXP_CHANGED) && out.len <= EXPAND_MAX) {
		/* Values may span lines: each is a line of its own again. */
		const char *p = out.p, *end = out.p + out.len;

		while (!lx->stop && !lx->abort_line) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);

			conf_lex_process_line(lx, src, false, p, ll, loc, depth + 1);
			if (!nl)
				break;
			p = nl + 1;
		}
	} else if (!(r & EXP_ERROR)) {
		final_line(lx, src, s, len, loc);
	}
	sb_free(&out);
}

/* One physical line of src; false at its end (or when the budget ran out). */
static bool source_step(struct conf_lexer *lx, struct src *src)
{
	const char *l;
	size_t ll;
	struct conf_loc loc;
	enum conf_lex_phys r;

	if (lx->stop)
		return false;
	r = conf_lex_read_phys(lx, src, &l, &ll);
	if (r == PHYS_EOF)
		return false;
	if (r == PHYS_BAD)
		return true;
	loc.file = src->name;
	loc.line = src->line;
	lx->abort_line = false;
	conf_lex_process_line(lx, src, true, l, ll, &loc, 0);
	return true;
}

static void source_end(struct conf_lexer *lx, struct src *src)
{
	lx->abort_line = false;
	lx->eof_loc.file = src->name;
	lx->eof_loc.line = src->line ? src->line : 1;
}

void conf_lex_process_source(struct conf_lexer *lx, struct src *src)
{
	while (source_step(lx, src))
		;
	source_end(lx, src);
}

/* ---- public ---- */

static struct conf_lexer *lexer_new(struct conf_ctx *ctx, const char *name)
{
	struct conf_lexer *lx = arena_alloc(ctx->arena, sizeof(*lx));
	struct timespec ts;

	lx->ctx = ctx;
	lx->eof_loc.file = arena_strdup(ctx->arena, name ? name : "(config)");
	lx->eof_loc.line = 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	lx->rnd = ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	if (!lx->rnd)
		lx->rnd = 0x9e3779b97f4a7c15ull;
	return lx;
}

struct conf_lexer *conf_lexer_open_file(struct conf_ctx *ctx, const char *path)
{
	struct conf_lexer *lx = lexer_new(ctx, path);
	const char *why = NULL;
	struct stat st;
	size_t len = 0;
	char *text;

	text = conf_lex_read_file(lx, path, &len, &st, &why);
	if (!text) {
		struct conf_loc loc = { lx->eof_loc.file, 0 };

		conf_error(ctx, &loc, "cannot read configuration file: %s", why);
		return lx;
	}
	lx->root = conf_lex_src_new(lx, NULL, path, text, len);
	lx->root->has_id = true;
	lx->root->dev = st.st_dev;
	lx->root->ino = st.st_ino;
	return lx;
}

struct conf_lexer *conf_lexer_open_string(struct conf_ctx *ctx, const char *name, const char *text,
					  unsigned long len)
{
	struct conf_lexer *lx = lexer_new(ctx, name);
	char *copy = arena_alloc(ctx->arena, (size_t)len + 1);

	if (len)
		memcpy(copy, text, len);
	lx->root = conf_lex_src_new(lx, NULL, name ? name : "(config)", copy, len);
	return lx;
}

void conf_lexer_next(struct conf_lexer *lx, struct conf_token *tok)
{
	for (;;) {
		struct tok_chunk *c = lx->head;

		if (c && lx->rd_pos < c->n) {
			*tok = c->t[lx->rd_pos++];
			return;
		}
		if (c) {
			/* Read through: the chunk is kept for the next tokens. */
			lx->head = c->next;
			if (!lx->head)
				lx->tail = NULL;
			c->next = lx->spare;
			lx->spare = c;
			lx->rd_pos = 0;
			continue;
		}
		if (!lx->root_done) {
			if (lx->root && source_step(lx, lx->root))
				continue;
			if (lx->root)
				source_end(lx, lx->root);
			lx->root_done = true;
			continue;
		}
		tok->type = CONF_TOK_EOF;
		tok->loc = lx->eof_loc;
		tok->text = NULL;
		return;
	}
}
