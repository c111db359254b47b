/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfloor: the kernel's floor for sending / receiving VRRPv3 adverts (IPv4,
 * one VIP: 32-byte IP packets to 224.0.0.18, proto 112, TTL 255) in the
 * vrrp-bench topology, whatever the daemon. An experiment, not vigil code.
 *
 *   vfloor send MODE RATE TICK_US SECS IFACE...
 *     MODE: mmsg     AF_PACKET SOCK_DGRAM, one sendmmsg per link per tick (vigild)
 *           bypass   the same with PACKET_QDISC_BYPASS
 *           txring   AF_PACKET SOCK_RAW + PACKET_TX_RING (TPACKET_V2), one send() per link per tick
 *           txringbp txring + PACKET_QDISC_BYPASS
 *           rawmmsg  raw IP socket (IP_HDRINCL), one sendmmsg per link per tick
 *           sendto   raw IP socket (IP_HDRINCL), one sendto per packet (keepalived-like)
 *   vfloor recv MODE WINDOW_US SECS IFACE...
 *     MODE: mmsg     raw IP socket per link (group joined, SO_TIMESTAMPNS), woken every
 *                    WINDOW_US, recvmmsg(64) until empty (vigild's coalesced mode)
 *           rxring   AF_PACKET TPACKET_V3 ring per link (BPF: ip proto 112), woken every
 *                    WINDOW_US, walks the retired blocks
 *           none     opens no socket (d2's IP layer drops the adverts: no member)
 *
 * Prints counters to stderr at exit (SIGTERM/SIGINT or after SECS).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXL 16
#define PKT 32
#define NVR 255
#define BATCH 64

static volatile sig_atomic_t stop;
static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static uint16_t csum(const void *p, size_t n, uint32_t s)
{
	const uint8_t *b = p;

	for (; n > 1; n -= 2, b += 2)
		s += (uint32_t)(b[0] << 8 | b[1]);
	if (n)
		s += (uint32_t)(b[0] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* One complete IPv4 packet: link k, VRID v. */
static void build(uint8_t *p, int k, int v)
{
	struct iphdr *ip = (struct iphdr *)p;
	uint8_t *vr = p + 20;
	uint32_t src = htonl(0xc6120000u | (uint32_t)k << 8 | 1); /* 198.18.k.1 */
	uint32_t dst = htonl(0xe0000012u); /* 224.0.0.18 */
	uint32_t ps = 0;
	uint16_t c;

	memset(p, 0, PKT);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(PKT);
	ip->id = 0;
	ip->ttl = 255;
	ip->protocol = 112;
	ip->saddr = src;
	ip->daddr = dst;
	ip->check = htons(csum(p, 20, 0));
	vr[0] = 0x31; /* v3, advert */
	vr[1] = (uint8_t)v;
	vr[2] = 150;
	vr[3] = 1;
	vr[4] = 0;
	vr[5] = 10; /* 10 cs */
	vr[8] = 198;
	vr[9] = 19;
	vr[10] = (uint8_t)k;
	vr[11] = (uint8_t)v;
	/* v3 checksum with the IPv4 pseudo-header */
	ps += ntohl(src) >> 16;
	ps += ntohl(src) & 0xffff;
	ps += ntohl(dst) >> 16;
	ps += ntohl(dst) & 0xffff;
	ps += 112;
	ps += 12;
	c = csum(vr, 12, ps);
	vr[6] = (uint8_t)(c >> 8);
	vr[7] = (uint8_t)c;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void sleep_until(uint64_t ns)
{
	struct timespec t = { .tv_sec = (time_t)(ns / 1000000000ull),
			      .tv_nsec = (long)(ns % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR && !stop)
		;
}

struct link {
	const char *name;
	int ifindex;
	int fd;
	uint8_t mac[6];
	uint8_t pkts[NVR][PKT];
	int next; /* next VRID index */
	/* tx ring */
	uint8_t *ring;
	unsigned frame_nr, frame_sz, cur;
	/* rx ring */
	unsigned blk_nr, blk_sz, blk_cur;
};

static struct link L[MAXL];
static int nl;
static unsigned long long sent, errs, stalls, calls, rcvd, bad, trunc_;

static void link_init(int k, const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int v;

	L[k].name = name;
	L[k].ifindex = (int)if_nametoindex(name);
	if (!L[k].ifindex)
		die(name);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	memcpy(L[k].mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	for (v = 0; v < NVR; v++)
		build(L[k].pkts[v], k, v + 1);
}

static const uint8_t MCMAC[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };

/* ------------------------------------------------------------ send */

static void open_send(const char *mode)
{
	int k, one = 1;

	for (k = 0; k < nl; k++) {
		int fd;

		if (!strcmp(mode, "mmsg") || !strcmp(mode, "bypass")) {
			fd = socket(AF_PACKET, SOCK_DGRAM, 0);
			if (fd < 0)
				die("AF_PACKET");
			if (!strcmp(mode, "bypass") &&
			    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
				die("PACKET_QDISC_BYPASS");
		} else if (!strncmp(mode, "txring", 6)) {
			struct tpacket_req req;
			struct sockaddr_ll sll;
			int ver = TPACKET_V2;

			fd = socket(AF_PACKET, SOCK_RAW, 0);
			if (fd < 0)
				die("AF_PACKET raw");
			if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) < 0)
				die("PACKET_VERSION");
			if (!strcmp(mode, "txringbp") &&
			    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
				die("PACKET_QDISC_BYPASS");
			L[k].frame_sz = 256;
			L[k].frame_nr = 256;
			req.tp_block_size = 4096;
			req.tp_block_nr = L[k].frame_nr * L[k].frame_sz / 4096;
			req.tp_frame_size = L[k].frame_sz;
			req.tp_frame_nr = L[k].frame_nr;
			if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0)
				die("PACKET_TX_RING");
			L[k].ring = mmap(NULL, (size_t)req.tp_block_size * req.tp_block_nr,
					 PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (L[k].ring == MAP_FAILED)
				die("mmap tx");
			memset(&sll, 0, sizeof(sll));
			sll.sll_family = AF_PACKET;
			sll.sll_protocol = 0;
			sll.sll_ifindex = L[k].ifindex;
			if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
				die("bind tx");
		} else {
			struct ip_mreqn mif = { .imr_ifindex = L[k].ifindex };
			int ttl = 255, zero = 0;

			fd = socket(AF_INET, SOCK_RAW, 112);
			if (fd < 0)
				die("raw");
			if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, L[k].name,
				       (socklen_t)strlen(L[k].name)) < 0 ||
			    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0 ||
			    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
			    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
			    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof(mif)) < 0)
				die("raw opts");
		}
		L[k].fd = fd;
	}
}

static void send_link(const char *mode, struct link *l, unsigned n)
{
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll ll;
	struct sockaddr_in in;
	unsigned i;
	int r;

	if (n > BATCH)
		n = BATCH;
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = l->ifindex;
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, MCMAC, 6);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(0xe0000012u);

	if (!strcmp(mode, "sendto")) {
		for (i = 0; i < n; i++) {
			calls++;
			if (sendto(l->fd, l->pkts[l->next], PKT, 0, (struct sockaddr *)&in,
				   sizeof(in)) < 0)
				errs++;
			else
				sent++;
			l->next = (l->next + 1) % NVR;
		}
		return;
	}
	if (!strncmp(mode, "txring", 6)) {
		unsigned queued = 0;

		for (i = 0; i < n; i++) {
			struct tpacket2_hdr *h =
				(struct tpacket2_hdr *)(l->ring + (size_t)l->cur * l->frame_sz);
			uint8_t *d;

			if (h->tp_status != TP_STATUS_AVAILABLE) {
				stalls++;
				break;
			}
			d = (uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
			memcpy(d, MCMAC, 6);
			memcpy(d + 6, l->mac, 6);
			d[12] = 0x08;
			d[13] = 0x00;
			memcpy(d + 14, l->pkts[l->next], PKT);
			h->tp_len = 14 + PKT;
			__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
			l->cur = (l->cur + 1) % l->frame_nr;
			l->next = (l->next + 1) % NVR;
			queued++;
		}
		calls++;
		r = (int)send(l->fd, NULL, 0, 0);
		if (r < 0)
			errs++;
		else
			sent += queued;
		return;
	}
	for (i = 0; i < n; i++) {
		iov[i].iov_base = l->pkts[l->next];
		iov[i].iov_len = PKT;
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		if (!strcmp(mode, "rawmmsg")) {
			m[i].msg_hdr.msg_name = &in;
			m[i].msg_hdr.msg_namelen = sizeof(in);
		} else {
			m[i].msg_hdr.msg_name = &ll;
			m[i].msg_hdr.msg_namelen = sizeof(ll);
		}
		l->next = (l->next + 1) % NVR;
	}
	i = 0;
	while (i < n) {
		calls++;
		r = sendmmsg(l->fd, m + i, n - i, 0);
		if (r < 0) {
			errs++;
			i++;
			continue;
		}
		sent += (unsigned)r;
		i += (unsigned)r;
	}
}

static int do_send(const char *mode, double rate, unsigned tick_us, double secs)
{
	uint64_t t0 = now_ns(), t, end = t0 + (uint64_t)(secs * 1e9);
	double acc[MAXL] = { 0 }, per = rate * tick_us / 1e6 / nl;
	int k;

	open_send(mode);
	/* align to the tick grid like vigild's ADVERT_GRID_MS */
	t = (t0 / (tick_us * 1000ull) + 1) * tick_us * 1000ull;
	while (!stop && t < end) {
		sleep_until(t);
		for (k = 0; k < nl; k++) {
			unsigned n;

			acc[k] += per;
			n = (unsigned)acc[k];
			acc[k] -= n;
			if (n)
				send_link(mode, &L[k], n);
		}
		t += tick_us * 1000ull;
	}
	fprintf(stderr, "send %s: sent %llu in %.2fs (%.0f/s) calls %llu errors %llu ring-stalls %llu\n",
		mode, sent, (now_ns() - t0) / 1e9, sent / ((now_ns() - t0) / 1e9), calls, errs,
		stalls);
	return 0;
}

/* ------------------------------------------------------------ receive */

static void check_pkt(const uint8_t *p, size_t len)
{
	const struct iphdr *ip = (const struct iphdr *)p;

	if (len < PKT || ip->protocol != 112 || ip->ttl != 255 || p[20] != 0x31)
		bad++;
	else
		rcvd++;
}

static void open_recv(const char *mode)
{
	int k;

	for (k = 0; k < nl; k++) {
		int fd;

		if (!strcmp(mode, "mmsg")) {
			struct ip_mreqn mr = { .imr_ifindex = L[k].ifindex };
			int one = 1, rb = 4 << 20;

			mr.imr_multiaddr.s_addr = htonl(0xe0000012u);
			fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK, 112);
			if (fd < 0)
				die("raw");
			if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, L[k].name,
				       (socklen_t)strlen(L[k].name)) < 0)
				die("SO_BINDTODEVICE");
			if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof(rb)) < 0)
				die("SO_RCVBUFFORCE");
			if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0)
				die("SO_TIMESTAMPNS");
			if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
				die("IP_ADD_MEMBERSHIP");
		} else {
			/* ldh [12]; jne #0x800 drop; ldb [23]; jne #112 drop; ret all; drop */
			struct sock_filter f[] = {
				{ 0x28, 0, 0, 12 },	 { 0x15, 0, 3, 0x0800 }, { 0x30, 0, 0, 23 },
				{ 0x15, 0, 1, 112 },	 { 0x06, 0, 0, 0x40000 }, { 0x06, 0, 0, 0 },
			};
			struct sock_fprog prog = { .len = 6, .filter = f };
			struct tpacket_req3 req;
			struct sockaddr_ll sll;
			int ver = TPACKET_V3;

			fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
			if (fd < 0)
				die("AF_PACKET");
			if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
				die("SO_ATTACH_FILTER");
			if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof(ver)) < 0)
				die("PACKET_VERSION");
			memset(&req, 0, sizeof(req));
			L[k].blk_sz = 1 << 16;
			L[k].blk_nr = 16;
			req.tp_block_size = L[k].blk_sz;
			req.tp_block_nr = L[k].blk_nr;
			req.tp_frame_size = 2048;
			req.tp_frame_nr = L[k].blk_sz / 2048 * L[k].blk_nr;
			req.tp_retire_blk_tov = 4; /* ms */
			if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
				die("PACKET_RX_RING");
			L[k].ring = mmap(NULL, (size_t)L[k].blk_sz * L[k].blk_nr,
					 PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (L[k].ring == MAP_FAILED)
				die("mmap rx");
			memset(&sll, 0, sizeof(sll));
			sll.sll_family = AF_PACKET;
			sll.sll_protocol = htons(ETH_P_IP);
			sll.sll_ifindex = L[k].ifindex;
			if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
				die("bind rx");
		}
		L[k].fd = fd;
	}
}

static void read_mmsg(struct link *l)
{
	static uint8_t buf[BATCH][2048];
	static uint8_t ctrl[BATCH][128] __attribute__((aligned(8)));
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	int n, i, rounds = 16;

	do {
		memset(m, 0, sizeof(m));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_name = &from[i];
			m[i].msg_hdr.msg_namelen = sizeof(from[i]);
			m[i].msg_hdr.msg_control = ctrl[i];
			m[i].msg_hdr.msg_controllen = sizeof(ctrl[i]);
		}
		calls++;
		n = recvmmsg(l->fd, m, BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno != EAGAIN)
				errs++;
			return;
		}
		for (i = 0; i < n; i++) {
			struct cmsghdr *cm;
			int ts = 0;

			if (m[i].msg_hdr.msg_flags & MSG_TRUNC) {
				trunc_++;
				continue;
			}
			for (cm = CMSG_FIRSTHDR(&m[i].msg_hdr); cm;
			     cm = CMSG_NXTHDR(&m[i].msg_hdr, cm))
				if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS)
					ts = 1;
			if (!ts)
				bad++;
			check_pkt(buf[i], m[i].msg_len);
		}
	} while (n == BATCH && --rounds > 0);
}

static void read_ring(struct link *l)
{
	for (;;) {
		struct tpacket_block_desc *b =
			(struct tpacket_block_desc *)(l->ring + (size_t)l->blk_cur * l->blk_sz);
		struct tpacket3_hdr *h;
		unsigned i, n;

		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return;
		n = b->hdr.bh1.num_pkts;
		h = (struct tpacket3_hdr *)((uint8_t *)b + b->hdr.bh1.offset_to_first_pkt);
		for (i = 0; i < n; i++) {
			const uint8_t *d = (const uint8_t *)h + h->tp_mac;

			if (h->tp_snaplen < 14 + PKT)
				trunc_++;
			else
				check_pkt(d + 14, h->tp_snaplen - 14);
			h = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
		}
		calls++;
		__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		l->blk_cur = (l->blk_cur + 1) % l->blk_nr;
	}
}

static int do_recv(const char *mode, unsigned win_us, double secs)
{
	uint64_t t0 = now_ns(), t, end = t0 + (uint64_t)(secs * 1e9);
	unsigned long long drops = 0;
	int k;

	if (strcmp(mode, "none"))
		open_recv(mode);
	t = (t0 / (win_us * 1000ull) + 1) * win_us * 1000ull;
	while (!stop && t < end) {
		sleep_until(t);
		for (k = 0; k < nl; k++) {
			if (!strcmp(mode, "mmsg"))
				read_mmsg(&L[k]);
			else if (!strcmp(mode, "rxring"))
				read_ring(&L[k]);
		}
		t += win_us * 1000ull;
	}
	if (!strcmp(mode, "rxring")) {
		for (k = 0; k < nl; k++) {
			struct tpacket_stats_v3 st;
			socklen_t sl = sizeof(st);

			if (getsockopt(L[k].fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0)
				drops += st.tp_drops;
		}
	}
	fprintf(stderr,
		"recv %s: good %llu in %.2fs (%.0f/s) bad %llu trunc %llu calls/blocks %llu errors %llu ring-drops %llu\n",
		mode, rcvd, (now_ns() - t0) / 1e9, rcvd / ((now_ns() - t0) / 1e9), bad, trunc_, calls,
		errs, drops);
	return 0;
}

int main(int argc, char **argv)
{
	int first, k;

	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	if (argc >= 7 && !strcmp(argv[1], "send"))
		first = 6;
	else if (argc >= 6 && !strcmp(argv[1], "recv"))
		first = 5;
	else {
		fprintf(stderr, "usage: vfloor send MODE RATE TICK_US SECS IFACE...\n"
				"       vfloor recv MODE WINDOW_US SECS IFACE...\n");
		return 2;
	}
	for (k = first; k < argc && nl < MAXL; k++)
		link_init(nl++, argv[k]);
	if (!strcmp(argv[1], "send"))
		return do_send(argv[2], atof(argv[3]), (unsigned)atoi(argv[4]), atof(argv[5]));
	return do_recv(argv[2], (unsigned)atoi(argv[3]), atof(argv[4]));
}
