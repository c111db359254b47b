/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FNV-1a, 32 bits: the hash of every table keyed by names or addresses
 * (keyword indexes, the no-effect table, the rtnetlink mirror, lexer
 * definitions). Not for anything an attacker could aim at with many
 * colliding keys in a loop that must stay fast: every user in the tree
 * hashes configuration text or kernel objects we created.
 */
#ifndef VIGIL_LIB_HASH_H
#define VIGIL_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 2166136261u

/* Continues hash h over n bytes (start with HASH_FNV1A_INIT). */
static inline uint32_t hash_fnv1a(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* A NUL-terminated string. */
static inline uint32_t hash_str(const char *s)
{
	uint32_t h = HASH_FNV1A_INIT;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

#endif
