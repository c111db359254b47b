/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * global_defs, and the top-level keywords of the VRRP side
 * (conf_top_vrrp_kws): static addresses/routes/rules, track groups, track
 * files and processes, vrrp_script, vrrp_sync_group, garp_group,
 * vrrp_instance, and the BFD/linkbeat blocks vigil refuses.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <string.h>

#include "lib/json.h"
#include "conf/model.h"

#define G struct conf_global

/* vigil extension: how TCP_CHECK closes its connections (enum conf_tcp_close). */
const char *const conf_tcp_close_names[] = { "rst", "fin", NULL };

/* ---- custom parsers ---- */

static int g_smtp_server(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	G *g = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 2))
		return -1;
	if (!st->argv[1][0] || strlen(st->argv[1]) > 253 || strchr(st->argv[1], '/')) {
		conf_error(ctx, &st->loc, "smtp_server: '%s' is not a host name or address",
			   st->argv[1]);
		return -1;
	}
	if (st->argc == 3 && conf_get_port(ctx, st, 2, &g->smtp_port))
		return -1;
	g->smtp_server = st->argv[1];
	return 0;
}

static int g_user_group(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw)
{
	G *g = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 2))
		return -1;
	g->script_user = st->argv[1];
	g->script_group = st->argc > 2 ? st->argv[2] : NULL;
	return 0;
}

static const char *const sync_opts[] = { "inst", "id", "maxlen", "port", "ttl", "group", NULL };

static int g_lvs_sync_daemon(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw)
{
	struct conf_lvs_sync_daemon *out = &((G *)obj)->lvs_sync_daemon, tmp = *out;
	struct conf_lvs_sync_daemon *sd = &tmp;
	const char *why;
	unsigned i;
	long long x;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 14))
		return -1;
	if (conf_check_ifname(st->argv[1], &why)) {
		conf_error(ctx, &st->loc, "lvs_sync_daemon: interface '%s' %s", st->argv[1], why);
		return -1;
	}
	sd->interface = st->argv[1];
	sd->loc = st->loc;
	for (i = 2; i < st->argc; i += 2) {
		const char *o = st->argv[i];
		unsigned k;

		/* vigil extension (keepalived rejects it): both roles always. */
		if (!strcmp(o, "master_and_backup")) {
			sd->master_and_backup = true;
			i--;
			continue;
		}
		for (k = 0; sync_opts[k] && strcmp(o, sync_opts[k]); k++)
			;
		if (!sync_opts[k]) {
			/* The instance name may be given without "inst" (old syntax). */
			if (i == 2) {
				sd->instance = st->argv[i];
				i--;
				continue;
			}
			conf_error(ctx, &st->loc,
				   "lvs_sync_daemon: unexpected '%s' (options: inst, id, maxlen, "
				   "port, ttl, group, master_and_backup)",
				   o);
			return -1;
		}
		if (i + 1 >= st->argc) {
			conf_error(ctx, &st->loc, "lvs_sync_daemon: '%s' needs a value", o);
			return -1;
		}
		switch (k) {
		case 0:
			sd->instance = st->argv[i + 1];
			break;
		case 1:
			if (conf_get_int(ctx, st, i + 1, 0, 255, &x))
				return -1;
			sd->syncid = (unsigned)x;
			break;
		case 2:
			if (conf_get_int(ctx, st, i + 1, 1, 65507, &x))
				return -1;
			sd->maxlen = (unsigned)x;
			break;
		case 3:
			if (conf_get_port(ctx, st, i + 1, &sd->port))
				return -1;
			if (!sd->port) {
				conf_error(ctx, &st->loc, "lvs_sync_daemon: port 0 is not valid");
				return -1;
			}
			break;
		case 4:
			if (conf_get_int(ctx, st, i + 1, 1, 255, &x))
				return -1;
			sd->ttl = (unsigned)x;
			break;
		case 5:
			if (conf_get_addr(ctx, st, i + 1, AF_UNSPEC, &sd->group))
				return -1;
			break;
		}
	}
	*out = tmp;
	return 0;
}

static int g_lvs_timeouts(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			  const struct conf_kw *kw)
{
	struct conf_lvs_timeouts *t = &((G *)obj)->lvs_timeouts;
	const char *why;
	unsigned i;
	long long x;

	(void)kw;
	if (st->argc < 3 || st->argc % 2 == 0 || st->argc > 7) {
		conf_error(ctx, &st->loc,
			   "lvs_timeouts: write one to three of 'tcp SECS', 'tcpfin SECS', 'udp "
			   "SECS'");
		return -1;
	}
	for (i = 1; i < st->argc; i += 2) {
		unsigned *dst;

		if (!strcmp(st->argv[i], "tcp"))
			dst = &t->tcp;
		else if (!strcmp(st->argv[i], "tcpfin"))
			dst = &t->tcpfin;
		else if (!strcmp(st->argv[i], "udp"))
			dst = &t->udp;
		else {
			conf_error(ctx, &st->loc, "lvs_timeouts: '%s' is not tcp, tcpfin or udp",
				   st->argv[i]);
			return -1;
		}
		if (conf_parse_int(st->argv[i + 1], 1, 2147483, &x, &why)) {
			conf_error(ctx, &st->loc,
				   "lvs_timeouts: %s '%s' %s (valid: 1-2147483 seconds)",
				   st->argv[i], st->argv[i + 1], why);
			return -1;
		}
		*dst = (unsigned)x;
	}
	t->set = true;
	return 0;
}

static int g_lvs_flush_on_stop(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			       const struct conf_kw *kw)
{
	G *g = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 1))
		return -1;
	if (st->argc == 1) {
		g->lvs_flush_on_stop = CONF_LVS_FLUSH_STOP_ALL;
	} else if (!strcmp(st->argv[1], "VS")) {
		g->lvs_flush_on_stop = CONF_LVS_FLUSH_STOP_VS;
	} else {
		conf_error(ctx, &st->loc, "lvs_flush_on_stop: '%s' is not 'VS'", st->argv[1]);
		return -1;
	}
	return 0;
}

/* vrrp_garp_interval / vrrp_gna_interval take 0.000001 to 4294.967295 s in
 * keepalived 2.2.7 (global_parser.c: microseconds in an unsigned). Its stock
 * keepalived.conf writes 0, which it reports and skips, so its default, 0
 * (no pause between messages), stays: vigil uses 0 and says why. */
static int hook_garp_interval_zero(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
				   const struct conf_kw *kw)
{
	if (*(const uint64_t *)(const void *)((const char *)obj + kw->off) == 0)
		conf_warn(ctx, &st->loc,
			  "%s 0 is outside keepalived's range (0.000001-4294.967295); keepalived "
			  "keeps its default, 0 (no pause), and so does vigil",
			  kw->name);
	return 0;
}

static int g_garp_extra_if(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			   const struct conf_kw *kw)
{
	G *g = obj;

	(void)kw;
	return conf_parse_garp_extra_if(ctx, st, 1, &g->vrrp_garp_extra_if,
					&g->vrrp_garp_extra_if_all);
}

/* "nftables [TABLE]": the table name, "" meaning the default. */
static int g_opt_table(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	char **dst = (char **)(void *)((char *)obj + kw->off);

	if (conf_want_args(ctx, st, 0, 1))
		return -1;
	if (st->argc == 2 && (!st->argv[1][0] || strlen(st->argv[1]) > 255)) {
		conf_error(ctx, &st->loc, "%s: table name must be 1 to 255 characters",
			   st->argv[0]);
		return -1;
	}
	*dst = st->argc == 2 ? st->argv[1] : "keepalived";
	return 0;
}

static int g_max_auto_priority(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			       const struct conf_kw *kw)
{
	G *g = obj;
	long long x = 99;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 1))
		return -1;
	if (st->argc == 2 && conf_get_int(ctx, st, 1, -1, 99, &x))
		return -1;
	g->max_auto_priority = (int)x;
	return 0;
}

/* A word list of 0..kw->max words; a bool at kw->min (an offset) says it was given. */
static int g_opt_words(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw)
{
	struct conf_strlist *sl = (struct conf_strlist *)(void *)((char *)obj + kw->off);

	if (conf_want_args(ctx, st, 0, (unsigned)kw->max))
		return -1;
	*(bool *)((char *)obj + kw->min) = true;
	sl->v = st->argv + 1;
	sl->n = st->argc - 1;
	return 0;
}

static int g_cpu_list(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		      const struct conf_kw *kw)
{
	struct conf_strlist *sl = (struct conf_strlist *)(void *)((char *)obj + kw->off);
	unsigned i;
	long long x;

	if (conf_want_args(ctx, st, 1, 4096))
		return -1;
	for (i = 1; i < st->argc; i++)
		if (conf_get_int(ctx, st, i, 0, 4095, &x))
			return -1;
	sl->v = st->argv + 1;
	sl->n = st->argc - 1;
	return 0;
}

static int g_dynamic_interfaces(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
				const struct conf_kw *kw)
{
	G *g = obj;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 1))
		return -1;
	if (st->argc == 2 && strcmp(st->argv[1], "allow_if_changes")) {
		conf_error(ctx, &st->loc, "dynamic_interfaces: '%s' is not 'allow_if_changes'",
			   st->argv[1]);
		return -1;
	}
	g->dynamic_interfaces = true;
	g->allow_if_changes = st->argc == 2;
	return 0;
}

static int g_rx_bufs_policy(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			    const struct conf_kw *kw)
{
	G *g = obj;
	long long x;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 1))
		return -1;
	if (!strcmp(st->argv[1], "MTU")) {
		g->vrrp_rx_bufs_policy = CONF_RXBUFS_MTU;
	} else if (!strcmp(st->argv[1], "ADVERT")) {
		g->vrrp_rx_bufs_policy = CONF_RXBUFS_ADVERT;
	} else if (st->argv[1][0] >= '0' && st->argv[1][0] <= '9') {
		if (conf_get_int(ctx, st, 1, 1, 2147483647LL, &x))
			return -1;
		g->vrrp_rx_bufs_policy = CONF_RXBUFS_SIZE;
		g->vrrp_rx_bufs_size = (unsigned)x;
	} else {
		conf_error(ctx, &st->loc, "vrrp_rx_bufs_policy: '%s' is not MTU, ADVERT or a size",
			   st->argv[1]);
		return -1;
	}
	return 0;
}

/* umask NUMBER, or permission bits like IWGRP|IWOTH (possibly split by spaces). */
static int g_umask(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		   const struct conf_kw *kw)
{
	static const struct {
		const char *n;
		unsigned v;
	} bits[] = { { "IRUSR", 0400 }, { "IWUSR", 0200 }, { "IXUSR", 0100 }, { "IRGRP", 040 },
		     { "IWGRP", 020 },	{ "IXGRP", 010 },  { "IROTH", 04 },   { "IWOTH", 02 },
		     { "IXOTH", 01 },	{ "IRWXU", 0700 }, { "IRWXG", 070 },  { "IRWXO", 07 } };
	G *g = obj;
	const char *why;
	long long x;
	unsigned mask = 0, k;
	char *s, *tok, *save = NULL;

	(void)kw;
	if (conf_want_args(ctx, st, 1, 100))
		return -1;
	if (st->argc == 2 && st->argv[1][0] >= '0' && st->argv[1][0] <= '9') {
		/* Octal when written with a leading 0, as the shell does. */
		const char *v = st->argv[1];
		char *end;
		unsigned long u =
			v[0] == '0' && v[1] != 'x' && v[1] != 'X' ? strtoul(v, &end, 8) : 0;

		if (v[0] == '0' && v[1] != 'x' && v[1] != 'X') {
			if (*end || u > 0777) {
				conf_error(ctx, &st->loc, "umask: '%s' is not an octal mode 0-0777",
					   v);
				return -1;
			}
			g->umask = (unsigned)u;
			return 0;
		}
		if (conf_parse_int(v, 0, 0777, &x, &why)) {
			conf_error(ctx, &st->loc, "umask: '%s' %s (valid: 0-0777)", v, why);
			return -1;
		}
		g->umask = (unsigned)x;
		return 0;
	}
	s = conf_join_args(ctx, st, 1);
	for (tok = strtok_r(s, "| ", &save); tok; tok = strtok_r(NULL, "| ", &save)) {
		for (k = 0; k < sizeof(bits) / sizeof(bits[0]); k++)
			if (!strcmp(tok, bits[k].n))
				break;
		if (k == sizeof(bits) / sizeof(bits[0])) {
			conf_error(ctx, &st->loc,
				   "umask: '%s' is not a number or a bit such as IWGRP or IWOTH",
				   tok);
			return -1;
		}
		mask |= bits[k].v;
	}
	g->umask = mask;
	return 0;
}

static int g_vmac_prefix(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	(void)obj;
	(void)kw;
	/* Names are PREFIX.VRID and must fit IFNAMSIZ - 1 = 15 bytes. */
	if (!st->argv[1][0] || strlen(st->argv[1]) > 11 || strchr(st->argv[1], '/')) {
		conf_error(ctx, &st->loc,
			   "%s: '%s' must be 1 to 11 characters without '/' (the VRID is added "
			   "to make an interface name)",
			   st->argv[0], st->argv[1]);
		return -1;
	}
	return 0;
}

static int g_mcast_group(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	const struct conf_addr *a = (const struct conf_addr *)(const void *)((char *)obj + kw->off);

	if (a->family == AF_INET && (ntohl(a->u.v4.s_addr) >> 28) != 0xe) {
		conf_error(ctx, &st->loc, "%s: %s is not an IPv4 multicast address", st->argv[0],
			   st->argv[1]);
		return -1;
	}
	if (a->family == AF_INET6 &&
	    (a->u.v6.s6_addr[0] != 0xff || (a->u.v6.s6_addr[1] & 0x0f) != 2)) {
		conf_error(ctx, &st->loc,
			   "%s: %s is not a link-local IPv6 multicast address (ffX2::/16)",
			   st->argv[0], st->argv[1]);
		return -1;
	}
	return 0;
}

static void dump_sync_daemon(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_lvs_sync_daemon *sd = &((const G *)obj)->lvs_sync_daemon;
	char buf[CONF_ADDRSTRLEN];

	(void)kw;
	if (!sd->interface) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "interface", sd->interface);
	json_kstr(j, "inst", sd->instance);
	json_key(j, "id");
	if (sd->syncid == CONF_UNSET)
		json_null(j);
	else
		json_uint(j, sd->syncid);
	json_kuint(j, "maxlen", sd->maxlen);
	json_kuint(j, "port", sd->port);
	json_kuint(j, "ttl", sd->ttl);
	json_kstr(j, "group", sd->group.family ? conf_addr_str(&sd->group, buf) : NULL);
	json_kbool(j, "master_and_backup", sd->master_and_backup);
	json_obj_end(j);
}

static void dump_lvs_timeouts(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_lvs_timeouts *t = &((const G *)obj)->lvs_timeouts;

	(void)kw;
	if (!t->set) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kuint(j, "tcp", t->tcp);
	json_kuint(j, "tcpfin", t->tcpfin);
	json_kuint(j, "udp", t->udp);
	json_obj_end(j);
}

static void dump_smtp_server(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const G *g = obj;

	(void)kw;
	if (!g->smtp_server) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "host", g->smtp_server);
	json_kuint(j, "port", g->smtp_port);
	json_obj_end(j);
}

static void dump_flush_on_stop(struct json *j, const void *obj, const struct conf_kw *kw)
{
	static const char *const n[] = { "no", "all", "VS" };
	int v = ((const G *)obj)->lvs_flush_on_stop;

	(void)kw;
	json_str(j, n[v >= 0 && v < 3 ? v : 0]);
}

static void dump_rx_bufs_policy(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const G *g = obj;

	(void)kw;
	switch (g->vrrp_rx_bufs_policy) {
	case CONF_RXBUFS_MTU:
		json_str(j, "MTU");
		break;
	case CONF_RXBUFS_ADVERT:
		json_str(j, "ADVERT");
		break;
	case CONF_RXBUFS_SIZE:
		json_uint(j, g->vrrp_rx_bufs_size);
		break;
	default:
		json_null(j);
	}
}

static void dump_garp_extra_if(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const G *g = obj;

	(void)kw;
	json_obj_begin(j);
	json_kuint(j, "interval", g->vrrp_garp_extra_if);
	json_kbool(j, "all", g->vrrp_garp_extra_if_all);
	json_obj_end(j);
}

static void dump_script_user(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const G *g = obj;

	(void)kw;
	json_obj_begin(j);
	json_kstr(j, "user", g->script_user);
	json_kstr(j, "group", g->script_group);
	json_obj_end(j);
}

static void dump_dynamic_interfaces(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const G *g = obj;

	(void)kw;
	json_str(j, !g->dynamic_interfaces ? "no"
		    : g->allow_if_changes  ? "allow_if_changes"
					   : "yes");
}

static void global_init(void *obj)
{
	G *g = obj;

	g->child_wait_time = 5;
	g->startup_script_timeout = 10;
	g->shutdown_script_timeout = 10;
	g->smtp_port = 25;
	g->smtp_connect_timeout = 30;
	g->smtp_alert = g->smtp_alert_vrrp = g->smtp_alert_checker = CONF_TRI_UNSET;
	g->default_interface = "eth0";
	/* resolve_global: keepalived's defaults, or vrrp_min_garp's */
	g->vrrp_garp_master_delay = CONF_UNSET;
	g->vrrp_garp_master_repeat = CONF_UNSET;
	g->vrrp_garp_lower_prio_delay = CONF_UNSET;
	g->vrrp_garp_lower_prio_repeat = CONF_UNSET;
	g->vrrp_garp_master_refresh_repeat = CONF_UNSET;
	g->vrrp_down_timer_adverts = 3;
	g->vrrp_version = 2;
	g->vmac_prefix = "vrrp";
	g->nftables_priority = -1;
	g->nftables_ipvs_priority = -1;
	g->nftables_ipvs_start_fwmark = 1000;
	g->lvs_sync_daemon.syncid = CONF_UNSET;
	g->lvs_sync_daemon.port = 8848;
	g->min_auto_priority_delay = 1000000;
	g->vrrp_rlimit_rttime = 10000;
	g->checker_rlimit_rttime = 10000;
	g->vrrp_rx_bufs_multiplier = 3;
	g->umask = 022;
	/* RFC 5798 section 5.1.1.2 / 5.1.2.2: the IANA VRRP groups. */
	conf_parse_addr("224.0.0.18", AF_INET, &g->vrrp_mcast_group4, &(const char *){ NULL });
	conf_parse_addr("ff02::12", AF_INET6, &g->vrrp_mcast_group6, &(const char *){ NULL });
}

#define CUSTOM(n, f, fn, dfn)                                                 \
	{                                                                     \
		KWF(n, G, f), .type = CV_CUSTOM, .parse = (fn), .dump = (dfn) \
	}
#define SCRIPT(n, f) CUSTOM(n, f, conf_parse_script, conf_dump_script)
#define DUMP(n, T, f, t)                                         \
	{                                                        \
		KWF(n, T, f), .type = (t), .flags = KW_DUMP_ONLY \
	}

/* keepalived's third to fifth set (IPv6 link-local address,interface pairs,
 * IGMP, MLD) are not used: vigil's filter needs the first two only. */
static int g_ipsets(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		    const struct conf_kw *kw)
{
	int rc = g_opt_words(ctx, st, obj, kw);

	if (!rc && st->argc > 3)
		conf_warn(ctx, &st->loc,
			  "vrrp_ipsets: the names after the second (%s%s) have no effect: vigil "
			  "uses an IPv4 and an IPv6 set only",
			  st->argv[3], st->argc > 4 ? " ..." : "");
	return rc;
}
#define TOP_ONLY(n)                                                                           \
	{                                                                                     \
		.name = (n), .type = CV_CUSTOM, .parse = conf_parse_misplaced,                \
		.note = "belongs at the top level, outside global_defs: keepalived does not " \
			"read it inside global_defs (unknown keyword)"                        \
	}

static const struct conf_kw global_kws[] = {
	/* identity and processes */
	KW_STR("router_id", G, router_id),
	/* keepalived (every release to 2.4.3, install_keyword_root) reads these
	 * outside any block only (conf_top_vrrp_kws); inside global_defs it
	 * reports an unknown keyword and skips them. Dumped here. */
	TOP_ONLY("instance"),
	DUMP("instance", G, instance, CV_STR),
	TOP_ONLY("use_pid_dir"),
	DUMP("use_pid_dir", G, use_pid_dir, CV_FLAG),
	TOP_ONLY("child_wait_time"),
	DUMP("child_wait_time", G, child_wait_time, CV_UINT),
	TOP_ONLY("net_namespace"),
	DUMP("net_namespace", G, net_namespace, CV_STR),
	TOP_ONLY("net_namespace_ipvs"),
	DUMP("net_namespace_ipvs", G, net_namespace_ipvs, CV_STR),
	TOP_ONLY("namespace_with_ipsets"),
	DUMP("namespace_with_ipsets", G, namespace_with_ipsets, CV_FLAG),
	KW_SWITCH("process_names", G, process_names),
	KW_STR("process_name", G, process_name),
	KW_STR("vrrp_process_name", G, vrrp_process_name),
	KW_STR("checker_process_name", G, checker_process_name),
	{ KWF("lvs_process_name", G, checker_process_name), .type = CV_STR,
	  .flags = KW_ALIAS | KW_OLD_NAME, .note = "checker_process_name" },
	/* scripts */
	SCRIPT("startup_script", startup_script),
	KW_UINT("startup_script_timeout", G, startup_script_timeout, 1, 1000),
	SCRIPT("shutdown_script", shutdown_script),
	KW_UINT("shutdown_script_timeout", G, shutdown_script_timeout, 1, 1000),
	CUSTOM("script_user", script_user, g_user_group, dump_script_user),
	KW_SWITCH("enable_script_security", G, enable_script_security),
	/* notification */
	{ KWF("notification_email", G, notification_email), .type = CV_CUSTOM,
	  .parse = conf_parse_words, .sub = &conf_block_custom_children, .flags = KW_MULTI },
	DUMP("notification_email", G, notification_email, CV_STRLIST),
	KW_STR("notification_email_from", G, notification_email_from),
	CUSTOM("smtp_server", smtp_server, g_smtp_server, dump_smtp_server),
	KW_STR("smtp_helo_name", G, smtp_helo_name),
	KW_UINT("smtp_connect_timeout", G, smtp_connect_timeout, 1, 3600),
	KW_TRI("smtp_alert", G, smtp_alert),
	KW_TRI("smtp_alert_vrrp", G, smtp_alert_vrrp),
	KW_TRI("smtp_alert_checker", G, smtp_alert_checker),
	KW_FLAG("checker_log_all_failures", G, checker_log_all_failures),
	KW_ENUM("checker_tcp_close", G, checker_tcp_close, conf_tcp_close_names),
	KW_SWITCH("no_email_faults", G, no_email_faults),
	KW_FLAG("rs_init_notifies", G, rs_init_notifies),
	KW_FLAG("no_checker_emails", G, no_checker_emails),
	SCRIPT("notify_fifo", notify_fifo),
	SCRIPT("notify_fifo_script", notify_fifo_script),
	SCRIPT("vrrp_notify_fifo", vrrp_notify_fifo),
	SCRIPT("vrrp_notify_fifo_script", vrrp_notify_fifo_script),
	SCRIPT("lvs_notify_fifo", lvs_notify_fifo),
	SCRIPT("lvs_notify_fifo_script", lvs_notify_fifo_script),
	KW_SWITCH("fifo_write_vrrp_states_on_reload", G, fifo_write_vrrp_states_on_reload),
	/* VRRP defaults */
	{ KWF("vrrp_mcast_group4", G, vrrp_mcast_group4), .type = CV_ADDR, .min = AF_INET,
	  .parse = g_mcast_group },
	{ KWF("vrrp_mcast_group6", G, vrrp_mcast_group6), .type = CV_ADDR, .min = AF_INET6,
	  .parse = g_mcast_group },
	KW_IFNAME("default_interface", G, default_interface),
	KW_UINT("vrrp_garp_master_delay", G, vrrp_garp_master_delay, 0, 86400),
	KW_UINT("vrrp_garp_master_repeat", G, vrrp_garp_master_repeat, 1, 255),
	{ KWF("vrrp_garp_lower_prio_delay", G, vrrp_garp_lower_prio_delay), .type = CV_UINT,
	  .min = 0, .max = 86400, .dump = conf_dump_unset_uint },
	{ KWF("vrrp_garp_lower_prio_repeat", G, vrrp_garp_lower_prio_repeat), .type = CV_UINT,
	  .min = 0, .max = 255, .dump = conf_dump_unset_uint },
	KW_UINT("vrrp_garp_master_refresh", G, vrrp_garp_master_refresh, 0, 86400),
	KW_UINT("vrrp_garp_master_refresh_repeat", G, vrrp_garp_master_refresh_repeat, 1, 255),
	{ KWF("vrrp_garp_interval", G, vrrp_garp_interval), .type = CV_TIMER, .min = 0,
	  .max = UINT32_MAX, .parse = hook_garp_interval_zero },
	{ KWF("vrrp_gna_interval", G, vrrp_gna_interval), .type = CV_TIMER, .min = 0,
	  .max = UINT32_MAX, .parse = hook_garp_interval_zero },
	KW_UINT("vrrp_down_timer_adverts", G, vrrp_down_timer_adverts, 1, 100),
	KW_FLAG("vrrp_min_garp", G, vrrp_min_garp),
	CUSTOM("vrrp_garp_extra_if", vrrp_garp_extra_if, g_garp_extra_if, dump_garp_extra_if),
	{ KWF("vrrp_vmac_garp_intvl", G, vrrp_garp_extra_if), .type = CV_CUSTOM,
	  .parse = g_garp_extra_if, .flags = KW_ALIAS | KW_OLD_NAME, .note = "vrrp_garp_extra_if" },
	KW_FLAG("vrrp_lower_prio_no_advert", G, vrrp_lower_prio_no_advert),
	KW_FLAG("vrrp_higher_prio_send_advert", G, vrrp_higher_prio_send_advert),
	KW_UINT("vrrp_version", G, vrrp_version, 2, 3),
	KW_SWITCH("v3_checksum_as_v2", G, v3_checksum_as_v2),
	KW_SWITCH("vrrp_check_unicast_src", G, vrrp_check_unicast_src),
	KW_SWITCH("vrrp_skip_check_adv_addr", G, vrrp_skip_check_adv_addr),
	KW_SWITCH("vrrp_strict", G, vrrp_strict),
	KW_FLAG("vrrp_notify_priority_changes", G, vrrp_notify_priority_changes),
	KW_SWITCH("disable_local_igmp", G, disable_local_igmp),
	KW_SWITCH("log_unknown_vrids", G, log_unknown_vrids),
	KW_TIMER("vrrp_startup_delay", G, vrrp_startup_delay, 0, 3600 * US_PER_SEC),
	/* keepalived 2.4.0 reads it as a timer of 1 ms to UINT_MAX us */
	KW_TIMER("vrrp_delay_after_boot", G, vrrp_delay_after_boot, 1000, UINT32_MAX),
	{ KWF("vmac_prefix", G, vmac_prefix), .type = CV_STR, .parse = g_vmac_prefix },
	{ KWF("vmac_addr_prefix", G, vmac_addr_prefix), .type = CV_STR, .parse = g_vmac_prefix },
	CUSTOM("dynamic_interfaces", dynamic_interfaces, g_dynamic_interfaces,
	       dump_dynamic_interfaces),
	/* firewall */
	CUSTOM("nftables", nftables, g_opt_table, NULL),
	DUMP("nftables", G, nftables, CV_STR),
	KW_INT("nftables_priority", G, nftables_priority, -2147483647, 2147483647),
	KW_SWITCH("nftables_counters", G, nftables_counters),
	KW_SWITCH("nftables_ifindex", G, nftables_ifindex),
	CUSTOM("nftables_ipvs", nftables_ipvs, g_opt_table, NULL),
	DUMP("nftables_ipvs", G, nftables_ipvs, CV_STR),
	KW_INT("nftables_ipvs_priority", G, nftables_ipvs_priority, -2147483647, 2147483647),
	KW_UINT("nftables_ipvs_start_fwmark", G, nftables_ipvs_start_fwmark, 1, 4294967295LL),
	{ KWF("vrrp_iptables", G, vrrp_iptables_chains), .type = CV_CUSTOM, .parse = g_opt_words,
	  .min = offsetof(G, vrrp_iptables), .max = 2 },
	DUMP("vrrp_iptables", G, vrrp_iptables_chains, CV_STRLIST),
	{ KWF("vrrp_ipsets", G, vrrp_ipsets_names), .type = CV_CUSTOM, .parse = g_ipsets,
	  .min = offsetof(G, vrrp_ipsets), .max = 5 },
	DUMP("vrrp_ipsets", G, vrrp_ipsets_names, CV_STRLIST),
	/* LVS */
	CUSTOM("lvs_sync_daemon", lvs_sync_daemon, g_lvs_sync_daemon, dump_sync_daemon),
	CUSTOM("lvs_timeouts", lvs_timeouts, g_lvs_timeouts, dump_lvs_timeouts),
	KW_SWITCH("lvs_flush", G, lvs_flush),
	CUSTOM("lvs_flush_on_stop", lvs_flush_on_stop, g_lvs_flush_on_stop, dump_flush_on_stop),
	{ KWF("lvs_flush_onstop", G, lvs_flush_on_stop), .type = CV_CUSTOM,
	  .parse = g_lvs_flush_on_stop, .flags = KW_ALIAS | KW_OLD_NAME,
	  .note = "lvs_flush_on_stop" },
	/* scheduling */
	CUSTOM("max_auto_priority", max_auto_priority, g_max_auto_priority, NULL),
	DUMP("max_auto_priority", G, max_auto_priority, CV_INT),
	KW_UINT("min_auto_priority_delay", G, min_auto_priority_delay, 1, 10000000),
	KW_INT("vrrp_priority", G, vrrp_priority, -20, 19),
	KW_INT("checker_priority", G, checker_priority, -20, 19),
	KW_SWITCH("vrrp_no_swap", G, vrrp_no_swap),
	KW_SWITCH("checker_no_swap", G, checker_no_swap),
	CUSTOM("vrrp_cpu_affinity", vrrp_cpu_affinity, g_cpu_list, NULL),
	DUMP("vrrp_cpu_affinity", G, vrrp_cpu_affinity, CV_STRLIST),
	CUSTOM("checker_cpu_affinity", checker_cpu_affinity, g_cpu_list, NULL),
	DUMP("checker_cpu_affinity", G, checker_cpu_affinity, CV_STRLIST),
	KW_UINT("vrrp_rt_priority", G, vrrp_rt_priority, 1, 99),
	KW_UINT("checker_rt_priority", G, checker_rt_priority, 1, 99),
	KW_UINT("vrrp_rlimit_rttime", G, vrrp_rlimit_rttime, 2, 2147483647),
	{ KWF("vrrp_rlimit_rtime", G, vrrp_rlimit_rttime), .type = CV_UINT, .min = 2,
	  .max = 2147483647, .flags = KW_ALIAS | KW_OLD_NAME, .note = "vrrp_rlimit_rttime" },
	KW_UINT("checker_rlimit_rttime", G, checker_rlimit_rttime, 2, 2147483647),
	{ KWF("checker_rlimit_rtime", G, checker_rlimit_rttime), .type = CV_UINT, .min = 2,
	  .max = 2147483647, .flags = KW_ALIAS | KW_OLD_NAME, .note = "checker_rlimit_rttime" },
	/* SNMP */
	KW_STR("snmp_socket", G, snmp_socket),
	KW_SWITCH("enable_snmp_vrrp", G, enable_snmp_vrrp),
	{ KWF("enable_snmp_keepalived", G, enable_snmp_vrrp), .type = CV_SWITCH, .flags = KW_ALIAS },
	KW_SWITCH("enable_snmp_checker", G, enable_snmp_checker),
	KW_SWITCH("enable_snmp_rfc", G, enable_snmp_rfc),
	KW_SWITCH("enable_snmp_rfcv2", G, enable_snmp_rfcv2),
	KW_SWITCH("enable_snmp_rfcv3", G, enable_snmp_rfcv3),
	KW_SWITCH("enable_traps", G, enable_traps),
	/* buffers */
	KW_UINT("vrrp_netlink_cmd_rcv_bufs", G, vrrp_netlink_cmd_rcv_bufs, 1, 2147483647),
	KW_FLAG("vrrp_netlink_cmd_rcv_bufs_force", G, vrrp_netlink_cmd_rcv_bufs_force),
	KW_UINT("vrrp_netlink_monitor_rcv_bufs", G, vrrp_netlink_monitor_rcv_bufs, 1, 2147483647),
	KW_FLAG("vrrp_netlink_monitor_rcv_bufs_force", G, vrrp_netlink_monitor_rcv_bufs_force),
	KW_UINT("lvs_netlink_cmd_rcv_bufs", G, lvs_netlink_cmd_rcv_bufs, 1, 2147483647),
	KW_FLAG("lvs_netlink_cmd_rcv_bufs_force", G, lvs_netlink_cmd_rcv_bufs_force),
	KW_UINT("lvs_netlink_monitor_rcv_bufs", G, lvs_netlink_monitor_rcv_bufs, 1, 2147483647),
	KW_FLAG("lvs_netlink_monitor_rcv_bufs_force", G, lvs_netlink_monitor_rcv_bufs_force),
	KW_UINT("process_monitor_rcv_bufs", G, process_monitor_rcv_bufs, 1, 2147483647),
	KW_FLAG("process_monitor_rcv_bufs_force", G, process_monitor_rcv_bufs_force),
	CUSTOM("vrrp_rx_bufs_policy", vrrp_rx_bufs_policy, g_rx_bufs_policy, dump_rx_bufs_policy),
	KW_UINT("vrrp_rx_bufs_multiplier", G, vrrp_rx_bufs_multiplier, 1, 1000),
	/* misc */
	CUSTOM("umask", umask, g_umask, NULL),
	DUMP("umask", G, umask, CV_UINT),
	KW_UINT("random_seed", G, random_seed, 0, 4294967295LL),
	{ KWF("include_check", G, include_check), .type = CV_CUSTOM, .parse = g_opt_words,
	  .min = offsetof(G, include_check), .max = 4 },
	DUMP("include_check", G, include_check, CV_STRLIST),
	KW_END,
};

#undef G

const struct conf_block conf_block_global_defs = {
	.name = "global_defs",
	.size = sizeof(struct conf_global),
	.flags = CB_INLINE | CB_ANON,
	.kws = global_kws,
	.kws2 = conf_unsupported_global_kws,
	.init = global_init,
};

#define M struct conf_model

const struct conf_kw conf_top_vrrp_kws[] = {
	KW_BLOCK("global_defs", M, global, &conf_block_global_defs),
	/* The lexer acts on include_check wherever it stands (it governs the
	 * includes that follow); keepalived documents it in global_defs but
	 * operators put it first in the file, at the top level. */
	{ KWF("include_check", M, global.include_check), .type = CV_CUSTOM, .parse = g_opt_words,
	  .min = offsetof(M, global.include_check), .max = 4, .flags = KW_ALIAS },
	/* keepalived also takes these outside global_defs; marked as aliases so
	 * that the dump shows them once, inside global_defs */
	{ KWF("instance", M, global.instance), .type = CV_STR, .flags = KW_ALIAS },
	{ KWF("use_pid_dir", M, global.use_pid_dir), .type = CV_SWITCH, .flags = KW_ALIAS },
	{ KWF("child_wait_time", M, global.child_wait_time), .type = CV_UINT, .min = 0, .max = 3600,
	  .flags = KW_ALIAS },
	{ KWF("net_namespace", M, global.net_namespace), .type = CV_STR, .flags = KW_ALIAS },
	{ KWF("namespace_with_ipsets", M, global.namespace_with_ipsets), .type = CV_SWITCH,
	  .flags = KW_ALIAS },
	/* keepalived: without a name, the namespace it was started in */
	{ KWF("net_namespace_ipvs", M, global.net_namespace_ipvs), .type = CV_STR_REST,
	  .flags = KW_ALIAS | KW_ARGS_OPT },
	KW_UNSUPPORTED("linkbeat_use_polling",
		       "vigil follows link state through rtnetlink only and does not poll "
		       "MII/ethtool"),
	KW_UNSUPPORTED("linkbeat_interfaces",
		       "vigil follows link state through rtnetlink only and does not poll "
		       "MII/ethtool"),
	KW_LIST("interface_up_down_delays", M, vrrp.if_delays, &conf_block_if_delays),
	KW_BLOCK("track_group", M, vrrp.track_groups, &conf_block_track_group),
	KW_LIST("static_ipaddress", M, vrrp.static_addresses, &conf_block_vip_list),
	KW_LIST("static_routes", M, vrrp.static_routes, &conf_block_route_list),
	KW_LIST("static_rules", M, vrrp.static_rules, &conf_block_rule_list),
	KW_BLOCK("track_file", M, vrrp.track_files, &conf_block_track_file),
	{ KWF("vrrp_track_file", M, vrrp.track_files), .type = CV_BLOCK,
	  .sub = &conf_block_track_file, .flags = KW_MULTI | KW_ALIAS },
	KW_BLOCK("vrrp_track_process", M, vrrp.track_processes, &conf_block_track_process),
	KW_UNSUPPORTED("bfd_instance",
		       "vigil does not implement BFD; track the peer with a vrrp_script or "
		       "track_interface instead"),
	KW_BLOCK("vrrp_script", M, vrrp.scripts, &conf_block_vrrp_script),
	KW_BLOCK("vrrp_sync_group", M, vrrp.sync_groups, &conf_block_vrrp_sync_group),
	KW_BLOCK("garp_group", M, vrrp.garp_groups, &conf_block_garp_group),
	KW_BLOCK("vrrp_instance", M, vrrp.instances, &conf_block_vrrp_instance),
	KW_END,
};
