/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/ctlproto.h"

#include <string.h>

#include "lib/json.h"

static const struct {
	const char *name;
	enum ctl_command cmd;
} commands[] = {
	{ "status", CTL_CMD_STATUS },
	{ "reload", CTL_CMD_RELOAD },
	{ "dump-config", CTL_CMD_DUMP_CONFIG },
};

const char *ctl_command_name(enum ctl_command cmd)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].cmd == cmd)
			return commands[i].name;
	return "none";
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

#define REQ_CHECK(cond, msg)          \
	do {                          \
		if (!(cond)) {        \
			*err = (msg); \
			return -1;    \
		}                     \
	} while (0)

int ctl_parse_request(const char *buf, size_t len, struct ctl_request *out, const char **err)
{
	size_t i, start, end, wlen;
	size_t k;

	out->cmd = CTL_CMD_NONE;
	REQ_CHECK(buf != NULL || len == 0, "empty request");
	REQ_CHECK(len < CTL_MAX_LINE, "request too long");
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		REQ_CHECK(c != '\0', "request contains a NUL byte");
		REQ_CHECK(c == '\t' || (c >= 0x20 && c < 0x7f), "request contains binary data");
	}

	for (start = 0; start < len && is_blank(buf[start]); start++)
		;
	REQ_CHECK(start < len, "empty request");
	for (end = start; end < len && !is_blank(buf[end]); end++)
		;
	wlen = end - start;
	for (i = end; i < len && is_blank(buf[i]); i++)
		;
	REQ_CHECK(i == len, "unexpected argument after command");

	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (strlen(commands[k].name) == wlen &&
		    memcmp(commands[k].name, buf + start, wlen) == 0) {
			out->cmd = commands[k].cmd;
			return 0;
		}
	}
	*err = "unknown command (expected status, reload or dump-config)";
	return -1;
}

void ctl_reply_ok_begin(struct json *j)
{
	json_obj_begin(j);
	json_kbool(j, "ok", true);
	json_key(j, "result");
}

void ctl_reply_ok_end(struct json *j)
{
	json_obj_end(j);
}

void ctl_reply_err_begin(struct json *j, const char *msg)
{
	json_obj_begin(j);
	json_kbool(j, "ok", false);
	json_kstr(j, "error", msg);
}

void ctl_reply_err_end(struct json *j)
{
	json_obj_end(j);
}

void ctl_reply_error(struct json *j, const char *msg)
{
	ctl_reply_err_begin(j, msg);
	ctl_reply_err_end(j);
}
