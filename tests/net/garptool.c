/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
/*
 * garptool: the driver of tests/net/t-vrrp-garp.sh. Announces every address
 * on the command line once from IFNAME through vrrp/garp (GARP for IPv4,
 * unsolicited NA for IPv6, from the interface's MAC and its link-local
 * address), runs the loop until the queue is sent, prints the counters.
 *
 *	garptool [-r] IFNAME ADDR...	(-r: set the Router flag in NAs)
 *
 * Exit 0 when every announcement was sent, 1 otherwise, 2 on usage errors.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/garp.h"

static int if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	r = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (r < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int if_linklocal(const char *ifname, struct conf_addr *out)
{
	struct ifaddrs *ifa, *i;
	int found = -1;

	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)i->ifa_addr;

		if (!s6 || s6->sin6_family != AF_INET6 || strcmp(i->ifa_name, ifname) ||
		    !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
			continue;
		out->family = AF_INET6;
		out->u.v6 = s6->sin6_addr;
		found = 0;
		break;
	}
	freeifaddrs(ifa);
	return found;
}

int main(int argc, char **argv)
{
	struct conf_addr addrs[64], src6;
	struct vrrp_garp_stats st;
	struct vrrp_garp *g;
	uv_loop_t loop;
	bool router = false;
	uint8_t mac[6];
	unsigned n = 0;
	int i = 1, ifindex;

	if (argc > 1 && !strcmp(argv[1], "-r")) {
		router = true;
		i++;
	}
	if (argc - i < 2 || argc - i - 1 > 64) {
		fprintf(stderr, "usage: garptool [-r] IFNAME ADDR... (at most 64)\n");
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[i]);
	if (!ifindex || if_mac(argv[i], mac) < 0) {
		fprintf(stderr, "garptool: no interface %s\n", argv[i]);
		return 2;
	}
	memset(&src6, 0, sizeof(src6));
	if_linklocal(argv[i], &src6); /* none: NAs are counted as errors */
	for (i++; i < argc; i++, n++) {
		memset(&addrs[n], 0, sizeof(addrs[n]));
		if (inet_pton(AF_INET, argv[i], &addrs[n].u.v4) == 1) {
			addrs[n].family = AF_INET;
		} else if (inet_pton(AF_INET6, argv[i], &addrs[n].u.v6) == 1) {
			addrs[n].family = AF_INET6;
		} else {
			fprintf(stderr, "garptool: not an address: %s\n", argv[i]);
			return 2;
		}
	}
	if (uv_loop_init(&loop) < 0 || vrrp_garp_open(&loop, &g) < 0) {
		fprintf(stderr, "garptool: cannot open the sender\n");
		return 1;
	}
	vrrp_garp_announce(g, ifindex, mac, addrs, n, &src6, router);
	uv_run(&loop, UV_RUN_DEFAULT);
	vrrp_garp_stats(g, &st);
	vrrp_garp_close(g);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	printf("arp_sent %llu na_sent %llu errors %llu\n", (unsigned long long)st.arp_sent,
	       (unsigned long long)st.na_sent, (unsigned long long)st.errors);
	return st.errors ? 1 : 0;
}
