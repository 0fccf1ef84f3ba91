package dev.natrecon.detect;

import dev.natrecon.correlate.Binding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The binding lifetimes a keepalive gap belongs to: only those of the endpoints that have gaps are kept (the case's
 * bindings list may hold a million retired lifetimes, read back one at a time), by "protocol internal external
 * remote" and by "protocol internal * remote", each in the order the lifetimes began.
 */
final class GapLifetimes {
    private GapLifetimes() {
    }

    /** The key of a lifetime's endpoints; {@code external} "*" for any external endpoint. */
    static String key(int protocol, String internal, String external, String remote) {
        return protocol + " " + internal + " " + external + " " + remote;
    }

    /**
     * Up to this many lifetimes every one is filed (as many as the table holds at once, {@code
     * BindingTable.MAX_BINDINGS}); past it, only those under the keys the gaps want, so a million retired lifetimes are
     * not all held at once.
     */
    static final int ALL_UP_TO = 100_000;

    /** The lifetimes of {@code all} by key: every key up to {@link #ALL_UP_TO} lifetimes, else {@code wanted}'s. */
    static Map<String, List<Binding>> of(List<Binding> all, Supplier<Set<String>> wanted) {
        Map<String, List<Binding>> out = new HashMap<>();
        Set<String> only = all.size() <= ALL_UP_TO ? null : wanted.get();
        if (only != null && only.isEmpty()) return out;
        for (Binding b : all) {
            String exact = key(b.protocol, b.internal(), b.external(), b.remote());
            if (only == null || only.contains(exact)) out.computeIfAbsent(exact, k -> new ArrayList<>()).add(b);
            String any = key(b.protocol, b.internal(), "*", b.remote());
            if (only == null || only.contains(any)) out.computeIfAbsent(any, k -> new ArrayList<>()).add(b);
        }
        return out;
    }

    /** The id of the last lifetime in {@code lifetimes} that had begun by {@code nanos}, else the first; null without. */
    static Integer at(List<Binding> lifetimes, long nanos) {
        if (lifetimes == null || lifetimes.isEmpty()) return null;
        Binding at = lifetimes.get(0);
        for (Binding b : lifetimes) if (b.firstNanos <= nanos) at = b;
        return at.id;
    }
}
