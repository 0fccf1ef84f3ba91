package dev.natrecon.detect;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.EventFormat;
import java.util.HashMap;
import java.util.Map;

/**
 * The model's live conntrack entries as its events show them, looked up by either direction's tuple: the "conntrack
 * entry involved" of a finding. {@link Detection} updates it before any detector sees the event; a frame reaches the
 * detectors after the model has handled it, so the entry a frame belongs to is already here. Holds live entries only.
 */
public final class LiveEntries {
    private final Map<ConntrackTuple, EntryView> byTuple = new HashMap<>();

    void accept(ConntrackEvent e) {
        EntryView v = e.entry();
        if (e instanceof ConntrackEvent.EntryCreated || e instanceof ConntrackEvent.EntryUpdated) put(v);
        else if (e instanceof ConntrackEvent.EntryExpired || e instanceof ConntrackEvent.EntryKilled) remove(v);
    }

    private void put(EntryView v) {
        EntryView old = byTuple.put(v.original(), v);
        if (old != null && !old.reply().equals(v.reply())) byTuple.remove(old.reply());
        byTuple.put(v.reply().invert(), v);
    }

    /** Forgets the entry under both tuples, unless a newer entry already holds the tuple. */
    private void remove(EntryView v) {
        for (ConntrackTuple t : new ConntrackTuple[] {v.original(), v.reply().invert()}) {
            EntryView held = byTuple.get(t);
            if (held != null && held.id() == v.id()) byTuple.remove(t);
        }
    }

    /** The live entry a packet of {@code flow} belongs to (in either direction), or null. */
    public EntryView of(Flow flow) {
        if (!flow.hasPorts()) return null;
        ConntrackTuple t = ConntrackTuple.ports(flow.protocol(), flow.srcHi(), flow.srcLo(), flow.dstHi(), flow.dstLo(),
                flow.srcPort(), flow.dstPort());
        EntryView v = byTuple.get(t);
        return v != null ? v : byTuple.get(t.invert());
    }

    /** The entry as {@code conntrack -L} prints it (without the use count), or empty when there is none. */
    public String text(Flow flow) {
        EntryView v = of(flow);
        return v == null ? "" : EventFormat.entry(v);
    }

    public int size() {
        return byTuple.size();
    }
}
