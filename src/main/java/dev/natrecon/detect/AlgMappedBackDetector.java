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
 * {@code alg.reply_mapped_back}: from one capture behind the NAT (the LAN side), the far side's responses that name
 * the phone's own private address where a server outside names the address it saw. An RFC 3581 server writes the
 * request's source into the top Via ({@code received=}, {@code rport=}); outside a NAT that source is the router's
 * external address. Linux nf_nat_sip maps the reply direction back: a top Via {@code received=} equal to the external
 * address becomes the phone's address and an {@code rport=} equal to the external port the phone's port (nf_nat_sip.c,
 * {@code nf_nat_sip()}, the "received=" and "rport=" branches; this project's model: {@code alg.sip.LinuxSipNat}), and
 * so does a Contact or SDP address equal to the external address (its {@code map_sip_addr} / {@code nf_nat_sdp_*}).
 * So on the LAN side a response from an outside address whose top Via {@code received=} (or, in a response to
 * anything but a REGISTER, a Contact or SDP {@code c=}) is the phone's private address shows that either an ALG
 * mapped it back, or nothing translated the request (no NAT on the way, or a NAT that let the private source through):
 * one capture cannot tell these apart, the finding says both. A REGISTER response's Contact echoes what the phone
 * registered, so it is no evidence and is left out.
 *
 * <p>Without an ALG the same responses carry the external address, which {@link FarSideMappingDetector} reports as the
 * mapping the far side saw. Answers of the same far side to the same endpoint that do name an outside address are
 * counted as "not mapped back" (an ALG on some flows only, or one that started or stopped).
 */
final class AlgMappedBackDetector implements Detector {
    static final Rule RULE = new Rule("alg.reply_mapped_back", Severity.WARNING,
            "The far side's answers name the phone's private address: a SIP ALG mapped them back (or nothing translates)",
            "From one capture behind the NAT: a SIP response from an outside address to an inside one whose top Via "
                    + "received= is that inside (private) address, or, in a response to anything but a REGISTER, "
                    + "whose Contact or SDP c= is that address. A server outside writes the source it saw (RFC 3581), "
                    + "which is the router's external address when the request was translated; Linux nf_nat_sip "
                    + "rewrites exactly that address (and an rport= equal to the external port) back to the phone's in "
                    + "the reply direction. Either a SIP ALG on the way did so, or the request reached the far side "
                    + "untranslated (no NAT in between, or a NAT that let the private source through): the WAN side's "
                    + "capture or the far side's log tells which. One finding per inside endpoint, with the frames, "
                    + "the fields, and the answers of the same far side that name an outside address (not mapped "
                    + "back).",
            List.of("none: one response is enough"),
            "An active SIP ALG is not an error by itself, but it is a frequent cause of trouble (one-way audio, "
                    + "failed re-registrations, mangled messages) and hides the real mapping from the phone. If calls "
                    + "or registrations fail, capture the router's WAN side too (natrecon analyze --lan L --wan W "
                    + "judges every rewrite), or turn the ALG off (Linux: drop the `ct helper set \"sip\"` rule or "
                    + "unload nf_nat_sip; vendor routers: \"SIP ALG\") and let the phone use rport, STUN or an "
                    + "outbound proxy.",
            List.of("Linux net/netfilter/nf_nat_sip.c nf_nat_sip() (received=, rport=, map_sip_addr)",
                    "RFC 3261 §18.2.1 (received)", "RFC 3581 §4 (received, rport)"));

    /** Inside endpoints followed at most (a ticket capture shows a handful of phones; the bound keeps a flood small). */
    static final int MAX_ENDPOINTS = 4_096;
    /** Distinct remotes and outside addresses named per endpoint, at most (for the text only). */
    static final int MAX_LISTED = 8;

    /** The fields that can name the phone's private address in a response. */
    enum Field {
        RECEIVED("Via received="), RPORT("Via rport= its own port"), CONTACT("Contact"), SDP("SDP c=");

        final String label;

        Field(String label) {
            this.label = label;
        }
    }

    /** One inside endpoint's answers from outside. */
    private static final class Endpoint {
        final String text, address;
        final long hi, lo;
        final int port;
        final Finding.Builder finding = Finding.of(RULE);
        final int[] fields = new int[Field.values().length];
        final Set<String> remotes = new LinkedHashSet<>();
        final Map<String, Integer> what = new LinkedHashMap<>();
        final Set<String> outsideNamed = new LinkedHashSet<>();
        int mappedBack, notMappedBack;
        long lastFrame = -1;

        Endpoint(long hi, long lo, int port) {
            this.hi = hi;
            this.lo = lo;
            this.port = port;
            address = Addresses.format(hi, lo);
            text = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
        }
    }

    private final SipFacts.Memo sipFacts;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    /** Past the bound: counted (each once, up to as many again), not followed ({@code detect.too_many_endpoints}). */
    private final OverflowCount unfollowed = new OverflowCount(MAX_ENDPOINTS);
    private long notFollowed;

    AlgMappedBackDetector(SipFacts.Memo sipFacts) {
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
        if (s.payload == null || s.captureLabel != null || s.side != Side.LAN) return;
        if (crossing.srcInside() || !crossing.dstInside()) return; // from outside to behind the NAT only
        // a loopback or link-local party never sat on the other side of a NAT
        if (Addresses.eitherHostOrLinkScope(s.srcHi, s.srcLo, s.dstHi, s.dstLo)) return;
        SipFacts f = sipFacts.of(crossing);
        if (f == null || f.request() || f.source().isInside()) return;
        int hits = 0; // bit per Field
        SipFacts.Host mapped = f.viaMapped();
        boolean receivedOutside = false;
        if (f.viaReceived() && mapped != null && mapped.literal()) {
            if (mapped.sameAddress(s.dstHi, s.dstLo)) {
                hits |= bit(Field.RECEIVED);
                if (mapped.port() > 0 && mapped.port() == s.dstPort) hits |= bit(Field.RPORT);
            } else if (!mapped.isInside()) {
                receivedOutside = true;
            }
        }
        if (!"REGISTER".equalsIgnoreCase(f.cseqMethod())) { // a REGISTER answer's Contact echoes the phone's own
            for (SipFacts.Host c : f.contacts()) if (c.sameAddress(s.dstHi, s.dstLo)) hits |= bit(Field.CONTACT);
        }
        for (SipFacts.Media m : f.media()) if (m.endpoint().sameAddress(s.dstHi, s.dstLo)) hits |= bit(Field.SDP);
        boolean any = (hits & ~bit(Field.RPORT)) != 0; // rport= alone is the port, not the private address
        if (!any && !receivedOutside) return;
        Endpoint e = endpoint(s);
        if (e == null || s.frame == e.lastFrame) return;
        e.lastFrame = s.frame;
        if (!any) {
            e.notMappedBack++;
            if (e.outsideNamed.size() < MAX_LISTED) e.outsideNamed.add(mapped.host());
            return;
        }
        e.mappedBack++;
        for (Field field : Field.values()) if ((hits & bit(field)) != 0) e.fields[field.ordinal()]++;
        if (e.remotes.size() < MAX_LISTED) e.remotes.add(f.source().text());
        e.what.merge(f.what(), 1, Integer::sum);
        e.finding.at(s.nanos).frame(Side.LAN.label(), s.frame);
    }

    @Override
    public Map<dev.natrecon.capture.Bound, Long> boundsHit() {
        return notFollowed == 0 ? Map.of() : Map.of(dev.natrecon.capture.Bound.ONE_SIDE_ENDPOINTS, notFollowed);
    }

    private static int bit(Field field) {
        return 1 << field.ordinal();
    }

    private Endpoint endpoint(Seen s) {
        String key = Addresses.format(s.dstHi, s.dstLo) + "|" + s.dstPort;
        Endpoint e = endpoints.get(key);
        if (e == null && endpoints.size() < MAX_ENDPOINTS) {
            e = new Endpoint(s.dstHi, s.dstLo, s.dstPort);
            endpoints.put(key, e);
        } else if (e == null && unfollowed.add(key)) {
            notFollowed++;
        }
        return e;
    }

    @Override
    public void finish(DetectionContext context, Consumer<Finding> findings) {
        for (Endpoint e : endpoints.values()) if (e.mappedBack > 0) findings.accept(finding(e));
    }

    private static Finding finding(Endpoint e) {
        List<String> fields = new ArrayList<>();
        List<String> clauses = new ArrayList<>();
        for (Field field : Field.values()) {
            int n = e.fields[field.ordinal()];
            if (n == 0) continue;
            fields.add(field.label + " " + n);
            switch (field) {
                case RECEIVED -> clauses.add("sip.Via.received == \"" + e.address + "\"");
                case RPORT -> { } // corroborates received=; the filter selects by the address
                case CONTACT -> clauses.add("sip.Contact contains \"" + e.address + "\"");
                case SDP -> clauses.add("sdp.connection_info contains \"" + e.address + "\"");
            }
        }
        List<String> what = new ArrayList<>();
        for (Map.Entry<String, Integer> w : e.what.entrySet()) what.add(w.getValue() + " " + w.getKey());
        String notBack = e.notMappedBack == 0 ? ""
                : String.format(Locale.ROOT, " %d other answer(s) to it name the outside address %s: those were not "
                        + "mapped back (an ALG on some messages only, or one that started or stopped).",
                e.notMappedBack, String.join(", ", e.outsideNamed));
        String filter = DisplayFilters.address("dst", e.hi, e.lo) + " && sip.Status-Code && "
                + (clauses.size() == 1 ? clauses.get(0) : "(" + String.join(" || ", clauses) + ")");
        return e.finding.subject(e.text).cause(e.address)
                .message(String.format(Locale.ROOT, "%d answer(s) from outside (%s) to %s name its private address "
                                + "%s where a server outside names the address it saw (%s): either a SIP ALG between "
                                + "this capture and the far side mapped the router's external address back (as Linux "
                                + "nf_nat_sip does), or the requests reached the far side untranslated (no NAT on the "
                                + "way, or one that let the private source through); the WAN side's capture or the far "
                                + "side's log tells which.%s",
                        e.mappedBack, String.join(", ", e.remotes), e.text, e.address, String.join(", ", fields),
                        notBack))
                .filter(Side.LAN.label(), filter)
                .detail("inside endpoint", e.text)
                .detail("far side", e.remotes)
                .detail("fields", fields)
                .detail("messages", what)
                .detail("not mapped back", e.notMappedBack == 0 ? "0"
                        : e.notMappedBack + " (" + String.join(", ", e.outsideNamed) + ")")
                .detail("cannot tell", "an ALG mapping back, or no translation at all: needs the WAN side")
                .build();
    }
}
