# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests: check (see tests/unit/local.mk): the failure causes, the
# probe list, the main <-> checker protocol, the engine (with a fake kind)
# and TCP_CHECK.
check_PROGRAMS += tests/unit/test_check_result tests/unit/test_check_proto \
	tests/unit/test_check_probe tests/unit/test_check_engine tests/unit/test_check_tcp
TESTS += tests/unit/test_check_result tests/unit/test_check_proto \
	tests/unit/test_check_probe tests/unit/test_check_engine tests/unit/test_check_tcp
tests_unit_test_check_result_SOURCES = tests/unit/test_check_result.c
tests_unit_test_check_result_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_check_result_LDADD = $(CHECK_MSG_LIBS) $(TEST_LIBS)
tests_unit_test_check_proto_SOURCES = tests/unit/test_check_proto.c
tests_unit_test_check_proto_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_check_proto_LDADD = $(CHECK_MSG_LIBS) $(TEST_LIBS)
tests_unit_test_check_probe_SOURCES = tests/unit/test_check_probe.c
tests_unit_test_check_probe_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS)
tests_unit_test_check_probe_LDADD = $(CHECK_LIBS) $(TEST_LIBS) $(UV_LIBS)
tests_unit_test_check_engine_SOURCES = tests/unit/test_check_engine.c check/kinds_test.h
tests_unit_test_check_engine_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS)
tests_unit_test_check_engine_LDADD = $(CHECK_LIBS) $(TEST_LIBS) $(UV_LIBS)
tests_unit_test_check_tcp_SOURCES = tests/unit/test_check_tcp.c
tests_unit_test_check_tcp_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS)
tests_unit_test_check_tcp_LDADD = $(CHECK_LIBS) $(TEST_LIBS) $(UV_LIBS)
