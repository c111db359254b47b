/* SPDX-License-Identifier: GPL-2.0-or-later */
/* global_defs: typed values, defaults, every range check, and the keywords
 * vigil refuses or ignores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "conf/conf.h"
#include "lib/json.h"
#include "vrrp/vrrp.h"

#include "tests/unit/conf_fixture.h"

static char buf[4096];

/* "global_defs {\n<line>\n}\n": the statement is on line 2. */
static const char *gd(const char *line)
{
	snprintf(buf, sizeof(buf), "global_defs {\n%s\n}\n", line);
	return buf;
}

static void test_defaults(void **state)
{
	struct conf_model *m = ok("");
	const struct conf_global *g = &m->global;
	char a[CONF_ADDRSTRLEN];

	(void)state;
	assert_int_equal(g->child_wait_time, 5);
	assert_int_equal(g->smtp_port, 25);
	assert_int_equal(g->smtp_connect_timeout, 30);
	assert_int_equal(g->checker_tcp_close, CONF_TCP_CLOSE_RST);
	assert_string_equal(g->default_interface, "eth0");
	assert_int_equal(g->vrrp_garp_master_delay, 5);
	assert_int_equal(g->vrrp_garp_master_repeat, 5);
	assert_int_equal(g->vrrp_garp_lower_prio_delay, 5);
	assert_int_equal(g->vrrp_garp_lower_prio_repeat, 5);
	assert_int_equal(g->vrrp_garp_master_refresh, 0);
	assert_int_equal(g->vrrp_garp_master_refresh_repeat, 1);
	assert_int_equal(g->vrrp_down_timer_adverts, 3);
	assert_int_equal(g->vrrp_version, 2);
	assert_string_equal(conf_addr_str(&g->vrrp_mcast_group4, a), "224.0.0.18");
	assert_string_equal(conf_addr_str(&g->vrrp_mcast_group6, a), "ff02::12");
	assert_string_equal(g->vmac_prefix, "vrrp");
	assert_string_equal(g->vmac_addr_prefix, "vrrp");
	assert_int_equal(g->umask, 022);
	assert_int_equal(g->vrrp_rx_bufs_multiplier, 3);
	assert_int_equal(g->startup_script_timeout, 10);
	assert_null(g->nftables);
	assert_null(g->lvs_sync_daemon.interface);
	assert_int_equal(g->lvs_sync_daemon.port, 8848);
}

static const char good[] =
	"global_defs {\n"
	"  router_id LVS_1\n"
	"  notification_email {\n"
	"    a@example.com b@example.com\n"
	"    c@example.com\n"
	"  }\n"
	"  notification_email_from vigil@example.com\n"
	"  smtp_server 198.18.0.25 2525\n"
	"  smtp_helo_name dir1\n"
	"  smtp_connect_timeout 12\n"
	"  smtp_alert true\n"
	"  smtp_alert_vrrp off\n"
	"  smtp_alert_checker yes\n"
	"  checker_log_all_failures\n"
	"  checker_tcp_close fin\n"
	"  no_email_faults\n"
	"  vrrp_mcast_group4 224.0.0.19\n"
	"  vrrp_mcast_group6 ff02::13\n"
	"  default_interface eth1\n"
	"  lvs_sync_daemon eth2 inst VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82\n"
	"  lvs_timeouts tcp 900 tcpfin 60 udp 300\n"
	"  lvs_flush\n"
	"  lvs_flush_on_stop VS\n"
	"  vrrp_garp_master_delay 10\n"
	"  vrrp_garp_master_repeat 2\n"
	"  vrrp_garp_master_refresh 60\n"
	"  vrrp_garp_master_refresh_repeat 3\n"
	"  vrrp_garp_interval 0.001\n"
	"  vrrp_gna_interval 0.000001\n"
	"  vrrp_down_timer_adverts 4\n"
	"  vrrp_garp_extra_if all 100\n"
	"  vrrp_lower_prio_no_advert\n"
	"  vrrp_higher_prio_send_advert true\n"
	"  vrrp_version 3\n"
	"  nftables vigil_t\n"
	"  nftables_priority -5\n"
	"  nftables_counters\n"
	"  vrrp_iptables in_chain out_chain\n"
	"  vrrp_ipsets s4 s6\n"
	"  vrrp_check_unicast_src\n"
	"  vrrp_skip_check_adv_addr\n"
	"  vrrp_notify_priority_changes true\n"
	"  max_auto_priority\n"
	"  vrrp_priority -10\n"
	"  checker_priority 5\n"
	"  vrrp_cpu_affinity 0 1\n"
	"  vrrp_rt_priority 50\n"
	"  vrrp_rlimit_rttime 20000\n"
	"  snmp_socket udp:127.0.0.1:705\n"
	"  enable_snmp_vrrp\n"
	"  enable_traps\n"
	"  script_user nobody nogroup\n"
	"  enable_script_security\n"
	"  startup_script /bin/start.sh root\n"
	"  startup_script_timeout 20\n"
	"  notify_fifo /run/fifo\n"
	"  vrrp_notify_fifo_script \"/bin/fifo.sh -v\" vigil\n"
	"  dynamic_interfaces allow_if_changes\n"
	"  vrrp_netlink_cmd_rcv_bufs 1048576\n"
	"  vrrp_netlink_cmd_rcv_bufs_force\n"
	"  vrrp_rx_bufs_policy 65536\n"
	"  umask IWGRP|IWOTH|IRWXO\n"
	"  vrrp_startup_delay 5.5\n"
	"  vmac_prefix vm\n"
	"  random_seed 42\n"
	"  include_check readable match\n"
	"}\n"
	"instance blue\n" /* top level only, as in keepalived */
	"use_pid_dir\n"
	"child_wait_time 7\n"
	"vrrp_instance VI_1 {\n"
	"  interface eth0\n"
	"  virtual_router_id 9\n"
	"  virtual_ipaddress {\n"
	"    198.18.0.1\n"
	"  }\n"
	"}\n";

static void test_good_values(void **state)
{
	struct conf_model *m = ok(good);
	const struct conf_global *g = &m->global;
	char a[CONF_ADDRSTRLEN];

	(void)state;
	assert_string_equal(g->router_id, "LVS_1");
	assert_int_equal(g->notification_email.n, 3);
	assert_string_equal(g->notification_email.v[2], "c@example.com");
	assert_string_equal(g->notification_email_from, "vigil@example.com");
	assert_string_equal(g->smtp_server, "198.18.0.25");
	assert_int_equal(g->smtp_port, 2525);
	assert_string_equal(g->smtp_helo_name, "dir1");
	assert_int_equal(g->smtp_connect_timeout, 12);
	assert_true(g->smtp_alert);
	assert_false(g->smtp_alert_vrrp);
	assert_true(g->smtp_alert_checker);
	assert_true(g->checker_log_all_failures);
	assert_int_equal(g->checker_tcp_close, CONF_TCP_CLOSE_FIN);
	assert_true(g->no_email_faults);
	assert_string_equal(conf_addr_str(&g->vrrp_mcast_group4, a), "224.0.0.19");
	assert_string_equal(conf_addr_str(&g->vrrp_mcast_group6, a), "ff02::13");
	assert_string_equal(g->default_interface, "eth1");
	assert_string_equal(g->lvs_sync_daemon.interface, "eth2");
	assert_string_equal(g->lvs_sync_daemon.instance, "VI_1");
	assert_int_equal(g->lvs_sync_daemon.syncid, 7);
	assert_int_equal(g->lvs_sync_daemon.maxlen, 1400);
	assert_int_equal(g->lvs_sync_daemon.port, 8849);
	assert_int_equal(g->lvs_sync_daemon.ttl, 2);
	assert_string_equal(conf_addr_str(&g->lvs_sync_daemon.group, a), "224.0.0.82");
	assert_true(g->lvs_timeouts.set);
	assert_int_equal(g->lvs_timeouts.tcp, 900);
	assert_int_equal(g->lvs_timeouts.tcpfin, 60);
	assert_int_equal(g->lvs_timeouts.udp, 300);
	assert_true(g->lvs_flush);
	assert_int_equal(g->lvs_flush_on_stop, CONF_LVS_FLUSH_STOP_VS);
	assert_int_equal(g->vrrp_garp_master_delay, 10);
	assert_int_equal(g->vrrp_garp_master_repeat, 2);
	/* the lower-priority settings follow the master ones by default */
	assert_int_equal(g->vrrp_garp_lower_prio_delay, 10);
	assert_int_equal(g->vrrp_garp_lower_prio_repeat, 2);
	assert_int_equal(g->vrrp_garp_master_refresh, 60);
	assert_int_equal(g->vrrp_garp_master_refresh_repeat, 3);
	assert_int_equal(g->vrrp_garp_interval, 1000);
	assert_int_equal(g->vrrp_gna_interval, 1);
	assert_int_equal(g->vrrp_down_timer_adverts, 4);
	assert_int_equal(g->vrrp_garp_extra_if, 100);
	assert_true(g->vrrp_garp_extra_if_all);
	assert_true(g->vrrp_lower_prio_no_advert);
	assert_true(g->vrrp_higher_prio_send_advert);
	assert_int_equal(g->vrrp_version, 3);
	assert_string_equal(g->nftables, "vigil_t");
	assert_int_equal(g->nftables_priority, -5);
	assert_true(g->nftables_counters);
	assert_true(g->vrrp_iptables);
	assert_int_equal(g->vrrp_iptables_chains.n, 2);
	assert_string_equal(g->vrrp_iptables_chains.v[1], "out_chain");
	assert_true(g->vrrp_ipsets);
	assert_int_equal(g->vrrp_ipsets_names.n, 2);
	assert_true(g->vrrp_check_unicast_src);
	assert_true(g->vrrp_skip_check_adv_addr);
	assert_true(g->vrrp_notify_priority_changes);
	assert_int_equal(g->max_auto_priority, 99);
	assert_int_equal(g->vrrp_priority, -10);
	assert_int_equal(g->checker_priority, 5);
	assert_int_equal(g->vrrp_cpu_affinity.n, 2);
	assert_int_equal(g->vrrp_rt_priority, 50);
	assert_int_equal(g->vrrp_rlimit_rttime, 20000);
	assert_string_equal(g->snmp_socket, "udp:127.0.0.1:705");
	assert_true(g->enable_snmp_vrrp);
	assert_true(g->enable_traps);
	assert_string_equal(g->script_user, "nobody");
	assert_string_equal(g->script_group, "nogroup");
	assert_true(g->enable_script_security);
	assert_string_equal(g->startup_script.cmd, "/bin/start.sh");
	assert_string_equal(g->startup_script.user, "root");
	assert_null(g->startup_script.group);
	assert_int_equal(g->startup_script_timeout, 20);
	assert_string_equal(g->notify_fifo.cmd, "/run/fifo");
	assert_string_equal(g->vrrp_notify_fifo_script.cmd, "/bin/fifo.sh -v");
	assert_string_equal(g->vrrp_notify_fifo_script.user, "vigil");
	assert_true(g->dynamic_interfaces);
	assert_true(g->allow_if_changes);
	assert_int_equal(g->vrrp_netlink_cmd_rcv_bufs, 1048576);
	assert_true(g->vrrp_netlink_cmd_rcv_bufs_force);
	assert_int_equal(g->vrrp_rx_bufs_policy, CONF_RXBUFS_SIZE);
	assert_int_equal(g->vrrp_rx_bufs_size, 65536);
	assert_int_equal(g->umask, 027);
	assert_int_equal(g->vrrp_startup_delay, 5500000);
	assert_string_equal(g->vmac_prefix, "vm");
	assert_string_equal(g->vmac_addr_prefix, "vm");
	assert_int_equal(g->random_seed, 42);
	assert_int_equal(g->include_check.n, 2);
	assert_string_equal(g->instance, "blue");
	assert_true(g->use_pid_dir);
	assert_int_equal(g->child_wait_time, 7);
	/* the instance took its defaults from global_defs */
	{
		const struct conf_vrrp_instance *vi = (const void *)m->vrrp.instances.head;

		assert_int_equal(vi->version, 3);
		assert_int_equal(vi->garp_master_delay, 10);
		assert_int_equal(vi->down_timer_adverts, 4);
		assert_int_equal(vi->lower_prio_no_advert, 1);
		assert_int_equal(vi->skip_check_adv_addr, 1);
	}
}

static void test_dump(void **state)
{
	struct conf_model *m = ok(good);
	struct json j;
	char *s;

	(void)state;
	json_init(&j, false);
	conf_dump_json(m, &j);
	s = json_take(&j, NULL);
	assert_non_null(strstr(s, "\"router_id\":\"LVS_1\""));
	assert_non_null(strstr(s, "\"smtp_server\":{\"host\":\"198.18.0.25\",\"port\":2525}"));
	assert_non_null(strstr(s, "\"lvs_timeouts\":{\"tcp\":900,\"tcpfin\":60,\"udp\":300}"));
	assert_non_null(strstr(s, "\"vrrp_iptables\":[\"in_chain\",\"out_chain\"]"));
	/* read at the top level, dumped in global_defs */
	assert_non_null(
		strstr(s, "\"instance\":\"blue\",\"use_pid_dir\":true,\"child_wait_time\":7"));
	free(s);
}

static void test_min_garp(void **state)
{
	/* vrrp_min_garp, as keepalived 2.2.7: it changes only what the file
	 * leaves at its default; what is set explicitly stays. The second row
	 * was checked against keepalived's own configuration dump. */
	static const struct {
		const char *text;
		unsigned delay, repeat, refresh, refresh_repeat, lp_delay, lp_repeat;
	} rows[] = {
		{ "vrrp_min_garp", 0, 1, 0, 0, 0, 1 },
		{ "vrrp_min_garp\n vrrp_garp_master_refresh 60\n vrrp_garp_master_repeat 3", 0, 3,
		  60, 0, 0, 3 },
		{ "vrrp_garp_master_delay 2\n vrrp_garp_master_refresh_repeat 2\n vrrp_min_garp", 2,
		  1, 0, 2, 2, 1 },
		{ "", 5, 5, 0, 1, 5, 5 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct conf_global *g = &ok(gd(rows[i].text))->global;
		unsigned got[] = {
			g->vrrp_garp_master_delay,     g->vrrp_garp_master_repeat,
			g->vrrp_garp_master_refresh,   g->vrrp_garp_master_refresh_repeat,
			g->vrrp_garp_lower_prio_delay, g->vrrp_garp_lower_prio_repeat
		};
		unsigned want[] = { rows[i].delay,	    rows[i].repeat,   rows[i].refresh,
				    rows[i].refresh_repeat, rows[i].lp_delay, rows[i].lp_repeat };

		assert_memory_equal(got, want, sizeof(got));
	}
}

static void test_umask_forms(void **state)
{
	(void)state;
	assert_int_equal(ok(gd("umask 0077"))->global.umask, 077);
	assert_int_equal(ok(gd("umask 18"))->global.umask, 18);
	assert_int_equal(ok(gd("umask IWGRP IWOTH"))->global.umask, 022);
	err1(gd("umask 0999"), 2, "octal");
	err1(gd("umask IWGRPP"), 2, "IWGRPP");
}

/* keepalived 2.2.7's ranges: 0.000001-4294.967295 s globally (0, in its
 * stock file, is reported and leaves its default 0: warned, used as 0). */
static void test_garp_interval(void **state)
{
	(void)state;
	warn1(gd("vrrp_garp_interval 0"), 2,
	      "vrrp_garp_interval 0 is outside keepalived's range (0.000001-4294.967295)");
	assert_int_equal(L.model->global.vrrp_garp_interval, 0);
	warn1(gd("vrrp_gna_interval 0.0"), 2, "vrrp_gna_interval 0 is outside keepalived's range");
	assert_int_equal(L.model->global.vrrp_gna_interval, 0);
	load(gd("vrrp_garp_interval 0.000001\nvrrp_gna_interval 4294.967295"));
	assert_int_equal(L.n_errors, 0);
	assert_int_equal(L.n_warnings, 0);
	assert_int_equal(L.model->global.vrrp_gna_interval, 4294967295ULL);
	err1(gd("vrrp_gna_interval 4294.967296"), 2, "(valid: 0-4294.967295 seconds)");
	err1(gd("vrrp_garp_interval 86400"), 2, "vrrp_garp_interval: '86400' is out of range");
}

/* keepalived 2.2.7 reads 'all' and the delay in any order; the global
 * delay is 1-86400, and a line without one is reported and ignored. */
static void test_garp_extra_if(void **state)
{
	const struct conf_global *g;

	(void)state;
	g = &ok(gd("vrrp_garp_extra_if 60 all"))->global;
	assert_int_equal(g->vrrp_garp_extra_if, 60);
	assert_true(g->vrrp_garp_extra_if_all);
	g = &ok(gd("vrrp_garp_extra_if 45"))->global;
	assert_int_equal(g->vrrp_garp_extra_if, 45);
	assert_false(g->vrrp_garp_extra_if_all);
	warn1(gd("vrrp_garp_extra_if 10 all 20"), 2, "the last (20) is used");
	assert_int_equal(L.model->global.vrrp_garp_extra_if, 20);
	err1(gd("vrrp_garp_extra_if 0"), 2, "'0' is out of range (valid: 1-86400)");
	err1(gd("vrrp_garp_extra_if all"), 2, "no delay in seconds (1-86400)");
	err1(gd("vrrp_garp_extra_if"), 2, "no delay in seconds");
}

static void test_bad_values(void **state)
{
	(void)state;
	err1(gd("smtp_connect_timeout 0"), 2, "smtp_connect_timeout");
	err1(gd("smtp_server 198.18.0.1 99999"), 2, "99999");
	err1(gd("smtp_alert maybe"), 2, "maybe");
	err1(gd("checker_tcp_close reset"), 2, "reset");
	err1(gd("vrrp_mcast_group4 10.0.0.1"), 2, "not an IPv4 multicast address");
	err1(gd("vrrp_mcast_group4 ff02::12"), 2, "vrrp_mcast_group4");
	err1(gd("vrrp_mcast_group6 ff05::12"), 2, "link-local IPv6 multicast");
	err1(gd("default_interface a/b"), 2, "default_interface");
	err1(gd("default_interface abcdefghijklmnop"), 2, "default_interface");
	err1(gd("vrrp_version 4"), 2, "vrrp_version");
	err1(gd("vrrp_down_timer_adverts 0"), 2, "vrrp_down_timer_adverts");
	err1(gd("vrrp_down_timer_adverts 101"), 2, "vrrp_down_timer_adverts");
	err1(gd("vrrp_garp_master_repeat 256"), 2, "vrrp_garp_master_repeat");
	/* keepalived 2.2.7 reports 0 as an error too (and would use 1) */
	err1(gd("vrrp_garp_master_repeat 0"), 2, "'0' is out of range (valid: 1-255)");
	err1(gd("vrrp_garp_master_refresh_repeat 0"), 2, "'0' is out of range (valid: 1-255)");
	err1(gd("vrrp_garp_interval -1"), 2, "vrrp_garp_interval");
	err1(gd("vrrp_garp_extra_if some 10"), 2, "'some' is neither 'all' nor a delay in seconds");
	err1(gd("vrrp_garp_extra_if 86401"), 2, "vrrp_garp_extra_if");
	err1(gd("lvs_sync_daemon eth0 id 256"), 2, "256");
	err1(gd("lvs_sync_daemon eth0 VI_1 bogus 1"), 2, "unexpected 'bogus'");
	err1(gd("lvs_sync_daemon eth0 maxlen 70000"), 2, "70000");
	err1(gd("lvs_sync_daemon eth0 port 0"), 2, "port 0");
	err1(gd("lvs_sync_daemon eth0 VI_9"), 2, "refers to vrrp_instance 'VI_9'");
	err1(gd("lvs_timeouts"), 2, "lvs_timeouts");
	err1(gd("lvs_timeouts tcp"), 2, "lvs_timeouts");
	err1(gd("lvs_timeouts tcp 0"), 2, "tcp");
	err1(gd("lvs_timeouts sctp 10"), 2, "'sctp' is not tcp, tcpfin or udp");
	err1(gd("lvs_flush_on_stop ALL"), 2, "'ALL' is not 'VS'");
	err1(gd("max_auto_priority 100"), 2, "max_auto_priority");
	err1(gd("min_auto_priority_delay 10000001"), 2, "min_auto_priority_delay");
	err1(gd("vrrp_priority -21"), 2, "vrrp_priority");
	err1(gd("checker_priority 20"), 2, "checker_priority");
	err1(gd("vrrp_rt_priority 0"), 2, "vrrp_rt_priority");
	err1(gd("checker_rlimit_rttime 1"), 2, "checker_rlimit_rttime");
	err1(gd("vrrp_cpu_affinity 0 x"), 2, "'x'");
	err1(gd("startup_script_timeout 1001"), 2, "startup_script_timeout");
	err1(gd("startup_script"), 2, "startup_script");
	err1(gd("notify_fifo /a u g extra"), 2, "notify_fifo");
	err1(gd("script_user"), 2, "script_user");
	err1(gd("dynamic_interfaces sometimes"), 2, "'sometimes'");
	err1(gd("vrrp_rx_bufs_policy BIG"), 2, "'BIG' is not MTU, ADVERT or a size");
	err1(gd("vrrp_rx_bufs_multiplier 0"), 2, "vrrp_rx_bufs_multiplier");
	err1(gd("vmac_prefix abcdefghijkl"), 2, "1 to 11 characters");
	err1(gd("vrrp_iptables a b c"), 2, "vrrp_iptables");
	err1(gd("nftables_ipvs_start_fwmark 0"), 2, "nftables_ipvs_start_fwmark");
	err1(gd("vrrp_startup_delay 3601"), 2, "vrrp_startup_delay");
	err1(gd("random_seed -1"), 2, "random_seed");
	err1(gd("router_id"), 2, "router_id");
	err1(gd("notification_email a@b"), 2, "notification_email");
	err1(gd("vrrp_stict"), 2, "did you mean 'vrrp_strict'");
}

static void test_unsupported(void **state)
{
	static const char *const kws[] = {
		"linkbeat_use_polling", "enable_dbus",		"dbus_service_name x",
		"bfd_process_name x",	"bfd_priority 1",	"bfd_no_swap",
		"bfd_cpu_affinity 1",	"bfd_rt_priority 1",	"bfd_rlimit_rttime 5",
		"config_save_dir /x",	"reload_time_file /x",	"reload_repeat",
		"reload_file",
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		err1(gd(kws[i]), 2, "is recognised but not supported by vigil");
	/* and outside global_defs, as keepalived allows */
	err1("\nlinkbeat_use_polling\n", 2, "is recognised but not supported by vigil");
}

static void test_obsolete(void **state)
{
	(void)state;
	warn1(gd("tmp_config_directory /tmp"), 2, "is obsolete and has no effect");
	warn1(gd("reload_check_config /tmp/log"), 2, "is obsolete and has no effect");
	warn1(gd("data_use_instance"), 2, "is obsolete and has no effect");
}

/* global_defs keywords of keepalived 2.2.8 to 2.4.3: each says which release
 * added it and what vigil does instead. */
static void test_newer_keepalived(void **state)
{
	static const char *const ignored[] = {
		"json_version 2",
		"state_dump_file /run/",
		"stats_dump_file /run/s",
		"json_dump_file /run/j",
		"use_symlink_paths",
		"snmp_vs_stats_update_interval 5",
		"snmp_rs_stats_update_interval 0.5",
	};
	static const char *const refused[] = {
		"dbus_no_interface_name none",
		"iproute_usr_dir /usr/share/iproute2",
		"iproute_etc_dir /etc/iproute2",
		"vrrp_owner_ignore_adverts",
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		warn1(gd(ignored[i]), 2, "is obsolete and has no effect: keepalived 2.");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		err1(gd(refused[i]), 2, "is recognised but not supported by vigil: keepalived 2.");
	/* the names of keepalived.conf(5) that keepalived itself does not read */
	warn1(gd("state_file_location /run/"), 2,
	      "keepalived itself reads only state_dump_file / stats_dump_file / json_dump_file");
	warn1(gd("stats_file_location /run/"), 2, "is obsolete and has no effect");
	warn1(gd("json_file_location /run/"), 2, "is obsolete and has no effect");
}

/* vrrp_delay_after_boot (keepalived 2.4.0): a timer of 1 ms to UINT_MAX
 * us, as keepalived reads it; the start waits for whichever of it (less
 * the uptime) and vrrp_startup_delay is longer. */
static void test_delay_after_boot(void **state)
{
	const uint64_t s = 1000000;

	(void)state;
	assert_int_equal(ok(gd("vrrp_delay_after_boot 15.23"))->global.vrrp_delay_after_boot,
			 15230000);
	assert_int_equal(ok(gd("vrrp_delay_after_boot 4294.967295"))->global.vrrp_delay_after_boot,
			 4294967295u);
	err1(gd("vrrp_delay_after_boot 4295"), 2, "vrrp_delay_after_boot");
	err1(gd("vrrp_delay_after_boot 0"), 2, "vrrp_delay_after_boot");
	/* booted 10 s ago */
	assert_int_equal(vrrp_start_delay_us(0, 13 * s, 10 * s), 3 * s);
	assert_int_equal(vrrp_start_delay_us(5 * s, 13 * s, 10 * s), 5 * s);
	assert_int_equal(vrrp_start_delay_us(2 * s, 13 * s, 10 * s), 3 * s);
	assert_int_equal(vrrp_start_delay_us(0, 9 * s, 10 * s), 0);
	assert_int_equal(vrrp_start_delay_us(1 * s, 10 * s, 10 * s), 1 * s);
	assert_int_equal(vrrp_start_delay_us(0, 0, 0), 0);
	assert_int_equal(vrrp_start_delay_us(0, 13 * s, UINT64_MAX), 0);
}

static void test_top_level_process_keywords(void **state)
{
	struct conf_model *m = ok("instance red\nuse_pid_dir\nchild_wait_time 9\n"
				  "net_namespace blue\nnamespace_with_ipsets\nnet_namespace_ipvs lb\n");

	(void)state;
	assert_string_equal(m->global.instance, "red");
	assert_true(m->global.use_pid_dir);
	assert_int_equal(m->global.child_wait_time, 9);
	assert_string_equal(m->global.net_namespace, "blue");
	assert_true(m->global.namespace_with_ipsets);
	assert_string_equal(m->global.net_namespace_ipvs, "lb");
	/* keepalived: no name is the namespace it was started in */
	m = ok("net_namespace_ipvs\n");
	assert_string_equal(m->global.net_namespace_ipvs, "");
	err1(gd("net_namespace_ipvs lb"), 2, "'net_namespace_ipvs' belongs at the top level");
	err1(gd("net_namespace blue"), 2, "'net_namespace' belongs at the top level");
	/* keepalived reads them at the top level only (unknown in global_defs) */
	err1(gd("instance red"), 2,
	     "'instance' belongs at the top level, outside global_defs: keepalived does not read "
	     "it inside global_defs");
	err1(gd("use_pid_dir"), 2, "'use_pid_dir' belongs at the top level");
	err1(gd("child_wait_time 9"), 2, "'child_wait_time' belongs at the top level");
}

static void test_all_errors_in_one_run(void **state)
{
	(void)state;
	load("global_defs {\n"
	     "  vrrp_version 9\n"
	     "  smtp_connect_timeout x\n"
	     "  enable_dbus\n"
	     "  vrrp_mcast_group4 10.1.1.1\n"
	     "}\n");
	assert_int_equal(L.n_errors, 4);
	assert_true(has_msg(true, 2, "vrrp_version"));
	assert_true(has_msg(true, 3, "smtp_connect_timeout"));
	assert_true(has_msg(true, 4, "not supported by vigil"));
	assert_true(has_msg(true, 5, "multicast"));
}

/* Past the message cap errors are only counted; an unknown keyword then
 * costs no suggestion search (a ~SEQ flood of them took a fuzzer 12 s). */
static void test_error_cap(void **state)
{
	unsigned n = 0;
	bool suggested = false;

	(void)state;
	load("~SEQ(I, 1, 3000) global_def$I\n");
	assert_int_equal(L.n_errors, 3001); /* and "too many errors" */
	for (const struct conf_msg *m = L.msgs; m; m = m->next) {
		n++;
		if (strstr(m->text, "did you mean"))
			suggested = true;
	}
	assert_true(n <= CONF_MAX_ERRORS + 1);
	assert_true(suggested); /* the first ones still have theirs */
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
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_good_values, teardown),
		cmocka_unit_test_teardown(test_dump, teardown),
		cmocka_unit_test_teardown(test_min_garp, teardown),
		cmocka_unit_test_teardown(test_umask_forms, teardown),
		cmocka_unit_test_teardown(test_garp_interval, teardown),
		cmocka_unit_test_teardown(test_garp_extra_if, teardown),
		cmocka_unit_test_teardown(test_bad_values, teardown),
		cmocka_unit_test_teardown(test_unsupported, teardown),
		cmocka_unit_test_teardown(test_obsolete, teardown),
		cmocka_unit_test_teardown(test_newer_keepalived, teardown),
		cmocka_unit_test_teardown(test_delay_after_boot, teardown),
		cmocka_unit_test_teardown(test_top_level_process_keywords, teardown),
		cmocka_unit_test_teardown(test_all_errors_in_one_run, teardown),
		cmocka_unit_test_teardown(test_error_cap, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
