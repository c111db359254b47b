# SPDX-License-Identifier: GPL-2.0-or-later
# libdaemon_msg.a: the control protocol's messages and the SMTP reply parser (pure), what the fuzz
# target and its unit test link. libdaemon: everything else of vigild but
# main(), so tests link it; programs linking it link libdaemon_msg.a too.
noinst_LIBRARIES += daemon/libdaemon_msg.a
daemon_libdaemon_msg_a_SOURCES = daemon/ctlproto.c daemon/ctlproto.h \
	daemon/smtp_reply.c daemon/smtp_reply.h \
	daemon/mail_msg.c daemon/mail_msg.h

noinst_LIBRARIES += daemon/libdaemon.a
daemon_libdaemon_a_SOURCES = \
	daemon/command.c daemon/command.h \
	daemon/control.c daemon/control.h \
	daemon/event_log.c daemon/event_log.h \
	daemon/mail.c daemon/mail.h \
	daemon/options.c daemon/options.h \
	daemon/pidfile.c daemon/pidfile.h \
	daemon/reload.c daemon/reload.h \
	daemon/sdnotify.c daemon/sdnotify.h \
	daemon/runpath.c daemon/runpath.h \
	daemon/startstop.c daemon/startstop.h \
	daemon/status.c daemon/status.h
daemon_libdaemon_a_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(SYSTEMD_CFLAGS)
DAEMON_LIBS = $(VRRP_LIBS) $(IPVS_LIBS) $(CHECK_LIBS) daemon/libdaemon.a daemon/libdaemon_msg.a $(CONF_LIBS) $(UV_LIBS) $(SYSTEMD_LIBS)

sbin_PROGRAMS += daemon/vigild
daemon_vigild_SOURCES = daemon/main.c
daemon_vigild_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS)
daemon_vigild_LDADD = $(DAEMON_LIBS)

sbin_PROGRAMS += daemon/vigilctl
daemon_vigilctl_SOURCES = daemon/vigilctl.c
daemon_vigilctl_LDADD = daemon/libdaemon.a daemon/libdaemon_msg.a $(CONF_LIBS)

EXTRA_DIST += doc/vigild.service
