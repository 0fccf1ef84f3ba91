package dev.natrecon.decode.sip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.Touch;
import dev.natrecon.decode.sdp.SdpBody;

/**
 * Fuzz target for the SIP parser: a UDP payload as {@link SipParser#parseDatagram} reads it (several messages,
 * keep-alives, garbage), every accessor of every message touched (headers, Vias, URIs, addresses, CSeq, body), and the
 * SDP body of each message parsed and touched as the detectors read it.
 */
class SipParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void datagram(byte[] payload) {
        FuzzContract.run(() -> {
            SipDatagram d = SipParser.parseDatagram(payload, 0, payload.length);
            Touch.all(d);
            for (SipMessage m : d.messages()) SdpBody.fromSip(m).ifPresent(Touch::all);
            Touch.all(SipParser.parse(payload, 0, payload.length));
            SipParser.isCrlfKeepalive(payload, 0, payload.length);
        });
    }
}
