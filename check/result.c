/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The names of the check failure causes (check/result.h): one row per
 * cause, as HAProxy's check_statuses[] names its check results. The short
 * names are what `vigilctl status` shows and counts by; doc/vigilctl.8
 * lists the same rows.
 */
#include "check/result.h"

const struct check_cause_info check_causes[CHECK_CAUSE__COUNT] = {
	[CHECK_NONE] = { CHECK_NONE, "none", "no result yet" },
	[CHECK_OK] = { CHECK_OK, "ok", "the check passed" },
	[CHECK_CONNECT_REFUSED] = { CHECK_CONNECT_REFUSED, "refused",
				    "connection refused: a TCP reset, or an ICMP port "
				    "unreachable for UDP and DNS" },
	[CHECK_CONNECT_TIMEOUT] = { CHECK_CONNECT_TIMEOUT, "connect_timeout",
				    "no connection within connect_timeout" },
	[CHECK_NET_UNREACHABLE] = { CHECK_NET_UNREACHABLE, "net_unreachable",
				    "no route to the target, or an ICMP net unreachable" },
	[CHECK_HOST_UNREACHABLE] = { CHECK_HOST_UNREACHABLE, "host_unreachable",
				     "the target host is unreachable (ICMP host unreachable)" },
	[CHECK_CONNECT_ERROR] = { CHECK_CONNECT_ERROR, "connect_error",
				  "the connection failed for another reason (named in the "
				  "reason)" },
	[CHECK_SOCKET] = { CHECK_SOCKET, "socket",
			   "the local socket could not be set up (socket, fwmark, bind_if, "
			   "bindto, bind_port, the ICMP socket)" },
	[CHECK_TIMEOUT] = { CHECK_TIMEOUT, "timeout",
			    "connected or sent, but the exchange did not finish in time" },
	[CHECK_IO_ERROR] = { CHECK_IO_ERROR, "io_error",
			     "sending or receiving failed (reset, broken pipe, ...)" },
	[CHECK_CLOSED] = { CHECK_CLOSED, "closed",
			   "the server closed the connection before the exchange was "
			   "complete" },
	[CHECK_BAD_RESPONSE] = { CHECK_BAD_RESPONSE, "bad_response",
				 "the answer breaks its protocol (a malformed HTTP response or "
				 "SMTP reply, DNS datagrams that are not our answer)" },
	[CHECK_RESPONSE_TOO_LARGE] = { CHECK_RESPONSE_TOO_LARGE, "too_large",
				       "the answer exceeds a size limit (headers, a line, the "
				       "body, an SMTP reply)" },
	[CHECK_NO_REPLY] = { CHECK_NO_REPLY, "no_reply",
			     "no (valid) reply in time: DNS, UDP with require_reply, PING" },
	[CHECK_TLS_HANDSHAKE] = { CHECK_TLS_HANDSHAKE, "tls_handshake",
				  "the TLS handshake failed (certificate included)" },
	[CHECK_TLS] = { CHECK_TLS, "tls", "a TLS error outside the handshake" },
	[CHECK_HTTP_STATUS] = { CHECK_HTTP_STATUS, "http_status",
				"the HTTP status code is not one of status_code" },
	[CHECK_HTTP_DIGEST] = { CHECK_HTTP_DIGEST, "http_digest",
				"the body's digest is not the url's digest" },
	[CHECK_HTTP_REGEX] = { CHECK_HTTP_REGEX, "http_regex",
			       "the body fails the url's regex (or a regex limit)" },
	[CHECK_SMTP_REPLY] = { CHECK_SMTP_REPLY, "smtp_reply",
			       "the SMTP server's reply code is not the expected one" },
	[CHECK_DNS_RCODE] = { CHECK_DNS_RCODE, "dns_rcode",
			      "the DNS server answered with an error RCODE" },
	[CHECK_UDP_REPLY] = { CHECK_UDP_REPLY, "udp_reply",
			      "the UDP reply's length or bytes are not what require_reply "
			      "wants" },
	[CHECK_FILE_VALUE] = { CHECK_FILE_VALUE, "file_value",
			       "FILE_CHECK: the file's value says down" },
	[CHECK_SCRIPT_EXIT] = { CHECK_SCRIPT_EXIT, "script_exit",
				"MISC_CHECK: the script exited with a failing status" },
	[CHECK_SCRIPT_SIGNAL] = { CHECK_SCRIPT_SIGNAL, "script_signal",
				  "MISC_CHECK: the script was killed by a signal" },
	[CHECK_SCRIPT_TIMEOUT] = { CHECK_SCRIPT_TIMEOUT, "script_timeout",
				   "MISC_CHECK: the script was killed at misc_timeout" },
	[CHECK_HUNG] = { CHECK_HUNG, "hung",
			 "the attempt did not end and the checker's watchdog ended it" },
	[CHECK_CONFIG] = { CHECK_CONFIG, "config",
			   "the check cannot run as configured (no url, an undefined "
			   "track_file, a bad HELO name or DNS name, a regex or TLS file "
			   "that does not load)" },
	[CHECK_INTERNAL] = { CHECK_INTERNAL, "internal",
			     "out of memory or another failure inside vigil" },
};
