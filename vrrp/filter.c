/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * no_accept filtering: our own nftables table, and optionally ipsets.
 *
 * nftables: every change is one netfilter batch (NFNL_MSG_BATCH_BEGIN ..
 * END), so the kernel applies it whole or not at all. The batch builder is
 * pure (bytes out, no socket) and unit-tested; the socket part sends it and
 * reads one ack per command (NLM_F_ACK), which the kernel has queued by the
 * time sendto returns, so the acks are read without blocking.
 *
 *	table inet <name> {
 *		set vips4 { type ipv4_addr; }
 *		set vips6 { type ipv6_addr; }
 *		chain input {
 *			type filter hook input priority <prio>; policy accept;
 *			ip daddr @vips4 [counter] drop
 *			ip6 daddr @vips6 [counter] drop
 *		}
 *	}
 *
 * ipsets (libipset): hash:ip sets, one per family, whose content we keep
 * equal to the same addresses by adding what is missing and deleting what
 * is extra, against our record of what we put in (the sets are flushed at
 * open, so the record starts true).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h> /* before the kernel's headers, which then defer to it */
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libipset/data.h>
#include <libipset/session.h>
#include <libipset/types.h>

#include "lib/log.h"
#include "vrrp/filter.h"

/* From linux/netfilter.h, which clashes with libipset's own copies of its
 * NFPROTO_* and nf_inet_addr (both cannot be included in one file). */
#define FILTER_NFPROTO_INET 1
#define FILTER_NF_DROP 0
#define FILTER_NF_ACCEPT 1
#define FILTER_NF_INET_LOCAL_IN 1

#define FILTER_DEFAULT_TABLE "vigil"
#define FILTER_SET4 "vips4"
#define FILTER_SET6 "vips6"
#define FILTER_CHAIN "input"
#define FILTER_SET4_ID 1
#define FILTER_SET6_ID 2
/* nftables data types (nft's datatype ids, also the kernel's KEY_TYPE). */
#define FILTER_TYPE_IPADDR 7
#define FILTER_TYPE_IP6ADDR 8
/* Elements per NEWSETELEM message, to stay well inside one page. */
#define FILTER_ELEMS_PER_MSG 128
/* Room reserved before building one message (bigger than any we build). */
#define FILTER_MSG_ROOM 16384
#define FILTER_NAME_MAX 64 /* NFT_NAME_MAXLEN incl. NUL / IPSET_MAXNAMELEN is 32 */

/* ---------------------------------------------------------------- batch (pure) */

enum filter_op { FILTER_OP_CREATE, FILTER_OP_SET, FILTER_OP_DELETE };

struct filter_batch {
	uint8_t *buf;
	size_t len, cap;
	uint32_t seq0, seq; /* first and next sequence number */
	unsigned ncmd;	    /* command messages (each asks for an ack) */
	const char **what;  /* what[seq - seq0]: a description for errors */
	size_t what_cap;
};

static void filter_batch_free(struct filter_batch *b)
{
	free(b->buf);
	free(b->what);
	memset(b, 0, sizeof(*b));
}

/* Room for one more message; returns where it starts, or NULL. */
static char *batch_reserve(struct filter_batch *b)
{
	uint8_t *nb;
	size_t ncap;

	if (b->cap - b->len < FILTER_MSG_ROOM) {
		ncap = b->cap ? b->cap * 2 : 4 * FILTER_MSG_ROOM;
		while (ncap - b->len < FILTER_MSG_ROOM)
			ncap *= 2;
		nb = realloc(b->buf, ncap);
		if (!nb)
			return NULL;
		/* Headers are built in place with mnl_attr_put, which does not
		 * bound-check: zero the room so padding bytes are defined. */
		memset(nb + b->len, 0, ncap - b->len);
		b->buf = nb;
		b->cap = ncap;
	}
	return (char *)b->buf + b->len;
}

static void batch_commit(struct filter_batch *b, struct nlmsghdr *nlh)
{
	b->len += MNL_ALIGN(nlh->nlmsg_len);
}

/* Header of a command message; records what it does for error reports. */
static struct nlmsghdr *batch_cmd(struct filter_batch *b, uint16_t type, uint16_t flags,
				  const char *what)
{
	const char **nw;
	char *p = batch_reserve(b);
	size_t i = b->seq - b->seq0;

	if (!p)
		return NULL;
	if (i >= b->what_cap) {
		nw = realloc(b->what, (b->what_cap ? b->what_cap * 2 : 16) * sizeof(*nw));
		if (!nw)
			return NULL;
		b->what = nw;
		b->what_cap = b->what_cap ? b->what_cap * 2 : 16;
	}
	b->what[i] = what;
	b->ncmd++;
	return nftnl_nlmsg_build_hdr(p, type, FILTER_NFPROTO_INET, flags | NLM_F_ACK, b->seq++);
}

static int put_table(struct filter_batch *b, uint16_t type, uint16_t flags, const char *table,
		     const char *what)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, FILTER_NFPROTO_INET);
	nlh = batch_cmd(b, type, flags, what);
	if (nlh) {
		nftnl_table_nlmsg_build_payload(nlh, t);
		batch_commit(b, nlh);
	}
	nftnl_table_free(t);
	return nlh ? 0 : -ENOMEM;
}

static int put_set(struct filter_batch *b, const char *table, const char *name, uint32_t id,
		   uint32_t key_type, uint32_t key_len, const char *what)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;

	if (!s)
		return -ENOMEM;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, FILTER_NFPROTO_INET);
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, key_len);
	nlh = batch_cmd(b, NFT_MSG_NEWSET, NLM_F_CREATE | NLM_F_EXCL, what);
	if (nlh) {
		nftnl_set_nlmsg_build_payload(nlh, s);
		batch_commit(b, nlh);
	}
	nftnl_set_free(s);
	return nlh ? 0 : -ENOMEM;
}

static int put_chain(struct filter_batch *b, const char *table, int prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, FILTER_CHAIN);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, FILTER_NFPROTO_INET);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, FILTER_NF_INET_LOCAL_IN);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, FILTER_NF_ACCEPT);
	nlh = batch_cmd(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL, "add chain input");
	if (nlh) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		batch_commit(b, nlh);
	}
	nftnl_chain_free(c);
	return nlh ? 0 : -ENOMEM;
}

static struct nftnl_expr *expr_new(struct nftnl_rule *r, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (e)
		nftnl_rule_add_expr(r, e);
	return e;
}

/* meta nfproto == proto; payload daddr -> reg 1; lookup @set; [counter]; drop */
static int put_drop_rule(struct filter_batch *b, const char *table, bool v6, bool counters)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e;
	struct nlmsghdr *nlh;
	uint8_t proto = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	int err = -ENOMEM;

	if (!r)
		return -ENOMEM;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, FILTER_CHAIN);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, FILTER_NFPROTO_INET);

	if (!(e = expr_new(r, "meta")))
		goto out;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_NFPROTO);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	if (!(e = expr_new(r, "cmp")))
		goto out;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, &proto, sizeof(proto));
	if (!(e = expr_new(r, "payload")))
		goto out;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER);
	/* destination address: IPv4 header offset 16, IPv6 header offset 24 */
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, v6 ? 24 : 16);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, v6 ? 16 : 4);
	if (!(e = expr_new(r, "lookup")))
		goto out;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, v6 ? FILTER_SET6 : FILTER_SET4);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, v6 ? FILTER_SET6_ID : FILTER_SET4_ID);
	if (counters && !expr_new(r, "counter"))
		goto out;
	if (!(e = expr_new(r, "immediate")))
		goto out;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, FILTER_NF_DROP);

	nlh = batch_cmd(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
			v6 ? "add rule ip6 daddr @vips6 drop" : "add rule ip daddr @vips4 drop");
	if (nlh) {
		nftnl_rule_nlmsg_build_payload(nlh, r);
		batch_commit(b, nlh);
		err = 0;
	}
out:
	nftnl_rule_free(r);
	return err;
}

/* DELSETELEM without an element list: the kernel flushes the set. Built by
 * hand because libnftnl always adds an (empty) element list. */
static int put_flush(struct filter_batch *b, const char *table, const char *set, const char *what)
{
	struct nlmsghdr *nlh = batch_cmd(b, NFT_MSG_DELSETELEM, 0, what);

	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
	batch_commit(b, nlh);
	return 0;
}

static int put_elems(struct filter_batch *b, const char *table, int family,
		     const struct conf_addr *addrs, unsigned n, const char *what)
{
	const char *set = family == AF_INET6 ? FILTER_SET6 : FILTER_SET4;
	struct nftnl_set *s = NULL;
	struct nftnl_set_elem *e;
	struct nlmsghdr *nlh;
	unsigned i, in_msg = 0;

	for (i = 0; i <= n; i++) {
		if (s && (i == n || in_msg == FILTER_ELEMS_PER_MSG)) {
			nlh = batch_cmd(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE, what);
			if (!nlh)
				goto nomem;
			nftnl_set_elems_nlmsg_build_payload(nlh, s);
			batch_commit(b, nlh);
			nftnl_set_free(s);
			s = NULL;
			in_msg = 0;
		}
		if (i == n)
			break;
		if (addrs[i].family != family)
			continue;
		if (!s) {
			s = nftnl_set_alloc();
			if (!s)
				goto nomem;
			nftnl_set_set_str(s, NFTNL_SET_TABLE, table);
			nftnl_set_set_str(s, NFTNL_SET_NAME, set);
			nftnl_set_set_u32(s, NFTNL_SET_FAMILY, FILTER_NFPROTO_INET);
		}
		e = nftnl_set_elem_alloc();
		if (!e)
			goto nomem;
		if (family == AF_INET6)
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &addrs[i].u.v6, 16);
		else
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &addrs[i].u.v4, 4);
		nftnl_set_elem_add(s, e);
		in_msg++;
	}
	return 0;
nomem:
	if (s)
		nftnl_set_free(s);
	return -ENOMEM;
}

/*
 * Build one whole batch for op. CREATE starts from a clean slate: add the
 * table (so it exists), delete it (with whatever a previous run left in it)
 * and add it again, all in the same transaction. Returns 0 or -errno; the
 * caller frees b with filter_batch_free.
 */
static int filter_nft_batch(struct filter_batch *b, enum filter_op op, const char *table, int prio,
			    bool counters, const struct conf_addr *addrs, unsigned n, uint32_t seq)
{
	struct nlmsghdr *nlh;
	char *p;
	int err = 0;

	memset(b, 0, sizeof(*b));
	b->seq0 = b->seq = seq;
	if (!table || !*table || strlen(table) >= FILTER_NAME_MAX || (n && !addrs))
		return -EINVAL;
	if (!(p = batch_reserve(b)))
		return -ENOMEM;
	nlh = nftnl_batch_begin(p, b->seq);
	nlh->nlmsg_seq = b->seq++; /* some libnftnl versions leave it 0 */
	batch_commit(b, nlh);
	b->seq0 = b->seq;

	switch (op) {
	case FILTER_OP_CREATE:
		err = put_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE, table, "add table");
		if (!err)
			err = put_table(b, NFT_MSG_DELTABLE, 0, table, "delete old table");
		if (!err)
			err = put_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL, table,
					"add table");
		if (!err)
			err = put_set(b, table, FILTER_SET4, FILTER_SET4_ID, FILTER_TYPE_IPADDR, 4,
				      "add set vips4");
		if (!err)
			err = put_set(b, table, FILTER_SET6, FILTER_SET6_ID, FILTER_TYPE_IP6ADDR,
				      16, "add set vips6");
		if (!err)
			err = put_chain(b, table, prio);
		if (!err)
			err = put_drop_rule(b, table, false, counters);
		if (!err)
			err = put_drop_rule(b, table, true, counters);
		break;
	case FILTER_OP_SET:
		err = put_flush(b, table, FILTER_SET4, "flush set vips4");
		if (!err)
			err = put_flush(b, table, FILTER_SET6, "flush set vips6");
		if (!err)
			err = put_elems(b, table, AF_INET, addrs, n, "add element to vips4");
		if (!err)
			err = put_elems(b, table, AF_INET6, addrs, n, "add element to vips6");
		break;
	case FILTER_OP_DELETE:
		err = put_table(b, NFT_MSG_DELTABLE, 0, table, "delete table");
		break;
	default:
		err = -EINVAL;
	}
	if (!err) {
		if ((p = batch_reserve(b))) {
			nlh = nftnl_batch_end(p, b->seq);
			nlh->nlmsg_seq = b->seq;
			batch_commit(b, nlh);
		} else {
			err = -ENOMEM;
		}
	}
	if (err)
		filter_batch_free(b);
	return err;
}

/* ---------------------------------------------------------------- ipsets */

struct filter_ipset {
	char name[FILTER_NAME_MAX];
	int family; /* AF_INET / AF_INET6 */
	bool created;
	struct conf_addr *have; /* what we put in */
	unsigned nhave;
};

struct vrrp_filter {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char table[FILTER_NAME_MAX];
	int prio;
	bool counters;

	struct ipset_session *ips;
	struct filter_ipset sets[2];
	unsigned nsets;
};

/* libipset wants somewhere to print list output; we never list. */
static int ipset_quiet_out(struct ipset_session *s, void *p, const char *fmt, ...)
{
	(void)s;
	(void)p;
	(void)fmt;
	return 0;
}

/* The session's last report, without libipset's trailing newline. */
static const char *ipset_msg(struct ipset_session *s)
{
	static char buf[512];
	const char *m = ipset_session_report_msg(s);
	size_t n;

	if (!m || !*m)
		return "unknown ipset error";
	snprintf(buf, sizeof(buf), "%s", m);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

/* One ipset command on set (with addr for ADD/DEL). Returns 0 or -1 with
 * the session's message left for the caller. */
static int ipset_do(struct ipset_session *s, enum ipset_cmd cmd, const struct filter_ipset *set,
		    const struct conf_addr *addr)
{
	const struct ipset_type *type;
	uint8_t family = set->family == AF_INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	int r;

	ipset_session_report_reset(s);
	ipset_data_reset(ipset_session_data(s));
	if (ipset_session_data_set(s, IPSET_SETNAME, set->name) < 0)
		return -1;
	switch (cmd) {
	case IPSET_CMD_CREATE:
		if (ipset_session_data_set(s, IPSET_OPT_TYPENAME, "hash:ip") < 0 ||
		    ipset_session_data_set(s, IPSET_OPT_FAMILY, &family) < 0)
			return -1;
		type = ipset_type_get(s, cmd);
		if (!type || ipset_session_data_set(s, IPSET_OPT_TYPE, type) < 0)
			return -1;
		break;
	case IPSET_CMD_ADD:
	case IPSET_CMD_DEL:
		type = ipset_type_get(s, cmd); /* asks the kernel for the set's type */
		if (!type)
			return -1;
		if (ipset_session_data_set(s, IPSET_OPT_FAMILY, &family) < 0 ||
		    ipset_session_data_set(s, IPSET_OPT_IP, &addr->u) < 0)
			return -1;
		break;
	default:
		break;
	}
	r = ipset_cmd(s, cmd, 0);
	return r < 0 ? -1 : 0;
}

static bool ipset_exists(struct ipset_session *s, const struct filter_ipset *set)
{
	return ipset_do(s, IPSET_CMD_HEADER, set, NULL) == 0;
}

static int filter_ipsets_open(struct vrrp_filter *f, const struct conf_global *g)
{
	static bool types_loaded;
	const struct conf_strlist *names = &g->vrrp_ipsets_names;
	struct filter_ipset *set;
	unsigned i;
	int n;

	if (!types_loaded) {
		ipset_load_types();
		types_loaded = true;
	}
	f->ips = ipset_session_init(ipset_quiet_out, NULL);
	if (!f->ips) {
		log_error("%s: ipset session: %s", __func__, strerror(errno ? errno : ENOMEM));
		return -ENOMEM;
	}
	/* Names as keepalived: the first for IPv4, the second for IPv6 (by
	 * default the first with "6" appended); the others (interface and
	 * IGMP/MLD sets) are not used by vigil. */
	n = snprintf(f->sets[0].name, sizeof(f->sets[0].name), "%s",
		     names->n > 0 ? names->v[0] : "vigil");
	if (n < 0 || n >= IPSET_MAXNAMELEN)
		goto toolong;
	if (names->n > 1)
		n = snprintf(f->sets[1].name, sizeof(f->sets[1].name), "%s", names->v[1]);
	else
		n = snprintf(f->sets[1].name, sizeof(f->sets[1].name), "%s6", f->sets[0].name);
	if (n < 0 || n >= IPSET_MAXNAMELEN)
		goto toolong;
	f->sets[0].family = AF_INET;
	f->sets[1].family = AF_INET6;
	f->nsets = 2;

	for (i = 0; i < f->nsets; i++) {
		set = &f->sets[i];
		if (ipset_exists(f->ips, set)) {
			/* Somebody's (an earlier run's, an operator's): keep it,
			 * but make its content ours. */
			if (ipset_do(f->ips, IPSET_CMD_FLUSH, set, NULL) < 0) {
				log_error("%s: ipset flush %s: %s", __func__, set->name,
					  ipset_msg(f->ips));
				return -EIO;
			}
			continue;
		}
		if (ipset_do(f->ips, IPSET_CMD_CREATE, set, NULL) < 0) {
			log_error("%s: ipset create %s hash:ip: %s", __func__, set->name,
				  ipset_msg(f->ips));
			return -EIO;
		}
		set->created = true;
	}
	return 0;
toolong:
	log_error("%s: ipset name too long (at most %d bytes)", __func__, IPSET_MAXNAMELEN - 1);
	return -ENAMETOOLONG;
}

static bool addr_in(const struct conf_addr *a, const struct conf_addr *v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (v[i].family == a->family &&
		    !memcmp(&v[i].u, &a->u, a->family == AF_INET6 ? 16 : 4))
			return true;
	return false;
}

static int filter_ipsets_set(struct vrrp_filter *f, const struct conf_addr *addrs, unsigned n)
{
	struct filter_ipset *set;
	struct conf_addr *nhave;
	unsigned i, j, k;
	int err = 0;

	for (k = 0; k < f->nsets; k++) {
		set = &f->sets[k];
		for (i = 0; i < set->nhave; i++) {
			if (addr_in(&set->have[i], addrs, n))
				continue;
			if (ipset_do(f->ips, IPSET_CMD_DEL, set, &set->have[i]) < 0) {
				log_error("%s: ipset del %s: %s", __func__, set->name,
					  ipset_msg(f->ips));
				err = -EIO;
			}
		}
		nhave = calloc(n ? n : 1, sizeof(*nhave));
		if (!nhave)
			return -ENOMEM;
		j = 0;
		for (i = 0; i < n; i++) {
			if (addrs[i].family != set->family || addr_in(&addrs[i], nhave, j))
				continue;
			if (!addr_in(&addrs[i], set->have, set->nhave) &&
			    ipset_do(f->ips, IPSET_CMD_ADD, set, &addrs[i]) < 0) {
				log_error("%s: ipset add %s: %s", __func__, set->name,
					  ipset_msg(f->ips));
				err = -EIO;
				continue;
			}
			nhave[j++] = addrs[i];
		}
		free(set->have);
		set->have = nhave;
		set->nhave = j;
	}
	return err;
}

static void filter_ipsets_close(struct vrrp_filter *f)
{
	struct filter_ipset *set;
	unsigned k;

	if (!f->ips)
		return;
	for (k = 0; k < f->nsets; k++) {
		set = &f->sets[k];
		if (set->created) {
			if (ipset_do(f->ips, IPSET_CMD_DESTROY, set, NULL) < 0)
				log_error("%s: ipset destroy %s: %s", __func__, set->name,
					  ipset_msg(f->ips));
		} else if (set->nhave) {
			/* Not ours: only take our addresses out. */
			filter_ipsets_set(f, NULL, 0);
		}
		free(set->have);
		set->have = NULL;
		set->nhave = 0;
	}
	ipset_session_fini(f->ips);
	f->ips = NULL;
}

/* ---------------------------------------------------------------- netlink */

/* The text of an extended ack (NLMSGERR_ATTR_MSG), if any. */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return NULL;
	mnl_attr_for_each_payload((const void *)((const char *)e + off),
				  mnl_nlmsg_get_payload_len(nlh) - off)
	{
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

/* Send one batch and read its acks. Returns 0 or the first command's
 * -errno, logged with what the command was and the kernel's words. */
static int filter_send(struct vrrp_filter *f, struct filter_batch *b, const char *ctx)
{
	static uint8_t rbuf[65536];
	unsigned acks = 0;
	int first_err = 0;
	ssize_t r;

	r = mnl_socket_sendto(f->nl, b->buf, b->len);
	if (r < 0) {
		first_err = -errno;
		log_error("nftables %s (table inet %s): send: %s", ctx, f->table, strerror(errno));
		return first_err;
	}
	/* nfnetlink runs the batch inside sendto: every ack is queued now. */
	while (acks < b->ncmd) {
		struct nlmsghdr *nlh;
		int len;

		r = recv(mnl_socket_get_fd(f->nl), rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			if (errno == EAGAIN && first_err)
				break; /* the kernel stopped acking after the error */
			log_error("nftables %s (table inet %s): reading acks: %s", ctx, f->table,
				  errno == EAGAIN ? "missing acks" : strerror(errno));
			return first_err ? first_err : -(errno == EAGAIN ? EPROTO : errno);
		}
		len = (int)r;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			uint32_t i;

			if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_pid != f->portid)
				continue;
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			i = nlh->nlmsg_seq - b->seq0;
			if (i >= b->ncmd)
				continue; /* not ours (an older batch) */
			acks++;
			if (e->error == 0 || first_err)
				continue;
			first_err = e->error < 0 ? e->error : -EPROTO;
			log_error("nftables %s (table inet %s): %s: %s%s%s", ctx, f->table,
				  b->what[i], strerror(-first_err), extack_msg(nlh) ? ": " : "",
				  extack_msg(nlh) ? extack_msg(nlh) : "");
		}
	}
	return first_err;
}

static int filter_run(struct vrrp_filter *f, enum filter_op op, const struct conf_addr *addrs,
		      unsigned n, const char *ctx)
{
	struct filter_batch b;
	int err;

	err = filter_nft_batch(&b, op, f->table, f->prio, f->counters, addrs, n, f->seq);
	if (err < 0) {
		log_error("nftables %s (table inet %s): %s", ctx, f->table, strerror(-err));
		return err;
	}
	f->seq = b.seq + 1;
	err = filter_send(f, &b, ctx);
	filter_batch_free(&b);
	return err;
}

static void filter_free(struct vrrp_filter *f)
{
	filter_ipsets_close(f);
	if (f->nl)
		mnl_socket_close(f->nl);
	free(f);
}

int vrrp_filter_open(const struct conf_global *g, struct vrrp_filter **out)
{
	struct vrrp_filter *f;
	const char *table;
	int one = 1, size = 4 << 20, err;

	if (!g || !out)
		return -EINVAL;
	*out = NULL;
	table = g->nftables && *g->nftables ? g->nftables : FILTER_DEFAULT_TABLE;
	if (strlen(table) >= FILTER_NAME_MAX) {
		log_error("%s: nftables table name '%s' too long", __func__, table);
		return -ENAMETOOLONG;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	strcpy(f->table, table);
	f->prio = g->nftables_priority;
	f->counters = g->nftables_counters;
	f->seq = (uint32_t)time(NULL);

	f->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!f->nl || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		log_error("%s: netfilter netlink socket: %s", __func__, strerror(errno));
		goto fail;
	}
	f->portid = mnl_socket_get_portid(f->nl);
	/* Best effort: a precise kernel message, acks without our payload, and
	 * buffers for big element batches (FORCE works with CAP_NET_ADMIN). */
	mnl_socket_setsockopt(f->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(f->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) <
	    0)
		setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) <
	    0)
		setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));

	err = filter_run(f, FILTER_OP_CREATE, NULL, 0, "create");
	if (err < 0)
		goto fail;
	if (g->vrrp_ipsets) {
		err = filter_ipsets_open(f, g);
		if (err < 0) {
			filter_run(f, FILTER_OP_DELETE, NULL, 0, "delete");
			goto fail;
		}
	}
	log_info("no_accept filter: nftables table inet %s (input priority %d)%s%s%s%s", f->table,
		 f->prio, f->nsets ? ", ipsets " : "", f->nsets ? f->sets[0].name : "",
		 f->nsets ? " and " : "", f->nsets ? f->sets[1].name : "");
	*out = f;
	return 0;
fail:
	filter_free(f);
	return err;
}

int vrrp_filter_set(struct vrrp_filter *f, const struct conf_addr *addrs, unsigned n)
{
	int err, err2 = 0;

	if (!f || (n && !addrs))
		return -EINVAL;
	err = filter_run(f, FILTER_OP_SET, addrs, n, "set");
	if (f->ips)
		err2 = filter_ipsets_set(f, addrs, n);
	return err < 0 ? err : err2;
}

void vrrp_filter_close(struct vrrp_filter *f)
{
	if (!f)
		return;
	filter_run(f, FILTER_OP_DELETE, NULL, 0, "delete");
	filter_free(f);
}
