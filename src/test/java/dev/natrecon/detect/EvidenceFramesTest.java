package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The compact evidence frames against the sorted sets they replaced, and the distinct-text count. */
class EvidenceFramesTest {
    /** What Finding.Builder did before: per capture a TreeSet of the lowest MAX_FRAMES frames, the rest counted. */
    private static boolean reference(Map<String, TreeSet<Long>> frames, String capture, long frame) {
        TreeSet<Long> set = frames.computeIfAbsent(capture, k -> new TreeSet<>());
        if (set.size() < Finding.MAX_FRAMES || frame < set.last()) {
            if (set.add(frame) && set.size() > Finding.MAX_FRAMES) {
                set.pollLast();
                return true;
            }
            return false;
        }
        return !set.contains(frame);
    }

    @Test
    void keepsTheSameFramesAndCountsTheSameOmissionsAsSortedSets() {
        Random random = new Random(18);
        String[] captures = {"wan", "lan", "eth1"};
        for (int round = 0; round < 200; round++) {
            EvidenceFrames compact = new EvidenceFrames();
            Map<String, TreeSet<Long>> sets = new LinkedHashMap<>();
            int adds = random.nextInt(300), range = 1 + random.nextInt(400);
            for (int i = 0; i < adds; i++) {
                String capture = captures[random.nextInt(round % 3 + 1)];
                long frame = 1 + random.nextInt(range);
                assertEquals(reference(sets, capture, frame), compact.add(capture, frame), "round " + round + " add " + i);
            }
            Map<String, List<Long>> expected = new LinkedHashMap<>();
            sets.forEach((k, v) -> expected.put(k, new ArrayList<>(v)));
            assertEquals(expected, compact.toMap());
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(compact.toMap().keySet()), "capture order");
        }
    }

    @Test
    void aFindingListsTheLowestFramesAndCountsTheRest() {
        Finding.Builder b = Finding.of(SipNatTestsDetector.RULE).at(1);
        for (long f = 200; f >= 1; f--) b.frame("lan", f).frame("lan", f);
        b.frame("wan", 7);
        Finding f = b.subject("x").build();
        assertEquals(Finding.MAX_FRAMES, f.frames("lan").size());
        assertEquals(1L, f.frames("lan").get(0));
        assertEquals((long) Finding.MAX_FRAMES, f.frames("lan").get(Finding.MAX_FRAMES - 1));
        assertEquals(200 - Finding.MAX_FRAMES, f.omitted().get("lan"));
        assertEquals(List.of(7L), f.frames("wan"));
    }

    @Test
    void distinctTextsCountsEachTextOnce() {
        DistinctTexts d = new DistinctTexts();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 50_000; i++) {
                boolean added = d.add("sip:" + (1000 + i) + "@198.51.100.10");
                if (round == 0) assertTrue(added, "new: " + i);
                else assertFalse(added, "seen: " + i);
            }
        }
        assertEquals(50_000, d.size());
    }
}
