# SPDX-License-Identifier: GPL-2.0-or-later
# lib/: what every layer needs and nothing of ours: logging, process
# spawning, script identity and security, the notify FIFO writer, JSON read
# and write, hashing, the arena allocator, the event stream. Includes no
# other folder of the tree (tests/unit/check-layers.sh says so).
noinst_LIBRARIES += lib/libbase.a
lib_libbase_a_SOURCES = \
	lib/arena.c lib/arena.h \
	lib/event.c lib/event.h \
	lib/fifo.c lib/fifo.h \
	lib/hash.h \
	lib/json.c lib/json.h \
	lib/jsonread.c lib/jsonread.h \
	lib/log.c lib/log.h \
	lib/script.c lib/script.h \
	lib/spawn.c lib/spawn.h
lib_libbase_a_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS)
BASE_LIBS = lib/libbase.a $(UV_LIBS)
