/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS generic netlink family (libnl-genl-3): dump the kernel's table,
 * apply a list of operations, set timeouts, flush, and run the connection
 * sync daemon. Calls are synchronous (they block for the kernel's answer);
 * many operations go out batched, several messages per sendmsg, with every
 * ACK checked.
 */
#ifndef VIGIL_IPVS_GENL_H
#define VIGIL_IPVS_GENL_H

#include <stddef.h>
#include <stdint.h>

#include "ipvs/ipvs.h"

struct ipvs_genl;

/*
 * Resolves the "IPVS" family. A kernel without IPVS: -ENOENT (the caller
 * says so once and carries on without IPVS). If the family is missing,
 * `modprobe ip_vs` is tried once first (as keepalived does).
 */
int ipvs_genl_open(struct ipvs_genl **out);
void ipvs_genl_close(struct ipvs_genl *g);

/* The whole table (services and their dests), sorted. 0 or -errno. */
int ipvs_genl_dump(struct ipvs_genl *g, struct ipvs_state *out);

/* Applies ops in order. Stops at the first failure: returns -errno, sets
 * *n_done to the operations applied and writes what failed and why to err
 * ("add dest 198.18.1.1:80 to TCP 198.18.0.1:80: File exists"). */
int ipvs_genl_apply(struct ipvs_genl *g, const struct ipvs_ops *ops, unsigned *n_done, char *err,
		    size_t errlen);

/* Deletes every service (lvs_flush). */
int ipvs_genl_flush(struct ipvs_genl *g);

/* lvs_timeouts: 0 leaves a value as it is. */
int ipvs_genl_set_timeouts(struct ipvs_genl *g, uint32_t tcp, uint32_t tcpfin, uint32_t udp);

enum ipvs_sync_state { IPVS_SYNC_MASTER = 1, IPVS_SYNC_BACKUP = 2 };

struct ipvs_sync_cfg {
	char ifname[16];
	uint32_t syncid;	/* 0..255 */
	uint16_t maxlen;	/* 0: kernel default */
	uint16_t port;		/* 0: kernel default 8848 */
	uint8_t ttl;		/* 0: kernel default 1 */
	struct conf_addr group; /* unset: kernel default 224.0.0.81 */
};

/* Starts (or, with -EEXIST, leaves running) the sync daemon in that role. */
int ipvs_genl_sync_start(struct ipvs_genl *g, enum ipvs_sync_state st,
			 const struct ipvs_sync_cfg *c);
int ipvs_genl_sync_stop(struct ipvs_genl *g, enum ipvs_sync_state st);
/* Which roles run now: bit 0 master, bit 1 backup. */
int ipvs_genl_sync_running(struct ipvs_genl *g, unsigned *roles);

/* Replies that were malformed and skipped since ipvs_genl_open (for tests
 * and for the status output); the reason of the last one or NULL. */
unsigned ipvs_genl_malformed(const struct ipvs_genl *g, const char **last_why);

/* Receive timeout of every request, milliseconds (default 10000). */
void ipvs_genl_set_timeout_ms(struct ipvs_genl *g, int ms);

/* Batching limits of ipvs_genl_apply (defaults 256 messages, 128 KiB);
 * msgs also caps how many dest dumps ipvs_genl_dump sends at once (at most
 * 64, fewer if the receive buffer is small). 1 message gives keepalived's
 * one-request-one-ACK behaviour. */
void ipvs_genl_set_window(struct ipvs_genl *g, unsigned msgs, size_t bytes);

/* Messages sent and acknowledged by the last ipvs_genl_apply, and the
 * sendmsg calls it used. */
void ipvs_genl_last_apply(const struct ipvs_genl *g, unsigned *msgs, unsigned *sends);

#endif
