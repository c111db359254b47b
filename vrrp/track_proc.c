/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp_track_process: /proc is scanned every second (zombies and kernel
 * threads never match). The name is compared with the process name
 * (/proc/PID/comm, at most 15 characters, so a longer configured name is
 * compared by its first 15) or with argv[0]; full_command compares argv[0]
 * only. Parameters, when given, must match exactly (param_match partial:
 * the first ones match and more may follow; initial: like exact but the
 * last one may be longer). OK when the count is within [quorum,
 * quorum_max]; fork_delay / terminate_delay delay the change to OK /
 * FAILED and a change back within the delay cancels it. Only processes
 * some instance or sync group tracks are scanned for (track.c has the
 * rest of the tracker).
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrrp/track_int.h"

#define TRACK_PROC_SCAN_MS 1000
#define TRACK_COMM_LEN 15 /* TASK_COMM_LEN - 1 */
#define TRACK_CMDLINE_MAX 8192

/* Reads a whole small /proc file; returns the length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)total < size) {
		n = read(fd, buf + total, size - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	return total;
}

struct proc_info {
	char comm[TRACK_COMM_LEN + 2];
	const char *argv[64];
	unsigned argc; /* 0: no command line (kernel thread) or not read */
	bool argv_truncated;
};

/* Does one process match the configured name and parameters? Pure. */
static bool proc_matches(const struct conf_track_process *c, const struct proc_info *p)
{
	const char *name = c->process.v[0];
	unsigned nparams = c->process.n - 1, have, i;
	bool name_ok = false;
	int mode = c->param_match;

	if (p->argc && !strcmp(p->argv[0], name))
		name_ok = true;
	else if (!c->full_command && !strncmp(p->comm, name, TRACK_COMM_LEN) && p->comm[0])
		name_ok = strlen(name) >= TRACK_COMM_LEN ? strlen(p->comm) == TRACK_COMM_LEN
							 : !strcmp(p->comm, name);
	if (!name_ok)
		return false;
	if (!nparams && mode == CONF_PARAM_MATCH_NONE)
		return true;
	if (!p->argc || p->argv_truncated)
		return false;
	have = p->argc - 1;
	if (mode == CONF_PARAM_MATCH_NONE)
		mode = CONF_PARAM_MATCH_EXACT;
	if (mode == CONF_PARAM_MATCH_PARTIAL ? have < nparams : have != nparams)
		return false;
	for (i = 0; i < nparams; i++) {
		const char *want = c->process.v[i + 1], *got = p->argv[i + 1];

		if (mode == CONF_PARAM_MATCH_INITIAL && i == nparams - 1) {
			if (strncmp(got, want, strlen(want)))
				return false;
		} else if (strcmp(got, want)) {
			return false;
		}
	}
	return true;
}

static void proc_apply(struct track_proc *p, bool ok)
{
	enum vrrp_track_state to = ok ? VRRP_TRACK_OK : VRRP_TRACK_FAILED;

	p->pending = false;
	if (p->have_delay)
		uv_timer_stop(&p->delay);
	if (p->state == to)
		return;
	log_info("vrrp_track_process %s: %s -> %s (%u running)", p->name,
		 vrrp_track_state_names[p->state], vrrp_track_state_names[to], p->count);
	p->state = to;
	p->changes++;
	vrrp_track_notify_changed(p->t);
}

static void proc_delay_fired(uv_timer_t *tm)
{
	struct track_proc *p = tm->data;

	if (p->pending)
		proc_apply(p, p->pending_ok);
}

static void proc_update(struct track_proc *p, unsigned count, bool initial)
{
	const struct conf_track_process *c = p->conf;
	bool in = count >= c->quorum && (c->quorum_max == CONF_UNSET || count <= c->quorum_max);
	uint64_t delay;

	p->count = count;
	if (initial && !p->carried) {
		p->state = in ? VRRP_TRACK_OK : VRRP_TRACK_FAILED;
		return;
	}
	if (in == (p->state == VRRP_TRACK_OK)) {
		if (p->pending) {
			p->pending = false;
			uv_timer_stop(&p->delay);
		}
		return;
	}
	if (p->pending && p->pending_ok == in)
		return; /* already waiting for this change */
	delay = in ? c->fork_delay : c->terminate_delay;
	if (!delay || !p->have_delay) {
		proc_apply(p, in);
		return;
	}
	p->pending = true;
	p->pending_ok = in;
	uv_timer_start(&p->delay, proc_delay_fired, vrrp_track_us_to_ms_up(delay), 0);
}

static void proc_scan(struct vrrp_track *t, bool initial)
{
	static char cmdline[TRACK_CMDLINE_MAX];
	unsigned *counts;
	struct dirent *e;
	DIR *d;
	unsigned i;

	if (!t->n_procs)
		return;
	counts = calloc(t->n_procs, sizeof(*counts));
	if (!counts)
		return;
	t->scans++;
	d = opendir("/proc");
	if (!d) {
		log_error("vrrp_track_process: cannot read /proc: %s", strerror(errno));
		free(counts);
		return;
	}
	while ((e = readdir(d))) {
		char path[64], stat[512], *open_paren, *close_paren, *endp;
		struct proc_info pi;
		ssize_t n;
		size_t len;

		for (endp = e->d_name; isdigit((unsigned char)*endp); endp++)
			;
		if (endp == e->d_name || *endp)
			continue;
		memset(&pi, 0, sizeof(pi));
		/* /proc/PID/stat: "pid (comm) S ..." — comm may hold ')' itself. */
		snprintf(path, sizeof(path), "/proc/%.20s/stat", e->d_name);
		n = read_small(path, stat, sizeof(stat) - 1);
		if (n <= 0)
			continue;
		stat[n] = '\0';
		open_paren = strchr(stat, '(');
		close_paren = strrchr(stat, ')');
		if (!open_paren || !close_paren || close_paren < open_paren || !close_paren[1] ||
		    !close_paren[2])
			continue;
		if (close_paren[2] == 'Z' || close_paren[2] == 'X')
			continue; /* zombies and the dead are not running */
		len = (size_t)(close_paren - open_paren - 1);
		if (len > TRACK_COMM_LEN)
			len = TRACK_COMM_LEN;
		memcpy(pi.comm, open_paren + 1, len);
		pi.comm[len] = '\0';
		if (t->procs_need_cmdline) {
			snprintf(path, sizeof(path), "/proc/%.20s/cmdline", e->d_name);
			n = read_small(path, cmdline, sizeof(cmdline) - 1);
			if (n > 0) {
				ssize_t k = 0;

				cmdline[n] = '\0';
				if ((size_t)n == sizeof(cmdline) - 1)
					pi.argv_truncated = true;
				while (k < n) {
					if (pi.argc == sizeof(pi.argv) / sizeof(pi.argv[0])) {
						pi.argv_truncated = true;
						break;
					}
					pi.argv[pi.argc++] = cmdline + k;
					k += (ssize_t)strlen(cmdline + k) + 1;
				}
			}
		}
		for (i = 0; i < t->n_procs; i++)
			if (proc_matches(t->procs[i].conf, &pi))
				counts[i]++;
	}
	closedir(d);
	for (i = 0; i < t->n_procs; i++)
		proc_update(&t->procs[i], counts[i], initial);
	free(counts);
}

static void proc_scan_tick(uv_timer_t *tm)
{
	proc_scan(tm->data, false);
}

int vrrp_track_procs_open(struct vrrp_track *t, const struct conf_model *m)
{
	unsigned n = 0;

	conf_list_for_each (const struct conf_track_process, c, &m->vrrp.track_processes)
		if (vrrp_track_is_tracked(m, TK_PROC, c->hdr.name) && c->process.n)
			n++;
	if (!n)
		return 0;
	t->procs = calloc(n, sizeof(*t->procs));
	if (!t->procs)
		return -ENOMEM;
	conf_list_for_each (const struct conf_track_process, c, &m->vrrp.track_processes) {
		struct track_proc *p;

		if (!vrrp_track_is_tracked(m, TK_PROC, c->hdr.name) || !c->process.n)
			continue;
		p = &t->procs[t->n_procs++];
		p->t = t;
		p->conf = c;
		p->name = strdup(c->hdr.name);
		if (!p->name)
			return -ENOMEM;
		if (t->old) {
			const struct track_proc *o = vrrp_track_find_proc(t->old, p->name);

			if (o && vrrp_track_same_conf(&conf_block_track_process, o->conf, c)) {
				p->carried = true;
				p->state = o->state;
				p->count = o->count;
				p->changes = o->changes;
			}
		}
		/* The command line is read only when some entry needs it. */
		if (c->full_command || c->process.n > 1 ||
		    c->param_match != CONF_PARAM_MATCH_NONE ||
		    strlen(c->process.v[0]) > TRACK_COMM_LEN)
			t->procs_need_cmdline = true;
		uv_timer_init(t->loop, &p->delay);
		p->delay.data = p;
		p->have_delay = true;
		t->open_handles++;
	}
	proc_scan(t, true);
	uv_timer_init(t->loop, &t->scan);
	t->scan.data = t;
	t->have_scan = true;
	t->open_handles++;
	uv_timer_start(&t->scan, proc_scan_tick, TRACK_PROC_SCAN_MS, TRACK_PROC_SCAN_MS);
	return 0;
}
