/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The health checker blocks inside real_server: typed values, inherited
 * defaults and every validation rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf/conf.h"
#include "lib/json.h"

static struct conf_load L;

static int load(const char *text)
{
	struct conf_options o = { .flags = CONF_NO_INCLUDE };

	conf_load_free(&L);
	return conf_load_string("t.conf", text, strlen(text), &o, &L);
}

static void show(void)
{
	conf_msgs_print(stderr, L.msgs);
}

static struct conf_model *ok(const char *text)
{
	if (load(text) != 0 || L.n_errors) {
		show();
		fail_msg("expected no errors");
	}
	return L.model;
}

static void err1(const char *text, unsigned line, const char *sub)
{
	load(text);
	for (const struct conf_msg *m = L.msgs; m; m = m->next)
		if (m->is_error && m->loc.line == line && strstr(m->text, sub) && L.n_errors == 1)
			return;
	show();
	fail_msg("expected exactly one error at line %u containing \"%s\" (got %u errors)", line,
		 sub, L.n_errors);
}

static void warn1(const char *text, unsigned line, const char *sub)
{
	ok(text);
	for (const struct conf_msg *m = L.msgs; m; m = m->next)
		if (!m->is_error && m->loc.line == line && strstr(m->text, sub))
			return;
	show();
	fail_msg("expected a warning at line %u containing \"%s\"", line, sub);
}

/* Lines 1-2 open the virtual and real server, the checker starts on line 3. */
#define RS(body)                            \
	"virtual_server 198.18.0.10 80 { protocol TCP\n" \
	"  real_server 198.18.2.1 8080 {\n" body "  }\n}\n"

static struct conf_rs *first_rs(struct conf_model *m)
{
	struct conf_vs *vs = (struct conf_vs *)(void *)m->lvs.virtual_servers.head;

	assert_non_null(vs);
	assert_non_null(vs->real_servers.head);
	return (struct conf_rs *)(void *)vs->real_servers.head;
}

static struct conf_check *first(struct conf_list *l)
{
	assert_non_null(l->head);
	return (struct conf_check *)(void *)l->head;
}

static const char *astr(const struct conf_addr *a)
{
	static char buf[CONF_ADDRSTRLEN];

	return conf_addr_str(a, buf);
}

/* ---- common keywords and inheritance ---- */

static void test_tcp_common(void **state)
{
	(void)state;
	struct conf_model *m = ok(RS("    TCP_CHECK {\n"
				     "      connect_ip 198.18.3.1\n"
				     "      connect_port 81\n"
				     "      bindto 198.18.0.2\n"
				     "      bind_port 4000\n"
				     "      bind_if eth0\n"
				     "      connect_timeout 0.5\n"
				     "      fwmark 9\n"
				     "      retry 2\n"
				     "      delay_before_retry 4\n"
				     "      warmup 1\n"
				     "      delay_loop 3\n"
				     "      alpha yes\n"
				     "      log_all_failures\n"
				     "    }\n"));
	struct conf_check *c = first(&first_rs(m)->tcp_checks);

	assert_int_equal(c->kind, CONF_CHECK_TCP);
	assert_string_equal(astr(&c->connect_ip), "198.18.3.1");
	assert_int_equal(c->connect_port, 81);
	assert_string_equal(astr(&c->bindto), "198.18.0.2");
	assert_int_equal(c->bind_port, 4000);
	assert_string_equal(c->bind_if, "eth0");
	assert_int_equal(c->connect_timeout, 500000);
	assert_int_equal(c->fwmark, 9);
	assert_int_equal(c->retry, 2);
	assert_int_equal(c->delay_before_retry, 4 * US_PER_SEC);
	assert_int_equal(c->warmup, US_PER_SEC);
	assert_int_equal(c->delay_loop, 3 * US_PER_SEC);
	assert_int_equal(c->alpha, 1);
	assert_int_equal(c->log_all_failures, 1);
}

static void test_inheritance(void **state)
{
	(void)state;
	/* nothing set: keepalived's defaults */
	struct conf_model *m =
		ok(RS("    TCP_CHECK {\n    }\n"
		      "    DNS_CHECK {\n    }\n"
		      "    MISC_CHECK {\n      misc_path /bin/true\n    }\n"
		      "    HTTP_GET {\n      url {\n        path /\n      }\n    }\n"));
	struct conf_rs *rs = first_rs(m);
	struct conf_check *c = first(&rs->tcp_checks);

	assert_string_equal(astr(&c->connect_ip), "198.18.2.1");
	assert_int_equal(c->connect_port, 8080);
	assert_int_equal(c->connect_timeout, 5 * US_PER_SEC);
	assert_int_equal(c->delay_loop, 60 * US_PER_SEC);
	assert_int_equal(c->retry, 1);
	assert_int_equal(c->delay_before_retry, 1 * US_PER_SEC);
	assert_int_equal(c->warmup, 60 * US_PER_SEC);
	assert_int_equal(c->alpha, 0);
	assert_int_equal(c->log_all_failures, CONF_TRI_UNSET);
	c = first(&rs->dns_checks);
	assert_int_equal(c->retry, 3);
	assert_int_equal(c->delay_before_retry, 60 * US_PER_SEC);
	c = first(&rs->misc_checks);
	assert_int_equal(c->retry, 0);
	assert_int_equal(c->misc_timeout, 60 * US_PER_SEC);
	c = first(&rs->http_checks);
	assert_int_equal(c->delay_before_retry, 3 * US_PER_SEC);

	/* virtual server -> real server -> checker, nearest wins */
	m = ok("virtual_server 198.18.0.10 80 { protocol TCP\n"
	       "  delay_loop 20\n  retry 5\n  alpha\n  connect_timeout 9\n  warmup 2\n"
	       "  real_server 198.18.2.1 80 {\n"
	       "    retry 6\n    alpha no\n"
	       "    TCP_CHECK {\n      connect_timeout 1\n    }\n"
	       "    PING_CHECK {\n      alpha on\n    }\n"
	       "  }\n}\n");
	rs = first_rs(m);
	c = first(&rs->tcp_checks);
	assert_int_equal(c->delay_loop, 20 * US_PER_SEC);
	assert_int_equal(c->retry, 6);
	assert_int_equal(c->alpha, 0);
	assert_int_equal(c->connect_timeout, US_PER_SEC);
	assert_int_equal(c->warmup, 2 * US_PER_SEC);
	c = first(&rs->ping_checks);
	assert_int_equal(c->kind, CONF_CHECK_PING);
	assert_int_equal(c->alpha, 1);
	assert_int_equal(c->connect_timeout, 9 * US_PER_SEC);
}

static void test_common_errors(void **state)
{
	(void)state;
	err1(RS("    TCP_CHECK {\n      connect_port 0\n    }\n"), 4, "out of range");
	err1(RS("    TCP_CHECK {\n      connect_ip 1.2.3\n    }\n"), 4, "not an IP address");
	err1(RS("    TCP_CHECK {\n      bind_if a/b\n    }\n"), 4, "bind_if");
	err1(RS("    TCP_CHECK {\n      fwmark 0\n    }\n"), 4, "out of range");
	err1(RS("    TCP_CHECK {\n      connect_timeout 0\n    }\n"), 4, "out of range");
	err1(RS("    TCP_CHECK {\n      retry -1\n    }\n"), 4, "retry");
	err1(RS("    TCP_CHECK {\n      alpha sometimes\n    }\n"), 4, "not a boolean");
	err1(RS("    TCP_CHECK {\n      bindto fd00::1\n      connect_ip 10.0.0.1\n    }\n"), 4,
	     "different address families");
	err1(RS("    TCP_CHECK {\n      bindto fd00::1\n    }\n"), 3,
	     "bindto is IPv6 but the checked address is IPv4");
	err1(RS("    TCP_CHECK {\n      misc_path /x\n    }\n"), 4, "it belongs in MISC_CHECK");
	err1(RS("    TCP_CHECK {\n      nosuch 1\n    }\n"), 4, "unknown keyword 'nosuch'");
	/* keepalived reads nb_get_retry in HTTP_GET/SSL_GET only */
	err1(RS("    TCP_CHECK {\n      nb_get_retry 3\n    }\n"), 4,
	     "'nb_get_retry' is read by keepalived in HTTP_GET and SSL_GET only");
	err1(RS("    MISC_CHECK {\n      misc_path /bin/true\n      nb_get_retry 3\n    }\n"), 5,
	     "use 'retry'");
	/* no port anywhere */
	err1("virtual_server fwmark 1 {\n  real_server 198.18.2.1 {\n"
	     "    TCP_CHECK {\n    }\n  }\n}\n",
	     3, "no port to connect to");
	/* ... but a PING_CHECK needs none */
	ok("virtual_server fwmark 1 {\n  real_server 198.18.2.1 {\n"
	   "    PING_CHECK {\n    }\n  }\n}\n");
}

/* ---- HTTP_GET / SSL_GET ---- */

static void test_http(void **state)
{
	(void)state;
	struct conf_model *m = ok(RS("    HTTP_GET {\n"
				     "      http_protocol 1.0C\n"
				     "      fast_recovery\n"
				     "      virtualhost www.example\n"
				     "      nb_get_retry 4\n"
				     "      url {\n"
				     "        path /health\n"
				     "        digest 9B3A0C85A887A256D6939DA88AABD8CD\n"
				     "        status_code 200-299 404 500-503\n"
				     "        virtualhost url.example\n"
				     "        regex ^OK\n"
				     "        regex_no_match\n"
				     "        regex_options caseless multiline\n"
				     "        regex_stack 1024 65536\n"
				     "        regex_min_offset 2\n"
				     "        regex_max_offset 100\n"
				     "      }\n"
				     "      url {\n        path /two\n      }\n"
				     "    }\n"));
	struct conf_check *c = first(&first_rs(m)->http_checks);
	const struct conf_http_url *u = (const struct conf_http_url *)(void *)c->urls.head;

	assert_int_equal(c->kind, CONF_CHECK_HTTP);
	assert_int_equal(c->http_protocol, CONF_HTTP_10C);
	assert_true(c->fast_recovery);
	assert_string_equal(c->virtualhost, "www.example");
	assert_int_equal(c->retry, 4);
	assert_int_equal(c->urls.count, 2);
	assert_string_equal(u->path, "/health");
	assert_true(u->has_digest);
	assert_int_equal(u->digest[0], 0x9b);
	assert_int_equal(u->digest[15], 0xcd);
	assert_true(conf_http_status_has(&u->status, 200));
	assert_true(conf_http_status_has(&u->status, 299));
	assert_false(conf_http_status_has(&u->status, 300));
	assert_true(conf_http_status_has(&u->status, 404));
	assert_false(conf_http_status_has(&u->status, 405));
	assert_true(conf_http_status_has(&u->status, 502));
	assert_string_equal(u->virtualhost, "url.example");
	assert_string_equal(u->regex, "^OK");
	assert_true(u->regex_no_match);
	assert_int_equal(u->regex_options.n, 2);
	assert_int_equal(u->regex_stack_start, 1024);
	assert_int_equal(u->regex_stack_max, 65536);
	assert_int_equal(u->regex_min_offset, 2);
	assert_int_equal(u->regex_max_offset, 100);
	u = (const struct conf_http_url *)(void *)u->hdr.next;
	/* default 200-299 */
	assert_true(conf_http_status_has(&u->status, 250));
	assert_false(conf_http_status_has(&u->status, 301));
	assert_false(u->has_digest);

	/* dump shows ranges and the digest in lower case */
	struct json j;
	json_init(&j, false);
	conf_dump_json(m, &j);
	char *s = json_take(&j, NULL);
	assert_non_null(strstr(s, "\"status_code\":[\"200-299\",\"404\",\"500-503\"]"));
	assert_non_null(strstr(s, "9b3a0c85a887a256d6939da88aabd8cd"));
	free(s);

	m = ok(RS("    SSL_GET {\n      enable_sni\n      tls_compliant\n"
		  "      url {\n        path /\n        status_code 301\n        status_code 302\n"
		  "      }\n    }\n"));
	c = first(&first_rs(m)->ssl_checks);
	u = (const struct conf_http_url *)(void *)c->urls.head;
	assert_int_equal(c->kind, CONF_CHECK_SSL);
	assert_true(c->enable_sni && c->tls_compliant);
	assert_true(conf_http_status_has(&u->status, 301));
	assert_true(conf_http_status_has(&u->status, 302));
	assert_false(conf_http_status_has(&u->status, 200));
	assert_false(u->tls_compliant);
	/* keepalived 2.2.8: tls_compliant also per url, with an optional BOOL */
	m = ok(RS("    SSL_GET {\n      url {\n        path /a\n        tls_compliant\n      }\n"
		  "      url {\n        path /b\n        tls_compliant off\n      }\n    }\n"));
	c = first(&first_rs(m)->ssl_checks);
	u = (const struct conf_http_url *)(void *)c->urls.head;
	assert_false(c->tls_compliant);
	assert_true(u->tls_compliant);
	u = (const struct conf_http_url *)(void *)u->hdr.next;
	assert_false(u->tls_compliant);
	/* keepalived 2.2.7 warns that nb_get_retry is deprecated */
	warn1(RS("    SSL_GET {\n      nb_get_retry 5\n      url {\n        path /\n      }\n"
		 "    }\n"),
	      4, "nb_get_retry is deprecated, as keepalived says; use 'retry'");
	assert_int_equal(first(&first_rs(L.model)->ssl_checks)->retry, 5);
}

#define URL(body) RS("    HTTP_GET {\n      url {\n        path /\n" body "      }\n    }\n")

static void test_http_errors(void **state)
{
	(void)state;
	err1(URL("        digest 1234\n"), 6, "32 hex digits");
	err1(URL("        digest 9b3a0c85a887a256d6939da88aabd8cz\n"), 6, "not hex");
	err1(URL("        status_code 99\n"), 6, "within 100-599");
	err1(URL("        status_code 600\n"), 6, "within 100-599");
	err1(URL("        status_code 300-200\n"), 6, "ends before it starts");
	err1(URL("        status_code 2xx\n"), 6, "not an HTTP status code");
	err1(URL("        status_code\n"), 6, "at least one code");
	err1(URL("        regex x\n        regex_options bogus\n"), 7, "regex option 'bogus'");
	err1(URL("        regex_no_match\n"), 6, "regex_no_match needs a regex");
	err1(URL("        regex x\n        regex_stack 10 5\n"), 7, "START 10 is above MAX 5");
	/* PCRE2 compiles the pattern at load: its message and offset. */
	err1(URL("        regex (\n"), 6,
	     "url: regex does not compile: missing closing parenthesis at offset 1");
	err1(URL("        regex_options caseless\n        regex \"a{2,1}\"\n"), 7,
	     "regex does not compile: numbers out of order in {} quantifier at offset 5");
	err1(URL("        regex \"(?<n>a)(?<n>b)\"\n"), 6, "regex does not compile");
	ok(URL("        regex \"(?<n>a)|(?<n>b)\"\n        regex_options dupnames\n"));
	ok(URL("        regex \"\\d+(?=ms)\\s*(?i)ok.*?$\"\n"));
	err1(URL("        regex x\n        regex_min_offset 10\n        regex_max_offset 5\n"), 7,
	     "regex_min_offset 10 must be below regex_max_offset 5");
	err1(RS("    HTTP_GET {\n      url {\n      }\n    }\n"), 4, "url: has no path");
	err1(RS("    HTTP_GET {\n    }\n"), 3, "needs at least one url block");
	err1(RS("    HTTP_GET {\n      http_protocol 2\n"
		"      url {\n        path /\n      }\n    }\n"),
	     4, "is not one of");
	warn1(RS("    HTTP_GET {\n      enable_sni\n      url {\n        path /\n      }\n    }\n"),
	      4, "only matters for SSL_GET");
}

/* ---- SMTP_CHECK ---- */

static void test_smtp(void **state)
{
	(void)state;
	struct conf_model *m =
		ok(RS("    SMTP_CHECK {\n"
		      "      helo_name \"mail.example\"\n"
		      "      retry 2\n"
		      "      host {\n        connect_ip 198.18.3.1\n"
		      "        connect_port 587\n        bindto 198.18.0.2\n      }\n"
		      "      host {\n        connect_ip 198.18.3.2\n      }\n"
		      "    }\n"));
	struct conf_check *c = first(&first_rs(m)->smtp_checks);

	assert_int_equal(c->kind, CONF_CHECK_SMTP);
	assert_string_equal(c->helo_name, "mail.example");
	assert_int_equal(c->hosts.count, 2);
	struct conf_check *h = first(&c->hosts);
	assert_int_equal(h->kind, CONF_CHECK_SMTP_HOST);
	assert_int_equal(h->connect_port, 587);
	assert_int_equal(h->retry, 2); /* from the SMTP_CHECK */
	h = (struct conf_check *)(void *)h->hdr.next;
	assert_int_equal(h->connect_port, 8080); /* from the real server */
	assert_string_equal(astr(&h->connect_ip), "198.18.3.2");

	/* no port at all: SMTP's own 25 */
	m = ok("virtual_server fwmark 1 {\n  real_server 198.18.2.1 {\n"
	       "    SMTP_CHECK {\n    }\n  }\n}\n");
	assert_int_equal(first(&first_rs(m)->smtp_checks)->connect_port, 25);
	err1(RS("    SMTP_CHECK {\n      host {\n        helo_name x\n      }\n    }\n"), 5,
	     "helo_name");
}

/* ---- DNS_CHECK ---- */

static void test_dns(void **state)
{
	(void)state;
	struct conf_model *m = ok(RS("    DNS_CHECK {\n      type aaaa\n"
				     "      name www.example.org\n    }\n"
				     "    DNS_CHECK {\n    }\n"));
	struct conf_check *c = first(&first_rs(m)->dns_checks);

	assert_string_equal(conf_dns_type_names[c->dns_type], "AAAA");
	assert_string_equal(c->dns_name, "www.example.org");
	c = (struct conf_check *)(void *)c->hdr.next;
	assert_string_equal(conf_dns_type_names[c->dns_type], "SOA");
	assert_string_equal(c->dns_name, ".");

	err1(RS("    DNS_CHECK {\n      type PTR\n    }\n"), 4, "is not one of");
	err1(RS("    DNS_CHECK {\n      name a..b\n    }\n"), 4, "empty label");
	err1(RS("    DNS_CHECK {\n      name "
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.org\n"
		"    }\n"),
	     4, "longer than 63");
}

/* ---- MISC_CHECK ---- */

static void test_misc(void **state)
{
	(void)state;
	struct conf_model *m = ok(RS("    MISC_CHECK {\n"
				     "      misc_path \"/usr/local/bin/check.sh arg1 arg2\"\n"
				     "      misc_timeout 5\n"
				     "      misc_dynamic\n"
				     "      user nobody nogroup\n"
				     "      warmup 2\n"
				     "      alpha\n"
				     "    }\n"));
	struct conf_check *c = first(&first_rs(m)->misc_checks);

	assert_string_equal(c->misc_path, "/usr/local/bin/check.sh arg1 arg2");
	assert_int_equal(c->misc_timeout, 5 * US_PER_SEC);
	assert_true(c->misc_dynamic);
	assert_string_equal(c->user, "nobody");
	assert_string_equal(c->group, "nogroup");
	assert_int_equal(c->warmup, 2 * US_PER_SEC);
	assert_int_equal(c->alpha, 1);

	err1(RS("    MISC_CHECK {\n    }\n"), 3, "has no misc_path");
	err1(RS("    MISC_CHECK {\n      misc_path /x\n      connect_port 80\n    }\n"), 5,
	     "connect_port");
	err1(RS("    MISC_CHECK {\n      misc_path /x\n      user a b c\n    }\n"), 5,
	     "user name and optionally a group");
	err1(RS("    MISC_CHECK {\n      misc_path /x\n      misc_timeout 0\n    }\n"), 5,
	     "out of range");
}

/* ---- UDP_CHECK ---- */

static void test_udp(void **state)
{
	(void)state;
	struct conf_model *m = ok(RS("    UDP_CHECK {\n"
				     "      payload Ab12f 3 456 546443123\n"
				     "      require_reply 0x1X 2\n"
				     "      min_reply_length 2\n"
				     "      max_reply_length 100\n"
				     "    }\n"
				     "    UDP_CHECK {\n      require_reply\n    }\n"));
	struct conf_check *c = first(&first_rs(m)->udp_checks);
	/* the man page's own example */
	static const uint8_t want[] = { 0xab, 0x12, 0x0f, 0x03, 0x45, 0x06,
					0x54, 0x64, 0x43, 0x12, 0x03 };

	assert_int_equal(c->payload.len, sizeof(want));
	assert_memory_equal(c->payload.data, want, sizeof(want));
	assert_true(c->require_reply);
	/* "0x1X" is four nibbles 0,x,1,X: bytes 0? and 1? with masks f0 and f0 */
	assert_int_equal(c->reply.len, 3);
	assert_int_equal(c->reply.mask[0], 0xf0);
	assert_int_equal(c->reply.data[1], 0x10);
	assert_int_equal(c->reply.mask[1], 0xf0);
	assert_int_equal(c->reply.data[2], 0x02);
	assert_int_equal(c->min_reply_length, 2);
	assert_int_equal(c->max_reply_length, 100);
	c = (struct conf_check *)(void *)c->hdr.next;
	assert_true(c->require_reply);
	assert_int_equal(c->reply.len, 0);
	assert_int_equal(c->max_reply_length, 255);

	err1(RS("    UDP_CHECK {\n      payload 12g4\n    }\n"), 4, "is not hex");
	err1(RS("    UDP_CHECK {\n      payload 1x\n    }\n"), 4, "is not hex");
	err1(RS("    UDP_CHECK {\n      payload\n    }\n"), 4, "needs hex data");
	err1(RS("    UDP_CHECK {\n      min_reply_length 10\n      max_reply_length 5\n    }\n"), 4,
	     "min_reply_length 10 is above max_reply_length 5");
	err1(RS("    UDP_CHECK {\n      max_reply_length 70000\n    }\n"), 4, "out of range");
}

/* ---- FILE_CHECK, PING_CHECK, BFD_CHECK ---- */

static void test_file(void **state)
{
	(void)state;
	struct conf_model *m = ok(RS("    FILE_CHECK {\n      track_file tf1\n      dynamic\n"
				     "      weight -10 reverse\n    }\n"));
	struct conf_check *c = first(&first_rs(m)->file_checks);

	assert_int_equal(c->kind, CONF_CHECK_FILE);
	assert_string_equal(c->track_file, "tf1");
	assert_true(c->dynamic);
	assert_int_equal(c->file_weight, -10);
	assert_true(c->file_weight_reverse);

	err1(RS("    FILE_CHECK {\n    }\n"), 3, "has no track_file");
	err1(RS("    FILE_CHECK {\n      track_file t\n      weight 1 forward\n    }\n"), 5,
	     "optionally 'reverse'");
	err1(RS("    FILE_CHECK {\n      track_file t\n      weight 2147483648\n    }\n"), 5,
	     "-2147483647..2147483647");
	err1(RS("    FILE_CHECK {\n      track_file t\n      retry 3\n    }\n"), 5, "retry");
}

static void test_bfd_unsupported(void **state)
{
	(void)state;
	err1(RS("    BFD_CHECK {\n      name b\n    }\n"), 3,
	     "'BFD_CHECK' is recognised but not supported by vigil");
}

static int teardown(void **state)
{
	(void)state;
	conf_load_free(&L);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_tcp_common, teardown),
		cmocka_unit_test_teardown(test_inheritance, teardown),
		cmocka_unit_test_teardown(test_common_errors, teardown),
		cmocka_unit_test_teardown(test_http, teardown),
		cmocka_unit_test_teardown(test_http_errors, teardown),
		cmocka_unit_test_teardown(test_smtp, teardown),
		cmocka_unit_test_teardown(test_dns, teardown),
		cmocka_unit_test_teardown(test_misc, teardown),
		cmocka_unit_test_teardown(test_udp, teardown),
		cmocka_unit_test_teardown(test_file, teardown),
		cmocka_unit_test_teardown(test_bfd_unsupported, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
