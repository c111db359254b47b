/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The schema engine against a small private table, so these tests do not
 * depend on the real keyword tables. Statements are built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"
#include "conf/schema.h"

struct sub {
	struct conf_item hdr;
	int weight;
};

struct entry {
	struct conf_item hdr;
	struct conf_prefix pfx;
};

struct inl {
	char *pass;
};

struct obj {
	bool flag;
	int prio;
	unsigned count;
	uint64_t adv;
	char *name;
	int mode;
	struct conf_addr addr;
	struct conf_prefix pfx;
	uint16_t port;
	char *ifname;
	struct conf_strlist words;
	char *script;
	uint8_t mac[6];
	struct conf_list subs;
	struct conf_list entries;
	struct inl inl;
	int custom;
};

static const char *const modes[] = { "NAT", "DR", "TUN", NULL };

static const struct conf_kw sub_kws[] = {
	KW_INT("weight", struct sub, weight, -254, 254),
	KW_END,
};

static void sub_init(void *o)
{
	((struct sub *)o)->weight = 7;
}

static const struct conf_block sub_block = {
	.name = "sub", .size = sizeof(struct sub), .flags = CB_NAMED,
	.kws = sub_kws, .init = sub_init,
};

static const struct conf_kw entry_kws[] = {
	{ .name = "prefix", .type = CV_PREFIX, .off = offsetof(struct entry, pfx),
	  .flags = KW_DUMP_ONLY },
	KW_END,
};

static int entry_parse(struct conf_ctx *ctx, const struct conf_stmt *st, void *o,
		       const struct conf_kw *kw)
{
	struct entry *e = o;

	(void)kw;
	if (conf_want_args(ctx, st, 0, 0))
		return -1;
	st = st; /* the entry's only word is argv[0] */
	{
		const char *why;

		if (conf_parse_prefix(st->argv[0], AF_UNSPEC, &e->pfx, &why)) {
			conf_error(ctx, &st->loc, "'%s' %s", st->argv[0], why);
			return -1;
		}
	}
	return 0;
}

static const struct conf_block entry_block = {
	.name = "entries", .size = sizeof(struct entry), .kws = entry_kws, .entry = entry_parse,
};

static const struct conf_kw inl_kws[] = {
	KW_STR("pass", struct inl, pass),
	KW_END,
};

static void inl_init(void *o)
{
	((struct inl *)o)->pass = "default";
}

static const struct conf_block inl_block = {
	.name = "inl", .flags = CB_INLINE, .kws = inl_kws, .init = inl_init,
};

static int custom_parse(struct conf_ctx *ctx, const struct conf_stmt *st, void *o,
			const struct conf_kw *kw)
{
	(void)ctx;
	(void)kw;
	((struct obj *)o)->custom = (int)st->argc;
	return 0;
}

static void custom_dump(struct json *j, const void *o, const struct conf_kw *kw)
{
	(void)kw;
	json_int(j, ((const struct obj *)o)->custom);
}

static const struct conf_kw obj_kws[] = {
	KW_FLAG("flag", struct obj, flag),
	KW_INT("prio", struct obj, prio, 1, 255),
	{ KWF("priority_alias", struct obj, prio), .type = CV_INT, .min = 1, .max = 255,
	  .flags = KW_ALIAS },
	KW_UINT("count", struct obj, count, 0, 10),
	KW_TIMER("adv", struct obj, adv, 10000, 40950000),
	KW_STR("name", struct obj, name),
	KW_ENUM("mode", struct obj, mode, modes),
	KW_ADDR("addr", struct obj, addr, AF_INET),
	KW_PREFIX("pfx", struct obj, pfx, AF_UNSPEC),
	KW_PORT("port", struct obj, port),
	KW_IFNAME("ifname", struct obj, ifname),
	KW_STRLIST("words", struct obj, words, 1, 3),
	KW_REST("script", struct obj, script),
	KW_MAC("mac", struct obj, mac),
	KW_BLOCK("sub", struct obj, subs, &sub_block),
	KW_LIST("entries", struct obj, entries, &entry_block),
	KW_BLOCK("inl", struct obj, inl, &inl_block),
	KW_CUSTOM("custom", custom_parse, custom_dump),
	KW_UNSUPPORTED("bfd_thing", "BFD is not implemented"),
	KW_OBSOLETE("old_thing", "keepalived ignores it too"),
	KW_END,
};

static const struct conf_block obj_block = {
	.name = "obj", .size = sizeof(struct obj), .kws = obj_kws,
};

/* ---- building statements by hand ---- */

struct fixture {
	struct arena *arena;
	struct conf_ctx ctx;
	unsigned line;
};

static struct conf_stmt *mk(struct fixture *f, const char *words, bool block)
{
	struct conf_stmt *st = arena_alloc(f->arena, sizeof(*st));
	char *copy = arena_strdup(f->arena, words), *save = NULL, *w;

	st->argv = arena_alloc(f->arena, 16 * sizeof(char *));
	for (w = strtok_r(copy, " ", &save); w && st->argc < 15; w = strtok_r(NULL, " ", &save))
		st->argv[st->argc++] = w;
	st->loc.file = "t.conf";
	st->loc.line = ++f->line;
	st->has_block = block;
	return st;
}

static struct conf_stmt *chain(struct conf_stmt **v, unsigned n)
{
	unsigned i;

	for (i = 0; i + 1 < n; i++)
		v[i]->next = v[i + 1];
	return n ? v[0] : NULL;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->arena = arena_new();
	conf_ctx_init(&f->ctx, f->arena);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(f->arena);
	free(f);
	return 0;
}

static const char *msg(struct fixture *f, unsigned i)
{
	struct conf_msg *m = f->ctx.msgs;

	while (m && i--)
		m = m->next;
	return m ? m->text : "(none)";
}

static struct obj *new_obj(struct fixture *f)
{
	struct obj *o = arena_alloc(f->arena, sizeof(*o));

	conf_schema_init(&obj_block, o);
	return o;
}

static void test_values(void **state)
{
	struct fixture *f = *state;
	struct obj *o = new_obj(f);
	struct conf_stmt *v[] = {
		mk(f, "flag", false),        mk(f, "prio 100", false),
		mk(f, "count 3", false),     mk(f, "adv 0.05", false),
		mk(f, "name VI_1", false),   mk(f, "mode dr", false),
		mk(f, "addr 198.18.0.1", false), mk(f, "pfx fd00:198:18::1/64", false),
		mk(f, "port 8080", false),   mk(f, "ifname eth0", false),
		mk(f, "words a b", false),   mk(f, "words c", false),
		mk(f, "script /bin/x --y z", false), mk(f, "mac 00:00:5e:00:01:01", false),
		mk(f, "custom 1 2 3", false),
	};

	assert_int_equal(conf_schema_apply(&f->ctx, &obj_block, chain(v, 15), o), 0);
	assert_int_equal(f->ctx.n_errors, 0);
	assert_int_equal(f->ctx.n_warnings, 0);
	assert_true(o->flag);
	assert_int_equal(o->prio, 100);
	assert_int_equal(o->count, 3);
	assert_int_equal(o->adv, 50000);
	assert_string_equal(o->name, "VI_1");
	assert_int_equal(o->mode, 1);
	assert_int_equal(o->addr.family, AF_INET);
	assert_int_equal(o->pfx.len, 64);
	assert_int_equal(o->port, 8080);
	assert_string_equal(o->ifname, "eth0");
	assert_int_equal(o->words.n, 3);
	assert_string_equal(o->words.v[2], "c");
	assert_string_equal(o->script, "/bin/x --y z");
	assert_int_equal(o->mac[5], 1);
	assert_int_equal(o->custom, 4);
	assert_string_equal(o->inl.pass, "default"); /* inline init ran */
}

static void test_errors_all_reported(void **state)
{
	struct fixture *f = *state;
	struct obj *o = new_obj(f);
	struct conf_stmt *v[] = {
		mk(f, "prio 256", false),       /* 1 */
		mk(f, "prio", false),           /* 2 */
		mk(f, "prio 1 2", false),       /* 3 */
		mk(f, "adv 41", false),         /* 4 */
		mk(f, "mode NATT", false),      /* 5 */
		mk(f, "addr fd00::1", false),   /* 6 */
		mk(f, "proi 5", false),         /* 7 */
		mk(f, "bfd_thing x", false),    /* 8 */
		mk(f, "flag maybe", false),     /* 9 */
		mk(f, "prio 5", true),          /* 10 */
		mk(f, "sub", false),            /* 11 */
		mk(f, "zzzzzzzz", false),       /* 12 */
		mk(f, "pass x", false),         /* 13 */
	};

	assert_int_equal(conf_schema_apply(&f->ctx, &obj_block, chain(v, 13), o), 13);
	assert_string_equal(msg(f, 0), "prio: '256' is out of range (valid: 1-255)");
	assert_string_equal(msg(f, 1), "'prio' needs a value");
	assert_string_equal(msg(f, 2), "'prio' takes one value, found 2 ('2' is extra)");
	assert_string_equal(msg(f, 3), "adv: '41' is out of range (valid: 0.01-40.95 seconds)");
	assert_string_equal(msg(f, 4), "mode: 'NATT' is not one of NAT|DR|TUN; did you mean 'NAT'?");
	assert_string_equal(msg(f, 5), "addr: 'fd00::1' is not an IPv4 address");
	assert_string_equal(msg(f, 6), "unknown keyword 'proi' in obj; did you mean 'prio'?");
	assert_string_equal(msg(f, 7),
			    "'bfd_thing' is recognised but not supported by vigil: BFD is not implemented");
	assert_string_equal(msg(f, 8),
			    "flag: 'maybe' is not a boolean (on|off|true|false|yes|no)");
	assert_string_equal(msg(f, 9), "'prio' does not take a { ... } block");
	assert_string_equal(msg(f, 10), "'sub' needs a { ... } block");
	assert_string_equal(msg(f, 11), "unknown keyword 'zzzzzzzz' in obj");
	assert_string_equal(msg(f, 12), "unknown keyword 'pass' in obj");
	assert_int_equal(f->ctx.msgs->loc.line, 1);
	assert_string_equal(f->ctx.msgs->loc.file, "t.conf");
}

static void test_repeat_and_obsolete_warn(void **state)
{
	struct fixture *f = *state;
	struct obj *o = new_obj(f);
	struct conf_stmt *v[] = {
		mk(f, "prio 5", false),
		mk(f, "priority_alias 6", false),
		mk(f, "old_thing", false),
	};

	assert_int_equal(conf_schema_apply(&f->ctx, &obj_block, chain(v, 3), o), 0);
	assert_int_equal(f->ctx.n_warnings, 2);
	assert_int_equal(o->prio, 6);
	assert_string_equal(msg(f, 0),
			    "'priority_alias' given again; this value replaces the one at line 1");
	assert_string_equal(msg(f, 1),
			    "'old_thing' is obsolete and has no effect: keepalived ignores it too");
}

static void test_blocks(void **state)
{
	struct fixture *f = *state;
	struct obj *o = new_obj(f);
	struct conf_stmt *a = mk(f, "sub A", true);
	struct conf_stmt *aw = mk(f, "weight -10", false);
	struct conf_stmt *b = mk(f, "sub B", true);
	struct conf_stmt *dup = mk(f, "sub A", true);
	struct conf_stmt *noname = mk(f, "sub", true);
	struct conf_stmt *ent = mk(f, "entries", true);
	struct conf_stmt *e1 = mk(f, "198.18.0.1/24", false);
	struct conf_stmt *e2 = mk(f, "bogus", false);
	struct conf_stmt *e3 = mk(f, "fd00::1", false);
	struct conf_stmt *in = mk(f, "inl", true);
	struct conf_stmt *inp = mk(f, "pass secret", false);
	struct conf_stmt *top[] = { a, b, dup, noname, ent, in };
	struct conf_stmt *ents[] = { e1, e2, e3 };
	struct sub *s;

	a->children = aw;
	ent->children = chain(ents, 3);
	in->children = inp;
	assert_int_equal(conf_schema_apply(&f->ctx, &obj_block, chain(top, 6), o), 3);
	assert_string_equal(msg(f, 0), "sub 'A' is already defined at t.conf:1");
	assert_string_equal(msg(f, 1), "'sub' needs a name: sub NAME { ... }");
	assert_string_equal(msg(f, 2), "'bogus' is not an IP address");
	assert_int_equal(o->subs.count, 2);
	s = conf_list_find(&o->subs, "A");
	assert_non_null(s);
	assert_int_equal(s->weight, -10);
	s = conf_list_find(&o->subs, "B");
	assert_int_equal(s->weight, 7); /* init default */
	assert_int_equal(o->entries.count, 2);
	assert_string_equal(o->inl.pass, "secret");
}

static void test_dump(void **state)
{
	struct fixture *f = *state;
	struct obj *o = new_obj(f);
	struct conf_stmt *a = mk(f, "sub A", true);
	struct conf_stmt *ent = mk(f, "entries", true);
	struct conf_stmt *top[] = { mk(f, "prio 9", false), mk(f, "adv 0.01", false), a, ent,
				    mk(f, "mode TUN", false) };
	struct json j;
	char *s;

	ent->children = mk(f, "198.18.0.0/15", false);
	assert_int_equal(conf_schema_apply(&f->ctx, &obj_block, chain(top, 5), o), 0);
	json_init(&j, false);
	conf_schema_dump(&j, &obj_block, o);
	s = json_take(&j, NULL);
	assert_string_equal(
		s, "{\"flag\":false,\"prio\":9,\"count\":0,\"adv\":0.01,\"name\":null,"
		   "\"mode\":\"TUN\",\"addr\":null,\"pfx\":null,\"port\":0,\"ifname\":null,"
		   "\"words\":[],\"script\":null,\"mac\":\"00:00:00:00:00:00\","
		   "\"sub\":[{\"name\":\"A\",\"weight\":7}],"
		   "\"entries\":[{\"prefix\":\"198.18.0.0/15\"}],\"inl\":{\"pass\":\"default\"},"
		   "\"custom\":0}");
	free(s);
}

static void test_suggest(void **state)
{
	const char *c[] = { "virtual_router_id", "priority", "advert_int", "state" };

	(void)state;
	assert_string_equal(conf_suggest("virtual_routerid", c, 4), "virtual_router_id");
	assert_string_equal(conf_suggest("priortiy", c, 4), "priority");
	assert_string_equal(conf_suggest("stat", c, 4), "state");
	assert_null(conf_suggest("xyz", c, 4));
	assert_null(conf_suggest("completely_different_word", c, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_all_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_and_obsolete_warn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
