/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The keywords vigil accepts but does not act on yet, each with the reason an
 * operator sees (noeffect.h). When a runtime starts using a keyword, its
 * entry goes, and so does its mark in doc/vigil.conf.5.
 */
#include "conf/noeffect.h"
#include "lib/hash.h"

#include <string.h>

#define TOP "-"

#define WHY_FASTREC                                                              \
	"every check attempt fetches every url, which is what keepalived does with " \
	"fast_recovery on"
#define WHY_NLBUF "the IPVS netlink socket keeps the kernel's default buffer size"
#define WHY_NFT_IPVS "nftables rules for IPVS services are not implemented"
#define WHY_SNMP "SNMP is not implemented"
#define WHY_SCHED "process scheduling and memory settings are not implemented"
#define WHY_NAME "process names are not changed by vigil"
#define WHY_FORCE "vigil always tries SO_RCVBUFFORCE first, then SO_RCVBUF"

const struct conf_noeffect conf_noeffect_table[] = {
	/* top level */
	{ TOP, "interface_up_down_delays", "interface up/down delays are not implemented" },
	{ TOP, "namespace_with_ipsets",
	  "vigil always uses its ipsets inside the namespace of net_namespace: kernels since 3.13 "
	  "keep ipsets per namespace" },
	{ TOP, "child_wait_time", "vigil has no child processes of its own to wait for" },

	/* global_defs: identity, processes */
	{ "global_defs", "process_names", WHY_NAME },
	{ "global_defs", "process_name", WHY_NAME },
	{ "global_defs", "vrrp_process_name", WHY_NAME },
	{ "global_defs", "checker_process_name", WHY_NAME },
	{ "global_defs", "umask", "vigild sets its own file creation mask" },
	{ "global_defs", "random_seed", "vigil does not use a seeded random generator" },

	/* global_defs: e-mail */
	{ "global_defs", "no_checker_emails",
	  "vigil mails when a real server goes up or down, not when one of its checkers does: what "
	  "no_checker_emails asks for" },

	/* global_defs: checkers and IPVS */
	{ "global_defs", "nftables_ipvs", WHY_NFT_IPVS },
	{ "global_defs", "nftables_ipvs_priority", WHY_NFT_IPVS },
	{ "global_defs", "nftables_ipvs_start_fwmark", WHY_NFT_IPVS },
	{ "global_defs", "lvs_netlink_cmd_rcv_bufs", WHY_NLBUF },
	{ "global_defs", "lvs_netlink_cmd_rcv_bufs_force", WHY_NLBUF },
	{ "global_defs", "lvs_netlink_monitor_rcv_bufs", WHY_NLBUF },
	{ "global_defs", "lvs_netlink_monitor_rcv_bufs_force", WHY_NLBUF },

	/* global_defs: VRRP features not implemented */
	{ "global_defs", "fifo_write_vrrp_states_on_reload",
	  "states are not written to the notify FIFO on reload" },
	{ "global_defs", "disable_local_igmp",
	  "vigil does not change the IGMP settings of interfaces" },
	{ "global_defs", "vmac_addr_prefix",
	  "it names the interfaces of use_vmac_addr, which is not implemented" },
	{ "global_defs", "dynamic_interfaces",
	  "vigil does not follow interfaces being deleted and created again" },
	{ "global_defs", "nftables_ifindex",
	  "vigil's nftables rules always match interface names" },
	{ "global_defs", "vrrp_iptables",
	  "iptables is not used; vigil uses nftables (see nftables)" },
	{ "global_defs", "max_auto_priority", WHY_SCHED },
	{ "global_defs", "min_auto_priority_delay", WHY_SCHED },
	{ "global_defs", "vrrp_priority", WHY_SCHED },
	{ "global_defs", "checker_priority", WHY_SCHED },
	{ "global_defs", "vrrp_no_swap", WHY_SCHED },
	{ "global_defs", "checker_no_swap", WHY_SCHED },
	{ "global_defs", "vrrp_cpu_affinity", WHY_SCHED },
	{ "global_defs", "checker_cpu_affinity", WHY_SCHED },
	{ "global_defs", "vrrp_rt_priority", WHY_SCHED },
	{ "global_defs", "checker_rt_priority", WHY_SCHED },
	{ "global_defs", "vrrp_rlimit_rttime", WHY_SCHED },
	{ "global_defs", "checker_rlimit_rttime", WHY_SCHED },
	{ "global_defs", "vrrp_netlink_cmd_rcv_bufs_force", WHY_FORCE },
	{ "global_defs", "vrrp_netlink_monitor_rcv_bufs_force", WHY_FORCE },
	{ "global_defs", "process_monitor_rcv_bufs", "the process monitor's buffer size is fixed" },
	{ "global_defs", "process_monitor_rcv_bufs_force",
	  "the process monitor's buffer size is fixed" },

	/* global_defs: SNMP */
	{ "global_defs", "snmp_socket", WHY_SNMP },
	{ "global_defs", "enable_snmp_vrrp", WHY_SNMP },
	{ "global_defs", "enable_snmp_keepalived", WHY_SNMP },
	{ "global_defs", "enable_snmp_checker", WHY_SNMP },
	{ "global_defs", "enable_snmp_rfc", WHY_SNMP },
	{ "global_defs", "enable_snmp_rfcv2", WHY_SNMP },
	{ "global_defs", "enable_snmp_rfcv3", WHY_SNMP },
	{ "global_defs", "enable_traps", WHY_SNMP },
	{ "global_defs", "vrrp_garp_extra_if",
	  "gratuitous ARPs on the other interfaces are not implemented" },

	/* virtual_server, real_server */
	{ "virtual_server", "ha_suspend",
	  "vigil does not suspend health checks while the virtual address is absent" },
	{ "virtual_server", "snmp_name", WHY_SNMP },

	/* real_server */
	{ "real_server", "snmp_name", WHY_SNMP },

	/* inside health checkers */
	{ "HTTP_GET", "fast_recovery", WHY_FASTREC },
	{ "SSL_GET", "fast_recovery", WHY_FASTREC },
	{ "FILE_CHECK", "dynamic",
	  "keepalived 2.2.7 does not know it either (its man page does): a FILE_CHECK with a "
	  "weight other than 0 always adds the value times the weight to the real server's "
	  "weight, and with weight 0 the value only says up or down" },
	{ "PING_CHECK", "fwmark",
	  "PING_CHECK shares one ICMP socket between all its checks, so no mark is set" },

	/* vrrp_sync_group */
	{ "vrrp_sync_group", "notify_deleted",
	  "notifications for deleted groups are not implemented" },
	{ "vrrp_sync_group", "notify_master_rx_lower_pri",
	  "only the vrrp_instance keyword is implemented; put it in the instances" },
	{ "vrrp_sync_group", "notify_priority_changes",
	  "only the vrrp_instance keyword is implemented; put it in the instances" },

	/* vrrp_instance */
	{ "vrrp_instance", "garp_extra_if",
	  "gratuitous ARPs on the other interfaces are not implemented" },
	{ "vrrp_instance", "vrf", "VRF binding is not implemented" },
	{ "vrrp_instance", "use_vmac_addr",
	  "VMACs that only carry the virtual MAC address are not implemented" },
	{ "vrrp_instance", "native_ipv6",
	  "it only changes use_vmac_addr interfaces, which are not implemented" },
	{ "vrrp_instance", "promote_secondaries",
	  "vigil does not change the interface's promote_secondaries setting" },
	{ "vrrp_instance", "debug",
	  "per-instance debug levels are not implemented; use vigild's log level" },
};

const unsigned conf_noeffect_count = sizeof(conf_noeffect_table) / sizeof(conf_noeffect_table[0]);

/* The table's entries chained by a hash of their keyword, made on first use
 * (conf_noeffect_find runs for every statement of a configuration). */
#define NE_SLOTS 1024
#define NE_COUNT (sizeof(conf_noeffect_table) / sizeof(conf_noeffect_table[0]))

static unsigned short ne_head[NE_SLOTS]; /* entry + 1; 0: none */
static unsigned short ne_next[NE_COUNT];
static bool ne_ready;
_Static_assert(NE_COUNT < 65535, "noeffect table too large for its chains");

static unsigned ne_hash(const char *s)
{
	return hash_str(s) & (NE_SLOTS - 1);
}

static void ne_build(void)
{
	/* From the last entry to the first, so chains keep the table's order. */
	for (unsigned i = NE_COUNT; i-- > 0;) {
		unsigned h = ne_hash(conf_noeffect_table[i].kw);

		ne_next[i] = ne_head[h];
		ne_head[h] = (unsigned short)(i + 1);
	}
	ne_ready = true;
}

int conf_noeffect_find(const struct conf_block *blk, const char *kw)
{
	const char *bname = blk == &conf_block_top ? TOP : blk->name;
	unsigned j;

	if (!bname || !kw)
		return -1;
	if (!ne_ready)
		ne_build();
	for (j = ne_head[ne_hash(kw)]; j; j = ne_next[j - 1]) {
		const struct conf_noeffect *e = &conf_noeffect_table[j - 1];

		if (!strcmp(e->kw, kw) && !strcmp(e->block, bname))
			return (int)(j - 1);
	}
	return -1;
}

const char *conf_noeffect_reason(const struct conf_block *blk, const char *kw)
{
	int i = conf_noeffect_find(blk, kw);

	return i < 0 ? NULL : conf_noeffect_table[i].why;
}

void conf_noeffect_warn(struct conf_ctx *ctx, const struct conf_loc *loc, int idx, const char *word)
{
	unsigned i = (unsigned)idx;

	if (idx < 0 || i >= conf_noeffect_count)
		return;
	if (!ctx->noeffect_seen) /* zeroed by the arena */
		ctx->noeffect_seen = arena_alloc(ctx->arena, conf_noeffect_count);
	if (ctx->noeffect_seen[i])
		return;
	ctx->noeffect_seen[i] = 1;
	conf_warn(ctx, loc, "'%s' is accepted but has no effect in this version of vigil: %s", word,
		  conf_noeffect_table[i].why);
}
