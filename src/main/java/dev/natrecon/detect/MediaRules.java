package dev.natrecon.detect;

import java.util.List;

/**
 * The rules {@link MediaDetector} judges calls' media by, as data ({@code natrecon explain}): one-way, asymmetric
 * and late media, private SDP addresses on the WAN, and one capture's media per direction.
 */
final class MediaRules {
    private MediaRules() {
    }

    static final List<String> REFS = List.of("RFC 3264 (offer/answer)", "RFC 3550 (RTP)", "RFC 4961 (symmetric RTP)",
            "RFC 7362 (latching)", "../shared/reference/linux-netfilter.md (nf_nat_sip, SDP media expectations)");

    static final Rule ONE_WAY = new Rule("rtp.one_way", Severity.ERROR, "A call's media flowed in one direction only",
            "For an answered call (2xx to the INVITE), RTP is counted per capture side and direction (to the phone's SDP "
                    + "endpoint, to the remote's). Fires when, on one side, RTP flows in one direction and not at all in "
                    + "the other for the whole call (until its BYE or the end of the captures), when the missing "
                    + "direction had the answer window to appear: at least 2 s after both the answer and the other "
                    + "direction's first packet, before the BYE or CANCEL or the end of that side's capture. A stream "
                    + "that starts in the last seconds of a capture, a call torn down within the window, or a call "
                    + "whose SDP put the media on hold (sendonly, recvonly, inactive, c=0.0.0.0) is an info: not "
                    + "enough to judge. The per-side counts say "
                    + "where it was lost: sent by the remote but never reaching the WAN (the remote sends elsewhere: "
                    + "check the SDP it received), reaching the WAN but not forwarded to the LAN (the router dropped it: "
                    + "no binding or expectation for it), or the phone's media not leaving the WAN.",
            List.of("answer window: 2 s for the missing direction after the answer and the other direction's first "
                    + "packet (phones send within a packetization interval, 20 ms by RFC 3551's default ptime, of the "
                    + "answer, or of the first packet when they latch; 2 s also covers a few lost first packets and a "
                    + "jitter buffer's start), before the call's BYE/CANCEL or the capture's end"),
            "Make the SDP the remote receives reachable: a correct ALG rewrite or none at all with a NAT-aware phone "
                    + "(STUN/ICE, symmetric RTP) or a provider that latches onto the media source; if the router drops "
                    + "the inbound media, open or forward the media ports (or let the phone send first and rely on "
                    + "symmetric RTP), and check firewall rules for RELATED/expectations.", REFS);
    static final Rule ASYMMETRIC = new Rule("rtp.asymmetric", Severity.WARNING,
            "Media was sent from another address or port than its SDP advertises",
            "For each party, the source of each RTP packet is compared with the endpoint its SDP in force at that "
                    + "time advertises (the last offer or answer of the dialog: a re-INVITE or UPDATE that moves the "
                    + "media, a late offer answered in the ACK; the endpoint it replaced still counts for 2 s, a failed "
                    + "re-INVITE changes nothing, a hold with c=0.0.0.0 advertises nothing to compare): on the sender's "
                    + "own side (the phone's on the LAN, the remote's on the WAN) a difference means the endpoint itself "
                    + "does not use symmetric RTP; on the far side (SDP and media both after the router) with an "
                    + "advertised public address, a difference means the router's SDP rewrite and its NAT disagree. "
                    + "A latching peer then sends media to the source, which the sender does not listen on.",
            List.of("none: one stream is enough"),
            "Configure the phone (or remote) for symmetric RTP (send from the port it receives on); if the router's "
                    + "rewrite and NAT disagree, turn the SIP ALG off or make the NAT keep media ports.", REFS);
    static final Rule SDP_PRIVATE = new Rule("rtp.sdp_private_address_on_wan", Severity.ERROR,
            "An SDP on the WAN advertises a private media address",
            "An SDP seen on the WAN side (INVITE, response, ACK, UPDATE or PRACK) whose connection address for an m= line "
                    + "with a port is private (RFC 1918, RFC 4193 ULA, or in the case's --inside networks; not RFC 6598 "
                    + "shared space, a carrier NAT's on a WAN; nor the address the WAN packet itself comes from when "
                    + "it was translated, the router's own). The remote cannot send media there. "
                    + "Error when no media to that party reached the router's WAN; warning when some did (the remote "
                    + "or an SBC latched onto the media source, so the call may work by luck of the peer). One finding "
                    + "per call and party.",
            List.of("none: one SDP is enough"),
            "No ALG rewrote the SDP: make the phone advertise a reachable address (STUN/ICE, or the provider's "
                    + "media latching / SBC); if a SIP ALG is on and missed it, it is broken: turn it off (see alg.*).",
            REFS);
    static final Rule NO_MEDIA = new Rule("rtp.no_media_after_answer", Severity.ERROR,
            "No RTP after a call was answered",
            "After the first 2xx to an INVITE, no RTP in one or both directions (on either side) within "
                    + "the answer window. A direction that never flows while the other does is rtp.one_way instead; "
                    + "this rule reports both directions missing (error), or a direction that started late (warning: it "
                    + "did flow, the start of the call was silent). A call that ended, "
                    + "or a capture that ended, within the window without any RTP is an info: too short to judge.",
            List.of("answer window: 2 s after the 200 OK (phones send RTP within milliseconds of the answer; 2 s "
                    + "also covers a few lost first packets and comfort-noise starts)"),
            "Check the SDP both ends received (addresses and ports reachable, codecs agreed) and that the router "
                    + "forwards the media ports (SIP ALG expectations, firewall). See rtp.one_way and "
                    + "rtp.sdp_private_address_on_wan.", REFS);

    static final Rule CALL_MEDIA = new Rule("rtp.call_media", Severity.INFO,
            "A call's media per direction, as one capture shows it",
            "One capture of one side only: for each answered call (2xx to the INVITE), the media endpoint each party's "
                    + "SDP names and the RTP counted to each of them (UDP to that address and port, RTCP left out), "
                    + "with the sources it came from. rtp.one_way, rtp.asymmetric and rtp.no_media_after_answer judge "
                    + "the same counts.",
            List.of("none: counts only"),
            "Context. Compare the sources with the SDP endpoints: media from another address or port than the SDP "
                    + "names is rtp.asymmetric; a direction with no packets is rtp.one_way.", REFS);

    static final Rule MEDIA_STOPPED = new Rule("rtp.media_stopped", Severity.WARNING,
            "One direction of a call's media stopped mid-call while the other continued",
            "For an answered call, on each capture side: the last RTP packet of one direction (to the phone's or the "
                    + "remote's SDP endpoint) came at least 10 s before the last packet of the other direction, so one "
                    + "party kept sending while the other went silent for good. When the far side of the router still "
                    + "carried that direction after the near side's last packet, the router stopped forwarding it. The "
                    + "router model's binding of the phone's media endpoint that ended (expired, flushed, killed or was "
                    + "replaced) from 2 s before the stop to the end of the call is named with its time: a binding "
                    + "timeout or a flush that cut the media. A call whose SDP put the media on hold is not judged; "
                    + "where the silent party's SDP offers silence suppression (CN, RFC 3389; G.729, whose Annex B is "
                    + "on unless annexb=no, RFC 4749) it is an info: silence and a stop look the same.",
            List.of("stop: the other direction flows at least 10 s after the stopped direction's last packet (five "
                    + "times the 2 s answer window: pauses in speech with silence suppression last seconds, and both "
                    + "directions end within a packetization interval, 20 ms by RFC 3551, of a BYE)",
                    "binding tie: a binding of the phone's media endpoint ending from 2 s before the stop to the call's end"),
            "If the router stopped forwarding (the far side still carried it), look at the binding that ended: raise "
                    + "the UDP timeouts (nf_conntrack_udp_timeout_stream) or keep the media flowing both ways; if "
                    + "the stream never reached the router, the sender stopped: check the sending party (its re-INVITE, "
                    + "its media server) and the path before the router.", REFS);

    static final Rule JITTER = new Rule("rtp.jitter", Severity.WARNING, "High jitter in one direction of a call's media",
            "For each call direction on each capture side, the RTP streams that carried it (their RFC 3550 A.8 "
                    + "interarrival jitter, as Wireshark's RTP analysis computes it): fires when the packet-weighted "
                    + "mean jitter reaches 30 ms on some side (the largest alone is not judged: single events that are "
                    + "not network jitter set it, such as RFC 4733 event packets sharing one timestamp); a direction "
                    + "whose streams paused 1 s or more between two packets is not judged (a hold or a pause without a "
                    + "timestamp jump raises the mean for dozens of packets with no jitter in the network). The figures of "
                    + "both sides say whether the jitter was there before the router (the sender's side) or only after "
                    + "it. The E-model score (ITU-T G.107) of that direction is given with its inputs.",
            List.of("mean jitter 30 ms: about a 27 ms spread of the delay for normally spread transits (J is about "
                    + "1.13 times the standard deviation), a 99.9 % interval well over twice ITU-T Y.1541's 50 ms IPDV "
                    + "bound for classes 0 and 1; a fixed buffer of four times it adds 120 ms, past G.107's 100 ms where "
                    + "the delay impairment starts", "pause: 1 s between two packets (fifty 20 ms intervals) leaves a "
                    + "direction unjudged"),
            "Find where the jitter appears: if the sender's side already shows it, the sender or its access link "
                    + "(Wi-Fi, an uplink that is full: shape the upload below its rate and prioritise RTP, DSCP EF); "
                    + "if it appears after the router, the router or the path beyond it.",
            List.of("RFC 3550 A.8 (interarrival jitter)", "ITU-T Y.1541 (IP performance objectives)",
                    "ITU-T G.107 (E-model)"));
}
