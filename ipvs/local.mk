# SPDX-License-Identifier: GPL-2.0-or-later
# ipvs/: the in-kernel load balancer: generic netlink client, the desired
# table from the config, reconcile, the sync daemon.
noinst_LIBRARIES += ipvs/libipvs.a
ipvs_libipvs_a_SOURCES = \
	ipvs/ipvs.c ipvs/ipvs.h \
	ipvs/genl.c ipvs/genl.h \
	ipvs/reconcile.c \
	ipvs/desired.c ipvs/desired.h \
	ipvs/lvs.c ipvs/lvs.h \
	ipvs/health.c ipvs/health.h \
	ipvs/notify.c ipvs/notify.h
ipvs_libipvs_a_CFLAGS = $(AM_CFLAGS) $(NLGENL_CFLAGS) $(UV_CFLAGS)
IPVS_LIBS = ipvs/libipvs.a $(NLGENL_LIBS)
