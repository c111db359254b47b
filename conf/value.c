/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "conf/value.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int conf_parse_bool(const char *s, bool *out, const char **why)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };
	unsigned i;

	for (i = 0; i < 3; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	*why = "is not a boolean (on|off|true|false|yes|no)";
	return -1;
}

int conf_parse_int(const char *s, long long min, long long max, long long *out,
		   const char **why)
{
	char *end;
	long long v;

	if (!*s || isspace((unsigned char)*s)) {
		*why = "is not a number";
		return -1;
	}
	/* Decimal or 0x hex only: "010" is ten to an operator, never octal. */
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		v = strtoll(s, &end, 16);
	else
		v = strtoll(s, &end, 10);
	if (*end != '\0' || end == s) {
		*why = "is not a whole number";
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		*why = "is out of range";
		return -1;
	}
	*out = v;
	return 0;
}

int conf_parse_timer(const char *s, uint64_t min_us, uint64_t max_us, uint64_t *out_us,
		     const char **why)
{
	uint64_t whole = 0, frac = 0, scale = 100000;
	const char *p = s;
	bool digits = false;

	/* Parsed by hand rather than with strtod so 0.01 is exactly 10000 us. */
	while (isdigit((unsigned char)*p)) {
		if (whole > UINT64_MAX / 10 / 1000000ULL) {
			*why = "is out of range";
			return -1;
		}
		whole = whole * 10 + (uint64_t)(*p - '0');
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (scale == 0 && *p != '0') {
				*why = "has more precision than a microsecond";
				return -1;
			}
			frac += (uint64_t)(*p - '0') * scale;
			scale /= 10;
			p++;
			digits = true;
		}
	}
	if (!digits || *p != '\0') {
		*why = "is not a time in seconds";
		return -1;
	}
	whole = whole * 1000000ULL + frac;
	if (whole < min_us || whole > max_us) {
		*why = "is out of range";
		return -1;
	}
	*out_us = whole;
	return 0;
}

int conf_parse_addr(const char *s, int family, struct conf_addr *out, const char **why)
{
	struct conf_addr a;

	memset(&a, 0, sizeof(a));
	if (strlen(s) >= CONF_ADDRSTRLEN) {
		*why = "is not an IP address";
		return -1;
	}
	if (inet_pton(AF_INET, s, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.u.v6) == 1)
		a.family = AF_INET6;
	if (!a.family) {
		*why = "is not an IP address";
		return -1;
	}
	if (family == AF_INET && a.family != AF_INET) {
		*why = "is not an IPv4 address";
		return -1;
	}
	if (family == AF_INET6 && a.family != AF_INET6) {
		*why = "is not an IPv6 address";
		return -1;
	}
	*out = a;
	return 0;
}

int conf_parse_prefix(const char *s, int family, struct conf_prefix *out, const char **why)
{
	char buf[CONF_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	long long len;
	unsigned maxlen;

	if (alen >= sizeof(buf)) {
		*why = "is not an IP address";
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(out, 0, sizeof(*out));
	if (conf_parse_addr(buf, family, &out->addr, why))
		return -1;
	maxlen = out->addr.family == AF_INET ? 32 : 128;
	out->len = (uint8_t)maxlen;
	if (!slash)
		return 0;
	if (conf_parse_int(slash + 1, 0, maxlen, &len, why) || slash[1] == '\0') {
		*why = out->addr.family == AF_INET ? "has a prefix length that is not 0-32"
						   : "has a prefix length that is not 0-128";
		return -1;
	}
	out->len = (uint8_t)len;
	out->has_len = true;
	return 0;
}

int conf_parse_port(const char *s, uint16_t *out, const char **why)
{
	long long v;

	if (conf_parse_int(s, 0, 65535, &v, why)) {
		*why = "is not a port (0-65535)";
		return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

int conf_parse_mac(const char *s, uint8_t out[6], const char **why)
{
	unsigned v[6];
	char tail;
	int i;

	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
				      &v[4], &v[5], &tail) != 6) {
		*why = "is not a MAC address (xx:xx:xx:xx:xx:xx)";
		return -1;
	}
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) || !isxdigit((unsigned char)s[i * 3 + 1])) {
			*why = "is not a MAC address (xx:xx:xx:xx:xx:xx)";
			return -1;
		}
		out[i] = (uint8_t)v[i];
	}
	return 0;
}

int conf_check_ifname(const char *s, const char **why)
{
	const char *p;

	if (!*s || strlen(s) > 15) {
		*why = "is not an interface name (1-15 characters)";
		return -1;
	}
	if (!strcmp(s, ".") || !strcmp(s, "..")) {
		*why = "is not an interface name";
		return -1;
	}
	for (p = s; *p; p++) {
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) || !isprint((unsigned char)*p)) {
			*why = "is not an interface name (no '/', ':' or spaces)";
			return -1;
		}
	}
	return 0;
}

const char *conf_addr_str(const struct conf_addr *a, char *buf)
{
	if (!a->family || !inet_ntop(a->family, &a->u, buf, CONF_ADDRSTRLEN))
		strcpy(buf, "");
	return buf;
}

const char *conf_prefix_str(const struct conf_prefix *p, char *buf)
{
	size_t n;

	conf_addr_str(&p->addr, buf);
	n = strlen(buf);
	if (p->addr.family)
		snprintf(buf + n, CONF_ADDRSTRLEN - n, "/%u", p->len);
	return buf;
}

bool conf_addr_equal(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return true;
}

bool conf_addr_is_unset(const struct conf_addr *a)
{
	return a->family == 0;
}
