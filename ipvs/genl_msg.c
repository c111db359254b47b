/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPVS generic netlink messages, pure (ipvs/genl_msg.h): every request
 * vigil sends (services, dests, flush, timeouts, sync daemons, dumps) built
 * into a libnl struct nl_msg, and every reply it reads (services, dests,
 * sync daemons, acks) parsed into the plain structs of ipvs/ipvs.h. No
 * sockets and no globals: ipvs/genl.c owns the socket, resolves the family
 * id and hands it in.
 *
 * What it depends on: libnl-3's message and attribute helpers (nla_put_*,
 * nla_nest_*, nla_parse with a policy, nlmsg_data) and, from libnl-genl-3,
 * only genlmsg_put, genlmsg_attrdata and genlmsg_attrlen. All of them work
 * on a buffer; none touches a socket. The ack parser walks its attributes
 * by hand and needs nothing but the kernel headers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/genl_msg.h"

/* ---------------------------------------------------------------- encode */

static int put_service(struct nl_msg *m, const struct ipvs_service *s, bool full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	unsigned char addr[16] = { 0 };
	char name[IPVS_PE_LEN + 1];

	if (!nest)
		return -EMSGSIZE;
	if (s->af != AF_INET && s->af != AF_INET6)
		return -EINVAL;
	if (nla_put_u16(m, IPVS_SVC_ATTR_AF, (uint16_t)s->af) < 0)
		return -EMSGSIZE;
	if (s->fwmark) {
		if (nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0)
			return -EMSGSIZE;
	} else {
		if (s->af == AF_INET6)
			memcpy(addr, &s->addr.u.v6, 16);
		else
			memcpy(addr, &s->addr.u.v4, 4);
		if (nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, s->protocol) < 0 ||
		    nla_put(m, IPVS_SVC_ATTR_ADDR, sizeof(addr), addr) < 0 ||
		    nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(s->port)) < 0)
			return -EMSGSIZE;
	}
	if (full) {
		struct ip_vs_flags fl = { .flags = s->flags & ~(uint32_t)IP_VS_SVC_F_HASHED,
					  .mask = 0xffffffff };

		snprintf(name, sizeof(name), "%.*s", (int)strnlen(s->sched, IPVS_SCHED_LEN),
			 s->sched);
		if (nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, name) < 0 ||
		    nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl) < 0 ||
		    nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0 ||
		    nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, s->netmask) < 0)
			return -EMSGSIZE;
		if (s->pe_name[0]) {
			snprintf(name, sizeof(name), "%.*s", (int)strnlen(s->pe_name, IPVS_PE_LEN),
				 s->pe_name);
			if (nla_put_string(m, IPVS_SVC_ATTR_PE_NAME, name) < 0)
				return -EMSGSIZE;
		}
	}
	nla_nest_end(m, nest);
	return 0;
}

static int put_dest(struct nl_msg *m, const struct ipvs_dest *d, bool full)
{
	struct nlattr *nest = nla_nest_start(m, IPVS_CMD_ATTR_DEST);
	unsigned char addr[16] = { 0 };
	uint32_t fwd = d->conn_flags & IP_VS_CONN_F_FWD_MASK;

	if (!nest)
		return -EMSGSIZE;
	if (d->af != AF_INET && d->af != AF_INET6)
		return -EINVAL;
	if (d->af == AF_INET6)
		memcpy(addr, &d->addr.u.v6, 16);
	else
		memcpy(addr, &d->addr.u.v4, 4);
	if (nla_put(m, IPVS_DEST_ATTR_ADDR, sizeof(addr), addr) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, (uint16_t)d->af) < 0)
		return -EMSGSIZE;
	if (full) {
		if (nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, fwd) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->u_threshold) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->l_threshold) < 0)
			return -EMSGSIZE;
		/* Tunnel attributes only for tunnels: older kernels lack them. */
		if (fwd == IP_VS_CONN_F_TUNNEL &&
		    (nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, (uint8_t)d->tun_type) < 0 ||
		     nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, d->tun_port) < 0 ||
		     nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0))
			return -EMSGSIZE;
	}
	nla_nest_end(m, nest);
	return 0;
}

static int put_hdr(struct nl_msg *m, int family, uint8_t cmd, int flags)
{
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_REQUEST | flags, cmd,
			 IPVS_GENL_VERSION))
		return -EMSGSIZE;
	return 0;
}

int ipvs_msg_op(struct nl_msg *m, int family, const struct ipvs_op *op)
{
	static const uint8_t cmds[] = {
		[IPVS_OP_ADD_SVC] = IPVS_CMD_NEW_SERVICE, [IPVS_OP_EDIT_SVC] = IPVS_CMD_SET_SERVICE,
		[IPVS_OP_DEL_SVC] = IPVS_CMD_DEL_SERVICE, [IPVS_OP_ADD_DEST] = IPVS_CMD_NEW_DEST,
		[IPVS_OP_EDIT_DEST] = IPVS_CMD_SET_DEST,  [IPVS_OP_DEL_DEST] = IPVS_CMD_DEL_DEST,
	};
	bool is_dest;
	int rc;

	if ((unsigned)op->kind >= sizeof(cmds) || !op->svc)
		return -EINVAL;
	is_dest = op->kind >= IPVS_OP_ADD_DEST;
	if (is_dest && !op->dest)
		return -EINVAL;
	rc = put_hdr(m, family, cmds[op->kind], NLM_F_ACK);
	if (rc)
		return rc;
	/* The kernel wants the full service only to add or edit one; a dest
	 * command names its service by key. */
	rc = put_service(m, op->svc, op->kind == IPVS_OP_ADD_SVC || op->kind == IPVS_OP_EDIT_SVC);
	if (rc || !is_dest)
		return rc;
	return put_dest(m, op->dest, op->kind != IPVS_OP_DEL_DEST);
}

int ipvs_msg_get_services(struct nl_msg *m, int family)
{
	return put_hdr(m, family, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
}

int ipvs_msg_get_dests(struct nl_msg *m, int family, const struct ipvs_service *svc)
{
	int rc = put_hdr(m, family, IPVS_CMD_GET_DEST, NLM_F_DUMP);

	return rc ? rc : put_service(m, svc, false);
}

int ipvs_msg_flush(struct nl_msg *m, int family)
{
	return put_hdr(m, family, IPVS_CMD_FLUSH, NLM_F_ACK);
}

int ipvs_msg_timeouts(struct nl_msg *m, int family, uint32_t tcp, uint32_t tcpfin, uint32_t udp)
{
	int rc = put_hdr(m, family, IPVS_CMD_SET_CONFIG, NLM_F_ACK);

	if (rc)
		return rc;
	if ((tcp && nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP, tcp) < 0) ||
	    (tcpfin && nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, tcpfin) < 0) ||
	    (udp && nla_put_u32(m, IPVS_CMD_ATTR_TIMEOUT_UDP, udp) < 0))
		return -EMSGSIZE;
	return 0;
}

static bool sync_state_ok(enum ipvs_sync_state st)
{
	return st == IPVS_SYNC_MASTER || st == IPVS_SYNC_BACKUP;
}

int ipvs_msg_daemon_new(struct nl_msg *m, int family, enum ipvs_sync_state st,
			const struct ipvs_sync_cfg *c)
{
	struct nlattr *nest;
	char ifn[sizeof(c->ifname) + 1];
	int rc;

	if (!sync_state_ok(st) || c->syncid > 255)
		return -EINVAL;
	snprintf(ifn, sizeof(ifn), "%.*s", (int)strnlen(c->ifname, sizeof(c->ifname)), c->ifname);
	if (!ifn[0] || strlen(ifn) >= IP_VS_IFNAME_MAXLEN)
		return -EINVAL;
	rc = put_hdr(m, family, IPVS_CMD_NEW_DAEMON, NLM_F_ACK);
	if (rc)
		return rc;
	nest = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	if (!nest || nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, st) < 0 ||
	    nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, ifn) < 0 ||
	    nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, c->syncid) < 0)
		return -EMSGSIZE;
	if (c->maxlen && nla_put_u16(m, IPVS_DAEMON_ATTR_SYNC_MAXLEN, c->maxlen) < 0)
		return -EMSGSIZE;
	/* The kernel keeps the sync port in host order. */
	if (c->port && nla_put_u16(m, IPVS_DAEMON_ATTR_MCAST_PORT, c->port) < 0)
		return -EMSGSIZE;
	if (c->ttl && nla_put_u8(m, IPVS_DAEMON_ATTR_MCAST_TTL, c->ttl) < 0)
		return -EMSGSIZE;
	if (c->group.family == AF_INET &&
	    nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &c->group.u.v4) < 0)
		return -EMSGSIZE;
	if (c->group.family == AF_INET6 &&
	    nla_put(m, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &c->group.u.v6) < 0)
		return -EMSGSIZE;
	nla_nest_end(m, nest);
	return 0;
}

int ipvs_msg_daemon_del(struct nl_msg *m, int family, enum ipvs_sync_state st)
{
	struct nlattr *nest;
	int rc;

	if (!sync_state_ok(st))
		return -EINVAL;
	rc = put_hdr(m, family, IPVS_CMD_DEL_DAEMON, NLM_F_ACK);
	if (rc)
		return rc;
	nest = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	if (!nest || nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, st) < 0)
		return -EMSGSIZE;
	nla_nest_end(m, nest);
	return 0;
}

int ipvs_msg_daemon_get(struct nl_msg *m, int family)
{
	return put_hdr(m, family, IPVS_CMD_GET_DAEMON, NLM_F_DUMP);
}

/* ---------------------------------------------------------------- decode */

#define BAD(msg)                \
	do {                    \
		*why = (msg);   \
		return -EINVAL; \
	} while (0)

static struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32, .maxlen = 4 },
};

static struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING, .maxlen = IPVS_SCHED_LEN },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC,
				  .minlen = sizeof(struct ip_vs_flags),
				  .maxlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING, .maxlen = IPVS_PE_LEN },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

static struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8, .maxlen = 1 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16, .maxlen = 2 },
};

static struct nla_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING, .maxlen = IP_VS_IFNAME_MAXLEN },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32, .maxlen = 4 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32, .minlen = 4, .maxlen = 4 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16, .maxlen = 2 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8, .maxlen = 1 },
};

/*
 * nla_parse with a policy, plus what libnl lets pass: bytes left over after
 * the last whole attribute (a truncated attribute) are an error here.
 */
static int strict_parse(struct nlattr **tb, int maxtype, struct nlattr *head, int len,
			struct nla_policy *pol, const char **why)
{
	struct nlattr *a;
	int rem;

	if (len < 0)
		BAD("negative attribute length");
	nla_for_each_attr(a, head, len, rem);
	if (rem > 0)
		BAD("truncated attribute");
	if (nla_parse(tb, maxtype, head, len, pol) < 0)
		BAD("attribute of the wrong size or type");
	return 0;
}

/* The top level of a reply: genl header with the expected command, then the
 * command attributes. */
static int parse_top(struct nlmsghdr *nlh, uint8_t cmd, struct nlattr **tb, const char **why)
{
	struct genlmsghdr *gh;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		BAD("message shorter than the genl header");
	gh = nlmsg_data(nlh);
	if (gh->cmd != cmd)
		BAD("unexpected command in reply");
	return strict_parse(tb, IPVS_CMD_ATTR_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			    cmd_policy, why);
}

static int get_addr(const struct nlattr *a, int af, struct conf_addr *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	out->family = (sa_family_t)af;
	if (af == AF_INET6) {
		if (nla_len(a) != 16)
			BAD("IPv6 address is not 16 bytes");
		memcpy(&out->u.v6, nla_data(a), 16);
	} else {
		if (nla_len(a) != 4 && nla_len(a) != 16)
			BAD("IPv4 address of a wrong size");
		memcpy(&out->u.v4, nla_data(a), 4);
	}
	return 0;
}

static int get_af(const struct nlattr *a, int *af, const char **why)
{
	*af = nla_get_u16((struct nlattr *)a);
	if (*af != AF_INET && *af != AF_INET6)
		BAD("address family is neither IPv4 nor IPv6");
	return 0;
}

/* Copies a string attribute (the policy made sure it ends in NUL). */
static void get_str(const struct nlattr *a, char *out, size_t size)
{
	snprintf(out, size, "%s", (const char *)nla_data(a));
}

int ipvs_msg_parse_service(struct nlmsghdr *nlh, struct ipvs_service *out, const char **why)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1], *tb[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags fl;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = parse_top(nlh, IPVS_CMD_NEW_SERVICE, top, why);
	if (rc)
		return rc;
	if (!top[IPVS_CMD_ATTR_SERVICE])
		BAD("no service attribute");
	rc = strict_parse(tb, IPVS_SVC_ATTR_MAX, nla_data(top[IPVS_CMD_ATTR_SERVICE]),
			  nla_len(top[IPVS_CMD_ATTR_SERVICE]), svc_policy, why);
	if (rc)
		return rc;
	if (!tb[IPVS_SVC_ATTR_AF])
		BAD("service without address family");
	if (get_af(tb[IPVS_SVC_ATTR_AF], &out->af, why))
		return -EINVAL;
	if (tb[IPVS_SVC_ATTR_FWMARK]) {
		out->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
		if (!out->fwmark)
			BAD("fwmark service with mark 0");
		out->addr.family = (sa_family_t)out->af;
	} else {
		if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_ADDR] ||
		    !tb[IPVS_SVC_ATTR_PORT])
			BAD("service without fwmark nor protocol, address and port");
		out->protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
		if (get_addr(tb[IPVS_SVC_ATTR_ADDR], out->af, &out->addr, why))
			return -EINVAL;
		out->port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
	}
	if (!tb[IPVS_SVC_ATTR_SCHED_NAME] || !tb[IPVS_SVC_ATTR_FLAGS] ||
	    !tb[IPVS_SVC_ATTR_TIMEOUT] || !tb[IPVS_SVC_ATTR_NETMASK])
		BAD("service without scheduler, flags, timeout or netmask");
	get_str(tb[IPVS_SVC_ATTR_SCHED_NAME], out->sched, sizeof(out->sched));
	memcpy(&fl, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
	out->flags = fl.flags & ~(uint32_t)IP_VS_SVC_F_HASHED;
	out->timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	out->netmask = nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]);
	if (tb[IPVS_SVC_ATTR_PE_NAME])
		get_str(tb[IPVS_SVC_ATTR_PE_NAME], out->pe_name, sizeof(out->pe_name));
	return 0;
}

int ipvs_msg_parse_dest(struct nlmsghdr *nlh, int svc_af, struct ipvs_dest *out, const char **why)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1], *tb[IPVS_DEST_ATTR_MAX + 1];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = parse_top(nlh, IPVS_CMD_NEW_DEST, top, why);
	if (rc)
		return rc;
	if (!top[IPVS_CMD_ATTR_DEST])
		BAD("no dest attribute");
	rc = strict_parse(tb, IPVS_DEST_ATTR_MAX, nla_data(top[IPVS_CMD_ATTR_DEST]),
			  nla_len(top[IPVS_CMD_ATTR_DEST]), dest_policy, why);
	if (rc)
		return rc;
	if (!tb[IPVS_DEST_ATTR_ADDR] || !tb[IPVS_DEST_ATTR_PORT] ||
	    !tb[IPVS_DEST_ATTR_FWD_METHOD] || !tb[IPVS_DEST_ATTR_WEIGHT])
		BAD("dest without address, port, forwarding method or weight");
	out->af = svc_af;
	if (tb[IPVS_DEST_ATTR_ADDR_FAMILY] && get_af(tb[IPVS_DEST_ATTR_ADDR_FAMILY], &out->af, why))
		return -EINVAL;
	if (out->af != AF_INET && out->af != AF_INET6)
		BAD("dest address family is neither IPv4 nor IPv6");
	if (get_addr(tb[IPVS_DEST_ATTR_ADDR], out->af, &out->addr, why))
		return -EINVAL;
	out->port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
	out->conn_flags = nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	out->weight = (int)nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);
	if (out->weight < 0)
		BAD("negative weight");
	if (tb[IPVS_DEST_ATTR_U_THRESH])
		out->u_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
	if (tb[IPVS_DEST_ATTR_L_THRESH])
		out->l_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
	if (tb[IPVS_DEST_ATTR_TUN_TYPE])
		out->tun_type = nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	if (tb[IPVS_DEST_ATTR_TUN_PORT])
		out->tun_port = nla_get_u16(tb[IPVS_DEST_ATTR_TUN_PORT]); /* network order */
	if (tb[IPVS_DEST_ATTR_TUN_FLAGS])
		out->tun_flags = nla_get_u16(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	return 0;
}

int ipvs_msg_parse_daemon(struct nlmsghdr *nlh, enum ipvs_sync_state *st, struct ipvs_sync_cfg *out,
			  const char **why)
{
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1], *tb[IPVS_DAEMON_ATTR_MAX + 1];
	uint32_t state, id;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = parse_top(nlh, IPVS_CMD_NEW_DAEMON, top, why);
	if (rc)
		return rc;
	if (!top[IPVS_CMD_ATTR_DAEMON])
		BAD("no daemon attribute");
	rc = strict_parse(tb, IPVS_DAEMON_ATTR_MAX, nla_data(top[IPVS_CMD_ATTR_DAEMON]),
			  nla_len(top[IPVS_CMD_ATTR_DAEMON]), daemon_policy, why);
	if (rc)
		return rc;
	if (!tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_MCAST_IFN] ||
	    !tb[IPVS_DAEMON_ATTR_SYNC_ID])
		BAD("daemon without state, interface or sync id");
	state = nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
	if (state != IPVS_SYNC_MASTER && state != IPVS_SYNC_BACKUP)
		BAD("daemon state is neither master nor backup");
	*st = (enum ipvs_sync_state)state;
	get_str(tb[IPVS_DAEMON_ATTR_MCAST_IFN], out->ifname, sizeof(out->ifname));
	id = nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (id > 255)
		BAD("sync id above 255");
	out->syncid = id;
	if (tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		out->maxlen = nla_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_PORT])
		out->port = nla_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_TTL])
		out->ttl = nla_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]) {
		out->group.family = AF_INET6;
		memcpy(&out->group.u.v6, nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	} else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP]) {
		out->group.family = AF_INET;
		memcpy(&out->group.u.v4, nla_data(tb[IPVS_DAEMON_ATTR_MCAST_GROUP]), 4);
	}
	return 0;
}

int ipvs_msg_parse_ack(const struct nlmsghdr *nlh, int *error, char *msg, size_t msglen)
{
	const struct nlmsgerr *e;
	size_t off, len = nlh->nlmsg_len;

	if (msglen)
		msg[0] = '\0';
	if (len < NLMSG_HDRLEN + sizeof(*e))
		return -EINVAL;
	e = (const struct nlmsgerr *)((const unsigned char *)nlh + NLMSG_HDRLEN);
	*error = e->error > 0 ? -e->error : e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !msglen)
		return 0;
	/* The TLVs follow the echoed request: its header only when capped. */
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->error) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN || e->msg.nlmsg_len > len)
			return 0;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (off > len)
		return 0;
	{
		const struct nlattr *a = (const struct nlattr *)((const unsigned char *)nlh + off);
		int rem = (int)(len - off);

		for (; rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= rem;
		     rem -= NLA_ALIGN(a->nla_len),
		     a = (const struct nlattr *)((const unsigned char *)a +
						 NLA_ALIGN(a->nla_len))) {
			if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
				const char *s = (const char *)a + NLA_HDRLEN;
				size_t n = strnlen(s, a->nla_len - NLA_HDRLEN);

				snprintf(msg, msglen, "%.*s", (int)n, s);
				break;
			}
		}
	}
	return 0;
}

void ipvs_op_what(const struct ipvs_op *op, char *buf, size_t len)
{
	char s[128], d[96];

	if (!op->svc) {
		snprintf(buf, len, "operation without a service");
		return;
	}
	ipvs_service_str(op->svc, s, sizeof(s));
	if (op->dest)
		ipvs_dest_str(op->dest, d, sizeof(d));
	else
		snprintf(d, sizeof(d), "?");
	switch (op->kind) {
	case IPVS_OP_ADD_SVC:
		snprintf(buf, len, "add service %s", s);
		break;
	case IPVS_OP_EDIT_SVC:
		snprintf(buf, len, "edit service %s", s);
		break;
	case IPVS_OP_DEL_SVC:
		snprintf(buf, len, "delete service %s", s);
		break;
	case IPVS_OP_ADD_DEST:
		snprintf(buf, len, "add dest %s to %s", d, s);
		break;
	case IPVS_OP_EDIT_DEST:
		snprintf(buf, len, "edit dest %s in %s", d, s);
		break;
	case IPVS_OP_DEL_DEST:
		snprintf(buf, len, "delete dest %s from %s", d, s);
		break;
	default:
		snprintf(buf, len, "unknown operation %d on %s", (int)op->kind, s);
		break;
	}
}
