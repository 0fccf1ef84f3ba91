package dev.natrecon.detect;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;
import java.util.Collection;
import java.util.StringJoiner;

/**
 * Wireshark display filters for the evidence of findings, in the syntax Wireshark 4 (Debian's tshark 4.0) parses: a set
 * is {@code {1, 2}} (members separated by commas; 4.0 rejects the older space-separated form).
 */
public final class DisplayFilters {
    private DisplayFilters() {
    }

    /** {@code frame.number in {3, 17, 42}}, or empty for no frames. */
    public static String frames(Collection<Long> frames) {
        if (frames.isEmpty()) return "";
        StringJoiner j = new StringJoiner(", ", "frame.number in {", "}");
        for (Long f : frames) j.add(Long.toString(f));
        return j.toString();
    }

    /** The field prefix for an address: {@code ip} or {@code ipv6}. */
    static String ipField(long hi, long lo) {
        return Addresses.isV4(hi, lo) ? "ip" : "ipv6";
    }

    /** {@code ip.src==192.168.1.10} style clause. */
    public static String address(String which, long hi, long lo) {
        return ipField(hi, lo) + "." + which + "==" + Addresses.format(hi, lo);
    }

    /** One endpoint in either direction: {@code ip.addr==192.168.1.10 && udp.port==5060}. */
    public static String endpoint(int protocol, long hi, long lo, int port) {
        String a = address("addr", hi, lo);
        String p = transport(protocol);
        return p == null || port == 0 ? a : a + " && " + p + ".port==" + port;
    }

    static String transport(int protocol) {
        return switch (protocol) {
            case Protocols.UDP -> "udp";
            case Protocols.TCP -> "tcp";
            case Protocols.SCTP -> "sctp";
            default -> null;
        };
    }

    static String flow(Flow f, boolean bothWays) {
        return bothWays ? "(" + oneWay(f) + ") || (" + oneWay(f.reversed()) + ")" : oneWay(f);
    }

    private static String oneWay(Flow f) {
        String t = transport(f.protocol());
        return address("src", f.srcHi(), f.srcLo()) + " && " + address("dst", f.dstHi(), f.dstLo())
                + (t == null ? " && ip.proto==" + f.protocol()
                        : " && " + t + ".srcport==" + f.srcPort() + " && " + t + ".dstport==" + f.dstPort());
    }
}
