#!/usr/bin/env python3
"""Packet impairment in userspace for the natrecon lab: loss and delay through NFQUEUE.

The lab kernel has no netem (CONFIG_NET_SCH_NETEM is not set) and no nft `queue`
statement (CONFIG_NFT_QUEUE is not set), but it has nfnetlink_queue and the
xtables NFQUEUE target. A scenario sends the packets to impair to a queue with
`iptables-legacy ... -j NFQUEUE --queue-num N`, and this tool gives the kernel
its verdict for each one: NF_DROP for a lost packet, NF_ACCEPT for the others,
each held --delay-ms milliseconds first (what `netem loss P% delay D ms` does,
but where the rule puts it: in the router's FORWARD chain the router itself
drops and delays; in a sender's OUTPUT chain the packets are impaired before
they reach the router).

Loss is drawn from Python's random.Random(--seed), one draw per queued packet
in arrival order, so a run with the same packets drops the same ones. The first
--pass-first packets are accepted without delay or loss (the packet that makes
the flow's conntrack entry keeps its baseline timing).

Speaks netlink directly (socket AF_NETLINK, NETLINK_NETFILTER; the structures of
include/uapi/linux/netfilter/nfnetlink_queue.h); standard library only. Ends
after --duration seconds (or at SIGTERM); prints a one-line-per-fact report on stdout, and one
line per queued packet (index, action, IPv4 ID, UDP source/destination port,
RTP sequence number) to --packet-log.
"""
import argparse
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12               # include/uapi/linux/netlink.h
NFNL_SUBSYS_QUEUE = 3                # include/uapi/linux/netfilter/nfnetlink.h
NFQNL_MSG_PACKET = 0                 # nfnetlink_queue.h: enum nfqnl_msg_types
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_PACKET_HDR = 1                  # enum nfqnl_attr_type
NFQA_VERDICT_HDR = 2
NFQA_PAYLOAD = 10
NFQA_CFG_CMD = 1                     # enum nfqnl_attr_config
NFQA_CFG_PARAMS = 2
NFQNL_CFG_CMD_BIND = 1               # enum nfqnl_msg_config_cmds
NFQNL_CFG_CMD_UNBIND = 2
NFQNL_COPY_PACKET = 2                # enum nfqnl_config_mode
NLM_F_REQUEST = 1                    # include/uapi/linux/netlink.h
NLM_F_ACK = 4
NLMSG_ERROR = 2
NF_DROP = 0                          # include/uapi/linux/netfilter.h
NF_ACCEPT = 1
COPY_BYTES = 64                      # IPv4 + UDP + RTP headers


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


def message(msg_type, queue, attrs, flags=NLM_F_REQUEST, seq=0):
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0) + body


def attrs_of(data):
    out, i = {}, 0
    while i + 4 <= len(data):
        n, kind = struct.unpack_from("=HH", data, i)
        if n < 4:
            break
        out[kind & 0x7FFF] = data[i + 4:i + n]
        i += (n + 3) & ~3
    return out


def config(sock, queue, cmd_attrs):
    sock.send(message(NFQNL_MSG_CONFIG, queue, cmd_attrs, NLM_F_REQUEST | NLM_F_ACK))
    data = sock.recv(65536)
    length, kind = struct.unpack_from("=IH", data, 0)
    if kind == NLMSG_ERROR:
        err = struct.unpack_from("=i", data, 16)[0]
        if err:
            raise OSError(-err, "nfqueue config: %s" % os.strerror(-err))


def describe(payload):
    """IPv4 ID, UDP ports and RTP sequence number of a copied packet (or '-')."""
    if len(payload) < 20 or payload[0] >> 4 != 4:
        return "- - - -"
    ihl = (payload[0] & 0x0F) * 4
    ip_id = struct.unpack_from("!H", payload, 4)[0]
    if payload[9] != 17 or len(payload) < ihl + 8:
        return "%d - - -" % ip_id
    sport, dport = struct.unpack_from("!HH", payload, ihl)
    seq = "-"
    if len(payload) >= ihl + 12 and payload[ihl + 8] >> 6 == 2:
        seq = str(struct.unpack_from("!H", payload, ihl + 10)[0])
    return "%d %d %d %s" % (ip_id, sport, dport, seq)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--queue", type=int, default=0, help="NFQUEUE number to bind")
    p.add_argument("--loss", type=float, default=0.0, help="loss probability in percent")
    p.add_argument("--delay-ms", type=float, default=0.0, help="hold each accepted packet this long")
    p.add_argument("--seed", type=int, default=1, help="seed of the loss draws")
    p.add_argument("--pass-first", type=int, default=0, help="accept the first N packets untouched")
    p.add_argument("--duration", type=float, default=60.0, help="end after this many seconds")
    p.add_argument("--ready-file", help="write this file once the queue is bound")
    p.add_argument("--packet-log", help="one line per queued packet")
    p.add_argument("--pidfile", help="write own PID here (for the lab's cleanup)")
    args = p.parse_args()
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    config(sock, args.queue, [attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, socket.AF_INET))])
    config(sock, args.queue, [attr(NFQA_CFG_PARAMS, struct.pack("!IB", COPY_BYTES, NFQNL_COPY_PACKET))])
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("ready\n")

    draws = random.Random(args.seed)
    log = open(args.packet_log, "w") if args.packet_log else None
    held = []        # heap of (release time, arrival index, packet id)
    queued = dropped = passed = 0
    max_late_ms = 0.0
    end = [time.monotonic() + args.duration]
    # TERM ends the run once the held packets are out (the report is still written)
    signal.signal(signal.SIGTERM, lambda *_: end.__setitem__(0, time.monotonic()))

    def verdict(packet_id, value):
        sock.send(message(NFQNL_MSG_VERDICT, args.queue,
                          [attr(NFQA_VERDICT_HDR, struct.pack("!II", value, packet_id))]))

    while True:
        now = time.monotonic()
        while held and held[0][0] <= now:
            due, _, packet_id = heapq.heappop(held)
            max_late_ms = max(max_late_ms, (now - due) * 1000.0)
            verdict(packet_id, NF_ACCEPT)
        if now >= end[0] and not held:
            break
        # at most 0.2 s: a TERM during select (retried by Python, PEP 475) is seen soon
        wait = min(0.2, max(0.0, (held[0][0] if held else end[0]) - now))
        if not select.select([sock], [], [], wait)[0]:
            continue
        data = sock.recv(65536)
        i = 0
        while i + 16 <= len(data):
            length, kind = struct.unpack_from("=IH", data, i)
            if length < 16:
                break
            if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                attrs = attrs_of(data[i + 20:i + length])
                packet_id = struct.unpack_from("!I", attrs[NFQA_PACKET_HDR], 0)[0]
                index = queued
                queued += 1
                if index < args.pass_first:
                    action = "pass"
                    passed += 1
                    verdict(packet_id, NF_ACCEPT)
                elif draws.random() * 100.0 < args.loss:
                    action = "drop"
                    dropped += 1
                    verdict(packet_id, NF_DROP)
                else:
                    action = "delay"
                    heapq.heappush(held, (time.monotonic() + args.delay_ms / 1000.0, index, packet_id))
                if log:
                    log.write("%d %s %s\n" % (index, action, describe(attrs.get(NFQA_PAYLOAD, b""))))
            i += (length + 3) & ~3

    try:
        config(sock, args.queue, [attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_UNBIND, socket.AF_INET))])
    except OSError:
        pass
    if log:
        log.close()
    print("queue=%d" % args.queue)
    print("loss_percent=%g" % args.loss)
    print("delay_ms=%g" % args.delay_ms)
    print("seed=%d" % args.seed)
    print("pass_first=%d" % args.pass_first)
    print("queued=%d" % queued)
    print("passed=%d" % passed)
    print("dropped=%d" % dropped)
    print("delayed=%d" % (queued - passed - dropped))
    print("max_release_late_ms=%.2f" % max_late_ms)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
