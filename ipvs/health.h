/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real-server and virtual-server health in main, from the probe states the
 * checker process reports (check/result.h). Pure: no sockets, no loop, no
 * scripts; the caller (ipvs/lvs.c) publishes the events (ipvs_health_publish)
 * for the notify scripts, FIFO lines and log, and turns the per-dest
 * answers into IPVS operations.
 *
 * keepalived 2.2.7 semantics:
 * - a real server is alive when every probe of its checkers is up (no
 *   checkers: always alive);
 * - its effective weight is its configured weight plus, for every probe
 *   that carries a dynamic weight (misc_dynamic, FILE_CHECK dynamic), that
 *   weight minus the configured one (one such probe: its weight), clamped
 *   to 0..65535;
 * - a dead real server is out of IPVS, or in it with weight 0 when
 *   inhibit_on_failure;
 * - a virtual server's live weight is the sum of its alive real servers'
 *   effective weights; quorum is gained when live >= quorum + hysteresis,
 *   lost when live == 0 or live < quorum - hysteresis; at start it is up
 *   when live >= quorum + hysteresis;
 * - with a sorry_server and the quorum down, every real server is out of
 *   IPVS (weight 0 with inhibit_on_failure) and the sorry server is in with
 *   weight 1; with sorry_server_inhibit the sorry server is always in IPVS,
 *   with weight 0 while the quorum is up;
 * - omega: at shutdown the down notifiers of alive real servers and the
 *   quorum_down of the virtual server run.
 *
 * A virtual_server_group's virtual server has one health: its answers apply
 * to every service the group expands to (ipvs/desired.c).
 */
#ifndef VIGIL_IPVS_HEALTH_H
#define VIGIL_IPVS_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/probe.h"
#include "check/result.h"
#include "conf/model.h"
#include "lib/event.h"

#define IPVS_HEALTH_WEIGHT_MAX 65535
#define IPVS_HEALTH_SORRY_WEIGHT 1

/* Where probe states come from: state(ctx, probe) for each index of the
 * list the health was built with (NULL: probe unknown, taken as up). */
typedef const struct check_probe_state *(*ipvs_health_state_fn)(void *ctx, unsigned probe);

struct ipvs_health_rs {
	const struct conf_rs *cfg;
	unsigned vs;	     /* index of its virtual server */
	unsigned *probes;    /* indexes in the probe list */
	unsigned n_probes;
	bool alive;
	bool inhibit;	     /* inhibit_on_failure (effective) */
	int weight;	     /* effective weight, 0..IPVS_HEALTH_WEIGHT_MAX */
	char reason[128];    /* why it is down (the first down probe's reason) */
};

struct ipvs_health_vs {
	const struct conf_vs *cfg;
	unsigned rs_first, n_rs; /* its real servers in ipvs_health.rs */
	bool quorum_up;
	bool sorry_active; /* the sorry server is in the pool */
	long live_weight;
};

struct ipvs_health {
	struct ipvs_health_vs *vs;
	unsigned n_vs;
	struct ipvs_health_rs *rs; /* every real server, grouped by virtual server */
	unsigned n_rs;
	/* probe index -> the real servers it is a checker of */
	unsigned *probe_rs_first; /* n_probes + 1 offsets into probe_rs */
	unsigned *probe_rs;
	unsigned n_probes;
	bool rs_init_notifies;
};

enum ipvs_health_ev_kind {
	IPVS_HEV_RS_UP,
	IPVS_HEV_RS_DOWN,
	IPVS_HEV_RS_WEIGHT, /* effective weight of an alive real server changed */
	IPVS_HEV_QUORUM_UP,
	IPVS_HEV_QUORUM_DOWN,
	IPVS_HEV_SORRY_IN,  /* the sorry server entered the pool */
	IPVS_HEV_SORRY_OUT, /* and left it */
};

struct ipvs_health_event {
	enum ipvs_health_ev_kind kind;
	unsigned vs, rs;   /* rs: RS_* only, index in ipvs_health.rs */
	bool init;	   /* at start ("Starting with quorum down") */
	bool stopping;	   /* omega at shutdown */
	long live_weight;  /* QUORUM_*: the sum that decided */
	long threshold;	   /* QUORUM_*: quorum +/- hysteresis it was compared with */
	int old_weight, weight; /* RS_WEIGHT */
	char reason[128];  /* RS_DOWN: the probe's reason */
	enum check_cause cause; /* RS_DOWN: its failure cause; CHECK_NONE if none */
};

struct ipvs_health_events {
	struct ipvs_health_event *v;
	unsigned n, cap;
	unsigned dropped; /* out of memory: events lost, counted */
};

/*
 * The real servers of every virtual server of m, with the probes of l
 * (built from m by check_list_build; NULL or empty: no checkers). Nothing is
 * evaluated yet: call ipvs_health_init. 0 or -ENOMEM.
 */
int ipvs_health_build(const struct conf_model *m, const struct check_list *l,
		      struct ipvs_health **out);
void ipvs_health_free(struct ipvs_health *h);

/*
 * Initial evaluation from the probes' current states (alpha probes start
 * down, so their real servers are not alive and not added). With prev (the
 * health of the model being replaced, or NULL at start) virtual servers
 * with the same name keep their quorum state and sorry server, and real
 * servers with the same name under them report only real transitions;
 * without prev, events are only those keepalived sends at start:
 * RS_UP for alive real servers with rs_init_notifies, QUORUM_DOWN (init)
 * and SORRY_IN for a virtual server starting without quorum that has a
 * sorry server.
 */
void ipvs_health_init(struct ipvs_health *h, const struct ipvs_health *prev,
		      ipvs_health_state_fn state, void *ctx, struct ipvs_health_events *ev);

/* Probe `probe` changed: re-evaluates its real servers and their virtual
 * servers, appending what changed to ev. */
void ipvs_health_probe_changed(struct ipvs_health *h, unsigned probe, ipvs_health_state_fn state,
			       void *ctx, struct ipvs_health_events *ev);

/* Shutdown: for omega virtual servers, RS_DOWN (stopping) for every alive
 * real server and QUORUM_DOWN (stopping); states are left as they are. */
void ipvs_health_stop(const struct ipvs_health *h, struct ipvs_health_events *ev);

/* Should real server rs be a dest, and with which weight? */
bool ipvs_health_rs_dest(const struct ipvs_health *h, unsigned rs, int *weight);
/* Should vs's sorry server be a dest (false without one)? */
bool ipvs_health_sorry_dest(const struct ipvs_health *h, unsigned vs, int *weight);

void ipvs_health_events_reset(struct ipvs_health_events *ev);
void ipvs_health_events_free(struct ipvs_health_events *ev);

/* keepalived's names: "[198.18.0.1]:tcp:80", "FWM 5", "[GROUP]:0" and
 * "[198.18.1.1]:tcp:80" (the lvs_notify_fifo lines). */
const char *ipvs_health_vs_str(const struct conf_vs *vs, char *buf, size_t len);
const char *ipvs_health_rs_str(const struct conf_vs *vs, const struct conf_rs *rs, char *buf,
			       size_t len);

/* The FIFO line of an event, with its '\n' ("VS [..]:tcp:80 UP",
 * "RS [..]:tcp:80 [..]:tcp:80 DOWN"); 0 for events without one, else the
 * length (truncated to len - 1). */
size_t ipvs_health_fifo_line(const struct ipvs_health *h, const struct ipvs_health_event *e,
			     char *buf, size_t len);
/* The same from an event of the stream (kind EVENT_RS_* / EVENT_QUORUM_*,
 * names as struct event_lvs has them). */
size_t ipvs_fifo_line(enum event_kind kind, const char *vs_name, const char *rs_name, char *buf,
		      size_t len);

/*
 * Publishes ev on bus, in order, as events of the stream (lib/event.h):
 * EVENT_RS_UP for IPVS_HEV_RS_UP and so on, with keepalived's names of the
 * virtual and real servers and the configuration objects.
 */
void ipvs_health_publish(const struct ipvs_health *h, const struct ipvs_health_events *ev,
			 struct event_bus *bus);

#endif
