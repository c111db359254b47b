/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One raw IPPROTO_VRRP socket per (interface, family), shared by every
 * instance there. Reading is batched (recvmmsg), dispatch is by VRID to
 * the receivers attached (their owner's callbacks); the adverts of one
 * loop iteration leave in one sendmmsg from a uv_check.
 * Packets carry their kernel arrival time; under heavy traffic a socket is
 * read in coalesced rounds instead of at every wake-up.
 */
#include "config.h"

#include "vrrp/socket.h"

#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/log.h"

#define RX_ROUNDS_PER_WAKEUP 16 /* batches read per poll wake-up before yielding */
#define CTRL_LEN 128
/* A wake-up that reads at least this many packets means heavy traffic:
 * read the next ones in a coalesced round (vrrp_rx_window_ms later). */
#define RX_COALESCE_MIN 4

static int setopt(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) < 0) {
		log_error("vrrp socket: %s: %s", what, strerror(errno));
		return -errno;
	}
	return 0;
}

static int join_group(struct vrrp_sock *s, const struct conf_addr *g)
{
	unsigned i;
	char buf[CONF_ADDRSTRLEN];

	if (!g || conf_addr_is_unset(g))
		return 0;
	for (i = 0; i < s->ngroups; i++)
		if (conf_addr_equal(&s->groups[i], g))
			return 0;
	if (s->ngroups == sizeof(s->groups) / sizeof(s->groups[0])) {
		log_error("vrrp socket %s: too many multicast groups", s->ifname);
		return -ENOSPC;
	}
	if (s->family == AF_INET) {
		struct ip_mreqn mr = { .imr_multiaddr = g->u.v4, .imr_ifindex = s->ifindex };

		if (setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			goto fail;
	} else {
		struct ipv6_mreq mr = { .ipv6mr_multiaddr = g->u.v6,
					.ipv6mr_interface = (unsigned)s->ifindex };

		if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0)
			goto fail;
	}
	s->groups[s->ngroups++] = *g;
	return 0;
fail:
	log_error("vrrp socket %s: joining %s: %s", s->ifname, conf_addr_str(g, buf),
		  strerror(errno));
	return -errno;
}

static int open_fd(struct vrrp_sock *s, unsigned rcvbuf)
{
	int fd = socket(s->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, s->proto);

	if (fd < 0) {
		log_error("vrrp socket %s: socket: %s", s->ifname, strerror(errno));
		return -errno;
	}
	s->fd = fd;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname, (socklen_t)strlen(s->ifname)) <
	    0) {
		log_error("vrrp socket %s: SO_BINDTODEVICE: %s", s->ifname, strerror(errno));
		return -errno;
	}
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
	    setopt(fd, SOL_SOCKET, SO_RCVBUF, (int)rcvbuf, "SO_RCVBUF") < 0)
		return -errno;
	/* Kernel arrival times: timers count from when an advert arrived. */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &(int){ 1 }, sizeof(int)) < 0)
		log_warn("vrrp socket %s: SO_TIMESTAMPNS: %s: timers count from reading",
			 s->ifname, strerror(errno));
	if (s->family == AF_INET) {
		struct ip_mreqn mif = { .imr_ifindex = s->ifindex };

		if (setopt(fd, IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL") ||
		    setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP") ||
		    setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL, "IP_MULTICAST_TTL"))
			return -EINVAL;
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof(mif)) < 0)
			log_warn("vrrp socket %s: IP_MULTICAST_IF: %s", s->ifname, strerror(errno));
	} else {
		/* No IPV6_UNICAST_HOPS: unicast adverts without unicast_ttl go
		 * with the kernel's hop limit, as keepalived's (each packet
		 * carries its IPV6_HOPLIMIT; -1 means that default). */
		if (setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO") ||
		    setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT") ||
		    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL,
			   "IPV6_MULTICAST_HOPS") ||
		    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP") ||
		    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, s->ifindex, "IPV6_MULTICAST_IF"))
			return -EINVAL;
	}
	return 0;
}

/*
 * IPv4 multicast adverts on an Ethernet interface: an AF_PACKET datagram
 * socket takes the complete IP packet vrrp_build() made (header checksum,
 * ID and length included, as the raw socket sends it) and the kernel adds
 * the Ethernet header from the destination MAC we give and the device's own
 * address (the VMAC's on a VMAC). This skips the per-packet route lookup
 * and IP output path. Protocol 0: it receives nothing. The qdisc is not
 * bypassed, so that captures on the interface still show the adverts.
 * Without it (error, not Ethernet) everything goes through the raw socket.
 */
static void open_pfd(struct vrrp_sock *s)
{
	struct ifreq ifr;
	int fd;

	if (s->family != AF_INET)
		return;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", s->ifname);
	if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0 || ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return;
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_debug("vrrp socket %s: AF_PACKET: %s: sending through the raw socket",
			  s->ifname, strerror(errno));
		return;
	}
	s->pfd = fd;
}

static void on_poll(uv_poll_t *h, int status, int events);
static void on_rx_timer(uv_timer_t *h);
static void on_check(uv_check_t *h);
static void on_prepare(uv_prepare_t *h);

static void free_sock(struct vrrp_sock *s)
{
	free(s->qbuf);
	free(s->rbuf);
	free(s);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct vrrp_sock *s = h->data;

	if (--s->refs == 0)
		free_sock(s);
}

void vrrp_sock_rcvbuf_add(struct vrrp_sock *s, unsigned bytes)
{
	unsigned want;

	if (!s || !bytes)
		return;
	s->rcvbuf_sum = s->rcvbuf_sum > UINT32_MAX - bytes ? UINT32_MAX : s->rcvbuf_sum + bytes;
	want = s->rcvbuf_sum > s->rcvbuf_fixed ? s->rcvbuf_sum : s->rcvbuf_fixed;
	if (want > INT32_MAX)
		want = INT32_MAX;
	if (want == s->rcvbuf_set)
		return;
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0 &&
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want)) < 0) {
		log_warn("vrrp socket %s: SO_RCVBUF %u: %s", s->ifname, want, strerror(errno));
		return;
	}
	s->rcvbuf_set = want;
}

struct vrrp_sock *vrrp_sock_get(struct vrrp_sock **list, uv_loop_t *loop, int ifindex,
				const char *ifname, int family, int proto,
				const struct conf_addr *group, unsigned rcvbuf, bool log_unknown)
{
	struct vrrp_sock *s;

	for (s = *list; s; s = s->next) {
		if (s->ifindex == ifindex && s->family == family && s->proto == proto) {
			if (join_group(s, group) < 0)
				return NULL;
			s->refs++;
			s->log_unknown = log_unknown; /* the newest model's setting */
			return s;
		}
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->fd = -1;
	s->pfd = -1;
	s->list = list;
	s->loop = loop;
	s->ifindex = ifindex;
	s->family = family;
	s->proto = proto;
	s->log_unknown = log_unknown;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
	s->qbuf = malloc((size_t)VRRP_SOCK_BATCH * VRRP_PKT_MAX);
	s->rbuf = malloc((size_t)VRRP_SOCK_BATCH * VRRP_PKT_MAX);
	if (!s->qbuf || !s->rbuf || open_fd(s, rcvbuf) < 0 || join_group(s, group) < 0)
		goto fail;
	open_pfd(s);
	s->rcvbuf_fixed = s->rcvbuf_set = rcvbuf;
	if (uv_poll_init_socket(loop, &s->poll, s->fd) < 0)
		goto fail;
	s->poll.data = s;
	s->poll_open = true;
	uv_check_init(loop, &s->check);
	s->check.data = s;
	uv_prepare_init(loop, &s->prepare);
	s->prepare.data = s;
	uv_timer_init(loop, &s->rx_timer);
	s->rx_timer.data = s;
	s->check_open = true;
	uv_poll_start(&s->poll, UV_READABLE, on_poll);
	s->polling = true;
	s->refs = 1;
	s->next = *list;
	*list = s;
	log_debug("vrrp socket %s/%s opened", ifname, family == AF_INET ? "IPv4" : "IPv6");
	return s;
fail:
	if (s->fd >= 0)
		close(s->fd);
	if (s->pfd >= 0)
		close(s->pfd);
	free_sock(s);
	return NULL;
}

void vrrp_sock_put(struct vrrp_sock **list, struct vrrp_sock *s)
{
	struct vrrp_sock **pp;

	if (!s || --s->refs > 0)
		return;
	vrrp_sock_flush(s);
	for (pp = list; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	s->closing = true;
	uv_poll_stop(&s->poll);
	uv_check_stop(&s->check);
	uv_prepare_stop(&s->prepare);
	uv_timer_stop(&s->rx_timer);
	s->polling = false;
	close(s->fd);
	s->fd = -1;
	if (s->pfd >= 0)
		close(s->pfd);
	s->pfd = -1;
	/* Freed when the four handles are closed. */
	s->refs = 4;
	uv_close((uv_handle_t *)&s->poll, on_handle_closed);
	uv_close((uv_handle_t *)&s->check, on_handle_closed);
	uv_close((uv_handle_t *)&s->prepare, on_handle_closed);
	uv_close((uv_handle_t *)&s->rx_timer, on_handle_closed);
}

void vrrp_sock_attach(struct vrrp_sock *s, struct vrrp_sock_rcv *r, uint8_t vrid)
{
	struct vrrp_sock_rcv **pp = &s->by_vrid[vrid];

	/* Append: the first configured instance of a VRID is found first. */
	while (*pp)
		pp = &(*pp)->next;
	*pp = r;
	r->next = NULL;
	vrrp_sock_window_stale(s);
}

void vrrp_sock_detach(struct vrrp_sock *s, struct vrrp_sock_rcv *r, uint8_t vrid)
{
	struct vrrp_sock_rcv **pp;

	for (pp = &s->by_vrid[vrid]; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			r->next = NULL;
			vrrp_sock_window_stale(s);
			return;
		}
	}
}

/* ---------------------------------------------------------------- send */

void vrrp_sock_queue(struct vrrp_sock *s, const uint8_t *pkt, unsigned len,
		     const struct conf_addr *src, const struct conf_addr *dst, int hoplimit)
{
	if (s->closing || len > VRRP_PKT_MAX)
		return;
	if (s->nq == VRRP_SOCK_BATCH)
		vrrp_sock_flush(s);
	memcpy(s->qbuf + (size_t)s->nq * VRRP_PKT_MAX, pkt, len);
	s->qlen[s->nq] = len;
	s->qdst[s->nq] = *dst;
	if (src)
		s->qsrc[s->nq] = *src;
	else
		memset(&s->qsrc[s->nq], 0, sizeof(s->qsrc[s->nq]));
	s->qhl[s->nq] = (int16_t)(hoplimit < -1 || hoplimit > 255 ? -1 : hoplimit);
	s->nq++;
	if (!s->check_active) {
		/* Sent in this loop iteration: by the prepare handle (before the
		 * loop blocks) when queued from a timer, by the check handle when
		 * queued from an I/O callback. */
		uv_check_start(&s->check, on_check);
		uv_prepare_start(&s->prepare, on_prepare);
		s->check_active = true;
	}
}

static void on_check(uv_check_t *h)
{
	vrrp_sock_flush(h->data);
}

static void on_prepare(uv_prepare_t *h)
{
	vrrp_sock_flush(h->data);
}

static void send_batch(struct vrrp_sock *s, int fd, struct mmsghdr *msgs, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		int r = sendmmsg(fd, msgs + done, n - done, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* Skip the packet that failed and go on with the rest. */
			s->tx_errors++;
			log_debug("vrrp socket %s: sendmmsg: %s", s->ifname, strerror(errno));
			done++;
			continue;
		}
		s->tx += (unsigned)r;
		done += (unsigned)r;
	}
}

/* The Ethernet address of an IPv4 multicast group (RFC 1112 6.4). */
static void mcast_mac4(const struct in_addr *a, uint8_t mac[6])
{
	const uint8_t *b = (const uint8_t *)&a->s_addr;

	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = b[1] & 0x7f;
	mac[4] = b[2];
	mac[5] = b[3];
}

void vrrp_sock_flush(struct vrrp_sock *s)
{
	struct mmsghdr msgs[VRRP_SOCK_BATCH], pmsgs[VRRP_SOCK_BATCH];
	struct iovec iov[VRRP_SOCK_BATCH];
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
		struct sockaddr_ll ll;
	} to[VRRP_SOCK_BATCH];
	uint8_t ctrl[VRRP_SOCK_BATCH][CTRL_LEN] __attribute__((aligned(8)));
	unsigned i, nraw = 0, npkt = 0;

	if (s->check_active) {
		uv_check_stop(&s->check);
		uv_prepare_stop(&s->prepare);
		s->check_active = false;
	}
	if (s->nq == 0 || s->fd < 0)
		return;
	memset(to, 0, sizeof(to[0]) * s->nq);
	for (i = 0; i < s->nq; i++) {
		struct msghdr *mh;

		iov[i].iov_base = s->qbuf + (size_t)i * VRRP_PKT_MAX;
		iov[i].iov_len = s->qlen[i];
		if (s->family == AF_INET && s->pfd >= 0 &&
		    IN_MULTICAST(ntohl(s->qdst[i].u.v4.s_addr))) {
			mh = &pmsgs[npkt++].msg_hdr;
			memset(mh, 0, sizeof(*mh));
			mh->msg_iov = &iov[i];
			mh->msg_iovlen = 1;
			mh->msg_name = &to[i];
			mh->msg_namelen = sizeof(to[i].ll);
			to[i].ll.sll_family = AF_PACKET;
			to[i].ll.sll_protocol = htons(ETH_P_IP);
			to[i].ll.sll_ifindex = s->ifindex;
			to[i].ll.sll_halen = 6;
			mcast_mac4(&s->qdst[i].u.v4, to[i].ll.sll_addr);
			continue;
		}
		mh = &msgs[nraw++].msg_hdr;
		memset(mh, 0, sizeof(*mh));
		mh->msg_iov = &iov[i];
		mh->msg_iovlen = 1;
		mh->msg_name = &to[i];
		if (s->family == AF_INET) {
			to[i].v4.sin_family = AF_INET;
			to[i].v4.sin_addr = s->qdst[i].u.v4;
			mh->msg_namelen = sizeof(to[i].v4);
		} else {
			struct cmsghdr *cm;
			struct in6_pktinfo pi;
			int hl = s->qhl[i];

			to[i].v6.sin6_family = AF_INET6;
			to[i].v6.sin6_addr = s->qdst[i].u.v6;
			to[i].v6.sin6_scope_id = (uint32_t)s->ifindex;
			mh->msg_namelen = sizeof(to[i].v6);
			memset(ctrl[i], 0, CTRL_LEN);
			mh->msg_control = ctrl[i];
			mh->msg_controllen = CMSG_SPACE(sizeof(pi)) + CMSG_SPACE(sizeof(int));
			cm = CMSG_FIRSTHDR(mh);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memset(&pi, 0, sizeof(pi));
			if (s->qsrc[i].family == AF_INET6)
				pi.ipi6_addr = s->qsrc[i].u.v6;
			pi.ipi6_ifindex = (unsigned)s->ifindex;
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
			cm = CMSG_NXTHDR(mh, cm);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_HOPLIMIT;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &hl, sizeof(hl));
		}
	}
	if (npkt)
		send_batch(s, s->pfd, pmsgs, npkt);
	if (nraw)
		send_batch(s, s->fd, msgs, nraw);
	s->nq = 0;
}

/* ---------------------------------------------------------------- receive */

static void dispatch(struct vrrp_sock *s, const struct vrrp_pkt *p)
{
	struct vrrp_sock_rcv *r = s->by_vrid[p->vrid];
	struct vrrp_sock_rcv *first = r;

	if (!r) {
		s->drops[VRRP_DROP_VRID]++;
		if (s->log_unknown) {
			uint64_t now = uv_now(s->loop);

			if (now - s->last_unknown_log_ms >= 10000 || !s->last_unknown_log_ms) {
				char b[CONF_ADDRSTRLEN];

				s->last_unknown_log_ms = now;
				log_info("vrrp socket %s: advert for unknown VRID %u from %s",
					 s->ifname, p->vrid, conf_addr_str(&p->src, b));
			}
		}
		return;
	}
	/* Several instances share a VRID only with distinct unicast peers. */
	for (; r; r = r->next)
		if (r->ops->wants_src(r, &p->src))
			break;
	if (!r)
		r = first;
	r->ops->rx(r, p, s->rx_now_ns);
}

static void parse_one(struct vrrp_sock *s, const uint8_t *buf, size_t len, struct msghdr *mh)
{
	struct vrrp_pkt p;
	enum vrrp_drop r;
	char why[96];

	s->rx++;
	if (s->family == AF_INET) {
		r = vrrp_parse_ip4(buf, len, &p, why, sizeof(why));
	} else {
		struct sockaddr_in6 *from = mh->msg_name;
		struct conf_addr src = { .family = AF_INET6 }, dst = { .family = AF_INET6 };
		struct cmsghdr *cm;
		int hl = -1;

		src.u.v6 = from->sin6_addr;
		for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
			if (cm->cmsg_level != IPPROTO_IPV6)
				continue;
			if (cm->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				dst.u.v6 = pi.ipi6_addr;
			} else if (cm->cmsg_type == IPV6_HOPLIMIT) {
				memcpy(&hl, CMSG_DATA(cm), sizeof(hl));
			}
		}
		if (hl < 0 || hl > 255) {
			s->drops[VRRP_DROP_TTL]++;
			return;
		}
		r = vrrp_parse_ip6(buf, len, &src, &dst, (uint8_t)hl, &p, why, sizeof(why));
	}
	if (r != VRRP_OK) {
		if (r > 0 && r < VRRP_DROP__COUNT)
			s->drops[r]++;
		log_debug("vrrp socket %s: dropped: %s", s->ifname, why);
		return;
	}
	dispatch(s, &p);
}

uint64_t vrrp_rx_arrival_ns(uint64_t stamp_rt, uint64_t now_rt, uint64_t now_mono)
{
	uint64_t age;

	if (stamp_rt > now_rt)
		return now_mono;
	age = now_rt - stamp_rt;
	if (age > VRRP_RX_AGE_MAX_NS || age > now_mono)
		return now_mono;
	return now_mono - age;
}

unsigned vrrp_rx_window_ms(uint64_t min_adver_us)
{
	uint64_t ms = min_adver_us / 20 / 1000;

	return ms > VRRP_RX_COALESCE_MAX_MS ? VRRP_RX_COALESCE_MAX_MS : (unsigned)ms;
}

/* The arrival time of one received packet (uv_hrtime clock), from its
 * SCM_TIMESTAMPNS; the read time when it has none. */
static uint64_t arrival(struct vrrp_sock *s, struct msghdr *mh, uint64_t now_rt, uint64_t now_mono)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
				break;
			s->rx_stamped++;
			return vrrp_rx_arrival_ns((uint64_t)ts.tv_sec * 1000000000ull +
							  (uint64_t)ts.tv_nsec,
						  now_rt, now_mono);
		}
	}
	s->rx_unstamped++;
	return now_mono;
}

/* One recvmmsg batch; returns the number of packets read (0: nothing). */
static int read_batch(struct vrrp_sock *s)
{
	struct mmsghdr msgs[VRRP_SOCK_BATCH];
	struct iovec iov[VRRP_SOCK_BATCH];
	struct sockaddr_in6 from[VRRP_SOCK_BATCH];
	uint8_t ctrl[VRRP_SOCK_BATCH][CTRL_LEN] __attribute__((aligned(8)));
	struct timespec rt;
	uint64_t now_rt, now_mono;
	int n, i;

	if (s->fd < 0)
		return 0;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < VRRP_SOCK_BATCH; i++) {
		iov[i].iov_base = s->rbuf + (size_t)i * VRRP_PKT_MAX;
		iov[i].iov_len = VRRP_PKT_MAX;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &from[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msgs[i].msg_hdr.msg_control = ctrl[i];
		msgs[i].msg_hdr.msg_controllen = CTRL_LEN;
	}
	do
		n = recvmmsg(s->fd, msgs, VRRP_SOCK_BATCH, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			s->rx_errors++;
			log_debug("vrrp socket %s: recvmmsg: %s", s->ifname, strerror(errno));
		}
		return 0;
	}
	/* Both clocks once per batch: the stamps are CLOCK_REALTIME, timers
	 * run on CLOCK_MONOTONIC (uv_hrtime). */
	clock_gettime(CLOCK_REALTIME, &rt);
	now_mono = uv_hrtime();
	now_rt = (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec;
	for (i = 0; i < n && !s->closing; i++) {
		if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
			s->drops[VRRP_DROP_LENGTH]++;
			continue;
		}
		s->rx_now_ns = arrival(s, &msgs[i].msg_hdr, now_rt, now_mono);
		parse_one(s, iov[i].iov_base, msgs[i].msg_len, &msgs[i].msg_hdr);
	}
	return n;
}

/* Reads up to rounds batches; returns the number of packets read. */
static unsigned read_rounds(struct vrrp_sock *s, int rounds)
{
	unsigned total = 0;
	int n;

	do {
		n = read_batch(s);
		total += (unsigned)n;
	} while (--rounds > 0 && n == VRRP_SOCK_BATCH);
	return total;
}

void vrrp_sock_drain(struct vrrp_sock *s)
{
	/* Bounded so that a flood cannot hold the loop forever. */
	read_rounds(s, 4 * RX_ROUNDS_PER_WAKEUP);
}

/* The coalescing window of s now: 1/20 of the shortest interval its
 * instances may hear (0: read at once). Walking every instance is not for
 * every round: cached, computed again when an instance joins, leaves or
 * learns another interval, and at least every second (state changes). */
static unsigned window_ms(struct vrrp_sock *s)
{
	uint64_t min = 0, now = uv_now(s->loop);
	unsigned i;

	if (s->rx_window_at_ms && now - s->rx_window_at_ms < 1000)
		return s->rx_window_ms;

	for (i = 0; i < 256; i++) {
		const struct vrrp_sock_rcv *r;

		for (r = s->by_vrid[i]; r; r = r->next) {
			uint64_t us = r->ops->rx_interval_us(r);

			if (us && (!min || us < min))
				min = us;
		}
	}
	s->rx_window_ms = vrrp_rx_window_ms(min);
	s->rx_window_at_ms = now ? now : 1;
	return s->rx_window_ms;
}

/* Reads s at the next multiple of its window in loop time instead of
 * polling it; false when s has no window (read at once). */
static bool coalesce(struct vrrp_sock *s)
{
	unsigned w = window_ms(s);
	uint64_t now = uv_now(s->loop);

	if (!w || s->closing)
		return false;
	if (s->polling) {
		uv_poll_stop(&s->poll);
		s->polling = false;
	}
	s->rx_coalesced++;
	uv_timer_start(&s->rx_timer, on_rx_timer, w - now % w, 0);
	return true;
}

/*
 * After a wake-up (or round) that read n packets: heavy traffic (n at
 * least RX_COALESCE_MIN) stops polling this socket and the runtime's other
 * sockets that are still polled, and reads each again at the next multiple
 * of its window in loop time (sockets with the same window are read in the
 * same loop iteration: one wake-up); light traffic polls, i.e. reads at
 * once. A socket goes back to polling after a round that read little. The
 * timers the packets start count from their arrival, so reading late delays
 * only reactions to the packets themselves (preemption, at most one
 * window). A master-down timer that expires drains the socket first
 * (vrrp_sock_drain), polling or not.
 */
static void rx_next(struct vrrp_sock *s, unsigned n)
{
	if (s->closing)
		return;
	if (n >= RX_COALESCE_MIN && coalesce(s)) {
		struct vrrp_sock *t;

		for (t = s->list ? *s->list : NULL; t; t = t->next)
			if (t != s && t->polling)
				coalesce(t);
		return;
	}
	if (!s->polling) {
		uv_timer_stop(&s->rx_timer);
		uv_poll_start(&s->poll, UV_READABLE, on_poll);
		s->polling = true;
	}
}

static void on_rx_timer(uv_timer_t *h)
{
	struct vrrp_sock *s = h->data;

	rx_next(s, read_rounds(s, RX_ROUNDS_PER_WAKEUP));
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct vrrp_sock *s = h->data;

	(void)events;
	if (status < 0)
		return;
	rx_next(s, read_rounds(s, RX_ROUNDS_PER_WAKEUP));
}

void vrrp_sock_status_json(const struct vrrp_sock *s, struct json *j)
{
	int i;

	json_obj_begin(j);
	json_kstr(j, "interface", s->ifname);
	json_kstr(j, "family", s->family == AF_INET ? "inet" : "inet6");
	if (s->proto != VRRP_IPPROTO)
		json_kstr(j, "protocol", "ah");
	json_kuint(j, "instances", s->refs);
	json_kuint(j, "rx", s->rx);
	json_kuint(j, "tx", s->tx);
	json_kuint(j, "tx_errors", s->tx_errors);
	json_kuint(j, "rx_errors", s->rx_errors);
	json_kuint(j, "rx_stamped", s->rx_stamped);
	json_kuint(j, "rx_unstamped", s->rx_unstamped);
	json_kuint(j, "rx_coalesced_rounds", s->rx_coalesced);
	{
		int rb = 0;
		socklen_t l = sizeof(rb);

		/* What the kernel has (it doubles what was asked). */
		if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rb, &l) == 0)
			json_kuint(j, "rcvbuf", (uint64_t)rb);
		json_kuint(j, "rcvbuf_asked", s->rcvbuf_set);
	}
	json_key(j, "drops");
	json_obj_begin(j);
	for (i = 1; i < VRRP_DROP__COUNT; i++)
		if (s->drops[i])
			json_kuint(j, vrrp_drop_names[i] ? vrrp_drop_names[i] : "?", s->drops[i]);
	json_obj_end(j);
	json_obj_end(j);
}
