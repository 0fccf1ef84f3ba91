package dev.natrecon.engine;

import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a capture holds besides SIP and RTP, for a verdict that has nothing to judge ("IPsec NAT-T on UDP 4500: 10
 * packets"): UDP and TCP packets counted by their service port, the end that is a well-known service when one is, else
 * the lower port (a client's ephemeral port is the higher one). Counting is two array increments per packet; the
 * tables are fixed (2 x 64 Ki ints), so the per-packet path allocates nothing.
 */
public final class ServicePorts {
    /** IANA service names (RFC 6335 registry) for the ports a router's captures typically hold instead of SIP. */
    static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(22, "SSH"), Map.entry(53, "DNS"), Map.entry(67, "DHCP"), Map.entry(68, "DHCP"),
            Map.entry(80, "HTTP"), Map.entry(123, "NTP"), Map.entry(137, "NetBIOS"), Map.entry(138, "NetBIOS"),
            Map.entry(161, "SNMP"), Map.entry(443, "HTTPS/QUIC"), Map.entry(500, "IKE"), Map.entry(853, "DNS over TLS"),
            Map.entry(1194, "OpenVPN"), Map.entry(1701, "L2TP"), Map.entry(1900, "SSDP"), Map.entry(3478, "STUN"),
            Map.entry(4500, "IPsec NAT-T"), Map.entry(5060, "SIP"), Map.entry(5061, "SIP over TLS"),
            Map.entry(5353, "mDNS"), Map.entry(51820, "WireGuard"));

    /** {@link #NAMES}' ports as a table, so the per-packet lookup boxes nothing. */
    private static final boolean[] KNOWN = new boolean[65536];

    static {
        for (int port : NAMES.keySet()) KNOWN[port] = true;
    }

    private final int[] udp = new int[65536];
    private final int[] tcp = new int[65536];
    private long total;
    private long rtp;

    /**
     * One decoded packet; anything but UDP and TCP is left to the protocol tally. {@code rtpLike} says the matcher
     * keyed it as RTP (a version-2 header: a heuristic that UDP-encapsulated ESP or QUIC can satisfy too), which
     * counts as RTP only off the named service ports, where RTP never runs (RFC 3550 uses dynamic ports).
     */
    void add(Packet p, boolean rtpLike) {
        if (!p.hasPorts() || p.protocol != Protocols.UDP && p.protocol != Protocols.TCP) return;
        int port = service(p.srcPort, p.dstPort);
        if (rtpLike && !KNOWN[port]) rtp++;
        int[] t = p.protocol == Protocols.UDP ? udp : tcp;
        if (t[port] < Integer.MAX_VALUE) t[port]++;
        total++;
    }

    /** The service end of a src/dst port pair: a named well-known port when one end is, else the lower port. */
    static int service(int src, int dst) {
        boolean s = KNOWN[src], d = KNOWN[dst];
        if (s != d) return s ? src : dst;
        return Math.min(src, dst);
    }

    /** Packets keyed as RTP off the named service ports: the RTP a verdict can judge. */
    public long rtp() {
        return rtp;
    }

    /** UDP and TCP packets counted. */
    public long total() {
        return total;
    }

    /** Adds another capture's counts (the two sides of a case described together). */
    public void addAll(ServicePorts o) {
        for (int i = 0; i < 65536; i++) {
            udp[i] = (int) Math.min(Integer.MAX_VALUE, (long) udp[i] + o.udp[i]);
            tcp[i] = (int) Math.min(Integer.MAX_VALUE, (long) tcp[i] + o.tcp[i]);
        }
        total += o.total;
        rtp += o.rtp;
    }

    /** The {@code n} most frequent services, "IPsec NAT-T on UDP 4500: 10 packets", most packets first. */
    public List<String> top(int n) {
        List<long[]> all = new ArrayList<>();
        for (int i = 0; i < 65536; i++) {
            if (udp[i] > 0) all.add(new long[] {udp[i], 0, i});
            if (tcp[i] > 0) all.add(new long[] {tcp[i], 1, i});
        }
        all.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : a[1] != b[1] ? Long.compare(a[1], b[1])
                : Long.compare(a[2], b[2]));
        List<String> out = new ArrayList<>();
        for (long[] e : all.subList(0, Math.min(n, all.size()))) {
            String name = NAMES.get((int) e[2]);
            out.add(String.format(Locale.ROOT, "%s%s %d: %d packet%s", name == null ? "" : name + " on ",
                    e[1] == 0 ? "UDP" : "TCP", e[2], e[0], e[0] == 1 ? "" : "s"));
        }
        if (all.size() > n) out.add((all.size() - n) + " other port" + (all.size() - n == 1 ? "" : "s"));
        return out;
    }
}
