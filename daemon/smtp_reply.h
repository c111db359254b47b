/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SMTP reply parser of the e-mail alerts: bytes from the server in,
 * one complete reply (its code) out. Pure: no sockets, no clock, no
 * allocation; the client (daemon/mail.c) feeds it what it reads.
 *
 * RFC 5321 4.2: a reply is one or more lines "CODE-text" ending with one
 * "CODE text" (or a bare "CODE"); every line ends with CRLF and carries the
 * same code. A bare LF is accepted as a line end too (servers in the wild
 * send it; keepalived 2.2.7 would wait for CRLF until its timeout). Anything
 * else (no code, a code of the wrong shape, a line longer than 4.5.3.1.5's
 * 512 octets, a NUL byte, too many lines) is an error with a cause.
 */
#ifndef VIGIL_DAEMON_SMTP_REPLY_H
#define VIGIL_DAEMON_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 5321 4.5.3.1.5: a reply line is at most 512 octets with its CRLF. */
#define SMTP_REPLY_LINE_MAX 512
/* Lines of one multi-line reply we wait for before calling it garbage. */
#define SMTP_REPLY_LINES_MAX 100

enum smtp_reply_status {
	SMTP_REPLY_MORE,  /* every byte used, the reply is not complete yet */
	SMTP_REPLY_DONE,  /* a reply is complete: code set; *used says how far */
	SMTP_REPLY_ERROR, /* garbage: cause set; the connection is beyond saving */
};

enum smtp_reply_cause {
	SMTP_RC_NONE,
	SMTP_RC_NO_CODE,	/* a line that does not start with three digits */
	SMTP_RC_BAD_CODE,	/* digits out of RFC 5321 4.2's ranges */
	SMTP_RC_BAD_SEPARATOR,	/* not ' ', '-' or the end after the code */
	SMTP_RC_CODE_CHANGED,	/* a continuation line with another code */
	SMTP_RC_LINE_TOO_LONG,	/* over SMTP_REPLY_LINE_MAX */
	SMTP_RC_TOO_MANY_LINES, /* over SMTP_REPLY_LINES_MAX */
	SMTP_RC_NUL,		/* a NUL byte */
	SMTP_RC__COUNT
};

extern const char *const smtp_reply_cause_names[SMTP_RC__COUNT];

struct smtp_reply {
	/* results */
	int code; /* DONE: 200..599 */
	enum smtp_reply_cause cause;
	char text[SMTP_REPLY_LINE_MAX]; /* DONE: the last line's text, for the log */
	/* state */
	char line[SMTP_REPLY_LINE_MAX + 1];
	size_t len;	/* of line so far */
	unsigned lines; /* of this reply so far */
	int multi_code; /* code of the "CODE-" lines seen, 0 if none */
};

/* Ready for a new reply (also after DONE, to read the next one). */
void smtp_reply_init(struct smtp_reply *r);

/*
 * Feeds len bytes. *used is set to the bytes taken: all of them for MORE
 * and ERROR, up to the end of the reply's last line for DONE (the rest
 * belongs to the next reply, which a client that waits for one reply at a
 * time treats as garbage or feeds again after smtp_reply_init).
 */
enum smtp_reply_status smtp_reply_feed(struct smtp_reply *r, const char *buf, size_t len,
				       size_t *used);

#endif
