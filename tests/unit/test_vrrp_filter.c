/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/filter, the pure part: the nftables batches (create, set, delete)
 * built without a socket, walked message by message and parsed back with
 * libnftnl. The file under test is included so its static builder is
 * reachable without widening vrrp/filter.h; the kernel side is covered by
 * tests/net/t-vrrp-filter.sh.
 */
#include "vrrp/filter.c"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#define NFT_TYPE(m) ((NFNL_SUBSYS_NFTABLES << 8) | (m))

/* The messages of a batch, in order, checked to tile the buffer exactly. */
static unsigned split(const struct filter_batch *b, const struct nlmsghdr **msgs, unsigned max)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)b->buf;
	int len = (int)b->len;
	unsigned n = 0;

	while (mnl_nlmsg_ok(nlh, len)) {
		assert_true(n < max);
		msgs[n++] = nlh;
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	assert_int_equal(len, 0);
	return n;
}

static void check_envelope(const struct filter_batch *b, const struct nlmsghdr **m, unsigned n,
			   uint32_t seq)
{
	unsigned i;

	assert_true(n >= 2);
	assert_int_equal(m[0]->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
	assert_int_equal(m[0]->nlmsg_seq, seq);
	assert_int_equal(m[n - 1]->nlmsg_type, NFNL_MSG_BATCH_END);
	assert_int_equal(b->ncmd, n - 2);
	assert_int_equal(b->seq0, seq + 1);
	for (i = 1; i + 1 < n; i++) {
		const struct nfgenmsg *g = mnl_nlmsg_get_payload(m[i]);

		assert_int_equal(m[i]->nlmsg_seq, seq + i); /* acks map back to commands */
		assert_true(m[i]->nlmsg_flags & NLM_F_REQUEST);
		assert_true(m[i]->nlmsg_flags & NLM_F_ACK);
		assert_int_equal(g->nfgen_family, 1 /* NFPROTO_INET */);
		assert_non_null(b->what[i - 1]);
	}
	assert_int_equal(m[n - 1]->nlmsg_seq, seq + n - 1);
}

static void test_create_batch(void **state)
{
	static const uint16_t want[] = {
		NFT_MSG_NEWTABLE, NFT_MSG_DELTABLE, NFT_MSG_NEWTABLE, NFT_MSG_NEWSET,
		NFT_MSG_NEWSET,	  NFT_MSG_NEWCHAIN, NFT_MSG_NEWRULE,  NFT_MSG_NEWRULE,
	};
	const struct nlmsghdr *m[16];
	struct filter_batch b;
	struct nftnl_table *t;
	struct nftnl_set *s;
	struct nftnl_chain *c;
	struct nftnl_rule *r;
	unsigned n, i;

	(void)state;
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_CREATE, "vigil", -7, true, NULL, 0, 100),
			 0);
	n = split(&b, m, 16);
	assert_int_equal(n, 10);
	check_envelope(&b, m, n, 100);
	for (i = 0; i < 8; i++)
		assert_int_equal(m[i + 1]->nlmsg_type, NFT_TYPE(want[i]));

	/* add / delete / add: the last add is exclusive, the first is not. */
	assert_false(m[1]->nlmsg_flags & NLM_F_EXCL);
	assert_true(m[3]->nlmsg_flags & NLM_F_EXCL);
	t = nftnl_table_alloc();
	assert_int_equal(nftnl_table_nlmsg_parse(m[3], t), 0);
	assert_string_equal(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "vigil");
	nftnl_table_free(t);

	for (i = 4; i <= 5; i++) {
		s = nftnl_set_alloc();
		assert_int_equal(nftnl_set_nlmsg_parse(m[i], s), 0);
		assert_string_equal(nftnl_set_get_str(s, NFTNL_SET_TABLE), "vigil");
		assert_string_equal(nftnl_set_get_str(s, NFTNL_SET_NAME),
				    i == 4 ? "vips4" : "vips6");
		assert_int_equal(nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE), i == 4 ? 7 : 8);
		assert_int_equal(nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN), i == 4 ? 4 : 16);
		nftnl_set_free(s);
	}

	c = nftnl_chain_alloc();
	assert_int_equal(nftnl_chain_nlmsg_parse(m[6], c), 0);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "input");
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "filter");
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), 1 /* NF_INET_LOCAL_IN */);
	assert_int_equal(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), -7);
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY), 1 /* NF_ACCEPT */);
	nftnl_chain_free(c);

	/* meta, cmp, payload, lookup, counter, immediate */
	for (i = 7; i <= 8; i++) {
		struct nftnl_expr_iter *it;
		struct nftnl_expr *e;
		const char *names[8];
		unsigned k = 0;

		r = nftnl_rule_alloc();
		assert_int_equal(nftnl_rule_nlmsg_parse(m[i], r), 0);
		assert_string_equal(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), "input");
		it = nftnl_expr_iter_create(r);
		while ((e = nftnl_expr_iter_next(it)) && k < 8) {
			names[k++] = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
			if (!strcmp(names[k - 1], "lookup"))
				assert_string_equal(nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET),
						    i == 7 ? "vips4" : "vips6");
			if (!strcmp(names[k - 1], "payload")) {
				assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET),
						 i == 7 ? 16 : 24);
				assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN),
						 i == 7 ? 4 : 16);
			}
			if (!strcmp(names[k - 1], "immediate"))
				assert_int_equal(nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT),
						 0 /* NF_DROP */);
		}
		nftnl_expr_iter_destroy(it);
		assert_int_equal(k, 6);
		assert_string_equal(names[0], "meta");
		assert_string_equal(names[1], "cmp");
		assert_string_equal(names[2], "payload");
		assert_string_equal(names[3], "lookup");
		assert_string_equal(names[4], "counter");
		assert_string_equal(names[5], "immediate");
		nftnl_rule_free(r);
	}
	filter_batch_free(&b);

	/* Without counters the rule has no counter expression. */
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_CREATE, "t", -1, false, NULL, 0, 1), 0);
	n = split(&b, m, 16);
	r = nftnl_rule_alloc();
	assert_int_equal(nftnl_rule_nlmsg_parse(m[7], r), 0);
	{
		struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
		struct nftnl_expr *e;
		unsigned k = 0;

		while ((e = nftnl_expr_iter_next(it))) {
			assert_string_not_equal(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter");
			k++;
		}
		nftnl_expr_iter_destroy(it);
		assert_int_equal(k, 5);
	}
	nftnl_rule_free(r);
	filter_batch_free(&b);
}

/* Walks NEWSETELEM by hand (libnftnl 1.2.4's parser gives up on lists of
 * more than one element, see below): set and table names, then every
 * ELEMENTS/LIST_ELEM/KEY/DATA_VALUE must be one of want. */
static int count_elems(const struct nlmsghdr *nlh, const char *set, int family,
		       const struct conf_addr *want, unsigned nwant)
{
	const struct nlattr *attr, *elem, *key, *val;
	bool saw_set = false, saw_table = false;
	int n = 0;

	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg))
	{
		switch (mnl_attr_get_type(attr)) {
		case NFTA_SET_ELEM_LIST_SET:
			assert_string_equal(mnl_attr_get_str(attr), set);
			saw_set = true;
			break;
		case NFTA_SET_ELEM_LIST_TABLE:
			assert_string_equal(mnl_attr_get_str(attr), "vigil");
			saw_table = true;
			break;
		case NFTA_SET_ELEM_LIST_ELEMENTS:
			mnl_attr_for_each_nested(elem, attr)
			{
				bool found = false;

				/* libnftnl numbers the element nests 1, 2, ...; the
				 * kernel ignores their type (and libnftnl's own parser
				 * wants 1, hence this walk). */
				assert_true(mnl_attr_get_type(elem) >= NFTA_LIST_ELEM);
				mnl_attr_for_each_nested(key, elem)
				{
					if (mnl_attr_get_type(key) != NFTA_SET_ELEM_KEY)
						continue;
					mnl_attr_for_each_nested(val, key)
					{
						struct conf_addr a;

						assert_int_equal(mnl_attr_get_type(val),
								 NFTA_DATA_VALUE);
						assert_int_equal(mnl_attr_get_payload_len(val),
								 family == AF_INET6 ? 16 : 4);
						memset(&a, 0, sizeof(a));
						a.family = (sa_family_t)family;
						memcpy(&a.u, mnl_attr_get_payload(val),
						       mnl_attr_get_payload_len(val));
						assert_true(addr_in(&a, want, nwant));
						found = true;
					}
				}
				assert_true(found);
				n++;
			}
			break;
		default:
			break;
		}
	}
	assert_true(saw_set);
	assert_true(saw_table);
	return n;
}

static void test_set_batch(void **state)
{
	struct conf_addr addrs[303];
	const struct nlmsghdr *m[16];
	struct filter_batch b;
	unsigned n, i, total;

	(void)state;
	/* 300 IPv4 (three messages: 128 + 128 + 44) and 3 IPv6 */
	memset(addrs, 0, sizeof(addrs));
	for (i = 0; i < 300; i++) {
		addrs[i].family = AF_INET;
		addrs[i].u.v4.s_addr = htonl(0xc6120000u + i);
	}
	for (i = 300; i < 303; i++) {
		addrs[i].family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, "fd00:198:18::10", &addrs[i].u.v6), 1);
		addrs[i].u.v6.s6_addr[15] = (uint8_t)i;
	}
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_SET, "vigil", -1, false, addrs, 303, 7), 0);
	n = split(&b, m, 16);
	assert_int_equal(n, 2 + 2 + 3 + 1);
	check_envelope(&b, m, n, 7);

	/* The flushes carry no element list: that is what makes them a flush. */
	for (i = 1; i <= 2; i++) {
		const struct nlattr *attr;
		bool has_elems = false;

		assert_int_equal(m[i]->nlmsg_type, NFT_TYPE(NFT_MSG_DELSETELEM));
		mnl_attr_for_each(attr, m[i], sizeof(struct nfgenmsg))
		{
			if (mnl_attr_get_type(attr) == NFTA_SET_ELEM_LIST_ELEMENTS)
				has_elems = true;
			if (mnl_attr_get_type(attr) == NFTA_SET_ELEM_LIST_SET)
				assert_string_equal(mnl_attr_get_str(attr),
						    i == 1 ? "vips4" : "vips6");
		}
		assert_false(has_elems);
	}
	total = 0;
	for (i = 3; i <= 5; i++) {
		assert_int_equal(m[i]->nlmsg_type, NFT_TYPE(NFT_MSG_NEWSETELEM));
		total += (unsigned)count_elems(m[i], "vips4", AF_INET, addrs, 300);
	}
	assert_int_equal(total, 300);
	assert_int_equal(m[6]->nlmsg_type, NFT_TYPE(NFT_MSG_NEWSETELEM));
	assert_int_equal(count_elems(m[6], "vips6", AF_INET6, addrs + 300, 3), 3);
	filter_batch_free(&b);

	/* An empty list is only the two flushes. */
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_SET, "vigil", -1, false, NULL, 0, 1), 0);
	n = split(&b, m, 16);
	assert_int_equal(n, 4);
	filter_batch_free(&b);

	/* Unset addresses are skipped, not sent. */
	memset(addrs, 0, sizeof(addrs[0]));
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_SET, "vigil", -1, false, addrs, 1, 1), 0);
	n = split(&b, m, 16);
	assert_int_equal(n, 4);
	filter_batch_free(&b);
}

static void test_delete_batch(void **state)
{
	const struct nlmsghdr *m[4];
	struct filter_batch b;
	struct nftnl_table *t;

	(void)state;
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_DELETE, "vigil", -1, false, NULL, 0, 1), 0);
	assert_int_equal(split(&b, m, 4), 3);
	assert_int_equal(m[1]->nlmsg_type, NFT_TYPE(NFT_MSG_DELTABLE));
	t = nftnl_table_alloc();
	assert_int_equal(nftnl_table_nlmsg_parse(m[1], t), 0);
	assert_string_equal(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "vigil");
	nftnl_table_free(t);
	filter_batch_free(&b);
}

static void test_bad_input(void **state)
{
	char big[FILTER_NAME_MAX + 1];
	struct filter_batch b;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_CREATE, NULL, 0, false, NULL, 0, 1),
			 -EINVAL);
	assert_null(b.buf);
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_CREATE, "", 0, false, NULL, 0, 1), -EINVAL);
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_CREATE, big, 0, false, NULL, 0, 1),
			 -EINVAL);
	assert_int_equal(filter_nft_batch(&b, FILTER_OP_SET, "v", 0, false, NULL, 3, 1), -EINVAL);
	assert_int_equal(filter_nft_batch(&b, (enum filter_op)99, "v", 0, false, NULL, 0, 1),
			 -EINVAL);
	assert_null(b.buf);

	/* The public entry points refuse nonsense without touching the kernel. */
	assert_int_equal(vrrp_filter_open(NULL, NULL), -EINVAL);
	assert_int_equal(vrrp_filter_set(NULL, NULL, 0), -EINVAL);
	vrrp_filter_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_batch),
		cmocka_unit_test(test_set_batch),
		cmocka_unit_test(test_delete_batch),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
