/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp_sync_group: the members move together. One member becoming MASTER
 * pulls the others to MASTER, BACKUP pushes them to BACKUP, and a fault in
 * any member holds the whole group in FAULT until every member is fine.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/event.h"
#include "lib/json.h"
#include "lib/log.h"
#include "vrrp/instance.h"
#include "vrrp/track.h"

static struct vrrp_inst *find_inst(struct vrrp *v, const char *name)
{
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		if (!vi->stopping && !strcmp(vi->cfg->hdr.name, name))
			return vi;
	return NULL;
}

static void group_track(struct vrrp_sync *sg)
{
	const struct conf_vrrp_sync_group *c = sg->cfg;
	char why[128];

	sg->track_delta = 0;
	sg->track_fault = false;
	if (!sg->v->track)
		return;
	/* keepalived applies the weights of the group's own tracking to every
	 * member, sync_group_tracking_weight or not: that keyword only keeps
	 * the members' own weighted tracking (conf/validate_vrrp.c). */
	vrrp_track_eval(sg->v->track, &c->track_interfaces, &c->track_scripts, &c->track_files,
			&c->track_processes, &sg->track_delta, &sg->track_fault, why, sizeof(why));
}

int vrrp_sync_build(struct vrrp *v)
{
	vrrp_sync_free_all(v);
	for (struct vrrp_inst *vi = v->instances; vi; vi = vi->next)
		vi->sync = NULL;
	conf_list_for_each (const struct conf_vrrp_sync_group, c, &v->m->vrrp.sync_groups) {
		struct vrrp_sync *sg = calloc(1, sizeof(*sg));
		unsigned n = 0;

		if (!sg)
			return -1;
		sg->v = v;
		sg->cfg = c;
		sg->members = calloc(c->members.count ? c->members.count : 1, sizeof(*sg->members));
		if (!sg->members) {
			free(sg);
			return -1;
		}
		conf_list_for_each (const struct conf_name, nm, &c->members) {
			struct vrrp_inst *vi = find_inst(v, nm->hdr.name);

			if (vi) {
				vi->sync = sg;
				sg->members[n++] = vi;
			}
		}
		sg->n = n;
		sg->state = n ? sg->members[0]->fsm.state : VRRP_STATE_INIT;
		group_track(sg);
		sg->next = v->syncs;
		v->syncs = sg;
	}
	return 0;
}

void vrrp_sync_free_all(struct vrrp *v)
{
	struct vrrp_sync *sg, *next;

	for (sg = v->syncs; sg; sg = next) {
		next = sg->next;
		for (unsigned i = 0; i < sg->n; i++)
			if (sg->members[i]->sync == sg)
				sg->members[i]->sync = NULL;
		free(sg->members);
		free(sg);
	}
	v->syncs = NULL;
}

bool vrrp_sync_fault(const struct vrrp_inst *vi)
{
	const struct vrrp_sync *sg = vi->sync;

	if (!sg)
		return false;
	if (sg->track_fault)
		return true;
	for (unsigned i = 0; i < sg->n; i++) {
		const struct vrrp_inst *m = sg->members[i];

		if (m != vi && !m->stopping && (m->track_fault || m->if_fault))
			return true;
	}
	return false;
}

void vrrp_sync_member_changed(struct vrrp_inst *vi, enum vrrp_state from, enum vrrp_state to)
{
	struct vrrp_sync *sg = vi->sync;
	char why[160];

	(void)from;
	if (!sg || sg->propagating || vi->stopping || vi->v->stopping)
		return;
	if (to != VRRP_STATE_MASTER && to != VRRP_STATE_BACKUP && to != VRRP_STATE_FAULT)
		return;
	sg->propagating = true;
	snprintf(why, sizeof(why), "sync group %s: %s is %s", sg->cfg->hdr.name, vi->cfg->hdr.name,
		 vrrp_state_names[to]);
	for (unsigned i = 0; i < sg->n; i++) {
		struct vrrp_inst *m = sg->members[i];
		enum vrrp_state st = m->fsm.state;

		if (m == vi || m->stopping || !m->started || st == to)
			continue;
		if (to == VRRP_STATE_MASTER && st == VRRP_STATE_BACKUP)
			vrrp_inst_event(m, VRRP_EV_FORCE_MASTER, NULL, why);
		else if (to == VRRP_STATE_BACKUP && st == VRRP_STATE_MASTER)
			vrrp_inst_event(m, VRRP_EV_FORCE_BACKUP, NULL, why);
		else if (to == VRRP_STATE_FAULT && st != VRRP_STATE_INIT) {
			m->sync_fault = true;
			vrrp_inst_event(m, VRRP_EV_FORCE_FAULT, NULL, why);
		}
	}
	if (to == VRRP_STATE_BACKUP && from == VRRP_STATE_FAULT) {
		/* The group fault is over: release the members held only by it. */
		for (unsigned i = 0; i < sg->n; i++) {
			struct vrrp_inst *m = sg->members[i];

			if (m == vi || m->stopping || !m->started)
				continue;
			m->sync_fault = false;
			if (m->fsm.state == VRRP_STATE_FAULT && !m->track_fault && !m->if_fault)
				vrrp_inst_event(m, VRRP_EV_FAULT_CLEAR, NULL, why);
		}
	}
	sg->propagating = false;
	if (sg->state != to) {
		struct event ev = { .kind = EVENT_VRRP_GROUP_STATE };

		ev.vrrp = (struct event_vrrp){
			.name = sg->cfg->hdr.name,
			.from = (int)sg->state,
			.to = (int)to,
			.from_name = vrrp_state_names[sg->state],
			.to_name = vrrp_state_names[to],
			.reason = why,
			.group = sg->cfg,
		};
		sg->state = to;
		event_publish(sg->v->bus, &ev);
	}
}

void vrrp_sync_status_json(const struct vrrp *v, struct json *j)
{
	json_arr_begin(j);
	for (const struct vrrp_sync *sg = v->syncs; sg; sg = sg->next) {
		json_obj_begin(j);
		json_kstr(j, "name", sg->cfg->hdr.name);
		json_kstr(j, "state", vrrp_state_names[sg->state]);
		json_kbool(j, "tracking_fault", sg->track_fault);
		json_key(j, "members");
		json_arr_begin(j);
		for (unsigned i = 0; i < sg->n; i++)
			json_str(j, sg->members[i]->cfg->hdr.name);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void vrrp_sync_reeval_all(struct vrrp *v)
{
	for (struct vrrp_sync *sg = v->syncs; sg; sg = sg->next)
		group_track(sg);
}
