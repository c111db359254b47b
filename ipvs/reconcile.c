/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reconcile: the desired IPVS table against one kernel dump, as the shortest
 * list of operations. Pure: all three tables are sorted (ipvs_state_sort),
 * so one merge-style walk does it in O(services + dests); no lookups.
 *
 * Order of the output: services in key order; for each desired service
 * present in the kernel, EDIT_SVC (if needed) first, then every DEL_DEST,
 * then EDIT_DEST / ADD_DEST in key order; a new service is ADD_SVC followed
 * by its ADD_DESTs. Deleting stale dests before adding lets the kernel's
 * per-service state (schedulers that hash over the dest list) settle once.
 *
 * A NULL table counts as empty. out must be zeroed or come from an earlier
 * call (its buffer is reused; n starts again from 0); on -ENOMEM it is
 * freed and left empty.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ip_vs.h>

#include "ipvs/ipvs.h"

/* The kernel adds IP_VS_SVC_F_HASHED on its own and reports it; we never
 * ask for it, so it is not part of what we compare. */
#define SVC_FLAGS_COMPARED (~(uint32_t)IP_VS_SVC_F_HASHED)

static int ops_push(struct ipvs_ops *out, enum ipvs_op_kind kind, const struct ipvs_service *svc,
		    const struct ipvs_dest *dest)
{
	if (out->n == out->cap) {
		unsigned cap = out->cap ? out->cap * 2 : 64;
		struct ipvs_op *v;

		if (cap < out->cap || cap > UINT_MAX / sizeof(*v))
			return -ENOMEM;
		v = realloc(out->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n++] = (struct ipvs_op){ .kind = kind, .svc = svc, .dest = dest };
	return 0;
}

/* Bounded: a kernel dump is outside input and may lack the NUL. */
static bool str_differs(const char *a, const char *b, size_t len)
{
	return strncmp(a, b, len) != 0;
}

static bool svc_differs(const struct ipvs_service *d, const struct ipvs_service *k)
{
	return str_differs(d->sched, k->sched, IPVS_SCHED_LEN) ||
	       (d->flags & SVC_FLAGS_COMPARED) != (k->flags & SVC_FLAGS_COMPARED) ||
	       d->timeout != k->timeout || d->netmask != k->netmask ||
	       str_differs(d->pe_name, k->pe_name, IPVS_PE_LEN);
}

/* The kernel reports only the forwarding bits of a dest's conn_flags. The
 * tunnel settings mean something only for TUN, so only then do they count. */
static bool dest_differs(const struct ipvs_dest *d, const struct ipvs_dest *k)
{
	uint32_t fwd = d->conn_flags & IP_VS_CONN_F_FWD_MASK;

	if (fwd != (k->conn_flags & IP_VS_CONN_F_FWD_MASK) || d->weight != k->weight ||
	    d->u_threshold != k->u_threshold || d->l_threshold != k->l_threshold)
		return true;
	return fwd == IP_VS_CONN_F_TUNNEL &&
	       (d->tun_type != k->tun_type || d->tun_port != k->tun_port ||
		d->tun_flags != k->tun_flags);
}

static int add_svc(struct ipvs_ops *out, const struct ipvs_service *d)
{
	int rc = ops_push(out, IPVS_OP_ADD_SVC, d, NULL);

	for (unsigned i = 0; !rc && i < d->n_dests; i++)
		rc = ops_push(out, IPVS_OP_ADD_DEST, d, &d->dests[i]);
	return rc;
}

static int sync_svc(struct ipvs_ops *out, const struct ipvs_service *d,
		    const struct ipvs_service *k)
{
	const struct ipvs_dest *dd = d->dests, *kd = k->dests;
	unsigned nd = d->n_dests, nk = k->n_dests, i, j;
	int rc = 0;

	if (svc_differs(d, k))
		rc = ops_push(out, IPVS_OP_EDIT_SVC, d, NULL);

	/* Pass 1: kernel dests no longer desired. */
	for (i = j = 0; !rc && j < nk;) {
		int c = i < nd ? ipvs_dest_cmp(&dd[i], &kd[j]) : -2;

		if (c == -2 || c > 0)
			rc = ops_push(out, IPVS_OP_DEL_DEST, d, &kd[j++]);
		else if (c < 0)
			i++;
		else
			i++, j++;
	}
	/* Pass 2: desired dests that are missing or differ. */
	for (i = j = 0; !rc && i < nd;) {
		int c = j < nk ? ipvs_dest_cmp(&dd[i], &kd[j]) : -2;

		if (c == -2 || c < 0) {
			rc = ops_push(out, IPVS_OP_ADD_DEST, d, &dd[i++]);
		} else if (c > 0) {
			j++;
		} else {
			if (dest_differs(&dd[i], &kd[j]))
				rc = ops_push(out, IPVS_OP_EDIT_DEST, d, &dd[i]);
			i++, j++;
		}
	}
	return rc;
}

int ipvs_reconcile(const struct ipvs_state *desired, const struct ipvs_state *owned,
		   const struct ipvs_state *kernel, struct ipvs_ops *out)
{
	static const struct ipvs_state none;
	const struct ipvs_state *D = desired ? desired : &none;
	const struct ipvs_state *O = owned ? owned : &none;
	const struct ipvs_state *K = kernel ? kernel : &none;
	unsigned i = 0, j = 0, k = 0;
	int rc = 0;

	out->n = 0;
	while (!rc && (i < D->n_svcs || j < K->n_svcs)) {
		int c;

		if (i >= D->n_svcs)
			c = 1;
		else if (j >= K->n_svcs)
			c = -1;
		else
			c = ipvs_service_cmp(&D->svcs[i], &K->svcs[j]);

		if (c < 0) {
			rc = add_svc(out, &D->svcs[i++]);
		} else if (c == 0) {
			rc = sync_svc(out, &D->svcs[i++], &K->svcs[j++]);
		} else {
			/* Only in the kernel: ours to delete if we declared it. */
			const struct ipvs_service *ks = &K->svcs[j++];

			while (k < O->n_svcs && ipvs_service_cmp(&O->svcs[k], ks) < 0)
				k++;
			if (k < O->n_svcs && !ipvs_service_cmp(&O->svcs[k], ks))
				rc = ops_push(out, IPVS_OP_DEL_SVC, ks, NULL);
		}
	}
	if (rc)
		ipvs_ops_free(out);
	return rc;
}

void ipvs_ops_free(struct ipvs_ops *ops)
{
	if (!ops)
		return;
	free(ops->v);
	*ops = (struct ipvs_ops){ 0 };
}
