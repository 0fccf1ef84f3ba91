package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code sip.private_address_sent}: from one capture of one side, the SIP messages a party behind a NAT sent towards
 * the far side with a private address in its top Via (requests), a Contact or an SDP connection address: Kamailio's
 * {@code nat_uac_test} flags 4, 1 and 8, per message rather than per phone ({@link SipNatTestsDetector} counts them).
 * One instance per sender and field, listing the frames (at most {@link Finding#MAX_FRAMES}, the rest counted) with
 * a display filter; a sender's instances are one finding for a person ({@link Causes}: the cause is the sender).
 *
 * <p>Who sent a message towards the far side: on a LAN capture, a sender at an inside address; on a WAN capture, a
 * sender the far side named as the source it saw (a response's top Via {@code received=} equal to its destination,
 * RFC 3581), or the source of a request whose top Via host is private (the request came from behind a NAT that left
 * its Via alone). Messages to a private or inside destination are left out: they do not cross to the outside
 * (an operator's private voice network, two phones behind one router). A response's top Via is the requester's
 * own, so it is not the sender's field and is not tested.
 * Senders are judged at the end: the far side's {@code received=} comes after the request it answers.
 *
 * <p>Private is RFC 1918 / RFC 4193 only (or the case's {@code --inside} networks when given:
 * {@link dev.natrecon.correlate.Inside#leaksOnWan}); Kamailio's nat_uac_test also counts RFC 6598
 * shared space (100.64.0.0/10), which is a carrier NAT's subscriber range: an address there is the router's WAN side,
 * not its LAN, so it is not listed here.
 */
final class SipPrivateFieldsDetector implements Detector {
    static final Rule RULE = new Rule("sip.private_address_sent", Severity.INFO,
            "Private addresses sent towards the far side (Via, Contact, SDP), per message",
            "From one capture: every SIP message that the party behind the NAT sent towards the far side with a "
                    + "private "
                    + "address (RFC 1918 10/8, 172.16/12, 192.168/16; RFC 4193 fc00::/7) in its top Via (requests), "
                    + "in a Contact, or as an SDP connection (c=) address, as Kamailio's nat_uac_test flags 4, 1 and 8 "
                    + "test them; one finding per sender and field, listing the frames. Unlike nat_uac_test, RFC 6598 "
                    + "shared space (100.64.0.0/10) is not counted as private: it is a carrier NAT's subscriber range, "
                    + "the router's WAN side. From a WAN capture these are what the far side received; from a LAN "
                    + "capture they are what the phone sent, and whether a SIP helper on the router rewrote them "
                    + "before the far side got them needs the WAN side.",
            List.of("none: one message is enough"),
            "The far side must apply far-end NAT traversal to these messages (fix_nated_contact / fix_nated_register, "
                    + "force_rport, a media relay for the SDP), or the phone must learn and advertise its external "
                    + "endpoint (rport, STUN, RFC 5626 outbound). A private SDP address without a relay means no "
                    + "media towards the phone unless the far side latches onto the source (symmetric RTP).",
            List.of("Kamailio nathelper module: nat_uac_test", "RFC 1918", "RFC 4193", "RFC 6598", "RFC 3581"));

    /** The fields tested, in report order, with the nat_uac_test flag that tests each. */
    enum Field {
        VIA("top Via", 4, "sip.Via"), CONTACT("Contact", 1, "sip.Contact"), SDP("SDP c=", 8, "sdp.connection_info");

        final String label;
        final int flag;
        final String wiresharkField;

        Field(String label, int flag, String wiresharkField) {
            this.label = label;
            this.flag = flag;
            this.wiresharkField = wiresharkField;
        }
    }

    /**
     * Senders followed at most (a ticket capture shows a handful of phones; the bound keeps a flood's state small).
     */
    static final int MAX_SENDERS = 4_096;

    /** One sender's messages with one private field. */
    private static final class Hits {
        final Finding.Builder finding = Finding.of(RULE);
        final Set<String> values = new LinkedHashSet<>();
        final Map<String, Integer> what = new LinkedHashMap<>();
        final Set<String> aors = new LinkedHashSet<>();
        long senderHi, senderLo;
        String capture = "";
        long lastFrame = -1;
        int messages;
    }

    private final SipFacts.Memo sipFacts;
    /** Per sender address and field. */
    private final Map<String, Hits[]> bySender = new LinkedHashMap<>();
    /** Senders known to be behind a NAT, as address text (see the class comment). */
    private final Set<String> nearSenders = new HashSet<>();
    /** Past the bound: counted (each once, up to as many again), not followed ({@code detect.too_many_endpoints}). */
    private final OverflowCount unfollowed = new OverflowCount(MAX_SENDERS);
    private long notFollowed;

    SipPrivateFieldsDetector(SipFacts.Memo sipFacts) {
        this.sipFacts = sipFacts;
    }

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
        if (f == null) return;
        String sender = Addresses.format(s.srcHi, s.srcLo);
        if (!f.request() && f.viaMapped() != null && f.viaMapped().sameAddress(s.dstHi, s.dstLo)
                && nearSenders.size() < MAX_SENDERS) {
            nearSenders.add(Addresses.format(s.dstHi, s.dstLo)); // the far side saw this source: a NAT's external
        }
        boolean privateVia = f.request() && isPrivate(f.via());
        if (f.source().isInside() || privateVia && !crossing.srcInside()) {
            if (nearSenders.size() < MAX_SENDERS) nearSenders.add(sender);
        }
        // towards a private or inside address, the message does not cross to the outside (an operator's private
        // voice network, two phones behind the same router): nothing a NAT traversal check is about
        if (crossing.dstInside()) return;
        Hits[] hits = bySender.get(sender);
        if (hits == null) {
            if (bySender.size() >= MAX_SENDERS) {
                if (unfollowed.add(sender)) notFollowed++;
                return;
            }
            hits = new Hits[Field.values().length];
            bySender.put(sender, hits);
        }
        if (privateVia) add(hits, Field.VIA, f, s, f.via().host());
        for (SipFacts.Host c : f.contacts()) if (isPrivate(c)) add(hits, Field.CONTACT, f, s, c.host());
        for (SipFacts.Media m : f.media()) if (isPrivate(m.endpoint())) add(hits, Field.SDP, f, s, m.endpoint().host());
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return notFollowed == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.ONE_SIDE_ENDPOINTS, notFollowed);
    }

    /** A private address as {@link dev.natrecon.correlate.Inside#leaksOnWan} says: RFC 1918/4193, or --inside. */
    private static boolean isPrivate(SipFacts.Host h) {
        return h != null && h.literal() && h.leaksOnWan();
    }

    private static void add(Hits[] hits, Field field, SipFacts f, Seen s, String value) {
        Hits h = hits[field.ordinal()];
        if (h == null) {
            h = hits[field.ordinal()] = new Hits();
            h.senderHi = s.srcHi;
            h.senderLo = s.srcLo;
            h.capture = s.side.label();
        }
        if (h.values.size() < 8) h.values.add(value);
        if (s.frame != h.lastFrame) { // a message with two private Contacts is one message
            h.lastFrame = s.frame;
            h.messages++;
            h.finding.frame(h.capture, s.frame);
            h.what.merge(f.what(), 1, Integer::sum);
            if (f.request() && !f.fromAor().isEmpty() && h.aors.size() < 8) h.aors.add(f.fromAor());
            h.finding.at(s.nanos);
        }
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Map.Entry<String, Hits[]> e : bySender.entrySet()) {
            if (!nearSenders.contains(e.getKey())) continue; // the far side's own messages (a registrar's Contact list)
            for (Field field : Field.values()) {
                Hits h = e.getValue()[field.ordinal()];
                if (h != null) findings.accept(finding(e.getKey(), field, h));
            }
        }
    }

    private static Finding finding(String sender, Field field, Hits h) {
        List<String> what = new ArrayList<>();
        for (Map.Entry<String, Integer> w : h.what.entrySet()) what.add(w.getValue() + " " + w.getKey());
        List<String> contains = new ArrayList<>();
        for (String v : h.values) contains.add(field.wiresharkField + " contains \"" + v + "\"");
        String filter = DisplayFilters.address("src", h.senderHi, h.senderLo) + " && "
                + (field == Field.VIA ? "sip.Request-Line && " : "") // a response's top Via is the requester's
                + (contains.size() == 1 ? contains.get(0) : "(" + String.join(" || ", contains) + ")");
        String values = String.join(", ", h.values);
        return h.finding.subject(sender + " " + field.label).cause(sender)
                .message(sender + (h.aors.isEmpty() ? "" : " (" + String.join(", ", h.aors) + ")") + " sent "
                        + h.messages + " message(s) towards the far side with a private " + field.label + " address ("
                        + values + "; nat_uac_test flag " + field.flag + "): " + String.join(", ", what) + ".")
                .filter(h.capture, filter)
                .detail("sender", sender)
                .detail("field", field.label + " (nat_uac_test flag " + field.flag + ")")
                .detail("private address", values)
                .detail("messages", String.join(", ", what))
                .detail("from", h.aors.isEmpty() ? "(responses only)" : String.join(", ", h.aors))
                .detail("private means", "RFC 1918 / RFC 4193 (not RFC 6598 shared space, unlike nat_uac_test)")
                .build();
    }
}
