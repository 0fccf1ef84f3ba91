package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive-array maps of the call detectors against {@link HashMap} under the same random operations. */
class PrimitiveIndexTest {
    private record Endpoint(int side, long hi, long lo, int port) {
    }

    @Test
    void endpointIndexAgreesWithAHashMapThroughPutsRemovesAndRebuilds() {
        Random r = new Random(18);
        EndpointIndex<String> index = new EndpointIndex<>();
        Map<Endpoint, String> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // few addresses and ports, both sides: many collisions, replacements and removals of live keys
            Endpoint e = new Endpoint(r.nextInt(2), r.nextInt(3) == 0 ? 0x20010db8L << 32 : 0, 0xc0a80000L + r.nextInt(64),
                    1024 + r.nextInt(300));
            int op = r.nextInt(10);
            if (op < 5) {
                String v = "v" + i;
                assertEquals(model.put(e, v), index.put(e.side(), e.hi(), e.lo(), e.port(), v));
            } else if (op < 8) {
                assertEquals(model.remove(e), index.remove(e.side(), e.hi(), e.lo(), e.port()));
            } else {
                assertEquals(model.get(e), index.get(e.side(), e.hi(), e.lo(), e.port()));
            }
            assertEquals(model.size(), index.size());
        }
        for (Map.Entry<Endpoint, String> m : model.entrySet()) {
            Endpoint e = m.getKey();
            assertEquals(m.getValue(), index.get(e.side(), e.hi(), e.lo(), e.port()));
            assertEquals(model.get(new Endpoint(1 - e.side(), e.hi(), e.lo(), e.port())),
                    index.get(1 - e.side(), e.hi(), e.lo(), e.port()), "the other side's endpoint is another key");
        }
    }

    @Test
    void aRemovedEndpointIsGoneAndItsSlotReused() {
        EndpointIndex<String> index = new EndpointIndex<>();
        for (int i = 0; i < 10_000; i++) {
            index.put(0, 0, 0x0a000001L, 20000 + (i % 50), "call " + i);
            assertEquals("call " + i, index.remove(0, 0, 0x0a000001L, 20000 + (i % 50)));
        }
        assertTrue(index.isEmpty());
        assertNull(index.get(0, 0, 0x0a000001L, 20000));
    }

    @Test
    void frameCallsKeepsEveryFrameItsCallAndTime() {
        FrameCalls f = new FrameCalls();
        List<Long> frames = List.of(1L, 2L, 65L, 129L, 1L << 40, 1L);
        for (int i = 0; i < 100_000; i++) f.put(3L * i + 1, i % 977, 1000L * i);
        for (int i = 0; i < 100_000; i += 7) {
            assertTrue(f.contains(3L * i + 1));
            assertEquals(i % 977, f.call(3L * i + 1));
            assertEquals(1000L * i, f.nanos(3L * i + 1));
            assertFalse(f.contains(3L * i + 2));
            assertEquals(-1, f.call(3L * i + 3));
        }
        assertEquals(100_000, f.size());
        FrameCalls g = new FrameCalls();
        for (long x : frames) g.put(x, 5, x);
        g.put(0, 1, 1); // frame 0 is no frame
        assertFalse(g.contains(0));
        assertEquals(frames.size() - 1, g.size(), "frame 1 twice is one frame");
        // out of order (a side's frames mostly arrive in order): each put in its place, a repeat replaces
        FrameCalls h = new FrameCalls();
        for (int i = 0; i < 200; i++) h.put(i % 2 == 0 ? 1000 - i : 1000 + i, i, 10L * i);
        h.put(1000 - 4, 99, 7);
        assertEquals(200, h.size());
        for (int i = 0; i < 200; i++) {
            long frame = i % 2 == 0 ? 1000 - i : 1000 + i;
            assertEquals(i == 4 ? 99 : i, h.call(frame), "frame " + frame);
            assertEquals(i == 4 ? 7 : 10L * i, h.nanos(frame));
        }
        assertFalse(h.contains(1000 - 1));
    }
}
