# SPDX-License-Identifier: GPL-2.0-or-later

# vrrp/garp and vrrp/filter (unit tests, and the drivers of tests/net/t-vrrp-garp.sh
# and t-vrrp-filter.sh, built by make check so the namespace tier finds them).
check_PROGRAMS += tests/unit/test_vrrp_garp tests/unit/test_vrrp_filter
TESTS += tests/unit/test_vrrp_garp tests/unit/test_vrrp_filter
tests_unit_test_vrrp_garp_SOURCES = tests/unit/test_vrrp_garp.c
tests_unit_test_vrrp_garp_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
tests_unit_test_vrrp_garp_LDADD = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(TEST_LIBS) $(UV_LIBS)
# test_vrrp_filter includes vrrp/filter.c to reach its pure batch builder.
tests_unit_test_vrrp_filter_SOURCES = tests/unit/test_vrrp_filter.c
EXTRA_tests_unit_test_vrrp_filter_DEPENDENCIES = vrrp/filter.c
tests_unit_test_vrrp_filter_CFLAGS = $(TEST_CFLAGS) $(MNL_CFLAGS) $(NFTNL_CFLAGS) $(IPSET_CFLAGS)
tests_unit_test_vrrp_filter_LDADD = $(TEST_LIBS) $(MNL_LIBS) $(NFTNL_LIBS) $(IPSET_LIBS) $(UV_LIBS)
check_PROGRAMS += tests/net/garptool tests/net/filtertool
tests_net_garptool_SOURCES = tests/net/garptool.c
tests_net_garptool_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS)
tests_net_garptool_LDADD = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(CONF_LIBS) $(UV_LIBS)
tests_net_filtertool_SOURCES = tests/net/filtertool.c
tests_net_filtertool_LDADD = $(VRRP_LIBS) $(CONF_LIBS) $(UV_LIBS)
# vrrp/netlink: unit tests (golden messages and parsers on the pure code
# alone; open/close on the real rtnetlink) and nltool, the driver of
# tests/net/t-vrrp-netlink.sh (built by make check so the namespace tier finds it).
check_PROGRAMS += tests/unit/test_vrrp_netlink tests/unit/test_vrrp_nl_open tests/net/nltool
TESTS += tests/unit/test_vrrp_netlink tests/unit/test_vrrp_nl_open
tests_unit_test_vrrp_netlink_SOURCES = tests/unit/test_vrrp_netlink.c
tests_unit_test_vrrp_netlink_CFLAGS = $(TEST_CFLAGS) $(MNL_CFLAGS)
tests_unit_test_vrrp_netlink_LDADD = $(VRRP_MSG_LIBS) $(TEST_LIBS)
tests_unit_test_vrrp_nl_open_SOURCES = tests/unit/test_vrrp_nl_open.c
tests_unit_test_vrrp_nl_open_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
tests_unit_test_vrrp_nl_open_LDADD = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(TEST_LIBS) $(UV_LIBS)
tests_net_nltool_SOURCES = tests/net/nltool.c
tests_net_nltool_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS)
tests_net_nltool_LDADD = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(CONF_LIBS) $(UV_LIBS)
