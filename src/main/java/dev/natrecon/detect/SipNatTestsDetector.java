package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code sip.nat_tests}: Kamailio's {@code nat_uac_test} checks on every REGISTER and INVITE, per sender (From AOR)
 * and per side: what a registrar or proxy would conclude about NAT from the LAN copy (before the router) and from the
 * WAN copy (what the provider receives). One info finding per AOR; state is one small counter set per AOR and side
 * for the AORs whose finding is kept ({@link Detection#MAX_FINDINGS_PER_RULE}, the first seen), and a 64-bit hash of
 * each later one, which is only counted ({@link #findingsNotKept}).
 */
final class SipNatTestsDetector implements Detector {
    private final SipFacts.Memo sipFacts;

    SipNatTestsDetector(SipFacts.Memo sipFacts) {
        this.sipFacts = sipFacts;
    }

    static final Rule RULE = new Rule("sip.nat_tests", Severity.INFO,
            "SIP NAT tests (Kamailio nat_uac_test) per phone and side",
            "For every REGISTER and INVITE request, grouped by the From AOR, on each side (LAN copy, WAN copy): how many "
                    + "messages had (flag 1) a private Contact address, (4) a private top Via host, (2) a top Via host "
                    + "other than the packet's source address, (16) a Via port other than the source port, (32) a private "
                    + "source address, (128) a Contact port other than the source port, (8) a private SDP c= address, "
                    + "(256) an SDP c= other than the source address; and whether the top Via asked for rport "
                    + "(RFC 3581) or carried received=. Private here is nat_uac_test's: RFC 1918 and RFC 6598 shared "
                    + "space (or the case's --inside networks). On the WAN copy these are what the provider sees: any of 1, 2, 4, "
                    + "8, 16, 128, 256 there means the provider must apply far-end NAT traversal (or the ALG failed); on "
                    + "the LAN copy they describe the phone.",
            List.of("none: counts only"),
            "Context, no fix by itself. If the WAN copy fails tests, the provider must fix NAT (fix_nated_contact, "
                    + "force_rport, rtpproxy/rtpengine) or the phone must be NAT-aware (rport, STUN, outbound); see alg.* "
                    + "and rtp.sdp_private_address_on_wan.",
            List.of("Kamailio nathelper module: nat_uac_test", "RFC 3581", "RFC 5626"));

    private static final String[] TESTS = {"private Contact (1)", "Via host != source (2)", "private Via (4)",
            "private SDP (8)", "Via port != source port (16)", "private source (32)", "Contact port != source port (128)",
            "SDP c= != source (256)", "rport requested", "received= present"};

    private static final class Counts {
        final Finding.Builder frames = Finding.of(RULE);
        final int[][] hits = new int[2][TESTS.length];
        final int[] messages = new int[2];
        int invites, registers;
        boolean inviteFirst;
        String phone = "";

        void method(String method) {
            if (invites == 0 && registers == 0) inviteFirst = "INVITE".equals(method);
            if ("INVITE".equals(method)) invites++;
            else registers++;
        }

        /** "2 REGISTER, 1 INVITE": the methods counted, in the order each was first seen. */
        String methods() {
            String invite = invites == 0 ? "" : invites + " INVITE", register = registers == 0 ? "" : registers + " REGISTER";
            String first = inviteFirst ? invite : register, second = inviteFirst ? register : invite;
            return first.isEmpty() ? second : second.isEmpty() ? first : first + ", " + second;
        }
    }

    /**
     * The From AORs whose finding is kept: only the first {@link Detection#MAX_FINDINGS_PER_RULE} of a rule's findings
     * are (the rest are counted), so the AORs seen after them are only counted, as distinct texts, and hold no counters.
     */
    private final Map<String, Counts> byAor = new LinkedHashMap<>();
    private final DistinctTexts unkept = new DistinctTexts();

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    /** SIP messages only. */
    @Override
    public int interest() {
        return PacketKinds.PAYLOAD;
    }

    @Override
    public void packet(Crossing crossing) {
        Seen s = crossing.seen();
        if (s.payload == null || s.captureLabel != null || s.side == null) return;
        SipFacts f = sipFacts.of(crossing);
        if (f == null || !f.request() || !("REGISTER".equals(f.method()) || "INVITE".equals(f.method()))) return;
        Counts c = byAor.get(f.fromAor());
        if (c == null) {
            if (byAor.size() >= Detection.MAX_FINDINGS_PER_RULE) {
                unkept.add(f.fromAor());
                return;
            }
            byAor.put(f.fromAor(), c = new Counts());
        }
        int side = s.side.ordinal();
        c.messages[side]++;
        // each message once: the copy arriving at the router (a routed-back pair's second copy is the same message)
        if (crossing.role() == Crossing.Role.ARRIVING) c.method(f.method());
        if (c.phone.isEmpty() && s.side == Side.LAN && f.outbound()) c.phone = f.source().text();
        c.frames.at(s.nanos).frame(s.side.label(), s.frame);
        SipFacts.Host src = f.source(), via = f.via();
        boolean[] t = new boolean[TESTS.length];
        for (SipFacts.Host h : f.contacts()) {
            t[0] |= h.isInside();
            t[6] |= (h.port() < 0 ? 5060 : h.port()) != src.port();
        }
        if (via != null) {
            t[1] = !via.sameAddress(src.hi(), src.lo());
            t[2] = via.isInside();
            t[4] = via.port() != src.port();
        }
        for (SipFacts.Media m : f.media()) {
            if (m.endpoint().host().isEmpty()) continue;
            t[3] |= m.endpoint().isInside();
            t[7] |= !m.endpoint().sameAddress(src.hi(), src.lo());
        }
        t[5] = src.isInside();
        t[8] = f.viaRport();
        t[9] = f.viaReceived();
        for (int i = 0; i < t.length; i++) if (t[i]) c.hits[side][i]++;
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Map.Entry<String, Counts> e : byAor.entrySet()) {
            Counts c = e.getValue();
            List<String> sides = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                String label = side == 0 ? "lan" : "wan";
                List<String> hit = new ArrayList<>();
                for (int i = 0; i < TESTS.length; i++) {
                    if (c.hits[side][i] > 0) hit.add(TESTS[i] + " " + c.hits[side][i] + "/" + c.messages[side]);
                }
                c.frames.detail(label + " messages", c.messages[side])
                        .detail(label + " tests", hit.isEmpty() ? "none" : String.join(", ", hit));
                if (c.messages[side] > 0) {
                    sides.add(label.toUpperCase(Locale.ROOT) + ": " + (hit.isEmpty() ? "no test fires" : String.join(", ", hit)));
                }
            }
            String aor = e.getKey();
            String user = aor.indexOf('@') > 0 ? aor.substring(0, aor.indexOf('@')).replace("\"", "\\\"") : "";
            String filter = "(sip.Method == \"REGISTER\" || sip.Method == \"INVITE\")"
                    + (user.isEmpty() ? "" : " && sip.from.user == \"" + user + "\"");
            for (int side = 0; side < 2; side++) if (c.messages[side] > 0) c.frames.filter(side == 0 ? "lan" : "wan", filter);
            String methods = c.methods();
            findings.accept(c.frames.subject(e.getKey().isEmpty() ? "(no From)" : e.getKey())
                    .message("NAT tests for " + e.getKey() + (c.phone.isEmpty() ? "" : " (phone " + c.phone + ")")
                            + (methods.isEmpty() ? "" : ", " + methods) + ": " + String.join("; ", sides) + ".")
                    .detail("methods", methods)
                    .build());
        }
    }

    @Override
    public Map<String, Long> findingsNotKept() {
        return unkept.size() == 0 ? Map.of() : Map.of(RULE.id(), (long) unkept.size());
    }
}
