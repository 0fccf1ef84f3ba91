package dev.natrecon.correlate;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.EntryView;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.conntrack.Verdict;

/**
 * One frame as it crossed the router, decided once ({@link CrossingClassifier}) and read by everyone after the matcher:
 * the bindings, the router model, the detectors, the sinks, the ladder and the rewrite analysis. The frame itself is
 * {@link #seen()}; its counterpart's tuple and frame are on it. One instance is reused for every frame (nothing is
 * allocated per packet): read it during the call, copy what you keep.
 *
 * <p>What it says: whether this copy is the one {@link Role#ARRIVING arriving} at the router or the one
 * {@link Role#LEAVING leaving} it; the {@link Direction}; whether the packet went from the inside to the outside
 * ({@link #outbound()}); which interface it came in and went out on; inside-ness of its own addresses under the case's
 * {@code --inside}; and, once the model has taken it, the model's {@link Verdict}, the entry after the packet and, for
 * SIP, the payload before the router, as the model's helper would send it, and as the router did.
 */
public final class Crossing {
    /** Which way the packet crossed the router. */
    public enum Direction {
        /** From the inside out through the WAN (or meant to). */
        OUT,
        /** From the outside in. */
        IN,
        /** From or to the router itself. */
        LOCAL,
        /** Sent back out of the interface it came in on. */
        ROUTED_BACK,
        /** From the inside out, absent on the WAN while the WAN capture ran. */
        DROPPED,
        /** Not a crossing: not decoded, an interface facing neither side, or traffic the router does not forward. */
        NONE
    }

    /** Which copy of the packet this frame is. */
    public enum Role {
        /** The copy arriving at the router: the model takes this one. */
        ARRIVING,
        /** The copy leaving the router (the second of a matched pair). */
        LEAVING,
        /** Neither (see {@link Direction#NONE}). */
        NONE
    }

    /** Looks the model's entry up after the packet (the model's find; null when it has none). */
    @FunctionalInterface
    public interface EntryLookup {
        ConntrackEntry find(ConntrackTuple tuple);
    }

    Seen seen;
    String capture;
    Role role = Role.NONE;
    Direction direction = Direction.NONE;
    boolean outbound;
    boolean srcInside, dstInside;
    Arrival.Ingress ingress;
    Arrival.Egress egress;
    private Verdict verdict;
    private ConntrackTuple tuple;
    private EntryLookup lookup;
    private boolean looked;
    private ConntrackEntry found;
    private byte[] before, predicted, observed;
    private FlowRecord flowRecord;

    /** The frame. */
    public Seen seen() {
        return seen;
    }

    /** Where it was seen: "lan", "wan", or "other:NAME" for a router interface that faces neither side. */
    public String capture() {
        return capture;
    }

    public Role role() {
        return role;
    }

    public Direction direction() {
        return direction;
    }

    /**
     * Whether the packet went (or was sent) from the inside to the outside: the LAN copy is its source end. Decided for
     * every decoded frame of either side, matched or not; false for {@link Direction#NONE}.
     */
    public boolean outbound() {
        return outbound;
    }

    /** Whether the frame's own source address is inside. */
    public boolean srcInside() {
        return srcInside;
    }

    /** Whether the frame's own destination address is inside. */
    public boolean dstInside() {
        return dstInside;
    }

    /** The interface it came in on, when it is the arriving copy; else null. */
    public Arrival.Ingress ingress() {
        return ingress;
    }

    /** Where the arriving copy went; else null. */
    public Arrival.Egress egress() {
        return egress;
    }

    /** The capture the counterpart was seen on ("lan"/"wan"), or null without one: a routed-back copy's is the same. */
    public String counterpartCapture() {
        if (seen.counterpartFrame == 0) return null;
        return (seen.outcome == Outcome.ROUTED_BACK ? seen.side : seen.side.other()).label();
    }

    /** Whether the model took this frame (the arriving copy of a packet the router handled). */
    public boolean modelled() {
        return verdict != null;
    }

    /** The model's verdict on the packet, or null when the model did not take this frame. */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * The model's entry this frame belongs to, or null (no model, or no entry holds it now): for the arriving copy the
     * entry after the packet; for any other frame with ports the entry its tuple is a key of, in either direction (the
     * leaving copy's is the one its arriving copy was tracked under; that lookup allocates the tuple, so only the
     * first call per frame looks, later calls answer from the same lookup).
     */
    public ConntrackEntry entry() {
        if (looked) return found;
        looked = true;
        if (lookup == null) return found = null;
        if (verdict != null) return found = lookup.find(tuple);
        if (seen == null || !seen.hasPorts) return found = null;
        ConntrackTuple own = ConntrackTuple.ports(seen.protocol, seen.srcHi, seen.srcLo, seen.dstHi, seen.dstLo,
                seen.srcPort, seen.dstPort);
        found = lookup.find(own);
        return found != null ? found : (found = lookup.find(own.invert()));
    }

    /** {@link #entry()} as a view at the packet's time (allocates: call it for the few packets you need it for). */
    public EntryView entryView(boolean accounting, boolean timestamps) {
        ConntrackEntry e = entry();
        return e == null ? null : e.view(seen.nanos, true, accounting, timestamps);
    }

    /**
     * The entry's timeout in force after the packet, in seconds, as the model set it ({@link
     * ConntrackEntry#timeoutInForce()}); -1 without an entry.
     */
    public long timeoutInForce() {
        ConntrackEntry e = entry();
        return e == null ? -1 : e.timeoutInForce();
    }

    /**
     * The setting {@link #timeoutInForce()} came from (udp_timeout, udp_timeout_stream, sip_timeout through the SIP
     * helper, a tcp_timeout_*…), or null without an entry or when the model named none.
     */
    public Timeouts.Key timeoutSetting() {
        ConntrackEntry e = entry();
        return e == null ? null : e.timeoutSetting();
    }

    /** Reads the model's table from now on: {@link #entry()} looks entries up through {@code lookup}. */
    public void readTable(EntryLookup lookup) {
        if (this.lookup != lookup) {
            this.lookup = lookup;
            looked = false;
        }
    }

    /** SIP: the payload as it reached the router, or null. */
    public byte[] before() {
        return before;
    }

    /** SIP: the payload as the model's helper would send it, or null (no helper ran, or it left it alone). */
    public byte[] predicted() {
        return predicted;
    }

    /** SIP: the payload as the router sent it (the counterpart's), or null. */
    public byte[] observed() {
        return observed;
    }

    /** The model took the packet: its verdict, the tuple its entry is found by, the SIP payloads. */
    public void modelled(Verdict verdict, ConntrackTuple tuple, EntryLookup lookup, byte[] before, byte[] predicted,
                         byte[] observed) {
        this.verdict = verdict;
        this.tuple = tuple;
        this.lookup = lookup;
        looked = false;
        this.before = before;
        this.predicted = predicted;
        this.observed = observed;
    }

    /**
     * The record of the frame's flow on its side ({@link FlowRecords}) for the consumers' per-flow caches; null when the
     * frame has no flow number, is not a decoded frame of a side, or was not classified.
     */
    public FlowRecord flowRecord() {
        return flowRecord;
    }

    void flowRecord(FlowRecord r) {
        flowRecord = r;
    }

    void reset(Seen s, String capture) {
        this.seen = s;
        flowRecord = null;
        this.capture = capture;
        role = Role.NONE;
        direction = Direction.NONE;
        outbound = srcInside = dstInside = false;
        ingress = null;
        egress = null;
        verdict = null;
        tuple = null;
        looked = false;
        found = null;
        before = predicted = observed = null;
    }
}
