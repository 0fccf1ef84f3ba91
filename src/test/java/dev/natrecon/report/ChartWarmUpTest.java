package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The chart warm-up ends by itself and {@link ChartWarmUp#await()} waits for it: no warm-up thread is left. */
class ChartWarmUpTest {
    @Test
    void awaitLeavesNoWarmUpThread() throws Exception {
        ChartWarmUp.start();
        ChartWarmUp.start();
        ChartWarmUp.await();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("natrecon-chart-warmup") && t.isAlive()));
    }
}
