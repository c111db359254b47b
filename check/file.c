/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FILE_CHECK: reads the file of the named track_file (global track_file
 * block) once per delay_loop (no inotify: the engine's schedule is enough)
 * and applies keepalived 2.2.7's rules for real servers:
 * - the value is the first number in the file (decimal, optional sign,
 *   blanks around), read as vigil's VRRP track_file reads it; a missing or
 *   unreadable file or text that is not a number counts as 0 (the reason
 *   is shown); at most FILE_READ_MAX bytes are read;
 * - the weight is the FILE_CHECK's own, else the track_file block's (and
 *   its reverse with it);
 * - weight 0: a non-zero value is down, 0 is up (reverse: the other way);
 * - weight w != 0: r = value * w (reverse: -r), limited to
 *   [-65535, 65534]; r = -65535 is down (keepalived's fault), otherwise
 *   up, and the real server's weight becomes its configured weight plus r
 *   (limited to 0..65535), carried as the result's weight.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/engine.h"
#include "conf/model.h"

#define FILE_READ_MAX 64 /* a number needs far fewer bytes */
#define IPVS_WEIGHT_LIMIT 65535

enum file_read { FILE_READ_OK, FILE_READ_MISSING, FILE_READ_UNREADABLE, FILE_READ_NOT_NUMBER };

static const char *const file_read_names[] = { "ok", "missing", "unreadable", "not a number" };

/* The first number of buf (pure); 0 with an error otherwise. */
static enum file_read parse_value(const char *buf, size_t len, long long *out)
{
	char tmp[FILE_READ_MAX + 1], *p, *end;
	long long v;

	*out = 0;
	if (len > FILE_READ_MAX)
		return FILE_READ_NOT_NUMBER;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (strlen(tmp) != len)
		return FILE_READ_NOT_NUMBER; /* a NUL inside */
	for (p = tmp; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	if (!*p)
		return FILE_READ_NOT_NUMBER;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (end == p || errno == ERANGE)
		return FILE_READ_NOT_NUMBER;
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end)
		return FILE_READ_NOT_NUMBER;
	/* keepalived keeps file values in an int */
	if (v > INT_MAX)
		v = INT_MAX;
	if (v < INT_MIN)
		v = INT_MIN;
	*out = v;
	return FILE_READ_OK;
}

static enum file_read read_value(const char *path, long long *v)
{
	char buf[FILE_READ_MAX + 1];
	ssize_t n;
	int fd;

	*v = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? FILE_READ_MISSING
							   : FILE_READ_UNREADABLE;
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return FILE_READ_UNREADABLE;
	if (n > FILE_READ_MAX)
		return FILE_READ_NOT_NUMBER; /* longer than any number */
	return parse_value(buf, (size_t)n, v);
}

static void file_start(struct check_attempt *a)
{
	const struct conf_check *c = a->p->cfg;
	const struct conf_model *m = check_engine_model(a->e);
	const struct conf_track_file *tf =
		m ? conf_list_find(&m->vrrp.track_files, c->track_file) : NULL;
	enum file_read err;
	long long v, w, r, rsw;
	bool reverse;
	char note[48] = "";

	if (!m) {
		check_attempt_done(a, CHECK_CONFIG, CHECK_WEIGHT_NONE,
				   "track_file %.40s: the checker has no model to find it in",
				   c->track_file);
		return;
	}
	if (!tf || !tf->file) {
		check_attempt_done(a, CHECK_CONFIG, CHECK_WEIGHT_NONE,
				   "track_file %.60s is not defined", c->track_file);
		return;
	}
	w = c->file_weight ? c->file_weight : tf->weight;
	reverse = c->file_weight ? c->file_weight_reverse : tf->reverse;
	err = read_value(tf->file, &v);
	if (err)
		snprintf(note, sizeof(note), " (file %s, counts as 0)", file_read_names[err]);

	if (w == 0) {
		bool down = (v != 0) != reverse;

		check_attempt_done(a, down ? CHECK_FILE_VALUE : CHECK_OK, CHECK_WEIGHT_NONE,
				   "%svalue %lld with weight 0%s%s", down ? "" : "ok: ", v,
				   reverse ? " reverse" : "", note);
		return;
	}
	r = v * w * (reverse ? -1 : 1);
	if (r < -IPVS_WEIGHT_LIMIT)
		r = -IPVS_WEIGHT_LIMIT;
	if (r > IPVS_WEIGHT_LIMIT - 1)
		r = IPVS_WEIGHT_LIMIT - 1;
	if (r == -IPVS_WEIGHT_LIMIT) {
		check_attempt_done(a, CHECK_FILE_VALUE, CHECK_WEIGHT_NONE,
				   "value %lld x weight %lld%s is -65535 or less (fault)%s", v, w,
				   reverse ? " reverse" : "", note);
		return;
	}
	rsw = (long long)a->p->rs->weight + r;
	if (rsw < 0)
		rsw = 0;
	if (rsw > IPVS_WEIGHT_LIMIT)
		rsw = IPVS_WEIGHT_LIMIT;
	check_attempt_done(a, CHECK_OK, (int32_t)rsw,
			   "ok: value %lld x weight %lld%s: weight %lld%s", v, w,
			   reverse ? " reverse" : "", rsw, note);
}

static void file_cancel(struct check_attempt *a)
{
	(void)a; /* file_start always finishes at once */
}

const struct check_kind check_kind_file = {
	.name = "FILE_CHECK",
	.start = file_start,
	.cancel = file_cancel,
};
