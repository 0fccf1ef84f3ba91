package dev.natrecon.alg.sip;

import dev.natrecon.alg.sip.AlgFindingType.Effect;
import dev.natrecon.alg.sip.FieldOutcome.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The case verdict built one message at a time from the message verdicts of {@link SipRewriteClassifier}: what the
 * case rules below need of each message verdict, kept as counts, merged findings and, per
 * signalling flow and direction, how many messages were rewritten or left alone (with the fields and frames of the
 * latter, for the case findings), so that the verdicts themselves can go.
 *
 * <p>A message's class may be counted later than its findings ({@link #addMessage} then {@link #countClass}): the
 * replay learns the bindings that judge SDP ports only at the end, and a message whose ports wait for them gets its
 * class then, its port findings through {@link #addFindings}.
 *
 * <h2>Case rules</h2>
 * NEUTRAL messages are ignored. A direction is BROKEN when one of its messages is, else OTHER_CONSISTENT or LINUX_LIKE
 * when it has rewritten messages (OTHER_CONSISTENT if any is), else NO_ALG when it has NO_ALG messages, else NEUTRAL.
 * Per signalling flow (transport, internal and remote endpoint): rewritten messages in one direction and NO_ALG
 * messages in the other is {@code alg.one_direction_only} (BROKEN); rewritten and NO_ALG messages in the same direction
 * is {@code alg.inconsistent_across_messages} (BROKEN). Flows with rewrites next to flows whose messages are all NO_ALG
 * give {@code alg.some_flows_untouched} (info: a helper bound to some ports only). The case is BROKEN when a message or
 * a case rule is, else OTHER_CONSISTENT or LINUX_LIKE when any message was rewritten (OTHER_CONSISTENT if any is),
 * else NO_ALG when any message is, else NEUTRAL. Message findings are merged by id (fields and frames united).
 */
public final class CaseTally {
    private final Map<AlgClass, Integer> counts = new EnumMap<>(AlgClass.class);
    private final Map<Direction, Set<AlgClass>> classesByDirection = new EnumMap<>(Direction.class);
    private final Map<AlgFindingType, Set<String>> fields = new EnumMap<>(AlgFindingType.class);
    private final Map<AlgFindingType, Set<FrameRef>> frames = new EnumMap<>(AlgFindingType.class);
    private final Map<AlgFindingType, List<String>> details = new EnumMap<>(AlgFindingType.class);
    private final Map<String, Map<Direction, FlowDirection>> flows = new TreeMap<>();
    /** Orders the names of the untouched messages as the messages came (case findings list them in that order). */
    private long nameOrder;

    /** One flow in one direction: rewritten messages counted, untouched (NO_ALG) ones with their names and frames. */
    private static final class FlowDirection {
        int rewritten;
        int untouched;
        /** Made at the first untouched message: most flows are only rewritten (one per call of a busy case). */
        Map<String, Long> untouchedNames = Map.of();
        Set<FrameRef> untouchedFrames = Set.of();
    }

    /** A message's findings and flow; its class is counted separately ({@link #countClass}). */
    public void addMessage(MessageVerdict v) {
        addFindings(v.findings());
        AlgClass c = v.algClass();
        boolean untouched = c == AlgClass.NO_ALG;
        if (!untouched && (c == AlgClass.NEUTRAL || !v.rewritten())) return;
        FlowDirection fd = flows.computeIfAbsent(v.pair().flow(), k -> new EnumMap<>(Direction.class))
                .computeIfAbsent(v.pair().direction(), k -> new FlowDirection());
        if (!untouched) {
            fd.rewritten++;
            return;
        }
        if (fd.untouched++ == 0) {
            fd.untouchedNames = new LinkedHashMap<>();
            fd.untouchedFrames = new TreeSet<>();
        }
        fd.untouchedFrames.addAll(v.pair().frames());
        for (AlgFinding f : v.findings()) {
            if (f.type().effect() == Effect.EVIDENCE) for (String n : f.fields()) fd.untouchedNames.putIfAbsent(n, nameOrder++);
        }
        for (FieldOutcome o : v.outcomes()) if (o.kind() == Kind.NOT_REWRITTEN) fd.untouchedNames.putIfAbsent(o.key(), nameOrder++);
    }

    /** Message findings, merged by id (fields and frames united, up to five distinct details). */
    public void addFindings(List<AlgFinding> findings) {
        for (AlgFinding f : findings) {
            fields.computeIfAbsent(f.type(), k -> new LinkedHashSet<>()).addAll(f.fields());
            frames.computeIfAbsent(f.type(), k -> new TreeSet<>()).addAll(f.frames());
            if (!f.detail().isEmpty()) {
                List<String> d = details.computeIfAbsent(f.type(), k -> new ArrayList<>());
                if (d.size() < 5 && !d.contains(f.detail())) d.add(f.detail());
            }
        }
    }

    /** A message's class, in its direction. */
    public void countClass(Direction d, AlgClass c) {
        counts.merge(c, 1, Integer::sum);
        classesByDirection.computeIfAbsent(d, k -> EnumSet.noneOf(AlgClass.class)).add(c);
    }

    /** The case verdict of what was added so far; {@code messages} are the verdicts kept, if any. */
    public CaseVerdict verdict(List<MessageVerdict> messages) {
        Map<Direction, AlgClass> byDirection = new EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) byDirection.put(d, worst(classesByDirection.getOrDefault(d, Set.of())));
        List<AlgFinding> findings = new ArrayList<>();
        for (Map.Entry<AlgFindingType, Set<String>> e : fields.entrySet()) {
            findings.add(new AlgFinding(e.getKey(), List.copyOf(e.getValue()), List.copyOf(frames.get(e.getKey())),
                    String.join(" | ", details.getOrDefault(e.getKey(), List.of()))));
        }
        List<String> rewritingFlows = new ArrayList<>(), untouchedFlows = new ArrayList<>();
        List<FlowDirection> untouchedGroups = new ArrayList<>();
        boolean caseBroken = false;
        for (Map.Entry<String, Map<Direction, FlowDirection>> e : flows.entrySet()) {
            Map<Direction, FlowDirection> flow = e.getValue();
            boolean rewriting = flow.values().stream().anyMatch(fd -> fd.rewritten > 0);
            if (rewriting) rewritingFlows.add(e.getKey());
            else if (flow.values().stream().anyMatch(fd -> fd.untouched > 0)) {
                untouchedFlows.add(e.getKey());
                untouchedGroups.addAll(flow.values());
            }
            for (Direction d : Direction.values()) {
                Direction o = d == Direction.OUTBOUND ? Direction.INBOUND : Direction.OUTBOUND;
                FlowDirection here = flow.get(d), there = flow.get(o);
                if (here == null || here.rewritten == 0) continue;
                if (there != null && there.untouched > 0 && there.rewritten == 0) {
                    findings.add(caseFinding(AlgFindingType.ONE_DIRECTION_ONLY, List.of(there), e.getKey() + ": "
                            + here.rewritten + " " + lower(d) + " message(s) rewritten, " + there.untouched + " "
                            + lower(o) + " message(s) left untranslated"));
                    caseBroken = true;
                }
                if (here.untouched > 0) {
                    findings.add(caseFinding(AlgFindingType.INCONSISTENT_ACROSS_MESSAGES, List.of(here), e.getKey() + ": "
                            + here.rewritten + " " + lower(d) + " message(s) rewritten, " + here.untouched + " not"));
                    caseBroken = true;
                }
            }
        }
        if (!rewritingFlows.isEmpty() && !untouchedFlows.isEmpty()) {
            findings.add(caseFinding(AlgFindingType.SOME_FLOWS_UNTOUCHED, untouchedGroups, "rewritten on "
                    + String.join(", ", rewritingFlows) + "; untouched on " + String.join(", ", untouchedFlows)));
        }
        AlgClass c;
        if (caseBroken || counts.containsKey(AlgClass.BROKEN)) c = AlgClass.BROKEN;
        else c = worst(counts.keySet());
        return new CaseVerdict(c, byDirection, counts, findings, messages);
    }

    private static String lower(Direction d) {
        return d.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A case finding about the untouched messages of {@code groups}: their frames, their names in message order. */
    private static AlgFinding caseFinding(AlgFindingType type, List<FlowDirection> groups, String detail) {
        Map<String, Long> first = new HashMap<>();
        Set<FrameRef> frames = new TreeSet<>();
        for (FlowDirection g : groups) {
            frames.addAll(g.untouchedFrames);
            g.untouchedNames.forEach((n, order) -> first.merge(n, order, Math::min));
        }
        List<String> names = new ArrayList<>(first.keySet());
        names.sort(Comparator.comparing(first::get));
        return new AlgFinding(type, names, List.copyOf(frames), detail);
    }

    /** BROKEN over OTHER_CONSISTENT over LINUX_LIKE over NO_ALG; NEUTRAL when none of them. */
    static AlgClass worst(Set<AlgClass> classes) {
        for (AlgClass c : List.of(AlgClass.BROKEN, AlgClass.OTHER_CONSISTENT, AlgClass.LINUX_LIKE, AlgClass.NO_ALG)) {
            if (classes.contains(c)) return c;
        }
        return AlgClass.NEUTRAL;
    }
}
