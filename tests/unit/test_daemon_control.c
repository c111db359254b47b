/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket server on a real loop, with hostile clients, and the
 * commands (status, reload, dump-config) against a real configuration.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

#include <cmocka.h>

#include "lib/json.h"
#include "daemon/command.h"
#include "daemon/control.h"
#include "lib/jsonread.h"
#include "daemon/reload.h"
#include "daemon/status.h"

static char dir[64], sock_path[128], conf_path[128];
static uv_loop_t loop;
static unsigned handled;

static void fake_handler(enum ctl_command cmd, struct json *j, void *data)
{
	(void)data;
	handled++;
	ctl_reply_ok_begin(j);
	json_obj_begin(j);
	json_kstr(j, "cmd", ctl_command_name(cmd));
	json_obj_end(j);
	ctl_reply_ok_end(j);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vigil-ctltest.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/ctl.sock", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/vigil.conf", dir);
	handled = 0;
	return uv_loop_init(&loop);
}

static int teardown(void **state)
{
	(void)state;
	unlink(sock_path);
	unlink(conf_path);
	rmdir(dir);
	return uv_loop_close(&loop) == 0 ? 0 : -1;
}

static int client_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Pumps the loop until fd reaches EOF; returns what was read (malloc'ed). */
static char *read_reply(int fd, unsigned max_ms)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	uint64_t deadline = uv_hrtime() + (uint64_t)max_ms * 1000000;

	assert_non_null(buf);
	while (uv_hrtime() < deadline) {
		ssize_t n;

		uv_run(&loop, UV_RUN_NOWAIT);
		n = recv(fd, buf + len, cap - len, 0);
		if (n > 0) {
			len += (size_t)n;
			assert_true(len < cap);
			continue;
		}
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			break;
		assert_true(errno == EAGAIN);
		usleep(1000);
	}
	buf[len] = '\0';
	return buf;
}

static char *roundtrip(const char *req, size_t len, bool shut_wr)
{
	int fd = client_connect();
	char *r;

	if (len)
		assert_int_equal(send(fd, req, len, MSG_NOSIGNAL), (ssize_t)len);
	if (shut_wr)
		shutdown(fd, SHUT_WR);
	r = read_reply(fd, 3000);
	close(fd);
	return r;
}

static void expect(const char *req, size_t len, bool shut_wr, const char *want)
{
	char *r = roundtrip(req, len, shut_wr);

	assert_string_equal(r, want);
	free(r);
}

static void close_server(struct control *c)
{
	control_close(c);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(access(sock_path, F_OK), -1);
}

static void test_requests(void **state)
{
	struct control *c;
	struct stat st;
	char *big;

	(void)state;
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c), 0);
	assert_int_equal(lstat(sock_path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);

	expect("status\n", 7, false, "{\"ok\":true,\"result\":{\"cmd\":\"status\"}}\n");
	expect("reload\r\n", 8, false, "{\"ok\":true,\"result\":{\"cmd\":\"reload\"}}\n");
	/* Only the first line counts. */
	expect("dump-config\nstatus\n", 19, false,
	       "{\"ok\":true,\"result\":{\"cmd\":\"dump-config\"}}\n");
	expect("bogus\n", 6, false,
	       "{\"ok\":false,\"error\":\"unknown command (expected status, reload or "
	       "dump-config)\"}\n");
	expect("\n", 1, false, "{\"ok\":false,\"error\":\"empty request\"}\n");
	expect("status now\n", 11, false,
	       "{\"ok\":false,\"error\":\"unexpected argument after command\"}\n");
	expect("sta\0tus\n", 8, false,
	       "{\"ok\":false,\"error\":\"request contains a NUL byte\"}\n");
	expect("\xff\xfe\n", 3, false,
	       "{\"ok\":false,\"error\":\"request contains binary data\"}\n");
	expect("status", 6, true,
	       "{\"ok\":false,\"error\":\"request line not terminated by a newline\"}\n");
	/* Connect and leave without a word: a clean close. */
	expect("", 0, true, "");
	big = malloc(3 * CTL_MAX_LINE);
	memset(big, 'a', 3 * CTL_MAX_LINE);
	expect(big, CTL_MAX_LINE, false, "{\"ok\":false,\"error\":\"request too long\"}\n");
	expect(big, 3 * CTL_MAX_LINE, false, "{\"ok\":false,\"error\":\"request too long\"}\n");
	/* The longest accepted line. */
	memset(big, ' ', CTL_MAX_LINE);
	memcpy(big, "status", 6);
	big[CTL_MAX_LINE - 1] = '\n';
	expect(big, CTL_MAX_LINE, false, "{\"ok\":true,\"result\":{\"cmd\":\"status\"}}\n");
	free(big);
	assert_int_equal(handled, 4);
	close_server(c);
}

static void test_vanishing_clients(void **state)
{
	struct control *c;
	int i;

	(void)state;
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c), 0);
	/* Clients that send a request and close before reading the reply. */
	for (i = 0; i < 50; i++) {
		int fd = client_connect();

		assert_int_equal(send(fd, "status\n", 7, MSG_NOSIGNAL), 7);
		close(fd);
		if (i % 10 == 0)
			uv_run(&loop, UV_RUN_NOWAIT);
	}
	for (i = 0; i < 20; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	/* Still serving. */
	expect("status\n", 7, false, "{\"ok\":true,\"result\":{\"cmd\":\"status\"}}\n");
	close_server(c);
}

static void test_slow_client(void **state)
{
	struct control *c;
	uint64_t t0;
	char *r;
	int fd;

	(void)state;
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c), 0);
	control_set_timeout(c, 200);
	fd = client_connect();
	assert_int_equal(send(fd, "sta", 3, MSG_NOSIGNAL), 3);
	t0 = uv_hrtime();
	r = read_reply(fd, 3000);
	assert_true(uv_hrtime() - t0 < 2000000000ULL);
	assert_string_equal(r,
			    "{\"ok\":false,\"error\":\"timeout waiting for the request line\"}\n");
	free(r);
	close(fd);
	close_server(c);
}

static void test_client_limit(void **state)
{
	int fds[CTL_MAX_CLIENTS];
	struct control *c;
	char *r;
	int i, fd;

	(void)state;
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c), 0);
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		fds[i] = client_connect();
		uv_run(&loop, UV_RUN_NOWAIT);
	}
	for (i = 0; i < 5; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	fd = client_connect();
	r = read_reply(fd, 3000);
	assert_string_equal(r, "{\"ok\":false,\"error\":\"too many clients\"}\n");
	free(r);
	close(fd);
	/* One idle client leaves: a slot is free again. */
	close(fds[0]);
	for (i = 0; i < 5; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	expect("status\n", 7, false, "{\"ok\":true,\"result\":{\"cmd\":\"status\"}}\n");
	for (i = 1; i < CTL_MAX_CLIENTS; i++)
		close(fds[i]);
	close_server(c);
}

static void test_socket_path_checks(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control *c, *c2;
	char longpath[200];
	int fd;

	(void)state;
	/* A regular file is never removed. */
	fd = open(sock_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c), -ENOTSOCK);
	uv_run(&loop, UV_RUN_DEFAULT);
	unlink(sock_path);

	/* A stale socket (nobody listening) is replaced. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(control_path_is_live(sock_path), 0);
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c), 0);
	assert_int_equal(control_path_is_live(sock_path), 1);

	/* A live one is not. */
	assert_int_equal(control_open(&loop, sock_path, fake_handler, NULL, &c2), -EADDRINUSE);
	expect("status\n", 7, false, "{\"ok\":true,\"result\":{\"cmd\":\"status\"}}\n");
	close_server(c);

	memset(longpath, 'x', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(control_open(&loop, longpath, fake_handler, NULL, &c), -ENAMETOOLONG);
}

/* --- commands against a real configuration --- */

static void write_conf(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct jv *run_cmd(struct reload_state *rs, enum ctl_command cmd)
{
	struct command_ctx ctx = { .rs = rs, .started_ms = 1000, .now_ms = 4500 };
	struct json j;
	const char *err;
	struct jv *v;
	char *s;
	size_t len;

	json_init(&j, false);
	command_run(&ctx, cmd, &j);
	s = json_take(&j, &len);
	json_free(&j);
	v = jv_parse(s, len, &err);
	assert_non_null(v);
	free(s);
	return v;
}

static void extra_status(struct json *j, void *data)
{
	json_obj_begin(j);
	json_kint(j, "instances", *(int *)data);
	json_obj_end(j);
}

static void test_commands(void **state)
{
	struct conf_options opt = { .config_id = "test" };
	struct reload_state rs;
	struct conf_load l;
	const struct jv *res, *cfg, *rl, *last, *errs;
	struct jv *v;
	int n_inst = 3;

	(void)state;
	write_conf("# empty but valid\n");
	memset(&l, 0, sizeof(l));
	assert_int_equal(conf_load_file(conf_path, &opt, &l), 0);
	assert_int_equal(reload_init(&rs, conf_path, "test"), 0);
	reload_adopt(&rs, &l);
	assert_int_equal(status_register("vrrp", extra_status, &n_inst), 0);
	assert_int_equal(status_register("vrrp", extra_status, &n_inst), -EEXIST);
	assert_int_equal(status_register("config", extra_status, &n_inst), -EEXIST);

	v = run_cmd(&rs, CTL_CMD_STATUS);
	assert_true(jv_get(v, "ok")->b);
	res = jv_get(v, "result");
	assert_string_equal(jv_get(res, "version")->str, PACKAGE_VERSION);
	assert_int_equal(jv_int(jv_get(res, "pid")), getpid());
	assert_int_equal(jv_int(jv_get(res, "uptime_sec")), 3);
	cfg = jv_get(res, "config");
	assert_string_equal(jv_get(cfg, "file")->str, conf_path);
	assert_int_equal(jv_int(jv_get(cfg, "generation")), 1);
	assert_int_equal(strlen(jv_get(cfg, "loaded_at")->str), 20); /* 2026-01-02T03:04:05Z */
	assert_non_null(jv_get(cfg, "summary"));
	rl = jv_get(res, "reload");
	assert_int_equal(jv_int(jv_get(rl, "ok")), 0);
	assert_int_equal(jv_int(jv_get(rl, "failed")), 0);
	assert_int_equal(jv_get(rl, "last")->type, JV_NULL);
	assert_int_equal(jv_int(jv_get(jv_get(res, "vrrp"), "instances")), 3);
	jv_free(v);

	/* A good reload. */
	v = run_cmd(&rs, CTL_CMD_RELOAD);
	assert_true(jv_get(v, "ok")->b);
	assert_true(jv_get(jv_get(v, "result"), "reloaded")->b);
	assert_int_equal(jv_int(jv_get(jv_get(v, "result"), "generation")), 2);
	jv_free(v);

	/* A bad one changes nothing and lists every error. */
	write_conf("no_such_keyword 1\nanother_bad_one\n");
	v = run_cmd(&rs, CTL_CMD_RELOAD);
	assert_false(jv_get(v, "ok")->b);
	assert_string_equal(jv_get(v, "error")->str, "configuration rejected");
	errs = jv_get(v, "errors");
	assert_non_null(errs);
	assert_int_equal(errs->type, JV_ARR);
	assert_non_null(errs->child);
	assert_non_null(strstr(errs->child->str, "vigil.conf:1: error: "));
	assert_non_null(errs->child->next);
	assert_non_null(strstr(errs->child->next->str, "vigil.conf:2: error: "));
	jv_free(v);
	assert_int_equal(rs.generation, 2);
	assert_non_null(rs.cur.model);

	v = run_cmd(&rs, CTL_CMD_STATUS);
	res = jv_get(v, "result");
	assert_int_equal(jv_int(jv_get(jv_get(res, "config"), "generation")), 2);
	rl = jv_get(res, "reload");
	assert_int_equal(jv_int(jv_get(rl, "ok")), 1);
	assert_int_equal(jv_int(jv_get(rl, "failed")), 1);
	last = jv_get(rl, "last");
	assert_false(jv_get(last, "ok")->b);
	assert_non_null(jv_get(last, "at"));
	assert_non_null(jv_get(last, "errors")->child);
	jv_free(v);

	/* The old model is still served. */
	v = run_cmd(&rs, CTL_CMD_DUMP_CONFIG);
	assert_true(jv_get(v, "ok")->b);
	assert_int_equal(jv_get(v, "result")->type, JV_OBJ);
	jv_free(v);

	/* A missing file is an error too, not a crash. */
	unlink(conf_path);
	v = run_cmd(&rs, CTL_CMD_RELOAD);
	assert_false(jv_get(v, "ok")->b);
	assert_non_null(jv_get(v, "errors")->child);
	jv_free(v);

	status_unregister("vrrp");
	reload_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanishing_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_path_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("control", tests, NULL, NULL);
}
