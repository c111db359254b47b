/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test hooks of check/supervise.c: its pure parts, what it counted, and
 * the function the forked checker runs (a test replaces it with a fake
 * checker). For unit tests only (tests/unit/test_check_sup.c).
 */
#ifndef VIGIL_CHECK_SUPERVISE_TEST_H
#define VIGIL_CHECK_SUPERVISE_TEST_H

#include <stdint.h>
#include <sys/types.h>

#include "check/supervise.h"

/* The next restart delay after prev_ms, for a checker that lived lived_ms. */
uint64_t check_sup_backoff_ms(uint64_t prev_ms, uint64_t lived_ms);
/* Every probe of l in its initial state (alpha: down, else up). */
void check_sup_initial_states(const struct check_list *l, struct check_probe_state *st);
/* States of probes whose key is in both lists move to the new list; returns
 * how many did. */
unsigned check_sup_carry(const struct check_list *ol, const struct check_probe_state *ost,
			 const struct check_list *nl, struct check_probe_state *nst);

pid_t check_sup_pid(const struct check_sup *s); /* the running checker, or -1 */
uint64_t check_sup_restarts(const struct check_sup *s);
uint64_t check_sup_drops(const struct check_sup *s);

/* Silence after which a checker counts as hung, at least (ms; 30000). */
extern uint64_t check_sup_hung_min_ms;
/* What the forked child runs (check_process_main). */
extern void (*check_sup_child_main)(const struct conf_model *m, uint32_t gen, int fd,
				    const char *user);

#endif
