package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Binding;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Outcome;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.LinkType;
import dev.natrecon.decode.Packet;
import dev.natrecon.detect.Finding;
import dev.natrecon.testing.PcapNg;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router's {@code tcpdump -i any} in Linux cooked v1 (no interface index): the LAN and WAN copies of each forwarded
 * packet are paired by content and the sides follow the link-layer addresses ({@link CookedSides}).
 */
class CookedCaptureTest {
    @TempDir
    Path tmp;

    static final Path LAB = Path.of("samples", "router-any-sll");
    static final long ROUTER_LAN_MAC = 0x024e52010001L, ROUTER_WAN_MAC = 0x024e52020002L;

    /** The lab's real-kernel capture gives the bindings, findings and matching of the two-sided run of the same traffic. */
    @Test
    void labAnyCaptureGivesTheTwoSidedResult() throws IOException {
        RunResult two = Analysis.run(AnalysisInputs.pair(LAB.resolve("lan.pcap"), LAB.resolve("wan.pcap")), List.of());
        RunResult any = Analysis.run(new AnalysisInputs(null, null, LAB.resolve("router.pcap"), null, null, null, 1.0),
                List.of());
        assertEquals(describe(two.bindings()), describe(any.bindings()));
        assertEquals(findings(two.findings()), findings(any.findings()));
        assertEquals(two.verdict().kind(), any.verdict().kind());
        for (Side s : Side.values()) {
            assertEquals(two.matchable(s), any.matchable(s), s.label());
            assertEquals(two.matched(s), any.matched(s), s.label());
            for (Outcome o : Outcome.values()) assertEquals(two.outcome(s, o), any.outcome(s, o), s + " " + o);
        }
        ModelSummary m2 = two.model(), ma = any.model();
        assertEquals(m2.arrivals(), ma.arrivals());
        assertEquals(m2.verdicts(), ma.verdicts());
        assertEquals(m2.events(), ma.events());
        assertEquals(m2.natPorts(), ma.natPorts());
        assertEquals(m2.divergences(), ma.divergences());
        assertEquals(m2.expectationEvents(), ma.expectationEvents());
        assertEquals(m2.rewritesEqual(), ma.rewritesEqual());
        assertEquals(m2.rewritesPredicted(), ma.rewritesPredicted());
        assertTrue(any.decisions().get(0).startsWith("LAN side: ")
                && any.decisions().get(0).contains("frames received from 02:4e:52:01:00:0a (254 copy pairs)"),
                any.decisions().toString());
        assertTrue(any.decisions().get(1).contains("frames received from 02:4e:52:02:00:05 ("), any.decisions().toString());
        assertTrue(any.decisions().get(2).startsWith("copy pairs: " + two.matchedPairs() + " told the side"),
                any.decisions() + " vs " + two.matchedPairs());
    }

    /** The probe that tells a router's -i any capture from one side's, for choosing how to analyze a lone file. */
    @Test
    void routerCopyPairsTellsARouterCaptureFromOneSide() throws IOException {
        assertEquals(509, Analysis.routerCopyPairs(LAB.resolve("router.pcap"), Long.MAX_VALUE));
        assertEquals(0, Analysis.routerCopyPairs(LAB.resolve("lan.pcap"), Long.MAX_VALUE), "Ethernet: not cooked v1");
        // a host's own -i any (a SIP client on TLS with RTP): nothing forwarded
        assertEquals(0, Analysis.routerCopyPairs(PublicCorpusTest.CORPUS.resolve("encap/sip_tls13_rtcp_sll.pcap"),
                Long.MAX_VALUE));
        assertTrue(Analysis.routerCopyPairs(LAB.resolve("router.pcap"), 100) <= 50);
    }

    /**
     * The public corpus's Linux cooked v1 files are hosts' captures (a SIP client, a media endpoint, tcpdump's and
     * PcapPlusPlus's format samples): as {@code --router} each gets the one-line refusal naming it, with 0 copy pairs.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"encap/ipv6_frag_sll.pcap", "encap/sip_tls13_rtcp_sll.pcap",
        "format/nsec_sll_tcp.pcap", "format/snaplen128_sll.pcap", "media/rtcp_compound_sll.pcap"})
    void publicCookedV1CapturesAreOneSided(String name) {
        Path file = PublicCorpusTest.CORPUS.resolve(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Analysis.run(new AnalysisInputs(null, null, file, null, null, null, 1.0), List.of()));
        assertTrue(e.getMessage().startsWith(file + ": Linux cooked v1 (SLL) capture with no packet seen both as "
                + "received and as forwarded by NAT (0 copy pairs)"), e.getMessage());
    }

    /** Ethernet frame → Linux cooked v1: packet type (4 sent by the router, else 0 to us), ARPHRD_ETHER, source MAC. */
    static byte[] sll(byte[] eth, int packetType) {
        return ByteBuffer.allocate(16 + eth.length - 14).putShort((short) packetType).putShort((short) 1)
                .putShort((short) 6).put(eth, 6, 6).put(new byte[2]).putShort((short) 0x0800)
                .put(eth, 14, eth.length - 14).array();
    }

    static long srcMac(byte[] eth) {
        long m = 0;
        for (int i = 6; i < 12; i++) m = m << 8 | (eth[i] & 0xff);
        return m;
    }

    static byte[] cooked(byte[] eth) {
        long mac = srcMac(eth);
        return sll(eth, mac == ROUTER_LAN_MAC || mac == ROUTER_WAN_MAC ? 4 : 0);
    }

    private Path write(List<byte[]> frames, List<Long> nanos) throws IOException {
        PcapNg ng = new PcapNg();
        ng.section(ByteOrder.LITTLE_ENDIAN);
        ng.idb(LinkType.LINUX_SLL, "any", 9);
        for (int i = 0; i < frames.size(); i++) ng.epb(0, nanos.get(i), frames.get(i));
        Path file = tmp.resolve("any-v1.pcapng");
        Files.write(file, ng.out.toByteArray());
        return file;
    }

    /** A copy of a baseline frame with other addresses, source MAC and RTP SSRC (so it pairs with nothing). */
    static byte[] stray(byte[] eth, long mac, int src, int dst, int ssrc) {
        byte[] b = eth.clone();
        for (int i = 0; i < 6; i++) b[6 + i] = (byte) (mac >>> (40 - 8 * i));
        ByteBuffer.wrap(b).putInt(14 + 12, src).putInt(14 + 16, dst).putInt(14 + 20 + 8 + 8, ssrc);
        return b;
    }

    @Test
    void droppedStrayAndOneSidedFramesGetASideOrAreCountedUnknown() throws IOException {
        List<RouterCaptureTest.Frame> base = RouterCaptureTest.baseline();
        List<byte[]> frames = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        byte[] rtp = null;
        boolean dropped = false;
        for (int i = 0; i < base.size(); i++) {
            RouterCaptureTest.Frame f = base.get(i);
            // the router "drops" one of the phone's RTP packets: its WAN copy (the next frame) is left out
            if (!dropped && f.side() == 0 && f.bytes().length == 14 + 20 + 8 + 172 && srcMac(f.bytes()) != ROUTER_LAN_MAC
                    && i > 100) {
                dropped = true;
                rtp = f.bytes();
                frames.add(cooked(f.bytes()));
                nanos.add(f.nanos());
                i++;
                continue;
            }
            frames.add(cooked(f.bytes()));
            nanos.add(f.nanos());
        }
        assertTrue(dropped);
        long t = nanos.get(nanos.size() - 1);
        // a LAN host the router never forwards for, talking to the router's LAN address: nothing tells its side
        frames.add(sll(stray(rtp, 0x020000000099L, 0xc0a80114, 0xc0a80101, 0x11111111), 0));
        nanos.add(t + 1000);
        // another LAN host whose packet to the provider the router drops: private to public, so the LAN
        frames.add(sll(stray(rtp, 0x020000000098L, 0xc0a8011e, 0xcb007105, 0x22222222), 0));
        nanos.add(t + 2000);
        // a LAN host's packet to the phone, which the router only sees: the phone's address is in LAN copies only
        frames.add(sll(stray(rtp, 0x020000000097L, 0xc0a80132, 0xc0a8010a, 0x33333333), 0));
        nanos.add(t + 3000);
        // an upstream modem (private 10.0.0.1) to the router's WAN address: by address class it would be the LAN, but
        // 203.0.113.2 appears only in the WAN copies
        frames.add(sll(stray(rtp, 0x020000000096L, 0x0a000001, 0xcb007102, 0x44444444), 0));
        nanos.add(t + 4000);
        RunResult r = Analysis.run(new AnalysisInputs(null, null, write(frames, nanos), null, null, null, 1.0), List.of());
        String d = String.join("\n", r.decisions());
        assertTrue(d.contains("frames received from 02:00:00:00:00:97 (no forwarded copy; its address 192.168.1.10 "
                + "appears only in the LAN copies)"), d);
        assertTrue(d.contains("frames received from 02:00:00:00:00:96 (no forwarded copy; its address 203.0.113.2 "
                + "appears only in the WAN copies)"), d);
        assertTrue(d.contains("frames received from 02:00:00:00:00:98 (no forwarded copy; its 1 packets go between "
                + "inside and outside addresses)"), d);
        assertTrue(d.contains("side unknown: 1 IP frames, listed but not matched (1 frames received from "
                + "02:00:00:00:00:99 (no forwarded copy and its addresses do not tell))"), d);
        assertEquals(3, r.outcome(Side.LAN, Outcome.NO_COUNTERPART) + r.outcome(Side.LAN, Outcome.LOCAL), d);
        assertEquals(508, r.matched(Side.LAN));
        assertEquals(508, r.matched(Side.WAN));
    }

    /** VLAN subinterfaces of one port send with one MAC: the router's sent frames are sided one by one by address. */
    @Test
    void twoInterfacesSharingOneMacAreSplitByAddress() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        for (RouterCaptureTest.Frame f : RouterCaptureTest.baseline()) {
            byte[] b = f.bytes().clone();
            if (srcMac(b) == ROUTER_WAN_MAC) {
                for (int i = 0; i < 6; i++) b[6 + i] = (byte) (ROUTER_LAN_MAC >>> (40 - 8 * i));
            }
            frames.add(cooked(b));
            nanos.add(f.nanos());
        }
        RunResult r = Analysis.run(new AnalysisInputs(null, null, write(frames, nanos), null, null, null, 1.0), List.of());
        String d = String.join("\n", r.decisions());
        assertTrue(d.contains("LAN or WAN per frame, by its addresses (two interfaces share one link-layer address; "
                + "a frame with an address seen only in one side's copies takes that side, any other is side unknown): "
                + "frames sent from 02:4e:52:01:00:01 (255 copy pairs said LAN, 254 WAN)"), d);
        for (Side s : Side.values()) {
            assertEquals(509, r.matchable(s), s.label());
            assertEquals(509, r.matched(s), s.label());
        }
        assertEquals(2, r.bindings().size());
    }

    @Test
    void oneSideOnlyIsRefusedWithOneLine() throws IOException {
        List<byte[]> frames = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        for (RouterCaptureTest.Frame f : RouterCaptureTest.baseline()) {
            if (f.side() != 0) continue;
            frames.add(cooked(f.bytes()));
            nanos.add(f.nanos());
        }
        Path file = write(frames, nanos);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Analysis.run(new AnalysisInputs(null, null, file, null, null, null, 1.0), List.of()));
        assertTrue(e.getMessage().startsWith(file + ": Linux cooked v1 (SLL) capture with no packet seen both as "
                + "received and as forwarded by NAT (0 copy pairs)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void interfaceNamesDoNotApplyToCookedV1() {
        Path file = LAB.resolve("router.pcap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Analysis.run(new AnalysisInputs(null, null, file, "0", "0", null, 1.0), List.of()));
        assertTrue(e.getMessage().startsWith(file + ": cannot tell the LAN and WAN interfaces apart")
                && e.getMessage().contains("--lan-if and --wan-if do not apply"), e.getMessage());
    }

    private static Packet packet(long mac, int type, int src, int dst, int ttl) {
        Packet p = new Packet();
        p.linkType = LinkType.LINUX_SLL;
        p.srcMac = mac;
        p.sllPacketType = type;
        p.sllHatype = 1;
        p.srcLo = Addresses.v4(src);
        p.dstLo = Addresses.v4(dst);
        p.ttl = ttl;
        return p;
    }

    @Test
    void copiesPairOnlyWithinTheWindowAndWithTheTtlOneLower() {
        CookedCopyPairing pairing = new CookedCopyPairing(Inside.privateRanges());
        int phone = 0xc0a8010a, provider = 0xcb007105, router = 0xcb007102;
        // paired: source NAT, TTL 64 → 63, 30 µs apart
        pairing.frame(packet(1, 0, phone, provider, 64), 42, 0);
        pairing.frame(packet(2, 4, router, provider, 63), 42, 30_000);
        // not paired: too far apart
        pairing.frame(packet(1, 0, phone, provider, 64), 43, 1_000_000_000L);
        pairing.frame(packet(2, 4, router, provider, 63), 43, 1_000_000_000L + CookedCopyPairing.WINDOW_NANOS + 1);
        // not paired: the same TTL (a retransmission, not a forwarded copy)
        pairing.frame(packet(1, 0, phone, provider, 64), 44, 3_000_000_000L);
        pairing.frame(packet(2, 4, router, provider, 64), 44, 3_000_000_100L);
        // destination NAT: received on the WAN (group 3), sent on the LAN (group 4)
        pairing.frame(packet(3, 0, provider, router, 64), 45, 4_000_000_000L);
        pairing.frame(packet(4, 4, provider, phone, 63), 45, 4_000_000_010L);
        assertEquals(2, pairing.sidedPairs());
        CookedSides sides = CookedSides.decide(pairing);
        assertEquals(CookedSides.LAN_KEY, sides.key(packet(1, 0, phone, provider, 64)));
        assertEquals(CookedSides.WAN_KEY, sides.key(packet(2, 4, router, provider, 63)));
        assertEquals(CookedSides.WAN_KEY, sides.key(packet(3, 0, provider, router, 64)));
        assertEquals(CookedSides.LAN_KEY, sides.key(packet(4, 4, provider, phone, 63)));
        // the same address received rather than sent is another group, never seen
        assertEquals(CookedSides.UNKNOWN_KEY, sides.key(packet(4, 0, provider, phone, 63)));
        assertTrue(sides.bothSides());
    }

    /** A link without link-layer addresses (a PPP uplink: ARPHRD_PPP 512) is one group per direction. */
    @Test
    void aLinkWithoutAddressesIsGroupedByItsType() {
        CookedCopyPairing pairing = new CookedCopyPairing(Inside.privateRanges());
        int phone = 0xc0a8010a, provider = 0xcb007105, router = 0xcb007102;
        Packet out = packet(-1, 4, router, provider, 63), in = packet(-1, 0, provider, router, 64);
        out.sllHatype = in.sllHatype = 512;
        pairing.frame(packet(1, 0, phone, provider, 64), 42, 0);
        pairing.frame(out, 42, 10_000);
        pairing.frame(in, 43, 20_000_000);
        pairing.frame(packet(2, 4, provider, phone, 63), 43, 20_010_000);
        CookedSides sides = CookedSides.decide(pairing);
        assertEquals(CookedSides.WAN_KEY, sides.key(out));
        assertEquals(CookedSides.WAN_KEY, sides.key(in));
        assertTrue(sides.decisions().get(1).contains("frames sent on a link without addresses (ARPHRD 512) (1 copy pairs)"),
                sides.decisions().toString());
    }

    @Test
    void linkGroupsAreBounded() {
        CookedCopyPairing pairing = new CookedCopyPairing(Inside.privateRanges());
        for (int i = 0; i < CookedLinkGroups.MAX_GROUPS + 5; i++) {
            pairing.frame(packet(0x020000000000L + i, 0, 0xc0a80100 + (i & 0xff), 0xcb007105, 64), 0, i);
        }
        assertEquals(CookedLinkGroups.MAX_GROUPS, pairing.groups.size());
        assertEquals(5, pairing.ungrouped);
        CookedSides sides = CookedSides.decide(pairing);
        assertTrue(!sides.bothSides());
        assertNull(sides.decisions().stream().filter(l -> l.startsWith("WAN side: frames")).findFirst().orElse(null));
        // each group's one packet goes from a private to a public address: the LAN by addresses, named up to a bound
        assertTrue(sides.decisions().get(0).contains("; and " + (CookedLinkGroups.MAX_GROUPS - CookedSides.NAMED_GROUPS)
                + " more link-layer addresses (0 copy pairs, " + (CookedLinkGroups.MAX_GROUPS - CookedSides.NAMED_GROUPS)
                + " frames)"), sides.decisions().get(0));
        assertTrue(sides.decisions().get(3).startsWith("side unknown: 5 IP frames, listed but not matched (beyond "),
                sides.decisions().toString());
    }

    private static List<String> describe(List<Binding> bindings) {
        List<String> out = new ArrayList<>();
        for (Binding b : bindings) {
            out.add(String.format(Locale.ROOT, "%d %s:%d %s:%d %s:%d lan %d/%d wan %d/%d", b.protocol,
                    Addresses.format(b.internalHi, b.internalLo), b.internalPort,
                    Addresses.format(b.externalHi, b.externalLo), b.externalPort,
                    Addresses.format(b.remoteHi, b.remoteLo), b.remotePort, b.packets(Side.LAN, 0),
                    b.packets(Side.LAN, 1), b.packets(Side.WAN, 0), b.packets(Side.WAN, 1)));
        }
        return out;
    }

    private static List<String> findings(List<Finding> findings) {
        List<String> out = new ArrayList<>();
        for (Finding f : findings) out.add(f.id() + " " + f.severity() + " " + f.subject() + ": " + f.message());
        return out;
    }
}
