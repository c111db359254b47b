/* SPDX-License-Identifier: GPL-2.0-or-later */
/* startup_script and shutdown_script: see daemon/startstop.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/startstop.h"
#include "lib/log.h"
#include "lib/spawn.h"

static const char *const kind_name[2] = { "shutdown_script", "startup_script" };

static void script_clear(struct startstop_script *sc)
{
	free(sc->cmd);
	memset(sc, 0, sizeof(*sc));
}

/* keepalived 2.2.7 vets both when it starts and the shutdown script again
 * at each reload; a refused script is dropped (script_vet logs why). */
static void script_take(struct startstop_script *sc, const char *label, const struct conf_script *c,
			unsigned timeout_s, const struct conf_global *g)
{
	const struct script_policy pol = { g->script_user, g->script_group,
					   g->enable_script_security };
	struct script_ident id;

	script_clear(sc);
	if (!c->cmd || !c->cmd[0])
		return;
	if (script_vet(label, "it will not run", c->cmd, c->user, c->group, &pol, &id) < 0)
		return;
	sc->cmd = strdup(c->cmd);
	if (!sc->cmd) {
		log_error("%s: out of memory; it will not run", label);
		return;
	}
	sc->id = id;
	sc->timeout_s = timeout_s ? timeout_s : 10;
}

void startstop_load(struct startstop *s, const struct conf_global *g)
{
	script_take(&s->startup, kind_name[1], &g->startup_script, g->startup_script_timeout, g);
	startstop_reload(s, g);
}

void startstop_reload(struct startstop *s, const struct conf_global *g)
{
	script_take(&s->shutdown, kind_name[0], &g->shutdown_script, g->shutdown_script_timeout, g);
}

static void script_ended(const struct spawn_result *res, void *data)
{
	struct startstop *s = data;
	void (*done)(void *) = s->done;
	const char *what = kind_name[s->startup_running];

	if (res->timed_out)
		log_warn("%s timed out; killed", what);
	else if (res->term_signal)
		log_warn("%s killed by signal %d", what, res->term_signal);
	else if (res->exit_status)
		log_warn("%s failed, exit status %lld", what, (long long)res->exit_status);
	else
		log_info("%s succeeded", what);
	s->running = false;
	s->done = NULL;
	if (done)
		done(s->data);
}

int startstop_run(struct startstop *s, uv_loop_t *loop, bool startup, void (*done)(void *data),
		  void *data)
{
	struct startstop_script *sc = startup ? &s->startup : &s->shutdown;
	struct spawn_opts o = { 0 };
	int r;

	if (!sc->cmd || s->running)
		return 1;
	o.id = sc->id;
	o.timeout_ms = (uint64_t)sc->timeout_s * 1000;
	o.capture_output = true;
	o.name = kind_name[startup];
	s->done = done;
	s->data = data;
	s->startup_running = startup;
	log_info("running %s %s", kind_name[startup], sc->cmd);
	r = spawn_command(loop, sc->cmd, &o, script_ended, s, NULL);
	if (r < 0) {
		log_error("%s %s: cannot start: %s", kind_name[startup], sc->cmd, strerror(-r));
		s->done = NULL;
		return r;
	}
	s->running = true;
	return 0;
}

void startstop_free(struct startstop *s)
{
	script_clear(&s->startup);
	script_clear(&s->shutdown);
}
