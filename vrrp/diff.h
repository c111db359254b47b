/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reload diff of the VRRP runtime, pure: how an instance fares from
 * one model to the next (unchanged, updated in place, restarted, added,
 * removed), and which VIPs, virtual routes and rules of an updated
 * instance went away or are new. Configurations are compared through
 * their dump (conf_schema_dump), so every field the language can set
 * counts. No sockets, no clocks, no globals.
 */
#ifndef VIGIL_VRRP_DIFF_H
#define VIGIL_VRRP_DIFF_H

#include <stdbool.h>

#include "conf/model.h"

enum vrrp_cfg_diff {
	VRRP_CFG_SAME = 0, /* keep running untouched */
	VRRP_CFG_UPDATE,   /* priority, advert_int, tracking, notify, VIPs / eVIPs /
			    * virtual routes and rules: update in place */
	VRRP_CFG_RESTART,  /* interface, vrid, family, peers...: shut down and start again */
	VRRP_CFG_ADDED,	   /* only in the new model */
	VRRP_CFG_REMOVED,  /* only in the old model */
};

enum vrrp_cfg_diff vrrp_cfg_compare(const struct conf_vrrp_instance *a,
				    const struct conf_vrrp_instance *b);
/* How the instance called name fares from model a to model b. */
enum vrrp_cfg_diff vrrp_model_diff(const struct conf_model *a, const struct conf_model *b,
				   const char *name);

/* The keys of the VIP lists of an instance that differ from a to b: out
 * gets 1 for each entry of a (removed) not in b. Entries compare by their
 * whole configuration. Returns the number marked. */
/* For each entry of a: the index in b of an entry of the same configuration,
 * or -1 (all -1 without memory, and -ENOMEM is returned; else 0). */
int vrrp_list_match(const struct conf_block *blk, const struct conf_list *a,
		    const struct conf_list *b, int *out);
unsigned vrrp_list_diff(const struct conf_block *blk, const struct conf_list *a,
			const struct conf_list *b, bool *out);

/* The VIPs of both lists of c (virtual_ipaddress, then
 * virtual_ipaddress_excluded) as one array; *n gets their number. NULL
 * without memory. The caller frees the array. */
const struct conf_vip **vrrp_vip_array(const struct conf_vrrp_instance *c, unsigned *n);
/* For each VIP of a (vrrp_vip_array order): out gets true when b has no
 * VIP of the same configuration in either list. Without memory, every
 * entry counts as changed. */
void vrrp_vips_diff(const struct conf_vrrp_instance *a, const struct conf_vrrp_instance *b,
		    bool *out);

#endif
