package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the model inferred from the captures alone is shown as inferred, with its window and frames: {@code events}
 * puts a comment before the inferred DESTROY, {@code compare} lists the inferred history and judges the kernel's
 * DESTROY inside the window (stale-mapping: the WAN's route gone at lan#3, the router's ICMP at lan#4).
 */
class InferredHistoryOutputTest {
    static final String DIR = "samples/stale-mapping/";
    static final String[] CAPTURES = {"--lan", DIR + "lan.pcap", "--wan", DIR + "wan.pcap", "--sysctl", DIR + "router.sysctl"};

    static String[] args(String command, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(command));
        a.addAll(List.of(CAPTURES));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void eventsMarkTheInferredDestroy() {
        MainTest.Run r = MainTest.run(args("events"));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        int destroy = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("[DESTROY]")) destroy = i;
        assertTrue(destroy > 0, r.out());
        assertTrue(lines.get(destroy - 1).startsWith("# [") && lines.get(destroy - 1).contains("INFERRED within")
                && lines.get(destroy - 1).contains("(frames wan#2, lan#3, lan#4)"), lines.get(destroy - 1));
        assertTrue(lines.get(destroy).contains("packets=1 bytes=388"), "the counters of its last packet seen at work");
    }

    @Test
    void compareJudgesTheKernelsDestroyInsideTheWindow() {
        MainTest.Run r = MainTest.run(args("compare", "--kernel-events", DIR + "kernel-events.txt"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Inferred from the captures"), r.out());
        assertTrue(r.out().contains("DESTROY inferred, kernel's within the window +0.000593 .. +3.001370 s "
                + "(kernel's at +2.006623 s); rests on wan#2, lan#3, lan#4"), r.out());
    }
}
