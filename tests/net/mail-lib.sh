# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# E-mail alert helpers, sourced after lib.sh and vrrp-lib.sh: a mail server
# (tests/net/smtp-sink.py, run by Debian's /usr/bin/python3 with
# python3-aiosmtpd) in a namespace, and readers of what it stored.

MAIL_PORT=2525
MAIL_DIR=$T/mail

# mail_sink_start HOST MODE: the sink on HOST's first address, port
# MAIL_PORT (store, slow, drop or garbage: see smtp-sink.py).
mail_sink_start() {
	local host=$1 mode=$2 addr
	[[ -x /usr/bin/python3 ]] || fail "/usr/bin/python3 is missing"
	/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
		fail "python3-aiosmtpd is missing (scripts/install-deps installs it)"
	addr=$(ip -n "$(ns_name "$host")" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4; exit }')
	rm -rf "$MAIL_DIR"
	mkdir -p "$MAIL_DIR"
	ip netns exec "$(ns_name "$host")" /usr/bin/python3 "$(dirname "$0")/smtp-sink.py" \
		"$mode" "$addr" "$MAIL_PORT" "$MAIL_DIR" >>"$T/sink.log" 2>&1 &
	MAIL_SINK_PID=$!
	_NET_PIDS+=("$!")
	wait_for 10 "the $mode mail server on $host" test -f "$MAIL_DIR/ready"
	MAIL_ADDR=$addr
}

mail_sink_stop() {
	_net_kill_pid "$MAIL_SINK_PID"
	wait "$MAIL_SINK_PID" 2>/dev/null || true
}

# mail_global: the global_defs lines of the alerts (two recipients).
mail_global() {
	printf '%s\n' "notification_email {" "ops@example.com" "noc@example.com" "}" \
		"notification_email_from vrrp@example.com" \
		"smtp_server $MAIL_ADDR $MAIL_PORT" "smtp_helo_name director.example.com" \
		"smtp_connect_timeout ${MAIL_TIMEOUT:-2}"
}

mail_count() { find "$MAIL_DIR" -name '*.eml' | wc -l; }
mail_count_ge() { (($(mail_count) >= $1)); }

# mail_subjects: "Subject" header of every stored message, one a line.
mail_subjects() {
	local f
	for f in "$MAIL_DIR"/*.eml; do
		[[ -e $f ]] || continue
		sed -n 's/\r$//; s/^Subject: //p' "$f"
	done | sort
}

# mail_with_subject SUBJECT: the file of the one message with it (fails
# unless there is exactly one).
mail_with_subject() {
	local f n=0 hit=
	for f in "$MAIL_DIR"/*.eml; do
		[[ -e $f ]] || continue
		if sed 's/\r$//' "$f" | grep -qxF "Subject: $1"; then
			n=$((n + 1))
			hit=$f
		fi
	done
	((n == 1)) || fail "$n messages with subject '$1', want exactly 1; all: $(mail_subjects | tr '\n' '|')"
	echo "$hit"
}

# mail_expect FILE HEADER VALUE: a header of a stored message.
mail_expect_header() {
	local got
	got=$(sed -n 's/\r$//; /^$/q; s/^'"$2"': //p' "$1")
	expect_eq "$3" "$got" "$2 header of $(basename "$1")"
}

# mail_expect_body FILE LINE: the first line of its body.
mail_expect_body() {
	local got
	got=$(sed 's/\r$//' "$1" | sed '1,/^$/d' | head -n1)
	expect_eq "$2" "$got" "body of $(basename "$1")"
}

# mail_counter NAME FIELD: vigild NAME's status mail.FIELD.
mail_counter() { vstatus "$1" | jget mail."$2"; }
# mail_counter_ge NAME FIELD N: for wait_for (the counter is read at each try).
mail_counter_ge() { (($(mail_counter "$1" "$2") >= $3)); }
