/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine: RFC 5798 section 6.4 (Initialize, Backup, Master),
 * RFC 3768 section 6.4 for version 2, plus vigil's FAULT state for tracking.
 *
 * Pure: one table of [state][event] -> handler. Each cell also carries the
 * static reason used when the handler does not pick a more precise one, so a
 * cell that is not allowed explains itself ("advert timer in BACKUP").
 *
 * Rule of the table: the only events that can be refused (-1) are the
 * caller's own timer firing in a state that never arms that timer, and
 * STARTUP of an instance that already runs. Everything that comes from
 * outside (advertisements, tracking, sync groups, shutdown) is allowed in
 * every state, because it can legitimately race with a state change; where it
 * means nothing, it is a no-op with a reason.
 */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/fsm.h"

const char *const vrrp_state_names[VRRP_STATE__COUNT] = {
	[VRRP_STATE_INIT] = "INIT",
	[VRRP_STATE_BACKUP] = "BACKUP",
	[VRRP_STATE_MASTER] = "MASTER",
	[VRRP_STATE_FAULT] = "FAULT",
};

const char *const vrrp_event_names[VRRP_EV__COUNT] = {
	[VRRP_EV_STARTUP] = "startup",
	[VRRP_EV_SHUTDOWN] = "shutdown",
	[VRRP_EV_MASTER_DOWN] = "master-down timer",
	[VRRP_EV_ADVER_TIMER] = "advert timer",
	[VRRP_EV_ADVERT] = "advertisement",
	[VRRP_EV_FAULT] = "fault",
	[VRRP_EV_FAULT_CLEAR] = "fault clear",
	[VRRP_EV_PRIORITY] = "priority change",
	[VRRP_EV_FORCE_MASTER] = "sync force master",
	[VRRP_EV_FORCE_BACKUP] = "sync force backup",
	[VRRP_EV_FORCE_FAULT] = "sync force fault",
};

#define VRRP_FSM_DEFAULT_DOWN_ADVERTS 3u
#define VRRP_FSM_OWNER_PRIORITY 255u

/* One step's inputs and outputs, so handlers share one signature. */
struct vrrp_fsm_step {
	struct vrrp_fsm *f;
	const struct vrrp_fsm_rx *rx;
	uint64_t now_us;
	struct vrrp_fsm_out *out;
};

typedef int (*vrrp_fsm_handler)(struct vrrp_fsm_step *s);

struct vrrp_fsm_cell {
	vrrp_fsm_handler fn;
	const char *reason;
};

void vrrp_fsm_init(struct vrrp_fsm *f)
{
	memset(f, 0, sizeof(*f));
	f->state = VRRP_STATE_INIT;
	f->version = 3;
	f->priority = 100;
	f->owner = false;
	f->start_master = false;
	f->preempt = true;
	f->preempt_delay_us = 0;
	f->adver_us = 1000000;
	f->master_adver_us = 1000000;
	f->down_timer_adverts = VRRP_FSM_DEFAULT_DOWN_ADVERTS;
	f->lower_prio_no_advert = false;
}

uint64_t vrrp_fsm_skew_us(const struct vrrp_fsm *f)
{
	/* RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256 */
	return ((uint64_t)(256u - f->priority) * f->master_adver_us) / 256u;
}

uint64_t vrrp_fsm_master_down_us(const struct vrrp_fsm *f)
{
	/* A zero multiplier would make the master-down time the skew alone, so
	 * every backup would take over between two advertisements: use the RFC's 3. */
	unsigned n = f->down_timer_adverts ? f->down_timer_adverts : VRRP_FSM_DEFAULT_DOWN_ADVERTS;

	/* RFC 5798 6.1: Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time */
	return (uint64_t)n * f->master_adver_us + vrrp_fsm_skew_us(f);
}

/*
 * Total order on primary addresses for the equal priority tie-break
 * (RFC 5798 6.4.3: the higher primary address wins): unsigned big-endian
 * bytes within a family. Packet checks guarantee one family per instance;
 * should two ever differ, the family number decides so that both sides still
 * agree on one winner.
 */
static int vrrp_fsm_addr_cmp(const struct conf_addr *a, const struct conf_addr *b)
{
	size_t len;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == AF_INET)
		len = sizeof(a->u.v4);
	else if (a->family == AF_INET6)
		len = sizeof(a->u.v6);
	else
		return 0;
	return memcmp(&a->u, &b->u, len);
}

/* v3 carries the master's interval; v2 does not (RFC 3768 uses our own). */
static void vrrp_fsm_learn_interval(struct vrrp_fsm *f, const struct vrrp_fsm_rx *rx)
{
	if (f->version != 3)
		return;
	/* A zero interval cannot pass the packet checks; should one slip
	 * through, keeping the previous value is safer than a zero master-down
	 * time (an instant takeover). */
	if (rx->adver_cs == 0)
		return;
	f->master_adver_us = (uint64_t)rx->adver_cs * 10000u;
}

static void vrrp_fsm_learn_master(struct vrrp_fsm *f, const struct vrrp_fsm_rx *rx)
{
	vrrp_fsm_learn_interval(f, rx);
	f->master_priority = rx->priority;
	f->master_addr = rx->src;
}

static void vrrp_fsm_forget_master(struct vrrp_fsm *f)
{
	f->master_priority = 0;
	memset(&f->master_addr, 0, sizeof(f->master_addr));
}

/* ---- Entering a state: the actions shared by several transitions ---- */

/* RFC 5798 6.4.1 / 6.4.2 (Master_Down_Timer fired): announce, take the
 * addresses, start advertising. */
static int vrrp_fsm_become_master(struct vrrp_fsm_step *s, const char *reason)
{
	struct vrrp_fsm *f = s->f;

	f->state = VRRP_STATE_MASTER;
	s->out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_TAKE_VIPS | VRRP_ACT_ADVER_TIMER;
	s->out->timer_us = f->adver_us;
	s->out->reason = reason;
	return 0;
}

/* RFC 5798 6.4.1: a backup waits one Master_Down_Interval for a master. */
static int vrrp_fsm_become_backup(struct vrrp_fsm_step *s, const char *reason)
{
	struct vrrp_fsm *f = s->f;

	f->state = VRRP_STATE_BACKUP;
	f->backup_since_us = s->now_us;
	s->out->actions |= VRRP_ACT_DOWN_TIMER;
	s->out->timer_us = vrrp_fsm_master_down_us(f);
	s->out->reason = reason;
	return 0;
}

/* RFC 5798 6.4.1: the address owner starts as master, every other router as
 * backup with the configured interval as its first guess of the master's. */
static int vrrp_fsm_start(struct vrrp_fsm_step *s, const char *owner_reason,
			  const char *backup_reason)
{
	struct vrrp_fsm *f = s->f;

	vrrp_fsm_forget_master(f);
	f->master_adver_us = f->adver_us;
	if (f->owner)
		return vrrp_fsm_become_master(s, owner_reason);
	return vrrp_fsm_become_backup(s, backup_reason);
}

static int vrrp_fsm_enter_fault(struct vrrp_fsm_step *s)
{
	struct vrrp_fsm *f = s->f;

	/* A master gives its addresses up and tells the backups at once
	 * (priority 0) instead of making them wait out Master_Down_Interval. */
	if (f->state == VRRP_STATE_MASTER)
		s->out->actions |= VRRP_ACT_DROP_VIPS | VRRP_ACT_SEND_PRIO0;
	/* From INIT no timer runs and nothing was started. */
	if (f->state != VRRP_STATE_INIT)
		s->out->actions |= VRRP_ACT_STOP_TIMER;
	f->state = VRRP_STATE_FAULT;
	return 0;
}

/* ---- Handlers, one per table cell kind ---- */

static int vrrp_fsm_h_refuse(struct vrrp_fsm_step *s)
{
	(void)s;
	return -1;
}

static int vrrp_fsm_h_noop(struct vrrp_fsm_step *s)
{
	(void)s;
	return 0;
}

/*
 * keepalived starts an instance configured `state MASTER` as master at once
 * (RFC 5798 6.4.1 keeps that for the owner): operators write it on the
 * director meant to be master, and it makes that director advertise
 * immediately instead of racing the backup's Master_Down_Timer when both
 * start together. A higher priority peer sends it back to BACKUP with its
 * first advertisement.
 */
static int vrrp_fsm_h_startup(struct vrrp_fsm_step *s)
{
	struct vrrp_fsm *f = s->f;

	if (!f->owner && f->start_master) {
		vrrp_fsm_forget_master(f);
		f->master_adver_us = f->adver_us;
		return vrrp_fsm_become_master(s, "configured state MASTER");
	}
	return vrrp_fsm_start(s, "address owner starts as master", "startup: waiting for a master");
}

static int vrrp_fsm_h_fault_clear(struct vrrp_fsm_step *s)
{
	return vrrp_fsm_start(s, "tracking recovered", "tracking recovered");
}

/* RFC 5798 6.4.2 / 6.4.3 Shutdown: cancel the timer; a master also sends
 * priority 0 so that a backup takes over after Skew_Time. */
static int vrrp_fsm_h_shutdown(struct vrrp_fsm_step *s)
{
	struct vrrp_fsm *f = s->f;

	s->out->actions |= VRRP_ACT_STOP_TIMER;
	if (f->state == VRRP_STATE_MASTER)
		s->out->actions |= VRRP_ACT_DROP_VIPS | VRRP_ACT_SEND_PRIO0;
	f->state = VRRP_STATE_INIT;
	return 0;
}

static int vrrp_fsm_h_fault(struct vrrp_fsm_step *s)
{
	return vrrp_fsm_enter_fault(s);
}

/* RFC 5798 6.4.2: Master_Down_Timer fired. */
static int vrrp_fsm_h_master_down(struct vrrp_fsm_step *s)
{
	return vrrp_fsm_become_master(s, s->out->reason);
}

/* RFC 5798 6.4.3: Adver_Timer fired: advertise and re-arm. */
static int vrrp_fsm_h_adver_timer(struct vrrp_fsm_step *s)
{
	s->out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADVER_TIMER;
	s->out->timer_us = s->f->adver_us;
	return 0;
}

/* The advertisement is from a valid master: follow it (RFC 5798 6.4.2). */
static int vrrp_fsm_backup_accept(struct vrrp_fsm_step *s, const char *reason)
{
	vrrp_fsm_learn_master(s->f, s->rx);
	s->out->actions |= VRRP_ACT_DOWN_TIMER;
	s->out->timer_us = vrrp_fsm_master_down_us(s->f);
	s->out->reason = reason;
	return 0;
}

static int vrrp_fsm_h_backup_advert(struct vrrp_fsm_step *s)
{
	struct vrrp_fsm *f = s->f;
	const struct vrrp_fsm_rx *rx = s->rx;
	uint64_t in_backup;

	/* RFC 5798 6.4.2: priority 0 means the master is stopping: take over
	 * after Skew_Time, so that the highest priority backup goes first. */
	if (rx->priority == 0) {
		s->out->actions |= VRRP_ACT_DOWN_TIMER;
		s->out->timer_us = vrrp_fsm_skew_us(f);
		s->out->reason = "priority 0 from master (it is stopping)";
		return 0;
	}
	/* RFC 5798 6.4.2: without preemption, or from a priority at least ours,
	 * the sender is our master. */
	if (!f->preempt)
		return vrrp_fsm_backup_accept(s, "advertisement from master (nopreempt)");
	if (rx->priority >= f->priority)
		return vrrp_fsm_backup_accept(s, "advertisement from master");
	/* keepalived's preempt_delay: for a while after entering BACKUP a lower
	 * priority master is still followed, so that a router that just came up
	 * (links, routes, tracking settling) does not take over at once. */
	in_backup = s->now_us >= f->backup_since_us ? s->now_us - f->backup_since_us : 0;
	if (f->preempt_delay_us > 0 && in_backup < f->preempt_delay_us)
		return vrrp_fsm_backup_accept(s, "lower priority master kept during preempt_delay");
	/* RFC 5798 6.4.2: discard: the master-down timer runs out and we
	 * preempt. */
	s->out->reason = "preempting lower priority master";
	return 0;
}

static int vrrp_fsm_h_master_advert(struct vrrp_fsm_step *s)
{
	struct vrrp_fsm *f = s->f;
	const struct vrrp_fsm_rx *rx = s->rx;
	int cmp;

	/* RFC 5798 6.4.3: a priority 0 advertisement (another master stopping,
	 * or a confused peer): answer at once so backups see a live master. */
	if (rx->priority == 0) {
		s->out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADVER_TIMER;
		s->out->timer_us = f->adver_us;
		s->out->reason = "priority 0 advertisement: answering at once";
		return 0;
	}
	/* RFC 5798 6.4.3: a higher priority, or an equal one from a higher
	 * primary address, wins: become its backup. */
	cmp = vrrp_fsm_addr_cmp(&rx->src, &f->my_addr);
	if (rx->priority > f->priority || (rx->priority == f->priority && cmp > 0)) {
		vrrp_fsm_learn_master(f, rx);
		s->out->actions |= VRRP_ACT_DROP_VIPS;
		return vrrp_fsm_become_backup(s, rx->priority > f->priority
							 ? "higher priority advertisement"
							 : "equal priority, higher address");
	}
	/* Same priority and same address: our own advertisement looped back.
	 * Packet checks should have dropped it; nothing to answer. */
	if (rx->priority == f->priority && cmp == 0) {
		s->out->reason = "own advertisement (ignored)";
		return 0;
	}
	/* RFC 5798 6.4.3 says discard. As keepalived does, also re-announce the
	 * addresses and answer at once so the lower priority router (which
	 * believes it is master) hears us and yields now, not at its next
	 * master-down expiry. */
	s->out->actions |= VRRP_ACT_GARP_LOWER;
	if (!f->lower_prio_no_advert) {
		s->out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADVER_TIMER;
		s->out->timer_us = f->adver_us;
	}
	s->out->reason = "lower priority advertisement";
	return 0;
}

/* Sync group: another member became master, so this one must too. */
static int vrrp_fsm_h_force_master(struct vrrp_fsm_step *s)
{
	return vrrp_fsm_become_master(s, s->out->reason);
}

static int vrrp_fsm_h_force_backup(struct vrrp_fsm_step *s)
{
	s->out->actions |= VRRP_ACT_DROP_VIPS;
	return vrrp_fsm_become_backup(s, s->out->reason);
}

/* A master with changed priority advertises at once so that backups see it
 * (and preempt if it dropped below theirs). The address owner's priority is
 * fixed at 255, so there is nothing to tell. */
static int vrrp_fsm_h_master_priority(struct vrrp_fsm_step *s)
{
	if (s->f->owner) {
		s->out->reason = "address owner: priority is fixed";
		return 0;
	}
	s->out->actions |= VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADVER_TIMER;
	s->out->timer_us = s->f->adver_us;
	return 0;
}

/* clang-format off */
#define REFUSE(why) { vrrp_fsm_h_refuse, why }
#define NOOP(why) { vrrp_fsm_h_noop, why }
/* clang-format on */

static const struct vrrp_fsm_cell vrrp_fsm_table[VRRP_STATE__COUNT][VRRP_EV__COUNT] = {
	[VRRP_STATE_INIT] = {
		[VRRP_EV_STARTUP] = { vrrp_fsm_h_startup, "startup" },
		[VRRP_EV_SHUTDOWN] = NOOP("shutdown: not running"),
		[VRRP_EV_MASTER_DOWN] = REFUSE("master-down timer in INIT"),
		[VRRP_EV_ADVER_TIMER] = REFUSE("advert timer in INIT"),
		[VRRP_EV_ADVERT] = NOOP("advertisement ignored: not running"),
		[VRRP_EV_FAULT] = { vrrp_fsm_h_fault, "tracking fault" },
		[VRRP_EV_FAULT_CLEAR] = NOOP("tracking recovered: not in FAULT"),
		[VRRP_EV_PRIORITY] = NOOP("priority change: not running"),
		[VRRP_EV_FORCE_MASTER] = NOOP("sync group: not running"),
		[VRRP_EV_FORCE_BACKUP] = NOOP("sync group: not running"),
		[VRRP_EV_FORCE_FAULT] = { vrrp_fsm_h_fault, "sync group: member went to FAULT" },
	},
	[VRRP_STATE_BACKUP] = {
		[VRRP_EV_STARTUP] = REFUSE("startup in BACKUP"),
		[VRRP_EV_SHUTDOWN] = { vrrp_fsm_h_shutdown, "shutdown" },
		[VRRP_EV_MASTER_DOWN] = { vrrp_fsm_h_master_down, "master-down timer expired" },
		[VRRP_EV_ADVER_TIMER] = REFUSE("advert timer in BACKUP"),
		[VRRP_EV_ADVERT] = { vrrp_fsm_h_backup_advert, "advertisement" },
		[VRRP_EV_FAULT] = { vrrp_fsm_h_fault, "tracking fault" },
		[VRRP_EV_FAULT_CLEAR] = NOOP("tracking recovered: not in FAULT"),
		[VRRP_EV_PRIORITY] = NOOP("priority change: the next advertisement decides"),
		[VRRP_EV_FORCE_MASTER] = { vrrp_fsm_h_force_master,
					   "sync group: member became master" },
		[VRRP_EV_FORCE_BACKUP] = NOOP("sync group: already BACKUP"),
		[VRRP_EV_FORCE_FAULT] = { vrrp_fsm_h_fault, "sync group: member went to FAULT" },
	},
	[VRRP_STATE_MASTER] = {
		[VRRP_EV_STARTUP] = REFUSE("startup in MASTER"),
		[VRRP_EV_SHUTDOWN] = { vrrp_fsm_h_shutdown, "shutdown" },
		[VRRP_EV_MASTER_DOWN] = REFUSE("master-down timer in MASTER"),
		[VRRP_EV_ADVER_TIMER] = { vrrp_fsm_h_adver_timer, "advert timer" },
		[VRRP_EV_ADVERT] = { vrrp_fsm_h_master_advert, "advertisement" },
		[VRRP_EV_FAULT] = { vrrp_fsm_h_fault, "tracking fault" },
		[VRRP_EV_FAULT_CLEAR] = NOOP("tracking recovered: not in FAULT"),
		[VRRP_EV_PRIORITY] = { vrrp_fsm_h_master_priority,
				       "priority change: advertising it at once" },
		[VRRP_EV_FORCE_MASTER] = NOOP("sync group: already MASTER"),
		[VRRP_EV_FORCE_BACKUP] = { vrrp_fsm_h_force_backup,
					   "sync group: member became backup" },
		[VRRP_EV_FORCE_FAULT] = { vrrp_fsm_h_fault, "sync group: member went to FAULT" },
	},
	[VRRP_STATE_FAULT] = {
		[VRRP_EV_STARTUP] = NOOP("startup: waiting for tracking to recover"),
		[VRRP_EV_SHUTDOWN] = { vrrp_fsm_h_shutdown, "shutdown" },
		[VRRP_EV_MASTER_DOWN] = REFUSE("master-down timer in FAULT"),
		[VRRP_EV_ADVER_TIMER] = REFUSE("advert timer in FAULT"),
		[VRRP_EV_ADVERT] = NOOP("advertisement ignored in FAULT"),
		[VRRP_EV_FAULT] = NOOP("tracking fault: already FAULT"),
		[VRRP_EV_FAULT_CLEAR] = { vrrp_fsm_h_fault_clear, "tracking recovered" },
		[VRRP_EV_PRIORITY] = NOOP("priority change in FAULT"),
		[VRRP_EV_FORCE_MASTER] = NOOP("sync group: FAULT stays until tracking recovers"),
		[VRRP_EV_FORCE_BACKUP] = NOOP("sync group: FAULT stays until tracking recovers"),
		[VRRP_EV_FORCE_FAULT] = NOOP("sync group: already FAULT"),
	},
};

int vrrp_fsm_step(struct vrrp_fsm *f, enum vrrp_event ev, const struct vrrp_fsm_rx *rx,
		  uint64_t now_us, struct vrrp_fsm_out *out)
{
	struct vrrp_fsm_step s = { .f = f, .rx = rx, .now_us = now_us, .out = out };
	const struct vrrp_fsm_cell *cell;
	struct vrrp_fsm saved;
	int ret;

	memset(out, 0, sizeof(*out));
	out->from = f->state;
	out->to = f->state;
	if ((unsigned)f->state >= VRRP_STATE__COUNT) {
		out->reason = "unknown state";
		return -1;
	}
	if ((unsigned)ev >= VRRP_EV__COUNT) {
		out->reason = "unknown event";
		return -1;
	}
	if (ev == VRRP_EV_ADVERT && !rx) {
		out->reason = "advertisement without its contents";
		return -1;
	}
	cell = &vrrp_fsm_table[f->state][ev];
	out->reason = cell->reason;
	if (!cell->fn) {
		out->reason = "no transition defined";
		return -1;
	}
	saved = *f;
	ret = cell->fn(&s);
	if (ret < 0) {
		/* Refused: nothing changes, whatever the handler touched. */
		*f = saved;
		out->actions = 0;
		out->timer_us = 0;
		out->to = out->from;
		return -1;
	}
	out->to = f->state;
	if (out->to != out->from)
		out->actions |= VRRP_ACT_STATE;
	return 0;
}
