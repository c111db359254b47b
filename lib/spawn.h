/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running scripts (track scripts, MISC_CHECK, notify) without blocking the
 * loop: own process group, optional uid/gid, stdin from /dev/null, output
 * logged (bounded) or discarded, SIGTERM at the timeout then SIGKILL after
 * a grace period, and no descriptor of ours other than 0, 1, 2 inherited.
 */
#ifndef VIGIL_LIB_SPAWN_H
#define VIGIL_LIB_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "lib/script.h"

#define SPAWN_KILL_GRACE_MS 2000 /* SIGTERM -> SIGKILL */
#define SPAWN_MAX_LOG_BYTES 4096 /* output logged per run, the rest dropped */
#define SPAWN_MAX_LINE 512	 /* longer output lines are split */
#define SPAWN_MAX_ARGS 256
#define SPAWN_MAX_CMD 4096

struct spawn_job;

struct spawn_result {
	int64_t exit_status; /* valid when term_signal == 0 */
	int term_signal;     /* signal that ended it, 0 if it exited */
	bool timed_out;	     /* we killed it at the timeout */
};

typedef void (*spawn_exit_fn)(const struct spawn_result *res, void *data);
/* One output line (without '\n'), instead of logging it. */
typedef void (*spawn_output_fn)(const char *line, void *data);

struct spawn_opts {
	const char *const *argv; /* argv[0]: path, or a name looked up in PATH */
	struct script_ident id;	   /* who the child runs as (id.set false: as we do) */
	uint64_t timeout_ms;	   /* 0: no timeout */
	bool capture_output;	   /* stdout+stderr logged (or to output_fn); else /dev/null */
	const char *name;	   /* prefix of logged lines; default argv[0] */
	spawn_output_fn output_fn; /* optional, with capture_output */
};

/*
 * Starts the child. on_exit runs once, after the child ended and its output
 * was read. Returns 0 (and *job if job is not NULL; it stays valid until
 * on_exit has run) or a negative errno, in which case on_exit never runs.
 */
int spawn_script(uv_loop_t *loop, const struct spawn_opts *o, spawn_exit_fn on_exit, void *data,
		 struct spawn_job **job);
/* Same, from a command string split with spawn_split_command. */
int spawn_command(uv_loop_t *loop, const char *cmd, const struct spawn_opts *o,
		  spawn_exit_fn on_exit, void *data, struct spawn_job **job);
/* Signal the child's whole process group (e.g. SIGKILL on shutdown). */
int spawn_kill(struct spawn_job *job, int sig);
pid_t spawn_pid(const struct spawn_job *job);

/*
 * Split a script line the way keepalived configs write them: blanks
 * separate words; '...' keeps everything literally; "..." keeps blanks,
 * and a backslash in it escapes only '"' and '\'; outside quotes a
 * backslash escapes the next character. Returns 0 and a NULL-terminated
 * malloc'ed vector (free with spawn_argv_free), or -1 and a static *err.
 */
int spawn_split_command(const char *cmd, char ***argv, const char **err);
void spawn_argv_free(char **argv);

/* Mark every descriptor >= 3 close-on-exec. Called before each spawn. */
void spawn_cloexec_all(void);

#endif
