/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include <cmocka.h>

#include "lib/spawn.h"

struct run {
	bool done;
	struct spawn_result res;
	char lines[32][128];
	unsigned n_lines;
};

static void on_exit_cb(const struct spawn_result *res, void *data)
{
	struct run *r = data;

	assert_false(r->done);
	r->done = true;
	r->res = *res;
}

static void on_line(const char *line, void *data)
{
	struct run *r = data;

	if (r->n_lines < 32)
		snprintf(r->lines[r->n_lines++], sizeof(r->lines[0]), "%s", line);
}

/* Runs argv to completion on a private loop; returns uv_spawn's result. */
static int run_argv(const char *const *argv, struct spawn_opts *o, struct run *r)
{
	uv_loop_t loop;
	int rc;

	memset(r, 0, sizeof(*r));
	assert_int_equal(uv_loop_init(&loop), 0);
	o->argv = argv;
	if (o->capture_output && !o->output_fn)
		o->output_fn = on_line;
	rc = spawn_script(&loop, o, on_exit_cb, r, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	if (rc == 0)
		assert_true(r->done);
	else
		assert_false(r->done);
	return rc;
}

static void test_exit_status(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "exit 7", NULL };
	struct spawn_opts o = { 0 };
	struct run r;

	(void)state;
	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_int_equal(r.res.exit_status, 7);
	assert_int_equal(r.res.term_signal, 0);
	assert_false(r.res.timed_out);
}

static void test_killed_by_signal(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "kill -USR1 $$", NULL };
	struct spawn_opts o = { 0 };
	struct run r;

	(void)state;
	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_int_equal(r.res.term_signal, SIGUSR1);
	assert_false(r.res.timed_out);
}

static void test_output_and_stdin(void **state)
{
	/* stdin is /dev/null: cat ends at once. Both streams are captured. */
	const char *const argv[] = { "/bin/sh", "-c", "cat; echo out; echo err >&2; printf tail",
				     NULL };
	struct spawn_opts o = { .capture_output = true };
	struct run r;

	(void)state;
	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_int_equal(r.res.exit_status, 0);
	assert_int_equal(r.n_lines, 3);
	assert_string_equal(r.lines[0], "out");
	assert_string_equal(r.lines[1], "err");
	assert_string_equal(r.lines[2], "tail");
}

static void test_output_logged(void **state)
{
	/* Without output_fn lines go to the log (stderr here), bounded. */
	const char *const argv[] = { "/bin/sh", "-c",
				     "i=0; while [ $i -lt 500 ]; do "
				     "echo line $i; i=$((i+1)); done",
				     NULL };
	struct spawn_opts o = { .capture_output = true, .name = "chatty" };
	struct run r;
	uv_loop_t loop;

	(void)state;
	memset(&r, 0, sizeof(r));
	o.argv = argv;
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(spawn_script(&loop, &o, on_exit_cb, &r, NULL), 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_true(r.done);
	assert_int_equal(r.res.exit_status, 0);
}

static void test_timeout_term(void **state)
{
	const char *const argv[] = { "/bin/sleep", "30", NULL };
	struct spawn_opts o = { .timeout_ms = 200 };
	uint64_t t0 = uv_hrtime();
	struct run r;

	(void)state;
	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_true(r.res.timed_out);
	assert_int_equal(r.res.term_signal, SIGTERM);
	assert_true(uv_hrtime() - t0 < 1500000000ULL);
}

static void test_timeout_kill(void **state)
{
	/* Ignores SIGTERM (and so does its child): SIGKILL after the grace period. */
	const char *const argv[] = { "/bin/sh", "-c", "trap '' TERM; sleep 30; exit 0", NULL };
	struct spawn_opts o = { .timeout_ms = 100 };
	uint64_t t0 = uv_hrtime(), ms;
	struct run r;

	(void)state;
	assert_int_equal(run_argv(argv, &o, &r), 0);
	ms = (uv_hrtime() - t0) / 1000000;
	assert_true(r.res.timed_out);
	assert_int_equal(r.res.term_signal, SIGKILL);
	assert_true(ms >= SPAWN_KILL_GRACE_MS);
	assert_true(ms < SPAWN_KILL_GRACE_MS + 3000);
}

static void test_timeout_kills_group(void **state)
{
	/* The grandchild is in the script's process group and dies with it. */
	const char *const argv[] = { "/bin/sh", "-c", "sleep 30 & echo $!; wait", NULL };
	struct spawn_opts o = { .timeout_ms = 300, .capture_output = true };
	struct run r;
	long gpid;
	int i;

	(void)state;
	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_true(r.res.timed_out);
	assert_int_equal(r.n_lines, 1);
	gpid = strtol(r.lines[0], NULL, 10);
	assert_true(gpid > 1);
	/* It was signalled; it may take a moment to be reaped by init. */
	for (i = 0; i < 100 && kill((pid_t)gpid, 0) == 0; i++) {
		char path[64], st[256] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%ld/stat", gpid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(st, sizeof(st), f))
				st[0] = '\0';
			fclose(f);
		}
		if (strstr(st, ") Z "))
			break; /* a zombie: dead */
		usleep(20000);
	}
	assert_true(i < 100);
}

static void test_no_inherited_fds(void **state)
{
	/* ls lists its own directory descriptor too: 0, 1, 2 and that one. */
	const char *const argv[] = { "/bin/ls", "/proc/self/fd", NULL };
	const char *const argv2[] = { "/bin/sh", "-c",
				      "for f in 50 60 61 62; do [ -e /proc/$$/fd/$f ] && exit 1; "
				      "done; exit 0",
				      NULL };
	struct spawn_opts o = { .capture_output = true };
	struct spawn_opts o2 = { 0 };
	int p[2], fd, s;
	struct run r;
	unsigned i;

	(void)state;
	/* Descriptors without O_CLOEXEC, as a careless library would leave them. */
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 50), 50);
	close(fd);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s >= 0);
	assert_int_equal(dup2(s, 60), 60);
	close(s);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(dup2(p[0], 61), 61);
	assert_int_equal(dup2(p[1], 62), 62);
	close(p[0]);
	close(p[1]);
	assert_int_equal(fcntl(50, F_GETFD) & FD_CLOEXEC, 0);

	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_int_equal(r.res.exit_status, 0);
	assert_int_equal(r.n_lines, 4);
	for (i = 0; i < 4; i++) {
		char want[8];

		snprintf(want, sizeof(want), "%u", i);
		assert_string_equal(r.lines[i], want);
	}
	assert_int_equal(run_argv(argv2, &o2, &r), 0);
	assert_int_equal(r.res.exit_status, 0);
	close(50);
	close(60);
	close(61);
	close(62);
}

static void test_uid_gid(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "id -u; id -g; id -G", NULL };
	struct spawn_opts o = {
		.capture_output = true, .id = { .set = true, .uid = 65534, .gid = 65534 }
	};
	struct run r;

	(void)state;
	if (geteuid() != 0)
		fail_msg("needs root to change uid and gid (make check runs as root)");
	assert_int_equal(run_argv(argv, &o, &r), 0);
	assert_int_equal(r.res.exit_status, 0);
	assert_int_equal(r.n_lines, 3);
	assert_string_equal(r.lines[0], "65534");
	assert_string_equal(r.lines[1], "65534");
	/* Supplementary groups are dropped too. */
	assert_string_equal(r.lines[2], "65534");
}

static void test_spawn_failure(void **state)
{
	const char *const argv[] = { "/nonexistent/script", NULL };
	const char *const empty[] = { NULL };
	struct spawn_opts o = { 0 };
	struct run r;

	(void)state;
	assert_true(run_argv(argv, &o, &r) < 0);
	o.argv = empty;
	assert_int_equal(spawn_script(NULL, &o, on_exit_cb, &r, NULL), -EINVAL);
}

static void test_spawn_command(void **state)
{
	struct spawn_opts o = { .capture_output = true, .output_fn = on_line };
	struct run r;
	uv_loop_t loop;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(spawn_command(&loop, "/bin/echo 'a  b' \"c \\\"d\\\"\" e\\ f", &o,
				       on_exit_cb, &r, NULL),
			 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_true(r.done);
	assert_int_equal(r.n_lines, 1);
	assert_string_equal(r.lines[0], "a  b c \"d\" e f");
	assert_int_equal(spawn_command(&loop, "'unterminated", &o, on_exit_cb, &r, NULL), -EINVAL);
}

static void split_ok(const char *cmd, const char *const *want)
{
	const char *err = NULL;
	char **argv;
	size_t i;

	assert_int_equal(spawn_split_command(cmd, &argv, &err), 0);
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
	spawn_argv_free(argv);
}

static void split_bad(const char *cmd, const char *want_err)
{
	const char *err = NULL;
	char **argv = (char **)1;

	assert_int_equal(spawn_split_command(cmd, &argv, &err), -1);
	assert_null(argv);
	assert_string_equal(err, want_err);
}

static void test_split(void **state)
{
	char *big;

	(void)state;
	split_ok("/usr/bin/foo", (const char *const[]){ "/usr/bin/foo", NULL });
	split_ok("  /bin/x   a\tb  ", (const char *const[]){ "/bin/x", "a", "b", NULL });
	split_ok("/bin/notify.sh 'VI 1' MASTER",
		 (const char *const[]){ "/bin/notify.sh", "VI 1", "MASTER", NULL });
	split_ok("a 'it''s' \"x\\\\y\" '\\n'",
		 (const char *const[]){ "a", "its", "x\\y", "\\n", NULL });
	split_ok("a \"\" ''", (const char *const[]){ "a", "", "", NULL });
	split_ok("pre'mid dle'post", (const char *const[]){ "premid dlepost", NULL });
	split_ok("a\\ b", (const char *const[]){ "a b", NULL });
	split_bad("", "empty command");
	split_bad("   ", "empty command");
	split_bad(NULL, "empty command");
	split_bad("a 'b", "unterminated single quote");
	split_bad("a \"b", "unterminated double quote");
	split_bad("a \"b\\\"", "unterminated double quote");
	split_bad("a b\\", "backslash at end of command");
	big = malloc(SPAWN_MAX_CMD + 2);
	memset(big, 'a', SPAWN_MAX_CMD + 1);
	big[SPAWN_MAX_CMD + 1] = '\0';
	split_bad(big, "command too long");
	for (size_t i = 0; i < SPAWN_MAX_CMD; i += 2)
		big[i + 1] = ' ';
	big[SPAWN_MAX_CMD] = '\0';
	split_bad(big, "too many arguments");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_killed_by_signal),
		cmocka_unit_test(test_output_and_stdin),
		cmocka_unit_test(test_output_logged),
		cmocka_unit_test(test_timeout_term),
		cmocka_unit_test(test_timeout_kill),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_no_inherited_fds),
		cmocka_unit_test(test_uid_gid),
		cmocka_unit_test(test_spawn_failure),
		cmocka_unit_test(test_spawn_command),
		cmocka_unit_test(test_split),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("spawn", tests, NULL, NULL);
}
