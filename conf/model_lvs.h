/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Model of the LVS side (placeholder until kw_lvs lands). */
#ifndef VIGIL_CONF_MODEL_LVS_H
#define VIGIL_CONF_MODEL_LVS_H

#include "conf/schema.h"

struct conf_lvs {
	struct conf_list virtual_servers;
};

#endif
