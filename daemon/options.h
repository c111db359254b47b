/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's command line, parsed without side effects (testable).
 */
#ifndef VIGIL_DAEMON_OPTIONS_H
#define VIGIL_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum vigild_action {
	VIGILD_RUN,
	VIGILD_CONFIG_TEST,
	VIGILD_DUMP_CONFIG,
	VIGILD_LIST_KEYWORDS,
	VIGILD_VERSION,
	VIGILD_HELP,
};

struct vigild_options {
	enum vigild_action action;
	const char *conf_file;
	const char *pid_file;
	const char *control_socket;
	bool pid_file_given, control_socket_given; /* else named after the configuration */
	const char *config_id;	  /* NULL: short host name */
	const char *checker_user; /* --checker-user (default "nobody") */
	bool foreground;	  /* -n */
	bool log_console;	  /* -l */
	bool log_detail;	  /* -D */
	int log_facility;	  /* -S 0..7, -1: daemon */
};

/* 0, or -1 with a message in err (usage error, exit 2). Strings point into argv. */
int vigild_parse_options(int argc, char **argv, struct vigild_options *o, char *err, size_t errlen);
void vigild_usage(FILE *f);

#endif
