/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tracked objects: vrrp_script (run every interval with a timeout, rise /
 * fall), track_file (an integer read from a file, watched with inotify),
 * track_process (processes counted by scanning /proc, with quorum) and
 * interfaces (through the netlink table). Each object has a state; an
 * instance (or sync group) folds the states of what it tracks into a
 * priority delta and a fault flag with vrrp_track_eval().
 *
 * keepalived's weight rules, which vigil follows:
 * - weight 0: the object failing puts the instance in FAULT;
 * - weight > 0: the object being OK adds weight to the priority;
 * - weight < 0: the object failing subtracts |weight|;
 * - reverse swaps OK and failing;
 * - track_file: the file's value times the weight is added; with weight 0
 *   a non-zero value is a fault; a result below -253 is a fault as well.
 * A weight given on the track_* line overrides the object's own weight.
 */
#ifndef VIGIL_VRRP_TRACK_H
#define VIGIL_VRRP_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "conf/model.h"
#include "vrrp/netlink.h"

struct json;
struct vrrp_track;

/* Called (possibly many times) when any tracked object changed state. */
typedef void (*vrrp_track_changed_fn)(void *data);

/* Starts every vrrp_script, track_file and track_process of the model.
 * Scripts run as script_user (global) or their own user/group. */
int vrrp_track_open(uv_loop_t *loop, const struct conf_model *m, struct vrrp_nl *nl,
		    vrrp_track_changed_fn changed, void *data, struct vrrp_track **out);
void vrrp_track_close(struct vrrp_track *t); /* kills running scripts */

/*
 * Opens the tracker of model m taking over from old (may be NULL), for a
 * reload: a vrrp_script, track_file or track_process whose configuration did
 * not change keeps its state, counters, running child and schedule; the rest
 * of old stops. old is closed in every case.
 */
int vrrp_track_reopen(uv_loop_t *loop, const struct conf_model *m, struct vrrp_nl *nl,
		      void (*changed)(void *data), void *data, struct vrrp_track *old,
		      struct vrrp_track **out);

/*
 * Folds the state of the tracked lists (struct conf_track entries of an
 * instance or sync group) into *delta (sum of weights) and *fault. why (may
 * be NULL) gets a short text naming the first cause of a fault, e.g.
 * "track_script chk_nginx failed" or "interface eth1 is down".
 */
void vrrp_track_eval(const struct vrrp_track *t, const struct conf_list *ifaces,
		     const struct conf_list *scripts, const struct conf_list *files,
		     const struct conf_list *processes, int *delta, bool *fault, char *why,
		     size_t whylen);

/* {"scripts":[{name,state,last_exit,runs,...}],"files":[...],"processes":[...]} */
void vrrp_track_status_json(const struct vrrp_track *t, struct json *j);

#endif
