/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `status` reply. Core keys come from here; subsystems (vrrp, ipvs,
 * checks) register a callback that adds one more key to the result.
 */
#ifndef VIGIL_DAEMON_STATUS_H
#define VIGIL_DAEMON_STATUS_H

#include <stdint.h>

struct json;
struct reload_state;

#define STATUS_MAX_PROVIDERS 16

/* Writes exactly one JSON value (usually an object) for its key. */
typedef void (*status_fn)(struct json *j, void *data);

/* 0, -EEXIST (key taken or reserved), -ENOSPC, -EINVAL. key is not copied. */
int status_register(const char *key, status_fn fn, void *data);
void status_unregister(const char *key);
void status_unregister_all(void);

/*
 * One object: {"version","pid","uptime_sec","config":{...},"reload":{...},
 * <registered keys>...}
 */
void status_build(struct json *j, const struct reload_state *rs, uint64_t uptime_sec);

#endif
