/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who a script runs as, and whether it is safe to run it as root.
 *
 * Every script vigild starts (vrrp_script, MISC_CHECK, notify scripts, FIFO
 * readers) and the checker process itself get their identity here: a user
 * name (and optional group) from the configuration, else the global
 * script_user / script_group, else our own. enable_script_security asks
 * script_insecure() about any script that would run as root.
 */
#ifndef VIGIL_LIB_SCRIPT_H
#define VIGIL_LIB_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct script_ident {
	bool set; /* false: run as ourselves */
	uid_t uid;
	gid_t gid;
};

enum script_ident_flags {
	/* A user that is no name in the password database but a number is
	 * that uid (and gid); "nobody" without an entry is 65534. */
	SCRIPT_IDENT_NUMERIC = 1u << 0,
};

/*
 * user (NULL: none, id->set stays false) and group (NULL: the user's
 * primary group). On failure returns -1 and why says which name did not
 * resolve ("user 'x' does not exist").
 */
int script_ident_lookup(const char *user, const char *group, unsigned flags,
			struct script_ident *id, char *why, size_t whylen);

/*
 * A script's identity as keepalived decides it: its own user (and group),
 * else the global script_user and script_group.
 */
int script_ident_pick(const char *user, const char *group, const char *global_user,
		      const char *global_group, struct script_ident *id, char *why, size_t whylen);

/* Would a script with this identity run as root? */
bool script_ident_is_root(const struct script_ident *id);

/*
 * enable_script_security: may a script that runs as root be changed or
 * replaced by someone else? Checks the program (first word of cmd, looked
 * up in PATH when it has no slash) and every directory above it, as
 * written and after resolving links: each must be owned by root and not
 * writable by group (unless the group is root) or others (a directory with
 * the sticky bit may be). Returns 0 when safe, 1 when not (why says which
 * path and why), -errno when the program cannot be found or examined.
 */
int script_insecure(const char *cmd, char *why, size_t whylen);

#endif
