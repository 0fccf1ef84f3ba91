package dev.natrecon.alg.sip;

import dev.natrecon.alg.sip.AddressField.AddressRole;
import dev.natrecon.alg.sip.AlgFindingType.Effect;
import dev.natrecon.alg.sip.FieldOutcome.Kind;
import dev.natrecon.decode.sdp.SdpBody;
import dev.natrecon.decode.sdp.SdpConnection;
import dev.natrecon.decode.sdp.SdpMedia;
import dev.natrecon.decode.sip.Span;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classifies what a router did to SIP: each message pair as {@link AlgClass#NO_ALG}, {@link AlgClass#LINUX_LIKE},
 * {@link AlgClass#OTHER_CONSISTENT}, {@link AlgClass#BROKEN} (or {@link AlgClass#NEUTRAL} when there was nothing to
 * judge), with findings under stable ids ({@link AlgFindingType}).
 *
 * <h2>What is judged</h2>
 * The address fields of the router's input copy ({@link AddressField}: Request-URI, each Via sent-by, received, rport
 * and maddr, From, To, each Contact, Route and Record-Route, SDP o=, session c=, each media c=, m= port, a=rtcp), paired
 * by name with the output copy's. The packet's own headers give the translation the router applied to it
 * ({@link SipMessagePair#translations()}: the phone's internal endpoint to the router's external one for an outbound
 * message, the reverse for an inbound one). A field is <i>ours</i> when its address is the address the translation
 * changes (ip and, for ports, the translated port); every other field is <i>foreign</i>. Each field gets a
 * {@link FieldOutcome}: not rewritten, mapped to the packet's translation, rewritten to another port, to another
 * router/phone address, to a wrong address, a foreign field rewritten, an SDP port kept or moved, removed, added.
 *
 * <h2>Per-message rules, in order</h2>
 * <ol>
 *   <li>Input does not parse: {@code alg.input_unparsable}, class NEUTRAL (nothing to judge).</li>
 *   <li>Output does not parse although the input does: {@code alg.mangled} naming the changed header lines; BROKEN.
 *       Output parses but has parse problems the input did not have (a header jain-sip rejects, an SDP line that no
 *       longer parses): {@code alg.mangled}; BROKEN.</li>
 *   <li>Content-Length wrong after the router ({@link SipRewriteDiff#contentLengthBroken()}: declared ≠ body while
 *       the input was right, or the router changed the body or the header and got it wrong):
 *       {@code alg.content_length_wrong}; BROKEN. Over TCP the framer cuts messages by Content-Length, so there a wrong
 *       value shows as a mangled message or SDP instead.</li>
 *   <li>Any address field of the WAN copy with a private address (RFC 1918, RFC 4193 ULA; not RFC 6598 shared space,
 *       a carrier NAT's) or a phone's address: {@code alg.private_address_on_wan} (evidence; no effect by itself). A packet the router did
 *       not translate at all: {@code alg.untranslated_flow} (info).</li>
 *   <li>The router changed nothing: NO_ALG when the message has fields of ours (with {@code alg.external_address_on_lan}
 *       for an inbound one), else NEUTRAL.</li>
 *   <li>The router changed something. Per field:
 *     <ul>
 *       <li>ours, not rewritten: a Contact → {@code alg.contact_not_rewritten} (BROKEN: the peer will send requests to
 *           an address it cannot reach); an SDP c= (session or media) → {@code alg.sdp_connection_not_rewritten}
 *           (BROKEN: the media goes nowhere), an a=rtcp address → {@code alg.sdp_rtcp_not_rewritten} (BROKEN); a Via
 *           sent-by, a Via received/rport/maddr, the Request-URI, From/To, SDP o= → {@code alg.via_not_rewritten},
 *           {@code alg.via_param_not_rewritten}, {@code alg.request_uri_not_rewritten},
 *           {@code alg.from_to_not_rewritten}, {@code alg.sdp_origin_not_rewritten} (OTHER), only where the
 *           prediction rewrote it (leaving what Linux leaves is not a departure);</li>
 *       <li>rewritten to the packet's translation: fine; to the translated address with another port:
 *           {@code alg.other_port} (OTHER); to another of the router's addresses (outbound) or the phones' (inbound):
 *           {@code alg.other_address} (OTHER); to anything else: {@code alg.wrong_address_written} (BROKEN);</li>
 *       <li>a foreign field rewritten: {@code alg.foreign_address_rewritten} (BROKEN) — except SDP o= and session c=
 *           set to the media address the router wrote, as Linux does;</li>
 *       <li>an SDP port of ours moved: with the bindings the captures showed, a binding LAN media endpoint → WAN media
 *           endpoint is fine ({@code alg.sdp_port_moved}, info); a WAN endpoint bound to another internal endpoint is
 *           {@code alg.sdp_port_foreign_binding}, one with no binding at all {@code alg.sdp_port_without_binding}
 *           (BROKEN); with {@link BindingLookup#unknown()} it is not judged;</li>
 *       <li>an address field removed: {@code alg.unexplained_change} (BROKEN); added with a router/translated
 *           address: {@code alg.extra_field_rewritten} (OTHER), else {@code alg.unexplained_change}.</li>
 *     </ul>
 *     Every other change (outside the address parts of address fields and Content-Length): when substituting the
 *     translation's addresses in the field's old text gives its new text, {@code alg.extra_field_rewritten} (OTHER:
 *     Call-ID, a header Linux leaves alone); else {@code alg.unexplained_change} (BROKEN).</li>
 *   <li>The Linux rules are not restated here: they are {@link LinuxSipHelper}'s. A changed message without the
 *       model's prediction gets the helper's own for the translation its packets show ({@link LinuxSipPrediction});
 *       the fields where the output departs from it (an address field narrowed to the host or port that differs) are
 *       {@code alg.not_linux} (OTHER), and a message Linux would have dropped is {@code alg.not_linux} naming why.</li>
 *   <li>Class of a changed message: BROKEN when a finding has effect BROKEN; else OTHER_CONSISTENT when one has effect
 *       OTHER; else LINUX_LIKE.</li>
 *   <li>With the model's prediction ({@link SipMessagePair#withPrediction}): LINUX_LIKE exactly when the observed
 *       output is byte for byte the predicted one (the findings stay listed); otherwise {@code alg.differs_from_prediction} names the
 *       fields that differ, the class follows the rules above with LINUX_LIKE turned into OTHER_CONSISTENT, and
 *       {@code alg.not_linux} is not given (the prediction is the authority). The classifier's own prediction decides
 *       only {@code alg.not_linux} and the gating above: the model saw the table, it did not. One exception: when
 *       the Linux helper run for the translation the pair's own packets show writes the router's output byte for
 *       byte, the model's entry held another translation than the router's (its history was wrong: a WAN address
 *       change it did not know of): the message is judged against that text and the model's prediction is reported
 *       as a divergence of the model ({@link MessageVerdict#modelContradicted()}), not as a finding.</li>
 * </ol>
 *
 * <p>A case, per direction and as a whole, is made of the message verdicts by {@link CaseTally} (its case rules).
 */
public final class SipRewriteClassifier {
    /**
     * The context's phones and router addresses, grown in place by {@link #learn} (a case with 100,000 phones must not
     * copy a set per new phone), and its bindings.
     */
    private final Set<String> phones, routers;
    private final BindingLookup bindings;

    public SipRewriteClassifier(AlgContext context) {
        this.phones = new HashSet<>(context.phoneAddresses());
        this.routers = new HashSet<>(context.routerAddresses());
        this.bindings = context.bindings();
    }

    /** What the classifier knows now (a copy). */
    public AlgContext context() {
        return new AlgContext(phones, routers, bindings);
    }

    /**
     * Adds the addresses {@code pair} shows (a phone's, a router's: {@link AlgContext#including}) to the context, for a
     * caller that classifies each message as it comes instead of deriving the context from all of them first.
     */
    public void learn(SipMessagePair pair) {
        if (!AlgContext.teaches(pair)) return;
        phones.add(pair.internal().host());
        routers.add(pair.external().host());
    }

    public MessageVerdict classify(SipMessagePair pair) {
        return new Judge(pair).judge();
    }

    // ---- one message

    private final class Judge {
        private final SipMessagePair pair;
        /** The copies' diff; for a changed message without the model's prediction, with the classifier's own. */
        private SipRewriteDiff diff;
        /** The prediction is {@link LinuxSipPrediction}'s, not the model's: departures are {@code alg.not_linux}. */
        private boolean ownPrediction;
        /** Why Linux would have dropped the message ({@link LinuxSipPrediction}), or null. */
        private String linuxDrop;
        /** What the model predicted where the router's output is Linux's for the translation shown, or null. */
        private String modelContradicted;
        private final SipCopy in;
        private final SipCopy out;
        private final List<Translation> translations;
        private final Map<AlgFindingType, Set<String>> fields = new EnumMap<>(AlgFindingType.class);
        private final Map<AlgFindingType, List<String>> details = new EnumMap<>(AlgFindingType.class);
        private final List<FieldOutcome> outcomes = new ArrayList<>();
        /** Moved SDP ports waiting for the bindings ({@link BindingLookup#later()}). */
        private final List<SdpPortMove> unjudgedPorts = new ArrayList<>();

        Judge(SipMessagePair pair) {
            this.pair = pair;
            this.diff = pair.diff();
            this.in = diff.input();
            this.out = diff.output();
            this.translations = pair.translations();
        }

        private void add(AlgFindingType t, Collection<String> names, String detail) {
            fields.computeIfAbsent(t, k -> new LinkedHashSet<>()).addAll(names);
            if (detail != null && !detail.isEmpty()) details.computeIfAbsent(t, k -> new ArrayList<>()).add(detail);
        }

        private MessageVerdict verdict(AlgClass c) {
            // the model's prediction is the authority; the classifier's own only names the departures (alg.not_linux)
            Boolean equal = ownPrediction ? null : diff.matchesPrediction().orElse(null);
            if (equal != null) {
                if (equal) {
                    c = AlgClass.LINUX_LIKE;
                } else {
                    List<String> names = diff.predictionDifferences().stream().map(FieldChange::name).toList();
                    String d = String.join("; ", diff.predictionDifferences().stream().map(ch -> ch.name() + ": predicted "
                            + (ch.before() == null ? "(none)" : ch.beforeText()) + ", observed "
                            + (ch.after() == null ? "(none)" : ch.afterText())).toList());
                    add(AlgFindingType.DIFFERS_FROM_PREDICTION, names, d.isEmpty() ? "the bytes differ" : d);
                    if (c == AlgClass.LINUX_LIKE) c = AlgClass.OTHER_CONSISTENT;
                }
            }
            List<AlgFinding> list = new ArrayList<>();
            for (Map.Entry<AlgFindingType, Set<String>> e : fields.entrySet()) {
                list.add(new AlgFinding(e.getKey(), List.copyOf(e.getValue()), pair.frames(),
                        String.join("; ", details.getOrDefault(e.getKey(), List.of()))));
            }
            UnjudgedPorts waiting = unjudgedPorts.isEmpty() ? null
                    : new UnjudgedPorts(c, Boolean.TRUE.equals(equal), list, unjudgedPorts, pair.frames());
            return new MessageVerdict(pair, c, list, outcomes, !diff.untouched(), waiting, modelContradicted);
        }

        MessageVerdict judge() {
            if (!in.parses()) {
                add(AlgFindingType.INPUT_UNPARSABLE, List.of(), String.join("; ", in.problems()));
                return verdict(AlgClass.NEUTRAL);
            }
            if (!out.parses()) {
                mangled(out.problemList());
                return verdict(AlgClass.BROKEN);
            }
            if (pair.hasPrediction() && !diff.matchesPrediction().orElse(true)) otherTranslation();
            Set<String> before = in.problemIds();
            List<SipCopy.Problem> problems = new ArrayList<>();
            for (SipCopy.Problem p : out.problemList()) if (!before.contains(p.id())) problems.add(p);
            if (!problems.isEmpty()) mangled(problems);
            if (diff.contentLengthBroken()) {
                add(AlgFindingType.CONTENT_LENGTH_WRONG, List.of("content-length"), "declared " + out.declaredContentLength()
                        + ", body " + out.bodyLength() + " bytes (before the router: declared " + in.declaredContentLength()
                        + ", body " + in.bodyLength() + ")");
            }
            if (translations.isEmpty()) {
                add(AlgFindingType.UNTRANSLATED_FLOW, List.of(), pair.input().source() + " > " + pair.input().destination()
                        + " left the router unchanged");
            }
            privateOnWan();

            Map<String, AddressField> inF = AddressField.of(in), outF = AddressField.of(out);
            evaluate(inF, outF);
            boolean changed = !diff.untouched();
            if (!changed) {
                List<String> ours = new ArrayList<>();
                for (FieldOutcome o : outcomes) if (o.kind() == Kind.NOT_REWRITTEN) ours.addAll(inF.get(o.key()).partNames());
                if (ours.isEmpty()) return verdict(AlgClass.NEUTRAL);
                if (pair.direction() == Direction.INBOUND) {
                    add(AlgFindingType.EXTERNAL_ADDRESS_ON_LAN, ours, describe(inF, ours));
                }
                return verdict(AlgClass.NO_ALG);
            }
            if (!pair.hasPrediction()) predictHere();
            outcomeFindings(inF, outF);
            extraChanges(inF, outF);
            if (linuxDrop != null) {
                add(AlgFindingType.NOT_LINUX, List.of(), "Linux drops it: " + linuxDrop.replace('\n', ' '));
            } else if (ownPrediction && !diff.predictionDifferences().isEmpty()) {
                add(AlgFindingType.NOT_LINUX, departures(outF), null);
            }
            AlgClass c = AlgClass.LINUX_LIKE;
            for (AlgFindingType t : fields.keySet()) {
                if (t.effect() == Effect.BROKEN) c = AlgClass.BROKEN;
                else if (t.effect() == Effect.OTHER && c != AlgClass.BROKEN) c = AlgClass.OTHER_CONSISTENT;
            }
            return verdict(c);
        }

        /**
         * The changed message has no prediction from the model (no model helper handled it): the Linux helper's own,
         * for the translation the packets show ({@link LinuxSipPrediction}).
         */
        private void predictHere() {
            LinuxSipPrediction.Result r = LinuxSipPrediction.of(pair);
            if (r.dropped()) {
                linuxDrop = r.dropReason();
                return;
            }
            diff = diff.predicting(r.output(), pair.redacted());
            ownPrediction = true;
        }

        /**
         * The model's prediction differs from the router's output in addresses only: when the Linux helper, run for the
         * translation the pair's own packets show ({@link LinuxSipPrediction}), writes the router's output byte for byte, the router
         * did what Linux does and the model's entry held another translation (a WAN address or port its history of
         * the router got wrong). That prediction is set aside (a divergence of the model, {@link
         * MessageVerdict#modelContradicted()}) and the message is judged against Linux's text for what the packets
         * show; otherwise the model's prediction stays the authority.
         */
        private void otherTranslation() {
            // only addresses: the helper writes the entry's NAT address (nf_nat_sip: ct->tuplehash[!dir]), which the
            // packets show; a port may also come from the expectation table, which the model saw and the packets do not
            if (diff.predictionDifferences().isEmpty()) return;
            for (FieldChange ch : diff.predictionDifferences()) {
                if (ch.before() == null || ch.after() == null || !isAddress(ch.beforeText()) || !isAddress(ch.afterText())) {
                    return;
                }
            }
            LinuxSipPrediction.Result r = LinuxSipPrediction.of(pair);
            if (r.dropped() || !java.util.Arrays.equals(r.output(), pair.output().raw())) return;
            modelContradicted = String.join("; ", diff.predictionDifferences().stream().map(ch -> ch.name()
                    + ": predicted " + (ch.before() == null ? "(none)" : ch.beforeText()) + ", observed "
                    + (ch.after() == null ? "(none)" : ch.afterText())).toList());
            if (modelContradicted.isEmpty()) modelContradicted = "the bytes differ";
            diff = diff.predicting(r.output(), pair.redacted());
        }

        private static boolean isAddress(String text) {
            return dev.natrecon.decode.Addresses.parse(text.trim(), new long[2]);
        }

        /**
         * The fields where the output departs from the prediction: each {@link SipRewriteDiff#predictionDifferences()}
         * name, an address field's whole or its URI narrowed to the parts (host, port) that differ.
         */
        private Set<String> departures(Map<String, AddressField> outF) {
            Map<String, AddressField> predicted = diff.predicted().map(AddressField::of).orElse(Map.of());
            Set<String> names = new LinkedHashSet<>();
            for (FieldChange ch : diff.predictionDifferences()) {
                String n = ch.name();
                String key = n.endsWith(".uri") ? n.substring(0, n.length() - ".uri".length()) : n;
                AddressField p = predicted.get(key), g = outF.get(key);
                List<String> parts = p == null || g == null ? List.of() : differingParts(p, g);
                if (parts.isEmpty()) names.add(label(n));
                else names.addAll(parts);
            }
            return names;
        }

        /**
         * The parts of {@code f} whose value {@code g} does not have: the host, and the port in effect or its presence
         * (map_addr always writes ip:port, so a URI that gains a port departs from one that does not).
         */
        private List<String> differingParts(AddressField f, AddressField g) {
            List<String> names = new ArrayList<>(2);
            if (f.hostField() != null && !f.host().equals(g.host())) names.add(f.hostField());
            if (f.portField() != null && (f.effectivePort() != g.effectivePort() || (f.port() < 0) != (g.port() < 0))) {
                names.add(f.portField());
            }
            return names;
        }

        /** {@code alg.mangled}, naming where the problems are (or every changed field when the parser cannot say). */
        private void mangled(List<SipCopy.Problem> problems) {
            Set<String> names = new LinkedHashSet<>();
            for (SipCopy.Problem p : problems) if (!p.field().isEmpty()) names.add(p.field());
            if (names.isEmpty()) for (FieldChange c : diff.compactChanges()) names.add(label(c.name()));
            add(AlgFindingType.MANGLED, names, String.join("; ", problems.stream().map(SipCopy.Problem::toString).toList()));
        }

        /** A diff field name, with generic header names turned into readable ones ({@code header[1]} → {@code via[0]}). */
        private String label(String name) {
            if (name.startsWith("header[")) {
                int i = Integer.parseInt(name.substring(7, name.length() - 1));
                SipCopy c = i < in.headers().size() ? in : out;
                if (i < c.headers().size()) return c.headerLabel(i);
            }
            return name;
        }

        private String describe(Map<String, AddressField> f, Collection<String> names) {
            List<String> parts = new ArrayList<>();
            for (String n : names) {
                Span s = in.fields().get(n);
                if (s != null) parts.add(n + "=" + s.text());
            }
            return String.join(", ", parts);
        }

        private void privateOnWan() {
            SipCopy wan = diff.wan();
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (AddressField f : AddressField.of(wan).values()) {
                if (!f.ownsHost() || !f.hostIsIp()) continue;
                if (Endpoint.isPrivate(f.host()) || phones.contains(f.host())) {
                    names.add(f.hostField());
                    values.add(f.hostField() + "=" + f.host());
                }
            }
            if (!names.isEmpty()) add(AlgFindingType.PRIVATE_ADDRESS_ON_WAN, names, String.join(", ", values));
        }

        // ---- field outcomes

        /** The translation that concerns {@code f}, or null when the field is foreign. */
        private Translation ours(AddressField f) {
            if (!f.hostIsIp()) return null;
            Translation byHost = null;
            for (Translation t : translations) {
                if (!t.in().host().equals(f.host())) continue;
                if (f.role() == AddressRole.VIA_RPORT) {
                    if (t.in().port() == f.port()) return t;
                    continue;
                }
                if (f.portField() != null && f.role() != AddressRole.SDP_MEDIA_PORT && f.role() != AddressRole.SDP_RTCP
                        && t.in().port() == f.effectivePort()) {
                    return t;
                }
                if (byHost == null) byHost = t;
            }
            return f.role() == AddressRole.VIA_RPORT ? null : byHost;
        }

        /**
         * The hosts a field may be rewritten to without being wrong: the router's addresses (outbound) or the phones'
         * (inbound), and the translations' own. A view, not a copy: the context's sets grow with the phones of a case.
         */
        private java.util.function.Predicate<String> acceptableOther() {
            Set<String> known = pair.direction() == Direction.OUTBOUND ? routers
                    : phones;
            return host -> {
                if (known.contains(host)) return true;
                for (Translation t : translations) if (t.out().host().equals(host)) return true;
                return false;
            };
        }

        private void evaluate(Map<String, AddressField> inF, Map<String, AddressField> outF) {
            java.util.function.Predicate<String> other = acceptableOther();
            // Media addresses the router wrote for media of ours: SDP o= and session c= may be set to them.
            Set<String> mediaWritten = new HashSet<>();
            for (AddressField f : inF.values()) {
                AddressField g = outF.get(f.key());
                if (f.role() == AddressRole.SDP_MEDIA_PORT && g != null && ours(f) != null && !g.host().isEmpty()) {
                    mediaWritten.add(g.host());
                }
            }
            for (AddressField f : inF.values()) {
                AddressField g = outF.get(f.key());
                Translation t = ours(f);
                Kind k;
                if (g == null) {
                    k = Kind.REMOVED;
                } else if (f.role() == AddressRole.SDP_MEDIA_PORT || f.role() == AddressRole.SDP_RTCP && !f.ownsHost()) {
                    if (t == null) k = g.port() == f.port() ? Kind.UNTOUCHED : Kind.FOREIGN_REWRITTEN;
                    else k = g.port() == f.port() ? Kind.PORT_KEPT : Kind.PORT_MOVED;
                } else if (f.role() == AddressRole.VIA_RPORT) {
                    if (t == null) k = g.port() == f.port() ? Kind.UNTOUCHED : Kind.FOREIGN_REWRITTEN;
                    else if (g.port() == f.port()) k = Kind.NOT_REWRITTEN;
                    else k = g.port() == t.out().port() ? Kind.MAPPED : Kind.OTHER_PORT;
                } else {
                    boolean portRole = f.portField() != null && f.role() != AddressRole.SDP_RTCP;
                    boolean same = g.host().equals(f.host()) && (!portRole || g.effectivePort() == f.effectivePort());
                    if (t == null) {
                        if (same) k = Kind.UNTOUCHED;
                        else if ((f.role() == AddressRole.SDP_ORIGIN || f.role() == AddressRole.SDP_CONNECTION)
                                && mediaWritten.contains(g.host())) k = Kind.SET_TO_MEDIA;
                        else k = Kind.FOREIGN_REWRITTEN;
                    } else if (same) {
                        k = Kind.NOT_REWRITTEN;
                    } else if (g.host().equals(t.out().host())) {
                        int expectedPort = f.effectivePort() == t.in().port() ? t.out().port() : f.effectivePort();
                        k = portRole && g.effectivePort() != expectedPort ? Kind.OTHER_PORT : Kind.MAPPED;
                    } else {
                        k = other.test(g.host()) ? Kind.OTHER_ADDRESS : Kind.WRONG_ADDRESS;
                    }
                    if (f.role() == AddressRole.SDP_RTCP && k != Kind.REMOVED && g.port() != f.port()) {
                        // The rtcp port is judged like a media port, as its own outcome.
                        outcomes.add(new FieldOutcome(f.key() + ".port", f.role(), Integer.toString(f.port()),
                                Integer.toString(g.port()), t == null ? Kind.FOREIGN_REWRITTEN : Kind.PORT_MOVED));
                    }
                }
                outcomes.add(new FieldOutcome(f.key(), f.role(), f.render(), g == null ? "" : g.render(), k));
            }
            for (AddressField g : outF.values()) {
                if (!inF.containsKey(g.key())) outcomes.add(new FieldOutcome(g.key(), g.role(), "", g.render(), Kind.ADDED));
            }
        }

        private void outcomeFindings(Map<String, AddressField> inF, Map<String, AddressField> outF) {
            Map<String, AddressField> linux = diff.predicted().map(AddressField::of).orElse(Map.of());
            java.util.function.Predicate<String> other = acceptableOther();
            for (FieldOutcome o : outcomes) {
                // An a=rtcp port has its own outcome ("….rtcp.port") next to its address's: both belong to one field.
                String key = o.role() == AddressRole.SDP_RTCP && o.key().endsWith(".port")
                        ? o.key().substring(0, o.key().length() - ".port".length()) : o.key();
                AddressField f = inF.get(key);
                AddressField g = outF.get(key);
                String what = o.key() + ": " + o.before() + " -> " + o.after();
                switch (o.kind()) {
                    case NOT_REWRITTEN -> notRewritten(f, g, linux);
                    case OTHER_PORT -> add(AlgFindingType.OTHER_PORT, List.of(f.portField()), what);
                    case OTHER_ADDRESS -> add(AlgFindingType.OTHER_ADDRESS, f.partNames(), what);
                    case WRONG_ADDRESS -> add(AlgFindingType.WRONG_ADDRESS_WRITTEN, f.partNames(), what);
                    case FOREIGN_REWRITTEN -> add(AlgFindingType.FOREIGN_ADDRESS_REWRITTEN, changedParts(f, g, o.key()), what);
                    case PORT_MOVED -> portMoved(o, f, g);
                    case REMOVED -> add(AlgFindingType.UNEXPLAINED_CHANGE, f.partNames(), o.key() + " removed (" + o.before() + ")");
                    case ADDED -> add(g.hostIsIp() && other.test(g.host()) ? AlgFindingType.EXTRA_FIELD_REWRITTEN
                            : AlgFindingType.UNEXPLAINED_CHANGE, g.partNames(), o.key() + " added (" + o.after() + ")");
                    default -> {
                    }
                }
            }
        }

        /** The part names of {@code f} that differ in {@code g} (for an rtcp port outcome: the port). */
        private List<String> changedParts(AddressField f, AddressField g, String key) {
            if (f == null) return List.of(key);
            if (key.endsWith(".port") && f.role() == AddressRole.SDP_RTCP) return List.of(f.portField());
            List<String> names = new ArrayList<>();
            if (f.hostField() != null && (g == null || !g.host().equals(f.host()))) names.add(f.hostField());
            if (f.portField() != null && (g == null || g.effectivePort() != f.effectivePort())) names.add(f.portField());
            return names.isEmpty() ? f.partNames() : names;
        }

        /**
         * A field of ours the router left: a departure where it breaks the call, and where Linux would have rewritten
         * it ({@code linux}: the predicted output's fields).
         */
        private void notRewritten(AddressField f, AddressField g, Map<String, AddressField> linux) {
            String what = f.key() + " still " + f.render();
            AddressField predicted = linux.get(f.key());
            boolean linuxWould = predicted != null && !differingParts(f, predicted).isEmpty();
            switch (f.role()) {
                case CONTACT -> add(AlgFindingType.CONTACT_NOT_REWRITTEN, f.partNames(), what);
                case SDP_CONNECTION, SDP_MEDIA_CONNECTION -> add(AlgFindingType.SDP_CONNECTION_NOT_REWRITTEN, f.partNames(), what);
                case SDP_RTCP -> add(AlgFindingType.SDP_RTCP_NOT_REWRITTEN, List.of(f.hostField()), what);
                case VIA -> {
                    if (linuxWould) add(AlgFindingType.VIA_NOT_REWRITTEN, f.partNames(), what);
                }
                case VIA_RECEIVED, VIA_RPORT, VIA_MADDR -> {
                    if (linuxWould) add(AlgFindingType.VIA_PARAM_NOT_REWRITTEN, f.partNames(), what);
                }
                case REQUEST_URI -> {
                    if (linuxWould) add(AlgFindingType.REQUEST_URI_NOT_REWRITTEN, f.partNames(), what);
                }
                case FROM, TO -> {
                    if (linuxWould) add(AlgFindingType.FROM_TO_NOT_REWRITTEN, f.partNames(), what);
                }
                case SDP_ORIGIN -> {
                    if (linuxWould) add(AlgFindingType.SDP_ORIGIN_NOT_REWRITTEN, f.partNames(), what);
                }
                default -> {
                }
            }
        }

        private void portMoved(FieldOutcome o, AddressField f, AddressField g) {
            boolean rtcpPort = o.key().endsWith(".port");
            String name = f.portField();
            int fromPort = f.port(), toPort = g.port();
            Endpoint lanEp, wanEp;
            if (pair.direction() == Direction.OUTBOUND) {
                lanEp = new Endpoint(f.host(), fromPort);
                wanEp = new Endpoint(g.host(), toPort);
            } else {
                lanEp = new Endpoint(g.host(), toPort);
                wanEp = new Endpoint(f.host(), fromPort);
            }
            String what = (rtcpPort ? f.key() + ".port" : f.key()) + ": " + lanEp + " (LAN) / " + wanEp + " (WAN)";
            SdpPortMove move = new SdpPortMove(name, lanEp, wanEp, what);
            if (bindings.judgedLater()) {
                unjudgedPorts.add(move);
                return;
            }
            AlgFinding judged = move.finding(bindings, List.of());
            add(judged.type(), judged.fields(), judged.detail());
        }

        // ---- changes outside the address fields

        private void extraChanges(Map<String, AddressField> inF, Map<String, AddressField> outF) {
            Set<String> parts = new HashSet<>();
            for (AddressField f : inF.values()) parts.addAll(f.partNames());
            for (AddressField f : outF.values()) parts.addAll(f.partNames());
            for (FieldChange c : diff.compactChanges()) {
                if (parts.contains(c.name()) || c.name().equals("content-length")) continue;
                if (c.kind() == FieldChange.Kind.CHANGED && onlyAddressesDiffer(c, inF, outF)) continue;
                String what = label(c.name()) + ": " + (c.before() == null ? "(none)" : c.beforeText()) + " -> "
                        + (c.after() == null ? "(none)" : c.afterText());
                // judged on the bytes (a credential's text is redacted, its bytes are not)
                if (c.kind() == FieldChange.Kind.CHANGED && substituted(in.written(c.before())).equals(out.written(c.after()))) {
                    add(AlgFindingType.EXTRA_FIELD_REWRITTEN, List.of(label(c.name())), what);
                } else {
                    add(AlgFindingType.UNEXPLAINED_CHANGE, List.of(label(c.name())), what);
                }
            }
        }

        /** {@code text} with each translation's input endpoint (then address) replaced by its output one. */
        private String substituted(String text) {
            String s = text;
            for (Translation t : translations) {
                s = s.replace(t.in().toString(), t.out().toString());
                s = s.replace(t.in().host(), t.out().host());
            }
            return s;
        }

        /** Whether {@code c}'s bytes differ only inside the address parts of address fields it contains. */
        private boolean onlyAddressesDiffer(FieldChange c, Map<String, AddressField> inF, Map<String, AddressField> outF) {
            List<int[]> a = regions(in, inF, c.before()), b = regions(out, outF, c.after());
            if (a.isEmpty() && b.isEmpty()) return false;
            return Arrays.equals(cut(in.raw(), c.before(), a), cut(out.raw(), c.after(), b));
        }

        private List<int[]> regions(SipCopy copy, Map<String, AddressField> fs, Span within) {
            List<int[]> out = new ArrayList<>();
            for (AddressField f : fs.values()) {
                Span h = f.hostField() == null ? null : copy.fields().get(f.hostField());
                Span p = f.portField() == null ? null : copy.fields().get(f.portField());
                if (h != null && p != null && p.start() - h.end() <= 1 && p.start() >= h.end()) {
                    out.add(new int[] {h.start(), p.end()});
                } else {
                    if (h != null) out.add(new int[] {h.start(), h.end()});
                    if (p != null) out.add(new int[] {p.start(), p.end()});
                }
            }
            out.removeIf(r -> r[0] < within.start() || r[1] > within.end());
            out.sort(Comparator.comparingInt((int[] r) -> r[0]).thenComparingInt(r -> -r[1]));
            List<int[]> merged = new ArrayList<>();
            for (int[] r : out) {
                if (!merged.isEmpty() && r[0] < merged.get(merged.size() - 1)[1]) continue;
                merged.add(r);
            }
            return merged;
        }

        private byte[] cut(byte[] b, Span s, List<int[]> regions) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            int pos = s.start();
            for (int[] r : regions) {
                o.write(b, pos, r[0] - pos);
                o.write(0);
                pos = r[1];
            }
            o.write(b, pos, s.end() - pos);
            return o.toByteArray();
        }
    }

    // ---- moved SDP ports, judged once the bindings are known

    /**
     * The class and findings of a message whose moved SDP ports waited for the bindings
     * ({@link BindingLookup#later()}): its findings with the port findings merged in (in id order, as a message's
     * findings are), and its class with theirs; a byte-for-byte prediction keeps LINUX_LIKE.
     */
    public static JudgedPorts judgePorts(UnjudgedPorts u, BindingLookup bindings) {
        Map<AlgFindingType, List<AlgFinding>> byType = new EnumMap<>(AlgFindingType.class);
        for (SdpPortMove m : u.moves()) {
            AlgFinding f = m.finding(bindings, u.frames());
            byType.computeIfAbsent(f.type(), k -> new ArrayList<>()).add(f);
        }
        List<AlgFinding> added = new ArrayList<>();
        AlgClass c = u.algClass();
        for (Map.Entry<AlgFindingType, List<AlgFinding>> e : byType.entrySet()) {
            Set<String> names = new LinkedHashSet<>();
            for (AlgFinding f : e.getValue()) names.addAll(f.fields());
            added.add(new AlgFinding(e.getKey(), List.copyOf(names), u.frames(),
                    String.join("; ", e.getValue().stream().map(AlgFinding::detail).toList())));
            if (e.getKey().effect() == Effect.BROKEN && !u.predictionHolds()) c = AlgClass.BROKEN;
        }
        List<AlgFinding> all = new ArrayList<>(u.findings());
        all.addAll(added);
        all.sort(Comparator.comparing(AlgFinding::type));
        return new JudgedPorts(c, all, added);
    }

    /** What {@link #judgePorts} decided: the message's class and findings, and the findings it added. */
    public record JudgedPorts(AlgClass algClass, List<AlgFinding> findings, List<AlgFinding> added) {
    }
}
