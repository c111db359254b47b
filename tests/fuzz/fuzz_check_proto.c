/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for check_batch_decode: any bytes, both directions.
 * Whatever decodes must re-encode to the very same bytes (the format has
 * one encoding) and decode again to the same records; every decoded cause
 * names a row of check_causes[], and a RESULT is ok exactly when its cause
 * is CHECK_OK.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct check_batch b1, b2;
static uint8_t out[CHECK_DGRAM_MAX];

static void same(const struct check_batch *x, const struct check_batch *y)
{
	if (x->gen != y->gen || x->n != y->n)
		abort();
	for (unsigned i = 0; i < x->n; i++) {
		const struct check_rec *a = &x->v[i], *b = &y->v[i];

		if (a->type != b->type || a->probe != b->probe || a->up != b->up ||
		    a->changed != b->changed || a->weight != b->weight ||
		    a->latency_us != b->latency_us || a->seq != b->seq || a->status != b->status ||
		    a->ok != b->ok || a->cause != b->cause || strcmp(a->reason, b->reason))
			abort();
		if ((unsigned)a->cause >= CHECK_CAUSE__COUNT || !check_causes[a->cause].name ||
		    (a->type == CHECK_REC_RESULT && a->ok != (a->cause == CHECK_OK)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t n_probes;
	const char *why;

	if (size < 1)
		return 0;
	n_probes = data[0] * 16u;
	for (int dir = CHECK_DIR_TO_MAIN; dir <= CHECK_DIR_TO_CHECKER; dir++) {
		if (check_batch_decode(data + 1, size - 1, dir, n_probes, &b1, &why)) {
			if (!why)
				abort();
			continue;
		}
		long len = check_batch_encode(&b1, out, sizeof(out));

		if (len != (long)(size - 1) || memcmp(out, data + 1, size - 1))
			abort();
		if (check_batch_decode(out, (size_t)len, dir, n_probes, &b2, &why))
			abort();
		same(&b1, &b2);
	}
	return 0;
}
