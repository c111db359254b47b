/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keyword tables for virtual_server_group, virtual_server, real_server and
 * the top-level SSL block. The checkers are in kw_check.c; checks that need
 * the whole configuration (group references, address families, duplicates,
 * inherited defaults) are in validate_lvs.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/json.h"
#include "conf/model.h"

/* ---- small shared helpers ---- */

static int lvs_int(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i, long long min,
		   long long max, long long *out)
{
	const char *why;

	if (i >= st->argc) {
		conf_error(ctx, &st->loc, "%s: missing value", st->argv[0]);
		return -1;
	}
	if (conf_parse_int(st->argv[i], min, max, out, &why)) {
		if (!strcmp(why, "is out of range"))
			conf_error(ctx, &st->loc, "%s: '%s' is out of range (%lld-%lld)",
				   st->argv[0], st->argv[i], min, max);
		else
			conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[i], why);
		return -1;
	}
	return 0;
}

static int lvs_addr(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i,
		    struct conf_addr *out)
{
	const char *why;

	if (conf_parse_addr(st->argv[i], AF_UNSPEC, out, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[i], why);
		return -1;
	}
	return 0;
}

int conf_lvs_parse_tri(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	int8_t *p = (int8_t *)((char *)obj + kw->off);
	const char *why;
	bool b = true;

	if (st->argc > 2) {
		conf_error(ctx, &st->loc, "%s: takes at most one argument (<BOOL>)", st->argv[0]);
		return -1;
	}
	if (st->argc == 2 && conf_parse_bool(st->argv[1], &b, &why)) {
		conf_error(ctx, &st->loc, "%s: '%s' %s", st->argv[0], st->argv[1], why);
		return -1;
	}
	*p = b ? 1 : 0;
	return 0;
}

void conf_lvs_dump_tri(struct json *j, const void *obj, const struct conf_kw *kw)
{
	int8_t v = *(const int8_t *)((const char *)obj + kw->off);

	if (v == CONF_TRI_UNSET)
		json_null(j);
	else
		json_bool(j, v != 0);
}

/* Dumps of settings that may stay unset at this level (the checker kind then
 * decides): null rather than the sentinel. */
static void dump_timer_opt(struct json *j, const void *obj, const struct conf_kw *kw)
{
	uint64_t v = *(const uint64_t *)(const void *)((const char *)obj + kw->off);

	if (v == CONF_LVS_UNSET_TIMER)
		json_null(j);
	else
		json_double(j, (double)v / 1e6);
}

static void dump_uint_opt(struct json *j, const void *obj, const struct conf_kw *kw)
{
	unsigned v = *(const unsigned *)(const void *)((const char *)obj + kw->off);

	if (v == CONF_LVS_UNSET_UINT)
		json_null(j);
	else
		json_uint(j, v);
}

#define KW_TIMER_OPT(n, T, f, lo, hi)                                                            \
	{                                                                                        \
		KWF(n, T, f), .type = CV_TIMER, .min = (lo), .max = (hi), .dump = dump_timer_opt \
	}
#define KW_RETRY(n, T, f)                                                       \
	{                                                                       \
		KWF(n, T, f), .type = CV_UINT, .min = 0, .max = UINT32_MAX - 1, \
			      .dump = dump_uint_opt                             \
	}

static const struct conf_stmt *find_child(const struct conf_stmt *st, const char *name)
{
	const struct conf_stmt *found = NULL;

	for (const struct conf_stmt *c = st ? st->children : NULL; c; c = c->next)
		if (!strcmp(c->argv[0], name))
			found = c;
	return found;
}

static const struct conf_loc *child_loc(const struct conf_stmt *st, const char *name)
{
	const struct conf_stmt *c = find_child(st, name);

	return c ? &c->loc : &st->loc;
}

/* ---- lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] ---- */

static int parse_fwd(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw)
{
	struct conf_lvs_fwd *f = (struct conf_lvs_fwd *)((char *)obj + kw->off);
	struct conf_lvs_fwd n = { .loc = st->loc };
	unsigned i = 2;

	if (st->argc < 2) {
		conf_error(ctx, &st->loc, "%s: missing forwarding method (NAT, DR or TUN)",
			   st->argv[0]);
		return -1;
	}
	if (!strcasecmp(st->argv[1], "NAT"))
		n.method = CONF_FWD_NAT;
	else if (!strcasecmp(st->argv[1], "DR"))
		n.method = CONF_FWD_DR;
	else if (!strcasecmp(st->argv[1], "TUN"))
		n.method = CONF_FWD_TUN;
	else {
		conf_error(ctx, &st->loc, "%s: '%s' is not a forwarding method (NAT, DR or TUN)",
			   st->argv[0], st->argv[1]);
		return -1;
	}
	if (n.method != CONF_FWD_TUN && st->argc > 2) {
		conf_error(ctx, &st->loc,
			   "%s: %s takes no options ('%s'); only TUN has a tunnel type",
			   st->argv[0], st->argv[1], st->argv[2]);
		return -1;
	}
	if (i < st->argc && !strcmp(st->argv[i], "type")) {
		if (++i >= st->argc) {
			conf_error(ctx, &st->loc, "%s: 'type' needs ipip, gue or gre", st->argv[0]);
			return -1;
		}
		if (!strcmp(st->argv[i], "ipip"))
			n.tun_type = CONF_TUN_IPIP;
		else if (!strcmp(st->argv[i], "gue"))
			n.tun_type = CONF_TUN_GUE;
		else if (!strcmp(st->argv[i], "gre"))
			n.tun_type = CONF_TUN_GRE;
		else {
			conf_error(ctx, &st->loc,
				   "%s: '%s' is not a tunnel type (ipip, gue or gre)", st->argv[0],
				   st->argv[i]);
			return -1;
		}
		i++;
		if (n.tun_type == CONF_TUN_GUE) {
			long long port;

			if (i >= st->argc || strcmp(st->argv[i], "port")) {
				conf_error(ctx, &st->loc, "%s: tunnel type gue needs 'port N'",
					   st->argv[0]);
				return -1;
			}
			if (lvs_int(ctx, st, i + 1, 1, 65535, &port))
				return -1;
			n.tun_port = (uint16_t)port;
			i += 2;
		}
	}
	if (i < st->argc) {
		const char *w = st->argv[i];

		if (!strcmp(w, "nocsum"))
			n.tun_csum = CONF_CSUM_NONE;
		else if (!strcmp(w, "csum"))
			n.tun_csum = CONF_CSUM_CSUM;
		else if (!strcmp(w, "remcsum"))
			n.tun_csum = CONF_CSUM_REMCSUM;
		else {
			conf_error(ctx, &st->loc, "%s: unexpected '%s'", st->argv[0], w);
			return -1;
		}
		if (n.tun_type == CONF_TUN_IPIP) {
			conf_error(ctx, &st->loc,
				   "%s: checksum option '%s' needs tunnel type gue or gre",
				   st->argv[0], w);
			return -1;
		}
		if (n.tun_type == CONF_TUN_GRE && n.tun_csum == CONF_CSUM_REMCSUM) {
			conf_error(ctx, &st->loc,
				   "%s: remcsum is not available with tunnel type gre",
				   st->argv[0]);
			return -1;
		}
		i++;
	}
	if (i < st->argc) {
		conf_error(ctx, &st->loc, "%s: unexpected '%s'", st->argv[0], st->argv[i]);
		return -1;
	}
	*f = n;
	return 0;
}

static void dump_fwd(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_lvs_fwd *f = (const struct conf_lvs_fwd *)((const char *)obj + kw->off);
	static const char *const m[] = { NULL, "NAT", "DR", "TUN" };
	static const char *const t[] = { "ipip", "gue", "gre" };
	static const char *const c[] = { "", " nocsum", " csum", " remcsum" };
	char buf[64], port[16] = "";

	if (f->method == CONF_FWD_UNSET || f->method > CONF_FWD_TUN) {
		json_null(j);
		return;
	}
	if (f->method != CONF_FWD_TUN) {
		json_str(j, m[f->method]);
		return;
	}
	if (f->tun_type == CONF_TUN_GUE)
		snprintf(port, sizeof(port), " port %u", f->tun_port);
	snprintf(buf, sizeof(buf), "TUN type %s%s%s", t[f->tun_type % 3], port, c[f->tun_csum % 4]);
	json_str(j, buf);
}

#define KW_FWD(n, T, f)                                                               \
	{                                                                             \
		KWF(n, T, f), .type = CV_CUSTOM, .parse = parse_fwd, .dump = dump_fwd \
	}

/* ---- notify scripts: CMD [USER [GROUP]] ---- */

static int parse_script(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw)
{
	struct conf_lvs_script *s = (struct conf_lvs_script *)((char *)obj + kw->off);

	if (st->argc < 2 || st->argc > 4) {
		conf_error(ctx, &st->loc,
			   "%s: needs a script and optionally a user and group (quote a script "
			   "that has arguments)",
			   st->argv[0]);
		return -1;
	}
	if (!st->argv[1][0]) {
		conf_error(ctx, &st->loc, "%s: the script is empty", st->argv[0]);
		return -1;
	}
	s->cmd = st->argv[1];
	s->user = st->argc > 2 ? st->argv[2] : NULL;
	s->group = st->argc > 3 ? st->argv[3] : NULL;
	return 0;
}

static void dump_script(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_lvs_script *s =
		(const struct conf_lvs_script *)((const char *)obj + kw->off);

	if (!s->cmd) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "script", s->cmd);
	json_kstr(j, "user", s->user);
	json_kstr(j, "group", s->group);
	json_obj_end(j);
}

#define KW_SCRIPT(n, T, f)                                                                  \
	{                                                                                   \
		KWF(n, T, f), .type = CV_CUSTOM, .parse = parse_script, .dump = dump_script \
	}

/* ---- virtual_server_group NAME { entries } ---- */

/* first..last as a count, or UINT32_MAX when larger than CONF_LVS_RANGE_MAX. */
static uint32_t range_count(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family == AF_INET) {
		uint32_t x = ntohl(a->u.v4.s_addr), y = ntohl(b->u.v4.s_addr);

		if (y < x || y - x >= CONF_LVS_RANGE_MAX)
			return y < x ? 0 : UINT32_MAX;
		return y - x + 1;
	}
	const uint8_t *x = a->u.v6.s6_addr, *y = b->u.v6.s6_addr;
	int cmp = memcmp(x, y, 16);

	if (cmp > 0)
		return 0;
	/* Within CONF_LVS_RANGE_MAX only if the difference fits in the last 17 bits. */
	uint64_t hx = 0, hy = 0, lx = 0, ly = 0;
	for (int i = 0; i < 8; i++) {
		hx = hx << 8 | x[i];
		hy = hy << 8 | y[i];
		lx = lx << 8 | x[i + 8];
		ly = ly << 8 | y[i + 8];
	}
	uint64_t dh = hy - hx - (ly < lx), dl = ly - lx;
	if (dh || dl >= CONF_LVS_RANGE_MAX)
		return UINT32_MAX;
	return (uint32_t)dl + 1;
}

static int parse_vsg_addr(struct conf_ctx *ctx, const struct conf_stmt *st,
			  struct conf_vsg_entry *e)
{
	char buf[CONF_ADDRSTRLEN * 2];
	const char *s = st->argv[0], *why;
	char *dash;

	if (strlen(s) >= sizeof(buf)) {
		conf_error(ctx, &st->loc, "virtual_server_group: '%.40s...' is not an address", s);
		return -1;
	}
	strcpy(buf, s);
	if (strchr(buf, '/')) {
		struct conf_prefix p;

		if (conf_parse_prefix(buf, AF_UNSPEC, &p, &why)) {
			conf_error(ctx, &st->loc, "virtual_server_group: '%s' %s", s, why);
			return -1;
		}
		unsigned bits = p.addr.family == AF_INET ? 32 : 128;
		if (bits - p.len > 16) {
			conf_error(ctx, &st->loc,
				   "virtual_server_group: '%s' expands to more than %u addresses",
				   s, CONF_LVS_RANGE_MAX);
			return -1;
		}
		e->first = e->last = p.addr;
		uint8_t *f = p.addr.family == AF_INET ? (uint8_t *)&e->first.u.v4
						      : e->first.u.v6.s6_addr;
		uint8_t *l =
			p.addr.family == AF_INET ? (uint8_t *)&e->last.u.v4 : e->last.u.v6.s6_addr;
		bool host_bits = false;
		for (unsigned bit = p.len; bit < bits; bit++) {
			uint8_t m = (uint8_t)(0x80u >> (bit % 8));

			host_bits |= (f[bit / 8] & m) != 0;
			f[bit / 8] &= (uint8_t)~m;
			l[bit / 8] |= m;
		}
		if (host_bits)
			conf_warn(ctx, &st->loc,
				  "virtual_server_group: '%s' has host bits set; the whole /%u is "
				  "used",
				  s, p.len);
	} else if ((dash = strchr(buf, '-'))) {
		*dash = '\0';
		if (conf_parse_addr(buf, AF_UNSPEC, &e->first, &why)) {
			conf_error(ctx, &st->loc, "virtual_server_group: '%s' %s", buf, why);
			return -1;
		}
		const char *end = dash + 1;
		if (conf_parse_addr(end, e->first.family, &e->last, &why) == 0) {
			/* full end address */
		} else {
			long long v;
			const char *w2;
			char *ep;

			e->last = e->first;
			if (e->first.family == AF_INET) {
				if (conf_parse_int(end, 0, 255, &v, &w2)) {
					conf_error(ctx, &st->loc,
						   "virtual_server_group: range end '%s' is "
						   "neither an address nor 0-255",
						   end);
					return -1;
				}
				((uint8_t *)&e->last.u.v4)[3] = (uint8_t)v;
			} else {
				v = strtoll(end, &ep, 16);
				if (!*end || *ep || v < 0 || v > 0xffff || strlen(end) > 4) {
					conf_error(ctx, &st->loc,
						   "virtual_server_group: range end '%s' is "
						   "neither an address nor hex 0-ffff",
						   end);
					return -1;
				}
				e->last.u.v6.s6_addr[14] = (uint8_t)(v >> 8);
				e->last.u.v6.s6_addr[15] = (uint8_t)v;
			}
		}
	} else {
		if (conf_parse_addr(buf, AF_UNSPEC, &e->first, &why)) {
			conf_error(ctx, &st->loc, "virtual_server_group: '%s' %s", s, why);
			return -1;
		}
		e->last = e->first;
	}
	uint32_t n = range_count(&e->first, &e->last);
	if (n == 0) {
		conf_error(ctx, &st->loc, "virtual_server_group: range '%s' ends before it starts",
			   s);
		return -1;
	}
	if (n == UINT32_MAX) {
		conf_error(ctx, &st->loc,
			   "virtual_server_group: '%s' expands to more than %u addresses", s,
			   CONF_LVS_RANGE_MAX);
		return -1;
	}
	e->n_addrs = n;
	e->family = e->first.family;
	return 0;
}

static int parse_vsg_entry(struct conf_ctx *ctx, const struct conf_stmt *st,
			   struct conf_vsg_entry *e)
{
	long long v;

	e->hdr.loc = st->loc;
	if (st->has_block) {
		conf_error(ctx, &st->loc, "virtual_server_group: '%s' does not take a block",
			   st->argv[0]);
		return -1;
	}
	if (!strcmp(st->argv[0], "fwmark")) {
		if (st->argc < 2 || st->argc > 3) {
			conf_error(ctx, &st->loc,
				   "virtual_server_group: fwmark needs a mark and optionally inet "
				   "or inet6");
			return -1;
		}
		if (lvs_int(ctx, st, 1, 1, UINT32_MAX, &v))
			return -1;
		e->is_fwmark = true;
		e->fwmark = (uint32_t)v;
		e->family = AF_UNSPEC;
		if (st->argc == 3) {
			if (!strcmp(st->argv[2], "inet"))
				e->family = AF_INET;
			else if (!strcmp(st->argv[2], "inet6"))
				e->family = AF_INET6;
			else {
				conf_error(ctx, &st->loc,
					   "virtual_server_group: fwmark family '%s' is not inet "
					   "or inet6",
					   st->argv[2]);
				return -1;
			}
		}
		return 0;
	}
	if (st->argc > 2) {
		conf_error(ctx, &st->loc,
			   "virtual_server_group: an entry is ADDRESS[-RANGE] [PORT] or fwmark N; "
			   "'%s' is extra",
			   st->argv[2]);
		return -1;
	}
	if (parse_vsg_addr(ctx, st, e))
		return -1;
	if (st->argc == 2) {
		if (lvs_int(ctx, st, 1, 0, 65535, &v))
			return -1;
		e->port = (unsigned)v;
	}
	return 0;
}

static bool vsg_entry_same(const struct conf_vsg_entry *a, const struct conf_vsg_entry *b)
{
	if (a->is_fwmark != b->is_fwmark)
		return false;
	if (a->is_fwmark)
		return a->fwmark == b->fwmark && a->family == b->family;
	return a->port == b->port && conf_addr_equal(&a->first, &b->first) &&
	       conf_addr_equal(&a->last, &b->last);
}

static int parse_vsg(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw)
{
	struct conf_list *groups = (struct conf_list *)((char *)obj + kw->off);
	struct conf_vsg *g, *old;
	int rc = 0;

	if (st->argc != 2) {
		conf_error(ctx, &st->loc, "virtual_server_group: needs exactly one name");
		return -1;
	}
	if (!st->has_block) {
		conf_error(ctx, &st->loc, "virtual_server_group %s: missing '{' block",
			   st->argv[1]);
		return -1;
	}
	old = conf_list_find(groups, st->argv[1]);
	if (old) {
		conf_error(ctx, &st->loc, "virtual_server_group %s: already defined at %s:%u",
			   st->argv[1], old->hdr.loc.file, old->hdr.loc.line);
		return -1;
	}
	g = arena_alloc(ctx->arena, sizeof(*g));
	g->hdr.loc = st->loc;
	g->hdr.name = st->argv[1];
	for (const struct conf_stmt *c = st->children; c; c = c->next) {
		struct conf_vsg_entry *e = arena_alloc(ctx->arena, sizeof(*e));

		if (parse_vsg_entry(ctx, c, e)) {
			rc = -1;
			continue;
		}
		conf_list_for_each (struct conf_vsg_entry, o, &g->entries) {
			if (vsg_entry_same(o, e)) {
				conf_error(ctx, &c->loc,
					   "virtual_server_group %s: duplicate entry (first at "
					   "line %u)",
					   g->hdr.name, o->hdr.loc.line);
				rc = -1;
				break;
			}
		}
		if (!e->is_fwmark) {
			if (e->family == AF_INET)
				g->has_v4 = true;
			else
				g->has_v6 = true;
		}
		conf_list_append(&g->entries, &e->hdr);
	}
	if (!g->entries.count)
		conf_warn(ctx, &st->loc, "virtual_server_group %s: has no entries", g->hdr.name);
	conf_list_append(groups, &g->hdr);
	return rc;
}

static void dump_vsgs(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_list *groups = (const struct conf_list *)((const char *)obj + kw->off);
	char a[CONF_ADDRSTRLEN], b[CONF_ADDRSTRLEN];

	json_arr_begin(j);
	conf_list_for_each (const struct conf_vsg, g, groups) {
		json_obj_begin(j);
		json_kstr(j, "name", g->hdr.name);
		json_key(j, "entries");
		json_arr_begin(j);
		conf_list_for_each (const struct conf_vsg_entry, e, &g->entries) {
			json_obj_begin(j);
			if (e->is_fwmark) {
				json_kuint(j, "fwmark", e->fwmark);
				json_kstr(j, "family",
					  e->family == AF_INET	  ? "inet"
					  : e->family == AF_INET6 ? "inet6"
								  : NULL);
			} else {
				json_kstr(j, "first", conf_addr_str(&e->first, a));
				json_kstr(j, "last", conf_addr_str(&e->last, b));
				json_kuint(j, "port", e->port);
			}
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* ---- real_server ---- */

static void rs_init(void *obj)
{
	struct conf_rs *rs = obj;

	rs->weight = 1;
	rs->smtp_alert = CONF_TRI_UNSET;
	rs->alpha = CONF_TRI_UNSET;
	rs->inhibit_on_failure = CONF_TRI_UNSET;
	rs->connect_timeout = rs->delay_before_retry = CONF_LVS_UNSET_TIMER;
	rs->warmup = rs->delay_loop = CONF_LVS_UNSET_TIMER;
	rs->retry = CONF_LVS_UNSET_UINT;
}

static int server_head(struct conf_ctx *ctx, const struct conf_stmt *st, struct conf_addr *addr,
		       unsigned *port)
{
	long long v;

	if (st->argc < 2 || st->argc > 3) {
		conf_error(ctx, &st->loc, "%s: needs an address and optionally a port",
			   st->argv[0]);
		return -1;
	}
	if (lvs_addr(ctx, st, 1, addr))
		return -1;
	/* Port 0 is "no port", as in keepalived (validate_lvs.c decides what
	 * it means for the server). */
	if (st->argc == 3) {
		if (lvs_int(ctx, st, 2, 0, 65535, &v))
			return -1;
		*port = (unsigned)v;
	}
	return 0;
}

static int rs_head(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		   const struct conf_kw *kw)
{
	struct conf_rs *rs = obj;

	(void)kw;
	rs->hdr.loc = st->loc;
	if (server_head(ctx, st, &rs->addr, &rs->port))
		return -1;
	rs->hdr.name = conf_join_args(ctx, st, 1);
	return 0;
}

static int rs_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_rs *rs = obj;

	if (rs->uthreshold && rs->lthreshold > rs->uthreshold) {
		conf_error(ctx, child_loc(st, "lthreshold"),
			   "real_server %s: lthreshold %u is above uthreshold %u", rs->hdr.name,
			   rs->lthreshold, rs->uthreshold);
		return -1;
	}
	return 0;
}

#define RS struct conf_rs
static const struct conf_kw rs_kws[] = {
	KW_UINT("weight", RS, weight, 0, CONF_LVS_WEIGHT_MAX),
	KW_FWD("lvs_method", RS, fwd),
	{ KWF("lb_kind", RS, fwd), .type = CV_CUSTOM, .parse = parse_fwd, .dump = dump_fwd,
	  .flags = KW_ALIAS },
	KW_SCRIPT("notify_up", RS, notify_up),
	KW_SCRIPT("notify_down", RS, notify_down),
	KW_UINT("uthreshold", RS, uthreshold, 0, UINT32_MAX),
	KW_UINT("lthreshold", RS, lthreshold, 0, UINT32_MAX),
	KW_LVS_TRI("smtp_alert", RS, smtp_alert),
	KW_STR("virtualhost", RS, virtualhost),
	KW_STR("snmp_name", RS, snmp_name),
	KW_LVS_TRI("alpha", RS, alpha),
	KW_LVS_TRI("inhibit_on_failure", RS, inhibit_on_failure),
	KW_TIMER("connect_timeout", RS, connect_timeout, 1000, CONF_LVS_TIMER_MAX),
	KW_RETRY("retry", RS, retry),
	KW_TIMER_OPT("delay_before_retry", RS, delay_before_retry, 0, CONF_LVS_TIMER_MAX),
	KW_TIMER_OPT("warmup", RS, warmup, 0, CONF_LVS_TIMER_MAX),
	KW_TIMER("delay_loop", RS, delay_loop, 1000, CONF_LVS_TIMER_MAX),
	KW_BLOCK("TCP_CHECK", RS, tcp_checks, &conf_block_tcp_check),
	KW_BLOCK("HTTP_GET", RS, http_checks, &conf_block_http_get),
	KW_BLOCK("SSL_GET", RS, ssl_checks, &conf_block_ssl_get),
	KW_BLOCK("SMTP_CHECK", RS, smtp_checks, &conf_block_smtp_check),
	KW_BLOCK("DNS_CHECK", RS, dns_checks, &conf_block_dns_check),
	KW_BLOCK("MISC_CHECK", RS, misc_checks, &conf_block_misc_check),
	KW_BLOCK("UDP_CHECK", RS, udp_checks, &conf_block_udp_check),
	KW_BLOCK("PING_CHECK", RS, ping_checks, &conf_block_ping_check),
	KW_BLOCK("FILE_CHECK", RS, file_checks, &conf_block_file_check),
	KW_UNSUPPORTED("BFD_CHECK",
		       "vigil does not implement BFD; use a TCP_CHECK or PING_CHECK instead"),
	/* filled by the block header */
	{ KWF("address", RS, addr), .type = CV_ADDR, .flags = KW_DUMP_ONLY },
	{ KWF("port", RS, port), .type = CV_UINT, .flags = KW_DUMP_ONLY },
	KW_END,
};
#undef RS

static const struct conf_block conf_block_real_server = {
	.name = "real_server",
	.size = sizeof(struct conf_rs),
	.kws = rs_kws,
	.init = rs_init,
	.head = rs_head,
	.finish = rs_finish,
};

/* ---- virtual_server ---- */

const char *const conf_lvs_sched_names[] = {
	"rr",  "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
	"sed", "nq",  "fo", "ovf", "mh",   "twos",  NULL,
};
enum { SCHED_WLC = 3, SCHED_SH = 7, SCHED_MH = 12 };

static const char *const proto_names[] = { "TCP", "UDP", "SCTP", NULL };
static const char *const family_names[] = { "inet", "inet6", NULL };

static void vs_init(void *obj)
{
	struct conf_vs *vs = obj;

	vs->family = -1;
	vs->protocol = CONF_PROTO_UNSET;
	vs->sched = SCHED_WLC;
	vs->fwd.method = CONF_FWD_NAT;
	vs->smtp_alert = CONF_TRI_UNSET;
	vs->quorum = 1;
	vs->delay_loop = 60 * US_PER_SEC;
	vs->connect_timeout = 5 * US_PER_SEC;
	vs->delay_before_retry = vs->warmup = CONF_LVS_UNSET_TIMER;
	vs->retry = CONF_LVS_UNSET_UINT;
}

static int vs_head(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		   const struct conf_kw *kw)
{
	struct conf_vs *vs = obj;
	long long v;

	(void)kw;
	vs->hdr.loc = st->loc;
	if (st->argc >= 2 && !strcmp(st->argv[1], "fwmark")) {
		if (st->argc != 3) {
			conf_error(ctx, &st->loc, "virtual_server fwmark: needs exactly one mark");
			return -1;
		}
		if (lvs_int(ctx, st, 2, 1, UINT32_MAX, &v))
			return -1;
		vs->kind = CONF_VS_FWMARK;
		vs->fwmark = (uint32_t)v;
	} else if (st->argc >= 2 && !strcmp(st->argv[1], "group")) {
		if (st->argc != 3) {
			conf_error(ctx, &st->loc,
				   "virtual_server group: needs exactly one group name");
			return -1;
		}
		vs->kind = CONF_VS_GROUP;
		vs->group = st->argv[2];
	} else {
		if (st->argc < 2 || st->argc > 3) {
			conf_error(ctx, &st->loc,
				   "virtual_server: needs ADDRESS [PORT], fwmark N or group NAME");
			return -1;
		}
		vs->kind = CONF_VS_ADDR;
		if (server_head(ctx, st, &vs->addr, &vs->port))
			return -1;
	}
	vs->hdr.name = conf_join_args(ctx, st, 1);
	return 0;
}

static int parse_persistence_timeout(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
				     const struct conf_kw *kw)
{
	struct conf_vs *vs = obj;
	long long v = CONF_LVS_PERSIST_DEFAULT;

	(void)kw;
	if (st->argc > 2) {
		conf_error(ctx, &st->loc, "persistence_timeout: takes at most one value");
		return -1;
	}
	if (st->argc == 2 && lvs_int(ctx, st, 1, 1, CONF_LVS_PERSIST_MAX, &v))
		return -1;
	vs->persistence_timeout = (unsigned)v;
	return 0;
}

static int parse_pgran(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_vs *vs = obj;
	const char *why;
	long long v;

	(void)kw;
	if (st->argc != 2) {
		conf_error(ctx, &st->loc, "persistence_granularity: takes exactly one netmask");
		return -1;
	}
	if (strchr(st->argv[1], '.')) {
		struct conf_addr m;

		if (conf_parse_addr(st->argv[1], AF_INET, &m, &why)) {
			conf_error(ctx, &st->loc,
				   "persistence_granularity: '%s' is not an IPv4 netmask",
				   st->argv[1]);
			return -1;
		}
		uint32_t x = ntohl(m.u.v4.s_addr);
		unsigned len = 0;

		while (len < 32 && (x & (0x80000000u >> len)))
			len++;
		if (len == 0 || (len < 32 && (x << len) != 0)) {
			conf_error(ctx, &st->loc,
				   "persistence_granularity: netmask '%s' is not contiguous ones "
				   "followed by zeros",
				   st->argv[1]);
			return -1;
		}
		vs->persistence_granularity = len;
		vs->pgran_family = AF_INET;
		return 0;
	}
	bool v4 = vs->kind == CONF_VS_ADDR && vs->addr.family == AF_INET;
	if (conf_parse_int(st->argv[1], 1, v4 ? 32 : 128, &v, &why)) {
		conf_error(ctx, &st->loc,
			   "persistence_granularity: '%s' is neither an IPv4 netmask nor a prefix "
			   "length 1-%d",
			   st->argv[1], v4 ? 32 : 128);
		return -1;
	}
	vs->persistence_granularity = (unsigned)v;
	vs->pgran_family = v4 ? AF_INET : AF_INET6;
	return 0;
}

static int parse_sorry(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_vs *vs = obj;

	(void)kw;
	if (server_head(ctx, st, &vs->sorry.addr, &vs->sorry.port))
		return -1;
	vs->sorry.set = true;
	vs->sorry.loc = st->loc;
	return 0;
}

static void dump_sorry(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_vs *vs = obj;
	char a[CONF_ADDRSTRLEN];

	(void)kw;
	if (!vs->sorry.set) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "address", conf_addr_str(&vs->sorry.addr, a));
	json_kuint(j, "port", vs->sorry.port);
	json_kbool(j, "inhibit", vs->sorry.inhibit);
	json_obj_end(j);
}

static int vs_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_vs *vs = obj;
	const char *sched = conf_lvs_sched_names[vs->sched];
	int rc = 0;

	if ((vs->sh_port || vs->sh_fallback) && vs->sched != SCHED_SH) {
		const char *k = vs->sh_port ? "sh-port" : "sh-fallback";

		conf_error(ctx, child_loc(st, k),
			   "virtual_server %s: %s needs lvs_sched sh, not %s", vs->hdr.name, k,
			   sched);
		rc = -1;
	}
	if ((vs->mh_port || vs->mh_fallback) && vs->sched != SCHED_MH) {
		const char *k = vs->mh_port ? "mh-port" : "mh-fallback";

		conf_error(ctx, child_loc(st, k),
			   "virtual_server %s: %s needs lvs_sched mh, not %s", vs->hdr.name, k,
			   sched);
		rc = -1;
	}
	if (vs->persistence_engine && strcmp(vs->persistence_engine, "sip")) {
		conf_error(ctx, child_loc(st, "persistence_engine"),
			   "virtual_server %s: persistence_engine '%s' is unknown (the kernel has "
			   "only sip)",
			   vs->hdr.name, vs->persistence_engine);
		rc = -1;
	}
	if (vs->persistence_engine && vs->protocol != CONF_PROTO_UDP &&
	    vs->protocol != CONF_PROTO_UNSET)
		conf_warn(ctx, child_loc(st, "persistence_engine"),
			  "virtual_server %s: the sip persistence engine only looks at UDP packets",
			  vs->hdr.name);
	if (vs->ops && vs->kind != CONF_VS_FWMARK && vs->protocol != CONF_PROTO_UDP &&
	    vs->protocol != CONF_PROTO_UNSET)
		conf_warn(ctx, child_loc(st, "ops"),
			  "virtual_server %s: ops (one-packet scheduling) only affects UDP",
			  vs->hdr.name);
	if (!vs->sorry.set) {
		if (vs->sorry.inhibit) {
			conf_error(ctx, child_loc(st, "sorry_server_inhibit"),
				   "virtual_server %s: sorry_server_inhibit without a sorry_server",
				   vs->hdr.name);
			rc = -1;
		}
		if (vs->sorry.fwd.method) {
			conf_error(
				ctx, child_loc(st, "sorry_server_lvs_method"),
				"virtual_server %s: sorry_server_lvs_method without a sorry_server",
				vs->hdr.name);
			rc = -1;
		}
	}
	if (vs->persistence_granularity && !vs->persistence_timeout)
		vs->persistence_timeout = CONF_LVS_PERSIST_DEFAULT;
	return rc;
}

#define VS struct conf_vs
static const struct conf_kw vs_kws[] = {
	KW_ENUM("lvs_sched", VS, sched, conf_lvs_sched_names),
	{ KWF("lb_algo", VS, sched), .type = CV_ENUM, .names = conf_lvs_sched_names,
	  .flags = KW_ALIAS },
	KW_SWITCH("flag-1", VS, flag_1),
	KW_SWITCH("flag-2", VS, flag_2),
	KW_SWITCH("flag-3", VS, flag_3),
	KW_SWITCH("sh-port", VS, sh_port),
	KW_SWITCH("sh-fallback", VS, sh_fallback),
	KW_SWITCH("mh-port", VS, mh_port),
	KW_SWITCH("mh-fallback", VS, mh_fallback),
	KW_SWITCH("ops", VS, ops),
	KW_OBSOLETE("hashed", "the kernel manages this flag itself; it has no effect"),
	KW_FWD("lvs_method", VS, fwd),
	{ KWF("lb_kind", VS, fwd), .type = CV_CUSTOM, .parse = parse_fwd, .dump = dump_fwd,
	  .flags = KW_ALIAS },
	KW_STR("persistence_engine", VS, persistence_engine),
	{ KWF("persistence_timeout", VS, persistence_timeout), .type = CV_CUSTOM,
	  .parse = parse_persistence_timeout },
	{ KWF("persistence_granularity", VS, persistence_granularity), .type = CV_CUSTOM,
	  .parse = parse_pgran },
	KW_ENUM("protocol", VS, protocol, proto_names),
	KW_SWITCH("ha_suspend", VS, ha_suspend),
	KW_LVS_TRI("smtp_alert", VS, smtp_alert),
	KW_STR("virtualhost", VS, virtualhost),
	KW_STR("snmp_name", VS, snmp_name),
	KW_SWITCH("alpha", VS, alpha),
	KW_SWITCH("omega", VS, omega),
	KW_UINT("quorum", VS, quorum, 1, INT32_MAX),
	KW_UINT("hysteresis", VS, hysteresis, 0, INT32_MAX),
	KW_SCRIPT("quorum_up", VS, quorum_up),
	KW_SCRIPT("quorum_down", VS, quorum_down),
	KW_ENUM("ip_family", VS, family, family_names),
	{ KWF("sorry_server", VS, sorry), .type = CV_CUSTOM, .parse = parse_sorry,
	  .dump = dump_sorry },
	KW_SWITCH("sorry_server_inhibit", VS, sorry.inhibit),
	KW_FWD("sorry_server_lvs_method", VS, sorry.fwd),
	KW_TIMER("connect_timeout", VS, connect_timeout, 1000, CONF_LVS_TIMER_MAX),
	KW_RETRY("retry", VS, retry),
	KW_TIMER_OPT("delay_before_retry", VS, delay_before_retry, 0, CONF_LVS_TIMER_MAX),
	KW_TIMER_OPT("warmup", VS, warmup, 0, CONF_LVS_TIMER_MAX),
	KW_TIMER("delay_loop", VS, delay_loop, 1000, CONF_LVS_TIMER_MAX),
	KW_SWITCH("inhibit_on_failure", VS, inhibit_on_failure),
	KW_BLOCK("real_server", VS, real_servers, &conf_block_real_server),
	/* filled by the header and persistence_* parsers */
	{ KWF("address", VS, addr), .type = CV_ADDR, .flags = KW_DUMP_ONLY },
	{ KWF("port", VS, port), .type = CV_UINT, .flags = KW_DUMP_ONLY },
	{ KWF("fwmark", VS, fwmark), .type = CV_UINT, .flags = KW_DUMP_ONLY },
	{ KWF("group", VS, group), .type = CV_STR, .flags = KW_DUMP_ONLY },
	{ KWF("persistence_timeout", VS, persistence_timeout), .type = CV_UINT,
	  .flags = KW_DUMP_ONLY },
	{ KWF("persistence_granularity", VS, persistence_granularity), .type = CV_UINT,
	  .flags = KW_DUMP_ONLY },
	KW_END,
};
#undef VS

static const struct conf_block conf_block_virtual_server = {
	.name = "virtual_server",
	.size = sizeof(struct conf_vs),
	.kws = vs_kws,
	.init = vs_init,
	.head = vs_head,
	.finish = vs_finish,
};

/* ---- SSL { } (context for SSL_GET) ---- */

static int ssl_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_lvs_ssl *ssl = obj;

	(void)ctx;
	(void)st;
	ssl->configured = true;
	return 0;
}

#define SSLT struct conf_lvs_ssl
static const struct conf_kw ssl_kws[] = {
	KW_STR("password", SSLT, password),
	KW_STR("ca", SSLT, ca),
	KW_STR("certificate", SSLT, certificate),
	KW_STR("key", SSLT, key),
	KW_END,
};
#undef SSLT

static const struct conf_block conf_block_ssl = {
	.name = "SSL",
	.size = sizeof(struct conf_lvs_ssl),
	.flags = CB_INLINE | CB_ANON,
	.kws = ssl_kws,
	.finish = ssl_finish,
};

/* ---- top level ---- */

/* virtual_server_group holds entries, not keywords; parse_vsg reads them.
 * This block only names the group's one entry keyword for the keyword list
 * (and lets the engine hand the { } block to parse_vsg). */
static const struct conf_kw vsg_doc_kws[] = {
	{ .name = "fwmark", .type = CV_CUSTOM, .parse = parse_vsg },
	KW_END,
};

static const struct conf_block conf_block_vsg = {
	.name = "virtual_server_group",
	.size = sizeof(struct conf_vsg),
	.flags = CB_NAMED,
	.kws = vsg_doc_kws,
};

const struct conf_kw conf_top_lvs_kws[] = {
	{ KWF("virtual_server_group", struct conf_model, lvs.groups), .type = CV_CUSTOM,
	  .parse = parse_vsg, .dump = dump_vsgs, .sub = &conf_block_vsg, .flags = KW_MULTI },
	KW_BLOCK("virtual_server", struct conf_model, lvs.virtual_servers,
		 &conf_block_virtual_server),
	KW_BLOCK("SSL", struct conf_model, lvs.ssl, &conf_block_ssl),
	KW_END,
};
