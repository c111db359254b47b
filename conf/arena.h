/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A bump allocator. The whole config model (and the statement tree it was
 * built from) lives in one arena, so a model has exactly one owner and is
 * freed as a whole, on reload or on error, with no per-object bookkeeping.
 */
#ifndef VIGIL_CONF_ARENA_H
#define VIGIL_CONF_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct conf_arena;

struct conf_arena *conf_arena_new(void);
void conf_arena_free(struct conf_arena *a);

/* Zeroed memory; never returns NULL (aborts on exhaustion like any allocator
 * failure in the daemon would). */
void *conf_arena_alloc(struct conf_arena *a, size_t size);
char *conf_arena_strdup(struct conf_arena *a, const char *s);
char *conf_arena_strndup(struct conf_arena *a, const char *s, size_t n);
char *conf_arena_printf(struct conf_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *conf_arena_vprintf(struct conf_arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Bytes handed out so far (for the memory figures in vigilctl status). */
size_t conf_arena_used(const struct conf_arena *a);

#endif
