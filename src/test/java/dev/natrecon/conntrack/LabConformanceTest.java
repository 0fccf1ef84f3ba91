package dev.natrecon.conntrack;

import dev.natrecon.alg.sip.LinuxSipHelper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.conntrack.NatMatch.AddressRange;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance with the real kernel: replays a lab sample through the model and compares its events with the kernel's
 * own {@code conntrack -E} log.
 *
 * <p>The router: NAT and helper rules from the sample's {@code router.nft} ({@link NatRuleset#parse}, no warnings
 * allowed); interfaces {@code lan.interface}/{@code wan.interface} with {@code router.lan.address} and
 * {@code router.wan.address} and the prefix of {@code router.lan.network}/{@code router.wan.network};
 * {@code router.sysctl} and the SIP helper's module parameters over the case's profile. Link and address events from the case settings, at their time after
 * the first frame of {@code lan.pcap}: {@code event.wan.down.t} removes {@code router.wan.address} from the WAN
 * interface (the lab's "WAN down" is {@code ip addr del}), {@code event.wan.up.t} adds it back,
 * {@code event.wan.address.change.t} replaces it with {@code router.wan.address.new};
 * {@code event.fallback.route.t} is routing, which the model takes from the captures. The carrier loss, an uncaptured
 * uplink, NAT rules loaded late and an operator's {@code conntrack -D}/{@code -F} are read as {@link LabFates} says.
 *
 * <p>Packets and their fate, derived from the two captures as the sample READMEs describe them (matching by IP ID, as
 * the lab's casecheck does; the router does not change it):
 * <ul>
 *   <li>LAN capture: a frame from a router address is the router's own packet (ingress LOCAL, egress LAN); a frame
 *       with the same IP ID, protocol, addresses and ports as an earlier one within 1 s is that packet routed back
 *       out of the LAN (stale-mapping), not an arrival; a frame from the LAN network arrived from the LAN; anything
 *       else is an inbound packet leaving on the LAN.</li>
 *   <li>WAN capture: a frame from a router address (old or new) or from the LAN network (leaked) left through the
 *       WAN; anything else arrived from the WAN.</li>
 *   <li>A LAN arrival's counterpart is the WAN departure with the same IP ID, protocol and destination (address and
 *       port) within 1 s: egress WAN, observed = that frame. Without one: routed back out of the LAN → egress LAN
 *       (observed = the copy); to a router address → ROUTER; else DROPPED (the WAN capture was running), or what
 *       {@link LabFates#withoutWanCopy} gives (carrier lost with the route kept: WAN; an uncaptured uplink: routed by
 *       the model).</li>
 *   <li>A WAN arrival's counterpart is the LAN departure with the same IP ID, protocol and source within 1 s: egress
 *       LAN. Without one: to a router address → ROUTER (no filter in the lab: delivered locally); else DROPPED.</li>
 *   <li>A WAN departure without a LAN counterpart must come from a router address: the router's own packet (ICMP
 *       errors), fed as ingress LOCAL with egress WAN.</li>
 *   <li>A LAN departure without a WAN counterpart came in through the uncaptured uplink where the settings name one
 *       ({@link LabFates#throughUncapturedUplink}); without one the sample fails.</li>
 * </ul>
 *
 * <p>Compared by {@link KernelComparison} (the same comparison {@code natrecon compare} and {@code analyze} run): per
 * entry, every NEW and UPDATE printed identically, the kernel's line within 20 ms after the model's packet; every
 * DESTROY with the same text including counters and delta-time, never before the model's deadline or kill time and
 * at most 60 s after it (the kernel's GC lag); a flushed entry's remaining timeout may be lower by the lag rounded up
 * (the kernel flushes from a work queue, nf_nat_masquerade.c:nf_nat_masq_schedule). The model must report no {@link ConntrackEvent.Diverged}:
 * every lab sample is a real Linux router.
 *
 */
class LabConformanceTest {
    static final long MATCH_WINDOW_NANOS = 1_000_000_000L;
    static final long SECOND = 1_000_000_000L;

    static final List<String> SAMPLES = List.of("baseline", "alg-off", "sip-over-tcp", "keepalive-gap",
            "keepalive-gap-random", "port-clash", "wan-address-change-snat", "leaked-private-source", "stale-mapping",
            "wan-address-change", "expect-exhaustion", "outage-no-route", "outage-no-route-snat", "backup-uplink-nat",
            "backup-uplink-snat", "nat-late", "operator-flush", "operator-flush-renumbered", "tcp-reconnect",
            "tcp-reconnect-rst", "carrier-loss", "carrier-loss-linkdown", "masq-no-address", "udp-timeout-helper",
            "helper-other-port", "stale-mapping-expiry", "expect-churn", "router-any-sll", "cgnat", "rtp-loss-router",
            "rtp-loss-upstream", "rtp-loss-after-router", "alg-via-received", "alg-via-received-off");

    /**
     * One decoded IP frame of a capture, with its UDP/TCP payload copied (the decoder's view is over a reused buffer):
     * the SIP helper reads it as the engine feeds it.
     */
    record Frame(String side, long number, long nanos, Packet packet, byte[] payload) {
    }

    static List<String> samples() {
        return SAMPLES;
    }

    @Test
    void everyLabSampleIsReplayed() throws IOException {
        List<String> all;
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            all = s.filter(d -> Files.isRegularFile(d.resolve("kernel-events.txt"))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        }
        assertEquals(all, SAMPLES.stream().sorted().toList());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("samples")
    void modelReproducesTheKernelsEvents(String name) throws IOException {
        Path dir = Path.of("samples", name);
        List<KernelEntry> kernel = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("kernel-events.txt"))) {
            if (!line.isBlank()) kernel.add(ConntrackText.entry(line));
        }
        List<ConntrackEvent.Diverged> divergences = new ArrayList<>();
        Replay r = replay(dir, divergences);
        assertEquals(List.of(), divergences.stream().map(EventFormat::line).toList(), name + ": divergences");
        // one clock in the lab: no offset to estimate
        KernelComparison.Options same = new KernelComparison.Options(KernelComparison.Options.DEFAULT.gcLagNanos(),
                KernelComparison.Options.DEFAULT.pairingNanos(), 0L, KernelComparison.Options.DEFAULT.eventLagNanos());
        KernelComparison.Result x = KernelComparison.compare(kernel, r.events, r.later, r.first, r.last, same);
        assertEquals(List.of(), x.problems(), name);
        assertTrue(x.agrees() && x.kernelLines() > 0, name + ": " + x);
    }

    /** The model's events while the captures run, those it would report later, and the captures' span. */
    record Replay(List<ConntrackEvent> events, List<ConntrackEvent> later, long first, long last) {
    }

    /** Replays the case; divergences go to the list. */
    static Replay replay(Path dir, List<ConntrackEvent.Diverged> divergences) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"))) {
            props.load(r);
        }
        Timeouts timeouts = Timeouts.profile(props.getProperty("model.profile", "linux-6"))
                .withSysctlDump(Files.readString(dir.resolve(props.getProperty("conntrack.sysctl.file"))), "router.sysctl");
        String sipParameters = props.getProperty("sip.helper.parameters.file");
        if (sipParameters != null) {
            timeouts = timeouts.withModuleParameters(Files.readString(dir.resolve(sipParameters)), sipParameters);
        }
        NatRuleset ruleset = LabFates.initialRuleset(props, dir);
        assertEquals(List.of(), ruleset.warnings(), dir + ": ruleset warnings");
        String lanIf = props.getProperty("lan.interface"), wanIf = props.getProperty("wan.interface");
        String lanNet = props.getProperty("router.lan.network"), wanNet = props.getProperty("router.wan.network");
        String lanAddr = props.getProperty("router.lan.address"), wanAddr = props.getProperty("router.wan.address");
        String wanAddrNew = props.getProperty("router.wan.address.new");
        Interfaces ifs = LabFates.interfaces(props);
        ConntrackModel m = new ConntrackModel(timeouts, ruleset, ifs);
        for (NatRuleset.HelperRule h : ruleset.helpers()) {
            if (h.helper().startsWith("sip")) m.addHelper(new LinuxSipHelper(h.helper())); // as the engine attaches it
        }

        AddressRange inside = AddressRange.parse(lanNet);
        Set<String> routerAddresses = new HashSet<>(List.of(lanAddr, wanAddr));
        if (wanAddrNew != null) routerAddresses.add(wanAddrNew);
        List<Frame> lan = read(dir.resolve("lan.pcap"), "lan"), wan = read(dir.resolve("wan.pcap"), "wan");
        long t0 = lan.get(0).nanos;
        LabFates fates = LabFates.of(props, dir, t0);
        if (fates.backupAddress != null) routerAddresses.add(fates.backupAddress);

        // LAN: the router's own packets, copies routed back out of the LAN, arrivals, inbound departures
        List<Arrival> arrivals = new ArrayList<>();
        Map<Arrival, Frame> lanArrivals = new java.util.LinkedHashMap<>(); // Arrival: identity equality
        Map<Arrival, Frame> backOut = new IdentityHashMap<>();
        List<Frame> lanDepartures = new ArrayList<>();
        Map<String, Arrival> recent = new HashMap<>();
        for (Frame f : lan) {
            Packet p = f.packet;
            Arrival prior = recent.get(sameFrameKey(p));
            if (prior != null && f.nanos - prior.nanos <= MATCH_WINDOW_NANOS) {
                backOut.put(prior, f);
                continue;
            }
            if (routerAddresses.contains(p.src())) {
                arrivals.add(arrival(f, Arrival.Ingress.LOCAL, Arrival.Egress.LAN, f));
            } else if (inside.contains(p.srcHi, p.srcLo)) {
                Arrival a = arrival(f, Arrival.Ingress.LAN, Arrival.Egress.UNKNOWN, null);
                arrivals.add(a);
                lanArrivals.put(a, f);
                recent.put(sameFrameKey(p), a);
            } else {
                lanDepartures.add(f);
            }
        }
        // WAN: departures (from the router's addresses or leaked from the LAN), arrivals
        List<Frame> wanDepartures = new ArrayList<>();
        Map<Arrival, Frame> wanArrivals = new java.util.LinkedHashMap<>();
        for (Frame f : wan) {
            Packet p = f.packet;
            if (routerAddresses.contains(p.src()) || inside.contains(p.srcHi, p.srcLo)) {
                wanDepartures.add(f);
            } else {
                Arrival a = arrival(f, Arrival.Ingress.WAN, Arrival.Egress.UNKNOWN, null);
                arrivals.add(a);
                wanArrivals.put(a, f);
            }
        }
        Set<Frame> usedWan = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Frame> usedLan = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<Arrival, Frame> e : lanArrivals.entrySet()) {
            Arrival a = e.getKey();
            Frame c = counterpart(e.getValue(), wanDepartures, usedWan, true);
            if (c != null) {
                a.egress = Arrival.Egress.WAN;
                if (fates.backupInterface != null) a.egressInterface = wanIf; // the captured WAN, not the default route
                a.observe(Arrival.tupleOf(c.packet));
            } else if (backOut.containsKey(a)) {
                a.egress = Arrival.Egress.LAN;
                a.observe(Arrival.tupleOf(backOut.get(a).packet));
            } else if (routerAddresses.contains(e.getValue().packet.dst())) {
                a.egress = Arrival.Egress.ROUTER;
            } else {
                a.egress = during(a.nanos, wan) ? fates.withoutWanCopy(a) : Arrival.Egress.UNKNOWN;
            }
        }
        for (Map.Entry<Arrival, Frame> e : wanArrivals.entrySet()) {
            Arrival a = e.getKey();
            if (fates.backupInterface != null) a.ingressInterface = wanIf;
            Frame c = counterpart(e.getValue(), lanDepartures, usedLan, false);
            if (c != null) {
                a.egress = Arrival.Egress.LAN;
                a.observe(Arrival.tupleOf(c.packet));
            } else if (routerAddresses.contains(e.getValue().packet.dst())) {
                a.egress = Arrival.Egress.ROUTER;
            } else {
                a.egress = during(a.nanos, lan) ? Arrival.Egress.DROPPED : Arrival.Egress.UNKNOWN;
            }
        }
        for (Frame f : wanDepartures) {
            if (usedWan.contains(f)) continue;
            assertTrue(routerAddresses.contains(f.packet.src()), dir + ": WAN frame " + f.number + " left the router "
                    + "with a LAN source but has no LAN counterpart");
            arrivals.add(arrival(f, Arrival.Ingress.LOCAL, Arrival.Egress.WAN, f)); // the router's own packet
        }
        List<Step> steps = new ArrayList<>();
        for (Frame f : lanDepartures) {
            if (usedLan.contains(f)) continue;
            Step through = fates.throughUncapturedUplink(f);
            assertTrue(through != null, dir + ": LAN frame " + f.number + " has no WAN counterpart");
            steps.add(through);
        }
        arrivals.sort(Comparator.comparingLong(a -> a.nanos));

        // link and address events from the case settings
        LabFates.steps(props, dir, t0, steps);
        String down = props.getProperty("event.wan.down.t"), up = props.getProperty("event.wan.up.t");
        String change = props.getProperty("event.wan.address.change.t");
        if (down != null) steps.add(new Step(at(t0, down), (mm, s) -> mm.onAddressRemoved(at(t0, down), wanIf, wanAddr, s)));
        if (up != null) steps.add(new Step(at(t0, up), (mm, s) -> mm.onAddressAdded(at(t0, up), wanIf, cidr(wanAddr, wanNet), s)));
        if (change != null) {
            steps.add(new Step(at(t0, change), (mm, s) -> {
                mm.onAddressRemoved(at(t0, change), wanIf, wanAddr, s);
                mm.onAddressAdded(at(t0, change), wanIf, cidr(wanAddrNew, wanNet), s);
            }));
        }
        for (Arrival a : arrivals) steps.add(new Step(a.nanos, (mm, s) -> fates.feed(mm, a, s)));
        steps.sort(Comparator.comparingLong(Step::nanos)); // stable: events before packets of the same instant

        List<ConntrackEvent> out = new ArrayList<>();
        EventSink sink = e -> {
            if (e instanceof ConntrackEvent.Diverged d) {
                divergences.add(d);
            } else {
                out.add(e);
            }
        };
        for (Step s : steps) s.action.accept(m, sink);
        long last = Math.max(lan.get(lan.size() - 1).nanos, wan.get(wan.size() - 1).nanos);
        m.advanceTo(last, sink);
        List<ConntrackEvent> later = new ArrayList<>();
        m.advanceTo(Long.MAX_VALUE / 2, later::add);
        return new Replay(out, later, Math.min(t0, wan.get(0).nanos), last);
    }

    record Step(long nanos, Action action) {
    }

    interface Action {
        void accept(ConntrackModel m, EventSink sink);
    }

    static long at(long t0, String seconds) {
        return t0 + Math.round(Double.parseDouble(seconds) * SECOND);
    }

    /** "203.0.113.2" with the prefix length of "203.0.113.0/24". */
    static String cidr(String address, String network) {
        return address + network.substring(network.indexOf('/'));
    }

    static Arrival arrival(Frame f, Arrival.Ingress ingress, Arrival.Egress egress, Frame observed) {
        Arrival a = new Arrival().packet(f.nanos, new FrameRef(f.side, f.number), f.packet);
        a.ingress = ingress;
        a.egress = egress;
        a.payload = f.payload;
        if (observed != null) a.observe(Arrival.tupleOf(observed.packet));
        return a;
    }

    /** IP ID, protocol, addresses and ports: the same packet seen twice on one capture. */
    static String sameFrameKey(Packet p) {
        return p.ipId + "/" + p.protocol + "/" + p.src() + "/" + p.dst() + "/" + p.srcPort + "/" + p.dstPort;
    }

    /**
     * The first unused frame among {@code candidates} with the same IP ID and protocol and the same destination
     * (outbound: SNAT changes the source) or source (inbound: de-NAT changes the destination), within 1 s after.
     */
    static Frame counterpart(Frame f, List<Frame> candidates, Set<Frame> used, boolean outbound) {
        Packet p = f.packet;
        for (Frame c : candidates) {
            if (used.contains(c) || c.nanos < f.nanos || c.nanos - f.nanos > MATCH_WINDOW_NANOS) continue;
            Packet q = c.packet;
            if (q.ipId != p.ipId || q.protocol != p.protocol) continue;
            boolean same = outbound ? q.dst().equals(p.dst()) && (!p.hasPorts() || q.dstPort == p.dstPort)
                    : q.src().equals(p.src()) && (!p.hasPorts() || q.srcPort == p.srcPort);
            if (same) {
                used.add(c);
                return c;
            }
        }
        return null;
    }

    /** Was the capture running at {@code nanos}? */
    static boolean during(long nanos, List<Frame> capture) {
        return !capture.isEmpty() && nanos >= capture.get(0).nanos && nanos <= capture.get(capture.size() - 1).nanos;
    }

    static List<Frame> read(Path pcap, String side) throws IOException {
        List<Frame> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        try (CaptureReader r = CaptureReader.open(pcap)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                Packet p = new Packet();
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED || !p.isIp()) continue;
                byte[] payload = p.payloadLength > 0 && p.hasPorts() ? java.util.Arrays.copyOfRange(p.data,
                        p.payloadOffset, p.payloadOffset + p.payloadLength) : null;
                out.add(new Frame(side, f.frameNumber, f.timestampNanos, p, payload));
            }
        }
        return out;
    }
}
