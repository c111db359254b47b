# SPDX-License-Identifier: GPL-2.0-or-later
# The conf/ engine: value parsers, JSON writer, schema walker.
check_PROGRAMS += tests/unit/test_value tests/unit/test_json tests/unit/test_schema
TESTS += tests/unit/test_value tests/unit/test_json tests/unit/test_schema
tests_unit_test_value_SOURCES = tests/unit/test_value.c
tests_unit_test_value_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_value_LDADD = $(TEST_LIBS)
tests_unit_test_json_SOURCES = tests/unit/test_json.c
tests_unit_test_json_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_json_LDADD = $(TEST_LIBS)
tests_unit_test_schema_SOURCES = tests/unit/test_schema.c
tests_unit_test_schema_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_schema_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_noeffect
TESTS += tests/unit/test_noeffect
tests_unit_test_noeffect_SOURCES = tests/unit/test_noeffect.c
tests_unit_test_noeffect_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_noeffect_LDADD = $(TEST_LIBS)
