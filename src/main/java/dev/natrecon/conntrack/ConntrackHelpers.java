package dev.natrecon.conntrack;

import dev.natrecon.conntrack.ConntrackEvent.PacketDropped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The helper glue of nf_conntrack_helper.c: the registered helpers by name (nf_conntrack_helper_register), running an
 * entry's helper on a packet at confirm (nf_confirm → helper->help) through a {@link HelperContext}, the helper's own
 * timeout policy after the tracker ran ({@link Helper#timeoutSeconds}), its expectfn for an expected connection's NAT
 * ({@link Helper#expected}), and the drop with nf_ct_helper_log's line.
 * Which helper does what is the helper's business: nothing here knows a protocol's name.
 */
final class ConntrackHelpers {
    private final Timeouts timeouts;
    private final ConntrackTable table;
    private final ExpectationTable expectations;
    private final Map<String, Helper> byName = new HashMap<>();

    ConntrackHelpers(Timeouts timeouts, ConntrackTable table, ExpectationTable expectations) {
        this.timeouts = timeouts;
        this.table = table;
        this.expectations = expectations;
    }

    void add(Helper helper) {
        byName.put(helper.name(), helper);
    }

    /** A helper of that name is registered. */
    boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * The entry's helper sets its own timeout after the tracker ran (the helper runs at confirm, nf_confirm, and the
     * event is delivered after it, so events show the helper's value). A set, not a maximum (__nf_ct_refresh_acct).
     *
     * @param established the packet's ctinfo was ESTABLISHED or ESTABLISHED_REPLY
     * @param hasData     the packet carries a payload
     * @return whether the helper set a timeout
     */
    boolean applyTimeout(ConntrackEntry e, boolean established, boolean hasData, long t) {
        Helper h = e.helper == null ? null : byName.get(e.helper);
        if (h == null) return false;
        long seconds = h.timeoutSeconds(e, established, hasData, timeouts);
        if (seconds < 0) return false;
        table.refresh(e, t, seconds, h.timeoutSetting());
        return true;
    }

    /**
     * The expectfn: the NAT a connection created from {@code x} gets before any rule, from the helper of the
     * expectation's master (which created it), or null.
     */
    NatTranslator.Preset expectedNat(Expectation x, ConntrackTuple tuple) {
        Helper h = x.master.helper == null ? null : byName.get(x.master.helper);
        ExpectedNat n = h == null ? null : h.expected(x, tuple);
        return n == null ? null : n.preset();
    }

    /**
     * Runs the entry's helper on a packet, if it has one registered and the packet carries a payload. Returns the
     * helper's drop reason (the packet and, for a new entry, the entry are dropped), or null; the payload as the
     * helper left it goes to {@link Arrival#helperPayload}.
     */
    String run(ConntrackEntry e, int dir, boolean established, long t, Arrival a, EventSink sink) {
        if (e.helper == null || a.payload == null) return null;
        Helper h = byName.get(e.helper);
        if (h == null) return null;
        Call call = new Call(e, dir, established, t, a, sink);
        boolean accepted = h.help(call);
        a.helperPayload = call.payload;
        return accepted ? null : (call.dropReason == null ? "dropped by helper " + e.helper : call.dropReason);
    }

    /**
     * A helper dropped the packet: the {@link PacketDropped} event with the line nf_ct_helper_log prints through the
     * packet logger ({@code "nf_ct_sip: dropping packet: all ports in use for SDP media "}, then the LOG fields, which
     * only appear when a log backend is bound), and for a new entry the picture of the entry that was never confirmed.
     */
    static void dropped(ConntrackEntry e, long t, FrameRef frame, String reason, EventSink sink, boolean unconfirmed) {
        EntryView v = unconfirmed ? new EntryView(0, e.original, e.reply, e.status & ~Status.CONFIRMED, e.tcpState() == null
                ? null : e.tcpState.name(), -1, e.helper, -1, -1, -1, -1, -1) : e.view(t, true, false, false);
        StringBuilder log = new StringBuilder();
        for (String line : reason.split("\n")) {
            if (log.length() > 0) log.append('\n');
            log.append("nf_ct_").append(e.helper).append(": dropping packet: ").append(line).append(' ');
        }
        sink.accept(new PacketDropped(t, frame, v, "helper " + e.helper + ": " + reason.replace("\n", "; "),
                log.toString()));
    }

    /** One helper call's view of the model. */
    private final class Call implements HelperContext {
        private final ConntrackEntry e;
        private final int dir;
        private final boolean established;
        private final long t;
        private final Arrival a;
        private final EventSink sink;
        byte[] payload;
        String dropReason;

        Call(ConntrackEntry e, int dir, boolean established, long t, Arrival a, EventSink sink) {
            this.e = e;
            this.dir = dir;
            this.established = established;
            this.t = t;
            this.a = a;
            this.sink = sink;
            this.payload = a.payload;
        }

        @Override
        public ConntrackEntry entry() {
            return e;
        }

        @Override
        public int dir() {
            return dir;
        }

        @Override
        public boolean established() {
            return established;
        }

        @Override
        public long nanos() {
            return t;
        }

        @Override
        public FrameRef frame() {
            return a.frame;
        }

        @Override
        public byte[] payload() {
            return payload;
        }

        @Override
        public void rewrite(byte[] p) {
            payload = p;
        }

        @Override
        public byte[] observedPayload() {
            return a.observedPayload;
        }

        @Override
        public long setting(Timeouts.Key key) {
            return timeouts.seconds(key);
        }

        @Override
        public void refresh(long seconds) {
            Helper h = byName.get(e.helper);
            table.refresh(e, t, seconds, h == null ? null : h.timeoutSetting());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T data(Supplier<T> create) {
            if (e.helperData == null) e.helperData = create.get();
            return (T) e.helperData;
        }

        @Override
        public List<Expectation> expectations() {
            return e.expecting == null ? List.of() : List.copyOf(e.expecting);
        }

        @Override
        public int expectRelated(Expectation exp, boolean skipMaster) {
            // the policies are those of the expectation's master's helper (nf_ct_expect_related → exp->master)
            Helper h = exp.master.helper == null ? null : byName.get(exp.master.helper);
            if (h == null) return HelperContext.EMFILE;
            return expectations.expectRelated(exp, h, skipMaster, t, a.frame, sink);
        }

        @Override
        public boolean removeExpectation(Expectation exp) {
            if (!exp.inTable) return false;
            expectations.unlink(exp, t, a.frame, ExpectationEvent.Reason.REMOVED, sink);
            return true;
        }

        @Override
        public Expectation findExpectation(int protocol, boolean srcAny, long srcHi, long srcLo, long dstHi, long dstLo,
                                          int dstPort) {
            return expectations.find(protocol, srcAny, srcHi, srcLo, dstHi, dstLo, dstPort);
        }

        @Override
        public boolean refreshExpectation(Expectation exp, long seconds) {
            return expectations.refresh(exp, t, seconds);
        }

        @Override
        public void drop(String reason) {
            dropReason = dropReason == null ? reason : dropReason + "\n" + reason;
        }
    }
}
