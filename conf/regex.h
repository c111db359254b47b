/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The url { regex } of HTTP_GET and SSL_GET: a PCRE2 pattern, as in
 * keepalived. One place turns a url's regex, regex_options and
 * regex_max_offset into compiled code, so that the check at load
 * (kw_check.c) and the checker (check/http_regex.c) can never disagree.
 */
#ifndef VIGIL_CONF_REGEX_H
#define VIGIL_CONF_REGEX_H

#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

struct conf_http_url;

/* The PCRE2 compile option of a regex_options name: 0, or -1 when the name
 * is not one keepalived documents. */
int conf_regex_option(const char *name, uint32_t *flag);

/*
 * Compiles u->regex with its options (and PCRE2_USE_OFFSET_LIMIT when
 * regex_max_offset is set, see check/http_regex.c). Returns the code (free
 * it with pcre2_code_free), or NULL with err set to PCRE2's message and the
 * offset in the pattern where it stopped.
 */
pcre2_code *conf_regex_compile(const struct conf_http_url *u, char *err, size_t len);

#endif
