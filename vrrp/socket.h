/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP raw sockets: ONE per (interface, family), shared by every instance
 * that sends or receives there. Received packets are read in batches with
 * recvmmsg, parsed (packet.h) and dispatched by VRID through a 256-entry
 * table; adverts queued during one loop iteration leave in one sendmmsg.
 * IPv4 multicast adverts on an Ethernet interface leave through an
 * AF_PACKET socket (the complete IP packet, the kernel adds the link-layer
 * header): no route lookup, no IP output path per advert.
 *
 * Every packet carries its kernel arrival time (SO_TIMESTAMPNS), so that
 * timers started by an advert count from when it arrived, not from when it
 * was read. That lets a socket under heavy traffic be read in coalesced
 * rounds: after a large batch the socket is not polled for a short window
 * (at most 1/20 of the smallest advert interval of its instances, a few ms)
 * and then drained; light traffic is read at once.
 *
 * The socket knows nothing of instances: whoever attaches a receiver for a
 * VRID gives the callbacks that take its packets (struct vrrp_sock_rcv).
 */
#ifndef VIGIL_VRRP_SOCKET_H
#define VIGIL_VRRP_SOCKET_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "conf/value.h"
#include "vrrp/packet.h"

struct json;
struct vrrp_sock_rcv;

/* What a receiver of packets (an instance) tells the socket. */
struct vrrp_sock_rcv_ops {
	/* Does r take packets from src (unicast peers)? */
	bool (*wants_src)(const struct vrrp_sock_rcv *r, const struct conf_addr *src);
	/* A parsed packet for r that arrived at arrival_ns (uv_hrtime clock). */
	void (*rx)(struct vrrp_sock_rcv *r, const struct vrrp_pkt *p, uint64_t arrival_ns);
	/* The shortest advert interval (us) r may hear now (0: none). */
	uint64_t (*rx_interval_us)(const struct vrrp_sock_rcv *r);
};

/* One receiver of a VRID, embedded in its owner. */
struct vrrp_sock_rcv {
	const struct vrrp_sock_rcv_ops *ops;
	struct vrrp_sock_rcv *next; /* chain in sock->by_vrid */
};

#define VRRP_SOCK_BATCH 64

struct vrrp_sock {
	struct vrrp_sock *next;	 /* in the runtime's list */
	struct vrrp_sock **list; /* that list's head */
	uv_loop_t *loop;
	int fd;
	int pfd; /* IPv4 on Ethernet: AF_PACKET for multicast adverts, else -1 */
	int ifindex;
	int family;
	int proto; /* IPPROTO_VRRP, or 51 (AH) for auth_type AH instances */
	char ifname[16];
	unsigned refs; /* instances using it */
	uv_poll_t poll;
	uv_check_t check;     /* active while adverts are queued: flushes what */
	uv_prepare_t prepare; /* I/O callbacks (check) and timers (prepare) queued */
	uv_timer_t rx_timer;  /* coalesced reading: the next drain */
	bool poll_open, check_open, check_active, closing;
	bool polling;	    /* uv_poll active (false while coalescing) */
	uint64_t rx_now_ns; /* arrival time of the packet being dispatched */
	uint64_t rx_coalesced, rx_stamped, rx_unstamped; /* rounds; packets */
	unsigned rx_window_ms;	  /* cached window_ms() */
	uint64_t rx_window_at_ms; /* loop ms it was computed, 0: stale */
	struct vrrp_sock_rcv *by_vrid[256]; /* chained through next */
	/* groups joined (a few distinct ones at most) */
	struct conf_addr groups[4];
	unsigned ngroups;
	/* send queue */
	unsigned nq;
	uint8_t *qbuf; /* VRRP_SOCK_BATCH * VRRP_PKT_MAX */
	struct conf_addr qdst[VRRP_SOCK_BATCH];
	struct conf_addr qsrc[VRRP_SOCK_BATCH];
	unsigned qlen[VRRP_SOCK_BATCH];
	int16_t qhl[VRRP_SOCK_BATCH]; /* IPv6 hop limit, -1: the kernel's default */
	/* receive buffers */
	uint8_t *rbuf; /* VRRP_SOCK_BATCH * VRRP_PKT_MAX */
	uint64_t drops[VRRP_DROP__COUNT];
	uint64_t rx, tx, tx_errors, rx_errors;
	bool log_unknown;
	uint64_t last_unknown_log_ms;
	/* receive buffer: the larger of the fixed size asked at open and the
	 * sum of the per-instance shares (vrrp_rx_bufs_policy MTU / ADVERT,
	 * kernel_rx_buf_size) */
	unsigned rcvbuf_fixed, rcvbuf_sum, rcvbuf_set;
};

/* Finds or opens the socket for (ifindex, family, proto); joins group
 * (unset: none, unicast). proto: VRRP_IPPROTO, or VRRP_AH_PROTO (IPv4)
 * for the instances with auth_type AH, whose adverts a raw VRRP socket
 * never sees. rcvbuf 0: system default. NULL on error (logged). */
struct vrrp_sock *vrrp_sock_get(struct vrrp_sock **list, uv_loop_t *loop, int ifindex,
				const char *ifname, int family, int proto,
				const struct conf_addr *group, unsigned rcvbuf, bool log_unknown);
/* Drops one reference; the last one closes the socket (queued adverts are
 * sent first). */
void vrrp_sock_put(struct vrrp_sock **list, struct vrrp_sock *s);

/* Adds one instance's share to the receive buffer and applies it. */
void vrrp_sock_rcvbuf_add(struct vrrp_sock *s, unsigned bytes);

/* r (with r->ops set) receives the packets of vrid on s; receivers of one
 * VRID are asked in the order they were attached. */
void vrrp_sock_attach(struct vrrp_sock *s, struct vrrp_sock_rcv *r, uint8_t vrid);
void vrrp_sock_detach(struct vrrp_sock *s, struct vrrp_sock_rcv *r, uint8_t vrid);

/* Queues one packet (IPv4: whole IP packet; IPv6: VRRP part) to dst from
 * src (IPv6 source selection); IPv6: with hoplimit (-1: the kernel's default). */
void vrrp_sock_queue(struct vrrp_sock *s, const uint8_t *pkt, unsigned len,
		     const struct conf_addr *src, const struct conf_addr *dst, int hoplimit);
void vrrp_sock_flush(struct vrrp_sock *s);
/* Reads and dispatches everything waiting now (until EAGAIN). */
void vrrp_sock_drain(struct vrrp_sock *s);
/* The coalescing window must be computed again (an instance's interval
 * changed). */
static inline void vrrp_sock_window_stale(struct vrrp_sock *s)
{
	if (s)
		s->rx_window_at_ms = 0;
}

/* Pure helpers (unit-testable). The arrival time of a packet in the
 * uv_hrtime clock, from its CLOCK_REALTIME kernel stamp stamp_rt and the
 * two clocks read together now (now_rt, now_mono): never after now_mono;
 * a stamp from the future or more than VRRP_RX_AGE_MAX_NS old (a clock
 * step) gives now_mono. */
#define VRRP_RX_AGE_MAX_NS 1000000000ull
uint64_t vrrp_rx_arrival_ns(uint64_t stamp_rt, uint64_t now_rt, uint64_t now_mono);
/* The coalescing window (ms) for the smallest advert interval (us) of a
 * socket's instances: 1/20 of it, at most VRRP_RX_COALESCE_MAX_MS; 0: read
 * at once. */
#define VRRP_RX_COALESCE_MAX_MS 5
unsigned vrrp_rx_window_ms(uint64_t min_adver_us);

void vrrp_sock_status_json(const struct vrrp_sock *s, struct json *j);

#endif
