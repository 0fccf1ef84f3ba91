#!/usr/bin/env python3
"""What the router's two captures show about one RTP stream's loss and delay.

For the RTP stream with the given SSRC: the packets on the capture where it
enters the router (--ingress lan|wan) and where it leaves it, matched by IPv4
identification (the router does not change it; see casecheck.py), and

- before the router: sequence numbers missing on the ingress capture
  (expected = last - first + 1, RFC 3550 A.3, without wrap: the lab's streams
  are short);
- at the router: ingress packets with no egress copy; the delay of the
  others (egress time - ingress time: mean, min, max);
- after the router: not visible here (the far end's own log says what arrived).

Prints one `key=value` line per fact; with --require-* checks exits 1 when one
fails (the lab scenario's checks), 0 otherwise. Standard library only.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from casecheck import read_pcap  # noqa: E402


def rtp_frames(frames, ssrc):
    out = []
    for fr in frames:
        p = fr.payload
        if fr.kind == "rtp" and int.from_bytes(p[8:12], "big") == ssrc:
            out.append(fr)
    return out


def stats(ingress, egress):
    seqs = [int.from_bytes(fr.payload[2:4], "big") for fr in ingress]
    by_id = {}
    for fr in egress:
        by_id.setdefault(fr.ipid, fr)
    delays = []
    lost = 0
    for fr in ingress:
        out = by_id.get(fr.ipid)
        if out is None:
            lost += 1
        else:
            delays.append((out.ts - fr.ts) * 1000.0)
    expected = (max(seqs) - min(seqs) + 1) if seqs else 0
    r = {
        "ingress_packets": len(ingress),
        "egress_packets": len(egress),
        "expected": expected,
        "lost_before": expected - len(set(seqs)),
        "lost_at_router": lost,
    }
    r["loss_before_percent"] = 100.0 * r["lost_before"] / expected if expected else 0.0
    r["loss_at_router_percent"] = 100.0 * lost / len(ingress) if ingress else 0.0
    if delays:
        r["delay_mean_ms"] = sum(delays) / len(delays)
        r["delay_min_ms"] = min(delays)
        r["delay_max_ms"] = max(delays)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lan", required=True)
    ap.add_argument("--wan", required=True)
    ap.add_argument("--ssrc", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--ingress", choices=("lan", "wan"), required=True, help="where the stream enters the router")
    ap.add_argument("--require-loss-before", type=float, help="percent, within --loss-tolerance")
    ap.add_argument("--require-loss-at-router", type=float, help="percent, within --loss-tolerance")
    ap.add_argument("--require-delay", type=float, help="ms, mean router delay within --delay-tolerance")
    ap.add_argument("--loss-tolerance", type=float, default=1.0, help="percentage points")
    ap.add_argument("--delay-tolerance", type=float, default=5.0, help="ms")
    a = ap.parse_args()
    lan, wan = rtp_frames(read_pcap(a.lan), a.ssrc), rtp_frames(read_pcap(a.wan), a.ssrc)
    ingress, egress = (lan, wan) if a.ingress == "lan" else (wan, lan)
    r = stats(ingress, egress)
    for k, v in r.items():
        print("%s=%s" % (k, ("%.3f" % v) if isinstance(v, float) else v))
    failed = []
    if a.require_loss_before is not None and abs(r["loss_before_percent"] - a.require_loss_before) > a.loss_tolerance:
        failed.append("loss before the router %.2f %% is not %.2f +- %.2f" % (
            r["loss_before_percent"], a.require_loss_before, a.loss_tolerance))
    if a.require_loss_at_router is not None and abs(r["loss_at_router_percent"] - a.require_loss_at_router) > a.loss_tolerance:
        failed.append("loss at the router %.2f %% is not %.2f +- %.2f" % (
            r["loss_at_router_percent"], a.require_loss_at_router, a.loss_tolerance))
    if a.require_delay is not None and abs(r.get("delay_mean_ms", -1e9) - a.require_delay) > a.delay_tolerance:
        failed.append("router delay %.2f ms is not %.2f +- %.2f" % (
            r.get("delay_mean_ms", float("nan")), a.require_delay, a.delay_tolerance))
    for f in failed:
        print("FAILED: " + f, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
