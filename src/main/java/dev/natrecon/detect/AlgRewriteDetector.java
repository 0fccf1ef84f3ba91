package dev.natrecon.detect;

import dev.natrecon.alg.sip.AlgFinding;
import dev.natrecon.alg.sip.AlgFindingType;
import dev.natrecon.alg.sip.CaseVerdict;
import dev.natrecon.alg.sip.FrameRef;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code alg.*}: the SIP rewrite analysis' findings ({@link AlgFindingType}, one rule per type with the type's own id
 * and description) as findings, one per type and call (Call-ID), with the frames of both copies, the fields named and a
 * display filter per side. Severity follows the type's effect on the message class: BROKEN an error, OTHER a warning,
 * EVIDENCE (what a message no ALG touched shows) a warning for a private address left on the WAN and info for the
 * router's address left on the LAN, INFO info.
 *
 * <p>The analysis merges its message findings by type (frames united), so the calls are told apart here: the replay's
 * SIP frames are indexed by capture and frame number to their Call-ID (a few bytes per SIP message, the one piece of
 * state here that grows with the number of messages rather than calls; the analysis itself holds far more per
 * message). With per-message verdicts from the analysis this index would go.
 */
final class AlgRewriteDetector implements Detector {
    static final String FIX_BROKEN = "Turn the router's SIP ALG off: on Linux `modprobe -r nf_nat_sip nf_conntrack_sip` (and "
            + "blacklist them, or drop the `ct helper set \"sip\"` / `-j CT --helper sip` rule), on a vendor router disable "
            + "\"SIP ALG\" / \"SIP passthrough\" / \"SIP helper\" in its UI. Then let the phone handle NAT itself: rport "
            + "(RFC 3581), STUN, keep-alives, an outbound proxy (RFC 5626), or the provider's far-end NAT traversal / SBC.";
    static final String FIX_NO_ALG = "Nothing rewrote the SIP text, so the provider sees the phone's private addresses. "
            + "Either the phone traverses the NAT itself (enable rport, STUN or ICE, an outbound proxy, NAT keep-alives) or "
            + "the provider's SBC does far-end NAT traversal (uses the packet's source instead of Via/Contact/SDP). "
            + "Do not fix it by turning on a broken ALG.";
    static final String FIX_INFO = "None needed by itself; it explains other findings.";
    static final String RULE_TEXT = "From the SIP rewrite analysis (sip.csv): each SIP message seen on both sides is "
            + "compared field by field with its copy on the other side and with what Linux nf_nat_sip would have written. "
            + "One finding per type and call (Call-ID), listing the fields, the LAN and WAN frames of every message "
            + "concerned and the analysis' own sentences with the values. This type: ";

    /**
     * Call-IDs and SIP frames remembered to attribute the rewrite analysis' findings to calls: about 150 bytes a call
     * and 20-30 a frame ({@link FrameCalls}), so 100,000 calls and 250,000 SIP frames per side stay near 30 MiB in
     * the worst case, and a real case (a few thousand calls, tens of thousands of SIP messages) uses a few MiB. Past
     * them, later messages are left out of the attribution (their findings name no call) and the case says so
     * ({@code detect.too_many_calls}).
     */
    static final int MAX_CALLS = 100_000;
    static final int MAX_FRAMES_PER_SIDE = 250_000;

    private long notRemembered;
    private final Map<String, Integer> callIndex = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    /** The first SIP message's time: the time of a finding whose frames name no message seen here. */
    private long firstSip = Long.MAX_VALUE;
    /** Per capture ("lan", "wan"): SIP frame number to its call and time. */
    private final Map<String, FrameCalls> frameCall = Map.of("lan", new FrameCalls(), "wan", new FrameCalls());

    static Severity severity(AlgFindingType t) {
        return switch (t.effect()) {
            case BROKEN -> Severity.ERROR;
            case OTHER -> Severity.WARNING;
            case EVIDENCE -> t == AlgFindingType.PRIVATE_ADDRESS_ON_WAN ? Severity.WARNING : Severity.INFO;
            case INFO -> Severity.INFO;
        };
    }

    static Rule rule(AlgFindingType t) {
        String fix = switch (t.effect()) {
            case BROKEN, OTHER -> FIX_BROKEN;
            case EVIDENCE -> t == AlgFindingType.PRIVATE_ADDRESS_ON_WAN ? FIX_NO_ALG : FIX_INFO;
            case INFO -> FIX_INFO;
        };
        return new Rule(t.id(), severity(t), "SIP ALG: " + t.description(), RULE_TEXT + t.description() + " (effect on "
                + "the message class: " + t.effect().name().toLowerCase(Locale.ROOT) + ").",
                List.of("none: one message is enough"), fix,
                List.of("../shared/reference/linux-netfilter.md (nf_nat_sip)", "RFC 3261", "RFC 3581", "RFC 5626",
                        "sip.csv of the case"));
    }

    private static final List<Rule> RULES = java.util.Arrays.stream(AlgFindingType.values()).map(AlgRewriteDetector::rule)
            .toList();

    @Override
    public List<Rule> rules() {
        return RULES;
    }

    /** SIP messages only. */
    @Override
    public int interest() {
        return PacketKinds.PAYLOAD;
    }

    @Override
    public void packet(Crossing c) {
        Seen s = c.seen();
        if (s.payload == null || s.captureLabel != null) return;
        String callId = SipFacts.callId(s.payload);
        if (callId == null) return;
        firstSip = Math.min(firstSip, s.nanos);
        FrameCalls frames = frameCall.get(s.side.label());
        Integer i = callIndex.get(callId);
        if (i == null && calls.size() >= MAX_CALLS || frames.size() >= MAX_FRAMES_PER_SIDE) {
            notRemembered++;
            return;
        }
        if (i == null) {
            calls.add(callId);
            i = calls.size() - 1;
            callIndex.put(callId, i);
        }
        frames.put(s.frame, i, s.nanos);
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return notRemembered == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.CALLS, notRemembered);
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        CaseVerdict verdict = context == null || context.sipVerdict() == null ? null : context.sipVerdict().get();
        if (verdict == null) return;
        for (AlgFinding f : verdict.findings()) {
            Rule rule = RULES.get(f.type().ordinal());
            // frames per call (-1: frames no SIP message of a call was seen in)
            Map<Integer, List<FrameRef>> byCall = new LinkedHashMap<>();
            for (FrameRef r : f.frames()) {
                String side = sideOf(r);
                int call = side == null ? -1 : frameCall.get(side).call(r.frame());
                byCall.computeIfAbsent(call, k -> new ArrayList<>()).add(r);
            }
            if (byCall.isEmpty()) byCall.put(-1, List.of());
            for (Map.Entry<Integer, List<FrameRef>> e : byCall.entrySet()) {
                String callId = e.getKey() < 0 ? "" : calls.get(e.getKey());
                findings.accept(finding(rule, f, callId, e.getValue(), byCall.size() > 1));
            }
        }
    }

    /** {@code split}: the analysis' finding spans several calls, and its fields and values are the whole case's. */
    private Finding finding(Rule rule, AlgFinding f, String callId, List<FrameRef> frames, boolean split) {
        Finding.Builder b = Finding.of(rule);
        Map<String, TreeSet<Long>> bySide = new LinkedHashMap<>();
        boolean timed = false;
        for (FrameRef r : frames) {
            String side = sideOf(r);
            if (side == null) side = r.capture().label();
            b.frame(side, r.frame());
            FrameCalls sideFrames = frameCall.get(side);
            if (sideFrames.contains(r.frame())) {
                b.at(sideFrames.nanos(r.frame()));
                timed = true;
            }
            bySide.computeIfAbsent(side, k -> new TreeSet<>()).add(r.frame());
        }
        if (!timed) b.at(firstSip == Long.MAX_VALUE ? 0 : firstSip);
        String quoted = callId.replace("\\", "\\\\").replace("\"", "\\\"");
        for (String side : List.of("lan", "wan")) {
            TreeSet<Long> fs = bySide.get(side);
            if (fs == null) continue;
            String byFrames = DisplayFilters.frames(fs);
            b.filter(side, callId.isEmpty() ? byFrames : "sip.Call-ID == \"" + quoted + "\" && " + byFrames);
        }
        int lan = bySide.getOrDefault("lan", new TreeSet<>()).size(), wan = bySide.getOrDefault("wan", new TreeSet<>()).size();
        b.subject(callId.isEmpty() ? "case" : "call " + callId).message(message(f, callId, lan, wan, split))
                .detail("fields", String.join(" ", f.fields()));
        if (!callId.isEmpty()) b.detail("Call-ID", callId);
        return b.build();
    }

    /**
     * The capture a frame of the analysis is on: its own label, or the other side when the replay saw no SIP frame of
     * that number there but did on the other. The analysis pairs a packet the router routed back out of the LAN with
     * its second LAN copy and labels that copy "wan" (stale-mapping: LAN 11 and 12 named lan:11 / wan:12); the frame
     * exists on the LAN only. Null when neither side has it.
     */
    private String sideOf(FrameRef r) {
        String own = r.capture().label(), other = own.equals("lan") ? "wan" : "lan";
        if (frameCall.get(own).contains(r.frame())) return own;
        return frameCall.get(other).contains(r.frame()) ? other : null;
    }

    /**
     * What happened first (the call, its frames and the values the router left or wrote), then what that means (the
     * type's description) and the fields concerned: "In call X (2 LAN and 2 WAN frames): via[0].host=192.168.1.10.
     * A private address is left in an address field of the WAN copy (Via, Contact, SDP…); fields: via[0].host."
     */
    static String message(AlgFinding f, String callId, int lan, int wan, boolean split) {
        String where = callId.isEmpty() ? "" : String.format(Locale.ROOT, "In call %s (%d LAN and %d WAN frame%s)",
                callId, lan, wan, lan + wan == 1 ? "" : "s");
        String what = f.detail().isEmpty() ? "" : f.detail() + (split ? " (values in all calls)" : "");
        String happened = where.isEmpty() ? (what.isEmpty() ? "" : "In the captures: " + what)
                : what.isEmpty() ? where : where + ": " + what;
        String fields = f.fields().isEmpty() ? "" : "; fields" + (split ? " in all calls" : "") + ": "
                + String.join(", ", f.fields());
        String meaning = capitalise(f.type().description()) + fields + ".";
        return happened.isEmpty() ? meaning : (happened.endsWith(".") ? happened : happened + ".") + " " + meaning;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
