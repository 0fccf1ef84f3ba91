package dev.natrecon.alg.sip;

import dev.natrecon.conntrack.ConntrackEntry;
import dev.natrecon.conntrack.ConntrackTuple;
import dev.natrecon.conntrack.Expectation;
import dev.natrecon.conntrack.FrameRef;
import dev.natrecon.conntrack.HelperContext;
import dev.natrecon.conntrack.Timeouts;
import dev.natrecon.decode.Addresses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Linux SIP helper would have written for a message pair no model helper handled: {@link LinuxSipHelper}
 * itself, run on the router's input copy for the connection the pair's own headers show (the input copy's addresses
 * and ports, translated to the output copy's), so that the rewrite analysis compares what the router wrote with the
 * one statement of nf_nat_sip's rules instead of a second one.
 *
 * <p>The connection: the input copy's tuple and, as the other direction, the output copy's reversed; source or
 * destination NAT when the two differ. The expectation table is empty but for what the output copy shows: an SDP
 * media port the router wrote above the offered one means the ports in between were taken, as
 * nf_nat_sdp_media's upward search found them (the kernel's table is not in the captures; the helper does the same
 * for a signalling port through {@link HelperContext#observedPayload()}). Settings are the Linux 6 defaults
 * ({@link Timeouts#linux6()}: sip_direct_media and sip_direct_signalling on).
 */
final class LinuxSipPrediction implements HelperContext {
    /** The helper under its default name (port 5060); the name only labels the expectations it would create. */
    private static final LinuxSipHelper HELPER = new LinuxSipHelper("sip");
    private static final Timeouts SETTINGS = Timeouts.linux6();

    /** The predicted output (the input itself when the helper leaves it) or, when Linux drops the packet, why. */
    record Result(byte[] output, String dropReason) {
        boolean dropped() {
            return dropReason != null;
        }
    }

    private final byte[] input;
    private final byte[] observed;
    private final List<Integer> observedMediaPorts;
    private byte[] output;
    private String dropReason;
    private Object data;

    private LinuxSipPrediction(byte[] input, byte[] observed) {
        this.input = input;
        this.observed = observed;
        this.output = input;
        this.observedMediaPorts = mediaPorts(observed);
    }

    /** Runs the helper on {@code pair}'s input copy (see the class comment). */
    static Result of(SipMessagePair pair) {
        SipObservation in = pair.input(), out = pair.output();
        LinuxSipPrediction c = new LinuxSipPrediction(in.raw(), out.raw());
        int protocol = in.transport() == SipObservation.Transport.TCP ? ConntrackTuple.TCP : ConntrackTuple.UDP;
        ConntrackTuple here = tuple(protocol, in.source(), in.destination());
        ConntrackTuple there = tuple(protocol, out.destination(), out.source());
        boolean nat = !in.source().equals(out.source()) || !in.destination().equals(out.destination());
        boolean accepted = HELPER.rewrite(c, here, there, 0, nat);
        if (!accepted && c.dropReason == null) c.dropReason = "dropped by the helper";
        return new Result(c.output, accepted ? null : c.dropReason);
    }

    private static ConntrackTuple tuple(int protocol, Endpoint src, Endpoint dst) {
        long[] s = new long[2], d = new long[2];
        Addresses.parse(src.host(), s);
        Addresses.parse(dst.host(), d);
        return ConntrackTuple.ports(protocol, s[0], s[1], d[0], d[1], src.port(), dst.port());
    }

    /** The port of each m= line of {@code message}'s body, in order (lines that do not give one are skipped). */
    private static List<Integer> mediaPorts(byte[] message) {
        List<Integer> ports = new ArrayList<>();
        for (String line : new String(message, StandardCharsets.ISO_8859_1).split("\r\n|\n")) {
            if (!line.startsWith("m=")) continue;
            String[] words = line.split(" ");
            if (words.length < 2) continue;
            String p = words[1].contains("/") ? words[1].substring(0, words[1].indexOf('/')) : words[1];
            if (!p.isEmpty() && p.length() <= 5 && p.chars().allMatch(Character::isDigit)) ports.add(Integer.parseInt(p));
        }
        return ports;
    }

    @Override
    public ConntrackEntry entry() {
        throw new UnsupportedOperationException("a prediction has no model entry");
    }

    @Override
    public int dir() {
        return 0;
    }

    /** A TCP connection that carries SIP is established (sip_help_tcp reads nothing else). */
    @Override
    public boolean established() {
        return true;
    }

    @Override
    public long nanos() {
        return 0;
    }

    @Override
    public FrameRef frame() {
        return FrameRef.NONE;
    }

    @Override
    public byte[] payload() {
        return input;
    }

    @Override
    public void rewrite(byte[] payload) {
        output = payload;
    }

    @Override
    public byte[] observedPayload() {
        return observed;
    }

    @Override
    public long setting(Timeouts.Key key) {
        return SETTINGS.seconds(key);
    }

    @Override
    public void refresh(long seconds) {
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T data(java.util.function.Supplier<T> create) {
        if (data == null) data = create.get();
        return (T) data;
    }

    @Override
    public List<Expectation> expectations() {
        return List.of();
    }

    /**
     * An RTP port (even) is taken when the output copy does not show it but shows an even media port above it (see
     * the class comment); everything else is free.
     */
    @Override
    public int expectRelated(Expectation exp, boolean skipMaster) {
        if (exp.klass == LinuxSipHelper.SIGNALLING || exp.dstPort % 2 != 0) return 0;
        if (observedMediaPorts.contains(exp.dstPort)) return 0;
        for (int p : observedMediaPorts) if (p % 2 == 0 && p > exp.dstPort) return EBUSY;
        return 0;
    }

    @Override
    public boolean removeExpectation(Expectation exp) {
        return false;
    }

    @Override
    public Expectation findExpectation(int protocol, boolean srcAny, long srcHi, long srcLo, long dstHi, long dstLo,
                                       int dstPort) {
        return null;
    }

    @Override
    public boolean refreshExpectation(Expectation exp, long seconds) {
        return false;
    }

    @Override
    public void drop(String reason) {
        dropReason = dropReason == null ? reason : dropReason + "\n" + reason;
    }
}
