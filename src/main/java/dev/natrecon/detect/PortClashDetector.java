package dev.natrecon.detect;

import dev.natrecon.correlate.Inside;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.conntrack.Status;
import dev.natrecon.correlate.Binding;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Protocols;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code nat.port_clash}: two LAN endpoints competing for one external port. Either a new entry could not keep its
 * source port because another LAN endpoint's live entry held the same external address and port towards the same
 * remote (nf_nat_core.c:get_unique_tuple: the tuple is taken, so a port is searched), or two LAN endpoints were shown
 * on the same external address and port at overlapping times (towards different remotes, which Linux allows).
 * State: none per packet; the remapped entries as they are created (few), the bindings at the end.
 */
final class PortClashDetector implements Detector {
    static final Rule RULE = new Rule("nat.port_clash", Severity.WARNING,
            "Two LAN endpoints competed for one external port",
            "(a) A new entry from a LAN endpoint got another external source port than its own while a live entry of "
                    + "another LAN endpoint held that external address and port towards the same remote: the second "
                    + "endpoint was remapped (warning; the finding names which endpoint kept the port and which was "
                    + "moved). (b) Two different LAN endpoints appear on the same external address and port at "
                    + "overlapping times (each towards a different remote; info: Linux allows it since the tuples "
                    + "differ, but a remote that sees both, or an endpoint-independent filter, cannot tell them apart).",
            List.of("none: one remapped entry is enough; the search order of the new port is nf_nat_core.c's "
                    + "(reference §5.1)"),
            "Give each phone its own local SIP port (5060, 5062, ...), or let the provider use the source port it sees "
                    + "(rport, RFC 3581) and not the Contact; with the SIP helper on, the helper rewrites Via/Contact to "
                    + "the new port; with it off, make sure the phones send keep-alives so the registrar learns the "
                    + "mapped port.",
            List.of("nf_nat_core.c:get_unique_tuple, nf_nat_used_tuple", "RFC 4787 §4.1 (port preservation)",
                    "../shared/reference/linux-netfilter.md §5.1, §5.3"));

    /**
     * Overlapping pairs of one external endpoint listed as findings of their own; the rest are counted in one more
     * finding. Ten pairs show the pattern; the rest add only volume.
     */
    static final int MAX_PAIRS_PER_PORT = 10;
    /**
     * Bindings of one external endpoint compared pair by pair (at most 2,016 pairs, the listing in binding order);
     * a larger group is swept in time order ({@link SharedPortSweep}), so a port shared by 100,000 bindings costs
     * O(n log n), not n(n-1)/2 comparisons.
     */
    static final int PAIRWISE_UP_TO = 64;
    /** LAN endpoints named in the counted finding of one external endpoint. */
    static final int MAX_ENDPOINTS_NAMED = 20;
    /** Remapped entries held as findings until the end; the first ones say it all, the rest are counted. */
    static final int MAX_REMAPPED = 200;

    private final LiveEntries entries;
    private long remappedNotKept;
    private final List<Finding.Builder> remapped = new ArrayList<>();
    /** Per remapped finding: the internal endpoints (kept, moved) and the remote, to add the bindings' first frames. */
    private final List<String[]> parties = new ArrayList<>();

    /** What is inside (the classifier's {@link Inside}): a holder from the inside is a LAN endpoint. */
    private final Inside inside;

    PortClashDetector(LiveEntries entries, Inside inside) {
        this.entries = entries;
        this.inside = inside;
    }

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public void conntrack(ConntrackEvent e) {
        if (!(e instanceof ConntrackEvent.EntryCreated c) || !c.entry().has(Status.SRC_NAT)) return;
        EntryView v = c.entry();
        ConntrackTuple o = v.original(), r = v.reply();
        if (!o.hasPorts() || r.dstPort() == o.srcPort()) return;
        // who holds external:originalPort towards the same remote? (the tuple the new entry could not have)
        Flow wanted = new Flow(o.protocol(), r.dstHi(), r.dstLo(), o.srcPort(), r.srcHi(), r.srcLo(), r.srcPort());
        EntryView holder = entries.of(wanted, e.nanos());
        if (holder == null || holder.id() == v.id()) return;
        ConntrackTuple h = holder.original();
        if (!inside.contains(h.srcHi(), h.srcLo()) || (h.srcHi() == o.srcHi() && h.srcLo() == o.srcLo()
                && h.srcPort() == o.srcPort())) {
            return; // held by an inbound entry or the router's own: not two LAN endpoints
        }
        String kept = Addresses.endpoint(h.srcHi(), h.srcLo(), h.srcPort());
        String moved = Addresses.endpoint(o.srcHi(), o.srcLo(), o.srcPort());
        String external = Addresses.endpoint(r.dstHi(), r.dstLo(), o.srcPort());
        String got = Addresses.endpoint(r.dstHi(), r.dstLo(), r.dstPort());
        String remote = Addresses.endpoint(r.srcHi(), r.srcLo(), r.srcPort());
        Flow flow = new Flow(o.protocol(), o.srcHi(), o.srcLo(), o.srcPort(), o.dstHi(), o.dstLo(), o.dstPort());
        Flow wan = new Flow(o.protocol(), r.dstHi(), r.dstLo(), r.dstPort(), r.srcHi(), r.srcLo(), r.srcPort());
        if (remapped.size() >= MAX_REMAPPED) {
            remappedNotKept++;
            return;
        }
        parties.add(new String[] {kept, moved, remote});
        remapped.add(Finding.of(RULE).at(c.nanos()).frame(c.frame().point(), c.frame().frame())
                .subject(flow.text())
                .cause(Protocols.name(o.protocol()) + " " + Addresses.format(r.dstHi(), r.dstLo()))
                .message(moved + " could not keep " + external + " towards " + remote + ": " + kept + " (entry "
                        + holder.id() + ") already held it, so the router remapped " + moved + " to " + got + " (entry "
                        + v.id() + ", " + c.frame().point() + " frame " + c.frame().frame() + "). " + kept
                        + " kept its port; the remote sees the two phones as " + external + " and " + got + ".")
                .filterWithEvidence("lan", flow.displayFilterBothWays()) // the evidence: both parties' first frames
                .filterWithEvidence("wan", wan.displayFilterBothWays())
                .conntrack(EventFormat.entry(v))
                .detail("kept the port", kept + " as " + external + " (entry " + holder.id() + ": "
                        + EventFormat.entry(holder) + ")")
                .detail("remapped", moved + " as " + got + " (entry " + v.id() + ")")
                .detail("how the port was found", c.natPort().name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** Events only. */
    @Override
    public int interest() {
        return PacketKinds.NONE;
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        // the first frames of the parties' bindings, found in one pass over the bindings
        Map<String, List<Integer>> wanted = new java.util.HashMap<>();
        for (int i = 0; i < parties.size(); i++) {
            String[] p = parties.get(i);
            wanted.computeIfAbsent(p[0] + " " + p[2], k -> new ArrayList<>()).add(i);
            if (!p[1].equals(p[0])) wanted.computeIfAbsent(p[1] + " " + p[2], k -> new ArrayList<>()).add(i);
        }
        if (!wanted.isEmpty()) {
            for (Binding b : context.bindings()) {
                List<Integer> to = wanted.get(b.internal() + " " + b.remote());
                if (to == null) continue;
                for (int i : to) remapped.get(i).frame("lan", b.firstLanFrame).frame("wan", b.firstWanFrame);
            }
        }
        for (Finding.Builder f : remapped) findings.accept(f.build());
        if (remappedNotKept > 0 && !remapped.isEmpty()) {
            findings.accept(Finding.of(RULE).at(remapped.get(remapped.size() - 1).build().nanos())
                    .subject("remapped entries")
                    .cause(remapped.get(remapped.size() - 1).build().cause())
                    .message(remappedNotKept + " more entries were remapped because another LAN endpoint held their "
                            + "external port; the first " + MAX_REMAPPED + " are findings of their own. Every entry is "
                            + "in events.csv.")
                    .detail("remapped entries not listed", remappedNotKept)
                    .build());
        }
        // (b) one external endpoint shared by different internal endpoints at overlapping times
        // (a single binding on an endpoint shares it with nobody; groups found without holding every binding)
        List<Binding> all = context.bindings();
        for (int[] group : BindingGroups.of(all, b -> !b.translation().equals("none"),
                b -> b.protocol + " " + b.external(), 2)) {
            shared(BindingGroups.members(all, group), findings);
        }
    }

    /**
     * The overlapping pairs of one external endpoint's bindings: the first {@link #MAX_PAIRS_PER_PORT} as findings of
     * their own, the rest counted in one more finding (n endpoints can make n(n-1)/2 pairs: a capture with a few
     * thousand phones behind one port must not become millions of findings).
     */
    private static void shared(List<Binding> group, Consumer<Finding> findings) {
        if (group.size() > PAIRWISE_UP_TO) {
            swept(group, findings);
            return;
        }
        long more = 0;
        int listed = 0;
        Finding.Builder rest = null;
        java.util.Set<String> endpoints = new java.util.HashSet<>();
        for (int i = 0; i < group.size(); i++) {
            for (int j = i + 1; j < group.size(); j++) {
                Binding a = group.get(i), b = group.get(j);
                if (a.internalHi == b.internalHi && a.internalLo == b.internalLo && a.internalPort == b.internalPort) continue;
                if (a.lastNanos < b.firstNanos || b.lastNanos < a.firstNanos) continue;
                if (listed < MAX_PAIRS_PER_PORT) {
                    listed++;
                    findings.accept(pair(a, b));
                    continue;
                }
                if (rest == null) rest = Finding.of(RULE).severity(Severity.INFO).subject(a.protocolName() + " " + a.external())
                        .cause(externalHost(a));
                more++;
                if (endpoints.size() < MAX_ENDPOINTS_NAMED) {
                    endpoints.add(a.internal());
                    endpoints.add(b.internal());
                }
                rest.at(Math.max(a.firstNanos, b.firstNanos)).at(Math.min(a.lastNanos, b.lastNanos))
                        .frame("lan", a.firstLanFrame).frame("lan", b.firstLanFrame)
                        .frame("wan", a.firstWanFrame).frame("wan", b.firstWanFrame);
            }
        }
        if (rest == null) return;
        Binding first = group.get(0);
        findings.accept(rest.message(more + " more pairs of LAN endpoints appeared as " + first.external()
                        + " at overlapping times (" + group.size() + " bindings share it); the first "
                        + MAX_PAIRS_PER_PORT + " pairs are findings of their own, the rest are counted here. "
                        + "Linux allows it because the remotes differ. Every binding is in mappings.csv.")
                .detail("pairs not listed", more)
                .detail("bindings sharing the port", group.size())
                .detail("some of the endpoints", String.join(", ", new java.util.TreeSet<>(endpoints))
                        + (endpoints.size() >= MAX_ENDPOINTS_NAMED ? ", ..." : ""))
                .build());
    }

    /**
     * {@link #shared} for a group too large to walk pair by pair ({@link SharedPortSweep}): the first pairs in time
     * order, the rest counted, with their span, some endpoints and the first frames of the bindings in them.
     */
    private static void swept(List<Binding> group, Consumer<Finding> findings) {
        SharedPortSweep s = new SharedPortSweep(group, MAX_PAIRS_PER_PORT, MAX_ENDPOINTS_NAMED);
        for (Binding[] p : s.listed) findings.accept(pair(p[0], p[1]));
        if (s.more == 0) return;
        Binding first = group.get(0);
        Finding.Builder rest = Finding.of(RULE).severity(Severity.INFO).subject(first.protocolName() + " "
                + first.external()).cause(externalHost(first)).at(s.restFirst).at(s.restLast);
        for (Binding b : s.inRest) rest.frame("lan", b.firstLanFrame).frame("wan", b.firstWanFrame);
        findings.accept(rest.message(s.more + " more pairs of LAN endpoints appeared as " + first.external()
                        + " at overlapping times (" + group.size() + " bindings share it); the first "
                        + MAX_PAIRS_PER_PORT + " pairs are findings of their own, the rest are counted here. "
                        + "Linux allows it because the remotes differ. Every binding is in mappings.csv.")
                .detail("pairs not listed", s.more)
                .detail("bindings sharing the port", group.size())
                .detail("some of the endpoints", String.join(", ", s.endpoints)
                        + (s.endpoints.size() >= MAX_ENDPOINTS_NAMED ? ", ..." : ""))
                .build());
    }

    private static Finding pair(Binding a, Binding b) {
        return Finding.of(RULE).severity(Severity.INFO)
                .at(Math.max(a.firstNanos, b.firstNanos)).at(Math.min(a.lastNanos, b.lastNanos))
                .frame("lan", a.firstLanFrame).frame("lan", b.firstLanFrame)
                .frame("wan", a.firstWanFrame).frame("wan", b.firstWanFrame)
                .subject(a.protocolName() + " " + a.external())
                .cause(externalHost(a))
                .message(a.internal() + " (to " + a.remote() + ", binding " + a.id + ") and " + b.internal()
                        + " (to " + b.remote() + ", binding " + b.id + ") both appeared as " + a.external()
                        + " at overlapping times (" + Text.time(Math.max(a.firstNanos, b.firstNanos)) + " to "
                        + Text.time(Math.min(a.lastNanos, b.lastNanos)) + "). Linux allows it because the "
                        + "remotes differ; only packets from each binding's own remote are let back in.")
                .detail("bindings", a.id + ", " + b.id)
                .build();
    }

    /** The cause of a port clash: the router's external address ("udp 203.0.113.5"), whatever the port. */
    private static String externalHost(Binding a) {
        return a.protocolName() + " " + Addresses.format(a.externalHi, a.externalLo);
    }
}
