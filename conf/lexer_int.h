/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer's insides, shared by its files and by nothing else:
 *   lexer.c          sources, lines ('@id' selection), tokens, the work budget
 *   lexer_vars.c     '$NAME=' definitions and '$NAME' / '${NAME}' substitution
 *   lexer_seq.c      '~SEQ' / '~LST' line replication
 *   lexer_include.c  reading files, include* lines and include_check
 * One section below per file, with what that file offers the others.
 */
#ifndef VIGIL_CONF_LEXER_INT_H
#define VIGIL_CONF_LEXER_INT_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "conf/lexer.h"
#include "conf/schema.h"

/* ---- limits on hostile input (the work budget is in lexer.c) ---- */

#define LINE_MAX_LEN (64 * 1024)       /* one physical or expanded line */
#define EXPAND_MAX (1024 * 1024)       /* one substitution result (may be multi-line) */
#define DEF_MAX (1024 * 1024)	       /* one definition value */
#define FILE_MAX (64ull * 1024 * 1024) /* one config file */
#define DEPTH_MAX 32		       /* nested substitutions and ~SEQ/~LST */
#define INCLUDE_DEPTH_MAX 32
#define SEQ_MAX 100000 /* iterations of one ~SEQ / ~LST */
#define BRACE_ALTS_MAX 256
#define LST_VARS_MAX 64
#define TOK_CHUNK 512
#define DEF_BUCKETS 256

/* ---- the lexer's state ---- */

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
	/* Defined with a '\\' at the end of its first line: keepalived (lib/parser.c
	 * find_definition) substitutes it only where it ends a line. */
	bool multiline;
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

/* ---- scratch buffers: malloc'd, freed before the call that made them returns ---- */

struct sbuf {
	char *p;
	size_t len, cap;
};

static inline void sb_grow(struct sbuf *b, size_t more)
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

static inline void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void sb_addc(struct sbuf *b, char c)
{
	sb_add(b, &c, 1);
}

static inline void sb_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- characters ---- */

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static inline bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static inline void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static inline bool valid_name(const char *s, size_t len)
{
	if (!len || !is_name_start(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

/* ---- lexer.c ---- */

enum conf_lex_phys { PHYS_OK, PHYS_BAD, PHYS_EOF };

/* The next physical line of src, without its '\n' and comment, trimmed. */
enum conf_lex_phys conf_lex_read_phys(struct conf_lexer *lx, struct src *src, const char **line,
				      size_t *len);
struct src *conf_lex_src_new(struct conf_lexer *lx, struct src *parent, const char *name,
			     const char *text, size_t len);
/* Every line of src, to its end (or until the budget runs out). */
void conf_lex_process_source(struct conf_lexer *lx, struct src *src);
/*
 * One logical line. physical: s is a line of src, so a multi-line
 * definition may read the lines after it. depth counts nested
 * substitutions and ~SEQ/~LST levels.
 */
void conf_lex_process_line(struct conf_lexer *lx, struct src *src, bool physical, const char *s,
			   size_t len, const struct conf_loc *loc, unsigned depth);

/* ---- lexer_vars.c ---- */

struct def *conf_lex_def_find(struct conf_lexer *lx, const char *name, size_t len);
/* value == NULL undefines. The value is copied into the arena. */
void conf_lex_def_set(struct conf_lexer *lx, const char *name, size_t len, const char *value,
		      size_t vlen);
/* A '$NAME=value' line (continued on the lines after it while they end in
 * '\' and physical is set) is stored; false if s is not a definition. */
bool conf_lex_define(struct conf_lexer *lx, struct src *src, bool physical, const char *s,
		     size_t len, const struct conf_loc *loc);

/* conf_lex_expand() result bits */
enum { EXP_CHANGED = 1, EXP_ERROR = 2 };

/* Substitutes every reference in s[0..len) once into out. */
int conf_lex_expand(struct conf_lexer *lx, const struct src *src, const char *s, size_t len,
		    const struct conf_loc *loc, struct sbuf *out);

/* ---- lexer_seq.c ---- */

/* s starts with "~SEQ", "~SEQx" or "~LST": runs the rest of the line once per
 * value. False if it is not one of them after all. */
bool conf_lex_try_seq(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
		      const struct conf_loc *loc, unsigned depth);

/* ---- lexer_include.c ---- */

/*
 * Reads a whole config file into the arena. Returns NULL with *why set
 * (a static reason) when it cannot be used.
 */
char *conf_lex_read_file(struct conf_lexer *lx, const char *path, size_t *len, struct stat *st,
			 const char **why);
/* An include* line is read (its files' tokens emitted); false if the line is
 * not one. w is the length of its first word. */
bool conf_lex_include(struct conf_lexer *lx, struct src *src, const char *s, size_t len, size_t w,
		      const struct conf_loc *loc);
/* include_check [[+|-]readable|match|wildcard_match|brace_match ...]: s is
 * what follows the keyword. */
void conf_lex_include_check(struct conf_lexer *lx, struct src *src, const char *s, size_t len,
			    const struct conf_loc *loc);

#endif
