package dev.natrecon.decode;

/** IANA protocol numbers used by the decoder. */
public final class Protocols {
    private Protocols() {
    }

    public static final int ICMP = 1;
    public static final int IPIP = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6 = 41;
    public static final int GRE = 47;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int SCTP = 132;

    public static String name(int protocol) {
        return switch (protocol) {
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            case GRE -> "gre";
            case ESP -> "esp";
            case ICMPV6 -> "icmpv6";
            case SCTP -> "sctp";
            case IPIP -> "ipip";
            case -1 -> "none";
            default -> "proto-" + protocol;
        };
    }
}
