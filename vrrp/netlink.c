/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink for VRRP, on libmnl and the libuv loop.
 *
 * Two NETLINK_ROUTE sockets:
 *  - the request socket carries our changes. Every change is one nlmsg with
 *    NLM_F_ACK and its own sequence number, queued into a byte buffer; the
 *    whole buffer goes out in one sendmsg (split at ~64 KiB) from a uv_check
 *    handle, i.e. after the poll phase of the iteration in which it was
 *    queued. While something is queued a uv_idle handle is active too: it
 *    makes the poll phase non-blocking, so changes queued from a timer are
 *    sent in the same iteration instead of after the next wake-up. The ACKs
 *    are read right after each sendmsg (the kernel handles a request socket's
 *    messages inside sendmsg, so they are already queued), which also keeps
 *    the receive buffer from overflowing on huge batches; the uv_poll on the
 *    socket picks up anything later.
 *  - the event socket listens to links and IPv4/IPv6 addresses and keeps the
 *    interface table current. On ENOBUFS (events were lost) the table is
 *    rebuilt from a full dump and the subscribers get VRRP_NL_RESYNC.
 *
 * Dumps (at open and at resync) run synchronously on a short-lived third
 * socket, so their replies never mix with the ACK stream; an interrupted
 * dump (NLM_F_DUMP_INTR) is simply done again. Interfaces are updated in
 * place across a resync, so a struct vrrp_iface pointer stays valid as long
 * as the interface exists (a LINK_GONE event is its last use).
 *
 * A failed change is logged with the kernel's extended-ack text (at error
 * level when there is no done callback, else as a warning next to done(err)).
 *
 * The messages themselves are built and parsed by vrrp/netlink_msg.c (pure).
 * A change whose message cannot be built (an option we do not implement, an
 * unknown "dev") is refused when it is queued: the error names the option
 * and done() is called at once with -EINVAL (-ENODEV for an unknown dev).
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "vrrp/netlink.h"
#include "vrrp/netlink_msg.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define NL_BATCH_MAX (64 * 1024)     /* bytes per sendmsg */
#define NL_RXBUF (64 * 1024)	     /* one recv */
#define NL_MONITOR_RCVBUF (4u << 20) /* event socket default */
#define NL_CMD_RCVBUF (4u << 20)     /* request socket default */
#define NL_DUMP_TRIES 10	     /* redumps on NLM_F_DUMP_INTR */
#define NL_CLOSE_WAIT_MS 1000	     /* ACK wait at close */

struct nl_addr {
	struct nl_addr *hnext;	       /* hash chain */
	struct nl_addr *inext, *iprev; /* the interface's list, in arrival order */
	int ifindex;
	struct conf_prefix p;
	uint32_t flags;
};

struct nl_iface {
	struct vrrp_iface pub;
	struct nl_iface *xnext, *nnext; /* by-index and by-name chains */
	struct nl_addr *addrs, *addrs_tail;
	bool seen; /* mark for the resync sweep */
};

struct nl_pending {
	uint32_t seq;
	bool add, sent, done;
	vrrp_nl_done_fn fn;
	void *data;
	char *what;
};

struct nl_sub {
	vrrp_nl_fn fn;
	void *data;
};

struct vrrp_nl {
	uv_loop_t *loop;
	struct mnl_socket *req, *ev;
	uint32_t req_portid;
	uv_poll_t req_poll, ev_poll;
	uv_check_t check;
	uv_idle_t idle;
	bool handles, closing, sched;
	bool routes_watched; /* vrrp_nl_watch_routes() */
	int open_handles;

	struct nl_iface **by_index, **by_name;
	size_t nb_if, n_if;
	struct nl_addr **addr_tab;
	size_t nb_addr, n_addr;

	struct nl_sub *subs;
	size_t nsubs;

	uint8_t *q; /* queued, not yet sent nlmsgs */
	size_t qlen, qcap, qmsgs;

	struct nl_pending *pend; /* pend[phead..pn): outstanding, by seq */
	size_t phead, pn, pcap;
	uint32_t seq;

	struct vrrp_nl_stats st;
	uint64_t ignored;
	uint8_t *rx;	 /* events and dumps */
	uint8_t *ack_rx; /* ACKs; a nested read_acks (from a done callback) allocates */
	bool ack_rx_busy;
};

static uint32_t hash_int(int i)
{
	return (uint32_t)i * 2654435761u;
}

static uint32_t hash_name(const char *s)
{
	return hash_str(s);
}

static uint32_t hash_addr(int ifindex, const struct conf_prefix *p)
{
	uint32_t h = HASH_FNV1A_INIT;
	uint8_t fam = (uint8_t)p->addr.family;

	h = hash_fnv1a(h, &fam, 1);
	h = hash_fnv1a(h, &p->len, 1);
	h = hash_fnv1a(h, &ifindex, sizeof(ifindex));
	return hash_fnv1a(h, vrrp_nl_addr_bytes(&p->addr), vrrp_nl_family_len(p->addr.family));
}

static bool addr_eq(const struct nl_addr *a, int ifindex, const struct conf_prefix *p)
{
	return a->ifindex == ifindex && a->p.addr.family == p->addr.family && a->p.len == p->len &&
	       !memcmp(vrrp_nl_addr_bytes(&a->p.addr), vrrp_nl_addr_bytes(&p->addr),
		       vrrp_nl_family_len(p->addr.family));
}

/* ---- interface table ---- */

static int if_rehash(struct vrrp_nl *nl, size_t nb)
{
	struct nl_iface **bi = calloc(nb, sizeof(*bi)), **bn = calloc(nb, sizeof(*bn));
	size_t i;

	if (!bi || !bn) {
		free(bi);
		free(bn);
		return -ENOMEM;
	}
	for (i = 0; i < nl->nb_if; i++) {
		struct nl_iface *f = nl->by_index[i], *next;

		for (; f; f = next) {
			size_t k = hash_int(f->pub.ifindex) & (nb - 1);

			next = f->xnext;
			f->xnext = bi[k];
			bi[k] = f;
		}
		for (f = nl->by_name[i]; f; f = next) {
			size_t k = hash_name(f->pub.name) & (nb - 1);

			next = f->nnext;
			f->nnext = bn[k];
			bn[k] = f;
		}
	}
	free(nl->by_index);
	free(nl->by_name);
	nl->by_index = bi;
	nl->by_name = bn;
	nl->nb_if = nb;
	return 0;
}

static struct nl_iface *if_find(const struct vrrp_nl *nl, int ifindex)
{
	struct nl_iface *f;

	if (!nl->nb_if)
		return NULL;
	for (f = nl->by_index[hash_int(ifindex) & (nl->nb_if - 1)]; f; f = f->xnext)
		if (f->pub.ifindex == ifindex)
			return f;
	return NULL;
}

static void name_unlink(struct vrrp_nl *nl, struct nl_iface *f)
{
	struct nl_iface **pp = &nl->by_name[hash_name(f->pub.name) & (nl->nb_if - 1)];

	for (; *pp; pp = &(*pp)->nnext) {
		if (*pp == f) {
			*pp = f->nnext;
			return;
		}
	}
}

static void name_link(struct vrrp_nl *nl, struct nl_iface *f)
{
	size_t k = hash_name(f->pub.name) & (nl->nb_if - 1);

	f->nnext = nl->by_name[k];
	nl->by_name[k] = f;
}

static void addr_unhash(struct vrrp_nl *nl, struct nl_addr *a)
{
	struct nl_addr **pp = &nl->addr_tab[hash_addr(a->ifindex, &a->p) & (nl->nb_addr - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == a) {
			*pp = a->hnext;
			nl->n_addr--;
			return;
		}
	}
}

static void if_free_addrs(struct vrrp_nl *nl, struct nl_iface *f)
{
	struct nl_addr *a, *next;

	for (a = f->addrs; a; a = next) {
		next = a->inext;
		addr_unhash(nl, a);
		free(a);
	}
	f->addrs = f->addrs_tail = NULL;
}

static void if_remove(struct vrrp_nl *nl, struct nl_iface *f)
{
	struct nl_iface **pp = &nl->by_index[hash_int(f->pub.ifindex) & (nl->nb_if - 1)];

	for (; *pp; pp = &(*pp)->xnext) {
		if (*pp == f) {
			*pp = f->xnext;
			break;
		}
	}
	name_unlink(nl, f);
	if_free_addrs(nl, f);
	nl->n_if--;
	free(f);
}

/* Inserts or updates; *changed tells whether anything a subscriber sees moved. */
static struct nl_iface *if_upsert(struct vrrp_nl *nl, const struct vrrp_iface *li, bool *changed)
{
	struct nl_iface *f = if_find(nl, li->ifindex);
	size_t k;

	*changed = false;
	if (f) {
		struct vrrp_iface *o = &f->pub;

		*changed = strcmp(o->name, li->name) || o->admin_up != li->admin_up ||
			   o->oper_up != li->oper_up || memcmp(o->mac, li->mac, 6) ||
			   o->mtu != li->mtu || o->link_ifindex != li->link_ifindex ||
			   o->is_macvlan != li->is_macvlan;
		if (strcmp(o->name, li->name)) {
			name_unlink(nl, f);
			memcpy(o->name, li->name, sizeof(o->name));
			name_link(nl, f);
		}
		o->admin_up = li->admin_up;
		o->oper_up = li->oper_up;
		memcpy(o->mac, li->mac, 6);
		o->mtu = li->mtu;
		o->link_ifindex = li->link_ifindex;
		o->is_macvlan = li->is_macvlan;
		f->seen = true;
		return f;
	}
	if (nl->n_if + 1 > nl->nb_if && if_rehash(nl, nl->nb_if ? nl->nb_if * 2 : 64))
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->pub = *li;
	memset(&f->pub.addr4, 0, sizeof(f->pub.addr4));
	memset(&f->pub.addr6_ll, 0, sizeof(f->pub.addr6_ll));
	f->seen = true;
	k = hash_int(f->pub.ifindex) & (nl->nb_if - 1);
	f->xnext = nl->by_index[k];
	nl->by_index[k] = f;
	name_link(nl, f);
	nl->n_if++;
	*changed = true;
	return f;
}

/* Recomputes the primary IPv4 and the IPv6 link-local; true if either moved. */
static bool if_recompute(struct nl_iface *f)
{
	struct conf_addr v4 = { 0 }, ll = { 0 };
	struct nl_addr *a;
	bool changed;

	for (a = f->addrs; a; a = a->inext) {
		if (a->p.addr.family == AF_INET && !v4.family && !(a->flags & IFA_F_SECONDARY))
			v4 = a->p.addr;
		/* fe80::/10, usable as a source: not tentative, DAD not failed */
		if (a->p.addr.family == AF_INET6 && !ll.family &&
		    a->p.addr.u.v6.s6_addr[0] == 0xfe &&
		    (a->p.addr.u.v6.s6_addr[1] & 0xc0) == 0x80 &&
		    !(a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
			ll = a->p.addr;
	}
	changed =
		memcmp(&v4, &f->pub.addr4, sizeof(v4)) || memcmp(&ll, &f->pub.addr6_ll, sizeof(ll));
	f->pub.addr4 = v4;
	f->pub.addr6_ll = ll;
	return changed;
}

static struct nl_addr *addr_find(const struct vrrp_nl *nl, int ifindex, const struct conf_prefix *p)
{
	struct nl_addr *a;

	if (!nl->nb_addr || (p->addr.family != AF_INET && p->addr.family != AF_INET6))
		return NULL;
	for (a = nl->addr_tab[hash_addr(ifindex, p) & (nl->nb_addr - 1)]; a; a = a->hnext)
		if (addr_eq(a, ifindex, p))
			return a;
	return NULL;
}

static int addr_rehash(struct vrrp_nl *nl, size_t nb)
{
	struct nl_addr **t = calloc(nb, sizeof(*t));
	size_t i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < nl->nb_addr; i++) {
		struct nl_addr *a, *next;

		for (a = nl->addr_tab[i]; a; a = next) {
			size_t k = hash_addr(a->ifindex, &a->p) & (nb - 1);

			next = a->hnext;
			a->hnext = t[k];
			t[k] = a;
		}
	}
	free(nl->addr_tab);
	nl->addr_tab = t;
	nl->nb_addr = nb;
	return 0;
}

static bool is_ll6(const struct conf_addr *a)
{
	return a->family == AF_INET6 && a->u.v6.s6_addr[0] == 0xfe &&
	       (a->u.v6.s6_addr[1] & 0xc0) == 0x80;
}

/*
 * Adds (or updates the flags of) an address; 1 if it is new, 0 if known,
 * -errno. *recompute: whether the primary IPv4 / link-local may have moved.
 * A new address goes to the tail, so it only matters when there was none:
 * 10,000 VIPs cost O(1) each, not a scan of the interface's list.
 */
static int addr_add(struct vrrp_nl *nl, struct nl_iface *f, const struct vrrp_nl_addrmsg *am,
		    bool *recompute)
{
	struct nl_addr *a = addr_find(nl, am->ifindex, &am->addr);
	size_t k;

	if (a) {
		/* Flags changed: promotion to primary, DAD done or failed. */
		*recompute = (a->flags != am->flags) &&
			     (am->addr.addr.family == AF_INET || is_ll6(&am->addr.addr));
		a->flags = am->flags;
		return 0;
	}
	*recompute = (am->addr.addr.family == AF_INET && !f->pub.addr4.family) ||
		     (is_ll6(&am->addr.addr) && !f->pub.addr6_ll.family);
	if (nl->n_addr + 1 > nl->nb_addr && addr_rehash(nl, nl->nb_addr ? nl->nb_addr * 2 : 256))
		return -ENOMEM;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->ifindex = am->ifindex;
	a->p = am->addr;
	a->p.has_len = true;
	a->flags = am->flags;
	k = hash_addr(a->ifindex, &a->p) & (nl->nb_addr - 1);
	a->hnext = nl->addr_tab[k];
	nl->addr_tab[k] = a;
	nl->n_addr++;
	a->iprev = f->addrs_tail;
	if (f->addrs_tail)
		f->addrs_tail->inext = a;
	else
		f->addrs = a;
	f->addrs_tail = a;
	return 1;
}

static bool addr_del(struct vrrp_nl *nl, struct nl_iface *f, const struct vrrp_nl_addrmsg *am,
		     bool *recompute)
{
	struct nl_addr *a = addr_find(nl, am->ifindex, &am->addr);

	*recompute = false;
	if (!a)
		return false;
	*recompute = conf_addr_equal(&a->p.addr, &f->pub.addr4) ||
		     conf_addr_equal(&a->p.addr, &f->pub.addr6_ll);
	if (a->iprev)
		a->iprev->inext = a->inext;
	else
		f->addrs = a->inext;
	if (a->inext)
		a->inext->iprev = a->iprev;
	else
		f->addrs_tail = a->iprev;
	addr_unhash(nl, a);
	free(a);
	return true;
}

/* ---- subscribers ---- */

static void emit(struct vrrp_nl *nl, const struct vrrp_nl_msg *m)
{
	size_t i;

	nl->st.events++;
	/* Index loop: a callback may subscribe (realloc) or unsubscribe. */
	for (i = 0; i < nl->nsubs; i++) {
		struct nl_sub s = nl->subs[i];

		if (s.fn)
			s.fn(m, s.data);
	}
}

static void emit_link(struct vrrp_nl *nl, enum vrrp_nl_event ev, const struct nl_iface *f)
{
	struct vrrp_nl_msg m = { .ev = ev, .iface = &f->pub, .ifindex = f->pub.ifindex };

	emit(nl, &m);
}

int vrrp_nl_subscribe(struct vrrp_nl *nl, vrrp_nl_fn fn, void *data)
{
	struct nl_sub *s;

	if (!nl || !fn)
		return -EINVAL;
	s = realloc(nl->subs, (nl->nsubs + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	nl->subs = s;
	s[nl->nsubs].fn = fn;
	s[nl->nsubs].data = data;
	return (int)++nl->nsubs;
}

void vrrp_nl_unsubscribe(struct vrrp_nl *nl, int handle)
{
	if (nl && handle >= 1 && (size_t)handle <= nl->nsubs)
		nl->subs[handle - 1].fn = NULL;
}

/* ---- applying kernel messages ---- */

/* One RTM_* message; events only when notify (not during a dump). */
static void apply_msg(struct vrrp_nl *nl, const struct nlmsghdr *nlh, bool notify)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		struct vrrp_iface li;
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
		struct nl_iface *f;
		bool changed;

		if (vrrp_nlmsg_parse_link(nlh, &li)) {
			nl->ignored++;
			return;
		}
		/* AF_BRIDGE messages are about bridge ports, not the link. */
		if (ifi->ifi_family != AF_UNSPEC)
			return;
		if (nlh->nlmsg_type == RTM_DELLINK) {
			f = if_find(nl, li.ifindex);
			if (!f)
				return;
			if (notify)
				emit_link(nl, VRRP_NL_LINK_GONE, f);
			if_remove(nl, f);
			return;
		}
		if (!li.name[0]) {
			nl->ignored++;
			return;
		}
		f = if_upsert(nl, &li, &changed);
		if (!f) {
			log_error("netlink: out of memory for interface %s", li.name);
			return;
		}
		if (changed && notify)
			emit_link(nl, VRRP_NL_LINK, f);
		return;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		struct vrrp_nl_addrmsg am;
		struct nl_iface *f;
		bool happened, recompute;

		if (vrrp_nlmsg_parse_addr(nlh, &am)) {
			nl->ignored++;
			return;
		}
		f = if_find(nl, am.ifindex);
		if (!f) {
			/* The link message comes first; a race in a dump only. */
			nl->ignored++;
			return;
		}
		if (nlh->nlmsg_type == RTM_NEWADDR) {
			int rc = addr_add(nl, f, &am, &recompute);

			if (rc < 0) {
				log_error("netlink: out of memory for an address");
				return;
			}
			happened = rc == 1;
		} else {
			happened = addr_del(nl, f, &am, &recompute);
		}
		if (!notify)
			return; /* a dump recomputes every interface at its end */
		if (happened) {
			struct vrrp_nl_msg m = {
				.ev = nlh->nlmsg_type == RTM_NEWADDR ? VRRP_NL_ADDR_ADD
								     : VRRP_NL_ADDR_DEL,
				.ifindex = am.ifindex,
				.addr = am.addr,
			};

			emit(nl, &m);
		}
		/* The callbacks may not free f, but a LINK_GONE cannot happen
		 * here; look it up again to be safe against re-entry. */
		f = if_find(nl, am.ifindex);
		if (f && recompute && if_recompute(f))
			emit_link(nl, VRRP_NL_LINK, f);
		return;
	}
	case RTM_DELROUTE:
	case RTM_DELRULE: {
		struct vrrp_nl_rtmsg rt;
		struct vrrp_nl_msg m = { .ev = VRRP_NL_RT_DEL, .rt = &rt };

		if (!notify)
			return;
		if (vrrp_nlmsg_parse_rtdel(nlh, &rt)) {
			nl->ignored++;
			return;
		}
		emit(nl, &m);
		return;
	}
	default:
		return;
	}
}

int vrrp_nl_watch_routes(struct vrrp_nl *nl)
{
	unsigned groups[] = { RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE,
			      RTNLGRP_IPV6_RULE };

	if (!nl || !nl->ev)
		return -EINVAL;
	if (nl->routes_watched)
		return 0;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (setsockopt(mnl_socket_get_fd(nl->ev), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i], sizeof(groups[i])) < 0) {
			int e = errno;

			log_error("netlink: cannot join group %u: %s", groups[i], strerror(e));
			return -e;
		}
	}
	nl->routes_watched = true;
	return 0;
}

/* ---- dumps ---- */

static int dump_one(struct vrrp_nl *nl, struct mnl_socket *s, uint16_t type, bool *intr)
{
	char req[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	uint32_t seq = (uint32_t)time(NULL), portid = mnl_socket_get_portid(s);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (type == RTM_GETLINK) {
		struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

		ifi->ifi_family = AF_UNSPEC;
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	} else {
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

		ifa->ifa_family = AF_UNSPEC;
	}
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s, nl->rx, NL_RXBUF);
		const struct nlmsghdr *m;
		int len;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		len = (int)n;
		for (m = (const struct nlmsghdr *)nl->rx; vrrp_nlmsg_fits(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != portid)
				continue;
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (m->nlmsg_type == NLMSG_DONE)
				return 0;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				if (m->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
					return -EINVAL;
				return e->error ? e->error : -EINVAL;
			}
			apply_msg(nl, m, false);
		}
	}
}

/* Rebuilds the table from full dumps, keeping the interface structs of the
 * interfaces that still exist. */
static int dump_all(struct vrrp_nl *nl)
{
	int tries, rc = -EINTR;

	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		struct mnl_socket *s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
		struct timeval tv = { .tv_sec = 5 };
		int one = 1;
		bool intr = false;
		size_t i;

		if (!s)
			return -errno;
		setsockopt(mnl_socket_get_fd(s), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
			   sizeof(one));
		setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
			rc = -errno;
			mnl_socket_close(s);
			return rc;
		}
		for (i = 0; i < nl->nb_if; i++) {
			struct nl_iface *f;

			for (f = nl->by_index[i]; f; f = f->xnext) {
				f->seen = false;
				if_free_addrs(nl, f);
			}
		}
		rc = dump_one(nl, s, RTM_GETLINK, &intr);
		/* Interfaces the dump did not list are gone. */
		for (i = 0; !rc && i < nl->nb_if; i++) {
			struct nl_iface *f, *next;

			for (f = nl->by_index[i]; f; f = next) {
				next = f->xnext;
				if (!f->seen)
					if_remove(nl, f);
			}
		}
		if (!rc)
			rc = dump_one(nl, s, RTM_GETADDR, &intr);
		mnl_socket_close(s);
		if (rc)
			return rc;
		for (i = 0; i < nl->nb_if; i++) {
			struct nl_iface *f;

			for (f = nl->by_index[i]; f; f = f->xnext)
				if_recompute(f);
		}
		if (!intr)
			return 0;
		log_debug("netlink: dump interrupted by a change, dumping again");
		rc = -EINTR;
	}
	return rc;
}

static void resync(struct vrrp_nl *nl)
{
	struct vrrp_nl_msg m = { .ev = VRRP_NL_RESYNC };
	int rc, i;

	nl->st.resyncs++;
	/* What is queued is older than the dump we are about to take. */
	for (i = 0; i < 100000; i++) {
		ssize_t n = recv(mnl_socket_get_fd(nl->ev), nl->rx, NL_RXBUF, MSG_DONTWAIT);

		if (n < 0 && errno != ENOBUFS && errno != EINTR)
			break;
	}
	rc = dump_all(nl);
	if (rc) {
		nl->st.errors++;
		log_error("netlink: resync dump failed: %s", strerror(-rc));
	} else {
		log_warn("netlink: events were lost (ENOBUFS): table rebuilt from a dump, %zu "
			 "interfaces, %zu addresses",
			 nl->n_if, nl->n_addr);
	}
	emit(nl, &m);
}

static void on_event(uv_poll_t *h, int status, int events)
{
	struct vrrp_nl *nl = h->data;
	int i;

	(void)events;
	if (status < 0) {
		/* libuv reports a pending socket error (EPOLLERR: here ENOBUFS,
		 * events were lost) as UV_EBADF and stops the handle. Start it
		 * again; the recv below returns the error itself. */
		uv_poll_start(&nl->ev_poll, UV_READABLE, on_event);
	}
	/* Bounded so a storm of events cannot starve the loop. */
	for (i = 0; i < 256 && !nl->closing; i++) {
		ssize_t n = recv(mnl_socket_get_fd(nl->ev), nl->rx, NL_RXBUF, MSG_DONTWAIT);
		const struct nlmsghdr *m;
		int len;

		if (n < 0) {
			if (errno == ENOBUFS) {
				resync(nl);
				continue;
			}
			if (errno != EAGAIN && errno != EINTR) {
				nl->st.errors++;
				log_error("netlink: event socket: %s", strerror(errno));
			}
			return;
		}
		len = (int)n;
		for (m = (const struct nlmsghdr *)nl->rx; vrrp_nlmsg_fits(m, len);
		     m = mnl_nlmsg_next(m, &len))
			apply_msg(nl, m, true);
	}
}

/* ---- pending requests ---- */

static struct nl_pending *pend_find(struct vrrp_nl *nl, uint32_t seq)
{
	size_t lo = nl->phead, hi = nl->pn;

	/* Sequence numbers increase (serial arithmetic, RFC 1982 style). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int32_t d = (int32_t)(nl->pend[mid].seq - seq);

		if (d == 0)
			return nl->pend[mid].done ? NULL : &nl->pend[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void pend_compact(struct vrrp_nl *nl)
{
	while (nl->phead < nl->pn && nl->pend[nl->phead].done)
		nl->phead++;
	if (nl->phead == nl->pn) {
		nl->phead = nl->pn = 0;
	} else if (nl->phead > 1024 && nl->phead > nl->pn / 2) {
		memmove(nl->pend, nl->pend + nl->phead, (nl->pn - nl->phead) * sizeof(*nl->pend));
		nl->pn -= nl->phead;
		nl->phead = 0;
	}
}

static bool err_is_success(bool add, int err)
{
	if (!err)
		return true;
	if (add)
		return err == -EEXIST;
	return err == -ENOENT || err == -EADDRNOTAVAIL || err == -ESRCH || err == -ENODEV;
}

/* Completes p with err; the callback runs last, after p is retired, so that
 * it may queue more. */
static void pend_complete(struct vrrp_nl *nl, struct nl_pending *p, int err, const char *extack)
{
	vrrp_nl_done_fn fn = p->fn;
	void *data = p->data;
	char *what = p->what;
	bool ok = err_is_success(p->add, err);

	p->done = true;
	p->what = NULL;
	if (!ok) {
		nl->st.errors++;
		if (!fn)
			log_error("netlink: %s: %s%s%s", what ? what : "request", strerror(-err),
				  extack ? ": " : "", extack ? extack : "");
		else if (extack)
			/* done() gets the errno; the kernel's explanation would
			 * be lost without this line. */
			log_warn("netlink: %s: %s: %s", what ? what : "request", strerror(-err),
				 extack);
	}
	pend_compact(nl);
	if (fn)
		fn(ok ? 0 : err, what ? what : "", data);
	free(what);
}

static void on_ack(struct vrrp_nl *nl, const struct nlmsghdr *m)
{
	const struct nlmsgerr *e;
	struct nl_pending *p;

	if (m->nlmsg_type != NLMSG_ERROR)
		return;
	if (m->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
		nl->ignored++;
		return;
	}
	e = mnl_nlmsg_get_payload(m);
	p = pend_find(nl, m->nlmsg_seq);
	if (!p) {
		nl->ignored++;
		return;
	}
	pend_complete(nl, p, e->error > 0 ? -e->error : e->error, vrrp_nlmsg_extack(m));
}

/* Fails every sent, unanswered request (their ACKs were lost). */
static void fail_outstanding(struct vrrp_nl *nl, bool sent_only, int err)
{
	/* Rescan after each completion: it may compact the array, and its
	 * callback may queue (and so reallocate) more. */
	for (;;) {
		size_t i;

		for (i = nl->phead; i < nl->pn; i++)
			if (!nl->pend[i].done && (nl->pend[i].sent || !sent_only))
				break;
		if (i == nl->pn)
			return;
		pend_complete(nl, &nl->pend[i], err, NULL);
	}
}

/* Reads ACKs until the socket is empty (timeout_ms < 0) or, when waiting,
 * until nothing sent is outstanding or the time is up. */
static void read_acks(struct vrrp_nl *nl, int timeout_ms)
{
	int fd = mnl_socket_get_fd(nl->req);
	bool nested = nl->ack_rx_busy;
	uint8_t *rx = nested ? malloc(NL_RXBUF) : nl->ack_rx;
	uint64_t deadline = uv_hrtime() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000;

	if (!rx)
		return; /* out of memory: the uv_poll reads them later */
	nl->ack_rx_busy = true;
	for (;;) {
		ssize_t n = recv(fd, rx, NL_RXBUF, MSG_DONTWAIT);
		const struct nlmsghdr *m;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				nl->st.errors++;
				log_error("netlink: request socket overrun: ACKs were lost");
				fail_outstanding(nl, true, -ENOBUFS);
				continue;
			}
			if (errno != EAGAIN) {
				nl->st.errors++;
				log_error("netlink: request socket: %s", strerror(errno));
				break;
			}
			if (timeout_ms > 0) {
				struct pollfd pfd = { .fd = fd, .events = POLLIN };
				uint64_t now = uv_hrtime();
				bool waiting = false;
				size_t i;

				for (i = nl->phead; i < nl->pn && !waiting; i++)
					waiting = nl->pend[i].sent && !nl->pend[i].done;
				if (!waiting || now >= deadline)
					break;
				poll(&pfd, 1, (int)((deadline - now) / 1000000) + 1);
				continue;
			}
			break;
		}
		len = (int)n;
		for (m = (const struct nlmsghdr *)rx; vrrp_nlmsg_fits(m, len);
		     m = mnl_nlmsg_next(m, &len))
			on_ack(nl, m);
	}
	if (nested)
		free(rx);
	else
		nl->ack_rx_busy = false;
}

static void on_request(uv_poll_t *h, int status, int events)
{
	struct vrrp_nl *nl = h->data;

	(void)events;
	if (status < 0) /* a pending error (ENOBUFS): see on_event */
		uv_poll_start(&nl->req_poll, UV_READABLE, on_request);
	read_acks(nl, -1);
}

static void sched_stop(struct vrrp_nl *nl)
{
	if (nl->sched && nl->handles) {
		uv_check_stop(&nl->check);
		uv_idle_stop(&nl->idle);
	}
	nl->sched = false;
}

static void on_check(uv_check_t *h);
static void on_idle(uv_idle_t *h)
{
	(void)h;
}

static void sched_start(struct vrrp_nl *nl)
{
	if (nl->sched || !nl->handles || nl->closing)
		return;
	uv_check_start(&nl->check, on_check);
	uv_idle_start(&nl->idle, on_idle);
	nl->sched = true;
}

void vrrp_nl_flush(struct vrrp_nl *nl)
{
	uint8_t *q;
	size_t qlen, off = 0;

	if (!nl)
		return;
	sched_stop(nl);
	if (!nl->qlen)
		return;
	/* Take the buffer: callbacks run while we send may queue more. */
	q = nl->q;
	qlen = nl->qlen;
	nl->q = NULL;
	nl->qlen = nl->qcap = nl->qmsgs = 0;

	while (off < qlen) {
		size_t end = off, nmsg = 0;
		ssize_t rc;
		size_t i;
		int serr;

		/* Whole messages up to NL_BATCH_MAX (one bigger message goes alone). */
		while (end < qlen) {
			const struct nlmsghdr *m = (const struct nlmsghdr *)(q + end);
			size_t l = NLMSG_ALIGN(m->nlmsg_len);

			if (nmsg && end - off + l > NL_BATCH_MAX)
				break;
			end += l;
			nmsg++;
		}
		do {
			rc = mnl_socket_sendto(nl->req, q + off, end - off);
		} while (rc < 0 && errno == EINTR);
		serr = rc < 0 ? errno : 0; /* the callbacks below may change errno */
		nl->st.batches++;
		/* Mark sent (or fail) the messages of this chunk. */
		for (i = off; i < end; i += NLMSG_ALIGN(((struct nlmsghdr *)(q + i))->nlmsg_len)) {
			struct nl_pending *p =
				pend_find(nl, ((struct nlmsghdr *)(q + i))->nlmsg_seq);

			if (!p)
				continue;
			if (rc < 0)
				pend_complete(nl, p, -serr, NULL);
			else
				p->sent = true;
		}
		if (rc < 0) {
			log_error("netlink: sendmsg of %zu messages: %s", nmsg, strerror(serr));
		} else {
			nl->st.msgs += nmsg;
		}
		off = end;
		/* The kernel answered inside sendmsg: read now, so the next
		 * chunk's ACKs find room in the receive buffer. */
		read_acks(nl, -1);
	}
	if (!nl->q) {
		nl->q = q; /* reuse the allocation */
		nl->qcap = qlen;
	} else {
		free(q);
	}
	if (nl->qlen)
		sched_start(nl);
}

static void on_check(uv_check_t *h)
{
	vrrp_nl_flush(h->data);
}

/* Appends one built message and its pending entry. */
static void enqueue(struct vrrp_nl *nl, const struct nlmsghdr *m, bool add, const char *what,
		    vrrp_nl_done_fn done, void *data)
{
	size_t l = NLMSG_ALIGN(m->nlmsg_len);
	struct nl_pending *p;

	if (nl->qlen + l > nl->qcap) {
		size_t cap = nl->qcap ? nl->qcap * 2 : 16384;
		uint8_t *nq;

		while (cap < nl->qlen + l)
			cap *= 2;
		nq = realloc(nl->q, cap);
		if (!nq)
			goto oom;
		nl->q = nq;
		nl->qcap = cap;
	}
	if (nl->pn == nl->pcap) {
		size_t cap = nl->pcap ? nl->pcap * 2 : 256;
		struct nl_pending *np = realloc(nl->pend, cap * sizeof(*np));

		if (!np)
			goto oom;
		nl->pend = np;
		nl->pcap = cap;
	}
	p = &nl->pend[nl->pn++];
	memset(p, 0, sizeof(*p));
	p->seq = m->nlmsg_seq;
	p->add = add;
	p->fn = done;
	p->data = data;
	p->what = strdup(what);
	memcpy(nl->q + nl->qlen, m, m->nlmsg_len);
	memset(nl->q + nl->qlen + m->nlmsg_len, 0, l - m->nlmsg_len);
	nl->qlen += l;
	nl->qmsgs++;
	sched_start(nl);
	return;
oom:
	nl->st.errors++;
	log_error("netlink: %s: out of memory", what);
	if (done)
		done(-ENOMEM, what, data);
}

static uint32_t next_seq(struct vrrp_nl *nl)
{
	if (++nl->seq == 0)
		nl->seq = 1;
	return nl->seq;
}

static void refuse(struct vrrp_nl *nl, const char *what, const char *why, int err,
		   vrrp_nl_done_fn done, void *data)
{
	nl->st.errors++;
	log_error("netlink: %s: %s", what, why);
	if (done)
		done(err, what, data);
}

static const char *ifname_of(const struct vrrp_nl *nl, int ifindex, char *buf)
{
	const struct vrrp_iface *f = vrrp_nl_iface_by_index(nl, ifindex);

	if (f)
		return f->name;
	snprintf(buf, IF_NAMESIZE + 8, "if%d", ifindex);
	return buf;
}

void vrrp_nl_addr(struct vrrp_nl *nl, bool add, int ifindex, const struct conf_vip *vip,
		  vrrp_nl_done_fn done, void *data)
{
	_Alignas(struct nlmsghdr) uint8_t buf[1024];
	char what[128], err[160], nb[IF_NAMESIZE + 8];
	int n;

	if (!nl || !vip)
		return;
	vrrp_nlmsg_addr_what(what, sizeof(what), add, ifname_of(nl, ifindex, nb), vip);
	if (nl->closing) {
		refuse(nl, what, "netlink is closing", -ESHUTDOWN, done, data);
		return;
	}
	n = vrrp_nlmsg_addr(buf, sizeof(buf), next_seq(nl), add, ifindex, vip, err, sizeof(err));
	if (n < 0) {
		refuse(nl, what, err, -EINVAL, done, data);
		return;
	}
	enqueue(nl, (struct nlmsghdr *)buf, add, what, done, data);
}

static int env_ifindex(const void *ctx, const char *name)
{
	const struct vrrp_iface *f = vrrp_nl_iface_by_name(ctx, name);

	return f ? f->ifindex : 0;
}

static void route_or_rule(struct vrrp_nl *nl, bool add, const struct conf_route *route,
			  const struct conf_rule *rule, vrrp_nl_done_fn done, void *data)
{
	_Alignas(struct nlmsghdr) uint8_t buf[VRRP_NLMSG_MAX];
	struct vrrp_nlmsg_env env = { .ifindex = env_ifindex, .ctx = nl };
	char what[192], err[160];
	int n;

	if (route)
		vrrp_nlmsg_route_what(what, sizeof(what), add, route);
	else
		vrrp_nlmsg_rule_what(what, sizeof(what), add, rule);
	if (nl->closing) {
		refuse(nl, what, "netlink is closing", -ESHUTDOWN, done, data);
		return;
	}
	if (route)
		n = vrrp_nlmsg_route(buf, sizeof(buf), next_seq(nl), add, route, &env, err,
				     sizeof(err));
	else
		n = vrrp_nlmsg_rule(buf, sizeof(buf), next_seq(nl), add, rule, &env, err,
				    sizeof(err));
	if (n < 0) {
		refuse(nl, what, err, strstr(err, "no such interface") ? -ENODEV : -EINVAL, done,
		       data);
		return;
	}
	enqueue(nl, (struct nlmsghdr *)buf, add, what, done, data);
}

void vrrp_nl_route(struct vrrp_nl *nl, bool add, const struct conf_route *r, vrrp_nl_done_fn done,
		   void *data)
{
	if (nl && r)
		route_or_rule(nl, add, r, NULL, done, data);
}

void vrrp_nl_rule(struct vrrp_nl *nl, bool add, const struct conf_rule *r, vrrp_nl_done_fn done,
		  void *data)
{
	if (nl && r)
		route_or_rule(nl, add, NULL, r, done, data);
}

void vrrp_nl_vmac_add(struct vrrp_nl *nl, const char *name, int parent_ifindex,
		      const uint8_t mac[6], vrrp_nl_done_fn done, void *data)
{
	_Alignas(struct nlmsghdr) uint8_t buf[512];
	char what[128], err[160], nb[IF_NAMESIZE + 8];
	int n;

	if (!nl || !mac)
		return;
	snprintf(what, sizeof(what), "add vmac %s link %s address %02x:%02x:%02x:%02x:%02x:%02x",
		 name ? name : "?", ifname_of(nl, parent_ifindex, nb), mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	if (nl->closing) {
		refuse(nl, what, "netlink is closing", -ESHUTDOWN, done, data);
		return;
	}
	n = vrrp_nlmsg_vmac(buf, sizeof(buf), next_seq(nl), name, parent_ifindex, mac, err,
			    sizeof(err));
	if (n < 0) {
		refuse(nl, what, err, -EINVAL, done, data);
		return;
	}
	enqueue(nl, (struct nlmsghdr *)buf, true, what, done, data);
}

void vrrp_nl_link_del(struct vrrp_nl *nl, int ifindex, vrrp_nl_done_fn done, void *data)
{
	_Alignas(struct nlmsghdr) uint8_t buf[128];
	char what[64], nb[IF_NAMESIZE + 8];

	if (!nl)
		return;
	snprintf(what, sizeof(what), "delete link %s", ifname_of(nl, ifindex, nb));
	if (nl->closing) {
		refuse(nl, what, "netlink is closing", -ESHUTDOWN, done, data);
		return;
	}
	if (vrrp_nlmsg_link_del(buf, sizeof(buf), next_seq(nl), ifindex) < 0) {
		refuse(nl, what, "bad interface index", -EINVAL, done, data);
		return;
	}
	enqueue(nl, (struct nlmsghdr *)buf, false, what, done, data);
}

/* ---- lookups ---- */

const struct vrrp_iface *vrrp_nl_iface_by_name(const struct vrrp_nl *nl, const char *name)
{
	struct nl_iface *f;

	if (!nl || !name || !nl->nb_if)
		return NULL;
	for (f = nl->by_name[hash_name(name) & (nl->nb_if - 1)]; f; f = f->nnext)
		if (!strcmp(f->pub.name, name))
			return &f->pub;
	return NULL;
}

const struct vrrp_iface *vrrp_nl_iface_by_index(const struct vrrp_nl *nl, int ifindex)
{
	struct nl_iface *f = nl ? if_find(nl, ifindex) : NULL;

	return f ? &f->pub : NULL;
}

bool vrrp_nl_has_addr(const struct vrrp_nl *nl, int ifindex, const struct conf_prefix *p)
{
	return nl && p && addr_find(nl, ifindex, p) != NULL;
}

void vrrp_nl_stats(const struct vrrp_nl *nl, struct vrrp_nl_stats *s)
{
	if (nl && s)
		*s = nl->st;
}

/* ---- open / close ---- */

static void set_rcvbuf(struct mnl_socket *s, unsigned bytes, const char *which)
{
	int fd = mnl_socket_get_fd(s), v = (int)(bytes > INT32_MAX ? INT32_MAX : bytes);

	/* FORCE passes net.core.rmem_max when we have CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
		log_warn("netlink: %s socket: receive buffer of %u bytes: %s", which, bytes,
			 strerror(errno));
}

static struct mnl_socket *open_socket(int *err)
{
	struct mnl_socket *s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (!s) {
		*err = -errno;
		return NULL;
	}
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		*err = -errno;
		mnl_socket_close(s);
		return NULL;
	}
	return s;
}

static void nl_free(struct vrrp_nl *nl)
{
	size_t i;

	for (i = 0; i < nl->nb_if; i++) {
		struct nl_iface *f, *next;

		for (f = nl->by_index[i]; f; f = next) {
			next = f->xnext;
			if_free_addrs(nl, f);
			free(f);
		}
	}
	for (i = nl->phead; i < nl->pn; i++)
		free(nl->pend[i].what);
	if (nl->req)
		mnl_socket_close(nl->req);
	if (nl->ev)
		mnl_socket_close(nl->ev);
	free(nl->by_index);
	free(nl->by_name);
	free(nl->addr_tab);
	free(nl->subs);
	free(nl->q);
	free(nl->pend);
	free(nl->rx);
	free(nl->ack_rx);
	free(nl);
}

static void on_closed(uv_handle_t *h);

int vrrp_nl_open(uv_loop_t *loop, const struct vrrp_nl_opts *o, struct vrrp_nl **out)
{
	struct vrrp_nl *nl;
	int one = 1, rc = 0;
	unsigned groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR };
	size_t i;

	*out = NULL;
	if (!loop)
		return -EINVAL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->loop = loop;
	nl->rx = malloc(NL_RXBUF);
	nl->ack_rx = malloc(NL_RXBUF);
	if (!nl->rx || !nl->ack_rx) {
		rc = -ENOMEM;
		goto err;
	}
	nl->seq = (uint32_t)uv_hrtime();

	nl->req = open_socket(&rc);
	if (!nl->req)
		goto err;
	nl->req_portid = mnl_socket_get_portid(nl->req);
	if (setsockopt(mnl_socket_get_fd(nl->req), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		       sizeof(one)) < 0)
		log_warn("netlink: NETLINK_EXT_ACK: %s (errors lose their detail)",
			 strerror(errno));
	if (setsockopt(mnl_socket_get_fd(nl->req), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
		       sizeof(one)) < 0)
		log_warn("netlink: NETLINK_GET_STRICT_CHK: %s", strerror(errno));
	/* ACKs of failed requests do not echo the whole request back. */
	setsockopt(mnl_socket_get_fd(nl->req), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	set_rcvbuf(nl->req, o && o->cmd_rcvbuf ? o->cmd_rcvbuf : NL_CMD_RCVBUF, "request");

	/* Subscribe before dumping: a change during the dump is then both in
	 * the dump and in the queued events, and applying it twice is harmless. */
	nl->ev = open_socket(&rc);
	if (!nl->ev)
		goto err;
	set_rcvbuf(nl->ev, o && o->monitor_rcvbuf ? o->monitor_rcvbuf : NL_MONITOR_RCVBUF, "event");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (setsockopt(mnl_socket_get_fd(nl->ev), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i], sizeof(groups[i])) < 0) {
			rc = -errno;
			log_error("netlink: cannot join group %u: %s", groups[i], strerror(errno));
			goto err;
		}
	}
	rc = dump_all(nl);
	if (rc) {
		log_error("netlink: initial dump failed: %s", strerror(-rc));
		goto err;
	}

	if ((rc = uv_poll_init(loop, &nl->req_poll, mnl_socket_get_fd(nl->req)))) {
		log_error("netlink: uv_poll_init: %s", uv_strerror(rc));
		goto err;
	}
	nl->req_poll.data = nl;
	if ((rc = uv_poll_init(loop, &nl->ev_poll, mnl_socket_get_fd(nl->ev)))) {
		log_error("netlink: uv_poll_init: %s", uv_strerror(rc));
		/* The first handle is in the loop now: its close callback
		 * frees nl when the loop runs next. */
		nl->open_handles = 1;
		uv_close((uv_handle_t *)&nl->req_poll, on_closed);
		return rc;
	}
	uv_check_init(loop, &nl->check);
	uv_idle_init(loop, &nl->idle);
	nl->req_poll.data = nl->ev_poll.data = nl->check.data = nl->idle.data = nl;
	nl->handles = true;
	uv_poll_start(&nl->req_poll, UV_READABLE, on_request);
	uv_poll_start(&nl->ev_poll, UV_READABLE, on_event);
	log_debug("netlink: %zu interfaces, %zu addresses", nl->n_if, nl->n_addr);
	*out = nl;
	return 0;
err:
	nl_free(nl);
	return rc ? rc : -EIO;
}

static void on_closed(uv_handle_t *h)
{
	struct vrrp_nl *nl = h->data;

	if (--nl->open_handles == 0)
		nl_free(nl);
}

/*
 * Sends what is still queued and waits up to NL_CLOSE_WAIT_MS for the ACKs
 * (done callbacks run for those); requests still unanswered then get
 * done(-ECANCELED). The handles are closed with uv_close, so the memory is
 * released by the close callbacks: the loop must run once more (uv_run with
 * UV_RUN_DEFAULT or NOWAIT) after vrrp_nl_close.
 */
void vrrp_nl_close(struct vrrp_nl *nl)
{
	if (!nl || nl->closing)
		return;
	vrrp_nl_flush(nl);
	read_acks(nl, NL_CLOSE_WAIT_MS);
	nl->closing = true;
	sched_stop(nl);
	/* Anything unanswered or queued by the callbacks above is dropped,
	 * and reported. */
	fail_outstanding(nl, false, -ECANCELED);
	nl->qlen = 0;
	nl->nsubs = 0;
	if (!nl->handles) {
		nl_free(nl);
		return;
	}
	nl->open_handles = 4;
	uv_close((uv_handle_t *)&nl->req_poll, on_closed);
	uv_close((uv_handle_t *)&nl->ev_poll, on_closed);
	uv_close((uv_handle_t *)&nl->check, on_closed);
	uv_close((uv_handle_t *)&nl->idle, on_closed);
}
