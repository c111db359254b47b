/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "lib/spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/close_range.h>
#include <sys/syscall.h>
#endif

#include "lib/log.h"

struct spawn_job {
	uv_process_t proc;
	uv_timer_t timer;
	uv_pipe_t out;
	bool have_out;
	unsigned handles; /* open libuv handles */
	bool exited;	  /* process exit seen */
	bool out_done;	  /* output EOF (or no output pipe) */
	bool reported;
	bool killed_term; /* SIGTERM sent at the timeout */
	struct spawn_result res;
	spawn_exit_fn on_exit;
	spawn_output_fn output_fn;
	void *data;
	char *name;
	size_t logged; /* output bytes logged so far */
	bool truncated;
	size_t line_len;
	char line[SPAWN_MAX_LINE + 1];
	char rbuf[1024];
};

/*
 * libuv execs with only the descriptors that lack FD_CLOEXEC; it does not
 * close others. Anything we (or a library) opened without O_CLOEXEC would
 * leak into scripts, so mark them all before forking. The daemon never
 * wants a descriptor inherited across exec, so this is safe to do globally.
 */
void spawn_cloexec_all(void)
{
	DIR *d;
	struct dirent *e;

#if defined(SYS_close_range) && defined(CLOSE_RANGE_CLOEXEC)
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	d = opendir("/proc/self/fd");
	if (!d) {
		/* No /proc: walk the plausible range. */
		long max = sysconf(_SC_OPEN_MAX);
		int fd;

		if (max < 0 || max > 65536)
			max = 65536;
		for (fd = 3; fd < max; fd++) {
			int fl = fcntl(fd, F_GETFD);

			if (fl >= 0 && !(fl & FD_CLOEXEC))
				fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
		}
		return;
	}
	while ((e = readdir(d))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		int fl;

		if (*end || end == e->d_name || fd < 3 || fd == dirfd(d))
			continue;
		fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC))
			fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
	}
	closedir(d);
}

static void job_handle_closed(uv_handle_t *h)
{
	struct spawn_job *job = h->data;

	if (--job->handles == 0) {
		free(job->name);
		free(job);
	}
}

static void job_maybe_finish(struct spawn_job *job)
{
	if (job->reported || !job->exited || !job->out_done)
		return;
	job->reported = true;
	uv_timer_stop(&job->timer);
	if (job->on_exit)
		job->on_exit(&job->res, job->data);
	uv_close((uv_handle_t *)&job->proc, job_handle_closed);
	uv_close((uv_handle_t *)&job->timer, job_handle_closed);
	if (job->have_out && !uv_is_closing((uv_handle_t *)&job->out))
		uv_close((uv_handle_t *)&job->out, job_handle_closed);
}

static void emit_line(struct spawn_job *job)
{
	job->line[job->line_len] = '\0';
	if (job->output_fn) {
		job->output_fn(job->line, job->data);
	} else if (job->logged < SPAWN_MAX_LOG_BYTES) {
		log_info("%s: %s", job->name, job->line);
		job->logged += job->line_len + 1;
	} else if (!job->truncated) {
		job->truncated = true;
		log_info("%s: (further output dropped)", job->name);
	}
	job->line_len = 0;
}

static void out_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct spawn_job *job = h->data;

	(void)suggested;
	b->base = job->rbuf;
	b->len = sizeof(job->rbuf);
}

static void out_close(struct spawn_job *job)
{
	if (job->line_len)
		emit_line(job);
	uv_read_stop((uv_stream_t *)&job->out);
	if (!uv_is_closing((uv_handle_t *)&job->out))
		uv_close((uv_handle_t *)&job->out, job_handle_closed);
	job->out_done = true;
	job_maybe_finish(job);
}

static void out_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct spawn_job *job = s->data;
	ssize_t i;

	if (nread < 0) {
		out_close(job);
		return;
	}
	for (i = 0; i < nread; i++) {
		char c = b->base[i];

		if (c == '\n') {
			emit_line(job);
			continue;
		}
		if (c == '\0' || c == '\r')
			c = ' ';
		job->line[job->line_len++] = c;
		if (job->line_len == SPAWN_MAX_LINE)
			emit_line(job);
	}
}

static void timer_fired(uv_timer_t *t)
{
	struct spawn_job *job = t->data;

	if (job->exited) {
		/* The child is gone but something it started keeps the output
		 * pipe open: stop waiting for it. */
		if (!job->out_done)
			out_close(job);
		return;
	}
	if (!job->killed_term) {
		log_warn("%s: timed out, sending SIGTERM to process group %d", job->name,
			 job->proc.pid);
		job->killed_term = true;
		job->res.timed_out = true;
		kill(-job->proc.pid, SIGTERM);
		uv_timer_start(&job->timer, timer_fired, SPAWN_KILL_GRACE_MS, 0);
		return;
	}
	log_warn("%s: still running %d ms after SIGTERM, sending SIGKILL", job->name,
		 SPAWN_KILL_GRACE_MS);
	kill(-job->proc.pid, SIGKILL);
}

static void proc_exited(uv_process_t *p, int64_t exit_status, int term_signal)
{
	struct spawn_job *job = p->data;

	job->exited = true;
	job->res.exit_status = exit_status;
	job->res.term_signal = term_signal;
	uv_timer_stop(&job->timer);
	if (!job->out_done)
		uv_timer_start(&job->timer, timer_fired, 1000, 0);
	job_maybe_finish(job);
}

int spawn_script(uv_loop_t *loop, const struct spawn_opts *o, spawn_exit_fn on_exit, void *data,
		 struct spawn_job **jobp)
{
	uv_process_options_t po;
	uv_stdio_container_t stdio[3];
	struct spawn_job *job;
	int fds[2] = { -1, -1 };
	int r;

	if (jobp)
		*jobp = NULL;
	if (!o || !o->argv || !o->argv[0] || !o->argv[0][0])
		return -EINVAL;
	job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->name = strdup(o->name ? o->name : o->argv[0]);
	if (!job->name) {
		free(job);
		return -ENOMEM;
	}
	job->on_exit = on_exit;
	job->output_fn = o->output_fn;
	job->data = data;

	memset(&po, 0, sizeof(po));
	memset(stdio, 0, sizeof(stdio));
	stdio[0].flags = UV_IGNORE; /* libuv gives ignored 0..2 /dev/null */
	stdio[1].flags = UV_IGNORE;
	stdio[2].flags = UV_IGNORE;
	if (o->capture_output) {
		if (pipe2(fds, O_CLOEXEC) < 0) {
			r = -errno;
			goto fail;
		}
		/* One pipe for both streams keeps their lines in order. */
		stdio[1].flags = UV_INHERIT_FD;
		stdio[1].data.fd = fds[1];
		stdio[2].flags = UV_INHERIT_FD;
		stdio[2].data.fd = fds[1];
	}
	po.exit_cb = proc_exited;
	po.file = o->argv[0];
	po.args = (char **)o->argv;
	po.stdio = stdio;
	po.stdio_count = 3;
	/* Own session and process group, so the timeout kills the whole tree. */
	po.flags = UV_PROCESS_DETACHED;
	if (o->id.set) {
		po.flags |= UV_PROCESS_SETUID | UV_PROCESS_SETGID;
		po.uid = o->id.uid;
		po.gid = o->id.gid;
	}

	spawn_cloexec_all();
	job->proc.data = job;
	r = uv_spawn(loop, &job->proc, &po);
	if (fds[1] >= 0)
		close(fds[1]);
	if (r < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		/* uv_spawn initialised the handle even on failure. */
		job->handles = 1;
		job->on_exit = NULL;
		job->reported = true;
		uv_close((uv_handle_t *)&job->proc, job_handle_closed);
		return r;
	}
	job->handles = 2;
	uv_timer_init(loop, &job->timer);
	job->timer.data = job;
	job->out_done = true;
	if (fds[0] >= 0) {
		uv_pipe_init(loop, &job->out, 0);
		job->out.data = job;
		job->handles++;
		job->have_out = true;
		job->out_done = false;
		if (uv_pipe_open(&job->out, fds[0]) < 0 ||
		    uv_read_start((uv_stream_t *)&job->out, out_alloc, out_read) < 0) {
			close(fds[0]);
			uv_close((uv_handle_t *)&job->out, job_handle_closed);
			job->out_done = true;
		}
	}
	if (o->timeout_ms)
		uv_timer_start(&job->timer, timer_fired, o->timeout_ms, 0);
	log_debug("%s: started pid %d", job->name, job->proc.pid);
	if (jobp)
		*jobp = job;
	return 0;

fail:
	free(job->name);
	free(job);
	return r;
}

int spawn_command(uv_loop_t *loop, const char *cmd, const struct spawn_opts *o,
		  spawn_exit_fn on_exit, void *data, struct spawn_job **job)
{
	struct spawn_opts copy = *o;
	const char *err = NULL;
	char **argv = NULL;
	int r;

	if (spawn_split_command(cmd, &argv, &err) < 0) {
		log_error("script '%.64s': %s", cmd, err);
		return -EINVAL;
	}
	copy.argv = (const char *const *)argv;
	if (!copy.name)
		copy.name = argv[0];
	r = spawn_script(loop, &copy, on_exit, data, job);
	spawn_argv_free(argv);
	return r;
}

int spawn_kill(struct spawn_job *job, int sig)
{
	if (!job || job->exited || job->proc.pid <= 0)
		return -ESRCH;
	return kill(-job->proc.pid, sig) < 0 ? -errno : 0;
}

pid_t spawn_pid(const struct spawn_job *job)
{
	return job ? job->proc.pid : -1;
}

void spawn_argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

int spawn_split_command(const char *cmd, char ***argvp, const char **err)
{
	size_t len, i, argc = 0;
	char **argv = NULL;
	char *word = NULL;
	size_t wlen = 0;
	bool in_word = false;

	*argvp = NULL;
	if (!cmd) {
		*err = "empty command";
		return -1;
	}
	len = strlen(cmd);
	if (len > SPAWN_MAX_CMD) {
		*err = "command too long";
		return -1;
	}
	argv = calloc(SPAWN_MAX_ARGS + 1, sizeof(*argv));
	word = malloc(len + 1);
	if (!argv || !word) {
		*err = "out of memory";
		goto fail;
	}
	for (i = 0; i <= len; i++) {
		char c = cmd[i];

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (!in_word)
				continue;
			if (argc == SPAWN_MAX_ARGS) {
				*err = "too many arguments";
				goto fail;
			}
			word[wlen] = '\0';
			argv[argc] = strdup(word);
			if (!argv[argc]) {
				*err = "out of memory";
				goto fail;
			}
			argc++;
			wlen = 0;
			in_word = false;
			continue;
		}
		in_word = true;
		if (c == '\'') {
			for (i++; i < len && cmd[i] != '\''; i++)
				word[wlen++] = cmd[i];
			if (i >= len) {
				*err = "unterminated single quote";
				goto fail;
			}
		} else if (c == '"') {
			for (i++; i < len && cmd[i] != '"'; i++) {
				if (cmd[i] == '\\' && i + 1 < len &&
				    (cmd[i + 1] == '"' || cmd[i + 1] == '\\'))
					i++;
				word[wlen++] = cmd[i];
			}
			if (i >= len) {
				*err = "unterminated double quote";
				goto fail;
			}
		} else if (c == '\\') {
			if (i + 1 >= len) {
				*err = "backslash at end of command";
				goto fail;
			}
			word[wlen++] = cmd[++i];
		} else {
			word[wlen++] = c;
		}
	}
	free(word);
	if (argc == 0) {
		*err = "empty command";
		spawn_argv_free(argv);
		return -1;
	}
	*argvp = argv;
	return 0;
fail:
	free(word);
	spawn_argv_free(argv);
	return -1;
}
