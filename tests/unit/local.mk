# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tier (cmocka): one fragment per area so each can grow on its own.
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
TEST_LIBS = $(CONF_LIBS) $(CMOCKA_LIBS)

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
endif
