/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS generic netlink client: the socket, the family lookup (both
 * from libnl-genl-3), loading ip_vs, and the request/reply exchanges. The
 * messages are built and parsed by ipvs/genl_msg.c (pure); sending and
 * receiving are done by hand so that many requests go out in one sendmsg
 * and every ACK is matched to its request by sequence number.
 *
 * Batching: the kernel handles every message of a sendmsg in order, inside
 * the sendmsg call, and answers a message with an error whether or not it
 * asked for an ACK. So only the last message of a batch asks for one: when
 * it is in, every error of the batch is already queued before it, and a
 * batch of 256 costs one recvmsg instead of 256 (at 110,000 requests that
 * was 110,000 recvmsg and polls). The batch is bounded (messages and
 * bytes) so that even an error for each message fits the receive buffer.
 * A failing message does not stop the kernel from handling the rest of its
 * batch: after a failure we send nothing more, drain the batch, and report
 * the first failure; ops after it in the same batch may have been applied
 * (the caller resyncs from a dump, as after any failure).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipvs/genl.h"
#include "ipvs/genl_msg.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define IPVS_RCVBUF (8 << 20)
#define IPVS_SNDBUF (4 << 20)
#define IPVS_RXBUF_LEN (64 << 10)
#define IPVS_WIN_MSGS 256
#define IPVS_WIN_BYTES (128 << 10)
#define IPVS_DUMP_TRIES 4
#define IPVS_DUMP_WIN_MAX 64
/* What one queued dump reply may cost of the receive buffer (skb of up to
 * 32 KiB plus overhead), twice over for safety. */
#define IPVS_DUMP_REPLY_COST (80 << 10)

struct ipvs_genl {
	struct nl_sock *sock;
	int fd;
	int family;
	uint32_t seq;
	int timeout_ms;
	unsigned win_msgs;
	size_t win_bytes;
	unsigned dump_win, dump_win_max; /* GET_DEST dumps per sendmsg */
	unsigned malformed;
	const char *last_why;
	unsigned last_msgs, last_sends;
	unsigned char *rx; /* IPVS_RXBUF_LEN */
	unsigned char *tx; /* win_bytes + one message */
	size_t tx_cap;
};

/* ---------------------------------------------------------------- socket */

static int nlerr_to_errno(int e)
{
	switch (e < 0 ? -e : e) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_PROTO_MISMATCH:
	case NLE_AF_NOSUPPORT:
		return -EPROTONOSUPPORT;
	default:
		return -EIO;
	}
}

static int find_family(struct ipvs_genl *g)
{
	int rc;

	if (!g->sock) {
		g->sock = nl_socket_alloc();
		if (!g->sock)
			return -ENOMEM;
		rc = genl_connect(g->sock);
		if (rc < 0) {
			nl_socket_free(g->sock);
			g->sock = NULL;
			return nlerr_to_errno(rc);
		}
	}
	rc = genl_ctrl_resolve(g->sock, IPVS_GENL_NAME);
	if (rc < 0)
		return nlerr_to_errno(rc);
	g->family = rc;
	return 0;
}

/* `modprobe ip_vs`, no shell, output thrown away, at most 10 s. */
static void run_modprobe(void)
{
	static const char *const paths[] = { "/sbin/modprobe", "/usr/sbin/modprobe" };
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		char *argv[] = { (char *)"modprobe", (char *)"-q", (char *)"ip_vs", NULL };
		char *envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			execve(paths[i], argv, envp);
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static void set_bufs(struct ipvs_genl *g)
{
	int v = IPVS_RCVBUF, one = 1;

	/* Past rmem_max when we may (root); otherwise as large as allowed. */
	nl_socket_set_buffer_size(g->sock, IPVS_RCVBUF, IPVS_SNDBUF);
	setsockopt(g->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v));
	v = IPVS_SNDBUF;
	setsockopt(g->fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v));
	/* ACKs without the echoed request, with the kernel's reason text. */
	setsockopt(g->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(g->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Pipelined dumps must never overflow the receive buffer. */
	v = 0;
	{
		socklen_t vl = sizeof(v);

		if (getsockopt(g->fd, SOL_SOCKET, SO_RCVBUF, &v, &vl) < 0)
			v = 0;
	}
	g->dump_win_max = (unsigned)v / IPVS_DUMP_REPLY_COST;
	if (g->dump_win_max > IPVS_DUMP_WIN_MAX)
		g->dump_win_max = IPVS_DUMP_WIN_MAX;
	if (!g->dump_win_max)
		g->dump_win_max = 1;
	g->dump_win = g->dump_win_max;
}

int ipvs_genl_open(struct ipvs_genl **out)
{
	struct ipvs_genl *g;
	int rc;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->timeout_ms = 10000;
	g->win_msgs = IPVS_WIN_MSGS;
	g->win_bytes = IPVS_WIN_BYTES;
	rc = find_family(g);
	if (rc == -ENOENT) {
		run_modprobe();
		rc = find_family(g);
	}
	if (rc)
		goto fail;
	g->fd = nl_socket_get_fd(g->sock);
	set_bufs(g);
	g->rx = malloc(IPVS_RXBUF_LEN);
	if (!g->rx) {
		rc = -ENOMEM;
		goto fail;
	}
	g->seq = (uint32_t)time(NULL);
	*out = g;
	return 0;
fail:
	ipvs_genl_close(g);
	return rc;
}

void ipvs_genl_close(struct ipvs_genl *g)
{
	if (!g)
		return;
	if (g->sock)
		nl_socket_free(g->sock);
	free(g->rx);
	free(g->tx);
	free(g);
}

unsigned ipvs_genl_malformed(const struct ipvs_genl *g, const char **last_why)
{
	if (last_why)
		*last_why = g->last_why;
	return g->malformed;
}

void ipvs_genl_set_timeout_ms(struct ipvs_genl *g, int ms)
{
	g->timeout_ms = ms > 0 ? ms : 10000;
}

void ipvs_genl_set_window(struct ipvs_genl *g, unsigned msgs, size_t bytes)
{
	g->win_msgs = msgs ? msgs : 1;
	g->win_bytes = bytes >= 4096 ? bytes : 4096;
	g->dump_win = g->win_msgs < g->dump_win_max ? g->win_msgs : g->dump_win_max;
}

void ipvs_genl_last_apply(const struct ipvs_genl *g, unsigned *msgs, unsigned *sends)
{
	*msgs = g->last_msgs;
	*sends = g->last_sends;
}

static void count_bad(struct ipvs_genl *g, const char *why)
{
	g->malformed++;
	g->last_why = why;
}

static int send_buf(struct ipvs_genl *g, const void *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(g->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

/* One datagram from the kernel into g->rx; its length, or -errno. */
static int recv_dgram(struct ipvs_genl *g)
{
	struct pollfd pfd = { .fd = g->fd, .events = POLLIN };

	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { g->rx, IPVS_RXBUF_LEN };
		struct msghdr mh = { .msg_name = &from,
				     .msg_namelen = sizeof(from),
				     .msg_iov = &iov,
				     .msg_iovlen = 1 };
		ssize_t n;
		int pr = poll(&pfd, 1, g->timeout_ms);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			return -ETIMEDOUT;
		n = recvmsg(g->fd, &mh, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno; /* ENOBUFS: replies were lost */
		if (mh.msg_flags & MSG_TRUNC) {
			count_bad(g, "reply larger than the receive buffer");
			continue;
		}
		if (mh.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue; /* not from the kernel */
		return (int)n;
	}
}

/* Sends one request and reads until its ACK; 0 or the kernel's -errno. */
static int transact(struct ipvs_genl *g, struct nl_msg *m, char *ktext, size_t ktlen)
{
	struct nlmsghdr *req = nlmsg_hdr(m);
	uint32_t seq = ++g->seq;
	int rc;

	req->nlmsg_seq = seq;
	rc = send_buf(g, req, req->nlmsg_len);
	if (rc)
		return rc;
	for (;;) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			int err;

			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (ipvs_msg_parse_ack(h, &err, ktext, ktlen) < 0) {
				count_bad(g, "short ACK");
				return -EPROTO;
			}
			return err;
		}
	}
}

static int simple_cmd(struct ipvs_genl *g, struct nl_msg *m, int rc)
{
	if (!rc)
		rc = transact(g, m, NULL, 0);
	nlmsg_free(m);
	return rc;
}

int ipvs_genl_flush(struct ipvs_genl *g)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_flush(m, g->family));
}

int ipvs_genl_set_timeouts(struct ipvs_genl *g, uint32_t tcp, uint32_t tcpfin, uint32_t udp)
{
	struct nl_msg *m;

	if (!tcp && !tcpfin && !udp)
		return 0;
	m = nlmsg_alloc();
	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_timeouts(m, g->family, tcp, tcpfin, udp));
}

int ipvs_genl_sync_start(struct ipvs_genl *g, enum ipvs_sync_state st,
			 const struct ipvs_sync_cfg *c)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_daemon_new(m, g->family, st, c));
}

int ipvs_genl_sync_stop(struct ipvs_genl *g, enum ipvs_sync_state st)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return -ENOMEM;
	return simple_cmd(g, m, ipvs_msg_daemon_del(m, g->family, st));
}

/* ------------------------------------------------------------------ dump */

typedef int (*dump_fn)(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx);

/*
 * Sends a dump request and hands every reply message to fn until
 * NLMSG_DONE. 0, -EINTR if the kernel flagged the dump as interrupted, or
 * -errno.
 */
static int dump(struct ipvs_genl *g, struct nl_msg *m, dump_fn fn, void *ctx)
{
	struct nlmsghdr *req = nlmsg_hdr(m);
	uint32_t seq = ++g->seq;
	bool intr = false;
	int rc;

	req->nlmsg_seq = seq;
	rc = send_buf(g, req, req->nlmsg_len);
	if (rc)
		return rc;
	for (;;) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (h->nlmsg_type == NLMSG_DONE) {
				int derr = 0;

				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&derr, nlmsg_data(h), sizeof(derr));
				if (derr < 0)
					return derr;
				return intr ? -EINTR : 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				int err;

				if (ipvs_msg_parse_ack(h, &err, NULL, 0) < 0) {
					count_bad(g, "short error message");
					return -EPROTO;
				}
				return err ? err : -EPROTO;
			}
			if (h->nlmsg_type != g->family) {
				count_bad(g, "reply of another family");
				continue;
			}
			rc = fn(g, h, ctx);
			if (rc)
				return rc;
		}
		if (len > 0)
			count_bad(g, "truncated netlink message");
	}
}

static int grow(void **v, unsigned n, unsigned *cap, size_t size)
{
	void *p;
	unsigned nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	p = realloc(*v, (size_t)nc * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = nc;
	return 0;
}

struct svc_vec {
	struct ipvs_service *v;
	unsigned n, cap;
};

static int on_service(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx)
{
	struct svc_vec *sv = ctx;
	struct ipvs_service s;
	const char *why;

	if (ipvs_msg_parse_service(h, &s, &why) < 0) {
		count_bad(g, why);
		return 0;
	}
	if (grow((void **)&sv->v, sv->n, &sv->cap, sizeof(*sv->v)))
		return -ENOMEM;
	sv->v[sv->n++] = s;
	return 0;
}

struct dest_ctx {
	struct ipvs_service *svc;
	unsigned cap;
};

static int on_dest(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx)
{
	struct dest_ctx *dc = ctx;
	struct ipvs_dest d;
	const char *why;

	if (ipvs_msg_parse_dest(h, dc->svc->af, &d, &why) < 0) {
		count_bad(g, why);
		return 0;
	}
	if (grow((void **)&dc->svc->dests, dc->svc->n_dests, &dc->cap, sizeof(d)))
		return -ENOMEM;
	dc->svc->dests[dc->svc->n_dests++] = d;
	return 0;
}

/*
 * The dests of svcs[0..n): n GET_DEST dumps in one sendmsg. The kernel runs
 * one dump at a time per socket; a dump that fits one reply buffer is over
 * before the next request is read, so most go through; those refused with
 * EBUSY (a service with very many dests) are dumped again one by one.
 */
static int dump_dests_batch(struct ipvs_genl *g, struct ipvs_service *svcs, unsigned n, bool *intr)
{
	enum { PENDING, DONE, BUSY } st[IPVS_DUMP_WIN_MAX];
	unsigned caps[IPVS_DUMP_WIN_MAX] = { 0 }, left = n;
	uint32_t seq0 = g->seq + 1;
	size_t used = 0;
	int rc;

	for (unsigned i = 0; i < n; i++) {
		struct nl_msg *m = nlmsg_alloc();
		struct nlmsghdr *h;

		if (!m)
			return -ENOMEM;
		rc = ipvs_msg_get_dests(m, g->family, &svcs[i]);
		h = nlmsg_hdr(m);
		if (rc || used + NLMSG_ALIGN(h->nlmsg_len) > g->tx_cap) {
			nlmsg_free(m);
			return rc ? rc : -EMSGSIZE;
		}
		h->nlmsg_seq = ++g->seq;
		memcpy(g->tx + used, h, h->nlmsg_len);
		memset(g->tx + used + h->nlmsg_len, 0, NLMSG_ALIGN(h->nlmsg_len) - h->nlmsg_len);
		used += NLMSG_ALIGN(h->nlmsg_len);
		nlmsg_free(m);
		st[i] = PENDING;
		svcs[i].dests = NULL;
		svcs[i].n_dests = 0;
	}
	rc = send_buf(g, g->tx, used);
	if (rc)
		return rc;
	while (left) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			uint32_t idx = h->nlmsg_seq - seq0;
			int err;

			if (idx >= n || st[idx] != PENDING)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (h->nlmsg_type == NLMSG_DONE) {
				err = 0;
				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					memcpy(&err, nlmsg_data(h), sizeof(err));
				if (err < 0)
					return err;
				st[idx] = DONE;
				left--;
			} else if (h->nlmsg_type == NLMSG_ERROR) {
				if (ipvs_msg_parse_ack(h, &err, NULL, 0) < 0) {
					count_bad(g, "short error message");
					return -EPROTO;
				}
				if (err != -EBUSY)
					return err ? err : -EPROTO;
				st[idx] = BUSY;
				left--;
			} else if (h->nlmsg_type != g->family) {
				count_bad(g, "reply of another family");
			} else {
				struct ipvs_service *s = &svcs[idx];
				struct ipvs_dest d;
				const char *why;

				if (ipvs_msg_parse_dest(h, s->af, &d, &why) < 0) {
					count_bad(g, why);
					continue;
				}
				if (grow((void **)&s->dests, s->n_dests, &caps[idx], sizeof(d)))
					return -ENOMEM;
				s->dests[s->n_dests++] = d;
			}
		}
		if (len > 0)
			count_bad(g, "truncated netlink message");
	}
	for (unsigned i = 0; i < n; i++) {
		struct dest_ctx dc = { .svc = &svcs[i] };
		struct nl_msg *m;

		if (st[i] != BUSY)
			continue;
		m = nlmsg_alloc();
		if (!m)
			return -ENOMEM;
		rc = ipvs_msg_get_dests(m, g->family, &svcs[i]);
		if (!rc)
			rc = dump(g, m, on_dest, &dc);
		nlmsg_free(m);
		if (rc == -EINTR) {
			*intr = true;
			rc = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int ensure_tx(struct ipvs_genl *g, size_t need)
{
	unsigned char *p;

	if (g->tx_cap >= need)
		return 0;
	p = realloc(g->tx, need);
	if (!p)
		return -ENOMEM;
	g->tx = p;
	g->tx_cap = need;
	return 0;
}

static int dump_once(struct ipvs_genl *g, struct ipvs_state *out)
{
	struct svc_vec sv = { 0 };
	struct nl_msg *m;
	bool intr = false;
	int rc;

	m = nlmsg_alloc();
	if (!m)
		return -ENOMEM;
	rc = ipvs_msg_get_services(m, g->family);
	if (!rc)
		rc = dump(g, m, on_service, &sv);
	nlmsg_free(m);
	out->svcs = sv.v;
	out->n_svcs = sv.n;
	if (!rc)
		rc = ensure_tx(g, (size_t)g->dump_win * 256 + 65536);
	for (unsigned i = 0; !rc && i < sv.n; i += g->dump_win) {
		unsigned k = sv.n - i < g->dump_win ? sv.n - i : g->dump_win;

		rc = dump_dests_batch(g, &sv.v[i], k, &intr);
	}
	if (!rc && intr)
		rc = -EINTR;
	if (rc)
		ipvs_state_free(out);
	return rc;
}

int ipvs_genl_dump(struct ipvs_genl *g, struct ipvs_state *out)
{
	int rc = -EINTR;

	out->svcs = NULL;
	out->n_svcs = 0;
	/* The table changed under the dump: dump it again. */
	for (int i = 0; i < IPVS_DUMP_TRIES && rc == -EINTR; i++)
		rc = dump_once(g, out);
	if (rc == -EINTR)
		rc = -EAGAIN;
	if (!rc)
		ipvs_state_sort(out);
	return rc;
}

static int on_daemon(struct ipvs_genl *g, struct nlmsghdr *h, void *ctx)
{
	unsigned *roles = ctx;
	enum ipvs_sync_state st;
	struct ipvs_sync_cfg c;
	const char *why;

	if (ipvs_msg_parse_daemon(h, &st, &c, &why) < 0) {
		count_bad(g, why);
		return 0;
	}
	*roles |= st == IPVS_SYNC_MASTER ? 1u : 2u;
	return 0;
}

int ipvs_genl_sync_running(struct ipvs_genl *g, unsigned *roles)
{
	struct nl_msg *m = nlmsg_alloc();
	int rc;

	*roles = 0;
	if (!m)
		return -ENOMEM;
	rc = ipvs_msg_daemon_get(m, g->family);
	if (!rc)
		rc = dump(g, m, on_daemon, roles);
	nlmsg_free(m);
	return rc;
}

/* ----------------------------------------------------------------- apply */

static void apply_err(const struct ipvs_op *op, int err, const char *ktext, char *buf, size_t len)
{
	char what[320];

	if (!buf || !len)
		return;
	ipvs_op_what(op, what, sizeof(what));
	if (ktext && ktext[0])
		snprintf(buf, len, "%s: %s (%s)", what, strerror(-err), ktext);
	else
		snprintf(buf, len, "%s: %s", what, strerror(-err));
}

/*
 * Reads the answers to ops [first, first + count) sent with sequence numbers
 * seq0 + i, of which only the last asked for an ACK: the others answer only
 * when they fail. Records the lowest failing index in *fail (with its error
 * and the kernel's text). 0 once the last one's ACK is in, or -errno if
 * answers were lost (ENOBUFS) or did not come.
 */
static int read_acks(struct ipvs_genl *g, uint32_t seq0, unsigned count, unsigned *fail,
		     int *fail_err, char *ktext, size_t ktlen)
{
	bool last = false;
	char tmp[256];

	while (!last) {
		struct nlmsghdr *h;
		int len = recv_dgram(g);

		if (len < 0)
			return len;
		h = (struct nlmsghdr *)g->rx;
		for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			uint32_t idx = h->nlmsg_seq - seq0;
			int err;

			if (h->nlmsg_type != NLMSG_ERROR || idx >= count)
				continue; /* stale reply to an earlier request */
			if (ipvs_msg_parse_ack(h, &err, tmp, sizeof(tmp)) < 0) {
				count_bad(g, "short ACK");
				err = -EPROTO;
			}
			if (idx == count - 1)
				last = true;
			if (err && idx < *fail) {
				*fail = idx;
				*fail_err = err;
				snprintf(ktext, ktlen, "%s", tmp);
			}
		}
		if (len > 0)
			count_bad(g, "truncated netlink message");
	}
	return 0;
}

int ipvs_genl_apply(struct ipvs_genl *g, const struct ipvs_ops *ops, unsigned *n_done, char *err,
		    size_t errlen)
{
	struct nl_msg *m = NULL;
	unsigned next = 0;
	char ktext[256] = "";
	size_t need = g->win_bytes + 65536;

	*n_done = 0;
	if (err && errlen)
		err[0] = '\0';
	g->last_msgs = g->last_sends = 0;
	if (ensure_tx(g, need))
		return -ENOMEM;
	while (next < ops->n) {
		uint32_t seq0 = g->seq + 1;
		unsigned first = next, count = 0, fail = UINT32_MAX;
		int fail_err = 0, rc;
		size_t used = 0, last_off = 0;

		/* Fill one batch. One nl_msg is reused: emptied by resetting its
		 * length (a fresh one per op costs a zeroed page each). */
		while (next < ops->n && count < g->win_msgs) {
			struct nlmsghdr *h;

			if (!m) {
				m = nlmsg_alloc();
				if (!m)
					return -ENOMEM;
			}
			nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN;
			rc = ipvs_msg_op(m, g->family, &ops->v[next]);
			h = nlmsg_hdr(m);
			if (rc) {
				nlmsg_free(m);
				m = NULL;
				if (count)
					break; /* send what we have; fail on the next round */
				apply_err(&ops->v[next], rc, "cannot build the message", err,
					  errlen);
				return rc;
			}
			if (count && used + NLMSG_ALIGN(h->nlmsg_len) > g->win_bytes)
				break;
			h->nlmsg_seq = ++g->seq;
			h->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
			last_off = used;
			memcpy(g->tx + used, h, h->nlmsg_len);
			memset(g->tx + used + h->nlmsg_len, 0,
			       NLMSG_ALIGN(h->nlmsg_len) - h->nlmsg_len);
			used += NLMSG_ALIGN(h->nlmsg_len);
			count++;
			next++;
		}
		((struct nlmsghdr *)(g->tx + last_off))->nlmsg_flags |= NLM_F_ACK;
		rc = send_buf(g, g->tx, used);
		if (rc) {
			nlmsg_free(m);
			apply_err(&ops->v[first], rc, "sending", err, errlen);
			return rc;
		}
		g->last_sends++;
		rc = read_acks(g, seq0, count, &fail, &fail_err, ktext, sizeof(ktext));
		if (rc || fail != UINT32_MAX) {
			nlmsg_free(m);
			m = NULL;
		}
		if (rc) {
			apply_err(&ops->v[first], rc, "reading the ACKs of a batch starting here",
				  err, errlen);
			return rc;
		}
		if (fail != UINT32_MAX) {
			*n_done = first + fail;
			g->last_msgs += fail;
			apply_err(&ops->v[first + fail], fail_err, ktext, err, errlen);
			return fail_err;
		}
		g->last_msgs += count;
		*n_done = next;
	}
	nlmsg_free(m);
	return 0;
}
