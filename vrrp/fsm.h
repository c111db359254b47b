/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine (RFC 5798 section 6.4, RFC 3768 for v2), pure:
 * an event and the current time in, the new state and the actions the
 * caller must carry out out. No sockets, no timers, no globals; the caller
 * owns one timer per instance (the advertisement timer while MASTER, the
 * master-down timer while BACKUP) and re-arms it as told.
 */
#ifndef VIGIL_VRRP_FSM_H
#define VIGIL_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/value.h"

enum vrrp_state {
	VRRP_STATE_INIT = 0, /* not started, or stopped */
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT, /* a tracked interface/script/file/process failed */
	VRRP_STATE__COUNT
};

enum vrrp_event {
	VRRP_EV_STARTUP = 0,	 /* the instance is enabled */
	VRRP_EV_SHUTDOWN,	 /* the instance is disabled (daemon stop, removed on reload) */
	VRRP_EV_MASTER_DOWN,	 /* the master-down timer expired */
	VRRP_EV_ADVER_TIMER,	 /* the advertisement timer expired */
	VRRP_EV_ADVERT,		 /* a valid advertisement for us arrived (rx is set) */
	VRRP_EV_FAULT,		 /* something tracked failed */
	VRRP_EV_FAULT_CLEAR,	 /* everything tracked is fine again */
	VRRP_EV_PRIORITY,	 /* fsm->priority was changed by tracking weights */
	VRRP_EV_FORCE_MASTER,	 /* sync group: another member became MASTER */
	VRRP_EV_FORCE_BACKUP,	 /* sync group: another member became BACKUP */
	VRRP_EV_FORCE_FAULT,	 /* sync group: another member went to FAULT */
	VRRP_EV__COUNT
};

extern const char *const vrrp_state_names[VRRP_STATE__COUNT]; /* "INIT", "BACKUP", ... */
extern const char *const vrrp_event_names[VRRP_EV__COUNT];    /* "startup", ... */

/* Actions, or-ed into vrrp_fsm_out.actions, carried out in this order. */
#define VRRP_ACT_STOP_TIMER 0x001u   /* cancel the instance's timer */
#define VRRP_ACT_DROP_VIPS 0x002u    /* remove VIPs, virtual routes and rules */
#define VRRP_ACT_SEND_PRIO0 0x004u   /* send one advertisement with priority 0 */
#define VRRP_ACT_TAKE_VIPS 0x008u    /* add VIPs/routes/rules, then GARP / unsolicited NA */
#define VRRP_ACT_SEND_ADVERT 0x010u  /* send one advertisement with fsm->priority */
#define VRRP_ACT_ADVER_TIMER 0x020u  /* arm the timer to fire after out->timer_us */
#define VRRP_ACT_DOWN_TIMER 0x040u   /* arm the timer to fire after out->timer_us */
#define VRRP_ACT_GARP_LOWER 0x080u   /* MASTER heard a lower priority: re-announce VIPs */
#define VRRP_ACT_STATE 0x100u	     /* out->to differs from out->from: log, count, notify */
#define VRRP_ACT_MISCONFIG 0x200u    /* (reserved for the caller's checks) */

struct vrrp_fsm {
	enum vrrp_state state;
	uint8_t version;	       /* 2 or 3 */
	uint8_t priority;	       /* effective priority, 1..255 */
	bool owner;		       /* configured priority 255: address owner */
	bool start_master;	       /* configured `state MASTER`: start as master */
	bool preempt;		       /* false with nopreempt */
	uint64_t preempt_delay_us;     /* 0: none */
	uint64_t adver_us;	       /* our Advertisement_Interval */
	uint64_t master_adver_us;      /* Master_Adver_Interval (v3 learns it) */
	unsigned down_timer_adverts;   /* the 3 of Master_Down_Interval (configurable) */
	struct conf_addr my_addr;      /* our primary address: breaks priority ties */
	bool lower_prio_no_advert;     /* MASTER does not answer a lower priority advert */
	/* Kept by the machine: */
	uint64_t backup_since_us;      /* when BACKUP was entered (for preempt_delay) */
	uint8_t master_priority;       /* priority in the last accepted advertisement */
	struct conf_addr master_addr;  /* its source */
};

/* What an arrived advertisement says. */
struct vrrp_fsm_rx {
	uint8_t priority;
	uint16_t adver_cs; /* centiseconds */
	struct conf_addr src;
};

struct vrrp_fsm_out {
	uint32_t actions;
	uint64_t timer_us; /* for VRRP_ACT_ADVER_TIMER / VRRP_ACT_DOWN_TIMER */
	enum vrrp_state from, to;
	const char *reason; /* static text for the transition log line, e.g.
			     * "master-down timer expired", "higher priority 150 from 198.18.0.2" is
			     * built by the caller from rx; this is the short cause */
};

/* Sets the configured fields to sane values; state INIT. */
void vrrp_fsm_init(struct vrrp_fsm *f);

/*
 * One step. Returns 0, or -1 when the event is not allowed in the current
 * state (out->reason says why; nothing changed): the caller logs it loudly.
 * ADVERT events must already have passed every packet check.
 */
int vrrp_fsm_step(struct vrrp_fsm *f, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
		  uint64_t now_us, struct vrrp_fsm_out *out);

/* RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256,
 * Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time (microseconds;
 * v2 uses the same formulas with its whole-second interval). */
uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *f);
uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *f);

#endif
