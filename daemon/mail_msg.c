// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The e-mail alerts' rules and texts (see mail_msg.h). Facts from
 * keepalived 2.2.7: core/smtp.c (subjects, headers), vrrp/vrrp_notify.c
 * (instance and group mails), check/ipwrapper.c (quorum, removal) and the
 * check_*.c files (real server bodies), vrrp/vrrp.c and check/check_data.c
 * (which smtp_alert wins).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "daemon/mail_msg.h"
#include "vrrp/fsm.h"

static bool resolve(int local, int level_default, int global, bool fallback)
{
	if (local != CONF_TRI_UNSET)
		return local;
	if (level_default != CONF_TRI_UNSET)
		return level_default;
	if (global != CONF_TRI_UNSET)
		return global;
	return fallback;
}

bool mail_alert_vrrp(const struct conf_global *g, int local)
{
	return resolve(local, g->smtp_alert_vrrp, g->smtp_alert, false);
}

bool mail_alert_vs(const struct conf_global *g, int local)
{
	return resolve(local, g->smtp_alert_checker, g->smtp_alert, false);
}

/* keepalived's check_data.c says itself that this default differs. */
bool mail_alert_rs(const struct conf_global *g, int local)
{
	return resolve(local, g->smtp_alert_checker, g->smtp_alert, true);
}

/* Subject "STATE text" and body of a VRRP instance's or group's mail, by
 * the state it entered; NULL: that state sends none. */
struct vrrp_text {
	const char *subject, *instance_body, *group_body;
};

static const struct vrrp_text vrrp_texts[VRRP_STATE__COUNT] = {
	[VRRP_STATE_MASTER] = { "Entering MASTER state",
				"=> VRRP Instance is now owning VRRP VIPs <=",
				"=> All VRRP group instances are now in MASTER state <=" },
	[VRRP_STATE_BACKUP] = { "Entering BACKUP state",
				"=> VRRP Instance is no longer owning VRRP VIPs <=",
				"=> All VRRP group instances are now in BACKUP state <=" },
	[VRRP_STATE_FAULT] = { "Entering FAULT state",
			       "=> VRRP Instance is no longer owning VRRP VIPs <=",
			       "=> All VRRP group instances are now in FAULT state <=" },
	/* vigil's INIT is keepalived's STOP: the instance is stopped. */
	[VRRP_STATE_INIT] = { "Stopping", "=> VRRP Instance stopping <=",
			      "=> All VRRP group instances are now stopping <=" },
};

static bool compose_vrrp(const struct conf_global *g, const char *rid, const struct event *ev,
			 int last_state, struct mail_msg *m)
{
	const struct event_vrrp *e = &ev->vrrp;
	bool group = ev->kind == EVENT_VRRP_GROUP_STATE;
	const struct vrrp_text *t;
	int local;

	if (e->to < 0 || e->to >= VRRP_STATE__COUNT || e->to == last_state)
		return false;
	if (group)
		local = e->group ? e->group->smtp_alert : CONF_TRI_UNSET;
	else
		local = e->instance ? e->instance->smtp_alert : CONF_TRI_UNSET;
	if (!mail_alert_vrrp(g, local))
		return false;
	if (g->no_email_faults && e->to == VRRP_STATE_FAULT)
		return false;
	t = &vrrp_texts[e->to];
	snprintf(m->subject, sizeof(m->subject), "[%s] VRRP %s %s - %s", rid,
		 group ? "Group" : "Instance", e->name, t->subject);
	snprintf(m->body, sizeof(m->body), "%s", group ? t->group_body : t->instance_body);
	return true;
}

/* A real server's body names the checker that decided, as keepalived's
 * check_*.c do; vigil decides per real server, so the kind is known when
 * the real server has one kind of checker (else keepalived's generic text). */
struct rs_text {
	const char *up, *down;
};

static const struct rs_text rs_texts[] = {
	[CONF_CHECK_TCP] = { "=> TCP CHECK succeed on service <=",
			     "=> TCP CHECK failed on service <=" },
	[CONF_CHECK_HTTP] = { "=> CHECK succeed on service <=",
			      "=> CHECK failed on service : HTTP request failed <=" },
	[CONF_CHECK_SSL] = { "=> CHECK succeed on service <=",
			     "=> CHECK failed on service : HTTP request failed <=" },
	[CONF_CHECK_SMTP] = { "=> CHECK succeed on service <=", "=> CHECK failed on service <=" },
	[CONF_CHECK_DNS] = { "=> DNS_CHECK: succeed on service <=",
			     "=> DNS_CHECK: failed on service <=" },
	[CONF_CHECK_MISC] = { "=> CHECK succeed on service <=", "=> CHECK failed on service <=" },
	[CONF_CHECK_UDP] = { "=> UDP CHECK succeed on service <=",
			     "=> UDP CHECK failed on service <=" },
	[CONF_CHECK_PING] = { "=> ICMP CHECK succeed on service <=",
			      "=> ICMP CHECK failed on service <=" },
	[CONF_CHECK_FILE] = { "=> CHECK succeed on service <=", "=> CHECK failed on service <=" },
};

static const struct rs_text *rs_text(const struct conf_rs *rs)
{
	const struct conf_list *lists[] = { &rs->tcp_checks,  &rs->http_checks, &rs->ssl_checks,
					    &rs->smtp_checks, &rs->dns_checks,	&rs->misc_checks,
					    &rs->udp_checks,  &rs->ping_checks, &rs->file_checks };
	const struct conf_check *only = NULL;

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (const struct conf_item *it = lists[i]->head; it; it = it->next) {
			const struct conf_check *c = (const struct conf_check *)it;

			if (only && only->kind != c->kind)
				return &rs_texts[CONF_CHECK_MISC];
			only = c;
		}
	}
	if (!only || only->kind < 0 || only->kind > CONF_CHECK_FILE)
		return &rs_texts[CONF_CHECK_MISC];
	return &rs_texts[only->kind];
}

static bool compose_lvs(const struct conf_global *g, const char *rid, const struct event *ev,
			struct mail_msg *m)
{
	const struct event_lvs *e = &ev->lvs;
	bool up = ev->kind == EVENT_RS_UP || ev->kind == EVENT_QUORUM_UP;

	if (ev->kind == EVENT_QUORUM_UP || ev->kind == EVENT_QUORUM_DOWN) {
		if (!mail_alert_vs(g, e->vs ? e->vs->smtp_alert : CONF_TRI_UNSET))
			return false;
		snprintf(m->subject, sizeof(m->subject), "[%s] Virtualserver %s - %s", rid,
			 e->vs_name, up ? "UP" : "DOWN");
		if (e->stopping)
			snprintf(m->body, sizeof(m->body), "=> Shutting down <=");
		else
			snprintf(m->body, sizeof(m->body), "=> %s %u+%u=%ld <= %ld <=",
				 up ? (e->init ? "Starting with quorum up" : "Gained quorum")
				    : (e->init ? "Starting with quorum down" : "Lost quorum"),
				 e->quorum, e->hysteresis, e->threshold, e->live_weight);
		return true;
	}
	if (!mail_alert_rs(g, e->rs ? e->rs->smtp_alert : CONF_TRI_UNSET))
		return false;
	snprintf(m->subject, sizeof(m->subject), "[%s] Realserver %s of virtual server %s - %s",
		 rid, e->rs_name, e->vs_name, up ? "UP" : "DOWN");
	if (e->stopping)
		snprintf(m->body, sizeof(m->body), "=> Shutting down <=");
	else if (!e->rs)
		snprintf(m->body, sizeof(m->body), "%s",
			 up ? "=> CHECK succeed on service <=" : "=> CHECK failed on service <=");
	else
		snprintf(m->body, sizeof(m->body), "%s",
			 up ? rs_text(e->rs)->up : rs_text(e->rs)->down);
	return true;
}

bool mail_compose(const struct conf_global *g, const char *router_id, const struct event *ev,
		  int last_state, struct mail_msg *m)
{
	switch (ev->kind) {
	case EVENT_VRRP_STATE:
	case EVENT_VRRP_GROUP_STATE:
		return compose_vrrp(g, router_id, ev, last_state, m);
	case EVENT_RS_UP:
	case EVENT_RS_DOWN:
	case EVENT_QUORUM_UP:
	case EVENT_QUORUM_DOWN:
		return compose_lvs(g, router_id, ev, m);
	default:
		return false;
	}
}

int mail_format_data(char *buf, size_t size, const char *date, const char *from, const char *to,
		     const struct mail_msg *m)
{
	int n = snprintf(buf, size,
			 "Date: %s\r\nFrom: %s\r\nSubject: %s\r\nX-Mailer: vigil\r\nTo: %s\r\n\r\n"
			 "%s\r\n\r\n.\r\n",
			 date, from, m->subject, to, m->body);

	return n < 0 || (size_t)n >= size ? -1 : n;
}
