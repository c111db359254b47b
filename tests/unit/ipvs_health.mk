# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests: ipvs_health (see tests/unit/local.mk)
check_PROGRAMS += tests/unit/test_ipvs_health
TESTS += tests/unit/test_ipvs_health
tests_unit_test_ipvs_health_SOURCES = tests/unit/test_ipvs_health.c
tests_unit_test_ipvs_health_CFLAGS = $(TEST_CFLAGS) $(NLGENL_CFLAGS) $(UV_CFLAGS)
tests_unit_test_ipvs_health_LDADD = $(IPVS_LIBS) $(CHECK_LIBS) $(CONF_LIBS) $(TEST_LIBS) $(UV_LIBS) $(SYSTEMD_LIBS)
