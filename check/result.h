/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the rest of vigild may know of a probe's result: plain types and
 * the name table of the failure causes, no functions. ipvs/ reads probe
 * states through these (and the probe list of probe.h) and through nothing
 * else of check/.
 */
#ifndef VIGIL_CHECK_RESULT_H
#define VIGIL_CHECK_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#define CHECK_WEIGHT_NONE INT32_MIN /* a result that carries no dynamic weight */

/*
 * How an attempt ended: CHECK_OK, or why it failed. Every checker kind
 * reports one with each result; the free-text reason beside it gives the
 * detail (the errno, the status code, the host). The table check_causes[]
 * (check/result.c) names each one; doc/vigilctl.8 lists them. The names
 * are what operators and scripts see (main and its checker are one binary:
 * the values never cross a version boundary).
 */
enum check_cause {
	CHECK_NONE = 0,		  /* no result yet (not sent by a checker kind) */
	CHECK_OK,		  /* the check passed */
	CHECK_CONNECT_REFUSED,	  /* connection refused (TCP reset, ICMP port unreachable) */
	CHECK_CONNECT_TIMEOUT,	  /* no connection within connect_timeout */
	CHECK_NET_UNREACHABLE,	  /* no route, or ICMP net unreachable */
	CHECK_HOST_UNREACHABLE,	  /* ICMP host unreachable */
	CHECK_CONNECT_ERROR,	  /* connect failed for another reason */
	CHECK_SOCKET,		  /* the local socket could not be set up */
	CHECK_TIMEOUT,		  /* connected (or sent), the exchange not done in time */
	CHECK_IO_ERROR,		  /* send or receive failed */
	CHECK_CLOSED,		  /* the server closed before the exchange was complete */
	CHECK_BAD_RESPONSE,	  /* the answer breaks its protocol */
	CHECK_RESPONSE_TOO_LARGE, /* the answer exceeds a size limit */
	CHECK_NO_REPLY,		  /* DNS, UDP, PING: no (valid) reply in time */
	CHECK_TLS_HANDSHAKE,	  /* the TLS handshake failed */
	CHECK_TLS,		  /* a TLS error outside the handshake */
	CHECK_HTTP_STATUS,	  /* HTTP status code not expected */
	CHECK_HTTP_DIGEST,	  /* body digest differs */
	CHECK_HTTP_REGEX,	  /* body fails the url's regex */
	CHECK_SMTP_REPLY,	  /* SMTP reply code not the expected one */
	CHECK_DNS_RCODE,	  /* DNS answer with an error RCODE */
	CHECK_UDP_REPLY,	  /* UDP reply not what require_reply wants */
	CHECK_FILE_VALUE,	  /* FILE_CHECK: the value says down */
	CHECK_SCRIPT_EXIT,	  /* MISC_CHECK: a failing exit status */
	CHECK_SCRIPT_SIGNAL,	  /* MISC_CHECK: killed by a signal */
	CHECK_SCRIPT_TIMEOUT,	  /* MISC_CHECK: killed at misc_timeout */
	CHECK_HUNG,		  /* the attempt did not end; the engine's watchdog did */
	CHECK_CONFIG,		  /* the check cannot run as configured */
	CHECK_INTERNAL,		  /* out of memory or another local failure */
	CHECK_CAUSE__COUNT
};

/* One row per cause, indexed by it: {cause, short name, description}. */
struct check_cause_info {
	enum check_cause cause;
	const char *name; /* "refused": JSON keys, vigilctl, doc/vigilctl.8 */
	const char *desc; /* one line for people */
};

extern const struct check_cause_info check_causes[CHECK_CAUSE__COUNT];

/* One probe's state as main knows it. */
struct check_probe_state {
	bool up;
	bool known;	/* a result arrived (or a state was carried over) */
	int32_t weight; /* CHECK_WEIGHT_NONE: no dynamic weight */
	uint32_t latency_us;
	enum check_cause cause; /* of the last result; CHECK_NONE before one */
	uint64_t last_ms;  /* uv_now of the last result, 0: none */
	uint64_t changes;  /* up/down transitions */
	char reason[128];  /* of the last result */
};

#endif
