/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The keepalived.conf lexer and preprocessor.
 *
 * The whole input is preprocessed eagerly on the first conf_lexer_next():
 * every physical line goes through process_line(), which handles, in order,
 * '@id' / '@^id' conditionals, '$NAME=value' definitions, '~SEQ' / '~LST'
 * replication and '$NAME' / '${NAME}' substitution (a substituted line is
 * processed again, so values may carry conditionals, definitions and further
 * references), and finally include lines or tokenising. Tokens land in an
 * arena-backed queue that conf_lexer_next() hands out one by one.
 *
 * Hostile input is bounded everywhere: physical and expanded line lengths,
 * expansion depth, sequence counts, include depth and cycles, and one global
 * budget of lines and bytes processed, after which the stream ends with an
 * error. Scratch buffers are malloc'd and freed before returning; everything
 * that outlives a call is in the arena.
 */
#include "conf/lexer.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf/schema.h"

#define LINE_MAX_LEN (64 * 1024)       /* one physical or expanded line */
#define EXPAND_MAX (1024 * 1024)       /* one substitution result (may be multi-line) */
#define DEF_MAX (1024 * 1024)	       /* one definition value */
#define FILE_MAX (64ull * 1024 * 1024) /* one config file */
#define DEPTH_MAX 32		       /* nested substitutions and ~SEQ/~LST */
#define INCLUDE_DEPTH_MAX 32
#define SEQ_MAX 100000		/* iterations of one ~SEQ / ~LST */
#ifdef VIGIL_FUZZING
/* Under the fuzzer's instrumentation a million generated lines took 27 s,
 * past its 10 s timeout: the same checks with a twentieth of the room. */
#define BUDGET_LINES 50000ull
#define BUDGET_BYTES (8ull * 1024 * 1024)
#else
#define BUDGET_LINES 1000000ull /* lines processed in one parse */
#define BUDGET_BYTES (128ull * 1024 * 1024)
#endif
#define BRACE_ALTS_MAX 256
#define LST_VARS_MAX 64
#define TOK_CHUNK 512
#define DEF_BUCKETS 256

/* include_check levels */
#define IC_READABLE 0x1u
#define IC_MATCH 0x2u
#define IC_WILDCARD 0x4u
#define IC_BRACE 0x8u
#define IC_ALL (IC_READABLE | IC_MATCH | IC_WILDCARD | IC_BRACE)

struct src {
	struct src *parent;
	const char *name; /* loc.file of its tokens */
	const char *dir;  /* prefix for relative includes: "" or ".../" */
	const char *pwd;  /* absolute directory, for ${_PWD} */
	const char *p, *end;
	unsigned line;	/* number of the last line read */
	unsigned check; /* include_check level while reading this source */
	unsigned depth;
	bool has_id;
	dev_t dev;
	ino_t ino;
};

struct tok_chunk {
	struct tok_chunk *next;
	unsigned n;
	struct conf_token t[TOK_CHUNK];
};

struct def {
	struct def *next;
	const char *name;
	const char *value; /* NULL: undefined again (a ~SEQ variable restored) */
};

struct conf_lexer {
	struct conf_ctx *ctx;
	struct src *root;
	bool stop;	 /* budget exhausted: the stream ends */
	bool abort_line; /* the rest of this physical line is dropped */
	/* Tokens lexed and not yet read, from head (at rd_pos) to tail. The
	 * root file is lexed a physical line at a time as tokens are asked
	 * for, so only a line's worth is held (an include's tokens all come
	 * with the line that names it); read chunks go to spare for reuse. */
	struct tok_chunk *head, *tail, *spare;
	unsigned rd_pos;
	bool root_done;
	struct conf_loc eof_loc;
	struct def *defs[DEF_BUCKETS];
	unsigned long long lines, bytes;
	uint64_t rnd;
	/* de-duplicates the warning for an undefined ${X} in quotes */
	const char *warned_file;
	unsigned warned_line;
};

/* ---- scratch buffers ---- */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_grow(struct sbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		fputs("vigil: out of memory\n", stderr);
		abort();
	}
	b->p = p;
	b->cap = cap;
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_addc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

static void sb_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- small helpers ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static bool valid_name(const char *s, size_t len)
{
	if (!len || !is_name_start(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

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

/* ---- definitions ---- */

static unsigned def_hash(const char *s, size_t len)
{
	unsigned h = 5381;

	for (size_t i = 0; i < len; i++)
		h = h * 33 + (unsigned char)s[i];
	return h % DEF_BUCKETS;
}

static struct def *def_find(struct conf_lexer *lx, const char *name, size_t len)
{
	for (struct def *d = lx->defs[def_hash(name, len)]; d; d = d->next)
		if (strlen(d->name) == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

/* value == NULL undefines. The value is copied into the arena. */
static void def_set(struct conf_lexer *lx, const char *name, size_t len, const char *value,
		    size_t vlen)
{
	struct def *d = def_find(lx, name, len);

	if (!d) {
		unsigned h = def_hash(name, len);

		d = arena_alloc(lx->ctx->arena, sizeof(*d));
		d->name = arena_strndup(lx->ctx->arena, name, len);
		d->next = lx->defs[h];
		lx->defs[h] = d;
	}
	d->value = value ? arena_strndup(lx->ctx->arena, value, vlen) : NULL;
}

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
	d = def_find(lx, name, len);
	if (!d || !d->value)
		return false;
	sb_add(out, d->value, strlen(d->value));
	return true;
}

enum { EXP_CHANGED = 1, EXP_ERROR = 2 };

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
 * Substitutes every reference in s[0..len) once into out. Outside quotes an
 * undefined variable is an error (and expands to nothing); inside quotes it
 * stays as written, so the '$' of shell snippets in scripts survives.
 */
static int expand(struct conf_lexer *lx, const struct src *src, const char *s, size_t len,
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
			if (!valid_name(n, nlen)) {
				sb_addc(out, c);
				i++;
				continue;
			}
			if (lookup(lx, src, n, nlen, out)) {
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

enum phys { PHYS_OK, PHYS_BAD, PHYS_EOF };

/* The next physical line of src, without its '\n' and comment, trimmed. */
static enum phys read_phys(struct conf_lexer *lx, struct src *src, const char **line, size_t *len)
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

	return slash ? arena_strndup(a, path, (size_t)(slash - path + 1))
		     : arena_strdup(a, "");
}

static struct src *src_new(struct conf_lexer *lx, struct src *parent, const char *name,
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

/*
 * Reads a whole config file into the arena. Returns NULL with *why set
 * (a static reason) when it cannot be used.
 */
static char *read_file(struct conf_lexer *lx, const char *path, size_t *len, struct stat *st,
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

static void process_source(struct conf_lexer *lx, struct src *src);
static void process_line(struct conf_lexer *lx, struct src *src, bool physical, const char *s,
			 size_t len, const struct conf_loc *loc, unsigned depth);

/* ---- include ---- */

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
	text = read_file(lx, path, &len, &st, &why);
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
	ns = src_new(lx, src, path, text, len);
	ns->has_id = true;
	ns->dev = st.st_dev;
	ns->ino = st.st_ino;
	process_source(lx, ns);
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

/* include_check [[+|-]readable|match|wildcard_match|brace_match ...] */
static void include_check(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
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

/* ---- ~SEQ and ~LST ---- */

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
};

static void run_body(struct conf_lexer *lx, struct src *src, const char *rest, size_t rlen,
		     const struct conf_loc *loc, unsigned depth)
{
	process_line(lx, src, false, rest, rlen, loc, depth + 1);
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
	d = def_find(lx, pv[0], lv[0]);
	old = d ? d->value : NULL;
	for (long long i = 0, v = start; i < count && !lx->stop && !lx->abort_line;
	     i++, v += step) {
		char buf[32];

		if (hex)
			snprintf(buf, sizeof(buf), "%s%llx", v < 0 ? "-" : "",
				 (unsigned long long)(v < 0 ? -v : v));
		else
			snprintf(buf, sizeof(buf), "%lld", v);
		def_set(lx, pv[0], lv[0], buf, strlen(buf));
		run_body(lx, src, rest, rlen, loc, depth);
	}
	d = def_find(lx, pv[0], lv[0]);
	if (d)
		d->value = old;
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
		struct def *d = def_find(lx, vars[k], vlen[k]);

		saved[k].name = vars[k];
		saved[k].len = vlen[k];
		saved[k].old = d ? d->value : NULL;
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
			def_set(lx, vars[k], vlen[k], vals[k], xlen[k]);
		run_body(lx, src, rest, rlen, loc, depth);
	}
	for (unsigned k = 0; k < nvars; k++) {
		struct def *d = def_find(lx, saved[k].name, saved[k].len);

		if (d)
			d->value = saved[k].old;
	}
out:
	free(items);
	free(ilen);
}

/* s starts with "~SEQ", "~SEQx" or "~LST"; returns false if it is not one. */
static bool try_seq(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
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
	r = expand(lx, src, a, al, loc, &args);
	if (!(r & EXP_ERROR)) {
		if (lst)
			do_lst(lx, src, args.p, args.len, rest, rl, loc, depth);
		else
			do_seq(lx, src, hex, args.p, args.len, rest, rl, loc, depth);
	}
	sb_free(&args);
	return true;
}

/* ---- lines ---- */

/* Reads the continuation lines of a multi-line definition into val. */
static void read_continuation(struct conf_lexer *lx, struct src *src, struct sbuf *val,
			      const char *name, size_t nlen, const struct conf_loc *loc)
{
	for (;;) {
		const char *l;
		size_t ll;
		enum phys r = read_phys(lx, src, &l, &ll);
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
				r = read_phys(lx, src, &l, &ll);
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

/* Skips the continuation lines of a multi-line line dropped by '@'. */
static void skip_continuation(struct conf_lexer *lx, struct src *src)
{
	for (;;) {
		const char *l;
		size_t ll;
		enum phys r = read_phys(lx, src, &l, &ll);

		if (r == PHYS_EOF)
			return;
		if (r == PHYS_BAD || !ll)
			continue;
		if (l[ll - 1] != '\\')
			return;
	}
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

/* A final line: an include, or words for the tree. */
static void final_line(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
		       const struct conf_loc *loc)
{
	size_t w = 0;

	while (w < len && !is_space(s[w]))
		w++;
	/* Every include keyword is 7 or 8 letters from "include". */
	for (size_t k = 0; (w == 7 || w == 8) && !memcmp(s, "include", 7) &&
			   k < sizeof(include_kws) / sizeof(include_kws[0]);
	     k++) {
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
					return;
				}
			}
		}
		if (!pl) {
			conf_error(lx->ctx, loc, "%s needs a file name", include_kws[k].kw);
			return;
		}
		if (memchr(p, '\0', pl))
			return;
		pat = strndup(p, pl);
		if (!pat) {
			fputs("vigil: out of memory\n", stderr);
			abort();
		}
		do_include(lx, src, (src ? src->check : 0) | include_kws[k].check, pat, loc);
		free(pat);
		return;
	}
	if (w == 13 && !memcmp(s, "include_check", 13))
		include_check(lx, src, s + w, len - w, loc);
	tokenize(lx, s, len, loc);
}

/*
 * One logical line. physical: s is a line of src, so a multi-line
 * definition may read the lines after it. depth counts nested
 * substitutions and ~SEQ/~LST levels.
 */
static void process_line(struct conf_lexer *lx, struct src *src, bool physical, const char *s,
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
	if (s[0] == '$' && len > 1 && is_name_start(s[1])) {
		size_t e = 1;

		while (e < len && is_name_char(s[e]))
			e++;
		if (e < len && s[e] == '=') {
			const char *v = s + e + 1;
			size_t vl = len - e - 1;
			struct sbuf val = { 0 };

			trim(&v, &vl);
			sb_grow(&val, vl);
			val.p[0] = '\0';
			if (vl && v[vl - 1] == '\\') {
				vl--;
				trim(&v, &vl);
				sb_add(&val, v, vl);
				if (physical)
					read_continuation(lx, src, &val, s + 1, e - 1, loc);
			} else {
				sb_add(&val, v, vl);
			}
			def_set(lx, s + 1, e - 1, val.p, val.len);
			sb_free(&val);
			return;
		}
	}

	if (s[0] == '~' && try_seq(lx, src, s, len, loc, depth))
		return;

	if (!memchr(s, '$', len)) {
		final_line(lx, src, s, len, loc);
		return;
	}
	r = expand(lx, src, s, len, loc, &out);
	if ((r & EXP_CHANGED) && out.len <= EXPAND_MAX) {
		/* Values may span lines: each is a line of its own again. */
		const char *p = out.p, *end = out.p + out.len;

		while (!lx->stop && !lx->abort_line) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);

			process_line(lx, src, false, p, ll, loc, depth + 1);
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
	enum phys r;

	if (lx->stop)
		return false;
	r = read_phys(lx, src, &l, &ll);
	if (r == PHYS_EOF)
		return false;
	if (r == PHYS_BAD)
		return true;
	loc.file = src->name;
	loc.line = src->line;
	lx->abort_line = false;
	process_line(lx, src, true, l, ll, &loc, 0);
	return true;
}

static void source_end(struct conf_lexer *lx, struct src *src)
{
	lx->abort_line = false;
	lx->eof_loc.file = src->name;
	lx->eof_loc.line = src->line ? src->line : 1;
}

static void process_source(struct conf_lexer *lx, struct src *src)
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

	text = read_file(lx, path, &len, &st, &why);
	if (!text) {
		struct conf_loc loc = { lx->eof_loc.file, 0 };

		conf_error(ctx, &loc, "cannot read configuration file: %s", why);
		return lx;
	}
	lx->root = src_new(lx, NULL, path, text, len);
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
	lx->root = src_new(lx, NULL, name ? name : "(config)", copy, len);
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
