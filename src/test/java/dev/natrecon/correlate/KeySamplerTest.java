package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySamplerTest {
    private static Packet udp(int src, int srcPort, int dst, int dstPort) {
        Packet p = new Packet();
        p.layers = Packet.L_IPV4 | Packet.L_UDP;
        p.srcHi = 0;
        p.srcLo = Addresses.v4(src);
        p.dstHi = 0;
        p.dstLo = Addresses.v4(dst);
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        return p;
    }

    @Test
    void keepsTheKeysBelowAHalvingThresholdInTheOrderFirstSeen() {
        KeySampler s = new KeySampler(100);
        Random r = new Random(7);
        List<Long> offered = new ArrayList<>();
        Packet p = udp(0x0a000001, 5060, 0xc6336401, 5060);
        for (int i = 0; i < 5_000; i++) {
            long key = r.nextLong() | 1;
            offered.add(key);
            s.add(key, 1_000L * i, i + 1, p);
        }
        assertTrue(s.threshold() < Long.MAX_VALUE);
        List<Long> expected = new ArrayList<>();
        for (long k : offered) if ((k >>> 1) < s.threshold()) expected.add(k);
        assertEquals(expected.size(), s.size());
        assertTrue(s.size() <= 100, "at most the capacity: " + s.size());
        for (int i = 0; i < s.size(); i++) {
            long key = expected.get(i);
            assertEquals(key, s.key(i));
            assertEquals(i, s.indexOf(key));
            int at = offered.indexOf(key);
            assertEquals(1_000L * at, s.nanos(i));
            assertEquals(at + 1, s.frame(i));
            assertEquals(1, s.count(i));
        }
        for (long k : offered) if ((k >>> 1) >= s.threshold()) assertEquals(-1, s.indexOf(k));
    }

    @Test
    void aKeySeenAgainIsCountedNotResampled() {
        KeySampler s = new KeySampler(16);
        s.add(42, 10, 1, udp(0x0a000001, 4000, 0xc6336401, 5000));
        s.add(42, 20, 2, udp(0x0a000002, 4001, 0xc6336402, 5001));
        s.add(0, 30, 3, udp(0x0a000001, 4000, 0xc6336401, 5000)); // no key: never sampled
        assertEquals(1, s.size());
        assertEquals(2, s.count(0));
        assertEquals(10, s.nanos(0));
        assertEquals(4000, s.srcPort(0));
        assertEquals(5000, s.dstPort(0));
        assertEquals(Addresses.v4(0x0a000001), s.srcLo(0));
        s.lowerThreshold(21); // 42 >>> 1 = 21: no longer below it
        assertEquals(0, s.size());
        assertEquals(-1, s.indexOf(42));
    }

    @Test
    void theEstimateRecoversAnOffsetAndTheForwardingDelay() {
        KeySampler lan = new KeySampler(1024), wan = new KeySampler(1024);
        Packet out = udp(0x0a000001, 5060, 0xc6336401, 5060);
        Packet outNat = udp(0xcb007102, 1025, 0xc6336401, 5060);
        Packet in = udp(0xc6336401, 5060, 0xcb007102, 1025);
        Packet inNat = udp(0xc6336401, 5060, 0x0a000001, 5060);
        long offset = 2_500_000_000L, delay = 50_000;
        for (int i = 0; i < 400; i++) {
            long t = 1_000_000_000_000L + 20_000_000L * (i / 2); // pairs of packets at the same time
            long key = 0x1000L + i;
            if (i % 4 < 2) { // outbound: seen on the LAN first
                lan.add(key, t, i + 1, out);
                wan.add(key, t + offset + delay, i + 1, outNat);
            } else {
                wan.add(key, t + offset, i + 1, in);
                lan.add(key, t + delay, i + 1, inNat);
            }
        }
        ClockEstimate e = ClockOffsetEstimator.estimate(lan, wan);
        assertEquals(400, e.matches());
        assertEquals(200, e.outbound());
        assertEquals(200, e.inbound());
        assertEquals(2.5, e.offsetSeconds(), 1e-9);
        assertEquals(50e-6, e.latencySeconds(), 1e-9);
        assertEquals(List.of("203.0.113.2"), e.externalAddresses());
    }

    @Test
    void pairsAreOrderedByTimeThenByTheirOrderInTheCapture() {
        KeySampler lan = new KeySampler(64);
        Packet p = udp(0x0a000001, 5060, 0xc6336401, 5060);
        long[] times = {30, 10, 20, 10, 30, 5};
        for (int i = 0; i < times.length; i++) lan.add(100 + i, times[i], i + 1, p);
        int[] at = {0, 1, 2, 3, 4, 5};
        int[] order = ClockOffsetEstimator.byTime(lan, at, at.length);
        assertEquals(List.of(5, 1, 3, 2, 0, 4), java.util.Arrays.stream(order).boxed().toList());
    }
}
