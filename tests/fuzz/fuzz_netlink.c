/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the netlink reply decoders: vrrp/netlink_msg.h
 * (RTM_NEWLINK / RTM_NEWADDR / NLMSG_ERROR from rtnetlink) and
 * ipvs/genl_msg.h (IPVS services, dests, sync daemons, acks from generic
 * netlink). The input is walked as a stream of netlink messages the way
 * the daemon walks a receive buffer (vrrp_nlmsg_fits / mnl_nlmsg_next); every
 * message that fits is handed to every decoder, whatever its type, so the
 * decoders also see messages of the wrong kind. A decoder may refuse;
 * it must never read outside the message or crash.
 */
#include <libmnl/libmnl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/genl_msg.h"
#include "vrrp/netlink_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	/* Aligned, writable copy: the daemon's receive buffers are both. */
	void *buf = malloc(n ? n : 1);
	const struct nlmsghdr *nlh;
	int len = (int)(n > 1 << 20 ? 1 << 20 : n);

	if (!buf)
		return 0;
	memcpy(buf, d, (size_t)len);
	for (nlh = buf; vrrp_nlmsg_fits(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		struct vrrp_iface ifc;
		struct vrrp_nl_addrmsg am;
		struct vrrp_nl_rtmsg rt;
		struct ipvs_service svc;
		struct ipvs_dest dst;
		struct ipvs_sync_cfg sc;
		enum ipvs_sync_state st;
		const char *why;
		char msg[256];
		int err;

		memset(&ifc, 0, sizeof(ifc));
		vrrp_nlmsg_parse_link(nlh, &ifc);
		vrrp_nlmsg_parse_addr(nlh, &am);
		vrrp_nlmsg_parse_rtdel(nlh, &rt);
		vrrp_nlmsg_extack(nlh);
		memset(&svc, 0, sizeof(svc));
		ipvs_msg_parse_service((struct nlmsghdr *)nlh, &svc, &why);
		ipvs_msg_parse_dest((struct nlmsghdr *)nlh, AF_INET, &dst, &why);
		ipvs_msg_parse_daemon((struct nlmsghdr *)nlh, &st, &sc, &why);
		ipvs_msg_parse_ack(nlh, &err, msg, sizeof(msg));
	}
	free(buf);
	return 0;
}
