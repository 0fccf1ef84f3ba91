package dev.natrecon.detect;

import dev.natrecon.correlate.Inside;
import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.conntrack.Status;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code nat.stale_mapping}: an entry whose NAT binding no longer fits the uplink, kept alive by the phone's traffic.
 * Two ways to get one (reference §6, §5.2):
 * <ul>
 *   <li>created without source NAT (a null binding) for a LAN host talking to the outside while the WAN was down or
 *       its address gone, or while its packets went out a fallback route instead of the WAN; once the WAN is back the
 *       entry still says "no NAT" and its packets leave with the private source;</li>
 *   <li>translated to an address the WAN no longer has (a fixed SNAT survives the address change; masquerade would
 *       have flushed it);</li>
 *   <li>created without NAT, and a later entry of the same host to the same destination was translated: the NAT rule
 *       covers that traffic now (loaded or changed after the entry was made);</li>
 *   <li>wrongly NATed from its first packet: masqueraded to an address of the LAN's own subnet (the WAN interface had
 *       no address), or translated to another uplink's address (its requests leave the WAN from it while the answers
 *       reach the phone by another path: a backup uplink's SNAT).</li>
 * </ul>
 * An entry bound to an address the WAN has again shows nothing stale from then on (kept or re-made, it fits).
 * State: one small record per live entry from an inside address to the outside (dropped when the entry goes unless
 * it became stale), and per stale entry its refresh summary.
 */
final class StaleMappingDetector implements Detector {
    static final Rule RULE = new Rule("nat.stale_mapping", Severity.ERROR,
            "A conntrack entry kept a NAT binding that no longer fits the uplink",
            "An entry from a private LAN address to a non-private destination that (a) was created without source NAT "
                    + "while the WAN was down or its address removed (from the case settings, --link-change, PPPoE/DHCP "
                    + "messages), or whose first packet did not leave through the WAN (routed back out of the LAN by a "
                    + "fallback route, or dropped), and that the phone kept refreshing after the WAN was usable again; or "
                    + "(b) was translated to a WAN address that was then removed and still refreshed afterwards; or (c) "
                    + "was created without NAT and kept refreshed after a later entry of the same host to the same "
                    + "destination was translated (the NAT rule loaded or changed after it); or (d) was translated to "
                    + "an address of the LAN's own subnet (masquerade with no WAN address) or to another uplink's address "
                    + "(its requests leave the WAN from it, the answers reach the phone by another path). Linux "
                    + "never re-evaluates an entry's NAT (nf_nat_core.c: the binding is made once, at the first packet), "
                    + "only masquerade flushes entries when the device goes down or its address goes "
                    + "(nf_nat_masquerade.c), and every packet restarts the timer: 30 s unreplied, 120 s stream, 3600 s "
                    + "with the SIP helper. Evidence: the frame that created the entry, the frames that refreshed it "
                    + "afterwards on each side, the entry.",
            List.of("nf_conntrack_udp_timeout 30 s / nf_conntrack_udp_timeout_stream 120 s / sip_timeout 3600 s: how "
                            + "long refreshes can keep it (reference §3.1, §7.1)",
                    "one refreshing packet after the WAN was back is enough"),
            "Flush the stale entry when the uplink comes back: conntrack -D -s <phone address> (or conntrack -F) from "
                    + "an ifup/hotplug hook of the WAN interface; use masquerade instead of a fixed SNAT when the WAN "
                    + "address can change; do not give LAN hosts a fallback route that bypasses the NAT rule; move the "
                    + "phone to SIP over TCP (a new connection gets a new entry); or stop the phone until the entry "
                    + "times out.",
            List.of("nf_nat_core.c", "nf_nat_masquerade.c (masq_device_event, masq_inet_event)",
                    "../shared/reference/linux-netfilter.md §5.2, §6", "jkroon, Connection Tracking Problems"));

    private final LiveEntries entries;
    /** Live entries from an inside address to the outside, by entry id. */
    private final Map<Long, Candidate> live = new HashMap<>();
    /** Entries that became stale, by the LAN flow of their original direction (and in order of becoming stale). */
    private final Map<Flow, Candidate> stale = new LinkedHashMap<>();
    /** The uplink: when it last became unusable (link down / address removed), else MIN; when it came back. */
    private long downSince = Long.MIN_VALUE;
    private UplinkChange downBy;

    /**
     * Translated entries the model ended at {@link #justEndedAt}: an address removal at that same instant (the model
     * applies it before telling the detectors) may have been what ended them, as masquerade's flush.
     */
    private final List<Candidate> justEnded = new java.util.ArrayList<>();
    private long justEndedAt = Long.MIN_VALUE;
    /** Who the router still answers ARP for on the WAN: an address it stopped answering for is gone. */
    private final ArpWatch arp = new ArpWatch();
    /** Live translated entries not (yet) stale, by their LAN flow: their last SIP packets are remembered. */
    private final Map<Flow, Candidate> natted = new HashMap<>();
    /** WAN addresses removed and not added back, with the change that removed each. */
    private final Map<String, UplinkChange> removed = new HashMap<>();

    /**
     * Live entries created without NAT, by their host-to-destination key ({@link #hostKey}): a later translated entry of
     * the same key shows the NAT rule in force for that traffic (few: un-NATed entries from the inside are rare).
     */
    private final Map<Flow, List<Candidate>> unNatted = new HashMap<>();

    /** The candidates' translated addresses, one String each (a router has one or a few WAN addresses). */
    private final Names addresses = new Names();

    /** What is inside (the classifier's {@link Inside}): an entry from the inside out is a candidate. */
    private final Inside inside;

    StaleMappingDetector(LiveEntries entries, Inside inside) {
        this.entries = entries;
        this.inside = inside;
    }

    private static final class Candidate {
        long id, created, createdFrame;
        String createdPoint;
        Flow flow;
        boolean natted;
        String translated;
        EntryView view;
        /** Why it is stale, or null while it is not (yet). */
        String why;
        /** When it became stale, and whether its first packet was seen reaching the WAN. */
        long staleSince = Long.MIN_VALUE;
        boolean createdWhileDown, firstNotOnWan;
        UplinkChange down, back;
        long ended = Long.MIN_VALUE;
        String endedHow;
        /**
         * Bound to a removed address: when and how the model ended the entry although the router's copies kept leaving
         * from that address (the model flushed it as masquerade would; the router did not: a fixed SNAT), or MIN.
         */
        long modelEnded = Long.MIN_VALUE;
        String modelEndedHow;
        /** Bound to a removed address: a WAN copy of the flow left from another address (re-NATed: healed). */
        boolean healed;
        /**
         * Bound to a removed address that the WAN has again since then, or null: from then on its binding fits the uplink
         * (whether the router kept the entry or masquerade flushed it and the next packet made one with the same
         * address, its copies leave from an address the WAN has), so they show nothing stale.
         */
        UplinkChange rebound;
        /**
         * Created without NAT while the WAN was unusable, no uplink change said it came back: its first copy that left
         * the WAN proves the WAN usable again (with the entry still un-NATed), or MIN.
         */
        long wanAgainNanos = Long.MIN_VALUE, wanAgainFrame;
        /**
         * Created without NAT: a later entry of the same inside host to the same destination that was translated (the
         * NAT rule covers this traffic now: loaded or changed after this entry was made), or null.
         */
        Candidate natLater;
        /**
         * Translated to an address of the phone's own LAN subnet (the router's LAN side): masquerade found no address on
         * the WAN interface and took another interface's (wrongly NATed from its first packet).
         */
        boolean insideNat;
        /**
         * Translated, its copies seen leaving the WAN from its address (the first at {@link #firstOutOnWan}), while the
         * answers to it reach the phone without crossing the WAN ({@link #elsewhere} of them, LAN frames in
         * {@link #elsewhereFrames}): its address is another uplink's (made while its packets left by another interface).
         */
        long firstOutOnWan = Long.MIN_VALUE, firstOutWanFrame;
        int elsewhere;
        long[] elsewhereFrames; // made at the first such answer (most entries never see one)
        boolean otherUplink;
        /** Another uplink's address, yet an answer to it crossed the WAN afterwards: the WAN capture had lost the rest. */
        boolean contradicted;
        /** The address found gone by the router's silence to ARP (no uplink change said so), or null. */
        ArpWatch.Unanswered arp;
        /** The last packet from the far end the router forwarded to the phone through it: proof it was alive. */
        long aliveNanos = Long.MIN_VALUE, aliveWanFrame;
        /** Its SIP packets out since then, while it is translated and not stale (made at its first). */
        Recent recent;
        long afterBack, leaked, inbound;
        /** The timeout each refresh restarted (the model's, in force after the last refresh), and its setting. */
        long timeout = -1;
        String timeoutSetting;
        /** Made when the entry becomes stale (most entries never do: memory stays small per live entry). */
        Refreshes refreshes;
        Finding.Builder finding;

        void becameStale(String why, long since) {
            this.why = why;
            staleSince = since;
            refreshes = new Refreshes();
            finding = Finding.of(RULE);
        }
    }

    /** Answers reaching the phone without crossing the WAN that prove an entry's address another uplink's. */
    private static final int ELSEWHERE_PROOF = 2;

    /**
     * The last outbound SIP packets of a translated entry not answered since (a ring of at most {@link #SIZE}, made at
     * the first packet after an answer and dropped at the answer). Its arrays start at two and double up to the ring's
     * size: most entries are answered after one or two packets, and every open call holds one (0.6 KiB at full size).
     */
    static final class Recent {
        static final int SIZE = 16;
        long[] nanos = new long[2], lanFrame = new long[2], wanFrame = new long[2];
        byte[][] payload = new byte[2][];
        boolean[] fromTranslated = new boolean[2];
        int count, next;

        void add(long t, long lan, long wan, byte[] p, boolean translated) {
            int cap = nanos.length;
            if (count == cap && cap < SIZE) {
                // not wrapped yet: slots 0..cap-1 in order, the next one is cap
                int n = Math.min(2 * cap, SIZE);
                nanos = java.util.Arrays.copyOf(nanos, n);
                lanFrame = java.util.Arrays.copyOf(lanFrame, n);
                wanFrame = java.util.Arrays.copyOf(wanFrame, n);
                payload = java.util.Arrays.copyOf(payload, n);
                fromTranslated = java.util.Arrays.copyOf(fromTranslated, n);
                next = cap;
                cap = n;
            }
            nanos[next] = t;
            lanFrame[next] = lan;
            wanFrame[next] = wan;
            payload[next] = p;
            fromTranslated[next] = translated;
            next = (next + 1) % cap;
            count = Math.min(count + 1, cap);
        }

        /** The slot of the {@code i}-th oldest packet kept. */
        int slot(int i) {
            int cap = nanos.length;
            return (next - count + i + cap) % cap;
        }
    }

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public void uplink(UplinkChange c) {
        switch (c.kind()) {
            case DOWN, ADDRESS_REMOVED -> {
                if (downSince == Long.MIN_VALUE) {
                    downSince = c.nanos();
                    downBy = c;
                }
            }
            case UP, ADDRESS_ADDED -> {
                if (downSince != Long.MIN_VALUE) {
                    for (Candidate x : stale.values()) {
                        // an un-NATed entry whose copies already reached the WAN: the WAN was back before this said so
                        if (x.back == null && (x.createdWhileDown || x.natted) && x.wanAgainNanos == Long.MIN_VALUE) {
                            x.back = c;
                        }
                    }
                }
                downSince = Long.MIN_VALUE;
                downBy = null;
            }
        }
        if (c.kind() == UplinkChange.Kind.ADDRESS_ADDED && c.bareAddress() != null) {
            removed.remove(c.bareAddress());
            for (Candidate x : stale.values()) {
                if (x.natted && x.rebound == null && x.translated.equals(c.bareAddress())) x.rebound = c;
            }
        }
        if (c.kind() == UplinkChange.Kind.ADDRESS_REMOVED) {
            String gone = c.bareAddress();
            if (gone != null && removed.size() < 64) removed.put(gone, c);
            for (Candidate x : live.values()) {
                if (x.natted && x.why == null && x.translated.equals(gone)) {
                    x.becameStale("bound to " + gone + ", which the WAN no longer has", c.nanos());
                    x.down = c;
                    stale.put(x.flow, x);
                    natted.remove(x.flow, x);
                }
            }
            if (justEndedAt == c.nanos()) {
                for (Candidate x : justEnded) {
                    if (x.why != null || !x.translated.equals(gone)) continue;
                    // flushed by the model with the address; whether the router flushed it, its WAN copies tell
                    x.modelEnded = x.ended;
                    x.modelEndedHow = x.endedHow;
                    x.ended = Long.MIN_VALUE;
                    x.endedHow = null;
                    x.becameStale("bound to " + gone + ", which the WAN no longer has", c.nanos());
                    x.down = c;
                    stale.put(x.flow, x);
                }
            }
        }
    }

    @Override
    public void conntrack(ConntrackEvent e) {
        EntryView v = e.entry();
        if (e instanceof ConntrackEvent.EntryCreated c) {
            ConntrackTuple o = v.original();
            if (!o.hasPorts() || !inside.contains(o.srcHi(), o.srcLo()) || inside.contains(o.dstHi(), o.dstLo())
                    || Addresses.isMulticastOrBroadcast(o.dstHi(), o.dstLo())) {
                return;
            }
            Candidate x = new Candidate();
            x.id = v.id();
            x.created = c.nanos();
            x.createdPoint = c.frame().point();
            x.createdFrame = c.frame().frame();
            x.flow = new Flow(o.protocol(), o.srcHi(), o.srcLo(), o.srcPort(), o.dstHi(), o.dstLo(), o.dstPort());
            x.natted = v.has(Status.SRC_NAT);
            x.translated = addresses.intern(Addresses.format(v.reply().dstHi(), v.reply().dstLo()));
            x.view = v;
            UplinkChange gone = x.natted ? removed.get(x.translated) : null;
            if (gone == null && x.natted && onTheLanSubnet(o, v.reply())) {
                x.insideNat = true;
                x.becameStale("translated to " + x.translated + ", an address of the LAN's subnet, not the WAN's",
                        c.nanos());
                Candidate old = stale.get(x.flow);
                if (old == null || old.ended != Long.MIN_VALUE || old.modelEnded != Long.MIN_VALUE) stale.put(x.flow, x);
                live.put(x.id, x);
                return;
            }
            if (gone != null) {
                Candidate old = stale.get(x.flow);
                if (old != null && old.natted && old.translated.equals(x.translated)) {
                    // the model re-created an entry the router had kept (its copies leave from the same address)
                    old.view = v;
                    live.put(x.id, old);
                    return;
                }
                // made after the address went, with it: a fixed SNAT to an address the router no longer has
                x.becameStale("translated to " + x.translated + ", which the WAN no longer has", c.nanos());
                x.down = gone;
                stale.putIfAbsent(x.flow, x);
            } else if (x.natted) {
                natted.put(x.flow, x);
            }
            if (x.natted && !unNatted.isEmpty()) {
                List<Candidate> before = unNatted.get(hostKey(x.flow));
                if (before != null) {
                    for (Candidate y : before) if (y.natLater == null && !y.createdWhileDown) y.natLater = x;
                }
            } else if (!x.natted && unNatted.size() < 1024) {
                unNatted.computeIfAbsent(hostKey(x.flow), k -> new java.util.ArrayList<>(2)).add(x);
            }
            if (!x.natted) {
                x.createdWhileDown = downSince != Long.MIN_VALUE;
                x.down = downBy;
                // stale from the start when created while the WAN was down; else decided by where its packet went
                x.becameStale("created without NAT", c.nanos());
                Candidate old = stale.get(x.flow);
                // an entry the model flushed with its address and none of whose copies has shown it alive since: the
                // router flushed it too (this new entry proves the flow's tuple was free), so the new one is followed
                if (old != null && old.modelEnded != Long.MIN_VALUE && old.afterBack == 0) stale.put(x.flow, x);
                else stale.putIfAbsent(x.flow, x);
            }
            live.put(x.id, x);
        } else if (e instanceof ConntrackEvent.EntryUpdated) {
            Candidate x = live.get(v.id());
            if (x != null) x.view = v;
        } else if (e instanceof ConntrackEvent.EntryExpired || e instanceof ConntrackEvent.EntryKilled) {
            Candidate x = live.remove(v.id());
            if (x == null) return;
            natted.remove(x.flow, x);
            if (!x.natted) {
                List<Candidate> l = unNatted.get(hostKey(x.flow));
                if (l != null && l.remove(x) && l.isEmpty()) unNatted.remove(hostKey(x.flow));
            }
            if (x.natted && x.why != null && stale.get(x.flow) == x && x.modelEnded == Long.MIN_VALUE) {
                // bound to a removed address: whether the router ended it too, its WAN copies tell (packet())
                x.modelEnded = e.nanos();
                x.modelEndedHow = e instanceof ConntrackEvent.EntryKilled k ? "deleted (" + k.reason() + ")" : "expired";
                return;
            }
            x.ended = e.nanos();
            x.endedHow = e instanceof ConntrackEvent.EntryKilled k ? "deleted (" + k.reason() + ")" : "expired";
            if (x.natted && x.why == null) {
                if (justEndedAt != x.ended) {
                    justEnded.clear();
                    justEndedAt = x.ended;
                }
                justEnded.add(x);
            }
            if (x.why != null && stale.get(x.flow) == x) {
                stale.remove(x.flow); // re-keyed so that a new entry of the same flow can be followed
                stale.put(new Flow(x.flow.protocol(), x.flow.srcHi(), x.flow.srcLo(), x.flow.srcPort(), x.flow.dstHi(),
                        x.flow.dstLo(), -1 - (int) x.id), x);
            }
        }
    }

    /**
     * Whether an entry's translated source (the reply's destination) is another address of its original source's /24
     * (IPv4): the router's LAN side, which masquerade takes when the WAN interface has no address of its own
     * (nf_nat_masquerade.c: inet_select_addr on the out device finds none; the route's preferred source is the LAN's).
     */
    private static boolean onTheLanSubnet(ConntrackTuple original, ConntrackTuple reply) {
        if (!Addresses.isV4(original.srcHi(), original.srcLo()) || !Addresses.isV4(reply.dstHi(), reply.dstLo())) {
            return false;
        }
        int src = (int) original.srcLo(), nat = (int) reply.dstLo();
        return src != nat && (src >>> 8) == (nat >>> 8);
    }

    /** The key of "the same inside host to the same destination": the flow without its source port. */
    private static Flow hostKey(Flow f) {
        return new Flow(f.protocol(), f.srcHi(), f.srcLo(), 0, f.dstHi(), f.dstLo(), f.dstPort());
    }

    /**
     * The router stopped answering ARP for {@code u}'s address: every translated entry bound to it is stale since the
     * last packet the router forwarded through it, and its SIP packets out since then that left from that address
     * count as the stale entry's refreshes.
     */
    private void addressLost(ArpWatch.Unanswered u) {
        List<Candidate> bound = new java.util.ArrayList<>();
        for (Candidate x : natted.values()) if (x.why == null && x.translated.equals(u.address())) bound.add(x);
        for (Candidate x : bound) {
            natted.remove(x.flow, x);
            long since = x.aliveNanos != Long.MIN_VALUE ? x.aliveNanos : x.created;
            x.becameStale("bound to " + u.address() + ", for which the router no longer answers ARP on the WAN", since);
            x.arp = u;
            stale.put(x.flow, x);
            Recent r = x.recent;
            for (int i = 0; r != null && i < r.count; i++) {
                int k = r.slot(i);
                if (r.nanos[k] <= since) continue;
                if (!r.fromTranslated[k]) {
                    x.healed = true;
                    continue;
                }
                x.afterBack++;
                x.leaked++;
                x.refreshes.add(r.nanos[k], r.payload[k]);
                x.finding.frame("lan", r.lanFrame[k]).frame("wan", r.wanFrame[k]).at(r.nanos[k]);
            }
            x.recent = null;
        }
    }

    /** A SIP packet of a translated entry not (yet) stale: remembered going out, or proof of life coming in. */
    private void remember(Crossing c, Seen s) {
        Flow f = Flow.of(s);
        Candidate x = natted.get(f);
        if (x != null) {
            if (s.counterpartFrame == 0 || s.outcome == Outcome.ROUTED_BACK) return;
            if (x.recent == null) x.recent = new Recent();
            if (dev.natrecon.conntrack.UnknownNat.ADDRESS.equals(x.translated) && (s.cpSrcHi != s.srcHi || s.cpSrcLo != s.srcLo)) {
                x.translated = Addresses.format(s.cpSrcHi, s.cpSrcLo); // made where no capture shows: revealed now
            }
            boolean fromIt = Addresses.format(s.cpSrcHi, s.cpSrcLo).equals(x.translated);
            x.recent.add(s.nanos, s.frame, s.counterpartFrame, s.payload, fromIt);
            if (fromIt && x.firstOutOnWan == Long.MIN_VALUE && "wan".equals(c.counterpartCapture())) {
                x.firstOutOnWan = s.nanos;
                x.firstOutWanFrame = s.counterpartFrame;
            }
            return;
        }
        x = natted.get(f.reversed());
        if (x == null || c.role() != Crossing.Role.LEAVING) return;
        if (s.counterpartFrame != 0) {
            x.aliveNanos = s.nanos;
            x.aliveWanFrame = s.counterpartFrame;
            x.recent = null; // an answered entry keeps no ring (a live entry idles between calls: 0.5 KiB each)
        } else if (s.outcome == Outcome.NO_COUNTERPART && x.firstOutOnWan != Long.MIN_VALUE
                && s.nanos > x.firstOutOnWan && (x.aliveNanos == Long.MIN_VALUE || x.aliveNanos < x.firstOutOnWan)) {
            // an answer to the phone that never crossed the WAN although the entry's requests do: it came back by
            // another uplink, the one whose address the entry carries
            if (x.elsewhereFrames == null) x.elsewhereFrames = new long[ELSEWHERE_PROOF];
            x.elsewhereFrames[x.elsewhere++] = s.frame;
            if (x.elsewhere == ELSEWHERE_PROOF) otherUplink(x);
        }
    }

    /**
     * {@code x}'s requests leave the WAN from its address and the answers to it reach the phone by another path: the
     * address is another uplink's, kept by an entry Linux never re-NATs. Stale since its creation; its SIP packets out
     * since then that left from that address count as its refreshes.
     */
    private void otherUplink(Candidate x) {
        natted.remove(x.flow, x);
        x.otherUplink = true;
        x.becameStale("translated to " + x.translated + ", another uplink's address: the answers to it reach the phone "
                + "without crossing the WAN", x.created);
        for (int i = 0; i < x.elsewhere; i++) x.finding.frame("lan", x.elsewhereFrames[i]);
        x.finding.frame("wan", x.firstOutWanFrame);
        stale.put(x.flow, x);
        Recent r = x.recent;
        for (int i = 0; r != null && i < r.count; i++) {
            int k = r.slot(i);
            if (r.nanos[k] <= x.created || !r.fromTranslated[k]) continue;
            x.afterBack++;
            x.leaked++;
            x.refreshes.add(r.nanos[k], r.payload[k]);
            x.finding.frame("lan", r.lanFrame[k]).frame("wan", r.wanFrame[k]).at(r.nanos[k]);
        }
        x.recent = null;
    }

    /** ARP frames (every frame while an ARP request waits for its answer: its expiry reads their time); SIP frames while a translated entry is live; every frame while an entry is stale. */
    @Override
    public int interest() {
        return (arp.idle() && stale.isEmpty() ? PacketKinds.LINK_EVENT : PacketKinds.ANY)
                | (natted.isEmpty() ? PacketKinds.NONE : PacketKinds.PAYLOAD);
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        List<ArpWatch.Unanswered> lost = arp.offer(s);
        for (ArpWatch.Unanswered u : lost) addressLost(u);
        if (s.payload != null && !natted.isEmpty() && s.captureLabel == null && s.side == Side.LAN && s.hasPorts
                && !(c.direction() == Crossing.Direction.ROUTED_BACK && c.role() == Crossing.Role.LEAVING)) {
            remember(c, s);
        }
        if (stale.isEmpty() || s.captureLabel != null || s.side != Side.LAN || !s.hasPorts) return;
        if (c.direction() == Crossing.Direction.ROUTED_BACK && c.role() == Crossing.Role.LEAVING) return;
        Flow f = Flow.of(s);
        boolean out = true;
        Candidate x = stale.get(f);
        if (x == null) {
            x = stale.get(f.reversed());
            out = false;
        }
        if (x == null || x.ended != Long.MIN_VALUE) return;
        if (x.rebound != null && s.nanos >= x.rebound.nanos()) return; // its address is the WAN's again: fits
        if (x.natted && out) {
            // bound to a removed address: only copies that still leave from it show the stale entry at work
            if (s.counterpartFrame == 0 || s.outcome == Outcome.ROUTED_BACK) return;
            if (x.healed || !Addresses.format(s.cpSrcHi, s.cpSrcLo).equals(x.translated)) {
                if (s.nanos >= x.staleSince) x.healed = true;
                return;
            }
        }
        if (out && s.frame == x.createdFrame && "lan".equals(x.createdPoint)) {
            x.finding.frame("lan", s.frame).frame(c.counterpartCapture(), s.counterpartFrame)
                    .at(s.nanos);
            x.firstNotOnWan = s.outcome == Outcome.ROUTED_BACK || s.outcome == Outcome.NO_COUNTERPART;
            return;
        }
        if (!out) {
            if (x.otherUplink && s.counterpartFrame != 0) x.contradicted = true;
            x.inbound++;
            x.finding.frame("lan", s.frame).frame("wan", s.counterpartFrame);
            return;
        }
        boolean onWan = s.counterpartFrame != 0 && "wan".equals(c.counterpartCapture())
                && (s.outcome == Outcome.UNCHANGED || s.outcome == Outcome.TRANSLATED);
        boolean usable = x.natted ? true : x.createdWhileDown
                ? x.back != null && s.nanos >= x.back.nanos() || x.back == null && (onWan || x.wanAgainNanos != Long.MIN_VALUE)
                : x.firstNotOnWan || x.natLater != null && s.nanos >= x.natLater.created;
        if (!usable || s.nanos < x.staleSince) return;
        if (x.createdWhileDown && x.back == null && x.wanAgainNanos == Long.MIN_VALUE) {
            x.wanAgainNanos = s.nanos;
            x.wanAgainFrame = s.counterpartFrame;
        }
        x.afterBack++;
        x.refreshes.add(s.nanos, s.payload);
        if (s.outcome == Outcome.UNCHANGED || s.outcome == Outcome.TRANSLATED) x.leaked++;
        dev.natrecon.conntrack.ConntrackEntry e = c.entry();
        if (e != null && e.timeoutInForce() > 0) {
            x.timeout = e.timeoutInForce();
            x.timeoutSetting = e.timeoutSetting() == null ? null : e.timeoutSetting().sysctl;
        }
        x.finding.frame("lan", s.frame).frame(c.counterpartCapture(), s.counterpartFrame)
                .at(s.nanos);
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Candidate x : stale.values()) {
            if (x.afterBack == 0 || x.contradicted) continue;
            Flow f = x.flow;
            StringBuilder m = new StringBuilder();
            m.append("Entry ").append(x.id).append(" (").append(f.text()).append(") ");
            if (!x.natted) {
                m.append("was created without NAT at ").append(Text.time(x.created)).append(" (lan frame ")
                        .append(x.createdFrame).append(')');
                if (x.createdWhileDown && x.down != null) {
                    m.append(" while the WAN was unusable: ").append(x.down.what()).append(" at ")
                            .append(Text.time(x.down.nanos()));
                    if (x.back != null) m.append(", back at ").append(Text.time(x.back.nanos()));
                    else if (x.wanAgainNanos != Long.MIN_VALUE) m.append("; its packets reached the WAN again from ")
                            .append(Text.time(x.wanAgainNanos)).append(" (wan frame ").append(x.wanAgainFrame)
                            .append(": the WAN was usable again) with the entry still un-NATed");
                }
                if (x.firstNotOnWan) m.append("; its first packet was routed elsewhere than the WAN (a fallback route)");
                if (x.natLater != null && !x.firstNotOnWan) {
                    m.append("; entry ").append(x.natLater.id).append(" of the same host to the same destination (")
                            .append(x.natLater.flow.text()).append(", created at ").append(Text.time(x.natLater.created))
                            .append(", ").append(x.natLater.createdPoint).append(" frame ").append(x.natLater.createdFrame)
                            .append(") was translated to ").append(x.natLater.translated).append(": the NAT rule covers "
                                    + "this traffic now (loaded or changed after this entry was made), but Linux never "
                                    + "re-NATs a confirmed entry (nf_nat_core.c)");
                }
                m.append(". ");
            } else if (x.otherUplink) {
                m.append("was translated to ").append(x.translated).append(" at ").append(Text.time(x.created))
                        .append(" (").append(x.createdPoint).append(" frame ").append(x.createdFrame).append("); its "
                                + "requests leave the WAN from that address (from wan frame ").append(x.firstOutWanFrame)
                        .append(") while the answers to it reach the phone without crossing the WAN (lan frames ");
                for (int i = 0; i < x.elsewhere; i++) m.append(i == 0 ? "" : " ").append(x.elsewhereFrames[i]);
                m.append("): ").append(x.translated).append(" is another uplink's address (the entry was made while "
                        + "the flow left by another interface, e.g. a backup uplink's SNAT), and Linux never re-NATs a "
                        + "confirmed entry (nf_nat_core.c), so it keeps that NAT on this WAN. ");
            } else if (x.insideNat) {
                m.append("was translated to ").append(x.translated).append(" at ").append(Text.time(x.created))
                        .append(" (").append(x.createdPoint).append(" frame ").append(x.createdFrame).append("), an "
                                + "address of the phone's own LAN subnet, not a WAN address: masquerade found no address "
                                + "on the WAN interface when the entry was made and took another interface's "
                                + "(nf_nat_masquerade.c), and Linux never re-NATs a confirmed entry, so its copies leave "
                                + "the WAN with a source no answer can come back to, even once the WAN has its address "
                                + "again. ");
            } else if (x.down == null && x.arp != null) {
                m.append("was translated to ").append(x.translated).append(" and kept that address after the router "
                        + "stopped answering ARP for it on the WAN (inferred from the captures: the address is no longer "
                        + "the router's; it went between ").append(x.aliveNanos != Long.MIN_VALUE
                                ? Text.time(x.aliveNanos) + ", wan frame " + x.aliveWanFrame + " the last packet the "
                                + "router forwarded to the phone through it," : Text.time(x.created) + ", its creation,")
                        .append(" and ").append(Text.time(x.arp.nanos())).append(", wan frame ").append(x.arp.frame())
                        .append(" the first request left unanswered; ").append(Text.count(x.arp.frames().size(),
                                "request")).append(" for it unanswered). A fixed SNAT keeps translating to an address "
                                + "the router no longer has (masquerade would have flushed the entry). ");
            } else {
                m.append("was translated to ").append(x.translated).append(" and kept that address after ")
                        .append(x.translated).append(" was removed from the WAN at ").append(Text.time(x.down.nanos()));
                if (x.back != null && x.back.address() != null) m.append(" (the WAN has ").append(x.back.bareAddress())
                        .append(" since ").append(Text.time(x.back.nanos())).append(')');
                m.append(". ");
                if (x.modelEnded != Long.MIN_VALUE) {
                    m.append("The model ").append(x.modelEndedHow).append(" it at ").append(Text.time(x.modelEnded))
                            .append(", as masquerade would have; the router did not: its copies kept leaving from ")
                            .append(x.translated).append(", so it translates with a fixed SNAT (no masquerade flush). ");
                }
            }
            long since = x.natted ? x.staleSince : x.back != null ? x.back.nanos()
                    : x.wanAgainNanos != Long.MIN_VALUE ? x.wanAgainNanos
                    : x.natLater != null && !x.firstNotOnWan ? x.natLater.created : x.created;
            long end = x.ended != Long.MIN_VALUE ? x.ended : x.refreshes.last;
            m.append("The phone kept it alive ").append(Text.seconds(end - since)).append(" s ")
                    .append(x.insideNat || x.otherUplink ? "after it was made" : x.natted ? "after the change" : x.back != null || x.wanAgainNanos != Long.MIN_VALUE
                            ? "after the WAN came back" : x.natLater != null && !x.firstNotOnWan
                            ? "after NAT applied to entry " + x.natLater.id : "")
                    .append(" with ").append(Text.count(x.refreshes.packets, "packet")).append(' ')
                    .append(x.refreshes.interval()).append(": ").append(x.refreshes.kinds());
            if (x.leaked > 0) {
                m.append("; ").append(x.leaked).append(" of them left the WAN ")
                        .append(x.natted ? "from " + x.translated : "with the private source " + f.source());
            }
            m.append(x.inbound == 0 ? ", and no reply came back" : x.inbound == 1 ? ", 1 reply came back"
                    : ", " + x.inbound + " replies came back");
            m.append(x.ended != Long.MIN_VALUE ? ". It was " + x.endedHow + " at " + Text.time(x.ended)
                    : ". It was still alive at the end of the captures");
            m.append(", ").append(Text.seconds(end - x.created)).append(" s after it was created.");
            if (x.ended == Long.MIN_VALUE && x.timeout > 0 && x.refreshes.last != Long.MIN_VALUE) {
                m.append(" Every packet restarted its timer (").append(x.timeout).append(" s")
                        .append(x.timeoutSetting == null ? "" : ", " + x.timeoutSetting).append("): unless it is flushed "
                                + "(conntrack -D) or the phone stops sending for that long, it lives on past ")
                        .append(Text.time(x.refreshes.last + x.timeout * 1_000_000_000L)).append('.');
            }
            Finding.Builder b = x.finding.subject(f.text()).message(m.toString().replace("  ", " "))
                    .at(x.created).frame(x.createdPoint, x.createdFrame).conntrack(EventFormat.entry(x.view))
                    .filter("lan", f.displayFilterBothWays())
                    .detail("entry", x.id)
                    .detail("cause", x.why)
                    .detail("created", Text.time(x.created) + " at " + x.createdPoint + " frame " + x.createdFrame)
                    .detail("refreshing packets", x.refreshes.packets)
                    .detail("refresh interval", x.refreshes.interval())
                    .detail("refreshed by", x.refreshes.kinds())
                    .detail("left the WAN", x.leaked)
                    .detail("replies", x.inbound);
            if (x.timeout > 0) b.detail("timeout each refresh restarts s", x.timeout);
            if (x.down != null) b.detail("uplink", x.down.text() + " at " + Text.time(x.down.nanos())
                    + (x.back != null ? "; " + x.back.text() + " at " + Text.time(x.back.nanos()) : ""));
            if (x.natLater != null && !x.firstNotOnWan) {
                b.frame(x.natLater.createdPoint, x.natLater.createdFrame);
                b.detail("NAT in force since", "entry " + x.natLater.id + " (" + x.natLater.flow.text() + ") translated to "
                        + x.natLater.translated + ", created at " + x.natLater.createdPoint + " frame "
                        + x.natLater.createdFrame);
            }
            if (x.arp != null) {
                for (long frame : x.arp.frames()) b.frame("wan", frame);
                b.detail("address lost (inferred)", "no ARP reply for " + x.arp.address() + " on the WAN: wan frames "
                        + x.arp.frames().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")));
            }
            if (!x.natted) b.filter("wan", f.displayFilter());
            if (x.natLater != null && !x.firstNotOnWan) { // the later, translated entry is another flow: its frame too
                if (x.natLater.createdPoint.equals("lan")) b.filterWithEvidence("lan", f.displayFilterBothWays());
                else if (!x.natted) b.filterWithEvidence("wan", f.displayFilter());
            }
            if (x.natLater != null && !x.firstNotOnWan && !x.createdWhileDown) {
                b.fix("Flush the entry after loading or changing the NAT rules (conntrack -D -s "
                        + f.source().replaceAll(":\\d+$", "") + ", or conntrack -F, right after nft -f / "
                        + "iptables-restore): the rule then applies to the next packet. Load the NAT rules before the LAN "
                        + "comes up, so that no entry is made without them.");
            } else if (x.otherUplink) {
                b.fix("Flush the entry when the main WAN comes back (conntrack -D -s "
                        + f.source().replaceAll(":\\d+$", "") + ", or conntrack -F, from the WAN's ifup/address hook; "
                        + "or from the routing change's hook): the next packet then gets this WAN's NAT. Use masquerade "
                        + "on the backup uplink too (a masqueraded entry dies when its packets leave by another "
                        + "interface: nf_nat_oif_changed).");
            } else if (x.insideNat) {
                b.fix("Flush the entry once the WAN has its address again (conntrack -D -s "
                        + f.source().replaceAll(":\\d+$", "") + ", or conntrack -F, from the WAN's ifup/address hook): "
                        + "masquerade then translates the next packet to the WAN's address. Until then every "
                        + "retransmission keeps the entry alive: stop the phone until it times out, or move it to SIP over "
                        + "TCP.");
            } else if (x.natted) {
                b.fix("Use masquerade instead of a fixed SNAT to an address the WAN can lose (masquerade flushes its "
                        + "entries itself), or change the SNAT rule to the new address, then flush the entry (conntrack -D "
                        + "-s " + f.source().replaceAll(":\\d+$", "") + ", or conntrack -F, from the WAN's ifup/address "
                        + "hook): a flush alone lets the rule SNAT the next packet to the lost address again. Until then "
                        + "every retransmission keeps the entry alive: stop the phone until it times out, or move it to "
                        + "SIP over TCP.");
            }
            findings.accept(b.build());
        }
    }
}
