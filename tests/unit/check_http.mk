# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests: check_http (see tests/unit/local.mk)
check_PROGRAMS += tests/unit/test_check_http
TESTS += tests/unit/test_check_http
tests_unit_test_check_http_SOURCES = tests/unit/test_check_http.c
tests_unit_test_check_http_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS)
tests_unit_test_check_http_LDADD = $(CHECK_LIBS) $(TEST_LIBS) $(UV_LIBS)
