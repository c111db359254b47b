/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The log lines of the event stream (event_log.h). */
#include "config.h"

#include "daemon/event_log.h"

#include "lib/log.h"

static void log_vrrp(enum event_kind kind, const struct event_vrrp *e)
{
	switch (kind) {
	case EVENT_VRRP_STATE:
		log_info("%s: %s -> %s (%s)", e->name, e->from_name, e->to_name, e->reason);
		break;
	case EVENT_VRRP_GROUP_STATE:
		log_info("sync group %s: %s -> %s", e->name, e->from_name, e->to_name);
		break;
	case EVENT_VRRP_PRIORITY:
		log_info("%s: effective priority %u -> %u", e->name, e->old_priority, e->priority);
		break;
	case EVENT_VRRP_RX_LOWER_PRI:
		log_debug("%s: %s heard a lower priority advert; announcing again", e->name,
			  e->to_name);
		break;
	default:
		break;
	}
}

static void log_lvs(enum event_kind kind, const struct event_lvs *e)
{
	switch (kind) {
	case EVENT_RS_UP:
		log_info("%s service %s %s VS %s%s", e->inhibit ? "Enabling" : "Adding", e->rs_name,
			 e->inhibit ? "of" : "to", e->vs_name, e->init ? " (at start)" : "");
		break;
	case EVENT_RS_DOWN:
		log_info("%s service %s %s VS %s: %s",
			 e->stopping ? "Shutting down" : e->inhibit ? "Disabling" : "Removing",
			 e->rs_name, e->inhibit ? "of" : "from", e->vs_name, e->reason);
		break;
	case EVENT_RS_WEIGHT:
		log_info("Changing weight from %d to %d for %sactive service %s of VS %s",
			 e->old_weight, e->weight, e->alive ? "" : "in", e->rs_name, e->vs_name);
		break;
	case EVENT_QUORUM_UP:
		log_info("Gained quorum %u+%u=%ld <= %ld for VS %s", e->quorum, e->hysteresis,
			 e->threshold, e->live_weight, e->vs_name);
		break;
	case EVENT_QUORUM_DOWN:
		if (e->stopping)
			log_info("Shutting down VS %s (omega): quorum down", e->vs_name);
		else
			log_info("%s %u-%u=%ld > %ld for VS %s",
				 e->init ? "Starting with quorum down" : "Lost quorum", e->quorum,
				 e->hysteresis, e->threshold, e->live_weight, e->vs_name);
		break;
	case EVENT_SORRY_IN:
		log_info("%s sorry server %s to VS %s", e->inhibit ? "Enabling" : "Adding",
			 e->rs_name, e->vs_name);
		break;
	case EVENT_SORRY_OUT:
		log_info("%s sorry server %s from VS %s", e->inhibit ? "Disabling" : "Removing",
			 e->rs_name, e->vs_name);
		break;
	default:
		break;
	}
}

void event_log(const struct event *ev, void *data)
{
	(void)data;
	switch (ev->kind) {
	case EVENT_VRRP_STATE:
	case EVENT_VRRP_GROUP_STATE:
	case EVENT_VRRP_PRIORITY:
	case EVENT_VRRP_RX_LOWER_PRI:
		log_vrrp(ev->kind, &ev->vrrp);
		break;
	case EVENT_CHECKER_RESTART:
		log_warn("checker (pid %ld): %s; restarting it", (long)ev->checker.pid,
			 ev->checker.why);
		break;
	case EVENT_RELOAD:
	case EVENT__COUNT:
		break;
	default:
		log_lvs(ev->kind, &ev->lvs);
		break;
	}
}
