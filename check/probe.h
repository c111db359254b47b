/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flat list of probes a model asks for. Built identically (same order,
 * same indexes) by vigild and by its checker process from the same model, so
 * a probe is named on the wire by its index alone.
 *
 * A probe is one checker block (TCP_CHECK, HTTP_GET, ...) aimed at one
 * target. Identical checkers of the same real server under several virtual
 * servers (same kind, same target, same effective settings) are one probe
 * with several users: it is run once and its result applies to all of them.
 * SMTP_CHECK with host { } blocks is one probe: it is up when every host is.
 */
#ifndef VIGIL_CHECK_PROBE_H
#define VIGIL_CHECK_PROBE_H

#include <stdint.h>

#include "conf/model.h"

/* Where a probe's result applies: a checker of a real server of a virtual
 * server, by position in the model's lists (0-based). */
struct check_user {
	unsigned vs, rs;	  /* index in lvs.virtual_servers, in vs->real_servers */
	const struct conf_vs *vsp;
	const struct conf_rs *rsp;
	const struct conf_check *cfg; /* this user's checker block */
};

struct check_probe {
	int kind;		      /* enum conf_check_kind */
	const struct conf_check *cfg; /* the first user's block (all users' are identical) */
	const struct conf_vs *vs;     /* the first user's virtual server */
	const struct conf_rs *rs;     /* the first user's real server */
	struct conf_addr addr;	      /* target address: connect_ip or the real server's */
	uint16_t port;		      /* target port (0 for kinds without one) */
	const char *virtualhost;      /* HTTP/SSL: effective Host (checker, rs, vs), or NULL */
	uint64_t delay_loop, delay_before_retry, warmup, connect_timeout; /* microseconds */
	unsigned retry;
	bool alpha;	       /* starts down (and must succeed once to go up) */
	char *key;	       /* canonical text of everything that defines the probe */
	struct check_user *users;
	unsigned n_users;
};

struct check_list {
	struct check_probe *v;
	unsigned n;
	const struct conf_model *m; /* the model it was built from */
};

/*
 * Every checker of every real server of every virtual server, in model
 * order, identical ones merged (the first occurrence keeps its place).
 * 0 or -ENOMEM. The list points into m, which must outlive it.
 */
int check_list_build(const struct conf_model *m, struct check_list *out);
void check_list_free(struct check_list *l);

/* The probe whose key is key, or -1 (binary search on a sorted index built
 * by check_list_build). */
int check_list_find(const struct check_list *l, const char *key);

#endif
