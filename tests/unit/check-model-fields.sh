#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every keyword vigild implements (listed by `vigild --list-keywords` without
# "(no effect)", "(unsupported)" or "(obsolete)") stores its value in a model
# field; something outside conf/ (vrrp/ check/ ipvs/ daemon/) must read that
# field, or the keyword is accepted and then ignored: a silent failure.
#
# The field of each keyword comes from the schema tables in conf/kw_*.c (the
# third argument of KW_*(name, Type, field), the second of the CUSTOM and
# SCRIPT shorthands); "read" means the member's name appears after '.' or
# '->' in a source file of those folders. That is a name match, so a member
# name that is common (weight, port) can pass by accident; the list of
# unread fields below shows the check does find ones that nothing reads.
#
# A field read only by conf/ itself is allowed when the allowlist says which
# field it is resolved into ("=> member", then that member must be read) or
# why it needs no reader; an entry for a field that is read after all is an
# error too, so the list cannot go stale.
# Run by `make check`; by hand: srcdir=. tests/unit/check-model-fields.sh [vigild]
set -eu

srcdir=${srcdir:-.}
vigild=${1:-daemon/vigild}
if [ ! -x "$vigild" ]; then
	echo "check-model-fields: $vigild not built" >&2
	exit 99
fi

exec python3 - "$srcdir" "$vigild" <<'EOF'
import glob, os, re, subprocess, sys

src, vigild = sys.argv[1], sys.argv[2]

# keyword -> why nothing outside conf/ reads its field, or "=> member" it is
# resolved into by conf/ (that member is then checked instead).
ALLOW = {
    # Issue 11, other helpers are making these read right now:
    # (none of the VIP use_vmac/no_track, AH, TTL fields is a schema keyword
    # of its own: they are words of a line, parsed by kw_static.c)
    #
    # Global defaults that conf/validate_vrrp.c inherit_globals() copies
    # into every vrrp_instance; the instance's field is what runs.
    "vrrp_garp_master_delay": "=> garp_master_delay",
    "vrrp_garp_master_repeat": "=> garp_master_repeat",
    "vrrp_garp_master_refresh": "=> garp_master_refresh",
    "vrrp_garp_master_refresh_repeat": "=> garp_master_refresh_repeat",
    "vrrp_garp_lower_prio_delay": "=> garp_lower_prio_delay",
    "vrrp_garp_lower_prio_repeat": "=> garp_lower_prio_repeat",
    "vrrp_higher_prio_send_advert": "=> higher_prio_send_advert",
    "vrrp_notify_priority_changes": "=> notify_priority_changes",
    "vrrp_skip_check_adv_addr": "=> skip_check_adv_addr",
    "vrrp_strict": "=> strict_mode",
    # vrrp_min_garp changes the global garp defaults in resolve_global().
    "vrrp_min_garp": "=> garp_master_repeat",
    # validate_vrrp.c moves it into the global lvs_sync_daemon.
    "lvs_sync_daemon_interface": "=> lvs_sync_daemon",
    # validate_vrrp.c applies it at load: without it, the members' weighted
    # tracking is zeroed or dropped there (keepalived 2.2.7's rule), so the
    # runtime only ever sees the result.
    "sync_group_tracking_weight": "conf/validate_vrrp.c drops or zeroes members' weights by it",
    # Top-level keywords with no effect (conf/noeffect.c); inside global_defs
    # they are refused (TOP_ONLY in conf/kw_global.c, as keepalived does not
    # read them there) and only dumped. --list-keywords names them once per
    # block without saying so.
    "namespace_with_ipsets": "no effect at the top level (vigil always uses its ipsets inside the namespace), refused in global_defs",
    "child_wait_time": "no effect at the top level, refused in global_defs",
    # Only decides whether an instance without addresses loads (keepalived
    # 2.2.8); the runtime sends what virtual_ipaddress holds, none then.
    "no_virtual_ipaddress": "conf/validate_vrrp.c check_no_vips() decides by it",
    # The lexer acts on it while it reads the includes that follow.
    "include_check": "conf/lexer_include.c acts on it while reading",
}

kw_lines = subprocess.run([vigild, "--list-keywords"], capture_output=True, text=True,
                          check=True).stdout.splitlines()
active = {l.split()[1] for l in kw_lines if len(l.split()) == 2}

members = {}
plain = re.compile(r'\b(?:KW_[A-Z_]+|KWF|DUMP)\(\s*"([^"]+)",\s*(?:struct\s+)?[A-Za-z_][A-Za-z0-9_]*\s*,'
                   r'\s*([a-z_][a-z0-9_.]*)\s*[,)]')
short = re.compile(r'\b(?:CUSTOM|SCRIPT)\(\s*"([^"]+)",\s*([a-z_][a-z0-9_.]*)\s*[,)]')
for f in glob.glob(os.path.join(src, "conf", "kw_*.c")):
    text = open(f).read()
    for rx in (plain, short):
        for m in rx.finditer(text):
            members.setdefault(m.group(1), set()).add(m.group(2))

code = ""
for d in ("vrrp", "check", "ipvs", "daemon"):
    for f in sorted(glob.glob(os.path.join(src, d, "*.[ch]"))):
        code += open(f).read()

def is_read(member):
    last = member.split(".")[-1]
    return re.search(r"(\.|->)" + re.escape(last) + r"\b", code) is not None

bad, checked, stale = [], 0, []
for k in sorted(active):
    for mem in sorted(members.get(k, ())):
        checked += 1
        if is_read(mem):
            if k in ALLOW and not ALLOW[k].startswith("=>"):
                stale.append(k)
            continue
        why = ALLOW.get(k)
        if why is None:
            bad.append("%s (field %s)" % (k, mem))
        elif why.startswith("=>") and not is_read(why[2:].strip()):
            bad.append("%s (field %s, resolved into %s, which nothing reads either)"
                       % (k, mem, why[2:].strip()))
for k in ALLOW:
    if k not in active:
        stale.append(k)

no_field = sorted(k for k in active if k not in members)
if checked < 150:
    print("check-model-fields: only %d keyword fields found in conf/kw_*.c; the table "
          "pattern no longer matches" % checked)
    sys.exit(1)
rc = 0
if bad:
    print("check-model-fields: %d implemented keywords store a field nothing outside conf/ "
          "reads (implement them, mark them 'no effect', or explain in the allowlist):"
          % len(bad))
    for b in bad:
        print("  " + b)
    rc = 1
if stale:
    print("check-model-fields: allowlist entries that are not needed: " + ", ".join(sorted(set(stale))))
    rc = 1
print("check-model-fields: %d fields of %d implemented keywords checked; %d allowed "
      "(resolved by conf/); %d keywords without a table field (custom sub-parsers): %s"
      % (checked, len(active), len(ALLOW), len(no_field), " ".join(no_field)))
sys.exit(rc)
EOF
