package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * The stale-mapping detector's ring of a translated entry's unanswered SIP packets starts small and grows to
 * {@link StaleMappingDetector.Recent#SIZE}: whatever the number of packets, it keeps the last SIZE of them, oldest
 * first, with each packet's fields in the same slot.
 */
class RecentRingTest {
    @Test
    void keepsTheLastSixteenOldestFirstAcrossGrowthAndWrap() {
        int size = StaleMappingDetector.Recent.SIZE;
        for (int n : new int[] {0, 1, 2, 3, 4, 5, 8, 9, 15, 16, 17, 31, 32, 33, 100}) {
            StaleMappingDetector.Recent r = new StaleMappingDetector.Recent();
            byte[][] payloads = new byte[n][];
            for (int i = 0; i < n; i++) {
                payloads[i] = new byte[] {(byte) i};
                r.add(1000L + i, 2000L + i, 3000L + i, payloads[i], i % 3 == 0);
            }
            int kept = Math.min(n, size);
            assertEquals(kept, r.count, "packets kept of " + n);
            long[] nanos = new long[kept], expected = new long[kept];
            for (int i = 0; i < kept; i++) {
                int k = r.slot(i);
                int packet = n - kept + i;
                nanos[i] = r.nanos[k];
                expected[i] = 1000L + packet;
                assertEquals(2000L + packet, r.lanFrame[k]);
                assertEquals(3000L + packet, r.wanFrame[k]);
                assertSame(payloads[packet], r.payload[k]);
                assertEquals(packet % 3 == 0, r.fromTranslated[k]);
            }
            assertArrayEquals(expected, nanos, "oldest first after " + n + " packets");
        }
    }
}
