/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which check_kind runs which enum conf_check_kind. */
#include <stddef.h>

#include "check/engine.h"
#include "check/kinds_test.h"
#include "conf/model.h"

#define N_KINDS (CONF_CHECK_SMTP_HOST + 1)

static const struct check_kind *const kinds[N_KINDS] = {
	[CONF_CHECK_TCP] = &check_kind_tcp,   [CONF_CHECK_HTTP] = &check_kind_http,
	[CONF_CHECK_SSL] = &check_kind_ssl,   [CONF_CHECK_SMTP] = &check_kind_smtp,
	[CONF_CHECK_DNS] = &check_kind_dns,   [CONF_CHECK_MISC] = &check_kind_misc,
	[CONF_CHECK_UDP] = &check_kind_udp,   [CONF_CHECK_PING] = &check_kind_ping,
	[CONF_CHECK_FILE] = &check_kind_file, [CONF_CHECK_SMTP_HOST] = NULL,
};

static const struct check_kind *overrides[N_KINDS];

void check_kind_override(int kind, const struct check_kind *k)
{
	if (kind >= 0 && kind < N_KINDS)
		overrides[kind] = k;
}

const struct check_kind *check_kind_of(int k)
{
	if (k < 0 || k >= N_KINDS)
		return NULL;
	return overrides[k] ? overrides[k] : kinds[k];
}
