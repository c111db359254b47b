/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * systemd readiness, reload, stop and watchdog notifications. No-ops when
 * built without libsystemd or when not started by systemd.
 */
#ifndef VIGIL_DAEMON_SDNOTIFY_H
#define VIGIL_DAEMON_SDNOTIFY_H

#include <uv.h>

void sdnotify_ready(const char *status);
void sdnotify_reloading(void);
void sdnotify_stopping(void);
void sdnotify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Starts a timer pinging WATCHDOG=1 at half the interval systemd asked for. */
int sdnotify_watchdog_start(uv_loop_t *loop);
void sdnotify_watchdog_stop(void);

#endif
