/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer and preprocessor: turns files into a flat token stream with
 * file:line on every token. It owns include (and includer/includem/includew/
 * includeb/includea), '@id' / '@^id' conditional lines, '$NAME=' definitions
 * and '${NAME}' / '$NAME' expansion, and '~SEQ(...)' line replication.
 */
#ifndef VIGIL_CONF_LEXER_H
#define VIGIL_CONF_LEXER_H

#include "conf/tree.h"

enum conf_tok_type {
	CONF_TOK_WORD,
	CONF_TOK_LBRACE,
	CONF_TOK_RBRACE,
	CONF_TOK_EOL,
	CONF_TOK_EOF,
};

struct conf_token {
	enum conf_tok_type type;
	struct conf_loc loc;
	const char *text; /* WORD only: arena string, quotes and escapes resolved */
};

struct conf_lexer;

struct conf_lexer *conf_lexer_open_file(struct conf_ctx *ctx, const char *path);
struct conf_lexer *conf_lexer_open_string(struct conf_ctx *ctx, const char *name,
					  const char *text, unsigned long len);
/* Never fails: problems are errors in ctx and the stream goes on (or ends). */
void conf_lexer_next(struct conf_lexer *lx, struct conf_token *tok);

#endif
