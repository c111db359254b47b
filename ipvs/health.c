/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real-server and virtual-server health (health.h). The core is pure:
 * everything is derived from the probe states the caller hands in; the
 * notifier at the end runs the scripts and writes the FIFO.
 */
#include "config.h"

#include "ipvs/health.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <uv.h>

#include "conf/json.h"
#include "daemon/log.h"
#include "daemon/spawn.h"

/* ---- events ---- */

static struct ipvs_health_event *ev_push(struct ipvs_health_events *ev,
					 enum ipvs_health_ev_kind kind, unsigned vs)
{
	struct ipvs_health_event *e;

	if (!ev)
		return NULL;
	if (ev->n == ev->cap) {
		unsigned cap = ev->cap ? ev->cap * 2 : 16;
		struct ipvs_health_event *v;

		if (cap < ev->cap || cap > UINT_MAX / sizeof(*v) ||
		    !(v = realloc(ev->v, cap * sizeof(*v)))) {
			ev->dropped++;
			return NULL;
		}
		ev->v = v;
		ev->cap = cap;
	}
	e = &ev->v[ev->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->vs = vs;
	return e;
}

void ipvs_health_events_reset(struct ipvs_health_events *ev)
{
	if (ev) {
		ev->n = 0;
		ev->dropped = 0;
	}
}

void ipvs_health_events_free(struct ipvs_health_events *ev)
{
	if (!ev)
		return;
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

/* ---- build ---- */

void ipvs_health_free(struct ipvs_health *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < h->n_rs; i++)
		free(h->rs[i].probes);
	free(h->rs);
	free(h->vs);
	free(h->probe_rs_first);
	free(h->probe_rs);
	free(h);
}

static int build_probe_index(struct ipvs_health *h, const struct check_list *l)
{
	unsigned total = 0, *fill;

	h->n_probes = l ? l->n : 0;
	h->probe_rs_first = calloc((size_t)h->n_probes + 1, sizeof(unsigned));
	if (!h->probe_rs_first)
		return -ENOMEM;
	/* count users per rs and per probe */
	for (unsigned p = 0; p < h->n_probes; p++) {
		const struct check_probe *pr = &l->v[p];

		for (unsigned u = 0; u < pr->n_users; u++) {
			const struct check_user *us = &pr->users[u];

			if (us->vs >= h->n_vs || us->rs >= h->vs[us->vs].n_rs)
				continue;
			h->rs[h->vs[us->vs].rs_first + us->rs].n_probes++;
			total++;
		}
		h->probe_rs_first[p + 1] = total;
	}
	h->probe_rs = calloc(total ? total : 1, sizeof(unsigned));
	fill = calloc(h->n_rs ? h->n_rs : 1, sizeof(unsigned));
	if (!h->probe_rs || !fill) {
		free(fill);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < h->n_rs; i++) {
		if (!h->rs[i].n_probes)
			continue;
		h->rs[i].probes = calloc(h->rs[i].n_probes, sizeof(unsigned));
		if (!h->rs[i].probes) {
			free(fill);
			return -ENOMEM;
		}
	}
	total = 0;
	for (unsigned p = 0; p < h->n_probes; p++) {
		const struct check_probe *pr = &l->v[p];

		for (unsigned u = 0; u < pr->n_users; u++) {
			const struct check_user *us = &pr->users[u];
			unsigned r;

			if (us->vs >= h->n_vs || us->rs >= h->vs[us->vs].n_rs)
				continue;
			r = h->vs[us->vs].rs_first + us->rs;
			h->probe_rs[total++] = r;
			/* a probe listed twice for one rs counts once */
			bool dup = false;

			for (unsigned k = 0; k < fill[r]; k++)
				dup |= h->rs[r].probes[k] == p;
			if (!dup)
				h->rs[r].probes[fill[r]++] = p;
		}
	}
	for (unsigned i = 0; i < h->n_rs; i++)
		h->rs[i].n_probes = fill[i];
	free(fill);
	return 0;
}

int ipvs_health_build(const struct conf_model *m, const struct check_list *l,
		      struct ipvs_health **out)
{
	struct ipvs_health *h = calloc(1, sizeof(*h));
	unsigned nvs = 0, nrs = 0, i = 0, r = 0;

	*out = NULL;
	if (!h)
		return -ENOMEM;
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		nvs++;
		nrs += vs->real_servers.count;
	}
	h->vs = calloc(nvs ? nvs : 1, sizeof(*h->vs));
	h->rs = calloc(nrs ? nrs : 1, sizeof(*h->rs));
	if (!h->vs || !h->rs) {
		ipvs_health_free(h);
		return -ENOMEM;
	}
	conf_list_for_each (const struct conf_vs, vs, &m->lvs.virtual_servers) {
		struct ipvs_health_vs *hv = &h->vs[i];

		hv->cfg = vs;
		hv->rs_first = r;
		conf_list_for_each (const struct conf_rs, rs, &vs->real_servers) {
			if (r >= nrs)
				break;
			h->rs[r].cfg = rs;
			h->rs[r].vs = i;
			h->rs[r].inhibit = rs->inhibit_on_failure > 0 ||
					   (rs->inhibit_on_failure < 0 && vs->inhibit_on_failure);
			h->rs[r].weight = rs->weight > IPVS_HEALTH_WEIGHT_MAX
						  ? IPVS_HEALTH_WEIGHT_MAX
						  : (int)rs->weight;
			hv->n_rs++;
			r++;
		}
		i++;
	}
	h->n_vs = nvs;
	h->n_rs = r;
	h->rs_init_notifies = m->global.rs_init_notifies;
	if (build_probe_index(h, l) < 0) {
		ipvs_health_free(h);
		return -ENOMEM;
	}
	*out = h;
	return 0;
}

/* ---- evaluation ---- */

static const struct check_probe_state *probe_state(ipvs_health_state_fn state, void *ctx,
						   unsigned p)
{
	return state ? state(ctx, p) : NULL;
}

/* alive, effective weight and reason of rs from its probes */
static void rs_eval(const struct ipvs_health_rs *r, ipvs_health_state_fn state, void *ctx,
		    bool *alive, int *weight, char *reason, size_t rlen)
{
	long long w = r->cfg->weight;

	*alive = true;
	if (rlen)
		reason[0] = 0;
	for (unsigned k = 0; k < r->n_probes; k++) {
		const struct check_probe_state *st = probe_state(state, ctx, r->probes[k]);

		if (!st)
			continue;
		if (!st->up && *alive) {
			*alive = false;
			if (rlen)
				snprintf(reason, rlen, "%s", st->reason[0] ? st->reason : "down");
		}
		if (st->weight != CHECK_WEIGHT_NONE)
			w += (long long)st->weight - (long long)r->cfg->weight;
	}
	if (w < 0)
		w = 0;
	if (w > IPVS_HEALTH_WEIGHT_MAX)
		w = IPVS_HEALTH_WEIGHT_MAX;
	*weight = (int)w;
}

static long live_weight(const struct ipvs_health *h, unsigned v)
{
	const struct ipvs_health_vs *hv = &h->vs[v];
	long sum = 0;

	for (unsigned i = 0; i < hv->n_rs; i++)
		if (h->rs[hv->rs_first + i].alive)
			sum += h->rs[hv->rs_first + i].weight;
	return sum;
}

static bool has_sorry(const struct ipvs_health *h, unsigned v)
{
	return h->vs[v].cfg->sorry.set;
}

static void set_sorry(struct ipvs_health *h, unsigned v, bool on, bool init,
		      struct ipvs_health_events *ev)
{
	struct ipvs_health_event *e;

	if (!has_sorry(h, v) || h->vs[v].sorry_active == on)
		return;
	h->vs[v].sorry_active = on;
	e = ev_push(ev, on ? IPVS_HEV_SORRY_IN : IPVS_HEV_SORRY_OUT, v);
	if (e)
		e->init = init;
}

/* keepalived's update_quorum_state: one step, from the current sum. */
static void quorum_update(struct ipvs_health *h, unsigned v, bool init,
			  struct ipvs_health_events *ev)
{
	struct ipvs_health_vs *hv = &h->vs[v];
	long q = hv->cfg->quorum, hy = hv->cfg->hysteresis;
	long sum = live_weight(h, v);
	long threshold = hv->quorum_up ? q - hy : q + hy;
	struct ipvs_health_event *e;
	bool up;

	hv->live_weight = sum;
	if (!hv->quorum_up && sum >= threshold)
		up = true;
	else if ((hv->quorum_up && (!sum || sum < threshold)) ||
		 (init && !hv->quorum_up && has_sorry(h, v) && !hv->sorry_active))
		up = false;
	else
		return;
	hv->quorum_up = up;
	e = ev_push(ev, up ? IPVS_HEV_QUORUM_UP : IPVS_HEV_QUORUM_DOWN, v);
	if (e) {
		e->init = init;
		e->live_weight = sum;
		e->threshold = threshold;
	}
	set_sorry(h, v, !up, init, ev);
}

/* Re-evaluates real server r; true when its alive state or weight changed. */
static bool rs_update(struct ipvs_health *h, unsigned r, ipvs_health_state_fn state, void *ctx,
		      struct ipvs_health_events *ev)
{
	struct ipvs_health_rs *hr = &h->rs[r];
	char reason[sizeof(hr->reason)];
	struct ipvs_health_event *e;
	bool alive;
	int w;

	rs_eval(hr, state, ctx, &alive, &w, reason, sizeof(reason));
	if (alive == hr->alive && w == hr->weight) {
		if (!alive)
			memcpy(hr->reason, reason, sizeof(reason));
		return false;
	}
	if (alive != hr->alive) {
		e = ev_push(ev, alive ? IPVS_HEV_RS_UP : IPVS_HEV_RS_DOWN, hr->vs);
		if (e) {
			e->rs = r;
			snprintf(e->reason, sizeof(e->reason), "%s", alive ? "" : reason);
			e->old_weight = hr->weight;
			e->weight = w;
		}
	} else {
		e = ev_push(ev, IPVS_HEV_RS_WEIGHT, hr->vs);
		if (e) {
			e->rs = r;
			e->old_weight = hr->weight;
			e->weight = w;
		}
	}
	hr->alive = alive;
	hr->weight = w;
	memcpy(hr->reason, alive ? "" : reason, alive ? 1 : sizeof(reason));
	return true;
}

static const struct ipvs_health_vs *prev_vs(const struct ipvs_health *prev,
					    const struct conf_vs *vs, unsigned hint)
{
	const char *name = vs->hdr.name;

	if (!prev || !name)
		return NULL;
	if (hint < prev->n_vs && prev->vs[hint].cfg->hdr.name &&
	    !strcmp(prev->vs[hint].cfg->hdr.name, name))
		return &prev->vs[hint];
	for (unsigned i = 0; i < prev->n_vs; i++)
		if (prev->vs[i].cfg->hdr.name && !strcmp(prev->vs[i].cfg->hdr.name, name))
			return &prev->vs[i];
	return NULL;
}

static const struct ipvs_health_rs *prev_rs(const struct ipvs_health *prev,
					    const struct ipvs_health_vs *pv,
					    const struct conf_rs *rs, unsigned hint)
{
	const char *name = rs->hdr.name;

	if (!name)
		return NULL;
	if (hint < pv->n_rs && prev->rs[pv->rs_first + hint].cfg->hdr.name &&
	    !strcmp(prev->rs[pv->rs_first + hint].cfg->hdr.name, name))
		return &prev->rs[pv->rs_first + hint];
	for (unsigned i = 0; i < pv->n_rs; i++) {
		const struct ipvs_health_rs *p = &prev->rs[pv->rs_first + i];

		if (p->cfg->hdr.name && !strcmp(p->cfg->hdr.name, name))
			return p;
	}
	return NULL;
}

void ipvs_health_init(struct ipvs_health *h, const struct ipvs_health *prev,
		      ipvs_health_state_fn state, void *ctx, struct ipvs_health_events *ev)
{
	for (unsigned v = 0; v < h->n_vs; v++) {
		struct ipvs_health_vs *hv = &h->vs[v];
		const struct ipvs_health_vs *pv = prev_vs(prev, hv->cfg, v);

		for (unsigned i = 0; i < hv->n_rs; i++) {
			unsigned r = hv->rs_first + i;
			struct ipvs_health_rs *hr = &h->rs[r];
			const struct ipvs_health_rs *pr = pv ? prev_rs(prev, pv, hr->cfg, i) : NULL;

			if (pr) {
				/* known before: only real transitions are events */
				hr->alive = pr->alive;
				hr->weight = pr->weight;
				memcpy(hr->reason, pr->reason, sizeof(hr->reason));
				rs_update(h, r, state, ctx, ev);
				continue;
			}
			rs_eval(hr, state, ctx, &hr->alive, &hr->weight, hr->reason,
				sizeof(hr->reason));
			if (hr->alive && h->rs_init_notifies) {
				struct ipvs_health_event *e = ev_push(ev, IPVS_HEV_RS_UP, v);

				if (e) {
					e->rs = r;
					e->init = true;
					e->weight = hr->weight;
				}
			}
		}
		if (pv) {
			hv->quorum_up = pv->quorum_up;
			/* a sorry server that is still configured stays in */
			hv->sorry_active = pv->sorry_active && has_sorry(h, v);
			if (!hv->quorum_up && has_sorry(h, v) && !hv->sorry_active)
				set_sorry(h, v, true, false, ev);
			quorum_update(h, v, false, ev);
			hv->live_weight = live_weight(h, v);
			continue;
		}
		hv->live_weight = live_weight(h, v);
		hv->quorum_up = hv->live_weight >= (long)hv->cfg->quorum + (long)hv->cfg->hysteresis;
		quorum_update(h, v, true, ev);
	}
}

void ipvs_health_probe_changed(struct ipvs_health *h, unsigned probe, ipvs_health_state_fn state,
			       void *ctx, struct ipvs_health_events *ev)
{
	if (!h || probe >= h->n_probes)
		return;
	for (unsigned k = h->probe_rs_first[probe]; k < h->probe_rs_first[probe + 1]; k++) {
		unsigned r = h->probe_rs[k];

		if (r < h->n_rs && rs_update(h, r, state, ctx, ev))
			quorum_update(h, h->rs[r].vs, false, ev);
	}
}

void ipvs_health_stop(const struct ipvs_health *h, struct ipvs_health_events *ev)
{
	for (unsigned v = 0; h && v < h->n_vs; v++) {
		const struct ipvs_health_vs *hv = &h->vs[v];
		struct ipvs_health_event *e;
		long q = hv->cfg->quorum, hy = hv->cfg->hysteresis;

		if (!hv->cfg->omega)
			continue;
		for (unsigned i = 0; i < hv->n_rs; i++) {
			if (!h->rs[hv->rs_first + i].alive)
				continue;
			e = ev_push(ev, IPVS_HEV_RS_DOWN, v);
			if (e) {
				e->rs = hv->rs_first + i;
				e->stopping = true;
				snprintf(e->reason, sizeof(e->reason), "shutting down");
			}
		}
		e = ev_push(ev, IPVS_HEV_QUORUM_DOWN, v);
		if (e) {
			e->stopping = true;
			e->live_weight = hv->live_weight;
			e->threshold = q - hy;
		}
	}
}

/* ---- what goes into IPVS ---- */

bool ipvs_health_rs_dest(const struct ipvs_health *h, unsigned r, int *weight)
{
	const struct ipvs_health_rs *hr;

	*weight = 0;
	if (!h || r >= h->n_rs)
		return false;
	hr = &h->rs[r];
	if (h->vs[hr->vs].sorry_active)
		return hr->inhibit; /* the sorry server replaces the pool */
	if (hr->alive) {
		*weight = hr->weight;
		return true;
	}
	return hr->inhibit;
}

bool ipvs_health_sorry_dest(const struct ipvs_health *h, unsigned v, int *weight)
{
	const struct conf_vs *vs;

	*weight = 0;
	if (!h || v >= h->n_vs)
		return false;
	vs = h->vs[v].cfg;
	if (!vs->sorry.set)
		return false;
	if (h->vs[v].sorry_active) {
		*weight = IPVS_HEALTH_SORRY_WEIGHT;
		return true;
	}
	return vs->sorry.inhibit;
}

/* ---- names and FIFO lines ---- */

static const char *proto_name(int p)
{
	switch (p) {
	case CONF_PROTO_UDP:
		return "udp";
	case CONF_PROTO_SCTP:
		return "sctp";
	default:
		return "tcp";
	}
}

static const char *trio(const struct conf_addr *a, int proto, unsigned port, char *buf,
			size_t len)
{
	char ab[CONF_ADDRSTRLEN];

	snprintf(buf, len, "[%s]:%s:%u", conf_addr_str(a, ab), proto_name(proto), port);
	return buf;
}

const char *ipvs_health_vs_str(const struct conf_vs *vs, char *buf, size_t len)
{
	switch (vs->kind) {
	case CONF_VS_FWMARK:
		snprintf(buf, len, "FWM %u", vs->fwmark);
		return buf;
	case CONF_VS_GROUP:
		snprintf(buf, len, "[%s]:%u", vs->group ? vs->group : "", vs->port);
		return buf;
	default:
		return trio(&vs->addr, vs->protocol, vs->port, buf, len);
	}
}

const char *ipvs_health_rs_str(const struct conf_vs *vs, const struct conf_rs *rs, char *buf,
			       size_t len)
{
	return trio(&rs->addr, vs->protocol, rs->port, buf, len);
}

size_t ipvs_health_fifo_line(const struct ipvs_health *h, const struct ipvs_health_event *e,
			     char *buf, size_t len)
{
	char vsb[160], rsb[96];
	const struct conf_vs *vs;
	int n;

	if (!len)
		return 0;
	buf[0] = 0;
	if (!h || e->vs >= h->n_vs)
		return 0;
	vs = h->vs[e->vs].cfg;
	ipvs_health_vs_str(vs, vsb, sizeof(vsb));
	switch (e->kind) {
	case IPVS_HEV_RS_UP:
	case IPVS_HEV_RS_DOWN:
		if (e->rs >= h->n_rs)
			return 0;
		n = snprintf(buf, len, "RS %s %s %s\n",
			     ipvs_health_rs_str(vs, h->rs[e->rs].cfg, rsb, sizeof(rsb)), vsb,
			     e->kind == IPVS_HEV_RS_UP ? "UP" : "DOWN");
		break;
	case IPVS_HEV_QUORUM_UP:
	case IPVS_HEV_QUORUM_DOWN:
		n = snprintf(buf, len, "VS %s %s\n", vsb,
			     e->kind == IPVS_HEV_QUORUM_UP ? "UP" : "DOWN");
		break;
	default:
		return 0;
	}
	if (n < 0)
		return 0;
	return (size_t)n >= len ? len - 1 : (size_t)n;
}

/* ---- notifications (runtime) ---- */

struct ipvs_notify {
	uv_loop_t *loop;
	char *script_user, *script_group;
	/* lvs_notify_fifo and its script, as configured (for ipvs_notify_same) */
	char *fifo_cfg[3], *fscript_cfg[3];
	char *fifo; /* NULL: none usable */
	int fd;
	int last_errno;
	struct spawn_job *fifo_job;
	bool closing;
	unsigned refs; /* running scripts (and the fifo script) + 1 until closed */
	uint64_t scripts_run, scripts_failed, fifo_lines, fifo_dropped;
};

/* A running notify script: counts its failure when it ends. */
struct notify_run {
	struct ipvs_notify *n; /* holds a reference */
	char label[64];
};

/* n outlives its close while scripts it started still run. */
static void notify_unref(struct ipvs_notify *n)
{
	if (--n->refs || !n->closing)
		return;
	free(n);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int resolve_ids(const char *user, const char *group, struct spawn_opts *o,
		       const char *label)
{
	struct passwd *pw;
	struct group *gr;

	if (!user)
		return 0;
	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		log_error("%s: user '%s' %s; not run", label, user,
			  errno ? strerror(errno) : "does not exist");
		return -1;
	}
	o->set_uid = o->set_gid = true;
	o->uid = pw->pw_uid;
	o->gid = pw->pw_gid;
	if (group) {
		errno = 0;
		gr = getgrnam(group);
		if (!gr) {
			log_error("%s: group '%s' %s; not run", label, group,
				  errno ? strerror(errno) : "does not exist");
			return -1;
		}
		o->gid = gr->gr_gid;
	}
	return 0;
}

static void script_exited(const struct spawn_result *res, void *data)
{
	struct notify_run *r = data;

	if (res->term_signal || res->exit_status) {
		r->n->scripts_failed++;
		log_warn("%s: script %s %lld", r->label,
			 res->term_signal ? "killed by signal" : "exited with",
			 res->term_signal ? (long long)res->term_signal
					  : (long long)res->exit_status);
	}
	notify_unref(r->n);
	free(r);
}

static void run_script(struct ipvs_notify *n, const struct conf_lvs_script *sc, const char *label)
{
	struct spawn_opts o = { 0 };
	struct notify_run *r;
	int rc;

	if (!sc->cmd || !sc->cmd[0])
		return;
	if (resolve_ids(sc->user ? sc->user : n->script_user,
			sc->user ? sc->group : n->script_group, &o, label) < 0) {
		n->scripts_failed++;
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		n->scripts_failed++;
		return;
	}
	r->n = n;
	snprintf(r->label, sizeof(r->label), "%s", label);
	o.capture_output = true;
	o.name = r->label;
	rc = spawn_command(n->loop, sc->cmd, &o, script_exited, r, NULL);
	if (rc < 0) {
		n->scripts_failed++;
		log_error("%s: cannot run '%s': %s", label, sc->cmd, strerror(-rc));
		free(r);
		return;
	}
	n->scripts_run++;
	n->refs++;
}

static int fifo_prepare(const char *path, const char *user, const char *group)
{
	struct stat st;

	if (stat(path, &st) == 0) {
		if (!S_ISFIFO(st.st_mode)) {
			log_error("lvs_notify_fifo %s exists and is not a FIFO; not used", path);
			return -EEXIST;
		}
		return 0;
	}
	if (errno != ENOENT || (mkfifo(path, 0600) < 0 && errno != EEXIST)) {
		log_error("lvs_notify_fifo %s: %s; not used", path, strerror(errno));
		return -1;
	}
	if (user) {
		struct spawn_opts o = { 0 };

		if (resolve_ids(user, group, &o, "lvs_notify_fifo") == 0 &&
		    chown(path, o.uid, o.gid) < 0)
			log_warn("lvs_notify_fifo: cannot give %s to %s: %s", path, user,
				 strerror(errno));
	}
	return 0;
}

static void fifo_script_exited(const struct spawn_result *res, void *data)
{
	struct ipvs_notify *n = data;

	(void)res;
	n->fifo_job = NULL;
	if (!n->closing)
		log_warn("lvs_notify_fifo_script ended");
	notify_unref(n);
}

static void fifo_start_script(struct ipvs_notify *n, const struct conf_script *sc)
{
	struct spawn_opts o = { 0 };
	char **argv = NULL;
	const char *err = NULL, *args[SPAWN_MAX_ARGS + 2];
	unsigned k = 0;
	int rc;

	if (spawn_split_command(sc->cmd, &argv, &err) < 0 || !argv[0]) {
		log_error("lvs_notify_fifo_script '%s': %s; not run", sc->cmd,
			  err ? err : "empty");
		spawn_argv_free(argv);
		return;
	}
	for (; argv[k] && k < SPAWN_MAX_ARGS; k++)
		args[k] = argv[k];
	args[k++] = n->fifo;
	args[k] = NULL;
	o.argv = args;
	o.capture_output = true;
	o.name = "lvs_notify_fifo_script";
	if (resolve_ids(sc->user ? sc->user : n->script_user,
			sc->user ? sc->group : n->script_group, &o, "lvs_notify_fifo_script") == 0) {
		rc = spawn_script(n->loop, &o, fifo_script_exited, n, &n->fifo_job);
		if (rc == 0)
			n->refs++;
		else
			log_error("lvs_notify_fifo_script: cannot run '%s': %s", sc->cmd,
				  strerror(-rc));
	}
	spawn_argv_free(argv);
}

int ipvs_notify_open(uv_loop_t *loop, const struct conf_global *g, struct ipvs_notify **out)
{
	struct ipvs_notify *n = calloc(1, sizeof(*n));

	*out = NULL;
	if (!n)
		return -ENOMEM;
	n->loop = loop;
	n->fd = -1;
	n->refs = 1;
	n->script_user = dup_or_null(g->script_user);
	n->script_group = dup_or_null(g->script_group);
	n->fifo_cfg[0] = dup_or_null(g->lvs_notify_fifo.cmd);
	n->fifo_cfg[1] = dup_or_null(g->lvs_notify_fifo.user);
	n->fifo_cfg[2] = dup_or_null(g->lvs_notify_fifo.group);
	n->fscript_cfg[0] = dup_or_null(g->lvs_notify_fifo_script.cmd);
	n->fscript_cfg[1] = dup_or_null(g->lvs_notify_fifo_script.user);
	n->fscript_cfg[2] = dup_or_null(g->lvs_notify_fifo_script.group);
	if (g->lvs_notify_fifo.cmd && g->lvs_notify_fifo.cmd[0] &&
	    fifo_prepare(g->lvs_notify_fifo.cmd, g->lvs_notify_fifo.user,
			 g->lvs_notify_fifo.group) == 0) {
		n->fifo = strdup(g->lvs_notify_fifo.cmd);
		if (n->fifo && g->lvs_notify_fifo_script.cmd)
			fifo_start_script(n, &g->lvs_notify_fifo_script);
	}
	*out = n;
	return 0;
}

bool ipvs_notify_same(const struct ipvs_notify *n, const struct conf_global *g)
{
	return n && str_eq(n->script_user, g->script_user) &&
	       str_eq(n->script_group, g->script_group) &&
	       str_eq(n->fifo_cfg[0], g->lvs_notify_fifo.cmd) &&
	       str_eq(n->fifo_cfg[1], g->lvs_notify_fifo.user) &&
	       str_eq(n->fifo_cfg[2], g->lvs_notify_fifo.group) &&
	       str_eq(n->fscript_cfg[0], g->lvs_notify_fifo_script.cmd) &&
	       str_eq(n->fscript_cfg[1], g->lvs_notify_fifo_script.user) &&
	       str_eq(n->fscript_cfg[2], g->lvs_notify_fifo_script.group);
}

void ipvs_notify_close(struct ipvs_notify *n)
{
	if (!n)
		return;
	n->closing = true;
	/* the fifo script only reads our FIFO: it goes with it */
	if (n->fifo_job)
		spawn_kill(n->fifo_job, SIGTERM);
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	free(n->fifo);
	n->fifo = NULL;
	for (unsigned i = 0; i < 3; i++) {
		free(n->fifo_cfg[i]);
		free(n->fscript_cfg[i]);
		n->fifo_cfg[i] = n->fscript_cfg[i] = NULL;
	}
	free(n->script_user);
	free(n->script_group);
	n->script_user = n->script_group = NULL;
	notify_unref(n); /* freed now, or when the last script ends */
}

/* SIGPIPE is ignored by vigild (daemon/main.c): a reader that left is EPIPE. */
static void fifo_write(struct ipvs_notify *n, const char *line, size_t len)
{
	ssize_t w;

	if (!n->fifo)
		return;
	if (n->fd < 0) {
		n->fd = open(n->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (n->fd < 0) {
			if (errno != n->last_errno && errno != ENXIO)
				log_warn("lvs_notify_fifo %s: %s", n->fifo, strerror(errno));
			n->last_errno = errno;
			n->fifo_dropped++;
			return;
		}
		n->last_errno = 0;
	}
	do
		w = write(n->fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w == (ssize_t)len) {
		n->fifo_lines++;
		return;
	}
	n->fifo_dropped++;
	if (w < 0 && errno == EAGAIN)
		return;
	close(n->fd); /* EPIPE: the reader left; reopen at the next line */
	n->fd = -1;
}

static void log_event(const struct ipvs_health *h, const struct ipvs_health_event *e)
{
	char vsb[160], rsb[96];
	const struct conf_vs *vs = h->vs[e->vs].cfg;
	const struct ipvs_health_rs *r = e->rs < h->n_rs ? &h->rs[e->rs] : NULL;
	const struct ipvs_health_vs *hv = &h->vs[e->vs];

	ipvs_health_vs_str(vs, vsb, sizeof(vsb));
	if (r)
		ipvs_health_rs_str(vs, r->cfg, rsb, sizeof(rsb));
	switch (e->kind) {
	case IPVS_HEV_RS_UP:
		if (r)
			log_info("%s service %s %s VS %s%s", r->inhibit ? "Enabling" : "Adding", rsb,
				 r->inhibit ? "of" : "to", vsb, e->init ? " (at start)" : "");
		break;
	case IPVS_HEV_RS_DOWN:
		if (r)
			log_info("%s service %s %s VS %s: %s",
				 e->stopping ? "Shutting down" : r->inhibit ? "Disabling" : "Removing",
				 rsb, r->inhibit ? "of" : "from", vsb, e->reason);
		break;
	case IPVS_HEV_RS_WEIGHT:
		if (r)
			log_info("Changing weight from %d to %d for %sactive service %s of VS %s",
				 e->old_weight, e->weight, r->alive ? "" : "in", rsb, vsb);
		break;
	case IPVS_HEV_QUORUM_UP:
		log_info("Gained quorum %u+%u=%ld <= %ld for VS %s", vs->quorum, vs->hysteresis,
			 e->threshold, e->live_weight, vsb);
		break;
	case IPVS_HEV_QUORUM_DOWN:
		if (e->stopping)
			log_info("Shutting down VS %s (omega): quorum down", vsb);
		else
			log_info("%s %u-%u=%ld > %ld for VS %s",
				 e->init ? "Starting with quorum down" : "Lost quorum", vs->quorum,
				 vs->hysteresis, e->threshold, e->live_weight, vsb);
		break;
	case IPVS_HEV_SORRY_IN:
	case IPVS_HEV_SORRY_OUT: {
		char sb[CONF_ADDRSTRLEN];
		unsigned port = vs->sorry.port ? vs->sorry.port : vs->port;

		log_info("%s sorry server [%s]:%u %s VS %s",
			 e->kind == IPVS_HEV_SORRY_IN ? (vs->sorry.inhibit ? "Enabling" : "Adding")
						      : (vs->sorry.inhibit ? "Disabling" : "Removing"),
			 conf_addr_str(&vs->sorry.addr, sb), port,
			 e->kind == IPVS_HEV_SORRY_IN ? "to" : "from", vsb);
		break;
	}
	}
	(void)hv;
}

void ipvs_notify_events(struct ipvs_notify *n, const struct ipvs_health *h,
			const struct ipvs_health_events *ev)
{
	char line[320], label[64];

	if (!h || !ev)
		return;
	if (ev->dropped)
		log_error("ipvs: %u health events lost (out of memory)", ev->dropped);
	for (unsigned i = 0; i < ev->n; i++) {
		const struct ipvs_health_event *e = &ev->v[i];
		const struct conf_vs *vs;
		size_t len;

		if (e->vs >= h->n_vs)
			continue;
		vs = h->vs[e->vs].cfg;
		log_event(h, e);
		if (!n)
			continue;
		switch (e->kind) {
		case IPVS_HEV_RS_UP:
		case IPVS_HEV_RS_DOWN:
			if (e->rs >= h->n_rs)
				continue;
			snprintf(label, sizeof(label), "%s %s",
				 e->kind == IPVS_HEV_RS_UP ? "notify_up" : "notify_down",
				 h->rs[e->rs].cfg->hdr.name ? h->rs[e->rs].cfg->hdr.name : "");
			run_script(n, e->kind == IPVS_HEV_RS_UP ? &h->rs[e->rs].cfg->notify_up
								: &h->rs[e->rs].cfg->notify_down,
				   label);
			break;
		case IPVS_HEV_QUORUM_UP:
		case IPVS_HEV_QUORUM_DOWN:
			snprintf(label, sizeof(label), "%s %s",
				 e->kind == IPVS_HEV_QUORUM_UP ? "quorum_up" : "quorum_down",
				 vs->hdr.name ? vs->hdr.name : "");
			run_script(n, e->kind == IPVS_HEV_QUORUM_UP ? &vs->quorum_up : &vs->quorum_down,
				   label);
			break;
		default:
			continue;
		}
		len = ipvs_health_fifo_line(h, e, line, sizeof(line));
		if (len)
			fifo_write(n, line, len);
	}
}

void ipvs_notify_status_json(const struct ipvs_notify *n, struct json *j)
{
	json_obj_begin(j);
	json_kuint(j, "scripts_run", n ? n->scripts_run : 0);
	json_kuint(j, "scripts_failed", n ? n->scripts_failed : 0);
	json_kstr(j, "fifo", n ? n->fifo : NULL);
	json_kuint(j, "fifo_lines", n ? n->fifo_lines : 0);
	json_kuint(j, "fifo_dropped", n ? n->fifo_dropped : 0);
	json_obj_end(j);
}
