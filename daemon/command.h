/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Runs one control command against the daemon's state and writes the
 * complete JSON reply.
 */
#ifndef VIGIL_DAEMON_COMMAND_H
#define VIGIL_DAEMON_COMMAND_H

#include <stdint.h>

#include "daemon/ctlproto.h"

struct json;
struct reload_state;

struct command_ctx {
	struct reload_state *rs;
	uint64_t started_ms; /* uv_now() at start-up */
	uint64_t now_ms;     /* uv_now() now */
};

void command_run(const struct command_ctx *ctx, enum ctl_command cmd, struct json *reply);

#endif
