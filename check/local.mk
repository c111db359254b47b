# SPDX-License-Identifier: GPL-2.0-or-later
# check/: the probe list, the main<->checker protocol, the check engine and
# one file per checker kind (run in the unprivileged checker process), and
# vigild's supervisor of that process.
noinst_LIBRARIES += check/libcheck.a
check_libcheck_a_SOURCES = \
	check/result.c check/result.h \
	check/probe.c check/probe.h \
	check/proto.c check/proto.h \
	check/engine.c check/engine.h \
	check/kinds.c \
	check/process.c \
	check/supervise.c check/supervise.h \
	check/sock.c check/sock.h \
	check/tcp.c \
	check/http_parse.c check/http_parse.h \
	check/http.c \
	check/http_regex.c check/http_regex.h \
	check/genhash.c check/genhash.h \
	check/smtp.c \
	check/dns_msg.c check/dns_msg.h \
	check/dns.c \
	check/udp.c \
	check/ping.c \
	check/file.c \
	check/misc.c
check_libcheck_a_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(SSL_CFLAGS) $(PCRE2_CFLAGS)
CHECK_LIBS = check/libcheck.a $(SSL_LIBS) $(PCRE2_LIBS)
