/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the rest of vigild may know of a probe's result: plain types, no
 * functions. ipvs/ reads probe states through these (and the probe list of
 * probe.h) and through nothing else of check/.
 */
#ifndef VIGIL_CHECK_RESULT_H
#define VIGIL_CHECK_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#define CHECK_WEIGHT_NONE INT32_MIN /* a result that carries no dynamic weight */

/* One probe's state as main knows it. */
struct check_probe_state {
	bool up;
	bool known;	/* a result arrived (or a state was carried over) */
	int32_t weight; /* CHECK_WEIGHT_NONE: no dynamic weight */
	uint32_t latency_us;
	uint64_t last_ms;  /* uv_now of the last result, 0: none */
	uint64_t changes;  /* up/down transitions */
	char reason[128];  /* of the last result */
};

#endif
