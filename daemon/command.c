/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/command.h"

#include "conf/conf.h"
#include "lib/json.h"
#include "daemon/reload.h"
#include "daemon/status.h"

static void reload_cmd(struct reload_state *rs, struct json *j)
{
	unsigned i;

	if (reload_run(rs, "vigilctl reload") == 0) {
		ctl_reply_ok_begin(j);
		json_obj_begin(j);
		json_kbool(j, "reloaded", true);
		json_kuint(j, "generation", rs->generation);
		json_obj_end(j);
		ctl_reply_ok_end(j);
		return;
	}
	ctl_reply_err_begin(j, "configuration rejected");
	json_kuint(j, "generation", rs->generation);
	json_key(j, "errors");
	json_arr_begin(j);
	for (i = 0; i < rs->n_last_errors; i++)
		json_str(j, rs->last_errors[i]);
	json_arr_end(j);
	ctl_reply_err_end(j);
}

void command_run(const struct command_ctx *ctx, enum ctl_command cmd, struct json *j)
{
	switch (cmd) {
	case CTL_CMD_STATUS:
		ctl_reply_ok_begin(j);
		status_build(j, ctx->rs,
			     ctx->now_ms > ctx->started_ms ? (ctx->now_ms - ctx->started_ms) / 1000
							   : 0);
		ctl_reply_ok_end(j);
		return;
	case CTL_CMD_RELOAD:
		reload_cmd(ctx->rs, j);
		return;
	case CTL_CMD_DUMP_CONFIG:
		if (!ctx->rs->cur.model) {
			ctl_reply_error(j, "no configuration loaded");
			return;
		}
		ctl_reply_ok_begin(j);
		conf_dump_json(ctx->rs->cur.model, j);
		ctl_reply_ok_end(j);
		return;
	case CTL_CMD_NONE:
		break;
	}
	ctl_reply_error(j, "unknown command");
}
