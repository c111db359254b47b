# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests: check_sup (see tests/unit/local.mk)
check_PROGRAMS += tests/unit/test_check_sup
TESTS += tests/unit/test_check_sup
tests_unit_test_check_sup_SOURCES = tests/unit/test_check_sup.c check/supervise_test.h
tests_unit_test_check_sup_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS)
tests_unit_test_check_sup_LDADD = $(CHECK_LIBS) $(VRRP_LIBS) daemon/libdaemon.a daemon/libdaemon_msg.a \
	$(TEST_LIBS) $(UV_LIBS) $(SYSTEMD_LIBS)
