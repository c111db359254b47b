/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "lib/log.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static struct {
	bool syslog;
	bool debug;
	char ident[32];
} lg = { .ident = "vigild" };

static const int local_facilities[8] = { LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
					 LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7 };

void log_open(const char *ident, bool to_stderr, bool debug, int facility)
{
	int fac = LOG_DAEMON;

	snprintf(lg.ident, sizeof(lg.ident), "%s", ident ? ident : "vigild");
	lg.debug = debug;
	if (facility >= 0 && facility < 8)
		fac = local_facilities[facility];
	if (lg.syslog)
		closelog();
	lg.syslog = !to_stderr;
	if (lg.syslog)
		openlog(lg.ident, LOG_PID | LOG_NDELAY, fac);
}

void log_close(void)
{
	if (lg.syslog)
		closelog();
	lg.syslog = false;
}

bool log_debug_enabled(void)
{
	return lg.debug;
}

static const char *const level_names[] = { "error", "warning", "info", "debug" };
static const int level_prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[2048];
	struct timeval tv;
	struct tm tm;
	char ts[32];

	if (lvl > LOG_LVL_DEBUG)
		lvl = LOG_LVL_DEBUG;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (lg.syslog) {
		syslog(level_prio[lvl], "%s", line);
		return;
	}
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s[%ld]: %s: %s\n", ts, (long)(tv.tv_usec / 1000), lg.ident,
		(long)getpid(), level_names[lvl], line);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}
