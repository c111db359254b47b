/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild's side of the checker process: forks it (after the model is
 * loaded; the child runs check_process_main on the inherited model), drops
 * it to an unprivileged user with no capabilities (CAP_NET_RAW only when a
 * PING_CHECK or a checker fwmark needs it), reads its batches, validates
 * every record (proto.h) and hands results to the caller. A checker that
 * dies, sends garbage or stops answering is killed and restarted (backoff
 * 0.1 s doubling to 10 s) and handed the current state of every probe, so
 * a restart changes nothing in IPVS. MISC_CHECK scripts run here, in main
 * (lib/spawn.h, as the checker's user/group or script_user), never in
 * the checker: the checker only names the probe.
 *
 * Reload: a new checker is forked with the new model; probes whose key
 * (probe.h) is unchanged keep their state, the old checker is stopped.
 */
#ifndef VIGIL_CHECK_SUPERVISE_H
#define VIGIL_CHECK_SUPERVISE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "check/probe.h"
#include "check/result.h"

struct event_bus;
struct json;
struct check_sup;

struct check_sup_ops {
	/* A probe's state or dynamic weight changed (not called for results
	 * that change nothing). list/probe index refer to the current list. */
	void (*changed)(void *ctx, const struct check_list *l, unsigned probe,
			const struct check_probe_state *st);
	void *ctx;
};

struct check_sup_opts {
	const char *user;      /* the checker's user (default "nobody") */
	struct event_bus *bus; /* EVENT_CHECKER_RESTART is published here */
};

/*
 * Builds the probe list of m, forks the checker. Probes start in their
 * initial state (alpha: down, else up) and ops->changed is NOT called for
 * it. 0 or -errno (m has no checkers: 0 and *out NULL).
 */
int check_sup_start(uv_loop_t *loop, const struct conf_model *m, const struct check_sup_opts *o,
		    const struct check_sup_ops *ops, struct check_sup **out);
/* The model is being replaced by new_model (valid, outlives the call). */
int check_sup_reload(struct check_sup *s, const struct conf_model *new_model);
/* Stops the checker (SIGTERM, then SIGKILL after 2 s); closes handles. */
void check_sup_stop(struct check_sup *s);
void check_sup_free(struct check_sup *s);

const struct check_list *check_sup_list(const struct check_sup *s);
const struct check_probe_state *check_sup_state(const struct check_sup *s, unsigned probe);

/* The "checker" key of `vigilctl status`: process (pid, restarts, drops
 * per reason, results per failure cause) and every probe (kind, target,
 * users, state, reason and cause, latency, weight, results per cause). */
void check_sup_status_json(struct json *j, void *s);

#endif
