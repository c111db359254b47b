/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "conf/conf.h"

#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "conf/tree.h"

static int finish_load(struct conf_ctx *ctx, struct conf_stmt *tree, struct conf_load *out)
{
	struct conf_model *m = arena_alloc(ctx->arena, sizeof(*m));

	conf_schema_init(&conf_block_top, m);
	ctx->model = m;
	conf_schema_apply(ctx, &conf_block_top, tree, m);
	/* Cross-block checks run even after errors, so one run reports
	 * everything; the validators cope with half-filled objects. */
	conf_validate_vrrp(ctx, m);
	conf_validate_lvs(ctx, m);
	if (ctx->n_dropped) {
		ctx->n_dropped = 0;
		conf_error(ctx, NULL, "too many errors; only the first %u are shown",
			   CONF_MAX_ERRORS);
	}
	out->arena = ctx->arena;
	out->msgs = ctx->msgs;
	out->n_errors = ctx->n_errors;
	out->n_warnings = ctx->n_warnings;
	out->model = ctx->n_errors ? NULL : m;
	return ctx->n_errors ? -1 : 0;
}

static void start(struct conf_ctx *ctx, const struct conf_options *opt, struct conf_load *out)
{
	memset(out, 0, sizeof(*out));
	conf_ctx_init(ctx, arena_new());
	if (opt) {
		ctx->config_id = opt->config_id ? arena_strdup(ctx->arena, opt->config_id)
						: NULL;
		ctx->flags = opt->flags;
	}
}

int conf_load_file(const char *path, const struct conf_options *opt, struct conf_load *out)
{
	struct conf_ctx ctx;
	struct conf_stmt *tree;

	start(&ctx, opt, out);
	tree = conf_tree_parse_file(&ctx, path);
	return finish_load(&ctx, tree, out);
}

int conf_load_string(const char *name, const char *text, unsigned long len,
		     const struct conf_options *opt, struct conf_load *out)
{
	struct conf_ctx ctx;
	struct conf_stmt *tree;

	start(&ctx, opt, out);
	tree = conf_tree_parse_string(&ctx, name, text, len);
	return finish_load(&ctx, tree, out);
}

void conf_load_free(struct conf_load *l)
{
	arena_free(l->arena);
	memset(l, 0, sizeof(*l));
}

void conf_msgs_print(FILE *f, const struct conf_msg *msgs)
{
	const struct conf_msg *m;

	for (m = msgs; m; m = m->next) {
		const char *sev = m->is_error ? "error" : "warning";

		if (m->loc.file && m->loc.file[0] && m->loc.line)
			fprintf(f, "%s:%u: %s: %s\n", m->loc.file, m->loc.line, sev, m->text);
		else if (m->loc.file && m->loc.file[0])
			fprintf(f, "%s: %s: %s\n", m->loc.file, sev, m->text);
		else
			fprintf(f, "%s: %s\n", sev, m->text);
	}
}

void conf_dump_json(const struct conf_model *m, struct json *j)
{
	conf_schema_dump(j, &conf_block_top, m);
}

/* ---- summary: objects counted per block kind, in schema order ---- */

struct tally {
	const char *name[64];
	unsigned count[64];
	unsigned n;
};

static void tally_add(struct tally *t, const char *name)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (t->name[i] == name || !strcmp(t->name[i], name)) {
			t->count[i]++;
			return;
		}
	if (t->n < 64) {
		t->name[t->n] = name;
		t->count[t->n++] = 1;
	}
}

static void tally_obj(struct tally *t, const struct conf_block *blk, const void *obj,
		      unsigned depth)
{
	const struct conf_kw *tables[2] = { blk->kws, blk->kws2 };
	unsigned i;

	/* Top-level blocks, their children and checkers: deeper blocks (url,
	 * host) are parts of a checker, not objects an operator counts. */
	if (depth > 2)
		return;
	for (i = 0; i < 2; i++) {
		const struct conf_kw *k;

		if (!tables[i])
			continue;
		for (k = tables[i]; k->name; k++) {
			const void *field = (const char *)obj + k->off;

			if (k->type != CV_BLOCK || (k->flags & KW_ALIAS) || !k->sub)
				continue;
			if (k->sub->flags & CB_INLINE) {
				tally_obj(t, k->sub, field, depth + 1);
				continue;
			}
			for (const struct conf_item *it = ((const struct conf_list *)field)->head;
			     it; it = it->next) {
				tally_add(t, k->sub->name);
				tally_obj(t, k->sub, it, depth + 1);
			}
		}
	}
}

void conf_summary(const struct conf_model *m, char *buf, size_t len)
{
	struct tally t = { .n = 0 };
	size_t off = 0;
	unsigned i;

	tally_obj(&t, &conf_block_top, m, 0);
	buf[0] = '\0';
	if (t.n == 0) {
		snprintf(buf, len, "no instances or servers defined");
		return;
	}
	for (i = 0; i < t.n && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s=%u", i ? " " : "", t.name[i],
				 t.count[i]);

		if (w < 0)
			break;
		off += (size_t)w;
	}
}
