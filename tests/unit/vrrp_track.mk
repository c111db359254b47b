# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp/track.c and track_proc.c (scripts, files, processes, interfaces, the
# weight rules) and vrrp/notify.c (notify scripts in order, FIFO lines) on a
# real loop.
check_PROGRAMS += tests/unit/test_vrrp_track tests/unit/test_vrrp_notify
TESTS += tests/unit/test_vrrp_track tests/unit/test_vrrp_notify
tests_unit_test_vrrp_track_SOURCES = tests/unit/test_vrrp_track.c vrrp/track_test.h
tests_unit_test_vrrp_track_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
tests_unit_test_vrrp_track_LDADD = $(VRRP_LIBS) $(TEST_LIBS) $(UV_LIBS)
tests_unit_test_vrrp_notify_SOURCES = tests/unit/test_vrrp_notify.c
tests_unit_test_vrrp_notify_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
tests_unit_test_vrrp_notify_LDADD = $(VRRP_LIBS) $(TEST_LIBS) $(UV_LIBS)
