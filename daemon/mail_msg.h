/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the e-mail alerts say, as keepalived 2.2.7 says it: which events
 * send a mail under which smtp_alert settings, and their subjects, bodies
 * and headers. Pure (no sockets, no clock): daemon/mail.c sends what this
 * builds, and unit tests check it line by line.
 */
#ifndef VIGIL_DAEMON_MAIL_MSG_H
#define VIGIL_DAEMON_MAIL_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/model.h"
#include "lib/event.h"

/* keepalived's MAX_HEADERS_LENGTH and MAX_BODY_LENGTH: longer is cut. */
#define MAIL_SUBJECT_MAX 256
#define MAIL_BODY_MAX 512

struct mail_msg {
	char subject[MAIL_SUBJECT_MAX];
	char body[MAIL_BODY_MAX];
};

/* Does smtp_alert hold for this instance, sync group, virtual or real
 * server? keepalived's order: the block's own smtp_alert, then global
 * smtp_alert_vrrp (or smtp_alert_checker), then global smtp_alert; unset
 * everywhere: off, except for a real server, where it is on. */
bool mail_alert_vrrp(const struct conf_global *g, int local);
bool mail_alert_vs(const struct conf_global *g, int local);
bool mail_alert_rs(const struct conf_global *g, int local);

/*
 * The mail an event sends, if any. last_state is the state of the
 * instance or group whose transition last sent a mail (-1: none yet);
 * keepalived mails a VRRP state only when it differs from that one.
 * router_id is the effective one (the host name when unset). Returns true
 * and fills m when a mail is due.
 */
bool mail_compose(const struct conf_global *g, const char *router_id, const struct event *ev,
		  int last_state, struct mail_msg *m);

/*
 * The DATA text (headers, empty line, body, the final ".") as keepalived
 * writes it, with "X-Mailer: vigil". date is RFC 5322's ("Mon, 01 Mar 2021
 * 09:44:08 +0000"); to is every recipient, comma-separated. Returns the
 * length, or -1 if it does not fit in size.
 */
int mail_format_data(char *buf, size_t size, const char *date, const char *from, const char *to,
		     const struct mail_msg *m);

#endif
