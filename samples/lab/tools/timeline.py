#!/usr/bin/env python3
"""Write a lab case's timeline in plain words (Markdown), times relative to
the first frame of lan.pcap.

    timeline.py CASE_DIR

Reads CASE_DIR/lan.pcap, wan.pcap, kernel-events.txt, kernel-expect-events.txt
and case.properties (router.lan.network, router.lan.address,
router.wan.address[.new], provider.address). Prints a "## Timeline" section:
SIP messages (with retransmissions, whether the router forwarded them, the NAT
mapping they got and the lines the SIP helper rewrote), RTP streams, other
packets (TCP handshakes, keep-alives, ICMP, ARP), conntrack entries (created,
updated, destroyed, their NAT mapping) and the helper's expectations (created,
used, replaced, removed), in time order, then what was left at the end of the
capture. Packets without a counterpart on the other side are marked as not
forwarded, with the router's ICMP answer where there was one.

Used by lab.sh when it writes a case README; standard library only.
"""
import difflib
import ipaddress
import os
import re
import sys
from collections import OrderedDict

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import casecheck  # noqa: E402

PROTO = {17: "udp", 6: "tcp", 1: "icmp"}
ICMP = {(3, 0): "net unreachable", (3, 1): "host unreachable", (3, 3): "port unreachable",
        (3, 4): "fragmentation needed", (3, 13): "administratively prohibited", (11, 0): "TTL exceeded",
        (8, 0): "echo request", (0, 0): "echo reply"}
TS_RE = re.compile(r"^\[(\d+)\.(\d+)\s*\]\s*\[(\w+)\]\s*(.*)$")
ADDR_RE = re.compile(r"\d+\.\d+\.\d+\.\d+(?::\d+)?")


def read_props(path):
    props = {}
    if os.path.isfile(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    k, v = line.split("=", 1)
                    props[k.strip()] = v.strip()
    return props


def fmt_list(xs, limit=12):
    xs = [str(x) for x in xs]
    return " ".join(xs) if len(xs) <= limit else " ".join(xs[:limit]) + " …"


def times(ts, t0, limit=8):
    """" ×N (t=a, b, c)" or " ×N (t=a to b)" for a repeated packet or event; "" for one."""
    if len(ts) == 1:
        return ""
    if len(ts) <= limit:
        return " ×%d (t=%s)" % (len(ts), ", ".join("%.3f" % (t - t0) for t in ts))
    return " ×%d (t=%.3f to %.3f)" % (len(ts), ts[0] - t0, ts[-1] - t0)


class Timeline:
    def __init__(self, d):
        self.dir = d
        p = read_props(os.path.join(d, "case.properties"))
        self.lan_net = ipaddress.ip_network(p.get("router.lan.network", "192.168.1.0/24"))
        self.router_lan = p.get("router.lan.address", "192.168.1.1")
        self.router_wan = [v for k, v in sorted(p.items()) if k.startswith("router.wan.address")] or ["203.0.113.2"]
        self.provider = p.get("provider.address", "203.0.113.5")
        self.lan = casecheck.read_pcap(os.path.join(d, "lan.pcap"))
        self.wan = casecheck.read_pcap(os.path.join(d, "wan.pcap"))
        self.t0 = self.lan[0].ts if self.lan else (self.wan[0].ts if self.wan else 0.0)
        self.outbound, self.inbound = casecheck.correlate(self.lan, self.wan, self.lan_net, ",".join(self.router_wan),
                                                          self.router_lan)
        self.items = []   # (time, order, text)
        self.entries = OrderedDict()   # entry number -> dict
        self.by_tuple = {}             # original tuple -> live entry number
        self.ct = self._events("kernel-events.txt")
        self.ex = self._events("kernel-expect-events.txt")

    # ------------------------------------------------------------ helpers --
    def role(self, addr):
        if addr is None:
            return ""
        a = addr.split(":")[0]
        if a in self.router_wan or a == self.router_lan:
            return "router "
        if a == self.provider:
            return "provider "
        if casecheck.in_net(a, self.lan_net):
            return "phone "
        return ""

    def ep(self, addr):
        return "%s%s" % (self.role(addr), addr)

    def _events(self, name):
        out = []
        path = os.path.join(self.dir, name)
        if not os.path.isfile(path):
            return out
        with open(path) as f:
            for line in f:
                m = TS_RE.match(line.strip())
                if not m:
                    continue
                vals = {}
                for k, v in re.findall(r"([\w-]+)=(\S+)", m.group(4)):
                    vals.setdefault(k, []).append(v)
                out.append({"ts": int(m.group(1)) + int(m.group(2)) / 1e6, "type": m.group(3),
                            "toks": m.group(4).split(), "vals": vals})
        return out

    def add(self, ts, text, order=0):
        self.items.append((ts, order, text))

    # ------------------------------------------------------------ packets --
    def describe(self, f):
        if f.kind == "sip":
            return casecheck.sip_label(f)
        if f.kind == "icmp" and f.icmp:
            return "ICMP %s" % ICMP.get(f.icmp[:2], "type %d code %d" % f.icmp[:2])
        if f.proto == 6:
            fl = f.tcpflags or 0
            names = [n for bit, n in ((0x02, "SYN"), (0x01, "FIN"), (0x04, "RST"), (0x10, "ACK")) if fl & bit]
            return "TCP %s%s" % ("-".join(names) or "segment", " with data" if f.payload else "")
        return {"keepalive": "CRLF keep-alive", "rtcp": "RTCP", "arp": "ARP", "ipv6": "IPv6",
                "udp": "UDP datagram", "rtp": "RTP"}.get(f.kind, f.kind)

    def addrs(self, f):
        if f.sport is not None:
            return f.endpoint("src"), f.endpoint("dst")
        return f.src, f.dst

    def icmp_answer(self, f, side_frames):
        """The router's ICMP error quoting frame f, if any (within 1 s)."""
        for g in side_frames:
            if g.kind == "icmp" and g.icmp and g.icmp[2] and 0 <= g.ts - f.ts < 1.0:
                q = g.icmp[2]
                if q[0] == f.src and q[1] == f.dst and q[3] == f.sport and q[4] == f.dport:
                    return g
        return None

    def why_dropped(self, frames, side_frames, side):
        """What the captures and the log show about packets the router did not forward."""
        icmp = [g for g in (self.icmp_answer(f, side_frames) for f in frames) if g is not None]
        out = ""
        if icmp:
            out += "; the router answered %s (%s frame%s %s)" % (
                self.describe(icmp[0]), side, "s" if len(icmp) > 1 else "", fmt_list(g.no for g in icmp))
        f = frames[0]
        logged = any(abs(e["ts"] - g.ts) < 0.05 and e["vals"].get("src", [None])[0] == g.src
                     and e["vals"].get("sport", [None])[0] == str(g.sport) for e in self.ct for g in frames)
        if not logged and self.ct is not None:
            out += "; no conntrack event for %s" % ("it" if len(frames) == 1 else "any of them")
        return out

    @staticmethod
    def rewrites(a_lines, b_lines):
        """(header names, address changes) between two SIP texts."""
        names, pairs = [], []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            for i in range(i1, i2):
                line = a_lines[i]
                if i == 0:
                    n = "start line"
                elif re.match(r"^[a-z]=", line):
                    n = "SDP " + line[:2]
                else:
                    n = line.split(":", 1)[0].strip()
                if n and n not in names:
                    names.append(n)
            if tag == "replace" and i2 - i1 == j2 - j1:
                for x, y in zip(a_lines[i1:i2], b_lines[j1:j2]):
                    for u, v in zip(ADDR_RE.findall(x), ADDR_RE.findall(y)):
                        if u != v and (u, v) not in pairs:
                            pairs.append((u, v))
        return names, pairs

    def packet_items(self):
        t0 = self.t0
        # a packet the router routed back out of its LAN interface (a fallback route via the LAN) is in
        # lan.pcap twice, with the same IP ID: the second one is the copy leaving lan0
        copies, hairpin, last = set(), {}, {}
        for f in self.lan:
            if f.l3 != "ipv4":
                continue
            k = (f.ipid, f.proto, f.src, f.dst, f.sport, f.dport)
            prev = last.get(k)
            if prev is not None and f.ts - prev.ts < 0.05 and prev.no not in hairpin and prev.no not in copies:
                copies.add(f.no)
                hairpin[prev.no] = f
            last[k] = f
        groups = OrderedDict()  # key -> list of (first-side frame, other-side frame or None)
        fwd_in_lan = set()
        for l, w in self.outbound:
            if l.no in copies:
                continue
            status = None if l.kind == "rtp" else ("wan", w.src, w.sport) if w else ("hairpin",) if l.no in hairpin else ("none",)
            groups.setdefault(("out", l.kind, self.describe(l), self.addrs(l), l.payload if l.kind == "sip" else b"", status),
                              []).append((l, w))
        for w, l in self.inbound:
            status = None if w.kind == "rtp" else ("lan",) if l else ("none",)
            groups.setdefault(("in", w.kind, self.describe(w), self.addrs(w), w.payload if w.kind == "sip" else b"", status),
                              []).append((w, l))
            if l is not None:
                fwd_in_lan.add(l.no)
        seen_lan = {l.no for l, _ in self.outbound} | fwd_in_lan
        seen_wan = {w.no for w, _ in self.inbound} | {w.no for _, w in self.outbound if w is not None}
        for side, frames, seen in (("lan", self.lan, seen_lan), ("wan", self.wan, seen_wan)):
            for f in frames:
                if f.no not in seen:
                    desc = self.describe(f)
                    if f.kind == "arp" and f.arp:
                        desc = "ARP %s" % ({1: "request who-has %s tell %s" % (f.arp[2], f.arp[1]),
                                            2: "reply %s is-at" % f.arp[1]}.get(f.arp[0], "op %d" % f.arp[0]))
                    groups.setdefault((side, f.kind, desc, self.addrs(f), b"", None), []).append((f, None))
        self.hairpin = hairpin

        frames_of = {"lan": self.lan, "wan": self.wan}
        rtp = [(k, v) for k, v in groups.items() if k[1] == "rtp"]
        for key, pairs in groups.items():
            if key[1] == "rtp":
                continue
            direction, kind, label, (src, dst), _, status = key
            first = pairs[0][0]
            other = next((p[1] for p in pairs if p[1] is not None), None)
            ts = [p[0].ts for p in pairs]
            n, nf = len(pairs), sum(1 for p in pairs if p[1] is not None)
            count = times(ts, t0)
            if direction == "out":
                text = "%s %s → %s%s, LAN frame%s %s" % (label, self.ep(src), self.ep(dst), count, "s" if n > 1 else "",
                                                         fmt_list(p[0].no for p in pairs))
                if nf == 0 and status == ("hairpin",):
                    text += ": **routed back out of the LAN**, not to the WAN (the copies leaving %s: LAN frame%s %s)" % (
                        "the LAN interface", "s" if n > 1 else "", fmt_list(self.hairpin[p[0].no].no for p in pairs))
                elif nf == 0:
                    text += ": **not forwarded**, no WAN counterpart%s" % self.why_dropped([p[0] for p in pairs], self.lan, "LAN")
                else:
                    wsrc, wdst = self.addrs(other)
                    if wsrc == src:
                        text += ": on the WAN **with its private source unchanged**"
                    else:
                        text += ": on the WAN as %s → %s" % (wsrc, wdst)
                    text += ", WAN frame%s %s" % ("s" if nf > 1 else "", fmt_list(p[1].no for p in pairs if p[1]))
                    if nf < n:
                        text += "; %d of %d **not forwarded**" % (n - nf, n)
                    if kind == "sip":
                        text += self.sip_changes(first, other, "out")
            elif direction == "in":
                text = "%s %s → %s%s, WAN frame%s %s" % (label, self.ep(src), self.ep(dst), count, "s" if n > 1 else "",
                                                         fmt_list(p[0].no for p in pairs))
                if nf == 0:
                    text += ": **not forwarded to the LAN**, no LAN counterpart%s" % self.why_dropped([p[0] for p in pairs], self.wan, "WAN")
                else:
                    lsrc, ldst = self.addrs(other)
                    text += ": forwarded to %s (LAN frame%s %s)" % (
                        self.ep(ldst), "s" if nf > 1 else "", fmt_list(p[1].no for p in pairs if p[1]))
                    if nf < n:
                        text += "; %d of %d **not forwarded**" % (n - nf, n)
                    if kind == "sip":
                        text += self.sip_changes(other, first, "in")
            else:
                where = "LAN" if direction == "lan" else "WAN"
                if src and src.split(":")[0] in self.router_wan + [self.router_lan]:
                    note = "the router's own packet"
                elif direction == "wan" and dst and dst.split(":")[0] not in self.router_wan and not casecheck.in_net(src.split(":")[0], self.lan_net):
                    note = "not addressed to the router"
                else:
                    note = "%s only" % where
                what = "%s %s → %s" % (label, self.ep(src), self.ep(dst)) if src else label
                if kind == "arp":
                    note = "WAN only" if direction == "wan" else "LAN only"
                    if first.arp and first.arp[0] == 1 and not any(
                            g.kind == "arp" and g.arp and g.arp[0] == 2 and g.arp[1] == first.arp[2] for g in frames_of[direction]):
                        note += ", never answered"
                if kind == "icmp" and first.icmp and first.icmp[2]:
                    q = first.icmp[2]
                    what += " (about %s %s → %s)" % (PROTO.get(q[2], q[2]), "%s:%s" % (q[0], q[3]) if q[3] is not None else q[0],
                                                    "%s:%s" % (q[1], q[4]) if q[4] is not None else q[1])
                text = "%s%s, %s frame%s %s: %s" % (what, count, where, "s" if n > 1 else "",
                                                     fmt_list(p[0].no for p in pairs), note)
            self.add(first.ts, text)

        for key, pairs in rtp:
            direction, _, _, (src, dst), _, _ = key
            first, last = pairs[0][0], pairs[-1][0]
            n, nf = len(pairs), sum(1 for p in pairs if p[1] is not None)
            other = next((p[1] for p in pairs if p[1] is not None), None)
            text = "RTP %s → %s: %d packets until t=%.3f" % (self.ep(src), self.ep(dst), n, last.ts - t0)
            if direction == "out":
                if other is None:
                    text += ", **none on the WAN**"
                else:
                    text += ", %s on the WAN as %s → %s" % ("all" if nf == n else "%d" % nf, *self.addrs(other))
            elif direction == "in":
                if other is None:
                    text += ", **none forwarded to the LAN**"
                else:
                    text += ", %s forwarded to %s" % ("all" if nf == n else "%d" % nf, self.ep(self.addrs(other)[1]))
            else:
                text += " (%s only)" % direction.upper()
            self.add(first.ts, text)

    def sip_changes(self, lan_frame, wan_frame, direction):
        a = lan_frame.payload.decode("latin-1").splitlines()
        b = wan_frame.payload.decode("latin-1").splitlines()
        if direction == "in":
            a, b = b, a
        names, pairs = self.rewrites(a, b)
        if not names:
            return "; SIP text unchanged"
        s = "; the helper rewrote %s" % ", ".join(names)
        if pairs:
            s += " (%s)" % ", ".join("%s → %s" % p for p in pairs)
        return s

    # ---------------------------------------------------------- conntrack --
    @staticmethod
    def ct_parts(ev):
        toks, v = ev["toks"], ev["vals"]
        proto = next((t for t in toks if t in ("udp", "tcp", "icmp", "gre", "sctp", "udplite", "dccp")), "?")
        i = toks.index(proto) if proto in toks else 0
        timeout = toks[i + 2] if len(toks) > i + 2 and toks[i + 2].isdigit() else None
        state = next((t for t in toks if re.fullmatch(r"[A-Z_]{4,}", t)), None)
        g = lambda k, n: v.get(k, [None] * (n + 1))[n] if len(v.get(k, [])) > n else None
        orig = (proto, g("src", 0), g("sport", 0), g("dst", 0), g("dport", 0))
        reply = (g("src", 1), g("sport", 1), g("dst", 1), g("dport", 1))
        flags = [t for t in toks if t.startswith("[") and t != "[" + ev["type"] + "]"]
        helper = g("helper", 0)
        return orig, reply, timeout, state, flags, helper

    @staticmethod
    def tup(orig):
        proto, s, sp, d, dp = orig
        return "%s %s → %s" % (proto, "%s:%s" % (s, sp) if sp else s, "%s:%s" % (d, dp) if dp else d)

    def nat_words(self, orig, reply):
        proto, s, sp, d, dp = orig
        rs, rsp, rd, rdp = reply
        if rd == s and rdp == sp and rs == d and rsp == dp:
            if d in self.router_wan or d == self.router_lan:
                return "to the router itself, no NAT"
            if casecheck.in_net(s, self.lan_net) and not casecheck.in_net(d, self.lan_net):
                return "**no NAT** (null binding: replies would go to the private %s)" % s
            return "no NAT"
        out = []
        if rd != s or rdp != sp:
            out.append("NAT mapping %s → %s%s" % ("%s:%s" % (s, sp) if sp else s, "%s:%s" % (rd, rdp) if rdp else rd,
                                                   ", port kept" if rdp == sp else ", **new port**" if sp else ""))
        if rs != d or rsp != dp:
            out.append("destination NAT to %s" % ("%s:%s" % (rs, rsp) if rsp else rs))
        return ", ".join(out)

    def ct_item(self, ev):
        orig, reply, timeout, state, flags, helper = self.ct_parts(ev)
        key = orig
        typ = ev["type"]
        if typ == "NEW":
            no = len(self.entries) + 1
            self.entries[no] = {"orig": orig, "reply": reply, "timeout": timeout, "state": state, "flags": flags,
                                "helper": helper, "alive": True, "new": ev["ts"], "gone": None}
            self.by_tuple[key] = no
            bits = [self.nat_words(orig, reply)]
            if state:
                bits.append(state)
            if helper:
                bits.append("helper %s" % helper)
            if timeout:
                bits.append("timeout %s s" % timeout)
            bits += [f.strip("[]").lower() for f in flags]
            text = "conntrack **NEW** entry #%d %s: %s" % (no, self.tup(orig), ", ".join(bits))
        else:
            no = self.by_tuple.get(key)
            if no is None:  # entry older than the log
                no = len(self.entries) + 1
                self.entries[no] = {"orig": orig, "reply": reply, "timeout": None, "state": None, "flags": [],
                                    "helper": helper, "alive": True, "new": None, "gone": None}
                self.by_tuple[key] = no
            e = self.entries[no]
            if typ == "DESTROY":
                e["alive"] = False
                e["gone"] = ev["ts"]
                self.by_tuple.pop(key, None)
                life = ev["vals"].get("delta-time", [None])[0]
                pk = ev["vals"].get("packets", [])
                text = "conntrack **DESTROY** entry #%d %s%s%s" % (
                    no, self.tup(orig), ", after %s s" % life if life else "",
                    " (packets: %s out, %s back)" % (pk[0], pk[1]) if len(pk) > 1 else "")
            else:
                ch = []
                if "[UNREPLIED]" in e["flags"] and "[UNREPLIED]" not in flags:
                    ch.append("reply seen")
                for f in flags:
                    if f not in e["flags"]:
                        ch.append(f.strip("[]").lower() if f != "[ASSURED]" else "**assured**")
                if state and state != e["state"]:
                    ch.append("%s → %s" % (e["state"] or "?", state))
                if timeout and timeout != e["timeout"]:
                    ch.append("timeout %s s" % timeout)
                if reply != e["reply"]:
                    ch.append("reply tuple now %s" % self.nat_words(orig, reply))
                e.update(reply=reply, state=state or e["state"], flags=flags, timeout=timeout or e["timeout"])
                text = "conntrack UPDATE entry #%d: %s" % (no, ", ".join(ch) or "no visible change")
        self.add(ev["ts"], text, 1)

    # -------------------------------------------------------- expectations --
    def ex_parts(self, ev):
        v = ev["vals"]
        toks = ev["toks"]
        g = lambda k, n=0: v.get(k, [None] * (n + 1))[n] if len(v.get(k, [])) > n else None
        proto = PROTO.get(int(g("proto") or 0), g("proto"))
        flags = [t for t in toks if re.fullmatch(r"[A-Z][A-Z,_-]+", t)]
        return {"proto": proto, "src": g("src"), "sport": g("sport"), "dst": g("dst"), "dport": g("dport"),
                "master": (proto if False else None, g("master-src"), g("sport", 2), g("master-dst"), g("dport", 2)),
                "class": g("class"), "helper": g("helper"), "flags": flags}

    def master_no(self, x, ts):
        """The conntrack entry with the master tuple that was alive at ts (an expectation's NEW can be
        logged just before its master's NEW: the helper runs before the entry is confirmed)."""
        _, s, sp, d, dp = x["master"]
        best = None
        for no, e in self.entries.items():
            o = e["orig"]
            if (o[1], o[2], o[3], o[4]) != (s, sp, d, dp):
                continue
            if (e["new"] is None or e["new"] <= ts + 0.01) and (e["gone"] is None or e["gone"] >= ts - 0.002):
                best = no
        return best

    def sip_near(self, x, ts):
        """The SIP message of the master flow that made the helper act at ts: a BYE or CANCEL in the
        last 10 ms, else the latest message of that flow before ts."""
        _, s, sp, d, dp = x["master"]
        near = sorted((f for f in self.lan + self.wan if f.kind == "sip" and ts - 0.01 <= f.ts <= ts + 0.002 and
                       ((f.src, str(f.sport), f.dst, str(f.dport)) == (s, sp, d, dp) or (f.src, str(f.sport)) == (d, dp))),
                      key=lambda f: f.ts)
        for f in near:
            if (f.sip_first or "").split(" ")[0] in ("BYE", "CANCEL"):
                return f.sip_first.split(" ")[0]
        before = [f for f in near if f.ts <= ts]
        return casecheck.sip_label(before[-1]) if before else None

    def ex_items(self):
        """Expectation events, after the conntrack events are known (reasons)."""
        evs = [(e, self.ex_parts(e)) for e in self.ex]
        ct = [(e, self.ct_parts(e)) for e in self.ct]
        rows = []
        skip = set()
        masters = {}  # expectation identity -> master entry number at its NEW
        for i, (ev, x) in enumerate(evs):
            if i in skip:
                continue
            ident = (x["proto"], x["src"], x["dst"], x["dport"], x["master"], x["class"])
            what = "%s %s → %s:%s" % (x["proto"], x["src"] if x["sport"] in (None, "0") else "%s:%s" % (x["src"], x["sport"]),
                                     x["dst"], x["dport"])
            kind = {"0": "signalling", "1": "media"}.get(x["class"], "class %s" % x["class"])
            if ev["type"] == "NEW" or ident not in masters:
                masters[ident] = self.master_no(x, ev["ts"])
            no = masters[ident]
            master = "entry #%d" % no if no else "%s:%s → %s:%s" % x["master"][1:]
            if ev["type"] == "NEW":
                extra = (", " + ",".join(x["flags"])) if x["flags"] else ""
                rows.append((ev["ts"], "NEW", (x["src"], x["dst"], kind, master, extra), x["dport"],
                             "helper expects %%s (%s, for %s%s)" % (kind, master, extra), what))
                continue
            reason = None
            for ce, (orig, reply, *_r) in ct:
                if ce["type"] == "NEW" and abs(ce["ts"] - ev["ts"]) < 0.005 and orig[1] == x["src"] and orig[3] == x["dst"] \
                        and orig[4] == x["dport"]:
                    reason = "used: it became entry #%s" % self.entry_at(orig, ce["ts"])
                    break
            if reason is None and no and self.entries[no]["gone"] is not None and abs(self.entries[no]["gone"] - ev["ts"]) < 0.005:
                reason = "removed together with its master entry #%d" % no
            if reason is None:
                for j in range(i + 1, len(evs)):
                    e2, x2 = evs[j]
                    if e2["ts"] - ev["ts"] > 0.005:
                        break
                    if e2["type"] == "NEW" and (x2["proto"], x2["src"], x2["dst"], x2["dport"], x2["master"], x2["class"]) == ident:
                        reason = "replaced"
                        skip.add(j)
                        break
            if reason is None:
                label = self.sip_near(x, ev["ts"])
                reason = "removed by the helper on the %s" % label if label else "removed"
            rows.append((ev["ts"], "DESTROY", (x["src"], x["dst"], kind, master, reason), x["dport"],
                         ("helper's expectation %%s (%s, for %s) replaced by a new one" % (kind, master)) if reason == "replaced"
                         else "expectation %%s (%s, for %s) %s" % (kind, master, reason), what))
        # merge RTP/RTCP pairs (same event, same master, ports differing, within 2 ms)
        # and repeated replacements of the same expectation
        merged = []
        for r in rows:
            ts, typ, key, port, fmt, what = r
            if merged:
                m = merged[-1]
                if m["typ"] == typ and m["key"] == key and ts - m["ts"][-1] < 0.002 and port not in m["ports"]:
                    m["ports"].append(port)
                    continue
            rep = next((m for m in merged if typ == "DESTROY" and key[4] == "replaced" and m["key"] == key and m["ports"] == [port]), None)
            if rep:
                rep["ts"].append(ts)
                continue
            merged.append({"ts": [ts], "typ": typ, "key": key, "ports": [port], "fmt": fmt, "what": what})
        for m in merged:
            ports = sorted(m["ports"], key=lambda p: int(p) if p and p.isdigit() else 0)
            what = m["what"].rsplit(":", 1)[0] + ":" + "/".join(ports)
            text = m["fmt"] % what
            if m["typ"] == "NEW":
                text = text.replace("helper expects", "helper **expects**")
            text += times(m["ts"], self.t0)
            self.add(m["ts"][0], text, 2)

    def entry_at(self, orig, ts):
        for no in reversed(self.entries):
            e = self.entries[no]
            if e["orig"] == orig and e["new"] is not None and abs(e["new"] - ts) < 0.01:
                return no
        return "?"

    # -------------------------------------------------------------- output --
    def render(self):
        self.packet_items()
        for ev in self.ct:
            self.ct_item(ev)
        self.ex_items()
        t0 = self.t0
        out = ["## Timeline", "",
               "In plain words, from `lan.pcap`, `wan.pcap`, `kernel-events.txt` and `kernel-expect-events.txt`"
               " (written by `samples/lab/tools/timeline.py`). t = seconds after the first frame of `lan.pcap`"
               " (t0 = %.6f). Event times are when conntrack-tools received the event, just after the packet"
               " that caused it (sometimes after the next packet, too). Frame numbers count from 1 in each"
               " capture; ×N = the same packet N times (retransmissions); entry #N = the Nth conntrack entry"
               " in the log." % t0, ""]
        for ts, _, text in sorted(self.items, key=lambda i: (round(i[0], 6), i[1])):
            out.append("- t=%.3f %s" % (ts - t0, text))
        end = max([f.ts for f in self.lan[-1:] + self.wan[-1:]] + [e["ts"] for e in self.ct + self.ex] or [t0])
        alive = ["#%d %s: %s" % (no, self.tup(e["orig"]), self.nat_words(e["orig"], e["reply"]))
                 for no, e in self.entries.items() if e["alive"]]
        destroyed = [("#%d" % no) for no, e in self.entries.items() if not e["alive"]]
        out.append("")
        out.append("At the end of the recording (t=%.3f): conntrack entries created %d, destroyed %d%s; still alive: %s." % (
            end - t0, sum(1 for e in self.entries.values() if e["new"] is not None), len(destroyed),
            " (%s)" % " ".join(destroyed) if destroyed else "", "; ".join(alive) or "none"))
        if not self.ct:
            out[-1] = "At the end of the recording (t=%.3f): no conntrack events were logged." % (end - t0)
        return "\n".join(out)


def main(argv):
    if len(argv) != 2:
        print("usage: timeline.py CASE_DIR", file=sys.stderr)
        return 2
    print(Timeline(argv[1]).render())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
