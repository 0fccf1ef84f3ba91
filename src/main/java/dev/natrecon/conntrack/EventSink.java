package dev.natrecon.conntrack;

/** Receives the model's events in the order they happen. */
@FunctionalInterface
public interface EventSink {
    void accept(ConntrackEvent event);

    EventSink IGNORE = e -> { };
}
