/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/smtp_reply.h"

/* Feeds s whole; returns the status, *used and the parser for checks. */
static enum smtp_reply_status feed(struct smtp_reply *r, const char *s, size_t *used)
{
	smtp_reply_init(r);
	return smtp_reply_feed(r, s, strlen(s), used);
}

static void done_case(const char *s, int code, const char *text)
{
	struct smtp_reply r;
	size_t used;

	assert_int_equal(feed(&r, s, &used), SMTP_REPLY_DONE);
	assert_int_equal(used, strlen(s));
	assert_int_equal(r.code, code);
	assert_string_equal(r.text, text);
}

static void error_case(const char *s, size_t len, enum smtp_reply_cause cause)
{
	struct smtp_reply r;
	size_t used;

	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, s, len, &used), SMTP_REPLY_ERROR);
	assert_int_equal(r.cause, cause);
	assert_int_equal(used, len); /* an error takes everything */
	/* An error sticks: nothing fed afterwards makes a reply. */
	assert_int_equal(smtp_reply_feed(&r, "250 ok\r\n", 8, &used), SMTP_REPLY_ERROR);
}

static void test_single_line(void **state)
{
	(void)state;
	done_case("220 mail.example ESMTP ready\r\n", 220, "mail.example ESMTP ready");
	done_case("250 OK\r\n", 250, "OK");
	done_case("354 End data with <CR><LF>.<CR><LF>\r\n", 354,
		  "End data with <CR><LF>.<CR><LF>");
	done_case("221\r\n", 221, "");	  /* RFC 5321 4.2: the text is optional */
	done_case("550 no\n", 550, "no"); /* a bare LF ends a line too */
	done_case("250 \r\n", 250, "");
}

static void test_multi_line(void **state)
{
	struct smtp_reply r;
	size_t used;

	(void)state;
	done_case("250-mail.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n", 250, "8BITMIME");
	done_case("220-first\r\n220-\r\n220 last\r\n", 220, "last");
	/* Not complete until the line without the hyphen. */
	assert_int_equal(feed(&r, "250-one\r\n250-two\r\n", &used), SMTP_REPLY_MORE);
	assert_int_equal(used, 18);
	assert_int_equal(smtp_reply_feed(&r, "250 three\r\n", 11, &used), SMTP_REPLY_DONE);
	assert_int_equal(r.code, 250);
	assert_string_equal(r.text, "three");
}

static void test_split_reads(void **state)
{
	const char *s = "250-a\r\n250 bb\r\n";
	struct smtp_reply r;
	size_t i, used;

	(void)state;
	/* One byte at a time, as a slow server may send it. */
	smtp_reply_init(&r);
	for (i = 0; i + 1 < strlen(s); i++) {
		assert_int_equal(smtp_reply_feed(&r, s + i, 1, &used), SMTP_REPLY_MORE);
		assert_int_equal(used, 1);
	}
	assert_int_equal(smtp_reply_feed(&r, s + i, 1, &used), SMTP_REPLY_DONE);
	assert_int_equal(r.code, 250);
	assert_string_equal(r.text, "bb");
	/* A line end split between CR and LF. */
	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, "221 bye\r", 8, &used), SMTP_REPLY_MORE);
	assert_int_equal(smtp_reply_feed(&r, "\n", 1, &used), SMTP_REPLY_DONE);
	assert_string_equal(r.text, "bye");
}

static void test_trailing_bytes(void **state)
{
	const char *s = "250 ok\r\n354 go\r\n";
	struct smtp_reply r;
	size_t used;

	(void)state;
	/* Two replies in one read: the first ends where its line ends. */
	assert_int_equal(feed(&r, s, &used), SMTP_REPLY_DONE);
	assert_int_equal(used, 8);
	assert_int_equal(r.code, 250);
	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, s + used, strlen(s) - used, &used), SMTP_REPLY_DONE);
	assert_int_equal(r.code, 354);
}

static void test_garbage(void **state)
{
	(void)state;
	error_case("hello\r\n", 7, SMTP_RC_NO_CODE);
	error_case("hello\r\n250 ok\r\n", 15, SMTP_RC_NO_CODE);
	error_case("25\r\n", 4, SMTP_RC_NO_CODE);
	error_case("\r\n", 2, SMTP_RC_NO_CODE);
	error_case("2x0 ok\r\n", 8, SMTP_RC_NO_CODE);
	error_case("150 ok\r\n", 8, SMTP_RC_BAD_CODE);
	error_case("650 ok\r\n", 8, SMTP_RC_BAD_CODE);
	error_case("260 ok\r\n", 8, SMTP_RC_BAD_CODE);
	error_case("250_ok\r\n", 8, SMTP_RC_BAD_SEPARATOR);
	error_case("2500\r\n", 6, SMTP_RC_BAD_SEPARATOR);
	error_case("250-a\r\n251 b\r\n", 14, SMTP_RC_CODE_CHANGED);
	error_case("250 o\0k\r\n", 9, SMTP_RC_NUL);
	/* Every cause has a name for the log. */
	for (int c = 0; c < SMTP_RC__COUNT; c++)
		assert_non_null(smtp_reply_cause_names[c]);
}

static void test_overlong(void **state)
{
	char buf[2 * SMTP_REPLY_LINE_MAX];
	struct smtp_reply r;
	size_t used;

	(void)state;
	/* Exactly 512 octets with the CRLF: accepted. */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "250 ", 4);
	memcpy(buf + SMTP_REPLY_LINE_MAX - 2, "\r\n", 2);
	smtp_reply_init(&r);
	assert_int_equal(smtp_reply_feed(&r, buf, SMTP_REPLY_LINE_MAX, &used), SMTP_REPLY_DONE);
	assert_int_equal(strlen(r.text), SMTP_REPLY_LINE_MAX - 6);
	/* One more: refused, and without a line end at all too. */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "250 ", 4);
	memcpy(buf + SMTP_REPLY_LINE_MAX - 1, "\r\n", 2);
	error_case(buf, SMTP_REPLY_LINE_MAX + 1, SMTP_RC_LINE_TOO_LONG);
	memset(buf, 'x', sizeof(buf));
	error_case(buf, sizeof(buf), SMTP_RC_LINE_TOO_LONG);
}

static void test_too_many_lines(void **state)
{
	struct smtp_reply r;
	size_t used;
	unsigned i;

	(void)state;
	smtp_reply_init(&r);
	for (i = 0; i < SMTP_REPLY_LINES_MAX; i++)
		assert_int_equal(smtp_reply_feed(&r, "250-x\r\n", 7, &used), SMTP_REPLY_MORE);
	assert_int_equal(smtp_reply_feed(&r, "250-x\r\n", 7, &used), SMTP_REPLY_ERROR);
	assert_int_equal(r.cause, SMTP_RC_TOO_MANY_LINES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_line),    cmocka_unit_test(test_multi_line),
		cmocka_unit_test(test_split_reads),    cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_garbage),	       cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_too_many_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
