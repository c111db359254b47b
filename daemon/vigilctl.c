/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigilctl: send one command to vigild's control socket and show the reply.
 * Exit: 0 ok, 1 the daemon answered ok:false, 2 usage, 3 cannot connect or
 * no valid reply.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/json.h"
#include "daemon/ctlproto.h"
#include "daemon/runpath.h"
#include "lib/jsonread.h"

#ifndef VIGIL_RUNDIR
#define VIGIL_RUNDIR "/run"
#endif

#define TIMEOUT_MS 10000
#define MAX_REPLY (64u << 20)

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_CONNECT = 3 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vigilctl [--control-socket PATH | -i NAME | -N NS] [--json] COMMAND\n"
		"Query or control a running vigild.\n"
		"\n"
		"Commands:\n"
		"  status       daemon, configuration and reload state\n"
		"  reload       reload the configuration (like SIGHUP) and report the result\n"
		"  dump-config  the running configuration as JSON\n"
		"\n"
		"Options:\n"
		"      --control-socket PATH  socket of the daemon (default %s)\n"
		"  -i, --instance NAME        the daemon whose configuration says 'instance NAME'\n"
		"  -N, --net-namespace NS     the daemon whose configuration says 'net_namespace NS'\n"
		"      --json                 print the raw JSON result\n"
		"  -h, --help                 print this help and exit\n"
		"      --version              print the version and exit\n"
		"\n"
		"Exit status: 0 ok, 1 the daemon reported an error, 2 usage error,\n"
		"3 cannot reach the daemon.\n",
		VIGIL_RUNDIR "/vigild.sock");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline; 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long left;
	int r;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		return r < 0 ? -1 : r > 0;
	}
}

/* Returns the reply text (malloc'ed) or NULL after printing why. */
static char *exchange(const char *path, const char *cmd, size_t *len_out)
{
	struct sockaddr_un sa;
	long long deadline = now_ms() + TIMEOUT_MS;
	char req[64];
	size_t reqlen, sent = 0, len = 0, cap = 0;
	char *buf = NULL;
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vigilctl: control socket path too long: %s\n", path);
		return NULL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		fprintf(stderr, "vigilctl: socket: %s\n", strerror(errno));
		return NULL;
	}
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (r < 0 && (errno == EAGAIN || errno == EINPROGRESS)) {
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		r = wait_fd(fd, POLLOUT, deadline);
		if (r == 0)
			errno = ETIMEDOUT;
		else if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0)
			errno = soerr;
		r = (r > 0 && soerr == 0) ? 0 : -1;
	}
	if (r < 0) {
		fprintf(stderr, "vigilctl: cannot connect to vigild at %s: %s\n", path,
			strerror(errno));
		close(fd);
		return NULL;
	}
	reqlen = (size_t)snprintf(req, sizeof(req), "%s\n", cmd);
	while (sent < reqlen) {
		ssize_t n = send(fd, req + sent, reqlen - sent, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) <= 0)
				goto timeout;
			continue;
		}
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			break; /* refused early (e.g. too many clients): read why */
		if (n < 0) {
			fprintf(stderr, "vigilctl: sending to %s: %s\n", path, strerror(errno));
			goto fail;
		}
		sent += (size_t)n;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			char *nb;

			if (cap >= MAX_REPLY) {
				fprintf(stderr, "vigilctl: reply from %s too large\n", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 16384;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				fprintf(stderr, "vigilctl: out of memory\n");
				goto fail;
			}
			buf = nb;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) <= 0)
				goto timeout;
			continue;
		}
		if (n < 0 && errno == ECONNRESET && len > 0)
			break; /* the server closed with our request unread */
		if (n < 0) {
			fprintf(stderr, "vigilctl: reading from %s: %s\n", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!buf || len == 0) {
		fprintf(stderr, "vigilctl: vigild at %s closed the connection without a reply\n",
			path);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*len_out = len;
	return buf;
timeout:
	fprintf(stderr, "vigilctl: no reply from vigild at %s within %d s\n", path,
		TIMEOUT_MS / 1000);
fail:
	close(fd);
	free(buf);
	return NULL;
}

static void print_json(const struct jv *v, bool pretty)
{
	struct json j;
	char *text;
	size_t len = 0;

	json_init(&j, pretty);
	jv_write(v, &j);
	text = json_take(&j, &len);
	json_free(&j);
	if (text) {
		fwrite(text, 1, len, stdout);
		fputc('\n', stdout);
		free(text);
	}
}

static const char *str_or(const struct jv *v, const char *dflt)
{
	return v && v->type == JV_STR ? v->str : dflt;
}

static void print_uptime(long long s)
{
	if (s >= 86400)
		printf("%lldd %02lldh %02lldm %02llds\n", s / 86400, s % 86400 / 3600,
		       s % 3600 / 60, s % 60);
	else if (s >= 3600)
		printf("%lldh %02lldm %02llds\n", s / 3600, s % 3600 / 60, s % 60);
	else if (s >= 60)
		printf("%lldm %02llds\n", s / 60, s % 60);
	else
		printf("%llds\n", s);
}

/* "12s", "3m 04s", "2h 05m" */
static void fmt_age(long long ms, char *buf, size_t len)
{
	long long s = ms / 1000;

	if (s >= 3600)
		snprintf(buf, len, "%lldh %02lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%lldm %02llds", s / 60, s % 60);
	else
		snprintf(buf, len, "%llds", s);
}

/* One line per VRRP instance:
 * VI_1  MASTER  prio 150/150  vrid 51  eth0  master 198.18.0.1  since 12s (reason) */
/* One line per static entry:
 *   static address 198.18.70.1/24 dev eth0  set  (restored 1)
 *   static route 198.18.71.0/24 dev trk2  failed: No such device */
static void print_statics(const struct jv *v)
{
	const struct jv *st = jv_get(v, "static");

	for (const struct jv *e = st && st->type == JV_ARR ? st->child : NULL; e; e = e->next) {
		const struct jv *err = jv_get(e, "error");

		printf("  static %s %s  %s", str_or(jv_get(e, "kind"), "?"),
		       str_or(jv_get(e, "entry"), "?"), str_or(jv_get(e, "state"), "?"));
		if (err && err->type == JV_STR)
			printf(": %s", err->str);
		if (jv_int(jv_get(e, "restores")))
			printf("  (restored %lld)", jv_int(jv_get(e, "restores")));
		printf("\n");
	}
}

static void print_vrrp(const struct jv *v)
{
	const struct jv *insts = jv_get(v, "instances");
	const struct jv *i;

	printf("vrrp:\n");
	print_statics(v);
	if (!insts || insts->type != JV_ARR || !insts->child) {
		printf("  no instances\n");
		return;
	}
	for (i = insts->child; i; i = i->next) {
		const struct jv *pr = jv_get(i, "priority");
		const struct jv *ms = jv_get(i, "master");
		const struct jv *lt = jv_get(i, "last_transition");
		const struct jv *fr = jv_get(i, "fault_reason");
		char age[32];

		fmt_age(jv_int(jv_get(i, "since_ms")), age, sizeof(age));
		printf("  %s  %s  prio %lld/%lld  vrid %lld  %s  master %s  since %s (%s)",
		       str_or(jv_get(i, "name"), "?"), str_or(jv_get(i, "state"), "?"),
		       jv_int(jv_get(pr, "effective")), jv_int(jv_get(pr, "configured")),
		       jv_int(jv_get(i, "vrid")), str_or(jv_get(i, "interface"), "?"),
		       str_or(jv_get(ms, "address"), "-"), age,
		       str_or(jv_get(lt, "reason"), "not started"));
		if (fr && fr->type == JV_STR)
			printf("  fault: %s", fr->str);
		printf("\n");
	}
}

/* "ok 12, refused 3": the non-zero counts of an object of counts. */
static void print_counts(const struct jv *obj)
{
	const char *sep = "";

	for (const struct jv *c = obj && obj->type == JV_OBJ ? obj->child : NULL; c; c = c->next) {
		if (c->type != JV_NUM || !jv_int(c))
			continue;
		printf("%s%s %lld", sep, c->key, jv_int(c));
		sep = ", ";
	}
}

/* One probe:
 *     HTTP_GET 198.18.1.2:80  down  refused: connect: Connection refused  (ok 3, refused 9) */
static void print_probe(const struct jv *p)
{
	const struct jv *addr = jv_get(p, "address"), *port = jv_get(p, "port");
	const struct jv *cause = jv_get(p, "cause"), *w = jv_get(p, "weight");
	bool failed;

	printf("    %s ", str_or(jv_get(p, "kind"), "?"));
	if (addr && addr->type == JV_STR && port && port->type == JV_NUM)
		printf(strchr(addr->str, ':') ? "[%s]:%lld" : "%s:%lld", addr->str, jv_int(port));
	else if (addr && addr->type == JV_STR)
		printf("%s", addr->str);
	else
		printf("%s", str_or(jv_get(p, "script"), str_or(jv_get(p, "file"), "?")));
	printf("  %s", str_or(jv_get(p, "state"), "?"));
	if (w && w->type == JV_NUM)
		printf("  weight %lld", jv_int(w));
	if (!cause || cause->type != JV_STR) {
		printf("  no result yet\n");
		return;
	}
	failed = strcmp(cause->str, "ok") != 0;
	printf("  %s%s%s  (", failed ? cause->str : "", failed ? ": " : "",
	       str_or(jv_get(p, "reason"), ""));
	print_counts(jv_get(p, "results_by_cause"));
	printf(")\n");
}

/* The checker process, its results per cause and one line per probe:
 * checker:      pid 4242, user nobody, generation 1, running 5m 02s, 0 restarts
 *   results:    1023 (ok 1000, refused 20, connect_timeout 3)
 *   probes:     2 of 3 up */
static void print_checker(const struct jv *c)
{
	const struct jv *pr = jv_get(c, "process"), *pid = jv_get(pr, "pid");
	const struct jv *run = jv_get(pr, "running"), *probes = jv_get(c, "probes");
	char age[32];

	fmt_age(jv_int(jv_get(pr, "uptime_ms")), age, sizeof(age));
	printf("checker:      ");
	if (pid && pid->type == JV_NUM)
		printf("pid %lld", jv_int(pid));
	else
		printf("no process");
	printf(", user %s, generation %lld, %s %s, %lld restart%s\n",
	       str_or(jv_get(pr, "user"), "?"), jv_int(jv_get(pr, "generation")),
	       run && run->type == JV_BOOL && run->b ? "running" : "starting", age,
	       jv_int(jv_get(pr, "restarts")), jv_int(jv_get(pr, "restarts")) == 1 ? "" : "s");
	if (jv_get(pr, "last_exit") && jv_get(pr, "last_exit")->type == JV_STR)
		printf("  last exit:  %s (%lld hang%s)\n", jv_get(pr, "last_exit")->str,
		       jv_int(jv_get(pr, "hangs")), jv_int(jv_get(pr, "hangs")) == 1 ? "" : "s");
	printf("  results:    %lld (", jv_int(jv_get(pr, "results")));
	print_counts(jv_get(pr, "results_by_cause"));
	printf(")\n");
	if (jv_int(jv_get(pr, "drops"))) {
		printf("  dropped:    %lld invalid messages (", jv_int(jv_get(pr, "drops")));
		print_counts(jv_get(pr, "drop_reasons"));
		printf(")\n");
	}
	if (jv_int(jv_get(pr, "scripts_run")))
		printf("  scripts:    %lld run\n", jv_int(jv_get(pr, "scripts_run")));
	printf("  probes:     %lld of %lld up\n", jv_int(jv_get(c, "probes_up")),
	       jv_int(jv_get(c, "probes_total")));
	for (const struct jv *p = probes && probes->type == JV_ARR ? probes->child : NULL; p;
	     p = p->next)
		print_probe(p);
}

/* One line: the e-mail alert counters. */
static void print_mail(const struct jv *m)
{
	const struct jv *en = jv_get(m, "enabled");

	printf("mail:         %s, %lld sent, %lld failed, %lld retried, %lld dropped, "
	       "%lld given up, %lld queued (max %lld)\n",
	       en && en->type == JV_BOOL && en->b ? "on" : "off", jv_int(jv_get(m, "sent")),
	       jv_int(jv_get(m, "failed")), jv_int(jv_get(m, "retried")),
	       jv_int(jv_get(m, "dropped")), jv_int(jv_get(m, "given_up")),
	       jv_int(jv_get(m, "queued")), jv_int(jv_get(m, "queue_max")));
}

static void print_status(const struct jv *r)
{
	const struct jv *cfg = jv_get(r, "config");
	const struct jv *rl = jv_get(r, "reload");
	const struct jv *last = jv_get(rl, "last");
	const struct jv *m;

	printf("version:      %s\n", str_or(jv_get(r, "version"), "?"));
	printf("pid:          %lld\n", jv_int(jv_get(r, "pid")));
	printf("uptime:       ");
	print_uptime(jv_int(jv_get(r, "uptime_sec")));
	printf("config:       %s\n", str_or(jv_get(cfg, "file"), "?"));
	printf("generation:   %lld (loaded %s)\n", jv_int(jv_get(cfg, "generation")),
	       str_or(jv_get(cfg, "loaded_at"), "?"));
	printf("summary:      %s\n", str_or(jv_get(cfg, "summary"), ""));
	printf("reloads:      %lld ok, %lld failed\n", jv_int(jv_get(rl, "ok")),
	       jv_int(jv_get(rl, "failed")));
	if (last && last->type == JV_OBJ) {
		const struct jv *ok = jv_get(last, "ok");
		const struct jv *errs = jv_get(last, "errors");
		unsigned n = 0;

		for (m = errs ? errs->child : NULL; m; m = m->next)
			n++;
		if (ok && ok->type == JV_BOOL && ok->b)
			printf("last reload:  %s ok\n", str_or(jv_get(last, "at"), "?"));
		else
			printf("last reload:  %s FAILED (%u error%s)\n",
			       str_or(jv_get(last, "at"), "?"), n, n == 1 ? "" : "s");
		for (m = errs ? errs->child : NULL; m; m = m->next)
			printf("  %s\n", str_or(m, "?"));
	} else {
		printf("last reload:  none\n");
	}
	/* Keys that subsystems added. */
	for (m = r->child; m; m = m->next) {
		static const char *const core[] = { "version", "pid", "uptime_sec", "config",
						    "reload" };
		bool is_core = false;
		size_t i;

		for (i = 0; i < sizeof(core) / sizeof(core[0]); i++)
			if (m->key && !strcmp(m->key, core[i]))
				is_core = true;
		if (is_core || !m->key)
			continue;
		if (!strcmp(m->key, "vrrp") && m->type == JV_OBJ) {
			print_vrrp(m);
			continue;
		}
		if (!strcmp(m->key, "mail") && m->type == JV_OBJ) {
			print_mail(m);
			continue;
		}
		if (!strcmp(m->key, "checker") && m->type == JV_OBJ && jv_get(m, "process")) {
			print_checker(m);
			continue;
		}
		printf("%s:%*s", m->key, (int)(strlen(m->key) < 13 ? 13 - strlen(m->key) : 1), "");
		print_json(m, false);
	}
}

int main(int argc, char **argv)
{
	enum { OPT_SOCKET = 0x100, OPT_JSON, OPT_VERSION };
	static const struct option opts[] = {
		{ "control-socket", required_argument, NULL, OPT_SOCKET },
		{ "instance", required_argument, NULL, 'i' },
		{ "net-namespace", required_argument, NULL, 'N' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *instance = NULL, *netns = NULL;
	char run_sock[PATH_MAX], why[PATH_MAX + 64];
	bool as_json = false;
	struct ctl_request req;
	const char *err = NULL, *cmd;
	const struct jv *ok, *result, *msg;
	struct jv *reply;
	char *text;
	size_t len = 0;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hi:N:", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SOCKET:
			if (!*optarg) {
				fprintf(stderr, "vigilctl: empty control socket path\n");
				return EXIT_USAGE;
			}
			path = optarg;
			break;
		case 'i':
			instance = optarg;
			break;
		case 'N':
			netns = optarg;
			break;
		case OPT_JSON:
			as_json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_VERSION:
			printf("vigilctl %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			fprintf(stderr, "vigilctl: unknown option or missing argument: '%s'\n",
				argv[optind - 1]);
			fprintf(stderr, "Try 'vigilctl --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "vigilctl: %s\n",
			optind >= argc ? "missing command" : "exactly one command expected");
		fprintf(stderr, "Try 'vigilctl --help' for more information.\n");
		return EXIT_USAGE;
	}
	/* The socket vigild names after instance / net_namespace (runpath.h). */
	if (!path) {
		if (runpath_make(netns, instance, false, ".sock", run_sock, sizeof(run_sock), why,
				 sizeof(why)) < 0) {
			fprintf(stderr, "vigilctl: %s\n", why);
			return EXIT_USAGE;
		}
		path = run_sock;
	}
	cmd = argv[optind];
	if (ctl_parse_request(cmd, strlen(cmd), &req, &err) < 0 ||
	    strcmp(cmd, ctl_command_name(req.cmd)) != 0) {
		fprintf(stderr, "vigilctl: unknown command '%.64s' (status, reload, dump-config)\n",
			cmd);
		return EXIT_USAGE;
	}

	text = exchange(path, cmd, &len);
	if (!text)
		return EXIT_CONNECT;
	reply = jv_parse(text, len, &err);
	if (!reply || reply->type != JV_OBJ) {
		fprintf(stderr, "vigilctl: invalid reply from vigild at %s: %s\n", path,
			reply ? "not a JSON object" : err);
		jv_free(reply);
		free(text);
		return EXIT_CONNECT;
	}
	free(text);
	ok = jv_get(reply, "ok");
	result = jv_get(reply, "result");
	if (!ok || ok->type != JV_BOOL) {
		fprintf(stderr, "vigilctl: invalid reply from vigild at %s: no \"ok\"\n", path);
		jv_free(reply);
		return EXIT_CONNECT;
	}
	rc = EXIT_OK;
	if (!ok->b) {
		const struct jv *errs = jv_get(reply, "errors");
		const struct jv *m;

		rc = EXIT_FAILED;
		if (as_json) {
			print_json(reply, false);
		} else {
			msg = jv_get(reply, "error");
			if (req.cmd == CTL_CMD_RELOAD)
				fprintf(stderr, "reload failed: %s\n",
					str_or(msg, "unknown error"));
			else
				fprintf(stderr, "vigilctl: %s: %s\n", cmd,
					str_or(msg, "unknown error"));
			for (m = errs && errs->type == JV_ARR ? errs->child : NULL; m; m = m->next)
				fprintf(stderr, "%s\n", str_or(m, "?"));
		}
	} else if (!result) {
		fprintf(stderr, "vigilctl: invalid reply from vigild at %s: no \"result\"\n", path);
		rc = EXIT_CONNECT;
	} else if (as_json) {
		print_json(result, false);
	} else if (req.cmd == CTL_CMD_STATUS) {
		print_status(result);
	} else if (req.cmd == CTL_CMD_RELOAD) {
		printf("reloaded, generation %lld\n", jv_int(jv_get(result, "generation")));
	} else {
		print_json(result, true);
	}
	jv_free(reply);
	if (fflush(stdout) != 0 && rc == EXIT_OK)
		rc = EXIT_CONNECT;
	return rc;
}
