# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp/: the protocol (pure packet, acceptance, state machine and reload
# diff), timers, sockets, VIPs, GARP, tracking, sync groups, notify.
#
# libvrrp_msg.a is the pure message code alone (VRRP packets, rtnetlink
# messages, the AH ICV): what the fuzz targets and the message unit tests link, and
# what libvrrp.a builds on. Link both through VRRP_LIBS.
noinst_LIBRARIES += vrrp/libvrrp_msg.a
vrrp_libvrrp_msg_a_SOURCES = \
	vrrp/packet.c vrrp/packet.h \
	vrrp/ah.c vrrp/ah.h \
	vrrp/netlink_msg.c vrrp/netlink_msg.h
vrrp_libvrrp_msg_a_CFLAGS = $(AM_CFLAGS) $(MNL_CFLAGS) $(SSL_CFLAGS)
VRRP_MSG_LIBS = vrrp/libvrrp_msg.a $(MNL_LIBS) $(SSL_LIBS)

noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = \
	vrrp/accept.c vrrp/accept.h \
	vrrp/fsm.c vrrp/fsm.h \
	vrrp/netlink.c vrrp/netlink.h \
	vrrp/garp.c vrrp/garp_pace.c vrrp/garp.h \
	vrrp/filter.c vrrp/filter.h \
	vrrp/track.c vrrp/track_proc.c vrrp/track.h vrrp/track_int.h \
	vrrp/notify.c vrrp/notify.h \
	vrrp/socket.c vrrp/socket.h \
	vrrp/timer.c vrrp/timer.h \
	vrrp/instance.c vrrp/instance.h \
	vrrp/diff.c vrrp/diff.h \
	vrrp/static.c vrrp/static.h \
	vrrp/sync.c \
	vrrp/vrrp.c vrrp/vrrp.h
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(MNL_CFLAGS) $(NFTNL_CFLAGS) $(IPSET_CFLAGS)
VRRP_LIBS = vrrp/libvrrp.a $(VRRP_MSG_LIBS) $(NFTNL_LIBS) $(IPSET_LIBS)
