/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run-file names and the network namespace of one vigild among several,
 * as keepalived 2.2.7 (core/main.c, core/namespaces.c) arranges them:
 * - `instance NAME` puts NAME in the names: vigild_NAME.pid;
 * - `instance`, `net_namespace` or `use_pid_dir` move the files into a
 *   folder of their own, RUNDIR/vigil/ (keepalived's /run/keepalived/);
 * - `net_namespace NS` puts them in RUNDIR/vigil/NS/ (where keepalived's
 *   files appear: it mounts that folder over /run/keepalived/);
 * - the control socket is the pid file's name with .sock instead of .pid.
 * vigilctl computes the same names from --instance and --net-namespace.
 */
#ifndef VIGIL_DAEMON_RUNPATH_H
#define VIGIL_DAEMON_RUNPATH_H

#include <stdbool.h>
#include <stddef.h>

#ifndef VIGIL_RUNDIR
#define VIGIL_RUNDIR "/run"
#endif

/* Where `ip netns add NAME` puts a namespace: keepalived's netns_dir. */
#define RUNPATH_NETNS_DIR "/run/netns/"

/*
 * ext is ".pid" or ".sock". Returns 0, or -1 with a reason in err when a
 * name cannot be part of a path (empty, '/', "." or "..") or it is too long.
 */
int runpath_make(const char *net_namespace, const char *instance, bool use_pid_dir,
		 const char *ext, char *buf, size_t len, char *err, size_t errlen);

/*
 * setns() into RUNPATH_NETNS_DIR NAME for the whole (still single-threaded)
 * process. Returns 0, or -errno with the reason in err.
 */
int runpath_enter_netns(const char *name, char *err, size_t errlen);

/*
 * A descriptor (close-on-exec) of namespace NAME, or of the current one
 * when NAME is "" (net_namespace_ipvs without a name, opened before
 * net_namespace is entered). Returns it, or -errno with the reason in err.
 */
int runpath_open_netns(const char *what, const char *name, char *err, size_t errlen);

/* The calling thread into namespace fd; *back (to close) is where it was.
 * Returns 0 or -errno. runpath_netns_back() returns there and closes it. */
int runpath_netns_switch(int fd, int *back);
int runpath_netns_back(int back);

#endif
