/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived keywords that vigil recognises and refuses, each with the
 * reason. They load as "recognised but not supported by vigil: <why>" so an
 * operator learns exactly what to change, instead of a feature silently
 * doing nothing. Used as the second table (kws2) of their blocks; the
 * top-level ones (bfd_instance, linkbeat_interfaces) are in kw_global.c.
 */
#include "conf/model.h"

#define NO_BFD "vigil does not implement BFD"
#define WHY_DUMP                                                                               \
	"keepalived 2.3.3: where the SIGUSR1 / SIGUSR2 / SIGJSON dump files go; vigil writes " \
	"no dump files, use 'vigilctl --json' to see its state"
#define WHY_LOCATION                                                                         \
	"keepalived.conf(5) of 2.3.3 to 2.4.3 gives this name, but keepalived itself reads " \
	"only state_dump_file / stats_dump_file / json_dump_file (it calls this one "        \
	"unknown); vigil writes no dump files, use 'vigilctl --json'"
#define WHY_IPROUTE                                                                          \
	"keepalived 2.3.2: vigil looks table, protocol and realm names up in /etc/iproute2 " \
	"then /usr/share/iproute2 only; write the numbers instead"
#define WHY_OWNER_IGNORE                                                                 \
	"keepalived 2.3.3: an address owner (priority 255) that ignores the adverts it " \
	"receives is not implemented"
#define WHY_TIMER_EXPIRED                                                                 \
	"keepalived 2.2.8: going back to BACKUP after the instance's own timer ran late " \
	"(keepalived's 'thread timer expired') is not implemented"
#define WHY_SNMP_STATS "keepalived 2.3.0: SNMP is not implemented"

const struct conf_kw conf_unsupported_global_kws[] = {
	KW_UNSUPPORTED("linkbeat_use_polling",
		       "vigil follows link state through rtnetlink only and does not poll "
		       "MII/ethtool"),
	KW_UNSUPPORTED("enable_dbus", "vigil has no D-Bus interface; use vigilctl"),
	KW_UNSUPPORTED("dbus_service_name", "vigil has no D-Bus interface; use vigilctl"),
	KW_UNSUPPORTED("bfd_process_name", NO_BFD),
	KW_UNSUPPORTED("bfd_priority", NO_BFD),
	KW_UNSUPPORTED("bfd_no_swap", NO_BFD),
	KW_UNSUPPORTED("bfd_cpu_affinity", NO_BFD),
	KW_UNSUPPORTED("bfd_rt_priority", NO_BFD),
	KW_UNSUPPORTED("bfd_rlimit_rttime", NO_BFD),
	KW_UNSUPPORTED("bfd_rlimit_rtime", NO_BFD),
	KW_UNSUPPORTED("config_save_dir", "vigil keeps no copies of configuration files"),
	KW_UNSUPPORTED("reload_time_file",
		       "vigil does not schedule reloads; run 'vigilctl reload' (for example "
		       "from a timer) instead"),
	KW_UNSUPPORTED("reload_repeat",
		       "vigil does not schedule reloads; run 'vigilctl reload' instead"),
	KW_UNSUPPORTED("reload_file",
		       "vigil reads the whole configuration before it acts on it; no lock "
		       "file is needed"),
	KW_OBSOLETE("tmp_config_directory",
		    "vigil parses the configuration once, in memory, in one process"),
	KW_OBSOLETE("reload_check_config",
		    "vigil always checks a new configuration completely before applying it"),
	KW_OBSOLETE("data_use_instance",
		    "vigil writes no .data dump files; use 'vigilctl --json' to see its state"),
	/* keepalived 2.2.8 - 2.4.3 */
	KW_OBSOLETE("json_version",
		    "keepalived 2.2.8: the format of the file written on SIGJSON; vigil writes no "
		    "dump files, use 'vigilctl --json' to see its state"),
	KW_OBSOLETE("state_dump_file", WHY_DUMP),
	KW_OBSOLETE("stats_dump_file", WHY_DUMP),
	KW_OBSOLETE("json_dump_file", WHY_DUMP),
	KW_OBSOLETE("state_file_location", WHY_LOCATION),
	KW_OBSOLETE("stats_file_location", WHY_LOCATION),
	KW_OBSOLETE("json_file_location", WHY_LOCATION),
	KW_OBSOLETE("use_symlink_paths",
		    "keepalived 2.3.0: keep symbolic links in script paths; vigil always runs a "
		    "script by the path as written (enable_script_security also checks the file "
		    "the links lead to)"),
	KW_UNSUPPORTED("dbus_no_interface_name",
		       "keepalived 2.3.0: vigil has no D-Bus interface; use vigilctl"),
	KW_UNSUPPORTED("iproute_usr_dir", WHY_IPROUTE),
	KW_UNSUPPORTED("iproute_etc_dir", WHY_IPROUTE),
	KW_UNSUPPORTED("vrrp_owner_ignore_adverts", WHY_OWNER_IGNORE),
	KW_OBSOLETE("snmp_vs_stats_update_interval", WHY_SNMP_STATS),
	KW_OBSOLETE("snmp_rs_stats_update_interval", WHY_SNMP_STATS),
	KW_END,
};

const struct conf_kw conf_unsupported_instance_kws[] = {
	KW_UNSUPPORTED("track_bfd", NO_BFD),
	KW_UNSUPPORTED("use_ipvlan",
		       "vigil creates macvlan VMACs only (use_vmac); ipvlan interfaces are not "
		       "supported"),
	KW_UNSUPPORTED("old_unicast_checksum",
		       "vigil computes only the RFC 5798 VRRPv3 checksum; keepalived older than "
		       "1.3.6 is not interoperable"),
	KW_UNSUPPORTED("linkbeat_use_polling",
		       "vigil follows link state through rtnetlink only and does not poll "
		       "MII/ethtool"),
	/* keepalived 2.2.8 - 2.4.3 */
	KW_UNSUPPORTED("timer_expired_backup", WHY_TIMER_EXPIRED),
	KW_UNSUPPORTED("thread_timer_expired", WHY_TIMER_EXPIRED),
	KW_UNSUPPORTED("owner_ignore_adverts", WHY_OWNER_IGNORE),
	KW_UNSUPPORTED("auth_hmac",
		       "keepalived 2.4.0: the HMAC-SHA256 advert trailer is not implemented; "
		       "vigil has auth_type PASS and AH (RFC 2402) only"),
	KW_END,
};

const struct conf_kw conf_unsupported_sync_group_kws[] = {
	KW_UNSUPPORTED("track_bfd", NO_BFD),
	KW_END,
};
