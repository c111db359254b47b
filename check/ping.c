/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PING_CHECK: one ICMP echo request (ICMPv6 for an IPv6 target) per
 * attempt; up when the echo reply comes back from the target within
 * connect_timeout.
 *
 * init() opens one raw ICMP and one raw ICMPv6 socket per engine while the
 * process is still root (it drops privileges afterwards); every PING probe
 * shares them. The kernel filters them down to echo replies
 * (ICMP_FILTER, ICMP6_FILTER). Replies are matched to attempts by the
 * engine's identifier and a sequence number per attempt, and must come
 * from the target address. Without CAP_NET_RAW we fall back to the
 * kernel's unprivileged ping sockets (SOCK_DGRAM, IPPROTO_ICMP; the kernel
 * owns the identifier there and only hands us our replies); when neither
 * opens, each attempt fails saying why.
 *
 * bindto and bind_if are applied per packet (IP_PKTINFO / IPV6_PKTINFO);
 * the shared sockets carry no per-probe fwmark.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct in6_pktinfo */
#endif
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/sock.h"
#include "conf/model.h"
#include "lib/log.h"

#ifndef ICMP_FILTER
#define ICMP_FILTER 1 /* linux/icmp.h, which clashes with netinet/ip_icmp.h */
#endif

#define PING_BUCKETS 1024
#define PING_PAYLOAD 16
#define PING_RECV_MAX 1500 /* an echo reply to our 24-byte request is far smaller */
#define PING_READS_PER_WAKEUP 64

struct ping_att;

struct ping_sock {
	int fd;
	bool dgram; /* an unprivileged ping socket */
	int err;    /* why fd is -1 */
	uv_poll_t *poll;
};

struct ping_eng {
	struct check_engine *e;
	struct ping_sock s4, s6;
	uint16_t id;
	uint16_t next_seq;
	struct ping_att *bucket[PING_BUCKETS];
	uint64_t ignored; /* replies matching no attempt */
};

struct ping_att {
	struct check_io io; /* no socket of its own: the engine's are shared */
	struct ping_eng *pe;
	struct ping_att *next; /* in its bucket */
	uint16_t seq;
	bool linked;
};

/* ---- the shared sockets ---- */

static void ping_on_readable(uv_poll_t *h, int status, int events);

static void open_sock(struct check_engine *e, struct ping_eng *pe, struct ping_sock *s, int family)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int rc;

	s->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	s->dgram = false;
	if (s->fd < 0) {
		int raw_err = errno;

		s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
		if (s->fd < 0) {
			s->err = raw_err;
			return;
		}
		s->dgram = true;
	}
	if (family == AF_INET && !s->dgram) {
		uint32_t f = ~(1u << ICMP_ECHOREPLY); /* the types to block */

		if (setsockopt(s->fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f)))
			log_warn("checker: PING_CHECK: ICMP_FILTER: %s", strerror(errno));
	} else if (family == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		if (setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) && !s->dgram)
			log_warn("checker: PING_CHECK: ICMP6_FILTER: %s", strerror(errno));
	}
	s->poll = malloc(sizeof(*s->poll));
	rc = s->poll ? uv_poll_init_socket(check_engine_loop(e), s->poll, s->fd) : UV_ENOMEM;
	if (rc) {
		free(s->poll);
		s->poll = NULL;
		close(s->fd);
		s->fd = -1;
		s->err = rc == UV_ENOMEM ? ENOMEM : -rc;
		return;
	}
	s->poll->data = pe;
	uv_poll_start(s->poll, UV_READABLE, ping_on_readable);
}

static struct ping_eng *ping_eng_new(struct check_engine *e)
{
	struct ping_eng *pe = calloc(1, sizeof(*pe));

	if (!pe)
		return NULL;
	pe->e = e;
	if (getrandom(&pe->id, sizeof(pe->id), GRND_NONBLOCK) != sizeof(pe->id))
		pe->id = (uint16_t)(getpid() ^ (long)uv_hrtime());
	if (getrandom(&pe->next_seq, sizeof(pe->next_seq), GRND_NONBLOCK) != sizeof(pe->next_seq))
		pe->next_seq = 1;
	open_sock(e, pe, &pe->s4, AF_INET);
	open_sock(e, pe, &pe->s6, AF_INET6);
	if (pe->s4.fd < 0)
		log_warn("checker: PING_CHECK: no ICMP socket (raw or ping): %s",
			 strerror(pe->s4.err));
	else if (pe->s4.dgram)
		log_info("checker: PING_CHECK: no raw ICMP socket; using an unprivileged ping "
			 "socket");
	if (pe->s6.fd < 0)
		log_warn("checker: PING_CHECK: no ICMPv6 socket (raw or ping): %s",
			 strerror(pe->s6.err));
	check_engine_set_kind_data(e, CONF_CHECK_PING, pe);
	return pe;
}

static int ping_init(struct check_engine *e)
{
	if (!check_engine_kind_data(e, CONF_CHECK_PING) && !ping_eng_new(e))
		return -ENOMEM;
	return 0; /* missing sockets fail the attempts, not the checker */
}

static void poll_closed(uv_handle_t *h)
{
	free(h);
}

static void close_sock(struct ping_sock *s)
{
	if (s->poll) {
		uv_poll_stop(s->poll);
		uv_close((uv_handle_t *)s->poll, poll_closed);
		s->poll = NULL;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static void ping_fini(struct check_engine *e)
{
	struct ping_eng *pe = check_engine_kind_data(e, CONF_CHECK_PING);

	if (!pe)
		return;
	close_sock(&pe->s4);
	close_sock(&pe->s6);
	/* attempts were cancelled by the engine before fini: buckets are empty */
	check_engine_set_kind_data(e, CONF_CHECK_PING, NULL);
	free(pe);
}

/* ---- attempts ---- */

static void unlink_att(struct ping_att *pa)
{
	struct ping_att **pp;

	if (!pa->linked)
		return;
	for (pp = &pa->pe->bucket[pa->seq % PING_BUCKETS]; *pp; pp = &(*pp)->next) {
		if (*pp == pa) {
			*pp = pa->next;
			break;
		}
	}
	pa->linked = false;
}

static struct ping_att *find_att(struct ping_eng *pe, uint16_t seq)
{
	for (struct ping_att *pa = pe->bucket[seq % PING_BUCKETS]; pa; pa = pa->next)
		if (pa->seq == seq)
			return pa;
	return NULL;
}

static void att_cleanup(struct check_io *io)
{
	unlink_att(io->owner);
}

static void ping_on_timeout(uv_timer_t *t)
{
	struct ping_att *pa = t->data;

	check_io_finish(&pa->io, CHECK_NO_REPLY, "no echo reply within %.1f s",
			(double)pa->io.a->p->connect_timeout / 1e6);
}

static uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int ping_send(struct ping_eng *pe, struct ping_att *pa, const struct check_probe *p)
{
	const struct conf_check *c = p->cfg;
	bool v6 = p->addr.family == AF_INET6;
	struct ping_sock *s = v6 ? &pe->s6 : &pe->s4;
	uint8_t pkt[8 + PING_PAYLOAD];
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned ifindex = 0;
	union {
		char b4[CMSG_SPACE(sizeof(struct in_pktinfo))];
		char b6[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
	struct msghdr mh = { .msg_name = &ss, .msg_iov = &iov, .msg_iovlen = 1 };
	uint64_t now = uv_hrtime();
	uint16_t ck;

	if (c->bind_if) {
		ifindex = if_nametoindex(c->bind_if);
		if (!ifindex)
			return -ENODEV;
	}
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = (uint8_t)(pe->id >> 8);
	pkt[5] = (uint8_t)pe->id;
	pkt[6] = (uint8_t)(pa->seq >> 8);
	pkt[7] = (uint8_t)pa->seq;
	memcpy(pkt + 8, &now, sizeof(now));
	memcpy(pkt + 16, "vigil-ck", 8);
	if (!v6) { /* ICMPv6: the kernel sums it (RFC 3542 3.1) */
		ck = inet_csum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(ck >> 8);
		pkt[3] = (uint8_t)ck;
	}
	memset(&ss, 0, sizeof(ss));
	memset(&cbuf, 0, sizeof(cbuf));
	if (v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = p->addr.u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&p->addr.u.v6))
			s6->sin6_scope_id = ifindex;
		sl = sizeof(*s6);
		if (c->bindto.family == AF_INET6 || ifindex) {
			struct cmsghdr *cm;
			struct in6_pktinfo pi = { .ipi6_ifindex = ifindex };

			if (c->bindto.family == AF_INET6)
				pi.ipi6_addr = c->bindto.u.v6;
			mh.msg_control = cbuf.b6;
			mh.msg_controllen = sizeof(cbuf.b6);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = p->addr.u.v4;
		sl = sizeof(*s4);
		if (c->bindto.family == AF_INET || ifindex) {
			struct cmsghdr *cm;
			struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex };

			if (c->bindto.family == AF_INET)
				pi.ipi_spec_dst = c->bindto.u.v4;
			mh.msg_control = cbuf.b4;
			mh.msg_controllen = sizeof(cbuf.b4);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		}
	}
	mh.msg_namelen = sl;
	if (sendmsg(s->fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

static void ping_start(struct check_attempt *a)
{
	struct ping_eng *pe = check_engine_kind_data(a->e, CONF_CHECK_PING);
	const struct check_probe *p = a->p;
	struct ping_sock *s;
	struct ping_att *pa;
	int rc;

	if (!pe)
		pe = ping_eng_new(a->e); /* init() was not run (tests) */
	if (!pe) {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	s = p->addr.family == AF_INET6 ? &pe->s6 : &pe->s4;
	if (s->fd < 0) {
		check_attempt_done(a, CHECK_SOCKET, CHECK_WEIGHT_NONE, "no %s socket: %s",
				   p->addr.family == AF_INET6 ? "ICMPv6" : "ICMP",
				   strerror(s->err));
		return;
	}
	pa = calloc(1, sizeof(*pa));
	if (!pa) {
		check_attempt_done(a, CHECK_INTERNAL, CHECK_WEIGHT_NONE, "out of memory");
		return;
	}
	pa->pe = pe;
	check_io_init(&pa->io, a, pa, att_cleanup);
	/* a sequence number no running attempt uses */
	for (unsigned tries = 0; tries < 65536; tries++) {
		pa->seq = pe->next_seq++;
		if (!find_att(pe, pa->seq))
			break;
	}
	pa->next = pe->bucket[pa->seq % PING_BUCKETS];
	pe->bucket[pa->seq % PING_BUCKETS] = pa;
	pa->linked = true;

	rc = ping_send(pe, pa, p);
	if (rc) {
		/* ENODEV: bind_if names no interface */
		check_io_finish(&pa->io,
				rc == -ENODEV ? CHECK_SOCKET
					      : check_sock_cause(-rc, CHECK_IO_ERROR),
				"sending the echo request failed: %s", strerror(-rc));
		return;
	}
	check_io_arm(&pa->io, ping_on_timeout, p->connect_timeout);
}

static void ping_cancel(struct check_attempt *a)
{
	struct ping_att *pa = a->priv;

	if (pa)
		check_io_cancel(&pa->io);
}

/* ---- replies ---- */

static bool same_addr(const struct conf_addr *a, const struct sockaddr_storage *ss)
{
	if (a->family == AF_INET && ss->ss_family == AF_INET)
		return a->u.v4.s_addr == ((const struct sockaddr_in *)ss)->sin_addr.s_addr;
	if (a->family == AF_INET6 && ss->ss_family == AF_INET6)
		return !memcmp(&a->u.v6, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	return false;
}

static void ping_reply(struct ping_eng *pe, struct ping_sock *s, const uint8_t *buf, size_t n,
		       const struct sockaddr_storage *from)
{
	const uint8_t *icmp = buf;
	bool v6 = s == &pe->s6;
	struct ping_att *pa;
	uint16_t id, seq;

	if (!v6 && !s->dgram) { /* raw IPv4 sockets hand us the IP header */
		size_t ihl;

		if (n < 20 || (buf[0] >> 4) != 4)
			goto ignore;
		ihl = (size_t)(buf[0] & 0xf) * 4;
		if (ihl < 20 || ihl > n)
			goto ignore;
		icmp = buf + ihl;
		n -= ihl;
	}
	if (n < 8)
		goto ignore;
	if (icmp[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) || icmp[1] != 0)
		goto ignore;
	id = (uint16_t)(icmp[4] << 8 | icmp[5]);
	seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
	if (!s->dgram && id != pe->id)
		goto ignore; /* another process's ping (the kernel matches ping sockets) */
	pa = find_att(pe, seq);
	if (!pa || !pa->io.a)
		goto ignore;
	if ((pa->io.a->p->addr.family == AF_INET6) != v6 || !same_addr(&pa->io.a->p->addr, from))
		goto ignore; /* our sequence number from someone else */
	check_io_finish(&pa->io, CHECK_OK, "ok");
	return;
ignore:
	pe->ignored++;
}

static void ping_on_readable(uv_poll_t *h, int status, int events)
{
	struct ping_eng *pe = h->data;
	struct ping_sock *s = h == pe->s4.poll ? &pe->s4 : &pe->s6;
	uint8_t buf[PING_RECV_MAX];

	(void)events;
	if (status < 0) {
		/* POLLERR (an ICMP error queued on a ping socket): libuv has
		 * stopped the handle; clear the error and watch again, or every
		 * later attempt would time out */
		int err = 0;
		socklen_t el = sizeof(err);

		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		uv_poll_start(h, UV_READABLE, ping_on_readable);
	}
	for (int i = 0; i < PING_READS_PER_WAKEUP; i++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

		if (n < 0)
			return; /* EAGAIN, or an error the next attempt will meet */
		ping_reply(pe, s, buf, (size_t)n, &from);
	}
}

const struct check_kind check_kind_ping = {
	.name = "PING_CHECK",
	.init = ping_init,
	.start = ping_start,
	.cancel = ping_cancel,
	.fini = ping_fini,
};
