/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The notify FIFO writer (fifo.h). */
#include "config.h"

#include "lib/fifo.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/spawn.h"

/* The reader script's context; outlives the writer while it still runs. */
struct fifo_script {
	struct fifo_writer *f; /* NULL once the writer closed */
	struct spawn_job *job;
};

struct fifo_writer {
	struct fifo_writer *next; /* in open_writers */
	unsigned refs;
	char *what;
	char *path;
	char *script_cmd; /* as opened, NULL: none; with script_id, the sharing key */
	struct script_ident script_id;
	int fd;
	int last_errno; /* of the last failed open, to log each new cause once */
	struct fifo_script *script;
	uint64_t lines, dropped, opens;
};

/*
 * Writers open in this process. notify_fifo is written by the VRRP and the
 * IPVS notifiers both (keepalived writes its VRRP and checker lines to
 * it): an open of a path already open with the same reader script shares
 * that writer, so there is one reader and lines keep their order.
 */
static struct fifo_writer *open_writers;

static bool same_ident(const struct script_ident *a, const struct script_ident *b)
{
	return a->set == b->set && (!a->set || (a->uid == b->uid && a->gid == b->gid));
}

static struct fifo_writer *find_shared(const struct fifo_writer_opts *o)
{
	const char *script = o->script && o->script[0] ? o->script : NULL;

	for (struct fifo_writer *f = open_writers; f; f = f->next) {
		if (strcmp(f->path, o->path))
			continue;
		if (!script != !f->script_cmd || (script && strcmp(script, f->script_cmd)))
			continue;
		if (script && !same_ident(&o->script_id, &f->script_id))
			continue;
		return f;
	}
	return NULL;
}

static void script_exited(const struct spawn_result *res, void *data)
{
	struct fifo_script *fs = data;

	if (fs->f) {
		log_warn("%s script for %s ended (%s %lld); FIFO lines wait for another reader",
			 fs->f->what, fs->f->path, res->term_signal ? "signal" : "status",
			 res->term_signal ? (long long)res->term_signal
					  : (long long)res->exit_status);
		fs->f->script = NULL;
	}
	free(fs);
}

static void start_script(uv_loop_t *loop, struct fifo_writer *f, const struct fifo_writer_opts *o)
{
	struct spawn_opts so = { 0 };
	const char *err = NULL;
	struct fifo_script *fs;
	char **argv = NULL, **grown;
	char label[64];
	size_t argc = 0;
	int r;

	snprintf(label, sizeof(label), "%s_script", f->what);
	if (spawn_split_command(o->script, &argv, &err) < 0) {
		log_error("%s: '%.64s': %s; not run", label, o->script, err);
		return;
	}
	while (argv[argc])
		argc++;
	grown = realloc(argv, (argc + 2) * sizeof(*argv));
	if (!grown) {
		spawn_argv_free(argv);
		return;
	}
	argv = grown;
	argv[argc] = strdup(f->path);
	argv[argc + 1] = NULL;
	fs = calloc(1, sizeof(*fs));
	if (!argv[argc] || !fs) {
		free(fs);
		spawn_argv_free(argv);
		return;
	}
	fs->f = f;
	so.argv = (const char *const *)argv;
	so.id = o->script_id;
	so.capture_output = true;
	so.name = label;
	r = spawn_script(loop, &so, script_exited, fs, &fs->job);
	spawn_argv_free(argv);
	if (r < 0) {
		log_error("%s: cannot start: %s", label, uv_strerror(r));
		free(fs);
		return;
	}
	f->script = fs;
}

/* Creates the FIFO if missing; refuses a path that is something else. */
static int prepare(const struct fifo_writer_opts *o)
{
	struct stat st;

	if (stat(o->path, &st) == 0) {
		if (!S_ISFIFO(st.st_mode)) {
			log_error("%s %s exists and is not a FIFO; not used", o->what, o->path);
			return -EEXIST;
		}
		return 0;
	}
	if (errno != ENOENT) {
		int e = errno;

		log_error("%s %s: %s; not used", o->what, o->path, strerror(e));
		return -e;
	}
	if (mkfifo(o->path, 0600) < 0 && errno != EEXIST) {
		int e = errno;

		log_error("%s: cannot create FIFO %s: %s; not used", o->what, o->path, strerror(e));
		return -e;
	}
	if (o->owner.set && chown(o->path, o->owner.uid, o->owner.gid) < 0)
		log_warn("%s: cannot give %s to uid %u: %s", o->what, o->path,
			 (unsigned)o->owner.uid, strerror(errno));
	return 0;
}

static int try_open(struct fifo_writer *f)
{
	if (f->fd >= 0)
		return 0;
	f->fd = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (f->fd < 0) {
		int e = errno;

		/* ENXIO: nobody reads yet. Logged once per new cause, at debug for ENXIO. */
		if (e != f->last_errno) {
			if (e == ENXIO)
				log_debug("%s %s: no reader yet", f->what, f->path);
			else
				log_warn("%s %s: cannot open: %s", f->what, f->path, strerror(e));
			f->last_errno = e;
		}
		return -e;
	}
	f->last_errno = 0;
	f->opens++;
	return 0;
}

int fifo_writer_open(uv_loop_t *loop, const struct fifo_writer_opts *o, struct fifo_writer **out)
{
	struct fifo_writer *f;
	int r;

	*out = NULL;
	if (!o->path || !o->path[0])
		return -EINVAL;
	f = find_shared(o);
	if (f) {
		f->refs++;
		*out = f;
		return 0;
	}
	r = prepare(o);
	if (r < 0)
		return r;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->what = strdup(o->what)) || !(f->path = strdup(o->path)) ||
	    (o->script && o->script[0] && !(f->script_cmd = strdup(o->script)))) {
		if (f) {
			free(f->what);
			free(f->path);
		}
		free(f);
		return -ENOMEM;
	}
	f->fd = -1;
	f->refs = 1;
	f->script_id = o->script_id;
	if (f->script_cmd)
		start_script(loop, f, o);
	try_open(f);
	f->next = open_writers;
	open_writers = f;
	*out = f;
	return 0;
}

void fifo_writer_close(struct fifo_writer *f)
{
	if (!f || --f->refs)
		return;
	for (struct fifo_writer **pp = &open_writers; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	if (f->script) {
		/* The reader only reads our FIFO: it goes with it. */
		spawn_kill(f->script->job, SIGTERM);
		f->script->f = NULL;
	}
	if (f->fd >= 0)
		close(f->fd);
	free(f->what);
	free(f->path);
	free(f->script_cmd);
	free(f);
}

/* Write without SIGPIPE: block it, and eat the one our write raised. */
static ssize_t write_nosigpipe(int fd, const char *buf, size_t len)
{
	sigset_t pipe_set, old, pending;
	bool was_pending;
	ssize_t w;
	int e;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE) == 1;
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	do
		w = write(fd, buf, len);
	while (w < 0 && errno == EINTR);
	e = errno;
	if (w < 0 && e == EPIPE && !was_pending) {
		const struct timespec zero = { 0, 0 };

		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return w;
}

void fifo_writer_line(struct fifo_writer *f, const char *line, size_t len)
{
	ssize_t w;

	if (!f)
		return;
	if (len >= FIFO_LINE_MAX || try_open(f) < 0) {
		f->dropped++;
		return;
	}
	w = write_nosigpipe(f->fd, line, len);
	if (w == (ssize_t)len) {
		f->lines++;
		return;
	}
	f->dropped++;
	if (w < 0 && errno == EAGAIN) {
		log_debug("%s %s: reader too slow, line dropped", f->what, f->path);
		return;
	}
	/* EPIPE (the reader went away) or anything else: start again next time. */
	log_debug("%s %s: write failed (%s); reopening at the next line", f->what, f->path,
		  w < 0 ? strerror(errno) : "short write");
	close(f->fd);
	f->fd = -1;
}

const char *fifo_writer_path(const struct fifo_writer *f)
{
	return f ? f->path : NULL;
}

const char *fifo_writer_what(const struct fifo_writer *f)
{
	return f ? f->what : NULL;
}

void fifo_writer_stats(const struct fifo_writer *f, struct fifo_writer_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!f)
		return;
	st->lines = f->lines;
	st->dropped = f->dropped;
	st->opens = f->opens;
	st->open = f->fd >= 0;
	st->script_running = f->script != NULL;
}
