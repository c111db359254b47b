/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Script identity and script security (script.h). */
#include "config.h"

#include "lib/script.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOBODY_ID 65534

/* ---- identity ---- */

static int numeric_id(const char *s, unsigned long *v)
{
	char *end;

	if (!*s)
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end || errno || *v >= (1ul << 31) ? -1 : 0;
}

int script_ident_lookup(const char *user, const char *group, unsigned flags,
			struct script_ident *id, char *why, size_t whylen)
{
	struct passwd *pw;
	struct group *gr;
	unsigned long v;

	id->set = false;
	if (!user)
		return 0;
	errno = 0;
	pw = getpwnam(user);
	if (pw) {
		id->uid = pw->pw_uid;
		id->gid = pw->pw_gid;
	} else if ((flags & SCRIPT_IDENT_NUMERIC) && numeric_id(user, &v) == 0) {
		id->uid = (uid_t)v;
		id->gid = (gid_t)v;
	} else if ((flags & SCRIPT_IDENT_NUMERIC) && !strcmp(user, "nobody")) {
		id->uid = NOBODY_ID;
		id->gid = NOBODY_ID;
	} else {
		snprintf(why, whylen, "user '%s' %s", user,
			 errno ? strerror(errno) : "does not exist");
		return -1;
	}
	if (group) {
		errno = 0;
		gr = getgrnam(group);
		if (!gr) {
			snprintf(why, whylen, "group '%s' %s", group,
				 errno ? strerror(errno) : "does not exist");
			return -1;
		}
		id->gid = gr->gr_gid;
	}
	id->set = true;
	return 0;
}

int script_ident_pick(const char *user, const char *group, const char *global_user,
		      const char *global_group, struct script_ident *id, char *why, size_t whylen)
{
	if (!user) {
		user = global_user;
		group = global_group;
	}
	return script_ident_lookup(user, group, 0, id, why, whylen);
}

bool script_ident_is_root(const struct script_ident *id)
{
	return id->set ? id->uid == 0 : geteuid() == 0;
}

/* ---- enable_script_security ---- */

/* One path: 0 safe, 1 writable by someone else, -errno. */
static int path_unsafe(const char *path, bool is_dir, char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (st.st_uid != 0) {
		snprintf(why, whylen, "%s is owned by uid %u", path, (unsigned)st.st_uid);
		return 1;
	}
	if ((st.st_mode & S_IWOTH) && !(is_dir && (st.st_mode & S_ISVTX))) {
		snprintf(why, whylen, "%s is writable by everyone", path);
		return 1;
	}
	if ((st.st_mode & S_IWGRP) && st.st_gid != 0 && !(is_dir && (st.st_mode & S_ISVTX))) {
		snprintf(why, whylen, "%s is writable by group %u", path, (unsigned)st.st_gid);
		return 1;
	}
	return 0;
}

/* The file and each directory above it. */
static int chain_unsafe(const char *file, char *why, size_t whylen)
{
	char buf[PATH_MAX];
	char *slash;
	int r;

	if (strlen(file) >= sizeof(buf))
		return -ENAMETOOLONG;
	r = path_unsafe(file, false, why, whylen);
	if (r)
		return r;
	snprintf(buf, sizeof(buf), "%s", file);
	while ((slash = strrchr(buf, '/'))) {
		if (slash == buf) {
			buf[1] = '\0';
			return path_unsafe(buf, true, why, whylen);
		}
		*slash = '\0';
		r = path_unsafe(buf, true, why, whylen);
		if (r)
			return r;
	}
	return 0;
}

int script_insecure(const char *cmd, char *why, size_t whylen)
{
	char prog[PATH_MAX], cand[PATH_MAX], real[PATH_MAX];
	const char *p = cmd, *path;
	size_t len;
	int r;

	if (why && whylen)
		why[0] = '\0';
	if (!cmd)
		return -EINVAL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		const char *e = strchr(p, q);

		len = e ? (size_t)(e - p) : strlen(p);
	} else {
		len = strcspn(p, " \t");
	}
	if (!len || len >= sizeof(prog))
		return -EINVAL;
	memcpy(prog, p, len);
	prog[len] = '\0';
	if (!strchr(prog, '/')) {
		/* The program is found in PATH, as the shell would. */
		path = getenv("PATH");
		if (!path || !*path)
			path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
		cand[0] = '\0';
		while (*path) {
			size_t dl = strcspn(path, ":");

			if (dl && dl + 1 + len < sizeof(cand)) {
				memcpy(cand, path, dl);
				cand[dl] = '/';
				memcpy(cand + dl + 1, prog, len + 1);
				if (access(cand, X_OK) == 0)
					break;
			}
			cand[0] = '\0';
			path += dl;
			if (*path == ':')
				path++;
		}
		if (!cand[0])
			return -ENOENT;
		snprintf(prog, sizeof(prog), "%s", cand);
	}
	r = chain_unsafe(prog, why, whylen);
	if (r)
		return r;
	/* Through symbolic links: the file that actually runs. */
	if (!realpath(prog, real))
		return -errno;
	if (strcmp(real, prog))
		return chain_unsafe(real, why, whylen);
	return 0;
}
