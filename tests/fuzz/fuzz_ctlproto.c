/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the control-socket request parser, the reply envelope
 * built around whatever it returns, and vigilctl's JSON reader on both the
 * raw input and the reply.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "daemon/ctlproto.h"
#include "lib/jsonread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reply_roundtrip(const char *text, size_t len)
{
	const char *err = NULL;
	struct jv *v = jv_parse(text, len, &err);

	/* Our writer's output must always read back. */
	if (!v)
		abort();
	if (!jv_get(v, "ok") || jv_get(v, "ok")->type != JV_BOOL)
		abort();
	jv_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ctl_request req;
	const char *err = NULL;
	const uint8_t *nl;
	struct json j;
	size_t line_len, len = 0;
	char *text;
	int r;

	/* As the server does: the request is what precedes the first '\n'. */
	nl = memchr(data, '\n', size);
	line_len = nl ? (size_t)(nl - data) : size;
	r = ctl_parse_request(buf, line_len, &req, &err);

	json_init(&j, false);
	if (r == 0) {
		if (req.cmd != CTL_CMD_STATUS && req.cmd != CTL_CMD_RELOAD &&
		    req.cmd != CTL_CMD_DUMP_CONFIG)
			abort();
		ctl_reply_ok_begin(&j);
		json_obj_begin(&j);
		json_kstr(&j, "cmd", ctl_command_name(req.cmd));
		/* Hostile text inside a reply must be escaped correctly. */
		json_key(&j, "echo");
		text = strndup(buf, line_len);
		json_str(&j, text);
		free(text);
		json_obj_end(&j);
		ctl_reply_ok_end(&j);
	} else {
		if (!err || !*err)
			abort();
		ctl_reply_err_begin(&j, err);
		json_key(&j, "errors");
		json_arr_begin(&j);
		text = strndup(buf, size);
		json_str(&j, text);
		free(text);
		json_arr_end(&j);
		ctl_reply_err_end(&j);
	}
	text = json_take(&j, &len);
	json_free(&j);
	if (text) {
		check_reply_roundtrip(text, len);
		free(text);
	}

	/* vigilctl reads whatever comes back from the socket: any bytes. */
	{
		struct jv *v = jv_parse(buf, size, &err);

		if (v) {
			json_init(&j, true);
			jv_write(v, &j);
			text = json_take(&j, &len);
			json_free(&j);
			free(text);
			jv_free(v);
		}
	}
	return 0;
}
