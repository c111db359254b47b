# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests: check_kinds (see tests/unit/local.mk): DNS_CHECK's messages
# (pure) and SMTP, DNS, UDP, PING, FILE and MISC checks run on a fake engine
# against servers on 127.0.0.1.
check_PROGRAMS += tests/unit/test_check_dns_msg tests/unit/test_check_kinds
TESTS += tests/unit/test_check_dns_msg tests/unit/test_check_kinds
tests_unit_test_check_dns_msg_SOURCES = tests/unit/test_check_dns_msg.c
tests_unit_test_check_dns_msg_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_check_dns_msg_LDADD = $(CHECK_MSG_LIBS) $(TEST_LIBS)
tests_unit_test_check_kinds_SOURCES = tests/unit/test_check_kinds.c
tests_unit_test_check_kinds_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS)
tests_unit_test_check_kinds_LDADD = $(CHECK_LIBS) $(TEST_LIBS) $(UV_LIBS) -lpthread
