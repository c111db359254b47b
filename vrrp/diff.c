/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reload diff (diff.h): configurations compared through their JSON
 * dump, so a field added to the schema is compared without a change here.
 * copy_updatable() is the list of what an instance can change without a
 * restart. Pure: no sockets, no clocks, no globals.
 */
#include "config.h"

#include "vrrp/diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

static char *dump_item(const struct conf_block *blk, const void *item)
{
	struct json j;
	char *s;

	json_init(&j, false);
	conf_schema_dump(&j, blk, item);
	s = json_take(&j, NULL);
	json_free(&j);
	return s;
}

static char *dump_instance(const struct conf_vrrp_instance *vi)
{
	return dump_item(&conf_block_vrrp_instance, vi);
}

/* Copies onto a the fields that can change without a restart. */
static void copy_updatable(struct conf_vrrp_instance *a, const struct conf_vrrp_instance *b)
{
	a->state = b->state;
	if ((a->priority == 255) == (b->priority == 255))
		a->priority = b->priority;
	a->advert_int = b->advert_int;
	a->nopreempt = b->nopreempt;
	a->preempt_delay = b->preempt_delay;
	a->track_interfaces = b->track_interfaces;
	a->track_scripts = b->track_scripts;
	a->track_files = b->track_files;
	a->track_processes = b->track_processes;
	a->dont_track_primary = b->dont_track_primary;
	a->notify_master = b->notify_master;
	a->notify_backup = b->notify_backup;
	a->notify_fault = b->notify_fault;
	a->notify_stop = b->notify_stop;
	a->notify = b->notify;
	a->notify_master_rx_lower_pri = b->notify_master_rx_lower_pri;
	a->notify_priority_changes = b->notify_priority_changes;
	a->smtp_alert = b->smtp_alert;
	a->garp_master_delay = b->garp_master_delay;
	a->garp_master_repeat = b->garp_master_repeat;
	a->garp_lower_prio_delay = b->garp_lower_prio_delay;
	a->garp_lower_prio_repeat = b->garp_lower_prio_repeat;
	a->garp_master_refresh = b->garp_master_refresh;
	a->garp_master_refresh_repeat = b->garp_master_refresh_repeat;
	a->garp_extra_if = b->garp_extra_if;
	a->garp_extra_if_all = b->garp_extra_if_all;
	a->down_timer_adverts = b->down_timer_adverts;
	a->lower_prio_no_advert = b->lower_prio_no_advert;
	a->higher_prio_send_advert = b->higher_prio_send_advert;
	a->debug = b->debug;
	a->sync_group = b->sync_group;
	/* Addresses, routes and rules are changed on the system in place. */
	a->vips = b->vips;
	a->evips = b->evips;
	a->vroutes = b->vroutes;
	a->vrules = b->vrules;
	a->skip_check_adv_addr = b->skip_check_adv_addr;
	a->check_unicast_src = b->check_unicast_src;
	a->track_src_ip = b->track_src_ip;
	a->unicast_fault_no_peer = b->unicast_fault_no_peer;
}

int vrrp_list_match(const struct conf_block *blk, const struct conf_list *a,
		    const struct conf_list *b, int *out)
{
	char **db = calloc(b->count ? b->count : 1, sizeof(*db));
	unsigned i = 0, k;

	conf_list_for_each (const struct conf_item, it, b)
		if (db)
			db[i++] = dump_item(blk, it);
	i = 0;
	conf_list_for_each (const struct conf_item, it, a) {
		char *d = db ? dump_item(blk, it) : NULL;

		/* Without memory, nothing matches: safe, only slower. */
		out[i] = -1;
		for (k = 0; d && k < b->count && out[i] < 0; k++)
			if (db[k] && !strcmp(db[k], d))
				out[i] = (int)k;
		free(d);
		i++;
	}
	for (k = 0; db && k < b->count; k++)
		free(db[k]);
	free(db);
	return db ? 0 : -ENOMEM;
}

unsigned vrrp_list_diff(const struct conf_block *blk, const struct conf_list *a,
			const struct conf_list *b, bool *out)
{
	int *m = calloc(a->count ? a->count : 1, sizeof(*m));
	unsigned i, n = 0;

	if (m)
		vrrp_list_match(blk, a, b, m);
	for (i = 0; i < a->count; i++) {
		out[i] = !m || m[i] < 0;
		n += out[i];
	}
	free(m);
	return n;
}

enum vrrp_cfg_diff vrrp_cfg_compare(const struct conf_vrrp_instance *a,
				    const struct conf_vrrp_instance *b)
{
	struct conf_vrrp_instance ca = *a;
	char *da, *db;
	enum vrrp_cfg_diff r;
	bool same;

	/* Everything the dump shows, plus the fields it does not. */
	da = dump_instance(a);
	db = dump_instance(b);
	same = da && db && !strcmp(da, db) && a->family == b->family;
	if (same && ((a->sync_group == NULL) != (b->sync_group == NULL) ||
		     (a->sync_group && strcmp(a->sync_group->hdr.name, b->sync_group->hdr.name))))
		same = false;
	free(da);
	free(db);
	if (same)
		return VRRP_CFG_SAME;
	/* Would it be the same with only the updatable fields changed? */
	copy_updatable(&ca, b);
	da = dump_instance(&ca);
	db = dump_instance(b);
	r = da && db && !strcmp(da, db) && a->family == b->family ? VRRP_CFG_UPDATE
								  : VRRP_CFG_RESTART;
	free(da);
	free(db);
	return r;
}

enum vrrp_cfg_diff vrrp_model_diff(const struct conf_model *a, const struct conf_model *b,
				   const char *name)
{
	const struct conf_vrrp_instance *ia = conf_list_find(&a->vrrp.instances, name);
	const struct conf_vrrp_instance *ib = conf_list_find(&b->vrrp.instances, name);

	if (!ia && !ib)
		return VRRP_CFG_SAME;
	if (!ia)
		return VRRP_CFG_ADDED;
	if (!ib)
		return VRRP_CFG_REMOVED;
	return vrrp_cfg_compare(ia, ib);
}

const struct conf_vip **vrrp_vip_array(const struct conf_vrrp_instance *c, unsigned *n)
{
	const struct conf_list *lists[2] = { &c->vips, &c->evips };
	const struct conf_vip **a = calloc(c->vips.count + c->evips.count + 1, sizeof(*a));

	*n = 0;
	if (!a)
		return NULL;
	for (unsigned i = 0; i < 2; i++)
		conf_list_for_each (const struct conf_vip, vip, lists[i])
			a[(*n)++] = vip;
	return a;
}

/* Both VIP lists as one conf_list view is not possible (items are linked
 * once), so the diff runs on each list against both lists of the other. */
void vrrp_vips_diff(const struct conf_vrrp_instance *a, const struct conf_vrrp_instance *b,
		    bool *out)
{
	unsigned na = a->vips.count + a->evips.count, nb, i, k;
	const struct conf_vip **va = vrrp_vip_array(a, &na), **vb = vrrp_vip_array(b, &nb);
	char **db = calloc(nb + 1, sizeof(*db));

	for (k = 0; db && vb && k < nb; k++)
		db[k] = dump_item(&conf_block_vip_list, vb[k]);
	for (i = 0; i < na; i++) {
		char *d = va && db ? dump_item(&conf_block_vip_list, va[i]) : NULL;

		out[i] = true;
		for (k = 0; d && k < nb; k++)
			if (db[k] && !strcmp(db[k], d))
				out[i] = false;
		free(d);
	}
	for (k = 0; db && k < nb; k++)
		free(db[k]);
	free(db);
	free(va);
	free(vb);
}
