package dev.natrecon.engine;

import dev.natrecon.conntrack.EntryView;
import java.util.List;

/**
 * The model's table at one instant, as {@code conntrack -L} would have listed it (in order of creation), and its
 * expectations as {@code conntrack -L expect} would (oldest first).
 */
public record TableSnapshot(long nanos, List<EntryView> entries, List<dev.natrecon.conntrack.ExpectView> expectations) {
}
