/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPVS generic netlink messages, pure (ipvs/genl_msg.c): requests built
 * into a libnl struct nl_msg, kernel replies parsed into plain structs. No
 * sockets; ipvs/genl.c sends and receives them. The unit tests and the
 * fuzz targets link this alone (ipvs/libipvs_msg.a, with ipvs/ipvs.c).
 *
 * Byte order: the kernel carries service and dest ports in network order;
 * struct ipvs_service.port and struct ipvs_dest.port are host order (the
 * encoders and decoders here convert). ipvs_dest.tun_port and
 * ipvs_service.netmask (IPv4) stay network order, as in ipvs/ipvs.h.
 *
 * Decoding clears IP_VS_SVC_F_HASHED from a service's flags: the kernel sets
 * it on every service it holds, so it says nothing about the configuration.
 */
#ifndef VIGIL_IPVS_GENL_MSG_H
#define VIGIL_IPVS_GENL_MSG_H

#include <linux/netlink.h>
#include <netlink/msg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipvs/genl.h"
#include "ipvs/ipvs.h"

/* Every builder writes a genl header (version IPVS_GENL_VERSION) with the
 * given family id and cmd, then the attributes. 0 or -EMSGSIZE / -EINVAL. */
int ipvs_msg_op(struct nl_msg *m, int family, const struct ipvs_op *op);
int ipvs_msg_get_services(struct nl_msg *m, int family);
int ipvs_msg_get_dests(struct nl_msg *m, int family, const struct ipvs_service *svc);
int ipvs_msg_flush(struct nl_msg *m, int family);
/* Only the non-zero timeouts are put in the message. */
int ipvs_msg_timeouts(struct nl_msg *m, int family, uint32_t tcp, uint32_t tcpfin, uint32_t udp);
int ipvs_msg_daemon_new(struct nl_msg *m, int family, enum ipvs_sync_state st,
			const struct ipvs_sync_cfg *c);
int ipvs_msg_daemon_del(struct nl_msg *m, int family, enum ipvs_sync_state st);
int ipvs_msg_daemon_get(struct nl_msg *m, int family);

/*
 * Decoders take one netlink message whose nlmsg_len has been checked
 * against the buffer (nlmsg_ok) and return 0, or -EINVAL with a short
 * reason in *why: the caller counts it and skips the message.
 */
int ipvs_msg_parse_service(struct nlmsghdr *nlh, struct ipvs_service *out, const char **why);
/* svc_af: the family of the service, used when the kernel gives none. */
int ipvs_msg_parse_dest(struct nlmsghdr *nlh, int svc_af, struct ipvs_dest *out, const char **why);
/* One running sync daemon: its role and settings. */
int ipvs_msg_parse_daemon(struct nlmsghdr *nlh, enum ipvs_sync_state *st, struct ipvs_sync_cfg *out,
			  const char **why);

/*
 * An NLMSG_ERROR message: *error is the (negative or 0) errno, msg the
 * kernel's extended ack text if any (NUL-terminated, "" if none). 0, or
 * -EINVAL if the message is too short.
 */
int ipvs_msg_parse_ack(const struct nlmsghdr *nlh, int *error, char *msg, size_t msglen);

/* "add dest 198.18.1.1:80 to TCP 198.18.0.1:80" */
void ipvs_op_what(const struct ipvs_op *op, char *buf, size_t len);

#endif
