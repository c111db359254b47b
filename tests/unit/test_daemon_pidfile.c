/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/pidfile.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vigil-pidtest.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/vigild.pid", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void test_acquire_release(void **state)
{
	struct pidfile pf;
	char buf[32] = "";
	FILE *f;
	int fl;

	(void)state;
	assert_int_equal(pidfile_acquire(&pf, path, NULL), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_int_equal(strtol(buf, NULL, 10), (long)getpid());
	fl = fcntl(pf.fd, F_GETFD);
	assert_true(fl & FD_CLOEXEC);
	pidfile_release(&pf);
	assert_int_equal(pf.fd, -1);
	assert_int_equal(access(path, F_OK), -1);
	/* Releasing twice is harmless. */
	pidfile_release(&pf);
}

static void test_second_holder_refused(void **state)
{
	struct pidfile pf, pf2;
	pid_t holder = 0, child;
	int st;

	(void)state;
	assert_int_equal(pidfile_acquire(&pf, path, NULL), 0);
	/* Another open file description, even in the same process, conflicts. */
	assert_int_equal(pidfile_acquire(&pf2, path, &holder), -EBUSY);
	assert_int_equal(holder, getpid());
	assert_int_equal(pf2.fd, -1);
	/* And in another process. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pid_t h = 0;
		int r = pidfile_acquire(&pf2, path, &h);

		_exit(r == -EBUSY && h == getppid() ? 0 : 1);
	}
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	pidfile_release(&pf);
	/* Free again: can be taken. */
	assert_int_equal(pidfile_acquire(&pf2, path, NULL), 0);
	pidfile_release(&pf2);
}

static void test_stale_file_taken_over(void **state)
{
	struct pidfile pf;
	FILE *f;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("999999999\n", f);
	fclose(f);
	assert_int_equal(pidfile_acquire(&pf, path, NULL), 0);
	pidfile_release(&pf);
}

static void test_errors(void **state)
{
	struct pidfile pf;
	char bad[160];

	(void)state;
	snprintf(bad, sizeof(bad), "%s/missing/dir/vigild.pid", dir);
	assert_int_equal(pidfile_acquire(&pf, bad, NULL), -ENOENT);
	/* A symlink is not followed (O_NOFOLLOW). */
	snprintf(bad, sizeof(bad), "%s/link.pid", dir);
	assert_int_equal(symlink("/tmp/elsewhere.pid", bad), 0);
	assert_int_equal(pidfile_acquire(&pf, bad, NULL), -ELOOP);
	unlink(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_acquire_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_holder_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_file_taken_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests_name("pidfile", tests, NULL, NULL);
}
