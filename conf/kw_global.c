/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "conf/model.h"
const struct conf_kw conf_top_vrrp_kws[] = { KW_END };
