/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nltool: drives vrrp/netlink.c on a real libuv loop for tests/net/
 * t-vrrp-netlink.sh (run inside a namespace the test made).
 *
 *   nltool add IFNAME N        add N VIPs 198.18.(1+i/250).(1+i%250)/32 in one batch
 *   nltool del IFNAME N        delete them again
 *   nltool show                print the interface table
 *   nltool monitor [--rcvbuf BYTES] [--ready FILE]
 *                              print events until SIGTERM/SIGINT
 *   nltool vmac NAME PARENT MAC   create a macvlan VMAC, wait for its LINK event
 *   nltool rt IFNAME add|del   a route (gateway, table 100, metric 5) and a rule
 *                              (fwmark 7/0xff, table 100, pref 1000), plus a
 *                              route with an unsupported option that must be refused
 *
 * add/del print "RESULT op=add n=N errors=E sendmsg=B msgs=M ack_ms=T table_ms=T"
 * (sendmsg: the number of sendmsg calls; ack_ms: queue to last ACK; table_ms:
 * queue until the event socket showed every change in the table).
 * Event lines carry the wall-clock time in ns (t=...) so the shell can
 * compare them with `date +%s%N`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "vrrp/netlink.h"

static uv_loop_t *loop;
static struct vrrp_nl *nl;
static unsigned n_done, n_err, n_want;
static uint64_t t0, t_ack;
static const char *vmac_name;
static int vmac_rc = 1;
static bool print_events;

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void vip_of(unsigned i, struct conf_vip *v)
{
	memset(v, 0, sizeof(*v));
	v->scope = -1;
	v->preferred_lft = CONF_LFT_UNSET;
	v->addr.addr.family = AF_INET;
	v->addr.addr.u.v4.s_addr = htonl(0xc6120000u | (1 + i / 250) << 8 | (1 + i % 250));
	v->addr.len = 32;
	v->addr.has_len = true;
}

static const char *mac_str(const uint8_t m[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static void print_iface(const char *tag, const struct vrrp_iface *f)
{
	char mac[18], a4[CONF_ADDRSTRLEN] = "-", a6[CONF_ADDRSTRLEN] = "-";

	if (f->addr4.family)
		conf_addr_str(&f->addr4, a4);
	if (f->addr6_ll.family)
		conf_addr_str(&f->addr6_ll, a6);
	printf("%s t=%" PRIu64 " name=%s ifindex=%d admin_up=%d oper_up=%d mac=%s mtu=%u "
	       "link=%d macvlan=%d addr4=%s ll6=%s\n",
	       tag, wall_ns(), f->name, f->ifindex, f->admin_up, f->oper_up, mac_str(f->mac, mac),
	       f->mtu, f->link_ifindex, f->is_macvlan, a4, a6);
	fflush(stdout);
}

static void on_done(int err, const char *what, void *data)
{
	(void)data;
	n_done++;
	if (err) {
		n_err++;
		fprintf(stderr, "nltool: %s: %s\n", what, strerror(-err));
	}
	if (n_done == n_want)
		t_ack = uv_hrtime();
}

static void on_event(const struct vrrp_nl_msg *m, void *data)
{
	char a[CONF_ADDRSTRLEN];
	struct vrrp_nl_stats st;
	const struct vrrp_iface *f;

	(void)data;
	if (!print_events)
		return;
	switch (m->ev) {
	case VRRP_NL_LINK:
		print_iface("LINK", m->iface);
		if (vmac_name && !strcmp(m->iface->name, vmac_name) && m->iface->is_macvlan &&
		    m->iface->admin_up) {
			vmac_rc = 0;
			uv_stop(loop);
		}
		break;
	case VRRP_NL_LINK_GONE:
		print_iface("LINK_GONE", m->iface);
		break;
	case VRRP_NL_ADDR_ADD:
	case VRRP_NL_ADDR_DEL:
		f = vrrp_nl_iface_by_index(nl, m->ifindex);
		printf("%s t=%" PRIu64 " dev=%s addr=%s\n",
		       m->ev == VRRP_NL_ADDR_ADD ? "ADDR_ADD" : "ADDR_DEL", wall_ns(),
		       f ? f->name : "?", conf_prefix_str(&m->addr, a));
		fflush(stdout);
		break;
	case VRRP_NL_RESYNC:
		vrrp_nl_stats(nl, &st);
		printf("RESYNC t=%" PRIu64 " resyncs=%" PRIu64 "\n", wall_ns(), st.resyncs);
		fflush(stdout);
		break;
	}
}

static int finish(int rc)
{
	vrrp_nl_close(nl);
	uv_run(loop, UV_RUN_DEFAULT); /* the close callbacks */
	if (uv_loop_close(loop))
		fprintf(stderr, "nltool: handles left open on the loop\n");
	return rc;
}

static void tick_stop(uv_timer_t *t)
{
	uv_stop(t->loop);
}

/* Runs the loop until pred() or timeout_ms. */
static bool run_until(bool (*pred)(void *), void *arg, unsigned timeout_ms)
{
	uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000;
	uv_timer_t tick;
	bool ok;

	uv_timer_init(loop, &tick);
	uv_timer_start(&tick, tick_stop, 5, 5);
	while (!(ok = pred(arg)) && uv_hrtime() < end)
		uv_run(loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&tick, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	return ok;
}

static bool all_done(void *arg)
{
	(void)arg;
	return n_done >= n_want;
}

struct table_wait {
	int ifindex;
	unsigned n;
	bool present;
};

static bool table_matches(void *arg)
{
	struct table_wait *w = arg;
	unsigned i;

	for (i = 0; i < w->n; i++) {
		struct conf_vip v;

		vip_of(i, &v);
		if (vrrp_nl_has_addr(nl, w->ifindex, &v.addr) != w->present)
			return false;
	}
	return true;
}

static int cmd_vips(bool add, const char *ifname, unsigned n)
{
	const struct vrrp_iface *f = vrrp_nl_iface_by_name(nl, ifname);
	struct vrrp_nl_stats s0, s1;
	struct table_wait w;
	uint64_t t_table;
	unsigned i;
	bool ok;

	if (!f) {
		fprintf(stderr, "nltool: no interface %s\n", ifname);
		return finish(1);
	}
	w.ifindex = f->ifindex;
	w.n = n;
	w.present = add;
	vrrp_nl_stats(nl, &s0);
	n_want = n;
	t0 = uv_hrtime();
	for (i = 0; i < n; i++) {
		struct conf_vip v;

		vip_of(i, &v);
		vrrp_nl_addr(nl, add, w.ifindex, &v, on_done, NULL);
	}
	ok = run_until(all_done, NULL, 10000);
	ok = run_until(table_matches, &w, 10000) && ok;
	t_table = uv_hrtime();
	vrrp_nl_stats(nl, &s1);
	printf("RESULT op=%s n=%u done=%u errors=%u sendmsg=%" PRIu64 " msgs=%" PRIu64
	       " ack_ms=%.2f table_ms=%.2f table_ok=%d\n",
	       add ? "add" : "del", n, n_done, n_err, s1.batches - s0.batches, s1.msgs - s0.msgs,
	       (double)(t_ack - t0) / 1e6, (double)(t_table - t0) / 1e6, ok);
	return finish(ok && !n_err ? 0 : 1);
}

static int cmd_show(void)
{
	struct if_nameindex *ni = if_nameindex(), *p;

	if (!ni)
		return finish(1);
	for (p = ni; p->if_index; p++) {
		const struct vrrp_iface *f = vrrp_nl_iface_by_name(nl, p->if_name);

		if (f)
			print_iface("IFACE", f);
		else
			printf("MISSING name=%s\n", p->if_name);
	}
	if_freenameindex(ni);
	return finish(0);
}

static void on_signal(uv_signal_t *s, int signum)
{
	(void)signum;
	uv_stop(s->loop);
}

static int cmd_monitor(const char *ready)
{
	uv_signal_t sterm, sint;

	uv_signal_init(loop, &sterm);
	uv_signal_init(loop, &sint);
	uv_signal_start(&sterm, on_signal, SIGTERM);
	uv_signal_start(&sint, on_signal, SIGINT);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	printf("READY t=%" PRIu64 "\n", wall_ns());
	fflush(stdout);
	uv_run(loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&sterm, NULL);
	uv_close((uv_handle_t *)&sint, NULL);
	return finish(0);
}

static bool vmac_seen(void *arg)
{
	(void)arg;
	return vmac_rc == 0 && n_done >= n_want;
}

static int cmd_vmac(const char *name, const char *parent, const char *macs)
{
	const struct vrrp_iface *p = vrrp_nl_iface_by_name(nl, parent);
	unsigned m[6];
	uint8_t mac[6];
	int i;

	if (!p ||
	    sscanf(macs, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6) {
		fprintf(stderr, "nltool: bad parent or MAC\n");
		return finish(1);
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	vmac_name = name;
	n_want = 1;
	vrrp_nl_vmac_add(nl, name, p->ifindex, mac, on_done, NULL);
	if (!run_until(vmac_seen, NULL, 5000) || n_err) {
		fprintf(stderr, "nltool: no LINK event for %s\n", name);
		return finish(1);
	}
	printf("VMAC_OK name=%s\n", name);
	return finish(0);
}

static int cmd_rt(const char *ifname, bool add)
{
	struct conf_route r, bad;
	struct conf_rule rule;
	char *bad_opts[] = { "vrf", "blue" };
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.scope = -1;
	inet_pton(AF_INET, "198.19.200.0", &r.dst.addr.u.v4);
	r.dst.addr.family = AF_INET;
	r.dst.len = 24;
	r.via.family = AF_INET;
	inet_pton(AF_INET, "198.18.0.254", &r.via.u.v4);
	r.dev = (char *)ifname;
	r.table = "100";
	r.metric = 5;
	r.has_metric = true;

	memset(&rule, 0, sizeof(rule));
	rule.family = AF_INET;
	rule.table = "100";
	rule.preference = 1000;
	rule.has_preference = true;
	rule.fwmark = 7;
	rule.fwmask = 0xff;
	rule.has_fwmark = true;

	n_want = 2;
	vrrp_nl_route(nl, add, &r, on_done, NULL);
	vrrp_nl_rule(nl, add, &rule, on_done, NULL);
	if (!run_until(all_done, NULL, 5000) || n_err)
		rc = 1;
	printf("RT op=%s done=%u errors=%u\n", add ? "add" : "del", n_done, n_err);

	/* An option vigil does not implement is refused, loudly, at once. */
	bad = r;
	bad.opts.v = bad_opts;
	bad.opts.n = 2;
	n_err = 0;
	vrrp_nl_route(nl, add, &bad, on_done, NULL);
	printf("RT_UNSUPPORTED refused=%d\n", n_err == 1);
	if (n_err != 1)
		rc = 1;
	return finish(rc);
}

static int usage(void)
{
	fprintf(stderr, "usage: nltool add|del IFNAME N | show | monitor [--rcvbuf B] [--ready F]"
			" | vmac NAME PARENT MAC | rt IFNAME add|del\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct vrrp_nl_opts o = { 0 };
	const char *ready = NULL;
	int i, rc;

	if (argc < 2)
		return usage();
	for (i = 2; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "--rcvbuf"))
			o.monitor_rcvbuf = (unsigned)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--ready"))
			ready = argv[i + 1];
	}
	loop = uv_default_loop();
	rc = vrrp_nl_open(loop, &o, &nl);
	if (rc) {
		fprintf(stderr, "nltool: vrrp_nl_open: %s\n", strerror(-rc));
		return 1;
	}
	vrrp_nl_subscribe(nl, on_event, NULL);
	if ((!strcmp(argv[1], "add") || !strcmp(argv[1], "del")) && argc == 4)
		return cmd_vips(argv[1][0] == 'a', argv[2], (unsigned)strtoul(argv[3], NULL, 0));
	if (!strcmp(argv[1], "show"))
		return cmd_show();
	print_events = !strcmp(argv[1], "monitor") || !strcmp(argv[1], "vmac");
	if (!strcmp(argv[1], "monitor"))
		return cmd_monitor(ready);
	if (!strcmp(argv[1], "vmac") && argc == 5)
		return cmd_vmac(argv[2], argv[3], argv[4]);
	if (!strcmp(argv[1], "rt") && argc == 4)
		return cmd_rt(argv[2], !strcmp(argv[3], "add"));
	finish(0);
	return usage();
}
