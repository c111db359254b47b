/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lexer and preprocessor: tokens and their lines, comments, quotes and
 * escapes, braces, '@' conditionals, $variables, ~SEQ and ~LST, and the
 * limits that keep hostile input bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/lexer.h"
#include "conf/schema.h"

struct lexed {
	struct arena *arena;
	struct conf_ctx ctx;
	char *text;  /* tokens: words separated by ' ', braces, '\n' for EOL */
	char *lines; /* the line of every token, "1 1 1 2 ..." */
};

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		assert_non_null(*buf);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static void lex_id(struct lexed *l, const char *src, const char *id, unsigned flags)
{
	struct conf_lexer *lx;
	struct conf_token t;
	size_t tl = 0, tc = 0, ll = 0, lc = 0;
	bool sep = false;

	l->arena = arena_new();
	conf_ctx_init(&l->ctx, l->arena);
	l->ctx.config_id = id;
	l->ctx.flags = flags;
	l->text = NULL;
	l->lines = NULL;
	append(&l->text, &tl, &tc, "");
	append(&l->lines, &ll, &lc, "");
	lx = conf_lexer_open_string(&l->ctx, "t.conf", src, strlen(src));
	for (;;) {
		char num[16];

		conf_lexer_next(lx, &t);
		if (t.type == CONF_TOK_EOF)
			break;
		assert_string_equal(t.loc.file, "t.conf");
		snprintf(num, sizeof(num), "%s%u", ll ? " " : "", t.loc.line);
		append(&l->lines, &ll, &lc, num);
		if (t.type == CONF_TOK_EOL) {
			append(&l->text, &tl, &tc, "\n");
			sep = false;
			continue;
		}
		if (sep)
			append(&l->text, &tl, &tc, " ");
		sep = true;
		if (t.type == CONF_TOK_LBRACE)
			append(&l->text, &tl, &tc, "{");
		else if (t.type == CONF_TOK_RBRACE)
			append(&l->text, &tl, &tc, "}");
		else
			append(&l->text, &tl, &tc, t.text);
	}
	/* EOF stays EOF */
	conf_lexer_next(lx, &t);
	assert_int_equal(t.type, CONF_TOK_EOF);
}

static void lex(struct lexed *l, const char *src)
{
	lex_id(l, src, "main", CONF_NO_INCLUDE);
}

static void lexed_free(struct lexed *l)
{
	free(l->text);
	free(l->lines);
	arena_free(l->arena);
}

/* The first message containing needle, checked for its line and kind. */
static void assert_msg(const struct lexed *l, bool is_error, unsigned line, const char *needle)
{
	for (const struct conf_msg *m = l->ctx.msgs; m; m = m->next) {
		if (m->is_error == is_error && m->loc.line == line && strstr(m->text, needle))
			return;
	}
	fprintf(stderr, "no %s at line %u containing '%s'; have:\n", is_error ? "error" : "warning",
		line, needle);
	for (const struct conf_msg *m = l->ctx.msgs; m; m = m->next)
		fprintf(stderr, "  %u: %s\n", m->loc.line, m->text);
	fail();
}

#define LEX_OK(l, src, want)                            \
	do {                                            \
		lex(l, src);                            \
		assert_int_equal((l)->ctx.n_errors, 0); \
		assert_string_equal((l)->text, want);   \
	} while (0)

static void test_words_and_lines(void **state)
{
	struct lexed l;

	(void)state;
	lex(&l, "global_defs {\n\trouter_id  r1\n}\n\n\n  vrrp_instance VI_1 {\r\n}");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "global_defs {\nrouter_id r1\n}\nvrrp_instance VI_1 {\n}\n");
	assert_string_equal(l.lines, "1 1 1 2 2 2 3 3 6 6 6 6 7 7");
	lexed_free(&l);

	LEX_OK(&l, "", "");
	lexed_free(&l);
	LEX_OK(&l, "\n\n   \n\t\n", "");
	lexed_free(&l);
	/* no newline at the end of the file */
	LEX_OK(&l, "a b", "a b\n");
	lexed_free(&l);
}

static void test_comments(void **state)
{
	struct lexed l;

	(void)state;
	lex(&l, "# comment\n! other\na b # c d\ne!f\n  ! indented\n\"x # y\" z # w\n'a!b'\n");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "a b\ne\nx # y z\na!b\n");
	assert_string_equal(l.lines, "3 3 3 4 4 6 6 6 7 7");
	lexed_free(&l);
	/* an escaped '#' does not start a comment */
	LEX_OK(&l, "a\\#b c\n", "a#b c\n");
	lexed_free(&l);
}

static void test_braces_glued(void **state)
{
	struct lexed l;

	(void)state;
	LEX_OK(&l, "vrrp_instance VI_1{\n", "vrrp_instance VI_1 {\n");
	lexed_free(&l);
	LEX_OK(&l, "virtual_ipaddress { 1.2.3.4 }\n", "virtual_ipaddress { 1.2.3.4 }\n");
	lexed_free(&l);
	LEX_OK(&l, "a{b}c\n}}{{\n", "a { b } c\n} } { {\n");
	lexed_free(&l);
	/* quoted braces are words */
	LEX_OK(&l, "x \"{\" '}'\n", "x { }\n");
	lexed_free(&l);
	lex(&l, "x \"{\" }\n");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.lines, "1 1 1 1");
	lexed_free(&l);
}

static void test_quotes(void **state)
{
	struct lexed l;
	struct conf_lexer *lx;
	struct conf_token t;

	(void)state;
	LEX_OK(&l, "abcd\" efg h jkl \"mnop\n", "abcd efg h jkl mnop\n");
	lexed_free(&l);
	LEX_OK(&l, "abcd \"efg h jkl\" mnop\n", "abcd efg h jkl mnop\n");
	lexed_free(&l);
	LEX_OK(&l, "a 'b \"c\" d' e\n", "a b \"c\" d e\n");
	lexed_free(&l);

	/* the three words of the second example are three tokens */
	l.arena = arena_new();
	conf_ctx_init(&l.ctx, l.arena);
	lx = conf_lexer_open_string(&l.ctx, "q", "abcd \"efg h jkl\" mnop \"\"", 24);
	conf_lexer_next(lx, &t);
	assert_string_equal(t.text, "abcd");
	conf_lexer_next(lx, &t);
	assert_int_equal(t.type, CONF_TOK_WORD);
	assert_string_equal(t.text, "efg h jkl");
	conf_lexer_next(lx, &t);
	assert_string_equal(t.text, "mnop");
	conf_lexer_next(lx, &t);
	assert_int_equal(t.type, CONF_TOK_WORD);
	assert_string_equal(t.text, "");
	conf_lexer_next(lx, &t);
	assert_int_equal(t.type, CONF_TOK_EOL);
	conf_lexer_next(lx, &t);
	assert_int_equal(t.type, CONF_TOK_EOF);
	arena_free(l.arena);

	/* unterminated quotes: error with the line, lexing goes on */
	lex(&l, "a\nb \"cd ef\nnext 'x\nlast\n");
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, 2, "unterminated quoted string (missing \")");
	assert_msg(&l, true, 3, "unterminated quoted string (missing ')");
	assert_string_equal(l.text, "a\nb cd ef\nnext x\nlast\n");
	lexed_free(&l);
}

static void test_escapes(void **state)
{
	struct lexed l;

	(void)state;
	LEX_OK(&l, "\"\\a\\b\\E\\f\\n\\r\\t\\v\"\n", "\a\b\x1b\f\n\r\t\v\n");
	lexed_free(&l);
	LEX_OK(&l, "\"\\101\\x41\\x4a\\7\\cA\\q\\\\\\\"\"\n", "AAJ\a\x01q\\\"\n");
	lexed_free(&l);
	/* \" neither opens nor closes a quote */
	LEX_OK(&l, "\"a\\\"b c\" d\n", "a\"b c d\n");
	lexed_free(&l);
	LEX_OK(&l, "a\\ b\n", "a b\n");
	lexed_free(&l);
	/* an escape that makes a NUL byte is an error */
	lex(&l, "x\n\"a\\0b\"\n\"\\x00\"\n");
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, 2, "NUL byte");
	lexed_free(&l);
}

static void test_nul_and_long_lines(void **state)
{
	struct lexed l;
	struct conf_lexer *lx;
	struct conf_token t;
	char *big;
	size_t n = 70000;

	(void)state;
	l.arena = arena_new();
	conf_ctx_init(&l.ctx, l.arena);
	lx = conf_lexer_open_string(&l.ctx, "n", "a\nb\0c\nd\n", 8);
	conf_lexer_next(lx, &t);
	assert_string_equal(t.text, "a");
	conf_lexer_next(lx, &t);
	conf_lexer_next(lx, &t);
	assert_string_equal(t.text, "d");
	assert_int_equal(t.loc.line, 3);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_int_equal(l.ctx.msgs->loc.line, 2);
	assert_non_null(strstr(l.ctx.msgs->text, "NUL byte"));
	arena_free(l.arena);

	/* a long line below the limit is fine, above it is an error */
	big = malloc(n + 16);
	assert_non_null(big);
	memset(big, 'x', 60000);
	strcpy(big + 60000, "\nok\n");
	lex(&l, big);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_int_equal(strlen(l.text), 60000 + 4);
	lexed_free(&l);
	memset(big, 'x', n);
	strcpy(big + n, "\nok\n");
	lex(&l, big);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, 1, "longer than");
	assert_string_equal(l.text, "ok\n");
	lexed_free(&l);
	free(big);
}

static void test_conditionals(void **state)
{
	struct lexed l;
	const char *src = "@main router_id main_router\n"
			  "@backup router_id backup_router\n"
			  "@^main peer 1.2.3.4\n"
			  "@^backup peer 1.2.3.5\n"
			  "  @main   indented\n"
			  "@main @^x both\n";

	(void)state;
	lex_id(&l, src, "main", 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "router_id main_router\npeer 1.2.3.5\nindented\nboth\n");
	assert_string_equal(l.lines, "1 1 1 4 4 4 5 5 6 6");
	lexed_free(&l);
	lex_id(&l, src, "backup", 0);
	assert_string_equal(l.text, "router_id backup_router\npeer 1.2.3.4\n");
	lexed_free(&l);
	/* no config id: '@x' never matches, '@^x' always does */
	lex_id(&l, src, NULL, 0);
	assert_string_equal(l.text, "peer 1.2.3.4\npeer 1.2.3.5\n");
	lexed_free(&l);
	/* a whole id only, not a prefix */
	lex_id(&l, "@mai x\n@mainx y\n", "main", 0);
	assert_string_equal(l.text, "");
	lexed_free(&l);
	lex_id(&l, "a\n@ x\n@^ y\n", "main", 0);
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, 2, "'@' must be followed by a config id");
	assert_msg(&l, true, 3, "'@^' must be followed by a config id");
	lexed_free(&l);
}

static void test_variables(void **state)
{
	struct lexed l;

	(void)state;
	LEX_OK(&l, "$A=1\npriority $A\nx ${A}0 $A\n", "priority 1\nx 10 1\n");
	lexed_free(&l);
	/* substitution is done when used, recursively */
	LEX_OK(&l,
	       "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
	       "$ADDRESS_BASE_SUB=0\n"
	       "${ADDRESS_BASE}.100/32\n"
	       "$ADDRESS_BASE_SUB=10\n"
	       "${ADDRESS_BASE}.100/32\n",
	       "10.2.0.100/32\n10.2.10.100/32\n");
	lexed_free(&l);
	/* empty values, values with several words and braces */
	LEX_OK(&l, "$E=\n$B=vrrp_instance X {\nk ${E}v\n$B\n}\n", "k v\nvrrp_instance X {\n}\n");
	lexed_free(&l);
	/* a bare $NAME needs whitespace after it; $1 is not a name */
	LEX_OK(&l, "$A=1\nx $A.b $1 $ a$\n", "x $A.b $1 $ a$\n");
	lexed_free(&l);
	/* inside quotes */
	LEX_OK(&l, "$D=/etc\nscript \"${D}/x.sh $D -v\"\n", "script /etc/x.sh /etc -v\n");
	lexed_free(&l);
	/* a bare $NAME must be followed by whitespace, a quote is not */
	LEX_OK(&l, "$D=/etc\nscript \"x $D\"\n", "script x $D\n");
	lexed_free(&l);
	/* conditionals inside values and definitions under conditionals */
	lex_id(&l, "$IF_MAIN=@main\n$IF_MAIN priority 240\n@main $P=1\n@backup $P=2\nprio $P\n",
	       "main", 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "priority 240\nprio 1\n");
	assert_string_equal(l.lines, "2 2 2 5 5 5");
	lexed_free(&l);
	lex_id(&l, "$IF_MAIN=@main\n$IF_MAIN priority 240\n", "backup", 0);
	assert_string_equal(l.text, "");
	lexed_free(&l);
	/* predefined */
	lex_id(&l, "a ${_INSTANCE} ${_HASH}x ${_BANG}\n", "node1", 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "a node1 #x !\n");
	lexed_free(&l);
	/* an escaped '$' is not a reference */
	LEX_OK(&l, "$A=1\nx \\$A\n", "x $A\n");
	lexed_free(&l);
}

static void test_random(void **state)
{
	struct lexed l;

	(void)state;
	for (int i = 0; i < 50; i++) {
		long v;

		lex(&l, "${_RANDOM 5 7} ${_RANDOM}\n");
		assert_int_equal(l.ctx.n_errors, 0);
		v = strtol(l.text, NULL, 10);
		assert_true(v >= 5 && v <= 7);
		v = strtol(strchr(l.text, ' ') + 1, NULL, 10);
		assert_true(v >= 0 && v <= 32767);
		lexed_free(&l);
	}
	lex(&l, "${_RANDOM 1 2 3}\n${_RANDOM 9 1}\n${_RANDOM x}\n");
	assert_int_equal(l.ctx.n_errors, 3);
	assert_msg(&l, true, 2, "MIN 9 is greater than MAX 1");
	lexed_free(&l);
}

/* ${_ENV NAME} (keepalived 2.4.0): the environment variable's value, in
 * quotes and out; unset expands to nothing with a warning. */
static void test_env(void **state)
{
	struct lexed l;

	(void)state;
	assert_int_equal(setenv("VM12K_CRED", "/run/creds/ka", 1), 0);
	unsetenv("VM12K_UNSET");
	lex(&l, "key file:${_ENV VM12K_CRED}/k\nscript \"x ${_ENV  VM12K_CRED }\"\n"
		"a ${_ENV VM12K_UNSET}b\n");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_int_equal(l.ctx.n_warnings, 1);
	assert_msg(&l, false, 3, "environment variable 'VM12K_UNSET' is not set");
	assert_string_equal(l.text, "key file:/run/creds/ka/k\nscript x /run/creds/ka\na b\n");
	lexed_free(&l);
	lex(&l, "${_ENV 1x}\n${_ENV A B}\n${_ENV }\n");
	assert_int_equal(l.ctx.n_errors, 3);
	assert_msg(&l, true, 2, "${_ENV} takes one environment variable name");
	lexed_free(&l);
	unsetenv("VM12K_CRED");
}

static void test_undefined(void **state)
{
	struct lexed l;

	(void)state;
	lex(&l, "a\nb ${NOPE}\nc $ALSO_NOT\n");
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, 2, "undefined variable 'NOPE'");
	assert_msg(&l, true, 3, "undefined variable 'ALSO_NOT'");
	assert_string_equal(l.text, "a\nb\nc\n");
	lexed_free(&l);
	/* in quotes (shell snippets in scripts) it stays, with a warning for ${} */
	lex(&l, "notify \"echo ${HOME} $USER\"\n");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_int_equal(l.ctx.n_warnings, 1);
	assert_msg(&l, false, 1, "undefined variable 'HOME'");
	assert_string_equal(l.text, "notify echo ${HOME} $USER\n");
	lexed_free(&l);
	/* invalid forms are plain text */
	LEX_OK(&l, "\"${1x} ${} ${a b}\"\n", "${1x} ${} ${a b}\n");
	lexed_free(&l);
}

static void test_recursive(void **state)
{
	struct lexed l;
	char *src;
	size_t len = 0;

	(void)state;
	lex(&l, "$A=$A\nx\n$A\ny\n");
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, 3, "nested more than 32 deep (a recursive definition?)");
	assert_string_equal(l.text, "x\ny\n");
	lexed_free(&l);
	lex(&l, "$A=${B}\n$B=x ${A}\nz ${A}\n");
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, 3, "nested more than");
	lexed_free(&l);
	/* a recursive multi-line value is stopped at once, not as a tree */
	lex(&l, "$L= \\\n$L \\\n$L\n$L\nafter\n");
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, 4, "nested more than");
	assert_string_equal(l.text, "after\n");
	lexed_free(&l);
	/* the same variable twice in a line, or in a value, is not recursion */
	LEX_OK(&l, "$A=a\n$B=$A $A\n$B ${A}$A\n", "a a aa\n");
	lexed_free(&l);
	/* a long chain that is not recursive still has a depth limit */
	src = malloc(4096);
	assert_non_null(src);
	for (int i = 0; i < 40; i++)
		len += (size_t)sprintf(src + len, "$V%d=${V%d}\n", i, i + 1);
	sprintf(src + len, "$V40=end\n${V0}\n${V20}\n");
	lex(&l, src);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, 42, "nested more than 32");
	assert_string_equal(l.text, "end\n");
	lexed_free(&l);
	len = 0;
	/* doubling on every level: stopped by the length limit */
	len += (size_t)sprintf(src + len, "$V0=xxxxxxxxxxxxxxxx\n");
	for (int i = 1; i < 30; i++)
		len += (size_t)sprintf(src + len, "$V%d=${V%d}${V%d}\n", i, i - 1, i - 1);
	sprintf(src + len, "w ${V29}\nafter\n");
	lex(&l, src);
	assert_msg(&l, true, 31, "bytes after substitution");
	assert_non_null(strstr(l.text, "after\n"));
	lexed_free(&l);
	/* doubling in lines: stopped by the budget, the stream ends */
	len = 0;
	len += (size_t)sprintf(src + len, "$L0=@nomatch x\n");
	for (int i = 1; i < 30; i++)
		len += (size_t)sprintf(src + len, "$L%d= \\\n$L%d\\\n$L%d\n", i, i - 1, i - 1);
	sprintf(src + len, "$L29\nafter\n");
	lex(&l, src);
	assert_true(l.ctx.n_errors >= 1);
	assert_msg(&l, true, 89, "giving up");
	assert_string_equal(l.text, "");
	lexed_free(&l);
	free(src);
}

static void test_multiline(void **state)
{
	struct lexed l;
	const char *src = "$INSTANCE= \\\n"
			  "vrrp_instance VI_${NUM} { \\\n"
			  "    interface eth0.${NUM} \\\n"
			  "\n"
			  "    @high priority 130 \\\n"
			  "    @low priority 120 \\\n"
			  "    virtual_ipaddress { \\\n"
			  "        10.0.${NUM}.254/24 \\\n"
			  "    } \\\n"
			  "}\n"
			  "\n"
			  "$NUM=0\n"
			  "$INSTANCE\n"
			  "$NUM=1\n"
			  "$INSTANCE\n";

	(void)state;
	lex_id(&l, src, "high", 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "vrrp_instance VI_0 {\ninterface eth0.0\npriority 130\n"
				    "virtual_ipaddress {\n10.0.0.254/24\n}\n}\n"
				    "vrrp_instance VI_1 {\ninterface eth0.1\npriority 130\n"
				    "virtual_ipaddress {\n10.0.1.254/24\n}\n}\n");
	lexed_free(&l);

	/* nested definitions: values define and use other values */
	lex_id(&l,
	       "$RS= \\\n"
	       "real_server 192.168.${VS}.${RS_NUM} 80 { \\\n"
	       "  weight 1 \\\n"
	       "}\n"
	       "$VSD= \\\n"
	       "virtual_server 10.0.${VS}.4 80 { \\\n"
	       "  $RS_NUM=1 \\\n"
	       "  $RS \\\n"
	       "  $RS_NUM=2 \\\n"
	       "  $RS \\\n"
	       "}\n"
	       "$VS=7\n"
	       "$VSD\n",
	       "x", 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "virtual_server 10.0.7.4 80 {\n"
				    "real_server 192.168.7.1 80 {\nweight 1\n}\n"
				    "real_server 192.168.7.2 80 {\nweight 1\n}\n}\n");
	/* every token of an expansion has the line of its use */
	assert_non_null(strstr(l.lines, "13 13 13"));
	assert_null(strstr(l.lines, " 1 "));
	lexed_free(&l);

	/* a definition still open at the end of the file */
	lex(&l, "$X= \\\na \\\n");
	assert_msg(&l, true, 1, "multi-line definition of 'X'");
	lexed_free(&l);

	/* keepalived substitutes a multi-line variable only where it ends the
	 * line (a single-line one anywhere); elsewhere it keeps '$C' as
	 * written: an error here, never another meaning */
	lex(&l, "$C= \\\nTCP_CHECK { \\\n}\n$P=80\nrs 1 { $C }\nrs 2 { weight $P }\n"
		"rs 3 { ${C} }\nrs 4 { $C\n}\nrs 5 { weight $C\n}\n");
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, 5,
		   "variable 'C' holds several lines and is not last on its line: keepalived "
		   "does not expand it there");
	assert_msg(&l, true, 7, "variable 'C' holds several lines");
	assert_string_equal(l.text, "rs 1 { }\nrs 2 { weight 80 }\nrs 3 { }\n"
				    "rs 4 { TCP_CHECK {\n}\n}\nrs 5 { weight TCP_CHECK {\n}\n}\n");
	lexed_free(&l);
	/* a ~SEQ variable shadowing a multi-line one is one line; the
	 * multi-line one is back after the sequence */
	lex(&l, "$N= \\\na \\\nb\n~SEQ(N,1) x $N y\nx $N y\n");
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, 5, "variable 'N' holds several lines");
	assert_non_null(strstr(l.text, "x 1 y\n"));
	lexed_free(&l);

	/* a multi-line definition dropped by '@' takes its lines with it */
	lex_id(&l, "@other $X= \\\nfoo \\\nbar\nbaz\n", "main", 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "baz\n");
	assert_string_equal(l.lines, "4 4");
	lexed_free(&l);
}

static void test_seq(void **state)
{
	struct lexed l;

	(void)state;
	LEX_OK(&l, "~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n",
	       "ip_address 10.0.0.1\nip_address 10.0.1.1\nip_address 10.0.2.1\nip_address "
	       "10.0.3.1\n");
	lexed_free(&l);
	LEX_OK(&l, "~SEQx(S, 144, 16, 192) fe80::20:${S}:1\n",
	       "fe80::20:90:1\nfe80::20:a0:1\nfe80::20:b0:1\nfe80::20:c0:1\n");
	lexed_free(&l);
	LEX_OK(&l, "~SEQx(S, 0x90, 0x10, 0xc0) ${S}\n", "90\na0\nb0\nc0\n");
	lexed_free(&l);
	/* one number: 1..N or -1..N */
	LEX_OK(&l, "~SEQ(I,3) $I\n", "1\n2\n3\n");
	lexed_free(&l);
	LEX_OK(&l, "~SEQ(I,-2) $I\n", "-1\n-2\n");
	lexed_free(&l);
	/* two numbers: step 1 or -1 */
	LEX_OK(&l, "~SEQ(I,5,3) $I\n", "5\n4\n3\n");
	lexed_free(&l);
	/* three numbers */
	LEX_OK(&l, "~SEQ(I,0,5,12) $I\n", "0\n5\n10\n");
	lexed_free(&l);
	/* nested, several on a line */
	LEX_OK(&l, "~SEQx(A, 0x90, 0x10, 0xa0) ~SEQx(B, 0x12, -1, 0x11) x:${A}:${B}\n",
	       "x:90:12\nx:90:11\nx:a0:12\nx:a0:11\n");
	lexed_free(&l);
	/* with a multi-line definition; lines of the ~SEQ line */
	lex(&l, "$B= \\\nb $N { \\\n}\n~SEQ(N,2) $B\n");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, "b 1 {\n}\nb 2 {\n}\n");
	assert_string_equal(l.lines, "4 4 4 4 4 4 4 4 4 4 4 4");
	lexed_free(&l);
	/* numbers from variables */
	LEX_OK(&l, "$N=2\n~SEQ(I,$N) i$I\n", "i1\ni2\n");
	lexed_free(&l);
	/* the variable does not outlive its block */
	lex(&l, "~SEQ(I,1) a\nb $I\n");
	assert_msg(&l, true, 2, "undefined variable 'I'");
	lexed_free(&l);
	/* ~ words that are not sequences are words */
	LEX_OK(&l, "~SEQUEL x\n~x\n", "~SEQUEL x\n~x\n");
	lexed_free(&l);
}

static void test_seq_errors(void **state)
{
	struct lexed l;

	(void)state;
	lex(&l, "~SEQ(I,0,-1,5) x\n~SEQ(I,0,0,5) x\n~SEQ(I) x\n~SEQ(1x,3) x\n"
		"~SEQ(I,a) x\n~SEQ(I,1,2,3,4) x\n~SEQ(I,3 x\n~SEQ(I,0,100000) x\n"
		"~SEQ(I,99999999999) x\nok\n");
	assert_msg(&l, true, 1, "never gets from 0 to 5");
	assert_msg(&l, true, 2, "step 0 never");
	assert_msg(&l, true, 3, "~SEQ needs");
	assert_msg(&l, true, 4, "~SEQ needs");
	assert_msg(&l, true, 5, "'a' is not a number");
	assert_msg(&l, true, 6, "~SEQ needs");
	assert_msg(&l, true, 7, "missing ')'");
	assert_msg(&l, true, 8, "100001 lines, more than 100000");
	assert_msg(&l, true, 9, "'99999999999' is not a number");
	assert_int_equal(l.ctx.n_errors, 9);
	assert_string_equal(l.text, "ok\n");
	lexed_free(&l);
	/* the largest sequence allowed goes through */
	lex(&l, "~SEQ(I,1,100000) x\n");
	assert_int_equal(l.ctx.n_errors, 0);
	assert_int_equal(strlen(l.text), 200000);
	lexed_free(&l);
	/* nested sequences multiply: the budget stops them, the stream ends */
	lex(&l, "~SEQ(A,100000) ~SEQ(B,100000) @nomatch x\nnever\n");
	assert_msg(&l, true, 1, "giving up");
	assert_null(strstr(l.text, "never"));
	lexed_free(&l);
}

static void test_lst(void **state)
{
	struct lexed l;

	(void)state;
	LEX_OK(&l, "~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}\n",
	       "192.168.10.1\n192.168.20.4\n192.168.5.6\n192.168.12.8\n");
	lexed_free(&l);
	LEX_OK(&l, "~LST(IP, 1, 2) ~LST(IP1, 5,6,7) 192.169.${IP}.${IP1}\n",
	       "192.169.1.5\n192.169.1.6\n192.169.1.7\n192.169.2.5\n192.169.2.6\n192.169.2.7\n");
	lexed_free(&l);
	LEX_OK(&l, "~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,170) 192.${IP2}.${IP}.${IP1}\n",
	       "192.168.10.1\n192.170.10.1\n192.168.20.4\n192.170.20.4\n");
	lexed_free(&l);
	lex(&l, "~LST(A) x\n~LST({A,B},{1}) x\n~LST({A,B},1) x\n~LST(A,B,1,2) ${A}\n"
		"~LST(A B,1) x\n");
	assert_msg(&l, true, 1, "~LST needs");
	assert_msg(&l, true, 2, "does not have 2 values");
	assert_msg(&l, true, 3, "must be a {...} group");
	assert_msg(&l, true, 5, "'A B' is not a variable name");
	assert_int_equal(l.ctx.n_errors, 4);
	assert_string_equal(l.text, "B\n1\n2\n");
	lexed_free(&l);
}

static void test_include_refused(void **state)
{
	struct lexed l;

	(void)state;
	lex(&l, "a\ninclude /etc/passwd\nincludea x\nb\n");
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, 2, "include is not allowed");
	assert_msg(&l, true, 3, "include is not allowed");
	assert_string_equal(l.text, "a\nb\n");
	lexed_free(&l);
	/* the include_check keyword goes through to the schema */
	LEX_OK(&l, "include_check +match\n", "include_check +match\n");
	lexed_free(&l);
}

static void test_error_storm(void **state)
{
	struct lexed l;
	char *src = malloc(300001);

	(void)state;
	assert_non_null(src);
	for (int i = 0; i < 100000; i++)
		memcpy(src + 3 * i, "\"x\n", 3);
	src[300000] = '\0';
	lex(&l, src);
	assert_int_equal(l.ctx.n_errors, 100000);
	lexed_free(&l);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_lines),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_braces_glued),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_nul_and_long_lines),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_undefined),
		cmocka_unit_test(test_recursive),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_seq_errors),
		cmocka_unit_test(test_lst),
		cmocka_unit_test(test_include_refused),
		cmocka_unit_test(test_error_storm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
