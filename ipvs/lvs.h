/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS runtime of vigild: programs the kernel's table from the model at
 * start, applies only the difference on reload, runs the connection sync
 * daemon in the role its VRRP instance asks for, and cleans up at stop.
 *
 * A kernel without IPVS is not an error: it is said once, the status shows
 * "available": false, and the rest of vigild carries on.
 */
#ifndef VIGIL_IPVS_LVS_H
#define VIGIL_IPVS_LVS_H

#include <stdbool.h>
#include <uv.h>

#include "check/probe.h"
#include "check/result.h"
#include "conf/model.h"
#include "ipvs/ipvs.h"

struct event_bus;
struct json;
struct ipvs_lvs;

/* Where the health checks' probe states come from (check/supervise.h):
 * list() is the current probe list, state() one probe's state. */
struct ipvs_probe_src {
	const struct check_list *(*list)(void *ctx);
	const struct check_probe_state *(*state)(void *ctx, unsigned probe);
	void *ctx;
};

/* At most this many operations go to the kernel per loop turn. */
#define IPVS_LVS_CHUNK 2000

/* Does the model ask for anything IPVS does (virtual servers, sync daemon)? */
bool ipvs_lvs_wanted(const struct conf_model *m);

/*
 * Opens the IPVS family and programs the model's table (lvs_timeouts,
 * lvs_flush, then the minimal operations against one dump; large tables go
 * out in chunks from the loop). Starts the sync daemon: both roles without
 * a VRRP instance or with master_and_backup, else the backup role until
 * ipvs_lvs_follow() says the instance is master. 0, or -ENOMEM; a missing
 * IPVS is logged once and returns 0 (the runtime then does nothing).
 *
 * Health checks (ipvs/health.h): real servers whose probes are down (alpha
 * ones start down) are not added, or added with weight 0 with
 * inhibit_on_failure; quorum and sorry_server follow the probes, and what
 * changes is published on bus (lib/event.h), where the model's notify
 * scripts and lvs_notify_fifo subscribe. src NULL: every real server is
 * alive. src's functions and the model must stay valid until the next
 * ipvs_lvs_reload (the model) or ipvs_lvs_free.
 */
int ipvs_lvs_start(uv_loop_t *loop, const struct conf_model *m, const struct ipvs_probe_src *src,
		   struct event_bus *bus, struct ipvs_lvs **out);

/*
 * A probe's state or dynamic weight changed (probe: index in src->list()).
 * Re-evaluates only its real servers and their virtual servers, runs the
 * events at once, and sends the minimal IPVS operations (dest edit,
 * add, del) together at the end of the loop turn.
 */
void ipvs_lvs_probe_changed(struct ipvs_lvs *l, unsigned probe);

/* The running model is about to be replaced by new_model (valid). With
 * health checks, src->list() must already be new_model's list (call
 * check_sup_reload first): probe states carry over, so a reload that
 * changes no check changes nothing in IPVS. */
void ipvs_lvs_reload(struct ipvs_lvs *l, const struct conf_model *new_model);

/* The VRRP instance called instance is master now (or no longer is). */
void ipvs_lvs_follow(struct ipvs_lvs *l, const char *instance, bool master);

/* omega notifications, lvs_flush_on_stop and the sync daemons we
 * started; synchronous. */
void ipvs_lvs_stop(struct ipvs_lvs *l);
void ipvs_lvs_free(struct ipvs_lvs *l);

/* The "ipvs" key of `vigilctl status`. */
void ipvs_lvs_status_json(struct json *j, void *l);

/* ---- pure helpers (unit tested) ---- */

/* Operations of each kind in ops (counts has IPVS_OP_DEL_DEST + 1 entries). */
void ipvs_ops_count(const struct ipvs_ops *ops, unsigned counts[IPVS_OP_DEL_DEST + 1]);

/* Which sync daemon roles (bit 0 master, bit 1 backup) should run: both
 * without an instance or with master_and_backup, else the one that follows
 * the instance's state. */
unsigned ipvs_sync_roles(bool configured, bool has_instance, bool master_and_backup,
			 bool instance_master);

#endif
