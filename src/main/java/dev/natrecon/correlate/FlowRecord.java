package dev.natrecon.correlate;

/**
 * What the replay's consumers found for one flow on one side ({@link FlowId}, the frame's side), side by side in one
 * object, so that a frame of a flow seen before reads one record instead of a cache array per consumer (the router
 * model's answer, {@link dev.natrecon.conntrack.FlowAnswer}, is the first group)
 * ({@link FlowRecords}, reached through {@link Crossing#flowRecord}). Each group of fields is one consumer's cache in
 * front of its own index, which stays the authority: the consumer checks the group against what its answer depends
 * on (its own identity as the group's owner, an SSRC, the counterpart's tuple, its index's version) and asks its index
 * again when that differs. A record taken over by another flow is {@link #reset} first, so no group outlives the flow
 * it was filled for.
 */
public final class FlowRecord extends dev.natrecon.conntrack.FlowAnswer {
    long flow;
    int side;
    /** The {@code media.HopAttribution} that filled the hop fields below (null: none). */
    public Object hopOwner;
    /** {@code media.HopAttribution}, an arriving copy: the SSRC and the stream's ledger (null: not known yet). */
    public long hopSsrc;
    public Object hopLedger;
    /**
     * {@code media.HopAttribution}, a leaving copy: the SSRC, the arriving copy's tuple (its counterpart's, which a NAT
     * may change) and the ledger found for them (null: not known yet).
     */
    public long hopOutSsrc, hopOutSrcHi, hopOutSrcLo, hopOutDstHi, hopOutDstLo;
    public int hopOutPorts;
    public Object hopOutLedger;
    /**
     * {@code detect.EndpointIndex}: the index's version for the frame's destination port (shifted, with the side) when
     * its answer for the destination was kept (-1: none kept), and that answer (null: no endpoint).
     */
    public long mediaAt;
    /** The {@code detect.EndpointIndex} that filled the media fields (null: none). */
    public Object mediaOwner;
    public Object media;
    /**
     * {@code detect.EndpointIndex}, an endpoint the frame leads to without being its destination (its counterpart's):
     * the version of its port and the side when kept (-1: none), the endpoint asked (address high, low, port) and the answer.
     */
    public long viaAt, viaHi, viaLo;
    public int viaPort;
    public Object via;

    /**
     * {@link BindingCache}: the tuple index's version when the answer was kept (0: none kept, never current), the
     * tuple's hash, its binding (null: none) and the direction it is filed under.
     */
    long bindingAt, bindingHash;
    BindingCache bindingOwner;
    Binding binding;
    int bindingDirection;

    FlowRecord(long flow, int side) {
        reset(flow, side);
    }

    /** Whether this record is {@code flow}'s on {@code side}. */
    boolean is(long flow, int side) {
        return this.flow == flow && this.side == side;
    }

    /** Makes this record {@code flow}'s on {@code side}, with every consumer's group empty. */
    void reset(long flow, int side) {
        forgetAnswer();
        this.flow = flow;
        this.side = side;
        hopSsrc = -1;
        hopLedger = null;
        hopOutSsrc = -1;
        hopOutSrcHi = hopOutSrcLo = hopOutDstHi = hopOutDstLo = 0;
        hopOutPorts = 0;
        hopOutLedger = null;
        hopOwner = mediaOwner = null;
        bindingOwner = null;
        bindingAt = bindingHash = 0;
        binding = null;
        bindingDirection = 0;
        mediaAt = viaAt = -1;
        media = via = null;
        viaHi = viaLo = 0;
        viaPort = 0;
    }
}
