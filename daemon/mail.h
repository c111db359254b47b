/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * E-mail alerts: a subscriber of the event stream that mails what
 * mail_msg.c composes to global_defs' notification_email addresses through
 * smtp_server, without ever blocking the loop (libuv TCP, a timeout on the
 * connection and on every reply).
 *
 * One message per event, one SMTP session per message, every recipient in
 * that session. Messages wait in a queue of MAIL_QUEUE_MAX (the one being
 * sent included): an event that finds it full is dropped and counted. A
 * message whose session fails is tried again MAIL_RETRIES times, after
 * MAIL_BACKOFF_MS, then twice that, ...; a 5xx reply is final. Every
 * failed session is logged and counted.
 */
#ifndef VIGIL_DAEMON_MAIL_H
#define VIGIL_DAEMON_MAIL_H

#include <stdint.h>

#include <uv.h>

#include "conf/model.h"
#include "lib/event.h"

#define MAIL_QUEUE_MAX 64
#define MAIL_RETRIES 2
#define MAIL_BACKOFF_MS 2000

#define MAIL_EVENTS                                                                       \
	(EVENT_BIT(EVENT_VRRP_STATE) | EVENT_BIT(EVENT_VRRP_GROUP_STATE) |                \
	 EVENT_BIT(EVENT_RS_UP) | EVENT_BIT(EVENT_RS_DOWN) | EVENT_BIT(EVENT_QUORUM_UP) | \
	 EVENT_BIT(EVENT_QUORUM_DOWN))

struct json;
struct mail;

struct mail_stats {
	uint64_t sent;	   /* messages the server accepted */
	uint64_t failed;   /* sessions that failed (each logged) */
	uint64_t retried;  /* sessions started again after a failure */
	uint64_t dropped;  /* messages not queued: the queue was full */
	uint64_t given_up; /* messages failed MAIL_RETRIES + 1 times, or refused (5xx) */
	unsigned queued;   /* waiting or being sent now */
};

/* Never fails for a model without mail; -ENOMEM. */
int mail_start(uv_loop_t *loop, const struct conf_model *m, struct mail **out);
/* A new model: new settings for the messages queued from now on. */
void mail_reload(struct mail *ml, const struct conf_model *m);
/* The subscriber (data: the struct mail). */
void mail_on_event(const struct event *ev, void *data);
void mail_stats(const struct mail *ml, struct mail_stats *st);
/* status key "mail" */
void mail_status_json(struct json *j, void *data);
/* At shutdown: closes the session and the timers, drops the queue (not
 * counted) and queues nothing more. NULL: nothing. */
void mail_stop(struct mail *ml);
/* After the loop has closed every handle (daemon/main.c's finish): frees
 * the queue and what is left of a session. NULL: nothing. */
void mail_free(struct mail *ml);

#endif
