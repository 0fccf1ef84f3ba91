package dev.natrecon.conntrack;

/** Hand-made {@link Arrival}s for model tests: real lengths, so payload and counters are what a capture would show. */
final class Packets {
    private Packets() {
    }

    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    private static long frameNumber;

    private static Arrival base(long nanos, String side, ConntrackTuple tuple) {
        Arrival a = new Arrival();
        a.nanos = nanos;
        a.frame = new FrameRef(side, ++frameNumber);
        a.tuple = tuple;
        a.ingress = side.equals("wan") ? Arrival.Ingress.WAN : side.equals("local") ? Arrival.Ingress.LOCAL
                : Arrival.Ingress.LAN;
        return a;
    }

    private static int ipHeader(ConntrackTuple t) {
        return t.isV4() ? 20 : 40;
    }

    static Arrival udp(long nanos, String side, String src, int sport, String dst, int dport, int payload) {
        Arrival a = base(nanos, side, ConntrackTuple.of(ConntrackTuple.UDP, src, sport, dst, dport));
        a.payloadLength = payload;
        a.ipLength = ipHeader(a.tuple) + 8 + payload;
        return a;
    }

    /** A UDP datagram carrying {@code text} (CRLF line ends as written). */
    static Arrival udp(long nanos, String side, String src, int sport, String dst, int dport, String text) {
        byte[] p = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Arrival a = udp(nanos, side, src, sport, dst, dport, p.length);
        a.payload = p;
        return a;
    }

    /** A TCP segment with a 20-byte header (no options). */
    static Arrival tcp(long nanos, String side, String src, int sport, String dst, int dport, int flags, int payload) {
        Arrival a = base(nanos, side, ConntrackTuple.of(ConntrackTuple.TCP, src, sport, dst, dport));
        a.tcpFlags = flags;
        a.payloadLength = payload;
        a.ipLength = ipHeader(a.tuple) + 20 + payload;
        return a;
    }

    /** An ICMP (or ICMPv6, when the addresses are IPv6) query or reply with an identifier. */
    static Arrival echo(long nanos, String side, String src, String dst, int type, int id) {
        long[] s = ConntrackTuple.address(src), d = ConntrackTuple.address(dst);
        int proto = src.contains(":") ? ConntrackTuple.ICMPV6 : ConntrackTuple.ICMP;
        Arrival a = base(nanos, side, ConntrackTuple.icmp(proto, s[0], s[1], d[0], d[1], type, 0, id));
        a.payloadLength = 56;
        a.ipLength = ipHeader(a.tuple) + 8 + 56;
        return a;
    }

    /**
     * An ICMP/ICMPv6 message without identifier (an error, or another type the decoder gives no id), quoting
     * {@code quoted} as carried (null: nothing could be read from it).
     */
    static Arrival icmp(long nanos, String side, String src, String dst, int type, int code, ConntrackTuple quoted) {
        long[] s = ConntrackTuple.address(src), d = ConntrackTuple.address(dst);
        int proto = src.contains(":") ? ConntrackTuple.ICMPV6 : ConntrackTuple.ICMP;
        Arrival a = base(nanos, side, ConntrackTuple.icmp(proto, s[0], s[1], d[0], d[1], type, code, -1));
        a.quoted = quoted;
        a.payloadLength = 8 + 28; // unused field of the ICMP header, then the quoted IP header and 8 bytes
        a.ipLength = ipHeader(a.tuple) + 8 + a.payloadLength;
        return a;
    }

    /**
     * A TCP segment with sequence numbers (window tracking on): {@code seq}, {@code ack}, raw {@code window},
     * {@code data} bytes; options only on SYNs: {@code wscale} ≥ 0 adds a window scale option (with SACK-permitted).
     */
    static Arrival seg(long nanos, String side, String src, int sport, String dst, int dport, int flags, long seq,
                       long ack, int window, int data, int wscale) {
        Arrival a = tcp(nanos, side, src, sport, dst, dport, flags, data);
        a.tcpSequenceKnown = true;
        a.tcpSeq = (int) seq;
        a.tcpAck = (int) ack;
        a.tcpSack = a.tcpAck;
        a.tcpWindow = window;
        a.tcpDataLength = data;
        if (wscale >= 0) {
            a.tcpOptionsLength = 20;
            a.tcpWindowScale = wscale;
            a.tcpSackPermitted = true;
            a.ipLength += 20;
        }
        return a;
    }
}
