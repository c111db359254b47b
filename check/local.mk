# SPDX-License-Identifier: GPL-2.0-or-later
# check/: the probe list, the main<->checker protocol, the check engine and
# one file per checker kind (run in the unprivileged checker process), and
# vigild's supervisor of that process.
#
# libcheck_msg.a is the pure message code alone (the main<->checker
# protocol, HTTP responses, DNS messages, the failure-cause table): what the fuzz targets and the
# message unit tests link, and what libcheck.a builds on. Link both through
# CHECK_LIBS.
noinst_LIBRARIES += check/libcheck_msg.a
check_libcheck_msg_a_SOURCES = \
	check/result.c check/result.h \
	check/proto.c check/proto.h \
	check/http_parse.c check/http_parse.h \
	check/dns_msg.c check/dns_msg.h
check_libcheck_msg_a_CFLAGS = $(AM_CFLAGS) $(SSL_CFLAGS)
CHECK_MSG_LIBS = check/libcheck_msg.a $(SSL_LIBS)

noinst_LIBRARIES += check/libcheck.a
check_libcheck_a_SOURCES = \
	check/probe.c check/probe.h \
	check/engine.c check/engine.h \
	check/kinds.c \
	check/process.c \
	check/supervise.c check/supervise.h \
	check/sock.c check/sock.h \
	check/tcp.c \
	check/http.c \
	check/http_regex.c check/http_regex.h \
	check/genhash.c check/genhash.h \
	check/smtp.c \
	check/dns.c \
	check/udp.c \
	check/ping.c \
	check/file.c \
	check/misc.c
check_libcheck_a_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS) $(PCRE2_CFLAGS)
CHECK_LIBS = check/libcheck.a $(CHECK_MSG_LIBS) $(PCRE2_LIBS)
