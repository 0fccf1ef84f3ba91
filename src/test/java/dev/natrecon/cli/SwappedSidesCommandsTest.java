package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After the analysis finds the captures given the wrong way round (InputChecks) and swaps them, {@code snapshot --at
 * +S} counts from the first frame of the capture that is the LAN side, and {@code snapshot} and {@code events} say
 * that they swapped: the same table and events as when the sides are given the right way round.
 */
class SwappedSidesCommandsTest {
    static final String LAN = "samples/baseline/lan.pcap", WAN = "samples/baseline/wan.pcap";

    static List<String> withoutNotes(String out) {
        return out.lines().filter(l -> !l.startsWith("# note: ")).toList();
    }

    @Test
    void snapshotCountsFromTheLanSidesFirstFrame() {
        MainTest.Run right = MainTest.run("snapshot", "--at", "+2", "--at", "+4.5", "--lan", LAN, "--wan", WAN);
        MainTest.Run swapped = MainTest.run("snapshot", "--at", "+2", "--at", "+4.5", "--lan", WAN, "--wan", LAN);
        assertEquals(Main.OK, right.code(), right.err());
        assertEquals(Main.OK, swapped.code(), swapped.err());
        assertEquals(right.out().lines().toList(), withoutNotes(swapped.out()));
        assertTrue(swapped.out().lines().anyMatch(l -> l.startsWith("# note: ") && l.contains("swap")), swapped.out());
        assertTrue(right.out().lines().noneMatch(l -> l.startsWith("# note: ")), right.out());
    }

    @Test
    void eventsAreTheSameAndSayTheSidesWereSwapped() {
        MainTest.Run right = MainTest.run("events", "--lan", LAN, "--wan", WAN);
        MainTest.Run swapped = MainTest.run("events", "--lan", WAN, "--wan", LAN);
        assertEquals(Main.OK, swapped.code(), swapped.err());
        assertTrue(right.out().lines().count() > 3, right.out());
        assertEquals(right.out().lines().toList(), withoutNotes(swapped.out()));
        assertTrue(swapped.out().lines().anyMatch(l -> l.startsWith("# note: ") && l.contains("swap")), swapped.out());
    }
}
