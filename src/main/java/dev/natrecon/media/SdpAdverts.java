package dev.natrecon.media;

import dev.natrecon.decode.Addresses;
import java.util.HashMap;
import java.util.Map;

/**
 * The media endpoints the SDP of each call announces on each capture side, as that side's copy of the message writes
 * them (before the router's ALG on the LAN, after it on the WAN): which call an RTP packet to or from an endpoint
 * belongs to, and the names and clocks of its dynamic payload types ({@code a=rtpmap}, RFC 4566 section 6). A later
 * SDP naming the same endpoint replaces the earlier one (RFC 3264 section 8: a new offer/answer replaces the session
 * description; a re-INVITE or UPDATE that moves the media, or another call reusing the port), so a stream is tied to
 * the call whose SDP was in force when its first packet was seen.
 *
 * <p>Messages are read by a byte scan ({@link SipSdpScan}), not the SIP grammar. Only SIP over UDP is read here (SIP over TCP reaches this point as segments); a stream whose SDP travelled over
 * TCP or TLS is reported untied, or taken as RTP by its shape.
 */
final class SdpAdverts {
    /**
     * Endpoints remembered per case. Each SDP names a handful (audio, video, their RTCP); 200,000 covers tens of
     * thousands of calls. Past it new endpoints are not remembered ({@link #notKept}).
     */
    static final int MAX_ENDPOINTS = 200_000;

    /** One announced endpoint: the call and the dynamic payload types (index pt - 96; null when the SDP has none). */
    record Advert(String callId, String[] dynamicNames, int[] dynamicClocks) {
    }

    private final Map<SideEndpoint, Advert> adverts = new HashMap<>();
    /** Reused for lookups (one per new stream), never stored. */
    private final SideEndpoint probe = new SideEndpoint(0, 0, 0, 0);
    /** Ports any SDP announced, for a cheap first test per packet. */
    private final boolean[] port = new boolean[65536];
    private final int maxEndpoints;
    private long notKept;
    private long messages;

    /** Remembers at most {@code maxEndpoints} endpoints (a share of {@link #MAX_ENDPOINTS}). */
    SdpAdverts(int maxEndpoints) {
        this.maxEndpoints = maxEndpoints;
    }

    SdpAdverts() {
        this(MAX_ENDPOINTS);
    }

    /** Endpoints an SDP named that were not remembered because of the bound ({@link #MAX_ENDPOINTS} or a share of it). */
    long notKept() {
        return notKept;
    }

    /** SIP messages with SDP read. */
    long messages() {
        return messages;
    }

    /**
     * A UDP payload of {@code side} that may be a SIP message: its SDP's endpoints are remembered. Cheap for what
     * carries no SDP (a byte scan for an {@code m=} line before any parse).
     */
    void sip(int side, byte[] payload) {
        if (!hasMediaLine(payload)) return;
        SipSdpScan.Result r = SipSdpScan.scan(payload);
        if (r == null) return;
        messages++;
        long[] a = new long[2];
        for (SipSdpScan.Media md : r.media()) {
            int p = md.port();
            if (p <= 0 || p > 65535 || md.address() == null || !Addresses.parse(md.address(), a)) continue;
            String[] names = null;
            int[] clocks = null;
            for (String v : md.rtpmaps()) {
                // RFC 4566 section 6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<parameters>]
                int sp = v.indexOf(' ');
                if (sp <= 0) continue;
                int pt;
                try {
                    pt = Integer.parseInt(v.substring(0, sp));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pt < PayloadTypes.FIRST_DYNAMIC || pt > 127) continue;
                String[] parts = v.substring(sp + 1).trim().split("/");
                if (names == null) {
                    names = new String[32];
                    clocks = new int[32];
                }
                names[pt - PayloadTypes.FIRST_DYNAMIC] = parts[0];
                try {
                    clocks[pt - PayloadTypes.FIRST_DYNAMIC] = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
                } catch (NumberFormatException e) {
                    clocks[pt - PayloadTypes.FIRST_DYNAMIC] = 0;
                }
            }
            Advert ad = new Advert(r.callId(), names, clocks);
            put(side, a[0], a[1], p, ad);
            // RFC 3550 section 11: RTCP on the next port unless a=rtcp (RFC 3605) says otherwise
            if (md.rtcpPort() > 0 && md.rtcpPort() <= 65535) put(side, a[0], a[1], md.rtcpPort(), ad);
            else if (p < 65535) put(side, a[0], a[1], p + 1, ad);
        }
    }

    private void put(int side, long hi, long lo, int p, Advert ad) {
        SideEndpoint k = new SideEndpoint(side, hi, lo, p);
        if (adverts.size() >= maxEndpoints && !adverts.containsKey(k)) {
            notKept++;
            return;
        }
        adverts.put(k, ad);
        port[p] = true;
    }

    /** The advert in force for an endpoint of {@code side}, or null. Allocation-free. */
    Advert find(int side, long hi, long lo, int p) {
        if (!port[p]) return null;
        return adverts.get(probe.set(side, hi, lo, p));
    }

    /** Whether a payload holds an SDP media line ("\nm=") at all. */
    static boolean hasMediaLine(byte[] b) {
        for (int i = 0; i + 2 < b.length; i++) {
            if (b[i] == '\n' && b[i + 1] == 'm' && b[i + 2] == '=') return true;
        }
        return false;
    }
}
