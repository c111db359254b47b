/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fixture shared by the config unit tests: load a text, and expect it
 * to load cleanly, to fail with exactly one error, or to warn. Include after
 * <cmocka.h>.
 */
#ifndef VIGIL_TESTS_CONF_FIXTURE_H
#define VIGIL_TESTS_CONF_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"

static struct conf_load L;

static inline int load(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	conf_load_free(&L);
	return conf_load_string("t.conf", text, strlen(text), &o, &L);
}

static inline void show(void)
{
	conf_msgs_print(stderr, L.msgs);
}

static inline struct conf_model *ok(const char *text)
{
	if (load(text) != 0 || L.n_errors) {
		show();
		fail_msg("expected no errors");
	}
	return L.model;
}

static inline bool has_msg(bool is_error, unsigned line, const char *sub)
{
	for (const struct conf_msg *m = L.msgs; m; m = m->next)
		if (m->is_error == is_error && m->loc.line == line && strstr(m->text, sub))
			return true;
	return false;
}

/* Exactly one error, on `line`, containing `sub`. */
static inline void err1(const char *text, unsigned line, const char *sub)
{
	load(text);
	if (L.n_errors == 1 && has_msg(true, line, sub) && !L.model)
		return;
	show();
	fail_msg("expected exactly one error at line %u containing \"%s\" (got %u)", line, sub,
		 L.n_errors);
}

static inline void warn1(const char *text, unsigned line, const char *sub)
{
	ok(text);
	if (has_msg(false, line, sub))
		return;
	show();
	fail_msg("expected a warning at line %u containing \"%s\"", line, sub);
}

#endif
