# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tier (cmocka): one fragment per area so each can grow on its own.
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
TEST_LIBS = $(CONF_LIBS) $(CMOCKA_LIBS)

# The cmocka programs (no extension) print TAP (CMOCKA_MESSAGE_OUTPUT, set
# in Makefile.am's AM_TESTS_ENVIRONMENT) and automake's TAP driver reads
# it: each test case is one PASS/FAIL line. cmocka 1.1 reports a skip()
# as "not ok N # SKIP", which the driver counts as a FAIL: no unit test
# may skip (the unit tier declares no skips; the machine it runs on is
# root with everything scripts/install-deps installs). Scripts (.sh) use
# the plain driver (exit 0 pass, 77 skip, 99 hard error), and
# scripts/test-all fails the stage on any skip.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = $(SHELL) $(top_srcdir)/build-aux/test-driver

if HAVE_CMOCKA
include tests/unit/lib.mk
include tests/unit/core.mk
include tests/unit/syntax.mk
include tests/unit/vrrp.mk
include tests/unit/lvs.mk
include tests/unit/daemon.mk
include tests/unit/vrrp_packet.mk
include tests/unit/vrrp_fsm.mk
include tests/unit/vrrp_sys.mk
include tests/unit/vrrp_track.mk
include tests/unit/vrrp_rt.mk
include tests/unit/ipvs.mk
include tests/unit/check.mk
include tests/unit/check_sup.mk
include tests/unit/check_http.mk
include tests/unit/check_kinds.mk
include tests/unit/ipvs_health.mk
else
# configure --without-cmocka: make check must not pass without its tests.
TESTS += tests/unit/no-cmocka.sh
endif
EXTRA_DIST += tests/unit/no-cmocka.sh
