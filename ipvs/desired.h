/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS table the configuration asks for: every virtual_server (and
 * virtual_server_group expanded) with its real servers, in kernel terms.
 */
#ifndef VIGIL_IPVS_DESIRED_H
#define VIGIL_IPVS_DESIRED_H

#include "conf/model.h"
#include "ipvs/ipvs.h"

/*
 * Builds the desired table from the model (sorted). A real server's weight
 * is its configured weight and no sorry_server is a dest: the table of a
 * director whose real servers are all alive. ipvs_desired_build_filtered
 * asks the health checks (ipvs/health.h) instead. 0 or -ENOMEM.
 */
int ipvs_desired_build(const struct conf_model *m, struct ipvs_state *out);

/*
 * What the build dropped because the kernel can hold a key only once: a
 * later service with the key of an earlier one (config order), a later
 * dest with the key of an earlier one in the same service. conf_validate_lvs
 * refuses every overlap it knows of, so these stay 0 for a validated model;
 * the first of each is kept (as ipvs_service_str / ipvs_dest_str text) for
 * the log.
 */
struct ipvs_desired_drops {
	unsigned services, dests;
	char first_service[128];
	char first_dest[192];
};

/* ipvs_desired_build, also filling *drops (zeroed first; may be NULL). */
int ipvs_desired_build_counted(const struct conf_model *m, struct ipvs_state *out,
			       struct ipvs_desired_drops *drops);

/*
 * Which real servers and sorry servers are dests, and with which weight:
 * vs is the index of the virtual_server in the model's list, rs the index
 * of the real_server in its list. rs NULL: every real server with its
 * configured weight; sorry NULL: no sorry server. A sorry server with the
 * key of a real server of its virtual server replaces that real server's
 * dest while its weight is above 0 (keepalived: the sorry server
 * duplicates a real server).
 */
struct ipvs_desired_filter {
	bool (*rs)(void *ctx, unsigned vs, unsigned rs, int *weight);
	bool (*sorry)(void *ctx, unsigned vs, int *weight);
	void *ctx;
};

/* ipvs_desired_build_counted through a filter (f NULL: none). */
int ipvs_desired_build_filtered(const struct conf_model *m, const struct ipvs_desired_filter *f,
				struct ipvs_state *out, struct ipvs_desired_drops *drops);

/* Only the services of the virtual_servers whose number i has which[i]
 * true (i < n; a group's: every service it expands to), sorted, through
 * f; one pass over the model. 0 or -ENOMEM. */
int ipvs_desired_build_vs(const struct conf_model *m, const bool *which, unsigned n,
			  const struct ipvs_desired_filter *f, struct ipvs_state *out);

#endif
