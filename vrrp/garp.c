/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Gratuitous ARP and unsolicited Neighbour Advertisements.
 *
 * The frame builders are pure. The sender keeps a FIFO of ready frames and
 * one AF_PACKET socket; a uv_check handle (running after the I/O phase of
 * the iteration in which something was queued) sends the FIFO with
 * sendmmsg, up to VRRP_GARP_BATCH frames per call. A uv_idle handle is kept
 * active at the same time only so that the loop does not block in its poll
 * phase before the check handle ran (libuv lets active idle handles, not
 * check handles, force a zero poll timeout). When the socket's send buffer
 * is full (EAGAIN) both stop and a uv_poll waits for it to become writable.
 */
#include "config.h"

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrrp/garp.h"

/*
 * Target hardware address of the ARP request. RFC 5227 2.3 says the field
 * is ignored and should be zero, but keepalived 2.2.7 sends ff:ff:ff:ff:ff:ff
 * there (captured on a veth pair: "who-has VIP (ff:ff:ff:ff:ff:ff) tell
 * VIP"). vigil is a drop-in replacement, and switches or hosts tuned on
 * keepalived's frames must see the same bytes, so we send broadcast too.
 */
static const uint8_t garp_target_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t eth_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t eth_all_nodes[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };

#define VRRP_GARP_BATCH 1024
/* Frames waiting at most; beyond it announcements are dropped and counted
 * (a thousand instances with several VIPs each stay far below). */
#define VRRP_GARP_QUEUE_MAX 65536

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t put_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put16(p + 12, type);
	return 14;
}

size_t vrrp_garp_build(uint8_t *buf, size_t cap, const uint8_t mac[6], const struct in_addr *ip)
{
	uint8_t *p;

	if (!buf || !mac || !ip || cap < VRRP_GARP_FRAME_LEN)
		return 0;
	p = buf + put_eth(buf, eth_broadcast, mac, ETH_P_ARP);
	put16(p, 1);		/* hardware type: Ethernet */
	put16(p + 2, ETH_P_IP); /* protocol type: IPv4 */
	p[4] = 6;		/* hardware address length */
	p[5] = 4;		/* protocol address length */
	put16(p + 6, 1);	/* operation: request */
	memcpy(p + 8, mac, 6);
	memcpy(p + 14, &ip->s_addr, 4);
	memcpy(p + 18, garp_target_mac, 6);
	memcpy(p + 24, &ip->s_addr, 4);
	return VRRP_GARP_FRAME_LEN;
}

/* RFC 4443 2.3: one's complement sum over the pseudo-header (RFC 8200 8.1)
 * and the ICMPv6 message. */
static uint16_t icmp6_checksum(const struct in6_addr *src, const struct in6_addr *dst,
			       const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2) {
		sum += (uint32_t)(src->s6_addr[i] << 8 | src->s6_addr[i + 1]);
		sum += (uint32_t)(dst->s6_addr[i] << 8 | dst->s6_addr[i + 1]);
	}
	sum += (uint32_t)len; /* upper-layer packet length (fits in 16 bits here) */
	sum += IPPROTO_ICMPV6;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
	if (len & 1)
		sum += (uint32_t)(msg[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t vrrp_na_build(uint8_t *buf, size_t cap, const uint8_t mac[6], const struct in6_addr *src,
		     const struct in6_addr *target, bool router)
{
	static const struct in6_addr all_nodes = { { { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
						       0, 1 } } };
	uint8_t *ip6, *icmp;

	if (!buf || !mac || !src || !target || cap < VRRP_NA_FRAME_LEN)
		return 0;
	ip6 = buf + put_eth(buf, eth_all_nodes, mac, ETH_P_IPV6);
	ip6[0] = 0x60; /* version 6, traffic class 0 */
	ip6[1] = 0;    /* flow label 0 */
	ip6[2] = 0;
	ip6[3] = 0;
	put16(ip6 + 4, 32);	 /* payload length: NA 24 + option 8 */
	ip6[6] = IPPROTO_ICMPV6; /* next header */
	ip6[7] = 255;		 /* RFC 4861 7.1.2: hop limit must be 255 */
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, &all_nodes, 16);

	icmp = ip6 + 40;
	icmp[0] = ND_NEIGHBOR_ADVERT; /* 136 */
	icmp[1] = 0;		      /* code */
	put16(icmp + 2, 0);	      /* checksum, filled below */
	/* RFC 4861 4.4: R (0x80), S (0x40), O (0x20) in the first byte. An
	 * unsolicited NA has S clear (7.2.6) and sets O so that caches update. */
	icmp[4] = (uint8_t)((router ? 0x80 : 0) | 0x20);
	icmp[5] = icmp[6] = icmp[7] = 0;
	memcpy(icmp + 8, target, 16);
	icmp[24] = ND_OPT_TARGET_LINKADDR; /* 2 */
	icmp[25] = 1;			   /* length in units of 8 bytes */
	memcpy(icmp + 26, mac, 6);
	put16(icmp + 2, icmp6_checksum(src, &all_nodes, icmp, 32));
	return VRRP_NA_FRAME_LEN;
}

/* ---------------------------------------------------------------- sender */

struct garp_frame {
	struct sockaddr_ll sll;
	uint8_t len;
	bool is_na;
	uint8_t data[VRRP_NA_FRAME_LEN];
};

struct vrrp_garp {
	uv_loop_t *loop;
	int fd;
	uv_check_t check;
	uv_idle_t idle;
	uv_poll_t poll;
	bool poll_inited, waiting_writable;
	int open_handles; /* handles still to be closed before free */

	struct garp_frame *q; /* ring of qcap frames */
	size_t qhead, qlen, qcap;

	struct vrrp_garp_stats stats;
	uint64_t log_last_ms, log_suppressed;
};

/* Per-frame problems can repeat a thousand times per second: at most one
 * line a second, with the count of lines left out. */
static void garp_log_error(struct vrrp_garp *g, const char *what, int err)
{
	uint64_t now = uv_now(g->loop);

	if (g->log_last_ms && now - g->log_last_ms < 1000) {
		g->log_suppressed++;
		return;
	}
	log_error("garp: %s: %s (%llu similar lines suppressed)", what, strerror(err),
		  (unsigned long long)g->log_suppressed);
	g->log_last_ms = now ? now : 1;
	g->log_suppressed = 0;
}

static void garp_arm(struct vrrp_garp *g);

static void on_writable(uv_poll_t *h, int status, int events)
{
	struct vrrp_garp *g = h->data;

	(void)events;
	uv_poll_stop(&g->poll);
	g->waiting_writable = false;
	if (status < 0)
		garp_log_error(g, "poll", -status);
	vrrp_garp_flush(g);
}

static void on_check(uv_check_t *h)
{
	vrrp_garp_flush(h->data);
}

static void on_idle(uv_idle_t *h)
{
	(void)h; /* only here to make the poll phase non-blocking */
}

static void garp_arm(struct vrrp_garp *g)
{
	if (g->qlen == 0 || g->waiting_writable) {
		uv_check_stop(&g->check);
		uv_idle_stop(&g->idle);
		return;
	}
	uv_check_start(&g->check, on_check);
	uv_idle_start(&g->idle, on_idle);
}

int vrrp_garp_open(uv_loop_t *loop, struct vrrp_garp **out)
{
	struct vrrp_garp *g;
	int err;

	if (!loop || !out)
		return -EINVAL;
	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->loop = loop;
	/* Protocol 0: the socket only sends, so the kernel never queues
	 * received frames on it. */
	g->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (g->fd < 0) {
		err = -errno;
		log_error("%s: AF_PACKET socket: %s", __func__, strerror(-err));
		free(g);
		return err;
	}
	err = uv_poll_init(loop, &g->poll, g->fd);
	if (err < 0) {
		log_error("%s: uv_poll_init: %s", __func__, uv_strerror(err));
		close(g->fd);
		free(g);
		return err;
	}
	g->poll_inited = true;
	uv_check_init(loop, &g->check);
	uv_idle_init(loop, &g->idle);
	g->check.data = g->idle.data = g->poll.data = g;
	*out = g;
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct vrrp_garp *g = h->data;

	if (--g->open_handles > 0)
		return;
	if (g->fd >= 0)
		close(g->fd);
	free(g->q);
	free(g);
}

void vrrp_garp_close(struct vrrp_garp *g)
{
	if (!g)
		return;
	/* Last chance for what is queued (a stop announces nothing, but a
	 * close right after a takeover should not swallow its GARPs). */
	vrrp_garp_flush(g);
	g->open_handles = 3;
	uv_close((uv_handle_t *)&g->check, on_closed);
	uv_close((uv_handle_t *)&g->idle, on_closed);
	uv_close((uv_handle_t *)&g->poll, on_closed);
}

static struct garp_frame *garp_push(struct vrrp_garp *g)
{
	size_t i, ncap;
	struct garp_frame *nq;

	if (g->qlen == g->qcap) {
		if (g->qcap >= VRRP_GARP_QUEUE_MAX)
			return NULL;
		ncap = g->qcap ? g->qcap * 2 : 64;
		nq = malloc(ncap * sizeof(*nq));
		if (!nq)
			return NULL;
		for (i = 0; i < g->qlen; i++)
			nq[i] = g->q[(g->qhead + i) % g->qcap];
		free(g->q);
		g->q = nq;
		g->qcap = ncap;
		g->qhead = 0;
	}
	return &g->q[(g->qhead + g->qlen++) % g->qcap];
}

static void garp_pop(struct vrrp_garp *g, size_t n)
{
	g->qhead = (g->qhead + n) % g->qcap;
	g->qlen -= n;
}

void vrrp_garp_announce(struct vrrp_garp *g, int ifindex, const uint8_t mac[6],
			const struct conf_addr *addrs, unsigned n, const struct conf_addr *src6,
			bool router)
{
	struct garp_frame *f;
	unsigned i;
	size_t len;

	if (!g || !mac || (n && !addrs))
		return;
	for (i = 0; i < n; i++) {
		const struct conf_addr *a = &addrs[i];
		bool na = a->family == AF_INET6;

		if (a->family != AF_INET && !na) {
			g->stats.errors++;
			continue;
		}
		if (na &&
		    (!src6 || src6->family != AF_INET6 || IN6_IS_ADDR_UNSPECIFIED(&src6->u.v6))) {
			/* RFC 4861 7.2.6 needs a source address of the interface. */
			g->stats.errors++;
			garp_log_error(g, "NA skipped, no IPv6 source address", EADDRNOTAVAIL);
			continue;
		}
		f = garp_push(g);
		if (!f) {
			g->stats.errors++;
			garp_log_error(g, "queue full, announcement dropped", ENOBUFS);
			continue;
		}
		memset(&f->sll, 0, sizeof(f->sll));
		f->sll.sll_family = AF_PACKET;
		f->sll.sll_ifindex = ifindex;
		f->sll.sll_halen = 6;
		if (na) {
			len = vrrp_na_build(f->data, sizeof(f->data), mac, &src6->u.v6, &a->u.v6,
					    router);
			f->sll.sll_protocol = htons(ETH_P_IPV6);
			memcpy(f->sll.sll_addr, eth_all_nodes, 6);
		} else {
			len = vrrp_garp_build(f->data, sizeof(f->data), mac, &a->u.v4);
			f->sll.sll_protocol = htons(ETH_P_ARP);
			memcpy(f->sll.sll_addr, eth_broadcast, 6);
		}
		f->len = (uint8_t)len;
		f->is_na = na;
	}
	garp_arm(g);
}

void vrrp_garp_flush(struct vrrp_garp *g)
{
	static struct mmsghdr msgs[VRRP_GARP_BATCH];
	static struct iovec iov[VRRP_GARP_BATCH];
	size_t i, batch;
	int r;

	if (!g)
		return;
	while (g->qlen > 0) {
		/* One contiguous run of the ring per call. */
		batch = g->qlen;
		if (batch > g->qcap - g->qhead)
			batch = g->qcap - g->qhead;
		if (batch > VRRP_GARP_BATCH)
			batch = VRRP_GARP_BATCH;
		for (i = 0; i < batch; i++) {
			struct garp_frame *f = &g->q[g->qhead + i];

			iov[i].iov_base = f->data;
			iov[i].iov_len = f->len;
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_name = &f->sll;
			msgs[i].msg_hdr.msg_namelen = sizeof(f->sll);
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(g->fd, msgs, (unsigned)batch, 0);
		if (r > 0) {
			for (i = 0; i < (size_t)r; i++) {
				if (g->q[g->qhead + i].is_na)
					g->stats.na_sent++;
				else
					g->stats.arp_sent++;
			}
			garp_pop(g, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			g->waiting_writable = true;
			uv_poll_start(&g->poll, UV_WRITABLE, on_writable);
			break;
		}
		/* The head frame cannot be sent (interface gone or down, ...):
		 * drop it, count it, go on with the others. */
		g->stats.errors++;
		garp_log_error(g, "sendmmsg", r < 0 ? errno : EIO);
		garp_pop(g, 1);
	}
	garp_arm(g);
}

void vrrp_garp_stats(const struct vrrp_garp *g, struct vrrp_garp_stats *s)
{
	if (!s)
		return;
	if (!g) {
		memset(s, 0, sizeof(*s));
		return;
	}
	*s = g->stats;
}
