/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run-file names and the network namespace: see daemon/runpath.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/runpath.h"

static bool name_ok(const char *what, const char *name, char *err, size_t errlen)
{
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		snprintf(err, errlen, "%s '%.64s' cannot be part of a file name", what, name);
		return false;
	}
	return true;
}

int runpath_make(const char *net_namespace, const char *instance, bool use_pid_dir,
		 const char *ext, char *buf, size_t len, char *err, size_t errlen)
{
	int n;

	if ((net_namespace && !name_ok("net_namespace", net_namespace, err, errlen)) ||
	    (instance && !name_ok("instance", instance, err, errlen)))
		return -1;
	n = snprintf(buf, len, "%s%s%s%s/vigild%s%s%s", VIGIL_RUNDIR,
		     net_namespace || instance || use_pid_dir ? "/vigil" : "",
		     net_namespace ? "/" : "", net_namespace ? net_namespace : "",
		     instance ? "_" : "", instance ? instance : "", ext);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "run file name too long");
		return -1;
	}
	return 0;
}

int runpath_open_netns(const char *what, const char *name, char *err, size_t errlen)
{
	char path[sizeof(RUNPATH_NETNS_DIR) + 256];
	int fd;

	if (!name[0]) {
		snprintf(path, sizeof(path), "/proc/self/ns/net");
	} else {
		if (!name_ok(what, name, err, errlen))
			return -EINVAL;
		if ((size_t)snprintf(path, sizeof(path), "%s%s", RUNPATH_NETNS_DIR, name) >=
		    sizeof(path)) {
			snprintf(err, errlen, "%s '%.64s': name too long", what, name);
			return -ENAMETOOLONG;
		}
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		snprintf(err, errlen, "%s %s: cannot open %s: %s%s", what, name, path,
			 strerror(-fd), fd == -ENOENT ? " (make it with 'ip netns add')" : "");
	}
	return fd;
}

int runpath_enter_netns(const char *name, char *err, size_t errlen)
{
	int fd, r = 0;

	if (!name_ok("net_namespace", name, err, errlen))
		return -EINVAL;
	fd = runpath_open_netns("net_namespace", name, err, errlen);
	if (fd < 0)
		return fd;
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		snprintf(err, errlen, "net_namespace %s: cannot enter %s%s: %s", name,
			 RUNPATH_NETNS_DIR, name, strerror(-r));
	}
	close(fd);
	return r;
}

int runpath_netns_switch(int fd, int *back)
{
	int r;

	*back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*back < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		close(*back);
		*back = -1;
		return r;
	}
	return 0;
}

int runpath_netns_back(int back)
{
	int r = setns(back, CLONE_NEWNET) < 0 ? -errno : 0;

	close(back);
	return r;
}
