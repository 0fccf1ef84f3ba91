package dev.natrecon.decode;

/**
 * The decoded view of one frame: offsets into the frame's bytes plus primitive header fields, filled by
 * {@link PacketDecoder} into a reused instance. Addresses are 128-bit values in two longs; IPv4 addresses are stored
 * IPv4-mapped ({@code ::ffff:a.b.c.d}) so that one comparison serves both families (see {@link Addresses}).
 *
 * <p>Pitfall: like {@link dev.natrecon.capture.RawFrame}, the bytes behind the offsets are only valid until the
 * reader moves on.
 */
public final class Packet {
    /** Layer bits for {@link #layers}, used by protocol statistics. */
    public static final int L_ETHERNET = 1, L_VLAN = 1 << 1, L_PPPOE = 1 << 2, L_PPP = 1 << 3, L_SLL = 1 << 4,
            L_IPV4 = 1 << 5, L_IPV6 = 1 << 6, L_UDP = 1 << 7, L_TCP = 1 << 8, L_ICMP = 1 << 9, L_ICMPV6 = 1 << 10,
            L_GRE = 1 << 11, L_IPIP = 1 << 12, L_ARP = 1 << 13, L_DHCP = 1 << 14, L_NULL = 1 << 15,
            L_FRAGMENT = 1 << 16, L_REASSEMBLED = 1 << 17, L_OTHER_L4 = 1 << 18;
    public static final String[] LAYER_NAMES = {"ethernet", "vlan", "pppoe", "ppp", "sll", "ipv4", "ipv6", "udp",
        "tcp", "icmp", "icmpv6", "gre", "ip-in-ip", "arp", "dhcp", "loopback", "ip-fragment", "reassembled", "other-l4"};

    public byte[] data;
    public int linkType;
    public int layers;

    // Link layer
    public long srcMac = -1;
    public long dstMac = -1;
    public int vlanOuter = -1;
    public int vlanInner = -1;
    public int pppoeSession = -1;
    /** SLL2 interface index, -1 when the link type has none. */
    public int interfaceIndex = -1;
    /** SLL/SLL2 packet type: 0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us; -1 if none. */
    public int sllPacketType = -1;
    /** SLL/SLL2 ARPHRD_ type of the interface the frame was captured on (1 Ethernet, 772 loopback); -1 if none. */
    public int sllHatype = -1;
    /** EtherType (or PPP protocol) of the first non-tunnel payload, for statistics of what was skipped. */
    public int etherType = -1;
    public int tunnelDepth;

    public LinkEvent linkEvent = LinkEvent.NONE;
    public int linkEventCode;
    public int linkEventAddress;

    // Network layer (innermost IP header)
    public int ipVersion;
    public int ipOffset;
    public int ipHeaderLength;
    /** End of the IP datagram in {@link #data} as far as captured (padding excluded). */
    public int ipEnd;
    /** Datagram length the header claims. */
    public int ipTotalLength;
    public long srcHi, srcLo, dstHi, dstLo;
    public int ttl;
    /** IPv4 identification, or the IPv6 fragment header's identification (low 32 bits), else -1. */
    public long ipId = -1;
    public int tos;
    public boolean fragment;
    public int fragmentOffset;
    public boolean moreFragments;
    /** Offset of the IPv6 fragment extension header (0 if none): reassembly removes it. */
    public int ipv6FragmentHeaderOffset;
    /** Offset of the "next header" byte that names the fragment header (IPv6), for reassembly. */
    public int ipv6NextHeaderFieldOffset;
    /** Outermost IP header when the packet came through a tunnel (else equal to {@link #ipOffset}). */
    public int outerIpOffset;

    // Transport layer
    public int protocol = -1;
    public int l4Offset;
    /** Transport length according to the IP header. */
    public int l4Length;
    public int srcPort;
    public int dstPort;
    public int tcpFlags;
    public long tcpSeq;
    public long tcpAck;
    public int tcpWindow;
    /** TCP timestamp option (RFC 7323) values, or -1 when the segment has none. */
    public long tcpTsVal = -1;
    public long tcpTsEcr = -1;
    /** TCP header length (data offset × 4), 0 when no TCP header was decoded. */
    public int tcpHeaderLength;
    /** The window scale option's shift (capped at 14, RFC 7323 §2.3), or -1 without one. */
    public int tcpWindowScale = -1;
    public boolean tcpSackPermitted;
    /**
     * The highest right edge among the blocks of the first SACK option that lies after the ACK (RFC 2018; what
     * conntrack's tcp_sack reads), else {@link #tcpAck}.
     */
    public long tcpSack;
    public int icmpType = -1;
    public int icmpCode;
    /** ICMP echo identifier (the "port" NAT translates) or -1. */
    public int icmpId = -1;
    public int icmpSeq;
    /** True for an ICMP error that quotes an original packet; the inner* fields then hold its tuple. */
    public boolean icmpError;
    public int innerProtocol;
    public long innerSrcHi, innerSrcLo, innerDstHi, innerDstLo;
    public int innerSrcPort, innerDstPort;
    public long innerIpId;
    /** Start and captured length of the transport payload. */
    public int payloadOffset;
    public int payloadLength;
    /** The snap length cut this packet. */
    public boolean truncated;

    /** Resets every field for the next frame. */
    public void clear() {
        layers = 0;
        srcMac = dstMac = -1;
        vlanOuter = vlanInner = pppoeSession = interfaceIndex = sllPacketType = sllHatype = etherType = -1;
        tunnelDepth = 0;
        linkEvent = LinkEvent.NONE;
        linkEventCode = linkEventAddress = 0;
        clearNetwork();
    }

    /** Resets network and transport fields (also used before decoding a reassembled datagram). */
    public void clearNetwork() {
        ipVersion = ipOffset = ipHeaderLength = ipEnd = ipTotalLength = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        ttl = tos = 0;
        ipId = -1;
        fragment = moreFragments = false;
        fragmentOffset = ipv6FragmentHeaderOffset = ipv6NextHeaderFieldOffset = 0;
        outerIpOffset = 0;
        protocol = -1;
        l4Offset = l4Length = srcPort = dstPort = tcpFlags = tcpWindow = 0;
        tcpSeq = tcpAck = 0;
        tcpTsVal = tcpTsEcr = -1;
        tcpHeaderLength = 0;
        tcpWindowScale = -1;
        tcpSackPermitted = false;
        tcpSack = 0;
        icmpType = -1;
        icmpCode = icmpSeq = 0;
        icmpId = -1;
        icmpError = false;
        innerProtocol = innerSrcPort = innerDstPort = 0;
        innerSrcHi = innerSrcLo = innerDstHi = innerDstLo = 0;
        innerIpId = -1;
        payloadOffset = payloadLength = 0;
        truncated = false;
    }

    /**
     * The frame's bytes, which started at {@code from} in {@link #data}, were copied to {@code to} at {@code at}: every
     * offset the decoder set (at or after the frame's start; an unset one is 0) moves with them, so the packet reads the
     * copy exactly as it read the original.
     */
    public void moveBytes(int from, byte[] to, int at) {
        int delta = at - from;
        data = to;
        ipOffset = moved(ipOffset, from, delta);
        ipEnd = moved(ipEnd, from, delta);
        outerIpOffset = moved(outerIpOffset, from, delta);
        l4Offset = moved(l4Offset, from, delta);
        payloadOffset = moved(payloadOffset, from, delta);
        ipv6FragmentHeaderOffset = moved(ipv6FragmentHeaderOffset, from, delta);
        ipv6NextHeaderFieldOffset = moved(ipv6NextHeaderFieldOffset, from, delta);
    }

    private static int moved(int offset, int from, int delta) {
        return offset >= from ? offset + delta : offset;
    }

    public boolean isIp() {
        return ipVersion != 0;
    }

    /** True when the packet has ports (UDP, TCP, SCTP, UDP-Lite with a header present). */
    public boolean hasPorts() {
        return (layers & (L_UDP | L_TCP)) != 0;
    }

    public String src() {
        return Addresses.format(srcHi, srcLo);
    }

    public String dst() {
        return Addresses.format(dstHi, dstLo);
    }

    /** "proto src:sport > dst:dport", for messages and tests. */
    public String tuple() {
        String proto = Protocols.name(protocol);
        if (hasPorts()) {
            return proto + " " + Addresses.endpoint(srcHi, srcLo, srcPort) + " > " + Addresses.endpoint(dstHi, dstLo, dstPort);
        }
        return proto + " " + src() + " > " + dst();
    }
}
