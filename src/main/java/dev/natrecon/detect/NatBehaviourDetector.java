package dev.natrecon.detect;

import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code nat.behaviour}: a passive RFC 4787 classification of the router from what the captures show: mapping,
 * filtering, port preservation, hairpinning and bounds on the UDP binding timeout, each with its evidence or
 * "unknown". State: a bounded sample of unsolicited inbound and hairpin candidates; the bindings at the end; the
 * keepalive timeline for the timeout bounds.
 */
final class NatBehaviourDetector implements Detector {
    static final Rule RULE = new Rule("nat.behaviour", Severity.INFO,
            "How the router's NAT behaves (RFC 4787 terms), as far as the captures show",
            "Once per case with at least one translated binding. Mapping: an internal endpoint seen towards two or "
                    + "more remotes on the same external endpoint is endpoint-independent; on different external "
                    + "ports, address-dependent (remotes with different addresses) or address-and-port-dependent (same "
                    + "address, different ports). Filtering: a packet from a remote the binding never sent to, arriving "
                    + "at a live external endpoint, forwarded (endpoint-independent) or dropped (address-dependent if "
                    + "the address was new, address-and-port-dependent if only the port was). Port preservation: "
                    + "translated bindings whose external port equals the internal one. Hairpinning: a LAN packet to "
                    + "the router's own WAN address, routed back to the LAN or dropped. UDP binding timeout: the "
                    + "longest gap a binding survived (lower bound) and the shortest after which it was gone (upper "
                    + "bound: the external port changed, or packets from the remote found no binding). Each claim "
                    + "names its frames; what the captures cannot show is \"unknown\".",
            List.of("Linux (reference §5.3): endpoint-independent mapping while a mapping of the same source lives, "
                            + "port-preserving, address-and-port-dependent filtering, no hairpinning without explicit rules, "
                            + "bidirectional refresh",
                    "RFC 4787 REQ-5: UDP mapping timer not shorter than 2 min (120 s, nf_conntrack_udp_timeout_stream)"),
            "Nothing to fix by itself; compare with what the phones and the provider expect (a provider relying on "
                    + "STUN or an endpoint-independent filter needs one).",
            List.of("RFC 4787", "RFC 5780", "../shared/reference/linux-netfilter.md §5.3"));

    private static final int SAMPLES = 20;
    private final KeepaliveDetector keepalive;
    /** Unsolicited inbound: WAN frames from the outside with no LAN counterpart (frame, time, src, dst). */
    private final List<Object[]> unsolicited = new ArrayList<>();
    /** LAN frames to a non-private address that did not leave through the WAN (hairpin candidates). */
    private final List<Object[]> hairpin = new ArrayList<>();

    NatBehaviourDetector(KeepaliveDetector keepalive) {
        this.keepalive = keepalive;
    }

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    /** Frames that did not simply cross, until both samples are full. */
    @Override
    public int interest() {
        return unsolicited.size() < SAMPLES || hairpin.size() < SAMPLES ? PacketKinds.UNMATCHED
                : PacketKinds.NONE;
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.captureLabel != null || !s.hasPorts || s.counterpartFrame != 0 && s.outcome != Outcome.ROUTED_BACK) return;
        if (s.side == Side.WAN && s.outcome == Outcome.NO_COUNTERPART && unsolicited.size() < SAMPLES
                && !c.srcInside()) {
            unsolicited.add(new Object[] {s.frame, s.nanos, Addresses.format(s.srcHi, s.srcLo), s.srcPort,
                    Addresses.endpoint(s.dstHi, s.dstLo, s.dstPort), Addresses.endpoint(s.srcHi, s.srcLo, s.srcPort)});
        } else if (s.side == Side.LAN && (s.outcome == Outcome.ROUTED_BACK || s.outcome == Outcome.NO_COUNTERPART
                || s.outcome == Outcome.LOCAL) && c.role() != Crossing.Role.LEAVING && hairpin.size() < SAMPLES
                && !c.dstInside() && !Addresses.isMulticastOrBroadcast(s.dstHi, s.dstLo)) {
            hairpin.add(new Object[] {s.frame, Addresses.format(s.dstHi, s.dstLo), s.outcome, s.counterpartFrame});
        }
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        // a view by index: the bindings list may read retired lifetimes back one at a time (BindingTable)
        List<Binding> translated = BindingGroups.filtered(context.bindings(), b -> !b.translation().equals("none"));
        if (translated.isEmpty()) return;
        Finding.Builder f = Finding.of(RULE).subject("router").at(translated.get(0).firstNanos);
        for (Binding b : translated) f.at(b.firstNanos);
        String mapping = mapping(translated, f);
        String filtering = filtering(translated, f);
        String ports = portPreservation(translated);
        for (int i = 0; i < Math.min(3, translated.size()); i++) {
            f.frame("lan", translated.get(i).firstLanFrame).frame("wan", translated.get(i).firstWanFrame);
        }
        String hair = hairpinning(context, f);
        String timeout = timeoutBounds(f, KeepaliveDetector.fromTheRoutersDump(context.timeouts()));
        f.message("Mapping: " + mapping + ". Filtering: " + filtering + ". Port preservation: " + ports
                        + ". Hairpinning: " + hair + ". UDP binding timeout: " + timeout + ".")
                .detail("mapping", mapping).detail("filtering", filtering).detail("port preservation", ports)
                .detail("hairpinning", hair).detail("udp binding timeout", timeout)
                .detail("translated bindings", translated.size());
        findings.accept(f.build());
    }

    private static String mapping(List<Binding> translated, Finding.Builder f) {
        // the first pair with two remotes of the first internal endpoint (in order of appearance) that has one: its
        // first binding and the first later one towards another remote (if none differs from the first, none differ)
        for (int[] group : BindingGroups.of(translated, b -> true, b -> b.protocol + " " + b.internal(), 2)) {
            Binding a = translated.get(group[0]);
            for (int j = 1; j < group.length; j++) {
                Binding b = translated.get(group[j]);
                if (a.remote().equals(b.remote())) continue;
                f.frame("lan", a.firstLanFrame).frame("lan", b.firstLanFrame).frame("wan", a.firstWanFrame)
                        .frame("wan", b.firstWanFrame);
                String ev = a.internal() + " to " + a.remote() + " as " + a.external() + " (binding " + a.id
                        + "), to " + b.remote() + " as " + b.external() + " (binding " + b.id + ")";
                if (a.external().equals(b.external())) return "endpoint-independent: " + ev;
                boolean sameAddress = a.remoteHi == b.remoteHi && a.remoteLo == b.remoteLo;
                return (sameAddress ? "address-and-port-dependent: " : "address-dependent (or stricter): ") + ev;
            }
        }
        return "unknown (no internal endpoint was seen towards more than one remote)";
    }

    private String filtering(List<Binding> translated, Finding.Builder f) {
        // dropped: an unsolicited packet to a live external endpoint from a remote it never sent to
        for (Object[] u : unsolicited) {
            long t = (Long) u[1];
            for (Binding b : translated) {
                if (!b.external().equals(u[4]) || t < b.firstNanos || t > b.lastNanos) continue;
                String remote = Addresses.format(b.remoteHi, b.remoteLo);
                if (remote.equals(u[2]) && b.remotePort == (Integer) u[3]) continue;
                f.frame("wan", (Long) u[0]);
                String ev = "wan frame " + u[0] + " from " + u[5] + " to "
                        + u[4] + " (binding " + b.id + " with " + b.remote() + ") was not forwarded";
                return (remote.equals(u[2]) ? "address-and-port-dependent: " : "address-dependent (or stricter): ") + ev;
            }
        }
        // forwarded: a binding opened from outside on an external endpoint another remote's binding already used
        for (Binding b : translated) {
            if (b.packets(Side.WAN, 0) != 0 || b.packets(Side.LAN, 1) == 0) continue;
            for (Binding a : translated) {
                if (a.id == b.id || !a.external().equals(b.external()) || a.firstNanos > b.firstNanos) continue;
                f.frame("wan", b.firstWanFrame).frame("lan", b.firstLanFrame);
                return "endpoint-independent (or an expectation of a helper): " + b.remote() + " reached " + b.internal()
                        + " through " + b.external() + " (binding " + b.id + ") although only " + a.remote()
                        + " had been sent to (binding " + a.id + ")";
            }
        }
        return "unknown (no packet from a new remote reached a live external endpoint)";
    }

    private static String portPreservation(List<Binding> translated) {
        int kept = 0;
        List<String> moved = new ArrayList<>();
        for (Binding b : translated) {
            if (b.externalPort == b.internalPort) kept++;
            else if (moved.size() < 3) moved.add(b.internal() + " as " + b.external() + " (binding " + b.id + ")");
        }
        if (kept == translated.size()) return "yes, every translated binding kept its port (" + kept + ")";
        return kept + " of " + translated.size() + " translated bindings kept their port; moved: " + String.join(", ", moved);
    }

    private String hairpinning(DetectionContext context, Finding.Builder f) {
        for (Object[] h : hairpin) {
            if (!context.externalAddresses().contains((String) h[1])) continue;
            f.frame("lan", (Long) h[0]);
            if (h[2] == Outcome.ROUTED_BACK) {
                f.frame("lan", (Long) h[3]);
                return "yes: lan frame " + h[0] + " to the router's WAN address " + h[1] + " came back into the LAN as "
                        + "lan frame " + h[3];
            }
            return "no: lan frame " + h[0] + " to the router's WAN address " + h[1] + " went nowhere";
        }
        return "unknown (no LAN packet to the router's WAN address)";
    }

    /**
     * Per timeout state of the entry (unreplied, stream, sip helper): a packet from the remote delivered after a gap
     * proves the binding outlived it (lower bound); one that found no binding, or the phone's next packet leaving on
     * another port of the same address, proves it did not (upper bound). A re-created binding that kept its port
     * cannot be told from a surviving one, so the phone's own packets give no lower bound. With the router's own
     * timeouts ({@code dumped}), a binding lost after a gap shorter than the timeout in force was deleted, not expired:
     * no bound.
     */
    private String timeoutBounds(Finding.Builder f, boolean dumped) {
        Map<String, KeepaliveRow[]> byKind = new LinkedHashMap<>();
        for (KeepaliveRow r : keepalive.rows()) {
            if (r.timeoutSeconds() < 0) continue;
            KeepaliveRow[] b = byKind.computeIfAbsent(r.timeoutKind(), k -> new KeepaliveRow[2]);
            boolean lost = (r.note().contains("no LAN counterpart") || portMoved(r.note()))
                    && !(dumped && r.gapSeconds() < r.timeoutSeconds());
            if (lost) {
                if (b[1] == null || r.gapSeconds() < b[1].gapSeconds()) b[1] = r;
            } else if (r.direction().equals("in") && r.lanFrame() != 0 && r.wanFrame() != 0
                    && (b[0] == null || r.gapSeconds() > b[0].gapSeconds())) {
                b[0] = r;
            }
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, KeepaliveRow[]> e : byKind.entrySet()) {
            KeepaliveRow lo = e.getValue()[0], hi = e.getValue()[1];
            if (hi == null && (lo == null || lo.gapSeconds() < 1)) continue;
            StringBuilder sb = new StringBuilder(e.getKey()).append(" entry ");
            if (lo != null && lo.gapSeconds() >= 1) {
                f.frame("wan", lo.wanFrame());
                sb.append(String.format(Locale.ROOT, "at least %.1f s (wan frame %d still delivered after that gap)",
                        lo.gapSeconds(), lo.wanFrame()));
            }
            if (hi != null) {
                if (hi.lanFrame() != 0) f.frame("lan", hi.lanFrame());
                if (hi.wanFrame() != 0) f.frame("wan", hi.wanFrame());
                sb.append(sb.toString().endsWith("entry ") ? "" : ", ").append(String.format(Locale.ROOT,
                        "less than %.1f s (after that gap: %s, %s frame %d)", hi.gapSeconds(),
                        hi.note().replaceAll("entry \\d+ expired in the model at [0-9:.]+; ", ""),
                        hi.lanFrame() != 0 ? "lan" : "wan", hi.lanFrame() != 0 ? hi.lanFrame() : hi.wanFrame()));
            }
            parts.add(sb.toString());
        }
        return parts.isEmpty() ? "unknown (no gap long enough, and no expiry seen)" : String.join("; ", parts);
    }

    /** "external endpoint changed A:p -> A:q": the same address, another port (not an address change). */
    private static boolean portMoved(String note) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("external endpoint changed (\\S+):\\d+ -> (\\S+):\\d+")
                .matcher(note);
        return m.find() && m.group(1).equals(m.group(2));
    }
}
