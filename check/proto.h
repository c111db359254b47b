/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages between vigild (main) and its checker process over a
 * SOCK_SEQPACKET socketpair. One datagram is one batch: a header (type of
 * batch, model generation, record count) and fixed-size records, so the
 * checker can report thousands of results per second in a few datagrams.
 *
 * The checker is untrusted (it parses what backends send): main decodes
 * every datagram with check_batch_decode, which checks the size, the
 * record types allowed in that direction, probe indexes against the list,
 * up/down, weight ranges, failure causes (check/result.h), and that
 * reasons are printable text. A datagram that fails any check is dropped
 * whole and counted; main then restarts the checker (see supervise.h).
 */
#ifndef VIGIL_CHECK_PROTO_H
#define VIGIL_CHECK_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/result.h"

#define CHECK_PROTO_MAGIC 0x76636b31u /* "vck1" */
#define CHECK_REASON_MAX 120	      /* bytes of reason text per result */
#define CHECK_BATCH_MAX 256	      /* records per datagram */
#define CHECK_DGRAM_MAX 65536	      /* bytes; both sides' buffers */
#define CHECK_WEIGHT_MAX 65535
#define CHECK_EXIT_TIMEOUT (-1000)    /* EXITED.status: killed at misc_timeout */

enum check_rec_type {
	CHECK_REC_HELLO = 1, /* checker -> main: ready, probe = number of probes it built */
	CHECK_REC_STATE,     /* main -> checker: the state a probe starts in (carried over) */
	CHECK_REC_GO,	     /* main -> checker: every STATE sent; start checking */
	CHECK_REC_RESULT,    /* checker -> main: one finished attempt of a probe */
	CHECK_REC_SPAWN,     /* checker -> main: run probe's MISC_CHECK script (seq) */
	CHECK_REC_EXITED,    /* main -> checker: that script ended (seq, status) */
};

/* Which way a record may travel. */
#define CHECK_DIR_TO_MAIN 1
#define CHECK_DIR_TO_CHECKER 2

struct check_rec {
	uint8_t type;	     /* enum check_rec_type */
	uint32_t probe;	     /* probe index (HELLO: probe count) */
	bool up;	     /* STATE, RESULT: the probe's state after this attempt */
	bool changed;	     /* RESULT: up differs from the state before the attempt */
	bool ok;	     /* RESULT: this attempt succeeded (up may lag: retries) */
	int32_t weight;	     /* STATE, RESULT: dynamic weight or CHECK_WEIGHT_NONE */
	uint32_t latency_us; /* RESULT: time the attempt took */
	uint32_t seq;	     /* SPAWN, EXITED: matches a SPAWN with its EXITED */
	int32_t status;	     /* EXITED: exit code 0..255, -signal, or CHECK_EXIT_TIMEOUT */
	char reason[CHECK_REASON_MAX + 1]; /* RESULT: why (NUL-terminated, printable ASCII) */
	/* RESULT: why it failed, or CHECK_OK (exactly when ok is true) */
	enum check_cause cause;
};

struct check_batch {
	uint32_t gen; /* model generation the sender works on */
	struct check_rec v[CHECK_BATCH_MAX];
	unsigned n;
};

/* Copies reason, replacing non-printable bytes with '?' and cutting it to
 * CHECK_REASON_MAX bytes. */
void check_rec_set_reason(struct check_rec *r, const char *reason);

/* Bytes written to buf (at most len), or -EMSGSIZE / -EINVAL (a record
 * that would not decode). */
long check_batch_encode(const struct check_batch *b, uint8_t *buf, size_t len);

/*
 * Decodes and validates one datagram. dir: which way it travelled
 * (records of the other direction are refused); n_probes: probe indexes
 * must be below it (HELLO is exempt). 0, or -EBADMSG with a static
 * description of the first problem in *why.
 */
int check_batch_decode(const uint8_t *buf, size_t len, int dir, uint32_t n_probes,
		       struct check_batch *out, const char **why);

#endif
