/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bump allocator. The whole config model (and the statement tree it was
 * built from) lives in one arena, so a model has exactly one owner and is
 * freed as a whole, on reload or on error, with no per-object bookkeeping.
 */
#ifndef VIGIL_LIB_ARENA_H
#define VIGIL_LIB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Zeroed memory; never returns NULL (aborts on exhaustion like any allocator
 * failure in the daemon would). */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Bytes handed out so far (for the memory figures in vigilctl status). */
size_t arena_used(const struct arena *a);

#endif
