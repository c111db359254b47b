/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The flat probe list: model order, effective settings, merging of
 * identical checkers, the key index. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check/probe.h"
#include "conf_fixture.h"

static struct check_list CL;

static void build(const char *text)
{
	struct conf_model *m = ok(text);

	check_list_free(&CL);
	assert_int_equal(check_list_build(m, &CL), 0);
}

static int teardown(void **state)
{
	(void)state;
	check_list_free(&CL);
	conf_load_free(&L);
	return 0;
}

static const char *addr_text(const struct conf_addr *a)
{
	static char t[INET6_ADDRSTRLEN];

	return inet_ntop(a->family, &a->u, t, sizeof(t));
}

static void test_empty(void **state)
{
	(void)state;
	build("global_defs {\n}\n");
	assert_int_equal(CL.n, 0);
	assert_null(CL.v);
	assert_int_equal(check_list_find(&CL, "TCP_CHECK"), -1);
}

static void test_order_and_fields(void **state)
{
	(void)state;
	build("virtual_server 198.18.0.10 80 { protocol TCP\n"
	      "  delay_loop 7\n"
	      "  alpha\n"
	      "  virtualhost vs.example\n"
	      "  real_server 198.18.2.1 8080 {\n"
	      "    PING_CHECK {\n    }\n"
	      "    HTTP_GET {\n      url {\n        path /a\n      }\n    }\n"
	      "    TCP_CHECK {\n      connect_timeout 3\n      retry 4\n    }\n"
	      "    MISC_CHECK {\n      misc_path /bin/true\n    }\n"
	      "  }\n"
	      "  real_server 198.18.2.2 8081 {\n"
	      "    virtualhost rs.example\n"
	      "    TCP_CHECK {\n      connect_ip 198.18.3.3\n      connect_port 22\n"
	      "      warmup 2\n    }\n"
	      "    SSL_GET {\n      virtualhost ck.example\n      url {\n        path /\n"
	      "      }\n    }\n"
	      "  }\n"
	      "}\n");
	assert_int_equal(CL.n, 6);
	/* per real server: tcp, http, ssl, smtp, dns, misc, udp, ping, file */
	assert_int_equal(CL.v[0].kind, CONF_CHECK_TCP);
	assert_int_equal(CL.v[1].kind, CONF_CHECK_HTTP);
	assert_int_equal(CL.v[2].kind, CONF_CHECK_MISC);
	assert_int_equal(CL.v[3].kind, CONF_CHECK_PING);
	assert_int_equal(CL.v[4].kind, CONF_CHECK_TCP);
	assert_int_equal(CL.v[5].kind, CONF_CHECK_SSL);

	const struct check_probe *t = &CL.v[0];

	assert_string_equal(addr_text(&t->addr), "198.18.2.1");
	assert_int_equal(t->port, 8080);
	assert_int_equal(t->connect_timeout, 3000000);
	assert_int_equal(t->retry, 4);
	assert_int_equal(t->delay_loop, 7000000);
	assert_int_equal(t->warmup, 7000000); /* defaults to delay_loop */
	assert_true(t->alpha);		      /* the virtual server's */
	assert_null(t->virtualhost);
	assert_int_equal(t->n_users, 1);
	assert_int_equal(t->users[0].vs, 0);
	assert_int_equal(t->users[0].rs, 0);
	assert_ptr_equal(t->users[0].cfg, t->cfg);
	assert_string_equal(CL.v[1].virtualhost, "vs.example");
	assert_int_equal(CL.v[1].delay_before_retry, 3000000); /* HTTP default */
	assert_int_equal(CL.v[2].port, 0);
	assert_int_equal(CL.v[3].port, 0);

	t = &CL.v[4];
	assert_string_equal(addr_text(&t->addr), "198.18.3.3");
	assert_int_equal(t->port, 22);
	assert_int_equal(t->warmup, 2000000);
	assert_int_equal(t->users[0].rs, 1);
	assert_string_equal(CL.v[5].virtualhost, "ck.example");
	for (unsigned i = 0; i < CL.n; i++)
		assert_int_equal(check_list_find(&CL, CL.v[i].key), (int)i);
	assert_int_equal(check_list_find(&CL, "nope"), -1);
	assert_int_equal(check_list_find(&CL, ""), -1);
}

static void test_rs_virtualhost(void **state)
{
	(void)state;
	build("virtual_server 198.18.0.10 80 { protocol TCP\n"
	      "  virtualhost vs.example\n"
	      "  real_server 198.18.2.2 8081 {\n"
	      "    virtualhost rs.example\n"
	      "    HTTP_GET {\n      url {\n        path /\n      }\n    }\n"
	      "  }\n"
	      "}\n");
	assert_int_equal(CL.n, 1);
	assert_string_equal(CL.v[0].virtualhost, "rs.example");
	assert_false(CL.v[0].alpha);
}

#define TWO_VS(a, b)                                                                    \
	"virtual_server 198.18.0.10 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n" a "  }\n}\n" \
	"virtual_server 198.18.0.11 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n" b "  }\n}\n"

static void test_merge(void **state)
{
	(void)state;
	build(TWO_VS("    TCP_CHECK {\n      connect_timeout 3\n    }\n",
		     "    TCP_CHECK {\n      connect_timeout 3\n    }\n"));
	assert_int_equal(CL.n, 1);
	assert_int_equal(CL.v[0].n_users, 2);
	assert_int_equal(CL.v[0].users[0].vs, 0);
	assert_int_equal(CL.v[0].users[1].vs, 1);
	assert_int_equal(CL.v[0].users[1].rs, 0);
	assert_ptr_not_equal(CL.v[0].users[0].cfg, CL.v[0].users[1].cfg);
	assert_ptr_equal(CL.v[0].cfg, CL.v[0].users[0].cfg);
	assert_ptr_equal(CL.v[0].vs, CL.v[0].users[0].vsp);

	/* PING_CHECK of one address behind two ports: one probe */
	build("virtual_server 198.18.0.10 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n"
	      "    PING_CHECK {\n    }\n  }\n}\n"
	      "virtual_server 198.18.0.10 443 { protocol TCP\n  real_server 198.18.2.1 443 {\n"
	      "    PING_CHECK {\n    }\n    TCP_CHECK {\n    }\n  }\n}\n");
	assert_int_equal(CL.n, 2);
	assert_int_equal(CL.v[0].kind, CONF_CHECK_PING);
	assert_int_equal(CL.v[0].n_users, 2);
	assert_int_equal(CL.v[1].port, 443);
}

static void test_no_merge(void **state)
{
	(void)state;
	/* a different delay_loop */
	build(TWO_VS("    TCP_CHECK {\n      delay_loop 3\n    }\n",
		     "    TCP_CHECK {\n      delay_loop 4\n    }\n"));
	assert_int_equal(CL.n, 2);
	assert_int_equal(CL.v[0].n_users, 1);
	assert_int_equal(CL.v[1].n_users, 1);
	assert_int_equal(CL.v[1].users[0].vs, 1);
	assert_string_not_equal(CL.v[0].key, CL.v[1].key);
	/* an inherited difference (the virtual server's delay_loop) */
	build("virtual_server 198.18.0.10 80 { protocol TCP\n  delay_loop 5\n  real_server 198.18.2.1 80 {\n"
	      "    TCP_CHECK {\n    }\n  }\n}\n"
	      "virtual_server 198.18.0.11 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n"
	      "    TCP_CHECK {\n    }\n  }\n}\n");
	assert_int_equal(CL.n, 2);
	/* another real server address */
	build("virtual_server 198.18.0.10 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n"
	      "    TCP_CHECK {\n      connect_ip 198.18.9.9\n    }\n  }\n"
	      "  real_server 198.18.2.2 80 {\n"
	      "    TCP_CHECK {\n      connect_ip 198.18.9.9\n    }\n  }\n}\n");
	assert_int_equal(CL.n, 2);
	/* HTTP: another url path, another effective virtualhost */
	build(TWO_VS("    HTTP_GET {\n      url {\n        path /a\n      }\n    }\n",
		     "    HTTP_GET {\n      url {\n        path /b\n      }\n    }\n"));
	assert_int_equal(CL.n, 2);
	build("virtual_server 198.18.0.10 80 { protocol TCP\n  virtualhost a\n  real_server 198.18.2.1 80 {\n"
	      "    HTTP_GET {\n      url {\n        path /\n      }\n    }\n  }\n}\n"
	      "virtual_server 198.18.0.11 80 { protocol TCP\n  virtualhost b\n  real_server 198.18.2.1 80 {\n"
	      "    HTTP_GET {\n      url {\n        path /\n      }\n    }\n  }\n}\n");
	assert_int_equal(CL.n, 2);
	/* ... but the same virtualhost merges */
	build("virtual_server 198.18.0.10 80 { protocol TCP\n  virtualhost a\n  real_server 198.18.2.1 80 {\n"
	      "    HTTP_GET {\n      url {\n        path /\n      }\n    }\n  }\n}\n"
	      "virtual_server 198.18.0.11 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n"
	      "    HTTP_GET {\n      virtualhost a\n      url {\n        path /\n      }\n"
	      "    }\n  }\n}\n");
	assert_int_equal(CL.n, 1);
	assert_int_equal(CL.v[0].n_users, 2);
}

static void test_merge_keeps_first_place(void **state)
{
	(void)state;
	/* vs0: A(tcp 80), vs1: B(tcp 81) then A again: A keeps index 0 */
	build("virtual_server 198.18.0.10 80 { protocol TCP\n  real_server 198.18.2.1 80 {\n"
	      "    TCP_CHECK {\n    }\n  }\n}\n"
	      "virtual_server 198.18.0.11 80 { protocol TCP\n  real_server 198.18.2.1 81 {\n"
	      "    TCP_CHECK {\n    }\n  }\n"
	      "  real_server 198.18.2.1 80 {\n"
	      "    TCP_CHECK {\n    }\n  }\n}\n");
	assert_int_equal(CL.n, 2);
	assert_int_equal(CL.v[0].port, 80);
	assert_int_equal(CL.v[0].n_users, 2);
	assert_int_equal(CL.v[0].users[1].vs, 1);
	assert_int_equal(CL.v[0].users[1].rs, 1);
	assert_int_equal(CL.v[1].port, 81);
	assert_int_equal(check_list_find(&CL, CL.v[1].key), 1);
}

static void test_many(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	/* 2 virtual servers x 300 real servers, identical checkers: 300 probes */
	for (int v = 0; v < 2; v++) {
		fprintf(f, "virtual_server 198.18.0.%d 80 { protocol TCP\n", 10 + v);
		for (int r = 0; r < 300; r++)
			fprintf(f, "  real_server 198.18.%d.%d 80 {\n    TCP_CHECK {\n    }\n  }\n",
				4 + r / 200, r % 200 + 1);
		fprintf(f, "}\n");
	}
	fclose(f);
	build(text);
	free(text);
	assert_int_equal(CL.n, 300);
	for (unsigned i = 0; i < CL.n; i++) {
		assert_int_equal(CL.v[i].n_users, 2);
		assert_int_equal(CL.v[i].users[0].rs, i);
		assert_int_equal(check_list_find(&CL, CL.v[i].key), (int)i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_empty, teardown),
		cmocka_unit_test_teardown(test_order_and_fields, teardown),
		cmocka_unit_test_teardown(test_rs_virtualhost, teardown),
		cmocka_unit_test_teardown(test_merge, teardown),
		cmocka_unit_test_teardown(test_no_merge, teardown),
		cmocka_unit_test_teardown(test_merge_keeps_first_place, teardown),
		cmocka_unit_test_teardown(test_many, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
