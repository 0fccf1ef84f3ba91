package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.Test;

/** Batches given back a group at a time ({@link HandBack}), in the order the consumer finished with them. */
class HandBackTest {
    @Test
    void aGroupReachesTheProducerOnlyWhenComplete() {
        ArrayBlockingQueue<String> empty = new ArrayBlockingQueue<>(6);
        HandBack<String> back = new HandBack<>(empty, 3, 6);
        back.give("a");
        back.give("b");
        assertEquals(0, empty.size(), "held back until the group is complete");
        back.give("c");
        assertEquals(List.of("a", "b", "c"), List.copyOf(empty));
        back.give("d");
        assertEquals(3, empty.size());
    }

    @Test
    void aGroupNeedsMoreBatchesThanItHolds() {
        assertThrows(IllegalArgumentException.class, () -> new HandBack<>(new ArrayBlockingQueue<>(4), 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new HandBack<>(new ArrayBlockingQueue<>(4), 0, 4));
        new HandBack<>(new ArrayBlockingQueue<>(5), 3, 5);
    }
}
