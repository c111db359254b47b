/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notifications of state changes: the notify_master / notify_backup /
 * notify_fault / notify_stop scripts, the generic `notify` script called
 * with TYPE NAME STATE PRIORITY (TYPE is INSTANCE or GROUP), and the
 * notify_fifo / vrrp_notify_fifo lines `TYPE "NAME" STATE PRIORITY`.
 *
 * Event order is kept: per instance (or group) the scripts run one after
 * the other in the order of the transitions, each bounded by a timeout;
 * FIFO lines are written in order and never block the loop (a reader that
 * is missing or slow loses lines, which are counted).
 */
#ifndef VIGIL_VRRP_NOTIFY_H
#define VIGIL_VRRP_NOTIFY_H

#include <stddef.h>
#include <uv.h>

#include "conf/model.h"
#include "lib/event.h"
#include "vrrp/fsm.h"

struct event;
struct json;
struct vrrp_notify;

/* The events vrrp_notify_on_event acts on. */
#define VRRP_NOTIFY_EVENTS                                                              \
	(EVENT_BIT(EVENT_VRRP_STATE) | EVENT_BIT(EVENT_VRRP_GROUP_STATE) |              \
	 EVENT_BIT(EVENT_VRRP_RX_LOWER_PRI) | EVENT_BIT(EVENT_VRRP_PRIORITY))

/* An event_fn (lib/event.h) with data the struct vrrp_notify: the notify
 * scripts and FIFO lines of a VRRP event, by the functions below. */
void vrrp_notify_on_event(const struct event *ev, void *data);

int vrrp_notify_open(uv_loop_t *loop, const struct conf_global *g, struct vrrp_notify **out);
/*
 * The scripts of an instance, a group, or every one of a model pass
 * script_vet() (lib/script.h) here, at load and at each reload: a refused
 * one is logged now and never runs; one never admitted never runs either.
 * -ENOMEM or 0 (a refusal is not an error of the call).
 */
int vrrp_notify_admit_instance(struct vrrp_notify *n, const struct conf_vrrp_instance *vi);
int vrrp_notify_admit_group(struct vrrp_notify *n, const struct conf_vrrp_sync_group *sg);
int vrrp_notify_admit_model(struct vrrp_notify *n, const struct conf_model *m);
/* Waits for nothing: running scripts finish (or are killed at their timeout)
 * on their own; the FIFO is closed. */
void vrrp_notify_close(struct vrrp_notify *n);

/* STATE: MASTER, BACKUP, FAULT or STOP (for INIT after a shutdown). */
void vrrp_notify_instance(struct vrrp_notify *n, const struct conf_vrrp_instance *vi,
			  enum vrrp_state to, unsigned priority);
void vrrp_notify_group(struct vrrp_notify *n, const struct conf_vrrp_sync_group *sg,
		       enum vrrp_state to);

/* A MASTER heard a lower priority advert: notify_master_rx_lower_pri runs
 * (queued behind the instance's other scripts) and the FIFOs get
 * `INSTANCE "NAME" MASTER_RX_LOWER_PRI PRIORITY`. */
void vrrp_notify_rx_lower_pri(struct vrrp_notify *n, const struct conf_vrrp_instance *vi,
			      unsigned priority);
/* notify_priority_changes: the effective priority of a MASTER or BACKUP
 * changed: `INSTANCE "NAME" MASTER_PRIORITY 90` (or BACKUP_PRIORITY) on the
 * FIFOs. Nothing for other states or without the keyword. */
void vrrp_notify_priority(struct vrrp_notify *n, const struct conf_vrrp_instance *vi,
			  enum vrrp_state state, unsigned priority);

/* {"scripts_run":N,"scripts_failed":N,"fifo_lines":N,"fifo_dropped":N} */
void vrrp_notify_status_json(const struct vrrp_notify *n, struct json *j);

#endif
