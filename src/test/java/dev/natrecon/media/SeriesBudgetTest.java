package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The case's budget of full chart series: streams past it keep no series, the others are not affected. */
class SeriesBudgetTest {
    private static SeriesBuckets stream(SeriesBudget budget, int packets) {
        SeriesBuckets b = new SeriesBuckets();
        b.budget = budget;
        for (int i = 0; i < packets; i++) {
            b.at(i * 20_000_000L); // one packet every 20 ms
            b.packet(1);
        }
        return b;
    }

    @Test
    void theFirstLongStreamsKeepTheirSeriesTheRestNone() {
        SeriesBudget budget = new SeriesBudget(1);
        StreamSeries first = stream(budget, 100).snapshot(0);
        StreamSeries second = stream(budget, 100).snapshot(0);
        assertEquals(8, first.size(), "2 s of packets in 250 ms buckets");
        int sum = 0;
        for (int i = 0; i < first.size(); i++) sum += first.packets(i);
        assertEquals(100, sum);
        assertEquals(StreamSeries.NOT_KEPT, second, "the budget was spent: no series");
        assertEquals(1, budget.refused());
    }

    @Test
    void aShortStreamNeedsNoFullSeries() {
        SeriesBudget budget = new SeriesBudget(1);
        StreamSeries shortOne = stream(budget, 5).snapshot(0); // 80 ms: one bucket
        assertEquals(1, shortOne.size());
        assertTrue(budget.take(), "the short stream took nothing from the budget");
        assertFalse(budget.take());
    }
}
