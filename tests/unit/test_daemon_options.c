/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/options.h"
#include "daemon/runpath.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static int parse(int argc, char **argv, struct vigild_options *o, char *err)
{
	return vigild_parse_options(argc, argv, o, err, 256);
}

static void test_defaults(void **state)
{
	char *argv[] = { "vigild", NULL };
	struct vigild_options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, &o, err), 0);
	assert_int_equal(o.action, VIGILD_RUN);
	assert_string_equal(o.conf_file, VIGIL_SYSCONFDIR "/vigil/vigil.conf");
	assert_string_equal(o.pid_file, VIGIL_RUNDIR "/vigild.pid");
	assert_string_equal(o.control_socket, VIGIL_RUNDIR "/vigild.sock");
	assert_false(o.pid_file_given);
	assert_false(o.control_socket_given);
	assert_null(o.config_id);
	assert_false(o.foreground);
	assert_false(o.log_console);
	assert_false(o.log_detail);
	assert_int_equal(o.log_facility, -1);
}

/* Run files named as keepalived 2.2.7 names its pid files (runpath.h). */
static void test_runpath(void **state)
{
	static const struct {
		const char *ns, *inst;
		bool pid_dir;
		const char *ext, *want;
	} rows[] = {
		{ NULL, NULL, false, ".pid", VIGIL_RUNDIR "/vigild.pid" },
		{ NULL, NULL, true, ".pid", VIGIL_RUNDIR "/vigil/vigild.pid" },
		{ NULL, "a", false, ".pid", VIGIL_RUNDIR "/vigil/vigild_a.pid" },
		{ NULL, "a", true, ".sock", VIGIL_RUNDIR "/vigil/vigild_a.sock" },
		{ "blue", NULL, false, ".sock", VIGIL_RUNDIR "/vigil/blue/vigild.sock" },
		{ "blue", "a", false, ".pid", VIGIL_RUNDIR "/vigil/blue/vigild_a.pid" },
	};
	static const char *const bad[] = { "", ".", "..", "a/b", "/x" };
	char buf[256], err[128];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(runpath_make(rows[i].ns, rows[i].inst, rows[i].pid_dir, rows[i].ext,
					      buf, sizeof(buf), err, sizeof(err)),
				 0);
		assert_string_equal(buf, rows[i].want);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(runpath_make(NULL, bad[i], false, ".pid", buf, sizeof(buf), err,
					      sizeof(err)),
				 -1);
		assert_non_null(strstr(err, "cannot be part of a file name"));
		assert_int_equal(runpath_make(bad[i], NULL, false, ".pid", buf, sizeof(buf), err,
					      sizeof(err)),
				 -1);
	}
	assert_int_equal(runpath_make(NULL, "a", false, ".pid", buf, 8, err, sizeof(err)), -1);
	assert_string_equal(err, "run file name too long");
}

static void test_all_options(void **state)
{
	char *argv[] = {
		"vigild", "-f",	      "/x.conf",	  "-n",	       "-l", "-D",  "-S", "3",
		"-p",	  "/r/p.pid", "--control-socket", "/r/s.sock", "-i", "lb1", NULL
	};
	char *argv2[] = { "vigild",
			  "--use-file=/y.conf",
			  "--dont-fork",
			  "--log-console",
			  "--log-detail",
			  "--log-facility",
			  "7",
			  "--pid",
			  "/p",
			  "--config-id=x",
			  "--config-test",
			  NULL };
	struct vigild_options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, &o, err), 0);
	assert_string_equal(o.conf_file, "/x.conf");
	assert_true(o.foreground && o.log_console && o.log_detail);
	assert_int_equal(o.log_facility, 3);
	assert_string_equal(o.pid_file, "/r/p.pid");
	assert_true(o.pid_file_given);
	assert_true(o.control_socket_given);
	assert_string_equal(o.control_socket, "/r/s.sock");
	assert_string_equal(o.config_id, "lb1");
	assert_int_equal(o.action, VIGILD_RUN);

	/* Runs twice in one process: getopt state is reset. */
	assert_int_equal(parse(ARGC(argv2), argv2, &o, err), 0);
	assert_string_equal(o.conf_file, "/y.conf");
	assert_int_equal(o.log_facility, 7);
	assert_string_equal(o.config_id, "x");
	assert_int_equal(o.action, VIGILD_CONFIG_TEST);
}

static void test_actions(void **state)
{
	char *a1[] = { "vigild", "-t", NULL };
	char *a2[] = { "vigild", "--dump-config", NULL };
	char *a3[] = { "vigild", "-v", NULL };
	char *a4[] = { "vigild", "-t", "-h", "-v", NULL };
	char *a5[] = { "vigild", "-t", "--dump-config", NULL };
	struct vigild_options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(ARGC(a1), a1, &o, err), 0);
	assert_int_equal(o.action, VIGILD_CONFIG_TEST);
	assert_int_equal(parse(ARGC(a2), a2, &o, err), 0);
	assert_int_equal(o.action, VIGILD_DUMP_CONFIG);
	assert_int_equal(parse(ARGC(a3), a3, &o, err), 0);
	assert_int_equal(o.action, VIGILD_VERSION);
	assert_int_equal(parse(ARGC(a4), a4, &o, err), 0);
	assert_int_equal(o.action, VIGILD_HELP);
	assert_int_equal(parse(ARGC(a5), a5, &o, err), -1);
	assert_string_equal(err, "--config-test and --dump-config exclude each other");
}

static void bad(char **argv, int argc, const char *want)
{
	struct vigild_options o;
	char err[256];

	assert_int_equal(parse(argc, argv, &o, err), -1);
	assert_string_equal(err, want);
}

static void test_usage_errors(void **state)
{
	char *a1[] = { "vigild", "-x", NULL };
	char *a2[] = { "vigild", "--bogus", NULL };
	char *a3[] = { "vigild", "-f", NULL };
	char *a4[] = { "vigild", "-S", "8", NULL };
	char *a5[] = { "vigild", "-S", "12", NULL };
	char *a6[] = { "vigild", "-S", "", NULL };
	char *a7[] = { "vigild", "stray", NULL };
	char *a8[] = { "vigild", "-f", "", NULL };
	char *a9[] = { "vigild", "--control-socket", NULL };

	(void)state;
	bad(a1, ARGC(a1), "unknown option '-x'");
	bad(a2, ARGC(a2), "unknown option '--bogus'");
	bad(a3, ARGC(a3), "option '-f' needs an argument");
	bad(a4, ARGC(a4), "log facility must be 0 to 7, not '8'");
	bad(a5, ARGC(a5), "log facility must be 0 to 7, not '12'");
	bad(a6, ARGC(a6), "log facility must be 0 to 7, not ''");
	bad(a7, ARGC(a7), "unexpected argument 'stray'");
	bad(a8, ARGC(a8), "empty configuration file name");
	bad(a9, ARGC(a9), "option '--control-socket' needs an argument");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_runpath),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
