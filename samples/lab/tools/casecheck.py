#!/usr/bin/env python3
"""Summarise and check one lab case: LAN and WAN captures of the router plus
the kernel's conntrack event logs.

Prints a Markdown report (used in the case README) and exits non-zero when a
--require-* check fails. Reads classic pcap files (what tcpdump -w writes;
either byte order, microsecond or nanosecond) with Ethernet, Linux SLL or raw
IPv4 link types. Standard library only.

Correlation: an outbound packet (LAN source, non-LAN destination) seen on the
LAN is matched to the WAN packet with the same IPv4 identification, protocol
and destination; an inbound packet (WAN, to the router's WAN address) to the
LAN packet with the same identification, protocol and source. The router does
not change the IP ID when it forwards, so this works across SIP rewrites.
"""
import argparse
import difflib
import ipaddress
import re
import struct
import sys
from collections import Counter, OrderedDict

SIP_METHODS = ("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK",
               "UPDATE", "INFO", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH")


class Frame:
    __slots__ = ("no", "ts", "l3", "src", "dst", "proto", "ipid", "sport", "dport",
                 "payload", "kind", "sip_first", "matched", "icmp", "tcpflags", "arp")

    def __init__(self, no, ts):
        self.no, self.ts = no, ts
        self.l3 = None
        self.src = self.dst = None
        self.proto = self.ipid = self.sport = self.dport = None
        self.payload = b""
        self.kind = "other"
        self.sip_first = None
        self.matched = None
        self.icmp = None      # ICMP: (type, code, quoted packet (src, dst, proto, sport, dport) or None)
        self.tcpflags = None  # TCP flags byte
        self.arp = None       # ARP: (operation, sender IPv4, target IPv4)

    def endpoint(self, which):
        return "%s:%d" % ((self.src, self.sport) if which == "src" else (self.dst, self.dport))


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit("%s: not a pcap file" % path)
    magic = data[:4]
    table = {b"\xd4\xc3\xb2\xa1": ("<", 1e-6), b"\xa1\xb2\xc3\xd4": (">", 1e-6),
             b"\x4d\x3c\xb2\xa1": ("<", 1e-9), b"\xa1\xb2\x3c\x4d": (">", 1e-9)}
    if magic not in table:
        raise SystemExit("%s: not a classic pcap file (pcapng is not read here)" % path)
    end, unit = table[magic]
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
    frames = []
    off, no = 24, 0
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        raw = data[off:off + incl]
        off += incl
        no += 1
        fr = Frame(no, sec + frac * unit)
        decode(fr, raw, linktype)
        frames.append(fr)
    return frames


def decode(fr, raw, linktype):
    if linktype == 1:  # Ethernet
        etype, pos = struct.unpack("!H", raw[12:14])[0], 14
        while etype in (0x8100, 0x88A8) and len(raw) >= pos + 4:
            etype, pos = struct.unpack("!H", raw[pos + 2:pos + 4])[0], pos + 4
    elif linktype == 113:  # Linux cooked
        etype, pos = struct.unpack("!H", raw[14:16])[0], 16
    elif linktype in (101, 228):  # raw IP / raw IPv4
        etype, pos = 0x0800, 0
    else:
        return
    if etype == 0x0806:
        fr.kind = "arp"
        a = raw[pos:]
        if len(a) >= 28 and a[4:6] == b"\x06\x04":
            fr.arp = (struct.unpack("!H", a[6:8])[0], str(ipaddress.IPv4Address(a[14:18])),
                      str(ipaddress.IPv4Address(a[24:28])))
        return
    if etype == 0x86DD:
        fr.kind = "ipv6"
        return
    if etype != 0x0800 or len(raw) < pos + 20:
        return
    ip = raw[pos:]
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    fr.l3 = "ipv4"
    fr.ipid = struct.unpack("!H", ip[4:6])[0]
    fr.proto = ip[9]
    fr.src = str(ipaddress.IPv4Address(ip[12:16]))
    fr.dst = str(ipaddress.IPv4Address(ip[16:20]))
    l4 = ip[ihl:total]
    if fr.proto == 17 and len(l4) >= 8:
        fr.sport, fr.dport = struct.unpack("!HH", l4[0:4])
        fr.payload = bytes(l4[8:])
    elif fr.proto == 6 and len(l4) >= 20:
        fr.sport, fr.dport = struct.unpack("!HH", l4[0:4])
        fr.tcpflags = l4[13]
        fr.payload = bytes(l4[(l4[12] >> 4) * 4:])
    elif fr.proto == 1:
        fr.kind = "icmp"
        if len(l4) >= 2:
            quoted = None
            q = l4[8:]  # errors quote the offending packet's IP header and 8 bytes
            if l4[0] in (3, 4, 5, 11, 12) and len(q) >= 20 and q[0] >> 4 == 4:
                qihl = (q[0] & 0x0F) * 4
                qports = struct.unpack("!HH", q[qihl:qihl + 4]) if len(q) >= qihl + 4 and q[9] in (6, 17) else (None, None)
                quoted = (str(ipaddress.IPv4Address(q[12:16])), str(ipaddress.IPv4Address(q[16:20])), q[9]) + qports
            fr.icmp = (l4[0], l4[1], quoted)
        return
    else:
        fr.kind = "ipv4-other"
        return
    p = fr.payload
    first = p.split(b"\r\n", 1)[0].split(b"\n", 1)[0]
    if p.startswith(b"SIP/2.0 ") or any(p.startswith(m.encode() + b" ") for m in SIP_METHODS):
        fr.kind = "sip"
        fr.sip_first = first.decode("latin-1")
    elif fr.proto == 17 and len(p) >= 12 and p[0] >> 6 == 2 and not (200 <= p[1] <= 204):
        fr.kind = "rtp"
    elif fr.proto == 17 and len(p) >= 8 and p[0] >> 6 == 2:
        fr.kind = "rtcp"
    elif fr.proto == 17 and p.strip(b"\r\n") == b"":
        fr.kind = "keepalive"
    else:
        fr.kind = "udp" if fr.proto == 17 else "tcp"


def sip_label(fr):
    s = fr.sip_first or ""
    if s.startswith("SIP/2.0 "):
        m = re.search(rb"^CSeq:\s*\d+\s+(\S+)", fr.payload, re.M | re.I)
        return "%s (%s)" % (s[8:], m.group(1).decode() if m else "?")
    return s.split(" ")[0]


def in_net(addr, net):
    return addr is not None and ipaddress.ip_address(addr) in net


def correlate(lan, wan, lan_net, wan_addr, router_lan):
    """Pair LAN and WAN frames of packets the router forwarded."""
    out_idx, in_idx = {}, {}
    for w in wan:
        if w.l3 != "ipv4":
            continue
        out_idx.setdefault((w.ipid, w.proto, w.dst, w.dport), []).append(w)
    for l in lan:
        if l.l3 != "ipv4":
            continue
        in_idx.setdefault((l.ipid, l.proto, l.src, l.sport), []).append(l)
    outbound, inbound = [], []
    for l in lan:
        if l.l3 != "ipv4" or not in_net(l.src, lan_net) or in_net(l.dst, lan_net) or l.dst == router_lan:
            continue
        cands = [w for w in out_idx.get((l.ipid, l.proto, l.dst, l.dport), [])
                 if w.matched is None and abs(w.ts - l.ts) < 2.0 and w.src != l.dst]
        w = cands[0] if cands else None
        if w:
            w.matched, l.matched = l, w
        outbound.append((l, w))
    for w in wan:
        if w.l3 != "ipv4" or w.dst not in wan_addr.split(",") or w.matched is not None:
            continue
        cands = [l for l in in_idx.get((w.ipid, w.proto, w.src, w.sport), [])
                 if l.matched is None and abs(l.ts - w.ts) < 2.0 and in_net(l.dst, lan_net)]
        l = cands[0] if cands else None
        if l:
            w.matched, l.matched = l, w
        inbound.append((w, l))
    return outbound, inbound


def rtp_streams(frames):
    streams = OrderedDict()
    for f in frames:
        if f.kind != "rtp":
            continue
        ssrc = struct.unpack("!I", f.payload[8:12])[0]
        key = (f.src, f.sport, f.dst, f.dport, ssrc)
        seq = struct.unpack("!H", f.payload[2:4])[0]
        s = streams.get(key)
        if s is None:
            s = streams[key] = {"n": 0, "first_seq": seq, "last_seq": seq, "pt": f.payload[1] & 0x7F,
                                "t0": f.ts, "t1": f.ts, "sizes": Counter()}
        s["n"] += 1
        s["last_seq"] = seq
        s["t1"] = f.ts
        s["sizes"][len(f.payload)] += 1
    return streams


CT_RE = re.compile(r"^\[(\d+)\.(\d+)\s*\]\s+\[(\w+)\]\s+(.*)$")


def parse_ct_time(sec, usec):
    # conntrack-tools prints the microseconds without zero padding
    # ("[1795220314.70002 ]" is .070002 s), so the digits are an integer count
    return int(sec) + int(usec) / 1e6


def read_ct_log(path):
    events = []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        m = CT_RE.match(line)
        if not m:
            continue
        ts = parse_ct_time(m.group(1), m.group(2))
        rest = m.group(4)
        fields = re.findall(r"(\w[\w-]*)=(\S+)", rest)
        tokens = rest.split()
        events.append({"ts": ts, "type": m.group(3), "text": rest, "fields": fields, "tokens": tokens})
    return events


def flow_key(ev):
    """Original-direction tuple of a conntrack flow event."""
    f = ev["fields"]
    get = lambda name, nth=0: [v for k, v in f if k == name][nth] if len([v for k, v in f if k == name]) > nth else "?"
    toks = ev["tokens"]
    proto = next((t for t in toks if t in ("udp", "tcp", "icmp", "gre", "sctp")), toks[0] if toks else "?")
    return "%s %s:%s -> %s:%s" % (proto, get("src"), get("sport"), get("dst"), get("dport"))


def flow_reply(ev):
    f = ev["fields"]
    vals = lambda name: [v for k, v in f if k == name]
    src, dst, sport, dport = vals("src"), vals("dst"), vals("sport"), vals("dport")
    if len(src) > 1 and len(sport) > 1:
        return "%s:%s -> %s:%s" % (src[1], sport[1], dst[1], dport[1])
    return "?"


def ct_timeout(ev):
    toks = ev["tokens"]
    # "ipv4 2 udp 17 3600 ..." (extended) or "udp 17 3600 ..."
    for i, t in enumerate(toks[:-2]):
        if t in ("udp", "tcp", "icmp", "gre", "sctp") and toks[i + 2].isdigit():
            return toks[i + 2]
    return ""


def exp_key(ev):
    f = dict()
    vals = {}
    for k, v in ev["fields"]:
        vals.setdefault(k, []).append(v)
    cls = vals.get("class", ["?"])[0]
    return "%s:%s -> %s:%s (class %s, master %s:%s -> %s:%s)" % (
        vals.get("src", ["?"])[0], "any" if vals.get("sport", ["0"])[0] == "0" else vals["sport"][0],
        vals.get("dst", ["?"])[0], vals.get("dport", ["?"])[0], cls,
        vals.get("master-src", ["?"])[0], vals.get("sport", ["?", "?", "?"])[2] if len(vals.get("sport", [])) > 2 else "?",
        vals.get("master-dst", ["?"])[0], vals.get("dport", ["?", "?", "?"])[2] if len(vals.get("dport", [])) > 2 else "?")


def fmt_t(ts, t0):
    return "%.3f" % (ts - t0)


def main():
    ap = argparse.ArgumentParser(description="summarise and check a natrecon lab case")
    ap.add_argument("--lan", required=True)
    ap.add_argument("--wan", required=True)
    ap.add_argument("--lan-net", required=True, help="e.g. 192.168.1.0/24")
    ap.add_argument("--router-lan", required=True)
    ap.add_argument("--router-wan", required=True, help="the router's WAN address (comma list if it changes)")
    ap.add_argument("--conntrack-log")
    ap.add_argument("--expect-log")
    ap.add_argument("--require-sip", default="", help="comma list, e.g. REGISTER,INVITE,100 (INVITE),...; each must be on both sides")
    ap.add_argument("--require-rtp-both-ways", action="store_true", help="RTP in both directions on both sides")
    ap.add_argument("--require-all-forwarded", action="store_true", help="every forwarded packet has its counterpart")
    ap.add_argument("--require-only-ipv4", action="store_true", help="no ARP / IPv6 / other noise in either capture")
    ap.add_argument("--require-port-preserved", action="store_true", help="NAT kept every source port")
    ap.add_argument("--require-no-private-on-wan", action="store_true",
                    help="no LAN address in any WAN packet's IP header or SIP text (Call-ID excepted)")
    ap.add_argument("--require-private-on-wan", action="store_true",
                    help="some WAN SIP frame carries a LAN address outside Call-ID (helper off)")
    ap.add_argument("--require-port-changed", action="store_true", help="NAT changed at least one source port")
    ap.add_argument("--require-ct-new", default="", help="comma list of 'proto:dport' that must have a NEW flow event")
    args = ap.parse_args()

    lan_net = ipaddress.ip_network(args.lan_net)
    lan = read_pcap(args.lan)
    wan = read_pcap(args.wan)
    t0 = min([f.ts for f in lan[:1] + wan[:1]] or [0])
    failures = []
    out = []
    w = out.append

    outbound, inbound = correlate(lan, wan, lan_net, args.router_wan, args.router_lan)

    # ---- captures
    w("### Captures\n")
    w("| capture | frames | IPv4 | SIP | RTP | other | first frame (UTC epoch) | duration (s) |")
    w("|---|---|---|---|---|---|---|---|")
    for name, frames in (("lan.pcap", lan), ("wan.pcap", wan)):
        kinds = Counter(f.kind for f in frames)
        other = sum(n for k, n in kinds.items() if k not in ("sip", "rtp"))
        dur = frames[-1].ts - frames[0].ts if frames else 0
        w("| %s | %d | %d | %d | %d | %d | %.6f | %.3f |" % (
            name, len(frames), sum(1 for f in frames if f.l3 == "ipv4"), kinds["sip"], kinds["rtp"],
            other, frames[0].ts if frames else 0, dur))
        if args.require_only_ipv4 and any(f.l3 != "ipv4" for f in frames):
            failures.append("%s has non-IPv4 frames: %s" % (name, dict(kinds)))
    w("")
    w("Times below are seconds after the first captured frame (t0 = %.6f)." % t0)
    w("")

    # ---- forwarding / NAT
    o_ok = sum(1 for _, x in outbound if x)
    i_ok = sum(1 for _, x in inbound if x)
    w("### Forwarding and NAT mappings\n")
    w("- outbound (LAN -> WAN): %d of %d LAN packets found on the WAN" % (o_ok, len(outbound)))
    w("- inbound (WAN -> LAN): %d of %d WAN packets to %s found on the LAN" % (i_ok, len(inbound), args.router_wan))
    lan_only = [f for f in lan if f.matched is None]
    wan_only = [f for f in wan if f.matched is None]
    w("- frames without a counterpart: LAN %d, WAN %d" % (len(lan_only), len(wan_only)))
    if lan_only or wan_only:
        # evidence for detectors: which frames the router did not pass (or made itself)
        for name, frames in (("LAN", lan_only), ("WAN", wan_only)):
            for f in frames[:40]:
                w("  - %s frame %d (t %s): %s %s -> %s %s" % (
                    name, f.no, fmt_t(f.ts, t0), {17: "udp", 6: "tcp", 1: "icmp"}.get(f.proto, str(f.proto)),
                    f.endpoint("src") if f.sport is not None else f.src,
                    f.endpoint("dst") if f.dport is not None else f.dst,
                    sip_label(f) if f.kind == "sip" else f.kind))
            if len(frames) > 40:
                w("  - ... %d more %s frames" % (len(frames) - 40, name))
    deltas = sorted((x.ts - l.ts) * 1e6 for l, x in outbound if x)
    deltas_in = sorted((l.ts - x.ts) * 1e6 for x, l in inbound if l)
    if deltas:
        w("- router transit time LAN->WAN: median %.0f us, max %.0f us; WAN->LAN: median %.0f us, max %.0f us" % (
            deltas[len(deltas) // 2], deltas[-1],
            deltas_in[len(deltas_in) // 2] if deltas_in else 0, deltas_in[-1] if deltas_in else 0))
    maps = OrderedDict()
    for l, x in outbound:
        if x:
            key = ("udp" if l.proto == 17 else "tcp" if l.proto == 6 else str(l.proto), l.endpoint("src"), x.endpoint("src"), l.endpoint("dst"))
            maps[key] = maps.get(key, 0) + 1
    w("")
    w("| proto | LAN source | WAN source (after NAT) | destination | packets | port kept |")
    w("|---|---|---|---|---|---|")
    for (proto, ls, ws, d), n in maps.items():
        w("| %s | %s | %s | %s | %d | %s |" % (proto, ls, ws, d, n, "yes" if ls.split(":")[1] == ws.split(":")[1] else "no"))
    w("")
    if args.require_port_preserved:
        for (proto, ls, ws, d), n in maps.items():
            if ls.split(":")[1] != ws.split(":")[1]:
                failures.append("source port changed by NAT: %s %s -> %s" % (proto, ls, ws))
    if args.require_no_private_on_wan:
        for f in wan:
            if in_net(f.src, lan_net) or in_net(f.dst, lan_net):
                failures.append("WAN frame %d has a LAN address in its IP header" % f.no)
            elif f.kind == "sip":
                for line in f.payload.decode("latin-1").splitlines():
                    if re.match(r"(Call-ID|i)\s*:", line, re.I):
                        continue
                    for a in re.findall(r"\d+\.\d+\.\d+\.\d+", line):
                        if in_net(a, lan_net):
                            failures.append("WAN frame %d carries LAN address %s: %s" % (f.no, a, line))
    if args.require_port_changed and not any(ls.split(":")[1] != ws.split(":")[1] for (_, ls, ws, _), _n in maps.items()):
        failures.append("NAT kept every source port")
    if args.require_private_on_wan:
        hits = [f.no for f in wan if f.kind == "sip" and any(
            in_net(a, lan_net) for line in f.payload.decode("latin-1").splitlines()
            if not re.match(r"(Call-ID|i)\s*:", line, re.I) for a in re.findall(r"\d+\.\d+\.\d+\.\d+", line))]
        w("- WAN SIP frames carrying a LAN address outside Call-ID: %s" % (", ".join(map(str, hits)) or "none"))
        w("")
        if not hits:
            failures.append("no WAN SIP frame carries a LAN address")
    if args.require_all_forwarded:
        if o_ok != len(outbound) or i_ok != len(inbound):
            failures.append("not every forwarded packet has its counterpart (out %d/%d, in %d/%d)" % (
                o_ok, len(outbound), i_ok, len(inbound)))

    # ---- SIP
    w("### SIP messages and what the router changed\n")
    w("| t (LAN) | LAN frame | WAN frame | direction | message | bytes LAN/WAN | changed lines (LAN -> WAN view) |")
    w("|---|---|---|---|---|---|---|")
    sip_seen = {"lan": Counter(), "wan": Counter()}
    for f in lan:
        if f.kind == "sip":
            sip_seen["lan"][sip_label(f)] += 1
    for f in wan:
        if f.kind == "sip":
            sip_seen["wan"][sip_label(f)] += 1
    for f in lan:
        if f.kind != "sip":
            continue
        x = f.matched
        direction = "out" if in_net(f.src, lan_net) else "in"
        changes = []
        if x is not None:
            a = f.payload.decode("latin-1").splitlines()
            b = x.payload.decode("latin-1").splitlines()
            if direction == "in":
                a, b = b, a  # show WAN view -> LAN view for inbound
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                if tag != "equal":
                    changes.append("`%s` -> `%s`" % (" / ".join(a[i1:i2]) or "-", " / ".join(b[j1:j2]) or "-"))
        w("| %s | %d | %s | %s | %s | %d/%s | %s |" % (
            fmt_t(f.ts, t0), f.no, x.no if x else "-", direction, sip_label(f), len(f.payload),
            len(x.payload) if x else "-", "<br>".join(changes) if changes else ("(none)" if x else "no counterpart")))
    w("")
    w("For inbound messages the change is shown from the WAN view to the LAN view.")
    w("")
    for req in [r.strip() for r in args.require_sip.split(",") if r.strip()]:
        for side in ("lan", "wan"):
            if not any(k == req or k.startswith(req + " ") for k in sip_seen[side]):
                failures.append("SIP %s missing on %s (seen: %s)" % (req, side, dict(sip_seen[side])))

    # ---- RTP
    w("### RTP streams\n")
    w("| capture | source | destination | SSRC | PT | packets | seq first-last | t first-last | RTP bytes |")
    w("|---|---|---|---|---|---|---|---|---|")
    for name, frames in (("lan", lan), ("wan", wan)):
        st = rtp_streams(frames)
        for (src, sp, dst, dp, ssrc), s in st.items():
            w("| %s | %s:%d | %s:%d | 0x%08x | %d | %d | %d-%d | %s-%s | %s |" % (
                name, src, sp, dst, dp, ssrc, s["pt"], s["n"], s["first_seq"], s["last_seq"],
                fmt_t(s["t0"], t0), fmt_t(s["t1"], t0), ",".join(str(k) for k in sorted(s["sizes"]))))
        if args.require_rtp_both_ways:
            outs = [k for k in st if in_net(k[0], lan_net) or k[0] in args.router_wan.split(",")]
            ins = [k for k in st if not (in_net(k[0], lan_net) or k[0] in args.router_wan.split(","))]
            if not outs or not ins:
                failures.append("RTP not in both directions on %s (streams: %d out, %d in)" % (name, len(outs), len(ins)))
    w("")

    # ---- conntrack
    if args.conntrack_log:
        ev = read_ct_log(args.conntrack_log)
        w("### Kernel conntrack events (conntrack -E)\n")
        if ev is None:
            w("(no conntrack event log)\n")
        else:
            cnt = Counter(e["type"] for e in ev)
            w("Events: " + ", ".join("%s %d" % (k, cnt[k]) for k in ("NEW", "UPDATE", "DESTROY") if k in cnt) +
              (" (no DESTROY: the entries outlived the capture)" if "DESTROY" not in cnt else ""))
            w("")
            w("| t | event | timeout | original tuple | reply tuple | flags |")
            w("|---|---|---|---|---|---|")
            for e in ev:
                flags = " ".join(t for t in e["tokens"] if t.startswith("[") or t.startswith("helper="))
                w("| %s | %s | %s | %s | %s | %s |" % (fmt_t(e["ts"], t0), e["type"], ct_timeout(e) or "-",
                                                     flow_key(e), flow_reply(e), flags))
            w("")
            for req in [r.strip() for r in args.require_ct_new.split(",") if r.strip()]:
                proto, port = req.split(":")
                if not any(e["type"] == "NEW" and flow_key(e).startswith(proto + " ") and
                           flow_key(e).endswith(":" + port) for e in ev):
                    failures.append("no conntrack NEW event for %s" % req)
    if args.expect_log:
        ev = read_ct_log(args.expect_log)
        w("### Kernel expectation events (conntrack -E expect)\n")
        if ev is None:
            w("(no expectation event log)\n")
        else:
            cnt = Counter(e["type"] for e in ev)
            w("Events: " + ", ".join("%s %d" % (k, v) for k, v in sorted(cnt.items())))
            w("")
            w("| t | event | timeout | expected | flags |")
            w("|---|---|---|---|---|")
            for e in ev:
                flags = " ".join(t for t in e["tokens"] if t.isupper() or t.startswith("helper="))
                w("| %s | %s | %s | %s | %s |" % (fmt_t(e["ts"], t0), e["type"], e["tokens"][0] if e["tokens"] else "",
                                               exp_key(e), flags))
            w("")

    if failures:
        w("### CHECKS FAILED\n")
        for f in failures:
            w("- " + f)
    print("\n".join(out))
    for f in failures:
        print("casecheck: FAILED: " + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
