/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Model of the LVS side of keepalived.conf: virtual_server_group,
 * virtual_server, real_server, every health checker and the SSL block.
 *
 * Settings that a real server inherits from its virtual server, and a checker
 * from its real server, are stored "unset" (CONF_LVS_UNSET_*, CONF_TRI_UNSET)
 * while parsing; conf_validate_lvs() then resolves every one of them, so a
 * reader of a loaded model always sees the effective value. Only smtp_alert
 * and log_all_failures may stay CONF_TRI_UNSET: they fall back to global_defs.
 */
#ifndef VIGIL_CONF_MODEL_LVS_H
#define VIGIL_CONF_MODEL_LVS_H

#include <stdint.h>

#include "conf/schema.h"

#define CONF_LVS_UNSET_TIMER UINT64_MAX
#define CONF_LVS_UNSET_UINT UINT32_MAX

/* A boolean that may be inherited: unset, false or true. */
#define CONF_TRI_UNSET (-1) /* same text as model_vrrp.h */

/* IPVS limits we validate against (see doc/vigil.conf.5.lvs). */
#define CONF_LVS_WEIGHT_MAX 65535    /* ipvsadm's range for -w */
#define CONF_LVS_PERSIST_MAX 2147483 /* seconds; the kernel scales by HZ */
#define CONF_LVS_PERSIST_DEFAULT 360 /* persistence_timeout without a value */
#define CONF_LVS_RANGE_MAX 65536     /* addresses one group entry may expand to */
#define CONF_LVS_TIMER_MAX (86400LL * US_PER_SEC)

/* ---- forwarding ---- */

enum conf_lvs_fwd_method {
	CONF_FWD_UNSET = 0, /* real/sorry server: take the virtual server's */
	CONF_FWD_NAT,
	CONF_FWD_DR,
	CONF_FWD_TUN,
};

enum conf_lvs_tun_type { CONF_TUN_IPIP = 0, CONF_TUN_GUE, CONF_TUN_GRE };
enum conf_lvs_tun_csum { CONF_CSUM_DEFAULT = 0, CONF_CSUM_NONE, CONF_CSUM_CSUM, CONF_CSUM_REMCSUM };

struct conf_lvs_fwd {
	uint8_t method;	     /* enum conf_lvs_fwd_method */
	uint8_t tun_type;    /* enum conf_lvs_tun_type, TUN only */
	uint8_t tun_csum;    /* enum conf_lvs_tun_csum, GUE/GRE only */
	uint16_t tun_port;   /* GUE destination port */
	struct conf_loc loc; /* where it was set (0 line: not set) */
};

/* A notify script: the command (one word, quoted when it has arguments) and
 * the optional user and group it runs as. */
struct conf_lvs_script {
	char *cmd; /* NULL: none */
	char *user, *group;
};

/* ---- virtual_server_group ---- */

struct conf_vsg_entry {
	struct conf_item hdr;
	bool is_fwmark;
	uint32_t fwmark;
	int family; /* fwmark: AF_UNSPEC, AF_INET or AF_INET6 as written; addresses: theirs */
	struct conf_addr first, last; /* address entries: first..last inclusive */
	uint32_t n_addrs;	      /* how many addresses first..last holds */
	unsigned port;		      /* 0: not given (persistent services only) */
};

struct conf_vsg {
	struct conf_item hdr;	  /* name */
	struct conf_list entries; /* struct conf_vsg_entry */
	bool has_v4, has_v6;	  /* address entries of each family */
};

/* ---- checkers ---- */

enum conf_check_kind {
	CONF_CHECK_TCP,
	CONF_CHECK_HTTP,
	CONF_CHECK_SSL,
	CONF_CHECK_SMTP,
	CONF_CHECK_DNS,
	CONF_CHECK_MISC,
	CONF_CHECK_UDP,
	CONF_CHECK_PING,
	CONF_CHECK_FILE,
	CONF_CHECK_SMTP_HOST, /* a host { } block inside SMTP_CHECK */
};

extern const char *const conf_check_kind_names[]; /* "TCP_CHECK", ... */

enum conf_http_proto { CONF_HTTP_10 = 0, CONF_HTTP_10C, CONF_HTTP_11 };

/* status_code: one bit per code 100..599. */
#define CONF_HTTP_STATUS_MIN 100
#define CONF_HTTP_STATUS_MAX 599
struct conf_http_status {
	uint64_t bits[(CONF_HTTP_STATUS_MAX + 1 + 63) / 64];
	bool set; /* false: the default 200-299 is in bits */
};

static inline bool conf_http_status_has(const struct conf_http_status *s, unsigned code)
{
	return code <= CONF_HTTP_STATUS_MAX && (s->bits[code / 64] >> (code % 64)) & 1u;
}

struct conf_http_url {
	struct conf_item hdr;
	char *path;
	uint8_t digest[16]; /* MD5 of the body */
	bool has_digest;
	struct conf_http_status status;
	char *virtualhost; /* NULL: the checker's, real server's or virtual server's */
	char *regex;
	bool regex_no_match;
	struct conf_strlist regex_options;
	unsigned regex_stack_start, regex_stack_max; /* 0: library default */
	unsigned regex_min_offset, regex_max_offset; /* max 0: no limit */
	bool tls_compliant; /* keepalived 2.2.8: also per url */
};

/* Bytes for UDP_CHECK; mask bit 0 means "any value" (require_reply's x). */
struct conf_hexbytes {
	uint8_t *data, *mask;
	unsigned len;
};

struct conf_check {
	struct conf_item hdr;
	int kind; /* enum conf_check_kind */

	/* connection options (not MISC_CHECK or FILE_CHECK) */
	struct conf_addr connect_ip; /* unset: the real server's address */
	unsigned connect_port;	     /* 0 before validation: the real server's port */
	struct conf_addr bindto;
	unsigned bind_port;
	char *bind_if;
	uint32_t fwmark; /* SO_MARK; 0: none */
	uint64_t connect_timeout;

	/* timing (every checker but FILE_CHECK) */
	unsigned retry;
	uint64_t delay_before_retry, warmup, delay_loop;
	int8_t alpha;
	int8_t log_all_failures; /* may stay unset: global checker_log_all_failures */

	/* HTTP_GET / SSL_GET */
	int http_protocol; /* enum conf_http_proto */
	bool fast_recovery, enable_sni, tls_compliant;
	char *virtualhost;
	struct conf_list urls; /* struct conf_http_url */

	/* SMTP_CHECK */
	char *helo_name;	/* NULL: global smtp_helo_name, else the local host name */
	struct conf_list hosts; /* struct conf_check, kind CONF_CHECK_SMTP_HOST */

	/* DNS_CHECK */
	int dns_type; /* index into conf_dns_type_names */
	char *dns_name;

	/* MISC_CHECK */
	char *misc_path;
	uint64_t misc_timeout; /* unset: delay_loop */
	bool misc_dynamic;
	char *user, *group;

	/* UDP_CHECK */
	struct conf_hexbytes payload;
	bool require_reply;
	struct conf_hexbytes reply; /* require_reply's pattern; len 0: any data */
	unsigned min_reply_length, max_reply_length;

	/* FILE_CHECK */
	char *track_file;
	bool dynamic;
	long long file_weight; /* 0: the track_file's own weight */
	bool file_weight_reverse;
};

extern const char *const conf_dns_type_names[];

/* ---- real_server ---- */

struct conf_rs {
	struct conf_item hdr; /* name: "ADDR PORT" */
	struct conf_addr addr;
	unsigned port; /* 0 before validation when omitted: the virtual server's */
	unsigned weight;
	struct conf_lvs_fwd fwd;
	struct conf_lvs_script notify_up, notify_down;
	unsigned uthreshold, lthreshold; /* 0: no limit */
	int8_t smtp_alert;
	char *virtualhost;
	char *snmp_name;
	int8_t alpha, inhibit_on_failure;
	uint64_t connect_timeout, delay_before_retry, warmup, delay_loop;
	unsigned retry;

	struct conf_list tcp_checks, http_checks, ssl_checks, smtp_checks, dns_checks, misc_checks,
		udp_checks, ping_checks, file_checks; /* struct conf_check */
};

/* ---- virtual_server ---- */

enum conf_vs_kind { CONF_VS_ADDR = 0, CONF_VS_FWMARK, CONF_VS_GROUP };
enum conf_lvs_proto {
	CONF_PROTO_UNSET = -1, /* until validate_lvs.c resolves it as keepalived does */
	CONF_PROTO_TCP = 0,
	CONF_PROTO_UDP,
	CONF_PROTO_SCTP,
};
enum conf_lvs_family { CONF_FAMILY_INET = 0, CONF_FAMILY_INET6 };

extern const char *const conf_lvs_sched_names[];

struct conf_sorry_server {
	bool set;
	struct conf_loc loc;
	struct conf_addr addr;
	unsigned port; /* 0: the virtual server's */
	bool inhibit;
	struct conf_lvs_fwd fwd;
};

struct conf_vs {
	struct conf_item hdr; /* name: "ADDR PORT", "fwmark N" or "group NAME" */
	int kind;	      /* enum conf_vs_kind */
	struct conf_addr addr;
	unsigned port; /* 0: none (persistent services only) */
	uint32_t fwmark;
	char *group;
	const struct conf_vsg *vsg; /* resolved by conf_validate_lvs */

	int family;   /* ip_family: enum conf_lvs_family; -1 until resolved */
	int protocol; /* enum conf_lvs_proto */
	int sched;    /* index into conf_lvs_sched_names */
	bool flag_1, flag_2, flag_3, sh_port, sh_fallback, mh_port, mh_fallback, ops;
	struct conf_lvs_fwd fwd;
	char *persistence_engine;
	unsigned persistence_timeout;	  /* seconds; 0: not persistent */
	unsigned persistence_granularity; /* prefix length; 0: none */
	int pgran_family;		  /* AF_INET (netmask) or AF_INET6 (length) */
	bool ha_suspend;
	int8_t smtp_alert;
	char *virtualhost;
	char *snmp_name;
	bool alpha, omega;
	unsigned quorum, hysteresis;
	struct conf_lvs_script quorum_up, quorum_down;
	struct conf_sorry_server sorry;
	uint64_t connect_timeout, delay_before_retry, warmup, delay_loop;
	unsigned retry;
	bool inhibit_on_failure;

	struct conf_list real_servers; /* struct conf_rs */
};

/* ---- SSL (context for SSL_GET) ---- */

struct conf_lvs_ssl {
	bool configured;
	char *password, *ca, *certificate, *key;
};

struct conf_lvs {
	struct conf_list groups;	  /* struct conf_vsg */
	struct conf_list virtual_servers; /* struct conf_vs */
	struct conf_lvs_ssl ssl;
};

/* ---- shared by kw_lvs.c and kw_check.c (not for other readers) ---- */

extern const struct conf_block conf_block_tcp_check, conf_block_http_get, conf_block_ssl_get,
	conf_block_smtp_check, conf_block_dns_check, conf_block_misc_check, conf_block_udp_check,
	conf_block_ping_check, conf_block_file_check;

/* CV_CUSTOM: "kw [<BOOL>]" into the int8_t at kw->off. */
int conf_lvs_parse_tri(struct conf_ctx *ctx, const struct conf_stmt *st, void *obj,
		       const struct conf_kw *kw);
void conf_lvs_dump_tri(struct json *j, const void *obj, const struct conf_kw *kw);

#define KW_LVS_TRI(n, T, f)                                                   \
	{                                                                     \
		KWF(n, T, f), .type = CV_CUSTOM, .parse = conf_lvs_parse_tri, \
			      .dump = conf_lvs_dump_tri                       \
	}

#endif
