/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * static_ipaddress, static_routes and static_rules, as keepalived 2.2.7
 * keeps them (vrrp_daemon.c, vrrp_static_track.c, keepalived_netlink.c):
 * set before the instances start, put back when someone deletes an
 * address (unless the entry says no_track) and when the interface of an
 * address or route comes up again, removed at stop; a reload removes the
 * entries that went away, adds the new ones and leaves the others alone.
 * track_group GROUP makes the group's instances track the entry's
 * interface (an address's dev, a route's dev, a rule's iif): down or gone
 * puts them in FAULT, as a tracked interface does.
 */
#ifndef VIGIL_VRRP_STATIC_H
#define VIGIL_VRRP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/model.h"

struct json;
struct vrrp;
struct vrrp_nl_msg;
struct vrrp_static;

/* Sets every entry of v->m (v->nl is open). 0 or -ENOMEM. */
int vrrp_static_start(struct vrrp *v);
/* v->m is the new model, old the previous one (both alive): the
 * difference only. */
void vrrp_static_reload(struct vrrp *v, const struct conf_model *old);
/* Removes every entry (queued: the caller flushes). */
void vrrp_static_stop(struct vrrp *v);
void vrrp_static_free(struct vrrp_static *s);
void vrrp_static_nl_event(struct vrrp *v, const struct vrrp_nl_msg *m);
/* Is a deleted route (rule) of the kernel this configured one? keepalived's
 * route_is_ours / rule_is_ours: family, table, destination and tos for a
 * route; family, from, to, preference when given and table for a rule. */
struct vrrp_nl_rtmsg;
bool vrrp_route_is(const struct conf_route *r, const struct vrrp_nl_rtmsg *rt);
bool vrrp_rule_is(const struct conf_rule *r, const struct vrrp_nl_rtmsg *rt);

/*
 * track_group: the interface of the first static entry whose group lists
 * instance iname and whose interface is down or gone (with name: which is
 * name), NULL if none; what says which entry.
 */
const char *vrrp_static_dev_down(const struct vrrp *v, const char *iname, const char *name,
				 char *what, size_t wlen);

void vrrp_static_status_json(const struct vrrp *v, struct json *j);

#endif
