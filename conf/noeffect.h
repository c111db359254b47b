/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keywords that vigil stores but whose runtime does not act on them yet.
 *
 * The schema accepts them (they are valid keepalived.conf and are checked
 * like any other keyword), but an operator must not believe they work: the
 * schema engine calls conf_noeffect_note() after each statement it applied
 * cleanly, and the first use of each (block, keyword) pair in a load gets one
 * warning with the reason. A no-effect block covers its whole subtree with
 * that one warning.
 */
#ifndef VIGIL_CONF_NOEFFECT_H
#define VIGIL_CONF_NOEFFECT_H

#include "conf/schema.h"

struct conf_noeffect {
	const char *block; /* conf_block.name, or "-" for the top level */
	const char *kw;	   /* conf_kw.name (aliases have entries of their own) */
	const char *why;   /* one line, lower case, no final full stop */
};

extern const struct conf_noeffect conf_noeffect_table[];
extern const unsigned conf_noeffect_count;

/* Index of (blk, kw) in conf_noeffect_table, or -1 when the keyword takes effect. */
int conf_noeffect_find(const struct conf_block *blk, const char *kw);

/* The reason for (blk, kw), or NULL when the keyword takes effect. */
const char *conf_noeffect_reason(const struct conf_block *blk, const char *kw);

/* Warns once per load for table entry idx (from conf_noeffect_find). */
void conf_noeffect_warn(struct conf_ctx *ctx, const struct conf_loc *loc, int idx,
			const char *word);

#endif
