package dev.natrecon.conntrack;

/** Receives the model's events in the order they happen. */
@FunctionalInterface
public interface EventSink {
    void accept(ConntrackEvent event);

    /** An expectation was created or removed; ignored unless the sink wants them. */
    default void expectation(ExpectationEvent event) {
    }

    EventSink IGNORE = e -> { };

    /** A sink that keeps every event in the two lists. */
    static EventSink collecting(java.util.List<ConntrackEvent> events, java.util.List<ExpectationEvent> expectations) {
        return new EventSink() {
            @Override
            public void accept(ConntrackEvent event) {
                events.add(event);
            }

            @Override
            public void expectation(ExpectationEvent event) {
                expectations.add(event);
            }
        };
    }
}
