package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** Collects events; tests take them out in order and finally assert that none are left over. */
final class Recorder implements EventSink {
    final List<ConntrackEvent> events = new ArrayList<>();
    final List<ExpectationEvent> expectations = new ArrayList<>();

    @Override
    public void accept(ConntrackEvent event) {
        events.add(event);
    }

    @Override
    public void expectation(ExpectationEvent event) {
        expectations.add(event);
    }

    /** Takes all pending expectation events and compares them, printed as conntrack -E expect lines. */
    void expectExpectations(String... lines) {
        List<String> got = new ArrayList<>();
        for (ExpectationEvent e : expectations) got.add(EventFormat.expectBody(e).strip());
        assertEquals(List.of(lines), got, "expectation events");
        expectations.clear();
    }

    /**
     * Takes all pending events and compares them, printed as conntrack -E lines without the timestamp (a
     * {@link ConntrackEvent.Diverged} as its "# DIVERGED id frame: detail" comment).
     */
    List<ConntrackEvent> expect(String... lines) {
        List<String> got = new ArrayList<>();
        for (ConntrackEvent e : events) got.add(EventFormat.text(e));
        assertEquals(List.of(lines), got, "events");
        List<ConntrackEvent> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    void none() {
        assertEquals(List.of(), events.stream().map(EventFormat::line).toList(), "events left over");
        assertEquals(List.of(), expectations.stream().map(EventFormat::expectLine).toList(), "expectation events left over");
    }
}
