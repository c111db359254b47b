/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
/*
 * filtertool: the driver of tests/net/t-vrrp-filter.sh. Opens the no_accept
 * filter (vrrp/filter) and then obeys one command per line on stdin:
 *
 *	set [ADDR...]	vrrp_filter_set with these addresses
 *	close		vrrp_filter_close, then exit 0
 *
 * answering "ok" or "error -ERRNO" on stdout for each (and "ready" after
 * open). End of input also closes.
 *
 *	filtertool [-t TABLE] [-p PRIORITY] [-c] [-s] [-n IPSET4[,IPSET6]]
 *	-c: nftables counters, -s: vrrp_ipsets, -n: ipset names
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrp/filter.h"

int main(int argc, char **argv)
{
	static char *names[2];
	struct conf_global g;
	struct vrrp_filter *f;
	static struct conf_addr addrs[1024];
	static char line[65536], *tok, *save;
	unsigned n;
	int opt, r;

	memset(&g, 0, sizeof(g));
	g.nftables_priority = -1;
	while ((opt = getopt(argc, argv, "t:p:csn:")) != -1) {
		switch (opt) {
		case 't':
			g.nftables = optarg;
			break;
		case 'p':
			g.nftables_priority = atoi(optarg);
			break;
		case 'c':
			g.nftables_counters = true;
			break;
		case 's':
			g.vrrp_ipsets = true;
			break;
		case 'n':
			names[0] = optarg;
			g.vrrp_ipsets_names.v = names;
			g.vrrp_ipsets_names.n = 1;
			if ((names[1] = strchr(optarg, ','))) {
				*names[1]++ = '\0';
				g.vrrp_ipsets_names.n = 2;
			}
			break;
		default:
			fprintf(stderr, "usage: filtertool [-t TABLE] [-p PRIO] [-c] [-s] "
					"[-n IPSET4[,IPSET6]]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = vrrp_filter_open(&g, &f);
	if (r < 0) {
		printf("error %d\n", r);
		return 1;
	}
	printf("ready\n");
	while (fgets(line, sizeof(line), stdin)) {
		tok = strtok_r(line, " \t\n", &save);
		if (!tok)
			continue;
		if (!strcmp(tok, "close"))
			break;
		if (strcmp(tok, "set")) {
			printf("error unknown command %s\n", tok);
			continue;
		}
		n = 0;
		r = 0;
		while ((tok = strtok_r(NULL, " \t\n", &save))) {
			if (n == 1024) {
				r = -7; /* E2BIG */
				break;
			}
			memset(&addrs[n], 0, sizeof(addrs[n]));
			if (inet_pton(AF_INET, tok, &addrs[n].u.v4) == 1) {
				addrs[n++].family = AF_INET;
			} else if (inet_pton(AF_INET6, tok, &addrs[n].u.v6) == 1) {
				addrs[n++].family = AF_INET6;
			} else {
				r = -22;
				break;
			}
		}
		if (!r)
			r = vrrp_filter_set(f, addrs, n);
		if (r)
			printf("error %d\n", r);
		else
			printf("ok\n");
	}
	vrrp_filter_close(f);
	printf("closed\n");
	return 0;
}
