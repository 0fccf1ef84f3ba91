package dev.natrecon.detect;

import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code nat.private_source_leak}: packets on the WAN whose source is an inside address that should have been
 * translated ({@link dev.natrecon.correlate.Inside#leaksOnWan}: one of the case's {@code --inside} networks, else a
 * private address, RFC 1918 or RFC 4193 ULA) and not one of the router's own, one finding per leaking flow, tied to its
 * LAN counterpart where the matcher found one. RFC 6598 shared space (a carrier NAT's WAN side), loopback and
 * link-local are never a leak.
 */
final class PrivateSourceLeakDetector implements Detector {
    static final Rule RULE = new Rule("nat.private_source_leak", Severity.ERROR,
            "Packets left the WAN with a private source address",
            "A WAN-side packet whose source address is private (10/8, 172.16/12, 192.168/16, fc00::/7; or in the "
                    + "case's --inside networks when given) and not one of the router's own WAN addresses. Not a leak: "
                    + "100.64/10 shared space (RFC 6598, a carrier NAT's addresses on the WAN side; give --inside "
                    + "100.64.0.0/10 when the LAN uses it), loopback and link-local (never forwarded). "
                    + "One finding per flow (protocol, source and destination address and port as seen on the WAN), "
                    + "with its WAN frames and the LAN frames they were matched to. The provider drops such packets "
                    + "(BCP 38 ingress filtering), so whatever they carry never arrives: a REGISTER that leaks is a lost "
                    + "registration, RTP that leaks is one-way audio.",
            List.of("none: one packet is enough"),
            "Make the NAT rule cover every LAN source and protocol (a masquerade rule limited to one subnet or to UDP "
                    + "leaves the rest un-NATed), and drop forwarded packets with a private source on the WAN "
                    + "(e.g. nft: oifname \"wan\" ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } "
                    + "ct status != snat drop). If an entry was created un-NATed while the uplink was down, flush it "
                    + "(conntrack -D -s ADDRESS): see nat.stale_mapping.",
            List.of("RFC 1918", "RFC 6598", "RFC 4193", "BCP 38 (RFC 2827)", "../shared/reference/linux-netfilter.md"));

    private final LiveEntries entries;
    private final Map<Flow, Leak> leaks = new LinkedHashMap<>();

    PrivateSourceLeakDetector(LiveEntries entries) {
        this.entries = entries;
    }

    /** Per leaking WAN flow: its span, counts and evidence. */
    private static final class Leak {
        final Finding.Builder finding = Finding.of(RULE);
        long packets, matched, bytes;
        String conntrack = "";
        Flow lanFlow;
    }

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    /** Only frames that leaked. */
    @Override
    public int interest() {
        return PacketKinds.LEAKED;
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.outcome != Outcome.LEAKED || s.side != Side.WAN || s.captureLabel != null) return;
        Flow flow = Flow.of(s);
        Leak leak = leaks.computeIfAbsent(flow, f -> new Leak());
        leak.packets++;
        leak.bytes += s.length;
        leak.finding.at(s.nanos).frame("wan", s.frame);
        if (s.counterpartFrame != 0) {
            leak.matched++;
            leak.finding.frame("lan", s.counterpartFrame);
            if (leak.lanFlow == null) leak.lanFlow = Flow.counterpartOf(s);
        }
        if (leak.conntrack.isEmpty()) leak.conntrack = entries.text(flow, s.nanos);
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Map.Entry<Flow, Leak> e : leaks.entrySet()) {
            Flow flow = e.getKey();
            Leak leak = e.getValue();
            Finding.Builder b = leak.finding.subject(flow.text())
                    .cause("private source " + Addresses.format(flow.srcHi(), flow.srcLo()))
                    .message(String.format(Locale.ROOT, "%d packet%s (%d bytes) of %s left the WAN with private source %s"
                                    + "%s.", leak.packets, leak.packets == 1 ? "" : "s", leak.bytes, flow.text(),
                            flow.source(), leak.matched == 0 ? "; none was matched to a LAN packet"
                                    : leak.matched == leak.packets ? (leak.lanFlow != null
                                            && !leak.lanFlow.source().equals(flow.source())
                                            ? ", each the copy of a LAN packet from " + leak.lanFlow.source()
                                                    + " translated to that private source"
                                            : ", each the untranslated copy of a LAN packet")
                                    : String.format(Locale.ROOT, ", %d of them matched to LAN packets", leak.matched)))
                    .filter("wan", flow.displayFilter())
                    .conntrack(leak.conntrack)
                    .detail("packets", leak.packets)
                    .detail("bytes", leak.bytes)
                    .detail("matched to LAN", leak.matched);
            if (leak.lanFlow != null) b.filter("lan", leak.lanFlow.displayFilter());
            findings.accept(b.build());
        }
    }
}
