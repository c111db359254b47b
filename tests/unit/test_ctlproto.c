/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/json.h"
#include "daemon/ctlproto.h"
#include "lib/jsonread.h"

static int parse(const char *s, size_t len, enum ctl_command *cmd, const char **err)
{
	struct ctl_request req;
	int r;

	*err = NULL;
	r = ctl_parse_request(s, len, &req, err);
	*cmd = req.cmd;
	return r;
}

static void ok_case(const char *s, enum ctl_command want)
{
	enum ctl_command cmd;
	const char *err;

	assert_int_equal(parse(s, strlen(s), &cmd, &err), 0);
	assert_int_equal(cmd, want);
	assert_null(err);
}

static void bad_case(const char *s, size_t len, const char *want_err)
{
	enum ctl_command cmd;
	const char *err;

	assert_int_equal(parse(s, len, &cmd, &err), -1);
	assert_int_equal(cmd, CTL_CMD_NONE);
	assert_non_null(err);
	assert_string_equal(err, want_err);
}

static void test_valid(void **state)
{
	(void)state;
	ok_case("status", CTL_CMD_STATUS);
	ok_case("reload", CTL_CMD_RELOAD);
	ok_case("dump-config", CTL_CMD_DUMP_CONFIG);
	ok_case("  status\t ", CTL_CMD_STATUS);
	ok_case("status\r", CTL_CMD_STATUS);
	ok_case("\treload", CTL_CMD_RELOAD);
	assert_string_equal(ctl_command_name(CTL_CMD_DUMP_CONFIG), "dump-config");
	assert_string_equal(ctl_command_name(CTL_CMD_NONE), "none");
}

static void test_empty(void **state)
{
	(void)state;
	bad_case("", 0, "empty request");
	bad_case(NULL, 0, "empty request");
	bad_case("   \t", 4, "empty request");
	bad_case("\r", 1, "empty request");
}

static void test_unknown(void **state)
{
	(void)state;
	bad_case("stat", 4, "unknown command (expected status, reload or dump-config)");
	bad_case("STATUS", 6, "unknown command (expected status, reload or dump-config)");
	bad_case("statusx", 7, "unknown command (expected status, reload or dump-config)");
	bad_case("dump", 4, "unknown command (expected status, reload or dump-config)");
	/* Only the given length counts: "status" cut short. */
	bad_case("status", 5, "unknown command (expected status, reload or dump-config)");
}

static void test_extra_words(void **state)
{
	(void)state;
	bad_case("status now", 10, "unexpected argument after command");
	bad_case("reload reload", 13, "unexpected argument after command");
	bad_case("foo bar", 7, "unexpected argument after command");
}

static void test_binary(void **state)
{
	(void)state;
	bad_case("stat\0us", 7, "request contains a NUL byte");
	bad_case("status\0", 7, "request contains a NUL byte");
	bad_case("sta\x01tus", 7, "request contains binary data");
	bad_case("status\n", 7, "request contains binary data"); /* newline is not ours to see */
	bad_case("st\xc3\xa4tus", 7, "request contains binary data");
	bad_case("\x7f", 1, "request contains binary data");
	bad_case("status\r\r", 8, "request contains binary data");
}

static void test_too_long(void **state)
{
	char *buf = malloc(CTL_MAX_LINE + 10);

	(void)state;
	memset(buf, ' ', CTL_MAX_LINE + 10);
	memcpy(buf, "status", 6);
	/* CTL_MAX_LINE - 1 bytes plus the newline fit exactly. */
	{
		struct ctl_request req;
		const char *err = NULL;

		assert_int_equal(ctl_parse_request(buf, CTL_MAX_LINE - 1, &req, &err), 0);
		assert_int_equal(req.cmd, CTL_CMD_STATUS);
	}
	bad_case(buf, CTL_MAX_LINE, "request too long");
	bad_case(buf, CTL_MAX_LINE + 10, "request too long");
	free(buf);
}

static char *take(struct json *j)
{
	size_t len;
	char *s = json_take(j, &len);

	json_free(j);
	return s;
}

static void test_replies(void **state)
{
	struct json j;
	char *s;

	(void)state;
	json_init(&j, false);
	ctl_reply_error(&j, "bad \"thing\"\n");
	s = take(&j);
	assert_string_equal(s, "{\"ok\":false,\"error\":\"bad \\\"thing\\\"\\n\"}");
	free(s);

	json_init(&j, false);
	ctl_reply_ok_begin(&j);
	json_obj_begin(&j);
	json_kbool(&j, "reloaded", true);
	json_kuint(&j, "generation", 7);
	json_obj_end(&j);
	ctl_reply_ok_end(&j);
	s = take(&j);
	assert_string_equal(s, "{\"ok\":true,\"result\":{\"reloaded\":true,\"generation\":7}}");
	free(s);

	json_init(&j, false);
	ctl_reply_err_begin(&j, "configuration rejected");
	json_key(&j, "errors");
	json_arr_begin(&j);
	json_str(&j, "a.conf:3: error: x");
	json_arr_end(&j);
	ctl_reply_err_end(&j);
	s = take(&j);
	assert_string_equal(s, "{\"ok\":false,\"error\":\"configuration rejected\","
			       "\"errors\":[\"a.conf:3: error: x\"]}");
	free(s);
}

/* The reader vigilctl uses gives back what the writer produced. */
static void test_jsonread_roundtrip(void **state)
{
	static const char *const texts[] = {
		"{\"ok\":true,\"result\":{\"a\":[1,-2,3.5,true,false,null,"
		"\"x\\u00e9\\ud83d\\ude00\"],"
		"\"b\":{},\"c\":[],\"big\":18446744073709551615}}",
		"[]",
		"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
	};
	static const char *const bad[] = {
		"",	 "{",	    "[1,]", "{\"a\"}",		"{\"a\":1,}", "tru",
		"\"abc", "\"\\x\"", "1 2",  "{\"a\":\"\x01\"}", "-",	      "\"\\ud800\\u0041\"",
		"{1:2}",
	};
	const struct jv *ok;
	struct jv *v;
	const char *err;
	struct json j;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		v = jv_parse(texts[i], strlen(texts[i]), &err);
		assert_non_null(v);
		json_init(&j, false);
		jv_write(v, &j);
		s = take(&j);
		/* Re-parse of the output must succeed and print the same again. */
		jv_free(v);
		v = jv_parse(s, strlen(s), &err);
		assert_non_null(v);
		json_init(&j, false);
		jv_write(v, &j);
		{
			char *s2 = take(&j);

			assert_string_equal(s, s2);
			free(s2);
		}
		free(s);
		jv_free(v);
	}
	v = jv_parse(texts[0], strlen(texts[0]), &err);
	ok = jv_get(v, "ok");
	assert_non_null(ok);
	assert_int_equal(ok->type, JV_BOOL);
	assert_true(ok->b);
	assert_int_equal(jv_int(jv_get(v, "missing")), 0);
	assert_string_equal(jv_get(v, "result")->child->child->next->str, "-2");
	jv_free(v);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = NULL;
		v = jv_parse(bad[i], strlen(bad[i]), &err);
		assert_null(v);
		assert_non_null(err);
	}
}

static void test_jsonread_depth(void **state)
{
	char buf[512];
	const char *err;
	struct jv *v;

	(void)state;
	memset(buf, '[', sizeof(buf));
	v = jv_parse(buf, sizeof(buf), &err);
	assert_null(v);
	assert_string_equal(err, "nested too deeply");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),	       cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unknown),	       cmocka_unit_test(test_extra_words),
		cmocka_unit_test(test_binary),	       cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_replies),	       cmocka_unit_test(test_jsonread_roundtrip),
		cmocka_unit_test(test_jsonread_depth),
	};

	return cmocka_run_group_tests_name("ctlproto", tests, NULL, NULL);
}
