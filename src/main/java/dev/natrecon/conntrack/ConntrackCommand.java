package dev.natrecon.conntrack;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * An operator's {@code conntrack} deletion as a case records it ({@code event.conntrack.flush.command}): {@code -F}
 * (every entry) or {@code -D} with conntrack-tools' filter options on the original tuple ({@code -p}/{@code --proto},
 * {@code -s}/{@code --src}/{@code --orig-src}, {@code -d}/{@code --dst}/{@code --orig-dst},
 * {@code --sport}/{@code --orig-port-src}, {@code --dport}/{@code --orig-port-dst}); an option not given matches
 * every entry, as conntrack-tools' filter does. Fed to {@link ConntrackModel#onUserspaceDelete}.
 *
 * @param text     the command line as given
 * @param protocol IP protocol number, or -1 for any
 * @param src      original source address (hi, lo), or null for any
 * @param dst      original destination address (hi, lo), or null for any
 * @param srcPort  original source port, or -1
 * @param dstPort  original destination port, or -1
 */
public record ConntrackCommand(String text, int protocol, long[] src, long[] dst, int srcPort, int dstPort)
        implements Predicate<ConntrackTuple> {

    /** Reads {@code conntrack -D …} or {@code conntrack -F}; anything else is an IllegalArgumentException. */
    public static ConntrackCommand parse(String command) {
        String[] w = command.strip().split("\\s+");
        int i = w.length > 0 && w[0].endsWith("conntrack") ? 1 : 0;
        boolean delete = false, flush = false;
        int protocol = -1, sport = -1, dport = -1;
        long[] src = null, dst = null;
        for (; i < w.length; i++) {
            String o = w[i];
            switch (o) {
                case "-D", "--delete" -> delete = true;
                case "-F", "--flush" -> flush = true;
                case "-p", "--proto", "--protonum" -> protocol = protocol(value(w, ++i, o));
                case "-s", "--src", "--orig-src" -> src = NatMatch.AddressRange.address(value(w, ++i, o));
                case "-d", "--dst", "--orig-dst" -> dst = NatMatch.AddressRange.address(value(w, ++i, o));
                case "--sport", "--orig-port-src" -> sport = port(value(w, ++i, o));
                case "--dport", "--orig-port-dst" -> dport = port(value(w, ++i, o));
                default -> throw new IllegalArgumentException("conntrack option not modelled: '" + o + "' in '" + command + "'");
            }
        }
        if (delete == flush) throw new IllegalArgumentException("expected conntrack -D or -F: '" + command + "'");
        if (flush && (protocol >= 0 || src != null || dst != null || sport >= 0 || dport >= 0)) {
            throw new IllegalArgumentException("conntrack -F takes no filter: '" + command + "'");
        }
        return new ConntrackCommand(command.strip(), protocol, src, dst, sport, dport);
    }

    @Override
    public boolean test(ConntrackTuple t) {
        return (protocol < 0 || t.protocol() == protocol)
                && (src == null || (t.srcHi() == src[0] && t.srcLo() == src[1]))
                && (dst == null || (t.dstHi() == dst[0] && t.dstLo() == dst[1]))
                && (srcPort < 0 || t.srcPort() == srcPort) && (dstPort < 0 || t.dstPort() == dstPort);
    }

    private static String value(String[] w, int i, String option) {
        if (i >= w.length) throw new IllegalArgumentException("conntrack " + option + " needs a value");
        return w[i];
    }

    private static int protocol(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "icmpv6" -> 58;
            case "udplite" -> 136;
            case "sctp" -> 132;
            case "dccp" -> 33;
            case "gre" -> 47;
            default -> {
                try {
                    yield Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("conntrack -p: unknown protocol '" + v + "'");
                }
            }
        };
    }

    private static int port(String v) {
        int p;
        try {
            p = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("conntrack: a port number expected, found '" + v + "'");
        }
        if (p < 0 || p > 65535) throw new IllegalArgumentException("conntrack: port out of range: " + v);
        return p;
    }
}
