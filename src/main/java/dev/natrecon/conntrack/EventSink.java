package dev.natrecon.conntrack;

/** Receives the model's events in the order they happen. */
@FunctionalInterface
public interface EventSink {
    void accept(ConntrackEvent event);

    /** An expectation was created or removed; ignored unless the sink wants them. */
    default void expectation(ExpectationEvent event) {
    }

    EventSink IGNORE = e -> { };
}
