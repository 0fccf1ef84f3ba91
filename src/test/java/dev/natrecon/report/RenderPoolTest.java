package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The end-of-run render pool: results in submission order, failures unwrapped, every job done and no thread left. */
class RenderPoolTest {
    private static long renderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("natrecon-render-") && t.isAlive()).count();
    }

    @Test
    void resultsInOrderAndNoThreadOutlivesThePool() throws Exception {
        List<Future<Integer>> jobs = new ArrayList<>();
        try (RenderPool pool = new RenderPool(2)) {
            for (int i = 0; i < 50; i++) {
                int n = i;
                jobs.add(pool.submit(() -> {
                    Thread.sleep((50 - n) % 3);
                    return n * n;
                }));
            }
            pool.awaitAll();
            for (int i = 0; i < 50; i++) assertEquals(i * i, RenderPool.await(jobs.get(i)));
        }
        for (int i = 0; i < 100 && renderThreads() > 0; i++) Thread.sleep(10);
        assertEquals(0, renderThreads());
    }

    @Test
    void firstFailureInSubmissionOrderIsRethrownAsThrown() {
        IOException first = new IOException("charts/table.png: disk full");
        AtomicInteger ran = new AtomicInteger();
        IOException thrown = assertThrows(IOException.class, () -> {
            try (RenderPool pool = new RenderPool(2)) {
                pool.submit(() -> {
                    Thread.sleep(30);
                    ran.incrementAndGet();
                    throw first;
                });
                pool.submit(() -> {
                    ran.incrementAndGet();
                    throw new IllegalStateException("later");
                });
                for (int i = 0; i < 5; i++) pool.submit(ran::incrementAndGet);
                pool.awaitAll();
            }
        });
        assertSame(first, thrown);
        assertEquals(7, ran.get(), "every job ran to its end before the failure was reported");
    }

    @Test
    void uncheckedFailuresStayUnchecked() {
        IllegalArgumentException e = new IllegalArgumentException("bad series");
        try (RenderPool pool = new RenderPool(1)) {
            Future<Object> f = pool.submit(() -> {
                throw e;
            });
            assertSame(e, assertThrows(IllegalArgumentException.class, () -> RenderPool.await(f)));
        }
    }
}
