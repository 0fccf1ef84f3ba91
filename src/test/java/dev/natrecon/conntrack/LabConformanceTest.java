package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conformance with the real kernel: replays a lab sample through the model and compares its events with the kernel's
 * own {@code conntrack -E} log.
 *
 * <p>Replay: what arrived at the router, in time order: LAN packets from {@code router.lan.network} and WAN packets to
 * {@code router.wan.address}; masquerade/SNAT to {@code router.wan.address} for {@code router.lan.network}
 * ({@code random} when the case's {@code nat} says so); the SIP helper named on {@code sip.helper.protocol}/{@code sip.helper.ports};
 * {@code router.sysctl} and the SIP helper's module parameters over the case's profile. Where the kernel chose a port at random, the model takes the one the
 * WAN capture shows for the same packet (same IP ID, protocol, destination).
 *
 * <p>Compared: every NEW and UPDATE, printed identically and in the same order, the kernel's line within 20 ms after
 * the model's packet; every DESTROY with the same text including counters and delta-time, never before the model's
 * deadline and at most 60 s after it (the kernel's GC lag).
 *
 * <p>Known gaps (cases left out): the SIP helper's drops and expectations ({@code expect-exhaustion}), link and address events ({@code stale-mapping},
 * {@code wan-address-change}), NAT rules narrower than the LAN ({@code leaked-private-source}).
 */
class LabConformanceTest {
    static final long KERNEL_LAG_NANOS = 20_000_000L;
    static final long GC_LAG_NANOS = 60_000_000_000L;

    record Ev(long nanos, String tag, String text, String frame) {
    }

    record Arrival(long nanos, String side, long frame, Packet packet, int observedPort) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "alg-off", "sip-over-tcp", "keepalive-gap", "keepalive-gap-random", "port-clash",
            "wan-address-change-snat"})
    void modelReproducesTheKernelsEvents(String name) throws IOException {
        Path dir = Path.of("samples", name);
        List<Ev> kernel = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("kernel-events.txt"))) {
            if (line.isBlank()) continue;
            KernelEntry k = ConntrackText.entry(line);
            kernel.add(new Ev(k.timestampNanos(), k.event(), EventFormat.body(k.event(), EventFormatTest.view(k)), ""));
        }
        long end = kernel.stream().mapToLong(Ev::nanos).max().orElse(0);
        List<Ev> model = replay(dir, end);

        List<Ev> kNu = kernel.stream().filter(e -> !e.tag.equals("DESTROY")).toList();
        List<Ev> mNu = model.stream().filter(e -> !e.tag.equals("DESTROY")).toList();
        assertEquals(kNu.stream().map(Ev::text).toList(), mNu.stream().map(Ev::text).toList(), name + ": NEW/UPDATE");
        for (int i = 0; i < kNu.size(); i++) {
            long lag = kNu.get(i).nanos - mNu.get(i).nanos;
            assertTrue(lag >= 0 && lag < KERNEL_LAG_NANOS, name + ": " + kNu.get(i).text + ": kernel " + lag / 1000
                    + " µs after the model's packet " + mNu.get(i).frame);
        }

        List<Ev> kD = kernel.stream().filter(e -> e.tag.equals("DESTROY")).sorted(Comparator.comparing(Ev::text)).toList();
        List<Ev> mD = model.stream().filter(e -> e.tag.equals("DESTROY")).sorted(Comparator.comparing(Ev::text)).toList();
        assertEquals(kD.stream().map(Ev::text).toList(), mD.stream().map(Ev::text).toList(), name + ": DESTROY");
        for (int i = 0; i < kD.size(); i++) {
            long lag = kD.get(i).nanos - mD.get(i).nanos;
            assertTrue(lag >= 0 && lag < GC_LAG_NANOS, name + ": " + kD.get(i).text + ": kernel " + lag / 1000
                    + " µs after the model");
        }
    }

    /** The model's events over the case, expirations flushed up to {@code endNanos}. */
    static List<Ev> replay(Path dir, long endNanos) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"))) {
            props.load(r);
        }
        String lanNet = props.getProperty("router.lan.network"), wanAddr = props.getProperty("router.wan.address");
        String nat = props.getProperty("nat", "masquerade");
        Timeouts timeouts = Timeouts.profile(props.getProperty("model.profile", "linux-6"))
                .withSysctlDump(Files.readString(dir.resolve(props.getProperty("conntrack.sysctl.file"))), "router.sysctl");
        String sipParameters = props.getProperty("sip.helper.parameters.file");
        if (sipParameters != null) {
            timeouts = timeouts.withModuleParameters(Files.readString(dir.resolve(sipParameters)), sipParameters);
        }
        int sipPort = Integer.parseInt(props.getProperty("sip.helper.ports", "-1"));
        boolean helper = "on".equals(props.getProperty("sip.helper"));
        int helperProto = "tcp".equals(props.getProperty("sip.helper.protocol", "udp")) ? 6 : 17;
        NatRule rule = nat.startsWith("snat") ? NatRule.snat(wanAddr, lanNet) : NatRule.masquerade(wanAddr, lanNet);
        if (nat.contains("random")) rule = rule.withRandomPorts();
        ConntrackModel m = new ConntrackModel(timeouts, List.of(rule),
                t -> helper && t.protocol() == helperProto && t.dstPort() == sipPort ? "sip" : null);
        NatRule.Prefix inside = NatRule.Prefix.parse(lanNet), router = NatRule.Prefix.parse(wanAddr);

        // what the router sent out on the WAN, by IP ID and destination: the translated source port
        Map<String, Integer> translated = new HashMap<>();
        List<Arrival> wanOut = new ArrayList<>();
        read(dir.resolve("wan.pcap"), "wan", wanOut, p -> router.contains(p.srcHi, p.srcLo), null);
        for (Arrival a : wanOut) translated.putIfAbsent(key(a.packet), a.packet.srcPort);

        List<Arrival> arrivals = new ArrayList<>();
        read(dir.resolve("lan.pcap"), "lan", arrivals, p -> inside.contains(p.srcHi, p.srcLo), translated);
        read(dir.resolve("wan.pcap"), "wan", arrivals, p -> router.contains(p.dstHi, p.dstLo), null);
        arrivals.sort(Comparator.comparingLong(Arrival::nanos));

        List<Ev> out = new ArrayList<>();
        EventSink sink = e -> {
            String tag = EventFormat.tag(e);
            out.add(new Ev(e.nanos(), tag, EventFormat.body(tag, e.entry()), e.frame().toString()));
        };
        for (Arrival a : arrivals) m.onPacket(a.nanos, new FrameRef(a.side, a.frame), a.packet, a.observedPort, sink);
        m.advanceTo(endNanos, sink);
        return out;
    }

    static String key(Packet p) {
        return p.ipId + "/" + p.protocol + "/" + p.dstHi + "/" + p.dstLo + "/" + p.dstPort;
    }

    static void read(Path pcap, String side, List<Arrival> out, Predicate<Packet> arrives, Map<String, Integer> ports)
            throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        try (CaptureReader r = CaptureReader.open(pcap)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                Packet p = new Packet();
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED || !p.isIp()) continue;
                if (!arrives.test(p)) continue;
                int observed = ports == null || !p.hasPorts() ? -1 : ports.getOrDefault(key(p), -1);
                out.add(new Arrival(f.timestampNanos, side, f.frameNumber, p, observed));
            }
        }
    }
}
