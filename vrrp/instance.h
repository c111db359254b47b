/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP runtime's internals, shared by instance.c (one running
 * vrrp_instance: its state machine, VIPs, adverts and counters), sync.c
 * (sync groups) and vrrp.c (start, reload, stop, status). Its parts live in
 * their own files: the timers (timer.h), GARP/NA pacing (garp.h), the
 * reload diff (diff.h), the sockets (socket.h).
 */
#ifndef VIGIL_VRRP_INSTANCE_H
#define VIGIL_VRRP_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "conf/model.h"
#include "vrrp/fsm.h"
#include "vrrp/garp.h"
#include "vrrp/packet.h"
#include "vrrp/socket.h"
#include "vrrp/timer.h"

struct event_bus;
struct json;
struct vrrp_nl;
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
	struct vrrp_timer timer;  /* advert timer (MASTER) / master-down (BACKUP) */
	uv_timer_t garp_timer;	  /* the delayed second set of GARP/NA */
	uv_timer_t refresh_timer; /* garp_master_refresh */
	unsigned garp_later;	  /* rounds the garp_timer sends */
	unsigned closed;	  /* handles closed (free at 3) */
	bool stale_checked;
	struct vrrp_sock *sock;	     /* NULL until the interface is usable */
	struct vrrp_sock_rcv rcv;    /* how sock hands us our packets */
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
	bool vip_if_fault;	/* the dev of a VIP without no_track is down */
	bool no_peer_fault;	/* unicast_fault_no_peer: no usable peer */
	int last_notified_prio; /* notify_priority_changes: last priority told */
	bool have_last_adv;	/* skip_check_adv_addr: the previous advert's source */
	struct conf_addr last_adv_src;
	char fault_reason[128];
	struct vrrp_counters c;
	uint16_t ip_id;
	uint32_t ah_seq; /* auth_type AH: last sequence number sent or taken */
	uint64_t state_since_ms; /* uv_now at the last transition */
	struct {
		time_t at;
		enum vrrp_state from, to;
		char reason[128];
		bool set;
	} last;
	uint64_t last_misconf_log_ms;
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

struct vrrp {
	uv_loop_t *loop;
	const struct conf_model *m;
	struct vrrp_nl *nl;
	int nl_sub;
	struct vrrp_filter *filter;
	bool filter_failed;
	int filter_err;
	struct vrrp_track *track;
	struct vrrp_static *statics; /* static_ipaddress, static_routes, static_rules */
	struct vrrp_notify *notify;
	struct event_bus *bus; /* transitions are published here */
	int notify_sub;	       /* notify's subscription, -1: none */
	struct vrrp_sock *socks;
	struct vrrp_inst *instances;
	struct vrrp_sync *syncs;
	bool stopping;
	uv_timer_t stop_timer;
	/* what the instances' timers share: the wheel and the timerfd */
	struct vrrp_timers timers;
	/* the GARP / NA socket (pace.garp) and its pacer (garp_pace.c) */
	struct vrrp_garp_pacer pace;
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
/* What the runtime's timers ask of an instance (vrrp_timers_init). */
extern const struct vrrp_timer_ops vrrp_inst_timer_ops;
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
