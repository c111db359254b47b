/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * include and its variants on real files in a mkdtemp() directory: relative
 * paths from nested directories, globs and braces, missing and unreadable
 * files under each include_check level, cycles and depth.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf/lexer.h"
#include "conf/schema.h"

static char dir[PATH_MAX];

struct lexed {
	struct arena *arena;
	struct conf_ctx ctx;
	char text[16384]; /* "word@file:line" per word, ';' per end of line */
	size_t len;
};

static void wfile(const char *rel, const char *content, mode_t mode)
{
	char path[PATH_MAX * 2], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/vigil-test-include-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void out(struct lexed *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->len += (size_t)vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, ap);
	va_end(ap);
	assert_true(l->len < sizeof(l->text));
}

/* Lexes path (relative to dir unless absolute or keep_rel). */
static void lex_file(struct lexed *l, const char *rel, unsigned flags, bool keep_rel)
{
	char path[PATH_MAX * 2];
	struct conf_lexer *lx;
	struct conf_token t;
	size_t dl = strlen(dir);

	if (keep_rel || rel[0] == '/')
		snprintf(path, sizeof(path), "%s", rel);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
	l->arena = arena_new();
	conf_ctx_init(&l->ctx, l->arena);
	l->ctx.config_id = "main";
	l->ctx.flags = flags;
	l->len = 0;
	l->text[0] = '\0';
	lx = conf_lexer_open_file(&l->ctx, path);
	for (;;) {
		const char *f;

		conf_lexer_next(lx, &t);
		if (t.type == CONF_TOK_EOF)
			break;
		f = t.loc.file;
		if (!strncmp(f, dir, dl) && f[dl] == '/')
			f += dl + 1;
		if (t.type == CONF_TOK_EOL)
			out(l, ";");
		else if (t.type == CONF_TOK_WORD)
			out(l, " %s@%s:%u", t.text, f, t.loc.line);
		else
			out(l, " %c", t.type == CONF_TOK_LBRACE ? '{' : '}');
	}
}

static void lexed_free(struct lexed *l)
{
	arena_free(l->arena);
}

static void assert_msg(const struct lexed *l, bool is_error, const char *file, unsigned line,
		       const char *needle)
{
	for (const struct conf_msg *m = l->ctx.msgs; m; m = m->next) {
		const char *f = m->loc.file;

		if (!strncmp(f, dir, strlen(dir)) && f[strlen(dir)] == '/')
			f += strlen(dir) + 1;
		if (m->is_error == is_error && m->loc.line == line && !strcmp(f, file) &&
		    strstr(m->text, needle))
			return;
	}
	fprintf(stderr, "no %s at line %u containing '%s'; have:\n", is_error ? "error" : "warning",
		line, needle);
	for (const struct conf_msg *m = l->ctx.msgs; m; m = m->next)
		fprintf(stderr, "  %s:%u: %s\n", m->loc.file, m->loc.line, m->text);
	fail();
}

static void test_relative_nested(void **state)
{
	struct lexed l;
	char cwd[PATH_MAX];

	(void)state;
	wfile("main.conf", "a\ninclude sub/x.conf\nb\n", 0644);
	wfile("sub/x.conf", "x1\n\ninclude y.conf\nx2 {\n", 0644);
	wfile("sub/y.conf", "y }\n", 0644);
	lex_file(&l, "main.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_int_equal(l.ctx.n_warnings, 0);
	assert_string_equal(l.text, " a@main.conf:1; x1@sub/x.conf:1; y@sub/y.conf:1 };"
				    " x2@sub/x.conf:4 {; b@main.conf:3;");
	lexed_free(&l);

	/* a relative top-level path: names stay relative */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	lex_file(&l, "main.conf", 0, true);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_non_null(strstr(l.text, " y@sub/y.conf:1"));
	assert_non_null(strstr(l.text, " b@main.conf:3"));
	lexed_free(&l);
}

static void test_absolute_and_quoted(void **state)
{
	struct lexed l;
	char buf[PATH_MAX * 2];

	(void)state;
	wfile("my file.conf", "spaced\n", 0644);
	snprintf(buf, sizeof(buf), "include \"%s/my file.conf\"\ninclude 'my file.conf'\n", dir);
	wfile("q.conf", buf, 0644);
	lex_file(&l, "q.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, " spaced@my file.conf:1; spaced@my file.conf:1;");
	lexed_free(&l);

	wfile("bad.conf", "include my file.conf\ninclude\n", 0644);
	lex_file(&l, "bad.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, "bad.conf", 1, "include takes one file name");
	assert_msg(&l, true, "bad.conf", 2, "include needs a file name");
	lexed_free(&l);
}

static void test_glob(void **state)
{
	struct lexed l;

	(void)state;
	wfile("g/conf.d/b.conf", "b\n", 0644);
	wfile("g/conf.d/a.conf", "a\n", 0644);
	wfile("g/conf.d/c.txt", "c\n", 0644);
	wfile("g/conf.d/d.conf/inner", "never\n", 0644); /* a directory named *.conf */
	wfile("g/main.conf", "include conf.d/*.conf\n", 0644);
	lex_file(&l, "g/main.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, " a@g/conf.d/a.conf:1; b@g/conf.d/b.conf:1;");
	lexed_free(&l);
}

static void test_braces(void **state)
{
	struct lexed l;

	(void)state;
	wfile("br/two.conf", "two\n", 0644);
	wfile("br/one.conf", "one\n", 0644);
	wfile("br/foo/cat.conf", "cat\n", 0644);
	wfile("br/bar.conf", "bar\n", 0644);
	wfile("br/main.conf",
	      "include {two,one}.conf\n"
	      "include {foo/{,cat,dog},bar}.conf\n"
	      "includeb {one,none}.conf\n"
	      "includeb {foo/{,cat,dog},bar}.conf\n"
	      "include x{}y{a\n",
	      0644);
	lex_file(&l, "br/main.conf", 0, false);
	assert_string_equal(l.text, " two@br/two.conf:1; one@br/one.conf:1;"
				    " cat@br/foo/cat.conf:1; bar@br/bar.conf:1;"
				    " one@br/one.conf:1;"
				    " cat@br/foo/cat.conf:1; bar@br/bar.conf:1;");
	assert_msg(&l, true, "br/main.conf", 3, "no file matches");
	assert_msg(&l, true, "br/main.conf", 4, "foo/.conf");
	assert_int_equal(l.ctx.n_errors, 1 + 2);
	/* braces that are not alternatives are literal */
	assert_msg(&l, false, "br/main.conf", 5, "include 'x{}y{a': no file matches");
	lexed_free(&l);
}

static void test_missing(void **state)
{
	struct lexed l;

	(void)state;
	wfile("m/main.conf",
	      "include none.conf\n"
	      "includer none.conf\n"
	      "includem none.conf\n"
	      "includem *.none\n"
	      "includew *.none\n"
	      "includea none.conf\n"
	      "include *.none\n"
	      "ok\n",
	      0644);
	lex_file(&l, "m/main.conf", 0, false);
	assert_msg(&l, false, "m/main.conf", 1, "include 'none.conf': no file matches");
	assert_msg(&l, false, "m/main.conf", 2, "no file matches");
	assert_msg(&l, true, "m/main.conf", 3, "include 'none.conf': no file matches");
	assert_msg(&l, false, "m/main.conf", 4, "include '*.none': no file matches");
	assert_msg(&l, true, "m/main.conf", 5, "include '*.none': no file matches");
	assert_msg(&l, true, "m/main.conf", 6, "no file matches");
	assert_int_equal(l.ctx.n_errors, 3);
	assert_int_equal(l.ctx.n_warnings, 4);
	assert_string_equal(l.text, " ok@m/main.conf:8;");
	lexed_free(&l);

	/* the top-level file itself */
	lex_file(&l, "m/absent.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, "m/absent.conf", 0, "cannot read configuration file");
	assert_string_equal(l.text, "");
	lexed_free(&l);
	lex_file(&l, "m", 0, false);
	assert_msg(&l, true, "m", 0, "not a regular file");
	lexed_free(&l);
}

static void test_unreadable(void **state)
{
	struct lexed l;

	(void)state;
	/* executable files are refused (keepalived does the same) */
	wfile("u/exec.conf", "x\n", 0755);
	wfile("u/main.conf", "include exec.conf\nincluder exec.conf\nincludea exec.conf\nok\n",
	      0644);
	lex_file(&l, "u/main.conf", 0, false);
	assert_msg(&l, false, "u/main.conf", 1, "executable");
	assert_msg(&l, true, "u/main.conf", 2, "executable");
	assert_int_equal(l.ctx.n_errors, 2);
	assert_int_equal(l.ctx.n_warnings, 1);
	assert_string_equal(l.text, " ok@u/main.conf:4;");
	lexed_free(&l);
}

static void test_include_check(void **state)
{
	struct lexed l;

	(void)state;
	/* the level of a file is set for the rest of it and its includes,
	 * and restored when an included file that changed it ends */
	wfile("c/child.conf", "include_check\ninclude none1.conf\n", 0644);
	wfile("c/main.conf",
	      "include none0.conf\n"
	      "include child.conf\n"
	      "include none2.conf\n"
	      "global_defs {\n include_check match -readable\n}\n"
	      "include none3.conf\n"
	      "include none*.conf\n"
	      "include_check wildcard_match\n"
	      "include none*.conf\n"
	      "include_check +bogus\n",
	      0644);
	lex_file(&l, "c/main.conf", 0, false);
	assert_msg(&l, false, "c/main.conf", 1, "none0.conf");
	assert_msg(&l, true, "c/child.conf", 2, "none1.conf");
	assert_msg(&l, false, "c/main.conf", 3, "none2.conf");
	assert_msg(&l, true, "c/main.conf", 7, "none3.conf");
	assert_msg(&l, false, "c/main.conf", 8, "none*.conf");
	assert_msg(&l, true, "c/main.conf", 10, "none*.conf");
	assert_msg(&l, true, "c/main.conf", 11, "unknown option 'bogus'");
	assert_int_equal(l.ctx.n_errors, 4);
	/* the keyword itself goes on to the schema */
	assert_non_null(strstr(l.text, " include_check@c/main.conf:5 match@c/main.conf:5"));
	lexed_free(&l);
}

static void test_cycles(void **state)
{
	struct lexed l;

	(void)state;
	wfile("cy/self.conf", "s\ninclude self.conf\n", 0644);
	lex_file(&l, "cy/self.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, "cy/self.conf", 2, "include cycle");
	assert_string_equal(l.text, " s@cy/self.conf:1;");
	lexed_free(&l);

	wfile("cy/a.conf", "a\ninclude sub/b.conf\n", 0644);
	wfile("cy/sub/b.conf", "b\ninclude ../a.conf\nb2\n", 0644);
	lex_file(&l, "cy/a.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, "cy/sub/b.conf", 2, "include cycle");
	assert_string_equal(l.text, " a@cy/a.conf:1; b@cy/sub/b.conf:1; b2@cy/sub/b.conf:3;");
	lexed_free(&l);

	/* the same file twice, not nested, is fine */
	wfile("cy/twice.conf", "include sub/leaf.conf\ninclude sub/leaf.conf\n", 0644);
	wfile("cy/sub/leaf.conf", "leaf\n", 0644);
	lex_file(&l, "cy/twice.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 0);
	assert_string_equal(l.text, " leaf@cy/sub/leaf.conf:1; leaf@cy/sub/leaf.conf:1;");
	lexed_free(&l);
}

static void test_depth(void **state)
{
	struct lexed l;

	(void)state;
	for (int i = 0; i < 40; i++) {
		char name[64], body[64];

		snprintf(name, sizeof(name), "d/f%d.conf", i);
		snprintf(body, sizeof(body), "l%d\ninclude f%d.conf\n", i, i + 1);
		wfile(name, body, 0644);
	}
	lex_file(&l, "d/f0.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 1);
	assert_msg(&l, true, "d/f32.conf", 2, "includes nested more than 32 deep");
	assert_non_null(strstr(l.text, " l32@d/f32.conf:1;"));
	assert_null(strstr(l.text, "l33"));
	lexed_free(&l);
}

static void test_pwd_and_vars(void **state)
{
	struct lexed l;
	char want[PATH_MAX * 3];

	(void)state;
	/* definitions carry across files; ${_PWD} is the current file's dir */
	wfile("v/main.conf", "$X=1\ninclude sub/s.conf\np ${_PWD} $Y\n", 0644);
	wfile("v/sub/s.conf", "p ${_PWD} $X\n$Y=2\n", 0644);
	lex_file(&l, "v/main.conf", 0, false);
	assert_int_equal(l.ctx.n_errors, 0);
	snprintf(want, sizeof(want),
		 " p@v/sub/s.conf:1 %s/v/sub@v/sub/s.conf:1 1@v/sub/s.conf:1;"
		 " p@v/main.conf:3 %s/v@v/main.conf:3 2@v/main.conf:3;",
		 dir, dir);
	assert_string_equal(l.text, want);
	lexed_free(&l);
}

static void test_no_include_flag(void **state)
{
	struct lexed l;

	(void)state;
	wfile("n/main.conf", "include other.conf\nincludea other.conf\nx\n", 0644);
	wfile("n/other.conf", "other\n", 0644);
	lex_file(&l, "n/main.conf", CONF_NO_INCLUDE, false);
	assert_int_equal(l.ctx.n_errors, 2);
	assert_msg(&l, true, "n/main.conf", 1, "include is not allowed");
	assert_string_equal(l.text, " x@n/main.conf:3;");
	lexed_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative_nested),
		cmocka_unit_test(test_absolute_and_quoted),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_braces),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_include_check),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_pwd_and_vars),
		cmocka_unit_test(test_no_include_flag),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
