/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "conf/model.h"
unsigned conf_validate_vrrp(struct conf_ctx *ctx, struct conf_model *m)
{
	(void)ctx;
	(void)m;
	return 0;
}
