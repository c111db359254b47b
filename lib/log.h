/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: syslog (journald reads it) or stderr. Wall-clock time appears
 * only here, in the stderr line prefix.
 */
#ifndef VIGIL_LIB_LOG_H
#define VIGIL_LIB_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/*
 * to_stderr: log to stderr instead of syslog. debug: emit log_debug lines.
 * facility: -1 for LOG_DAEMON, 0..7 for LOG_LOCAL0..7.
 * Before log_open (and in tests) lines go to stderr, debug off.
 */
void log_open(const char *ident, bool to_stderr, bool debug, int facility);
void log_close(void);
bool log_debug_enabled(void);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)                                       \
	do {                                                 \
		if (log_debug_enabled())                     \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
