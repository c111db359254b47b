/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The event stream (event.h). */
#include "config.h"

#include "lib/event.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

const char *const event_kind_names[EVENT__COUNT] = {
	[EVENT_VRRP_STATE] = "vrrp_state",
	[EVENT_VRRP_GROUP_STATE] = "vrrp_group_state",
	[EVENT_VRRP_RX_LOWER_PRI] = "vrrp_rx_lower_pri",
	[EVENT_VRRP_PRIORITY] = "vrrp_priority",
	[EVENT_RS_UP] = "rs_up",
	[EVENT_RS_DOWN] = "rs_down",
	[EVENT_RS_WEIGHT] = "rs_weight",
	[EVENT_QUORUM_UP] = "quorum_up",
	[EVENT_QUORUM_DOWN] = "quorum_down",
	[EVENT_SORRY_IN] = "sorry_in",
	[EVENT_SORRY_OUT] = "sorry_out",
	[EVENT_CHECKER_RESTART] = "checker_restart",
	[EVENT_RELOAD] = "reload",
};

struct event_sub {
	int id;
	uint32_t kinds; /* 0: unsubscribed; the slot goes at the next compaction */
	event_fn fn;
	void *data;
};

struct event_bus {
	struct event_sub *subs;
	unsigned n, cap;
	int next_id;
	unsigned depth; /* deliveries in progress: no compaction meanwhile */
	uint64_t count[EVENT__COUNT];
};

struct event_bus *event_bus_new(void)
{
	return calloc(1, sizeof(struct event_bus));
}

void event_bus_free(struct event_bus *b)
{
	if (!b)
		return;
	free(b->subs);
	free(b);
}

/* Drops unsubscribed slots, keeping the order of the others, so that a
 * subscriber that comes and goes at every reload costs nothing in the end. */
static void compact(struct event_bus *b)
{
	unsigned w = 0;

	for (unsigned i = 0; i < b->n; i++)
		if (b->subs[i].kinds)
			b->subs[w++] = b->subs[i];
	b->n = w;
}

int event_subscribe(struct event_bus *b, uint32_t kinds, event_fn fn, void *data)
{
	struct event_sub *grown;

	if (!b || !fn || !(kinds & EVENT_ALL) || b->next_id == INT32_MAX)
		return -EINVAL;
	if (!b->depth)
		compact(b);
	if (b->n == b->cap) {
		unsigned cap = b->cap ? b->cap * 2 : 8;

		grown = realloc(b->subs, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		b->subs = grown;
		b->cap = cap;
	}
	b->subs[b->n++] = (struct event_sub){
		.id = b->next_id, .kinds = kinds & EVENT_ALL, .fn = fn, .data = data
	};
	return b->next_id++;
}

void event_unsubscribe(struct event_bus *b, int id)
{
	if (!b || id < 0)
		return;
	for (unsigned i = 0; i < b->n; i++)
		if (b->subs[i].id == id)
			b->subs[i].kinds = 0;
}

void event_publish(struct event_bus *b, const struct event *ev)
{
	unsigned n;
	uint32_t bit;

	if (!b || !ev || (unsigned)ev->kind >= EVENT__COUNT)
		return;
	bit = EVENT_BIT(ev->kind);
	b->count[ev->kind]++;
	/* Those registered now see it; one added during the delivery sees the
	 * next event. The array may move under us: index, never pointer. */
	n = b->n;
	b->depth++;
	for (unsigned i = 0; i < n; i++)
		if (b->subs[i].kinds & bit)
			b->subs[i].fn(ev, b->subs[i].data);
	b->depth--;
}

uint64_t event_count(const struct event_bus *b, enum event_kind k)
{
	return b && (unsigned)k < EVENT__COUNT ? b->count[k] : 0;
}
