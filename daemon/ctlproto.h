/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control-socket protocol, without any I/O: parse one request line,
 * build the JSON reply envelope. Pure, so it is unit-tested and fuzzed.
 *
 * A client sends one line (at most CTL_MAX_LINE bytes including the final
 * '\n'); the server answers with one JSON object and closes:
 *   {"ok":true,"result":{...}}   or   {"ok":false,"error":"..."}
 */
#ifndef VIGIL_DAEMON_CTLPROTO_H
#define VIGIL_DAEMON_CTLPROTO_H

#include <stddef.h>

struct json;

#define CTL_MAX_LINE 4096  /* request line, '\n' included */
#define CTL_MAX_CLIENTS 16 /* served at once; more get "busy" */
#define CTL_CLIENT_TIMEOUT_MS 5000

enum ctl_command {
	CTL_CMD_NONE = 0,
	CTL_CMD_STATUS,
	CTL_CMD_RELOAD,
	CTL_CMD_DUMP_CONFIG,
};

struct ctl_request {
	enum ctl_command cmd;
};

/*
 * buf/len: the request line without its '\n' (one trailing '\r' is
 * tolerated). Returns 0 and fills *out, or -1 with *err set to a static,
 * printable message. Never reads past buf + len; buf need not be
 * NUL-terminated.
 */
int ctl_parse_request(const char *buf, size_t len, struct ctl_request *out, const char **err);

const char *ctl_command_name(enum ctl_command cmd);

/* {"ok":true,"result": <caller writes one value> } */
void ctl_reply_ok_begin(struct json *j);
void ctl_reply_ok_end(struct json *j);
/* {"ok":false,"error":msg, <caller may add keys> } */
void ctl_reply_err_begin(struct json *j, const char *msg);
void ctl_reply_err_end(struct json *j);
/* A complete error reply. */
void ctl_reply_error(struct json *j, const char *msg);

#endif
