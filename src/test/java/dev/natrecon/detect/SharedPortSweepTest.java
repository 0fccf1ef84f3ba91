package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.Binding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sweep counts exactly the overlapping pairs of different internal endpoints that a pairwise walk finds. */
class SharedPortSweepTest {
    private static final long EXTERNAL = 0xcb00_7102L;

    private static List<Binding> group(long seed, int n, int internals) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Binding> g = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int inside = r.nextInt(internals);
            Binding b = Binding.of(i + 1, 17, 0, 0xc0a8_0000L + inside, 40000, 0, EXTERNAL, 40000, 0, 0xc612_0000L + i,
                    7000);
            b.firstNanos = r.nextLong(1_000_000);
            b.lastNanos = b.firstNanos + r.nextLong(r.nextBoolean() ? 10_000 : 200_000);
            g.add(b);
        }
        return g;
    }

    private static long pairwise(List<Binding> g) {
        long n = 0;
        for (int i = 0; i < g.size(); i++) {
            for (int j = i + 1; j < g.size(); j++) {
                Binding a = g.get(i), b = g.get(j);
                if (a.internalLo == b.internalLo && a.internalPort == b.internalPort) continue;
                if (a.lastNanos < b.firstNanos || b.lastNanos < a.firstNanos) continue;
                n++;
            }
        }
        return n;
    }

    @Test
    void listedPlusCountedIsEveryOverlappingPairOfTwoEndpoints() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Binding> g = group(seed, 300, seed % 2 == 0 ? 40 : 300);
            SharedPortSweep s = new SharedPortSweep(g, 10, 20);
            long expected = pairwise(g);
            assertEquals(expected, s.listed.size() + s.more, "seed " + seed);
            Set<String> seen = new HashSet<>();
            for (Binding[] p : s.listed) {
                Binding a = p[0], b = p[1];
                assertTrue(a.internalLo != b.internalLo, "a listed pair is two endpoints");
                assertTrue(a.lastNanos >= b.firstNanos && b.lastNanos >= a.firstNanos, "a listed pair overlaps");
                assertTrue(seen.add(Math.min(a.id, b.id) + "-" + Math.max(a.id, b.id)), "listed once");
            }
            if (expected >= 10) assertEquals(10, s.listed.size());
            assertTrue(s.endpoints.size() <= 20);
        }
    }

    @Test
    void oneEndpointsOwnLifetimesAreNoPairs() {
        List<Binding> g = group(7, 500, 1);
        SharedPortSweep s = new SharedPortSweep(g, 10, 20);
        assertEquals(0, s.listed.size());
        assertEquals(0, s.more);
    }

    @Test
    void aHundredThousandOverlappingBindingsAreCountedNotWalked() {
        List<Binding> g = new ArrayList<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            Binding b = Binding.of(i + 1, 17, 0, 0x0a00_0000L + i, 40000, 0, EXTERNAL, 40000, 0, 0xc612_0000L + i, 7000);
            b.firstNanos = i;
            b.lastNanos = 10L * n;
            g.add(b);
        }
        SharedPortSweep s = new SharedPortSweep(g, 10, 20);
        assertEquals((long) n * (n - 1) / 2, s.listed.size() + s.more);
    }
}
