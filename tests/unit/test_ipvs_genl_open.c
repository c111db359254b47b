/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvs/genl.c: opening the family on a kernel without IPVS fails cleanly
 * (the messages are tested by test_ipvs_genl).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ipvs/genl.h"

static void test_open_without_ipvs(void **state)
{
	struct ipvs_genl *g = (struct ipvs_genl *)1;
	int rc;

	(void)state;
	rc = ipvs_genl_open(&g);
	if (rc == 0) {
		/* A kernel with IPVS (the VM): fine too. */
		assert_non_null(g);
		ipvs_genl_close(g);
		return;
	}
	assert_int_equal(rc, -ENOENT);
	assert_null(g);
	ipvs_genl_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_without_ipvs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
