# SPDX-License-Identifier: GPL-2.0-or-later
# daemon/: control protocol, spawn, pid file, options, JSON reader.
DAEMON_TEST_LIBS = daemon/libdaemon.a daemon/libdaemon_msg.a $(CONF_LIBS) $(UV_LIBS) $(SYSTEMD_LIBS) $(CMOCKA_LIBS)
DAEMON_TEST_CFLAGS = $(TEST_CFLAGS) $(UV_CFLAGS)
check_PROGRAMS += tests/unit/test_ctlproto tests/unit/test_spawn tests/unit/test_daemon_pidfile \
	tests/unit/test_daemon_options tests/unit/test_daemon_control
TESTS += tests/unit/test_ctlproto tests/unit/test_spawn tests/unit/test_daemon_pidfile \
	tests/unit/test_daemon_options tests/unit/test_daemon_control
tests_unit_test_ctlproto_SOURCES = tests/unit/test_ctlproto.c
tests_unit_test_ctlproto_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ctlproto_LDADD = daemon/libdaemon_msg.a $(TEST_LIBS)
tests_unit_test_spawn_SOURCES = tests/unit/test_spawn.c
tests_unit_test_spawn_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_spawn_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_pidfile_SOURCES = tests/unit/test_daemon_pidfile.c
tests_unit_test_daemon_pidfile_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_pidfile_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_options_SOURCES = tests/unit/test_daemon_options.c
tests_unit_test_daemon_options_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_options_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_control_SOURCES = tests/unit/test_daemon_control.c
tests_unit_test_daemon_control_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_control_LDADD = $(DAEMON_TEST_LIBS)
check_PROGRAMS += tests/unit/test_smtp_reply
TESTS += tests/unit/test_smtp_reply
tests_unit_test_smtp_reply_SOURCES = tests/unit/test_smtp_reply.c
tests_unit_test_smtp_reply_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_smtp_reply_LDADD = daemon/libdaemon_msg.a $(TEST_LIBS)
check_PROGRAMS += tests/unit/test_mail_msg
TESTS += tests/unit/test_mail_msg
tests_unit_test_mail_msg_SOURCES = tests/unit/test_mail_msg.c
tests_unit_test_mail_msg_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mail_msg_LDADD = daemon/libdaemon_msg.a $(TEST_LIBS)
