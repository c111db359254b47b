/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The typed model of global_defs and of the VRRP side of keepalived.conf:
 * vrrp_instance, vrrp_sync_group, vrrp_script, track files and processes,
 * garp groups, static addresses/routes/rules and interface delays.
 *
 * Conventions: a keyword that was not given keeps its documented default
 * (set by the block's init hook). Per-instance settings whose default comes
 * from global_defs hold CONF_UNSET / CONF_UNSET_TIMER / CONF_TRI_UNSET until
 * conf_validate_vrrp() copies the global value in, so after a successful
 * load every field holds its effective value.
 */
#ifndef VIGIL_CONF_MODEL_VRRP_H
#define VIGIL_CONF_MODEL_VRRP_H

#include <stdint.h>

#include "conf/schema.h"

#define CONF_UNSET 0xffffffffu	    /* unsigned field not given */
#define CONF_UNSET_TIMER UINT64_MAX /* timer field not given */
#define CONF_TRI_UNSET (-1)	    /* int8_t tri-state: -1 unset, 0 off, 1 on */

/* A script to run, or a FIFO to write: "PATH|'CMD ARGS' [user [group]]". */
struct conf_script {
	char *cmd; /* NULL when not configured */
	char *user;
	char *group;
};

/* ---- global_defs ---- */

enum conf_rx_bufs_policy {
	CONF_RXBUFS_DEFAULT = 0, /* system default */
	CONF_RXBUFS_MTU,
	CONF_RXBUFS_ADVERT,
	CONF_RXBUFS_SIZE, /* a fixed size in bytes */
};

/* How TCP_CHECK closes a connection once established (vigil extension). */
enum conf_tcp_close {
	CONF_TCP_CLOSE_RST, /* SO_LINGER 0: a RST, no FIN exchange, no TIME-WAIT here */
	CONF_TCP_CLOSE_FIN, /* an orderly close, as keepalived does */
};
extern const char *const conf_tcp_close_names[];

enum conf_lvs_flush_on_stop {
	CONF_LVS_FLUSH_STOP_NONE = 0,
	CONF_LVS_FLUSH_STOP_ALL,
	CONF_LVS_FLUSH_STOP_VS, /* delete our virtual servers only */
};

struct conf_lvs_sync_daemon {
	char *interface; /* NULL: not configured */
	char *instance;	 /* vrrp_instance whose state it follows, or NULL */
	struct conf_loc loc;
	unsigned syncid;	/* CONF_UNSET: the instance's VRID (0 without instance) */
	unsigned maxlen;	/* 0: kernel default */
	uint16_t port;		/* default 8848 */
	unsigned ttl;		/* 0: kernel default */
	struct conf_addr group; /* unset: kernel default 224.0.0.81 */
	bool master_and_backup; /* vigil extension: both roles all the time */
};

struct conf_lvs_timeouts {
	bool set;
	unsigned tcp, tcpfin, udp; /* seconds; 0 = leave as it is */
};

struct conf_global {
	/* identity, processes */
	char *router_id;
	char *instance; /* pid file names */
	bool use_pid_dir;
	char *net_namespace; /* /run/netns/NAME: where VRRP, checks and IPVS run */
	char *net_namespace_ipvs; /* IPVS there instead; "": the one vigild started in */
	bool namespace_with_ipsets;
	unsigned child_wait_time; /* seconds, default 5 */
	char *process_name, *vrrp_process_name, *checker_process_name;
	bool process_names;

	/* scripts */
	struct conf_script startup_script, shutdown_script;
	unsigned startup_script_timeout, shutdown_script_timeout; /* default 10 */
	char *script_user, *script_group;
	bool enable_script_security;

	/* notification */
	struct conf_strlist notification_email;
	char *notification_email_from;
	char *smtp_server;  /* host name or address */
	uint16_t smtp_port; /* default 25 */
	char *smtp_helo_name;
	unsigned smtp_connect_timeout; /* seconds, default 30 */
	/* tri-state: the defaults of the levels below (keepalived's precedence,
	 * resolved by daemon/mail_msg.c) */
	int8_t smtp_alert, smtp_alert_vrrp, smtp_alert_checker;
	bool checker_log_all_failures, no_email_faults, rs_init_notifies, no_checker_emails;
	int checker_tcp_close; /* enum conf_tcp_close; vigil extension */
	struct conf_script notify_fifo, notify_fifo_script;
	struct conf_script vrrp_notify_fifo, vrrp_notify_fifo_script;
	struct conf_script lvs_notify_fifo, lvs_notify_fifo_script;
	bool fifo_write_vrrp_states_on_reload;

	/* VRRP defaults */
	struct conf_addr vrrp_mcast_group4, vrrp_mcast_group6;
	char *default_interface;			/* default "eth0" */
	unsigned vrrp_garp_master_delay;		/* s, default 5 */
	unsigned vrrp_garp_master_repeat;		/* default 5 */
	unsigned vrrp_garp_lower_prio_delay;		/* default vrrp_garp_master_delay */
	unsigned vrrp_garp_lower_prio_repeat;		/* default vrrp_garp_master_repeat */
	unsigned vrrp_garp_master_refresh;		/* s, default 0 = off */
	unsigned vrrp_garp_master_refresh_repeat;	/* default 1 */
	uint64_t vrrp_garp_interval, vrrp_gna_interval; /* us, default 0 */
	unsigned vrrp_down_timer_adverts;		/* default 3 */
	bool vrrp_min_garp;
	unsigned vrrp_garp_extra_if; /* s, 0 = off */
	bool vrrp_garp_extra_if_all;
	bool vrrp_lower_prio_no_advert, vrrp_higher_prio_send_advert;
	unsigned vrrp_version; /* 2 or 3, default 2 */
	bool v3_checksum_as_v2; /* keepalived 2.2.8: default of the instance's */
	bool vrrp_check_unicast_src, vrrp_skip_check_adv_addr, vrrp_strict;
	bool vrrp_notify_priority_changes, disable_local_igmp, log_unknown_vrids;
	uint64_t vrrp_startup_delay;
	uint64_t vrrp_delay_after_boot; /* us since boot; keepalived 2.4.0 */
	char *vmac_prefix;	/* default "vrrp" */
	char *vmac_addr_prefix; /* default vmac_prefix */
	bool dynamic_interfaces, allow_if_changes;

	/* firewall */
	char *nftables;	       /* table name; NULL: nftables not requested */
	int nftables_priority; /* default -1 */
	bool nftables_counters, nftables_ifindex;
	char *nftables_ipvs;
	int nftables_ipvs_priority;
	unsigned nftables_ipvs_start_fwmark; /* default 1000 */
	bool vrrp_iptables;
	struct conf_strlist vrrp_iptables_chains; /* 0..2 chain names */
	bool vrrp_ipsets;
	struct conf_strlist vrrp_ipsets_names; /* 0..5 set names */

	/* LVS */
	struct conf_lvs_sync_daemon lvs_sync_daemon;
	struct conf_lvs_timeouts lvs_timeouts;
	bool lvs_flush;
	int lvs_flush_on_stop; /* enum conf_lvs_flush_on_stop */

	/* scheduling */
	int max_auto_priority;		     /* -1..99, default 0 = off */
	unsigned min_auto_priority_delay;    /* us, default 1000000 */
	int vrrp_priority, checker_priority; /* nice -20..19 */
	bool vrrp_no_swap, checker_no_swap;
	struct conf_strlist vrrp_cpu_affinity, checker_cpu_affinity; /* CPU numbers */
	unsigned vrrp_rt_priority, checker_rt_priority;		     /* 0 = not realtime */
	unsigned vrrp_rlimit_rttime, checker_rlimit_rttime;	     /* us, default 10000 */

	/* SNMP */
	char *snmp_socket;
	bool enable_snmp_vrrp, enable_snmp_checker, enable_snmp_rfc, enable_snmp_rfcv2,
		enable_snmp_rfcv3, enable_traps;

	/* buffers */
	unsigned vrrp_netlink_cmd_rcv_bufs, vrrp_netlink_monitor_rcv_bufs;
	bool vrrp_netlink_cmd_rcv_bufs_force, vrrp_netlink_monitor_rcv_bufs_force;
	unsigned lvs_netlink_cmd_rcv_bufs, lvs_netlink_monitor_rcv_bufs;
	bool lvs_netlink_cmd_rcv_bufs_force, lvs_netlink_monitor_rcv_bufs_force;
	unsigned process_monitor_rcv_bufs;
	bool process_monitor_rcv_bufs_force;
	int vrrp_rx_bufs_policy; /* enum conf_rx_bufs_policy */
	unsigned vrrp_rx_bufs_size;
	unsigned vrrp_rx_bufs_multiplier; /* default 3 */

	/* misc */
	unsigned umask; /* default 022 */
	unsigned random_seed;
	struct conf_strlist include_check;
};

/* ---- entries shared by static_* and vrrp_instance ---- */

enum conf_brd_mode { CONF_BRD_NONE = 0, CONF_BRD_ADDR, CONF_BRD_SET, CONF_BRD_CLEAR };

#define CONF_LFT_UNSET (-1LL)
#define CONF_LFT_FOREVER (-2LL)

/* One line of virtual_ipaddress / virtual_ipaddress_excluded / static_ipaddress. */
struct conf_vip {
	struct conf_item hdr; /* name: the address text as written */
	struct conf_prefix addr;
	int brd_mode; /* enum conf_brd_mode */
	struct conf_addr brd;
	char *dev;
	int scope; /* index into conf_scope_names, -1 unset */
	char *label;
	struct conf_prefix peer;
	bool home, nodad, mngtmpaddr, noprefixroute, autojoin, no_track, use_vmac;
	char *track_group;
	long long preferred_lft; /* CONF_LFT_UNSET, CONF_LFT_FOREVER or seconds */
};

struct conf_nexthop {
	struct conf_addr via;
	char *dev;
	unsigned weight; /* 1..256, 0 unset */
	bool onlink;
};

/* One line of static_routes / virtual_routes. */
struct conf_route {
	struct conf_item hdr;
	int family;
	int type; /* index into conf_route_type_names; 0 = unicast */
	struct conf_prefix dst;
	struct conf_prefix from; /* "from": IPv6 source prefix */
	struct conf_addr src;	 /* "src": preferred source */
	struct conf_addr via, or_via;
	char *dev;
	int scope;   /* -1 unset */
	char *table; /* number or name; NULL: main */
	unsigned metric;
	bool has_metric;
	unsigned tos;
	char *protocol;
	bool onlink, no_track, append, inet6, blackhole_like;
	char *track_group;
	struct conf_nexthop *nexthops;
	unsigned n_nexthops;
	struct conf_strlist opts; /* the other ip-route options, as "name value" words */
};

/* One line of static_rules / virtual_rules. */
struct conf_rule {
	struct conf_item hdr;
	int family;
	bool not_, inet6, no_track, l3mdev;
	struct conf_prefix from, to;
	char *table;
	unsigned preference;
	bool has_preference;
	int action; /* index into conf_rule_action_names; 0 = table lookup */
	unsigned goto_target;
	char *iif, *oif;
	unsigned tos;
	unsigned fwmark, fwmask;
	bool has_fwmark;
	char *track_group;
	struct conf_strlist opts; /* the other ip-rule options */
};

/* conf/route_opts.c. Decimal or 0x hex (C's base 0, as iproute2 reads its
 * files), the whole string, 0..max. */
int conf_iproute2_num(const char *s, unsigned long long max, unsigned long long *out);
/* A number 0..max, or a name from an iproute2 file
 * (path, or NULL: /etc/iproute2/FILE then /usr/share/iproute2/FILE). */
int conf_iproute2_id(const char *s, const char *path, const char *file, unsigned long long max,
		     unsigned long long *out);
int conf_iproute2_file_lookup(const char *path, const char *name, unsigned long long max,
			      unsigned long long *out);
/* A routing table (0..2^32-1, unspec/default/main/local, rt_tables) and a
 * route protocol (0..255, iproute2's names, rt_protos); path as above. */
int conf_table_id(const char *s, const char *path, unsigned long long *out);
int conf_proto_id(const char *s, const char *path, unsigned long long *out);
/* An IP protocol: 0..255, a common name, or /etc/protocols. */
int conf_ipproto_id(const char *s, unsigned long long *out);
/* A rule option kept as words (realms, suppress_ifgroup, protocol,
 * ip_proto): its value as the number(s) programmed, or NULL and *why. */
const char *conf_rule_named(struct conf_ctx *ctx, const char *name, const char *v,
			    const char **why);
/* "[FROM/]TO", realms 0..255 as numbers or rt_realms names. */
int conf_realms(const char *s, const char *path, unsigned *from, unsigned *to);
/* Checks the words of r->opts once the line is read, rewriting each value
 * into the number vrrp/netlink_msg.c programs, and makes a route without
 * dev no_track (warned, as keepalived); returns the errors reported. */
int conf_route_opts_finish(struct conf_ctx *ctx, const struct conf_loc *loc, const char *what,
			   struct conf_route *r);
/* The checks of a rule's kept options that need its family (realms: IPv4);
 * returns the errors reported. */
int conf_rule_opts_finish(struct conf_ctx *ctx, const struct conf_loc *loc, const char *what,
			  const struct conf_rule *r);

/* interface_up_down_delays entry */
struct conf_if_delay {
	struct conf_item hdr; /* name: interface */
	uint64_t down_us, up_us;
};

/* track_interface / track_script / track_file / track_process entry */
struct conf_track {
	struct conf_item hdr; /* name: interface, script, file or process name */
	int weight;
	bool has_weight;
	bool reverse;
};

struct conf_unicast_peer {
	struct conf_item hdr;
	struct conf_addr addr;
	unsigned min_ttl, max_ttl; /* default 0 and 255 */
	bool ttl_check;
};

/* ---- top-level named blocks ---- */

struct conf_vrrp_script {
	struct conf_item hdr;
	char *script;
	uint64_t interval; /* us, default 1 s */
	uint64_t timeout;  /* us, CONF_UNSET_TIMER: same as interval */
	int weight;	   /* -253..253, default 0 */
	bool reverse;
	unsigned rise, fall; /* default 1 */
	char *user, *group;
	bool init_fail;
};

struct conf_track_file {
	struct conf_item hdr;
	char *file;
	int weight; /* default 1 */
	bool reverse;
	bool init_file, init_overwrite;
	long long init_value;
};

enum conf_param_match {
	CONF_PARAM_MATCH_NONE = 0, /* not given: the name alone is matched */
	CONF_PARAM_MATCH_EXACT,	   /* param_match alone: parameters must match exactly */
	CONF_PARAM_MATCH_INITIAL,
	CONF_PARAM_MATCH_PARTIAL,
};

struct conf_track_process {
	struct conf_item hdr;
	struct conf_strlist process; /* command name and parameters */
	int param_match;	     /* enum conf_param_match */
	int weight;		     /* default 1 */
	bool reverse;
	unsigned quorum;     /* default 1 */
	unsigned quorum_max; /* default CONF_UNSET: no maximum */
	uint64_t fork_delay, terminate_delay;
	bool full_command;
};

/* A list of names each with the line it was written on (sync group members). */
struct conf_name {
	struct conf_item hdr;
};

struct conf_track_group {
	struct conf_item hdr;
	struct conf_list members; /* struct conf_name: vrrp_instance names */
};

struct conf_garp_group {
	struct conf_item hdr;
	uint64_t garp_interval, gna_interval; /* us; CONF_UNSET_TIMER when not given */
	char *interface;
	struct conf_list interfaces; /* struct conf_name */
};

struct conf_vrrp_sync_group {
	struct conf_item hdr;
	struct conf_list members; /* struct conf_name */
	struct conf_list track_interfaces, track_scripts, track_files, track_processes;
	struct conf_script notify_master, notify_backup, notify_fault, notify_stop, notify;
	struct conf_script notify_master_rx_lower_pri;
	bool notify_deleted;
	struct conf_script notify_deleted_script;
	int8_t notify_priority_changes; /* tri-state */
	int8_t smtp_alert;		/* tri-state */
	bool sync_group_tracking_weight;
};

enum conf_auth_type { CONF_AUTH_NONE = -1, CONF_AUTH_PASS = 0, CONF_AUTH_AH = 1 };

struct conf_vrrp_auth {
	int type; /* enum conf_auth_type */
	char *pass;
	struct conf_loc loc;
};

enum conf_vrrp_state { CONF_STATE_BACKUP = 0, CONF_STATE_MASTER };

struct conf_vrrp_instance {
	struct conf_item hdr;
	int state; /* enum conf_vrrp_state */
	char *interface;
	char *vrf;
	bool use_vmac;
	char *vmac_name;
	uint8_t vmac_mac[6];
	bool has_vmac_mac, vmac_mac_short; /* short: 5 octets, the VRID completes it */
	bool use_vmac_addr, vmac_xmit_base, native_ipv6, dont_track_primary;
	struct conf_list track_interfaces, track_scripts, track_files, track_processes;
	struct conf_addr src_ip; /* mcast_src_ip / unicast_src_ip */
	struct conf_addr mcast_dst_ip;
	bool track_src_ip;
	unsigned version; /* 0: from global vrrp_version (IPv6: always 3) */
	bool check_unicast_src;
	struct conf_list unicast_peers;
	bool unicast_fault_no_peer;
	unsigned unicast_ttl; /* CONF_UNSET: 255 (IPv4), the kernel's hop limit (IPv6) */

	unsigned garp_master_delay, garp_master_repeat; /* CONF_UNSET: global */
	unsigned garp_lower_prio_delay, garp_lower_prio_repeat;
	unsigned garp_master_refresh, garp_master_refresh_repeat;
	unsigned garp_extra_if; /* CONF_UNSET: global */
	bool garp_extra_if_all;
	unsigned down_timer_adverts;			      /* CONF_UNSET: global */
	int8_t lower_prio_no_advert, higher_prio_send_advert; /* tri-state */

	unsigned vrid;	     /* 0: missing */
	unsigned priority;   /* default 100 */
	uint64_t advert_int; /* us, default 1 s */
	struct conf_loc advert_int_loc, version_loc, vrid_loc, src_ip_loc, mcast_dst_loc;

	struct conf_vrrp_auth auth;
	struct conf_list vips, evips; /* struct conf_vip */
	bool promote_secondaries;
	bool no_vips;		  /* no_virtual_ipaddress (keepalived 2.2.8): none is meant */
	struct conf_list vroutes; /* struct conf_route */
	struct conf_list vrules;  /* struct conf_rule */

	int8_t accept; /* tri-state: accept / no_accept */
	bool nopreempt;
	uint64_t preempt_delay; /* us, 0..1000 s */
	struct conf_loc nopreempt_loc, preempt_delay_loc;
	int8_t skip_check_adv_addr, strict_mode; /* tri-state */
	int8_t v3_checksum_as_v2; /* tri-state; keepalived 2.2.8: no IPv4 pseudo-header */
	unsigned debug;

	struct conf_script notify_master, notify_backup, notify_fault, notify_stop, notify;
	struct conf_script notify_master_rx_lower_pri;
	int8_t notify_priority_changes, smtp_alert; /* tri-state */
	unsigned kernel_rx_buf_size;
	/* Deprecated form of global lvs_sync_daemon (keepalived 2.2.7 applies it):
	 * conf_validate_vrrp() moves it there. */
	char *lvs_sync_daemon_interface;
	struct conf_loc lvs_sync_daemon_interface_loc;

	/* Filled by conf_validate_vrrp(). */
	int family;				 /* AF_INET / AF_INET6 */
	struct conf_vrrp_sync_group *sync_group; /* or NULL */
};

struct conf_vrrp {
	struct conf_list scripts;	   /* struct conf_vrrp_script */
	struct conf_list track_files;	   /* struct conf_track_file */
	struct conf_list track_processes;  /* struct conf_track_process */
	struct conf_list sync_groups;	   /* struct conf_vrrp_sync_group */
	struct conf_list garp_groups;	   /* struct conf_garp_group */
	struct conf_list instances;	   /* struct conf_vrrp_instance */
	struct conf_list track_groups;	   /* struct conf_track_group */
	struct conf_list static_addresses; /* struct conf_vip */
	struct conf_list static_routes;	   /* struct conf_route */
	struct conf_list static_rules;	   /* struct conf_rule */
	struct conf_list if_delays;	   /* struct conf_if_delay */
};

/* Value names used by the parsers and the dump. */
extern const char *const conf_scope_names[];
extern const char *const conf_route_type_names[];
extern const char *const conf_rule_action_names[];

/*
 * The options of an address, route or rule line (kw_static.c): one row each,
 * walked by one loop, which checks that the words an option needs are there
 * before its handler runs. Exported so that a unit test can walk every row.
 */
struct conf_entry_parse; /* the line being parsed (kw_static.c) */
struct conf_entry_opt;
typedef int (*conf_entry_fn)(struct conf_entry_parse *p, const struct conf_entry_opt *o);

/* conf_entry_opt.flags: what a missing argument does */
#define CONF_EO_FATAL 0x1u	 /* ends the line: no checks of the whole line follow */
#define CONF_EO_VALUE_AFTER 0x2u /* says "'LIST' needs a value after 'NAME'" */

struct conf_entry_opt {
	const char *name;
	unsigned char args;  /* words the option needs after its name (fn may use more) */
	unsigned char flags; /* CONF_EO_* */
	conf_entry_fn fn;
	size_t off;    /* the field fn fills, in the entry's struct */
	long long max; /* fn's parameter: an upper bound, or for the ip-route options
			* kept as words, 1 when the value must be a number */
};

/* Terminated by a row with name == NULL; the order breaks "did you mean" ties. */
extern const struct conf_entry_opt conf_vip_opts[];
extern const struct conf_entry_opt conf_route_opts[];
extern const struct conf_entry_opt conf_rule_opts[];

/* The blocks (kw_*.c), for tests and for the dump. */
extern const struct conf_block conf_block_global_defs;
extern const struct conf_block conf_block_vrrp_instance;
extern const struct conf_block conf_block_vrrp_sync_group;
extern const struct conf_block conf_block_vrrp_script;
extern const struct conf_block conf_block_track_file;
extern const struct conf_block conf_block_track_process;
extern const struct conf_block conf_block_garp_group;
extern const struct conf_block conf_block_track_group;
extern const struct conf_block conf_block_vip_list;
extern const struct conf_block conf_block_route_list;
extern const struct conf_block conf_block_rule_list;
extern const struct conf_block conf_block_if_delays;

/* Shared custom parsers (kw_static.c / kw_vrrp.c). */
int conf_parse_script(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		      const struct conf_kw *kw);
void conf_dump_script(struct json *j, const void *obj, const struct conf_kw *kw);
int conf_parse_tristate(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
			const struct conf_kw *kw);
void conf_dump_tristate(struct json *j, const void *obj, const struct conf_kw *kw);
#define KW_TRI(n, T, f)                                                        \
	{                                                                      \
		KWF(n, T, f), .type = CV_CUSTOM, .parse = conf_parse_tristate, \
			      .dump = conf_dump_tristate                       \
	}
int conf_parse_names(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw);
void conf_dump_names(struct json *j, const void *obj, const struct conf_kw *kw);
void conf_dump_unset_uint(struct json *j, const void *obj, const struct conf_kw *kw);
void conf_dump_unset_timer(struct json *j, const void *obj, const struct conf_kw *kw);

int conf_parse_words(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		     const struct conf_kw *kw);
int conf_parse_garp_extra_if(struct conf_ctx *ctx, const struct conf_stmt *st, long long min,
			     unsigned *delay, bool *all);

/* Keywords vigil recognises but refuses, as second tables (kw_unsupported.c). */
extern const struct conf_kw conf_unsupported_global_kws[];
extern const struct conf_kw conf_unsupported_instance_kws[];
extern const struct conf_kw conf_unsupported_sync_group_kws[];
/* A dummy block: marks CV_CUSTOM keywords that parse their own { } block. */
extern const struct conf_block conf_block_custom_children;

#endif
