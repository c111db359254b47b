/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The notify FIFO writer (notify_fifo, vrrp_notify_fifo, lvs_notify_fifo):
 * lines to a named pipe that never block the loop.
 *
 * A missing FIFO is created with mode 0600 (and given to its owner when
 * one is set); a path that exists but is not a FIFO is refused at open.
 * The reader script, when there is one, is started at open with the FIFO
 * path appended as its last argument, without a timeout, and gets SIGTERM
 * at close. The FIFO is opened O_WRONLY|O_NONBLOCK: with no reader (ENXIO)
 * a line is dropped and counted and the open is retried at the next line;
 * a full pipe (EAGAIN) drops the line; a reader that went away (EPIPE,
 * SIGPIPE blocked around the write) closes our end and drops the line.
 * Callers keep lines shorter than PIPE_BUF, so each is written whole or
 * not at all. A path already open with the same reader script (and its
 * identity) is shared: one writer, one reader, counted references;
 * notify_fifo is written by the VRRP and the IPVS notifiers both.
 */
#ifndef VIGIL_LIB_FIFO_H
#define VIGIL_LIB_FIFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "lib/script.h"

#define FIFO_LINE_MAX 512 /* < PIPE_BUF: FIFO writes are atomic */

struct fifo_writer;

struct fifo_writer_opts {
	const char *what;		/* the keyword, for log lines: "notify_fifo" */
	const char *path;
	struct script_ident owner;	/* given the FIFO we create (when set) */
	const char *script;		/* reader command line, or NULL */
	struct script_ident script_id;	/* the reader runs as */
};

struct fifo_writer_stats {
	uint64_t lines, dropped, opens;
	bool open, script_running;
};

/* 0, or -errno when the path cannot be used (logged; nothing is kept). */
int fifo_writer_open(uv_loop_t *loop, const struct fifo_writer_opts *o, struct fifo_writer **out);
/* At the last reference: SIGTERM to a running reader script, our end
 * closed, f freed. */
void fifo_writer_close(struct fifo_writer *f);

/* One line with its '\n'; len < FIFO_LINE_MAX, or the line is dropped. */
void fifo_writer_line(struct fifo_writer *f, const char *line, size_t len);

const char *fifo_writer_path(const struct fifo_writer *f);
const char *fifo_writer_what(const struct fifo_writer *f);
void fifo_writer_stats(const struct fifo_writer *f, struct fifo_writer_stats *st);

#endif
