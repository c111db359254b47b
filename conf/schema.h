/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The schema: descriptor tables that give the statement tree its meaning.
 *
 * Every block of keepalived.conf is a `struct conf_block` and every keyword a
 * `struct conf_kw` saying where its value lives (offsetof into the block's
 * struct), its type and its valid range. One table drives three things:
 * parsing with validation (schema.c), the JSON dump (dump.c) and the keyword
 * list that the man page is checked against. Keywords that vigil does not
 * implement are in the tables too, as CV_UNSUPPORTED, so they fail with
 * "recognised but not supported by vigil" instead of "unknown keyword".
 */
#ifndef VIGIL_CONF_SCHEMA_H
#define VIGIL_CONF_SCHEMA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "conf/tree.h"
#include "conf/value.h"

struct json;

/* ---- diagnostics ---- */

struct conf_msg {
	struct conf_msg *next;
	bool is_error;
	struct conf_loc loc;
	const char *text;
};

#define CONF_MAX_ERRORS 1000 /* a hostile file cannot make us print forever */
#define CONF_NO_INCLUDE 0x1u /* fuzzing and tests: include is an error */

struct conf_ctx {
	struct arena *arena;
	struct conf_msg *msgs, **msgs_tail;
	unsigned n_errors, n_warnings, n_dropped;
	const char *config_id; /* for '@id' lines; NULL matches nothing */
	unsigned flags;
	void *model; /* struct conf_model * while the schema runs */
	/* noeffect.c: one flag per conf_noeffect_table entry already warned
	 * about (arena memory, made on first use), and how many no-effect
	 * blocks the walk is inside (their subtrees do not warn again). */
	unsigned char *noeffect_seen;
	unsigned noeffect_depth;
};

void conf_ctx_init(struct conf_ctx *ctx, struct arena *arena);
void conf_error(struct conf_ctx *ctx, const struct conf_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void conf_warn(struct conf_ctx *ctx, const struct conf_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void conf_verror(struct conf_ctx *ctx, bool is_error, const struct conf_loc *loc,
		 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

/* ---- lists of model objects ---- */

/* Every object kept in a conf_list starts with this header. */
struct conf_item {
	struct conf_item *next;
	struct conf_loc loc;
	const char *name; /* named blocks (vrrp_instance VI_1) and list entries */
};

struct conf_list {
	struct conf_item *head;
	struct conf_item **tail; /* NULL while empty */
	unsigned count;
};

void conf_list_append(struct conf_list *l, struct conf_item *it);
/* Unlinks it (the model owns its memory still). */
void conf_list_remove(struct conf_list *l, struct conf_item *it);
void *conf_list_find(const struct conf_list *l, const char *name);

#define conf_list_for_each(type, var, list)                                                  \
	for (type *var = (type *)(void *)(list)->head; var;                                  \
	     var = (type *)(void *)((struct conf_item *)(void *)var)->next)

/* A keyword taking several words, repeatable (each use appends). */
struct conf_strlist {
	char **v;
	unsigned n;
};

/* ---- descriptors ---- */

enum conf_vtype {
	CV_FLAG,        /* bool: keyword alone means true; an optional <BOOL> may follow */
	CV_SWITCH,      /* bool: the keyword turns it on; keepalived ignores any argument,
	                 * so vigil does too, with a warning when it reads as "off" */
	CV_BOOL,        /* bool: <BOOL> required */
	CV_INT,         /* int in [min, max] */
	CV_UINT,        /* unsigned in [min, max] */
	CV_TIMER,       /* uint64_t microseconds; text in seconds; [min, max] in us */
	CV_STR,         /* char *: exactly one word */
	CV_STR_REST,    /* char *: all remaining words joined by one space (scripts) */
	CV_STRLIST,     /* struct conf_strlist: all remaining words, appended on repeat */
	CV_ENUM,        /* int: index into names[] */
	CV_ADDR,        /* struct conf_addr; min = AF_UNSPEC / AF_INET / AF_INET6 */
	CV_PREFIX,      /* struct conf_prefix; min = family as for CV_ADDR */
	CV_PORT,        /* uint16_t */
	CV_IFNAME,      /* char *, checked as an interface name */
	CV_MAC,         /* uint8_t[6] */
	CV_BLOCK,       /* sub-block: conf_list at off (or the struct itself, CB_INLINE) */
	CV_LIST,        /* block of entries: each line parsed by sub->entry into a list */
	CV_CUSTOM,      /* parse() does it all; dump() (optional) prints it. A statement
	                 * with a { } block is refused unless .sub is set, in which
	                 * case parse() handles st->children itself */
	CV_UNSUPPORTED, /* recognised keyword vigil refuses: error with note */
	CV_OBSOLETE,    /* accepted, has no effect anywhere: warning with note */
};

/* conf_kw.flags */
#define KW_ALIAS 0x01u     /* another spelling of the entry before it: not dumped */
#define KW_DUMP_ONLY 0x02u /* not a keyword: a field filled by a custom parser, dumped */
#define KW_MULTI 0x04u     /* may be repeated without a warning */
#define KW_ARGS_OPT 0x08u  /* CV_STR/CV_STR_REST: the argument may be missing ("") */
#define KW_OLD_NAME 0x10u  /* with KW_ALIAS: a deprecated spelling keepalived 2.2.7 still
			    * reads; warns "write <note> instead" */

struct conf_kw;
typedef int (*conf_parse_fn)(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw);
typedef void (*conf_dump_fn)(struct json *j, const void *obj, const struct conf_kw *kw);

struct conf_block;

struct conf_kw {
	const char *name;
	enum conf_vtype type;
	size_t off;
	long long min, max;           /* CV_INT/UINT/TIMER ranges, STRLIST word counts */
	const char *const *names;     /* CV_ENUM: NULL-terminated */
	const struct conf_block *sub; /* CV_BLOCK / CV_LIST */
	conf_parse_fn parse;          /* CV_CUSTOM (and optional post-hook otherwise) */
	conf_dump_fn dump;            /* CV_CUSTOM, KW_DUMP_ONLY overrides */
	const char *note;             /* CV_UNSUPPORTED / CV_OBSOLETE: why */
	unsigned flags;
};

/* conf_block.flags */
#define CB_NAMED 0x01u  /* "kw NAME {": argv[1] is the item name, unique in its list */
#define CB_INLINE 0x02u /* the struct is embedded at kw->off, no list (global_defs) */
#define CB_ANON 0x04u   /* "kw {" with no words after the keyword */

struct conf_block {
	const char *name; /* as in the config: "vrrp_instance" */
	size_t size;      /* sizeof the struct (0 for CB_INLINE blocks is fine) */
	unsigned flags;
	const struct conf_kw *kws;  /* terminated by an entry with name == NULL */
	const struct conf_kw *kws2; /* optional second table, same rules */
	/* Defaults, called on a new zeroed object. */
	void (*init)(void *obj);
	/* Words after the keyword when the block is not simply CB_NAMED/CB_ANON
	 * (real_server ADDR PORT {). Returns 0 or -1 (error reported). */
	conf_parse_fn head;
	/* CV_LIST: parses one entry line into a new zeroed item (already init'd). */
	conf_parse_fn entry;
	/* After the block's statements: checks that need the whole block. */
	int (*finish)(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st);
};

/* Walks stmts against blk, filling obj. Errors are reported; returns the
 * number of errors found in this walk. */
unsigned conf_schema_apply(struct conf_ctx *ctx, const struct conf_block *blk,
			   const struct conf_stmt *stmts, void *obj);

/* The root of the language; its kws/kws2 are the top-level keywords. */
extern const struct conf_block conf_block_top;

/* Each area exports its top-level keywords (offsets into struct conf_model). */
extern const struct conf_kw conf_top_vrrp_kws[]; /* kw_global.c: global_defs, static_*, vrrp_*, bfd */
extern const struct conf_kw conf_top_lvs_kws[];  /* kw_lvs.c: virtual_server(_group) */

/* Calls fn for every keyword of every block reachable from conf_block_top
 * (each block once): the man page check and `vigild --list-keywords`. */
void conf_schema_walk(void (*fn)(const struct conf_block *blk, const struct conf_kw *kw,
				 void *arg),
		      void *arg);

/* The keyword an alias (KW_ALIAS) spells: the entry before it with the same
 * field; kw itself otherwise. */
const struct conf_kw *conf_schema_canonical(const struct conf_block *blk, const struct conf_kw *kw);

/* Runs init hooks of blk and of its inline sub-blocks on a zeroed obj. */
void conf_schema_init(const struct conf_block *blk, void *obj);

/* Dumps obj by blk's descriptors as one JSON object. */
void conf_schema_dump(struct json *j, const struct conf_block *blk, const void *obj);

/* Closest of the candidates to word (edit distance), or NULL if none is close. */
const char *conf_suggest(const char *word, const char *const *cands, unsigned n);

/* Helpers for custom parsers: the same messages everywhere. */
/* CV_CUSTOM parser for a keyword keepalived reads elsewhere, not here: the
 * error "'KEYWORD' NOTE" (.note says where it belongs and what keepalived
 * does with it here). */
int conf_parse_misplaced(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw);
int conf_want_args(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned min,
		   unsigned max);
int conf_get_int(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, long long min,
		 long long max, long long *out);
int conf_get_timer(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, uint64_t min_us,
		   uint64_t max_us, uint64_t *out);
int conf_get_addr(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, int family,
		  struct conf_addr *out);
int conf_get_prefix(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, int family,
		    struct conf_prefix *out);
int conf_get_port(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, uint16_t *out);
int conf_get_bool(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, bool *out);
/* For a keyword whose keepalived handler ignores its arguments: warns about
 * any word after it that does not agree with `meaning` (what the keyword does
 * alone, e.g. "turns nopreempt on"). Never an error. */
void conf_ignored_args(struct conf_ctx *ctx, const struct conf_stmt *st, const char *meaning);
/* Joins argv[from..] with single spaces into an arena string. */
char *conf_join_args(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned from);

/* ---- table-writing shorthands ---- */
#define KWF(kwname, T, field) .name = (kwname), .off = offsetof(T, field)
#define KW_FLAG(n, T, f) { KWF(n, T, f), .type = CV_FLAG }
#define KW_SWITCH(n, T, f) { KWF(n, T, f), .type = CV_SWITCH }
#define KW_BOOL(n, T, f) { KWF(n, T, f), .type = CV_BOOL }
#define KW_INT(n, T, f, lo, hi) { KWF(n, T, f), .type = CV_INT, .min = (lo), .max = (hi) }
#define KW_UINT(n, T, f, lo, hi) { KWF(n, T, f), .type = CV_UINT, .min = (lo), .max = (hi) }
#define KW_TIMER(n, T, f, lo_us, hi_us)                                                      \
	{ KWF(n, T, f), .type = CV_TIMER, .min = (lo_us), .max = (hi_us) }
#define KW_STR(n, T, f) { KWF(n, T, f), .type = CV_STR }
#define KW_REST(n, T, f) { KWF(n, T, f), .type = CV_STR_REST }
#define KW_STRLIST(n, T, f, lo, hi)                                                          \
	{ KWF(n, T, f), .type = CV_STRLIST, .min = (lo), .max = (hi), .flags = KW_MULTI }
#define KW_ENUM(n, T, f, nm) { KWF(n, T, f), .type = CV_ENUM, .names = (nm) }
#define KW_ADDR(n, T, f, fam) { KWF(n, T, f), .type = CV_ADDR, .min = (fam) }
#define KW_PREFIX(n, T, f, fam) { KWF(n, T, f), .type = CV_PREFIX, .min = (fam) }
#define KW_PORT(n, T, f) { KWF(n, T, f), .type = CV_PORT }
#define KW_IFNAME(n, T, f) { KWF(n, T, f), .type = CV_IFNAME }
#define KW_MAC(n, T, f) { KWF(n, T, f), .type = CV_MAC }
#define KW_BLOCK(n, T, f, blk) { KWF(n, T, f), .type = CV_BLOCK, .sub = (blk), .flags = KW_MULTI }
#define KW_LIST(n, T, f, blk) { KWF(n, T, f), .type = CV_LIST, .sub = (blk), .flags = KW_MULTI }
#define KW_CUSTOM(n, fn, dfn) { .name = (n), .type = CV_CUSTOM, .parse = (fn), .dump = (dfn) }
#define KW_UNSUPPORTED(n, why) { .name = (n), .type = CV_UNSUPPORTED, .note = (why) }
#define KW_OBSOLETE(n, why) { .name = (n), .type = CV_OBSOLETE, .note = (why) }
#define KW_END { .name = NULL }

#define US_PER_SEC 1000000LL

#endif
