/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp/track.c: the weight rules of vrrp_track_eval (states forced through
 * vrrp/track_test.h), and real runs on a loop: a script going through
 * rise/fall, a hanging script killed at its timeout, a track_file seen
 * through inotify, a process found by scanning /proc, an interface change
 * delivered by a fake vrrp_nl.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "lib/json.h"
#include "vrrp/instance.h"
#include "vrrp/netlink.h"
#include "lib/script.h"
#include "vrrp/notify.h"
#include "vrrp/track.h"
#include "vrrp/track_test.h"

/*
 * A fake vrrp_nl: track.c only looks interfaces up and subscribes. Defining
 * the three functions it uses here keeps the archive's netlink.o out of the
 * link, so interface changes can be driven without root or a namespace.
 */

struct vrrp_nl {
	struct vrrp_iface ifs[4];
	unsigned n;
	vrrp_nl_fn fn;
	void *data;
	int subs;
};

int vrrp_nl_subscribe(struct vrrp_nl *nl, vrrp_nl_fn fn, void *data)
{
	nl->fn = fn;
	nl->data = data;
	nl->subs++;
	return 7;
}

void vrrp_nl_unsubscribe(struct vrrp_nl *nl, int handle)
{
	assert_int_equal(handle, 7);
	nl->fn = NULL;
	nl->subs--;
}

const struct vrrp_iface *vrrp_nl_iface_by_name(const struct vrrp_nl *nl, const char *name)
{
	unsigned i;

	for (i = 0; i < nl->n; i++)
		if (!strcmp(nl->ifs[i].name, name))
			return &nl->ifs[i];
	return NULL;
}

/* ---- fixtures ---- */

static char dir[64];
static struct conf_load L;
static uv_loop_t loop;
static unsigned n_changed;

static void changed(void *data)
{
	(void)data;
	n_changed++;
}

static void rm_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vigil-track-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	n_changed = 0;
	memset(&L, 0, sizeof(L));
	return uv_loop_init(&loop);
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static int teardown(void **state)
{
	(void)state;
	/* Closes what close() queued. Bounded: a test that failed before its
	 * vrrp_track_close() leaves timers running, and running the loop to
	 * its end would then never return (the failure is reported after the
	 * teardown). */
	for (int i = 0; i < 300 && uv_loop_alive(&loop); i++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		if (uv_loop_alive(&loop))
			usleep(10000);
	}
	if (uv_loop_alive(&loop)) {
		fprintf(stderr, "teardown: handles left open by a failed test; closing them\n");
		uv_walk(&loop, close_any, NULL);
		uv_run(&loop, UV_RUN_NOWAIT);
		conf_load_free(&L);
		rm_dir();
		return 0;
	}
	assert_int_equal(uv_loop_close(&loop), 0);
	conf_load_free(&L);
	rm_dir();
	return 0;
}

static struct conf_model *load(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct conf_model *load(const char *fmt, ...)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };
	char text[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	conf_load_free(&L);
	if (conf_load_string("t.conf", text, strlen(text), &o, &L) != 0 || L.n_errors) {
		conf_msgs_print(stderr, L.msgs);
		fail_msg("config did not load");
	}
	return L.model;
}

static void write_file(const char *path, const char *text, int mode)
{
	char tmp[256];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(tmp, (mode_t)mode), 0);
	assert_int_equal(rename(tmp, path), 0);
}

static void tick(uv_timer_t *t)
{
	(void)t;
}

/* Runs the loop until cond() holds or ms passed; returns the time taken. */
static uint64_t run_until(bool (*cond)(void *), void *arg, uint64_t ms)
{
	uv_timer_t guard;
	uint64_t start;

	uv_update_time(&loop);
	start = uv_now(&loop);
	uv_timer_init(&loop, &guard);
	uv_timer_start(&guard, tick, 5, 5); /* RUN_ONCE never sleeps long */
	while (!cond(arg) && uv_now(&loop) - start < ms)
		uv_run(&loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&guard, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
	uv_update_time(&loop);
	return uv_now(&loop) - start;
}

/* ---- vrrp_track_eval: every rule ---- */

static struct conf_track entry_buf[8];

static struct conf_list one(const char *name, int weight, bool has_weight, bool reverse)
{
	static unsigned next;
	struct conf_track *e = &entry_buf[next++ % 8];
	struct conf_list l = { 0 };

	memset(e, 0, sizeof(*e));
	e->hdr.name = name;
	e->weight = weight;
	e->has_weight = has_weight;
	e->reverse = reverse;
	conf_list_append(&l, &e->hdr);
	return l;
}

struct res {
	int delta;
	bool fault;
	char why[128];
};

static struct res ev(struct vrrp_track *t, const struct conf_list *ifs, const struct conf_list *sc,
		     const struct conf_list *fi, const struct conf_list *pr)
{
	struct res r;

	memset(&r, 0, sizeof(r));
	r.delta = 12345;
	vrrp_track_eval(t, ifs, sc, fi, pr, &r.delta, &r.fault, r.why, sizeof(r.why));
	return r;
}

#define EXPECT(r, d, f)                                  \
	do {                                             \
		struct res r_ = (r);                     \
		assert_int_equal(r_.delta, (d));         \
		assert_int_equal(r_.fault, (f));         \
		if (!(f))                                \
			assert_string_equal(r_.why, ""); \
	} while (0)

static const char eval_conf[] = "vrrp_script s1 { script /bin/true }\n"
				"vrrp_script s2 { script /bin/true\n weight 10 reverse }\n"
				"track_file f1 { file %s/f1 }\n"
				"vrrp_track_process p1 { process vigil-no-such-process }\n"
				"vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
				" priority 100\n virtual_ipaddress { 198.18.0.1/32 }\n"
				" track_script { s1\n s2 }\n track_file { f1 }\n"
				" track_process { p1 }\n track_interface { vt0\n vt1 }\n}\n";

static struct vrrp_nl fake_nl;

static struct vrrp_track *eval_open(void)
{
	struct conf_model *m = load(eval_conf, dir);
	struct vrrp_track *t = NULL;

	memset(&fake_nl, 0, sizeof(fake_nl));
	fake_nl.n = 1;
	snprintf(fake_nl.ifs[0].name, sizeof(fake_nl.ifs[0].name), "vt0");
	fake_nl.ifs[0].admin_up = fake_nl.ifs[0].oper_up = true;
	assert_int_equal(vrrp_track_open(&loop, m, &fake_nl, changed, NULL, &t), 0);
	assert_non_null(t);
	assert_int_equal(fake_nl.subs, 1);
	return t;
}

static void test_eval_interfaces(void **state)
{
	struct vrrp_track *t = eval_open();
	struct conf_list l;
	struct res r;

	(void)state;
	/* vt0 up, vt1 and vt9 do not exist (= down). */
	l = one("vt0", 0, false, false);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, false);
	l = one("vt1", 0, false, false);
	r = ev(t, &l, NULL, NULL, NULL);
	EXPECT(r, 0, true);
	assert_string_equal(r.why, "interface vt1 is down");
	l = one("vt9", 0, false, false); /* not tracked by the model: looked up directly */
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, true);
	l = one("vt0", 0, false, true); /* weight 0 reverse: up is a fault */
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, true);
	l = one("vt1", 0, false, true);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, false);
	l = one("vt0", 5, true, false); /* positive: up adds */
	EXPECT(ev(t, &l, NULL, NULL, NULL), 5, false);
	l = one("vt1", 5, true, false);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, false);
	l = one("vt0", -5, true, false); /* negative: down subtracts */
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, false);
	l = one("vt1", -5, true, false);
	EXPECT(ev(t, &l, NULL, NULL, NULL), -5, false);
	l = one("vt0", 5, true, true); /* reverse turns the adjustment round */
	EXPECT(ev(t, &l, NULL, NULL, NULL), -5, false);
	l = one("vt1", -5, true, true);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 5, false);

	/* A change from netlink reaches the cache and calls changed. */
	fake_nl.ifs[0].oper_up = false;
	fake_nl.fn(&(struct vrrp_nl_msg){ .ev = VRRP_NL_LINK, .iface = &fake_nl.ifs[0] },
		   fake_nl.data);
	assert_int_equal(n_changed, 1);
	l = one("vt0", 0, false, false);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, true);
	fake_nl.ifs[0].oper_up = true;
	fake_nl.fn(&(struct vrrp_nl_msg){ .ev = VRRP_NL_RESYNC }, fake_nl.data);
	assert_int_equal(n_changed, 2);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, false);
	/* Deleted: down even while the table still holds it during the call. */
	fake_nl.fn(&(struct vrrp_nl_msg){ .ev = VRRP_NL_LINK_GONE, .iface = &fake_nl.ifs[0] },
		   fake_nl.data);
	assert_int_equal(n_changed, 3);
	EXPECT(ev(t, &l, NULL, NULL, NULL), 0, true);
	/* An address event changes nothing. */
	fake_nl.fn(&(struct vrrp_nl_msg){ .ev = VRRP_NL_ADDR_ADD }, fake_nl.data);
	assert_int_equal(n_changed, 3);

	vrrp_track_close(t);
	assert_int_equal(fake_nl.subs, 0);
}

static void test_eval_scripts(void **state)
{
	struct vrrp_track *t = eval_open();
	struct conf_vrrp_instance *vi;
	struct conf_list l;
	struct res r;

	(void)state;
	/* Not reported yet counts as OK (keepalived): no start-up FAULT blip. */
	assert_int_equal(vrrp_track_test_script_state(t, "s1"), VRRP_TRACK_INIT);
	l = one("s1", 0, false, false);
	r = ev(t, NULL, &l, NULL, NULL);
	EXPECT(r, 0, false);
	assert_string_equal(r.why, "");
	l = one("s1", 0, false, true);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, true);
	l = one("s1", 7, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 7, false);
	l = one("s1", -7, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, false);
	l = one("s1", 7, true, true);
	EXPECT(ev(t, NULL, &l, NULL, NULL), -7, false);

	assert_int_equal(vrrp_track_test_set_script(t, "s1", VRRP_TRACK_OK), 0);
	l = one("s1", 0, false, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, false);
	l = one("s1", 0, true, true);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, true);
	l = one("s1", 7, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 7, false);
	l = one("s1", -7, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, false);

	assert_int_equal(vrrp_track_test_set_script(t, "s1", VRRP_TRACK_FAILED), 0);
	l = one("s1", 0, false, false);
	r = ev(t, NULL, &l, NULL, NULL);
	EXPECT(r, 0, true);
	assert_string_equal(r.why, "track_script s1 failed");
	l = one("s1", 0, true, true);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, false);
	l = one("s1", 7, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 0, false);
	l = one("s1", -7, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), -7, false);
	l = one("s1", -7, true, true);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 7, false);

	/* No weight on the entry: the object's (already copied by validation) and
	 * its reverse. */
	assert_int_equal(vrrp_track_test_set_script(t, "s2", VRRP_TRACK_OK), 0);
	l = one("s2", 10, false, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), -10, false);
	/* A weight on the entry brings its own reverse (none here). */
	l = one("s2", 3, true, false);
	EXPECT(ev(t, NULL, &l, NULL, NULL), 3, false);
	/* The model's own list, as validated: s1 (failed, weight 0), s2. */
	vi = (struct conf_vrrp_instance *)(void *)L.model->vrrp.instances.head;
	r = ev(t, NULL, &vi->track_scripts, NULL, NULL);
	EXPECT(r, -10, true);
	assert_string_equal(r.why, "track_script s1 failed");

	l = one("nosuch", 5, true, false);
	r = ev(t, NULL, &l, NULL, NULL);
	EXPECT(r, 0, true);
	assert_string_equal(r.why, "track_script nosuch is not running");
	assert_int_equal(vrrp_track_test_set_script(t, "nosuch", VRRP_TRACK_OK), -ENOENT);
	vrrp_track_close(t);
}

static void test_eval_files(void **state)
{
	struct vrrp_track *t = eval_open();
	struct conf_list l;
	struct res r;

	(void)state;
	assert_int_equal(vrrp_track_test_file_value(t, "f1"), 0); /* missing: 0 */
	l = one("f1", 0, true, false);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 0, false);
	l = one("f1", 0, true, true); /* reverse: zero is the fault */
	EXPECT(ev(t, NULL, NULL, &l, NULL), 0, true);
	vrrp_track_test_set_file(t, "f1", 3);
	l = one("f1", 0, true, false);
	r = ev(t, NULL, NULL, &l, NULL);
	EXPECT(r, 0, true);
	assert_string_equal(r.why, "track_file f1 has value 3");
	l = one("f1", 0, true, true);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 0, false);
	l = one("f1", 2, true, false);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 6, false);
	l = one("f1", 2, true, true);
	EXPECT(ev(t, NULL, NULL, &l, NULL), -6, false);
	l = one("f1", -84, true, false); /* -252 */
	EXPECT(ev(t, NULL, NULL, &l, NULL), -252, false);
	l = one("f1", -85, true, false); /* -255 < -253 */
	EXPECT(ev(t, NULL, NULL, &l, NULL), 0, true);
	l = one("f1", 100, true, false); /* 300: counts as 254 */
	EXPECT(ev(t, NULL, NULL, &l, NULL), 254, false);
	vrrp_track_test_set_file(t, "f1", -254);
	l = one("f1", 1, true, false);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 0, true);
	vrrp_track_test_set_file(t, "f1", -253);
	EXPECT(ev(t, NULL, NULL, &l, NULL), -253, false);
	vrrp_track_test_set_file(t, "f1", LLONG_MAX);
	l = one("f1", 2, true, false);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 254, false);
	vrrp_track_test_set_file(t, "f1", LLONG_MIN);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 0, true);
	l = one("f1", 2, true, true);
	EXPECT(ev(t, NULL, NULL, &l, NULL), 254, false);
	vrrp_track_close(t);
}

static void test_eval_processes(void **state)
{
	struct vrrp_track *t = eval_open();
	struct conf_list l, sl, fl;
	struct res r;

	(void)state;
	/* Nothing runs under that name: failed from the first scan. */
	assert_int_equal(vrrp_track_test_process_state(t, "p1"), VRRP_TRACK_FAILED);
	assert_int_equal(vrrp_track_test_process_count(t, "p1"), 0);
	l = one("p1", 0, true, false);
	r = ev(t, NULL, NULL, NULL, &l);
	EXPECT(r, 0, true);
	assert_string_equal(r.why, "track_process p1 is not running (quorum lost)");
	l = one("p1", -4, true, false);
	EXPECT(ev(t, NULL, NULL, NULL, &l), -4, false);
	l = one("p1", 4, true, false);
	EXPECT(ev(t, NULL, NULL, NULL, &l), 0, false);
	vrrp_track_test_set_process(t, "p1", true);
	EXPECT(ev(t, NULL, NULL, NULL, &l), 4, false);
	l = one("p1", 0, true, false);
	EXPECT(ev(t, NULL, NULL, NULL, &l), 0, false);
	l = one("p1", 0, true, true);
	EXPECT(ev(t, NULL, NULL, NULL, &l), 0, true);

	/* Several lists: deltas add up, why names the first fault in order
	 * interfaces, scripts, files, processes. */
	vrrp_track_test_set_script(t, "s1", VRRP_TRACK_OK);
	vrrp_track_test_set_file(t, "f1", 5);
	l = one("p1", 4, true, false);
	sl = one("s1", 10, true, false);
	fl = one("f1", 2, true, false);
	EXPECT(ev(t, NULL, &sl, &fl, &l), 24, false);
	fl = one("f1", 0, true, false);
	l = one("p1", 0, true, true);
	r = ev(t, NULL, &sl, &fl, &l);
	EXPECT(r, 10, true);
	assert_string_equal(r.why, "track_file f1 has value 5");
	/* NULL lists and a NULL tracker are fine. */
	EXPECT(ev(t, NULL, NULL, NULL, NULL), 0, false);
	l = one("p1", 0, true, false);
	r = ev(NULL, NULL, NULL, NULL, &l);
	EXPECT(r, 0, true);
	vrrp_track_close(t);
}

/* ---- real runs ---- */

struct trans {
	uint64_t runs;
	int state;
};

static struct vrrp_track *cur;
static const char *cur_name;
static struct trans trans[16];
static unsigned n_trans;

static void record(void *data)
{
	(void)data;
	n_changed++;
	if (n_trans < 16) {
		trans[n_trans].runs = vrrp_track_test_script_runs(cur, cur_name);
		trans[n_trans].state = vrrp_track_test_script_state(cur, cur_name);
		n_trans++;
	}
}

static bool runs_at_least(void *arg)
{
	return vrrp_track_test_script_runs(cur, cur_name) >= *(uint64_t *)arg;
}

static void test_script_rise_fall(void **state)
{
	char script[128], conf_text[1024];
	struct conf_model *m;
	uint64_t want = 7;
	FILE *f;

	(void)state;
	snprintf(script, sizeof(script), "%s/alt.sh", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	/* Fails on runs 1, 4, 6, 7. */
	fprintf(f,
		"#!/bin/sh\nn=$(cat %s/count 2>/dev/null || echo 0)\nn=$((n + 1))\n"
		"echo $n > %s/count\ncase $n in 1|4|6|7) exit 1;; esac\nexit 0\n",
		dir, dir);
	fclose(f);
	assert_int_equal(chmod(script, 0755), 0);
	snprintf(conf_text, sizeof(conf_text),
		 "vrrp_script alt { script %s\n interval 0.1\n timeout 2\n rise 2\n fall 2 }\n"
		 "vrrp_script unused { script /bin/false }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_script { alt }\n}\n",
		 script);
	m = load("%s", conf_text);
	cur_name = "alt";
	n_trans = 0;
	assert_int_equal(vrrp_track_open(&loop, m, NULL, record, NULL, &cur), 0);
	/* Only what some instance tracks is run. */
	assert_int_equal(vrrp_track_test_script_state(cur, "unused"), -1);
	assert_int_equal(vrrp_track_test_script_state(cur, "alt"), VRRP_TRACK_INIT);
	run_until(runs_at_least, &want, 5000);
	assert_true(vrrp_track_test_script_runs(cur, "alt") >= 7);
	/* INIT -> FAILED at once on run 1, OK after 2 successes (run 3), a single
	 * failure (run 4) and a single one again (run 6) change nothing, the
	 * second in a row (run 7) does. */
	assert_int_equal(n_trans, 3);
	assert_int_equal(trans[0].runs, 1);
	assert_int_equal(trans[0].state, VRRP_TRACK_FAILED);
	assert_int_equal(trans[1].runs, 3);
	assert_int_equal(trans[1].state, VRRP_TRACK_OK);
	assert_int_equal(trans[2].runs, 7);
	assert_int_equal(trans[2].state, VRRP_TRACK_FAILED);
	vrrp_track_close(cur);
}

static bool script_not_init(void *arg)
{
	(void)arg;
	return vrrp_track_test_script_state(cur, cur_name) != VRRP_TRACK_INIT;
}

static void test_script_timeout(void **state)
{
	struct conf_model *m;
	struct json j;
	uint64_t took;
	char *s;

	(void)state;
	m = load("vrrp_script hang { script \"/bin/sleep 30\"\n interval 0.1\n timeout 0.3 }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_script { hang }\n}\n");
	cur_name = "hang";
	n_trans = 0;
	assert_int_equal(vrrp_track_open(&loop, m, NULL, record, NULL, &cur), 0);
	took = run_until(script_not_init, NULL, 5000);
	assert_int_equal(vrrp_track_test_script_state(cur, "hang"), VRRP_TRACK_FAILED);
	assert_true(took >= 250 && took < 2000);
	json_init(&j, false);
	vrrp_track_status_json(cur, &j);
	s = json_take(&j, NULL);
	assert_non_null(strstr(s, "\"last_timed_out\":true"));
	assert_non_null(strstr(s, "\"state\":\"failed\""));
	/* Ticks while the script ran were skipped, never overlapped. */
	assert_null(strstr(s, "\"skipped_overlaps\":0"));
	free(s);
	vrrp_track_close(cur); /* kills the next run if one started */
}

static void test_script_bad_user(void **state)
{
	struct vrrp_track *t;
	struct conf_model *m;

	(void)state;
	m = load("vrrp_script s { script /bin/true\n user vigil-no-such-user-x }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_script { s }\n}\n");
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &t), 0);
	cur = t;
	cur_name = "s";
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_FAILED);
	run_until(runs_at_least, &(uint64_t){ 1 }, 300); /* nothing runs */
	assert_int_equal(vrrp_track_test_script_runs(t, "s"), 0);
	vrrp_track_close(t);
}

static void test_script_init_fail(void **state)
{
	struct vrrp_track *t;
	struct conf_model *m;
	uint64_t want = 1;

	(void)state;
	/* init_fail: starts FAILED and needs rise successes like any failure. */
	/* timeout 2: a spawn slowed by ASan and a loaded machine must not
	 * count as a failure (the default timeout is the 50 ms interval). */
	m = load("vrrp_script s { script /bin/true\n interval 0.05\n timeout 2\n rise 3\n"
		 " init_fail }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_script { s }\n}\n");
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &t), 0);
	cur = t;
	cur_name = "s";
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_FAILED);
	run_until(runs_at_least, &want, 3000);
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_FAILED);
	want = 3;
	run_until(runs_at_least, &want, 3000);
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_OK);
	vrrp_track_close(t);
}

static bool file_is(void *arg)
{
	return vrrp_track_test_file_value(cur, "tf") == *(long long *)arg;
}

static void test_track_file(void **state)
{
	char path[128], text[128];
	struct conf_model *m;
	long long want;
	uint64_t took;
	unsigned before;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/tf", dir);
	m = load("track_file tf { file %s\n init_file 5 }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_file { tf weight 2 }\n}\n",
		 path);
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &cur), 0);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), 5); /* init_file created it */
	assert_int_equal(n_changed, 0);

	/* Replaced by rename: seen through inotify long before a 1 s poll. */
	write_file(path, "42\n", 0644);
	want = 42;
	took = run_until(file_is, &want, 3000);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), 42);
	assert_true(took < 500);
	assert_int_equal(n_changed, 1);

	/* Written in place. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, " -12 \n", 6), 6);
	close(fd);
	want = -12;
	took = run_until(file_is, &want, 3000);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), -12);
	assert_true(took < 500);

	/* Garbage and a missing file read as 0. */
	write_file(path, "12abc\n", 0644);
	want = 0;
	run_until(file_is, &want, 3000);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), 0);
	write_file(path, "7", 0644);
	want = 7;
	run_until(file_is, &want, 3000);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), 7);
	before = n_changed;
	assert_int_equal(unlink(path), 0);
	want = 0;
	run_until(file_is, &want, 3000);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), 0);
	assert_int_equal(n_changed, before + 1);
	/* Another file in the directory is ignored. */
	snprintf(text, sizeof(text), "%s/other", dir);
	write_file(text, "99", 0644);
	run_until(file_is, &(long long){ 99 }, 200);
	assert_int_equal(vrrp_track_test_file_value(cur, "tf"), 0);
	vrrp_track_close(cur);
}

static void test_track_file_init(void **state)
{
	char path[128];
	struct vrrp_track *t;
	struct conf_model *m;

	(void)state;
	snprintf(path, sizeof(path), "%s/ti", dir);
	write_file(path, "9\n", 0644);
	/* init_file does not touch an existing file ... */
	m = load("track_file ti { file %s\n init_file 5 }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_file { ti }\n}\n",
		 path);
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &t), 0);
	assert_int_equal(vrrp_track_test_file_value(t, "ti"), 9);
	vrrp_track_close(t);
	/* ... unless overwrite is given. */
	m = load("track_file ti { file %s\n init_file 5 overwrite }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_file { ti }\n}\n",
		 path);
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &t), 0);
	assert_int_equal(vrrp_track_test_file_value(t, "ti"), 5);
	vrrp_track_close(t);
}

static char proc_name[16];

static bool proc_count_is(void *arg)
{
	int want = *(int *)arg;

	return vrrp_track_test_process_count(cur, "byname") == want &&
	       vrrp_track_test_process_count(cur, "byparam") == want &&
	       vrrp_track_test_process_count(cur, "bypath") == want;
}

static bool delayed_failed(void *arg)
{
	(void)arg;
	return vrrp_track_test_process_state(cur, "delayed") == VRRP_TRACK_FAILED;
}

static void test_track_process(void **state)
{
	char link[128];
	struct conf_model *m;
	pid_t pid;
	int want, st;
	uint64_t took;

	(void)state;
	snprintf(proc_name, sizeof(proc_name), "vgt%d", (int)getpid() % 1000000);
	snprintf(link, sizeof(link), "%s/%s", dir, proc_name);
	assert_int_equal(symlink("/bin/sleep", link), 0);
	m = load(
		"vrrp_track_process byname { process %s }\n"
		"vrrp_track_process byparam { process %s 30\n param_match }\n"
		"vrrp_track_process bypath { process %s\n full_command }\n"
		"vrrp_track_process wrongparam { process %s 31 }\n"
		"vrrp_track_process absent { process %s\n quorum 0\n quorum_max 0 }\n"
		"vrrp_track_process delayed { process %s\n terminate_delay 0.5 }\n"
		"vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		" virtual_ipaddress { 198.18.0.1/32 }\n"
		" track_process { byname\n byparam\n bypath\n wrongparam\n absent\n delayed }\n}\n",
		proc_name, proc_name, link, proc_name, proc_name, proc_name);
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &cur), 0);
	assert_int_equal(vrrp_track_test_process_state(cur, "byname"), VRRP_TRACK_FAILED);
	assert_int_equal(vrrp_track_test_process_state(cur, "absent"), VRRP_TRACK_OK);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(link, link, "30", (char *)NULL);
		_exit(127);
	}
	want = 1;
	run_until(proc_count_is, &want, 3000);
	assert_int_equal(vrrp_track_test_process_count(cur, "byname"), 1);
	assert_int_equal(vrrp_track_test_process_count(cur, "byparam"), 1);
	assert_int_equal(vrrp_track_test_process_count(cur, "bypath"), 1);
	assert_int_equal(vrrp_track_test_process_count(cur, "wrongparam"), 0);
	assert_int_equal(vrrp_track_test_process_state(cur, "byname"), VRRP_TRACK_OK);
	assert_int_equal(vrrp_track_test_process_state(cur, "absent"), VRRP_TRACK_FAILED);
	assert_int_equal(vrrp_track_test_process_state(cur, "delayed"), VRRP_TRACK_OK);

	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	want = 0;
	run_until(proc_count_is, &want, 3000);
	assert_int_equal(vrrp_track_test_process_count(cur, "byname"), 0);
	assert_int_equal(vrrp_track_test_process_state(cur, "byname"), VRRP_TRACK_FAILED);
	assert_int_equal(vrrp_track_test_process_state(cur, "absent"), VRRP_TRACK_OK);
	/* terminate_delay holds the OK state for 0.5 s after the loss. */
	assert_int_equal(vrrp_track_test_process_state(cur, "delayed"), VRRP_TRACK_OK);
	took = run_until(delayed_failed, NULL, 3000);
	assert_int_equal(vrrp_track_test_process_state(cur, "delayed"), VRRP_TRACK_FAILED);
	assert_true(took >= 300 && took < 1500);
	vrrp_track_close(cur);
}

static void test_status_json(void **state)
{
	struct vrrp_track *t = eval_open();
	struct json j;
	char *s;

	(void)state;
	json_init(&j, false);
	vrrp_track_status_json(t, &j);
	s = json_take(&j, NULL);
	assert_non_null(strstr(s, "{\"scripts\":[{\"name\":\"s1\",\"state\":\"init\""));
	assert_non_null(strstr(s, "\"files\":[{\"name\":\"f1\""));
	assert_non_null(strstr(s, "\"error\":\"missing\""));
	assert_non_null(
		strstr(s, "\"processes\":[{\"name\":\"p1\",\"state\":\"failed\",\"count\":0"));
	assert_non_null(strstr(s, "\"interfaces\":[{\"name\":\"vt0\",\"state\":\"up\"},"
				  "{\"name\":\"vt1\",\"state\":\"down\"}]"));
	free(s);
	vrrp_track_close(t);
	json_init(&j, false);
	vrrp_track_status_json(NULL, &j);
	s = json_take(&j, NULL);
	assert_string_equal(s, "{\"scripts\":[],\"files\":[],\"processes\":[],\"interfaces\":[]}");
	free(s);
}

/* ---- reload: unchanged objects keep running ---- */

static struct conf_load L2;

static struct conf_model *load2(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	conf_load_free(&L2);
	memset(&L2, 0, sizeof(L2));
	if (conf_load_string("t2.conf", text, strlen(text), &o, &L2) != 0 || L2.n_errors) {
		conf_msgs_print(stderr, L2.msgs);
		fail_msg("config did not load");
	}
	return L2.model;
}

static bool both_reported(void *arg)
{
	(void)arg;
	return vrrp_track_test_script_runs(cur, "keep") >= 2 &&
	       vrrp_track_test_script_runs(cur, "chg") >= 1;
}

static void test_reopen(void **state)
{
	char path[128], text[2048];
	struct vrrp_track *t2;
	struct conf_model *a, *b;
	uint64_t runs, want;

	(void)state;
	snprintf(path, sizeof(path), "%s/tf", dir);
	write_file(path, "3\n", 0644);
	a = load("vrrp_script slow { script \"/bin/sleep 0.4\"\n interval 5\n timeout 3 }\n"
		 "vrrp_script keep { script /bin/false\n interval 0.05 }\n"
		 "vrrp_script chg { script /bin/true\n interval 0.05\n timeout 2 }\n"
		 "vrrp_script gone { script /bin/true\n interval 0.05\n timeout 2 }\n"
		 "track_file tf { file %s }\n"
		 "vrrp_track_process p1 { process vigil-no-such-proc\n quorum 0 }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n"
		 " track_script { keep\n chg\n gone\n slow }\n track_file { tf }\n"
		 " track_process { p1 }\n}\n",
		 path);
	assert_int_equal(vrrp_track_open(&loop, a, NULL, changed, NULL, &cur), 0);
	cur_name = "keep";
	run_until(both_reported, NULL, 3000);
	assert_int_equal(vrrp_track_test_script_state(cur, "keep"), VRRP_TRACK_FAILED);
	assert_int_equal(vrrp_track_test_script_state(cur, "chg"), VRRP_TRACK_OK);
	/* "slow" (first: no spread delay) is still running. */
	assert_int_equal(vrrp_track_test_script_runs(cur, "slow"), 0);
	assert_int_equal(vrrp_track_test_script_state(cur, "slow"), VRRP_TRACK_INIT);
	assert_int_equal(vrrp_track_test_process_state(cur, "p1"), VRRP_TRACK_OK);
	runs = vrrp_track_test_script_runs(cur, "keep");

	snprintf(text, sizeof(text),
		 "vrrp_script slow { script \"/bin/sleep 0.4\"\n interval 5\n timeout 3 }\n"
		 "vrrp_script keep { script /bin/false\n interval 0.05 }\n"
		 "vrrp_script chg { script /bin/true\n interval 0.06\n timeout 2 }\n"
		 "vrrp_script fresh { script /bin/true\n interval 0.05\n timeout 2 }\n"
		 "track_file tf { file %s }\n"
		 "vrrp_track_process p1 { process vigil-no-such-proc\n quorum 0 }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n"
		 " track_script { keep\n chg\n fresh\n slow }\n track_file { tf }\n"
		 " track_process { p1 }\n}\n",
		 path);
	b = load2(text);
	n_changed = 0;
	assert_int_equal(vrrp_track_reopen(&loop, b, NULL, changed, NULL, cur, &t2), 0);
	cur = t2;
	/* Unchanged: same state and counters, no change call. */
	assert_int_equal(vrrp_track_test_script_state(t2, "keep"), VRRP_TRACK_FAILED);
	assert_true(vrrp_track_test_script_runs(t2, "keep") >= runs);
	assert_int_equal(vrrp_track_test_file_value(t2, "tf"), 3);
	assert_int_equal(vrrp_track_test_process_state(t2, "p1"), VRRP_TRACK_OK);
	assert_int_equal(n_changed, 0);
	/* Changed and new ones start over; removed ones are gone. */
	assert_int_equal(vrrp_track_test_script_state(t2, "chg"), VRRP_TRACK_INIT);
	assert_int_equal(vrrp_track_test_script_runs(t2, "chg"), 0);
	assert_int_equal(vrrp_track_test_script_state(t2, "fresh"), VRRP_TRACK_INIT);
	assert_int_equal(vrrp_track_test_script_state(t2, "gone"), -1);
	/* The run of "slow" that was going on reports to the new tracker. */
	cur_name = "slow";
	want = 1;
	assert_true(run_until(runs_at_least, &want, 3000) < 450);
	assert_int_equal(vrrp_track_test_script_runs(t2, "slow"), 1);
	assert_int_equal(vrrp_track_test_script_state(t2, "slow"), VRRP_TRACK_OK);
	vrrp_track_close(t2);
	uv_run(&loop, UV_RUN_DEFAULT);
	conf_load_free(&L2);
	memset(&L2, 0, sizeof(L2));
}

/* ---- enable_script_security ---- */

static void test_script_security(void **state)
{
	char script[128], why[256], conf_text[1024];
	struct vrrp_track *t;
	struct conf_model *m;

	(void)state;
	snprintf(script, sizeof(script), "%s/s.sh", dir);
	write_file(script, "#!/bin/sh\nexit 0\n", 0755);
	if (geteuid() != 0)
		fail_msg("needs root to chown the scripts it checks (make check runs as root)");
	assert_int_equal(script_insecure(script, why, sizeof(why)), 0);
	assert_int_equal(script_insecure("true", why, sizeof(why)), 0); /* from PATH */
	assert_true(script_insecure("/nonexistent/x", why, sizeof(why)) < 0);
	assert_int_equal(chmod(script, 0757), 0);
	assert_int_equal(script_insecure(script, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "writable by everyone"));
	assert_int_equal(chmod(script, 0775), 0);
	assert_int_equal(script_insecure(script, why, sizeof(why)), 0); /* group root */
	assert_int_equal(chown(script, 0, 1), 0);
	assert_int_equal(script_insecure(script, why, sizeof(why)), 1);
	assert_int_equal(chown(script, 0, 0), 0);
	assert_int_equal(chmod(script, 0755), 0);
	assert_int_equal(chown(script, 1, 0), 0);
	assert_int_equal(script_insecure(script, why, sizeof(why)), 1);
	assert_int_equal(chown(script, 0, 0), 0);
	/* A directory above it writable by others (no sticky bit). */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(script_insecure(script, why, sizeof(why)), 1);
	assert_non_null(strstr(why, dir));
	/* The tracker refuses it: FAILED, never run. */
	snprintf(conf_text, sizeof(conf_text),
		 "global_defs { enable_script_security\n script_user root }\n"
		 "vrrp_script s { script %s\n interval 0.05\n timeout 2 }\n"
		 "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress { 198.18.0.1/32 }\n track_script { s }\n}\n",
		 script);
	m = load("%s", conf_text);
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &t), 0);
	cur = t;
	cur_name = "s";
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_FAILED);
	run_until(runs_at_least, &(uint64_t){ 1 }, 200);
	assert_int_equal(vrrp_track_test_script_runs(t, "s"), 0);
	vrrp_track_close(t);
	/* Safe again: it runs. */
	assert_int_equal(chmod(dir, 0700), 0);
	m = load("%s", conf_text);
	assert_int_equal(vrrp_track_open(&loop, m, NULL, changed, NULL, &t), 0);
	cur = t;
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_INIT);
	run_until(runs_at_least, &(uint64_t){ 1 }, 2000);
	assert_int_equal(vrrp_track_test_script_state(t, "s"), VRRP_TRACK_OK);
	vrrp_track_close(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eval_interfaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_scripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eval_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_script_rise_fall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_script_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_script_bad_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_script_init_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_track_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_track_file_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_track_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_script_security, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
