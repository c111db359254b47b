/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/mail_msg.h"
#include "vrrp/fsm.h"

static struct conf_global globals(int alert, int alert_vrrp, int alert_checker)
{
	struct conf_global g;

	memset(&g, 0, sizeof(g));
	g.smtp_alert = (int8_t)alert;
	g.smtp_alert_vrrp = (int8_t)alert_vrrp;
	g.smtp_alert_checker = (int8_t)alert_checker;
	return g;
}

#define U CONF_TRI_UNSET

/* keepalived 2.2.7 vrrp.c and check_data.c: the block, then the level's
 * global default, then global smtp_alert; a real server defaults to on. */
static void test_levels(void **state)
{
	struct conf_global g;

	(void)state;
	g = globals(U, U, U);
	assert_false(mail_alert_vrrp(&g, U));
	assert_false(mail_alert_vs(&g, U));
	assert_true(mail_alert_rs(&g, U));
	assert_true(mail_alert_vrrp(&g, 1));
	assert_false(mail_alert_rs(&g, 0));
	g = globals(1, U, U);
	assert_true(mail_alert_vrrp(&g, U));
	assert_true(mail_alert_vs(&g, U));
	assert_false(mail_alert_vrrp(&g, 0));
	g = globals(1, 0, U);
	assert_false(mail_alert_vrrp(&g, U));
	assert_true(mail_alert_vs(&g, U));
	g = globals(0, 1, 0);
	assert_true(mail_alert_vrrp(&g, U));
	assert_false(mail_alert_vs(&g, U));
	assert_false(mail_alert_rs(&g, U));
	assert_true(mail_alert_rs(&g, 1));
	g = globals(U, U, 1);
	assert_false(mail_alert_vrrp(&g, U));
	assert_true(mail_alert_vs(&g, U));
}

static struct event vrrp_ev(enum event_kind k, const char *name, int from, int to,
			    const struct conf_vrrp_instance *vi,
			    const struct conf_vrrp_sync_group *sg)
{
	struct event ev = { .kind = k };

	ev.vrrp.name = name;
	ev.vrrp.from = from;
	ev.vrrp.to = to;
	ev.vrrp.instance = vi;
	ev.vrrp.group = sg;
	return ev;
}

static void test_vrrp(void **state)
{
	struct conf_vrrp_instance vi;
	struct conf_vrrp_sync_group sg;
	struct conf_global g = globals(U, U, U);
	struct mail_msg m;
	struct event ev;

	(void)state;
	memset(&vi, 0, sizeof(vi));
	memset(&sg, 0, sizeof(sg));
	vi.smtp_alert = 1;
	sg.smtp_alert = 1;
	ev = vrrp_ev(EVENT_VRRP_STATE, "VI_1", VRRP_STATE_BACKUP, VRRP_STATE_MASTER, &vi, NULL);
	assert_true(mail_compose(&g, "LVS_1", &ev, -1, &m));
	assert_string_equal(m.subject, "[LVS_1] VRRP Instance VI_1 - Entering MASTER state");
	assert_string_equal(m.body, "=> VRRP Instance is now owning VRRP VIPs <=");
	/* The state of the last mail again: none (vrrp_notify.c's last_email_state). */
	assert_false(mail_compose(&g, "LVS_1", &ev, VRRP_STATE_MASTER, &m));
	ev = vrrp_ev(EVENT_VRRP_STATE, "VI_1", VRRP_STATE_MASTER, VRRP_STATE_BACKUP, &vi, NULL);
	assert_true(mail_compose(&g, "LVS_1", &ev, VRRP_STATE_MASTER, &m));
	assert_string_equal(m.subject, "[LVS_1] VRRP Instance VI_1 - Entering BACKUP state");
	assert_string_equal(m.body, "=> VRRP Instance is no longer owning VRRP VIPs <=");
	ev = vrrp_ev(EVENT_VRRP_STATE, "VI_1", VRRP_STATE_MASTER, VRRP_STATE_FAULT, &vi, NULL);
	assert_true(mail_compose(&g, "r", &ev, VRRP_STATE_MASTER, &m));
	assert_string_equal(m.subject, "[r] VRRP Instance VI_1 - Entering FAULT state");
	assert_string_equal(m.body, "=> VRRP Instance is no longer owning VRRP VIPs <=");
	g.no_email_faults = true;
	assert_false(mail_compose(&g, "r", &ev, VRRP_STATE_MASTER, &m));
	ev = vrrp_ev(EVENT_VRRP_STATE, "VI_1", VRRP_STATE_MASTER, VRRP_STATE_INIT, &vi, NULL);
	assert_true(mail_compose(&g, "r", &ev, VRRP_STATE_MASTER, &m));
	assert_string_equal(m.subject, "[r] VRRP Instance VI_1 - Stopping");
	assert_string_equal(m.body, "=> VRRP Instance stopping <=");
	/* smtp_alert off on the instance */
	vi.smtp_alert = 0;
	ev = vrrp_ev(EVENT_VRRP_STATE, "VI_1", VRRP_STATE_BACKUP, VRRP_STATE_MASTER, &vi, NULL);
	assert_false(mail_compose(&g, "r", &ev, -1, &m));
	/* a sync group */
	ev = vrrp_ev(EVENT_VRRP_GROUP_STATE, "G1", VRRP_STATE_BACKUP, VRRP_STATE_MASTER, NULL, &sg);
	assert_true(mail_compose(&g, "r", &ev, -1, &m));
	assert_string_equal(m.subject, "[r] VRRP Group G1 - Entering MASTER state");
	assert_string_equal(m.body, "=> All VRRP group instances are now in MASTER state <=");
	ev = vrrp_ev(EVENT_VRRP_GROUP_STATE, "G1", VRRP_STATE_MASTER, VRRP_STATE_BACKUP, NULL, &sg);
	assert_true(mail_compose(&g, "r", &ev, -1, &m));
	assert_string_equal(m.body, "=> All VRRP group instances are now in BACKUP state <=");
	/* other events send nothing */
	ev = vrrp_ev(EVENT_VRRP_PRIORITY, "VI_1", VRRP_STATE_MASTER, VRRP_STATE_MASTER, &vi, NULL);
	assert_false(mail_compose(&g, "r", &ev, -1, &m));
}

static void test_lvs(void **state)
{
	struct conf_global g = globals(U, U, U);
	struct conf_check tcp, http;
	struct conf_rs rs;
	struct conf_vs vs;
	struct mail_msg m;
	struct event ev = { .kind = EVENT_RS_DOWN };

	(void)state;
	memset(&rs, 0, sizeof(rs));
	memset(&vs, 0, sizeof(vs));
	memset(&tcp, 0, sizeof(tcp));
	memset(&http, 0, sizeof(http));
	tcp.kind = CONF_CHECK_TCP;
	http.kind = CONF_CHECK_HTTP;
	rs.smtp_alert = U;
	vs.smtp_alert = U;
	rs.tcp_checks.head = &tcp.hdr;
	ev.lvs.vs_name = "[198.18.0.10]:tcp:80";
	ev.lvs.rs_name = "[198.18.1.1]:tcp:80";
	ev.lvs.vs = &vs;
	ev.lvs.rs = &rs;
	/* A real server mails by default. */
	assert_true(mail_compose(&g, "d1", &ev, -1, &m));
	assert_string_equal(m.subject, "[d1] Realserver [198.18.1.1]:tcp:80 of virtual server "
				       "[198.18.0.10]:tcp:80 - DOWN");
	assert_string_equal(m.body, "=> TCP CHECK failed on service <=");
	ev.kind = EVENT_RS_UP;
	assert_true(mail_compose(&g, "d1", &ev, -1, &m));
	assert_string_equal(m.subject, "[d1] Realserver [198.18.1.1]:tcp:80 of virtual server "
				       "[198.18.0.10]:tcp:80 - UP");
	assert_string_equal(m.body, "=> TCP CHECK succeed on service <=");
	/* Two kinds of checker: keepalived's generic text. */
	rs.http_checks.head = &http.hdr;
	assert_true(mail_compose(&g, "d1", &ev, -1, &m));
	assert_string_equal(m.body, "=> CHECK succeed on service <=");
	ev.lvs.stopping = true;
	ev.kind = EVENT_RS_DOWN;
	assert_true(mail_compose(&g, "d1", &ev, -1, &m));
	assert_string_equal(m.body, "=> Shutting down <=");
	ev.lvs.stopping = false;
	rs.smtp_alert = 0;
	assert_false(mail_compose(&g, "d1", &ev, -1, &m));
	/* Quorum: only with smtp_alert on the virtual server or above. */
	ev.kind = EVENT_QUORUM_DOWN;
	ev.lvs.quorum = 2;
	ev.lvs.hysteresis = 1;
	ev.lvs.threshold = 1;
	ev.lvs.live_weight = 0;
	assert_false(mail_compose(&g, "d1", &ev, -1, &m));
	vs.smtp_alert = 1;
	assert_true(mail_compose(&g, "d1", &ev, -1, &m));
	assert_string_equal(m.subject, "[d1] Virtualserver [198.18.0.10]:tcp:80 - DOWN");
	assert_string_equal(m.body, "=> Lost quorum 2+1=1 <= 0 <=");
	ev.kind = EVENT_QUORUM_UP;
	ev.lvs.init = true;
	ev.lvs.threshold = 3;
	ev.lvs.live_weight = 4;
	assert_true(mail_compose(&g, "d1", &ev, -1, &m));
	assert_string_equal(m.subject, "[d1] Virtualserver [198.18.0.10]:tcp:80 - UP");
	assert_string_equal(m.body, "=> Starting with quorum up 2+1=3 <= 4 <=");
}

static void test_format(void **state)
{
	struct mail_msg m = { "[r] VRRP Instance V - Entering MASTER state",
			      "=> VRRP Instance is now owning VRRP VIPs <=" };
	char buf[1024], small[32];
	int n;

	(void)state;
	n = mail_format_data(buf, sizeof(buf), "Tue, 08 Dec 2026 01:00:00 +0000", "a@b", "x@y, z@w",
			     &m);
	assert_string_equal(buf, "Date: Tue, 08 Dec 2026 01:00:00 +0000\r\n"
				 "From: a@b\r\n"
				 "Subject: [r] VRRP Instance V - Entering MASTER state\r\n"
				 "X-Mailer: vigil\r\n"
				 "To: x@y, z@w\r\n"
				 "\r\n"
				 "=> VRRP Instance is now owning VRRP VIPs <=\r\n"
				 "\r\n.\r\n");
	assert_int_equal(n, (int)strlen(buf));
	assert_int_equal(mail_format_data(small, sizeof(small), "d", "f", "t", &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_vrrp),
		cmocka_unit_test(test_lvs),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
