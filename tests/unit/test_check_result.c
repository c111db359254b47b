/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The failure causes of check/result.h: one row per cause in
 * check_causes[], in enum order, each with a short name fit for a JSON key
 * (unique) and a description.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
