package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.correlate.Side;
import dev.natrecon.testing.PcapNg;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One capture taken on the router: the baseline's LAN and WAN frames interleaved into one pcapng, either as two
 * Ethernet interfaces (as a multi-interface pcapng) or as one "any" interface in Linux SLL2 with interface indexes
 * (as tcpdump -i any writes it), or in Linux SLL v1 without them. Roles are assigned from addresses (from copy pairs in
 * SLL v1) and every packet is matched.
 */
class RouterCaptureTest {
    @TempDir
    Path tmp;

    record Frame(long nanos, int side, byte[] bytes) {
    }

    static List<Frame> baseline() throws IOException {
        List<Frame> all = new ArrayList<>();
        String[] files = {"samples/baseline/lan.pcap", "samples/baseline/wan.pcap"};
        for (int i = 0; i < 2; i++) {
            try (CaptureReader r = CaptureReader.open(Path.of(files[i]))) {
                RawFrame f = new RawFrame();
                while (r.next(f)) all.add(new Frame(f.timestampNanos, i, Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength)));
            }
        }
        all.sort((a, b) -> Long.compare(a.nanos, b.nanos));
        return all;
    }

    /** Ethernet → SLL2 header (protocol, ifindex, ARPHRD_ETHER, packet type, source MAC). */
    static byte[] sll2(byte[] eth, int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(20 + eth.length - 14).order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) 0x0800).putShort((short) 0).putInt(ifindex).putShort((short) 1).put((byte) 0).put((byte) 6);
        b.put(eth, 6, 6).put(new byte[2]).put(eth, 14, eth.length - 14);
        return b.array();
    }

    @Test
    void twoInterfacePcapngIsSplitAutomatically() throws IOException {
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(1, "wan0", 9);
        ng.idb(1, "lan0", 9);
        for (Frame f : baseline()) ng.epb(f.side == 0 ? 1 : 0, f.nanos, f.bytes);
        Path file = tmp.resolve("router.pcapng");
        Files.write(file, ng.out.toByteArray());
        RunResult r = Analysis.run(new AnalysisInputs(null, null, file, null, null, null, 1.0), List.of());
        assertTrue(r.decisions().get(0).startsWith("LAN interface: lan0 (automatic"), r.decisions().toString());
        assertTrue(r.decisions().get(1).startsWith("WAN interface: wan0 (automatic"), r.decisions().toString());
        for (Side s : Side.values()) {
            assertEquals(509, r.matchable(s));
            assertEquals(509, r.matched(s));
        }
        assertEquals(2, r.bindings().size());
    }

    /**
     * Linux cooked v1 has no interface index: the sides come from pairing each forwarded packet's two copies
     * ({@link CookedSides}), here even with every packet type "to us" (so only the link-layer addresses tell groups apart).
     */
    @Test
    void sllV1PairsTheCopiesInstead() throws IOException {
        Path file = tmp.resolve("any-v1.pcapng");
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(113, "any", 9);
        for (Frame f : baseline()) ng.epb(0, f.nanos, CookedCaptureTest.sll(f.bytes, 0));
        Files.write(file, ng.out.toByteArray());
        RunResult r = Analysis.run(new AnalysisInputs(null, null, file, null, null, null, 1.0), List.of());
        assertTrue(r.decisions().get(0).startsWith("LAN side: ") && r.decisions().get(0).contains("frames received from 02:4e:52:01:00:0a"), r.decisions().toString());
        for (Side s : Side.values()) {
            assertEquals(509, r.matchable(s));
            assertEquals(509, r.matched(s));
        }
        assertEquals(2, r.bindings().size());
    }

    @Test
    void anyCaptureInSll2UsesInterfaceIndexes() throws IOException {
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(276, "any", 9);
        for (Frame f : baseline()) ng.epb(0, f.nanos, sll2(f.bytes, f.side == 0 ? 2 : 3));
        Path file = tmp.resolve("any.pcapng");
        Files.write(file, ng.out.toByteArray());
        RunResult r = Analysis.run(new AnalysisInputs(null, null, file, "2", "3", null, 1.0), List.of());
        assertEquals("LAN interface: ifindex 2 (given)", r.decisions().get(0));
        assertEquals(509, r.matched(Side.WAN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Analysis.run(new AnalysisInputs(null, null, file, "eth9", null, null, 1.0), List.of()));
        assertTrue(e.getMessage().contains("no LAN interface named 'eth9'"), e.getMessage());
    }
}
