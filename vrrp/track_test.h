/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-only view into vrrp/track.c: read and force the state of tracked
 * objects by name. Not for daemon code; the unit tests use it to drive
 * vrrp_track_eval() through every weight rule without running anything.
 */
#ifndef VIGIL_VRRP_TRACK_TEST_H
#define VIGIL_VRRP_TRACK_TEST_H

#include <stdbool.h>
#include <stdint.h>

struct vrrp_track;

enum vrrp_track_state {
	VRRP_TRACK_INIT = 0, /* a script that has not reported yet */
	VRRP_TRACK_OK,
	VRRP_TRACK_FAILED,
};

/* Each returns 0, or -ENOENT when no object of that kind has that name. */
int vrrp_track_test_set_script(struct vrrp_track *t, const char *name, enum vrrp_track_state s);
int vrrp_track_test_set_file(struct vrrp_track *t, const char *name, long long value);
int vrrp_track_test_set_process(struct vrrp_track *t, const char *name, bool ok);

/* -1 when there is no such object. */
int vrrp_track_test_script_state(const struct vrrp_track *t, const char *name);
uint64_t vrrp_track_test_script_runs(const struct vrrp_track *t, const char *name);
long long vrrp_track_test_file_value(const struct vrrp_track *t, const char *name);
int vrrp_track_test_process_count(const struct vrrp_track *t, const char *name);
int vrrp_track_test_process_state(const struct vrrp_track *t, const char *name);

#endif
