/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test hooks. check_kind_override replaces the kind check_kind_of() returns for one enum
 * conf_check_kind (NULL restores the real one); it must be called before check_engine_new.
 * For unit tests only.
 */
#ifndef VIGIL_CHECK_KINDS_TEST_H
#define VIGIL_CHECK_KINDS_TEST_H

#include "check/engine.h"

void check_kind_override(int kind, const struct check_kind *k);

/* What the engine counted (for tests and debugging). */
struct check_engine_stats {
	uint64_t attempts, results, batches_sent, records_sent;
	uint64_t done_twice;	  /* check_attempt_done on an attempt not running */
	uint64_t hung;		  /* attempts cancelled by the watchdog */
	uint64_t flaps_coalesced; /* a down/up pair merged while main was not reading */
	uint64_t send_blocked;	  /* EAGAIN on the socket */
	uint64_t bad_batches;	  /* from main: failed check_batch_decode, truncated, other gen */
	uint64_t exited_unknown;  /* EXITED with a seq no attempt waits for */
};

void check_engine_get_stats(const struct check_engine *e, struct check_engine_stats *out);

/* Milliseconds until probe's next attempt, or while an attempt runs its
 * deadline (watchdog or the kind's), falls due, from the loop's cached time; -1 when not armed. */
int64_t check_engine_due_in(const struct check_engine *e, unsigned probe);

#endif
