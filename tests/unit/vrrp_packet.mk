# SPDX-License-Identifier: GPL-2.0-or-later
# VRRP packets (vrrp/packet.c): pure, so no root and no network.
check_PROGRAMS += tests/unit/test_vrrp_packet
TESTS += tests/unit/test_vrrp_packet
tests_unit_test_vrrp_packet_SOURCES = tests/unit/test_vrrp_packet.c
tests_unit_test_vrrp_packet_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_vrrp_packet_LDADD = $(VRRP_MSG_LIBS) $(TEST_LIBS)
# The acceptance checks of an advert against one instance (vrrp/accept.c): pure.
check_PROGRAMS += tests/unit/test_vrrp_accept
TESTS += tests/unit/test_vrrp_accept
tests_unit_test_vrrp_accept_SOURCES = tests/unit/test_vrrp_accept.c
tests_unit_test_vrrp_accept_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_vrrp_accept_LDADD = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(TEST_LIBS)
# VRRPv2 auth_type AH: golden packets, tampering, the instance's checks.
check_PROGRAMS += tests/unit/test_vrrp_ah
TESTS += tests/unit/test_vrrp_ah
tests_unit_test_vrrp_ah_SOURCES = tests/unit/test_vrrp_ah.c
tests_unit_test_vrrp_ah_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_vrrp_ah_LDADD = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(TEST_LIBS)
