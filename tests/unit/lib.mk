# SPDX-License-Identifier: GPL-2.0-or-later
# lib/: the event stream, script identities, hashing (JSON and spawn have
# their own tests).
check_PROGRAMS += tests/unit/test_lib
TESTS += tests/unit/test_lib
tests_unit_test_lib_SOURCES = tests/unit/test_lib.c
tests_unit_test_lib_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_lib_LDADD = $(TEST_LIBS)
