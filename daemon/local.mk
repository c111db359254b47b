# SPDX-License-Identifier: GPL-2.0-or-later
sbin_PROGRAMS += daemon/vigild
daemon_vigild_SOURCES = daemon/main.c
daemon_vigild_LDADD = conf/libconf.a
