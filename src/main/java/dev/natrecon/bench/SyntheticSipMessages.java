package dev.natrecon.bench;

import static dev.natrecon.bench.SyntheticFrames.hex;
import static dev.natrecon.bench.SyntheticNatCaptures.PROVIDER_ADDRESS;
import static dev.natrecon.bench.SyntheticNatCaptures.SIP_PORT;
import static dev.natrecon.bench.SyntheticSip.sip;

/**
 * The SIP messages of one call slot, written as the side that sends them sees them (the phone's before the router,
 * the provider's after it): INVITE with SDP, the provider's responses and SDP, ACK, BYE and its 200 from either
 * end, REGISTER and its 200. Random parts (SDP session ids, tags) are drawn from the slot's generator in the order
 * the messages are built, so the output stays a pure function of the configuration.
 */
final class SyntheticSipMessages {
    private SyntheticSipMessages() {
    }

    /** LAN view. */
    static String invite(SyntheticNatCaptures.Slot s) {
        String sdp = "v=0\r\n"
                + "o=" + s.user + " " + (1_000_000 + s.rng.nextInt(1 << 30)) + " 1 IN IP4 " + s.phoneAddress + "\r\n"
                + "s=natrecon-bench\r\n"
                + "c=IN IP4 " + s.phoneAddress + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + s.rtpPort + " RTP/AVP 0 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
        return sip("INVITE " + s.providerUri(s.callee) + " SIP/2.0", sdp,
                "Via: SIP/2.0/UDP " + s.privateSip() + ";branch=" + s.inviteBranch + ";rport",
                "Max-Forwards: 70",
                "From: \"Phone " + s.user + "\" <" + s.providerUri(s.user) + ">;tag=" + s.localTag,
                "To: <" + s.providerUri(s.callee) + ">",
                "Call-ID: " + s.callId,
                "CSeq: 1 INVITE",
                "Contact: <sip:" + s.user + "@" + s.privateSip() + ">",
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS",
                "User-Agent: natrecon-bench-phone/1.0",
                "Content-Type: application/sdp");
    }

    /** WAN view of a provider response to a request the phone sent through the NAT. */
    static String response(SyntheticNatCaptures.Slot s, int code, String reason, boolean toTag, String sdp, String branch,
                           String cseq) {
        String via = "Via: SIP/2.0/UDP " + s.externalSip() + ";branch=" + branch + ";rport=" + s.sipExternalPort;
        String from = "From: \"Phone " + s.user + "\" <" + s.providerUri(s.user) + ">;tag=" + s.localTag;
        String to = "To: <" + s.providerUri(s.callee) + ">" + (toTag ? ";tag=" + s.remoteTag : "");
        String contact = code >= 180 && cseq.endsWith("INVITE")
                ? "Contact: <sip:" + s.callee + "@" + PROVIDER_ADDRESS + ":" + SIP_PORT + ">" : null;
        return sip("SIP/2.0 " + code + " " + reason, sdp == null ? "" : sdp,
                via, from, to, "Call-ID: " + s.callId, "CSeq: " + cseq, contact,
                "Server: natrecon-bench-provider/1.0", sdp == null ? null : "Content-Type: application/sdp");
    }

    /** WAN view: the provider's SDP answer. */
    static String providerSdp(SyntheticNatCaptures.Slot s) {
        return "v=0\r\n"
                + "o=provider " + (1_000_000 + s.rng.nextInt(1 << 30)) + " 1 IN IP4 " + PROVIDER_ADDRESS + "\r\n"
                + "s=-\r\n"
                + "c=IN IP4 " + PROVIDER_ADDRESS + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + s.providerPort + " RTP/AVP 0 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
    }

    /** LAN view. */
    static String ack(SyntheticNatCaptures.Slot s) {
        return sip("ACK sip:" + s.callee + "@" + PROVIDER_ADDRESS + ":" + SIP_PORT + " SIP/2.0", "",
                "Via: SIP/2.0/UDP " + s.privateSip() + ";branch=" + s.branch() + ";rport",
                "Max-Forwards: 70",
                "From: \"Phone " + s.user + "\" <" + s.providerUri(s.user) + ">;tag=" + s.localTag,
                "To: <" + s.providerUri(s.callee) + ">;tag=" + s.remoteTag,
                "Call-ID: " + s.callId,
                "CSeq: 1 ACK");
    }

    /** LAN view. */
    static String phoneBye(SyntheticNatCaptures.Slot s) {
        return sip("BYE sip:" + s.callee + "@" + PROVIDER_ADDRESS + ":" + SIP_PORT + " SIP/2.0", "",
                "Via: SIP/2.0/UDP " + s.privateSip() + ";branch=" + s.byeBranch + ";rport",
                "Max-Forwards: 70",
                "From: \"Phone " + s.user + "\" <" + s.providerUri(s.user) + ">;tag=" + s.localTag,
                "To: <" + s.providerUri(s.callee) + ">;tag=" + s.remoteTag,
                "Call-ID: " + s.callId,
                "CSeq: 2 BYE",
                "User-Agent: natrecon-bench-phone/1.0");
    }

    /** WAN view: the provider hangs up, addressing the phone's Contact as the NAT rewrote it. */
    static String providerBye(SyntheticNatCaptures.Slot s) {
        return sip("BYE sip:" + s.user + "@" + s.externalSip() + " SIP/2.0", "",
                providerByeVia(s),
                "Max-Forwards: 70",
                providerByeDialog(s),
                "Server: natrecon-bench-provider/1.0");
    }

    /** LAN view: the phone's answer to the provider's BYE. */
    static String byeOkFromPhone(SyntheticNatCaptures.Slot s) {
        return sip("SIP/2.0 200 OK", "",
                providerByeVia(s),
                providerByeDialog(s),
                "User-Agent: natrecon-bench-phone/1.0");
    }

    /** The Via of the provider's BYE; its 200 OK copies it (RFC 3261 section 8.2.6.2). */
    private static String providerByeVia(SyntheticNatCaptures.Slot s) {
        return "Via: SIP/2.0/UDP " + PROVIDER_ADDRESS + ":" + SIP_PORT + ";branch=" + s.byeBranch;
    }

    /**
     * From, To, Call-ID and CSeq of the provider's BYE as one block of header lines; its 200 OK copies them
     * (RFC 3261 section 8.2.6.2).
     */
    private static String providerByeDialog(SyntheticNatCaptures.Slot s) {
        return "From: <" + s.providerUri(s.callee) + ">;tag=" + s.remoteTag + "\r\n"
                + "To: \"Phone " + s.user + "\" <" + s.providerUri(s.user) + ">;tag=" + s.localTag + "\r\n"
                + "Call-ID: " + s.callId + "\r\n"
                + "CSeq: 1 BYE";
    }

    /** LAN view. */
    static String register(SyntheticNatCaptures.Slot s) {
        return sip("REGISTER sip:" + PROVIDER_ADDRESS + " SIP/2.0", "",
                "Via: SIP/2.0/UDP " + s.privateSip() + ";branch=" + s.regBranch + ";rport",
                "Max-Forwards: 70",
                "From: <" + s.providerUri(s.user) + ">;tag=" + s.regTag,
                "To: <" + s.providerUri(s.user) + ">",
                "Call-ID: " + s.regCallId,
                "CSeq: " + s.regCseq + " REGISTER",
                "Contact: <sip:" + s.user + "@" + s.privateSip() + ">;expires=120",
                "Expires: 120",
                "User-Agent: natrecon-bench-phone/1.0");
    }

    /** WAN view. */
    static String registerOk(SyntheticNatCaptures.Slot s) {
        return sip("SIP/2.0 200 OK", "",
                "Via: SIP/2.0/UDP " + s.externalSip() + ";branch=" + s.regBranch + ";rport=" + s.sipExternalPort,
                "From: <" + s.providerUri(s.user) + ">;tag=" + s.regTag,
                "To: <" + s.providerUri(s.user) + ">;tag=" + hex(s.rng, 8),
                "Call-ID: " + s.regCallId,
                "CSeq: " + s.regCseq + " REGISTER",
                "Contact: <sip:" + s.user + "@" + s.externalSip() + ">;expires=120",
                "Server: natrecon-bench-provider/1.0");
    }
}
