package dev.natrecon.detect;

import dev.natrecon.correlate.Binding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** The lifetimes of {@code all} under each of {@code wanted}'s keys. */
    static Map<String, List<Binding>> of(List<Binding> all, Set<String> wanted) {
        Map<String, List<Binding>> out = new HashMap<>();
        if (wanted.isEmpty()) return out;
        for (Binding b : all) {
            String exact = key(b.protocol, b.internal(), b.external(), b.remote());
            if (wanted.contains(exact)) out.computeIfAbsent(exact, k -> new ArrayList<>()).add(b);
            String any = key(b.protocol, b.internal(), "*", b.remote());
            if (wanted.contains(any)) out.computeIfAbsent(any, k -> new ArrayList<>()).add(b);
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
