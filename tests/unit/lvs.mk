# SPDX-License-Identifier: GPL-2.0-or-later
# The LVS side of the config language: virtual servers, real servers, checkers.
check_PROGRAMS += tests/unit/test_conf_lvs tests/unit/test_conf_check
TESTS += tests/unit/test_conf_lvs tests/unit/test_conf_check
tests_unit_test_conf_lvs_SOURCES = tests/unit/test_conf_lvs.c tests/unit/conf_fixture.h
tests_unit_test_conf_lvs_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_lvs_LDADD = $(TEST_LIBS)
tests_unit_test_conf_check_SOURCES = tests/unit/test_conf_check.c
tests_unit_test_conf_check_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_check_LDADD = $(TEST_LIBS)
