#!/usr/bin/env python3
"""Merge Ethernet pcaps (classic pcap, little-endian, microseconds) into one Linux cooked v1 pcap (linktype 113), as
tcpdump -i any -y LINUX_SLL would have written them on the router: the SLL header keeps the Ethernet source address,
with packet type 4 ("sent by us") for the router's own MAC addresses and 0 ("to us") for the others.

usage: eth2sll.py OUT.pcap ROUTER_MAC[,ROUTER_MAC...] IN.pcap...   (used for the README's performance figure)"""
import struct, sys, heapq
out, routers, ins = sys.argv[1], {bytes.fromhex(m.replace(':', '')) for m in sys.argv[2].split(',')}, sys.argv[3:]
def frames(path):
    with open(path, 'rb') as f:
        f.read(24)
        while True:
            h = f.read(16)
            if len(h) < 16: return
            s, u, cl, ol = struct.unpack('<IIII', h)
            yield (s, u, f.read(cl), ol)
with open(out, 'wb') as o:
    o.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 113))
    for s, u, d, ol in heapq.merge(*(frames(p) for p in ins), key=lambda x: (x[0], x[1])):
        sll = struct.pack('>HHH6s2sH', 4 if d[6:12] in routers else 0, 1, 6, d[6:12], b'\0\0', struct.unpack('>H', d[12:14])[0])
        body = sll + d[14:]
        o.write(struct.pack('<IIII', s, u, len(body), ol + 2))
        o.write(body)
