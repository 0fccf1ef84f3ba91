package dev.natrecon.detect;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;

/**
 * An RTP source that differed from the sender's SDP in force ({@code advertised}) when first seen, in {@code frame}
 * ({@code rtp.asymmetric}), and how a finding names a list of them.
 */
record OffSdp(long hi, long lo, int port, SipFacts.Host advertised, long frame) {
    String source() {
        return Addresses.endpoint(hi, lo, port);
    }

    /** The SDP endpoints in force when the sources in {@code off} were seen, "A" or "A, then B". */
    static String advertised(List<OffSdp> off) {
        List<String> out = new ArrayList<>();
        for (OffSdp o : off) if (!out.contains(o.advertised().text())) out.add(o.advertised().text());
        return String.join(", then ", out);
    }

    /** The sources in {@code off}, each with the endpoint then in force when more than one SDP was. */
    static String sources(List<OffSdp> off) {
        boolean oneSdp = off.stream().map(o -> o.advertised().text()).distinct().count() == 1;
        List<String> out = new ArrayList<>();
        for (OffSdp o : off) {
            String t = oneSdp ? o.source() : o.source() + " (while its SDP advertised " + o.advertised().text() + ")";
            if (!out.contains(t)) out.add(t);
        }
        return String.join(", ", out);
    }
}
