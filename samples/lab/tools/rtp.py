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

With --rtcp, the tool also speaks RTCP (RFC 3550 section 6) on the next port
up (section 11): every --rtcp-interval seconds (5 s, the minimum of section
6.2) and once more when it ends, a compound packet (section 6.1) of a sender
report (SR, with one report block about the stream it receives, if any) and an
SDES CNAME, plus a BYE at the end. The report block's figures follow RFC 3550
appendix A: extended highest sequence number and cumulative loss (A.3),
fraction lost over the interval, interarrival jitter in timestamp units (A.8),
and LSR/DLSR from the peer's last SR received on the RTCP socket.

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


NTP_EPOCH_OFFSET = 2208988800  # RFC 868: seconds from 1900-01-01 to 1970-01-01


def ntp64(t):
    """RFC 3550 section 4: wallclock time as a 64-bit NTP timestamp (seconds since 1900, 32.32 fixed point)."""
    secs = t + NTP_EPOCH_OFFSET
    whole = int(secs)
    return (whole & 0xFFFFFFFF) << 32 | int((secs - whole) * (1 << 32)) & 0xFFFFFFFF


class Reception:
    """RFC 3550 appendix A.1/A.3/A.8: what a receiver counts about one source (the stream it receives)."""

    def __init__(self, rate):
        self.rate = rate
        self.ssrc = None
        self.base_seq = self.max_seq = 0
        self.cycles = 0
        self.received = 0
        self.expected_prior = self.received_prior = 0
        self.transit = None
        self.jitter = 0.0
        self.lsr = 0          # middle 32 bits of the NTP timestamp of the peer's last SR
        self.lsr_at = None    # when it arrived (monotonic)

    def rtp(self, seq, ts, arrival):
        if self.ssrc is None:
            self.base_seq = self.max_seq = seq
        else:
            delta = (seq - self.max_seq) & 0xFFFF
            if 0 < delta < 0x8000:
                if seq < self.max_seq:
                    self.cycles += 1 << 16
                self.max_seq = seq
        self.received += 1
        # A.8: transit in timestamp units; J += (|D| - J) / 16
        transit = int(arrival * self.rate) - ts
        if self.transit is not None:
            d = abs(transit - self.transit)
            self.jitter += (d - self.jitter) / 16.0
        self.transit = transit

    def block(self, now):
        """The 24-byte report block of RFC 3550 section 6.4.1, or b"" before the first packet."""
        if self.ssrc is None:
            return b""
        extended = self.cycles + self.max_seq
        expected = extended - self.base_seq + 1
        lost = expected - self.received
        lost = max(-0x800000, min(0x7FFFFF, lost)) & 0xFFFFFF
        expected_interval = expected - self.expected_prior
        received_interval = self.received - self.received_prior
        self.expected_prior, self.received_prior = expected, self.received
        lost_interval = expected_interval - received_interval
        fraction = 0 if expected_interval == 0 or lost_interval <= 0 else (lost_interval << 8) // expected_interval
        dlsr = 0 if self.lsr_at is None else int((now - self.lsr_at) * 65536)
        return struct.pack("!IB3sIIII", self.ssrc, min(fraction, 255), lost.to_bytes(3, "big"),
                           extended & 0xFFFFFFFF, int(self.jitter), self.lsr, dlsr)


def rtcp_compound(ssrc, ntp, rtp_ts, packets, octets, block, cname, bye):
    """RFC 3550 6.1: SR (PT 200) with 0 or 1 report block, SDES (PT 202) CNAME, and BYE (PT 203) when ending."""
    rc = 1 if block else 0
    body = struct.pack("!IIIIII", ssrc, ntp >> 32, ntp & 0xFFFFFFFF, rtp_ts & 0xFFFFFFFF, packets, octets) + block
    out = struct.pack("!BBH", 0x80 | rc, 200, len(body) // 4) + body
    item = bytes([1, len(cname)]) + cname + b"\0"           # CNAME item, then the end-of-list null
    item += b"\0" * (-len(item) % 4)                        # each chunk ends on a 32-bit boundary
    chunk = struct.pack("!I", ssrc) + item
    out += struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk
    if bye:
        out += struct.pack("!BBHI", 0x81, 203, 1, ssrc)
    return out


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
    p.add_argument("--rtcp", action="store_true", help="send and receive RTCP SR/SDES (and BYE) on port + 1")
    p.add_argument("--rtcp-interval", type=float, default=5.0, help="seconds between RTCP reports")
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
    rsock = None
    if args.rtcp:
        rsock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        rsock.bind((args.local[0], args.local[1] + 1))
        rsock.setblocking(False)
    reception = Reception(8000)
    t_origin = time.monotonic()
    rtcp_sent = rtcp_received = 0
    octets = 0
    cname = ("nrlab@%s" % args.local[0]).encode()

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
                ssrc_rx = struct.unpack("!I", data[8:12])[0]
                if reception.ssrc in (None, ssrc_rx):
                    reception.rtp(seq, struct.unpack("!I", data[4:8])[0], time.monotonic() - t_origin)
                    reception.ssrc = ssrc_rx

    def receive_rtcp():
        nonlocal rtcp_received
        while rsock is not None:
            try:
                data, _ = rsock.recvfrom(2048)
            except BlockingIOError:
                return
            rtcp_received += 1
            # the peer's SR (first packet of its compound): remember LSR (RFC 3550 6.4.1) and when it came
            if len(data) >= 20 and data[0] >> 6 == 2 and data[1] == 200:
                ntp_hi, ntp_lo = struct.unpack("!II", data[8:16])
                reception.lsr = (ntp_hi & 0xFFFF) << 16 | ntp_lo >> 16
                reception.lsr_at = time.monotonic()

    def send_rtcp(bye):
        nonlocal rtcp_sent
        if rsock is None or dest is None:
            return
        now = time.monotonic()
        rtp_ts = args.ts + int(max(0.0, now - start) * 8000)
        packet = rtcp_compound(args.ssrc, ntp64(time.time()), rtp_ts, sent, octets, reception.block(now), cname, bye)
        try:
            rsock.sendto(packet, (dest[0], dest[1] + 1))
            rtcp_sent += 1
        except OSError:
            pass

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
            receive_rtcp()

    remote = dest  # from --remote or the go file (before any latching)
    start = time.monotonic() + args.start_delay
    end_send = start + count * args.ptime / 1000.0
    end_all = end_send + args.linger
    next_send = start
    next_rtcp = start + args.rtcp_interval if args.rtcp else float("inf")

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
                octets += samples
            except OSError as e:  # e.g. no route to a private SDP address (alg-off)
                send_errors += 1
                if send_error is None:
                    send_error = "%s" % e
            sent += 1
            # absolute schedule: no drift over the stream
            next_send = start + sent * args.ptime / 1000.0
            continue
        if now >= next_rtcp and now < end_all:
            send_rtcp(False)
            next_rtcp += args.rtcp_interval
        if sent >= count and now >= end_all:
            break
        wait = min(next_send if sent < count else end_all, next_rtcp) - now
        r, _, _ = select.select([sock] + ([rsock] if rsock else []), [], [], max(0.0, wait))
        if not r:
            continue
        receive()
        receive_rtcp()

    # the last report covers everything received (the linger included), with a BYE (RFC 3550 6.6)
    send_rtcp(True)

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
    if args.rtcp:
        print("rtcp_sent=%d" % rtcp_sent)
        print("rtcp_received=%d" % rtcp_received)
        if reception.ssrc is not None:
            ext = reception.cycles + reception.max_seq
            print("rtcp_reported_cumulative_lost=%d" % (ext - reception.base_seq + 1 - reception.received))
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
