# SPDX-License-Identifier: GPL-2.0-or-later
# global_defs, static_*, vrrp_* keyword tables and their validation.
check_PROGRAMS += tests/unit/test_conf_global tests/unit/test_conf_vrrp \
	tests/unit/test_conf_static tests/unit/test_conf_entry_opts
TESTS += tests/unit/test_conf_global tests/unit/test_conf_vrrp tests/unit/test_conf_static \
	tests/unit/test_conf_entry_opts
tests_unit_test_conf_global_SOURCES = tests/unit/test_conf_global.c tests/unit/conf_fixture.h
tests_unit_test_conf_global_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_global_LDADD = $(TEST_LIBS)
tests_unit_test_conf_vrrp_SOURCES = tests/unit/test_conf_vrrp.c tests/unit/conf_fixture.h
tests_unit_test_conf_vrrp_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_vrrp_LDADD = $(TEST_LIBS)
tests_unit_test_conf_static_SOURCES = tests/unit/test_conf_static.c tests/unit/conf_fixture.h
tests_unit_test_conf_static_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_static_LDADD = $(TEST_LIBS)
tests_unit_test_conf_entry_opts_SOURCES = tests/unit/test_conf_entry_opts.c \
	tests/unit/conf_fixture.h
tests_unit_test_conf_entry_opts_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_entry_opts_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_conf_compat
TESTS += tests/unit/test_conf_compat
tests_unit_test_conf_compat_SOURCES = tests/unit/test_conf_compat.c tests/unit/conf_fixture.h
tests_unit_test_conf_compat_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_conf_compat_LDADD = $(TEST_LIBS)
