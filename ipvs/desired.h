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
 * is its configured weight (health checks will change it later through
 * ipvs_desired_set_weight). A sorry_server is added as a dest only when the
 * caller says its virtual server has lost quorum (not yet: always absent).
 * 0 or -ENOMEM.
 */
int ipvs_desired_build(const struct conf_model *m, struct ipvs_state *out);

#endif
