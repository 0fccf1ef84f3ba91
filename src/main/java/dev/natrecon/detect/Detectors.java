package dev.natrecon.detect;

import dev.natrecon.correlate.Inside;
import java.util.ArrayList;
import java.util.List;

/** The explicit registry of detectors: a new detector is added here, nowhere else. */
public final class Detectors {
    private Detectors() {
    }

    /** Fresh instances of every detector (detectors keep per-run state), reading the model's entries from {@code entries}. */
    public static List<Detector> all(LiveEntries entries, Inside inside) {
        return build(entries, inside, false);
    }

    private static List<Detector> build(LiveEntries entries, Inside inside, boolean oneSide) {
        KeepaliveDetector keepalive = new KeepaliveDetector();
        SipFacts.Memo sipFacts = new SipFacts.Memo(inside); // media and NAT tests read the same SIP messages
        // nat.behaviour reads the keepalive timeline at the end: it comes after keepalive
        return List.of(new PrivateSourceLeakDetector(entries), new StaleMappingDetector(entries, inside),
                new PortClashDetector(entries, inside), new ExpectDetector(), keepalive, new NatBehaviourDetector(keepalive),
                new AlgRewriteDetector(), new MediaDetector(sipFacts, oneSide), new SipNatTestsDetector(sipFacts),
                new RtpHopDetector(),
                new OutageDetector());
    }

    /**
     * The detectors for one capture of one side: every detector of {@link #all} (the findings that need both sides are
     * left out afterwards, {@link OneSide}) and the one-sided ones, which read what the far side reports.
     */
    public static List<Detector> oneSide(LiveEntries entries, Inside inside) {
        List<Detector> out = new ArrayList<>(build(entries, inside, true));
        SipFacts.Memo sipFacts = new SipFacts.Memo(inside); // the one-sided detectors read the same SIP messages
        out.add(new FarSideMappingDetector(sipFacts));
        out.add(new SipPrivateFieldsDetector(sipFacts));
        out.add(new AlgMappedBackDetector(sipFacts));
        out.add(new AlgExternalWrittenDetector(sipFacts));
        return List.copyOf(out);
    }

    /** Every rule of every detector, in registry order (unmodifiable). */
    public static List<Rule> rules() {
        return Registered.RULES;
    }

    /** The rule with this id, or null. */
    public static Rule rule(String id) {
        for (Rule r : Registered.RULES) if (r.id().equals(id)) return r;
        return null;
    }

    /**
     * The rules, collected once: each detector's rules are constants, but collecting them builds every detector, whose
     * per-run state is large (the report asked once per finding group: about 75 MB of garbage and 20 ms of the end of
     * the run on the bench pair, on the path to report.html).
     */
    private static final class Registered {
        static final List<Rule> RULES = collect();

        private static List<Rule> collect() {
            List<Rule> out = new ArrayList<>();
            for (Detector d : oneSide(new LiveEntries(), Inside.privateRanges())) out.addAll(d.rules());
            return List.copyOf(out);
        }
    }
}
