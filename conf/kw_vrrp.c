/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keyword tables of the VRRP side: vrrp_script, track_file,
 * vrrp_track_process, vrrp_sync_group, garp_group and vrrp_instance with
 * everything inside it. Checks that need more than one block (names,
 * families, the VRRP version) are in validate_vrrp.c.
 */
#include <limits.h>
#include <ctype.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/json.h"
#include "conf/model.h"

#define FIELD(obj, kw, T) ((T *)(void *)((char *)(obj) + (kw)->off))

/* Keywords whose default comes from global_defs: dumped as null when unset. */
#define KW_UINT_G(n, T, f, lo, hi)                                       \
	{                                                                \
		KWF(n, T, f), .type = CV_UINT, .min = (lo), .max = (hi), \
			      .dump = conf_dump_unset_uint               \
	}
#define KW_SCRIPT(n, T, f)                                                   \
	{                                                                    \
		KWF(n, T, f), .type = CV_CUSTOM, .parse = conf_parse_script, \
			      .dump = conf_dump_script                       \
	}
#define KW_NAMES(n, T, f)                                                                  \
	{                                                                                  \
		KWF(n, T, f), .type = CV_CUSTOM, .parse = conf_parse_names,                \
			      .dump = conf_dump_names, .sub = &conf_block_custom_children, \
			      .flags = KW_MULTI                                            \
	}
#define DUMP(n, T, f, t)                                         \
	{                                                        \
		KWF(n, T, f), .type = (t), .flags = KW_DUMP_ONLY \
	}

/* ---- weights: "weight N [reverse|noreverse|no_reverse]" ---- */

static int parse_weight_words(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned i,
			      long long lo, long long hi, int *weight, bool *reverse)
{
	long long x;

	if (conf_get_int(ctx, st, i, lo, hi, &x))
		return -1;
	*weight = (int)x;
	for (i++; i < st->argc; i++) {
		if (!strcmp(st->argv[i], "reverse")) {
			*reverse = true;
		} else if (!strcmp(st->argv[i], "noreverse") ||
			   !strcmp(st->argv[i], "no_reverse")) {
			*reverse = false;
		} else {
			conf_error(ctx, &st->loc, "%s: '%s' is not 'reverse' or 'noreverse'",
				   st->argv[0], st->argv[i]);
			return -1;
		}
	}
	return 0;
}

static int script_weight(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	struct conf_vrrp_script *s = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 2))
		return -1;
	return parse_weight_words(ctx, st, 1, -253, 253, &s->weight, &s->reverse);
}

static int file_weight(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_track_file *f = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 2))
		return -1;
	return parse_weight_words(ctx, st, 1, -2147483647LL, 2147483647LL, &f->weight, &f->reverse);
}

static int process_weight(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			  const struct conf_kw *kw)
{
	struct conf_track_process *p = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 2))
		return -1;
	return parse_weight_words(ctx, st, 1, -254, 254, &p->weight, &p->reverse);
}

/* ---- track lists (instances and sync groups) ---- */

/* The number after option word i - 1 of an entry line, named in errors. */
static int entry_int(struct conf_ctx *ctx, const struct conf_stmt *e, unsigned i, long long lo,
		     long long hi, long long *out)
{
	const char *why;

	if (i >= e->argc) {
		conf_error(ctx, &e->loc, "%s: '%s' needs a value", e->argv[0], e->argv[i - 1]);
		return -1;
	}
	if (conf_parse_int(e->argv[i], lo, hi, out, &why)) {
		conf_error(ctx, &e->loc, "%s: %s '%s' %s (valid: %lld to %lld)", e->argv[0],
			   e->argv[i - 1], e->argv[i], why, lo, hi);
		return -1;
	}
	return 0;
}

static int track_entry(struct conf_ctx *ctx, const struct conf_stmt *e, struct conf_track *t,
		       long long lim)
{
	unsigned i;

	t->hdr.name = e->argv[0];
	for (i = 1; i < e->argc; i++) {
		if (!strcmp(e->argv[i], "weight")) {
			long long x;

			if (entry_int(ctx, e, i + 1, -lim, lim, &x))
				return -1;
			t->weight = (int)x;
			t->has_weight = true;
			i++;
		} else if (!strcmp(e->argv[i], "reverse")) {
			t->reverse = true;
		} else if (!strcmp(e->argv[i], "noreverse") || !strcmp(e->argv[i], "no_reverse")) {
			t->reverse = false;
		} else {
			conf_error(
				ctx, &e->loc,
				"'%s': unexpected '%s' (write NAME [weight N] [reverse|noreverse])",
				e->argv[0], e->argv[i]);
			return -1;
		}
	}
	return 0;
}

static int track_if_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
			  const struct conf_kw *kw)
{
	const char *why;

	(void)kw;
	if (conf_check_ifname(e->argv[0], &why)) {
		conf_error(ctx, &e->loc, "track_interface: '%s' %s", e->argv[0], why);
		return -1;
	}
	return track_entry(ctx, e, obj, 253);
}

static int track_253_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
			   const struct conf_kw *kw)
{
	(void)kw;
	return track_entry(ctx, e, obj, 253);
}

static int track_254_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
			   const struct conf_kw *kw)
{
	(void)kw;
	return track_entry(ctx, e, obj, 254);
}

static const struct conf_kw track_dump_kws[] = {
	DUMP("weight", struct conf_track, weight, CV_INT),
	DUMP("reverse", struct conf_track, reverse, CV_BOOL),
	KW_END,
};

#define TRACK_BLOCK(var, nm, fn)                                                  \
	static const struct conf_block var = { .name = (nm),                      \
					       .size = sizeof(struct conf_track), \
					       .flags = CB_NAMED,                 \
					       .kws = track_dump_kws,             \
					       .entry = (fn) }

TRACK_BLOCK(blk_track_interface, "track_interface", track_if_entry);
TRACK_BLOCK(blk_track_script, "track_script", track_253_entry);
TRACK_BLOCK(blk_track_file, "track_file list", track_254_entry);
TRACK_BLOCK(blk_track_process, "track_process list", track_254_entry);

/* ---- vrrp_script ---- */

static int script_user(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_vrrp_script *s = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 2))
		return -1;
	s->user = st->argv[1];
	s->group = st->argc > 2 ? st->argv[2] : NULL;
	return 0;
}

static void script_init(void *obj)
{
	struct conf_vrrp_script *s = obj;

	s->interval = US_PER_SEC;
	s->timeout = CONF_UNSET_TIMER;
	s->rise = 1;
	s->fall = 1;
}

static int script_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_vrrp_script *s = obj;

	if (!s->script) {
		conf_error(ctx, &st->loc, "vrrp_script %s has no 'script' to run", s->hdr.name);
		return -1;
	}
	return 0;
}

static const struct conf_kw vrrp_script_kws[] = {
	KW_REST("script", struct conf_vrrp_script, script),
	KW_TIMER("interval", struct conf_vrrp_script, interval, 1000, 86400 * US_PER_SEC),
	{ KWF("timeout", struct conf_vrrp_script, timeout), .type = CV_TIMER, .min = 1000,
	  .max = 86400 * US_PER_SEC, .dump = conf_dump_unset_timer },
	{ KWF("weight", struct conf_vrrp_script, weight), .type = CV_CUSTOM,
	  .parse = script_weight },
	DUMP("weight", struct conf_vrrp_script, weight, CV_INT),
	DUMP("reverse", struct conf_vrrp_script, reverse, CV_BOOL),
	KW_UINT("rise", struct conf_vrrp_script, rise, 1, 1000000),
	KW_UINT("fall", struct conf_vrrp_script, fall, 1, 1000000),
	{ KWF("user", struct conf_vrrp_script, user), .type = CV_CUSTOM, .parse = script_user },
	DUMP("user", struct conf_vrrp_script, user, CV_STR),
	DUMP("group", struct conf_vrrp_script, group, CV_STR),
	KW_SWITCH("init_fail", struct conf_vrrp_script, init_fail),
	KW_END,
};

const struct conf_block conf_block_vrrp_script = {
	.name = "vrrp_script",
	.size = sizeof(struct conf_vrrp_script),
	.flags = CB_NAMED,
	.kws = vrrp_script_kws,
	.init = script_init,
	.finish = script_finish,
};

/* ---- track_file ---- */

static int file_init_file(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			  const struct conf_kw *kw)
{
	struct conf_track_file *f = obj;
	unsigned i;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 2))
		return -1;
	f->init_file = true;
	for (i = 1; i < st->argc; i++) {
		if (!strcmp(st->argv[i], "overwrite")) {
			f->init_overwrite = true;
		} else if (i == 1) {
			if (conf_get_int(ctx, st, i, -2147483647LL - 1, 2147483647LL,
					 &f->init_value))
				return -1;
		} else {
			conf_error(ctx, &st->loc, "init_file: '%s' is not 'overwrite'",
				   st->argv[i]);
			return -1;
		}
	}
	return 0;
}

static void track_file_init(void *obj)
{
	struct conf_track_file *f = obj;

	f->weight = 1;
}

static int track_file_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_track_file *f = obj;

	if (!f->file) {
		conf_error(ctx, &st->loc, "track_file %s has no 'file' to watch", f->hdr.name);
		return -1;
	}
	return 0;
}

static const struct conf_kw track_file_kws[] = {
	KW_STR("file", struct conf_track_file, file),
	{ KWF("weight", struct conf_track_file, weight), .type = CV_CUSTOM, .parse = file_weight },
	DUMP("weight", struct conf_track_file, weight, CV_INT),
	DUMP("reverse", struct conf_track_file, reverse, CV_BOOL),
	{ KWF("init_file", struct conf_track_file, init_file), .type = CV_CUSTOM,
	  .parse = file_init_file },
	DUMP("init_file", struct conf_track_file, init_file, CV_BOOL),
	DUMP("init_value", struct conf_track_file, init_value, CV_INT),
	DUMP("overwrite", struct conf_track_file, init_overwrite, CV_BOOL),
	KW_END,
};

const struct conf_block conf_block_track_file = {
	.name = "track_file",
	.size = sizeof(struct conf_track_file),
	.flags = CB_NAMED,
	.kws = track_file_kws,
	.init = track_file_init,
	.finish = track_file_finish,
};

/* ---- vrrp_track_process ---- */

static int process_process(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			   const struct conf_kw *kw)
{
	struct conf_track_process *p = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 1000))
		return -1;
	if (!st->argv[1][0]) {
		conf_error(ctx, &st->loc, "process: the process name is empty");
		return -1;
	}
	p->process.v = st->argv + 1;
	p->process.n = st->argc - 1;
	return 0;
}

static int process_param_match(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			       const struct conf_kw *kw)
{
	struct conf_track_process *p = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 1))
		return -1;
	if (st->argc == 1)
		p->param_match = CONF_PARAM_MATCH_EXACT;
	else if (!strcmp(st->argv[1], "initial"))
		p->param_match = CONF_PARAM_MATCH_INITIAL;
	else if (!strcmp(st->argv[1], "partial"))
		p->param_match = CONF_PARAM_MATCH_PARTIAL;
	else {
		conf_error(ctx, &st->loc, "param_match: '%s' is not 'initial' or 'partial'",
			   st->argv[1]);
		return -1;
	}
	return 0;
}

static int process_delay(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	struct conf_track_process *p = obj;
	uint64_t v;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 1) || conf_get_timer(ctx, st, 1, 0, 3600 * US_PER_SEC, &v))
		return -1;
	p->fork_delay = p->terminate_delay = v;
	return 0;
}

static void process_init(void *obj)
{
	struct conf_track_process *p = obj;

	p->weight = 1;
	p->quorum = 1;
	p->quorum_max = CONF_UNSET;
}

static int process_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_track_process *p = obj;

	if (!p->process.n) {
		conf_error(ctx, &st->loc, "vrrp_track_process %s has no 'process' to watch",
			   p->hdr.name);
		return -1;
	}
	if (p->quorum_max != CONF_UNSET && p->quorum_max < p->quorum) {
		conf_error(ctx, &st->loc,
			   "vrrp_track_process %s: quorum_max %u is below quorum %u, so it can "
			   "never be up",
			   p->hdr.name, p->quorum_max, p->quorum);
		return -1;
	}
	return 0;
}

static void dump_param_match(struct json *j, const void *obj, const struct conf_kw *kw)
{
	static const char *const n[] = { NULL, "exact", "initial", "partial" };
	int v = ((const struct conf_track_process *)obj)->param_match;

	(void)kw;
	json_str(j, v >= 0 && v < 4 ? n[v] : NULL);
}

static const struct conf_kw track_process_kws[] = {
	{ KWF("process", struct conf_track_process, process), .type = CV_CUSTOM,
	  .parse = process_process },
	DUMP("process", struct conf_track_process, process, CV_STRLIST),
	{ KWF("param_match", struct conf_track_process, param_match), .type = CV_CUSTOM,
	  .parse = process_param_match, .dump = dump_param_match },
	{ KWF("weight", struct conf_track_process, weight), .type = CV_CUSTOM,
	  .parse = process_weight },
	DUMP("weight", struct conf_track_process, weight, CV_INT),
	DUMP("reverse", struct conf_track_process, reverse, CV_BOOL),
	KW_UINT("quorum", struct conf_track_process, quorum, 0, 65535),
	KW_UINT_G("quorum_max", struct conf_track_process, quorum_max, 0, 65535),
	KW_TIMER("fork_delay", struct conf_track_process, fork_delay, 0, 3600 * US_PER_SEC),
	KW_TIMER("terminate_delay", struct conf_track_process, terminate_delay, 0,
		 3600 * US_PER_SEC),
	{ KWF("delay", struct conf_track_process, fork_delay), .type = CV_CUSTOM,
	  .parse = process_delay },
	KW_SWITCH("full_command", struct conf_track_process, full_command),
	KW_END,
};

const struct conf_block conf_block_track_process = {
	.name = "vrrp_track_process",
	.size = sizeof(struct conf_track_process),
	.flags = CB_NAMED,
	.kws = track_process_kws,
	.init = process_init,
	.finish = process_finish,
};

/* ---- vrrp_sync_group ---- */

static int group_notify_deleted(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
				const struct conf_kw *kw)
{
	struct conf_vrrp_sync_group *g = obj;

	(void)kw;
	g->notify_deleted = true;
	if (st->argc == 1)
		return 0;
	return conf_parse_script(ctx, st, &g->notify_deleted_script, &(struct conf_kw){ .off = 0 });
}

static void sync_group_init(void *obj)
{
	struct conf_vrrp_sync_group *g = obj;

	g->notify_priority_changes = CONF_TRI_UNSET;
	g->smtp_alert = CONF_TRI_UNSET;
}

static int sync_group_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_vrrp_sync_group *g = obj;

	if (!g->members.count) {
		conf_error(ctx, &st->loc, "vrrp_sync_group %s has no 'group { ... }' of instances",
			   g->hdr.name);
		return -1;
	}
	return 0;
}

static const struct conf_kw sync_group_kws[] = {
	KW_NAMES("group", struct conf_vrrp_sync_group, members),
	KW_LIST("track_interface", struct conf_vrrp_sync_group, track_interfaces,
		&blk_track_interface),
	KW_LIST("track_script", struct conf_vrrp_sync_group, track_scripts, &blk_track_script),
	KW_LIST("track_file", struct conf_vrrp_sync_group, track_files, &blk_track_file),
	KW_LIST("track_process", struct conf_vrrp_sync_group, track_processes, &blk_track_process),
	KW_SCRIPT("notify_master", struct conf_vrrp_sync_group, notify_master),
	KW_SCRIPT("notify_backup", struct conf_vrrp_sync_group, notify_backup),
	KW_SCRIPT("notify_fault", struct conf_vrrp_sync_group, notify_fault),
	KW_SCRIPT("notify_stop", struct conf_vrrp_sync_group, notify_stop),
	KW_SCRIPT("notify", struct conf_vrrp_sync_group, notify),
	KW_SCRIPT("notify_master_rx_lower_pri", struct conf_vrrp_sync_group,
		  notify_master_rx_lower_pri),
	{ KWF("notify_deleted", struct conf_vrrp_sync_group, notify_deleted), .type = CV_CUSTOM,
	  .parse = group_notify_deleted },
	DUMP("notify_deleted", struct conf_vrrp_sync_group, notify_deleted, CV_BOOL),
	{ KWF("notify_deleted_script", struct conf_vrrp_sync_group, notify_deleted_script),
	  .type = CV_CUSTOM, .dump = conf_dump_script, .flags = KW_DUMP_ONLY },
	KW_TRI("notify_priority_changes", struct conf_vrrp_sync_group, notify_priority_changes),
	KW_TRI("smtp_alert", struct conf_vrrp_sync_group, smtp_alert),
	KW_OBSOLETE("global_tracking",
		    "tracking given on the sync group already applies to every member"),
	KW_SWITCH("sync_group_tracking_weight", struct conf_vrrp_sync_group,
		sync_group_tracking_weight),
	KW_END,
};

const struct conf_block conf_block_vrrp_sync_group = {
	.name = "vrrp_sync_group",
	.size = sizeof(struct conf_vrrp_sync_group),
	.flags = CB_NAMED,
	.kws = sync_group_kws,
	.kws2 = conf_unsupported_sync_group_kws,
	.init = sync_group_init,
	.finish = sync_group_finish,
};

/* ---- garp_group ---- */

static void garp_group_init(void *obj)
{
	struct conf_garp_group *g = obj;

	g->garp_interval = CONF_UNSET_TIMER;
	g->gna_interval = CONF_UNSET_TIMER;
}

static int garp_group_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_garp_group *g = obj;

	g->hdr.loc = st->loc;
	if (g->interface && g->interfaces.count) {
		conf_error(ctx, &st->loc, "garp_group: give 'interface' or 'interfaces', not both");
		return -1;
	}
	if (!g->interface && !g->interfaces.count) {
		conf_error(ctx, &st->loc, "garp_group: no 'interface' or 'interfaces' given");
		return -1;
	}
	if (g->garp_interval == CONF_UNSET_TIMER && g->gna_interval == CONF_UNSET_TIMER)
		conf_warn(
			ctx, &st->loc,
			"garp_group sets neither garp_interval nor gna_interval: it has no effect");
	return 0;
}

static const struct conf_kw garp_group_kws[] = {
	/* keepalived 2.2.7 (vrrp_parser.c): 0 to INT_MAX microseconds */
	{ KWF("garp_interval", struct conf_garp_group, garp_interval), .type = CV_TIMER, .min = 0,
	  .max = INT32_MAX, .dump = conf_dump_unset_timer },
	{ KWF("gna_interval", struct conf_garp_group, gna_interval), .type = CV_TIMER, .min = 0,
	  .max = INT32_MAX, .dump = conf_dump_unset_timer },
	KW_IFNAME("interface", struct conf_garp_group, interface),
	KW_NAMES("interfaces", struct conf_garp_group, interfaces),
	KW_END,
};

const struct conf_block conf_block_garp_group = {
	.name = "garp_group",
	.size = sizeof(struct conf_garp_group),
	.flags = CB_ANON,
	.kws = garp_group_kws,
	.init = garp_group_init,
	.finish = garp_group_finish,
};

/* ---- vrrp_instance: authentication ---- */

static const char *const auth_types[] = { "PASS", "AH", NULL };

static int auth_pass_hook(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			  const struct conf_kw *kw)
{
	(void)obj;
	(void)kw;
	if (strlen(st->argv[1]) > 8)
		conf_warn(ctx, &st->loc,
			  "auth_pass is longer than 8 characters; only '%.8s' is used (as VRRPv2 "
			  "does)",
			  st->argv[1]);
	if (!st->argv[1][0]) {
		conf_error(ctx, &st->loc, "auth_pass is empty");
		return -1;
	}
	return 0;
}

static void auth_init(void *obj)
{
	struct conf_vrrp_auth *a = obj;

	a->type = CONF_AUTH_NONE;
}

static int auth_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_vrrp_auth *a = obj;

	a->loc = st->loc;
	if (a->type == CONF_AUTH_NONE) {
		conf_error(ctx, &st->loc, "authentication: 'auth_type PASS|AH' is missing");
		return -1;
	}
	if (!a->pass) {
		conf_error(ctx, &st->loc, "authentication: 'auth_pass' is missing");
		return -1;
	}
	return 0;
}

static const struct conf_kw auth_kws[] = {
	KW_ENUM("auth_type", struct conf_vrrp_auth, type, auth_types),
	{ KWF("auth_pass", struct conf_vrrp_auth, pass), .type = CV_STR, .parse = auth_pass_hook },
	KW_END,
};

static const struct conf_block blk_auth = {
	.name = "authentication",
	.size = sizeof(struct conf_vrrp_auth),
	.flags = CB_INLINE | CB_ANON,
	.kws = auth_kws,
	.init = auth_init,
	.finish = auth_finish,
};

/* ---- vrrp_instance: unicast_peer ---- */

static int peer_entry(struct conf_ctx *ctx, const struct conf_stmt *e, void *obj,
		      const struct conf_kw *kw)
{
	struct conf_unicast_peer *p = obj;
	unsigned i;

	(void)kw;
	if (conf_get_addr(ctx, e, 0, AF_UNSPEC, &p->addr))
		return -1;
	for (i = 1; i < e->argc; i += 2) {
		long long x;
		bool is_min = !strcmp(e->argv[i], "min_ttl");

		if (!is_min && strcmp(e->argv[i], "max_ttl")) {
			conf_error(ctx, &e->loc,
				   "unicast_peer %s: unexpected '%s' (write ADDRESS [min_ttl N] "
				   "[max_ttl N])",
				   e->argv[0], e->argv[i]);
			return -1;
		}
		if (entry_int(ctx, e, i + 1, 0, 255, &x))
			return -1;
		if (is_min)
			p->min_ttl = (unsigned)x;
		else
			p->max_ttl = (unsigned)x;
		p->ttl_check = true;
	}
	if (p->min_ttl > p->max_ttl) {
		conf_error(ctx, &e->loc, "unicast_peer %s: min_ttl %u is above max_ttl %u",
			   e->argv[0], p->min_ttl, p->max_ttl);
		return -1;
	}
	return 0;
}

static void peer_init(void *obj)
{
	struct conf_unicast_peer *p = obj;

	p->max_ttl = 255;
}

static const struct conf_kw peer_dump_kws[] = {
	DUMP("address", struct conf_unicast_peer, addr, CV_ADDR),
	DUMP("min_ttl", struct conf_unicast_peer, min_ttl, CV_UINT),
	DUMP("max_ttl", struct conf_unicast_peer, max_ttl, CV_UINT),
	KW_END,
};

static const struct conf_block blk_unicast_peer = {
	.name = "unicast_peer",
	.size = sizeof(struct conf_unicast_peer),
	.kws = peer_dump_kws,
	.init = peer_init,
	.entry = peer_entry,
};

/* ---- vrrp_instance: custom keywords ---- */

/* use_vmac [[name] IFNAME] [MAC]: keepalived 2.3.0 added 'name' (for an
 * interface called like a word) and the words group and netlink_notify_msg,
 * which vigil refuses. */
static int inst_use_vmac(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	struct conf_vrrp_instance *vi = obj;
	unsigned i;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 6))
		return -1;
	vi->use_vmac = true;
	for (i = 1; i < st->argc; i++) {
		const char *a = st->argv[i], *why;
		unsigned colons = 0;
		bool named = false;
		const char *p;

		if (!strcmp(a, "group") || !strcmp(a, "netlink_notify_msg")) {
			why = a[0] == 'g' ? "the VMAC is made in the default link group"
					  : "no netlink message is forced for the base interface";
			conf_error(
				ctx, &st->loc,
				"use_vmac: '%s' (keepalived 2.3.0) is recognised but not supported "
				"by vigil: %s",
				a, why);
			return -1;
		}
		if (!strcmp(a, "name") && i + 1 < st->argc) {
			a = st->argv[++i];
			named = true;
		}
		for (p = a; *p; p++)
			colons += *p == ':';
		if (!named && (colons == 5 || colons == 4)) {
			char buf[24];

			if (strlen(a) > 17) {
				conf_error(ctx, &st->loc, "use_vmac: '%s' is not a MAC address", a);
				return -1;
			}
			snprintf(buf, sizeof(buf), colons == 4 ? "%s:00" : "%s", a);
			if (conf_parse_mac(buf, vi->vmac_mac, &why)) {
				conf_error(ctx, &st->loc, "use_vmac: '%s' %s", a, why);
				return -1;
			}
			vi->has_vmac_mac = true;
			vi->vmac_mac_short = colons == 4;
		} else if (!vi->vmac_name) {
			if (conf_check_ifname(a, &why)) {
				conf_error(ctx, &st->loc, "use_vmac: '%s' %s", a, why);
				return -1;
			}
			vi->vmac_name = st->argv[i];
		} else {
			conf_error(ctx, &st->loc, "use_vmac: '%s' is not a MAC address", a);
			return -1;
		}
	}
	return 0;
}

/* vrrp_garp_extra_if / garp_extra_if: 'all' and the delay in seconds, in any
 * order (keepalived 2.2.7 reads each word as one or the other; the last
 * delay wins). A line without a delay is one keepalived reports and
 * ignores; its global keyword takes 1-86400, the instance one 0-86400 (0:
 * off, overriding the global). */
int conf_parse_garp_extra_if(struct conf_ctx *ctx, const struct conf_stmt *st, long long min,
			     unsigned *delay, bool *all)
{
	bool have_delay = false, have_all = false;
	long long x = 0;

	for (unsigned i = 1; i < st->argc; i++) {
		if (!strcmp(st->argv[i], "all")) {
			have_all = true;
		} else if (!isdigit((unsigned char)st->argv[i][0])) {
			conf_error(ctx, &st->loc,
				   "%s: '%s' is neither 'all' nor a delay in seconds", st->argv[0],
				   st->argv[i]);
			return -1;
		} else if (conf_get_int(ctx, st, i, min, 86400, &x)) {
			return -1;
		} else if (have_delay) {
			conf_warn(ctx, &st->loc,
				  "%s: the delay is given twice; as in keepalived, the last (%lld) "
				  "is used",
				  st->argv[0], x);
		} else {
			have_delay = true;
		}
	}
	if (!have_delay) {
		conf_error(ctx, &st->loc,
			   "%s: no delay in seconds (%lld-86400); keepalived ignores the line",
			   st->argv[0], min);
		return -1;
	}
	*delay = (unsigned)x;
	*all = have_all;
	return 0;
}

static int inst_garp_extra_if(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			      const struct conf_kw *kw)
{
	struct conf_vrrp_instance *vi = obj;

	(void)kw;
	return conf_parse_garp_extra_if(ctx, st, 0, &vi->garp_extra_if, &vi->garp_extra_if_all);
}

static int inst_accept(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_vrrp_instance *vi = obj;

	(void)kw;
	vi->accept = strcmp(st->argv[0], "accept") ? 0 : 1;
	conf_ignored_args(ctx, st, vi->accept ? "turns accept on" : "turns accept off");
	return 0;
}

static int inst_preempt(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw)
{
	struct conf_vrrp_instance *vi = obj;

	(void)kw;
	conf_ignored_args(ctx, st, "cancels nopreempt");
	vi->nopreempt = false;
	return 0;
}

/* keepalived 2.2.7 still applies this (deprecated since 1.2.19): the IPVS sync
 * daemon runs on IFACE and follows this instance. validate_vrrp.c moves it to
 * the global lvs_sync_daemon. */
static int hook_lvs_syncd_if(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw)
{
	struct conf_vrrp_instance *vi = obj;

	(void)kw;
	vi->lvs_sync_daemon_interface_loc = st->loc;
	conf_warn(ctx, &st->loc,
		  "'lvs_sync_daemon_interface' in a vrrp_instance is deprecated: it runs the "
		  "IPVS sync daemon on %s following %s, as 'lvs_sync_daemon %s %s' in "
		  "global_defs does; write that instead",
		  st->argv[1], vi->hdr.name ? vi->hdr.name : "this instance", st->argv[1],
		  vi->hdr.name ? vi->hdr.name : "INSTANCE");
	return 0;
}

/* Post-store hooks: remember where a value was given for validate_vrrp.c. */
static int hook_version(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct conf_vrrp_instance *)obj)->version_loc = st->loc;
	return 0;
}

static int hook_vrid(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct conf_vrrp_instance *)obj)->vrid_loc = st->loc;
	return 0;
}

static int hook_src_ip(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct conf_vrrp_instance *)obj)->src_ip_loc = st->loc;
	return 0;
}

static int hook_mcast_dst(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			  const struct conf_kw *kw)
{
	struct conf_vrrp_instance *vi = obj;
	const struct conf_addr *a = &vi->mcast_dst_ip;

	(void)kw;
	vi->mcast_dst_loc = st->loc;
	/* RFC 5798 5.1.1.2/5.1.2.2: adverts go to a link-local multicast group. */
	if (a->family == AF_INET && (ntohl(a->u.v4.s_addr) >> 28) != 0xe) {
		conf_error(ctx, &st->loc, "mcast_dst_ip %s is not an IPv4 multicast address",
			   st->argv[1]);
		memset(&vi->mcast_dst_ip, 0, sizeof(vi->mcast_dst_ip));
		return -1;
	}
	if (a->family == AF_INET6 &&
	    (a->u.v6.s6_addr[0] != 0xff || (a->u.v6.s6_addr[1] & 0x0f) != 2)) {
		conf_error(ctx, &st->loc,
			   "mcast_dst_ip %s is not a link-local IPv6 multicast address (ffX2::/16)",
			   st->argv[1]);
		memset(&vi->mcast_dst_ip, 0, sizeof(vi->mcast_dst_ip));
		return -1;
	}
	return 0;
}

static int hook_advert(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct conf_vrrp_instance *)obj)->advert_int_loc = st->loc;
	return 0;
}

static int hook_nopreempt(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			  const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct conf_vrrp_instance *)obj)->nopreempt_loc = st->loc;
	return 0;
}

static int hook_preempt_delay(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			      const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct conf_vrrp_instance *)obj)->preempt_delay_loc = st->loc;
	return 0;
}

static void dump_accept(struct json *j, const void *obj, const struct conf_kw *kw)
{
	(void)kw;
	conf_dump_tristate(j, obj,
			   &(struct conf_kw){ .off = offsetof(struct conf_vrrp_instance, accept) });
}

static void dump_vmac(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_vrrp_instance *vi = obj;
	char mac[24];

	(void)kw;
	if (!vi->use_vmac) {
		json_bool(j, false);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "name", vi->vmac_name);
	if (vi->has_vmac_mac) {
		const uint8_t *m = vi->vmac_mac;

		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			 m[4], m[5]);
		json_kstr(j, "mac", mac);
	} else {
		json_kstr(j, "mac", NULL);
	}
	json_obj_end(j);
}

static void dump_garp_extra_if(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_vrrp_instance *vi = obj;

	(void)kw;
	if (vi->garp_extra_if == CONF_UNSET) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kuint(j, "interval", vi->garp_extra_if);
	json_kbool(j, "all", vi->garp_extra_if_all);
	json_obj_end(j);
}

static void dump_family(struct json *j, const void *obj, const struct conf_kw *kw)
{
	int f = ((const struct conf_vrrp_instance *)obj)->family;

	(void)kw;
	json_str(j, f == AF_INET6 ? "inet6" : f == AF_INET ? "inet" : NULL);
}

static void instance_init(void *obj)
{
	struct conf_vrrp_instance *vi = obj;

	vi->state = CONF_STATE_BACKUP;
	vi->priority = 100;
	vi->advert_int = US_PER_SEC;
	vi->unicast_ttl = CONF_UNSET;
	vi->garp_master_delay = vi->garp_master_repeat = CONF_UNSET;
	vi->garp_lower_prio_delay = vi->garp_lower_prio_repeat = CONF_UNSET;
	vi->garp_master_refresh = vi->garp_master_refresh_repeat = CONF_UNSET;
	vi->garp_extra_if = CONF_UNSET;
	vi->down_timer_adverts = CONF_UNSET;
	vi->lower_prio_no_advert = vi->higher_prio_send_advert = CONF_TRI_UNSET;
	vi->accept = CONF_TRI_UNSET;
	vi->skip_check_adv_addr = vi->strict_mode = CONF_TRI_UNSET;
	vi->v3_checksum_as_v2 = CONF_TRI_UNSET;
	vi->notify_priority_changes = vi->smtp_alert = CONF_TRI_UNSET;
}

static const char *const state_names[] = { "BACKUP", "MASTER", NULL };

#define I struct conf_vrrp_instance

static const struct conf_kw instance_kws[] = {
	KW_ENUM("state", I, state, state_names),
	KW_IFNAME("interface", I, interface),
	KW_IFNAME("vrf", I, vrf),
	{ KWF("use_vmac", I, use_vmac), .type = CV_CUSTOM, .parse = inst_use_vmac,
	  .dump = dump_vmac },
	KW_SWITCH("use_vmac_addr", I, use_vmac_addr),
	KW_SWITCH("vmac_xmit_base", I, vmac_xmit_base),
	KW_SWITCH("native_ipv6", I, native_ipv6),
	KW_SWITCH("dont_track_primary", I, dont_track_primary),
	KW_LIST("track_interface", I, track_interfaces, &blk_track_interface),
	KW_LIST("track_script", I, track_scripts, &blk_track_script),
	KW_LIST("track_file", I, track_files, &blk_track_file),
	KW_LIST("track_process", I, track_processes, &blk_track_process),
	{ KWF("mcast_src_ip", I, src_ip), .type = CV_ADDR, .min = AF_UNSPEC, .parse = hook_src_ip },
	{ KWF("unicast_src_ip", I, src_ip), .type = CV_ADDR, .min = AF_UNSPEC, .parse = hook_src_ip,
	  .flags = KW_ALIAS },
	{ KWF("mcast_dst_ip", I, mcast_dst_ip), .type = CV_ADDR, .min = AF_UNSPEC,
	  .parse = hook_mcast_dst },
	KW_SWITCH("track_src_ip", I, track_src_ip),
	{ KWF("version", I, version), .type = CV_UINT, .min = 2, .max = 3, .parse = hook_version },
	KW_SWITCH("check_unicast_src", I, check_unicast_src),
	KW_LIST("unicast_peer", I, unicast_peers, &blk_unicast_peer),
	KW_SWITCH("unicast_fault_no_peer", I, unicast_fault_no_peer),
	KW_UINT_G("unicast_ttl", I, unicast_ttl, 0, 255),
	KW_UINT_G("garp_master_delay", I, garp_master_delay, 0, 86400),
	KW_UINT_G("garp_master_repeat", I, garp_master_repeat, 1, 255),
	KW_UINT_G("garp_lower_prio_delay", I, garp_lower_prio_delay, 0, 86400),
	KW_UINT_G("garp_lower_prio_repeat", I, garp_lower_prio_repeat, 0, 255),
	KW_UINT_G("garp_master_refresh", I, garp_master_refresh, 0, 86400),
	KW_UINT_G("garp_master_refresh_repeat", I, garp_master_refresh_repeat, 1, 255),
	{ KWF("garp_extra_if", I, garp_extra_if), .type = CV_CUSTOM, .parse = inst_garp_extra_if,
	  .dump = dump_garp_extra_if },
	{ KWF("vmac_garp_intvl", I, garp_extra_if), .type = CV_CUSTOM, .parse = inst_garp_extra_if,
	  .flags = KW_ALIAS | KW_OLD_NAME, .note = "garp_extra_if" },
	KW_UINT_G("down_timer_adverts", I, down_timer_adverts, 1, 100),
	KW_TRI("lower_prio_no_advert", I, lower_prio_no_advert),
	KW_TRI("higher_prio_send_advert", I, higher_prio_send_advert),
	{ KWF("virtual_router_id", I, vrid), .type = CV_UINT, .min = 1, .max = 255,
	  .parse = hook_vrid },
	KW_UINT("priority", I, priority, 1, 255),
	{ KWF("advert_int", I, advert_int), .type = CV_TIMER, .min = 10000, .max = 255 * US_PER_SEC,
	  .parse = hook_advert },
	{ KWF("authentication", I, auth), .type = CV_BLOCK, .sub = &blk_auth },
	KW_LIST("virtual_ipaddress", I, vips, &conf_block_vip_list),
	KW_SWITCH("no_virtual_ipaddress", I, no_vips),
	KW_LIST("virtual_ipaddress_excluded", I, evips, &conf_block_vip_list),
	KW_SWITCH("promote_secondaries", I, promote_secondaries),
	KW_LIST("virtual_routes", I, vroutes, &conf_block_route_list),
	KW_LIST("virtual_rules", I, vrules, &conf_block_rule_list),
	{ KWF("accept", I, accept), .type = CV_CUSTOM, .parse = inst_accept, .dump = dump_accept },
	{ KWF("no_accept", I, accept), .type = CV_CUSTOM, .parse = inst_accept },
	{ KWF("nopreempt", I, nopreempt), .type = CV_SWITCH, .parse = hook_nopreempt },
	{ KWF("preempt", I, nopreempt), .type = CV_CUSTOM, .parse = inst_preempt },
	{ KWF("preempt_delay", I, preempt_delay), .type = CV_TIMER, .min = 0,
	  .max = 1000 * US_PER_SEC, .parse = hook_preempt_delay },
	KW_TRI("skip_check_adv_addr", I, skip_check_adv_addr),
	KW_TRI("v3_checksum_as_v2", I, v3_checksum_as_v2),
	KW_TRI("strict_mode", I, strict_mode),
	KW_UINT("debug", I, debug, 0, 4),
	KW_SCRIPT("notify_master", I, notify_master),
	KW_SCRIPT("notify_backup", I, notify_backup),
	KW_SCRIPT("notify_fault", I, notify_fault),
	KW_SCRIPT("notify_stop", I, notify_stop),
	KW_SCRIPT("notify", I, notify),
	KW_SCRIPT("notify_master_rx_lower_pri", I, notify_master_rx_lower_pri),
	KW_TRI("notify_priority_changes", I, notify_priority_changes),
	KW_TRI("smtp_alert", I, smtp_alert),
	{ KWF("lvs_sync_daemon_interface", I, lvs_sync_daemon_interface), .type = CV_IFNAME,
	  .parse = hook_lvs_syncd_if },
	KW_UINT("kernel_rx_buf_size", I, kernel_rx_buf_size, 1, 0x7fffffff),
	{ KWF("family", I, family), .type = CV_CUSTOM, .dump = dump_family, .flags = KW_DUMP_ONLY },
	KW_END,
};

#undef I

const struct conf_block conf_block_vrrp_instance = {
	.name = "vrrp_instance",
	.size = sizeof(struct conf_vrrp_instance),
	.flags = CB_NAMED,
	.kws = instance_kws,
	.kws2 = conf_unsupported_instance_kws,
	.init = instance_init,
};
