package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;

/**
 * An immutable picture of an expectation at one instant, as {@code conntrack -E expect} / {@code -L expect} print it.
 *
 * @param id             the model's expectation number, from 1 in order of creation
 * @param master         the master entry's original tuple
 * @param flags          {@link Expectation#PERMANENT}, {@link Expectation#INACTIVE}
 * @param helper         the master's helper, which conntrack-tools prints for every expectation
 * @param timeoutSeconds whole seconds left (floor), -1 when not printed
 */
public record ExpectView(long id, int protocol, boolean srcAny, long srcHi, long srcLo, long dstHi, long dstLo,
                         int dstPort, ConntrackTuple master, int flags, int klass, String className, String helper,
                         long timeoutSeconds) {
    /**
     * The line after the event tag, in conntrack-tools' format: {@code 180 proto=17 src=… dst=… sport=0 dport=5060
     * mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=… master-dst=… sport=5060
     * dport=5060 PERMANENT,INACTIVE class=0 helper=sip}.
     */
    public String text() {
        boolean v4 = Addresses.isV4(dstHi, dstLo);
        String all = v4 ? "255.255.255.255" : "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String none = v4 ? "0.0.0.0" : "::";
        StringBuilder sb = new StringBuilder(200);
        if (timeoutSeconds >= 0) sb.append(timeoutSeconds).append(' ');
        sb.append("proto=").append(protocol)
                .append(" src=").append(srcAny ? none : Addresses.format(srcHi, srcLo))
                .append(" dst=").append(Addresses.format(dstHi, dstLo))
                .append(" sport=0 dport=").append(dstPort)
                .append(" mask-src=").append(srcAny ? none : all)
                .append(" mask-dst=").append(all)
                .append(" sport=0 dport=65535")
                .append(" master-src=").append(Addresses.format(master.srcHi(), master.srcLo()))
                .append(" master-dst=").append(Addresses.format(master.dstHi(), master.dstLo()))
                .append(" sport=").append(master.srcPort()).append(" dport=").append(master.dstPort());
        String f = (flags & Expectation.PERMANENT) != 0 ? "PERMANENT" : "";
        if ((flags & Expectation.INACTIVE) != 0) f += (f.isEmpty() ? "" : ",") + "INACTIVE";
        if (!f.isEmpty()) sb.append(' ').append(f);
        sb.append(" class=").append(klass);
        if (helper != null) sb.append(" helper=").append(helper);
        return sb.toString();
    }
}
