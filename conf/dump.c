/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON dump of a model, driven by the same descriptor tables that parsed
 * it, so a keyword cannot be parsed without also being shown.
 */
#include "lib/json.h"
#include "conf/schema.h"

#include <stdio.h>

#define FIELD(obj, kw, T) ((const T *)(const void *)((const char *)(obj) + (kw)->off))

static void dump_timer(struct json *j, uint64_t us)
{
	/* Seconds as a number, exact to the microsecond. */
	json_double(j, (double)us / 1e6);
}

static void dump_kw(struct json *j, const struct conf_kw *kw, const void *obj)
{
	char buf[CONF_ADDRSTRLEN];

	if (kw->dump) {
		json_key(j, kw->name);
		kw->dump(j, obj, kw);
		return;
	}
	switch (kw->type) {
	case CV_FLAG:
	case CV_SWITCH:
	case CV_BOOL:
		json_kbool(j, kw->name, *FIELD(obj, kw, bool));
		break;
	case CV_INT:
		json_kint(j, kw->name, *FIELD(obj, kw, int));
		break;
	case CV_UINT:
		json_kuint(j, kw->name, *FIELD(obj, kw, unsigned));
		break;
	case CV_TIMER:
		json_key(j, kw->name);
		dump_timer(j, *FIELD(obj, kw, uint64_t));
		break;
	case CV_STR:
	case CV_STR_REST:
	case CV_IFNAME:
		json_kstr(j, kw->name, *FIELD(obj, kw, char *));
		break;
	case CV_STRLIST: {
		const struct conf_strlist *sl = FIELD(obj, kw, struct conf_strlist);
		unsigned i;

		json_key(j, kw->name);
		json_arr_begin(j);
		for (i = 0; i < sl->n; i++)
			json_str(j, sl->v[i]);
		json_arr_end(j);
		break;
	}
	case CV_ENUM: {
		int v = *FIELD(obj, kw, int);
		int n = 0;

		while (kw->names[n])
			n++;
		json_kstr(j, kw->name, v >= 0 && v < n ? kw->names[v] : NULL);
		break;
	}
	case CV_ADDR: {
		const struct conf_addr *a = FIELD(obj, kw, struct conf_addr);

		json_kstr(j, kw->name, a->family ? conf_addr_str(a, buf) : NULL);
		break;
	}
	case CV_PREFIX: {
		const struct conf_prefix *p = FIELD(obj, kw, struct conf_prefix);

		json_kstr(j, kw->name, p->addr.family ? conf_prefix_str(p, buf) : NULL);
		break;
	}
	case CV_PORT:
		json_kuint(j, kw->name, *FIELD(obj, kw, uint16_t));
		break;
	case CV_MAC: {
		const uint8_t *m = FIELD(obj, kw, uint8_t);

		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			 m[4], m[5]);
		json_kstr(j, kw->name, buf);
		break;
	}
	case CV_BLOCK:
		json_key(j, kw->name);
		if (kw->sub->flags & CB_INLINE) {
			conf_schema_dump(j, kw->sub, (const char *)obj + kw->off);
			break;
		}
		/* Not inline: a list of objects, as for CV_LIST. */
		__attribute__((fallthrough));
	case CV_LIST: {
		const struct conf_list *l = FIELD(obj, kw, struct conf_list);
		const struct conf_item *it;

		if (kw->type == CV_LIST)
			json_key(j, kw->name);
		json_arr_begin(j);
		for (it = l->head; it; it = it->next)
			conf_schema_dump(j, kw->sub, it);
		json_arr_end(j);
		break;
	}
	default:
		break;
	}
}

void conf_schema_dump(struct json *j, const struct conf_block *blk, const void *obj)
{
	const struct conf_kw *tables[2] = { blk->kws, blk->kws2 };
	unsigned t;

	json_obj_begin(j);
	if ((blk->flags & CB_NAMED) && !(blk->flags & CB_INLINE)) {
		const struct conf_item *it = obj;

		json_kstr(j, "name", it->name);
	}
	for (t = 0; t < 2; t++) {
		const struct conf_kw *k;

		if (!tables[t])
			continue;
		for (k = tables[t]; k->name; k++) {
			if (k->flags & KW_ALIAS)
				continue;
			if (k->type == CV_UNSUPPORTED || k->type == CV_OBSOLETE)
				continue;
			if (k->type == CV_CUSTOM && !k->dump)
				continue;
			dump_kw(j, k, obj);
		}
	}
	json_obj_end(j);
}
