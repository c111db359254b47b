# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for tests/bench/vrrp-bench.sh: config generation, capture
analysis, statistics and the final table. Standard library only.

Subcommands:
  genconf NODE INSTANCES LINKS OUT      write a keepalived.conf for d1 or d2
  takeover PCAP MONITOR COUNT CUT_TIME  one takeover measurement -> JSON line
  procstat PID...                       cpu ticks and VmRSS of PIDs and descendants
  report RESULTS.jsonl [--json OUT]     figures and the final table
"""

import datetime
import json
import os
import re
import statistics
import struct
import sys
import time

# ------------------------------------------------------------------ config

PRIO = {"d1": 150, "d2": 100}
STATE = {"d1": os.environ.get("BENCH_D1_STATE", "MASTER"), "d2": "BACKUP"}


def vip_of(link, idx):
    """VIP of the idx-th (0-based) instance on link `link`: 198.19.LINK.IDX+1."""
    return "198.19.%d.%d" % (link, idx + 1)


def genconf(node, instances, links, out):
    """Same text shape for both daemons; only router_id, state and priority
    differ between d1 and d2."""
    instances = int(instances)
    links = int(links)
    per_link = (instances + links - 1) // links
    if per_link > 255:
        sys.exit("genconf: %d instances on %d links is more than 255 VRIDs per link"
                 % (instances, links))
    lines = [
        "global_defs {",
        "\trouter_id bench-%s" % node,
        "}",
        "",
    ]
    for i in range(instances):
        link, idx = divmod(i, per_link)
        lines += [
            "vrrp_instance VI_%d {" % (i + 1),
            "\tstate %s" % STATE[node],
            "\tinterface eth%d" % link,
            "\tversion 3",
            "\tvirtual_router_id %d" % (idx + 1),
            "\tpriority %d" % PRIO[node],
            "\tadvert_int 0.1",
            "\tvirtual_ipaddress {",
            "\t\t%s/32" % vip_of(link, idx),
            "\t}",
            "}",
            "",
        ]
    with open(out, "w") as f:
        f.write("\n".join(lines))


# ------------------------------------------------------------------ pcap

LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276


def pcap_vrrp(path):
    """Yield (time, src_ip, direction, vrid, prio) for each IPv4 VRRP packet.
    direction: 'in' or 'out' (SLL/SLL2 packet type 4 is outgoing)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    else:
        magic = struct.unpack(">I", data[:4])[0]
        endian = ">"
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        raise ValueError("%s: not a pcap file" % path)
    frac = 1e-9 if magic == 0xA1B23C4D else 1e-6
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    off = 24
    hdr = struct.Struct(endian + "IIII")
    while off + 16 <= len(data):
        sec, sub, incl, _orig = hdr.unpack_from(data, off)
        off += 16
        pkt = data[off:off + incl]
        off += incl
        if len(pkt) < incl:
            break
        direction = "in"
        if linktype == LINKTYPE_LINUX_SLL2:
            if len(pkt) < 20:
                continue
            proto = struct.unpack(">H", pkt[0:2])[0]
            if pkt[10] == 4:
                direction = "out"
            ip = pkt[20:]
        elif linktype == LINKTYPE_LINUX_SLL:
            if len(pkt) < 16:
                continue
            if struct.unpack(">H", pkt[0:2])[0] == 4:
                direction = "out"
            proto = struct.unpack(">H", pkt[14:16])[0]
            ip = pkt[16:]
        elif linktype == LINKTYPE_ETHERNET:
            if len(pkt) < 14:
                continue
            proto = struct.unpack(">H", pkt[12:14])[0]
            ip = pkt[14:]
        else:
            raise ValueError("%s: link type %d not handled" % (path, linktype))
        if proto != 0x0800 or len(ip) < 20 or ip[9] != 112:
            continue
        ihl = (ip[0] & 0x0F) * 4
        vr = ip[ihl:]
        if len(vr) < 4:
            continue
        src = "%d.%d.%d.%d" % tuple(ip[12:16])
        yield (sec + sub * frac, src, direction, vr[1], vr[2])


# ------------------------------------------------------------------ takeover

MON_RE = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)\]\s+(Deleted\s+)?"
                    r"\d+:\s+\S+\s+inet\s+(198\.19\.\d+\.\d+)/32")


def monitor_adds(path):
    """(time, vip) for each VIP address added, from `ip -ts monitor address`."""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = MON_RE.match(line)
            if not m or m.group(2):
                continue
            t = datetime.datetime.fromisoformat(m.group(1)).timestamp()
            out.append((t, m.group(3)))
    return out


def takeover(pcap, monitor, count, cut_time):
    """The takeover time of one cut, in ms:
      t0   = the last VRRP advert from d1 (source 198.18.K.1) captured on d2,
      tend = the time the COUNT-th distinct VIP was added on d2.
    Also: first advert sent by d2 after t0 (the state change on the wire)."""
    count = int(count)
    cut_time = float(cut_time)
    pkts = list(pcap_vrrp(pcap))
    d1 = [p for p in pkts if p[1].startswith("198.18.") and p[1].endswith(".1")]
    res = {"count": count, "cut": cut_time, "d1_adverts": len(d1)}
    if not d1:
        res["error"] = "no advert from d1 captured before the cut"
        return res
    # d1's adverts cannot reach d2 while the cut lasts, and the capture is
    # stopped before the link is restored; still, only adverts before the
    # first VIP appears after the cut (or within 0.2 s of it) are taken.
    adds = [t for t, _ in monitor_adds(monitor) if t >= cut_time]
    limit = min(adds) if adds else cut_time + 0.2
    d1 = [p for p in d1 if p[0] < limit]
    if not d1:
        res["error"] = "no advert from d1 captured before the cut"
        return res
    t0 = max(p[0] for p in d1)
    res["t0"] = t0
    res["t0_before_cut_ms"] = round((cut_time - t0) * 1e3, 3)
    d2out = [p[0] for p in pkts if p[1].startswith("198.18.") and p[1].endswith(".2")
             and p[0] > t0]
    if d2out:
        res["first_d2_advert_ms"] = round((min(d2out) - t0) * 1e3, 3)
    # Cross-check from kernel timestamps: when had every instance (source
    # link, VRID) sent its first advert from d2?
    first = {}
    for t, src, _dir, vrid, _prio in pkts:
        if t > t0 and src.startswith("198.18.") and src.endswith(".2"):
            first.setdefault((src, vrid), t)
    res["d2_instances_advertising"] = len(first)
    if len(first) >= count:
        res["all_d2_adverts_ms"] = round((sorted(first.values())[count - 1] - t0) * 1e3, 3)
    seen = {}
    for t, vip in monitor_adds(monitor):
        if t >= t0 - 0.001 and vip not in seen:
            seen[vip] = t
    res["vips_added"] = len(seen)
    if len(seen) < count:
        res["error"] = "only %d of %d VIPs appeared on d2" % (len(seen), count)
        return res
    times = sorted(seen.values())
    res["first_vip_ms"] = round((times[0] - t0) * 1e3, 3)
    res["ms"] = round((times[count - 1] - t0) * 1e3, 3)
    return res


# ------------------------------------------------------------------ /proc

def descendants(pid):
    out = [pid]
    i = 0
    while i < len(out):
        p = out[i]
        i += 1
        try:
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    out += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def procstat(pids):
    """Total utime+stime ticks, VmRSS kB and voluntary context switches (the
    times a thread went to sleep: wake-ups) over PIDS and their descendants."""
    ticks = 0
    uticks = 0
    wakeups = 0
    rss = 0
    procs = []
    now = time.time()
    for pid in pids:
        for p in descendants(int(pid)):
            if p in procs:
                continue
            try:
                with open("/proc/%d/stat" % p) as f:
                    st = f.read()
                with open("/proc/%d/status" % p) as f:
                    status = f.read()
            except OSError:
                continue
            fields = st[st.rindex(")") + 2:].split()
            # fields[0] is field 3 (state): utime is field 14, stime 15.
            ticks += int(fields[11]) + int(fields[12])
            uticks += int(fields[11])
            m = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.M)
            if m:
                rss += int(m.group(1))
            try:
                tids = os.listdir("/proc/%d/task" % p)
            except OSError:
                tids = []
            for tid in tids:
                try:
                    with open("/proc/%d/task/%s/status" % (p, tid)) as f:
                        m = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", f.read(), re.M)
                except OSError:
                    continue
                if m:
                    wakeups += int(m.group(1))
            procs.append(p)
    return {"ticks": ticks, "uticks": uticks, "hz": os.sysconf("SC_CLK_TCK"), "rss_kb": rss,
            "wakeups": wakeups, "pids": procs, "t": now}


# ------------------------------------------------------------------ report

FIGURES = [
    ("takeover-1", "takeover-1 (ms)", "theory+1 (%.1f+1)"),
    ("takeover-1000", "takeover-%d (ms)", "theory+100 (%.1f+100)"),
    ("startup-spurious", "startup spurious MASTER", "0"),
    ("startup-spurious-backup", "  same, d1 state BACKUP", "0"),
    ("steady-cpu", "steady CPU master/backup %", "1/4 of keepalived"),
    ("steady-cpu-napi", "  same, receivers in NAPI threads", "1/4 of keepalived"),
    ("memory", "RSS %d instances (MB)", "< keepalived"),
]
DAEMONS = ["keepalived", "vigild"]
COLNAME = {"keepalived": "keepalived 2.2.7", "vigild": "vigil"}


def theory_ms(adv_ms=100.0, prio=100):
    """RFC 5798 6.1: Master_Down_Interval = 3 * Advertisement_Interval +
    Skew_time, Skew_time = ((256 - priority) * Advertisement_Interval) / 256."""
    return 3 * adv_ms + (256 - prio) * adv_ms / 256


def spread(vals):
    vals = sorted(vals)
    return statistics.median(vals), vals[0], vals[-1]


def cell(daemon, fig, recs):
    """The table text for one figure, and a detail line."""
    r = [x for x in recs if x.get("daemon") == daemon and x.get("figure") == fig]
    if not r:
        return "-", None
    errs = [x["error"] for x in r if "error" in x]
    if fig in ("takeover-1", "takeover-1000"):
        ms = [x["ms"] for x in r if "ms" in x]
        if not ms:
            return "n/a", "; ".join(errs[:2])
        med, lo, hi = spread(ms)
        det = "median %.1f ms, min %.1f, max %.1f, n=%d" % (med, lo, hi, len(ms))
        fa = [x["first_d2_advert_ms"] for x in r if "first_d2_advert_ms" in x]
        if fa:
            det += "; first d2 advert median %.1f ms" % statistics.median(fa)
        aa = [x["all_d2_adverts_ms"] for x in r if "all_d2_adverts_ms" in x]
        if aa and fig == "takeover-1000":
            det += "; all instances advertising from d2 median %.1f ms" % statistics.median(aa)
        drops = sum(x.get("tcpdump_drops", 0) for x in r)
        if drops:
            det += "; tcpdump dropped %d packets (t0 may be early)" % drops
        if errs:
            det += "; %d failed: %s" % (len(errs), errs[0])
        return "%.1f" % med, det
    x = r[-1]
    if "error" in x:
        return "n/a", x["error"]
    if fig.startswith("startup-spurious"):
        ok = [y for y in r if "masters" in y]
        if not ok:
            return "n/a", "; ".join(errs[:2])
        med = statistics.median([y["masters"] for y in ok])
        runs = ", ".join("%d (%d until %s after %.1f s)" % (
            y["masters"], y.get("masters_settled", -1),
            "settled" if y.get("settled") else "NOT settled", y.get("settle_s", -1)) for y in ok)
        # With few start-ups a median hides an all-or-nothing race: show each.
        txt = ",".join("%d" % y["masters"] for y in ok) if len(ok) <= 3 else "%g" % med
        return txt, "d1 state %s, MASTER transitions on d2 in the first %.0f s, " \
            "median %g of %d start-ups: %s" % (ok[0].get("d1_state", "?"), ok[0]["window_s"],
                                               med, len(ok), runs)
    if fig in ("steady-cpu", "steady-cpu-napi"):
        split = ""
        if "master_user_pct" in x:
            # The kernel's share (sys) is mostly the packets' path through
            # veth and the bridge, the same for any daemon; user is ours.
            split = "; user %.2f / %.2f, sys %.2f / %.2f" % (
                x["master_user_pct"], x["backup_user_pct"],
                x["master_pct"] - x["master_user_pct"], x["backup_pct"] - x["backup_user_pct"])
        if "master_wakeups_s" in x:
            split += "; wake-ups/s %.0f / %.0f" % (x["master_wakeups_s"], x["backup_wakeups_s"])
        return "%.1f / %.1f" % (x["master_pct"], x["backup_pct"]), \
            "over %.0f s; master pids %s, backup pids %s%s" % (x["seconds"], x["master_pids"],
                                                                x["backup_pids"], split)
    if fig == "memory":
        return "%.1f / %.1f" % (x["master_mb"], x["backup_mb"]), \
            "VmRSS master %d kB, backup %d kB" % (x["master_kb"], x["backup_kb"])
    return "?", None


def report(path, json_out=None):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                recs.append(json.loads(line))
    meta = next((x for x in recs if x.get("figure") == "meta"), {})
    n = meta.get("instances", 1000)
    th = theory_ms()
    print()
    print("details:")
    for key, _, _ in FIGURES:
        for d in DAEMONS:
            txt, det = cell(d, key, recs)
            if det:
                print("  %-17s %-10s %s" % (key, d, det))
    # The one-line summaries the brief asks for.
    print()
    for key in ("takeover-1", "takeover-1000"):
        parts = []
        for d in DAEMONS:
            txt, _ = cell(d, key, recs)
            if txt != "-":
                parts.append("%s %s ms" % ("vigil" if d == "vigild" else d, txt))
        if parts:
            print("%-14s %s  theory %.1f ms" % (key, "  ".join(parts), th))
    print()
    print("%-27s %-18s %-10s %s" % ("figure", "keepalived 2.2.7", "vigil", "target"))
    table = []
    for key, label, target in FIGURES:
        if "%d" in label:
            label = label % n
        if "%.1f" in target:
            target = target % th
        row = [cell(d, key, recs)[0] for d in DAEMONS]
        if key == "memory":
            label = label.replace("(MB)", "(MB) m/b")
        table.append({"figure": key, "keepalived": row[0], "vigil": row[1], "target": target})
        print("%-27s %-18s %-10s %s" % (label, row[0], row[1], target))
    print()
    print("memory and CPU columns are master / backup (d1 / d2).")
    if json_out:
        with open(json_out, "w") as f:
            json.dump({"meta": meta, "records": recs, "table": table}, f, indent=1)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "genconf" and len(argv) == 6:
        genconf(*argv[2:6])
    elif cmd == "takeover" and len(argv) == 6:
        print(json.dumps(takeover(*argv[2:6])))
    elif cmd == "procstat" and len(argv) >= 3:
        print(json.dumps(procstat(argv[2:])))
    elif cmd == "theory":
        print("%.1f" % theory_ms())
    elif cmd == "report" and len(argv) in (3, 5):
        report(argv[2], argv[4] if len(argv) == 5 and argv[3] == "--json" else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
