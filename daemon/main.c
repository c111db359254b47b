/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild: options, start-up (daemonize, pid file, control socket, signals),
 * the event stream and its subscribers, the wiring of VRRP, the checker and
 * IPVS, the event loop, and a clean stop. The daemon's other parts (control,
 * reload, status, options, the log subscriber) live in libdaemon.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "check/genhash.h"
#include "check/supervise.h"
#include "conf/conf.h"
#include "conf/noeffect.h"
#include "daemon/command.h"
#include "daemon/control.h"
#include "daemon/event_log.h"
#include "daemon/mail.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "daemon/reload.h"
#include "daemon/runpath.h"
#include "daemon/sdnotify.h"
#include "daemon/startstop.h"
#include "daemon/status.h"
#include "ipvs/lvs.h"
#include "lib/event.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/script.h"
#include "vrrp/fsm.h"
#include "vrrp/vrrp.h"

enum { EXIT_OK = 0, EXIT_CONFIG = 1, EXIT_USAGE = 2, EXIT_RUNTIME = 3 };

static struct {
	uv_loop_t *loop;
	struct reload_state rs;
	struct event_bus *bus; /* every subsystem's events; subscribers below */
	struct pidfile pf;
	struct control *ctl;
	struct vrrp *vrrp;
	struct ipvs_lvs *lvs;  /* NULL until the model asks for IPVS */
	struct check_sup *chk; /* NULL until the model has health checkers */
	struct startstop scripts; /* startup_script, shutdown_script */
	struct mail *mail;     /* the e-mail alerts */
	const char *checker_user;
	uv_signal_t sig_hup, sig_term, sig_int;
	uint64_t started_ms;
	int start_pipe; /* write end to the waiting parent, -1 once reported */
	int follow_sub; /* on_vrrp_state's subscription, -1: none */
	int ipvs_netns;	/* net_namespace_ipvs, -1: IPVS where the rest is */
	bool stopping;
} d = { .start_pipe = -1, .pf = { .fd = -1 }, .follow_sub = -1, .ipvs_netns = -1 };

static void default_config_id(char *buf, size_t len)
{
	char *dot;

	if (gethostname(buf, len) < 0) {
		snprintf(buf, len, "localhost");
		return;
	}
	buf[len - 1] = '\0';
	dot = strchr(buf, '.');
	if (dot)
		*dot = '\0';
}

/* Tell the parent waiting in daemonize() how start-up went. */
static void report_start(int code, const char *msg)
{
	char buf[512];
	int n;

	if (d.start_pipe < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%c%s", '0' + code, msg ? msg : "");
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(d.start_pipe, buf, (size_t)n) < 0) {
		/* The parent is gone; nothing to tell. */
	}
	close(d.start_pipe);
	d.start_pipe = -1;
}

/* Fail during start-up: log, tell the parent, exit. */
static void __attribute__((noreturn, format(printf, 2, 3))) die(int code, const char *fmt, ...)
{
	char msg[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	report_start(code, msg);
	exit(code);
}

/*
 * Double fork; the original process waits on a pipe and exits with the
 * code the daemon reports once it is up (or 3 if it died silently).
 */
static void daemonize(void)
{
	int p[2];
	pid_t pid;
	int fd;

	if (pipe2(p, O_CLOEXEC) < 0) {
		fprintf(stderr, "vigild: pipe: %s\n", strerror(errno));
		exit(EXIT_RUNTIME);
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "vigild: fork: %s\n", strerror(errno));
		exit(EXIT_RUNTIME);
	}
	if (pid > 0) {
		char buf[512];
		ssize_t n, got = 0;

		close(p[1]);
		while (got < (ssize_t)sizeof(buf) - 1) {
			n = read(p[0], buf + got, sizeof(buf) - 1 - (size_t)got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += n;
		}
		buf[got] = '\0';
		waitpid(pid, NULL, 0);
		if (got == 0) {
			fprintf(stderr, "vigild: daemon exited during start-up\n");
			exit(EXIT_RUNTIME);
		}
		if (buf[0] != '0' && buf[1])
			fprintf(stderr, "vigild: %s\n", buf + 1);
		exit(buf[0] >= '0' && buf[0] <= '9' ? buf[0] - '0' : EXIT_RUNTIME);
	}
	close(p[0]);
	d.start_pipe = p[1];
	if (setsid() < 0)
		die(EXIT_RUNTIME, "setsid: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die(EXIT_RUNTIME, "fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0); /* the intermediate child; the grandchild reports */
	if (chdir("/") < 0)
		die(EXIT_RUNTIME, "chdir /: %s", strerror(errno));
	umask(022);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(EXIT_RUNTIME, "/dev/null: %s", strerror(errno));
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static void on_command(enum ctl_command cmd, struct json *j, void *data)
{
	struct command_ctx ctx = {
		.rs = &d.rs,
		.started_ms = d.started_ms,
		.now_ms = uv_now(d.loop),
	};

	(void)data;
	uv_update_time(d.loop);
	ctx.now_ms = uv_now(d.loop);
	command_run(&ctx, cmd, j);
}

static void close_walk(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

/* Shutdown finished: closing the last handles lets uv_run return.
 * Stopping a libuv signal watcher puts back the default action, and the
 * default action of SIGTERM would still kill us between here and exit(0)
 * (a second, slower SIGTERM: exit status 143, pid file left behind): the
 * three are blocked, then ignored, so one that comes meanwhile is dropped. */
static void stopped(void *data)
{
	sigset_t set, old;

	(void)data;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, &old);
	uv_signal_stop(&d.sig_hup);
	uv_signal_stop(&d.sig_term);
	uv_signal_stop(&d.sig_int);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	sigprocmask(SIG_SETMASK, &old, NULL);
	uv_close((uv_handle_t *)&d.sig_hup, NULL);
	uv_close((uv_handle_t *)&d.sig_term, NULL);
	uv_close((uv_handle_t *)&d.sig_int, NULL);
}

/* VRRP is down (its addresses gone): the shutdown script, as keepalived
 * runs it once its children ended; vigild exits when it has ended too. */
static void vrrp_stopped(void *data)
{
	if (startstop_run(&d.scripts, d.loop, false, stopped, data) != 0)
		stopped(data);
}

static void stop(const char *why)
{
	if (d.stopping)
		return;
	d.stopping = true;
	log_info("stopping (%s)", why);
	sdnotify_stopping();
	sdnotify_watchdog_stop();
	control_close(d.ctl);
	d.ctl = NULL;
	/* No mail holds the stop up: what is queued or being sent is dropped,
	 * and the shutdown's transitions send none (keepalived 2.2.7 composes
	 * a "Stopping" mail but exits before it goes out). */
	mail_stop(d.mail);
	/* IPVS first: its sync daemons stop, lvs_flush_on_stop runs, and the
	 * VRRP transitions of the shutdown no longer move the daemon roles. */
	event_unsubscribe(d.bus, d.follow_sub);
	d.follow_sub = -1;
	ipvs_lvs_stop(d.lvs);
	/* The checker gets SIGTERM (SIGKILL 2 s later) and is reaped. */
	check_sup_stop(d.chk);
	/* VRRP goes last: priority-0 adverts and VIP removals need the loop.
	 * The signal watchers stay until it is done, so a second SIGTERM
	 * during the shutdown is caught (and ignored) instead of killing us
	 * half way with the default action. */
	vrrp_stop(d.vrrp, vrrp_stopped, NULL);
}

/* The IPVS sync daemon follows the state of its VRRP instance: a
 * subscriber of instance transitions while IPVS runs. */
static void on_vrrp_state(const struct event *ev, void *data)
{
	(void)data;
	ipvs_lvs_follow(d.lvs, ev->vrrp.name, ev->vrrp.to == VRRP_STATE_MASTER);
}

/* A probe went up or down (or its dynamic weight moved). */
static void on_probe_changed(void *ctx, const struct check_list *l, unsigned probe,
			     const struct check_probe_state *st)
{
	(void)ctx;
	(void)l;
	(void)st;
	if (d.lvs)
		ipvs_lvs_probe_changed(d.lvs, probe);
}

/* What IPVS reads the probes from: the supervisor of the moment (none,
 * when the model has no checkers: an empty list, every real server alive). */
static const struct check_list *src_list(void *ctx)
{
	static const struct check_list empty;

	(void)ctx;
	return d.chk ? check_sup_list(d.chk) : &empty;
}

static const struct check_probe_state *src_state(void *ctx, unsigned probe)
{
	(void)ctx;
	return d.chk ? check_sup_state(d.chk, probe) : NULL;
}

static const struct ipvs_probe_src probe_src = { .list = src_list, .state = src_state };

/* Starts the checker process once the model has health checkers. */
static int checker_start(const struct conf_model *m)
{
	struct check_sup_opts o = { .user = d.checker_user, .bus = d.bus };
	struct check_sup_ops ops = { .changed = on_probe_changed };
	int r;

	if (d.chk)
		return 0;
	r = check_sup_start(d.loop, m, &o, &ops, &d.chk);
	if (r < 0) {
		log_error("health checks could not start: %s", strerror(-r));
		return r;
	}
	if (d.chk)
		status_register("checker", check_sup_status_json, d.chk);
	return 0;
}

/* Starts the IPVS runtime once the model asks for it. */
static int lvs_start(const struct conf_model *m)
{
	const char *inst = m->global.lvs_sync_daemon.instance;
	int r;

	if (d.lvs || !ipvs_lvs_wanted(m))
		return 0;
	/* net_namespace_ipvs: the IPVS socket is made there (keepalived's
	 * nl_ipvs_connect); every later request goes through it. */
	if (d.ipvs_netns >= 0) {
		int back, rb;

		r = runpath_netns_switch(d.ipvs_netns, &back);
		if (r < 0) {
			log_error("net_namespace_ipvs: cannot enter it: %s; IPVS does not start",
				  strerror(-r));
			return r;
		}
		r = ipvs_lvs_start(d.loop, m, &probe_src, d.bus, &d.lvs);
		rb = runpath_netns_back(back);
		if (rb < 0) {
			pidfile_release(&d.pf);
			die(EXIT_RUNTIME, "net_namespace_ipvs: cannot come back: %s", strerror(-rb));
		}
	} else {
		r = ipvs_lvs_start(d.loop, m, &probe_src, d.bus, &d.lvs);
	}
	if (r < 0)
		log_error("IPVS could not start: %s", strerror(-r));
	if (!d.lvs)
		return r;
	if (inst)
		ipvs_lvs_follow(d.lvs, inst, vrrp_instance_state(d.vrrp, inst) == VRRP_STATE_MASTER);
	d.follow_sub = event_subscribe(d.bus, EVENT_BIT(EVENT_VRRP_STATE), on_vrrp_state, NULL);
	status_register("ipvs", ipvs_lvs_status_json, d.lvs);
	return r;
}

/* A new model was accepted: VRRP and IPVS apply the difference. */
static void on_swap(const struct conf_model *old_model, const struct conf_model *new_model,
		    void *data)
{
	const char *inst = new_model->global.lvs_sync_daemon.instance;

	(void)old_model;
	(void)data;
	startstop_reload(&d.scripts, &new_model->global);
	if (d.mail)
		mail_reload(d.mail, new_model);
	vrrp_reload(d.vrrp, new_model);
	/* Probe states move to the new list before IPVS reads them. */
	if (d.chk)
		check_sup_reload(d.chk, new_model);
	else
		checker_start(new_model);
	if (!d.lvs) {
		lvs_start(new_model);
		return;
	}
	ipvs_lvs_reload(d.lvs, new_model);
	/* The sync daemon may follow another instance now. */
	if (inst)
		ipvs_lvs_follow(d.lvs, inst, vrrp_instance_state(d.vrrp, inst) == VRRP_STATE_MASTER);
}

static void on_signal(uv_signal_t *s, int signum)
{
	(void)s;
	if (d.stopping) {
		log_info("%s ignored: already stopping", signum == SIGHUP ? "SIGHUP"
							 : signum == SIGTERM ? "SIGTERM"
									     : "SIGINT");
		return;
	}
	if (signum == SIGHUP) {
		log_info("SIGHUP: reload requested");
		reload_run(&d.rs, "SIGHUP");
		return;
	}
	stop(signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

static int config_only(const struct vigild_options *o, const char *config_id)
{
	struct conf_options copt = { .config_id = config_id, .flags = 0 };
	struct conf_load l;
	int r;

	memset(&l, 0, sizeof(l));
	r = conf_load_file(o->conf_file, &copt, &l);
	if (l.msgs)
		conf_msgs_print(stderr, l.msgs);
	if (r != 0 || !l.model) {
		fprintf(stderr, "vigild: configuration %s is invalid: %u error(s)\n", o->conf_file,
			l.n_errors);
		conf_load_free(&l);
		return EXIT_CONFIG;
	}
	if (o->action == VIGILD_CONFIG_TEST) {
		char summary[512];

		conf_summary(l.model, summary, sizeof(summary));
		printf("vigild: configuration %s is valid: %s\n", o->conf_file, summary);
	} else {
		struct json j;
		char *text;
		size_t len = 0;

		json_init(&j, true);
		conf_dump_json(l.model, &j);
		text = json_take(&j, &len);
		json_free(&j);
		if (text) {
			fwrite(text, 1, len, stdout);
			fputc('\n', stdout);
			free(text);
		}
	}
	conf_load_free(&l);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

/* As the checker process will look it up (check/process.c). */
static bool checker_user_exists(const char *user)
{
	struct script_ident id;
	char why[128];

	return script_ident_lookup(user, NULL, SCRIPT_IDENT_NUMERIC, &id, why, sizeof(why)) == 0;
}

/* `--list-keywords`: what the man page is checked against. */
static void print_keyword(const struct conf_block *blk, const struct conf_kw *kw, void *arg)
{
	const char *mark = "";

	(void)arg;
	if (kw->type == CV_UNSUPPORTED)
		mark = " (unsupported)";
	else if (kw->type == CV_OBSOLETE)
		mark = " (obsolete)";
	else if (conf_noeffect_find(blk, conf_schema_canonical(blk, kw)->name) >= 0)
		mark = " (no effect)"; /* stored, but nothing acts on it yet */
	printf("%s %s%s\n", blk == &conf_block_top ? "-" : blk->name, kw->name, mark);
}

/* Milliseconds of CLOCK_MONOTONIC, for the start-up timing (-D). */
static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Validate before forking so errors reach the operator's terminal:
 * EXIT_OK with *l loaded, or the exit status. */
static int load_config(const struct vigild_options *o, const char *config_id,
		       struct conf_load *l)
{
	struct conf_options copt = { .config_id = config_id, .flags = 0 };
	int r;

	memset(l, 0, sizeof(*l));
	r = conf_load_file(o->conf_file, &copt, l);
	if (l->msgs)
		conf_msgs_print(stderr, l->msgs);
	if (r != 0 || !l->model) {
		fprintf(stderr, "vigild: configuration %s is invalid: %u error(s)\n", o->conf_file,
			l->n_errors);
		conf_load_free(l);
		return EXIT_CONFIG;
	}
	if (!checker_user_exists(o->checker_user)) {
		fprintf(stderr, "vigild: --checker-user: no user '%s'\n", o->checker_user);
		conf_load_free(l);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * keepalived's instance, net_namespace and use_pid_dir: the run files are
 * named after them (unless -p / --control-socket name them), then the whole
 * process moves into the namespace, before any socket is opened and before
 * the checker is forked (keepalived's checker runs its checks in it too).
 * Returns EXIT_OK or the exit status (told on stderr).
 */
static int take_namespace(struct vigild_options *o, const struct conf_global *g)
{
	static char pid[PATH_MAX], sock[PATH_MAX];
	char err[PATH_MAX + 64];

	if ((!o->pid_file_given && runpath_make(g->net_namespace, g->instance, g->use_pid_dir,
						".pid", pid, sizeof(pid), err, sizeof(err)) < 0) ||
	    (!o->control_socket_given && runpath_make(g->net_namespace, g->instance, g->use_pid_dir,
						      ".sock", sock, sizeof(sock), err,
						      sizeof(err)) < 0)) {
		fprintf(stderr, "vigild: %s\n", err);
		return EXIT_CONFIG;
	}
	if (!o->pid_file_given)
		o->pid_file = pid;
	if (!o->control_socket_given)
		o->control_socket = sock;
	/* Opened first: without a name it is the namespace we start in. */
	if (g->net_namespace_ipvs) {
		d.ipvs_netns = runpath_open_netns("net_namespace_ipvs", g->net_namespace_ipvs, err,
						  sizeof(err));
		if (d.ipvs_netns < 0) {
			fprintf(stderr, "vigild: %s\n", err);
			return EXIT_RUNTIME;
		}
	}
	if (g->net_namespace && runpath_enter_netns(g->net_namespace, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigild: %s\n", err);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* The folder of a run file: made when missing (the first start after an
 * install, a tmpfs /run), or death with the real cause. */
static void ensure_run_dir(const char *what, const char *path)
{
	char made[PATH_MAX];
	int r = run_dir_ensure(path, made);

	if (r < 0)
		die(EXIT_RUNTIME, "%s %s: folder %s: %s", what, path, made, strerror(-r));
	if (made[0])
		log_info("%s: made the missing folder %s", what, made);
}

/* In the daemon process: the pid file, the running model, the event
 * stream and its first subscriber. Dies (telling the parent) on failure. */
static void take_run_state(const struct vigild_options *o, const char *config_id,
			   struct conf_load *l)
{
	pid_t holder = 0;
	int r;

	ensure_run_dir("pid file", o->pid_file);
	ensure_run_dir("control socket", o->control_socket);
	r = pidfile_acquire(&d.pf, o->pid_file, &holder);
	if (r == -EBUSY) {
		if (holder)
			die(EXIT_RUNTIME, "pid file %s is held by a running vigild (pid %ld)",
			    o->pid_file, (long)holder);
		die(EXIT_RUNTIME, "pid file %s is locked by another running vigild", o->pid_file);
	}
	if (r < 0)
		die(EXIT_RUNTIME, "pid file %s: %s", o->pid_file, strerror(-r));

	if (reload_init(&d.rs, o->conf_file, config_id) < 0) {
		pidfile_release(&d.pf);
		die(EXIT_RUNTIME, "out of memory");
	}
	reload_adopt(&d.rs, l);

	/* The event stream and its subscribers, before anything publishes:
	 * the log first, so that a line comes before what a script does. */
	d.bus = event_bus_new();
	if (!d.bus || event_subscribe(d.bus, EVENT_LOG_EVENTS, event_log, NULL) < 0) {
		pidfile_release(&d.pf);
		die(EXIT_RUNTIME, "out of memory");
	}
	d.rs.bus = d.bus;
}

/* The loop, the control socket and the signals. */
static void open_loop(const struct vigild_options *o)
{
	int r;

	d.loop = uv_default_loop();
	d.started_ms = uv_now(d.loop);
	r = control_open(d.loop, o->control_socket, on_command, NULL, &d.ctl);
	if (r < 0) {
		pidfile_release(&d.pf);
		if (r == UV_EADDRINUSE || r == -EADDRINUSE)
			die(EXIT_RUNTIME, "control socket %s is in use by a running daemon",
			    o->control_socket);
		die(EXIT_RUNTIME, "control socket %s: %s", o->control_socket, uv_strerror(r));
	}
	uv_signal_init(d.loop, &d.sig_hup);
	uv_signal_init(d.loop, &d.sig_term);
	uv_signal_init(d.loop, &d.sig_int);
	uv_signal_start(&d.sig_hup, on_signal, SIGHUP);
	uv_signal_start(&d.sig_term, on_signal, SIGTERM);
	uv_signal_start(&d.sig_int, on_signal, SIGINT);
	sdnotify_watchdog_start(d.loop);
}

/* VRRP, then the checker, then IPVS; returns the time each took (ms). */
static void start_subsystems(const struct vigild_options *o, double *t_vrrp, double *t_chk,
			     double *t_lvs)
{
	double t0 = mono_ms();
	int r;

	/* Mail subscribes before VRRP publishes its first transitions. */
	if (mail_start(d.loop, d.rs.cur.model, &d.mail) < 0 ||
	    event_subscribe(d.bus, MAIL_EVENTS, mail_on_event, d.mail) < 0) {
		pidfile_release(&d.pf);
		die(EXIT_RUNTIME, "out of memory");
	}
	status_register("mail", mail_status_json, d.mail);
	r = vrrp_start(d.loop, d.rs.cur.model, d.bus, &d.vrrp);
	if (r < 0) {
		pidfile_release(&d.pf);
		die(EXIT_RUNTIME, "VRRP could not start: %s", strerror(-r));
	}
	d.rs.on_swap = on_swap;
	d.rs.on_swap_data = NULL;
	status_register("vrrp", vrrp_status_json, d.vrrp);
	/* Failures here are logged; VRRP keeps running without them. The
	 * checker comes first: IPVS starts from the probes' initial states. */
	d.checker_user = o->checker_user;
	*t_vrrp = mono_ms() - t0;
	checker_start(d.rs.cur.model);
	*t_chk = mono_ms() - t0 - *t_vrrp;
	lvs_start(d.rs.cur.model);
	*t_lvs = mono_ms() - t0 - *t_vrrp - *t_chk;
}

/* After the loop: what is left is closed and freed. */
static void finish(void)
{
	/* Anything a subsystem left open. */
	uv_walk(d.loop, close_walk, NULL);
	uv_run(d.loop, UV_RUN_DEFAULT);
	status_unregister("vrrp");
	status_unregister("ipvs");
	status_unregister("checker");
	status_unregister("mail");
	ipvs_lvs_free(d.lvs);
	d.lvs = NULL;
	vrrp_free(d.vrrp);
	d.vrrp = NULL;
	check_sup_free(d.chk);
	d.chk = NULL;
	uv_loop_close(d.loop);
	reload_free(&d.rs);
	event_bus_free(d.bus);
	startstop_free(&d.scripts);
	if (d.ipvs_netns >= 0)
		close(d.ipvs_netns);
	mail_free(d.mail);
	d.mail = NULL;
	pidfile_release(&d.pf);
	log_info("stopped");
	log_close();
}

/* Start-up timings (-D) and the options, for start_all(). */
static struct {
	const struct vigild_options *o;
	double t_main, t_conf0, t_conf1, t_up;
} su;

/* VRRP, the checker and IPVS, then ready: at once, or when the startup
 * script has ended (keepalived 2.2.7 starts its children then). */
static void start_all(void *data)
{
	double t_vrrp, t_chk, t_lvs;
	char summary[256];

	(void)data;
	if (d.stopping)
		return; /* stopped while the startup script ran */
	start_subsystems(su.o, &t_vrrp, &t_chk, &t_lvs);
	log_debug("start-up: %.1f ms before the configuration, configuration %.1f ms, then %.1f ms "
		  "to VRRP, VRRP %.1f ms, checker %.1f ms, IPVS %.1f ms",
		  su.t_conf0 - su.t_main, su.t_conf1 - su.t_conf0, su.t_up - su.t_conf1, t_vrrp,
		  t_chk, t_lvs);

	conf_summary(d.rs.cur.model, summary, sizeof(summary));
	log_info("vigild %s started (pid %ld), configuration %s: %s", PACKAGE_VERSION,
		 (long)getpid(), su.o->conf_file, summary);
	sdnotify_ready(summary);
	report_start(EXIT_OK, NULL);
}

int main(int argc, char **argv)
{
	struct vigild_options o;
	struct conf_load l;
	char err[256];
	char host[256];
	const char *config_id;
	int r;

	su.t_main = mono_ms();
	su.o = &o;

	/* keepalived's genhash, as a mode: `vigild genhash URL...`. */
	if (argc > 1 && (!strcmp(argv[1], "genhash") || !strcmp(argv[1], "--genhash")))
		return check_genhash_main(argc - 1, argv + 1);
	if (vigild_parse_options(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigild: %s\nTry 'vigild --help' for more information.\n", err);
		return EXIT_USAGE;
	}
	switch (o.action) {
	case VIGILD_HELP:
		vigild_usage(stdout);
		return EXIT_OK;
	case VIGILD_VERSION:
		printf("vigild %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	case VIGILD_LIST_KEYWORDS:
		conf_schema_walk(print_keyword, NULL);
		return EXIT_OK;
	default:
		break;
	}
	default_config_id(host, sizeof(host));
	config_id = o.config_id ? o.config_id : host;
	if (o.action == VIGILD_CONFIG_TEST || o.action == VIGILD_DUMP_CONFIG)
		return config_only(&o, config_id);

	signal(SIGPIPE, SIG_IGN);
	su.t_conf0 = mono_ms();
	r = load_config(&o, config_id, &l);
	if (r != EXIT_OK)
		return r;
	r = take_namespace(&o, &l.model->global);
	if (r != EXIT_OK) {
		conf_load_free(&l);
		return r;
	}
	su.t_conf1 = mono_ms();

	/* The pid file and socket are taken by the daemon process itself; a
	 * failure reaches the terminal through the start-up pipe. */
	if (!o.foreground)
		daemonize();
	log_open("vigild", o.log_console, o.log_detail, o.log_facility);
	if (l.model->global.net_namespace)
		log_info("in network namespace %s", l.model->global.net_namespace);
	take_run_state(&o, config_id, &l);
	open_loop(&o);
	su.t_up = mono_ms();
	startstop_load(&d.scripts, &d.rs.cur.model->global);
	if (startstop_run(&d.scripts, d.loop, true, start_all, NULL) != 0)
		start_all(NULL);

	uv_run(d.loop, UV_RUN_DEFAULT);
	finish();
	return EXIT_OK;
}
