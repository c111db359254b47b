/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The statement tree builder: tokens in, statements and blocks out.
 *
 * A statement is the words up to an end of line, '{' or '}'. A '{' right
 * after the words, or after only ends of line, opens its block. Errors
 * (stray braces, blocks left open, nesting too deep) are reported and the
 * build goes on, so one run shows every problem.
 */
#include "conf/tree.h"

#include <stdlib.h>
#include <string.h>

#include "conf/lexer.h"
#include "conf/schema.h"

#define TREE_DEPTH_MAX 64

struct frame {
	struct conf_stmt *owner; /* NULL: contents dropped ('{' without keyword) */
	const char *kw;		 /* for the error when it is not closed */
	struct conf_loc open_loc;
	struct conf_stmt **tail;
};

struct builder {
	struct conf_ctx *ctx;
	struct conf_stmt *root;
	struct frame stack[TREE_DEPTH_MAX + 1];
	unsigned depth;	   /* frames in use above the root (stack[0]) */
	unsigned overflow; /* blocks open beyond the limit, contents dropped */
	struct conf_loc overflow_loc;
	struct conf_stmt *dummy_tail; /* where dropped statements go */
	char **words;
	unsigned nwords, cap;
};

static void push_word(struct builder *b, const char *w)
{
	if (b->nwords == b->cap) {
		unsigned cap = b->cap ? b->cap * 2 : 16;
		char **nw = realloc(b->words, cap * sizeof(*nw));

		if (!nw)
			abort();
		b->words = nw;
		b->cap = cap;
	}
	b->words[b->nwords++] = (char *)w;
}

static bool dropping(const struct builder *b)
{
	return b->overflow || (b->depth && !b->stack[b->depth].owner);
}

/* Turns the collected words into a statement in the current block. */
static struct conf_stmt *finish_stmt(struct builder *b, const struct conf_loc *loc)
{
	struct conf_stmt *st = arena_alloc(b->ctx->arena, sizeof(*st));
	struct frame *f = &b->stack[b->depth];

	st->loc = *loc;
	st->argc = b->nwords;
	st->argv = arena_alloc(b->ctx->arena, (b->nwords + 1) * sizeof(char *));
	memcpy(st->argv, b->words, b->nwords * sizeof(char *));
	b->nwords = 0;
	if (!dropping(b)) {
		*f->tail = st;
		f->tail = &st->next;
	}
	return st;
}

static void open_block(struct builder *b, struct conf_stmt *owner, const struct conf_loc *loc)
{
	struct frame *f;
	bool parent_dropped;

	if (b->overflow || b->depth == TREE_DEPTH_MAX) {
		if (!b->overflow++) {
			b->overflow_loc = owner ? owner->loc : *loc;
			conf_error(b->ctx, &b->overflow_loc, "blocks nested more than %d deep",
				   TREE_DEPTH_MAX);
		}
		return;
	}
	parent_dropped = dropping(b);
	if (owner)
		owner->has_block = true;
	f = &b->stack[++b->depth];
	/* inside a dropped block everything is dropped */
	f->owner = parent_dropped ? NULL : owner;
	f->kw = owner ? owner->argv[0] : NULL;
	f->open_loc = owner ? owner->loc : *loc;
	f->tail = f->owner ? &owner->children : &b->dummy_tail;
}

static void close_block(struct builder *b, const struct conf_loc *loc)
{
	if (b->overflow) {
		b->overflow--;
		return;
	}
	if (!b->depth) {
		conf_error(b->ctx, loc, "'}' without a matching '{'");
		return;
	}
	if (b->stack[b->depth].owner)
		b->stack[b->depth].owner->end_loc = *loc;
	b->depth--;
}

static struct conf_stmt *build(struct conf_ctx *ctx, struct conf_lexer *lx)
{
	struct builder b = { .ctx = ctx };
	struct conf_stmt *pending = NULL; /* ended by EOL; a '{' may still follow */
	struct conf_loc first = { 0 };
	struct conf_token t;

	b.stack[0].tail = &b.root;
	for (;;) {
		conf_lexer_next(lx, &t);
		if (t.type == CONF_TOK_WORD) {
			if (!b.nwords)
				first = t.loc;
			push_word(&b, t.text);
			pending = NULL;
			continue;
		}
		if (b.nwords) {
			struct conf_stmt *st = finish_stmt(&b, &first);

			if (t.type == CONF_TOK_LBRACE) {
				open_block(&b, st, &t.loc);
				continue;
			}
			if (t.type == CONF_TOK_EOL) {
				pending = st;
				continue;
			}
		}
		switch (t.type) {
		case CONF_TOK_EOL:
			break;
		case CONF_TOK_LBRACE:
			if (pending) {
				open_block(&b, pending, &t.loc);
			} else {
				conf_error(ctx, &t.loc, "'{' without a keyword before it");
				open_block(&b, NULL, &t.loc);
			}
			pending = NULL;
			break;
		case CONF_TOK_RBRACE:
			close_block(&b, &t.loc);
			pending = NULL;
			break;
		case CONF_TOK_EOF:
			if (b.overflow)
				conf_error(ctx, &b.overflow_loc,
					   "block is not closed (missing '}')");
			while (b.depth) {
				struct frame *f = &b.stack[b.depth--];

				if (f->kw)
					conf_error(ctx, &f->open_loc,
						   "'%s' block is not closed (missing '}')", f->kw);
				else
					conf_error(ctx, &f->open_loc,
						   "block is not closed (missing '}')");
			}
			free(b.words);
			return b.root;
		case CONF_TOK_WORD:
			break;
		}
	}
}

struct conf_stmt *conf_tree_parse_file(struct conf_ctx *ctx, const char *path)
{
	return build(ctx, conf_lexer_open_file(ctx, path));
}

struct conf_stmt *conf_tree_parse_string(struct conf_ctx *ctx, const char *name, const char *text,
					 unsigned long len)
{
	return build(ctx, conf_lexer_open_string(ctx, name, text, len));
}
