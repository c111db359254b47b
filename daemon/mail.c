// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The e-mail alert client (see mail.h): a queue of composed messages and
 * one SMTP session at a time, driven by the replies that smtp_reply.c
 * parses. The dialogue is keepalived 2.2.7's (core/smtp.c): greeting 220,
 * HELO 250, MAIL FROM 250, RCPT TO 250 per recipient, DATA 354, the
 * message 250, QUIT 221.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/utsname.h>

#include "daemon/mail.h"
#include "daemon/mail_msg.h"
#include "daemon/smtp_reply.h"
#include "lib/json.h"
#include "lib/log.h"

#define MAIL_DATA_MAX 2048

enum mail_stage { ST_CONNECT, ST_GREETING, ST_HELO, ST_MAIL, ST_RCPT, ST_DATA, ST_BODY, ST_QUIT };

static const struct {
	const char *name;
	int code;
} stages[] = {
	[ST_CONNECT] = { "connect", 0 }, [ST_GREETING] = { "greeting", 220 },
	[ST_HELO] = { "HELO", 250 },	 [ST_MAIL] = { "MAIL", 250 },
	[ST_RCPT] = { "RCPT", 250 },	 [ST_DATA] = { "DATA", 354 },
	[ST_BODY] = { "message", 250 },	 [ST_QUIT] = { "QUIT", 221 },
};

/* Everything a message needs, copied when it is queued: a reload does
 * not change a message already composed. */
struct mail_item {
	struct mail_item *next;
	struct sockaddr_storage server;
	char server_name[80]; /* "198.18.0.1:25" for the log */
	uint64_t timeout_ms;
	char *helo, *from, *data;
	char subject[MAIL_SUBJECT_MAX]; /* for the log */
	char **rcpt;
	size_t n_rcpt;
	unsigned attempts;
};

struct mail_session {
	struct mail *ml;
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_connect_t conn;
	int open_handles;
	enum mail_stage stage;
	size_t rcpt_next;
	struct smtp_reply reply;
	bool ok;	/* the message was accepted */
	bool permanent; /* a 5xx: trying again is pointless */
};

struct mail {
	uv_loop_t *loop;
	uv_timer_t backoff;
	bool backoff_armed;
	struct mail_item *head, **tail;
	unsigned queued;
	struct mail_session *sess;
	struct mail_stats st;
	bool stopping;
	/* settings of the current model */
	const struct conf_global *g;
	bool enabled;
	bool resolving;		    /* smtp_server is a name being looked up */
	struct mail_gai *gai;	    /* that lookup (NULL: none) */
	struct sockaddr_storage server;
	char server_name[80];
	char router_id[256], from[320], helo[256];
	char *to_header;
	/* the state of each instance and group that last sent a mail */
	struct last_state {
		struct last_state *next;
		bool group;
		int state;
		char name[];
	} * last;
};

static void mail_next(struct mail *ml);
static void on_backoff(uv_timer_t *t);

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		log_error("mail: out of memory");
		abort();
	}
	return p;
}

static void item_free(struct mail_item *it)
{
	if (!it)
		return;
	for (size_t i = 0; i < it->n_rcpt; i++)
		free(it->rcpt[i]);
	free(it->rcpt);
	free(it->helo);
	free(it->from);
	free(it->data);
	free(it);
}

/* keepalived's defaults come from the local host name. */
static void local_name(char *buf, size_t len)
{
	struct utsname u;

	if (uname(&u) < 0)
		snprintf(buf, len, "localhost");
	else
		snprintf(buf, len, "%s", u.nodename);
}

static void server_name(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";
	unsigned port;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		port = ntohs(s6->sin6_port);
		snprintf(buf, len, "[%s]:%u", a, port);
		return;
	}
	inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, a, sizeof(a));
	port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
	snprintf(buf, len, "%s:%u", a, port);
}

/*
 * smtp_server may be a host name, as keepalived's. An address is taken at
 * once; a name is looked up off the loop (uv_getaddrinfo, libuv's thread
 * pool) at start and at each reload, so that a slow or dead resolver never
 * holds up VRRP. Mails queued meanwhile wait for the answer; a name that
 * does not resolve turns the alerts off with an error, as keepalived does,
 * and the waiting mails are given up.
 */
struct mail_gai {
	uv_getaddrinfo_t req;
	struct mail *ml; /* NULL: the lookup is no longer wanted */
};

static void fill_pending(struct mail *ml)
{
	for (struct mail_item *it = ml->head; it; it = it->next) {
		if (it->server.ss_family != AF_UNSPEC)
			continue;
		it->server = ml->server;
		snprintf(it->server_name, sizeof(it->server_name), "%s", ml->server_name);
	}
}

static void drop_pending(struct mail *ml)
{
	struct mail_item **pp = &ml->head, *it;

	while ((it = *pp)) {
		if (it->server.ss_family != AF_UNSPEC) {
			pp = &it->next;
			continue;
		}
		*pp = it->next;
		ml->queued--;
		ml->st.given_up++;
		log_warn("mail: no server for \"%s\": given up", it->subject);
		item_free(it);
	}
	ml->tail = &ml->head;
	while (*ml->tail)
		ml->tail = &(*ml->tail)->next;
}

static void gai_forget(struct mail *ml)
{
	if (!ml->gai)
		return;
	ml->gai->ml = NULL;
	uv_cancel((uv_req_t *)&ml->gai->req);
	ml->gai = NULL;
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct mail_gai *q = req->data;
	struct mail *ml = q->ml;

	if (!ml) {
		if (res)
			uv_freeaddrinfo(res);
		free(q);
		return;
	}
	ml->gai = NULL;
	ml->resolving = false;
	if (status == 0 && res && res->ai_addrlen <= sizeof(ml->server)) {
		memcpy(&ml->server, res->ai_addr, res->ai_addrlen);
		server_name(&ml->server, ml->server_name, sizeof(ml->server_name));
		log_info("mail: smtp_server %s resolved to %s", ml->g->smtp_server,
			 ml->server_name);
		fill_pending(ml);
	} else {
		log_error("mail: smtp_server %s: %s; e-mail alerts are off", ml->g->smtp_server,
			  status ? uv_strerror(status) : "no address");
		ml->enabled = false;
		drop_pending(ml);
	}
	if (res)
		uv_freeaddrinfo(res);
	free(q);
	mail_next(ml);
}

/* 1: the address is known now; 0: a lookup is on its way; -1: error. */
static int resolve_server(struct mail *ml, const struct conf_global *g)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *res = NULL;
	struct mail_gai *q;
	char port[8];
	int r;

	snprintf(port, sizeof(port), "%u", (unsigned)g->smtp_port);
	r = getaddrinfo(g->smtp_server, port, &hints, &res); /* numeric: no query */
	if (r == 0) {
		memcpy(&ml->server, res->ai_addr, res->ai_addrlen);
		freeaddrinfo(res);
		server_name(&ml->server, ml->server_name, sizeof(ml->server_name));
		return 1;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -1;
	q->ml = ml;
	q->req.data = q;
	hints.ai_flags = 0;
	r = uv_getaddrinfo(ml->loop, &q->req, on_resolved, g->smtp_server, port, &hints);
	if (r < 0) {
		log_error("mail: smtp_server %s: %s; e-mail alerts are off", g->smtp_server,
			  uv_strerror(r));
		free(q);
		return -1;
	}
	ml->gai = q;
	ml->resolving = true;
	snprintf(ml->server_name, sizeof(ml->server_name), "%s", g->smtp_server);
	return 0;
}

static void settings(struct mail *ml, const struct conf_model *m)
{
	const struct conf_global *g = &m->global;
	char host[256];
	size_t len = 1;
	int r;

	ml->g = g;
	local_name(host, sizeof(host));
	snprintf(ml->router_id, sizeof(ml->router_id), "%s", g->router_id ? g->router_id : host);
	snprintf(ml->helo, sizeof(ml->helo), "%s", g->smtp_helo_name ? g->smtp_helo_name : host);
	if (g->notification_email_from) {
		snprintf(ml->from, sizeof(ml->from), "%s", g->notification_email_from);
	} else {
		struct passwd *pw = getpwuid(getuid());

		snprintf(ml->from, sizeof(ml->from), "%s@%s", pw ? pw->pw_name : "root", host);
	}
	free(ml->to_header);
	ml->to_header = NULL;
	ml->enabled = false;
	ml->resolving = false;
	gai_forget(ml);
	/* keepalived: "Only send mail if email specified". */
	if (!g->notification_email.n || !g->smtp_server)
		return;
	for (size_t i = 0; i < g->notification_email.n; i++)
		len += strlen(g->notification_email.v[i]) + 2;
	ml->to_header = calloc(1, len);
	if (!ml->to_header)
		return;
	for (size_t i = 0; i < g->notification_email.n; i++) {
		if (i)
			strcat(ml->to_header, ", ");
		strcat(ml->to_header, g->notification_email.v[i]);
	}
	r = resolve_server(ml, g);
	if (r < 0)
		return;
	ml->enabled = true;
	if (r > 0)
		fill_pending(ml);
}

int mail_start(uv_loop_t *loop, const struct conf_model *m, struct mail **out)
{
	struct mail *ml = calloc(1, sizeof(*ml));

	if (!ml)
		return -ENOMEM;
	ml->loop = loop;
	ml->tail = &ml->head;
	uv_timer_init(loop, &ml->backoff);
	ml->backoff.data = ml;
	settings(ml, m);
	*out = ml;
	return 0;
}

void mail_reload(struct mail *ml, const struct conf_model *m)
{
	settings(ml, m);
	if (!ml->enabled)
		drop_pending(ml); /* queued during a lookup that is no longer wanted */
	mail_next(ml);
}

static struct last_state *last_state(struct mail *ml, const char *name, bool group)
{
	struct last_state *l;

	for (l = ml->last; l; l = l->next)
		if (l->group == group && !strcmp(l->name, name))
			return l;
	l = calloc(1, sizeof(*l) + strlen(name) + 1);
	if (!l)
		return NULL;
	l->group = group;
	l->state = -1;
	strcpy(l->name, name);
	l->next = ml->last;
	ml->last = l;
	return l;
}

static void enqueue(struct mail *ml, const struct mail_msg *msg)
{
	const struct conf_global *g = ml->g;
	char date[64], data[MAIL_DATA_MAX];
	struct mail_item *it;
	time_t now = time(NULL);
	struct tm tm;

	if (ml->queued >= MAIL_QUEUE_MAX) {
		ml->st.dropped++;
		log_warn("mail: queue full (%u messages), dropped \"%s\"", MAIL_QUEUE_MAX,
			 msg->subject);
		return;
	}
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	if (mail_format_data(data, sizeof(data), date, ml->from, ml->to_header, msg) < 0)
		snprintf(data, sizeof(data), "Subject: %s\r\n\r\n%s\r\n\r\n.\r\n", msg->subject,
			 msg->body);
	it = calloc(1, sizeof(*it));
	if (!it)
		return;
	/* While smtp_server is being looked up the item waits without a
	 * server (AF_UNSPEC); fill_pending() gives it the answer. */
	if (!ml->resolving) {
		it->server = ml->server;
		snprintf(it->server_name, sizeof(it->server_name), "%s", ml->server_name);
	}
	it->timeout_ms = (uint64_t)g->smtp_connect_timeout * 1000;
	it->helo = xstrdup(ml->helo);
	it->from = xstrdup(ml->from);
	it->data = xstrdup(data);
	snprintf(it->subject, sizeof(it->subject), "%s", msg->subject);
	it->rcpt = calloc(g->notification_email.n, sizeof(*it->rcpt));
	if (!it->rcpt) {
		item_free(it);
		return;
	}
	for (size_t i = 0; i < g->notification_email.n; i++)
		it->rcpt[it->n_rcpt++] = xstrdup(g->notification_email.v[i]);
	*ml->tail = it;
	ml->tail = &it->next;
	ml->queued++;
	mail_next(ml);
}

void mail_on_event(const struct event *ev, void *data)
{
	struct mail *ml = data;
	struct last_state *l = NULL;
	struct mail_msg msg;

	if (!ml->enabled || ml->stopping)
		return;
	if (ev->kind == EVENT_VRRP_STATE || ev->kind == EVENT_VRRP_GROUP_STATE) {
		l = last_state(ml, ev->vrrp.name, ev->kind == EVENT_VRRP_GROUP_STATE);
		if (!l)
			return;
	}
	if (!mail_compose(ml->g, ml->router_id, ev, l ? l->state : -1, &msg))
		return;
	if (l)
		l->state = ev->vrrp.to;
	enqueue(ml, &msg);
}

/* ---- one session ---- */

static void sess_closed(uv_handle_t *h)
{
	struct mail_session *s = h->data;
	struct mail *ml = s->ml;
	struct mail_item *it = ml->head;

	if (--s->open_handles > 0)
		return;
	ml->sess = NULL;
	if (ml->stopping) {
		free(s);
		return;
	}
	if (!s->ok) {
		ml->st.failed++;
		if (!s->permanent && it->attempts <= MAIL_RETRIES) {
			uint64_t wait = (uint64_t)MAIL_BACKOFF_MS << (it->attempts - 1);

			ml->st.retried++;
			log_info("mail: trying again in %llu ms (attempt %u of %u)",
				 (unsigned long long)wait, it->attempts + 1, MAIL_RETRIES + 1);
			free(s);
			ml->backoff_armed = true;
			uv_timer_start(&ml->backoff, on_backoff, wait, 0);
			return;
		}
		ml->st.given_up++;
		log_warn("mail: gave up after %u attempt(s)", it->attempts);
	}
	free(s);
	ml->head = it->next;
	if (!ml->head)
		ml->tail = &ml->head;
	ml->queued--;
	item_free(it);
	mail_next(ml);
}

static void sess_end(struct mail_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The session is over: ok, or failed because of fmt (logged). */
static void sess_end(struct mail_session *s, const char *fmt, ...)
{
	if (fmt) {
		char why[600];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
		log_warn("mail: SMTP server %s: %s", s->ml->head->server_name, why);
	}
	if (uv_is_closing((uv_handle_t *)&s->tcp))
		return;
	uv_close((uv_handle_t *)&s->tcp, sess_closed);
	uv_close((uv_handle_t *)&s->timer, sess_closed);
}

static void on_timeout(uv_timer_t *t)
{
	struct mail_session *s = t->data;

	if (s->stage == ST_QUIT && s->ok) {
		sess_end(s, NULL); /* sent; the QUIT's answer does not matter */
		return;
	}
	sess_end(s, "no %s within %llu ms", s->stage == ST_CONNECT ? "connection" : "reply",
		 (unsigned long long)s->ml->head->timeout_ms);
}

static void on_written(uv_write_t *w, int status)
{
	struct mail_session *s = w->data;

	free(w);
	if (status < 0 && status != UV_ECANCELED && !uv_is_closing((uv_handle_t *)&s->tcp))
		sess_end(s, "write: %s", uv_strerror(status));
}

/* Sends pre, arg and post (keepalived's commands) and waits for the reply. */
static void send_line(struct mail_session *s, const char *pre, const char *arg, const char *post)
{
	struct {
		uv_write_t w;
		char buf[MAIL_DATA_MAX];
	} *req = malloc(sizeof(*req));
	uv_buf_t b;
	int n, r;

	if (!req) {
		sess_end(s, "out of memory");
		return;
	}
	n = snprintf(req->buf, sizeof(req->buf), "%s%s%s", pre, arg, post);
	if (n < 0 || (size_t)n >= sizeof(req->buf))
		n = (int)strlen(req->buf);
	b = uv_buf_init(req->buf, (unsigned)n);
	req->w.data = s;
	r = uv_write(&req->w, (uv_stream_t *)&s->tcp, &b, 1, on_written);
	if (r < 0) {
		free(req);
		sess_end(s, "write: %s", uv_strerror(r));
		return;
	}
	uv_timer_start(&s->timer, on_timeout, s->ml->head->timeout_ms, 0);
}

/* The reply to the current stage is in: the next command, or the end. */
static void on_reply(struct mail_session *s)
{
	const struct mail_item *it = s->ml->head;
	int want = stages[s->stage].code;

	if (s->stage == ST_QUIT) {
		sess_end(s, NULL);
		return;
	}
	if (s->reply.code != want) {
		s->permanent = s->reply.code >= 500;
		sess_end(s, "%s: reply %d (expected %d): %.200s", stages[s->stage].name,
			 s->reply.code, want, s->reply.text);
		return;
	}
	switch (s->stage) {
	case ST_GREETING:
		s->stage = ST_HELO;
		send_line(s, "HELO ", it->helo, "\r\n");
		break;
	case ST_HELO:
		s->stage = ST_MAIL;
		send_line(s, "MAIL FROM:<", it->from, ">\r\n");
		break;
	case ST_MAIL:
	case ST_RCPT:
		if (s->rcpt_next < it->n_rcpt) {
			s->stage = ST_RCPT;
			send_line(s, "RCPT TO:<", it->rcpt[s->rcpt_next++], ">\r\n");
			break;
		}
		s->stage = ST_DATA;
		send_line(s, "DATA\r\n", "", "");
		break;
	case ST_DATA:
		s->stage = ST_BODY;
		send_line(s, it->data, "", "");
		break;
	case ST_BODY:
		s->ok = true;
		s->ml->st.sent++;
		log_info("mail: sent \"%s\" to %zu recipient(s)", it->subject, it->n_rcpt);
		s->stage = ST_QUIT;
		send_line(s, "QUIT\r\n", "", "");
		break;
	default:
		break;
	}
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	static char buf[1024]; /* one read at a time, parsed at once */

	(void)h;
	(void)hint;
	*b = uv_buf_init(buf, sizeof(buf));
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	struct mail_session *s = st->data;
	size_t off = 0, used;

	if (uv_is_closing((uv_handle_t *)&s->tcp))
		return;
	if (n == UV_EOF) {
		if (s->stage == ST_QUIT && s->ok)
			sess_end(s, NULL);
		else
			sess_end(s, "closed the connection during %s", stages[s->stage].name);
		return;
	}
	if (n < 0) {
		sess_end(s, "read: %s", uv_strerror((int)n));
		return;
	}
	while (off < (size_t)n && !uv_is_closing((uv_handle_t *)&s->tcp)) {
		switch (smtp_reply_feed(&s->reply, b->base + off, (size_t)n - off, &used)) {
		case SMTP_REPLY_MORE:
			return;
		case SMTP_REPLY_ERROR:
			sess_end(s, "%s: garbage reply (%s)", stages[s->stage].name,
				 smtp_reply_cause_names[s->reply.cause]);
			return;
		case SMTP_REPLY_DONE:
			off += used;
			uv_timer_stop(&s->timer);
			on_reply(s);
			smtp_reply_init(&s->reply);
			break;
		}
	}
}

static void on_connect(uv_connect_t *c, int status)
{
	struct mail_session *s = c->data;

	if (status == UV_ECANCELED || uv_is_closing((uv_handle_t *)&s->tcp))
		return;
	if (status < 0) {
		sess_end(s, "connect: %s", uv_strerror(status));
		return;
	}
	s->stage = ST_GREETING;
	uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
	uv_timer_start(&s->timer, on_timeout, s->ml->head->timeout_ms, 0);
}

static void on_backoff(uv_timer_t *t)
{
	struct mail *ml = t->data;

	ml->backoff_armed = false;
	mail_next(ml);
}

/* Starts a session for the head of the queue, unless one runs or waits. */
static void mail_next(struct mail *ml)
{
	struct mail_session *s;
	struct mail_item *it = ml->head;
	int r;

	if (!it || ml->sess || ml->backoff_armed || ml->stopping || ml->resolving ||
	    it->server.ss_family == AF_UNSPEC)
		return;
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	s->ml = ml;
	it->attempts++;
	smtp_reply_init(&s->reply);
	uv_tcp_init(ml->loop, &s->tcp);
	uv_timer_init(ml->loop, &s->timer);
	s->tcp.data = s->timer.data = s->conn.data = s;
	s->open_handles = 2;
	ml->sess = s;
	r = uv_tcp_connect(&s->conn, &s->tcp, (const struct sockaddr *)&it->server, on_connect);
	if (r < 0) {
		sess_end(s, "connect: %s", uv_strerror(r));
		return;
	}
	uv_timer_start(&s->timer, on_timeout, it->timeout_ms, 0);
}

void mail_stats(const struct mail *ml, struct mail_stats *st)
{
	*st = ml->st;
	st->queued = ml->queued;
}

void mail_status_json(struct json *j, void *data)
{
	struct mail_stats st = { 0 };

	if (data)
		mail_stats(data, &st);
	json_obj_begin(j);
	json_kbool(j, "enabled", data && ((struct mail *)data)->enabled);
	json_kuint(j, "sent", st.sent);
	json_kuint(j, "failed", st.failed);
	json_kuint(j, "retried", st.retried);
	json_kuint(j, "dropped", st.dropped);
	json_kuint(j, "given_up", st.given_up);
	json_kuint(j, "queued", st.queued);
	json_kuint(j, "queue_max", MAIL_QUEUE_MAX);
	json_obj_end(j);
}

void mail_stop(struct mail *ml)
{
	if (!ml || ml->stopping)
		return;
	ml->stopping = true;
	gai_forget(ml);
	if (!uv_is_closing((uv_handle_t *)&ml->backoff))
		uv_close((uv_handle_t *)&ml->backoff, NULL);
	if (ml->sess)
		sess_end(ml->sess, NULL);
}

void mail_free(struct mail *ml)
{
	struct mail_item *it, *next;
	struct last_state *l, *ln;

	if (!ml)
		return;
	gai_forget(ml);
	free(ml->sess);
	for (it = ml->head; it; it = next) {
		next = it->next;
		item_free(it);
	}
	for (l = ml->last; l; l = ln) {
		ln = l->next;
		free(l);
	}
	free(ml->to_header);
	free(ml);
}
