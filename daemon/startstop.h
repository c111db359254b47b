/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * global_defs startup_script and shutdown_script, as keepalived 2.2.7 runs
 * them: the startup script before VRRP, the checker and IPVS start (they
 * start when it ended, whatever its exit status, or was killed at
 * startup_script_timeout); the shutdown script after VRRP has stopped (its
 * addresses are gone), and vigild exits only when it ended or was killed at
 * shutdown_script_timeout. Both pass script_vet() (script_user,
 * enable_script_security) when the configuration is loaded; the startup
 * script is not run again at a reload, the shutdown script of the newest
 * configuration is the one that runs.
 */
#ifndef VIGIL_DAEMON_STARTSTOP_H
#define VIGIL_DAEMON_STARTSTOP_H

#include <stdbool.h>
#include <uv.h>

#include "conf/model.h"
#include "lib/script.h"

struct startstop_script {
	char *cmd;	/* NULL: none, or refused by script_vet() */
	struct script_ident id;
	unsigned timeout_s;
};

struct startstop {
	struct startstop_script startup, shutdown;
	bool running, startup_running;
	void (*done)(void *data);
	void *data;
};

/* Vets both scripts of g (at start). */
void startstop_load(struct startstop *s, const struct conf_global *g);
/* Vets the shutdown script of a reloaded configuration. */
void startstop_reload(struct startstop *s, const struct conf_global *g);

/*
 * Runs the startup (or shutdown) script; done(data) is called when it ended
 * or was killed. Returns 0 when it was started, 1 when there is none to run
 * (done is not called), or a negative errno (logged; done is not called).
 */
int startstop_run(struct startstop *s, uv_loop_t *loop, bool startup, void (*done)(void *data),
		  void *data);

void startstop_free(struct startstop *s);

#endif
