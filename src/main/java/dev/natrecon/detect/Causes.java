package dev.natrecon.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What "one finding" means per rule: the instances of one rule id, severity and cause ({@link Finding#cause}) are one
 * finding with a count ({@link FindingGroup}), ordered most severe first, then by the first instance's time; every
 * instance stays a row of findings.csv. {@code natrecon explain ID} prints the cause of each rule.
 */
public final class Causes {
    private Causes() {
    }

    /** Per rule id, what the instances of one finding share (the same words {@code explain} prints). */
    private static final Map<String, String> CAUSE = Map.ofEntries(
            Map.entry("nat.port_clash", "the router's external address (every binding remapped or shared behind "
                    + "one external address is one finding)"),
            Map.entry("nat.private_source_leak", "the internal host (every flow that left the WAN with one private "
                    + "source address is one finding)"),
            Map.entry("keepalive.gap_exceeds_timeout", "the binding (internal endpoint and remote)"),
            Map.entry("nat.stale_mapping", "the flow whose entry stayed alive"),
            Map.entry("nat.behaviour", "the router"),
            Map.entry("sip.nat_tests", "the SIP user (From)"),
            Map.entry("sip.private_address_sent", "the sender behind the NAT (each private field, Via, "
                    + "Contact or SDP, is an instance)"),
            Map.entry("rtp.one_way", "the call (Call-ID)"),
            Map.entry("rtp.asymmetric", "the call (Call-ID)"),
            Map.entry("rtp.sdp_private_address_on_wan", "the call (Call-ID)"),
            Map.entry("rtp.no_media_after_answer", "the call (Call-ID)"),
            Map.entry("expect.sip_dropped", "the flow of the dropped SIP messages"),
            Map.entry("expect.table_full", "the flow whose expectation could not be added"),
            Map.entry("expect.master_limit", "the master entry and its helper class"));

    /** What the instances of one finding of {@code ruleId} share; "the subject" for a rule not listed. */
    public static String of(String ruleId) {
        if (ruleId.startsWith("alg.")) return CAUSE.getOrDefault(ruleId, "the call (Call-ID)");
        return CAUSE.getOrDefault(ruleId, "the subject (the flow, binding or call it is about)");
    }

    /** What makes instances one finding: rule id, severity and cause. */
    static String key(Finding f) {
        return f.id() + '\u0000' + f.severity() + '\u0000' + f.cause();
    }

    /**
     * The findings ({@link Detection#ORDER}) as groups: one per rule id, severity and cause, in the order of their
     * first instance.
     */
    public static List<FindingGroup> group(List<Finding> findings) {
        Map<String, List<Finding>> byCause = new LinkedHashMap<>();
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            String key = key(f);
            byCause.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
            firstIndex.putIfAbsent(key, i);
        }
        List<FindingGroup> out = new ArrayList<>(byCause.size());
        for (Map.Entry<String, List<Finding>> e : byCause.entrySet()) {
            out.add(new FindingGroup(out.size() + 1, firstIndex.get(e.getKey()), e.getValue()));
        }
        return out;
    }

    /**
     * {@code findings} ({@link Detection#ORDER}) with the instances of each group together, groups in the order of
     * their first instance: the order of findings.csv and report.html, so a group's instances are contiguous.
     */
    public static List<Finding> contiguous(List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (FindingGroup g : group(findings)) out.addAll(g.instances());
        return out;
    }
}
