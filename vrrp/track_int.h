/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracker's insides, shared by vrrp/track.c (scripts, files,
 * interfaces, open and close, the weight rules, status) and
 * vrrp/track_proc.c (processes). Not for any other file: the rest of the
 * daemon sees track.h, the unit tests track_test.h.
 */
#ifndef VIGIL_VRRP_TRACK_INT_H
#define VIGIL_VRRP_TRACK_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf/model.h"
#include "vrrp/track.h"
#include "vrrp/track_test.h"

struct track_script;
struct track_file;
struct track_iface;

struct track_proc {
	struct vrrp_track *t;
	const struct conf_track_process *conf;
	char *name;
	uv_timer_t delay;
	bool have_delay;
	bool pending;	 /* a delayed change is waiting */
	bool pending_ok; /* ... to this */
	unsigned count;
	enum vrrp_track_state state;
	uint64_t changes;
	bool carried;
};

struct vrrp_track {
	uv_loop_t *loop;
	struct vrrp_nl *nl;
	int nl_handle;
	vrrp_track_changed_fn changed;
	void *data;
	struct track_script *scripts;
	unsigned n_scripts;
	struct track_file *files;
	unsigned n_files;
	struct track_proc *procs;
	unsigned n_procs;
	bool procs_need_cmdline;
	uv_timer_t scan;
	bool have_scan;
	uint64_t scans;
	struct track_iface *ifaces;
	unsigned n_ifaces;
	unsigned open_handles;
	bool closing;
	bool opening; /* no change calls while (re)open builds the tables */
	const struct conf_model *m;
	struct vrrp_track *old; /* during a reopen: the tracker taken over from */
};

/* The kinds of tracked objects (the track_* list of each). */
enum track_kind { TK_IFACE, TK_SCRIPT, TK_FILE, TK_PROC };

extern const char *const vrrp_track_state_names[]; /* "init", "ok", "failed" */

/* Tells the owner that some object changed state (not while opening). */
void vrrp_track_notify_changed(struct vrrp_track *t);
/* Is name on any track_* list (of kind k) of an instance or a sync group? */
bool vrrp_track_is_tracked(const struct conf_model *m, enum track_kind k, const char *name);
/* Do a and b (objects of blk) read the same? Compared through the dump, so
 * every field the configuration can set counts. */
bool vrrp_track_same_conf(const struct conf_block *blk, const void *a, const void *b);
struct track_proc *vrrp_track_find_proc(const struct vrrp_track *t, const char *name);

/* track_proc.c: the tracked processes of m, scanned once now and then
 * every second; carries over the state of unchanged ones from t->old. */
int vrrp_track_procs_open(struct vrrp_track *t, const struct conf_model *m);

static inline uint64_t vrrp_track_us_to_ms_up(uint64_t us)
{
	uint64_t ms = (us + 999) / 1000;

	return ms ? ms : 1;
}

#endif
