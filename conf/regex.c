/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * url regex options and compilation (regex.h). Every name keepalived
 * documents for regex_options is a PCRE2 compile option of the same name.
 */
#include "conf/regex.h"

#include <stdio.h>
#include <string.h>

#include "conf/model.h"

static const struct {
	const char *name;
	uint32_t flag;
} regex_options[] = {
	{ "allow_empty_class", PCRE2_ALLOW_EMPTY_CLASS },
	{ "alt_bsux", PCRE2_ALT_BSUX },
	{ "auto_callout", PCRE2_AUTO_CALLOUT },
	{ "caseless", PCRE2_CASELESS },
	{ "dollar_endonly", PCRE2_DOLLAR_ENDONLY },
	{ "dotall", PCRE2_DOTALL },
	{ "dupnames", PCRE2_DUPNAMES },
	{ "extended", PCRE2_EXTENDED },
	{ "firstline", PCRE2_FIRSTLINE },
	{ "match_unset_backref", PCRE2_MATCH_UNSET_BACKREF },
	{ "multiline", PCRE2_MULTILINE },
	{ "never_ucp", PCRE2_NEVER_UCP },
	{ "never_utf", PCRE2_NEVER_UTF },
	{ "no_auto_capture", PCRE2_NO_AUTO_CAPTURE },
	{ "no_auto_possess", PCRE2_NO_AUTO_POSSESS },
	{ "no_dotstar_anchor", PCRE2_NO_DOTSTAR_ANCHOR },
	{ "no_start_optimize", PCRE2_NO_START_OPTIMIZE },
	{ "ucp", PCRE2_UCP },
	{ "ungreedy", PCRE2_UNGREEDY },
	{ "utf", PCRE2_UTF },
	{ "never_backslash_c", PCRE2_NEVER_BACKSLASH_C },
	{ "alt_circumflex", PCRE2_ALT_CIRCUMFLEX },
	{ "alt_verbnames", PCRE2_ALT_VERBNAMES },
	{ "use_offset_limit", PCRE2_USE_OFFSET_LIMIT },
};

int conf_regex_option(const char *name, uint32_t *flag)
{
	for (size_t i = 0; i < sizeof(regex_options) / sizeof(regex_options[0]); i++) {
		if (!strcmp(name, regex_options[i].name)) {
			*flag = regex_options[i].flag;
			return 0;
		}
	}
	return -1;
}

pcre2_code *conf_regex_compile(const struct conf_http_url *u, char *err, size_t len)
{
	uint32_t opts = 0, f;
	PCRE2_SIZE off = 0;
	pcre2_code *code;
	int rc = 0;

	for (unsigned i = 0; i < u->regex_options.n; i++)
		if (!conf_regex_option(u->regex_options.v[i], &f))
			opts |= f;
	if (u->regex_max_offset)
		opts |= PCRE2_USE_OFFSET_LIMIT;
	code = pcre2_compile((PCRE2_SPTR)u->regex, PCRE2_ZERO_TERMINATED, opts, &rc, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[160];

		/* (too long for msg: cut, still terminated) */
		if (pcre2_get_error_message(rc, msg, sizeof(msg)) == PCRE2_ERROR_BADDATA)
			snprintf((char *)msg, sizeof(msg), "error %d", rc);
		snprintf(err, len, "%s at offset %zu", (const char *)msg, (size_t)off);
	}
	return code;
}
