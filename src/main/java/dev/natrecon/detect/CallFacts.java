package dev.natrecon.detect;

import java.util.List;

/**
 * What {@link CallRecord} says of one call's signalling, gathered as its SIP messages go by ({@link MediaDetector}
 * feeds it): From and To, each party's codecs, the codec the answer put first and how the call ended. Constant size per
 * call.
 */
final class CallFacts {
    private static final int PHONE = 0;
    private static final String[] PARTY = {"phone", "remote"};

    String from = "", to = "";
    /** [party]: the codecs of its latest SDP audio m= line, comma-separated, or null. */
    final String[] codecs = new String[2];
    /** The first speech codec of the latest SDP answer (a 2xx's or an ACK's), or null. */
    String answerCodec;
    /** The a=ptime of that answer (0: none). */
    int answerPtime;
    /** How the call ended, empty until it did. */
    String endReason = "";

    /** One SIP message of the call, sent by {@code sender} (0 phone, 1 remote); {@code phoneIsCaller} as decided. */
    void sip(SipFacts f, int sender, boolean phoneIsCaller, boolean answered) {
        if (from.isEmpty() && f.request() && "INVITE".equals(f.method())) {
            from = f.fromAor();
            to = f.toAor() == null ? "" : f.toAor();
        }
        if (f.hasSdp()) {
            for (SipFacts.Media m : f.media()) {
                if (!"audio".equalsIgnoreCase(m.type()) || m.endpoint().port() <= 0) continue;
                codecs[sender] = String.join(", ", m.codecs());
                boolean answer = !f.request() && f.status() >= 200 && f.status() < 300 || f.request() && "ACK".equals(f.method());
                if (answer && SdpCodecs.speech(m.codecs()) != null) {
                    answerCodec = SdpCodecs.speech(m.codecs());
                    answerPtime = m.ptime();
                }
                break;
            }
        }
        if (!endReason.isEmpty()) return;
        boolean callerSent = (sender == PHONE) == phoneIsCaller;
        if (f.request() && "BYE".equals(f.method())) {
            endReason = "BYE from the " + PARTY[sender] + (callerSent ? " (caller)" : " (callee)");
        } else if (f.request() && "CANCEL".equals(f.method()) && !answered) {
            endReason = "CANCEL from the " + (callerSent ? "caller" : "callee");
        } else if (!f.request() && "INVITE".equalsIgnoreCase(f.cseqMethod()) && f.status() >= 300 && !answered
                && f.status() != 401 && f.status() != 407) {
            endReason = f.status() + " response from the " + PARTY[sender];
        }
    }

    /** The end reason, or why none was seen. */
    String endReason(boolean answered, boolean evicted) {
        if (!endReason.isEmpty()) return endReason;
        if (evicted) return "not followed to its end (too many calls at once)";
        return answered ? "capture ended (no BYE seen)" : "capture ended (no final response seen)";
    }

    /** "phone: PCMU, telephone-event; remote: PCMU", the parties that sent an SDP. */
    String codecsText() {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 2; p++) {
            if (codecs[p] == null) continue;
            if (sb.length() > 0) sb.append("; ");
            sb.append(PARTY[p]).append(": ").append(codecs[p]);
        }
        return sb.toString();
    }

    /** The record, from the call's times and its four legs. */
    CallRecord record(String callId, boolean phoneIsCaller, long start, long answer, long end, boolean evicted,
                      List<CallRecord.Leg> legs) {
        return new CallRecord(callId, from, to, phoneIsCaller, start, answer, end, endReason(answer >= 0, evicted),
                codecsText(), answerCodec == null ? "" : answerCodec, legs, answerPtime);
    }
}
