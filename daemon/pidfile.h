/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pid file, flock()ed for the daemon's whole life, so that a second
 * vigild with the same pid file refuses to start.
 */
#ifndef VIGIL_DAEMON_PIDFILE_H
#define VIGIL_DAEMON_PIDFILE_H

#include <sys/types.h>

struct pidfile {
	int fd; /* -1 when not held */
	char *path;
};

/*
 * Create/open path (O_CLOEXEC), lock it, write our pid. Returns 0;
 * -EBUSY when another process holds it (*holder: its pid, or 0 if
 * unreadable); other negative errno on failure.
 */
int pidfile_acquire(struct pidfile *pf, const char *path, pid_t *holder);
/*
 * Make the folder that will hold path (a pid file, a control socket) when
 * it is missing, with its missing parents, mode 0755. Returns 0 (*made:
 * the first folder made, for the log, or "" when all existed), or a
 * negative errno with *made naming the folder that could not be made or
 * is not a folder. made has room for PATH_MAX bytes.
 */
int run_dir_ensure(const char *path, char *made);
/* Remove and unlock (clean stop). Safe to call when not held. */
void pidfile_release(struct pidfile *pf);
/* Close and forget without unlinking. */
void pidfile_forget(struct pidfile *pf);

#endif
