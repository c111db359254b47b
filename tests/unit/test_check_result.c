/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The failure causes of check/result.h: one row per cause in
 * check_causes[], in enum order, each with a short name fit for a JSON key
 * (unique) and a description, and every name documented in the table of
 * doc/vigilctl.8 ($srcdir, as `make check` sets it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check/result.h"

static void test_table_complete(void **state)
{
	(void)state;
	for (unsigned i = 0; i < CHECK_CAUSE__COUNT; i++) {
		const struct check_cause_info *c = &check_causes[i];

		if (!c->name || (unsigned)c->cause != i)
			fail_msg("cause %u has no row of its own", i);
		assert_true(c->name[0]);
		for (const char *p = c->name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
				fail_msg("cause %u: name '%s' is not lower case", i, c->name);
		assert_non_null(c->desc);
		assert_true(strlen(c->desc) > 8);
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(check_causes[k].name, c->name))
				fail_msg("causes %u and %u are both '%s'", k, i, c->name);
	}
	/* what zero-filled state means, and what the protocol's ok means */
	assert_int_equal(CHECK_NONE, 0);
	assert_string_equal(check_causes[CHECK_NONE].name, "none");
	assert_string_equal(check_causes[CHECK_OK].name, "ok");
	assert_string_equal(check_causes[CHECK_CONNECT_REFUSED].name, "refused");
}

/* Every cause but "none" (never counted) is a ".B name" line of the table
 * in vigilctl(8)'s section CHECK FAILURE CAUSES, and the table has no
 * other entries. */
static void test_documented(void **state)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], line[512];
	bool in_table = false, seen[CHECK_CAUSE__COUNT] = { false };
	unsigned entries = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/doc/vigilctl.8", srcdir ? srcdir : ".");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot read %s (run from the build directory or set srcdir)", path);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, ".SH ", 4)) {
			in_table = !strcmp(line, ".SH CHECK FAILURE CAUSES");
			continue;
		}
		if (!in_table || strncmp(line, ".B ", 3))
			continue;
		entries++;
		for (unsigned i = CHECK_OK; i < CHECK_CAUSE__COUNT; i++)
			if (!strcmp(line + 3, check_causes[i].name))
				seen[i] = true;
	}
	fclose(f);
	for (unsigned i = CHECK_OK; i < CHECK_CAUSE__COUNT; i++)
		if (!seen[i])
			fail_msg("%s: cause '%s' is not in CHECK FAILURE CAUSES", path,
				 check_causes[i].name);
	assert_int_equal(entries, CHECK_CAUSE__COUNT - CHECK_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
