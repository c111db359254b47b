/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket server: a unix stream socket (mode 0600). Each client
 * sends one request line and gets one JSON reply; see ctlproto.h.
 */
#ifndef VIGIL_DAEMON_CONTROL_H
#define VIGIL_DAEMON_CONTROL_H

#include <uv.h>

#include "daemon/ctlproto.h"

struct json;
struct control;

/* Writes the complete reply for cmd into j. */
typedef void (*control_handler)(enum ctl_command cmd, struct json *j, void *data);

/*
 * Returns 0 or a negative errno: -EADDRINUSE when a live daemon answers on
 * path, -ENOTSOCK when path exists and is not a socket, -ENAMETOOLONG.
 * A stale socket (nobody answers) is removed.
 */
int control_open(uv_loop_t *loop, const char *path, control_handler fn, void *data,
		 struct control **out);
/* Per-client time limit (default CTL_CLIENT_TIMEOUT_MS); for tests. */
void control_set_timeout(struct control *c, unsigned ms);
/* Closes the server and every client, removes the socket file. The memory
 * is freed once libuv has closed the handles (run the loop). */
void control_close(struct control *c);

/* Probe: 1 if something accepts connections on path, 0 if not. */
int control_path_is_live(const char *path);

#endif
