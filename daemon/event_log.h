/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The log as a subscriber of the event stream (lib/event.h): one line per
 * VRRP transition ("VI_1: BACKUP -> MASTER (reason)"), sync-group
 * transition, priority change, real-server and quorum change (keepalived's
 * wording: "Removing service [..]:tcp:80 from VS [..]:tcp:80: reason") and
 * checker restart.
 */
#ifndef VIGIL_DAEMON_EVENT_LOG_H
#define VIGIL_DAEMON_EVENT_LOG_H

#include "lib/event.h"

#define EVENT_LOG_EVENTS (EVENT_ALL & ~EVENT_BIT(EVENT_RELOAD)) /* reload.c logs its own */

/* An event_fn; data is unused. */
void event_log(const struct event *ev, void *data);

#endif
