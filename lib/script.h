/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who a script runs as, and whether it is safe to run it as root.
 *
 * Every script vigild starts (vrrp_script, MISC_CHECK, notify scripts, FIFO
 * readers) and the checker process itself get their identity here: a user
 * name (and optional group) from the configuration, else the global
 * script_user / script_group, else keepalived_script when that account
 * exists, else our own. script_vet() is the one gate every script passes
 * when a configuration is loaded or reloaded.
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
 * keepalived runs notify scripts without a timeout (1 s at shutdown) and has
 * no keyword for one; vigil gives every notify script (VRRP, real and
 * virtual server) this long, then SIGTERM, then SIGKILL, so a hung script
 * never piles up children.
 */
#define SCRIPT_NOTIFY_TIMEOUT_MS 10000

/* The account a script runs as when nothing names one (keepalived's). */
#define SCRIPT_DEFAULT_USER "keepalived_script"

/*
 * A script's identity as keepalived decides it: its own user (and group),
 * else the global script_user and script_group, else SCRIPT_DEFAULT_USER
 * when it exists, else ourselves (id->set false).
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

/* What the global settings say about every script. */
struct script_policy {
	const char *user, *group; /* script_user, script_group */
	bool security;		  /* enable_script_security */
};

/*
 * The gate of every script kind (keepalived 2.2.7's check_script_secure and
 * default user), run when a configuration is loaded or reloaded. label
 * prefixes the log line ("VI_1 notify_master"); effect ends a refusal's line
 * ("it will not run"). A script is disabled (returns -1, logged as an
 * error) when:
 * - its user or group does not resolve, or no user is named anywhere,
 *   SCRIPT_DEFAULT_USER does not exist and enable_script_security is set;
 * - its program (first word, looked up in PATH when it has no slash) is
 *   missing, not a regular file, or not executable by that identity;
 * - it would run with root privileges (as uid 0 or gid 0, or the program is
 *   set-uid/set-gid root) while it, or a directory above it, is writable
 *   by someone else (script_insecure()), and enable_script_security is set.
 *   Without enable_script_security it runs and a warning says so.
 * Returns 0 with *id set to the identity it runs as.
 */
int script_vet(const char *label, const char *effect, const char *cmd, const char *user,
	       const char *group, const struct script_policy *p, struct script_ident *id);

/*
 * The scripts of one configuration that script_vet() let through, keyed by
 * the address of their configuration (a notify script of the loaded model):
 * built at load and reload, asked at each run.
 */
struct script_vetted {
	const void *key;
	struct script_ident id;
};

struct script_table {
	struct script_vetted *v;
	size_t n, cap;
	bool sorted;
};

/* script_vet(); when it passes, key is remembered with its identity.
 * Returns 0, -1 (refused, logged) or -ENOMEM. A NULL or empty cmd is a
 * script not configured: 0, nothing kept. */
int script_table_vet(struct script_table *t, const void *key, const char *label,
		     const char *effect, const char *cmd, const char *user, const char *group,
		     const struct script_policy *p);
/* The identity of an admitted script, NULL when it was refused or never vetted. */
const struct script_ident *script_table_find(struct script_table *t, const void *key);
void script_table_free(struct script_table *t);

#endif
