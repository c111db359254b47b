/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/status.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/json.h"
#include "daemon/reload.h"

static struct {
	const char *key;
	status_fn fn;
	void *data;
} providers[STATUS_MAX_PROVIDERS];
static unsigned n_providers;

static const char *const reserved[] = { "version", "pid", "uptime_sec", "config", "reload" };

int status_register(const char *key, status_fn fn, void *data)
{
	unsigned i;

	if (!key || !*key || !fn)
		return -EINVAL;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(key, reserved[i]) == 0)
			return -EEXIST;
	for (i = 0; i < n_providers; i++)
		if (strcmp(key, providers[i].key) == 0)
			return -EEXIST;
	if (n_providers >= STATUS_MAX_PROVIDERS)
		return -ENOSPC;
	providers[n_providers].key = key;
	providers[n_providers].fn = fn;
	providers[n_providers].data = data;
	n_providers++;
	return 0;
}

void status_unregister(const char *key)
{
	unsigned i;

	for (i = 0; i < n_providers; i++) {
		if (strcmp(key, providers[i].key) != 0)
			continue;
		memmove(&providers[i], &providers[i + 1],
			(n_providers - i - 1) * sizeof(providers[0]));
		n_providers--;
		return;
	}
}

void status_unregister_all(void)
{
	n_providers = 0;
}

void status_build(struct json *j, const struct reload_state *rs, uint64_t uptime_sec)
{
	unsigned i;

	json_obj_begin(j);
	json_kstr(j, "version", PACKAGE_VERSION);
	json_kint(j, "pid", (long long)getpid());
	json_kuint(j, "uptime_sec", uptime_sec);
	json_key(j, "config");
	reload_config_json(rs, j);
	json_key(j, "reload");
	reload_history_json(rs, j);
	for (i = 0; i < n_providers; i++) {
		json_key(j, providers[i].key);
		providers[i].fn(j, providers[i].data);
	}
	json_obj_end(j);
}
