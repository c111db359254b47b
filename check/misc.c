/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MISC_CHECK: main runs the script (check_engine_spawn; as the checker's
 * user/group or script_user, killed at misc_timeout); the checker never
 * executes anything. keepalived 2.2.7's rules for the exit status:
 * - 0: up (with misc_dynamic the weight stays what the last 2..255 set);
 * - 1: down;
 * - 2..255: down without misc_dynamic; with it up, and the real server's
 *   weight becomes status - 2 (what keepalived's "exit status - 2 - rs
 *   weight" increment amounts to), carried as the result's weight;
 * - killed by a signal or at misc_timeout: down, with that reason.
 */
#include <stdlib.h>
#include <string.h>

#include "check/engine.h"
#include "conf/model.h"

/* The last weight misc_dynamic set, per probe (exit 0 keeps it). */
struct misc_weights {
	unsigned n;
	int32_t *w;
};

static int32_t *last_weight(struct check_attempt *a)
{
	struct misc_weights *mw = check_engine_kind_data(a->e, CONF_CHECK_MISC);

	if (!mw) {
		mw = calloc(1, sizeof(*mw));
		if (!mw)
			return NULL;
		check_engine_set_kind_data(a->e, CONF_CHECK_MISC, mw);
	}
	if (a->probe >= mw->n) {
		unsigned n = a->probe + 1 > 2 * mw->n ? a->probe + 1 : 2 * mw->n;
		int32_t *w = realloc(mw->w, n * sizeof(*w));

		if (!w)
			return NULL;
		for (unsigned i = mw->n; i < n; i++)
			w[i] = CHECK_WEIGHT_NONE;
		mw->w = w;
		mw->n = n;
	}
	return &mw->w[a->probe];
}

static void misc_exited(struct check_attempt *a, int32_t status)
{
	const struct conf_check *c = a->p->cfg;
	int32_t *last = c->misc_dynamic ? last_weight(a) : NULL;

	if (status == CHECK_EXIT_TIMEOUT) {
		check_attempt_done(a, CHECK_SCRIPT_TIMEOUT, CHECK_WEIGHT_NONE,
				   "script killed at misc_timeout (%.1f s)",
				   (double)c->misc_timeout / 1e6);
	} else if (status < 0) {
		check_attempt_done(a, CHECK_SCRIPT_SIGNAL, CHECK_WEIGHT_NONE,
				   "script killed by signal %d (%s)", -status, strsignal(-status));
	} else if (status == 0) {
		check_attempt_done(a, CHECK_OK, last ? *last : CHECK_WEIGHT_NONE,
				   "ok: exit status 0");
	} else if (status == 1 || !c->misc_dynamic) {
		check_attempt_done(a, CHECK_SCRIPT_EXIT, CHECK_WEIGHT_NONE, "script exit status %d",
				   status);
	} else if (status <= 255) {
		if (last)
			*last = status - 2;
		check_attempt_done(a, CHECK_OK, status - 2, "ok: exit status %d sets weight %d",
				   status, status - 2);
	} else {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE,
				   "impossible exit status %d", status);
	}
}

static void misc_start(struct check_attempt *a)
{
	int rc = check_engine_spawn(a, misc_exited);

	if (rc)
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE,
				   "cannot ask vigild to run the script: %s", strerror(-rc));
}

static void misc_cancel(struct check_attempt *a)
{
	/* The engine forgets the spawn; main kills the script at its timeout. */
	(void)a;
}

static void misc_fini(struct check_engine *e)
{
	struct misc_weights *mw = check_engine_kind_data(e, CONF_CHECK_MISC);

	if (mw) {
		free(mw->w);
		free(mw);
		check_engine_set_kind_data(e, CONF_CHECK_MISC, NULL);
	}
}

const struct check_kind check_kind_misc = {
	.name = "MISC_CHECK",
	.start = misc_start,
	.cancel = misc_cancel,
	.fini = misc_fini,
};
