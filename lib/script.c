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

#include "lib/log.h"

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
	if (!user) {
		/* keepalived's default account, when the system has it. */
		if (script_ident_lookup(SCRIPT_DEFAULT_USER, NULL, 0, id, why, whylen) == 0)
			return 0;
		id->set = false;
		return 0;
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

/* The program a command line runs: its first word, found in PATH as the shell would. */
static int program_path(const char *cmd, char *prog, size_t size)
{
	char cand[PATH_MAX];
	const char *p = cmd, *path;
	size_t len;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		const char *e = strchr(p, q);

		len = e ? (size_t)(e - p) : strlen(p);
	} else {
		len = strcspn(p, " \t");
	}
	if (!len || len >= size)
		return -EINVAL;
	memcpy(prog, p, len);
	prog[len] = '\0';
	if (strchr(prog, '/'))
		return 0;
	path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t dl = strcspn(path, ":");

		if (dl && dl + 1 + len < sizeof(cand)) {
			memcpy(cand, path, dl);
			cand[dl] = '/';
			memcpy(cand + dl + 1, prog, len + 1);
			if (access(cand, X_OK) == 0) {
				snprintf(prog, size, "%s", cand);
				return 0;
			}
		}
		path += dl;
		if (*path == ':')
			path++;
	}
	return -ENOENT;
}

/* The program as written and the file it resolves to. */
static int prog_chain_unsafe(const char *prog, char *why, size_t whylen)
{
	char real[PATH_MAX];
	int r;

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

int script_insecure(const char *cmd, char *why, size_t whylen)
{
	char prog[PATH_MAX];
	int r;

	if (why && whylen)
		why[0] = '\0';
	if (!cmd)
		return -EINVAL;
	r = program_path(cmd, prog, sizeof(prog));
	if (r < 0)
		return r;
	return prog_chain_unsafe(prog, why, whylen);
}

/* keepalived's is_executable(): the execute bit that applies to uid:gid. */
static bool executable_by(const struct stat *st, uid_t uid, gid_t gid)
{
	if (uid == 0)
		return st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH);
	if (uid == st->st_uid)
		return st->st_mode & S_IXUSR;
	return gid == st->st_gid ? st->st_mode & S_IXGRP : st->st_mode & S_IXOTH;
}

/* Runs with root privileges: as root, or a set-uid/set-gid root program. */
static bool root_privileged(const struct stat *st, uid_t uid, gid_t gid)
{
	return uid == 0 || gid == 0 ||
	       (st->st_uid == 0 && (st->st_mode & S_IXUSR) && (st->st_mode & S_ISUID)) ||
	       (st->st_gid == 0 && (st->st_mode & S_IXGRP) && (st->st_mode & S_ISGID));
}

int script_vet(const char *label, const char *effect, const char *cmd, const char *user,
	       const char *group, const struct script_policy *p, struct script_ident *id)
{
	char why[PATH_MAX + 64], prog[PATH_MAX];
	struct stat st;
	uid_t uid;
	gid_t gid;
	int r;

	if (script_ident_pick(user, group, p->user, p->group, id, why, sizeof(why)) < 0) {
		log_error("%s: %s; %s", label, why, effect);
		return -1;
	}
	if (!id->set && !user && !p->user && p->security) {
		log_error("%s: no user is given, script_user is not set and the default script "
			  "user %s does not exist (enable_script_security); %s",
			  label, SCRIPT_DEFAULT_USER, effect);
		return -1;
	}
	r = cmd ? program_path(cmd, prog, sizeof(prog)) : -EINVAL;
	if (r == 0 && stat(prog, &st) < 0)
		r = -errno;
	if (r < 0) {
		log_error("%s: cannot find the program of '%s' (%s); %s", label, cmd ? cmd : "",
			  strerror(-r), effect);
		return -1;
	}
	uid = id->set ? id->uid : geteuid();
	gid = id->set ? id->gid : getegid();
	if (!S_ISREG(st.st_mode)) {
		log_error("%s: %s is not a regular file; %s", label, prog, effect);
		return -1;
	}
	if (!executable_by(&st, uid, gid)) {
		log_error("%s: %s is not executable by uid %u gid %u; %s", label, prog,
			  (unsigned)uid, (unsigned)gid, effect);
		return -1;
	}
	if (!root_privileged(&st, uid, gid))
		return 0;
	r = prog_chain_unsafe(prog, why, sizeof(why));
	if (r < 0)
		snprintf(why, sizeof(why), "%s cannot be examined (%s)", prog, strerror(-r));
	if (r == 0)
		return 0;
	if (!p->security) {
		log_warn("%s: '%s': %s and the script runs with root privileges "
			 "(enable_script_security would disable it)",
			 label, cmd, why);
		return 0;
	}
	log_error("%s: '%s': %s and the script would run with root privileges "
		  "(enable_script_security); %s",
		  label, cmd, why, effect);
	return -1;
}

/* ---- the admitted scripts of one configuration ---- */

int script_table_vet(struct script_table *t, const void *key, const char *label,
		     const char *effect, const char *cmd, const char *user, const char *group,
		     const struct script_policy *p)
{
	struct script_ident id;

	if (!cmd || !cmd[0])
		return 0;
	if (script_vet(label, effect, cmd, user, group, p, &id) < 0)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct script_vetted *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n].key = key;
	t->v[t->n].id = id;
	t->n++;
	t->sorted = false;
	return 0;
}

static int vetted_cmp(const void *a, const void *b)
{
	const struct script_vetted *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

const struct script_ident *script_table_find(struct script_table *t, const void *key)
{
	const struct script_vetted k = { .key = key }, *r;

	if (!t->n)
		return NULL;
	if (!t->sorted) {
		qsort(t->v, t->n, sizeof(*t->v), vetted_cmp);
		t->sorted = true;
	}
	r = bsearch(&k, t->v, t->n, sizeof(*t->v), vetted_cmp);
	return r ? &r->id : NULL;
}

void script_table_free(struct script_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
