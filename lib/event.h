/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One stream of typed events: what happened, published by the subsystem
 * where it happened, delivered in that order to every subscriber that
 * asked for its kind.
 *
 * Publishers (vrrp/ instances and sync groups, ipvs/ health, the checker
 * supervisor, the reload) know nothing of their subscribers (notify
 * scripts, notify FIFOs, the log, the IPVS sync daemon's role, and later
 * e-mail, SNMP traps, metrics). Subscribers register at start-up in
 * daemon/main.c; adding one never touches a publisher.
 *
 * Delivery is synchronous: event_publish() returns once every subscriber
 * has seen the event, so subscribers see events in the order they
 * happened. A subscriber may publish (a transition may cause another);
 * that event is delivered at once, inside the first one's delivery, as
 * the order of causes would have it. Pointers in an event are valid only
 * during the call: a subscriber copies what it keeps.
 *
 * Every field a subscriber may need is a plain value here. The cfg
 * pointers give subscribers of the publishing layer (the notify scripts
 * of vrrp/ and ipvs/) the configuration object itself; they are declared,
 * not included, so that lib/ depends on nothing of ours.
 */
#ifndef VIGIL_LIB_EVENT_H
#define VIGIL_LIB_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct conf_vrrp_instance;
struct conf_vrrp_sync_group;
struct conf_vs;
struct conf_rs;

enum event_kind {
	EVENT_VRRP_STATE,	 /* a vrrp_instance changed state */
	EVENT_VRRP_GROUP_STATE,	 /* a vrrp_sync_group changed state */
	EVENT_VRRP_RX_LOWER_PRI, /* a MASTER heard an advert with a lower priority */
	EVENT_VRRP_PRIORITY,	 /* a MASTER's or BACKUP's effective priority changed */
	EVENT_RS_UP,		 /* a real server joined its pool */
	EVENT_RS_DOWN,		 /* a real server left it (or was set to weight 0) */
	EVENT_RS_WEIGHT,	 /* an alive real server's effective weight changed */
	EVENT_QUORUM_UP,	 /* a virtual server gained its quorum */
	EVENT_QUORUM_DOWN,	 /* and lost it */
	EVENT_SORRY_IN,		 /* a sorry server entered the pool */
	EVENT_SORRY_OUT,	 /* and left it */
	EVENT_CHECKER_RESTART,	 /* the checker process died or hung and is restarted */
	EVENT_RELOAD,		 /* a reload was accepted or refused */
	EVENT__COUNT
};

extern const char *const event_kind_names[EVENT__COUNT]; /* "vrrp_state", ... */

#define EVENT_BIT(k) (1u << (k))
#define EVENT_ALL ((1u << EVENT__COUNT) - 1)

/* EVENT_VRRP_STATE, EVENT_VRRP_GROUP_STATE, EVENT_VRRP_RX_LOWER_PRI,
 * EVENT_VRRP_PRIORITY. States are enum vrrp_state (vrrp/fsm.h); their
 * names come with them. */
struct event_vrrp {
	const char *name; /* instance or sync group */
	int from, to;	  /* same for RX_LOWER_PRI and PRIORITY: the current state */
	const char *from_name, *to_name; /* "BACKUP", "MASTER", ... */
	unsigned old_priority;		 /* PRIORITY: before the change */
	unsigned priority;		 /* effective priority (0 for a group) */
	const char *reason;		 /* why, as the log says it ("" if none) */
	const struct conf_vrrp_instance *instance; /* NULL for a group */
	const struct conf_vrrp_sync_group *group;  /* NULL for an instance */
};

/* EVENT_RS_*, EVENT_QUORUM_*, EVENT_SORRY_*. */
struct event_lvs {
	const char *vs_name; /* keepalived's "[198.18.0.1]:tcp:80", "FWM 5", "[GROUP]:0" */
	const char *rs_name; /* "[198.18.1.1]:tcp:80"; the sorry server for SORRY_* */
	bool init;	     /* at start ("Starting with quorum down") */
	bool stopping;	     /* omega at shutdown */
	bool inhibit;	     /* RS_*: inhibit_on_failure (weight 0 instead of removal);
			      * SORRY_*: sorry_server_inhibit */
	bool alive;	     /* RS_WEIGHT: the real server is alive */
	const char *reason;  /* RS_DOWN: the first down probe's reason ("" if none) */
	int cause;	     /* RS_DOWN: enum check_cause (check/result.h), 0 if none */
	int old_weight, weight; /* RS_WEIGHT */
	long live_weight;	/* QUORUM_*: the sum that decided */
	long threshold;		/* QUORUM_*: quorum +/- hysteresis it was compared with */
	unsigned quorum, hysteresis;
	const struct conf_vs *vs;
	const struct conf_rs *rs; /* RS_* only */
};

/* EVENT_CHECKER_RESTART */
struct event_checker {
	pid_t pid;	    /* of the process that went away (0 if it never started) */
	const char *why;    /* "exited with status 1", "no heartbeat for 10 s", ... */
	uint64_t restarts;  /* restarts so far, this one included */
};

/* EVENT_RELOAD */
struct event_reload {
	bool ok;
	uint64_t generation; /* of the model now running */
	unsigned errors;     /* of the refused file */
	const char *why;     /* "SIGHUP", "vigilctl reload" */
};

struct event {
	enum event_kind kind;
	union {
		struct event_vrrp vrrp;
		struct event_lvs lvs;
		struct event_checker checker;
		struct event_reload reload;
	};
};

typedef void (*event_fn)(const struct event *ev, void *data);

struct event_bus;

struct event_bus *event_bus_new(void);
/* Subscribers left registered are dropped with it. */
void event_bus_free(struct event_bus *b);

/*
 * fn(ev, data) for every event whose kind is in the mask (EVENT_BIT(k)
 * or-ed, or EVENT_ALL), in registration order. Returns an id (>= 0) for
 * event_unsubscribe, or -ENOMEM / -EINVAL.
 */
int event_subscribe(struct event_bus *b, uint32_t kinds, event_fn fn, void *data);
/* Safe from inside a delivery (the subscriber sees no further event). */
void event_unsubscribe(struct event_bus *b, int id);

/* Delivers ev to its subscribers now. b may be NULL (nothing happens). */
void event_publish(struct event_bus *b, const struct event *ev);

/* Events published so far, per kind (for status and metrics). */
uint64_t event_count(const struct event_bus *b, enum event_kind k);

#endif
