/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/control.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/log.h"

struct client;

struct control {
	uv_loop_t *loop;
	uv_pipe_t server;
	char *path;
	control_handler fn;
	void *data;
	struct client *clients;
	unsigned n_active;   /* clients being served */
	unsigned n_total;    /* all client structs, busy ones included */
	bool accept_pending; /* a connection waits for a free slot */
	bool closing;
	unsigned timeout_ms;   /* per client, to send the request / read the reply */
	unsigned open_handles; /* server + client handles not yet closed */
};

enum client_state { CL_READING, CL_WRITING, CL_CLOSING };

struct client {
	uv_pipe_t pipe;
	uv_timer_t timer;
	struct control *ctl;
	struct client *next, **pprev;
	enum client_state state;
	bool busy; /* refused with "too many clients" */
	unsigned handles;
	size_t len;
	char buf[CTL_MAX_LINE];
	uv_write_t wreq;
	char *reply;
};

static void maybe_free_control(struct control *c)
{
	if (c->closing && c->open_handles == 0) {
		free(c->path);
		free(c);
	}
}

static void accept_one(struct control *c);
static void client_send(struct client *cl, struct json *j);

static void client_handle_closed(uv_handle_t *h)
{
	struct client *cl = h->data;
	struct control *c = cl->ctl;

	c->open_handles--;
	if (--cl->handles > 0)
		return;
	free(cl->reply);
	free(cl);
	if (c->closing) {
		maybe_free_control(c);
		return;
	}
	if (c->accept_pending) {
		c->accept_pending = false;
		accept_one(c);
	}
}

static void client_close(struct client *cl)
{
	struct control *c = cl->ctl;

	if (cl->state == CL_CLOSING)
		return;
	cl->state = CL_CLOSING;
	*cl->pprev = cl->next;
	if (cl->next)
		cl->next->pprev = cl->pprev;
	if (!cl->busy)
		c->n_active--;
	c->n_total--;
	uv_timer_stop(&cl->timer);
	uv_close((uv_handle_t *)&cl->timer, client_handle_closed);
	uv_close((uv_handle_t *)&cl->pipe, client_handle_closed);
}

static void write_done(uv_write_t *req, int status)
{
	struct client *cl = req->data;

	if (status < 0 && status != UV_ECANCELED)
		log_debug("control: reply not delivered: %s", uv_strerror(status));
	client_close(cl);
}

static void client_timeout(uv_timer_t *t)
{
	struct client *cl = t->data;

	if (cl->state == CL_READING) {
		struct json j;

		log_debug("control: client sent no complete request within %u ms",
			  cl->ctl->timeout_ms);
		json_init(&j, false);
		ctl_reply_error(&j, "timeout waiting for the request line");
		client_send(cl, &j);
		return;
	}
	/* Still writing: the client does not read its reply. */
	client_close(cl);
}

/* Takes a finished JSON writer, sends its text + '\n', then closes. */
static void client_send(struct client *cl, struct json *j)
{
	uv_buf_t b;
	size_t len = 0;
	char *text;
	int r;

	uv_read_stop((uv_stream_t *)&cl->pipe);
	text = json_take(j, &len);
	json_free(j);
	if (!text) {
		client_close(cl);
		return;
	}
	cl->reply = malloc(len + 2);
	if (!cl->reply) {
		free(text);
		client_close(cl);
		return;
	}
	memcpy(cl->reply, text, len);
	free(text);
	cl->reply[len++] = '\n';
	cl->reply[len] = '\0';
	cl->state = CL_WRITING;
	/* A client that does not read its reply must not hold a slot forever. */
	uv_timer_start(&cl->timer, client_timeout, cl->ctl->timeout_ms, 0);
	b = uv_buf_init(cl->reply, (unsigned)len);
	cl->wreq.data = cl;
	r = uv_write(&cl->wreq, (uv_stream_t *)&cl->pipe, &b, 1, write_done);
	if (r < 0)
		client_close(cl);
}

static void client_error(struct client *cl, const char *msg)
{
	struct json j;

	json_init(&j, false);
	ctl_reply_error(&j, msg);
	client_send(cl, &j);
}

static void client_request(struct client *cl, size_t line_len)
{
	struct ctl_request req;
	const char *err = NULL;
	struct json j;

	if (ctl_parse_request(cl->buf, line_len, &req, &err) < 0) {
		log_debug("control: bad request: %s", err);
		client_error(cl, err);
		return;
	}
	log_debug("control: request '%s'", ctl_command_name(req.cmd));
	json_init(&j, false);
	cl->ctl->fn(req.cmd, &j, cl->ctl->data);
	client_send(cl, &j);
}

static void client_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct client *cl = h->data;

	(void)suggested;
	b->base = cl->buf + cl->len;
	b->len = sizeof(cl->buf) - cl->len;
}

static void client_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct client *cl = s->data;
	const char *nl;
	size_t old = cl->len;

	(void)b;
	if (cl->state != CL_READING)
		return;
	if (nread == UV_EOF) {
		if (cl->len > 0)
			client_error(cl, "request line not terminated by a newline");
		else
			client_close(cl);
		return;
	}
	if (nread < 0) {
		client_close(cl);
		return;
	}
	if (nread == 0)
		return;
	cl->len += (size_t)nread;
	nl = memchr(cl->buf + old, '\n', cl->len - old);
	if (nl) {
		client_request(cl, (size_t)(nl - cl->buf));
		return;
	}
	if (cl->len >= sizeof(cl->buf))
		client_error(cl, "request too long");
}

static void accept_one(struct control *c)
{
	struct client *cl;
	int r;

	/* Bounded memory: past twice the limit, leave connections in the
	 * kernel's backlog until a slot frees up. */
	if (c->n_total >= 2 * CTL_MAX_CLIENTS) {
		c->accept_pending = true;
		return;
	}
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		c->accept_pending = true;
		return;
	}
	cl->ctl = c;
	uv_pipe_init(c->loop, &cl->pipe, 0);
	uv_timer_init(c->loop, &cl->timer);
	cl->pipe.data = cl;
	cl->timer.data = cl;
	cl->handles = 2;
	c->open_handles += 2;
	cl->state = CL_READING;
	cl->next = c->clients;
	if (cl->next)
		cl->next->pprev = &cl->next;
	cl->pprev = &c->clients;
	c->clients = cl;
	c->n_total++;
	cl->busy = c->n_active >= CTL_MAX_CLIENTS;
	if (!cl->busy)
		c->n_active++;
	r = uv_accept((uv_stream_t *)&c->server, (uv_stream_t *)&cl->pipe);
	if (r < 0) {
		log_warn("control: accept: %s", uv_strerror(r));
		client_close(cl);
		return;
	}
	if (cl->busy) {
		log_warn("control: %u clients already, refusing one", CTL_MAX_CLIENTS);
		client_error(cl, "too many clients");
		return;
	}
	uv_timer_start(&cl->timer, client_timeout, cl->ctl->timeout_ms, 0);
	r = uv_read_start((uv_stream_t *)&cl->pipe, client_alloc, client_read);
	if (r < 0)
		client_close(cl);
}

static void on_connection(uv_stream_t *server, int status)
{
	struct control *c = server->data;

	if (status < 0) {
		log_warn("control: listen: %s", uv_strerror(status));
		return;
	}
	if (c->closing)
		return;
	accept_one(c);
}

int control_path_is_live(const char *path)
{
	struct sockaddr_un sa;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return r == 0;
}

static void server_closed(uv_handle_t *h)
{
	struct control *c = h->data;

	c->open_handles--;
	maybe_free_control(c);
}

int control_open(uv_loop_t *loop, const char *path, control_handler fn, void *data,
		 struct control **out)
{
	struct sockaddr_un sa;
	struct control *c;
	struct stat st;
	mode_t old_mask;
	int r;

	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -ENOTSOCK;
		if (control_path_is_live(path))
			return -EADDRINUSE;
		log_info("control: removing stale socket %s", path);
		if (unlink(path) < 0 && errno != ENOENT)
			return -errno;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->path = strdup(path);
	if (!c->path) {
		free(c);
		return -ENOMEM;
	}
	c->loop = loop;
	c->fn = fn;
	c->data = data;
	c->timeout_ms = CTL_CLIENT_TIMEOUT_MS;
	uv_pipe_init(loop, &c->server, 0);
	c->server.data = c;
	c->open_handles = 1;
	/* The socket is born 0600: no window in which others may connect. */
	old_mask = umask(0177);
	r = uv_pipe_bind(&c->server, path);
	umask(old_mask);
	if (r == 0)
		r = uv_listen((uv_stream_t *)&c->server, CTL_MAX_CLIENTS, on_connection);
	if (r < 0) {
		c->closing = true;
		uv_close((uv_handle_t *)&c->server, server_closed);
		return r;
	}
	*out = c;
	return 0;
}

void control_set_timeout(struct control *c, unsigned ms)
{
	c->timeout_ms = ms ? ms : CTL_CLIENT_TIMEOUT_MS;
}

void control_close(struct control *c)
{
	if (!c || c->closing)
		return;
	while (c->clients)
		client_close(c->clients);
	c->closing = true;
	unlink(c->path);
	uv_close((uv_handle_t *)&c->server, server_closed);
}
