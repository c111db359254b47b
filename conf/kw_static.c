/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static addresses, routes and rules, and the entry parsers they share with
 * vrrp_instance (virtual_ipaddress, virtual_routes, virtual_rules): each
 * option of an entry line is a row of conf_vip_opts, conf_route_opts or
 * conf_rule_opts, walked by entry_walk(). Also track groups, interface
 * up/down delays, and small custom parsers used by every VRRP-side table
 * (scripts, tri-states, lists of names).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "conf/model.h"

#define FIELD(obj, kw, T) ((T *)(void *)((char *)(obj) + (kw)->off))
#define CFIELD(obj, kw, T) ((const T *)(const void *)((const char *)(obj) + (kw)->off))

const char *const conf_scope_names[] = { "global", "site", "link", "host", "nowhere", NULL };
const char *const conf_route_type_names[] = { "unicast",   "blackhole", "unreachable", "prohibit",
					      "throw",	   "local",	"broadcast",   "anycast",
					      "multicast", NULL };
const char *const conf_rule_action_names[] = { "table",	      "goto",	  "nop", "blackhole",
					       "unreachable", "prohibit", NULL };

const struct conf_block conf_block_custom_children = { .name = "(entries)" };

/* ---- shared small parsers ---- */

int conf_parse_script(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		      const struct conf_kw *kw)
{
	struct conf_script *s = FIELD(obj, kw, struct conf_script);

	if (conf_want_args(ctx, st, 1, 3))
		return -1;
	if (!st->argv[1][0]) {
		conf_error(ctx, &st->loc, "%s: the script or file name is empty", st->argv[0]);
		return -1;
	}
	s->cmd = st->argv[1];
	s->user = st->argc > 2 ? st->argv[2] : NULL;
	s->group = st->argc > 3 ? st->argv[3] : NULL;
	return 0;
}

void conf_dump_script(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_script *s = CFIELD(obj, kw, struct conf_script);

	if (!s->cmd) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "cmd", s->cmd);
	json_kstr(j, "user", s->user);
	json_kstr(j, "group", s->group);
	json_obj_end(j);
}

int conf_parse_tristate(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw)
{
	bool v = true;

	if (conf_want_args(ctx, st, 0, 1))
		return -1;
	if (st->argc > 1 && conf_get_bool(ctx, st, 1, &v))
		return -1;
	*FIELD(obj, kw, int8_t) = v ? 1 : 0;
	return 0;
}

void conf_dump_tristate(struct json *j, const void *obj, const struct conf_kw *kw)
{
	int8_t v = *CFIELD(obj, kw, int8_t);

	if (v == CONF_TRI_UNSET)
		json_null(j);
	else
		json_bool(j, v);
}

void conf_dump_unset_uint(struct json *j, const void *obj, const struct conf_kw *kw)
{
	unsigned v = *CFIELD(obj, kw, unsigned);

	if (v == CONF_UNSET)
		json_null(j);
	else
		json_uint(j, v);
}

void conf_dump_unset_timer(struct json *j, const void *obj, const struct conf_kw *kw)
{
	uint64_t v = *CFIELD(obj, kw, uint64_t);

	if (v == CONF_UNSET_TIMER)
		json_null(j);
	else
		json_double(j, (double)v / 1e6);
}

/* "kw { NAME NAME ... }": every word of every line becomes a conf_name. */
int conf_parse_names(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw)
{
	struct conf_list *l = FIELD(obj, kw, struct conf_list);
	const struct conf_stmt *e;
	unsigned i;

	if (!st->has_block) {
		conf_error(ctx, &st->loc, "'%s' needs a { ... } block of names", st->argv[0]);
		return -1;
	}
	if (conf_want_args(ctx, st, 0, 0))
		return -1;
	for (e = st->children; e; e = e->next) {
		if (e->has_block) {
			conf_error(ctx, &e->loc, "unexpected block after '%s' in %s", e->argv[0],
				   st->argv[0]);
			continue;
		}
		for (i = 0; i < e->argc; i++) {
			struct conf_name *n = arena_alloc(ctx->arena, sizeof(*n));

			n->hdr.loc = e->loc;
			n->hdr.name = e->argv[i];
			conf_list_append(l, &n->hdr);
		}
	}
	return 0;
}

void conf_dump_names(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_list *l = CFIELD(obj, kw, struct conf_list);
	const struct conf_item *it;

	json_arr_begin(j);
	for (it = l->head; it; it = it->next)
		json_str(j, it->name);
	json_arr_end(j);
}

/* "kw { WORD ... }" into a conf_strlist. */
int conf_parse_words(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw)
{
	struct conf_strlist *sl = FIELD(obj, kw, struct conf_strlist);
	const struct conf_stmt *e;
	unsigned n = 0, i;
	char **nv;

	if (!st->has_block) {
		conf_error(ctx, &st->loc, "'%s' needs a { ... } block", st->argv[0]);
		return -1;
	}
	if (conf_want_args(ctx, st, 0, 0))
		return -1;
	for (e = st->children; e; e = e->next)
		n += e->argc;
	nv = arena_alloc(ctx->arena, (sl->n + n + 1) * sizeof(char *));
	if (sl->n)
		memcpy(nv, sl->v, sl->n * sizeof(char *));
	for (e = st->children; e; e = e->next) {
		if (e->has_block) {
			conf_error(ctx, &e->loc, "unexpected block after '%s' in %s", e->argv[0],
				   st->argv[0]);
			continue;
		}
		for (i = 0; i < e->argc; i++)
			nv[sl->n++] = e->argv[i];
	}
	sl->v = nv;
	return 0;
}

/* ---- the option loop of address, route and rule lines ---- */

/*
 * An entry line is its options: each word is looked up in the kind's rows
 * (conf_entry_opt, model_vrrp.h), the loop checks that the words the option
 * needs follow it, and the row's handler stores the value. A handler says
 * how it went with one of these:
 */
enum {
	EO_ABANDON = -1, /* error reported; the line is given up */
	EO_OK = 0,
	EO_ERR = 1, /* error reported; the rest of the line is still checked */
};

struct entry_kind {
	const char *name; /* what messages begin with when the list keyword is unknown */
	const struct conf_entry_opt *opts;
	const char *noun;      /* no_track "applies only to <noun> of a vrrp_instance" */
	const char *static_kw; /* track_group "applies only to <static_kw> entries" */
	/* Optional: sees every word before the rows do, with its row (or NULL).
	 * Returns EO_ABANDON, 0 when the word is left to the rows, or
	 * WORD_TAKEN. Routes take their type and destination words here. */
	int (*word)(struct conf_entry_parse *p, const struct conf_entry_opt *o);
};

#define WORD_TAKEN 2

struct conf_entry_parse {
	struct conf_ctx *ctx;
	const struct conf_stmt *e;
	const struct conf_kw *kw; /* static_* or virtual_* (may be NULL) */
	const struct entry_kind *kind;
	const char *what; /* first words of every message */
	void *obj;	  /* struct conf_vip, conf_route or conf_rule */
	/* The word being parsed: the option's name while its handler runs; a
	 * handler that takes more words than its row's args moves it on. */
	unsigned i;
	int errs;
	int family;	 /* addresses must be of it; 0 while not known */
	bool have_dst;	 /* routes: the destination is parsed */
	bool has_action; /* rules: table, goto, l3mdev or a type is given */
};

#define OFIELD(p, o, T) ((T *)(void *)((char *)(p)->obj + (o)->off))

static void entry_start(struct conf_entry_parse *p, struct conf_ctx *ctx, const struct conf_stmt *e,
			void *obj, const struct conf_kw *kw, const struct entry_kind *kind)
{
	memset(p, 0, sizeof(*p));
	p->ctx = ctx;
	p->e = e;
	p->kw = kw;
	p->kind = kind;
	p->what = kw ? kw->name : kind->name;
	p->obj = obj;
}

/* 'inet6' anywhere on the line: read first, so that every address can be
 * checked against the family whatever the word order. */
static bool has_inet6(const struct conf_stmt *e)
{
	for (unsigned i = 0; i < e->argc; i++)
		if (!strcmp(e->argv[i], "inet6"))
			return true;
	return false;
}

static int match_word(const char *w, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(w, names[i]))
			return i;
	return -1;
}

static const struct conf_entry_opt *opt_find(const struct conf_entry_opt *opts, const char *w)
{
	for (; opts->name; opts++)
		if (!strcmp(opts->name, w))
			return opts;
	return NULL;
}

#define OPTS_MAX 64 /* at least the rows of the longest table (asserted after each) */

static void unknown_option(const struct conf_entry_parse *p, const char *word)
{
	const char *names[OPTS_MAX], *near;
	const struct conf_entry_opt *o;
	unsigned n = 0;

	for (o = p->kind->opts; o->name && n < OPTS_MAX; o++)
		names[n++] = o->name;
	near = conf_suggest(word, names, n);
	if (near)
		conf_error(p->ctx, &p->e->loc, "%s: unknown option '%s'; did you mean '%s'?",
			   p->what, word, near);
	else
		conf_error(p->ctx, &p->e->loc, "%s: unknown option '%s'", p->what, word);
}

/* Walks the words from first on. -1: the line was given up. */
static int entry_walk(struct conf_entry_parse *p, unsigned first)
{
	const struct conf_stmt *e = p->e;

	for (p->i = first; p->i < e->argc; p->i++) {
		const struct conf_entry_opt *o = opt_find(p->kind->opts, e->argv[p->i]);
		int r = p->kind->word ? p->kind->word(p, o) : 0;

		if (r == EO_ABANDON)
			return -1;
		if (r == WORD_TAKEN)
			continue;
		if (!o) {
			unknown_option(p, e->argv[p->i]);
			return -1;
		}
		if (p->i + o->args >= e->argc) {
			if (o->flags & CONF_EO_VALUE_AFTER)
				conf_error(p->ctx, &e->loc, "'%s' needs a value after '%s'",
					   p->what, o->name);
			else
				conf_error(p->ctx, &e->loc, "%s: '%s' needs a value", p->what,
					   o->name);
			if (o->flags & CONF_EO_FATAL)
				return -1;
			p->errs++;
			return 0; /* no words are left */
		}
		r = o->fn(p, o);
		if (r == EO_ABANDON)
			return -1;
		p->errs += r;
		p->i += o->args;
	}
	return 0;
}

/* ---- values of options ---- */

/* The word after option i, or an error. */
static const char *opt_arg(const struct conf_entry_parse *p, unsigned i)
{
	if (i + 1 >= p->e->argc) {
		conf_error(p->ctx, &p->e->loc, "%s: '%s' needs a value", p->what, p->e->argv[i]);
		return NULL;
	}
	return p->e->argv[i + 1];
}

static int opt_int(const struct conf_entry_parse *p, unsigned i, long long lo, long long hi,
		   long long *out)
{
	const char *v = opt_arg(p, i), *why;

	if (!v)
		return -1;
	if (conf_parse_int(v, lo, hi, out, &why)) {
		conf_error(p->ctx, &p->e->loc, "%s: %s '%s' %s (valid: %lld-%lld)", p->what,
			   p->e->argv[i], v, why, lo, hi);
		return -1;
	}
	return 0;
}

static int family_error(const struct conf_entry_parse *p, unsigned i, const char *v, int got)
{
	conf_error(p->ctx, &p->e->loc, "%s: %s %s is %s but the entry is %s", p->what,
		   p->e->argv[i], v, got == AF_INET ? "IPv4" : "IPv6",
		   p->family == AF_INET ? "IPv4" : "IPv6");
	return -1;
}

/* An address of the entry's family (any while p->family is 0). */
static int opt_addr(const struct conf_entry_parse *p, unsigned i, struct conf_addr *out)
{
	const char *v = opt_arg(p, i), *why;

	if (!v)
		return -1;
	if (conf_parse_addr(v, AF_UNSPEC, out, &why)) {
		conf_error(p->ctx, &p->e->loc, "%s: %s '%s' %s", p->what, p->e->argv[i], v, why);
		return -1;
	}
	if (p->family && out->family != p->family)
		return family_error(p, i, v, out->family);
	return 0;
}

static int opt_prefix(const struct conf_entry_parse *p, unsigned i, struct conf_prefix *out)
{
	const char *v = opt_arg(p, i), *why;

	if (!v)
		return -1;
	if (conf_parse_prefix(v, AF_UNSPEC, out, &why)) {
		conf_error(p->ctx, &p->e->loc, "%s: %s '%s' %s", p->what, p->e->argv[i], v, why);
		return -1;
	}
	if (p->family && out->addr.family != p->family)
		return family_error(p, i, v, out->addr.family);
	return 0;
}

static int opt_ifname(const struct conf_entry_parse *p, unsigned i, char **out)
{
	const char *v = opt_arg(p, i), *why;

	if (!v)
		return -1;
	if (conf_check_ifname(v, &why)) {
		conf_error(p->ctx, &p->e->loc, "%s: %s '%s' %s", p->what, p->e->argv[i], v, why);
		return -1;
	}
	*out = p->e->argv[i + 1];
	return 0;
}

static int opt_enum(const struct conf_entry_parse *p, unsigned i, const char *const *names,
		    int *out)
{
	const char *v = opt_arg(p, i);
	char list[160] = "";
	int k;

	if (!v)
		return -1;
	k = match_word(v, names);
	if (k >= 0) {
		*out = k;
		return 0;
	}
	for (k = 0; names[k]; k++) {
		if (k)
			strncat(list, "|", sizeof(list) - strlen(list) - 1);
		strncat(list, names[k], sizeof(list) - strlen(list) - 1);
	}
	conf_error(p->ctx, &p->e->loc, "%s: %s '%s' is not one of %s", p->what, p->e->argv[i], v,
		   list);
	return -1;
}

/* The list kw tells static from virtual entries. */
static bool is_static(const struct conf_kw *kw)
{
	return kw && !strncmp(kw->name, "static_", 7);
}

static void opts_add(struct conf_ctx *ctx, struct conf_strlist *sl, const char *a, const char *b)
{
	char **nv = arena_alloc(ctx->arena, (sl->n + 3) * sizeof(char *));

	if (sl->n)
		memcpy(nv, sl->v, sl->n * sizeof(char *));
	nv[sl->n++] = (char *)a;
	if (b)
		nv[sl->n++] = (char *)b;
	sl->v = nv;
}

/* ---- handlers shared by the kinds (the field is the row's off) ---- */

static int eo_flag(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	*OFIELD(p, o, bool) = true;
	return EO_OK;
}

/* inet6: read before the walk, for every address to be checked against it. */
static int eo_none(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	(void)p;
	(void)o;
	return EO_OK;
}

static int eo_addr(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	return opt_addr(p, p->i, OFIELD(p, o, struct conf_addr)) ? EO_ERR : EO_OK;
}

/* keepalived 2.2.7 (parse_route) reads these three as "any address". */
static bool is_any_word(const char *w)
{
	return !strcmp(w, "default") || !strcmp(w, "any") || !strcmp(w, "all");
}

/* "via [inet|inet6] ADDR" (word i is "via"), as keepalived reads it: returns
 * the index of the address word, or 0 after an error. */
static unsigned opt_via(struct conf_entry_parse *p, unsigned i, struct conf_addr *out)
{
	const struct conf_stmt *e = p->e;
	int fam = 0;

	if (i + 2 < e->argc && (!strcmp(e->argv[i + 1], "inet") || !strcmp(e->argv[i + 1], "inet6"))) {
		fam = strcmp(e->argv[i + 1], "inet") ? AF_INET6 : AF_INET;
		i++;
	}
	if (opt_addr(p, i, out))
		return 0;
	if (fam && out->family != fam) {
		conf_error(p->ctx, &e->loc, "%s: via %s %s: the address is not %s", p->what,
			   e->argv[i], e->argv[i + 1], e->argv[i]);
		return 0;
	}
	return i + 1;
}

static int route_via(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	unsigned at = opt_via(p, p->i, OFIELD(p, o, struct conf_addr));

	if (!at)
		return EO_ABANDON;
	p->i = at - 1; /* the walk steps over the option and its one value */
	return EO_OK;
}

static int eo_prefix(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	return opt_prefix(p, p->i, OFIELD(p, o, struct conf_prefix)) ? EO_ERR : EO_OK;
}

static int eo_ifname(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	return opt_ifname(p, p->i, OFIELD(p, o, char *)) ? EO_ERR : EO_OK;
}

static int eo_scope(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	return opt_enum(p, p->i, conf_scope_names, OFIELD(p, o, int)) ? EO_ERR : EO_OK;
}

/* A number 0..max into an unsigned field. */
static int eo_uint(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	long long x;

	if (opt_int(p, p->i, 0, o->max, &x))
		return EO_ERR;
	*OFIELD(p, o, unsigned) = (unsigned)x;
	return EO_OK;
}

/* The word as it is. */
static int eo_word(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	*OFIELD(p, o, char *) = p->e->argv[p->i + 1];
	return EO_OK;
}

/* A routing table: a number (0..2^32-1) or a name from rt_tables. */
static int eo_table(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	const char *v = p->e->argv[p->i + 1], *why;
	unsigned long long t;
	long long x;

	if (v[0] >= '0' && v[0] <= '9') {
		if (conf_parse_int(v, 0, 0xffffffffLL, &x, &why)) {
			conf_error(p->ctx, &p->e->loc,
				   "%s: %s '%s' %s (valid: 0-4294967295 or a name)", p->what,
				   o->name, v, why);
			return EO_ERR;
		}
	} else if (conf_table_id(v, NULL, &t)) {
		conf_error(p->ctx, &p->e->loc,
			   "%s: %s '%s' is not a table number or a name in "
			   "/etc/iproute2/rt_tables",
			   p->what, o->name, v);
		return EO_ERR;
	}
	*OFIELD(p, o, char *) = p->e->argv[p->i + 1];
	return EO_OK;
}

/* use_vmac: what a vrrp_instance does with its addresses. (no_track is
 * read everywhere: on a static entry, keepalived does not put it back.) */
static int eo_instance_flag(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	*OFIELD(p, o, bool) = true;
	if (!is_static(p->kw))
		return EO_OK;
	conf_error(p->ctx, &p->e->loc, "%s: %s applies only to %s of a vrrp_instance", p->what,
		   o->name, p->kind->noun);
	return EO_ERR;
}

/* track_group: what static entries follow instead of an instance. */
static int eo_track_group(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	*OFIELD(p, o, char *) = p->e->argv[p->i + 1];
	if (is_static(p->kw))
		return EO_OK;
	conf_error(p->ctx, &p->e->loc, "%s: track_group applies only to %s entries", p->what,
		   p->kind->static_kw);
	return EO_ERR;
}

/* ---- address entries ---- */

static int vip_brd(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_vip *v = p->obj;
	const char *b = p->e->argv[p->i + 1];

	(void)o;
	if (p->family == AF_INET6) {
		conf_error(p->ctx, &p->e->loc, "%s: IPv6 addresses have no broadcast address",
			   p->what);
		return EO_ERR;
	}
	if (!strcmp(b, "+")) {
		v->brd_mode = CONF_BRD_SET;
	} else if (!strcmp(b, "-")) {
		v->brd_mode = CONF_BRD_CLEAR;
	} else {
		if (opt_addr(p, p->i, &v->brd))
			return EO_ERR;
		v->brd_mode = CONF_BRD_ADDR;
	}
	return EO_OK;
}

static int vip_label(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_vip *v = p->obj;
	const char *l = p->e->argv[p->i + 1];
	int r = EO_OK;

	(void)o;
	if (p->family == AF_INET6) {
		conf_error(p->ctx, &p->e->loc, "%s: labels exist only for IPv4 addresses", p->what);
		r = EO_ERR;
	} else if (!l[0] || strlen(l) > 15) {
		conf_error(p->ctx, &p->e->loc, "%s: label '%s' must be 1 to 15 characters long",
			   p->what, l);
		r = EO_ERR;
	}
	v->label = p->e->argv[p->i + 1];
	return r;
}

/* home, -nodad, mngtmpaddr */
static int vip_v6_flag(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	*OFIELD(p, o, bool) = true;
	if (p->family == AF_INET6)
		return EO_OK;
	conf_error(p->ctx, &p->e->loc, "%s: '%s' applies only to IPv6 addresses", p->what, o->name);
	return EO_ERR;
}

static int vip_lft(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_vip *v = p->obj;
	long long x;

	(void)o;
	if (!strcmp(p->e->argv[p->i + 1], "forever"))
		v->preferred_lft = CONF_LFT_FOREVER;
	else if (opt_int(p, p->i, 0, 0xfffffffeLL, &x))
		return EO_ERR;
	else
		v->preferred_lft = x;
	return EO_OK;
}

#define VIP(n, args, flags, fn, field)                                  \
	{                                                               \
		n, args, flags, fn, offsetof(struct conf_vip, field), 0 \
	}

/* ip-address's options, and keepalived's own. */
const struct conf_entry_opt conf_vip_opts[] = {
	VIP("brd", 1, CONF_EO_FATAL, vip_brd, brd),
	VIP("broadcast", 1, CONF_EO_FATAL, vip_brd, brd),
	VIP("dev", 1, 0, eo_ifname, dev),
	VIP("scope", 1, 0, eo_scope, scope),
	VIP("label", 1, CONF_EO_FATAL, vip_label, label),
	VIP("peer", 1, 0, eo_prefix, peer),
	VIP("home", 0, 0, vip_v6_flag, home),
	VIP("-nodad", 0, 0, vip_v6_flag, nodad),
	VIP("mngtmpaddr", 0, 0, vip_v6_flag, mngtmpaddr),
	VIP("noprefixroute", 0, 0, eo_flag, noprefixroute),
	VIP("autojoin", 0, 0, eo_flag, autojoin),
	VIP("no_track", 0, 0, eo_flag, no_track),
	VIP("use_vmac", 0, 0, eo_instance_flag, use_vmac),
	VIP("track_group", 1, CONF_EO_FATAL, eo_track_group, track_group),
	VIP("preferred_lft", 1, CONF_EO_FATAL, vip_lft, preferred_lft),
	{ .name = NULL },
};

_Static_assert(sizeof(conf_vip_opts) / sizeof(conf_vip_opts[0]) <= OPTS_MAX,
	       "OPTS_MAX is too small");

static const struct entry_kind vip_kind = {
	.name = "address",
	.opts = conf_vip_opts,
	.noun = "addresses",
	.static_kw = "static_ipaddress",
};

/* "ADDRESS[/LEN] [OPTION ...]" */
static int vip_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		     const struct conf_kw *kw)
{
	struct conf_vip *v = obj;
	struct conf_entry_parse p;

	entry_start(&p, ctx, e, obj, kw, &vip_kind);
	p.what = arena_printf(ctx->arena, "%s %s", p.what, e->argv[0]);
	if (conf_get_prefix(ctx, e, 0, AF_UNSPEC, &v->addr))
		return -1;
	p.family = v->addr.addr.family;
	if (entry_walk(&p, 1))
		return -1;
	return p.errs ? -1 : 0;
}

static void dump_scope(struct json *j, const void *obj, const struct conf_kw *kw)
{
	int s = *CFIELD(obj, kw, int);

	json_str(j, s >= 0 && s <= 4 ? conf_scope_names[s] : NULL);
}

static void dump_brd(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_vip *v = obj;
	char buf[CONF_ADDRSTRLEN];

	(void)kw;
	switch (v->brd_mode) {
	case CONF_BRD_ADDR:
		json_str(j, conf_addr_str(&v->brd, buf));
		break;
	case CONF_BRD_SET:
		json_str(j, "+");
		break;
	case CONF_BRD_CLEAR:
		json_str(j, "-");
		break;
	default:
		json_null(j);
	}
}

static void dump_lft(struct json *j, const void *obj, const struct conf_kw *kw)
{
	long long v = *CFIELD(obj, kw, long long);

	if (v == CONF_LFT_FOREVER)
		json_str(j, "forever");
	else if (v < 0)
		json_null(j);
	else
		json_int(j, v);
}

static void vip_init(void *obj)
{
	struct conf_vip *v = obj;

	v->scope = -1;
	v->preferred_lft = CONF_LFT_UNSET;
}

#define DUMP(n, T, f, t)                                         \
	{                                                        \
		KWF(n, T, f), .type = (t), .flags = KW_DUMP_ONLY \
	}
#define DUMPF(n, T, f, fn)                                                           \
	{                                                                            \
		KWF(n, T, f), .type = CV_CUSTOM, .dump = (fn), .flags = KW_DUMP_ONLY \
	}

static const struct conf_kw vip_dump_kws[] = {
	DUMP("address", struct conf_vip, addr, CV_PREFIX),
	DUMPF("brd", struct conf_vip, brd, dump_brd),
	DUMP("dev", struct conf_vip, dev, CV_STR),
	DUMPF("scope", struct conf_vip, scope, dump_scope),
	DUMP("label", struct conf_vip, label, CV_STR),
	DUMP("peer", struct conf_vip, peer, CV_PREFIX),
	DUMP("home", struct conf_vip, home, CV_BOOL),
	DUMP("nodad", struct conf_vip, nodad, CV_BOOL),
	DUMP("mngtmpaddr", struct conf_vip, mngtmpaddr, CV_BOOL),
	DUMP("noprefixroute", struct conf_vip, noprefixroute, CV_BOOL),
	DUMP("autojoin", struct conf_vip, autojoin, CV_BOOL),
	DUMP("no_track", struct conf_vip, no_track, CV_BOOL),
	DUMP("use_vmac", struct conf_vip, use_vmac, CV_BOOL),
	DUMP("track_group", struct conf_vip, track_group, CV_STR),
	DUMPF("preferred_lft", struct conf_vip, preferred_lft, dump_lft),
	KW_END,
};

const struct conf_block conf_block_vip_list = {
	.name = "address list",
	.size = sizeof(struct conf_vip),
	.kws = vip_dump_kws,
	.init = vip_init,
	.entry = vip_entry,
};

/* ---- route entries ---- */

/* The destination: a prefix or "default", of the family 'inet6' asks for. */
static int route_dest(struct conf_entry_parse *p, const char *d)
{
	struct conf_route *r = p->obj;
	const char *why;

	if (is_any_word(d)) {
		memset(&r->dst, 0, sizeof(r->dst));
		r->dst.addr.family = (sa_family_t)r->family;
		r->dst.has_len = true;
	} else if (conf_parse_prefix(d, AF_UNSPEC, &r->dst, &why)) {
		conf_error(p->ctx, &p->e->loc, "%s: destination '%s' %s", p->what, d, why);
		return EO_ABANDON;
	} else if (r->inet6 && r->dst.addr.family != AF_INET6) {
		conf_error(p->ctx, &p->e->loc, "%s: destination %s is IPv4 but 'inet6' is given",
			   p->what, d);
		return EO_ABANDON;
	}
	r->family = r->dst.addr.family;
	p->family = r->family;
	p->have_dst = true;
	return EO_OK;
}

/* "to [TYPE] PREFIX", as ip-route writes it. */
static int route_to(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_route *r = p->obj;
	const char *d = p->e->argv[p->i + 1];
	int k = match_word(d, conf_route_type_names);

	(void)o;
	if (k > 0 && p->i + 2 < p->e->argc) {
		r->type = k;
		d = p->e->argv[++p->i + 1];
	}
	return route_dest(p, d);
}

/*
 * The words that are not options: a type (blackhole, ...) and the
 * destination, when they come before it, as bare words. After the
 * destination, 'to' is an unknown option like any other word.
 */
static int route_word(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_route *r = p->obj;
	const char *w = p->e->argv[p->i];
	int k;

	if (p->have_dst) {
		if (o && o->fn == route_to) {
			unknown_option(p, w);
			return EO_ABANDON;
		}
		return 0;
	}
	k = match_word(w, conf_route_type_names);
	if (k > 0 && p->i + 1 < p->e->argc) {
		r->type = k;
		return WORD_TAKEN;
	}
	if (o)
		return 0;
	return route_dest(p, w) == EO_OK ? WORD_TAKEN : EO_ABANDON;
}

static int route_metric(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_route *r = p->obj;

	if (eo_uint(p, o))
		return EO_ERR;
	r->has_metric = true;
	return EO_OK;
}

/* "nexthop via A [dev IF] [weight N] [onlink]": as many words as it has. */
static int route_nexthop(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_route *r = p->obj;
	const struct conf_stmt *e = p->e;
	struct conf_nexthop *nh;
	unsigned i = p->i + 1;
	long long x;

	(void)o;
	nh = arena_alloc(p->ctx->arena, (r->n_nexthops + 1) * sizeof(*nh));
	if (r->n_nexthops)
		memcpy(nh, r->nexthops, r->n_nexthops * sizeof(*nh));
	r->nexthops = nh;
	nh = &r->nexthops[r->n_nexthops++];
	while (i < e->argc && strcmp(e->argv[i], "nexthop")) {
		const char *w = e->argv[i];

		if (!strcmp(w, "via") || !strcmp(w, "gw")) {
			unsigned at = opt_via(p, i, &nh->via);

			if (!at)
				return EO_ABANDON;
			i = at + 1;
		} else if (!strcmp(w, "dev")) {
			if (opt_ifname(p, i, &nh->dev))
				return EO_ABANDON;
			i += 2;
		} else if (!strcmp(w, "weight")) {
			if (opt_int(p, i, 1, 256, &x))
				return EO_ABANDON;
			nh->weight = (unsigned)x;
			i += 2;
		} else if (!strcmp(w, "onlink")) {
			nh->onlink = true;
			i++;
		} else {
			break;
		}
	}
	if (!nh->via.family && !nh->dev) {
		conf_error(p->ctx, &e->loc, "%s: nexthop needs 'via ADDRESS' or 'dev IFNAME'",
			   p->what);
		return EO_ABANDON;
	}
	p->i = i - 1;
	return EO_OK;
}

/*
 * The other ip-route options are kept as words, "NAME [lock] VALUE", for
 * conf_route_opts_finish() (conf/route_opts.c) to check with the family.
 */
static int route_kept(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_route *r = p->obj;
	const struct conf_stmt *e = p->e;
	unsigned vi = p->i + 1;
	bool lock = !strcmp(e->argv[vi], "lock");

	if (lock && ++vi >= e->argc) {
		conf_error(p->ctx, &e->loc, "'%s' needs a value after '%s'", p->what, o->name);
		return EO_ABANDON;
	}
	opts_add(p->ctx, &r->opts, e->argv[p->i], lock ? "lock" : NULL);
	opts_add(p->ctx, &r->opts, e->argv[vi], NULL);
	p->i = vi - 1;
	return EO_OK;
}

/* vrf: keepalived reads the VRF's table from the interface; -t has none. */
static int eo_refused(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	conf_error(p->ctx, &p->e->loc,
		   "%s: '%s %s' is not supported by vigil: the VRF's table is known only from the "
		   "interface at run time; write 'table N' with the VRF's table instead",
		   p->what, o->name, p->e->argv[p->i + 1]);
	return EO_ABANDON;
}

#define ROUTE_REFUSED(n) { n, 1, CONF_EO_FATAL | CONF_EO_VALUE_AFTER, eo_refused, 0, 0 }

#define ROUTE(n, args, flags, fn, field)                                  \
	{                                                                 \
		n, args, flags, fn, offsetof(struct conf_route, field), 0 \
	}
#define ROUTE_UINT(n, field, hi)                                         \
	{                                                                \
		n, 1, 0, eo_uint, offsetof(struct conf_route, field), hi \
	}
#define ROUTE_KEPT(n)                                                  \
	{                                                              \
		n, 1, CONF_EO_FATAL | CONF_EO_VALUE_AFTER, route_kept, \
			offsetof(struct conf_route, opts), 0           \
	}

/* ip-route's options, and keepalived's own. */
const struct conf_entry_opt conf_route_opts[] = {
	ROUTE("to", 1, CONF_EO_FATAL, route_to, dst),
	ROUTE("via", 1, 0, route_via, via),
	ROUTE("gw", 1, 0, route_via, via),
	ROUTE("or", 1, 0, eo_addr, or_via),
	ROUTE("src", 1, 0, eo_addr, src),
	ROUTE("from", 1, 0, eo_prefix, from),
	ROUTE("dev", 1, 0, eo_ifname, dev),
	ROUTE("oif", 1, 0, eo_ifname, dev),
	ROUTE("scope", 1, 0, eo_scope, scope),
	ROUTE("table", 1, 0, eo_table, table),
	{ "metric", 1, 0, route_metric, offsetof(struct conf_route, metric), 0xffffffffLL },
	{ "priority", 1, 0, route_metric, offsetof(struct conf_route, metric), 0xffffffffLL },
	{ "preference", 1, 0, route_metric, offsetof(struct conf_route, metric), 0xffffffffLL },
	ROUTE_UINT("tos", tos, 255),
	ROUTE_UINT("dsfield", tos, 255),
	ROUTE("protocol", 1, CONF_EO_FATAL, eo_word, protocol),
	ROUTE("onlink", 0, 0, eo_flag, onlink),
	ROUTE("no_track", 0, 0, eo_flag, no_track),
	ROUTE("track_group", 1, CONF_EO_FATAL, eo_track_group, track_group),
	ROUTE("inet6", 0, 0, eo_none, inet6),
	ROUTE("append", 0, 0, eo_flag, append),
	ROUTE("nexthop", 0, 0, route_nexthop, nexthops),
	ROUTE_KEPT("realms"),
	ROUTE_KEPT("mtu"),
	ROUTE_KEPT("advmss"),
	ROUTE_KEPT("rtt"),
	ROUTE_KEPT("rttvar"),
	ROUTE_KEPT("reordering"),
	ROUTE_KEPT("window"),
	ROUTE_KEPT("cwnd"),
	ROUTE_KEPT("ssthresh"),
	ROUTE_KEPT("initcwnd"),
	ROUTE_KEPT("initrwnd"),
	ROUTE_KEPT("rto_min"),
	ROUTE_KEPT("hoplimit"),
	ROUTE_KEPT("features"),
	ROUTE_KEPT("quickack"),
	ROUTE_KEPT("congctl"),
	ROUTE_KEPT("fastopen_no_cookie"),
	ROUTE_REFUSED("vrf"),
	ROUTE_KEPT("pref"),
	ROUTE_KEPT("expires"),
	ROUTE_KEPT("ttl-propagate"),
	{ .name = NULL },
};

_Static_assert(sizeof(conf_route_opts) / sizeof(conf_route_opts[0]) <= OPTS_MAX,
	       "OPTS_MAX is too small");

static const struct entry_kind route_kind = {
	.name = "route",
	.opts = conf_route_opts,
	.noun = "routes",
	.static_kw = "static_routes",
	.word = route_word,
};

/* Checks of the whole line, once every word is read. */
static void route_finish(struct conf_entry_parse *p)
{
	struct conf_route *r = p->obj;
	const struct conf_loc *loc = &p->e->loc;

	if (r->or_via.family && !r->via.family) {
		conf_error(p->ctx, loc, "%s: 'or' needs a 'via' address before it", p->what);
		p->errs++;
	} else if (r->or_via.family && r->n_nexthops) {
		conf_warn(p->ctx, loc, "%s: 'or' with nexthop: 'or' is ignored, as keepalived does",
			  p->what);
		memset(&r->or_via, 0, sizeof(r->or_via));
	} else if (r->or_via.family) {
		/* keepalived 2.2.7: "via A or B" is the multipath route of
		 * nexthops A and B (deprecated there in favour of nexthop). */
		struct conf_nexthop *nh = arena_alloc(p->ctx->arena, 2 * sizeof(*nh));

		conf_warn(p->ctx, loc,
			  "%s: 'via A or B' is deprecated; it is 'nexthop via A nexthop via B', "
			  "as in keepalived",
			  p->what);
		nh[0].via = r->via;
		nh[1].via = r->or_via;
		r->nexthops = nh;
		r->n_nexthops = 2;
		memset(&r->via, 0, sizeof(r->via));
		memset(&r->or_via, 0, sizeof(r->or_via));
	}
	if (r->type != 0 && r->type != 5 && (r->via.family || r->n_nexthops)) {
		conf_error(p->ctx, loc, "%s: a %s route cannot have a gateway", p->what,
			   conf_route_type_names[r->type]);
		p->errs++;
	}
	/* Families given before the destination are checked now. */
	if (!p->errs && ((r->via.family && r->via.family != r->family) ||
			 (r->src.family && r->src.family != r->family) ||
			 (r->or_via.family && r->or_via.family != r->family))) {
		conf_error(p->ctx, loc, "%s: the route's addresses mix IPv4 and IPv6", p->what);
		p->errs++;
	}
}

static int route_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_route *r = obj;
	struct conf_entry_parse p;

	entry_start(&p, ctx, e, obj, kw, &route_kind);
	/* The family comes from the destination, or else from 'inet6'. */
	r->inet6 = has_inet6(e);
	r->family = r->inet6 ? AF_INET6 : AF_INET;
	if (entry_walk(&p, 0))
		return -1;
	if (!p.have_dst) {
		conf_error(ctx, &e->loc, "%s: the route has no destination", p.what);
		return -1;
	}
	route_finish(&p);
	p.errs += conf_route_opts_finish(ctx, &e->loc, p.what, r);
	return p.errs ? -1 : 0;
}

static void dump_route_type(struct json *j, const void *obj, const struct conf_kw *kw)
{
	int t = *CFIELD(obj, kw, int);

	json_str(j, conf_route_type_names[t >= 0 && t < 9 ? t : 0]);
}

static void dump_nexthops(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_route *r = obj;
	char buf[CONF_ADDRSTRLEN];
	unsigned i;

	(void)kw;
	json_arr_begin(j);
	for (i = 0; i < r->n_nexthops; i++) {
		const struct conf_nexthop *nh = &r->nexthops[i];

		json_obj_begin(j);
		json_kstr(j, "via", nh->via.family ? conf_addr_str(&nh->via, buf) : NULL);
		json_kstr(j, "dev", nh->dev);
		json_kuint(j, "weight", nh->weight);
		json_kbool(j, "onlink", nh->onlink);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void dump_metric(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_route *r = obj;

	(void)kw;
	if (r->has_metric)
		json_uint(j, r->metric);
	else
		json_null(j);
}

static void route_init(void *obj)
{
	struct conf_route *r = obj;

	r->scope = -1;
}

static const struct conf_kw route_dump_kws[] = {
	DUMPF("type", struct conf_route, type, dump_route_type),
	DUMP("to", struct conf_route, dst, CV_PREFIX),
	DUMP("from", struct conf_route, from, CV_PREFIX),
	DUMP("src", struct conf_route, src, CV_ADDR),
	DUMP("via", struct conf_route, via, CV_ADDR),
	DUMP("or", struct conf_route, or_via, CV_ADDR),
	DUMP("dev", struct conf_route, dev, CV_STR),
	DUMPF("scope", struct conf_route, scope, dump_scope),
	DUMP("table", struct conf_route, table, CV_STR),
	DUMPF("metric", struct conf_route, metric, dump_metric),
	DUMP("tos", struct conf_route, tos, CV_UINT),
	DUMP("protocol", struct conf_route, protocol, CV_STR),
	DUMP("onlink", struct conf_route, onlink, CV_BOOL),
	DUMP("no_track", struct conf_route, no_track, CV_BOOL),
	DUMP("append", struct conf_route, append, CV_BOOL),
	DUMP("track_group", struct conf_route, track_group, CV_STR),
	DUMPF("nexthop", struct conf_route, nexthops, dump_nexthops),
	DUMP("options", struct conf_route, opts, CV_STRLIST),
	KW_END,
};

const struct conf_block conf_block_route_list = {
	.name = "route list",
	.size = sizeof(struct conf_route),
	.kws = route_dump_kws,
	.init = route_init,
	.entry = route_entry,
};

/* ---- rule entries ---- */

/* from, to: a prefix, or "all" (which leaves the field unset). */
static int rule_prefix(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_prefix *pf = OFIELD(p, o, struct conf_prefix);

	if (is_any_word(p->e->argv[p->i + 1]))
		return EO_OK;
	if (opt_prefix(p, p->i, pf))
		return EO_ERR;
	p->family = pf->addr.family;
	return EO_OK;
}

static int rule_table(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;

	p->has_action = true;
	r->action = 0;
	return eo_table(p, o);
}

static int rule_preference(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;

	if (eo_uint(p, o))
		return EO_ERR;
	r->has_preference = true;
	return EO_OK;
}

/* "fwmark MARK[/MASK]" */
static int rule_fwmark(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;
	const char *v = p->e->argv[p->i + 1], *slash = strchr(v, '/'), *why;
	char num[24];
	long long x, m = 0xffffffffLL;

	(void)o;
	if (slash && (size_t)(slash - v) < sizeof(num)) {
		memcpy(num, v, (size_t)(slash - v));
		num[slash - v] = '\0';
	} else {
		snprintf(num, sizeof(num), "%s", v);
	}
	if (conf_parse_int(num, 0, 0xffffffffLL, &x, &why) ||
	    (slash && conf_parse_int(slash + 1, 0, 0xffffffffLL, &m, &why))) {
		conf_error(p->ctx, &p->e->loc, "%s: fwmark '%s' is not MARK or MARK/MASK", p->what,
			   v);
		return EO_ERR;
	}
	r->fwmark = (unsigned)x;
	r->fwmask = (unsigned)m;
	r->has_fwmark = true;
	return EO_OK;
}

static int rule_goto(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;
	long long x;

	(void)o;
	p->has_action = true;
	if (opt_int(p, p->i, 0, 0xffffffffLL, &x))
		return EO_ERR;
	r->goto_target = (unsigned)x;
	r->action = 1;
	return EO_OK;
}

static int rule_l3mdev(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	p->has_action = true;
	return eo_flag(p, o);
}

/* The other ip-rule options are kept as "name value" words for the rule code. */
static int rule_kept(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;

	(void)o;
	opts_add(p->ctx, &r->opts, p->e->argv[p->i], p->e->argv[p->i + 1]);
	return EO_OK;
}

/* realms, suppress_ifgroup, protocol, ip_proto: numbers, or names looked up
 * now (conf_rule_named), so that -t fails on a name the daemon cannot use. */
static int rule_kept_named(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;
	const char *v = p->e->argv[p->i + 1], *why, *nv = conf_rule_named(p->ctx, o->name, v, &why);

	if (!nv) {
		conf_error(p->ctx, &p->e->loc, "%s: %s '%s' %s", p->what, o->name, v, why);
		return EO_ERR;
	}
	opts_add(p->ctx, &r->opts, p->e->argv[p->i], nv);
	return EO_OK;
}

/* ... with a number 0..max. */
static int rule_kept_int(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	long long x;

	if (opt_int(p, p->i, 0, o->max, &x))
		return EO_ERR;
	return rule_kept(p, o);
}

/* ... with N or LOW-HIGH within 0..max. */
static int rule_kept_range(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	const char *v = p->e->argv[p->i + 1], *why, *dash = strchr(v, '-');
	char lo_s[24];
	long long a, b;

	if (dash && (size_t)(dash - v) < sizeof(lo_s)) {
		memcpy(lo_s, v, (size_t)(dash - v));
		lo_s[dash - v] = '\0';
		if (conf_parse_int(lo_s, 0, o->max, &a, &why) ||
		    conf_parse_int(dash + 1, 0, o->max, &b, &why) || a > b) {
			conf_error(p->ctx, &p->e->loc,
				   "%s: %s '%s' is not a range LOW-HIGH within 0-%lld", p->what,
				   o->name, v, o->max);
			return EO_ERR;
		}
	} else if (conf_parse_int(v, 0, o->max, &a, &why)) {
		conf_error(p->ctx, &p->e->loc, "%s: %s '%s' %s (valid: 0-%lld)", p->what, o->name,
			   v, why, o->max);
		return EO_ERR;
	}
	return rule_kept(p, o);
}

/* nop, blackhole, unreachable, prohibit: the type as a word of its own. */
static int rule_type_word(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;

	r->action = match_word(o->name, conf_rule_action_names);
	p->has_action = true;
	return EO_OK;
}

/* "type TYPE": table and goto name no target here, so they are no action. */
static int rule_type(struct conf_entry_parse *p, const struct conf_entry_opt *o)
{
	struct conf_rule *r = p->obj;
	int a;

	(void)o;
	if (opt_enum(p, p->i, conf_rule_action_names, &a))
		return EO_ERR;
	r->action = a;
	p->has_action = p->has_action || a >= 2;
	return EO_OK;
}

#define RULE(n, args, flags, fn, field)                                  \
	{                                                                \
		n, args, flags, fn, offsetof(struct conf_rule, field), 0 \
	}
#define RULE_MAX(n, fn, field, hi)                                 \
	{                                                          \
		n, 1, 0, fn, offsetof(struct conf_rule, field), hi \
	}

/* ip-rule's options, and keepalived's own. */
const struct conf_entry_opt conf_rule_opts[] = {
	RULE("from", 1, CONF_EO_FATAL, rule_prefix, from),
	RULE("to", 1, CONF_EO_FATAL, rule_prefix, to),
	RULE("table", 1, 0, rule_table, table),
	RULE("lookup", 1, 0, rule_table, table),
	RULE_MAX("preference", rule_preference, preference, 0xffffffffLL),
	RULE_MAX("priority", rule_preference, preference, 0xffffffffLL),
	RULE_MAX("order", rule_preference, preference, 0xffffffffLL),
	RULE_MAX("tos", eo_uint, tos, 255),
	RULE_MAX("dsfield", eo_uint, tos, 255),
	RULE("fwmark", 1, CONF_EO_FATAL, rule_fwmark, fwmark),
	RULE("iif", 1, 0, eo_ifname, iif),
	RULE("iifname", 1, 0, eo_ifname, iif),
	RULE("oif", 1, 0, eo_ifname, oif),
	RULE("oifname", 1, 0, eo_ifname, oif),
	RULE("goto", 1, 0, rule_goto, goto_target),
	RULE("not", 0, 0, eo_flag, not_),
	RULE("no_track", 0, 0, eo_flag, no_track),
	RULE("track_group", 1, CONF_EO_FATAL, eo_track_group, track_group),
	RULE("inet6", 0, 0, eo_none, inet6),
	RULE("l3mdev", 0, 0, rule_l3mdev, l3mdev),
	RULE("realms", 1, CONF_EO_FATAL, rule_kept_named, opts),
	RULE_MAX("uidrange", rule_kept_range, opts, 0xffffffffLL),
	RULE("protocol", 1, CONF_EO_FATAL, rule_kept_named, opts),
	RULE("ip_proto", 1, CONF_EO_FATAL, rule_kept_named, opts),
	RULE_MAX("sport", rule_kept_range, opts, 65535),
	RULE_MAX("dport", rule_kept_range, opts, 65535),
	RULE_MAX("suppress_prefixlength", rule_kept_int, opts, 128),
	RULE("suppress_ifgroup", 1, CONF_EO_FATAL, rule_kept_named, opts),
	RULE("nop", 0, 0, rule_type_word, action),
	RULE("blackhole", 0, 0, rule_type_word, action),
	RULE("unreachable", 0, 0, rule_type_word, action),
	RULE("prohibit", 0, 0, rule_type_word, action),
	RULE("type", 1, 0, rule_type, action),
	{ .name = NULL },
};

_Static_assert(sizeof(conf_rule_opts) / sizeof(conf_rule_opts[0]) <= OPTS_MAX,
	       "OPTS_MAX is too small");

static const struct entry_kind rule_kind = {
	.name = "rule",
	.opts = conf_rule_opts,
	.noun = "rules",
	.static_kw = "static_rules",
};

static int rule_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		      const struct conf_kw *kw)
{
	struct conf_rule *r = obj;
	struct conf_entry_parse p;

	entry_start(&p, ctx, e, obj, kw, &rule_kind);
	r->inet6 = has_inet6(e);
	p.family = r->inet6 ? AF_INET6 : 0;
	if (entry_walk(&p, 0))
		return -1;
	r->family = p.family ? p.family : AF_INET;
	p.errs += conf_rule_opts_finish(ctx, &e->loc, p.what, r);
	if (is_static(kw) && r->track_group && !r->iif) /* as keepalived 2.2.7 */
		conf_warn(ctx, &e->loc, "%s: track_group needs iif: ignored, as keepalived does",
			  p.what);
	r->track_group = r->iif ? r->track_group : NULL;
	if (!p.has_action && !p.errs) {
		conf_error(ctx, &e->loc,
			   "%s: the rule has no action; give 'table', 'goto', 'l3mdev' or a type "
			   "such as 'blackhole'",
			   p.what);
		p.errs++;
	}
	return p.errs ? -1 : 0;
}

static void dump_rule_action(struct json *j, const void *obj, const struct conf_kw *kw)
{
	int t = *CFIELD(obj, kw, int);

	json_str(j, conf_rule_action_names[t >= 0 && t < 6 ? t : 0]);
}

static const struct conf_kw rule_dump_kws[] = {
	DUMP("not", struct conf_rule, not_, CV_BOOL),
	DUMP("from", struct conf_rule, from, CV_PREFIX),
	DUMP("to", struct conf_rule, to, CV_PREFIX),
	DUMPF("type", struct conf_rule, action, dump_rule_action),
	DUMP("table", struct conf_rule, table, CV_STR),
	DUMP("goto", struct conf_rule, goto_target, CV_UINT),
	DUMP("preference", struct conf_rule, preference, CV_UINT),
	DUMP("iif", struct conf_rule, iif, CV_STR),
	DUMP("oif", struct conf_rule, oif, CV_STR),
	DUMP("tos", struct conf_rule, tos, CV_UINT),
	DUMP("fwmark", struct conf_rule, fwmark, CV_UINT),
	DUMP("l3mdev", struct conf_rule, l3mdev, CV_BOOL),
	DUMP("no_track", struct conf_rule, no_track, CV_BOOL),
	DUMP("track_group", struct conf_rule, track_group, CV_STR),
	DUMP("options", struct conf_rule, opts, CV_STRLIST),
	KW_END,
};

const struct conf_block conf_block_rule_list = {
	.name = "rule list",
	.size = sizeof(struct conf_rule),
	.kws = rule_dump_kws,
	.entry = rule_entry,
};

/* ---- interface_up_down_delays ---- */

static int if_delay_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
			  const struct conf_kw *kw)
{
	struct conf_if_delay *d = obj;
	const char *why;

	(void)kw;
	if (conf_check_ifname(e->argv[0], &why)) {
		conf_error(ctx, &e->loc, "interface_up_down_delays: '%s' %s", e->argv[0], why);
		return -1;
	}
	if (e->argc < 2 || e->argc > 3) {
		conf_error(ctx, &e->loc,
			   "interface_up_down_delays: write 'IFNAME DOWN_DELAY [UP_DELAY]' "
			   "(found %u words)",
			   e->argc);
		return -1;
	}
	if (conf_get_timer(ctx, e, 1, 0, 255 * US_PER_SEC, &d->down_us))
		return -1;
	d->up_us = d->down_us;
	if (e->argc == 3 && conf_get_timer(ctx, e, 2, 0, 255 * US_PER_SEC, &d->up_us))
		return -1;
	return 0;
}

static const struct conf_kw if_delay_dump_kws[] = {
	DUMP("down_delay", struct conf_if_delay, down_us, CV_TIMER),
	DUMP("up_delay", struct conf_if_delay, up_us, CV_TIMER),
	KW_END,
};

const struct conf_block conf_block_if_delays = {
	.name = "interface_up_down_delays",
	.size = sizeof(struct conf_if_delay),
	.flags = CB_NAMED,
	.kws = if_delay_dump_kws,
	.entry = if_delay_entry,
};

/* ---- track_group ---- */

static const struct conf_kw track_group_kws[] = {
	{ KWF("group", struct conf_track_group, members), .type = CV_CUSTOM,
	  .parse = conf_parse_names, .dump = conf_dump_names, .sub = &conf_block_custom_children,
	  .flags = KW_MULTI },
	KW_END,
};

const struct conf_block conf_block_track_group = {
	.name = "track_group",
	.size = sizeof(struct conf_track_group),
	.flags = CB_NAMED,
	.kws = track_group_kws,
};
