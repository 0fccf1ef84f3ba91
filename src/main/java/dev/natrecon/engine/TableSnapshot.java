package dev.natrecon.engine;

import dev.natrecon.conntrack.EntryView;
import java.util.List;

/** The model's table at one instant, as {@code conntrack -L} would have listed it (in order of creation). */
public record TableSnapshot(long nanos, List<EntryView> entries) {
}
