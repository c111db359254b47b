/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/sdnotify.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "lib/log.h"

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>

static uv_timer_t watchdog_timer;
static bool watchdog_running;

static void notify(const char *msg)
{
	int r = sd_notify(0, msg);

	if (r < 0)
		log_debug("sd_notify: %s", uv_strerror(r));
}

void sdnotify_ready(const char *status)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "READY=1\nSTATUS=%s", status ? status : "running");
	notify(buf);
}

void sdnotify_reloading(void)
{
	char buf[96];
	struct timespec ts;

	/* systemd >= 253 wants MONOTONIC_USEC with RELOADING=1 (Type=notify-reload). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ULL +
			 (unsigned long long)ts.tv_nsec / 1000);
	notify(buf);
}

void sdnotify_stopping(void)
{
	notify("STOPPING=1");
}

void sdnotify_status(const char *fmt, ...)
{
	char buf[512];
	int n;
	va_list ap;

	n = snprintf(buf, sizeof(buf), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	notify(buf);
}

static void watchdog_cb(uv_timer_t *t)
{
	(void)t;
	notify("WATCHDOG=1");
}

int sdnotify_watchdog_start(uv_loop_t *loop)
{
	uint64_t usec = 0;
	uint64_t ms;
	int r = sd_watchdog_enabled(0, &usec);

	if (r <= 0 || usec == 0)
		return 0;
	ms = usec / 2000;
	if (ms == 0)
		ms = 1;
	uv_timer_init(loop, &watchdog_timer);
	uv_timer_start(&watchdog_timer, watchdog_cb, ms, ms);
	watchdog_running = true;
	log_info("systemd watchdog: pinging every %llu ms", (unsigned long long)ms);
	return 1;
}

void sdnotify_watchdog_stop(void)
{
	if (!watchdog_running)
		return;
	uv_timer_stop(&watchdog_timer);
	uv_close((uv_handle_t *)&watchdog_timer, NULL);
	watchdog_running = false;
}

#else

void sdnotify_ready(const char *status)
{
	(void)status;
}

void sdnotify_reloading(void)
{
}

void sdnotify_stopping(void)
{
}

void sdnotify_status(const char *fmt, ...)
{
	(void)fmt;
}

int sdnotify_watchdog_start(uv_loop_t *loop)
{
	(void)loop;
	return 0;
}

void sdnotify_watchdog_stop(void)
{
}

#endif
