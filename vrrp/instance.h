/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP runtime's internals, shared by instance.c (one running
 * vrrp_instance: its state machine, timer, VIPs and counters), sync.c
 * (sync groups) and vrrp.c (start, reload, stop, status).
 */
#ifndef VIGIL_VRRP_INSTANCE_H
#define VIGIL_VRRP_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "conf/model.h"
#include "vrrp/fsm.h"
#include "vrrp/packet.h"
#include "vrrp/socket.h"

struct event_bus;
struct json;
struct vrrp_nl;
struct vrrp_garp;
struct vrrp_filter;
struct vrrp_track;
struct vrrp_notify;
struct vrrp_sync;

struct vrrp_counters {
	uint64_t adverts_sent, adverts_received, prio0_sent, prio0_received;
	uint64_t send_errors;
	uint64_t transitions[VRRP_STATE__COUNT];
	uint64_t drops[VRRP_DROP__COUNT];
};

struct vrrp_inst {
	struct vrrp_inst *next; /* in vrrp.instances */
	struct vrrp *v;
	const struct conf_vrrp_instance *cfg; /* points into the running model */
	struct vrrp_sync *sync;
	struct vrrp_fsm fsm;
	uv_timer_t timer;	  /* advert timer (MASTER) / master-down (BACKUP) */
	uv_timer_t garp_timer;	  /* the delayed second set of GARP/NA */
	uv_timer_t refresh_timer; /* garp_master_refresh */
	unsigned garp_later;	  /* rounds the garp_timer sends */
	bool timer_armed;
	uint64_t timer_due_ms;		/* loop time */
	uint64_t timer_due_ns;		/* uv_hrtime */
	unsigned closed;		/* handles closed (free at 3) */
	struct vrrp_inst *precise_next; /* in vrrp.precise */
	bool in_precise;
	struct vrrp_inst *wheel_next;	/* in a slot of vrrp.wheel */
	struct vrrp_inst **wheel_pprev; /* NULL: not in the wheel */
	uint64_t wheel_at_ms;		/* loop ms its slot runs it */
	bool stale_checked;
	struct vrrp_sock *sock;	     /* NULL until the interface is usable */
	struct vrrp_inst *vrid_next; /* chain in sock->by_vrid */
	int ifindex;		     /* the configured interface, 0 if absent */
	int vmac_ifindex;	     /* the VMAC, 0 if none (yet) */
	char vmac_name[16];
	bool vmac_requested;
	struct conf_addr *vips; /* the VIPs of the instance's family (packets) */
	unsigned nvips;
	struct conf_addr group; /* multicast destination (unset: unicast) */
	int configured_prio;
	int track_delta;
	bool track_fault, if_fault, sync_fault, started, stopping;
	bool src_fault;		/* track_src_ip: the source address is gone */
	bool no_peer_fault;	/* unicast_fault_no_peer: no usable peer */
	int last_notified_prio; /* notify_priority_changes: last priority told */
	bool have_last_adv;	/* skip_check_adv_addr: the previous advert's source */
	struct conf_addr last_adv_src;
	char fault_reason[128];
	struct vrrp_counters c;
	uint16_t ip_id;
	uint64_t state_since_ms; /* uv_now at the last transition */
	struct {
		time_t at;
		enum vrrp_state from, to;
		char reason[128];
		bool set;
	} last;
	uint64_t last_misconf_log_ms;
};

/* One GARP / NA waiting for its turn (vrrp_garp_interval / gna_interval). */
struct vrrp_garp_msg {
	struct vrrp_garp_msg *next;
	struct vrrp_inst *vi;
	int ifindex;
	uint8_t mac[6];
	struct conf_addr addr;
};

/* The messages of one kind (ARP or NA) on one pacing key, in order. next
 * is counted from the last message actually sent, so a late timer delays
 * the ones behind it rather than bunching them up. */
struct vrrp_garp_lane {
	struct vrrp_garp_msg *head, *tail;
	uint64_t next; /* uv_hrtime: the earliest next send */
	uint64_t interval_ns;
};

/* The pacing of one interface (or of a garp_group's interfaces together). */
struct vrrp_garp_pace {
	int key; /* ifindex, or -(group index + 1) */
	struct vrrp_garp_lane lane[2]; /* [0] ARP, [1] NA */
};

struct vrrp_sync {
	struct vrrp_sync *next;
	struct vrrp *v;
	const struct conf_vrrp_sync_group *cfg;
	struct vrrp_inst **members;
	unsigned n;
	enum vrrp_state state;
	bool propagating;
	int track_delta;
	bool track_fault;
};

#define VRRP_WHEEL_SLOTS 256

struct vrrp {
	uv_loop_t *loop;
	const struct conf_model *m;
	struct vrrp_nl *nl;
	int nl_sub;
	struct vrrp_garp *garp;
	struct vrrp_filter *filter;
	bool filter_failed;
	int filter_err;
	struct vrrp_track *track;
	struct vrrp_notify *notify;
	struct event_bus *bus; /* transitions are published here */
	int notify_sub;	       /* notify's subscription, -1: none */
	struct vrrp_sock *socks;
	struct vrrp_inst *instances;
	struct vrrp_sync *syncs;
	bool stopping;
	uv_timer_t stop_timer;
	/* the precise last stretch of master-down timers (instance.c) */
	int tfd;
	uv_poll_t tfd_poll;
	bool tfd_open, tfd_failed;
	uint64_t tfd_due;
	struct vrrp_inst *precise;
	/* advert timers of masters: one slot per grid point (instance.c) */
	uv_timer_t wheel_timer;
	bool wheel_open;
	unsigned wheel_n;    /* instances in the wheel */
	uint64_t wheel_pos;  /* the next grid point to run */
	uint64_t wheel_due;  /* loop ms wheel_timer is armed for, 0: stopped */
	struct vrrp_inst *wheel[VRRP_WHEEL_SLOTS];
	/* GARP / NA pacing (instance.c) */
	uv_timer_t pace_timer;
	struct vrrp_garp_pace *paces;
	unsigned npaces;
	uint64_t garp_paced, garp_cancelled;
	/* vrrp_startup_delay: instances start when it ends */
	uv_timer_t startup_timer;
	bool startup_waiting;
	void (*done)(void *data);
	void *done_data;
};

/* ---- instance.c ---- */
struct vrrp_inst *vrrp_inst_new(struct vrrp *v, const struct conf_vrrp_instance *cfg);
/* Removes stale VIP copies, opens the socket, STARTUP (or waits for the
 * interface / VMAC). */
void vrrp_inst_start(struct vrrp_inst *vi);
/* SHUTDOWN: priority 0 if MASTER, VIPs removed, notify STOP. */
void vrrp_inst_shutdown(struct vrrp_inst *vi);
void vrrp_inst_free(struct vrrp_inst *vi); /* closes the handles, frees on close */
void vrrp_inst_timers_close(struct vrrp *v);
/* Runs one event through the state machine and executes its actions. */
void vrrp_inst_event(struct vrrp_inst *vi, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
		     const char *why);
/* Tracking changed: recompute priority / fault. */
void vrrp_inst_reeval(struct vrrp_inst *vi);
/* A new model with an equal-enough config: adopt the new pointers. */
void vrrp_inst_rebind(struct vrrp_inst *vi, const struct conf_vrrp_instance *cfg);
void vrrp_inst_nl_event(struct vrrp_inst *vi, int ev, const void *msg);
void vrrp_inst_status_json(const struct vrrp_inst *vi, struct json *j, uint64_t now_ms);
/* Refreshes the no_accept filter from every instance. */
void vrrp_filter_update(struct vrrp *v);

/* Pure helpers (unit tested). */
int vrrp_effective_priority(unsigned configured, int delta);

/* How many GARP/NA rounds an event sends now, and how many later_ms later. */
enum vrrp_garp_event { VRRP_GARP_TAKEOVER, VRRP_GARP_LOWER_PRIO, VRRP_GARP_REFRESH };
struct vrrp_garp_plan {
	unsigned now, later;
	uint64_t later_ms;
};
void vrrp_garp_plan(const struct conf_vrrp_instance *c, enum vrrp_garp_event ev,
		    struct vrrp_garp_plan *p);
/* Pacing lanes (instance.c). open: nothing waits and the interval since
 * the last send has passed, so a message may go now. take unlinks the head
 * when its turn has come at now. After either, sent records when the
 * message really went: the next turn counts from there. */
bool vrrp_garp_lane_open(const struct vrrp_garp_lane *l, uint64_t now);
void vrrp_garp_lane_append(struct vrrp_garp_lane *l, struct vrrp_garp_msg *m);
struct vrrp_garp_msg *vrrp_garp_lane_take(struct vrrp_garp_lane *l, uint64_t now);
void vrrp_garp_lane_sent(struct vrrp_garp_lane *l, uint64_t now);
/* The keys of the VIP lists of an instance that differ from a to b: out
 * gets 1 for each entry of a (removed) not in b. Entries compare by their
 * whole configuration. Returns the number marked. */
unsigned vrrp_list_diff(const struct conf_block *blk, const struct conf_list *a,
			const struct conf_list *b, bool *out);
/* Pacing and the startup delay (instance.c / vrrp.c). */
void vrrp_garp_pace_init(struct vrrp *v);
void vrrp_garp_pace_close(struct vrrp *v);
void vrrp_garp_cancel(struct vrrp_inst *vi);

enum vrrp_cfg_diff {
	VRRP_CFG_SAME = 0, /* keep running untouched */
	VRRP_CFG_UPDATE,   /* priority, advert_int, tracking, notify, VIPs / eVIPs /
			    * virtual routes and rules: update in place */
	VRRP_CFG_RESTART,  /* interface, vrid, family, peers...: shut down and start again */
	VRRP_CFG_ADDED,	   /* only in the new model */
	VRRP_CFG_REMOVED,  /* only in the old model */
};
enum vrrp_cfg_diff vrrp_cfg_compare(const struct conf_vrrp_instance *a,
				    const struct conf_vrrp_instance *b);
/* How the instance called name fares from model a to model b. */
enum vrrp_cfg_diff vrrp_model_diff(const struct conf_model *a, const struct conf_model *b,
				   const char *name);


/* ---- sync.c ---- */
int vrrp_sync_build(struct vrrp *v); /* groups of v->m, binds instances */
void vrrp_sync_free_all(struct vrrp *v);
/* A member changed state: move the others along. */
void vrrp_sync_member_changed(struct vrrp_inst *vi, enum vrrp_state from, enum vrrp_state to);
/* Is any other member of vi's group in (own) fault? */
bool vrrp_sync_fault(const struct vrrp_inst *vi);
/* Group-level track_* lists changed state. */
void vrrp_sync_reeval_all(struct vrrp *v);
void vrrp_sync_status_json(const struct vrrp *v, struct json *j);

#endif
