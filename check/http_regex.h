/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The url regex of HTTP_GET / SSL_GET (PCRE2, as keepalived): each url's
 * pattern is compiled once per checker engine, on its first use, and kept
 * in a cache keyed by the url (the model outlives the engine's probes).
 */
#ifndef VIGIL_CHECK_HTTP_REGEX_H
#define VIGIL_CHECK_HTTP_REGEX_H

#include <stddef.h>

#include "check/result.h"

struct conf_http_url;
struct http_regex_cache;

struct http_regex_cache *http_regex_cache_new(void);
void http_regex_cache_free(struct http_regex_cache *c);

/*
 * Judges u's regex against win[0, len), the body from regex_min_offset on:
 * a match must start at or before regex_max_offset (when set), and
 * regex_no_match reverses the sense. CHECK_OK when the url passes; else why
 * says why and the result is the failure's cause: CHECK_HTTP_REGEX (the
 * body fails it; a match error, such as a limit PCRE2 hit, always fails),
 * CHECK_CONFIG (the pattern does not compile) or CHECK_INTERNAL (out of
 * memory). c may be NULL: the pattern is then compiled for this call only.
 */
enum check_cause http_regex_check(struct http_regex_cache *c, const struct conf_http_url *u,
				  const char *win, size_t len, char *why, size_t wlen);

#endif
