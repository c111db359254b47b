# SPDX-License-Identifier: GPL-2.0-or-later
# vrrp/: the protocol (pure packet, acceptance, state machine and reload
# diff), timers, sockets, VIPs, GARP, tracking, sync groups, notify.
noinst_LIBRARIES += vrrp/libvrrp.a
vrrp_libvrrp_a_SOURCES = \
	vrrp/packet.c vrrp/packet.h \
	vrrp/accept.c vrrp/accept.h \
	vrrp/fsm.c vrrp/fsm.h \
	vrrp/netlink.c vrrp/netlink.h vrrp/netlink_msg.h \
	vrrp/garp.c vrrp/garp_pace.c vrrp/garp.h \
	vrrp/filter.c vrrp/filter.h \
	vrrp/track.c vrrp/track_proc.c vrrp/track.h vrrp/track_int.h \
	vrrp/notify.c vrrp/notify.h \
	vrrp/socket.c vrrp/socket.h \
	vrrp/timer.c vrrp/timer.h \
	vrrp/instance.c vrrp/instance.h \
	vrrp/diff.c vrrp/diff.h \
	vrrp/sync.c \
	vrrp/vrrp.c vrrp/vrrp.h
vrrp_libvrrp_a_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(MNL_CFLAGS) $(NFTNL_CFLAGS) $(IPSET_CFLAGS)
VRRP_LIBS = vrrp/libvrrp.a $(MNL_LIBS) $(NFTNL_LIBS) $(IPSET_LIBS)
