/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accept / no_accept (RFC 5798 Accept_Mode): a MASTER that is not the
 * address owner must not accept packets for the VIPs unless accept is set.
 * vigil keeps its own nftables table (libnftnl over libmnl) with one set of
 * IPv4 and one of IPv6 VIPs and an input chain dropping traffic to them;
 * with vrrp_ipsets, the same addresses are also kept in ipsets (libipset)
 * for operators whose iptables rules refer to them. Nothing else in the
 * firewall is touched; the table is deleted on stop.
 */
#ifndef VIGIL_VRRP_FILTER_H
#define VIGIL_VRRP_FILTER_H

#include <stdbool.h>

#include "conf/model.h"

struct vrrp_filter;

/* Table name: global nftables (default "vigil"); chain priority:
 * nftables_priority. ipsets only with vrrp_ipsets (names from
 * vrrp_ipsets_names, default vigil / vigil6). 0 or -errno (the caller logs
 * it once and runs without filtering, reported in status). */
int vrrp_filter_open(const struct conf_global *g, struct vrrp_filter **out);
void vrrp_filter_close(struct vrrp_filter *f); /* deletes the table and the ipsets */

/* The addresses that must be dropped now: replaces the whole content in one
 * nftables batch (and ipset update). Idempotent. */
int vrrp_filter_set(struct vrrp_filter *f, const struct conf_addr *addrs, unsigned n);

#endif
