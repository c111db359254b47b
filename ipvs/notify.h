/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The notify scripts and FIFO of real and virtual servers, a subscriber of
 * the event stream (lib/event.h): notify_up / notify_down of real servers
 * and quorum_up / quorum_down of virtual servers run with lib/spawn.h
 * (never blocking the loop; no arguments, as keepalived; each admitted by
 * script_vet() at load and reload, and killed after
 * SCRIPT_NOTIFY_TIMEOUT_MS), and lvs_notify_fifo and notify_fifo (the
 * writer shared with vrrp/notify.c, lib/fifo.h) get
 * keepalived's lines ("RS [..]:tcp:80 [..]:tcp:80 UP", "VS [..]:tcp:80
 * DOWN") through lib/fifo.h, whose lvs_notify_fifo_script is started at
 * open with the FIFO path appended.
 */
#ifndef VIGIL_IPVS_NOTIFY_H
#define VIGIL_IPVS_NOTIFY_H

#include <stdbool.h>

#include "conf/model.h"
#include "lib/event.h"

struct uv_loop_s;
struct json;
struct ipvs_notify;

/* The events ipvs_notify_on_event acts on. */
#define IPVS_NOTIFY_EVENTS                                                         \
	(EVENT_BIT(EVENT_RS_UP) | EVENT_BIT(EVENT_RS_DOWN) | EVENT_BIT(EVENT_QUORUM_UP) | \
	 EVENT_BIT(EVENT_QUORUM_DOWN))

int ipvs_notify_open(struct uv_loop_s *loop, const struct conf_global *g,
		     struct ipvs_notify **out);
/*
 * The notify_up / notify_down / quorum_up / quorum_down scripts of m pass
 * script_vet() (lib/script.h): at load and at each reload, whether the
 * notifier was kept or not. A refused one is logged now and never runs.
 * 0 or -ENOMEM.
 */
int ipvs_notify_admit_model(struct ipvs_notify *n, const struct conf_model *m);
/* Same FIFO and script settings as g? (a reload keeps the notifier then) */
bool ipvs_notify_same(const struct ipvs_notify *n, const struct conf_global *g);
/* Running scripts finish on their own (n is freed after the last one). */
void ipvs_notify_close(struct ipvs_notify *n);

/* An event_fn with data the struct ipvs_notify. */
void ipvs_notify_on_event(const struct event *ev, void *data);

/* {"scripts_run":N,"scripts_failed":N,"fifo":PATH|null,"fifo_lines":N,"fifo_dropped":N} */
void ipvs_notify_status_json(const struct ipvs_notify *n, struct json *j);

#endif
