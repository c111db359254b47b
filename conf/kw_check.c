/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Keyword tables for the health checkers inside real_server: TCP_CHECK,
 * HTTP_GET, SSL_GET (with url blocks), SMTP_CHECK (with host blocks),
 * DNS_CHECK, MISC_CHECK, UDP_CHECK, PING_CHECK and FILE_CHECK. BFD_CHECK is
 * refused in kw_lvs.c's real_server table.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "conf/model.h"
#include "conf/regex.h"

const char *const conf_check_kind_names[] = {
	"TCP_CHECK", "HTTP_GET",   "SSL_GET",	 "SMTP_CHECK", "DNS_CHECK", "MISC_CHECK",
	"UDP_CHECK", "PING_CHECK", "FILE_CHECK", "host",       NULL,
};

const char *const conf_dns_type_names[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", NULL };
enum { DNS_SOA = 3 };

static const char *const http_proto_names[] = { "1.0", "1.0C", "1.1", NULL };

static const struct conf_loc *child_loc(const struct conf_stmt *st, const char *name)
{
	const struct conf_stmt *found = NULL;

	for (const struct conf_stmt *c = st->children; c; c = c->next)
		if (!strcmp(c->argv[0], name))
			found = c;
	return found ? &found->loc : &st->loc;
}

/* ---- init hooks ---- */

static void check_init_common(struct conf_check *c, int kind)
{
	c->kind = kind;
	c->connect_timeout = CONF_LVS_UNSET_TIMER;
	c->delay_before_retry = c->warmup = c->delay_loop = CONF_LVS_UNSET_TIMER;
	c->retry = CONF_LVS_UNSET_UINT;
	c->alpha = CONF_TRI_UNSET;
	c->log_all_failures = CONF_TRI_UNSET;
	c->misc_timeout = CONF_LVS_UNSET_TIMER;
}

#define CHECK_INIT(fn, kind)                  \
	static void fn(void *obj)             \
	{                                     \
		check_init_common(obj, kind); \
	}
CHECK_INIT(tcp_init, CONF_CHECK_TCP)
CHECK_INIT(ssl_init, CONF_CHECK_SSL)
CHECK_INIT(smtp_init, CONF_CHECK_SMTP)
CHECK_INIT(smtp_host_init, CONF_CHECK_SMTP_HOST)
CHECK_INIT(misc_init, CONF_CHECK_MISC)
CHECK_INIT(ping_init, CONF_CHECK_PING)
CHECK_INIT(file_init, CONF_CHECK_FILE)

static void http_init(void *obj)
{
	check_init_common(obj, CONF_CHECK_HTTP);
}

static void dns_init(void *obj)
{
	struct conf_check *c = obj;

	check_init_common(c, CONF_CHECK_DNS);
	c->dns_type = DNS_SOA;
	c->dns_name = ".";
}

static void udp_init(void *obj)
{
	struct conf_check *c = obj;

	check_init_common(c, CONF_CHECK_UDP);
	c->max_reply_length = 255;
}

/* ---- url { } ---- */

static void status_set(struct conf_http_status *s, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		s->bits[c / 64] |= 1ull << (c % 64);
}

static void url_init(void *obj)
{
	struct conf_http_url *u = obj;

	status_set(&u->status, 200, 299);
}

static int parse_status_code(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw)
{
	struct conf_http_url *u = obj;
	struct conf_http_status n = { .set = true };

	(void)kw;
	if (st->argc < 2) {
		conf_error(ctx, &st->loc, "status_code: needs at least one code or range");
		return -1;
	}
	for (unsigned i = 1; i < st->argc; i++) {
		const char *w = st->argv[i], *why;
		char lo_s[16], *dash;
		long long lo, hi;

		if (strlen(w) >= sizeof(lo_s)) {
			conf_error(ctx, &st->loc, "status_code: '%.20s' is not a code or range", w);
			return -1;
		}
		strcpy(lo_s, w);
		dash = strchr(lo_s, '-');
		if (dash)
			*dash++ = '\0';
		if (conf_parse_int(lo_s, CONF_HTTP_STATUS_MIN, CONF_HTTP_STATUS_MAX, &lo, &why) ||
		    (dash &&
		     conf_parse_int(dash, CONF_HTTP_STATUS_MIN, CONF_HTTP_STATUS_MAX, &hi, &why))) {
			conf_error(ctx, &st->loc,
				   "status_code: '%s' is not an HTTP status code or range within "
				   "100-599",
				   w);
			return -1;
		}
		if (!dash)
			hi = lo;
		if (hi < lo) {
			conf_error(ctx, &st->loc, "status_code: range '%s' ends before it starts",
				   w);
			return -1;
		}
		status_set(&n, (unsigned)lo, (unsigned)hi);
	}
	/* Repeated status_code lines add to each other, replacing the default. */
	if (u->status.set)
		for (unsigned i = 0; i < sizeof(n.bits) / sizeof(n.bits[0]); i++)
			n.bits[i] |= u->status.bits[i];
	u->status = n;
	return 0;
}

static void dump_status_code(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_http_url *u = obj;
	char buf[16];

	(void)kw;
	json_arr_begin(j);
	for (unsigned c = CONF_HTTP_STATUS_MIN; c <= CONF_HTTP_STATUS_MAX; c++) {
		if (!conf_http_status_has(&u->status, c))
			continue;
		unsigned e = c;
		while (e < CONF_HTTP_STATUS_MAX && conf_http_status_has(&u->status, e + 1))
			e++;
		if (e == c)
			snprintf(buf, sizeof(buf), "%u", c);
		else
			snprintf(buf, sizeof(buf), "%u-%u", c, e);
		json_str(j, buf);
		c = e;
	}
	json_arr_end(j);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static int parse_digest(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw)
{
	struct conf_http_url *u = obj;
	const char *s;

	(void)kw;
	if (st->argc != 2) {
		conf_error(ctx, &st->loc, "digest: takes exactly one MD5 digest (32 hex digits)");
		return -1;
	}
	s = st->argv[1];
	if (strlen(s) != 32) {
		conf_error(
			ctx, &st->loc,
			"digest: '%s' is not an MD5 digest (32 hex digits, found %zu characters)",
			s, strlen(s));
		return -1;
	}
	for (unsigned i = 0; i < 16; i++) {
		int h = hexval((unsigned char)s[2 * i]), l = hexval((unsigned char)s[2 * i + 1]);

		if (h < 0 || l < 0) {
			conf_error(ctx, &st->loc, "digest: '%s' has a character that is not hex",
				   s);
			return -1;
		}
		u->digest[i] = (uint8_t)(h << 4 | l);
	}
	u->has_digest = true;
	return 0;
}

static void dump_digest(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_http_url *u = obj;
	char buf[33];

	(void)kw;
	if (!u->has_digest) {
		json_null(j);
		return;
	}
	for (unsigned i = 0; i < 16; i++)
		snprintf(buf + 2 * i, 3, "%02x", u->digest[i]);
	json_str(j, buf);
}

static int parse_regex_stack(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw)
{
	struct conf_http_url *u = obj;
	long long a, b;
	const char *why;

	(void)kw;
	if (st->argc != 3) {
		conf_error(ctx, &st->loc, "regex_stack: needs START and MAX sizes in bytes");
		return -1;
	}
	if (conf_parse_int(st->argv[1], 1, INT32_MAX, &a, &why) ||
	    conf_parse_int(st->argv[2], 1, INT32_MAX, &b, &why)) {
		conf_error(ctx, &st->loc, "regex_stack: sizes must be whole numbers 1-%d",
			   INT32_MAX);
		return -1;
	}
	if (a > b) {
		conf_error(ctx, &st->loc, "regex_stack: START %lld is above MAX %lld", a, b);
		return -1;
	}
	u->regex_stack_start = (unsigned)a;
	u->regex_stack_max = (unsigned)b;
	return 0;
}

static int url_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_http_url *u = obj;
	int rc = 0;

	if (!u->path) {
		conf_error(ctx, &st->loc, "url: has no path");
		rc = -1;
	}
	for (unsigned i = 0; i < u->regex_options.n; i++) {
		uint32_t flag;

		if (conf_regex_option(u->regex_options.v[i], &flag)) {
			conf_error(ctx, child_loc(st, "regex_options"),
				   "url: regex option '%s' is unknown", u->regex_options.v[i]);
			rc = -1;
		}
	}
	/* The checker compiles it again (check/http_regex.c): a pattern
	 * PCRE2 refuses is a load error, never a check that always fails. */
	if (u->regex) {
		char why[200];
		pcre2_code *code = conf_regex_compile(u, why, sizeof(why));

		if (!code) {
			conf_error(ctx, child_loc(st, "regex"), "url: regex does not compile: %s",
				   why);
			rc = -1;
		}
		pcre2_code_free(code);
	}
	if (!u->regex) {
		static const char *const needs[] = { "regex_no_match",	 "regex_options",
						     "regex_stack",	 "regex_min_offset",
						     "regex_max_offset", NULL };
		for (unsigned i = 0; needs[i]; i++) {
			const struct conf_loc *l = child_loc(st, needs[i]);

			if (l != &st->loc) {
				conf_error(ctx, l, "url: %s needs a regex", needs[i]);
				rc = -1;
			}
		}
	}
	if (u->regex_max_offset && u->regex_min_offset >= u->regex_max_offset) {
		conf_error(ctx, child_loc(st, "regex_min_offset"),
			   "url: regex_min_offset %u must be below regex_max_offset %u",
			   u->regex_min_offset, u->regex_max_offset);
		rc = -1;
	}
	return rc;
}

#define URL struct conf_http_url
static const struct conf_kw url_kws[] = {
	KW_STR("path", URL, path),
	{ .name = "digest", .type = CV_CUSTOM, .parse = parse_digest, .dump = dump_digest },
	{ .name = "status_code",
	  .type = CV_CUSTOM,
	  .parse = parse_status_code,
	  .dump = dump_status_code,
	  .flags = KW_MULTI },
	KW_STR("virtualhost", URL, virtualhost),
	KW_FLAG("tls_compliant", URL, tls_compliant),
	KW_STR("regex", URL, regex),
	KW_SWITCH("regex_no_match", URL, regex_no_match),
	KW_STRLIST("regex_options", URL, regex_options, 1, 32),
	{ .name = "regex_stack", .type = CV_CUSTOM, .parse = parse_regex_stack },
	KW_UINT("regex_min_offset", URL, regex_min_offset, 0, INT32_MAX),
	KW_UINT("regex_max_offset", URL, regex_max_offset, 1, INT32_MAX),
	{ KWF("regex_stack_start", URL, regex_stack_start), .type = CV_UINT,
	  .flags = KW_DUMP_ONLY },
	{ KWF("regex_stack_max", URL, regex_stack_max), .type = CV_UINT, .flags = KW_DUMP_ONLY },
	KW_END,
};
#undef URL

static const struct conf_block conf_block_url = {
	.name = "url",
	.size = sizeof(struct conf_http_url),
	.flags = CB_ANON,
	.kws = url_kws,
	.init = url_init,
	.finish = url_finish,
};

/* ---- common checker keywords ---- */

#define CK struct conf_check

/* keepalived 2.2.7 (check_http.c) reads nb_get_retry in HTTP_GET and
 * SSL_GET only, as a deprecated retry, with a warning; in the other
 * checkers it is an unknown keyword and retry keeps its default, so a
 * value there would mean something else here: an error saying so. */
static int nb_get_retry_http(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw)
{
	long long x;

	(void)kw;
	conf_warn(ctx, &st->loc, "nb_get_retry is deprecated, as keepalived says; use 'retry'");
	if (conf_want_args(ctx, st, 1, 1) || conf_get_int(ctx, st, 1, 0, UINT32_MAX - 1, &x))
		return -1;
	((CK *)obj)->retry = (unsigned)x;
	return 0;
}

#define NB_GET_RETRY_WHY                                                                    \
	"is read by keepalived in HTTP_GET and SSL_GET only (here it ignores it and keeps " \
	"the default retry); use 'retry'"

#define CHECK_TIMING_KWS                                                                       \
	KW_UINT("retry", CK, retry, 0, UINT32_MAX - 1),                                        \
		{ .name = "nb_get_retry",                                                      \
		  .type = CV_CUSTOM,                                                           \
		  .parse = conf_parse_misplaced,                                               \
		  .note = NB_GET_RETRY_WHY },                                                  \
		KW_TIMER("delay_before_retry", CK, delay_before_retry, 0, CONF_LVS_TIMER_MAX), \
		KW_TIMER("warmup", CK, warmup, 0, CONF_LVS_TIMER_MAX),                         \
		KW_TIMER("delay_loop", CK, delay_loop, 1000, CONF_LVS_TIMER_MAX),              \
		KW_LVS_TRI("alpha", CK, alpha),                                                \
		KW_LVS_TRI("log_all_failures", CK, log_all_failures)

static const struct conf_kw check_common_kws[] = {
	KW_ADDR("connect_ip", CK, connect_ip, AF_UNSPEC),
	KW_UINT("connect_port", CK, connect_port, 1, 65535),
	KW_ADDR("bindto", CK, bindto, AF_UNSPEC),
	KW_UINT("bind_port", CK, bind_port, 1, 65535),
	KW_IFNAME("bind_if", CK, bind_if),
	KW_TIMER("connect_timeout", CK, connect_timeout, 1000, CONF_LVS_TIMER_MAX),
	KW_UINT("fwmark", CK, fwmark, 1, UINT32_MAX),
	CHECK_TIMING_KWS,
	KW_END,
};

static int conn_finish(struct conf_ctx *ctx, struct conf_check *c, const struct conf_stmt *st)
{
	if (c->bindto.family && c->connect_ip.family && c->bindto.family != c->connect_ip.family) {
		conf_error(ctx, child_loc(st, "bindto"),
			   "%s: bindto and connect_ip are of different address families",
			   st->argv[0]);
		return -1;
	}
	return 0;
}

static int check_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	return conn_finish(ctx, obj, st);
}

/* ---- TCP_CHECK, PING_CHECK: only the common keywords ---- */

static const struct conf_kw none_kws[] = { KW_END };

const struct conf_block conf_block_tcp_check = {
	.name = "TCP_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = none_kws,
	.kws2 = check_common_kws,
	.init = tcp_init,
	.finish = check_finish,
};

/* ICMP has no ports: keepalived accepts connect_port and bind_port here and
 * ignores them; vigil too, with a warning. */
static int ping_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	static const char *const ports[] = { "connect_port", "bind_port" };

	for (unsigned i = 0; i < 2; i++)
		if (child_loc(st, ports[i]) != &st->loc)
			conf_warn(ctx, child_loc(st, ports[i]),
				  "PING_CHECK: %s has no effect (ICMP has no ports)", ports[i]);
	return check_finish(ctx, obj, st);
}

const struct conf_block conf_block_ping_check = {
	.name = "PING_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = none_kws,
	.kws2 = check_common_kws,
	.init = ping_init,
	.finish = ping_finish,
};

/* ---- HTTP_GET, SSL_GET ---- */

static int http_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_check *c = obj;
	int rc = conn_finish(ctx, c, st);

	if (!c->urls.count) {
		conf_error(ctx, &st->loc, "%s: needs at least one url block", st->argv[0]);
		rc = -1;
	}
	if (c->kind == CONF_CHECK_HTTP && (c->enable_sni || c->tls_compliant))
		conf_warn(ctx, child_loc(st, c->enable_sni ? "enable_sni" : "tls_compliant"),
			  "HTTP_GET: %s only matters for SSL_GET",
			  c->enable_sni ? "enable_sni" : "tls_compliant");
	return rc;
}

static const struct conf_kw http_kws[] = {
	KW_ENUM("http_protocol", CK, http_protocol, http_proto_names),
	KW_FLAG("fast_recovery", CK, fast_recovery),
	KW_FLAG("enable_sni", CK, enable_sni),
	KW_FLAG("tls_compliant", CK, tls_compliant),
	{ .name = "nb_get_retry", .type = CV_CUSTOM, .parse = nb_get_retry_http },
	KW_STR("virtualhost", CK, virtualhost),
	KW_BLOCK("url", CK, urls, &conf_block_url),
	KW_END,
};

const struct conf_block conf_block_http_get = {
	.name = "HTTP_GET",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = http_kws,
	.kws2 = check_common_kws,
	.init = http_init,
	.finish = http_finish,
};

const struct conf_block conf_block_ssl_get = {
	.name = "SSL_GET",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = http_kws,
	.kws2 = check_common_kws,
	.init = ssl_init,
	.finish = http_finish,
};

/* ---- SMTP_CHECK and its host { } blocks ---- */

static const struct conf_block conf_block_smtp_host = {
	.name = "host",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = none_kws,
	.kws2 = check_common_kws,
	.init = smtp_host_init,
	.finish = check_finish,
};

static const struct conf_kw smtp_kws[] = {
	KW_STR("helo_name", CK, helo_name),
	KW_BLOCK("host", CK, hosts, &conf_block_smtp_host),
	KW_END,
};

const struct conf_block conf_block_smtp_check = {
	.name = "SMTP_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = smtp_kws,
	.kws2 = check_common_kws,
	.init = smtp_init,
	.finish = check_finish,
};

/* ---- DNS_CHECK ---- */

static int dns_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_check *c = obj;
	int rc = conn_finish(ctx, c, st);
	const char *n = c->dns_name;
	size_t len = strlen(n), label = 0;

	if (len > 253 || len == 0) {
		conf_error(ctx, child_loc(st, "name"),
			   "DNS_CHECK: name '%s' is not 1-253 characters", n);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (n[i] == '.') {
			if (label == 0 && len > 1) {
				conf_error(ctx, child_loc(st, "name"),
					   "DNS_CHECK: name '%s' has an empty label", n);
				return -1;
			}
			label = 0;
		} else if (++label > 63) {
			conf_error(ctx, child_loc(st, "name"),
				   "DNS_CHECK: name '%s' has a label longer than 63 characters", n);
			return -1;
		}
	}
	return rc;
}

static const struct conf_kw dns_kws[] = {
	KW_ENUM("type", CK, dns_type, conf_dns_type_names),
	KW_STR("name", CK, dns_name),
	KW_END,
};

const struct conf_block conf_block_dns_check = {
	.name = "DNS_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = dns_kws,
	.kws2 = check_common_kws,
	.init = dns_init,
	.finish = dns_finish,
};

/* ---- MISC_CHECK: no connection keywords ---- */

static int parse_user(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		      const struct conf_kw *kw)
{
	struct conf_check *c = obj;

	(void)kw;
	if (st->argc < 2 || st->argc > 3) {
		conf_error(ctx, &st->loc, "user: needs a user name and optionally a group name");
		return -1;
	}
	c->user = st->argv[1];
	c->group = st->argc == 3 ? st->argv[2] : NULL;
	return 0;
}

static int misc_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_check *c = obj;

	if (!c->misc_path || !c->misc_path[0]) {
		conf_error(ctx, &st->loc, "MISC_CHECK: has no misc_path");
		return -1;
	}
	return 0;
}

static const struct conf_kw misc_kws[] = {
	KW_STR("misc_path", CK, misc_path),
	KW_TIMER("misc_timeout", CK, misc_timeout, 1000, CONF_LVS_TIMER_MAX),
	KW_SWITCH("misc_dynamic", CK, misc_dynamic),
	{ .name = "user", .type = CV_CUSTOM, .parse = parse_user },
	CHECK_TIMING_KWS,
	{ KWF("user", CK, user), .type = CV_STR, .flags = KW_DUMP_ONLY },
	{ KWF("group", CK, group), .type = CV_STR, .flags = KW_DUMP_ONLY },
	KW_END,
};

const struct conf_block conf_block_misc_check = {
	.name = "MISC_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = misc_kws,
	.init = misc_init,
	.finish = misc_finish,
};

/* ---- UDP_CHECK ---- */

/* Free-form hex as keepalived documents it: words of hex digits read in
 * pairs; a word with an odd number of digits ends in a lone digit, which is
 * one byte 0N ("Ab12f" is AB 12 0F). x/X (ignored nibble) only when allowed. */
static int parse_hexwords(struct conf_ctx *ctx, const struct conf_stmt *st, unsigned from,
			  bool wild, struct conf_hexbytes *out)
{
	size_t digits = 0;

	for (unsigned i = from; i < st->argc; i++)
		digits += strlen(st->argv[i]) + 1;
	out->data = arena_alloc(ctx->arena, digits / 2 + 2);
	out->mask = arena_alloc(ctx->arena, digits / 2 + 2);
	out->len = 0;
	for (unsigned i = from; i < st->argc; i++) {
		const char *w = st->argv[i];
		size_t n = strlen(w);

		for (size_t k = 0; k < n; k++) {
			bool x = wild && (w[k] == 'x' || w[k] == 'X');

			if (!x && hexval((unsigned char)w[k]) < 0) {
				conf_error(ctx, &st->loc, "%s: '%s' is not hex%s", st->argv[0], w,
					   wild ? " (x marks a nibble to ignore)" : "");
				return -1;
			}
		}
		size_t k = 0;
		while (k < n) {
			size_t take = k + 1 == n ? 1 : 2;
			uint8_t d = 0, m = 0;

			for (size_t t = 0; t < take; t++) {
				char ch = w[k + t];

				d = (uint8_t)(d << 4);
				m = (uint8_t)(m << 4);
				if (!(wild && (ch == 'x' || ch == 'X'))) {
					d |= (uint8_t)hexval((unsigned char)ch);
					m |= 0xf;
				}
			}
			if (take == 1)
				m |= 0xf0;
			out->data[out->len] = d;
			out->mask[out->len] = m;
			out->len++;
			k += take;
		}
	}
	if (out->len > 65507) {
		conf_error(ctx, &st->loc, "%s: %u bytes do not fit in one UDP datagram",
			   st->argv[0], out->len);
		return -1;
	}
	return 0;
}

static int parse_payload(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			 const struct conf_kw *kw)
{
	struct conf_check *c = obj;

	(void)kw;
	if (st->argc < 2) {
		conf_error(ctx, &st->loc, "payload: needs hex data");
		return -1;
	}
	return parse_hexwords(ctx, st, 1, false, &c->payload);
}

static int parse_require_reply(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			       const struct conf_kw *kw)
{
	struct conf_check *c = obj;

	(void)kw;
	c->require_reply = true;
	if (st->argc < 2) {
		c->reply.len = 0;
		return 0;
	}
	return parse_hexwords(ctx, st, 1, true, &c->reply);
}

static void dump_hex(struct json *j, const struct conf_hexbytes *h)
{
	static const char hx[] = "0123456789abcdef";
	char *buf;

	if (!h->data) {
		json_null(j);
		return;
	}
	buf = calloc(1, (size_t)h->len * 2 + 1);
	if (!buf) {
		json_null(j);
		return;
	}
	for (unsigned i = 0; i < h->len; i++) {
		buf[2 * i] = (h->mask[i] & 0xf0) ? hx[h->data[i] >> 4] : 'x';
		buf[2 * i + 1] = (h->mask[i] & 0x0f) ? hx[h->data[i] & 0xf] : 'x';
	}
	json_str(j, buf);
	free(buf);
}

static void dump_payload(struct json *j, const void *obj, const struct conf_kw *kw)
{
	(void)kw;
	dump_hex(j, &((const struct conf_check *)obj)->payload);
}

static void dump_reply(struct json *j, const void *obj, const struct conf_kw *kw)
{
	const struct conf_check *c = obj;

	(void)kw;
	if (!c->require_reply)
		json_bool(j, false);
	else if (!c->reply.len)
		json_bool(j, true);
	else
		dump_hex(j, &c->reply);
}

static int udp_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_check *c = obj;
	int rc = conn_finish(ctx, c, st);

	if (c->min_reply_length > c->max_reply_length) {
		conf_error(ctx, child_loc(st, "min_reply_length"),
			   "UDP_CHECK: min_reply_length %u is above max_reply_length %u",
			   c->min_reply_length, c->max_reply_length);
		rc = -1;
	}
	return rc;
}

static const struct conf_kw udp_kws[] = {
	{ .name = "payload", .type = CV_CUSTOM, .parse = parse_payload, .dump = dump_payload },
	{ .name = "require_reply",
	  .type = CV_CUSTOM,
	  .parse = parse_require_reply,
	  .dump = dump_reply },
	KW_UINT("min_reply_length", CK, min_reply_length, 0, 65535),
	KW_UINT("max_reply_length", CK, max_reply_length, 0, 65535),
	KW_END,
};

const struct conf_block conf_block_udp_check = {
	.name = "UDP_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = udp_kws,
	.kws2 = check_common_kws,
	.init = udp_init,
	.finish = udp_finish,
};

/* ---- FILE_CHECK: none of the common keywords ---- */

static int parse_file_weight(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			     const struct conf_kw *kw)
{
	struct conf_check *c = obj;
	const char *why;
	long long v;

	(void)kw;
	if (st->argc < 2 || st->argc > 3 || (st->argc == 3 && strcmp(st->argv[2], "reverse"))) {
		conf_error(ctx, &st->loc, "weight: needs a number and optionally 'reverse'");
		return -1;
	}
	if (conf_parse_int(st->argv[1], -2147483647LL, 2147483647LL, &v, &why)) {
		conf_error(ctx, &st->loc,
			   "weight: '%s' is not a whole number in -2147483647..2147483647",
			   st->argv[1]);
		return -1;
	}
	c->file_weight = v;
	c->file_weight_reverse = st->argc == 3;
	return 0;
}

static int file_finish(struct conf_ctx *ctx, void *obj, const struct conf_stmt *st)
{
	struct conf_check *c = obj;

	if (!c->track_file) {
		conf_error(ctx, &st->loc, "FILE_CHECK: has no track_file");
		return -1;
	}
	return 0;
}

static const struct conf_kw file_kws[] = {
	KW_STR("track_file", CK, track_file),
	KW_FLAG("dynamic", CK, dynamic),
	{ .name = "weight", .type = CV_CUSTOM, .parse = parse_file_weight },
	{ KWF("weight", CK, file_weight), .type = CV_INT, .flags = KW_DUMP_ONLY },
	{ KWF("reverse", CK, file_weight_reverse), .type = CV_BOOL, .flags = KW_DUMP_ONLY },
	KW_END,
};

const struct conf_block conf_block_file_check = {
	.name = "FILE_CHECK",
	.size = sizeof(struct conf_check),
	.flags = CB_ANON,
	.kws = file_kws,
	.init = file_init,
	.finish = file_finish,
};
