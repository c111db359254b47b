/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvstool: drives ipvs/genl.c by hand (for the VM tier and benchmarks).
 *
 *   ipvstool [-w WINDOW] dump
 *   ipvstool [-w WINDOW] apply FILE|-      operations from a text file
 *   ipvstool [-w WINDOW] gen SVCS DESTS    add SVCS TCP services with DESTS dests each
 *   ipvstool flush
 *   ipvstool timeouts TCP TCPFIN UDP
 *   ipvstool sync start master|backup IFNAME SYNCID
 *   ipvstool sync stop master|backup
 *   ipvstool sync show
 *
 * -w 1 sends one request and waits for its ACK (what keepalived does).
 *
 * The apply format, one operation a line ('#' starts a comment):
 *   svc add|edit|del|use tcp|udp|sctp ADDR PORT [OPTS]
 *   svc add|edit|del|use fwm MARK [v6] [OPTS]
 *       OPTS: sched NAME, timeout SECS (sets persistent), netmask N, flags N, pe NAME
 *   dest add|edit|del ADDR PORT [weight W] [fwd masq|local|tunnel|route] [uthr N] [lthr N]
 *       (on the service of the last svc line)
 * Timing goes to stderr: operations and messages per second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ip_vs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ipvs/genl.h"
#include "ipvs/genl_msg.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: ipvstool [-w WINDOW] dump | apply FILE | gen SVCS DESTS | flush |\n"
			"       timeouts T F U | sync start master|backup IF ID |\n"
			"       sync stop master|backup | sync show\n");
	return 2;
}

static const char *fwd_name(uint32_t f)
{
	switch (f & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		return "Masq";
	case IP_VS_CONN_F_LOCALNODE:
		return "Local";
	case IP_VS_CONN_F_TUNNEL:
		return "Tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "Route";
	default:
		return "?";
	}
}

static int cmd_dump(struct ipvs_genl *g)
{
	struct ipvs_state st;
	unsigned nd = 0;
	double t0 = now(), t;
	const char *why;
	int rc = ipvs_genl_dump(g, &st);
	char b[128];

	t = now() - t0;
	if (rc) {
		fprintf(stderr, "dump: %s\n", strerror(-rc));
		return 1;
	}
	printf("Prot LocalAddress:Port Scheduler Flags\n");
	printf("  -> RemoteAddress:Port           Forward Weight\n");
	for (unsigned i = 0; i < st.n_svcs; i++) {
		const struct ipvs_service *s = &st.svcs[i];

		ipvs_service_str(s, b, sizeof(b));
		printf("%s %s", b, s->sched);
		if (s->flags & IP_VS_SVC_F_PERSISTENT)
			printf(" persistent %u", s->timeout);
		if (s->pe_name[0])
			printf(" pe %s", s->pe_name);
		printf("\n");
		for (unsigned j = 0; j < s->n_dests; j++) {
			const struct ipvs_dest *d = &s->dests[j];

			ipvs_dest_str(d, b, sizeof(b));
			printf("  -> %-28s %-7s %d\n", b, fwd_name(d->conn_flags), d->weight);
		}
		nd += s->n_dests;
	}
	fflush(stdout);
	fprintf(stderr, "dump: %u services, %u dests in %.3f s (%u malformed replies skipped",
		st.n_svcs, nd, t, ipvs_genl_malformed(g, &why));
	fprintf(stderr, "%s%s)\n", why ? ": " : "", why ? why : "");
	ipvs_state_free(&st);
	return 0;
}

/* ---- apply: a parsed list of operations ---- */

struct plan {
	struct ipvs_service *svcs; /* one per svc line */
	unsigned n_svcs, cap_svcs;
	struct ipvs_dest *dests; /* one per dest line */
	unsigned n_dests, cap_dests;
	struct {
		enum ipvs_op_kind kind;
		unsigned svc, dest;
	} * ops;
	unsigned n_ops, cap_ops;
};

static void *grow(void *v, unsigned n, unsigned *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	v = realloc(v, (size_t)*cap * size);
	if (!v) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return v;
}

static void add_op(struct plan *p, enum ipvs_op_kind k, unsigned svc, unsigned dest)
{
	p->ops = grow(p->ops, p->n_ops, &p->cap_ops, sizeof(*p->ops));
	p->ops[p->n_ops].kind = k;
	p->ops[p->n_ops].svc = svc;
	p->ops[p->n_ops].dest = dest;
	p->n_ops++;
}

static int parse_addr(const char *s, struct conf_addr *a, int *af)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1)
		*af = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->u.v6) == 1)
		*af = AF_INET6;
	else
		return -1;
	a->family = (sa_family_t)*af;
	return 0;
}

static int op_kind(const char *w, bool dest, enum ipvs_op_kind *k)
{
	if (!strcmp(w, "add"))
		*k = dest ? IPVS_OP_ADD_DEST : IPVS_OP_ADD_SVC;
	else if (!strcmp(w, "edit"))
		*k = dest ? IPVS_OP_EDIT_DEST : IPVS_OP_EDIT_SVC;
	else if (!strcmp(w, "del"))
		*k = dest ? IPVS_OP_DEL_DEST : IPVS_OP_DEL_SVC;
	else
		return -1;
	return 0;
}

static int parse_line(struct plan *p, char **w, int n, const char **why)
{
	enum ipvs_op_kind k;
	int i;

	if (!strcmp(w[0], "svc")) {
		struct ipvs_service s = { .sched = "wlc" };
		bool use = n > 1 && !strcmp(w[1], "use");

		if (n < 4 || (!use && op_kind(w[1], false, &k)))
			return *why = "svc add|edit|del|use PROTO ADDR PORT | fwm MARK", -1;
		if (!strcmp(w[2], "fwm")) {
			s.af = AF_INET;
			s.fwmark = (uint32_t)strtoul(w[3], NULL, 0);
			i = 4;
			if (i < n && !strcmp(w[i], "v6")) {
				s.af = AF_INET6;
				i++;
			}
			s.addr.family = (sa_family_t)s.af;
		} else {
			if (n < 5)
				return *why = "svc needs PROTO ADDR PORT", -1;
			if (!strcmp(w[2], "tcp"))
				s.protocol = IPPROTO_TCP;
			else if (!strcmp(w[2], "udp"))
				s.protocol = IPPROTO_UDP;
			else if (!strcmp(w[2], "sctp"))
				s.protocol = IPPROTO_SCTP;
			else
				return *why = "protocol is tcp, udp, sctp or fwm", -1;
			if (parse_addr(w[3], &s.addr, &s.af))
				return *why = "bad address", -1;
			s.port = (uint16_t)atoi(w[4]);
			i = 5;
		}
		for (; i + 1 < n; i += 2) {
			if (!strcmp(w[i], "sched"))
				snprintf(s.sched, sizeof(s.sched), "%s", w[i + 1]);
			else if (!strcmp(w[i], "timeout")) {
				s.timeout = (uint32_t)strtoul(w[i + 1], NULL, 0);
				s.flags |= IP_VS_SVC_F_PERSISTENT;
			} else if (!strcmp(w[i], "netmask"))
				s.netmask = (uint32_t)strtoul(w[i + 1], NULL, 0);
			else if (!strcmp(w[i], "flags"))
				s.flags = (uint32_t)strtoul(w[i + 1], NULL, 0);
			else if (!strcmp(w[i], "pe"))
				snprintf(s.pe_name, sizeof(s.pe_name), "%s", w[i + 1]);
			else
				return *why = "unknown svc option", -1;
		}
		if (i != n)
			return *why = "option without a value", -1;
		/* netmask: 0xffffff00 for IPv4 (sent in network order), a prefix for IPv6 */
		if (!s.netmask)
			s.netmask = s.af == AF_INET6 ? 128 : 0xffffffff;
		else if (s.af == AF_INET)
			s.netmask = htonl(s.netmask);
		p->svcs = grow(p->svcs, p->n_svcs, &p->cap_svcs, sizeof(s));
		p->svcs[p->n_svcs++] = s;
		if (!use)
			add_op(p, k, p->n_svcs - 1, 0);
		return 0;
	}
	if (!strcmp(w[0], "dest")) {
		struct ipvs_dest d = { .weight = 1, .conn_flags = IP_VS_CONN_F_DROUTE };

		if (!p->n_svcs)
			return *why = "dest before any svc line", -1;
		if (n < 4 || op_kind(w[1], true, &k) || parse_addr(w[2], &d.addr, &d.af))
			return *why = "dest add|edit|del ADDR PORT [OPTS]", -1;
		d.port = (uint16_t)atoi(w[3]);
		for (i = 4; i + 1 < n; i += 2) {
			if (!strcmp(w[i], "weight"))
				d.weight = atoi(w[i + 1]);
			else if (!strcmp(w[i], "uthr"))
				d.u_threshold = (uint32_t)strtoul(w[i + 1], NULL, 0);
			else if (!strcmp(w[i], "lthr"))
				d.l_threshold = (uint32_t)strtoul(w[i + 1], NULL, 0);
			else if (!strcmp(w[i], "fwd")) {
				if (!strcmp(w[i + 1], "masq"))
					d.conn_flags = IP_VS_CONN_F_MASQ;
				else if (!strcmp(w[i + 1], "local"))
					d.conn_flags = IP_VS_CONN_F_LOCALNODE;
				else if (!strcmp(w[i + 1], "tunnel"))
					d.conn_flags = IP_VS_CONN_F_TUNNEL;
				else if (!strcmp(w[i + 1], "route"))
					d.conn_flags = IP_VS_CONN_F_DROUTE;
				else
					return *why = "fwd is masq, local, tunnel or route", -1;
			} else
				return *why = "unknown dest option", -1;
		}
		if (i != n)
			return *why = "option without a value", -1;
		p->dests = grow(p->dests, p->n_dests, &p->cap_dests, sizeof(d));
		p->dests[p->n_dests++] = d;
		add_op(p, k, p->n_svcs - 1, p->n_dests - 1);
		return 0;
	}
	return *why = "line starts with neither svc nor dest", -1;
}

static int load_plan(const char *file, struct plan *p)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[1024];
	unsigned ln = 0;

	if (!f) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *w[32], *save = NULL, *c = strchr(line, '#');
		int n = 0;
		const char *why;

		ln++;
		if (c)
			*c = '\0';
		for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 32;
		     t = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = t;
		if (!n)
			continue;
		if (parse_line(p, w, n, &why)) {
			fprintf(stderr, "%s:%u: %s\n", file, ln, why);
			if (f != stdin)
				fclose(f);
			return -1;
		}
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

static void gen_plan(struct plan *p, unsigned ns, unsigned nd)
{
	for (unsigned i = 0; i < ns; i++) {
		char buf[160];
		char *w[8];
		const char *why;

		snprintf(buf, sizeof(buf), "svc add tcp 198.18.%u.%u 80 sched wlc", 100 + i / 250,
			 i % 250 + 1);
		int n = 0;
		char *save = NULL;

		for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
			w[n++] = t;
		parse_line(p, w, n, &why);
		for (unsigned j = 0; j < nd; j++) {
			snprintf(buf, sizeof(buf), "dest add 198.19.%u.%u 80 weight 1 fwd route",
				 j / 250, j % 250 + 1);
			n = 0;
			save = NULL;
			for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
				w[n++] = t;
			parse_line(p, w, n, &why);
		}
	}
}

static int run_plan(struct ipvs_genl *g, struct plan *p)
{
	struct ipvs_ops ops = { 0 };
	unsigned done = 0, msgs, sends;
	char err[512];
	double t0, t;
	int rc;

	ops.v = calloc(p->n_ops ? p->n_ops : 1, sizeof(*ops.v));
	if (!ops.v)
		return 1;
	for (unsigned i = 0; i < p->n_ops; i++) {
		ops.v[i].kind = p->ops[i].kind;
		ops.v[i].svc = &p->svcs[p->ops[i].svc];
		ops.v[i].dest =
			p->ops[i].kind >= IPVS_OP_ADD_DEST ? &p->dests[p->ops[i].dest] : NULL;
	}
	ops.n = ops.cap = p->n_ops;
	t0 = now();
	rc = ipvs_genl_apply(g, &ops, &done, err, sizeof(err));
	t = now() - t0;
	ipvs_genl_last_apply(g, &msgs, &sends);
	{
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		fprintf(stderr,
			"apply: %u/%u ops in %.3f s (%.0f ops/s, %u messages in %u sendmsg; "
			"cpu user %.3f s, sys %.3f s)\n",
			done, ops.n, t, t > 0 ? done / t : 0.0, msgs, sends,
			(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
			(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	}
	if (rc)
		fprintf(stderr, "apply failed: %s\n", err);
	free(ops.v);
	return rc ? 1 : 0;
}

static void free_plan(struct plan *p)
{
	free(p->svcs);
	free(p->dests);
	free(p->ops);
}

static int parse_role(const char *s, enum ipvs_sync_state *st)
{
	if (!strcmp(s, "master"))
		*st = IPVS_SYNC_MASTER;
	else if (!strcmp(s, "backup"))
		*st = IPVS_SYNC_BACKUP;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct ipvs_genl *g;
	unsigned window = 0;
	int rc, ret = 0, a = 1;

	if (a + 1 < argc && !strcmp(argv[a], "-w")) {
		window = (unsigned)strtoul(argv[a + 1], NULL, 0);
		a += 2;
	}
	if (a >= argc)
		return usage();
	rc = ipvs_genl_open(&g);
	if (rc) {
		fprintf(stderr, "ipvstool: IPVS: %s\n", strerror(-rc));
		return 1;
	}
	if (window)
		ipvs_genl_set_window(g, window, window == 1 ? 4096 : (size_t)window * 1024);
	if (!strcmp(argv[a], "dump")) {
		ret = cmd_dump(g);
	} else if (!strcmp(argv[a], "apply") && a + 1 < argc) {
		struct plan p = { 0 };

		ret = load_plan(argv[a + 1], &p) ? 1 : run_plan(g, &p);
		free_plan(&p);
	} else if (!strcmp(argv[a], "gen") && a + 2 < argc) {
		struct plan p = { 0 };

		gen_plan(&p, (unsigned)atoi(argv[a + 1]), (unsigned)atoi(argv[a + 2]));
		ret = run_plan(g, &p);
		free_plan(&p);
	} else if (!strcmp(argv[a], "flush")) {
		double t0 = now();

		rc = ipvs_genl_flush(g);
		fprintf(stderr, "flush: %s in %.3f s\n", rc ? strerror(-rc) : "ok", now() - t0);
		ret = rc != 0;
	} else if (!strcmp(argv[a], "timeouts") && a + 3 < argc) {
		rc = ipvs_genl_set_timeouts(g, (uint32_t)atoi(argv[a + 1]),
					    (uint32_t)atoi(argv[a + 2]),
					    (uint32_t)atoi(argv[a + 3]));
		if (rc)
			fprintf(stderr, "timeouts: %s\n", strerror(-rc));
		ret = rc != 0;
	} else if (!strcmp(argv[a], "sync") && a + 1 < argc) {
		enum ipvs_sync_state st;

		if (!strcmp(argv[a + 1], "start") && a + 4 < argc &&
		    !parse_role(argv[a + 2], &st)) {
			struct ipvs_sync_cfg c = { 0 };

			snprintf(c.ifname, sizeof(c.ifname), "%s", argv[a + 3]);
			c.syncid = (uint32_t)atoi(argv[a + 4]);
			rc = ipvs_genl_sync_start(g, st, &c);
		} else if (!strcmp(argv[a + 1], "stop") && a + 2 < argc &&
			   !parse_role(argv[a + 2], &st)) {
			rc = ipvs_genl_sync_stop(g, st);
		} else if (!strcmp(argv[a + 1], "show")) {
			unsigned roles;

			rc = ipvs_genl_sync_running(g, &roles);
			if (!rc)
				printf("master %s\nbackup %s\n", roles & 1 ? "running" : "stopped",
				       roles & 2 ? "running" : "stopped");
		} else {
			ipvs_genl_close(g);
			return usage();
		}
		if (rc)
			fprintf(stderr, "sync: %s\n", strerror(-rc));
		ret = rc != 0;
	} else {
		ipvs_genl_close(g);
		return usage();
	}
	ipvs_genl_close(g);
	return ret;
}
