/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Model of global_defs and the VRRP side (placeholder until kw_vrrp lands). */
#ifndef VIGIL_CONF_MODEL_VRRP_H
#define VIGIL_CONF_MODEL_VRRP_H

#include "conf/schema.h"

struct conf_global {
	char *router_id;
};

struct conf_vrrp {
	struct conf_list instances;
};

#endif
