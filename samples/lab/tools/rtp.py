#!/usr/bin/env python3
"""Minimal RTP endpoint for the natrecon lab.

Sends a G.711 (PCMU, payload type 0) stream of real RTP packets (version 2,
fixed SSRC, sequence number +1 and timestamp +160 per packet, marker bit on
the first packet) from --local to --remote every --ptime milliseconds for
--duration seconds, and at the same time receives and counts whatever arrives
on the local port. Each packet carries 12 bytes of RTP header and 160 bytes of
audio (a sine tone), i.e. a 172-byte UDP payload.

With --latch, once a packet has been received, the stream is sent to the
source address of the first received packet instead of --remote (symmetric
RTP, as many SBCs do). Without it, the stream goes to --remote only, like a
phone that trusts the SDP.

With --go-file, the socket is bound at once but nothing is sent until that
file appears holding "IP:PORT" and a newline; the stream then goes there
(after --start-delay). The lab starts both endpoints before the call, so both
ports are open before any RTP can arrive, and SIPp only writes the go file
with the address from the SDP when the call is up.

A one-line-per-fact report goes to stdout when the tool ends. The tool ends
by itself after start delay + duration + linger seconds, so a lab script does
not have to kill it.

Standard library only (runs on a fresh Debian 12 python3).
"""
import argparse
import math
import os
import select
import socket
import struct
import sys
import time


def ulaw_encode(sample):
    """Encode one signed 16-bit linear sample as G.711 mu-law (ITU-T G.711)."""
    bias = 0x84
    clip = 32635
    sign = 0x80 if sample < 0 else 0x00
    if sample < 0:
        sample = -sample
    if sample > clip:
        sample = clip
    sample += bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not (sample & mask):
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def tone(freq_hz, samples, amplitude=8000, rate=8000):
    return bytes(
        ulaw_encode(int(amplitude * math.sin(2 * math.pi * freq_hz * n / rate)))
        for n in range(samples)
    )


def hostport(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected IP:PORT, got %r" % text)
    return host, int(port)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--local", type=hostport, required=True, help="IP:PORT to bind")
    p.add_argument("--remote", type=hostport, help="IP:PORT to send to (from the SDP)")
    p.add_argument("--go-file", help="wait for this file to hold IP:PORT (the remote), then start")
    p.add_argument("--go-timeout", type=float, default=60.0, help="give up waiting for --go-file after this")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of audio to send")
    p.add_argument("--ptime", type=int, default=20, help="packetisation time in ms")
    p.add_argument("--pt", type=int, default=0, help="RTP payload type (0 = PCMU)")
    p.add_argument("--ssrc", type=lambda s: int(s, 0), default=0x4E52_0001)
    p.add_argument("--seq", type=int, default=1000, help="first sequence number")
    p.add_argument("--ts", type=int, default=160000, help="first RTP timestamp")
    p.add_argument("--freq", type=float, default=440.0, help="tone frequency in Hz")
    p.add_argument("--start-delay", type=float, default=0.0, help="seconds to wait before the first packet")
    p.add_argument("--linger", type=float, default=1.0, help="seconds to keep receiving after the last packet")
    p.add_argument("--latch", action="store_true", help="send to the source of the first received packet")
    p.add_argument("--pidfile", help="write own PID here (for the lab's cleanup)")
    args = p.parse_args()
    if not args.remote and not args.go_file:
        p.error("one of --remote or --go-file is required")

    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())

    samples = 8 * args.ptime  # 8 kHz clock
    audio = tone(args.freq, 8000)  # one second of tone, cycled (whole cycles for integer Hz)
    count = int(round(args.duration * 1000 / args.ptime))

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(args.local)
    sock.setblocking(False)

    received = 0
    first_src = None
    rx_sources = {}
    rx_ssrcs = set()
    rx_seq_first = rx_seq_last = None
    sent = 0
    send_errors = 0
    send_error = None

    def receive():
        nonlocal received, first_src, dest, rx_seq_first, rx_seq_last
        while True:
            try:
                data, src = sock.recvfrom(2048)
            except BlockingIOError:
                return
            received += 1
            rx_sources[src] = rx_sources.get(src, 0) + 1
            if first_src is None:
                first_src = src
                if args.latch and dest is not None:
                    dest = src
            if len(data) >= 12 and data[0] >> 6 == 2:
                seq = struct.unpack("!H", data[2:4])[0]
                rx_ssrcs.add(struct.unpack("!I", data[8:12])[0])
                if rx_seq_first is None:
                    rx_seq_first = seq
                rx_seq_last = seq

    dest = args.remote
    if args.go_file:
        give_up = time.monotonic() + args.go_timeout
        while True:
            try:
                with open(args.go_file) as f:
                    text = f.read()
            except FileNotFoundError:
                text = ""
            if text.endswith("\n") and text.strip():
                dest = hostport(text.strip())
                break
            if time.monotonic() > give_up:
                print("error=no go file %s after %.0f s" % (args.go_file, args.go_timeout))
                return 1
            if select.select([sock], [], [], 0.002)[0]:
                receive()

    remote = dest  # from --remote or the go file (before any latching)
    start = time.monotonic() + args.start_delay
    end_send = start + count * args.ptime / 1000.0
    end_all = end_send + args.linger
    next_send = start

    if args.latch and first_src is not None:
        dest = first_src

    while True:
        now = time.monotonic()
        if sent < count and now >= next_send:
            seq = (args.seq + sent) & 0xFFFF
            ts = (args.ts + sent * samples) & 0xFFFFFFFF
            marker = 0x80 if sent == 0 else 0x00
            header = struct.pack("!BBHII", 0x80, marker | (args.pt & 0x7F), seq, ts, args.ssrc)
            off = (sent * samples) % len(audio)  # 8000 is a multiple of 160
            try:
                sock.sendto(header + audio[off:off + samples], dest)
            except OSError as e:  # e.g. no route to a private SDP address (alg-off)
                send_errors += 1
                if send_error is None:
                    send_error = "%s" % e
            sent += 1
            # absolute schedule: no drift over the stream
            next_send = start + sent * args.ptime / 1000.0
            continue
        if sent >= count and now >= end_all:
            break
        wait = (next_send if sent < count else end_all) - now
        r, _, _ = select.select([sock], [], [], max(0.0, wait))
        if not r:
            continue
        receive()

    print("local=%s:%d" % args.local)
    print("remote=%s:%d" % remote)
    print("sent_to=%s:%d" % dest)
    print("sent=%d" % sent)
    if send_errors:
        # counted in sent=; these never left the host
        print("send_errors=%d" % send_errors)
        print("send_error=%s" % send_error)
    print("ssrc=0x%08x" % args.ssrc)
    print("received=%d" % received)
    for src, n in sorted(rx_sources.items()):
        print("received_from=%s:%d count=%d" % (src[0], src[1], n))
    print("received_ssrcs=%s" % ",".join("0x%08x" % s for s in sorted(rx_ssrcs)))
    if rx_seq_first is not None:
        print("received_seq_first=%d" % rx_seq_first)
        print("received_seq_last=%d" % rx_seq_last)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
