/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `vigild genhash`: a one-shot client with blocking sockets. Options follow
 * keepalived's genhash: -s server, -p port, -u url, -S (TLS), -I (SNI from
 * -V), -V virtualhost, -P 1.0|1.0c|1.1, -t timeout (s), -m fwmark,
 * -v verbose, -h. The request and the digested bytes are exactly those of
 * HTTP_GET / SSL_GET (check/http_parse.c), so the printed digest can be put
 * in a url block's `digest` as is.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "check/genhash.h"
#include "check/http_parse.h"

struct gh_opts {
	const char *server, *url, *vhost;
	unsigned port;
	bool tls, sni, verbose;
	int proto;
	double timeout;
	uint32_t fwmark;
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vigild genhash [-S] [-I] -s ADDRESS [-p PORT] -u PATH [options]\n"
		   "Prints the MD5 digest of PATH's body as HTTP_GET/SSL_GET compute it.\n"
		   "  -s, --server ADDRESS        the server (an IP address or host name)\n"
		   "  -p, --port PORT             its port (default 80, 443 with -S)\n"
		   "  -u, --url PATH              the path to fetch\n"
		   "  -S, --use-ssl               use TLS\n"
		   "  -I, --use-sni               send the virtualhost (-V) as SNI\n"
		   "  -V, --use-virtualhost NAME  Host header (default: ADDRESS[:PORT])\n"
		   "  -P, --protocol 1.0|1.0c|1.1 HTTP version (default 1.0)\n"
		   "  -t, --timeout SECONDS       for the whole exchange (default 5)\n"
		   "  -m, --fwmark MARK           SO_MARK on the socket\n"
		   "  -v, --verbose               print the status and sizes to stderr\n"
		   "  -h, --help                  this text\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sets the socket's send and receive timeouts to what is left; false when
 * nothing is. */
static bool arm(int fd, double deadline)
{
	double left = deadline - now_s();
	struct timeval tv;

	if (left <= 0)
		return false;
	tv.tv_sec = (time_t)left;
	tv.tv_usec = (suseconds_t)((left - (double)tv.tv_sec) * 1e6);
	if (!tv.tv_sec && !tv.tv_usec)
		tv.tv_usec = 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return true;
}

static int gh_connect(const struct gh_opts *o, double deadline, char *hostbuf, size_t hlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char port[8];
	int fd = -1, rc, err = 0;

	snprintf(port, sizeof(port), "%u", o->port);
	rc = getaddrinfo(o->server, port, &hints, &res);
	if (rc) {
		fprintf(stderr, "genhash: %s: %s\n", o->server, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (o->fwmark &&
		    setsockopt(fd, SOL_SOCKET, SO_MARK, &o->fwmark, sizeof(o->fwmark)) < 0) {
			err = errno;
			close(fd);
			fd = -1;
			break;
		}
		if (arm(fd, deadline) && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			const void *a =
				ai->ai_family == AF_INET6
					? (const void *)&((struct sockaddr_in6 *)ai->ai_addr)
						  ->sin6_addr
					: (const void *)&((struct sockaddr_in *)ai->ai_addr)
						  ->sin_addr;

			http_host_of(hostbuf, hlen, ai->ai_family, a, o->port, o->tls);
			break;
		}
		err = errno ? errno : ETIMEDOUT;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		fprintf(stderr, "genhash: connect to %s port %u: %s\n", o->server, o->port,
			err == EINPROGRESS || err == EAGAIN ? "timeout" : strerror(err));
	return fd;
}

static const char *tls_err(void)
{
	static char buf[160];
	unsigned long e = ERR_get_error();

	if (!e)
		return "connection closed or timed out";
	ERR_error_string_n(e, buf, sizeof(buf));
	return buf;
}

static int gh_run(const struct gh_opts *o)
{
	double deadline = now_s() + o->timeout;
	char host[80], req[HTTP_REQUEST_MAX], err[160];
	static uint8_t buf[16384];
	struct http_parser *p = NULL;
	struct http_sink sink;
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	int fd, n, rc = 1, prc = HTTP_PARSE_MORE;
	size_t off = 0;

	if (http_sink_init(&sink, true, 0, 0) < 0) {
		fprintf(stderr, "genhash: cannot start MD5\n");
		return 1;
	}
	fd = gh_connect(o, deadline, host, sizeof(host));
	if (fd < 0)
		goto out;
	n = http_request_format(req, sizeof(req), o->url, o->vhost ? o->vhost : host, o->proto);
	if (n < 0) {
		fprintf(stderr, "genhash: bad url or virtualhost\n");
		goto out;
	}
	if (o->tls) {
		ctx = check_http_ssl_ctx_new(NULL, err, sizeof(err));
		if (!ctx) {
			fprintf(stderr, "genhash: %s\n", err);
			goto out;
		}
		ssl = SSL_new(ctx);
		if (!ssl || SSL_set_fd(ssl, fd) != 1 ||
		    (o->sni && o->vhost && SSL_set_tlsext_host_name(ssl, o->vhost) != 1)) {
			fprintf(stderr, "genhash: TLS: %s\n", tls_err());
			goto out;
		}
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
		SSL_set_options(ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
		if (!arm(fd, deadline) || SSL_connect(ssl) != 1) {
			fprintf(stderr, "genhash: TLS handshake: %s\n", tls_err());
			goto out;
		}
	}
	while (off < (size_t)n) {
		ssize_t w;

		if (!arm(fd, deadline)) {
			fprintf(stderr, "genhash: timeout sending the request\n");
			goto out;
		}
		w = ssl ? SSL_write(ssl, req + off, n - (int)off)
			: send(fd, req + off, (size_t)n - off, MSG_NOSIGNAL);
		if (w <= 0) {
			fprintf(stderr, "genhash: send: %s\n", ssl ? tls_err() : strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	p = malloc(sizeof(*p));
	if (!p)
		goto out;
	http_parser_init(p, http_sink_feed, &sink);
	while (prc == HTTP_PARSE_MORE) {
		ssize_t r;

		if (!arm(fd, deadline)) {
			fprintf(stderr, "genhash: timeout reading the response\n");
			goto out;
		}
		if (ssl) {
			r = SSL_read(ssl, buf, sizeof(buf));
			if (r <= 0 && SSL_get_error(ssl, (int)r) != SSL_ERROR_ZERO_RETURN) {
				fprintf(stderr, "genhash: TLS read: %s\n", tls_err());
				goto out;
			}
			if (r < 0)
				r = 0;
		} else {
			r = recv(fd, buf, sizeof(buf), 0);
			if (r < 0) {
				fprintf(stderr, "genhash: recv: %s\n",
					errno == EAGAIN ? "timeout" : strerror(errno));
				goto out;
			}
		}
		prc = r ? http_parser_feed(p, buf, (size_t)r, NULL) : http_parser_eof(p);
	}
	if (prc == HTTP_PARSE_ERROR) {
		fprintf(stderr, "genhash: bad response: %s\n", p->error);
		goto out;
	}
	uint8_t md[16];
	char hex[33];

	if (http_sink_md5(&sink, md) < 0) {
		fprintf(stderr, "genhash: MD5 failed\n");
		goto out;
	}
	http_md5_hex(md, hex);
	if (o->verbose)
		fprintf(stderr, "genhash: GET %s from %s: HTTP/1.%d %u, %llu body bytes\n", o->url,
			host, p->version_minor, p->status, (unsigned long long)p->body_bytes);
	printf("%s\n", hex);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	if (ssl)
		SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	free(p);
	http_sink_free(&sink);
	return rc;
}

int check_genhash_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gh_opts o = { .proto = CONF_HTTP_10, .timeout = 5 };
	char *end;
	int c;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "SIs:p:u:V:P:t:m:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'S':
			o.tls = true;
			break;
		case 'I':
			o.sni = true;
			break;
		case 's':
			o.server = optarg;
			break;
		case 'p':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1 || v > 65535) {
				fprintf(stderr, "genhash: bad port '%s'\n", optarg);
				return 2;
			}
			o.port = (unsigned)v;
			break;
		case 'u':
			o.url = optarg;
			break;
		case 'V':
			o.vhost = optarg;
			break;
		case 'P':
			if (!strcmp(optarg, "1.0"))
				o.proto = CONF_HTTP_10;
			else if (!strcasecmp(optarg, "1.0c"))
				o.proto = CONF_HTTP_10C;
			else if (!strcmp(optarg, "1.1"))
				o.proto = CONF_HTTP_11;
			else {
				fprintf(stderr, "genhash: protocol must be 1.0, 1.0c or 1.1\n");
				return 2;
			}
			break;
		case 't':
			o.timeout = strtod(optarg, &end);
			if (*end || !(o.timeout > 0 && o.timeout <= 3600)) {
				fprintf(stderr, "genhash: bad timeout '%s'\n", optarg);
				return 2;
			}
			break;
		case 'm':
			errno = 0;
			v = strtol(optarg, &end, 0);
			if (errno || *end || v < 0 || v > (long)UINT32_MAX) {
				fprintf(stderr, "genhash: bad fwmark '%s'\n", optarg);
				return 2;
			}
			o.fwmark = (uint32_t)v;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "genhash: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !o.server || !o.url) {
		fprintf(stderr, "genhash: %s\n",
			optind < argc ? "unexpected argument" : "-s SERVER and -u URL are needed");
		usage(stderr);
		return 2;
	}
	if (!o.port)
		o.port = o.tls ? 443 : 80;
	return gh_run(&o);
}
