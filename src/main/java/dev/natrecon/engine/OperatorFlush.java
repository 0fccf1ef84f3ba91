package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackModel;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EventSink;
import dev.natrecon.conntrack.Inferred;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * An operator's {@code conntrack -D} (with its {@code -p}, {@code --orig-src}, {@code --orig-dst},
 * {@code --orig-port-src}, {@code --orig-port-dst} filter) or {@code conntrack -F}, given by the case settings
 * ({@code event.conntrack.flush.t} and {@code .command}): no packet shows it, so only the settings can. The matching
 * entries are deleted through ctnetlink (nf_conntrack_netlink.c: nf_ct_delete, a DESTROY with the seconds left) within
 * the precision the time was written with; the flow's next packet makes a new entry.
 */
final class OperatorFlush {
    private OperatorFlush() {
    }

    /** The link-change kind the settings give it as. */
    static final String KIND = "flush";

    /** Deletes the entries {@code command} matches, at {@code at}, known within ±{@code precision} (not before {@code last}). */
    static int apply(ConntrackModel model, String command, long at, long precision, long last, EventSink out) {
        Filter f = Filter.parse(command);
        long from = Math.min(at, Math.max(at - precision, last == Long.MIN_VALUE ? at - precision : last));
        Inferred why = new Inferred(from, at + precision, List.of(), "case settings: the operator's `" + command
                + "` at " + dev.natrecon.capture.Times.iso(at) + " (±" + precision / 1e9 + " s, the precision given)");
        int n = 0;
        for (ConntrackEntry e : new ArrayList<>(model.entries())) {
            if (!f.matches(e.original())) continue;
            model.killAround(at, e, why, out);
            n++;
        }
        return n;
    }

    /** The entries a conntrack -D / -F selects by their original tuple (-1 / null: any). */
    record Filter(int protocol, String src, String dst, int sport, int dport) {
        static Filter parse(String command) {
            String[] w = command.trim().split("\\s+");
            int protocol = -1, sport = -1, dport = -1;
            String src = null, dst = null;
            boolean delete = false;
            for (int i = 0; i < w.length; i++) {
                String v = i + 1 < w.length ? w[i + 1] : "";
                switch (w[i]) {
                    case "-D", "--delete" -> delete = true;
                    case "-p", "--proto" -> protocol = v.equalsIgnoreCase("udp") ? ConntrackTuple.UDP
                            : v.equalsIgnoreCase("tcp") ? ConntrackTuple.TCP : v.equalsIgnoreCase("icmp") ? ConntrackTuple.ICMP
                            : Integer.parseInt(v);
                    case "-s", "--orig-src", "--src" -> src = v;
                    case "-d", "--orig-dst", "--dst" -> dst = v;
                    case "--orig-port-src", "--sport" -> sport = Integer.parseInt(v);
                    case "--orig-port-dst", "--dport" -> dport = Integer.parseInt(v);
                    default -> {
                    }
                }
            }
            return delete ? new Filter(protocol, src, dst, sport, dport) : new Filter(-1, null, null, -1, -1);
        }

        boolean matches(ConntrackTuple o) {
            return (protocol < 0 || o.protocol() == protocol)
                    && (src == null || src.equals(Addresses.format(o.srcHi(), o.srcLo())))
                    && (dst == null || dst.equals(Addresses.format(o.dstHi(), o.dstLo())))
                    && (sport < 0 || o.hasPorts() && o.srcPort() == sport)
                    && (dport < 0 || o.hasPorts() && o.dstPort() == dport);
        }
    }
}
