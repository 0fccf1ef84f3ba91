package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.conntrack.ConntrackEvent.EntryCreated;
import dev.natrecon.conntrack.ConntrackEvent.EntryUpdated;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Conformance with the real kernel: replays samples/baseline through the model (LAN packets from the phone and WAN
 * packets from the provider, i.e. what arrived at the router, in time order; masquerade to router.wan.address for
 * router.lan.network; the SIP helper named on udp/5060; router.sysctl over the case's profile) and compares the model's
 * events with the kernel's own {@code conntrack -E} log: every NEW (same tuples, same NAT mapping, at the packet just
 * before the kernel's line) and every UPDATE that set SEEN_REPLY or ASSURED, printed identically.
 *
 * <p>Known gap: the SIP helper's timeout policy (3600 s for the udp/5060 master) is not modelled yet, so for entries
 * with a helper the printed timeout is masked.
 */
class BaselineConformanceTest {
    static final long KERNEL_LAG_NANOS = 20_000_000L; // conntrack-tools receives the event shortly after the packet

    record Arrival(long nanos, String side, long frame, Packet packet) {
    }

    @Test
    void baselineReproducesTheKernelsEvents() throws IOException {
        Path dir = Path.of("samples/baseline");
        List<String[]> model = replay(dir);
        List<String[]> kernel = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("kernel-events.txt"))) {
            if (line.isBlank()) continue;
            KernelEntry k = ConntrackText.entry(line);
            kernel.add(new String[] {String.valueOf(k.timestampNanos()), mask(EventFormat.body(k.event(),
                    EventFormatTest.view(k).withoutAccounting()), k.helper() != null)});
        }
        assertEquals(kernel.stream().map(k -> k[1]).toList(), model.stream().map(m -> m[1]).toList());
        for (int i = 0; i < kernel.size(); i++) {
            long lag = Long.parseLong(kernel.get(i)[0]) - Long.parseLong(model.get(i)[0]);
            assertTrue(lag >= 0 && lag < KERNEL_LAG_NANOS, "event " + (i + 1) + " " + kernel.get(i)[1] + ": kernel "
                    + lag / 1000 + " µs after the model's packet " + model.get(i)[2]);
        }
    }

    /** The model's events over the case: {time, masked body, frame}; only NEW and UPDATE (nothing expires in it). */
    static List<String[]> replay(Path dir) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"))) {
            props.load(r);
        }
        String lanNet = props.getProperty("router.lan.network"), wanAddr = props.getProperty("router.wan.address");
        Timeouts timeouts = Timeouts.profile(props.getProperty("model.profile", "linux-6"))
                .withSysctlDump(Files.readString(dir.resolve(props.getProperty("conntrack.sysctl.file"))), "router.sysctl");
        int sipPort = Integer.parseInt(props.getProperty("sip.helper.ports", "-1"));
        boolean helper = "on".equals(props.getProperty("sip.helper"));
        ConntrackModel m = new ConntrackModel(timeouts, List.of(NatRule.masquerade(wanAddr, lanNet)),
                t -> helper && t.protocol() == 17 && t.dstPort() == sipPort ? "sip" : null);
        NatRule.Prefix inside = NatRule.Prefix.parse(lanNet), router = NatRule.Prefix.parse(wanAddr);

        List<Arrival> arrivals = new ArrayList<>();
        read(dir.resolve("lan.pcap"), "lan", arrivals, p -> inside.contains(p.srcHi, p.srcLo));
        read(dir.resolve("wan.pcap"), "wan", arrivals, p -> !router.contains(p.srcHi, p.srcLo));
        arrivals.sort(Comparator.comparingLong(Arrival::nanos));

        List<String[]> out = new ArrayList<>();
        EventSink sink = e -> {
            if (e instanceof EntryCreated || (e instanceof EntryUpdated u && !u.changes().isEmpty())) {
                out.add(new String[] {String.valueOf(e.nanos()), mask(EventFormat.body(EventFormat.tag(e), e.entry()),
                        e.entry().helper() != null), e.frame().toString()});
            }
        };
        for (Arrival a : arrivals) m.onPacket(a.nanos, new FrameRef(a.side, a.frame), a.packet, -1, sink);
        return out;
    }

    static void read(Path pcap, String side, List<Arrival> out, java.util.function.Predicate<Packet> arrives)
            throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        try (CaptureReader r = CaptureReader.open(pcap)) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                Packet p = new Packet();
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED || !p.isIp()) continue;
                if (arrives.test(p)) out.add(new Arrival(f.timestampNanos, side, f.frameNumber, p));
            }
        }
    }

    /** Helper entries: the timeout comes from the helper's policy (SIP 3600 s), not modelled yet. */
    static String mask(String body, boolean helper) {
        return helper ? body.replaceFirst("^(\\s*\\[\\w+\\] ipv\\d +\\d+ \\S+ +\\d+ )\\d+ ", "$1<helper-timeout> ") : body;
    }
}
