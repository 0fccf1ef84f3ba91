package dev.natrecon.conntrack;

import java.util.Set;

/** What the model did, named in the past tense; each carries its model time and the frame that caused it. */
public sealed interface ConntrackEvent {
    long nanos();

    FrameRef frame();

    EntryView entry();

    /**
     * A new entry was confirmed (conntrack's [NEW]).
     *
     * @param natPort how the translated source port (or ICMP id) was found; {@link NatPort#NONE} without source NAT
     */
    record EntryCreated(long nanos, FrameRef frame, EntryView entry, NatPort natPort) implements ConntrackEvent {
    }

    /**
     * A packet changed the entry's status or state ([UPDATE]); {@code changes} says what. {@code earliestNanos} is
     * the earliest packet at which the kernel may already have made the change, when the captures cannot decide it
     * (the UDP stream rule counts jiffies, whose phase they do not show); else {@code nanos}.
     */
    record EntryUpdated(long nanos, FrameRef frame, EntryView entry, Set<Change> changes, long earliestNanos)
            implements ConntrackEvent {
        /** A change decided at this packet. */
        public EntryUpdated(long nanos, FrameRef frame, EntryView entry, Set<Change> changes) {
            this(nanos, frame, entry, changes, nanos);
        }
    }

    /**
     * The entry's deadline passed ([DESTROY] without timeout). {@code nanos} is the deadline itself (the kernel's
     * garbage collector reports it later); {@code frame} is the last packet that refreshed the entry.
     */
    record EntryExpired(long nanos, FrameRef frame, EntryView entry) implements ConntrackEvent {
    }

    /**
     * The entry was deleted before its deadline ([DESTROY] with the time it had left): a SYN reopening a closed TCP
     * connection, a RST as the only answer, masquerade's flush. {@code inferred} is non-null when the captures show
     * no cause, only that it happened within a window (a later packet translated otherwise, no route): {@code nanos}
     * is then the window's start.
     */
    record EntryKilled(long nanos, FrameRef frame, EntryView entry, String reason, Inferred inferred)
            implements ConntrackEvent {
        /** A kill the captures show the cause of (not inferred). */
        public EntryKilled(long nanos, FrameRef frame, EntryView entry, String reason) {
            this(nanos, frame, entry, reason, null);
        }
    }

    /**
     * The packet was dropped and left no entry: the table was full and early drop freed nothing
     * (nf_conntrack_core.c:__nf_conntrack_alloc). {@code entry} pictures the entry the packet would have created
     * (never confirmed); {@code kernelLog} is the line the kernel printed ({@code "nf_conntrack: nf_conntrack: table
     * full, dropping packet"}), or null when net_ratelimit() suppressed it.
     */
    record PacketDropped(long nanos, FrameRef frame, EntryView entry, String reason, String kernelLog)
            implements ConntrackEvent {
    }

    /**
     * The captures contradict the Linux prediction ({@link Divergence} says how; {@code detail} says what each side
     * was). Not a kernel event: {@link EventFormat} prints it as a comment line. For the mapping of a new entry the
     * model keeps what the captures showed (so that the router's real replies find their entry); drops, kills and
     * expiries stay as Linux does them.
     *
     * @param entry the entry concerned as it is after the packet; for a packet Linux drops without an entry, a picture
     *              of the entry as the captures show the router had it (id 0, never confirmed)
     */
    record Diverged(long nanos, FrameRef frame, EntryView entry, Divergence kind, String detail)
            implements ConntrackEvent {
    }

    /** How source NAT found the translated port. */
    enum NatPort {
        /** no source translation (null binding, or no rule matched) */
        NONE,
        /** the original port, free in the translated tuple (nf_nat_core.c:get_unique_tuple, step 3) */
        KEPT,
        /** the mapping of a live entry with the same original source (find_appropriate_src, step 2) */
        REUSED,
        /** the kernel would choose randomly; the model took the port the caller saw on the WAN */
        OBSERVED,
        /** the kernel would choose randomly and no observation was given: the model took the first free port */
        GUESSED
    }
}
