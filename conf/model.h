/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The typed config model: what the rest of vigil reads. It lives in one
 * arena (conf_load.arena) and is never modified after conf_load*() returns.
 */
#ifndef VIGIL_CONF_MODEL_H
#define VIGIL_CONF_MODEL_H

#include "conf/schema.h"
#include "conf/model_vrrp.h"
#include "conf/model_lvs.h"

struct conf_model {
	struct conf_global global; /* global_defs (model_vrrp.h) */
	struct conf_vrrp vrrp;     /* vrrp_*, static_*, track files... (model_vrrp.h) */
	struct conf_lvs lvs;       /* virtual_server_group, virtual_server (model_lvs.h) */
};

/* Cross-block checks (references by name, families, version-dependent ranges),
 * run once the whole tree has been applied. Each returns errors reported. */
unsigned conf_validate_vrrp(struct conf_ctx *ctx, struct conf_model *m);
unsigned conf_validate_lvs(struct conf_ctx *ctx, struct conf_model *m);

#endif
