#!/usr/bin/env python3
"""Regenerates the fuzz targets' seed corpora under src/test/resources/<package>/<Class>Inputs/<method>/.

Seeds come from samples/*/ (LAN/WAN captures cut to their first frames, router.nft, conntrack listings and event
logs) and the public captures in src/test/resources/public/ (cut captures, single frames, fragments, SIP payloads
and SDP bodies). Targets that take a FuzzedDataProvider get their seeds laid out as Jazzer's provider reads them:
byte arrays from the front, integers and booleans from the back (last byte first). Files that the fuzzer found
(crash-*, and any file not named seed-*) are kept; seed-* files are rewritten. Each seed stays under 64 KiB.
Usage: fuzz/make-seeds.py (from the project root).
"""
import glob, gzip, hashlib, lzma, os, re, struct, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RES = os.path.join(ROOT, 'src/test/resources')
PUBLIC = os.path.join(RES, 'public')
MAX_SEED = 64 * 1024
LINK_TYPES = [0, 1, 9, 12, 14, 101, 108, 113, 253, 228, 229, 276]  # PacketDecoderFuzzTest.LINK_TYPES
LINK_HEADER = {1: 14, 113: 16, 276: 20, 101: 0, 228: 0, 229: 0, 0: 4, 108: 4}

def corpus(cls_path, method):
    d = os.path.join(RES, cls_path + 'Inputs', method)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, 'seed-*')):
        os.remove(f)
    return d

def put(d, name, data):
    data = data[:MAX_SEED]
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)

# --- reading captures -------------------------------------------------------------------------------------------
def pcap_frames(path):
    """(linktype, header bytes, [(record header, frame)]) of a classic pcap, or None for pcapng."""
    b = open(path, 'rb').read()
    magic = b[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        return None
    lt = struct.unpack(e + 'I', b[20:24])[0] & 0xffff
    pos, recs = 24, []
    while pos + 16 <= len(b):
        incl = struct.unpack(e + 'I', b[pos + 8:pos + 12])[0]
        recs.append((b[pos:pos + 16], b[pos + 16:pos + 16 + incl]))
        pos += 16 + incl
    return lt, b[:24], recs

def pcapng_cut(path, frames):
    """The first blocks of a pcapng up to `frames` packet blocks (SHB and IDBs kept)."""
    b = open(path, 'rb').read()
    e = '<' if b[8:12] == b'\x4d\x3c\x2b\x1a' else '>'
    pos, n = 0, 0
    while pos + 12 <= len(b) and n < frames:
        t, ln = struct.unpack(e + 'II', b[pos:pos + 8])
        if ln < 12:
            break
        pos += ln
        if t in (3, 6):
            n += 1
    return b[:pos]

def cut(path, frames, budget=MAX_SEED - 16):
    p = pcap_frames(path)
    if p is None:
        return pcapng_cut(path, frames)[:budget]
    lt, head, recs = p
    out = head
    for h, f in recs[:frames]:
        if len(out) + len(h) + len(f) > budget:
            break
        out += h + f
    return out

def udp_tcp_payload(lt, frame):
    """The transport payload of an untunnelled IPv4/IPv6 UDP or TCP frame, or None."""
    off = LINK_HEADER.get(lt)
    if off is None:
        return None
    if lt == 1:
        et = frame[12:14]
        while et == b'\x81\x00':
            off += 4
            et = frame[off - 2:off]
        if et not in (b'\x08\x00', b'\x86\xdd'):
            return None
    ip = frame[off:]
    if len(ip) < 20:
        return None
    if ip[0] >> 4 == 4:
        ihl = (ip[0] & 15) * 4
        if struct.unpack('>H', ip[6:8])[0] & 0x3fff:
            return None
        proto, l4 = ip[9], ip[ihl:struct.unpack('>H', ip[2:4])[0]]
    elif ip[0] >> 4 == 6 and len(ip) >= 40:
        proto, l4 = ip[6], ip[40:]
    else:
        return None
    if proto == 17 and len(l4) >= 8:
        return l4[8:]
    if proto == 6 and len(l4) >= 20:
        return l4[(l4[12] >> 4) * 4:]
    return None

def ip_part(lt, frame):
    off = LINK_HEADER.get(lt)
    if off is None or (lt == 1 and frame[12:14] not in (b'\x08\x00', b'\x86\xdd')):
        return None
    return frame[off:]

classic = sorted(glob.glob(os.path.join(PUBLIC, '*/*.pcap')))
ng = sorted(glob.glob(os.path.join(PUBLIC, '*/*.pcapng')))
samples = sorted(d for d in glob.glob(os.path.join(ROOT, 'samples/*')) if os.path.exists(os.path.join(d, 'lan.pcap')))

sip_payloads, seen = [], set()
for path in classic:
    lt, _, recs = pcap_frames(path)
    for _, f in recs:
        p = udp_tcp_payload(lt, f)
        if p and re.match(rb'^([A-Z]+ \S+ SIP/2\.0|SIP/2\.0 \d\d\d)', p):
            key = p.split(b'\r\n', 1)[0][:40]
            if key not in seen and len(sip_payloads) < 80:
                seen.add(key)
                sip_payloads.append(p)

# --- capture readers -----------------------------------------------------------------------------------------
d = corpus('dev/natrecon/capture/CaptureReaderFuzzTest', 'rawBytes')
dc = corpus('dev/natrecon/capture/CaptureReaderFuzzTest', 'compressed')
for path in classic + ng:
    name = os.path.basename(path)
    small = cut(path, 12, 8 * 1024)
    put(d, name, small)
    put(dc, name, small + bytes([100, 0]))  # keep 100 %, no compression
for i, path in enumerate((classic + ng)[:6]):
    name = os.path.basename(path)
    small = cut(path, 8, 4 * 1024)
    put(d, name + '.gz', gzip.compress(small, mtime=0))
    put(d, name + '.xz', lzma.compress(small))
    put(d, name + '.zst', subprocess.run(['zstd', '-q', '-c'], input=small, capture_output=True, check=True).stdout)
    put(dc, name + '.gzip', small + bytes([100, 1]))
    put(dc, name + '.zstd', small + bytes([100, 2]))
    put(dc, name + '.xz', small + bytes([100, 3]))
    put(dc, name + '.xz-cut', small + bytes([60, 3]))

# --- decoder and reassembly ----------------------------------------------------------------------------------
d = corpus('dev/natrecon/decode/PacketDecoderFuzzTest', 'frame')
for path in classic:
    lt, _, recs = pcap_frames(path)
    if lt not in LINK_TYPES:
        continue
    picks = recs[:2] + [r for r in recs if udp_tcp_payload(lt, r[1]) and b'SIP/2.0' in r[1]][:2]
    for i, (_, f) in enumerate(picks):
        # provider from the back: boolean (1 = a known link type), its index, snaplen cut 0; the frame from the front
        put(d, '%s-%d' % (os.path.basename(path), i), f + bytes([0, LINK_TYPES.index(lt), 1]))

d = corpus('dev/natrecon/reassembly/DefragmenterFuzzTest', 'fragments')
for path in classic:
    lt, _, recs = pcap_frames(path)
    frags = []
    for _, f in recs:
        ip = ip_part(lt, f)
        if not ip or len(ip) < 20:
            continue
        v4frag = ip[0] >> 4 == 4 and struct.unpack('>H', ip[6:8])[0] & 0x3fff
        v6frag = ip[0] >> 4 == 6 and len(ip) > 40 and ip[6] == 44
        if (v4frag or v6frag) and len(ip) <= 1600:
            frags.append(ip)
    if len(frags) >= 2:
        group = frags[:6]
        front = b''.join(group)
        back = b''
        for ip in group:  # per frame: time step (5 bytes), raw-bytes choice, length (2 bytes); consumed last byte first
            back = bytes(reversed(b'\0' * 5 + b'\1' + len(ip).to_bytes(2, 'big'))) + back
        put(d, os.path.basename(path), front + back)

def framer_seed(stream, cuts, small):
    back = bytes([1 if small else 0, len(cuts)]) + b''.join(bytes(reversed(c.to_bytes(4, 'big'))) for c in cuts)
    return stream + bytes(reversed(back))

d = corpus('dev/natrecon/reassembly/SipStreamFramerFuzzTest', 'splitPoints')
ds = corpus('dev/natrecon/reassembly/SipStreamFramerFuzzTest', 'sequenceNumbers')
for i in range(0, min(len(sip_payloads), 40), 4):
    stream = b'\r\n\r\n'.join(sip_payloads[i:i + 4]) + b'\r\n'
    put(d, 'sip-%02d' % i, framer_seed(stream, [len(stream) // 3, len(stream) // 2 + 1], i % 8 == 0))
    put(ds, 'sip-%02d' % i, stream)

# --- SIP and SDP ---------------------------------------------------------------------------------------------
d = corpus('dev/natrecon/decode/sip/SipParserFuzzTest', 'datagram')
dsdp = corpus('dev/natrecon/decode/sdp/SdpBodyFuzzTest', 'body')
dk = corpus('dev/natrecon/alg/sip/KernelSipTextFuzzTest', 'message')
for i, p in enumerate(sip_payloads):
    put(d, 'sip-%02d' % i, p)
    put(dk, 'sip-%02d' % i, p + bytes(reversed(bytes([0]) + (i * 7).to_bytes(4, 'big') + bytes([i % 2]))))
    body = p.split(b'\r\n\r\n', 1)
    if len(body) == 2 and body[1].startswith(b'v=0'):
        put(dsdp, 'sdp-%02d' % i, body[1])
put(d, 'crlf-keepalive', b'\r\n\r\n')

def helper_seed(messages):
    front, back = b'', b''
    for i, m in enumerate(messages):
        m = m[:4000]
        front += m
        step = (b'' if i == 0 else bytes([1 if i % 2 == 0 else 0])) + len(m).to_bytes(2, 'big')
        back = bytes(reversed(step)) + back
    return front + back

d = corpus('dev/natrecon/conntrack/SipHelperFuzzTest', 'udpMessages')
invites = [p for p in sip_payloads if p.startswith(b'INVITE')]
others = [p for p in sip_payloads if not p.startswith(b'INVITE')]
for i in range(min(12, len(invites))):
    put(d, 'call-%02d' % i, helper_seed([invites[i]] + others[i:i + 2]))

# --- router evidence ---------------------------------------------------------------------------------------
IPTABLES = open(os.path.join(ROOT, 'src/test/java/dev/natrecon/conntrack/NatRulesetTest.java')).read()
IPTABLES = re.search(r'IPTABLES = """\n(.*?)""";', IPTABLES, re.S).group(1)
IPTABLES = '\n'.join(l[12:] for l in IPTABLES.split('\n')).encode()
dr = corpus('dev/natrecon/conntrack/RouterTextFuzzTest', 'ruleset')
dn = corpus('dev/natrecon/conntrack/RouterTextFuzzTest', 'nft')
di = corpus('dev/natrecon/conntrack/RouterTextFuzzTest', 'iptablesSave')
dl = corpus('dev/natrecon/conntrack/RouterTextFuzzTest', 'conntrackLines')
put(dr, 'iptables-save', IPTABLES)
put(di, 'iptables-save', IPTABLES)
nfts = set()
for s in samples + sorted(glob.glob(os.path.join(ROOT, 'samples/lab/**/'), recursive=True)):
    name = os.path.basename(s.rstrip('/'))
    for f in glob.glob(os.path.join(s, '*.nft')):
        b = open(f, 'rb').read()
        if b not in nfts:
            nfts.add(b)
            put(dr, name + '-' + os.path.basename(f), b)
            put(dn, name + '-' + os.path.basename(f), b)
    for f in ('conntrack-L.txt', 'conntrack-L-end.txt', 'kernel-events.txt', 'expect-L.txt', 'kernel-expect-events.txt'):
        if os.path.exists(os.path.join(s, f)):
            put(dl, name + '-' + f, open(os.path.join(s, f), 'rb').read())

# --- whole case --------------------------------------------------------------------------------------------
d = corpus('dev/natrecon/batch/WholeCaseFuzzTest', 'analyzePair')
for s in samples:
    lan, wan = cut(os.path.join(s, 'lan.pcap'), 40, 24 * 1024), cut(os.path.join(s, 'wan.pcap'), 40, 24 * 1024)
    put(d, os.path.basename(s), struct.pack('>I', len(lan)) + lan + wan)
