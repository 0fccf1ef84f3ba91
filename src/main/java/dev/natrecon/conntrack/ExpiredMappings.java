package dev.natrecon.conntrack;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mappings of the last {@link ConntrackTable#EXPIRED_MEMORY} expired entries, original → reply in the order they
 * expired (a tuple's latest expiry counts, evicted last), looked up either way in constant time: the reply → original
 * direction was a walk of all of them for each packet whose destination the captures show differing (once per call
 * in a case of 100,000 calls whose SIP port the router remapped). Which original a reply gives is unchanged: the
 * earliest-expired of those holding it.
 */
final class ExpiredMappings {
    private final int capacity;
    private final LinkedHashMap<ConntrackTuple, ConntrackTuple> byOriginal = new LinkedHashMap<>();
    /** The originals holding each reply, in the order they appear in {@link #byOriginal} (almost always one). */
    private final Map<ConntrackTuple, ArrayDeque<ConntrackTuple>> byReply = new HashMap<>();

    ExpiredMappings(int capacity) {
        this.capacity = capacity;
    }

    /** Remembers that the entry {@code original} expired with {@code reply}, as its latest expiry. */
    void expired(ConntrackTuple original, ConntrackTuple reply) {
        forget(original);
        byOriginal.put(original, reply);
        byReply.computeIfAbsent(reply, k -> new ArrayDeque<>(1)).addLast(original);
        if (byOriginal.size() > capacity) {
            Iterator<ConntrackTuple> eldest = byOriginal.keySet().iterator();
            forget(eldest.next());
        }
    }

    /** Forgets {@code original}'s mapping (a new entry holds it now). */
    void forget(ConntrackTuple original) {
        ConntrackTuple reply = byOriginal.remove(original);
        if (reply == null) return;
        ArrayDeque<ConntrackTuple> holders = byReply.get(reply);
        holders.remove(original);
        if (holders.isEmpty()) byReply.remove(reply);
    }

    ConntrackTuple reply(ConntrackTuple original) {
        return byOriginal.get(original);
    }

    /** The original of the earliest-expired remembered entry whose reply was {@code reply}, or null. */
    ConntrackTuple original(ConntrackTuple reply) {
        ArrayDeque<ConntrackTuple> holders = byReply.get(reply);
        return holders == null ? null : holders.peekFirst();
    }
}
