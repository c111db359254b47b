/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink messages for VRRP, pure (vrrp/netlink_msg.c): requests built
 * from the config model into a caller's buffer, kernel messages parsed into
 * plain structs. No sockets, no loop, no globals (table and protocol names
 * are read from the iproute2 files only when a name, not a number, is
 * given). vrrp/netlink.c sends and receives them; the unit tests and the
 * fuzz targets link this alone (vrrp/libvrrp_msg.a).
 */
#ifndef VIGIL_VRRP_NETLINK_MSG_H
#define VIGIL_VRRP_NETLINK_MSG_H

#include <linux/netlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conf/model.h"

/* One interface as the kernel describes it (RTM_NEWLINK), kept current by
 * vrrp/netlink.c. */
struct vrrp_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	bool admin_up; /* IFF_UP */
	bool oper_up;  /* IFF_RUNNING and IFF_LOWER_UP: carrier */
	uint8_t mac[6];
	unsigned mtu;
	int link_ifindex; /* parent of a macvlan/vlan, 0 if none */
	bool is_macvlan;
	struct conf_addr addr4;	   /* primary IPv4 address (first non-secondary), or unset */
	struct conf_addr addr6_ll; /* an IPv6 link-local address, or unset */
};

/* The bytes of an address as netlink carries them: 4 (AF_INET), 16
 * (AF_INET6), 0 for anything else. */
static inline size_t vrrp_nl_family_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static inline const void *vrrp_nl_addr_bytes(const struct conf_addr *a)
{
	return a->family == AF_INET ? (const void *)&a->u.v4 : (const void *)&a->u.v6;
}

/* Room for any one message we build (a route with many nexthops included). */
#define VRRP_NLMSG_MAX 8192

/*
 * Does the message at nlh fit in the len bytes left of a receive buffer?
 * libmnl's mnl_nlmsg_ok compares nlmsg_len as an int, so a length above
 * INT_MAX passes it; this one does not. The padded length must fit too:
 * libmnl walks a message's attributes up to NLMSG_ALIGN(nlmsg_len), so an
 * unpadded last message would let an attribute run past the data (the
 * kernel always pads). Use it to walk every buffer.
 */
static inline bool vrrp_nlmsg_fits(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (uint32_t)len && NLMSG_ALIGN(nlh->nlmsg_len) <= (uint32_t)len;
}

/* Resolves an interface name to an ifindex (0 when unknown). */
typedef int (*vrrp_nlmsg_ifindex_fn)(const void *ctx, const char *name);

struct vrrp_nlmsg_env {
	vrrp_nlmsg_ifindex_fn ifindex; /* for route "dev" / nexthop "dev" */
	const void *ctx;
	const char *rt_tables; /* NULL: /etc/iproute2/rt_tables then /usr/share/... */
	const char *rt_protos; /* NULL: /etc/iproute2/rt_protos then /usr/share/... */
};

/*
 * Builders: write one complete nlmsg (NLM_F_REQUEST|NLM_F_ACK, sequence seq)
 * into buf (at least VRRP_NLMSG_MAX bytes is always enough for addresses and
 * links). Return the message length, or -1 with a reason in err (which names
 * the offending option: nothing is ever silently dropped).
 */
int vrrp_nlmsg_addr(void *buf, size_t size, uint32_t seq, bool add, int ifindex,
		    const struct conf_vip *vip, char *err, size_t errlen);
int vrrp_nlmsg_route(void *buf, size_t size, uint32_t seq, bool add, const struct conf_route *r,
		     const struct vrrp_nlmsg_env *env, char *err, size_t errlen);
int vrrp_nlmsg_rule(void *buf, size_t size, uint32_t seq, bool add, const struct conf_rule *r,
		    const struct vrrp_nlmsg_env *env, char *err, size_t errlen);
/* A macvlan in private mode (as keepalived), created up. */
int vrrp_nlmsg_vmac(void *buf, size_t size, uint32_t seq, const char *name, int parent_ifindex,
		    const uint8_t mac[6], char *err, size_t errlen);
int vrrp_nlmsg_link_del(void *buf, size_t size, uint32_t seq, int ifindex);

/* "ip"-like text for logs: "add 198.18.0.10/24 dev veth0",
 * "add route default via 198.18.0.1 dev veth0 table 100",
 * "delete rule not inet6 from all to fd00:198:18::/48 table 100". */
void vrrp_nlmsg_addr_what(char *out, size_t size, bool add, const char *ifname,
			  const struct conf_vip *vip);
void vrrp_nlmsg_route_what(char *out, size_t size, bool add, const struct conf_route *r);
void vrrp_nlmsg_rule_what(char *out, size_t size, bool add, const struct conf_rule *r);

/* Table and protocol names: a number (0..2^32-1 / 0..255), a built-in name
 * (main, local, default, unspec / kernel, boot, static, keepalived, ...), or
 * a name from the iproute2 file (path NULL: the usual places). 0 or -1. */
int vrrp_nl_table_id(const char *s, const char *path, uint32_t *out);
int vrrp_nl_proto_id(const char *s, const char *path, uint8_t *out);

/* conf_scope_names index -> RT_SCOPE_*; -1 (unset) gives def. */
uint8_t vrrp_nl_scope(int conf_scope, uint8_t def);

/* Parsed RTM_NEWLINK / RTM_DELLINK. addr4/addr6_ll are left unset. */
int vrrp_nlmsg_parse_link(const struct nlmsghdr *nlh, struct vrrp_iface *out);

struct vrrp_nl_addrmsg {
	int ifindex;
	struct conf_prefix addr; /* IFA_LOCAL, else IFA_ADDRESS */
	uint32_t flags;		 /* IFA_FLAGS, else ifa_flags */
	uint8_t scope;
};
/* Parsed RTM_NEWADDR / RTM_DELADDR (AF_INET / AF_INET6 only). 0 or -EINVAL. */
int vrrp_nlmsg_parse_addr(const struct nlmsghdr *nlh, struct vrrp_nl_addrmsg *out);

/* A route or rule that was deleted: what it is matched by. */
struct vrrp_nl_rtmsg {
	bool is_rule;
	int family;
	struct conf_prefix dst, src; /* len 0: any */
	uint32_t table;		     /* RTA_TABLE / FRA_TABLE, else the header's */
	uint32_t prio;		     /* route metric / rule preference */
	bool has_prio;
	int oif;	    /* routes: RTA_OIF, 0 if none */
	uint8_t route_type; /* RTN_* */
	uint8_t tos;
	uint8_t rule_action; /* FR_ACT_* */
};
/* Parsed RTM_DELROUTE / RTM_DELRULE (AF_INET / AF_INET6 only). 0 or -EINVAL. */
int vrrp_nlmsg_parse_rtdel(const struct nlmsghdr *nlh, struct vrrp_nl_rtmsg *out);

/* The extended-ack text of an NLMSG_ERROR message, or NULL. */
const char *vrrp_nlmsg_extack(const struct nlmsghdr *nlh);

#endif
