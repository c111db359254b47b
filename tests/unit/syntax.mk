# SPDX-License-Identifier: GPL-2.0-or-later
# The keepalived.conf syntax: lexer, preprocessor, includes, statement tree.
check_PROGRAMS += tests/unit/test_lexer tests/unit/test_include tests/unit/test_tree
TESTS += tests/unit/test_lexer tests/unit/test_include tests/unit/test_tree
tests_unit_test_lexer_SOURCES = tests/unit/test_lexer.c
tests_unit_test_lexer_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_lexer_LDADD = $(TEST_LIBS)
tests_unit_test_include_SOURCES = tests/unit/test_include.c
tests_unit_test_include_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_include_LDADD = $(TEST_LIBS)
tests_unit_test_tree_SOURCES = tests/unit/test_tree.c
tests_unit_test_tree_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_tree_LDADD = $(TEST_LIBS)
