package dev.natrecon.conntrack;

import dev.natrecon.alg.sip.LinuxSipHelper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's table against the lab kernel's own {@code conntrack -L} snapshots, and the router's own ICMP errors fed
 * to the model.
 *
 * <p>Snapshots: {@code conntrack-L.txt} and {@code conntrack-L-end.txt} were taken at an unrecorded moment, but with
 * nf_conntrack_acct=1 the counters pin it down: the snapshot lies between the packets after which the model holds
 * exactly the listed entries with exactly the listed counters (entries the listing lacks must be able to have expired
 * by then). Within that interval every listed entry's seconds left must fit its model deadline, and its TCP state,
 * {@code [UNREPLIED]} and {@code [ASSURED]} must agree. This checks what the event log cannot show: the timeout of
 * entries between events (the SIP helper's 3600 s on UDP; over TCP the tracker's 432000 s after a pure ACK, lab
 * sip-over-tcp's {@code 431997 ESTABLISHED}).
 */
class LabTableTest {
    static final long S = 1_000_000_000L;

    record In(long nanos, Arrival arrival) {
    }

    /** One case replayed: the model, the arrivals in time order, and whether each was a router-generated ICMP error. */
    static final class Replay {
        ConntrackModel model;
        final List<In> arrivals = new ArrayList<>();
        final List<ConntrackEvent> events = new ArrayList<>();
    }

    static Replay load(Path dir) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"))) {
            props.load(r);
        }
        String lanNet = props.getProperty("router.lan.network"), wanAddr = props.getProperty("router.wan.address");
        String nat = props.getProperty("nat", "masquerade");
        Timeouts timeouts = Timeouts.profile(props.getProperty("model.profile", "linux-6"))
                .withSysctlDump(Files.readString(dir.resolve(props.getProperty("conntrack.sysctl.file"))), "router.sysctl");
        String params = props.getProperty("sip.helper.parameters.file");
        if (params != null) timeouts = timeouts.withModuleParameters(Files.readString(dir.resolve(params)), params);
        int sipPort = Integer.parseInt(props.getProperty("sip.helper.ports", "-1"));
        boolean helper = "on".equals(props.getProperty("sip.helper"));
        int helperProto = "tcp".equals(props.getProperty("sip.helper.protocol", "udp")) ? 6 : 17;
        NatRule rule = nat.startsWith("snat") ? NatRule.snat(wanAddr, lanNet) : NatRule.masquerade(wanAddr, lanNet);
        if (nat.contains("random")) rule = rule.withRandomPorts();
        Replay rp = new Replay();
        rp.model = new ConntrackModel(timeouts, List.of(rule),
                t -> helper && t.protocol() == helperProto && t.dstPort() == sipPort ? "sip" : null);
        rp.model.addHelper(new LinuxSipHelper("sip"));
        NatRule.Prefix inside = NatRule.Prefix.parse(lanNet), router = NatRule.Prefix.parse(wanAddr);

        Map<String, Integer> translated = new HashMap<>();
        List<Packet> wan = new ArrayList<>();
        List<RawFrame> wanFrames = new ArrayList<>();
        read(dir.resolve("wan.pcap"), wan, wanFrames);
        for (Packet p : wan) if (router.contains(p.srcHi, p.srcLo)) translated.putIfAbsent(key(p), p.srcPort);

        List<Packet> lan = new ArrayList<>();
        List<RawFrame> lanFrames = new ArrayList<>();
        read(dir.resolve("lan.pcap"), lan, lanFrames);
        for (int i = 0; i < lan.size(); i++) {
            Packet p = lan.get(i);
            if (!inside.contains(p.srcHi, p.srcLo)) continue;
            Arrival a = new Arrival().packet(lanFrames.get(i).timestampNanos, new FrameRef("lan", lanFrames.get(i).frameNumber), p);
            if (p.hasPorts() && translated.containsKey(key(p))) {
                a.observed = true;
                a.observedSrcPort = translated.get(key(p));
            }
            rp.arrivals.add(new In(a.nanos, a));
        }
        for (int i = 0; i < wan.size(); i++) {
            Packet p = wan.get(i);
            boolean toRouter = router.contains(p.dstHi, p.dstLo);
            boolean routersOwnError = router.contains(p.srcHi, p.srcLo) && p.icmpError;
            if (!toRouter && !routersOwnError) continue;
            Arrival a = new Arrival().packet(wanFrames.get(i).timestampNanos, new FrameRef("wan", wanFrames.get(i).frameNumber), p);
            if (routersOwnError) a.ingress = Arrival.Ingress.LOCAL;
            else a.ingress = Arrival.Ingress.WAN;
            rp.arrivals.add(new In(a.nanos, a));
        }
        rp.arrivals.sort(Comparator.comparingLong(In::nanos));
        return rp;
    }

    static String key(Packet p) {
        return p.ipId + "/" + p.protocol + "/" + p.dstHi + "/" + p.dstLo + "/" + p.dstPort;
    }

    static void read(Path pcap, List<Packet> packets, List<RawFrame> frames) throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        try (CaptureReader r = CaptureReader.open(pcap)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                Packet p = new Packet();
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED || !p.isIp()) continue;
                RawFrame copy = new RawFrame();
                copy.timestampNanos = f.timestampNanos;
                copy.frameNumber = f.frameNumber;
                packets.add(p);
                frames.add(copy);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "alg-off", "sip-over-tcp", "keepalive-gap", "keepalive-gap-random", "port-clash",
            "wan-address-change-snat"})
    void snapshotsFitTheModelsTable(String name) throws IOException {
        Path dir = Path.of("samples", name);
        for (String file : List.of("conntrack-L.txt", "conntrack-L-end.txt")) {
            if (!Files.exists(dir.resolve(file))) continue;
            List<KernelEntry> listed = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(file))) if (!line.isBlank()) listed.add(ConntrackText.entry(line));
            Replay rp = load(dir);
            int n = rp.arrivals.size();
            long[] times = new long[n];
            List<Map<String, long[]>> states = new ArrayList<>(); // per arrival: orig tuple → {deadline, counters…}
            for (int i = 0; i < n; i++) {
                In in = rp.arrivals.get(i);
                rp.model.onPacket(in.arrival, rp.events::add);
                times[i] = in.nanos;
                Map<String, long[]> state = new HashMap<>();
                for (ConntrackEntry e : rp.model.entries()) {
                    EntryView v = e.view(in.nanos, true, true, false);
                    state.put(e.original().text() + " " + e.reply().text(), new long[] {e.deadlineNanos(), v.origPackets(), v.origBytes(),
                            v.replyPackets(), v.replyBytes(), v.status(), e.tcpState() == null ? -1 : e.tcpState().ordinal()});
                }
                states.add(state);
            }
            int first = -1, last = -1;
            for (int i = 0; i < n; i++) {
                long next = i + 1 < n ? times[i + 1] : Long.MAX_VALUE;
                if (matches(listed, states.get(i), next)) {
                    if (first >= 0 && last != i - 1) fail(name + "/" + file + ": two separate moments fit the counters");
                    if (first < 0) first = i;
                    last = i;
                }
            }
            assertTrue(first >= 0, name + "/" + file + ": no moment of the replay has the listed entries and counters");
            long from = times[first], to = last + 1 < n ? times[last + 1] : Long.MAX_VALUE;
            for (KernelEntry k : listed) {
                long deadline = states.get(first).get(id(k))[0];
                long most = Math.floorDiv(deadline - from, S);
                long least = to == Long.MAX_VALUE ? 0 : Math.max(0, Math.floorDiv(deadline - to, S));
                assertTrue(k.timeoutSeconds() >= least && k.timeoutSeconds() <= most, name + "/" + file + ": "
                        + k.original().text() + " showed " + k.timeoutSeconds() + " s left; the model allows " + least
                        + ".." + most);
            }
        }
    }

    /** An entry's identity in one lifetime: both tuples (the same original tuple can come back with another NAT port). */
    private static String id(KernelEntry k) {
        return k.original().text() + " " + k.reply().text();
    }

    private static boolean matches(List<KernelEntry> listed, Map<String, long[]> state, long next) {
        int found = 0;
        for (KernelEntry k : listed) {
            long[] m = state.get(id(k));
            if (m == null) return false;
            if (m[1] != k.original().packets() || m[2] != k.original().bytes() || m[3] != k.reply().packets()
                    || m[4] != k.reply().bytes()) return false;
            if (Status.has((int) m[5], Status.SEEN_REPLY) == k.has("UNREPLIED")) return false;
            if (Status.has((int) m[5], Status.ASSURED) != k.has("ASSURED")) return false;
            if (k.state() != null && (m[6] < 0 || !TcpState.values()[(int) m[6]].name().equals(k.state()))) return false;
            found++;
        }
        for (Map.Entry<String, long[]> e : state.entrySet()) {
            boolean isListed = listed.stream().anyMatch(k -> id(k).equals(e.getKey()));
            if (!isListed && e.getValue()[0] > next) return false; // still alive when the listing was taken
        }
        return found == listed.size();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keepalive-gap", "keepalive-gap-random"})
    void routersPortUnreachablesAreRelatedAndLeaveTheKernelsTimelineAlone(String name) throws IOException {
        // after the phone's entry expired the provider's OPTIONS created an inbound entry to the router's own port,
        // which is closed: the router answered each with port unreachable (RELATED_REPLY to that entry); the kernel's
        // DESTROY of it shows reply counters 0 and [UNREPLIED]: the errors neither counted nor refreshed nor answered
        Path dir = Path.of("samples", name);
        Replay rp = load(dir);
        List<Verdict> verdicts = new ArrayList<>();
        for (In in : rp.arrivals) {
            Verdict v = rp.model.onPacket(in.arrival, rp.events::add);
            if (in.arrival.ingress == Arrival.Ingress.LOCAL) verdicts.add(v);
        }
        assertEquals(List.of(Verdict.RELATED, Verdict.RELATED, Verdict.RELATED, Verdict.RELATED), verdicts);
        List<String> kernel = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("kernel-events.txt"))) {
            if (line.isBlank()) continue;
            KernelEntry k = ConntrackText.entry(line);
            kernel.add(EventFormat.body(k.event(), EventFormatTest.view(k)));
        }
        long end = ConntrackText.entry(Files.readAllLines(dir.resolve("kernel-events.txt")).stream()
                .filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow()).timestampNanos();
        rp.model.advanceTo(end, rp.events::add);
        List<String> model = rp.events.stream().map(e -> EventFormat.body(EventFormat.tag(e), e.entry())).toList();
        assertEquals(kernel.stream().filter(l -> !l.startsWith("[DESTROY]")).toList(),
                model.stream().filter(l -> !l.startsWith("[DESTROY]")).toList());
        assertEquals(kernel.stream().filter(l -> l.startsWith("[DESTROY]")).sorted().toList(),
                model.stream().filter(l -> l.startsWith("[DESTROY]")).sorted().toList());
        String inbound = kernel.stream().filter(l -> l.startsWith("[DESTROY]") && l.contains("[UNREPLIED] src=203.0.113.2"))
                .findFirst().orElse(null);
        assertNotNull(inbound, "the inbound entry's DESTROY");
        assertTrue(inbound.contains("dport=5060 packets=0 bytes=0"), inbound);
        assertEquals(0, rp.model.stats().error());
    }
}
