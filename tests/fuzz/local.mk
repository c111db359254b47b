# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer targets: built only with --enable-fuzz (CC=clang).
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -g -O1
# (configure puts -fsanitize=fuzzer-no-link on everything else)
EXTRA_DIST += tests/fuzz/corpus
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_conf tests/fuzz/fuzz_ctlproto tests/fuzz/fuzz_vrrp_packet
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c
tests_fuzz_fuzz_conf_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_conf_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_conf_LDADD = conf/libconf.a
tests_fuzz_fuzz_ctlproto_SOURCES = tests/fuzz/fuzz_ctlproto.c
tests_fuzz_fuzz_ctlproto_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_ctlproto_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_ctlproto_LDADD = daemon/libdaemon.a conf/libconf.a $(UV_LIBS)
tests_fuzz_fuzz_vrrp_packet_SOURCES = tests/fuzz/fuzz_vrrp_packet.c
tests_fuzz_fuzz_vrrp_packet_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_vrrp_packet_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_vrrp_packet_LDADD = vrrp/libvrrp.a conf/libconf.a
endif
