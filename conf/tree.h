/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The statement tree: what the config text says, before any meaning is
 * given to it. keepalived.conf is line oriented: a statement is the words of
 * one logical line; a statement followed by '{' owns the statements up to the
 * matching '}'. The schema (schema.h) then turns the tree into the model.
 */
#ifndef VIGIL_CONF_TREE_H
#define VIGIL_CONF_TREE_H

#include <stdbool.h>

struct conf_loc {
	const char *file; /* arena string, never NULL */
	unsigned line;    /* 1-based */
};

struct conf_stmt {
	struct conf_stmt *next;
	struct conf_loc loc;
	unsigned argc;            /* >= 1: argv[0] is the keyword */
	char **argv;              /* arena strings, quotes removed */
	bool has_block;           /* followed by { ... } (possibly empty) */
	struct conf_stmt *children; /* statements in the block, in order */
	struct conf_loc end_loc;  /* where the block's '}' stood */
};

struct conf_ctx;

/*
 * Lexes, preprocesses (include, @conditionals, $variables, ~SEQ) and builds
 * the tree. Errors go to ctx->errors with file:line and parsing continues, so
 * one run reports them all. Returns the first top-level statement (may be
 * NULL for an empty file).
 */
struct conf_stmt *conf_tree_parse_file(struct conf_ctx *ctx, const char *path);
struct conf_stmt *conf_tree_parse_string(struct conf_ctx *ctx, const char *name,
					 const char *text, unsigned long len);

#endif
