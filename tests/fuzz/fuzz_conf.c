/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the whole config path: lexer, preprocessor, tree,
 * schema and validation, on bytes that may be anything. Includes are off so
 * the fuzzer cannot wander the file system.
 */
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "conf/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_options opt = { .config_id = "fuzz", .flags = CONF_NO_INCLUDE };
	struct conf_load out;

	conf_load_string("fuzz.conf", (const char *)data, size, &opt, &out);
	conf_load_free(&out);
	return 0;
}
