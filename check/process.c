/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker process (forked by check/supervise.c, never exec'ed): sheds
 * everything it inherited from vigild (descriptors, signal handlers, the
 * event loop), builds the probe list from the inherited model, lets every
 * kind open what needs root (raw ICMP sockets), then drops to an
 * unprivileged user with no capabilities (CAP_NET_RAW only when a
 * PING_CHECK or a checker fwmark needs it) and runs the engine.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/genhash.h"
#include "check/probe.h"
#include "lib/log.h"
#include "lib/script.h"

#define CHECKER_COMM "vigild-checker"

/* The syslog socket: an AF_UNIX datagram socket connected to /dev/log. */
static bool is_log_socket(int fd)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	int type;
	socklen_t tl = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 || type != SOCK_DGRAM)
		return false;
	memset(&sun, 0, sizeof(sun));
	if (getpeername(fd, (struct sockaddr *)&sun, &len) < 0 || sun.sun_family != AF_UNIX)
		return false;
	return !strncmp(sun.sun_path, "/dev/log", sizeof(sun.sun_path));
}

/*
 * vigild's descriptors just before the fork, taken by vigild (the child
 * reads its copy): what the child must close. A descriptor the child holds
 * that is not in it (or names another object) was made after the fork, by
 * libuv's fork handlers, and stays.
 */
struct fd_id {
	int fd;
	dev_t dev;
	ino_t ino;
};
static struct fd_id *snap;
static unsigned n_snap;
static bool have_snap;

void check_process_prefork(void);

void check_process_prefork(void)
{
	struct dirent *de;
	unsigned cap = 0;
	DIR *d;

	free(snap);
	snap = NULL;
	n_snap = 0;
	have_snap = false;
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || fd < 3 || fd == dirfd(d))
			continue;
		if (fstat((int)fd, &st) < 0)
			continue;
		if (n_snap == cap) {
			struct fd_id *v = realloc(snap, sizeof(*v) * (cap ? cap * 2 : 64));

			if (!v) {
				closedir(d);
				return; /* the child then closes blindly */
			}
			snap = v;
			cap = cap ? cap * 2 : 64;
		}
		snap[n_snap].fd = (int)fd;
		snap[n_snap].dev = st.st_dev;
		snap[n_snap].ino = st.st_ino;
		n_snap++;
	}
	closedir(d);
	have_snap = true;
}

static bool made_after_fork(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return false;
	for (unsigned i = 0; i < n_snap; i++)
		if (snap[i].fd == fd)
			return snap[i].dev != st.st_dev || snap[i].ino != st.st_ino;
	return true;
}

/* Closes every descriptor inherited from vigild except 0, 1, 2, keep and
 * the syslog socket. */
static void close_inherited(int keep)
{
	struct dirent *de;
	DIR *d = have_snap ? opendir("/proc/self/fd") : NULL;
	int dfd;

	if (!d) {
		for (int fd = 3; fd < 65536; fd++)
			if (fd != keep && !is_log_socket(fd))
				close(fd);
		return;
	}
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || fd < 3 || fd == keep || fd == dfd)
			continue;
		if (is_log_socket((int)fd) || made_after_fork((int)fd))
			continue;
		close((int)fd);
	}
	closedir(d);
}

static void reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* SIGKILL, SIGSTOP and RT ones may fail */
	/* Backends reset connections: a write must fail, not kill us. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Does a probe need CAP_NET_RAW (raw ICMP sockets, SO_MARK)? */
static bool needs_net_raw(const struct check_list *l)
{
	for (unsigned i = 0; i < l->n; i++) {
		const struct check_probe *p = &l->v[i];

		if (p->kind == CONF_CHECK_PING || p->cfg->fwmark)
			return true;
		if (p->kind == CONF_CHECK_SMTP)
			conf_list_for_each (const struct conf_check, h, &p->cfg->hosts)
				if (h->fwmark)
					return true;
	}
	return false;
}

static int capset_raw(bool net_raw)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (net_raw) {
		data[CAP_TO_INDEX(CAP_NET_RAW)].effective = CAP_TO_MASK(CAP_NET_RAW);
		data[CAP_TO_INDEX(CAP_NET_RAW)].permitted = CAP_TO_MASK(CAP_NET_RAW);
	}
	return syscall(SYS_capset, &hdr, data) < 0 ? -errno : 0;
}

/*
 * Every running attempt holds a descriptor or two, and all probes may be
 * running at once: raise the open-file limit (as root, before the drop) to
 * room for two per probe plus a margin, never lowering it.
 */
static void raise_nofile(unsigned n_probes)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)n_probes * 2 + 256, max_open = 1048576;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");

	if (f) {
		unsigned long long v;

		if (fscanf(f, "%llu", &v) == 1 && v > 0)
			max_open = (rlim_t)v;
		fclose(f);
	}
	if (want > max_open)
		want = max_open;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur >= want)
		return;
	if (rl.rlim_max < want) {
		struct rlimit nl = { want, want };

		if (setrlimit(RLIMIT_NOFILE, &nl) == 0)
			return;
		log_warn("checker: cannot raise the open-file limit to %llu for %u probes: %s",
			 (unsigned long long)want, n_probes, strerror(errno));
	}
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
}

static int drop_privileges(const char *user, bool net_raw)
{
	struct script_ident id;
	char why[128];
	uid_t uid;
	gid_t gid;

	/* A number is a uid, and "nobody" is 65534 even without an entry. */
	if (script_ident_lookup(user, NULL, SCRIPT_IDENT_NUMERIC, &id, why, sizeof(why)) < 0) {
		log_error("checker: %s", why);
		return -ENOENT;
	}
	uid = id.uid;
	gid = id.gid;
	/* Nothing we may not keep stays in the bounding set. */
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (!(net_raw && cap == CAP_NET_RAW))
			prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	if (net_raw && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	if (setgroups(1, &gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		log_error("checker: cannot become user '%s': %s", user, strerror(errno));
		return -EPERM;
	}
	if (capset_raw(net_raw) < 0) {
		log_error("checker: capset: %s", strerror(errno));
		return -EPERM;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* Refuse to go on if root can be regained. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		log_error("checker: could regain root after dropping it");
		return -EPERM;
	}
	return 0;
}

void check_process_main(const struct conf_model *m, uint32_t gen, int fd, const char *user)
{
	pid_t parent = getppid();
	struct check_engine *e = NULL;
	struct check_list l;
	uv_loop_t loop;
	int r;

	reset_signals();
	prctl(PR_SET_NAME, CHECKER_COMM, 0, 0, 0);
	close_inherited(fd);
	if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		_exit(1);
	if (uv_loop_init(&loop) < 0) {
		log_error("checker: cannot create its event loop");
		_exit(1);
	}
	if (check_list_build(m, &l) < 0) {
		log_error("checker: out of memory");
		_exit(1);
	}
	/* SSL_GET's context files are read by init_kinds, while still root. */
	check_http_set_ssl(&m->lvs.ssl);
	r = check_engine_new(&loop, &l, gen, fd, &e);
	if (r < 0) {
		log_error("checker: engine: %s", strerror(-r));
		_exit(1);
	}
	r = check_engine_init_kinds(e);
	if (r < 0)
		log_error("checker: a checker kind could not start: %s", strerror(-r));
	raise_nofile(l.n);
	if (drop_privileges(user ? user : "nobody", needs_net_raw(&l)) < 0)
		_exit(1);
	/* Cleared by the credential change above, so set it now. */
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != parent)
		_exit(0); /* vigild died before PDEATHSIG was armed */
	uv_run(&loop, UV_RUN_DEFAULT);
	/* Main closed the socket. No cleanup: the process ends here, and the
	 * model belongs to vigild's address space image. */
	_exit(0);
}
