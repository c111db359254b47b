/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flat probe list: one entry per checker block, identical checkers of
 * one real server address merged. Pure: model in, list out.
 *
 * Merging works on a key, a canonical text of everything that defines what
 * a probe does: its kind, the real server's address, the effective target,
 * every setting of the checker block (timing, binding, URLs, SMTP hosts,
 * payloads, scripts, files) and the effective virtualhost. Strings are
 * written length-prefixed ("5:hello", "-" for none) so no text can fake a
 * field boundary.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/probe.h"

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 256;

		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static void sb_str(struct sbuf *b, const char *tag, const char *s)
{
	if (!s)
		sb_add(b, " %s=-", tag);
	else
		sb_add(b, " %s=%zu:%s", tag, strlen(s), s);
}

static void sb_addr(struct sbuf *b, const char *tag, const struct conf_addr *a)
{
	char t[INET6_ADDRSTRLEN];

	if (!a->family || !inet_ntop(a->family, &a->u, t, sizeof(t)))
		sb_add(b, " %s=-", tag);
	else
		sb_add(b, " %s=%s", tag, t);
}

static void sb_hex(struct sbuf *b, const char *tag, const uint8_t *p, size_t n)
{
	sb_add(b, " %s=%zu:", tag, n);
	for (size_t i = 0; p && i < n; i++)
		sb_add(b, "%02x", p[i]);
}

static const char *effective_vhost(const struct conf_check *c, const struct conf_rs *rs,
				   const struct conf_vs *vs)
{
	if (c->virtualhost)
		return c->virtualhost;
	if (rs->virtualhost)
		return rs->virtualhost;
	return vs->virtualhost;
}

/* The connection and timing settings of a checker (and of an SMTP host). */
static void key_conn(struct sbuf *b, const struct conf_check *c)
{
	sb_addr(b, "ip", &c->connect_ip);
	/* PING_CHECK has no port, whatever it inherited */
	sb_add(b, " port=%u", c->kind == CONF_CHECK_PING ? 0 : c->connect_port);
	sb_addr(b, "bindto", &c->bindto);
	sb_add(b, " bport=%u", c->bind_port);
	sb_str(b, "bif", c->bind_if);
	sb_add(b, " mark=%u ct=%llu", (unsigned)c->fwmark, (unsigned long long)c->connect_timeout);
}

static void key_timing(struct sbuf *b, const struct conf_check *c)
{
	sb_add(b, " retry=%u dbr=%llu warm=%llu dl=%llu alpha=%d laf=%d", c->retry,
	       (unsigned long long)c->delay_before_retry, (unsigned long long)c->warmup,
	       (unsigned long long)c->delay_loop, c->alpha, c->log_all_failures);
}

static void key_url(struct sbuf *b, const struct conf_http_url *u)
{
	sb_str(b, "url", u->path);
	sb_hex(b, "digest", u->has_digest ? u->digest : NULL, u->has_digest ? 16 : 0);
	sb_add(b, " status=%d:", u->status.set);
	for (size_t i = 0; i < sizeof(u->status.bits) / sizeof(u->status.bits[0]); i++)
		sb_add(b, "%016llx", (unsigned long long)u->status.bits[i]);
	sb_str(b, "uvh", u->virtualhost);
	sb_str(b, "re", u->regex);
	sb_add(b, " nomatch=%d reopts=%u", u->regex_no_match, u->regex_options.n);
	for (unsigned i = 0; i < u->regex_options.n; i++)
		sb_str(b, "o", u->regex_options.v[i]);
	sb_add(b, " stack=%u,%u off=%u,%u tlsc=%d", u->regex_stack_start, u->regex_stack_max,
	       u->regex_min_offset, u->regex_max_offset, u->tls_compliant);
}

static char *make_key(const struct conf_model *m, const struct conf_check *c,
		      const struct conf_rs *rs, const struct conf_vs *vs)
{
	struct sbuf b = { 0 };

	sb_add(&b, "%s", conf_check_kind_names[c->kind]);
	sb_addr(&b, "rs", &rs->addr);
	key_conn(&b, c);
	key_timing(&b, c);
	switch (c->kind) {
	case CONF_CHECK_HTTP:
	case CONF_CHECK_SSL:
		sb_add(&b, " proto=%d fr=%d sni=%d tlsc=%d", c->http_protocol, c->fast_recovery,
		       c->enable_sni, c->tls_compliant);
		sb_str(&b, "vh", effective_vhost(c, rs, vs));
		sb_add(&b, " urls=%u", c->urls.count);
		conf_list_for_each (const struct conf_http_url, u, &c->urls)
			key_url(&b, u);
		break;
	case CONF_CHECK_SMTP:
		sb_str(&b, "helo", c->helo_name);
		sb_str(&b, "ghelo", m->global.smtp_helo_name);
		sb_add(&b, " hosts=%u", c->hosts.count);
		conf_list_for_each (const struct conf_check, h, &c->hosts) {
			sb_add(&b, " [");
			key_conn(&b, h);
			key_timing(&b, h);
			sb_add(&b, " ]");
		}
		break;
	case CONF_CHECK_DNS:
		sb_add(&b, " type=%d", c->dns_type);
		sb_str(&b, "name", c->dns_name);
		break;
	case CONF_CHECK_MISC:
		sb_str(&b, "path", c->misc_path);
		sb_add(&b, " mt=%llu dyn=%d", (unsigned long long)c->misc_timeout, c->misc_dynamic);
		sb_str(&b, "user", c->user);
		sb_str(&b, "group", c->group);
		break;
	case CONF_CHECK_UDP:
		sb_hex(&b, "payload", c->payload.data, c->payload.len);
		sb_hex(&b, "pmask", c->payload.mask, c->payload.mask ? c->payload.len : 0);
		sb_add(&b, " rr=%d", c->require_reply);
		sb_hex(&b, "reply", c->reply.data, c->reply.len);
		sb_hex(&b, "rmask", c->reply.mask, c->reply.mask ? c->reply.len : 0);
		sb_add(&b, " rlen=%u,%u", c->min_reply_length, c->max_reply_length);
		break;
	case CONF_CHECK_FILE:
		sb_str(&b, "file", c->track_file);
		/* what the track_file block of that name says, and the real
		 * server's weight the result is computed from */
		conf_list_for_each (const struct conf_track_file, tf, &m->vrrp.track_files)
			if (c->track_file && tf->hdr.name && !strcmp(tf->hdr.name, c->track_file)) {
				sb_str(&b, "path", tf->file);
				sb_add(&b, " tfw=%d tfrev=%d", tf->weight, tf->reverse);
			}
		sb_add(&b, " rsw=%u", rs->weight);
		sb_add(&b, " dyn=%d fw=%lld rev=%d", c->dynamic, c->file_weight,
		       c->file_weight_reverse);
		break;
	default:
		break;
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* One checker block before merging. */
struct entry {
	char *key;
	unsigned pos;
	unsigned leader; /* pos of the first entry with the same key */
	struct check_user user;
};

/* The list's memory: the sorted index sits in front of the probes. */
struct list_mem {
	unsigned *index; /* probe indexes by key */
	struct check_probe v[];
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void fill_probe(struct check_probe *p, const struct entry *e)
{
	const struct conf_check *c = e->user.cfg;

	p->kind = c->kind;
	p->cfg = c;
	p->vs = e->user.vsp;
	p->rs = e->user.rsp;
	p->addr = c->connect_ip.family ? c->connect_ip : e->user.rsp->addr;
	p->port = (c->kind == CONF_CHECK_MISC || c->kind == CONF_CHECK_FILE ||
		   c->kind == CONF_CHECK_PING)
			  ? 0
			  : (uint16_t)c->connect_port;
	p->virtualhost = (c->kind == CONF_CHECK_HTTP || c->kind == CONF_CHECK_SSL)
				 ? effective_vhost(c, e->user.rsp, e->user.vsp)
				 : NULL;
	p->delay_loop = c->delay_loop;
	p->delay_before_retry = c->delay_before_retry;
	p->warmup = c->warmup;
	p->connect_timeout = c->connect_timeout;
	p->retry = c->retry;
	p->alpha = c->alpha > 0;
}

static void free_entries(struct entry *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

static int collect(const struct conf_model *m, struct entry **out, unsigned *n_out)
{
	struct entry *v = NULL;
	unsigned n = 0, cap = 0, vsi = 0;

	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		unsigned rsi = 0;

		conf_list_for_each (const struct conf_rs, rs, &vs->real_servers) {
			const struct conf_list *lists[] = {
				&rs->tcp_checks,  &rs->http_checks, &rs->ssl_checks,
				&rs->smtp_checks, &rs->dns_checks,  &rs->misc_checks,
				&rs->udp_checks,  &rs->ping_checks, &rs->file_checks,
			};

			for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
				conf_list_for_each (const struct conf_check, c, lists[k]) {
					if (n == cap) {
						unsigned nc = cap ? cap * 2 : 16;
						struct entry *nv = realloc(v, nc * sizeof(*v));

						if (!nv)
							goto oom;
						v = nv;
						cap = nc;
					}
					v[n] = (struct entry){
						.pos = n,
						.user = { .vs = vsi,
							  .rs = rsi,
							  .vsp = vs,
							  .rsp = rs,
							  .cfg = c },
					};
					v[n].key = make_key(m, c, rs, vs);
					if (!v[n].key)
						goto oom;
					n++;
				}
			rsi++;
		}
		vsi++;
	}
	*out = v;
	*n_out = n;
	return 0;
oom:
	free_entries(v, n);
	return -ENOMEM;
}

int check_list_build(const struct conf_model *m, struct check_list *out)
{
	struct entry *ent = NULL, **by_key = NULL;
	struct list_mem *mem = NULL;
	unsigned n = 0, n_probes = 0, *probe_of = NULL;
	int rc;

	*out = (struct check_list){ .m = m };
	rc = collect(m, &ent, &n);
	if (rc)
		return rc;
	if (!n)
		return 0;
	by_key = calloc(n, sizeof(*by_key));
	probe_of = calloc(n, sizeof(*probe_of));
	if (!by_key || !probe_of)
		goto oom;
	for (unsigned i = 0; i < n; i++)
		by_key[i] = &ent[i];
	qsort(by_key, n, sizeof(*by_key), cmp_entry);
	for (unsigned i = 0; i < n; i++)
		by_key[i]->leader = (i && !strcmp(by_key[i - 1]->key, by_key[i]->key))
					    ? by_key[i - 1]->leader
					    : by_key[i]->pos;
	for (unsigned i = 0; i < n; i++)
		if (ent[i].leader == i)
			probe_of[i] = n_probes++;

	mem = calloc(1, sizeof(*mem) + n_probes * sizeof(mem->v[0]));
	if (!mem)
		goto oom;
	mem->index = calloc(n_probes, sizeof(*mem->index));
	if (!mem->index)
		goto oom;
	for (unsigned i = 0; i < n; i++) {
		struct check_probe *p = &mem->v[probe_of[ent[i].leader]];

		if (ent[i].leader == i) {
			fill_probe(p, &ent[i]);
			p->key = ent[i].key;
			ent[i].key = NULL;
		}
		p->n_users++;
	}
	for (unsigned i = 0; i < n_probes; i++) {
		mem->v[i].users = calloc(mem->v[i].n_users, sizeof(*mem->v[i].users));
		if (!mem->v[i].users)
			goto oom_list;
		mem->v[i].n_users = 0;
	}
	for (unsigned i = 0; i < n; i++) {
		struct check_probe *p = &mem->v[probe_of[ent[i].leader]];

		p->users[p->n_users++] = ent[i].user;
	}
	/* by_key is in key order already: its leaders are the index. */
	for (unsigned i = 0, k = 0; i < n; i++)
		if (by_key[i]->leader == by_key[i]->pos)
			mem->index[k++] = probe_of[by_key[i]->pos];

	out->v = mem->v;
	out->n = n_probes;
	out->m = m;
	free(by_key);
	free(probe_of);
	free_entries(ent, n);
	return 0;
oom_list:
	out->v = mem->v;
	out->n = n_probes;
	out->m = m;
	check_list_free(out);
	mem = NULL;
oom:
	if (mem)
		free(mem->index);
	free(mem);
	free(by_key);
	free(probe_of);
	free_entries(ent, n);
	return -ENOMEM;
}

static struct list_mem *mem_of(const struct check_list *l)
{
	return (struct list_mem *)(void *)((char *)l->v - offsetof(struct list_mem, v));
}

void check_list_free(struct check_list *l)
{
	if (!l->v) {
		l->n = 0;
		return;
	}
	struct list_mem *mem = mem_of(l);

	for (unsigned i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].users);
	}
	free(mem->index);
	free(mem);
	l->v = NULL;
	l->n = 0;
}

int check_list_find(const struct check_list *l, const char *key)
{
	const unsigned *index;
	unsigned lo = 0, hi = l->n;

	if (!l->v || !key)
		return -1;
	index = mem_of(l)->index;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int c = strcmp(l->v[index[mid]].key, key);

		if (!c)
			return (int)index[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
