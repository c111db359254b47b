# SPDX-License-Identifier: GPL-2.0-or-later
# conf/: the keepalived.conf language. Pure: depends on lib/ only.
noinst_LIBRARIES += conf/libconf.a
conf_libconf_a_SOURCES = \
	conf/lexer.c conf/lexer.h conf/lexer_int.h \
	conf/lexer_vars.c conf/lexer_seq.c conf/lexer_include.c \
	conf/tree.c conf/tree.h \
	conf/value.c conf/value.h \
	conf/schema.c conf/schema.h \
	conf/noeffect.c conf/noeffect.h \
	conf/dump.c \
	conf/model.h conf/model_vrrp.h conf/model_lvs.h \
	conf/kw_global.c conf/kw_vrrp.c conf/kw_static.c \
	conf/kw_lvs.c conf/kw_check.c conf/kw_unsupported.c conf/route_opts.c \
	conf/validate_vrrp.c conf/validate_lvs.c \
	conf/regex.c conf/regex.h \
	conf/conf.c conf/conf.h
conf_libconf_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
# Every program linking conf/libconf.a links this too (kw_check.c compiles
# url regexes with PCRE2 to reject bad ones at load).
CONF_LIBS = conf/libconf.a $(PCRE2_LIBS) $(BASE_LIBS)
