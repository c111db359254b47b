# SPDX-License-Identifier: GPL-2.0-or-later
# The VRRP runtime's pure helpers: reload classification (vrrp/diff.c),
# GARP plans and pacing lanes (vrrp/garp_pace.c) and effective priority
# (vrrp/instance.c). No root, no network.
check_PROGRAMS += tests/unit/test_vrrp_rt
TESTS += tests/unit/test_vrrp_rt
tests_unit_test_vrrp_rt_SOURCES = tests/unit/test_vrrp_rt.c
tests_unit_test_vrrp_rt_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
tests_unit_test_vrrp_rt_LDADD = $(VRRP_LIBS) $(TEST_LIBS) $(UV_LIBS)
