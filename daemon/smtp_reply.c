// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SMTP reply parser (see smtp_reply.h). Lines are collected one at a
 * time in r->line and checked in the RFC's order once complete.
 */
#include "config.h"

#include <string.h>

#include "daemon/smtp_reply.h"

const char *const smtp_reply_cause_names[SMTP_RC__COUNT] = {
	[SMTP_RC_NONE] = "none",
	[SMTP_RC_NO_CODE] = "line without a reply code",
	[SMTP_RC_BAD_CODE] = "reply code out of range",
	[SMTP_RC_BAD_SEPARATOR] = "no space or hyphen after the reply code",
	[SMTP_RC_CODE_CHANGED] = "reply code changed inside a multi-line reply",
	[SMTP_RC_LINE_TOO_LONG] = "reply line longer than 512 octets",
	[SMTP_RC_TOO_MANY_LINES] = "multi-line reply too long",
	[SMTP_RC_NUL] = "NUL byte in a reply",
};

void smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One complete line (without its line end). Returns DONE, MORE (a
 * continuation line) or ERROR. */
static enum smtp_reply_status end_line(struct smtp_reply *r)
{
	const char *l = r->line;
	int code;
	char sep;

	if (r->len < 3 || !is_digit(l[0]) || !is_digit(l[1]) || !is_digit(l[2])) {
		r->cause = SMTP_RC_NO_CODE;
		return SMTP_REPLY_ERROR;
	}
	/* RFC 5321 4.2: first digit 2 to 5, second 0 to 5. */
	if (l[0] < '2' || l[0] > '5' || l[1] > '5') {
		r->cause = SMTP_RC_BAD_CODE;
		return SMTP_REPLY_ERROR;
	}
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	sep = r->len > 3 ? l[3] : ' ';
	if (sep != ' ' && sep != '-') {
		r->cause = SMTP_RC_BAD_SEPARATOR;
		return SMTP_REPLY_ERROR;
	}
	if (r->multi_code && code != r->multi_code) {
		r->cause = SMTP_RC_CODE_CHANGED;
		return SMTP_REPLY_ERROR;
	}
	if (++r->lines > SMTP_REPLY_LINES_MAX) {
		r->cause = SMTP_RC_TOO_MANY_LINES;
		return SMTP_REPLY_ERROR;
	}
	if (sep == '-') {
		r->multi_code = code;
		r->len = 0;
		return SMTP_REPLY_MORE;
	}
	r->code = code;
	if (r->len > 4)
		memcpy(r->text, l + 4, r->len - 4);
	r->text[r->len > 4 ? r->len - 4 : 0] = '\0';
	return SMTP_REPLY_DONE;
}

enum smtp_reply_status smtp_reply_feed(struct smtp_reply *r, const char *buf, size_t len,
				       size_t *used)
{
	enum smtp_reply_status st;
	size_t i;

	*used = len;
	if (r->cause != SMTP_RC_NONE)
		return SMTP_REPLY_ERROR;
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\0') {
			r->cause = SMTP_RC_NUL;
			return SMTP_REPLY_ERROR;
		}
		if (c != '\n') {
			/* Room for the CR of a CRLF: 510 octets of text + CRLF. */
			if (r->len >= SMTP_REPLY_LINE_MAX - 1) {
				r->cause = SMTP_RC_LINE_TOO_LONG;
				return SMTP_REPLY_ERROR;
			}
			r->line[r->len++] = c;
			continue;
		}
		if (r->len && r->line[r->len - 1] == '\r')
			r->len--;
		r->line[r->len] = '\0';
		st = end_line(r);
		if (st == SMTP_REPLY_MORE)
			continue;
		if (st == SMTP_REPLY_DONE)
			*used = i + 1;
		return st;
	}
	return SMTP_REPLY_MORE;
}
