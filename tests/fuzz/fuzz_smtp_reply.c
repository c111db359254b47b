/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the SMTP reply parser of the e-mail alerts, fed what a
 * hostile or broken mail server sends, in the pieces a socket may cut it
 * into (the first byte chooses the piece size). Checks what the client
 * relies on: a reply's code is in range, *used never passes the input,
 * and an error always has a cause.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/smtp_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reply r;
	size_t piece, off = 0;

	if (size < 1)
		return 0;
	piece = data[0] % 16 + 1;
	data++;
	size--;
	smtp_reply_init(&r);
	while (off < size) {
		size_t n = size - off < piece ? size - off : piece, used = 0;
		enum smtp_reply_status st;

		st = smtp_reply_feed(&r, (const char *)data + off, n, &used);
		if (used > n || (st != SMTP_REPLY_DONE && used != n))
			abort();
		if (st == SMTP_REPLY_ERROR) {
			if (r.cause == SMTP_RC_NONE || r.cause >= SMTP_RC__COUNT)
				abort();
			break;
		}
		if (st == SMTP_REPLY_DONE) {
			if (r.code < 200 || r.code > 559 || strlen(r.text) >= SMTP_REPLY_LINE_MAX)
				abort();
			if (used == 0)
				abort();
			smtp_reply_init(&r);
		}
		off += used;
	}
	return 0;
}
