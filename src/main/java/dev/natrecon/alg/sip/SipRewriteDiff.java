package dev.natrecon.alg.sip;

import dev.natrecon.decode.sip.Span;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a router changed in one SIP message: the LAN and WAN copies (and optionally the copy a model predicted as the
 * router's output) parsed by {@link SipCopy}, and every field whose text differs between the router's input and its
 * output ({@link Direction#OUTBOUND}: LAN → WAN; {@link Direction#INBOUND}: WAN → LAN).
 *
 * <p><b>Fields.</b> The names are those of {@link dev.natrecon.decode.sip.SipMessage#fields()} (start line,
 * Request-URI, each Via with host, port, branch, received, rport, maddr, From, To, each Contact, Route and
 * Record-Route with uri, host, port, Call-ID, CSeq, Content-Length, every header line as {@code header[i]}, the body)
 * and, prefixed with {@code sdp.}, {@link dev.natrecon.decode.sdp.SdpBody#fields()} (origin and its address, session
 * c=, each m= with port, its c=, a=rtcp, direction). Fields are matched by name, so the n-th Contact is compared with
 * the n-th Contact. When either copy does not parse as a message, only the generic fields ({@code start-line},
 * {@code header[i]}, {@code body}) are compared.
 *
 * <p><b>All and compact changes.</b> {@link #changes()} lists every differing name, so a rewritten Contact host shows
 * as {@code contact[0].host}, {@code contact[0].uri}, {@code contact[0]} and its {@code header[i]}.
 * {@link #compactChanges()} keeps only what explains the difference: a change is left out when its bytes before the
 * router, with the changes it contains put in (each replaced by its bytes after the router), give exactly its bytes
 * after the router; of two changes covering the same bytes the first named (the structured one) is kept.
 *
 * <p><b>Checks.</b> Content-Length on each copy (declared against the bytes after the empty line; an absent
 * Content-Length counts as correct), whether each copy parses, and, with a prediction, whether the observed output is
 * byte for byte the predicted one, with the fields where it is not ({@link #predictionDifferences()}).
 *
 * <p>Limits: a field added by the router (a new Via parameter, say) cannot be placed inside its parent, so the parent
 * stays in the compact view too; a removed or inserted list element shifts the indexes of those after it.
 */
public final class SipRewriteDiff {
    private final Direction direction;
    private final SipCopy lan;
    private final SipCopy wan;
    private final SipCopy predicted;
    private final List<FieldChange> changes;
    private final List<FieldChange> compact;
    private final List<FieldChange> predictionDifferences;

    private SipRewriteDiff(Direction direction, SipCopy lan, SipCopy wan, SipCopy predicted) {
        this.direction = direction;
        this.lan = lan;
        this.wan = wan;
        this.predicted = predicted;
        this.changes = diff(input(), output());
        this.compact = compact(input(), output(), changes);
        this.predictionDifferences = predicted == null ? List.of() : compact(predicted, output(), diff(predicted, output()));
    }

    private SipRewriteDiff(SipRewriteDiff d, SipCopy predicted) {
        this.direction = d.direction;
        this.lan = d.lan;
        this.wan = d.wan;
        this.predicted = predicted;
        this.changes = d.changes;
        this.compact = d.compact;
        this.predictionDifferences = compact(predicted, output(), diff(predicted, output()));
    }

    /** Diffs the LAN and WAN bytes of one message that crossed the router in {@code direction}. */
    public static SipRewriteDiff of(Direction direction, byte[] lan, byte[] wan) {
        return new SipRewriteDiff(direction, SipCopy.of(lan), SipCopy.of(wan), null);
    }

    /**
     * As {@link #of(Direction, byte[], byte[])}, with the router output a model predicted: the WAN bytes for an
     * outbound message, the LAN bytes for an inbound one. {@code predictedOutput} may be null.
     */
    public static SipRewriteDiff of(Direction direction, byte[] lan, byte[] wan, byte[] predictedOutput) {
        return of(direction, lan, wan, predictedOutput, true);
    }

    /**
     * As {@link #of(Direction, byte[], byte[], byte[])}; {@code redact} false keeps credential values in the fields'
     * text (the diff itself compares bytes, so it finds a changed credential either way).
     */
    public static SipRewriteDiff of(Direction direction, byte[] lan, byte[] wan, byte[] predictedOutput, boolean redact) {
        SipCopy l = SipCopy.of(lan, redact), w = SipCopy.of(wan, redact);
        return new SipRewriteDiff(direction, l, w, predicted(predictedOutput, direction == Direction.OUTBOUND ? w : l, redact));
    }

    /**
     * The predicted output's copy: the router's output copy itself when the bytes are the same (the prediction held, the
     * usual case: a copy is immutable and depends on nothing but its bytes, so one serves both), else its own parse.
     */
    private static SipCopy predicted(byte[] predictedOutput, SipCopy output, boolean redact) {
        if (predictedOutput == null) return null;
        return Arrays.equals(predictedOutput, output.raw()) ? output : SipCopy.of(predictedOutput, redact);
    }

    /**
     * This diff (the copies already parsed) with {@code predictedOutput} as the prediction, replacing any; {@code redact}
     * as for {@link #of(Direction, byte[], byte[], byte[], boolean)}.
     */
    SipRewriteDiff predicting(byte[] predictedOutput, boolean redact) {
        return new SipRewriteDiff(this, predicted(predictedOutput, output(), redact));
    }

    public Direction direction() {
        return direction;
    }

    public SipCopy lan() {
        return lan;
    }

    public SipCopy wan() {
        return wan;
    }

    /** The copy the router received: LAN for an outbound message, WAN for an inbound one. */
    public SipCopy input() {
        return direction == Direction.OUTBOUND ? lan : wan;
    }

    /** The copy the router sent: WAN for an outbound message, LAN for an inbound one. */
    public SipCopy output() {
        return direction == Direction.OUTBOUND ? wan : lan;
    }

    /** The predicted output, if one was given. */
    public Optional<SipCopy> predicted() {
        return Optional.ofNullable(predicted);
    }

    /** Every field whose text differs from input to output, in message order (input names first). */
    public List<FieldChange> changes() {
        return changes;
    }

    /** The changes that explain the difference (see the class comment). */
    public List<FieldChange> compactChanges() {
        return compact;
    }

    /** True when input and output are the same bytes. */
    public boolean untouched() {
        return Arrays.equals(input().raw(), output().raw());
    }

    /**
     * The router made Content-Length wrong: the output's declared length differs from its body while the input's was
     * right, or the router changed the body or the Content-Length and the result is wrong.
     */
    public boolean contentLengthBroken() {
        if (!output().parses() || output().contentLengthCorrect()) return false;
        return input().contentLengthCorrect() || !input().parses() || input().bodyLength() != output().bodyLength()
                || input().declaredContentLength() != output().declaredContentLength();
    }

    /** With a prediction: whether the observed output is byte for byte the predicted one. */
    public Optional<Boolean> matchesPrediction() {
        return predicted == null ? Optional.empty() : Optional.of(Arrays.equals(predicted.raw(), output().raw()));
    }

    /** With a prediction: the fields (compact) where the observed output differs from it, before = predicted. */
    public List<FieldChange> predictionDifferences() {
        return predictionDifferences;
    }

    /** The compact changes as {@code name: before -> after; ...}, or "" when nothing changed. */
    public String compactText() {
        StringBuilder sb = new StringBuilder();
        for (FieldChange c : compact) sb.append(sb.length() == 0 ? "" : "; ").append(c.render());
        if (sb.length() == 0 && !untouched()) sb.append("(bytes differ outside every field)");
        return sb.toString();
    }

    // ---- the diff

    private static boolean generic(String name) {
        return name.equals("start-line") || name.startsWith("header[") || name.equals("body");
    }

    static List<FieldChange> diff(SipCopy a, SipCopy b) {
        boolean genericOnly = !a.parses() || !b.parses();
        Map<String, Span> fa = a.fields(), fb = b.fields();
        Set<String> names = new LinkedHashSet<>(fa.keySet());
        names.addAll(fb.keySet());
        List<FieldChange> out = new ArrayList<>();
        for (String n : names) {
            if (genericOnly && !generic(n)) continue;
            Span x = fa.get(n), y = fb.get(n);
            if (x == null) {
                out.add(new FieldChange(n, FieldChange.Kind.ADDED, null, y));
            } else if (y == null) {
                out.add(new FieldChange(n, FieldChange.Kind.REMOVED, x, null));
            } else if (!Arrays.equals(a.raw(), x.start(), x.end(), b.raw(), y.start(), y.end())) {
                out.add(new FieldChange(n, FieldChange.Kind.CHANGED, x, y));
            }
        }
        return List.copyOf(out);
    }

    private static boolean within(Span inner, Span outer) {
        return inner.start() >= outer.start() && inner.end() <= outer.end();
    }

    private static boolean sameRanges(FieldChange x, FieldChange y) {
        return x.before() != null && y.before() != null && x.after() != null && y.after() != null
                && x.before().start() == y.before().start() && x.before().end() == y.before().end()
                && x.after().start() == y.after().start() && x.after().end() == y.after().end();
    }

    static List<FieldChange> compact(SipCopy a, SipCopy b, List<FieldChange> all) {
        List<FieldChange> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            FieldChange c = all.get(i);
            boolean duplicate = false;
            for (int j = 0; j < i && !duplicate; j++) duplicate = sameRanges(all.get(j), c);
            if (duplicate || explained(a, b, c, all)) continue;
            out.add(c);
        }
        return List.copyOf(out);
    }

    /** A region replaced: {@code [bs, be)} of the before copy became {@code [as, ae)} of the after copy. */
    private record Region(int bs, int be, int as, int ae) {
    }

    /**
     * Whether {@code c}'s before-bytes with its inner changes applied are its after-bytes. A field added (or removed)
     * right after an inner change, separated by at most one byte (the {@code :} of {@code host:port}), is taken as
     * part of that change's region, so {@code sip:1001@10.0.0.1} → {@code sip:1001@192.0.2.1:5060} is explained by
     * its host and port changes.
     */
    private static boolean explained(SipCopy a, SipCopy b, FieldChange c, List<FieldChange> all) {
        if (c.kind() != FieldChange.Kind.CHANGED) return false;
        List<FieldChange> inner = new ArrayList<>();
        for (FieldChange d : all) {
            if (d == c) continue;
            boolean in = switch (d.kind()) {
                case CHANGED -> within(d.before(), c.before()) && within(d.after(), c.after())
                        && !(d.before().length() == c.before().length() && d.after().length() == c.after().length());
                case ADDED -> within(d.after(), c.after());
                case REMOVED -> within(d.before(), c.before());
            };
            if (in) inner.add(d);
        }
        if (inner.stream().noneMatch(d -> d.kind() == FieldChange.Kind.CHANGED)) return false;
        // Outermost CHANGED regions first, in order; then attach each added/removed field to the region it follows.
        inner.sort(Comparator.comparingInt((FieldChange d) -> d.kind() == FieldChange.Kind.ADDED ? d.after().start()
                : d.before().start()).thenComparing(d -> d.kind() == FieldChange.Kind.ADDED ? -d.after().length()
                : -d.before().length()));
        List<Region> regions = new ArrayList<>();
        for (FieldChange d : inner) {
            if (d.kind() != FieldChange.Kind.CHANGED) continue;
            Region last = regions.isEmpty() ? null : regions.get(regions.size() - 1);
            if (last != null && (d.before().start() < last.be() || d.after().start() < last.ae())) continue;
            regions.add(new Region(d.before().start(), d.before().end(), d.after().start(), d.after().end()));
        }
        for (FieldChange d : inner) {
            if (d.kind() == FieldChange.Kind.CHANGED) continue;
            boolean attached = false;
            for (int k = 0; k < regions.size() && !attached; k++) {
                Region r = regions.get(k);
                if (d.kind() == FieldChange.Kind.ADDED) {
                    if (d.after().start() >= r.ae() && d.after().start() - r.ae() <= 1) {
                        regions.set(k, new Region(r.bs(), r.be(), r.as(), d.after().end()));
                        attached = true;
                    } else if (d.after().start() >= r.as() && d.after().end() <= r.ae()) {
                        attached = true;
                    }
                } else if (d.before().start() >= r.be() && d.before().start() - r.be() <= 1) {
                    regions.set(k, new Region(r.bs(), d.before().end(), r.as(), r.ae()));
                    attached = true;
                } else if (d.before().start() >= r.bs() && d.before().end() <= r.be()) {
                    attached = true;
                }
            }
            if (!attached) return false;
        }
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        int pos = c.before().start();
        for (Region r : regions) {
            if (r.bs() < pos) return false;
            rebuilt.write(a.raw(), pos, r.bs() - pos);
            rebuilt.write(b.raw(), r.as(), r.ae() - r.as());
            pos = r.be();
        }
        if (pos > c.before().end()) return false;
        rebuilt.write(a.raw(), pos, c.before().end() - pos);
        return Arrays.equals(rebuilt.toByteArray(), Arrays.copyOfRange(b.raw(), c.after().start(), c.after().end()));
    }

    @Override
    public String toString() {
        return direction.label() + " " + (input().parses() ? input().message().toString() : "(unparsed)") + ": " + compactText();
    }
}
