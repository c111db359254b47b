# SPDX-License-Identifier: GPL-2.0-or-later
# ipvs/: the in-kernel load balancer: generic netlink client, the desired
# table from the config, reconcile, the sync daemon.
#
# libipvs_msg.a is the pure message code alone (the generic netlink
# messages and the plain helpers over the table structs they fill): what the
# fuzz targets and the message unit tests link, and what libipvs.a builds
# on. Link both through IPVS_LIBS.
noinst_LIBRARIES += ipvs/libipvs_msg.a
ipvs_libipvs_msg_a_SOURCES = \
	ipvs/genl_msg.c ipvs/genl_msg.h \
	ipvs/ipvs.c ipvs/ipvs.h
ipvs_libipvs_msg_a_CFLAGS = $(AM_CFLAGS) $(NLGENL_CFLAGS)
IPVS_MSG_LIBS = ipvs/libipvs_msg.a $(NLGENL_LIBS)

noinst_LIBRARIES += ipvs/libipvs.a
ipvs_libipvs_a_SOURCES = \
	ipvs/genl.c ipvs/genl.h \
	ipvs/reconcile.c \
	ipvs/desired.c ipvs/desired.h \
	ipvs/lvs.c ipvs/lvs.h \
	ipvs/health.c ipvs/health.h \
	ipvs/notify.c ipvs/notify.h
ipvs_libipvs_a_CFLAGS = $(AM_CFLAGS) $(NLGENL_CFLAGS) $(UV_CFLAGS)
IPVS_LIBS = ipvs/libipvs.a $(IPVS_MSG_LIBS)
