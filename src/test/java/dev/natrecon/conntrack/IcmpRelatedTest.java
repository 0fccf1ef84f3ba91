package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.echo;
import static dev.natrecon.conntrack.Packets.icmp;
import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ICMP/ICMPv6 errors (nf_conntrack_proto_icmp.c:nf_conntrack_inet_error): matched through the inverted quoted tuple,
 * RELATED without refresh or counters, except that the SIP helper sees original-direction errors; no match is INVALID
 * and counted as {@code error}.
 */
class IcmpRelatedTest {
    static final long S = 1_000_000_000L, MS = 1_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
    static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5", ROUTER = "203.0.113.2";
    static final String RTP_O = "src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=30000";
    static final String RTP_R = "src=203.0.113.5 dst=203.0.113.2 sport=30000 dport=40000";

    final Recorder rec = new Recorder();
    ConntrackModel model = SipHelperTimeoutTest.withSipHelper(new ConntrackModel(Timeouts.linux6().with("nf_conntrack_acct=1"),
            List.of(MASQ), t -> t.dstPort() == 5060 ? "sip" : null), "sip");

    @AfterEach
    void nothingLeftOver() {
        rec.none();
    }

    @Test
    void portUnreachableFromTheFarEndIsRelatedReplyWithoutRefreshOrCounters() {
        model.onPacket(udp(0, "lan", PHONE, 40000, PROVIDER, 30000, 160), rec);
        rec.expect("    [NEW] ipv4     2 udp      17 30 " + RTP_O + " [UNREPLIED] " + RTP_R);
        // the provider answers the translated packet with port unreachable; it quotes the packet as it received it
        ConntrackTuple asSent = ConntrackTuple.of(17, ROUTER, 40000, PROVIDER, 30000);
        assertEquals(Verdict.RELATED, model.onPacket(icmp(10 * S, "wan", PROVIDER, ROUTER, 3, 3, asSent), rec));
        rec.expect(); // no event: SEEN_REPLY is not set by an error
        ConntrackEntry e = model.find(asSent.invert());
        assertEquals(30 * S, e.deadlineNanos(), "not refreshed");
        assertFalse(e.has(Status.SEEN_REPLY));
        assertEquals(0, model.stats().error());
        model.advanceTo(30 * S, rec);
        rec.expect("[DESTROY] ipv4     2 udp      17 " + RTP_O + " packets=1 bytes=188 [UNREPLIED] " + RTP_R
                + " packets=0 bytes=0");
    }

    @Test
    void noMatchingEntryOrWrongOuterDestinationIsInvalidAndCountedAsError() {
        model.onPacket(udp(0, "lan", PHONE, 40000, PROVIDER, 30000, 160), rec);
        rec.events.clear();
        ConntrackTuple asSent = ConntrackTuple.of(17, ROUTER, 40000, PROVIDER, 30000);
        // outer destination is not the entry's reply destination (nf_conntrack_inet_error: "outer daddr != inner")
        assertEquals(Verdict.INVALID, model.onPacket(icmp(S, "wan", PROVIDER, "203.0.113.9", 3, 3, asSent), rec));
        // quotes a flow the table does not hold
        assertEquals(Verdict.INVALID, model.onPacket(icmp(S, "wan", PROVIDER, ROUTER, 3, 3,
                ConntrackTuple.of(17, ROUTER, 40001, PROVIDER, 30000)), rec));
        // quotes nothing readable (nf_ct_get_tuplepr fails)
        assertEquals(Verdict.INVALID, model.onPacket(icmp(S, "wan", PROVIDER, ROUTER, 11, 0, null), rec));
        assertEquals(3, model.stats().error());
        assertEquals(0, model.stats().invalid());
        assertEquals(1, model.stats().count(), "an error never creates an entry");
    }

    @Test
    void errorInTheOriginalDirectionGoesThroughTheSipHelperWhichRefreshesTheMaster() {
        // the phone's port is closed: it answers the provider's (de-NATed) packet with port unreachable
        model.onPacket(udp(0, "lan", PHONE, 5060, PROVIDER, 5060, 360), rec);
        model.onPacket(udp(0, "lan", PHONE, 40000, PROVIDER, 30000, 160), rec);
        rec.events.clear();
        ConntrackTuple sipAsReceived = ConntrackTuple.of(17, PROVIDER, 5060, PHONE, 5060);
        ConntrackTuple rtpAsReceived = ConntrackTuple.of(17, PROVIDER, 30000, PHONE, 40000);
        Arrival unreachable = icmp(10 * S, "lan", PHONE, PROVIDER, 3, 3, sipAsReceived);
        assertEquals(Verdict.RELATED, model.onPacket(unreachable, rec));
        assertEquals(unreachable.frame, model.find(sipAsReceived.invert()).lastFrame(), "it refreshed the entry");
        assertEquals(Verdict.RELATED, model.onPacket(icmp(10 * S, "lan", PHONE, PROVIDER, 3, 3, rtpAsReceived), rec));
        rec.expect();
        // nf_confirm hands RELATED (not RELATED_REPLY) packets to the helper; sip_help_udp sees "data" and refreshes
        assertEquals(10 * S + 3600 * S, model.find(sipAsReceived.invert()).deadlineNanos());
        assertEquals(30 * S, model.find(rtpAsReceived.invert()).deadlineNanos(), "no helper: untouched");
        model.advanceTo(30 * S, rec);
        rec.expect("[DESTROY] ipv4     2 udp      17 " + RTP_O + " packets=1 bytes=188 [UNREPLIED] " + RTP_R
                + " packets=0 bytes=0");
    }

    @Test
    void errorAboutAnEchoRequestAndAnUndecodedQuotedIcmpHeader() {
        assertEquals(Verdict.NEW, model.onPacket(echo(0, "lan", PHONE, PROVIDER, 8, 77), rec));
        rec.expect("    [NEW] ipv4     2 icmp     1 30 src=192.168.1.10 dst=203.0.113.5 type=8 code=0 id=77 [UNREPLIED] "
                + "src=203.0.113.5 dst=203.0.113.2 type=0 code=0 id=77");
        long[] r = ConntrackTuple.address(ROUTER), p = ConntrackTuple.address(PROVIDER);
        ConntrackTuple quoted = ConntrackTuple.icmp(1, r[0], r[1], p[0], p[1], 8, 0, 77);
        // time exceeded from a hop on the way: the quoted echo request inverts to the entry's reply tuple (type 0)
        assertEquals(Verdict.RELATED, model.onPacket(icmp(S, "wan", "198.51.100.1", ROUTER, 11, 0, quoted), rec));
        // the decoder gives a quoted ICMP header no type or id: the model cannot look it up and says so
        assertEquals(Verdict.UNTRACKED, model.onPacket(icmp(S, "wan", "198.51.100.1", ROUTER, 11, 0,
                ConntrackTuple.generic(1, r[0], r[1], p[0], p[1])), rec));
        // an error quoting an echo reply: nf_ct_invert_tuple works (reply ↔ request) but nothing matches
        assertEquals(Verdict.INVALID, model.onPacket(icmp(S, "wan", "198.51.100.1", ROUTER, 11, 0,
                ConntrackTuple.icmp(1, r[0], r[1], p[0], p[1], 0, 0, 77)), rec));
        assertEquals(1, model.stats().error());
    }

    @Test
    void icmpTypesThatAreNeitherQueriesNorErrors() {
        // ICMP types above 18: "invalid icmp type" in the error handler (counted as error)
        assertEquals(Verdict.INVALID, model.onPacket(icmp(0, "wan", PROVIDER, ROUTER, 40, 0, null), rec));
        // router advertisement: no reply type, so no tuple to invert (init_conntrack) and no entry (counted invalid)
        assertEquals(Verdict.INVALID, model.onPacket(icmp(0, "lan", "192.168.1.1", PHONE, 9, 0, null), rec));
        // an echo reply without a request: allocated, then refused by the tracker (counted invalid)
        assertEquals(Verdict.INVALID, model.onPacket(echo(0, "wan", PROVIDER, ROUTER, 0, 5), rec));
        // ICMPv6 neighbour solicitation: left untracked (noct_valid_new)
        assertEquals(Verdict.UNTRACKED, model.onPacket(icmp(0, "lan", "fe80::1", "ff02::1:ff00:10", 135, 0, null), rec));
        assertEquals(1, model.stats().error());
        assertEquals(2, model.stats().invalid());
        assertEquals(0, model.stats().count());
    }

    @Test
    void icmpv6DestinationUnreachableIsRelated() {
        // no IPv6 NAT rule: a null binding, the reply tuple is the inverted original
        String phone6 = "2001:db8::10", server6 = "2001:db8:1::5";
        model.onPacket(udp(0, "lan", phone6, 5000, server6, 6000, 100), rec);
        rec.expect("    [NEW] ipv6     10 udp      17 30 src=2001:db8::10 dst=2001:db8:1::5 sport=5000 dport=6000 "
                + "[UNREPLIED] src=2001:db8:1::5 dst=2001:db8::10 sport=6000 dport=5000");
        ConntrackTuple quoted = ConntrackTuple.of(17, phone6, 5000, server6, 6000);
        assertEquals(Verdict.RELATED, model.onPacket(icmp(S, "wan", server6, phone6, 1, 4, quoted), rec));
        assertEquals(Verdict.INVALID, model.onPacket(icmp(S, "wan", server6, "2001:db8::11", 1, 4, quoted), rec));
        assertEquals(1, model.stats().error());
    }

    @Test
    void labRouterNetUnreachableQuotesAPacketThatGotNoEntry() throws IOException {
        // stale-mapping, lan.pcap frames 4, 6, 8, 10: with the WAN address gone and no route, the router (192.168.1.1)
        // answers the phone's REGISTERs with net unreachable; those REGISTERs never got an entry, so nothing matches
        List<Arrival> errors = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        try (CaptureReader r = CaptureReader.open(Path.of("samples/stale-mapping/lan.pcap"))) {
            RawFrame f = new RawFrame();
            while (r.next(f)) {
                Packet p = new Packet();
                if (decoder.decode(f, p, new AnomalyCounts()) != Disposition.DECODED || !p.icmpError) continue;
                errors.add(new Arrival().packet(f.timestampNanos, new FrameRef("lan", f.frameNumber), p));
            }
        }
        assertEquals(List.of(4L, 6L, 8L, 10L), errors.stream().map(a -> a.frame.frame()).toList());
        for (Arrival a : errors) {
            assertNotNull(a.quoted);
            assertEquals(ConntrackTuple.of(17, PHONE, 5060, PROVIDER, 5060), a.quoted, "quoted as carried, before NAT");
            assertEquals(3, a.tuple.icmpType());
            assertEquals(0, a.tuple.icmpCode()); // net unreachable
            assertEquals(Verdict.INVALID, model.onPacket(a, rec));
        }
        assertEquals(4, model.stats().error());
    }
}
