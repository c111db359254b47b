/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsers for the value types of keepalived.conf. Pure: each takes one word
 * and returns 0 with the value, or -1 with a short reason ("not a number")
 * that the caller puts into a file:line error.
 */
#ifndef VIGIL_CONF_VALUE_H
#define VIGIL_CONF_VALUE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct conf_addr {
	sa_family_t family; /* AF_INET or AF_INET6; 0 when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

struct conf_prefix {
	struct conf_addr addr;
	uint8_t len; /* 32 / 128 when the text had no /len */
	bool has_len;
};

#define CONF_ADDRSTRLEN 64 /* enough for an IPv6 address with /128 */

/* <BOOL>: on|off|true|false|yes|no (case-insensitive, as keepalived). */
int conf_parse_bool(const char *s, bool *out, const char **why);
/* Decimal (or 0x hex) integer within [min, max]. */
int conf_parse_int(const char *s, long long min, long long max, long long *out,
		   const char **why);
/* <TIMER>: seconds with an optional fraction ("0.01", "3"), microsecond
 * resolution, result in microseconds within [min_us, max_us]. */
int conf_parse_timer(const char *s, uint64_t min_us, uint64_t max_us, uint64_t *out_us,
		     const char **why);
/* family: AF_UNSPEC, AF_INET or AF_INET6 (the others are refused). */
int conf_parse_addr(const char *s, int family, struct conf_addr *out, const char **why);
/* "addr" or "addr/len"; host bits are kept (keepalived keeps them for VIPs). */
int conf_parse_prefix(const char *s, int family, struct conf_prefix *out, const char **why);
int conf_parse_port(const char *s, uint16_t *out, const char **why);
int conf_parse_mac(const char *s, uint8_t out[6], const char **why);
/* Interface names: 1..15 bytes, no '/', no white space, not "." or "..". */
int conf_check_ifname(const char *s, const char **why);

/* Formats into buf (at least CONF_ADDRSTRLEN); returns buf. */
const char *conf_addr_str(const struct conf_addr *a, char *buf);
const char *conf_prefix_str(const struct conf_prefix *p, char *buf);
bool conf_addr_equal(const struct conf_addr *a, const struct conf_addr *b);
bool conf_addr_is_unset(const struct conf_addr *a);

#endif
