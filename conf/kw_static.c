/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static addresses, routes and rules, and the entry parsers they share with
 * vrrp_instance (virtual_ipaddress, virtual_routes, virtual_rules); track
 * groups; interface up/down delays; and small custom parsers used by every
 * VRRP-side table (scripts, tri-states, lists of names).
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

/* ---- helpers for the entry parsers ---- */

static int match_word(const char *w, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(w, names[i]))
			return i;
	return -1;
}

static void unknown_option(struct conf_ctx *ctx, const struct conf_stmt *e, const char *what,
			   const char *word, const char *const *opts)
{
	unsigned n = 0;
	const char *near;

	while (opts[n])
		n++;
	near = conf_suggest(word, opts, n);
	if (near)
		conf_error(ctx, &e->loc, "%s: unknown option '%s'; did you mean '%s'?", what, word,
			   near);
	else
		conf_error(ctx, &e->loc, "%s: unknown option '%s'", what, word);
}

/* The word after option i, or an error. */
static const char *opt_arg(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e,
			   unsigned i)
{
	if (i + 1 >= e->argc) {
		conf_error(ctx, &e->loc, "%s: '%s' needs a value", what, e->argv[i]);
		return NULL;
	}
	return e->argv[i + 1];
}

static int opt_int(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		   long long lo, long long hi, long long *out)
{
	const char *v = opt_arg(ctx, what, e, i), *why;

	if (!v)
		return -1;
	if (conf_parse_int(v, lo, hi, out, &why)) {
		conf_error(ctx, &e->loc, "%s: %s '%s' %s (valid: %lld-%lld)", what, e->argv[i], v,
			   why, lo, hi);
		return -1;
	}
	return 0;
}

static int opt_addr(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		    int family, struct conf_addr *out)
{
	const char *v = opt_arg(ctx, what, e, i), *why;

	if (!v)
		return -1;
	if (conf_parse_addr(v, AF_UNSPEC, out, &why)) {
		conf_error(ctx, &e->loc, "%s: %s '%s' %s", what, e->argv[i], v, why);
		return -1;
	}
	if (family && out->family != family) {
		conf_error(ctx, &e->loc, "%s: %s %s is %s but the entry is %s", what, e->argv[i], v,
			   out->family == AF_INET ? "IPv4" : "IPv6",
			   family == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	return 0;
}

static int opt_prefix(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		      int family, struct conf_prefix *out)
{
	const char *v = opt_arg(ctx, what, e, i), *why;

	if (!v)
		return -1;
	if (conf_parse_prefix(v, AF_UNSPEC, out, &why)) {
		conf_error(ctx, &e->loc, "%s: %s '%s' %s", what, e->argv[i], v, why);
		return -1;
	}
	if (family && out->addr.family != family) {
		conf_error(ctx, &e->loc, "%s: %s %s is %s but the entry is %s", what, e->argv[i], v,
			   out->addr.family == AF_INET ? "IPv4" : "IPv6",
			   family == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	return 0;
}

static int opt_ifname(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		      char **out)
{
	const char *v = opt_arg(ctx, what, e, i), *why;

	if (!v)
		return -1;
	if (conf_check_ifname(v, &why)) {
		conf_error(ctx, &e->loc, "%s: %s '%s' %s", what, e->argv[i], v, why);
		return -1;
	}
	*out = e->argv[i + 1];
	return 0;
}

static int opt_enum(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		    const char *const *names, int *out)
{
	const char *v = opt_arg(ctx, what, e, i);
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
	conf_error(ctx, &e->loc, "%s: %s '%s' is not one of %s", what, e->argv[i], v, list);
	return -1;
}

/* A routing table: a number (1..2^32-1) or a name from rt_tables. */
static int opt_table(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		     char **out)
{
	const char *v = opt_arg(ctx, what, e, i), *why;
	long long x;

	if (!v)
		return -1;
	if (v[0] >= '0' && v[0] <= '9') {
		if (conf_parse_int(v, 0, 0xffffffffLL, &x, &why)) {
			conf_error(ctx, &e->loc, "%s: %s '%s' %s (valid: 0-4294967295 or a name)",
				   what, e->argv[i], v, why);
			return -1;
		}
	} else if (!v[0] || strlen(v) > 64) {
		conf_error(ctx, &e->loc, "%s: %s '%s' is not a table number or name", what,
			   e->argv[i], v);
		return -1;
	}
	*out = e->argv[i + 1];
	return 0;
}

/* The list kw tells static from virtual entries. */
static bool is_static(const struct conf_kw *kw)
{
	return kw && !strncmp(kw->name, "static_", 7);
}

/* ---- address entries ---- */

static const char *const vip_opts[] = { "brd",	      "broadcast",     "dev",		"scope",
					"label",      "peer",	       "home",		"-nodad",
					"mngtmpaddr", "noprefixroute", "autojoin",	"no_track",
					"use_vmac",   "track_group",   "preferred_lft", NULL };

static int vip_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		     const struct conf_kw *kw)
{
	struct conf_vip *v = obj;
	const char *what =
		arena_printf(ctx->arena, "%s %s", kw ? kw->name : "address", e->argv[0]);
	unsigned i;
	int fam, errs = 0;
	long long x;

	if (conf_get_prefix(ctx, e, 0, AF_UNSPEC, &v->addr))
		return -1;
	fam = v->addr.addr.family;
	for (i = 1; i < e->argc; i++) {
		const char *o = e->argv[i];
		int k = match_word(o, vip_opts);

		switch (k) {
		case 0: /* brd */
		case 1: {
			const char *b = opt_arg(ctx, what, e, i);

			if (!b)
				return -1;
			if (fam == AF_INET6) {
				conf_error(ctx, &e->loc,
					   "%s: IPv6 addresses have no broadcast address", what);
				errs++;
			} else if (!strcmp(b, "+")) {
				v->brd_mode = CONF_BRD_SET;
			} else if (!strcmp(b, "-")) {
				v->brd_mode = CONF_BRD_CLEAR;
			} else if (opt_addr(ctx, what, e, i, fam, &v->brd)) {
				errs++;
			} else {
				v->brd_mode = CONF_BRD_ADDR;
			}
			i++;
			break;
		}
		case 2:
			errs += opt_ifname(ctx, what, e, i, &v->dev) ? 1 : 0;
			i++;
			break;
		case 3:
			errs += opt_enum(ctx, what, e, i, conf_scope_names, &v->scope) ? 1 : 0;
			i++;
			break;
		case 4: {
			const char *l = opt_arg(ctx, what, e, i);

			if (!l)
				return -1;
			if (fam == AF_INET6) {
				conf_error(ctx, &e->loc, "%s: labels exist only for IPv4 addresses",
					   what);
				errs++;
			} else if (!l[0] || strlen(l) > 15) {
				conf_error(ctx, &e->loc,
					   "%s: label '%s' must be 1 to 15 characters long", what,
					   l);
				errs++;
			}
			v->label = e->argv[i + 1];
			i++;
			break;
		}
		case 5:
			errs += opt_prefix(ctx, what, e, i, fam, &v->peer) ? 1 : 0;
			i++;
			break;
		case 6:
		case 7:
		case 8:
			if (fam != AF_INET6) {
				conf_error(ctx, &e->loc, "%s: '%s' applies only to IPv6 addresses",
					   what, o);
				errs++;
			}
			if (k == 6)
				v->home = true;
			else if (k == 7)
				v->nodad = true;
			else
				v->mngtmpaddr = true;
			break;
		case 9:
			v->noprefixroute = true;
			break;
		case 10:
			v->autojoin = true;
			break;
		case 11:
			if (is_static(kw)) {
				conf_error(
					ctx, &e->loc,
					"%s: no_track applies only to addresses of a vrrp_instance",
					what);
				errs++;
			}
			v->no_track = true;
			break;
		case 12:
			if (is_static(kw)) {
				conf_error(
					ctx, &e->loc,
					"%s: use_vmac applies only to addresses of a vrrp_instance",
					what);
				errs++;
			}
			v->use_vmac = true;
			break;
		case 13:
			if (!opt_arg(ctx, what, e, i))
				return -1;
			if (!is_static(kw)) {
				conf_error(
					ctx, &e->loc,
					"%s: track_group applies only to static_ipaddress entries",
					what);
				errs++;
			}
			v->track_group = e->argv[++i];
			break;
		case 14: {
			const char *l = opt_arg(ctx, what, e, i);

			if (!l)
				return -1;
			if (!strcmp(l, "forever"))
				v->preferred_lft = CONF_LFT_FOREVER;
			else if (opt_int(ctx, what, e, i, 0, 0xfffffffeLL, &x))
				errs++;
			else
				v->preferred_lft = x;
			i++;
			break;
		}
		default:
			unknown_option(ctx, e, what, o, vip_opts);
			return -1;
		}
	}
	return errs ? -1 : 0;
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

static const char *const route_opts[] = { "to",
					  "via",
					  "gw",
					  "or",
					  "src",
					  "from",
					  "dev",
					  "oif",
					  "scope",
					  "table",
					  "metric",
					  "priority",
					  "preference",
					  "tos",
					  "dsfield",
					  "protocol",
					  "onlink",
					  "no_track",
					  "track_group",
					  "inet6",
					  "append",
					  "nexthop",
					  "realms",
					  "mtu",
					  "advmss",
					  "rtt",
					  "rttvar",
					  "reordering",
					  "window",
					  "cwnd",
					  "ssthresh",
					  "initcwnd",
					  "initrwnd",
					  "rto_min",
					  "hoplimit",
					  "features",
					  "quickack",
					  "congctl",
					  "fastopen_no_cookie",
					  "vrf",
					  "pref",
					  "expires",
					  "ttl-propagate",
					  NULL };

/* Options kept as "name value" in opts, with a number (optionally after "lock"). */
static const char *const route_num_opts[] = { "mtu",	    "advmss",	"rtt",	   "rttvar",
					      "reordering", "window",	"cwnd",	   "ssthresh",
					      "initcwnd",   "initrwnd", "rto_min", "hoplimit",
					      "expires",    NULL };

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

/* Parses "nexthop via A [dev IF] [weight N] [onlink]" starting at e->argv[*pi]. */
static int route_nexthop(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e,
			 unsigned *pi, struct conf_route *r, int fam)
{
	struct conf_nexthop *nh;
	unsigned i = *pi + 1;
	long long x;

	nh = arena_alloc(ctx->arena, (r->n_nexthops + 1) * sizeof(*nh));
	if (r->n_nexthops)
		memcpy(nh, r->nexthops, r->n_nexthops * sizeof(*nh));
	r->nexthops = nh;
	nh = &r->nexthops[r->n_nexthops++];
	while (i < e->argc && strcmp(e->argv[i], "nexthop")) {
		const char *o = e->argv[i];

		if (!strcmp(o, "via") || !strcmp(o, "gw")) {
			if (opt_addr(ctx, what, e, i, fam, &nh->via))
				return -1;
			i += 2;
		} else if (!strcmp(o, "dev")) {
			if (opt_ifname(ctx, what, e, i, &nh->dev))
				return -1;
			i += 2;
		} else if (!strcmp(o, "weight")) {
			if (opt_int(ctx, what, e, i, 1, 256, &x))
				return -1;
			nh->weight = (unsigned)x;
			i += 2;
		} else if (!strcmp(o, "onlink")) {
			nh->onlink = true;
			i++;
		} else {
			break;
		}
	}
	if (!nh->via.family && !nh->dev) {
		conf_error(ctx, &e->loc, "%s: nexthop needs 'via ADDRESS' or 'dev IFNAME'", what);
		return -1;
	}
	*pi = i - 1;
	return 0;
}

static int route_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_route *r = obj;
	const char *what = kw ? kw->name : "route";
	bool have_dst = false;
	int errs = 0, k;
	unsigned i;
	long long x;
	const char *why;

	/* The family comes from the destination; find it first so that every
	 * other address can be checked against it whatever the word order. */
	r->family = AF_INET;
	for (i = 0; i < e->argc; i++)
		if (!strcmp(e->argv[i], "inet6"))
			r->inet6 = true;
	if (r->inet6)
		r->family = AF_INET6;

	for (i = 0; i < e->argc; i++) {
		const char *o = e->argv[i];

		if (!have_dst && (k = match_word(o, conf_route_type_names)) > 0 &&
		    i + 1 < e->argc) {
			r->type = k;
			continue;
		}
		k = match_word(o, route_opts);
		if (k < 0 || (k == 0 && !have_dst)) {
			const char *d = o;

			if (k == 0) {
				d = opt_arg(ctx, what, e, i);
				if (!d)
					return -1;
				i++;
				/* "to TYPE PREFIX", as ip-route writes it */
				if ((k = match_word(d, conf_route_type_names)) > 0 &&
				    i + 1 < e->argc) {
					r->type = k;
					d = e->argv[++i];
				}
			}
			if (have_dst) {
				unknown_option(ctx, e, what, o, route_opts);
				return -1;
			}
			if (!strcmp(d, "default")) {
				memset(&r->dst, 0, sizeof(r->dst));
				r->dst.addr.family = (sa_family_t)r->family;
				r->dst.has_len = true;
			} else if (conf_parse_prefix(d, AF_UNSPEC, &r->dst, &why)) {
				conf_error(ctx, &e->loc, "%s: destination '%s' %s", what, d, why);
				return -1;
			} else if (r->inet6 && r->dst.addr.family != AF_INET6) {
				conf_error(ctx, &e->loc,
					   "%s: destination %s is IPv4 but 'inet6' is given", what,
					   d);
				return -1;
			}
			r->family = r->dst.addr.family;
			have_dst = true;
			continue;
		}
		switch (k) {
		case 0:
			unknown_option(ctx, e, what, o, route_opts);
			return -1;
		case 1: /* via */
		case 2: /* gw */
			errs += opt_addr(ctx, what, e, i, have_dst ? r->family : 0, &r->via) ? 1
											     : 0;
			i++;
			break;
		case 3: /* or */
			errs += opt_addr(ctx, what, e, i, have_dst ? r->family : 0, &r->or_via) ? 1
												: 0;
			i++;
			break;
		case 4: /* src */
			errs += opt_addr(ctx, what, e, i, have_dst ? r->family : 0, &r->src) ? 1
											     : 0;
			i++;
			break;
		case 5: /* from */
			errs += opt_prefix(ctx, what, e, i, have_dst ? r->family : 0, &r->from) ? 1
												: 0;
			i++;
			break;
		case 6:
		case 7:
			errs += opt_ifname(ctx, what, e, i, &r->dev) ? 1 : 0;
			i++;
			break;
		case 8:
			errs += opt_enum(ctx, what, e, i, conf_scope_names, &r->scope) ? 1 : 0;
			i++;
			break;
		case 9:
			errs += opt_table(ctx, what, e, i, &r->table) ? 1 : 0;
			i++;
			break;
		case 10:
		case 11:
		case 12:
			if (opt_int(ctx, what, e, i, 0, 0xffffffffLL, &x)) {
				errs++;
			} else {
				r->metric = (unsigned)x;
				r->has_metric = true;
			}
			i++;
			break;
		case 13:
		case 14:
			if (opt_int(ctx, what, e, i, 0, 255, &x))
				errs++;
			else
				r->tos = (unsigned)x;
			i++;
			break;
		case 15:
			if (!opt_arg(ctx, what, e, i))
				return -1;
			r->protocol = e->argv[++i];
			break;
		case 16:
			r->onlink = true;
			break;
		case 17:
			if (is_static(kw)) {
				conf_error(ctx, &e->loc,
					   "%s: no_track applies only to routes of a vrrp_instance",
					   what);
				errs++;
			}
			r->no_track = true;
			break;
		case 18:
			if (!opt_arg(ctx, what, e, i))
				return -1;
			if (!is_static(kw)) {
				conf_error(ctx, &e->loc,
					   "%s: track_group applies only to static_routes entries",
					   what);
				errs++;
			}
			r->track_group = e->argv[++i];
			break;
		case 19: /* inet6: handled above */
			break;
		case 20:
			r->append = true;
			break;
		case 21:
			if (route_nexthop(ctx, what, e, &i, r, have_dst ? r->family : 0))
				return -1;
			break;
		default: {
			/* Kept as words for the route code: check the value's shape. */
			unsigned vi = i + 1;

			bool lock = vi < e->argc && !strcmp(e->argv[vi], "lock");

			if (lock)
				vi++;
			if (vi >= e->argc) {
				conf_error(ctx, &e->loc, "'%s' needs a value after '%s'", what, o);
				return -1;
			}
			if (match_word(o, route_num_opts) >= 0 &&
			    !(e->argv[vi][0] >= '0' && e->argv[vi][0] <= '9')) {
				conf_error(ctx, &e->loc, "%s: %s '%s' is not a number", what, o,
					   e->argv[vi]);
				errs++;
			}
			if (lock)
				opts_add(ctx, &r->opts, o, "lock");
			opts_add(ctx, &r->opts, lock ? e->argv[vi] : o, lock ? NULL : e->argv[vi]);
			i = vi;
			break;
		}
		}
	}
	if (!have_dst) {
		conf_error(ctx, &e->loc, "%s: the route has no destination", what);
		return -1;
	}
	if (r->or_via.family && !r->via.family) {
		conf_error(ctx, &e->loc, "%s: 'or' needs a 'via' address before it", what);
		errs++;
	}
	if (r->type != 0 && r->type != 5 && (r->via.family || r->n_nexthops)) {
		conf_error(ctx, &e->loc, "%s: a %s route cannot have a gateway", what,
			   conf_route_type_names[r->type]);
		errs++;
	}
	/* Families given before the destination are checked now. */
	if (!errs && ((r->via.family && r->via.family != r->family) ||
		      (r->src.family && r->src.family != r->family) ||
		      (r->or_via.family && r->or_via.family != r->family))) {
		conf_error(ctx, &e->loc, "%s: the route's addresses mix IPv4 and IPv6", what);
		errs++;
	}
	return errs ? -1 : 0;
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

static const char *const rule_opts[] = { "from",
					 "to",
					 "table",
					 "lookup",
					 "preference",
					 "priority",
					 "order",
					 "tos",
					 "dsfield",
					 "fwmark",
					 "iif",
					 "iifname",
					 "oif",
					 "oifname",
					 "goto",
					 "not",
					 "no_track",
					 "track_group",
					 "inet6",
					 "l3mdev",
					 "realms",
					 "uidrange",
					 "protocol",
					 "ip_proto",
					 "sport",
					 "dport",
					 "suppress_prefixlength",
					 "suppress_ifgroup",
					 "nop",
					 "blackhole",
					 "unreachable",
					 "prohibit",
					 "type",
					 NULL };

static int rule_range(struct conf_ctx *ctx, const char *what, const struct conf_stmt *e, unsigned i,
		      long long hi)
{
	const char *v = opt_arg(ctx, what, e, i), *why;
	char lo_s[24];
	const char *dash;
	long long a, b;

	if (!v)
		return -1;
	dash = strchr(v, '-');
	if (dash && (size_t)(dash - v) < sizeof(lo_s)) {
		memcpy(lo_s, v, (size_t)(dash - v));
		lo_s[dash - v] = '\0';
		if (conf_parse_int(lo_s, 0, hi, &a, &why) ||
		    conf_parse_int(dash + 1, 0, hi, &b, &why) || a > b) {
			conf_error(ctx, &e->loc,
				   "%s: %s '%s' is not a range LOW-HIGH within 0-%lld", what,
				   e->argv[i], v, hi);
			return -1;
		}
		return 0;
	}
	if (conf_parse_int(v, 0, hi, &a, &why)) {
		conf_error(ctx, &e->loc, "%s: %s '%s' %s (valid: 0-%lld)", what, e->argv[i], v, why,
			   hi);
		return -1;
	}
	return 0;
}

static int rule_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		      const struct conf_kw *kw)
{
	struct conf_rule *r = obj;
	const char *what = kw ? kw->name : "rule";
	int errs = 0, k;
	unsigned i;
	long long x;
	bool has_action = false;

	for (i = 0; i < e->argc; i++)
		if (!strcmp(e->argv[i], "inet6"))
			r->inet6 = true;
	r->family = r->inet6 ? AF_INET6 : 0;

	for (i = 0; i < e->argc; i++) {
		const char *o = e->argv[i];

		k = match_word(o, rule_opts);
		switch (k) {
		case 0:
		case 1: {
			struct conf_prefix *p = k == 0 ? &r->from : &r->to;
			const char *v = opt_arg(ctx, what, e, i);

			if (!v)
				return -1;
			if (strcmp(v, "all")) {
				if (opt_prefix(ctx, what, e, i, r->family, p)) {
					errs++;
				} else {
					r->family = p->addr.family;
				}
			}
			i++;
			break;
		}
		case 2:
		case 3:
			errs += opt_table(ctx, what, e, i, &r->table) ? 1 : 0;
			has_action = true;
			r->action = 0;
			i++;
			break;
		case 4:
		case 5:
		case 6:
			if (opt_int(ctx, what, e, i, 0, 0xffffffffLL, &x)) {
				errs++;
			} else {
				r->preference = (unsigned)x;
				r->has_preference = true;
			}
			i++;
			break;
		case 7:
		case 8:
			if (opt_int(ctx, what, e, i, 0, 255, &x))
				errs++;
			else
				r->tos = (unsigned)x;
			i++;
			break;
		case 9: {
			const char *v = opt_arg(ctx, what, e, i), *slash, *why;
			char num[24];
			long long m = 0xffffffffLL;

			if (!v)
				return -1;
			slash = strchr(v, '/');
			if (slash && (size_t)(slash - v) < sizeof(num)) {
				memcpy(num, v, (size_t)(slash - v));
				num[slash - v] = '\0';
			} else {
				snprintf(num, sizeof(num), "%s", v);
			}
			if (conf_parse_int(num, 0, 0xffffffffLL, &x, &why) ||
			    (slash && conf_parse_int(slash + 1, 0, 0xffffffffLL, &m, &why))) {
				conf_error(ctx, &e->loc, "%s: fwmark '%s' is not MARK or MARK/MASK",
					   what, v);
				errs++;
			} else {
				r->fwmark = (unsigned)x;
				r->fwmask = (unsigned)m;
				r->has_fwmark = true;
			}
			i++;
			break;
		}
		case 10:
		case 11:
			errs += opt_ifname(ctx, what, e, i, &r->iif) ? 1 : 0;
			i++;
			break;
		case 12:
		case 13:
			errs += opt_ifname(ctx, what, e, i, &r->oif) ? 1 : 0;
			i++;
			break;
		case 14:
			if (opt_int(ctx, what, e, i, 0, 0xffffffffLL, &x)) {
				errs++;
			} else {
				r->goto_target = (unsigned)x;
				r->action = 1;
			}
			has_action = true;
			i++;
			break;
		case 15:
			r->not_ = true;
			break;
		case 16:
			if (is_static(kw)) {
				conf_error(ctx, &e->loc,
					   "%s: no_track applies only to rules of a vrrp_instance",
					   what);
				errs++;
			}
			r->no_track = true;
			break;
		case 17:
			if (!opt_arg(ctx, what, e, i))
				return -1;
			if (!is_static(kw)) {
				conf_error(ctx, &e->loc,
					   "%s: track_group applies only to static_rules entries",
					   what);
				errs++;
			}
			r->track_group = e->argv[++i];
			break;
		case 18:
			break;
		case 19:
			r->l3mdev = true;
			has_action = true;
			break;
		case 20: /* realms */
		case 22: /* protocol */
		case 23: /* ip_proto */
		case 27: /* suppress_ifgroup */
			if (!opt_arg(ctx, what, e, i))
				return -1;
			opts_add(ctx, &r->opts, o, e->argv[i + 1]);
			i++;
			break;
		case 21:
			if (rule_range(ctx, what, e, i, 0xffffffffLL))
				errs++;
			else
				opts_add(ctx, &r->opts, o, e->argv[i + 1]);
			i++;
			break;
		case 24:
		case 25:
			if (rule_range(ctx, what, e, i, 65535))
				errs++;
			else
				opts_add(ctx, &r->opts, o, e->argv[i + 1]);
			i++;
			break;
		case 26:
			if (opt_int(ctx, what, e, i, 0, 128, &x))
				errs++;
			else
				opts_add(ctx, &r->opts, o, e->argv[i + 1]);
			i++;
			break;
		case 28:
		case 29:
		case 30:
		case 31:
			r->action = match_word(o, conf_rule_action_names);
			has_action = true;
			break;
		case 32: {
			int a;

			if (opt_enum(ctx, what, e, i, conf_rule_action_names, &a)) {
				errs++;
			} else {
				r->action = a;
				has_action = has_action || a >= 2;
			}
			i++;
			break;
		}
		default:
			unknown_option(ctx, e, what, o, rule_opts);
			return -1;
		}
	}
	if (!r->family)
		r->family = AF_INET;
	if (!has_action && !errs) {
		conf_error(ctx, &e->loc,
			   "%s: the rule has no action; give 'table', 'goto', 'l3mdev' or a type "
			   "such as 'blackhole'",
			   what);
		errs++;
	}
	return errs ? -1 : 0;
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
