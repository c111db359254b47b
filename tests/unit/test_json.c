/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"

static void test_compact(void **state)
{
	struct json j;
	char *s;

	(void)state;
	json_init(&j, false);
	json_obj_begin(&j);
	json_kstr(&j, "a", "x\"y\\z\n\x01");
	json_kint(&j, "b", -3);
	json_key(&j, "c");
	json_arr_begin(&j);
	json_bool(&j, true);
	json_null(&j);
	json_uint(&j, 18446744073709551615ULL);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	json_kstr(&j, "d", NULL);
	json_kdouble(&j, "e", 0.01);
	json_obj_end(&j);
	s = json_take(&j, NULL);
	assert_string_equal(s, "{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"b\":-3,\"c\":[true,null,"
			       "18446744073709551615,{}],\"d\":null,\"e\":0.01}");
	free(s);
	json_free(&j);
}

static void test_pretty(void **state)
{
	struct json j;
	char *s;

	(void)state;
	json_init(&j, true);
	json_obj_begin(&j);
	json_kint(&j, "a", 1);
	json_key(&j, "b");
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	s = json_take(&j, NULL);
	assert_string_equal(s, "{\n  \"a\": 1,\n  \"b\": []\n}\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_pretty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
