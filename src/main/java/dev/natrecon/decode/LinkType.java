package dev.natrecon.decode;

/** LINKTYPE_* values (tcpdump.org/linktypes.html) that the decoder understands. */
public final class LinkType {
    private LinkType() {
    }

    /** BSD loopback: 4-byte address family in the writer's byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** PPP with HDLC-like framing (RFC 1662) or bare protocol field. */
    public static final int PPP = 9;
    /** DLT_RAW as some systems number it; in files it means raw IP. */
    public static final int RAW_12 = 12;
    /** DLT_RAW on OpenBSD; in files it means raw IP. */
    public static final int RAW_14 = 14;
    public static final int RAW = 101;
    /** OpenBSD loopback: 4-byte address family, big-endian. */
    public static final int LOOP = 108;
    /** Linux cooked capture v1 (tcpdump -i any before libpcap 1.10). */
    public static final int LINUX_SLL = 113;
    public static final int NETLINK = 253;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    /** Linux cooked capture v2: carries the interface index. */
    public static final int LINUX_SLL2 = 276;

    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL/loopback";
            case ETHERNET -> "Ethernet";
            case PPP -> "PPP";
            case RAW_12, RAW_14, RAW -> "raw IP";
            case LOOP -> "OpenBSD loopback";
            case LINUX_SLL -> "Linux cooked (SLL)";
            case NETLINK -> "Linux netlink";
            case IPV4 -> "raw IPv4";
            case IPV6 -> "raw IPv6";
            case LINUX_SLL2 -> "Linux cooked v2 (SLL2)";
            default -> "linktype " + linkType;
        };
    }
}
