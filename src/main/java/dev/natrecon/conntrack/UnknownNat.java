package dev.natrecon.conntrack;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An entry whose NAT no capture shows: made while its packets left through an uplink neither capture covers, its
 * translated address is that uplink's, which appears nowhere in the captures (the answers come back the same way and
 * the helper de-NATs them before the LAN capture sees them). The model writes {@link #ADDRESS} for it: 0.0.0.0 is never
 * a source on the wire (RFC 1122 §3.2.1.3) and never a kernel entry's NAT (masquerade drops rather than translate to
 * no address: nf_nat_masquerade.c), so it marks exactly these entries. A later WAN copy of the entry's original
 * direction reveals the address ({@link ConntrackModel#revealNat}).
 *
 * <p>Against the kernel's log, such a model life is compared with the kernel's address put in its place and the byte
 * counters of its DESTROY taken as the kernel's (the helper's rewrites of the SIP text change the lengths by the
 * length of an address no capture shows); everything else must be equal. It is then
 * {@link KernelComparison.Verdict#MATCHED} when the model's later lines show the kernel's very address (revealed by a
 * WAN copy), else {@link KernelComparison.Verdict#UNOBSERVABLE}: the address is not observable from the captures, and
 * the life's lines count apart, never as reproduced.
 */
public final class UnknownNat {
    private UnknownNat() {
    }

    /** The address the model writes for a NAT no capture shows. */
    public static final String ADDRESS = "0.0.0.0";
    private static final long[] PARSED = ConntrackTuple.address(ADDRESS);
    /** The reason's start, for results of this kind. */
    static final String WHY = "NOT OBSERVABLE from the captures: the entry's NAT address";

    /**
     * The documented marker the outputs write in place of {@link #ADDRESS} where an address is expected (the CSVs'
     * reply, external and expected-destination columns, summary.json, the report and the bindings chart): the NAT is
     * not known, and 0.0.0.0 must not read as an address.
     */
    public static final String MARKER = "unknown";
    /**
     * The comment a {@code conntrack -E}/{@code -L}-format line of such an entry carries after its last field: the line
     * keeps its shape (parsers read the tuple; 0.0.0.0 stands for the address), the comment says what it means.
     */
    public static final String COMMENT = "# nat unknown: made on an uplink no capture shows, 0.0.0.0 stands for its "
            + "address (not observable until a WAN copy shows it)";

    /**
     * Whether {@code v}'s NAT is the unknown one: its reply goes to the stand-in while its own source is a real one
     * (a host without an address, e.g. a DHCP client's 0.0.0.0, is untranslated, not unknown).
     */
    public static boolean is(EntryView v) {
        ConntrackTuple o = v.original();
        return is(v.reply()) && !(o.srcHi() == PARSED[0] && o.srcLo() == PARSED[1]);
    }

    /** {@code line} (a {@code conntrack}-format line of {@code v}) with {@link #COMMENT} when {@code v}'s NAT is unknown. */
    public static String commented(String line, EntryView v) {
        return is(v) ? line + " " + COMMENT : line;
    }

    /** A tuple's text ("src=… dst=… sport=…") of {@code v}'s reply with {@link #MARKER} for the unknown address. */
    public static String replyText(EntryView v) {
        String t = v.reply().text();
        return is(v) ? t.replace(" dst=" + ADDRESS + " ", " dst=" + MARKER + " ") : t;
    }

    /** An address or "address:port" with {@link #MARKER} in place of the unknown address; anything else unchanged. */
    public static String shown(String addressOrEndpoint) {
        if (addressOrEndpoint == null) return null;
        if (addressOrEndpoint.equals(ADDRESS)) return MARKER;
        return addressOrEndpoint.startsWith(ADDRESS + ":") ? MARKER + addressOrEndpoint.substring(ADDRESS.length())
                : addressOrEndpoint;
    }

    /** Whether {@code reply} is translated to the address no capture shows. */
    public static boolean is(ConntrackTuple reply) {
        return reply.dstHi() == PARSED[0] && reply.dstLo() == PARSED[1];
    }

    /** Whether {@code r} is a result this class classified unobservable. */
    static boolean is(KernelComparison.EntryResult r) {
        return r.verdict() == KernelComparison.Verdict.UNOBSERVABLE && !r.differences().isEmpty()
                && r.differences().get(0).startsWith(WHY);
    }

    /** The kernel lines of such a result: all of them (NEW, the ASSURED UPDATE, DESTROY), none reproduced. */
    static int lines(KernelComparison.EntryResult r) {
        KernelComparison.Life k = r.kernel();
        return (k.newBody != null ? 1 : 0) + (k.assuredAt != Long.MIN_VALUE ? 1 : 0) + (k.destroyBody != null ? 1 : 0);
    }

    private static final Pattern REPLY_DST = Pattern.compile("(src=\\S+ dst=\\S+ sport=\\S+ dport=\\S+.*?src=\\S+ dst=)(\\S+)");
    private static final Pattern BYTES = Pattern.compile("bytes=(\\d+)");

    /** {@code results} of one tuple: pairs whose model life has the unknown NAT, compared as described above. */
    static void reclassify(List<KernelComparison.EntryResult> results, long offset, long minLag, KernelComparison.Options o) {
        for (int i = 0; i < results.size(); i++) {
            KernelComparison.EntryResult r = results.get(i);
            KernelComparison.Life k = r.kernel(), m = r.model();
            if (r.verdict() != KernelComparison.Verdict.DIFFERS || k == null || m == null || m.newBody == null
                    || k.newBody == null || !ADDRESS.equals(replyDst(m.newBody))) {
                continue;
            }
            String address = replyDst(k.newBody);
            if (address == null) continue;
            KernelComparison.Life masked = masked(m, address, k.destroyBody);
            List<String> d = KernelComparison.differences(k, masked, offset, minLag, o);
            if (!d.isEmpty()) continue;
            boolean revealed = revealedAs(m, address);
            results.set(i, revealed
                    ? new KernelComparison.EntryResult(KernelComparison.Verdict.MATCHED, k, masked, List.of())
                    : new KernelComparison.EntryResult(KernelComparison.Verdict.UNOBSERVABLE, k, masked, List.of(WHY
                            + " (the kernel's " + address + ") is that of an uplink no capture shows, and no WAN copy of "
                            + "it follows (model entry #" + m.id + ", first packet " + m.frame + "): every line equal "
                            + "but for that address and the byte counters it changes; not counted as reproduced")));
        }
    }

    /**
     * {@code x} with each listed entry the model holds with the unknown NAT, equal but for the reply tuple's
     * destination address (the uplink's, which no capture shows), classified
     * {@link KernelTableComparison.Verdict#UNOBSERVABLE}: counted apart, never as matched.
     */
    public static KernelTableComparison.Result listing(KernelTableComparison.Result x) {
        if (x == null || x.entries().stream().noneMatch(e -> e.model() != null && is(e.model().reply()))) return x;
        List<KernelTableComparison.EntryResult> out = new java.util.ArrayList<>();
        for (KernelTableComparison.EntryResult e : x.entries()) {
            if (e.verdict() == KernelTableComparison.Verdict.DIFFERS && is(e.model().reply())
                    && e.differences().size() == 1 && e.differences().get(0).startsWith("reply tuple:")
                    && sameButAddress(e.kernel().reply(), e.model().reply())) {
                e = new KernelTableComparison.EntryResult(KernelTableComparison.Verdict.UNOBSERVABLE, e.kernel(), e.model(),
                        List.of(WHY + " (the kernel's " + dev.natrecon.decode.Addresses.format(e.kernel().reply().dstHi(),
                                e.kernel().reply().dstLo()) + ") is that of an uplink no capture shows; the entry is "
                                + "equal but for it"));
            }
            out.add(e);
        }
        return x.withEntries(out);
    }

    private static boolean sameButAddress(ConntrackTuple k, ConntrackTuple m) {
        return k.protocol() == m.protocol() && k.srcHi() == m.srcHi() && k.srcLo() == m.srcLo()
                && k.srcPort() == m.srcPort() && k.dstPort() == m.dstPort() && k.icmpId() == m.icmpId();
    }

    /** Whether a later line of the model's life (after the reveal, or its predicted expiry) shows {@code address}. */
    private static boolean revealedAs(KernelComparison.Life m, String address) {
        for (String u : m.updates) if (address.equals(replyDst(u))) return true;
        return m.destroyBody != null && address.equals(replyDst(m.destroyBody));
    }

    private static KernelComparison.Life masked(KernelComparison.Life m, String address, String kernelDestroy) {
        KernelComparison.Life c = new KernelComparison.Life(m.key);
        c.start = m.start;
        c.newBody = put(m.newBody, address);
        for (String u : m.updates) c.updates.add(put(u, address));
        c.updateTimes.addAll(m.updateTimes);
        c.updateEarliest.addAll(m.updateEarliest);
        c.assuredAt = m.assuredAt;
        c.end = m.end;
        c.destroyBody = m.destroyBody == null ? null : bytesOf(put(m.destroyBody, address), kernelDestroy);
        c.destroyPredicted = m.destroyPredicted;
        c.destroyInferred = m.destroyInferred;
        c.frame = m.frame;
        c.id = m.id;
        c.natUnknownAtFirst = true;
        return c;
    }

    /** {@code line} with its reply tuple's destination {@code address} where it is the unknown one. */
    private static String put(String line, String address) {
        Matcher x = REPLY_DST.matcher(line);
        if (!x.find() || !ADDRESS.equals(x.group(2))) return line;
        return line.substring(0, x.start(2)) + address + line.substring(x.end(2));
    }

    /** {@code model}'s byte counters replaced by the kernel's, in order (not observable: they follow the address). */
    private static String bytesOf(String model, String kernel) {
        if (kernel == null) return model;
        Matcher k = BYTES.matcher(kernel), x = BYTES.matcher(model);
        StringBuilder sb = new StringBuilder();
        while (x.find()) x.appendReplacement(sb, k.find() ? "bytes=" + k.group(1) : x.group());
        x.appendTail(sb);
        return sb.toString();
    }

    private static final Pattern EXPECTED_DST = Pattern.compile("^(.*?\\bsrc=\\S+ dst=)(\\S+)");

    /** The expected tuple's destination address of an expectation line ("proto=17 src=… dst=…"), or null. */
    static String expectedDst(String line) {
        Matcher x = EXPECTED_DST.matcher(line);
        return x.find() ? x.group(2) : null;
    }

    /** {@code line} with its expected tuple's destination address replaced by {@code address}. */
    static String expectedWith(String line, String address) {
        Matcher x = EXPECTED_DST.matcher(line);
        return x.find() ? line.substring(0, x.start(2)) + address + line.substring(x.end(2)) : line;
    }

    /** The reply tuple's destination address of a conntrack line, or null. */
    static String replyDst(String line) {
        Matcher x = REPLY_DST.matcher(line);
        return x.find() ? x.group(2) : null;
    }
}
