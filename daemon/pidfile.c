/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon/pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static pid_t read_holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || v <= 0 || v > 0x7fffffff)
		return 0;
	return (pid_t)v;
}

int pidfile_acquire(struct pidfile *pf, const char *path, pid_t *holder)
{
	int tries, fd = -1, err;
	struct stat a, b;
	char buf[32];
	int n;

	pf->fd = -1;
	pf->path = NULL;
	if (holder)
		*holder = 0;
	/* A previous owner may unlink the file between our open and our lock:
	 * then we hold a lock on a dead inode. Check and retry. */
	for (tries = 0; tries < 5; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			err = errno;
			if (err == EWOULDBLOCK && holder)
				*holder = read_holder(fd);
			close(fd);
			return err == EWOULDBLOCK ? -EBUSY : -err;
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return -EAGAIN;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		err = errno ? errno : EIO;
		close(fd);
		return -err;
	}
	pf->path = strdup(path);
	if (!pf->path) {
		close(fd);
		return -ENOMEM;
	}
	pf->fd = fd;
	return 0;
}

int run_dir_ensure(const char *path, char *made)
{
	char dir[PATH_MAX];
	struct stat st;
	char *slash, c;
	size_t i;

	made[0] = '\0';
	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0; /* relative to the working folder, or in / */
	*slash = '\0';
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		strcpy(made, dir);
		return -ENOTDIR;
	}
	/* Each missing level in turn, from the top: mkdir -p. */
	for (i = 1; i <= strlen(dir); i++) {
		if (dir[i] != '/' && dir[i] != '\0')
			continue;
		c = dir[i];
		dir[i] = '\0';
		if (mkdir(dir, 0755) == 0) {
			if (!made[0])
				strcpy(made, dir);
		} else if (errno != EEXIST || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			int err = errno == EEXIST ? ENOTDIR : errno;

			strcpy(made, dir);
			return -err;
		}
		dir[i] = c;
	}
	return 0;
}

void pidfile_release(struct pidfile *pf)
{
	/* Unlink while still locked so no one sees a stale unlocked file. */
	if (pf->fd >= 0 && pf->path)
		unlink(pf->path);
	pidfile_forget(pf);
}

void pidfile_forget(struct pidfile *pf)
{
	if (pf->fd >= 0)
		close(pf->fd);
	free(pf->path);
	pf->path = NULL;
	pf->fd = -1;
}
