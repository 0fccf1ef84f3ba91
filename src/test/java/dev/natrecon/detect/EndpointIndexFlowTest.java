package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.natrecon.correlate.FlowId;
import dev.natrecon.correlate.FlowRecord;
import dev.natrecon.correlate.FlowRecords;
import org.junit.jupiter.api.Test;

/**
 * A media endpoint asked through a frame's flow record answers what the map answers now: an answer kept in the record
 * never survives a put or a remove (a call's endpoint registered, replaced by a newer call, dropped when its call
 * ends), the same flow on the other side is asked for its own side, and a record another flow took over keeps
 * nothing of the first.
 */
class EndpointIndexFlowTest {
    private final FlowRecords records = new FlowRecords();

    private FlowRecord rec(long flow, int side) {
        return records.of(flow, side);
    }

    @Test
    void aFlowsAnswerFollowsEveryChangeOfTheMap() {
        EndpointIndex<String> index = new EndpointIndex<>();
        long flow = FlowId.of(1, 42);
        assertNull(index.get(rec(flow, 0), 0, 0, 10, 5004));
        index.put(0, 0, 10, 5004, "first call");
        assertEquals("first call", index.get(rec(flow, 0), 0, 0, 10, 5004), "registered after a miss was kept");
        assertEquals("first call", index.get(rec(flow, 0), 0, 0, 10, 5004));
        assertNull(index.get(rec(flow, 1), 1, 0, 10, 5004), "the other side's endpoint is another key");
        index.put(0, 0, 10, 5004, "newer call");
        assertEquals("newer call", index.get(rec(flow, 0), 0, 0, 10, 5004), "replaced");
        index.put(1, 0, 99, 7000, "unrelated");
        assertEquals("newer call", index.get(rec(flow, 0), 0, 0, 10, 5004));
        index.remove(0, 0, 10, 5004);
        assertNull(index.get(rec(flow, 0), 0, 0, 10, 5004), "removed");
        assertEquals("unrelated", index.get(rec(FlowId.of(2, 42), 1), 1, 0, 99, 7000));
        // without a flow number: the map itself
        assertEquals("unrelated", index.get(rec(FlowId.NONE, 1), 1, 0, 99, 7000));
        // many flows and a rebuild of the map in between
        for (int i = 0; i < 500; i++) index.put(0, 0, 1000 + i, 6000, "n" + i);
        for (int i = 0; i < 500; i++) assertEquals("n" + i, index.get(rec(FlowId.of(0, i + 1), 0), 0, 0, 1000 + i, 6000));
        for (int i = 0; i < 500; i += 2) index.remove(0, 0, 1000 + i, 6000);
        for (int i = 0; i < 500; i++) {
            assertEquals(i % 2 == 0 ? null : "n" + i, index.get(rec(FlowId.of(0, i + 1), 0), 0, 0, 1000 + i, 6000));
        }
    }

    @Test
    void anEndpointAskedViaAFlowIsTheOneAskedAndFollowsTheMap() {
        EndpointIndex<String> index = new EndpointIndex<>();
        long flow = FlowId.of(0, 7);
        index.put(1, 0, 20, 30000, "mapping A");
        index.put(1, 0, 20, 30002, "mapping B");
        assertEquals("mapping A", index.getVia(rec(flow, 0), 1, 0, 20, 30000));
        assertEquals("mapping A", index.getVia(rec(flow, 0), 1, 0, 20, 30000), "kept");
        // the NAT moved the flow's counterpart: another endpoint asked by the same flow
        assertEquals("mapping B", index.getVia(rec(flow, 0), 1, 0, 20, 30002));
        assertNull(index.getVia(rec(flow, 0), 1, 0, 21, 30002), "another address");
        assertNull(index.getVia(rec(flow, 0), 0, 0, 20, 30002), "another side");
        assertEquals("mapping B", index.getVia(rec(flow, 0), 1, 0, 20, 30002));
        index.remove(1, 0, 20, 30002);
        assertNull(index.getVia(rec(flow, 0), 1, 0, 20, 30002), "removed");
        index.put(1, 0, 20, 30002, "mapping C");
        assertEquals("mapping C", index.getVia(rec(flow, 0), 1, 0, 20, 30002), "registered again");
        assertEquals("mapping A", index.getVia(rec(FlowId.NONE, 0), 1, 0, 20, 30000));
    }

    @Test
    void aRecordTakenOverByAnotherFlowForgetsTheFirstFlowsAnswers() {
        EndpointIndex<String> index = new EndpointIndex<>();
        long a = FlowId.of(0, 1), b = FlowId.of(0, 1 + 4096); // one slot of the records
        index.put(0, 0, 10, 5004, "a's destination");
        FlowRecord ra = rec(a, 0);
        assertEquals("a's destination", index.get(ra, 0, 0, 10, 5004));
        FlowRecord rb = rec(b, 0);
        assertEquals(ra, rb, "the same slot");
        assertNull(index.get(rb, 0, 0, 11, 5004), "b's own destination, not a's kept answer");
        assertNull(index.getVia(rb, 1, 0, 10, 5004));
        assertEquals("a's destination", index.get(rec(a, 0), 0, 0, 10, 5004), "a again, asked afresh");
    }
}
