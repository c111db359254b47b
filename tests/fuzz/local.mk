# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer targets: built only with --enable-fuzz (CC=clang).
# Each links only pure code: a folder's message library (vrrp/libvrrp_msg.a,
# ipvs/libipvs_msg.a, check/libcheck_msg.a, daemon/libdaemon_msg.a), conf/
# for the model types, and lib/. tests/unit/check-fuzz-links.sh fails
# `make check` if an LDADD here names any other library of ours.
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -g -O1
# (configure puts -fsanitize=fuzzer-no-link on everything else)
EXTRA_DIST += tests/fuzz/corpus
TESTS += tests/unit/check-fuzz-links.sh
EXTRA_DIST += tests/unit/check-fuzz-links.sh
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_conf tests/fuzz/fuzz_ctlproto tests/fuzz/fuzz_vrrp_packet \
	tests/fuzz/fuzz_check_proto tests/fuzz/fuzz_http_response \
	tests/fuzz/fuzz_netlink tests/fuzz/fuzz_smtp_reply
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c
tests_fuzz_fuzz_conf_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_conf_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_conf_LDADD = $(CONF_LIBS)
tests_fuzz_fuzz_ctlproto_SOURCES = tests/fuzz/fuzz_ctlproto.c
tests_fuzz_fuzz_ctlproto_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_ctlproto_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_ctlproto_LDADD = daemon/libdaemon_msg.a $(CONF_LIBS)
tests_fuzz_fuzz_vrrp_packet_SOURCES = tests/fuzz/fuzz_vrrp_packet.c
tests_fuzz_fuzz_vrrp_packet_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_vrrp_packet_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_vrrp_packet_LDADD = $(VRRP_MSG_LIBS) $(CONF_LIBS)
tests_fuzz_fuzz_check_proto_SOURCES = tests/fuzz/fuzz_check_proto.c
tests_fuzz_fuzz_check_proto_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_check_proto_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_check_proto_LDADD = $(CHECK_MSG_LIBS) $(CONF_LIBS)
tests_fuzz_fuzz_http_response_SOURCES = tests/fuzz/fuzz_http_response.c
tests_fuzz_fuzz_http_response_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS) $(SSL_CFLAGS)
tests_fuzz_fuzz_http_response_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_http_response_LDADD = $(CHECK_MSG_LIBS) $(CONF_LIBS)
tests_fuzz_fuzz_netlink_SOURCES = tests/fuzz/fuzz_netlink.c
tests_fuzz_fuzz_netlink_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS) $(NLGENL_CFLAGS) $(MNL_CFLAGS)
tests_fuzz_fuzz_netlink_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_netlink_LDADD = $(VRRP_MSG_LIBS) $(IPVS_MSG_LIBS) $(CONF_LIBS)
tests_fuzz_fuzz_smtp_reply_SOURCES = tests/fuzz/fuzz_smtp_reply.c
tests_fuzz_fuzz_smtp_reply_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_smtp_reply_LDFLAGS = $(FUZZ_FLAGS)
tests_fuzz_fuzz_smtp_reply_LDADD = daemon/libdaemon_msg.a $(CONF_LIBS)
endif
