package dev.natrecon.detect;

import dev.natrecon.decode.sdp.SdpAttribute;
import dev.natrecon.decode.sdp.SdpMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The codecs an SDP m= line offers or answers, in its format order: each payload type's encoding name from its
 * {@code a=rtpmap} (RFC 4566 §6), else the static payload type's name (RFC 3551 Table 4); and its {@code a=ptime}.
 */
final class SdpCodecs {
    private SdpCodecs() {
    }

    /** At most this many formats are named per m= line (an offer lists a handful; the rest are not kept). */
    static final int MAX_FORMATS = 8;

    /** RFC 3551 Table 4: the static audio payload types 0-18 (null: reserved or unassigned). */
    private static final String[] STATIC = {"PCMU", null, null, "GSM", "G723", "DVI4", "DVI4", "LPC", "PCMA", "G722",
        "L16", "L16", "QCELP", "CN", "MPA", "G728", "DVI4", "DVI4", "G729"};

    /** The encoding names of {@code m}'s formats, in order ("PCMU", "telephone-event", or the number when unknown). */
    static List<String> of(SdpMedia m) {
        List<String> out = new ArrayList<>(Math.min(MAX_FORMATS, m.formats().size()));
        for (String f : m.formatTexts()) {
            if (out.size() >= MAX_FORMATS) break;
            String name = rtpmap(m, f);
            if (name == null) {
                int pt = number(f);
                name = pt >= 0 && pt < STATIC.length && STATIC[pt] != null ? STATIC[pt] : f;
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /** {@code a=ptime} in milliseconds, or 0 when absent or not a number. */
    static int ptime(SdpMedia m) {
        for (SdpAttribute a : m.attributes()) {
            if (a.nameText().equalsIgnoreCase("ptime") && a.value() != null) {
                int v = number(a.value().text().trim());
                return Math.max(v, 0);
            }
        }
        return 0;
    }

    /** The first codec that carries speech: telephone events (RFC 4733) and comfort noise (RFC 3389) are not. */
    static String speech(List<String> codecs) {
        for (String c : codecs) {
            String l = c.toLowerCase(Locale.ROOT);
            if (!l.equals("telephone-event") && !l.equals("cn")) return c;
        }
        return null;
    }

    private static String rtpmap(SdpMedia m, String format) {
        for (SdpAttribute a : m.attributes()) {
            if (!a.nameText().equalsIgnoreCase("rtpmap") || a.value() == null) continue;
            String v = a.value().text().trim();
            int sp = v.indexOf(' ');
            if (sp > 0 && v.substring(0, sp).equals(format)) {
                String enc = v.substring(sp + 1).trim();
                int slash = enc.indexOf('/');
                return slash > 0 ? enc.substring(0, slash) : enc;
            }
        }
        return null;
    }

    private static int number(String s) {
        if (s.isEmpty() || s.length() > 6) return -1;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
