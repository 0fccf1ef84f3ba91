package dev.natrecon.conntrack;

/**
 * One direction of a conntrack entry as conntrack-tools prints it. Ports (or ICMP type/code/id) are -1 when the line
 * has none; counters are -1 without {@code nf_conntrack_acct}.
 */
public record KernelTuple(String src, String dst, int sport, int dport, int icmpType, int icmpCode, int icmpId,
                          long packets, long bytes) {
    /** "src=… dst=… sport=… dport=…" as conntrack prints it, without counters (stable across runs). */
    public String text() {
        StringBuilder sb = new StringBuilder("src=").append(src).append(" dst=").append(dst);
        if (sport >= 0) sb.append(" sport=").append(sport).append(" dport=").append(dport);
        if (icmpType >= 0) sb.append(" type=").append(icmpType).append(" code=").append(icmpCode).append(" id=").append(icmpId);
        return sb.toString();
    }

    /** As the model's tuple for layer-4 protocol {@code protocol}. */
    public ConntrackTuple tuple(int protocol) {
        long[] s = ConntrackTuple.address(src), d = ConntrackTuple.address(dst);
        if (icmpType >= 0) return ConntrackTuple.icmp(protocol, s[0], s[1], d[0], d[1], icmpType, icmpCode, icmpId);
        if (sport >= 0) return ConntrackTuple.ports(protocol, s[0], s[1], d[0], d[1], sport, dport);
        return ConntrackTuple.generic(protocol, s[0], s[1], d[0], d[1]);
    }
}
