package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.natrecon.correlate.FlowId;
import org.junit.jupiter.api.Test;

/**
 * A media endpoint asked by a frame's flow number answers what the map answers now: a kept per-flow answer never
 * survives a put or a remove (a call's endpoint registered, replaced by a newer call, dropped when its call ends), and
 * the same flow on the other side is asked for its own side.
 */
class EndpointIndexFlowTest {
    @Test
    void aFlowsAnswerFollowsEveryChangeOfTheMap() {
        EndpointIndex<String> index = new EndpointIndex<>();
        long flow = FlowId.of(1, 42);
        assertNull(index.get(flow, 0, 0, 10, 5004));
        index.put(0, 0, 10, 5004, "first call");
        assertEquals("first call", index.get(flow, 0, 0, 10, 5004), "registered after a miss was kept");
        assertEquals("first call", index.get(flow, 0, 0, 10, 5004));
        assertNull(index.get(flow, 1, 0, 10, 5004), "the other side's endpoint is another key");
        index.put(0, 0, 10, 5004, "newer call");
        assertEquals("newer call", index.get(flow, 0, 0, 10, 5004), "replaced");
        index.put(1, 0, 99, 7000, "unrelated");
        assertEquals("newer call", index.get(flow, 0, 0, 10, 5004));
        index.remove(0, 0, 10, 5004);
        assertNull(index.get(flow, 0, 0, 10, 5004), "removed");
        assertEquals("unrelated", index.get(FlowId.of(2, 42), 1, 0, 99, 7000));
        // without a flow number: the map itself
        assertEquals("unrelated", index.get(FlowId.NONE, 1, 0, 99, 7000));
        // many flows and a rebuild of the map in between
        for (int i = 0; i < 500; i++) index.put(0, 0, 1000 + i, 6000, "n" + i);
        for (int i = 0; i < 500; i++) assertEquals("n" + i, index.get(FlowId.of(0, i + 1), 0, 0, 1000 + i, 6000));
        for (int i = 0; i < 500; i += 2) index.remove(0, 0, 1000 + i, 6000);
        for (int i = 0; i < 500; i++) {
            assertEquals(i % 2 == 0 ? null : "n" + i, index.get(FlowId.of(0, i + 1), 0, 0, 1000 + i, 6000));
        }
    }

    @Test
    void anEndpointAskedViaAFlowIsTheOneAskedAndFollowsTheMap() {
        EndpointIndex<String> index = new EndpointIndex<>();
        long flow = FlowId.of(0, 7);
        index.put(1, 0, 20, 30000, "mapping A");
        index.put(1, 0, 20, 30002, "mapping B");
        assertEquals("mapping A", index.getVia(flow, 1, 0, 20, 30000));
        assertEquals("mapping A", index.getVia(flow, 1, 0, 20, 30000), "kept");
        // the NAT moved the flow's counterpart: another endpoint asked by the same flow
        assertEquals("mapping B", index.getVia(flow, 1, 0, 20, 30002));
        assertNull(index.getVia(flow, 1, 0, 21, 30002), "another address");
        assertNull(index.getVia(flow, 0, 0, 20, 30002), "another side");
        assertEquals("mapping B", index.getVia(flow, 1, 0, 20, 30002));
        index.remove(1, 0, 20, 30002);
        assertNull(index.getVia(flow, 1, 0, 20, 30002), "removed");
        index.put(1, 0, 20, 30002, "mapping C");
        assertEquals("mapping C", index.getVia(flow, 1, 0, 20, 30002), "registered again");
        assertEquals("mapping A", index.getVia(FlowId.NONE, 1, 0, 20, 30000));
    }
}
