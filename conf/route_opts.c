/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The values of the ip-route options a route line keeps as words
 * (conf_route.opts, "NAME [lock] VALUE"), checked once the whole line is
 * read (the family is known then) and rewritten into the numbers
 * vrrp/netlink_msg.c programs: a time in kernel units, a realm or group
 * name looked up in the iproute2 files now, so that -t fails on a name the
 * daemon could not resolve. Also the name lookups rules use (realms,
 * suppress_ifgroup). keepalived 2.2.7's syntax and units.
 */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/model.h"

/* Decimal or 0x hex (strtoull base 0, as the iproute2 files are read), the
 * whole string, within max. */
int conf_iproute2_num(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int conf_iproute2_file_lookup(const char *path, const char *name, unsigned long long max,
			      unsigned long long *out)
{
	FILE *f = fopen(path, "re");
	char line[256];
	int rc = -1;

	if (!f)
		return -1;
	while (rc && fgets(line, sizeof(line), f)) {
		char num[64], nm[128];
		unsigned long long v;

		if (sscanf(line, " %63s %127s", num, nm) != 2 || num[0] == '#')
			continue;
		if (!strcmp(nm, name) && !conf_iproute2_num(num, max, &v)) {
			*out = v;
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

int conf_iproute2_id(const char *s, const char *path, const char *file, unsigned long long max,
		     unsigned long long *out)
{
	char p[128];

	if (!s || !s[0])
		return -1;
	if (!conf_iproute2_num(s, max, out))
		return 0;
	if (path)
		return conf_iproute2_file_lookup(path, s, max, out);
	snprintf(p, sizeof(p), "/etc/iproute2/%s", file);
	if (!conf_iproute2_file_lookup(p, s, max, out))
		return 0;
	snprintf(p, sizeof(p), "/usr/share/iproute2/%s", file);
	return conf_iproute2_file_lookup(p, s, max, out);
}

struct name_num {
	const char *name;
	unsigned num;
};

/* A number, one of iproute2's built-in names, or a name in FILE. */
static int builtin_or_file(const char *s, const char *path, const char *file,
			   const struct name_num *builtin, unsigned long long max,
			   unsigned long long *out)
{
	unsigned i;

	if (!s || !s[0])
		return -1;
	if (!conf_iproute2_num(s, max, out))
		return 0;
	for (i = 0; builtin[i].name; i++) {
		if (!strcmp(builtin[i].name, s)) {
			*out = builtin[i].num;
			return 0;
		}
	}
	return conf_iproute2_id(s, path, file, max, out);
}

int conf_table_id(const char *s, const char *path, unsigned long long *out)
{
	/* RT_TABLE_UNSPEC, _DEFAULT, _MAIN, _LOCAL */
	static const struct name_num builtin[] = {
		{ "unspec", 0 }, { "default", 253 }, { "main", 254 }, { "local", 255 }, { NULL, 0 },
	};

	return builtin_or_file(s, path, "rt_tables", builtin, 0xffffffffULL, out);
}

int conf_proto_id(const char *s, const char *path, unsigned long long *out)
{
	/* RTPROT_* and the names iproute2 ships in rt_protos. */
	static const struct name_num builtin[] = {
		{ "unspec", 0 },     { "redirect", 1 }, { "kernel", 2 }, { "boot", 3 },
		{ "static", 4 },     { "ra", 9 },	{ "zebra", 11 }, { "bird", 12 },
		{ "dhcp", 16 },	     { "keepalived", 18 }, { "babel", 42 }, { "bgp", 186 },
		{ "isis", 187 },     { "ospf", 188 },	{ "rip", 189 },	 { "eigrp", 192 },
		{ NULL, 0 },
	};

	return builtin_or_file(s, path, "rt_protos", builtin, 255, out);
}

int conf_ipproto_id(const char *s, unsigned long long *out)
{
	static const struct name_num builtin[] = {
		{ "icmp", 1 }, { "tcp", 6 },	    { "udp", 17 },    { "gre", 47 },   { "esp", 50 },
		{ "ah", 51 },  { "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "sctp", 132 }, { NULL, 0 },
	};
	const struct protoent *pe;
	unsigned i;

	if (!s || !s[0])
		return -1;
	if (!conf_iproute2_num(s, 255, out))
		return 0;
	for (i = 0; builtin[i].name; i++) {
		if (!strcasecmp(builtin[i].name, s)) {
			*out = builtin[i].num;
			return 0;
		}
	}
	/* keepalived (inet_proto_a2n) asks /etc/protocols. */
	pe = getprotobyname(s);
	if (!pe || pe->p_proto < 0 || pe->p_proto > 255)
		return -1;
	*out = (unsigned long long)pe->p_proto;
	return 0;
}

const char *conf_rule_named(struct conf_ctx *ctx, const char *name, const char *v,
			    const char **why)
{
	unsigned long long n;
	unsigned f, t;

	if (!strcmp(name, "realms")) {
		*why = "is not a number or a name in /etc/iproute2/rt_realms (FROM/TO: 0-255)";
		if (conf_realms(v, NULL, &f, &t))
			return NULL;
		return arena_printf(ctx->arena, "%u/%u", f, t);
	}
	if (!strcmp(name, "suppress_ifgroup")) {
		*why = "is not a number or a name in /etc/iproute2/group";
		if (conf_iproute2_id(v, NULL, "group", 0x7fffffff, &n))
			return NULL;
	} else if (!strcmp(name, "protocol")) {
		*why = "is not a number 0-255 or a name in /etc/iproute2/rt_protos";
		if (conf_proto_id(v, NULL, &n))
			return NULL;
	} else {
		*why = "is not a number 0-255 or a protocol name in /etc/protocols";
		if (conf_ipproto_id(v, &n))
			return NULL;
	}
	return arena_printf(ctx->arena, "%llu", n);
}

int conf_realms(const char *s, const char *path, unsigned *from, unsigned *to)
{
	const char *slash = strchr(s, '/');
	unsigned long long f = 0, t;
	char buf[128];

	if (slash) {
		if ((size_t)(slash - s) >= sizeof(buf))
			return -1;
		memcpy(buf, s, (size_t)(slash - s));
		buf[slash - s] = '\0';
		if (conf_iproute2_id(buf, path, "rt_realms", 255, &f))
			return -1;
	}
	if (conf_iproute2_id(slash ? slash + 1 : s, path, "rt_realms", 255, &t))
		return -1;
	*from = (unsigned)f;
	*to = (unsigned)t;
	return 0;
}

/*
 * rtt, rttvar, rto_min: a bare number is in the kernel's units (as ip-route
 * and keepalived); "Nms", "Ns" (also sec, secs, msec, msecs; s with up to 3
 * decimals) is a time, times mult per millisecond (rtt 8, rttvar 4, rto_min
 * 1). Out of 200 ms..120 s it is clamped, with a warning, as keepalived does.
 */
static int parse_rtt(const char *s, unsigned mult, unsigned long long *out, bool *clamped)
{
	const unsigned long long lo = 200ULL * mult, hi = 120000ULL * mult;
	const char *unit = strpbrk(s, "sSmM"), *end = unit ? unit : s + strlen(s), *p = s;
	unsigned long long v = 0, milli = 0;
	unsigned digits = 0;
	bool ms = false;

	if (unit) {
		ms = tolower((unsigned char)unit[0]) == 'm';
		if (strcasecmp(unit + ms, "s") && strcasecmp(unit + ms, "sec") &&
		    strcasecmp(unit + ms, "secs"))
			return -1;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; p < end && isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > hi * 1000)
			return -1;
	}
	if (p < end && *p == '.' && unit && !ms) {
		for (p++; p < end && isdigit((unsigned char)*p) && digits < 3; p++, digits++)
			milli = milli * 10 + (unsigned)(*p - '0');
		if (!digits)
			return -1;
		for (; digits < 3; digits++)
			milli *= 10;
	}
	if (p != end)
		return -1;
	if (!unit && v > hi)
		return -1;
	if (unit)
		v = ms ? v * mult : (v * 1000 + milli) * mult;
	*clamped = v < lo || v > hi;
	*out = v < lo ? lo : v > hi ? hi : v;
	return 0;
}

/* How each kept option's value is checked; what it becomes. */
enum opt_val {
	V_U32,	  /* 0..2^32-1 */
	V_U8,	  /* 0..255 */
	V_BOOL01, /* 0 or 1 */
	V_RTT8,	  /* a time, 1/8 ms */
	V_RTT4,	  /* a time, 1/4 ms */
	V_RTT1,	  /* a time, ms */
	V_ECN,	  /* "ecn" -> 1 */
	V_CC,	  /* a congestion control name */
	V_PREF,	  /* low|medium|high|0..255 */
	V_TTLP,	  /* enabled|disabled -> 1|0 */
	V_REALMS, /* [FROM/]TO, numbers or rt_realms names -> "F/T" numbers */
};

static const struct {
	const char *name;
	enum opt_val val;
	bool lock;  /* "NAME lock VALUE" accepted, as keepalived */
	int family; /* 0: any */
} route_opt_vals[] = {
	{ "mtu", V_U32, true, 0 },
	{ "advmss", V_U32, true, 0 },
	{ "reordering", V_U32, true, 0 },
	{ "window", V_U32, false, 0 },
	{ "cwnd", V_U32, true, 0 },
	{ "ssthresh", V_U32, true, 0 },
	{ "initcwnd", V_U32, false, 0 },
	{ "initrwnd", V_U32, false, 0 },
	{ "hoplimit", V_U8, false, 0 },
	{ "rtt", V_RTT8, true, 0 },
	{ "rttvar", V_RTT4, true, 0 },
	{ "rto_min", V_RTT1, true, 0 },
	{ "features", V_ECN, false, 0 },
	{ "quickack", V_BOOL01, false, 0 },
	{ "fastopen_no_cookie", V_BOOL01, false, 0 },
	{ "congctl", V_CC, true, 0 },
	{ "expires", V_U32, false, AF_INET6 },
	{ "pref", V_PREF, false, AF_INET6 },
	{ "ttl-propagate", V_TTLP, false, 0 },
	{ "realms", V_REALMS, false, AF_INET },
};

/* One value: its normalised word, or NULL with the reason in *why. */
static const char *route_opt_value(struct conf_ctx *ctx, const struct conf_loc *loc,
				   const char *what, const char *name, enum opt_val val,
				   const char *v, const char **why)
{
	static const char *const prefs[] = { "medium", "high", NULL, "low" };
	unsigned long long n = 0;
	unsigned f, t, k;
	bool clamped = false;

	*why = "is not valid";
	switch (val) {
	case V_U32:
	case V_U8:
		if (conf_iproute2_num(v, val == V_U8 ? 255 : 0xffffffffULL, &n)) {
			*why = val == V_U8 ? "is not a number 0-255" : "is not a number";
			return NULL;
		}
		return v;
	case V_BOOL01:
		*why = "is not 0 or 1";
		return strcmp(v, "0") && strcmp(v, "1") ? NULL : v;
	case V_RTT8:
	case V_RTT4:
	case V_RTT1:
		*why = "is not a time (N in kernel units, Nms, or Ns)";
		if (parse_rtt(v, val == V_RTT8 ? 8 : val == V_RTT4 ? 4 : 1, &n, &clamped))
			return NULL;
		if (clamped)
			conf_warn(
				ctx, loc,
				"%s: %s %s is outside 200ms-120s; %llu is used, as keepalived does",
				what, name, v, n);
		break;
	case V_ECN:
		*why = "is not 'ecn' (the only feature)";
		return strcmp(v, "ecn") ? NULL : "1";
	case V_CC:
		/* The kernel looks the name up (TCP_CA_NAME_MAX 16). */
		*why = "is not a congestion control name (1 to 15 characters)";
		if (!v[0] || strlen(v) > 15 || strchr(v, '/'))
			return NULL;
		return v;
	case V_PREF:
		for (k = 0; k < 4; k++)
			if (prefs[k] && !strcmp(v, prefs[k]))
				return arena_printf(ctx->arena, "%u", k);
		*why = "is not low, medium, high or a number 0-255";
		return conf_iproute2_num(v, 255, &n) ? NULL : v;
	case V_TTLP:
		*why = "is not enabled or disabled";
		return !strcmp(v, "enabled") ? "1" : !strcmp(v, "disabled") ? "0" : NULL;
	case V_REALMS:
		*why = "is not [FROM/]TO with realm numbers 0-255 or names from rt_realms";
		if (conf_realms(v, NULL, &f, &t))
			return NULL;
		return arena_printf(ctx->arena, "%u/%u", f, t);
	}
	return arena_printf(ctx->arena, "%llu", n);
}

int conf_rule_opts_finish(struct conf_ctx *ctx, const struct conf_loc *loc, const char *what,
			  const struct conf_rule *r)
{
	unsigned i;

	/* As keepalived 2.2.7 (vrrp_iprule.c): realms are IPv4 only. */
	for (i = 0; i + 1 < r->opts.n; i += 2)
		if (r->family == AF_INET6 && !strcmp(r->opts.v[i], "realms")) {
			conf_error(ctx, loc, "%s: realms is only valid for IPv4 rules", what);
			return 1;
		}
	return 0;
}

/* Whether the kernel lists a congestion control algorithm now (true when it
 * cannot be read: not this file's place to refuse). */
static bool cc_available(const char *name)
{
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_congestion_control", "re");
	char w[64];
	bool found = false;

	if (!f)
		return true;
	while (!found && fscanf(f, "%63s", w) == 1)
		found = !strcmp(w, name);
	fclose(f);
	return found;
}

int conf_route_opts_finish(struct conf_ctx *ctx, const struct conf_loc *loc, const char *what,
			   struct conf_route *r)
{
	const unsigned n_vals = sizeof(route_opt_vals) / sizeof(route_opt_vals[0]);
	const char *cc = NULL;
	unsigned long long n;
	int errs = 0;
	unsigned i, k;

	for (i = 0; i < r->opts.n; i++) {
		const char *name = r->opts.v[i], *why, *nv;
		bool lock = i + 1 < r->opts.n && !strcmp(r->opts.v[i + 1], "lock");

		for (k = 0; k < n_vals && strcmp(route_opt_vals[k].name, name); k++)
			;
		i += lock;
		if (k == n_vals || i + 1 >= r->opts.n) {
			conf_error(ctx, loc, "%s: route option '%s' is unknown", what, name);
			return errs + 1;
		}
		i++;
		if (lock && !route_opt_vals[k].lock) {
			conf_error(ctx, loc, "%s: '%s' has no 'lock' form", what, name);
			errs++;
		}
		if (route_opt_vals[k].family && route_opt_vals[k].family != r->family) {
			conf_error(ctx, loc, "%s: '%s' is only valid for %s routes", what, name,
				   route_opt_vals[k].family == AF_INET ? "IPv4" : "IPv6");
			errs++;
		}
		nv = route_opt_value(ctx, loc, what, name, route_opt_vals[k].val, r->opts.v[i],
				     &why);
		if (!nv) {
			conf_error(ctx, loc, "%s: %s '%s' %s", what, name, r->opts.v[i], why);
			errs++;
		} else {
			r->opts.v[i] = (char *)nv;
			if (route_opt_vals[k].val == V_CC)
				cc = nv;
		}
	}
	if (r->protocol && conf_proto_id(r->protocol, NULL, &n)) {
		conf_error(ctx, loc,
			   "%s: protocol '%s' is not a number 0-255 or a name in "
			   "/etc/iproute2/rt_protos",
			   what, r->protocol);
		errs++;
	}
	/* A name the running kernel does not list may still load as a module
	 * (tcp_NAME) when the route is added: a warning, not an error. */
	if (cc && !cc_available(cc))
		conf_warn(ctx, loc,
			  "%s: congctl '%s' is not in "
			  "/proc/sys/net/ipv4/tcp_available_congestion_control; adding the "
			  "route fails unless the kernel can load tcp_%s",
			  what, cc, cc);
	/* keepalived (vrrp_iproute.c) tracks a route's interface (dev); a
	 * route without one cannot be tracked: warned, and made no_track. */
	if (!r->dev && !r->no_track) {
		conf_warn(ctx, loc,
			  "%s: a route without dev cannot be tracked; not tracking it (as "
			  "keepalived: \"cannot track route with no interface specified\")",
			  what);
		r->no_track = true;
	}
	return errs;
}
