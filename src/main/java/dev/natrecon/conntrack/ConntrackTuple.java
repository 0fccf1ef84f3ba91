package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;

/**
 * One direction of a conntrack entry, as the kernel's {@code struct nf_conntrack_tuple}: layer-4 protocol, source and
 * destination as the 128-bit hi/lo pairs of {@link Addresses} (IPv4 is IPv4-mapped), and either ports (TCP, UDP) or
 * ICMP type/code/id (ICMP, ICMPv6). Fields that do not apply are -1 (generic protocols have neither).
 */
public record ConntrackTuple(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort,
                             int icmpType, int icmpCode, int icmpId) {
    public static final int TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58;

    public static ConntrackTuple ports(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort,
                                       int dstPort) {
        return new ConntrackTuple(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, -1, -1, -1);
    }

    public static ConntrackTuple icmp(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int type, int code,
                                      int id) {
        return new ConntrackTuple(protocol, srcHi, srcLo, dstHi, dstLo, -1, -1, type, code, id);
    }

    public static ConntrackTuple generic(int protocol, long srcHi, long srcLo, long dstHi, long dstLo) {
        return new ConntrackTuple(protocol, srcHi, srcLo, dstHi, dstLo, -1, -1, -1, -1, -1);
    }

    /** Parses address literals (test and settings convenience). */
    public static ConntrackTuple of(int protocol, String src, int srcPort, String dst, int dstPort) {
        long[] s = address(src), d = address(dst);
        return ports(protocol, s[0], s[1], d[0], d[1], srcPort, dstPort);
    }

    static long[] address(String text) {
        long[] a = new long[2];
        if (!Addresses.parse(text, a)) throw new IllegalArgumentException("not an IP address: " + text);
        return a;
    }

    public boolean isV4() {
        return Addresses.isV4(srcHi, srcLo);
    }

    public boolean hasPorts() {
        return srcPort >= 0;
    }

    public boolean isIcmp() {
        return icmpType >= 0;
    }

    /**
     * The tuple a packet in the other direction carries: addresses and ports swapped; an ICMP query type becomes its
     * reply type (nf_conntrack_proto_icmp.c:icmp_pkt_to_tuple / invmap), or -1 when the type has no reply.
     */
    public ConntrackTuple invert() {
        if (isIcmp()) {
            return new ConntrackTuple(protocol, dstHi, dstLo, srcHi, srcLo, -1, -1, invertIcmpType(protocol, icmpType),
                    icmpCode, icmpId);
        }
        return new ConntrackTuple(protocol, dstHi, dstLo, srcHi, srcLo, dstPort, srcPort, -1, -1, -1);
    }

    /** Echo/timestamp/info/mask request ↔ reply (ICMP); echo and node-information request ↔ reply (ICMPv6). */
    public static int invertIcmpType(int protocol, int type) {
        if (protocol == ICMP) {
            return switch (type) {
                case 8 -> 0;
                case 0 -> 8;
                case 13 -> 14;
                case 14 -> 13;
                case 15 -> 16;
                case 16 -> 15;
                case 17 -> 18;
                case 18 -> 17;
                default -> -1;
            };
        }
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            case 139 -> 140;
            case 140 -> 139;
            default -> -1;
        };
    }

    /** Only query types can create an entry (nf_conntrack_proto_icmp.c:icmp_new / icmpv6_new). */
    public static boolean icmpCreates(int protocol, int type) {
        if (protocol == ICMP) return type == 8 || type == 13 || type == 15 || type == 17;
        return type == 128 || type == 139;
    }

    public ConntrackTuple withSource(long hi, long lo, int port) {
        return new ConntrackTuple(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode, icmpId)
                .source(hi, lo, port);
    }

    private ConntrackTuple source(long hi, long lo, int port) {
        if (isIcmp()) return new ConntrackTuple(protocol, hi, lo, dstHi, dstLo, -1, -1, icmpType, icmpCode, port);
        return new ConntrackTuple(protocol, hi, lo, dstHi, dstLo, hasPorts() ? port : -1, dstPort, -1, -1, -1);
    }

    /** The port (or ICMP id) that source NAT may change. */
    public int sourceKey() {
        return isIcmp() ? icmpId : srcPort;
    }

    public ConntrackTuple withDestination(long hi, long lo, int port) {
        if (isIcmp()) return new ConntrackTuple(protocol, srcHi, srcLo, hi, lo, -1, -1, icmpType, icmpCode, port);
        return new ConntrackTuple(protocol, srcHi, srcLo, hi, lo, srcPort, hasPorts() ? port : -1, -1, -1, -1);
    }

    /**
     * A well-mixed hash (the record's default, 31·h + field, leaves IPv4-mapped tuples of one subnet in a few buckets,
     * so the table's maps degrade to trees): the fields folded through a 64-bit multiply-xorshift.
     */
    /** Field by field, as the record's would, written out: it runs once or twice per packet. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ConntrackTuple t)) return false;
        return srcLo == t.srcLo && dstLo == t.dstLo && srcPort == t.srcPort && dstPort == t.dstPort
                && protocol == t.protocol && srcHi == t.srcHi && dstHi == t.dstHi && icmpType == t.icmpType
                && icmpCode == t.icmpCode && icmpId == t.icmpId;
    }

    @Override
    public int hashCode() {
        return hash(protocol, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, icmpType, icmpCode, icmpId);
    }

    /** {@link #hashCode()} of the tuple these fields make, without making it (the table's lookup by a packet's fields). */
    static int hash(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort,
                    int icmpType, int icmpCode, int icmpId) {
        long h = protocol * 0x9E3779B97F4A7C15L;
        h = mix(h ^ srcLo);
        h = mix(h ^ dstLo);
        h = mix(h ^ (srcHi * 31 + dstHi));
        h = mix(h ^ (((long) srcPort << 32) | (dstPort & 0xffffffffL)));
        h = mix(h ^ (((long) icmpType << 40) ^ ((long) icmpCode << 20) ^ icmpId));
        return (int) (h ^ (h >>> 32));
    }

    /** One multiply-xorshift round (the splitmix64 finaliser's), shared with {@link TupleIndex#getPorts}. */
    static long mix(long h) {
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    /** "src=… dst=… sport=… dport=…" or "src=… dst=… type=… code=… id=…", as conntrack-tools prints a tuple. */
    public String text() {
        StringBuilder sb = new StringBuilder(64);
        sb.append("src=").append(Addresses.format(srcHi, srcLo)).append(" dst=").append(Addresses.format(dstHi, dstLo));
        if (hasPorts()) sb.append(" sport=").append(srcPort).append(" dport=").append(dstPort);
        if (isIcmp()) sb.append(" type=").append(icmpType).append(" code=").append(icmpCode).append(" id=").append(icmpId);
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
