/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#ifndef VIGIL_SYSCONFDIR
#define VIGIL_SYSCONFDIR "/etc"
#endif
#ifndef VIGIL_RUNDIR
#define VIGIL_RUNDIR "/run"
#endif

enum { OPT_CONTROL_SOCKET = 0x100, OPT_DUMP_CONFIG, OPT_LIST_KEYWORDS, OPT_CHECKER_USER };

static const struct option long_opts[] = {
	{ "use-file", required_argument, NULL, 'f' },
	{ "dont-fork", no_argument, NULL, 'n' },
	{ "log-console", no_argument, NULL, 'l' },
	{ "log-detail", no_argument, NULL, 'D' },
	{ "log-facility", required_argument, NULL, 'S' },
	{ "pid", required_argument, NULL, 'p' },
	{ "control-socket", required_argument, NULL, OPT_CONTROL_SOCKET },
	{ "config-id", required_argument, NULL, 'i' },
	{ "checker-user", required_argument, NULL, OPT_CHECKER_USER },
	{ "config-test", no_argument, NULL, 't' },
	{ "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
	{ "list-keywords", no_argument, NULL, OPT_LIST_KEYWORDS },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void vigild_usage(FILE *f)
{
	fprintf(f,
		"Usage: vigild [OPTION]...\n"
		"High-availability director daemon (VRRP, health checks, IPVS).\n"
		"\n"
		"  -f, --use-file FILE       configuration file (default %s)\n"
		"  -n, --dont-fork           stay in the foreground\n"
		"  -l, --log-console         log to stderr instead of syslog\n"
		"  -D, --log-detail          log debug detail\n"
		"  -S, --log-facility N      syslog facility local0..local7 (0-7)\n"
		"  -p, --pid FILE            pid file (default %s, or named after the\n"
		"                            configuration's instance / net_namespace)\n"
		"      --control-socket PATH control socket (default %s, or as the pid file)\n"
		"      --checker-user USER   user the health-checker process runs as (default "
		"nobody)\n"
		"  -i, --config-id ID        id matched by '@id' config lines (default: host "
		"name)\n"
		"  -t, --config-test         check the configuration and exit\n"
		"      --dump-config         print the parsed configuration as JSON and exit\n"
		"      --list-keywords       print every config keyword as 'BLOCK KEYWORD' and exit\n"
		"  -v, --version             print the version and exit\n"
		"  -h, --help                print this help and exit\n"
		"\n"
		"Exit status: 0 ok, 1 invalid configuration, 2 usage error, 3 runtime failure.\n",
		VIGIL_SYSCONFDIR "/vigil/vigil.conf", VIGIL_RUNDIR "/vigild.pid",
		VIGIL_RUNDIR "/vigild.sock");
}

static int set_action(struct vigild_options *o, enum vigild_action a, char *err, size_t errlen)
{
	if (o->action != VIGILD_RUN && o->action != a &&
	    (o->action == VIGILD_CONFIG_TEST || o->action == VIGILD_DUMP_CONFIG) &&
	    (a == VIGILD_CONFIG_TEST || a == VIGILD_DUMP_CONFIG)) {
		snprintf(err, errlen, "--config-test and --dump-config exclude each other");
		return -1;
	}
	/* --help and --version win over everything else. */
	if (o->action == VIGILD_HELP || o->action == VIGILD_VERSION)
		return 0;
	o->action = a;
	return 0;
}

int vigild_parse_options(int argc, char **argv, struct vigild_options *o, char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->action = VIGILD_RUN;
	o->conf_file = VIGIL_SYSCONFDIR "/vigil/vigil.conf";
	o->pid_file = VIGIL_RUNDIR "/vigild.pid";
	o->control_socket = VIGIL_RUNDIR "/vigild.sock";
	o->log_facility = -1;
	o->checker_user = "nobody";
	err[0] = '\0';

	opterr = 0;
	optind = 0; /* GNU: full re-initialisation, so this can run twice */
	while ((c = getopt_long(argc, argv, ":f:nlDS:p:i:tvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!*optarg) {
				snprintf(err, errlen, "empty configuration file name");
				return -1;
			}
			o->conf_file = optarg;
			break;
		case 'n':
			o->foreground = true;
			break;
		case 'l':
			o->log_console = true;
			break;
		case 'D':
			o->log_detail = true;
			break;
		case 'S':
			if (strlen(optarg) != 1 || optarg[0] < '0' || optarg[0] > '7') {
				snprintf(err, errlen, "log facility must be 0 to 7, not '%.32s'",
					 optarg);
				return -1;
			}
			o->log_facility = optarg[0] - '0';
			break;
		case 'p':
			if (!*optarg) {
				snprintf(err, errlen, "empty pid file name");
				return -1;
			}
			o->pid_file = optarg;
			o->pid_file_given = true;
			break;
		case OPT_CONTROL_SOCKET:
			if (!*optarg) {
				snprintf(err, errlen, "empty control socket path");
				return -1;
			}
			o->control_socket = optarg;
			o->control_socket_given = true;
			break;
		case OPT_CHECKER_USER:
			if (!*optarg) {
				snprintf(err, errlen, "empty checker user");
				return -1;
			}
			o->checker_user = optarg;
			break;
		case 'i':
			if (!*optarg) {
				snprintf(err, errlen, "empty config id");
				return -1;
			}
			o->config_id = optarg;
			break;
		case 't':
			if (set_action(o, VIGILD_CONFIG_TEST, err, errlen) < 0)
				return -1;
			break;
		case OPT_DUMP_CONFIG:
			if (set_action(o, VIGILD_DUMP_CONFIG, err, errlen) < 0)
				return -1;
			break;
		case OPT_LIST_KEYWORDS:
			if (o->action != VIGILD_HELP)
				o->action = VIGILD_LIST_KEYWORDS;
			break;
		case 'v':
			if (o->action != VIGILD_HELP)
				o->action = VIGILD_VERSION;
			break;
		case 'h':
			o->action = VIGILD_HELP;
			break;
		case ':':
			snprintf(err, errlen, "option '%.64s' needs an argument", argv[optind - 1]);
			return -1;
		default:
			if (optopt && optopt < 0x100)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%.64s'", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%.64s'", argv[optind]);
		return -1;
	}
	return 0;
}
