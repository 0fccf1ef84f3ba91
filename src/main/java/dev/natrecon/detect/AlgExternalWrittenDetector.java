package dev.natrecon.detect;

import dev.natrecon.correlate.Crossing;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code alg.external_address_written}: from one capture in front of the NAT (the WAN side), SIP messages whose top
 * Via (requests), Contact or SDP {@code c=} name the packet's own source address, the NAT's external one, sent by a
 * party that the capture shows to be behind a NAT: a Call-ID it chose (it sent the first request that carried it)
 * names a private address (Linux nf_nat_sip rewrites the Request-URI, Via, Contact, From, To and SDP but never the
 * Call-ID, nf_nat_sip.c {@code nf_nat_sip()}), or other
 * messages from the same source address carry a private address in those fields. Something between the phone and
 * this capture, or the phone itself, wrote the external address: a SIP ALG (Linux nf_nat_sip writes the external
 * address and, in the top Via, the mapping's source port) or a NAT-aware phone (rport, STUN, a configured external
 * address). One capture cannot tell which, and the finding says so, unless the same source address also sent
 * messages with its private address in these fields: an ALG rewriting that traffic would have rewritten those too,
 * so the phone wrote the external address itself (unless an ALG started or stopped in between).
 *
 * <p>A sender without such NAT evidence (a phone or SBC at a public address) is the ordinary case and is not
 * reported.
 */
final class AlgExternalWrittenDetector implements Detector {
    static final Rule RULE = new Rule("alg.external_address_written", Severity.INFO,
            "A party behind a NAT sends its external address in Via, Contact or SDP: a SIP ALG or the phone wrote it",
            "From one capture in front of the NAT: SIP messages whose top Via sent-by (requests; with the source port), "
                    + "Contact or SDP c= name the packet's own source address, from a source that is behind a NAT as "
                    + "far as the capture shows (a Call-ID it chose names a private address, or other messages "
                    + "from the same source address carry a private Via, Contact or SDP address). Either a SIP ALG "
                    + "rewrote them (Linux nf_nat_sip rewrites these fields to the external address and port but "
                    + "never the Call-ID) or the phone wrote its external address itself (rport, STUN, a configured "
                    + "external address); one capture tells them apart only when the same source address also sent "
                    + "messages with its private address in those fields (then no ALG rewrote that traffic).",
            List.of("none: one message is enough"),
            "None needed by itself: the far side receives usable addresses. If calls fail, capture the LAN side too "
                    + "(natrecon analyze --lan L --wan W tells an ALG's rewrites from the phone's own).",
            List.of("Linux net/netfilter/nf_nat_sip.c nf_nat_sip() (Via, Contact, SDP; not Call-ID)",
                    "RFC 3581 (rport)", "RFC 5389 (STUN)"));

    /** Senders followed at most (a ticket capture shows a handful of phones; the bound keeps a flood's state small). */
    static final int MAX_SENDERS = 4_096;
    /**
     * Call-IDs whose chooser is remembered, at most (about 100 bytes each: 5 MiB); past it later calls' Call-IDs are
     * no evidence (the finding may then not be made for their senders, never made wrongly).
     */
    static final int MAX_CALL_IDS = 50_000;
    /** Private addresses and frames listed per sender for the "private fields" evidence, at most. */
    static final int MAX_LISTED = 8;

    /** The fields that can name the external address. */
    enum Field {
        VIA("top Via"), CONTACT("Contact"), SDP("SDP c=");

        final String label;

        Field(String label) {
            this.label = label;
        }
    }

    /** One source address on the WAN side. */
    private static final class Sender {
        final String address;
        final long hi, lo;
        final Finding.Builder finding = Finding.of(RULE);
        final int[] fields = new int[Field.values().length];
        final Map<String, Integer> what = new LinkedHashMap<>();
        final Set<Integer> viaPorts = new LinkedHashSet<>();
        /** Private hosts of the Call-IDs this sender chose (filled at the end). */
        final Set<String> callIdPrivate = new java.util.TreeSet<>();
        final Set<String> privateNamed = new LinkedHashSet<>();
        final List<Long> privateFrames = new ArrayList<>();
        int written, privateMessages;

        Sender(long hi, long lo) {
            this.hi = hi;
            this.lo = lo;
            address = Addresses.format(hi, lo);
        }
    }

    private final SipFacts.Memo sipFacts;
    private final Map<String, Sender> senders = new LinkedHashMap<>();
    /** Past the bound: counted (each once, up to as many again), not followed ({@code detect.too_many_endpoints}). */
    private final OverflowCount unfollowed = new OverflowCount(MAX_SENDERS);
    private long notFollowed;
    /** Per Call-ID, the source address of the first request that carried it: the party that chose it. */
    private final Map<String, String> callOwners = new LinkedHashMap<>();

    AlgExternalWrittenDetector(SipFacts.Memo sipFacts) {
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
        if (s.payload == null || s.captureLabel != null || s.side != Side.WAN || crossing.srcInside()) return;
        // a loopback or link-local sender never crossed a NAT (public encap/null_loopback_sip_h263.pcap: a softphone
        // talking to a local server on 127.0.0.1, its SDP naming the LAN address)
        if (Addresses.eitherHostOrLinkScope(s.srcHi, s.srcLo, s.dstHi, s.dstLo)) return;
        SipFacts f = sipFacts.of(crossing);
        if (f == null || f.source().isInside()) return;
        String sender = Addresses.format(s.srcHi, s.srcLo);
        if (f.request() && !callOwners.containsKey(f.callId()) && callOwners.size() < MAX_CALL_IDS) {
            callOwners.put(f.callId(), sender); // the first request's sender chose the Call-ID
        }
        // a REGISTER answer's Contact echoes the registered one: not the answering party's own
        boolean ownContact = f.request() || !"REGISTER".equalsIgnoreCase(f.cseqMethod());
        int written = 0, privateFields = 0; // bit per Field
        String privateAddress = null;
        if (f.request() && f.via() != null) { // a response's top Via is the requester's
            if (f.via().sameAddress(s.srcHi, s.srcLo) && f.via().port() == s.srcPort) written |= bit(Field.VIA);
            else if (isPrivate(f.via())) {
                privateFields |= bit(Field.VIA);
                privateAddress = f.via().host();
            }
        }
        for (SipFacts.Host c : ownContact ? f.contacts() : List.<SipFacts.Host>of()) {
            if (c.sameAddress(s.srcHi, s.srcLo)) written |= bit(Field.CONTACT);
            else if (isPrivate(c)) {
                privateFields |= bit(Field.CONTACT);
                privateAddress = c.host();
            }
        }
        for (SipFacts.Media m : f.media()) {
            if (m.endpoint().sameAddress(s.srcHi, s.srcLo)) written |= bit(Field.SDP);
            else if (isPrivate(m.endpoint())) {
                privateFields |= bit(Field.SDP);
                privateAddress = m.endpoint().host();
            }
        }
        if (written == 0 && privateFields == 0) return;
        Sender snd = senders.get(sender);
        if (snd == null) {
            if (senders.size() >= MAX_SENDERS) {
                if (unfollowed.add(sender)) notFollowed++;
                return;
            }
            snd = new Sender(s.srcHi, s.srcLo);
            senders.put(sender, snd);
        }
        if (privateFields != 0) {
            snd.privateMessages++;
            if (snd.privateNamed.size() < MAX_LISTED) snd.privateNamed.add(privateAddress);
            if (snd.privateFrames.size() < MAX_LISTED) snd.privateFrames.add(s.frame);
        }
        if (written == 0) return;
        snd.written++;
        for (Field field : Field.values()) if ((written & bit(field)) != 0) snd.fields[field.ordinal()]++;
        if ((written & bit(Field.VIA)) != 0 && snd.viaPorts.size() < MAX_LISTED) snd.viaPorts.add(s.srcPort);
        snd.what.merge(f.what(), 1, Integer::sum);
        snd.finding.at(s.nanos).frame(Side.WAN.label(), s.frame);
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return notFollowed == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.ONE_SIDE_ENDPOINTS, notFollowed);
    }

    private static int bit(Field field) {
        return 1 << field.ordinal();
    }

    /** A private address as {@link dev.natrecon.correlate.Inside#leaksOnWan} says: RFC 1918/4193, or --inside. */
    private static boolean isPrivate(SipFacts.Host h) {
        return h != null && h.literal() && h.leaksOnWan();
    }

    /**
     * The host part of a Call-ID ({@code local@host}) when it is a private address literal (as
     * {@link dev.natrecon.correlate.Inside#leaksOnWan} says: RFC 1918/4193, or --inside), else null.
     */
    private String privateCallIdHost(String callId) {
        int at = callId == null ? -1 : callId.lastIndexOf('@');
        if (at < 0 || at == callId.length() - 1) return null;
        String host = callId.substring(at + 1);
        return isPrivate(SipFacts.Host.of(host, -1, sipFacts.inside())) ? host : null;
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Map.Entry<String, String> c : callOwners.entrySet()) {
            Sender snd = senders.get(c.getValue());
            String host = privateCallIdHost(c.getKey());
            if (snd != null && host != null && snd.callIdPrivate.size() < MAX_LISTED) snd.callIdPrivate.add(host);
        }
        for (Sender snd : senders.values()) {
            if (snd.written > 0 && (!snd.callIdPrivate.isEmpty() || snd.privateMessages > 0)) findings.accept(finding(snd));
        }
    }

    private static Finding finding(Sender snd) {
        List<String> fields = new ArrayList<>();
        List<String> clauses = new ArrayList<>();
        for (Field field : Field.values()) {
            int n = snd.fields[field.ordinal()];
            if (n == 0) continue;
            fields.add(field.label + " " + n);
            clauses.add(switch (field) {
                case VIA -> "(sip.Request-Line && sip.Via contains \"" + snd.address + "\")";
                case CONTACT -> "sip.Contact contains \"" + snd.address + "\"";
                case SDP -> "sdp.connection_info contains \"" + snd.address + "\"";
            });
        }
        List<String> what = new ArrayList<>();
        for (Map.Entry<String, Integer> w : snd.what.entrySet()) what.add(w.getValue() + " " + w.getKey());
        List<String> nat = new ArrayList<>();
        if (!snd.callIdPrivate.isEmpty()) nat.add("the Call-ID(s) it chose name " + String.join(", ", snd.callIdPrivate));
        if (snd.privateMessages > 0) {
            nat.add(snd.privateMessages + " other message(s) from it carry the private address "
                    + String.join(", ", snd.privateNamed) + " in these fields (frames "
                    + String.join(", ", snd.privateFrames.stream().map(String::valueOf).toList()) + ")");
        }
        String who = snd.privateMessages > 0
                ? "An ALG rewriting this traffic would have rewritten those private fields too: the phone (or PBX) "
                        + "itself wrote its external address here (learned by rport or STUN, or configured), unless "
                        + "an ALG started or stopped in between."
                : "One capture cannot tell who wrote it: a SIP ALG on the router (Linux nf_nat_sip rewrites Via, "
                        + "Contact and SDP to the external address and port, never the Call-ID) or a NAT-aware phone "
                        + "(rport, STUN, a configured external address).";
        String via = snd.viaPorts.isEmpty() ? "" : " (top Via with the source port " + snd.viaPorts.stream()
                .map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        return snd.finding.subject(snd.address).cause(snd.address)
                .message(String.format(Locale.ROOT, "%d message(s) from %s name that very address, the NAT's external "
                                + "one, in %s%s, while %s: the sender is behind a NAT. %s",
                        snd.written, snd.address, String.join(", ", fields), via, String.join("; ", nat), who))
                .filter(Side.WAN.label(), DisplayFilters.address("src", snd.hi, snd.lo) + " && "
                        + (clauses.size() == 1 ? clauses.get(0) : "(" + String.join(" || ", clauses) + ")"))
                .detail("sender", snd.address)
                .detail("fields", fields)
                .detail("messages", what)
                .detail("behind a NAT because", nat)
                .detail("written by", snd.privateMessages > 0 ? "the phone (its other messages are untouched)"
                        : "cannot tell: a SIP ALG or a NAT-aware phone")
                .build();
    }
}
