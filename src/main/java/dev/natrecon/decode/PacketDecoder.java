package dev.natrecon.decode;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.RawFrame;

/**
 * Dissects one frame from its link layer down to the transport header, into a reused {@link Packet}.
 *
 * <p><b>How data flows.</b> {@link #decode} dispatches on the link type; each layer checks that its whole header is
 * present, records its fields and hands the rest on by "next protocol" (EtherType, PPP protocol, IP protocol number):
 * link → (VLAN, PPPoE, PPP) → IPv4/IPv6 (→ GRE / IP-in-IP → IP again) → UDP/TCP/ICMP. The decoder keeps no state
 * between frames; fragments are reported as {@link Disposition#FRAGMENT} for the {@code reassembly} package, which
 * hands the whole datagram back through {@link #decodeDatagram}.
 *
 * <p><b>Pitfalls.</b> Never throws on input: every short or inconsistent header becomes a {@link DecodeAnomaly}.
 * Ethernet padding makes frames longer than their IP datagram, so lengths come from the IP header, not the frame;
 * a total length of 0 (TSO/offload on the capturing host) means "as captured".
 */
public final class PacketDecoder {
    private static final int MAX_TUNNELS = 4;

    private AnomalyCounts anomalies;
    private long frameNumber;

    /** Decodes {@code f} into {@code p}, counting anomalies into {@code counts}; returns the frame's disposition. */
    public Disposition decode(RawFrame f, Packet p, AnomalyCounts counts) {
        this.anomalies = counts;
        this.frameNumber = f.frameNumber;
        p.clear();
        p.data = f.data;
        p.linkType = f.linkType;
        byte[] b = f.data;
        int off = f.offset;
        int end = f.offset + f.capturedLength;
        p.truncated = f.capturedLength < f.originalLength;
        if (p.truncated) anomalies.add(DecodeAnomaly.SNAPLEN_CUT, frameNumber);
        return link(b, off, end, f.linkType, p);
    }

    /** Decodes a whole (reassembled) IP datagram held in {@code b[off, off+len)}, keeping the link fields of {@code p}. */
    public Disposition decodeDatagram(byte[] b, int off, int len, Packet p, AnomalyCounts counts, long frame) {
        this.anomalies = counts;
        this.frameNumber = frame;
        int keepLayers = p.layers & ~(Packet.L_IPV4 | Packet.L_IPV6 | Packet.L_UDP | Packet.L_TCP | Packet.L_ICMP
                | Packet.L_ICMPV6 | Packet.L_FRAGMENT | Packet.L_OTHER_L4 | Packet.L_DHCP);
        int tunnels = p.tunnelDepth;
        p.clearNetwork();
        p.layers = keepLayers | Packet.L_REASSEMBLED;
        p.tunnelDepth = tunnels;
        p.data = b;
        return ip(b, off, off + len, p, off);
    }

    private void anomaly(DecodeAnomaly a) {
        anomalies.add(a, frameNumber);
    }

    private Disposition link(byte[] b, int off, int end, int linkType, Packet p) {
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethernet(b, off, end, p);
            case LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14, LinkType.IPV4, LinkType.IPV6:
                return ip(b, off, end, p, off);
            case LinkType.LINUX_SLL: {
                if (end - off < 16) return malformed(DecodeAnomaly.SLL_TRUNCATED);
                p.layers |= Packet.L_SLL;
                p.sllPacketType = Bytes.u16(b, off);
                p.sllHatype = Bytes.u16(b, off + 2);
                int addrLen = Bytes.u16(b, off + 4);
                if (addrLen == 6) p.srcMac = Bytes.mac(b, off + 6);
                return etherType(b, off + 16, end, Bytes.u16(b, off + 14), p);
            }
            case LinkType.LINUX_SLL2: {
                if (end - off < 20) return malformed(DecodeAnomaly.SLL2_TRUNCATED);
                p.layers |= Packet.L_SLL;
                p.interfaceIndex = Bytes.i32(b, off + 4);
                p.sllHatype = Bytes.u16(b, off + 8);
                p.sllPacketType = Bytes.u8(b, off + 10);
                if (Bytes.u8(b, off + 11) == 6) p.srcMac = Bytes.mac(b, off + 12);
                return etherType(b, off + 20, end, Bytes.u16(b, off), p);
            }
            case LinkType.NULL, LinkType.LOOP: {
                if (end - off < 4) return malformed(DecodeAnomaly.NULL_TRUNCATED);
                p.layers |= Packet.L_NULL;
                // DLT_NULL stores the family in the writer's byte order; DLT_LOOP always big-endian.
                int family = Bytes.i32(b, off);
                if (linkType == LinkType.NULL && (family & 0xffff) == 0) family = Integer.reverseBytes(family);
                return switch (family) {
                    case 2, 24, 28, 30, 10 -> ip(b, off + 4, end, p, off + 4);
                    default -> notIp(p, family);
                };
            }
            case LinkType.PPP:
                return ppp(b, off, end, p);
            case LinkType.NETLINK:
                return notIp(p, -1);
            default:
                anomaly(DecodeAnomaly.LINK_UNSUPPORTED);
                return Disposition.UNSUPPORTED_LINK;
        }
    }

    private Disposition ethernet(byte[] b, int off, int end, Packet p) {
        if (end - off < 14) return malformed(DecodeAnomaly.ETHERNET_TRUNCATED);
        p.layers |= Packet.L_ETHERNET;
        p.dstMac = Bytes.mac(b, off);
        p.srcMac = Bytes.mac(b, off + 6);
        return etherType(b, off + 14, end, Bytes.u16(b, off + 12), p);
    }

    /** Dispatch on an EtherType; VLAN tags, PPPoE and 802.3/SNAP loop back here. */
    private Disposition etherType(byte[] b, int off, int end, int type, Packet p) {
        int tags = 0;
        while (true) {
            switch (type) {
                case 0x0800, 0x86dd:
                    p.etherType = type;
                    return ip(b, off, end, p, off);
                case 0x8100, 0x88a8, 0x9100: {
                    if (end - off < 4) return malformed(DecodeAnomaly.VLAN_TRUNCATED);
                    if (++tags > 4) return malformed(DecodeAnomaly.VLAN_TOO_DEEP);
                    p.layers |= Packet.L_VLAN;
                    int vid = Bytes.u16(b, off) & 0x0fff;
                    if (p.vlanOuter < 0) p.vlanOuter = vid;
                    else if (p.vlanInner < 0) p.vlanInner = vid;
                    type = Bytes.u16(b, off + 2);
                    off += 4;
                    continue;
                }
                case 0x8863:
                    return pppoeDiscovery(b, off, end, p);
                case 0x8864:
                    return pppoeSession(b, off, end, p);
                case 0x0806:
                    p.layers |= Packet.L_ARP;
                    arp(b, off, end, p);
                    return notIp(p, type);
                default:
                    if (type < 0x0600) {
                        // 802.3 length field: LLC follows; only SNAP with an EtherType can carry IP.
                        if (end - off < 3) return malformed(DecodeAnomaly.LLC_TRUNCATED);
                        if ((b[off] & 0xff) == 0xaa && (b[off + 1] & 0xff) == 0xaa && (b[off + 2] & 0xff) == 0x03) {
                            if (end - off < 8) return malformed(DecodeAnomaly.LLC_TRUNCATED);
                            type = Bytes.u16(b, off + 6);
                            off += 8;
                            continue;
                        }
                        return notIp(p, type);
                    }
                    return notIp(p, type);
            }
        }
    }

    private Disposition pppoeDiscovery(byte[] b, int off, int end, Packet p) {
        if (end - off < 6) return malformed(DecodeAnomaly.PPPOE_TRUNCATED);
        p.layers |= Packet.L_PPPOE;
        p.etherType = 0x8863;
        p.linkEvent = LinkEvent.PPPOE_DISCOVERY;
        p.linkEventCode = Bytes.u8(b, off + 1);
        p.pppoeSession = Bytes.u16(b, off + 2);
        return Disposition.LINK_CONTROL;
    }

    private Disposition pppoeSession(byte[] b, int off, int end, Packet p) {
        if (end - off < 6) return malformed(DecodeAnomaly.PPPOE_TRUNCATED);
        p.layers |= Packet.L_PPPOE;
        p.pppoeSession = Bytes.u16(b, off + 2);
        int len = Bytes.u16(b, off + 4);
        int payloadEnd = Math.min(end, off + 6 + len);
        return ppp(b, off + 6, payloadEnd, p);
    }

    /** PPP: optional HDLC address/control (ff 03), then a 1- or 2-byte protocol field (RFC 1661 §6.5 compression). */
    private Disposition ppp(byte[] b, int off, int end, Packet p) {
        if (end - off < 1) return malformed(DecodeAnomaly.PPP_TRUNCATED);
        if ((b[off] & 0xff) == 0xff) {
            if (end - off < 3) return malformed(DecodeAnomaly.PPP_TRUNCATED);
            off += 2;
        }
        int proto;
        if ((b[off] & 1) == 1) {
            proto = b[off] & 0xff;
            off += 1;
        } else {
            if (end - off < 2) return malformed(DecodeAnomaly.PPP_TRUNCATED);
            proto = Bytes.u16(b, off);
            off += 2;
        }
        p.layers |= Packet.L_PPP;
        switch (proto) {
            case 0x0021:
                p.etherType = 0x0800;
                return ip(b, off, end, p, off);
            case 0x0057:
                p.etherType = 0x86dd;
                return ip(b, off, end, p, off);
            case 0xc021:
                return pppControl(b, off, end, p, LinkEvent.PPP_LCP);
            case 0x8021:
                return pppControl(b, off, end, p, LinkEvent.PPP_IPCP);
            case 0x8057:
                return pppControl(b, off, end, p, LinkEvent.PPP_IPV6CP);
            case 0xc023, 0xc223:
                return pppControl(b, off, end, p, LinkEvent.PPP_AUTH);
            default:
                return notIp(p, proto);
        }
    }

    private Disposition pppControl(byte[] b, int off, int end, Packet p, LinkEvent kind) {
        if (end - off < 4) return malformed(DecodeAnomaly.PPP_CONTROL_TRUNCATED);
        p.linkEvent = kind;
        p.linkEventCode = Bytes.u8(b, off);
        if (kind == LinkEvent.PPP_IPCP) {
            // Options after code, id, length: type 3 (IP-Address, RFC 1332) carries the address being negotiated.
            int len = Math.min(end - off, Bytes.u16(b, off + 2));
            int o = off + 4;
            while (o + 2 <= off + len) {
                int t = Bytes.u8(b, o);
                int l = Bytes.u8(b, o + 1);
                if (l < 2 || o + l > off + len) break;
                if (t == 3 && l == 6) p.linkEventAddress = Bytes.i32(b, o + 2);
                o += l;
            }
        }
        return Disposition.LINK_CONTROL;
    }

    /** IPv4 or IPv6 by the version nibble. */
    private Disposition ip(byte[] b, int off, int end, Packet p, int outer) {
        if (end - off < 1) return malformed(DecodeAnomaly.IPV4_TRUNCATED);
        int version = (b[off] & 0xff) >>> 4;
        if (p.ipVersion == 0) p.outerIpOffset = outer;
        if (version == 4) return ipv4(b, off, end, p);
        if (version == 6) return ipv6(b, off, end, p);
        return malformed(DecodeAnomaly.IP_BAD_VERSION);
    }

    private Disposition ipv4(byte[] b, int off, int end, Packet p) {
        if (end - off < 20) return malformed(DecodeAnomaly.IPV4_TRUNCATED);
        int ihl = (b[off] & 0x0f) * 4;
        int total = Bytes.u16(b, off + 2);
        if (total == 0) total = end - off; // TSO on the capturing host leaves 0 here
        if (ihl < 20 || ihl > total) return malformed(DecodeAnomaly.IPV4_BAD_HEADER_LENGTH);
        if (end - off < ihl) return malformed(DecodeAnomaly.IPV4_TRUNCATED);
        int ipEnd = off + total;
        if (ipEnd > end) {
            if (!p.truncated) anomaly(DecodeAnomaly.IPV4_LENGTH_EXCEEDS_FRAME);
            ipEnd = end;
        }
        p.layers |= Packet.L_IPV4;
        p.ipVersion = 4;
        p.ipOffset = off;
        p.ipHeaderLength = ihl;
        p.ipTotalLength = total;
        p.ipEnd = ipEnd;
        p.tos = b[off + 1] & 0xff;
        p.ipId = Bytes.u16(b, off + 4);
        int flagsFrag = Bytes.u16(b, off + 6);
        p.moreFragments = (flagsFrag & 0x2000) != 0;
        p.fragmentOffset = (flagsFrag & 0x1fff) * 8;
        p.ttl = b[off + 8] & 0xff;
        int proto = b[off + 9] & 0xff;
        p.srcHi = 0;
        p.srcLo = Addresses.v4(Bytes.i32(b, off + 12));
        p.dstHi = 0;
        p.dstLo = Addresses.v4(Bytes.i32(b, off + 16));
        p.protocol = proto;
        p.l4Offset = off + ihl;
        p.l4Length = total - ihl;
        if (p.moreFragments || p.fragmentOffset != 0) {
            p.fragment = true;
            p.layers |= Packet.L_FRAGMENT;
            return Disposition.FRAGMENT;
        }
        return transport(b, off + ihl, ipEnd, proto, p);
    }

    private Disposition ipv6(byte[] b, int off, int end, Packet p) {
        if (end - off < 40) return malformed(DecodeAnomaly.IPV6_TRUNCATED);
        int payloadLen = Bytes.u16(b, off + 4);
        if (payloadLen == 0) payloadLen = end - off - 40; // jumbogram or offload: as captured
        int ipEnd = off + 40 + payloadLen;
        if (ipEnd > end) {
            if (!p.truncated) anomaly(DecodeAnomaly.IPV6_LENGTH_EXCEEDS_FRAME);
            ipEnd = end;
        }
        p.layers |= Packet.L_IPV6;
        p.ipVersion = 6;
        p.ipOffset = off;
        p.ipTotalLength = 40 + payloadLen;
        p.ipEnd = ipEnd;
        p.tos = (Bytes.u16(b, off) >>> 4) & 0xff;
        p.ttl = b[off + 7] & 0xff;
        p.srcHi = Bytes.i64(b, off + 8);
        p.srcLo = Bytes.i64(b, off + 16);
        p.dstHi = Bytes.i64(b, off + 24);
        p.dstLo = Bytes.i64(b, off + 32);
        int next = b[off + 6] & 0xff;
        int nextField = off + 6;
        int o = off + 40;
        // Extension headers (RFC 8200 §4): hop-by-hop, routing, fragment, destination options, AH, mobility.
        for (int guard = 0; guard < 16; guard++) {
            switch (next) {
                case 0, 43, 60, 135, 139, 140: {
                    if (ipEnd - o < 8) return malformed(DecodeAnomaly.IPV6_EXTENSION_TRUNCATED);
                    int len = ((b[o + 1] & 0xff) + 1) * 8;
                    if (ipEnd - o < len) return malformed(DecodeAnomaly.IPV6_EXTENSION_TRUNCATED);
                    nextField = o;
                    next = b[o] & 0xff;
                    o += len;
                    continue;
                }
                case Protocols.AH: {
                    if (ipEnd - o < 8) return malformed(DecodeAnomaly.IPV6_EXTENSION_TRUNCATED);
                    int len = ((b[o + 1] & 0xff) + 2) * 4;
                    if (ipEnd - o < len) return malformed(DecodeAnomaly.IPV6_EXTENSION_TRUNCATED);
                    nextField = o;
                    next = b[o] & 0xff;
                    o += len;
                    continue;
                }
                case 44: {
                    if (ipEnd - o < 8) return malformed(DecodeAnomaly.IPV6_EXTENSION_TRUNCATED);
                    int fo = Bytes.u16(b, o + 2);
                    p.fragmentOffset = fo & 0xfff8;
                    p.moreFragments = (fo & 1) != 0;
                    p.ipId = Bytes.u32(b, o + 4);
                    p.ipv6FragmentHeaderOffset = o;
                    p.ipv6NextHeaderFieldOffset = nextField;
                    int inner = b[o] & 0xff;
                    p.protocol = inner;
                    p.l4Offset = o + 8;
                    p.l4Length = off + p.ipTotalLength - (o + 8);
                    p.ipHeaderLength = o + 8 - off;
                    if (p.moreFragments || p.fragmentOffset != 0) {
                        p.fragment = true;
                        p.layers |= Packet.L_FRAGMENT;
                        return Disposition.FRAGMENT;
                    }
                    // An atomic fragment (offset 0, no more): the payload is whole.
                    nextField = o;
                    next = inner;
                    o += 8;
                    continue;
                }
                default:
                    break;
            }
            break;
        }
        p.ipHeaderLength = o - off;
        p.protocol = next;
        p.l4Offset = o;
        p.l4Length = off + p.ipTotalLength - o;
        return transport(b, o, ipEnd, next, p);
    }

    private Disposition transport(byte[] b, int off, int end, int proto, Packet p) {
        switch (proto) {
            case Protocols.UDP: {
                if (end - off < 8) {
                    anomaly(DecodeAnomaly.UDP_TRUNCATED);
                    return Disposition.DECODED;
                }
                p.layers |= Packet.L_UDP;
                p.srcPort = Bytes.u16(b, off);
                p.dstPort = Bytes.u16(b, off + 2);
                int len = Bytes.u16(b, off + 4);
                int l4 = p.l4Length;
                if (len != l4 && !(len == 0 && p.ipVersion == 6)) {
                    anomaly(DecodeAnomaly.UDP_LENGTH_MISMATCH);
                }
                int payloadEnd = (len >= 8 && len < l4) ? Math.min(end, off + len) : end;
                p.payloadOffset = off + 8;
                p.payloadLength = Math.max(0, payloadEnd - off - 8);
                if ((p.srcPort == 67 || p.srcPort == 68) && (p.dstPort == 67 || p.dstPort == 68)) dhcp(b, p);
                return Disposition.DECODED;
            }
            case Protocols.TCP: {
                if (end - off < 20) {
                    anomaly(DecodeAnomaly.TCP_TRUNCATED);
                    return Disposition.DECODED;
                }
                int hl = ((b[off + 12] & 0xff) >>> 4) * 4;
                if (hl < 20) {
                    anomaly(DecodeAnomaly.TCP_BAD_OFFSET);
                    return Disposition.DECODED;
                }
                p.layers |= Packet.L_TCP;
                p.srcPort = Bytes.u16(b, off);
                p.dstPort = Bytes.u16(b, off + 2);
                p.tcpSeq = Bytes.u32(b, off + 4);
                p.tcpAck = Bytes.u32(b, off + 8);
                p.tcpFlags = Bytes.u16(b, off + 12) & 0x01ff;
                p.tcpWindow = Bytes.u16(b, off + 14);
                p.tcpHeaderLength = hl;
                p.tcpSack = p.tcpAck;
                if (hl > end - off) {
                    if (!p.truncated || hl > p.l4Length) anomaly(DecodeAnomaly.TCP_BAD_OFFSET);
                    p.payloadOffset = end;
                    p.payloadLength = 0;
                    return Disposition.DECODED;
                }
                p.payloadOffset = off + hl;
                p.payloadLength = end - off - hl;
                if (hl > 20) tcpOptions(b, off + 20, off + hl, p);
                return Disposition.DECODED;
            }
            case Protocols.ICMP, Protocols.ICMPV6:
                return icmp(b, off, end, proto, p);
            case Protocols.GRE:
                return gre(b, off, end, p);
            case Protocols.IPIP, Protocols.IPV6: {
                if (++p.tunnelDepth > MAX_TUNNELS) {
                    anomaly(DecodeAnomaly.TUNNEL_TOO_DEEP);
                    return Disposition.DECODED;
                }
                p.layers |= Packet.L_IPIP;
                return ip(b, off, end, p, p.outerIpOffset);
            }
            default:
                p.layers |= Packet.L_OTHER_L4;
                p.payloadOffset = off;
                p.payloadLength = Math.max(0, end - off);
                return Disposition.DECODED;
        }
    }

    /**
     * The TCP options in {@code b[o, end)} that matching and conntrack read: timestamps (kind 8), window scale (3),
     * SACK permitted (4) and the first SACK option (5), whose highest right edge after the ACK becomes
     * {@link Packet#tcpSack} (nf_conntrack_proto_tcp.c:tcp_options, tcp_sack). A silly or partial option ends the scan,
     * as in the kernel.
     */
    private static void tcpOptions(byte[] b, int o, int end, Packet p) {
        boolean sackSeen = false;
        while (o < end) {
            int kind = b[o] & 0xff;
            if (kind == 0) return;                      // end of options
            if (kind == 1) {                            // no-operation
                o++;
                continue;
            }
            if (o + 1 >= end) return;
            int len = b[o + 1] & 0xff;
            if (len < 2 || o + len > end) return;
            if (kind == 8 && len == 10) {
                p.tcpTsVal = Bytes.u32(b, o + 2);
                p.tcpTsEcr = Bytes.u32(b, o + 6);
            } else if (kind == 3 && len == 3) {
                p.tcpWindowScale = Math.min(14, b[o + 2] & 0xff);
            } else if (kind == 4 && len == 2) {
                p.tcpSackPermitted = true;
            } else if (kind == 5 && !sackSeen && len >= 10 && (len - 2) % 8 == 0) {
                sackSeen = true;
                for (int k = o + 2; k + 8 <= o + len; k += 8) {
                    long right = Bytes.u32(b, k + 4);
                    if ((int) (p.tcpSack - right) < 0) p.tcpSack = right; // after(right, sack), modulo 2^32
                }
            }
            o += len;
        }
    }

    private Disposition icmp(byte[] b, int off, int end, int proto, Packet p) {
        if (end - off < 8) {
            anomaly(DecodeAnomaly.ICMP_TRUNCATED);
            return Disposition.DECODED;
        }
        p.layers |= proto == Protocols.ICMP ? Packet.L_ICMP : Packet.L_ICMPV6;
        int type = b[off] & 0xff;
        p.icmpType = type;
        p.icmpCode = b[off + 1] & 0xff;
        p.payloadOffset = off + 8;
        p.payloadLength = end - off - 8;
        boolean v4 = proto == Protocols.ICMP;
        boolean echo = v4 ? (type == 0 || type == 8 || type == 13 || type == 14) : (type == 128 || type == 129);
        boolean error = v4 ? (type == 3 || type == 4 || type == 5 || type == 11 || type == 12) : (type >= 1 && type <= 4);
        if (echo) {
            p.icmpId = Bytes.u16(b, off + 4);
            p.icmpSeq = Bytes.u16(b, off + 6);
        } else if (error) {
            p.icmpError = true;
            quoted(b, off + 8, end, p);
        }
        return Disposition.DECODED;
    }

    /** Reads the tuple of the original packet quoted in an ICMP error (RFC 792: IP header + 8 bytes at least). */
    private void quoted(byte[] b, int off, int end, Packet p) {
        if (end - off < 1) {
            anomaly(DecodeAnomaly.ICMP_QUOTE_TRUNCATED);
            return;
        }
        int version = (b[off] & 0xff) >>> 4;
        int l4;
        if (version == 4 && end - off >= 20) {
            int ihl = (b[off] & 0x0f) * 4;
            if (ihl < 20) {
                anomaly(DecodeAnomaly.ICMP_QUOTE_TRUNCATED);
                return;
            }
            p.innerProtocol = b[off + 9] & 0xff;
            p.innerIpId = Bytes.u16(b, off + 4);
            p.innerSrcHi = 0;
            p.innerSrcLo = Addresses.v4(Bytes.i32(b, off + 12));
            p.innerDstHi = 0;
            p.innerDstLo = Addresses.v4(Bytes.i32(b, off + 16));
            l4 = off + ihl;
        } else if (version == 6 && end - off >= 40) {
            p.innerProtocol = b[off + 6] & 0xff;
            p.innerSrcHi = Bytes.i64(b, off + 8);
            p.innerSrcLo = Bytes.i64(b, off + 16);
            p.innerDstHi = Bytes.i64(b, off + 24);
            p.innerDstLo = Bytes.i64(b, off + 32);
            l4 = off + 40;
        } else {
            anomaly(DecodeAnomaly.ICMP_QUOTE_TRUNCATED);
            return;
        }
        if ((p.innerProtocol == Protocols.UDP || p.innerProtocol == Protocols.TCP) && end - l4 >= 4) {
            p.innerSrcPort = Bytes.u16(b, l4);
            p.innerDstPort = Bytes.u16(b, l4 + 2);
        }
    }

    /** GRE (RFC 2784/2890) and enhanced GRE v1 of PPTP (RFC 2637) carrying IPv4, IPv6 or PPP. */
    private Disposition gre(byte[] b, int off, int end, Packet p) {
        if (end - off < 4) {
            anomaly(DecodeAnomaly.GRE_TRUNCATED);
            return Disposition.DECODED;
        }
        int flags = Bytes.u16(b, off);
        int type = Bytes.u16(b, off + 2);
        int hl = 4;
        if ((flags & 0x8000) != 0) hl += 4; // checksum + reserved
        if ((flags & 0x2000) != 0) hl += 4; // key (v1: payload length + call id)
        if ((flags & 0x1000) != 0) hl += 4; // sequence number
        if ((flags & 0x0007) == 1 && (flags & 0x0080) != 0) hl += 4; // v1 acknowledgment number
        if (end - off < hl) {
            anomaly(DecodeAnomaly.GRE_TRUNCATED);
            return Disposition.DECODED;
        }
        p.layers |= Packet.L_GRE;
        if (++p.tunnelDepth > MAX_TUNNELS) {
            anomaly(DecodeAnomaly.TUNNEL_TOO_DEEP);
            return Disposition.DECODED;
        }
        int inner = off + hl;
        return switch (type) {
            case 0x0800, 0x86dd -> ip(b, inner, end, p, p.outerIpOffset);
            case 0x880b -> greppp(b, inner, end, p);
            default -> {
                p.tunnelDepth--;
                anomaly(DecodeAnomaly.GRE_UNSUPPORTED);
                yield Disposition.DECODED;
            }
        };
    }

    private Disposition greppp(byte[] b, int off, int end, Packet p) {
        if (end - off < 1) {
            anomaly(DecodeAnomaly.GRE_TRUNCATED);
            return Disposition.DECODED;
        }
        // Keep the outer (tunnel) packet as the result when the PPP inside is not IP.
        int saveVersion = p.ipVersion;
        Disposition d = ppp(b, off, end, p);
        if (d == Disposition.NOT_IP || d == Disposition.LINK_CONTROL || d == Disposition.MALFORMED) {
            p.ipVersion = saveVersion;
            return Disposition.DECODED;
        }
        return d;
    }

    /** BOOTP/DHCP (RFC 2131): message type option 53 and yiaddr, the address the WAN side may be given. */
    private void dhcp(byte[] b, Packet p) {
        int o = p.payloadOffset;
        int end = o + p.payloadLength;
        if (end - o < 240 || Bytes.i32(b, o + 236) != 0x63825363) return;
        p.layers |= Packet.L_DHCP;
        p.linkEvent = LinkEvent.DHCP;
        p.linkEventAddress = Bytes.i32(b, o + 16);
        int q = o + 240;
        while (q < end) {
            int code = b[q] & 0xff;
            if (code == 255) break;
            if (code == 0) {
                q++;
                continue;
            }
            if (q + 2 > end) break;
            int len = b[q + 1] & 0xff;
            if (code == 53 && len >= 1 && q + 2 < end) p.linkEventCode = b[q + 2] & 0xff;
            q += 2 + len;
        }
    }

    private Disposition malformed(DecodeAnomaly a) {
        anomaly(a);
        return Disposition.MALFORMED;
    }

    /**
     * ARP for IPv4 over Ethernet (RFC 826: htype 1, ptype 0x0800, hlen 6, plen 4): a request names the address asked
     * for (target), a reply the address answered for (sender); anything else is left as a plain non-IP frame.
     */
    private static void arp(byte[] b, int off, int end, Packet p) {
        if (end - off < 28 || Bytes.u16(b, off) != 1 || Bytes.u16(b, off + 2) != 0x0800 || Bytes.u8(b, off + 4) != 6
                || Bytes.u8(b, off + 5) != 4) {
            return;
        }
        int op = Bytes.u16(b, off + 6);
        if (op != 1 && op != 2) return;
        p.linkEvent = LinkEvent.ARP;
        p.linkEventCode = op;
        p.linkEventAddress = Bytes.i32(b, op == 1 ? off + 24 : off + 14);
    }

    private static Disposition notIp(Packet p, int type) {
        if (p.etherType < 0) p.etherType = type;
        return Disposition.NOT_IP;
    }
}
