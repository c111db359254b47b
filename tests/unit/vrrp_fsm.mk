# SPDX-License-Identifier: GPL-2.0-or-later
# The VRRP state machine (vrrp/fsm.c): pure, so no root and no network.
check_PROGRAMS += tests/unit/test_vrrp_fsm
TESTS += tests/unit/test_vrrp_fsm
tests_unit_test_vrrp_fsm_SOURCES = tests/unit/test_vrrp_fsm.c
tests_unit_test_vrrp_fsm_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
tests_unit_test_vrrp_fsm_LDADD = $(VRRP_LIBS) $(TEST_LIBS) $(UV_LIBS)
