package dev.natrecon.media;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain byte scan of a SIP datagram for what ties RTP to a call: the Call-ID header (RFC 3261 section 20.8, compact
 * form {@code i}) and, in an SDP body (RFC 4566), each media description's port, its connection address (media-level
 * {@code c=}, else the session's), {@code a=rtcp} (RFC 3605) and its {@code a=rtpmap} lines. No SIP grammar is run:
 * the full parse (jain-sip, about half a millisecond per message) is the rewrite analysis's business, and this runs on
 * every SDP-carrying datagram of both sides. A body that is not plain SDP (multipart) is looked into for its first
 * {@code v=0} line.
 */
final class SipSdpScan {
    /** One m= section: its port, connection address text, RTCP port (-1: the next one) and rtpmap values. */
    record Media(int port, String address, int rtcpPort, List<String> rtpmaps) {
    }

    /** The message's Call-ID and media sections; null when it is not a SIP message with SDP. */
    record Result(String callId, List<Media> media) {
    }

    private SipSdpScan() {
    }

    static Result scan(byte[] b) {
        int n = b.length, i = 0;
        String callId = null;
        int bodyStart = -1;
        while (i < n) {
            int end = i;
            while (end < n && b[end] != '\n') end++;
            int lineEnd = end > i && b[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == i) {
                if (i > 0) {
                    bodyStart = end + 1;
                    break;
                }
            } else if (callId == null) {
                int colon = -1;
                for (int k = i; k < lineEnd; k++) {
                    if (b[k] == ':') {
                        colon = k;
                        break;
                    }
                }
                if (colon > i) {
                    String name = new String(b, i, colon - i, StandardCharsets.ISO_8859_1).trim();
                    if (name.equalsIgnoreCase("call-id") || name.equals("i")) {
                        callId = new String(b, colon + 1, lineEnd - colon - 1, StandardCharsets.ISO_8859_1).trim();
                    }
                }
            }
            i = end + 1;
        }
        if (callId == null || callId.isEmpty() || bodyStart < 0 || bodyStart >= n) return null;
        int v = find(b, bodyStart, "v=0");
        if (v < 0) return null;
        return new Result(callId, media(b, v, n));
    }

    /** The first offset at or after {@code from} where a line starts with {@code s}, or -1. */
    private static int find(byte[] b, int from, String s) {
        for (int k = from; k + s.length() <= b.length; k++) {
            if (k != from && b[k - 1] != '\n') continue;
            boolean ok = true;
            for (int j = 0; j < s.length() && ok; j++) ok = b[k + j] == s.charAt(j);
            if (ok) return k;
        }
        return -1;
    }

    private static List<Media> media(byte[] b, int start, int n) {
        List<Media> out = new ArrayList<>();
        String sessionC = null;
        int port = -1, rtcp = -1;
        String mediaC = null;
        List<String> maps = null;
        int i = start;
        while (i < n) {
            int end = i;
            while (end < n && b[end] != '\n') end++;
            int lineEnd = end > i && b[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd - i >= 2 && b[i + 1] == '=') {
                char type = (char) b[i];
                String value = new String(b, i + 2, lineEnd - i - 2, StandardCharsets.ISO_8859_1).trim();
                if (type == 'v' && maps != null) break; // the next part of a multipart body
                if (type == 'm') {
                    if (maps != null) out.add(new Media(port, mediaC != null ? mediaC : sessionC, rtcp, maps));
                    String[] f = value.split("\\s+");
                    port = f.length > 1 ? number(f[1].contains("/") ? f[1].substring(0, f[1].indexOf('/')) : f[1]) : -1;
                    mediaC = null;
                    rtcp = -1;
                    maps = new ArrayList<>();
                } else if (type == 'c') {
                    // RFC 4566 5.7: c=IN IP4 <address>[/ttl]
                    String[] f = value.split("\\s+");
                    String addr = f.length > 2 ? f[2] : null;
                    if (addr != null && addr.indexOf('/') >= 0) addr = addr.substring(0, addr.indexOf('/'));
                    if (maps == null) sessionC = addr;
                    else mediaC = addr;
                } else if (type == 'a' && maps != null) {
                    if (value.regionMatches(true, 0, "rtpmap:", 0, 7)) maps.add(value.substring(7).trim());
                    else if (value.regionMatches(true, 0, "rtcp:", 0, 5)) {
                        String[] f = value.substring(5).trim().split("\\s+");
                        rtcp = number(f[0]);
                    }
                }
            }
            i = end + 1;
        }
        if (maps != null) out.add(new Media(port, mediaC != null ? mediaC : sessionC, rtcp, maps));
        return out;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
