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
	KW_END,
};

const struct conf_kw conf_unsupported_sync_group_kws[] = {
	KW_UNSUPPORTED("track_bfd", NO_BFD),
	KW_END,
};
