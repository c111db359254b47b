/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS generic netlink client. libnl-3 gives us the socket, the family
 * lookup, message building and attribute parsing; sending and receiving are
 * done by hand so that many requests go out in one sendmsg and every ACK is
 * matched to its request by sequence number.
 *
 * Batching: the kernel handles every message of a sendmsg in order, inside
 * the sendmsg call, and answers a message with an error whether or not it
 * asked for an ACK. So only the last message of a batch asks for one: when
 * it is in, every error of the batch is already queued before it, and a
 * batch of 256 costs one recvmsg instead of 256 (at 110,000 requests that
 * was 110,000 recvmsg and polls). The batch is bounded (messages and
 * bytes) so that even an error for each message fits the receive buffer.
 * A failing message does not stop the kernel from handling the rest of its
 * batch: after a failure we send nothing more, drain the batch, and report
 * the first failure; ops after it in the same batch may have been applied
 * (the caller resyncs from a dump, as after any failure).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipvs/genl.h"
#include "ipvs/genl_msg.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define IPVS_RCVBUF (8 << 20)
#define IPVS_SNDBUF (4 << 20)
#define IPVS_RXBUF_LEN (64 << 10)
#define IPVS_WIN_MSGS 256
#define IPVS_WIN_BYTES (128 << 10)
#define IPVS_DUMP_TRIES 4
#define IPVS_DUMP_WIN_MAX 64
/* What one queued dump reply may cost of the receive buffer (skb of up to
 * 32 KiB plus overhead), twice over for safety. */
#define IPVS_DUMP_REPLY_COST (80 << 10)

struct ipvs_genl {
	struct nl_sock *sock;
	int fd;
	int family;
	uint32_t seq;
	int timeout_ms;
	unsigned win_msgs;
	size_t win_bytes;
	unsigned dump_win, dump_win_max; /* GET_DEST dumps per sendmsg */
	unsigned malformed;
	const char *last_why;
	unsigned last_msgs, last_sends;
	unsigned char *rx; /* IPVS_RXBUF_LEN */
	unsigned char *tx; /* win_bytes + one message */
	size_t tx_cap;
};

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

/* ---------------------------------------------------------------- socket */

static int nlerr_to_errno(int e)
{
	switch (e < 0 ? -e : e) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_PROTO_MISMATCH:
	case NLE_AF_NOSUPPORT:
		return -EPROTONOSUPPORT;
	default:
		return -EIO;
	}
}

static int find_family(struct ipvs_genl *g)
{
	int rc;

	if (!g->sock) {
		g->sock = nl_socket_alloc();
		if (!g->sock)
			return -ENOMEM;
		rc = genl_connect(g->sock);
		if (rc < 0) {
			nl_socket_free(g->sock);
			g->sock = NULL;
			return nlerr_to_errno(rc);
		}
	}
	rc = genl_ctrl_resolve(g->sock, IPVS_GENL_NAME);
	if (rc < 0)
		return nlerr_to_errno(rc);
	g->family = rc;
	return 0;
}

/* `modprobe ip_vs`, no shell, output thrown away, at most 10 s. */
static void run_modprobe(void)
{
	static const char *const paths[] = { "/sbin/modprobe", "/usr/sbin/modprobe" };
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		char *argv[] = { (char *)"modprobe", (char *)"-q", (char *)"ip_vs", NULL };
		char *envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			execve(paths[i], argv, envp);
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static void set_bufs(struct ipvs_genl *g)
{
	int v = IPVS_RCVBUF, one = 1;

	/* Past rmem_max when we may (root); otherwise as large as allowed. */
	nl_socket_set_buffer_size(g->sock, IPVS_RCVBUF, IPVS_SNDBUF);
	setsockopt(g->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v));
	v = IPVS_SNDBUF;
	setsockopt(g->fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v));
	/* ACKs without the echoed request, with the kernel's reason text. */
	setsockopt(g->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(g->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Pipelined dumps must never overflow the receive buffer. */
	v = 0;
	{
		socklen_t vl = sizeof(v);

		if (getsockopt(g->fd, SOL_SOCKET, SO_RCVBUF, &v, &vl) < 0)
			v = 0;
	}
	g->dump_win_max = (unsigned)v / IPVS_DUMP_REPLY_COST;
	if (g->dump_win_max > IPVS_DUMP_WIN_MAX)
		g->dump_win_max = IPVS_DUMP_WIN_MAX;
	if (!g->dump_win_max)
		g->dump_win_max = 1;
	g->dump_win = g->dump_win_max;
}

int ipvs_genl_open(struct ipvs_genl **out)
{
	struct ipvs_genl *g;
	int rc;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->timeout_ms = 10000;
	g->win_msgs = IPVS_WIN_MSGS;
	g->win_bytes = IPVS_WIN_BYTES;
	rc = find_family(g);
	if (rc == -ENOENT) {
		run_modprobe();
		rc = find_family(g);
	}
	if (rc)
		goto fail;
	g->fd = nl_socket_get_fd(g->sock);
	set_bufs(g);
	g->rx = malloc(IPVS_RXBUF_LEN);
	if (!g->rx) {
		rc = -ENOMEM;
		goto fail;
	}
	g->seq = (uint32_t)time(NULL);
	*out = g;
	return 0;
fail:
	ipvs_genl_close(g);
	return rc;
}

void ipvs_genl_close(struct ipvs_genl *g)
{
	if (!g)
		return;
	if (g->sock)
		nl_socket_free(g->sock);
	free(g->rx);
	free(g->tx);
	free(g);
}

unsigned ipvs_genl_malformed(const struct ipvs_genl *g, const char **last_why)
{
	if (last_why)
		*last_why = g->last_why;
	return g->malformed;
}

void ipvs_genl_set_timeout_ms(struct ipvs_genl *g, int ms)
{
	g->timeout_ms = ms > 0 ? ms : 10000;
}

void ipvs_genl_set_window(struct ipvs_genl *g, unsigned msgs, size_t bytes)
{
	g->win_msgs = msgs ? msgs : 1;
	g->win_bytes = bytes >= 4096 ? bytes : 4096;
	g->dump_win = g->win_msgs < g->dump_win_max ? g->win_msgs : g->dump_win_max;
}

void ipvs_genl_last_apply(const struct ipvs_genl *g, unsigned *msgs, unsigned *sends)
{
	*msgs = g->last_msgs;
	*sends = g->last_sends;
}

static void count_bad(struct ipvs_genl *g, const char *why)
{
	g->malformed++;
	g->last_why = why;
}

static int send_buf(struct ipvs_genl *g, const void *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(g->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

/* One datagram from the kernel into g->rx; its length, or -errno. */
static int recv_dgram(struct ipvs_genl *g)
{
	struct pollfd pfd = { .fd = g->fd, .events = POLLIN };

	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { g->rx, IPVS_RXBUF_LEN };
		struct msghdr mh = { .msg_name = &from,
				     .msg_namelen = sizeof(from),
				     .msg_iov = &iov,
				     .msg_iovlen = 1 };
		ssize_t n;
		int pr = poll(&pfd, 1, g->timeout_ms);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			return -ETIMEDOUT;
		n = recvmsg(g->fd, &mh, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno; /* ENOBUFS: replies were lost */
		if (mh.msg_flags & MSG_TRUNC) {
			count_bad(g, "reply larger than the receive buffer");
			continue;
		}
		if (mh.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue; /* not from the kernel */
		return (int)n;
	}
}

/* Sends one request and reads until its ACK; 0 or the kernel's -errno. */
static int transact(struct ipvs_genl *g, struct nl_msg *m, char *ktext, size_t ktlen)
{
	struct nlmsghdr *req = nlmsg_hdr(m);
	uint32_t seq = ++g->seq;
	int rc;

	req->nlmsg_seq = seq;
	rc = send_buf(g, req, req->nlmsg_len);
	if (rc)
		return rc;
	for (;;) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			int err;

			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (ipvs_msg_parse_ack(h, &err, ktext, ktlen) < 0) {
				count_bad(g, "short ACK");
				return -EPROTO;
			}
			return err;
		}
	}
}

static int simple_cmd(struct ipvs_genl *g, struct nl_msg *m, int rc)
{
	if (!rc)
		rc = transact(g, m, NULL, 0);
	nlmsg_free(m);
	return rc;
}

int ipvs_genl_flush(struct ipvs_genl *g)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_flush(m, g->family));
}

int ipvs_genl_set_timeouts(struct ipvs_genl *g, uint32_t tcp, uint32_t tcpfin, uint32_t udp)
{
	struct nl_msg *m;

	if (!tcp && !tcpfin && !udp)
		return 0;
	m = nlmsg_alloc();
	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_timeouts(m, g->family, tcp, tcpfin, udp));
}

int ipvs_genl_sync_start(struct ipvs_genl *g, enum ipvs_sync_state st,
			 const struct ipvs_sync_cfg *c)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_daemon_new(m, g->family, st, c));
}

int ipvs_genl_sync_stop(struct ipvs_genl *g, enum ipvs_sync_state st)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_daemon_del(m, g->family, st));
}

/* ------------------------------------------------------------------ dump */

typedef int (*dump_fn)(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx);

/*
 * Sends a dump request and hands every reply message to fn until
 * NLMSG_DONE. 0, -EINTR if the kernel flagged the dump as interrupted, or
 * -errno.
 */
static int dump(struct ipvs_genl *g, struct nl_msg *m, dump_fn fn, void *ctx)
{
	struct nlmsghdr *req = nlmsg_hdr(m);
	uint32_t seq = ++g->seq;
	bool intr = false;
	int rc;

	req->nlmsg_seq = seq;
	rc = send_buf(g, req, req->nlmsg_len);
	if (rc)
		return rc;
	for (;;) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (h->nlmsg_type == NLMSG_DONE) {
				int derr = 0;

				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&derr, nlmsg_data(h), sizeof(derr));
				if (derr < 0)
					return derr;
				return intr ? -EINTR : 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				int err;

				if (ipvs_msg_parse_ack(h, &err, NULL, 0) < 0) {
					count_bad(g, "short error message");
					return -EPROTO;
				}
				return err ? err : -EPROTO;
			}
			if (h->nlmsg_type != g->family) {
				count_bad(g, "reply of another family");
				continue;
			}
			rc = fn(g, h, ctx);
			if (rc)
				return rc;
		}
		if (len > 0)
			count_bad(g, "truncated netlink message");
	}
}

static int grow(void **v, unsigned n, unsigned *cap, size_t size)
{
	void *p;
	unsigned nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	p = realloc(*v, (size_t)nc * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = nc;
	return 0;
}

struct svc_vec {
	struct ipvs_service *v;
	unsigned n, cap;
};

static int on_service(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx)
{
	struct svc_vec *sv = ctx;
	struct ipvs_service s;
	const char *why;

	if (ipvs_msg_parse_service(h, &s, &why) < 0) {
		count_bad(g, why);
		return 0;
	}
	if (grow((void **)&sv->v, sv->n, &sv->cap, sizeof(*sv->v)))
		return -ENOMEM;
	sv->v[sv->n++] = s;
	return 0;
}

struct dest_ctx {
	struct ipvs_service *svc;
	unsigned cap;
};

static int on_dest(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx)
{
	struct dest_ctx *dc = ctx;
	struct ipvs_dest d;
	const char *why;

	if (ipvs_msg_parse_dest(h, dc->svc->af, &d, &why) < 0) {
		count_bad(g, why);
		return 0;
	}
	if (grow((void **)&dc->svc->dests, dc->svc->n_dests, &dc->cap, sizeof(d)))
		return -ENOMEM;
	dc->svc->dests[dc->svc->n_dests++] = d;
	return 0;
}

/*
 * The dests of svcs[0..n): n GET_DEST dumps in one sendmsg. The kernel runs
 * one dump at a time per socket; a dump that fits one reply buffer is over
 * before the next request is read, so most go through; those refused with
 * EBUSY (a service with very many dests) are dumped again one by one.
 */
static int dump_dests_batch(struct ipvs_genl *g, struct ipvs_service *svcs, unsigned n, bool *intr)
{
	enum { PENDING, DONE, BUSY } st[IPVS_DUMP_WIN_MAX];
	unsigned caps[IPVS_DUMP_WIN_MAX] = { 0 }, left = n;
	uint32_t seq0 = g->seq + 1;
	size_t used = 0;
	int rc;

	for (unsigned i = 0; i < n; i++) {
		struct nl_msg *m = nlmsg_alloc();
		struct nlmsghdr *h;

		if (!m)
			return -ENOMEM;
		rc = ipvs_msg_get_dests(m, g->family, &svcs[i]);
		h = nlmsg_hdr(m);
		if (rc || used + NLMSG_ALIGN(h->nlmsg_len) > g->tx_cap) {
			nlmsg_free(m);
			return rc ? rc : -EMSGSIZE;
		}
		h->nlmsg_seq = ++g->seq;
		memcpy(g->tx + used, h, h->nlmsg_len);
		memset(g->tx + used + h->nlmsg_len, 0, NLMSG_ALIGN(h->nlmsg_len) - h->nlmsg_len);
		used += NLMSG_ALIGN(h->nlmsg_len);
		nlmsg_free(m);
		st[i] = PENDING;
		svcs[i].dests = NULL;
		svcs[i].n_dests = 0;
	}
	rc = send_buf(g, g->tx, used);
	if (rc)
		return rc;
	while (left) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			uint32_t idx = h->nlmsg_seq - seq0;
			int err;

			if (idx >= n || st[idx] != PENDING)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (h->nlmsg_type == NLMSG_DONE) {
				err = 0;
				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, nlmsg_data(h), sizeof(err));
				if (err < 0)
					return err;
				st[idx] = DONE;
				left--;
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				if (ipvs_msg_parse_ack(h, &err, NULL, 0) < 0) {
					count_bad(g, "short error message");
					return -EPROTO;
				}
				if (err != -EBUSY)
					return err ? err : -EPROTO;
				st[idx] = BUSY;
				left--;
			} else if (h->nlmsg_type != g->family) {
				count_bad(g, "reply of another family");
			} else {
				struct ipvs_service *s = &svcs[idx];
				struct ipvs_dest d;
				const char *why;

				if (ipvs_msg_parse_dest(h, s->af, &d, &why) < 0) {
					count_bad(g, why);
					continue;
				}
				if (grow((void **)&s->dests, s->n_dests, &caps[idx], sizeof(d)))
					return -ENOMEM;
				s->dests[s->n_dests++] = d;
			}
		}
		if (len > 0)
			count_bad(g, "truncated netlink message");
	}
	for (unsigned i = 0; i < n; i++) {
		struct dest_ctx dc = { .svc = &svcs[i] };
		struct nl_msg *m;

		if (st[i] != BUSY)
			continue;
		m = nlmsg_alloc();
		if (!m)
			return -ENOMEM;
		rc = ipvs_msg_get_dests(m, g->family, &svcs[i]);
		if (!rc)
			rc = dump(g, m, on_dest, &dc);
		nlmsg_free(m);
		if (rc == -EINTR) {
			*intr = true;
			rc = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int ensure_tx(struct ipvs_genl *g, size_t need)
{
	unsigned char *p;

	if (g->tx_cap >= need)
		return 0;
	p = realloc(g->tx, need);
	if (!p)
		return -ENOMEM;
	g->tx = p;
	g->tx_cap = need;
	return 0;
}

static int dump_once(struct ipvs_genl *g, struct ipvs_state *out)
{
	struct svc_vec sv = { 0 };
	struct nl_msg *m;
	bool intr = false;
	int rc;

	m = nlmsg_alloc();
	if (!m)
		return -ENOMEM;
	rc = ipvs_msg_get_services(m, g->family);
	if (!rc)
		rc = dump(g, m, on_service, &sv);
	nlmsg_free(m);
	out->svcs = sv.v;
	out->n_svcs = sv.n;
	if (!rc)
		rc = ensure_tx(g, (size_t)g->dump_win * 256 + 65536);
	for (unsigned i = 0; !rc && i < sv.n; i += g->dump_win) {
		unsigned k = sv.n - i < g->dump_win ? sv.n - i : g->dump_win;

		rc = dump_dests_batch(g, &sv.v[i], k, &intr);
	}
	if (!rc && intr)
		rc = -EINTR;
	if (rc)
		ipvs_state_free(out);
	return rc;
}

int ipvs_genl_dump(struct ipvs_genl *g, struct ipvs_state *out)
{
	int rc = -EINTR;

	out->svcs = NULL;
	out->n_svcs = 0;
	/* The table changed under the dump: dump it again. */
	for (int i = 0; i < IPVS_DUMP_TRIES && rc == -EINTR; i++)
		rc = dump_once(g, out);
	if (rc == -EINTR)
		rc = -EAGAIN;
	if (!rc)
		ipvs_state_sort(out);
	return rc;
}

static int on_daemon(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx)
{
	unsigned *roles = ctx;
	enum ipvs_sync_state st;
	struct ipvs_sync_cfg c;
	const char *why;

	if (ipvs_msg_parse_daemon(h, &st, &c, &why) < 0) {
		count_bad(g, why);
		return 0;
	}
	*roles |= st == IPVS_SYNC_MASTER ? 1u : 2u;
	return 0;
}

int ipvs_genl_sync_running(struct ipvs_genl *g, unsigned *roles)
{
	struct nl_msg *m = nlmsg_alloc();
	int rc;

	*roles = 0;
	if (!m)
		return -ENOMEM;
	rc = ipvs_msg_daemon_get(m, g->family);
	if (!rc)
		rc = dump(g, m, on_daemon, roles);
	nlmsg_free(m);
	return rc;
}

/* ----------------------------------------------------------------- apply */

static void apply_err(const struct ipvs_op *op, int err, const char *ktext, char *buf, size_t len)
{
	char what[320];

	if (!buf || !len)
		return;
	ipvs_op_what(op, what, sizeof(what));
	if (ktext && ktext[0])
		snprintf(buf, len, "%s: %s (%s)", what, strerror(-err), ktext);
	else
		snprintf(buf, len, "%s: %s", what, strerror(-err));
}

/*
 * Reads the answers to ops [first, first + count) sent with sequence numbers
 * seq0 + i, of which only the last asked for an ACK: the others answer only
 * when they fail. Records the lowest failing index in *fail (with its error
 * and the kernel's text). 0 once the last one's ACK is in, or -errno if
 * answers were lost (ENOBUFS) or did not come.
 */
static int read_acks(struct ipvs_genl *g, uint32_t seq0, unsigned count, unsigned *fail,
		     int *fail_err, char *ktext, size_t ktlen)
{
	bool last = false;
	char tmp[256];

	while (!last) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			uint32_t idx = h->nlmsg_seq - seq0;
			int err;

			if (h->nlmsg_type != NLMSG_ERROR || idx >= count)
				continue; /* stale reply to an earlier request */
			if (ipvs_msg_parse_ack(h, &err, tmp, sizeof(tmp)) < 0) {
				count_bad(g, "short ACK");
				err = -EPROTO;
			}
			if (idx == count - 1)
				last = true;
			if (err && idx < *fail) {
				*fail = idx;
				*fail_err = err;
				snprintf(ktext, ktlen, "%s", tmp);
			}
		}
		if (len > 0)
			count_bad(g, "truncated netlink message");
	}
	return 0;
}

int ipvs_genl_apply(struct ipvs_genl *g, const struct ipvs_ops *ops, unsigned *n_done, char *err,
		    size_t errlen)
{
	struct nl_msg *m = NULL;
	unsigned next = 0;
	char ktext[256] = "";
	size_t need = g->win_bytes + 65536;

	*n_done = 0;
	if (err && errlen)
		err[0] = '\0';
	g->last_msgs = g->last_sends = 0;
	if (ensure_tx(g, need))
		return -ENOMEM;
	while (next < ops->n) {
		uint32_t seq0 = g->seq + 1;
		unsigned first = next, count = 0, fail = UINT32_MAX;
		int fail_err = 0, rc;
		size_t used = 0, last_off = 0;

		/* Fill one batch. One nl_msg is reused: emptied by resetting its
		 * length (a fresh one per op costs a zeroed page each). */
		while (next < ops->n && count < g->win_msgs) {
			struct nlmsghdr *h;

			if (!m) {
				m = nlmsg_alloc();
				if (!m)
					return -ENOMEM;
			}
			nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN;
			rc = ipvs_msg_op(m, g->family, &ops->v[next]);
			h = nlmsg_hdr(m);
			if (rc) {
				nlmsg_free(m);
				m = NULL;
				if (count)
					break; /* send what we have; fail on the next round */
				apply_err(&ops->v[next], rc, "cannot build the message", err,
					  errlen);
				return rc;
			}
			if (count && used + NLMSG_ALIGN(h->nlmsg_len) > g->win_bytes)
				break;
			h->nlmsg_seq = ++g->seq;
			h->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
			last_off = used;
			memcpy(g->tx + used, h, h->nlmsg_len);
			memset(g->tx + used + h->nlmsg_len, 0,
			       NLMSG_ALIGN(h->nlmsg_len) - h->nlmsg_len);
			used += NLMSG_ALIGN(h->nlmsg_len);
			count++;
			next++;
		}
		((struct nlmsghdr *)(g->tx + last_off))->nlmsg_flags |= NLM_F_ACK;
		rc = send_buf(g, g->tx, used);
		if (rc) {
			nlmsg_free(m);
			apply_err(&ops->v[first], rc, "sending", err, errlen);
			return rc;
		}
		g->last_sends++;
		rc = read_acks(g, seq0, count, &fail, &fail_err, ktext, sizeof(ktext));
		if (rc || fail != UINT32_MAX) {
			nlmsg_free(m);
			m = NULL;
		}
		if (rc) {
			apply_err(&ops->v[first], rc, "reading the ACKs of a batch starting here",
				  err, errlen);
			return rc;
		}
		if (fail != UINT32_MAX) {
			*n_done = first + fail;
			g->last_msgs += fail;
			apply_err(&ops->v[first + fail], fail_err, ktext, err, errlen);
			return fail_err;
		}
		g->last_msgs += count;
		*n_done = next;
	}
	nlmsg_free(m);
	return 0;
}
