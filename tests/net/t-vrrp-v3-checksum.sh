#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# v3_checksum_as_v2 (keepalived 2.2.8): VRRPv3 over IPv4, advert_int 0.1.
# A) vigild r1 (150) and vigild r2 (100), both with v3_checksum_as_v2: r1
#    is master, r2 backup, for 2 s without a transition; every advert of r1
#    on the wire has a checksum that is right without the IPv4
#    pseudo-header and wrong with it; r2 counted no dropped advert.
# B) r2 again without it (global_defs of r1 only; r2 the RFC 5798
#    checksum): r2 drops r1's adverts as checksum drops and becomes master
#    too, and its adverts carry the pseudo-header checksum, which r1 (with
#    the option) takes: r1 stays master.
# C) keepalived 2.2.7 (which has no such option) in r2's place: it cannot
#    hear r1 either and becomes master: the two do not interoperate.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=vrrp-lib.sh
. "$(dirname "$0")/vrrp-lib.sh"
need tcpdump
[[ -x $KEEPALIVED ]] || fail "needs keepalived ($KEEPALIVED)"

VIP=198.18.0.100

# csum_kinds CAP SRC: one word per VRRPv3 IPv4 advert from SRC in capture
# CAP: as_v2 (right only without the pseudo-header), rfc (right only with
# it) or bad.
csum_kinds() {
	python3 - "$T/$1.pcap" "$2" <<'PY'
import socket, struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

data = open(sys.argv[1], "rb").read()
want = socket.inet_aton(sys.argv[2])
magic = struct.unpack("<I", data[:4])[0]
end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
off = 24
while off + 16 <= len(data):
    _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if len(pkt) < 34 or pkt[12:14] != b"\x08\x00":
        continue
    ip = pkt[14:]
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    if ip[9] != 112 or ip[12:16] != want:
        continue
    v = ip[ihl:tot]
    if v[0] >> 4 != 3:
        continue
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 112, len(v))
    plain, full = csum(v) == 0xffff, csum(pseudo + v) == 0xffff
    print("as_v2" if plain and not full else "rfc" if full and not plain else "bad")
PY
}

# only_kind CAP SRC KIND: at least 10 adverts from SRC, all of KIND.
only_kind() {
	local kinds
	kinds=$(csum_kinds "$1" "$2" | sort | uniq -c)
	log "$1: adverts from $2 by checksum: ${kinds//$'\n'/,}"
	[[ $kinds =~ ^\ *([0-9]+)\ $3$ ]] || fail "$1: adverts from $2 are not all '$3': $kinds"
	((BASH_REMATCH[1] >= 10)) || fail "$1: only ${BASH_REMATCH[1]} adverts from $2"
}

checksum_drops() {
	vigild_drops "$1" | awk -F= '$1 ~ /checksum/ { n += $2 } END { print n + 0 }'
}

vrrp_lan
vrrp_simple_conf "$T/r1.conf" r1 vigild 51 150 3 0.1 "$VIP/32" v3_checksum_as_v2
{
	vrrp_global r2 vigild v3_checksum_as_v2
	vrrp_instance_conf r2 vigild VI_1 51 100 3 0.1 "$VIP/32"
} >"$T/r2.conf"

# A) both with the option
d_start r1 r1 "$T/r1.conf" vigild
d_start r2 r2 "$T/r2.conf" vigild
wait_state 5 r1 MASTER
wait_state 5 r2 BACKUP
wait_vip 2 r1 "$VIP"
hold_steady a 2 r1 r2
expect_state r2 BACKUP
expect_no_vip r2 "$VIP"
only_kind a 198.18.0.1 as_v2
expect_eq "" "$(vigild_drops r2)" "A: drops counted by r2"
log "A: both with v3_checksum_as_v2: one master, checksums without the pseudo-header"

# B) r2 without the option
d_term r2
vrrp_simple_conf "$T/r2b.conf" r2b vigild 51 100 3 0.1 "$VIP/32"
cap_start b c1
d_start r2b r2 "$T/r2b.conf" vigild
wait_state 5 r2b MASTER
wait_until 5 "r2b counts checksum drops" test "$(checksum_drops r2b)" -gt 5
sleep 1
cap_stop b
expect_state r1 MASTER
expect_eq 1 "$(count_to r1 MASTER)" "B: r1 entered MASTER once"
only_kind b 198.18.0.1 as_v2
only_kind b 198.18.0.2 rfc
grep -q 'checksum' "${VLOG[r2b]}" || fail "B: r2b logged nothing about the checksum"
log "B: r2 without it drops r1's adverts ($(checksum_drops r2b) checksum drops), r1 takes r2's"
d_term r2b

# C) keepalived 2.2.7 in r2's place
vrrp_simple_conf "$T/k2.conf" k2 keepalived 51 100 3 0.1 "$VIP/32"
d_start k2 r2 "$T/k2.conf" keepalived
wait_state 5 k2 MASTER
sleep 1
expect_state k2 MASTER
expect_state r1 MASTER
expect_eq 1 "$(count_to r1 MASTER)" "C: r1 entered MASTER once"
log "C: keepalived 2.2.7 cannot hear an instance with v3_checksum_as_v2 (both MASTER)"
log "PASS"
