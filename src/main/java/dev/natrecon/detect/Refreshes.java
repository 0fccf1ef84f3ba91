package dev.natrecon.detect;

import dev.natrecon.decode.sip.SipCSeq;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The traffic that kept an entry alive, summarised: packets, their interval, and what they were (SIP requests by
 * method with their retransmissions — same CSeq again —, responses, CRLF keep-alives, other payloads).
 */
final class Refreshes {
    long packets, first = Long.MIN_VALUE, last = Long.MIN_VALUE, minInterval = Long.MAX_VALUE, maxInterval;
    private final Map<String, long[]> kinds = new LinkedHashMap<>();
    private long lastCseq = -1;
    private String lastMethod;

    void add(long nanos, byte[] payload) {
        if (last != Long.MIN_VALUE) {
            minInterval = Math.min(minInterval, nanos - last);
            maxInterval = Math.max(maxInterval, nanos - last);
        } else {
            first = nanos;
        }
        last = nanos;
        packets++;
        String kind = "other";
        boolean retransmission = false;
        if (payload != null && payload.length > 0 && SipParser.isCrlfKeepalive(payload, 0, payload.length)) {
            kind = "CRLF keep-alive";
        } else if (payload != null) {
            SipMessage m = SipParser.parse(payload, 0, payload.length) instanceof SipParse.Message pm ? pm.message() : null;
            if (m != null && m.isRequest()) {
                kind = m.method();
                SipCSeq c = m.cseq().orElse(null);
                if (c != null) {
                    retransmission = c.sequence() == lastCseq && c.methodName().equals(lastMethod);
                    lastCseq = c.sequence();
                    lastMethod = c.methodName();
                }
            } else if (m != null) {
                kind = "response " + m.statusCode();
            }
        }
        long[] n = kinds.computeIfAbsent(kind, k -> new long[2]);
        n[0]++;
        if (retransmission) n[1]++;
    }

    /** "REGISTER x12 of which 9 retransmitted, CRLF keep-alive x2". */
    String kinds() {
        StringJoiner j = new StringJoiner(", ");
        for (Map.Entry<String, long[]> e : kinds.entrySet()) {
            long[] n = e.getValue();
            j.add(e.getKey() + " x" + n[0] + (n[1] == 0 ? "" : " of which " + n[1] + " retransmitted"));
        }
        return j.toString();
    }

    /** "every 0.5-4.0 s", or empty for fewer than two packets. */
    String interval() {
        if (packets < 2) return "";
        return minInterval == maxInterval ? "every " + Text.seconds(minInterval) + " s"
                : "every " + Text.seconds(minInterval) + "-" + Text.seconds(maxInterval) + " s";
    }
}
