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

int runpath_enter_netns(const char *name, char *err, size_t errlen)
{
	char path[sizeof(RUNPATH_NETNS_DIR) + 256];
	int fd, r = 0;

	if (!name_ok("net_namespace", name, err, errlen))
		return -EINVAL;
	if ((size_t)snprintf(path, sizeof(path), "%s%s", RUNPATH_NETNS_DIR, name) >= sizeof(path)) {
		snprintf(err, errlen, "net_namespace '%.64s': name too long", name);
		return -ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "net_namespace %s: cannot open %s: %s%s", name, path,
			 strerror(-r), r == -ENOENT ? " (make it with 'ip netns add')" : "");
		return r;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		snprintf(err, errlen, "net_namespace %s: cannot enter %s: %s", name, path,
			 strerror(-r));
	}
	close(fd);
	return r;
}
