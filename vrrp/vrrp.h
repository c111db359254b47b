/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP subsystem as the daemon sees it: start from a model, apply a new
 * model on reload (instances whose configuration did not change keep
 * running untouched), stop (priority 0 from masters, VIPs released), and
 * report status.
 */
#ifndef VIGIL_VRRP_VRRP_H
#define VIGIL_VRRP_VRRP_H

#include <uv.h>

#include "conf/model.h"

struct event_bus;
struct json;
struct vrrp;

/*
 * 0 or -errno (logged). A model with no vrrp_instance starts nothing.
 * Instance and sync-group transitions, priority changes and lower-priority
 * adverts heard by a master are published on bus (lib/event.h); the
 * notify scripts and FIFOs of the model subscribe to it while they are
 * open.
 */
int vrrp_start(uv_loop_t *loop, const struct conf_model *m, struct event_bus *bus,
	       struct vrrp **out);
/* The running model is about to be replaced by new_model (valid). */
void vrrp_reload(struct vrrp *v, const struct conf_model *new_model);
/* Shuts every instance down (priority 0 adverts, VIPs removed, notify
 * STOP) and closes every handle; done() runs when it is finished. */
void vrrp_stop(struct vrrp *v, void (*done)(void *data), void *data);
void vrrp_free(struct vrrp *v);

/*
 * How long after start the instances wait, in us: vrrp_startup_delay, or
 * what is left of vrrp_delay_after_boot at uptime_us (CLOCK_BOOTTIME),
 * whichever is longer (keepalived 2.4.0 takes the longer too).
 */
static inline uint64_t vrrp_start_delay_us(uint64_t startup_delay, uint64_t after_boot,
					   uint64_t uptime_us)
{
	uint64_t left = after_boot > uptime_us ? after_boot - uptime_us : 0;

	return left > startup_delay ? left : startup_delay;
}

/* The current state of the instance called name, or -ENOENT. */
int vrrp_instance_state(const struct vrrp *v, const char *name);

/* The "vrrp" key of `vigilctl status`. */
void vrrp_status_json(struct json *j, void *v);

#endif
