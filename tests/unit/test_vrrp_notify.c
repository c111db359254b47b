/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/notify.c on a real loop: notify scripts run one after the other in
 * transition order with the generic notify's 4 arguments, FIFO lines arrive
 * in order, and a FIFO without a reader never blocks and counts its drops.
 */
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
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include <cmocka.h>

#include "lib/json.h"
#include "vrrp/notify.h"

static char dir[64], out[128], script[128], cmd[16][192];
static unsigned n_cmd;
static uv_loop_t loop;

static void rm_dir(void)
{
	char c[128];

	snprintf(c, sizeof(c), "rm -rf '%s'", dir);
	if (system(c) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vigil-notify-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(script, sizeof(script), "%s/rec.sh", dir);
	f = fopen(script, "w");
	if (!f)
		return -1;
	/* The first "master" run is slow: what comes next must wait for it. */
	fprintf(f, "#!/bin/sh\n[ \"$1\" = master ] && sleep 0.2\necho \"$@\" >> %s\nexit 0\n", out);
	fclose(f);
	chmod(script, 0755);
	n_cmd = 0;
	return uv_loop_init(&loop);
}

static int teardown(void **state)
{
	(void)state;
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	rm_dir();
	return 0;
}

/* "rec.sh WORD" as a conf_script command. */
static char *rec(const char *word)
{
	char *c = cmd[n_cmd++ % 16];

	snprintf(c, sizeof(cmd[0]), "%s %s", script, word);
	return c;
}

static void tick(uv_timer_t *t)
{
	(void)t;
}

static unsigned count_lines(const char *path)
{
	char line[256];
	unsigned n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/* Runs the loop until path has at least want lines, or ms passed. */
static void run_until_lines(const char *path, unsigned want, uint64_t ms)
{
	uv_timer_t guard;
	uint64_t start;

	uv_update_time(&loop);
	start = uv_now(&loop);
	uv_timer_init(&loop, &guard);
	uv_timer_start(&guard, tick, 5, 5);
	while (count_lines(path) < want && uv_now(&loop) - start < ms)
		uv_run(&loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&guard, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
}

static void expect_lines(const char *path, const char *const *want)
{
	char line[256];
	unsigned i = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		assert_non_null(want[i]);
		assert_string_equal(line, want[i]);
		i++;
	}
	fclose(f);
	assert_null(want[i]);
}

static char *status(struct vrrp_notify *n)
{
	struct json j;

	json_init(&j, false);
	vrrp_notify_status_json(n, &j);
	return json_take(&j, NULL);
}

static void test_script_order(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_instance vi;
	struct vrrp_notify *n;
	unsigned i;
	char *s;
	static const char *const want[] = {
		"master", "notify INSTANCE VI_1 MASTER 100",
		"backup", "notify INSTANCE VI_1 BACKUP 100",
		"fault",  "notify INSTANCE VI_1 FAULT 90",
		"stop",	  "notify INSTANCE VI_1 STOP 90",
		NULL,
	};

	(void)state;
	memset(&vi, 0, sizeof(vi));
	vi.hdr.name = "VI_1";
	vi.notify_master.cmd = rec("master");
	vi.notify_backup.cmd = rec("backup");
	vi.notify_fault.cmd = rec("fault");
	vi.notify_stop.cmd = rec("stop");
	vi.notify.cmd = rec("notify");
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &vi), 0);
	/* Three quick transitions and a stop, in one go. */
	vrrp_notify_instance(n, &vi, VRRP_STATE_MASTER, 100);
	vrrp_notify_instance(n, &vi, VRRP_STATE_BACKUP, 100);
	vrrp_notify_instance(n, &vi, VRRP_STATE_FAULT, 90);
	vrrp_notify_instance(n, &vi, VRRP_STATE_INIT, 90);
	run_until_lines(out, 8, 5000);
	expect_lines(out, want);
	/* The last script wrote its line; let its exit be seen too. */
	for (i = 0; i < 200; i++) {
		bool idle;

		s = status(n);
		idle = strstr(s, "\"scripts_queued\":0") != NULL;
		free(s);
		if (idle)
			break;
		run_until_lines(out, 9, 10);
	}
	s = status(n);
	assert_non_null(strstr(s, "\"scripts_run\":8,\"scripts_failed\":0"));
	assert_non_null(strstr(s, "\"scripts_queued\":0"));
	free(s);
	vrrp_notify_close(n);
}

static void test_group_and_instances_apart(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_sync_group sg;
	struct conf_vrrp_instance a, b;
	struct vrrp_notify *n;
	char line[256];
	unsigned n_lines = 0;
	bool saw_b_before_a_done = false, a_done = false;
	FILE *f;

	(void)state;
	memset(&sg, 0, sizeof(sg));
	sg.hdr.name = "G1";
	sg.notify_backup.cmd = rec("gbackup");
	sg.notify_stop.cmd = rec("gstop");
	sg.notify.cmd = rec("gnotify");
	memset(&a, 0, sizeof(a));
	a.hdr.name = "VA";
	a.notify_master.cmd = rec("master"); /* slow */
	memset(&b, 0, sizeof(b));
	b.hdr.name = "VB";
	b.notify_master.cmd = rec("other");
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &a), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &b), 0);
	assert_int_equal(vrrp_notify_admit_group(n, &sg), 0);
	vrrp_notify_group(n, &sg, VRRP_STATE_BACKUP);
	vrrp_notify_group(n, &sg, VRRP_STATE_INIT); /* group STOP: notify_stop only */
	vrrp_notify_instance(n, &a, VRRP_STATE_MASTER, 100);
	vrrp_notify_instance(n, &b, VRRP_STATE_MASTER, 100);
	run_until_lines(out, 5, 5000);
	f = fopen(out, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		n_lines++;
		if (!strcmp(line, "master"))
			a_done = true;
		if (!strcmp(line, "other") && !a_done)
			saw_b_before_a_done = true;
		if (!strncmp(line, "gnotify", 7))
			assert_string_equal(line, "gnotify GROUP G1 BACKUP 0");
	}
	fclose(f);
	assert_int_equal(n_lines, 5); /* gbackup, gnotify, gstop, master, other */
	/* Queues are per instance: VB does not wait for VA's slow script. */
	assert_true(saw_b_before_a_done);
	vrrp_notify_close(n);
}

static void test_fifo_lines(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_instance vi;
	struct conf_vrrp_sync_group sg;
	struct vrrp_notify *n;
	char fifo[128], fifo2[128], buf[512];
	struct stat st;
	ssize_t len;
	int rd, rd2;
	char *s;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(fifo2, sizeof(fifo2), "%s/vfifo", dir);
	g.notify_fifo.cmd = fifo;
	g.vrrp_notify_fifo.cmd = fifo2;
	memset(&vi, 0, sizeof(vi));
	vi.hdr.name = "VI_1";
	memset(&sg, 0, sizeof(sg));
	sg.hdr.name = "G1";
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &vi), 0);
	assert_int_equal(vrrp_notify_admit_group(n, &sg), 0);
	/* Created as FIFOs, mode 0600. */
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	rd2 = open(fifo2, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0 && rd2 >= 0);
	vrrp_notify_instance(n, &vi, VRRP_STATE_MASTER, 100);
	vrrp_notify_group(n, &sg, VRRP_STATE_BACKUP);
	vrrp_notify_instance(n, &vi, VRRP_STATE_FAULT, 0);
	vrrp_notify_instance(n, &vi, VRRP_STATE_INIT, 0);
	len = read(rd, buf, sizeof(buf) - 1);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" BACKUP 0\n"
				 "INSTANCE \"VI_1\" FAULT 0\nINSTANCE \"VI_1\" STOP 0\n");
	len = read(rd2, buf, sizeof(buf) - 1);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" BACKUP 0\n"
				 "INSTANCE \"VI_1\" FAULT 0\nINSTANCE \"VI_1\" STOP 0\n");
	s = status(n);
	assert_non_null(strstr(s, "\"fifo_lines\":8,\"fifo_dropped\":0"));
	free(s);
	close(rd);
	close(rd2);
	vrrp_notify_close(n);
}

static void test_fifo_no_reader(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_instance vi;
	struct vrrp_notify *n;
	char fifo[128], buf[256];
	unsigned i, lines, dropped;
	ssize_t len;
	int rd;
	char *s;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	g.vrrp_notify_fifo.cmd = fifo;
	memset(&vi, 0, sizeof(vi));
	vi.hdr.name = "VI_1";
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &vi), 0);
	/* Nobody reads: nothing blocks, every line is counted as dropped. */
	for (i = 0; i < 3; i++)
		vrrp_notify_instance(n, &vi, VRRP_STATE_BACKUP, 50);
	s = status(n);
	assert_non_null(strstr(s, "\"fifo_lines\":0,\"fifo_dropped\":3"));
	free(s);
	/* A reader comes: the next line gets through (the open is retried). */
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	vrrp_notify_instance(n, &vi, VRRP_STATE_MASTER, 50);
	len = read(rd, buf, sizeof(buf) - 1);
	assert_true(len > 0);
	buf[len] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER 50\n");
	/* The reader goes away: EPIPE, no SIGPIPE death, a drop, and a reopen
	 * later. */
	close(rd);
	vrrp_notify_instance(n, &vi, VRRP_STATE_FAULT, 50);
	s = status(n);
	assert_non_null(strstr(s, "\"fifo_lines\":1,\"fifo_dropped\":4"));
	free(s);
	/* A reader that does not read: the pipe fills, lines drop, no blocking. */
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	for (i = 0; i < 5000; i++)
		vrrp_notify_instance(n, &vi, VRRP_STATE_BACKUP, 50);
	s = status(n);
	assert_int_equal(sscanf(strstr(s, "\"fifo_lines\":"),
				"\"fifo_lines\":%u,\"fifo_dropped\":%u", &lines, &dropped),
			 2);
	assert_true(lines > 1 && lines < 5001);
	assert_int_equal(lines + dropped, 5005);
	free(s);
	close(rd);
	vrrp_notify_close(n);
}

static void test_fifo_script(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_instance vi;
	struct vrrp_notify *n;
	char fifo[128], reader[128], got[128], line[256], fscmd[192];
	unsigned i;
	FILE *f;
	char *s;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(reader, sizeof(reader), "%s/reader.sh", dir);
	snprintf(got, sizeof(got), "%s/got", dir);
	f = fopen(reader, "w");
	assert_non_null(f);
	/* The FIFO comes as the last argument. */
	fprintf(f, "#!/bin/sh\n[ \"$1\" = tag ] || exit 3\nexec cat \"$2\" >> %s\n", got);
	fclose(f);
	chmod(reader, 0755);
	snprintf(fscmd, sizeof(fscmd), "%s tag", reader);
	g.notify_fifo.cmd = fifo;
	g.notify_fifo_script.cmd = fscmd;
	memset(&vi, 0, sizeof(vi));
	vi.hdr.name = "VI_1";
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &vi), 0);
	/* Until the script has the FIFO open, lines drop; then they arrive. */
	for (i = 0; i < 100 && count_lines(got) == 0; i++) {
		vrrp_notify_instance(n, &vi, VRRP_STATE_MASTER, 100);
		run_until_lines(got, 1, 30);
	}
	assert_true(count_lines(got) >= 1);
	f = fopen(got, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line, "INSTANCE \"VI_1\" MASTER 100\n");
	s = status(n);
	assert_non_null(strstr(s, "\"script_running\":true"));
	free(s);
	vrrp_notify_close(n); /* SIGTERM to the reader; teardown waits for it */
}

static void test_bad_paths_and_users(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_instance vi;
	struct vrrp_notify *n;
	char notfifo[128];
	static const char *const want[] = { "backup", NULL };
	char *s;
	FILE *f;

	(void)state;
	snprintf(notfifo, sizeof(notfifo), "%s/plain", dir);
	f = fopen(notfifo, "w");
	assert_non_null(f);
	fclose(f);
	g.notify_fifo.cmd = notfifo; /* a regular file: refused, not written */
	memset(&vi, 0, sizeof(vi));
	vi.hdr.name = "VI_1";
	vi.notify_master.cmd = rec("master");
	vi.notify_master.user = "vigil-no-such-user-x";
	vi.notify_backup.cmd = rec("backup");
	vi.notify_fault.cmd = "'unterminated";
	vi.notify_stop.cmd = "/nonexistent/vigil-script";
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &vi), 0);
	vrrp_notify_instance(n, &vi, VRRP_STATE_MASTER, 100);
	vrrp_notify_instance(n, &vi, VRRP_STATE_FAULT, 100);
	vrrp_notify_instance(n, &vi, VRRP_STATE_INIT, 100);
	vrrp_notify_instance(n, &vi, VRRP_STATE_BACKUP, 100);
	run_until_lines(out, 1, 3000);
	expect_lines(out, want);
	s = status(n);
	assert_non_null(strstr(s, "\"fifos\":[]"));
	/* Refused when admitted: the user, and two programs that do not exist. */
	assert_non_null(strstr(s, "\"scripts_refused\":3"));
	free(s);
	f = fopen(notfifo, "r");
	assert_non_null(f);
	assert_int_equal(fgetc(f), EOF);
	fclose(f);
	vrrp_notify_close(n);
}

static void test_close_keeps_queue(void **state)
{
	struct conf_global g = { 0 };
	struct conf_vrrp_instance vi;
	struct vrrp_notify *n;
	static const char *const want[] = { "master", "stop", NULL };

	(void)state;
	memset(&vi, 0, sizeof(vi));
	vi.hdr.name = "VI_1";
	vi.notify_master.cmd = rec("master"); /* slow */
	vi.notify_stop.cmd = rec("stop");
	assert_int_equal(vrrp_notify_open(&loop, &g, &n), 0);
	assert_int_equal(vrrp_notify_admit_instance(n, &vi), 0);
	vrrp_notify_instance(n, &vi, VRRP_STATE_MASTER, 100);
	vrrp_notify_instance(n, &vi, VRRP_STATE_INIT, 100);
	vrrp_notify_close(n);
	uv_run(&loop, UV_RUN_DEFAULT); /* the stop script still runs after close */
	expect_lines(out, want);
	/* Nothing configured, nothing to do; NULL is harmless. */
	vrrp_notify_instance(NULL, &vi, VRRP_STATE_MASTER, 1);
	vrrp_notify_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_script_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_and_instances_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_no_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_paths_and_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_keeps_queue, setup, teardown),
	};

	/* SIGPIPE stays at its default on purpose: a write to a FIFO whose
	 * reader left must not kill us. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
