#!/usr/bin/env python3
"""Compare two lab cases of the same scenario, times aside.

    casecompare.py EXPECTED_DIR ACTUAL_DIR

EXPECTED_DIR is normally the committed samples/<scenario>/, ACTUAL_DIR a fresh
run of the same scenario (samples/lab/verify.sh). Both must hold lan.pcap,
wan.pcap, kernel-events.txt, kernel-expect-events.txt, router.nft and
case.properties (for the router's addresses and the LAN network).

What must agree (each is a section of the output):

- packets: frame counts per capture, by kind (SIP, RTP, ICMP, ...);
- forwarding: how many LAN packets were found on the WAN and WAN packets on
  the LAN (matched by IP ID, as tools/casecheck.py does), and the frames
  without a counterpart (by protocol, addresses, SIP message; not by frame
  number or time);
- NAT mappings: protocol, LAN source, WAN source after NAT, destination and
  packet count of every mapping;
- SIP: every SIP message on the LAN in order, its direction, whether it has a
  WAN counterpart, its sizes on both sides (counted with NAT-chosen ports
  renamed, see below) and the lines the router changed;
- RTP: every stream (addresses, SSRC, payload type, packet count, sequence
  numbers, sizes) on each side;
- conntrack: the multiset of kernel-events.txt events (NEW/UPDATE/DESTROY,
  protocol, state, both tuples, flags such as [UNREPLIED]/[ASSURED], helper,
  packet counters), ignoring the timestamp, id=, delta-time=, portid= and progname= (the
  netlink port and name of the conntrack -D process, for [USERSPACE] events: the name is
  printed only when the process has not exited yet, a race) and bytes= (byte
  counts follow the SIP sizes, compared above); timeouts may differ by 1 s;
  then, per flow (original tuple), the order of its events;
- expectations: the multiset of kernel-expect-events.txt events (NEW/DESTROY,
  tuple, mask, master, flags, class, helper), ignoring timestamps and the
  remaining-timeout value;
- ruleset: router.nft line by line.

router.sysctl differences are printed as notes only (limits such as
nf_conntrack_max depend on the machine's memory). Ports that NAT chose itself
(the reply tuple's destination port differs from the original source port)
are renamed <nat-port-1>, <nat-port-2>, ... in order of first appearance in
each case, so that random port allocation compares equal as long as the
structure is the same.

Prints what was compared and a unified diff for every section that differs;
exits 0 when everything agrees, 1 otherwise, 2 on bad input. Standard library
only.
"""
import difflib
import ipaddress
import os
import re
import sys
from collections import Counter, OrderedDict

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import casecheck  # noqa: E402

PROTO = {17: "udp", 6: "tcp", 1: "icmp"}
TS_RE = re.compile(r"^\[(\d+)\.(\d+)\s*\]\s*\[(\w+)\]\s*(.*)$")
PORT_RE = re.compile(r"(:|\b[sdr]port=)(\d+)\b")


def read_props(path):
    props = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                props[k.strip()] = v.strip()
    return props


class Case:
    def __init__(self, d):
        self.dir = d
        for name in ("lan.pcap", "wan.pcap", "kernel-events.txt", "kernel-expect-events.txt", "case.properties"):
            if not os.path.isfile(os.path.join(d, name)):
                raise SystemExit("casecompare: %s has no %s" % (d, name))
        p = read_props(os.path.join(d, "case.properties"))
        self.lan_net = ipaddress.ip_network(p.get("router.lan.network", "192.168.1.0/24"))
        self.router_lan = p.get("router.lan.address", "192.168.1.1")
        self.router_wan = ",".join(v for k, v in sorted(p.items()) if k.startswith("router.wan.address")) or "203.0.113.2"
        self.wan_addrs = self.router_wan.split(",")
        self.ct_lines = self._lines("kernel-events.txt")
        self.ex_lines = self._lines("kernel-expect-events.txt")
        self.nat_ports = self._nat_ports()

    def _lines(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return [l.rstrip("\n") for l in f if l.strip()]

    def _nat_ports(self):
        """Ports NAT chose (reply dport to the router != original sport), in order of appearance."""
        ports = OrderedDict()
        for line in self.ct_lines:
            vals = {}
            for k, v in re.findall(r"\b(src|dst|sport|dport)=(\S+)", line):
                vals.setdefault(k, []).append(v)
            if len(vals.get("dst", [])) > 1 and len(vals.get("sport", [])) > 1 and len(vals.get("dport", [])) > 1:
                if vals["dst"][1] in self.wan_addrs and vals["dport"][1] != vals["sport"][0]:
                    ports.setdefault(vals["dport"][1], "<nat-port-%d>" % (len(ports) + 1))
        return ports

    def canon(self, text):
        if not self.nat_ports:
            return text
        return PORT_RE.sub(lambda m: m.group(1) + self.nat_ports.get(m.group(2), m.group(2)), text)


# ------------------------------------------------------------ packet side --
def packet_sections(c):
    lan = casecheck.read_pcap(os.path.join(c.dir, "lan.pcap"))
    wan = casecheck.read_pcap(os.path.join(c.dir, "wan.pcap"))
    outbound, inbound = casecheck.correlate(lan, wan, c.lan_net, c.router_wan, c.router_lan)
    s = OrderedDict()

    def kind(f):
        return casecheck.sip_label(f) if f.kind == "sip" else f.kind

    def desc(f):
        proto = PROTO.get(f.proto, str(f.proto))
        src = f.endpoint("src") if f.sport is not None else str(f.src)
        dst = f.endpoint("dst") if f.dport is not None else str(f.dst)
        return c.canon("%s %s -> %s %s" % (proto, src, dst, kind(f)))

    s["packets"] = ["%s: %d frames, %s" % (name, len(fr), ", ".join(
        "%s %d" % kv for kv in sorted(Counter(f.kind for f in fr).items())))
        for name, fr in (("lan.pcap", lan), ("wan.pcap", wan))]

    fw = ["outbound (LAN -> WAN): %d of %d LAN packets found on the WAN" % (sum(1 for _, x in outbound if x), len(outbound)),
          "inbound (WAN -> LAN): %d of %d WAN packets to the router found on the LAN" % (
              sum(1 for _, x in inbound if x), len(inbound))]
    for name, fr in (("LAN", lan), ("WAN", wan)):
        cnt = Counter(desc(f) for f in fr if f.matched is None)
        fw += ["%s frame without counterpart: %s (x%d)" % (name, d, n) for d, n in sorted(cnt.items())]
    s["forwarding"] = fw

    maps = OrderedDict()
    for l, x in outbound:
        if x:
            key = (PROTO.get(l.proto, str(l.proto)), l.endpoint("src"), x.endpoint("src"), l.endpoint("dst"))
            maps[key] = maps.get(key, 0) + 1
    s["NAT mappings"] = [c.canon("%s %s -> %s (to %s): %d packets" % (k + (n,))) for k, n in maps.items()]

    def size(f):
        # a message that carries a port NAT chose (rport=, received, Contact) is as long as that
        # port's decimal form: count it with the port renamed, so that random ports compare equal
        return len(c.canon(f.payload.decode("latin-1")))

    sip = []
    for f in lan:
        if f.kind != "sip":
            continue
        x = f.matched
        direction = "out" if casecheck.in_net(f.src, c.lan_net) else "in"
        line = "%s %s %s -> %s, LAN %d bytes" % (direction, kind(f), f.endpoint("src"), f.endpoint("dst"), size(f))
        if x is None:
            sip.append(c.canon(line + ", no WAN counterpart"))
            continue
        line += ", WAN %d bytes (%s -> %s)" % (size(x), x.endpoint("src"), x.endpoint("dst"))
        a = f.payload.decode("latin-1").splitlines()
        b = x.payload.decode("latin-1").splitlines()
        if direction == "in":
            a, b = b, a
        changes = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag != "equal":
                changes.append("%s => %s" % (" / ".join(a[i1:i2]) or "-", " / ".join(b[j1:j2]) or "-"))
        sip.append(c.canon(line + (", changed: " + " | ".join(changes) if changes else ", unchanged")))
    for f in wan:  # WAN-only SIP (requests to the router that were not forwarded, leaks, ...)
        if f.kind == "sip" and f.matched is None:
            sip.append(c.canon("WAN only: %s %s -> %s, %d bytes" % (kind(f), f.endpoint("src"), f.endpoint("dst"), size(f))))
    s["SIP"] = sip

    rtp = []
    for name, fr in (("lan", lan), ("wan", wan)):
        for (src, sp, dst, dp, ssrc), st in casecheck.rtp_streams(fr).items():
            rtp.append(c.canon("%s %s:%d -> %s:%d ssrc 0x%08x pt %d: %d packets, seq %d-%d, sizes %s" % (
                name, src, sp, dst, dp, ssrc, st["pt"], st["n"], st["first_seq"], st["last_seq"],
                ",".join(str(k) for k in sorted(st["sizes"])))))
    s["RTP"] = rtp
    return s


# ------------------------------------------------------------- event logs --
def ct_event(c, line):
    """(key, timeout, flow) of a conntrack -E line; key has no time, id, delta-time or timeout."""
    m = TS_RE.match(line)
    if not m:
        return None
    typ, toks = m.group(3), m.group(4).split()
    timeout = None
    out = []
    for i, t in enumerate(toks):
        # portid= and progname= describe the userspace process (conntrack -D) behind a [USERSPACE] event:
        # conntrack-tools prints progname= only when that process still exists when the event is read
        # (it looks the name up under /proc by the netlink port id), a race with the process's exit
        if t.startswith(("id=", "delta-time=", "bytes=", "portid=", "progname=")):
            continue
        # "ipv4 2 udp 17 3600 ..." : the token after the protocol number is the timeout (DESTROY has none)
        if timeout is None and i >= 2 and t.isdigit() and toks[i - 1].isdigit() and not toks[i - 2].isdigit() \
                and toks[i - 2] not in ("ipv4", "ipv6"):
            timeout = int(t)
            out.append("T")
            continue
        out.append(t)
    key = c.canon("[%s] %s" % (typ, " ".join(out)))
    vals = re.findall(r"\b(src|dst|sport|dport)=(\S+)", m.group(4))
    first = dict()
    for k, v in vals:
        first.setdefault(k, v)
    proto = next((t for t in toks if t in ("udp", "tcp", "icmp", "gre", "sctp", "udplite", "dccp")), "?")
    flow = c.canon("%s %s:%s -> %s:%s" % (proto, first.get("src"), first.get("sport", "-"), first.get("dst"), first.get("dport", "-")))
    return key, timeout, flow


def conntrack_section(e, a):
    """Multiset of events (timeouts within 1 s), then the per-flow order."""
    def parse(c):
        evs = [ct_event(c, l) for l in c.ct_lines]
        return [x for x in evs if x]
    ee, ae = parse(e), parse(a)
    diffs = []
    groups_e, groups_a = {}, {}
    for k, t, _ in ee:
        groups_e.setdefault(k, []).append(t)
    for k, t, _ in ae:
        groups_a.setdefault(k, []).append(t)
    for k in sorted(set(groups_e) | set(groups_a)):
        te = sorted(x for x in groups_e.get(k, []) if x is not None) + [None] * sum(1 for x in groups_e.get(k, []) if x is None)
        ta = sorted(x for x in groups_a.get(k, []) if x is not None) + [None] * sum(1 for x in groups_a.get(k, []) if x is None)
        for i in range(max(len(te), len(ta))):
            x = te[i] if i < len(te) else "missing"
            y = ta[i] if i < len(ta) else "missing"
            if x == "missing" or y == "missing" or (x is None) != (y is None) or (x is not None and abs(x - y) > 1):
                show = lambda t: k if t is None else k.replace(" T ", " %s " % t, 1)
                if x != "missing":
                    diffs.append("-" + show(x))
                if y != "missing":
                    diffs.append("+" + show(y))
    if not diffs:
        # same events: the order of each flow's events must agree too
        def seqs(evs):
            d = OrderedDict()
            for k, _, f in evs:
                d.setdefault(f, []).append(k)
            return d
        se, sa = seqs(ee), seqs(ae)
        for f in se:
            if se[f] != sa.get(f):
                diffs.append("order of the events of flow %s differs:" % f)
                diffs += ["  " + l for l in difflib.unified_diff(se[f], sa.get(f, []), "committed", "this run", lineterm="", n=9)]
    summary = "%d events (%s)" % (len(ee), ", ".join("%s %d" % kv for kv in sorted(Counter(k.split("]")[0][1:] for k, _, _ in ee).items())))
    return summary, diffs


def expect_key(c, line):
    m = TS_RE.match(line)
    if not m:
        return None
    toks = m.group(4).split()
    if toks and re.fullmatch(r"-?\d+", toks[0]):
        toks = toks[1:]  # remaining timeout
    return c.canon("[%s] %s" % (m.group(3), " ".join(t for t in toks if not t.startswith("id="))))


def multiset_diff(el, al):
    ce, ca = Counter(el), Counter(al)
    diffs = []
    for k in sorted(set(ce) | set(ca)):
        if ce[k] > ca[k]:
            diffs += ["-" + k] * (ce[k] - ca[k])
        elif ca[k] > ce[k]:
            diffs += ["+" + k] * (ca[k] - ce[k])
    return diffs


def sysctl_notes(e, a):
    def read(d):
        try:
            with open(os.path.join(d, "router.sysctl")) as f:
                return dict(l.strip().split(" = ", 1) for l in f if " = " in l)
        except FileNotFoundError:
            return {}
    se, sa = read(e.dir), read(a.dir)
    return ["%s: committed %s, this run %s" % (k, se.get(k, "(absent)"), sa.get(k, "(absent)"))
            for k in sorted(set(se) | set(sa)) if se.get(k) != sa.get(k) and not k.endswith("nf_conntrack_count")]


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    e, a = Case(argv[1]), Case(argv[2])
    failed = []

    def report(name, summary, diffs, kind="unified"):
        if not diffs:
            print("  same    %-14s %s" % (name, summary))
            return
        failed.append(name)
        print("  DIFFERS %-14s %s" % (name, summary))
        for d in diffs:
            print("      " + d)

    print("comparing %s (committed, '-') with %s (this run, '+'), times aside:" % (e.dir, a.dir))
    pe, pa = packet_sections(e), packet_sections(a)
    for name in pe:
        diffs = list(difflib.unified_diff(pe[name], pa[name], "committed", "this run", lineterm="", n=2))
        summary = {"packets": " / ".join(pe[name]),
                   "forwarding": "; ".join(pe[name][:2]) + ("; %d sorts of frames without counterpart" % (len(pe[name]) - 2) if len(pe[name]) > 2 else ""),
                   }.get(name, "%d %s" % (len(pe[name]), "lines"))
        if name == "NAT mappings":
            summary = "%d mappings: %s" % (len(pe[name]), "; ".join(pe[name][:4]) + (" ..." if len(pe[name]) > 4 else ""))
        elif name == "SIP":
            summary = "%d SIP messages (direction, counterpart, sizes, lines the helper changed)" % len(pe[name])
        elif name == "RTP":
            summary = "%d streams (both captures)" % len(pe[name])
        report(name, summary, diffs[2:] if diffs else diffs)

    summary, diffs = conntrack_section(e, a)
    report("conntrack", "kernel-events.txt: " + summary, diffs)

    ek = [k for k in (expect_key(e, l) for l in e.ex_lines) if k]
    ak = [k for k in (expect_key(a, l) for l in a.ex_lines) if k]
    report("expectations", "kernel-expect-events.txt: %d events (%s)" % (
        len(ek), ", ".join("%s %d" % kv for kv in sorted(Counter(k.split("]")[0][1:] for k in ek).items())) or "none"),
        multiset_diff(ek, ak))

    def nft(c):
        try:
            with open(os.path.join(c.dir, "router.nft")) as f:
                return [l.rstrip() for l in f if l.strip()]
        except FileNotFoundError:
            return ["(no router.nft)"]
    ne, na = nft(e), nft(a)
    report("ruleset", "router.nft: %d lines" % len(ne), list(difflib.unified_diff(ne, na, "committed", "this run", lineterm="", n=2))[2:])

    notes = sysctl_notes(e, a)
    print("  note    %-14s %s" % ("sysctl", "router.sysctl: " + ("same" if not notes else "%d values differ (not a failure):" % len(notes))))
    for n in notes:
        print("      " + n)
    if e.nat_ports or a.nat_ports:
        print("  note    %-14s committed %s; this run %s" % (
            "NAT ports", ", ".join("%s=%s" % (v, k) for k, v in e.nat_ports.items()) or "none",
            ", ".join("%s=%s" % (v, k) for k, v in a.nat_ports.items()) or "none"))
    if failed:
        print("DISAGREE: %s ('-' = only in the committed sample, '+' = only in this run)" % ", ".join(failed))
        return 1
    print("AGREE: the run reproduces the committed sample (times aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
