package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkType;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.testing.Frames;
import dev.natrecon.testing.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drives the matcher directly with hand-built packets and asserts each outcome, and that nothing is left over. */
class PacketMatcherTest {
    static final long MS = 1_000_000L;
    final List<String> out = new ArrayList<>();
    final PacketMatcher matcher = new PacketMatcher(1000 * MS, new long[] {0, 100_000 * MS}, new long[] {0, 50_000 * MS},
            Set.of("203.0.113.2"), s -> out.add(s.side.label() + s.frame + ":" + s.outcome.label()
                    + (s.counterpartFrame == 0 ? "" : "<" + s.counterpartFrame)));
    final PacketDecoder decoder = new PacketDecoder();
    final MatchKeys keys = new MatchKeys();

    void offer(Side side, long frame, long ms, byte[] eth) {
        Packet p = new Packet();
        Disposition d = decoder.decode(Hex.frame(LinkType.ETHERNET, eth), p, new AnomalyCounts());
        Seen s = matcher.obtain();
        s.side = side;
        s.frame = frame;
        s.nanos = ms * MS;
        s.captureNanos = s.nanos;
        s.disposition = d;
        PacketMatcher.fillTuple(s, p, keys.key(p));
        matcher.offer(s);
    }

    static byte[] rtp(String src, int sp, String dst, int dp, int seq, int ttl) {
        return Frames.udp(src, sp, dst, dp, seq, ttl, Frames.rtp(0x1234, seq, seq * 160L));
    }

    @Test
    void outcomesOfTranslatedDroppedLeakedAndOutsideSpan() {
        // 1: forwarded with SNAT (TTL and IP id differ, payload identical)
        offer(Side.LAN, 1, 1000, rtp("192.168.1.10", 4000, "198.51.100.7", 5000, 1, 64));
        offer(Side.WAN, 1, 1001, rtp("203.0.113.2", 4000, "198.51.100.7", 5000, 1, 63));
        // 2: dropped by the router
        offer(Side.LAN, 2, 1020, rtp("192.168.1.10", 4000, "198.51.100.7", 5000, 2, 64));
        // 3: leaked un-NATed
        offer(Side.LAN, 3, 1040, rtp("192.168.1.10", 4000, "198.51.100.7", 5000, 3, 64));
        offer(Side.WAN, 2, 1041, rtp("192.168.1.10", 4000, "198.51.100.7", 5000, 3, 63));
        // 4: LAN-local traffic (to the router's LAN address)
        offer(Side.LAN, 4, 1050, Frames.udp("192.168.1.10", 53000, "192.168.1.1", 53, "dns?"));
        // 5: after the WAN capture stopped
        offer(Side.LAN, 5, 60_000, rtp("192.168.1.10", 4000, "198.51.100.7", 5000, 4, 64));
        matcher.finish();
        assertEquals(List.of("lan1:forwarded_translated<1", "wan1:forwarded_translated<1", "lan2:no_counterpart",
                "lan3:forwarded_unchanged<2", "wan2:leaked_private_source<3", "lan4:local", "lan5:outside_other_capture"), out);
        assertEquals(0, matcher.held(), "nothing left over");
    }

    @Test
    void retransmissionsMatchTheNearestCopy() {
        byte[] invite = Frames.udp("192.168.1.10", 5060, "198.51.100.7", 5060,
                "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.10;branch=z9hG4bK1\r\nCall-ID: a@b\r\nCSeq: 1 INVITE\r\n\r\n");
        byte[] rewritten = Frames.udp("203.0.113.2", 5060, "198.51.100.7", 5060,
                "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.2;branch=z9hG4bK1\r\nCall-ID: a@b\r\nCSeq: 1 INVITE\r\n\r\n");
        offer(Side.LAN, 1, 1000, invite);      // dropped by the router
        offer(Side.LAN, 2, 1500, invite);      // retransmission, forwarded with the ALG's rewrite
        offer(Side.WAN, 1, 1500, rewritten);
        matcher.finish();
        assertEquals(List.of("lan1:no_counterpart", "lan2:forwarded_translated<1", "wan1:forwarded_translated<2"), out);
    }

    @Test
    void nonIpFramesPassThroughInOrder() {
        offer(Side.LAN, 1, 1000, rtp("192.168.1.10", 4000, "198.51.100.7", 5000, 1, 64));
        offer(Side.LAN, 2, 1001, Hex.concat(Hex.bytes("ff ff ff ff ff ff 00 66 77 88 99 aa 08 06"), new byte[28]));
        offer(Side.WAN, 1, 1002, rtp("203.0.113.2", 4000, "198.51.100.7", 5000, 1, 63));
        matcher.finish();
        assertEquals(List.of("lan1:forwarded_translated<1", "lan2:not_matchable", "wan1:forwarded_translated<1"), out);
        assertTrue(matcher.matchedPairs() == 1);
    }

    static byte[] keepalive(String src, int sp, String dst, int ttl) {
        return Frames.udp(src, sp, dst, 5060, 7, ttl, new byte[] {'\r', '\n', '\r', '\n'});
    }

    @Test
    void equalTimesPairInArrivalOrder() {
        // three identical keepalives at one instant (a clamped or µs-resolution capture) and their three copies
        for (int i = 1; i <= 3; i++) offer(Side.LAN, i, 1000, keepalive("192.168.1." + (10 + i), 5060, "198.51.100.7", 64));
        for (int i = 1; i <= 3; i++) offer(Side.WAN, i, 1000, keepalive("203.0.113.2", 5060 + i, "198.51.100.7", 63));
        matcher.finish();
        assertEquals(List.of("lan1:forwarded_translated<1", "lan2:forwarded_translated<2", "lan3:forwarded_translated<3",
                "wan1:forwarded_translated<1", "wan2:forwarded_translated<2", "wan3:forwarded_translated<3"), out);
    }

    @Test
    void theNewestEqualTimeRunIsNearestAndItsFirstArrivalWins() {
        offer(Side.LAN, 1, 1000, keepalive("192.168.1.11", 5060, "198.51.100.7", 64));
        offer(Side.LAN, 2, 1100, keepalive("192.168.1.12", 5060, "198.51.100.7", 64));
        offer(Side.LAN, 3, 1100, keepalive("192.168.1.13", 5060, "198.51.100.7", 64));
        offer(Side.WAN, 1, 1150, keepalive("203.0.113.2", 5061, "198.51.100.7", 63)); // takes lan2, not lan1 or lan3
        offer(Side.WAN, 2, 1160, keepalive("203.0.113.2", 5062, "198.51.100.7", 63)); // lan3, the newest left
        offer(Side.WAN, 3, 1170, keepalive("203.0.113.2", 5063, "198.51.100.7", 63)); // lan1
        matcher.finish();
        assertEquals(List.of("lan1:forwarded_translated<3", "lan2:forwarded_translated<1", "lan3:forwarded_translated<2",
                "wan1:forwarded_translated<2", "wan2:forwarded_translated<3", "wan3:forwarded_translated<1"), out);
    }

    @Test
    void aCopyRoutedBackFindsItsOriginalAmongIdenticalPayloadsOfOtherHosts() {
        offer(Side.LAN, 1, 1000, keepalive("192.168.1.11", 5060, "192.168.1.20", 64));
        offer(Side.LAN, 2, 1001, keepalive("192.168.1.12", 5060, "192.168.1.20", 64)); // same payload, another host
        offer(Side.LAN, 3, 1002, keepalive("192.168.1.11", 5060, "192.168.1.20", 63)); // lan1 one hop later
        offer(Side.LAN, 4, 1100, keepalive("192.168.1.12", 5060, "192.168.1.20", 63)); // too late for lan2 (10 ms)
        matcher.finish();
        assertEquals(List.of("lan1:routed_back<3", "lan2:local", "lan3:routed_back<1", "lan4:local"), out);
    }

    @Test
    void routedBackCopiesTakeTheirOriginalsFromTheHeadTailAndMiddleOfOneChain() {
        // three identical payloads wait on the LAN (one key chain: lan1, lan2, lan3; lan1 and lan3 share addresses and
        // TTL); each copy one hop later takes the oldest original of its addresses, leaving the chain's head, then
        // its tail, then its last record; a record's unlinking finds its chain's head without the map when it is one
        offer(Side.LAN, 1, 1000, keepalive("192.168.1.11", 5060, "192.168.1.20", 64));
        offer(Side.LAN, 2, 1001, keepalive("192.168.1.12", 5060, "192.168.1.20", 64));
        offer(Side.LAN, 3, 1002, keepalive("192.168.1.11", 5060, "192.168.1.20", 64));
        offer(Side.LAN, 4, 1003, keepalive("192.168.1.11", 5060, "192.168.1.20", 63)); // lan1 (the head)
        offer(Side.LAN, 5, 1004, keepalive("192.168.1.11", 5060, "192.168.1.20", 63)); // lan3 (the tail)
        offer(Side.LAN, 6, 1005, keepalive("192.168.1.12", 5060, "192.168.1.20", 63)); // lan2 (the last)
        // the chain is empty again: the next identical payload waits alone, and a copy on the other side pairs with it
        offer(Side.LAN, 7, 1006, keepalive("192.168.1.12", 5060, "198.51.100.7", 64));
        offer(Side.WAN, 1, 1007, keepalive("203.0.113.2", 5061, "198.51.100.7", 63));
        matcher.finish();
        assertEquals(List.of("lan1:routed_back<4", "lan2:routed_back<6", "lan3:routed_back<5", "lan4:routed_back<1",
                "lan5:routed_back<3", "lan6:routed_back<2", "lan7:forwarded_translated<1", "wan1:forwarded_translated<7"),
                out);
        assertEquals(0, matcher.held(), "nothing left over");
    }

    @Test
    void manyIdenticalPayloadsWaitingAtOnceAllPair() {
        // 40,000 identical datagrams of different hosts, all waiting within the window before any copy arrives
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            offer(Side.LAN, i + 1, 1000 + i / 100, keepalive("10.1." + (i / 250) + "." + (i % 250 + 2), 5060, "198.51.100.7", 64));
        }
        for (int i = 0; i < n; i++) {
            offer(Side.WAN, i + 1, 1400 + i / 100, keepalive("203.0.113.2", 1024 + i, "198.51.100.7", 63));
        }
        matcher.finish();
        assertEquals(n, matcher.matchedPairs());
        assertEquals(0, matcher.held());
    }
}
