/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/: the event stream, script identities, FNV-1a. */
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/event.h"
#include "lib/hash.h"
#include "lib/script.h"

/* A record of what each subscriber saw: "A:vrrp_state:VI_1 B:..." */
static char seen[1024];

struct sub {
	const char *name;
	struct event_bus *bus;
	int unsubscribe_id;	    /* >= 0: unsubscribes it at its first event */
	bool republish;		    /* publishes a group event from a VRRP one */
};

static void record(const struct event *ev, void *data)
{
	struct sub *s = data;
	size_t n = strlen(seen);

	snprintf(seen + n, sizeof(seen) - n, "%s:%s:%s ", s->name, event_kind_names[ev->kind],
		 ev->kind == EVENT_CHECKER_RESTART ? ev->checker.why : ev->vrrp.name);
	if (s->unsubscribe_id >= 0) {
		event_unsubscribe(s->bus, s->unsubscribe_id);
		s->unsubscribe_id = -1;
	}
	if (s->republish && ev->kind == EVENT_VRRP_STATE) {
		struct event g = { .kind = EVENT_VRRP_GROUP_STATE };

		g.vrrp.name = "G";
		event_publish(s->bus, &g);
	}
}

static void publish_vrrp(struct event_bus *b, const char *name)
{
	struct event ev = { .kind = EVENT_VRRP_STATE };

	ev.vrrp.name = name;
	event_publish(b, &ev);
}

static void test_order_and_kinds(void **state)
{
	struct event_bus *b = event_bus_new();
	struct sub a = { "A", b, -1, false }, c = { "C", b, -1, false };
	struct event ev = { .kind = EVENT_CHECKER_RESTART };

	(void)state;
	assert_non_null(b);
	seen[0] = 0;
	assert_true(event_subscribe(b, EVENT_ALL, record, &a) >= 0);
	assert_true(event_subscribe(b, EVENT_BIT(EVENT_VRRP_STATE), record, &c) >= 0);
	publish_vrrp(b, "VI_1");
	ev.checker.why = "hung";
	event_publish(b, &ev);
	publish_vrrp(b, "VI_2");
	/* registration order per event, publication order overall, kinds filtered */
	assert_string_equal(seen, "A:vrrp_state:VI_1 C:vrrp_state:VI_1 "
				  "A:checker_restart:hung "
				  "A:vrrp_state:VI_2 C:vrrp_state:VI_2 ");
	assert_int_equal(event_count(b, EVENT_VRRP_STATE), 2);
	assert_int_equal(event_count(b, EVENT_CHECKER_RESTART), 1);
	assert_int_equal(event_count(b, EVENT_RELOAD), 0);
	event_bus_free(b);
}

static void test_bad_calls(void **state)
{
	struct event_bus *b = event_bus_new();
	struct event ev = { .kind = EVENT__COUNT };

	(void)state;
	assert_int_equal(event_subscribe(b, 0, record, NULL), -22);
	assert_int_equal(event_subscribe(b, EVENT_ALL, NULL, NULL), -22);
	assert_int_equal(event_subscribe(NULL, EVENT_ALL, record, NULL), -22);
	event_publish(b, &ev); /* an unknown kind is not delivered nor counted */
	event_publish(NULL, &ev);
	event_publish(b, NULL);
	event_unsubscribe(b, 12345);
	event_unsubscribe(NULL, 0);
	for (unsigned k = 0; k < EVENT__COUNT; k++)
		assert_non_null(event_kind_names[k]);
	event_bus_free(b);
	event_bus_free(NULL);
}

/* A subscriber that leaves during a delivery sees nothing more, and one
 * that publishes has its event delivered at once, inside the first. */
static void test_reentrancy(void **state)
{
	struct event_bus *b = event_bus_new();
	struct sub a = { "A", b, -1, true }, c = { "C", b, -1, false };
	int id_c;

	(void)state;
	seen[0] = 0;
	assert_true(event_subscribe(b, EVENT_ALL, record, &a) >= 0);
	id_c = event_subscribe(b, EVENT_ALL, record, &c);
	assert_true(id_c >= 0);
	publish_vrrp(b, "VI_1");
	assert_string_equal(seen, "A:vrrp_state:VI_1 A:vrrp_group_state:G C:vrrp_group_state:G "
				  "C:vrrp_state:VI_1 ");
	seen[0] = 0;
	a.republish = false;
	a.unsubscribe_id = id_c; /* A removes C before C's turn */
	publish_vrrp(b, "VI_2");
	assert_string_equal(seen, "A:vrrp_state:VI_2 ");
	event_bus_free(b);
}

/* A subscriber that comes and goes at every reload does not grow the bus,
 * and the others keep their order. */
static void test_churn(void **state)
{
	struct event_bus *b = event_bus_new();
	struct sub a = { "A", b, -1, false }, c = { "C", b, -1, false };
	int id = -1;

	(void)state;
	assert_true(event_subscribe(b, EVENT_ALL, record, &a) >= 0);
	for (int i = 0; i < 100000; i++) {
		event_unsubscribe(b, id);
		id = event_subscribe(b, EVENT_ALL, record, &c);
		assert_true(id >= 0);
	}
	seen[0] = 0;
	publish_vrrp(b, "X");
	assert_string_equal(seen, "A:vrrp_state:X C:vrrp_state:X ");
	event_bus_free(b);
}

static void test_script_ident(void **state)
{
	struct script_ident id;
	char why[128];

	(void)state;
	assert_int_equal(script_ident_lookup(NULL, NULL, 0, &id, why, sizeof(why)), 0);
	assert_false(id.set);
	assert_int_equal(script_ident_lookup("root", NULL, 0, &id, why, sizeof(why)), 0);
	assert_true(id.set);
	assert_int_equal(id.uid, 0);
	assert_int_equal(id.gid, 0);
	assert_true(script_ident_is_root(&id));
	assert_int_equal(script_ident_lookup("root", "nogroup", 0, &id, why, sizeof(why)), 0);
	assert_int_equal(id.gid, 65534);
	assert_int_equal(script_ident_lookup("no-such-user-x", NULL, 0, &id, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "user 'no-such-user-x' does not exist");
	assert_false(id.set);
	assert_int_equal(script_ident_lookup("root", "no-such-group-x", 0, &id, why, sizeof(why)),
			 -1);
	assert_string_equal(why, "group 'no-such-group-x' does not exist");
	/* numbers only when asked for (the checker's own user) */
	assert_int_equal(script_ident_lookup("4242", NULL, 0, &id, why, sizeof(why)), -1);
	assert_int_equal(
		script_ident_lookup("4242", NULL, SCRIPT_IDENT_NUMERIC, &id, why, sizeof(why)), 0);
	assert_int_equal(id.uid, 4242);
	assert_int_equal(id.gid, 4242);
	assert_false(script_ident_is_root(&id));
	assert_int_equal(
		script_ident_lookup("-1", NULL, SCRIPT_IDENT_NUMERIC, &id, why, sizeof(why)), -1);
	/* the script's own user wins over the global one; its group goes with it */
	assert_int_equal(script_ident_pick(NULL, NULL, "root", NULL, &id, why, sizeof(why)), 0);
	assert_true(id.set);
	assert_int_equal(script_ident_pick("nobody", NULL, "root", "root", &id, why, sizeof(why)),
			 0);
	assert_int_equal(id.uid, 65534);
	assert_int_equal(script_ident_pick(NULL, NULL, NULL, NULL, &id, why, sizeof(why)), 0);
	assert_false(id.set);
	assert_int_equal(script_ident_is_root(&id), geteuid() == 0);
}

/* script_vet(): keepalived's check_script_secure and default user. */
static void test_script_vet(void **state)
{
	char dir[] = "/tmp/vigil-vet-XXXXXX", prog[64], cmd[96];
	const struct script_policy open_ = { NULL, NULL, false }, sec = { NULL, NULL, true },
				   sec_root = { "root", NULL, true },
				   sec_nobody = { "nobody", NULL, true };
	struct script_ident id;
	FILE *f;

	(void)state;
	if (geteuid() != 0)
		fail_msg("needs root (make check runs as root)");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(prog, sizeof(prog), "%s/s.sh", dir);
	f = fopen(prog, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	assert_int_equal(chmod(prog, 0755), 0);
	snprintf(cmd, sizeof(cmd), "%s arg1 arg2", prog);
	/* Secure, as root: runs; with security but no user anywhere and no
	 * keepalived_script account: refused, as keepalived does. */
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &open_, &id), 0);
	if (!getpwnam(SCRIPT_DEFAULT_USER))
		assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec, &id), -1);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_root, &id), 0);
	assert_int_equal(id.uid, 0);
	/* World-writable: refused as root with security, warned without. */
	assert_int_equal(chmod(prog, 0757), 0);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_root, &id), -1);
	assert_int_equal(script_vet("t", "no", cmd, "root", NULL, &open_, &id), 0);
	/* ... but as nobody it cannot gain root: runs. */
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_nobody, &id), 0);
	assert_int_equal(id.uid, 65534);
	/* Group root counts as root. */
	assert_int_equal(script_vet("t", "no", cmd, "nobody", "root", &sec, &id), -1);
	assert_int_equal(chmod(prog, 0755), 0);
	/* A world-writable directory above it. */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_root, &id), -1);
	/* Set-uid root, run as nobody: root privileges, so checked. */
	assert_int_equal(chmod(prog, 04755), 0);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_nobody, &id), -1);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_nobody, &id), 0);
	/* Not executable by the user it runs as; missing. */
	assert_int_equal(chmod(prog, 0700), 0);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_nobody, &id), -1);
	assert_int_equal(script_vet("t", "no", cmd, NULL, NULL, &sec_root, &id), 0);
	assert_int_equal(script_vet("t", "no", "/nonexistent/x", NULL, NULL, &open_, &id), -1);
	assert_int_equal(script_vet("t", "no", "no-such-prog-x", NULL, NULL, &open_, &id), -1);
	assert_int_equal(script_vet("t", "no", "true", NULL, NULL, &sec_root, &id), 0);
	assert_int_equal(script_vet("t", "no", cmd, "no-such-user-x", NULL, &open_, &id), -1);
	unlink(prog);
	rmdir(dir);
}

static void test_hash(void **state)
{
	(void)state;
	/* FNV-1a 32-bit reference values */
	assert_int_equal(hash_str(""), 0x811c9dc5u);
	assert_int_equal(hash_str("a"), 0xe40c292cu);
	assert_int_equal(hash_str("foobar"), 0xbf9cf968u);
	assert_int_equal(hash_fnv1a(HASH_FNV1A_INIT, "foobar", 6), hash_str("foobar"));
	assert_int_equal(hash_fnv1a(hash_fnv1a(HASH_FNV1A_INIT, "foo", 3), "bar", 3),
			 hash_str("foobar"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_kinds), cmocka_unit_test(test_bad_calls),
		cmocka_unit_test(test_reentrancy),	cmocka_unit_test(test_churn),
		cmocka_unit_test(test_script_ident),	cmocka_unit_test(test_script_vet),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
