/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The statement tree: statements, blocks on the same or the next line,
 * one-line blocks, and every structural error with its exact line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/schema.h"
#include "conf/tree.h"

struct parsed {
	struct arena *arena;
	struct conf_ctx ctx;
	struct conf_stmt *root;
	char buf[8192];
	size_t len;
};

static void out(struct parsed *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p->len += (size_t)vsnprintf(p->buf + p->len, sizeof(p->buf) - p->len, fmt, ap);
	va_end(ap);
	assert_true(p->len < sizeof(p->buf));
}

/* "kw arg:line { child:line; ... }:endline; next:line" */
static void dump(struct parsed *p, const struct conf_stmt *st)
{
	for (; st; st = st->next) {
		assert_true(st->argc >= 1);
		for (unsigned i = 0; i < st->argc; i++)
			out(p, "%s%s", i ? " " : "", st->argv[i]);
		out(p, ":%u", st->loc.line);
		if (st->has_block) {
			out(p, " {");
			if (st->children)
				out(p, " ");
			dump(p, st->children);
			out(p, " }:%u", st->end_loc.line);
		} else {
			assert_null(st->children);
		}
		if (st->next)
			out(p, "; ");
	}
}

static void parse(struct parsed *p, const char *src)
{
	p->arena = arena_new();
	conf_ctx_init(&p->ctx, p->arena);
	p->ctx.config_id = "main";
	p->ctx.flags = CONF_NO_INCLUDE;
	p->root = conf_tree_parse_string(&p->ctx, "t.conf", src, strlen(src));
	p->len = 0;
	p->buf[0] = '\0';
	dump(p, p->root);
}

static void parsed_free(struct parsed *p)
{
	arena_free(p->arena);
}

static void assert_msg(const struct parsed *p, unsigned line, const char *needle)
{
	for (const struct conf_msg *m = p->ctx.msgs; m; m = m->next) {
		if (m->is_error && m->loc.line == line && !strcmp(m->loc.file, "t.conf") &&
		    strstr(m->text, needle))
			return;
	}
	fprintf(stderr, "no error at line %u containing '%s'; have:\n", line, needle);
	for (const struct conf_msg *m = p->ctx.msgs; m; m = m->next)
		fprintf(stderr, "  %u: %s\n", m->loc.line, m->text);
	fail();
}

#define TREE_OK(src, want)                            \
	do {                                          \
		struct parsed p_;                     \
		parse(&p_, src);                      \
		assert_int_equal(p_.ctx.n_errors, 0); \
		assert_string_equal(p_.buf, want);    \
		parsed_free(&p_);                     \
	} while (0)

static void test_flat(void **state)
{
	(void)state;
	TREE_OK("", "");
	TREE_OK("# only a comment\n\n", "");
	TREE_OK("a\nb c d\n\ne", "a:1; b c d:2; e:4");
}

static void test_blocks(void **state)
{
	struct parsed p;

	(void)state;
	TREE_OK("global_defs {\n  router_id r1\n}\n", "global_defs:1 { router_id r1:2 }:3");
	TREE_OK("vrrp_instance VI_1 {\n state MASTER\n virtual_ipaddress {\n  1.2.3.4\n"
		"  5.6.7.8/24 dev eth0\n }\n}\nvrrp_script s {\n}\n",
		"vrrp_instance VI_1:1 { state MASTER:2; virtual_ipaddress:3 { 1.2.3.4:4; "
		"5.6.7.8/24 dev eth0:5 }:6 }:7; vrrp_script s:8 { }:9");
	/* empty block */
	TREE_OK("a {}\nb { }\n", "a:1 { }:1; b:2 { }:2");

	parse(&p, "x {\n}\n");
	assert_true(p.root->has_block);
	assert_null(p.root->children);
	assert_int_equal(p.root->argc, 1);
	assert_null(p.root->argv[1]);
	parsed_free(&p);
}

static void test_brace_placement(void **state)
{
	(void)state;
	/* '{' on the next line, even after blank lines and comments */
	TREE_OK("vrrp_instance VI_1\n{\n state BACKUP\n}\n",
		"vrrp_instance VI_1:1 { state BACKUP:3 }:4");
	TREE_OK("a\n\n# c\n\n{ b }\n", "a:1 { b:5 }:5");
	/* one-line blocks, glued braces, '}' after content */
	TREE_OK("virtual_ipaddress { 1.2.3.4 }\n", "virtual_ipaddress:1 { 1.2.3.4:1 }:1");
	TREE_OK("vrrp_instance VI_1{\nstate MASTER}\n",
		"vrrp_instance VI_1:1 { state MASTER:2 }:2");
	TREE_OK("a{b{c}}d\n", "a:1 { b:1 { c:1 }:1 }:1; d:1");
	TREE_OK("a { b\nc }\n", "a:1 { b:1; c:2 }:2");
	/* several statements and blocks on one line */
	TREE_OK("a { x } b { y }\n", "a:1 { x:1 }:1; b:1 { y:1 }:1");
	/* a block after a block is not the same statement */
	TREE_OK("a\nb\n{\n}\n", "a:1; b:2 { }:4");
	/* quoted braces are words */
	TREE_OK("a \"{\"\nb '}'\n", "a {:1; b }:2");
}

static void test_preprocessed(void **state)
{
	(void)state;
	/* blocks built from variables and sequences */
	TREE_OK("$B= \\\nvirtual_ipaddress { \\\n  10.0.${N}.1 \\\n}\n~SEQ(N,2) $B\n",
		"virtual_ipaddress:5 { 10.0.1.1:5 }:5; virtual_ipaddress:5 { 10.0.2.1:5 }:5");
	TREE_OK("@main a {\n@other b\n@^other c\n}\n", "a:1 { c:3 }:4");
}

static void test_errors(void **state)
{
	struct parsed p;

	(void)state;
	/* '}' without '{' */
	parse(&p, "a\n}\nb { c }\n}\n");
	assert_int_equal(p.ctx.n_errors, 2);
	assert_msg(&p, 2, "'}' without a matching '{'");
	assert_string_equal(p.buf, "a:1; b:3 { c:3 }:3");
	parsed_free(&p);

	/* '{' without a keyword: its contents are dropped, braces still match */
	parse(&p, "a { }\n{\n x\n y { z }\n}\nb\n");
	assert_int_equal(p.ctx.n_errors, 1);
	assert_msg(&p, 2, "'{' without a keyword");
	assert_string_equal(p.buf, "a:1 { }:1; b:6");
	parsed_free(&p);
	parse(&p, "{\n");
	assert_int_equal(p.ctx.n_errors, 2);
	assert_msg(&p, 1, "'{' without a keyword");
	assert_msg(&p, 1, "block is not closed");
	parsed_free(&p);

	/* missing '}' at the end: named by the line of the open block */
	parse(&p, "global_defs {\n}\nvrrp_instance VI_1 {\n state MASTER\n"
		  " virtual_ipaddress {\n  1.2.3.4\n\n");
	assert_int_equal(p.ctx.n_errors, 2);
	assert_msg(&p, 3, "'vrrp_instance' block is not closed");
	assert_msg(&p, 5, "'virtual_ipaddress' block is not closed");
	/* the statements are kept */
	assert_string_equal(p.buf, "global_defs:1 { }:2; vrrp_instance VI_1:3 { state MASTER:4; "
				   "virtual_ipaddress:5 { 1.2.3.4:6 }:0 }:0");
	parsed_free(&p);

	/* a block opened on the next line is named by its keyword line */
	parse(&p, "a\n\n{\n");
	assert_msg(&p, 1, "'a' block is not closed");
	parsed_free(&p);

	/* several errors in one run */
	parse(&p, "}\n{\n}\na {\n}\n}\nb {\n");
	assert_int_equal(p.ctx.n_errors, 4);
	assert_msg(&p, 1, "'}' without");
	assert_msg(&p, 2, "'{' without a keyword");
	assert_msg(&p, 7, "'b' block is not closed");
	parsed_free(&p);
}

static void test_depth(void **state)
{
	struct parsed p;
	char src[4096];
	size_t len = 0;

	(void)state;
	/* 64 levels are fine */
	for (int i = 0; i < 64; i++)
		len += (size_t)sprintf(src + len, "b%d {\n", i);
	for (int i = 0; i < 64; i++)
		len += (size_t)sprintf(src + len, "}\n");
	strcpy(src + len, "after\n");
	parse(&p, src);
	assert_int_equal(p.ctx.n_errors, 0);
	assert_non_null(strstr(p.buf, "b63:64 { }:65"));
	assert_non_null(strstr(p.buf, "; after:129"));
	parsed_free(&p);

	/* 70 are not; the braces still pair up and parsing goes on */
	len = 0;
	for (int i = 0; i < 70; i++)
		len += (size_t)sprintf(src + len, "b%d {\n", i);
	for (int i = 0; i < 70; i++)
		len += (size_t)sprintf(src + len, "}\n");
	strcpy(src + len, "after\n");
	parse(&p, src);
	assert_int_equal(p.ctx.n_errors, 1);
	assert_msg(&p, 65, "nested more than 64");
	assert_non_null(strstr(p.buf, "; after:141"));
	parsed_free(&p);

	/* too deep and never closed */
	len = 0;
	for (int i = 0; i < 66; i++)
		len += (size_t)sprintf(src + len, "b%d {\n", i);
	src[len] = '\0';
	parse(&p, src);
	assert_int_equal(p.ctx.n_errors, 2 + 64);
	assert_msg(&p, 65, "nested more than 64");
	assert_msg(&p, 1, "'b0' block is not closed");
	parsed_free(&p);
}

static void test_hostile(void **state)
{
	struct parsed p;
	char *src = malloc(200001);

	(void)state;
	assert_non_null(src);
	/* a flood of braces, on one line (too long) and on many */
	memset(src, '{', 100000);
	memset(src + 100000, '}', 100000);
	src[200000] = '\0';
	parse(&p, src);
	assert_int_equal(p.ctx.n_errors, 1);
	assert_msg(&p, 1, "longer than");
	parsed_free(&p);
	for (int i = 0; i < 50000; i++)
		memcpy(src + 2 * i, "{\n", 2);
	for (int i = 50000; i < 100000; i++)
		memcpy(src + 2 * i, "}\n", 2);
	parse(&p, src);
	/* every '{' lacks its keyword, and they nest too deep */
	assert_int_equal(p.ctx.n_errors, 50001);
	assert_msg(&p, 1, "'{' without a keyword");
	assert_msg(&p, 65, "nested more than 64");
	parsed_free(&p);
	for (int i = 0; i < 100000; i++)
		memcpy(src + 2 * i, "}\n", 2);
	parse(&p, src);
	assert_int_equal(p.ctx.n_errors, 100000);
	parsed_free(&p);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_brace_placement),
		cmocka_unit_test(test_preprocessed),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
