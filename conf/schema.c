/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The schema engine: applies descriptor tables (schema.h) to a statement
 * tree. Every statement is either stored with a validated value, refused as
 * unsupported, or reported as unknown with the closest keyword suggested;
 * nothing is skipped in silence, and the walk goes on after an error so one
 * run reports everything.
 */
#include "conf/schema.h"

#include "conf/noeffect.h"
#include "lib/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- diagnostics ---- */

void conf_ctx_init(struct conf_ctx *ctx, struct arena *arena)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arena = arena;
	ctx->msgs_tail = &ctx->msgs;
}

void conf_verror(struct conf_ctx *ctx, bool is_error, const struct conf_loc *loc,
		 const char *fmt, va_list ap)
{
	struct conf_msg *m;

	if (is_error)
		ctx->n_errors++;
	else
		ctx->n_warnings++;
	if (ctx->n_errors + ctx->n_warnings > CONF_MAX_ERRORS) {
		ctx->n_dropped++;
		return;
	}
	m = arena_alloc(ctx->arena, sizeof(*m));
	m->is_error = is_error;
	if (loc)
		m->loc = *loc;
	else
		m->loc.file = "";
	m->text = arena_vprintf(ctx->arena, fmt, ap);
	*ctx->msgs_tail = m;
	ctx->msgs_tail = &m->next;
}

void conf_error(struct conf_ctx *ctx, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verror(ctx, true, loc, fmt, ap);
	va_end(ap);
}

void conf_warn(struct conf_ctx *ctx, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verror(ctx, false, loc, fmt, ap);
	va_end(ap);
}

/* ---- lists ---- */

void conf_list_append(struct conf_list *l, struct conf_item *it)
{
	it->next = NULL;
	if (!l->tail)
		l->tail = &l->head;
	*l->tail = it;
	l->tail = &it->next;
	l->count++;
}

void conf_list_remove(struct conf_list *l, struct conf_item *it)
{
	struct conf_item **pp;

	for (pp = &l->head; *pp; pp = &(*pp)->next) {
		if (*pp != it)
			continue;
		*pp = it->next;
		if (l->tail == &it->next)
			l->tail = l->count > 1 ? pp : NULL;
		it->next = NULL;
		l->count--;
		return;
	}
}

void *conf_list_find(const struct conf_list *l, const char *name)
{
	struct conf_item *it;

	if (!name)
		return NULL;
	for (it = l->head; it; it = it->next)
		if (it->name && !strcmp(it->name, name))
			return it;
	return NULL;
}

/* ---- suggestions ---- */

/* Optimal string alignment distance (Damerau-Levenshtein without repeated
 * edits of one substring): catches the usual typos and transpositions. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned *d, r;

	if (la > 64 || lb > 64)
		return 1000;
	d = calloc((la + 1) * (lb + 1), sizeof(*d));
	if (!d)
		return 1000;
#define D(x, y) d[(x) * (lb + 1) + (y)]
	for (i = 0; i <= la; i++)
		D(i, 0) = (unsigned)i;
	for (j = 0; j <= lb; j++)
		D(0, j) = (unsigned)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *conf_suggest(const char *word, const char *const *cands, unsigned n)
{
	const char *best = NULL;
	unsigned best_d = 1000, i, limit;
	size_t wl = strlen(word);

	/* Allow about one edit per three letters, at least one, at most three. */
	limit = (unsigned)(wl / 3);
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (i = 0; i < n; i++) {
		unsigned d = edit_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* ---- table lookup ---- */

/*
 * A hash index of each keyword table, made on its first lookup and kept for
 * the life of the process (the tables are constant). A configuration of
 * 10,000 virtual servers has 350,000 statements: a linear scan with strcmp
 * per statement was a third of its load time.
 */
struct kw_index {
	const struct conf_kw *table;
	unsigned mask;
	unsigned short *slot; /* index in table + 1; 0: empty */
};

#define KW_INDEX_MAX 128

static struct kw_index kw_indexes[KW_INDEX_MAX];
static unsigned n_kw_indexes;

static unsigned kw_hash(const char *s)
{
	return hash_str(s);
}

/* NULL (the caller scans) when the index cannot be made. */
static const struct kw_index *kw_index_of(const struct conf_kw *kws)
{
	struct kw_index *x;
	unsigned n = 0, size = 16, i;

	for (i = 0; i < n_kw_indexes; i++)
		if (kw_indexes[i].table == kws)
			return &kw_indexes[i];
	if (n_kw_indexes == KW_INDEX_MAX)
		return NULL;
	while (kws[n].name)
		n++;
	if (n >= 65535)
		return NULL;
	while (size < 2 * n + 1)
		size *= 2;
	x = &kw_indexes[n_kw_indexes];
	x->slot = calloc(size, sizeof(*x->slot));
	if (!x->slot)
		return NULL;
	x->mask = size - 1;
	for (i = 0; i < n; i++) {
		unsigned h;

		if (kws[i].flags & KW_DUMP_ONLY)
			continue;
		/* The first of two equal names wins, as in a scan. */
		for (h = kw_hash(kws[i].name) & x->mask; x->slot[h]; h = (h + 1) & x->mask)
			if (!strcmp(kws[x->slot[h] - 1].name, kws[i].name))
				break;
		if (!x->slot[h])
			x->slot[h] = (unsigned short)(i + 1);
	}
	x->table = kws;
	n_kw_indexes++;
	return x;
}

static const struct conf_kw *find_in(const struct conf_kw *kws, const char *name)
{
	const struct kw_index *x;
	const struct conf_kw *k;

	if (!kws)
		return NULL;
	x = kw_index_of(kws);
	if (x) {
		for (unsigned h = kw_hash(name) & x->mask; x->slot[h]; h = (h + 1) & x->mask)
			if (!strcmp(kws[x->slot[h] - 1].name, name))
				return &kws[x->slot[h] - 1];
		return NULL;
	}
	for (k = kws; k->name; k++)
		if (!(k->flags & KW_DUMP_ONLY) && !strcmp(k->name, name))
			return k;
	return NULL;
}

static const struct conf_kw *find_kw(const struct conf_block *blk, const char *name)
{
	const struct conf_kw *k = find_in(blk->kws, name);

	return k ? k : find_in(blk->kws2, name);
}

/* Collects every keyword name of blk (for suggestions). */
static unsigned block_names(const struct conf_block *blk, const char **out, unsigned max)
{
	const struct conf_kw *tables[2] = { blk->kws, blk->kws2 };
	unsigned n = 0, t;

	for (t = 0; t < 2; t++) {
		const struct conf_kw *k;

		if (!tables[t])
			continue;
		for (k = tables[t]; k->name && n < max; k++)
			if (!(k->flags & KW_DUMP_ONLY))
				out[n++] = k->name;
	}
	return n;
}

/* ---- walking every block ---- */

#define MAX_BLOCKS 256

struct walk_state {
	const struct conf_block *seen[MAX_BLOCKS];
	unsigned n;
};

static bool walk_mark(struct walk_state *w, const struct conf_block *blk)
{
	unsigned i;

	for (i = 0; i < w->n; i++)
		if (w->seen[i] == blk)
			return false;
	if (w->n < MAX_BLOCKS)
		w->seen[w->n++] = blk;
	return true;
}

static void walk_block(struct walk_state *w, const struct conf_block *blk,
		       void (*fn)(const struct conf_block *, const struct conf_kw *, void *),
		       void *arg)
{
	const struct conf_kw *tables[2] = { blk->kws, blk->kws2 };
	unsigned t;

	if (!walk_mark(w, blk))
		return;
	for (t = 0; t < 2; t++) {
		const struct conf_kw *k;

		if (!tables[t])
			continue;
		for (k = tables[t]; k->name; k++) {
			if (fn && !(k->flags & KW_DUMP_ONLY))
				fn(blk, k, arg);
			if ((k->type == CV_BLOCK || k->type == CV_LIST) && k->sub)
				walk_block(w, k->sub, fn, arg);
		}
	}
}

void conf_schema_walk(void (*fn)(const struct conf_block *blk, const struct conf_kw *kw,
				 void *arg),
		      void *arg)
{
	struct walk_state w = { .n = 0 };

	walk_block(&w, &conf_block_top, fn, arg);
}

/* Which other block has this keyword (for "belongs in ..." hints). */
struct owner_search {
	const char *word;
	const struct conf_block *found;
};

static void owner_cb(const struct conf_block *blk, const struct conf_kw *kw, void *arg)
{
	struct owner_search *s = arg;

	if (!s->found && !strcmp(kw->name, s->word))
		s->found = blk;
}

/* ---- argument helpers ---- */

int conf_parse_misplaced(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	(void)obj;
	conf_error(ctx, &st->loc, "'%s' %s", st->argv[0], kw->note);
	return -1;
}

int conf_want_args(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned min,
		   unsigned max)
{
	unsigned n = st->argc - 1;

	if (n < min) {
		if (min == 1 && max == 1)
			conf_error(ctx, &st->loc, "'%s' needs a value", st->argv[0]);
		else
			conf_error(ctx, &st->loc, "'%s' needs at least %u argument%s",
				   st->argv[0], min, min == 1 ? "" : "s");
		return -1;
	}
	if (n > max) {
		if (max == 0)
			conf_error(ctx, &st->loc, "'%s' takes no arguments (found '%s')",
				   st->argv[0], st->argv[1]);
		else if (max == 1)
			conf_error(ctx, &st->loc, "'%s' takes one value, found %u ('%s' is extra)",
				   st->argv[0], n, st->argv[2]);
		else
			conf_error(ctx, &st->loc, "'%s' takes at most %u arguments, found %u",
				   st->argv[0], max, n);
		return -1;
	}
	return 0;
}

int conf_get_int(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, long long min,
		 long long max, long long *out)
{
	const char *why;

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "'%s' needs a value", st->argv[0]);
		return -1;
	}
	if (conf_parse_int(st->argv[i], min, max, out, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s (valid: %lld-%lld)", st->argv[0], st->argv[i],
			   why, min, max);
		return -1;
	}
	return 0;
}

static void fmt_secs(char *buf, size_t len, uint64_t us)
{
	if (us % 1000000ULL == 0)
		snprintf(buf, len, "%llu", (unsigned long long)(us / 1000000ULL));
	else {
		char *p;

		snprintf(buf, len, "%llu.%06llu", (unsigned long long)(us / 1000000ULL),
			 (unsigned long long)(us % 1000000ULL));
		p = buf + strlen(buf) - 1;
		while (*p == '0')
			*p-- = '\0';
	}
}

int conf_get_timer(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, uint64_t min_us,
		   uint64_t max_us, uint64_t *out)
{
	const char *why;
	char lo[32], hi[32];

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "'%s' needs a value", st->argv[0]);
		return -1;
	}
	if (conf_parse_timer(st->argv[i], min_us, max_us, out, &why)) {
		fmt_secs(lo, sizeof(lo), min_us);
		fmt_secs(hi, sizeof(hi), max_us);
		conf_error(ctx, &st->loc, "%s: '%s' %s (valid: %s-%s seconds)", st->argv[0],
			   st->argv[i], why, lo, hi);
		return -1;
	}
	return 0;
}

int conf_get_addr(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, int family,
		  struct conf_addr *out)
{
	const char *why;

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "'%s' needs an address", st->argv[0]);
		return -1;
	}
	if (conf_parse_addr(st->argv[i], family, out, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[i], why);
		return -1;
	}
	return 0;
}

int conf_get_prefix(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, int family,
		    struct conf_prefix *out)
{
	const char *why;

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "'%s' needs an address", st->argv[0]);
		return -1;
	}
	if (conf_parse_prefix(st->argv[i], family, out, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[i], why);
		return -1;
	}
	return 0;
}

int conf_get_port(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, uint16_t *out)
{
	const char *why;

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "'%s' needs a port", st->argv[0]);
		return -1;
	}
	if (conf_parse_port(st->argv[i], out, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[i], why);
		return -1;
	}
	return 0;
}

int conf_get_bool(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, bool *out)
{
	const char *why;

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "'%s' needs on|off|true|false|yes|no", st->argv[0]);
		return -1;
	}
	if (conf_parse_bool(st->argv[i], out, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[i], why);
		return -1;
	}
	return 0;
}

/*
 * keepalived 2.2.7 reads no argument for many on/off keywords (nopreempt,
 * alpha, enable_script_security...): "nopreempt false" turns nopreempt ON
 * there. vigil gives the same meaning; a word that reads as "off" gets a
 * warning saying so, any other unexpected word one saying it is ignored.
 */
void conf_ignored_args(struct conf_ctx *ctx, const struct conf_stmt *st, const char *meaning)
{
	static const char *const agree[] = { "on", "true", "yes", "1", "enable", "enabled" };
	static const char *const deny[] = { "off", "false", "no", "0", "disable", "disabled" };
	const char *w;
	unsigned i;

	if (st->argc < 2)
		return;
	w = st->argv[1];
	for (i = 0; i < sizeof(deny) / sizeof(deny[0]); i++) {
		if (!strcasecmp(w, deny[i])) {
			conf_warn(ctx, &st->loc,
				  "'%s %s' still %s: keepalived ignores the argument, and so does vigil",
				  st->argv[0], w, meaning);
			return;
		}
	}
	for (i = 0; i < sizeof(agree) / sizeof(agree[0]); i++)
		if (st->argc == 2 && !strcasecmp(w, agree[i]))
			return;
	conf_warn(ctx, &st->loc, "'%s': argument '%s' is ignored, as in keepalived; the keyword %s",
		  st->argv[0], w, meaning);
}

char *conf_join_args(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned from)
{
	size_t len = 1, off = 0;
	unsigned i;
	char *s;

	for (i = from; i < st->argc; i++)
		len += strlen(st->argv[i]) + 1;
	s = arena_alloc(ctx->arena, len);
	for (i = from; i < st->argc; i++) {
		size_t l = strlen(st->argv[i]);

		if (off)
			s[off++] = ' ';
		memcpy(s + off, st->argv[i], l);
		off += l;
	}
	s[off] = '\0';
	return s;
}

/* ---- applying values ---- */

#define FIELD(obj, kw, T) ((T *)(void *)((char *)(obj) + (kw)->off))

static int apply_enum(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		      const struct conf_kw *kw)
{
	unsigned i, n = 0;
	size_t len = 0;
	char *list;

	for (i = 0; kw->names[i]; i++) {
		if (!strcasecmp(kw->names[i], st->argv[1])) {
			*FIELD(obj, kw, int) = (int)i;
			return 0;
		}
		len += strlen(kw->names[i]) + 1;
		n++;
	}
	list = arena_alloc(ctx->arena, len + 1);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(list, "|");
		strcat(list, kw->names[i]);
	}
	{
		const char *near = conf_suggest(st->argv[1], (const char *const *)kw->names, n);

		if (near)
			conf_error(ctx, &st->loc, "%s: '%s' is not one of %s; did you mean '%s'?",
				   kw->name, st->argv[1], list, near);
		else
			conf_error(ctx, &st->loc, "%s: '%s' is not one of %s", kw->name, st->argv[1],
				   list);
	}
	return -1;
}

static void init_object(const struct conf_block *blk, void *obj);

static void init_inline_children(const struct conf_block *blk, void *obj)
{
	const struct conf_kw *tables[2] = { blk->kws, blk->kws2 };
	unsigned t;

	for (t = 0; t < 2; t++) {
		const struct conf_kw *k;

		if (!tables[t])
			continue;
		for (k = tables[t]; k->name; k++)
			if (k->type == CV_BLOCK && k->sub && (k->sub->flags & CB_INLINE) &&
			    !(k->flags & KW_ALIAS))
				init_object(k->sub, (char *)obj + k->off);
	}
}

static void init_object(const struct conf_block *blk, void *obj)
{
	if (blk->init)
		blk->init(obj);
	init_inline_children(blk, obj);
}

static unsigned apply_block(struct conf_ctx *ctx, const struct conf_block *blk,
			    const struct conf_stmt *stmts, void *obj, unsigned depth);

static int apply_sub_block(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			   const struct conf_kw *kw, unsigned depth)
{
	const struct conf_block *sub = kw->sub;
	unsigned before = ctx->n_errors;
	struct conf_list *list = NULL;
	struct conf_item *item = NULL;
	void *child;
	bool keep = true;

	if (!st->has_block) {
		conf_error(ctx, &st->loc, "'%s' needs a { ... } block", st->argv[0]);
		return -1;
	}
	if (sub->flags & CB_INLINE) {
		child = (char *)obj + kw->off;
	} else {
		list = FIELD(obj, kw, struct conf_list);
		child = arena_alloc(ctx->arena, sub->size < sizeof(*item) ? sizeof(*item)
										  : sub->size);
		item = child;
		item->loc = st->loc;
		init_object(sub, child);
	}

	if (sub->head) {
		if (sub->head(ctx, st, child, kw))
			keep = false;
	} else if (sub->flags & CB_NAMED) {
		if (st->argc != 2) {
			conf_error(ctx, &st->loc, st->argc < 2 ? "'%s' needs a name: %s NAME { ... }"
							       : "'%s' takes one name: %s NAME { ... }",
				   st->argv[0], st->argv[0]);
			keep = false;
		} else if (item) {
			struct conf_item *dup = conf_list_find(list, st->argv[1]);

			item->name = st->argv[1];
			if (dup) {
				conf_error(ctx, &st->loc, "%s '%s' is already defined at %s:%u",
					   st->argv[0], st->argv[1], dup->loc.file, dup->loc.line);
				keep = false;
			}
		}
	} else if (st->argc > 1) {
		conf_want_args(ctx, st, 0, 0);
	}

	apply_block(ctx, sub, st->children, child, depth + 1);
	if (sub->finish && ctx->n_errors == before)
		sub->finish(ctx, child, st);
	if (item && keep)
		conf_list_append(list, item);
	return ctx->n_errors == before ? 0 : -1;
}

static int apply_list(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		      const struct conf_kw *kw)
{
	const struct conf_block *sub = kw->sub;
	struct conf_list *list = FIELD(obj, kw, struct conf_list);
	const struct conf_stmt *e;
	unsigned before = ctx->n_errors;

	if (!st->has_block) {
		conf_error(ctx, &st->loc, "'%s' needs a { ... } block of entries", st->argv[0]);
		return -1;
	}
	if (st->argc > 1 && !sub->head) {
		conf_want_args(ctx, st, 0, 0);
		return -1;
	}
	if (sub->head && sub->head(ctx, st, obj, kw))
		return -1;
	for (e = st->children; e; e = e->next) {
		struct conf_item *item;

		if (e->has_block) {
			conf_error(ctx, &e->loc, "unexpected block after '%s' in %s", e->argv[0],
				   st->argv[0]);
			continue;
		}
		item = arena_alloc(ctx->arena, sub->size < sizeof(*item) ? sizeof(*item)
										 : sub->size);
		item->loc = e->loc;
		item->name = e->argv[0];
		init_object(sub, item);
		if (!sub->entry) {
			conf_error(ctx, &e->loc, "'%s' cannot hold entries", st->argv[0]);
			return -1;
		}
		if (sub->entry(ctx, e, item, kw) == 0)
			conf_list_append(list, item);
	}
	return ctx->n_errors == before ? 0 : -1;
}

static int apply_value(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	const char *why = NULL;
	const char *v = st->argc > 1 ? st->argv[1] : NULL;

	switch (kw->type) {
	case CV_FLAG:
		if (conf_want_args(ctx, st, 0, 1))
			return -1;
		if (!v) {
			*FIELD(obj, kw, bool) = true;
			return 0;
		}
		return conf_get_bool(ctx, st, 1, FIELD(obj, kw, bool));
	case CV_SWITCH: {
		char meaning[96];

		snprintf(meaning, sizeof(meaning), "turns %s on", kw->name);
		conf_ignored_args(ctx, st, meaning);
		*FIELD(obj, kw, bool) = true;
		return 0;
	}
	case CV_STR_REST:
		if (st->argc < 2 && !(kw->flags & KW_ARGS_OPT))
			return conf_want_args(ctx, st, 1, 1);
		*FIELD(obj, kw, char *) = conf_join_args(ctx, st, 1);
		return 0;
	case CV_STRLIST: {
		struct conf_strlist *sl = FIELD(obj, kw, struct conf_strlist);
		unsigned n = st->argc - 1, i;
		char **nv;

		if (conf_want_args(ctx, st, kw->min > 0 ? (unsigned)kw->min : 1,
				   kw->max > 0 ? (unsigned)kw->max : 100000))
			return -1;
		nv = arena_alloc(ctx->arena, (sl->n + n + 1) * sizeof(char *));
		if (sl->n)
			memcpy(nv, sl->v, sl->n * sizeof(char *));
		for (i = 0; i < n; i++)
			nv[sl->n + i] = st->argv[i + 1];
		sl->v = nv;
		sl->n += n;
		return 0;
	}
	default:
		break;
	}

	if (conf_want_args(ctx, st, 1, 1))
		return -1;

	switch (kw->type) {
	case CV_BOOL:
		return conf_get_bool(ctx, st, 1, FIELD(obj, kw, bool));
	case CV_INT: {
		long long x;

		if (conf_get_int(ctx, st, 1, kw->min, kw->max, &x))
			return -1;
		*FIELD(obj, kw, int) = (int)x;
		return 0;
	}
	case CV_UINT: {
		long long x;

		if (conf_get_int(ctx, st, 1, kw->min, kw->max, &x))
			return -1;
		*FIELD(obj, kw, unsigned) = (unsigned)x;
		return 0;
	}
	case CV_TIMER:
		return conf_get_timer(ctx, st, 1, (uint64_t)kw->min, (uint64_t)kw->max,
				      FIELD(obj, kw, uint64_t));
	case CV_STR:
		*FIELD(obj, kw, char *) = st->argv[1];
		return 0;
	case CV_ENUM:
		return apply_enum(ctx, st, obj, kw);
	case CV_ADDR:
		return conf_get_addr(ctx, st, 1, (int)kw->min, FIELD(obj, kw, struct conf_addr));
	case CV_PREFIX:
		return conf_get_prefix(ctx, st, 1, (int)kw->min,
				       FIELD(obj, kw, struct conf_prefix));
	case CV_PORT:
		return conf_get_port(ctx, st, 1, FIELD(obj, kw, uint16_t));
	case CV_IFNAME:
		if (conf_check_ifname(v, &why)) {
			conf_error(ctx, &st->loc, "%s: '%s' %s", kw->name, v, why);
			return -1;
		}
		*FIELD(obj, kw, char *) = st->argv[1];
		return 0;
	case CV_MAC:
		if (conf_parse_mac(v, FIELD(obj, kw, uint8_t), &why)) {
			conf_error(ctx, &st->loc, "%s: '%s' %s", kw->name, v, why);
			return -1;
		}
		return 0;
	default:
		conf_error(ctx, &st->loc, "internal: keyword '%s' has no value type", kw->name);
		return -1;
	}
}

static bool is_scalar(const struct conf_kw *kw)
{
	switch (kw->type) {
	case CV_BLOCK:
	case CV_LIST:
	case CV_CUSTOM:
	case CV_STRLIST:
	case CV_UNSUPPORTED:
	case CV_OBSOLETE:
		return false;
	default:
		return !(kw->flags & KW_MULTI);
	}
}

const struct conf_kw *conf_schema_canonical(const struct conf_block *blk, const struct conf_kw *kw)
{
	const struct conf_kw *canon = kw;

	while ((canon->flags & KW_ALIAS) && canon != blk->kws && canon != blk->kws2 &&
	       canon[-1].off == kw->off)
		canon--;
	return canon;
}

struct seen_kw {
	const struct conf_kw *kw;
	struct conf_loc loc;
};

/* A scalar given twice in one block: the later value wins, as in keepalived,
 * but the operator is told. */
static void note_repeat(struct conf_ctx *ctx, const struct conf_block *blk,
			const struct conf_stmt *st, const struct conf_kw *kw, struct seen_kw *seen,
			unsigned *nseen)
{
	const struct conf_kw *canon = conf_schema_canonical(blk, kw);
	unsigned i;

	if (!is_scalar(kw))
		return;
	for (i = 0; i < *nseen; i++) {
		if (seen[i].kw == canon) {
			conf_warn(ctx, &st->loc,
				  "'%s' given again; this value replaces the one at line %u",
				  st->argv[0], seen[i].loc.line);
			return;
		}
	}
	if (*nseen < 256) {
		seen[*nseen].kw = canon;
		seen[*nseen].loc = st->loc;
		(*nseen)++;
	}
}

static void report_unknown(struct conf_ctx *ctx, const struct conf_block *blk,
			   const struct conf_stmt *st)
{
	const char *names[1024];
	unsigned n;
	const char *near;
	struct owner_search os = { .word = st->argv[0], .found = NULL };
	const char *where = blk == &conf_block_top ? "at the top level" : NULL;
	char inblk[96];

	/* Past the message cap it is only counted: no suggestion to compute
	 * (a ~SEQ can make a million unknown lines, each a schema search). */
	if (ctx->n_errors + ctx->n_warnings >= CONF_MAX_ERRORS) {
		conf_error(ctx, &st->loc, "unknown keyword");
		return;
	}
	n = block_names(blk, names, 1024);
	near = conf_suggest(st->argv[0], names, n);
	if (!where) {
		snprintf(inblk, sizeof(inblk), "in %s", blk->name);
		where = inblk;
	}
	if (near) {
		conf_error(ctx, &st->loc, "unknown keyword '%s' %s; did you mean '%s'?", st->argv[0],
			   where, near);
		return;
	}
	conf_schema_walk(owner_cb, &os);
	if (os.found && os.found != blk) {
		const char *owner = os.found == &conf_block_top ? "the top level" : os.found->name;

		conf_error(ctx, &st->loc, "keyword '%s' is not valid %s (it belongs in %s)",
			   st->argv[0], where, owner);
		return;
	}
	conf_error(ctx, &st->loc, "unknown keyword '%s' %s", st->argv[0], where);
}

#define MAX_DEPTH 32

static unsigned apply_block(struct conf_ctx *ctx, const struct conf_block *blk,
			    const struct conf_stmt *stmts, void *obj, unsigned depth)
{
	unsigned before = ctx->n_errors;
	const struct conf_stmt *st;
	/* First place each scalar keyword was given, to warn on repeats. */
	struct seen_kw seen[256];
	unsigned nseen = 0;

	if (depth > MAX_DEPTH) {
		if (stmts)
			conf_error(ctx, &stmts->loc, "blocks nested too deeply");
		return 1;
	}
	for (st = stmts; st; st = st->next) {
		const struct conf_kw *kw = find_kw(blk, st->argv[0]);
		unsigned errs;
		int noeff;

		if (!kw) {
			report_unknown(ctx, blk, st);
			continue;
		}
		if (kw->type == CV_UNSUPPORTED) {
			conf_error(ctx, &st->loc, "'%s' is recognised but not supported by vigil%s%s",
				   st->argv[0], kw->note ? ": " : "", kw->note ? kw->note : "");
			continue;
		}
		if (kw->type == CV_OBSOLETE) {
			conf_warn(ctx, &st->loc, "'%s' is obsolete and has no effect%s%s",
				  st->argv[0], kw->note ? ": " : "", kw->note ? kw->note : "");
			continue;
		}
		if (st->has_block && kw->type != CV_BLOCK && kw->type != CV_LIST &&
		    kw->type != CV_CUSTOM) {
			conf_error(ctx, &st->loc, "'%s' does not take a { ... } block", st->argv[0]);
			continue;
		}
		if (kw->flags & KW_OLD_NAME)
			conf_warn(ctx, &st->loc,
				  "'%s' is an old spelling of '%s' (keepalived reads both); write '%s' "
				  "instead",
				  st->argv[0], kw->note, kw->note);
		/* Stored but not acted on yet: one warning per keyword, and none
		 * from inside a no-effect block (its warning covers it). */
		noeff = ctx->noeffect_depth ? -1
					    : conf_noeffect_find(blk, conf_schema_canonical(blk, kw)->name);
		errs = ctx->n_errors;
		if (noeff >= 0)
			ctx->noeffect_depth++;
		switch (kw->type) {
		case CV_BLOCK:
			apply_sub_block(ctx, st, obj, kw, depth);
			break;
		case CV_LIST:
			apply_list(ctx, st, obj, kw);
			break;
		case CV_CUSTOM:
			if (!kw->parse) {
				conf_error(ctx, &st->loc, "internal: '%s' has no parser", kw->name);
				break;
			}
			if (st->has_block && !kw->sub) {
				/* Custom keywords handle their own blocks only when
				 * they say so by naming a sub-block. */
				conf_error(ctx, &st->loc, "'%s' does not take a { ... } block",
					   st->argv[0]);
				break;
			}
			kw->parse(ctx, st, obj, kw);
			break;
		default:
			if (apply_value(ctx, st, obj, kw))
				break;
			note_repeat(ctx, blk, st, kw, seen, &nseen);
			if (kw->parse)
				kw->parse(ctx, st, obj, kw);
			break;
		}
		if (noeff >= 0) {
			ctx->noeffect_depth--;
			if (ctx->n_errors == errs)
				conf_noeffect_warn(ctx, &st->loc, noeff, st->argv[0]);
		}
	}
	return ctx->n_errors - before;
}

unsigned conf_schema_apply(struct conf_ctx *ctx, const struct conf_block *blk,
			   const struct conf_stmt *stmts, void *obj)
{
	return apply_block(ctx, blk, stmts, obj, 0);
}

void conf_schema_init(const struct conf_block *blk, void *obj)
{
	init_object(blk, obj);
}

/* ---- the top level ---- */

const struct conf_block conf_block_top = {
	.name = "top level",
	.kws = conf_top_vrrp_kws,
	.kws2 = conf_top_lvs_kws,
};
